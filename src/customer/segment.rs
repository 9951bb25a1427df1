//! Customer segmentation (CUS-07): external attributes (region,
//! organisation type), internal attributes (gender, age, income,
//! occupation) and behaviour, scored by recency, frequency and monetary
//! value of the visits (RFM).
//!
//! \[003\] lists the three ways to segment customers and notes that
//! behaviour only describes customers who have already bought: a customer
//! with no visit has no RFM score ([`SegmentError::NoVisits`]).
//!
//! The scoring thresholds and the segment table are crate defaults, not
//! numbers from the sources; every threshold is a policy parameter
//! ([`RfmPolicy`]).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::card::{AgeBand, CardText, Gender, IncomeBand, Occupation, OrganisationType};
use super::counters::window_start;
use super::file::{Card, CustomerFile};
use super::visit::Visit;
use crate::money::{Currency, Money, MoneyError};
use crate::policy::{Policy, PolicyError, invalid};
use crate::rule::RuleId;

/// The longest RFM window: 100 years.
const MAX_WINDOW_MONTHS: u32 = 1_200;

/// The policy of CUS-07: how recency, frequency and monetary value map to
/// scores from 1 to 5.
///
/// Each measure has four thresholds, strictly ascending. Frequency and
/// monetary value score one point plus one for each threshold they reach
/// (`value >= threshold`); recency scores one point plus one for each
/// threshold the days since the last visit do not exceed
/// (`days <= threshold`), so a recent visit scores high.
///
/// The defaults are the crate's, not the sources' (which give none),
/// chosen for a dealership whose customers come for maintenance about
/// twice a year:
///
/// | measure | window | score 2 from | 3 | 4 | 5 |
/// |---|---|---|---|---|---|
/// | recency: days since the last visit | — | ≤ 730 | ≤ 365 | ≤ 180 | ≤ 90 |
/// | frequency: visits | 36 months | 2 | 3 | 5 | 8 |
/// | monetary: spend in the policy currency | 36 months | 1,500 | 4,000 | 8,000 | 15,000 |
///
/// The 36-month window is the C-card's three-year counter (CUS-05), so
/// the frequency is the card's 三年内来店次数.
///
/// ```
/// use aftersales::{CustomerPolicy, Policy};
///
/// let policy: Policy = serde_json::from_str(
///     r#"{ "customer": { "rfm": { "frequency_visits": [2, 4, 6, 10] } } }"#,
/// )?;
/// assert_eq!(policy.customer().rfm.frequency_visits, [2, 4, 6, 10]);
/// assert_eq!(policy.customer().rfm.window_months, 36); // default kept
///
/// let bad = r#"{ "customer": { "rfm": { "recency_days": [90, 60, 365, 730] } } }"#;
/// let err = serde_json::from_str::<Policy>(bad).unwrap_err().to_string();
/// assert!(err.contains("customer.rfm.recency_days") && err.contains("CUS-07"), "{err}");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RfmPolicy {
    /// The window, in months ending on the reference date, over which
    /// visits are counted and spend is summed (crate default 36). It
    /// starts on [`window_start`].
    pub window_months: u32,
    /// Recency thresholds in days since the last visit, ascending: at most
    /// the first scores 5, at most the fourth scores 2, more scores 1
    /// (crate default 90, 180, 365, 730).
    pub recency_days: [u32; 4],
    /// Frequency thresholds in visits within the window, ascending: fewer
    /// than the first scores 1, at least the fourth scores 5 (crate default
    /// 2, 3, 5, 8).
    pub frequency_visits: [u32; 4],
    /// Monetary thresholds in the policy currency within the window,
    /// ascending: below the first scores 1, at least the fourth scores 5
    /// (crate default 1,500, 4,000, 8,000, 15,000).
    #[serde(with = "crate::decimal::exact_array")]
    pub monetary: [Decimal; 4],
}

impl Default for RfmPolicy {
    fn default() -> Self {
        RfmPolicy {
            window_months: 36,
            recency_days: [90, 180, 365, 730],
            frequency_visits: [2, 3, 5, 8],
            monetary: [
                Decimal::from(1_500u32),
                Decimal::from(4_000u32),
                Decimal::from(8_000u32),
                Decimal::from(15_000u32),
            ],
        }
    }
}

/// Whether `values` rise strictly.
fn strictly_ascending<T: PartialOrd>(values: &[T]) -> bool {
    values.windows(2).all(|w| match w {
        [a, b] => a < b,
        _ => true,
    })
}

impl RfmPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] under CUS-07 when the window is not between 1 and
    /// 1,200 months, when the thresholds of a measure do not rise
    /// strictly, when the first frequency threshold is 0 (every customer
    /// would score at least 2) or when the first monetary threshold is not
    /// above zero.
    pub fn validate(&self) -> Result<(), PolicyError> {
        if self.window_months == 0 || self.window_months > MAX_WINDOW_MONTHS {
            return Err(invalid(
                "customer.rfm.window_months",
                RuleId::Cus07,
                format!(
                    "is {}, must lie between 1 and {MAX_WINDOW_MONTHS} months",
                    self.window_months
                ),
            ));
        }
        if !strictly_ascending(&self.recency_days) {
            return Err(invalid(
                "customer.rfm.recency_days",
                RuleId::Cus07,
                format!("must rise strictly, not {:?}", self.recency_days),
            ));
        }
        if !strictly_ascending(&self.frequency_visits) {
            return Err(invalid(
                "customer.rfm.frequency_visits",
                RuleId::Cus07,
                format!("must rise strictly, not {:?}", self.frequency_visits),
            ));
        }
        if self.frequency_visits.first().is_some_and(|f| *f == 0) {
            return Err(invalid(
                "customer.rfm.frequency_visits",
                RuleId::Cus07,
                "starts at 0 visits, must start at 1 or more",
            ));
        }
        if !strictly_ascending(&self.monetary) {
            let shown: Vec<String> = self.monetary.iter().map(Decimal::to_string).collect();
            return Err(invalid(
                "customer.rfm.monetary",
                RuleId::Cus07,
                format!("must rise strictly, not [{}]", shown.join(", ")),
            ));
        }
        if let Some(first) = self.monetary.first() {
            if *first <= Decimal::ZERO {
                return Err(invalid(
                    "customer.rfm.monetary",
                    RuleId::Cus07,
                    format!("starts at {first}, must start above zero"),
                ));
            }
        }
        Ok(())
    }

    /// The scores of `measures`.
    pub fn score(&self, measures: &RfmMeasures) -> RfmScore {
        let days = measures.days_since_last_visit;
        let spend = measures.spend.amount();
        RfmScore {
            recency: level(self.recency_days.iter().filter(|t| days <= **t).count()),
            frequency: level(
                self.frequency_visits
                    .iter()
                    .filter(|t| measures.visits >= **t)
                    .count(),
            ),
            monetary: level(self.monetary.iter().filter(|t| spend >= **t).count()),
        }
    }
}

/// The score for `reached` thresholds out of four: 1 to 5.
fn level(reached: usize) -> u8 {
    match reached {
        0 => 1,
        1 => 2,
        2 => 3,
        3 => 4,
        _ => 5,
    }
}

/// Why a customer cannot be scored (CUS-07).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SegmentError {
    /// No visit on or before the reference date: behaviour segmentation
    /// describes only customers who have come (\[003\]).
    #[error(
        "no visit on or before {at}: behaviour segmentation needs a customer who has visited (CUS-07)"
    )]
    NoVisits {
        /// The reference date.
        at: NaiveDate,
    },
    /// A visit in the window was paid in another currency than the
    /// policy's; it is neither converted nor left out.
    #[error(
        "the visit on {date} is paid in {found}, not in the policy currency {expected}; \
         convert it before scoring (CUS-07)"
    )]
    Currency {
        /// The day of the visit.
        date: NaiveDate,
        /// The policy currency.
        expected: Currency,
        /// The visit's currency.
        found: Currency,
    },
    /// The spend in the window does not fit in a decimal.
    #[error("the spend up to the visit on {date} does not fit in a decimal (CUS-07)")]
    Overflow {
        /// The visit whose amount overflowed the sum.
        date: NaiveDate,
    },
}

/// What the visit history says about behaviour at a date (CUS-07): the
/// raw values the scores come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfmMeasures {
    /// The reference date.
    pub at: NaiveDate,
    /// The first day of the window; `None` when the window reaches past
    /// the calendar's start (every visit counts).
    pub window_from: Option<NaiveDate>,
    /// The last visit on or before `at`.
    pub last_visit: NaiveDate,
    /// Days from the last visit to `at` (0 for a visit on `at`).
    pub days_since_last_visit: u32,
    /// Visits in the window.
    pub visits: u32,
    /// The sum of the amounts of the visits in the window, in the policy
    /// currency; a visit without an amount adds nothing.
    pub spend: Money,
}

impl RfmMeasures {
    /// The measures of `visits`, in any order, at `at`, in one pass. Visits
    /// after `at` are ignored; a visit on `at` counts.
    ///
    /// # Errors
    ///
    /// [`SegmentError::NoVisits`] when no visit is on or before `at`;
    /// [`SegmentError::Currency`] when a visit in the window is paid in
    /// another currency than the policy's; [`SegmentError::Overflow`] when
    /// the spend does not fit in a decimal.
    pub fn of(
        visits: &[Visit],
        at: NaiveDate,
        policy: &Policy,
    ) -> Result<RfmMeasures, SegmentError> {
        let currency = policy.estimate().currency;
        let window_from = window_start(at, policy.customer().rfm.window_months);
        let mut last: Option<NaiveDate> = None;
        let mut count = 0u32;
        let mut spend = Money::zero(currency);
        for visit in visits {
            let date = visit.date;
            if date > at {
                continue;
            }
            if last.is_none_or(|l| date > l) {
                last = Some(date);
            }
            if window_from.is_some_and(|from| date < from) {
                continue;
            }
            count = count.saturating_add(1);
            if let Some(amount) = visit.amount {
                spend = spend.checked_add(amount).map_err(|e| match e {
                    MoneyError::CurrencyMismatch { .. } => SegmentError::Currency {
                        date,
                        expected: currency,
                        found: amount.currency(),
                    },
                    _ => SegmentError::Overflow { date },
                })?;
            }
        }
        let Some(last_visit) = last else {
            return Err(SegmentError::NoVisits { at });
        };
        let days = at.signed_duration_since(last_visit).num_days();
        Ok(RfmMeasures {
            at,
            window_from,
            last_visit,
            days_since_last_visit: u32::try_from(days).unwrap_or(u32::MAX),
            visits: count,
            spend,
        })
    }
}

/// Recency, frequency and monetary scores, each from 1 (worst) to 5
/// (best). A value outside 1–5 (from hand-built or deserialized data) is
/// read as the nearest of 1 and 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RfmScore {
    /// Recency: 5 for a recent last visit.
    pub recency: u8,
    /// Frequency: 5 for many visits in the window.
    pub frequency: u8,
    /// Monetary value: 5 for a high spend in the window.
    pub monetary: u8,
}

impl RfmScore {
    /// The segment of the scores; see [`Segment::of`].
    pub fn segment(self) -> Segment {
        Segment::of(self)
    }

    /// The three digits as the usual RFM code, such as `"545"`.
    pub fn code(self) -> String {
        format!(
            "{}{}{}",
            self.recency.clamp(1, 5),
            self.frequency.clamp(1, 5),
            self.monetary.clamp(1, 5)
        )
    }
}

words! {
    /// The behaviour segment of a customer (CUS-07), from the RFM scores.
    ///
    /// The table follows the common RFM grid of recency against the mean
    /// of frequency and monetary value (`fm` = (F + M) / 2, rounded down).
    /// It is the crate's choice, not the sources':
    ///
    /// | R \ fm | 1 | 2 | 3 | 4 | 5 |
    /// |---|---|---|---|---|---|
    /// | 5 | New | Potential | Loyal | Champions | Champions |
    /// | 4 | New | Potential | Loyal | Champions | Champions |
    /// | 3 | Hibernating | Potential | Loyal | Loyal | Loyal |
    /// | 2 | Hibernating | Hibernating | AtRisk | AtRisk | CannotLose |
    /// | 1 | Lost | Lost | AtRisk | CannotLose | CannotLose |
    Segment {
        /// Recent, frequent, high spend: reward and keep close (高价值客户).
        Champions => "champions", "高价值客户";
        /// Regular customers of middling to high value who still come
        /// (忠诚客户).
        Loyal => "loyal", "忠诚客户";
        /// Recent customers with some history: could become loyal
        /// (潜力客户).
        Potential => "potential", "潜力客户";
        /// Recent, with little history yet (新客户).
        New => "new", "新客户";
        /// Used to come and spend, not lately (流失风险客户).
        AtRisk => "at risk", "流失风险客户";
        /// The most valuable customers, gone quiet: win them back first
        /// (重要挽留客户).
        CannotLose => "cannot lose", "重要挽留客户";
        /// Rare, low spend, not seen for a while (沉睡客户).
        Hibernating => "hibernating", "沉睡客户";
        /// Rare, low spend, long gone (流失客户).
        Lost => "lost", "流失客户";
    }
}

impl Segment {
    /// The segment of `score`, by the table above.
    ///
    /// ```
    /// use aftersales::{RfmScore, Segment};
    ///
    /// let s = |recency, frequency, monetary| RfmScore { recency, frequency, monetary };
    /// assert_eq!(Segment::of(s(5, 5, 4)), Segment::Champions);
    /// assert_eq!(Segment::of(s(5, 1, 2)), Segment::New); // fm = 1
    /// assert_eq!(Segment::of(s(1, 5, 5)), Segment::CannotLose);
    /// assert_eq!(Segment::of(s(1, 1, 1)), Segment::Lost);
    /// ```
    pub fn of(score: RfmScore) -> Segment {
        let r = score.recency.clamp(1, 5);
        let f = score.frequency.clamp(1, 5);
        let m = score.monetary.clamp(1, 5);
        // f + m is at most 10: no overflow.
        let fm = f.saturating_add(m) / 2;
        match (r, fm) {
            (4..=5, 1) => Segment::New,
            (4..=5, 2) | (3, 2) => Segment::Potential,
            (4..=5, 3) | (3, 3..=5) => Segment::Loyal,
            (4..=5, _) => Segment::Champions,
            (3, _) | (2, 1..=2) => Segment::Hibernating,
            (2, 3..=4) | (1, 3) => Segment::AtRisk,
            (2, _) | (1, 4..=5) => Segment::CannotLose,
            _ => Segment::Lost,
        }
    }
}

/// The RFM scores of `visits` at `at` under the policy (CUS-07): one pass
/// over the visits, no allocation.
///
/// # Errors
///
/// As [`RfmMeasures::of`]: no visit up to `at`, a visit in the window in
/// another currency, or an overflowing sum.
///
/// ```
/// use aftersales::{Money, Policy, Segment, Visit, VisitKind, rfm};
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
///
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let visit = |date, yuan| Visit {
///     amount: Some(Money::cny(Decimal::from(yuan))),
///     ..Visit::new(date, VisitKind::Maintenance)
/// };
/// let visits = [
///     visit(d(2024, 4, 1), 900),
///     visit(d(2024, 10, 8), 1_200),
///     visit(d(2025, 4, 2), 2_400),
///     visit(d(2025, 11, 20), 800),
///     visit(d(2026, 5, 6), 4_100),
/// ];
/// let score = rfm(&visits, d(2026, 6, 30), &Policy::default())?;
/// // 55 days since the last visit; 5 visits and 9,400 CNY in 36 months.
/// assert_eq!((score.recency, score.frequency, score.monetary), (5, 4, 4));
/// assert_eq!(score.segment(), Segment::Champions);
/// # Ok::<(), aftersales::SegmentError>(())
/// ```
pub fn rfm(visits: &[Visit], at: NaiveDate, policy: &Policy) -> Result<RfmScore, SegmentError> {
    let measures = RfmMeasures::of(visits, at, policy)?;
    Ok(policy.customer().rfm.score(&measures))
}

/// The external and internal attributes of a customer, from the card
/// (CUS-07), as a grouping key: each is `None` when the card does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomerAttributes {
    /// External: private person, company or government.
    pub organisation: Option<OrganisationType>,
    /// External: the region the customer lives in.
    pub region: Option<CardText>,
    /// Internal: gender.
    pub gender: Option<Gender>,
    /// Internal: the age band at the reference date, from the birthday.
    pub age: Option<AgeBand>,
    /// Internal: the monthly income band.
    pub income: Option<IncomeBand>,
    /// Internal: the occupation group.
    pub occupation: Option<Occupation>,
}

impl CustomerAttributes {
    /// The attributes on `card` at `at` (the age band is taken on `at`).
    pub fn of(card: &Card, at: NaiveDate) -> CustomerAttributes {
        let (basic, personal) = match card {
            Card::A(a) => (&a.basic, &a.personal),
            Card::C(c) => (&c.basic, &c.personal),
        };
        CustomerAttributes {
            organisation: basic.organisation,
            region: card.contact().region.clone(),
            gender: basic.gender,
            age: basic.birthday.and_then(|b| AgeBand::of(b, at)),
            income: personal.income,
            occupation: personal.occupation,
        }
    }
}

/// A customer's segmentation at a date (CUS-07): attributes, measures,
/// scores and segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerSegment {
    /// The external and internal attributes; all `None` for a file not
    /// yet opened.
    pub attributes: CustomerAttributes,
    /// The behaviour measures.
    pub measures: RfmMeasures,
    /// The scores.
    pub score: RfmScore,
    /// The segment of the scores.
    pub segment: Segment,
}

/// The segmentation of the customer of `file` at `at` (CUS-07).
///
/// # Errors
///
/// As [`RfmMeasures::of`].
///
/// ```
/// use aftersales::{
///     BasicInfo, CCard, CustomerFile, CustomerFileCommand, OrganisationType, Policy, Segment,
///     VehicleInfo, Visit, VisitKind, customer_segment,
/// };
/// use chrono::NaiveDate;
///
/// let policy = Policy::default();
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let mut basic = BasicInfo::new("李女士".parse()?);
/// basic.organisation = Some(OrganisationType::Company);
/// let card = CCard::service_only("C-0002".parse()?, basic, VehicleInfo::new("LSVAA4180E2123456".parse()?));
/// let mut file = CustomerFile::new();
/// file.execute(CustomerFileCommand::OpenServiceFile { on: d(1, 5), card }, &policy)?;
/// let visit = Visit::new(d(1, 5), VisitKind::Repair);
/// file.execute(CustomerFileCommand::RecordVisit { visit, advisor: None }, &policy)?;
///
/// let seg = customer_segment(&file, d(2, 1), &policy)?;
/// assert_eq!(seg.attributes.organisation, Some(OrganisationType::Company));
/// assert_eq!(seg.segment, Segment::New);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn customer_segment(
    file: &CustomerFile,
    at: NaiveDate,
    policy: &Policy,
) -> Result<CustomerSegment, SegmentError> {
    let measures = RfmMeasures::of(file.visits(), at, policy)?;
    let score = policy.customer().rfm.score(&measures);
    Ok(CustomerSegment {
        attributes: file
            .card()
            .map(|c| CustomerAttributes::of(c, at))
            .unwrap_or_default(),
        measures,
        score,
        segment: Segment::of(score),
    })
}
