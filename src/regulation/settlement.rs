//! Repair records the law asks for at the end of a repair: the completion
//! certificate (REG-03), the settlement list (REG-04) and consent for added
//! work and overruns (REG-05, REG-06).
//!
//! The work order records the facts with its own commands:
//! [`WorkOrderCommand::ClassifyRepair`](crate::WorkOrderCommand::ClassifyRepair)
//! states the order's [`RepairCategory`],
//! [`WorkOrderCommand::RecordCompletionCertificate`](crate::WorkOrderCommand::RecordCompletionCertificate)
//! the inspector's [`CompletionCertificate`],
//! [`WorkOrderCommand::RecordPartsConsent`](crate::WorkOrderCommand::RecordPartsConsent)
//! the customer's written [`PartsConsent`] to used or reconditioned parts and
//! [`WorkOrderCommand::ConsentToOverrun`](crate::WorkOrderCommand::ConsentToOverrun)
//! a fresh [`OverrunConsent`] to a settlement above the authorized amount.
//! The delivery guard refuses an order whose scope needs a certificate and
//! has none (REG-03).
//!
//! [`SettlementList::of`] turns a settled order into the settlement list
//! (结算清单): labour and materials apart, each part with its origin, its
//! parts warranty by that origin (EST-03) and whether the consent it needs
//! is recorded, the totals of the order, what
//! happens to the replaced parts, and how much of the settlement may be
//! charged.
//!
//! ```
//! use aftersales::{RepairCategory, Policy};
//!
//! let policy = Policy::default();
//! let records = &policy.regulation().repair_records;
//! assert!(records.certificate_required(RepairCategory::SecondLevelMaintenance));
//! assert!(!records.certificate_required(RepairCategory::Minor));
//! ```

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::ids::{PartNo, PersonName, Plate, StaffId, Vin, WorkOrderNo};
use crate::jurisdiction::{OverrunDecision, OverrunOutcome};
use crate::money::{Money, MoneyError};
use crate::policy::{Policy, PolicyError, invalid};
use crate::regulation::RepairCategory;
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, TimeRangeError, own_local_date};
use crate::units::{Hours, Quantity};
use crate::work_order::{
    AuthorizationMethod, ItemNo, LineKind, OldParts, PartOrigin, PartWarranty, Stage, Totals,
    WorkOrder,
};

impl RepairCategory {
    /// The scopes for which the law requires a completion certificate
    /// (道路运输条例 Arts. 44, 72).
    pub const NEEDS_CERTIFICATE: [RepairCategory; 3] = [
        RepairCategory::SecondLevelMaintenance,
        RepairCategory::Assembly,
        RepairCategory::WholeVehicle,
    ];
}

/// The inspector's completion certificate (竣工出厂合格证, REG-03).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompletionCertificate {
    /// When it was signed.
    pub at: DateTime<FixedOffset>,
    /// The certificate's number; must not be empty.
    pub number: String,
    /// The inspector who signed it.
    pub inspector: StaffId,
}

/// The customer's written consent to the non-OEM parts of some items
/// (REG-04): used, reconditioned or, if the policy says so, aftermarket
/// parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartsConsent {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who consented.
    pub by: PersonName,
    /// How; written only (a signature, a digital signature or a message),
    /// never a phone call.
    pub method: AuthorizationMethod,
    /// The advisor recording it.
    pub recorded_by: StaffId,
    /// The items whose parts it covers; at least one.
    pub items: Vec<ItemNo>,
}

/// The customer's fresh consent to a settlement above the authorized
/// amount (REG-05, REG-06, EST-06).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OverrunConsent {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who consented.
    pub by: PersonName,
    /// How.
    pub method: AuthorizationMethod,
    /// The advisor recording it.
    pub recorded_by: StaffId,
    /// The new total the customer agrees to, with tax; above the
    /// authorized amount.
    pub new_total: Money,
}

/// The policy of REG-03 and REG-04: which work needs a completion
/// certificate and which parts need the customer's written consent.
///
/// A policy may ask for more than the law, never less: the statutory
/// scopes ([`RepairCategory::NEEDS_CERTIFICATE`]) and reconditioned parts must
/// stay on the lists.
///
/// ```
/// use aftersales::{RepairCategory, PartOrigin, RepairRecordsPolicy};
///
/// let strict = RepairRecordsPolicy {
///     certificate_required_for: RepairCategory::ALL.to_vec(),
///     consent_required_for: vec![PartOrigin::Reconditioned, PartOrigin::OtherAftermarket],
/// };
/// assert!(strict.validate().is_ok());
/// let lax = RepairRecordsPolicy { certificate_required_for: vec![], ..strict };
/// assert!(lax.validate().unwrap_err().to_string().contains("REG-03"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepairRecordsPolicy {
    /// REG-03: the scopes whose delivery needs a completion certificate
    /// (level-2 maintenance, assembly and whole-vehicle repair).
    pub certificate_required_for: Vec<RepairCategory>,
    /// REG-04: the part origins that need the customer's written consent
    /// (reconditioned).
    pub consent_required_for: Vec<PartOrigin>,
}

impl Default for RepairRecordsPolicy {
    fn default() -> Self {
        RepairRecordsPolicy {
            certificate_required_for: RepairCategory::NEEDS_CERTIFICATE.to_vec(),
            consent_required_for: vec![PartOrigin::Reconditioned],
        }
    }
}

impl RepairRecordsPolicy {
    /// Checks the section: the law's scopes and reconditioned parts are on
    /// the lists, nothing is listed twice.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] naming the field and REG-03 or REG-04.
    pub fn validate(&self) -> Result<(), PolicyError> {
        const SCOPES: &str = "regulation.repair_records.certificate_required_for";
        const ORIGINS: &str = "regulation.repair_records.consent_required_for";
        for scope in RepairCategory::NEEDS_CERTIFICATE {
            if !self.certificate_required_for.contains(&scope) {
                return Err(invalid(
                    SCOPES,
                    RuleId::Reg03,
                    format!(
                        "must include {scope}: the law requires a completion certificate for it"
                    ),
                ));
            }
        }
        for (i, scope) in self.certificate_required_for.iter().enumerate() {
            if self
                .certificate_required_for
                .iter()
                .skip(i.saturating_add(1))
                .any(|s| s == scope)
            {
                return Err(invalid(
                    SCOPES,
                    RuleId::Reg03,
                    format!("lists {scope} twice"),
                ));
            }
        }
        if !self
            .consent_required_for
            .contains(&PartOrigin::Reconditioned)
        {
            return Err(invalid(
                ORIGINS,
                RuleId::Reg04,
                "must include reconditioned parts: the law requires the customer's written consent",
            ));
        }
        for (i, origin) in self.consent_required_for.iter().enumerate() {
            if self
                .consent_required_for
                .iter()
                .skip(i.saturating_add(1))
                .any(|o| o == origin)
            {
                return Err(invalid(
                    ORIGINS,
                    RuleId::Reg04,
                    format!("lists {} twice", origin_en(*origin)),
                ));
            }
        }
        Ok(())
    }

    /// Whether an order of `scope` needs a completion certificate before
    /// delivery (REG-03).
    pub fn certificate_required(&self, scope: RepairCategory) -> bool {
        self.certificate_required_for.contains(&scope)
    }

    /// Whether a part of `origin` needs the customer's written consent
    /// (REG-04).
    pub fn consent_required(&self, origin: PartOrigin) -> bool {
        self.consent_required_for.contains(&origin)
    }
}

/// English label of a part origin, as printed on a settlement list.
pub(crate) const fn origin_en(origin: PartOrigin) -> &'static str {
    origin.label_en()
}

/// Whether a part's consent is on record (REG-04).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum PartConsent {
    /// The policy needs no consent for this origin.
    NotNeeded,
    /// Written consent is recorded.
    Recorded {
        /// When.
        at: DateTime<FixedOffset>,
        /// Who consented.
        by: PersonName,
    },
    /// Consent is needed and not recorded.
    Missing,
}

impl PartConsent {
    /// Whether consent is needed and missing.
    pub fn is_missing(&self) -> bool {
        matches!(self, PartConsent::Missing)
    }

    fn label(&self) -> String {
        match self {
            PartConsent::NotNeeded => "无需同意 / no consent needed".to_owned(),
            PartConsent::Recorded { at, by } => format!(
                "客户书面同意 / written consent by {by} at {}",
                at.format("%Y-%m-%d %H:%M")
            ),
            PartConsent::Missing => "缺少客户书面同意 / consent missing (REG-04)".to_owned(),
        }
    }
}

/// A labour line of the settlement list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LabourLine {
    /// The item it belongs to.
    pub item: ItemNo,
    /// The operation.
    pub operation: String,
    /// Standard hours.
    pub hours: Hours,
    /// Price per hour.
    pub hourly_rate: Money,
    /// Hours × rate, rounded (EST-01).
    pub amount: Money,
    /// The line's discount, rounded, if any.
    pub discount: Option<Money>,
}

/// What a material line is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum MaterialKind {
    /// A part, with its origin (REG-04, EST-03).
    Part {
        /// Part number.
        part_no: PartNo,
        /// Origin.
        origin: PartOrigin,
        /// Whether the consent its origin needs is recorded.
        consent: PartConsent,
        /// Its parts warranty by origin (EST-03); `None` only in a list
        /// stored before warranties were stated.
        #[serde(default)]
        warranty: Option<PartWarranty>,
    },
    /// Materials and consumables.
    Material,
    /// Work given out to another shop.
    Sublet {
        /// The shop.
        vendor: String,
    },
}

/// A part, material or sublet line of the settlement list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaterialLine {
    /// The item it belongs to.
    pub item: ItemNo,
    /// What it is.
    pub kind: MaterialKind,
    /// Description.
    pub description: String,
    /// Quantity; `None` for sublet work.
    pub quantity: Option<Quantity>,
    /// Price per unit; `None` for sublet work.
    pub unit_price: Option<Money>,
    /// Quantity × price (or the sublet amount), rounded (EST-01).
    pub amount: Money,
    /// The line's discount, rounded, if any.
    pub discount: Option<Money>,
}

words! {
    /// What happens to the replaced parts (REG-04, WO-19).
    OldPartsDisposition {
        /// No part was replaced.
        NoneReplaced => "no part replaced", "无更换旧件";
        /// Returned to the customer.
        ReturnedToCustomer => "returned to the customer", "旧件交还客户";
        /// The customer agreed the shop keeps them.
        CustomerAgreedOtherwise => "kept by the shop as the customer agreed", "经客户同意由维修方处理";
        /// Not recorded: they go back to the customer (REG-04).
        NotRecorded => "not recorded: to be returned to the customer", "未记录：应交还客户";
    }
}

/// An amount of the settlement that may not be charged, with why.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NotChargeable {
    /// The amount, with tax.
    pub amount: Money,
    /// Why, rule by rule: REG-05, then EST-06 and REG-06.
    pub reasons: Vec<Reason>,
}

/// Why a settlement list cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettlementListError {
    /// The order is neither settled nor delivered.
    #[error("work order `{order}` has no settlement list: it is {stage}, not settled (REG-04)")]
    NotSettled {
        /// The order.
        order: WorkOrderNo,
        /// Its stage.
        stage: Stage,
    },
    /// A money computation failed.
    #[error("work order `{order}` has no settlement list: {source}")]
    Money {
        /// The order.
        order: WorkOrderNo,
        /// The money error.
        source: MoneyError,
    },
    /// The settlement or delivery time lies outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE): possible only for
    /// an order replayed from stored events that no command accepted.
    #[error("work order `{order}` has no settlement list: {source}")]
    TimeRange {
        /// The order.
        order: WorkOrderNo,
        /// The time refused, naming its field (`settlement.at`,
        /// `delivery.at`).
        source: TimeRangeError,
    },
}

impl SettlementListError {
    /// The rule: REG-04 (also for a time outside the supported range), or
    /// EST-01 for a money error.
    pub fn rule(&self) -> RuleId {
        match self {
            SettlementListError::NotSettled { .. } | SettlementListError::TimeRange { .. } => {
                RuleId::Reg04
            }
            SettlementListError::Money { .. } => RuleId::Est01,
        }
    }
}

/// The settlement list (结算清单) of a settled order (REG-04), with what
/// may be charged (REG-05, REG-06).
///
/// The lines are those of the authorized items, the ones the settlement
/// reconciled with (WO-20); the totals are the order's own
/// ([`WorkOrder::totals`]), not a second computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettlementList {
    /// The order.
    pub order: WorkOrderNo,
    /// The customer's name, from reception.
    pub customer: Option<PersonName>,
    /// The VIN, from reception.
    pub vin: Option<Vin>,
    /// The plate, from reception.
    pub plate: Option<Plate>,
    /// The order's scope, if classified (REG-03).
    pub scope: Option<RepairCategory>,
    /// The completion certificate, if recorded (REG-03).
    pub certificate: Option<CompletionCertificate>,
    /// When it was settled.
    pub settled_at: DateTime<FixedOffset>,
    /// When the vehicle was delivered, if yet.
    pub delivered_at: Option<DateTime<FixedOffset>>,
    /// Labour lines.
    pub labour: Vec<LabourLine>,
    /// Part, material and sublet lines.
    pub materials: Vec<MaterialLine>,
    /// Totals of the authorized items: subtotals, tax and total.
    pub totals: Totals,
    /// The invoice total settled.
    pub settled_total: Money,
    /// The overrun decision on the settled total against the authorized
    /// total, under the policy's jurisdiction (EST-06, REG-06).
    pub overrun: OverrunDecision,
    /// A fresh consent to the overrun, if recorded.
    pub overrun_consent: Option<OverrunConsent>,
    /// What may be charged: the settled total minus what may not.
    pub chargeable_amount: Money,
    /// What may not be charged, with why (REG-05, REG-06, EST-06).
    pub not_chargeable: Vec<NotChargeable>,
    /// What happens to the replaced parts.
    pub old_parts: OldPartsDisposition,
    /// Gaps the list shows: consent missing, certificate missing, old parts
    /// not recorded.
    pub gaps: Vec<Reason>,
}

impl SettlementList {
    /// The settlement list of `order` under `policy`.
    ///
    /// ```
    /// use aftersales::{Policy, SettlementList, WorkOrder, WorkOrderNo};
    ///
    /// let order = WorkOrder::new(WorkOrderNo::try_new("WO-17")?);
    /// let err = SettlementList::of(&order, &Policy::default()).unwrap_err();
    /// assert_eq!(err.rule(), aftersales::RuleId::Reg04);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`SettlementListError::NotSettled`] when the order has no
    /// settlement; [`SettlementListError::TimeRange`] when its settlement
    /// or delivery time lies outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE);
    /// [`SettlementListError::Money`] on overflow or an amount in another
    /// currency than the policy's.
    pub fn of(order: &WorkOrder, policy: &Policy) -> Result<SettlementList, SettlementListError> {
        let money = |source| SettlementListError::Money {
            order: order.no().clone(),
            source,
        };
        let Some(settlement) = order.settlement() else {
            return Err(SettlementListError::NotSettled {
                order: order.no().clone(),
                stage: order.stage(),
            });
        };
        let time = |source| SettlementListError::TimeRange {
            order: order.no().clone(),
            source,
        };
        SUPPORTED_RANGE
            .check("settlement.at", settlement.at)
            .map_err(time)?;
        SUPPORTED_RANGE
            .check_opt("delivery.at", order.delivery().map(|d| d.at))
            .map_err(time)?;
        let est = policy.estimate();
        let records = &policy.regulation().repair_records;
        let scale = est.rounding_scale;
        let totals = order.totals(est).map_err(money)?.authorized;
        let warranties = order.part_warranties(policy);
        let mut labour = Vec::new();
        let mut materials = Vec::new();
        let mut gaps = Vec::new();
        let mut parts_replaced = false;
        for item in order.items().iter().filter(|i| i.status.is_authorized()) {
            for line in &item.lines {
                let amount = line.gross_amount(scale).map_err(money)?;
                let discount = line.discount.as_ref().map(|d| d.amount.round(scale));
                match &line.kind {
                    LineKind::Labour {
                        operation,
                        standard_hours,
                        hourly_rate,
                    } => labour.push(LabourLine {
                        item: item.no,
                        operation: operation.clone(),
                        hours: *standard_hours,
                        hourly_rate: *hourly_rate,
                        amount,
                        discount,
                    }),
                    LineKind::Part {
                        part_no,
                        description,
                        quantity,
                        unit_price,
                        origin,
                        ..
                    } => {
                        parts_replaced = true;
                        let consent = if records.consent_required(*origin) {
                            order
                                .parts_consents()
                                .iter()
                                .find(|c| c.items.contains(&item.no))
                                .map_or(PartConsent::Missing, |c| PartConsent::Recorded {
                                    at: c.at,
                                    by: c.by.clone(),
                                })
                        } else {
                            PartConsent::NotNeeded
                        };
                        if consent.is_missing() {
                            gaps.push(Reason::new(
                                RuleId::Reg04,
                                format!(
                                    "item {} part `{part_no}` is {}: the customer's written consent is missing",
                                    item.no,
                                    origin_en(*origin)
                                ),
                            ));
                        }
                        // EST-03: as stated at delivery, or by the policy.
                        let warranty = warranties
                            .iter()
                            .find(|w| {
                                w.item == item.no && &w.part_no == part_no && w.origin == *origin
                            })
                            .cloned()
                            .unwrap_or_else(|| {
                                PartWarranty::new(
                                    item.no,
                                    part_no.clone(),
                                    description.clone(),
                                    *origin,
                                    est.part_warranty_months.for_origin(*origin),
                                    // Checked above: inside the range the local date exists.
                                    order.delivery().and_then(|d| own_local_date(d.at)),
                                )
                            });
                        materials.push(MaterialLine {
                            item: item.no,
                            kind: MaterialKind::Part {
                                part_no: part_no.clone(),
                                origin: *origin,
                                consent,
                                warranty: Some(warranty),
                            },
                            description: description.clone(),
                            quantity: Some(*quantity),
                            unit_price: Some(*unit_price),
                            amount,
                            discount,
                        });
                    }
                    LineKind::Material {
                        description,
                        quantity,
                        unit_price,
                    } => materials.push(MaterialLine {
                        item: item.no,
                        kind: MaterialKind::Material,
                        description: description.clone(),
                        quantity: Some(*quantity),
                        unit_price: Some(*unit_price),
                        amount,
                        discount,
                    }),
                    LineKind::Sublet {
                        description,
                        vendor,
                        ..
                    } => materials.push(MaterialLine {
                        item: item.no,
                        kind: MaterialKind::Sublet {
                            vendor: vendor.clone(),
                        },
                        description: description.clone(),
                        quantity: None,
                        unit_price: None,
                        amount,
                        discount,
                    }),
                }
            }
        }
        let old_parts = if !parts_replaced {
            OldPartsDisposition::NoneReplaced
        } else {
            match order.pre_delivery().map(|p| p.value.old_parts) {
                Some(OldParts::KeptForCustomer) => OldPartsDisposition::ReturnedToCustomer,
                Some(OldParts::CustomerDeclined) => OldPartsDisposition::CustomerAgreedOtherwise,
                Some(OldParts::NotHandled) | None => OldPartsDisposition::NotRecorded,
            }
        };
        if old_parts == OldPartsDisposition::NotRecorded {
            gaps.push(Reason::new(
                RuleId::Reg04,
                "what happens to the replaced parts is not recorded: they go back to the customer",
            ));
        }
        let scope = order.certificate_scope();
        if let Some(scope) = scope {
            if records.certificate_required(scope) && order.completion_certificate().is_none() {
                gaps.push(Reason::new(
                    RuleId::Reg03,
                    format!("{scope} needs a completion certificate; none is recorded"),
                ));
            }
        }
        let settled_total = settlement.invoice.total;
        let overrun = policy
            .overrun_consent(totals.gross, settled_total)
            .map_err(money)?;
        let overrun_consent = order
            .overrun_consents()
            .iter()
            .rfind(|c| c.at <= settlement.at)
            .cloned();
        let mut not_chargeable = Vec::new();
        if overrun.outcome == OverrunOutcome::ConsentNeeded {
            let covered = match &overrun_consent {
                Some(c) => !settled_total.checked_gt(&c.new_total).map_err(money)?,
                None => false,
            };
            if !covered {
                let amount = overrun
                    .overrun
                    .checked_sub(overrun.allowance)
                    .map_err(money)?;
                let mut reasons = vec![Reason::new(
                    RuleId::Reg05,
                    format!(
                        "no fresh consent of the customer covers the settlement `{settled_total}`: work beyond the authorized `{}` and its allowance `{}` need not be paid",
                        totals.gross, overrun.allowance
                    ),
                )];
                reasons.extend(overrun.reasons.iter().cloned());
                not_chargeable.push(NotChargeable { amount, reasons });
            }
        }
        let mut chargeable_amount = settled_total;
        for n in &not_chargeable {
            chargeable_amount = chargeable_amount.checked_sub(n.amount).map_err(money)?;
        }
        let reception = order.reception();
        Ok(SettlementList {
            order: order.no().clone(),
            customer: reception.map(|r| r.customer.name.clone()),
            vin: reception.map(|r| r.vehicle.vin.clone()),
            plate: reception.and_then(|r| r.vehicle.plate.clone()),
            scope,
            certificate: order.completion_certificate().cloned(),
            settled_at: settlement.at,
            delivered_at: order.delivery().map(|d| d.at),
            labour,
            materials,
            totals,
            settled_total,
            overrun,
            overrun_consent,
            chargeable_amount,
            not_chargeable,
            old_parts,
            gaps,
        })
    }

    /// The part lines whose consent is missing (REG-04).
    pub fn consent_missing(&self) -> impl Iterator<Item = &MaterialLine> {
        self.materials.iter().filter(|l| {
            matches!(
                &l.kind,
                MaterialKind::Part { consent, .. } if consent.is_missing()
            )
        })
    }

    /// The list as text, with Chinese and English headings.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a `String` does not fail; the results are ignored.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        let dash = "—".to_owned();
        writeln!(out, "结算清单 / Settlement list — {}", self.order)?;
        writeln!(
            out,
            "客户 / Customer: {}",
            self.customer
                .as_ref()
                .map_or_else(|| dash.clone(), ToString::to_string)
        )?;
        writeln!(
            out,
            "车辆 / Vehicle: {} {}",
            self.plate
                .as_ref()
                .map_or_else(|| dash.clone(), ToString::to_string),
            self.vin
                .as_ref()
                .map_or_else(|| dash.clone(), ToString::to_string)
        )?;
        writeln!(
            out,
            "结算时间 / Settled: {}",
            self.settled_at.format("%Y-%m-%d %H:%M")
        )?;
        writeln!(
            out,
            "修理类别 / Repair scope: {}",
            self.scope.map_or_else(
                || dash.clone(),
                |s| format!("{} / {}", s.label_zh(), s.label_en())
            )
        )?;
        writeln!(
            out,
            "竣工出厂合格证 / Completion certificate: {}",
            self.certificate.as_ref().map_or_else(
                || dash.clone(),
                |c| format!(
                    "No. {}, {} {}",
                    c.number,
                    c.inspector,
                    c.at.format("%Y-%m-%d %H:%M")
                )
            )
        )?;
        writeln!(out)?;
        writeln!(out, "工时 / Labour")?;
        for l in &self.labour {
            writeln!(
                out,
                "  {} {}: {} × {} = {}{}",
                l.item,
                l.operation,
                l.hours,
                l.hourly_rate,
                l.amount,
                discount_text(l.discount)
            )?;
        }
        writeln!(out, "材料 / Materials and parts")?;
        for m in &self.materials {
            let price = match (m.quantity, m.unit_price) {
                (Some(q), Some(p)) => format!("{q} × {p} = "),
                _ => String::new(),
            };
            let what = match &m.kind {
                MaterialKind::Part {
                    part_no, origin, ..
                } => format!(
                    "{part_no} {} [{} / {}]",
                    m.description,
                    origin.label_zh(),
                    origin_en(*origin)
                ),
                MaterialKind::Material => format!("{} [辅料 / material]", m.description),
                MaterialKind::Sublet { vendor } => {
                    format!("{} [外协 / sublet: {vendor}]", m.description)
                }
            };
            writeln!(
                out,
                "  {} {what}: {price}{}{}",
                m.item,
                m.amount,
                discount_text(m.discount)
            )?;
            if let MaterialKind::Part {
                consent, warranty, ..
            } = &m.kind
            {
                writeln!(out, "      {}", consent.label())?;
                if let Some(w) = warranty {
                    writeln!(
                        out,
                        "      保修 / Warranty: {} / {}",
                        w.label_zh(),
                        w.label_en()
                    )?;
                }
            }
        }
        let t = &self.totals;
        writeln!(out)?;
        writeln!(out, "小计 / Subtotals")?;
        writeln!(out, "  工时费 / Labour ({}): {}", t.labour_hours, t.labour)?;
        writeln!(out, "  配件费 / Parts: {}", t.parts)?;
        writeln!(out, "  辅料费 / Materials: {}", t.materials)?;
        writeln!(out, "  外协费 / Sublet: {}", t.sublet)?;
        writeln!(out, "  优惠 / Discounts: {}", t.discounts)?;
        writeln!(out, "  税前合计 / Net: {}", t.net)?;
        writeln!(out, "  税额 / Tax: {}", t.tax)?;
        writeln!(out, "  合计 / Total: {}", t.gross)?;
        writeln!(out, "结算金额 / Settled total: {}", self.settled_total)?;
        writeln!(
            out,
            "超额 / Overrun: {} ({} / {})",
            self.overrun.overrun,
            self.overrun.outcome.label_zh(),
            self.overrun.outcome.label_en()
        )?;
        writeln!(out, "应收金额 / Chargeable: {}", self.chargeable_amount)?;
        for n in &self.not_chargeable {
            writeln!(out, "不应收取 / Not chargeable: {}", n.amount)?;
            for r in &n.reasons {
                writeln!(out, "      {r}")?;
            }
        }
        writeln!(
            out,
            "旧件 / Replaced parts: {} / {}",
            self.old_parts.label_zh(),
            self.old_parts.label_en()
        )?;
        if !self.gaps.is_empty() {
            writeln!(out, "缺项 / Gaps")?;
            for g in &self.gaps {
                writeln!(out, "  {g}")?;
            }
        }
        Ok(())
    }
}

fn discount_text(discount: Option<Money>) -> String {
    discount.map_or_else(String::new, |d| format!(" (优惠 / discount {d})"))
}
