//! The [`Complaint`] aggregate: state, accessors and `apply`.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::command::{ComplaintCommand, ComplaintEvent};
use crate::complaint::decide;
use crate::complaint::error::ComplaintError;
use crate::complaint::grade::{FactSet, Grade, Level};
use crate::complaint::records::{
    Closure, ComplaintReceipt, CustomerAnswer, DeadlineKind, Escalation, EscalationReason,
    Forwarding, Lessons, Satisfaction, Solution, Verdict, Waiting,
};
use crate::ids::{ComplaintNo, StaffId};
use crate::policy::{AuthorityRole, Policy};

type At = DateTime<FixedOffset>;

/// Where a complaint stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStage {
    /// Not received yet.
    New,
    /// Received, acknowledged and graded; not judged yet.
    Received,
    /// Judged not justified; to be explained to the customer.
    NotJustified,
    /// Not justified, explained, and the customer understood.
    Explained,
    /// Justified and being handled; no solution pending.
    InHandling,
    /// A solution awaits the customer's answer.
    SolutionProposed,
    /// The customer accepted the solution.
    SolutionAccepted,
    /// The solution was carried out; the customer's satisfaction is asked.
    SolutionCarriedOut,
    /// The customer confirmed satisfaction.
    Resolved,
    /// Closed (resolved, explained, or unresolved by decision).
    Closed,
}

impl ComplaintStage {
    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            ComplaintStage::New => "new",
            ComplaintStage::Received => "received",
            ComplaintStage::NotJustified => "not justified",
            ComplaintStage::Explained => "explained",
            ComplaintStage::InHandling => "in handling",
            ComplaintStage::SolutionProposed => "solution proposed",
            ComplaintStage::SolutionAccepted => "solution accepted",
            ComplaintStage::SolutionCarriedOut => "solution carried out",
            ComplaintStage::Resolved => "resolved",
            ComplaintStage::Closed => "closed",
        }
    }

    /// Chinese label.
    pub const fn label_zh(self) -> &'static str {
        match self {
            ComplaintStage::New => "新建",
            ComplaintStage::Received => "已受理",
            ComplaintStage::NotJustified => "不成立",
            ComplaintStage::Explained => "已解释",
            ComplaintStage::InHandling => "处理中",
            ComplaintStage::SolutionProposed => "已提出方案",
            ComplaintStage::SolutionAccepted => "客户已接受方案",
            ComplaintStage::SolutionCarriedOut => "方案已执行",
            ComplaintStage::Resolved => "已解决",
            ComplaintStage::Closed => "已关闭",
        }
    }
}

impl fmt::Display for ComplaintStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// A proposed solution and the customer's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// When it was proposed.
    pub at: At,
    /// Who proposed it.
    pub by: StaffId,
    /// The solution.
    pub solution: Solution,
    /// The customer's answer, once given.
    pub answer: Option<CustomerAnswer>,
}

/// A complaint, from receipt to closure: the aggregate of CMP-01 …
/// CMP-17, driven like the work order by commands that return events.
///
/// ```
/// use aftersales::{
///     Channel, Complaint, ComplaintCommand, ComplaintFact as F, ComplaintNo, ComplaintReceipt,
///     CustomerId, CustomerStanding, Demand, Emotion, Level, Nature, Policy, RuleId, StaffId,
///     Verdict,
/// };
/// use chrono::DateTime;
///
/// let policy = Policy::default();
/// let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
/// let mut complaint = Complaint::new(ComplaintNo::try_new("CMP-2026-0042")?);
/// complaint.execute(
///     ComplaintCommand::Receive {
///         receipt: ComplaintReceipt {
///             at,
///             customer: CustomerId::try_new("C-1001")?,
///             channel: Channel::Phone,
///             description: "billed twice for the same brake fluid".into(),
///             demands: vec![Demand::Compensation],
///             remedy_amount: Some("180 CNY".parse()?),
///             emotion: Emotion::Angry,
///             facts: [F::FeeDispute].into(),
///             nature: Nature::General,
///             repeat_of: None,
///             standing: CustomerStanding::Regular,
///             owner: StaffId::try_new("CR-02")?,
///             order: None,
///         },
///     },
///     &policy,
/// )?;
/// assert_eq!(complaint.level(), Some(Level::L2Regular));
/// // Closing before the customer is satisfied breaks the closed loop.
/// let err = complaint
///     .execute(ComplaintCommand::Close { at, by: StaffId::try_new("CR-02")? }, &policy)
///     .unwrap_err();
/// assert_eq!(err.rule(), Some(RuleId::Cmp05));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Stored data
///
/// Store the events, not the complaint: the events are the stored truth.
/// Append the [`ComplaintEvent`]s that [`Complaint::execute`] returns to
/// the complaint's log, in the order they came, and rebuild the complaint
/// with [`Complaint::replay`] from its number and that log. Events stored
/// by older versions of the crate still load, and replay to today's
/// reading of them. The complaint serializes, as a read model a DMS may
/// show or cache for display, but it does not deserialize: a complaint
/// loaded field by field could hold what no command allows (closed as
/// resolved without a verdict, escalated to a lower handler), so there is
/// no way to load one.
///
/// ```
/// # use aftersales::{
/// #     Channel, Complaint, ComplaintCommand, ComplaintEvent, ComplaintFact as F, ComplaintNo,
/// #     ComplaintReceipt, CustomerId, CustomerStanding, Demand, Emotion, Nature, Policy, StaffId,
/// # };
/// # use chrono::DateTime;
/// # let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
/// # let receipt = ComplaintReceipt {
/// #     at,
/// #     customer: CustomerId::try_new("C-1001")?,
/// #     channel: Channel::Phone,
/// #     description: "billed twice for the same brake fluid".into(),
/// #     demands: vec![Demand::Compensation],
/// #     remedy_amount: Some("180 CNY".parse()?),
/// #     emotion: Emotion::Angry,
/// #     facts: [F::FeeDispute].into(),
/// #     nature: Nature::General,
/// #     repeat_of: None,
/// #     standing: CustomerStanding::Regular,
/// #     owner: StaffId::try_new("CR-02")?,
/// #     order: None,
/// # };
/// let no = ComplaintNo::try_new("CMP-2026-0042")?;
/// let mut complaint = Complaint::new(no.clone());
/// let events = complaint.execute(ComplaintCommand::Receive { receipt }, &Policy::default())?;
/// // The DMS stores the events ...
/// let stored = serde_json::to_string(&events)?;
/// // ... and rebuilds the complaint from them.
/// let log: Vec<ComplaintEvent> = serde_json::from_str(&stored)?;
/// assert_eq!(Complaint::replay(no, &log), complaint);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The complaint itself does not load from JSON (a test that it stays so):
///
/// ```compile_fail,E0277
/// let complaint: aftersales::Complaint = serde_json::from_str("{}")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub(crate) no: ComplaintNo,
    pub(crate) stage: ComplaintStage,
    pub(crate) receipt: Option<ComplaintReceipt>,
    pub(crate) grade: Option<Grade>,
    pub(crate) owner: Option<StaffId>,
    pub(crate) safety_assessed_at: Option<At>,
    pub(crate) judged_at: Option<At>,
    pub(crate) verdict: Option<Verdict>,
    pub(crate) explanations: u32,
    pub(crate) first_response_at: Option<At>,
    pub(crate) apologized_at: Option<At>,
    pub(crate) form_filed_at: Option<At>,
    pub(crate) reported_to_gm_at: Option<At>,
    pub(crate) forwarding: Option<Forwarding>,
    pub(crate) department_result_at: Option<At>,
    pub(crate) proposals: Vec<Proposal>,
    pub(crate) carried_out_at: Option<At>,
    pub(crate) resolved_at: Option<At>,
    pub(crate) lessons: Option<Lessons>,
    pub(crate) second_follow_up: Option<(At, Satisfaction)>,
    pub(crate) open_rejections: u32,
    pub(crate) escalations: Vec<Escalation>,
    /// Facts recorded after receipt (CMP-04).
    pub(crate) added_facts: FactSet,
    /// The grade after the latest new facts, and when they were recorded.
    pub(crate) regraded: Option<(At, Grade)>,
    /// Every answer to the customer: explanations and proposed solutions.
    pub(crate) responses: Vec<At>,
    /// When the current handler took over (CMP-09).
    pub(crate) handed_over_at: Option<At>,
    pub(crate) waiting: Vec<Waiting>,
    pub(crate) closure: Option<Closure>,
    pub(crate) last_event_at: Option<At>,
    pub(crate) version: u64,
}

impl Complaint {
    /// A complaint not yet received.
    pub fn new(no: ComplaintNo) -> Self {
        Complaint {
            no,
            stage: ComplaintStage::New,
            receipt: None,
            grade: None,
            owner: None,
            safety_assessed_at: None,
            judged_at: None,
            verdict: None,
            explanations: 0,
            first_response_at: None,
            apologized_at: None,
            form_filed_at: None,
            reported_to_gm_at: None,
            forwarding: None,
            department_result_at: None,
            proposals: Vec::new(),
            carried_out_at: None,
            resolved_at: None,
            lessons: None,
            second_follow_up: None,
            open_rejections: 0,
            escalations: Vec::new(),
            added_facts: FactSet::EMPTY,
            regraded: None,
            responses: Vec::new(),
            handed_over_at: None,
            waiting: Vec::new(),
            closure: None,
            last_event_at: None,
            version: 0,
        }
    }

    /// Rebuilds a complaint from its stored events.
    pub fn replay<'a, I>(no: ComplaintNo, events: I) -> Self
    where
        I: IntoIterator<Item = &'a ComplaintEvent>,
    {
        let mut complaint = Complaint::new(no);
        for event in events {
            complaint.apply(event);
        }
        complaint
    }

    /// Checks `command` against every rule and returns the events it
    /// causes, without changing the complaint.
    ///
    /// # Errors
    ///
    /// [`ComplaintError::Rejected`] naming the rule the command breaks,
    /// [`ComplaintError::InvalidInput`] naming the malformed field; a time
    /// outside the [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE)
    /// (`at`, or `receipt.at` on receipt) is refused that way before any
    /// rule is checked.
    pub fn decide(
        &self,
        command: &ComplaintCommand,
        policy: &Policy,
    ) -> Result<Vec<ComplaintEvent>, ComplaintError> {
        decide::decide(self, command, policy)
    }

    /// [`decide`](Complaint::decide), then [`apply`](Complaint::apply) the
    /// events; returns them for the DMS to store.
    ///
    /// # Errors
    ///
    /// As [`Complaint::decide`]; the complaint is unchanged on error.
    pub fn execute(
        &mut self,
        command: ComplaintCommand,
        policy: &Policy,
    ) -> Result<Vec<ComplaintEvent>, ComplaintError> {
        let events = self.decide(&command, policy)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Records an event. Never fails and holds no rule: the rules were
    /// checked when the event was decided.
    pub fn apply(&mut self, event: &ComplaintEvent) {
        use ComplaintEvent as E;
        self.version = self.version.saturating_add(1);
        self.last_event_at = Some(event.at());
        match event {
            E::Received { receipt, grade } => {
                self.owner = Some(receipt.owner.clone());
                self.receipt = Some(receipt.clone());
                self.grade = Some(*grade);
                self.stage = ComplaintStage::Received;
            }
            E::SafetyAssessed { at, .. } => self.safety_assessed_at = Some(*at),
            E::Judged { at, verdict, .. } => {
                self.judged_at = Some(*at);
                self.verdict = Some(*verdict);
                self.stage = match verdict {
                    Verdict::Justified => ComplaintStage::InHandling,
                    Verdict::NotJustified => ComplaintStage::NotJustified,
                };
            }
            E::Explained { at, answer, .. } => {
                self.explanations = self.explanations.saturating_add(1);
                self.first_response_at.get_or_insert(*at);
                self.responses.push(*at);
                match answer {
                    CustomerAnswer::Accepted => self.stage = ComplaintStage::Explained,
                    CustomerAnswer::Rejected => {
                        self.open_rejections = self.open_rejections.saturating_add(1);
                    }
                }
            }
            E::Apologized { at, .. } => self.apologized_at = Some(*at),
            E::FormFiled { at, .. } => self.form_filed_at = Some(*at),
            E::ReportedToGeneralManager { at, .. } => self.reported_to_gm_at = Some(*at),
            E::Forwarded { forwarding } => self.forwarding = Some(forwarding.clone()),
            E::DepartmentResultRecorded { at, .. } => self.department_result_at = Some(*at),
            E::SolutionProposed { at, by, solution } => {
                self.first_response_at.get_or_insert(*at);
                self.responses.push(*at);
                self.proposals.push(Proposal {
                    at: *at,
                    by: by.clone(),
                    solution: solution.clone(),
                    answer: None,
                });
                self.stage = ComplaintStage::SolutionProposed;
            }
            E::SolutionAnswered { answer, .. } => {
                if let Some(p) = self.proposals.last_mut() {
                    p.answer = Some(*answer);
                }
                match answer {
                    CustomerAnswer::Accepted => self.stage = ComplaintStage::SolutionAccepted,
                    CustomerAnswer::Rejected => {
                        self.open_rejections = self.open_rejections.saturating_add(1);
                        self.stage = ComplaintStage::InHandling;
                    }
                }
            }
            E::SolutionCarriedOut { at, .. } => {
                self.carried_out_at = Some(*at);
                self.stage = ComplaintStage::SolutionCarriedOut;
            }
            E::SatisfactionRecorded { at, outcome, .. } => match outcome {
                Satisfaction::Satisfied => {
                    self.resolved_at = Some(*at);
                    self.stage = ComplaintStage::Resolved;
                }
                Satisfaction::NotSatisfied => {
                    self.open_rejections = self.open_rejections.saturating_add(1);
                    self.stage = ComplaintStage::InHandling;
                }
            },
            E::LessonsRecorded { lessons, .. } => self.lessons = Some(lessons.clone()),
            E::SecondFollowUpMade { at, outcome, .. } => {
                self.second_follow_up = Some((*at, *outcome));
                if *outcome == Satisfaction::NotSatisfied {
                    // Follow up until the customer is satisfied (CMP-05):
                    // handling starts again.
                    self.open_rejections = self.open_rejections.saturating_add(1);
                    self.resolved_at = None;
                    self.second_follow_up = None;
                    self.stage = ComplaintStage::InHandling;
                }
            }
            E::FactsRecorded {
                at, facts, grade, ..
            } => {
                if self.handler().is_some_and(|h| grade.handler > h) {
                    self.handed_over_at = Some(*at);
                }
                self.added_facts = self.added_facts.union(*facts);
                self.regraded = Some((*at, *grade));
            }
            E::Escalated { escalation } => {
                if escalation.reason == EscalationReason::CustomerRejected {
                    self.open_rejections = 0;
                }
                self.handed_over_at = Some(escalation.at);
                self.escalations.push(*escalation);
            }
            E::WaitingOnCustomer { at, about } => self.waiting.push(Waiting {
                from: *at,
                until: None,
                about: about.clone(),
            }),
            E::CustomerReplied { at } => {
                if let Some(w) = self.waiting.last_mut() {
                    w.until = Some(*at);
                }
            }
            E::OwnerReassigned { owner, .. } => self.owner = Some(owner.clone()),
            E::Closed { at, by } => {
                self.closure = Some(if self.verdict == Some(Verdict::NotJustified) {
                    Closure::Explained {
                        at: *at,
                        by: by.clone(),
                    }
                } else {
                    Closure::Resolved {
                        at: *at,
                        by: by.clone(),
                    }
                });
                self.stage = ComplaintStage::Closed;
            }
            E::ClosedUnresolved {
                at,
                by,
                role,
                reason,
            } => {
                self.closure = Some(Closure::Unresolved {
                    at: *at,
                    by: by.clone(),
                    role: *role,
                    reason: reason.clone(),
                });
                self.stage = ComplaintStage::Closed;
            }
        }
    }

    /// The complaint's number.
    pub fn no(&self) -> &ComplaintNo {
        &self.no
    }

    /// Where it stands.
    pub fn stage(&self) -> ComplaintStage {
        self.stage
    }

    /// What was recorded on receipt.
    pub fn receipt(&self) -> Option<&ComplaintReceipt> {
        self.receipt.as_ref()
    }

    /// The grade given on receipt.
    pub fn grade(&self) -> Option<&Grade> {
        self.grade.as_ref()
    }

    /// The grade now: the one given on receipt, or the regrade after the
    /// latest new facts ([`ComplaintCommand::RecordFacts`]).
    pub fn current_grade(&self) -> Option<&Grade> {
        self.regraded
            .as_ref()
            .map(|(_, g)| g)
            .or(self.grade.as_ref())
    }

    /// Every graded fact: those recorded on receipt and those recorded
    /// since.
    pub fn facts(&self) -> FactSet {
        self.receipt
            .as_ref()
            .map_or(FactSet::EMPTY, |r| r.facts)
            .union(self.added_facts)
    }

    /// The current level: the grade's (CMP-04, with the nature floor of
    /// CMP-02 and the repeat raise of CMP-09), changed only by new facts.
    /// An escalation hands the complaint to another handler and leaves the
    /// level as it is.
    pub fn level(&self) -> Option<Level> {
        self.current_grade().map(|g| g.level)
    }

    /// The current handler role: the grade's handler or, after an
    /// escalation, the handler it went to, whichever is more senior.
    pub fn handler(&self) -> Option<AuthorityRole> {
        let graded = self.current_grade().map(|g| g.handler);
        match (graded, self.escalations.last().map(|e| e.handler)) {
            (Some(g), Some(e)) => Some(g.max(e)),
            (g, e) => g.or(e),
        }
    }

    /// When the current handler took the complaint over, if it was handed
    /// over: the latest escalation, or new facts that raised the handler;
    /// `None` while the handler of the grade on receipt still has it.
    pub fn handed_over_at(&self) -> Option<At> {
        self.handed_over_at
            .or_else(|| self.escalations.last().map(|e| e.at))
    }

    /// Every answer the customer got, oldest first: explanations and
    /// proposed solutions.
    pub fn responses(&self) -> impl Iterator<Item = At> + '_ {
        let mut all: Vec<At> = self
            .responses
            .iter()
            .copied()
            .chain(self.proposals.iter().map(|p| p.at))
            .collect();
        all.sort();
        all.dedup();
        all.into_iter()
    }

    /// The owner (CMP-08).
    pub fn owner(&self) -> Option<&StaffId> {
        self.owner.as_ref()
    }

    /// The verdict, once judged.
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    /// When the customer first got an answer: an explanation or a proposed
    /// solution (the CMP-04 response).
    pub fn first_response_at(&self) -> Option<At> {
        self.first_response_at
    }

    /// The forwarding to the department, once done.
    pub fn forwarding(&self) -> Option<&Forwarding> {
        self.forwarding.as_ref()
    }

    /// Every proposed solution, oldest first.
    pub fn proposals(&self) -> &[Proposal] {
        &self.proposals
    }

    /// When the customer confirmed satisfaction.
    pub fn resolved_at(&self) -> Option<At> {
        self.resolved_at
    }

    /// The closed loop's lessons (CMP-08).
    pub fn lessons(&self) -> Option<&Lessons> {
        self.lessons.as_ref()
    }

    /// The second follow-up call and its outcome (CMP-10).
    pub fn second_follow_up(&self) -> Option<(At, Satisfaction)> {
        self.second_follow_up
    }

    /// Rejections and dissatisfaction not yet answered by an escalation.
    pub fn open_rejections(&self) -> u32 {
        self.open_rejections
    }

    /// Every escalation, oldest first.
    pub fn escalations(&self) -> &[Escalation] {
        &self.escalations
    }

    /// Whether a missed `kind` deadline was already escalated. Never for
    /// [`DeadlineKind::HandlerResponse`]: every escalation starts a new
    /// handler's clock, so the current one has not been escalated.
    pub fn escalated_for(&self, kind: DeadlineKind) -> bool {
        kind != DeadlineKind::HandlerResponse
            && self
                .escalations
                .iter()
                .any(|e| e.reason == EscalationReason::MissedDeadline(kind))
    }

    /// The intervals spent waiting on the customer (CMP-16).
    pub fn waiting(&self) -> &[Waiting] {
        &self.waiting
    }

    /// How it was closed.
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// When the safety issue was assessed (CMP-17).
    pub fn safety_assessed_at(&self) -> Option<At> {
        self.safety_assessed_at
    }

    /// When the complaint was judged.
    pub fn judged_at(&self) -> Option<At> {
        self.judged_at
    }

    /// When the customer got an apology (CMP-05).
    pub fn apologized_at(&self) -> Option<At> {
        self.apologized_at
    }

    /// When the complaint form was filled in (CMP-05).
    pub fn form_filed_at(&self) -> Option<At> {
        self.form_filed_at
    }

    /// When the general manager was told (CMP-05).
    pub fn reported_to_gm_at(&self) -> Option<At> {
        self.reported_to_gm_at
    }

    /// When the department's result reached customer relations.
    pub fn department_result_at(&self) -> Option<At> {
        self.department_result_at
    }

    /// When the solution was carried out.
    pub fn carried_out_at(&self) -> Option<At> {
        self.carried_out_at
    }

    /// How many events were applied.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The latest proposal, if any.
    pub fn last_proposal(&self) -> Option<&Proposal> {
        self.proposals.last()
    }

    /// The solution the customer accepted last, if any.
    pub fn accepted_solution(&self) -> Option<&Solution> {
        self.proposals
            .iter()
            .rev()
            .find(|p| p.answer == Some(CustomerAnswer::Accepted))
            .map(|p| &p.solution)
    }
}
