//! Satisfaction: the follow-up questionnaires (FU-11), the process misses
//! they reveal (FU-12), the SMS score (FU-07) and the score bands (SAT-01).
//!
//! Start from [`Questionnaire`]: an after-sales ([`AfterSalesAnswers`]) or a
//! sales ([`SalesAnswers`]) form as the follow-up specialist filled it in.
//! Its [`Questionnaire::overall`] [`Score`] falls into a [`Band`] under the
//! policy's [`ScoreBands`], and [`Questionnaire::process_misses`] lists each
//! process question answered "no" as a [`ProcessMiss`]. [`Question`] lists
//! every question of both forms with its text in English and Chinese; a
//! customer who could only be reached by SMS sends an [`SmsReply`].
//!
//! ```
//! use aftersales::{
//!     AfterSalesAnswers, Band, Extent, Policy, Question, Questionnaire, RuleId, Score, YesNo,
//! };
//!
//! // Happy overall, but the old parts were not shown at delivery.
//! let form = Questionnaire::AfterSales(AfterSalesAnswers {
//!     overall: "9".parse()?,
//!     greeted_promptly: YesNo::Yes,
//!     walk_around_explained: YesNo::Yes,
//!     explained_and_signed: Extent::Fully,
//!     delivered_on_time: YesNo::Yes,
//!     charges_explained_at_vehicle: YesNo::Yes,
//!     next_service_advised: YesNo::Yes,
//!     old_parts_shown: YesNo::No,
//!     diagnosis: Score::try_new(9)?,
//!     quality_and_time: Score::try_new(8)?,
//!     remarks: None,
//! });
//! let policy = Policy::default();
//! assert_eq!(form.band(&policy.satisfaction().bands), Band::FullySatisfied);
//!
//! let misses: Vec<_> = form.process_misses().collect();
//! assert_eq!(misses.len(), 1);
//! assert_eq!(misses[0].question, Question::AfterSalesOldPartsShown);
//! assert_eq!(misses[0].rule(), RuleId::Fu12); // the finding
//! assert_eq!(misses[0].checks, RuleId::Wo21); // the step it tests
//! # Ok::<(), aftersales::AnswerError>(())
//! ```

mod answer;
mod bands;
mod questionnaire;

use serde::{Deserialize, Serialize};

pub use answer::{AnswerError, Extent, Remarks, Score, SmsReply, YesNo};
pub use bands::{Band, ScoreBands};
pub use questionnaire::{
    AfterSalesAnswers, Answer, AnswerKind, ProcessMiss, Question, Questionnaire, QuestionnaireForm,
    SalesAnswers,
};

use crate::policy::{PolicyError, invalid};
use crate::rule::RuleId;

/// Section 5: satisfaction.
///
/// ```
/// use aftersales::Policy;
///
/// let policy: Policy =
///     serde_json::from_str(r#"{ "satisfaction": { "bands": { "fully_from": 9 } } }"#)?;
/// assert_eq!(policy.satisfaction().bands.fully_from.get(), 9);
/// assert_eq!(policy.satisfaction().bands.basic_from.get(), 6); // default kept
///
/// let overlapping = r#"{ "satisfaction": { "bands": { "fully_from": 6, "basic_from": 6 } } }"#;
/// let err = serde_json::from_str::<Policy>(overlapping).unwrap_err();
/// assert!(err.to_string().contains("SAT-01"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SatisfactionPolicy {
    /// SAT-01: the score bands (fully satisfied from 8, basically satisfied
    /// from 6).
    pub bands: ScoreBands,
}

impl SatisfactionPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] on `satisfaction.bands` (SAT-01) when `basic_from` is
    /// not below `fully_from`, or is 1, which would leave no score for the
    /// dissatisfied band.
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
        }
    }

    #[test]
    fn default_policy_is_valid() {
        assert_eq!(SatisfactionPolicy::default().validate(), Ok(()));
        assert_eq!(bands(10, 2).validate(), Ok(()));
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
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<SatisfactionPolicy>(r#"{"band": {}}"#).is_err());
        assert!(serde_json::from_str::<SatisfactionPolicy>(r#"{"bands": {"fully": 9}}"#).is_err());
        assert!(
            serde_json::from_str::<SatisfactionPolicy>(r#"{"bands": {"fully_from": 11}}"#).is_err()
        );
    }
}
