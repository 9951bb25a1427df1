//! [`ThreeGuaranteesPolicy`]: every number of REG-07 … REG-10.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::policy::{PolicyError, invalid};
use crate::rule::RuleId;
use crate::units::Percent;

/// The parameters of 三包 (REG-07 … REG-10). The defaults are the
/// statutory values of SAMR Order 43.
///
/// Validation treats each statutory value as a floor on the customer's
/// rights: a dealer or maker may offer longer periods, fewer repairs before
/// a remedy, a smaller usage deduction or faster answers, never the reverse.
///
/// ```
/// use aftersales::ThreeGuaranteesPolicy;
///
/// let mut policy = ThreeGuaranteesPolicy::default();
/// policy.repair_warranty_years = 5; // more generous than the law: fine
/// assert!(policy.validate().is_ok());
/// policy.validity_km = 40_000; // less than 50,000 km: refused
/// assert!(policy.validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThreeGuaranteesPolicy {
    /// REG-07: the 三包 validity (三包有效期) in years from the invoice date
    /// (at least 2).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub validity_years: u32,
    /// REG-07: the 三包 validity in km driven since delivery (at least
    /// 50,000).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub validity_km: u32,
    /// REG-07: the repair warranty (包修期) in years from the invoice date
    /// (at least 3).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub repair_warranty_years: u32,
    /// REG-07: the repair warranty in km driven since delivery (at least
    /// 60,000).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub repair_warranty_km: u32,
    /// REG-08: the early window in days after the invoice date (at least 60).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub early_days: u32,
    /// REG-08: the early window in km driven since delivery (at least 3,000).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub early_km: u32,
    /// REG-08: the window in days after the invoice date in which a needed
    /// assembly or main-part replacement gives replacement or refund at the
    /// customer's choice (at least 7).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub choice_days: u32,
    /// REG-08: a single repair longer than this many counted days gives a
    /// loaner car or transport compensation from the next day (at most 5).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub loaner_after_days: u32,
    /// REG-08: serious-safety-fault repairs after which a further failure
    /// gives replacement or refund (at most 2, at least 1).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub safety_fault_repairs: u32,
    /// REG-08: replacements of one assembly after which a further failure
    /// gives replacement or refund (at most 2, at least 1).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub assembly_replacements: u32,
    /// REG-08: replacements of the same main part after which a further
    /// failure gives replacement or refund (at most 2, at least 1).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub main_part_replacements: u32,
    /// REG-08: cumulative repair days inside the validity above which
    /// replacement or refund is due (at most 30).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub cumulative_repair_days: u32,
    /// REG-08: repairs of the same problem inside the validity above which
    /// replacement or refund is due (at most 4).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub same_problem_repairs: u32,
    /// REG-09: the usage deduction rate n in percent per 1,000 km (at most
    /// 0.5).
    pub usage_rate: Percent,
    /// REG-10: working days to answer a 三包 request (at most 10, at least
    /// 1).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub answer_working_days: u32,
    /// REG-10: working days to complete a 三包 request (at most 20, not
    /// fewer than the answer days).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub complete_working_days: u32,
    /// REG-10: years the 三包 records are kept (at least 6).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub retention_years: u32,
}

/// The statutory usage deduction ceiling, 0.5 %.
fn max_usage_rate() -> Decimal {
    Decimal::new(5, 1)
}

impl Default for ThreeGuaranteesPolicy {
    fn default() -> Self {
        ThreeGuaranteesPolicy {
            validity_years: 2,
            validity_km: 50_000,
            repair_warranty_years: 3,
            repair_warranty_km: 60_000,
            early_days: 60,
            early_km: 3_000,
            choice_days: 7,
            loaner_after_days: 5,
            safety_fault_repairs: 2,
            assembly_replacements: 2,
            main_part_replacements: 2,
            cumulative_repair_days: 30,
            same_problem_repairs: 4,
            usage_rate: Percent::try_new(max_usage_rate()).unwrap_or(Percent::ZERO),
            answer_working_days: 10,
            complete_working_days: 20,
            retention_years: 6,
        }
    }
}

/// `value` at least `min`, else an error for `field`.
fn at_least(field: &'static str, rule: RuleId, value: u32, min: u32) -> Result<(), PolicyError> {
    if value >= min {
        Ok(())
    } else {
        Err(invalid(
            field,
            rule,
            format!("is {value}, below the statutory minimum {min}"),
        ))
    }
}

/// `value` in `1..=max`, else an error for `field`.
fn count_within(
    field: &'static str,
    rule: RuleId,
    value: u32,
    max: u32,
) -> Result<(), PolicyError> {
    if value == 0 {
        Err(invalid(field, rule, "must be at least 1"))
    } else if value > max {
        Err(invalid(
            field,
            rule,
            format!(
                "is {value}, above the statutory maximum {max}: the customer would wait longer than the law allows"
            ),
        ))
    } else {
        Ok(())
    }
}

impl ThreeGuaranteesPolicy {
    /// Checks every number against its statutory floor (more generous is
    /// accepted, less is refused).
    ///
    /// # Errors
    ///
    /// A [`PolicyError`] naming the first field below the law and its rule.
    pub fn validate(&self) -> Result<(), PolicyError> {
        use RuleId::{Reg07, Reg08, Reg09, Reg10};
        at_least(
            "regulation.three_guarantees.validity_years",
            Reg07,
            self.validity_years,
            2,
        )?;
        at_least(
            "regulation.three_guarantees.validity_km",
            Reg07,
            self.validity_km,
            50_000,
        )?;
        at_least(
            "regulation.three_guarantees.repair_warranty_years",
            Reg07,
            self.repair_warranty_years,
            3,
        )?;
        at_least(
            "regulation.three_guarantees.repair_warranty_km",
            Reg07,
            self.repair_warranty_km,
            60_000,
        )?;
        at_least(
            "regulation.three_guarantees.early_days",
            Reg08,
            self.early_days,
            60,
        )?;
        at_least(
            "regulation.three_guarantees.early_km",
            Reg08,
            self.early_km,
            3_000,
        )?;
        at_least(
            "regulation.three_guarantees.choice_days",
            Reg08,
            self.choice_days,
            7,
        )?;
        if self.loaner_after_days > 5 {
            return Err(invalid(
                "regulation.three_guarantees.loaner_after_days",
                Reg08,
                format!(
                    "is {}, above the statutory maximum 5: the loaner would come later than the law allows",
                    self.loaner_after_days
                ),
            ));
        }
        count_within(
            "regulation.three_guarantees.safety_fault_repairs",
            Reg08,
            self.safety_fault_repairs,
            2,
        )?;
        count_within(
            "regulation.three_guarantees.assembly_replacements",
            Reg08,
            self.assembly_replacements,
            2,
        )?;
        count_within(
            "regulation.three_guarantees.main_part_replacements",
            Reg08,
            self.main_part_replacements,
            2,
        )?;
        count_within(
            "regulation.three_guarantees.cumulative_repair_days",
            Reg08,
            self.cumulative_repair_days,
            30,
        )?;
        count_within(
            "regulation.three_guarantees.same_problem_repairs",
            Reg08,
            self.same_problem_repairs,
            4,
        )?;
        if self.usage_rate.get() > max_usage_rate() {
            return Err(invalid(
                "regulation.three_guarantees.usage_rate",
                Reg09,
                format!(
                    "is {} %, above the statutory maximum 0.5 %",
                    self.usage_rate.get()
                ),
            ));
        }
        count_within(
            "regulation.three_guarantees.answer_working_days",
            Reg10,
            self.answer_working_days,
            10,
        )?;
        count_within(
            "regulation.three_guarantees.complete_working_days",
            Reg10,
            self.complete_working_days,
            20,
        )?;
        if self.complete_working_days < self.answer_working_days {
            return Err(invalid(
                "regulation.three_guarantees.complete_working_days",
                Reg10,
                "must not be fewer than answer_working_days",
            ));
        }
        at_least(
            "regulation.three_guarantees.retention_years",
            Reg10,
            self.retention_years,
            6,
        )
    }
}
