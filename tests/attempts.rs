//! The follow-up task: attempts, SMS fallback, routing and findings
//! (FU-06 … FU-08, FU-12), and the day's queue.

use aftersales::{
    AfterSalesAnswers, Band, CallOutcome, Caller, ConcernKind, Delivery, DeliveryFacts,
    DeliveryKind, Demand, Emotion, Extent, FollowUpCommand, FollowUpError, FollowUpEvent,
    FollowUpOutcome, FollowUpResult, FollowUpTask, IntakeForm, InvalidNumberReason, NextStep,
    NotReachedReason, PlannedTask, Policy, PreferredContact, Question, Questionnaire, RatioSampler,
    Remarks, Route, RuleId, SalesAnswers, Score, SmsReply, TaskKind, TaskStatus, Triage,
    UnsuccessfulKind, Voiced, YesNo, call_queue, plan_follow_up, triage,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use proptest::prelude::*;

type At = DateTime<FixedOffset>;

fn at(s: &str) -> At {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn delivery(name: &str, phone: Option<&str>) -> Delivery {
    Delivery {
        kind: DeliveryKind::Service,
        order: Some("WO-2026-0200".parse().unwrap()),
        customer: Some("C-0200".parse().unwrap()),
        name: name.parse().unwrap(),
        phone: phone.map(|p| p.parse().unwrap()),
        staff: "SA-03".parse().unwrap(),
        // Window: 2026-03-05 00:00 until 2026-03-10 00:00 (days 3–7).
        delivered_at: at("2026-03-02T17:00:00+08:00"),
        facts: DeliveryFacts::EMPTY,
        agreed: Default::default(),
    }
}

fn planned(d: &Delivery, kind: TaskKind) -> PlannedTask {
    *plan_follow_up(d, &mut RatioSampler::default(), &Policy::default())
        .unwrap()
        .task(kind)
        .unwrap()
}

fn open(no: &str, d: Delivery) -> FollowUpTask {
    let mut task = FollowUpTask::new(no.parse().unwrap());
    let p = planned(&d, TaskKind::AfterSalesCall);
    task.execute(
        FollowUpCommand::Open {
            at: at("2026-03-02T18:00:00+08:00"),
            delivery: d,
            task: p,
        },
        &Policy::default(),
    )
    .unwrap();
    task
}

fn score(n: u8) -> Score {
    Score::try_new(n).unwrap()
}

fn answers(overall: u8) -> AfterSalesAnswers {
    AfterSalesAnswers {
        overall: score(overall),
        greeted_promptly: YesNo::Yes,
        walk_around_explained: YesNo::Yes,
        explained_and_signed: Extent::Fully,
        delivered_on_time: YesNo::Yes,
        charges_explained_at_vehicle: YesNo::Yes,
        next_service_advised: YesNo::Yes,
        old_parts_shown: YesNo::Yes,
        diagnosis: score(9),
        quality_and_time: score(9),
        remarks: None,
    }
}

fn call(at_: &str, outcome: CallOutcome) -> FollowUpCommand {
    FollowUpCommand::RecordCall {
        at: at(at_),
        by: "CR-01".parse().unwrap(),
        outcome,
    }
}

fn miss(at_: &str) -> FollowUpCommand {
    call(
        at_,
        CallOutcome::NotReached {
            reason: NotReachedReason::NoAnswer,
        },
    )
}

fn refused(task: &FollowUpTask, command: FollowUpCommand) -> FollowUpError {
    task.decide(&command, &Policy::default()).unwrap_err()
}

/// FU-07 exactly at 3, 4 and 5 unsuccessful attempts.
#[test]
fn the_four_attempt_rule() {
    let policy = Policy::default();
    let mut task = open("T-1", delivery("Qian Li", Some("13700000000")));
    for time in [
        "2026-03-05T09:10:00+08:00",
        "2026-03-05T16:10:00+08:00",
        "2026-03-06T09:10:00+08:00",
    ] {
        task.execute(miss(time), &policy).unwrap();
    }
    // At 3: the SMS is not due yet, a 4th call is.
    assert_eq!(task.unsuccessful_calls(), 3);
    let err = refused(
        &task,
        FollowUpCommand::SendSms {
            at: at("2026-03-06T10:00:00+08:00"),
        },
    );
    assert_eq!(err.rule(), RuleId::Fu07);
    assert!(
        err.to_string().contains("only 3 of 4 unsuccessful calls"),
        "{err}"
    );
    assert!(matches!(
        task.next_step(at("2026-03-06T10:00:00+08:00"), &policy),
        NextStep::Call { .. }
    ));
    task.execute(miss("2026-03-06T16:10:00+08:00"), &policy)
        .unwrap();
    // At 4: no more calls; the SMS is due.
    assert_eq!(task.unsuccessful_calls(), 4);
    assert_eq!(
        task.next_step(at("2026-03-06T17:00:00+08:00"), &policy),
        NextStep::SendSms
    );
    let err = refused(&task, miss("2026-03-07T09:10:00+08:00"));
    assert_eq!(err.rule(), RuleId::Fu07);
    assert_eq!(
        err.to_string(),
        "follow-up task `T-1` cannot record a call: 4 unsuccessful calls made: the follow-up goes on by SMS (FU-07)"
    );
    let events = task
        .execute(
            FollowUpCommand::SendSms {
                at: at("2026-03-07T09:30:00+08:00"),
            },
            &policy,
        )
        .unwrap();
    assert!(
        matches!(&events[0], FollowUpEvent::SmsSent { to, .. } if to.as_str() == "13700000000")
    );
    // A 5th call is refused while the SMS is out.
    let err = refused(&task, miss("2026-03-07T16:10:00+08:00"));
    assert_eq!(err.rule(), RuleId::Fu07);
    assert_eq!(task.calls(), 4);
    // The reply is recorded and routed by its band.
    task.execute(
        FollowUpCommand::RecordSmsReply {
            at: at("2026-03-07T12:00:00+08:00"),
            reply: "9".parse::<SmsReply>().unwrap(),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(task.sms_score(), Some(score(9)));
    assert_eq!(task.route(), Some(Route::Archive));
    assert_eq!(task.order_outcome(), Some(FollowUpOutcome::Completed));
    assert_eq!(task.unsuccessful_log().len(), 4);
}

/// What a finished task counts as in the SAT-02 report.
#[test]
fn tasks_become_report_results() {
    let policy = Policy::default();
    let result = |task: &FollowUpTask| FollowUpResult::of_task(task);
    let reached = |n| FollowUpResult::Reached {
        score: score(n),
        recommendation: None,
    };

    // Open and not yet called: no result.
    let mut answered = open("T-R1", delivery("Zhou Min", Some("13700000010")));
    assert_eq!(result(&answered), FollowUpResult::NoResult);
    answered
        .execute(
            call(
                "2026-03-05T09:10:00+08:00",
                CallOutcome::Answered {
                    answers: Questionnaire::AfterSales(answers(7)),
                    voiced: Voiced::Nothing,
                },
            ),
            &policy,
        )
        .unwrap();
    assert_eq!(result(&answered), reached(7));

    // Four misses, the last a powered-off phone; the SMS is out (no
    // result yet), then the reply counts as a successful follow-up.
    let mut by_sms = open("T-R2", delivery("Wu Jie", Some("13700000011")));
    let misses = [
        ("2026-03-05T09:10:00+08:00", NotReachedReason::NoAnswer),
        ("2026-03-05T16:10:00+08:00", NotReachedReason::NoAnswer),
        ("2026-03-06T09:10:00+08:00", NotReachedReason::Refused),
        ("2026-03-06T16:10:00+08:00", NotReachedReason::PoweredOff),
    ];
    for (time, reason) in misses {
        by_sms
            .execute(call(time, CallOutcome::NotReached { reason }), &policy)
            .unwrap();
    }
    by_sms
        .execute(
            FollowUpCommand::SendSms {
                at: at("2026-03-07T09:30:00+08:00"),
            },
            &policy,
        )
        .unwrap();
    assert_eq!(result(&by_sms), FollowUpResult::NoResult);
    let mut never_replied = by_sms.clone();
    by_sms
        .execute(
            FollowUpCommand::RecordSmsReply {
                at: at("2026-03-07T12:00:00+08:00"),
                reply: "9".parse().unwrap(),
            },
            &policy,
        )
        .unwrap();
    assert_eq!(result(&by_sms), reached(9));

    // No reply by the end of the window: unsuccessful, in the column of
    // the last call (powered off → unreachable).
    never_replied
        .execute(
            FollowUpCommand::CloseNotReached {
                now: at("2026-03-10T00:00:00+08:00"),
            },
            &policy,
        )
        .unwrap();
    assert_eq!(
        result(&never_replied),
        FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::Unreachable
        }
    );

    // A wrong number is "other".
    let mut wrong = open("T-R3", delivery("Zheng Hao", Some("13700000012")));
    wrong
        .execute(
            call(
                "2026-03-05T09:10:00+08:00",
                CallOutcome::InvalidNumber {
                    reason: InvalidNumberReason::NonExistent,
                },
            ),
            &policy,
        )
        .unwrap();
    assert_eq!(
        result(&wrong),
        FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::Other
        }
    );

    // Each not-reached reason lands in its column of table 8.
    use NotReachedReason as R;
    use UnsuccessfulKind as K;
    let columns: Vec<(R, K)> = NotReachedReason::ALL
        .iter()
        .map(|r| (*r, K::from(*r)))
        .collect();
    assert_eq!(
        columns,
        [
            (R::Suspended, K::Unreachable),
            (R::Refused, K::Refused),
            (R::LineBusy, K::Unreachable),
            (R::NoAnswer, K::NoAnswer),
            (R::CannotConnect, K::Unreachable),
            (R::PoweredOff, K::Unreachable),
            (R::NotTheCustomer, K::Other),
        ]
    );
}

#[test]
fn a_wrong_number_ends_the_task_without_sms() {
    let policy = Policy::default();
    let mut task = open("T-2", delivery("Sun Yu", Some("13700000001")));
    task.execute(
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::InvalidNumber {
                reason: InvalidNumberReason::WrongNumber,
            },
        ),
        &policy,
    )
    .unwrap();
    assert!(matches!(
        task.status(),
        TaskStatus::NumberInvalid {
            reason: InvalidNumberReason::WrongNumber,
            ..
        }
    ));
    assert_eq!(task.order_outcome(), Some(FollowUpOutcome::Abandoned));
    assert_eq!(
        refused(&task, miss("2026-03-05T16:10:00+08:00")).rule(),
        RuleId::Fu06
    );
    let err = refused(
        &task,
        FollowUpCommand::SendSms {
            at: at("2026-03-05T16:10:00+08:00"),
        },
    );
    assert_eq!(err.rule(), RuleId::Fu07);
    assert!(err.to_string().contains("the number is invalid"), "{err}");
    assert_eq!(
        task.next_step(at("2026-03-06T09:00:00+08:00"), &policy),
        NextStep::Nothing
    );
}

#[test]
fn no_sms_without_a_number() {
    let policy = Policy::default();
    let mut task = open("T-3", delivery("Zhou Jie", None));
    for day in 5..9 {
        task.execute(miss(&format!("2026-03-0{day}T09:10:00+08:00")), &policy)
            .unwrap();
    }
    let err = refused(
        &task,
        FollowUpCommand::SendSms {
            at: at("2026-03-09T09:30:00+08:00"),
        },
    );
    assert!(err.to_string().contains("no number to text"), "{err}");
}

#[test]
fn busy_reschedules_inside_the_window_only() {
    let policy = Policy::default();
    let mut task = open("T-4", delivery("Wu Hao", Some("13700000002")));
    let err = refused(
        &task,
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::Busy {
                call_back_at: at("2026-03-10T10:00:00+08:00"),
            },
        ),
    );
    assert_eq!(err.rule(), RuleId::Fu01);
    task.execute(
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::Busy {
                call_back_at: at("2026-03-05T20:00:00+08:00"),
            },
        ),
        &policy,
    )
    .unwrap();
    assert_eq!(
        task.unsuccessful_calls(),
        0,
        "a busy customer is not an unsuccessful call"
    );
    assert_eq!(
        task.next_step(at("2026-03-05T10:00:00+08:00"), &policy),
        NextStep::Call {
            not_before: at("2026-03-05T20:00:00+08:00")
        }
    );
    // Someone else answers without a time: unsuccessful.
    task.execute(
        call(
            "2026-03-05T20:00:00+08:00",
            CallOutcome::NotTheCustomer { call_back_at: None },
        ),
        &policy,
    )
    .unwrap();
    assert_eq!(
        task.unsuccessful_log()[0].1,
        NotReachedReason::NotTheCustomer
    );
}

#[test]
fn calls_outside_the_window_are_refused() {
    let task = open("T-5", delivery("Zheng Wei", Some("13700000003")));
    let err = refused(&task, miss("2026-03-04T23:59:59+08:00"));
    assert_eq!(err.rule(), RuleId::Fu01);
    let err = refused(&task, miss("2026-03-10T00:00:00+08:00"));
    assert_eq!(err.rule(), RuleId::Fu01);
    assert!(
        task.decide(&miss("2026-03-09T23:59:59+08:00"), &Policy::default())
            .is_ok()
    );
}

#[test]
fn the_window_running_out_ends_the_task_and_a_late_reply_still_counts() {
    let policy = Policy::default();
    let mut task = open("T-6", delivery("Feng Lan", Some("13700000004")));
    for day in 5..9 {
        task.execute(miss(&format!("2026-03-0{day}T09:10:00+08:00")), &policy)
            .unwrap();
    }
    task.execute(
        FollowUpCommand::SendSms {
            at: at("2026-03-08T10:00:00+08:00"),
        },
        &policy,
    )
    .unwrap();
    let err = refused(
        &task,
        FollowUpCommand::CloseNotReached {
            now: at("2026-03-09T23:00:00+08:00"),
        },
    );
    assert_eq!(err.rule(), RuleId::Fu01);
    assert_eq!(
        task.next_step(at("2026-03-10T00:00:00+08:00"), &policy),
        NextStep::CloseNotReached
    );
    task.execute(
        FollowUpCommand::CloseNotReached {
            now: at("2026-03-10T00:00:00+08:00"),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(task.order_outcome(), Some(FollowUpOutcome::Abandoned));
    task.execute(
        FollowUpCommand::RecordSmsReply {
            at: at("2026-03-10T08:00:00+08:00"),
            reply: "4".parse().unwrap(),
        },
        &policy,
    )
    .unwrap();
    assert_eq!(
        task.route(),
        Some(Route::GrievanceForm),
        "a score of 4 is dissatisfied"
    );
    assert_eq!(task.order_outcome(), Some(FollowUpOutcome::Completed));
}

#[test]
fn routing_of_successful_calls() {
    let policy = Policy::default();
    let cases = [
        (9, Voiced::Nothing, Route::Archive, Band::FullySatisfied),
        (7, Voiced::Remark, Route::Archive, Band::BasicallySatisfied),
        (5, Voiced::Nothing, Route::GrievanceForm, Band::Dissatisfied),
        (
            9,
            Voiced::Grievance,
            Route::GrievanceForm,
            Band::FullySatisfied,
        ),
        (
            9,
            Voiced::Complaint,
            Route::UrgentComplaint,
            Band::FullySatisfied,
        ),
    ];
    for (overall, voiced, route, band) in cases {
        let mut task = open("T-7", delivery("Chen Bo", Some("13700000005")));
        let events = task
            .execute(
                call(
                    "2026-03-05T09:10:00+08:00",
                    CallOutcome::Answered {
                        answers: Questionnaire::AfterSales(answers(overall)),
                        voiced,
                    },
                ),
                &policy,
            )
            .unwrap();
        assert!(
            matches!(&events[0], FollowUpEvent::CallAnswered { band: b, route: r, .. } if *b == band && *r == route),
            "{overall} {voiced}: {events:?}"
        );
        assert_eq!(task.route(), Some(route));
        assert_eq!(task.concern().is_some(), route != Route::Archive);
    }
}

/// A complaint in the call hands a concern to intake, which sends it to
/// the urgent complaint form once the remedy, emotion and facts are noted.
#[test]
fn a_complaint_is_handed_to_intake() {
    let policy = Policy::default();
    let mut task = open("T-8", delivery("He Jun", Some("13700000006")));
    let mut a = answers(3);
    a.remarks = Some(Remarks::try_new("the noise is back after two days").unwrap());
    task.execute(
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::AfterSales(a),
                voiced: Voiced::Complaint,
            },
        ),
        &policy,
    )
    .unwrap();
    let mut concern = task.concern().unwrap();
    assert_eq!(concern.kind, Some(ConcernKind::Complaint));
    assert_eq!(concern.description, "the noise is back after two days");
    assert_eq!(concern.customer.as_ref().unwrap().as_str(), "C-0200");
    assert!(matches!(
        triage(&concern).triage,
        Triage::AskCustomerBack { .. }
    ));
    concern.demands = vec![Demand::FreeRepair];
    concern.emotion = Some(Emotion::Angry);
    concern.facts = [aftersales::ComplaintFact::TechnicalFault]
        .into_iter()
        .collect();
    assert!(matches!(
        triage(&concern).triage,
        Triage::Complaint {
            form: IntakeForm::UrgentComplaintForm,
            ..
        }
    ));
}

/// FU-12: a "no" to Q8 is a finding against the order's advisor, even
/// with a 10 overall.
#[test]
fn process_findings_from_answers() {
    let policy = Policy::default();
    let mut task = open("T-9", delivery("Lin Na", Some("13700000007")));
    let mut a = answers(10);
    a.old_parts_shown = YesNo::No;
    a.explained_and_signed = Extent::Partly;
    task.execute(
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::AfterSales(a),
                voiced: Voiced::Nothing,
            },
        ),
        &policy,
    )
    .unwrap();
    assert_eq!(task.route(), Some(Route::Archive));
    let findings = task.process_findings();
    let got: Vec<_> = findings
        .iter()
        .map(|f| (f.question, f.checks, f.against.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Question::AfterSalesExplainedAndSigned,
                RuleId::Wo10,
                "SA-03"
            ),
            (Question::AfterSalesOldPartsShown, RuleId::Wo21, "SA-03"),
        ]
    );
    assert_eq!(
        findings[1].reason().to_string(),
        "order `WO-2026-0200`: customer answered no to Q8 (WO-21), against `SA-03` (FU-12)"
    );
}

#[test]
fn the_form_must_match_the_call() {
    let task = open("T-10", delivery("Ma Rui", Some("13700000008")));
    let sales = SalesAnswers {
        waiting_time: score(9),
        product_information: score(9),
        test_drive_offered: YesNo::Yes,
        delivery_time_met: YesNo::Yes,
        fuel_light_on: YesNo::No,
        questions_answered: YesNo::Yes,
        use_and_maintenance: score(9),
        contacted_after_delivery: YesNo::Yes,
        advisor_introduced: YesNo::Yes,
        cashier_satisfied: YesNo::Yes,
        remarks: None,
    };
    let err = refused(
        &task,
        call(
            "2026-03-05T09:10:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::Sales(sales),
                voiced: Voiced::Nothing,
            },
        ),
    );
    assert_eq!(err.rule(), RuleId::Fu11);
}

#[test]
fn data_handover_is_not_a_call_task() {
    let d = delivery("Gao Yan", Some("13700000009"));
    let handover = planned(&d, TaskKind::DataHandover);
    let task = FollowUpTask::new("T-11".parse().unwrap());
    let err = task
        .decide(
            &FollowUpCommand::Open {
                at: at("2026-03-02T18:00:00+08:00"),
                delivery: d,
                task: handover,
            },
            &Policy::default(),
        )
        .unwrap_err();
    assert_eq!(err.rule(), RuleId::Fu06);
}

/// A morning's queue: a fresh task at 9:00, an agreed evening call, a task
/// due for its SMS, one whose window ran out, and one not due yet.
#[test]
fn queue_snapshot() {
    let policy = Policy::default();
    let fresh = open("T-21", delivery("Qian Li", Some("13700000010")));
    let mut evening = open("T-22", delivery("Wu Hao", Some("13700000011")));
    evening
        .execute(
            call(
                "2026-03-05T09:05:00+08:00",
                CallOutcome::Busy {
                    call_back_at: at("2026-03-06T19:30:00+08:00"),
                },
            ),
            &policy,
        )
        .unwrap();
    let mut sms = open("T-23", delivery("Sun Yu", Some("13700000012")));
    for t in [
        "2026-03-05T09:10:00+08:00",
        "2026-03-05T16:10:00+08:00",
        "2026-03-05T17:10:00+08:00",
        "2026-03-05T18:10:00+08:00",
    ] {
        sms.execute(miss(t), &policy).unwrap();
    }
    let mut early = delivery("Zhou Jie", Some("13700000013"));
    early.delivered_at = at("2026-02-26T10:00:00+08:00"); // window ended 2026-03-06 00:00
    let expired = open("T-24", early);
    let mut later = delivery("Lin Na", Some("13700000014"));
    later.delivered_at = at("2026-03-05T10:00:00+08:00"); // opens 2026-03-08
    let not_yet = open("T-25", later);
    let mut late_agreed = open("T-26", delivery("Ma Rui", Some("13700000015")));
    late_agreed
        .execute(
            call(
                "2026-03-05T16:05:00+08:00",
                CallOutcome::NotTheCustomer {
                    call_back_at: Some(at("2026-03-06T20:15:00+08:00")),
                },
            ),
            &policy,
        )
        .unwrap();
    let evening_pref = PreferredContact {
        channel: None,
        times: vec![
            aftersales::LocalTimeRange::try_new(
                chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
                chrono::NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            )
            .unwrap(),
        ],
    };
    let none = PreferredContact::default();
    let queue = call_queue(
        [
            (&fresh, &none),
            (&evening, &evening_pref),
            (&sms, &none),
            (&expired, &none),
            (&not_yet, &none),
            (&late_agreed, &none),
        ],
        NaiveDate::from_ymd_opt(2026, 3, 6).unwrap(),
        &policy,
    );
    insta::assert_snapshot!(queue.render());
    assert_eq!(queue.entries.len(), 5);
    assert!(
        queue
            .entries
            .iter()
            .all(|e| e.caller == Caller::CustomerRelations)
    );
}

#[test]
fn events_round_trip_and_replay() {
    let policy = Policy::default();
    let mut task = FollowUpTask::new("T-30".parse().unwrap());
    let d = delivery("Xu Ming", Some("13700000020"));
    let p = planned(&d, TaskKind::AfterSalesCall);
    let mut log = task
        .execute(
            FollowUpCommand::Open {
                at: at("2026-03-02T18:00:00+08:00"),
                delivery: d,
                task: p,
            },
            &policy,
        )
        .unwrap();
    log.extend(
        task.execute(miss("2026-03-05T09:10:00+08:00"), &policy)
            .unwrap(),
    );
    log.extend(
        task.execute(
            call(
                "2026-03-05T16:10:00+08:00",
                CallOutcome::Answered {
                    answers: Questionnaire::AfterSales(answers(8)),
                    voiced: Voiced::Remark,
                },
            ),
            &policy,
        )
        .unwrap(),
    );
    let json = serde_json::to_string(&log).unwrap();
    let back: Vec<FollowUpEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    let replayed = FollowUpTask::replay("T-30".parse().unwrap(), &back);
    assert_eq!(replayed, task);
    assert_eq!(
        log.iter().map(FollowUpEvent::name).collect::<Vec<_>>(),
        ["task_opened", "call_unsuccessful", "call_answered"]
    );
}

fn outcome_strategy() -> impl Strategy<Value = (u32, u8)> {
    // (minutes after the window opens, outcome selector)
    (0u32..7 * 24 * 60, 0u8..12)
}

fn outcome(sel: u8, at_: At) -> CallOutcome {
    match sel {
        0 => CallOutcome::Answered {
            answers: Questionnaire::AfterSales(answers(1 + (at_.timestamp() % 10) as u8)),
            voiced: Voiced::ALL[(at_.timestamp() % 4) as usize],
        },
        1 => CallOutcome::Busy {
            call_back_at: at_ + TimeDelta::hours(2),
        },
        2 => CallOutcome::NotTheCustomer {
            call_back_at: Some(at_ + TimeDelta::hours(1)),
        },
        3 => CallOutcome::NotTheCustomer { call_back_at: None },
        4 => CallOutcome::InvalidNumber {
            reason: InvalidNumberReason::NonExistent,
        },
        n => CallOutcome::NotReached {
            reason: NotReachedReason::ALL[(n as usize) % NotReachedReason::ALL.len()],
        },
    }
}

proptest! {
    /// Any sequence of commands: nothing panics, the policy's limits hold
    /// after every step, and replaying the accepted events rebuilds the
    /// task.
    #[test]
    fn attempts_stay_within_the_policy(steps in proptest::collection::vec((outcome_strategy(), 0u8..10), 0..30)) {
        let policy = Policy::default();
        let fu = policy.follow_up();
        let mut task = open("T-P", delivery("Prop Test", Some("13700000099")));
        let mut log = Vec::new();
        let opens = at("2026-03-05T00:00:00+08:00");
        let mut minutes: Vec<_> = steps.iter().map(|((m, _), _)| *m).collect();
        minutes.sort_unstable();
        for (((_, sel), kind), m) in steps.iter().zip(minutes) {
            let when = opens + TimeDelta::minutes(i64::from(m));
            let command = match kind {
                0 => FollowUpCommand::SendSms { at: when },
                1 => FollowUpCommand::RecordSmsReply { at: when, reply: SmsReply::new(score(1 + *sel % 10)) },
                2 => FollowUpCommand::CloseNotReached { now: when + TimeDelta::days(3) },
                _ => FollowUpCommand::RecordCall { at: when, by: "CR-09".parse().unwrap(), outcome: outcome(*sel, when) },
            };
            if let Ok(events) = task.execute(command, &policy) {
                log.extend(events);
            }
            prop_assert!(task.calls() <= fu.max_calls);
            prop_assert!(task.unsuccessful_calls() <= fu.sms_after_unsuccessful);
            let sms_sent = log.iter().filter(|e| matches!(e, FollowUpEvent::SmsSent { .. })).count();
            prop_assert!(sms_sent <= 1);
            if matches!(task.status(), TaskStatus::NumberInvalid { .. }) {
                prop_assert_eq!(sms_sent, 0, "no SMS to an invalid number");
            }
        }
        let mut all = vec![];
        let d = delivery("Prop Test", Some("13700000099"));
        let p = planned(&d, TaskKind::AfterSalesCall);
        all.push(FollowUpEvent::TaskOpened { at: at("2026-03-02T18:00:00+08:00"), delivery: d, task: p });
        all.extend(log);
        prop_assert_eq!(FollowUpTask::replay("T-P".parse().unwrap(), &all), task);
    }
}
