//! The process-compliance audit: what only a whole history shows.
//!
//! The command guards already refuse what breaks a rule at the moment it
//! is asked, so a log the crate wrote cannot hold a dispatch before the
//! signature. What a guard cannot see is time passing and a history
//! seen whole: a progress check never made, a promise broken without
//! notice, a follow-up window that closed, a complaint answered late, a
//! process question answered "no", a comeback, an advisor buried under
//! receptions. [`audit`] reads a customer's [`Journey`] — the event logs
//! the DMS stored — and returns every [`Finding`], each with its rule,
//! subject, time, facts and a one-line explanation in English and
//! Chinese. It never stops at the first finding, never panics on an
//! inconsistent log, and lists findings in a fixed order.

mod checks;
mod report;

pub use report::{ExceptionCounts, ExceptionsReport};

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::complaint::ComplaintEvent;
use crate::customer::CustomerFileEvent;
use crate::follow_up::FollowUpEvent;
use crate::ids::{ComplaintNo, StaffId, TaskNo, TeamId, Vin, WorkOrderNo};
use crate::policy::Policy;
use crate::rule::{RuleId, Severity};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};
use crate::work_order::WorkOrderEvent;

type At = DateTime<FixedOffset>;

/// A work order's stored events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderLog {
    /// The order.
    pub no: WorkOrderNo,
    /// Its events, in the order they were stored.
    pub events: Vec<WorkOrderEvent>,
    /// Whether the log came from another system, without this crate's
    /// guards: the audit then rechecks every step ([`recheck`]) and
    /// reports each one a guard would have refused. Logs the crate wrote
    /// passed the guards already and are not rechecked.
    ///
    /// [`recheck`]: crate::recheck
    #[serde(default)]
    pub imported: bool,
}

/// A follow-up task's stored events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskLog {
    /// The task.
    pub no: TaskNo,
    /// Its events, in the order they were stored.
    pub events: Vec<FollowUpEvent>,
}

/// A complaint's stored events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintLog {
    /// The complaint.
    pub no: ComplaintNo,
    /// Its events, in the order they were stored.
    pub events: Vec<ComplaintEvent>,
}

/// The repair documents of an order handed to customer relations (FU-10:
/// within 2–3 days of a service delivery).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handover {
    /// The order.
    pub order: WorkOrderNo,
    /// When customer relations received the documents.
    pub at: At,
}

/// Everything the DMS stored about one customer and vehicle: the customer
/// file, the work orders, the follow-up tasks, the complaints and the
/// hand-overs of repair documents. Any part may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Journey {
    /// The customer file's events.
    pub file: Vec<CustomerFileEvent>,
    /// The work orders.
    pub orders: Vec<OrderLog>,
    /// The follow-up tasks.
    pub tasks: Vec<TaskLog>,
    /// The complaints.
    pub complaints: Vec<ComplaintLog>,
    /// The hand-overs of repair documents to customer relations.
    pub handovers: Vec<Handover>,
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "subject", content = "id")]
pub enum Subject {
    /// A work order.
    Order(WorkOrderNo),
    /// A complaint.
    Complaint(ComplaintNo),
    /// A follow-up task.
    Task(TaskNo),
    /// A customer file, by VIN.
    File(Vin),
    /// A service advisor's day (SAT-09).
    AdvisorDay(StaffId, NaiveDate),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Order(no) => write!(f, "order {no}"),
            Subject::Complaint(no) => write!(f, "complaint {no}"),
            Subject::Task(no) => write!(f, "task {no}"),
            Subject::File(vin) => write!(f, "file {vin}"),
            Subject::AdvisorDay(staff, day) => write!(f, "advisor {staff} on {day}"),
        }
    }
}

/// One thing the history shows went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// How serious, from the catalog.
    pub severity: Severity,
    /// What it is about.
    pub subject: Subject,
    /// When: the missed deadline, or the moment it happened.
    pub at: Option<At>,
    /// The service advisor (or sales consultant) it is counted against.
    pub advisor: Option<StaffId>,
    /// The workshop team it is counted against, if any.
    pub team: Option<TeamId>,
    /// The facts that produced it.
    pub facts: Vec<String>,
    /// One line in English.
    pub explanation_en: String,
    /// One line in Chinese.
    pub explanation_zh: String,
}

impl Finding {
    fn new(rule: RuleId, subject: Subject, at: Option<At>, en: String, zh: String) -> Finding {
        Finding {
            rule,
            severity: rule.info().severity,
            subject,
            // A time that cannot be shown in its own offset (only an event
            // built far outside the supported range) would make the finding
            // impossible to print or store; it is left out.
            at: at.filter(|at| crate::time::is_representable(*at)),
            advisor: None,
            team: None,
            facts: Vec::new(),
            explanation_en: en,
            explanation_zh: zh,
        }
    }

    fn against(mut self, advisor: Option<&StaffId>, team: Option<&TeamId>) -> Finding {
        self.advisor = advisor.cloned();
        self.team = team.cloned();
        self
    }

    fn fact(mut self, fact: impl Into<String>) -> Finding {
        self.facts.push(fact.into());
        self
    }

    /// The order findings are listed in: by time (findings without one
    /// last), then subject, rule and explanation.
    fn sort_key(&self) -> (bool, Option<At>, &Subject, RuleId, &str) {
        (
            self.at.is_none(),
            self.at,
            &self.subject,
            self.rule,
            &self.explanation_en,
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}] {}",
            self.rule,
            self.severity.label_en(),
            self.subject
        )?;
        if let Some(at) = self.at {
            write!(f, " at {at}")?;
        }
        write!(f, ": {} / {}", self.explanation_en, self.explanation_zh)
    }
}

/// A step of an imported log that the guards would have refused for a
/// reason that is no rule of the process: an event dated before the one
/// before it, an unknown item, an item started twice. The log itself is
/// inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogProblem {
    /// The order.
    pub order: WorkOrderNo,
    /// The event's position in the log, from 0.
    pub index: usize,
    /// The event's name.
    pub event: String,
    /// The event's time.
    pub at: Option<At>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LogProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "order {} event #{} `{}`: {}",
            self.order, self.index, self.event, self.message
        )
    }
}

/// The findings of an audit, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// The instant the audit looked from: deadlines after it are not yet
    /// missed.
    pub at: At,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Imported logs that are inconsistent in themselves, in log order.
    #[serde(default)]
    pub log_problems: Vec<LogProblem>,
}

impl Audit {
    fn sorted(at: At, mut findings: Vec<Finding>, log_problems: Vec<LogProblem>) -> Audit {
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        Audit {
            at,
            findings,
            log_problems,
        }
    }

    /// Whether nothing was found and every imported log is consistent.
    pub fn is_compliant(&self) -> bool {
        self.findings.is_empty() && self.log_problems.is_empty()
    }

    /// The findings of one rule.
    pub fn of_rule(&self, rule: RuleId) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.rule == rule)
    }

    /// The distinct rules found, in order.
    pub fn rules(&self) -> Vec<RuleId> {
        let mut rules: Vec<RuleId> = self.findings.iter().map(|f| f.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        rules
    }

    /// `Ok` when the journey complies; otherwise the findings, listed
    /// readably. For a DMS's integration tests:
    ///
    /// ```
    /// use aftersales::{Journey, Policy, audit};
    /// use chrono::DateTime;
    ///
    /// let at = DateTime::parse_from_rfc3339("2026-11-24T18:00:00+08:00")?;
    /// audit(&Journey::default(), at, &Policy::default())?.assert_compliant()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`NonCompliance`] with every finding.
    pub fn assert_compliant(&self) -> Result<(), NonCompliance> {
        self.assert_compliant_except(&[])
    }

    /// `Ok` when every finding is of one of the `allowed` rules.
    ///
    /// # Errors
    ///
    /// [`NonCompliance`] with the findings of other rules.
    pub fn assert_compliant_except(&self, allowed: &[RuleId]) -> Result<(), NonCompliance> {
        let unexpected: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| !allowed.contains(&f.rule))
            .cloned()
            .collect();
        if unexpected.is_empty() && self.log_problems.is_empty() {
            Ok(())
        } else {
            Err(NonCompliance {
                allowed: allowed.to_vec(),
                findings: unexpected,
                log_problems: self.log_problems.clone(),
            })
        }
    }

    /// The findings as text, one per line, with their facts indented,
    /// then the problems of imported logs.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for p in &self.log_problems {
            out.push_str("log problem: ");
            out.push_str(&p.to_string());
            out.push('\n');
        }
        for f in &self.findings {
            out.push_str(&f.to_string());
            out.push('\n');
            for fact in &f.facts {
                out.push_str("    ");
                out.push_str(fact);
                out.push('\n');
            }
        }
        out
    }
}

/// A journey that does not comply: the findings that were not allowed.
/// `Debug` prints the same readable list as `Display`, so `unwrap()` in a
/// test shows every finding.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub struct NonCompliance {
    /// Rules the caller allowed.
    pub allowed: Vec<RuleId>,
    /// The findings of other rules.
    pub findings: Vec<Finding>,
    /// Imported logs that are inconsistent in themselves.
    pub log_problems: Vec<LogProblem>,
}

impl fmt::Display for NonCompliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the journey does not comply: {} finding",
            self.findings.len()
        )?;
        if self.findings.len() != 1 {
            f.write_str("s")?;
        }
        if !self.log_problems.is_empty() {
            write!(f, " and {} log problem(s)", self.log_problems.len())?;
        }
        if !self.allowed.is_empty() {
            let allowed: Vec<&str> = self.allowed.iter().map(|r| r.as_str()).collect();
            write!(f, " besides the allowed {}", allowed.join(", "))?;
        }
        for problem in &self.log_problems {
            write!(f, "\n  - log problem: {problem}")?;
        }
        for finding in &self.findings {
            write!(f, "\n  - {finding}")?;
            for fact in &finding.facts {
                write!(f, "\n      {fact}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for NonCompliance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Audits one journey at `at`: every finding, in a fixed order.
///
/// Every time in the journey's logs should lie inside the
/// [supported range](crate::time::SUPPORTED_RANGE), as every time the
/// crate's commands accept does: an order event outside it is reported as
/// a [`LogProblem`] and its log is not audited further.
///
/// # Errors
///
/// [`TimeRangeError`] when `at` is outside the supported range.
///
/// ```
/// use aftersales::{Journey, Policy, audit};
/// use chrono::DateTime;
///
/// let at = DateTime::parse_from_rfc3339("2026-11-24T18:00:00+08:00")?;
/// let result = audit(&Journey::default(), at, &Policy::default())?;
/// assert!(result.is_compliant());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit(journey: &Journey, at: At, policy: &Policy) -> Result<Audit, TimeRangeError> {
    let at = SUPPORTED_RANGE.check("at", at)?;
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    checks::journey(journey, at, policy, &mut findings, &mut problems);
    Ok(Audit::sorted(at, findings, problems))
}

/// Audits many journeys at `at`, adding what only the dealer's whole
/// workload shows: advisor-days above the reception limit (SAT-09).
///
/// # Errors
///
/// [`TimeRangeError`] when `at` is outside the
/// [supported range](crate::time::SUPPORTED_RANGE).
pub fn audit_all<'a, I>(journeys: I, at: At, policy: &Policy) -> Result<Audit, TimeRangeError>
where
    I: IntoIterator<Item = &'a Journey>,
{
    let at = SUPPORTED_RANGE.check("at", at)?;
    let mut findings = Vec::new();
    let mut problems = Vec::new();
    let mut workload = checks::Workload::default();
    for journey in journeys {
        checks::journey(journey, at, policy, &mut findings, &mut problems);
        workload.add(journey, policy);
    }
    workload.findings(policy, &mut findings);
    Ok(Audit::sorted(at, findings, problems))
}
