//! The supported time range (1900–9999 UTC) at every entry point of
//! complaints, follow-up, contact and care, and the business-hours clock at
//! the range's ends (issue 15, items 1 and 7).
//!
//! For each entry point: one second before 1900-01-01T00:00:00Z and one
//! second after 9999-12-31T23:59:59Z are refused naming the field; the two
//! boundary instants are accepted.

use aftersales::time::{SUPPORTED_RANGE, TimeRangeError};
use aftersales::{
    AnswerAddOns, BusinessHours, CallOutcome, CallPurpose, CareError, CareProfile, Channel,
    Complaint, ComplaintCommand, ComplaintError, ComplaintFact as F, ComplaintNo, ComplaintReceipt,
    ComplaintStats, Concern, ConcernKind, ContactWindow, Currency, CustomerId, CustomerStanding,
    DeadlineClock, DealerCalendar, Delivery, DeliveryFacts, DeliveryKind, Demand, Emotion,
    EscalationReason, FollowUpCommand, FollowUpError, FollowUpEvent, FollowUpTask, ItemNo, Money,
    Nature, NextStep, NotReachedReason, OpenSafetyItem, Pause, PlanError, PlannedTask, Policy,
    PreferredContact, RatioSampler, SmsReply, StaffId, TaskKind, Verdict, WindowBounds,
    WorkOrderCommand, call_queue, call_slots, care_calendar, next_agreed_call_slot, next_call_slot,
    plan_follow_up, triage,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};

use crate::support;

type At = DateTime<FixedOffset>;

fn at(s: &str) -> At {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%+"))
        .unwrap()
}

/// The first supported instant.
fn first() -> At {
    at("1900-01-01T00:00:00Z")
}

/// The last supported whole second.
fn last() -> At {
    at("9999-12-31T23:59:59Z")
}

/// One second before the range.
fn before() -> At {
    first() - TimeDelta::seconds(1)
}

/// One second after the last supported second.
fn after() -> At {
    at("+10000-01-01T00:00:00Z")
}

fn assert_refused(err: &TimeRangeError, field: &str) {
    assert_eq!(err.field, field, "{err}");
    assert!(
        err.to_string().contains("outside the supported time range"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Complaint commands
// ---------------------------------------------------------------------------

fn receipt(at: At) -> ComplaintReceipt {
    ComplaintReceipt {
        at,
        customer: CustomerId::try_new("C-1001").unwrap(),
        channel: Channel::Phone,
        description: "billed twice for the same brake fluid".into(),
        demands: vec![Demand::Compensation],
        remedy_amount: None,
        emotion: Emotion::Angry,
        facts: [F::FeeDispute].into(),
        nature: Nature::General,
        repeat_of: None,
        standing: CustomerStanding::Regular,
        owner: StaffId::try_new("CR-02").unwrap(),
        order: None,
    }
}

fn complaint_no() -> ComplaintNo {
    ComplaintNo::try_new("CMP-T-1").unwrap()
}

fn received(at: At) -> Complaint {
    let mut c = Complaint::new(complaint_no());
    c.execute(
        ComplaintCommand::Receive {
            receipt: receipt(at),
        },
        &Policy::default(),
    )
    .unwrap();
    c
}

fn complaint_field(err: ComplaintError) -> &'static str {
    match err {
        ComplaintError::InvalidInput { field, reason, .. } => {
            assert!(
                reason.contains("outside the supported time range"),
                "{reason}"
            );
            field
        }
        other => panic!("not a time refusal: {other}"),
    }
}

#[test]
fn a_complaint_is_received_at_the_range_ends_and_not_outside() {
    let policy = Policy::default();
    for t in [before(), after()] {
        let err = Complaint::new(complaint_no())
            .decide(
                &ComplaintCommand::Receive {
                    receipt: receipt(t),
                },
                &policy,
            )
            .unwrap_err();
        assert_eq!(complaint_field(err), "receipt.at");
    }
    for t in [first(), last()] {
        assert_eq!(received(t).receipt().map(|r| r.at), Some(t));
    }
}

/// Every command after receipt, at `t`.
fn commands_at(t: At) -> Vec<ComplaintCommand> {
    let by = StaffId::try_new("CR-02").unwrap();
    vec![
        ComplaintCommand::Judge {
            at: t,
            by: by.clone(),
            verdict: Verdict::Justified,
        },
        ComplaintCommand::Apologize {
            at: t,
            by: by.clone(),
        },
        ComplaintCommand::AwaitCustomer {
            at: t,
            about: "the invoice".into(),
        },
        ComplaintCommand::RecordCustomerReply { at: t },
        ComplaintCommand::Escalate {
            at: t,
            reason: EscalationReason::CustomerRejected,
        },
        ComplaintCommand::ReassignOwner {
            at: t,
            owner: StaffId::try_new("CR-03").unwrap(),
        },
        ComplaintCommand::Close { at: t, by },
    ]
}

#[test]
fn complaint_commands_refuse_times_outside_the_range_before_any_rule() {
    // Received at the first instant: every later command time is after it.
    let c = received(first());
    let policy = Policy::default();
    for t in [before(), after()] {
        for command in commands_at(t) {
            let err = c.decide(&command, &policy).unwrap_err();
            assert_eq!(complaint_field(err), "at", "{command:?}");
        }
    }
    // At the last instant the rules decide, not the range.
    let judged = c
        .decide(
            &ComplaintCommand::Judge {
                at: last(),
                by: StaffId::try_new("CR-02").unwrap(),
                verdict: Verdict::Justified,
            },
            &policy,
        )
        .unwrap();
    assert_eq!(judged.len(), 1);
    for command in commands_at(last()) {
        if let Err(ComplaintError::InvalidInput { reason, .. }) = c.decide(&command, &policy) {
            assert!(!reason.contains("supported time range"), "{reason}");
        }
    }
}

#[test]
fn complaint_deadlines_and_escalations_refuse_now_outside_the_range() {
    let policy = Policy::default();
    let c = received(first());
    for t in [before(), after()] {
        assert_refused(&c.deadlines(t, &policy).unwrap_err(), "now");
        assert_refused(&c.escalations_due(t, &policy).unwrap_err(), "now");
    }
    // At the last instant the response deadline of 1900 is long missed.
    let checks = c.deadlines(last(), &policy).unwrap();
    assert!(checks[0].status.is_missed());
    assert_eq!(c.escalations_due(last(), &policy).unwrap().len(), 1);
    assert!(c.deadlines(first(), &policy).unwrap()[0].due_by > Some(first()));
}

#[test]
fn complaint_stats_refuse_a_period_outside_the_range() {
    let policy = Policy::default();
    let c = received(first());
    let err = ComplaintStats::for_period([&c], before(), last(), &policy).unwrap_err();
    assert_refused(&err, "from");
    let err = ComplaintStats::for_period([&c], first(), after(), &policy).unwrap_err();
    assert_refused(&err, "to");
    let stats = ComplaintStats::for_period([&c], first(), last(), &policy).unwrap();
    assert_eq!(stats.complaints, 1);
    // The period is `[from, to)`: received at `to` is the next period's.
    let empty = ComplaintStats::for_period([&c], first(), first(), &policy).unwrap();
    assert_eq!(empty.complaints, 0);
    let at_end = received(last());
    let stats = ComplaintStats::for_period([&at_end], first(), last(), &policy).unwrap();
    assert_eq!(stats.complaints, 0);
    let mut one = ComplaintStats::new();
    assert_refused(&one.add(&c, after(), &policy).unwrap_err(), "at");
    assert_eq!(one.complaints, 0, "nothing is counted on a refusal");
    one.add(&c, last(), &policy).unwrap();
    assert_eq!(one.complaints, 1);
}

#[test]
fn triage_refuses_a_concern_received_outside_the_range() {
    let concern = |received_at| Concern {
        received_at,
        channel: Channel::Phone,
        customer: Some(CustomerId::try_new("C-1").unwrap()),
        kind: Some(ConcernKind::Praise),
        description: "very friendly advisor".into(),
        demands: vec![],
        emotion: None,
        facts: Default::default(),
    };
    for t in [before(), after()] {
        assert_refused(&triage(&concern(t)).unwrap_err(), "received_at");
    }
    for t in [first(), last()] {
        assert_eq!(triage(&concern(t)).unwrap().acknowledged_at, t);
    }
}

// ---------------------------------------------------------------------------
// The business-hours clock (item 7)
// ---------------------------------------------------------------------------

fn business(offset_minutes: i32) -> DeadlineClock {
    DeadlineClock::Business(BusinessHours {
        utc_offset_minutes: offset_minutes,
        ..BusinessHours::dealer_default()
    })
}

#[test]
fn the_clock_refuses_a_start_in_year_minus_262143_instead_of_counting_zero() {
    // On main this counted nothing: `elapsed` was 0 and `deadline` None.
    let ancient = Utc
        .with_ymd_and_hms(-262_143, 6, 1, 12, 0, 0)
        .unwrap()
        .fixed_offset();
    let end = at("2026-01-01T00:00:00+08:00");
    for clock in [business(480), business(-840), DeadlineClock::Calendar] {
        let err = clock.elapsed(ancient, end, &[]).unwrap_err();
        assert_refused(&err, "start");
        let err = clock
            .deadline(ancient, TimeDelta::hours(24), &[])
            .unwrap_err();
        assert_refused(&err, "start");
    }
}

#[test]
fn the_clock_refuses_each_instant_outside_the_range() {
    let clock = business(480);
    let h = TimeDelta::hours(1);
    for t in [before(), after()] {
        assert_refused(&clock.deadline(t, h, &[]).unwrap_err(), "start");
        assert_refused(&clock.elapsed(t, last(), &[]).unwrap_err(), "start");
        assert_refused(&clock.elapsed(first(), t, &[]).unwrap_err(), "end");
        let from_outside = [Pause {
            from: t,
            until: None,
        }];
        assert_refused(
            &clock.deadline(first(), h, &from_outside).unwrap_err(),
            "pauses.from",
        );
        let until_outside = [Pause {
            from: first(),
            until: Some(t),
        }];
        assert_refused(
            &clock.elapsed(first(), last(), &until_outside).unwrap_err(),
            "pauses.until",
        );
    }
}

#[test]
fn business_hours_count_from_the_first_supported_instant() {
    // 1900-01-01 was a Monday. At UTC−14 the start is Sunday 31 December
    // 1899, 10:00 local: the clock waits for Monday 08:30 local.
    for (offset, due) in [
        (480, "1900-01-01T10:30:00+08:00"),
        (-840, "1900-01-01T10:30:00-14:00"),
        (0, "1900-01-01T10:30:00+00:00"),
    ] {
        let clock = business(offset);
        let start = first();
        let d = clock
            .deadline(start, TimeDelta::hours(2), &[])
            .unwrap()
            .expect("a deadline, not none");
        assert_eq!(d, at(due), "offset {offset}");
        assert_eq!(
            clock.elapsed(start, d, &[]).unwrap(),
            TimeDelta::hours(2),
            "offset {offset}"
        );
        // A week from the start counts its opening hours, not zero.
        let week = clock
            .elapsed(start, start + TimeDelta::days(7), &[])
            .unwrap();
        assert_eq!(
            week,
            TimeDelta::minutes(5 * 9 * 60 + 8 * 60),
            "offset {offset}"
        );
    }
}

#[test]
fn business_hours_deadlines_may_fall_past_the_end_of_the_range() {
    // 9999-12-31 is a Friday. At +08:00 the last second is Saturday
    // 10000-01-01 07:59:59 local; 24 business hours run Saturday 09:00–17:00
    // (8 h), then Monday and Tuesday 08:30–17:30 (9 h + 7 h).
    let clock = business(480);
    let d = clock
        .deadline(last(), TimeDelta::hours(24), &[])
        .unwrap()
        .expect("a deadline past 9999-12-31, not none");
    assert_eq!(d, at("+10000-01-04T15:30:00+08:00"));
    assert!(!SUPPORTED_RANGE.contains(d));
    // It can be shown and stored (in the start's offset, UTC here).
    assert_eq!(d.to_string(), "+10000-01-04 07:30:00 +00:00");
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(serde_json::from_str::<At>(&json).unwrap(), d);
    // At +14:00 and −14:00 too, and with a calendar clock.
    for clock in [business(840), business(-840), DeadlineClock::Calendar] {
        let d = clock
            .deadline(last(), TimeDelta::hours(24), &[])
            .unwrap()
            .expect("a deadline");
        assert!(d > last());
        assert_eq!(clock.elapsed(last(), d, &[]).unwrap(), TimeDelta::hours(24));
        serde_json::to_string(&d).unwrap();
    }
    // Up to ten years past the start a deadline can fall, and `elapsed`
    // counts up to it; a second further is neither.
    let calendar = DeadlineClock::Calendar;
    let horizon = last() + TimeDelta::days(3653);
    let ten_years = TimeDelta::days(3653);
    assert_eq!(
        calendar.deadline(last(), ten_years, &[]).unwrap(),
        Some(horizon)
    );
    let more = ten_years + TimeDelta::seconds(1);
    assert_eq!(calendar.deadline(last(), more, &[]).unwrap(), None);
    assert_eq!(calendar.elapsed(last(), horizon, &[]).unwrap(), ten_years);
    let beyond = horizon + TimeDelta::seconds(1);
    assert_refused(&calendar.elapsed(last(), beyond, &[]).unwrap_err(), "end");
    // The last second itself counts when the dealer is open then (UTC+0:
    // Friday 23:59:59 is closed; at −14:00 it is Friday 09:59:59, open).
    let west = business(-840);
    let one = west
        .deadline(last(), TimeDelta::seconds(1), &[])
        .unwrap()
        .unwrap();
    assert_eq!(one, last() + TimeDelta::seconds(1));
}

// ---------------------------------------------------------------------------
// Follow-up: plans, windows, slots, the queue
// ---------------------------------------------------------------------------

fn delivery(delivered_at: At) -> Delivery {
    Delivery {
        kind: DeliveryKind::Service,
        order: Some("WO-T-1".parse().unwrap()),
        customer: Some("C-0200".parse().unwrap()),
        name: "Wang Fang".parse().unwrap(),
        phone: Some("13800138000".parse().unwrap()),
        staff: "SA-03".parse().unwrap(),
        delivered_at,
        facts: DeliveryFacts::EMPTY,
        agreed: Default::default(),
    }
}

fn planned(delivered_at: At, policy: &Policy) -> PlannedTask {
    *plan_follow_up(
        &delivery(delivered_at),
        &mut RatioSampler::default(),
        policy,
    )
    .unwrap()
    .task(TaskKind::AfterSalesCall)
    .unwrap()
}

#[test]
fn a_plan_refuses_a_delivery_outside_the_range() {
    let policy = Policy::default();
    for t in [before(), after()] {
        let err = plan_follow_up(&delivery(t), &mut RatioSampler::default(), &policy).unwrap_err();
        let PlanError::Time(e) = err else {
            panic!("not a time refusal: {err}");
        };
        assert_refused(&e, "delivery.delivered_at");
    }
    for t in [first(), last()] {
        let plan = plan_follow_up(&delivery(t), &mut RatioSampler::default(), &policy).unwrap();
        assert_eq!(plan.delivered_at, t);
        assert!(plan.tasks.iter().all(|task| task.window.opens_at > t));
    }
}

#[test]
fn a_window_refuses_an_event_outside_the_range() {
    let calendar = DealerCalendar::default();
    for w in [ContactWindow::days(3, 7), ContactWindow::hours(24, 48)] {
        for t in [before(), after()] {
            assert_refused(&w.after(t, &calendar).unwrap_err(), "event");
        }
        for t in [first(), last()] {
            let bounds = w.after(t, &calendar).unwrap().unwrap();
            assert!(bounds.opens_at > t && bounds.opens_at < bounds.closes_at);
        }
    }
}

#[test]
fn the_dealers_local_time_refuses_an_instant_outside_the_range() {
    let calendar = DealerCalendar::default();
    for t in [before(), after()] {
        assert_refused(&calendar.local(t).unwrap_err(), "instant");
    }
    let local = calendar.local(last()).unwrap();
    assert_eq!(local.to_string(), "+10000-01-01 07:59:59 +08:00");
    assert_eq!(local, last());
    let local = calendar.local(first()).unwrap();
    assert_eq!(local.to_string(), "1900-01-01 08:00:00 +08:00");
}

#[test]
fn slots_refuse_an_instant_outside_the_range() {
    let policy = Policy::default();
    let fu = policy.follow_up();
    let window = planned(at("2026-03-02T17:40:00+08:00"), &policy).window;
    let anyone = PreferredContact::default();
    let p = CallPurpose::FollowUp;
    for t in [before(), after()] {
        assert_refused(
            &next_call_slot(t, &window, p, &anyone, fu).unwrap_err(),
            "after",
        );
        assert_refused(
            &next_agreed_call_slot(t, &window, p, &anyone, &anyone, fu).unwrap_err(),
            "after",
        );
    }
    // A window no local clock can show: refused naming the bound.
    let east = FixedOffset::east_opt(14 * 3600).unwrap();
    let beyond = WindowBounds {
        opens_at: window.opens_at,
        closes_at: east.from_utc_datetime(&DateTime::<Utc>::MAX_UTC.naive_utc()),
    };
    assert_refused(
        &call_slots(&beyond, p, &anyone, fu).err().unwrap(),
        "window.closes_at",
    );
    assert_refused(
        &next_call_slot(window.opens_at, &beyond, p, &anyone, fu).unwrap_err(),
        "window.closes_at",
    );
    let west = FixedOffset::west_opt(14 * 3600).unwrap();
    let before_all = WindowBounds {
        opens_at: west.from_utc_datetime(&DateTime::<Utc>::MIN_UTC.naive_utc()),
        closes_at: window.closes_at,
    };
    assert_refused(
        &call_slots(&before_all, p, &anyone, fu).err().unwrap(),
        "window.opens_at",
    );
    // The boundary instants are accepted.
    for t in [first(), last()] {
        let w = planned(t, &policy).window;
        assert!(next_call_slot(t, &w, p, &anyone, fu).unwrap().is_some());
        assert!(call_slots(&w, p, &anyone, fu).unwrap().next().is_some());
    }
}

#[test]
fn windows_slots_and_task_events_near_the_end_of_the_range_serialize() {
    // On main, serializing a window or the task events built from one
    // panicked near chrono's end; now the delivery is refused there, and
    // at the end of the supported range everything can be stored.
    let near_max = Utc
        .from_utc_datetime(&(DateTime::<Utc>::MAX_UTC.naive_utc() - TimeDelta::days(2)))
        .fixed_offset();
    let policy = Policy::default();
    assert!(matches!(
        plan_follow_up(&delivery(near_max), &mut RatioSampler::default(), &policy),
        Err(PlanError::Time(_))
    ));
    for offset_minutes in [840, 480, 0, -840] {
        let mut fu = policy.follow_up().clone();
        fu.calendar.utc_offset_minutes = offset_minutes;
        let policy = Policy::default().with_follow_up(fu).unwrap();
        let d = delivery(last());
        let plan = plan_follow_up(&d, &mut RatioSampler::default(), &policy).unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        assert!(json.contains("+10000-01-"), "{json}");
        let task = *plan.task(TaskKind::AfterSalesCall).unwrap();
        serde_json::to_string(&task.window_rule).unwrap();
        let mut t = FollowUpTask::new("FU-T-1".parse().unwrap());
        let events = t
            .execute(
                FollowUpCommand::Open {
                    at: last(),
                    delivery: d,
                    task,
                },
                &policy,
            )
            .unwrap();
        let json = serde_json::to_string(&events).unwrap();
        let back: Vec<FollowUpEvent> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, events);
        let slot = next_call_slot(
            last(),
            &task.window,
            CallPurpose::FollowUp,
            &PreferredContact::default(),
            policy.follow_up(),
        )
        .unwrap()
        .expect("a slot in the window");
        serde_json::to_string(&slot).unwrap();
        assert!(!slot.to_string().is_empty());
        // The window opens after the last supported instant: no call can be
        // recorded in it, and the task says so by waiting.
        assert!(matches!(
            t.next_step(last(), &policy).unwrap(),
            NextStep::Call { .. }
        ));
    }
}

fn open_task(policy: &Policy) -> FollowUpTask {
    let delivered = at("2026-03-02T17:00:00+08:00");
    let mut t = FollowUpTask::new("FU-T-2".parse().unwrap());
    t.execute(
        FollowUpCommand::Open {
            at: delivered,
            delivery: delivery(delivered),
            task: planned(delivered, policy),
        },
        policy,
    )
    .unwrap();
    t
}

fn follow_up_field(err: FollowUpError) -> &'static str {
    assert_eq!(err.rule(), None);
    match err {
        FollowUpError::InvalidInput { field, reason, .. } => {
            assert!(
                reason.contains("outside the supported time range"),
                "{reason}"
            );
            field
        }
        other => panic!("not a time refusal: {other}"),
    }
}

#[test]
fn follow_up_commands_refuse_times_outside_the_range() {
    let policy = Policy::default();
    let delivered = at("2026-03-02T17:00:00+08:00");
    let new = FollowUpTask::new("FU-T-3".parse().unwrap());
    let open = open_task(&policy);
    let by = StaffId::try_new("CR-1").unwrap();
    let in_window = at("2026-03-05T10:00:00+08:00");
    for t in [before(), after()] {
        let opening = |at_: At, delivered_at: At| FollowUpCommand::Open {
            at: at_,
            delivery: delivery(delivered_at),
            task: planned(delivered, &policy),
        };
        assert_eq!(
            follow_up_field(new.decide(&opening(t, delivered), &policy).unwrap_err()),
            "at"
        );
        assert_eq!(
            follow_up_field(new.decide(&opening(delivered, t), &policy).unwrap_err()),
            "delivery.delivered_at"
        );
        let cases = [
            (
                FollowUpCommand::RecordCall {
                    at: t,
                    by: by.clone(),
                    outcome: CallOutcome::NotReached {
                        reason: NotReachedReason::NoAnswer,
                    },
                },
                "at",
            ),
            (
                FollowUpCommand::RecordCall {
                    at: in_window,
                    by: by.clone(),
                    outcome: CallOutcome::Busy { call_back_at: t },
                },
                "outcome.call_back_at",
            ),
            (
                FollowUpCommand::RecordCall {
                    at: in_window,
                    by: by.clone(),
                    outcome: CallOutcome::NotTheCustomer {
                        call_back_at: Some(t),
                    },
                },
                "outcome.call_back_at",
            ),
            (FollowUpCommand::SendSms { at: t }, "at"),
            (FollowUpCommand::RecordSmsNotDelivered { at: t }, "at"),
            (
                FollowUpCommand::RecordSmsReply {
                    at: t,
                    reply: SmsReply::try_new("9").unwrap(),
                    voiced: Default::default(),
                },
                "at",
            ),
            (FollowUpCommand::CloseNotReached { now: t }, "now"),
        ];
        for (command, field) in cases {
            assert_eq!(
                follow_up_field(open.decide(&command, &policy).unwrap_err()),
                field,
                "{command:?}"
            );
        }
        assert_refused(&open.next_step(t, &policy).unwrap_err(), "now");
    }
    // A window bound no clock can show is refused on opening.
    let mut task = planned(delivered, &policy);
    task.window.closes_at = FixedOffset::east_opt(14 * 3600)
        .unwrap()
        .from_utc_datetime(&DateTime::<Utc>::MAX_UTC.naive_utc());
    let err = new
        .decide(
            &FollowUpCommand::Open {
                at: delivered,
                delivery: delivery(delivered),
                task,
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(follow_up_field(err), "task.window.closes_at");
    // At the boundaries the rules decide: a call at the last instant is
    // outside a 2026 window (FU-01), not outside the range.
    let late = FollowUpCommand::CloseNotReached { now: last() };
    assert_eq!(open.decide(&late, &policy).unwrap().len(), 1);
    let early = FollowUpCommand::RecordCall {
        at: first(),
        by,
        outcome: CallOutcome::NotReached {
            reason: NotReachedReason::NoAnswer,
        },
    };
    assert!(open.decide(&early, &policy).unwrap_err().rule().is_some());
    assert_eq!(
        open.next_step(last(), &policy).unwrap(),
        NextStep::CloseNotReached
    );
}

#[test]
fn the_call_queue_refuses_a_day_outside_the_range() {
    let policy = Policy::default();
    let task = open_task(&policy);
    let none = PreferredContact::default();
    for day in [
        NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(),
        NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
    ] {
        let err = call_queue([(&task, &none)], day, &policy).unwrap_err();
        assert_refused(&err, "date");
    }
    for day in [
        NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
    ] {
        let queue = call_queue([(&task, &none)], day, &policy).unwrap();
        assert_eq!(queue.date, day);
    }
    let in_window = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
    assert_eq!(
        call_queue([(&task, &none)], in_window, &policy)
            .unwrap()
            .entries
            .len(),
        1
    );
}

// ---------------------------------------------------------------------------
// Care
// ---------------------------------------------------------------------------

#[test]
fn the_care_calendar_refuses_days_outside_the_range() {
    let policy = Policy::default();
    let p = CareProfile::new(CustomerId::try_new("C-1").unwrap());
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let cases = [
        (day(1899, 12, 31), day(1900, 1, 1), "from"),
        (day(9999, 12, 31), day(10_000, 1, 1), "to"),
    ];
    for (from, to, field) in cases {
        let Err(CareError::Time(e)) = care_calendar([&p], from, to, &policy) else {
            panic!("{from}..{to} not refused");
        };
        assert_refused(&e, field);
    }
    assert!(care_calendar([&p], day(1900, 1, 1), day(1900, 1, 1), &policy).is_ok());
    assert!(care_calendar([&p], day(9999, 12, 31), day(9999, 12, 31), &policy).is_ok());
}

#[test]
fn a_repair_plan_outside_the_range_leaves_the_profile_unchanged() {
    let policy = Policy::default();
    let calendar = &policy.follow_up().calendar;
    let mut plan =
        plan_follow_up(&delivery(last()), &mut RatioSampler::default(), &policy).unwrap();
    let mut p = CareProfile::new(CustomerId::try_new("C-1").unwrap());
    p.record_repair_plan(&plan, calendar).unwrap();
    assert_eq!(
        p.last_repair_delivered,
        NaiveDate::from_ymd_opt(10_000, 1, 1),
        "the dealer's local date at +08:00"
    );
    for t in [before(), after()] {
        plan.delivered_at = t;
        let mut q = CareProfile::new(CustomerId::try_new("C-2").unwrap());
        let Err(CareError::Time(e)) = q.record_repair_plan(&plan, calendar) else {
            panic!("{t} not refused");
        };
        assert_refused(&e, "plan.delivered_at");
        assert_eq!(q, CareProfile::new(CustomerId::try_new("C-2").unwrap()));
    }
}

#[test]
fn an_open_safety_item_declined_near_the_end_of_chrono_does_not_panic() {
    // On main, `from_order` panicked reading the local date of a safety
    // item declined near `DateTime::<Utc>::MAX_UTC`.
    let (mut order, command) = support::before("By phone the customer authorizes the discs");
    let WorkOrderCommand::AnswerAddOns(answer) = command else {
        panic!("the step answers the add-ons");
    };
    let near_max = Utc
        .from_utc_datetime(&(DateTime::<Utc>::MAX_UTC.naive_utc() - TimeDelta::hours(1)))
        .fixed_offset();
    let declined = order.execute(
        WorkOrderCommand::AnswerAddOns(AnswerAddOns {
            at: near_max,
            authorized: vec![],
            declined: vec![ItemNo(4), ItemNo(5)],
            deferred: vec![],
            amount: Money::zero(Currency::CNY),
            ..answer
        }),
        &support::policy(),
    );
    let beijing = Policy::default().follow_up().calendar.clone();
    match declined {
        // The work order took the time: the care side refuses it.
        Ok(_) => {
            let Err(CareError::Time(e)) = OpenSafetyItem::from_order(&order, &beijing) else {
                panic!("an item declined at {near_max} is not refused");
            };
            assert_refused(&e, "item.status.at");
        }
        // The work order refuses such a time itself (the supported range
        // on its commands): nothing to read, and nothing panicked.
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn open_safety_items_at_the_range_ends_are_read() {
    for (t, local) in [(first(), (1900, 1, 1)), (last(), (10_000, 1, 1))] {
        let (mut order, command) = support::before("By phone the customer authorizes the discs");
        let WorkOrderCommand::AnswerAddOns(answer) = command else {
            panic!("the step answers the add-ons");
        };
        let result = order.execute(
            WorkOrderCommand::AnswerAddOns(AnswerAddOns {
                at: t,
                authorized: vec![],
                declined: vec![ItemNo(4), ItemNo(5)],
                deferred: vec![],
                amount: Money::zero(Currency::CNY),
                ..answer
            }),
            &support::policy(),
        );
        // 1900 is before the order's earlier steps (2026): the work order
        // refuses going back in time.
        if t == first() {
            assert!(result.is_err());
            continue;
        }
        result.unwrap();
        let beijing = Policy::default().follow_up().calendar.clone();
        let items = OpenSafetyItem::from_order(&order, &beijing).unwrap();
        assert_eq!(
            items[0].recorded_on,
            NaiveDate::from_ymd_opt(local.0, local.1, local.2).unwrap()
        );
    }
}
