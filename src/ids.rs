//! Validated identifiers: [`WorkOrderNo`], [`Vin`], [`Plate`],
//! [`PhoneNumber`], [`CustomerId`], [`StaffId`], [`PersonName`], [`PartNo`],
//! [`TeamId`].
//!
//! Every identifier is a newtype with a private field. The only ways in are
//! `try_new`, [`FromStr`] and serde, and all three run the same validation,
//! so an invalid VIN cannot be smuggled in through JSON.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An identifier that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} `{input}`: {reason}")]
pub struct IdError {
    /// Which identifier (`VIN`, `plate` …).
    pub kind: &'static str,
    /// The rejected input.
    pub input: String,
    /// Why it was rejected.
    pub reason: &'static str,
}

fn id_error(kind: &'static str, input: &str, reason: &'static str) -> IdError {
    IdError {
        kind,
        input: input.to_owned(),
        reason,
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $validate:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates and wraps an identifier.
            ///
            /// # Errors
            ///
            /// [`IdError`] naming the reason.
            pub fn try_new(value: impl AsRef<str>) -> Result<Self, IdError> {
                $validate($kind, value.as_ref()).map($name)
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::try_new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::try_new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                $name::try_new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A code: 1–40 ASCII letters, digits, `-`, `_`, `.` or `/`.
fn code(kind: &'static str, s: &str) -> Result<String, IdError> {
    if s.is_empty() {
        return Err(id_error(kind, s, "must not be empty"));
    }
    if s.len() > 40 {
        return Err(id_error(kind, s, "must be at most 40 characters"));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        return Err(id_error(
            kind,
            s,
            "may contain only ASCII letters, digits, `-`, `_`, `.` and `/`",
        ));
    }
    Ok(s.to_owned())
}

/// A name-like key: 1–64 characters, no control characters, no surrounding
/// white space. Chinese names are fine.
fn key(kind: &'static str, s: &str) -> Result<String, IdError> {
    if s.trim().is_empty() {
        return Err(id_error(kind, s, "must not be empty"));
    }
    if s.chars().count() > 64 {
        return Err(id_error(kind, s, "must be at most 64 characters"));
    }
    if s.trim() != s {
        return Err(id_error(kind, s, "must not start or end with white space"));
    }
    if s.chars().any(char::is_control) {
        return Err(id_error(kind, s, "must not contain control characters"));
    }
    Ok(s.to_owned())
}

/// A VIN: exactly 17 characters from `A`–`Z` and `0`–`9` without `I`, `O`
/// and `Q` (ISO 3779, GB 16735). Lower case is accepted and stored upper case.
fn vin(kind: &'static str, s: &str) -> Result<String, IdError> {
    if s.chars().count() != 17 {
        return Err(id_error(kind, s, "must be exactly 17 characters"));
    }
    let upper = s.to_ascii_uppercase();
    if !upper
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err(id_error(kind, s, "may contain only letters and digits"));
    }
    if upper.chars().any(|c| matches!(c, 'I' | 'O' | 'Q')) {
        return Err(id_error(kind, s, "must not contain the letters I, O or Q"));
    }
    Ok(upper)
}

/// A licence plate: 2–12 characters, letters (any script), digits, `·` or
/// `-`, e.g. `京A12345` or `粤B·D12345`. Latin letters are stored upper case.
fn plate(kind: &'static str, s: &str) -> Result<String, IdError> {
    // Judged on the upper-cased form too: some letters grow (`ß` becomes
    // `SS`) or decompose into a combining mark (`ῆ`), and the stored form
    // must pass this same check when it is loaded again.
    let upper = s.to_uppercase();
    let n = s.chars().count().max(upper.chars().count());
    if !(2..=12).contains(&n) {
        return Err(id_error(kind, s, "must be 2 to 12 characters"));
    }
    if !upper
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '·' | '-'))
    {
        return Err(id_error(
            kind,
            s,
            "may contain only letters, digits, `·` and `-`",
        ));
    }
    Ok(upper)
}

/// A phone number: an optional leading `+`, then 5–20 digits; spaces and
/// hyphens are accepted on input and dropped.
fn phone(kind: &'static str, s: &str) -> Result<String, IdError> {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.trim().chars().enumerate() {
        match c {
            '+' if i == 0 => out.push(c),
            '0'..='9' => out.push(c),
            ' ' | '-' => {}
            _ => {
                return Err(id_error(
                    kind,
                    s,
                    "may contain only digits, a leading `+`, spaces and hyphens",
                ));
            }
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if !(5..=20).contains(&digits) {
        return Err(id_error(kind, s, "must have 5 to 20 digits"));
    }
    Ok(out)
}

string_id!(
    /// A work-order number (工单号), e.g. `WO-2026-0117`.
    WorkOrderNo,
    "work order number",
    code
);
string_id!(
    /// A customer's identifier in the DMS.
    CustomerId,
    "customer id",
    code
);
string_id!(
    /// A staff member: service advisor, technician, QC inspector, manager.
    StaffId,
    "staff id",
    key
);
string_id!(
    /// A person's name as given, e.g. the customer who signs (王先生).
    PersonName,
    "name",
    key
);
string_id!(
    /// A workshop team (repair, body, paint …).
    TeamId,
    "team id",
    key
);
string_id!(
    /// A complaint's number (投诉编号), unique per dealer (CMP-17).
    ComplaintNo,
    "complaint number",
    code
);
string_id!(
    /// A follow-up task's number, as the DMS numbers its contact tasks.
    TaskNo,
    "task number",
    code
);
string_id!(
    /// A dealer department a complaint is forwarded to (after-sales,
    /// sales, parts, body and paint …), as the DMS names it.
    DepartmentId,
    "department id",
    key
);
string_id!(
    /// A part number (零件号).
    PartNo,
    "part number",
    code
);
string_id!(
    /// A vehicle identification number (车架号), validated as described on
    /// [`Vin::try_new`]: 17 characters, no `I`, `O`, `Q`.
    ///
    /// ```
    /// use aftersales::Vin;
    /// let vin: Vin = "lsvaa4180e2123456".parse()?;
    /// assert_eq!(vin.as_str(), "LSVAA4180E2123456");
    /// assert!("LSVAA4180E212345O".parse::<Vin>().is_err()); // letter O
    /// # Ok::<(), aftersales::IdError>(())
    /// ```
    Vin,
    "VIN",
    vin
);
string_id!(
    /// A licence plate (车牌号) such as `京A12345`.
    Plate,
    "plate",
    plate
);
string_id!(
    /// A contact phone number (WO-01), stored without spaces or hyphens.
    PhoneNumber,
    "phone number",
    phone
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vin_rules() {
        assert!(Vin::try_new("LSVAA4180E2123456").is_ok());
        assert_eq!(
            Vin::try_new("LSVAA4180E212345").unwrap_err().to_string(),
            "invalid VIN `LSVAA4180E212345`: must be exactly 17 characters"
        );
        for bad in [
            "LSVAI4180E2123456",
            "LSVAO4180E2123456",
            "LSVAQ4180E2123456",
        ] {
            assert_eq!(
                Vin::try_new(bad).unwrap_err().reason,
                "must not contain the letters I, O or Q"
            );
        }
        assert!(Vin::try_new("LSVAA4180E212345-").is_err());
        assert!(Vin::try_new("LSVAA4180E212345é").is_err());
    }

    #[test]
    fn plates_and_phones() {
        assert_eq!(Plate::try_new("京a12345").unwrap().as_str(), "京A12345");
        assert!(Plate::try_new("粤B·D12345").is_ok());
        assert!(Plate::try_new("京 A12345").is_err());
        // Upper-casing `ῆ` yields a combining mark: refused up front rather
        // than stored in a form that would not load back.
        assert!(Plate::try_new("ῆ1").is_err());
        assert_eq!(
            PhoneNumber::try_new("138-0013 8000").unwrap().as_str(),
            "13800138000"
        );
        assert!(PhoneNumber::try_new("+86 138 0013 8000").is_ok());
        assert!(PhoneNumber::try_new("12a4567").is_err());
        assert!(PhoneNumber::try_new("1234").is_err());
        assert!(PhoneNumber::try_new("1+234567").is_err());
    }

    #[test]
    fn keys_and_codes() {
        assert!(StaffId::try_new("王师傅").is_ok());
        assert!(StaffId::try_new(" sa").is_err());
        assert!(StaffId::try_new("").is_err());
        assert!(WorkOrderNo::try_new("WO 1").is_err());
        assert!(WorkOrderNo::try_new("WO-2026-0117").is_ok());
    }

    #[test]
    fn serde_validates() {
        let bad: Result<Vin, _> = serde_json::from_str("\"SHORT\"");
        assert!(bad.is_err());
        let ok: Vin = serde_json::from_str("\"lsvaa4180e2123456\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"LSVAA4180E2123456\"");
    }
}
