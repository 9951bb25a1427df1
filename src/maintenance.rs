//! Maintenance intervals and reminders (MNT-01 … MNT-06).
//!
//! Start from [`MaintenanceHistory::schedule`]: given what a vehicle had
//! done (its [`Powertrain`], delivery and [`ServiceRecord`]s), a date and,
//! if read that day, the odometer, it lists every [`MaintenanceItem`] with
//! its next due point, the date that point is expected, and an
//! [`Urgency`], most urgent first, each entry carrying the rules and facts
//! behind it. [`MaintenanceSchedule::next_due_date`] is the vehicle's next
//! maintenance date, for the periodic maintenance notice (CARE-04).
//!
//! The pieces are public too: [`MaintenanceInterval::next_due`] (first
//! reached wins, MNT-01), [`MileageProjection`] (the average daily mileage
//! as an exact fraction and the day a mileage will be reached),
//! [`UrgencyThresholds::classify`] (MNT-06) and [`ChargeBand::advise`]
//! (MNT-04). The numbers live in [`MaintenancePolicy`], section 8 of the
//! [`Policy`](crate::Policy).
//!
//! ```
//! use aftersales::{
//!     Km, MaintenanceHistory, MaintenanceItem, OdometerReading, Policy, Powertrain,
//!     ServiceRecord, Urgency,
//! };
//! use chrono::NaiveDate;
//!
//! let policy = Policy::default();
//! // Delivered on 1 March 2025 with 12 km; first service (首保) on 20 August
//! // at 4,800 km: engine oil and oil filter changed.
//! let mut history = MaintenanceHistory::new(
//!     Powertrain::Combustion,
//!     OdometerReading::new("2025-03-01".parse()?, Km(12)),
//! );
//! history.services.push(ServiceRecord::new(
//!     "2025-08-20".parse()?,
//!     Km(4_800),
//!     vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter],
//! ));
//! // On 20 January 2026 the odometer reads 9,500 km.
//! let today: NaiveDate = "2026-01-20".parse()?;
//! let schedule = history.schedule(today, Some(Km(9_500)), policy.maintenance())?;
//!
//! let first = &schedule.entries[0];
//! assert_eq!(first.item, MaintenanceItem::EngineOil);
//! assert_eq!(first.due.by_km, Some(Km(9_800))); // 4,800 + 5,000 km
//! assert_eq!(first.due.by_date, "2026-02-20".parse().ok()); // or 6 months
//! // 9,488 km in 325 days: the last 300 km take 11 more days.
//! assert_eq!(first.effective_date, "2026-01-31".parse().ok());
//! assert_eq!(first.urgency, Urgency::VeryUrgent); // 300 km left, within 500 km
//! assert_eq!(schedule.next_due_date(), "2026-01-31".parse().ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::num::NonZeroU32;

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::policy::{PolicyError, invalid};
use crate::rule::{Reason, RuleId};
use crate::units::{Km, Percent};

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

words! {
    /// The kind of work a maintenance item needs (MNT-03, 车辆维护保养的主要
    /// 工作). The six kinds of \[001\] plus [`WorkType::Replace`], which the
    /// interval table of \[004\] uses for oils, filters and fluids (更换).
    WorkType {
        /// Clean (清洁).
        Clean => "clean", "清洁";
        /// Check (检查).
        Check => "check", "检查";
        /// Tighten (紧固).
        Tighten => "tighten", "紧固";
        /// Adjust (调整).
        Adjust => "adjust", "调整";
        /// Lubricate (润滑).
        Lubricate => "lubricate", "润滑";
        /// Replenish (补给): top up fluids.
        Replenish => "replenish", "补给";
        /// Replace (更换): not one of the six kinds of MNT-03; \[004\] uses it
        /// for engine oil, filters and fluids.
        Replace => "replace", "更换";
    }
}

words! {
    /// What drives the vehicle; it decides which [`MaintenanceItem`]s apply
    /// (see [`MaintenanceItem::applies_to`]).
    Powertrain {
        /// An internal-combustion engine only (燃油车).
        Combustion => "combustion", "燃油";
        /// A hybrid whose traction battery is charged by the engine and by
        /// braking only (油电混合): the combustion items, no charging
        /// equipment.
        Hybrid => "hybrid", "油电混合";
        /// A plug-in hybrid (插电式混合动力): the combustion items plus
        /// the charging equipment (MNT-04).
        PlugInHybrid => "plug-in hybrid", "插电混动";
        /// A battery electric vehicle (纯电动): no engine oil, oil filter,
        /// air filter or transmission oil; reduction-gear oil and charging
        /// equipment instead (MNT-04).
        Electric => "electric", "纯电动";
    }
}

words! {
    /// A maintenance item of the interval table (MNT-02, MNT-04).
    MaintenanceItem {
        /// Engine oil (发动机油).
        EngineOil => "engine oil", "发动机油";
        /// Oil filter (机油滤清器), changed with every oil change.
        OilFilter => "oil filter", "机油滤清器";
        /// Engine air filter (空气滤清器).
        AirFilter => "air filter", "空气滤清器";
        /// Brake fluid (制动液).
        BrakeFluid => "brake fluid", "制动液";
        /// Transmission oil (变速箱油).
        TransmissionOil => "transmission oil", "变速箱油";
        /// Air-conditioning system (空调系统).
        AirConditioning => "air conditioning", "空调系统";
        /// Shock absorbers (减震器).
        ShockAbsorbers => "shock absorbers", "减震器";
        /// The 12 V starter battery (蓄电池), not the traction battery.
        StarterBattery => "12 V battery", "12V蓄电池";
        /// Reduction-gear oil of an electric drive (减速器油, MNT-04).
        ReductionGearOil => "reduction-gear oil", "减速器油";
        /// Charging equipment: home wall box and portable charger, cables
        /// and plugs (充电设备, MNT-04).
        ChargingEquipment => "charging equipment", "充电设备";
    }
}

impl MaintenanceItem {
    /// Whether the item exists on a vehicle with this powertrain.
    ///
    /// Engine oil, oil filter, air filter and transmission oil need an
    /// engine; reduction-gear oil belongs to the electric drive; charging
    /// equipment to a vehicle that plugs in. Brake fluid, air conditioning,
    /// shock absorbers and the 12 V battery are on every vehicle.
    ///
    /// ```
    /// use aftersales::{MaintenanceItem, Powertrain};
    /// assert!(!MaintenanceItem::EngineOil.applies_to(Powertrain::Electric));
    /// assert!(MaintenanceItem::ChargingEquipment.applies_to(Powertrain::PlugInHybrid));
    /// assert!(!MaintenanceItem::ChargingEquipment.applies_to(Powertrain::Hybrid));
    /// ```
    pub const fn applies_to(self, powertrain: Powertrain) -> bool {
        let engine = !matches!(powertrain, Powertrain::Electric);
        match self {
            MaintenanceItem::EngineOil
            | MaintenanceItem::OilFilter
            | MaintenanceItem::AirFilter
            | MaintenanceItem::TransmissionOil => engine,
            MaintenanceItem::ReductionGearOil => matches!(powertrain, Powertrain::Electric),
            MaintenanceItem::ChargingEquipment => {
                matches!(powertrain, Powertrain::Electric | Powertrain::PlugInHybrid)
            }
            MaintenanceItem::BrakeFluid
            | MaintenanceItem::AirConditioning
            | MaintenanceItem::ShockAbsorbers
            | MaintenanceItem::StarterBattery => true,
        }
    }
}

impl Powertrain {
    /// The maintenance items of a vehicle with this powertrain, in
    /// [`MaintenanceItem::ALL`] order.
    pub fn items(self) -> impl Iterator<Item = MaintenanceItem> {
        MaintenanceItem::ALL
            .iter()
            .copied()
            .filter(move |item| item.applies_to(self))
    }
}

words! {
    /// How soon maintenance is due (MNT-06). Declared from the most to the
    /// least urgent, so the smaller value (`Ord`) is the more urgent one.
    Urgency {
        /// The due date has passed or the due mileage is exceeded.
        PastDue => "past due", "已超期";
        /// Within the very-urgent days or km (7 days / 500 km).
        VeryUrgent => "very urgent", "非常紧急";
        /// Within the urgent days or km (30 days / 1,000 km).
        Urgent => "urgent", "紧急";
        /// Further away than both.
        NotUrgent => "not urgent", "不紧急";
    }
}

words! {
    /// Where a traction battery's state of charge stands against the
    /// daily-use band (MNT-04).
    ChargeAdvice {
        /// Below the band: charge it; avoid deep discharge.
        BelowBand => "below the daily-use band", "低于日常使用区间";
        /// Within the band, both ends included.
        WithinBand => "within the daily-use band", "处于日常使用区间";
        /// Above the band: fine before a long trip, avoid keeping it there.
        AboveBand => "above the daily-use band", "高于日常使用区间";
    }
}

// ---------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------

/// One row of the interval table: an item is due at whichever comes first
/// of `km` and `months` since it was last done (MNT-01, MNT-02).
///
/// A row has at least one of the two; [`MaintenancePolicy::validate`]
/// rejects a row with neither or with a zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceInterval {
    /// The item.
    pub item: MaintenanceItem,
    /// Kilometres between two services, if the item has a mileage limit.
    #[serde(default)]
    pub km: Option<Km>,
    /// Calendar months between two services, if it has a time limit.
    #[serde(default)]
    pub months: Option<u32>,
    /// The work done at each service.
    pub work: WorkType,
}

impl MaintenanceInterval {
    /// A row.
    pub const fn new(
        item: MaintenanceItem,
        km: Option<Km>,
        months: Option<u32>,
        work: WorkType,
    ) -> Self {
        MaintenanceInterval {
            item,
            km,
            months,
            work,
        }
    }

    /// The next due point counted from `from` (the last service, or the
    /// delivery when the item was never done): `from.date` plus `months`
    /// and `from.odometer` plus `km` (MNT-01).
    ///
    /// Months are calendar months and keep the day of the month; when that
    /// day does not exist in the target month the last day is taken, so
    /// 31 January plus one month is 28 February (29 in a leap year) and
    /// 31 August plus one month is 30 September.
    ///
    /// ```
    /// use aftersales::{Km, MaintenanceInterval, MaintenanceItem, OdometerReading, WorkType};
    /// let oil = MaintenanceInterval::new(
    ///     MaintenanceItem::EngineOil, Some(Km(5_000)), Some(6), WorkType::Replace,
    /// );
    /// let due = oil.next_due(OdometerReading::new("2025-08-31".parse()?, Km(41_500)))?;
    /// assert_eq!(due.by_date, "2026-02-28".parse().ok());
    /// assert_eq!(due.by_km, Some(Km(46_500)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MaintenanceError::OutOfRange`] when the due date is past the last
    /// date the calendar supports or the due mileage past `u32::MAX` km.
    pub fn next_due(&self, from: OdometerReading) -> Result<DuePoint, MaintenanceError> {
        due_from(self.item, self.km, self.months, from)
    }

    fn describe(&self) -> String {
        format!(
            "`{}`: {} every {}",
            self.item,
            self.work,
            limits(self.km, self.months)
        )
    }
}

/// "`5000 km` or 6 months, whichever comes first", or just one of them.
fn limits(km: Option<Km>, months: Option<u32>) -> String {
    match (km, months) {
        (Some(km), Some(m)) => format!("`{km}` or {m} months, whichever comes first"),
        (Some(km), None) => format!("`{km}`"),
        (None, Some(m)) => format!("{m} months"),
        (None, None) => "(no limit)".to_owned(),
    }
}

fn due_from(
    item: MaintenanceItem,
    km: Option<Km>,
    months: Option<u32>,
    from: OdometerReading,
) -> Result<DuePoint, MaintenanceError> {
    let out_of_range = || MaintenanceError::OutOfRange { item, from };
    let by_date = match months {
        Some(m) => Some(
            from.date
                .checked_add_months(Months::new(m))
                .ok_or_else(out_of_range)?,
        ),
        None => None,
    };
    let by_km = match km {
        Some(k) => Some(Km(from
            .odometer
            .0
            .checked_add(k.0)
            .ok_or_else(out_of_range)?)),
        None => None,
    };
    Ok(DuePoint { by_date, by_km })
}

/// The first maintenance (首保) of a new vehicle (MNT-05): brand policy,
/// counted from the delivery for the listed items until they are first
/// done; afterwards their regular rows apply.
///
/// The default, **5,000 km or 6 months** for engine oil and oil filter, is
/// a crate default, not from the sources, which only say it is brand
/// policy (\[003\]'s role play has a Jetta arriving for its first
/// maintenance at 6,500 km). \[003\] describes the first maintenance as an
/// oil change plus checks (bolts, tyres, engine run-in, chassis, shock
/// absorbers, brakes); add items here to count them from the first
/// maintenance too. An item not listed and never done is counted from the
/// delivery with its regular row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FirstServicePolicy {
    /// Kilometres after delivery (5,000; crate default).
    pub km: Option<Km>,
    /// Months after delivery (6; crate default).
    pub months: Option<u32>,
    /// The items the first maintenance covers (engine oil, oil filter).
    pub items: Vec<MaintenanceItem>,
}

impl Default for FirstServicePolicy {
    fn default() -> Self {
        FirstServicePolicy {
            km: Some(Km(5_000)),
            months: Some(6),
            items: vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter],
        }
    }
}

impl FirstServicePolicy {
    /// Whether the first maintenance covers `item`.
    pub fn covers(&self, item: MaintenanceItem) -> bool {
        self.items.contains(&item)
    }

    /// The first maintenance's due point for `item`, counted from the
    /// delivery.
    ///
    /// # Errors
    ///
    /// [`MaintenanceError::OutOfRange`], as [`MaintenanceInterval::next_due`].
    pub fn next_due(
        &self,
        item: MaintenanceItem,
        delivery: OdometerReading,
    ) -> Result<DuePoint, MaintenanceError> {
        due_from(item, self.km, self.months, delivery)
    }
}

/// When a reminder is very urgent or urgent (MNT-06). Both ends are
/// inclusive: 7 days left is very urgent, 8 days left with 600 km left is
/// urgent. The rulebook gives these as an example ("beyond the seeds"):
/// 7 days / 500 km and 30 days / 1,000 km.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UrgencyThresholds {
    /// Very urgent within this many days of the due date (7).
    pub very_urgent_days: u32,
    /// Very urgent within this many km of the due mileage (500).
    pub very_urgent_km: Km,
    /// Urgent within this many days (30).
    pub urgent_days: u32,
    /// Urgent within this many km (1,000).
    pub urgent_km: Km,
}

impl Default for UrgencyThresholds {
    fn default() -> Self {
        UrgencyThresholds {
            very_urgent_days: 7,
            very_urgent_km: Km(500),
            urgent_days: 30,
            urgent_km: Km(1_000),
        }
    }
}

fn band(remaining: i64, very_urgent: u32, urgent: u32) -> Urgency {
    if remaining < 0 {
        Urgency::PastDue
    } else if remaining <= i64::from(very_urgent) {
        Urgency::VeryUrgent
    } else if remaining <= i64::from(urgent) {
        Urgency::Urgent
    } else {
        Urgency::NotUrgent
    }
}

impl UrgencyThresholds {
    /// The urgency of a due point with `days_remaining` until its date and
    /// `km_remaining` until its mileage (negative: overdue by that much).
    /// Each is judged on its own; the more urgent of the two wins. A
    /// measure that is not known (`None`) does not count; with neither, the
    /// answer is [`Urgency::NotUrgent`].
    ///
    /// ```
    /// use aftersales::{Urgency, UrgencyThresholds};
    /// let t = UrgencyThresholds::default();
    /// assert_eq!(t.classify(Some(40), Some(900)), Urgency::Urgent); // by km
    /// assert_eq!(t.classify(Some(7), Some(5_000)), Urgency::VeryUrgent); // by days
    /// assert_eq!(t.classify(Some(0), Some(-1)), Urgency::PastDue); // 1 km over
    /// assert_eq!(t.classify(None, Some(1_001)), Urgency::NotUrgent);
    /// ```
    pub fn classify(&self, days_remaining: Option<i64>, km_remaining: Option<i64>) -> Urgency {
        let by_days = days_remaining.map(|d| band(d, self.very_urgent_days, self.urgent_days));
        let by_km = km_remaining.map(|k| band(k, self.very_urgent_km.0, self.urgent_km.0));
        match (by_days, by_km) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => Urgency::NotUrgent,
        }
    }
}

/// The daily-use band of a traction battery's state of charge (MNT-04,
/// \[004\]: keep it between 20 % and 80 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChargeBand {
    /// Lowest state of charge for daily use (20 %).
    pub min: Percent,
    /// Highest state of charge for daily use (80 %).
    pub max: Percent,
}

impl Default for ChargeBand {
    fn default() -> Self {
        ChargeBand {
            min: Percent::try_new(Decimal::from(20)).unwrap_or(Percent::ZERO),
            max: Percent::try_new(Decimal::from(80)).unwrap_or(Percent::HUNDRED),
        }
    }
}

impl ChargeBand {
    /// Where `state_of_charge` stands; both ends belong to the band.
    ///
    /// ```
    /// use aftersales::{ChargeAdvice, ChargeBand};
    /// let band = ChargeBand::default();
    /// assert_eq!(band.advise("19.5".parse()?), ChargeAdvice::BelowBand);
    /// assert_eq!(band.advise("80".parse()?), ChargeAdvice::WithinBand);
    /// assert_eq!(band.advise("95".parse()?), ChargeAdvice::AboveBand);
    /// # Ok::<(), aftersales::UnitError>(())
    /// ```
    pub fn advise(&self, state_of_charge: Percent) -> ChargeAdvice {
        if state_of_charge < self.min {
            ChargeAdvice::BelowBand
        } else if state_of_charge > self.max {
            ChargeAdvice::AboveBand
        } else {
            ChargeAdvice::WithinBand
        }
    }

    /// [`ChargeBand::advise`] with the fact behind it (MNT-04).
    pub fn reason(&self, state_of_charge: Percent) -> Reason {
        Reason::new(
            RuleId::Mnt04,
            format!(
                "state of charge `{state_of_charge}` is {} `{}`–`{}`",
                self.advise(state_of_charge),
                self.min,
                self.max
            ),
        )
    }
}

/// Section 8: the maintenance schedule.
///
/// Defaults (MNT-02 from \[004\] unless marked *crate default*; where \[004\]
/// gives a range the **lower end** is taken, so a reminder comes early
/// rather than late, as [`PartWarrantyMonths`](crate::PartWarrantyMonths)
/// does):
///
/// | item | km | months | work | source |
/// |---|---|---|---|---|
/// | engine oil | 5,000 | 6 | replace | \[004\] 5,000–10,000 km; 6 months is a crate default |
/// | oil filter | 5,000 | 6 | replace | \[004\] "with every oil change": the engine-oil row, copied |
/// | air filter | 15,000 | – | replace | \[004\] 15,000–20,000 km |
/// | brake fluid | 40,000 | 24 | replace | \[004\] every 2 years or 40,000 km |
/// | transmission oil | 40,000 | – | replace | \[004\] 40,000–60,000 km |
/// | air conditioning | – | 12 | clean | \[004\] check/clean once a year |
/// | shock absorbers | 50,000 | – | check | \[004\] check at 50,000–80,000 km |
/// | 12 V battery | – | 36 | check | \[004\] life 3–5 years: checked from the lower end |
/// | reduction-gear oil | 60,000 | – | replace | crate default; \[004\] says "per brand" |
/// | charging equipment | – | 12 | check | crate default; \[004\] says "regularly" |
///
/// The oil filter has its own row, a copy of the engine-oil row: a dealer
/// who changes one should change the other with it. The table is one list: a policy
/// that sets `intervals` replaces the whole table, and an item without a
/// row is not scheduled. See [`FirstServicePolicy`] for the first
/// maintenance (MNT-05), [`UrgencyThresholds`] (MNT-06) and [`ChargeBand`]
/// (MNT-04).
///
/// ```
/// use aftersales::{Km, MaintenanceItem, Policy};
/// let json = r#"{ "maintenance": {
///     "first_service": { "km": 3000, "months": 3 },
///     "urgency": { "very_urgent_days": 3 }
/// } }"#;
/// let policy: Policy = serde_json::from_str(json)?;
/// let m = policy.maintenance();
/// assert_eq!(m.first_service.km, Some(Km(3_000)));
/// assert_eq!(m.urgency.urgent_days, 30); // default kept
/// assert_eq!(m.interval(MaintenanceItem::BrakeFluid).and_then(|r| r.months), Some(24));
///
/// let bad = r#"{ "maintenance": { "urgency": { "very_urgent_days": 40 } } }"#;
/// let err = serde_json::from_str::<Policy>(bad).unwrap_err();
/// assert!(err.to_string().contains("MNT-06"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MaintenancePolicy {
    /// MNT-01 / MNT-02 / MNT-04: the interval table, one row per item.
    pub intervals: Vec<MaintenanceInterval>,
    /// MNT-05: the first maintenance.
    pub first_service: FirstServicePolicy,
    /// MNT-06: reminder urgency.
    pub urgency: UrgencyThresholds,
    /// MNT-04: the traction battery's daily-use band (20–80 %).
    pub battery_band: ChargeBand,
}

impl Default for MaintenancePolicy {
    fn default() -> Self {
        use MaintenanceItem as I;
        use WorkType as W;
        let row = MaintenanceInterval::new;
        MaintenancePolicy {
            intervals: vec![
                row(I::EngineOil, Some(Km(5_000)), Some(6), W::Replace),
                row(I::OilFilter, Some(Km(5_000)), Some(6), W::Replace),
                row(I::AirFilter, Some(Km(15_000)), None, W::Replace),
                row(I::BrakeFluid, Some(Km(40_000)), Some(24), W::Replace),
                row(I::TransmissionOil, Some(Km(40_000)), None, W::Replace),
                row(I::AirConditioning, None, Some(12), W::Clean),
                row(I::ShockAbsorbers, Some(Km(50_000)), None, W::Check),
                row(I::StarterBattery, None, Some(36), W::Check),
                row(I::ReductionGearOil, Some(Km(60_000)), None, W::Replace),
                row(I::ChargingEquipment, None, Some(12), W::Check),
            ],
            first_service: FirstServicePolicy::default(),
            urgency: UrgencyThresholds::default(),
            battery_band: ChargeBand::default(),
        }
    }
}

fn check_limits(
    field: &'static str,
    rule: RuleId,
    what: &str,
    km: Option<Km>,
    months: Option<u32>,
) -> Result<(), PolicyError> {
    if km.is_none() && months.is_none() {
        return Err(invalid(
            field,
            rule,
            format!("{what} has neither a km nor a months limit"),
        ));
    }
    if km == Some(Km(0)) {
        return Err(invalid(field, rule, format!("{what} has a zero km limit")));
    }
    if months == Some(0) {
        return Err(invalid(
            field,
            rule,
            format!("{what} has a zero months limit"),
        ));
    }
    Ok(())
}

fn first_duplicate<T: PartialEq>(list: &[T]) -> Option<&T> {
    list.iter().enumerate().find_map(|(i, x)| {
        list.iter()
            .skip(i.saturating_add(1))
            .any(|y| y == x)
            .then_some(x)
    })
}

impl MaintenancePolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the inconsistent field when: an interval row
    /// has neither a km nor a months limit, or a zero one (MNT-01); the
    /// table lists an item twice (MNT-02); the first maintenance has
    /// neither limit, a zero one, or lists an item twice (MNT-05); a
    /// very-urgent threshold is above the urgent one (MNT-06); the battery
    /// band's minimum is not below its maximum (MNT-04). (A percentage
    /// above 100 cannot be built: [`Percent`] rejects it.)
    pub fn validate(&self) -> Result<(), PolicyError> {
        for row in &self.intervals {
            check_limits(
                "maintenance.intervals",
                RuleId::Mnt01,
                &format!("`{}`", row.item),
                row.km,
                row.months,
            )?;
        }
        let items: Vec<MaintenanceItem> = self.intervals.iter().map(|r| r.item).collect();
        if let Some(item) = first_duplicate(&items) {
            return Err(invalid(
                "maintenance.intervals",
                RuleId::Mnt02,
                format!("lists `{item}` twice"),
            ));
        }
        let first = &self.first_service;
        check_limits(
            "maintenance.first_service",
            RuleId::Mnt05,
            "the first maintenance",
            first.km,
            first.months,
        )?;
        if let Some(item) = first_duplicate(&first.items) {
            return Err(invalid(
                "maintenance.first_service.items",
                RuleId::Mnt05,
                format!("lists `{item}` twice"),
            ));
        }
        let u = &self.urgency;
        if u.very_urgent_days > u.urgent_days {
            return Err(invalid(
                "maintenance.urgency.very_urgent_days",
                RuleId::Mnt06,
                format!(
                    "is `{}`, above `urgent_days` `{}`",
                    u.very_urgent_days, u.urgent_days
                ),
            ));
        }
        if u.very_urgent_km > u.urgent_km {
            return Err(invalid(
                "maintenance.urgency.very_urgent_km",
                RuleId::Mnt06,
                format!(
                    "is `{}`, above `urgent_km` `{}`",
                    u.very_urgent_km, u.urgent_km
                ),
            ));
        }
        let b = &self.battery_band;
        if b.min >= b.max {
            return Err(invalid(
                "maintenance.battery_band",
                RuleId::Mnt04,
                format!("minimum `{}` is not below maximum `{}`", b.min, b.max),
            ));
        }
        Ok(())
    }

    /// The row for `item`, if the table has one (the first, should a
    /// policy that skipped validation list it twice).
    pub fn interval(&self, item: MaintenanceItem) -> Option<&MaintenanceInterval> {
        self.intervals.iter().find(|r| r.item == item)
    }

    /// Where a traction battery's state of charge stands against the
    /// daily-use band (MNT-04).
    pub fn battery_advice(&self, state_of_charge: Percent) -> ChargeAdvice {
        self.battery_band.advise(state_of_charge)
    }
}

// ---------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------

/// An odometer reading on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OdometerReading {
    /// The day.
    pub date: NaiveDate,
    /// The odometer.
    pub odometer: Km,
}

impl OdometerReading {
    /// A reading.
    pub const fn new(date: NaiveDate, odometer: Km) -> Self {
        OdometerReading { date, odometer }
    }
}

impl fmt::Display for OdometerReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` on {}", self.odometer, self.date)
    }
}

/// A maintenance visit: the day, the odometer, and the items done.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// The day.
    pub date: NaiveDate,
    /// The odometer at the visit.
    pub odometer: Km,
    /// The items done; an item not listed was not done at this visit.
    pub items: Vec<MaintenanceItem>,
}

impl ServiceRecord {
    /// A record.
    pub fn new(date: NaiveDate, odometer: Km, items: Vec<MaintenanceItem>) -> Self {
        ServiceRecord {
            date,
            odometer,
            items,
        }
    }

    /// The visit's date and odometer.
    pub const fn reading(&self) -> OdometerReading {
        OdometerReading::new(self.date, self.odometer)
    }
}

/// What a vehicle had done, as the input of
/// [`MaintenanceHistory::schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaintenanceHistory {
    /// What drives it: decides which items apply.
    pub powertrain: Powertrain,
    /// The delivery to the customer: date and odometer. Items never done
    /// are counted from here.
    pub delivery: OdometerReading,
    /// Maintenance visits, in any order (may be left out of JSON).
    #[serde(default)]
    pub services: Vec<ServiceRecord>,
    /// Other odometer readings (repair visits, the customer's reports), in
    /// any order; with the delivery and the services they give the average
    /// daily mileage (may be left out of JSON).
    #[serde(default)]
    pub readings: Vec<OdometerReading>,
}

impl MaintenanceHistory {
    /// A vehicle just delivered: no services, no other readings.
    pub fn new(powertrain: Powertrain, delivery: OdometerReading) -> Self {
        MaintenanceHistory {
            powertrain,
            delivery,
            services: Vec::new(),
            readings: Vec::new(),
        }
    }

    /// The last visit (latest date, then highest odometer) on or before
    /// `today` at which `item` was done.
    pub fn last_service(&self, item: MaintenanceItem, today: NaiveDate) -> Option<OdometerReading> {
        self.services
            .iter()
            .filter(|s| s.date <= today && s.items.contains(&item))
            .map(ServiceRecord::reading)
            .max()
    }

    /// Every odometer reading known on `today`: the delivery, the services
    /// and the other readings dated on or before `today`, plus `odometer`
    /// read on `today`; sorted by date, then odometer.
    ///
    /// # Errors
    ///
    /// [`MaintenanceError::OdometerBackwards`] when a later reading is below
    /// an earlier one.
    pub fn readings_until(
        &self,
        today: NaiveDate,
        odometer: Option<Km>,
    ) -> Result<Vec<OdometerReading>, MaintenanceError> {
        let mut all: Vec<OdometerReading> = std::iter::once(self.delivery)
            .chain(self.services.iter().map(ServiceRecord::reading))
            .chain(self.readings.iter().copied())
            .filter(|r| r.date <= today)
            .chain(odometer.map(|km| OdometerReading::new(today, km)))
            .collect();
        all.sort();
        check_forward(&all)?;
        Ok(all)
    }
}

/// In a list sorted by date then odometer, the first pair where the
/// odometer goes down.
fn check_forward(sorted: &[OdometerReading]) -> Result<(), MaintenanceError> {
    for pair in sorted.windows(2) {
        if let [earlier, later] = pair {
            if later.odometer < earlier.odometer {
                return Err(MaintenanceError::OdometerBackwards {
                    earlier: *earlier,
                    later: *later,
                });
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a maintenance computation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MaintenanceError {
    /// An odometer reading is below one taken earlier.
    #[error(
        "odometer reading `{}` on {} is below the earlier `{}` on {} (MNT-06)",
        .later.odometer, .later.date, .earlier.odometer, .earlier.date
    )]
    OdometerBackwards {
        /// The earlier, higher reading.
        earlier: OdometerReading,
        /// The later, lower reading.
        later: OdometerReading,
    },
    /// The due date or mileage lies beyond what the types hold (a date
    /// after the calendar's last year, more than `u32::MAX` km).
    #[error(
        "the next `{item}` counted from `{}` on {} is beyond the supported range (MNT-01)",
        .from.odometer, .from.date
    )]
    OutOfRange {
        /// The item.
        item: MaintenanceItem,
        /// The reading it was counted from.
        from: OdometerReading,
    },
    /// The schedule was asked for a day before the delivery.
    #[error("no maintenance schedule on {today} for a vehicle delivered on {delivered} (MNT-05)")]
    NotDelivered {
        /// The delivery date.
        delivered: NaiveDate,
        /// The day asked about.
        today: NaiveDate,
    },
}

impl MaintenanceError {
    /// The rule the error belongs to.
    pub fn rule(&self) -> RuleId {
        match self {
            MaintenanceError::OdometerBackwards { .. } => RuleId::Mnt06,
            MaintenanceError::OutOfRange { .. } => RuleId::Mnt01,
            MaintenanceError::NotDelivered { .. } => RuleId::Mnt05,
        }
    }
}

// ---------------------------------------------------------------------------
// Due points and projection
// ---------------------------------------------------------------------------

/// When an item is next due: at `by_date` or at `by_km`, whichever is
/// reached first (MNT-01). At least one is set for a valid interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DuePoint {
    /// The time limit, if the item has one.
    pub by_date: Option<NaiveDate>,
    /// The mileage limit, if the item has one.
    pub by_km: Option<Km>,
}

impl DuePoint {
    /// Days from `today` to the time limit: 0 on the due date, negative
    /// after it.
    pub fn days_remaining(&self, today: NaiveDate) -> Option<i64> {
        self.by_date
            .map(|d| d.signed_duration_since(today).num_days())
    }

    /// Km from `odometer` to the mileage limit: 0 at the due mileage,
    /// negative beyond it.
    pub fn km_remaining(&self, odometer: Km) -> Option<i64> {
        self.by_km
            .map(|k| i64::from(k.0).saturating_sub(i64::from(odometer.0)))
    }

    /// Whether the point is reached on `today` at `odometer`: the date has
    /// come or the mileage is reached, whichever first.
    pub fn is_reached(&self, today: NaiveDate, odometer: Km) -> bool {
        self.by_date.is_some_and(|d| today >= d) || self.by_km.is_some_and(|k| odometer >= k)
    }

    /// The urgency on `today` at `odometer` (MNT-06), from the time limit
    /// and the mileage limit; the more urgent wins. Past due starts the day
    /// after the due date and the km after the due mileage.
    ///
    /// ```
    /// use aftersales::{DuePoint, Km, Urgency, UrgencyThresholds};
    /// let due = DuePoint { by_date: "2026-06-30".parse().ok(), by_km: Some(Km(46_500)) };
    /// let t = UrgencyThresholds::default();
    /// assert_eq!(due.urgency("2026-05-01".parse()?, Km(45_000), &t), Urgency::NotUrgent);
    /// assert_eq!(due.urgency("2026-05-01".parse()?, Km(46_000), &t), Urgency::VeryUrgent);
    /// assert_eq!(due.urgency("2026-07-01".parse()?, Km(45_000), &t), Urgency::PastDue);
    /// # Ok::<(), chrono::ParseError>(())
    /// ```
    pub fn urgency(
        &self,
        today: NaiveDate,
        odometer: Km,
        thresholds: &UrgencyThresholds,
    ) -> Urgency {
        thresholds.classify(self.days_remaining(today), self.km_remaining(odometer))
    }

    /// The day the point is expected: the earlier of the time limit and
    /// the day `projection` reaches the mileage limit (first reached wins).
    /// Never after `by_date`; `None` when there is no time limit and the
    /// mileage cannot be projected.
    pub fn effective_date(&self, projection: Option<&MileageProjection>) -> Option<NaiveDate> {
        let by_km = self
            .by_km
            .and_then(|k| projection.and_then(|p| p.date_reaching(k)));
        earlier(self.by_date, by_km)
    }
}

fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// An average daily mileage as an exact fraction: `km` kilometres over
/// `days` days. Kept as measured (1,000 km in 30 days, not reduced to
/// 100 / 3), so it reads as the fact it came from; never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DailyMileage {
    /// Kilometres driven.
    pub km: Km,
    /// Over this many days.
    pub days: NonZeroU32,
}

impl DailyMileage {
    /// Km a day, rounded half up to `scale` decimal places, for display
    /// only; the computations use the exact fraction.
    pub fn per_day(&self, scale: u32) -> Option<Decimal> {
        Decimal::from(self.km.0)
            .checked_div(Decimal::from(self.days.get()))
            .map(|d| {
                d.round_dp_with_strategy(
                    scale,
                    rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                )
            })
    }
}

impl fmt::Display for DailyMileage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` in {} days", self.km, self.days)
    }
}

/// A straight-line projection of the odometer from the readings: the
/// average daily mileage from the first to the last reading, carried
/// forward from the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MileageProjection {
    /// The first reading of the average.
    pub since: OdometerReading,
    /// The last reading: the projection starts here.
    pub anchor: OdometerReading,
    /// The average daily mileage between the two.
    pub rate: DailyMileage,
}

impl MileageProjection {
    /// The projection from `readings`, in any order.
    ///
    /// `None` (not an error) with fewer than two readings or when they all
    /// fall on one day.
    ///
    /// ```
    /// use aftersales::{Km, MileageProjection, OdometerReading};
    /// let p = MileageProjection::from_readings(&[
    ///     OdometerReading::new("2026-01-01".parse()?, Km(10_000)),
    ///     OdometerReading::new("2026-01-31".parse()?, Km(11_000)),
    /// ])?
    /// .ok_or("no projection")?;
    /// assert_eq!(p.rate.to_string(), "`1000 km` in 30 days");
    /// // 500 km more at 1,000 km / 30 days: 15 days.
    /// assert_eq!(p.date_reaching(Km(11_500)), "2026-02-15".parse().ok());
    /// // 10 km more: 0.3 days, so the next day.
    /// assert_eq!(p.date_reaching(Km(11_010)), "2026-02-01".parse().ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MaintenanceError::OdometerBackwards`] when a later reading is below
    /// an earlier one.
    pub fn from_readings(
        readings: &[OdometerReading],
    ) -> Result<Option<MileageProjection>, MaintenanceError> {
        let mut sorted = readings.to_vec();
        sorted.sort();
        check_forward(&sorted)?;
        Ok(Self::from_sorted(&sorted))
    }

    fn from_sorted(sorted: &[OdometerReading]) -> Option<MileageProjection> {
        let (first, last) = (sorted.first()?, sorted.last()?);
        let days = last.date.signed_duration_since(first.date).num_days();
        let days = NonZeroU32::new(u32::try_from(days).ok()?)?;
        let km = Km(last.odometer.0.checked_sub(first.odometer.0)?);
        Some(MileageProjection {
            since: *first,
            anchor: *last,
            rate: DailyMileage { km, days },
        })
    }

    /// The projected odometer on `date`, rounded down to the km: the
    /// anchor plus the average times the days since. `None` before the
    /// anchor or beyond `u32::MAX` km.
    pub fn odometer_on(&self, date: NaiveDate) -> Option<Km> {
        let elapsed =
            u128::try_from(date.signed_duration_since(self.anchor.date).num_days()).ok()?;
        let added = elapsed
            .checked_mul(u128::from(self.rate.km.0))?
            .checked_div(u128::from(self.rate.days.get()))?;
        let added = u32::try_from(added).ok()?;
        self.anchor.odometer.0.checked_add(added).map(Km)
    }

    /// The first day on which the projected odometer reaches `km`: the
    /// anchor's day when it already has, otherwise the anchor plus the days
    /// needed rounded up. `None` when the vehicle has not moved (zero
    /// average) or the day is past the calendar's end.
    pub fn date_reaching(&self, km: Km) -> Option<NaiveDate> {
        let Some(needed) = km.0.checked_sub(self.anchor.odometer.0) else {
            return Some(self.anchor.date);
        };
        if needed == 0 {
            return Some(self.anchor.date);
        }
        let per = u128::from(self.rate.km.0);
        if per == 0 {
            return None;
        }
        let days = u128::from(needed)
            .checked_mul(u128::from(self.rate.days.get()))?
            .div_ceil(per);
        self.anchor
            .date
            .checked_add_days(Days::new(u64::try_from(days).ok()?))
    }
}

// ---------------------------------------------------------------------------
// Schedule
// ---------------------------------------------------------------------------

/// What an item's due point is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum CountedFrom {
    /// The last visit at which the item was done (MNT-01).
    LastService(OdometerReading),
    /// The delivery, with the first-maintenance limits (MNT-05).
    FirstService(OdometerReading),
    /// The delivery, with the item's regular row: never done, and not part
    /// of the first maintenance.
    Delivery(OdometerReading),
}

impl CountedFrom {
    /// The reading counted from.
    pub const fn reading(&self) -> OdometerReading {
        match *self {
            CountedFrom::LastService(r)
            | CountedFrom::FirstService(r)
            | CountedFrom::Delivery(r) => r,
        }
    }
}

/// How the odometer on the day asked about is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum OdometerSource {
    /// Read that day.
    Read,
    /// Projected from the readings ([`MaintenanceSchedule::projection`]).
    Projected,
    /// The last reading, on an earlier day: no projection was possible, so
    /// the odometer is at least this.
    LastKnown {
        /// The day of that reading.
        on: NaiveDate,
    },
}

/// The odometer on the day asked about, and how it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OdometerEstimate {
    /// The value.
    pub km: Km,
    /// How it is known.
    pub source: OdometerSource,
}

impl fmt::Display for OdometerEstimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.source {
            OdometerSource::Read => write!(f, "odometer `{}`", self.km),
            OdometerSource::Projected => write!(f, "odometer `{}` projected", self.km),
            OdometerSource::LastKnown { on } => {
                write!(f, "odometer at least `{}` (read on {on})", self.km)
            }
        }
    }
}

/// One item of a [`MaintenanceSchedule`]: when it is due, how urgent, and
/// why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaintenanceDue {
    /// The item.
    pub item: MaintenanceItem,
    /// The work due (MNT-03).
    pub work: WorkType,
    /// What the due point is counted from.
    pub counted_from: CountedFrom,
    /// The due point: time limit and mileage limit (MNT-01).
    pub due: DuePoint,
    /// The day the mileage limit is projected to be reached, if it can be.
    pub projected_km_date: Option<NaiveDate>,
    /// The earlier of the time limit and the projected day: when the item
    /// is expected to be due. Never after `due.by_date`.
    pub effective_date: Option<NaiveDate>,
    /// Days from the day asked about to `effective_date` (negative: past).
    pub days_remaining: Option<i64>,
    /// Km from the schedule's odometer to `due.by_km` (negative: over).
    pub km_remaining: Option<i64>,
    /// The more urgent of the two (MNT-06).
    pub urgency: Urgency,
    /// The rules and facts behind it (MNT-01, MNT-02, MNT-05, MNT-06).
    pub reasons: Vec<Reason>,
}

/// Every maintenance item of a vehicle on a day, most urgent first, then
/// by expected date (items without one last), then by km remaining, then
/// in [`MaintenanceItem::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaintenanceSchedule {
    /// The day asked about.
    pub today: NaiveDate,
    /// The odometer on that day.
    pub odometer: OdometerEstimate,
    /// The mileage projection, when the readings allow one.
    pub projection: Option<MileageProjection>,
    /// The items.
    pub entries: Vec<MaintenanceDue>,
}

impl MaintenanceSchedule {
    /// The vehicle's next maintenance date: the earliest expected date of
    /// any item (in the past when something is overdue). The periodic
    /// maintenance notice (CARE-04) is sent ahead of it.
    pub fn next_due_date(&self) -> Option<NaiveDate> {
        self.entries.iter().filter_map(|e| e.effective_date).min()
    }

    /// The items expected on [`MaintenanceSchedule::next_due_date`]: the
    /// content of that maintenance.
    pub fn next_due_items(&self) -> Vec<&MaintenanceDue> {
        let next = self.next_due_date();
        self.entries
            .iter()
            .filter(|e| next.is_some() && e.effective_date == next)
            .collect()
    }

    /// The entry of `item`, if it is scheduled.
    pub fn entry(&self, item: MaintenanceItem) -> Option<&MaintenanceDue> {
        self.entries.iter().find(|e| e.item == item)
    }
}

fn days_text(days: i64) -> String {
    match days {
        0 => "due today".to_owned(),
        1 => "1 day left".to_owned(),
        d if d > 0 => format!("{d} days left"),
        -1 => "1 day overdue".to_owned(),
        d => format!("{} days overdue", d.unsigned_abs()),
    }
}

fn km_text(km: i64) -> String {
    if km >= 0 {
        format!("`{km} km` left")
    } else {
        format!("`{} km` over", km.unsigned_abs())
    }
}

impl MaintenanceHistory {
    /// The maintenance schedule on `today` (MNT-01 … MNT-06).
    ///
    /// For each item of the powertrain that has a row in `policy`:
    ///
    /// 1. **Counted from** the last visit that did it; if none, from the
    ///    delivery with the first-maintenance limits when the first
    ///    maintenance covers it (MNT-05), otherwise (or when the first
    ///    maintenance has no limit at all) with its own row.
    /// 2. **Due** at the row's months (calendar months, see
    ///    [`MaintenanceInterval::next_due`]) or km, whichever first
    ///    (MNT-01, MNT-02).
    /// 3. **Expected** on the earlier of the time limit and the day the
    ///    projected odometer reaches the mileage limit
    ///    ([`MileageProjection`], from every reading: delivery, services,
    ///    other readings and `odometer`).
    /// 4. **Urgency** from the days to the expected date and the km from
    ///    the odometer to the mileage limit; the more urgent wins (MNT-06).
    ///    The odometer is `odometer` when given (or a reading dated
    ///    `today`), else projected, else the last reading (a lower bound).
    ///
    /// Records dated after `today` are left out, so the schedule of a past
    /// day can be recomputed from the full history.
    ///
    /// # Errors
    ///
    /// - [`MaintenanceError::NotDelivered`] when `today` is before the
    ///   delivery.
    /// - [`MaintenanceError::OdometerBackwards`] when a reading is below an
    ///   earlier one (including `odometer` below an earlier reading).
    /// - [`MaintenanceError::OutOfRange`] when a due point is beyond the
    ///   calendar or `u32::MAX` km.
    pub fn schedule(
        &self,
        today: NaiveDate,
        odometer: Option<Km>,
        policy: &MaintenancePolicy,
    ) -> Result<MaintenanceSchedule, MaintenanceError> {
        if today < self.delivery.date {
            return Err(MaintenanceError::NotDelivered {
                delivered: self.delivery.date,
                today,
            });
        }
        let readings = self.readings_until(today, odometer)?;
        let projection = MileageProjection::from_sorted(&readings);
        let last = readings.last().copied().unwrap_or(self.delivery);
        let odometer = if last.date == today {
            OdometerEstimate {
                km: last.odometer,
                source: OdometerSource::Read,
            }
        } else {
            match projection.as_ref().and_then(|p| p.odometer_on(today)) {
                Some(km) => OdometerEstimate {
                    km,
                    source: OdometerSource::Projected,
                },
                None => OdometerEstimate {
                    km: last.odometer,
                    source: OdometerSource::LastKnown { on: last.date },
                },
            }
        };

        let mut entries = Vec::new();
        for item in self.powertrain.items() {
            let Some(row) = policy.interval(item) else {
                continue;
            };
            entries.push(self.entry(row, today, odometer, projection.as_ref(), policy)?);
        }
        entries.sort_by_key(|e| {
            (
                e.urgency,
                e.effective_date.is_none(),
                e.effective_date,
                e.km_remaining,
                e.item,
            )
        });
        Ok(MaintenanceSchedule {
            today,
            odometer,
            projection,
            entries,
        })
    }

    fn entry(
        &self,
        row: &MaintenanceInterval,
        today: NaiveDate,
        odometer: OdometerEstimate,
        projection: Option<&MileageProjection>,
        policy: &MaintenancePolicy,
    ) -> Result<MaintenanceDue, MaintenanceError> {
        let item = row.item;
        let first = &policy.first_service;
        let first_applies = first.covers(item) && (first.km.is_some() || first.months.is_some());
        let mut reasons = vec![Reason::new(RuleId::Mnt02, row.describe())];
        let (counted_from, due) = match self.last_service(item, today) {
            Some(last) => {
                let due = row.next_due(last)?;
                (CountedFrom::LastService(last), due)
            }
            None if first_applies => {
                reasons.push(Reason::new(
                    RuleId::Mnt05,
                    format!(
                        "first maintenance (首保) covers `{item}`: {} after delivery",
                        limits(first.km, first.months)
                    ),
                ));
                let due = first.next_due(item, self.delivery)?;
                (CountedFrom::FirstService(self.delivery), due)
            }
            None => (
                CountedFrom::Delivery(self.delivery),
                row.next_due(self.delivery)?,
            ),
        };
        let from = match counted_from {
            CountedFrom::LastService(r) => format!("last done {r}"),
            CountedFrom::FirstService(r) | CountedFrom::Delivery(r) => {
                format!("never done; delivered {r}")
            }
        };
        let due_text = match (due.by_date, due.by_km) {
            (Some(d), Some(k)) => format!("due on {d} or at `{k}`, whichever comes first"),
            (Some(d), None) => format!("due on {d}"),
            (None, Some(k)) => format!("due at `{k}`"),
            (None, None) => "no limit".to_owned(),
        };
        reasons.push(Reason::new(RuleId::Mnt01, format!("{from}: {due_text}")));

        let projected_km_date = due
            .by_km
            .and_then(|k| projection.and_then(|p| p.date_reaching(k)));
        if let (Some(k), Some(p), Some(on)) = (due.by_km, projection, projected_km_date) {
            reasons.push(Reason::new(
                RuleId::Mnt01,
                format!(
                    "averaging {} from {} to {}, `{k}` is projected on {on}",
                    p.rate, p.since.date, p.anchor.date
                ),
            ));
        }
        let effective_date = earlier(due.by_date, projected_km_date);
        let days_remaining = effective_date.map(|d| d.signed_duration_since(today).num_days());
        let km_remaining = due.km_remaining(odometer.km);
        let urgency = policy.urgency.classify(days_remaining, km_remaining);
        let mut remaining = Vec::new();
        if let (Some(d), Some(on)) = (days_remaining, effective_date) {
            remaining.push(format!("{} (expected {on})", days_text(d)));
        }
        if let Some(k) = km_remaining {
            remaining.push(format!("{} ({odometer})", km_text(k)));
        }
        let remaining = if remaining.is_empty() {
            "nothing known remaining".to_owned()
        } else {
            remaining.join(", ")
        };
        let t = &policy.urgency;
        reasons.push(Reason::new(
            RuleId::Mnt06,
            format!(
                "on {today}: {remaining}: {urgency} (very urgent within {} days or `{}`, urgent within {} days or `{}`)",
                t.very_urgent_days, t.very_urgent_km, t.urgent_days, t.urgent_km
            ),
        ));
        Ok(MaintenanceDue {
            item,
            work: row.work,
            counted_from,
            due,
            projected_km_date,
            effective_date,
            days_remaining,
            km_remaining,
            urgency,
            reasons,
        })
    }

    /// The vehicle's next maintenance date on `today` (see
    /// [`MaintenanceSchedule::next_due_date`]), for the periodic
    /// maintenance notice (CARE-04).
    ///
    /// # Errors
    ///
    /// As [`MaintenanceHistory::schedule`].
    pub fn next_maintenance_date(
        &self,
        today: NaiveDate,
        odometer: Option<Km>,
        policy: &MaintenancePolicy,
    ) -> Result<Option<NaiveDate>, MaintenanceError> {
        Ok(self.schedule(today, odometer, policy)?.next_due_date())
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn r(date: &str, km: u32) -> OdometerReading {
        OdometerReading::new(d(date), Km(km))
    }

    #[test]
    fn default_policy_is_valid_and_covers_every_item() {
        let p = MaintenancePolicy::default();
        p.validate().unwrap();
        for item in MaintenanceItem::ALL {
            assert!(p.interval(*item).is_some(), "{item}");
        }
    }

    #[test]
    fn validation_names_field_and_rule() {
        let mut p = MaintenancePolicy::default();
        p.intervals[0].km = Some(Km(0));
        let e = p.validate().unwrap_err();
        assert_eq!((e.field, e.rule), ("maintenance.intervals", RuleId::Mnt01));
        assert!(e.reason.contains("zero km"), "{e}");

        let mut p = MaintenancePolicy::default();
        p.intervals[2].months = Some(0);
        assert!(p.validate().unwrap_err().reason.contains("zero months"));

        let mut p = MaintenancePolicy::default();
        p.intervals[0].km = None;
        p.intervals[0].months = None;
        let e = p.validate().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid policy: `maintenance.intervals` `engine oil` has neither a km nor a months limit (MNT-01)"
        );

        let mut p = MaintenancePolicy::default();
        let dup = p.intervals[3];
        p.intervals.push(dup);
        let e = p.validate().unwrap_err();
        assert_eq!(e.rule, RuleId::Mnt02);
        assert!(e.reason.contains("`brake fluid` twice"));

        let mut p = MaintenancePolicy::default();
        p.first_service.km = None;
        p.first_service.months = None;
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Mnt05);

        let mut p = MaintenancePolicy::default();
        p.first_service.items.push(MaintenanceItem::EngineOil);
        assert_eq!(
            p.validate().unwrap_err().field,
            "maintenance.first_service.items"
        );

        let mut p = MaintenancePolicy::default();
        p.urgency.very_urgent_km = Km(1_001);
        assert_eq!(
            p.validate().unwrap_err().field,
            "maintenance.urgency.very_urgent_km"
        );
        p.urgency.very_urgent_km = Km(1_000); // equal is allowed
        p.validate().unwrap();

        let mut p = MaintenancePolicy::default();
        p.battery_band.min = p.battery_band.max;
        let e = p.validate().unwrap_err();
        assert_eq!(
            (e.field, e.rule),
            ("maintenance.battery_band", RuleId::Mnt04)
        );
    }

    #[test]
    fn month_end_clamps_to_last_day() {
        let row = MaintenanceInterval::new(
            MaintenanceItem::AirConditioning,
            None,
            Some(1),
            WorkType::Clean,
        );
        assert_eq!(
            row.next_due(r("2026-01-31", 0)).unwrap().by_date,
            Some(d("2026-02-28"))
        );
        assert_eq!(
            row.next_due(r("2028-01-31", 0)).unwrap().by_date,
            Some(d("2028-02-29"))
        );
        let year = MaintenanceInterval::new(
            MaintenanceItem::AirConditioning,
            None,
            Some(12),
            WorkType::Clean,
        );
        assert_eq!(
            year.next_due(r("2028-02-29", 0)).unwrap().by_date,
            Some(d("2029-02-28"))
        );
    }

    #[test]
    fn overflow_is_a_typed_error() {
        let row = MaintenanceInterval::new(
            MaintenanceItem::EngineOil,
            Some(Km(5_000)),
            None,
            WorkType::Replace,
        );
        let e = row.next_due(r("2026-01-01", u32::MAX - 10)).unwrap_err();
        assert_eq!(e.rule(), RuleId::Mnt01);
        let far = MaintenanceInterval::new(
            MaintenanceItem::EngineOil,
            None,
            Some(u32::MAX),
            WorkType::Replace,
        );
        assert!(matches!(
            far.next_due(r("2026-01-01", 0)),
            Err(MaintenanceError::OutOfRange { .. })
        ));
    }

    #[test]
    fn projection_rounds_up_to_whole_days() {
        let p =
            MileageProjection::from_readings(&[r("2026-01-31", 11_000), r("2026-01-01", 10_000)])
                .unwrap()
                .unwrap();
        assert_eq!(p.rate.km, Km(1_000));
        assert_eq!(p.rate.days.get(), 30);
        assert_eq!(p.rate.per_day(2), Some(Decimal::new(3333, 2)));
        assert_eq!(p.date_reaching(Km(12_000)), Some(d("2026-03-02")));
        assert_eq!(p.date_reaching(Km(11_000)), Some(d("2026-01-31")));
        assert_eq!(p.date_reaching(Km(5)), Some(d("2026-01-31")));
        assert_eq!(p.odometer_on(d("2026-02-01")), Some(Km(11_033)));
        assert_eq!(p.odometer_on(d("2026-01-30")), None);
        // The projected odometer reaches the km exactly on the projected day.
        for target in [11_001, 11_010, 11_034, 11_500, 12_345] {
            let on = p.date_reaching(Km(target)).unwrap();
            assert!(p.odometer_on(on).unwrap() >= Km(target));
            assert!(p.odometer_on(on.pred_opt().unwrap()).unwrap() < Km(target));
        }
    }

    #[test]
    fn no_projection_without_two_days() {
        assert_eq!(MileageProjection::from_readings(&[]).unwrap(), None);
        assert_eq!(
            MileageProjection::from_readings(&[r("2026-01-01", 5)]).unwrap(),
            None
        );
        assert_eq!(
            MileageProjection::from_readings(&[r("2026-01-01", 5), r("2026-01-01", 50)]).unwrap(),
            None
        );
        let still = MileageProjection::from_readings(&[r("2026-01-01", 5), r("2026-02-01", 5)])
            .unwrap()
            .unwrap();
        assert_eq!(still.date_reaching(Km(6)), None);
        assert_eq!(still.odometer_on(d("2030-01-01")), Some(Km(5)));
    }

    #[test]
    fn backwards_readings_are_an_error() {
        let e =
            MileageProjection::from_readings(&[r("2026-03-01", 41_200), r("2026-02-01", 41_500)])
                .unwrap_err();
        assert_eq!(
            e.to_string(),
            "odometer reading `41200 km` on 2026-03-01 is below the earlier `41500 km` on 2026-02-01 (MNT-06)"
        );
    }

    #[test]
    fn urgency_bands_are_inclusive() {
        let t = UrgencyThresholds::default();
        assert_eq!(t.classify(Some(-1), None), Urgency::PastDue);
        assert_eq!(t.classify(Some(0), None), Urgency::VeryUrgent);
        assert_eq!(t.classify(Some(7), None), Urgency::VeryUrgent);
        assert_eq!(t.classify(Some(8), None), Urgency::Urgent);
        assert_eq!(t.classify(Some(30), None), Urgency::Urgent);
        assert_eq!(t.classify(Some(31), None), Urgency::NotUrgent);
        assert_eq!(t.classify(None, Some(500)), Urgency::VeryUrgent);
        assert_eq!(t.classify(None, Some(501)), Urgency::Urgent);
        assert_eq!(t.classify(None, Some(1_000)), Urgency::Urgent);
        assert_eq!(t.classify(None, Some(1_001)), Urgency::NotUrgent);
        assert_eq!(t.classify(Some(100), Some(-5)), Urgency::PastDue);
        assert_eq!(t.classify(None, None), Urgency::NotUrgent);
    }

    #[test]
    fn electric_items() {
        let ev: Vec<_> = Powertrain::Electric.items().collect();
        assert!(ev.contains(&MaintenanceItem::ReductionGearOil));
        assert!(!ev.contains(&MaintenanceItem::EngineOil));
        assert!(!ev.contains(&MaintenanceItem::TransmissionOil));
        let hev: Vec<_> = Powertrain::Hybrid.items().collect();
        assert!(hev.contains(&MaintenanceItem::EngineOil));
        assert!(!hev.contains(&MaintenanceItem::ReductionGearOil));
        assert_eq!(Powertrain::Combustion.items().count(), 8);
        assert_eq!(Powertrain::PlugInHybrid.items().count(), 9);
        assert_eq!(Powertrain::Electric.items().count(), 6);
    }

    #[test]
    fn schedule_explains_itself() {
        let mut h = MaintenanceHistory::new(Powertrain::Combustion, r("2025-03-01", 12));
        h.services.push(ServiceRecord::new(
            d("2025-08-20"),
            Km(4_800),
            vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter],
        ));
        let s = h
            .schedule(
                d("2026-01-20"),
                Some(Km(9_500)),
                &MaintenancePolicy::default(),
            )
            .unwrap();
        assert_eq!(s.odometer.source, OdometerSource::Read);
        let oil = s.entry(MaintenanceItem::EngineOil).unwrap();
        let text: Vec<String> = oil.reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "`engine oil`: replace every `5000 km` or 6 months, whichever comes first (MNT-02)",
                "last done `4800 km` on 2025-08-20: due on 2026-02-20 or at `9800 km`, whichever comes first (MNT-01)",
                "averaging `9488 km` in 325 days from 2025-03-01 to 2026-01-20, `9800 km` is projected on 2026-01-31 (MNT-01)",
                "on 2026-01-20: 11 days left (expected 2026-01-31), `300 km` left (odometer `9500 km`): very urgent (very urgent within 7 days or `500 km`, urgent within 30 days or `1000 km`) (MNT-06)",
            ]
        );
        // Air filter: never done, not part of the first service.
        let air = s.entry(MaintenanceItem::AirFilter).unwrap();
        assert_eq!(air.counted_from, CountedFrom::Delivery(r("2025-03-01", 12)));
        assert_eq!(air.due.by_km, Some(Km(15_012)));
        assert_eq!(air.urgency, Urgency::NotUrgent);
    }

    #[test]
    fn serde_shapes() {
        let c = CountedFrom::LastService(r("2026-01-01", 100));
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"basis": "last_service", "date": "2026-01-01", "odometer": 100})
        );
        assert_eq!(serde_json::from_value::<CountedFrom>(json).unwrap(), c);
        assert_eq!(
            serde_json::to_string(&MaintenanceItem::StarterBattery).unwrap(),
            "\"starter_battery\""
        );
        let row: Result<MaintenanceInterval, _> =
            serde_json::from_str(r#"{"item":"engine_oil","work":"replace","km":5000,"miles":3}"#);
        assert!(row.is_err());
    }
}
