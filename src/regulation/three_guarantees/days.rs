//! REG-09 and REG-10 arithmetic: repair days, the usage deduction, the
//! working-day deadlines of a request and record retention.

use chrono::{DateTime, FixedOffset, Months, NaiveDate, TimeDelta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::{ExcludedInterval, ThreeGuaranteesError};
use super::policy::ThreeGuaranteesPolicy;
use crate::money::{Money, MoneyError};
use crate::regulation::WorkingDayCalendar;
use crate::rule::RuleId;
use crate::units::Km;

/// Seconds in one counted repair day.
pub(crate) const DAY_SECONDS: i64 = 86_400;

/// Seconds from `from` to `to` (negative when `to` is earlier).
fn seconds(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> i64 {
    to.signed_duration_since(from).num_seconds()
}

/// The exclusions clipped to `[start, end]`, sorted and merged, as
/// second offsets from `start`.
fn merged_exclusions(
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    excluded: &[ExcludedInterval],
) -> Vec<(i64, i64)> {
    let total = seconds(start, end).max(0);
    let mut spans: Vec<(i64, i64)> = excluded
        .iter()
        .map(|e| {
            (
                seconds(start, e.from).clamp(0, total),
                seconds(start, e.to).clamp(0, total),
            )
        })
        .filter(|(a, b)| b > a)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// The counted repair time in seconds from `start` to `end`: the elapsed
/// time minus the union of the excluded intervals that fall inside it
/// (REG-09). Zero when `end` is not after `start`.
pub fn counted_seconds(
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    excluded: &[ExcludedInterval],
) -> i64 {
    let total = seconds(start, end).max(0);
    let excluded_total = merged_exclusions(start, end, excluded)
        .iter()
        .fold(0i64, |acc, (a, b)| acc.saturating_add(b.saturating_sub(*a)));
    total.saturating_sub(excluded_total).max(0)
}

/// Repair days under REG-09: from the agreed start to `end`, the excluded
/// intervals (VIN-specific parts transport, rescue travel) are taken out
/// first, and the time left is rounded up to whole 24-hour days: exactly
/// 24 h is 1 day, 24 h and 1 s is 2 days, no time at all is 0 days.
///
/// ```
/// use aftersales::repair_days;
/// use chrono::DateTime;
///
/// let start = DateTime::parse_from_rfc3339("2025-03-03T09:00:00+08:00")?;
/// let end = DateTime::parse_from_rfc3339("2025-03-04T09:00:01+08:00")?;
/// assert_eq!(repair_days(start, end, &[]), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn repair_days(
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
    excluded: &[ExcludedInterval],
) -> u32 {
    let secs = u64::try_from(counted_seconds(start, end, excluded)).unwrap_or(0);
    u32::try_from(secs.div_ceil(DAY_SECONDS.unsigned_abs())).unwrap_or(u32::MAX)
}

/// The instant at which `days` whole counted days have passed since
/// `start`, skipping the excluded intervals: the next instant starts
/// counted day `days + 1`.
pub(crate) fn instant_after_counted_days(
    start: DateTime<FixedOffset>,
    excluded: &[ExcludedInterval],
    days: u32,
) -> Option<DateTime<FixedOffset>> {
    let mut remaining = i64::from(days).checked_mul(DAY_SECONDS)?;
    let far = start.checked_add_signed(TimeDelta::days(36_600))?;
    let mut cursor = 0i64;
    for (a, b) in merged_exclusions(start, far, excluded) {
        let gap = a.saturating_sub(cursor);
        if remaining <= gap {
            break;
        }
        remaining = remaining.saturating_sub(gap);
        cursor = b;
    }
    let offset = cursor.checked_add(remaining)?;
    start.checked_add_signed(TimeDelta::try_seconds(offset)?)
}

/// The usage deduction on a replacement or refund (REG-09):
/// `price × km / 1000 × n`, with n the policy's rate in percent, computed
/// exactly and then rounded half up to 0.01 (the crate's money rounding).
///
/// ```
/// use aftersales::{usage_deduction, Km, Money, ThreeGuaranteesPolicy};
///
/// let price: Money = "150000.00 CNY".parse()?;
/// let policy = ThreeGuaranteesPolicy::default(); // n = 0.5 %
/// // 150,000 × 1,234 / 1000 × 0.5 % = 925.50
/// assert_eq!(usage_deduction(price, Km(1_234), &policy)?.to_string(), "925.50 CNY");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`MoneyError::Overflow`] if the product does not fit a decimal.
pub fn usage_deduction(
    price: Money,
    driven: Km,
    policy: &ThreeGuaranteesPolicy,
) -> Result<Money, MoneyError> {
    // km / 1000 × n / 100 = km × n / 100,000.
    let factor = Decimal::from(driven.0)
        .checked_mul(policy.usage_rate.get())
        .and_then(|f| f.checked_mul(Decimal::new(1, 5)))
        .ok_or(MoneyError::Overflow {
            operation: "a usage deduction",
        })?;
    Ok(price.checked_mul(factor)?.round(2))
}

/// The deadlines of a 三包 request (REG-10).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RequestDeadlines {
    /// The day the request was received (not itself counted).
    pub received: NaiveDate,
    /// The last day to answer, with reasons if refused.
    pub answer_by: NaiveDate,
    /// The last day to complete the replacement, refund or repair.
    pub complete_by: NaiveDate,
}

/// The answer and completion deadlines of a request received on
/// `received`: the policy's working days (10 and 20 by law) counted from
/// the next day on the [`WorkingDayCalendar`] (rest weekdays, holidays
/// and make-up working days), the same calendar as the regulator's clocks
/// (REG-11).
///
/// ```
/// use aftersales::{request_deadlines, ThreeGuaranteesPolicy, WorkingDayCalendar};
/// use chrono::NaiveDate;
///
/// let calendar = WorkingDayCalendar::default(); // Saturdays and Sundays rest
///
/// let friday = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap_or_default();
/// let d = request_deadlines(friday, &calendar, &ThreeGuaranteesPolicy::default())?;
/// assert_eq!(d.answer_by, NaiveDate::from_ymd_opt(2025, 3, 21).unwrap_or_default());
/// assert_eq!(d.complete_by, NaiveDate::from_ymd_opt(2025, 4, 4).unwrap_or_default());
/// # Ok::<(), aftersales::ThreeGuaranteesError>(())
/// ```
///
/// # Errors
///
/// [`ThreeGuaranteesError::NoWorkingDays`] when the calendar has no
/// working day to count.
pub fn request_deadlines(
    received: NaiveDate,
    calendar: &WorkingDayCalendar,
    policy: &ThreeGuaranteesPolicy,
) -> Result<RequestDeadlines, ThreeGuaranteesError> {
    let after = |n| {
        calendar
            .add_working_days(received, n)
            .ok_or(ThreeGuaranteesError::NoWorkingDays { from: received })
    };
    Ok(RequestDeadlines {
        received,
        answer_by: after(policy.answer_working_days)?,
        complete_by: after(policy.complete_working_days)?,
    })
}

/// The first day the 三包 records of a matter closed on `closed` may be
/// discarded is the day after this one: records are kept at least the
/// policy's years (6 by law, REG-10). A 29 February anniversary that does
/// not exist falls back to 28 February.
///
/// ```
/// use aftersales::{retain_until, ThreeGuaranteesPolicy};
/// use chrono::NaiveDate;
///
/// let closed = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default();
/// let until = retain_until(closed, &ThreeGuaranteesPolicy::default());
/// assert_eq!(until, NaiveDate::from_ymd_opt(2030, 2, 28));
/// ```
pub fn retain_until(closed: NaiveDate, policy: &ThreeGuaranteesPolicy) -> Option<NaiveDate> {
    add_years(closed, policy.retention_years)
}

/// `date` plus `years` calendar years (the same day of the month, or the
/// month's last day when it has none), `None` past the calendar's end.
pub(crate) fn add_years(date: NaiveDate, years: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(years.checked_mul(12)?))
}

/// `RuleId` of the day counting, re-exported for reasons.
pub(crate) const COUNTING_RULE: RuleId = RuleId::Reg09;
