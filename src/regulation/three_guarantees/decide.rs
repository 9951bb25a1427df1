//! The 三包 decision: which entitlements a repair history has earned.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::days::{COUNTING_RULE, add_years, instant_after_counted_days, repair_days};
use super::model::{
    Entitlement, EntitlementSubject, EntitlementTrigger, HouseholdCar, MainPart,
    PowertrainAssembly, ProblemKey, ProblemSite, QualityRepair, Replacement, SafetyFailure,
    ThreeGuaranteesError, local_day,
};
use super::policy::ThreeGuaranteesPolicy;
use crate::rule::{Reason, RuleId};
use crate::time::SUPPORTED_RANGE;
use crate::units::Km;

/// A period from the invoice date: a last day (inclusive, `None` when it
/// lies past the calendar) and a km limit (inclusive), first reached wins.
#[derive(Clone, Copy)]
struct Period {
    invoice: NaiveDate,
    last_day: Option<NaiveDate>,
    km: u32,
}

impl Period {
    fn years(invoice: NaiveDate, years: u32, km: u32) -> Self {
        Period {
            invoice,
            last_day: add_years(invoice, years),
            km,
        }
    }

    fn days(invoice: NaiveDate, days: u32, km: u32) -> Self {
        Period {
            invoice,
            last_day: invoice.checked_add_days(chrono::Days::new(u64::from(days))),
            km,
        }
    }

    fn contains(&self, date: NaiveDate, driven: Km) -> bool {
        date >= self.invoice && self.last_day.is_none_or(|last| date <= last) && driven.0 <= self.km
    }

    fn describe(&self) -> String {
        match self.last_day {
            Some(last) => format!("until {last} or {} km, whichever comes first", self.km),
            None => format!("up to {} km", self.km),
        }
    }
}

/// Days from the invoice date to `date` (the invoice day itself is day 0:
/// periods in days start the next day, as the Civil Code counts them).
fn day_number(invoice: NaiveDate, date: NaiveDate) -> i64 {
    date.signed_duration_since(invoice).num_days()
}

/// The end of `repair` as seen at `at`: its completion, or `at` while it
/// is still running (never before its start).
fn end_at(repair: &QualityRepair, at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    repair
        .completed
        .map_or(at, |c| c.min(at))
        .max(repair.started)
}

/// Repair days of `repair` counted up to `at` (REG-09).
fn days_at(repair: &QualityRepair, at: DateTime<FixedOffset>) -> u32 {
    repair_days(repair.started, end_at(repair, at), &repair.excluded)
}

/// A fact about one repair.
fn repair_fact(car: &HouseholdCar, repair: &QualityRepair) -> String {
    format!(
        "order {} started {} (day {} after the invoice of {}, {} km since delivery): {}, problem `{}`",
        repair.order,
        repair.date(),
        day_number(car.invoice_date, repair.date()),
        car.invoice_date,
        car.driven(repair.odometer).0,
        repair.problem.site,
        repair.problem.key
    )
}

/// Whether `repair` replaced (or must replace) `assembly` as a whole.
fn replaces_assembly(repair: &QualityRepair, assembly: PowertrainAssembly) -> bool {
    repair
        .replaced
        .iter()
        .any(|r| matches!(r, Replacement::Assembly(a) if *a == assembly))
}

/// Whether `repair` replaced (or must replace) `part`.
fn replaces_main_part(repair: &QualityRepair, part: &MainPart) -> bool {
    repair
        .replaced
        .iter()
        .any(|r| matches!(r, Replacement::MainPart(p) if p.same_as(part)))
}

/// Whether `repair` replaced an assembly or one of its main parts.
fn replaces_assembly_or_main_part(repair: &QualityRepair) -> bool {
    repair
        .replaced
        .iter()
        .any(|r| matches!(r, Replacement::Assembly(_) | Replacement::MainPart(_)))
}

/// The result of a "repaired or replaced `n` times and failing again"
/// rule: when it arose, which repairs show it, and how many were counted.
struct Repeated<'a> {
    arose_on: NaiveDate,
    repairs: Vec<&'a QualityRepair>,
    note: String,
}

/// The "`n` times and still failing" rule over `counted` (in time order,
/// a subsequence of `all`): it holds once the `i`-th counted repair
/// (`i ≥ n`) is marked still failing, or once a repair of `all` after the
/// `n`-th counted one shows a failure that `fails_again` recognises. The
/// earliest of these wins. Adding repairs can only move the `n`-th counted
/// one earlier or keep it, so the rule never stops holding.
fn repeated<'a>(
    counted: &[&'a QualityRepair],
    all: &[&'a QualityRepair],
    n: u32,
    fails_again: impl Fn(&QualityRepair) -> bool,
) -> Option<Repeated<'a>> {
    let n = usize::try_from(n.max(1)).unwrap_or(usize::MAX);
    let nth_index = n.checked_sub(1)?;
    let nth = *counted.get(nth_index)?;
    let flagged = counted
        .iter()
        .enumerate()
        .skip(nth_index)
        .find(|(_, r)| r.still_failing)
        .map(|(i, r)| {
            let upto = counted.get(..=i).unwrap_or_default().to_vec();
            Repeated {
                arose_on: r.completed.map_or_else(|| r.date(), local_day),
                repairs: upto,
                note: format!("still failing after order {}", r.order),
            }
        });
    let position = all.iter().position(|r| std::ptr::eq(*r, nth));
    let again = position.and_then(|p| {
        all.iter()
            .skip(p.saturating_add(1))
            .find(|r| fails_again(r))
            .map(|r| {
                let mut upto = counted.get(..n).unwrap_or_default().to_vec();
                upto.push(*r);
                Repeated {
                    arose_on: r.date(),
                    repairs: upto,
                    note: format!("failing again at order {}", r.order),
                }
            })
    });
    match (flagged, again) {
        (Some(a), Some(b)) => Some(if b.arose_on < a.arose_on { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// Collects entitlements, one per key.
struct Collector<'c> {
    car: &'c HouseholdCar,
    out: Vec<Entitlement>,
}

impl Collector<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        trigger: EntitlementTrigger,
        subject: EntitlementSubject,
        arose_on: NaiveDate,
        repairs: &[&QualityRepair],
        count: u32,
        loaner_from: Option<DateTime<FixedOffset>>,
        mut extra: Vec<Reason>,
    ) {
        let rule = trigger.rule();
        let mut reasons: Vec<Reason> = repairs
            .iter()
            .map(|r| Reason::new(rule, repair_fact(self.car, r)))
            .collect();
        reasons.append(&mut extra);
        self.out.push(Entitlement {
            trigger,
            remedy: trigger.remedy(),
            rule,
            article: trigger.article().to_owned(),
            subject,
            arose_on,
            orders: repairs.iter().map(|r| r.order.clone()).collect(),
            count,
            loaner_from,
            reasons,
        });
    }
}

/// A count as `u32`.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Every 三包 entitlement the car has earned at `at`, with the odometer
/// reading `odometer` then, in the order they arose.
///
/// Only repairs that started on or before `at` and not before the invoice
/// date count; a repair still open at `at` counts its days up to `at`.
/// Once earned inside its window, an entitlement stays in the list at every
/// later `at` and with every further repair (the customer's claim does not
/// lapse because the car came back again); only the current-coverage entry
/// ([`EntitlementTrigger::WarrantyCoverage`]) depends on `at` and
/// `odometer` alone.
///
/// All km limits count the km driven since delivery
/// ([`HouseholdCar::driven`]). Periods in years end on the anniversary of
/// the invoice date (or the month's last day when it has none); periods in
/// days start the day after the invoice date, so day 60 is the last day of
/// the 60-day window. Overlapping repairs are taken as recorded: each
/// counts its own days.
///
/// ```
/// use aftersales::{
///     entitlements, EntitlementTrigger, HouseholdCar, Km, Money, Powertrain, PowertrainAssembly,
///     ProblemKey, ProblemSite, QualityProblem, QualityRepair, ThreeGuaranteesPolicy, Vin,
///     WorkOrderNo,
/// };
/// use chrono::{DateTime, NaiveDate};
///
/// let car = HouseholdCar {
///     vin: Vin::try_new("LFV2A21K8N3000001")?,
///     invoice_date: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap_or_default(),
///     delivery_date: NaiveDate::from_ymd_opt(2025, 1, 10).unwrap_or_default(),
///     delivery_odometer: Km(15),
///     price: "180000.00 CNY".parse()?,
///     powertrain: Powertrain::Combustion,
/// };
/// let repair = QualityRepair {
///     order: WorkOrderNo::try_new("WO-1")?,
///     problem: QualityProblem {
///         site: ProblemSite::Assembly(PowertrainAssembly::Transmission),
///         serious_safety: false,
///         key: ProblemKey::try_new("gearbox judder")?,
///     },
///     replaced: vec![],
///     started: DateTime::parse_from_rfc3339("2025-01-15T09:00:00+08:00")?,
///     completed: Some(DateTime::parse_from_rfc3339("2025-01-15T17:00:00+08:00")?),
///     excluded: vec![],
///     odometer: Km(420),
///     still_failing: false,
/// };
/// let at = DateTime::parse_from_rfc3339("2025-01-16T09:00:00+08:00")?;
/// let found = entitlements(&car, &[repair], at, Km(430), &ThreeGuaranteesPolicy::default())?;
/// assert!(found.iter().any(|e| e.trigger == EntitlementTrigger::EarlyAssemblyProblem));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ThreeGuaranteesError::InvalidInput`] naming the field when `at` or a
/// repair's time lies outside
/// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE);
/// [`ThreeGuaranteesError::CompletedBeforeStart`] or
/// [`ThreeGuaranteesError::ExclusionReversed`] for an inconsistent repair:
/// the history is refused rather than partly ignored.
pub fn entitlements(
    car: &HouseholdCar,
    history: &[QualityRepair],
    at: DateTime<FixedOffset>,
    odometer: Km,
    policy: &ThreeGuaranteesPolicy,
) -> Result<Vec<Entitlement>, ThreeGuaranteesError> {
    SUPPORTED_RANGE
        .check("at", at)
        .map_err(|e| ThreeGuaranteesError::InvalidInput {
            field: "at",
            reason: e.to_string(),
        })?;
    for repair in history {
        repair.validate()?;
    }
    let invoice = car.invoice_date;
    let mut repairs: Vec<&QualityRepair> = history
        .iter()
        .filter(|r| r.started <= at && r.date() >= invoice)
        .collect();
    repairs.sort_by(|a, b| (a.started, &a.order).cmp(&(b.started, &b.order)));

    let warranty = Period::years(
        invoice,
        policy.repair_warranty_years,
        policy.repair_warranty_km,
    );
    let validity = Period::years(invoice, policy.validity_years, policy.validity_km);
    let early = Period::days(invoice, policy.early_days, policy.early_km);
    let choice = Period::days(invoice, policy.choice_days, u32::MAX);
    let in_period = |p: &Period, r: &QualityRepair| p.contains(r.date(), car.driven(r.odometer));

    let mut c = Collector {
        car,
        out: Vec::new(),
    };

    // REG-07: coverage now, and every repair inside the repair warranty.
    let today = local_day(at);
    if warranty.contains(today, car.driven(odometer)) {
        c.push(
            EntitlementTrigger::WarrantyCoverage,
            EntitlementSubject::Vehicle,
            today,
            &[],
            0,
            None,
            vec![Reason::new(
                RuleId::Reg07,
                format!(
                    "on {today} with {} km since delivery the car is inside the repair warranty \
                     from the invoice of {invoice}, {}",
                    car.driven(odometer).0,
                    warranty.describe()
                ),
            )],
        );
    }
    for r in repairs.iter().filter(|r| in_period(&warranty, r)) {
        c.push(
            EntitlementTrigger::WarrantyRepair,
            EntitlementSubject::Order(r.order.clone()),
            r.date(),
            &[*r],
            1,
            None,
            vec![Reason::new(
                RuleId::Reg07,
                format!("inside the repair warranty, {}", warranty.describe()),
            )],
        );
    }

    // REG-08, early window: assembly and main-part problems, listed failures.
    let early_note = || {
        Reason::new(
            RuleId::Reg08,
            format!(
                "inside the early window of {} days / {} km",
                policy.early_days, policy.early_km
            ),
        )
    };
    let mut by_assembly: BTreeMap<PowertrainAssembly, Vec<&QualityRepair>> = BTreeMap::new();
    let mut by_failure: BTreeMap<SafetyFailure, Vec<&QualityRepair>> = BTreeMap::new();
    for r in repairs.iter().filter(|r| in_period(&early, r)) {
        if let Some(a) = r.problem.site.assembly() {
            by_assembly.entry(a).or_default().push(*r);
        }
        if let ProblemSite::Failure(f) = r.problem.site {
            by_failure.entry(f).or_default().push(*r);
        }
    }
    for (a, rs) in &by_assembly {
        if let Some(first) = rs.first() {
            c.push(
                EntitlementTrigger::EarlyAssemblyProblem,
                EntitlementSubject::Assembly(*a),
                first.date(),
                rs,
                count(rs.len()),
                None,
                vec![early_note()],
            );
        }
    }
    for (f, rs) in &by_failure {
        if let Some(first) = rs.first() {
            c.push(
                EntitlementTrigger::EarlySafetyFailure,
                EntitlementSubject::Failure(*f),
                first.date(),
                rs,
                count(rs.len()),
                None,
                vec![early_note()],
            );
        }
    }

    // REG-08, choice window: an assembly or main part to replace.
    let chosen: Vec<&QualityRepair> = repairs
        .iter()
        .copied()
        .filter(|r| in_period(&choice, r) && replaces_assembly_or_main_part(r))
        .collect();
    if let Some(first) = chosen.first() {
        c.push(
            EntitlementTrigger::ChoiceWindowReplacement,
            EntitlementSubject::Vehicle,
            first.date(),
            &chosen,
            count(chosen.len()),
            None,
            vec![Reason::new(
                RuleId::Reg08,
                format!(
                    "an assembly or its main part needs replacing within {} days of the invoice",
                    policy.choice_days
                ),
            )],
        );
    }

    // REG-08 with REG-09 counting: one repair longer than the threshold.
    for r in repairs.iter().filter(|r| in_period(&warranty, r)) {
        let days = days_at(r, at);
        if days > policy.loaner_after_days {
            let from = instant_after_counted_days(r.started, &r.excluded, policy.loaner_after_days);
            c.push(
                EntitlementTrigger::LongRepair,
                EntitlementSubject::Order(r.order.clone()),
                from.map_or_else(|| r.date(), local_day),
                &[*r],
                days,
                from,
                vec![Reason::new(
                    COUNTING_RULE,
                    format!(
                        "{days} repair days counted (24 hours or part of them a day, {} excluded \
                         interval(s) taken out), more than {}: loaner or transport from day {}",
                        r.excluded.len(),
                        policy.loaner_after_days,
                        policy.loaner_after_days.saturating_add(1)
                    ),
                )],
            );
        }
    }

    // REG-08 inside the validity.
    let valid: Vec<&QualityRepair> = repairs
        .iter()
        .copied()
        .filter(|r| in_period(&validity, r))
        .collect();
    let validity_note = Reason::new(
        RuleId::Reg07,
        format!("inside the 三包 validity, {}", validity.describe()),
    );

    let safety: Vec<&QualityRepair> = valid
        .iter()
        .copied()
        .filter(|r| r.problem.is_serious_safety())
        .collect();
    if let Some(hit) = repeated(&safety, &valid, policy.safety_fault_repairs, |r| {
        r.problem.is_serious_safety()
    }) {
        let n = count(hit.repairs.len());
        c.push(
            EntitlementTrigger::SafetyFaultRepeated,
            EntitlementSubject::Vehicle,
            hit.arose_on,
            &hit.repairs,
            n,
            None,
            vec![
                Reason::new(
                    RuleId::Reg08,
                    format!(
                        "serious safety faults repaired {} time(s), {}",
                        policy.safety_fault_repairs, hit.note
                    ),
                ),
                validity_note.clone(),
            ],
        );
    }

    for a in PowertrainAssembly::ALL {
        let replaced: Vec<&QualityRepair> = valid
            .iter()
            .copied()
            .filter(|r| replaces_assembly(r, *a))
            .collect();
        let again =
            |r: &QualityRepair| r.problem.site.assembly() == Some(*a) || replaces_assembly(r, *a);
        if let Some(hit) = repeated(&replaced, &valid, policy.assembly_replacements, again) {
            let n = count(hit.repairs.len());
            c.push(
                EntitlementTrigger::AssemblyReplacedTwice,
                EntitlementSubject::Assembly(*a),
                hit.arose_on,
                &hit.repairs,
                n,
                None,
                vec![
                    Reason::new(
                        RuleId::Reg08,
                        format!(
                            "{} ({}) replaced {} time(s), {}",
                            a.label_en(),
                            a.label_zh(),
                            policy.assembly_replacements,
                            hit.note
                        ),
                    ),
                    validity_note.clone(),
                ],
            );
        }
    }

    let mut parts: Vec<MainPart> = valid
        .iter()
        .flat_map(|r| r.replaced.iter())
        .filter_map(|x| match x {
            Replacement::MainPart(p) => Some(p.normalised()),
            Replacement::Assembly(_) | Replacement::Other(_) => None,
        })
        .collect();
    parts.sort();
    parts.dedup();
    for part in parts {
        let replaced: Vec<&QualityRepair> = valid
            .iter()
            .copied()
            .filter(|r| replaces_main_part(r, &part))
            .collect();
        let again = |r: &QualityRepair| {
            matches!(&r.problem.site, ProblemSite::MainPart(p) if p.same_as(&part))
                || replaces_main_part(r, &part)
        };
        if let Some(hit) = repeated(&replaced, &valid, policy.main_part_replacements, again) {
            let n = count(hit.repairs.len());
            let note = format!(
                "main part `{}` of the {} replaced {} time(s), {}",
                part.part,
                part.assembly.label_en(),
                policy.main_part_replacements,
                hit.note
            );
            c.push(
                EntitlementTrigger::MainPartReplacedTwice,
                EntitlementSubject::MainPart(part),
                hit.arose_on,
                &hit.repairs,
                n,
                None,
                vec![Reason::new(RuleId::Reg08, note), validity_note.clone()],
            );
        }
    }

    // Cumulative repair days: the day the sum first passes the limit.
    let mut total = 0u32;
    for (i, r) in valid.iter().enumerate() {
        let days = days_at(r, at);
        let before = total;
        total = total.saturating_add(days);
        if total > policy.cumulative_repair_days {
            let needed = policy.cumulative_repair_days.saturating_sub(before);
            let crossed = instant_after_counted_days(r.started, &r.excluded, needed);
            let upto = valid.get(..=i).unwrap_or_default();
            let grand: u32 = valid
                .iter()
                .fold(0u32, |acc, r| acc.saturating_add(days_at(r, at)));
            c.push(
                EntitlementTrigger::CumulativeRepairDays,
                EntitlementSubject::Vehicle,
                crossed.map_or_else(|| r.date(), local_day),
                upto,
                grand,
                None,
                vec![
                    Reason::new(
                        COUNTING_RULE,
                        format!(
                            "{grand} repair days counted over {} repair(s), each rounded up to \
                             whole 24-hour days after exclusions; the limit of {} was passed \
                             during order {}",
                            valid.len(),
                            policy.cumulative_repair_days,
                            r.order
                        ),
                    ),
                    validity_note.clone(),
                ],
            );
            break;
        }
    }

    // The same problem repaired more than the limit.
    let mut by_key: BTreeMap<&ProblemKey, Vec<&QualityRepair>> = BTreeMap::new();
    for r in &valid {
        by_key.entry(&r.problem.key).or_default().push(*r);
    }
    let limit = usize::try_from(policy.same_problem_repairs).unwrap_or(usize::MAX);
    for (key, rs) in by_key {
        if let Some(over) = rs.get(limit) {
            c.push(
                EntitlementTrigger::SameProblemRepeated,
                EntitlementSubject::Problem(key.clone()),
                over.date(),
                &rs,
                count(rs.len()),
                None,
                vec![
                    Reason::new(
                        RuleId::Reg08,
                        format!(
                            "problem `{key}` repaired {} times, more than {}",
                            rs.len(),
                            policy.same_problem_repairs
                        ),
                    ),
                    validity_note.clone(),
                ],
            );
        }
    }

    let mut out = c.out;
    out.sort_by(|a, b| {
        (a.arose_on, a.trigger, &a.subject).cmp(&(b.arose_on, b.trigger, &b.subject))
    });
    Ok(out)
}
