//! Complaints (投诉) and grievances (抱怨): rules CMP-01 … CMP-17.
//!
//! Start from [`grade`] to grade a complaint's facts, and from
//! [`Complaint`] for its lifecycle: commands in, events out, deadlines and
//! escalations at any instant.

mod aggregate;
mod clock;
mod command;
mod deadlines;
mod decide;
mod error;
mod grade;
mod intake;
mod phrases;
mod policy;
mod records;
mod stats;
mod third_party;

pub use aggregate::{Complaint, ComplaintStage, Proposal};
pub use clock::{BusinessHours, DeadlineClock, OpeningHours, Pause};
pub use command::{ComplaintAction, ComplaintCommand, ComplaintEvent};
pub use deadlines::{DeadlineCheck, DeadlineStatus, EscalationDue};
pub use error::ComplaintError;
pub use grade::{
    ComplaintFact, CustomerStanding, FactSet, Grade, GradeError, GradeInput, Level, Nature,
    Occurrence, grade,
};
pub use intake::{
    Concern, IntakeDecision, IntakeForm, MissingInfo, SafetyAssessment, Triage, triage,
};
pub use phrases::{
    ForbiddenPhrase, ForbiddenPhrases, PhraseHit, PhraseLanguage, PhraseList, ScriptRef,
    ScriptSection,
};
pub use policy::{
    ComplaintPolicy, FactLevels, LevelRule, LevelTable, NatureFloors, WaitingOnCustomer,
};
pub use records::{
    Channel, Closure, ComplaintReceipt, ConcernKind, CustomerAnswer, DeadlineKind, Demand, Emotion,
    Escalation, EscalationReason, Forwarding, Lessons, Satisfaction, Solution, SolutionTiming,
    Verdict, Waiting,
};
pub use stats::ComplaintStats;
pub use third_party::{
    LegalDispute, TechnicalJudgement, ThirdParty, ThirdPartyPolicy, ThirdPartySituation,
    ThirdPartySuggestion, suggest_third_party,
};
