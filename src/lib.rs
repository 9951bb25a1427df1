//! # aftersales
//!
//! A pure, I/O-free rules engine for the automotive after-sales service
//! process at a car dealership: what a service advisor may do next, what is
//! due, and which rule a step broke.
//!
//! The crate never reads a clock, a file or the network: every function
//! that depends on time takes it as an argument, and every number from the
//! rulebook lives in a [`Policy`].
//!
//! ## Where to start
//!
//! - [`WorkOrder`]: the repair order from reception to delivery, driven by
//!   [`WorkOrderCommand`]s that return [`WorkOrderEvent`]s or a
//!   [`WorkOrderError`] naming the rule (WO-01 … WO-30, EST-01 … EST-09).
//! - [`grade`], [`Complaint`] and [`triage`]: complaints from intake to the
//!   closed loop (CMP-01 … CMP-17), with [`Complaint::deadlines`] and
//!   [`Complaint::escalations_due`] at any instant, on a calendar or
//!   business-hours [`DeadlineClock`], and [`ComplaintStats`] per month.
//! - [`plan_follow_up`], [`FollowUpTask`], [`next_call_slot`] and
//!   [`call_queue`]: follow-up after a delivery (FU-01 … FU-12), from the
//!   plan and its windows to every attempt, the SMS fallback, routing to
//!   complaint intake and [`ProcessFinding`]s from the [`Questionnaire`].
//! - [`RateReport`]: the monthly satisfaction-rate tables per service
//!   advisor, repair team and sales consultant (SAT-02 … SAT-04), built in
//!   one pass over [`RateRecord`]s and mergeable, shown as a [`RateSheet`];
//!   [`NpsTally`], [`FiveLevelTally`], [`Expectations`], [`FactorTally`]
//!   and [`composite_index`] for the other measures (SAT-05 … SAT-10).
//! - [`CustomerFile`]: one vehicle's file (CUS-01 … CUS-12), on an
//!   [`ACard`] or a [`CCard`], the move between them at the first
//!   maintenance, and the [`Counters`] its visits give at any date.
//! - [`care_calendar`]: the care contacts due in a date range (CARE-01 …
//!   CARE-07), and [`MaintenanceHistory::schedule`]: what maintenance is
//!   due, when, and how urgently (MNT-01 … MNT-06).
//! - [`Money`]: exact amounts with the one rounding rule (EST-01).
//! - [`Policy`]: every tunable number, loadable from JSON;
//!   [`Policy::preset`] for each source where the sources differ,
//!   [`Policy::with_jurisdiction`] for the estimate-overrun law of a
//!   [`Jurisdiction`] (REG-06), and [`Policy::changes_from_default`] to
//!   see what a policy changed.
//! - [`catalog`]: every rule the crate knows, with English and Chinese
//!   titles, sources and severities.
//!
//! ## Times
//!
//! Every instant the crate accepts lies in the
//! [supported range](time::SUPPORTED_RANGE), 1900-01-01T00:00:00Z to
//! 9999-12-31T23:59:59Z, whatever the [`Policy`]: a command or function
//! given a time outside it refuses with an error naming the field. Local
//! dates are read in the offset each instant carries, or in the dealer
//! calendar's offset where a rule counts local days; see [`time`].
//!
//! ## Stored data
//!
//! Events are the stored truth. A DMS stores the events each `execute`
//! returns, in order, and rebuilds an aggregate with `replay`
//! ([`WorkOrder::replay`], [`Complaint::replay`], [`FollowUpTask::replay`],
//! [`CustomerFile::replay`]). The aggregates serialize, as a read model to
//! show or cache for display, but do not deserialize: a snapshot loaded
//! field by field could hold a state no command allows (a negative labour
//! rate on an authorized item, a delivered order without a delivery).
//! Events stored by older versions still load. `replay` takes its log as
//! fact; a work-order log from outside the DMS's own store is checked with
//! [`recheck`] first, and the [`audit`] does so for an [`OrderLog`] marked
//! `imported`. Every decimal loads exactly or not at all, and every report
//! and event round-trips through JSON.
//!
//! ## Example
//!
//! ```
//! use aftersales::{EstimateLine, Hours, ItemDraft, Money, Policy, Priority, ProblemCategory, Totals};
//!
//! let policy = Policy::default();
//! let rate: Money = "360 CNY".parse()?;
//! let item = ItemDraft::new(
//!     "replace front brake pads",
//!     ProblemCategory::Mechanical,
//!     Priority::Safety,
//!     vec![EstimateLine::labour("brake pads, front axle", "1.2".parse::<Hours>()?, rate)],
//! );
//! let totals = Totals::of(&item.lines, policy.estimate())?;
//! assert_eq!(totals.net.to_string(), "432.00 CNY");
//! assert_eq!(totals.tax.to_string(), "56.16 CNY"); // 13 % VAT
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

mod audit;
mod care;
mod complaint;
mod contact;
mod customer;
mod decimal;
mod follow_up;
mod hash;
mod ids;
mod jurisdiction;
mod maintenance;
mod money;
mod policy;
mod policy_diff;
mod presets;
mod rate;
mod regulation;
mod rule;
mod satisfaction;
mod text;
pub mod time;
mod units;
mod work_order;

pub use audit::{
    Audit, ComplaintLog, ExceptionCounts, ExceptionsReport, Finding, Handover, Journey, LogProblem,
    NonCompliance, OrderLog, Subject, TaskLog, audit, audit_all,
};
pub use care::*;
pub use complaint::*;
pub use contact::{ContactChannel, ContactError, DealerCalendar, LocalTimeRange, PreferredContact};
pub use customer::*;
pub use follow_up::*;
pub use ids::{
    ComplaintNo, CustomerId, DepartmentId, IdError, PartNo, PersonName, PhoneNumber, Plate,
    StaffId, TaskNo, TeamId, Vin, WorkOrderNo,
};
pub use jurisdiction::{
    ConsentDetail, Jurisdiction, OverrunDecision, OverrunOutcome, OverrunProfile,
};
pub use maintenance::*;
pub use money::{Currency, Money, MoneyError};
pub use policy::{
    AuthorityCaps, AuthorityRole, Combine, DayWindow, Enforcement, EstimatePolicy, GrantDecision,
    GrantOutcome, PartWarrantyMonths, Policy, PolicyError, PolicySections, Source, Tolerance,
    WorkOrderPolicy,
};
pub use policy_diff::{PolicyChange, render_changes};
pub use rate::Rate;
pub use regulation::*;
pub use rule::{
    EnforcedBy, Reason, RuleArea, RuleId, RuleInfo, Severity, UnknownRule, catalog,
    catalog_markdown,
};
pub use satisfaction::*;
pub use text::MAX_FREE_TEXT_CHARS;
pub use units::{Hours, Km, Minutes, Percent, Quantity, UnitError};
pub use work_order::*;
