//! Benchmarks of follow-up planning and the care calendar:
//!
//! - `plan_100k`: [`plan_follow_up`] for 100,000 deliveries (service and
//!   new-car deliveries, every FU-04 fact mix, delivery times spread over a
//!   month, a 70 % ratio so sampling is exercised), in one iteration.
//!   Target: over 1 million deliveries planned per second on one core, so
//!   a median under 100 ms.
//!
//! Run with `cargo bench --bench follow_up`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::hint::black_box;

use aftersales::{
    Delivery, DeliveryFact, DeliveryFacts, DeliveryKind, Policy, RatioSampler, plan_follow_up,
};
use chrono::{DateTime, TimeDelta};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn deliveries(n: usize) -> Vec<Delivery> {
    let start = DateTime::parse_from_rfc3339("2026-03-01T08:00:00+08:00").unwrap();
    (0..n)
        .map(|i| {
            let facts: DeliveryFacts = DeliveryFact::ALL
                .iter()
                .enumerate()
                .filter(|(bit, _)| ((i / 7) % 23) & (1 << bit) != 0 && i % 3 == 0)
                .map(|(_, f)| *f)
                .collect();
            Delivery {
                kind: if i % 10 == 0 {
                    DeliveryKind::NewCar
                } else {
                    DeliveryKind::Service
                },
                order: Some(format!("WO-{i:06}").parse().unwrap()),
                customer: Some(format!("C-{i:06}").parse().unwrap()),
                name: "Customer".parse().unwrap(),
                phone: Some("13800138000".parse().unwrap()),
                staff: format!("SA-{:02}", i % 12).parse().unwrap(),
                delivered_at: start + TimeDelta::minutes((i as i64 * 37) % (31 * 24 * 60)),
                facts,
            }
        })
        .collect()
}

fn bench_plan(c: &mut Criterion) {
    let mut fu = Policy::default().follow_up().clone();
    fu.ratio = "70".parse().unwrap();
    let policy = Policy::default().with_follow_up(fu).unwrap();
    let input = deliveries(100_000);
    let mut group = c.benchmark_group("follow_up");
    group.throughput(Throughput::Elements(input.len() as u64));
    group.sample_size(20);
    group.bench_function("plan_100k", |b| {
        b.iter(|| {
            let mut sampler = RatioSampler::default();
            let mut tasks = 0usize;
            for d in &input {
                let plan = plan_follow_up(black_box(d), &mut sampler, &policy).unwrap();
                tasks += plan.tasks.len();
            }
            black_box(tasks)
        })
    });
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
