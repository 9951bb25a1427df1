//! The parts warranty of each part line (EST-03): months by the part's
//! origin, from the policy's [`PartWarrantyMonths`], counted from the
//! delivery date.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::PartNo;
use crate::policy::PartWarrantyMonths;
use crate::work_order::estimate::{Item, ItemNo, LineKind, PartOrigin};

/// The parts warranty of one part line (EST-03): an OEM part carries the
/// policy's OEM months, an aftermarket or reconditioned part its own.
///
/// The period starts on the delivery date and, as periods in months do
/// under the civil law (民法典 Arts. 201, 202), ends on the same day of the
/// last month, or that month's last day when it has no such day: a part
/// delivered on 31 January with 1 month ends on 28 (or 29) February. The
/// last day is covered.
///
/// ```
/// use aftersales::{ItemNo, PartNo, PartOrigin, PartWarranty};
///
/// let w = PartWarranty::new(
///     ItemNo(4),
///     PartNo::try_new("8W0615601C")?,
///     "rear brake disc pair",
///     PartOrigin::Oem,
///     12,
///     Some("2026-11-24".parse()?),
/// );
/// assert_eq!(w.until.map(|d| d.to_string()).as_deref(), Some("2027-11-24"));
/// assert!(w.covers("2027-11-24".parse()?));
/// assert!(!w.covers("2027-11-25".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartWarranty {
    /// The item the part belongs to.
    pub item: ItemNo,
    /// The part number.
    pub part_no: PartNo,
    /// What the part is.
    pub description: String,
    /// Its origin.
    pub origin: PartOrigin,
    /// Months of warranty for that origin.
    pub months: u32,
    /// The first day: the delivery date; `None` before delivery.
    pub from: Option<NaiveDate>,
    /// The last covered day; `None` before delivery.
    pub until: Option<NaiveDate>,
}

impl PartWarranty {
    /// The warranty of a part of `origin` with `months`, from the delivery
    /// date `from` if the vehicle is delivered. A last day beyond the
    /// calendar saturates.
    pub fn new(
        item: ItemNo,
        part_no: PartNo,
        description: impl Into<String>,
        origin: PartOrigin,
        months: u32,
        from: Option<NaiveDate>,
    ) -> Self {
        let until = from.map(|d| {
            d.checked_add_months(Months::new(months))
                .unwrap_or(NaiveDate::MAX)
        });
        PartWarranty {
            item,
            part_no,
            description: description.into(),
            origin,
            months,
            from,
            until,
        }
    }

    /// Whether a failure on `date` is inside the warranty: from the
    /// delivery date to the last day, both included. Before delivery
    /// nothing is covered yet.
    pub fn covers(&self, date: NaiveDate) -> bool {
        match (self.from, self.until) {
            (Some(from), Some(until)) => from <= date && date <= until,
            _ => false,
        }
    }

    /// The warranty in Chinese, e.g. `原厂件，保修12个月，2026-11-24至2027-11-24`.
    pub fn label_zh(&self) -> String {
        let period = match (self.from, self.until) {
            (Some(from), Some(until)) => format!("，{from}至{until}"),
            _ => "，自交车之日起".to_owned(),
        };
        format!(
            "{}件，保修{}个月{period}",
            self.origin.label_zh(),
            self.months
        )
    }

    /// The warranty in English, e.g. `OEM, 12 months warranty,
    /// 2026-11-24 to 2027-11-24`.
    pub fn label_en(&self) -> String {
        let period = match (self.from, self.until) {
            (Some(from), Some(until)) => format!(", {from} to {until}"),
            _ => ", from delivery".to_owned(),
        };
        format!(
            "{}, {} months warranty{period}",
            self.origin.label_en(),
            self.months
        )
    }
}

impl fmt::Display for PartWarranty {
    /// The part and its warranty in Chinese and English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}: {} / {}",
            self.item,
            self.part_no,
            self.description,
            self.label_zh(),
            self.label_en()
        )
    }
}

/// The warranties of the part lines of the authorized items, in item and
/// line order.
pub(crate) fn of_items<'a>(
    items: impl IntoIterator<Item = &'a Item>,
    months: &PartWarrantyMonths,
    from: Option<NaiveDate>,
) -> Vec<PartWarranty> {
    items
        .into_iter()
        .filter(|i| i.status.is_authorized())
        .flat_map(|i| i.lines.iter().map(move |l| (i.no, l)))
        .filter_map(|(no, line)| match &line.kind {
            LineKind::Part {
                part_no,
                description,
                origin,
                ..
            } => Some(PartWarranty::new(
                no,
                part_no.clone(),
                description.clone(),
                *origin,
                months.for_origin(*origin),
                from,
            )),
            _ => None,
        })
        .collect()
}
