//! Benchmarks of the work-order aggregate, on the repair story of
//! `examples/repair_lifecycle.rs`:
//!
//! - `decide_apply_one_command/<Action>`: one command, decided and applied
//!   on a clone of the order as it stood just before that step of the story
//!   (the clone is made in the setup and not timed). Target: < 1 µs.
//! - `decide_one_command/<Action>`: the same commands, decided only.
//! - `replay_40_events`: rebuilding an order from a 40-event log.
//!   Target: < 10 µs.
//! - `estimate_totals_30_lines`: [`Totals::of`] on a 30-line estimate, and
//!   `order_totals_delivered` ([`WorkOrder::totals`]) on the delivered
//!   order of the story.
//!
//! Run with `cargo bench --bench work_order`.

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
    AuthorityRole, Checkpoint, Discount, EstimateLine, ItemNo, Money, PartAvailability, PartNo,
    PartOrigin, Policy, Safety, StaffId, Totals, WorkOrder, WorkOrderCommand, WorkOrderEvent,
    WorkOrderNo,
};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

#[allow(dead_code)] // the bench uses only part of the story
#[path = "../examples/repair_lifecycle.rs"]
mod story;

use story::{Expect, Step};

/// The commands timed one by one: the first accepted occurrence of each.
const TIMED: &[&str] = &[
    "ReceiveVehicle",
    "ProposeItem",
    "AuthorizeOrder",
    "Dispatch",
    "StartItem",
    "ProposeAddOns",
    "CompleteItem",
    "RecordFinalCheck",
    "Settle",
    "Deliver",
];

/// The story, run once.
struct Story {
    policy: Policy,
    no: WorkOrderNo,
    /// For every accepted step: its action name, the order just before it
    /// and its command.
    before: Vec<(String, WorkOrder, WorkOrderCommand)>,
    /// Every event the story produced, in order.
    log: Vec<WorkOrderEvent>,
    /// The order after the last step (delivered).
    delivered: WorkOrder,
}

/// Extra commands slipped into the story after the step titled
/// `Midway progress check`, one event each, so the log has exactly 40
/// events (the story alone yields 37).
fn extra_steps() -> Vec<Step> {
    let accept = |title, command| Step {
        title,
        command,
        expect: Expect::Accepted,
    };
    vec![
        accept(
            "The rear disc pair is late, still due before the promise",
            WorkOrderCommand::ReportPartDelay {
                at: story::at(13, 52).expect("time"),
                item: ItemNo(4),
                line: 1,
                expected_arrival: story::at(14, 20).expect("time"),
            },
        ),
        accept(
            "A worn wiper linkage bush is noted but not fixed",
            WorkOrderCommand::RecordUncorrectedProblem {
                at: story::at(13, 54).expect("time"),
                description: "front wiper linkage bush worn".into(),
                safety: Safety::NotSafetyRelated,
            },
        ),
        accept(
            "Last progress check before completion",
            WorkOrderCommand::RecordProgressCheck {
                at: story::at(13, 55).expect("time"),
                checkpoint: Checkpoint::BeforeCompletion,
            },
        ),
    ]
}

fn run_story() -> Story {
    let policy = story::policy();
    let no = story::order_no().expect("order number");
    let mut order = WorkOrder::new(no.clone());
    let mut before = Vec::new();
    let mut log = Vec::new();
    let mut steps = Vec::new();
    for step in story::steps().expect("story") {
        let insert_extras = step.title == "Midway progress check";
        steps.push(step);
        if insert_extras {
            steps.extend(extra_steps());
        }
    }
    for step in steps {
        let name = format!("{:?}", step.command.action());
        let snapshot = order.clone();
        match (order.execute(step.command.clone(), &policy), step.expect) {
            (Ok(events), Expect::Accepted) => {
                before.push((name, snapshot, step.command));
                log.extend(events);
            }
            (Err(err), Expect::Rejected(rule)) if err.rule() == Some(rule) => {}
            (result, expect) => {
                panic!("step `{}`: expected {expect:?}, got {result:?}", step.title)
            }
        }
    }
    Story {
        policy,
        no,
        before,
        log,
        delivered: order,
    }
}

fn timed_commands(story: &Story) -> Vec<(&str, &WorkOrder, &WorkOrderCommand)> {
    TIMED
        .iter()
        .map(|wanted| {
            let (name, order, command) = story
                .before
                .iter()
                .find(|(name, _, _)| name == wanted)
                .unwrap_or_else(|| panic!("no accepted `{wanted}` in the story"));
            (name.as_str(), order, command)
        })
        .collect()
}

fn bench_commands(c: &mut Criterion) {
    let story = run_story();
    let policy = &story.policy;
    let commands = timed_commands(&story);

    let mut group = c.benchmark_group("decide_apply_one_command");
    for (name, order, command) in &commands {
        group.bench_function(*name, |b| {
            // `iter_batched_ref`: the clones are made in the setup and
            // dropped after the timing, and the (large) order is not moved
            // in and out of the routine; the command is moved out of its
            // `Option`, as `execute` takes it by value.
            b.iter_batched_ref(
                || ((*order).clone(), Some((*command).clone())),
                |(o, cmd)| o.execute(cmd.take().expect("command"), black_box(policy)),
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();

    let mut group = c.benchmark_group("decide_one_command");
    for (name, order, command) in &commands {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(*order).decide(black_box(*command), black_box(policy)));
        });
    }
    group.finish();
}

fn bench_replay(c: &mut Criterion) {
    let story = run_story();
    // 40 events: 37 from the story's 36 accepted commands (one event each,
    // and the reception also records the WO-04 risk of the missing
    // wheel-lock key) plus 3 from `extra_steps` (part delay, uncorrected
    // problem, progress check).
    assert_eq!(story.log.len(), 40, "the replayed log must have 40 events");
    let replayed = WorkOrder::replay(story.no.clone(), &story.log);
    assert_eq!(replayed, story.delivered, "replay must rebuild the order");
    c.bench_function("replay_40_events", |b| {
        b.iter(|| WorkOrder::replay(black_box(&story.no).clone(), black_box(&story.log)));
    });
}

fn cny(s: &str) -> Money {
    format!("{s} CNY").parse().expect("money")
}

/// A 30-line estimate: 10 labour, 10 parts (fractional quantities
/// included), 6 materials, 4 sublet; 8 lines carry a discount.
fn thirty_lines() -> Vec<EstimateLine> {
    let sa = StaffId::try_new("SA-07").expect("staff");
    let discount = |amount: &str, role| Discount {
        amount: cny(amount),
        granted_by: sa.clone(),
        role,
    };
    let mut lines = Vec::with_capacity(30);
    for i in 0..10u32 {
        let hours = format!("{}.{}", 1 + i % 3, (i * 3) % 10);
        let line = EstimateLine::labour(
            format!("operation {i}"),
            hours.parse().expect("hours"),
            cny("360"),
        );
        lines.push(if i % 4 == 0 {
            line.with_discount(discount("36", AuthorityRole::FrontLine))
        } else {
            line
        });
    }
    let quantities = ["1", "2", "2.5", "4", "0.75", "1", "3", "1.5", "2", "6"];
    for (i, qty) in quantities.iter().enumerate() {
        let line = EstimateLine::part(
            PartNo::try_new(format!("8W0{i:03}601C")).expect("part no"),
            format!("part {i}"),
            qty.parse().expect("quantity"),
            cny(&format!("{}.90", 45 + i * 37)),
            if i % 3 == 0 {
                PartOrigin::QualityAftermarket
            } else {
                PartOrigin::Oem
            },
            PartAvailability::InStock,
        );
        lines.push(if i % 3 == 1 {
            line.with_discount(discount("120", AuthorityRole::Supervisor))
        } else {
            line
        });
    }
    let materials = ["4.5", "0.3", "1", "2.25", "0.5", "12"];
    for (i, qty) in materials.iter().enumerate() {
        lines.push(EstimateLine::material(
            format!("material {i}"),
            qty.parse().expect("quantity"),
            cny(&format!("{}.50", 8 + i * 11)),
        ));
    }
    for i in 0..4 {
        let line = EstimateLine::sublet(
            format!("sublet {i}"),
            "Glass & Trim Co.",
            cny(&format!("{}", 300 + i * 250)),
        );
        lines.push(if i == 2 {
            line.with_discount(discount("50", AuthorityRole::FrontLine))
        } else {
            line
        });
    }
    assert_eq!(lines.len(), 30);
    lines
}

fn bench_totals(c: &mut Criterion) {
    let story = run_story();
    let estimate = story.policy.estimate();
    let lines = thirty_lines();
    Totals::of(&lines, estimate).expect("totals of 30 lines");
    c.bench_function("estimate_totals_30_lines", |b| {
        b.iter(|| Totals::of(black_box(&lines), black_box(estimate)));
    });
    story.delivered.totals(estimate).expect("order totals");
    c.bench_function("order_totals_delivered", |b| {
        b.iter(|| black_box(&story.delivered).totals(black_box(estimate)));
    });
}

criterion_group!(benches, bench_commands, bench_replay, bench_totals);
criterion_main!(benches);
