//! Benchmarks of the satisfaction-rate report:
//!
//! - `rate_report_1m`: [`RateReport::from_records`] over 1,000,000 table 8
//!   records (50 service advisors, 6 repair teams and some vehicles with
//!   no team, dates over a 30-day month, every result kind: no result,
//!   each unsuccessful column, every score, a recommendation on a third of
//!   the reached ones), in one iteration. Target: at least 20 million
//!   records per second on one core, so a median under 50 ms.
//! - `rate_sheet_50_advisors`: [`RateReport::sheet`] of that report: the
//!   rows, rates and workload flags under the default policy.
//! - `merge_halves`: merging the reports of the two halves of the stream.
//!
//! Run with `cargo bench --bench satisfaction`.

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
    FollowUpResult, Policy, RateRecord, RateReport, RateTable, Recommendation, Score, ScoreSource,
    StaffId, TeamId, UnsuccessfulKind,
};
use chrono::{Days, NaiveDate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const ADVISORS: usize = 50;

fn from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

fn to() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

/// A deterministic mix: a multiplicative hash of the index picks the
/// advisor, team, day and result, so consecutive records hit different
/// rows as a DMS export sorted by order number would.
fn records(n: usize) -> Vec<RateRecord> {
    let staff: Vec<StaffId> = (0..ADVISORS)
        .map(|i| format!("SA-{i:02}").parse().unwrap())
        .collect();
    let teams: Vec<TeamId> = (0..6)
        .map(|i| format!("team-{i}").parse().unwrap())
        .collect();
    (0..n as u64)
        .map(|i| {
            let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let pick = |shift: u32, m: u64| ((h >> shift) % m) as usize;
            let result = match pick(8, 10) {
                0 => FollowUpResult::NoResult,
                1 => FollowUpResult::Unsuccessful {
                    kind: UnsuccessfulKind::ALL[pick(16, 4)],
                },
                _ => FollowUpResult::Reached {
                    score: Score::try_new(1 + pick(20, 10) as u8).unwrap(),
                    recommendation: (pick(24, 3) == 0)
                        .then(|| Recommendation::try_new(pick(28, 11) as u8).unwrap()),
                    source: Some(ScoreSource::ALL[pick(36, 2)]),
                },
            };
            let team = pick(32, 7);
            RateRecord {
                date: from()
                    .checked_add_days(Days::new(pick(40, 30) as u64))
                    .unwrap(),
                staff: staff[pick(48, ADVISORS as u64)].clone(),
                team: teams.get(team).cloned(),
                result,
            }
        })
        .collect()
}

fn bench_report(c: &mut Criterion) {
    let input = records(1_000_000);
    let policy = Policy::default();
    let mut group = c.benchmark_group("satisfaction");
    group.throughput(Throughput::Elements(input.len() as u64));
    group.sample_size(20);
    group.bench_function("rate_report_1m", |b| {
        b.iter(|| {
            let report =
                RateReport::from_records(RateTable::Service, from(), to(), black_box(&input))
                    .unwrap();
            black_box(report.totals().vehicles)
        });
    });
    group.finish();

    let report = RateReport::from_records(RateTable::Service, from(), to(), &input).unwrap();
    assert_eq!(report.totals().vehicles, 1_000_000);
    c.bench_function("rate_sheet_50_advisors", |b| {
        b.iter(|| black_box(report.sheet(policy.satisfaction())).staff.len());
    });

    let (a, b_half) = input.split_at(input.len() / 2);
    let left = RateReport::from_records(RateTable::Service, from(), to(), a).unwrap();
    let right = RateReport::from_records(RateTable::Service, from(), to(), b_half).unwrap();
    c.bench_function("merge_halves", |b| {
        b.iter(|| {
            let mut merged = left.clone();
            merged.merge(black_box(&right)).unwrap();
            black_box(merged)
        });
    });
}

criterion_group!(benches, bench_report);
criterion_main!(benches);
