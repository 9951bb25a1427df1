//! The A-card and C-card analysis tables (CUS-12, 表11 A卡分析表 and 表12
//! C卡分析表): how many cards fall under each value of each column, over
//! a data-collection period.
//!
//! Both tables are built in one pass over any iterator of cards and merge
//! exactly, so two months or two dealers add up to the table of the whole.
//! Every column counts the cards whose field is empty as "not recorded"
//! (未填): a single-valued column sums to the number of cards, and nothing
//! is dropped without a trace. The multi-select columns of 表12
//! (accessories, purchase factors) count each value a card has, so they
//! may sum to more than the number of cards.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::card::{
    ACard, Accessory, AgeBand, CCard, CardText, DealChannel, Gender, IncomeBand, InformationSource,
    InsuranceChoice, LostSaleReason, Occupation, PurchaseFactor, PurchaseType, VehicleCondition,
    VisitChannel,
};
use super::file::{Card, CustomerFile};
use crate::text::{left, right, width};

/// Why an analysis value is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// A data-collection period that ends before it starts.
    #[error("the data-collection period ends on {to}, before it starts on {from} (CUS-12)")]
    PeriodReversed {
        /// The first day.
        from: NaiveDate,
        /// The last day.
        to: NaiveDate,
    },
}

/// The data-collection period of an analysis table (数据搜集期间 … 起至
/// …): both days included.
///
/// ```
/// use aftersales::CollectionPeriod;
/// use chrono::NaiveDate;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
/// let q1 = CollectionPeriod::try_new(d(1, 1), d(3, 31))?;
/// assert!(q1.contains(d(3, 31)));
/// assert!(CollectionPeriod::try_new(d(3, 31), d(1, 1)).is_err());
/// # Ok::<(), aftersales::AnalysisError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "PeriodRepr", into = "PeriodRepr")]
pub struct CollectionPeriod {
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodRepr {
    from: NaiveDate,
    to: NaiveDate,
}

impl TryFrom<PeriodRepr> for CollectionPeriod {
    type Error = AnalysisError;
    fn try_from(r: PeriodRepr) -> Result<Self, Self::Error> {
        CollectionPeriod::try_new(r.from, r.to)
    }
}

impl From<CollectionPeriod> for PeriodRepr {
    fn from(p: CollectionPeriod) -> Self {
        PeriodRepr {
            from: p.from,
            to: p.to,
        }
    }
}

impl CollectionPeriod {
    /// The days `from` to `to`, both included.
    ///
    /// # Errors
    ///
    /// [`AnalysisError::PeriodReversed`] when `to` is before `from`.
    pub fn try_new(from: NaiveDate, to: NaiveDate) -> Result<CollectionPeriod, AnalysisError> {
        if to < from {
            return Err(AnalysisError::PeriodReversed { from, to });
        }
        Ok(CollectionPeriod { from, to })
    }

    /// The first day (起).
    pub const fn from(self) -> NaiveDate {
        self.from
    }

    /// The last day (至).
    pub const fn to(self) -> NaiveDate {
        self.to
    }

    /// Whether `date` lies in the period.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// The smallest period covering both.
    pub fn union(self, other: CollectionPeriod) -> CollectionPeriod {
        CollectionPeriod {
            from: self.from.min(other.from),
            to: self.to.max(other.to),
        }
    }
}

impl fmt::Display for CollectionPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}

fn merge_periods(
    a: Option<CollectionPeriod>,
    b: Option<CollectionPeriod>,
) -> Option<CollectionPeriod> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.union(b)),
        (a, b) => a.or(b),
    }
}

/// One column of an analysis table: how many cards have each value, and
/// how many have none (未填).
///
/// Only values that occur are stored, so two tallies of the same cards are
/// equal however they were built.
///
/// ```
/// use aftersales::{CardTally, Gender};
///
/// let mut t = CardTally::new();
/// t.add(Some(Gender::Male));
/// t.add(Some(Gender::Male));
/// t.add(None);
/// assert_eq!(t.count(&Gender::Male), 2);
/// assert_eq!(t.count(&Gender::Female), 0);
/// assert_eq!(t.unknown, 1);
/// assert_eq!(t.total(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardTally<K: Ord> {
    /// Cards per value; values with no card are absent.
    pub counts: BTreeMap<K, u64>,
    /// Cards with no value recorded (未填).
    pub unknown: u64,
}

impl<K: Ord> Default for CardTally<K> {
    fn default() -> Self {
        CardTally {
            counts: BTreeMap::new(),
            unknown: 0,
        }
    }
}

impl<K: Ord> CardTally<K> {
    /// An empty tally.
    pub fn new() -> Self {
        CardTally::default()
    }

    /// Counts one card with `value`, or as not recorded.
    pub fn add(&mut self, value: Option<K>) {
        match value {
            Some(k) => {
                let n = self.counts.entry(k).or_insert(0);
                *n = n.saturating_add(1);
            }
            None => self.unknown = self.unknown.saturating_add(1),
        }
    }

    /// Counts one card of a multi-select column: each value once, or the
    /// card as not recorded when it has none.
    pub fn add_each<I>(&mut self, values: I)
    where
        I: IntoIterator<Item = K>,
    {
        let mut any = false;
        for k in values {
            any = true;
            self.add(Some(k));
        }
        if !any {
            self.add(None);
        }
    }

    /// Cards with `value`.
    pub fn count(&self, value: &K) -> u64 {
        self.counts.get(value).copied().unwrap_or(0)
    }

    /// Every count, not recorded included: the number of cards for a
    /// single-valued column.
    pub fn total(&self) -> u64 {
        self.counts
            .values()
            .fold(self.unknown, |sum, n| sum.saturating_add(*n))
    }
}

impl<K: Ord + Clone> CardTally<K> {
    /// Counts one card with the values of a multi-select `set` (see
    /// [`CardTally::add_each`]).
    pub fn add_set(&mut self, set: &BTreeSet<K>) {
        self.add_each(set.iter().cloned());
    }

    /// Adds another tally's counts to these.
    pub fn merge(&mut self, other: &CardTally<K>) {
        for (k, v) in &other.counts {
            let n = self.counts.entry(k.clone()).or_insert(0);
            *n = n.saturating_add(*v);
        }
        self.unknown = self.unknown.saturating_add(other.unknown);
    }
}

/// The A-card analysis (表11 A卡分析表, CUS-12): sales customers by
/// gender, monthly income, age, purchase region, occupation, information
/// source, visit channel and model.
///
/// ```
/// use aftersales::{ACard, ACardAnalysis, AgeBand, BasicInfo, Gender, VehicleInfo};
/// use chrono::NaiveDate;
///
/// let mut basic = BasicInfo::new("王先生".parse()?);
/// basic.gender = Some(Gender::Male);
/// basic.birthday = NaiveDate::from_ymd_opt(1990, 5, 1);
/// let card = ACard {
///     customer: "C-0001".parse()?,
///     basic,
///     contact: Default::default(),
///     vehicle: VehicleInfo::new("LSVAA4180E2123456".parse()?),
///     insurance: Default::default(),
///     personal: Default::default(),
///     sale: Default::default(),
///     remarks: None,
/// };
/// let at = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
/// let table = ACardAnalysis::from_cards([&card], at);
/// assert_eq!(table.cards, 1);
/// assert_eq!(table.gender.count(&Gender::Male), 1);
/// assert_eq!(table.age.count(&AgeBand::From26To35), 1); // 35 on `at`
/// assert_eq!(table.income.unknown, 1); // not recorded, still counted
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ACardAnalysis {
    /// The data-collection period (数据搜集期间), when stated.
    #[serde(default)]
    pub period: Option<CollectionPeriod>,
    /// Cards counted.
    pub cards: u64,
    /// 性别.
    pub gender: CardTally<Gender>,
    /// 收入(月).
    pub income: CardTally<IncomeBand>,
    /// 年龄, at the reference date each card was counted at.
    pub age: CardTally<AgeBand>,
    /// 购车区域: the contact block's region, per distinct name.
    pub region: CardTally<CardText>,
    /// 职业.
    pub occupation: CardTally<Occupation>,
    /// 信息来源.
    pub information_source: CardTally<InformationSource>,
    /// 来店渠道.
    pub visit_channel: CardTally<VisitChannel>,
    /// 车型: the vehicle's model, per distinct name.
    pub model: CardTally<CardText>,
}

impl ACardAnalysis {
    /// An empty table for `period`.
    pub fn new(period: Option<CollectionPeriod>) -> Self {
        ACardAnalysis {
            period,
            ..ACardAnalysis::default()
        }
    }

    /// Counts one card; the age band is the customer's age on `at`
    /// (not recorded without a birthday, or when `at` is before it).
    pub fn add(&mut self, card: &ACard, at: NaiveDate) {
        self.cards = self.cards.saturating_add(1);
        self.gender.add(card.basic.gender);
        self.income.add(card.personal.income);
        self.age
            .add(card.basic.birthday.and_then(|b| AgeBand::of(b, at)));
        self.region.add(card.contact.region.clone());
        self.occupation.add(card.personal.occupation);
        self.information_source.add(card.sale.information_source);
        self.visit_channel.add(card.sale.visit_channel);
        self.model.add(card.vehicle.model.clone());
    }

    /// The table of `cards`, ages on `at`, in one pass; no period stated.
    pub fn from_cards<'a, I>(cards: I, at: NaiveDate) -> Self
    where
        I: IntoIterator<Item = &'a ACard>,
    {
        let mut table = ACardAnalysis::default();
        for card in cards {
            table.add(card, at);
        }
        table
    }

    /// Adds another table's counts to these; the period becomes the
    /// smallest one covering both.
    pub fn merge(&mut self, other: &ACardAnalysis) {
        self.period = merge_periods(self.period, other.period);
        self.cards = self.cards.saturating_add(other.cards);
        self.gender.merge(&other.gender);
        self.income.merge(&other.income);
        self.age.merge(&other.age);
        self.region.merge(&other.region);
        self.occupation.merge(&other.occupation);
        self.information_source.merge(&other.information_source);
        self.visit_channel.merge(&other.visit_channel);
        self.model.merge(&other.model);
    }

    /// The table as plain text with Chinese and English labels: every
    /// value of a closed column is listed, zeros included; regions and
    /// models as they occur.
    pub fn render(&self) -> String {
        let mut t = Table::new("A卡分析表 A-card analysis", self.period, self.cards);
        t.words("性别 Gender", &self.gender, false);
        t.words("收入(月) Monthly income (CNY)", &self.income, false);
        t.words("年龄 Age", &self.age, false);
        t.names("购车区域 Purchase region", &self.region);
        t.words("职业 Occupation", &self.occupation, false);
        t.words(
            "信息来源 Information source",
            &self.information_source,
            false,
        );
        t.words("来店渠道 Visit channel", &self.visit_channel, false);
        t.names("车型 Model", &self.model);
        t.finish()
    }
}

impl fmt::Display for ACardAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// The C-card analysis (表12 C卡分析表, CUS-12): service customers by
/// insurance, deal channel, purchase type, region, accessories, purchase
/// factors, lost-sale reason, new or used vehicle and model.
///
/// Accessories and purchase factors are multi-select: a card counts once
/// under each value it has, so these columns may sum to more than
/// [`CCardAnalysis::cards`]; a card with none counts as not recorded. The
/// sale columns (deal channel, purchase type, accessories, factors) are
/// not recorded for a customer who did not buy here.
///
/// ```
/// use aftersales::{Accessory, BasicInfo, CCard, CCardAnalysis, SaleInfo, VehicleInfo};
///
/// let mut card = CCard::service_only(
///     "C-0002".parse()?,
///     BasicInfo::new("李女士".parse()?),
///     VehicleInfo::new("LSVAA4180E2654321".parse()?),
/// );
/// let mut sale = SaleInfo::default();
/// sale.accessories.extend([Accessory::WindowFilm, Accessory::Gps]);
/// card.sale = Some(sale);
/// let table = CCardAnalysis::from_cards([&card]);
/// assert_eq!(table.cards, 1);
/// assert_eq!(table.accessories.total(), 2); // two accessories on one card
/// assert_eq!(table.insurance.unknown, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CCardAnalysis {
    /// The data-collection period (数据搜集期间), when stated.
    #[serde(default)]
    pub period: Option<CollectionPeriod>,
    /// Cards counted.
    pub cards: u64,
    /// 保险: insured with the dealer (自选) or elsewhere (外保).
    pub insurance: CardTally<InsuranceChoice>,
    /// 成交类别分析.
    pub deal_channel: CardTally<DealChannel>,
    /// 首、增、换购.
    pub purchase_type: CardTally<PurchaseType>,
    /// 客户居住区域: the contact block's region, per distinct name.
    pub region: CardTally<CardText>,
    /// 精品与改装 (multi-select).
    pub accessories: CardTally<Accessory>,
    /// 购买因素 (multi-select).
    pub purchase_factors: CardTally<PurchaseFactor>,
    /// 战败分析.
    pub lost_sale: CardTally<LostSaleReason>,
    /// 新旧车.
    pub condition: CardTally<VehicleCondition>,
    /// 车型: the vehicle's model, per distinct name.
    pub model: CardTally<CardText>,
}

impl CCardAnalysis {
    /// An empty table for `period`.
    pub fn new(period: Option<CollectionPeriod>) -> Self {
        CCardAnalysis {
            period,
            ..CCardAnalysis::default()
        }
    }

    /// Counts one card.
    pub fn add(&mut self, card: &CCard) {
        self.cards = self.cards.saturating_add(1);
        self.insurance
            .add(InsuranceChoice::of(card.insurance.insured_here));
        let sale = card.sale.as_ref();
        self.deal_channel.add(sale.and_then(|s| s.deal_channel));
        self.purchase_type.add(sale.and_then(|s| s.purchase_type));
        self.region.add(card.contact.region.clone());
        self.accessories
            .add_each(sale.into_iter().flat_map(|s| s.accessories.iter().copied()));
        self.purchase_factors.add_each(
            sale.into_iter()
                .flat_map(|s| s.purchase_factors.iter().copied()),
        );
        self.lost_sale.add(card.service.lost_sale);
        self.condition.add(card.vehicle.condition);
        self.model.add(card.vehicle.model.clone());
    }

    /// The table of `cards` in one pass; no period stated.
    pub fn from_cards<'a, I>(cards: I) -> Self
    where
        I: IntoIterator<Item = &'a CCard>,
    {
        let mut table = CCardAnalysis::default();
        for card in cards {
            table.add(card);
        }
        table
    }

    /// Adds another table's counts to these; the period becomes the
    /// smallest one covering both.
    pub fn merge(&mut self, other: &CCardAnalysis) {
        self.period = merge_periods(self.period, other.period);
        self.cards = self.cards.saturating_add(other.cards);
        self.insurance.merge(&other.insurance);
        self.deal_channel.merge(&other.deal_channel);
        self.purchase_type.merge(&other.purchase_type);
        self.region.merge(&other.region);
        self.accessories.merge(&other.accessories);
        self.purchase_factors.merge(&other.purchase_factors);
        self.lost_sale.merge(&other.lost_sale);
        self.condition.merge(&other.condition);
        self.model.merge(&other.model);
    }

    /// The table as plain text with Chinese and English labels: every
    /// value of a closed column is listed, zeros included; regions and
    /// models as they occur. The multi-select columns say so.
    pub fn render(&self) -> String {
        let mut t = Table::new("C卡分析表 C-card analysis", self.period, self.cards);
        t.words("保险 Insurance", &self.insurance, false);
        t.words("成交类别分析 Deal channel", &self.deal_channel, false);
        t.words("首、增、换购 Purchase type", &self.purchase_type, false);
        t.names("客户居住区域 Region", &self.region);
        t.words("精品与改装 Accessories", &self.accessories, true);
        t.words("购买因素 Purchase factors", &self.purchase_factors, true);
        t.words("战败分析 Lost sale", &self.lost_sale, false);
        t.words("新旧车 New or used", &self.condition, false);
        t.names("车型 Model", &self.model);
        t.finish()
    }
}

impl fmt::Display for CCardAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Both analysis tables, fed from customer files: a file on an A-card goes
/// to [`CardAnalysis::a`], one on a C-card to [`CardAnalysis::c`], and a
/// file not yet opened is counted in [`CardAnalysis::unopened`].
///
/// ```
/// use aftersales::{CardAnalysis, CustomerFile};
/// use chrono::NaiveDate;
///
/// let at = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
/// let files = [CustomerFile::new()];
/// let tables = CardAnalysis::from_files(&files, at);
/// assert_eq!((tables.a.cards, tables.c.cards, tables.unopened), (0, 0, 1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardAnalysis {
    /// 表11, from the files on an A-card.
    pub a: ACardAnalysis,
    /// 表12, from the files on a C-card.
    pub c: CCardAnalysis,
    /// Files offered that were not yet opened (no card to count).
    pub unopened: u64,
}

impl CardAnalysis {
    /// Empty tables, both for `period`.
    pub fn new(period: Option<CollectionPeriod>) -> Self {
        CardAnalysis {
            a: ACardAnalysis::new(period),
            c: CCardAnalysis::new(period),
            unopened: 0,
        }
    }

    /// Counts one card in its table; A-card ages are taken on `at`.
    pub fn add_card(&mut self, card: &Card, at: NaiveDate) {
        match card {
            Card::A(a) => self.a.add(a, at),
            Card::C(c) => self.c.add(c),
        }
    }

    /// Counts the card of one file, or the file as not opened.
    pub fn add_file(&mut self, file: &CustomerFile, at: NaiveDate) {
        match file.card() {
            Some(card) => self.add_card(card, at),
            None => self.unopened = self.unopened.saturating_add(1),
        }
    }

    /// Both tables of `files` in one pass; no period stated.
    pub fn from_files<'a, I>(files: I, at: NaiveDate) -> Self
    where
        I: IntoIterator<Item = &'a CustomerFile>,
    {
        let mut tables = CardAnalysis::default();
        for file in files {
            tables.add_file(file, at);
        }
        tables
    }

    /// Adds other tables to these.
    pub fn merge(&mut self, other: &CardAnalysis) {
        self.a.merge(&other.a);
        self.c.merge(&other.c);
        self.unopened = self.unopened.saturating_add(other.unopened);
    }

    /// Both tables, 表11 then 表12, and the files not yet opened.
    pub fn render(&self) -> String {
        let mut out = self.a.render();
        out.push('\n');
        out.push_str(&self.c.render());
        if self.unopened > 0 {
            let _ = writeln!(out, "\n未建卡档案 Files not yet opened: {}", self.unopened);
        }
        out
    }
}

impl fmt::Display for CardAnalysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// A closed set of words with Chinese and English labels.
trait Labelled: Ord + Copy + 'static {
    const VALUES: &'static [Self];
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
}

macro_rules! labelled {
    ($($t:ty),+) => {$(
        impl Labelled for $t {
            const VALUES: &'static [Self] = <$t>::ALL;
            fn zh(self) -> &'static str {
                self.label_zh()
            }
            fn en(self) -> &'static str {
                self.label_en()
            }
        }
    )+};
}

labelled!(
    Gender,
    IncomeBand,
    AgeBand,
    Occupation,
    InformationSource,
    VisitChannel,
    InsuranceChoice,
    DealChannel,
    PurchaseType,
    Accessory,
    PurchaseFactor,
    LostSaleReason,
    VehicleCondition
);

/// The writer of both tables: a heading per column, one line per value,
/// the counts right-aligned in one column after the longest label.
struct Table {
    /// (label, count): a heading or a blank line when the count is `None`.
    lines: Vec<(String, Option<u64>)>,
}

impl Table {
    const INDENT: &'static str = "  ";

    fn new(title: &str, period: Option<CollectionPeriod>, cards: u64) -> Table {
        let period = period.map_or_else(|| "未填 not stated".to_owned(), |p| p.to_string());
        Table {
            lines: vec![
                (title.to_owned(), None),
                (format!("数据搜集期间 Collection period: {period}"), None),
                ("卡数 Cards".to_owned(), Some(cards)),
            ],
        }
    }

    fn heading(&mut self, heading: &str, multi: bool) {
        self.lines.push((String::new(), None));
        let heading = if multi {
            format!("{heading} (多选 multi-select: may sum to more than the cards)")
        } else {
            heading.to_owned()
        };
        self.lines.push((heading, None));
    }

    fn value(&mut self, label: &str, n: u64) {
        self.lines
            .push((format!("{}{label}", Table::INDENT), Some(n)));
    }

    fn words<K: Labelled>(&mut self, heading: &str, tally: &CardTally<K>, multi: bool) {
        self.heading(heading, multi);
        for k in K::VALUES.iter().copied() {
            let label = if k.zh() == k.en() {
                k.en().to_owned()
            } else {
                format!("{} {}", k.zh(), k.en())
            };
            self.value(&label, tally.count(&k));
        }
        self.value("未填 not recorded", tally.unknown);
    }

    fn names(&mut self, heading: &str, tally: &CardTally<CardText>) {
        self.heading(heading, false);
        for (name, n) in &tally.counts {
            self.value(name.as_str(), *n);
        }
        self.value("未填 not recorded", tally.unknown);
    }

    fn finish(self) -> String {
        let label_width = self
            .lines
            .iter()
            .filter(|(_, n)| n.is_some())
            .map(|(l, _)| width(l))
            .max()
            .unwrap_or(0);
        let counts: Vec<String> = self
            .lines
            .iter()
            .filter_map(|(_, n)| n.map(|n| n.to_string()))
            .collect();
        let num_width = counts.iter().map(|c| width(c)).max().unwrap_or(0);
        let mut out = String::new();
        for (label, n) in &self.lines {
            let _ = match n {
                Some(n) => writeln!(
                    out,
                    "{}  {}",
                    left(label, label_width),
                    right(&n.to_string(), num_width)
                ),
                None => writeln!(out, "{label}"),
            };
        }
        out
    }
}
