//! Estimate lines, items and totals (EST-01 … EST-04, WO-25, WO-26, WO-29,
//! WO-30).

use std::fmt;

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::ids::{PartNo, StaffId};
use crate::money::{Currency, Money, MoneyError};
use crate::policy::{AuthorityRole, EstimatePolicy, GrantOutcome};
use crate::units::{Hours, Quantity};

/// An item's number on its order, starting at 1 (`#1`, `#2` …). The order
/// assigns numbers in the order items are proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemNo(pub u16);

impl fmt::Display for ItemNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Where a part comes from (EST-03, REG-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartOrigin {
    /// Original-equipment part (原厂件).
    Oem,
    /// Quality aftermarket, a named brand (品牌副厂件).
    QualityAftermarket,
    /// Other aftermarket (其他副厂件).
    OtherAftermarket,
    /// Reconditioned (修复件).
    Reconditioned,
}

impl PartOrigin {
    /// Whether this is not an OEM part.
    pub const fn is_aftermarket(self) -> bool {
        !matches!(self, PartOrigin::Oem)
    }

    /// Chinese label as printed on a settlement list.
    pub const fn label_zh(self) -> &'static str {
        match self {
            PartOrigin::Oem => "原厂",
            PartOrigin::QualityAftermarket => "品牌副厂",
            PartOrigin::OtherAftermarket => "副厂",
            PartOrigin::Reconditioned => "修复",
        }
    }

    /// English label as printed on a settlement list.
    pub const fn label_en(self) -> &'static str {
        match self {
            PartOrigin::Oem => "OEM",
            PartOrigin::QualityAftermarket => "quality aftermarket",
            PartOrigin::OtherAftermarket => "aftermarket",
            PartOrigin::Reconditioned => "reconditioned",
        }
    }
}

/// Whether a part is on hand (WO-08, WO-30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum PartAvailability {
    /// Not yet checked with the parts store; blocks the estimate (WO-08).
    Unconfirmed,
    /// In stock.
    InStock,
    /// Ordered; expected to arrive at the given time.
    Expected {
        /// Expected arrival.
        arrival: DateTime<FixedOffset>,
    },
}

impl PartAvailability {
    /// The expected arrival, for a part on order.
    pub(crate) fn arrival(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            PartAvailability::Unconfirmed | PartAvailability::InStock => None,
            PartAvailability::Expected { arrival } => Some(*arrival),
        }
    }
}

/// A discount on one line, with who granted it (EST-08).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Discount {
    /// The amount taken off the line.
    pub amount: Money,
    /// Who granted it.
    pub granted_by: StaffId,
    /// In which role; the amount must be within that role's cap.
    pub role: AuthorityRole,
}

/// What an estimate line charges for (EST-02).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LineKind {
    /// Labour: standard hours × hourly rate (EST-09).
    Labour {
        /// The operation, e.g. "replace front brake pads".
        operation: String,
        /// Standard hours for the operation.
        standard_hours: Hours,
        /// Price per hour.
        hourly_rate: Money,
    },
    /// A part: quantity × unit price.
    Part {
        /// Part number.
        part_no: PartNo,
        /// Description.
        description: String,
        /// Quantity.
        quantity: Quantity,
        /// Price per unit.
        unit_price: Money,
        /// Origin (EST-03).
        origin: PartOrigin,
        /// Availability (WO-08, WO-30).
        availability: PartAvailability,
    },
    /// Materials and consumables: quantity × unit price.
    Material {
        /// Description.
        description: String,
        /// Quantity.
        quantity: Quantity,
        /// Price per unit.
        unit_price: Money,
    },
    /// Work given out to another shop, at a fixed amount.
    Sublet {
        /// Description.
        description: String,
        /// The shop doing the work.
        vendor: String,
        /// Amount.
        amount: Money,
    },
}

/// One line of an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EstimateLine {
    /// What it charges for.
    pub kind: LineKind,
    /// An optional discount.
    pub discount: Option<Discount>,
}

impl EstimateLine {
    /// The expected arrival of a part on order; `None` for any other line.
    pub(crate) fn arrival(&self) -> Option<DateTime<FixedOffset>> {
        match &self.kind {
            LineKind::Part { availability, .. } => availability.arrival(),
            LineKind::Labour { .. } | LineKind::Material { .. } | LineKind::Sublet { .. } => None,
        }
    }

    /// A labour line.
    pub fn labour(operation: impl Into<String>, standard_hours: Hours, hourly_rate: Money) -> Self {
        EstimateLine {
            kind: LineKind::Labour {
                operation: operation.into(),
                standard_hours,
                hourly_rate,
            },
            discount: None,
        }
    }

    /// A part line.
    pub fn part(
        part_no: PartNo,
        description: impl Into<String>,
        quantity: Quantity,
        unit_price: Money,
        origin: PartOrigin,
        availability: PartAvailability,
    ) -> Self {
        EstimateLine {
            kind: LineKind::Part {
                part_no,
                description: description.into(),
                quantity,
                unit_price,
                origin,
                availability,
            },
            discount: None,
        }
    }

    /// A material line.
    pub fn material(description: impl Into<String>, quantity: Quantity, unit_price: Money) -> Self {
        EstimateLine {
            kind: LineKind::Material {
                description: description.into(),
                quantity,
                unit_price,
            },
            discount: None,
        }
    }

    /// A sublet line.
    pub fn sublet(
        description: impl Into<String>,
        vendor: impl Into<String>,
        amount: Money,
    ) -> Self {
        EstimateLine {
            kind: LineKind::Sublet {
                description: description.into(),
                vendor: vendor.into(),
                amount,
            },
            discount: None,
        }
    }

    /// This line with a discount.
    #[must_use]
    pub fn with_discount(mut self, discount: Discount) -> Self {
        self.discount = Some(discount);
        self
    }

    /// The line amount before discount, rounded half up to `scale` places
    /// (EST-01: rounding happens at the line level).
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn gross_amount(&self, scale: u32) -> Result<Money, MoneyError> {
        let raw = match &self.kind {
            LineKind::Labour {
                standard_hours,
                hourly_rate,
                ..
            } => hourly_rate.checked_mul(standard_hours.get())?,
            LineKind::Part {
                quantity,
                unit_price,
                ..
            }
            | LineKind::Material {
                quantity,
                unit_price,
                ..
            } => unit_price.checked_mul(quantity.get())?,
            LineKind::Sublet { amount, .. } => *amount,
        };
        Ok(raw.round(scale))
    }

    /// The discount, rounded, or zero.
    fn discount_amount(&self, currency: Currency, scale: u32) -> Money {
        self.discount
            .as_ref()
            .map_or_else(|| Money::zero(currency), |d| d.amount.round(scale))
    }

    /// The line amount after its discount.
    ///
    /// # Errors
    ///
    /// [`MoneyError`] on overflow or a discount in another currency.
    pub fn net_amount(&self, scale: u32) -> Result<Money, MoneyError> {
        let gross = self.gross_amount(scale)?;
        gross.checked_sub(self.discount_amount(gross.currency(), scale))
    }

    /// Standard hours if this is a labour line.
    pub fn standard_hours(&self) -> Option<Hours> {
        match &self.kind {
            LineKind::Labour { standard_hours, .. } => Some(*standard_hours),
            _ => None,
        }
    }

    /// Every money amount this line states (prices and discount), for
    /// currency and sign checks.
    pub(crate) fn stated_amounts(&self) -> impl Iterator<Item = (&'static str, Money)> + '_ {
        let price = match &self.kind {
            LineKind::Labour { hourly_rate, .. } => ("hourly_rate", *hourly_rate),
            LineKind::Part { unit_price, .. } | LineKind::Material { unit_price, .. } => {
                ("unit_price", *unit_price)
            }
            LineKind::Sublet { amount, .. } => ("amount", *amount),
        };
        std::iter::once(price).chain(self.discount.as_ref().map(|d| ("discount", d.amount)))
    }
}

/// Issue priority (WO-25): safety before function before comfort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Comfort or cosmetic (舒适性/美观).
    Comfort,
    /// Affects normal use (功能性).
    Functional,
    /// Safety-related (安全隐患).
    Safety,
}

/// Problem category (WO-26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCategory {
    /// Mechanical (机械).
    Mechanical,
    /// Electrical (电气).
    Electrical,
    /// Interior and comfort (内饰及舒适性).
    InteriorComfort,
    /// Software and intelligent systems (软件与智能系统).
    Software,
    /// Scheduled maintenance, not a fault.
    Maintenance,
}

/// An inclusive price range for a repair option (EST-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceRange {
    /// Lowest expected price.
    pub low: Money,
    /// Highest expected price.
    pub high: Money,
}

/// One way to fix an item, presented with its price range and trade-offs
/// so the customer can choose (EST-04).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RepairOption {
    /// Short name, e.g. "repair the gearbox valve body".
    pub title: String,
    /// Price range told to the customer.
    pub price_range: PriceRange,
    /// Advantages and drawbacks, in words; must not be empty.
    pub trade_offs: String,
    /// The lines that become the item's lines when chosen.
    pub lines: Vec<EstimateLine>,
}

/// What the advisor proposes as one item: a job the customer answers as a
/// whole.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ItemDraft {
    /// What is done, e.g. "replace front brake pads".
    pub title: String,
    /// Category (WO-26).
    pub category: ProblemCategory,
    /// Priority (WO-25).
    pub priority: Priority,
    /// The lines; empty when the item offers options instead.
    pub lines: Vec<EstimateLine>,
    /// Alternative repairs; the customer picks one at authorization (EST-04).
    pub options: Vec<RepairOption>,
}

impl ItemDraft {
    /// The expected arrivals of its parts on order, in its own lines and
    /// in every option's.
    pub(crate) fn arrivals(&self) -> impl Iterator<Item = DateTime<FixedOffset>> + '_ {
        self.lines
            .iter()
            .chain(self.options.iter().flat_map(|o| o.lines.iter()))
            .filter_map(EstimateLine::arrival)
    }

    /// An item with lines and no options.
    pub fn new(
        title: impl Into<String>,
        category: ProblemCategory,
        priority: Priority,
        lines: Vec<EstimateLine>,
    ) -> Self {
        ItemDraft {
            title: title.into(),
            category,
            priority,
            lines,
            options: Vec::new(),
        }
    }

    /// An item to be fixed one of several ways (EST-04).
    pub fn with_options(
        title: impl Into<String>,
        category: ProblemCategory,
        priority: Priority,
        options: Vec<RepairOption>,
    ) -> Self {
        ItemDraft {
            title: title.into(),
            category,
            priority,
            lines: Vec::new(),
            options,
        }
    }
}

/// Where an item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ItemOrigin {
    /// On the order before authorization.
    Original,
    /// Found during repair (增项), in the numbered discovery batch (WO-12).
    AddOn {
        /// Batch number, from 1.
        batch: u16,
    },
}

/// The number of an authorization record on its order, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuthorizationNo(pub u16);

/// An item's authorization status (WO-29), with the work's progress.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ItemStatus {
    /// Proposed, not yet answered by the customer.
    Recommended,
    /// Authorized by the given record; work not started.
    Authorized {
        /// The authorization record.
        by: AuthorizationNo,
    },
    /// Authorized and being worked on.
    InProgress {
        /// The authorization record.
        by: AuthorizationNo,
        /// Who works on it.
        technician: StaffId,
        /// Since when.
        started_at: DateTime<FixedOffset>,
    },
    /// Done and signed off by the technician (WO-14).
    Completed {
        /// The authorization record.
        by: AuthorizationNo,
        /// Who signed it off.
        technician: StaffId,
        /// When.
        completed_at: DateTime<FixedOffset>,
    },
    /// Declined by the customer (WO-13): never worked, not charged.
    Declined {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Deferred by the customer to a later visit: never worked, not charged.
    Deferred {
        /// When.
        at: DateTime<FixedOffset>,
    },
}

impl ItemStatus {
    /// The authorization record, for authorized, in-progress and completed
    /// items.
    pub fn authorization(&self) -> Option<AuthorizationNo> {
        match self {
            ItemStatus::Authorized { by }
            | ItemStatus::InProgress { by, .. }
            | ItemStatus::Completed { by, .. } => Some(*by),
            _ => None,
        }
    }

    /// Whether the item counts toward the authorized amount.
    pub fn is_authorized(&self) -> bool {
        self.authorization().is_some()
    }

    /// Whether the customer said no or not now.
    pub fn is_declined_or_deferred(&self) -> bool {
        matches!(
            self,
            ItemStatus::Declined { .. } | ItemStatus::Deferred { .. }
        )
    }
}

/// One item on a work order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Item {
    /// Its number on the order.
    pub no: ItemNo,
    /// What is done.
    pub title: String,
    /// Category (WO-26).
    pub category: ProblemCategory,
    /// Priority (WO-25).
    pub priority: Priority,
    /// Original or add-on.
    pub origin: ItemOrigin,
    /// The lines charged (the chosen option's lines once chosen).
    pub lines: Vec<EstimateLine>,
    /// Alternatives offered (EST-04).
    pub options: Vec<RepairOption>,
    /// Index of the chosen option, if options were offered and one chosen.
    pub chosen_option: Option<usize>,
    /// Authorization status and progress.
    pub status: ItemStatus,
}

impl Item {
    pub(crate) fn from_draft(no: ItemNo, origin: ItemOrigin, draft: ItemDraft) -> Self {
        Item {
            no,
            title: draft.title,
            category: draft.category,
            priority: draft.priority,
            origin,
            lines: draft.lines,
            options: draft.options,
            chosen_option: None,
            status: ItemStatus::Recommended,
        }
    }

    /// Whether the item is safety related (WO-13 flags declined safety items).
    pub fn is_safety(&self) -> bool {
        self.priority == Priority::Safety
    }

    /// Whether it still needs an option chosen (EST-04).
    pub fn awaits_option_choice(&self) -> bool {
        !self.options.is_empty() && self.chosen_option.is_none()
    }
}

/// Sums of an estimate or a part of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Totals {
    /// Labour lines before discounts.
    pub labour: Money,
    /// Part lines before discounts.
    pub parts: Money,
    /// Material lines before discounts.
    pub materials: Money,
    /// Sublet lines before discounts.
    pub sublet: Money,
    /// All discounts.
    pub discounts: Money,
    /// Standard hours of the labour lines.
    pub labour_hours: Hours,
    /// Lines after discounts, before tax.
    pub net: Money,
    /// Tax on `net`, rounded once on the total (EST-02).
    pub tax: Money,
    /// `net + tax`.
    pub gross: Money,
}

impl Totals {
    /// Totals of `lines` under `policy`: each line rounded, tax on the sum.
    ///
    /// # Errors
    ///
    /// [`MoneyError`] on overflow or a line in another currency than the
    /// policy's.
    pub fn of<'a, I>(lines: I, policy: &EstimatePolicy) -> Result<Totals, MoneyError>
    where
        I: IntoIterator<Item = &'a EstimateLine>,
    {
        let c = policy.currency;
        let scale = policy.rounding_scale;
        // Every line amount is rounded to `scale` first (EST-01), so the
        // sums are exact sums of whole `10^-scale` units: they are added as
        // integers and turned back into money once, at `scale`.
        let overflow = |operation| MoneyError::Overflow { operation };
        let units = |m: Money| -> Result<i128, MoneyError> {
            if m.currency() != c {
                return Err(MoneyError::CurrencyMismatch {
                    left: c,
                    right: m.currency(),
                });
            }
            m.minor_units(scale).ok_or_else(|| overflow("a sum"))
        };
        let add = |sum: i128, m: Money| -> Result<i128, MoneyError> {
            sum.checked_add(units(m)?).ok_or_else(|| overflow("a sum"))
        };
        let (mut labour, mut parts, mut materials, mut sublet, mut discounts) =
            (0i128, 0i128, 0i128, 0i128, 0i128);
        let mut hours = Decimal::ZERO;
        for line in lines {
            let amount = line.gross_amount(scale)?;
            match &line.kind {
                LineKind::Labour { standard_hours, .. } => {
                    hours = hours
                        .checked_add(standard_hours.get())
                        .ok_or_else(|| overflow("labour hours"))?;
                    labour = add(labour, amount)?;
                }
                LineKind::Part { .. } => parts = add(parts, amount)?,
                LineKind::Material { .. } => materials = add(materials, amount)?,
                LineKind::Sublet { .. } => sublet = add(sublet, amount)?,
            }
            if let Some(d) = &line.discount {
                discounts = add(discounts, d.amount.round(scale))?;
            }
        }
        let net = [labour, parts, materials, sublet]
            .into_iter()
            .try_fold(0i128, i128::checked_add)
            .and_then(|sum| sum.checked_sub(discounts))
            .ok_or_else(|| overflow("a sum"))?;
        let money = |u| Money::from_minor_units(u, scale, c, "a sum");
        let net = money(net)?;
        let tax = policy.vat_rate.of(net)?.round(scale);
        let t = Totals {
            labour: money(labour)?,
            parts: money(parts)?,
            materials: money(materials)?,
            sublet: money(sublet)?,
            discounts: money(discounts)?,
            labour_hours: Hours::try_new(hours).map_err(|_| overflow("labour hours"))?,
            net,
            tax,
            gross: net.checked_add(tax)?,
        };
        Ok(t)
    }
}

/// Totals of an order by item status (WO-29): declined and deferred items
/// are kept apart and never enter the authorized or proposed totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrderTotals {
    /// Items still open or authorized (what the estimate proposes).
    pub proposed: Totals,
    /// Authorized items, whether started, done or not (EST-05).
    pub authorized: Totals,
    /// Completed items.
    pub completed: Totals,
    /// Items awaiting the customer's answer.
    pub recommended: Totals,
    /// Declined items.
    pub declined: Totals,
    /// Deferred items.
    pub deferred: Totals,
}

impl OrderTotals {
    /// Totals of `items` under `policy`.
    ///
    /// # Errors
    ///
    /// [`MoneyError`] on overflow or a currency other than the policy's.
    pub fn of(items: &[Item], policy: &EstimatePolicy) -> Result<OrderTotals, MoneyError> {
        let lines = |f: fn(&ItemStatus) -> bool| {
            items
                .iter()
                .filter(move |i| f(&i.status))
                .flat_map(|i| i.lines.iter())
        };
        Ok(OrderTotals {
            proposed: Totals::of(lines(|s| !s.is_declined_or_deferred()), policy)?,
            authorized: Totals::of(lines(ItemStatus::is_authorized), policy)?,
            completed: Totals::of(lines(|s| matches!(s, ItemStatus::Completed { .. })), policy)?,
            recommended: Totals::of(lines(|s| matches!(s, ItemStatus::Recommended)), policy)?,
            declined: Totals::of(lines(|s| matches!(s, ItemStatus::Declined { .. })), policy)?,
            deferred: Totals::of(lines(|s| matches!(s, ItemStatus::Deferred { .. })), policy)?,
        })
    }
}

/// The lines of an option or item, checked for EST-01/EST-02/EST-08 sanity.
pub(crate) fn check_lines(
    lines: &[EstimateLine],
    policy: &EstimatePolicy,
) -> Result<(), LineProblem> {
    for (index, line) in lines.iter().enumerate() {
        for (field, amount) in line.stated_amounts() {
            if amount.currency() != policy.currency {
                return Err(LineProblem::Currency {
                    index,
                    field,
                    found: amount.currency(),
                    expected: policy.currency,
                });
            }
            if amount.is_negative() {
                return Err(LineProblem::Negative {
                    index,
                    field,
                    amount,
                });
            }
        }
        if let Some(d) = &line.discount {
            let gross = line
                .gross_amount(policy.rounding_scale)
                .map_err(|_| LineProblem::Overflow { index })?;
            if d.amount.round(policy.rounding_scale).amount() > gross.amount() {
                return Err(LineProblem::DiscountAboveLine {
                    index,
                    discount: d.amount,
                    line: gross,
                });
            }
            let needed = match policy.authority.grant(d.role, d.amount.amount()).outcome {
                GrantOutcome::Within => None,
                GrantOutcome::NeedsRole(role) => Some(Some(role)),
                GrantOutcome::AboveEveryCap => Some(None),
            };
            if let Some(needed) = needed {
                return Err(LineProblem::AboveAuthority {
                    index,
                    discount: d.amount,
                    role: d.role,
                    needed,
                });
            }
        }
        let text_empty = match &line.kind {
            LineKind::Labour { operation, .. } => operation.trim().is_empty(),
            LineKind::Part { description, .. }
            | LineKind::Material { description, .. }
            | LineKind::Sublet { description, .. } => description.trim().is_empty(),
        };
        if text_empty {
            return Err(LineProblem::NoDescription { index });
        }
        line.net_amount(policy.rounding_scale)
            .map_err(|_| LineProblem::Overflow { index })?;
    }
    Ok(())
}

/// What is wrong with an estimate line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineProblem {
    Currency {
        index: usize,
        field: &'static str,
        found: Currency,
        expected: Currency,
    },
    Negative {
        index: usize,
        field: &'static str,
        amount: Money,
    },
    DiscountAboveLine {
        index: usize,
        discount: Money,
        line: Money,
    },
    AboveAuthority {
        index: usize,
        discount: Money,
        role: AuthorityRole,
        needed: Option<AuthorityRole>,
    },
    NoDescription {
        index: usize,
    },
    Overflow {
        index: usize,
    },
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn money(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn line_amounts_round_half_up_per_line() {
        let line = EstimateLine::labour("diagnose", "0.35".parse().unwrap(), money("125.00 CNY"));
        // 0.35 × 125 = 43.75 exactly
        assert_eq!(line.gross_amount(2).unwrap(), money("43.75 CNY"));
        let oil = EstimateLine::material("oil", "4.5".parse().unwrap(), money("33.333 CNY"));
        // 4.5 × 33.333 = 149.9985 → 150.00
        assert_eq!(oil.gross_amount(2).unwrap(), money("150.00 CNY"));
    }

    #[test]
    fn totals_exclude_nothing_and_tax_on_sum() {
        let policy = EstimatePolicy::default();
        let lines = vec![
            EstimateLine::labour("a", "1.5".parse().unwrap(), money("200 CNY")),
            EstimateLine::material("b", "1".parse().unwrap(), money("0.05 CNY")),
            EstimateLine::sublet("c", "shop", money("100 CNY")).with_discount(Discount {
                amount: money("10 CNY"),
                granted_by: StaffId::try_new("SA-1").unwrap(),
                role: AuthorityRole::FrontLine,
            }),
        ];
        let t = Totals::of(&lines, &policy).unwrap();
        assert_eq!(t.labour, money("300.00 CNY"));
        assert_eq!(t.net, money("390.05 CNY"));
        // 13 % of 390.05 = 50.7065 → 50.71
        assert_eq!(t.tax, money("50.71 CNY"));
        assert_eq!(t.gross, money("440.76 CNY"));
        assert_eq!(t.labour_hours.get(), Decimal::new(15, 1));
    }
}
