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
    assert_eq!(refused, [RuleId::Wo10, RuleId::Wo11, RuleId::Wo17]);
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
    // The order itself is a read model: it serializes for display (and
    // does not load back; the events are what is stored).
    let shown = serde_json::to_value(&live).unwrap();
    assert_eq!(shown["no"], live.no().as_str());
    assert_eq!(shown["version"], log.len());
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

// ------------------------------------------------------------- EST-03

#[test]
fn the_delivery_states_each_parts_warranty_by_origin() {
    use aftersales::PartOrigin;
    let policy = support::policy();
    let (order, log) = support::order_after(support::steps().len());
    let stated = &order.delivery().unwrap().part_warranties;
    // Oil filter (item 1), front pads (item 2), rear discs (item 4): all
    // OEM; the declined wipers (item 5) are not fitted.
    let items: Vec<ItemNo> = stated.iter().map(|w| w.item).collect();
    assert_eq!(items, [ItemNo(1), ItemNo(2), ItemNo(4)]);
    for w in stated {
        assert_eq!(w.origin, PartOrigin::Oem);
        assert_eq!(w.months, 12);
        assert_eq!(w.from, Some("2026-11-24".parse().unwrap()));
        assert_eq!(w.until, Some("2027-11-24".parse().unwrap()));
        // Both sides of the warranty's end, and of its start.
        assert!(w.covers("2027-11-24".parse().unwrap()));
        assert!(!w.covers("2027-11-25".parse().unwrap()));
        assert!(w.covers("2026-11-24".parse().unwrap()));
        assert!(!w.covers("2026-11-23".parse().unwrap()));
    }
    assert_eq!(order.part_warranties(&policy), *stated);
    // The event carries what was stated.
    assert!(matches!(
        log.last(),
        Some(WorkOrderEvent::VehicleDelivered { part_warranties, .. }) if part_warranties == stated
    ));
    assert_eq!(
        stated[2].to_string(),
        "#4 8W0615601C rear brake disc pair: 原厂件，保修12个月，2026-11-24至2027-11-24 / OEM, 12 months warranty, 2026-11-24 to 2027-11-24"
    );
    // Before delivery the months are known, the dates not yet.
    let (before, _) = support::order_after(support::step_index("Delivered at the car"));
    let pending = before.part_warranties(&policy);
    assert_eq!(pending.len(), 3);
    assert!(
        pending
            .iter()
            .all(|w| w.from.is_none() && w.until.is_none())
    );
    assert!(!pending[0].covers("2026-11-25".parse().unwrap()));
}

#[test]
fn part_warranty_months_follow_the_origin_and_the_month_end() {
    use aftersales::{PartNo, PartOrigin, PartWarranty, PartWarrantyMonths};
    let months = PartWarrantyMonths {
        oem: 24,
        quality_aftermarket: 12,
        other_aftermarket: 6,
        reconditioned: 3,
    };
    let on = |origin, from: &str| {
        PartWarranty::new(
            ItemNo(1),
            PartNo::try_new("P-1").unwrap(),
            "part",
            origin,
            months.for_origin(origin),
            Some(from.parse().unwrap()),
        )
    };
    let cases = [
        (PartOrigin::Oem, "2028-03-15", "原厂件，保修24个月"),
        (
            PartOrigin::QualityAftermarket,
            "2027-03-15",
            "品牌副厂件，保修12个月",
        ),
        (
            PartOrigin::OtherAftermarket,
            "2026-09-15",
            "副厂件，保修6个月",
        ),
        (PartOrigin::Reconditioned, "2026-06-15", "修复件，保修3个月"),
    ];
    for (origin, until, zh) in cases {
        let w = on(origin, "2026-03-15");
        let until: chrono::NaiveDate = until.parse().unwrap();
        assert_eq!(w.until, Some(until), "{origin:?}");
        assert!(w.covers(until));
        assert!(!w.covers(until.succ_opt().unwrap()));
        assert!(w.label_zh().starts_with(zh), "{}", w.label_zh());
        assert!(
            w.label_en().starts_with(origin.label_en()),
            "{}",
            w.label_en()
        );
    }
    // A month without the day ends on its last day (民法典 Art. 202).
    let w = on(PartOrigin::Reconditioned, "2026-11-30");
    assert_eq!(w.until, Some("2027-02-28".parse().unwrap()));
    assert!(w.covers("2027-02-28".parse().unwrap()));
    assert!(!w.covers("2027-03-01".parse().unwrap()));
}

#[test]
fn events_stored_before_issue_14_still_load() {
    // The story's log as an earlier version stored it: add-on batches
    // without their inspection, quality checks without the five steps,
    // deliveries without part warranties, a courtesy car `fuelled`.
    let (live, log) = support::order_after(support::steps().len());
    let mut json = serde_json::to_value(&log).unwrap();
    for event in json.as_array_mut().unwrap() {
        let object = event.as_object_mut().unwrap();
        object.remove("found_at");
        object.remove("steps");
        object.remove("part_warranties");
    }
    let old: Vec<WorkOrderEvent> = serde_json::from_value(json).unwrap();
    let order = WorkOrder::replay(live.no().clone(), &old);
    assert_eq!(order.add_on_batches()[0].found_at, None);
    assert!(order.quality_checks().iter().all(|q| q.steps.is_none()));
    let delivery = order.delivery().unwrap();
    assert!(delivery.part_warranties.is_empty());
    // Its warranties come from the policy, from the delivery date.
    assert_eq!(
        order.part_warranties(&support::policy()),
        live.delivery().unwrap().part_warranties
    );
    let car: aftersales::CourtesyCarChecklist =
        serde_json::from_str(r#"{"fuelled":"done","clean":"done","ready":"done"}"#).unwrap();
    assert_eq!(car.enough_fuel, aftersales::Check::Done);
}
