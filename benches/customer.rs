//! Benchmark of the customer file's derived views:
//!
//! - `counters_and_segments_1m`: for 1,000,000 customers with 10 visits
//!   each, [`Counters::from_visits`] (CUS-05) and the RFM score and
//!   segment ([`rfm`], [`Segment::of`], CUS-07) at one reference date, in
//!   one iteration. The visits are generated deterministically before the
//!   timed loop: dates over six years before the reference date (some
//!   after it), every visit kind, an order number and an odometer on each,
//!   an amount in CNY on most. Target: under 1 s on one core, i.e. about
//!   1 µs per customer for both.
//!
//! Run with `cargo bench --bench customer`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

use std::hint::black_box;

use aftersales::{Counters, Km, Money, Policy, Segment, Visit, VisitKind, WorkOrderNo, rfm};
use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

const CUSTOMERS: usize = 1_000_000;
const VISITS: usize = 10;

fn at() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

/// A deterministic mix: a multiplicative hash of the customer and visit
/// index picks the day (within about six years before `at`, a few after),
/// the kind, the amount and whether there is one.
fn customers(n: usize) -> Vec<Vec<Visit>> {
    let origin = at().checked_sub_days(Days::new(6 * 365)).unwrap();
    (0..n as u64)
        .map(|c| {
            (0..VISITS as u64)
                .map(|i| {
                    let h = (c * VISITS as u64 + i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    let pick = |shift: u32, m: u64| (h >> shift) % m;
                    let date = origin
                        .checked_add_days(Days::new(pick(8, 6 * 365 + 30)))
                        .unwrap();
                    let kind = VisitKind::ALL[pick(24, VisitKind::ALL.len() as u64) as usize];
                    let amount = (pick(32, 10) != 0)
                        .then(|| Money::cny(Decimal::new(20_000 + pick(40, 800_000) as i64, 2)));
                    Visit {
                        order: Some(WorkOrderNo::try_new(format!("WO-{c:07}-{i:02}")).unwrap()),
                        odometer: Some(Km(1_000 + (i as u32) * 7_500)),
                        amount,
                        comeback: pick(48, 20) == 0,
                        ..Visit::new(date, kind)
                    }
                })
                .collect()
        })
        .collect()
}

fn bench_customers(c: &mut Criterion) {
    let input = customers(CUSTOMERS);
    let policy = Policy::default();
    let windows = policy.customer().windows;
    let mut group = c.benchmark_group("customer");
    group.throughput(Throughput::Elements(input.len() as u64));
    group.sample_size(10);
    group.bench_function("counters_and_segments_1m", |b| {
        b.iter(|| {
            let mut by_segment = [0u32; 8];
            let mut visits_long = 0u64;
            for visits in black_box(&input) {
                let counters = Counters::from_visits(visits, at(), &windows);
                visits_long += u64::from(counters.visits_long);
                if let Ok(score) = rfm(visits, at(), &policy) {
                    let segment = Segment::of(score);
                    by_segment[Segment::ALL.iter().position(|s| *s == segment).unwrap()] += 1;
                }
            }
            black_box((by_segment, visits_long))
        });
    });
    group.finish();

    // The same work once more, outside the timing: every customer is scored.
    let scored = input
        .iter()
        .filter(|v| rfm(v, at(), &policy).is_ok())
        .count();
    assert_eq!(scored, CUSTOMERS);
}

criterion_group!(benches, bench_customers);
criterion_main!(benches);
