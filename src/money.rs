//! Exact money (EST-01): [`Money`], [`Currency`] and the one rounding rule.
//!
//! Amounts are [`rust_decimal::Decimal`] values, never floating point. All
//! arithmetic is checked: an overflow or a currency mismatch is a
//! [`MoneyError`], never a panic or a silent wrap.
//!
//! # The rounding rule
//!
//! There is exactly one: [`Money::round`], round half up (四舍五入, halves
//! away from zero) to the number of decimal places the policy sets
//! (`EstimatePolicy::rounding_scale`, default 2, i.e. to 0.01). Line amounts
//! and tax are rounded with it; nothing else in the crate rounds money.
//! Loading never rounds either: a stored amount is read the one exact way
//! of `crate::decimal` (the same parse as [`Money`]'s `FromStr`), and an
//! amount that would need rounding is refused.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Why a money value or operation was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Two amounts in different currencies were combined.
    #[error("cannot combine `{left}` with `{right}`: currencies differ (EST-01)")]
    CurrencyMismatch {
        /// Currency of the left operand.
        left: Currency,
        /// Currency of the right operand.
        right: Currency,
    },
    /// The result does not fit in a decimal.
    #[error("amount overflow while computing {operation} (EST-01)")]
    Overflow {
        /// What was being computed.
        operation: &'static str,
    },
    /// A currency code that is not three ASCII capital letters.
    #[error("invalid currency code `{input}`: expected three capital letters such as `CNY`")]
    InvalidCurrency {
        /// The rejected input.
        input: String,
    },
    /// A money text that is not `<amount> <currency>`.
    #[error("invalid money `{input}`: expected an amount and a currency such as `1280.00 CNY`")]
    InvalidFormat {
        /// The rejected input.
        input: String,
    },
}

/// An ISO 4217 alphabetic currency code such as `CNY` (the default, EST-01).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Chinese yuan renminbi, the crate's default currency.
    pub const CNY: Currency = Currency(*b"CNY");
    /// United States dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");

    /// Parses a three-letter upper-case code.
    ///
    /// # Errors
    ///
    /// [`MoneyError::InvalidCurrency`] unless the input is exactly three ASCII
    /// capital letters.
    pub fn try_new(code: &str) -> Result<Self, MoneyError> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => Err(MoneyError::InvalidCurrency {
                input: code.to_owned(),
            }),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::CNY
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Currency({})", self.as_str())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::try_new(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::try_new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.as_str().to_owned()
    }
}

/// An exact amount of money in a currency.
///
/// ```
/// use aftersales::{Money, Currency};
/// use rust_decimal::Decimal;
///
/// let labour = Money::cny(Decimal::new(36_000, 2)); // 360.00
/// let part = "128.50 CNY".parse::<Money>()?;
/// let total = labour.checked_add(part)?;
/// assert_eq!(total.to_string(), "488.50 CNY");
/// assert_eq!(total.currency(), Currency::CNY);
/// # Ok::<(), aftersales::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    #[serde(with = "crate::decimal::exact")]
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// An amount in a currency. Any decimal is accepted; rounding happens only
    /// through [`Money::round`].
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// An amount in CNY.
    pub const fn cny(amount: Decimal) -> Self {
        Money::new(amount, Currency::CNY)
    }

    /// Zero in a currency.
    pub const fn zero(currency: Currency) -> Self {
        Money::new(Decimal::ZERO, currency)
    }

    /// The amount.
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `result` of `self` and `other` at the larger of their scales, or
    /// `None` if the result lost a digit.
    ///
    /// A decimal holds 28-29 significant digits; a sum that needs more comes
    /// back rounded to fewer decimals, and that is refused rather than
    /// rounded away. A result can also come back at a smaller scale without
    /// loss (`0.00 + 25` is returned as `25`); it is padded back, which only
    /// succeeds when the exact result fits at that scale.
    fn exact(self, other: Money, mut result: Decimal) -> Option<Decimal> {
        let scale = self.amount.scale().max(other.amount.scale());
        if result.scale() < scale {
            result.rescale(scale);
        }
        (result.scale() >= scale).then_some(result)
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .and_then(|sum| self.exact(other, sum))
            .ok_or(MoneyError::Overflow { operation: "a sum" })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .and_then(|diff| self.exact(other, diff))
            .ok_or(MoneyError::Overflow {
                operation: "a difference",
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// `self × factor`, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        let amount = self
            .amount
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow {
                operation: "a product",
            })?;
        Ok(Money::new(amount, self.currency))
    }

    /// The sum of `items`, starting from zero in `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] if an item is in another currency,
    /// [`MoneyError::Overflow`] if the sum does not fit.
    pub fn checked_sum<I>(currency: Currency, items: I) -> Result<Money, MoneyError>
    where
        I: IntoIterator<Item = Money>,
    {
        items
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// The crate's one rounding rule (EST-01): round half up (halves away
    /// from zero, 四舍五入) to `scale` decimal places.
    ///
    /// ```
    /// use aftersales::Money;
    /// use rust_decimal::Decimal;
    ///
    /// assert_eq!(Money::cny(Decimal::new(1_005, 3)).round(2), Money::cny(Decimal::new(101, 2)));
    /// assert_eq!(Money::cny(Decimal::new(-1_005, 3)).round(2), Money::cny(Decimal::new(-101, 2)));
    /// ```
    #[must_use]
    pub fn round(self, scale: u32) -> Money {
        Money::new(
            self.amount
                .round_dp_with_strategy(scale, RoundingStrategy::MidpointAwayFromZero),
            self.currency,
        )
    }

    /// The amount as a whole number of `10^-scale` units (fen at scale 2),
    /// for fast exact sums; `None` if the amount has more decimals than
    /// `scale` or the units do not fit an `i128`.
    pub(crate) fn minor_units(self, scale: u32) -> Option<i128> {
        let shift = scale.checked_sub(self.amount.scale())?;
        10i128
            .checked_pow(shift)
            .and_then(|f| self.amount.mantissa().checked_mul(f))
    }

    /// The amount of `units` of `10^-scale` in `currency`, the inverse of
    /// [`Money::minor_units`].
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] if the amount does not fit a decimal.
    pub(crate) fn from_minor_units(
        units: i128,
        scale: u32,
        currency: Currency,
        operation: &'static str,
    ) -> Result<Money, MoneyError> {
        Decimal::try_from_i128_with_scale(units, scale)
            .map(|d| Money::new(d, currency))
            .map_err(|_| MoneyError::Overflow { operation })
    }

    /// The larger of two amounts in the same currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`].
    pub fn checked_max(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        Ok(if other.amount > self.amount {
            other
        } else {
            self
        })
    }

    /// The smaller of two amounts in the same currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`].
    pub fn checked_min(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        Ok(if other.amount < self.amount {
            other
        } else {
            self
        })
    }

    /// Whether `self > other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`].
    pub fn checked_gt(&self, other: &Money) -> Result<bool, MoneyError> {
        self.same_currency(other)?;
        Ok(self.amount > other.amount)
    }
}

impl fmt::Display for Money {
    /// `<amount> <currency>`, the amount as stored (at least two decimals
    /// when the scale is below two), e.g. `1280.00 CNY`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut amount = self.amount;
        if amount.scale() < 2 {
            amount.rescale(2);
        }
        write!(f, "{} {}", amount, self.currency)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || MoneyError::InvalidFormat {
            input: s.to_owned(),
        };
        let (amount, currency) = s.trim().split_once(' ').ok_or_else(invalid)?;
        let amount = crate::decimal::parse(amount).ok_or_else(invalid)?;
        let currency = Currency::try_new(currency.trim())?;
        Ok(Money::new(amount, currency))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_up_at_two_places() {
        assert_eq!(m("2.345 CNY").round(2), m("2.35 CNY"));
        assert_eq!(m("2.344 CNY").round(2), m("2.34 CNY"));
        assert_eq!(
            m("2.335 CNY").round(2),
            m("2.34 CNY"),
            "not banker's rounding"
        );
        assert_eq!(m("-2.345 CNY").round(2), m("-2.35 CNY"));
        assert_eq!(m("7.5 CNY").round(0), m("8 CNY"));
    }

    #[test]
    fn currency_mismatch_is_an_error() {
        let err = m("1 CNY").checked_add(m("1 USD")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot combine `CNY` with `USD`: currencies differ (EST-01)"
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Money::cny(Decimal::MAX);
        assert!(matches!(
            big.checked_add(big),
            Err(MoneyError::Overflow { .. })
        ));
        assert!(matches!(
            big.checked_mul(Decimal::TWO),
            Err(MoneyError::Overflow { .. })
        ));
    }

    #[test]
    fn sums_needing_more_than_28_digits_are_refused_not_rounded() {
        // 10^19 + 10^-10 needs 30 significant digits; a decimal has 28-29.
        let tiny = Money::cny(Decimal::new(1, 10));
        let huge = Money::cny(Decimal::from(10_000_000_000_000_000_000_u64));
        assert!(matches!(
            huge.checked_add(tiny),
            Err(MoneyError::Overflow { .. })
        ));
        assert!(matches!(
            huge.checked_sub(tiny),
            Err(MoneyError::Overflow { .. })
        ));
        // Exact sums of the same magnitude still go through.
        assert!(huge.checked_add(huge).is_ok());
    }

    #[test]
    fn a_zero_operand_or_a_zero_result_keeps_the_larger_scale() {
        // The decimal type hands back the other operand unchanged when one
        // side is zero, at its own scale; that is exact, not an overflow.
        let zero = m("0.00 CNY");
        for (sum, text) in [
            (zero.checked_add(m("25 CNY")), "25.00"),
            (m("25 CNY").checked_add(zero), "25.00"),
            (zero.checked_sub(m("25 CNY")), "-25.00"),
            (m("25 CNY").checked_sub(m("25.000 CNY")), "0.000"),
            (m("1.5 CNY").checked_add(m("-1.50 CNY")), "0.00"),
        ] {
            assert_eq!(sum.unwrap().amount().to_string(), text);
        }
    }

    #[test]
    fn minor_units_round_trip_at_the_scale() {
        let price = m("2.5 CNY");
        assert_eq!(price.minor_units(2), Some(250));
        assert_eq!(m("-1280 CNY").minor_units(2), Some(-128_000));
        // More decimals than the scale: not a whole number of units.
        assert_eq!(m("1.005 CNY").minor_units(2), None);
        let back = Money::from_minor_units(250, 2, Currency::CNY, "test").unwrap();
        assert_eq!(back, price);
        assert_eq!(back.amount().scale(), 2);
        assert!(matches!(
            Money::from_minor_units(i128::MAX, 2, Currency::CNY, "test"),
            Err(MoneyError::Overflow { operation: "test" })
        ));
    }

    #[test]
    fn parses_and_displays() {
        assert_eq!(m("1280 CNY").to_string(), "1280.00 CNY");
        assert_eq!(m("0.125 EUR").to_string(), "0.125 EUR");
        assert!("12 yuan".parse::<Money>().is_err());
        assert!("1e3 CNY".parse::<Money>().is_err());
        assert!("CNY".parse::<Money>().is_err());
        assert!(Currency::try_new("cny").is_err());
        assert!(Currency::try_new("CNYY").is_err());
    }

    #[test]
    fn serde_goes_through_validation() {
        let bad: Result<Currency, _> = serde_json::from_str("\"RMB1\"");
        assert!(bad.is_err());
        let ok: Money = serde_json::from_str(r#"{"amount":"10.50","currency":"CNY"}"#).unwrap();
        assert_eq!(ok, m("10.50 CNY"));
    }
}
