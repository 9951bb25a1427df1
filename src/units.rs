//! Validated quantities: [`Percent`], [`Hours`], [`Quantity`], [`Minutes`],
//! [`Km`].
//!
//! Each one is a newtype whose constructor checks its range; serde goes
//! through the same check, so a deserialized value is always valid. The
//! decimal units read their number the one exact way of
//! `crate::decimal` (the same parse as [`FromStr`]): inexact text and JSON
//! floats that may have lost digits are refused, never rounded.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{Money, MoneyError};

/// A quantity outside its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} `{input}`: {reason}")]
pub struct UnitError {
    /// What kind of value was rejected (`percent`, `hours` …).
    pub kind: &'static str,
    /// The rejected input.
    pub input: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

macro_rules! decimal_unit {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:expr, $reason:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Decimal);

        impl Serialize for $name {
            /// The value as a decimal string, e.g. `"13"`.
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::decimal::exact::serialize(&self.0, serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            /// Read exactly (never rounded, as [`FromStr`] reads), then
            /// range-checked by `try_new`.
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = crate::decimal::exact::deserialize(deserializer)?;
                $name::try_new(value).map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            /// Checks the range and wraps the value.
            ///
            /// # Errors
            ///
            #[doc = concat!("[`UnitError`] when the value is out of range: ", $reason, ".")]
            pub fn try_new(value: Decimal) -> Result<Self, UnitError> {
                let check: fn(Decimal) -> bool = $check;
                if check(value) {
                    Ok($name(value))
                } else {
                    Err(UnitError { kind: $kind, input: value.to_string(), reason: $reason })
                }
            }

            /// The value.
            pub const fn get(self) -> Decimal {
                self.0
            }
        }

        impl TryFrom<Decimal> for $name {
            type Error = UnitError;
            fn try_from(value: Decimal) -> Result<Self, Self::Error> {
                $name::try_new(value)
            }
        }

        impl From<$name> for Decimal {
            fn from(value: $name) -> Decimal {
                value.0
            }
        }

        impl FromStr for $name {
            type Err = UnitError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let value = crate::decimal::parse(s.trim()).ok_or_else(|| UnitError {
                    kind: $kind,
                    input: s.to_owned(),
                    reason: "not a decimal number",
                })?;
                $name::try_new(value)
            }
        }
    };
}

decimal_unit!(
    /// A percentage from 0 to 100 inclusive, e.g. the 13 % VAT rate (EST-02).
    ///
    /// ```
    /// use aftersales::{Money, Percent};
    /// let vat: Percent = "13".parse()?;
    /// let tax = vat.of("1000.00 CNY".parse()?)?;
    /// assert_eq!(tax.to_string(), "130.0000 CNY");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    Percent,
    "percent",
    |v| v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED,
    "must be between 0 and 100"
);

decimal_unit!(
    /// Labour time in hours (standard hours, EST-09); zero or more, at most
    /// 10,000.
    Hours,
    "hours",
    |v| v >= Decimal::ZERO && v <= Decimal::from(10_000),
    "must be between 0 and 10000 hours"
);

decimal_unit!(
    /// A part or material quantity: more than zero, at most 1,000,000.
    Quantity,
    "quantity",
    |v| v > Decimal::ZERO && v <= Decimal::from(1_000_000),
    "must be more than 0 and at most 1000000"
);

impl Percent {
    /// Zero percent.
    pub const ZERO: Percent = Percent(Decimal::ZERO);

    /// One hundred percent.
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    /// `self` percent of `amount`, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn of(self, amount: Money) -> Result<Money, MoneyError> {
        let factor = self
            .0
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or(MoneyError::Overflow {
                operation: "a percentage",
            })?;
        amount.checked_mul(factor)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0.normalize())
    }
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} h", self.0.normalize())
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl Hours {
    /// Zero hours.
    pub const ZERO: Hours = Hours(Decimal::ZERO);

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`UnitError`] when the sum leaves the range.
    pub fn checked_add(self, other: Hours) -> Result<Hours, UnitError> {
        let sum = self.0.checked_add(other.0).ok_or_else(|| UnitError {
            kind: "hours",
            input: format!("{} + {}", self.0, other.0),
            reason: "sum overflows",
        })?;
        Hours::try_new(sum)
    }

    /// The duration, to the whole second (fractions of a second are dropped).
    pub fn to_duration(self) -> chrono::TimeDelta {
        let seconds = self
            .0
            .checked_mul(Decimal::from(3_600))
            .map(|s| s.trunc())
            .and_then(|s| i64::try_from(s).ok())
            .unwrap_or(0);
        chrono::TimeDelta::seconds(seconds)
    }
}

/// A whole number of minutes, used for policy durations (WO-15, CMP-05 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(pub u32);

impl Minutes {
    /// The duration.
    pub fn to_duration(self) -> chrono::TimeDelta {
        chrono::TimeDelta::minutes(i64::from(self.0))
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} min", self.0)
    }
}

/// An odometer reading or a distance in whole kilometres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Km(pub u32);

impl fmt::Display for Km {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} km", self.0)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_enforced() {
        assert!(Percent::try_new(Decimal::from(101)).is_err());
        assert!(Percent::try_new(Decimal::from(-1)).is_err());
        assert!(Quantity::try_new(Decimal::ZERO).is_err());
        assert!(Hours::try_new(Decimal::from(-1)).is_err());
        assert_eq!(
            "x".parse::<Hours>().unwrap_err().to_string(),
            "invalid hours `x`: not a decimal number"
        );
        let bad: Result<Percent, _> = serde_json::from_str("\"150\"");
        assert!(bad.is_err());
    }

    #[test]
    fn hours_to_duration() {
        let h: Hours = "1.5".parse().unwrap();
        assert_eq!(h.to_duration(), chrono::TimeDelta::minutes(90));
    }
}
