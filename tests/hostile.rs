//! Hostile JSON against every type a DMS stores (issue 15, "make the
//! classes impossible"): the policy and its presets, every event log, the
//! audit's journeys and results, every report, and the data inputs.
//!
//! Each target starts from a *valid* document, serialized from real values
//! built through the public API (the repair story of
//! `examples/repair_lifecycle.rs`, its follow-up task and complaint, a
//! customer's file over two years, a 三包 history …). Proptest then picks
//! one to four points of the JSON tree and mutates them: a value of the
//! wrong type, a dropped or duplicated field, an extreme decimal (as text
//! and as a raw JSON number), an instant or a date at and past the
//! supported range (with offsets of ±14 h), an empty, a 1 MB or an
//! invisible-character string, a huge array. For every document:
//!
//! - (a) nothing panics: loading, both round trips and the use of the value
//!   run inside `catch_unwind`, and a panic is a failure;
//! - (b) the document is refused with an error, or the value round-trips
//!   exactly (`to_string` → `from_str` and `to_value` → `from_value` give
//!   an equal value), keeps every decimal digit it was given, and keeps no
//!   invisible character in a field that refuses control characters;
//! - (c) a log of events is replayed into its aggregate, the aggregate is
//!   serialized and queried (due checks, deadlines, next step, counters …),
//!   without a panic; a policy runs the repair story; a journey is audited.
//!
//! Defects already known and being fixed on other branches are listed in
//! [`BEING_FIXED`]: an instance of such a class is counted (and printed
//! with `--nocapture`) instead of failing. Once a fix is merged, remove its
//! class from the list and the suite holds the crate to it.

use std::cell::{Cell, RefCell};
use std::fmt::{Debug, Write as _};
use std::panic::{self, AssertUnwindSafe};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Once, OnceLock};

use aftersales::{
    ACard, Audit, BasicInfo, CareCalendar, CareProfile, ComplaintEvent, ComplaintStats,
    ContactChannel, ContactInfo, CustomerFile, CustomerFileCommand, CustomerFileEvent,
    DealerCalendar, Delivery, DeliveryFacts, ExceptionsReport, FactorTally, Finding, FollowUpEvent,
    FollowUpResult, Gender, HouseholdCar, Journey, Km, MainPart, MaintenanceHistory,
    MaintenanceItem, MaintenanceSchedule, NpsTally, Policy, Powertrain, PowertrainAssembly,
    PreferredContact, ProblemKey, ProblemSite, QualityProblem, QualityRepair, Questionnaire,
    RateRecord, RateReport, RateTable, RatioSampler, RuleId, SaleInfo, Severity, Source, Subject,
    ThreeGuaranteesPolicy, VehicleInfo, Visit, VisitKind, WorkOrderEvent, WorkOrderNo, YesNo,
    audit, audit_all, care_calendar, entitlements, plan_follow_up,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use proptest::prelude::*;
use proptest::sample::Index;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::support;

// ---------------------------------------------------------------------------
// Known defects, being fixed on other branches
// ---------------------------------------------------------------------------

/// A class of defect of issue 15 that this suite detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    /// Item 1: a time past the supported range panics when serialized or
    /// turned into a local date (`wo` / `cmp` helpers, the lead for
    /// `src/audit`).
    TimePanic,
    /// Item 2: `ExceptionsReport.by_advisor` is keyed by `Option<StaffId>`,
    /// which JSON cannot store as a key, `None` or not (the lead).
    AdvisorKey,
    /// Item 4: a decimal that does not fit is rounded on load instead of
    /// refused (`serde` helper).
    DecimalRounded,
    /// Item 6: a field that refuses control characters keeps a
    /// zero-width or bidi character (`serde` helper).
    InvisibleInId,
}

/// The classes whose instances are tolerated (counted, not failed) until
/// their fixes are merged. After the merge of issue 15, remove each fixed
/// class: this list should end empty.
const BEING_FIXED: &[Defect] = &[];

/// How many instances of each tolerated class the suite saw, in the order
/// of the variants of [`Defect`].
static TOLERATED: [AtomicUsize; 4] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

/// Documents that loaded an instant outside the supported range without
/// complaint: informational, since the issue asks commands (not stored
/// events) to refuse them.
static OUT_OF_RANGE_LOADED: AtomicUsize = AtomicUsize::new(0);

/// Counts an instance of `defect` and says whether it is tolerated: its
/// class is in [`BEING_FIXED`] and `HOSTILE_STRICT` is not set (set it to
/// see every instance fail, as after the merge).
fn tolerate(defect: Defect) -> bool {
    let strict = std::env::var_os("HOSTILE_STRICT").is_some();
    if !strict && BEING_FIXED.contains(&defect) {
        if let Some(counter) = TOLERATED.get(defect as usize) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
        true
    } else {
        false
    }
}

fn print_tolerated(target: &str) {
    let counts: Vec<String> = [
        Defect::TimePanic,
        Defect::AdvisorKey,
        Defect::DecimalRounded,
        Defect::InvisibleInId,
    ]
    .iter()
    .zip(&TOLERATED)
    .map(|(d, c)| format!("{d:?} {}", c.load(Ordering::Relaxed)))
    .collect();
    eprintln!(
        "hostile {target}: tolerated so far (all targets): {}; out-of-range instants loaded: {}",
        counts.join(", "),
        OUT_OF_RANGE_LOADED.load(Ordering::Relaxed)
    );
}

// ---------------------------------------------------------------------------
// Panics, caught and counted
// ---------------------------------------------------------------------------

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(message)`. While `f` runs, this
/// thread's panics are recorded rather than printed; other threads keep
/// the usual hook.
fn guarded<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                LAST_PANIC.with(|l| *l.borrow_mut() = info.to_string());
            } else {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|_| LAST_PANIC.with(|l| l.take()))
}

// ---------------------------------------------------------------------------
// The JSON tree: paths, edits and rendering
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    At(usize),
}

type Path = Vec<Seg>;

fn paths(v: &Value, here: &mut Path, out: &mut Vec<Path>) {
    out.push(here.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                here.push(Seg::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Seg::At(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn get<'a>(v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(v, |node, seg| match (seg, node) {
        (Seg::Key(k), Value::Object(map)) => map.get(k),
        (Seg::At(i), Value::Array(items)) => items.get(*i),
        _ => None,
    })
}

fn get_mut<'a>(v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |node, seg| match (seg, node) {
        (Seg::Key(k), Value::Object(map)) => map.get_mut(k),
        (Seg::At(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    })
}

/// The paths of the nodes `want` accepts; `index` picks one.
fn pick(doc: &Value, index: &Index, want: impl Fn(&Value) -> bool) -> Option<Path> {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let fitting: Vec<Path> = all
        .into_iter()
        .filter(|p| get(doc, p).is_some_and(&want))
        .collect();
    if fitting.is_empty() {
        None
    } else {
        Some(index.get(&fitting).clone())
    }
}

/// A string starting with this is written to the document as raw JSON
/// (how a number no `f64` holds gets into it).
const RAW: &str = "\u{E000}raw:";

fn raw(text: &str) -> Value {
    Value::String(format!("{RAW}{text}"))
}

/// Writes `v` as JSON; at `dup` (an object's path, one of its keys and a
/// value) the key is written a second time.
fn render(v: &Value, here: &mut Path, dup: Option<&(Path, String, Value)>, out: &mut String) {
    match v {
        Value::String(s) => match s.strip_prefix(RAW) {
            Some(text) => out.push_str(text),
            None => out.push_str(&Value::String(s.clone()).to_string()),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, child) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                here.push(Seg::At(i));
                render(child, here, dup, out);
                here.pop();
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, child) in map {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                here.push(Seg::Key(k.clone()));
                render(child, here, dup, out);
                here.pop();
            }
            if let Some((path, key, value)) = dup {
                if path == here {
                    if !first {
                        out.push(',');
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    render(value, &mut Vec::new(), None, out);
                }
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// An extreme decimal: its text, whether it goes in as a raw JSON number,
/// and its exact value when a decimal can hold it.
#[derive(Debug, Clone, Copy)]
struct Extreme {
    text: &'static str,
    raw: bool,
    exact: Option<&'static str>,
}

const EXTREMES: &[Extreme] = &[
    Extreme {
        text: "0.00000000000000000000000000001",
        raw: false,
        exact: None,
    },
    Extreme {
        text: "0.00000000000000000000000000001",
        raw: true,
        exact: None,
    },
    Extreme {
        text: "0.0000000000000000000000000001",
        raw: false,
        exact: Some("0.0000000000000000000000000001"),
    },
    Extreme {
        text: "12345678901234567890123",
        raw: false,
        exact: Some("12345678901234567890123"),
    },
    Extreme {
        text: "12345678901234567890123",
        raw: true,
        exact: Some("12345678901234567890123"),
    },
    Extreme {
        text: "79228162514264337593543950336",
        raw: false,
        exact: None,
    },
    Extreme {
        text: "79228162514264337593543950336",
        raw: true,
        exact: None,
    },
    Extreme {
        text: "79228162514264337593543950335",
        raw: false,
        exact: Some("79228162514264337593543950335"),
    },
    Extreme {
        text: "-79228162514264337593543950335",
        raw: true,
        exact: Some("-79228162514264337593543950335"),
    },
    Extreme {
        text: "-0",
        raw: false,
        exact: Some("0"),
    },
    Extreme {
        text: "-0",
        raw: true,
        exact: Some("0"),
    },
    Extreme {
        text: "1e400",
        raw: false,
        exact: None,
    },
    Extreme {
        text: "1e400",
        raw: true,
        exact: None,
    },
    Extreme {
        text: "-1",
        raw: true,
        exact: Some("-1"),
    },
    Extreme {
        text: "4294967296",
        raw: true,
        exact: Some("4294967296"),
    },
    Extreme {
        text: "18446744073709551616",
        raw: true,
        exact: Some("18446744073709551616"),
    },
    Extreme {
        text: "1.5",
        raw: true,
        exact: Some("1.5"),
    },
];

/// Instants at and past the ends of the supported range (1900–9999 UTC),
/// and whether each is inside it.
const INSTANTS: &[(&str, bool)] = &[
    ("1899-12-31T23:59:59Z", false),
    ("1900-01-01T00:00:00Z", true),
    ("1900-01-01T00:00:00+14:00", false),
    ("1900-01-01T00:00:00-14:00", true),
    ("9999-12-31T23:59:59Z", true),
    ("9999-12-31T23:59:59+14:00", true),
    ("9999-12-31T23:59:59-14:00", false),
    ("+10000-01-01T00:00:00Z", false),
    ("+262142-12-31T23:59:59Z", false),
    ("+262142-12-31T23:59:59+14:00", false),
    ("+262142-12-31T23:59:59-14:00", false),
    ("-262143-01-01T00:00:00Z", false),
    ("-262143-01-01T00:00:00+14:00", false),
    ("-0001-01-01T00:00:00-14:00", false),
];

/// Dates at and past the ends of the supported range.
const DATES: &[(&str, bool)] = &[
    ("1899-12-31", false),
    ("1900-01-01", true),
    ("9999-12-31", true),
    ("+10000-01-01", false),
    ("+262142-12-31", false),
    ("-262143-01-01", false),
    ("2026-02-29", true),
];

/// Zero-width, bidi and other invisible or control characters.
const INVISIBLE: &[char] = &['\u{200B}', '\u{FEFF}', '\u{2060}', '\u{202E}', '\u{200E}'];

#[derive(Debug, Clone)]
enum TextKind {
    Empty,
    Spaces,
    Long,
    Nul,
    Controls,
    Bidi,
    Emoji,
}

fn hostile_text(kind: &TextKind) -> String {
    match kind {
        TextKind::Empty => String::new(),
        TextKind::Spaces => "   ".into(),
        TextKind::Long => "长".repeat(350_000), // 1.05 MB of UTF-8
        TextKind::Nul => "SA\u{0}01".into(),
        TextKind::Controls => "\u{1}\u{7}\u{1B}[31m\r\n\t".into(),
        TextKind::Bidi => "\u{202E}10-AS\u{202C}".into(),
        TextKind::Emoji => "👨‍👩‍👧‍👦🚗".into(),
    }
}

/// Values of every JSON type, to put where another type belongs.
fn wrong_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(Value::Bool(true)),
        Just(Value::from(0)),
        Just(Value::from(-1)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(1.5)),
        Just(Value::String(String::new())),
        Just(Value::String("x".into())),
        Just(Value::Array(vec![])),
        Just(Value::Object(Map::new())),
        Just(Value::Array(vec![Value::Null, Value::Null])),
    ]
}

/// One mutation of the document. Each picks its point in the tree among
/// the nodes it applies to; with no such node it does nothing.
#[derive(Debug, Clone)]
enum Edit {
    /// Any node becomes a value of some (usually wrong) type.
    Replace(Index, Value),
    /// An object loses one of its fields.
    Drop(Index, Index),
    /// A number, a decimal or an amount's figure becomes an extreme one.
    Decimal(Index, Extreme),
    /// An instant becomes one at or past the supported range.
    Instant(Index, &'static str, bool),
    /// A date becomes one at or past the supported range.
    Date(Index, &'static str, bool),
    /// A string becomes an empty, long or strange one.
    Text(Index, TextKind),
    /// A string gets an invisible character in its middle.
    Invisible(Index, char),
    /// An array gets its first element repeated `n` more times.
    Grow(Index, usize),
    /// Any node becomes an array of 100,000 zeros.
    Huge(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let index = any::<Index>;
    prop_oneof![
        3 => (index(), wrong_value()).prop_map(|(i, v)| Edit::Replace(i, v)),
        2 => (index(), index()).prop_map(|(i, k)| Edit::Drop(i, k)),
        3 => (index(), proptest::sample::select(EXTREMES)).prop_map(|(i, e)| Edit::Decimal(i, e)),
        3 => (index(), proptest::sample::select(INSTANTS))
            .prop_map(|(i, (t, ok))| Edit::Instant(i, t, ok)),
        2 => (index(), proptest::sample::select(DATES)).prop_map(|(i, (d, ok))| Edit::Date(i, d, ok)),
        2 => (
            index(),
            prop_oneof![
                Just(TextKind::Empty),
                Just(TextKind::Spaces),
                Just(TextKind::Long),
                Just(TextKind::Nul),
                Just(TextKind::Controls),
                Just(TextKind::Bidi),
                Just(TextKind::Emoji),
            ]
        )
            .prop_map(|(i, k)| Edit::Text(i, k)),
        2 => (index(), proptest::sample::select(INVISIBLE)).prop_map(|(i, c)| Edit::Invisible(i, c)),
        1 => (index(), prop_oneof![Just(1usize), Just(50), Just(2_000)])
            .prop_map(|(i, n)| Edit::Grow(i, n)),
        1 => index().prop_map(Edit::Huge),
    ]
}

/// A field written twice: the object, the key, and the second value (the
/// first value again when `None`).
type Dup = (Index, Index, Option<Value>);

fn dup() -> impl Strategy<Value = Option<Dup>> {
    prop_oneof![
        3 => Just(None),
        1 => (any::<Index>(), any::<Index>(), proptest::option::of(wrong_value()))
            .prop_map(Some),
    ]
}

/// The edits of one case.
fn edits() -> impl Strategy<Value = (Vec<Edit>, Option<Dup>)> {
    (proptest::collection::vec(edit(), 1..=3), dup())
}

fn is_decimal_text(s: &str) -> bool {
    Decimal::from_str(s).is_ok()
}

/// `"432.00 CNY"`: the figure and the currency.
fn money_parts(s: &str) -> Option<(&str, &str)> {
    let (figure, currency) = s.rsplit_once(' ')?;
    (is_decimal_text(figure)
        && currency.len() == 3
        && currency.chars().all(|c| c.is_ascii_uppercase()))
    .then_some((figure, currency))
}

fn is_instant(s: &str) -> bool {
    DateTime::parse_from_rfc3339(s).is_ok()
}

fn is_date(s: &str) -> bool {
    NaiveDate::from_str(s).is_ok() && s.len() == 10
}

/// What the oracles check after the document loaded.
#[derive(Debug, Default)]
struct Expectations {
    /// Paths where an extreme decimal went in, the value put there, and
    /// its exact value if a decimal holds it.
    decimals: Vec<(Path, Value, Option<Decimal>)>,
    /// Paths where an invisible character went in, the string with it and
    /// the string before.
    invisible: Vec<(Path, String, String, char)>,
    /// Whether an instant or date outside the supported range went in.
    out_of_range: bool,
}

/// Applies `edits` to `doc` and renders it; returns the text and what to
/// check.
fn mutate(doc: &Value, edits: &[Edit], dup: Option<&Dup>) -> (String, Value, Expectations) {
    let mut doc = doc.clone();
    let mut expect = Expectations::default();
    for e in edits {
        match e {
            Edit::Replace(i, v) => {
                if let Some(p) = pick(&doc, i, |_| true) {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        *node = v.clone();
                    }
                }
            }
            Edit::Drop(i, k) => {
                if let Some(p) = pick(&doc, i, |v| v.as_object().is_some_and(|m| !m.is_empty())) {
                    if let Some(Value::Object(map)) = get_mut(&mut doc, &p) {
                        let keys: Vec<String> = map.keys().cloned().collect();
                        map.remove(k.get(&keys));
                    }
                }
            }
            Edit::Decimal(i, x) => {
                let want = |v: &Value| match v {
                    Value::Number(_) => true,
                    Value::String(s) => is_decimal_text(s) || money_parts(s).is_some(),
                    _ => false,
                };
                if let Some(p) = pick(&doc, i, want) {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        let new = match node {
                            Value::String(s) => match money_parts(s) {
                                Some((_, currency)) => {
                                    Value::String(format!("{} {currency}", x.text))
                                }
                                None if x.raw => raw(x.text),
                                None => Value::String(x.text.into()),
                            },
                            _ if x.raw => raw(x.text),
                            _ => Value::String(x.text.into()),
                        };
                        *node = new.clone();
                        let exact = x.exact.and_then(|t| Decimal::from_str_exact(t).ok());
                        expect.decimals.push((p, new, exact));
                    }
                }
            }
            Edit::Instant(i, t, ok) => {
                if let Some(p) = pick(&doc, i, |v| v.as_str().is_some_and(is_instant)) {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        *node = Value::String((*t).into());
                        expect.out_of_range |= !ok;
                    }
                }
            }
            Edit::Date(i, d, ok) => {
                if let Some(p) = pick(&doc, i, |v| v.as_str().is_some_and(is_date)) {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        *node = Value::String((*d).into());
                        expect.out_of_range |= !ok;
                    }
                }
            }
            Edit::Text(i, kind) => {
                if let Some(p) = pick(&doc, i, |v| v.as_str().is_some_and(|s| !s.starts_with(RAW)))
                {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        *node = Value::String(hostile_text(kind));
                    }
                }
            }
            Edit::Invisible(i, c) => {
                let want = |v: &Value| {
                    v.as_str()
                        .is_some_and(|s| !s.is_empty() && !s.starts_with(RAW))
                };
                if let Some(p) = pick(&doc, i, want) {
                    if let Some(Value::String(s)) = get_mut(&mut doc, &p) {
                        let before = s.clone();
                        let chars: Vec<char> = s.chars().collect();
                        let mid = chars.len() / 2;
                        let with: String = chars[..mid]
                            .iter()
                            .chain(std::iter::once(c))
                            .chain(&chars[mid..])
                            .collect();
                        *s = with.clone();
                        expect.invisible.push((p, with, before, *c));
                    }
                }
            }
            Edit::Grow(i, n) => {
                if let Some(p) = pick(&doc, i, |v| v.as_array().is_some_and(|a| !a.is_empty())) {
                    if let Some(Value::Array(items)) = get_mut(&mut doc, &p) {
                        let first = items[0].clone();
                        // At most about 4 MB more: a grown array of 1 MB
                        // strings (or of grown arrays) stays in memory.
                        let size = first.to_string().len().max(1);
                        let n = (*n).min(4_000_000 / size);
                        items.extend(std::iter::repeat_n(first, n));
                    }
                }
            }
            Edit::Huge(i) => {
                if let Some(p) = pick(&doc, i, |_| true) {
                    if let Some(node) = get_mut(&mut doc, &p) {
                        *node = Value::Array(vec![Value::from(0); 100_000]);
                    }
                }
            }
        }
    }
    let dup = dup.and_then(|(i, k, v)| {
        let p = pick(&doc, i, |v| v.as_object().is_some_and(|m| !m.is_empty()))?;
        let map = get(&doc, &p)?.as_object()?;
        let keys: Vec<&String> = map.keys().collect();
        let key = (*k.get(&keys)).clone();
        let value = v.clone().or_else(|| map.get(&key).cloned())?;
        Some((p, key, value))
    });
    let mut text = String::new();
    render(&doc, &mut Vec::new(), dup.as_ref(), &mut text);
    (text, doc, expect)
}

// ---------------------------------------------------------------------------
// Loading, round trips and use
// ---------------------------------------------------------------------------

/// What went wrong with one document (the fields are read through
/// `Debug`, in the failure message).
#[derive(Debug)]
#[allow(dead_code)]
enum Failure {
    Panic(String),
    Serialize(String),
    Reload(String),
    NotEqualAfterString,
    NotEqualAfterValue,
    DigitsLost {
        path: Path,
        given: Value,
        kept: Option<Value>,
    },
    InvisibleKept {
        path: Path,
        character: char,
    },
}

impl Failure {
    /// The known class this failure belongs to, if any.
    fn class(&self, expect: &Expectations) -> Option<Defect> {
        match self {
            Failure::Panic(message) if expect.out_of_range && is_time_panic(message) => {
                Some(Defect::TimePanic)
            }
            Failure::Serialize(message) if message.contains("key must be a string") => {
                Some(Defect::AdvisorKey)
            }
            Failure::DigitsLost { .. } => Some(Defect::DecimalRounded),
            Failure::InvisibleKept { .. } => Some(Defect::InvisibleInId),
            _ => None,
        }
    }
}

/// chrono's panics when a local time leaves its range (raised inside
/// chrono, e.g. "Local time out of range for `NaiveDateTime`").
fn is_time_panic(message: &str) -> bool {
    message.contains("/chrono-") || message.contains("Local time out of range")
}

/// Loads `text` as `T`; if it loads, both round trips and `exercise`.
/// `Ok(None)`: refused with an error. `Ok(Some(json))`: loaded, with the
/// value's JSON.
fn load<T>(text: &str, exercise: &dyn Fn(&T)) -> Result<Option<Value>, Failure>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let outcome = guarded(|| -> Result<Option<Value>, Failure> {
        let Ok(value) = serde_json::from_str::<T>(text) else {
            return Ok(None);
        };
        let again = serde_json::to_string(&value).map_err(|e| Failure::Serialize(e.to_string()))?;
        let back: T = serde_json::from_str(&again).map_err(|e| Failure::Reload(e.to_string()))?;
        if back != value {
            return Err(Failure::NotEqualAfterString);
        }
        let json = serde_json::to_value(&value).map_err(|e| Failure::Serialize(e.to_string()))?;
        let back: T =
            serde_json::from_value(json.clone()).map_err(|e| Failure::Reload(e.to_string()))?;
        if back != value {
            return Err(Failure::NotEqualAfterValue);
        }
        exercise(&value);
        Ok(Some(json))
    });
    outcome.unwrap_or_else(|message| Err(Failure::Panic(message)))
}

/// The decimal at `kept` holds exactly `exact`.
fn same_decimal(kept: &Value, exact: Decimal) -> bool {
    let text = match kept {
        Value::Number(n) => n.to_string(),
        Value::String(s) => money_parts(s)
            .map_or(s.as_str(), |(figure, _)| figure)
            .to_owned(),
        _ => return false,
    };
    Decimal::from_str_exact(&text).is_ok_and(|d| d == exact)
}

/// The oracles of a loaded document: decimals kept, no invisible
/// character where control characters are refused.
fn check_loaded<T>(
    json: &Value,
    doc: &Value,
    expect: &Expectations,
    exercise: &dyn Fn(&T),
) -> Result<(), Failure>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    if expect.out_of_range {
        OUT_OF_RANGE_LOADED.fetch_add(1, Ordering::Relaxed);
    }
    for (path, given, exact) in &expect.decimals {
        // A later edit may have replaced this one.
        if get(doc, path) != Some(given) {
            continue;
        }
        let kept = get(json, path);
        let faithful = match (kept, given) {
            (None, _) => true, // not written back under the same path
            (Some(k), _) if k == given => true,
            (Some(Value::Number(n)), Value::String(g))
                if g.strip_prefix(RAW) == Some(&n.to_string()) =>
            {
                true
            }
            (Some(k), _) => exact.is_some_and(|x| same_decimal(k, x)),
        };
        if !faithful {
            return Err(Failure::DigitsLost {
                path: path.clone(),
                given: given.clone(),
                kept: kept.cloned(),
            });
        }
    }
    for (path, with, before, c) in &expect.invisible {
        if get(doc, path).and_then(Value::as_str) != Some(with.as_str()) {
            continue;
        }
        let kept = get(json, path)
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains(*c));
        if !kept {
            continue;
        }
        // Is this a field that refuses a control character, while the
        // string it had before loads?
        let mut control = doc.clone();
        let mut original = doc.clone();
        if let Some(node) = get_mut(&mut control, path) {
            *node = Value::String(with.replace(*c, "\u{0}"));
        }
        if let Some(node) = get_mut(&mut original, path) {
            *node = Value::String(before.clone());
        }
        let render_plain = |v: &Value| {
            let mut text = String::new();
            render(v, &mut Vec::new(), None, &mut text);
            text
        };
        let control_loads = !matches!(load::<T>(&render_plain(&control), exercise), Ok(None));
        let original_loads = matches!(load::<T>(&render_plain(&original), exercise), Ok(Some(_)));
        if !control_loads && original_loads {
            return Err(Failure::InvisibleKept {
                path: path.clone(),
                character: *c,
            });
        }
    }
    Ok(())
}

fn shorten(text: &str) -> String {
    if text.len() <= 600 {
        return text.to_owned();
    }
    let mut end = 600;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &text[..end], text.len())
}

/// One case: mutate the seed, load, check. A failure of a class being
/// fixed is counted; any other fails the case.
fn hostile_case<T>(
    target: &str,
    seed: &Value,
    edits: &[Edit],
    dup: Option<&Dup>,
    exercise: &dyn Fn(&T),
) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let (text, doc, expect) = mutate(seed, edits, dup);
    let result = load::<T>(&text, exercise).and_then(|loaded| {
        loaded.map_or(Ok(()), |json| {
            check_loaded::<T>(&json, &doc, &expect, exercise)
        })
    });
    match result {
        Ok(()) => Ok(()),
        Err(failure) => match failure.class(&expect) {
            Some(defect) if tolerate(defect) => {
                if std::env::var_os("HOSTILE_LOG").is_some() {
                    eprintln!(
                        "tolerated {defect:?} in {target}: {}",
                        shorten(&format!("{failure:?}"))
                    );
                }
                Ok(())
            }
            _ => Err(TestCaseError::fail(format!(
                "{target}: {failure:?}\nedits: {edits:?}\ndocument: {}",
                shorten(&text)
            ))),
        },
    }
}

/// The seed's own JSON, checked to round-trip and to pass `exercise`.
fn seed_of<T>(value: &T, exercise: &dyn Fn(&T)) -> Value
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = serde_json::to_string(value).expect("the seed serializes");
    match load::<T>(&text, exercise) {
        Ok(Some(json)) => json,
        other => panic!("the seed must load and round-trip: {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Seeds: real values built through the public API
// ---------------------------------------------------------------------------

fn ts(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Every seed, built once.
struct Seeds {
    order: WorkOrderNo,
    order_events: Vec<WorkOrderEvent>,
    task_events: Vec<FollowUpEvent>,
    complaint_events: Vec<ComplaintEvent>,
    file_events: Vec<CustomerFileEvent>,
    journey: Journey,
    delivery: Delivery,
    questionnaire: Questionnaire,
    rate_records: Vec<RateRecord>,
    rate_report: RateReport,
    audit: Audit,
    exceptions: ExceptionsReport,
    complaint_stats: ComplaintStats,
    nps: NpsTally,
    factors: FactorTally,
    history: MaintenanceHistory,
    schedule: MaintenanceSchedule,
    profile: CareProfile,
    calendar: CareCalendar,
    car: HouseholdCar,
    repairs: Vec<QualityRepair>,
    entitlements: Vec<aftersales::Entitlement>,
    settlement: aftersales::SettlementList,
    cards: aftersales::CardAnalysis,
    counters: aftersales::Counters,
}

fn a_card() -> ACard {
    let mut vehicle = VehicleInfo::new("LFMA3ACC5R0123456".parse().unwrap());
    vehicle.model = Some("卡罗拉 1.2T".parse().unwrap());
    vehicle.plate = Some("皖N12345".parse().unwrap());
    vehicle.powertrain = Some(Powertrain::Combustion);
    vehicle.delivered_on = Some(day(2025, 3, 2));
    vehicle.delivery_odometer = Some(Km(12));
    let mut basic = BasicInfo::new("王建国".parse().unwrap());
    basic.gender = Some(Gender::Male);
    basic.birthday = Some(day(1988, 7, 14));
    ACard {
        customer: "C-0301".parse().unwrap(),
        basic,
        contact: ContactInfo {
            mobile: Some("13905640001".parse().unwrap()),
            preferred: PreferredContact {
                channel: Some(ContactChannel::Phone),
                times: Vec::new(),
            },
            ..ContactInfo::default()
        },
        vehicle,
        insurance: Default::default(),
        personal: Default::default(),
        sale: SaleInfo {
            consultant: Some("SC-02".parse().unwrap()),
            ..SaleInfo::default()
        },
        remarks: Some("喜欢周末上午来店".parse().unwrap()),
    }
}

/// 王建国's file: the sale, the first maintenance, two repairs.
fn file_events(policy: &Policy) -> Vec<CustomerFileEvent> {
    let mut file = CustomerFile::new();
    let mut log = file
        .execute(
            CustomerFileCommand::OpenSalesFile {
                on: day(2025, 3, 2),
                card: a_card(),
            },
            policy,
        )
        .unwrap();
    let visits = [
        (
            day(2025, 9, 1),
            VisitKind::FirstMaintenance,
            "WO-2025-0901",
            5_030,
            "0 CNY",
            false,
        ),
        (
            day(2025, 10, 8),
            VisitKind::Repair,
            "WO-2025-1008",
            6_100,
            "1280.50 CNY",
            false,
        ),
        (
            day(2025, 10, 29),
            VisitKind::Repair,
            "WO-2025-1029",
            6_650,
            "0 CNY",
            true,
        ),
    ];
    for (date, kind, order, km, paid, comeback) in visits {
        let mut visit = Visit {
            order: Some(order.parse().unwrap()),
            odometer: Some(Km(km)),
            amount: Some(paid.parse().unwrap()),
            comeback,
            ..Visit::new(date, kind)
        };
        if kind == VisitKind::FirstMaintenance {
            visit.items = vec![MaintenanceItem::EngineOil, MaintenanceItem::OilFilter];
        }
        log.extend(
            file.execute(
                CustomerFileCommand::RecordVisit {
                    visit,
                    advisor: Some("SA-05".parse().unwrap()),
                },
                policy,
            )
            .unwrap(),
        );
    }
    log
}

fn repairs() -> Vec<QualityRepair> {
    let repair = |no: &str, date: NaiveDate, driven: u32| {
        let started = ts(&format!("{date}T09:00:00+08:00"));
        QualityRepair {
            order: no.parse().unwrap(),
            problem: QualityProblem {
                site: ProblemSite::MainPart(MainPart::new(
                    PowertrainAssembly::Transmission,
                    "valve body",
                )),
                serious_safety: false,
                key: ProblemKey::try_new("gearbox judder").unwrap(),
            },
            replaced: vec![],
            started,
            completed: Some(started + TimeDelta::hours(30)),
            excluded: vec![],
            odometer: Km(10 + driven),
            still_failing: false,
        }
    };
    vec![
        repair("WO-2025-0120", day(2025, 1, 20), 900),
        repair("WO-2025-0301", day(2025, 3, 1), 2_100),
        repair("WO-2025-0601", day(2025, 6, 1), 4_800),
    ]
}

fn build_seeds() -> Seeds {
    let policy = Policy::default();
    let repair_day = day(2026, 11, 24);
    let order: WorkOrderNo = support::story::order_no().unwrap();
    let order_events = support::month::order_events(repair_day, "SA-07 李娜").unwrap();
    let call = ts("2026-11-27T09:30:00+08:00");
    let task =
        support::month::task_log("T-0001", &order, &order_events, Some((call, YesNo::No))).unwrap();
    let complaint = support::month::complaint_log(
        "TS-0001",
        &order,
        ts("2026-11-25T10:00:00+08:00"),
        ts("2026-11-26T16:00:00+08:00"),
        None,
    )
    .unwrap();
    let file_events = file_events(&policy);
    let journey = Journey {
        file: file_events.clone(),
        orders: vec![aftersales::OrderLog {
            no: order.clone(),
            events: order_events
                .iter()
                .filter(|e| !matches!(e, WorkOrderEvent::ProgressChecked { .. }))
                .cloned()
                .collect(),
            imported: false,
        }],
        tasks: vec![task.clone()],
        complaints: vec![complaint.clone()],
        handovers: vec![aftersales::Handover {
            order: order.clone(),
            at: ts("2026-11-25T10:00:00+08:00"),
        }],
    };
    let audited = audit(&journey, ts("2026-12-31T18:00:00+08:00"), &policy).unwrap();
    assert!(
        !audited.findings.is_empty(),
        "the journey misses a progress check"
    );
    // Only the findings counted against an advisor: a finding against
    // nobody cannot be stored yet (item 2; see
    // `a_report_with_a_finding_against_nobody_round_trips`).
    let mut exceptions = ExceptionsReport::new(day(2026, 11, 1), day(2026, 12, 31));
    for finding in audited.findings.iter().filter(|f| f.advisor.is_some()) {
        exceptions.add(finding, &policy);
    }
    assert!(exceptions.totals.total > 0);
    // Item 2: no row of `by_advisor` can be written as JSON yet; until the
    // fix, the seed is a report without rows.
    if serde_json::to_value(&exceptions).is_err() && tolerate(Defect::AdvisorKey) {
        let mut empty = ExceptionsReport::new(day(2026, 11, 1), day(2026, 12, 31));
        empty.outside_period = 2;
        exceptions = empty;
    }
    let replayed = aftersales::WorkOrder::replay(order.clone(), &order_events);
    let delivery = Delivery::service(&replayed, DeliveryFacts::EMPTY).unwrap();
    let questionnaire = support::month::answers(YesNo::No).unwrap();
    let follow_up = aftersales::FollowUpTask::replay(task.no.clone(), &task.events);
    let mut rate_records = vec![RateRecord {
        date: repair_day,
        staff: "SA-07".parse().unwrap(),
        team: Some("repair-1".parse().unwrap()),
        result: FollowUpResult::of_task(&follow_up),
    }];
    rate_records.push(RateRecord {
        date: day(2026, 11, 3),
        staff: "SA-08".parse().unwrap(),
        team: None,
        result: FollowUpResult::NoResult,
    });
    let rate_report = RateReport::from_records(
        RateTable::Service,
        day(2026, 11, 1),
        day(2026, 11, 30),
        &rate_records,
    )
    .unwrap();
    let mut complaint_stats = ComplaintStats::new();
    complaint_stats
        .add(
            &aftersales::Complaint::replay(complaint.no.clone(), &complaint.events),
            ts("2026-11-30T18:00:00+08:00"),
            &policy,
        )
        .unwrap();
    let bands = &policy.satisfaction().nps;
    let mut nps = NpsTally::default();
    for r in [10u8, 9, 7, 6, 0] {
        nps.add(r.to_string().parse().unwrap(), bands);
    }
    let mut factors = FactorTally::default();
    factors.add(&questionnaire, &policy.satisfaction().bands);
    let file = CustomerFile::replay(&file_events);
    let history = file.maintenance_history().expect("a history");
    let schedule = history
        .schedule(day(2026, 3, 1), Some(Km(9_000)), policy.maintenance())
        .unwrap();
    let profile = file
        .care_profile(day(2026, 3, 1), &policy)
        .expect("a profile");
    let calendar = care_calendar([&profile], day(2026, 1, 1), day(2026, 12, 31), &policy).unwrap();
    let car = HouseholdCar {
        vin: "LFV2A21K8N3000001".parse().unwrap(),
        invoice_date: day(2025, 1, 1),
        delivery_date: day(2025, 1, 1),
        delivery_odometer: Km(10),
        price: "150000.00 CNY".parse().unwrap(),
        powertrain: Powertrain::Combustion,
    };
    let entitlements = entitlements(
        &car,
        &repairs(),
        ts("2025-12-01T09:00:00+08:00"),
        Km(20_000),
        &ThreeGuaranteesPolicy::default(),
    )
    .unwrap();
    assert!(
        !entitlements.is_empty(),
        "the gearbox history gives an entitlement"
    );
    let settlement = aftersales::SettlementList::of(&replayed, &policy).unwrap();
    let cards = aftersales::CardAnalysis::from_files([&file], day(2026, 3, 1));
    let counters = file.counters(day(2026, 3, 1), &policy);
    Seeds {
        entitlements,
        settlement,
        cards,
        counters,
        order,
        order_events,
        task_events: task.events,
        complaint_events: complaint.events,
        file_events,
        journey,
        delivery,
        questionnaire,
        rate_records,
        rate_report,
        audit: audited,
        exceptions,
        complaint_stats,
        nps,
        factors,
        history,
        schedule,
        profile,
        calendar,
        car,
        repairs: repairs(),
    }
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(build_seeds)
}

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::default)
}

/// An instant of the story's month, for the queries.
fn now() -> DateTime<FixedOffset> {
    ts("2026-12-01T09:00:00+08:00")
}

// ---------------------------------------------------------------------------
// What "use" means for each target
// ---------------------------------------------------------------------------

/// Serializes an aggregate rebuilt from events (the snapshot a DMS may
/// keep next to its log).
fn snapshot<A: Serialize>(aggregate: &A) {
    let _ = serde_json::to_string(aggregate);
}

fn use_order_log(events: &Vec<WorkOrderEvent>) {
    let p = policy();
    let order = aftersales::WorkOrder::replay(seeds().order.clone(), events);
    snapshot(&order);
    let _ = order.totals(p.estimate());
    let _ = order.due_checks(now(), p);
    let _ = order.part_warranties(p);
    let _ = order.stage().label_zh();
    if let Ok(delivery) = Delivery::service(&order, DeliveryFacts::EMPTY) {
        let _ = plan_follow_up(&delivery, &mut RatioSampler::default(), p);
    }
    let _ = aftersales::OpenSafetyItem::from_order(&order, &p.follow_up().calendar);
}

fn use_task_log(events: &Vec<FollowUpEvent>) {
    let p = policy();
    let task = aftersales::FollowUpTask::replay("T-0001".parse().unwrap(), events);
    snapshot(&task);
    let _ = task.next_step(now(), p);
    let _ = task.sms_records();
    let _ = task.process_findings();
    let _ = task.concern();
    let _ = FollowUpResult::of_task(&task);
    let _ = aftersales::call_queue([(&task, &PreferredContact::default())], day(2026, 12, 1), p);
}

fn use_complaint_log(events: &Vec<ComplaintEvent>) {
    let p = policy();
    let complaint = aftersales::Complaint::replay("TS-0001".parse().unwrap(), events);
    snapshot(&complaint);
    let _ = complaint.deadlines(now(), p);
    let _ = complaint.escalations_due(now(), p);
    let mut stats = ComplaintStats::new();
    let _ = stats.add(&complaint, now(), p);
    let _ = serde_json::to_string(&stats);
}

fn use_file_log(events: &Vec<CustomerFileEvent>) {
    let p = policy();
    let file = CustomerFile::replay(events);
    snapshot(&file);
    let at = day(2026, 3, 1);
    let _ = file.counters(at, p);
    let _ = file.has_complaint(at);
    if let Some(history) = file.maintenance_history() {
        let _ = history.schedule(at, None, p.maintenance());
    }
    let _ = file.next_maintenance(at, p);
    if let Some(profile) = file.care_profile(at, p) {
        let _ = care_calendar([&profile], at, day(2026, 12, 31), p);
    }
}

fn use_journey(journey: &Journey) {
    let p = policy();
    let at = ts("2026-12-31T18:00:00+08:00");
    // The instant is in range, so the audit never refuses it.
    let one = audit(journey, at, p).unwrap();
    let all = audit_all([journey], at, p).unwrap();
    let _ = one.render();
    let _ = one.assert_compliant().map_err(|e| e.to_string());
    let _ = ExceptionsReport::of_audit(&all, day(2026, 11, 1), day(2026, 12, 31), p).render();
}

fn use_audit(result: &Audit) {
    let p = policy();
    let _ = result.render();
    let _ = result.assert_compliant().map_err(|e| e.to_string());
    let _ = ExceptionsReport::of_audit(result, day(2026, 11, 1), day(2026, 12, 31), p).render();
}

fn use_policy(p: &Policy) {
    let _ = p.changes_from_default();
    let mut order = aftersales::WorkOrder::new(seeds().order.clone());
    for step in support::steps() {
        if let Ok(events) = order.execute(step.command, p) {
            snapshot(&events);
        }
    }
    let _ = order.due_checks(now(), p);
    let _ = order.totals(p.estimate());
    if let Ok(delivery) = Delivery::service(&order, DeliveryFacts::EMPTY) {
        let _ = plan_follow_up(&delivery, &mut RatioSampler::default(), p);
    }
    use_file_log_with(&seeds().file_events, p);
}

fn use_file_log_with(events: &[CustomerFileEvent], p: &Policy) {
    let file = CustomerFile::replay(events);
    let at = day(2026, 3, 1);
    let _ = file.counters(at, p);
    if let Some(profile) = file.care_profile(at, p) {
        let _ = care_calendar([&profile], at, day(2026, 12, 31), p);
    }
}

fn use_delivery(d: &Delivery) {
    if let Ok(plan) = plan_follow_up(d, &mut RatioSampler::default(), policy()) {
        snapshot(&plan);
    }
}

fn use_rate_records(records: &Vec<RateRecord>) {
    let p = policy();
    if let Ok(report) = RateReport::from_records(
        RateTable::Service,
        day(2026, 11, 1),
        day(2026, 11, 30),
        records,
    ) {
        let _ = report.render(p.satisfaction());
        let _ = report.workload_flags(&p.satisfaction().workload);
    }
}

fn use_rate_report(report: &RateReport) {
    let p = policy();
    let _ = report.render(p.satisfaction());
    let _ = report.sheet(p.satisfaction()).render();
    let mut merged = report.clone();
    let _ = merged.merge(report);
}

fn use_exceptions(report: &ExceptionsReport) {
    let _ = report.render();
    let mut merged = report.clone();
    merged.merge(report);
}

fn use_questionnaire(q: &Questionnaire) {
    let mut factors = FactorTally::default();
    factors.add(q, &policy().satisfaction().bands);
    let _ = serde_json::to_string(&factors);
}

fn use_history(h: &MaintenanceHistory) {
    let _ = h.schedule(day(2026, 3, 1), Some(Km(9_000)), policy().maintenance());
}

fn use_schedule(s: &MaintenanceSchedule) {
    let _ = s.next_due_date();
    let _ = s.next_due_items();
}

fn use_profile(profile: &CareProfile) {
    if let Ok(calendar) = care_calendar([profile], day(2026, 1, 1), day(2026, 12, 31), policy()) {
        let _ = calendar.render();
    }
}

fn use_calendar(calendar: &CareCalendar) {
    let _ = calendar.render();
}

fn use_car(car: &HouseholdCar) {
    let _ = entitlements(
        car,
        &seeds().repairs,
        ts("2025-12-01T09:00:00+08:00"),
        Km(20_000),
        &ThreeGuaranteesPolicy::default(),
    );
}

#[allow(clippy::ptr_arg)] // the exercise of the target type `Vec<QualityRepair>`
fn use_repairs(repairs: &Vec<QualityRepair>) {
    let _ = entitlements(
        &seeds().car,
        repairs,
        ts("2025-12-01T09:00:00+08:00"),
        Km(20_000),
        &ThreeGuaranteesPolicy::default(),
    );
}

fn use_dealer_calendar(calendar: &DealerCalendar) {
    let _ = calendar.validate();
    let _ = calendar.is_closed(day(2026, 11, 24));
}

fn use_settlement(list: &aftersales::SettlementList) {
    let _ = list.render();
    let _ = list.consent_missing().count();
}

fn nothing<T>(_: &T) {}

// ---------------------------------------------------------------------------
// One property per target
// ---------------------------------------------------------------------------

/// The usual number of cases per target (`PROPTEST_CASES` overrides it).
const CASES: u32 = 48;

macro_rules! hostile_targets {
    ($($name:ident: $ty:ty = $seed:expr, $use:expr;)*) => {
        $(
            proptest! {
                #![proptest_config(support::cases(CASES))]

                #[test]
                fn $name((edits, dup) in edits()) {
                    static SEED: OnceLock<Value> = OnceLock::new();
                    let exercise: &dyn Fn(&$ty) = &$use;
                    let seed = SEED.get_or_init(|| seed_of::<$ty>(&$seed, exercise));
                    let result = hostile_case::<$ty>(stringify!($ty), seed, &edits, dup.as_ref(), exercise);
                    print_tolerated(stringify!($name));
                    result?;
                }
            }
        )*
    };
}

hostile_targets! {
    policy_default: Policy = Policy::default(), use_policy;
    policy_training_course: Policy = Policy::preset(Source::TrainingCourse), use_policy;
    work_order_events: Vec<WorkOrderEvent> = seeds().order_events.clone(), use_order_log;
    follow_up_events: Vec<FollowUpEvent> = seeds().task_events.clone(), use_task_log;
    complaint_events: Vec<ComplaintEvent> = seeds().complaint_events.clone(), use_complaint_log;
    customer_file_events: Vec<CustomerFileEvent> = seeds().file_events.clone(), use_file_log;
    journey: Journey = seeds().journey.clone(), use_journey;
    audit_result: Audit = seeds().audit.clone(), use_audit;
    exceptions_report: ExceptionsReport = seeds().exceptions.clone(), use_exceptions;
    rate_records: Vec<RateRecord> = seeds().rate_records.clone(), use_rate_records;
    rate_report: RateReport = seeds().rate_report.clone(), use_rate_report;
    complaint_stats: ComplaintStats = seeds().complaint_stats.clone(), nothing;
    nps_tally: NpsTally = seeds().nps.clone(), nothing;
    factor_tally: FactorTally = seeds().factors.clone(), nothing;
    delivery: Delivery = seeds().delivery.clone(), use_delivery;
    questionnaire: Questionnaire = seeds().questionnaire.clone(), use_questionnaire;
    maintenance_history: MaintenanceHistory = seeds().history.clone(), use_history;
    maintenance_schedule: MaintenanceSchedule = seeds().schedule.clone(), use_schedule;
    care_profile: CareProfile = seeds().profile.clone(), use_profile;
    care_calendar_report: CareCalendar = seeds().calendar.clone(), use_calendar;
    household_car: HouseholdCar = seeds().car.clone(), use_car;
    quality_repairs: Vec<QualityRepair> = seeds().repairs.clone(), use_repairs;
    dealer_calendar: DealerCalendar = DealerCalendar::default(), use_dealer_calendar;
    three_guarantees_entitlements: Vec<aftersales::Entitlement> = seeds().entitlements.clone(), nothing;
    settlement_list: aftersales::SettlementList = seeds().settlement.clone(), use_settlement;
    card_analysis: aftersales::CardAnalysis = seeds().cards.clone(), nothing;
    file_counters: aftersales::Counters = seeds().counters.clone(), nothing;
}

// ---------------------------------------------------------------------------
// Every preset, and the reports that hostile documents cannot reach
// ---------------------------------------------------------------------------

#[test]
fn every_preset_round_trips_and_runs_the_story() {
    for source in Source::ALL {
        let preset = Policy::preset(source);
        let seed = seed_of::<Policy>(&preset, &use_policy);
        assert!(seed.is_object(), "{source:?}");
    }
}

/// A finding counted against nobody must be storable (item 2): the report
/// round-trips through `to_string` and `to_value`.
#[test]
fn a_report_with_a_finding_against_nobody_round_trips() {
    let p = policy();
    let finding = Finding {
        rule: RuleId::Fu10,
        severity: Severity::Major,
        subject: Subject::Order(seeds().order.clone()),
        at: Some(ts("2026-11-25T10:00:00+08:00")),
        advisor: None,
        team: None,
        facts: vec![],
        explanation_en: "documents never handed over".into(),
        explanation_zh: "维修资料未移交".into(),
    };
    let mut report = ExceptionsReport::new(day(2026, 11, 1), day(2026, 11, 30));
    report.add(&finding, p);
    assert_eq!(report.totals.total, 1);
    let text = serde_json::to_string(&report).unwrap_or_default();
    match load::<ExceptionsReport>(&text, &use_exceptions) {
        Ok(Some(_)) => {}
        Ok(None) => {
            let error = serde_json::to_string(&report).err().map(|e| e.to_string());
            let failure = Failure::Serialize(error.unwrap_or_else(|| "refused on load".into()));
            assert!(
                failure.class(&Expectations::default()) == Some(Defect::AdvisorKey)
                    && tolerate(Defect::AdvisorKey),
                "{failure:?}"
            );
        }
        Err(failure) => panic!("{failure:?}"),
    }
}

// ---------------------------------------------------------------------------
// The machinery itself
// ---------------------------------------------------------------------------

/// Some index (the documents below have one candidate node each).
fn any_index() -> Index {
    use proptest::strategy::ValueTree;
    any::<Index>()
        .new_tree(&mut proptest::test_runner::TestRunner::deterministic())
        .unwrap()
        .current()
}

#[test]
fn a_duplicate_field_and_a_raw_number_are_written_as_asked() {
    let doc = serde_json::json!({"b": "1.5"});
    let (text, _, expect) = mutate(
        &doc,
        &[Edit::Decimal(
            any_index(),
            Extreme {
                text: "12345678901234567890123",
                raw: true,
                exact: None,
            },
        )],
        Some(&(any_index(), any_index(), None)),
    );
    assert_eq!(
        text,
        r#"{"b":12345678901234567890123,"b":12345678901234567890123}"#
    );
    assert_eq!(expect.decimals.len(), 1);
    // A duplicated field of a struct is refused.
    assert!(
        serde_json::from_str::<DealerCalendar>(
            r#"{"utc_offset_minutes":480,"utc_offset_minutes":0}"#
        )
        .is_err()
    );
}

#[test]
fn a_rounded_decimal_is_caught() {
    // Hours hold what a decimal holds; 29 places do not fit.
    let doc = Value::String("1.5".into());
    let (text, doc, expect) = mutate(
        &doc,
        &[Edit::Decimal(
            any_index(),
            Extreme {
                text: "0.00000000000000000000000000001",
                raw: false,
                exact: None,
            },
        )],
        None,
    );
    assert_eq!(text, r#""0.00000000000000000000000000001""#);
    match load::<aftersales::Hours>(&text, &nothing) {
        Ok(None) => {} // refused: what the fix of item 4 does
        Ok(Some(json)) => assert!(matches!(
            check_loaded::<aftersales::Hours>(&json, &doc, &expect, &nothing),
            Err(Failure::DigitsLost { .. })
        )),
        Err(failure) => panic!("{failure:?}"),
    }
}

#[test]
fn a_panic_is_caught_and_reported_not_printed() {
    let result: Result<(), String> = guarded(|| panic!("boom {}", 42));
    let message = result.unwrap_err();
    assert!(message.contains("boom 42"), "{message}");
    let mut s = String::new();
    write!(s, "{}", guarded(|| 7).unwrap()).unwrap();
    assert_eq!(s, "7");
}
