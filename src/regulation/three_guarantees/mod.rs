//! 三包 (REG-07 … REG-10): the rights a buyer of a household car has under
//! SAMR Order 43 (家用汽车产品修理更换退货责任规定), decided from the car's
//! invoice and delivery, its km and its repair history.
//!
//! - [`entitlements`]: every right earned at an instant, each with its
//!   rule, article, the repairs and facts behind it and what it gives.
//! - [`repair_days`]: REG-09 day counting (exclusions first, then each 24
//!   hours or part of them is a day).
//! - [`usage_deduction`]: REG-09 deduction on a replacement or refund.
//! - [`request_deadlines`], [`retain_until`]: REG-10 clocks.
//! - [`ThreeGuaranteesPolicy`]: every number, validated against the law.
//!
//! Decisions the law leaves open:
//!
//! - **Exclusions and rounding.** The excluded intervals of a repair are
//!   clipped to the repair, merged where they overlap and taken out of the
//!   elapsed time first; only the time left is rounded up to whole 24-hour
//!   days. Cumulative repair time adds the days of each repair, each
//!   rounded on its own.
//! - **The same problem.** Repairs are of the same problem when their
//!   [`ProblemKey`]s are equal after trimming and lower-casing; the caller
//!   chooses the key (a fault code, a symptom). Main parts are the same
//!   when assembly and trimmed, lower-cased name agree.
//! - **Statutory floors.** The law sets minimums for the customer: the
//!   policy may give longer periods, fewer repairs or days before a remedy,
//!   a smaller deduction and faster answers, never less.
//! - **Bad input.** A repair completed before its agreed start, or an
//!   excluded interval ending before it starts, makes [`entitlements`]
//!   refuse the history with an error rather than guess. Repairs starting
//!   after the decision instant or before the invoice date are left out.
//! - **Periods.** Days count from the day after the invoice date (day 60
//!   is the last day of the 60-day window); years end on the anniversary;
//!   km count from the delivery odometer; a limit reached exactly is still
//!   inside.

mod days;
mod decide;
mod model;
mod policy;

pub use days::{RequestDeadlines, repair_days, request_deadlines, retain_until, usage_deduction};
pub use decide::entitlements;
pub use model::{
    Entitlement, EntitlementSubject, EntitlementTrigger, ExcludedInterval, ExclusionReason,
    HouseholdCar, MainPart, PowertrainAssembly, ProblemKey, ProblemSite, QualityProblem,
    QualityRepair, Remedy, Replacement, SafetyFailure, ThreeGuaranteesError,
};
pub use policy::ThreeGuaranteesPolicy;
