//! Benchmark of the process-compliance audit:
//!
//! - `audit_all_100k`: [`audit_all`] over 100,000 journeys: 10,000 distinct
//!   journeys audited ten times over. Each journey is the repair story of
//!   `examples/repair_lifecycle.rs` (one order of 44 events) under its own
//!   order number and advisor, with a follow-up task of two attempts (a
//!   missed call, then the answered questionnaire) and, for one journey in
//!   ten, a complaint. Target: under 1 s on one core.
//!
//! Distinct journeys are limited to 10,000 to keep the input at a few
//! hundred megabytes; the audit reads them, so repeating them measures the
//! same work.
//!
//! Run with `cargo bench --bench audit`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    missing_docs
)]

#[allow(dead_code)]
#[path = "../examples/repair_lifecycle.rs"]
mod story;

use std::hint::black_box;

use aftersales::{
    AfterSalesAnswers, CallOutcome, Channel, Complaint, ComplaintCommand, ComplaintFact,
    ComplaintLog, ComplaintReceipt, CustomerAnswer, CustomerId, CustomerStanding, Delivery,
    DeliveryFacts, Demand, Emotion, Extent, FollowUpCommand, FollowUpTask, Handover, Journey,
    Nature, NotReachedReason, OrderLog, Policy, Questionnaire, RatioSampler, TaskKind, TaskLog,
    Verdict, Voiced, WorkOrder, WorkOrderEvent, YesNo, audit_all, plan_follow_up,
};
use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const DISTINCT: usize = 10_000;
const ROUNDS: usize = 10;

fn ts(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn story_events() -> Vec<WorkOrderEvent> {
    let policy = story::policy();
    let mut order = WorkOrder::new(story::order_no().unwrap());
    let mut log = Vec::new();
    for step in story::steps().unwrap() {
        if step.expect == story::Expect::Accepted {
            log.extend(order.execute(step.command, &policy).unwrap());
        }
    }
    log
}

fn task(events: &[WorkOrderEvent], i: usize) -> TaskLog {
    let policy = Policy::default();
    let order = WorkOrder::replay(story::order_no().unwrap(), events);
    let delivery = Delivery::service(&order, DeliveryFacts::EMPTY).unwrap();
    let plan = plan_follow_up(&delivery, &mut RatioSampler::default(), &policy).unwrap();
    let planned = *plan.task(TaskKind::AfterSalesCall).unwrap();
    let no = format!("T-{i:05}").parse().unwrap();
    let mut t = FollowUpTask::new(no);
    let mut log = t
        .execute(
            FollowUpCommand::Open {
                at: ts("2026-11-24T18:00:00+08:00"),
                delivery,
                task: planned,
            },
            &policy,
        )
        .unwrap();
    log.extend(
        t.execute(
            FollowUpCommand::RecordCall {
                at: ts("2026-11-27T09:10:00+08:00"),
                by: "CR-01".parse().unwrap(),
                outcome: CallOutcome::NotReached {
                    reason: NotReachedReason::NoAnswer,
                },
            },
            &policy,
        )
        .unwrap(),
    );
    let score = |n: &str| n.parse().unwrap();
    log.extend(
        t.execute(
            FollowUpCommand::RecordCall {
                at: ts("2026-11-27T16:10:00+08:00"),
                by: "CR-01".parse().unwrap(),
                outcome: CallOutcome::Answered {
                    answers: Questionnaire::AfterSales(AfterSalesAnswers {
                        overall: score("9"),
                        greeted_promptly: YesNo::Yes,
                        walk_around_explained: YesNo::Yes,
                        explained_and_signed: Extent::Fully,
                        delivered_on_time: YesNo::Yes,
                        charges_explained_at_vehicle: YesNo::Yes,
                        next_service_advised: YesNo::Yes,
                        old_parts_shown: if i % 7 == 0 { YesNo::No } else { YesNo::Yes },
                        diagnosis: score("9"),
                        quality_and_time: score("8"),
                        remarks: None,
                    }),
                    voiced: Voiced::Nothing,
                },
            },
            &policy,
        )
        .unwrap(),
    );
    TaskLog {
        no: format!("T-{i:05}").parse().unwrap(),
        events: log,
    }
}

fn complaint(i: usize) -> ComplaintLog {
    let policy = Policy::default();
    let no = format!("TS-{i:05}").parse().unwrap();
    let mut c = Complaint::new(no);
    let mut events = Vec::new();
    for command in [
        ComplaintCommand::Receive {
            receipt: ComplaintReceipt {
                at: ts("2026-11-25T10:00:00+08:00"),
                customer: CustomerId::try_new("C-1001").unwrap(),
                channel: Channel::Phone,
                description: "ready later than hoped".into(),
                demands: vec![Demand::Apology],
                remedy_amount: None,
                emotion: Emotion::Calm,
                facts: [ComplaintFact::SlightDelay].into(),
                nature: Nature::General,
                repeat_of: None,
                standing: CustomerStanding::Regular,
                owner: "CR-02".parse().unwrap(),
                order: None,
            },
        },
        ComplaintCommand::Judge {
            at: ts("2026-11-25T10:05:00+08:00"),
            by: "CRM-01".parse().unwrap(),
            verdict: Verdict::NotJustified,
        },
        ComplaintCommand::Explain {
            at: ts(if i % 3 == 0 {
                "2026-11-27T15:00:00+08:00"
            } else {
                "2026-11-25T15:00:00+08:00"
            }),
            by: "CR-02".parse().unwrap(),
            explanation: "the promised time was kept".into(),
            answer: CustomerAnswer::Accepted,
        },
    ] {
        events.extend(c.execute(command, &policy).unwrap());
    }
    ComplaintLog {
        no: format!("TS-{i:05}").parse().unwrap(),
        events,
    }
}

fn journeys() -> Vec<Journey> {
    let base = story_events();
    let follow_up = task(&base, 0);
    (0..DISTINCT)
        .map(|i| {
            let mut events = base.clone();
            for e in &mut events {
                if let WorkOrderEvent::VehicleReceived { reception } = e {
                    reception.advisor = format!("SA-{:04}", i % 5_000).parse().unwrap();
                }
            }
            let mut t = follow_up.clone();
            if i % 7 == 0 {
                t = task(&events, i);
            }
            t.no = format!("T-{i:05}").parse().unwrap();
            Journey {
                file: Vec::new(),
                orders: vec![OrderLog {
                    no: format!("WO-2026-{i:06}").parse().unwrap(),
                    events,
                    imported: false,
                }],
                tasks: vec![t],
                complaints: if i % 10 == 0 {
                    vec![complaint(i)]
                } else {
                    Vec::new()
                },
                handovers: vec![Handover {
                    order: format!("WO-2026-{i:06}").parse().unwrap(),
                    at: ts("2026-11-25T10:00:00+08:00"),
                }],
            }
        })
        .collect()
}

fn bench_audit(c: &mut Criterion) {
    let input = journeys();
    let policy = Policy::default();
    let at = ts("2026-12-05T09:00:00+08:00");
    let check = audit_all(&input, at, &policy).expect("the bench's instant is in range");
    assert!(
        !check.findings.is_empty(),
        "the bench has findings to report"
    );
    let mut group = c.benchmark_group("audit");
    group.throughput(Throughput::Elements((DISTINCT * ROUNDS) as u64));
    group.sample_size(10);
    group.bench_function("audit_all_100k", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..ROUNDS {
                n += audit_all(black_box(&input), at, &policy).map_or(0, |a| a.findings.len());
            }
            black_box(n)
        });
    });
    group.finish();
}

criterion_group!(benches, bench_audit);
criterion_main!(benches);
