//! SAT-05 to SAT-10: the satisfaction measures beyond the score bands.
//!
//! - [`FiveLevel`] and [`FiveLevelTally`]: the five-level survey scale
//!   (SAT-05), its shares, top-two box and mean.
//! - [`Expectations`] and [`Perception`]: desired, adequate and predicted
//!   service and the zone of tolerance between adequate and desired
//!   (SAT-06).
//! - [`NpsGroup`] and [`NpsTally`]: the Net Promoter Score on the 0–10
//!   [`Recommendation`] (SAT-07), grouped by [`NpsBands::group`].
//! - [`Factor`], [`Question::factor`] and [`FactorTally`]: hygiene factors
//!   and satisfiers on the follow-up questionnaires (SAT-08).
//! - [`WorkloadLevel`] and [`WorkloadLimits::level`]: how busy an
//!   advisor's day was (SAT-09).
//! - [`CsiFactor`], [`FactorScores`], [`CsiTally`] and [`composite_index`]:
//!   the composite service index on 1,000 points (SAT-10).
//!
//! Every count saturates at `u64::MAX` instead of overflowing, every ratio
//! is an exact [`Rate`] or [`Decimal`], and nothing here panics. A tally
//! starts at [`Default`], takes one observation at a time with `add` and
//! combines with another tally (another advisor, another day) with
//! `merge`, which gives the same tally as adding everything to one.
//!
//! ```
//! use aftersales::{
//!     CsiFactor, CsiTally, FiveLevel, FiveLevelTally, NpsTally, Perception, Expectations,
//!     Policy, Rate, Recommendation, Score, WorkloadLevel, composite_index,
//! };
//! use rust_decimal::Decimal;
//!
//! let policy = Policy::default();
//! let sat = policy.satisfaction();
//!
//! // SAT-05: three answers on the five-level scale.
//! let tally: FiveLevelTally = [5, 4, 2]
//!     .into_iter()
//!     .map(FiveLevel::try_from_value)
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(tally.top_two_box(), Rate::new(2, 3));
//! assert_eq!(tally.mean(), Some(Decimal::from(11) / Decimal::from(3)));
//!
//! // SAT-06: adequate 6, desired 9 on a 1–10 scale.
//! let expected = Expectations::try_new(Decimal::from(9), Decimal::from(6), Decimal::from(7))?;
//! assert_eq!(expected.judge(Decimal::from(6)), Perception::WithinZone);
//! assert_eq!(expected.judge(Decimal::from(10)), Perception::AboveDesired);
//!
//! // SAT-07: two promoters, one passive, one detractor: 50 % − 25 % = 25.
//! let mut nps = NpsTally::default();
//! for r in [10, 9, 8, 3] {
//!     nps.add(Recommendation::try_new(r)?, &sat.nps);
//! }
//! assert_eq!(nps.nps(), Some(Decimal::from(25)));
//!
//! // SAT-09: 13 vehicles received in a day is above the limit of 12.
//! assert_eq!(sat.workload.level(13), WorkloadLevel::Overloaded);
//!
//! // SAT-10: every factor scored 10 gives the full 1,000 points.
//! let mut csi = CsiTally::default();
//! for factor in CsiFactor::ALL {
//!     csi.add(*factor, Score::MAX);
//! }
//! assert_eq!(composite_index(&csi.means()?, &sat.csi_weights), Decimal::from(1000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::answer::{Extent, Recommendation, Score, YesNo};
use super::bands::{Band, ScoreBands};
use super::policy::{CsiWeights, NpsBands, WorkloadLimits};
use super::questionnaire::{Answer, Question, Questionnaire};
use crate::rate::Rate;
use crate::rule::RuleId;
use crate::units::Percent;

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// A measure that cannot be built: an answer off its scale, expectations
/// the wrong way round, a tally whose counts contradict each other, or a
/// composite index without a score for every factor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MeasureError {
    /// A five-level answer that is not 1–5 (the value given).
    #[error("five-level answer `{0}` is outside 1–5 (SAT-05)")]
    FiveLevelOutOfRange(u8),
    /// The adequate level is above the desired level, which leaves no zone
    /// of tolerance.
    #[error("adequate service `{adequate}` is above desired service `{desired}` (SAT-06)")]
    AdequateAboveDesired {
        /// The desired level given.
        desired: Decimal,
        /// The adequate level given.
        adequate: Decimal,
    },
    /// A factor tally with more favourable answers than answers, read from
    /// outside the crate.
    #[error("the {factor} tally has `{favourable}` favourable answers out of `{total}` (SAT-08)")]
    FavourableAboveTotal {
        /// The factor whose counts disagree.
        factor: Factor,
        /// The favourable answers given.
        favourable: u64,
        /// The answers given.
        total: u64,
    },
    /// A mean factor score outside 1–10.
    #[error("the mean {factor} score `{mean}` is outside 1–10 (SAT-10)")]
    MeanOutOfRange {
        /// The factor.
        factor: CsiFactor,
        /// The mean given.
        mean: Decimal,
    },
    /// No score has been recorded for a factor, so it has no mean.
    #[error("there are no {0} scores to take a mean of (SAT-10)")]
    NoScores(CsiFactor),
    /// A CSI tally whose sum cannot come from that many 1–10 scores, read
    /// from outside the crate.
    #[error(
        "the {factor} scores sum to `{sum}` over `{count}` answers, which 1–10 scores cannot (SAT-10)"
    )]
    InconsistentScores {
        /// The factor whose counts disagree.
        factor: CsiFactor,
        /// The sum given.
        sum: u64,
        /// The number of scores given.
        count: u64,
    },
}

impl MeasureError {
    /// The rule the input failed: SAT-05, SAT-06, SAT-08 or SAT-10.
    pub const fn rule(&self) -> RuleId {
        match self {
            MeasureError::FiveLevelOutOfRange(_) => RuleId::Sat05,
            MeasureError::AdequateAboveDesired { .. } => RuleId::Sat06,
            MeasureError::FavourableAboveTotal { .. } => RuleId::Sat08,
            MeasureError::MeanOutOfRange { .. }
            | MeasureError::NoScores(_)
            | MeasureError::InconsistentScores { .. } => RuleId::Sat10,
        }
    }
}

/// `count` as a decimal; a `u64` always fits.
fn dec(count: u64) -> Decimal {
    Decimal::from(count)
}

// ---------------------------------------------------------------------------
// SAT-05: the five-level scale
// ---------------------------------------------------------------------------

words! {
    /// An answer on the five-level survey scale of the special satisfaction
    /// survey (客户满意度专项调查, SAT-05), worst first, so `Ord` runs from
    /// completely dissatisfied to completely satisfied. The Chinese labels
    /// are the options \[003\] lists: 完全不满意, 不满意, 尚可, 满意, 完全满意.
    ///
    /// ```
    /// use aftersales::{FiveLevel, RuleId};
    ///
    /// assert_eq!(FiveLevel::try_from_value(4)?, FiveLevel::Satisfied);
    /// assert_eq!(FiveLevel::Satisfied.value(), 4);
    /// assert_eq!(FiveLevel::Satisfied.label_zh(), "满意");
    /// let err = FiveLevel::try_from_value(6).unwrap_err();
    /// assert_eq!(err.to_string(), "five-level answer `6` is outside 1–5 (SAT-05)");
    /// assert_eq!(err.rule(), RuleId::Sat05);
    /// # Ok::<(), aftersales::MeasureError>(())
    /// ```
    FiveLevel {
        /// 1: completely dissatisfied (完全不满意).
        CompletelyDissatisfied => "completely dissatisfied", "完全不满意";
        /// 2: dissatisfied (不满意).
        Dissatisfied => "dissatisfied", "不满意";
        /// 3: acceptable (尚可).
        Acceptable => "acceptable", "尚可";
        /// 4: satisfied (满意).
        Satisfied => "satisfied", "满意";
        /// 5: completely satisfied (完全满意).
        CompletelySatisfied => "completely satisfied", "完全满意";
    }
}

impl FiveLevel {
    /// The level's number on the form, 1 (completely dissatisfied) to 5
    /// (completely satisfied).
    pub const fn value(self) -> u8 {
        match self {
            FiveLevel::CompletelyDissatisfied => 1,
            FiveLevel::Dissatisfied => 2,
            FiveLevel::Acceptable => 3,
            FiveLevel::Satisfied => 4,
            FiveLevel::CompletelySatisfied => 5,
        }
    }

    /// The level numbered `value` on the form.
    ///
    /// # Errors
    ///
    /// [`MeasureError::FiveLevelOutOfRange`] for 0 and for 6 and above: an
    /// answer off the scale is an error, never clamped.
    pub const fn try_from_value(value: u8) -> Result<FiveLevel, MeasureError> {
        match value {
            1 => Ok(FiveLevel::CompletelyDissatisfied),
            2 => Ok(FiveLevel::Dissatisfied),
            3 => Ok(FiveLevel::Acceptable),
            4 => Ok(FiveLevel::Satisfied),
            5 => Ok(FiveLevel::CompletelySatisfied),
            other => Err(MeasureError::FiveLevelOutOfRange(other)),
        }
    }
}

impl TryFrom<u8> for FiveLevel {
    type Error = MeasureError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        FiveLevel::try_from_value(value)
    }
}

impl From<FiveLevel> for u8 {
    fn from(level: FiveLevel) -> u8 {
        level.value()
    }
}

/// How many answers fell on each level of the five-level scale (SAT-05).
///
/// Shares are exact [`Rate`]s over all answers, so an empty tally reads
/// "n/a" rather than 0 %.
///
/// ```
/// use aftersales::{FiveLevel, FiveLevelTally, Rate};
/// use rust_decimal::Decimal;
///
/// let mut tally = FiveLevelTally::default();
/// tally.add(FiveLevel::CompletelySatisfied);
/// tally.add(FiveLevel::Satisfied);
/// tally.add(FiveLevel::Acceptable);
/// tally.add(FiveLevel::Dissatisfied);
/// assert_eq!(tally.total(), 4);
/// assert_eq!(tally.share(FiveLevel::Acceptable), Rate::new(1, 4));
/// assert_eq!(tally.top_two_box().to_string(), "50.00%");
/// assert_eq!(tally.mean(), Some(Decimal::new(35, 1))); // (5 + 4 + 3 + 2) / 4
/// assert_eq!(FiveLevelTally::default().mean(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FiveLevelTally {
    /// Answers "completely dissatisfied" (1).
    pub completely_dissatisfied: u64,
    /// Answers "dissatisfied" (2).
    pub dissatisfied: u64,
    /// Answers "acceptable" (3).
    pub acceptable: u64,
    /// Answers "satisfied" (4).
    pub satisfied: u64,
    /// Answers "completely satisfied" (5).
    pub completely_satisfied: u64,
}

impl FiveLevelTally {
    fn slot(&mut self, level: FiveLevel) -> &mut u64 {
        match level {
            FiveLevel::CompletelyDissatisfied => &mut self.completely_dissatisfied,
            FiveLevel::Dissatisfied => &mut self.dissatisfied,
            FiveLevel::Acceptable => &mut self.acceptable,
            FiveLevel::Satisfied => &mut self.satisfied,
            FiveLevel::CompletelySatisfied => &mut self.completely_satisfied,
        }
    }

    /// Counts one answer.
    pub fn add(&mut self, level: FiveLevel) {
        let slot = self.slot(level);
        *slot = slot.saturating_add(1);
    }

    /// Adds `other`'s counts to this tally.
    pub fn merge(&mut self, other: &FiveLevelTally) {
        for level in FiveLevel::ALL {
            let slot = self.slot(*level);
            *slot = slot.saturating_add(other.count(*level));
        }
    }

    /// The answers on `level`.
    pub const fn count(&self, level: FiveLevel) -> u64 {
        match level {
            FiveLevel::CompletelyDissatisfied => self.completely_dissatisfied,
            FiveLevel::Dissatisfied => self.dissatisfied,
            FiveLevel::Acceptable => self.acceptable,
            FiveLevel::Satisfied => self.satisfied,
            FiveLevel::CompletelySatisfied => self.completely_satisfied,
        }
    }

    /// All answers.
    pub fn total(&self) -> u64 {
        FiveLevel::ALL
            .iter()
            .fold(0u64, |sum, level| sum.saturating_add(self.count(*level)))
    }

    /// The answers on `level` out of all answers.
    pub fn share(&self, level: FiveLevel) -> Rate {
        Rate::new(self.count(level), self.total())
    }

    /// The top-two box: satisfied and completely satisfied out of all
    /// answers.
    pub fn top_two_box(&self) -> Rate {
        Rate::new(
            self.satisfied.saturating_add(self.completely_satisfied),
            self.total(),
        )
    }

    /// The mean level, 1–5, as an unrounded decimal; `None` when the tally
    /// is empty. A mean whose decimal expansion does not end (11 / 3) is
    /// carried to the 28 significant digits a [`Decimal`] holds.
    pub fn mean(&self) -> Option<Decimal> {
        let mut sum = Decimal::ZERO;
        let mut total = Decimal::ZERO;
        for level in FiveLevel::ALL {
            let count = dec(self.count(*level));
            sum = sum.checked_add(count.checked_mul(Decimal::from(level.value()))?)?;
            total = total.checked_add(count)?;
        }
        if total.is_zero() {
            return None;
        }
        sum.checked_div(total)
    }
}

impl Extend<FiveLevel> for FiveLevelTally {
    fn extend<I: IntoIterator<Item = FiveLevel>>(&mut self, levels: I) {
        for level in levels {
            self.add(level);
        }
    }
}

impl FromIterator<FiveLevel> for FiveLevelTally {
    fn from_iter<I: IntoIterator<Item = FiveLevel>>(levels: I) -> Self {
        let mut tally = FiveLevelTally::default();
        tally.extend(levels);
        tally
    }
}

// ---------------------------------------------------------------------------
// SAT-06: expectations and the zone of tolerance
// ---------------------------------------------------------------------------

words! {
    /// Where a perceived service level falls against the customer's
    /// [`Expectations`] (SAT-06), worst first.
    Perception {
        /// Below the adequate level: the customer is dissatisfied (不满意).
        BelowAdequate => "dissatisfied", "不满意";
        /// From the adequate level up to the desired level, both included:
        /// within the zone of tolerance (容忍区间内), accepted without
        /// delight.
        WithinZone => "within the zone of tolerance", "容忍区间内";
        /// Above the desired level: the customer is delighted (惊喜).
        AboveDesired => "delighted", "惊喜";
    }
}

/// What a customer expects of the service (SAT-06, \[001\] 客户满意): the
/// desired level (what they hope for), the adequate level (the least they
/// will accept) and the predicted level (what they think they will
/// actually get), on any numeric scale the dealer surveys with (1–10, 1–5,
/// 0–100).
///
/// The zone of tolerance runs from adequate to desired, **both ends
/// included**: a service perceived exactly at the adequate level is
/// tolerated, not a failure, and one exactly at the desired level is what
/// was hoped for, not yet a delight. Adequate may equal desired, which
/// leaves a zone of one point.
///
/// The predicted level is recorded but not checked: a customer who
/// expects poor service predicts below adequate, one who expects the best
/// predicts above desired, and both are worth knowing.
/// [`Expectations::predicted_perception`] judges it like a perceived level.
///
/// Serde reads and writes the three levels as decimals and rejects
/// adequate above desired.
///
/// ```
/// use aftersales::{Expectations, Perception, RuleId};
/// use rust_decimal::Decimal;
///
/// let d = |s: &str| s.parse::<Decimal>();
/// let e = Expectations::try_new(d("9")?, d("6.5")?, d("5")?)?;
/// assert_eq!(e.zone_width(), d("2.5")?);
/// assert_eq!(e.judge(d("6.4")?), Perception::BelowAdequate);
/// assert_eq!(e.judge(d("6.5")?), Perception::WithinZone);
/// assert_eq!(e.judge(d("9")?), Perception::WithinZone);
/// assert_eq!(e.judge(d("9.1")?), Perception::AboveDesired);
/// assert_eq!(e.predicted_perception(), Perception::BelowAdequate);
///
/// let err = Expectations::try_new(d("6")?, d("7")?, d("6")?).unwrap_err();
/// assert_eq!(err.to_string(), "adequate service `7` is above desired service `6` (SAT-06)");
/// assert_eq!(err.rule(), RuleId::Sat06);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ExpectationsRepr", into = "ExpectationsRepr")]
pub struct Expectations {
    desired: Decimal,
    adequate: Decimal,
    predicted: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectationsRepr {
    #[serde(with = "crate::decimal::exact")]
    desired: Decimal,
    #[serde(with = "crate::decimal::exact")]
    adequate: Decimal,
    #[serde(with = "crate::decimal::exact")]
    predicted: Decimal,
}

impl TryFrom<ExpectationsRepr> for Expectations {
    type Error = MeasureError;
    fn try_from(r: ExpectationsRepr) -> Result<Self, Self::Error> {
        Expectations::try_new(r.desired, r.adequate, r.predicted)
    }
}

impl From<Expectations> for ExpectationsRepr {
    fn from(e: Expectations) -> Self {
        ExpectationsRepr {
            desired: e.desired,
            adequate: e.adequate,
            predicted: e.predicted,
        }
    }
}

impl Expectations {
    /// The expectations `desired`, `adequate` and `predicted`.
    ///
    /// # Errors
    ///
    /// [`MeasureError::AdequateAboveDesired`] when `adequate` is above
    /// `desired`. `predicted` may lie anywhere.
    pub fn try_new(
        desired: Decimal,
        adequate: Decimal,
        predicted: Decimal,
    ) -> Result<Expectations, MeasureError> {
        if adequate > desired {
            return Err(MeasureError::AdequateAboveDesired { desired, adequate });
        }
        Ok(Expectations {
            desired,
            adequate,
            predicted,
        })
    }

    /// The desired level: the top of the zone of tolerance.
    pub const fn desired(&self) -> Decimal {
        self.desired
    }

    /// The adequate level: the bottom of the zone of tolerance.
    pub const fn adequate(&self) -> Decimal {
        self.adequate
    }

    /// The predicted level.
    pub const fn predicted(&self) -> Decimal {
        self.predicted
    }

    /// Where the `perceived` level falls: below adequate, within the zone
    /// (adequate and desired included) or above desired.
    pub fn judge(&self, perceived: Decimal) -> Perception {
        if perceived < self.adequate {
            Perception::BelowAdequate
        } else if perceived > self.desired {
            Perception::AboveDesired
        } else {
            Perception::WithinZone
        }
    }

    /// Where the predicted level falls, judged like a perceived one: what
    /// the customer expects to feel before the visit.
    pub fn predicted_perception(&self) -> Perception {
        self.judge(self.predicted)
    }

    /// Desired minus adequate: the width of the zone of tolerance, zero or
    /// more. A narrow zone is a customer with little patience for anything
    /// short of the best. Saturates at [`Decimal::MAX`] for levels near
    /// the ends of the decimal range.
    pub fn zone_width(&self) -> Decimal {
        self.desired.saturating_sub(self.adequate)
    }
}

// ---------------------------------------------------------------------------
// SAT-07: Net Promoter Score
// ---------------------------------------------------------------------------

words! {
    /// A customer's group on the 0–10 recommendation (SAT-07), under
    /// [`NpsBands`]: promoters 9–10, passives 7–8 and detractors 0–6 by
    /// default.
    NpsGroup {
        /// Would recommend the dealer (推荐者).
        Promoter => "promoter", "推荐者";
        /// Neither promotes nor detracts (中立者).
        Passive => "passive", "中立者";
        /// Would advise against the dealer (贬损者).
        Detractor => "detractor", "贬损者";
    }
}

impl NpsBands {
    /// The group of `recommendation`: a promoter from `promoter_from` up, a
    /// detractor up to `detractor_to`, a passive between. A validated
    /// policy keeps the bands apart; for unchecked bands that overlap, the
    /// promoter band wins.
    ///
    /// ```
    /// use aftersales::{NpsBands, NpsGroup, Recommendation};
    ///
    /// let bands = NpsBands::default();
    /// assert_eq!(bands.group(Recommendation::try_new(9)?), NpsGroup::Promoter);
    /// assert_eq!(bands.group(Recommendation::try_new(8)?), NpsGroup::Passive);
    /// assert_eq!(bands.group(Recommendation::try_new(6)?), NpsGroup::Detractor);
    /// # Ok::<(), aftersales::AnswerError>(())
    /// ```
    pub fn group(self, recommendation: Recommendation) -> NpsGroup {
        if recommendation >= self.promoter_from {
            NpsGroup::Promoter
        } else if recommendation <= self.detractor_to {
            NpsGroup::Detractor
        } else {
            NpsGroup::Passive
        }
    }
}

/// Promoters, passives and detractors counted for the Net Promoter Score
/// (SAT-07).
///
/// ```
/// use aftersales::{NpsBands, NpsTally, Recommendation};
/// use rust_decimal::Decimal;
///
/// let bands = NpsBands::default();
/// let mut tally = NpsTally::default();
/// for r in [10, 9, 9, 7, 6, 0] {
///     tally.add(Recommendation::try_new(r)?, &bands);
/// }
/// // 3 of 6 promoters, 2 of 6 detractors: 50 − 33.33… = 16.66…
/// assert_eq!(tally.nps(), Some(Decimal::from(100) / Decimal::from(6)));
/// assert_eq!(tally.nps_rounded(1), Some(Decimal::new(167, 1)));
/// assert_eq!(NpsTally::default().nps(), None);
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NpsTally {
    /// Promoters counted.
    pub promoters: u64,
    /// Passives counted.
    pub passives: u64,
    /// Detractors counted.
    pub detractors: u64,
}

impl NpsTally {
    fn slot(&mut self, group: NpsGroup) -> &mut u64 {
        match group {
            NpsGroup::Promoter => &mut self.promoters,
            NpsGroup::Passive => &mut self.passives,
            NpsGroup::Detractor => &mut self.detractors,
        }
    }

    /// Counts one recommendation in its group under `bands`.
    pub fn add(&mut self, recommendation: Recommendation, bands: &NpsBands) {
        self.add_group(bands.group(recommendation));
    }

    /// Counts one customer already grouped.
    pub fn add_group(&mut self, group: NpsGroup) {
        let slot = self.slot(group);
        *slot = slot.saturating_add(1);
    }

    /// Adds `other`'s counts to this tally.
    pub fn merge(&mut self, other: &NpsTally) {
        for group in NpsGroup::ALL {
            let slot = self.slot(*group);
            *slot = slot.saturating_add(other.count(*group));
        }
    }

    /// The customers in `group`.
    pub const fn count(&self, group: NpsGroup) -> u64 {
        match group {
            NpsGroup::Promoter => self.promoters,
            NpsGroup::Passive => self.passives,
            NpsGroup::Detractor => self.detractors,
        }
    }

    /// All customers counted.
    pub const fn total(&self) -> u64 {
        self.promoters
            .saturating_add(self.passives)
            .saturating_add(self.detractors)
    }

    /// The customers in `group` out of all counted.
    pub const fn share(&self, group: NpsGroup) -> Rate {
        Rate::new(self.count(group), self.total())
    }

    /// Promoters minus detractors and all customers, as decimals.
    fn parts(&self) -> Option<(Decimal, Decimal)> {
        let total = dec(self.promoters)
            .checked_add(dec(self.passives))?
            .checked_add(dec(self.detractors))?;
        if total.is_zero() {
            return None;
        }
        Some((
            dec(self.promoters).checked_sub(dec(self.detractors))?,
            total,
        ))
    }

    /// The Net Promoter Score: the percentage of promoters minus the
    /// percentage of detractors, from −100 (all detractors) to 100 (all
    /// promoters); `None` when nobody was counted.
    ///
    /// Not rounded: a score whose decimal expansion does not end (100 / 6)
    /// is carried to the 28 significant digits a [`Decimal`] holds. Show it
    /// with [`NpsTally::nps_rounded`].
    pub fn nps(&self) -> Option<Decimal> {
        let (net, total) = self.parts()?;
        net.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(total)
    }

    /// [`NpsTally::nps`] rounded half away from zero to `decimals` places
    /// and shown with exactly that many (25 at 1 place reads `25.0`): 12.5
    /// rounds to 13 and −12.5 to −13. The rounding is done on the exact
    /// ratio of the counts whenever the result fits a [`Decimal`] (always
    /// up to 17 places), otherwise on [`NpsTally::nps`], with as many places
    /// as a decimal can show. `None` when nobody was counted.
    pub fn nps_rounded(&self, decimals: u32) -> Option<Decimal> {
        self.nps_rounded_exactly(decimals).or_else(|| {
            let mut nps = self
                .nps()?
                .round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero);
            nps.rescale(decimals);
            Some(nps)
        })
    }

    /// Rounds 100 × (promoters − detractors) / total in whole numbers;
    /// `None` when nobody was counted or the numbers outgrow `u128`.
    fn nps_rounded_exactly(&self, decimals: u32) -> Option<Decimal> {
        let promoters = u128::from(self.promoters);
        let detractors = u128::from(self.detractors);
        let total = promoters
            .checked_add(u128::from(self.passives))?
            .checked_add(detractors)?;
        if total == 0 {
            return None;
        }
        let negative = detractors > promoters;
        let net = promoters.abs_diff(detractors);
        let scaled = net
            .checked_mul(100)?
            .checked_mul(10u128.checked_pow(decimals)?)?;
        let quotient = scaled.checked_div(total)?;
        let remainder = scaled.checked_rem(total)?;
        let rounded = if remainder.checked_mul(2)? >= total {
            quotient.checked_add(1)?
        } else {
            quotient
        };
        let magnitude = i128::try_from(rounded).ok()?;
        let signed = if negative {
            magnitude.checked_neg()?
        } else {
            magnitude
        };
        Decimal::try_from_i128_with_scale(signed, decimals).ok()
    }
}

// ---------------------------------------------------------------------------
// SAT-08: hygiene factors and satisfiers
// ---------------------------------------------------------------------------

words! {
    /// Which kind of factor a survey question measures (SAT-08, \[003\]
    /// 保健因子 / 满意因子).
    Factor {
        /// A hygiene factor (保健因子): the basics the customer takes for
        /// granted. Getting them right only prevents dissatisfaction;
        /// getting them wrong causes it.
        Hygiene => "hygiene factor", "保健因子";
        /// A satisfier (满意因子): what makes the customer feel understood,
        /// welcome, comfortable and important. Getting it right raises
        /// satisfaction.
        Satisfier => "satisfier", "满意因子";
    }
}

impl Question {
    /// The factor the question measures (SAT-08); `None` for the overall
    /// score, which sums up both kinds, and for the free remarks.
    ///
    /// The test for each question: does the best answer *raise*
    /// satisfaction (a satisfier), or does it only avoid dissatisfaction,
    /// because the customer takes it for granted (a hygiene factor)? The
    /// rulebook names the fixed fault, on-time delivery, repair quality and
    /// correct diagnosis as hygiene, and feeling understood, welcome,
    /// comfortable and important as satisfiers.
    ///
    /// | question | factor | why |
    /// |---|---|---|
    /// | after-sales Q1 overall satisfaction | — | the overall score, both kinds at once |
    /// | after-sales Q2 greeted promptly | satisfier | a warm greeting: feeling welcome |
    /// | after-sales Q3 walk-around explained | satisfier | the advisor looks at the car with the customer: feeling important |
    /// | after-sales Q4 items, cost and time explained and signed | satisfier | knowing what will be done and what it costs: feeling understood |
    /// | after-sales Q5 delivered on time | hygiene | on-time delivery, named by the rulebook |
    /// | after-sales Q6 charges and work explained at the vehicle | satisfier | the work shown and explained: feeling understood |
    /// | after-sales Q7 appointment service and next maintenance advised | satisfier | being looked after beyond this visit: feeling important |
    /// | after-sales Q8 old parts shown | satisfier | seeing what was replaced: feeling understood and trusted |
    /// | after-sales Q9 diagnosis ability | hygiene | correct diagnosis, named by the rulebook |
    /// | after-sales Q10 work quality and time | hygiene | repair quality and the fault fixed, named by the rulebook |
    /// | after-sales Q11 remarks | — | free text |
    /// | sales Q1 waiting time | hygiene | asks only how long the wait was: a short wait is taken for granted, a long one annoys; unlike after-sales Q2 it says nothing of a warm welcome |
    /// | sales Q2 product information | satisfier | the consultant understood what the customer wanted to know |
    /// | sales Q3 test drive offered | satisfier | an offer beyond the basics: feeling important |
    /// | sales Q4 delivery time met | hygiene | the sales side of on-time delivery |
    /// | sales Q5 fuel warning light on | hygiene | a car handed over ready to drive is taken for granted; an empty tank only annoys |
    /// | sales Q6 all questions answered | satisfier | feeling understood |
    /// | sales Q7 use and maintenance explained | satisfier | being shown how to live with the car: feeling understood and looked after |
    /// | sales Q8 contacted after delivery | satisfier | being remembered after the sale: feeling important |
    /// | sales Q9 advisor introduced, first maintenance reminded | satisfier | a named person to turn to: feeling welcome and looked after |
    /// | sales Q10 cashier efficiency and attitude | hygiene | paying is a formality the customer wants done quickly and politely; it prevents annoyance rather than delighting |
    /// | sales Q11 remarks | — | free text |
    ///
    /// ```
    /// use aftersales::{Factor, Question};
    ///
    /// assert_eq!(Question::AfterSalesDeliveredOnTime.factor(), Some(Factor::Hygiene));
    /// assert_eq!(Question::AfterSalesOldPartsShown.factor(), Some(Factor::Satisfier));
    /// assert_eq!(Question::AfterSalesOverall.factor(), None);
    /// ```
    pub const fn factor(self) -> Option<Factor> {
        match self {
            Question::AfterSalesOverall | Question::AfterSalesRemarks | Question::SalesRemarks => {
                None
            }
            Question::AfterSalesDeliveredOnTime
            | Question::AfterSalesDiagnosis
            | Question::AfterSalesQualityAndTime
            | Question::SalesWaitingTime
            | Question::SalesDeliveryTimeMet
            | Question::SalesFuelLightOn
            | Question::SalesCashierSatisfied => Some(Factor::Hygiene),
            Question::AfterSalesGreetedPromptly
            | Question::AfterSalesWalkAroundExplained
            | Question::AfterSalesExplainedAndSigned
            | Question::AfterSalesChargesExplainedAtVehicle
            | Question::AfterSalesNextServiceAdvised
            | Question::AfterSalesOldPartsShown
            | Question::SalesProductInformation
            | Question::SalesTestDriveOffered
            | Question::SalesQuestionsAnswered
            | Question::SalesUseAndMaintenance
            | Question::SalesContactedAfterDelivery
            | Question::SalesAdvisorIntroduced => Some(Factor::Satisfier),
        }
    }
}

/// Whether `answer` to `question` is favourable: a score in the
/// fully-satisfied band; otherwise the answer the process expects, and for
/// the one closed question without one (sales Q10, the cashier) `Yes`.
fn favourable(question: Question, answer: Answer, bands: &ScoreBands) -> bool {
    match answer {
        Answer::Score(score) => bands.band(score) == Band::FullySatisfied,
        Answer::YesNo(yes_no) => question
            .expected()
            .map_or(yes_no == YesNo::Yes, |expected| expected == answer),
        Answer::Extent(extent) => question
            .expected()
            .map_or(extent == Extent::Fully, |expected| expected == answer),
    }
}

/// Favourable answers out of answers, for one factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FactorCount {
    favourable: u64,
    total: u64,
}

/// How the answers to the hygiene questions and to the satisfier questions
/// came out (SAT-08), over any number of questionnaires of either form.
///
/// Each tagged question ([`Question::factor`]) answered counts once for its
/// factor; it counts as favourable when
/// - a yes/no or extent question has the answer the process expects
///   ([`Question::expected`]: `Yes`, `Fully`, and `No` for the sales fuel
///   warning light), or `Yes` for sales Q10 (the cashier), which has no
///   expected answer but asks whether the customer was satisfied;
/// - a score question scored in the fully-satisfied band of the
///   [`ScoreBands`] (8–10 by default).
///
/// Serde reads and writes
/// `{"hygiene": {"favourable": 3, "total": 4}, "satisfier": {…}}` and
/// rejects more favourable answers than answers.
///
/// ```
/// use aftersales::{
///     AfterSalesAnswers, Extent, Factor, FactorTally, Questionnaire, Rate, Score, ScoreBands,
///     YesNo,
/// };
///
/// let form = Questionnaire::AfterSales(AfterSalesAnswers {
///     overall: Score::try_new(9)?,
///     greeted_promptly: YesNo::Yes,
///     walk_around_explained: YesNo::No,
///     explained_and_signed: Extent::Partly,
///     delivered_on_time: YesNo::Yes,
///     charges_explained_at_vehicle: YesNo::Yes,
///     next_service_advised: YesNo::Yes,
///     old_parts_shown: YesNo::Yes,
///     diagnosis: Score::try_new(9)?,
///     quality_and_time: Score::try_new(7)?,
///     remarks: None,
/// });
/// let mut tally = FactorTally::default();
/// tally.add(&form, &ScoreBands::default());
/// // Q5 yes and Q9 9 are favourable, Q10 7 is not.
/// assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(2, 3));
/// // Q3 no and Q4 partly are not.
/// assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(4, 6));
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "FactorTallyRepr", into = "FactorTallyRepr")]
pub struct FactorTally {
    hygiene: FactorCount,
    satisfier: FactorCount,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FactorTallyRepr {
    hygiene: FactorCount,
    satisfier: FactorCount,
}

impl TryFrom<FactorTallyRepr> for FactorTally {
    type Error = MeasureError;
    fn try_from(r: FactorTallyRepr) -> Result<Self, Self::Error> {
        let tally = FactorTally {
            hygiene: r.hygiene,
            satisfier: r.satisfier,
        };
        for factor in Factor::ALL {
            let FactorCount { favourable, total } = tally.counts(*factor);
            if favourable > total {
                return Err(MeasureError::FavourableAboveTotal {
                    factor: *factor,
                    favourable,
                    total,
                });
            }
        }
        Ok(tally)
    }
}

impl From<FactorTally> for FactorTallyRepr {
    fn from(t: FactorTally) -> Self {
        FactorTallyRepr {
            hygiene: t.hygiene,
            satisfier: t.satisfier,
        }
    }
}

impl FactorTally {
    const fn counts(&self, factor: Factor) -> FactorCount {
        match factor {
            Factor::Hygiene => self.hygiene,
            Factor::Satisfier => self.satisfier,
        }
    }

    fn slot(&mut self, factor: Factor) -> &mut FactorCount {
        match factor {
            Factor::Hygiene => &mut self.hygiene,
            Factor::Satisfier => &mut self.satisfier,
        }
    }

    /// Counts every tagged answer of `questionnaire`, judging scores by
    /// `bands`.
    pub fn add(&mut self, questionnaire: &Questionnaire, bands: &ScoreBands) {
        for &question in questionnaire.form().questions() {
            let (Some(factor), Some(answer)) = (question.factor(), questionnaire.answer(question))
            else {
                continue;
            };
            let good = u64::from(favourable(question, answer, bands));
            let slot = self.slot(factor);
            slot.total = slot.total.saturating_add(1);
            slot.favourable = slot.favourable.saturating_add(good);
        }
    }

    /// Adds `other`'s counts to this tally.
    pub fn merge(&mut self, other: &FactorTally) {
        for factor in Factor::ALL {
            let theirs = other.counts(*factor);
            let slot = self.slot(*factor);
            slot.total = slot.total.saturating_add(theirs.total);
            slot.favourable = slot.favourable.saturating_add(theirs.favourable);
        }
    }

    /// The favourable answers to `factor`'s questions out of all answers to
    /// them; "n/a" before any.
    pub const fn favourable(&self, factor: Factor) -> Rate {
        let FactorCount { favourable, total } = self.counts(factor);
        Rate::new(favourable, total)
    }
}

// ---------------------------------------------------------------------------
// SAT-09: advisor workload
// ---------------------------------------------------------------------------

words! {
    /// How busy a service advisor's day was, by vehicles received (SAT-09),
    /// lightest first.
    WorkloadLevel {
        /// Fewer than the optimal load (偏少).
        Light => "light", "偏少";
        /// The optimal load, 8–10 by default (最佳).
        Optimal => "optimal", "最佳";
        /// Above the optimal load, still within the daily limit (偏多).
        Busy => "busy", "偏多";
        /// Above the daily limit, 12 by default: satisfaction is at risk and
        /// the report flags the day (超负荷).
        Overloaded => "overloaded", "超负荷";
    }
}

impl WorkloadLevel {
    /// Whether a report flags the day (SAT-09): only when overloaded.
    pub const fn is_flagged(self) -> bool {
        matches!(self, WorkloadLevel::Overloaded)
    }
}

impl WorkloadLimits {
    /// The level of a day on which an advisor received `received` vehicles:
    /// light below `optimal_from`, optimal from `optimal_from` to
    /// `optimal_to`, busy above that up to `max_per_day`, overloaded above
    /// `max_per_day`. A day exactly at the limit is busy, not flagged: the
    /// rule flags *more than* 12. For unchecked limits out of order, the
    /// limit is tested first, so a day above it is always flagged.
    ///
    /// ```
    /// use aftersales::{WorkloadLevel, WorkloadLimits};
    ///
    /// let limits = WorkloadLimits::default();
    /// assert_eq!(limits.level(7), WorkloadLevel::Light);
    /// assert_eq!(limits.level(8), WorkloadLevel::Optimal);
    /// assert_eq!(limits.level(12), WorkloadLevel::Busy);
    /// assert!(limits.level(13).is_flagged());
    /// ```
    pub const fn level(self, received: u32) -> WorkloadLevel {
        if received > self.max_per_day {
            WorkloadLevel::Overloaded
        } else if received < self.optimal_from {
            WorkloadLevel::Light
        } else if received <= self.optimal_to {
            WorkloadLevel::Optimal
        } else {
            WorkloadLevel::Busy
        }
    }
}

// ---------------------------------------------------------------------------
// SAT-10: composite service index
// ---------------------------------------------------------------------------

words! {
    /// A factor of the composite service index (SAT-10), in the order of
    /// the [`CsiWeights`] fields.
    CsiFactor {
        /// Service quality (服务质量): the work done right.
        ServiceQuality => "service quality", "服务质量";
        /// Service initiation (服务启动): booking and reception.
        ServiceInitiation => "service initiation", "服务启动";
        /// The service advisor (服务顾问).
        ServiceAdvisor => "service advisor", "服务顾问";
        /// The facility (服务设施).
        Facility => "facility", "服务设施";
        /// Vehicle pick-up (取车): delivery back to the customer.
        VehiclePickUp => "vehicle pick-up", "取车";
    }
}

impl CsiWeights {
    /// The weight of `factor`, in percent.
    ///
    /// ```
    /// use aftersales::{CsiFactor, CsiWeights};
    /// use rust_decimal::Decimal;
    ///
    /// let weights = CsiWeights::default();
    /// assert_eq!(weights.weight(CsiFactor::ServiceQuality).get(), Decimal::from(27));
    /// assert_eq!(weights.weight(CsiFactor::VehiclePickUp).get(), Decimal::from(16));
    /// ```
    pub const fn weight(self, factor: CsiFactor) -> Percent {
        match factor {
            CsiFactor::ServiceQuality => self.service_quality,
            CsiFactor::ServiceInitiation => self.service_initiation,
            CsiFactor::ServiceAdvisor => self.service_advisor,
            CsiFactor::Facility => self.facility,
            CsiFactor::VehiclePickUp => self.vehicle_pick_up,
        }
    }
}

/// The mean score of each [`CsiFactor`] on the 1–10 scale (SAT-10), each
/// checked to lie within 1–10. Build it with [`FactorScores::try_new`] or
/// from survey answers with [`CsiTally::means`]; serde reads and writes
/// the five means by factor name and checks them the same way.
///
/// ```
/// use aftersales::{CsiFactor, FactorScores, RuleId};
/// use rust_decimal::Decimal;
///
/// let d = Decimal::from;
/// let scores = FactorScores::try_new(d(9), d(8), d(10), d(7), d(9))?;
/// assert_eq!(scores.get(CsiFactor::Facility), d(7));
///
/// let err = FactorScores::try_new(d(9), d(8), d(11), d(7), d(9)).unwrap_err();
/// assert_eq!(err.to_string(), "the mean service advisor score `11` is outside 1–10 (SAT-10)");
/// assert_eq!(err.rule(), RuleId::Sat10);
/// # Ok::<(), aftersales::MeasureError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "FactorScoresRepr", into = "FactorScoresRepr")]
pub struct FactorScores {
    service_quality: Decimal,
    service_initiation: Decimal,
    service_advisor: Decimal,
    facility: Decimal,
    vehicle_pick_up: Decimal,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorScoresRepr {
    #[serde(with = "crate::decimal::exact")]
    service_quality: Decimal,
    #[serde(with = "crate::decimal::exact")]
    service_initiation: Decimal,
    #[serde(with = "crate::decimal::exact")]
    service_advisor: Decimal,
    #[serde(with = "crate::decimal::exact")]
    facility: Decimal,
    #[serde(with = "crate::decimal::exact")]
    vehicle_pick_up: Decimal,
}

impl TryFrom<FactorScoresRepr> for FactorScores {
    type Error = MeasureError;
    fn try_from(r: FactorScoresRepr) -> Result<Self, Self::Error> {
        FactorScores::try_new(
            r.service_quality,
            r.service_initiation,
            r.service_advisor,
            r.facility,
            r.vehicle_pick_up,
        )
    }
}

impl From<FactorScores> for FactorScoresRepr {
    fn from(s: FactorScores) -> Self {
        FactorScoresRepr {
            service_quality: s.service_quality,
            service_initiation: s.service_initiation,
            service_advisor: s.service_advisor,
            facility: s.facility,
            vehicle_pick_up: s.vehicle_pick_up,
        }
    }
}

impl FactorScores {
    /// The five mean scores, in the order of [`CsiFactor::ALL`].
    ///
    /// # Errors
    ///
    /// [`MeasureError::MeanOutOfRange`] naming the first factor whose mean
    /// is below 1 or above 10.
    pub fn try_new(
        service_quality: Decimal,
        service_initiation: Decimal,
        service_advisor: Decimal,
        facility: Decimal,
        vehicle_pick_up: Decimal,
    ) -> Result<FactorScores, MeasureError> {
        let scores = FactorScores {
            service_quality,
            service_initiation,
            service_advisor,
            facility,
            vehicle_pick_up,
        };
        let low = Decimal::from(Score::MIN.get());
        let high = Decimal::from(Score::MAX.get());
        for factor in CsiFactor::ALL {
            let mean = scores.get(*factor);
            if mean < low || mean > high {
                return Err(MeasureError::MeanOutOfRange {
                    factor: *factor,
                    mean,
                });
            }
        }
        Ok(scores)
    }

    /// The mean score of `factor`, 1–10.
    pub const fn get(&self, factor: CsiFactor) -> Decimal {
        match factor {
            CsiFactor::ServiceQuality => self.service_quality,
            CsiFactor::ServiceInitiation => self.service_initiation,
            CsiFactor::ServiceAdvisor => self.service_advisor,
            CsiFactor::Facility => self.facility,
            CsiFactor::VehiclePickUp => self.vehicle_pick_up,
        }
    }
}

/// The composite service index (SAT-10): the weighted mean of the factor
/// scores, scaled from the 1–10 scale to 1,000 points.
///
/// Each factor contributes its weight in percent / 100 × its mean / 10 ×
/// 1,000, which is simply weight × mean. With weights that sum to 100 (a
/// validated [`SatisfactionPolicy`](crate::SatisfactionPolicy) checks it)
/// the index runs from 100 (every mean 1) to 1,000 (every mean 10).
///
/// The index is not rounded; round it for display as the report needs.
/// It is exact as long as the means are (a mean like 26 / 3 carries 28
/// significant digits, and so does the index).
///
/// ```
/// use aftersales::{CsiWeights, FactorScores, composite_index};
/// use rust_decimal::Decimal;
///
/// let d = Decimal::from;
/// let scores = FactorScores::try_new(d(9), d(8), d(10), d(7), d(9))?;
/// // 27 × 9 + 20 × 8 + 20 × 10 + 17 × 7 + 16 × 9 = 866
/// assert_eq!(composite_index(&scores, &CsiWeights::default()), d(866));
/// # Ok::<(), aftersales::MeasureError>(())
/// ```
pub fn composite_index(scores: &FactorScores, weights: &CsiWeights) -> Decimal {
    CsiFactor::ALL.iter().fold(Decimal::ZERO, |index, factor| {
        let points = weights
            .weight(*factor)
            .get()
            .saturating_mul(scores.get(*factor));
        index.saturating_add(points)
    })
}

/// The sum and number of 1–10 scores recorded for one factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ScoreSum {
    sum: u64,
    count: u64,
}

/// 1–10 scores per [`CsiFactor`] as they arrive, one survey answer at a
/// time (SAT-10), and their [`CsiTally::means`] for [`composite_index`].
///
/// Serde reads and writes each factor's sum and count,
/// `{"service_quality": {"sum": 45, "count": 5}, …}`, and rejects a sum that
/// that many 1–10 scores cannot reach.
///
/// ```
/// use aftersales::{CsiFactor, CsiTally, CsiWeights, MeasureError, Score, composite_index};
/// use rust_decimal::Decimal;
///
/// let mut tally = CsiTally::default();
/// for (factor, score) in [
///     (CsiFactor::ServiceQuality, 9),
///     (CsiFactor::ServiceQuality, 10),
///     (CsiFactor::ServiceInitiation, 8),
///     (CsiFactor::ServiceAdvisor, 10),
///     (CsiFactor::Facility, 7),
/// ] {
///     tally.add(factor, Score::try_new(score)?);
/// }
/// assert_eq!(tally.mean(CsiFactor::ServiceQuality), Some(Decimal::new(95, 1)));
/// assert_eq!(tally.means(), Err(MeasureError::NoScores(CsiFactor::VehiclePickUp)));
///
/// tally.add(CsiFactor::VehiclePickUp, Score::try_new(9)?);
/// let index = composite_index(&tally.means()?, &CsiWeights::default());
/// // 27 × 9.5 + 20 × 8 + 20 × 10 + 17 × 7 + 16 × 9 = 879.5
/// assert_eq!(index, Decimal::new(8795, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "CsiTallyRepr", into = "CsiTallyRepr")]
pub struct CsiTally {
    service_quality: ScoreSum,
    service_initiation: ScoreSum,
    service_advisor: ScoreSum,
    facility: ScoreSum,
    vehicle_pick_up: ScoreSum,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct CsiTallyRepr {
    service_quality: ScoreSum,
    service_initiation: ScoreSum,
    service_advisor: ScoreSum,
    facility: ScoreSum,
    vehicle_pick_up: ScoreSum,
}

impl TryFrom<CsiTallyRepr> for CsiTally {
    type Error = MeasureError;
    fn try_from(r: CsiTallyRepr) -> Result<Self, Self::Error> {
        let tally = CsiTally {
            service_quality: r.service_quality,
            service_initiation: r.service_initiation,
            service_advisor: r.service_advisor,
            facility: r.facility,
            vehicle_pick_up: r.vehicle_pick_up,
        };
        let most = u64::from(Score::MAX.get());
        for factor in CsiFactor::ALL {
            let ScoreSum { sum, count } = tally.sums(*factor);
            if sum < count || sum > count.saturating_mul(most) {
                return Err(MeasureError::InconsistentScores {
                    factor: *factor,
                    sum,
                    count,
                });
            }
        }
        Ok(tally)
    }
}

impl From<CsiTally> for CsiTallyRepr {
    fn from(t: CsiTally) -> Self {
        CsiTallyRepr {
            service_quality: t.service_quality,
            service_initiation: t.service_initiation,
            service_advisor: t.service_advisor,
            facility: t.facility,
            vehicle_pick_up: t.vehicle_pick_up,
        }
    }
}

impl CsiTally {
    const fn sums(&self, factor: CsiFactor) -> ScoreSum {
        match factor {
            CsiFactor::ServiceQuality => self.service_quality,
            CsiFactor::ServiceInitiation => self.service_initiation,
            CsiFactor::ServiceAdvisor => self.service_advisor,
            CsiFactor::Facility => self.facility,
            CsiFactor::VehiclePickUp => self.vehicle_pick_up,
        }
    }

    fn slot(&mut self, factor: CsiFactor) -> &mut ScoreSum {
        match factor {
            CsiFactor::ServiceQuality => &mut self.service_quality,
            CsiFactor::ServiceInitiation => &mut self.service_initiation,
            CsiFactor::ServiceAdvisor => &mut self.service_advisor,
            CsiFactor::Facility => &mut self.facility,
            CsiFactor::VehiclePickUp => &mut self.vehicle_pick_up,
        }
    }

    /// Records one `score` for `factor`.
    pub fn add(&mut self, factor: CsiFactor, score: Score) {
        let slot = self.slot(factor);
        slot.sum = slot.sum.saturating_add(u64::from(score.get()));
        slot.count = slot.count.saturating_add(1);
    }

    /// Adds `other`'s scores to this tally.
    pub fn merge(&mut self, other: &CsiTally) {
        for factor in CsiFactor::ALL {
            let theirs = other.sums(*factor);
            let slot = self.slot(*factor);
            slot.sum = slot.sum.saturating_add(theirs.sum);
            slot.count = slot.count.saturating_add(theirs.count);
        }
    }

    /// How many scores `factor` has.
    pub const fn count(&self, factor: CsiFactor) -> u64 {
        self.sums(factor).count
    }

    /// The mean score of `factor`, unrounded (28 significant digits when
    /// its expansion does not end); `None` before its first score.
    pub fn mean(&self, factor: CsiFactor) -> Option<Decimal> {
        let ScoreSum { sum, count } = self.sums(factor);
        if count == 0 {
            return None;
        }
        dec(sum).checked_div(dec(count))
    }

    /// The mean score of every factor.
    ///
    /// # Errors
    ///
    /// [`MeasureError::NoScores`] naming the first factor (in the order of
    /// [`CsiFactor::ALL`]) without a score: the index needs all five.
    pub fn means(&self) -> Result<FactorScores, MeasureError> {
        let mean = |factor: CsiFactor| self.mean(factor).ok_or(MeasureError::NoScores(factor));
        FactorScores::try_new(
            mean(CsiFactor::ServiceQuality)?,
            mean(CsiFactor::ServiceInitiation)?,
            mean(CsiFactor::ServiceAdvisor)?,
            mean(CsiFactor::Facility)?,
            mean(CsiFactor::VehiclePickUp)?,
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_error_names_its_rule_at_the_end() {
        let errors = [
            MeasureError::FiveLevelOutOfRange(0),
            MeasureError::AdequateAboveDesired {
                desired: Decimal::ONE,
                adequate: Decimal::TWO,
            },
            MeasureError::FavourableAboveTotal {
                factor: Factor::Hygiene,
                favourable: 2,
                total: 1,
            },
            MeasureError::MeanOutOfRange {
                factor: CsiFactor::Facility,
                mean: Decimal::ZERO,
            },
            MeasureError::NoScores(CsiFactor::Facility),
            MeasureError::InconsistentScores {
                factor: CsiFactor::Facility,
                sum: 0,
                count: 1,
            },
        ];
        for e in errors {
            let text = e.to_string();
            assert!(text.ends_with(&format!("({})", e.rule())), "{text}");
        }
    }

    #[test]
    fn exact_rounding_agrees_with_decimal_rounding_where_both_apply() {
        let tally = NpsTally {
            promoters: 1,
            passives: 5,
            detractors: 0,
        };
        // 100 / 6 = 16.666…
        assert_eq!(tally.nps_rounded_exactly(2), Some(Decimal::new(1667, 2)));
        assert_eq!(
            tally.nps_rounded_exactly(20).unwrap().round_dp(2),
            Decimal::new(1667, 2)
        );
        // More places than a decimal holds: rounded from the 28-digit nps.
        assert_eq!(tally.nps_rounded_exactly(30), None);
        let wide = tally.nps_rounded(30).unwrap();
        assert_eq!(wide.scale(), 27); // 16. and 27 places: all 29 digits a decimal holds
        assert_eq!(wide.round_dp(2), Decimal::new(1667, 2));
        assert_eq!(wide.round_dp(2), Decimal::new(1667, 2));
    }
}
