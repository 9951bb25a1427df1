//! 三包 over a car's first year: a new electric car bought on 1 March 2025
//! with a transmission fault in its first week, a brake failure in its
//! second month and an electrical fault that keeps coming back. After each
//! repair the entitlements are decided again, and each new one is printed
//! with the facts behind it; at the end, the usage deduction of a refund
//! and the deadlines of the customer's 三包 request.
//!
//! Run with `cargo run --example three_guarantees`.

use std::collections::BTreeSet;
use std::error::Error;

use aftersales::{
    Entitlement, ExcludedInterval, ExclusionReason, HouseholdCar, Km, MainPart, Policy, Powertrain,
    PowertrainAssembly, ProblemKey, ProblemSite, QualityProblem, QualityRepair, Replacement,
    SafetyFailure, Vin, WorkOrderNo, WorkingDayCalendar, entitlements, request_deadlines,
    retain_until, usage_deduction,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

type Res<T> = Result<T, Box<dyn Error>>;

/// A local instant in China Standard Time.
fn cst(text: &str) -> Res<DateTime<FixedOffset>> {
    Ok(DateTime::parse_from_rfc3339(&format!("{text}:00+08:00"))?)
}

/// `at` moved on by `hours`.
fn after(at: DateTime<FixedOffset>, hours: i64) -> Res<DateTime<FixedOffset>> {
    at.checked_add_signed(TimeDelta::hours(hours))
        .ok_or_else(|| "instant out of range".into())
}

/// A repair of `problem` from `start` lasting `hours`.
fn repair(
    order: &str,
    problem: QualityProblem,
    start: &str,
    hours: i64,
    odometer: u32,
) -> Res<QualityRepair> {
    let started = cst(start)?;
    Ok(QualityRepair {
        order: WorkOrderNo::try_new(order)?,
        problem,
        replaced: Vec::new(),
        started,
        completed: Some(after(started, hours)?),
        excluded: Vec::new(),
        odometer: Km(odometer),
        still_failing: false,
    })
}

fn electrical() -> Res<QualityProblem> {
    Ok(QualityProblem {
        site: ProblemSite::Other("central display (中控屏)".into()),
        serious_safety: false,
        key: ProblemKey::try_new("display reboots while driving")?,
    })
}

fn print(e: &Entitlement) {
    println!("  ▶ {} / {}", e.remedy.label_en(), e.remedy.label_zh());
    println!(
        "    because: {} / {} — {} ({}), arose {}",
        e.trigger.label_en(),
        e.trigger.label_zh(),
        e.rule,
        e.article,
        e.arose_on
    );
    if let Some(from) = e.loaner_from {
        println!("    loaner or transport compensation from {from}");
    }
    for reason in &e.reasons {
        println!("    - {reason}");
    }
}

fn main() -> Res<()> {
    let policy = Policy::default();
    let rules = &policy.regulation().three_guarantees;
    let car = HouseholdCar {
        vin: Vin::try_new("LGXCE4CB9P0000123")?,
        invoice_date: NaiveDate::from_ymd_opt(2025, 3, 1).ok_or("date")?,
        delivery_date: NaiveDate::from_ymd_opt(2025, 3, 2).ok_or("date")?,
        delivery_odometer: Km(12),
        price: "189800.00 CNY".parse()?,
        powertrain: Powertrain::Electric,
    };
    println!(
        "三包 for {} invoiced {} — {}",
        car.vin, car.invoice_date, car.price
    );

    // Week 1: the transmission's valve body fails and must be replaced.
    let mut gearbox = repair(
        "WO-2503-001",
        QualityProblem {
            site: ProblemSite::MainPart(MainPart::new(
                PowertrainAssembly::Transmission,
                "valve body",
            )),
            serious_safety: false,
            key: ProblemKey::try_new("transmission shudder")?,
        },
        "2025-03-06T09:00",
        30,
        410,
    )?;
    gearbox.replaced = vec![Replacement::MainPart(MainPart::new(
        PowertrainAssembly::Transmission,
        "valve body",
    ))];

    // Month 2: the brakes fail; the car is towed in (rescue travel excluded).
    let mut brakes = repair(
        "WO-2504-017",
        QualityProblem {
            site: ProblemSite::Failure(SafetyFailure::Brakes),
            serious_safety: true,
            key: ProblemKey::try_new("brake pedal sinks")?,
        },
        "2025-04-20T14:00",
        52,
        2_260,
    )?;
    let towed = cst("2025-04-20T14:00")?;
    brakes.excluded = vec![ExcludedInterval {
        reason: ExclusionReason::RescueTravel,
        from: towed,
        to: after(towed, 3)?,
    }];

    // Over the year: the same display fault five times; one visit waits
    // a week for a VIN-coded head unit.
    let mut history_plan = vec![gearbox, brakes];
    let visits = [
        ("WO-2505-031", "2025-05-12T10:00", 4, 4_900),
        ("WO-2507-008", "2025-07-03T10:00", 6, 8_800),
        ("WO-2509-044", "2025-09-15T09:00", 8 * 24, 13_100),
        ("WO-2511-019", "2025-11-20T09:00", 5, 17_400),
        ("WO-2602-002", "2026-02-02T09:00", 5, 21_050),
    ];
    for (order, start, hours, km) in visits {
        let mut r = repair(order, electrical()?, start, hours, km)?;
        if hours > 24 {
            let ordered = after(r.started, 24)?;
            r.excluded = vec![ExcludedInterval {
                reason: ExclusionReason::VinSpecificParts,
                from: ordered,
                to: after(ordered, 36)?,
            }];
        }
        history_plan.push(r);
    }

    let mut seen = BTreeSet::new();
    let mut history = Vec::new();
    for r in history_plan {
        let done = r.completed.unwrap_or(r.started);
        let km = r.odometer;
        println!(
            "\n{} {} → {}: {} ({} km)",
            r.order, r.started, done, r.problem.site, km.0
        );
        history.push(r);
        for e in entitlements(&car, &history, done, km, rules)? {
            if seen.insert(e.key()) {
                print(&e);
            }
        }
    }

    // The customer asks for a refund on 3 February 2026.
    let received = NaiveDate::from_ymd_opt(2026, 2, 3).ok_or("date")?;
    let deduction = usage_deduction(car.price, car.driven(Km(21_080)), rules)?;
    println!(
        "\nRefund request received {received}: usage deduction {} for {} km \
         (price × km / 1000 × {}, REG-09)",
        deduction,
        car.driven(Km(21_080)).0,
        rules.usage_rate
    );
    let calendar = WorkingDayCalendar {
        // Spring Festival 2026.
        holidays: (15..=23)
            .filter_map(|day| NaiveDate::from_ymd_opt(2026, 2, day))
            .collect(),
        ..WorkingDayCalendar::default()
    };
    let deadlines = request_deadlines(received, &calendar, rules)?;
    println!(
        "答复 answer by {}, 完成 complete by {} ({} / {} working days, REG-10)",
        deadlines.answer_by,
        deadlines.complete_by,
        rules.answer_working_days,
        rules.complete_working_days
    );
    if let Some(keep) = retain_until(deadlines.complete_by, rules) {
        println!("records kept until at least {keep} (REG-10)");
    }
    Ok(())
}
