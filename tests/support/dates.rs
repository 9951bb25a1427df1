//! Dates and amounts shared by the customer-file tests.

use aftersales::Money;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

/// A date that exists.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The reference date of most customer tests.
pub fn at() -> NaiveDate {
    d(2026, 6, 30)
}

/// `n` days before [`at`].
pub fn days_before(n: u64) -> NaiveDate {
    at().checked_sub_days(Days::new(n)).unwrap()
}

/// An amount in yuan.
pub fn yuan(text: &str) -> Money {
    Money::cny(text.parse::<Decimal>().unwrap())
}
