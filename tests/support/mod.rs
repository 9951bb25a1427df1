//! Shared fixtures: the story of `examples/repair_lifecycle.rs`, included
//! as a module so the tests and the example tell the same repair.

#![allow(dead_code)]

pub mod dates;

/// The compliance-audit example, whose module `story` is the repair
/// story of `examples/repair_lifecycle.rs`.
#[path = "../../examples/compliance_audit.rs"]
pub mod month;

pub use month::story;

use aftersales::{Policy, WorkOrder, WorkOrderCommand, WorkOrderEvent};
pub use story::{Expect, Step, policy};

/// The story's steps.
pub fn steps() -> Vec<Step> {
    story::steps().expect("the story builds")
}

/// The story's order after the first `n` steps (refused steps are skipped),
/// with the events recorded so far.
pub fn order_after(n: usize) -> (WorkOrder, Vec<WorkOrderEvent>) {
    let policy = policy();
    let mut order = WorkOrder::new(story::order_no().unwrap());
    let mut log = Vec::new();
    for step in steps().into_iter().take(n) {
        if step.expect == Expect::Accepted {
            log.extend(order.execute(step.command, &policy).expect(step.title));
        }
    }
    (order, log)
}

/// The index of the first step whose title contains `needle`.
pub fn step_index(needle: &str) -> usize {
    steps()
        .iter()
        .position(|s| s.title.contains(needle))
        .unwrap_or_else(|| panic!("no step titled like `{needle}`"))
}

/// The story's order just before the step titled like `needle`, and that
/// step's command.
pub fn before(needle: &str) -> (WorkOrder, WorkOrderCommand) {
    let i = step_index(needle);
    let (order, _) = order_after(i);
    (order, steps().swap_remove(i).command)
}

/// Executes and expects a refusal; returns the error.
pub fn refuse(
    order: &WorkOrder,
    command: WorkOrderCommand,
    policy: &Policy,
) -> aftersales::WorkOrderError {
    order
        .decide(&command, policy)
        .expect_err("the command should be refused")
}

/// The proptest configuration of a block whose usual case count is
/// `usual`: `PROPTEST_CASES`, when set, decides instead, so CI and a
/// developer can run every block longer or shorter from one variable.
pub fn cases(usual: u32) -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usual);
    proptest::test_runner::Config::with_cases(cases)
}
