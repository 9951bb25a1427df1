//! Concern intake (CMP-01, CMP-07, CMP-11, CMP-17): classify what a
//! customer says, ask back for what is missing, acknowledge, and route.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::grade::FactSet;
use crate::complaint::records::{Channel, ConcernKind, Demand, Emotion};
use crate::ids::CustomerId;
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

type At = DateTime<FixedOffset>;

/// A customer concern as first noted, before it is a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    /// When it was received.
    pub received_at: At,
    /// How it came in.
    pub channel: Channel,
    /// The customer, once identified.
    pub customer: Option<CustomerId>,
    /// The kind, once the recorder could tell (CMP-01).
    pub kind: Option<ConcernKind>,
    /// What the customer says.
    pub description: String,
    /// What the customer wants (CMP-03, CMP-17).
    pub demands: Vec<Demand>,
    /// The customer's emotional state (CMP-11).
    pub emotion: Option<Emotion>,
    /// The complaint facts noted so far (CMP-04).
    pub facts: FactSet,
}

/// Information the recorder must ask the customer back for (CMP-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingInfo {
    /// Who the customer is.
    Customer,
    /// What kind of concern it is.
    Kind,
    /// What happened.
    Description,
    /// What the customer wants (CMP-17).
    DesiredRemedy,
    /// The customer's emotional state (CMP-11).
    Emotion,
    /// The facts that grade a complaint (CMP-04).
    Facts,
}

impl fmt::Display for MissingInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MissingInfo::Customer => "who the customer is",
            MissingInfo::Kind => "what kind of concern it is",
            MissingInfo::Description => "what happened",
            MissingInfo::DesiredRemedy => "what the customer wants",
            MissingInfo::Emotion => "the customer's emotional state",
            MissingInfo::Facts => "the facts of the complaint",
        })
    }
}

/// Where a concern goes next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Triage {
    /// Information is missing: ask the customer back before going on.
    AskCustomerBack {
        /// What to ask for, in a fixed order.
        missing: Vec<MissingInfo>,
    },
    /// A complaint, ready to be received as a
    /// [`ComplaintReceipt`](crate::ComplaintReceipt).
    Complaint {
        /// Whether a health-or-safety issue is assessed first (CMP-17).
        safety: SafetyAssessment,
        /// The form it goes on (CMP-07).
        form: IntakeForm,
    },
    /// A grievance: recorded on the grievance contact form
    /// (表5 抱怨客户联系处理表) and passed to the responsible department
    /// (CMP-07).
    Grievance,
    /// A request for information: answer it.
    InformationRequest,
    /// Praise: pass it on to the staff named.
    Praise,
    /// Anything else (a request to mail documents, a suggestion).
    Other,
}

impl fmt::Display for Triage {
    /// English words: "ask the customer back for who the customer is",
    /// "complaint on the urgent complaint contact form (safety first)",
    /// "grievance on the grievance contact form" …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Triage::AskCustomerBack { missing } => {
                f.write_str("ask the customer back for ")?;
                for (i, m) in missing.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{m}")?;
                }
                Ok(())
            }
            Triage::Complaint { safety, form } => {
                write!(f, "complaint on the {}", form.label_en())?;
                if *safety == SafetyAssessment::Immediate {
                    f.write_str(" (safety assessed first)")?;
                }
                Ok(())
            }
            Triage::Grievance => write!(
                f,
                "grievance on the {}",
                IntakeForm::GrievanceContactForm.label_en()
            ),
            Triage::InformationRequest => f.write_str("information request"),
            Triage::Praise => f.write_str("praise"),
            Triage::Other => f.write_str("other"),
        }
    }
}

impl Triage {
    /// The form the concern goes on: the complaint's form, or for a
    /// grievance the grievance contact form (表5); `None` for any other
    /// route.
    pub const fn form(&self) -> Option<IntakeForm> {
        match self {
            Triage::Complaint { form, .. } => Some(*form),
            Triage::Grievance => Some(IntakeForm::GrievanceContactForm),
            _ => None,
        }
    }
}

/// Whether a health-or-safety issue must be assessed at once (CMP-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAssessment {
    /// A safety fact is reported: assess it before anything else.
    Immediate,
    /// No safety fact is reported.
    NotNeeded,
}

/// The form a complaint or grievance is recorded on (CMP-05, CMP-07), by
/// its name in \[002\].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeForm {
    /// The customer complaint form (客户投诉处理单, \[002\] 四、投诉处理).
    ComplaintForm,
    /// Raised in a follow-up call: the urgent complaint contact form
    /// (表6 紧急投诉应对联络表), at once.
    UrgentComplaintForm,
    /// A grievance: the grievance contact form (表5 抱怨客户联系处理表).
    GrievanceContactForm,
}

impl IntakeForm {
    /// Every form.
    pub const ALL: [IntakeForm; 3] = [
        IntakeForm::ComplaintForm,
        IntakeForm::UrgentComplaintForm,
        IntakeForm::GrievanceContactForm,
    ];

    /// The form's number among the tables of \[002\], if it has one:
    /// 表5 for grievances, 表6 for urgent complaints.
    pub const fn table_no(self) -> Option<u8> {
        match self {
            IntakeForm::ComplaintForm => None,
            IntakeForm::UrgentComplaintForm => Some(6),
            IntakeForm::GrievanceContactForm => Some(5),
        }
    }

    /// English name.
    pub const fn label_en(self) -> &'static str {
        match self {
            IntakeForm::ComplaintForm => "customer complaint form",
            IntakeForm::UrgentComplaintForm => "urgent complaint contact form",
            IntakeForm::GrievanceContactForm => "grievance contact form",
        }
    }

    /// Chinese name, as \[002\] titles the form: 客户投诉处理单,
    /// 紧急投诉应对联络表, 抱怨客户联系处理表.
    pub const fn label_zh(self) -> &'static str {
        match self {
            IntakeForm::ComplaintForm => "客户投诉处理单",
            IntakeForm::UrgentComplaintForm => "紧急投诉应对联络表",
            IntakeForm::GrievanceContactForm => "抱怨客户联系处理表",
        }
    }

    /// The Chinese name with the table number, e.g. `表6 紧急投诉应对联络表`.
    pub fn title_zh(self) -> String {
        match self.table_no() {
            Some(n) => format!("表{n} {}", self.label_zh()),
            None => self.label_zh().to_owned(),
        }
    }
}

impl fmt::Display for IntakeForm {
    /// English and Chinese: `urgent complaint contact form (表6
    /// 紧急投诉应对联络表)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.label_en(), self.title_zh())
    }
}

/// The intake decision: the route, the acknowledgement, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeDecision {
    /// Where the concern goes.
    pub triage: Triage,
    /// Receipt is acknowledged at once (CMP-01, CMP-17).
    pub acknowledged_at: At,
    /// The rules and facts that decided the route.
    pub reasons: Vec<Reason>,
}

/// Classifies a concern (CMP-01): what is missing is asked back first; a
/// complaint needs the customer, a description, the desired remedy
/// (CMP-17), the emotional state (CMP-11) and at least one graded fact
/// (CMP-04); a grievance or information request needs the customer and a
/// description; praise and other concerns need a description. Receipt is
/// acknowledged at once whatever the route.
///
/// ```
/// use aftersales::{
///     Channel, ComplaintFact as F, Concern, ConcernKind, CustomerId, Demand, Emotion,
///     IntakeForm, MissingInfo, SafetyAssessment, Triage, triage,
/// };
/// use chrono::DateTime;
///
/// let mut concern = Concern {
///     received_at: DateTime::parse_from_rfc3339("2026-11-27T16:20:00+08:00")?,
///     channel: Channel::FollowUpCall,
///     customer: Some(CustomerId::try_new("C-1001")?),
///     kind: Some(ConcernKind::Complaint),
///     description: "the brakes squeal again after the repair".into(),
///     demands: vec![],
///     emotion: Some(Emotion::Angry),
///     facts: [F::RecurringFault, F::SafetyRelated].into(),
/// };
/// let decision = triage(&concern)?;
/// assert_eq!(decision.triage, Triage::AskCustomerBack { missing: vec![MissingInfo::DesiredRemedy] });
///
/// concern.demands.push(Demand::FreeRepair);
/// assert_eq!(
///     triage(&concern)?.triage,
///     Triage::Complaint { safety: SafetyAssessment::Immediate, form: IntakeForm::UrgentComplaintForm }
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`TimeRangeError`] naming `received_at` when it lies outside the
/// [`SUPPORTED_RANGE`].
pub fn triage(concern: &Concern) -> Result<IntakeDecision, TimeRangeError> {
    SUPPORTED_RANGE.check("received_at", concern.received_at)?;
    let mut missing = Vec::new();
    let has_customer = concern.customer.is_some();
    let has_description = !concern.description.trim().is_empty();
    match concern.kind {
        None => {
            missing.push(MissingInfo::Kind);
            if !has_description {
                missing.push(MissingInfo::Description);
            }
        }
        Some(ConcernKind::Complaint) => {
            if !has_customer {
                missing.push(MissingInfo::Customer);
            }
            if !has_description {
                missing.push(MissingInfo::Description);
            }
            if concern.demands.is_empty() {
                missing.push(MissingInfo::DesiredRemedy);
            }
            if concern.emotion.is_none() {
                missing.push(MissingInfo::Emotion);
            }
            if concern.facts.is_empty() {
                missing.push(MissingInfo::Facts);
            }
        }
        Some(ConcernKind::Grievance | ConcernKind::InformationRequest) => {
            if !has_customer {
                missing.push(MissingInfo::Customer);
            }
            if !has_description {
                missing.push(MissingInfo::Description);
            }
        }
        Some(ConcernKind::Praise | ConcernKind::Other) => {
            if !has_description {
                missing.push(MissingInfo::Description);
            }
        }
    }
    let mut reasons = vec![Reason::new(
        RuleId::Cmp17,
        format!(
            "received by {} and acknowledged at once",
            concern.channel.label_en()
        ),
    )];
    let triage = if missing.is_empty() {
        match concern.kind {
            Some(ConcernKind::Complaint) => {
                let safety = if concern.facts.has_safety_issue() {
                    reasons.push(Reason::new(
                        RuleId::Cmp17,
                        "a health-or-safety issue is reported: assess it before anything else",
                    ));
                    SafetyAssessment::Immediate
                } else {
                    SafetyAssessment::NotNeeded
                };
                let form = if concern.channel == Channel::FollowUpCall {
                    let form = IntakeForm::UrgentComplaintForm;
                    reasons.push(Reason::new(
                        RuleId::Cmp07,
                        format!(
                            "a complaint raised in a follow-up call goes on the {form} at once"
                        ),
                    ));
                    form
                } else {
                    IntakeForm::ComplaintForm
                };
                reasons.push(Reason::new(
                    RuleId::Cmp01,
                    format!("classified as a complaint: {}", concern.facts),
                ));
                Triage::Complaint { safety, form }
            }
            Some(ConcernKind::Grievance) => {
                reasons.push(Reason::new(
                    RuleId::Cmp07,
                    format!(
                        "a grievance goes on the {} to the responsible department",
                        IntakeForm::GrievanceContactForm
                    ),
                ));
                Triage::Grievance
            }
            Some(ConcernKind::InformationRequest) => Triage::InformationRequest,
            Some(ConcernKind::Praise) => Triage::Praise,
            Some(ConcernKind::Other) | None => Triage::Other,
        }
    } else {
        let asked = missing
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        reasons.push(Reason::new(
            RuleId::Cmp01,
            format!("ask the customer back for {asked}"),
        ));
        Triage::AskCustomerBack { missing }
    };
    Ok(IntakeDecision {
        triage,
        acknowledged_at: concern.received_at,
        reasons,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::complaint::grade::ComplaintFact as F;

    fn concern(kind: Option<ConcernKind>) -> Concern {
        Concern {
            received_at: DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00").unwrap(),
            channel: Channel::Phone,
            customer: Some(CustomerId::try_new("C-1").unwrap()),
            kind,
            description: "the invoice lists a part twice".into(),
            demands: vec![Demand::Compensation],
            emotion: Some(Emotion::Calm),
            facts: [F::FeeDispute].into(),
        }
    }

    #[test]
    fn a_complete_complaint_goes_on_the_complaint_form() {
        let d = triage(&concern(Some(ConcernKind::Complaint))).unwrap();
        assert_eq!(
            d.triage,
            Triage::Complaint {
                safety: SafetyAssessment::NotNeeded,
                form: IntakeForm::ComplaintForm
            }
        );
        assert_eq!(d.acknowledged_at, concern(None).received_at);
    }

    #[test]
    fn every_missing_complaint_field_is_asked_back_in_order() {
        let mut c = concern(Some(ConcernKind::Complaint));
        c.customer = None;
        c.description = "  ".into();
        c.demands.clear();
        c.emotion = None;
        c.facts = FactSet::EMPTY;
        let d = triage(&c).unwrap();
        assert_eq!(
            d.triage,
            Triage::AskCustomerBack {
                missing: vec![
                    MissingInfo::Customer,
                    MissingInfo::Description,
                    MissingInfo::DesiredRemedy,
                    MissingInfo::Emotion,
                    MissingInfo::Facts,
                ]
            }
        );
        assert!(d.reasons.iter().any(|r| r.rule == RuleId::Cmp01));
    }

    #[test]
    fn an_unclassified_concern_is_asked_back_for_its_kind() {
        let d = triage(&concern(None)).unwrap();
        assert_eq!(
            d.triage,
            Triage::AskCustomerBack {
                missing: vec![MissingInfo::Kind]
            }
        );
    }

    #[test]
    fn other_kinds_need_less() {
        let mut c = concern(Some(ConcernKind::Praise));
        c.customer = None;
        c.demands.clear();
        assert_eq!(triage(&c).unwrap().triage, Triage::Praise);
        c.kind = Some(ConcernKind::InformationRequest);
        assert_eq!(
            triage(&c).unwrap().triage,
            Triage::AskCustomerBack {
                missing: vec![MissingInfo::Customer]
            }
        );
        c.kind = Some(ConcernKind::Grievance);
        c.customer = Some(CustomerId::try_new("C-2").unwrap());
        let d = triage(&c).unwrap();
        assert_eq!(d.triage, Triage::Grievance);
        assert!(d.reasons.iter().any(|r| r.rule == RuleId::Cmp07));
        c.kind = Some(ConcernKind::Other);
        assert_eq!(triage(&c).unwrap().triage, Triage::Other);
    }

    #[test]
    fn safety_first_and_urgent_form_from_a_follow_up_call() {
        let mut c = concern(Some(ConcernKind::Complaint));
        c.channel = Channel::FollowUpCall;
        c.facts.insert(F::PersonalSafety);
        let d = triage(&c).unwrap();
        assert_eq!(
            d.triage,
            Triage::Complaint {
                safety: SafetyAssessment::Immediate,
                form: IntakeForm::UrgentComplaintForm
            }
        );
        let rules: Vec<RuleId> = d.reasons.iter().map(|r| r.rule).collect();
        assert_eq!(
            rules,
            [RuleId::Cmp17, RuleId::Cmp17, RuleId::Cmp07, RuleId::Cmp01]
        );
    }
}
