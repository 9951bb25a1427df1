//! The one exact way a stored decimal is read (issue 15, item 4).
//!
//! Every [`Decimal`] in stored data (money amounts, percentages, hours,
//! quantities, policy amounts, report figures) is written as a JSON string
//! (`"128.50"`) and read back through [`parse`], the same
//! [`Decimal::from_str_exact`] that [`Money`](crate::Money)'s and the
//! units' `FromStr` use, so loading never rounds:
//!
//! - a string must be a plain decimal the type holds exactly (at most 28
//!   decimals, at most 96 bits of digits); text that would need rounding,
//!   such as `"0.00000000000000000000000000001"`, is refused, and so is
//!   scientific notation (`"1e3"`), as `FromStr` refuses it;
//! - a JSON integer converts exactly, or is refused when it does not fit;
//! - a JSON number with a fraction or an exponent reaches the crate as a
//!   binary float (that is how JSON readers without arbitrary precision hand
//!   it over), so it is accepted only when the float is certainly the number
//!   that was written: its shortest text has at most
//!   [`MAX_FLOAT_DIGITS`] significant digits and its magnitude is below
//!   2^53, past which neighbouring integers share one float. `12.5` and
//!   `0.1` load; `12345678901234567890123` and `0.30000000000000004` are
//!   refused with a message asking for a string. (A writer who wrote more
//!   than 15 digits that a float reader collapsed onto a shorter float,
//!   such as `0.10000000000000000001`, cannot be told apart from one who
//!   wrote `0.1`; write decimals as strings, as the crate does.)
//!
//! The crate turns off `rust_decimal`'s own serde support, so a `Decimal`
//! field in a serde type does not compile without `#[serde(with =
//! "crate::decimal::exact")]` (or `exact_opt`, `exact_array`): no field can
//! forget this path.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The most significant digits a JSON float may carry to be read as a
/// decimal: every decimal of at most 15 significant digits survives the
/// trip through a binary float unchanged (`f64::DIGITS`).
pub(crate) const MAX_FLOAT_DIGITS: usize = 15;

/// 2^53: from here on, not every integer is a binary float, so a float this
/// large may already differ from the integer that was written.
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

/// `text` as an exact decimal, or `None` when it is not a plain decimal the
/// type holds without rounding. The same parse as `FromStr` for money and
/// the units.
pub(crate) fn parse(text: &str) -> Option<Decimal> {
    Decimal::from_str_exact(text).ok()
}

/// `value` as the decimal it certainly was written as, or why not.
fn from_float(value: f64) -> Result<Decimal, String> {
    let refuse = || {
        format!(
            "the JSON number `{value}` may have lost digits when it was read as a binary float \
             (more than {MAX_FLOAT_DIGITS} significant digits, or beyond 2^53): \
             write the decimal as a string, such as \"128.50\""
        )
    };
    if !value.is_finite() || value.abs() >= MAX_EXACT_FLOAT {
        return Err(refuse());
    }
    // The shortest text that reads back as `value`, as `d.ddde±x`.
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').ok_or_else(refuse)?;
    let exponent: i64 = exponent.parse().map_err(|_| refuse())?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > MAX_FLOAT_DIGITS {
        return Err(refuse());
    }
    let mut units: i128 = digits.parse().map_err(|_| refuse())?;
    if mantissa.starts_with('-') {
        units = units.checked_neg().ok_or_else(refuse)?;
    }
    // value = units × 10^(exponent − (digits − 1))
    let places = i64::try_from(digits.len())
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|n| n.checked_sub(exponent))
        .ok_or_else(refuse)?;
    let decimal = if places >= 0 {
        u32::try_from(places)
            .ok()
            .and_then(|scale| Decimal::try_from_i128_with_scale(units, scale).ok())
    } else {
        places
            .checked_neg()
            .and_then(|p| u32::try_from(p).ok())
            .and_then(|p| 10i128.checked_pow(p))
            .and_then(|f| units.checked_mul(f))
            .and_then(|n| Decimal::try_from_i128_with_scale(n, 0).ok())
    };
    decimal.ok_or_else(refuse)
}

struct ExactVisitor;

impl Visitor<'_> for ExactVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an exact decimal written as a string, such as \"128.50\"")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse(v).ok_or_else(|| {
            E::custom(format_args!(
                "`{v}` is not an exact decimal: a stored decimal is a plain number of at most \
                 28 decimals and 28 significant digits, without exponent, and is never rounded"
            ))
        })
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0).map_err(|_| {
            E::custom(format_args!(
                "the integer `{v}` does not fit a decimal (at most 28 digits)"
            ))
        })
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .ok()
            .and_then(|i| Decimal::try_from_i128_with_scale(i, 0).ok())
            .ok_or_else(|| {
                E::custom(format_args!(
                    "the integer `{v}` does not fit a decimal (at most 28 digits)"
                ))
            })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        from_float(v).map_err(E::custom)
    }
}

/// A decimal that (de)serializes the exact way; the element type of the
/// optional and array forms.
#[derive(Clone, Copy)]
struct Exact(Decimal);

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExactVisitor).map(Exact)
    }
}

/// `#[serde(with = "crate::decimal::exact")]` for a [`Decimal`] field:
/// written as a string, read exactly.
pub(crate) mod exact {
    use super::{Decimal, Deserialize, Deserializer, Exact, Serialize, Serializer};

    /// The decimal as a string, as `Display` writes it.
    pub(crate) fn serialize<S: Serializer>(
        value: &Decimal,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        Exact(*value).serialize(serializer)
    }

    /// The decimal, read exactly (see the module doc).
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Decimal, D::Error> {
        Exact::deserialize(deserializer).map(|e| e.0)
    }
}

/// `#[serde(default, with = "crate::decimal::exact_opt")]` for an
/// `Option<Decimal>` field: `null` (or, with `default`, a missing field) is
/// `None`.
pub(crate) mod exact_opt {
    use super::{Decimal, Deserialize, Deserializer, Exact, Serialize, Serializer};

    /// `null` or the decimal as a string.
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.map(Exact).serialize(serializer)
    }

    /// `None` for `null`, else the decimal read exactly.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<Exact>::deserialize(deserializer).map(|o| o.map(|e| e.0))
    }
}

/// `#[serde(with = "crate::decimal::exact_array")]` for a `[Decimal; 4]`
/// field (the RFM money thresholds): a JSON array of four strings.
pub(crate) mod exact_array {
    use super::{Decimal, Deserialize, Deserializer, Exact, Serialize, Serializer};

    /// The four decimals as strings.
    pub(crate) fn serialize<S: Serializer>(
        value: &[Decimal; 4],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        value.map(Exact).serialize(serializer)
    }

    /// Four decimals, each read exactly.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<[Decimal; 4], D::Error> {
        <[Exact; 4]>::deserialize(deserializer).map(|a| a.map(|e| e.0))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn load(json: &str) -> Result<Decimal, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        exact::deserialize(&mut de).map_err(|e| e.to_string())
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn strings_load_exactly_or_not_at_all() {
        assert_eq!(load("\"128.50\"").unwrap().to_string(), "128.50");
        assert_eq!(load("\"-0.001\"").unwrap(), d("-0.001"));
        // 28 decimals fit; 29 would have to be rounded.
        assert_eq!(
            load("\"0.0000000000000000000000000001\"").unwrap(),
            d("0.0000000000000000000000000001")
        );
        let err = load("\"0.00000000000000000000000000001\"").unwrap_err();
        assert!(err.contains("is not an exact decimal"), "{err}");
        assert!(load("\"79228162514264337593543950335\"").is_ok());
        assert!(load("\"79228162514264337593543950336\"").is_err());
        // Scientific notation is refused, as `FromStr` refuses it.
        assert!(load("\"1e3\"").is_err());
        assert!(load("\"\"").is_err());
        assert!(load("\" 1\"").is_err());
    }

    #[test]
    fn integers_load_exactly() {
        assert_eq!(load("12").unwrap(), Decimal::from(12));
        assert_eq!(
            load("-9223372036854775808").unwrap(),
            Decimal::from(i64::MIN)
        );
        assert_eq!(
            load("18446744073709551615").unwrap(),
            Decimal::from(u64::MAX)
        );
    }

    #[test]
    fn wide_integers_convert_exactly_or_are_refused() {
        let max = Decimal::MAX.mantissa();
        let v = ExactVisitor;
        let ok: Result<Decimal, serde::de::value::Error> = v.visit_i128(max);
        assert_eq!(ok.unwrap(), Decimal::MAX);
        let ok: Result<Decimal, serde::de::value::Error> = ExactVisitor.visit_i128(-max);
        assert_eq!(ok.unwrap(), Decimal::MIN);
        let too_big: Result<Decimal, serde::de::value::Error> =
            ExactVisitor.visit_i128(max.checked_add(1).unwrap());
        assert!(too_big.is_err());
        let ok: Result<Decimal, serde::de::value::Error> =
            ExactVisitor.visit_u128(max.unsigned_abs());
        assert_eq!(ok.unwrap(), Decimal::MAX);
        let too_big: Result<Decimal, serde::de::value::Error> =
            ExactVisitor.visit_u128(max.unsigned_abs().checked_add(1).unwrap());
        assert!(too_big.is_err());
        let too_big: Result<Decimal, serde::de::value::Error> = ExactVisitor.visit_u128(u128::MAX);
        assert!(too_big.is_err());
    }

    #[test]
    fn floats_load_only_when_certainly_as_written() {
        assert_eq!(load("12.5").unwrap().to_string(), "12.5");
        assert_eq!(load("0.1").unwrap().to_string(), "0.1");
        assert_eq!(load("-0.25").unwrap().to_string(), "-0.25");
        assert_eq!(load("1e3").unwrap(), Decimal::from(1000));
        assert_eq!(
            load("1.5e-27").unwrap(),
            d("0.0000000000000000000000000015")
        );
        assert_eq!(load("0.0").unwrap(), Decimal::ZERO);
        // 15 significant digits load, 16 do not.
        assert_eq!(load("0.123456789012345").unwrap(), d("0.123456789012345"));
        assert!(load("0.1234567890123456").is_err());
        let err = load("0.30000000000000004").unwrap_err();
        assert!(err.contains("write the decimal as a string"), "{err}");
        assert!(load("12345678901234567890123").is_err());
        // Beyond 2^53 a float no longer tells neighbouring integers apart.
        assert!(load("1e20").is_err());
        assert!(load("9007199254740992.0").is_err());
        assert_eq!(
            load("9007199254740.0").unwrap(),
            Decimal::from(9_007_199_254_740_u64)
        );
        assert_eq!(load("-900719925474.5").unwrap(), d("-900719925474.5"));
        // Too small for 28 decimals.
        assert!(load("1e-29").is_err());
        assert!(from_float(f64::NAN).is_err());
        assert!(from_float(f64::INFINITY).is_err());
        assert!(from_float(f64::NEG_INFINITY).is_err());
    }

    #[test]
    fn other_json_is_refused() {
        for bad in ["true", "null", "[]", "{}"] {
            let err = load(bad).unwrap_err();
            assert!(
                err.contains("an exact decimal written as a string"),
                "{err}"
            );
        }
    }

    #[test]
    fn writes_strings_as_display_does() {
        for text in ["128.50", "-0.001", "0", "79228162514264337593543950335"] {
            let mut out = Vec::new();
            exact::serialize(&d(text), &mut serde_json::Serializer::new(&mut out)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), format!("\"{text}\""));
        }
    }
}
