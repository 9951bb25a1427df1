//! Follow-up plans and windows (FU-01 … FU-04, FU-09, FU-10), on the
//! public API.

use aftersales::{
    Caller, ContactWindow, Delivery, DeliveryFact, DeliveryFacts, DeliveryKind, FollowUpPlan,
    PlanError, Policy, RatioSampler, Selection, Source, TaskKind, WorkOrder, plan_follow_up,
};
use chrono::{DateTime, FixedOffset};

use crate::support;

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn delivery(kind: DeliveryKind, delivered_at: &str, facts: DeliveryFacts) -> Delivery {
    Delivery {
        kind,
        order: Some("WO-2026-0100".parse().unwrap()),
        customer: Some("C-0100".parse().unwrap()),
        name: "Zhao Min".parse().unwrap(),
        phone: Some("13900000000".parse().unwrap()),
        staff: "SA-02".parse().unwrap(),
        delivered_at: at(delivered_at),
        facts,
    }
}

fn policy_with(source: Source) -> Policy {
    let fu = Policy::default()
        .follow_up()
        .clone()
        .with_after_sales_preset(source);
    Policy::default().with_follow_up(fu).unwrap()
}

fn plan(d: &Delivery, policy: &Policy) -> FollowUpPlan {
    plan_follow_up(d, &mut RatioSampler::default(), policy).unwrap()
}

/// The after-sales window of each source, for a delivery at 23:59: where
/// it opens, the last instant inside it, and where it closes.
#[test]
fn window_boundaries_for_each_preset_after_a_late_delivery() {
    let cases = [
        (
            Source::CrManual,
            "2026-03-05T00:00:00+08:00",
            "2026-03-10T00:00:00+08:00",
        ),
        (
            Source::ServiceCourse,
            "2026-03-05T00:00:00+08:00",
            "2026-03-10T00:00:00+08:00",
        ),
        (
            Source::CoreProcess,
            "2026-03-03T00:00:00+08:00",
            "2026-03-10T00:00:00+08:00",
        ),
        (
            Source::Textbook,
            "2026-03-03T00:00:00+08:00",
            "2026-03-06T00:00:00+08:00",
        ),
        (
            Source::TrainingCourse,
            "2026-03-03T23:59:00+08:00",
            "2026-03-04T23:59:00+08:00",
        ),
    ];
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T23:59:00+08:00",
        DeliveryFacts::EMPTY,
    );
    for (source, opens, closes) in cases {
        let p = plan(&d, &policy_with(source));
        let call = p.task(TaskKind::AfterSalesCall).unwrap();
        assert_eq!(call.window.opens_at, at(opens), "{source:?}");
        assert_eq!(call.window.closes_at, at(closes), "{source:?}");
        // The last instant of the last day is inside; the close is not.
        let last = call.window.closes_at - chrono::TimeDelta::seconds(1);
        assert!(call.window.contains(last), "{source:?}");
        assert!(!call.window.contains(call.window.closes_at), "{source:?}");
        assert!(
            !call
                .window
                .contains(call.window.opens_at - chrono::TimeDelta::seconds(1))
        );
    }
}

/// A day window counts the dealer's local dates, whatever offset the DMS
/// sends: 23:59 in Beijing is 15:59 UTC the same day.
#[test]
fn day_windows_use_the_dealer_offset() {
    let local = delivery(
        DeliveryKind::Service,
        "2026-03-02T23:59:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let utc = delivery(
        DeliveryKind::Service,
        "2026-03-02T15:59:00+00:00",
        DeliveryFacts::EMPTY,
    );
    let a = plan(&local, &Policy::default());
    let b = plan(&utc, &Policy::default());
    assert_eq!(a.tasks, b.tasks);
    // One minute later it is the 3rd locally: the window moves a day.
    let next_day = delivery(
        DeliveryKind::Service,
        "2026-03-03T00:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let c = plan(&next_day, &Policy::default());
    assert_eq!(
        c.task(TaskKind::AfterSalesCall).unwrap().window.opens_at,
        at("2026-03-06T00:00:00+08:00")
    );
}

#[test]
fn service_plan_has_handover_call_and_second_call_for_major_repairs() {
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
    );
    let p = plan(&d, &Policy::default());
    let kinds: Vec<_> = p.tasks.iter().map(|t| (t.kind, t.caller)).collect();
    assert_eq!(
        kinds,
        [
            (TaskKind::DataHandover, Caller::Advisor),
            (TaskKind::AfterSalesCall, Caller::Advisor),
            (TaskKind::SecondCall, Caller::Advisor),
        ]
    );
    let second = p.task(TaskKind::SecondCall).unwrap();
    assert_eq!(second.window.opens_at, at("2026-03-09T00:00:00+08:00"));
    assert_eq!(second.window.closes_at, at("2026-03-18T00:00:00+08:00"));
    let handover = p.task(TaskKind::DataHandover).unwrap();
    assert_eq!(handover.window.closes_at, at("2026-03-06T00:00:00+08:00"));
    assert_eq!(p.selection, Selection::Mandatory);
    let rules: Vec<_> = p.reasons().iter().map(|r| r.rule.to_string()).collect();
    assert_eq!(rules, ["FU-04", "FU-09", "FU-10", "FU-01", "FU-03"]);
}

#[test]
fn ordinary_service_delivery_has_no_second_call() {
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let p = plan(&d, &Policy::default());
    assert!(p.task(TaskKind::SecondCall).is_none());
    assert_eq!(
        p.task(TaskKind::AfterSalesCall).unwrap().caller,
        Caller::CustomerRelations
    );
    let handled = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::ComplaintHandled),
    );
    let p = plan(&handled, &Policy::default());
    assert!(p.task(TaskKind::SecondCall).is_some());
    assert_eq!(
        p.task(TaskKind::SecondCall).unwrap().caller,
        Caller::CustomerRelations
    );
}

#[test]
fn new_car_plan() {
    let d = delivery(
        DeliveryKind::NewCar,
        "2026-03-02T10:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let p = plan(&d, &Policy::default());
    let sales = p.task(TaskKind::SalesCall).unwrap();
    assert_eq!(sales.window.opens_at, at("2026-03-09T00:00:00+08:00"));
    assert_eq!(sales.window.closes_at, at("2026-03-13T00:00:00+08:00"));
    let handover = p.task(TaskKind::DataHandover).unwrap();
    assert_eq!(handover.caller, Caller::SalesConsultant);
    assert_eq!(handover.window.closes_at, at("2026-03-08T00:00:00+08:00"));
    assert!(p.task(TaskKind::AfterSalesCall).is_none());
}

#[test]
fn ratio_skips_ordinary_deliveries_but_never_fu04_ones() {
    let mut fu = Policy::default().follow_up().clone();
    fu.ratio = "50".parse().unwrap();
    let policy = Policy::default().with_follow_up(fu).unwrap();
    let mut sampler = RatioSampler::default();
    let ordinary = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let nff = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::NoFaultFound),
    );
    let mut selections = Vec::new();
    for d in [&ordinary, &ordinary, &nff, &ordinary, &nff, &ordinary] {
        let p = plan_follow_up(d, &mut sampler, &policy).unwrap();
        assert_eq!(
            p.task(TaskKind::AfterSalesCall).is_some(),
            p.selection != Selection::NotSampled
        );
        assert!(
            p.task(TaskKind::DataHandover).is_some(),
            "hand-over is never sampled"
        );
        selections.push(p.selection);
    }
    use Selection::*;
    assert_eq!(
        selections,
        [
            Sampled, NotSampled, Mandatory, NotSampled, Mandatory, NotSampled
        ]
    );
    assert_eq!(sampler.seen, 6);
    assert_eq!(sampler.called, 3);
}

#[test]
fn ratio_policy_is_validated() {
    let mut fu = Policy::default().follow_up().clone();
    fu.ratio = "0".parse().unwrap();
    let err = Policy::default().with_follow_up(fu).unwrap_err();
    assert_eq!(err.field, "follow_up.ratio");
    assert_eq!(err.rule.to_string(), "FU-09");
}

/// The story's delivered order: the plan takes the customer, advisor and
/// phone from the order, and an order not yet delivered has no plan.
#[test]
fn plans_from_a_work_order() {
    let n = support::step_index("Delivered at the car");
    let (delivered, _) = support::order_after(n + 1);
    let d = Delivery::service(&delivered, DeliveryFacts::EMPTY).unwrap();
    assert_eq!(d.kind, DeliveryKind::Service);
    assert_eq!(d.order.as_ref(), Some(delivered.no()));
    assert_eq!(Some(d.delivered_at), delivered.delivery().map(|r| r.at));
    assert_eq!(&d.staff, &delivered.reception().unwrap().advisor);
    let (not_yet, _) = support::order_after(n);
    let err = Delivery::service(&not_yet, DeliveryFacts::EMPTY).unwrap_err();
    assert!(matches!(err, PlanError::NotDelivered { .. }));
    assert!(err.to_string().contains("WO-23"), "{err}");
    let empty = WorkOrder::new("WO-EMPTY".parse().unwrap());
    assert!(Delivery::service(&empty, DeliveryFacts::EMPTY).is_err());
}

#[test]
fn windows_in_json() {
    let fu: aftersales::FollowUpPolicy = serde_json::from_str(
        r#"{ "after_sales_window": { "from_hours": 24, "to_hours": 48 }, "ratio": "80" }"#,
    )
    .unwrap();
    assert_eq!(fu.after_sales_window, ContactWindow::hours(24, 48));
    let err = serde_json::from_str::<Policy>(
        r#"{ "follow_up": { "after_sales_window": { "from_days": 7, "to_days": 3 } } }"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("days 7–3 starts after it ends"),
        "{err}"
    );
}

/// A window whose last day is a closed day: the last call slot falls on
/// the open day before it, and the closed day offers none.
#[test]
fn window_ending_on_a_closed_day() {
    use aftersales::{CallPurpose, PreferredContact, call_slots};
    let mut fu = Policy::default().follow_up().clone();
    fu.calendar.closed_weekdays = vec![chrono::Weekday::Sun];
    let policy = Policy::default().with_follow_up(fu).unwrap();
    // Delivered Tuesday 2026-03-03: days 3–7 run Friday 6th to Tuesday
    // 10th; Sunday 8th is closed.
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-03T12:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let call = *plan(&d, &policy).task(TaskKind::AfterSalesCall).unwrap();
    let slots: Vec<_> = call_slots(
        &call.window,
        CallPurpose::FollowUp,
        &PreferredContact::default(),
        policy.follow_up(),
    )
    .collect();
    let days: Vec<String> = slots
        .iter()
        .map(|s| s.starts_at.format("%a %d %H:%M").to_string())
        .collect();
    assert_eq!(
        days,
        [
            "Fri 06 09:00",
            "Fri 06 16:00",
            "Sat 07 09:00",
            "Sat 07 16:00",
            "Mon 09 09:00",
            "Mon 09 16:00",
            "Tue 10 09:00",
            "Tue 10 16:00",
        ]
    );
    // Delivered Sunday 1st: the window runs Wednesday 4th to Sunday 8th,
    // so the last slot is Saturday's afternoon one.
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-01T12:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let call = *plan(&d, &policy).task(TaskKind::AfterSalesCall).unwrap();
    assert_eq!(call.window.closes_at, at("2026-03-09T00:00:00+08:00"));
    let last = call_slots(
        &call.window,
        CallPurpose::FollowUp,
        &PreferredContact::default(),
        policy.follow_up(),
    )
    .last()
    .unwrap();
    assert_eq!(last.starts_at, at("2026-03-07T16:00:00+08:00"));
    assert_eq!(last.ends_at, at("2026-03-07T18:30:00+08:00"));
}

/// The policy JSON shown in README loads as it says.
#[test]
fn readme_policy_example_loads() {
    let readme = include_str!("../README.md");
    let start =
        readme.find("serde_json::from_str(r#\"").unwrap() + "serde_json::from_str(r#\"".len();
    let end = start + readme[start..].find("\"#)?;").unwrap();
    let policy: Policy = serde_json::from_str(&readme[start..end]).unwrap();
    assert_eq!(
        policy.follow_up().after_sales_window,
        ContactWindow::hours(24, 48)
    );
    assert_eq!(
        policy.follow_up().calendar.closed_weekdays,
        [chrono::Weekday::Sun]
    );
}
