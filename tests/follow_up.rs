//! Follow-up plans and windows (FU-01 … FU-04, FU-09, FU-10), on the
//! public API.

use aftersales::{
    AuthorityRole, Caller, Channel, Complaint, ComplaintCommand, ComplaintFact, ComplaintLink,
    ComplaintNo, ComplaintReceipt, ContactChannel, ContactWindow, CustomerAnswer,
    CustomerFlagInputs, CustomerStanding, DeadlineKind, DeadlineStatus, Delivery, DeliveryFact,
    DeliveryFacts, DeliveryKind, Demand, Emotion, FollowUpCommand, FollowUpPlan, FollowUpPolicy,
    FollowUpTask, LinkError, LocalTimeRange, Nature, PlanError, Policy, PreferredContact,
    QueueAction, RatioSampler, RuleId, Satisfaction, Selection, Solution, SolutionTiming, Source,
    TaskKind, Verdict, Visit, VisitKind, WorkOrder, call_queue, important_reasons, plan_follow_up,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

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
        agreed: Default::default(),
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
    assert_eq!(
        rules,
        ["FU-04", "FU-09", "FU-10", "FU-01", "CARE-02", "FU-03"]
    );
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
    .unwrap()
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
    .unwrap()
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

// ---------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------

/// FU-04's advisor label reads whole: 服务顾问亲自回访, not 服务顾问亲自.
#[test]
fn caller_labels_read_whole() {
    assert_eq!(Caller::Advisor.label_zh(), "服务顾问亲自回访");
    assert_eq!(Caller::Advisor.label_en(), "service advisor in person");
    assert_eq!(
        Caller::InPerson(AuthorityRole::Manager).label_zh(),
        "部门经理亲自回访"
    );
    assert_eq!(
        Caller::InPerson(AuthorityRole::Manager).to_string(),
        "department manager in person"
    );
    assert_eq!(
        Caller::InPerson(AuthorityRole::Supervisor).label_zh(),
        "部门主管亲自回访"
    );
    assert_eq!(Caller::CustomerRelations.label_zh(), "客服部");
}

// ---------------------------------------------------------------------------
// Item 6: important customers are called by the department manager (CUS-09)
// ---------------------------------------------------------------------------

/// The customer file's flags: two comebacks make the customer important.
fn important_facts(mut facts: DeliveryFacts) -> DeliveryFacts {
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let comeback = |date| Visit {
        comeback: true,
        ..Visit::new(date, VisitKind::Repair)
    };
    let visits = [
        Visit::new(day(1, 5), VisitKind::Repair),
        comeback(day(1, 20)),
        comeback(day(2, 3)),
    ];
    let reasons = important_reasons(
        &visits,
        &[],
        day(3, 1),
        &CustomerFlagInputs::default(),
        &Policy::default(),
    );
    if !reasons.is_empty() {
        facts.insert(DeliveryFact::ImportantCustomer);
    }
    facts
}

#[test]
fn an_important_customer_is_called_by_the_department_manager() {
    let policy = Policy::default();
    let facts = important_facts(DeliveryFacts::EMPTY);
    assert!(facts.contains(DeliveryFact::ImportantCustomer));
    let d = delivery(DeliveryKind::Service, "2026-03-02T17:00:00+08:00", facts);
    let p = plan(&d, &policy);
    let manager = Caller::InPerson(AuthorityRole::Manager);
    assert_eq!(p.task(TaskKind::AfterSalesCall).unwrap().caller, manager);
    assert_eq!(p.selection, Selection::Mandatory);
    // The data hand-over stays the advisor's (FU-10).
    assert_eq!(
        p.task(TaskKind::DataHandover).unwrap().caller,
        Caller::Advisor
    );
    let cus09: Vec<_> = p
        .reasons()
        .into_iter()
        .filter(|r| r.rule == RuleId::Cus09)
        .collect();
    assert_eq!(cus09.len(), 1);
    assert_eq!(
        cus09[0].fact,
        "important customer (重要客户): the follow-up calls are made by the department manager \
         in person and the customer is tracked regularly (CMP-12)"
    );

    // The other side: the same delivery without the flag goes to customer
    // relations and names no CUS-09.
    let ordinary = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let p = plan(&ordinary, &policy);
    assert_eq!(
        p.task(TaskKind::AfterSalesCall).unwrap().caller,
        Caller::CustomerRelations
    );
    assert!(p.reasons().iter().all(|r| r.rule != RuleId::Cus09));
}

/// The manager outranks every FU-04 assignment, on both calls, and is
/// never sampled out (FU-09); a new car's sales call too.
#[test]
fn the_manager_outranks_fu04_and_the_ratio() {
    let mut fu = Policy::default().follow_up().clone();
    fu.ratio = "1".parse().unwrap();
    let policy = Policy::default().with_follow_up(fu).unwrap();
    let manager = Caller::InPerson(AuthorityRole::Manager);
    let mut sampler = RatioSampler::default();
    for base in [
        DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
        DeliveryFacts::EMPTY.with(DeliveryFact::Dissatisfied),
        DeliveryFacts::EMPTY.with(DeliveryFact::ComplaintHandled),
    ] {
        let facts = base.with(DeliveryFact::ImportantCustomer);
        for kind in [DeliveryKind::Service, DeliveryKind::NewCar] {
            let d = delivery(kind, "2026-03-02T17:00:00+08:00", facts);
            let p = plan_follow_up(&d, &mut sampler, &policy).unwrap();
            assert_eq!(p.selection, Selection::Mandatory, "{base:?} {kind}");
            let calls: Vec<_> = p.tasks.iter().filter(|t| t.kind.is_call()).collect();
            assert!(!calls.is_empty());
            assert!(calls.iter().all(|t| t.caller == manager), "{base:?} {kind}");
        }
    }
}

/// The caller is a policy role: at least a department supervisor (部门主管).
#[test]
fn the_important_customers_caller_is_a_policy_role() {
    let mut fu = FollowUpPolicy::default();
    assert_eq!(fu.important_customer_caller, AuthorityRole::Manager);
    fu.important_customer_caller = AuthorityRole::Supervisor;
    let policy = Policy::default().with_follow_up(fu.clone()).unwrap();
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::ImportantCustomer),
    );
    assert_eq!(
        plan(&d, &policy)
            .task(TaskKind::AfterSalesCall)
            .unwrap()
            .caller,
        Caller::InPerson(AuthorityRole::Supervisor)
    );
    fu.important_customer_caller = AuthorityRole::FrontLine;
    let err = fu.validate().unwrap_err();
    assert_eq!(err.field, "follow_up.important_customer_caller");
    assert_eq!(err.rule, RuleId::Cus09);
    let json = r#"{"follow_up": {"important_customer_caller": "senior_management"}}"#;
    let loaded: Policy = serde_json::from_str(json).unwrap();
    assert_eq!(
        loaded.follow_up().important_customer_caller,
        AuthorityRole::SeniorManagement
    );
}

/// Callers and plans in JSON: the role rides along; older plans and
/// deliveries without the new fields still load.
#[test]
fn callers_and_plans_in_json() {
    let manager = Caller::InPerson(AuthorityRole::Manager);
    let json = serde_json::to_string(&manager).unwrap();
    assert_eq!(json, r#"{"in_person":"manager"}"#);
    assert_eq!(serde_json::from_str::<Caller>(&json).unwrap(), manager);
    assert_eq!(
        serde_json::to_string(&Caller::Advisor).unwrap(),
        r#""advisor""#
    );

    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let p = plan(&d, &Policy::default());
    let mut value = serde_json::to_value(&p).unwrap();
    assert!(
        value.get("agreed").is_none(),
        "nothing agreed, nothing written"
    );
    assert!(value.get("complaint").is_none());
    let old = value.as_object_mut().unwrap();
    old.remove("order");
    old.remove("customer");
    let back: FollowUpPlan = serde_json::from_value(value).unwrap();
    assert_eq!(back.tasks, p.tasks);
    assert_eq!((back.order, back.customer), (None, None));

    let mut value = serde_json::to_value(&d).unwrap();
    assert!(value.get("agreed").is_none());
    value.as_object_mut().unwrap().remove("agreed");
    let back: Delivery = serde_json::from_value(value).unwrap();
    assert_eq!(back, d);
}

// ---------------------------------------------------------------------------
// Item 4: one repair call, carrying the way and time agreed at the repair
// ---------------------------------------------------------------------------

fn lunch_by_phone() -> PreferredContact {
    PreferredContact {
        channel: Some(ContactChannel::Phone),
        times: vec![
            LocalTimeRange::try_new("12:00:00".parse().unwrap(), "12:30:00".parse().unwrap())
                .unwrap(),
        ],
    }
}

#[test]
fn the_after_sales_call_carries_the_agreed_way_and_time() {
    let policy = Policy::default();
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    )
    .with_agreed_contact(lunch_by_phone());
    let p = plan(&d, &policy);
    assert_eq!(p.agreed, lunch_by_phone());
    let care02: Vec<_> = p
        .reasons()
        .into_iter()
        .filter(|r| r.rule == RuleId::Care02)
        .map(|r| r.fact)
        .collect();
    assert_eq!(
        care02,
        [
            "this call is also the repair follow-up, one contact (the care calendar lists no \
          second); agreed at the repair: by phone call at 12:00–12:30"
        ]
    );
    // The task opened from the plan keeps the agreement on its delivery.
    let mut task = FollowUpTask::new("T-900".parse().unwrap());
    task.execute(
        FollowUpCommand::Open {
            at: at("2026-03-02T18:00:00+08:00"),
            delivery: d.clone(),
            task: *p.task(TaskKind::AfterSalesCall).unwrap(),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(task.delivery().unwrap().agreed, lunch_by_phone());

    // Nothing agreed: the reason says so.
    let plain = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let fact = plan(&plain, &policy)
        .reasons()
        .into_iter()
        .find(|r| r.rule == RuleId::Care02)
        .unwrap()
        .fact;
    assert!(
        fact.ends_with("no way or time was agreed at the repair"),
        "{fact}"
    );
    // Only a channel, or only times, agreed: the reason says what was.
    let care02 = |agreed: PreferredContact| {
        let d = plain.clone().with_agreed_contact(agreed);
        plan(&d, &policy)
            .reasons()
            .into_iter()
            .find(|r| r.rule == RuleId::Care02)
            .unwrap()
            .fact
    };
    let phone_only = PreferredContact {
        channel: Some(ContactChannel::Phone),
        times: vec![],
    };
    assert!(
        care02(phone_only).ends_with("; agreed at the repair: by phone call"),
        "channel only"
    );
    let range =
        |a: &str, b: &str| LocalTimeRange::try_new(a.parse().unwrap(), b.parse().unwrap()).unwrap();
    let two_times = PreferredContact {
        channel: None,
        times: vec![range("12:00:00", "12:30:00"), range("19:00:00", "20:00:00")],
    };
    assert!(
        care02(two_times).ends_with("; agreed at the repair: at 12:00–12:30 or 19:00–20:00"),
        "times only"
    );
    // A new car has no repair call.
    let car = delivery(
        DeliveryKind::NewCar,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    assert!(
        plan(&car, &policy)
            .reasons()
            .iter()
            .all(|r| r.rule != RuleId::Care02)
    );
}

/// The day's queue calls at the agreed time, over the customer's usual
/// evening SMS; without an agreement, at the usual time.
#[test]
fn the_queue_uses_the_agreed_way_and_time() {
    let policy = Policy::default();
    let usual = PreferredContact {
        channel: Some(ContactChannel::Sms),
        times: vec![
            LocalTimeRange::try_new("19:00:00".parse().unwrap(), "20:30:00".parse().unwrap())
                .unwrap(),
        ],
    };
    let open = |no: &str, d: Delivery| {
        let p = plan(&d, &policy);
        let mut task = FollowUpTask::new(no.parse().unwrap());
        task.execute(
            FollowUpCommand::Open {
                at: at("2026-03-02T18:00:00+08:00"),
                delivery: d,
                task: *p.task(TaskKind::AfterSalesCall).unwrap(),
            },
            &policy,
        )
        .unwrap();
        task
    };
    let base = || {
        delivery(
            DeliveryKind::Service,
            "2026-03-02T17:00:00+08:00",
            DeliveryFacts::EMPTY,
        )
    };
    let with = open("T-910", base().with_agreed_contact(lunch_by_phone()));
    let without = open("T-911", base());
    let phone_only = PreferredContact {
        channel: Some(ContactChannel::Phone),
        times: vec![],
    };
    let channel_only = open("T-912", base().with_agreed_contact(phone_only));
    let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    let queue = call_queue(
        [(&with, &usual), (&without, &usual), (&channel_only, &usual)],
        day,
        &policy,
    )
    .unwrap();
    let slots: Vec<_> = queue
        .entries
        .iter()
        .map(|e| match e.action {
            QueueAction::Call { slot } => (
                e.task.to_string(),
                slot.starts_at.format("%H:%M").to_string(),
                slot.channel,
                e.action.rule(),
            ),
            other => panic!("a call expected, got {other:?}"),
        })
        .collect();
    let row =
        |task: &str, time: &str, channel, rule| (task.to_owned(), time.to_owned(), channel, rule);
    assert_eq!(
        slots,
        [
            row("T-910", "12:00", ContactChannel::Phone, RuleId::Care02),
            row("T-911", "19:00", ContactChannel::Sms, RuleId::Fu05),
            row("T-912", "19:00", ContactChannel::Phone, RuleId::Care02),
        ]
    );
}

/// Which window the one repair call has under each preset: FU-01's, which
/// agrees with CARE-02's three days under [003] only.
#[test]
fn the_one_repair_call_has_the_fu01_window_of_each_preset() {
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
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
            "2026-03-03T17:00:00+08:00",
            "2026-03-04T17:00:00+08:00",
        ),
    ];
    for (source, opens, closes) in cases {
        let policy = Policy::preset(source);
        let call = *plan(&d, &policy).task(TaskKind::AfterSalesCall).unwrap();
        assert_eq!(
            (call.window.opens_at, call.window.closes_at),
            (at(opens), at(closes)),
            "{source}"
        );
    }
    // Under [003] the FU-01 window ends where CARE-02's three days do.
    let textbook = Policy::preset(Source::Textbook);
    assert_eq!(textbook.care().repair_follow_up_days, 3);
}

// ---------------------------------------------------------------------------
// Item 5: one second call for FU-03 and CMP-10
// ---------------------------------------------------------------------------

fn complaint_receipt(customer: &str, order: Option<&str>) -> ComplaintReceipt {
    ComplaintReceipt {
        at: at("2026-03-02T18:00:00+08:00"),
        customer: customer.parse().unwrap(),
        channel: Channel::Phone,
        description: "the gearbox still whines after the overhaul".into(),
        demands: vec![Demand::FreeRepair],
        remedy_amount: None,
        emotion: Emotion::Calm,
        facts: [ComplaintFact::FeeDispute].into(),
        nature: Nature::General,
        repeat_of: None,
        standing: CustomerStanding::Regular,
        owner: "CR-02".parse().unwrap(),
        order: order.map(|o| o.parse().unwrap()),
    }
}

/// A complaint received at 18:00 on delivery day, resolved at `resolved`
/// (`None`: left open).
fn complaint(receipt: ComplaintReceipt, resolved: Option<&str>) -> Complaint {
    let policy = Policy::default();
    let mut c = Complaint::new(ComplaintNo::try_new("CMP-2026-0100").unwrap());
    let t = |m: i64| at("2026-03-02T18:00:00+08:00") + TimeDelta::minutes(m);
    let by = || "CR-02".parse().unwrap();
    let mut steps = vec![
        ComplaintCommand::Receive { receipt },
        ComplaintCommand::Judge {
            at: t(10),
            by: "CRM-01".parse().unwrap(),
            verdict: Verdict::Justified,
        },
        ComplaintCommand::ProposeSolution {
            at: t(60),
            by: by(),
            solution: Solution {
                description: "re-check the gearbox at no charge".into(),
                remedy: None,
                timing: SolutionTiming::OnTheSpot,
            },
        },
        ComplaintCommand::AnswerSolution {
            at: t(70),
            answer: CustomerAnswer::Accepted,
        },
        ComplaintCommand::CarryOutSolution {
            at: t(80),
            by: by(),
        },
    ];
    if let Some(resolved) = resolved {
        steps.push(ComplaintCommand::ConfirmSatisfaction {
            at: at(resolved),
            by: by(),
            outcome: Satisfaction::Satisfied,
        });
    }
    for step in steps {
        let action = step.action();
        c.execute(step, &policy)
            .unwrap_or_else(|e| panic!("{action:?}: {e}"));
    }
    c
}

/// A major repair delivered Monday 2 March at 17:00: FU-03's second call
/// from 00:00 on the 9th until 00:00 on the 18th.
fn major_repair_plan() -> FollowUpPlan {
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
    );
    plan(&d, &Policy::default())
}

fn ours() -> ComplaintReceipt {
    complaint_receipt("C-0100", Some("WO-2026-0100"))
}

#[test]
fn one_call_counts_for_fu03_and_cmp10() {
    let policy = Policy::default();
    // Resolved on the 4th at 10:00: CMP-10 runs from the 11th 10:00 to the
    // 19th 10:00, so both run from the 11th 10:00 to the 18th 00:00.
    let c = complaint(ours(), Some("2026-03-04T10:00:00+08:00"));
    let mut p = major_repair_plan();
    p.link_complaint(&c, &policy).unwrap();
    let second = *p.task(TaskKind::SecondCall).unwrap();
    assert_eq!(second.window.opens_at, at("2026-03-11T10:00:00+08:00"));
    assert_eq!(second.window.closes_at, at("2026-03-18T00:00:00+08:00"));
    let link: &ComplaintLink = p.complaint.as_ref().unwrap();
    assert_eq!(link.complaint.as_str(), "CMP-2026-0100");
    assert_eq!(
        link.delivery_window.opens_at,
        at("2026-03-09T00:00:00+08:00")
    );
    assert_eq!(
        link.complaint_window.closes_at,
        at("2026-03-19T10:00:00+08:00")
    );
    // The plan says so: the second call's reasons name both rules.
    let reasons = p.reasons();
    let rules: Vec<_> = reasons.iter().map(|r| r.rule.to_string()).collect();
    assert_eq!(
        rules,
        [
            "FU-04", "FU-09", "FU-10", "FU-01", "CARE-02", "FU-03", "CMP-10"
        ]
    );
    assert_eq!(
        reasons.last().unwrap().fact,
        "the same call is the second follow-up of complaint `CMP-2026-0100` resolved \
         2026-03-04 10:00: one call counts for FU-03 and CMP-10, made from 2026-03-11 10:00 \
         until 2026-03-18 00:00"
    );

    // The one call, at the first instant of the shared window, counts on
    // the follow-up task (FU-03) and on the complaint (CMP-10).
    let call_at = second.window.opens_at;
    let mut task = FollowUpTask::new("T-901".parse().unwrap());
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
    );
    task.execute(
        FollowUpCommand::Open {
            at: at("2026-03-02T18:00:00+08:00"),
            delivery: d,
            task: second,
        },
        &policy,
    )
    .unwrap();
    assert!(task.planned().unwrap().window.contains(call_at));
    let mut c = c;
    c.execute(
        link.second_follow_up(call_at, "SA-02".parse().unwrap(), Satisfaction::Satisfied),
        &policy,
    )
    .unwrap();
    let cmp10 = c
        .deadlines(call_at, &policy)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == DeadlineKind::SecondFollowUp)
        .unwrap();
    assert!(
        matches!(cmp10.status, DeadlineStatus::Met { .. }),
        "{:?}",
        cmp10.status
    );
    // One second earlier the complaint would refuse it: the shared window
    // starts exactly where CMP-10's does.
    let again = complaint(ours(), Some("2026-03-04T10:00:00+08:00"));
    let early = link.second_follow_up(
        call_at - TimeDelta::seconds(1),
        "SA-02".parse().unwrap(),
        Satisfaction::Satisfied,
    );
    assert!(again.decide(&early, &policy).is_err());
}

/// Both sides of "the windows overlap": resolved one second before the
/// 11th, the windows share one second; resolved at 00:00 on the 11th,
/// CMP-10 opens on the 18th 00:00, where FU-03 has closed.
#[test]
fn linked_only_when_the_windows_overlap() {
    let policy = Policy::default();
    let mut p = major_repair_plan();
    p.link_complaint(
        &complaint(ours(), Some("2026-03-10T23:59:59+08:00")),
        &policy,
    )
    .unwrap();
    let w = p.task(TaskKind::SecondCall).unwrap().window;
    assert_eq!(w.opens_at, at("2026-03-17T23:59:59+08:00"));
    assert_eq!(w.closes_at, at("2026-03-18T00:00:00+08:00"));

    let mut p = major_repair_plan();
    let before = p.clone();
    let err = p
        .link_complaint(
            &complaint(ours(), Some("2026-03-11T00:00:00+08:00")),
            &policy,
        )
        .unwrap_err();
    assert!(matches!(err, LinkError::WindowsApart { .. }), "{err}");
    assert!(err.to_string().contains("(FU-03)"), "{err}");
    assert!(err.to_string().contains("(CMP-10)"), "{err}");
    assert_eq!(p, before, "a refused link changes nothing");
}

#[test]
fn a_complaint_of_another_customer_vehicle_or_state_is_not_linked() {
    let policy = Policy::default();
    let resolved = Some("2026-03-04T10:00:00+08:00");
    let try_link = |c: &Complaint| major_repair_plan().link_complaint(c, &policy).unwrap_err();

    let other_customer = complaint(complaint_receipt("C-0999", Some("WO-2026-0100")), resolved);
    assert!(matches!(
        try_link(&other_customer),
        LinkError::OtherCustomer { .. }
    ));
    let other_order = complaint(complaint_receipt("C-0100", Some("WO-2026-0999")), resolved);
    assert!(matches!(
        try_link(&other_order),
        LinkError::OtherOrder { .. }
    ));
    let no_order = complaint(complaint_receipt("C-0100", None), resolved);
    assert!(matches!(try_link(&no_order), LinkError::OtherOrder { .. }));
    let open = complaint(ours(), None);
    assert!(matches!(try_link(&open), LinkError::NotResolved { .. }));
    let fresh = Complaint::new(ComplaintNo::try_new("CMP-2026-0101").unwrap());
    assert!(matches!(try_link(&fresh), LinkError::NotReceived { .. }));

    let mut made = complaint(ours(), resolved);
    made.execute(
        ComplaintCommand::RecordSecondFollowUp {
            at: at("2026-03-12T10:00:00+08:00"),
            by: "CR-02".parse().unwrap(),
            outcome: Satisfaction::Satisfied,
        },
        &policy,
    )
    .unwrap();
    assert!(matches!(try_link(&made), LinkError::AlreadyMade { .. }));

    // No second call: an ordinary delivery.
    let d = delivery(
        DeliveryKind::Service,
        "2026-03-02T17:00:00+08:00",
        DeliveryFacts::EMPTY,
    );
    let c = complaint(ours(), resolved);
    let err = plan(&d, &policy).link_complaint(&c, &policy).unwrap_err();
    assert!(matches!(err, LinkError::NoSecondCall { .. }), "{err}");

    // A plan without a known customer links nothing.
    let mut anonymous = major_repair_plan();
    anonymous.customer = None;
    assert!(matches!(
        anonymous.link_complaint(&c, &policy).unwrap_err(),
        LinkError::OtherCustomer { .. }
    ));

    // Linked once: a second complaint is refused.
    let mut p = major_repair_plan();
    p.link_complaint(&c, &policy).unwrap();
    let err = p.link_complaint(&c, &policy).unwrap_err();
    assert!(matches!(err, LinkError::AlreadyLinked { .. }), "{err}");
}
