//! CMP-13: when to propose bringing in a third party.
//!
//! \[004\] (专业第三方介入时机) names four third parties and three moments to
//! bring one in: the two sides disagree on a technical judgement, repeated
//! talks make no progress, or the matter may turn into a legal dispute.
//!
//! [`suggest_third_party`] documents which party each trigger brings in.

use serde::{Deserialize, Serialize};

use crate::policy::PolicyError;
use crate::rule::{Reason, RuleId};

/// A third party that can be brought into a grievance (CMP-13, \[004\]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThirdParty {
    /// A technical expert (技术专家): an independent assessment.
    TechnicalExpert,
    /// A representative of the manufacturer (品牌厂家代表): an authoritative
    /// explanation.
    ManufacturerRepresentative,
    /// An industry association (行业协会): a reference to the standards.
    IndustryAssociation,
    /// A consumer association (消费者协会): mediation.
    ConsumerAssociation,
}

impl ThirdParty {
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            ThirdParty::TechnicalExpert => "technical expert",
            ThirdParty::ManufacturerRepresentative => "manufacturer representative",
            ThirdParty::IndustryAssociation => "industry association",
            ThirdParty::ConsumerAssociation => "consumer association",
        }
    }

    /// Chinese label, as \[004\] names the party.
    pub const fn label_zh(self) -> &'static str {
        match self {
            ThirdParty::TechnicalExpert => "技术专家",
            ThirdParty::ManufacturerRepresentative => "品牌厂家代表",
            ThirdParty::IndustryAssociation => "行业协会",
            ThirdParty::ConsumerAssociation => "消费者协会",
        }
    }

    /// What the party brings, in English.
    pub const fn role_en(self) -> &'static str {
        match self {
            ThirdParty::TechnicalExpert => "an independent assessment",
            ThirdParty::ManufacturerRepresentative => "an authoritative explanation",
            ThirdParty::IndustryAssociation => "a reference to the standards",
            ThirdParty::ConsumerAssociation => "mediation",
        }
    }

    /// What the party brings, in Chinese, as \[004\] puts it.
    pub const fn role_zh(self) -> &'static str {
        match self {
            ThirdParty::TechnicalExpert => "提供独立评估",
            ThirdParty::ManufacturerRepresentative => "给予权威解释",
            ThirdParty::IndustryAssociation => "提供标准参考",
            ThirdParty::ConsumerAssociation => "进行调解",
        }
    }
}

/// Whether the dealer and the customer agree on the technical judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TechnicalJudgement {
    /// Both sides accept the diagnosis.
    Agreed,
    /// The two sides disagree on it (双方对技术判断存在分歧).
    Disputed,
}

/// Whether the grievance may turn into a legal dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalDispute {
    /// No sign of it.
    Unlikely,
    /// The matter may turn into one (问题可能演变为法律纠纷): the customer
    /// speaks of a lawyer, a lawsuit or a formal complaint to the
    /// authorities.
    Likely,
}

/// What is known about the handling so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThirdPartySituation {
    /// Whether the technical judgement is disputed.
    pub technical_judgement: TechnicalJudgement,
    /// How many rounds of talks with the customer ended without progress.
    pub talks_without_progress: u32,
    /// Whether a legal dispute is likely.
    pub legal_dispute: LegalDispute,
}

/// CMP-13 parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThirdPartyPolicy {
    /// Talks count as stalled ("多次沟通无进展") once this many rounds ended
    /// without progress. Default 2: "repeated" means at least twice. Must
    /// be at least 1.
    pub stalled_after_talks: u32,
}

impl Default for ThirdPartyPolicy {
    fn default() -> Self {
        ThirdPartyPolicy {
            stalled_after_talks: 2,
        }
    }
}

impl ThirdPartyPolicy {
    /// Checks the parameters.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] with rule CMP-13 and field
    /// `complaint.third_party.stalled_after_talks` when the threshold is 0.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.stalled_after_talks == 0 {
            return Err(PolicyError {
                field: "complaint.third_party.stalled_after_talks",
                rule: RuleId::Cmp13,
                reason: "must be at least 1".to_owned(),
            });
        }
        Ok(())
    }
}

/// The parties to propose and why (CMP-13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThirdPartySuggestion {
    /// The parties, sorted (in [`ThirdParty`] declaration order) and
    /// without repeats.
    pub parties: Vec<ThirdParty>,
    /// One reason per trigger that holds, in the order: technical
    /// judgement, stalled talks, legal dispute. Each names CMP-13.
    pub reasons: Vec<Reason>,
}

/// Which third parties to propose, or `None` when no CMP-13 trigger holds.
///
/// \[004\] lists the parties and the moments side by side without
/// pairing them; this function pairs them by what each party
/// brings:
///
/// | trigger | parties proposed |
/// |---|---|
/// | technical judgement disputed | [`ThirdParty::TechnicalExpert`] (independent assessment), [`ThirdParty::ManufacturerRepresentative`] (authoritative explanation) |
/// | talks stalled ([`ThirdPartyPolicy::stalled_after_talks`] or more without progress) | [`ThirdParty::IndustryAssociation`] (reference to standards), [`ThirdParty::ConsumerAssociation`] (mediation) |
/// | legal dispute likely | [`ThirdParty::ConsumerAssociation`] (mediation) |
///
/// A policy with a threshold of 0 fails
/// [`ThirdPartyPolicy::validate`]; passed here anyway, it is taken as 1.
///
/// ```
/// use aftersales::{
///     LegalDispute, RuleId, TechnicalJudgement, ThirdParty, ThirdPartyPolicy,
///     ThirdPartySituation, suggest_third_party,
/// };
///
/// let policy = ThirdPartyPolicy::default(); // stalled after 2 talks
/// let situation = ThirdPartySituation {
///     technical_judgement: TechnicalJudgement::Agreed,
///     talks_without_progress: 3,
///     legal_dispute: LegalDispute::Likely,
/// };
/// let suggestion = suggest_third_party(&situation, &policy).ok_or("no suggestion")?;
/// assert_eq!(
///     suggestion.parties,
///     [ThirdParty::IndustryAssociation, ThirdParty::ConsumerAssociation]
/// );
/// assert_eq!(suggestion.reasons[0].fact, "talks made no progress 3 times (threshold 2)");
/// assert!(suggestion.reasons.iter().all(|r| r.rule == RuleId::Cmp13));
///
/// let calm = ThirdPartySituation { talks_without_progress: 1, legal_dispute: LegalDispute::Unlikely, ..situation };
/// assert_eq!(suggest_third_party(&calm, &policy), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn suggest_third_party(
    situation: &ThirdPartySituation,
    policy: &ThirdPartyPolicy,
) -> Option<ThirdPartySuggestion> {
    let mut parties: Vec<ThirdParty> = Vec::new();
    let mut reasons: Vec<Reason> = Vec::new();

    if situation.technical_judgement == TechnicalJudgement::Disputed {
        parties.extend([
            ThirdParty::TechnicalExpert,
            ThirdParty::ManufacturerRepresentative,
        ]);
        reasons.push(Reason::new(
            RuleId::Cmp13,
            "the technical judgement is disputed",
        ));
    }

    let threshold = policy.stalled_after_talks.max(1);
    if situation.talks_without_progress >= threshold {
        parties.extend([
            ThirdParty::IndustryAssociation,
            ThirdParty::ConsumerAssociation,
        ]);
        reasons.push(Reason::new(
            RuleId::Cmp13,
            format!(
                "talks made no progress {n} {times} (threshold {threshold})",
                n = situation.talks_without_progress,
                times = if situation.talks_without_progress == 1 {
                    "time"
                } else {
                    "times"
                },
            ),
        ));
    }

    if situation.legal_dispute == LegalDispute::Likely {
        parties.push(ThirdParty::ConsumerAssociation);
        reasons.push(Reason::new(RuleId::Cmp13, "a legal dispute is likely"));
    }

    if reasons.is_empty() {
        return None;
    }
    parties.sort_unstable();
    parties.dedup();
    Some(ThirdPartySuggestion { parties, reasons })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::expect_used
)]
mod tests {
    use super::*;

    const CALM: ThirdPartySituation = ThirdPartySituation {
        technical_judgement: TechnicalJudgement::Agreed,
        talks_without_progress: 0,
        legal_dispute: LegalDispute::Unlikely,
    };

    fn facts(s: &ThirdPartySuggestion) -> Vec<&str> {
        s.reasons.iter().map(|r| r.fact.as_str()).collect()
    }

    #[test]
    fn no_trigger_no_suggestion() {
        let policy = ThirdPartyPolicy::default();
        assert_eq!(suggest_third_party(&CALM, &policy), None);
        let one_talk = ThirdPartySituation {
            talks_without_progress: 1,
            ..CALM
        };
        assert_eq!(suggest_third_party(&one_talk, &policy), None);
    }

    #[test]
    fn disputed_judgement_alone() {
        let s = ThirdPartySituation {
            technical_judgement: TechnicalJudgement::Disputed,
            ..CALM
        };
        let got = suggest_third_party(&s, &ThirdPartyPolicy::default()).unwrap();
        assert_eq!(
            got.parties,
            vec![
                ThirdParty::TechnicalExpert,
                ThirdParty::ManufacturerRepresentative
            ]
        );
        assert_eq!(facts(&got), vec!["the technical judgement is disputed"]);
        assert_eq!(got.reasons[0].rule, RuleId::Cmp13);
    }

    #[test]
    fn stalled_talks_alone() {
        let s = ThirdPartySituation {
            talks_without_progress: 3,
            ..CALM
        };
        let got = suggest_third_party(&s, &ThirdPartyPolicy::default()).unwrap();
        assert_eq!(
            got.parties,
            vec![
                ThirdParty::IndustryAssociation,
                ThirdParty::ConsumerAssociation
            ]
        );
        assert_eq!(
            facts(&got),
            vec!["talks made no progress 3 times (threshold 2)"]
        );
    }

    #[test]
    fn likely_legal_dispute_alone() {
        let s = ThirdPartySituation {
            legal_dispute: LegalDispute::Likely,
            ..CALM
        };
        let got = suggest_third_party(&s, &ThirdPartyPolicy::default()).unwrap();
        assert_eq!(got.parties, vec![ThirdParty::ConsumerAssociation]);
        assert_eq!(facts(&got), vec!["a legal dispute is likely"]);
    }

    #[test]
    fn all_triggers_together_deduplicate_and_sort() {
        let s = ThirdPartySituation {
            technical_judgement: TechnicalJudgement::Disputed,
            talks_without_progress: 5,
            legal_dispute: LegalDispute::Likely,
        };
        let got = suggest_third_party(&s, &ThirdPartyPolicy::default()).unwrap();
        assert_eq!(
            got.parties,
            vec![
                ThirdParty::TechnicalExpert,
                ThirdParty::ManufacturerRepresentative,
                ThirdParty::IndustryAssociation,
                ThirdParty::ConsumerAssociation,
            ]
        );
        assert_eq!(
            facts(&got),
            vec![
                "the technical judgement is disputed",
                "talks made no progress 5 times (threshold 2)",
                "a legal dispute is likely",
            ]
        );
        assert!(got.reasons.iter().all(|r| r.rule == RuleId::Cmp13));
    }

    #[test]
    fn legal_dispute_and_stalled_talks_share_the_consumer_association() {
        let s = ThirdPartySituation {
            talks_without_progress: 2,
            legal_dispute: LegalDispute::Likely,
            ..CALM
        };
        let got = suggest_third_party(&s, &ThirdPartyPolicy::default()).unwrap();
        assert_eq!(
            got.parties,
            vec![
                ThirdParty::IndustryAssociation,
                ThirdParty::ConsumerAssociation
            ]
        );
        assert_eq!(got.reasons.len(), 2);
    }

    #[test]
    fn threshold_boundary() {
        let policy = ThirdPartyPolicy {
            stalled_after_talks: 4,
        };
        let below = ThirdPartySituation {
            talks_without_progress: 3,
            ..CALM
        };
        assert_eq!(suggest_third_party(&below, &policy), None);
        let at = ThirdPartySituation {
            talks_without_progress: 4,
            ..CALM
        };
        let got = suggest_third_party(&at, &policy).unwrap();
        assert_eq!(
            facts(&got),
            vec!["talks made no progress 4 times (threshold 4)"]
        );
        // Default threshold: 1 below, exactly at.
        let policy = ThirdPartyPolicy::default();
        let one = ThirdPartySituation {
            talks_without_progress: 1,
            ..CALM
        };
        let two = ThirdPartySituation {
            talks_without_progress: 2,
            ..CALM
        };
        assert_eq!(suggest_third_party(&one, &policy), None);
        assert!(suggest_third_party(&two, &policy).is_some());
    }

    #[test]
    fn zero_threshold_is_taken_as_one() {
        let policy = ThirdPartyPolicy {
            stalled_after_talks: 0,
        };
        assert_eq!(suggest_third_party(&CALM, &policy), None);
        let one = ThirdPartySituation {
            talks_without_progress: 1,
            ..CALM
        };
        let got = suggest_third_party(&one, &policy).unwrap();
        assert_eq!(
            facts(&got),
            vec!["talks made no progress 1 time (threshold 1)"]
        );
    }

    #[test]
    fn policy_validate() {
        ThirdPartyPolicy::default().validate().unwrap();
        ThirdPartyPolicy {
            stalled_after_talks: 1,
        }
        .validate()
        .unwrap();
        let err = ThirdPartyPolicy {
            stalled_after_talks: 0,
        }
        .validate()
        .unwrap_err();
        assert_eq!(err.rule, RuleId::Cmp13);
        assert_eq!(err.field, "complaint.third_party.stalled_after_talks");
        assert_eq!(err.reason, "must be at least 1");
    }

    #[test]
    fn policy_serde() {
        let p: ThirdPartyPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, ThirdPartyPolicy::default());
        let p: ThirdPartyPolicy = serde_json::from_str(r#"{"stalled_after_talks":3}"#).unwrap();
        assert_eq!(p.stalled_after_talks, 3);
        assert!(serde_json::from_str::<ThirdPartyPolicy>(r#"{"after":3}"#).is_err());
        let s: ThirdPartySituation = serde_json::from_str(
            r#"{"technical_judgement":"disputed","talks_without_progress":1,"legal_dispute":"unlikely"}"#,
        )
        .unwrap();
        assert_eq!(s.technical_judgement, TechnicalJudgement::Disputed);
        assert_eq!(
            serde_json::to_string(&ThirdParty::ManufacturerRepresentative).unwrap(),
            r#""manufacturer_representative""#
        );
    }

    #[test]
    fn labels_and_roles() {
        assert_eq!(ThirdParty::ConsumerAssociation.label_zh(), "消费者协会");
        assert_eq!(ThirdParty::ConsumerAssociation.role_zh(), "进行调解");
        assert_eq!(ThirdParty::TechnicalExpert.label_en(), "technical expert");
        assert_eq!(
            ThirdParty::IndustryAssociation.role_en(),
            "a reference to the standards"
        );
        assert_eq!(
            ThirdParty::ManufacturerRepresentative.label_zh(),
            "品牌厂家代表"
        );
    }
}
