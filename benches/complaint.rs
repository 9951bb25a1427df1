//! Benchmarks of the complaint module:
//!
//! - `grade_1024`: [`grade`] on 1,024 varied inputs (fact subsets sampled
//!   across all 4,096, every nature, first and repeat complaints, regular
//!   and important customers), all of them in one iteration; the time per
//!   grade is the median divided by 1,024 (criterion also reports the
//!   throughput in grades per second). Target: < 20 ns per grade, with no
//!   heap allocation: [`Grade`] is `Copy`, and the loop reads its rules and
//!   deciding facts but never calls the allocating `Grade::reasons`.
//! - `deadlines/<clock>`: [`Complaint::deadlines`] on a complaint in
//!   handling (justified, forwarded, a solution proposed), with the
//!   calendar clock and with the dealer's business hours.
//! - `escalations_due/<clock>`: [`Complaint::escalations_due`] on the same
//!   complaint.
//!
//! Run with `cargo bench --bench complaint`.

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
    BusinessHours, Channel, Complaint, ComplaintCommand, ComplaintFact, ComplaintNo,
    ComplaintPolicy, ComplaintReceipt, ComplaintStage, CustomerId, CustomerStanding, DeadlineClock,
    Demand, DepartmentId, Emotion, FactSet, Grade, GradeInput, Nature, Occurrence, Policy,
    Solution, SolutionTiming, StaffId, Verdict, grade,
};
use chrono::{DateTime, FixedOffset, TimeDelta};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

type At = DateTime<FixedOffset>;

/// 1,024 inputs: fact subsets 1 … 4,095 taken with an odd stride (so they
/// spread over all sizes and levels), every nature, occurrence and
/// standing.
fn inputs() -> Vec<GradeInput> {
    (0..1024u32)
        .map(|i| {
            let mask = (i * 2_897 + 1) % 4096;
            let mask = if mask == 0 { 1 } else { mask };
            let facts: FactSet = ComplaintFact::ALL
                .into_iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, f)| f)
                .collect();
            GradeInput {
                facts,
                nature: [Nature::General, Nature::Serious, Nature::Malicious][(i % 3) as usize],
                occurrence: if i / 3 % 2 == 0 {
                    Occurrence::First
                } else {
                    Occurrence::Repeat
                },
                standing: if i / 7 % 2 == 0 {
                    CustomerStanding::Regular
                } else {
                    CustomerStanding::Important
                },
            }
        })
        .collect()
}

/// Folds what a caller reads of a grade into a number, so the work is not
/// optimized away: level, handler, response hours, the rules that applied
/// and the deciding facts.
fn digest(g: &Grade) -> usize {
    usize::from(g.level.number())
        + g.handler as usize
        + g.response_hours as usize
        + g.rules().count()
        + g.deciding_facts.len()
}

fn bench_grade(c: &mut Criterion) {
    let policy = Policy::default();
    let complaint = policy.complaint();
    let inputs = inputs();
    assert_eq!(inputs.len(), 1024);
    let distinct: std::collections::HashSet<_> = inputs.iter().map(|i| i.facts).collect();
    assert!(
        distinct.len() > 1000,
        "{} distinct fact sets",
        distinct.len()
    );
    assert!(inputs.iter().all(|i| grade(i, complaint).is_ok()));
    let mut group = c.benchmark_group("grade");
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("grade_1024", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for input in black_box(&inputs) {
                if let Ok(g) = grade(black_box(input), black_box(complaint)) {
                    sum += digest(&g);
                }
            }
            black_box(sum)
        });
    });
    group.finish();
}

fn at(s: &str) -> At {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn staff(s: &str) -> StaffId {
    StaffId::try_new(s).unwrap()
}

/// An L2 complaint received on a Tuesday morning, judged justified,
/// apologized for, filed, reported, forwarded, a solution proposed; not yet
/// answered.
fn in_handling(policy: &Policy) -> Complaint {
    let t0 = at("2026-11-24T10:00:00+08:00");
    let m = |n| t0 + TimeDelta::minutes(n);
    let mut c = Complaint::new(ComplaintNo::try_new("CMP-2026-0042").unwrap());
    let commands = vec![
        ComplaintCommand::Receive {
            receipt: ComplaintReceipt {
                at: t0,
                customer: CustomerId::try_new("C-1001").unwrap(),
                channel: Channel::Phone,
                description: "billed twice for the same brake fluid".into(),
                demands: vec![Demand::Compensation],
                remedy_amount: Some("1500 CNY".parse().unwrap()),
                emotion: Emotion::Angry,
                facts: [ComplaintFact::FeeDispute, ComplaintFact::ServiceAttitude].into(),
                nature: Nature::General,
                repeat_of: None,
                standing: CustomerStanding::Regular,
                owner: staff("CR-02"),
                order: None,
            },
        },
        ComplaintCommand::Judge {
            at: m(10),
            by: staff("CRM-01"),
            verdict: Verdict::Justified,
        },
        ComplaintCommand::Apologize {
            at: m(11),
            by: staff("CR-02"),
        },
        ComplaintCommand::FileForm {
            at: m(12),
            by: staff("CR-02"),
        },
        ComplaintCommand::ReportToGeneralManager {
            at: m(13),
            by: staff("CR-02"),
        },
        ComplaintCommand::Forward {
            at: m(30),
            department: DepartmentId::try_new("after-sales").unwrap(),
            head: staff("SM-01"),
        },
        ComplaintCommand::ProposeSolution {
            at: m(300),
            by: staff("CR-02"),
            solution: Solution {
                description: "refund the duplicate charge".into(),
                remedy: Some("180 CNY".parse().unwrap()),
                timing: SolutionTiming::Later,
            },
        },
    ];
    for command in commands {
        c.execute(command, policy).unwrap();
    }
    assert_eq!(c.stage(), ComplaintStage::SolutionProposed);
    c
}

fn bench_deadlines(c: &mut Criterion) {
    let business = Policy::default()
        .with_complaint(ComplaintPolicy {
            clock: DeadlineClock::Business(BusinessHours::dealer_default()),
            ..ComplaintPolicy::default()
        })
        .unwrap();
    // Friday afternoon: the department result (48 h from Tuesday 10:30) is
    // still open in business hours and missed in calendar hours.
    let now = at("2026-11-27T15:00:00+08:00");
    let policies = [("calendar", Policy::default()), ("business", business)];
    let mut group = c.benchmark_group("deadlines");
    for (name, policy) in &policies {
        let complaint = in_handling(policy);
        assert_eq!(complaint.deadlines(now, policy).unwrap().len(), 4);
        group.bench_function(*name, |b| {
            b.iter(|| black_box(&complaint).deadlines(black_box(now), black_box(policy)));
        });
    }
    group.finish();
    let mut group = c.benchmark_group("escalations_due");
    for (name, policy) in &policies {
        let complaint = in_handling(policy);
        assert!(!complaint.escalations_due(now, policy).unwrap().is_empty());
        group.bench_function(*name, |b| {
            b.iter(|| black_box(&complaint).escalations_due(black_box(now), black_box(policy)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_grade, bench_deadlines);
criterion_main!(benches);
