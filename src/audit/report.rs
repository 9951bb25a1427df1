//! The process-exceptions report: findings counted per advisor, team and
//! rule over a period, the way a dealer system lists its repair-order
//! exceptions.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Audit, Finding, Subject};
use crate::ids::{StaffId, TeamId};
use crate::policy::Policy;
use crate::rule::{RuleId, Severity};
use crate::text::{left, right, width};

/// Counts of one row: per rule, and the total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionCounts {
    /// Findings per rule.
    pub by_rule: BTreeMap<RuleId, u64>,
    /// All findings of the row.
    pub total: u64,
}

impl ExceptionCounts {
    fn add(&mut self, rule: RuleId) {
        let n = self.by_rule.entry(rule).or_insert(0);
        *n = n.saturating_add(1);
        self.total = self.total.saturating_add(1);
    }

    fn merge(&mut self, other: &ExceptionCounts) {
        for (rule, n) in &other.by_rule {
            let m = self.by_rule.entry(*rule).or_insert(0);
            *m = m.saturating_add(*n);
        }
        self.total = self.total.saturating_add(other.total);
    }

    /// The findings of `severity` in the row.
    pub fn of_severity(&self, severity: Severity) -> u64 {
        self.by_rule
            .iter()
            .filter(|(rule, _)| rule.info().severity == severity)
            .fold(0, |s, (_, n)| s.saturating_add(*n))
    }
}

/// Findings of a period counted per advisor, per team and per rule.
///
/// A finding belongs to the period by its local date (its time in the
/// dealer's offset, or the day of an advisor-day finding); findings
/// outside the period, or without a date, are counted apart and shown.
/// Reports of disjoint findings merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionsReport {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    /// Per service advisor, for findings counted against one.
    pub by_advisor: BTreeMap<StaffId, ExceptionCounts>,
    /// Findings counted against no advisor (shown as the row 未指定
    /// unassigned). A row of its own rather than a `None` key, so the
    /// report stores as JSON, whose object keys are strings.
    #[serde(default)]
    pub unassigned: ExceptionCounts,
    /// Per workshop team, for findings counted against one.
    pub by_team: BTreeMap<TeamId, ExceptionCounts>,
    /// Every finding of the period.
    pub totals: ExceptionCounts,
    /// Findings outside the period or without a date, not counted.
    pub outside_period: u64,
}

impl ExceptionsReport {
    /// An empty report for the days `from` to `to`, both inclusive.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        ExceptionsReport {
            from,
            to,
            by_advisor: BTreeMap::new(),
            unassigned: ExceptionCounts::default(),
            by_team: BTreeMap::new(),
            totals: ExceptionCounts::default(),
            outside_period: 0,
        }
    }

    /// The report of `audit`'s findings, dated in the dealer's offset
    /// (`follow_up.calendar`).
    ///
    /// ```
    /// use aftersales::{ExceptionsReport, Journey, Policy, audit};
    /// use chrono::{DateTime, NaiveDate};
    ///
    /// let at = DateTime::parse_from_rfc3339("2026-11-30T18:00:00+08:00")?;
    /// let policy = Policy::default();
    /// let result = audit(&Journey::default(), at, &policy)?;
    /// let from = NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("date")?;
    /// let to = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
    /// let report = ExceptionsReport::of_audit(&result, from, to, &policy);
    /// assert_eq!(report.totals.total, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of_audit(audit: &Audit, from: NaiveDate, to: NaiveDate, policy: &Policy) -> Self {
        let mut report = ExceptionsReport::new(from, to);
        for finding in &audit.findings {
            report.add(finding, policy);
        }
        report
    }

    /// Counts one finding.
    pub fn add(&mut self, finding: &Finding, policy: &Policy) {
        let offset = policy.follow_up().calendar.offset();
        let day = match (&finding.subject, finding.at) {
            (Subject::AdvisorDay(_, day), _) => Some(*day),
            // A time whose local date is not representable (only far
            // outside the supported range) has no day: counted as undated.
            (_, Some(at)) => crate::time::local_date(at, offset),
            (_, None) => None,
        };
        if !day.is_some_and(|d| d >= self.from && d <= self.to) {
            self.outside_period = self.outside_period.saturating_add(1);
            return;
        }
        match &finding.advisor {
            Some(advisor) => self
                .by_advisor
                .entry(advisor.clone())
                .or_default()
                .add(finding.rule),
            None => self.unassigned.add(finding.rule),
        }
        if let Some(team) = &finding.team {
            self.by_team
                .entry(team.clone())
                .or_default()
                .add(finding.rule);
        }
        self.totals.add(finding.rule);
    }

    /// Adds another report's counts, widening the period to cover both.
    pub fn merge(&mut self, other: &ExceptionsReport) {
        for (k, v) in &other.by_advisor {
            self.by_advisor.entry(k.clone()).or_default().merge(v);
        }
        self.unassigned.merge(&other.unassigned);
        for (k, v) in &other.by_team {
            self.by_team.entry(k.clone()).or_default().merge(v);
        }
        self.totals.merge(&other.totals);
        self.outside_period = self.outside_period.saturating_add(other.outside_period);
        self.from = self.from.min(other.from);
        self.to = self.to.max(other.to);
    }

    /// The report as text: a table per advisor and per team with a column
    /// per rule found, then the rules with their titles.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> fmt::Result {
        writeln!(
            out,
            "流程异常报告 Process exceptions {} – {}",
            self.from, self.to
        )?;
        let rules: Vec<RuleId> = self.totals.by_rule.keys().copied().collect();
        // The unassigned row first, as before it became a field.
        let unassigned = ("未指定 unassigned".to_owned(), &self.unassigned);
        let advisors: Vec<(String, &ExceptionCounts)> = (self.unassigned.total > 0)
            .then_some(unassigned)
            .into_iter()
            .chain(self.by_advisor.iter().map(|(k, v)| (k.to_string(), v)))
            .collect();
        table(out, "服务顾问 Advisor", &advisors, &rules, &self.totals)?;
        if !self.by_team.is_empty() {
            let teams: Vec<(String, &ExceptionCounts)> = self
                .by_team
                .iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            // The team rows hold only findings counted against a team.
            let mut team_totals = ExceptionCounts::default();
            for counts in self.by_team.values() {
                team_totals.merge(counts);
            }
            writeln!(out)?;
            table(out, "班组 Team", &teams, &rules, &team_totals)?;
        }
        writeln!(out)?;
        writeln!(out, "规则 Rules")?;
        for (rule, n) in &self.totals.by_rule {
            let info = rule.info();
            writeln!(
                out,
                "  {:<7} {:>4}  {} {} / {}",
                rule.as_str(),
                n,
                left(info.severity.label_en(), 8),
                info.title_en,
                info.title_zh
            )?;
        }
        if self.outside_period > 0 {
            writeln!(
                out,
                "统计期外或无日期 / Outside the period or undated, not counted: {}",
                self.outside_period
            )?;
        }
        Ok(())
    }
}

fn table(
    out: &mut String,
    heading: &str,
    rows: &[(String, &ExceptionCounts)],
    rules: &[RuleId],
    totals: &ExceptionCounts,
) -> fmt::Result {
    let label_w = rows
        .iter()
        .map(|(l, _)| width(l))
        .chain([width(heading), width("合计 Total")])
        .max()
        .unwrap_or(0);
    let mut line = left(heading, label_w);
    for rule in rules {
        line.push_str("  ");
        line.push_str(&right(rule.as_str(), 7));
    }
    line.push_str("  ");
    line.push_str(&right("合计 Total", 10));
    writeln!(out, "{}", line.trim_end())?;
    let total_row = ("合计 Total".to_owned(), totals);
    for (label, counts) in rows.iter().map(|(l, c)| (l.clone(), *c)).chain([total_row]) {
        let mut line = left(&label, label_w);
        for rule in rules {
            let n = counts.by_rule.get(rule).copied().unwrap_or(0);
            line.push_str("  ");
            line.push_str(&right(&n.to_string(), 7));
        }
        line.push_str("  ");
        line.push_str(&right(&counts.total.to_string(), 10));
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

impl fmt::Display for ExceptionsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}
