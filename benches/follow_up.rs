//! Benchmarks of follow-up planning and the care calendar:
//!
//! - `plan_100k`: [`plan_follow_up`] for 100,000 deliveries (service and
//!   new-car deliveries, every FU-04 fact mix, delivery times spread over a
//!   month, a 70 % ratio so sampling is exercised), in one iteration.
//!   Target: over 1 million deliveries planned per second on one core, so
//!   a median under 100 ms.
//! - `care_calendar_100k_month`: [`care_calendar`] for 100,000 customer
//!   profiles over one month (September 2026: a holiday, a campaign,
//!   birthdays, maintenance notices, new-car care, repair follow-ups, long
//!   time no visit and open safety items spread over the profiles).
//!   Target: none set by the issue; the median is reported.
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
    CareProfile, ContactChannel, Delivery, DeliveryFact, DeliveryFacts, DeliveryKind, Policy,
    PreferredContact, RatioSampler, care_calendar, plan_follow_up,
};
use chrono::{DateTime, Days, NaiveDate, TimeDelta};
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
                agreed: Default::default(),
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

fn profiles(n: usize) -> Vec<CareProfile> {
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let day = |offset: usize| base.checked_add_days(Days::new(offset as u64)).unwrap();
    let channels = [
        None,
        Some(ContactChannel::Phone),
        Some(ContactChannel::Sms),
        Some(ContactChannel::Letter),
    ];
    (0..n)
        .map(|i| {
            let mut p = CareProfile::new(format!("C-{i:06}").parse().unwrap());
            p.preferred = PreferredContact {
                channel: channels[i % channels.len()],
                times: Vec::new(),
            };
            p.birthday = Some(
                NaiveDate::from_ymd_opt(1960 + (i % 40) as i32, 1, 1)
                    .unwrap()
                    .checked_add_days(Days::new((i % 365) as u64))
                    .unwrap(),
            );
            p.last_visit = Some(day(i % 640));
            p.last_repair_delivered = Some(day(i % 640));
            p.next_maintenance_due = Some(day(560 + i % 90));
            if i % 8 == 0 {
                p.new_car_delivered = Some(day(570 + i % 60));
            }
            p
        })
        .collect()
}

fn bench_care(c: &mut Criterion) {
    let policy = Policy::default();
    let input = profiles(100_000);
    let from = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let contacts = care_calendar(&input, from, to, &policy).unwrap().len();
    println!(
        "care calendar: {contacts} contacts for {} profiles",
        input.len()
    );
    let mut group = c.benchmark_group("care");
    group.throughput(Throughput::Elements(input.len() as u64));
    group.sample_size(10);
    group.bench_function("care_calendar_100k_month", |b| {
        b.iter(|| {
            black_box(
                care_calendar(black_box(&input), from, to, &policy)
                    .unwrap()
                    .len(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_plan, bench_care);
criterion_main!(benches);
