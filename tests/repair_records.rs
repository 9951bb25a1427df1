//! REG-03 … REG-06 on the story's order: the completion certificate before
//! delivery, the settlement list with part origins and consent, and what
//! may not be charged when a settlement overruns without fresh consent.

use aftersales::{
    AuthorizationMethod, CompletionCertificate, Invoice, ItemNo, Jurisdiction, LineKind,
    MaterialKind, Money, OldPartsDisposition, OverrunConsent, OverrunOutcome, PartConsent,
    PartOrigin, PartsConsent, PaymentChoice, PersonName, Policy, RegulationPolicy, RepairCategory,
    RepairRecordsPolicy, RuleId, Settle, SettlementList, StaffId, WorkOrder, WorkOrderCommand,
    WorkOrderError, WorkOrderEvent, WorkOrderNo, recheck,
};
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::support::{Expect, order_after, policy, step_index, steps, story};

type C = WorkOrderCommand;
type E = WorkOrderEvent;
type At = DateTime<FixedOffset>;

// ---------------------------------------------------------------- helpers

fn t(hour: u32, minute: u32) -> At {
    story::at(hour, minute).unwrap()
}

fn no() -> WorkOrderNo {
    story::order_no().unwrap()
}

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn customer() -> PersonName {
    PersonName::try_new("王先生").unwrap()
}

fn advisor() -> StaffId {
    StaffId::try_new("SA-07 李娜").unwrap()
}

fn classify(scope: RepairCategory) -> C {
    C::ClassifyRepair {
        at: t(16, 30),
        scope,
    }
}

fn certificate() -> C {
    C::RecordCompletionCertificate {
        certificate: CompletionCertificate {
            at: t(17, 25),
            number: "JG-2026-0417".into(),
            inspector: StaffId::try_new("QC-03 赵工").unwrap(),
        },
    }
}

/// Runs the story under `policy`, executing each insert just before the
/// step titled like its needle; returns the order, the log and the answer
/// to the last step (the delivery).
fn run(
    policy: &Policy,
    inserts: &[(&str, C)],
) -> (WorkOrder, Vec<E>, Result<Vec<E>, WorkOrderError>) {
    let mut order = WorkOrder::new(no());
    let mut log = Vec::new();
    let steps = steps();
    let last = steps.len() - 1;
    for (i, step) in steps.into_iter().enumerate() {
        for (needle, command) in inserts {
            if step.title.contains(needle) {
                log.extend(
                    order
                        .execute(command.clone(), policy)
                        .unwrap_or_else(|e| panic!("insert before `{needle}`: {e}")),
                );
            }
        }
        if step.expect != Expect::Accepted {
            continue;
        }
        let result = order.execute(step.command, policy);
        if let Ok(events) = &result {
            log.extend(events.iter().cloned());
        }
        if i == last {
            return (order, log, result);
        }
        result.expect(step.title);
    }
    unreachable!("the story ends with the delivery")
}

fn story_order() -> (WorkOrder, Vec<E>) {
    order_after(steps().len())
}

/// The story's log with the settlement's invoice total raised by `extra`.
fn with_invoice_raised(log: &[E], extra: &str) -> Vec<E> {
    log.iter()
        .cloned()
        .map(|e| match e {
            E::OrderSettled { mut settlement } => {
                let currency = settlement.invoice.total.currency();
                settlement.invoice.total = settlement
                    .invoice
                    .total
                    .checked_add(money(&format!("{extra} {currency}")))
                    .unwrap();
                E::OrderSettled { settlement }
            }
            other => other,
        })
        .collect()
}

/// The story's log with every amount in US dollars.
fn in_dollars(log: &[E]) -> Vec<E> {
    let json = serde_json::to_string(log).unwrap();
    serde_json::from_str(&json.replace("\"CNY\"", "\"USD\"")).unwrap()
}

/// The story's log with the front brake pads reconditioned.
fn with_reconditioned_pads(log: &[E]) -> Vec<E> {
    log.iter()
        .cloned()
        .map(|e| match e {
            E::ItemProposed { at, mut item } if item.no == ItemNo(2) => {
                for line in &mut item.lines {
                    if let LineKind::Part { origin, .. } = &mut line.kind {
                        *origin = PartOrigin::Reconditioned;
                    }
                }
                E::ItemProposed { at, item }
            }
            other => other,
        })
        .collect()
}

fn policy_with(records: RepairRecordsPolicy) -> Result<Policy, aftersales::PolicyError> {
    Policy::default().with_regulation(RegulationPolicy {
        repair_records: records,
        ..RegulationPolicy::default()
    })
}

// ------------------------------------------------------------------ REG-03

#[test]
fn reg03_delivery_is_refused_without_a_certificate_for_each_scope_that_needs_one() {
    for scope in RepairCategory::NEEDS_CERTIFICATE {
        let (order, _, delivered) = run(&policy(), &[("Washed", classify(scope))]);
        let err = delivered.expect_err("refused");
        assert_eq!(err.rule(), Some(RuleId::Reg03), "{scope}: {err}");
        let text = err.to_string();
        assert!(text.contains("竣工出厂合格证"), "{text}");
        assert!(text.contains(scope.label_en()), "{text}");
        assert_eq!(order.certificate_scope(), Some(scope));
        assert!(order.delivery().is_none());
    }
}

#[test]
fn reg03_other_scopes_and_an_unclassified_order_deliver_without_one() {
    for scope in [
        RepairCategory::FirstLevelMaintenance,
        RepairCategory::Minor,
        RepairCategory::Special,
    ] {
        let (order, _, delivered) = run(&policy(), &[("Washed", classify(scope))]);
        assert!(delivered.is_ok(), "{scope}: {delivered:?}");
        assert!(order.delivery().is_some());
    }
    let (order, _, delivered) = run(&policy(), &[]);
    assert!(delivered.is_ok());
    assert_eq!(order.certificate_scope(), None);
}

#[test]
fn reg03_the_certificate_recorded_then_delivery_goes_through() {
    let (order, log, delivered) = run(
        &policy(),
        &[
            ("Washed", classify(RepairCategory::Assembly)),
            ("Delivered at the car", certificate()),
        ],
    );
    assert!(delivered.is_ok(), "{delivered:?}");
    let cert = order.completion_certificate().unwrap();
    assert_eq!(cert.number, "JG-2026-0417");
    assert!(
        log.iter()
            .any(|e| e.name() == "completion_certificate_recorded")
    );
    let list = SettlementList::of(&order, &policy()).unwrap();
    assert_eq!(list.scope, Some(RepairCategory::Assembly));
    assert_eq!(list.certificate.as_ref(), Some(cert));
    assert!(list.gaps.is_empty(), "{:?}", list.gaps);
}

#[test]
fn reg03_a_stricter_policy_asks_a_certificate_for_minor_repairs_too() {
    let strict = policy_with(RepairRecordsPolicy {
        certificate_required_for: RepairCategory::ALL.to_vec(),
        ..RepairRecordsPolicy::default()
    })
    .unwrap();
    let (_, _, delivered) = run(&strict, &[("Washed", classify(RepairCategory::Minor))]);
    assert_eq!(delivered.unwrap_err().rule(), Some(RuleId::Reg03));
}

#[test]
fn reg03_the_certificate_is_signed_after_the_final_check_once_with_a_number() {
    let policy = policy();
    let (before_qc, _) = order_after(step_index("Final check passed"));
    let err = before_qc
        .decide(
            &C::RecordCompletionCertificate {
                certificate: CompletionCertificate {
                    at: t(16, 20),
                    number: "JG-1".into(),
                    inspector: StaffId::try_new("QC-03 赵工").unwrap(),
                },
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(err.rule(), Some(RuleId::Reg03), "{err}");

    let (mut ready, _) = order_after(step_index("Washed"));
    let blank = C::RecordCompletionCertificate {
        certificate: CompletionCertificate {
            at: t(16, 30),
            number: "  ".into(),
            inspector: StaffId::try_new("QC-03 赵工").unwrap(),
        },
    };
    let err = ready.decide(&blank, &policy).unwrap_err();
    assert_eq!(err.rule(), None);
    assert!(err.to_string().contains("certificate.number"), "{err}");
    ready.execute(certificate(), &policy).unwrap();
    let again = ready.decide(&certificate(), &policy).unwrap_err();
    assert!(again.to_string().contains("already recorded"), "{again}");
}

#[test]
fn reg03_classification_ends_at_delivery() {
    let (delivered, _) = story_order();
    let err = delivered
        .decide(
            &C::ClassifyRepair {
                at: t(18, 0),
                scope: RepairCategory::SecondLevelMaintenance,
            },
            &policy(),
        )
        .unwrap_err();
    assert_eq!(err.rule(), Some(RuleId::Reg03), "{err}");
}

// ------------------------------------------------------------------ policy

#[test]
fn the_policy_never_asks_less_than_the_law() {
    let err = policy_with(RepairRecordsPolicy {
        certificate_required_for: vec![
            RepairCategory::SecondLevelMaintenance,
            RepairCategory::Assembly,
        ],
        ..RepairRecordsPolicy::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("certificate_required_for"), "{err}");
    assert!(err.contains("whole-vehicle repair"), "{err}");
    assert!(err.contains("REG-03"), "{err}");

    let err = policy_with(RepairRecordsPolicy {
        consent_required_for: vec![PartOrigin::OtherAftermarket],
        ..RepairRecordsPolicy::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("consent_required_for"), "{err}");
    assert!(err.contains("REG-04"), "{err}");

    let err = policy_with(RepairRecordsPolicy {
        consent_required_for: vec![PartOrigin::Reconditioned, PartOrigin::Reconditioned],
        ..RepairRecordsPolicy::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("twice"), "{err}");
}

#[test]
fn the_policy_section_round_trips_and_refuses_unknown_fields() {
    let records = RepairRecordsPolicy {
        certificate_required_for: RepairCategory::ALL.to_vec(),
        consent_required_for: vec![PartOrigin::Reconditioned, PartOrigin::OtherAftermarket],
    };
    let json = serde_json::to_string(&records).unwrap();
    assert_eq!(
        serde_json::from_str::<RepairRecordsPolicy>(&json).unwrap(),
        records
    );
    assert!(serde_json::from_str::<RepairRecordsPolicy>(r#"{"certificates": []}"#).is_err());
    assert_eq!(
        serde_json::from_str::<RepairRecordsPolicy>("{}").unwrap(),
        RepairRecordsPolicy::default()
    );
}

// ------------------------------------------------------------------ REG-04

#[test]
fn reg04_the_settlement_list_of_the_story() {
    let policy = policy();
    let (order, _) = story_order();
    let list = SettlementList::of(&order, &policy).unwrap();
    let totals = order.totals(policy.estimate()).unwrap().authorized;
    assert_eq!(list.totals, totals);
    assert_eq!(list.totals.labour, money("1620.00 CNY"));
    assert_eq!(list.totals.parts, money("1608.00 CNY"));
    assert_eq!(list.totals.materials, money("351.00 CNY"));
    assert_eq!(list.totals.net, money("3579.00 CNY"));
    assert_eq!(list.totals.tax, money("465.27 CNY"));
    assert_eq!(list.totals.gross, money("4044.27 CNY"));
    assert_eq!(list.settled_total, money("4044.27 CNY"));
    assert_eq!(list.chargeable_amount, money("4044.27 CNY"));
    assert!(list.not_chargeable.is_empty());
    assert_eq!(list.overrun.outcome, OverrunOutcome::Within);
    assert_eq!(list.labour.len(), 4);
    // oil filter, engine oil, front pads, rear discs; the declined wipers are not on it
    assert_eq!(list.materials.len(), 4);
    assert!(list.materials.iter().all(|m| m.item != ItemNo(5)));
    assert_eq!(list.consent_missing().count(), 0);
    assert_eq!(list.old_parts, OldPartsDisposition::ReturnedToCustomer);
    assert!(list.gaps.is_empty(), "{:?}", list.gaps);
    assert!(list.delivered_at.is_some());
    insta::assert_snapshot!("story_settlement_list", list.render());
}

/// The warranty of each part line of a settlement list, as
/// `(item, origin, months, until)`.
fn warranties(list: &SettlementList) -> Vec<(ItemNo, PartOrigin, u32, Option<NaiveDate>)> {
    list.materials
        .iter()
        .filter_map(|m| match &m.kind {
            MaterialKind::Part {
                warranty: Some(w), ..
            } => Some((m.item, w.origin, w.months, w.until)),
            _ => None,
        })
        .collect()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn est03_each_part_line_of_the_list_states_its_warranty_by_origin() {
    let policy = policy();
    let (order, log) = story_order();
    let list = SettlementList::of(&order, &policy).unwrap();
    // Three OEM parts: 12 months from the delivery on 24 November.
    let oem = |item| (ItemNo(item), PartOrigin::Oem, 12, Some(date("2027-11-24")));
    assert_eq!(warranties(&list), [oem(1), oem(2), oem(4)]);
    let text = list.render();
    assert!(
        text.contains("保修 / Warranty: 原厂件，保修12个月，2026-11-24至2027-11-24 / OEM, 12 months warranty, 2026-11-24 to 2027-11-24"),
        "{text}"
    );
    // Reconditioned pads carry the reconditioned months (6).
    let order = WorkOrder::replay(no(), &with_reconditioned_pads(&log));
    let list = SettlementList::of(&order, &policy).unwrap();
    assert_eq!(
        warranties(&list)[1],
        (
            ItemNo(2),
            PartOrigin::Reconditioned,
            6,
            Some(date("2027-05-24"))
        )
    );
    assert!(
        list.render().contains(
            "修复件，保修6个月，2026-11-24至2027-05-24 / reconditioned, 6 months warranty"
        ),
        "{}",
        list.render()
    );
}

#[test]
fn est03_the_list_keeps_the_warranty_stated_at_delivery() {
    let (order, log) = story_order();
    // The dealer later promises 24 months on OEM parts: the story's customer
    // was told 12 at delivery, and the list says 12.
    let mut estimate = Policy::default().estimate().clone();
    estimate.part_warranty_months.oem = 24;
    let longer = Policy::default().with_estimate(estimate).unwrap();
    let list = SettlementList::of(&order, &longer).unwrap();
    assert!(
        warranties(&list).iter().all(|w| w.2 == 12),
        "{:?}",
        warranties(&list)
    );
    // A delivery stored before warranties were stated: the policy's months.
    let old: Vec<E> = log
        .into_iter()
        .map(|e| match e {
            E::VehicleDelivered { at, checklist, .. } => E::VehicleDelivered {
                at,
                checklist,
                part_warranties: Vec::new(),
            },
            other => other,
        })
        .collect();
    let order = WorkOrder::replay(no(), &old);
    let list = SettlementList::of(&order, &longer).unwrap();
    assert!(
        warranties(&list)
            .iter()
            .all(|w| w.2 == 24 && w.3 == Some(date("2028-11-24"))),
        "{:?}",
        warranties(&list)
    );
}

#[test]
fn est03_each_part_line_takes_its_own_stated_warranty() {
    use aftersales::{EstimateLine, PartAvailability, PartNo, PartWarranty};
    // Item 1 also fitted a reconditioned part, and the delivery stated
    // other months than today's policy: 18 for OEM, 3 for reconditioned.
    let extra = PartNo::try_new("06L-RECON").unwrap();
    let (_, log) = story_order();
    let log: Vec<E> = log
        .into_iter()
        .map(|e| match e {
            E::ItemProposed { at, mut item } if item.no == ItemNo(1) => {
                item.lines.push(EstimateLine::part(
                    extra.clone(),
                    "reconditioned bracket",
                    "1".parse().unwrap(),
                    money("40 CNY"),
                    PartOrigin::Reconditioned,
                    PartAvailability::InStock,
                ));
                E::ItemProposed { at, item }
            }
            other => other,
        })
        .collect();
    let order = WorkOrder::replay(no(), &log);
    let delivered = order.delivery().unwrap().at.date_naive();
    let stated: Vec<PartWarranty> = order
        .items()
        .iter()
        .filter(|i| i.status.is_authorized())
        .flat_map(|i| i.lines.iter().map(move |l| (i.no, l)))
        .filter_map(|(no, l)| match &l.kind {
            LineKind::Part {
                part_no,
                description,
                origin,
                ..
            } => Some(PartWarranty::new(
                no,
                part_no.clone(),
                description.clone(),
                *origin,
                if *origin == PartOrigin::Oem { 18 } else { 3 },
                Some(delivered),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(stated.len(), 4);
    let log: Vec<E> = log
        .into_iter()
        .map(|e| match e {
            E::VehicleDelivered { at, checklist, .. } => E::VehicleDelivered {
                at,
                checklist,
                part_warranties: stated.clone(),
            },
            other => other,
        })
        .collect();
    let order = WorkOrder::replay(no(), &log);
    let list = SettlementList::of(&order, &policy()).unwrap();
    let lines: Vec<_> = list
        .materials
        .iter()
        .filter_map(|m| match &m.kind {
            MaterialKind::Part {
                part_no,
                origin,
                warranty: Some(w),
                ..
            } => Some((m.item, part_no.clone(), *origin, w.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(lines.len(), 4);
    for (item, part_no, origin, w) in &lines {
        assert_eq!((w.item, &w.part_no, w.origin), (*item, part_no, *origin));
        let months = if *origin == PartOrigin::Oem { 18 } else { 3 };
        assert_eq!(w.months, months, "{part_no}");
    }
    assert_eq!(lines[1].1, extra);
    assert_eq!(lines[1].3.until, Some(date("2027-02-24")));
}

#[test]
fn est03_before_delivery_the_list_counts_from_delivery() {
    let (order, _) = order_after(step_index("Delivered at the car"));
    let list = SettlementList::of(&order, &policy()).unwrap();
    assert!(warranties(&list).iter().all(|w| w.2 == 12 && w.3.is_none()));
    assert!(
        list.render()
            .contains("原厂件，保修12个月，自交车之日起 / OEM, 12 months warranty, from delivery"),
        "{}",
        list.render()
    );
}

#[test]
fn reg04_no_list_before_settlement() {
    let (order, _) = order_after(step_index("Invoice reconciled"));
    let err = SettlementList::of(&order, &policy()).unwrap_err();
    assert_eq!(err.rule(), RuleId::Reg04);
    assert!(err.to_string().contains("not settled (REG-04)"), "{err}");
}

#[test]
fn reg04_a_reconditioned_part_without_consent_shows_consent_missing() {
    let (_, log) = story_order();
    let order = WorkOrder::replay(no(), &with_reconditioned_pads(&log));
    let list = SettlementList::of(&order, &policy()).unwrap();
    let missing: Vec<_> = list.consent_missing().collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].item, ItemNo(2));
    assert!(matches!(
        &missing[0].kind,
        MaterialKind::Part {
            origin: PartOrigin::Reconditioned,
            consent: PartConsent::Missing,
            ..
        }
    ));
    assert!(list.gaps.iter().any(|g| g.rule == RuleId::Reg04));
    let text = list.render();
    assert!(text.contains("consent missing (REG-04)"), "{text}");
    assert!(text.contains("[修复 / reconditioned]"), "{text}");
}

#[test]
fn reg04_written_consent_recorded_shows_on_the_list() {
    let policy = policy();
    let (_, log) = story_order();
    let log = with_reconditioned_pads(&log);
    let cut = log
        .iter()
        .position(|e| e.name() == "delivery_prepared")
        .unwrap();
    let mut order = WorkOrder::replay(no(), &log[..cut]);
    let consent = |method, items: Vec<ItemNo>| C::RecordPartsConsent {
        consent: PartsConsent {
            at: t(16, 30),
            by: customer(),
            method,
            recorded_by: advisor(),
            items,
        },
    };
    let phone = order
        .decide(
            &consent(AuthorizationMethod::Phone, vec![ItemNo(2)]),
            &policy,
        )
        .unwrap_err();
    assert_eq!(phone.rule(), Some(RuleId::Reg04), "{phone}");
    let no_part = order
        .decide(
            &consent(AuthorizationMethod::Message, vec![ItemNo(1)]),
            &policy,
        )
        .unwrap_err();
    assert!(
        no_part
            .to_string()
            .contains("no part whose origin needs consent"),
        "{no_part}"
    );
    order
        .execute(
            consent(AuthorizationMethod::Message, vec![ItemNo(2)]),
            &policy,
        )
        .unwrap();
    for event in &log[cut..] {
        order.apply(event);
    }
    let list = SettlementList::of(&order, &policy).unwrap();
    assert_eq!(list.consent_missing().count(), 0);
    let text = list.render();
    assert!(
        text.contains("written consent by 王先生 at 2026-11-24 16:30"),
        "{text}"
    );
}

#[test]
fn reg04_old_parts_the_customer_left_to_the_shop() {
    let (_, log) = story_order();
    let log: Vec<E> = log
        .into_iter()
        .map(|e| match e {
            E::DeliveryPrepared { at, mut checklist } => {
                checklist.old_parts = aftersales::OldParts::CustomerDeclined;
                E::DeliveryPrepared { at, checklist }
            }
            other => other,
        })
        .collect();
    let list = SettlementList::of(&WorkOrder::replay(no(), &log), &policy()).unwrap();
    assert_eq!(list.old_parts, OldPartsDisposition::CustomerAgreedOtherwise);
}

// ---------------------------------------------------------- REG-05, REG-06

#[test]
fn reg05_china_any_overrun_without_fresh_consent_is_not_chargeable() {
    let (_, log) = story_order();
    let order = WorkOrder::replay(no(), &with_invoice_raised(&log, "100.00"));
    let list = SettlementList::of(&order, &policy()).unwrap();
    assert_eq!(list.settled_total, money("4144.27 CNY"));
    assert_eq!(list.overrun.outcome, OverrunOutcome::ConsentNeeded);
    assert_eq!(list.not_chargeable.len(), 1);
    let n = &list.not_chargeable[0];
    assert_eq!(n.amount, money("100.00 CNY"));
    let rules: Vec<RuleId> = n.reasons.iter().map(|r| r.rule).collect();
    assert_eq!(rules[0], RuleId::Reg05);
    assert!(rules.contains(&RuleId::Est06), "{rules:?}");
    assert_eq!(list.chargeable_amount, money("4044.27 CNY"));
    let text = list.render();
    assert!(
        text.contains("不应收取 / Not chargeable: 100.00 CNY"),
        "{text}"
    );

    let china = Policy::default()
        .with_jurisdiction(Jurisdiction::ChinaNational)
        .unwrap();
    let list = SettlementList::of(&order, &china).unwrap();
    assert_eq!(list.not_chargeable[0].amount, money("100.00 CNY"));
    assert!(
        list.not_chargeable[0]
            .reasons
            .iter()
            .any(|r| r.rule == RuleId::Reg06)
    );
}

#[test]
fn reg06_florida_an_overrun_within_the_allowance_is_chargeable_beyond_it_not() {
    let florida = Policy::default()
        .with_jurisdiction(Jurisdiction::Florida)
        .unwrap();
    let (_, log) = story_order();
    let log = in_dollars(&log);
    // The greater of $10 and 10 % of $4044.27, at most $50: $50.
    let within = WorkOrder::replay(no(), &with_invoice_raised(&log, "50.00"));
    let list = SettlementList::of(&within, &florida).unwrap();
    assert_eq!(list.overrun.allowance, money("50 USD"));
    assert_eq!(list.overrun.outcome, OverrunOutcome::Within);
    assert!(list.not_chargeable.is_empty());
    assert_eq!(list.chargeable_amount, money("4094.27 USD"));

    let beyond = WorkOrder::replay(no(), &with_invoice_raised(&log, "50.01"));
    let list = SettlementList::of(&beyond, &florida).unwrap();
    assert_eq!(list.overrun.outcome, OverrunOutcome::ConsentNeeded);
    assert_eq!(list.not_chargeable.len(), 1);
    assert_eq!(list.not_chargeable[0].amount, money("0.01 USD"));
    assert_eq!(list.chargeable_amount, money("4094.27 USD"));
    let rules: Vec<RuleId> = list.not_chargeable[0]
        .reasons
        .iter()
        .map(|r| r.rule)
        .collect();
    assert!(rules.contains(&RuleId::Reg05), "{rules:?}");
    assert!(rules.contains(&RuleId::Est06), "{rules:?}");
    assert!(rules.contains(&RuleId::Reg06), "{rules:?}");
}

#[test]
fn reg05_a_fresh_consent_recorded_before_settlement_makes_the_overrun_chargeable() {
    let (_, log) = story_order();
    let raised = with_invoice_raised(&log, "100.00");
    let settle = raised
        .iter()
        .position(|e| e.name() == "order_settled")
        .unwrap();
    let mut log = raised.clone();
    log.insert(
        settle,
        E::OverrunConsented {
            consent: OverrunConsent {
                at: t(17, 10),
                by: customer(),
                method: AuthorizationMethod::Message,
                recorded_by: advisor(),
                new_total: money("4144.27 CNY"),
            },
        },
    );
    let list = SettlementList::of(&WorkOrder::replay(no(), &log), &policy()).unwrap();
    assert!(list.not_chargeable.is_empty());
    assert_eq!(list.chargeable_amount, money("4144.27 CNY"));
    assert!(list.overrun_consent.is_some());
}

fn over_invoice() -> Invoice {
    // The story's invoice with 100.00 more parts: net 3679.00, VAT 478.27.
    Invoice {
        labour_hours: "4.5".parse().unwrap(),
        labour: money("1620.00 CNY"),
        parts: money("1708.00 CNY"),
        materials: money("351.00 CNY"),
        sublet: money("0.00 CNY"),
        discounts: money("0.00 CNY"),
        tax: money("478.27 CNY"),
        total: money("4157.27 CNY"),
    }
}

#[test]
fn reg05_the_settlement_guard_takes_a_recorded_consent_to_the_overrun() {
    let policy = policy();
    let (mut order, _) = order_after(step_index("Invoice reconciled"));
    let settle = C::Settle(Settle {
        at: t(17, 20),
        invoice: over_invoice(),
        payment: PaymentChoice::AsAgreed,
    });
    let err = order.decide(&settle, &policy).unwrap_err();
    assert_eq!(err.rule(), Some(RuleId::Est06), "{err}");

    let consent = |total: &str| C::ConsentToOverrun {
        consent: OverrunConsent {
            at: t(17, 10),
            by: customer(),
            method: AuthorizationMethod::Phone,
            recorded_by: advisor(),
            new_total: money(total),
        },
    };
    let nothing = order.decide(&consent("4044.27 CNY"), &policy).unwrap_err();
    assert!(
        nothing.to_string().contains("no overrun to consent to"),
        "{nothing}"
    );
    // Consent to less than the invoice does not cover it.
    let mut short = order.clone();
    short.execute(consent("4100.00 CNY"), &policy).unwrap();
    assert_eq!(
        short.decide(&settle, &policy).unwrap_err().rule(),
        Some(RuleId::Est06)
    );

    order.execute(consent("4157.27 CNY"), &policy).unwrap();
    order.execute(settle, &policy).unwrap();
    assert_eq!(order.settlement().unwrap().overrun, money("113.00 CNY"));
    let list = SettlementList::of(&order, &policy).unwrap();
    assert!(list.not_chargeable.is_empty());
    assert_eq!(list.chargeable_amount, money("4157.27 CNY"));

    let late = C::ConsentToOverrun {
        consent: OverrunConsent {
            at: t(17, 25),
            by: customer(),
            method: AuthorizationMethod::Phone,
            recorded_by: advisor(),
            new_total: money("4200.00 CNY"),
        },
    };
    let late = order.decide(&late, &policy).unwrap_err();
    assert_eq!(late.rule(), Some(RuleId::Reg05), "{late}");
}

// ------------------------------------------------------- serde, recheck

#[test]
fn the_settlement_list_and_the_new_events_round_trip_through_json() {
    let (order, log) = story_order();
    let list = SettlementList::of(&order, &policy()).unwrap();
    let json = serde_json::to_string(&list).unwrap();
    assert_eq!(serde_json::from_str::<SettlementList>(&json).unwrap(), list);

    let (order, log2, _) = run(
        &policy(),
        &[
            ("Washed", classify(RepairCategory::WholeVehicle)),
            ("Delivered at the car", certificate()),
        ],
    );
    assert!(log2.len() == log.len() + 2);
    let json = serde_json::to_string(&log2).unwrap();
    assert!(json.contains(r#""event":"repair_classified""#), "{json}");
    assert!(json.contains(r#""scope":"whole_vehicle""#), "{json}");
    let back: Vec<E> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log2);
    // The events are what is stored: they replay to the live order.
    let replayed = WorkOrder::replay(no(), &back);
    assert_eq!(replayed, order);
    let shown = serde_json::to_value(&order).unwrap();
    assert_eq!(shown["certificate_scope"], "whole_vehicle");
}

/// A log with every new event, each accepted by the guards.
fn log_with_every_new_event() -> Vec<E> {
    let policy = policy();
    let (_, log) = story_order();
    let log = with_reconditioned_pads(&log);
    let prepared = log
        .iter()
        .position(|e| e.name() == "delivery_prepared")
        .unwrap();
    let mut order = WorkOrder::replay(no(), &log[..prepared]);
    let mut out = log[..prepared].to_vec();
    for command in [
        classify(RepairCategory::SecondLevelMaintenance),
        C::RecordPartsConsent {
            consent: PartsConsent {
                at: t(16, 31),
                by: customer(),
                method: AuthorizationMethod::Signature,
                recorded_by: advisor(),
                items: vec![ItemNo(2)],
            },
        },
    ] {
        out.extend(order.execute(command, &policy).unwrap());
    }
    // Pre-delivery, then a consent to an overrun, the settlement, the
    // certificate and the delivery.
    let settled = log
        .iter()
        .position(|e| e.name() == "order_settled")
        .unwrap();
    for event in &log[prepared..settled] {
        out.push(event.clone());
        order.apply(event);
    }
    out.extend(
        order
            .execute(
                C::ConsentToOverrun {
                    consent: OverrunConsent {
                        at: t(17, 10),
                        by: customer(),
                        method: AuthorizationMethod::Phone,
                        recorded_by: advisor(),
                        new_total: money("4157.27 CNY"),
                    },
                },
                &policy,
            )
            .unwrap(),
    );
    out.extend(
        order
            .execute(
                C::Settle(Settle {
                    at: t(17, 20),
                    invoice: over_invoice(),
                    payment: PaymentChoice::AsAgreed,
                }),
                &policy,
            )
            .unwrap(),
    );
    out.extend(order.execute(certificate(), &policy).unwrap());
    let deliver = steps().pop().unwrap().command;
    out.extend(order.execute(deliver, &policy).unwrap());
    out
}

#[test]
fn recheck_takes_every_new_event_back_to_its_command() {
    let policy = policy();
    let log = log_with_every_new_event();
    assert_eq!(recheck(&no(), &log, &policy), vec![]);
    let new = [
        "repair_classified",
        "parts_consent_recorded",
        "overrun_consented",
        "completion_certificate_recorded",
    ];
    for name in new {
        let i = log.iter().position(|e| e.name() == name).unwrap();
        let command = log[i].to_command().unwrap();
        assert_eq!(command.at(), log[i].at(), "{name}");
        let before = WorkOrder::replay(no(), &log[..i]);
        assert_eq!(
            before.decide(&command, &policy).unwrap(),
            vec![log[i].clone()],
            "{name}"
        );
    }
    let list = SettlementList::of(&WorkOrder::replay(no(), &log), &policy).unwrap();
    assert_eq!(list.consent_missing().count(), 0);
    assert!(list.not_chargeable.is_empty());
    assert!(list.gaps.is_empty(), "{:?}", list.gaps);
}

#[test]
fn recheck_finds_a_delivery_without_the_certificate() {
    let log: Vec<E> = log_with_every_new_event()
        .into_iter()
        .filter(|e| e.name() != "completion_certificate_recorded")
        .collect();
    let breaches = recheck(&no(), &log, &policy());
    assert_eq!(breaches.len(), 1, "{breaches:?}");
    assert_eq!(breaches[0].event, "vehicle_delivered");
    assert_eq!(breaches[0].rule, Some(RuleId::Reg03));
    let list = SettlementList::of(&WorkOrder::replay(no(), &log), &policy()).unwrap();
    assert!(list.gaps.iter().any(|g| g.rule == RuleId::Reg03));
}
