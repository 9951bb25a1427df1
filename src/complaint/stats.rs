//! Monthly complaint statistics (CMP-15): counts by level, nature and
//! department; on-time response, repeat and closure rates.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::aggregate::Complaint;
use crate::complaint::deadlines::DeadlineStatus;
use crate::complaint::grade::{Level, Nature};
use crate::complaint::records::{Closure, DeadlineKind};
use crate::ids::{DepartmentId, StaffId};
use crate::policy::{AuthorityRole, Policy};
use crate::rate::Rate;
use crate::text::{left, right};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

type At = DateTime<FixedOffset>;

/// Complaint statistics for a period (CMP-15).
///
/// Built in one pass with [`ComplaintStats::add`] (or
/// [`ComplaintStats::for_period`]); two periods or two dealers merge with
/// [`ComplaintStats::merge`]. Every rate keeps its counts, so a merged
/// rate is exact and a zero denominator reads "n/a".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintStats {
    /// Complaints received in the period.
    pub complaints: u64,
    /// Count per level at receipt (CMP-04).
    pub by_level: BTreeMap<Level, u64>,
    /// Count of the complaints closed by the evaluation instant, per level
    /// at closure: the level graded on receipt or raised by facts recorded
    /// since (CMP-04). Escalations hand a complaint to another handler and
    /// do not change its level, so they never show up here.
    pub by_level_at_close: BTreeMap<Level, u64>,
    /// Count per nature (CMP-02).
    pub by_nature: BTreeMap<Nature, u64>,
    /// Count per department forwarded to (CMP-05).
    pub by_department: BTreeMap<DepartmentId, u64>,
    /// Complaints not forwarded to a department.
    pub not_forwarded: u64,
    /// First responses in time over responses that are met or missed at
    /// the evaluation instant (CMP-04); open deadlines are not counted yet.
    pub on_time_response: Rate,
    /// Missed first responses per owner: a missed response is recorded
    /// against the complaint's owner (CMP-16).
    pub missed_responses_by_owner: BTreeMap<StaffId, u64>,
    /// Repeat complaints on the same matter over all complaints (CMP-09).
    pub repeat: Rate,
    /// Closed complaints over all complaints (CMP-08).
    pub closure: Rate,
    /// Complaints closed unresolved by a management decision (CMP-08).
    pub closed_unresolved: u64,
    /// Escalations recorded (CMP-09).
    pub escalations: u64,
    /// Escalations recorded, per handler the complaint went to (CMP-09).
    pub escalations_by_handler: BTreeMap<AuthorityRole, u64>,
}

fn bump<K: Ord>(map: &mut BTreeMap<K, u64>, key: K) {
    let n = map.entry(key).or_insert(0);
    *n = n.saturating_add(1);
}

fn add_to(rate: &mut Rate, counted: bool) {
    *rate = rate.saturating_merge(Rate::new(u64::from(counted), 1));
}

impl ComplaintStats {
    /// Empty statistics.
    pub fn new() -> Self {
        ComplaintStats::default()
    }

    /// Counts one complaint, evaluated at `at`. A complaint not yet
    /// received is skipped.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `at` when it lies outside the
    /// [`SUPPORTED_RANGE`]; nothing is counted then.
    pub fn add(
        &mut self,
        complaint: &Complaint,
        at: At,
        policy: &Policy,
    ) -> Result<(), TimeRangeError> {
        let at = SUPPORTED_RANGE.check("at", at)?;
        self.add_at(complaint, at, policy);
        Ok(())
    }

    fn add_at(&mut self, complaint: &Complaint, at: At, policy: &Policy) {
        let (Some(receipt), Some(grade)) = (complaint.receipt(), complaint.grade()) else {
            return;
        };
        self.complaints = self.complaints.saturating_add(1);
        bump(&mut self.by_level, grade.level);
        if complaint.closure().is_some_and(|c| c.at() <= at) {
            bump(
                &mut self.by_level_at_close,
                complaint.level().unwrap_or(grade.level),
            );
        }
        bump(&mut self.by_nature, receipt.nature);
        match complaint.forwarding() {
            Some(f) => bump(&mut self.by_department, f.department.clone()),
            None => self.not_forwarded = self.not_forwarded.saturating_add(1),
        }
        let response = complaint
            .deadlines_at(at, policy)
            .into_iter()
            .find(|d| d.kind == DeadlineKind::Response)
            .map(|d| d.status);
        match response {
            Some(DeadlineStatus::Met { .. }) => add_to(&mut self.on_time_response, true),
            Some(DeadlineStatus::Missed { .. }) => {
                add_to(&mut self.on_time_response, false);
                if let Some(owner) = complaint.owner() {
                    bump(&mut self.missed_responses_by_owner, owner.clone());
                }
            }
            _ => {}
        }
        add_to(&mut self.repeat, receipt.repeat_of.is_some());
        let closed = complaint.closure();
        add_to(&mut self.closure, closed.is_some());
        if matches!(closed, Some(Closure::Unresolved { .. })) {
            self.closed_unresolved = self.closed_unresolved.saturating_add(1);
        }
        for e in complaint.escalations() {
            self.escalations = self.escalations.saturating_add(1);
            bump(&mut self.escalations_by_handler, e.handler);
        }
    }

    /// Statistics of the complaints received in `[from, to)`, evaluated at
    /// `to`, in one pass over `complaints`.
    ///
    /// ```
    /// use aftersales::{ComplaintStats, Policy};
    /// use chrono::DateTime;
    ///
    /// let from = DateTime::parse_from_rfc3339("2026-11-01T00:00:00+08:00")?;
    /// let to = DateTime::parse_from_rfc3339("2026-12-01T00:00:00+08:00")?;
    /// let stats = ComplaintStats::for_period([], from, to, &Policy::default())?;
    /// assert_eq!(stats.complaints, 0);
    /// assert_eq!(stats.closure.to_string(), "n/a");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `from` or `to` when it lies outside the
    /// [`SUPPORTED_RANGE`].
    pub fn for_period<'a, I>(
        complaints: I,
        from: At,
        to: At,
        policy: &Policy,
    ) -> Result<ComplaintStats, TimeRangeError>
    where
        I: IntoIterator<Item = &'a Complaint>,
    {
        let from = SUPPORTED_RANGE.check("from", from)?;
        let to = SUPPORTED_RANGE.check("to", to)?;
        let mut stats = ComplaintStats::new();
        for c in complaints {
            if c.receipt().is_some_and(|r| r.at >= from && r.at < to) {
                stats.add_at(c, to, policy);
            }
        }
        Ok(stats)
    }

    /// Adds another period's or dealer's statistics to these.
    pub fn merge(&mut self, other: &ComplaintStats) {
        fn merge_map<K: Ord + Clone>(into: &mut BTreeMap<K, u64>, from: &BTreeMap<K, u64>) {
            for (k, v) in from {
                let n = into.entry(k.clone()).or_insert(0);
                *n = n.saturating_add(*v);
            }
        }
        self.complaints = self.complaints.saturating_add(other.complaints);
        merge_map(&mut self.by_level, &other.by_level);
        merge_map(&mut self.by_level_at_close, &other.by_level_at_close);
        merge_map(&mut self.by_nature, &other.by_nature);
        merge_map(&mut self.by_department, &other.by_department);
        merge_map(
            &mut self.missed_responses_by_owner,
            &other.missed_responses_by_owner,
        );
        self.not_forwarded = self.not_forwarded.saturating_add(other.not_forwarded);
        self.on_time_response = self
            .on_time_response
            .saturating_merge(other.on_time_response);
        self.repeat = self.repeat.saturating_merge(other.repeat);
        self.closure = self.closure.saturating_merge(other.closure);
        self.closed_unresolved = self
            .closed_unresolved
            .saturating_add(other.closed_unresolved);
        self.escalations = self.escalations.saturating_add(other.escalations);
        merge_map(
            &mut self.escalations_by_handler,
            &other.escalations_by_handler,
        );
    }

    /// The statistics as a plain-text table with Chinese and English
    /// headings; every level and nature is listed, zeros included.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_table(&mut out);
        out
    }

    fn write_table(&self, out: &mut String) -> fmt::Result {
        const LABEL: usize = 40;
        const NUM: usize = 14;
        let mut row = |label: &str, cols: &[String]| -> fmt::Result {
            let mut line = left(label, LABEL);
            for c in cols {
                line.push(' ');
                line.push_str(&right(c, NUM));
            }
            writeln!(out, "{}", line.trim_end())
        };
        let count = |map: &BTreeMap<Level, u64>, l: Level| map.get(&l).copied().unwrap_or(0);
        row("投诉统计 Complaint statistics", &[])?;
        row(
            "等级 Level",
            &["受理 Receipt".to_owned(), "结案 Closed".to_owned()],
        )?;
        for level in Level::ALL {
            row(
                &format!("{} {}", level.label_zh(), level.label_en()),
                &[
                    count(&self.by_level, level).to_string(),
                    count(&self.by_level_at_close, level).to_string(),
                ],
            )?;
        }
        row("性质 Nature", &["数量 Count".to_owned()])?;
        for nature in Nature::ALL {
            let n = self.by_nature.get(&nature).copied().unwrap_or(0);
            row(
                &format!("{} {}", nature.label_zh(), nature.label_en()),
                &[n.to_string()],
            )?;
        }
        row("部门 Department", &["数量 Count".to_owned()])?;
        for (dept, n) in &self.by_department {
            row(dept.as_str(), &[n.to_string()])?;
        }
        row("未转交 Not forwarded", &[self.not_forwarded.to_string()])?;
        row("投诉总数 Complaints", &[self.complaints.to_string()])?;
        let rate = |r: Rate| format!("{r} ({}/{})", r.numerator, r.denominator);
        row(
            "及时响应率 On-time response",
            &[rate(self.on_time_response)],
        )?;
        for (owner, n) in &self.missed_responses_by_owner {
            row(
                &format!("超时未响应 Missed response: {owner}"),
                &[n.to_string()],
            )?;
        }
        row("重复投诉率 Repeat rate", &[rate(self.repeat)])?;
        row("结案率 Closure rate", &[rate(self.closure)])?;
        row(
            "未解决结案 Closed unresolved",
            &[self.closed_unresolved.to_string()],
        )?;
        row("升级次数 Escalations", &[self.escalations.to_string()])?;
        for (handler, n) in &self.escalations_by_handler {
            row(
                &format!("  升级至{} to {handler}", handler.label_zh()),
                &[n.to_string()],
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for ComplaintStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::complaint::command::ComplaintCommand as C;
    use crate::complaint::grade::{ComplaintFact as F, CustomerStanding, FactSet};
    use crate::complaint::records::{
        Channel, ComplaintReceipt, CustomerAnswer, Demand, Emotion, Solution, SolutionTiming,
        Verdict,
    };
    use crate::ids::{ComplaintNo, CustomerId, StaffId};
    use crate::policy::AuthorityRole;

    fn at(day: u32, hour: u32) -> At {
        DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T{hour:02}:00:00+08:00")).unwrap()
    }

    fn received(no: &str, day: u32, facts: FactSet, nature: Nature, repeat: bool) -> Complaint {
        let mut c = Complaint::new(ComplaintNo::try_new(no).unwrap());
        c.execute(
            C::Receive {
                receipt: ComplaintReceipt {
                    at: at(day, 9),
                    customer: CustomerId::try_new("C-1").unwrap(),
                    channel: Channel::Phone,
                    description: "a complaint".into(),
                    demands: vec![Demand::Apology],
                    remedy_amount: None,
                    emotion: Emotion::Calm,
                    facts,
                    nature,
                    repeat_of: repeat.then(|| ComplaintNo::try_new("CMP-OLD").unwrap()),
                    standing: CustomerStanding::Regular,
                    owner: StaffId::try_new("CR-1").unwrap(),
                    order: None,
                },
            },
            &Policy::default(),
        )
        .unwrap();
        c
    }

    fn run(c: &mut Complaint, commands: Vec<C>) {
        for command in commands {
            c.execute(command, &Policy::default()).unwrap();
        }
    }

    #[test]
    fn counts_rates_and_table() {
        let policy = Policy::default();
        let sa = StaffId::try_new("CR-1").unwrap();
        let gm = StaffId::try_new("GM").unwrap();
        // 1: L2 fee dispute, justified, answered in time, forwarded, closed
        // unresolved by the service manager.
        let mut a = received("CMP-1", 3, [F::FeeDispute].into(), Nature::General, false);
        run(
            &mut a,
            vec![
                C::Judge {
                    at: at(3, 10),
                    by: sa.clone(),
                    verdict: Verdict::Justified,
                },
                C::Apologize {
                    at: at(3, 10),
                    by: sa.clone(),
                },
                C::FileForm {
                    at: at(3, 10),
                    by: sa.clone(),
                },
                C::Forward {
                    at: at(3, 10),
                    department: DepartmentId::try_new("after-sales").unwrap(),
                    head: gm.clone(),
                },
                C::ProposeSolution {
                    at: at(3, 15),
                    by: sa.clone(),
                    solution: Solution {
                        description: "refund the double charge".into(),
                        remedy: None,
                        timing: SolutionTiming::Later,
                    },
                },
                C::CloseUnresolved {
                    at: at(4, 9),
                    by: gm.clone(),
                    role: AuthorityRole::Manager,
                    reason: "customer unreachable after three attempts".into(),
                },
            ],
        );
        // 2: L1, not justified, explained and understood on day 6 (late:
        // the L1 response is due in 24 h).
        let mut b = received(
            "CMP-2",
            4,
            [F::ServiceAttitude].into(),
            Nature::General,
            false,
        );
        run(
            &mut b,
            vec![
                C::Judge {
                    at: at(4, 10),
                    by: sa.clone(),
                    verdict: Verdict::NotJustified,
                },
                C::Explain {
                    at: at(6, 10),
                    by: sa.clone(),
                    explanation: "the waiting time was agreed at reception".into(),
                    answer: CustomerAnswer::Accepted,
                },
                C::Close {
                    at: at(6, 11),
                    by: sa.clone(),
                },
            ],
        );
        // 3: a repeat of a recurring fault, serious nature: L3 → L4, open.
        let c = received(
            "CMP-3",
            20,
            [F::RecurringFault].into(),
            Nature::Serious,
            true,
        );
        // 4: received after the period: not counted.
        let d = received("CMP-4", 30, [F::SlightDelay].into(), Nature::General, false);

        let stats =
            ComplaintStats::for_period([&a, &b, &c, &d], at(1, 0), at(30, 0), &policy).unwrap();
        assert_eq!(stats.complaints, 3);
        assert_eq!(stats.by_level.get(&Level::L4Crisis), Some(&1));
        assert_eq!(stats.by_level.get(&Level::L2Regular), Some(&1));
        assert_eq!(stats.by_nature.get(&Nature::General), Some(&2));
        assert_eq!(stats.by_department.len(), 1);
        assert_eq!(stats.not_forwarded, 2);
        // a met, b missed, c (L4, 24 h from the 20th) missed by the 30th.
        assert_eq!(stats.on_time_response, Rate::new(1, 3));
        // b and c missed their response; both are owned by CR-1.
        assert_eq!(
            stats
                .missed_responses_by_owner
                .get(&StaffId::try_new("CR-1").unwrap()),
            Some(&2)
        );
        assert_eq!(stats.repeat, Rate::new(1, 3));
        assert_eq!(stats.closure, Rate::new(2, 3));
        assert_eq!(stats.closed_unresolved, 1);
        // a (L2) and b (L1) are closed by the 30th; c is open.
        assert_eq!(
            stats.by_level_at_close,
            BTreeMap::from([(Level::L1Minor, 1), (Level::L2Regular, 1)])
        );
        // Evaluated before b closed (the 6th, 11:00), only a counts.
        let early = ComplaintStats::for_period([&a, &b], at(1, 0), at(6, 10), &policy).unwrap();
        assert_eq!(
            early.by_level_at_close,
            BTreeMap::from([(Level::L2Regular, 1)])
        );

        let mut merged = stats.clone();
        merged.merge(&ComplaintStats::for_period([&d], at(30, 0), at(30, 23), &policy).unwrap());
        assert_eq!(merged.complaints, 4);
        assert_eq!(merged.closure, Rate::new(2, 4));
        assert_eq!(
            merged.on_time_response,
            Rate::new(1, 3),
            "d's response is still open"
        );

        let table = stats.render();
        assert!(table.contains("结案率 Closure rate"));
        assert!(table.contains("66.67% (2/3)"), "{table}");
        let widths: Vec<usize> = table
            .lines()
            .filter(|l| l.contains("级（"))
            .map(crate::text::width)
            .collect();
        assert_eq!(widths.len(), 4);
        assert!(
            widths.iter().all(|w| *w == widths[0]),
            "aligned: {widths:?}"
        );
    }
}
