//! Integration tests: the public API only, one test binary.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    // The tests read local times of instants they built inside the
    // supported range, where chrono's local-time methods cannot panic.
    clippy::disallowed_methods
)]

mod support;

mod aggregate_props;
mod attempts;
mod audit;
mod care;
mod catalog;
mod complaint;
mod customer_analysis;
mod customer_file;
mod customer_flags;
mod exact_serde;
mod file_audit;
mod follow_up;
mod guards;
mod hostile;
mod lifecycle;
mod maintenance;
mod measures;
mod model;
mod presets;
mod properties;
mod questionnaire;
mod rate_report;
mod recheck;
mod repair_guarantee;
mod repair_records;
mod segment;
mod slots;
mod three_guarantees;
mod time_range_cmp;
mod time_range_wo;
