//! The follow-up task: attempts, SMS fallback, routing and findings
//! (FU-06 … FU-08, FU-12), and the day's queue.

use aftersales::{
    AfterSalesAnswers, Band, CallOutcome, Caller, ConcernKind, Delivery, DeliveryFacts,
    DeliveryKind, Demand, Emotion, Extent, FollowUpAction, FollowUpCommand, FollowUpError,
    FollowUpEvent, FollowUpOutcome, FollowUpResult, FollowUpTask, IntakeForm, InvalidNumberReason,
    NextStep, NotReachedReason, PlannedTask, Policy, PreferredContact, Question, Questionnaire,
    RatioSampler, Remarks, Route, RuleId, SalesAnswers, SalesScoreBasis, SatisfactionPolicy, Score,
    ScoreSource, SmsReason, SmsReply, SmsSendStatus, TaskKind, TaskStatus, Triage,
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

pub(crate) fn answers(overall: u8) -> AfterSalesAnswers {
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
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert!(
        err.to_string().contains("only 3 of 4 unsuccessful calls"),
        "{err}"
    );
    assert!(matches!(
        task.next_step(at("2026-03-06T10:00:00+08:00"), &policy)
            .unwrap(),
        NextStep::Call { .. }
    ));
    task.execute(miss("2026-03-06T16:10:00+08:00"), &policy)
        .unwrap();
    // At 4: no more calls; the SMS is due.
    assert_eq!(task.unsuccessful_calls(), 4);
    assert_eq!(
        task.next_step(at("2026-03-06T17:00:00+08:00"), &policy)
            .unwrap(),
        NextStep::SendSms
    );
    let err = refused(&task, miss("2026-03-07T09:10:00+08:00"));
    assert_eq!(err.rule(), Some(RuleId::Fu07));
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
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert_eq!(task.calls(), 4);
    // The reply is recorded and routed by its band.
    task.execute(
        FollowUpCommand::RecordSmsReply {
            at: at("2026-03-07T12:00:00+08:00"),
            reply: "9".parse::<SmsReply>().unwrap(),
            voiced: Voiced::Nothing,
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
    let reached = |n, source| FollowUpResult::Reached {
        score: score(n),
        recommendation: None,
        source: Some(source),
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
    assert_eq!(
        result(&answered),
        reached(7, ScoreSource::PhoneQuestionnaire)
    );

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
                voiced: Voiced::Nothing,
            },
            &policy,
        )
        .unwrap();
    assert_eq!(result(&by_sms), reached(9, ScoreSource::SmsReply));

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
        Some(RuleId::Fu06)
    );
    let err = refused(
        &task,
        FollowUpCommand::SendSms {
            at: at("2026-03-05T16:10:00+08:00"),
        },
    );
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert!(err.to_string().contains("the number is invalid"), "{err}");
    assert_eq!(
        task.next_step(at("2026-03-06T09:00:00+08:00"), &policy)
            .unwrap(),
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
    assert_eq!(err.rule(), Some(RuleId::Fu01));
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
        task.next_step(at("2026-03-05T10:00:00+08:00"), &policy)
            .unwrap(),
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
    assert_eq!(err.rule(), Some(RuleId::Fu01));
    let err = refused(&task, miss("2026-03-10T00:00:00+08:00"));
    assert_eq!(err.rule(), Some(RuleId::Fu01));
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
    assert_eq!(err.rule(), Some(RuleId::Fu01));
    assert_eq!(
        task.next_step(at("2026-03-10T00:00:00+08:00"), &policy)
            .unwrap(),
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
            voiced: Voiced::Nothing,
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
        triage(&concern).unwrap().triage,
        Triage::AskCustomerBack { .. }
    ));
    concern.demands = vec![Demand::FreeRepair];
    concern.emotion = Some(Emotion::Angry);
    concern.facts = [aftersales::ComplaintFact::TechnicalFault]
        .into_iter()
        .collect();
    assert!(matches!(
        triage(&concern).unwrap().triage,
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
    assert_eq!(err.rule(), Some(RuleId::Fu11));
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
    assert_eq!(err.rule(), Some(RuleId::Fu06));
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
    )
    .unwrap();
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

// --- FU-07: the SMS as the customer answers it ---------------------------

/// A task whose four calls were missed and whose SMS went out at 09:30 on
/// the 7th.
fn sms_out(no: &str, name: &str) -> FollowUpTask {
    let policy = Policy::default();
    let mut task = open(no, delivery(name, Some("13700000030")));
    for time in [
        "2026-03-05T09:10:00+08:00",
        "2026-03-05T16:10:00+08:00",
        "2026-03-06T09:10:00+08:00",
        "2026-03-06T16:10:00+08:00",
    ] {
        task.execute(miss(time), &policy).unwrap();
    }
    task.execute(
        FollowUpCommand::SendSms {
            at: at("2026-03-07T09:30:00+08:00"),
        },
        &policy,
    )
    .unwrap();
    task
}

fn reply(text: &str, voiced: Voiced) -> FollowUpCommand {
    FollowUpCommand::RecordSmsReply {
        at: at("2026-03-07T12:00:00+08:00"),
        reply: text.parse().unwrap(),
        voiced,
    }
}

#[test]
fn the_sms_template_is_the_one_of_002() {
    let policy = Policy::default();
    let template = &policy.follow_up().sms_template;
    assert_eq!(
        template.render_zh("一汽丰田", "XX鑫宝4S店"),
        "尊敬的一汽丰田客户,您好!请问您对一汽丰田XX鑫宝4S店提供的服务是否满意?请回复按照1-10分打分。感谢您的回复!"
    );
    assert!(
        template
            .render_en("FAW Toyota", "Xinbao")
            .contains("Please reply with a score from 1 to 10"),
    );
    let json = r#"{ "follow_up": { "sms_template": { "zh": "{dealer}回访：请回复1-10分" } } }"#;
    let custom: Policy = serde_json::from_str(json).unwrap();
    assert_eq!(
        custom
            .follow_up()
            .sms_template
            .render_zh("一汽丰田", "鑫宝"),
        "鑫宝回访：请回复1-10分"
    );
    let json = r#"{ "follow_up": { "sms_template": { "zh": "{name}您好" } } }"#;
    let err = serde_json::from_str::<Policy>(json).unwrap_err();
    assert!(
        err.to_string().contains("follow_up.sms_template.zh"),
        "{err}"
    );
    assert!(err.to_string().contains("FU-07"), "{err}");
}

#[test]
fn a_text_reply_is_kept_not_refused() {
    let policy = Policy::default();
    let mut task = sms_out("T-S1", "Lin Na");
    let events = task
        .execute(reply("满意", Voiced::Nothing), &policy)
        .unwrap();
    assert_eq!(
        events,
        [FollowUpEvent::SmsReplied {
            at: at("2026-03-07T12:00:00+08:00"),
            reply: Some("满意".parse().unwrap()),
            score: None,
            band: None,
            voiced: Voiced::Nothing,
            route: Route::Archive,
        }]
    );
    let (when, kept) = task.sms_reply().unwrap();
    assert_eq!(
        (when, kept.text()),
        (at("2026-03-07T12:00:00+08:00"), "满意")
    );
    assert_eq!(task.sms_score(), None);
    assert_eq!(task.route(), Some(Route::Archive));
    assert_eq!(task.order_outcome(), Some(FollowUpOutcome::Completed));
    assert_eq!(task.concern(), None);
    // No score to band: the vehicle counts, but not as a successful
    // follow-up of table 7 or 8.
    assert_eq!(FollowUpResult::of_task(&task), FollowUpResult::NoResult);
    // The SMS record (表13).
    let records = task.sms_records();
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.name.to_string(), "Lin Na");
    assert_eq!(r.to.as_str(), "13700000030");
    assert_eq!(r.reason, Some(SmsReason::UnsuccessfulCalls));
    assert_eq!(r.sent_at, at("2026-03-07T09:30:00+08:00"));
    assert_eq!(r.status, SmsSendStatus::Sent);
    assert_eq!(r.reply.as_ref().map(SmsReply::text), Some("满意"));
    assert_eq!(r.replied_at, Some(at("2026-03-07T12:00:00+08:00")));
    assert_eq!(
        r.to_string(),
        "Lin Na 13700000030 2026-03-07 09:30 多次回访未成功 follow-up calls unsuccessful \
         / 已发送 sent / 回复 reply: 满意"
    );
}

#[test]
fn an_sms_reply_is_routed_by_its_score_or_as_read() {
    let policy = Policy::default();
    let cases = [
        (
            "9",
            Voiced::Nothing,
            Some(Band::FullySatisfied),
            Route::Archive,
        ),
        (
            "６分",
            Voiced::Nothing,
            Some(Band::BasicallySatisfied),
            Route::Archive,
        ),
        (
            "5",
            Voiced::Nothing,
            Some(Band::Dissatisfied),
            Route::GrievanceForm,
        ),
        (
            "9",
            Voiced::Complaint,
            Some(Band::FullySatisfied),
            Route::UrgentComplaint,
        ),
        ("满意", Voiced::Remark, None, Route::Archive),
        ("太差了", Voiced::Grievance, None, Route::GrievanceForm),
        ("要投诉", Voiced::Complaint, None, Route::UrgentComplaint),
    ];
    for (text, voiced, band, route) in cases {
        let mut task = sms_out("T-S2", "Hu Bo");
        let events = task.execute(reply(text, voiced), &policy).unwrap();
        assert!(
            matches!(
                &events[0],
                FollowUpEvent::SmsReplied { band: b, route: r, voiced: v, .. }
                    if *b == band && *r == route && *v == voiced
            ),
            "{text}: {events:?}"
        );
        assert_eq!(task.route(), Some(route), "{text}");
        assert_eq!(task.concern().is_some(), route != Route::Archive, "{text}");
    }
    // A text reply goes to intake as written.
    let mut task = sms_out("T-S3", "Hu Bo");
    task.execute(reply("太差了", Voiced::Grievance), &policy)
        .unwrap();
    let concern = task.concern().unwrap();
    assert_eq!(concern.description, "SMS follow-up reply: 太差了");
    assert_eq!(concern.kind, Some(ConcernKind::Grievance));
    // The voiced judgement defaults to nothing in stored commands.
    let json = r#"{"command":"record_sms_reply","at":"2026-03-07T12:00:00+08:00","reply":"好"}"#;
    let command: FollowUpCommand = serde_json::from_str(json).unwrap();
    assert_eq!(command, reply("好", Voiced::Nothing));
}

#[test]
fn an_sms_not_delivered_may_be_sent_again() {
    let policy = Policy::default();
    let mut task = sms_out("T-S4", "Tang Yi");
    let not_delivered = |t: &str| FollowUpCommand::RecordSmsNotDelivered { at: at(t) };
    // Not before it was sent.
    let err = refused(&task, not_delivered("2026-03-07T09:29:59+08:00"));
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert_eq!(err.action(), FollowUpAction::RecordSmsNotDelivered);
    assert!(err.to_string().contains("before the SMS was sent"), "{err}");
    let events = task
        .execute(not_delivered("2026-03-07T09:30:00+08:00"), &policy)
        .unwrap();
    assert_eq!(
        events,
        [FollowUpEvent::SmsNotDelivered {
            at: at("2026-03-07T09:30:00+08:00")
        }]
    );
    assert_eq!(events[0].name(), "sms_not_delivered");
    assert_eq!(events[0].at(), at("2026-03-07T09:30:00+08:00"));
    assert_eq!(task.status(), TaskStatus::Open);
    assert_eq!(
        task.next_step(at("2026-03-07T10:00:00+08:00"), &policy)
            .unwrap(),
        NextStep::SendSms
    );
    // No reply to an SMS that never arrived, and no second report.
    let err = refused(&task, reply("9", Voiced::Nothing));
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    let err = refused(&task, not_delivered("2026-03-07T10:00:00+08:00"));
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert!(err.to_string().contains("the task is open"), "{err}");
    // Sent again, and answered.
    task.execute(
        FollowUpCommand::SendSms {
            at: at("2026-03-07T10:30:00+08:00"),
        },
        &policy,
    )
    .unwrap();
    task.execute(
        FollowUpCommand::RecordSmsReply {
            at: at("2026-03-07T11:00:00+08:00"),
            reply: "8".parse().unwrap(),
            voiced: Voiced::Nothing,
        },
        &policy,
    )
    .unwrap();
    let records = task.sms_records();
    let lines: Vec<(SmsSendStatus, Option<&str>)> = records
        .iter()
        .map(|r| (r.status, r.reply.as_ref().map(SmsReply::text)))
        .collect();
    assert_eq!(
        lines,
        [
            (SmsSendStatus::NotDelivered, None),
            (SmsSendStatus::Sent, Some("8"))
        ]
    );
    assert!(
        records[0]
            .to_string()
            .ends_with("/ 发送失败 not delivered / 未回复 no reply")
    );
    // Not while nothing is out.
    let fresh = open("T-S5", delivery("Tang Yi", Some("13700000031")));
    let err = refused(&fresh, not_delivered("2026-03-07T09:30:00+08:00"));
    assert_eq!(err.rule(), Some(RuleId::Fu07));
    assert!(fresh.sms_records().is_empty());
    assert!(
        FollowUpTask::new("T-S6".parse().unwrap())
            .sms_records()
            .is_empty()
    );
}

#[test]
fn the_sms_reason_says_when_the_calls_ran_out_on_call_backs() {
    let policy = Policy::default();
    let mut task = open("T-S7", delivery("Deng Yu", Some("13700000032")));
    let max = policy.follow_up().max_calls;
    let mut minute = 0i64;
    let base = at("2026-03-05T09:00:00+08:00");
    for _ in 0..max {
        let when = base + TimeDelta::minutes(minute);
        minute += 30;
        task.execute(
            FollowUpCommand::RecordCall {
                at: when,
                by: "CR-01".parse().unwrap(),
                outcome: CallOutcome::Busy {
                    call_back_at: base + TimeDelta::minutes(minute),
                },
            },
            &policy,
        )
        .unwrap();
    }
    assert_eq!(task.unsuccessful_calls(), 0);
    let events = task
        .execute(
            FollowUpCommand::SendSms {
                at: base + TimeDelta::minutes(minute),
            },
            &policy,
        )
        .unwrap();
    assert!(
        matches!(
            &events[0],
            FollowUpEvent::SmsSent {
                reason: Some(SmsReason::CallLimitReached),
                ..
            }
        ),
        "{events:?}"
    );
    assert_eq!(
        task.sms_records()[0].reason,
        Some(SmsReason::CallLimitReached)
    );
}

/// A new-car delivery's sales call, answered 5, 10, 10 on Q1, Q2, Q7.
fn sales_call(policy: &Policy) -> FollowUpTask {
    let d = Delivery {
        kind: DeliveryKind::NewCar,
        order: None,
        ..delivery("Cao Jun", Some("13700000040"))
    };
    let p = planned(&d, TaskKind::SalesCall);
    let mut task = FollowUpTask::new("T-S8".parse().unwrap());
    task.execute(
        FollowUpCommand::Open {
            at: at("2026-03-02T18:00:00+08:00"),
            delivery: d,
            task: p,
        },
        policy,
    )
    .unwrap();
    let answers = SalesAnswers {
        waiting_time: score(5),
        product_information: score(10),
        test_drive_offered: YesNo::Yes,
        delivery_time_met: YesNo::Yes,
        fuel_light_on: YesNo::No,
        questions_answered: YesNo::Yes,
        use_and_maintenance: score(10),
        contacted_after_delivery: YesNo::Yes,
        advisor_introduced: YesNo::Yes,
        cashier_satisfied: YesNo::Yes,
        remarks: None,
    };
    task.execute(
        call(
            "2026-03-10T09:10:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::Sales(answers),
                voiced: Voiced::Nothing,
            },
        ),
        policy,
    )
    .unwrap();
    task
}

#[test]
fn a_sales_call_is_scored_on_the_policys_basis() {
    // The crate default: the mean, 8, fully satisfied.
    let task = sales_call(&Policy::default());
    assert_eq!(task.call_score(), Some(score(8)));
    assert_eq!(task.route(), Some(Route::Archive));
    assert_eq!(
        FollowUpResult::of_task(&task),
        FollowUpResult::Reached {
            score: score(8),
            recommendation: None,
            source: Some(ScoreSource::PhoneQuestionnaire),
        }
    );
    // Under `min`: 5, dissatisfied, and the grievance form.
    let min = Policy::default()
        .with_satisfaction(SatisfactionPolicy {
            sales_score: SalesScoreBasis::Min,
            ..SatisfactionPolicy::default()
        })
        .unwrap();
    let task = sales_call(&min);
    assert_eq!(task.call_score(), Some(score(5)));
    assert_eq!(task.route(), Some(Route::GrievanceForm));
    let concern = task.concern().unwrap();
    assert_eq!(concern.description, "overall score 5 in the follow-up call");
}

#[test]
fn stored_sms_and_call_events_without_the_new_fields_still_load() {
    let d = delivery("Qiu Ping", Some("13700000050"));
    let opened = FollowUpEvent::TaskOpened {
        at: at("2026-03-02T18:00:00+08:00"),
        delivery: d.clone(),
        task: planned(&d, TaskKind::AfterSalesCall),
    };
    // An SMS sent without a reason, and a reply holding a score only.
    let old = [
        r#"{"event":"sms_sent","at":"2026-03-07T09:30:00+08:00","to":"13700000050"}"#,
        r#"{"event":"sms_replied","at":"2026-03-07T12:00:00+08:00","score":4,"band":"dissatisfied","route":"grievance_form"}"#,
    ];
    let mut log = vec![opened.clone()];
    log.extend(
        old.iter()
            .map(|j| serde_json::from_str::<FollowUpEvent>(j).unwrap()),
    );
    assert_eq!(
        log[2],
        FollowUpEvent::SmsReplied {
            at: at("2026-03-07T12:00:00+08:00"),
            reply: None,
            score: Some(score(4)),
            band: Some(Band::Dissatisfied),
            voiced: Voiced::Nothing,
            route: Route::GrievanceForm,
        }
    );
    let task = FollowUpTask::replay("T-O1".parse().unwrap(), &log);
    assert_eq!(task.sms_score(), Some(score(4)));
    assert_eq!(task.sms_reply().map(|(_, r)| r.text()), Some("4"));
    assert_eq!(task.route(), Some(Route::GrievanceForm));
    let records = task.sms_records();
    assert_eq!(records[0].reason, None);
    assert!(
        records[0].to_string().contains("未记录 not recorded"),
        "{}",
        records[0]
    );
    assert_eq!(
        FollowUpResult::of_task(&task),
        FollowUpResult::Reached {
            score: score(4),
            recommendation: None,
            source: Some(ScoreSource::SmsReply),
        }
    );

    // A sales call stored without its score was decided on the lowest.
    let sales_json = r#"{"event":"call_answered","at":"2026-03-10T09:10:00+08:00","by":"CR-01",
        "answers":{"form":"sales","waiting_time":5,"product_information":10,
            "test_drive_offered":"yes","delivery_time_met":"yes","fuel_light_on":"no",
            "questions_answered":"yes","use_and_maintenance":10,
            "contacted_after_delivery":"yes","advisor_introduced":"yes","cashier_satisfied":"yes"},
        "voiced":"nothing","band":"dissatisfied","route":"grievance_form"}"#;
    let answered: FollowUpEvent = serde_json::from_str(sales_json).unwrap();
    assert!(matches!(
        answered,
        FollowUpEvent::CallAnswered { score: None, .. }
    ));
    let task = FollowUpTask::replay("T-O2".parse().unwrap(), [&opened, &answered]);
    assert_eq!(task.call_score(), Some(score(5)));

    // A task is stored as its events (a task itself does not load): the
    // old logs, written back today, load and replay to the same tasks.
    for (no, log) in [("T-O1", log), ("T-O2", vec![opened, answered])] {
        let task = FollowUpTask::replay(no.parse().unwrap(), &log);
        let json = serde_json::to_string(&log).unwrap();
        let back: Vec<FollowUpEvent> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, log);
        assert_eq!(FollowUpTask::replay(no.parse().unwrap(), &back), task);
    }
}

#[test]
fn follow_up_labels_name_the_paper_forms() {
    assert_eq!(Route::GrievanceForm.label_zh(), "抱怨客户联系处理表");
    assert_eq!(Route::UrgentComplaint.label_zh(), "紧急投诉应对联络表");
    assert_eq!(Route::Archive.label_zh(), "问卷存档");
    assert_eq!(
        FollowUpAction::CloseNotReached.label_zh(),
        "结束回访：未能联系上客户"
    );
    assert_eq!(
        FollowUpAction::RecordSmsNotDelivered.label_zh(),
        "记录短信发送失败"
    );
    assert_eq!(SmsReason::UnsuccessfulCalls.label_zh(), "多次回访未成功");
    assert_eq!(SmsReason::CallLimitReached.label_zh(), "回访次数已用完");
    assert_eq!(SmsSendStatus::Sent.label_zh(), "已发送");
    assert_eq!(SmsSendStatus::NotDelivered.label_zh(), "发送失败");
    assert_eq!(ScoreSource::PhoneQuestionnaire.label_zh(), "电话问卷");
    assert_eq!(ScoreSource::SmsReply.label_zh(), "短信回复");
    assert_eq!(
        RuleId::Fu12.info().title_zh,
        "流程问题答“否”即记为服务顾问的流程缺失，总体评分再高亦然"
    );
    assert_eq!(
        RuleId::Sat03.info().title_zh,
        "满意率以回访成功数为分母；分母为零显示“不适用 / n/a”"
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
                1 if sel % 2 == 0 => FollowUpCommand::RecordSmsReply { at: when, reply: SmsReply::from(score(1 + *sel % 10)), voiced: Voiced::Nothing },
                1 => FollowUpCommand::RecordSmsReply { at: when, reply: "满意".parse().unwrap(), voiced: Voiced::ALL[usize::from(*sel) % 4] },
                3 => FollowUpCommand::RecordSmsNotDelivered { at: when },
                2 => FollowUpCommand::CloseNotReached { now: when + TimeDelta::days(3) },
                _ => FollowUpCommand::RecordCall { at: when, by: "CR-09".parse().unwrap(), outcome: outcome(*sel, when) },
            };
            if let Ok(events) = task.execute(command, &policy) {
                log.extend(events);
            }
            prop_assert!(task.calls() <= fu.max_calls);
            prop_assert!(task.unsuccessful_calls() <= fu.sms_after_unsuccessful);
            let sms_sent = log.iter().filter(|e| matches!(e, FollowUpEvent::SmsSent { .. })).count();
            let not_delivered = log.iter().filter(|e| matches!(e, FollowUpEvent::SmsNotDelivered { .. })).count();
            prop_assert!(sms_sent - not_delivered <= 1, "one SMS out at a time");
            prop_assert_eq!(task.sms_records().len(), sms_sent);
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
