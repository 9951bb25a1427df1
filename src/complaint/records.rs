//! What a complaint records: receipt, channel, demands, emotion, solution,
//! lessons, escalations.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::grade::{CustomerStanding, FactSet, Level, Nature};
use crate::ids::{ComplaintNo, CustomerId, DepartmentId, StaffId, WorkOrderNo};
use crate::money::Money;
use crate::policy::AuthorityRole;

type At = DateTime<FixedOffset>;

words! {
    /// How a concern reached the dealer (CMP-17).
    Channel {
        /// In person at the dealership.
        Visit => "visit", "来店";
        /// A phone call from the customer.
        Phone => "phone", "来电";
        /// A letter.
        Letter => "letter", "信函";
        /// Raised during a follow-up call (CMP-07).
        FollowUpCall => "follow-up call", "回访";
        /// Online: web form, app, social media.
        Online => "online", "网络";
    }
}

words! {
    /// The kind of a customer concern (CMP-01).
    ConcernKind {
        /// A complaint (投诉): a formal expression of an unmet expectation.
        Complaint => "complaint", "投诉";
        /// A grievance (抱怨): dissatisfaction voiced, not (yet) a formal
        /// complaint (CMP-07).
        Grievance => "grievance", "抱怨";
        /// A request for information (信息).
        InformationRequest => "information request", "信息咨询";
        /// Praise (称赞).
        Praise => "praise", "称赞";
        /// Anything else: a request to mail documents, a suggestion (其他).
        Other => "other", "其他";
    }
}

words! {
    /// What the customer wants (CMP-03, 客户投诉诉求).
    Demand {
        /// Free repair of the fault.
        FreeRepair => "free repair", "免费维修";
        /// Compensation for time, distress or money lost.
        Compensation => "compensation", "赔偿";
        /// Return of the vehicle.
        VehicleReturn => "vehicle return", "退车";
        /// Recall of a batch problem.
        Recall => "recall", "召回";
        /// An apology.
        Apology => "apology", "道歉";
    }
}

words! {
    /// The customer's emotional state when the complaint is received
    /// (CMP-11).
    Emotion {
        /// Calm.
        Calm => "calm", "平静";
        /// Disappointed.
        Disappointed => "disappointed", "失望";
        /// Anxious or worried.
        Anxious => "anxious", "焦虑";
        /// Angry.
        Angry => "angry", "愤怒";
        /// Agitated beyond a normal conversation.
        Agitated => "agitated", "激动";
    }
}

words! {
    /// Whether a complaint is justified (CMP-05, 投诉是否成立).
    Verdict {
        /// Justified: apology, form, report, forwarding.
        Justified => "justified", "成立";
        /// Not justified: explained to the customer tactfully.
        NotJustified => "not justified", "不成立";
    }
}

words! {
    /// The customer's answer to an explanation or a proposed solution.
    CustomerAnswer {
        /// Accepted or understood.
        Accepted => "accepted", "接受";
        /// Rejected: the complaint escalates (CMP-09).
        Rejected => "rejected", "拒绝";
    }
}

words! {
    /// Whether the customer says they are satisfied (CMP-05, CMP-08).
    Satisfaction {
        /// Satisfied.
        Satisfied => "satisfied", "满意";
        /// Not satisfied: handling goes on.
        NotSatisfied => "not satisfied", "不满意";
    }
}

words! {
    /// When a solution is carried out (CMP-06).
    SolutionTiming {
        /// Solved on the spot: the solution deadline of CMP-06 does not apply.
        OnTheSpot => "on the spot", "当场解决";
        /// Later: proposed within the solution hours of the level (CMP-06).
        Later => "later", "后续解决";
    }
}

/// The receipt of a complaint (CMP-17): everything recorded when it comes
/// in, and the grade it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintReceipt {
    /// When it was received; acknowledgement is immediate.
    pub at: At,
    /// The customer.
    pub customer: CustomerId,
    /// How it came in.
    pub channel: Channel,
    /// What the customer says, in the recorder's words.
    pub description: String,
    /// What the customer wants (CMP-03); at least one.
    pub demands: Vec<Demand>,
    /// The amount the customer asks for, when a demand has one (for the
    /// EST-08 authority check of CMP-09).
    pub remedy_amount: Option<Money>,
    /// The customer's emotional state (CMP-11).
    pub emotion: Emotion,
    /// The graded facts (CMP-04).
    pub facts: FactSet,
    /// The nature (CMP-02).
    pub nature: Nature,
    /// The earlier complaint on the same matter, for a repeat (CMP-09).
    pub repeat_of: Option<ComplaintNo>,
    /// The customer's standing (CUS-09, CMP-12).
    pub standing: CustomerStanding,
    /// Who owns the complaint (CMP-08: never without an owner).
    pub owner: StaffId,
    /// The work order it is about, if any.
    pub order: Option<WorkOrderNo>,
}

/// A proposed solution (CMP-06).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Solution {
    /// What is offered.
    pub description: String,
    /// The money it costs the dealer (discount, refund, compensation),
    /// checked against the handler's authority (EST-08).
    pub remedy: Option<Money>,
    /// On the spot or later.
    pub timing: SolutionTiming,
}

/// The closed loop's record (CMP-08): root cause, preventive measure and
/// the lesson shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lessons {
    /// Why it happened.
    pub root_cause: String,
    /// What prevents it from happening again.
    pub preventive_measure: String,
    /// The lesson shared with the team.
    pub lesson: String,
}

/// A deadline of the complaint process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The first response to the customer, by level (CMP-04).
    Response,
    /// Forwarding to the department head after the justified verdict
    /// (CMP-05, 30 minutes).
    Forwarding,
    /// The department's result to customer relations (CMP-05, 48 hours).
    DepartmentResult,
    /// A proposed solution when not solved on the spot (CMP-06, hours per
    /// level).
    Solution,
    /// The response of the handler a complaint was handed to (CMP-09): an
    /// escalation, or new facts that raise the handler, start that
    /// handler's response clock.
    HandlerResponse,
    /// The second follow-up call after resolution (CMP-10, 7–15 days).
    SecondFollowUp,
}

impl DeadlineKind {
    /// Every kind.
    pub const ALL: [DeadlineKind; 6] = [
        DeadlineKind::Response,
        DeadlineKind::Forwarding,
        DeadlineKind::DepartmentResult,
        DeadlineKind::Solution,
        DeadlineKind::HandlerResponse,
        DeadlineKind::SecondFollowUp,
    ];

    /// English words.
    pub const fn label_en(self) -> &'static str {
        match self {
            DeadlineKind::Response => "first response",
            DeadlineKind::Forwarding => "forwarding to the department head",
            DeadlineKind::DepartmentResult => "department result",
            DeadlineKind::Solution => "proposed solution",
            DeadlineKind::SecondFollowUp => "second follow-up",
            DeadlineKind::HandlerResponse => "new handler's response",
        }
    }

    /// Chinese words.
    pub const fn label_zh(self) -> &'static str {
        match self {
            DeadlineKind::Response => "首次响应",
            DeadlineKind::Forwarding => "转交部门负责人",
            DeadlineKind::DepartmentResult => "部门处理结果",
            DeadlineKind::Solution => "提出解决方案",
            DeadlineKind::SecondFollowUp => "二次回访",
            DeadlineKind::HandlerResponse => "升级后处理人响应",
        }
    }
}

impl fmt::Display for DeadlineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// Why a complaint goes to the next handler (CMP-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationReason {
    /// A deadline passed.
    MissedDeadline(DeadlineKind),
    /// The customer's requested remedy exceeds the handler's authority
    /// (EST-08).
    RemedyAboveAuthority,
    /// The customer rejected the solution or explanation, or was not
    /// satisfied with it.
    CustomerRejected,
}

impl EscalationReason {
    /// English words.
    pub fn label_en(self) -> String {
        self.to_string()
    }

    /// Chinese words.
    pub fn label_zh(self) -> String {
        match self {
            EscalationReason::MissedDeadline(kind) => format!("{}超时", kind.label_zh()),
            EscalationReason::RemedyAboveAuthority => "客户要求超出处理人权限".to_owned(),
            EscalationReason::CustomerRejected => "客户不接受答复".to_owned(),
        }
    }
}

impl fmt::Display for EscalationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EscalationReason::MissedDeadline(kind) => write!(f, "missed deadline: {kind}"),
            EscalationReason::RemedyAboveAuthority => {
                f.write_str("requested remedy above the handler's authority")
            }
            EscalationReason::CustomerRejected => f.write_str("the customer rejected the answer"),
        }
    }
}

/// A recorded escalation (CMP-09): the complaint went to the next handler,
/// whose response clock started at `at`. The level is not changed by an
/// escalation; it changes only through the complaint's grading facts.
///
/// Serde writes `at`, `reason`, `level` and `handler`. An escalation stored
/// before escalations stopped raising the level has `from` and `to` levels
/// instead of `level`: it loads with `level` = `from`, the level the
/// complaint had, and the raised `to` level is dropped, since lateness or a
/// rejection is not a fact of the complaint (\[004\] keeps L4 for media
/// attention, personal safety and legal risk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "EscalationRecord")]
pub struct Escalation {
    /// When.
    pub at: At,
    /// Why.
    pub reason: EscalationReason,
    /// The complaint's level, unchanged by the escalation.
    pub level: Level,
    /// The handler the complaint goes to.
    pub handler: AuthorityRole,
}

/// What serde reads for an [`Escalation`]: today's shape or the shape
/// stored before escalations stopped raising the level.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalationRecord {
    at: At,
    reason: EscalationReason,
    #[serde(default)]
    level: Option<Level>,
    #[serde(default)]
    from: Option<Level>,
    #[serde(default, rename = "to")]
    _to: Option<Level>,
    handler: AuthorityRole,
}

impl TryFrom<EscalationRecord> for Escalation {
    type Error = &'static str;
    fn try_from(r: EscalationRecord) -> Result<Self, Self::Error> {
        Ok(Escalation {
            at: r.at,
            reason: r.reason,
            level: r.level.or(r.from).ok_or("missing field `level`")?,
            handler: r.handler,
        })
    }
}

/// A forwarding to a department (CMP-05).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forwarding {
    /// When.
    pub at: At,
    /// The department.
    pub department: DepartmentId,
    /// Its head, who receives the form.
    pub head: StaffId,
}

/// An interval in which the dealer waited on the customer (CMP-16).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiting {
    /// From.
    pub from: At,
    /// Until the customer replied; `None` while still waiting.
    pub until: Option<At>,
    /// What the dealer waits for.
    pub about: String,
}

/// How a complaint was closed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closure {
    /// Resolved: the customer confirmed satisfaction (CMP-08).
    Resolved {
        /// When.
        at: At,
        /// Who closed it.
        by: StaffId,
    },
    /// Not justified, explained, and the customer understood (CMP-05).
    Explained {
        /// When.
        at: At,
        /// Who closed it.
        by: StaffId,
    },
    /// Closed unresolved by an explicit management decision (CMP-08).
    Unresolved {
        /// When.
        at: At,
        /// The manager who decided.
        by: StaffId,
        /// Their role.
        role: AuthorityRole,
        /// Why.
        reason: String,
    },
}

impl Closure {
    /// When the complaint was closed.
    pub fn at(&self) -> At {
        match self {
            Closure::Resolved { at, .. }
            | Closure::Explained { at, .. }
            | Closure::Unresolved { at, .. } => *at,
        }
    }
}
