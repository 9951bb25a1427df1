//! The C-card's counters (CUS-05), derived from the visit history at a
//! reference date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::policy::CounterWindows;
use super::visit::{Visit, VisitKind};
use crate::ids::WorkOrderNo;
use crate::units::Km;

/// The first day of the window of `months` months that ends on `at`: the
/// day after the same day `months` months earlier. When that month is
/// shorter, the same day is its last day, so the window of 6 months ending
/// on 31 March starts on 1 October (31 March − 6 months = 30 September).
/// `None` when the date would fall before the calendar's start.
///
/// ```
/// use aftersales::window_start;
/// use chrono::NaiveDate;
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(window_start(d(2026, 3, 31), 6), Some(d(2025, 10, 1)));
/// assert_eq!(window_start(d(2026, 8, 31), 6), Some(d(2026, 3, 1))); // 28 Feb + 1
/// assert_eq!(window_start(d(2026, 3, 15), 12), Some(d(2025, 3, 16)));
/// ```
pub fn window_start(at: NaiveDate, months: u32) -> Option<NaiveDate> {
    at.checked_sub_months(Months::new(months))
        .and_then(|d| d.succ_opt())
}

/// What the visit history says at a date (CUS-05): the C-card's
/// 半年内/一年内/三年内来店次数, 第一次/第二次/最近来店日期, 行驶里程 and the last
/// order. Visits after the date are not counted; a visit on the date is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counters {
    /// The reference date.
    pub at: NaiveDate,
    /// Visits in the short window (half a year).
    pub visits_short: u32,
    /// Visits in the medium window (one year).
    pub visits_medium: u32,
    /// Visits in the long window (three years).
    pub visits_long: u32,
    /// All visits up to the date.
    pub visits_total: u32,
    /// The first visit (第一次来店日期).
    pub first_visit: Option<NaiveDate>,
    /// The second visit (第二次来店日期); the same day as the first when
    /// the customer came twice that day.
    pub second_visit: Option<NaiveDate>,
    /// The last visit (最近来店日期).
    pub last_visit: Option<NaiveDate>,
    /// The odometer at the last visit that read it (行驶里程).
    pub mileage: Option<Km>,
    /// The order of the last visit that had one (维修单号).
    pub last_order: Option<WorkOrderNo>,
    /// Whether the first maintenance (首保) was done here (首保是否来我店).
    pub first_maintenance_here: bool,
}

impl Counters {
    /// The counters of `visits`, in any order, at `at`.
    ///
    /// ```
    /// use aftersales::{CounterWindows, Counters, Visit, VisitKind};
    /// use chrono::NaiveDate;
    ///
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let visits = [
    ///     Visit::new(d(2023, 5, 2), VisitKind::FirstMaintenance),
    ///     Visit::new(d(2025, 9, 30), VisitKind::Repair),
    ///     Visit::new(d(2025, 10, 1), VisitKind::Maintenance),
    /// ];
    /// let c = Counters::from_visits(&visits, d(2026, 3, 31), &CounterWindows::default());
    /// // The half year ending 31 March starts on 1 October.
    /// assert_eq!((c.visits_short, c.visits_medium, c.visits_long), (1, 2, 3));
    /// assert_eq!(c.second_visit, Some(d(2025, 9, 30)));
    /// assert!(c.first_maintenance_here);
    /// ```
    pub fn from_visits(visits: &[Visit], at: NaiveDate, windows: &CounterWindows) -> Counters {
        let starts = [
            window_start(at, windows.short_months),
            window_start(at, windows.medium_months),
            window_start(at, windows.long_months),
        ];
        let mut counts = [0u32; 3];
        let mut total = 0u32;
        let mut first: Option<NaiveDate> = None;
        let mut second: Option<NaiveDate> = None;
        let mut last: Option<NaiveDate> = None;
        let mut mileage: Option<(NaiveDate, Km)> = None;
        let mut last_order: Option<(NaiveDate, &WorkOrderNo)> = None;
        let mut first_maintenance_here = false;
        for visit in visits.iter().filter(|v| v.date <= at) {
            let date = visit.date;
            total = total.saturating_add(1);
            for (count, start) in counts.iter_mut().zip(starts) {
                if start.is_none_or(|s| date >= s) {
                    *count = count.saturating_add(1);
                }
            }
            match first {
                Some(f) if date >= f => {
                    if second.is_none_or(|s| date < s) {
                        second = Some(date);
                    }
                }
                _ => {
                    second = first;
                    first = Some(date);
                }
            }
            if last.is_none_or(|l| date > l) {
                last = Some(date);
            }
            if let Some(km) = visit.odometer {
                if mileage.is_none_or(|(d, k)| (date, km) > (d, k)) {
                    mileage = Some((date, km));
                }
            }
            if let Some(order) = &visit.order {
                if last_order.is_none_or(|(d, o)| (date, order) > (d, o)) {
                    last_order = Some((date, order));
                }
            }
            first_maintenance_here |= visit.kind == VisitKind::FirstMaintenance;
        }
        let [visits_short, visits_medium, visits_long] = counts;
        Counters {
            at,
            visits_short,
            visits_medium,
            visits_long,
            visits_total: total,
            first_visit: first,
            second_visit: second,
            last_visit: last,
            mileage: mileage.map(|(_, km)| km),
            last_order: last_order.map(|(_, o)| o.clone()),
            first_maintenance_here,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn second_visit_in_any_order() {
        let visits = [
            Visit::new(d(2026, 3, 1), VisitKind::Repair),
            Visit::new(d(2026, 1, 1), VisitKind::Repair),
            Visit::new(d(2026, 2, 1), VisitKind::Repair),
            Visit::new(d(2026, 1, 1), VisitKind::Repair),
        ];
        let c = Counters::from_visits(&visits, d(2026, 12, 31), &CounterWindows::default());
        assert_eq!(c.first_visit, Some(d(2026, 1, 1)));
        assert_eq!(c.second_visit, Some(d(2026, 1, 1)));
        assert_eq!(c.last_visit, Some(d(2026, 3, 1)));
        let c = Counters::from_visits(&visits[..3], d(2026, 12, 31), &CounterWindows::default());
        assert_eq!(c.second_visit, Some(d(2026, 2, 1)));
    }
}
