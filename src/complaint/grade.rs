//! Complaint grading (CMP-02, CMP-04, CMP-09, CMP-12): the facts of a
//! complaint, its four levels, and [`grade`], which explains itself
//! without allocating.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::complaint::policy::ComplaintPolicy;
use crate::policy::AuthorityRole;
use crate::rule::{Reason, RuleId};

/// The four complaint levels of CMP-04, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    /// L1 minor (一级 轻微): service attitude, slight delay, a grievance
    /// that is not about a fault.
    #[serde(rename = "L1")]
    L1Minor,
    /// L2 regular (二级 常规): service quality, a general technical fault,
    /// a fee dispute.
    #[serde(rename = "L2")]
    L2Regular,
    /// L3 serious (三级 严重): a recurring fault, a major inconvenience,
    /// a safety-related problem.
    #[serde(rename = "L3")]
    L3Serious,
    /// L4 crisis (四级 危机): possible media attention, personal safety,
    /// risk of a legal dispute.
    #[serde(rename = "L4")]
    L4Crisis,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 4] = [
        Level::L1Minor,
        Level::L2Regular,
        Level::L3Serious,
        Level::L4Crisis,
    ];

    /// 1 to 4.
    pub const fn number(self) -> u8 {
        match self {
            Level::L1Minor => 1,
            Level::L2Regular => 2,
            Level::L3Serious => 3,
            Level::L4Crisis => 4,
        }
    }

    /// The level `steps` higher, stopping at L4.
    pub const fn raised(self, steps: u8) -> Level {
        match self.number().saturating_add(steps) {
            0 | 1 => Level::L1Minor,
            2 => Level::L2Regular,
            3 => Level::L3Serious,
            _ => Level::L4Crisis,
        }
    }

    /// English label, e.g. `L3 serious`.
    pub const fn label_en(self) -> &'static str {
        match self {
            Level::L1Minor => "L1 minor",
            Level::L2Regular => "L2 regular",
            Level::L3Serious => "L3 serious",
            Level::L4Crisis => "L4 crisis",
        }
    }

    /// Chinese label, e.g. `三级（严重）`.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Level::L1Minor => "一级（轻微）",
            Level::L2Regular => "二级（常规）",
            Level::L3Serious => "三级（严重）",
            Level::L4Crisis => "四级（危机）",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// A fact of a complaint that CMP-04 grades. The level each fact reaches
/// is a policy parameter ([`FactLevels`](crate::FactLevels)); the
/// defaults are the table of CMP-04.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum ComplaintFact {
    /// Service attitude (服务态度问题). Default L1.
    ServiceAttitude,
    /// A slight delay (轻微延误). Default L1.
    SlightDelay,
    /// A grievance that is not about a fault (非故障类抱怨). Default L1.
    NonFaultGrievance,
    /// Service quality (服务质量问题). Default L2.
    ServiceQuality,
    /// A general technical fault (一般性技术故障). Default L2.
    TechnicalFault,
    /// A fee dispute (费用争议). Default L2.
    FeeDispute,
    /// A fault that keeps coming back (反复出现的故障). Default L3.
    RecurringFault,
    /// A major inconvenience to the customer (造成客户重大不便). Default L3.
    MajorInconvenience,
    /// A safety-related problem of the vehicle (安全相关问题). Default L3.
    SafetyRelated,
    /// Possible media attention (可能引发媒体关注). Default L4.
    MediaAttention,
    /// Personal safety is involved (涉及人身安全). Default L4.
    PersonalSafety,
    /// Risk of a legal dispute (法律纠纷风险). Default L4.
    LegalRisk,
}

impl ComplaintFact {
    /// Every fact, in declaration order (lowest default level first).
    pub const ALL: [ComplaintFact; 12] = [
        ComplaintFact::ServiceAttitude,
        ComplaintFact::SlightDelay,
        ComplaintFact::NonFaultGrievance,
        ComplaintFact::ServiceQuality,
        ComplaintFact::TechnicalFault,
        ComplaintFact::FeeDispute,
        ComplaintFact::RecurringFault,
        ComplaintFact::MajorInconvenience,
        ComplaintFact::SafetyRelated,
        ComplaintFact::MediaAttention,
        ComplaintFact::PersonalSafety,
        ComplaintFact::LegalRisk,
    ];

    const fn bit(self) -> u16 {
        1 << (self as u8)
    }

    /// English words for the fact.
    pub const fn label_en(self) -> &'static str {
        match self {
            ComplaintFact::ServiceAttitude => "service attitude",
            ComplaintFact::SlightDelay => "slight delay",
            ComplaintFact::NonFaultGrievance => "grievance not about a fault",
            ComplaintFact::ServiceQuality => "service quality",
            ComplaintFact::TechnicalFault => "general technical fault",
            ComplaintFact::FeeDispute => "fee dispute",
            ComplaintFact::RecurringFault => "recurring fault",
            ComplaintFact::MajorInconvenience => "major inconvenience",
            ComplaintFact::SafetyRelated => "safety-related problem",
            ComplaintFact::MediaAttention => "possible media attention",
            ComplaintFact::PersonalSafety => "personal safety",
            ComplaintFact::LegalRisk => "legal-dispute risk",
        }
    }

    /// Chinese words for the fact, as in the source's grading table.
    pub const fn label_zh(self) -> &'static str {
        match self {
            ComplaintFact::ServiceAttitude => "服务态度问题",
            ComplaintFact::SlightDelay => "轻微延误",
            ComplaintFact::NonFaultGrievance => "非故障类抱怨",
            ComplaintFact::ServiceQuality => "服务质量问题",
            ComplaintFact::TechnicalFault => "一般性技术故障",
            ComplaintFact::FeeDispute => "费用争议",
            ComplaintFact::RecurringFault => "反复出现的故障",
            ComplaintFact::MajorInconvenience => "造成客户重大不便",
            ComplaintFact::SafetyRelated => "安全相关问题",
            ComplaintFact::MediaAttention => "可能引发媒体关注",
            ComplaintFact::PersonalSafety => "涉及人身安全",
            ComplaintFact::LegalRisk => "法律纠纷风险",
        }
    }

    /// Whether a health-or-safety issue must be assessed before anything
    /// else (CMP-17).
    pub const fn is_safety(self) -> bool {
        matches!(
            self,
            ComplaintFact::SafetyRelated | ComplaintFact::PersonalSafety
        )
    }
}

impl fmt::Display for ComplaintFact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// A set of [`ComplaintFact`]s: a copyable bit set, so grading never
/// allocates. Serializes as a list of facts in declaration order.
///
/// ```
/// use aftersales::{ComplaintFact as F, FactSet};
///
/// let facts = FactSet::from([F::FeeDispute, F::RecurringFault]);
/// assert!(facts.contains(F::FeeDispute));
/// assert_eq!(facts.len(), 2);
/// assert_eq!(facts.iter().collect::<Vec<_>>(), [F::FeeDispute, F::RecurringFault]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "Vec<ComplaintFact>", into = "Vec<ComplaintFact>")]
pub struct FactSet(u16);

impl FactSet {
    /// The empty set.
    pub const EMPTY: FactSet = FactSet(0);

    /// The set with `fact` added.
    #[must_use]
    pub const fn with(self, fact: ComplaintFact) -> FactSet {
        FactSet(self.0 | fact.bit())
    }

    /// Adds `fact`.
    pub fn insert(&mut self, fact: ComplaintFact) {
        self.0 |= fact.bit();
    }

    /// Whether `fact` is in the set.
    pub const fn contains(self, fact: ComplaintFact) -> bool {
        self.0 & fact.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many facts the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Every fact of `self` or `other`.
    #[must_use]
    pub const fn union(self, other: FactSet) -> FactSet {
        FactSet(self.0 | other.0)
    }

    /// Whether every fact of `self` is in `other`.
    pub const fn is_subset(self, other: FactSet) -> bool {
        self.0 & !other.0 == 0
    }

    /// The facts, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = ComplaintFact> {
        ComplaintFact::ALL
            .into_iter()
            .filter(move |f| self.contains(*f))
    }

    /// Whether a fact calls for the safety assessment of CMP-17.
    pub fn has_safety_issue(self) -> bool {
        self.iter().any(ComplaintFact::is_safety)
    }
}

impl fmt::Debug for FactSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl fmt::Display for FactSet {
    /// The facts' English labels joined by `, `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, fact) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(fact.label_en())?;
        }
        Ok(())
    }
}

impl FromIterator<ComplaintFact> for FactSet {
    fn from_iter<I: IntoIterator<Item = ComplaintFact>>(iter: I) -> Self {
        let mut set = FactSet::EMPTY;
        for fact in iter {
            set.insert(fact);
        }
        set
    }
}

impl<const N: usize> From<[ComplaintFact; N]> for FactSet {
    fn from(facts: [ComplaintFact; N]) -> Self {
        facts.into_iter().collect()
    }
}

impl From<Vec<ComplaintFact>> for FactSet {
    fn from(facts: Vec<ComplaintFact>) -> Self {
        facts.into_iter().collect()
    }
}

impl From<FactSet> for Vec<ComplaintFact> {
    fn from(set: FactSet) -> Self {
        set.iter().collect()
    }
}

/// The nature of a complaint (CMP-02, 投诉的方式).
///
/// \[001\] names "严重投诉或公关危机" as one nature; \[004\] grades possible
/// media attention L4 (senior management, 24 h), above the L3 of a serious
/// complaint, so the crate keeps the two apart: [`Nature::Serious`] floors
/// at L3 and [`Nature::PrCrisis`] at L4 by default
/// ([`NatureFloors`](crate::NatureFloors)).
///
/// Stored data from before the split holds the value `serious_or_crisis`;
/// it loads as [`Nature::Serious`]. A stored value cannot tell whether the
/// media were involved, and reading it as a crisis would put complaints
/// that never reached the press on senior management's desk; a complaint
/// that did reach them carries the [`MediaAttention`](ComplaintFact::MediaAttention)
/// fact, which grades it L4 on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// An ordinary complaint (一般性投诉).
    General,
    /// A serious complaint (严重投诉). Default floor L3. Loads the value
    /// `serious_or_crisis` of data stored before the split.
    #[serde(alias = "serious_or_crisis")]
    Serious,
    /// A public-relations crisis (公关危机): the media are or may become
    /// involved. Default floor L4.
    PrCrisis,
    /// A malicious complaint (恶意投诉).
    Malicious,
}

impl Nature {
    /// Every nature, in declaration order.
    pub const ALL: [Nature; 4] = [
        Nature::General,
        Nature::Serious,
        Nature::PrCrisis,
        Nature::Malicious,
    ];

    /// English words.
    pub const fn label_en(self) -> &'static str {
        match self {
            Nature::General => "general",
            Nature::Serious => "serious",
            Nature::PrCrisis => "PR crisis",
            Nature::Malicious => "malicious",
        }
    }

    /// Chinese words.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Nature::General => "一般性投诉",
            Nature::Serious => "严重投诉",
            Nature::PrCrisis => "公关危机",
            Nature::Malicious => "恶意投诉",
        }
    }
}

impl fmt::Display for Nature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

/// Whether the customer complained about the same matter before (CMP-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occurrence {
    /// The first complaint on this matter.
    First,
    /// A repeat complaint from the same customer on the same matter: it
    /// starts one level higher (CMP-09).
    Repeat,
}

/// The customer's standing (CUS-09).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStanding {
    /// A customer without special handling.
    Regular,
    /// An important customer (重要客户, CUS-09): handled by a department
    /// manager in person at least (CMP-12).
    Important,
}

/// What [`grade`] needs to know about a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    /// The graded facts (CMP-04); at least one.
    pub facts: FactSet,
    /// The nature (CMP-02).
    pub nature: Nature,
    /// First or repeat complaint on the matter (CMP-09).
    pub occurrence: Occurrence,
    /// The customer's standing (CMP-12, CUS-09).
    pub standing: CustomerStanding,
}

/// The decision of [`grade`]: level, handler and response time, and
/// everything that produced them. A `Copy` value: grading allocates
/// nothing; [`Grade::reasons`] spells the explanation out on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// The level the complaint is handled at.
    pub level: Level,
    /// Who handles it (CMP-04, raised by CMP-12).
    pub handler: AuthorityRole,
    /// The response deadline in hours after receipt, for `level` (CMP-04).
    pub response_hours: u32,
    /// The highest level any fact reached (CMP-04).
    pub facts_level: Level,
    /// The facts that reached `facts_level`: the ones that decided it.
    pub deciding_facts: FactSet,
    /// The floor the complaint's nature set, when it raised the level
    /// above `facts_level` (CMP-02).
    pub nature_floor: Option<Level>,
    /// For a repeat complaint: the level before CMP-09 raised it.
    pub repeat_raised_from: Option<Level>,
    /// For an important customer: the handler before CMP-12 raised it,
    /// when it did.
    pub important_raised_from: Option<AuthorityRole>,
}

impl Grade {
    /// The response time as a duration.
    pub fn response_within(&self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.response_hours))
    }

    /// The rules that decided this grade: CMP-04 always, CMP-02 when the
    /// nature set the floor, CMP-09 for a repeat, CMP-12 when an important
    /// customer raised the handler.
    pub fn rules(&self) -> impl Iterator<Item = RuleId> + use<> {
        [
            Some(RuleId::Cmp04),
            self.nature_floor.map(|_| RuleId::Cmp02),
            self.repeat_raised_from.map(|_| RuleId::Cmp09),
            self.important_raised_from.map(|_| RuleId::Cmp12),
        ]
        .into_iter()
        .flatten()
    }

    /// The explanation in words, one [`Reason`] per rule that applied.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons = vec![Reason {
            rule: RuleId::Cmp04,
            fact: format!(
                "{} reached {} ({})",
                self.deciding_facts,
                self.facts_level,
                self.facts_level.label_zh()
            ),
        }];
        if let Some(floor) = self.nature_floor {
            reasons.push(Reason {
                rule: RuleId::Cmp02,
                fact: format!("the complaint's nature sets the level to at least {floor}"),
            });
        }
        if let Some(from) = self.repeat_raised_from {
            reasons.push(Reason {
                rule: RuleId::Cmp09,
                fact: format!(
                    "a repeat complaint on the same matter starts at {} instead of {from}",
                    self.level
                ),
            });
        }
        if let Some(from) = self.important_raised_from {
            reasons.push(Reason {
                rule: RuleId::Cmp12,
                fact: format!(
                    "an important customer is handled by {} in person, not by {from}",
                    self.handler
                ),
            });
        }
        reasons
    }
}

/// Why a complaint cannot be graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum GradeError {
    /// No fact was given: the complaint is not understood well enough to
    /// grade; ask the customer back (CMP-01).
    #[error("no complaint fact is given: ask the customer back before grading (CMP-01, CMP-04)")]
    NoFacts,
}

impl GradeError {
    /// The rule the error cites.
    pub const fn rule(self) -> RuleId {
        match self {
            GradeError::NoFacts => RuleId::Cmp01,
        }
    }
}

/// Grades a complaint (CMP-04): the highest level any fact reaches, at
/// least the nature's floor (CMP-02), one level higher for a repeat
/// (CMP-09), handled by the level's role or, for an important customer,
/// at least a department manager (CMP-12).
///
/// # Errors
///
/// [`GradeError::NoFacts`] when `input.facts` is empty.
///
/// ```
/// use aftersales::{
///     AuthorityRole, ComplaintFact as F, CustomerStanding, GradeInput, Level, Nature,
///     Occurrence, Policy, RuleId, grade,
/// };
///
/// let policy = Policy::default();
/// let input = GradeInput {
///     facts: [F::FeeDispute, F::RecurringFault].into(),
///     nature: Nature::General,
///     occurrence: Occurrence::Repeat,
///     standing: CustomerStanding::Regular,
/// };
/// let g = grade(&input, policy.complaint())?;
/// assert_eq!(g.facts_level, Level::L3Serious); // the recurring fault decides
/// assert_eq!(g.level, Level::L4Crisis); // a repeat starts one level higher
/// assert_eq!(g.handler, AuthorityRole::SeniorManagement);
/// assert_eq!(g.response_hours, 24);
/// assert_eq!(g.rules().collect::<Vec<_>>(), [RuleId::Cmp04, RuleId::Cmp09]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn grade(input: &GradeInput, policy: &ComplaintPolicy) -> Result<Grade, GradeError> {
    if input.facts.is_empty() {
        return Err(GradeError::NoFacts);
    }
    // The highest level whose facts meet the complaint's facts; a mask per
    // level replaces a walk over every fact.
    let masks = policy.fact_levels.masks();
    let (facts_level, deciding) = Level::ALL
        .into_iter()
        .rev()
        .zip(masks.into_iter().rev())
        .map(|(level, mask)| (level, FactSet(input.facts.0 & mask)))
        .find(|(_, hit)| !hit.is_empty())
        .unwrap_or((Level::L1Minor, input.facts));
    let mut level = facts_level;
    let mut nature_floor = None;
    if let Some(floor) = policy.nature_floors.floor_of(input.nature) {
        if floor > level {
            level = floor;
            nature_floor = Some(floor);
        }
    }
    let mut repeat_raised_from = None;
    if input.occurrence == Occurrence::Repeat && level < Level::L4Crisis {
        repeat_raised_from = Some(level);
        level = level.raised(policy.repeat_raise);
    }
    let rule = policy.levels.rule_of(level);
    let mut handler = rule.handler;
    let mut important_raised_from = None;
    if input.standing == CustomerStanding::Important && handler < policy.important_customer_handler
    {
        important_raised_from = Some(handler);
        handler = policy.important_customer_handler;
    }
    Ok(Grade {
        level,
        handler,
        response_hours: rule.response_hours,
        facts_level,
        deciding_facts: deciding,
        nature_floor,
        repeat_raised_from,
        important_raised_from,
    })
}
