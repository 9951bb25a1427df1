//! A month of process compliance (issue 7's audit): November 2026 at a
//! dealer with six service advisors, each repair told like
//! `repair_lifecycle`, each followed up by phone, a few with complaints.
//! Some journeys carry a violation on purpose: a progress check not made,
//! a late delivery, a follow-up never made, a "no" on the questionnaire, a
//! comeback, a complaint answered late, repair documents never handed to
//! customer relations, a log imported without the signature. The audit finds each one; the exceptions report counts them
//! per advisor, team and rule; one journey's findings are shown whole.
//!
//! Run with `cargo run --example compliance_audit`.

#[allow(dead_code)]
#[path = "repair_lifecycle.rs"]
pub mod story;

use std::error::Error;

use aftersales::{
    AfterSalesAnswers, CallOutcome, Channel, Complaint, ComplaintCommand, ComplaintFact,
    ComplaintLog, ComplaintReceipt, CustomerAnswer, CustomerId, CustomerStanding, Delivery,
    DeliveryFacts, Demand, Emotion, ExceptionsReport, Extent, FollowUpCommand, FollowUpTask,
    Handover, Journey, Nature, OrderLog, Policy, Questionnaire, RatioSampler, TaskKind, TaskLog,
    Verdict, Voiced, WorkOrder, WorkOrderEvent, WorkOrderNo, YesNo, audit_all, plan_follow_up,
};
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeDelta, Weekday};

type Res<T> = Result<T, Box<dyn Error>>;

/// `at` moved on by `by`.
fn later(at: DateTime<FixedOffset>, by: TimeDelta) -> Res<DateTime<FixedOffset>> {
    at.checked_add_signed(by)
        .ok_or_else(|| "time out of range".into())
}

/// The story's event log on `day` with `advisor`.
pub fn order_events(day: NaiveDate, advisor: &str) -> Res<Vec<WorkOrderEvent>> {
    let policy = story::policy();
    let mut order = WorkOrder::new(story::order_no()?);
    let mut log = Vec::new();
    for step in story::steps_on(day, advisor)? {
        if step.expect == story::Expect::Accepted {
            log.extend(order.execute(step.command, &policy)?);
        }
    }
    Ok(log)
}

/// A questionnaire with every answer as the process wants it, except
/// whether the old parts were shown.
pub fn answers(old_parts_shown: YesNo) -> Res<Questionnaire> {
    Ok(Questionnaire::AfterSales(AfterSalesAnswers {
        overall: "9".parse()?,
        greeted_promptly: YesNo::Yes,
        walk_around_explained: YesNo::Yes,
        explained_and_signed: Extent::Fully,
        delivered_on_time: YesNo::Yes,
        charges_explained_at_vehicle: YesNo::Yes,
        next_service_advised: YesNo::Yes,
        old_parts_shown,
        diagnosis: "9".parse()?,
        quality_and_time: "9".parse()?,
        remarks: None,
    }))
}

/// The follow-up task of an order: opened an hour after delivery, and
/// answered at `answered` (if given) with old parts shown or not.
pub fn task_log(
    no: &str,
    order: &WorkOrderNo,
    events: &[WorkOrderEvent],
    answered: Option<(DateTime<FixedOffset>, YesNo)>,
) -> Res<TaskLog> {
    let policy = Policy::default();
    let replayed = WorkOrder::replay(order.clone(), events);
    let delivery = Delivery::service(&replayed, DeliveryFacts::EMPTY)?;
    let opened = later(delivery.delivered_at, TimeDelta::hours(1))?;
    let plan = plan_follow_up(&delivery, &mut RatioSampler::default(), &policy)?;
    let planned = *plan
        .task(TaskKind::AfterSalesCall)
        .ok_or("no after-sales call planned")?;
    let mut task = FollowUpTask::new(no.parse()?);
    let mut log = task.execute(
        FollowUpCommand::Open {
            at: opened,
            delivery,
            task: planned,
        },
        &policy,
    )?;
    if let Some((at, shown)) = answered {
        log.extend(task.execute(
            FollowUpCommand::RecordCall {
                at,
                by: "CR-01".parse()?,
                outcome: CallOutcome::Answered {
                    answers: answers(shown)?,
                    voiced: Voiced::Nothing,
                },
            },
            &policy,
        )?);
    }
    Ok(TaskLog {
        no: no.parse()?,
        events: log,
    })
}

/// A slight-delay complaint (first response within 24 hours) received at
/// `received` about `order`, explained at `explained`.
pub fn complaint_log(
    no: &str,
    order: &WorkOrderNo,
    received: DateTime<FixedOffset>,
    explained: DateTime<FixedOffset>,
    repeat_of: Option<&str>,
) -> Res<ComplaintLog> {
    let policy = Policy::default();
    let receipt = ComplaintReceipt {
        at: received,
        customer: CustomerId::try_new("C-1001")?,
        channel: Channel::Phone,
        description: "the car was ready later than I had hoped".into(),
        demands: vec![Demand::Apology],
        remedy_amount: None,
        emotion: Emotion::Calm,
        facts: [ComplaintFact::SlightDelay].into(),
        nature: Nature::General,
        repeat_of: repeat_of.map(str::parse).transpose()?,
        standing: CustomerStanding::Regular,
        owner: "CR-02".parse()?,
        order: Some(order.clone()),
    };
    let mut complaint = Complaint::new(no.parse()?);
    let mut events = Vec::new();
    for command in [
        ComplaintCommand::Receive { receipt },
        ComplaintCommand::Judge {
            at: later(received, TimeDelta::minutes(5))?,
            by: "CRM-01".parse()?,
            verdict: Verdict::NotJustified,
        },
        ComplaintCommand::Explain {
            at: explained,
            by: "CR-02".parse()?,
            explanation: "the promised time was kept".into(),
            answer: CustomerAnswer::Accepted,
        },
    ] {
        events.extend(complaint.execute(command, &policy)?);
    }
    Ok(ComplaintLog {
        no: no.parse()?,
        events,
    })
}

/// One journey of the month, with the violation its number calls for.
fn journey(n: usize, day: NaiveDate, advisor: &str) -> Res<Journey> {
    let no: WorkOrderNo = format!("WO-{}-{n:03}", day.format("%Y-%m%d")).parse()?;
    let mut events = order_events(day, advisor)?;
    let mut imported = false;
    match n % 37 {
        // A progress check never made (WO-15).
        7 => {
            if let Some(i) = events
                .iter()
                .rposition(|e| matches!(e, WorkOrderEvent::ProgressChecked { .. }))
            {
                events.remove(i);
            }
        }
        // Delivered 40 minutes after the promise, no new time told (WO-16).
        13 => {
            for e in &mut events {
                if let WorkOrderEvent::VehicleDelivered { at, .. } = e {
                    *at = later(*at, TimeDelta::minutes(40))?;
                }
            }
        }
        // A comeback of an earlier repair (WO-24).
        21 => {
            for e in &mut events {
                if let WorkOrderEvent::VehicleReceived { reception } = e {
                    reception.comeback_of = Some("WO-2026-1020-003".parse()?);
                }
            }
        }
        // Imported from the old system, without the signature (WO-10, WO-11).
        33 => {
            events.retain(|e| !matches!(e, WorkOrderEvent::OrderAuthorized { .. }));
            imported = true;
        }
        _ => {}
    }
    let call = story::at_on(day.checked_add_days(Days::new(3)).ok_or("date")?, 9, 30)?;
    let tasks = match n % 37 {
        // Never followed up (FU-01).
        27 => Vec::new(),
        // Old parts not shown, says the customer (FU-12).
        11 => vec![task_log(
            &format!("T-{n:04}"),
            &no,
            &events,
            Some((call, YesNo::No)),
        )?],
        _ => vec![task_log(
            &format!("T-{n:04}"),
            &no,
            &events,
            Some((call, YesNo::Yes)),
        )?],
    };
    let complaints = if n % 10 == 5 {
        let received = story::at_on(day.checked_add_days(Days::new(1)).ok_or("date")?, 10, 0)?;
        // One in four of them answered a day late (CMP-04).
        let explained = if n % 37 == 25 {
            later(received, TimeDelta::hours(30))?
        } else {
            later(received, TimeDelta::hours(5))?
        };
        vec![complaint_log(
            &format!("TS-{n:04}"),
            &no,
            received,
            explained,
            None,
        )?]
    } else {
        Vec::new()
    };
    // The documents reach customer relations the next morning, except
    // once when they never do (FU-10).
    let handovers = if n % 37 == 17 {
        Vec::new()
    } else {
        vec![Handover {
            order: no.clone(),
            at: story::at_on(day.checked_add_days(Days::new(1)).ok_or("date")?, 10, 0)?,
        }]
    };
    Ok(Journey {
        file: Vec::new(),
        orders: vec![OrderLog {
            no,
            events,
            imported,
        }],
        tasks,
        complaints,
        handovers,
    })
}

fn main() -> Res<()> {
    let policy = Policy::default();
    let advisors = [
        "SA-01 王芳",
        "SA-02 刘洋",
        "SA-03 陈静",
        "SA-04 杨磊",
        "SA-05 赵敏",
        "SA-06 黄勇",
    ];
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("date")?;
    let to = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
    let mut journeys = Vec::new();
    let mut n: usize = 0;
    let mut day = from;
    while day <= to {
        if day.weekday() != Weekday::Sun {
            for advisor in advisors {
                n = n.saturating_add(1);
                journeys.push(journey(n, day, advisor)?);
            }
        }
        day = day.succ_opt().ok_or("date")?;
    }
    // Audited on 10 December, when every November follow-up window has closed.
    let at = DateTime::parse_from_rfc3339("2026-12-10T09:00:00+08:00")?;
    let result = audit_all(&journeys, at, &policy)?;
    println!(
        "{} journeys audited at {at}: {} findings",
        journeys.len(),
        result.findings.len()
    );
    println!();
    let report = ExceptionsReport::of_audit(&result, from, to, &policy);
    println!("{}", report.render());

    // One journey whole: the imported log without a signature.
    let imported = journeys
        .iter()
        .find(|j| j.orders.iter().any(|o| o.imported))
        .ok_or("no imported journey")?;
    let one = aftersales::audit(imported, at, &policy)?;
    let no = imported.orders.first().map(|o| o.no.to_string());
    println!(
        "Findings of {}:",
        no.as_deref().unwrap_or("the imported order")
    );
    print!("{}", one.render());
    Ok(())
}
