//! 三包 (REG-07 … REG-10): every trigger at its boundary on both sides, the
//! day counting, the usage deduction, the deadlines, policy validation and
//! properties.

use aftersales::{
    Entitlement, EntitlementSubject, EntitlementTrigger, ExcludedInterval, ExclusionReason,
    HouseholdCar, Km, MainPart, Money, Powertrain, PowertrainAssembly, ProblemKey, ProblemSite,
    QualityProblem, QualityRepair, Remedy, Replacement, RuleId, SafetyFailure,
    ThreeGuaranteesError, ThreeGuaranteesPolicy, Vin, WorkOrderNo, WorkingDayCalendar,
    entitlements, repair_days, request_deadlines, retain_until, usage_deduction,
};
use chrono::{DateTime, Days, FixedOffset, NaiveDate, TimeDelta, Weekday};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 09:00 China time on `date` plus `extra_seconds`.
fn at9(date: NaiveDate, extra_seconds: i64) -> DateTime<FixedOffset> {
    let t = DateTime::parse_from_rfc3339(&format!("{date}T09:00:00+08:00")).unwrap();
    t + TimeDelta::seconds(extra_seconds)
}

const INVOICE: (i32, u32, u32) = (2025, 1, 1);
const DELIVERY_KM: u32 = 10;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

fn invoice() -> NaiveDate {
    d(INVOICE.0, INVOICE.1, INVOICE.2)
}

fn plus(n: u64) -> NaiveDate {
    invoice().checked_add_days(Days::new(n)).unwrap()
}

fn car() -> HouseholdCar {
    HouseholdCar {
        vin: Vin::try_new("LFV2A21K8N3000001").unwrap(),
        invoice_date: invoice(),
        delivery_date: invoice(),
        delivery_odometer: Km(DELIVERY_KM),
        price: "150000.00 CNY".parse().unwrap(),
        powertrain: Powertrain::Electric,
    }
}

fn key(s: &str) -> ProblemKey {
    ProblemKey::try_new(s).unwrap()
}

/// A one-hour repair of `site` on `date`, at `driven` km since delivery.
fn repair(
    no: &str,
    date: NaiveDate,
    driven: u32,
    site: ProblemSite,
    problem: &str,
) -> QualityRepair {
    let started = at9(date, 0);
    QualityRepair {
        order: WorkOrderNo::try_new(no).unwrap(),
        problem: QualityProblem {
            site,
            serious_safety: false,
            key: key(problem),
        },
        replaced: vec![],
        started,
        completed: Some(started + TimeDelta::hours(1)),
        excluded: vec![],
        odometer: Km(DELIVERY_KM + driven),
        still_failing: false,
    }
}

fn other(no: &str, date: NaiveDate, problem: &str) -> QualityRepair {
    repair(
        no,
        date,
        100,
        ProblemSite::Other("electrical".into()),
        problem,
    )
}

fn with_seconds(mut r: QualityRepair, secs: i64) -> QualityRepair {
    r.completed = Some(r.started + TimeDelta::seconds(secs));
    r
}

fn policy() -> ThreeGuaranteesPolicy {
    ThreeGuaranteesPolicy::default()
}

/// Entitlements well after everything (but inside the validity).
fn decide(history: &[QualityRepair]) -> Vec<Entitlement> {
    entitlements(&car(), history, at9(plus(700), 0), Km(20_000), &policy()).unwrap()
}

fn with(found: &[Entitlement], trigger: EntitlementTrigger) -> Vec<&Entitlement> {
    found.iter().filter(|e| e.trigger == trigger).collect()
}

fn has(history: &[QualityRepair], trigger: EntitlementTrigger) -> bool {
    !with(&decide(history), trigger).is_empty()
}

// ---- REG-08: early window, 60 days / 3,000 km --------------------------

fn gearbox(no: &str, date: NaiveDate, driven: u32) -> QualityRepair {
    repair(
        no,
        date,
        driven,
        ProblemSite::MainPart(MainPart::new(
            PowertrainAssembly::Transmission,
            "valve body",
        )),
        "gearbox judder",
    )
}

#[test]
fn early_assembly_problem_on_day_60_not_61() {
    let found = decide(&[gearbox("WO-1", plus(60), 500)]);
    let e = with(&found, EntitlementTrigger::EarlyAssemblyProblem);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].remedy, Remedy::FreeAssemblyReplacement);
    assert_eq!(e[0].rule, RuleId::Reg08);
    assert_eq!(
        e[0].subject,
        EntitlementSubject::Assembly(PowertrainAssembly::Transmission)
    );
    assert_eq!(e[0].arose_on, plus(60));
    assert_eq!(e[0].orders, [WorkOrderNo::try_new("WO-1").unwrap()]);
    assert!(
        e[0].reasons.iter().any(|r| r.fact.contains("day 60")),
        "{:?}",
        e[0].reasons
    );
    assert!(!has(
        &[gearbox("WO-1", plus(61), 500)],
        EntitlementTrigger::EarlyAssemblyProblem
    ));
}

#[test]
fn early_assembly_problem_at_3000_km_not_3001() {
    assert!(has(
        &[gearbox("WO-1", plus(10), 3_000)],
        EntitlementTrigger::EarlyAssemblyProblem
    ));
    assert!(!has(
        &[gearbox("WO-1", plus(10), 3_001)],
        EntitlementTrigger::EarlyAssemblyProblem
    ));
}

#[test]
fn km_limits_count_from_the_delivery_odometer() {
    let mut car = car();
    car.delivery_odometer = Km(200);
    let mut r = gearbox("WO-1", plus(10), 0);
    r.odometer = Km(3_200);
    let found = entitlements(
        &car,
        std::slice::from_ref(&r),
        at9(plus(20), 0),
        Km(3_300),
        &policy(),
    )
    .unwrap();
    assert_eq!(
        with(&found, EntitlementTrigger::EarlyAssemblyProblem).len(),
        1
    );
    r.odometer = Km(3_201);
    let found = entitlements(&car, &[r], at9(plus(20), 0), Km(3_300), &policy()).unwrap();
    assert!(with(&found, EntitlementTrigger::EarlyAssemblyProblem).is_empty());
}

#[test]
fn early_safety_failures_give_replacement_or_refund_at_both_edges() {
    for failure in SafetyFailure::ALL {
        let brake = |date, km| repair("WO-B", date, km, ProblemSite::Failure(*failure), "failure");
        let found = decide(&[brake(plus(60), 3_000)]);
        let e = with(&found, EntitlementTrigger::EarlySafetyFailure);
        assert_eq!(e.len(), 1, "{failure}");
        assert_eq!(e[0].remedy, Remedy::ReplacementOrRefund);
        assert_eq!(e[0].subject, EntitlementSubject::Failure(*failure));
        assert!(!has(
            &[brake(plus(61), 100)],
            EntitlementTrigger::EarlySafetyFailure
        ));
        assert!(!has(
            &[brake(plus(30), 3_001)],
            EntitlementTrigger::EarlySafetyFailure
        ));
    }
}

#[test]
fn an_other_problem_in_the_early_window_gives_no_replacement() {
    let found = decide(&[other("WO-1", plus(3), "radio")]);
    assert!(with(&found, EntitlementTrigger::EarlyAssemblyProblem).is_empty());
    assert!(with(&found, EntitlementTrigger::EarlySafetyFailure).is_empty());
    assert_eq!(with(&found, EntitlementTrigger::WarrantyRepair).len(), 1);
}

// ---- REG-08: 7 days, the customer's choice -----------------------------

#[test]
fn choice_window_on_day_7_not_8() {
    let needing = |date| {
        let mut r = gearbox("WO-7", date, 50);
        r.replaced = vec![Replacement::MainPart(MainPart::new(
            PowertrainAssembly::Transmission,
            "valve body",
        ))];
        r
    };
    let found = decide(&[needing(plus(7))]);
    let e = with(&found, EntitlementTrigger::ChoiceWindowReplacement);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].remedy, Remedy::ReplacementOrRefundAtChoice);
    assert!(!has(
        &[needing(plus(8))],
        EntitlementTrigger::ChoiceWindowReplacement
    ));
    // No replacement needed: no choice.
    assert!(!has(
        &[gearbox("WO-7", plus(2), 50)],
        EntitlementTrigger::ChoiceWindowReplacement
    ));
    // A whole assembly counts too; an ordinary part does not.
    let mut r = gearbox("WO-7", plus(2), 50);
    r.replaced = vec![Replacement::Assembly(PowertrainAssembly::Engine)];
    assert!(has(
        std::slice::from_ref(&r),
        EntitlementTrigger::ChoiceWindowReplacement
    ));
    r.replaced = vec![Replacement::Other("wiper".into())];
    assert!(!has(&[r], EntitlementTrigger::ChoiceWindowReplacement));
}

// ---- REG-09: day counting ----------------------------------------------

#[test]
fn each_24_hours_or_part_is_a_day() {
    let s = at9(d(2025, 3, 3), 0);
    let days = |secs: i64| repair_days(s, s + TimeDelta::seconds(secs), &[]);
    assert_eq!(days(0), 0);
    assert_eq!(days(1), 1);
    assert_eq!(days(DAY), 1);
    assert_eq!(days(DAY + 1), 2);
    assert_eq!(days(5 * DAY), 5);
    assert_eq!(days(5 * DAY + 1), 6);
    // Completion before start counts nothing here (entitlements refuses it).
    assert_eq!(days(-DAY), 0);
}

fn excluded(reason: ExclusionReason, from: DateTime<FixedOffset>, hours: i64) -> ExcludedInterval {
    ExcludedInterval {
        reason,
        from,
        to: from + TimeDelta::hours(hours),
    }
}

#[test]
fn exclusions_are_taken_out_before_rounding() {
    let s = at9(d(2025, 3, 3), 0);
    // 30 h with 6 h of parts transport: 24 h counted, one day.
    let parts = excluded(
        ExclusionReason::VinSpecificParts,
        s + TimeDelta::hours(2),
        6,
    );
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[parts]), 1);
    // 30 h with 5 h excluded: 25 h, two days.
    let parts5 = excluded(
        ExclusionReason::VinSpecificParts,
        s + TimeDelta::hours(2),
        5,
    );
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[parts5]), 2);
    // Overlapping exclusions count once: 4 h ∪ 4 h shifted by 2 h = 6 h.
    let a = excluded(
        ExclusionReason::VinSpecificParts,
        s + TimeDelta::hours(2),
        4,
    );
    let b = excluded(ExclusionReason::RescueTravel, s + TimeDelta::hours(4), 4);
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[a, b]), 1);
    // Exclusions outside the repair do not count; partly outside, only the inside part.
    let before = excluded(ExclusionReason::RescueTravel, s - TimeDelta::hours(10), 8);
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[before]), 2);
    let straddling = excluded(ExclusionReason::RescueTravel, s - TimeDelta::hours(2), 8);
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[straddling]), 1);
    // Everything excluded: no day.
    let all = excluded(ExclusionReason::RescueTravel, s, 30);
    assert_eq!(repair_days(s, s + TimeDelta::hours(30), &[all]), 0);
}

// ---- REG-08: loaner from day 6 -----------------------------------------

#[test]
fn loaner_after_5_days_not_at_5() {
    let r = other("WO-L", plus(100), "radio");
    assert!(!has(
        &[with_seconds(r.clone(), 5 * DAY)],
        EntitlementTrigger::LongRepair
    ));
    let found = decide(&[with_seconds(r.clone(), 5 * DAY + 1)]);
    let e = with(&found, EntitlementTrigger::LongRepair);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].remedy, Remedy::LoanerOrTransport);
    assert_eq!(e[0].count, 6);
    assert_eq!(e[0].loaner_from, Some(r.started + TimeDelta::days(5)));
    assert!(e[0].reasons.iter().any(|x| x.rule == RuleId::Reg09));
}

#[test]
fn loaner_threshold_counts_after_exclusions() {
    let mut r = with_seconds(other("WO-L", plus(100), "radio"), 5 * DAY + 3 * HOUR);
    r.excluded = vec![excluded(
        ExclusionReason::VinSpecificParts,
        r.started + TimeDelta::hours(1),
        3,
    )];
    assert!(!has(
        std::slice::from_ref(&r),
        EntitlementTrigger::LongRepair
    ));
    r.excluded = vec![excluded(
        ExclusionReason::VinSpecificParts,
        r.started + TimeDelta::hours(1),
        2,
    )];
    let found = decide(std::slice::from_ref(&r));
    let e = with(&found, EntitlementTrigger::LongRepair);
    assert_eq!(e.len(), 1);
    // Day 6 starts after 5 counted days plus the 2 h excluded.
    assert_eq!(e[0].loaner_from, Some(r.started + TimeDelta::hours(122)));
}

#[test]
fn an_open_repair_counts_up_to_the_decision_instant() {
    let mut r = other("WO-O", plus(100), "radio");
    r.completed = None;
    let car = car();
    let at5 = r.started + TimeDelta::days(5);
    let found = entitlements(&car, std::slice::from_ref(&r), at5, Km(1_000), &policy()).unwrap();
    assert!(with(&found, EntitlementTrigger::LongRepair).is_empty());
    let later = at5 + TimeDelta::seconds(1);
    let found = entitlements(&car, &[r], later, Km(1_000), &policy()).unwrap();
    assert_eq!(with(&found, EntitlementTrigger::LongRepair).len(), 1);
}

// ---- REG-08 inside the validity ----------------------------------------

#[test]
fn cumulative_repair_days_30_not_31() {
    let ten = |no: &str, n: u64| with_seconds(other(no, plus(n), no), 10 * DAY);
    let thirty = [ten("WO-1", 100), ten("WO-2", 200), ten("WO-3", 300)];
    assert!(!has(&thirty, EntitlementTrigger::CumulativeRepairDays));
    let mut more = thirty.to_vec();
    more.push(with_seconds(other("WO-4", plus(400), "x"), 1));
    let found = decide(&more);
    let e = with(&found, EntitlementTrigger::CumulativeRepairDays);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].count, 31);
    assert_eq!(e[0].arose_on, plus(400));
    assert_eq!(e[0].remedy, Remedy::ReplacementOrRefund);
    assert_eq!(e[0].orders.len(), 4);
}

#[test]
fn cumulative_days_round_each_repair_separately() {
    // Thirty-one repairs of 1 second each: 31 days, over the limit.
    let many: Vec<QualityRepair> = (0..31)
        .map(|i| with_seconds(other(&format!("WO-{i}"), plus(10 + i), &format!("p{i}")), 1))
        .collect();
    assert!(has(&many, EntitlementTrigger::CumulativeRepairDays));
    assert!(!has(&many[..30], EntitlementTrigger::CumulativeRepairDays));
}

#[test]
fn same_problem_repaired_5_times_not_4() {
    let five: Vec<QualityRepair> = (0..5)
        .map(|i| {
            other(
                &format!("WO-{i}"),
                plus(50 + 60 * i),
                " Infotainment Reboot ",
            )
        })
        .collect();
    assert!(!has(&five[..4], EntitlementTrigger::SameProblemRepeated));
    let found = decide(&five);
    let e = with(&found, EntitlementTrigger::SameProblemRepeated);
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].subject,
        EntitlementSubject::Problem(key("infotainment reboot"))
    );
    assert_eq!(e[0].arose_on, plus(50 + 60 * 4));
    assert_eq!(e[0].count, 5);
    // Different keys are different problems.
    let mut mixed = five.clone();
    mixed[4].problem.key = key("window regulator");
    assert!(!has(&mixed, EntitlementTrigger::SameProblemRepeated));
}

fn serious(no: &str, date: NaiveDate, problem: &str) -> QualityRepair {
    let mut r = other(no, date, problem);
    r.problem.serious_safety = true;
    r
}

#[test]
fn serious_safety_fault_repaired_twice_then_failing_again() {
    let two = [
        serious("WO-1", plus(100), "airbag"),
        serious("WO-2", plus(150), "airbag"),
    ];
    assert!(!has(&two, EntitlementTrigger::SafetyFaultRepeated));
    // Not fixed after the second repair.
    let mut flagged = two.clone();
    flagged[1].still_failing = true;
    let found = decide(&flagged);
    let e = with(&found, EntitlementTrigger::SafetyFaultRepeated);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].arose_on, plus(150));
    // Flagged after the first repair only: not yet (one repair).
    let mut first_only = two.to_vec();
    first_only[0].still_failing = true;
    first_only.truncate(1);
    assert!(!has(&first_only, EntitlementTrigger::SafetyFaultRepeated));
    // A new serious fault appears after two repairs.
    let mut third = two.to_vec();
    third.push(serious("WO-3", plus(200), "seat belt"));
    let found = decide(&third);
    let e = with(&found, EntitlementTrigger::SafetyFaultRepeated);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].arose_on, plus(200));
    assert_eq!(e[0].orders.len(), 3);
    // A non-safety problem after two repairs does not count.
    let mut benign = two.to_vec();
    benign.push(other("WO-3", plus(200), "radio"));
    assert!(!has(&benign, EntitlementTrigger::SafetyFaultRepeated));
}

#[test]
fn assembly_replaced_twice_and_still_failing() {
    let replaced = |no: &str, n: u64| {
        let mut r = repair(
            no,
            plus(n),
            5_000,
            ProblemSite::Assembly(PowertrainAssembly::TractionBattery),
            "battery",
        );
        r.replaced = vec![Replacement::Assembly(PowertrainAssembly::TractionBattery)];
        r
    };
    let two = [replaced("WO-1", 100), replaced("WO-2", 200)];
    assert!(!has(&two, EntitlementTrigger::AssemblyReplacedTwice));
    let mut again = two.to_vec();
    again.push(repair(
        "WO-3",
        plus(250),
        6_000,
        ProblemSite::MainPart(MainPart::new(
            PowertrainAssembly::TractionBattery,
            "cell module",
        )),
        "capacity",
    ));
    let found = decide(&again);
    let e = with(&found, EntitlementTrigger::AssemblyReplacedTwice);
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].subject,
        EntitlementSubject::Assembly(PowertrainAssembly::TractionBattery)
    );
    // A failure of another assembly does not count.
    let mut elsewhere = two.to_vec();
    elsewhere.push(gearbox("WO-3", plus(250), 6_000));
    assert!(!has(&elsewhere, EntitlementTrigger::AssemblyReplacedTwice));
}

#[test]
fn same_main_part_replaced_twice_and_still_failing() {
    let part = |name: &str| MainPart::new(PowertrainAssembly::Engine, name);
    let replaced = |no: &str, n: u64, name: &str| {
        let mut r = repair(
            no,
            plus(n),
            5_000,
            ProblemSite::MainPart(part(name)),
            "engine knock",
        );
        r.replaced = vec![Replacement::MainPart(part(name))];
        r
    };
    let mut two = vec![
        replaced("WO-1", 100, "Crankshaft"),
        replaced("WO-2", 200, " crankshaft "),
    ];
    assert!(!has(&two, EntitlementTrigger::MainPartReplacedTwice));
    two[1].still_failing = true;
    let found = decide(&two);
    let e = with(&found, EntitlementTrigger::MainPartReplacedTwice);
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].subject,
        EntitlementSubject::MainPart(part("crankshaft"))
    );
    // Two different parts replaced once each: nothing.
    let mut different = vec![
        replaced("WO-1", 100, "crankshaft"),
        replaced("WO-2", 200, "camshaft"),
    ];
    different[1].still_failing = true;
    assert!(!has(&different, EntitlementTrigger::MainPartReplacedTwice));
}

// ---- REG-07: validity and repair warranty edges ------------------------

#[test]
fn validity_ends_on_the_anniversary_or_at_50000_km() {
    let last = d(2027, 1, 1);
    let five = |fifth: QualityRepair| {
        let mut v: Vec<QualityRepair> = (0..4)
            .map(|i| other(&format!("WO-{i}"), plus(10 + i), "rattle"))
            .collect();
        v.push(fifth);
        entitlements(&car(), &v, at9(d(2027, 6, 1), 0), Km(70_000), &policy()).unwrap()
    };
    let on = |date, driven| {
        repair(
            "WO-5",
            date,
            driven,
            ProblemSite::Other("trim".into()),
            "rattle",
        )
    };
    let hit = |f: Vec<Entitlement>| !with(&f, EntitlementTrigger::SameProblemRepeated).is_empty();
    assert!(hit(five(on(last, 50_000))));
    assert!(!hit(five(on(last.succ_opt().unwrap(), 100))));
    assert!(!hit(five(on(d(2026, 6, 1), 50_001))));
}

#[test]
fn repair_warranty_first_limit_reached_wins() {
    let at = |date| at9(date, 0);
    let cover = |date, driven: u32| {
        let f = entitlements(&car(), &[], at(date), Km(DELIVERY_KM + driven), &policy()).unwrap();
        !with(&f, EntitlementTrigger::WarrantyCoverage).is_empty()
    };
    assert!(cover(d(2028, 1, 1), 60_000));
    assert!(!cover(d(2028, 1, 2), 100));
    assert!(!cover(d(2026, 1, 1), 60_001));
    // A repair inside the warranty stays free even when decided later.
    let r = repair(
        "WO-W",
        d(2027, 12, 31),
        59_000,
        ProblemSite::Other("seat".into()),
        "seat",
    );
    let f = entitlements(
        &car(),
        std::slice::from_ref(&r),
        at(d(2029, 1, 1)),
        Km(90_000),
        &policy(),
    )
    .unwrap();
    let e = with(&f, EntitlementTrigger::WarrantyRepair);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].remedy, Remedy::FreeRepair);
    assert_eq!(e[0].rule, RuleId::Reg07);
    assert!(with(&f, EntitlementTrigger::WarrantyCoverage).is_empty());
    let mut late = r;
    late.odometer = Km(DELIVERY_KM + 60_001);
    let f = entitlements(&car(), &[late], at(d(2029, 1, 1)), Km(90_000), &policy()).unwrap();
    assert!(with(&f, EntitlementTrigger::WarrantyRepair).is_empty());
}

#[test]
fn a_longer_policy_extends_the_periods() {
    let mut p = policy();
    p.repair_warranty_years = 5;
    p.repair_warranty_km = 100_000;
    p.validate().unwrap();
    let f = entitlements(&car(), &[], at9(d(2029, 12, 31), 0), Km(99_000), &p).unwrap();
    assert_eq!(with(&f, EntitlementTrigger::WarrantyCoverage).len(), 1);
}

#[test]
fn a_leap_day_invoice_ends_on_28_february() {
    let mut c = car();
    c.invoice_date = d(2024, 2, 29);
    c.delivery_date = d(2024, 2, 29);
    let cover = |date| {
        let f = entitlements(&c, &[], at9(date, 0), Km(100), &policy()).unwrap();
        !with(&f, EntitlementTrigger::WarrantyCoverage).is_empty()
    };
    assert!(cover(d(2027, 2, 28)));
    assert!(!cover(d(2027, 3, 1)));
}

#[test]
fn repairs_after_the_decision_or_before_the_invoice_do_not_count() {
    let before = gearbox("WO-0", d(2024, 12, 31), 0);
    let after = gearbox("WO-9", plus(30), 100);
    let f = entitlements(
        &car(),
        &[before, after],
        at9(plus(20), 0),
        Km(50),
        &policy(),
    )
    .unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].trigger, EntitlementTrigger::WarrantyCoverage);
}

#[test]
fn inconsistent_repairs_are_refused_with_the_rule() {
    let mut r = other("WO-X", plus(10), "radio");
    r.completed = Some(r.started - TimeDelta::seconds(1));
    let err = entitlements(
        &car(),
        std::slice::from_ref(&r),
        at9(plus(20), 0),
        Km(50),
        &policy(),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ThreeGuaranteesError::CompletedBeforeStart { .. }
    ));
    assert!(err.to_string().ends_with("(REG-09)"), "{err}");
    r.completed = None;
    r.excluded = vec![ExcludedInterval {
        reason: ExclusionReason::RescueTravel,
        from: r.started + TimeDelta::hours(2),
        to: r.started + TimeDelta::hours(1),
    }];
    let err = entitlements(&car(), &[r], at9(plus(20), 0), Km(50), &policy()).unwrap_err();
    assert!(matches!(
        err,
        ThreeGuaranteesError::ExclusionReversed { .. }
    ));
    assert!(
        ProblemKey::try_new("  ")
            .unwrap_err()
            .to_string()
            .ends_with("(REG-08)")
    );
}

// ---- REG-09: usage deduction -------------------------------------------

#[test]
fn usage_deduction_is_exact_and_rounded_half_up() {
    let p = policy();
    // 150,000.00 × 1,234 / 1000 × 0.5 % = 925.5 exactly.
    let m = usage_deduction("150000.00 CNY".parse().unwrap(), Km(1_234), &p).unwrap();
    assert_eq!(m.to_string(), "925.50 CNY");
    // 123,456.78 × 777 / 1000 × 0.5 % = 479.6295903 → 479.63.
    let m = usage_deduction("123456.78 CNY".parse().unwrap(), Km(777), &p).unwrap();
    assert_eq!(m, Money::cny(rust_decimal::Decimal::new(47_963, 2)));
    // 101.00 × 1000 / 1000 × 0.5 % = 0.505 → 0.51 (half up, not to even).
    let m = usage_deduction("101.00 CNY".parse().unwrap(), Km(1_000), &p).unwrap();
    assert_eq!(m.to_string(), "0.51 CNY");
    // A lower rate, 0.25 %.
    let mut low = p.clone();
    low.usage_rate = "0.25".parse().unwrap();
    let m = usage_deduction("200000.00 CNY".parse().unwrap(), Km(2_000), &low).unwrap();
    assert_eq!(m.to_string(), "1000.00 CNY");
    assert!(
        usage_deduction("0.00 CNY".parse().unwrap(), Km(0), &p)
            .unwrap()
            .is_zero()
    );
}

// ---- REG-10: deadlines and retention -----------------------------------

#[test]
fn request_deadlines_skip_weekends_and_holidays() {
    let calendar = WorkingDayCalendar {
        holidays: (1..=8).map(|day| d(2025, 10, day)).collect(),
        ..WorkingDayCalendar::default()
    };
    // Received on Friday 26 September 2025, before the National Day week.
    let r = request_deadlines(d(2025, 9, 26), &calendar, &policy()).unwrap();
    assert_eq!(r.answer_by, d(2025, 10, 20));
    assert_eq!(r.complete_by, d(2025, 11, 3));
    // A make-up working Saturday (调休) counts: 11 October 2025.
    let with_make_up = WorkingDayCalendar {
        working_dates: vec![d(2025, 10, 11)],
        ..calendar.clone()
    };
    let r = request_deadlines(d(2025, 9, 26), &with_make_up, &policy()).unwrap();
    assert_eq!(r.answer_by, d(2025, 10, 17));
    // Without rest days, every day works: 10 and 20 calendar days.
    let open = WorkingDayCalendar {
        rest_weekdays: Vec::new(),
        ..WorkingDayCalendar::default()
    };
    let r = request_deadlines(d(2025, 9, 26), &open, &policy()).unwrap();
    assert_eq!(r.answer_by, d(2025, 10, 6));
    assert_eq!(r.complete_by, d(2025, 10, 16));
    // A calendar without working days is an error, not a loop.
    let closed = WorkingDayCalendar {
        rest_weekdays: vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ],
        ..WorkingDayCalendar::default()
    };
    let err = request_deadlines(d(2025, 9, 26), &closed, &policy()).unwrap_err();
    assert!(err.to_string().ends_with("(REG-10)"), "{err}");
}

#[test]
fn records_are_kept_six_years() {
    assert_eq!(
        retain_until(d(2025, 3, 15), &policy()),
        Some(d(2031, 3, 15))
    );
    let mut longer = policy();
    longer.retention_years = 10;
    assert_eq!(retain_until(d(2025, 3, 15), &longer), Some(d(2035, 3, 15)));
}

// ---- Policy ------------------------------------------------------------

#[test]
fn the_default_policy_is_the_law_and_valid() {
    let p = policy();
    p.validate().unwrap();
    assert_eq!((p.validity_years, p.validity_km), (2, 50_000));
    assert_eq!((p.repair_warranty_years, p.repair_warranty_km), (3, 60_000));
    assert_eq!(
        (p.early_days, p.early_km, p.choice_days, p.loaner_after_days),
        (60, 3_000, 7, 5)
    );
    assert_eq!(
        (
            p.safety_fault_repairs,
            p.assembly_replacements,
            p.main_part_replacements
        ),
        (2, 2, 2)
    );
    assert_eq!((p.cumulative_repair_days, p.same_problem_repairs), (30, 4));
    assert_eq!(p.usage_rate.get().to_string(), "0.5");
    assert_eq!(
        (
            p.answer_working_days,
            p.complete_working_days,
            p.retention_years
        ),
        (10, 20, 6)
    );
    aftersales::Policy::default().validate().unwrap();
}

#[test]
fn a_policy_below_the_law_is_refused_naming_field_and_rule() {
    type Edit = fn(&mut ThreeGuaranteesPolicy);
    let cases: [(Edit, &str, RuleId); 17] = [
        (|p| p.validity_years = 1, "validity_years", RuleId::Reg07),
        (|p| p.validity_km = 49_999, "validity_km", RuleId::Reg07),
        (
            |p| p.repair_warranty_years = 2,
            "repair_warranty_years",
            RuleId::Reg07,
        ),
        (
            |p| p.repair_warranty_km = 59_999,
            "repair_warranty_km",
            RuleId::Reg07,
        ),
        (|p| p.early_days = 59, "early_days", RuleId::Reg08),
        (|p| p.early_km = 2_999, "early_km", RuleId::Reg08),
        (|p| p.choice_days = 6, "choice_days", RuleId::Reg08),
        (
            |p| p.loaner_after_days = 6,
            "loaner_after_days",
            RuleId::Reg08,
        ),
        (
            |p| p.safety_fault_repairs = 3,
            "safety_fault_repairs",
            RuleId::Reg08,
        ),
        (
            |p| p.assembly_replacements = 3,
            "assembly_replacements",
            RuleId::Reg08,
        ),
        (
            |p| p.main_part_replacements = 0,
            "main_part_replacements",
            RuleId::Reg08,
        ),
        (
            |p| p.cumulative_repair_days = 31,
            "cumulative_repair_days",
            RuleId::Reg08,
        ),
        (
            |p| p.same_problem_repairs = 5,
            "same_problem_repairs",
            RuleId::Reg08,
        ),
        (
            |p| p.usage_rate = "0.51".parse().unwrap(),
            "usage_rate",
            RuleId::Reg09,
        ),
        (
            |p| p.answer_working_days = 11,
            "answer_working_days",
            RuleId::Reg10,
        ),
        (
            |p| p.complete_working_days = 21,
            "complete_working_days",
            RuleId::Reg10,
        ),
        (|p| p.retention_years = 5, "retention_years", RuleId::Reg10),
    ];
    for (edit, field, rule) in cases {
        let mut p = policy();
        edit(&mut p);
        let err = p.validate().unwrap_err();
        assert_eq!(err.field, format!("regulation.three_guarantees.{field}"));
        assert_eq!(err.rule, rule, "{field}");
        assert!(err.to_string().ends_with(&format!("({rule})")), "{err}");
    }
    let mut p = policy();
    p.answer_working_days = 8;
    p.complete_working_days = 7;
    assert_eq!(
        p.validate().unwrap_err().field,
        "regulation.three_guarantees.complete_working_days"
    );
}

#[test]
fn a_more_generous_policy_is_accepted() {
    let p = ThreeGuaranteesPolicy {
        validity_years: 3,
        validity_km: 100_000,
        repair_warranty_years: 8,
        repair_warranty_km: 150_000,
        early_days: 90,
        early_km: 5_000,
        choice_days: 15,
        loaner_after_days: 0,
        safety_fault_repairs: 1,
        assembly_replacements: 1,
        main_part_replacements: 1,
        cumulative_repair_days: 20,
        same_problem_repairs: 3,
        usage_rate: aftersales::Percent::ZERO,
        answer_working_days: 5,
        complete_working_days: 10,
        retention_years: 10,
    };
    p.validate().unwrap();
}

#[test]
fn policy_json_round_trips_and_refuses_negative_counts() {
    let p = policy();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(
        serde_json::from_str::<ThreeGuaranteesPolicy>(&json).unwrap(),
        p
    );
    let partial: ThreeGuaranteesPolicy = serde_json::from_str(r#"{"validity_years": 3}"#).unwrap();
    assert_eq!(partial.validity_years, 3);
    assert_eq!(partial.validity_km, 50_000);
    assert!(serde_json::from_str::<ThreeGuaranteesPolicy>(r#"{"early_days": -1}"#).is_err());
    assert!(serde_json::from_str::<ThreeGuaranteesPolicy>(r#"{"unknown": 1}"#).is_err());
}

// ---- Properties --------------------------------------------------------

fn arb_site() -> impl Strategy<Value = ProblemSite> {
    let assembly = prop::sample::select(PowertrainAssembly::ALL.to_vec());
    prop_oneof![
        assembly.clone().prop_map(ProblemSite::Assembly),
        (
            assembly,
            prop::sample::select(vec!["valve body", "crankshaft", "Cell module"])
        )
            .prop_map(|(a, p)| ProblemSite::MainPart(MainPart::new(a, p))),
        prop::sample::select(SafetyFailure::ALL.to_vec()).prop_map(ProblemSite::Failure),
        Just(ProblemSite::Other("electrical".into())),
    ]
}

fn arb_replacement() -> impl Strategy<Value = Replacement> {
    let assembly = prop::sample::select(PowertrainAssembly::ALL.to_vec());
    prop_oneof![
        assembly.clone().prop_map(Replacement::Assembly),
        (
            assembly,
            prop::sample::select(vec!["valve body", "crankshaft"])
        )
            .prop_map(|(a, p)| Replacement::MainPart(MainPart::new(a, p))),
        Just(Replacement::Other("fuse".into())),
    ]
}

/// A repair; `valid` keeps completion and exclusions after their starts.
fn arb_repair(valid: bool) -> impl Strategy<Value = QualityRepair> {
    (
        (0u32..1_500, arb_site(), any::<bool>(), 0u8..4),
        (
            prop::collection::vec(arb_replacement(), 0..3),
            -2 * DAY..12 * DAY,
            0i64..DAY * 3,
        ),
        (
            prop::option::of(0i64..DAY),
            0u32..70_000,
            any::<bool>(),
            0u32..100_000,
        ),
    )
        .prop_map(
            move |((day, site, serious, k), (replaced, len, ex_len), (ex_at, km, failing, no))| {
                let started = at9(plus(0), i64::from(day) * DAY + i64::from(no % 1_000) * 60);
                let len = if valid { len.abs() } else { len };
                let completed = if no % 7 == 0 {
                    None
                } else {
                    Some(started + TimeDelta::seconds(len))
                };
                let excluded = ex_at
                    .map(|o| {
                        let from = started + TimeDelta::seconds(o);
                        let to = if valid || no % 3 != 0 {
                            from + TimeDelta::seconds(ex_len)
                        } else {
                            from - TimeDelta::seconds(ex_len + 1)
                        };
                        ExcludedInterval {
                            reason: ExclusionReason::VinSpecificParts,
                            from,
                            to,
                        }
                    })
                    .into_iter()
                    .collect();
                QualityRepair {
                    order: WorkOrderNo::try_new(format!("WO-{no}")).unwrap(),
                    problem: QualityProblem {
                        site,
                        serious_safety: serious,
                        key: key(&format!("problem {k}")),
                    },
                    replaced,
                    started,
                    completed,
                    excluded,
                    odometer: Km(DELIVERY_KM + km),
                    still_failing: failing,
                }
            },
        )
}

proptest! {
    #![proptest_config(crate::support::cases(128))]

    #[test]
    fn entitlements_are_monotone_as_repairs_accumulate(
        history in prop::collection::vec(arb_repair(true), 0..14),
        at_day in 0u64..1_600,
        km in 0u32..80_000,
    ) {
        let at = at9(plus(at_day), 0);
        let mut earned: Vec<(EntitlementTrigger, EntitlementSubject)> = Vec::new();
        for n in 0..=history.len() {
            let now = entitlements(&car(), &history[..n], at, Km(km), &policy()).unwrap();
            let keys: Vec<_> = now.iter().map(Entitlement::key).collect();
            for k in &earned {
                prop_assert!(keys.contains(k), "lost {:?} after adding {}", k, history[n - 1].order);
            }
            earned = keys;
        }
    }

    #[test]
    fn earned_entitlements_stay_at_later_instants(
        history in prop::collection::vec(arb_repair(true), 0..10),
        at_day in 0u64..1_600,
        later in 0u64..400,
    ) {
        let at = at9(plus(at_day), 0);
        let now = entitlements(&car(), &history, at, Km(80_000), &policy()).unwrap();
        let then = entitlements(&car(), &history, at9(plus(at_day + later), 0), Km(80_000), &policy()).unwrap();
        let keys: Vec<_> = then.iter().map(Entitlement::key).collect();
        for e in now {
            prop_assert!(keys.contains(&e.key()), "lost {:?}", e.key());
        }
    }

    #[test]
    fn arbitrary_histories_never_panic(
        history in prop::collection::vec(arb_repair(false), 0..14),
        at_day in 0u64..3_000,
        km in any::<u32>(),
        delivery_km in any::<u32>(),
    ) {
        let mut c = car();
        c.delivery_odometer = Km(delivery_km);
        let result = entitlements(&c, &history, at9(plus(at_day), 0), Km(km), &policy());
        let bad = history.iter().any(|r| r.validate().is_err());
        prop_assert_eq!(result.is_err(), bad);
        if let Ok(found) = result {
            for e in &found {
                prop_assert_eq!(e.rule, e.trigger.rule());
                prop_assert_eq!(e.remedy, e.trigger.remedy());
                prop_assert!(!e.reasons.is_empty());
            }
        }
    }

    #[test]
    fn serde_round_trips(history in prop::collection::vec(arb_repair(true), 0..8), at_day in 0u64..1_000) {
        let json = serde_json::to_string(&history).unwrap();
        let back: Vec<QualityRepair> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &history);
        let found = entitlements(&car(), &history, at9(plus(at_day), 0), Km(5_000), &policy()).unwrap();
        let json = serde_json::to_string(&found).unwrap();
        let back: Vec<Entitlement> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, found);
        let c = car();
        let back: HouseholdCar = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
        prop_assert_eq!(back, c);
    }

    #[test]
    fn repair_days_round_up_whole_days(secs in 0i64..100 * DAY) {
        let s = at9(d(2025, 3, 3), 0);
        let days = i64::from(repair_days(s, s + TimeDelta::seconds(secs), &[]));
        prop_assert!(days * DAY >= secs);
        prop_assert!(secs == 0 || (days - 1) * DAY < secs);
    }
}
