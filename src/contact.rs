//! How and when a customer may be contacted: [`ContactChannel`],
//! [`LocalTimeRange`], [`PreferredContact`] (CUS-02, CARE-07) and the
//! dealer's [`DealerCalendar`] of closed days and local offset.
//!
//! Follow-up calls (FU-05) and care contacts (CARE-07) both start from
//! these: the customer's preferred channel and time override the dealer's
//! defaults, and nobody is called on a day the dealer is closed.
//!
//! ```
//! use aftersales::{LocalTimeRange, PreferredContact, ContactChannel};
//! use chrono::NaiveTime;
//!
//! let evenings = LocalTimeRange::try_new(
//!     NaiveTime::from_hms_opt(19, 0, 0).unwrap_or_default(),
//!     NaiveTime::from_hms_opt(20, 30, 0).unwrap_or_default(),
//! )?;
//! let preferred = PreferredContact { channel: Some(ContactChannel::Phone), times: vec![evenings] };
//! assert!(preferred.has_times());
//! assert_eq!(evenings.to_string(), "19:00–20:30");
//! # Ok::<(), aftersales::ContactError>(())
//! ```

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Offset, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::time::{SUPPORTED_RANGE, TimeRangeError, to_offset};

/// The largest UTC offset a dealer may have, in minutes (±14 h).
pub(crate) const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// Invalid contact data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    /// A time range that does not start before it ends.
    #[error("time range `{start}–{end}` must start before it ends (FU-05)")]
    EmptyRange {
        /// The start given.
        start: NaiveTime,
        /// The end given.
        end: NaiveTime,
    },
    /// A UTC offset outside ±14 hours.
    #[error("utc offset `{0}` minutes is outside ±14 h (±840 minutes)")]
    Offset(i32),
}

words! {
    /// A way to reach a customer (CUS-02 preferred contact method, CARE-07).
    ContactChannel {
        /// A phone call.
        Phone => "phone call", "电话";
        /// A text message.
        Sms => "SMS", "短信";
        /// A letter by post.
        Letter => "letter", "信函";
        /// E-mail.
        Email => "e-mail", "电子邮件";
        /// A messenger app (WeChat, QQ …).
        Messenger => "messenger", "即时通讯";
    }
}

impl ContactChannel {
    /// Whether the channel is a conversation (a call) rather than a
    /// message the customer reads when they like.
    pub const fn is_call(self) -> bool {
        matches!(self, ContactChannel::Phone)
    }
}

/// A range of local wall-clock time within one day, `start` inclusive,
/// `end` exclusive, `start < end`.
///
/// In JSON: `{"start": "09:00:00", "end": "11:00:00"}`; a range that does
/// not start before it ends is rejected when deserializing too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RangeRepr", into = "RangeRepr")]
pub struct LocalTimeRange {
    start: NaiveTime,
    end: NaiveTime,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeRepr {
    start: NaiveTime,
    end: NaiveTime,
}

impl TryFrom<RangeRepr> for LocalTimeRange {
    type Error = ContactError;
    fn try_from(r: RangeRepr) -> Result<Self, Self::Error> {
        LocalTimeRange::try_new(r.start, r.end)
    }
}

impl From<LocalTimeRange> for RangeRepr {
    fn from(r: LocalTimeRange) -> Self {
        RangeRepr {
            start: r.start,
            end: r.end,
        }
    }
}

impl LocalTimeRange {
    /// The range from `start` to `end`.
    ///
    /// # Errors
    ///
    /// [`ContactError::EmptyRange`] unless `start < end`.
    pub fn try_new(start: NaiveTime, end: NaiveTime) -> Result<Self, ContactError> {
        if start < end {
            Ok(LocalTimeRange { start, end })
        } else {
            Err(ContactError::EmptyRange { start, end })
        }
    }

    /// `h:m`–`h:m`, for constants known to be valid; an invalid pair gives
    /// the whole day rather than a panic (only used with literals).
    pub(crate) const fn hm(start: (u32, u32), end: (u32, u32)) -> LocalTimeRange {
        let s = match NaiveTime::from_hms_opt(start.0, start.1, 0) {
            Some(t) => t,
            None => NaiveTime::MIN,
        };
        let e = match NaiveTime::from_hms_opt(end.0, end.1, 0) {
            Some(t) => t,
            None => NaiveTime::MIN,
        };
        LocalTimeRange { start: s, end: e }
    }

    /// The first instant of the range.
    pub const fn start(self) -> NaiveTime {
        self.start
    }

    /// The first instant after the range.
    pub const fn end(self) -> NaiveTime {
        self.end
    }

    /// Whether `time` lies in the range.
    pub fn contains(self, time: NaiveTime) -> bool {
        self.start <= time && time < self.end
    }
}

impl fmt::Display for LocalTimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// The customer's preferred contact method and convenient contact time
/// (CUS-02). When set, they override the dealer's defaults (FU-05,
/// CARE-07).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PreferredContact {
    /// How the customer likes to be contacted; `None` = no preference.
    pub channel: Option<ContactChannel>,
    /// When the customer is glad to be called, local time; empty = no
    /// preference.
    pub times: Vec<LocalTimeRange>,
}

impl PreferredContact {
    /// Whether the customer named convenient times.
    pub fn has_times(&self) -> bool {
        !self.times.is_empty()
    }
}

/// The dealer's local offset and the days on which it makes no calls.
///
/// Dates and call hours are local wall-clock time at
/// [`utc_offset_minutes`](Self::utc_offset_minutes); zones with daylight
/// saving time are out of scope (a DMS passes the offset of the period).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DealerCalendar {
    /// The dealer's offset from UTC in minutes (480 = China Standard Time).
    pub utc_offset_minutes: i32,
    /// Weekdays without calls (empty by default: dealers call every day).
    pub closed_weekdays: Vec<Weekday>,
    /// Local dates without calls (public holidays).
    pub closed_dates: Vec<NaiveDate>,
}

impl Default for DealerCalendar {
    fn default() -> Self {
        DealerCalendar {
            utc_offset_minutes: 8 * 60,
            closed_weekdays: Vec::new(),
            closed_dates: Vec::new(),
        }
    }
}

impl DealerCalendar {
    /// The dealer's offset (UTC if the stored minutes are out of range,
    /// which [`DealerCalendar::validate`] rejects).
    pub fn offset(&self) -> FixedOffset {
        self.utc_offset_minutes
            .checked_mul(60)
            .and_then(FixedOffset::east_opt)
            .unwrap_or_else(|| Utc.fix())
    }

    /// `instant` in the dealer's local time.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `instant` when it lies outside the
    /// [`SUPPORTED_RANGE`] (inside it, every local time can be shown).
    pub fn local(
        &self,
        instant: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, TimeRangeError> {
        let instant = SUPPORTED_RANGE.check("instant", instant)?;
        to_offset(instant, self.offset()).ok_or_else(|| TimeRangeError {
            field: "instant",
            at: instant.naive_utc(),
        })
    }

    /// Whether the dealer makes no calls on `date`.
    pub fn is_closed(&self, date: NaiveDate) -> bool {
        self.closed_weekdays.contains(&date.weekday()) || self.closed_dates.contains(&date)
    }

    /// Checks the offset.
    ///
    /// # Errors
    ///
    /// [`ContactError::Offset`] when the offset is outside ±14 h.
    pub fn validate(&self) -> Result<(), ContactError> {
        if (-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&self.utc_offset_minutes) {
            Ok(())
        } else {
            Err(ContactError::Offset(self.utc_offset_minutes))
        }
    }
}
