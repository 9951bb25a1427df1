//! Complaints (投诉) and grievances (抱怨): rules CMP-01 … CMP-17.
//!
//! Start from [`grade`] to grade a complaint's facts, and from
//! [`Complaint`] for its lifecycle.

mod grade;
mod policy;

pub use grade::{
    ComplaintFact, CustomerStanding, FactSet, Grade, GradeError, GradeInput, Level, Nature,
    Occurrence, grade,
};
pub use policy::{
    ComplaintPolicy, FactLevels, LevelRule, LevelTable, NatureFloors, WaitingOnCustomer,
};
