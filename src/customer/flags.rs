//! What the file says about a customer at a date beyond the counters:
//! the membership tier and VIP status (CUS-08), the important-customer
//! status (CUS-09, handled under CMP-12), the long-time-no-visit watch
//! (CUS-11) and the communication style (CUS-10), gathered by
//! [`customer_flags`].
//!
//! Every threshold is a policy parameter. The sources name the tiers
//! (普通会员, 金卡会员, 钻石会员) and the grounds (spend, vehicles bought,
//! influence; reworks, a loss caused by the dealer, a major complaint, a
//! temperamental customer with influence) but give no numbers: the
//! defaults below are the crate's.

use std::fmt;

use chrono::{Datelike as _, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::card::CommunicationStyle;
use super::counters::window_start;
use super::file::{Card, ComplaintNote, CustomerFile};
use super::visit::{Visit, VisitKind};
use crate::ids::{ComplaintNo, WorkOrderNo};
use crate::money::{Currency, Money};
use crate::policy::{Policy, PolicyError, invalid};
use crate::rule::RuleId;

/// The longest window of this module: 100 years.
const MAX_WINDOW_MONTHS: u32 = 1_200;

fn window_in_range(months: u32, field: &'static str, rule: RuleId) -> Result<(), PolicyError> {
    if months == 0 || months > MAX_WINDOW_MONTHS {
        return Err(invalid(
            field,
            rule,
            format!("is {months}, must lie between 1 and {MAX_WINDOW_MONTHS} months"),
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// CUS-08: membership tiers and VIP
// ---------------------------------------------------------------------------

words! {
    /// A membership tier (CUS-08, \[004\] 会员制度), lowest first. A customer
    /// who reaches no tier is not a member (`None`).
    MemberTier {
        /// Regular member (普通会员).
        Regular => "regular member", "普通会员";
        /// Gold-card member (金卡会员).
        Gold => "gold member", "金卡会员";
        /// Diamond member (钻石会员).
        Diamond => "diamond member", "钻石会员";
    }
}

/// What reaches a tier: a spend, a number of visits, or either. A tier is
/// reached when any threshold it sets is met within the membership window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    /// The spend in the policy currency that reaches the tier.
    #[serde(default, with = "crate::decimal::exact_opt")]
    pub min_spend: Option<Decimal>,
    /// The number of visits that reaches the tier.
    #[serde(default)]
    pub min_visits: Option<u32>,
}

impl TierRule {
    /// Which thresholds `spend` and `visits` meet: `None` when neither.
    fn met(&self, spend: Decimal, visits: u32) -> Option<(Option<Decimal>, Option<u32>)> {
        let by_spend = self.min_spend.filter(|t| spend >= *t);
        let by_visits = self.min_visits.filter(|t| visits >= *t);
        (by_spend.is_some() || by_visits.is_some()).then_some((by_spend, by_visits))
    }
}

/// VIP identification (CUS-08, \[004\] VIP客户服务标准: by spend, by the
/// number of vehicles bought, or by influence). Influence is the caller's
/// judgement ([`CustomerFlagInputs::influential`]); the other two are
/// thresholds, each optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VipRule {
    /// The window, in months ending on the reference date, of the spend
    /// (crate default 36, the C-card's three-year counter).
    pub spend_window_months: u32,
    /// The spend in that window, in the policy currency, that makes a VIP
    /// (crate default 50,000); `None` turns the ground off.
    #[serde(with = "crate::decimal::exact_opt")]
    pub min_spend: Option<Decimal>,
    /// The number of vehicles bought from the dealer that makes a VIP
    /// (crate default 2); `None` turns the ground off.
    pub min_vehicles: Option<u32>,
}

impl Default for VipRule {
    fn default() -> Self {
        VipRule {
            spend_window_months: 36,
            min_spend: Some(Decimal::from(50_000u32)),
            min_vehicles: Some(2),
        }
    }
}

/// The policy of CUS-08: membership tiers with their upgrade rules, how
/// long a tier is kept, and VIP identification.
///
/// **Tiers go up at once and down slowly.** A tier is reached on a day
/// when the window ending that day meets its rule; it is then held for
/// [`keep_months`](Self::keep_months) after that day, even if the spend
/// drops, and lapses to whatever the later windows reach once that time
/// has passed without qualifying again. With `keep_months` = 0 the tier is
/// simply the one the current window reaches.
///
/// Crate defaults (the sources give no numbers): a 12-month window, tiers
/// kept 12 months, and
///
/// | tier | spend in 12 months (CNY) | or visits in 12 months |
/// |---|---|---|
/// | regular | — | 1 |
/// | gold | 10,000 | 4 |
/// | diamond | 30,000 | 8 |
///
/// VIP: 50,000 CNY in 36 months, or 2 vehicles bought, or influence.
///
/// ```
/// use aftersales::Policy;
///
/// let policy: Policy = serde_json::from_str(
///     r#"{ "customer": { "membership": { "gold": { "min_spend": "12000" } } } }"#,
/// )?;
/// let gold = policy.customer().membership.gold;
/// assert_eq!((gold.min_spend.map(|s| s.to_string()), gold.min_visits), (Some("12000".into()), None));
///
/// let bad = r#"{ "customer": { "membership": { "diamond": { "min_spend": "9000" } } } }"#;
/// let err = serde_json::from_str::<Policy>(bad).unwrap_err().to_string();
/// assert!(err.contains("customer.membership.diamond") && err.contains("CUS-08"), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MembershipPolicy {
    /// The window, in months ending on a day, whose spend and visits
    /// reach a tier (crate default 12). It starts on [`window_start`].
    pub window_months: u32,
    /// How many months after the day it was reached a tier is held
    /// (crate default 12); 0 recomputes the tier from the current window
    /// alone.
    pub keep_months: u32,
    /// 普通会员 (crate default: 1 visit).
    pub regular: TierRule,
    /// 金卡会员 (crate default: 10,000 CNY or 4 visits).
    pub gold: TierRule,
    /// 钻石会员 (crate default: 30,000 CNY or 8 visits).
    pub diamond: TierRule,
    /// VIP identification.
    pub vip: VipRule,
}

impl Default for MembershipPolicy {
    fn default() -> Self {
        MembershipPolicy {
            window_months: 12,
            keep_months: 12,
            regular: TierRule {
                min_spend: None,
                min_visits: Some(1),
            },
            gold: TierRule {
                min_spend: Some(Decimal::from(10_000u32)),
                min_visits: Some(4),
            },
            diamond: TierRule {
                min_spend: Some(Decimal::from(30_000u32)),
                min_visits: Some(8),
            },
            vip: VipRule::default(),
        }
    }
}

impl MembershipPolicy {
    /// The rule of `tier`.
    pub fn rule(&self, tier: MemberTier) -> &TierRule {
        match tier {
            MemberTier::Regular => &self.regular,
            MemberTier::Gold => &self.gold,
            MemberTier::Diamond => &self.diamond,
        }
    }

    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] under CUS-08 when: the window is not between 1 and
    /// 1,200 months, or the keep time above 1,200 months; a tier sets
    /// neither threshold, a spend threshold is not above zero or a visit
    /// threshold is 0; the spend thresholds, or the visit thresholds, of
    /// the tiers that set one do not rise strictly from regular to
    /// diamond; the VIP spend window is out of range, the VIP spend is not
    /// above zero or the VIP vehicle count is 0.
    pub fn validate(&self) -> Result<(), PolicyError> {
        window_in_range(
            self.window_months,
            "customer.membership.window_months",
            RuleId::Cus08,
        )?;
        if self.keep_months > MAX_WINDOW_MONTHS {
            return Err(invalid(
                "customer.membership.keep_months",
                RuleId::Cus08,
                format!(
                    "is {}, must be at most {MAX_WINDOW_MONTHS} months",
                    self.keep_months
                ),
            ));
        }
        let mut last_spend: Option<(MemberTier, Decimal)> = None;
        let mut last_visits: Option<(MemberTier, u32)> = None;
        for &tier in MemberTier::ALL {
            let field = match tier {
                MemberTier::Regular => "customer.membership.regular",
                MemberTier::Gold => "customer.membership.gold",
                MemberTier::Diamond => "customer.membership.diamond",
            };
            let rule = self.rule(tier);
            if rule.min_spend.is_none() && rule.min_visits.is_none() {
                return Err(invalid(
                    field,
                    RuleId::Cus08,
                    "sets no threshold; give a spend, a number of visits or both",
                ));
            }
            if let Some(spend) = rule.min_spend {
                if spend <= Decimal::ZERO {
                    return Err(invalid(
                        field,
                        RuleId::Cus08,
                        format!("has the spend {spend}, must be above zero"),
                    ));
                }
                if let Some((lower, below)) = last_spend {
                    if spend <= below {
                        return Err(invalid(
                            field,
                            RuleId::Cus08,
                            format!(
                                "has the spend {spend}, not above the {} threshold of {below}",
                                lower.label_en()
                            ),
                        ));
                    }
                }
                last_spend = Some((tier, spend));
            }
            if let Some(visits) = rule.min_visits {
                if visits == 0 {
                    return Err(invalid(
                        field,
                        RuleId::Cus08,
                        "has 0 visits, must be at least 1",
                    ));
                }
                if let Some((lower, below)) = last_visits {
                    if visits <= below {
                        return Err(invalid(
                            field,
                            RuleId::Cus08,
                            format!(
                                "has {visits} visits, not above the {} threshold of {below} visits",
                                lower.label_en()
                            ),
                        ));
                    }
                }
                last_visits = Some((tier, visits));
            }
        }
        window_in_range(
            self.vip.spend_window_months,
            "customer.membership.vip.spend_window_months",
            RuleId::Cus08,
        )?;
        if let Some(spend) = self.vip.min_spend {
            if spend <= Decimal::ZERO {
                return Err(invalid(
                    "customer.membership.vip.min_spend",
                    RuleId::Cus08,
                    format!("is {spend}, must be above zero"),
                ));
            }
        }
        if self.vip.min_vehicles == Some(0) {
            return Err(invalid(
                "customer.membership.vip.min_vehicles",
                RuleId::Cus08,
                "is 0, must be at least 1",
            ));
        }
        Ok(())
    }
}

/// Why a tier or VIP status could not be worked out (CUS-08).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlagError {
    /// A visit that counts was paid in another currency than the
    /// policy's; it is neither converted nor left out.
    #[error(
        "the visit on {date} is paid in {found}, not in the policy currency {expected}; \
         convert it before ranking the customer (CUS-08)"
    )]
    Currency {
        /// The day of the visit.
        date: NaiveDate,
        /// The policy currency.
        expected: Currency,
        /// The visit's currency.
        found: Currency,
    },
    /// A spend does not fit in a decimal.
    #[error("the spend up to the visit on {date} does not fit in a decimal (CUS-08)")]
    Overflow {
        /// The visit whose amount overflowed the sum.
        date: NaiveDate,
    },
}

/// The amount of `visit` in `currency`, zero when it has none.
fn amount_of(
    date: NaiveDate,
    amount: Option<Money>,
    currency: Currency,
) -> Result<Money, FlagError> {
    match amount {
        None => Ok(Money::zero(currency)),
        Some(a) if a.currency() == currency => Ok(a),
        Some(a) => Err(FlagError::Currency {
            date,
            expected: currency,
            found: a.currency(),
        }),
    }
}

/// A tier as reached: on which day, by which window, by which threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// The tier.
    pub tier: MemberTier,
    /// The last day on which the window reached the tier: the reference
    /// date when the current window does.
    pub earned_on: NaiveDate,
    /// The first day of that window; `None` when it reaches past the
    /// calendar's start.
    pub window_from: Option<NaiveDate>,
    /// The spend in that window.
    pub spend: Money,
    /// The visits in that window.
    pub visits: u32,
    /// The spend threshold, when it was met.
    pub spend_threshold: Option<Money>,
    /// The visit threshold, when it was met.
    pub visits_threshold: Option<u32>,
    /// The last day the tier is held without qualifying again
    /// (`earned_on` + [`MembershipPolicy::keep_months`]); `None` past the
    /// calendar's end.
    pub held_until: Option<NaiveDate>,
}

/// A customer's membership at a date (CUS-08): the current window and the
/// tier held, with its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberStatus {
    /// The reference date.
    pub at: NaiveDate,
    /// The first day of the current window.
    pub window_from: Option<NaiveDate>,
    /// The spend in the current window.
    pub spend: Money,
    /// The visits in the current window.
    pub visits: u32,
    /// The tier held and why; `None` when the customer is not a member.
    pub membership: Option<Membership>,
}

impl MemberStatus {
    /// The tier held; `None` when not a member.
    pub fn tier(&self) -> Option<MemberTier> {
        self.membership.map(|m| m.tier)
    }
}

/// The membership of the customer with `visits` at `at` (CUS-08): the
/// highest tier reached by the window ending on any visit day still held
/// at `at`, or by the window ending on `at`; on a tie, the latest. See
/// [`MembershipPolicy`] for the up-and-down rule.
///
/// # Errors
///
/// [`FlagError::Currency`] when a visit inside one of those windows is
/// paid in another currency than the policy's; [`FlagError::Overflow`]
/// when a sum does not fit in a decimal.
///
/// ```
/// use aftersales::{MemberTier, Money, Policy, Visit, VisitKind, member_status};
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let mut accident = Visit::new(d(2025, 3, 10), VisitKind::BodyAndPaint);
/// accident.amount = Some(Money::cny(Decimal::from(12_000)));
/// let policy = Policy::default();
///
/// // Gold from the day of the 12,000 CNY visit ...
/// let status = member_status(&[accident.clone()], d(2025, 3, 10), &policy)?;
/// assert_eq!(status.tier(), Some(MemberTier::Gold));
/// // ... held for 12 months after it, though the window no longer has it ...
/// let status = member_status(&[accident.clone()], d(2026, 3, 10), &policy)?;
/// assert_eq!(status.tier(), Some(MemberTier::Gold));
/// assert_eq!(status.visits, 0);
/// // ... and lapsed the day after.
/// let status = member_status(&[accident], d(2026, 3, 11), &policy)?;
/// assert_eq!(status.tier(), None);
/// # Ok::<(), aftersales::FlagError>(())
/// ```
pub fn member_status(
    visits: &[Visit],
    at: NaiveDate,
    policy: &Policy,
) -> Result<MemberStatus, FlagError> {
    let m = &policy.customer().membership;
    let currency = policy.estimate().currency;
    let held = |day: NaiveDate| {
        day.checked_add_months(Months::new(m.keep_months))
            .is_none_or(|until| until >= at)
    };
    // The days whose window is looked at: the visit days still held at
    // `at`, then `at`. Holding is monotone in the day, so they are every
    // visit day from the first held one on.
    let first_day = visits
        .iter()
        .map(|v| v.date)
        .filter(|d| *d <= at && held(*d))
        .min()
        .unwrap_or(at);
    // Windows start on monotone days too: nothing before the first day's
    // window start is ever counted.
    let earliest = window_start(first_day, m.window_months);
    let mut relevant: Vec<(NaiveDate, Money)> = Vec::new();
    for v in visits {
        if v.date <= at && earliest.is_none_or(|e| v.date >= e) {
            relevant.push((v.date, amount_of(v.date, v.amount, currency)?));
        }
    }
    relevant.sort_by_key(|(d, _)| *d);

    let days = relevant
        .iter()
        .map(|(d, _)| *d)
        .filter(|d| held(*d))
        .chain(std::iter::once(at));
    let mut best: Option<Membership> = None;
    let mut current = (None, Money::zero(currency), 0u32);
    let (mut left, mut right) = (0usize, 0usize);
    let mut sum = Money::zero(currency);
    for day in days {
        while let Some(&(d, amount)) = relevant.get(right) {
            if d > day {
                break;
            }
            sum = sum
                .checked_add(amount)
                .map_err(|_| FlagError::Overflow { date: d })?;
            right = right.saturating_add(1);
        }
        let from = window_start(day, m.window_months);
        while let Some(&(d, amount)) = relevant.get(left) {
            if from.is_none_or(|f| d >= f) {
                break;
            }
            sum = sum
                .checked_sub(amount)
                .map_err(|_| FlagError::Overflow { date: d })?;
            left = left.saturating_add(1);
        }
        let count = u32::try_from(right.saturating_sub(left)).unwrap_or(u32::MAX);
        if day == at {
            current = (from, sum, count);
        }
        let reached = [MemberTier::Diamond, MemberTier::Gold, MemberTier::Regular]
            .into_iter()
            .find_map(|t| m.rule(t).met(sum.amount(), count).map(|met| (t, met)));
        if let Some((tier, (by_spend, by_visits))) = reached {
            if best.is_none_or(|b| tier >= b.tier) {
                best = Some(Membership {
                    tier,
                    earned_on: day,
                    window_from: from,
                    spend: sum,
                    visits: count,
                    spend_threshold: by_spend.map(|s| Money::new(s, currency)),
                    visits_threshold: by_visits,
                    held_until: day.checked_add_months(Months::new(m.keep_months)),
                });
            }
        }
    }
    let (window_from, spend, visits) = current;
    Ok(MemberStatus {
        at,
        window_from,
        spend,
        visits,
        membership: best,
    })
}

/// Why a customer is a VIP (CUS-08).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum VipReason {
    /// The spend in the VIP window reached the threshold.
    Spend {
        /// The first day of the window.
        window_from: Option<NaiveDate>,
        /// The spend.
        spend: Money,
        /// The threshold.
        threshold: Money,
    },
    /// The customer bought at least the threshold number of vehicles here.
    Vehicles {
        /// The vehicles bought.
        vehicles: u32,
        /// The threshold.
        threshold: u32,
    },
    /// The customer has influence (the caller's judgement).
    Influence,
}

/// What the caller knows that the file does not (CUS-08, CUS-09).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomerFlagInputs {
    /// Vehicles the customer bought from the dealer, when the DMS knows
    /// (all their files together). [`customer_flags`] takes the larger of
    /// this and what the card tells ([`vehicles_on_card`]).
    pub vehicles_bought: Option<u32>,
    /// The customer has influence (品牌影响力, 有影响力): a public figure,
    /// a fleet buyer, a voice in an owners' club. Makes a VIP (CUS-08),
    /// and an important customer together with `temperamental` (CUS-09).
    pub influential: bool,
    /// The customer is temperamental (性格暴躁).
    pub temperamental: bool,
}

/// The vehicles the card shows bought here, at least: one for an A-card or
/// a C-card bought here, one more for a repeat purchase (是否重复购买).
pub fn vehicles_on_card(card: &Card) -> u32 {
    match card {
        Card::A(_) => 1,
        Card::C(c) => u32::from(c.sale.is_some() || c.service.bought_here)
            .saturating_add(u32::from(c.service.repeat_purchase)),
    }
}

/// Why the customer with `visits` is a VIP at `at` (CUS-08); empty when
/// not. The vehicle count is `inputs.vehicles_bought` (0 when unknown).
///
/// # Errors
///
/// As [`member_status`], for the visits in the VIP spend window.
///
/// ```
/// use aftersales::{CustomerFlagInputs, Policy, VipReason, vip_reasons};
/// use chrono::NaiveDate;
///
/// let at = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
/// let inputs = CustomerFlagInputs { vehicles_bought: Some(2), ..Default::default() };
/// let reasons = vip_reasons(&[], at, &inputs, &Policy::default())?;
/// assert_eq!(reasons, [VipReason::Vehicles { vehicles: 2, threshold: 2 }]);
/// # Ok::<(), aftersales::FlagError>(())
/// ```
pub fn vip_reasons(
    visits: &[Visit],
    at: NaiveDate,
    inputs: &CustomerFlagInputs,
    policy: &Policy,
) -> Result<Vec<VipReason>, FlagError> {
    let rule = policy.customer().membership.vip;
    let currency = policy.estimate().currency;
    let mut reasons = Vec::new();
    if let Some(min) = rule.min_spend {
        let from = window_start(at, rule.spend_window_months);
        let mut spend = Money::zero(currency);
        for v in visits {
            if v.date <= at && from.is_none_or(|f| v.date >= f) {
                let amount = amount_of(v.date, v.amount, currency)?;
                spend = spend
                    .checked_add(amount)
                    .map_err(|_| FlagError::Overflow { date: v.date })?;
            }
        }
        if spend.amount() >= min {
            reasons.push(VipReason::Spend {
                window_from: from,
                spend,
                threshold: Money::new(min, currency),
            });
        }
    }
    if let Some(min) = rule.min_vehicles {
        let vehicles = inputs.vehicles_bought.unwrap_or(0);
        if vehicles >= min {
            reasons.push(VipReason::Vehicles {
                vehicles,
                threshold: min,
            });
        }
    }
    if inputs.influential {
        reasons.push(VipReason::Influence);
    }
    Ok(reasons)
}

// ---------------------------------------------------------------------------
// CUS-09: important customers
// ---------------------------------------------------------------------------

/// The policy of CUS-09: when reworks make an important customer, and how
/// long a loss or a major complaint keeps one.
///
/// Crate defaults (\[003\] says "repeated" and gives no window): 2
/// comebacks within 12 months; a dealer-caused loss or a major complaint
/// counts for 12 months.
///
/// ```
/// use aftersales::Policy;
///
/// let policy: Policy = serde_json::from_str(
///     r#"{ "customer": { "important": { "reworks": 3 } } }"#,
/// )?;
/// assert_eq!(policy.customer().important.reworks, 3);
/// assert!(serde_json::from_str::<Policy>(r#"{ "customer": { "important": { "reworks": 0 } } }"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportantCustomerPolicy {
    /// Comeback visits (返修) within the rework window that make the
    /// customer important (crate default 2).
    pub reworks: u32,
    /// The rework window, in months ending on the reference date (crate
    /// default 12).
    pub rework_window_months: u32,
    /// A visit with a loss caused by the dealer, or a major complaint,
    /// keeps the customer important for this many months ending on the
    /// reference date (crate default 12; 1,200 keeps it for good).
    pub incident_window_months: u32,
}

impl Default for ImportantCustomerPolicy {
    fn default() -> Self {
        ImportantCustomerPolicy {
            reworks: 2,
            rework_window_months: 12,
            incident_window_months: 12,
        }
    }
}

impl ImportantCustomerPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] under CUS-09 when the rework count is 0 or a window
    /// is not between 1 and 1,200 months.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.reworks == 0 {
            return Err(invalid(
                "customer.important.reworks",
                RuleId::Cus09,
                "is 0, must be at least 1",
            ));
        }
        window_in_range(
            self.rework_window_months,
            "customer.important.rework_window_months",
            RuleId::Cus09,
        )?;
        window_in_range(
            self.incident_window_months,
            "customer.important.incident_window_months",
            RuleId::Cus09,
        )
    }
}

/// A visit named as a fact: its day and work order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitRef {
    /// The day of the visit.
    pub date: NaiveDate,
    /// Its work order, when it had one.
    pub order: Option<WorkOrderNo>,
}

impl fmt::Display for VisitRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.order {
            Some(order) => write!(f, "{} (order {order})", self.date),
            None => write!(f, "{}", self.date),
        }
    }
}

/// Why a customer is important (重要客户, CUS-09). An important customer is
/// followed by a department manager in person, not by routine CR handling
/// ([`ImportantReason::HANDLED_UNDER`], CMP-12).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum ImportantReason {
    /// Repeated reworks (多次返修): at least the threshold number of
    /// comeback visits in the window.
    RepeatedReworks {
        /// The first day of the window.
        window_from: Option<NaiveDate>,
        /// The comeback visits, by date.
        reworks: Vec<VisitRef>,
        /// The threshold.
        threshold: u32,
    },
    /// A loss caused by the dealer (由于企业失误造成客户损失), one per visit.
    DealerCausedLoss {
        /// The visit.
        visit: VisitRef,
    },
    /// A major complaint (重大投诉), one per complaint.
    MajorComplaint {
        /// The day it was received.
        on: NaiveDate,
        /// Its number.
        complaint: ComplaintNo,
    },
    /// A temperamental customer with influence (性格暴躁又有影响力).
    TemperamentalWithInfluence,
}

impl ImportantReason {
    /// The rule that makes the customer important.
    pub const RULE: RuleId = RuleId::Cus09;
    /// The rule by which an important customer is handled: a department
    /// manager calls and follows them personally.
    pub const HANDLED_UNDER: RuleId = RuleId::Cmp12;
}

impl fmt::Display for ImportantReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportantReason::RepeatedReworks { reworks, .. } => {
                write!(f, "{} reworks:", reworks.len())?;
                for (i, r) in reworks.iter().enumerate() {
                    let sep = if i == 0 { " " } else { ", " };
                    write!(f, "{sep}{r}")?;
                }
                Ok(())
            }
            ImportantReason::DealerCausedLoss { visit } => {
                write!(f, "loss caused by the dealer on {visit}")
            }
            ImportantReason::MajorComplaint { on, complaint } => {
                write!(f, "major complaint {complaint} on {on}")
            }
            ImportantReason::TemperamentalWithInfluence => {
                f.write_str("temperamental customer with influence")
            }
        }
    }
}

/// Why the customer with `visits` and `complaints` is important at `at`
/// (CUS-09); empty when not. Visits and complaints after `at` do not count;
/// reworks, losses and major complaints count inside their windows ending
/// on `at`. Reasons come in this order: reworks, losses by date, major
/// complaints by date, temperament.
///
/// ```
/// use aftersales::{
///     CustomerFlagInputs, ImportantReason, Policy, RuleId, Visit, VisitKind, important_reasons,
/// };
/// use chrono::NaiveDate;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let comeback = |date| Visit { comeback: true, ..Visit::new(date, VisitKind::Repair) };
/// let visits = [Visit::new(d(1, 5), VisitKind::Repair), comeback(d(1, 20)), comeback(d(2, 3))];
/// let reasons = important_reasons(&visits, &[], d(3, 1), &CustomerFlagInputs::default(), &Policy::default());
/// assert!(matches!(&reasons[..], [ImportantReason::RepeatedReworks { reworks, .. }] if reworks.len() == 2));
/// assert_eq!(ImportantReason::HANDLED_UNDER, RuleId::Cmp12);
/// ```
pub fn important_reasons(
    visits: &[Visit],
    complaints: &[ComplaintNote],
    at: NaiveDate,
    inputs: &CustomerFlagInputs,
    policy: &Policy,
) -> Vec<ImportantReason> {
    let p = &policy.customer().important;
    let mut reasons = Vec::new();

    let rework_from = window_start(at, p.rework_window_months);
    let in_rework = |d: NaiveDate| d <= at && rework_from.is_none_or(|f| d >= f);
    let mut reworks: Vec<VisitRef> = visits
        .iter()
        .filter(|v| v.comeback && in_rework(v.date))
        .map(|v| VisitRef {
            date: v.date,
            order: v.order.clone(),
        })
        .collect();
    if u32::try_from(reworks.len()).unwrap_or(u32::MAX) >= p.reworks {
        reworks.sort_by(|a, b| (a.date, &a.order).cmp(&(b.date, &b.order)));
        reasons.push(ImportantReason::RepeatedReworks {
            window_from: rework_from,
            reworks,
            threshold: p.reworks,
        });
    }

    let incident_from = window_start(at, p.incident_window_months);
    let in_incident = |d: NaiveDate| d <= at && incident_from.is_none_or(|f| d >= f);
    let mut losses: Vec<VisitRef> = visits
        .iter()
        .filter(|v| v.dealer_caused_loss && in_incident(v.date))
        .map(|v| VisitRef {
            date: v.date,
            order: v.order.clone(),
        })
        .collect();
    losses.sort_by(|a, b| (a.date, &a.order).cmp(&(b.date, &b.order)));
    reasons.extend(
        losses
            .into_iter()
            .map(|visit| ImportantReason::DealerCausedLoss { visit }),
    );

    let mut majors: Vec<&ComplaintNote> = complaints
        .iter()
        .filter(|c| c.major && in_incident(c.on))
        .collect();
    majors.sort_by(|a, b| (a.on, &a.complaint).cmp(&(b.on, &b.complaint)));
    reasons.extend(majors.into_iter().map(|c| ImportantReason::MajorComplaint {
        on: c.on,
        complaint: c.complaint.clone(),
    }));

    if inputs.temperamental && inputs.influential {
        reasons.push(ImportantReason::TemperamentalWithInfluence);
    }
    reasons
}

// ---------------------------------------------------------------------------
// CUS-11: long time no visit
// ---------------------------------------------------------------------------

/// A customer who has not come back for longer than the threshold
/// (久未回厂, CUS-11), with what the contact should check first.
///
/// \[003\] asks the caller to look first at the last service and whether
/// the customer was satisfied with it, and to apologise and invite them if
/// not. The file knows the last visit (below); satisfaction comes from the
/// follow-up records, so the caller judges it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongTimeNoVisit {
    /// The last visit on or before the reference date.
    pub last_visit: NaiveDate,
    /// What it was for.
    pub last_visit_kind: VisitKind,
    /// Its work order, to look up the service and its follow-up.
    pub last_order: Option<WorkOrderNo>,
    /// What the customer paid.
    pub last_amount: Option<Money>,
    /// The first day the customer counts as long time no visit
    /// ([`CarePolicy::long_time_no_visit_from`](crate::CarePolicy::long_time_no_visit_from)).
    pub since: NaiveDate,
    /// Days from the last visit to the reference date.
    pub days_since_last_visit: u32,
    /// Whole calendar months from the last visit to the reference date.
    pub months_since_last_visit: u32,
    /// The threshold in months ([`CarePolicy::long_time_no_visit_months`](crate::CarePolicy::long_time_no_visit_months)).
    pub threshold_months: u32,
}

/// Whole calendar months from `from` to `to`: the most `m` with
/// `from + m months <= to` (month ends clamp as in chrono).
fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    let ym = |d: NaiveDate| {
        i64::from(d.year())
            .saturating_mul(12)
            .saturating_add(i64::from(d.month0()))
    };
    let guess = u32::try_from(ym(to).saturating_sub(ym(from)).max(0)).unwrap_or(u32::MAX);
    match from.checked_add_months(Months::new(guess)) {
        Some(d) if d <= to => guess,
        _ => guess.saturating_sub(1),
    }
}

/// Whether the customer with `visits` is long time no visit at `at`
/// (CUS-11), by the care calendar's threshold
/// ([`CarePolicy::long_time_no_visit_from`](crate::CarePolicy::long_time_no_visit_from)),
/// so the file and the calendar agree. `None` when they came recently
/// enough or never came (a customer without a visit is not "lost"). When
/// several visits share the last day, the one listed last is shown.
///
/// ```
/// use aftersales::{Policy, Visit, VisitKind, long_time_no_visit};
/// use chrono::NaiveDate;
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let visits = [Visit::new(d(2025, 3, 31), VisitKind::Maintenance)];
/// let policy = Policy::default(); // 12 months
/// assert_eq!(long_time_no_visit(&visits, d(2026, 3, 31), &policy), None);
/// let lost = long_time_no_visit(&visits, d(2026, 4, 1), &policy).unwrap();
/// assert_eq!((lost.since, lost.months_since_last_visit), (d(2026, 4, 1), 12));
/// ```
pub fn long_time_no_visit(
    visits: &[Visit],
    at: NaiveDate,
    policy: &Policy,
) -> Option<LongTimeNoVisit> {
    let mut last: Option<&Visit> = None;
    for v in visits.iter().filter(|v| v.date <= at) {
        if last.is_none_or(|l| v.date >= l.date) {
            last = Some(v);
        }
    }
    let last = last?;
    let care = policy.care();
    let since = care.long_time_no_visit_from(last.date)?;
    if at < since {
        return None;
    }
    let days = at.signed_duration_since(last.date).num_days();
    Some(LongTimeNoVisit {
        last_visit: last.date,
        last_visit_kind: last.kind,
        last_order: last.order.clone(),
        last_amount: last.amount,
        since,
        days_since_last_visit: u32::try_from(days).unwrap_or(u32::MAX),
        months_since_last_visit: whole_months(last.date, at),
        threshold_months: care.long_time_no_visit_months,
    })
}

// ---------------------------------------------------------------------------
// All flags
// ---------------------------------------------------------------------------

/// What the file says about a customer at a date (CUS-08 … CUS-11).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFlags {
    /// The reference date.
    pub at: NaiveDate,
    /// CUS-08: the membership tier and its reason.
    pub member: MemberStatus,
    /// CUS-08: why the customer is a VIP; empty when not.
    pub vip: Vec<VipReason>,
    /// CUS-09: why the customer is important; empty when not. An important
    /// customer is handled by a department manager (CMP-12).
    pub important: Vec<ImportantReason>,
    /// CUS-11: the long-time-no-visit watch.
    pub long_time_no_visit: Option<LongTimeNoVisit>,
    /// CUS-10: the communication style on the card.
    pub communication_style: Option<CommunicationStyle>,
}

impl CustomerFlags {
    /// Whether the customer is a VIP.
    pub fn is_vip(&self) -> bool {
        !self.vip.is_empty()
    }

    /// Whether the customer is important (CUS-09).
    pub fn is_important(&self) -> bool {
        !self.important.is_empty()
    }

    /// The rule the customer must be handled under: CMP-12 (a department
    /// manager in person) for an important customer, else `None`.
    pub fn handling_rule(&self) -> Option<RuleId> {
        self.is_important()
            .then_some(ImportantReason::HANDLED_UNDER)
    }
}

/// Every flag of the customer of `file` at `at` (CUS-08 … CUS-11), with
/// what the caller knows in `inputs`. The vehicles bought are the larger of
/// `inputs.vehicles_bought` and [`vehicles_on_card`].
///
/// # Errors
///
/// As [`member_status`] and [`vip_reasons`].
///
/// ```
/// use aftersales::{
///     ACard, BasicInfo, CustomerFile, CustomerFileCommand, CustomerFlagInputs, MemberTier,
///     Policy, RuleId, VehicleInfo, Visit, VisitKind, customer_flags,
/// };
/// use chrono::NaiveDate;
///
/// let policy = Policy::default();
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let card = ACard {
///     customer: "C-0003".parse()?,
///     basic: BasicInfo::new("张先生".parse()?),
///     contact: Default::default(),
///     vehicle: VehicleInfo::new("LSVAA4180E2123456".parse()?),
///     insurance: Default::default(),
///     personal: Default::default(),
///     sale: Default::default(),
///     remarks: None,
/// };
/// let mut file = CustomerFile::new();
/// file.execute(CustomerFileCommand::OpenSalesFile { on: d(2025, 1, 8), card }, &policy)?;
/// let visit = Visit { dealer_caused_loss: true, ..Visit::new(d(2025, 2, 8), VisitKind::Maintenance) };
/// file.execute(CustomerFileCommand::RecordVisit { visit, advisor: None }, &policy)?;
///
/// let inputs = CustomerFlagInputs { vehicles_bought: Some(1), ..Default::default() };
/// let flags = customer_flags(&file, d(2025, 6, 1), &inputs, &policy)?;
/// assert_eq!(flags.member.tier(), Some(MemberTier::Regular));
/// assert!(!flags.is_vip());
/// assert_eq!(flags.handling_rule(), Some(RuleId::Cmp12));
/// assert!(flags.long_time_no_visit.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn customer_flags(
    file: &CustomerFile,
    at: NaiveDate,
    inputs: &CustomerFlagInputs,
    policy: &Policy,
) -> Result<CustomerFlags, FlagError> {
    let card = file.card();
    let on_card = card.map_or(0, vehicles_on_card);
    let inputs = CustomerFlagInputs {
        vehicles_bought: Some(inputs.vehicles_bought.unwrap_or(0).max(on_card)),
        ..*inputs
    };
    let visits = file.visits();
    let communication_style = card.and_then(|c| match c {
        Card::A(a) => a.personal.communication_style,
        Card::C(c) => c.personal.communication_style,
    });
    Ok(CustomerFlags {
        at,
        member: member_status(visits, at, policy)?,
        vip: vip_reasons(visits, at, &inputs, policy)?,
        important: important_reasons(visits, file.complaints(), at, &inputs, policy),
        long_time_no_visit: long_time_no_visit(visits, at, policy),
        communication_style,
    })
}
