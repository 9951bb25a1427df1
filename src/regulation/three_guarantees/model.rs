//! The inputs and outputs of the 三包 decision.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{Vin, WorkOrderNo};
use crate::maintenance::Powertrain;
use crate::money::Money;
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, own_local_date};
use crate::units::Km;

/// Invalid 三包 input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThreeGuaranteesError {
    /// A repair completes before its agreed start.
    #[error("repair `{order}` completes before its agreed start (REG-09)")]
    CompletedBeforeStart {
        /// The repair's work order.
        order: WorkOrderNo,
    },
    /// An excluded interval ends before it starts.
    #[error("repair `{order}` has an excluded interval that ends before it starts (REG-09)")]
    ExclusionReversed {
        /// The repair's work order.
        order: WorkOrderNo,
    },
    /// A problem key that is empty after trimming.
    #[error("a problem key must not be empty (REG-08)")]
    EmptyProblemKey,
    /// A time outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE): the decision date
    /// (`at`) or a repair's `started`, `completed` or excluded interval.
    #[error("invalid `{field}`: {reason}")]
    InvalidInput {
        /// The field that held the time.
        field: &'static str,
        /// What is wrong, naming the repair when it is a repair's time.
        reason: String,
    },
    /// The calendar has no working day to count.
    #[error("no working day in the calendar after {from} (REG-10)")]
    NoWorkingDays {
        /// The day counting started from.
        from: NaiveDate,
    },
}

/// A household car sold under 三包 (家用汽车产品).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdCar {
    /// VIN.
    pub vin: Vin,
    /// The day the seller issued the purchase invoice: every 三包 period
    /// starts here (REG-07).
    pub invoice_date: NaiveDate,
    /// The day the car was handed over (kept for the file: every period
    /// starts from the invoice date, and km count from the delivery
    /// odometer).
    pub delivery_date: NaiveDate,
    /// The odometer at delivery: km limits and the usage deduction count
    /// the km driven since then.
    pub delivery_odometer: Km,
    /// The price paid, the base of the usage deduction (REG-09).
    pub price: Money,
    /// What drives the car; a combustion car has no traction battery or
    /// drive motor, but the decision does not depend on it.
    pub powertrain: Powertrain,
}

impl HouseholdCar {
    /// The km driven since delivery at `odometer` (0 if the reading is
    /// below the delivery reading).
    pub fn driven(&self, odometer: Km) -> Km {
        Km(odometer.0.saturating_sub(self.delivery_odometer.0))
    }
}

words! {
    /// The four assemblies of REG-08 (总成).
    PowertrainAssembly {
        /// The engine.
        Engine => "engine", "发动机";
        /// The transmission.
        Transmission => "transmission", "变速器";
        /// The traction battery.
        TractionBattery => "traction battery", "动力蓄电池";
        /// The drive motor.
        DriveMotor => "drive motor", "行驶驱动电机";
    }
}

words! {
    /// The failures that give replacement or refund inside the early
    /// window (REG-08). Each also counts as a serious safety fault.
    SafetyFailure {
        /// Steering failure.
        Steering => "steering failure", "转向系统失效";
        /// Brake failure.
        Brakes => "brake failure", "制动系统失效";
        /// Cracking of the body.
        BodyCracking => "body cracking", "车身开裂";
        /// Fuel leak.
        FuelLeak => "fuel leak", "燃油泄漏";
        /// Traction battery fire.
        BatteryFire => "battery fire", "动力蓄电池起火";
    }
}

words! {
    /// Why an interval of a repair does not count as repair time (REG-09).
    ExclusionReason {
        /// Transport of a part made for this VIN.
        VinSpecificParts => "transport of VIN-specific parts", "专用配件运输";
        /// Rescue travel to and from the car.
        RescueTravel => "rescue travel", "救援路途";
    }
}

/// A part of the repair time that does not count (REG-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludedInterval {
    /// Why.
    pub reason: ExclusionReason,
    /// From.
    pub from: DateTime<FixedOffset>,
    /// To.
    pub to: DateTime<FixedOffset>,
}

/// The caller's name for a problem, so that repairs of "the same problem"
/// are recognised (e.g. a maker's fault code). Compared after trimming and
/// lower-casing; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProblemKey(String);

impl ProblemKey {
    /// Trims and lower-cases `key`.
    ///
    /// # Errors
    ///
    /// [`ThreeGuaranteesError::EmptyProblemKey`] when nothing is left.
    pub fn try_new(key: impl AsRef<str>) -> Result<Self, ThreeGuaranteesError> {
        let key = key.as_ref().trim().to_lowercase();
        if key.is_empty() {
            Err(ThreeGuaranteesError::EmptyProblemKey)
        } else {
            Ok(ProblemKey(key))
        }
    }

    /// The normalised key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ProblemKey {
    type Error = ThreeGuaranteesError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ProblemKey::try_new(value)
    }
}

impl From<ProblemKey> for String {
    fn from(value: ProblemKey) -> Self {
        value.0
    }
}

impl std::fmt::Display for ProblemKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A main part of an assembly as listed in the 三包 certificate (e.g. the
/// transmission's valve body). Part names compare trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MainPart {
    /// The assembly it belongs to.
    pub assembly: PowertrainAssembly,
    /// Its name.
    pub part: String,
}

impl MainPart {
    /// A main part.
    pub fn new(assembly: PowertrainAssembly, part: impl Into<String>) -> Self {
        MainPart {
            assembly,
            part: part.into(),
        }
    }

    /// Whether `other` is the same part (same assembly, same name after
    /// trimming and lower-casing).
    pub fn same_as(&self, other: &MainPart) -> bool {
        self.assembly == other.assembly && normalise(&self.part) == normalise(&other.part)
    }

    /// The part with its name normalised, for grouping.
    pub(crate) fn normalised(&self) -> MainPart {
        MainPart::new(self.assembly, normalise(&self.part))
    }
}

/// Trimmed and lower-cased.
fn normalise(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemSite {
    /// One of the four assemblies as a whole.
    Assembly(PowertrainAssembly),
    /// A main part of an assembly.
    MainPart(MainPart),
    /// One of the listed failures.
    Failure(SafetyFailure),
    /// Anything else (electrical, trim, noise …), named by the caller.
    Other(String),
}

impl ProblemSite {
    /// The assembly the problem is in, if any.
    pub fn assembly(&self) -> Option<PowertrainAssembly> {
        match self {
            ProblemSite::Assembly(a) => Some(*a),
            ProblemSite::MainPart(p) => Some(p.assembly),
            ProblemSite::Failure(_) | ProblemSite::Other(_) => None,
        }
    }
}

impl std::fmt::Display for ProblemSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProblemSite::Assembly(a) => write!(f, "{} ({})", a.label_en(), a.label_zh()),
            ProblemSite::MainPart(p) => write!(
                f,
                "{} of the {} ({}主要零件)",
                p.part,
                p.assembly.label_en(),
                p.assembly.label_zh()
            ),
            ProblemSite::Failure(x) => write!(f, "{} ({})", x.label_en(), x.label_zh()),
            ProblemSite::Other(s) => f.write_str(s),
        }
    }
}

/// A quality problem a repair dealt with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityProblem {
    /// Where it is.
    pub site: ProblemSite,
    /// Whether it is a serious safety fault (严重安全性能故障); a
    /// [`ProblemSite::Failure`] always is.
    pub serious_safety: bool,
    /// Which problem it is: repairs with the same key are repairs of the
    /// same problem.
    pub key: ProblemKey,
}

impl QualityProblem {
    /// Whether it counts as a serious safety fault.
    pub fn is_serious_safety(&self) -> bool {
        self.serious_safety || matches!(self.site, ProblemSite::Failure(_))
    }
}

/// What a repair replaced, or found must be replaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Replacement {
    /// A whole assembly.
    Assembly(PowertrainAssembly),
    /// A main part of an assembly.
    MainPart(MainPart),
    /// Any other part, named by the caller.
    Other(String),
}

/// One repair of a quality problem under 三包.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityRepair {
    /// The work order.
    pub order: WorkOrderNo,
    /// The problem.
    pub problem: QualityProblem,
    /// Assemblies and parts replaced, or diagnosed as needing replacement.
    #[serde(default)]
    pub replaced: Vec<Replacement>,
    /// The agreed start of the repair: repair time and the windows of
    /// REG-08 count from here (its local date is the repair's date).
    pub started: DateTime<FixedOffset>,
    /// Completion, or `None` while the car is still being repaired.
    pub completed: Option<DateTime<FixedOffset>>,
    /// Time that does not count as repair time.
    #[serde(default)]
    pub excluded: Vec<ExcludedInterval>,
    /// The odometer when the repair started.
    pub odometer: Km,
    /// Whether the problem was still there after this repair (recorded at
    /// completion or at the next inspection).
    #[serde(default)]
    pub still_failing: bool,
}

impl QualityRepair {
    /// The repair's date: the local date of its agreed start. For a start
    /// far outside the [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE)
    /// (which [`validate`](QualityRepair::validate) refuses) whose local
    /// date cannot be represented, its UTC date.
    pub fn date(&self) -> NaiveDate {
        local_day(self.started)
    }

    /// Every time the repair holds, with its field. An exhaustive
    /// destructuring, so a new time field cannot be forgotten.
    fn times(&self) -> Vec<(&'static str, DateTime<FixedOffset>)> {
        let QualityRepair {
            order: _,
            problem: _,
            replaced: _,
            started,
            completed,
            excluded,
            odometer: _,
            still_failing: _,
        } = self;
        let mut out = vec![("started", *started)];
        out.extend(completed.map(|c| ("completed", c)));
        for ExcludedInterval {
            reason: _,
            from,
            to,
        } in excluded
        {
            out.extend([("excluded.from", *from), ("excluded.to", *to)]);
        }
        out
    }

    /// Checks every time against the supported range, then completion and
    /// excluded intervals against their starts.
    ///
    /// # Errors
    ///
    /// [`ThreeGuaranteesError::InvalidInput`] naming the field of a time
    /// outside [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE);
    /// [`ThreeGuaranteesError::CompletedBeforeStart`] or
    /// [`ThreeGuaranteesError::ExclusionReversed`].
    pub fn validate(&self) -> Result<(), ThreeGuaranteesError> {
        for (field, at) in self.times() {
            SUPPORTED_RANGE
                .check(field, at)
                .map_err(|e| ThreeGuaranteesError::InvalidInput {
                    field,
                    reason: format!("repair `{}`: {e}", self.order),
                })?;
        }
        if self.completed.is_some_and(|c| c < self.started) {
            return Err(ThreeGuaranteesError::CompletedBeforeStart {
                order: self.order.clone(),
            });
        }
        if self.excluded.iter().any(|e| e.to < e.from) {
            return Err(ThreeGuaranteesError::ExclusionReversed {
                order: self.order.clone(),
            });
        }
        Ok(())
    }
}

/// The local date of `at` in its own offset. Inputs are checked against
/// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE), where the local date
/// always exists; for an instant far outside it whose local date cannot be
/// represented, the UTC date is taken instead of panicking.
pub(crate) fn local_day(at: DateTime<FixedOffset>) -> NaiveDate {
    own_local_date(at).unwrap_or_else(|| at.naive_utc().date())
}

words! {
    /// What an entitlement gives the customer.
    Remedy {
        /// Free repair, parts and labour (免费修理).
        FreeRepair => "free repair", "免费修理";
        /// Free replacement of the assembly (免费更换总成).
        FreeAssemblyReplacement => "free replacement of the assembly", "免费更换总成";
        /// Replacement of the car or a refund (更换或退货).
        ReplacementOrRefund => "replacement or refund", "更换或退货";
        /// Replacement of the car or a refund, as the customer chooses
        /// (消费者选择更换或退货).
        ReplacementOrRefundAtChoice => "replacement or refund at the customer's choice", "消费者选择更换或退货";
        /// A loaner car or transport compensation (备用车或交通费用补偿).
        LoanerOrTransport => "loaner car or transport compensation", "备用车或交通费用补偿";
    }
}

words! {
    /// The condition that earned an entitlement.
    EntitlementTrigger {
        /// The car is inside the repair warranty at the decision date.
        WarrantyCoverage => "inside the repair warranty", "包修期内";
        /// A repair started inside the repair warranty.
        WarrantyRepair => "repair inside the repair warranty", "包修期内修理";
        /// A main-part or assembly quality problem inside the early window.
        /// The labels name no number: the policy sets them, and the
        /// entitlement's reasons state them.
        EarlyAssemblyProblem => "assembly or main-part quality problem in the early window", "早期期限内总成主要零件质量问题";
        /// A listed failure inside the early window.
        EarlySafetyFailure => "safety failure in the early window", "早期期限内安全性故障";
        /// An assembly or main part needs replacing inside the choice window.
        ChoiceWindowReplacement => "assembly or main part to replace in the first days", "选择期限内总成或主要零件需更换";
        /// One repair longer than the loaner threshold.
        LongRepair => "single repair longer than the loaner threshold", "单次修理时间超过备用车时限";
        /// Serious safety faults repaired the threshold number of times and
        /// failing again.
        SafetyFaultRepeated => "serious safety fault repaired the set number of times and failing again", "严重安全性能故障多次修理后仍未排除或出现新故障";
        /// One assembly replaced the threshold number of times and failing
        /// again.
        AssemblyReplacedTwice => "assembly replaced the set number of times and still failing", "总成累计多次更换后仍不能正常使用";
        /// The same main part replaced the threshold number of times and
        /// failing again.
        MainPartReplacedTwice => "same main part replaced the set number of times and still failing", "同一主要零件累计多次更换后仍不能正常使用";
        /// Cumulative repair days above the threshold.
        CumulativeRepairDays => "cumulative repair time over the limit", "累计修理时间超限";
        /// The same problem repaired more times than the threshold.
        SameProblemRepeated => "same problem repaired more than the limit", "同一质量问题修理次数超限";
    }
}

impl EntitlementTrigger {
    /// The rule the trigger belongs to.
    pub const fn rule(self) -> RuleId {
        match self {
            EntitlementTrigger::WarrantyCoverage | EntitlementTrigger::WarrantyRepair => {
                RuleId::Reg07
            }
            _ => RuleId::Reg08,
        }
    }

    /// The article of SAMR Order 43, as the rulebook cites it.
    pub const fn article(self) -> &'static str {
        match self.rule() {
            RuleId::Reg07 => "SAMR Order 43, Arts. 18, 19",
            _ => "SAMR Order 43, Arts. 20–24",
        }
    }

    /// What the trigger gives.
    pub const fn remedy(self) -> Remedy {
        match self {
            EntitlementTrigger::WarrantyCoverage | EntitlementTrigger::WarrantyRepair => {
                Remedy::FreeRepair
            }
            EntitlementTrigger::EarlyAssemblyProblem => Remedy::FreeAssemblyReplacement,
            EntitlementTrigger::ChoiceWindowReplacement => Remedy::ReplacementOrRefundAtChoice,
            EntitlementTrigger::LongRepair => Remedy::LoanerOrTransport,
            EntitlementTrigger::EarlySafetyFailure
            | EntitlementTrigger::SafetyFaultRepeated
            | EntitlementTrigger::AssemblyReplacedTwice
            | EntitlementTrigger::MainPartReplacedTwice
            | EntitlementTrigger::CumulativeRepairDays
            | EntitlementTrigger::SameProblemRepeated => Remedy::ReplacementOrRefund,
        }
    }
}

/// What an entitlement is about: with the trigger, it identifies the
/// entitlement across decisions (see [`Entitlement::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntitlementSubject {
    /// The whole car.
    Vehicle,
    /// One repair.
    Order(WorkOrderNo),
    /// One assembly.
    Assembly(PowertrainAssembly),
    /// One main part (name normalised).
    MainPart(MainPart),
    /// One listed failure.
    Failure(SafetyFailure),
    /// One problem.
    Problem(ProblemKey),
}

/// One right the customer has earned under 三包.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entitlement {
    /// What earned it.
    pub trigger: EntitlementTrigger,
    /// What it gives.
    pub remedy: Remedy,
    /// Its rule (REG-07 or REG-08; the day counting of REG-09 shows in the
    /// reasons).
    pub rule: RuleId,
    /// The article.
    pub article: String,
    /// What it is about.
    pub subject: EntitlementSubject,
    /// The day it arose.
    pub arose_on: NaiveDate,
    /// The repairs that earned it, in time order.
    pub orders: Vec<WorkOrderNo>,
    /// Repairs counted, or days for the day-based triggers.
    pub count: u32,
    /// For a loaner: the instant counted day `loaner_after_days + 1` began.
    pub loaner_from: Option<DateTime<FixedOffset>>,
    /// The facts, each with its rule.
    pub reasons: Vec<Reason>,
}

impl Entitlement {
    /// The identity of the entitlement: a later decision with more repairs
    /// still has an entitlement with this key.
    pub fn key(&self) -> (EntitlementTrigger, EntitlementSubject) {
        (self.trigger, self.subject.clone())
    }
}

impl std::fmt::Display for Entitlement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {} — {} / {} ({}, {})",
            self.remedy.label_en(),
            self.remedy.label_zh(),
            self.trigger.label_en(),
            self.trigger.label_zh(),
            self.rule,
            self.article
        )
    }
}
