//! Call slots (FU-05, CARE-07): when, inside a contact window, the dealer
//! may call a customer.
//!
//! Start from [`next_call_slot`]: the earliest [`CallSlot`] at or after an
//! instant, inside a [`WindowBounds`] (a follow-up window placed after a
//! delivery, see [`ContactWindow::after`](crate::ContactWindow::after)).
//! [`call_slots`] lists every slot of a window, in order.
//!
//! The rules, all evaluated in the dealer's local wall-clock time
//! ([`DealerCalendar::offset`]):
//!
//! - The [`CallPurpose`] selects the dealer's calling hours (FU-05):
//!   follow-up calls 9:00–11:00 and 16:00–18:30, appointment calls
//!   8:30–10:00 and 14:00–17:00 by default.
//! - When the customer named convenient times
//!   ([`PreferredContact::times`]), those times replace the dealer's hours,
//!   whatever the purpose: the customer's preference overrides (FU-05,
//!   CARE-07). The customer's channel ([`PreferredContact::channel`]) is
//!   used when given, a phone call otherwise.
//! - Closed days ([`DealerCalendar::is_closed`]) never have slots, not even
//!   when the customer prefers to be called then: nobody is there to call,
//!   and the preference names hours of the day, not days.
//!
//! Instants may carry any offset (a DMS may store UTC); the slots come back
//! in the dealer's offset.
//!
//! ```
//! use aftersales::{
//!     CallPurpose, ContactBasis, ContactChannel, FollowUpPolicy, LocalTimeRange,
//!     PreferredContact, next_call_slot,
//! };
//! use chrono::{DateTime, NaiveTime};
//!
//! let policy = FollowUpPolicy::default();
//! // Delivered on Monday 2 March 2026 at 17:40; the follow-up window is
//! // days 3–7 after delivery, so it opens on Thursday at 00:00.
//! let delivered = DateTime::parse_from_rfc3339("2026-03-02T17:40:00+08:00")?;
//! let window = policy
//!     .after_sales_window
//!     .after(delivered, &policy.calendar)?
//!     .ok_or("the window leaves the calendar")?;
//!
//! // No preference: the dealer's morning follow-up hours.
//! let anyone = PreferredContact::default();
//! let slot = next_call_slot(window.opens_at, &window, CallPurpose::FollowUp, &anyone, &policy)?
//!     .ok_or("no slot left")?;
//! assert_eq!(slot.to_string(), "2026-03-05 09:00–11:00 +08:00, phone call");
//!
//! // The customer works days and asked for an SMS in the evening.
//! let evening = LocalTimeRange::try_new(
//!     "19:00:00".parse::<NaiveTime>()?,
//!     "20:30:00".parse::<NaiveTime>()?,
//! )?;
//! let preferred = PreferredContact { channel: Some(ContactChannel::Sms), times: vec![evening] };
//! let slot = next_call_slot(window.opens_at, &window, CallPurpose::FollowUp, &preferred, &policy)?
//!     .ok_or("no slot left")?;
//! assert_eq!(slot.starts_at, DateTime::parse_from_rfc3339("2026-03-05T19:00:00+08:00")?);
//! assert_eq!(slot.channel, ContactChannel::Sms);
//! assert_eq!(slot.basis, ContactBasis::CustomerPreference);
//! assert_eq!(slot.reasons()[0].fact, "customer prefers 19:00–20:30, over the dealer's follow-up calling hours");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::iter::FusedIterator;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::contact::{ContactChannel, DealerCalendar, LocalTimeRange, PreferredContact};
use crate::follow_up::policy::{FollowUpPolicy, WindowBounds};
use crate::follow_up::task::representable;
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

words! {
    /// What a call is for: selects the dealer's calling hours (FU-05).
    CallPurpose {
        /// A follow-up call after a delivery
        /// ([`FollowUpPolicy::follow_up_hours`], 9:00–11:00 and
        /// 16:00–18:30 by default).
        FollowUp => "follow-up call", "回访电话";
        /// A call to make or confirm an appointment
        /// ([`FollowUpPolicy::appointment_hours`], 8:30–10:00 and
        /// 14:00–17:00 by default).
        Appointment => "appointment call", "预约电话";
    }
}

impl CallPurpose {
    /// The dealer's calling hours for this purpose, local time.
    pub fn dealer_hours(self, policy: &FollowUpPolicy) -> &[LocalTimeRange] {
        match self {
            CallPurpose::FollowUp => &policy.follow_up_hours,
            CallPurpose::Appointment => &policy.appointment_hours,
        }
    }

    /// The name of the purpose's hours in explanations.
    const fn hours_name(self) -> &'static str {
        match self {
            CallPurpose::FollowUp => "follow-up calling hours",
            CallPurpose::Appointment => "appointment calling hours",
        }
    }
}

words! {
    /// Whose choice a slot's hours or channel follow (FU-05, CARE-07).
    ContactBasis {
        /// The dealer's calling hours for the [`CallPurpose`], or the default
        /// channel, a phone call.
        DealerDefault => "dealer's default", "经销商默认";
        /// The customer's convenient contact time or preferred contact
        /// method (CUS-02), which override the dealer's defaults.
        CustomerPreference => "customer's preference", "客户偏好";
        /// The way or time of the follow-up call agreed with the customer
        /// at the repair (CARE-02), which come before the customer's usual
        /// preference ([`next_agreed_call_slot`]).
        AgreedAtRepair => "agreed at the repair", "维修时约定";
    }
}

/// A time in which the dealer may contact the customer: from `starts_at`
/// (inclusive) until `ends_at` (exclusive), on one local day, through
/// `channel`.
///
/// The slots of [`next_call_slot`] and [`call_slots`] are in the dealer's
/// offset and satisfy `starts_at < ends_at`. For a channel that is not a
/// call (an SMS, a letter) the slot is when to send the message.
///
/// In JSON: the instants as RFC 3339 strings, the words in snake case, e.g.
/// `{"starts_at": "2026-03-05T09:00:00+08:00", "ends_at":
/// "2026-03-05T11:00:00+08:00", "channel": "phone", "purpose": "follow_up",
/// "basis": "dealer_default", "channel_basis": "dealer_default", "range":
/// {"start": "09:00:00", "end": "11:00:00"}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSlot {
    /// The first instant the customer may be contacted.
    pub starts_at: DateTime<FixedOffset>,
    /// The first instant after the slot.
    pub ends_at: DateTime<FixedOffset>,
    /// How to contact the customer: the preferred channel, else a phone
    /// call.
    pub channel: ContactChannel,
    /// What the call is for.
    pub purpose: CallPurpose,
    /// Whether the hours are the dealer's calling hours for `purpose` or
    /// the customer's convenient times (FU-05).
    pub basis: ContactBasis,
    /// Whether the channel is the customer's preferred one (CARE-07) or the
    /// default phone call.
    pub channel_basis: ContactBasis,
    /// The local calling range of the day the slot lies in, as the rules
    /// give it: not cut by the window or the instant asked about. Ranges
    /// that overlap or touch count as one (a customer's 19:00–20:00 and
    /// 19:30–21:00 give 19:00–21:00).
    pub range: LocalTimeRange,
}

impl CallSlot {
    /// Whether `instant` lies in the slot.
    pub fn contains(&self, instant: DateTime<FixedOffset>) -> bool {
        self.starts_at <= instant && instant < self.ends_at
    }

    /// The explanation in words: the rule behind the hours (FU-05, the
    /// dealer's hours or the customer's times overriding them), then the
    /// rule behind the channel (CARE-07 for a preferred channel, FU-05 for
    /// the default phone call).
    pub fn reasons(&self) -> Vec<Reason> {
        let hours = match self.basis {
            ContactBasis::DealerDefault => Reason::new(
                RuleId::Fu05,
                format!(
                    "{} {}, local time ({})",
                    self.purpose.hours_name(),
                    self.range,
                    self.starts_at.offset()
                ),
            ),
            ContactBasis::CustomerPreference => Reason::new(
                RuleId::Fu05,
                format!(
                    "customer prefers {}, over the dealer's {}",
                    self.range,
                    self.purpose.hours_name()
                ),
            ),
            ContactBasis::AgreedAtRepair => Reason::new(
                RuleId::Care02,
                format!(
                    "agreed at the repair: {}, over the customer's usual times and the dealer's {}",
                    self.range,
                    self.purpose.hours_name()
                ),
            ),
        };
        let channel = match self.channel_basis {
            ContactBasis::CustomerPreference => Reason::new(
                RuleId::Care07,
                format!("customer prefers to be contacted by {}", self.channel),
            ),
            ContactBasis::AgreedAtRepair => Reason::new(
                RuleId::Care02,
                format!("agreed at the repair to be contacted by {}", self.channel),
            ),
            ContactBasis::DealerDefault => Reason::new(
                RuleId::Fu05,
                format!("no preferred channel, so a {}", self.channel),
            ),
        };
        vec![hours, channel]
    }
}

impl fmt::Display for CallSlot {
    /// `2026-03-05 09:00–11:00 +08:00, phone call`: the local date and
    /// times of the slot (which never crosses midnight) in its offset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{} {}, {}",
            self.starts_at.format("%Y-%m-%d %H:%M"),
            self.ends_at.format("%H:%M"),
            self.starts_at.offset(),
            self.channel
        )
    }
}

/// The earliest time at or after `after`, inside `window`, in which the
/// dealer may contact the customer for `purpose` (FU-05, CARE-07); `None`
/// when nothing allowed is left in the window.
///
/// On each local day (at the offset of `policy.calendar`) that the calendar
/// does not close, the allowed ranges are `preferred.times` when the
/// customer named any, the dealer's hours for `purpose` otherwise. The slot
/// is the first allowed range left, with
/// `starts_at = max(after, range start that day, window.opens_at)` and
/// `ends_at = min(range end that day, window.closes_at)`, both in the
/// dealer's offset. Ranges that overlap or touch are one range, so a slot
/// runs as long as calling is allowed without a break; a slot never crosses
/// local midnight. Its channel is `preferred.channel`, a phone call when
/// there is none.
///
/// Closed days ([`DealerCalendar::is_closed`]) have no slots, even when the
/// customer prefers to be called then: nobody is there to make the call,
/// and a preference names hours of the day, not days.
///
/// `after` and the window's instants may carry any offset. Nothing is
/// allocated, and the work does not grow with the window's length: it
/// looks at no more days than the window has, and at most eight plus the
/// number of closed dates (an open day after the first always has a slot
/// while the window runs; with every weekday closed it stops at once), each
/// day one pass over the ranges, then joins the found range with those it
/// overlaps, quadratic in their number. A window that reaches the end of
/// chrono's dates simply has no slots there.
///
/// # Errors
///
/// [`TimeRangeError`] naming `after` when it lies outside the
/// [`SUPPORTED_RANGE`], or `window.opens_at` / `window.closes_at` when a
/// bound cannot be shown in its own offset (a window placed by
/// [`ContactWindow::after`](crate::ContactWindow::after) always can).
///
/// ```
/// use aftersales::{CallPurpose, FollowUpPolicy, PreferredContact, WindowBounds, next_call_slot};
/// use chrono::DateTime;
///
/// let policy = FollowUpPolicy::default();
/// let window = WindowBounds {
///     opens_at: DateTime::parse_from_rfc3339("2026-03-05T00:00:00+08:00")?,
///     closes_at: DateTime::parse_from_rfc3339("2026-03-10T00:00:00+08:00")?,
/// };
/// // Asked at 18:45 on the 6th, after the day's last follow-up hours (until
/// // 18:30): the next slot is on the 7th at 9:00.
/// let after = DateTime::parse_from_rfc3339("2026-03-06T18:45:00+08:00")?;
/// let slot = next_call_slot(after, &window, CallPurpose::FollowUp, &PreferredContact::default(), &policy)?
///     .ok_or("no slot")?;
/// assert_eq!(slot.starts_at, DateTime::parse_from_rfc3339("2026-03-07T09:00:00+08:00")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn next_call_slot(
    after: DateTime<FixedOffset>,
    window: &WindowBounds,
    purpose: CallPurpose,
    preferred: &PreferredContact,
    policy: &FollowUpPolicy,
) -> Result<Option<CallSlot>, TimeRangeError> {
    check_inputs(Some(after), window)?;
    Ok(Rules::new(purpose, preferred, policy).next_slot(after, window))
}

/// Checks what the slot functions take: `after`, from the DMS, lies in the
/// [`SUPPORTED_RANGE`]; the window's bounds, computed by
/// [`ContactWindow::after`](crate::ContactWindow::after) and possibly past
/// 9999-12-31, can be shown in their own offsets.
fn check_inputs(
    after: Option<DateTime<FixedOffset>>,
    window: &WindowBounds,
) -> Result<(), TimeRangeError> {
    SUPPORTED_RANGE.check_opt("after", after)?;
    representable("window.opens_at", window.opens_at)?;
    representable("window.closes_at", window.closes_at)?;
    Ok(())
}

/// [`next_call_slot`] for a follow-up call whose way and time were agreed
/// with the customer at the repair (CARE-02, [`Delivery::agreed`]): the
/// agreed times, when any, replace both the customer's usual times and the
/// dealer's hours, and the agreed channel, when any, replaces the
/// customer's usual one; what was not agreed falls back to `preferred`,
/// then to the dealer's defaults, as in [`next_call_slot`]. The slot's
/// [`basis`](CallSlot::basis) and [`channel_basis`](CallSlot::channel_basis)
/// say [`ContactBasis::AgreedAtRepair`] for what the agreement decided.
///
/// ```
/// use aftersales::{
///     CallPurpose, ContactBasis, ContactChannel, FollowUpPolicy, LocalTimeRange,
///     PreferredContact, WindowBounds, next_agreed_call_slot,
/// };
/// use chrono::{DateTime, NaiveTime};
///
/// let policy = FollowUpPolicy::default();
/// let window = WindowBounds {
///     opens_at: DateTime::parse_from_rfc3339("2026-03-05T00:00:00+08:00")?,
///     closes_at: DateTime::parse_from_rfc3339("2026-03-10T00:00:00+08:00")?,
/// };
/// // Usually glad of an SMS; at the repair agreed to a call at lunch time.
/// let usual = PreferredContact { channel: Some(ContactChannel::Sms), times: vec![] };
/// let lunch = LocalTimeRange::try_new(
///     "12:00:00".parse::<NaiveTime>()?,
///     "12:30:00".parse::<NaiveTime>()?,
/// )?;
/// let agreed = PreferredContact { channel: Some(ContactChannel::Phone), times: vec![lunch] };
/// let slot = next_agreed_call_slot(window.opens_at, &window, CallPurpose::FollowUp, &agreed, &usual, &policy)?
///     .ok_or("no slot")?;
/// assert_eq!(slot.to_string(), "2026-03-05 12:00–12:30 +08:00, phone call");
/// assert_eq!(slot.basis, ContactBasis::AgreedAtRepair);
/// assert_eq!(slot.channel_basis, ContactBasis::AgreedAtRepair);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`next_call_slot`].
///
/// [`Delivery::agreed`]: crate::Delivery::agreed
pub fn next_agreed_call_slot(
    after: DateTime<FixedOffset>,
    window: &WindowBounds,
    purpose: CallPurpose,
    agreed: &PreferredContact,
    preferred: &PreferredContact,
    policy: &FollowUpPolicy,
) -> Result<Option<CallSlot>, TimeRangeError> {
    check_inputs(Some(after), window)?;
    Ok(agreed_slot(
        after, window, purpose, agreed, preferred, policy,
    ))
}

/// [`next_agreed_call_slot`] for instants the crate already holds (a
/// task's window and times): no range check, never a panic.
pub(crate) fn agreed_slot(
    after: DateTime<FixedOffset>,
    window: &WindowBounds,
    purpose: CallPurpose,
    agreed: &PreferredContact,
    preferred: &PreferredContact,
    policy: &FollowUpPolicy,
) -> Option<CallSlot> {
    let mut rules = Rules::new(purpose, preferred, policy);
    if !agreed.times.is_empty() {
        rules.ranges = agreed.times.as_slice();
        rules.basis = ContactBasis::AgreedAtRepair;
    }
    if let Some(channel) = agreed.channel {
        rules.channel = channel;
        rules.channel_basis = ContactBasis::AgreedAtRepair;
    }
    rules.next_slot(after, window)
}

/// Every slot of `window`, in order: what [`next_call_slot`] gives from
/// the window's opening, then from the end of each slot on.
///
/// The slots do not overlap and each ends before the next starts.
///
/// # Errors
///
/// As [`next_call_slot`], for the window's bounds.
///
/// ```
/// use aftersales::{CallPurpose, ContactWindow, FollowUpPolicy, PreferredContact, call_slots};
/// use chrono::DateTime;
///
/// let policy = FollowUpPolicy::default();
/// // "First call 24–48 hours after delivery" [004], delivered at 10:00.
/// let delivered = DateTime::parse_from_rfc3339("2026-03-01T10:00:00+08:00")?;
/// let window = ContactWindow::hours(24, 48)
///     .after(delivered, &policy.calendar)?
///     .ok_or("the window leaves the calendar")?;
/// let anyone = PreferredContact::default();
/// let slots: Vec<String> = call_slots(&window, CallPurpose::FollowUp, &anyone, &policy)?
///     .map(|s| s.to_string())
///     .collect();
/// assert_eq!(slots, [
///     "2026-03-02 10:00–11:00 +08:00, phone call",
///     "2026-03-02 16:00–18:30 +08:00, phone call",
///     "2026-03-03 09:00–10:00 +08:00, phone call",
/// ]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn call_slots<'a>(
    window: &WindowBounds,
    purpose: CallPurpose,
    preferred: &'a PreferredContact,
    policy: &'a FollowUpPolicy,
) -> Result<CallSlots<'a>, TimeRangeError> {
    check_inputs(None, window)?;
    Ok(CallSlots {
        rules: Rules::new(purpose, preferred, policy),
        window: *window,
        cursor: Some(window.opens_at),
    })
}

/// The slots of a window, in order: see [`call_slots`].
#[derive(Debug, Clone)]
pub struct CallSlots<'a> {
    rules: Rules<'a>,
    window: WindowBounds,
    /// Where the next slot may start; `None` once exhausted.
    cursor: Option<DateTime<FixedOffset>>,
}

impl Iterator for CallSlots<'_> {
    type Item = CallSlot;

    fn next(&mut self) -> Option<CallSlot> {
        let after = self.cursor.take()?;
        let slot = self.rules.next_slot(after, &self.window)?;
        // A slot ends where calling stops (no allowed range contains its
        // end), so the next one starts strictly later.
        self.cursor = Some(slot.ends_at);
        Some(slot)
    }
}

impl FusedIterator for CallSlots<'_> {}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// What decides the slots of one call: the ranges that apply, the channel,
/// and the calendar.
#[derive(Debug, Clone, Copy)]
struct Rules<'a> {
    ranges: &'a [LocalTimeRange],
    purpose: CallPurpose,
    basis: ContactBasis,
    channel: ContactChannel,
    channel_basis: ContactBasis,
    calendar: &'a DealerCalendar,
}

impl<'a> Rules<'a> {
    fn new(
        purpose: CallPurpose,
        preferred: &'a PreferredContact,
        policy: &'a FollowUpPolicy,
    ) -> Rules<'a> {
        let (ranges, basis) = if preferred.times.is_empty() {
            (purpose.dealer_hours(policy), ContactBasis::DealerDefault)
        } else {
            (preferred.times.as_slice(), ContactBasis::CustomerPreference)
        };
        let (channel, channel_basis) = match preferred.channel {
            Some(channel) => (channel, ContactBasis::CustomerPreference),
            None => (ContactChannel::Phone, ContactBasis::DealerDefault),
        };
        Rules {
            ranges,
            purpose,
            basis,
            channel,
            channel_basis,
            calendar: &policy.calendar,
        }
    }

    /// The non-empty ranges (a [`LocalTimeRange`] always is, bar the
    /// crate's own constants).
    fn ranges(&self) -> impl Iterator<Item = LocalTimeRange> + '_ {
        self.ranges.iter().copied().filter(|r| r.start() < r.end())
    }

    fn next_slot(&self, after: DateTime<FixedOffset>, window: &WindowBounds) -> Option<CallSlot> {
        let from = after.max(window.opens_at);
        if from >= window.closes_at || self.ranges().next().is_none() {
            return None;
        }
        // With every weekday closed no day is ever open: stop here rather
        // than walk a long window day by day.
        if WEEK
            .iter()
            .all(|d| self.calendar.closed_weekdays.contains(d))
        {
            return None;
        }
        let offset = self.calendar.offset();
        let t = to_local(from, offset);
        let close = to_local(window.closes_at, offset);
        let mut day = t.date();
        // Each pass either returns or moves to the next day. An open day
        // after the first always has a slot if the window still runs, so at
        // most 7 + closed_dates.len() days pass without one.
        loop {
            if day.and_time(NaiveTime::MIN) >= close {
                return None;
            }
            if !self.calendar.is_closed(day) {
                if let Some(slot) = self.slot_on(day, t, close, offset) {
                    return Some(slot);
                }
            }
            day = day.succ_opt()?;
        }
    }

    /// The first slot on local `day` within `[t, close)` (local times).
    fn slot_on(
        &self,
        day: NaiveDate,
        t: NaiveDateTime,
        close: NaiveDateTime,
        offset: FixedOffset,
    ) -> Option<CallSlot> {
        // The range whose part in [t, close) starts first.
        let mut first: Option<(NaiveDateTime, LocalTimeRange)> = None;
        for range in self.ranges() {
            let lo = day.and_time(range.start()).max(t);
            let hi = day.and_time(range.end()).min(close);
            if lo < hi && first.is_none_or(|(best, _)| lo < best) {
                first = Some((lo, range));
            }
        }
        let (starts, seed) = first?;
        // Grow it by every range that overlaps or touches it, until none
        // does: the whole stretch of allowed time around it.
        let (mut lo, mut hi) = (seed.start(), seed.end());
        loop {
            let mut grew = false;
            for range in self.ranges() {
                if range.start() <= hi && lo <= range.end() {
                    if range.start() < lo {
                        lo = range.start();
                        grew = true;
                    }
                    if range.end() > hi {
                        hi = range.end();
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        let ends = day.and_time(hi).min(close);
        Some(CallSlot {
            starts_at: to_instant(starts, offset)?,
            ends_at: to_instant(ends, offset)?,
            channel: self.channel,
            purpose: self.purpose,
            basis: self.basis,
            channel_basis: self.channel_basis,
            range: LocalTimeRange::try_new(lo, hi).unwrap_or(seed),
        })
    }
}

/// `instant` as local wall-clock time at `offset`, saturating at the ends of
/// chrono's dates (where chrono's own conversion would panic).
fn to_local(instant: DateTime<FixedOffset>, offset: FixedOffset) -> NaiveDateTime {
    instant
        .naive_utc()
        .checked_add_offset(offset)
        .unwrap_or_else(|| {
            if offset.local_minus_utc() > 0 {
                NaiveDateTime::MAX
            } else {
                NaiveDateTime::MIN
            }
        })
}

/// The instant of local wall-clock time `local` at `offset`; `None` off the
/// ends of chrono's dates.
fn to_instant(local: NaiveDateTime, offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    local.and_local_timezone(offset).single()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone, Utc};

    // The unchecked cores of the public functions: these tests reach the
    // ends of chrono's dates, which the public functions refuse.
    fn next_call_slot(
        after: DateTime<FixedOffset>,
        window: &WindowBounds,
        purpose: CallPurpose,
        preferred: &PreferredContact,
        policy: &FollowUpPolicy,
    ) -> Option<CallSlot> {
        Rules::new(purpose, preferred, policy).next_slot(after, window)
    }

    fn call_slots<'a>(
        window: &WindowBounds,
        purpose: CallPurpose,
        preferred: &'a PreferredContact,
        policy: &'a FollowUpPolicy,
    ) -> CallSlots<'a> {
        CallSlots {
            rules: Rules::new(purpose, preferred, policy),
            window: *window,
            cursor: Some(window.opens_at),
        }
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn hm(s: &str, e: &str) -> LocalTimeRange {
        LocalTimeRange::try_new(s.parse().unwrap(), e.parse().unwrap()).unwrap()
    }

    fn window(opens: &str, closes: &str) -> WindowBounds {
        WindowBounds {
            opens_at: at(opens),
            closes_at: at(closes),
        }
    }

    fn prefer(times: Vec<LocalTimeRange>) -> PreferredContact {
        PreferredContact {
            channel: None,
            times,
        }
    }

    fn all(
        w: &WindowBounds,
        p: &PreferredContact,
        policy: &FollowUpPolicy,
    ) -> Vec<(String, String)> {
        call_slots(w, CallPurpose::FollowUp, p, policy)
            .map(|s| (s.starts_at.to_rfc3339(), s.ends_at.to_rfc3339()))
            .collect()
    }

    #[test]
    fn at_a_range_end_the_next_range_follows() {
        let policy = FollowUpPolicy::default();
        let w = window("2026-03-05T00:00:00+08:00", "2026-03-06T00:00:00+08:00");
        let none = PreferredContact::default();
        let s = next_call_slot(
            at("2026-03-05T11:00:00+08:00"),
            &w,
            CallPurpose::FollowUp,
            &none,
            &policy,
        )
        .unwrap();
        assert_eq!(s.starts_at, at("2026-03-05T16:00:00+08:00"));
        // One nanosecond before the end is still in the morning range.
        let just_before = at("2026-03-05T11:00:00+08:00") - TimeDelta::nanoseconds(1);
        let s = next_call_slot(just_before, &w, CallPurpose::FollowUp, &none, &policy).unwrap();
        assert_eq!(s.starts_at, just_before);
        assert_eq!(s.ends_at, at("2026-03-05T11:00:00+08:00"));
    }

    #[test]
    fn overlapping_and_touching_preferences_merge() {
        let policy = FollowUpPolicy::default();
        let w = window("2026-03-05T00:00:00+08:00", "2026-03-06T00:00:00+08:00");
        // Unsorted, overlapping, touching, plus a separate one.
        let p = prefer(vec![
            hm("20:00:00", "21:00:00"),
            hm("12:00:00", "13:00:00"),
            hm("19:30:00", "20:15:00"),
            hm("19:00:00", "19:30:00"),
        ]);
        assert_eq!(
            all(&w, &p, &policy),
            [
                (
                    "2026-03-05T12:00:00+08:00".into(),
                    "2026-03-05T13:00:00+08:00".into()
                ),
                (
                    "2026-03-05T19:00:00+08:00".into(),
                    "2026-03-05T21:00:00+08:00".into()
                ),
            ]
        );
        // Asked inside the merged stretch: from there to its end, with the
        // whole stretch as the range.
        let s = next_call_slot(
            at("2026-03-05T20:05:00+08:00"),
            &w,
            CallPurpose::FollowUp,
            &p,
            &policy,
        )
        .unwrap();
        assert_eq!(s.starts_at, at("2026-03-05T20:05:00+08:00"));
        assert_eq!(s.ends_at, at("2026-03-05T21:00:00+08:00"));
        assert_eq!(s.range, hm("19:00:00", "21:00:00"));
    }

    #[test]
    fn empty_or_inverted_windows_have_no_slot() {
        let policy = FollowUpPolicy::default();
        let none = PreferredContact::default();
        let w = window("2026-03-05T10:00:00+08:00", "2026-03-05T10:00:00+08:00");
        assert!(next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &none, &policy).is_none());
        let w = window("2026-03-06T10:00:00+08:00", "2026-03-05T10:00:00+08:00");
        assert_eq!(
            call_slots(&w, CallPurpose::FollowUp, &none, &policy).count(),
            0
        );
        // Asked after the window.
        let w = window("2026-03-05T00:00:00+08:00", "2026-03-06T00:00:00+08:00");
        let late = at("2026-03-06T09:30:00+08:00");
        assert!(next_call_slot(late, &w, CallPurpose::FollowUp, &none, &policy).is_none());
    }

    #[test]
    fn every_weekday_closed_stops_at_once() {
        let mut policy = FollowUpPolicy::default();
        policy.calendar.closed_weekdays = WEEK.to_vec();
        let w = WindowBounds {
            opens_at: at("2000-01-01T00:00:00+08:00"),
            closes_at: DateTime::<Utc>::MAX_UTC.fixed_offset(),
        };
        let none = PreferredContact::default();
        assert!(next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &none, &policy).is_none());
    }

    #[test]
    fn no_ranges_no_slots() {
        let mut policy = FollowUpPolicy::default();
        policy.follow_up_hours.clear();
        let w = window("2026-03-05T00:00:00+08:00", "2026-04-05T00:00:00+08:00");
        let none = PreferredContact::default();
        assert!(next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &none, &policy).is_none());
        // The appointment hours are still there.
        assert!(next_call_slot(w.opens_at, &w, CallPurpose::Appointment, &none, &policy).is_some());
    }

    #[test]
    fn the_ends_of_time_do_not_panic() {
        let policy = FollowUpPolicy::default();
        let none = PreferredContact::default();
        let max = DateTime::<Utc>::MAX_UTC;
        let min = DateTime::<Utc>::MIN_UTC;
        for offset_s in [-14 * 3600, 0, 14 * 3600] {
            let offset = FixedOffset::east_opt(offset_s).unwrap();
            let w = WindowBounds {
                opens_at: offset.from_utc_datetime(&min.naive_utc()),
                closes_at: offset.from_utc_datetime(&max.naive_utc()),
            };
            for after in [w.opens_at, w.closes_at - TimeDelta::hours(30), w.closes_at] {
                let _ = next_call_slot(after, &w, CallPurpose::FollowUp, &none, &policy);
            }
            assert!(
                call_slots(&w, CallPurpose::FollowUp, &none, &policy)
                    .next()
                    .is_some()
            );
            // The last day's slots, right at the end of chrono's dates.
            let last = WindowBounds {
                opens_at: w.closes_at - TimeDelta::days(2),
                closes_at: w.closes_at,
            };
            let slots: Vec<_> = call_slots(&last, CallPurpose::FollowUp, &none, &policy).collect();
            assert!(slots.len() <= 6, "{slots:?}");
            for s in slots {
                assert!(last.contains(s.starts_at) && s.ends_at <= last.closes_at);
            }
        }
    }

    #[test]
    fn reasons_name_the_rules() {
        let policy = FollowUpPolicy::default();
        let w = window("2026-03-05T00:00:00+08:00", "2026-03-06T00:00:00+08:00");
        let s = next_call_slot(
            w.opens_at,
            &w,
            CallPurpose::Appointment,
            &PreferredContact::default(),
            &policy,
        )
        .unwrap();
        let reasons = s.reasons();
        assert_eq!(reasons[0].rule, RuleId::Fu05);
        assert_eq!(
            reasons[0].fact,
            "appointment calling hours 08:30–10:00, local time (+08:00)"
        );
        assert_eq!(reasons[1].fact, "no preferred channel, so a phone call");
        let p = PreferredContact {
            channel: Some(ContactChannel::Messenger),
            times: Vec::new(),
        };
        let s = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &p, &policy).unwrap();
        assert_eq!(s.basis, ContactBasis::DealerDefault);
        assert_eq!(s.channel_basis, ContactBasis::CustomerPreference);
        assert_eq!(s.reasons()[1].rule, RuleId::Care07);
        assert_eq!(
            s.reasons()[1].fact,
            "customer prefers to be contacted by messenger"
        );
    }
}
