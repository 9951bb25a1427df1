//! Rechecking stored logs against the guards: every event of the story
//! goes back to its command and through `decide` unchanged, and logs
//! imported without the guards show each refused event with its rule and
//! position.

use std::collections::BTreeSet;

use aftersales::{
    CancellationTerms, Check, CheckOutcome, CourtesyCarChecklist, FollowUpOutcome, GuardBreach,
    ItemNo, RuleId, StaffId, WorkOrder, WorkOrderCommand, WorkOrderEvent, WorkOrderNo, recheck,
};
use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;
use serde_json::json;

use crate::support::{order_after, policy, step_index, steps, story};

type At = DateTime<FixedOffset>;
type C = WorkOrderCommand;
type E = WorkOrderEvent;

// ---------------------------------------------------------------- helpers

fn t(hour: u32, minute: u32) -> At {
    story::at(hour, minute).unwrap()
}

fn no() -> WorkOrderNo {
    story::order_no().unwrap()
}

fn staff(id: &str) -> StaffId {
    StaffId::try_new(id).unwrap()
}

/// The whole story's event log.
fn story_log() -> Vec<WorkOrderEvent> {
    order_after(steps().len()).1
}

/// The story's log up to (not including) the step titled like `needle`.
fn log_before(needle: &str) -> (WorkOrder, Vec<WorkOrderEvent>) {
    order_after(step_index(needle))
}

/// `(index, rule)` of each breach.
fn found(breaches: &[GuardBreach]) -> Vec<(usize, Option<RuleId>)> {
    breaches.iter().map(|b| (b.index, b.rule)).collect()
}

/// The position of the first event satisfying `pred`.
fn position(log: &[WorkOrderEvent], pred: impl Fn(&WorkOrderEvent) -> bool) -> usize {
    log.iter().position(pred).expect("the event is in the log")
}

/// Checks that every event with a command, decided on the log before it,
/// gives back exactly the event and the risks logged after it.
fn assert_round_trips(log: &[WorkOrderEvent]) -> BTreeSet<&'static str> {
    let policy = policy();
    let mut kinds = BTreeSet::new();
    let mut i = 0;
    while i < log.len() {
        let event = &log[i];
        let group_end = log[i + 1..]
            .iter()
            .position(|e| !matches!(e, E::RiskRecorded { .. }))
            .map_or(log.len(), |n| i + 1 + n);
        let Some(command) = event.to_command() else {
            assert!(
                matches!(event, E::RiskRecorded { .. }),
                "only a risk has no command: {event:?}"
            );
            i += 1;
            continue;
        };
        assert_eq!(command.at(), event.at(), "{}", event.name());
        let before = WorkOrder::replay(no(), &log[..i]);
        let decided = before
            .decide(&command, &policy)
            .unwrap_or_else(|e| panic!("event {i} `{}` is refused: {e}", event.name()));
        assert_eq!(decided.first(), Some(event), "event {i}");
        assert_eq!(decided, log[i..group_end], "the group of event {i}");
        kinds.insert(event.name());
        i = group_end;
    }
    kinds
}

// ------------------------------------------------------------- valid logs

#[test]
fn the_story_log_has_no_breach() {
    let log = story_log();
    assert!(log.len() > 30);
    assert_eq!(recheck(&no(), &log, &policy()), vec![]);
}

#[test]
fn every_event_of_the_story_comes_back_from_its_command() {
    let log = story_log();
    let kinds = assert_round_trips(&log);
    let in_log: BTreeSet<&str> = log
        .iter()
        .filter(|e| !matches!(e, E::RiskRecorded { .. }))
        .map(WorkOrderEvent::name)
        .collect();
    assert_eq!(kinds, in_log);
    assert!(kinds.len() >= 20, "{kinds:?}");
    assert!(
        log.iter().any(|e| matches!(e, E::RiskRecorded { .. })),
        "the story logs a risk, so grouping is exercised"
    );
}

#[test]
fn a_risk_has_no_command() {
    let log = story_log();
    let risk = log
        .iter()
        .find(|e| matches!(e, E::RiskRecorded { .. }))
        .unwrap();
    assert_eq!(risk.to_command(), None);
}

#[test]
fn the_events_the_story_lacks_come_back_from_their_commands_too() {
    let policy = policy();
    let tech = staff("T-12 张师傅");

    // During repair: a courtesy car, a part delay past the promise (with its
    // WO-30 risk), a revised promise.
    let (mut order, mut log) = log_before("Item 1 done and signed");
    for command in [
        C::HandOverCourtesyCar {
            at: t(12, 0),
            checklist: CourtesyCarChecklist {
                enough_fuel: Check::Done,
                clean: Check::Done,
                ready: Check::Done,
            },
        },
        C::ReportPartDelay {
            at: t(12, 10),
            item: ItemNo(2),
            line: 1,
            expected_arrival: t(18, 0),
        },
        C::RevisePromise {
            at: t(12, 15),
            new_promise: t(19, 0),
            reason: "brake pads arrive at 18:00".into(),
        },
    ] {
        log.extend(order.execute(command, &policy).unwrap());
    }
    let kinds = assert_round_trips(&log);
    for kind in [
        "courtesy_car_handed_over",
        "part_delayed",
        "promise_revised",
    ] {
        assert!(kinds.contains(kind), "{kind}");
    }
    assert!(
        log.iter()
            .any(|e| matches!(e, E::RiskRecorded { risk } if risk.rule == RuleId::Wo30))
    );

    // After delivery: the close.
    let (mut order, mut log) = order_after(steps().len());
    log.extend(
        order
            .execute(
                C::Close {
                    at: t(20, 0),
                    outcome: FollowUpOutcome::Completed,
                },
                &policy,
            )
            .unwrap(),
    );
    assert!(assert_round_trips(&log).contains("order_closed"));

    // Before dispatch: a free cancellation.
    let (mut order, mut log) = log_before("Dispatched to");
    log.extend(
        order
            .execute(
                C::Cancel {
                    at: t(9, 58),
                    reason: "customer changed their mind".into(),
                    terms: CancellationTerms::Free,
                },
                &policy,
            )
            .unwrap(),
    );
    assert!(assert_round_trips(&log).contains("order_cancelled"));
    assert_eq!(recheck(&no(), &log, &policy), vec![]);

    // A failed self-check sends items back.
    let (mut order, mut log) = log_before("Self-check passed");
    log.extend(
        order
            .execute(
                C::RecordSelfCheck {
                    at: t(14, 55),
                    technician: tech,
                    outcome: CheckOutcome::Fail {
                        rework: vec![ItemNo(4)],
                        reason: "disc runout".into(),
                    },
                    steps: None,
                },
                &policy,
            )
            .unwrap(),
    );
    assert!(assert_round_trips(&log).contains("self_check_recorded"));
}

// ---------------------------------------------------------- imported logs

#[test]
fn a_dispatch_before_the_signature_is_found() {
    let mut log = story_log();
    let signed = position(&log, |e| matches!(e, E::OrderAuthorized { .. }));
    log.remove(signed);
    let dispatched = position(&log, |e| matches!(e, E::OrderDispatched { .. }));
    assert_eq!(dispatched, signed, "the dispatch now follows the estimate");

    let breaches = recheck(&no(), &log, &policy());
    let first = &breaches[0];
    assert_eq!(first.index, dispatched);
    assert_eq!(first.event, "order_dispatched");
    assert_eq!(first.rule, Some(RuleId::Wo10));
    assert_eq!(first.at, Some(log[dispatched].at()));
    assert!(first.message.contains("not authorized by the customer"));
    // The walk goes on: the items started without a signature are refused
    // as well (WO-11: not authorized).
    let started: Vec<usize> = log
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, E::ItemStarted { .. }))
        .map(|(i, _)| i)
        .collect();
    for i in &started[..3] {
        assert!(
            breaches
                .iter()
                .any(|b| b.index == *i && b.rule == Some(RuleId::Wo11)),
            "item start at {i}: {breaches:#?}"
        );
    }
}

/// The story's log with an `ItemStarted` for add-on item 4 logged right
/// after the add-ons were proposed, before the customer answered.
fn log_with_early_add_on_start() -> (Vec<WorkOrderEvent>, usize) {
    let mut log = story_log();
    let proposed = position(&log, |e| matches!(e, E::AddOnsProposed { .. }));
    let early = proposed + 1;
    log.insert(
        early,
        E::ItemStarted {
            at: t(11, 12),
            item: ItemNo(4),
            technician: staff("T-12 张师傅"),
        },
    );
    (log, early)
}

#[test]
fn an_add_on_started_before_it_was_authorized_is_found() {
    let (log, early) = log_with_early_add_on_start();
    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(found(&breaches), vec![(early, Some(RuleId::Wo11))]);
    assert_eq!(breaches[0].event, "item_started");
    assert_eq!(
        breaches[0].message,
        "work order `WO-2026-1124-017` cannot start work on an item: item #4 `rear brake discs below minimum thickness` is not authorized by the customer (WO-11)"
    );
}

/// The story's log as a system without the WO-12 guard would store it: of
/// the two add-ons found on the lift at 11:05, only the discs go to the
/// customer at 11:10; once that call is answered, the wipers follow in a
/// second call at 11:21 and are declined. Returns the log and the index of
/// the second batch.
fn log_with_withheld_add_on() -> (Vec<WorkOrderEvent>, usize) {
    let mut log = story_log();
    let proposed = position(&log, |e| matches!(e, E::AddOnsProposed { .. }));
    let E::AddOnsProposed {
        at,
        batch,
        found_by,
        found_at,
        mut items,
    } = log[proposed].clone()
    else {
        unreachable!()
    };
    let wipers = items.split_off(1);
    log[proposed] = E::AddOnsProposed {
        at,
        batch,
        found_by: found_by.clone(),
        found_at,
        items,
    };
    let answered = position(&log, |e| matches!(e, E::AddOnsAnswered { .. }));
    let E::AddOnsAnswered {
        batch,
        authorization,
        choices,
        mut declined,
        deferred,
    } = log[answered].clone()
    else {
        unreachable!()
    };
    declined.clear();
    log[answered] = E::AddOnsAnswered {
        batch,
        authorization: authorization.clone(),
        choices,
        declined,
        deferred: deferred.clone(),
    };
    let second = answered + 1;
    log.insert(
        second,
        E::AddOnsProposed {
            at: t(11, 21),
            batch: 2,
            found_by,
            found_at,
            items: wipers.clone(),
        },
    );
    let mut declining = authorization;
    declining.no.0 += 1;
    declining.at = t(11, 22);
    declining.items.clear();
    declining.amount = "0 CNY".parse().unwrap();
    log.insert(
        second + 1,
        E::AddOnsAnswered {
            batch: 2,
            authorization: declining,
            choices: vec![],
            declined: wipers.iter().map(|i| i.no).collect(),
            deferred,
        },
    );
    (log, second)
}

#[test]
fn add_ons_of_one_inspection_presented_in_two_calls_are_found() {
    let (log, second) = log_with_withheld_add_on();
    // The log replays: the wipers were declined in the second call.
    let order = WorkOrder::replay(no(), &log);
    assert_eq!(order.add_on_batches().len(), 2);
    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(found(&breaches), vec![(second, Some(RuleId::Wo12))]);
    assert_eq!(breaches[0].event, "add_ons_proposed");
    assert!(
        breaches[0]
            .message
            .contains("batch 1 at `2026-11-24 11:10:00 +08:00` already presented findings of the inspection by `T-12 张师傅` at `2026-11-24 11:05:00 +08:00`"),
        "{}",
        breaches[0].message
    );
    // Without the inspection recorded (an event stored before it was
    // kept), each batch is an inspection of its own: nothing is found.
    let mut old = log.clone();
    for e in &mut old {
        if let E::AddOnsProposed { found_at, .. } = e {
            *found_at = None;
        }
    }
    assert_eq!(recheck(&no(), &old, &policy()), vec![]);
}

/// The story's log without the passing final check.
fn log_without_final_pass() -> Vec<WorkOrderEvent> {
    let mut log = story_log();
    let pass = position(&log, |e| {
        matches!(
            e,
            E::FinalCheckRecorded {
                outcome: CheckOutcome::Pass,
                ..
            }
        )
    });
    log.remove(pass);
    log
}

#[test]
fn a_delivery_without_a_passed_final_check_is_found() {
    let log = log_without_final_pass();
    let delivered = position(&log, |e| matches!(e, E::VehicleDelivered { .. }));
    let prepared = position(&log, |e| matches!(e, E::DeliveryPrepared { .. }));
    let settled = position(&log, |e| matches!(e, E::OrderSettled { .. }));

    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(
        found(&breaches),
        vec![
            (prepared, Some(RuleId::Wo17)),
            (settled, Some(RuleId::Wo17)),
            (delivered, Some(RuleId::Wo17)),
        ]
    );
    let last = breaches.last().unwrap();
    assert_eq!(last.event, "vehicle_delivered");
    assert!(
        last.message
            .contains("delivery follows the passed final check")
    );
}

/// A cancellation and a close logged after the delivery.
fn cancelled_after_delivery(log: &mut Vec<WorkOrderEvent>) -> (usize, usize) {
    let cancelled = log.len();
    log.push(E::OrderCancelled {
        at: t(18, 0),
        reason: "imported".into(),
        stage: aftersales::Stage::Delivered,
        terms: CancellationTerms::Free,
    });
    log.push(E::OrderClosed {
        at: t(19, 0),
        outcome: FollowUpOutcome::Completed,
    });
    (cancelled, cancelled + 1)
}

#[test]
fn a_cancellation_after_delivery_is_found_and_so_is_what_follows() {
    let mut log = story_log();
    let (cancelled, closed) = cancelled_after_delivery(&mut log);
    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(
        found(&breaches),
        vec![
            (cancelled, Some(RuleId::Wo28)),
            (closed, Some(RuleId::Wo28))
        ]
    );
    assert!(
        breaches[0]
            .message
            .contains("a delivered order is never cancelled")
    );
    assert!(breaches[1].message.contains("the order is cancelled"));
    assert_eq!(breaches[1].event, "order_closed");
}

#[test]
fn one_log_with_every_breach_shows_them_all_in_order() {
    // The early add-on start, then no passing final check, then the
    // cancellation after delivery: the first breach hides none of the rest.
    let (mut log, early) = log_with_early_add_on_start();
    let pass = position(&log, |e| {
        matches!(
            e,
            E::FinalCheckRecorded {
                outcome: CheckOutcome::Pass,
                ..
            }
        )
    });
    log.remove(pass);
    let delivered = position(&log, |e| matches!(e, E::VehicleDelivered { .. }));
    let (cancelled, closed) = cancelled_after_delivery(&mut log);

    let breaches = recheck(&no(), &log, &policy());
    let found = found(&breaches);
    assert_eq!(found.first(), Some(&(early, Some(RuleId::Wo11))));
    assert!(found.contains(&(delivered, Some(RuleId::Wo17))));
    assert!(found.ends_with(&[
        (cancelled, Some(RuleId::Wo28)),
        (closed, Some(RuleId::Wo28))
    ]));
    assert_eq!(found.len(), 6, "{breaches:#?}");
    assert!(found.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn an_event_dated_before_the_previous_one_is_reported_without_a_rule() {
    let mut log = story_log();
    let dispatched = position(&log, |e| matches!(e, E::OrderDispatched { .. }));
    if let E::OrderDispatched { at, .. } = &mut log[dispatched] {
        *at = t(9, 0);
    }
    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(found(&breaches), vec![(dispatched, None)]);
    assert!(
        breaches[0].message.contains("invalid `at`"),
        "{}",
        breaches[0].message
    );
}

#[test]
fn a_log_without_a_reception_is_refused_from_its_first_event() {
    let log = story_log();
    let received = position(&log, |e| matches!(e, E::VehicleReceived { .. }));
    let without: Vec<WorkOrderEvent> = log
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != received)
        .map(|(_, e)| e.clone())
        .collect();
    let breaches = recheck(&no(), &without, &policy());
    // The reception's risk is left and is not checked; the road test after
    // it is the first refusal.
    assert!(matches!(without[received], E::RiskRecorded { .. }));
    let road_test = position(&without, |e| matches!(e, E::RoadTestRecorded { .. }));
    assert_eq!(breaches[0].index, road_test);
    assert_eq!(breaches[0].event, "road_test_recorded");
    assert_eq!(breaches[0].rule, Some(RuleId::Wo05));
}

#[test]
fn a_breach_serializes_to_json() {
    let (log, early) = log_with_early_add_on_start();
    let breaches = recheck(&no(), &log, &policy());
    let value = serde_json::to_value(&breaches[0]).unwrap();
    assert_eq!(
        value,
        json!({
            "index": early,
            "event": "item_started",
            "at": "2026-11-24T11:12:00+08:00",
            "rule": "WO-11",
            "message": breaches[0].message,
        })
    );
}

#[test]
fn an_empty_log_has_no_breach() {
    assert_eq!(recheck(&no(), &[], &policy()), vec![]);
}

// ------------------------------------------------------------- properties

/// The story's log cut, shuffled and repeated: index lists into it.
fn mangled_log() -> impl Strategy<Value = Vec<WorkOrderEvent>> {
    let log = story_log();
    let n = log.len();
    prop_oneof![
        // Any picks, in any order, with repeats.
        prop::collection::vec(0..n, 0..n * 2),
        // A shuffle of the whole log.
        Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        // A subsequence, in order.
        prop::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n),
    ]
    .prop_map(move |picks| picks.into_iter().map(|i| log[i].clone()).collect())
}

proptest! {
    #![proptest_config(crate::support::cases(128))]

    #[test]
    fn any_mangled_log_rechecks_without_panicking(log in mangled_log()) {
        let breaches = recheck(&no(), &log, &policy());
        prop_assert!(breaches.len() <= log.len());
        prop_assert!(breaches.windows(2).all(|w| w[0].index < w[1].index));
        for b in &breaches {
            let event = &log[b.index];
            prop_assert_eq!(b.event, event.name());
            prop_assert_eq!(b.at, Some(event.at()));
            let is_risk = matches!(event, E::RiskRecorded { .. });
            prop_assert!(!is_risk, "a risk is never checked");
        }
    }

    #[test]
    fn the_story_log_rechecks_clean_under_any_order_number(suffix in 0u32..10_000) {
        let no = WorkOrderNo::try_new(format!("WO-{suffix}")).unwrap();
        prop_assert_eq!(recheck(&no, &story_log(), &policy()), vec![]);
    }
}
