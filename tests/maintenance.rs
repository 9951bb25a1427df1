//! The maintenance schedule (MNT-01 … MNT-06) through the public API.

use aftersales::{
    ChargeAdvice, CountedFrom, DuePoint, Km, MaintenanceError, MaintenanceHistory,
    MaintenanceInterval, MaintenanceItem, MaintenancePolicy, MaintenanceSchedule,
    MileageProjection, OdometerReading, OdometerSource, Percent, Policy, PolicySections,
    Powertrain, RuleId, ServiceRecord, Urgency, UrgencyThresholds, WorkType,
};
use chrono::NaiveDate;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn r(date: &str, km: u32) -> OdometerReading {
    OdometerReading::new(d(date), Km(km))
}

fn oil_row() -> MaintenanceInterval {
    MaintenanceInterval::new(
        MaintenanceItem::EngineOil,
        Some(Km(5_000)),
        Some(6),
        WorkType::Replace,
    )
}

/// A combustion car delivered on 2025-01-10 at 20 km, oil changed on
/// 2025-07-01 at 5,020 km.
fn serviced_car() -> MaintenanceHistory {
    let mut h = MaintenanceHistory::new(Powertrain::Combustion, r("2025-01-10", 20));
    h.services.push(ServiceRecord::new(
        d("2025-07-01"),
        Km(5_020),
        vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter],
    ));
    h
}

fn defaults() -> MaintenancePolicy {
    Policy::default().maintenance().clone()
}

// ---------------------------------------------------------------------------
// Intervals and boundaries (MNT-01, MNT-02)
// ---------------------------------------------------------------------------

#[test]
fn due_point_adds_months_and_km() {
    let due = oil_row().next_due(r("2025-07-01", 5_020)).unwrap();
    assert_eq!(due.by_date, Some(d("2026-01-01")));
    assert_eq!(due.by_km, Some(Km(10_020)));
}

#[test]
fn mileage_boundary_exactly_at_and_one_before() {
    let due = oil_row().next_due(r("2025-07-01", 5_020)).unwrap();
    let t = UrgencyThresholds::default();
    let today = d("2025-08-01");
    // One km before: not reached, 1 km left.
    assert!(!due.is_reached(today, Km(10_019)));
    assert_eq!(due.km_remaining(Km(10_019)), Some(1));
    assert_eq!(due.urgency(today, Km(10_019), &t), Urgency::VeryUrgent);
    // Exactly at the km: reached (due), but not yet past due.
    assert!(due.is_reached(today, Km(10_020)));
    assert_eq!(due.km_remaining(Km(10_020)), Some(0));
    assert_eq!(due.urgency(today, Km(10_020), &t), Urgency::VeryUrgent);
    // One km over: past due.
    assert_eq!(due.urgency(today, Km(10_021), &t), Urgency::PastDue);
}

#[test]
fn date_boundary_one_day_before_on_and_after() {
    let due = oil_row().next_due(r("2025-07-01", 5_020)).unwrap();
    let t = UrgencyThresholds::default();
    let low = Km(6_000);
    assert!(!due.is_reached(d("2025-12-31"), low));
    assert_eq!(due.days_remaining(d("2025-12-31")), Some(1));
    assert_eq!(due.urgency(d("2025-12-31"), low, &t), Urgency::VeryUrgent);
    assert!(due.is_reached(d("2026-01-01"), low));
    assert_eq!(due.urgency(d("2026-01-01"), low, &t), Urgency::VeryUrgent);
    assert_eq!(due.days_remaining(d("2026-01-02")), Some(-1));
    assert_eq!(due.urgency(d("2026-01-02"), low, &t), Urgency::PastDue);
}

#[test]
fn month_end_arithmetic() {
    let monthly = MaintenanceInterval::new(
        MaintenanceItem::AirConditioning,
        None,
        Some(1),
        WorkType::Clean,
    );
    let due = |date: &str| monthly.next_due(r(date, 0)).unwrap().by_date.unwrap();
    assert_eq!(due("2026-01-31"), d("2026-02-28"));
    assert_eq!(due("2024-01-31"), d("2024-02-29"));
    assert_eq!(due("2026-08-31"), d("2026-09-30"));
    assert_eq!(due("2026-12-15"), d("2027-01-15"));
    let oil = oil_row().next_due(r("2025-08-31", 0)).unwrap();
    assert_eq!(oil.by_date, Some(d("2026-02-28")));
}

/// Delivered on 2025-01-10 at 20 km, oil changed on 2025-07-01 at
/// `oil_km`, read again on 2025-07-11 at `read_km`.
fn driver(oil_km: u32, read_km: u32) -> MaintenanceHistory {
    let mut h = MaintenanceHistory::new(Powertrain::Combustion, r("2025-01-10", 20));
    h.services.push(ServiceRecord::new(
        d("2025-07-01"),
        Km(oil_km),
        vec![MaintenanceItem::EngineOil],
    ));
    h.readings.push(r("2025-07-11", read_km));
    h
}

#[test]
fn first_reached_wins_mileage_first() {
    // A heavy driver: 18,200 km in the 182 days since delivery, 100 km a
    // day. 5,000 km after the oil change come long before six months.
    let h = driver(17_220, 18_220);
    let s = h.schedule(d("2025-07-11"), None, &defaults()).unwrap();
    assert_eq!(s.odometer.source, OdometerSource::Read);
    let oil = s.entry(MaintenanceItem::EngineOil).unwrap();
    assert_eq!(oil.due.by_date, Some(d("2026-01-01")));
    assert_eq!(oil.due.by_km, Some(Km(22_220)));
    // 4,000 km left at 18,200 km per 182 days: exactly 40 days.
    assert_eq!(oil.projected_km_date, Some(d("2025-08-20")));
    assert_eq!(oil.effective_date, Some(d("2025-08-20")));
    assert_eq!(oil.days_remaining, Some(40));
    assert_eq!(oil.km_remaining, Some(4_000));
    assert_eq!(oil.urgency, Urgency::NotUrgent);
}

#[test]
fn first_reached_wins_date_first() {
    // A light driver: 1,820 km in 182 days, 10 km a day; the six months
    // come first.
    let h = driver(1_740, 1_840);
    let s = h.schedule(d("2025-07-11"), None, &defaults()).unwrap();
    let oil = s.entry(MaintenanceItem::EngineOil).unwrap();
    // 4,900 km left at 10 km a day: 490 days.
    assert_eq!(oil.projected_km_date, Some(d("2026-11-13")));
    assert_eq!(oil.effective_date, Some(d("2026-01-01")));
    assert_eq!(oil.days_remaining, Some(174));
}

#[test]
fn without_projection_only_the_time_limit_dates_the_item() {
    let h = MaintenanceHistory::new(Powertrain::Combustion, r("2026-01-10", 15));
    let s = h.schedule(d("2026-01-10"), None, &defaults()).unwrap();
    assert!(s.projection.is_none());
    let air = s.entry(MaintenanceItem::AirFilter).unwrap();
    assert_eq!(air.due.by_date, None);
    assert_eq!(air.effective_date, None);
    assert_eq!(air.km_remaining, Some(15_000));
    // Dated entries before undated ones.
    assert!(s.entries.last().unwrap().effective_date.is_none());
}

// ---------------------------------------------------------------------------
// First maintenance (MNT-05)
// ---------------------------------------------------------------------------

fn brand_policy() -> MaintenancePolicy {
    let mut p = defaults();
    p.first_service.km = Some(Km(3_000));
    p.first_service.months = Some(3);
    p
}

#[test]
fn first_service_counts_from_delivery() {
    let h = MaintenanceHistory::new(Powertrain::Combustion, r("2026-01-31", 8));
    let s = h
        .schedule(d("2026-02-10"), Some(Km(400)), &brand_policy())
        .unwrap();
    let oil = s.entry(MaintenanceItem::EngineOil).unwrap();
    assert_eq!(
        oil.counted_from,
        CountedFrom::FirstService(r("2026-01-31", 8))
    );
    assert_eq!(oil.due.by_date, Some(d("2026-04-30")));
    assert_eq!(oil.due.by_km, Some(Km(3_008)));
    assert!(oil.reasons.iter().any(|r| r.rule == RuleId::Mnt05));
    // Not covered by the first maintenance: its own row from delivery.
    let brake = s.entry(MaintenanceItem::BrakeFluid).unwrap();
    assert_eq!(
        brake.counted_from,
        CountedFrom::Delivery(r("2026-01-31", 8))
    );
    assert_eq!(brake.due.by_date, Some(d("2028-01-31")));
    assert!(brake.reasons.iter().all(|r| r.rule != RuleId::Mnt05));
}

#[test]
fn after_the_first_service_the_regular_row_applies() {
    let mut h = MaintenanceHistory::new(Powertrain::Combustion, r("2026-01-31", 8));
    h.services.push(ServiceRecord::new(
        d("2026-04-20"),
        Km(2_900),
        vec![MaintenanceItem::EngineOil],
    ));
    let s = h.schedule(d("2026-05-01"), None, &brand_policy()).unwrap();
    let oil = s.entry(MaintenanceItem::EngineOil).unwrap();
    assert_eq!(
        oil.counted_from,
        CountedFrom::LastService(r("2026-04-20", 2_900))
    );
    assert_eq!(oil.due.by_km, Some(Km(7_900)));
    assert_eq!(oil.due.by_date, Some(d("2026-10-20")));
    // The filter was forgotten: still on its first-maintenance due point,
    // which has passed.
    let filter = s.entry(MaintenanceItem::OilFilter).unwrap();
    assert!(matches!(filter.counted_from, CountedFrom::FirstService(_)));
    assert_eq!(filter.urgency, Urgency::PastDue);
    assert_eq!(s.entries[0].item, MaintenanceItem::OilFilter);
}

#[test]
fn services_and_readings_after_today_are_left_out() {
    let h = serviced_car();
    let before = h.schedule(d("2025-06-30"), None, &defaults()).unwrap();
    let oil = before.entry(MaintenanceItem::EngineOil).unwrap();
    assert!(matches!(oil.counted_from, CountedFrom::FirstService(_)));
    let err = h.schedule(d("2025-01-09"), None, &defaults()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no maintenance schedule on 2025-01-09 for a vehicle delivered on 2025-01-10 (MNT-05)"
    );
}

// ---------------------------------------------------------------------------
// Urgency (MNT-06)
// ---------------------------------------------------------------------------

#[test]
fn urgency_on_both_sides_of_each_threshold() {
    let t = UrgencyThresholds::default();
    let due = DuePoint {
        by_date: Some(d("2026-06-30")),
        by_km: Some(Km(50_000)),
    };
    let far = Km(10_000);
    let early = d("2026-01-01");
    let cases = [
        // by days, the odometer far away
        (d("2026-05-30"), far, Urgency::NotUrgent), // 31 days
        (d("2026-05-31"), far, Urgency::Urgent),    // 30 days
        (d("2026-06-22"), far, Urgency::Urgent),    // 8 days
        (d("2026-06-23"), far, Urgency::VeryUrgent), // 7 days
        (d("2026-06-30"), far, Urgency::VeryUrgent), // 0 days
        (d("2026-07-01"), far, Urgency::PastDue),   // -1 day
        // by km, the date far away
        (early, Km(48_999), Urgency::NotUrgent),  // 1,001 km
        (early, Km(49_000), Urgency::Urgent),     // 1,000 km
        (early, Km(49_499), Urgency::Urgent),     // 501 km
        (early, Km(49_500), Urgency::VeryUrgent), // 500 km
        (early, Km(50_000), Urgency::VeryUrgent), // 0 km
        (early, Km(50_001), Urgency::PastDue),    // -1 km
        // the more urgent of the two wins
        (d("2026-06-25"), Km(49_000), Urgency::VeryUrgent),
        (d("2026-05-31"), Km(50_200), Urgency::PastDue),
    ];
    for (today, odo, want) in cases {
        assert_eq!(due.urgency(today, odo, &t), want, "{today} {odo}");
    }
}

#[test]
fn custom_thresholds() {
    let t = UrgencyThresholds {
        very_urgent_days: 3,
        very_urgent_km: Km(200),
        urgent_days: 14,
        urgent_km: Km(800),
    };
    assert_eq!(t.classify(Some(4), None), Urgency::Urgent);
    assert_eq!(t.classify(Some(15), Some(801)), Urgency::NotUrgent);
    assert_eq!(t.classify(Some(15), Some(200)), Urgency::VeryUrgent);
}

#[test]
fn schedule_is_sorted_most_urgent_first_then_by_date() {
    let mut h = serviced_car();
    h.readings.push(r("2025-12-01", 9_700));
    let s = h.schedule(d("2025-12-20"), None, &defaults()).unwrap();
    for pair in s.entries.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(a.urgency <= b.urgency);
        if a.urgency == b.urgency {
            match (a.effective_date, b.effective_date) {
                (Some(x), Some(y)) => assert!(x <= y),
                (None, Some(_)) => panic!("undated before dated"),
                _ => {}
            }
        }
    }
    assert_eq!(s.odometer.source, OdometerSource::Projected);
    assert_eq!(s.entries[0].item, MaintenanceItem::EngineOil);
}

// ---------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------

#[test]
fn projection_by_hand() {
    // 2026-03-01 at 20,000 km, 2026-03-08 at 20,350 km, 2026-03-15 at
    // 20,700 km: 700 km in 14 days, 50 km a day.
    let p = MileageProjection::from_readings(&[
        r("2026-03-08", 20_350),
        r("2026-03-15", 20_700),
        r("2026-03-01", 20_000),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(p.rate.km, Km(700));
    assert_eq!(p.rate.days.get(), 14);
    assert_eq!(p.since, r("2026-03-01", 20_000));
    assert_eq!(p.anchor, r("2026-03-15", 20_700));
    // 25,000 km: 4,300 km more, 86 days exactly.
    assert_eq!(p.date_reaching(Km(25_000)), Some(d("2026-06-09")));
    // 25,001 km: 86.02 days, so day 87.
    assert_eq!(p.date_reaching(Km(25_001)), Some(d("2026-06-10")));
    assert_eq!(p.odometer_on(d("2026-06-09")), Some(Km(25_000)));
    // 20 days at 700/14: exactly 1,000 km.
    assert_eq!(p.odometer_on(d("2026-04-04")), Some(Km(21_700)));
    // Already reached: the anchor's day.
    assert_eq!(p.date_reaching(Km(20_500)), Some(d("2026-03-15")));
}

#[test]
fn no_projection_is_not_an_error() {
    assert!(MileageProjection::from_readings(&[]).unwrap().is_none());
    assert!(
        MileageProjection::from_readings(&[r("2026-03-01", 10)])
            .unwrap()
            .is_none()
    );
    assert!(
        MileageProjection::from_readings(&[r("2026-03-01", 10), r("2026-03-01", 90)])
            .unwrap()
            .is_none()
    );
}

#[test]
fn backwards_odometer_is_an_error() {
    let err = MileageProjection::from_readings(&[r("2026-02-01", 41_500), r("2026-03-01", 41_200)])
        .unwrap_err();
    assert_eq!(
        err,
        MaintenanceError::OdometerBackwards {
            earlier: r("2026-02-01", 41_500),
            later: r("2026-03-01", 41_200),
        }
    );
    assert_eq!(err.rule(), RuleId::Mnt06);
    // Through the schedule: today's odometer below the last service.
    let err = serviced_car()
        .schedule(d("2025-08-01"), Some(Km(5_000)), &defaults())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "odometer reading `5000 km` on 2025-08-01 is below the earlier `5020 km` on 2025-07-01 (MNT-06)"
    );
}

// ---------------------------------------------------------------------------
// Powertrains and EV care (MNT-04)
// ---------------------------------------------------------------------------

fn items_of(p: Powertrain) -> Vec<MaintenanceItem> {
    let h = MaintenanceHistory::new(p, r("2026-01-01", 0));
    let s = h.schedule(d("2026-01-01"), None, &defaults()).unwrap();
    let mut items: Vec<_> = s.entries.iter().map(|e| e.item).collect();
    items.sort();
    items
}

#[test]
fn ev_items_only_where_they_exist() {
    use MaintenanceItem as I;
    let ev = items_of(Powertrain::Electric);
    assert_eq!(
        ev,
        [
            I::BrakeFluid,
            I::AirConditioning,
            I::ShockAbsorbers,
            I::StarterBattery,
            I::ReductionGearOil,
            I::ChargingEquipment
        ]
    );
    let ice = items_of(Powertrain::Combustion);
    assert!(ice.contains(&I::EngineOil));
    assert!(!ice.contains(&I::ReductionGearOil));
    assert!(!ice.contains(&I::ChargingEquipment));
    let hev = items_of(Powertrain::Hybrid);
    assert_eq!(hev, ice);
    let phev = items_of(Powertrain::PlugInHybrid);
    assert!(phev.contains(&I::EngineOil) && phev.contains(&I::ChargingEquipment));
    assert!(!phev.contains(&I::ReductionGearOil));
}

#[test]
fn battery_band_advice() {
    let p = defaults();
    let soc = |s: &str| s.parse::<Percent>().unwrap();
    assert_eq!(p.battery_advice(soc("19.9")), ChargeAdvice::BelowBand);
    assert_eq!(p.battery_advice(soc("20")), ChargeAdvice::WithinBand);
    assert_eq!(p.battery_advice(soc("80")), ChargeAdvice::WithinBand);
    assert_eq!(p.battery_advice(soc("80.1")), ChargeAdvice::AboveBand);
    assert_eq!(
        p.battery_band.reason(soc("90")).to_string(),
        "state of charge `90%` is above the daily-use band `20%`–`80%` (MNT-04)"
    );
    assert_eq!(ChargeAdvice::BelowBand.label_zh(), "低于日常使用区间");
}

// ---------------------------------------------------------------------------
// Explanations, next date, policy loading
// ---------------------------------------------------------------------------

#[test]
fn entry_explanation() {
    let mut h = serviced_car();
    h.readings.push(r("2025-12-01", 9_700));
    let s = h.schedule(d("2025-12-20"), None, &defaults()).unwrap();
    let text: Vec<String> = s.entries[0].reasons.iter().map(|r| r.to_string()).collect();
    insta::assert_snapshot!(text.join("\n"), @r"
    `engine oil`: replace every `5000 km` or 6 months, whichever comes first (MNT-02)
    last done `5020 km` on 2025-07-01: due on 2026-01-01 or at `10020 km`, whichever comes first (MNT-01)
    averaging `9680 km` in 325 days from 2025-01-10 to 2025-12-01, `10020 km` is projected on 2025-12-12 (MNT-01)
    on 2025-12-20: 8 days overdue (expected 2025-12-12), `245 km` over (odometer `10265 km` projected): past due (very urgent within 7 days or `500 km`, urgent within 30 days or `1000 km`) (MNT-06)
    ");
}

#[test]
fn next_maintenance_date_for_the_care_calendar() {
    let h = serviced_car();
    let p = defaults();
    let next = h
        .next_maintenance_date(d("2025-08-01"), Some(Km(6_000)), &p)
        .unwrap();
    let s = h.schedule(d("2025-08-01"), Some(Km(6_000)), &p).unwrap();
    assert_eq!(next, s.next_due_date());
    let items: Vec<_> = s.next_due_items().iter().map(|e| e.item).collect();
    assert!(items.contains(&MaintenanceItem::EngineOil));
    assert!(items.contains(&MaintenanceItem::OilFilter));
    assert!(
        s.entries
            .iter()
            .filter_map(|e| e.effective_date)
            .all(|x| Some(x) >= next)
    );
}

#[test]
fn policy_section_loads_and_validates() {
    let json = r#"{ "maintenance": {
        "intervals": [
            { "item": "engine_oil", "km": 10000, "months": 12, "work": "replace" },
            { "item": "air_conditioning", "months": 12, "work": "check" }
        ],
        "battery_band": { "min": "30", "max": "90" }
    } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    let m = policy.maintenance();
    assert_eq!(m.intervals.len(), 2);
    assert_eq!(m.urgency, UrgencyThresholds::default());
    assert!(m.interval(MaintenanceItem::BrakeFluid).is_none());

    let bad = [
        (
            r#"{ "maintenance": { "intervals": [ { "item": "engine_oil", "work": "replace" } ] } }"#,
            "maintenance.intervals",
        ),
        (
            r#"{ "maintenance": { "intervals": [ { "item": "engine_oil", "km": 0, "work": "replace" } ] } }"#,
            "maintenance.intervals",
        ),
        (
            r#"{ "maintenance": { "battery_band": { "min": "80", "max": "20" } } }"#,
            "maintenance.battery_band",
        ),
        (
            r#"{ "maintenance": { "urgency": { "very_urgent_km": 2000 } } }"#,
            "maintenance.urgency.very_urgent_km",
        ),
    ];
    for (json, field) in bad {
        let err = serde_json::from_str::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(field), "{err}");
    }
    assert!(serde_json::from_str::<Policy>(r#"{ "maintenance": { "oil": 1 } }"#).is_err());
    assert!(
        serde_json::from_str::<Policy>(
            r#"{ "maintenance": { "battery_band": { "max": "101" } } }"#
        )
        .is_err()
    );

    let mut sections = PolicySections::default();
    sections.maintenance.first_service.months = Some(0);
    let err = Policy::try_new(sections).unwrap_err();
    assert_eq!(err.field, "maintenance.first_service");
    assert_eq!(err.rule, RuleId::Mnt05);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn date_in(range: std::ops::Range<i32>) -> impl Strategy<Value = NaiveDate> {
    range.prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

/// Dates between 2000 and about 2055.
fn date() -> impl Strategy<Value = NaiveDate> {
    date_in(730_120..750_000)
}

fn item() -> impl Strategy<Value = MaintenanceItem> {
    proptest::sample::select(MaintenanceItem::ALL)
}

fn powertrain() -> impl Strategy<Value = Powertrain> {
    proptest::sample::select(Powertrain::ALL)
}

fn work() -> impl Strategy<Value = WorkType> {
    proptest::sample::select(WorkType::ALL)
}

fn valid_row() -> impl Strategy<Value = MaintenanceInterval> {
    (
        item(),
        proptest::option::of(1u32..100_000),
        proptest::option::of(1u32..120),
        work(),
    )
        .prop_filter("a limit", |(_, k, m, _)| k.is_some() || m.is_some())
        .prop_map(|(i, k, m, w)| MaintenanceInterval::new(i, k.map(Km), m, w))
}

fn valid_policy() -> impl Strategy<Value = MaintenancePolicy> {
    (
        proptest::collection::vec(valid_row(), 0..12),
        0u32..40,
        0u32..40,
        0u32..3_000,
        0u32..3_000,
    )
        .prop_map(|(rows, a, b, c, e)| {
            let mut seen = Vec::new();
            let intervals = rows
                .into_iter()
                .filter(|r| {
                    let fresh = !seen.contains(&r.item);
                    seen.push(r.item);
                    fresh
                })
                .collect();
            let mut p = MaintenancePolicy {
                intervals,
                ..MaintenancePolicy::default()
            };
            p.urgency = UrgencyThresholds {
                very_urgent_days: a.min(b),
                urgent_days: a.max(b),
                very_urgent_km: Km(c.min(e)),
                urgent_km: Km(c.max(e)),
            };
            p
        })
}

/// A consistent history: readings that only go up, from the delivery on.
fn history() -> impl Strategy<Value = (MaintenanceHistory, NaiveDate, Option<Km>)> {
    (
        powertrain(),
        date(),
        0u32..1_000,
        proptest::collection::vec(
            (
                1i64..400,
                0u32..20_000,
                proptest::sample::subsequence(MaintenanceItem::ALL, 0..4),
            ),
            0..6,
        ),
        0i64..400,
        proptest::option::of(0u32..5_000),
    )
        .prop_map(|(p, delivered, km0, steps, tail, extra)| {
            let mut h = MaintenanceHistory::new(p, OdometerReading::new(delivered, Km(km0)));
            let (mut date, mut km) = (delivered, km0);
            for (i, (days, add, items)) in steps.into_iter().enumerate() {
                date = date + chrono::Days::new(days as u64);
                km += add;
                if i % 2 == 0 {
                    h.services
                        .push(ServiceRecord::new(date, Km(km), items.to_vec()));
                } else {
                    h.readings.push(OdometerReading::new(date, Km(km)));
                }
            }
            let today = date + chrono::Days::new(tail as u64);
            (h, today, extra.map(|e| Km(km + e)))
        })
}

fn check_schedule(s: &MaintenanceSchedule, today: NaiveDate) {
    for e in &s.entries {
        if let (Some(eff), Some(limit)) = (e.effective_date, e.due.by_date) {
            assert!(eff <= limit, "{e:?}");
        }
        if e.due.by_date.is_some() {
            assert!(e.effective_date.is_some());
        }
        assert_eq!(
            e.days_remaining,
            e.effective_date.map(|x| (x - today).num_days())
        );
        assert!(!e.reasons.is_empty());
    }
}

proptest! {
    #[test]
    fn effective_date_never_after_time_limit(
        (h, today, odo) in history(),
        policy in valid_policy(),
    ) {
        prop_assert!(policy.validate().is_ok());
        let s = h.schedule(today, odo, &policy).unwrap();
        check_schedule(&s, today);
        prop_assert_eq!(h.next_maintenance_date(today, odo, &policy).unwrap(), s.next_due_date());
    }

    #[test]
    fn effective_date_of_a_due_point(
        by_date in proptest::option::of(date()),
        by_km in proptest::option::of(0u32..1_000_000),
        readings in proptest::collection::vec((date(), 0u32..1_000_000), 0..4),
    ) {
        let mut readings: Vec<_> = readings
            .into_iter()
            .map(|(d, k)| OdometerReading::new(d, Km(k)))
            .collect();
        // Make them go forward: sort dates and odometers independently.
        let mut dates: Vec<_> = readings.iter().map(|r| r.date).collect();
        let mut kms: Vec<_> = readings.iter().map(|r| r.odometer).collect();
        dates.sort();
        kms.sort();
        for (r, (d, k)) in readings.iter_mut().zip(dates.into_iter().zip(kms)) {
            *r = OdometerReading::new(d, k);
        }
        let p = MileageProjection::from_readings(&readings).unwrap();
        let due = DuePoint { by_date, by_km: by_km.map(Km) };
        let eff = due.effective_date(p.as_ref());
        if let Some(limit) = by_date {
            prop_assert!(eff.is_some_and(|e| e <= limit));
        }
        if let (Some(p), Some(k), Some(on)) = (p, by_km, eff) {
            if by_date.is_none_or(|l| on < l) {
                // The projected day is the first one reaching the km.
                prop_assert!(p.odometer_on(on).unwrap() >= Km(k));
                if on > p.anchor.date {
                    prop_assert!(p.odometer_on(on.pred_opt().unwrap()).unwrap() < Km(k));
                }
            }
        }
    }

    #[test]
    fn urgency_never_relaxes_as_the_date_advances(
        by_date in proptest::option::of(date()),
        by_km in proptest::option::of(0u32..100_000),
        odometer in 0u32..100_000,
        start in date(),
        steps in proptest::collection::vec(0u64..40, 1..20),
        thresholds in (0u32..40, 0u32..40, 0u32..3_000, 0u32..3_000),
    ) {
        let (a, b, c, e) = thresholds;
        let t = UrgencyThresholds {
            very_urgent_days: a.min(b),
            urgent_days: a.max(b),
            very_urgent_km: Km(c.min(e)),
            urgent_km: Km(c.max(e)),
        };
        let due = DuePoint { by_date, by_km: by_km.map(Km) };
        let mut today = start;
        let mut last = due.urgency(today, Km(odometer), &t);
        for step in steps {
            today = today + chrono::Days::new(step);
            let now = due.urgency(today, Km(odometer), &t);
            prop_assert!(now <= last, "{:?} after {:?} on {}", now, last, today);
            last = now;
        }
    }

    #[test]
    fn urgency_never_relaxes_as_the_odometer_advances(
        due_km in 0u32..100_000,
        odometer in 0u32..100_000,
        more in 0u32..5_000,
    ) {
        let t = UrgencyThresholds::default();
        let due = DuePoint { by_date: None, by_km: Some(Km(due_km)) };
        let today = d("2026-01-01");
        prop_assert!(
            due.urgency(today, Km(odometer + more), &t) <= due.urgency(today, Km(odometer), &t)
        );
    }

    #[test]
    fn no_panic_on_arbitrary_input(
        p in powertrain(),
        delivered in date_in(-95_000_000..95_000_000),
        km0 in any::<u32>(),
        services in proptest::collection::vec(
            (date_in(-95_000_000..95_000_000), any::<u32>(), proptest::sample::subsequence(MaintenanceItem::ALL, 0..10)),
            0..5,
        ),
        readings in proptest::collection::vec((date_in(-95_000_000..95_000_000), any::<u32>()), 0..5),
        today in date_in(-95_000_000..95_000_000),
        odo in proptest::option::of(any::<u32>()),
        rows in proptest::collection::vec(
            (item(), proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>()), work()),
            0..12,
        ),
        first in (proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>())),
        thresholds in (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()),
    ) {
        let mut h = MaintenanceHistory::new(p, OdometerReading::new(delivered, Km(km0)));
        h.services = services
            .into_iter()
            .map(|(d, k, items)| ServiceRecord::new(d, Km(k), items))
            .collect();
        h.readings = readings.into_iter().map(|(d, k)| OdometerReading::new(d, Km(k))).collect();
        let mut policy = MaintenancePolicy {
            intervals: rows
                .into_iter()
                .map(|(i, k, m, w)| MaintenanceInterval::new(i, k.map(Km), m, w))
                .collect(),
            ..MaintenancePolicy::default()
        };
        policy.first_service.km = first.0.map(Km);
        policy.first_service.months = first.1;
        policy.urgency = UrgencyThresholds {
            very_urgent_days: thresholds.0,
            urgent_days: thresholds.1,
            very_urgent_km: Km(thresholds.2),
            urgent_km: Km(thresholds.3),
        };
        let _ = policy.validate();
        if let Ok(s) = h.schedule(today, odo.map(Km), &policy) {
            check_schedule(&s, today);
            let _ = s.next_due_items();
        }
        let all: Vec<_> = h.readings.clone();
        if let Ok(Some(proj)) = MileageProjection::from_readings(&all) {
            let _ = proj.odometer_on(today);
            let _ = proj.date_reaching(Km(km0));
            let _ = proj.rate.per_day(2);
        }
    }

    #[test]
    fn serde_round_trips(
        policy in valid_policy(),
        (h, today, odo) in history(),
    ) {
        let json = serde_json::to_string(&policy).unwrap();
        prop_assert_eq!(&serde_json::from_str::<MaintenancePolicy>(&json).unwrap(), &policy);
        let whole = Policy::default().with_maintenance(policy.clone()).unwrap();
        let json = serde_json::to_string(&whole).unwrap();
        prop_assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), whole);

        let json = serde_json::to_string(&h).unwrap();
        prop_assert_eq!(&serde_json::from_str::<MaintenanceHistory>(&json).unwrap(), &h);
        let s = h.schedule(today, odo, &policy).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(serde_json::from_str::<MaintenanceSchedule>(&json).unwrap(), s);
    }
}
