//! A morning of a follow-up specialist at a dealer's customer-relations
//! desk (FU-01 … FU-12): the queue of due calls for Friday 6 March 2026,
//! the calls with mixed outcomes, one SMS fallback after four unsuccessful
//! attempts, one grievance routed to its form, a process finding against
//! an advisor, and the week's care letters. Wang Fang agreed at the repair
//! to be called between 9:00 and 10:00: her follow-up call is that time,
//! and it is her only repair call (CARE-02), so the care calendar lists no
//! second one.
//!
//! Run with `cargo run --example follow_up_day`.

use std::error::Error;

use aftersales::{
    AfterSalesAnswers, CallOutcome, CareProfile, ContactChannel, Delivery, DeliveryFact,
    DeliveryFacts, DeliveryKind, Extent, FollowUpCommand, FollowUpEvent, FollowUpTask,
    InvalidNumberReason, Km, LocalTimeRange, MaintenanceHistory, MaintenanceItem, NotReachedReason,
    OdometerReading, Policy, Powertrain, PreferredContact, Questionnaire, RatioSampler, Remarks,
    RuleId, Score, ServiceRecord, SmsReply, TaskKind, Voiced, YesNo, call_queue, care_calendar,
    plan_follow_up, triage,
};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

type At = DateTime<FixedOffset>;

fn at(s: &str) -> Result<At, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s)
}

fn answers(
    overall: u8,
    old_parts_shown: YesNo,
    remarks: Option<&str>,
) -> Result<AfterSalesAnswers, Box<dyn Error>> {
    Ok(AfterSalesAnswers {
        overall: Score::try_new(overall)?,
        greeted_promptly: YesNo::Yes,
        walk_around_explained: YesNo::Yes,
        explained_and_signed: Extent::Fully,
        delivered_on_time: YesNo::Yes,
        charges_explained_at_vehicle: YesNo::Yes,
        next_service_advised: YesNo::Yes,
        old_parts_shown,
        diagnosis: Score::try_new(9)?,
        quality_and_time: Score::try_new(overall)?,
        remarks: remarks.map(Remarks::try_new).transpose()?,
    })
}

fn show(task: &FollowUpTask, events: &[FollowUpEvent]) {
    for e in events {
        println!(
            "  {} {:<18} {}",
            e.at().format("%m-%d %H:%M"),
            e.name(),
            task
        );
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let policy = Policy::default();
    let mut sampler = RatioSampler::default();
    let by: aftersales::StaffId = "CR-Liu".parse()?;

    // Five service deliveries from the start of the week.
    let customers = [
        (
            "T-101",
            "Wang Fang",
            "13800000001",
            "2026-03-02T17:30:00+08:00",
            DeliveryFacts::EMPTY,
        ),
        (
            "T-102",
            "Li Qiang",
            "13800000002",
            "2026-03-02T11:00:00+08:00",
            DeliveryFacts::EMPTY,
        ),
        (
            "T-103",
            "Zhang Min",
            "13800000003",
            "2026-02-27T16:00:00+08:00",
            DeliveryFacts::EMPTY,
        ),
        (
            "T-104",
            "Chen Jie",
            "13800000004",
            "2026-03-03T09:30:00+08:00",
            DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
        ),
        (
            "T-105",
            "Zhao Lei",
            "13800000005",
            "2026-03-02T15:00:00+08:00",
            DeliveryFacts::EMPTY,
        ),
    ];
    // At the repair, Wang Fang agreed to be called by phone from 9:00 to
    // 10:00 (CARE-02).
    let wang_agreed = PreferredContact {
        channel: Some(ContactChannel::Phone),
        times: vec![LocalTimeRange::try_new(
            NaiveTime::from_hms_opt(9, 0, 0).ok_or("time")?,
            NaiveTime::from_hms_opt(10, 0, 0).ok_or("time")?,
        )?],
    };
    let mut wang_plan = None;
    let mut tasks = Vec::new();
    println!("== Plans (FU-01, FU-03, FU-04, FU-10) ==");
    for (no, name, phone, delivered, facts) in customers {
        let delivery = Delivery {
            kind: DeliveryKind::Service,
            order: Some(format!("WO-{}", &no[2..]).parse()?),
            customer: Some(format!("C-{}", &no[2..]).parse()?),
            name: name.parse()?,
            phone: Some(phone.parse()?),
            staff: if no == "T-104" { "SA-Zhou" } else { "SA-Wu" }.parse()?,
            delivered_at: at(delivered)?,
            facts,
            agreed: if no == "T-101" {
                wang_agreed.clone()
            } else {
                PreferredContact::default()
            },
        };
        let plan = plan_follow_up(&delivery, &mut sampler, &policy)?;
        for t in &plan.tasks {
            println!("  {no} {name:<10} {t}");
        }
        if no == "T-101" {
            for r in plan.reasons().iter().filter(|r| r.rule == RuleId::Care02) {
                println!("  {no} {name:<10} {r}");
            }
            wang_plan = Some(plan.clone());
        }
        let call = plan
            .task(TaskKind::AfterSalesCall)
            .ok_or("no call planned")?;
        let mut task = FollowUpTask::new(no.parse()?);
        task.execute(
            FollowUpCommand::Open {
                at: delivery.delivered_at,
                delivery,
                task: *call,
            },
            &policy,
        )?;
        tasks.push(task);
    }

    // Zhang Min was called three times already this week.
    let zhang = tasks.get_mut(2).ok_or("task")?;
    for t in [
        "2026-03-02T09:15:00+08:00",
        "2026-03-03T16:20:00+08:00",
        "2026-03-05T10:05:00+08:00",
    ] {
        zhang.execute(
            FollowUpCommand::RecordCall {
                at: at(t)?,
                by: "CR-Liu".parse()?,
                outcome: CallOutcome::NotReached {
                    reason: NotReachedReason::PoweredOff,
                },
            },
            &policy,
        )?;
    }

    let friday = NaiveDate::from_ymd_opt(2026, 3, 6).ok_or("date")?;
    let none = PreferredContact::default();
    println!("\n== Queue ==");
    print!(
        "{}",
        call_queue(tasks.iter().map(|t| (t, &none)), friday, &policy)?.render()
    );

    println!("\n== Calls ==");
    let outcomes = [
        // Wang Fang: happy, but the old parts were not shown (FU-12).
        (
            "2026-03-06T09:05:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::AfterSales(answers(9, YesNo::No, None)?),
                voiced: Voiced::Nothing,
            },
        ),
        // Li Qiang: busy, call back at 16:30.
        (
            "2026-03-06T09:12:00+08:00",
            CallOutcome::Busy {
                call_back_at: at("2026-03-06T16:30:00+08:00")?,
            },
        ),
        // Zhang Min: the fourth unsuccessful attempt.
        (
            "2026-03-06T09:20:00+08:00",
            CallOutcome::NotReached {
                reason: NotReachedReason::NoAnswer,
            },
        ),
        // Chen Jie: dissatisfied with the wait, a grievance.
        (
            "2026-03-06T09:31:00+08:00",
            CallOutcome::Answered {
                answers: Questionnaire::AfterSales(answers(
                    6,
                    YesNo::Yes,
                    Some("waited two hours at pick-up"),
                )?),
                voiced: Voiced::Grievance,
            },
        ),
        // Zhao Lei: the number does not exist.
        (
            "2026-03-06T09:40:00+08:00",
            CallOutcome::InvalidNumber {
                reason: InvalidNumberReason::NonExistent,
            },
        ),
    ];
    for (task, (t, outcome)) in tasks.iter_mut().zip(outcomes) {
        let events = task.execute(
            FollowUpCommand::RecordCall {
                at: at(t)?,
                by: by.clone(),
                outcome,
            },
            &policy,
        )?;
        show(task, &events);
    }

    println!("\n== SMS fallback (FU-07) ==");
    let zhang = tasks.get_mut(2).ok_or("task")?;
    let refused = zhang.decide(
        &FollowUpCommand::RecordCall {
            at: at("2026-03-06T10:30:00+08:00")?,
            by: by.clone(),
            outcome: CallOutcome::NotReached {
                reason: NotReachedReason::NoAnswer,
            },
        },
        &policy,
    );
    if let Err(e) = refused {
        println!("  refused: {e}");
    }
    let sent = zhang.execute(
        FollowUpCommand::SendSms {
            at: at("2026-03-06T10:31:00+08:00")?,
        },
        &policy,
    )?;
    show(zhang, &sent);
    let reply: SmsReply = " 7 ".parse()?;
    let replied = zhang.execute(
        FollowUpCommand::RecordSmsReply {
            at: at("2026-03-06T11:02:00+08:00")?,
            reply,
            voiced: Voiced::Nothing,
        },
        &policy,
    )?;
    show(zhang, &replied);

    println!("\n== Routing (FU-08) and findings (FU-12) ==");
    for task in &tasks {
        match task.route() {
            Some(route) => println!(
                "  {}: {} / {}",
                task.no(),
                route.label_en(),
                route.label_zh()
            ),
            None => println!("  {}: {}", task.no(), task.status()),
        }
        if let Some(concern) = task.concern() {
            let decision = triage(&concern)?;
            println!("    intake: {}", decision.triage);
            for r in decision.reasons {
                println!("      {r}");
            }
        }
        for f in task.process_findings() {
            println!("    finding: {}", f.reason());
        }
        if let Some(outcome) = task.order_outcome() {
            println!("    work order closes as {outcome:?} (WO-23)");
        }
    }

    println!("\n== Next week's care contacts (CARE-01 … CARE-07, MNT-01) ==");
    // Wang Fang's car: delivered new in 2025, first service in September;
    // the maintenance schedule gives the next due date for CARE-04.
    let mut history = MaintenanceHistory::new(
        Powertrain::Combustion,
        OdometerReading::new(NaiveDate::from_ymd_opt(2025, 3, 20).ok_or("date")?, Km(12)),
    );
    history.services.push(ServiceRecord::new(
        NaiveDate::from_ymd_opt(2025, 9, 22).ok_or("date")?,
        Km(4_800),
        vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter],
    ));
    let schedule = history.schedule(friday, Some(Km(9_100)), policy.maintenance())?;
    for entry in schedule.entries.iter().take(3) {
        let date = entry
            .effective_date
            .map_or_else(|| "-".to_owned(), |d| d.to_string());
        let km = entry
            .due
            .by_km
            .map_or_else(|| "-".to_owned(), |k| format!("{} km", k.0));
        println!(
            "  {:<20} due {date} or at {km}: {} ({})",
            entry.item.label_en(),
            entry.urgency.label_en(),
            entry.urgency.label_zh()
        );
    }
    let mut wang = CareProfile::new("C-101".parse()?);
    wang.next_maintenance_due = schedule.next_due_date();
    wang.birthday = NaiveDate::from_ymd_opt(1986, 3, 19);
    // Her repair's follow-up call was the repair call: the calendar lists
    // no second one (CARE-02, FU-01).
    wang.record_repair_plan(
        wang_plan.as_ref().ok_or("Wang Fang's plan")?,
        &policy.follow_up().calendar,
    )?;
    println!(
        "  C-101 last repair {}: called by {} (CARE-02)",
        wang.last_repair_delivered
            .map_or_else(|| "-".to_owned(), |d| d.to_string()),
        wang.last_repair_call
    );
    wang.last_visit = NaiveDate::from_ymd_opt(2026, 3, 2);
    let mut li = CareProfile::new("C-102".parse()?);
    li.new_car_delivered = NaiveDate::from_ymd_opt(2026, 2, 16);
    li.preferred.channel = Some(ContactChannel::Sms);
    let mut zhao = CareProfile::new("C-105".parse()?);
    zhao.last_visit = NaiveDate::from_ymd_opt(2025, 3, 11);
    let week = care_calendar(
        [&wang, &li, &zhao],
        NaiveDate::from_ymd_opt(2026, 3, 9).ok_or("date")?,
        NaiveDate::from_ymd_opt(2026, 3, 15).ok_or("date")?,
        &policy,
    )?;
    print!("{}", week.render());
    Ok(())
}
