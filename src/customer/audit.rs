//! The weekly file audit (CUS-06, 表14 客户档案检核记录表): each week
//! customer relations compares the paper file with the electronic one for
//! a sample of sales files (售时) and service files (售后), and records
//! every check as normal or abnormal.
//!
//! The sample is drawn without hidden randomness: [`AuditSample::draw`]
//! ranks every file by a hash of the caller's seed, the ISO week and the
//! VIN, and takes the lowest ranks. The same files, week and seed always
//! give the same sample, in whatever order the files are listed; another
//! week or another seed gives another sample. A [`WeeklyAudit`] then
//! collects one [`AuditRecord`] per sampled file and reports what is
//! missing.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::str::FromStr;

use chrono::{Datelike, Days, IsoWeek, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::card::{CardError, CardText};
use super::file::{Card, CardKind, CustomerFile};
use crate::hash::fnv1a;
use crate::ids::{StaffId, Vin};
use crate::policy::{PolicyError, invalid};
use crate::rule::RuleId;
use crate::text::{left, width};

/// The most files of one category a week's audit may ask for.
const MAX_FILES_PER_WEEK: u32 = 1_000;

/// The policy of the weekly file audit (CUS-06): how many sales files and
/// how many service files customer relations checks each week.
///
/// \[002\] asks for 10 of each. Either count may be zero (a workshop
/// without a sales department has no sales files to check), but not both,
/// since the audit would then check nothing; neither may exceed 1,000.
///
/// ```
/// use aftersales::{FileAuditPolicy, Policy};
///
/// let policy = Policy::default();
/// assert_eq!(policy.customer().file_audit, FileAuditPolicy { sales_files: 10, service_files: 10 });
///
/// let bad = r#"{ "customer": { "file_audit": { "sales_files": 0, "service_files": 0 } } }"#;
/// let err = serde_json::from_str::<Policy>(bad).unwrap_err().to_string();
/// assert!(err.contains("CUS-06"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FileAuditPolicy {
    /// Sales files (售时, A-cards) checked per week: 10.
    pub sales_files: u32,
    /// Service files (售后, C-cards) checked per week: 10.
    pub service_files: u32,
}

impl Default for FileAuditPolicy {
    fn default() -> Self {
        FileAuditPolicy {
            sales_files: 10,
            service_files: 10,
        }
    }
}

impl FileAuditPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] on `customer.file_audit` (CUS-06) when a count is
    /// above 1,000 or both counts are zero.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (field, n) in [
            ("customer.file_audit.sales_files", self.sales_files),
            ("customer.file_audit.service_files", self.service_files),
        ] {
            if n > MAX_FILES_PER_WEEK {
                return Err(invalid(
                    field,
                    RuleId::Cus06,
                    format!("must be at most {MAX_FILES_PER_WEEK} files a week, not {n}"),
                ));
            }
        }
        if self.sales_files == 0 && self.service_files == 0 {
            return Err(invalid(
                "customer.file_audit",
                RuleId::Cus06,
                "must check at least one file a week, not 0 sales and 0 service files",
            ));
        }
        Ok(())
    }

    /// How many files of `category` the audit asks for.
    pub const fn asked(&self, category: FileCategory) -> u32 {
        match category {
            FileCategory::Sales => self.sales_files,
            FileCategory::Service => self.service_files,
        }
    }
}

words! {
    /// The category of a file in the audit (表14 档案类别).
    FileCategory {
        /// A sales file (售时): the A-card of a customer who bought here.
        Sales => "sales", "售时";
        /// A service file (售后): the C-card of a service customer.
        Service => "service", "售后";
    }
}

impl FileCategory {
    /// The category of a file on `kind`: an A-card is a sales file, a
    /// C-card a service file.
    pub const fn of(kind: CardKind) -> FileCategory {
        match kind {
            CardKind::A => FileCategory::Sales,
            CardKind::C => FileCategory::Service,
        }
    }
}

impl From<CardKind> for FileCategory {
    fn from(kind: CardKind) -> Self {
        FileCategory::of(kind)
    }
}

words! {
    /// The result of one check (表14 检核状态).
    AuditStatus {
        /// Paper and electronic file agree (正常).
        Normal => "normal", "正常";
        /// Something is wrong (异常).
        Abnormal => "abnormal", "异常";
    }
}

/// Why an audit value or an audit is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// An abnormal check without a description.
    #[error("an abnormal check needs a description of what is wrong (CUS-06)")]
    MissingDescription,
    /// An abnormal check without an improvement measure.
    #[error("an abnormal check needs an improvement measure (CUS-06)")]
    MissingMeasure,
    /// A text of the check that is too long.
    #[error("the {field} has {chars} characters, more than 500 (CUS-06)")]
    TextTooLong {
        /// Which text.
        field: &'static str,
        /// Its length.
        chars: usize,
    },
    /// Not an ISO week.
    #[error("`{input}` is not an ISO week such as 2026-W10 (CUS-06)")]
    InvalidWeek {
        /// The rejected input.
        input: String,
    },
    /// A record of a file the week's sample did not pick.
    #[error("file {vin} is not in the sample of {week}; only sampled files are checked (CUS-06)")]
    NotSampled {
        /// The week.
        week: AuditWeek,
        /// The file's VIN.
        vin: Vin,
    },
    /// A second record of the same file in the same week.
    #[error(
        "file {vin} already has a record this week; each sampled file is checked once (CUS-06)"
    )]
    Duplicate {
        /// The file's VIN.
        vin: Vin,
    },
    /// A record whose category differs from the sample's.
    #[error(
        "file {vin} was sampled as a {sampled} file but recorded as a {recorded} file (CUS-06)"
    )]
    WrongCategory {
        /// The file's VIN.
        vin: Vin,
        /// The category in the sample.
        sampled: FileCategory,
        /// The category in the record.
        recorded: FileCategory,
    },
    /// A sampled file without a record.
    #[error("{category} file {vin} is in the sample of {week} but has no record (CUS-06)")]
    Missing {
        /// The week.
        week: AuditWeek,
        /// The file's category.
        category: FileCategory,
        /// The file's VIN.
        vin: Vin,
    },
}

/// An ISO week (Monday to Sunday), written `2026-W10`: the period of one
/// audit.
///
/// ```
/// use aftersales::AuditWeek;
/// use chrono::NaiveDate;
///
/// let thursday = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
/// let week = AuditWeek::containing(thursday);
/// assert_eq!(week.to_string(), "2026-W10");
/// assert_eq!(week.first_day(), NaiveDate::from_ymd_opt(2026, 3, 2));
/// assert_eq!("2026-W10".parse::<AuditWeek>()?, week);
/// assert!("2026-W54".parse::<AuditWeek>().is_err());
/// # Ok::<(), aftersales::AuditError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuditWeek {
    year: i32,
    week: u32,
}

impl AuditWeek {
    /// The week `date` falls in.
    pub fn containing(date: NaiveDate) -> AuditWeek {
        AuditWeek::from(date.iso_week())
    }

    /// Week `week` (1–53) of ISO year `year`.
    ///
    /// # Errors
    ///
    /// [`AuditError::InvalidWeek`] when the year has no such week.
    pub fn try_new(year: i32, week: u32) -> Result<AuditWeek, AuditError> {
        let exists = [Weekday::Mon, Weekday::Sun]
            .into_iter()
            .any(|d| NaiveDate::from_isoywd_opt(year, week, d).is_some());
        if exists {
            Ok(AuditWeek { year, week })
        } else {
            Err(AuditError::InvalidWeek {
                input: format!("{year}-W{week}"),
            })
        }
    }

    /// The ISO year.
    pub const fn year(self) -> i32 {
        self.year
    }

    /// The week number, 1–53.
    pub const fn week(self) -> u32 {
        self.week
    }

    /// The Monday; `None` only at the edge of the calendar.
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon)
    }

    /// The Sunday; `None` only at the edge of the calendar.
    pub fn last_day(self) -> Option<NaiveDate> {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Sun)
    }

    /// The week after; `None` only at the edge of the calendar.
    pub fn succ(self) -> Option<AuditWeek> {
        let monday = self.last_day()?.checked_add_days(Days::new(1))?;
        Some(AuditWeek::containing(monday))
    }

    /// The number the sample's hash mixes in for this week.
    fn key(self) -> u64 {
        let year = u64::from(u32::from_le_bytes(self.year.to_le_bytes()));
        year.wrapping_shl(8) ^ u64::from(self.week)
    }
}

impl From<IsoWeek> for AuditWeek {
    fn from(w: IsoWeek) -> Self {
        AuditWeek {
            year: w.year(),
            week: w.week(),
        }
    }
}

impl fmt::Display for AuditWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for AuditWeek {
    type Err = AuditError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || AuditError::InvalidWeek {
            input: s.to_owned(),
        };
        let (year, week) = s.trim().rsplit_once("-W").ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let week: u32 = week.parse().map_err(|_| bad())?;
        AuditWeek::try_new(year, week).map_err(|_| bad())
    }
}

impl TryFrom<String> for AuditWeek {
    type Error = AuditError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<AuditWeek> for String {
    fn from(w: AuditWeek) -> String {
        w.to_string()
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fully specified
/// generator, so a sample can be recomputed anywhere from its seed.
struct SplitMix64(u64);

impl SplitMix64 {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(Self::GAMMA);
        let mut z = self.0;
        z = (z ^ z.wrapping_shr(30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ z.wrapping_shr(27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ z.wrapping_shr(31)
    }
}

/// The stream of one week under one seed.
fn week_base(seed: u64, week: AuditWeek) -> u64 {
    let mut rng = SplitMix64(seed);
    let first = rng.next();
    SplitMix64(first ^ week.key()).next()
}

/// A file's rank in the week's draw: the lowest ranks are sampled.
fn rank(base: u64, vin: &Vin) -> u64 {
    SplitMix64(base ^ fnv1a(vin.as_str())).next()
}

/// One file the week's sample picked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampledFile {
    /// Sales or service file.
    pub category: FileCategory,
    /// The vehicle's VIN: the file's key (CUS-01).
    pub vin: Vin,
    /// The sales contract number or work-order number the paper file is
    /// filed under (销售协议号/维修工单号), when known.
    #[serde(default)]
    pub reference: Option<CardText>,
}

/// Fewer files of a category than the policy asks for: all of them were
/// taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortfall {
    /// The category.
    pub category: FileCategory,
    /// How many the policy asks for.
    pub asked: u32,
    /// How many there were, all taken.
    pub available: u32,
}

/// The files to check in one week (CUS-06).
///
/// ```
/// use aftersales::{AuditSample, AuditWeek, CardKind, FileAuditPolicy, Vin};
///
/// let files: Vec<(Vin, CardKind)> = [
///     ("LSVAA4180E2000001", CardKind::A),
///     ("LSVAA4180E2000002", CardKind::C),
///     ("LSVAA4180E2000003", CardKind::C),
/// ]
/// .into_iter()
/// .map(|(v, k)| Ok((v.parse()?, k)))
/// .collect::<Result<_, aftersales::IdError>>()?;
/// let policy = FileAuditPolicy { sales_files: 1, service_files: 1 };
/// let week = "2026-W10".parse::<AuditWeek>()?;
///
/// let sample = AuditSample::draw(&files, week, 42, &policy);
/// assert_eq!(sample.files.len(), 2);
/// assert!(sample.is_complete());
///
/// // The same files in another order give the same sample.
/// let reversed: Vec<_> = files.iter().rev().cloned().collect();
/// assert_eq!(AuditSample::draw(&reversed, week, 42, &policy), sample);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSample {
    /// The week.
    pub week: AuditWeek,
    /// The caller's seed.
    pub seed: u64,
    /// The files picked: the sales files, then the service files, each in
    /// the order of the draw. Row `i` of the audit table is `files[i - 1]`.
    pub files: Vec<SampledFile>,
    /// The categories with fewer files than asked; empty when the policy
    /// was met.
    pub shortfalls: Vec<Shortfall>,
}

impl AuditSample {
    /// Draws the week's sample from the files' keys: `policy.sales_files`
    /// files on an A-card and `policy.service_files` on a C-card.
    ///
    /// A VIN listed twice is one file; listed with both cards, it counts
    /// as a service file (a file only moves from the A-card to the C-card,
    /// CUS-04). The result depends on the set of files, `week` and `seed`
    /// only, never on their order.
    pub fn draw<I, V>(files: I, week: AuditWeek, seed: u64, policy: &FileAuditPolicy) -> Self
    where
        I: IntoIterator,
        I::Item: Borrow<(V, CardKind)>,
        V: Borrow<Vin>,
    {
        let mut candidates = BTreeMap::new();
        for item in files {
            let (vin, kind) = item.borrow();
            offer(&mut candidates, vin.borrow(), FileCategory::of(*kind), None);
        }
        AuditSample::from_candidates(candidates, week, seed, policy)
    }

    /// Draws the week's sample from the files themselves, as
    /// [`AuditSample::draw`] does; files not yet opened are left out. Each
    /// sampled file carries the number its paper file is filed under: the
    /// sales contract of an A-card; the work order of the last visit with
    /// one on a C-card, or its sales contract when no visit has an order.
    pub fn from_files<'a, I>(files: I, week: AuditWeek, seed: u64, policy: &FileAuditPolicy) -> Self
    where
        I: IntoIterator<Item = &'a CustomerFile>,
    {
        let mut candidates = BTreeMap::new();
        for file in files {
            let Some(card) = file.card() else { continue };
            let reference = match card {
                Card::A(a) => a.sale.contract_no.clone(),
                Card::C(c) => file
                    .visits()
                    .iter()
                    .rev()
                    .find_map(|v| v.order.as_ref())
                    .and_then(|o| CardText::try_new(o.as_str()).ok())
                    .or_else(|| c.sale.as_ref().and_then(|s| s.contract_no.clone())),
            };
            offer(
                &mut candidates,
                card.vin(),
                FileCategory::of(card.kind()),
                reference,
            );
        }
        AuditSample::from_candidates(candidates, week, seed, policy)
    }

    fn from_candidates(
        candidates: BTreeMap<Vin, (FileCategory, Option<CardText>)>,
        week: AuditWeek,
        seed: u64,
        policy: &FileAuditPolicy,
    ) -> Self {
        let base = week_base(seed, week);
        let mut files = Vec::new();
        let mut shortfalls = Vec::new();
        for category in FileCategory::ALL.iter().copied() {
            let mut ranked: Vec<(u64, &Vin, &Option<CardText>)> = candidates
                .iter()
                .filter(|(_, (c, _))| *c == category)
                .map(|(vin, (_, reference))| (rank(base, vin), vin, reference))
                .collect();
            let asked = policy.asked(category);
            let k = usize::try_from(asked).unwrap_or(usize::MAX);
            if ranked.len() > k {
                ranked.select_nth_unstable_by(k, |a, b| (a.0, a.1).cmp(&(b.0, b.1)));
                ranked.truncate(k);
            } else if ranked.len() < k {
                shortfalls.push(Shortfall {
                    category,
                    asked,
                    available: u32::try_from(ranked.len()).unwrap_or(u32::MAX),
                });
            }
            ranked.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
            files.extend(ranked.into_iter().map(|(_, vin, reference)| SampledFile {
                category,
                vin: vin.clone(),
                reference: reference.clone(),
            }));
        }
        AuditSample {
            week,
            seed,
            files,
            shortfalls,
        }
    }

    /// Whether every category got as many files as asked.
    pub fn is_complete(&self) -> bool {
        self.shortfalls.is_empty()
    }

    /// The sampled files of `category`.
    pub fn of_category(&self, category: FileCategory) -> impl Iterator<Item = &SampledFile> {
        self.files.iter().filter(move |f| f.category == category)
    }

    /// The row number (1-based) of the file with `vin`, if sampled.
    pub fn sequence_of(&self, vin: &Vin) -> Option<u32> {
        let i = self.files.iter().position(|f| &f.vin == vin)?;
        u32::try_from(i).ok()?.checked_add(1)
    }
}

/// Adds a candidate, keeping the result independent of the input order.
fn offer(
    candidates: &mut BTreeMap<Vin, (FileCategory, Option<CardText>)>,
    vin: &Vin,
    category: FileCategory,
    reference: Option<CardText>,
) {
    match candidates.get_mut(vin) {
        None => {
            candidates.insert(vin.clone(), (category, reference));
        }
        Some(existing) => {
            // Service wins over sales, then the greater reference: both
            // are the same whichever copy comes first.
            let incoming = (category, reference);
            if incoming > *existing {
                *existing = incoming;
            }
        }
    }
}

/// What an abnormal check found (异常): the description, who is
/// responsible and what is to be improved. Every field is required.
///
/// ```
/// use aftersales::{Abnormality, AuditError};
///
/// let ok = Abnormality::try_new("发票复印件缺失 invoice copy missing", "SC-07".parse()?, "补齐复印件")?;
/// assert_eq!(ok.description.as_str(), "发票复印件缺失 invoice copy missing");
/// assert_eq!(
///     Abnormality::try_new("  ", "SC-07".parse()?, "补齐").unwrap_err(),
///     AuditError::MissingDescription
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abnormality {
    /// What is wrong (异常状态描述).
    pub description: CardText,
    /// Who is responsible for the problem (问题责任人).
    pub responsible: StaffId,
    /// The improvement suggested or the measure taken (改进建议和措施).
    pub measure: CardText,
}

impl Abnormality {
    /// Checks and builds the finding.
    ///
    /// # Errors
    ///
    /// [`AuditError::MissingDescription`] or [`AuditError::MissingMeasure`]
    /// when a text is blank, [`AuditError::TextTooLong`] above 500
    /// characters.
    pub fn try_new(
        description: impl AsRef<str>,
        responsible: StaffId,
        measure: impl AsRef<str>,
    ) -> Result<Abnormality, AuditError> {
        let text = |s: &str, field: &'static str, blank: AuditError| {
            CardText::try_new(s).map_err(|e| match e {
                CardError::EmptyText => blank,
                CardError::TextTooLong { chars } => AuditError::TextTooLong { field, chars },
            })
        };
        Ok(Abnormality {
            description: text(
                description.as_ref(),
                "description",
                AuditError::MissingDescription,
            )?,
            responsible,
            measure: text(
                measure.as_ref(),
                "improvement measure",
                AuditError::MissingMeasure,
            )?,
        })
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum AuditOutcome {
    /// Paper and electronic file agree.
    Normal,
    /// Something is wrong, with what and who.
    Abnormal(Abnormality),
}

impl AuditOutcome {
    /// Normal or abnormal.
    pub const fn status(&self) -> AuditStatus {
        match self {
            AuditOutcome::Normal => AuditStatus::Normal,
            AuditOutcome::Abnormal(_) => AuditStatus::Abnormal,
        }
    }
}

/// One check of a sampled file (a row of 表14). Its row number is the
/// file's place in the sample, so it cannot disagree with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    /// Sales or service file (档案类别).
    pub category: FileCategory,
    /// The file's VIN.
    pub vin: Vin,
    /// The sales contract number or work-order number (销售协议号/维修工单号).
    #[serde(default)]
    pub reference: Option<CardText>,
    /// What the check found.
    pub outcome: AuditOutcome,
}

impl AuditRecord {
    /// A normal check of `file`.
    pub fn normal(file: &SampledFile) -> AuditRecord {
        AuditRecord {
            category: file.category,
            vin: file.vin.clone(),
            reference: file.reference.clone(),
            outcome: AuditOutcome::Normal,
        }
    }

    /// An abnormal check of `file`.
    ///
    /// # Errors
    ///
    /// As [`Abnormality::try_new`]: a blank description or measure is
    /// refused (CUS-06).
    pub fn abnormal(
        file: &SampledFile,
        description: impl AsRef<str>,
        responsible: StaffId,
        measure: impl AsRef<str>,
    ) -> Result<AuditRecord, AuditError> {
        Ok(AuditRecord {
            category: file.category,
            vin: file.vin.clone(),
            reference: file.reference.clone(),
            outcome: AuditOutcome::Abnormal(Abnormality::try_new(
                description,
                responsible,
                measure,
            )?),
        })
    }

    /// Normal or abnormal.
    pub const fn status(&self) -> AuditStatus {
        self.outcome.status()
    }
}

/// One week's audit (表14): the sample and a record per checked file.
///
/// [`WeeklyAudit::record`] refuses a file outside the sample, a second
/// record of a file and a wrong category; [`WeeklyAudit::problems`] lists
/// what is still missing (and, for an audit loaded from storage, anything
/// else wrong).
///
/// ```
/// use aftersales::{AuditError, AuditRecord, AuditSample, AuditWeek, CardKind, FileAuditPolicy, Vin, WeeklyAudit};
///
/// let vin: Vin = "LSVAA4180E2000001".parse()?;
/// let policy = FileAuditPolicy { sales_files: 1, service_files: 0 };
/// let sample = AuditSample::draw([(vin.clone(), CardKind::A)], "2026-W10".parse()?, 7, &policy);
/// let mut audit = WeeklyAudit::new(sample);
/// assert!(matches!(audit.check(), Err(AuditError::Missing { .. })));
///
/// let file = audit.sample().files[0].clone();
/// let abnormal = AuditRecord::abnormal(&file, "合同未归档", "SC-07".parse()?, "本周内补档")?;
/// assert_eq!(audit.record(abnormal)?, 1); // row 1
/// assert_eq!(audit.check(), Ok(()));
/// assert!(matches!(audit.record(AuditRecord::normal(&file)), Err(AuditError::Duplicate { .. })));
/// assert!(audit.render().contains("异常 abnormal"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklyAudit {
    sample: AuditSample,
    records: Vec<AuditRecord>,
}

impl WeeklyAudit {
    /// An audit with nothing checked yet.
    pub fn new(sample: AuditSample) -> WeeklyAudit {
        WeeklyAudit {
            sample,
            records: Vec::new(),
        }
    }

    /// The audit with `records`, each checked as [`WeeklyAudit::record`]
    /// does. Files without a record are allowed: the audit may still be
    /// under way; see [`WeeklyAudit::check`].
    ///
    /// # Errors
    ///
    /// The first record [`WeeklyAudit::record`] refuses.
    pub fn with_records<I>(sample: AuditSample, records: I) -> Result<WeeklyAudit, AuditError>
    where
        I: IntoIterator<Item = AuditRecord>,
    {
        let mut audit = WeeklyAudit::new(sample);
        for r in records {
            audit.record(r)?;
        }
        Ok(audit)
    }

    /// The week.
    pub fn week(&self) -> AuditWeek {
        self.sample.week
    }

    /// The sample.
    pub fn sample(&self) -> &AuditSample {
        &self.sample
    }

    /// The records, in the sample's order.
    pub fn records(&self) -> &[AuditRecord] {
        &self.records
    }

    /// The record of the file with `vin`.
    pub fn record_of(&self, vin: &Vin) -> Option<&AuditRecord> {
        self.records.iter().find(|r| &r.vin == vin)
    }

    /// Adds the check of a sampled file; returns its row number.
    ///
    /// # Errors
    ///
    /// [`AuditError::NotSampled`] for a file outside the sample,
    /// [`AuditError::WrongCategory`] when the record's category is not
    /// the sample's, [`AuditError::Duplicate`] for a file already checked
    /// this week. The audit is unchanged on error.
    pub fn record(&mut self, record: AuditRecord) -> Result<u32, AuditError> {
        let sequence = self.admissible(&record)?;
        if self.records.iter().any(|r| r.vin == record.vin) {
            return Err(AuditError::Duplicate { vin: record.vin });
        }
        let sample = &self.sample;
        let at = self
            .records
            .partition_point(|r| sample.sequence_of(&r.vin).unwrap_or(u32::MAX) < sequence);
        self.records.insert(at, record);
        Ok(sequence)
    }

    /// The row number of `record`'s file, when it is in the sample with
    /// the same category.
    fn admissible(&self, record: &AuditRecord) -> Result<u32, AuditError> {
        let Some(sequence) = self.sample.sequence_of(&record.vin) else {
            return Err(AuditError::NotSampled {
                week: self.sample.week,
                vin: record.vin.clone(),
            });
        };
        let sampled = self
            .sample
            .files
            .iter()
            .find(|f| f.vin == record.vin)
            .map_or(record.category, |f| f.category);
        if sampled != record.category {
            return Err(AuditError::WrongCategory {
                vin: record.vin.clone(),
                sampled,
                recorded: record.category,
            });
        }
        Ok(sequence)
    }

    /// The sampled files without a record yet.
    pub fn missing(&self) -> Vec<&SampledFile> {
        self.sample
            .files
            .iter()
            .filter(|f| self.record_of(&f.vin).is_none())
            .collect()
    }

    /// Everything wrong with the audit, in row order: records outside the
    /// sample, of the wrong category or repeated (possible only for an
    /// audit loaded from storage), then every sampled file without a
    /// record. Empty when each sampled file has exactly one record.
    pub fn problems(&self) -> Vec<AuditError> {
        let mut out = Vec::new();
        for (i, r) in self.records.iter().enumerate() {
            if let Err(e) = self.admissible(r) {
                out.push(e);
            } else if self.records.iter().take(i).any(|p| p.vin == r.vin) {
                out.push(AuditError::Duplicate { vin: r.vin.clone() });
            }
        }
        for f in self.missing() {
            out.push(AuditError::Missing {
                week: self.sample.week,
                category: f.category,
                vin: f.vin.clone(),
            });
        }
        out
    }

    /// Whether each sampled file has exactly one record (CUS-06).
    ///
    /// # Errors
    ///
    /// The first of [`WeeklyAudit::problems`].
    pub fn check(&self) -> Result<(), AuditError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// How many checks found `status`.
    pub fn count(&self, status: AuditStatus) -> usize {
        self.records.iter().filter(|r| r.status() == status).count()
    }

    /// The audit as a plain-text table in the layout of 表14, with Chinese
    /// and English headings: one row per sampled file, "-" where a file
    /// has no record yet, then the totals and any shortfall. A file
    /// without a contract or work-order number shows its VIN.
    pub fn render(&self) -> String {
        let headings = [
            ("序号", "No."),
            ("档案类别(售时/售后)", "File (sales/service)"),
            ("销售协议号/维修工单号", "Contract / work order"),
            ("检核状态(正常/异常)", "Status"),
            ("异常状态描述", "Abnormality"),
            ("问题责任人", "Responsible"),
            ("改进建议和措施", "Improvement measure"),
        ];
        let dash = || "-".to_owned();
        let rows: Vec<[String; 7]> = self
            .sample
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let record = self.record_of(&f.vin);
                let reference = record
                    .and_then(|r| r.reference.as_ref())
                    .or(f.reference.as_ref())
                    .map_or_else(|| format!("VIN {}", f.vin), ToString::to_string);
                let (status, description, responsible, measure) = match record.map(|r| &r.outcome) {
                    None => ("未检核 not checked".to_owned(), dash(), dash(), dash()),
                    Some(AuditOutcome::Normal) => {
                        (both(AuditStatus::Normal), dash(), dash(), dash())
                    }
                    Some(AuditOutcome::Abnormal(a)) => (
                        both(AuditStatus::Abnormal),
                        a.description.to_string(),
                        a.responsible.to_string(),
                        a.measure.to_string(),
                    ),
                };
                [
                    i.saturating_add(1).to_string(),
                    format!("{} {}", f.category.label_zh(), f.category.label_en()),
                    reference,
                    status,
                    description,
                    responsible,
                    measure,
                ]
            })
            .collect();
        let mut widths = headings.map(|(zh, en)| width(zh).max(width(en)));
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        let week = self.sample.week;
        let days = match (week.first_day(), week.last_day()) {
            (Some(a), Some(b)) => format!(" ({a} – {b})"),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "客户档案检核记录表 Customer file audit {week}{days}, seed {}",
            self.sample.seed
        );
        for line in [
            headings.map(|(zh, _)| zh.to_owned()),
            headings.map(|(_, en)| en.to_owned()),
        ]
        .iter()
        .chain(rows.iter())
        {
            let cells: Vec<String> = line
                .iter()
                .zip(widths)
                .map(|(cell, w)| left(cell, w))
                .collect();
            let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        }
        let sampled = self.sample.files.len();
        let _ = writeln!(
            out,
            "合计 Total: {} of {sampled} checked; 正常 normal {}, 异常 abnormal {}, 未检核 not checked {}",
            self.records.len(),
            self.count(AuditStatus::Normal),
            self.count(AuditStatus::Abnormal),
            self.missing().len(),
        );
        for s in &self.sample.shortfalls {
            let _ = writeln!(
                out,
                "{}档案不足 Fewer {} files than asked: {} of {}, all taken",
                s.category.label_zh(),
                s.category.label_en(),
                s.available,
                s.asked,
            );
        }
        out
    }
}

/// `label_zh label_en` of a status.
fn both(s: AuditStatus) -> String {
    format!("{} {}", s.label_zh(), s.label_en())
}

impl fmt::Display for WeeklyAudit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn policy_bounds() {
        assert_eq!(FileAuditPolicy::default().validate(), Ok(()));
        let p = FileAuditPolicy {
            sales_files: 0,
            service_files: 10,
        };
        assert_eq!(p.validate(), Ok(()));
        let p = FileAuditPolicy {
            sales_files: 1_001,
            service_files: 10,
        };
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid policy: `customer.file_audit.sales_files` must be at most 1000 files a \
             week, not 1001 (CUS-06)"
        );
        let p = FileAuditPolicy {
            sales_files: 0,
            service_files: 0,
        };
        assert_eq!(p.validate().unwrap_err().rule, RuleId::Cus06);
    }

    #[test]
    fn splitmix_reference_values() {
        // The first outputs of SplitMix64 seeded with 0, as published with
        // the algorithm.
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn weeks_parse_and_step() {
        let w: AuditWeek = "2026-W53".parse().unwrap();
        assert_eq!(w.succ().unwrap().to_string(), "2027-W01");
        assert!("2025-W53".parse::<AuditWeek>().is_err());
        assert!("2026-W00".parse::<AuditWeek>().is_err());
        assert!("W10".parse::<AuditWeek>().is_err());
    }
}
