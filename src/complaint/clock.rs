//! The deadline clock of CMP-16: complaint deadlines run in calendar hours
//! by default; a policy may switch them to business hours (per-weekday
//! opening times plus a holiday list), and the clock may be paused while the
//! dealer waits on the customer. A deadline is either met or missed.
//!
//! All arithmetic is done on absolute instants, so instants may carry any
//! fixed offset. Business hours are local wall-clock times at one fixed UTC
//! offset ([`BusinessHours::utc_offset_minutes`]); time zones with daylight
//! saving time are out of scope: a DMS converts them into the fixed offset
//! of the period it asks about.
//!
//! ```
//! use aftersales::{DeadlineClock, Pause};
//! use chrono::{DateTime, TimeDelta};
//!
//! let received = DateTime::parse_from_rfc3339("2025-09-29T10:00:00+08:00")?;
//! let pause = Pause {
//!     from: DateTime::parse_from_rfc3339("2025-09-29T12:00:00+08:00")?,
//!     until: Some(DateTime::parse_from_rfc3339("2025-09-29T15:00:00+08:00")?),
//! };
//! let due = DeadlineClock::Calendar.deadline(received, TimeDelta::hours(24), &[pause])?;
//! assert_eq!(due, Some(DateTime::parse_from_rfc3339("2025-09-30T13:00:00+08:00")?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::contact::MAX_OFFSET_MINUTES;
use crate::policy::PolicyError;
use crate::rule::RuleId;
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

/// How far after its start a deadline may fall: 3,653 days (ten years).
/// Beyond it [`DeadlineClock::deadline`] gives up and returns `Ok(None)`.
const HORIZON_DAYS: i64 = 3653;

/// How complaint deadlines count time (CMP-16).
///
/// In JSON: `{"kind": "calendar"}`, or `{"kind": "business", ...}` with the
/// fields of [`BusinessHours`] next to the tag.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
// A policy value, built once and borrowed: the fixed API keeps the hours
// inline rather than boxing them.
#[allow(clippy::large_enum_variant)]
pub enum DeadlineClock {
    /// Every hour counts, day and night, weekdays and holidays (the default).
    #[default]
    Calendar,
    /// Only the dealer's opening hours count.
    Business(BusinessHours),
}

/// The dealer's opening hours, against which a business-hours clock counts.
///
/// Which hours apply on a local date:
/// 1. a date in [`holidays`](Self::holidays) is closed;
/// 2. otherwise a date in [`extra_open_days`](Self::extra_open_days) is open
///    with [`extra_day_hours`](Self::extra_day_hours), whatever its weekday;
/// 3. otherwise the weekday's entry in [`week`](Self::week) applies.
///
/// A day whose hours do not open before they close counts as closed
/// ([`DeadlineClock::validate`] rejects such hours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BusinessHours {
    /// The dealer's offset from UTC in minutes (480 = China Standard Time).
    /// Opening hours and dates are local wall-clock time at this offset.
    pub utc_offset_minutes: i32,
    /// Opening hours Monday..Sunday (index 0 = Monday); `None` = closed that
    /// weekday.
    pub week: [Option<OpeningHours>; 7],
    /// Local dates the dealer is closed (public holidays).
    pub holidays: Vec<NaiveDate>,
    /// Local dates the dealer is open although the weekday is closed
    /// (China's make-up working days, 调休), with
    /// [`extra_day_hours`](Self::extra_day_hours).
    pub extra_open_days: Vec<NaiveDate>,
    /// The opening hours of every date in
    /// [`extra_open_days`](Self::extra_open_days).
    pub extra_day_hours: OpeningHours,
}

/// One day's opening hours, local wall-clock time: open from `opens`
/// (inclusive) to `closes` (exclusive), on the same day, `opens < closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// When the dealer opens.
    pub opens: NaiveTime,
    /// When the dealer closes.
    pub closes: NaiveTime,
}

/// An interval in which the clock stops because the dealer waits on the
/// customer (from `from` inclusive to `until` exclusive).
///
/// Pauses may overlap, come in any order and start before the clock does;
/// a pause whose `until` is not after its `from` is empty and ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pause {
    /// When the dealer started waiting.
    pub from: DateTime<FixedOffset>,
    /// When the customer answered; `None` = still waiting.
    pub until: Option<DateTime<FixedOffset>>,
}

const WEEKDAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// `h:m:00`; only called with valid constants.
const fn hm(hour: u32, minute: u32) -> NaiveTime {
    match NaiveTime::from_hms_opt(hour, minute, 0) {
        Some(time) => time,
        None => NaiveTime::MIN,
    }
}

impl OpeningHours {
    /// Hours from `opens` to `closes`.
    pub const fn new(opens: NaiveTime, closes: NaiveTime) -> OpeningHours {
        OpeningHours { opens, closes }
    }

    fn is_valid(self) -> bool {
        self.opens < self.closes
    }
}

impl BusinessHours {
    /// A typical dealer's after-sales opening, as a starting point for a
    /// policy (not a number from the rulebook): Monday to Friday
    /// 08:30–17:30, Saturday 09:00–17:00, Sunday closed, UTC+8, no holidays
    /// and no extra open days (whose hours default to the weekday hours).
    pub fn dealer_default() -> BusinessHours {
        let weekday = Some(OpeningHours::new(hm(8, 30), hm(17, 30)));
        BusinessHours {
            utc_offset_minutes: 8 * 60,
            week: [
                weekday,
                weekday,
                weekday,
                weekday,
                weekday,
                Some(OpeningHours::new(hm(9, 0), hm(17, 0))),
                None,
            ],
            holidays: Vec::new(),
            extra_open_days: Vec::new(),
            extra_day_hours: OpeningHours::new(hm(8, 30), hm(17, 30)),
        }
    }

    /// The opening hours on a local date, `None` if closed (see the type's
    /// docs for the order of precedence).
    pub fn hours_on(&self, date: NaiveDate) -> Option<OpeningHours> {
        let hours = if self.holidays.contains(&date) {
            None
        } else if self.extra_open_days.contains(&date) {
            Some(self.extra_day_hours)
        } else {
            let index = date.weekday().num_days_from_monday() as usize;
            self.week.get(index).copied().flatten()
        };
        hours.filter(|h| h.is_valid())
    }

    fn validate(&self) -> Result<(), PolicyError> {
        if !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&self.utc_offset_minutes) {
            return Err(invalid(
                "complaint.clock.utc_offset_minutes",
                format!(
                    "must be within ±14 h (±840 minutes), not `{}`",
                    self.utc_offset_minutes
                ),
            ));
        }
        for (name, hours) in WEEKDAY_NAMES.iter().zip(&self.week) {
            if let Some(h) = hours.filter(|h| !h.is_valid()) {
                return Err(invalid(
                    "complaint.clock.week",
                    format!(
                        "must open before it closes, but {name} opens at `{}` and closes at `{}`",
                        h.opens, h.closes
                    ),
                ));
            }
        }
        if self.week.iter().all(Option::is_none) {
            return Err(invalid(
                "complaint.clock.week",
                "must have at least one open weekday",
            ));
        }
        if !self.extra_day_hours.is_valid() {
            return Err(invalid(
                "complaint.clock.extra_day_hours",
                format!(
                    "must open before it closes, not open at `{}` and close at `{}`",
                    self.extra_day_hours.opens, self.extra_day_hours.closes
                ),
            ));
        }
        if let Some(date) = self
            .holidays
            .iter()
            .find(|d| self.extra_open_days.contains(d))
        {
            return Err(invalid(
                "complaint.clock.holidays",
                format!("lists `{date}`, which is also an extra open day"),
            ));
        }
        Ok(())
    }

    /// The first open interval `[a, b)` (UTC) with `b > t` and `a < horizon`,
    /// clipped so that `a >= t`. `None` if there is none before `horizon` or
    /// the dates leave chrono's range.
    fn next_open(
        &self,
        t: NaiveDateTime,
        horizon: NaiveDateTime,
    ) -> Option<(NaiveDateTime, NaiveDateTime)> {
        let offset = TimeDelta::try_minutes(i64::from(self.utc_offset_minutes))?;
        let mut day = t.checked_add_signed(offset)?.date();
        loop {
            let day_start = day.and_time(NaiveTime::MIN).checked_sub_signed(offset)?;
            if day_start >= horizon {
                return None;
            }
            if let Some(hours) = self.hours_on(day) {
                let closes = day.and_time(hours.closes).checked_sub_signed(offset)?;
                if closes > t {
                    let opens = day.and_time(hours.opens).checked_sub_signed(offset)?.max(t);
                    return (opens < horizon).then_some((opens, closes));
                }
            }
            day = day.succ_opt()?;
        }
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> PolicyError {
    crate::policy::invalid(field, RuleId::Cmp16, reason)
}

/// Checks `start` and every pause against the [`SUPPORTED_RANGE`]: the
/// instants a clock accepts.
fn check_instants(start: DateTime<FixedOffset>, pauses: &[Pause]) -> Result<(), TimeRangeError> {
    SUPPORTED_RANGE.check("start", start)?;
    for pause in pauses {
        SUPPORTED_RANGE.check("pauses.from", pause.from)?;
        SUPPORTED_RANGE.check_opt("pauses.until", pause.until)?;
    }
    Ok(())
}

/// A pause in UTC; `until == None` runs forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    from: NaiveDateTime,
    until: Option<NaiveDateTime>,
}

/// The pauses as sorted, disjoint, non-empty spans in UTC.
fn merge(pauses: &[Pause]) -> Vec<Span> {
    let mut spans: Vec<Span> = pauses
        .iter()
        .map(|p| Span {
            from: p.from.naive_utc(),
            until: p.until.map(|u| u.naive_utc()),
        })
        .filter(|s| s.until.is_none_or(|u| u > s.from))
        .collect();
    spans.sort_unstable_by_key(|s| s.from);
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if last.until.is_none_or(|u| span.from <= u) => {
                last.until = match (last.until, span.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => merged.push(span),
        }
    }
    merged
}

/// The counted intervals from a start instant on: open time (all of it for a
/// calendar clock) minus the pauses, as `[from, until)` in UTC with
/// `until == None` for "forever". Only intervals starting before `horizon`.
struct Counted<'a> {
    clock: &'a DeadlineClock,
    /// Merged pauses not yet passed.
    pauses: &'a [Span],
    /// Where the next interval may start; `None` once exhausted.
    cursor: Option<NaiveDateTime>,
    horizon: NaiveDateTime,
}

impl<'a> Counted<'a> {
    fn new(
        clock: &'a DeadlineClock,
        pauses: &'a [Span],
        start: NaiveDateTime,
        horizon: NaiveDateTime,
    ) -> Self {
        Counted {
            clock,
            pauses,
            cursor: Some(start),
            horizon,
        }
    }

    fn next_open(&self, t: NaiveDateTime) -> Option<(NaiveDateTime, Option<NaiveDateTime>)> {
        match self.clock {
            DeadlineClock::Calendar => (t < self.horizon).then_some((t, None)),
            DeadlineClock::Business(hours) => {
                hours.next_open(t, self.horizon).map(|(a, b)| (a, Some(b)))
            }
        }
    }
}

impl Iterator for Counted<'_> {
    type Item = (NaiveDateTime, Option<NaiveDateTime>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let cursor = self.cursor.take()?;
            let (opens, closes) = self.next_open(cursor)?;
            // Drop the pauses that end before this open interval begins.
            while let Some((first, rest)) = self.pauses.split_first() {
                if first.until.is_some_and(|u| u <= opens) {
                    self.pauses = rest;
                } else {
                    break;
                }
            }
            match self.pauses.first() {
                // Paused at the opening: resume where the pause ends.
                Some(pause) if pause.from <= opens => {
                    self.cursor = pause.until;
                }
                // A pause starts later: count up to it (or to closing).
                Some(pause) => {
                    let until = closes.map_or(pause.from, |c| c.min(pause.from));
                    self.cursor = Some(until);
                    return Some((opens, Some(until)));
                }
                None => {
                    self.cursor = closes;
                    return Some((opens, closes));
                }
            }
        }
    }
}

impl DeadlineClock {
    /// Checks the clock's consistency; a calendar clock is always valid.
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] for rule CMP-16 when a weekday opens at or after it
    /// closes (`complaint.clock.week`), no weekday is open at all
    /// (`complaint.clock.week`), the UTC offset is outside ±14 h
    /// (`complaint.clock.utc_offset_minutes`), the extra days' hours open at
    /// or after they close (`complaint.clock.extra_day_hours`), or a date is
    /// both a holiday and an extra open day (`complaint.clock.holidays`).
    pub fn validate(&self) -> Result<(), PolicyError> {
        match self {
            DeadlineClock::Calendar => Ok(()),
            DeadlineClock::Business(hours) => hours.validate(),
        }
    }

    /// The instant at which `budget` of counted time has run after `start`:
    /// all time for a calendar clock, only opening hours for a business
    /// clock, in both cases minus the `pauses`. The result carries `start`'s
    /// offset.
    ///
    /// It is the earliest such instant: a budget that ends exactly at closing
    /// time gives the closing time, not the next opening. A zero budget gives
    /// `start` itself in both modes, even outside opening hours (it is not
    /// moved to the next opening).
    ///
    /// `Ok(None)` when the deadline cannot be reached: the budget is
    /// negative, an open-ended pause covers the rest of the time, no day
    /// within reach is open (only with hours [`validate`](Self::validate)
    /// refuses), or the deadline would fall more than ten years (3,653 days)
    /// after `start`. Cost is linear in the days searched, at most ten
    /// years of days.
    ///
    /// The deadline of an accepted start may fall after 9999-12-31 (the end
    /// of the [`SUPPORTED_RANGE`]), by at most the ten years: it is returned
    /// as computed, in `start`'s offset, where chrono can still show and
    /// serialize it. A start on 9999-12-31 with 24 business hours left thus
    /// gets a deadline in January 10000; no search ever stops at the end of
    /// the range or returns `None` because of it.
    ///
    /// A deadline is met if the matter is settled at or before the returned
    /// instant and missed otherwise.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `start`, `pauses.from` or `pauses.until`
    /// when that instant lies outside the [`SUPPORTED_RANGE`]; nothing is
    /// counted from an instant the crate does not accept.
    ///
    /// ```
    /// use aftersales::{BusinessHours, DeadlineClock};
    /// use chrono::{DateTime, NaiveDate, TimeDelta};
    ///
    /// // Mon–Fri 08:30–17:30, UTC+8; Wednesday 1 October 2025 is a holiday.
    /// let mut hours = BusinessHours::dealer_default();
    /// hours.holidays.push("2025-10-01".parse::<NaiveDate>()?);
    /// let clock = DeadlineClock::Business(hours);
    ///
    /// // Tuesday 16:30 plus 3 business hours: one hour on Tuesday, none
    /// // overnight or on the holiday, two on Thursday from 08:30.
    /// let start = DateTime::parse_from_rfc3339("2025-09-30T16:30:00+08:00")?;
    /// let due = clock.deadline(start, TimeDelta::hours(3), &[])?;
    /// assert_eq!(due, Some(DateTime::parse_from_rfc3339("2025-10-02T10:30:00+08:00")?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn deadline(
        &self,
        start: DateTime<FixedOffset>,
        budget: TimeDelta,
        pauses: &[Pause],
    ) -> Result<Option<DateTime<FixedOffset>>, TimeRangeError> {
        check_instants(start, pauses)?;
        Ok(self.deadline_of(start, budget, pauses))
    }

    /// [`deadline`](Self::deadline) without the range check, for instants
    /// the crate accepted earlier (a complaint's recorded times). Never
    /// panics, whatever the instants.
    pub(crate) fn deadline_of(
        &self,
        start: DateTime<FixedOffset>,
        budget: TimeDelta,
        pauses: &[Pause],
    ) -> Option<DateTime<FixedOffset>> {
        if budget < TimeDelta::zero() {
            return None;
        }
        if budget.is_zero() {
            return Some(start);
        }
        let origin = start.naive_utc();
        let limit = TimeDelta::try_days(HORIZON_DAYS)
            .and_then(|h| origin.checked_add_signed(h))
            .unwrap_or(NaiveDateTime::MAX);
        let merged = merge(pauses);
        let mut remaining = budget;
        for (from, until) in Counted::new(self, &merged, origin, limit) {
            match until.map(|u| u.signed_duration_since(from)) {
                Some(length) if length < remaining => {
                    remaining = remaining.checked_sub(&length)?;
                }
                _ => {
                    let at = from.checked_add_signed(remaining)?;
                    if at > limit {
                        return None;
                    }
                    return start.checked_add_signed(at.signed_duration_since(origin));
                }
            }
        }
        None
    }

    /// The counted time between `start` and `end` (zero if `end <= start`),
    /// counted as [`deadline`](Self::deadline) does.
    ///
    /// For every positive `budget` with
    /// `deadline(start, budget, pauses) == Some(d)`,
    /// `elapsed(start, d, pauses) == budget`. Cost is linear in the days
    /// between `start` and `end`.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `start`, `end`, `pauses.from` or
    /// `pauses.until` when that instant lies outside the
    /// [`SUPPORTED_RANGE`]: an instant the crate does not accept is refused,
    /// never counted as zero. The one exception is an `end` after `start`
    /// and at most ten years (3,653 days) later, where a
    /// [`deadline`](Self::deadline) can fall: it may lie past 9999-12-31,
    /// so that the equality above holds at the end of the range too.
    pub fn elapsed(
        &self,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        pauses: &[Pause],
    ) -> Result<TimeDelta, TimeRangeError> {
        check_instants(start, pauses)?;
        // A deadline of an accepted start may lie past the range, by at
        // most the horizon: counting up to it is allowed.
        let reach = TimeDelta::try_days(HORIZON_DAYS).and_then(|h| start.checked_add_signed(h));
        let to_a_deadline = end > start && reach.is_some_and(|r| end <= r);
        if !to_a_deadline {
            SUPPORTED_RANGE.check("end", end)?;
        }
        Ok(self.elapsed_of(start, end, pauses))
    }

    /// [`elapsed`](Self::elapsed) without the range check, for instants the
    /// crate accepted earlier. Never panics, whatever the instants.
    pub(crate) fn elapsed_of(
        &self,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
        pauses: &[Pause],
    ) -> TimeDelta {
        let (from, to) = (start.naive_utc(), end.naive_utc());
        if to <= from {
            return TimeDelta::zero();
        }
        let merged = merge(pauses);
        Counted::new(self, &merged, from, to)
            .map(|(a, b)| b.map_or(to, |b| b.min(to)).signed_duration_since(a))
            .try_fold(TimeDelta::zero(), |sum, part| sum.checked_add(&part))
            .unwrap_or(TimeDelta::MAX)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::expect_used
)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn h(hours: i64) -> TimeDelta {
        TimeDelta::hours(hours)
    }

    fn m(minutes: i64) -> TimeDelta {
        TimeDelta::minutes(minutes)
    }

    fn pause(from: &str, until: Option<&str>) -> Pause {
        Pause {
            from: at(from),
            until: until.map(at),
        }
    }

    /// Dealer default with Wed 2025-10-01 a holiday and Sun 2025-09-28 an
    /// extra open day (09:00–12:00).
    fn business() -> DeadlineClock {
        let mut hours = BusinessHours::dealer_default();
        hours.holidays.push(date("2025-10-01"));
        hours.extra_open_days.push(date("2025-09-28"));
        hours.extra_day_hours = OpeningHours::new(hm(9, 0), hm(12, 0));
        DeadlineClock::Business(hours)
    }

    /// Checks the deadline and the elapsed-time invariant.
    fn check(clock: &DeadlineClock, start: &str, budget: TimeDelta, pauses: &[Pause], due: &str) {
        let d = clock.deadline_of(at(start), budget, pauses);
        assert_eq!(d, Some(at(due)), "start {start}, budget {budget}");
        assert_eq!(d.unwrap().offset(), at(start).offset());
        assert_eq!(clock.elapsed_of(at(start), at(due), pauses), budget);
    }

    // ---- calendar ----

    #[test]
    fn calendar_is_start_plus_budget() {
        let c = DeadlineClock::Calendar;
        check(
            &c,
            "2025-09-28T23:00:00+08:00",
            h(24),
            &[],
            "2025-09-29T23:00:00+08:00",
        );
        check(
            &c,
            "2025-09-28T23:00:00+08:00",
            m(1),
            &[],
            "2025-09-28T23:01:00+08:00",
        );
        assert_eq!(DeadlineClock::default(), c);
    }

    #[test]
    fn calendar_pauses_extend_the_deadline() {
        let c = DeadlineClock::Calendar;
        // Two overlapping, unsorted pauses: 12:00–15:00 and 11:00–13:00 → 4 h.
        let pauses = [
            pause(
                "2025-09-29T12:00:00+08:00",
                Some("2025-09-29T15:00:00+08:00"),
            ),
            pause(
                "2025-09-29T11:00:00+08:00",
                Some("2025-09-29T13:00:00+08:00"),
            ),
        ];
        check(
            &c,
            "2025-09-29T10:00:00+08:00",
            h(24),
            &pauses,
            "2025-09-30T14:00:00+08:00",
        );
        // A pause after the deadline changes nothing.
        let late = [pause("2025-10-05T00:00:00+08:00", None)];
        check(
            &c,
            "2025-09-29T10:00:00+08:00",
            h(24),
            &late,
            "2025-09-30T10:00:00+08:00",
        );
    }

    #[test]
    fn calendar_open_ended_pause_means_no_deadline() {
        let c = DeadlineClock::Calendar;
        let start = at("2025-09-29T10:00:00+08:00");
        let waiting = [pause("2025-09-29T12:00:00+08:00", None)];
        assert_eq!(c.deadline_of(start, h(24), &waiting), None);
        // Up to the pause the budget can still be met.
        assert_eq!(
            c.deadline_of(start, h(2), &waiting),
            Some(at("2025-09-29T12:00:00+08:00"))
        );
        assert_eq!(
            c.elapsed_of(start, at("2025-10-29T10:00:00+08:00"), &waiting),
            h(2)
        );
    }

    #[test]
    fn calendar_pause_starting_before_start() {
        let c = DeadlineClock::Calendar;
        let pauses = [pause(
            "2025-09-28T10:00:00+08:00",
            Some("2025-09-29T12:00:00+08:00"),
        )];
        check(
            &c,
            "2025-09-29T10:00:00+08:00",
            h(1),
            &pauses,
            "2025-09-29T13:00:00+08:00",
        );
        // A pause entirely before start, and an empty (reversed) pause.
        let ignored = [
            pause(
                "2025-09-01T10:00:00+08:00",
                Some("2025-09-02T10:00:00+08:00"),
            ),
            pause(
                "2025-09-29T12:00:00+08:00",
                Some("2025-09-29T11:00:00+08:00"),
            ),
        ];
        check(
            &c,
            "2025-09-29T10:00:00+08:00",
            h(5),
            &ignored,
            "2025-09-29T15:00:00+08:00",
        );
    }

    #[test]
    fn zero_and_negative_budgets() {
        let sunday = at("2025-09-21T10:00:00+08:00");
        for c in [DeadlineClock::Calendar, business()] {
            assert_eq!(c.deadline_of(sunday, TimeDelta::zero(), &[]), Some(sunday));
            assert_eq!(c.deadline_of(sunday, m(-1), &[]), None);
        }
    }

    #[test]
    fn beyond_ten_years_or_chrono_range_is_none() {
        let c = DeadlineClock::Calendar;
        let start = at("2025-09-29T10:00:00+08:00");
        assert!(c.deadline_of(start, TimeDelta::days(3653), &[]).is_some());
        assert_eq!(c.deadline_of(start, TimeDelta::days(3654), &[]), None);
        assert_eq!(c.deadline_of(start, TimeDelta::MAX, &[]), None);
        let end_of_time = DateTime::<chrono::Utc>::MAX_UTC.fixed_offset();
        assert_eq!(c.deadline_of(end_of_time, h(1), &[]), None);
        assert_eq!(business().deadline_of(end_of_time, h(1), &[]), None);
        // A business week with no open day at all (not validated) gives up.
        let closed = DeadlineClock::Business(BusinessHours {
            week: [None; 7],
            ..BusinessHours::dealer_default()
        });
        assert_eq!(closed.deadline_of(start, h(1), &[]), None);
        assert_eq!(
            closed.elapsed_of(start, at("2026-09-29T10:00:00+08:00"), &[]),
            TimeDelta::zero()
        );
    }

    // ---- business ----

    #[test]
    fn business_start_before_during_and_after_opening() {
        let b = business();
        // Monday 2025-09-29, before opening: the clock starts at 08:30.
        check(
            &b,
            "2025-09-29T07:00:00+08:00",
            h(2),
            &[],
            "2025-09-29T10:30:00+08:00",
        );
        // During opening hours.
        check(
            &b,
            "2025-09-29T10:00:00+08:00",
            h(2),
            &[],
            "2025-09-29T12:00:00+08:00",
        );
        // After closing: Tuesday from 08:30.
        check(
            &b,
            "2025-09-29T19:00:00+08:00",
            h(2),
            &[],
            "2025-09-30T10:30:00+08:00",
        );
    }

    #[test]
    fn business_sunday_holiday_and_extra_open_day() {
        let b = business();
        // Sunday 2025-09-21 is closed: Monday from 08:30.
        check(
            &b,
            "2025-09-21T10:00:00+08:00",
            h(1),
            &[],
            "2025-09-22T09:30:00+08:00",
        );
        // Wednesday 2025-10-01 is a holiday: Thursday from 08:30.
        check(
            &b,
            "2025-10-01T10:00:00+08:00",
            h(1),
            &[],
            "2025-10-02T09:30:00+08:00",
        );
        // Sunday 2025-09-28 is an extra open day, 09:00–12:00.
        check(
            &b,
            "2025-09-28T08:00:00+08:00",
            h(1),
            &[],
            "2025-09-28T10:00:00+08:00",
        );
        // 4 h from Sunday 10:00: 2 h on Sunday, 2 h on Monday.
        check(
            &b,
            "2025-09-28T10:00:00+08:00",
            h(4),
            &[],
            "2025-09-29T10:30:00+08:00",
        );
        // Saturday has its own hours, 09:00–17:00.
        check(
            &b,
            "2025-09-27T16:00:00+08:00",
            h(2),
            &[],
            "2025-09-28T10:00:00+08:00",
        );
    }

    #[test]
    fn business_thirty_minutes_across_closing_time() {
        let b = business();
        check(
            &b,
            "2025-09-29T17:15:00+08:00",
            m(30),
            &[],
            "2025-09-30T08:45:00+08:00",
        );
        // Ending exactly at closing time gives the closing time.
        check(
            &b,
            "2025-09-29T17:00:00+08:00",
            m(30),
            &[],
            "2025-09-29T17:30:00+08:00",
        );
    }

    #[test]
    fn business_twenty_four_hours_span_several_days() {
        let b = business();
        // Mon 2025-09-29 08:30: Mon 9 h, Tue 9 h, Wed holiday, Thu 6 h → 14:30.
        check(
            &b,
            "2025-09-29T08:30:00+08:00",
            h(24),
            &[],
            "2025-10-02T14:30:00+08:00",
        );
        // Fri 2025-09-26 12:00: Fri 5.5 h, Sat 8 h, Sun 3 h, Mon 7.5 h → 16:00.
        check(
            &b,
            "2025-09-26T12:00:00+08:00",
            h(24),
            &[],
            "2025-09-29T16:00:00+08:00",
        );
        // Without the holiday and the extra day.
        let plain = DeadlineClock::Business(BusinessHours::dealer_default());
        check(
            &plain,
            "2025-09-26T12:00:00+08:00",
            h(24),
            &[],
            "2025-09-30T10:00:00+08:00",
        );
    }

    #[test]
    fn business_boundaries() {
        let b = business();
        // Exactly at opening.
        check(
            &b,
            "2025-09-29T08:30:00+08:00",
            h(1),
            &[],
            "2025-09-29T09:30:00+08:00",
        );
        // Exactly at closing: the next day's opening counts.
        check(
            &b,
            "2025-09-29T17:30:00+08:00",
            h(1),
            &[],
            "2025-09-30T09:30:00+08:00",
        );
        // A whole day exactly.
        check(
            &b,
            "2025-09-29T08:30:00+08:00",
            h(9),
            &[],
            "2025-09-29T17:30:00+08:00",
        );
        // Nothing counts outside the hours.
        assert_eq!(
            b.elapsed_of(
                at("2025-09-29T17:30:00+08:00"),
                at("2025-09-30T08:30:00+08:00"),
                &[]
            ),
            TimeDelta::zero()
        );
        assert_eq!(
            b.elapsed_of(
                at("2025-09-30T08:30:00+08:00"),
                at("2025-09-29T17:30:00+08:00"),
                &[]
            ),
            TimeDelta::zero()
        );
    }

    #[test]
    fn business_with_pauses() {
        let b = business();
        // Waiting from Monday 16:00 to Tuesday 10:00: Monday 08:30–16:00 is
        // 7.5 h, the rest from Tuesday 10:00.
        let pauses = [pause(
            "2025-09-29T16:00:00+08:00",
            Some("2025-09-30T10:00:00+08:00"),
        )];
        check(
            &b,
            "2025-09-29T08:30:00+08:00",
            h(9),
            &pauses,
            "2025-09-30T11:30:00+08:00",
        );
        let waiting = [pause("2025-09-29T16:00:00+08:00", None)];
        assert_eq!(
            b.deadline_of(at("2025-09-29T08:30:00+08:00"), h(9), &waiting),
            None
        );
    }

    #[test]
    fn instants_in_another_offset() {
        let b = business();
        // Monday 2025-09-29 01:00 UTC = 09:00 +08:00; the result keeps UTC.
        check(
            &b,
            "2025-09-29T01:00:00+00:00",
            h(2),
            &[],
            "2025-09-29T03:00:00+00:00",
        );
        // Sunday 2025-09-21 23:00 UTC = Monday 07:00 +08:00: opens 00:30 UTC.
        check(
            &b,
            "2025-09-21T23:00:00+00:00",
            h(1),
            &[],
            "2025-09-22T01:30:00+00:00",
        );
        // A pause given at yet another offset.
        let pauses = [pause(
            "2025-09-29T03:00:00+02:00",
            Some("2025-09-29T04:00:00+02:00"),
        )];
        check(
            &b,
            "2025-09-29T00:30:00+00:00",
            h(2),
            &pauses,
            "2025-09-29T03:30:00+00:00",
        );
    }

    // ---- validate ----

    fn err_field(hours: BusinessHours) -> &'static str {
        let err = DeadlineClock::Business(hours).validate().unwrap_err();
        assert_eq!(err.rule, RuleId::Cmp16);
        assert!(!err.reason.ends_with('.'));
        err.field
    }

    #[test]
    fn validate_accepts_defaults() {
        DeadlineClock::Calendar.validate().unwrap();
        DeadlineClock::Business(BusinessHours::dealer_default())
            .validate()
            .unwrap();
        business().validate().unwrap();
    }

    #[test]
    fn validate_rejects_inconsistent_hours() {
        let mut h = BusinessHours::dealer_default();
        h.week[2] = Some(OpeningHours::new(hm(18, 0), hm(8, 0)));
        assert_eq!(err_field(h.clone()), "complaint.clock.week");
        let err = DeadlineClock::Business(h).validate().unwrap_err();
        assert!(err.reason.contains("wednesday"), "{}", err.reason);
        assert!(err.reason.contains("`18:00:00`"), "{}", err.reason);

        let mut h = BusinessHours::dealer_default();
        h.week[0] = Some(OpeningHours::new(hm(9, 0), hm(9, 0)));
        assert_eq!(err_field(h), "complaint.clock.week");

        for offset in [841, -841, i32::MAX] {
            let mut h = BusinessHours::dealer_default();
            h.utc_offset_minutes = offset;
            assert_eq!(err_field(h), "complaint.clock.utc_offset_minutes");
        }
        for offset in [840, -840, 0] {
            let mut h = BusinessHours::dealer_default();
            h.utc_offset_minutes = offset;
            DeadlineClock::Business(h).validate().unwrap();
        }

        let mut h = BusinessHours::dealer_default();
        h.week = [None; 7];
        assert_eq!(err_field(h), "complaint.clock.week");

        let mut h = BusinessHours::dealer_default();
        h.holidays.push(date("2025-10-11"));
        h.extra_open_days.push(date("2025-10-11"));
        assert_eq!(err_field(h), "complaint.clock.holidays");

        let mut h = BusinessHours::dealer_default();
        h.extra_day_hours = OpeningHours::new(hm(17, 0), hm(9, 0));
        assert_eq!(err_field(h), "complaint.clock.extra_day_hours");
    }

    // ---- serde ----

    #[test]
    fn serde_round_trip_and_unknown_fields() {
        let clock = DeadlineClock::Business(BusinessHours::dealer_default());
        let json = serde_json::to_string(&clock).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"business","utc_offset_minutes":480"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<DeadlineClock>(&json).unwrap(), clock);

        let calendar = serde_json::to_string(&DeadlineClock::Calendar).unwrap();
        assert_eq!(calendar, r#"{"kind":"calendar"}"#);
        assert_eq!(
            serde_json::from_str::<DeadlineClock>(&calendar).unwrap(),
            DeadlineClock::Calendar
        );

        let unknown = json.replacen(r#""holidays""#, r#""holiday_list":[],"holidays""#, 1);
        assert!(serde_json::from_str::<DeadlineClock>(&unknown).is_err());
        let unknown_hours = json.replacen(r#""opens""#, r#""lunch":"12:00:00","opens""#, 1);
        assert!(serde_json::from_str::<DeadlineClock>(&unknown_hours).is_err());

        let p = pause("2025-09-29T12:00:00+08:00", None);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Pause>(&json).unwrap(), p);
    }

    // ---- properties ----

    fn arb_instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
        // 2020..2030, any offset within ±14 h to the minute.
        (1_577_836_800_i64..1_893_456_000, -840_i32..=840).prop_map(|(secs, offset)| {
            crate::time::to_offset(
                DateTime::from_timestamp(secs, 0).unwrap(),
                FixedOffset::east_opt(offset * 60).unwrap(),
            )
            .unwrap()
        })
    }

    fn arb_clock() -> impl Strategy<Value = DeadlineClock> {
        prop_oneof![
            Just(DeadlineClock::Calendar),
            Just(DeadlineClock::Business(BusinessHours::dealer_default())),
            (0_i64..3650, 0_i64..3650, -840_i32..=840).prop_map(|(hol, extra, offset)| {
                let base = date("2020-01-01");
                let mut hours = BusinessHours::dealer_default();
                hours.utc_offset_minutes = offset;
                hours.holidays = (0..10).map(|i| base + TimeDelta::days(hol + i)).collect();
                hours.extra_open_days = vec![base + TimeDelta::days(extra + 20)];
                hours
                    .extra_open_days
                    .retain(|d| !hours.holidays.contains(d));
                hours.extra_day_hours = OpeningHours::new(hm(10, 0), hm(15, 45));
                DeadlineClock::Business(hours)
            }),
        ]
    }

    fn arb_pauses(start: DateTime<FixedOffset>) -> impl Strategy<Value = Vec<Pause>> {
        proptest::collection::vec((-3_000_i64..20_000, 0_i64..5_000, 0_u8..20), 0..4).prop_map(
            move |raw| {
                raw.into_iter()
                    .map(|(from, len, open)| {
                        let from = start + TimeDelta::minutes(from);
                        Pause {
                            from,
                            until: (open != 0).then(|| from + TimeDelta::minutes(len)),
                        }
                    })
                    .collect()
            },
        )
    }

    /// 512 cases unless `PROPTEST_CASES` says otherwise.
    fn cases() -> ProptestConfig {
        let cases = std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(512);
        ProptestConfig::with_cases(cases)
    }

    proptest! {
        #![proptest_config(cases())]

        #[test]
        fn deadline_and_elapsed_agree(
            (start, pauses) in arb_instant().prop_flat_map(|s| (Just(s), arb_pauses(s))),
            clock in arb_clock(),
            budget in 0_i64..12_000,
            extra in 0_i64..3_000,
        ) {
            let budget = TimeDelta::minutes(budget);
            let more = budget + TimeDelta::minutes(extra);
            let d1 = clock.deadline_of(start, budget, &pauses);
            let d2 = clock.deadline_of(start, more, &pauses);
            if let Some(d) = d1 {
                prop_assert_eq!(d.offset(), start.offset());
                prop_assert!(d >= start);
                if budget > TimeDelta::zero() {
                    prop_assert_eq!(clock.elapsed_of(start, d, &pauses), budget);
                    // The earliest such instant.
                    let before = d - TimeDelta::seconds(1);
                    prop_assert!(clock.elapsed_of(start, before, &pauses) < budget);
                }
            }
            if let Some(d) = d2 {
                prop_assert!(more.is_zero() || clock.elapsed_of(start, d, &pauses) == more);
                // Monotone: a larger budget never gives an earlier deadline,
                // and a reachable larger budget means the smaller is too.
                prop_assert!(d1.is_some_and(|d1| d1 <= d));
            }
        }
    }
}
