//! The supported time range and the one checked way to read a local time.
//!
//! chrono represents instants across roughly ±262,000 years, but shifting an
//! instant near either end to a local offset can leave that range, and then
//! `date_naive`, `naive_local`, `with_timezone` followed by formatting, and
//! `DateTime` serialization panic. The crate therefore
//!
//! - accepts only instants inside [`SUPPORTED_RANGE`] (years 1900 to 9999,
//!   UTC) wherever a time comes in: every command, and every constructor or
//!   function that takes a time, refuses one outside it with a typed error
//!   naming the field ([`TimeRangeError`]);
//! - reads a local date or time only through [`local_date`] and
//!   [`to_offset`], which return `None` instead of panicking. The crate's
//!   clippy configuration forbids the unchecked chrono methods everywhere
//!   else.
//!
//! The range does not depend on the [`Policy`](crate::Policy): it is a
//! property of the crate, so two dealers with different policies accept the
//! same instants. Times the crate computes from accepted ones (a deadline,
//! a follow-up window) may lie past 9999-12-31 by at most a policy
//! duration; they are still far from chrono's limits and are never read
//! unchecked.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The first supported year (UTC).
pub const FIRST_SUPPORTED_YEAR: i32 = 1900;
/// The last supported year (UTC).
pub const LAST_SUPPORTED_YEAR: i32 = 9999;

/// The instants the crate accepts: from 1900-01-01T00:00:00Z through
/// 9999-12-31T23:59:59.999999999Z.
///
/// ```
/// use aftersales::time::SUPPORTED_RANGE;
/// use chrono::DateTime;
///
/// let at = DateTime::parse_from_rfc3339("2026-12-04T09:00:00+08:00")?;
/// assert!(SUPPORTED_RANGE.contains(at));
/// let far = DateTime::parse_from_str("+10000-01-01T00:00:00Z", "%+")?;
/// assert!(!SUPPORTED_RANGE.contains(far));
/// # Ok::<(), chrono::ParseError>(())
/// ```
pub const SUPPORTED_RANGE: SupportedRange = SupportedRange { _private: () };

/// The supported time range; see [`SUPPORTED_RANGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportedRange {
    _private: (),
}

impl SupportedRange {
    /// Whether `at` lies inside the range (the offset does not matter).
    pub fn contains<Tz: TimeZone>(&self, at: DateTime<Tz>) -> bool {
        (FIRST_SUPPORTED_YEAR..=LAST_SUPPORTED_YEAR).contains(&utc_year(&at.naive_utc()))
    }

    /// Returns `at` when it lies inside the range.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `field` when it does not.
    pub fn check(
        &self,
        field: &'static str,
        at: DateTime<FixedOffset>,
    ) -> Result<DateTime<FixedOffset>, TimeRangeError> {
        if self.contains(at) {
            Ok(at)
        } else {
            Err(TimeRangeError {
                field,
                at: at.naive_utc(),
            })
        }
    }

    /// [`check`](SupportedRange::check) for an optional time.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `field` when the time is present and
    /// outside the range.
    pub fn check_opt(
        &self,
        field: &'static str,
        at: Option<DateTime<FixedOffset>>,
    ) -> Result<(), TimeRangeError> {
        at.map_or(Ok(()), |at| self.check(field, at).map(|_| ()))
    }
}

impl fmt::Display for SupportedRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{FIRST_SUPPORTED_YEAR}-01-01T00:00:00Z to {LAST_SUPPORTED_YEAR}-12-31T23:59:59Z"
        )
    }
}

fn utc_year(at: &NaiveDateTime) -> i32 {
    use chrono::Datelike;
    at.date().year()
}

/// An instant outside the [`SUPPORTED_RANGE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("`{field}` at {at}Z is outside the supported time range ({SUPPORTED_RANGE})")]
pub struct TimeRangeError {
    /// The field that held the time.
    pub field: &'static str,
    /// The refused instant, in UTC.
    pub at: NaiveDateTime,
}

/// The local calendar date of `at` at `offset`, or `None` when that local
/// time is not representable (only possible far outside the supported
/// range).
///
/// ```
/// use aftersales::time::local_date;
/// use chrono::{DateTime, FixedOffset, NaiveDate};
///
/// let at = DateTime::parse_from_rfc3339("2026-12-04T20:00:00Z")?;
/// let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
/// assert_eq!(local_date(at, beijing), NaiveDate::from_ymd_opt(2026, 12, 5));
/// # Ok::<(), chrono::ParseError>(())
/// ```
pub fn local_date<Tz: TimeZone>(at: DateTime<Tz>, offset: FixedOffset) -> Option<NaiveDate> {
    local_naive(&at.naive_utc(), offset).map(|local| local.date())
}

/// The local date of `at` in its own offset, checked; see [`local_date`].
pub fn own_local_date(at: DateTime<FixedOffset>) -> Option<NaiveDate> {
    local_date(at, *at.offset())
}

/// `at` shown at `offset`, or `None` when that local time is not
/// representable (only possible far outside the supported range). A value
/// this returns can always be formatted and serialized.
pub fn to_offset<Tz: TimeZone>(
    at: DateTime<Tz>,
    offset: FixedOffset,
) -> Option<DateTime<FixedOffset>> {
    let utc = at.naive_utc();
    local_naive(&utc, offset)?;
    Some(offset.from_utc_datetime(&utc))
}

fn local_naive(utc: &NaiveDateTime, offset: FixedOffset) -> Option<NaiveDateTime> {
    utc.checked_add_signed(chrono::TimeDelta::seconds(i64::from(
        offset.local_minus_utc(),
    )))
}

/// Whether `at` can be shown in its own offset (formatted, serialized, its
/// local date read) without leaving chrono's range.
pub fn is_representable(at: DateTime<FixedOffset>) -> bool {
    local_naive(&at.naive_utc(), *at.offset()).is_some()
}

/// The instant `at` in UTC, always representable.
pub fn utc(at: DateTime<FixedOffset>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at.naive_utc())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        // RFC 3339 has four-digit years only; `%+` is chrono's ISO 8601
        // form, which signs longer years.
        DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_str(s, "%+"))
            .unwrap()
    }

    #[test]
    fn the_range_ends_are_inclusive_and_the_offset_does_not_matter() {
        assert!(SUPPORTED_RANGE.contains(at("1900-01-01T00:00:00Z")));
        assert!(!SUPPORTED_RANGE.contains(at("1899-12-31T23:59:59Z")));
        // 1900-01-01T07:00+08:00 is 1899-12-31T23:00Z.
        assert!(!SUPPORTED_RANGE.contains(at("1900-01-01T07:00:00+08:00")));
        assert!(SUPPORTED_RANGE.contains(at("9999-12-31T23:59:59Z")));
        assert!(!SUPPORTED_RANGE.contains(at("+10000-01-01T00:00:00Z")));
        // 10000-01-01T07:00+08:00 is 9999-12-31T23:00Z.
        assert!(SUPPORTED_RANGE.contains(at("+10000-01-01T07:00:00+08:00")));
    }

    #[test]
    fn a_refusal_names_the_field_and_the_range() {
        let err = SUPPORTED_RANGE
            .check("at", at("+10000-01-01T00:00:00Z"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`at` at +10000-01-01 00:00:00Z is outside the supported time range \
             (1900-01-01T00:00:00Z to 9999-12-31T23:59:59Z)"
        );
        assert!(SUPPORTED_RANGE.check_opt("slot", None).is_ok());
    }

    #[test]
    fn local_reads_at_the_end_of_chrono_are_none_not_a_panic() {
        let last = DateTime::<Utc>::MAX_UTC;
        let east = FixedOffset::east_opt(8 * 3600).unwrap();
        let west = FixedOffset::west_opt(8 * 3600).unwrap();
        assert_eq!(local_date(last, east), None);
        assert!(local_date(last, west).is_some());
        assert!(to_offset(last, east).is_none());
        let first = DateTime::<Utc>::MIN_UTC;
        assert_eq!(local_date(first, west), None);
        assert!(to_offset(first, east).is_some());
        #[allow(clippy::disallowed_methods)]
        let shifted = last.with_timezone(&east);
        assert!(!is_representable(shifted));
    }
}
