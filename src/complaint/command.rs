//! [`ComplaintCommand`]: what a user asks of a complaint, and
//! [`ComplaintEvent`]: what happened.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::grade::{FactSet, Grade};
use crate::complaint::records::{
    ComplaintReceipt, CustomerAnswer, Escalation, EscalationReason, Forwarding, Lessons,
    Satisfaction, Solution, Verdict,
};
use crate::ids::{DepartmentId, StaffId};
use crate::policy::AuthorityRole;

type At = DateTime<FixedOffset>;

/// A command to a [`Complaint`](crate::Complaint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ComplaintCommand {
    /// Receive and acknowledge a complaint (CMP-17); it is graded on
    /// receipt (CMP-04).
    Receive {
        /// What is recorded.
        receipt: ComplaintReceipt,
    },
    /// Assess a health-or-safety issue, before anything else (CMP-17).
    AssessSafety {
        /// When.
        at: At,
        /// Who assessed it.
        by: StaffId,
        /// What was found and done.
        finding: String,
    },
    /// Judge whether the complaint is justified (CMP-05).
    Judge {
        /// When.
        at: At,
        /// Who judged.
        by: StaffId,
        /// The verdict.
        verdict: Verdict,
    },
    /// Explain a complaint that is not justified to the customer (CMP-05).
    Explain {
        /// When.
        at: At,
        /// Who explained.
        by: StaffId,
        /// What was explained.
        explanation: String,
        /// Whether the customer understood.
        answer: CustomerAnswer,
    },
    /// Apologize to the customer (CMP-05).
    Apologize {
        /// When.
        at: At,
        /// Who apologized.
        by: StaffId,
    },
    /// Fill in the complaint's form (CMP-05): the customer complaint form
    /// (客户投诉处理单) or, for a complaint raised in a follow-up call, the
    /// urgent complaint contact form (表6 紧急投诉应对联络表, CMP-07).
    FileForm {
        /// When.
        at: At,
        /// Who filled it in.
        by: StaffId,
    },
    /// Report the complaint to the general manager (CMP-05).
    ReportToGeneralManager {
        /// When.
        at: At,
        /// Who reported it.
        by: StaffId,
    },
    /// Forward the form to the responsible department head (CMP-05).
    Forward {
        /// When.
        at: At,
        /// The department.
        department: DepartmentId,
        /// Its head.
        head: StaffId,
    },
    /// Record the department's result reaching customer relations (CMP-05).
    RecordDepartmentResult {
        /// When.
        at: At,
        /// What the department found and decided.
        result: String,
    },
    /// Propose a solution to the customer (CMP-06).
    ProposeSolution {
        /// When.
        at: At,
        /// Who proposed it.
        by: StaffId,
        /// The solution.
        solution: Solution,
    },
    /// Record the customer's answer to the proposed solution.
    AnswerSolution {
        /// When.
        at: At,
        /// Accepted or rejected (CMP-09).
        answer: CustomerAnswer,
    },
    /// Record that the accepted solution was carried out (CMP-08).
    CarryOutSolution {
        /// When.
        at: At,
        /// Who carried it out.
        by: StaffId,
    },
    /// Record whether the customer is satisfied with the result (CMP-05,
    /// CMP-08).
    ConfirmSatisfaction {
        /// When.
        at: At,
        /// Who asked.
        by: StaffId,
        /// The customer's answer.
        outcome: Satisfaction,
    },
    /// Record root cause, preventive measure and lesson (CMP-08).
    RecordLessons {
        /// When.
        at: At,
        /// Who recorded them.
        by: StaffId,
        /// The record.
        lessons: Lessons,
    },
    /// Record the second follow-up call (CMP-10).
    RecordSecondFollowUp {
        /// When.
        at: At,
        /// Who called.
        by: StaffId,
        /// The customer's answer.
        outcome: Satisfaction,
    },
    /// Record graded facts learned after receipt (CMP-04): the complaint
    /// is graded again over every fact, so its level can rise (never fall),
    /// and a more senior handler takes it over with a new response clock.
    RecordFacts {
        /// When.
        at: At,
        /// Who recorded them.
        by: StaffId,
        /// The new facts; at least one not recorded yet.
        facts: FactSet,
    },
    /// Hand the complaint to the next handler (CMP-09); its level stays.
    Escalate {
        /// When.
        at: At,
        /// Why; it must hold at `at`.
        reason: EscalationReason,
    },
    /// Start waiting on the customer (CMP-16).
    AwaitCustomer {
        /// When.
        at: At,
        /// What the dealer waits for.
        about: String,
    },
    /// The customer replied; waiting ends (CMP-16).
    RecordCustomerReply {
        /// When.
        at: At,
    },
    /// Give the complaint another owner (CMP-08).
    ReassignOwner {
        /// When.
        at: At,
        /// The new owner.
        owner: StaffId,
    },
    /// Close the complaint (CMP-08).
    Close {
        /// When.
        at: At,
        /// Who closes it.
        by: StaffId,
    },
    /// Close the complaint unresolved by a management decision (CMP-08).
    CloseUnresolved {
        /// When.
        at: At,
        /// The manager who decides.
        by: StaffId,
        /// Their role; at least the policy's `close_unresolved_role`.
        role: AuthorityRole,
        /// Why it is closed unresolved.
        reason: String,
    },
}

/// What a [`ComplaintCommand`] asks for, without its data: for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[allow(missing_docs)] // one per command, documented there
pub enum ComplaintAction {
    Receive,
    AssessSafety,
    Judge,
    Explain,
    Apologize,
    FileForm,
    ReportToGeneralManager,
    Forward,
    RecordDepartmentResult,
    ProposeSolution,
    AnswerSolution,
    CarryOutSolution,
    ConfirmSatisfaction,
    RecordLessons,
    RecordSecondFollowUp,
    RecordFacts,
    Escalate,
    AwaitCustomer,
    RecordCustomerReply,
    ReassignOwner,
    Close,
    CloseUnresolved,
}

impl fmt::Display for ComplaintAction {
    /// A verb phrase, as in "complaint `C-1` cannot be judged".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ComplaintAction as A;
        f.write_str(match self {
            A::Receive => "be received",
            A::AssessSafety => "have its safety issue assessed",
            A::Judge => "be judged",
            A::Explain => "be explained to the customer",
            A::Apologize => "be apologized for",
            A::FileForm => "have its form filed",
            A::ReportToGeneralManager => "be reported to the general manager",
            A::Forward => "be forwarded",
            A::RecordDepartmentResult => "record the department's result",
            A::ProposeSolution => "get a proposed solution",
            A::AnswerSolution => "record the customer's answer",
            A::CarryOutSolution => "have its solution carried out",
            A::ConfirmSatisfaction => "record the customer's satisfaction",
            A::RecordLessons => "record its lessons",
            A::RecordSecondFollowUp => "record the second follow-up",
            A::RecordFacts => "record new facts",
            A::Escalate => "be escalated",
            A::AwaitCustomer => "wait on the customer",
            A::RecordCustomerReply => "record the customer's reply",
            A::ReassignOwner => "be reassigned",
            A::Close => "be closed",
            A::CloseUnresolved => "be closed unresolved",
        })
    }
}

impl ComplaintCommand {
    /// When the command happens.
    pub fn at(&self) -> At {
        use ComplaintCommand as C;
        match self {
            C::Receive { receipt } => receipt.at,
            C::AssessSafety { at, .. }
            | C::Judge { at, .. }
            | C::Explain { at, .. }
            | C::Apologize { at, .. }
            | C::FileForm { at, .. }
            | C::ReportToGeneralManager { at, .. }
            | C::Forward { at, .. }
            | C::RecordDepartmentResult { at, .. }
            | C::ProposeSolution { at, .. }
            | C::AnswerSolution { at, .. }
            | C::CarryOutSolution { at, .. }
            | C::ConfirmSatisfaction { at, .. }
            | C::RecordLessons { at, .. }
            | C::RecordSecondFollowUp { at, .. }
            | C::RecordFacts { at, .. }
            | C::Escalate { at, .. }
            | C::AwaitCustomer { at, .. }
            | C::RecordCustomerReply { at }
            | C::ReassignOwner { at, .. }
            | C::Close { at, .. }
            | C::CloseUnresolved { at, .. } => *at,
        }
    }

    /// What the command asks for.
    pub fn action(&self) -> ComplaintAction {
        use ComplaintAction as A;
        use ComplaintCommand as C;
        match self {
            C::Receive { .. } => A::Receive,
            C::AssessSafety { .. } => A::AssessSafety,
            C::Judge { .. } => A::Judge,
            C::Explain { .. } => A::Explain,
            C::Apologize { .. } => A::Apologize,
            C::FileForm { .. } => A::FileForm,
            C::ReportToGeneralManager { .. } => A::ReportToGeneralManager,
            C::Forward { .. } => A::Forward,
            C::RecordDepartmentResult { .. } => A::RecordDepartmentResult,
            C::ProposeSolution { .. } => A::ProposeSolution,
            C::AnswerSolution { .. } => A::AnswerSolution,
            C::CarryOutSolution { .. } => A::CarryOutSolution,
            C::ConfirmSatisfaction { .. } => A::ConfirmSatisfaction,
            C::RecordLessons { .. } => A::RecordLessons,
            C::RecordSecondFollowUp { .. } => A::RecordSecondFollowUp,
            C::RecordFacts { .. } => A::RecordFacts,
            C::Escalate { .. } => A::Escalate,
            C::AwaitCustomer { .. } => A::AwaitCustomer,
            C::RecordCustomerReply { .. } => A::RecordCustomerReply,
            C::ReassignOwner { .. } => A::ReassignOwner,
            C::Close { .. } => A::Close,
            C::CloseUnresolved { .. } => A::CloseUnresolved,
        }
    }
}

/// Something that happened to a complaint. Applying an event never fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
#[allow(missing_docs)] // fields repeat the command's, documented there
pub enum ComplaintEvent {
    /// Received, acknowledged at once and graded (CMP-17, CMP-04).
    Received {
        receipt: ComplaintReceipt,
        grade: Grade,
    },
    /// The safety issue was assessed (CMP-17).
    SafetyAssessed {
        at: At,
        by: StaffId,
        finding: String,
    },
    /// Judged (CMP-05).
    Judged {
        at: At,
        by: StaffId,
        verdict: Verdict,
    },
    /// Explained to the customer (CMP-05).
    Explained {
        at: At,
        by: StaffId,
        explanation: String,
        answer: CustomerAnswer,
    },
    /// Apologized (CMP-05).
    Apologized { at: At, by: StaffId },
    /// Form filed (CMP-05).
    FormFiled { at: At, by: StaffId },
    /// Reported to the general manager (CMP-05).
    ReportedToGeneralManager { at: At, by: StaffId },
    /// Forwarded to the department head (CMP-05).
    Forwarded { forwarding: Forwarding },
    /// The department's result reached customer relations (CMP-05).
    DepartmentResultRecorded { at: At, result: String },
    /// A solution was proposed (CMP-06).
    SolutionProposed {
        at: At,
        by: StaffId,
        solution: Solution,
    },
    /// The customer answered the proposed solution.
    SolutionAnswered { at: At, answer: CustomerAnswer },
    /// The solution was carried out.
    SolutionCarriedOut { at: At, by: StaffId },
    /// The customer said whether they are satisfied.
    SatisfactionRecorded {
        at: At,
        by: StaffId,
        outcome: Satisfaction,
    },
    /// Lessons recorded (CMP-08).
    LessonsRecorded {
        at: At,
        by: StaffId,
        lessons: Lessons,
    },
    /// The second follow-up call was made (CMP-10).
    SecondFollowUpMade {
        at: At,
        by: StaffId,
        outcome: Satisfaction,
    },
    /// New facts were recorded and the complaint graded again over all of
    /// them (CMP-04).
    FactsRecorded {
        at: At,
        by: StaffId,
        facts: FactSet,
        grade: Grade,
    },
    /// Handed to the next handler (CMP-09).
    Escalated { escalation: Escalation },
    /// Waiting on the customer began (CMP-16).
    WaitingOnCustomer { at: At, about: String },
    /// The customer replied (CMP-16).
    CustomerReplied { at: At },
    /// The owner changed (CMP-08).
    OwnerReassigned { at: At, owner: StaffId },
    /// Closed resolved (CMP-08).
    Closed { at: At, by: StaffId },
    /// Closed unresolved by a management decision (CMP-08).
    ClosedUnresolved {
        at: At,
        by: StaffId,
        role: AuthorityRole,
        reason: String,
    },
}

impl ComplaintEvent {
    /// The event's name, as in its serde tag (`received`, `escalated` …).
    pub fn name(&self) -> &'static str {
        use ComplaintEvent as E;
        match self {
            E::Received { .. } => "received",
            E::SafetyAssessed { .. } => "safety_assessed",
            E::Judged { .. } => "judged",
            E::Explained { .. } => "explained",
            E::Apologized { .. } => "apologized",
            E::FormFiled { .. } => "form_filed",
            E::ReportedToGeneralManager { .. } => "reported_to_general_manager",
            E::Forwarded { .. } => "forwarded",
            E::DepartmentResultRecorded { .. } => "department_result_recorded",
            E::SolutionProposed { .. } => "solution_proposed",
            E::SolutionAnswered { .. } => "solution_answered",
            E::SolutionCarriedOut { .. } => "solution_carried_out",
            E::SatisfactionRecorded { .. } => "satisfaction_recorded",
            E::LessonsRecorded { .. } => "lessons_recorded",
            E::SecondFollowUpMade { .. } => "second_follow_up_made",
            E::FactsRecorded { .. } => "facts_recorded",
            E::Escalated { .. } => "escalated",
            E::WaitingOnCustomer { .. } => "waiting_on_customer",
            E::CustomerReplied { .. } => "customer_replied",
            E::OwnerReassigned { .. } => "owner_reassigned",
            E::Closed { .. } => "closed",
            E::ClosedUnresolved { .. } => "closed_unresolved",
        }
    }

    /// When it happened.
    pub fn at(&self) -> At {
        use ComplaintEvent as E;
        match self {
            E::Received { receipt, .. } => receipt.at,
            E::Forwarded { forwarding } => forwarding.at,
            E::Escalated { escalation } => escalation.at,
            E::SafetyAssessed { at, .. }
            | E::Judged { at, .. }
            | E::Explained { at, .. }
            | E::Apologized { at, .. }
            | E::FormFiled { at, .. }
            | E::ReportedToGeneralManager { at, .. }
            | E::DepartmentResultRecorded { at, .. }
            | E::SolutionProposed { at, .. }
            | E::SolutionAnswered { at, .. }
            | E::SolutionCarriedOut { at, .. }
            | E::SatisfactionRecorded { at, .. }
            | E::LessonsRecorded { at, .. }
            | E::SecondFollowUpMade { at, .. }
            | E::FactsRecorded { at, .. }
            | E::WaitingOnCustomer { at, .. }
            | E::CustomerReplied { at }
            | E::OwnerReassigned { at, .. }
            | E::Closed { at, .. }
            | E::ClosedUnresolved { at, .. } => *at,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_the_serde_tags() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00").unwrap();
        let by = StaffId::try_new("CR-1").unwrap();
        let events = [
            ComplaintEvent::Apologized { at, by: by.clone() },
            ComplaintEvent::CustomerReplied { at },
            ComplaintEvent::ReportedToGeneralManager { at, by: by.clone() },
            ComplaintEvent::ClosedUnresolved {
                at,
                by,
                role: AuthorityRole::Manager,
                reason: "unreachable".into(),
            },
        ];
        for e in events {
            let json = serde_json::to_value(&e).unwrap();
            assert_eq!(json["event"], e.name());
            assert_eq!(e.at(), at);
        }
    }
}
