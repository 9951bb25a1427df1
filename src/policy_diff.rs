//! How a policy differs from another: [`Policy::changes_from`],
//! [`Policy::changes_from_default`] and [`render_changes`].
//!
//! Both policies are flattened through their serde form into one line per
//! scalar, named by its dotted path (`follow_up.after_sales_window.from_days`):
//! struct fields and map keys add a segment, list items add their index,
//! an enum is its variant name, an absent option is `none`. The lines that
//! differ are the changes, sorted by path (indices numerically).
//!
//! ```
//! use aftersales::{Policy, Source, render_changes};
//!
//! let mut estimate = Policy::default().estimate().clone();
//! estimate.vat_rate = "9".parse()?;
//! let policy = Policy::preset(Source::CoreProcess).with_estimate(estimate)?;
//! let changes = policy.changes_from_default();
//! let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
//! assert_eq!(paths, ["estimate.vat_rate", "follow_up.after_sales_window.from_days"]);
//! assert_eq!(changes[1].to_string(), "`follow_up.after_sales_window.from_days`: `3` → `1`");
//! assert!(render_changes(&changes).contains("estimate.vat_rate"));
//! assert!(Policy::default().changes_from_default().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::ser::{self, Serialize};
use serde::{Deserialize, Serialize as SerializeDerive};

use crate::policy::Policy;
use crate::text::{left, width};

/// One parameter whose value differs between two policies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, SerializeDerive, Deserialize)]
pub struct PolicyChange {
    /// The dotted path of the parameter, as in the policy's JSON
    /// (`follow_up.after_sales_window.from_days`; list items by index).
    pub path: String,
    /// The value in the base policy; `-` when the base has no such path
    /// (a shorter list, an option that is `none`, another window shape).
    pub base: String,
    /// The value in the policy compared; `-` when it has no such path.
    pub value: String,
}

impl fmt::Display for PolicyChange {
    /// `` `path`: `base` → `value` ``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: `{}` → `{}`", self.path, self.base, self.value)
    }
}

/// What a side shows for a path it does not have.
const ABSENT: &str = "-";

impl Policy {
    /// Every parameter whose value differs from `base`, sorted by path.
    ///
    /// Both policies always flatten; should a future section ever fail to
    /// serialize, the answer is a single change with an empty path whose
    /// value says why.
    ///
    /// ```
    /// use aftersales::{Policy, Source};
    ///
    /// let core = Policy::preset(Source::CoreProcess);
    /// let textbook = Policy::preset(Source::Textbook);
    /// // Days 1–7 against days 1–3: only the end moves.
    /// let changes: Vec<String> = textbook.changes_from(&core).iter().map(ToString::to_string).collect();
    /// assert_eq!(changes, ["`follow_up.after_sales_window.to_days`: `7` → `3`"]);
    /// ```
    pub fn changes_from(&self, base: &Policy) -> Vec<PolicyChange> {
        let (mine, theirs) = match (flatten(self), flatten(base)) {
            (Ok(mine), Ok(theirs)) => (mine, theirs),
            (Err(e), _) | (_, Err(e)) => {
                return vec![PolicyChange {
                    path: String::new(),
                    base: ABSENT.to_owned(),
                    value: format!("the policies cannot be compared: {e}"),
                }];
            }
        };
        let mut sides: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
        for (path, text) in theirs {
            sides.entry(path).or_default().0 = Some(text);
        }
        for (path, text) in mine {
            sides.entry(path).or_default().1 = Some(text);
        }
        let mut changes: Vec<PolicyChange> = sides
            .into_iter()
            .filter(|(_, (b, v))| b != v)
            .map(|(path, (b, v))| PolicyChange {
                path,
                base: b.unwrap_or_else(|| ABSENT.to_owned()),
                value: v.unwrap_or_else(|| ABSENT.to_owned()),
            })
            .collect();
        changes.sort_by(|a, b| path_order(&a.path, &b.path));
        changes
    }

    /// Every parameter whose value differs from [`Policy::default`]:
    /// [`Policy::changes_from`] the default.
    pub fn changes_from_default(&self) -> Vec<PolicyChange> {
        self.changes_from(&Policy::default())
    }
}

/// The changes as a table, one row per change, with a bilingual heading;
/// a line saying so when there are none.
///
/// ```
/// use aftersales::{Policy, Source, render_changes};
///
/// let text = render_changes(&Policy::preset(Source::Textbook).changes_from_default());
/// assert_eq!(
///     text,
///     "策略差异 Policy changes: 2\n\
///      参数路径                                基准  取值\n\
///      Path                                    Base  Value\n\
///      follow_up.after_sales_window.from_days  3     1\n\
///      follow_up.after_sales_window.to_days    7     3\n"
/// );
/// assert_eq!(render_changes(&[]), "策略差异 Policy changes: 0 (与基准相同 same as the base)\n");
/// ```
pub fn render_changes(changes: &[PolicyChange]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("策略差异 Policy changes: 0 (与基准相同 same as the base)\n");
        return out;
    }
    let _ = writeln!(out, "策略差异 Policy changes: {}", changes.len());
    let headings = [("参数路径", "Path"), ("基准", "Base"), ("取值", "Value")];
    let mut widths = headings.map(|(zh, en)| width(zh).max(width(en)));
    for c in changes {
        for (w, cell) in widths.iter_mut().zip([&c.path, &c.base, &c.value]) {
            *w = (*w).max(width(cell));
        }
    }
    let mut line = |cells: [&str; 3]| {
        let mut row = String::new();
        for (cell, w) in cells.iter().zip(widths) {
            row.push_str(&left(cell, w));
            row.push_str("  ");
        }
        out.push_str(row.trim_end());
        out.push('\n');
    };
    line(headings.map(|(zh, _)| zh));
    line(headings.map(|(_, en)| en));
    for c in changes {
        line([&c.path, &c.base, &c.value]);
    }
    out
}

/// Paths segment by segment, numeric segments (list indices) by value.
fn path_order(a: &str, b: &str) -> Ordering {
    let mut left = a.split('.');
    let mut right = b.split('.');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let order = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(i), Ok(j)) => i.cmp(&j),
                    _ => x.cmp(y),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// `value` as (dotted path, scalar text) pairs, in serialization order.
fn flatten<T: Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, FlatError> {
    let mut out = Vec::new();
    value.serialize(Leaf {
        out: &mut out,
        path: String::new(),
    })?;
    Ok(out)
}

/// `path.segment`, or `segment` at the root.
fn join(path: &str, segment: &str) -> String {
    if path.is_empty() {
        segment.to_owned()
    } else {
        format!("{path}.{segment}")
    }
}

/// Why a value could not be flattened: only a `Serialize` implementation
/// that reports its own error.
#[derive(Debug)]
struct FlatError(String);

impl fmt::Display for FlatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FlatError {}

impl ser::Error for FlatError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FlatError(msg.to_string())
    }
}

/// Serializes one value found at `path` into `out`.
struct Leaf<'a> {
    out: &'a mut Vec<(String, String)>,
    path: String,
}

impl<'a> Leaf<'a> {
    fn scalar(self, text: impl Into<String>) -> Result<(), FlatError> {
        self.out.push((self.path, text.into()));
        Ok(())
    }

    /// A compound at this path, or under `variant` for an enum variant.
    fn compound(self, variant: Option<&str>, empty: &'static str) -> Compound<'a> {
        let path = match variant {
            Some(v) => join(&self.path, v),
            None => self.path,
        };
        Compound {
            out: self.out,
            path,
            index: 0,
            any: false,
            empty,
            key: None,
        }
    }
}

/// A list, tuple, map or struct being flattened.
struct Compound<'a> {
    out: &'a mut Vec<(String, String)>,
    path: String,
    /// The next list index.
    index: usize,
    /// Whether anything was written; an empty compound writes `empty`.
    any: bool,
    empty: &'static str,
    /// The text of a map key waiting for its value.
    key: Option<String>,
}

impl Compound<'_> {
    fn child<T: Serialize + ?Sized>(&mut self, segment: &str, value: &T) -> Result<(), FlatError> {
        self.any = true;
        value.serialize(Leaf {
            out: self.out,
            path: join(&self.path, segment),
        })
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        let segment = self.index.to_string();
        self.index = self.index.saturating_add(1);
        self.child(&segment, value)
    }

    fn finish(self) -> Result<(), FlatError> {
        if !self.any {
            self.out.push((self.path, self.empty.to_owned()));
        }
        Ok(())
    }
}

impl<'a> ser::Serializer for Leaf<'a> {
    type Ok = ();
    type Error = FlatError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_i128(self, v: i128) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_u128(self, v: u128) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    // The policy has no floating-point field (amounts and rates are exact
    // decimals); serde's trait asks for these two all the same.
    fn serialize_f32(self, v: f32) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_f64(self, v: f64) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_char(self, v: char) -> Result<(), FlatError> {
        self.scalar(v.to_string())
    }
    fn serialize_str(self, v: &str) -> Result<(), FlatError> {
        self.scalar(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), FlatError> {
        let hex = v.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
        self.scalar(hex)
    }
    fn serialize_none(self) -> Result<(), FlatError> {
        self.scalar("none")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FlatError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), FlatError> {
        self.scalar("()")
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<(), FlatError> {
        self.scalar(name)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), FlatError> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        let path = join(&self.path, variant);
        value.serialize(Leaf {
            out: self.out,
            path,
        })
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(None, "[]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(None, "[]"))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(None, "[]"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Some(variant), "[]"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(None, "{}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(None, "{}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, FlatError> {
        Ok(self.compound(Some(variant), "{}"))
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        self.element(value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FlatError> {
        // A key is flattened like any value; a scalar key is its text.
        let parts = flatten(key)?;
        let text = match parts.as_slice() {
            [(path, text)] if path.is_empty() => text.clone(),
            _ => parts
                .iter()
                .map(|(p, t)| format!("{p}={t}"))
                .collect::<Vec<_>>()
                .join(","),
        };
        self.key = Some(text);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlatError> {
        let key = self.key.take().unwrap_or_default();
        self.child(&key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        self.child(key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = FlatError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), FlatError> {
        self.child(key, value)
    }
    fn end(self) -> Result<(), FlatError> {
        self.finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        Dot,
        Circle(u32),
        Pair(u8, u8),
        Box { w: u32, h: u32 },
    }

    #[derive(Serialize)]
    struct Sample {
        name: &'static str,
        list: Vec<u32>,
        empty: Vec<u32>,
        maybe: Option<u8>,
        shapes: Vec<Shape>,
        map: BTreeMap<&'static str, bool>,
    }

    #[test]
    fn flattening_covers_the_data_model() {
        let sample = Sample {
            name: "a",
            list: vec![1, 2],
            empty: Vec::new(),
            maybe: None,
            shapes: vec![
                Shape::Dot,
                Shape::Circle(3),
                Shape::Pair(4, 5),
                Shape::Box { w: 6, h: 7 },
            ],
            map: BTreeMap::from([("k", true)]),
        };
        let flat = flatten(&sample).unwrap();
        let text: Vec<String> = flat.iter().map(|(p, t)| format!("{p}={t}")).collect();
        assert_eq!(
            text,
            [
                "name=a",
                "list.0=1",
                "list.1=2",
                "empty=[]",
                "maybe=none",
                "shapes.0=dot",
                "shapes.1.circle=3",
                "shapes.2.pair.0=4",
                "shapes.2.pair.1=5",
                "shapes.3.box.w=6",
                "shapes.3.box.h=7",
                "map.k=true",
            ]
        );
    }

    #[test]
    fn paths_sort_indices_by_value() {
        let mut paths = vec!["a.10", "a.2", "a.b", "a", "a.2.x"];
        paths.sort_by(|x, y| path_order(x, y));
        assert_eq!(paths, ["a", "a.2", "a.2.x", "a.10", "a.b"]);
    }
}
