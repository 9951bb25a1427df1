//! [`Rate`]: an exact ratio of two counts, for the rates of the monthly
//! reports (CMP-15, SAT-02 … SAT-04).
//!
//! A rate keeps its numerator and denominator; the percentage is computed
//! on demand with the crate's one rounding rule (half up, which for rates,
//! never negative, is half away from zero) at the scale the caller asks
//! for, and a zero denominator is "not available", never zero and never a
//! division error.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// `numerator` out of `denominator`, e.g. 17 complaints answered on time
/// out of 20.
///
/// ```
/// use aftersales::Rate;
///
/// let on_time = Rate::new(17, 20);
/// assert_eq!(on_time.percent(2).map(|p| p.to_string()), Some("85.00".to_owned()));
/// assert_eq!(Rate::new(2, 3).percent(2).map(|p| p.to_string()), Some("66.67".to_owned()));
/// assert_eq!(Rate::new(0, 0).percent(2), None);
/// assert_eq!(Rate::new(0, 0).to_string(), "n/a");
/// assert_eq!(Rate::new(1, 8).to_string(), "12.50%");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// The counted part.
    pub numerator: u64,
    /// The whole; zero means the rate is not available.
    pub denominator: u64,
}

impl Rate {
    /// `numerator` out of `denominator`.
    pub const fn new(numerator: u64, denominator: u64) -> Rate {
        Rate {
            numerator,
            denominator,
        }
    }

    /// The rate in percent, rounded half up (away from zero) to `scale` decimals; `None`
    /// when the denominator is zero. A numerator above the denominator
    /// gives a percentage above 100 (the caller's counts decide).
    pub fn percent(self, scale: u32) -> Option<Decimal> {
        if self.denominator == 0 {
            return None;
        }
        let hundred = Decimal::ONE_HUNDRED;
        Decimal::from(self.numerator)
            .checked_mul(hundred)
            .and_then(|n| n.checked_div(Decimal::from(self.denominator)))
            .map(|p| {
                let mut p = p.round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero);
                // Show exactly `scale` decimals: 50 % reads 50.00 at scale 2.
                p.rescale(scale);
                p
            })
    }

    /// The sum of two rates' counts: the rate over both periods or groups;
    /// `None` if a count overflows `u64`.
    pub fn checked_merge(self, other: Rate) -> Option<Rate> {
        Some(Rate {
            numerator: self.numerator.checked_add(other.numerator)?,
            denominator: self.denominator.checked_add(other.denominator)?,
        })
    }
}

impl Rate {
    /// [`Rate::checked_merge`] that stops at `u64::MAX` instead of failing,
    /// for running totals.
    #[must_use]
    pub const fn saturating_merge(self, other: Rate) -> Rate {
        Rate {
            numerator: self.numerator.saturating_add(other.numerator),
            denominator: self.denominator.saturating_add(other.denominator),
        }
    }
}

impl fmt::Display for Rate {
    /// The percentage at two decimals with a `%` sign, or `n/a`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.percent(2) {
            Some(p) => write!(f, "{p}%"),
            None => f.write_str("n/a"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_and_pads_to_the_scale() {
        // 1/8 = 12.5 % exactly; 1/3 = 33.333… %; 5/6 = 83.333… %; 1/200 = 0.5 %.
        assert_eq!(Rate::new(1, 8).percent(0).unwrap().to_string(), "13");
        assert_eq!(Rate::new(1, 3).percent(2).unwrap().to_string(), "33.33");
        assert_eq!(Rate::new(5, 6).percent(1).unwrap().to_string(), "83.3");
        assert_eq!(Rate::new(1, 200).percent(0).unwrap().to_string(), "1");
        assert_eq!(Rate::new(1, 2).percent(2).unwrap().to_string(), "50.00");
        assert_eq!(Rate::new(3, 3).to_string(), "100.00%");
    }

    #[test]
    fn zero_denominator_is_not_available() {
        assert_eq!(Rate::new(0, 0).percent(2), None);
        assert_eq!(Rate::new(5, 0).percent(2), None);
        assert_eq!(Rate::new(5, 0).to_string(), "n/a");
        assert_eq!(Rate::new(0, 4).to_string(), "0.00%");
    }

    #[test]
    fn merges_counts_not_percentages() {
        let merged = Rate::new(1, 2).checked_merge(Rate::new(0, 8)).unwrap();
        assert_eq!(merged, Rate::new(1, 10));
        assert_eq!(Rate::new(u64::MAX, 1).checked_merge(Rate::new(1, 1)), None);
        let huge = Rate::new(u64::MAX, u64::MAX);
        assert_eq!(huge.percent(2).unwrap().to_string(), "100.00");
    }
}
