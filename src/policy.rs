//! [`Policy`]: every tunable number of the rulebook, as serde data.
//!
//! A dealer changes a number without recompiling by loading a policy from
//! JSON (or any serde format). Sections and fields that are left out keep
//! their defaults; an unknown field is an error; the loaded policy is
//! validated before it is returned, so an inconsistent policy cannot exist.
//!
//! ```
//! use aftersales::Policy;
//!
//! let json = r#"{
//!     "estimate": { "vat_rate": "9", "settlement_tolerance": { "percent": "10" } },
//!     "follow_up": { "after_sales_window": { "from_days": 1, "to_days": 2 } }
//! }"#;
//! let policy: Policy = serde_json::from_str(json)?;
//! assert_eq!(policy.estimate().vat_rate.to_string(), "9%");
//! assert_eq!(policy.work_order().progress_first_check_after.0, 30); // default kept
//!
//! let bad = r#"{ "follow_up": { "after_sales_window": { "from_days": 7, "to_days": 3 } } }"#;
//! let err = serde_json::from_str::<Policy>(bad).unwrap_err();
//! assert!(err.to_string().contains("FU-01"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::care::CarePolicy;
use crate::complaint::ComplaintPolicy;
use crate::customer::CustomerPolicy;
pub use crate::follow_up::FollowUpPolicy;
use crate::jurisdiction::{ConsentDetail, Jurisdiction};
use crate::maintenance::MaintenancePolicy;
use crate::money::{Currency, Money, MoneyError};
use crate::regulation::RegulationPolicy;
use crate::rule::{Reason, RuleId};
use crate::satisfaction::SatisfactionPolicy;
use crate::units::{Minutes, Percent};
use crate::work_order::{PartOrigin, ReceptionDocument};

/// A policy value that is out of range or inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy: `{field}` {reason} ({rule})")]
pub struct PolicyError {
    /// The offending field, as a dotted path (`estimate.authority.manager`).
    pub field: &'static str,
    /// The rule the parameter belongs to.
    pub rule: RuleId,
    /// What is wrong with it.
    pub reason: String,
}

/// Serde helpers for whole counts of hours, minutes or days in the policy:
/// a negative or oversized number is refused with a message that says so,
/// not serde's "expected u32".
pub(crate) mod count {
    use serde::{Deserialize, Deserializer};

    fn check<E: serde::de::Error>(v: i64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| {
            E::custom(format!(
                "`{v}` is not a count of hours, minutes or days: it must be 0 or more, \
                 at most {}",
                u32::MAX
            ))
        })
    }

    /// A `u32` count.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        check(i64::deserialize(d)?)
    }

    /// An optional `u32` count.
    pub(crate) mod option {
        use super::*;

        /// An optional count.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<u32>, D::Error> {
            Option::<i64>::deserialize(d)?.map(check).transpose()
        }
    }
}

/// A [`PolicyError`] for `field` under `rule`.
pub(crate) fn invalid(field: &'static str, rule: RuleId, reason: impl Into<String>) -> PolicyError {
    PolicyError {
        field,
        rule,
        reason: reason.into(),
    }
}

/// What happens when a checklist item is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Enforcement {
    /// The command is rejected, naming the rule.
    Reject,
    /// The command goes through and the gap is recorded on the order as a
    /// risk.
    RecordRisk,
}

/// Section 1 parameters: the work-order lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkOrderPolicy {
    /// WO-15: first progress check this long after work starts (30 min).
    pub progress_first_check_after: Minutes,
    /// WO-15: second check when this share of the estimated time has passed
    /// (50 %).
    pub progress_midpoint: Percent,
    /// WO-15: last check this long before the estimated completion. The
    /// source says only "shortly before"; the default is 30 min.
    pub progress_final_check_before: Minutes,
    /// WO-04: the documents checked at reception (all five by default).
    pub reception_documents: Vec<ReceptionDocument>,
    /// WO-03: what a reception without all protective covers does (reject).
    pub protective_covers: Enforcement,
    /// WO-24: reworks of the same vehicle after which the customer is an
    /// important customer (2).
    pub rework_repeat_threshold: u32,
}

impl Default for WorkOrderPolicy {
    fn default() -> Self {
        WorkOrderPolicy {
            progress_first_check_after: Minutes(30),
            progress_midpoint: Percent::try_new(Decimal::from(50)).unwrap_or(Percent::ZERO),
            progress_final_check_before: Minutes(30),
            reception_documents: ReceptionDocument::ALL.to_vec(),
            protective_covers: Enforcement::Reject,
            rework_repeat_threshold: 2,
        }
    }
}

/// How the settlement tolerance's percentage and absolute parts combine
/// (EST-06).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The larger of the two allowances (Florida: max($10, 10%)).
    Greater,
    /// The smaller of the two (Colorado: the lesser of 10% or $25).
    Lesser,
}

/// EST-06: how far a settlement may exceed the authorized amount without a
/// new authorization. Default: not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Tolerance {
    /// Allowed overrun as a percentage of the authorized amount.
    pub percent: Percent,
    /// Allowed overrun as an absolute amount in the policy currency.
    #[serde(with = "crate::decimal::exact")]
    pub absolute: Decimal,
    /// How the two combine.
    pub combine: Combine,
    /// An upper bound on the allowance, if any.
    #[serde(with = "crate::decimal::exact_opt")]
    pub cap: Option<Decimal>,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            percent: Percent::ZERO,
            absolute: Decimal::ZERO,
            combine: Combine::Greater,
            cap: None,
        }
    }
}

impl Tolerance {
    /// The overrun allowed on top of `authorized`.
    ///
    /// ```
    /// use aftersales::{Combine, Money, Percent, Tolerance};
    /// use rust_decimal::Decimal;
    /// // Florida-style: max(10, 10%) capped at 50.
    /// let t = Tolerance {
    ///     percent: "10".parse()?,
    ///     absolute: Decimal::from(10),
    ///     combine: Combine::Greater,
    ///     cap: Some(Decimal::from(50)),
    /// };
    /// assert_eq!(t.allowance("80 USD".parse()?)?, "10 USD".parse()?);
    /// assert_eq!(t.allowance("300 USD".parse()?)?, "30.0 USD".parse()?);
    /// assert_eq!(t.allowance("900 USD".parse()?)?, "50 USD".parse()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn allowance(&self, authorized: Money) -> Result<Money, MoneyError> {
        let currency = authorized.currency();
        let by_percent = self.percent.of(authorized)?;
        let absolute = Money::new(self.absolute, currency);
        let combined = match self.combine {
            Combine::Greater => by_percent.checked_max(absolute)?,
            Combine::Lesser => by_percent.checked_min(absolute)?,
        };
        let allowed = match self.cap {
            Some(cap) => combined.checked_min(Money::new(cap, currency))?,
            None => combined,
        };
        // A negative authorized amount must not produce a negative allowance.
        allowed.checked_max(Money::zero(currency))
    }
}

/// A role in the authority ladder of EST-08.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityRole {
    /// Front-line staff (service advisor, customer-service agent).
    FrontLine,
    /// Customer-service or technical supervisor.
    Supervisor,
    /// Department manager.
    Manager,
    /// Senior management.
    SeniorManagement,
}

impl AuthorityRole {
    /// The next role up, if any.
    pub const fn next(self) -> Option<AuthorityRole> {
        match self {
            AuthorityRole::FrontLine => Some(AuthorityRole::Supervisor),
            AuthorityRole::Supervisor => Some(AuthorityRole::Manager),
            AuthorityRole::Manager => Some(AuthorityRole::SeniorManagement),
            AuthorityRole::SeniorManagement => None,
        }
    }
}

impl AuthorityRole {
    /// English label: `front-line staff`, `supervisor`, `department
    /// manager`, `senior management`.
    pub const fn label_en(self) -> &'static str {
        match self {
            AuthorityRole::FrontLine => "front-line staff",
            AuthorityRole::Supervisor => "supervisor",
            AuthorityRole::Manager => "department manager",
            AuthorityRole::SeniorManagement => "senior management",
        }
    }

    /// Chinese label, as \[004\]'s grading table names the handlers:
    /// 一线员工, 主管, 部门经理, 高层管理.
    pub const fn label_zh(self) -> &'static str {
        match self {
            AuthorityRole::FrontLine => "一线员工",
            AuthorityRole::Supervisor => "主管",
            AuthorityRole::Manager => "部门经理",
            AuthorityRole::SeniorManagement => "高层管理",
        }
    }
}

impl std::fmt::Display for AuthorityRole {
    /// The English label.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_en())
    }
}

/// EST-08: the largest discount or compensation each role may grant on its
/// own, in the policy currency. The sources give the ladder but no numbers;
/// the defaults (200 / 1,000 / 5,000 / unlimited) are placeholders a dealer
/// is expected to set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthorityCaps {
    /// Front-line cap.
    #[serde(with = "crate::decimal::exact")]
    pub front_line: Decimal,
    /// Supervisor cap.
    #[serde(with = "crate::decimal::exact")]
    pub supervisor: Decimal,
    /// Manager cap.
    #[serde(with = "crate::decimal::exact")]
    pub manager: Decimal,
    /// Senior-management cap; `None` means unlimited.
    #[serde(with = "crate::decimal::exact_opt")]
    pub senior_management: Option<Decimal>,
}

impl Default for AuthorityCaps {
    fn default() -> Self {
        AuthorityCaps {
            front_line: Decimal::from(200),
            supervisor: Decimal::from(1_000),
            manager: Decimal::from(5_000),
            senior_management: None,
        }
    }
}

impl AuthorityCaps {
    /// The cap of a role; `None` is unlimited.
    pub fn cap(&self, role: AuthorityRole) -> Option<Decimal> {
        match role {
            AuthorityRole::FrontLine => Some(self.front_line),
            AuthorityRole::Supervisor => Some(self.supervisor),
            AuthorityRole::Manager => Some(self.manager),
            AuthorityRole::SeniorManagement => self.senior_management,
        }
    }

    /// The lowest role whose cap covers `amount`, if any.
    pub fn lowest_role_for(&self, amount: Decimal) -> Option<AuthorityRole> {
        [
            AuthorityRole::FrontLine,
            AuthorityRole::Supervisor,
            AuthorityRole::Manager,
            AuthorityRole::SeniorManagement,
        ]
        .into_iter()
        .find(|role| self.cap(*role).is_none_or(|cap| amount <= cap))
    }
}

/// The answer to "may this role grant this amount on its own?" (EST-08).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "role")]
pub enum GrantOutcome {
    /// Within the role's cap.
    Within,
    /// Above it: this role (the lowest whose cap covers the amount) must
    /// grant it.
    NeedsRole(AuthorityRole),
    /// Above every cap.
    AboveEveryCap,
}

/// An EST-08 decision with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GrantDecision {
    /// The outcome.
    pub outcome: GrantOutcome,
    /// Why.
    pub reasons: Vec<Reason>,
}

impl AuthorityCaps {
    /// Whether `role` may grant `amount` (a discount or compensation) on its
    /// own, and if not, who must.
    ///
    /// ```
    /// use aftersales::{AuthorityCaps, AuthorityRole, GrantOutcome};
    /// use rust_decimal::Decimal;
    /// let caps = AuthorityCaps::default();
    /// assert_eq!(caps.grant(AuthorityRole::FrontLine, Decimal::from(150)).outcome, GrantOutcome::Within);
    /// assert_eq!(
    ///     caps.grant(AuthorityRole::FrontLine, Decimal::from(800)).outcome,
    ///     GrantOutcome::NeedsRole(AuthorityRole::Supervisor)
    /// );
    /// ```
    pub fn grant(&self, role: AuthorityRole, amount: Decimal) -> GrantDecision {
        let cap = self.cap(role);
        let fact = match cap {
            Some(c) => format!("{role} may grant up to `{c}`; asked `{amount}`"),
            None => format!("{role} may grant any amount; asked `{amount}`"),
        };
        let mut reasons = vec![Reason::new(RuleId::Est08, fact)];
        let outcome = if cap.is_none_or(|c| amount <= c) {
            GrantOutcome::Within
        } else {
            match self.lowest_role_for(amount) {
                Some(next) => {
                    reasons.push(Reason::new(
                        RuleId::Est08,
                        format!("{next} is the lowest role whose cap covers `{amount}`"),
                    ));
                    GrantOutcome::NeedsRole(next)
                }
                None => GrantOutcome::AboveEveryCap,
            }
        };
        GrantDecision { outcome, reasons }
    }
}

/// Months of parts warranty by part origin (EST-03). The rulebook gives OEM
/// 1–2 years and aftermarket 6–12 months; the defaults take the lower ends.
/// Reconditioned parts are not in the sources and default to the
/// aftermarket figure.
///
/// Read at delivery, which states each part's warranty
/// ([`DeliveryRecord::part_warranties`](crate::DeliveryRecord::part_warranties)),
/// by [`WorkOrder::part_warranties`](crate::WorkOrder::part_warranties), the
/// settlement list and the comeback decision
/// ([`ComebackDecision::parts_in_warranty`](crate::ComebackDecision::parts_in_warranty)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PartWarrantyMonths {
    /// OEM (原厂) parts.
    pub oem: u32,
    /// Quality aftermarket (品牌副厂) parts.
    pub quality_aftermarket: u32,
    /// Other aftermarket parts.
    pub other_aftermarket: u32,
    /// Reconditioned (修复件) parts.
    pub reconditioned: u32,
}

impl Default for PartWarrantyMonths {
    fn default() -> Self {
        PartWarrantyMonths {
            oem: 12,
            quality_aftermarket: 6,
            other_aftermarket: 6,
            reconditioned: 6,
        }
    }
}

impl PartWarrantyMonths {
    /// The months of warranty for a part of this origin.
    pub fn for_origin(&self, origin: PartOrigin) -> u32 {
        match origin {
            PartOrigin::Oem => self.oem,
            PartOrigin::QualityAftermarket => self.quality_aftermarket,
            PartOrigin::OtherAftermarket => self.other_aftermarket,
            PartOrigin::Reconditioned => self.reconditioned,
        }
    }
}

/// Section 2 parameters: estimates, authorization and money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EstimatePolicy {
    /// EST-01: the currency of every amount (CNY).
    pub currency: Currency,
    /// EST-01: decimal places money is rounded to, half up (2).
    pub rounding_scale: u32,
    /// EST-02: VAT on the total (13 %).
    pub vat_rate: Percent,
    /// EST-06: allowed settlement overrun (none).
    pub settlement_tolerance: Tolerance,
    /// EST-08: caps per role.
    pub authority: AuthorityCaps,
    /// EST-03: parts warranty by origin.
    pub part_warranty_months: PartWarrantyMonths,
    /// REG-06: the jurisdiction whose estimate-overrun law the policy
    /// follows (none). Set it with [`Policy::with_jurisdiction`], which also
    /// sets the currency, the tolerance and the three fields below; a
    /// policy may then be stricter than the law, never more lenient.
    pub jurisdiction: Option<Jurisdiction>,
    /// REG-06: above this amount the customer's authorization must be a
    /// written estimate (none: WO-10 already asks for a signed order).
    #[serde(with = "crate::decimal::exact_opt")]
    pub written_estimate_above: Option<Decimal>,
    /// REG-06: what a recorded oral consent to an overrun must hold
    /// (nothing beyond EST-07).
    pub consent_record: Vec<ConsentDetail>,
    /// REG-06: an overrun above this share of the authorized amount is
    /// material and the customer must be told (none).
    pub notify_overrun_above: Option<Percent>,
}

impl Default for EstimatePolicy {
    fn default() -> Self {
        EstimatePolicy {
            currency: Currency::CNY,
            rounding_scale: 2,
            vat_rate: Percent::try_new(Decimal::from(13)).unwrap_or(Percent::ZERO),
            settlement_tolerance: Tolerance::default(),
            authority: AuthorityCaps::default(),
            part_warranty_months: PartWarrantyMonths::default(),
            jurisdiction: None,
            written_estimate_above: None,
            consent_record: Vec::new(),
            notify_overrun_above: None,
        }
    }
}

/// A window of whole days after an event, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayWindow {
    /// First day (0 = the day of the event).
    pub from_days: u32,
    /// Last day.
    pub to_days: u32,
}

/// The source documents of the rulebook, for the presets where they
/// disagree (seeds `[000]` … `[004]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `[000]`: a brand's core service-process standard (customer-service
    /// manager training).
    CoreProcess,
    /// `[001]`: a service-reception knowledge summary.
    ServiceCourse,
    /// `[002]`: a dealer's customer-relations operating manual.
    CrManual,
    /// `[003]`: a repair-enterprise management textbook.
    Textbook,
    /// `[004]`: an automotive customer-service training course.
    TrainingCourse,
}

/// Every tunable number of the rulebook, validated.
///
/// Build one with [`Policy::default`], [`Policy::try_new`] or serde; all
/// three yield a policy that passed [`Policy::validate`]. Sections are read
/// through accessors so a validated policy cannot be edited into an invalid
/// one; to change a section, take it out, edit it and build a new policy.
///
/// ```
/// use aftersales::Policy;
/// use rust_decimal::Decimal;
///
/// let mut estimate = Policy::default().estimate().clone();
/// estimate.settlement_tolerance.absolute = Decimal::from(50);
/// let policy = Policy::default().with_estimate(estimate)?;
/// assert_eq!(policy.estimate().settlement_tolerance.absolute, Decimal::from(50));
/// # Ok::<(), aftersales::PolicyError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicySections")]
pub struct Policy {
    work_order: WorkOrderPolicy,
    estimate: EstimatePolicy,
    complaint: ComplaintPolicy,
    follow_up: FollowUpPolicy,
    satisfaction: SatisfactionPolicy,
    customer: CustomerPolicy,
    care: CarePolicy,
    maintenance: MaintenancePolicy,
    regulation: RegulationPolicy,
}

/// The sections of a [`Policy`], unvalidated: what [`Policy::try_new`]
/// takes and [`Policy::into_sections`] gives back. A section left out of
/// JSON keeps its defaults; an unknown section is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicySections {
    /// Section 1: the work-order lifecycle.
    pub work_order: WorkOrderPolicy,
    /// Section 2: estimates, authorization and money.
    pub estimate: EstimatePolicy,
    /// Section 3: complaints.
    pub complaint: ComplaintPolicy,
    /// Section 4: follow-up.
    pub follow_up: FollowUpPolicy,
    /// Section 5: satisfaction.
    pub satisfaction: SatisfactionPolicy,
    /// Section 6: customer files.
    pub customer: CustomerPolicy,
    /// Section 7: the customer-care calendar.
    pub care: CarePolicy,
    /// Section 8: the maintenance schedule.
    pub maintenance: MaintenancePolicy,
    /// Section 10: regulation beyond the sources.
    pub regulation: RegulationPolicy,
}

impl TryFrom<PolicySections> for Policy {
    type Error = PolicyError;
    fn try_from(sections: PolicySections) -> Result<Self, Self::Error> {
        Policy::try_new(sections)
    }
}

impl Policy {
    /// A policy from its sections.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the first inconsistent field, see
    /// [`Policy::validate`].
    pub fn try_new(sections: PolicySections) -> Result<Self, PolicyError> {
        let PolicySections {
            work_order,
            estimate,
            complaint,
            follow_up,
            satisfaction,
            customer,
            care,
            maintenance,
            regulation,
        } = sections;
        let policy = Policy {
            work_order,
            estimate,
            complaint,
            follow_up,
            satisfaction,
            customer,
            care,
            maintenance,
            regulation,
        };
        policy.validate()?;
        Ok(policy)
    }

    /// The sections, to edit and rebuild with [`Policy::try_new`].
    pub fn into_sections(self) -> PolicySections {
        PolicySections {
            work_order: self.work_order,
            estimate: self.estimate,
            complaint: self.complaint,
            follow_up: self.follow_up,
            satisfaction: self.satisfaction,
            customer: self.customer,
            care: self.care,
            maintenance: self.maintenance,
            regulation: self.regulation,
        }
    }

    /// Checks every cross-field constraint.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] when: the WO-15 first check is zero; the rounding
    /// scale exceeds 6; a tolerance amount or authority cap is negative; the
    /// authority caps do not rise with the role; the estimate-overrun fields
    /// repeat a detail, are negative or, under a jurisdiction, are more
    /// lenient than its law (REG-06); the follow-up window ends before it
    /// starts; the reception document list repeats a document.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let wo = &self.work_order;
        if wo.progress_first_check_after.0 == 0 {
            return Err(invalid(
                "work_order.progress_first_check_after",
                RuleId::Wo15,
                "must be at least one minute",
            ));
        }
        for (i, doc) in wo.reception_documents.iter().enumerate() {
            if wo
                .reception_documents
                .iter()
                .skip(i.saturating_add(1))
                .any(|d| d == doc)
            {
                return Err(invalid(
                    "work_order.reception_documents",
                    RuleId::Wo04,
                    format!("lists {} ({}) twice", doc.label_en(), doc.label_zh()),
                ));
            }
        }
        let est = &self.estimate;
        if est.rounding_scale > 6 {
            return Err(invalid(
                "estimate.rounding_scale",
                RuleId::Est01,
                format!(
                    "is {}, at most 6 decimal places are supported",
                    est.rounding_scale
                ),
            ));
        }
        let t = &est.settlement_tolerance;
        if t.absolute.is_sign_negative() && !t.absolute.is_zero() {
            return Err(invalid(
                "estimate.settlement_tolerance.absolute",
                RuleId::Est06,
                format!("is `{}`, must not be negative", t.absolute),
            ));
        }
        if let Some(cap) = t.cap {
            if cap.is_sign_negative() && !cap.is_zero() {
                return Err(invalid(
                    "estimate.settlement_tolerance.cap",
                    RuleId::Est06,
                    format!("is `{cap}`, must not be negative"),
                ));
            }
        }
        crate::jurisdiction::validate_overrun(est)?;
        let a = &est.authority;
        if a.front_line.is_sign_negative() && !a.front_line.is_zero() {
            return Err(invalid(
                "estimate.authority.front_line",
                RuleId::Est08,
                format!("is `{}`, must not be negative", a.front_line),
            ));
        }
        if a.supervisor < a.front_line {
            return Err(invalid(
                "estimate.authority.supervisor",
                RuleId::Est08,
                format!(
                    "is `{}`, below the front-line cap `{}`",
                    a.supervisor, a.front_line
                ),
            ));
        }
        if a.manager < a.supervisor {
            return Err(invalid(
                "estimate.authority.manager",
                RuleId::Est08,
                format!(
                    "is `{}`, below the supervisor cap `{}`",
                    a.manager, a.supervisor
                ),
            ));
        }
        if let Some(senior) = a.senior_management {
            if senior < a.manager {
                return Err(invalid(
                    "estimate.authority.senior_management",
                    RuleId::Est08,
                    format!("is `{senior}`, below the manager cap `{}`", a.manager),
                ));
            }
        }
        self.complaint.validate()?;
        self.follow_up.validate()?;
        self.satisfaction.validate()?;
        self.customer.validate()?;
        self.care.validate()?;
        self.maintenance.validate()?;
        self.regulation.validate()?;
        Ok(())
    }

    /// Section 1: the work-order lifecycle.
    pub fn work_order(&self) -> &WorkOrderPolicy {
        &self.work_order
    }

    /// Section 2: estimates, authorization and money.
    pub fn estimate(&self) -> &EstimatePolicy {
        &self.estimate
    }

    /// Section 3: complaints.
    pub fn complaint(&self) -> &ComplaintPolicy {
        &self.complaint
    }

    /// Section 4: follow-up.
    pub fn follow_up(&self) -> &FollowUpPolicy {
        &self.follow_up
    }

    /// Section 5: satisfaction.
    pub fn satisfaction(&self) -> &SatisfactionPolicy {
        &self.satisfaction
    }

    /// Section 6: customer files.
    pub fn customer(&self) -> &CustomerPolicy {
        &self.customer
    }

    /// Section 7: the customer-care calendar.
    pub fn care(&self) -> &CarePolicy {
        &self.care
    }

    /// Section 8: the maintenance schedule.
    pub fn maintenance(&self) -> &MaintenancePolicy {
        &self.maintenance
    }

    /// This policy with another work-order section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_work_order(self, work_order: WorkOrderPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            work_order,
            ..self.into_sections()
        })
    }

    /// This policy with another estimate section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_estimate(self, estimate: EstimatePolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            estimate,
            ..self.into_sections()
        })
    }

    /// This policy with another complaint section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_complaint(self, complaint: ComplaintPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            complaint,
            ..self.into_sections()
        })
    }

    /// This policy with another follow-up section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_follow_up(self, follow_up: FollowUpPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            follow_up,
            ..self.into_sections()
        })
    }

    /// This policy with another satisfaction section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_satisfaction(self, satisfaction: SatisfactionPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            satisfaction,
            ..self.into_sections()
        })
    }

    /// This policy with another customer-file section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_customer(self, customer: CustomerPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            customer,
            ..self.into_sections()
        })
    }

    /// Section 10: regulation beyond the sources.
    pub fn regulation(&self) -> &RegulationPolicy {
        &self.regulation
    }

    /// This policy with another regulation section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_regulation(self, regulation: RegulationPolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            regulation,
            ..self.into_sections()
        })
    }

    /// This policy with another care-calendar section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_care(self, care: CarePolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            care,
            ..self.into_sections()
        })
    }
    /// This policy with another maintenance section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] if the result is inconsistent.
    pub fn with_maintenance(self, maintenance: MaintenancePolicy) -> Result<Self, PolicyError> {
        Policy::try_new(PolicySections {
            maintenance,
            ..self.into_sections()
        })
    }

    /// An amount in the policy currency.
    pub fn money(&self, amount: Decimal) -> Money {
        Money::new(amount, self.estimate.currency)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        Policy::default().validate().unwrap();
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = serde_json::from_str::<Policy>(r#"{"estimate":{"vat":"13"}}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `vat`"), "{err}");
        let err = serde_json::from_str::<Policy>(r#"{"complaints":{}}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `complaints`"),
            "{err}"
        );
    }

    #[test]
    fn inconsistent_caps_are_rejected() {
        let mut est = EstimatePolicy::default();
        est.authority.manager = Decimal::from(10);
        let err = Policy::default().with_estimate(est).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid policy: `estimate.authority.manager` is `10`, below the supervisor cap `1000` (EST-08)"
        );
    }

    #[test]
    fn lowest_role_for_amounts() {
        let caps = AuthorityCaps::default();
        assert_eq!(
            caps.lowest_role_for(Decimal::from(200)),
            Some(AuthorityRole::FrontLine)
        );
        assert_eq!(
            caps.lowest_role_for(Decimal::from(201)),
            Some(AuthorityRole::Supervisor)
        );
        assert_eq!(
            caps.lowest_role_for(Decimal::from(1_000_000)),
            Some(AuthorityRole::SeniorManagement)
        );
    }

    #[test]
    fn json_round_trip() {
        let p = Policy::default();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), p);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod grant_tests {
    use super::*;

    #[test]
    fn grants_name_the_next_role_up() {
        let caps = AuthorityCaps::default();
        let d = caps.grant(AuthorityRole::Supervisor, Decimal::from(1_000));
        assert_eq!(d.outcome, GrantOutcome::Within, "the cap itself is within");
        let d = caps.grant(AuthorityRole::Supervisor, Decimal::new(100_001, 2));
        assert_eq!(d.outcome, GrantOutcome::NeedsRole(AuthorityRole::Manager));
        assert_eq!(d.reasons.len(), 2);
        let capped = AuthorityCaps {
            senior_management: Some(Decimal::from(10_000)),
            ..AuthorityCaps::default()
        };
        assert_eq!(
            capped
                .grant(AuthorityRole::FrontLine, Decimal::from(10_001))
                .outcome,
            GrantOutcome::AboveEveryCap
        );
    }

    #[test]
    fn part_warranty_by_origin() {
        let w = PartWarrantyMonths::default();
        assert_eq!(w.for_origin(PartOrigin::Oem), 12);
        assert_eq!(w.for_origin(PartOrigin::QualityAftermarket), 6);
    }
}
