//! The repair quality guarantee (REG-01, REG-02, WO-24) and the regulator
//! complaint clocks (REG-11) through the public API.

use aftersales::{
    ClockStatus, ComebackDecision, ComplaintNo, EarlierRepair, FaultKey, GuaranteeEnd,
    GuaranteeLimit, GuaranteePolicy, GuaranteeVisit, Km, Policy, RegulatorAnswer, RegulatorCase,
    RegulatorPolicy, RepairCategory, RuleId, VehicleKind, WorkOrderNo, WorkingDayCalendar,
    comeback, comeback_in_history, guarantee_period, regulator_clocks, statutory_guarantee,
};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn wo(s: &str) -> WorkOrderNo {
    WorkOrderNo::try_new(s).unwrap()
}

fn fault(s: &str) -> FaultKey {
    FaultKey::try_new(s).unwrap()
}

fn repair(order: &str, category: RepairCategory, exit: &str, km: u32, f: &str) -> EarlierRepair {
    EarlierRepair::new(
        wo(order),
        VehicleKind::Car,
        category,
        d(exit),
        Km(km),
        fault(f),
    )
}

fn visit(date: &str, km: u32, f: &str) -> GuaranteeVisit {
    GuaranteeVisit::new(d(date), Km(km), fault(f))
}

fn with_guarantee(g: GuaranteePolicy) -> Result<Policy, aftersales::PolicyError> {
    let mut regulation = Policy::default().regulation().clone();
    regulation.guarantee = g;
    Policy::default().with_regulation(regulation)
}

fn with_regulator(r: RegulatorPolicy) -> Result<Policy, aftersales::PolicyError> {
    let mut regulation = Policy::default().regulation().clone();
    regulation.regulator = r;
    Policy::default().with_regulation(regulation)
}

type Edit = fn(&mut GuaranteePolicy);

fn rules(decision: &ComebackDecision) -> Vec<RuleId> {
    decision.reasons().iter().map(|r| r.rule).collect()
}

// ---------------------------------------------------------------- REG-01

/// Every vehicle kind and category with its statutory km and days.
const TABLE: &[(VehicleKind, RepairCategory, u32, u32)] = &[
    (VehicleKind::Car, RepairCategory::WholeVehicle, 20_000, 100),
    (VehicleKind::Car, RepairCategory::Assembly, 20_000, 100),
    (
        VehicleKind::Car,
        RepairCategory::SecondLevelMaintenance,
        5_000,
        30,
    ),
    (
        VehicleKind::Car,
        RepairCategory::FirstLevelMaintenance,
        2_000,
        10,
    ),
    (VehicleKind::Car, RepairCategory::Minor, 2_000, 10),
    (VehicleKind::Car, RepairCategory::Special, 2_000, 10),
    (
        VehicleKind::Motorcycle,
        RepairCategory::WholeVehicle,
        7_000,
        80,
    ),
    (VehicleKind::Motorcycle, RepairCategory::Assembly, 7_000, 80),
    (
        VehicleKind::Motorcycle,
        RepairCategory::SecondLevelMaintenance,
        800,
        10,
    ),
    (
        VehicleKind::Motorcycle,
        RepairCategory::FirstLevelMaintenance,
        800,
        10,
    ),
    (VehicleKind::Motorcycle, RepairCategory::Minor, 800, 10),
    (VehicleKind::Motorcycle, RepairCategory::Special, 800, 10),
    (VehicleKind::Other, RepairCategory::WholeVehicle, 6_000, 60),
    (VehicleKind::Other, RepairCategory::Assembly, 6_000, 60),
    (
        VehicleKind::Other,
        RepairCategory::SecondLevelMaintenance,
        700,
        7,
    ),
    (
        VehicleKind::Other,
        RepairCategory::FirstLevelMaintenance,
        700,
        7,
    ),
    (VehicleKind::Other, RepairCategory::Minor, 700, 7),
    (VehicleKind::Other, RepairCategory::Special, 700, 7),
];

#[test]
fn table_covers_every_kind_and_category() {
    assert_eq!(
        TABLE.len(),
        VehicleKind::ALL.len() * RepairCategory::ALL.len()
    );
    for kind in VehicleKind::ALL {
        for category in RepairCategory::ALL {
            assert!(
                TABLE.iter().any(|(k, c, _, _)| k == kind && c == category),
                "{kind} {category}"
            );
        }
    }
}

#[test]
fn statutory_period_for_every_kind_and_category_at_both_limits() {
    let policy = Policy::default();
    let exit = d("2026-01-31");
    for &(kind, category, km, days) in TABLE {
        assert_eq!(
            statutory_guarantee(kind, category),
            GuaranteeLimit::new(km, days)
        );
        let p = guarantee_period(kind, category, exit, Km(50_000), &policy);
        assert_eq!(p.limit, GuaranteeLimit::new(km, days), "{kind} {category}");
        assert_eq!(p.until_km, Km(50_000 + km), "{kind} {category}");
        assert_eq!(
            p.until_date,
            exit.checked_add_days(Days::new(u64::from(days))).unwrap(),
            "{kind} {category}"
        );
        // Day N (exit date not counted) and the km limit are covered.
        assert!(p.covers(p.until_date, p.until_km), "{kind} {category}");
        // Day N + 1 ends it by days, km limit + 1 ends it by distance.
        let next_day = p.until_date.succ_opt().unwrap();
        assert_eq!(p.ended_by(next_day, Km(50_000)), Some(GuaranteeEnd::Days));
        assert_eq!(
            p.ended_by(exit, Km(50_000 + km + 1)),
            Some(GuaranteeEnd::Km)
        );
        assert_eq!(
            p.ended_by(next_day, Km(50_000 + km + 1)),
            Some(GuaranteeEnd::Both)
        );
        // The exit date itself is covered.
        assert!(p.covers(exit, Km(50_000)));
    }
}

#[test]
fn first_reached_wins() {
    let policy = Policy::default();
    // Car minor repair: 10 days / 2,000 km from 2026-03-01 at 10,000 km.
    let p = guarantee_period(
        VehicleKind::Car,
        RepairCategory::Minor,
        d("2026-03-01"),
        Km(10_000),
        &policy,
    );
    assert_eq!(p.until_date, d("2026-03-11"));
    assert_eq!(p.until_km, Km(12_000));
    // Distance reached first: day 3, but 2,001 km driven.
    assert!(!p.covers(d("2026-03-04"), Km(12_001)));
    assert!(p.covers(d("2026-03-04"), Km(12_000)));
    // Days reached first: 50 km driven, but day 11.
    assert!(!p.covers(d("2026-03-12"), Km(10_050)));
    assert!(p.covers(d("2026-03-11"), Km(10_050)));
    // A visit before the exit is not covered by this repair.
    assert_eq!(
        p.ended_by(d("2026-02-28"), Km(10_000)),
        Some(GuaranteeEnd::Days)
    );
}

#[test]
fn period_saturates_at_the_edges() {
    let policy = Policy::default();
    let p = guarantee_period(
        VehicleKind::Car,
        RepairCategory::Assembly,
        NaiveDate::MAX,
        Km(u32::MAX - 5),
        &policy,
    );
    assert_eq!(p.until_date, NaiveDate::MAX);
    assert_eq!(p.until_km, Km(u32::MAX));
}

#[test]
fn default_policy_is_the_statute_and_valid() {
    let g = GuaranteePolicy::default();
    assert!(g.validate().is_ok());
    assert_eq!(g.proof_days, 3);
    assert_eq!(g.repairs_before_another_repairer, 2);
    for &(kind, category, km, days) in TABLE {
        assert_eq!(g.limit(kind, category), GuaranteeLimit::new(km, days));
    }
}

#[test]
fn a_longer_promise_is_accepted_and_used() {
    let mut g = GuaranteePolicy::default();
    g.car.whole_or_assembly = GuaranteeLimit::new(30_000, 180);
    g.motorcycle.level_two_maintenance = GuaranteeLimit::new(1_000, 15);
    let policy = with_guarantee(g).unwrap();
    let p = guarantee_period(
        VehicleKind::Car,
        RepairCategory::Assembly,
        d("2026-01-01"),
        Km(0),
        &policy,
    );
    assert_eq!(p.until_km, Km(30_000));
    assert_eq!(p.until_date, d("2026-06-30"));
    // Motorcycle level-2 maintenance gets its own promise; minor repair keeps the statute.
    assert_eq!(
        policy.regulation().guarantee.limit(
            VehicleKind::Motorcycle,
            RepairCategory::SecondLevelMaintenance
        ),
        GuaranteeLimit::new(1_000, 15)
    );
    assert_eq!(
        policy
            .regulation()
            .guarantee
            .limit(VehicleKind::Motorcycle, RepairCategory::Minor),
        GuaranteeLimit::new(800, 10)
    );
}

#[test]
fn a_shorter_promise_is_refused_naming_the_field_and_reg01() {
    let cases: [(Edit, &str); 6] = [
        (
            |g| g.car.whole_or_assembly.km = Km(19_999),
            "regulation.guarantee.car.whole_or_assembly.km",
        ),
        (
            |g| g.car.level_two_maintenance.days = 29,
            "regulation.guarantee.car.level_two_maintenance.days",
        ),
        (
            |g| g.car.other.days = 9,
            "regulation.guarantee.car.other.days",
        ),
        (
            |g| g.motorcycle.whole_or_assembly.days = 79,
            "regulation.guarantee.motorcycle.whole_or_assembly.days",
        ),
        (
            |g| g.motorcycle.level_two_maintenance.km = Km(799),
            "regulation.guarantee.motorcycle.level_two_maintenance.km",
        ),
        (
            |g| g.other_vehicle.other.km = Km(699),
            "regulation.guarantee.other_vehicle.other.km",
        ),
    ];
    for (edit, field) in cases {
        let mut g = GuaranteePolicy::default();
        edit(&mut g);
        let err = with_guarantee(g).unwrap_err();
        assert_eq!(err.field, field);
        assert_eq!(err.rule, RuleId::Reg01);
        assert!(err.to_string().ends_with("(REG-01)"), "{err}");
        assert!(err.to_string().contains("statutory minimum"), "{err}");
    }
}

#[test]
fn rework_numbers_may_favour_the_customer_only() {
    let err = with_guarantee(GuaranteePolicy {
        proof_days: 4,
        ..GuaranteePolicy::default()
    })
    .unwrap_err();
    assert_eq!(err.field, "regulation.guarantee.proof_days");
    assert!(err.to_string().ends_with("(REG-02)"));

    let err = with_guarantee(GuaranteePolicy {
        repairs_before_another_repairer: 3,
        ..GuaranteePolicy::default()
    })
    .unwrap_err();
    assert_eq!(
        err.field,
        "regulation.guarantee.repairs_before_another_repairer"
    );
    assert_eq!(err.rule, RuleId::Reg02);

    assert!(
        with_guarantee(GuaranteePolicy {
            repairs_before_another_repairer: 0,
            ..GuaranteePolicy::default()
        })
        .is_err()
    );
    assert!(
        with_guarantee(GuaranteePolicy {
            proof_days: 1,
            repairs_before_another_repairer: 1,
            ..GuaranteePolicy::default()
        })
        .is_ok()
    );
}

#[test]
fn policy_json_below_the_statute_is_refused() {
    let json = r#"{ "regulation": { "guarantee": { "car": {
        "whole_or_assembly": { "km": 20000, "days": 90 },
        "level_two_maintenance": { "km": 5000, "days": 30 },
        "other": { "km": 2000, "days": 10 } } } } }"#;
    let err = serde_json::from_str::<Policy>(json).unwrap_err();
    assert!(err.to_string().contains("REG-01"), "{err}");
    let negative = r#"{ "regulation": { "guarantee": { "proof_days": -1 } } }"#;
    assert!(serde_json::from_str::<Policy>(negative).is_err());
}

// ---------------------------------------------------------- REG-02, WO-24

#[test]
fn comeback_inside_the_period_is_free_rework_linked_to_the_earlier_order() {
    let policy = Policy::default();
    let earlier = repair(
        "WO-100",
        RepairCategory::Minor,
        "2026-03-01",
        10_000,
        "brake squeal",
    );
    let decision = comeback(
        &earlier,
        &visit("2026-03-11", 12_000, "brake squeal"),
        &policy,
    );
    match &decision {
        ComebackDecision::FreeRework {
            earlier_order,
            period,
            prove_other_cause_by,
            ..
        } => {
            assert_eq!(earlier_order, &wo("WO-100"));
            assert_eq!(period.until_date, d("2026-03-11"));
            assert_eq!(*prove_other_cause_by, d("2026-03-14"));
        }
        other => panic!("expected free rework, got {other:?}"),
    }
    assert_eq!(decision.comeback_of(), Some(&wo("WO-100")));
    assert!(decision.is_covered());
    assert_eq!(
        rules(&decision),
        [RuleId::Reg01, RuleId::Reg02, RuleId::Wo24]
    );
}

#[test]
fn outside_by_one_day_or_one_km_is_not_covered() {
    let policy = Policy::default();
    let earlier = repair(
        "WO-100",
        RepairCategory::Minor,
        "2026-03-01",
        10_000,
        "brake squeal",
    );
    let late = comeback(
        &earlier,
        &visit("2026-03-12", 10_500, "brake squeal"),
        &policy,
    );
    assert!(matches!(late, ComebackDecision::NotCovered { .. }));
    assert_eq!(late.comeback_of(), None);
    assert_eq!(rules(&late), [RuleId::Reg01]);
    assert!(
        late.reasons()[0].fact.contains("ended by days"),
        "{}",
        late.reasons()[0]
    );

    let far = comeback(
        &earlier,
        &visit("2026-03-05", 12_001, "brake squeal"),
        &policy,
    );
    assert!(!far.is_covered());
    assert!(far.reasons()[0].fact.contains("ended by distance"));
}

#[test]
fn a_different_fault_is_not_covered() {
    let policy = Policy::default();
    let earlier = repair(
        "WO-100",
        RepairCategory::Minor,
        "2026-03-01",
        10_000,
        "brake squeal",
    );
    let decision = comeback(
        &earlier,
        &visit("2026-03-03", 10_100, "wiper motor"),
        &policy,
    );
    assert!(!decision.is_covered());
    assert_eq!(rules(&decision), [RuleId::Reg02]);
    assert!(decision.reasons()[0].fact.contains("wiper motor"));
}

#[test]
fn a_visit_before_the_exit_is_not_a_comeback_of_it() {
    let policy = Policy::default();
    let earlier = repair(
        "WO-100",
        RepairCategory::Minor,
        "2026-03-01",
        10_000,
        "brake squeal",
    );
    let decision = comeback(
        &earlier,
        &visit("2026-02-27", 9_900, "brake squeal"),
        &policy,
    );
    assert!(!decision.is_covered());
}

#[test]
fn fault_keys_are_trimmed_and_checked() {
    assert_eq!(fault("  brake squeal ").as_str(), "brake squeal");
    let err = FaultKey::try_new("   ").unwrap_err();
    assert!(err.to_string().ends_with("(REG-02)"));
    assert!(FaultKey::try_new("x".repeat(101)).is_err());
    assert!(FaultKey::try_new("故".repeat(100)).is_ok());
    assert!(serde_json::from_str::<FaultKey>("\"\"").is_err());
}

#[test]
fn second_failure_after_two_linked_repairs_goes_to_another_repairer() {
    let policy = Policy::default();
    let first = repair(
        "WO-1",
        RepairCategory::Special,
        "2026-04-01",
        10_000,
        "misfire",
    );
    let rework = repair(
        "WO-2",
        RepairCategory::Special,
        "2026-04-06",
        10_300,
        "misfire",
    )
    .comeback_of(wo("WO-1"));
    // Day 12 after the first exit: outside the first repair's 10 days but
    // inside the rework's; the chain is still two repairs.
    let v = visit("2026-04-12", 10_700, "misfire");
    let decision = comeback_in_history(&[rework.clone(), first.clone()], &v, &policy);
    match &decision {
        ComebackDecision::AnotherRepairer {
            earlier_order,
            repairs,
            prove_other_cause_by,
            ..
        } => {
            assert_eq!(earlier_order, &wo("WO-2"));
            assert_eq!(repairs, &[wo("WO-1"), wo("WO-2")]);
            assert_eq!(*prove_other_cause_by, d("2026-04-15"));
        }
        other => panic!("expected another repairer, got {other:?}"),
    }
    assert_eq!(
        rules(&decision),
        [RuleId::Reg01, RuleId::Reg02, RuleId::Wo24]
    );
    assert!(
        decision.reasons()[1]
            .fact
            .contains("repaired 2 times (WO-1, WO-2)")
    );

    // Only the first repair known: a free rework.
    let once = comeback(&first, &visit("2026-04-05", 10_200, "misfire"), &policy);
    assert!(matches!(once, ComebackDecision::FreeRework { .. }));
}

#[test]
fn unlinked_repairs_chain_when_the_later_one_exited_inside_the_earlier_period() {
    let policy = Policy::default();
    let first = repair(
        "WO-1",
        RepairCategory::Minor,
        "2026-04-01",
        10_000,
        "misfire",
    );
    let inside = repair(
        "WO-2",
        RepairCategory::Minor,
        "2026-04-11",
        10_400,
        "misfire",
    );
    let decision = comeback_in_history(
        &[first.clone(), inside],
        &visit("2026-04-15", 10_600, "misfire"),
        &policy,
    );
    assert!(matches!(decision, ComebackDecision::AnotherRepairer { .. }));

    // The second repair exited a day after the first's period: a new fault
    // history, one repair in the chain.
    let outside = repair(
        "WO-3",
        RepairCategory::Minor,
        "2026-04-12",
        10_400,
        "misfire",
    );
    let decision = comeback_in_history(
        &[first, outside],
        &visit("2026-04-15", 10_600, "misfire"),
        &policy,
    );
    assert!(matches!(
        decision,
        ComebackDecision::FreeRework { ref earlier_order, .. } if earlier_order == &wo("WO-3")
    ));
}

#[test]
fn history_ignores_other_faults_and_later_repairs() {
    let policy = Policy::default();
    let history = [
        repair(
            "WO-1",
            RepairCategory::Minor,
            "2026-04-01",
            10_000,
            "misfire",
        ),
        repair(
            "WO-2",
            RepairCategory::Minor,
            "2026-04-03",
            10_100,
            "wiper motor",
        ),
        repair(
            "WO-3",
            RepairCategory::Minor,
            "2026-04-20",
            11_000,
            "misfire",
        ),
    ];
    let decision = comeback_in_history(&history, &visit("2026-04-05", 10_200, "misfire"), &policy);
    assert_eq!(decision.comeback_of(), Some(&wo("WO-1")));
    assert!(matches!(decision, ComebackDecision::FreeRework { .. }));
    assert!(
        !comeback_in_history(&[], &visit("2026-04-05", 10_200, "misfire"), &policy).is_covered()
    );
}

#[test]
fn a_policy_of_one_repair_sends_the_first_failure_elsewhere() {
    let policy = with_guarantee(GuaranteePolicy {
        repairs_before_another_repairer: 1,
        proof_days: 1,
        ..GuaranteePolicy::default()
    })
    .unwrap();
    let earlier = repair(
        "WO-1",
        RepairCategory::Minor,
        "2026-04-01",
        10_000,
        "misfire",
    );
    let decision = comeback(&earlier, &visit("2026-04-02", 10_010, "misfire"), &policy);
    assert!(matches!(
        decision,
        ComebackDecision::AnotherRepairer { prove_other_cause_by, .. } if prove_other_cause_by == d("2026-04-03")
    ));
}

#[test]
fn a_longer_promise_covers_a_later_visit() {
    let earlier = repair(
        "WO-1",
        RepairCategory::Minor,
        "2026-04-01",
        10_000,
        "misfire",
    );
    let v = visit("2026-04-20", 10_500, "misfire");
    assert!(!comeback(&earlier, &v, &Policy::default()).is_covered());
    let mut g = GuaranteePolicy::default();
    g.car.other = GuaranteeLimit::new(3_000, 30);
    assert!(comeback(&earlier, &v, &with_guarantee(g).unwrap()).is_covered());
}

// ---------------------------------------------------------------- REG-11

fn case(received: &str) -> RegulatorCase {
    RegulatorCase::new(ComplaintNo::try_new("SAMR-2026-0042").unwrap(), d(received))
}

#[test]
fn working_days_skip_weekends() {
    let cal = WorkingDayCalendar::default();
    // Friday + 1 working day = Monday; + 0 = itself.
    assert_eq!(
        cal.add_working_days(d("2026-03-06"), 1),
        Some(d("2026-03-09"))
    );
    assert_eq!(
        cal.add_working_days(d("2026-03-06"), 0),
        Some(d("2026-03-06"))
    );
    // Received on a Saturday: Monday is working day 1.
    assert_eq!(
        cal.add_working_days(d("2026-03-07"), 1),
        Some(d("2026-03-09"))
    );
    assert_eq!(
        cal.add_working_days(d("2026-03-07"), 7),
        Some(d("2026-03-17"))
    );
    assert!(!cal.is_working_day(d("2026-03-08")));
    assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), None);
}

#[test]
fn acceptance_due_across_a_weekend_and_a_holiday() {
    // National Day 2026: 1–7 October (Thu–Wed) off, Saturday 10 October a
    // make-up working day.
    let calendar = WorkingDayCalendar {
        holidays: (1..=7)
            .map(|day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap())
            .collect(),
        working_dates: vec![d("2026-10-10")],
        ..WorkingDayCalendar::default()
    };
    let policy = with_regulator(RegulatorPolicy {
        calendar,
        ..RegulatorPolicy::default()
    })
    .unwrap();
    // Received Tuesday 29 September: Wed 30 Sep (1), Thu 8 (2), Fri 9 (3),
    // Sat 10 make-up (4), Mon 12 (5), Tue 13 (6), Wed 14 (7).
    let clocks = regulator_clocks(&case("2026-09-29"), d("2026-10-01"), &policy);
    assert_eq!(clocks.acceptance.due, d("2026-10-14"));
    assert_eq!(clocks.acceptance.status, ClockStatus::Open);
    assert_eq!(clocks.acceptance.reason.rule, RuleId::Reg11);

    // Without the holiday calendar the same receipt is due on 8 October.
    let plain = regulator_clocks(&case("2026-09-29"), d("2026-10-01"), &Policy::default());
    assert_eq!(plain.acceptance.due, d("2026-10-08"));
}

#[test]
fn acceptance_met_missed_and_open() {
    let policy = Policy::default();
    // Received Friday 6 March 2026, due Tuesday 17 March.
    let mut c = case("2026-03-06");
    let open = regulator_clocks(&c, d("2026-03-17"), &policy);
    assert_eq!(open.acceptance.status, ClockStatus::Open);
    let missed = regulator_clocks(&c, d("2026-03-18"), &policy);
    assert_eq!(missed.acceptance.status, ClockStatus::Missed);

    c.answer = Some(RegulatorAnswer::Rejected(d("2026-03-17")));
    let met = regulator_clocks(&c, d("2026-03-20"), &policy);
    assert_eq!(met.acceptance.status, ClockStatus::Met);
    assert!(met.mediation.is_none());
    // Asked about a day before the answer: still open.
    assert_eq!(
        regulator_clocks(&c, d("2026-03-16"), &policy)
            .acceptance
            .status,
        ClockStatus::Open
    );

    c.answer = Some(RegulatorAnswer::Accepted(d("2026-03-18")));
    let late = regulator_clocks(&c, d("2026-03-20"), &policy);
    assert_eq!(late.acceptance.status, ClockStatus::Missed);
    assert!(late.mediation.is_some());
}

#[test]
fn mediation_runs_45_working_days_from_acceptance() {
    let policy = Policy::default();
    let mut c = case("2026-03-02");
    c.answer = Some(RegulatorAnswer::Accepted(d("2026-03-04"))); // a Wednesday
    // 45 working days = 9 weeks: Wednesday 6 May.
    let clocks = regulator_clocks(&c, d("2026-05-06"), &policy);
    let mediation = clocks.mediation.unwrap();
    assert_eq!(mediation.due, d("2026-05-06"));
    assert_eq!(mediation.status, ClockStatus::Open);
    let ended = regulator_clocks(&c, d("2026-05-07"), &policy)
        .mediation
        .unwrap();
    assert_eq!(ended.status, ClockStatus::Missed);
    assert!(ended.reason.fact.contains("without agreement"));

    c.mediation_closed_on = Some(d("2026-04-20"));
    let closed = regulator_clocks(&c, d("2026-06-01"), &policy)
        .mediation
        .unwrap();
    assert_eq!(closed.status, ClockStatus::Met);
}

#[test]
fn regulator_policy_may_tighten_not_loosen() {
    assert!(RegulatorPolicy::default().validate().is_ok());
    let tighter = RegulatorPolicy {
        accept_working_days: 5,
        mediation_working_days: 30,
        ..RegulatorPolicy::default()
    };
    assert!(with_regulator(tighter).is_ok());
    for bad in [
        RegulatorPolicy {
            accept_working_days: 8,
            ..RegulatorPolicy::default()
        },
        RegulatorPolicy {
            accept_working_days: 0,
            ..RegulatorPolicy::default()
        },
        RegulatorPolicy {
            mediation_working_days: 46,
            ..RegulatorPolicy::default()
        },
    ] {
        let err = with_regulator(bad).unwrap_err();
        assert_eq!(err.rule, RuleId::Reg11);
        assert!(err.to_string().ends_with("(REG-11)"));
    }
    let calendar = WorkingDayCalendar {
        rest_weekdays: vec![
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
            chrono::Weekday::Sat,
            chrono::Weekday::Sun,
        ],
        ..WorkingDayCalendar::default()
    };
    assert!(calendar.validate().is_err());
    let calendar = WorkingDayCalendar {
        holidays: vec![d("2026-10-01")],
        working_dates: vec![d("2026-10-01")],
        ..WorkingDayCalendar::default()
    };
    assert_eq!(
        calendar.validate().unwrap_err().field,
        "regulation.regulator.calendar.working_dates"
    );
}

// ------------------------------------------------------------------ serde

#[test]
fn serde_round_trips() {
    let g = GuaranteePolicy::default();
    let back: GuaranteePolicy = serde_json::from_str(&serde_json::to_string(&g).unwrap()).unwrap();
    assert_eq!(back, g);

    let r = RegulatorPolicy::default();
    let back: RegulatorPolicy = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);

    let policy = Policy::default();
    let first = repair(
        "WO-1",
        RepairCategory::Special,
        "2026-04-01",
        10_000,
        "misfire",
    );
    let rework = repair(
        "WO-2",
        RepairCategory::Special,
        "2026-04-06",
        10_300,
        "misfire",
    )
    .comeback_of(wo("WO-1"));
    for r in [&first, &rework] {
        let back: EarlierRepair = serde_json::from_str(&serde_json::to_string(r).unwrap()).unwrap();
        assert_eq!(&back, r);
    }
    let v = visit("2026-04-08", 10_500, "misfire");
    let back: GuaranteeVisit = serde_json::from_str(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(back, v);
    for decision in [
        comeback(&first, &v, &policy),
        comeback_in_history(&[first.clone(), rework.clone()], &v, &policy),
        comeback(&first, &visit("2027-01-01", 10_500, "misfire"), &policy),
    ] {
        let json = serde_json::to_string(&decision).unwrap();
        let back: ComebackDecision = serde_json::from_str(&json).unwrap();
        assert_eq!(back, decision);
    }
    let json = serde_json::to_string(&comeback(&first, &v, &policy)).unwrap();
    assert!(json.contains("\"decision\":\"free_rework\""), "{json}");

    let mut c = case("2026-03-02");
    c.answer = Some(RegulatorAnswer::Accepted(d("2026-03-04")));
    let back: RegulatorCase = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
    assert_eq!(back, c);
    let clocks = regulator_clocks(&c, d("2026-03-10"), &policy);
    let back = serde_json::from_str(&serde_json::to_string(&clocks).unwrap()).unwrap();
    assert_eq!(clocks, back);

    assert_eq!(
        serde_json::to_string(&RepairCategory::SecondLevelMaintenance).unwrap(),
        "\"second_level_maintenance\""
    );
    assert_eq!(VehicleKind::Motorcycle.label_zh(), "摩托车");
    assert_eq!(RepairCategory::Assembly.label_zh(), "总成修理");
}

// -------------------------------------------------------------- proptest

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (-400_000_i32..400_000).prop_map(|n| {
        NaiveDate::from_ymd_opt(2000, 1, 1)
            .unwrap()
            .checked_add_signed(chrono::TimeDelta::days(i64::from(n)))
            .unwrap_or(NaiveDate::MAX)
    })
}

fn any_repair() -> impl Strategy<Value = EarlierRepair> {
    (
        0_usize..6,
        prop::sample::select(VehicleKind::ALL),
        prop::sample::select(RepairCategory::ALL),
        prop_oneof![any_date(), Just(NaiveDate::MAX), Just(NaiveDate::MIN)],
        any::<u32>(),
        0_usize..3,
        prop::option::of(0_usize..6),
    )
        .prop_map(|(n, kind, category, exit, km, f, link)| {
            let mut r = EarlierRepair::new(
                wo(&format!("WO-{n}")),
                kind,
                category,
                exit,
                Km(km),
                fault(["a", "b", "c"][f]),
            );
            r.comeback_of = link.map(|l| wo(&format!("WO-{l}")));
            r
        })
}

fn any_visit() -> impl Strategy<Value = GuaranteeVisit> {
    (any_date(), any::<u32>(), 0_usize..3)
        .prop_map(|(date, km, f)| GuaranteeVisit::new(date, Km(km), fault(["a", "b", "c"][f])))
}

/// Near-edge visits to a repair: a few days and km around its limits.
fn near_visit(r: &EarlierRepair, days: u32, km: u32) -> GuaranteeVisit {
    GuaranteeVisit::new(
        r.exit_date
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX),
        Km(r.exit_odometer.0.saturating_add(km)),
        r.fault.clone(),
    )
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn comeback_never_panics(history in prop::collection::vec(any_repair(), 0..8), v in any_visit()) {
        let policy = Policy::default();
        let decision = comeback_in_history(&history, &v, &policy);
        prop_assert!(!decision.reasons().is_empty());
        prop_assert_eq!(decision.is_covered(), decision.comeback_of().is_some());
        for r in &history {
            let _ = comeback(r, &v, &policy);
        }
    }

    #[test]
    fn extending_the_period_never_uncovers_a_visit(
        history in prop::collection::vec(any_repair(), 1..6),
        v in any_visit(),
        pick in 0_usize..6,
        days in 0_u32..150,
        km in 0_u32..30_000,
        extra_km in 0_u32..50_000,
        extra_days in 0_u32..400,
    ) {
        let base = Policy::default();
        let mut g = GuaranteePolicy::default();
        for table in [&mut g.car, &mut g.motorcycle, &mut g.other_vehicle] {
            for limit in [&mut table.whole_or_assembly, &mut table.level_two_maintenance, &mut table.other] {
                limit.km = Km(limit.km.0 + extra_km);
                limit.days += extra_days;
            }
        }
        let longer = with_guarantee(g).unwrap();
        let near = near_visit(&history[pick % history.len()], days, km);
        for visit in [&v, &near] {
            if comeback_in_history(&history, visit, &base).is_covered() {
                prop_assert!(comeback_in_history(&history, visit, &longer).is_covered());
            }
        }
    }

    #[test]
    fn working_days_land_on_a_working_day(start in any_date(), n in 1_u32..60) {
        let cal = WorkingDayCalendar::default();
        if let Some(due) = cal.add_working_days(start, n) {
            prop_assert!(cal.is_working_day(due));
            prop_assert!(due > start);
        }
    }
}

// ---------------------------------------------------------- EST-03

/// The story's repair as an earlier repair of the front-brake fault: exit
/// on the delivery day, 24 November 2026, with its three OEM parts (12
/// months, until 24 November 2027).
fn story_repair() -> EarlierRepair {
    let policy = Policy::default();
    let (order, _) = crate::support::order_after(crate::support::steps().len());
    let repair = EarlierRepair::from_order(
        &order,
        VehicleKind::Car,
        RepairCategory::Minor,
        fault("front brake squeal"),
        &policy,
    )
    .unwrap();
    assert_eq!(repair.exit_date, d("2026-11-24"));
    assert_eq!(repair.exit_odometer, Km(48_200));
    assert_eq!(repair.parts.len(), 3);
    repair
}

#[test]
fn a_comeback_inside_a_parts_warranty_says_so() {
    let policy = Policy::default();
    let repair = story_repair();
    // Inside the repair's 10-day guarantee: free rework, and the parts are
    // inside their warranty too.
    let early = comeback(
        &repair,
        &visit("2026-12-01", 49_000, "front brake squeal"),
        &policy,
    );
    assert!(matches!(early, ComebackDecision::FreeRework { .. }));
    assert_eq!(early.parts_in_warranty().len(), 3);
    // The last day of the parts warranty: the guarantee has long ended, the
    // parts warranty has not.
    let last = comeback(
        &repair,
        &visit("2027-11-24", 60_000, "front brake squeal"),
        &policy,
    );
    assert!(matches!(last, ComebackDecision::NotCovered { .. }));
    assert_eq!(last.parts_in_warranty().len(), 3);
    let est03: Vec<String> = last
        .reasons()
        .iter()
        .filter(|r| r.rule == RuleId::Est03)
        .map(|r| r.to_string())
        .collect();
    assert_eq!(est03.len(), 3);
    assert!(
        est03[1].contains("part `8W0698151AB` (front brake pad set) fitted by WO-2026-1124-017 is inside its parts warranty on 2027-11-24: OEM, 12 months warranty, 2026-11-24 to 2027-11-24"),
        "{est03:?}"
    );
    // The day after: nothing to say.
    let after = comeback(
        &repair,
        &visit("2027-11-25", 60_000, "front brake squeal"),
        &policy,
    );
    assert!(after.parts_in_warranty().is_empty());
    assert!(after.reasons().iter().all(|r| r.rule != RuleId::Est03));
    // Another fault is not a comeback on these parts.
    let other = comeback(
        &repair,
        &visit("2027-01-10", 50_000, "wiper judder"),
        &policy,
    );
    assert!(other.parts_in_warranty().is_empty());
}

#[test]
fn parts_warranty_of_a_chain_names_each_repair() {
    let policy = Policy::default();
    let fitted = story_repair();
    let part = fitted.parts[1].clone();
    let first = repair(
        "WO-1",
        RepairCategory::Minor,
        "2026-11-24",
        48_200,
        "front brake squeal",
    )
    .with_parts(vec![part]);
    let second = repair(
        "WO-2",
        RepairCategory::Minor,
        "2026-11-30",
        48_600,
        "front brake squeal",
    )
    .comeback_of(wo("WO-1"));
    let decision = comeback_in_history(
        &[first, second],
        &visit("2026-12-05", 49_000, "front brake squeal"),
        &policy,
    );
    assert!(matches!(decision, ComebackDecision::AnotherRepairer { .. }));
    assert_eq!(decision.parts_in_warranty().len(), 1);
    assert!(
        decision
            .reasons()
            .iter()
            .any(|r| r.rule == RuleId::Est03 && r.to_string().contains("fitted by WO-1"))
    );
    // A repair that was never delivered gives no earlier repair.
    let (open, _) = crate::support::order_after(crate::support::step_index("Delivered at the car"));
    assert!(
        EarlierRepair::from_order(
            &open,
            VehicleKind::Car,
            RepairCategory::Minor,
            fault("x"),
            &policy
        )
        .is_none()
    );
}
