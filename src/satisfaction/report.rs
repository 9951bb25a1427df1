//! The monthly satisfaction-rate reports (SAT-02 … SAT-04, SAT-09): table 7
//! of \[002\] per sales consultant, table 8 per service advisor and repair
//! team, built in one pass over [`RateRecord`]s.
//!
//! [`RateReport`] is the accumulator: exact counts, mergeable, serializable
//! so a DMS can keep a half-built report between runs. [`RateSheet`] is
//! what it shows under a policy: band counts, rates and NPS per row, the
//! totals row and the SA-days over the workload limit, as a table with
//! Chinese and English headings or as JSON.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::answer::{Recommendation, Score};
use super::bands::{Band, ScoreBands};
use super::measures::{NpsGroup, NpsTally};
use super::policy::{NpsBands, SatisfactionPolicy, WorkloadLimits};
use super::questionnaire::SalesScoreBasis;
use crate::follow_up::{FollowUpTask, InvalidNumberReason, NotReachedReason, TaskStatus};
use crate::hash::FnvMap;
use crate::ids::{StaffId, TeamId};
use crate::rate::Rate;
use crate::rule::RuleId;
use crate::text::{left, right, width};

words! {
    /// Which of the two tables of \[002\] a report is.
    RateTable {
        /// 表7: per sales consultant, over new cars delivered (新车交付量).
        Sales => "sales consultant satisfaction rates", "销售顾问满意率统计表";
        /// 表8: per service advisor and per repair team, over vehicles
        /// received (接车台次).
        Service => "service advisor and repair team satisfaction rates", "服务顾问、维修班组满意率统计表";
    }
}

impl RateTable {
    /// The table's number in \[002\]: 7 or 8.
    pub const fn number(self) -> u8 {
        match self {
            RateTable::Sales => 7,
            RateTable::Service => 8,
        }
    }

    /// The columns of the paper form, in its order: table 7 has no
    /// "other" column, table 8 has one after "unreachable". Neither has a
    /// "no answer" column, although both count no answer in the
    /// unsuccessful follow-ups.
    pub const fn paper_columns(self) -> &'static [RateColumn] {
        match self {
            RateTable::Sales => PAPER_7,
            RateTable::Service => PAPER_8,
        }
    }

    /// The columns the crate adds after the paper form's: no answer, other
    /// (table 7), the successful follow-ups by phone and by SMS, and the
    /// NPS.
    pub const fn added_columns(self) -> &'static [RateColumn] {
        match self {
            RateTable::Sales => ADDED_7,
            RateTable::Service => ADDED_8,
        }
    }
}

words! {
    /// A column of tables 7 and 8. The Chinese label is the paper form's
    /// heading; [`RateColumn::heading`] gives the headings a sheet prints.
    RateColumn {
        /// The service advisor, repair team or sales consultant.
        Who => "advisor, team or consultant", "服务顾问/维修班组/销售顾问";
        /// N: vehicles received (接车台次) or new cars delivered (新车交付量).
        Vehicles => "vehicles received or delivered", "接车台次/新车交付量";
        /// S: successful follow-ups.
        Successful => "successful follow-ups", "回访成功数";
        /// U: unsuccessful follow-ups, all columns.
        Unsuccessful => "unsuccessful follow-ups", "回访未成功数";
        /// Refused.
        Refused => "refused", "拒访";
        /// Unreachable: powered off, suspended, busy, barred.
        Unreachable => "unreachable", "无法接通";
        /// No answer.
        NoAnswer => "no answer", "无人接听";
        /// Other (on table 8 其他(自定义), the dealer's own).
        Other => "other", "其他";
        /// S / N.
        SuccessRate => "success rate", "回访成功率";
        /// U / N.
        UnsuccessfulRate => "unsuccessful rate", "回访未成功率";
        /// Fully satisfied.
        Fully => "fully satisfied", "完全满意数量";
        /// Basically satisfied.
        Basic => "basically satisfied", "基本满意数量";
        /// Dissatisfied.
        Dissatisfied => "dissatisfied", "不满意数量";
        /// Fully satisfied / S.
        FullyRate => "fully satisfied rate", "完全满意率";
        /// Basically satisfied / S.
        BasicRate => "basically satisfied rate", "基本满意率";
        /// Dissatisfied / S.
        DissatisfiedRate => "dissatisfied rate", "不满意率";
        /// Successful follow-ups scored on the phone questionnaire.
        ByPhone => "scored by phone", "电话问卷";
        /// Successful follow-ups scored by SMS reply.
        BySms => "scored by SMS", "短信回复";
        /// The Net Promoter Score (SAT-07).
        Nps => "net promoter score", "NPS";
    }
}

impl RateColumn {
    /// The heading a sheet of `table` prints, Chinese and English: the
    /// paper form's words, the band counts with their scores under `bands`
    /// ("完全满意数量(8-10)", "Fully (8-10)").
    pub fn heading(self, table: RateTable, bands: &ScoreBands) -> (String, String) {
        let range = |band| {
            bands
                .range(band)
                .map_or_else(String::new, |(lo, hi)| format!("({lo}-{hi})"))
        };
        let with_range = |band, en: &str| {
            let r = range(band);
            (format!("{}{r}", self.label_zh()), format!("{en} {r}"))
        };
        let short = |en: &str| (self.label_zh().to_owned(), en.to_owned());
        match (self, table) {
            (RateColumn::Who, RateTable::Sales) => ("销售顾问".into(), "Consultant".into()),
            (RateColumn::Who, RateTable::Service) => {
                ("服务顾问/维修班组".into(), "Advisor/team".into())
            }
            (RateColumn::Vehicles, RateTable::Sales) => ("新车交付量".into(), "Delivered".into()),
            (RateColumn::Vehicles, RateTable::Service) => ("接车台次".into(), "Received".into()),
            (RateColumn::Successful, _) => short("Successful"),
            (RateColumn::Unsuccessful, _) => short("Unsuccessful"),
            (RateColumn::Refused, _) => short("Refused"),
            (RateColumn::Unreachable, _) => short("Unreachable"),
            (RateColumn::NoAnswer, _) => short("No answer"),
            (RateColumn::Other, _) => short("Other"),
            (RateColumn::SuccessRate, _) => short("Success %"),
            (RateColumn::UnsuccessfulRate, _) => short("Unsucc. %"),
            (RateColumn::Fully, _) => with_range(Band::FullySatisfied, "Fully"),
            (RateColumn::Basic, _) => with_range(Band::BasicallySatisfied, "Basic"),
            (RateColumn::Dissatisfied, _) => with_range(Band::Dissatisfied, "Dissat."),
            (RateColumn::FullyRate, _) => short("Fully %"),
            (RateColumn::BasicRate, _) => short("Basic %"),
            (RateColumn::DissatisfiedRate, _) => short("Dissat. %"),
            (RateColumn::ByPhone, _) => short("By phone"),
            (RateColumn::BySms, _) => short("By SMS"),
            (RateColumn::Nps, _) => short("NPS"),
        }
    }

    /// The cell of `row` in this column.
    pub fn cell(self, row: &RateRow) -> String {
        match self {
            RateColumn::Who => row.label.to_string(),
            RateColumn::Vehicles => row.vehicles.to_string(),
            RateColumn::Successful => row.successful.to_string(),
            RateColumn::Unsuccessful => row.unsuccessful.to_string(),
            RateColumn::Refused => row.refused.to_string(),
            RateColumn::Unreachable => row.unreachable.to_string(),
            RateColumn::NoAnswer => row.no_answer.to_string(),
            RateColumn::Other => row.other.to_string(),
            RateColumn::SuccessRate => row.success_rate.to_string(),
            RateColumn::UnsuccessfulRate => row.unsuccessful_rate.to_string(),
            RateColumn::Fully => row.fully.to_string(),
            RateColumn::Basic => row.basic.to_string(),
            RateColumn::Dissatisfied => row.dissatisfied.to_string(),
            RateColumn::FullyRate => row.fully_rate.to_string(),
            RateColumn::BasicRate => row.basic_rate.to_string(),
            RateColumn::DissatisfiedRate => row.dissatisfied_rate.to_string(),
            RateColumn::ByPhone => row.by_phone.to_string(),
            RateColumn::BySms => row.by_sms.to_string(),
            RateColumn::Nps => row.nps.map_or_else(|| "n/a".to_owned(), |n| n.to_string()),
        }
    }
}

const PAPER_7: &[RateColumn] = &[
    RateColumn::Who,
    RateColumn::Vehicles,
    RateColumn::Successful,
    RateColumn::Unsuccessful,
    RateColumn::Refused,
    RateColumn::Unreachable,
    RateColumn::SuccessRate,
    RateColumn::UnsuccessfulRate,
    RateColumn::Fully,
    RateColumn::Basic,
    RateColumn::Dissatisfied,
    RateColumn::FullyRate,
    RateColumn::BasicRate,
    RateColumn::DissatisfiedRate,
];

const ADDED_7: &[RateColumn] = &[
    RateColumn::NoAnswer,
    RateColumn::Other,
    RateColumn::ByPhone,
    RateColumn::BySms,
    RateColumn::Nps,
];

const PAPER_8: &[RateColumn] = &[
    RateColumn::Who,
    RateColumn::Vehicles,
    RateColumn::Successful,
    RateColumn::Unsuccessful,
    RateColumn::Refused,
    RateColumn::Unreachable,
    RateColumn::Other,
    RateColumn::SuccessRate,
    RateColumn::UnsuccessfulRate,
    RateColumn::Fully,
    RateColumn::Basic,
    RateColumn::Dissatisfied,
    RateColumn::FullyRate,
    RateColumn::BasicRate,
    RateColumn::DissatisfiedRate,
];

const ADDED_8: &[RateColumn] = &[
    RateColumn::NoAnswer,
    RateColumn::ByPhone,
    RateColumn::BySms,
    RateColumn::Nps,
];

words! {
    /// What a successful follow-up's score came from: the phone
    /// questionnaire (FU-11) or the SMS reply (FU-07).
    ScoreSource {
        /// The overall score of the phone questionnaire (on the sales
        /// form, formed as the policy's [`SalesScoreBasis`] says).
        PhoneQuestionnaire => "phone questionnaire", "电话问卷";
        /// The score an SMS reply holds.
        SmsReply => "SMS reply", "短信回复";
    }
}

words! {
    /// The columns an unsuccessful follow-up is counted in (SAT-02,
    /// 回访未成功数 = 拒访 + 无法接通 + 无人接听 + 其他).
    UnsuccessfulKind {
        /// The customer refused the call (拒访).
        Refused => "refused", "拒访";
        /// The line could not be reached: powered off, suspended, busy or
        /// barred (无法接通：关机、停机、占线、呼入限制).
        Unreachable => "unreachable", "无法接通";
        /// Nobody answered (无人接听).
        NoAnswer => "no answer", "无人接听";
        /// Anything else: someone else answered, the number is wrong (其他).
        Other => "other", "其他";
    }
}

impl From<NotReachedReason> for UnsuccessfulKind {
    fn from(reason: NotReachedReason) -> Self {
        match reason {
            NotReachedReason::Refused => UnsuccessfulKind::Refused,
            NotReachedReason::Suspended
            | NotReachedReason::LineBusy
            | NotReachedReason::CannotConnect
            | NotReachedReason::PoweredOff => UnsuccessfulKind::Unreachable,
            NotReachedReason::NoAnswer => UnsuccessfulKind::NoAnswer,
            NotReachedReason::NotTheCustomer => UnsuccessfulKind::Other,
        }
    }
}

impl From<InvalidNumberReason> for UnsuccessfulKind {
    /// A wrong or non-existent number is "other": the table has no column
    /// for it and the customer's data are corrected instead (FU-06).
    fn from(_: InvalidNumberReason) -> Self {
        UnsuccessfulKind::Other
    }
}

/// What came of a vehicle's follow-up, as the report counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum FollowUpResult {
    /// No result: the vehicle was not selected for a call (FU-09) or its
    /// calls are still going on. It counts in the vehicles only.
    NoResult,
    /// A successful follow-up (回访成功): the customer gave an overall score,
    /// on the phone or by SMS reply (FU-07).
    Reached {
        /// The overall score (FU-11).
        score: Score,
        /// The 0–10 recommendation, when it was asked (SAT-07).
        recommendation: Option<Recommendation>,
        /// What the score came from; `None` for a record stored before
        /// the source was kept (counted as not recorded).
        #[serde(default)]
        source: Option<ScoreSource>,
    },
    /// An unsuccessful follow-up (回访未成功).
    Unsuccessful {
        /// Its column.
        kind: UnsuccessfulKind,
    },
}

impl FollowUpResult {
    /// The result of a [`FollowUpTask`]:
    /// - answered on the phone: reached, with the questionnaire's score
    ///   ([`FollowUpTask::call_score`]), from the phone questionnaire;
    /// - answered by SMS with a score: reached, with the SMS score, from
    ///   the SMS reply;
    /// - answered by SMS without a score (`满意`): no result. The reply is
    ///   kept on the task and in its SMS record (表13), but tables 7 and 8
    ///   band every successful follow-up by its score (SAT-03 divides the
    ///   band counts by the successful ones), so a reply with no score
    ///   counts in the vehicles only;
    /// - closed as not reached: unsuccessful, in the column of the last
    ///   unsuccessful call (other when there was none);
    /// - closed for an invalid number: unsuccessful, other;
    /// - still open, or never opened: no result.
    ///
    /// A task carries no recommendation; set it on the result when the
    /// DMS asks the NPS question.
    pub fn of_task(task: &FollowUpTask) -> FollowUpResult {
        match task.status() {
            TaskStatus::Reached { .. } => match task.call_score() {
                Some(score) => FollowUpResult::Reached {
                    score,
                    recommendation: None,
                    source: Some(ScoreSource::PhoneQuestionnaire),
                },
                None => FollowUpResult::NoResult,
            },
            TaskStatus::SmsAnswered { .. } => match task.sms_score() {
                Some(score) => FollowUpResult::Reached {
                    score,
                    recommendation: None,
                    source: Some(ScoreSource::SmsReply),
                },
                None => FollowUpResult::NoResult,
            },
            TaskStatus::NotReached { .. } => FollowUpResult::Unsuccessful {
                kind: task
                    .unsuccessful_log()
                    .last()
                    .map_or(UnsuccessfulKind::Other, |(_, reason)| (*reason).into()),
            },
            TaskStatus::NumberInvalid { reason, .. } => FollowUpResult::Unsuccessful {
                kind: reason.into(),
            },
            TaskStatus::New | TaskStatus::Open | TaskStatus::SmsSent { .. } => {
                FollowUpResult::NoResult
            }
        }
    }
}

/// One vehicle of the period: one row of the DMS export the report reads.
///
/// For table 8 `date` is the day the vehicle was received (接车) and
/// `staff` its service advisor; `team` is the repair team it was
/// dispatched to, if any. For table 7 `date` is the day the new car was
/// delivered, `staff` the sales consultant, and `team` must be `None`.
/// Dates are the dealer's local dates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRecord {
    /// Received (service) or delivered (sales).
    pub date: NaiveDate,
    /// The service advisor or sales consultant.
    pub staff: StaffId,
    /// The repair team (service only).
    pub team: Option<TeamId>,
    /// The follow-up's result.
    pub result: FollowUpResult,
}

/// Why a report could not be built, extended or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The period ends before it starts.
    #[error("report period {from} – {to} ends before it starts (SAT-02)")]
    PeriodInverted {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
    /// The period is longer than the crate keeps per-day counts for.
    #[error("report period {from} – {to} is longer than {MAX_PERIOD_DAYS} days (SAT-02)")]
    PeriodTooLong {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
    /// A sales record names a repair team; table 7 has no team rows.
    #[error(
        "sales record of `{staff}` on {date} names repair team `{team}`; table 7 has no teams (SAT-02)"
    )]
    TeamOnSalesRecord {
        /// The sales consultant.
        staff: StaffId,
        /// The delivery date.
        date: NaiveDate,
        /// The team named.
        team: TeamId,
    },
    /// Two reports of different tables cannot be merged.
    #[error("cannot merge a table {left} report with a table {right} report (SAT-04)")]
    TableMismatch {
        /// The table number of the report merged into.
        left: u8,
        /// The table number of the other.
        right: u8,
    },
    /// The two periods neither overlap nor touch, so the merged report
    /// would claim days it never saw.
    #[error(
        "cannot merge {left_from} – {left_to} with {right_from} – {right_to}: the days between are missing (SAT-04)"
    )]
    PeriodGap {
        /// The first day of the report merged into.
        left_from: NaiveDate,
        /// Its last day.
        left_to: NaiveDate,
        /// The first day of the other.
        right_from: NaiveDate,
        /// Its last day.
        right_to: NaiveDate,
    },
    /// A stored report whose counts do not add up.
    #[error("stored report is inconsistent: {0} (SAT-04)")]
    Inconsistent(String),
}

impl ReportError {
    /// The rule the error is about.
    pub const fn rule(&self) -> RuleId {
        match self {
            ReportError::PeriodInverted { .. }
            | ReportError::PeriodTooLong { .. }
            | ReportError::TeamOnSalesRecord { .. } => RuleId::Sat02,
            ReportError::TableMismatch { .. }
            | ReportError::PeriodGap { .. }
            | ReportError::Inconsistent(_) => RuleId::Sat04,
        }
    }
}

/// The longest period a report covers: ten years of days. The report keeps
/// a count per advisor and day for SAT-09, so the bound keeps its memory
/// bounded too.
pub const MAX_PERIOD_DAYS: u32 = 3_660;

/// The counts of one row: exact, and independent of the band limits, so
/// reports built under different policies still merge.
///
/// Scores are kept per value (`scores[0]` counts the 1s, `scores[9]` the
/// 10s), recommendations likewise (`recommendations[0]` counts the 0s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Vehicles received or delivered (N).
    pub vehicles: u64,
    /// Unsuccessful follow-ups per column, in [`UnsuccessfulKind::ALL`]
    /// order: refused, unreachable, no answer, other.
    pub unsuccessful: [u64; 4],
    /// Successful follow-ups per overall score 1–10.
    pub scores: [u64; 10],
    /// Successful follow-ups per recommendation 0–10, where asked.
    pub recommendations: [u64; 11],
    /// Successful follow-ups per score source, in [`ScoreSource::ALL`]
    /// order: phone questionnaire, SMS reply. The rest of the successful
    /// ones have no source recorded. Zeros in a report stored before the
    /// source was kept.
    #[serde(default)]
    pub sources: [u64; 2],
}

fn bump(n: &mut u64) {
    *n = n.saturating_add(1);
}

fn bump_at(counts: &mut [u64], index: usize) {
    if let Some(n) = counts.get_mut(index) {
        bump(n);
    }
}

fn add_all(into: &mut [u64], from: &[u64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a = a.saturating_add(*b);
    }
}

fn sum(counts: &[u64]) -> u64 {
    counts.iter().fold(0, |s, n| s.saturating_add(*n))
}

impl Counts {
    fn count(&mut self, result: &FollowUpResult) {
        bump(&mut self.vehicles);
        match result {
            FollowUpResult::NoResult => {}
            FollowUpResult::Reached {
                score,
                recommendation,
                source,
            } => {
                bump_at(&mut self.scores, usize::from(score.get().saturating_sub(1)));
                if let Some(r) = recommendation {
                    bump_at(&mut self.recommendations, usize::from(r.get()));
                }
                if let Some(source) = source {
                    bump_at(&mut self.sources, *source as usize);
                }
            }
            FollowUpResult::Unsuccessful { kind } => {
                bump_at(&mut self.unsuccessful, *kind as usize);
            }
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.vehicles = self.vehicles.saturating_add(other.vehicles);
        add_all(&mut self.unsuccessful, &other.unsuccessful);
        add_all(&mut self.scores, &other.scores);
        add_all(&mut self.recommendations, &other.recommendations);
        add_all(&mut self.sources, &other.sources);
    }

    /// Successful follow-ups (S, 回访成功数).
    pub fn successful(&self) -> u64 {
        sum(&self.scores)
    }

    /// Unsuccessful follow-ups (U, 回访未成功数), all columns.
    pub fn unsuccessful_total(&self) -> u64 {
        sum(&self.unsuccessful)
    }

    /// Unsuccessful follow-ups in one column.
    pub fn unsuccessful_of(&self, kind: UnsuccessfulKind) -> u64 {
        self.unsuccessful.get(kind as usize).copied().unwrap_or(0)
    }

    /// Successful follow-ups whose score came from `source`.
    pub fn from_source(&self, source: ScoreSource) -> u64 {
        self.sources.get(source as usize).copied().unwrap_or(0)
    }

    /// Successful follow-ups with no score source recorded (records stored
    /// before the source was kept).
    pub fn source_not_recorded(&self) -> u64 {
        self.successful().saturating_sub(sum(&self.sources))
    }

    /// Follow-ups with a result: S + U.
    pub fn attempted(&self) -> u64 {
        self.successful().saturating_add(self.unsuccessful_total())
    }

    /// S / N (SAT-02).
    pub fn success_rate(&self) -> Rate {
        Rate::new(self.successful(), self.vehicles)
    }

    /// U / N (SAT-02).
    pub fn unsuccessful_rate(&self) -> Rate {
        Rate::new(self.unsuccessful_total(), self.vehicles)
    }

    /// Successful follow-ups whose score falls in `band`.
    pub fn in_band(&self, band: Band, bands: &ScoreBands) -> u64 {
        self.scores
            .iter()
            .zip(1u8..)
            .filter(|(_, v)| Score::try_new(*v).is_ok_and(|s| bands.band(s) == band))
            .fold(0, |s, (n, _)| s.saturating_add(*n))
    }

    /// The band's count over S (SAT-03).
    pub fn band_rate(&self, band: Band, bands: &ScoreBands) -> Rate {
        Rate::new(self.in_band(band, bands), self.successful())
    }

    /// Promoters, passives and detractors among the recommendations
    /// (SAT-07), for [`NpsTally::nps`].
    pub fn nps_tally(&self, bands: &NpsBands) -> NpsTally {
        let mut tally = NpsTally::default();
        for (n, v) in self.recommendations.iter().zip(0u8..) {
            let Ok(r) = Recommendation::try_new(v) else {
                continue;
            };
            let slot = match bands.group(r) {
                NpsGroup::Promoter => &mut tally.promoters,
                NpsGroup::Passive => &mut tally.passives,
                NpsGroup::Detractor => &mut tally.detractors,
            };
            *slot = slot.saturating_add(*n);
        }
        tally
    }
}

/// A service advisor's or sales consultant's accumulator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct StaffAcc {
    counts: Counts,
    /// Vehicles received per day of the period (table 8 only); grows to
    /// the last day seen.
    per_day: Vec<u32>,
}

impl StaffAcc {
    fn bump_day(&mut self, day: usize) {
        if self.per_day.len() <= day {
            self.per_day.resize(day.saturating_add(1), 0);
        }
        if let Some(n) = self.per_day.get_mut(day) {
            *n = n.saturating_add(1);
        }
    }
}

/// Rows are found through FNV-1a: the one-pass report spends most of its
/// time finding the row, and FNV is several times faster than SipHash on
/// short ids.
type RowMap<K, V> = FnvMap<K, V>;

/// The entries of `map` in key order.
fn sorted<K: Ord, V>(map: &RowMap<K, V>) -> Vec<(&K, &V)> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// The satisfaction-rate report of one table and period, as counts (SAT-02
/// … SAT-04).
///
/// Feed it [`RateRecord`]s with [`RateReport::add`] or build it with
/// [`RateReport::from_records`]: one pass, memory per advisor and team, not
/// per record. Reports over disjoint sets of records merge with
/// [`RateReport::merge`]: two halves of a stream, two dealers, or two
/// consecutive periods. A record dated outside the period is not counted;
/// [`RateReport::outside_period`] says how many there were, and the table
/// shows it.
///
/// Serde writes the counts, so a DMS can store a report and merge more
/// into it later; reading checks that the counts add up. What the report
/// shows under a policy is its [`RateSheet`].
///
/// ```
/// use aftersales::{
///     FollowUpResult, Policy, RateRecord, RateReport, RateTable, Score, ScoreSource,
/// };
/// use chrono::NaiveDate;
///
/// let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).ok_or("date");
/// let mut report = RateReport::new(RateTable::Service, day(1)?, day(30)?)?;
/// let reached = |score| FollowUpResult::Reached {
///     score: Score::try_new(score).unwrap(),
///     recommendation: None,
///     source: Some(ScoreSource::PhoneQuestionnaire),
/// };
/// for (d, result) in [(3, reached(9)), (3, reached(6)), (4, FollowUpResult::NoResult)] {
///     report.add(&RateRecord {
///         date: day(d)?,
///         staff: "SA-01".parse()?,
///         team: Some("repair-1".parse()?),
///         result,
///     })?;
/// }
///
/// let policy = Policy::default();
/// let sheet = report.sheet(policy.satisfaction());
/// let totals = &sheet.totals;
/// assert_eq!((totals.vehicles, totals.successful), (3, 2));
/// assert_eq!(totals.success_rate.percent, Some("66.67".parse()?));
/// assert_eq!(totals.fully_rate.percent, Some("50.00".parse()?));
/// assert_eq!((totals.by_phone, totals.by_sms), (2, 0));
/// assert!(sheet.render().contains("服务顾问、维修班组满意率统计表"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReportRepr", into = "ReportRepr")]
pub struct RateReport {
    table: RateTable,
    from: NaiveDate,
    to: NaiveDate,
    staff: RowMap<StaffId, StaffAcc>,
    teams: RowMap<TeamId, Counts>,
    no_team: Counts,
    totals: Counts,
    outside_period: u64,
}

/// The number of days from `from` to `to`, both inclusive, when the period
/// is valid.
fn period_days(from: NaiveDate, to: NaiveDate) -> Result<u32, ReportError> {
    if to < from {
        return Err(ReportError::PeriodInverted { from, to });
    }
    let days = to
        .signed_duration_since(from)
        .num_days()
        .checked_add(1)
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d <= MAX_PERIOD_DAYS);
    days.ok_or(ReportError::PeriodTooLong { from, to })
}

impl RateReport {
    /// An empty report of `table` for the days `from` to `to`, both
    /// inclusive.
    ///
    /// # Errors
    ///
    /// [`ReportError::PeriodInverted`] when `to` is before `from`;
    /// [`ReportError::PeriodTooLong`] above [`MAX_PERIOD_DAYS`].
    pub fn new(table: RateTable, from: NaiveDate, to: NaiveDate) -> Result<Self, ReportError> {
        period_days(from, to)?;
        Ok(RateReport {
            table,
            from,
            to,
            staff: RowMap::default(),
            teams: RowMap::default(),
            no_team: Counts::default(),
            totals: Counts::default(),
            outside_period: 0,
        })
    }

    /// The report of `records`, in one pass.
    ///
    /// # Errors
    ///
    /// As [`RateReport::new`] and [`RateReport::add`]; the first bad record
    /// stops the pass.
    pub fn from_records<I>(
        table: RateTable,
        from: NaiveDate,
        to: NaiveDate,
        records: I,
    ) -> Result<Self, ReportError>
    where
        I: IntoIterator,
        I::Item: Borrow<RateRecord>,
    {
        let mut report = RateReport::new(table, from, to)?;
        for record in records {
            report.add(record.borrow())?;
        }
        Ok(report)
    }

    /// Counts one vehicle. A record dated outside the period is only
    /// counted in [`RateReport::outside_period`].
    ///
    /// # Errors
    ///
    /// [`ReportError::TeamOnSalesRecord`] when a table 7 record names a
    /// team; the report is unchanged.
    pub fn add(&mut self, record: &RateRecord) -> Result<(), ReportError> {
        if record.date < self.from || record.date > self.to {
            bump(&mut self.outside_period);
            return Ok(());
        }
        if self.table == RateTable::Sales {
            if let Some(team) = &record.team {
                return Err(ReportError::TeamOnSalesRecord {
                    staff: record.staff.clone(),
                    date: record.date,
                    team: team.clone(),
                });
            }
        }
        let acc = match self.staff.get_mut(&record.staff) {
            Some(acc) => acc,
            None => self.staff.entry(record.staff.clone()).or_default(),
        };
        acc.counts.count(&record.result);
        if self.table == RateTable::Service {
            // Inside the period, so the offset is below MAX_PERIOD_DAYS.
            let day = record.date.signed_duration_since(self.from).num_days();
            if let Ok(day) = usize::try_from(day) {
                acc.bump_day(day);
            }
            match &record.team {
                Some(team) => match self.teams.get_mut(team) {
                    Some(counts) => counts.count(&record.result),
                    None => self
                        .teams
                        .entry(team.clone())
                        .or_default()
                        .count(&record.result),
                },
                None => self.no_team.count(&record.result),
            }
        }
        self.totals.count(&record.result);
        Ok(())
    }

    /// Adds the counts of `other`, a report over other records, and widens
    /// the period to cover both.
    ///
    /// Counts add, so merging is only right for disjoint sets of records;
    /// the report cannot tell a record seen twice.
    ///
    /// # Errors
    ///
    /// [`ReportError::TableMismatch`] for different tables;
    /// [`ReportError::PeriodGap`] when the periods neither overlap nor
    /// touch; [`ReportError::PeriodTooLong`] when the union is too long.
    /// On error `self` is unchanged.
    pub fn merge(&mut self, other: &RateReport) -> Result<(), ReportError> {
        if self.table != other.table {
            return Err(ReportError::TableMismatch {
                left: self.table.number(),
                right: other.table.number(),
            });
        }
        let touches = |a_to: NaiveDate, b_from: NaiveDate| {
            a_to.checked_add_days(Days::new(1))
                .is_none_or(|next| b_from <= next)
        };
        if !(touches(self.to, other.from) && touches(other.to, self.from)) {
            return Err(ReportError::PeriodGap {
                left_from: self.from,
                left_to: self.to,
                right_from: other.from,
                right_to: other.to,
            });
        }
        let from = self.from.min(other.from);
        let to = self.to.max(other.to);
        period_days(from, to)?;
        // Re-base this report's per-day counts when the period now starts
        // earlier.
        let shift = usize::try_from(self.from.signed_duration_since(from).num_days()).unwrap_or(0);
        if shift > 0 {
            for acc in self.staff.values_mut() {
                if !acc.per_day.is_empty() {
                    let mut moved = vec![0; shift];
                    moved.append(&mut acc.per_day);
                    acc.per_day = moved;
                }
            }
        }
        let other_shift =
            usize::try_from(other.from.signed_duration_since(from).num_days()).unwrap_or(0);
        for (staff, theirs) in &other.staff {
            let acc = self.staff.entry(staff.clone()).or_default();
            acc.counts.merge(&theirs.counts);
            for (day, n) in theirs.per_day.iter().enumerate() {
                if *n > 0 {
                    let at = day.saturating_add(other_shift);
                    acc.bump_day(at);
                    if let Some(slot) = acc.per_day.get_mut(at) {
                        // bump_day added one; add the rest.
                        *slot = slot.saturating_add(n.saturating_sub(1));
                    }
                }
            }
        }
        for (team, counts) in &other.teams {
            self.teams.entry(team.clone()).or_default().merge(counts);
        }
        self.no_team.merge(&other.no_team);
        self.totals.merge(&other.totals);
        self.outside_period = self.outside_period.saturating_add(other.outside_period);
        self.from = from;
        self.to = to;
        Ok(())
    }

    /// Which table this is.
    pub fn table(&self) -> RateTable {
        self.table
    }

    /// The first day of the period.
    pub fn from(&self) -> NaiveDate {
        self.from
    }

    /// The last day of the period.
    pub fn to(&self) -> NaiveDate {
        self.to
    }

    /// The rows per service advisor or sales consultant, by id.
    pub fn staff_rows(&self) -> impl Iterator<Item = (&StaffId, &Counts)> {
        sorted(&self.staff)
            .into_iter()
            .map(|(id, acc)| (id, &acc.counts))
    }

    /// The rows per repair team, by id (table 8 only).
    pub fn team_rows(&self) -> impl Iterator<Item = (&TeamId, &Counts)> {
        sorted(&self.teams).into_iter()
    }

    /// Vehicles received without a repair team (table 8 only): shown as
    /// their own row when there are any, so the team rows add up to the
    /// totals.
    pub fn no_team(&self) -> &Counts {
        &self.no_team
    }

    /// The totals row (SAT-04): every vehicle of the period once.
    pub fn totals(&self) -> &Counts {
        &self.totals
    }

    /// Records given to this report that were dated outside its period.
    pub fn outside_period(&self) -> u64 {
        self.outside_period
    }

    /// The vehicles `staff` received on `date` (table 8; 0 for table 7).
    pub fn received_on(&self, staff: &StaffId, date: NaiveDate) -> u32 {
        let Some(acc) = self.staff.get(staff) else {
            return 0;
        };
        usize::try_from(date.signed_duration_since(self.from).num_days())
            .ok()
            .and_then(|d| acc.per_day.get(d).copied())
            .unwrap_or(0)
    }

    /// The advisor-days above the workload limit (SAT-09), by advisor and
    /// date. Table 7 has none.
    pub fn workload_flags(&self, limits: &WorkloadLimits) -> Vec<WorkloadFlag> {
        let mut flags = Vec::new();
        for (staff, acc) in sorted(&self.staff) {
            for (day, n) in acc.per_day.iter().enumerate() {
                if *n > limits.max_per_day {
                    let date = u64::try_from(day)
                        .ok()
                        .and_then(|d| self.from.checked_add_days(Days::new(d)));
                    if let Some(date) = date {
                        flags.push(WorkloadFlag {
                            staff: staff.clone(),
                            date,
                            received: *n,
                            limit: limits.max_per_day,
                        });
                    }
                }
            }
        }
        flags
    }

    /// What the report shows under `policy`: band counts and rates per
    /// row, the totals row and the workload flags.
    pub fn sheet(&self, policy: &SatisfactionPolicy) -> RateSheet {
        let row = |label: RowLabel, counts: &Counts| RateRow::new(label, counts, policy);
        let staff = self
            .staff_rows()
            .map(|(id, counts)| row(RowLabel::Staff(id.clone()), counts))
            .collect();
        let mut teams: Vec<RateRow> = self
            .team_rows()
            .map(|(id, counts)| row(RowLabel::Team(id.clone()), counts))
            .collect();
        if self.no_team.vehicles > 0 {
            teams.push(row(RowLabel::NoTeam, &self.no_team));
        }
        RateSheet {
            table: self.table,
            from: self.from,
            to: self.to,
            bands: policy.bands,
            sales_score: policy.sales_score,
            rate_decimals: policy.rate_decimals,
            staff,
            teams,
            totals: row(RowLabel::Totals, &self.totals),
            workload_flags: self.workload_flags(&policy.workload),
            outside_period: self.outside_period,
        }
    }

    /// [`RateReport::sheet`] rendered as a table.
    pub fn render(&self, policy: &SatisfactionPolicy) -> String {
        self.sheet(policy).render()
    }

    /// Checks that the counts add up, for a report read from storage.
    fn check(&self) -> Result<(), ReportError> {
        let bad = |what: String| Err(ReportError::Inconsistent(what));
        let days = period_days(self.from, self.to)?;
        let all = [&self.totals, &self.no_team]
            .into_iter()
            .chain(self.teams.values())
            .chain(self.staff.values().map(|a| &a.counts));
        for counts in all {
            if counts.attempted() > counts.vehicles {
                return bad(format!(
                    "{} follow-ups with a result for {} vehicles",
                    counts.attempted(),
                    counts.vehicles
                ));
            }
            if sum(&counts.sources) > counts.successful() {
                return bad(format!(
                    "{} score sources for {} successful follow-ups",
                    sum(&counts.sources),
                    counts.successful()
                ));
            }
            if sum(&counts.recommendations) > counts.successful() {
                return bad(format!(
                    "{} recommendations for {} successful follow-ups",
                    sum(&counts.recommendations),
                    counts.successful()
                ));
            }
        }
        let mut staff_sum = Counts::default();
        for (id, acc) in &self.staff {
            staff_sum.merge(&acc.counts);
            let per_day = acc
                .per_day
                .iter()
                .fold(0u64, |s, n| s.saturating_add(u64::from(*n)));
            let expected = match self.table {
                RateTable::Service => acc.counts.vehicles,
                RateTable::Sales => 0,
            };
            if per_day != expected {
                return bad(format!(
                    "`{id}` has {per_day} vehicles per day but {expected} in its row"
                ));
            }
            if acc.per_day.len() > usize::try_from(days).unwrap_or(usize::MAX) {
                return bad(format!("`{id}` has vehicles after the period"));
            }
        }
        if staff_sum != self.totals {
            return bad("the staff rows do not add up to the totals".to_owned());
        }
        match self.table {
            RateTable::Service => {
                let mut team_sum = self.no_team;
                for counts in self.teams.values() {
                    team_sum.merge(counts);
                }
                if team_sum != self.totals {
                    return bad("the team rows do not add up to the totals".to_owned());
                }
            }
            RateTable::Sales => {
                if !self.teams.is_empty() || self.no_team != Counts::default() {
                    return bad("a table 7 report has team rows".to_owned());
                }
            }
        }
        Ok(())
    }
}

/// How a [`RateReport`] is stored: the counts, and the per-day receptions
/// as a map from date to count.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportRepr {
    table: RateTable,
    from: NaiveDate,
    to: NaiveDate,
    staff: Vec<StaffRepr>,
    teams: Vec<TeamRepr>,
    no_team: Counts,
    totals: Counts,
    outside_period: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaffRepr {
    staff: StaffId,
    counts: Counts,
    received_per_day: BTreeMap<NaiveDate, u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamRepr {
    team: TeamId,
    counts: Counts,
}

impl From<RateReport> for ReportRepr {
    fn from(report: RateReport) -> Self {
        let from = report.from;
        let mut staff_rows: Vec<(StaffId, StaffAcc)> = report.staff.into_iter().collect();
        staff_rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut team_rows: Vec<(TeamId, Counts)> = report.teams.into_iter().collect();
        team_rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let staff = staff_rows
            .into_iter()
            .map(|(staff, acc)| StaffRepr {
                staff,
                counts: acc.counts,
                received_per_day: acc
                    .per_day
                    .iter()
                    .zip(0u64..)
                    .filter(|(n, _)| **n > 0)
                    .filter_map(|(n, d)| from.checked_add_days(Days::new(d)).map(|date| (date, *n)))
                    .collect(),
            })
            .collect();
        ReportRepr {
            table: report.table,
            from,
            to: report.to,
            staff,
            teams: team_rows
                .into_iter()
                .map(|(team, counts)| TeamRepr { team, counts })
                .collect(),
            no_team: report.no_team,
            totals: report.totals,
            outside_period: report.outside_period,
        }
    }
}

impl TryFrom<ReportRepr> for RateReport {
    type Error = ReportError;
    fn try_from(repr: ReportRepr) -> Result<Self, Self::Error> {
        let mut report = RateReport::new(repr.table, repr.from, repr.to)?;
        for s in repr.staff {
            let mut acc = StaffAcc {
                counts: s.counts,
                per_day: Vec::new(),
            };
            for (date, n) in s.received_per_day {
                if date < repr.from || date > repr.to {
                    return Err(ReportError::Inconsistent(format!(
                        "`{}` has vehicles on {date}, outside the period",
                        s.staff
                    )));
                }
                let day =
                    usize::try_from(date.signed_duration_since(repr.from).num_days()).unwrap_or(0);
                acc.bump_day(day);
                if let Some(slot) = acc.per_day.get_mut(day) {
                    *slot = n;
                }
            }
            if report.staff.insert(s.staff.clone(), acc).is_some() {
                return Err(ReportError::Inconsistent(format!(
                    "`{}` has two rows",
                    s.staff
                )));
            }
        }
        for t in repr.teams {
            if report.teams.insert(t.team.clone(), t.counts).is_some() {
                return Err(ReportError::Inconsistent(format!(
                    "team `{}` has two rows",
                    t.team
                )));
            }
        }
        report.no_team = repr.no_team;
        report.totals = repr.totals;
        report.outside_period = repr.outside_period;
        report.check()?;
        Ok(report)
    }
}

/// An advisor-day above the workload limit (SAT-09).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkloadFlag {
    /// The service advisor.
    pub staff: StaffId,
    /// The day.
    pub date: NaiveDate,
    /// Vehicles received that day.
    pub received: u32,
    /// The limit it is above.
    pub limit: u32,
}

impl WorkloadFlag {
    /// SAT-09.
    pub const fn rule(&self) -> RuleId {
        RuleId::Sat09
    }
}

impl fmt::Display for WorkloadFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} received {} vehicles on {}, above {} (SAT-09)",
            self.staff, self.received, self.date, self.limit
        )
    }
}

/// Whose row it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "row", content = "id")]
pub enum RowLabel {
    /// A service advisor or sales consultant.
    Staff(StaffId),
    /// A repair team.
    Team(TeamId),
    /// Vehicles received without a team.
    NoTeam,
    /// The totals row (合计).
    Totals,
}

impl fmt::Display for RowLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowLabel::Staff(id) => write!(f, "{id}"),
            RowLabel::Team(id) => write!(f, "{id}"),
            RowLabel::NoTeam => f.write_str("未分组 No team"),
            RowLabel::Totals => f.write_str("合计 Total"),
        }
    }
}

/// A rate as the sheet shows it: the exact counts and the percentage
/// rounded half away from zero to the policy's decimals; `percent` is
/// `None` when the denominator is zero ("not available").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShownRate {
    /// The counted part.
    pub numerator: u64,
    /// The whole.
    pub denominator: u64,
    /// The percentage, rounded; `None` for "n/a".
    #[serde(default, with = "crate::decimal::exact_opt")]
    pub percent: Option<Decimal>,
}

impl ShownRate {
    fn new(rate: Rate, decimals: u32) -> ShownRate {
        ShownRate {
            numerator: rate.numerator,
            denominator: rate.denominator,
            percent: rate.percent(decimals),
        }
    }

    /// The exact rate.
    pub fn rate(&self) -> Rate {
        Rate::new(self.numerator, self.denominator)
    }
}

impl fmt::Display for ShownRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.percent {
            Some(p) => write!(f, "{p}%"),
            None => f.write_str("n/a"),
        }
    }
}

/// One row of a [`RateSheet`]: the columns of tables 7 and 8 of \[002\],
/// plus the crate's additions: no answer (and other, for table 7), the
/// successful follow-ups by score source, and the NPS.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateRow {
    /// Whose row.
    pub label: RowLabel,
    /// N: vehicles received (table 8) or delivered (table 7).
    pub vehicles: u64,
    /// S: successful follow-ups.
    pub successful: u64,
    /// U: unsuccessful follow-ups, all columns.
    pub unsuccessful: u64,
    /// Refused (拒访).
    pub refused: u64,
    /// Unreachable (无法接通).
    pub unreachable: u64,
    /// No answer (无人接听).
    pub no_answer: u64,
    /// Other (其他).
    pub other: u64,
    /// S / N.
    pub success_rate: ShownRate,
    /// U / N.
    pub unsuccessful_rate: ShownRate,
    /// Fully satisfied (完全满意数量).
    pub fully: u64,
    /// Basically satisfied (基本满意数量).
    pub basic: u64,
    /// Dissatisfied (不满意数量).
    pub dissatisfied: u64,
    /// Fully satisfied / S.
    pub fully_rate: ShownRate,
    /// Basically satisfied / S.
    pub basic_rate: ShownRate,
    /// Dissatisfied / S.
    pub dissatisfied_rate: ShownRate,
    /// Successful follow-ups scored on the phone questionnaire.
    #[serde(default)]
    pub by_phone: u64,
    /// Successful follow-ups scored by SMS reply.
    #[serde(default)]
    pub by_sms: u64,
    /// Recommendations given (SAT-07).
    pub recommendations: u64,
    /// The NPS, rounded like the rates; `None` without recommendations.
    #[serde(default, with = "crate::decimal::exact_opt")]
    pub nps: Option<Decimal>,
}

impl RateRow {
    fn new(label: RowLabel, c: &Counts, policy: &SatisfactionPolicy) -> RateRow {
        let d = policy.rate_decimals;
        let bands = &policy.bands;
        let kind = |k| c.unsuccessful_of(k);
        RateRow {
            label,
            vehicles: c.vehicles,
            successful: c.successful(),
            unsuccessful: c.unsuccessful_total(),
            refused: kind(UnsuccessfulKind::Refused),
            unreachable: kind(UnsuccessfulKind::Unreachable),
            no_answer: kind(UnsuccessfulKind::NoAnswer),
            other: kind(UnsuccessfulKind::Other),
            success_rate: ShownRate::new(c.success_rate(), d),
            unsuccessful_rate: ShownRate::new(c.unsuccessful_rate(), d),
            fully: c.in_band(Band::FullySatisfied, bands),
            basic: c.in_band(Band::BasicallySatisfied, bands),
            dissatisfied: c.in_band(Band::Dissatisfied, bands),
            fully_rate: ShownRate::new(c.band_rate(Band::FullySatisfied, bands), d),
            basic_rate: ShownRate::new(c.band_rate(Band::BasicallySatisfied, bands), d),
            dissatisfied_rate: ShownRate::new(c.band_rate(Band::Dissatisfied, bands), d),
            by_phone: c.from_source(ScoreSource::PhoneQuestionnaire),
            by_sms: c.from_source(ScoreSource::SmsReply),
            recommendations: sum(&c.recommendations),
            nps: c.nps_tally(&policy.nps).nps_rounded(d),
        }
    }
}

/// A [`RateReport`] under a policy: what tables 7 and 8 show, ready to
/// render or to serialize.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateSheet {
    /// Which table.
    pub table: RateTable,
    /// The first day of the period.
    pub from: NaiveDate,
    /// The last day of the period.
    pub to: NaiveDate,
    /// The band limits the counts were split by (SAT-01).
    pub bands: ScoreBands,
    /// How the policy forms a sales questionnaire's score (table 7).
    #[serde(default)]
    pub sales_score: SalesScoreBasis,
    /// The decimals of every percentage, rounded half away from zero.
    pub rate_decimals: u32,
    /// One row per service advisor or sales consultant.
    pub staff: Vec<RateRow>,
    /// One row per repair team, then vehicles without a team (table 8).
    pub teams: Vec<RateRow>,
    /// The totals row (SAT-04).
    pub totals: RateRow,
    /// Advisor-days above the workload limit (SAT-09).
    pub workload_flags: Vec<WorkloadFlag>,
    /// Records that were dated outside the period and not counted.
    pub outside_period: u64,
}

impl RateSheet {
    /// The sheet as a plain-text table in the layout of tables 7 and 8 of
    /// \[002\]: a Chinese and an English heading line with the paper
    /// form's columns in its order ([`RateTable::paper_columns`]), then,
    /// right of a bar, the crate's additions
    /// ([`RateTable::added_columns`]); the staff rows, the team rows (table
    /// 8), the totals row, notes on the columns, the sales score basis
    /// (table 7), the rounding, and the workload flags.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_table(&mut out);
        out
    }

    fn write_table(&self, out: &mut String) -> fmt::Result {
        let n = self.table.number();
        writeln!(
            out,
            "表{n} {} / Table {n}: {}",
            self.table.label_zh(),
            self.table.label_en(),
        )?;
        writeln!(out, "{} – {}", self.from, self.to)?;
        let paper = self.table.paper_columns();
        let columns: Vec<RateColumn> = paper
            .iter()
            .chain(self.table.added_columns())
            .copied()
            .collect();
        let heads: Vec<(String, String)> = columns
            .iter()
            .map(|c| c.heading(self.table, &self.bands))
            .collect();
        let body: Vec<Vec<String>> = self
            .staff
            .iter()
            .chain(&self.teams)
            .chain(std::iter::once(&self.totals))
            .map(|row| columns.iter().map(|c| c.cell(row)).collect())
            .collect();
        let widths: Vec<usize> = heads
            .iter()
            .enumerate()
            .map(|(i, (zh, en))| {
                body.iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| width(c))
                    .fold(width(zh).max(width(en)), usize::max)
            })
            .collect();
        // The additions stand right of a bar.
        let line = |out: &mut String, cols: &mut dyn Iterator<Item = &str>| -> fmt::Result {
            let mut text = String::new();
            for (i, (col, w)) in cols.zip(&widths).enumerate() {
                if i == 0 {
                    text.push_str(&left(col, *w));
                } else {
                    text.push_str(if i == paper.len() { "  |  " } else { "  " });
                    text.push_str(&right(col, *w));
                }
            }
            writeln!(out, "{}", text.trim_end())
        };
        line(out, &mut heads.iter().map(|(zh, _)| zh.as_str()))?;
        line(out, &mut heads.iter().map(|(_, en)| en.as_str()))?;
        let staff_rows = self.staff.len();
        let team_rows = self.teams.len();
        let rule_width = widths
            .iter()
            .fold(0usize, |s, w| s.saturating_add(*w))
            .saturating_add(2usize.saturating_mul(widths.len().saturating_sub(1)))
            .saturating_add(3);
        for (i, row) in body.iter().enumerate() {
            // A rule before the team rows and before the totals (one rule
            // when there are no team rows).
            if i == staff_rows || i == staff_rows.saturating_add(team_rows) {
                writeln!(out, "{}", "-".repeat(rule_width))?;
            }
            line(out, &mut row.iter().map(String::as_str))?;
        }
        writeln!(
            out,
            "“|”右侧为本系统增列栏目，原表（[002] 表{n}）没有 / Columns right of “|” are additions, not on the paper form ([002] table {n})"
        )?;
        writeln!(
            out,
            "回访未成功数 = 拒访 + 无法接通 + 无人接听 + 其他 / Unsuccessful = refused + unreachable + no answer + other"
        )?;
        if self.table == RateTable::Sales {
            writeln!(
                out,
                "销售问卷得分：{} / Sales questionnaire score: {} (SAT-01)",
                self.sales_score.label_zh(),
                self.sales_score.label_en()
            )?;
        }
        let not_recorded = self
            .totals
            .successful
            .saturating_sub(self.totals.by_phone.saturating_add(self.totals.by_sms));
        if not_recorded > 0 {
            writeln!(
                out,
                "得分来源未记录的回访成功数 / Successful follow-ups with no score source recorded: {not_recorded}"
            )?;
        }
        writeln!(
            out,
            "比率按四舍五入保留{d}位小数 / Rates rounded half away from zero to {d} decimal {places}; n/a = 不适用（分母为零） not applicable (zero denominator)",
            d = self.rate_decimals,
            places = if self.rate_decimals == 1 {
                "place"
            } else {
                "places"
            }
        )?;
        if self.outside_period > 0 {
            writeln!(
                out,
                "统计期外记录未计入 / Records outside the period, not counted: {}",
                self.outside_period
            )?;
        }
        if !self.workload_flags.is_empty() {
            writeln!(
                out,
                "日接车超限 / Advisor-days above the workload limit (SAT-09):"
            )?;
            for flag in &self.workload_flags {
                writeln!(
                    out,
                    "  {} {}: {} > {}",
                    flag.date, flag.staff, flag.received, flag.limit
                )?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for RateSheet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn rec(d: u32, staff: &str, result: FollowUpResult) -> RateRecord {
        RateRecord {
            date: day(d),
            staff: staff.parse().unwrap(),
            team: None,
            result,
        }
    }

    #[test]
    fn periods_are_checked() {
        assert!(matches!(
            RateReport::new(RateTable::Sales, day(2), day(1)),
            Err(ReportError::PeriodInverted { .. })
        ));
        let far = NaiveDate::from_ymd_opt(2040, 1, 1).unwrap();
        let err = RateReport::new(RateTable::Sales, day(1), far).unwrap_err();
        assert_eq!(err.rule(), RuleId::Sat02);
        assert!(RateReport::new(RateTable::Sales, day(1), day(1)).is_ok());
    }

    #[test]
    fn merge_realigns_days() {
        let mut early = RateReport::new(RateTable::Service, day(1), day(15)).unwrap();
        let mut late = RateReport::new(RateTable::Service, day(16), day(30)).unwrap();
        for _ in 0..3 {
            late.add(&rec(20, "A", FollowUpResult::NoResult)).unwrap();
        }
        early.add(&rec(2, "A", FollowUpResult::NoResult)).unwrap();
        let mut a = early.clone();
        a.merge(&late).unwrap();
        let mut b = late.clone();
        b.merge(&early).unwrap();
        assert_eq!(a, b);
        let staff: StaffId = "A".parse().unwrap();
        assert_eq!(a.received_on(&staff, day(20)), 3);
        assert_eq!(a.received_on(&staff, day(2)), 1);
        assert_eq!((a.from(), a.to()), (day(1), day(30)));
    }
}
