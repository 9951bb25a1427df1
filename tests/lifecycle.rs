//! The story of `examples/repair_lifecycle.rs` end to end: every step does
//! what it says, the refused steps name their rules, the stored log replays
//! to the live order, and the printed transcript is pinned.

use aftersales::{
    DueKind, DueStatus, ItemNo, ItemStatus, Policy, RuleId, Stage, WorkOrder, WorkOrderEvent,
};
use chrono::DateTime;

use crate::support::{self, Expect};

#[test]
fn every_step_does_what_the_story_says() {
    let policy = support::policy();
    let mut order = WorkOrder::new(support::story::order_no().unwrap());
    let mut refused = Vec::new();
    for step in support::steps() {
        let before = order.clone();
        match (order.execute(step.command, &policy), step.expect) {
            (Ok(events), Expect::Accepted) => assert!(!events.is_empty(), "{}", step.title),
            (Err(err), Expect::Rejected(rule)) => {
                assert_eq!(err.rule(), Some(rule), "{}: {err}", step.title);
                assert_eq!(order, before, "a refused command changes nothing");
                refused.push(rule);
            }
            (result, expect) => panic!("{}: expected {expect:?}, got {result:?}", step.title),
        }
    }
    assert_eq!(refused, [RuleId::Wo10, RuleId::Wo11]);
    assert_eq!(order.stage(), Stage::Delivered);
}

#[test]
fn the_delivered_order_has_the_expected_records() {
    let policy = support::policy();
    let (order, _) = support::order_after(support::steps().len());
    let totals = order.totals(policy.estimate()).unwrap();

    // Three original items and one add-on were authorized and completed;
    // the wipers were declined and are excluded (WO-29).
    assert!(matches!(
        order.item(ItemNo(5)).unwrap().status,
        ItemStatus::Declined { .. }
    ));
    for no in 1..=4 {
        assert!(matches!(
            order.item(ItemNo(no)).unwrap().status,
            ItemStatus::Completed { .. }
        ));
    }
    assert_eq!(totals.authorized, totals.completed);
    assert_eq!(totals.authorized.gross.to_string(), "4044.27 CNY");
    assert_eq!(totals.declined.gross.to_string(), "135.60 CNY");

    // The option chosen for the gearbox took its lines (EST-04).
    let gearbox = order.item(ItemNo(3)).unwrap();
    assert_eq!(gearbox.chosen_option, Some(0));
    assert_eq!(gearbox.lines, gearbox.options[0].lines);

    // EST-07: two authorizations, the add-on by phone before work on it.
    let auths = order.authorizations();
    assert_eq!(auths.len(), 2);
    assert_eq!(auths[1].items, [ItemNo(4)]);
    let started = match &order.item(ItemNo(4)).unwrap().status {
        ItemStatus::Completed { by, .. } => *by,
        other => panic!("{other:?}"),
    };
    assert_eq!(started, auths[1].no);

    // WO-17: one failed final check, counted once.
    assert_eq!(order.rework_count(), 1);
    // WO-04: the missing wheel-lock key is a risk, not a refusal.
    assert_eq!(order.risks().len(), 1);
    assert_eq!(order.risks()[0].rule, RuleId::Wo04);
    // Settlement equals the authorized amount (EST-06, WO-20).
    let settlement = order.settlement().unwrap();
    assert_eq!(settlement.invoice.total, totals.authorized.gross);
    assert!(settlement.overrun.is_zero());
}

#[test]
fn replaying_the_stored_log_rebuilds_the_live_order() {
    let (live, log) = support::order_after(support::steps().len());
    let replayed = WorkOrder::replay(live.no().clone(), &log);
    assert_eq!(replayed, live);
    // Every prefix too, so an order loaded mid-way is the same as the live one was.
    for n in 0..support::steps().len() {
        let (live, log) = support::order_after(n);
        assert_eq!(
            WorkOrder::replay(live.no().clone(), &log),
            live,
            "after {n} steps"
        );
    }
}

#[test]
fn the_event_log_serializes_and_replays() {
    let (live, log) = support::order_after(support::steps().len());
    let json = serde_json::to_string(&log).unwrap();
    let back: Vec<WorkOrderEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    assert_eq!(WorkOrder::replay(live.no().clone(), &back), live);
    let order_json = serde_json::to_string(&live).unwrap();
    assert_eq!(
        serde_json::from_str::<WorkOrder>(&order_json).unwrap(),
        live
    );
}

#[test]
fn follow_up_becomes_due_after_delivery() {
    let policy = support::policy();
    let (order, _) = support::order_after(support::steps().len());
    let check = |s: &str| {
        let now = DateTime::parse_from_rfc3339(s).unwrap();
        let due = order.due_checks(now, &policy);
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].kind, DueKind::FollowUpCall);
        assert_eq!(
            due[0].reasons.iter().map(|r| r.rule).collect::<Vec<_>>(),
            [RuleId::Wo23, RuleId::Fu01]
        );
        due[0].status
    };
    // Delivered 24 Nov; default window days 3-7: 27 Nov 00:00 to 1 Dec 23:59:59.
    assert_eq!(check("2026-11-26T23:59:59+08:00"), DueStatus::Upcoming);
    assert_eq!(check("2026-11-27T00:00:00+08:00"), DueStatus::Due);
    assert_eq!(check("2026-12-01T23:59:59+08:00"), DueStatus::Due);
    assert_eq!(check("2026-12-02T00:00:00+08:00"), DueStatus::Overdue);
}

#[test]
fn the_transcript_is_pinned() {
    let transcript = support::story::transcript().unwrap();
    insta::assert_snapshot!("repair_lifecycle_transcript", transcript);
}

#[test]
fn a_policy_loads_from_json_with_clear_errors() {
    let policy: Policy = serde_json::from_str(
        r#"{ "estimate": { "settlement_tolerance": { "percent": "10", "absolute": "10", "cap": "50" } } }"#,
    )
    .unwrap();
    assert_eq!(policy.estimate().settlement_tolerance.cap, Some(50.into()));
    assert_eq!(policy.work_order(), Policy::default().work_order());

    let err = serde_json::from_str::<Policy>(r#"{ "work_order": { "rework_threshold": 2 } }"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `rework_threshold`"), "{err}");

    let err = serde_json::from_str::<Policy>(r#"{ "estimate": { "vat_rate": "113" } }"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid percent `113`: must be between 0 and 100"),
        "{err}"
    );

    let err = serde_json::from_str::<Policy>(
        r#"{ "estimate": { "settlement_tolerance": { "absolute": "-5" } } }"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "`estimate.settlement_tolerance.absolute` is `-5`, must not be negative (EST-06)"
        ),
        "{err}"
    );
}

#[test]
fn every_rule_cited_by_the_story_is_in_the_catalog() {
    let transcript = support::story::transcript().unwrap();
    for info in aftersales::catalog() {
        assert_eq!(info.id.info().id, info.id);
    }
    for cited in ["WO-04", "WO-10", "WO-11", "WO-23", "FU-01"] {
        assert!(transcript.contains(cited), "{cited}");
        assert!(cited.parse::<RuleId>().is_ok());
    }
}

fn received_comeback(no: &str, of: Option<&str>) -> WorkOrder {
    use aftersales::{WorkOrderCommand, WorkOrderNo};
    let policy = support::policy();
    let step = support::steps().swap_remove(support::step_index("Reception"));
    let WorkOrderCommand::ReceiveVehicle(mut receive) = step.command else {
        panic!("reception step")
    };
    receive.comeback_of = of.map(|o| WorkOrderNo::try_new(o).unwrap());
    let mut order = WorkOrder::new(WorkOrderNo::try_new(no).unwrap());
    order
        .execute(WorkOrderCommand::ReceiveVehicle(receive), &policy)
        .unwrap();
    order
}

#[test]
fn comebacks_are_linked_and_counted_against_the_threshold() {
    let policy = support::policy();
    let first = received_comeback("WO-1", None);
    let vin = first.reception().unwrap().vehicle.vin.clone();
    let second = received_comeback("WO-2", Some("WO-1"));
    let third = received_comeback("WO-3", Some("WO-2"));

    let one = aftersales::reworks_for_vehicle([&first, &second], &vin, &policy);
    assert_eq!(one.comebacks.len(), 1);
    assert!(!one.important_customer, "threshold 2 not reached");

    let two = aftersales::reworks_for_vehicle([&first, &second, &third], &vin, &policy);
    assert_eq!(two.comebacks.len(), 2);
    assert!(two.important_customer);
    assert!(two.reasons.iter().all(|r| r.rule == RuleId::Wo24));

    let other: aftersales::Vin = "LSVAA4180E2123456".parse().unwrap();
    assert!(
        aftersales::reworks_for_vehicle([&second, &third], &other, &policy)
            .comebacks
            .is_empty()
    );
}

#[test]
fn queue_priority_is_the_highest_open_item() {
    use aftersales::Priority;
    let (order, _) = support::order_after(support::steps().len());
    // Items: maintenance (functional), brakes (safety), gearbox (functional),
    // rear discs (safety), wipers (comfort, declined).
    assert_eq!(order.priority(), Some(Priority::Safety));
    let (reception, _) = support::order_after(support::step_index("Item 1"));
    assert_eq!(reception.priority(), None);
}
