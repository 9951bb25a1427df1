//! The repair quality guarantee (质量保证期, REG-01) and what happens when a
//! repair fails inside it (REG-02), with the comeback link of WO-24.
//!
//! [`guarantee_period`] gives the period of one repair: by [`VehicleKind`]
//! and [`RepairCategory`], a number of days and a distance from the exit
//! date and odometer, whichever is reached first. [`comeback`] and
//! [`comeback_in_history`] decide whether a new visit for a fault is a free
//! rework of an earlier repair, a case for another repairer at the shop's
//! cost, or not covered. The numbers live in [`GuaranteePolicy`]; a dealer
//! may promise longer periods than the statute, never shorter ones.
//!
//! A repair's parts carry their own warranty by origin (EST-03), often
//! longer than the repair's guarantee: [`EarlierRepair::from_order`] takes
//! the warranties a delivery stated, and every decision lists the parts of
//! the fault's repairs still inside theirs
//! ([`ComebackDecision::parts_in_warranty`]), with an EST-03 reason.
//!
//! ```
//! use aftersales::{
//!     ComebackDecision, EarlierRepair, FaultKey, GuaranteeVisit, Km, Policy, RepairCategory,
//!     VehicleKind, WorkOrderNo, comeback,
//! };
//!
//! let policy = Policy::default();
//! // A car's brakes were repaired (小修) and it left the shop on 1 March at 30,000 km.
//! let earlier = EarlierRepair::new(
//!     WorkOrderNo::try_new("WO-2026-0101")?,
//!     VehicleKind::Car,
//!     RepairCategory::Minor,
//!     "2026-03-01".parse()?,
//!     Km(30_000),
//!     FaultKey::try_new("brake squeal")?,
//! );
//! // Eight days and 600 km later the squeal is back: inside 10 days / 2,000 km.
//! let visit = GuaranteeVisit::new("2026-03-09".parse()?, Km(30_600), FaultKey::try_new("brake squeal")?);
//! let decision = comeback(&earlier, &visit, &policy);
//! let ComebackDecision::FreeRework { earlier_order, prove_other_cause_by, .. } = &decision else {
//!     unreachable!("a free rework");
//! };
//! assert_eq!(earlier_order.as_str(), "WO-2026-0101");
//! assert_eq!(prove_other_cause_by.to_string(), "2026-03-12"); // visit + 3 days
//! assert_eq!(decision.comeback_of().map(WorkOrderNo::as_str), Some("WO-2026-0101")); // WO-24
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::WorkOrderNo;
use crate::policy::{Policy, PolicyError, invalid};
use crate::rule::{Reason, RuleId};
use crate::units::Km;
use crate::work_order::{PartWarranty, WorkOrder};

words!(
    /// The kind of motor vehicle, as the guarantee table of REG-01 groups it.
    VehicleKind {
        /// A car (passenger car, truck or bus).
        Car => "car", "汽车";
        /// A motorcycle.
        Motorcycle => "motorcycle", "摩托车";
        /// Any other motor vehicle.
        Other => "other motor vehicle", "其他机动车";
    }
);

words!(
    /// The category of a repair, as the guarantee table of REG-01 groups it.
    RepairCategory {
        /// Whole-vehicle repair.
        WholeVehicle => "whole-vehicle repair", "整车修理";
        /// Assembly repair (engine, transmission … overhauled as a unit);
        /// the same period as a whole-vehicle repair.
        Assembly => "assembly repair", "总成修理";
        /// Level-2 maintenance.
        SecondLevelMaintenance => "level-2 maintenance", "二级维护";
        /// Level-1 maintenance.
        FirstLevelMaintenance => "level-1 maintenance", "一级维护";
        /// Minor repair.
        Minor => "minor repair", "小修";
        /// Special repair (one system or component).
        Special => "special repair", "专项修理";
    }
);

/// The row of a vehicle's guarantee table that a [`RepairCategory`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    WholeOrAssembly,
    SecondLevel,
    Other,
}

impl RepairCategory {
    const fn tier(self) -> Tier {
        match self {
            RepairCategory::WholeVehicle | RepairCategory::Assembly => Tier::WholeOrAssembly,
            RepairCategory::SecondLevelMaintenance => Tier::SecondLevel,
            RepairCategory::FirstLevelMaintenance
            | RepairCategory::Minor
            | RepairCategory::Special => Tier::Other,
        }
    }
}

/// One guarantee limit: a number of days and a distance, whichever is
/// reached first (REG-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeLimit {
    /// Distance driven after the exit.
    pub km: Km,
    /// Days after the exit date (the exit date itself is not counted).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub days: u32,
}

impl GuaranteeLimit {
    /// A limit of `km` and `days`.
    pub const fn new(km: u32, days: u32) -> Self {
        GuaranteeLimit { km: Km(km), days }
    }

    /// Whether this limit is at least `other` in both distance and days.
    pub fn covers_at_least(self, other: GuaranteeLimit) -> bool {
        self.km >= other.km && self.days >= other.days
    }
}

impl fmt::Display for GuaranteeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {} days", self.km, self.days)
    }
}

/// The guarantee limits of one [`VehicleKind`], by repair tier.
///
/// For motorcycles and other vehicles the statute has one limit for all
/// maintenance, minor and special repair, so their
/// [`level_two_maintenance`](Self::level_two_maintenance) defaults to the
/// same numbers as [`other`](Self::other); a dealer may still promise more
/// for level-2 maintenance alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeTable {
    /// Whole-vehicle and assembly repair (整车修理, 总成修理).
    pub whole_or_assembly: GuaranteeLimit,
    /// Level-2 maintenance (二级维护).
    pub level_two_maintenance: GuaranteeLimit,
    /// Level-1 maintenance, minor and special repair (一级维护, 小修, 专项修理).
    pub other: GuaranteeLimit,
}

impl GuaranteeTable {
    /// The limit for `category`.
    pub const fn limit(&self, category: RepairCategory) -> GuaranteeLimit {
        match category.tier() {
            Tier::WholeOrAssembly => self.whole_or_assembly,
            Tier::SecondLevel => self.level_two_maintenance,
            Tier::Other => self.other,
        }
    }
}

/// The statutory guarantee table for cars (REG-01).
pub const STATUTORY_CAR: GuaranteeTable = GuaranteeTable {
    whole_or_assembly: GuaranteeLimit::new(20_000, 100),
    level_two_maintenance: GuaranteeLimit::new(5_000, 30),
    other: GuaranteeLimit::new(2_000, 10),
};

/// The statutory guarantee table for motorcycles (REG-01).
pub const STATUTORY_MOTORCYCLE: GuaranteeTable = GuaranteeTable {
    whole_or_assembly: GuaranteeLimit::new(7_000, 80),
    level_two_maintenance: GuaranteeLimit::new(800, 10),
    other: GuaranteeLimit::new(800, 10),
};

/// The statutory guarantee table for other motor vehicles (REG-01).
pub const STATUTORY_OTHER_VEHICLE: GuaranteeTable = GuaranteeTable {
    whole_or_assembly: GuaranteeLimit::new(6_000, 60),
    level_two_maintenance: GuaranteeLimit::new(700, 7),
    other: GuaranteeLimit::new(700, 7),
};

/// The statutory days within which the shop may prove that a failure has a
/// cause other than its repair (REG-02).
pub const STATUTORY_PROOF_DAYS: u32 = 3;

/// The statutory number of repairs of the same fault after which a further
/// failure goes to another repairer at the shop's cost (REG-02).
pub const STATUTORY_REPAIRS_BEFORE_ANOTHER_REPAIRER: u32 = 2;

/// The statutory minimum guarantee for `kind` and `category` (REG-01).
///
/// ```
/// use aftersales::{GuaranteeLimit, RepairCategory, VehicleKind, statutory_guarantee};
/// assert_eq!(
///     statutory_guarantee(VehicleKind::Car, RepairCategory::Assembly),
///     GuaranteeLimit::new(20_000, 100),
/// );
/// ```
pub const fn statutory_guarantee(kind: VehicleKind, category: RepairCategory) -> GuaranteeLimit {
    statutory_table(kind).limit(category)
}

const fn statutory_table(kind: VehicleKind) -> GuaranteeTable {
    match kind {
        VehicleKind::Car => STATUTORY_CAR,
        VehicleKind::Motorcycle => STATUTORY_MOTORCYCLE,
        VehicleKind::Other => STATUTORY_OTHER_VEHICLE,
    }
}

/// The policy of REG-01 and REG-02: the dealer's guarantee tables and the
/// rework numbers.
///
/// The defaults are the statute. Validation refuses any limit below the
/// statutory minimum, a proof window longer than 3 days and a repair count
/// above 2, since each would give the customer less than the law does.
///
/// ```
/// use aftersales::{GuaranteeLimit, Policy};
///
/// let mut regulation = Policy::default().regulation().clone();
/// regulation.guarantee.car.other = GuaranteeLimit::new(3_000, 30); // promised longer
/// let policy = Policy::default().with_regulation(regulation.clone())?;
/// assert_eq!(policy.regulation().guarantee.car.other.days, 30);
///
/// regulation.guarantee.car.other = GuaranteeLimit::new(2_000, 9); // one day short
/// let err = Policy::default().with_regulation(regulation).unwrap_err();
/// assert!(err.to_string().ends_with("(REG-01)"));
/// # Ok::<(), aftersales::PolicyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GuaranteePolicy {
    /// Cars (汽车).
    pub car: GuaranteeTable,
    /// Motorcycles (摩托车).
    pub motorcycle: GuaranteeTable,
    /// Other motor vehicles (其他机动车).
    pub other_vehicle: GuaranteeTable,
    /// Days after a comeback visit within which the shop may prove a cause
    /// other than its repair (REG-02; at most 3).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub proof_days: u32,
    /// Repairs of the same fault after which a further failure inside the
    /// guarantee goes to another repairer at the shop's cost (REG-02; 1 or 2).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub repairs_before_another_repairer: u32,
}

impl Default for GuaranteePolicy {
    fn default() -> Self {
        GuaranteePolicy {
            car: STATUTORY_CAR,
            motorcycle: STATUTORY_MOTORCYCLE,
            other_vehicle: STATUTORY_OTHER_VEHICLE,
            proof_days: STATUTORY_PROOF_DAYS,
            repairs_before_another_repairer: STATUTORY_REPAIRS_BEFORE_ANOTHER_REPAIRER,
        }
    }
}

/// The policy field names of each table cell, for [`PolicyError`].
const FIELDS: [(VehicleKind, [(&str, &str); 3]); 3] = [
    (
        VehicleKind::Car,
        [
            (
                "regulation.guarantee.car.whole_or_assembly.km",
                "regulation.guarantee.car.whole_or_assembly.days",
            ),
            (
                "regulation.guarantee.car.level_two_maintenance.km",
                "regulation.guarantee.car.level_two_maintenance.days",
            ),
            (
                "regulation.guarantee.car.other.km",
                "regulation.guarantee.car.other.days",
            ),
        ],
    ),
    (
        VehicleKind::Motorcycle,
        [
            (
                "regulation.guarantee.motorcycle.whole_or_assembly.km",
                "regulation.guarantee.motorcycle.whole_or_assembly.days",
            ),
            (
                "regulation.guarantee.motorcycle.level_two_maintenance.km",
                "regulation.guarantee.motorcycle.level_two_maintenance.days",
            ),
            (
                "regulation.guarantee.motorcycle.other.km",
                "regulation.guarantee.motorcycle.other.days",
            ),
        ],
    ),
    (
        VehicleKind::Other,
        [
            (
                "regulation.guarantee.other_vehicle.whole_or_assembly.km",
                "regulation.guarantee.other_vehicle.whole_or_assembly.days",
            ),
            (
                "regulation.guarantee.other_vehicle.level_two_maintenance.km",
                "regulation.guarantee.other_vehicle.level_two_maintenance.days",
            ),
            (
                "regulation.guarantee.other_vehicle.other.km",
                "regulation.guarantee.other_vehicle.other.days",
            ),
        ],
    ),
];

/// One representative category per tier, in the order of [`FIELDS`].
const TIER_CATEGORIES: [RepairCategory; 3] = [
    RepairCategory::WholeVehicle,
    RepairCategory::SecondLevelMaintenance,
    RepairCategory::Minor,
];

impl GuaranteePolicy {
    /// The table for `kind`.
    pub const fn table(&self, kind: VehicleKind) -> &GuaranteeTable {
        match kind {
            VehicleKind::Car => &self.car,
            VehicleKind::Motorcycle => &self.motorcycle,
            VehicleKind::Other => &self.other_vehicle,
        }
    }

    /// The dealer's limit for `kind` and `category`.
    pub const fn limit(&self, kind: VehicleKind, category: RepairCategory) -> GuaranteeLimit {
        self.table(kind).limit(category)
    }

    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the field and REG-01 when a limit is below
    /// its statutory minimum; naming REG-02 when the proof window exceeds
    /// 3 days or the repair count is outside 1 to 2.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (kind, fields) in FIELDS {
            for (category, (km_field, days_field)) in TIER_CATEGORIES.into_iter().zip(fields) {
                let promised = self.limit(kind, category);
                let minimum = statutory_guarantee(kind, category);
                if promised.km < minimum.km {
                    return Err(invalid(
                        km_field,
                        RuleId::Reg01,
                        format!(
                            "is {}, below the statutory minimum of {} for {} {}",
                            promised.km,
                            minimum.km,
                            kind.label_en(),
                            category.label_en()
                        ),
                    ));
                }
                if promised.days < minimum.days {
                    return Err(invalid(
                        days_field,
                        RuleId::Reg01,
                        format!(
                            "is {} days, below the statutory minimum of {} days for {} {}",
                            promised.days,
                            minimum.days,
                            kind.label_en(),
                            category.label_en()
                        ),
                    ));
                }
            }
        }
        if self.proof_days > STATUTORY_PROOF_DAYS {
            return Err(invalid(
                "regulation.guarantee.proof_days",
                RuleId::Reg02,
                format!(
                    "is {} days, longer than the statutory {STATUTORY_PROOF_DAYS} days the shop has to prove another cause",
                    self.proof_days
                ),
            ));
        }
        if !(1..=STATUTORY_REPAIRS_BEFORE_ANOTHER_REPAIRER)
            .contains(&self.repairs_before_another_repairer)
        {
            return Err(invalid(
                "regulation.guarantee.repairs_before_another_repairer",
                RuleId::Reg02,
                format!(
                    "is {}, must be 1 to the statutory {STATUTORY_REPAIRS_BEFORE_ANOTHER_REPAIRER}",
                    self.repairs_before_another_repairer
                ),
            ));
        }
        Ok(())
    }
}

/// Which limit of a guarantee ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuaranteeEnd {
    /// The date passed its last day.
    Days,
    /// The odometer passed its last kilometre.
    Km,
    /// Both limits passed.
    Both,
}

/// The guarantee period of one repair (REG-01): covered while the date is
/// at most [`until_date`](Self::until_date) and the odometer at most
/// [`until_km`](Self::until_km), whichever is passed first ends it.
///
/// Day counting follows the civil-law rule for periods in days (民法典
/// Art. 201): the exit date is not counted, day 1 is the next day, so a
/// guarantee of N days ends at the end of exit date + N days. The visit on
/// the exit date itself is covered too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GuaranteePeriod {
    /// The vehicle's kind.
    pub kind: VehicleKind,
    /// The repair's category.
    pub category: RepairCategory,
    /// The limit applied (the dealer's, at least the statutory one).
    pub limit: GuaranteeLimit,
    /// The exit date (竣工出厂日期).
    pub exit_date: NaiveDate,
    /// The odometer at exit.
    pub exit_odometer: Km,
    /// The last covered day (inclusive).
    pub until_date: NaiveDate,
    /// The last covered odometer reading (inclusive).
    pub until_km: Km,
}

impl GuaranteePeriod {
    /// Why a visit on `date` at `odometer` is outside the period, or `None`
    /// when it is inside. A visit before the exit date is not covered by
    /// this repair, and is reported as ended by days.
    pub fn ended_by(&self, date: NaiveDate, odometer: Km) -> Option<GuaranteeEnd> {
        let days = date > self.until_date || date < self.exit_date;
        let km = odometer > self.until_km;
        match (days, km) {
            (false, false) => None,
            (true, false) => Some(GuaranteeEnd::Days),
            (false, true) => Some(GuaranteeEnd::Km),
            (true, true) => Some(GuaranteeEnd::Both),
        }
    }

    /// Whether a visit on `date` at `odometer` is inside the period.
    pub fn covers(&self, date: NaiveDate, odometer: Km) -> bool {
        self.ended_by(date, odometer).is_none()
    }
}

impl fmt::Display for GuaranteePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of a {}: {} from {} at {}, until {} or {}",
            self.category.label_en(),
            self.kind.label_en(),
            self.limit,
            self.exit_date,
            self.exit_odometer,
            self.until_date,
            self.until_km
        )
    }
}

/// The guarantee period of a repair of `category` on a vehicle of `kind`
/// that left the shop on `exit_date` at `exit_odometer` (REG-01), with the
/// dealer's limits from `policy`.
///
/// The exit date is not counted (see [`GuaranteePeriod`]); dates and
/// distances beyond the calendar or a `u32` saturate.
///
/// ```
/// use aftersales::{Km, Policy, RepairCategory, VehicleKind, guarantee_period};
///
/// let period = guarantee_period(
///     VehicleKind::Car,
///     RepairCategory::SecondLevelMaintenance,
///     "2026-01-10".parse()?,
///     Km(42_000),
///     &Policy::default(),
/// );
/// assert_eq!(period.until_date.to_string(), "2026-02-09"); // 30 days
/// assert_eq!(period.until_km, Km(47_000)); // 5,000 km
/// assert!(period.covers("2026-02-09".parse()?, Km(47_000)));
/// assert!(!period.covers("2026-02-10".parse()?, Km(42_001)));
/// # Ok::<(), chrono::ParseError>(())
/// ```
pub fn guarantee_period(
    kind: VehicleKind,
    category: RepairCategory,
    exit_date: NaiveDate,
    exit_odometer: Km,
    policy: &Policy,
) -> GuaranteePeriod {
    let limit = policy.regulation().guarantee.limit(kind, category);
    GuaranteePeriod {
        kind,
        category,
        limit,
        exit_date,
        exit_odometer,
        until_date: exit_date
            .checked_add_days(Days::new(u64::from(limit.days)))
            .unwrap_or(NaiveDate::MAX),
        until_km: Km(exit_odometer.0.saturating_add(limit.km.0)),
    }
}

/// A fault as the DMS keys it (a fault code, a symptom key), to tell a
/// comeback of the same fault from a new one (REG-02, WO-24).
///
/// Surrounding whitespace is trimmed; the key must be 1 to 100 characters.
/// Two keys are the same fault when they are equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FaultKey(String);

/// A [`FaultKey`] that is empty or too long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault key `{input}`: {reason} (REG-02)")]
pub struct FaultKeyError {
    /// The rejected input.
    pub input: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

impl FaultKey {
    /// Trims and checks a key.
    ///
    /// # Errors
    ///
    /// [`FaultKeyError`] when the key is empty or longer than 100 characters.
    pub fn try_new(value: impl AsRef<str>) -> Result<Self, FaultKeyError> {
        let trimmed = value.as_ref().trim();
        let reason = if trimmed.is_empty() {
            "must not be empty"
        } else if trimmed.chars().count() > 100 {
            "must be at most 100 characters"
        } else {
            return Ok(FaultKey(trimmed.to_owned()));
        };
        Err(FaultKeyError {
            input: value.as_ref().to_owned(),
            reason,
        })
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FaultKey {
    type Error = FaultKeyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        FaultKey::try_new(value)
    }
}

impl From<FaultKey> for String {
    fn from(key: FaultKey) -> String {
        key.0
    }
}

impl fmt::Display for FaultKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A repair the vehicle had earlier, as the comeback decision needs it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlierRepair {
    /// Its work order.
    pub order: WorkOrderNo,
    /// The vehicle's kind.
    pub kind: VehicleKind,
    /// The repair's category.
    pub category: RepairCategory,
    /// The exit date.
    pub exit_date: NaiveDate,
    /// The odometer at exit.
    pub exit_odometer: Km,
    /// The fault it repaired.
    pub fault: FaultKey,
    /// The earlier order this repair was itself a comeback of, as WO-24
    /// recorded it on its reception; `None` when it was not or when the
    /// link is unknown.
    #[serde(default)]
    pub comeback_of: Option<WorkOrderNo>,
    /// The parts it fitted, with their parts warranty by origin (EST-03);
    /// empty when not known.
    #[serde(default)]
    pub parts: Vec<PartWarranty>,
}

impl EarlierRepair {
    /// A repair that was not itself a comeback.
    pub fn new(
        order: WorkOrderNo,
        kind: VehicleKind,
        category: RepairCategory,
        exit_date: NaiveDate,
        exit_odometer: Km,
        fault: FaultKey,
    ) -> Self {
        EarlierRepair {
            order,
            kind,
            category,
            exit_date,
            exit_odometer,
            fault,
            comeback_of: None,
            parts: Vec::new(),
        }
    }

    /// The repair a delivered `order` made: its exit date is the delivery
    /// date, its exit odometer the mileage at reception, its comeback link
    /// the one recorded at reception (WO-24) and its parts those whose
    /// warranty the delivery stated (EST-03). `None` when the order has no
    /// reception, is not delivered, or was delivered at a time outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE) (possible only
    /// for an order replayed from stored events that no command accepted).
    pub fn from_order(
        order: &WorkOrder,
        kind: VehicleKind,
        category: RepairCategory,
        fault: FaultKey,
        policy: &Policy,
    ) -> Option<Self> {
        let reception = order.reception()?;
        let delivered = order.delivery()?;
        let exit_date = crate::time::SUPPORTED_RANGE
            .contains(delivered.at)
            .then(|| crate::time::own_local_date(delivered.at))??;
        Some(EarlierRepair {
            order: order.no().clone(),
            kind,
            category,
            exit_date,
            exit_odometer: reception.vehicle.mileage,
            fault,
            comeback_of: reception.comeback_of.clone(),
            parts: order.part_warranties(policy),
        })
    }

    /// This repair with the parts it fitted and their warranties (EST-03).
    pub fn with_parts(mut self, parts: Vec<PartWarranty>) -> Self {
        self.parts = parts;
        self
    }

    /// This repair, recorded as a comeback of `earlier` (WO-24).
    pub fn comeback_of(mut self, earlier: WorkOrderNo) -> Self {
        self.comeback_of = Some(earlier);
        self
    }

    /// Its guarantee period under `policy`.
    pub fn period(&self, policy: &Policy) -> GuaranteePeriod {
        guarantee_period(
            self.kind,
            self.category,
            self.exit_date,
            self.exit_odometer,
            policy,
        )
    }
}

/// A new visit: its date, odometer and the fault the customer reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeVisit {
    /// The visit date.
    pub date: NaiveDate,
    /// The odometer at the visit.
    pub odometer: Km,
    /// The fault reported.
    pub fault: FaultKey,
}

impl GuaranteeVisit {
    /// A visit.
    pub fn new(date: NaiveDate, odometer: Km, fault: FaultKey) -> Self {
        GuaranteeVisit {
            date,
            odometer,
            fault,
        }
    }
}

/// What a new visit is, against the vehicle's earlier repairs (REG-01,
/// REG-02, WO-24).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum ComebackDecision {
    /// Not a guarantee case: no earlier repair of this fault, or every such
    /// repair's period has ended. The visit is an ordinary, chargeable one.
    NotCovered {
        /// Why.
        reasons: Vec<Reason>,
        /// Parts fitted by an earlier repair of this fault that are still
        /// inside their parts warranty (EST-03), although the repair's
        /// guarantee is not.
        #[serde(default)]
        parts_in_warranty: Vec<PartWarranty>,
    },
    /// A comeback inside the guarantee: the shop reworks it free of charge
    /// unless it proves a cause other than its repair by
    /// `prove_other_cause_by` (REG-02). The new order links to
    /// `earlier_order` (WO-24).
    FreeRework {
        /// The repair that failed (the latest of this fault in its period).
        earlier_order: WorkOrderNo,
        /// Its guarantee period.
        period: GuaranteePeriod,
        /// The last day the shop may prove another cause.
        prove_other_cause_by: NaiveDate,
        /// Why.
        reasons: Vec<Reason>,
        /// Parts fitted by a repair of this fault that are inside their
        /// parts warranty on the visit date (EST-03).
        #[serde(default)]
        parts_in_warranty: Vec<PartWarranty>,
    },
    /// The same fault has been repaired the policy's number of times (2)
    /// in a chain of comebacks and fails again inside the guarantee: the
    /// shop arranges another repairer and pays for the repair (REG-02).
    /// The new order still links to `earlier_order` (WO-24).
    AnotherRepairer {
        /// The repair that failed last.
        earlier_order: WorkOrderNo,
        /// Its guarantee period.
        period: GuaranteePeriod,
        /// The repairs of this fault in the chain, oldest first.
        repairs: Vec<WorkOrderNo>,
        /// The last day the shop may prove another cause.
        prove_other_cause_by: NaiveDate,
        /// Why.
        reasons: Vec<Reason>,
        /// Parts fitted by a repair of this fault that are inside their
        /// parts warranty on the visit date (EST-03).
        #[serde(default)]
        parts_in_warranty: Vec<PartWarranty>,
    },
}

impl ComebackDecision {
    /// The reasons.
    pub fn reasons(&self) -> &[Reason] {
        match self {
            ComebackDecision::NotCovered { reasons, .. }
            | ComebackDecision::FreeRework { reasons, .. }
            | ComebackDecision::AnotherRepairer { reasons, .. } => reasons,
        }
    }

    /// The parts fitted by earlier repairs of this fault that are inside
    /// their parts warranty on the visit date (EST-03), whatever the
    /// repair's guarantee says.
    pub fn parts_in_warranty(&self) -> &[PartWarranty] {
        match self {
            ComebackDecision::NotCovered {
                parts_in_warranty, ..
            }
            | ComebackDecision::FreeRework {
                parts_in_warranty, ..
            }
            | ComebackDecision::AnotherRepairer {
                parts_in_warranty, ..
            } => parts_in_warranty,
        }
    }

    /// The earlier order the new visit's reception records as
    /// `comeback_of` (WO-24), or `None` when not covered.
    pub fn comeback_of(&self) -> Option<&WorkOrderNo> {
        match self {
            ComebackDecision::NotCovered { .. } => None,
            ComebackDecision::FreeRework { earlier_order, .. }
            | ComebackDecision::AnotherRepairer { earlier_order, .. } => Some(earlier_order),
        }
    }

    /// Whether the visit is a guarantee case (free rework or another
    /// repairer).
    pub fn is_covered(&self) -> bool {
        !matches!(self, ComebackDecision::NotCovered { .. })
    }
}

/// Whether `visit` is a comeback of the single `earlier` repair (REG-01,
/// REG-02, WO-24). With one repair known the chain has length 1, so the
/// result is [`ComebackDecision::AnotherRepairer`] only under a policy
/// whose repair count is 1. See [`comeback_in_history`] for a full
/// history; the module documentation has an example.
pub fn comeback(
    earlier: &EarlierRepair,
    visit: &GuaranteeVisit,
    policy: &Policy,
) -> ComebackDecision {
    comeback_in_history(std::slice::from_ref(earlier), visit, policy)
}

/// Whether `visit` is a comeback of one of the vehicle's earlier
/// `repairs`, in any order (REG-01, REG-02, WO-24).
///
/// The relevant repair is the latest one of the same fault (by exit date,
/// then odometer) that exited on or before the visit date and whose period
/// covers the visit. From it the chain of repairs of this fault is followed
/// back: a repair's recorded `comeback_of` link when it names a repair of
/// the same fault in the history, otherwise the previous repair of the same
/// fault whose period covered this repair's exit. When the chain holds the
/// policy's number of repairs (2) or more, the decision is
/// [`ComebackDecision::AnotherRepairer`]; otherwise
/// [`ComebackDecision::FreeRework`].
///
/// ```
/// use aftersales::{
///     ComebackDecision, EarlierRepair, FaultKey, GuaranteeVisit, Km, Policy, RepairCategory,
///     VehicleKind, WorkOrderNo, comeback_in_history,
/// };
///
/// let fault = FaultKey::try_new("P0301 misfire")?;
/// let first = EarlierRepair::new(
///     WorkOrderNo::try_new("WO-1")?, VehicleKind::Car, RepairCategory::Special,
///     "2026-04-01".parse()?, Km(10_000), fault.clone(),
/// );
/// let rework = EarlierRepair::new(
///     WorkOrderNo::try_new("WO-2")?, VehicleKind::Car, RepairCategory::Special,
///     "2026-04-06".parse()?, Km(10_300), fault.clone(),
/// )
/// .comeback_of(WorkOrderNo::try_new("WO-1")?);
/// let visit = GuaranteeVisit::new("2026-04-12".parse()?, Km(10_700), fault);
/// let decision = comeback_in_history(&[first, rework], &visit, &Policy::default());
/// assert!(matches!(decision, ComebackDecision::AnotherRepairer { ref repairs, .. } if repairs.len() == 2));
/// assert_eq!(decision.comeback_of().map(WorkOrderNo::as_str), Some("WO-2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn comeback_in_history(
    repairs: &[EarlierRepair],
    visit: &GuaranteeVisit,
    policy: &Policy,
) -> ComebackDecision {
    let mut same_fault: Vec<&EarlierRepair> = repairs
        .iter()
        .filter(|r| r.fault == visit.fault && r.exit_date <= visit.date)
        .collect();
    same_fault.sort_by(|a, b| {
        (a.exit_date, a.exit_odometer, &a.order).cmp(&(b.exit_date, b.exit_odometer, &b.order))
    });

    if same_fault.is_empty() {
        return ComebackDecision::NotCovered {
            reasons: vec![Reason::new(
                RuleId::Reg02,
                format!(
                    "no earlier repair of fault `{}` before {}: not a comeback",
                    visit.fault, visit.date
                ),
            )],
            parts_in_warranty: Vec::new(),
        };
    }
    let (parts_in_warranty, part_reasons) = parts_in_warranty(&same_fault, visit);

    // The latest repair of this fault whose period covers the visit.
    let covering = same_fault
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (i, *r, r.period(policy)))
        .find(|(_, _, p)| p.covers(visit.date, visit.odometer));

    let Some((index, latest, period)) = covering else {
        let mut reasons: Vec<Reason> = same_fault
            .iter()
            .rev()
            .map(|r| {
                let p = r.period(policy);
                Reason::new(
                    RuleId::Reg01,
                    format!(
                        "the guarantee of {} for `{}` ended by {} ({}): visit on {} at {}",
                        r.order,
                        r.fault,
                        end_words(p.ended_by(visit.date, visit.odometer)),
                        p,
                        visit.date,
                        visit.odometer
                    ),
                )
            })
            .collect();
        reasons.extend(part_reasons);
        return ComebackDecision::NotCovered {
            reasons,
            parts_in_warranty,
        };
    };

    let chain = chain_back(&same_fault, index, policy);
    let proof_days = policy.regulation().guarantee.proof_days;
    let prove_other_cause_by = visit
        .date
        .checked_add_days(Days::new(u64::from(proof_days)))
        .unwrap_or(NaiveDate::MAX);
    let threshold = policy
        .regulation()
        .guarantee
        .repairs_before_another_repairer;
    let count = u32::try_from(chain.len()).unwrap_or(u32::MAX);

    let mut reasons = vec![Reason::new(
        RuleId::Reg01,
        format!(
            "visit on {} at {} is inside the guarantee of {} ({})",
            visit.date, visit.odometer, latest.order, period
        ),
    )];
    let linked = Reason::new(
        RuleId::Wo24,
        format!(
            "the new order is a comeback of {} for `{}`",
            latest.order, visit.fault
        ),
    );

    if count >= threshold {
        let orders: Vec<WorkOrderNo> = chain.iter().map(|r| r.order.clone()).collect();
        let listed = orders
            .iter()
            .map(WorkOrderNo::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        reasons.push(Reason::new(
            RuleId::Reg02,
            format!(
                "fault `{}` was repaired {count} times ({listed}) and fails again: \
                 the shop arranges another repairer and pays for it, unless it proves \
                 another cause by {prove_other_cause_by}",
                visit.fault
            ),
        ));
        reasons.push(linked);
        reasons.extend(part_reasons);
        ComebackDecision::AnotherRepairer {
            earlier_order: latest.order.clone(),
            period,
            repairs: orders,
            prove_other_cause_by,
            reasons,
            parts_in_warranty,
        }
    } else {
        reasons.push(Reason::new(
            RuleId::Reg02,
            format!(
                "free rework of `{}` unless the shop proves another cause by {prove_other_cause_by}",
                visit.fault
            ),
        ));
        reasons.push(linked);
        reasons.extend(part_reasons);
        ComebackDecision::FreeRework {
            earlier_order: latest.order.clone(),
            period,
            prove_other_cause_by,
            reasons,
            parts_in_warranty,
        }
    }
}

/// The parts the repairs of the visit's fault fitted that are inside their
/// parts warranty on the visit date, latest repair first, each with an
/// EST-03 reason.
fn parts_in_warranty(
    same_fault: &[&EarlierRepair],
    visit: &GuaranteeVisit,
) -> (Vec<PartWarranty>, Vec<Reason>) {
    same_fault
        .iter()
        .rev()
        .flat_map(|r| r.parts.iter().map(move |p| (r, p)))
        .filter(|(_, p)| p.covers(visit.date))
        .map(|(r, p)| {
            let reason = Reason::new(
                RuleId::Est03,
                format!(
                    "part `{}` ({}) fitted by {} is inside its parts warranty on {}: {}",
                    p.part_no,
                    p.description,
                    r.order,
                    visit.date,
                    p.label_en()
                ),
            );
            (p.clone(), reason)
        })
        .unzip()
}

/// The chain of repairs ending at `same_fault[index]`, oldest first.
fn chain_back<'a>(
    same_fault: &[&'a EarlierRepair],
    index: usize,
    policy: &Policy,
) -> Vec<&'a EarlierRepair> {
    let mut chain: Vec<&EarlierRepair> = Vec::new();
    let mut current = same_fault.get(index).copied();
    let mut upto = index;
    while let Some(repair) = current {
        chain.push(repair);
        let earlier = same_fault.get(..upto).unwrap_or_default();
        let previous = match &repair.comeback_of {
            Some(link) => earlier.iter().rposition(|r| &r.order == link),
            None => earlier.iter().rposition(|r| {
                r.period(policy)
                    .covers(repair.exit_date, repair.exit_odometer)
            }),
        };
        current = previous.and_then(|i| earlier.get(i).copied());
        upto = previous.unwrap_or(0);
        if chain.len() > same_fault.len() {
            break;
        }
    }
    chain.reverse();
    chain
}

fn end_words(end: Option<GuaranteeEnd>) -> &'static str {
    match end {
        None => "neither limit",
        Some(GuaranteeEnd::Days) => "days",
        Some(GuaranteeEnd::Km) => "distance",
        Some(GuaranteeEnd::Both) => "days and distance",
    }
}
