//! Section 5 of the [`Policy`](crate::Policy): [`SatisfactionPolicy`] and
//! its parts [`NpsBands`], [`WorkloadLimits`] and [`CsiWeights`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::answer::{Recommendation, Score};
use super::bands::ScoreBands;
use super::questionnaire::SalesScoreBasis;
use crate::policy::{PolicyError, invalid};
use crate::rule::RuleId;
use crate::units::Percent;

/// Section 5: satisfaction.
///
/// ```
/// use aftersales::{Policy, SalesScoreBasis};
///
/// let policy: Policy =
///     serde_json::from_str(r#"{ "satisfaction": { "bands": { "fully_from": 9 } } }"#)?;
/// assert_eq!(policy.satisfaction().bands.fully_from.get(), 9);
/// assert_eq!(policy.satisfaction().bands.basic_from.get(), 6); // default kept
/// assert_eq!(policy.satisfaction().workload.max_per_day, 12);
/// assert_eq!(policy.satisfaction().rate_decimals, 2);
/// assert_eq!(policy.satisfaction().sales_score, SalesScoreBasis::Mean);
///
/// let overlapping = r#"{ "satisfaction": { "bands": { "fully_from": 6, "basic_from": 6 } } }"#;
/// let err = serde_json::from_str::<Policy>(overlapping).unwrap_err();
/// assert!(err.to_string().contains("SAT-01"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SatisfactionPolicy {
    /// SAT-01: the score bands (fully satisfied from 8, basically satisfied
    /// from 6).
    pub bands: ScoreBands,
    /// FU-11, SAT-01: how the sales form's score is formed from its scored
    /// questions Q1, Q2 and Q7, since the form has no overall question
    /// (default: their mean, rounded half up).
    pub sales_score: SalesScoreBasis,
    /// SAT-03: the decimals a rate is shown with, in percent, rounded half
    /// away from zero (2: `66.67%`). At most 6. The counts behind every
    /// rate are kept, so the rounding only touches what is shown.
    pub rate_decimals: u32,
    /// SAT-07: where promoters start and detractors end.
    pub nps: NpsBands,
    /// SAT-09: the advisor's daily reception load.
    pub workload: WorkloadLimits,
    /// SAT-10: the weights of the composite service index.
    pub csi_weights: CsiWeights,
}

impl Default for SatisfactionPolicy {
    fn default() -> Self {
        SatisfactionPolicy {
            bands: ScoreBands::default(),
            sales_score: SalesScoreBasis::default(),
            rate_decimals: 2,
            nps: NpsBands::default(),
            workload: WorkloadLimits::default(),
            csi_weights: CsiWeights::default(),
        }
    }
}

/// The largest [`SatisfactionPolicy::rate_decimals`].
pub(crate) const MAX_RATE_DECIMALS: u32 = 6;

/// The Net Promoter Score bands on the 0–10 recommendation (SAT-07):
/// promoters from 9, detractors up to 6, passives between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NpsBands {
    /// The lowest promoter recommendation (9).
    pub promoter_from: Recommendation,
    /// The highest detractor recommendation (6).
    pub detractor_to: Recommendation,
}

impl Default for NpsBands {
    fn default() -> Self {
        NpsBands {
            promoter_from: Recommendation::PROMOTER_FROM,
            detractor_to: Recommendation::DETRACTOR_TO,
        }
    }
}

/// How many vehicles a service advisor receives in a day (SAT-09): above
/// `max_per_day` satisfaction is at risk and the report flags the day;
/// `optimal_from` to `optimal_to` is the load the source calls best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkloadLimits {
    /// The most vehicles a day before the day is flagged (12).
    pub max_per_day: u32,
    /// The lowest optimal load (8).
    pub optimal_from: u32,
    /// The highest optimal load (10).
    pub optimal_to: u32,
}

impl Default for WorkloadLimits {
    fn default() -> Self {
        WorkloadLimits {
            max_per_day: 12,
            optimal_from: 8,
            optimal_to: 10,
        }
    }
}

/// The weights of the composite service index (SAT-10), in percent; they
/// sum to 100. The defaults are the industry index the rulebook quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CsiWeights {
    /// Service quality (27 %).
    pub service_quality: Percent,
    /// Service initiation (20 %).
    pub service_initiation: Percent,
    /// The service advisor (20 %).
    pub service_advisor: Percent,
    /// The facility (17 %).
    pub facility: Percent,
    /// Vehicle pick-up (16 %).
    pub vehicle_pick_up: Percent,
}

impl Default for CsiWeights {
    fn default() -> Self {
        let pct = |n: i64| Percent::try_new(Decimal::from(n)).unwrap_or(Percent::ZERO);
        CsiWeights {
            service_quality: pct(27),
            service_initiation: pct(20),
            service_advisor: pct(20),
            facility: pct(17),
            vehicle_pick_up: pct(16),
        }
    }
}

impl CsiWeights {
    /// The five weights in the order of the fields.
    pub fn all(&self) -> [Percent; 5] {
        [
            self.service_quality,
            self.service_initiation,
            self.service_advisor,
            self.facility,
            self.vehicle_pick_up,
        ]
    }

    /// The sum of the weights, in percent.
    pub fn total(&self) -> Decimal {
        self.all()
            .iter()
            .fold(Decimal::ZERO, |sum, w| sum.saturating_add(w.get()))
    }
}

impl SatisfactionPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] on
    /// - `satisfaction.bands` (SAT-01) when `basic_from` is not below
    ///   `fully_from`, or is 1, which would leave no score for the
    ///   dissatisfied band;
    /// - `satisfaction.sales_score` (SAT-01) naming a question other than
    ///   sales Q1, Q2 or Q7;
    /// - `satisfaction.rate_decimals` (SAT-03) above 6;
    /// - `satisfaction.nps` (SAT-07) when `detractor_to` is not below
    ///   `promoter_from`;
    /// - `satisfaction.workload` (SAT-09) when the limit is zero or the
    ///   optimal range is empty or above the limit;
    /// - `satisfaction.csi_weights` (SAT-10) when the weights do not sum
    ///   to 100.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let ScoreBands {
            fully_from,
            basic_from,
        } = self.bands;
        if basic_from >= fully_from {
            return Err(invalid(
                "satisfaction.bands",
                RuleId::Sat01,
                format!(
                    "has basically satisfied from `{basic_from}`, not below fully satisfied from `{fully_from}`"
                ),
            ));
        }
        if basic_from == Score::MIN {
            return Err(invalid(
                "satisfaction.bands",
                RuleId::Sat01,
                format!(
                    "has basically satisfied from `{basic_from}`, leaving no score for dissatisfied"
                ),
            ));
        }
        if let SalesScoreBasis::Question(question) = self.sales_score {
            if !SalesScoreBasis::SCORED.contains(&question) {
                return Err(invalid(
                    "satisfaction.sales_score",
                    RuleId::Sat01,
                    format!(
                        "names {question} ({}), not a scored question of the sales form (Q1, Q2 or Q7)",
                        question.label_en()
                    ),
                ));
            }
        }
        if self.rate_decimals > MAX_RATE_DECIMALS {
            return Err(invalid(
                "satisfaction.rate_decimals",
                RuleId::Sat03,
                format!(
                    "is `{}`, above the most {MAX_RATE_DECIMALS} decimals",
                    self.rate_decimals
                ),
            ));
        }
        let NpsBands {
            promoter_from,
            detractor_to,
        } = self.nps;
        if detractor_to >= promoter_from {
            return Err(invalid(
                "satisfaction.nps",
                RuleId::Sat07,
                format!(
                    "has detractors up to `{detractor_to}`, not below promoters from `{promoter_from}`"
                ),
            ));
        }
        let w = self.workload;
        if w.max_per_day == 0 {
            return Err(invalid(
                "satisfaction.workload.max_per_day",
                RuleId::Sat09,
                "is zero, which would flag every day with a vehicle",
            ));
        }
        if w.optimal_from > w.optimal_to || w.optimal_to > w.max_per_day {
            return Err(invalid(
                "satisfaction.workload",
                RuleId::Sat09,
                format!(
                    "has the optimal load `{}`–`{}`, which is empty or above the limit `{}`",
                    w.optimal_from, w.optimal_to, w.max_per_day
                ),
            ));
        }
        let total = self.csi_weights.total();
        if total != Decimal::ONE_HUNDRED {
            return Err(invalid(
                "satisfaction.csi_weights",
                RuleId::Sat10,
                format!("sum to `{}`%, not 100%", total.normalize()),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bands(fully: u8, basic: u8) -> SatisfactionPolicy {
        SatisfactionPolicy {
            bands: ScoreBands {
                fully_from: Score::try_new(fully).unwrap(),
                basic_from: Score::try_new(basic).unwrap(),
            },
            ..SatisfactionPolicy::default()
        }
    }

    #[test]
    fn default_policy_is_valid() {
        assert_eq!(SatisfactionPolicy::default().validate(), Ok(()));
        assert_eq!(bands(10, 2).validate(), Ok(()));
        assert_eq!(CsiWeights::default().total(), Decimal::ONE_HUNDRED);
    }

    #[test]
    fn overlapping_or_inverted_bands_are_rejected() {
        let err = bands(6, 6).validate().unwrap_err();
        assert_eq!(err.field, "satisfaction.bands");
        assert_eq!(err.rule, RuleId::Sat01);
        assert_eq!(
            err.to_string(),
            "invalid policy: `satisfaction.bands` has basically satisfied from `6`, \
             not below fully satisfied from `6` (SAT-01)"
        );
        assert!(bands(6, 8).validate().is_err());
        let err = bands(8, 1).validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid policy: `satisfaction.bands` has basically satisfied from `1`, \
             leaving no score for dissatisfied (SAT-01)"
        );
    }

    #[test]
    fn other_parts_are_checked() {
        let mut p = SatisfactionPolicy {
            rate_decimals: 7,
            ..SatisfactionPolicy::default()
        };
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Sat03);
        p.rate_decimals = 6;
        assert_eq!(p.validate(), Ok(()));

        p.nps.detractor_to = Recommendation::try_new(9).unwrap();
        let err = p.validate().unwrap_err();
        assert_eq!(err.field, "satisfaction.nps");
        assert_eq!(
            err.to_string(),
            "invalid policy: `satisfaction.nps` has detractors up to `9`, \
             not below promoters from `9` (SAT-07)"
        );
        p.nps = NpsBands::default();

        p.workload.max_per_day = 0;
        assert_eq!(
            p.validate().unwrap_err().field,
            "satisfaction.workload.max_per_day"
        );
        p.workload = WorkloadLimits {
            max_per_day: 12,
            optimal_from: 11,
            optimal_to: 10,
        };
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Sat09);
        p.workload.optimal_from = 8;
        p.workload.optimal_to = 13;
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Sat09);
        p.workload = WorkloadLimits::default();

        p.csi_weights.facility = Percent::try_new(Decimal::from(18)).unwrap();
        let err = p.validate().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid policy: `satisfaction.csi_weights` sum to `101`%, not 100% (SAT-10)"
        );
    }

    #[test]
    fn the_sales_score_names_a_scored_sales_question() {
        use crate::satisfaction::Question;
        let mut p = SatisfactionPolicy::default();
        for q in SalesScoreBasis::SCORED {
            p.sales_score = SalesScoreBasis::Question(*q);
            assert_eq!(p.validate(), Ok(()), "{q}");
        }
        p.sales_score = SalesScoreBasis::Min;
        assert_eq!(p.validate(), Ok(()));
        for q in [
            Question::SalesTestDriveOffered,
            Question::SalesCashierSatisfied,
            Question::AfterSalesOverall,
        ] {
            p.sales_score = SalesScoreBasis::Question(q);
            let err = p.validate().unwrap_err();
            assert_eq!(err.field, "satisfaction.sales_score");
            assert_eq!(err.rule, RuleId::Sat01);
        }
        p.sales_score = SalesScoreBasis::Question(Question::SalesCashierSatisfied);
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid policy: `satisfaction.sales_score` names sales Q10 (cashier efficiency \
             and attitude), not a scored question of the sales form (Q1, Q2 or Q7) (SAT-01)"
        );
        let json = r#"{"sales_score": {"question": "sales_product_information"}}"#;
        let read: SatisfactionPolicy = serde_json::from_str(json).unwrap();
        assert_eq!(
            read.sales_score,
            SalesScoreBasis::Question(Question::SalesProductInformation)
        );
        let read: SatisfactionPolicy = serde_json::from_str(r#"{"sales_score": "min"}"#).unwrap();
        assert_eq!(read.sales_score, SalesScoreBasis::Min);
        assert!(serde_json::from_str::<SatisfactionPolicy>(r#"{"sales_score": "max"}"#).is_err());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<SatisfactionPolicy>(r#"{"band": {}}"#).is_err());
        assert!(serde_json::from_str::<SatisfactionPolicy>(r#"{"bands": {"fully": 9}}"#).is_err());
        assert!(
            serde_json::from_str::<SatisfactionPolicy>(r#"{"bands": {"fully_from": 11}}"#).is_err()
        );
        assert!(
            serde_json::from_str::<SatisfactionPolicy>(r#"{"nps": {"promoter_from": 11}}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<SatisfactionPolicy>(r#"{"workload": {"max": 12}}"#).is_err()
        );
    }
}
