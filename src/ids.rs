//! Validated identifiers: [`WorkOrderNo`], [`Vin`], [`Plate`],
//! [`PhoneNumber`], [`CustomerId`], [`StaffId`], [`PersonName`], [`PartNo`],
//! [`TeamId`].
//!
//! Every identifier is a newtype with a private field. The only ways in are
//! `try_new`, [`FromStr`] and serde, and all three run the same validation,
//! so an invalid VIN cannot be smuggled in through JSON.
//!
//! No identifier or name holds an invisible character: see [`IdError`].

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// An identifier that failed validation.
///
/// # Invisible characters
///
/// No identifier or name holds a character that prints as nothing or
/// reorders what follows it (issue 15, item 6): `SA-01` and `SA-01` with a
/// zero-width space would be two advisors that print alike and split every
/// per-advisor count. Refused, by Unicode general category: control (Cc),
/// format (Cf: zero-width spaces and joiners, U+FEFF, U+2060, the bidi
/// controls U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C …),
/// surrogates (Cs), line and paragraph separators (Zl, Zp), every space
/// but the plain U+0020 (Zs: no-break, ideographic, thin spaces …), and the
/// other default-ignorable characters that fonts draw as nothing (Hangul
/// fillers, variation selectors, U+034F and the Mongolian and Khmer
/// invisible marks). The error names the character by its code point.
///
/// Identifiers and names are refused, not normalised: what the DMS stored
/// is then exactly what the crate holds and counts by, and a record with a
/// stray zero-width space is found and fixed at the source instead of
/// silently merged with another. The one exception is [`PersonName`]:
/// zero-width non-joiner and joiner (U+200C, U+200D) between two letters
/// or marks are how Persian, Indic and other scripts spell some names, so
/// a name keeps them there (and only there).
///
/// ```
/// use aftersales::{PersonName, StaffId};
///
/// let err = StaffId::try_new("SA-01\u{200B}").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid staff id `SA-01\\u{200b}`: must not contain the invisible or control character U+200B"
/// );
/// assert!(PersonName::try_new("\u{202E}王先生").is_err());
/// assert!(PersonName::try_new("می\u{200C}خواهم").is_ok()); // ZWNJ between letters
/// assert!(PersonName::try_new("王\u{200D}").is_err()); // but not at the end
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} `{}`: {reason}", Escaped(input))]
pub struct IdError {
    /// Which identifier (`VIN`, `plate` …).
    pub kind: &'static str,
    /// The rejected input (shown with its invisible characters escaped as
    /// `\u{200b}`).
    pub input: String,
    /// Why it was rejected.
    pub reason: Cow<'static, str>,
}

fn id_error(kind: &'static str, input: &str, reason: &'static str) -> IdError {
    IdError {
        kind,
        input: input.to_owned(),
        reason: Cow::Borrowed(reason),
    }
}

/// Whether `c` prints as nothing, reorders text, or breaks a line: the
/// characters no identifier or name may hold (see the module doc).
fn invisible(c: char) -> bool {
    match c.general_category() {
        GeneralCategory::Control
        | GeneralCategory::Format
        | GeneralCategory::Surrogate
        | GeneralCategory::LineSeparator
        | GeneralCategory::ParagraphSeparator => true,
        GeneralCategory::SpaceSeparator => c != ' ',
        // Default-ignorable code points outside Cf (DerivedCoreProperties).
        _ => matches!(
            u32::from(c),
            0x034F
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x3164
                | 0xFE00..=0xFE0F
                | 0xFFA0
                | 0xE0100..=0xE01EF
        ),
    }
}

/// A letter or a mark: what a joiner in a name may stand between.
fn joinable(c: Option<&char>) -> bool {
    c.is_some_and(|c| {
        matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Letter | GeneralCategoryGroup::Mark
        )
    })
}

/// The first character of `s` that [`invisible`] refuses, where
/// `allow_joiners` keeps U+200C and U+200D between two letters or marks.
fn first_invisible(s: &str, allow_joiners: bool) -> Option<char> {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let joined = allow_joiners
            && matches!(c, '\u{200C}' | '\u{200D}')
            && i.checked_sub(1).is_some_and(|p| joinable(chars.get(p)))
            && joinable(chars.get(i.saturating_add(1)));
        (invisible(c) && !joined).then_some(c)
    })
}

/// Refuses `s` when it holds an invisible character, naming it.
fn visible(kind: &'static str, s: &str, allow_joiners: bool) -> Result<(), IdError> {
    match first_invisible(s, allow_joiners) {
        Some(c) => Err(IdError {
            kind,
            input: s.to_owned(),
            reason: Cow::Owned(format!(
                "must not contain the invisible or control character U+{:04X}",
                u32::from(c)
            )),
        }),
        None => Ok(()),
    }
}

/// Input text with its invisible characters written as `\u{…}`, so an
/// error message shows them and is not reordered by them.
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if invisible(c) {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
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

/// A name-like key: 1–64 characters, no control or invisible characters,
/// no surrounding white space. Chinese names are fine.
fn key(kind: &'static str, s: &str) -> Result<String, IdError> {
    key_with(kind, s, false)
}

/// A person's name: a [`key`] that may also hold a zero-width (non-)joiner
/// between two letters or marks.
fn name(kind: &'static str, s: &str) -> Result<String, IdError> {
    key_with(kind, s, true)
}

fn key_with(kind: &'static str, s: &str, allow_joiners: bool) -> Result<String, IdError> {
    if s.trim().is_empty() {
        return Err(id_error(kind, s, "must not be empty"));
    }
    if s.chars().count() > 64 {
        return Err(id_error(kind, s, "must be at most 64 characters"));
    }
    if s.trim() != s {
        return Err(id_error(kind, s, "must not start or end with white space"));
    }
    visible(kind, s, allow_joiners)?;
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
    visible(kind, s, false)?;
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
    /// Invisible characters are refused, except a zero-width (non-)joiner
    /// between two letters or marks (see [`IdError`]).
    PersonName,
    "name",
    name
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
    fn invisible_characters_are_refused_by_code_point() {
        for (c, code) in [
            ('\u{200B}', "U+200B"),
            ('\u{FEFF}', "U+FEFF"),
            ('\u{2060}', "U+2060"),
            ('\u{202E}', "U+202E"),
            ('\u{2066}', "U+2066"),
            ('\u{200E}', "U+200E"),
            ('\u{061C}', "U+061C"),
            ('\u{00AD}', "U+00AD"),
            ('\u{00A0}', "U+00A0"),
            ('\u{3000}', "U+3000"),
            ('\u{2028}', "U+2028"),
            ('\u{2029}', "U+2029"),
            ('\u{0007}', "U+0007"),
            ('\u{0085}', "U+0085"),
            ('\u{034F}', "U+034F"),
            ('\u{115F}', "U+115F"),
            ('\u{1160}', "U+1160"),
            ('\u{17B4}', "U+17B4"),
            ('\u{17B5}', "U+17B5"),
            ('\u{180B}', "U+180B"),
            ('\u{180F}', "U+180F"),
            ('\u{3164}', "U+3164"),
            ('\u{FE00}', "U+FE00"),
            ('\u{FE0F}', "U+FE0F"),
            ('\u{FFA0}', "U+FFA0"),
            ('\u{E0100}', "U+E0100"),
            ('\u{E01EF}', "U+E01EF"),
        ] {
            let input = format!("SA{c}01");
            for err in [
                StaffId::try_new(&input).unwrap_err(),
                PersonName::try_new(&input).unwrap_err(),
                TeamId::try_new(&input).unwrap_err(),
                DepartmentId::try_new(&input).unwrap_err(),
            ] {
                assert_eq!(
                    err.reason,
                    format!("must not contain the invisible or control character {code}")
                );
            }
        }
        // The neighbours of the refused ranges are ordinary characters.
        for ok in [
            "SA 01",
            "SA\u{034E}01",
            "SA\u{1161}01",
            "SA\u{3165}01",
            "SA\u{FE10}01",
            "SA\u{FFA1}01",
            "王\u{E000}",
            "SA\u{E01F0}",
        ] {
            assert!(StaffId::try_new(ok).is_ok(), "{ok:?}");
        }
        // Plates are letters and digits: a Hangul filler is a letter that
        // prints as nothing.
        assert!(Plate::try_new("京A1234\u{3164}").is_err());
        assert_eq!(
            serde_json::from_str::<StaffId>("\"SA-01\\u200b\"")
                .unwrap_err()
                .to_string(),
            "invalid staff id `SA-01\\u{200b}`: must not contain the invisible or control character U+200B"
        );
    }

    #[test]
    fn names_keep_joiners_between_letters_only() {
        assert!(PersonName::try_new("می\u{200C}خواهم").is_ok());
        // After a combining mark (Devanagari virama), before a letter.
        assert!(PersonName::try_new("क्\u{200D}ष").is_ok());
        for bad in [
            "\u{200D}ab",
            "ab\u{200D}",
            "a\u{200D}\u{200D}b",
            "a \u{200C}b",
            "a\u{200C} b",
            "a1\u{200C}b",
            "a\u{200C}1b",
        ] {
            assert!(PersonName::try_new(bad).is_err(), "{bad:?}");
        }
        // Identifiers do not: a staff id is counted by, and a joiner there
        // only makes two ids that print alike.
        assert!(StaffId::try_new("می\u{200C}خواهم").is_err());
    }

    #[test]
    fn errors_show_invisible_input_escaped() {
        let err = StaffId::try_new("\u{202E}S\nA").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid staff id `\\u{202e}S\\u{a}A`: must not contain the invisible or control character U+202E"
        );
        assert_eq!(err.input, "\u{202E}S\nA");
    }

    #[test]
    fn serde_validates() {
        let bad: Result<Vin, _> = serde_json::from_str("\"SHORT\"");
        assert!(bad.is_err());
        let ok: Vin = serde_json::from_str("\"lsvaa4180e2123456\"").unwrap();
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"LSVAA4180E2123456\"");
    }
}
