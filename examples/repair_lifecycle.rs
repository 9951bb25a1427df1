//! A full repair, told step by step: reception with a missing document, an
//! estimate with repair options, the customer's signature, dispatch, two
//! add-ons found in one inspection and presented together, one authorized
//! by phone and the other declined, the final check failing once at the
//! road test and passing with all five steps, delivery with the invoice and
//! each part's warranty explained, and the follow-up call coming due. Three
//! commands are refused on the way, each with the rule it would break.
//!
//! Run it with `cargo run --example repair_lifecycle`.
//!
//! The tests include this file as a module: they replay [`steps`] and pin
//! [`transcript`] with a snapshot, so what it prints is what the crate does.

use std::error::Error;
use std::fmt::Write as _;

use aftersales::{
    AnswerAddOns, AuthorizationMethod, AuthorizeOrder, Check, CheckOutcome, Checkpoint, Customer,
    CustomerRequest, DeliveryChecklist, EstimateLine, Invoice, ItemDraft, ItemNo,
    ManufacturerWarranty, Money, NextMaintenance, OldParts, PartAvailability, PartNo, PartOrigin,
    PaymentChoice, PaymentMethod, Pickup, PickupMethod, Policy, PreDeliveryChecklist, Presence,
    PriceRange, Priority, ProblemCategory, ProposeAddOns, ProtectiveCover, QualitySteps,
    ReceiveVehicle, ReceptionDocument, RepairOption, RoadTestStep, RuleId, Safety, Settle, StaffId,
    SymptomCondition, Totals, Vehicle, WalkAround, WorkExplanation, WorkOrder, WorkOrderCommand,
    WorkOrderNo,
};
use chrono::{DateTime, FixedOffset, NaiveDate};

type Res<T> = Result<T, Box<dyn Error>>;

/// What a step is expected to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The command goes through.
    Accepted,
    /// The command is refused for this rule.
    Rejected(RuleId),
}

/// One step of the story.
#[derive(Debug, Clone)]
pub struct Step {
    /// What happens, in words.
    pub title: &'static str,
    /// The command the DMS sends.
    pub command: WorkOrderCommand,
    /// What the crate should answer.
    pub expect: Expect,
}

/// The dealer's policy: the crate's defaults.
pub fn policy() -> Policy {
    Policy::default()
}

/// The order number.
pub fn order_no() -> Res<WorkOrderNo> {
    Ok(WorkOrderNo::try_new("WO-2026-1124-017")?)
}

/// The repair day: Tuesday 24 November 2026.
pub fn repair_day() -> Res<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 11, 24).ok_or_else(|| "date".into())
}

/// A time on the repair day, Beijing time.
pub fn at(hour: u32, minute: u32) -> Res<DateTime<FixedOffset>> {
    at_on(repair_day()?, hour, minute)
}

/// A time on `day`, Beijing time.
pub fn at_on(day: NaiveDate, hour: u32, minute: u32) -> Res<DateTime<FixedOffset>> {
    Ok(DateTime::parse_from_rfc3339(&format!(
        "{day}T{hour:02}:{minute:02}:00+08:00"
    ))?)
}

fn cny(s: &str) -> Res<Money> {
    Ok(format!("{s} CNY").parse()?)
}

fn staff(id: &str) -> Res<StaffId> {
    Ok(StaffId::try_new(id)?)
}

fn part(
    no: &str,
    what: &str,
    qty: &str,
    price: &str,
    availability: PartAvailability,
) -> Res<EstimateLine> {
    Ok(EstimateLine::part(
        PartNo::try_new(no)?,
        what,
        qty.parse()?,
        cny(price)?,
        PartOrigin::Oem,
        availability,
    ))
}

fn labour(what: &str, hours: &str) -> Res<EstimateLine> {
    Ok(EstimateLine::labour(what, hours.parse()?, cny("360")?))
}

/// The items the advisor proposes at reception.
pub fn original_items() -> Res<Vec<ItemDraft>> {
    let maintenance = ItemDraft::new(
        "scheduled maintenance: engine oil and filter",
        ProblemCategory::Maintenance,
        Priority::Functional,
        vec![
            labour("oil and filter change", "0.8")?,
            part(
                "06L115562B",
                "oil filter",
                "1",
                "68",
                PartAvailability::InStock,
            )?,
            EstimateLine::material("engine oil 5W-40, litres", "4.5".parse()?, cny("78")?),
        ],
    );
    let brakes = ItemDraft::new(
        "front brake pads squeal: replace pads",
        ProblemCategory::Mechanical,
        Priority::Safety,
        vec![
            labour("replace front brake pads", "1.2")?,
            // Not yet checked with the parts store: confirmed below (WO-08).
            part(
                "8W0698151AB",
                "front brake pad set",
                "1",
                "680",
                PartAvailability::Unconfirmed,
            )?,
        ],
    );
    let gearbox = ItemDraft::with_options(
        "harsh 2-3 upshift",
        ProblemCategory::Software,
        Priority::Functional,
        vec![
            RepairOption {
                title: "adaptation reset and software update".into(),
                price_range: PriceRange {
                    low: cny("800")?,
                    high: cny("2000")?,
                },
                trade_offs:
                    "cheapest and done today; cures most harsh shifts, not a worn valve body".into(),
                lines: vec![labour("gearbox adaptation and software update", "1.5")?],
            },
            RepairOption {
                title: "replace the valve body".into(),
                price_range: PriceRange {
                    low: cny("4000")?,
                    high: cny("6000")?,
                },
                trade_offs: "cures a worn valve body for good; dearer and takes a day longer"
                    .into(),
                lines: vec![
                    labour("remove and refit valve body", "4.0")?,
                    part(
                        "0DE325025K",
                        "valve body",
                        "1",
                        "3980",
                        PartAvailability::InStock,
                    )?,
                ],
            },
        ],
    );
    Ok(vec![maintenance, brakes, gearbox])
}

/// The two add-ons the technician finds in one inspection.
pub fn add_on_items() -> Res<Vec<ItemDraft>> {
    Ok(vec![
        ItemDraft::new(
            "rear brake discs below minimum thickness",
            ProblemCategory::Mechanical,
            Priority::Safety,
            vec![
                labour("replace rear brake discs", "1.0")?,
                part(
                    "8W0615601C",
                    "rear brake disc pair",
                    "1",
                    "860",
                    PartAvailability::InStock,
                )?,
            ],
        ),
        ItemDraft::new(
            "wiper blades cracked",
            ProblemCategory::InteriorComfort,
            Priority::Comfort,
            vec![part(
                "8W1998002",
                "wiper blade set",
                "1",
                "120",
                PartAvailability::InStock,
            )?],
        ),
    ])
}

/// The gross amount of some lines under the policy: what the customer is
/// told.
pub fn gross<'a>(lines: impl IntoIterator<Item = &'a EstimateLine>) -> Res<Money> {
    Ok(Totals::of(lines, policy().estimate())?.gross)
}

/// The whole story, as commands.
pub fn steps() -> Res<Vec<Step>> {
    steps_on(repair_day()?, "SA-07 李娜")
}

/// The same story on another `day` with another service advisor, as the
/// compliance-audit example generates a month of repairs.
pub fn steps_on(day: NaiveDate, advisor: &str) -> Res<Vec<Step>> {
    let at = |hour, minute| at_on(day, hour, minute);
    let sa = staff(advisor)?;
    let tech = staff("T-12 张师傅")?;
    let qc = staff("QC-03 赵工")?;
    let customer = aftersales::PersonName::try_new("王先生")?;
    let items = original_items()?;
    let add_ons = add_on_items()?;
    let (maintenance, brakes, gearbox) = match items.as_slice() {
        [m, b, g] => (m, b, g),
        _ => return Err("three items expected".into()),
    };
    let chosen = gearbox.options.first().ok_or("gearbox options")?;
    let signed_total = gross(
        maintenance
            .lines
            .iter()
            .chain(&brakes.lines)
            .chain(&chosen.lines),
    )?;
    let rear_discs = add_ons.first().ok_or("add-ons")?;
    let add_on_total = gross(&rear_discs.lines)?;
    let all_done: Vec<&EstimateLine> = maintenance
        .lines
        .iter()
        .chain(&brakes.lines)
        .chain(&chosen.lines)
        .chain(&rear_discs.lines)
        .collect();
    let invoice_totals = Totals::of(all_done, policy().estimate())?;
    let accept = |title, command| Step {
        title,
        command,
        expect: Expect::Accepted,
    };
    use WorkOrderCommand as C;
    Ok(vec![
        accept(
            "Appointment booked by phone the day before, with advisor 李娜",
            C::BookAppointment {
                at: at_on(day.pred_opt().ok_or("date")?, 15, 0)?,
                slot: at(9, 0)?,
                advisor: sa.clone(),
                agreements: vec!["front brake pads reserved".into()],
            },
        ),
        accept(
            "Reception: walk-around with the customer; the wheel-lock key is not in the car",
            C::ReceiveVehicle(ReceiveVehicle {
                at: at(9, 5)?,
                advisor: sa.clone(),
                customer: Customer {
                    id: Some("C-88021".parse()?),
                    name: customer.clone(),
                    phone: Some("138 0013 8000".parse()?),
                },
                vehicle: Vehicle {
                    vin: "LFV3A28W8L3123456".parse()?,
                    plate: Some("京A·12345".parse()?),
                    model: "Audi A4L 40 TFSI".into(),
                    mileage: aftersales::Km(48_200),
                    warranty: ManufacturerWarranty::Expired,
                },
                requests: vec![
                    CustomerRequest {
                        description: "scheduled maintenance".into(),
                        condition: SymptomCondition::NotAFault,
                    },
                    CustomerRequest {
                        description: "front brakes squeal when braking gently".into(),
                        condition: SymptomCondition::WhileDriving,
                    },
                    CustomerRequest {
                        description: "jerk when shifting from 2nd to 3rd".into(),
                        condition: SymptomCondition::WhileDriving,
                    },
                ],
                walk_around: WalkAround {
                    presence: Presence::CustomerPresent,
                    findings: vec!["scratch on the rear bumper".into()],
                },
                documents_present: vec![
                    ReceptionDocument::RadioCode,
                    ReceptionDocument::ServiceRecordBook,
                    ReceptionDocument::DrivingLicence,
                    ReceptionDocument::VehicleDocuments,
                ],
                covers_fitted: ProtectiveCover::ALL.to_vec(),
                comeback_of: None,
            }),
        ),
        accept(
            "Road test with the customer: both driving faults reproduced",
            C::RecordRoadTest {
                at: at(9, 15)?,
                presence: Presence::CustomerPresent,
                findings: "squeal front left under light braking; harsh 2-3 upshift when cold"
                    .into(),
            },
        ),
        accept(
            "The customer signs the diagnosis sheet",
            C::SignDiagnosisSheet { at: at(9, 30)? },
        ),
        accept(
            "Item 1: maintenance",
            C::ProposeItem {
                at: at(9, 35)?,
                item: maintenance.clone(),
            },
        ),
        accept(
            "Item 2: front brake pads",
            C::ProposeItem {
                at: at(9, 36)?,
                item: brakes.clone(),
            },
        ),
        accept(
            "Item 3: gearbox, two options with price ranges and trade-offs",
            C::ProposeItem {
                at: at(9, 37)?,
                item: gearbox.clone(),
            },
        ),
        accept(
            "Bay 3 confirmed, free from 10:00",
            C::ConfirmWorkshopBay {
                at: at(9, 40)?,
                bay: "Bay 3".into(),
                available_from: at(10, 0)?,
            },
        ),
        accept(
            "Parts store confirms the brake pads are in stock",
            C::ConfirmPartAvailability {
                at: at(9, 41)?,
                item: ItemNo(2),
                option: None,
                line: 1,
                availability: PartAvailability::InStock,
            },
        ),
        Step {
            title: "The workshop asks to dispatch before the customer signed",
            command: C::Dispatch {
                at: at(9, 42)?,
                technician: tech.clone(),
                team: None,
            },
            expect: Expect::Rejected(RuleId::Wo10),
        },
        accept(
            "Estimate presented: cost and promised delivery at 17:30",
            C::PresentEstimate {
                at: at(9, 45)?,
                promised_delivery: at(17, 30)?,
            },
        ),
        accept(
            "The customer chooses the cheaper gearbox option and signs",
            C::AuthorizeOrder(AuthorizeOrder {
                at: at(9, 55)?,
                signer: customer.clone(),
                method: AuthorizationMethod::Signature,
                recorded_by: sa.clone(),
                authorized: vec![ItemNo(1), ItemNo(2), ItemNo(3)],
                declined: vec![],
                deferred: vec![],
                choices: vec![(ItemNo(3), 0)],
                estimated_total: signed_total,
                price_limit: cny("1500")?,
                pickup: Pickup {
                    method: PickupMethod::CustomerCollects,
                    at: at(17, 30)?,
                },
                payment: PaymentMethod::Electronic,
                contact_phone: None,
            }),
        ),
        accept(
            "Dispatched to 张师傅, repair team 1",
            C::Dispatch {
                at: at(10, 0)?,
                technician: tech.clone(),
                team: Some("repair-1".parse()?),
            },
        ),
        accept(
            "Work starts on item 1",
            C::StartItem {
                at: at(10, 5)?,
                item: ItemNo(1),
                technician: tech.clone(),
            },
        ),
        accept(
            "Work starts on item 2",
            C::StartItem {
                at: at(10, 6)?,
                item: ItemNo(2),
                technician: tech.clone(),
            },
        ),
        accept(
            "Work starts on item 3",
            C::StartItem {
                at: at(10, 7)?,
                item: ItemNo(3),
                technician: tech.clone(),
            },
        ),
        accept(
            "First progress check, half an hour in",
            C::RecordProgressCheck {
                at: at(10, 35)?,
                checkpoint: Checkpoint::AfterStart,
            },
        ),
        accept(
            "On the lift: rear discs worn out and cracked wipers, presented together",
            C::ProposeAddOns(ProposeAddOns {
                at: at(11, 10)?,
                found_by: tech.clone(),
                found_at: at(11, 5)?,
                items: add_ons.clone(),
            }),
        ),
        Step {
            title: "The technician wants to start the rear discs before the customer answered",
            command: C::StartItem {
                at: at(11, 12)?,
                item: ItemNo(4),
                technician: tech.clone(),
            },
            expect: Expect::Rejected(RuleId::Wo11),
        },
        accept(
            "By phone the customer authorizes the discs and declines the wipers",
            C::AnswerAddOns(AnswerAddOns {
                at: at(11, 20)?,
                batch: 1,
                by: customer.clone(),
                method: AuthorizationMethod::Phone,
                recorded_by: sa.clone(),
                authorized: vec![ItemNo(4)],
                declined: vec![ItemNo(5)],
                deferred: vec![],
                choices: vec![],
                amount: add_on_total,
            }),
        ),
        accept(
            "Work starts on item 4",
            C::StartItem {
                at: at(11, 25)?,
                item: ItemNo(4),
                technician: tech.clone(),
            },
        ),
        accept(
            "Item 1 done and signed",
            C::CompleteItem {
                at: at(12, 30)?,
                item: ItemNo(1),
                technician: tech.clone(),
            },
        ),
        accept(
            "Item 3 done and signed",
            C::CompleteItem {
                at: at(13, 0)?,
                item: ItemNo(3),
                technician: tech.clone(),
            },
        ),
        accept(
            "Midway progress check",
            C::RecordProgressCheck {
                at: at(13, 50)?,
                checkpoint: Checkpoint::Midway,
            },
        ),
        accept(
            "Item 2 done and signed",
            C::CompleteItem {
                at: at(14, 0)?,
                item: ItemNo(2),
                technician: tech.clone(),
            },
        ),
        accept(
            "Item 4 done and signed",
            C::CompleteItem {
                at: at(14, 40)?,
                item: ItemNo(4),
                technician: tech.clone(),
            },
        ),
        accept(
            "A weak tyre-pressure sensor is noted but not fixed",
            C::RecordUncorrectedProblem {
                at: at(14, 45)?,
                description: "rear right tyre-pressure sensor battery weak".into(),
                safety: Safety::NotSafetyRelated,
            },
        ),
        accept(
            "Repair handed over for the self-check",
            C::FinishRepair { at: at(14, 50)? },
        ),
        accept(
            "Self-check passed: order checked, road test, repair complete, order filled in, handed on",
            C::RecordSelfCheck {
                at: at(15, 0)?,
                technician: tech.clone(),
                outcome: CheckOutcome::Pass,
                steps: Some(QualitySteps::ALL_DONE),
            },
        ),
        Step {
            title: "The inspector wants to pass the final check without the road test",
            command: C::RecordFinalCheck {
                at: at(15, 10)?,
                inspector: qc.clone(),
                outcome: CheckOutcome::Pass,
                steps: Some(QualitySteps {
                    road_test: RoadTestStep::NotNeeded,
                    ..QualitySteps::ALL_DONE
                }),
            },
            expect: Expect::Rejected(RuleId::Wo17),
        },
        accept(
            "Final check fails: the front left pad still squeals on the road test",
            C::RecordFinalCheck {
                at: at(15, 20)?,
                inspector: qc.clone(),
                outcome: CheckOutcome::Fail {
                    rework: vec![ItemNo(2)],
                    reason: "front left pad squeals on the road test".into(),
                },
                // The check stopped at the road test.
                steps: Some(QualitySteps {
                    order_checked: Check::Done,
                    road_test: RoadTestStep::Done,
                    repair_complete: Check::NotDone,
                    order_filled_in: Check::NotDone,
                    handed_on: Check::NotDone,
                }),
            },
        ),
        accept(
            "Rework on item 2",
            C::StartItem {
                at: at(15, 25)?,
                item: ItemNo(2),
                technician: tech.clone(),
            },
        ),
        accept(
            "Item 2 done again",
            C::CompleteItem {
                at: at(16, 0)?,
                item: ItemNo(2),
                technician: tech.clone(),
            },
        ),
        accept("Handed over again", C::FinishRepair { at: at(16, 5)? }),
        accept(
            "Self-check passed",
            C::RecordSelfCheck {
                at: at(16, 10)?,
                technician: tech.clone(),
                outcome: CheckOutcome::Pass,
                steps: Some(QualitySteps::ALL_DONE),
            },
        ),
        accept(
            "Final check passed, all five steps of [000] made",
            C::RecordFinalCheck {
                at: at(16, 25)?,
                inspector: qc.clone(),
                outcome: CheckOutcome::Pass,
                steps: Some(QualitySteps::ALL_DONE),
            },
        ),
        accept(
            "Washed, parked at D-04, old parts bagged, statement ready, advisor signs",
            C::PrepareDelivery {
                at: at(16, 40)?,
                checklist: PreDeliveryChecklist {
                    cleaned: Check::Done,
                    parking_position: Some("D-04".into()),
                    old_parts: OldParts::KeptForCustomer,
                    settlement_statement: Check::Done,
                    advisor_signature: Some(sa.clone()),
                },
            },
        ),
        accept(
            "Invoice reconciled with the order and paid electronically",
            C::Settle(Settle {
                at: at(17, 20)?,
                invoice: Invoice {
                    labour_hours: invoice_totals.labour_hours,
                    labour: invoice_totals.labour,
                    parts: invoice_totals.parts,
                    materials: invoice_totals.materials,
                    sublet: invoice_totals.sublet,
                    discounts: invoice_totals.discounts,
                    tax: invoice_totals.tax,
                    total: invoice_totals.gross,
                },
                payment: PaymentChoice::AsAgreed,
            }),
        ),
        accept(
            "Delivered at the car: work, invoice, extras, the open sensor, the declined wipers, old parts, next service",
            C::Deliver {
                at: at(17, 30)?,
                checklist: DeliveryChecklist {
                    work_explained: WorkExplanation::AtVehicle,
                    invoice_explained: Check::Done,
                    extra_work_explained: Check::Done,
                    open_problems_explained: Check::Done,
                    declined_items_mentioned: Check::Done,
                    old_parts_shown: Check::Done,
                    next_maintenance: Some(NextMaintenance {
                        date: day
                            .checked_add_months(chrono::Months::new(6))
                            .ok_or("date")?,
                        mileage: aftersales::Km(55_000),
                    }),
                    follow_up_promised: Check::Done,
                },
            },
        ),
    ])
}

/// Runs the story and returns what it prints.
pub fn transcript() -> Res<String> {
    let policy = policy();
    let mut order = WorkOrder::new(order_no()?);
    let mut out = String::new();
    writeln!(
        out,
        "Work order {} — a repair day at the dealership",
        order.no()
    )?;
    writeln!(out)?;
    for step in steps()? {
        let time = step.command.at().format("%m-%d %H:%M");
        writeln!(out, "[{time}] {}", step.title)?;
        match (order.execute(step.command, &policy), step.expect) {
            (Ok(events), Expect::Accepted) => {
                for event in &events {
                    match event {
                        aftersales::WorkOrderEvent::RiskRecorded { risk } => {
                            writeln!(out, "    + risk {}: {}", risk.rule, risk.description)?;
                        }
                        other => writeln!(out, "    + {}", other.name())?,
                    }
                }
                writeln!(
                    out,
                    "    = {} / {}",
                    order.stage().label_en(),
                    order.stage().label_zh()
                )?;
            }
            (Err(err), Expect::Rejected(rule)) if err.rule() == Some(rule) => {
                writeln!(out, "    ✗ refused: {err}")?;
            }
            (result, expect) => {
                return Err(
                    format!("step `{}` expected {expect:?}, got {result:?}", step.title).into(),
                );
            }
        }
    }
    let totals = order.totals(policy.estimate())?;
    writeln!(out)?;
    writeln!(out, "Authorizations (EST-07):")?;
    for a in order.authorizations() {
        let items: Vec<String> = a.items.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "    {} by {} via {}, recorded by {}: items {} for {}",
            a.at.format("%H:%M"),
            a.by,
            a.method,
            a.recorded_by,
            items.join(" "),
            a.amount
        )?;
    }
    writeln!(out, "Totals (WO-29: declined items excluded):")?;
    writeln!(
        out,
        "    labour {} h = {}",
        totals.authorized.labour_hours.get(),
        totals.authorized.labour
    )?;
    writeln!(
        out,
        "    parts {}, materials {}",
        totals.authorized.parts, totals.authorized.materials
    )?;
    writeln!(
        out,
        "    net {} + VAT {} = {}",
        totals.authorized.net, totals.authorized.tax, totals.authorized.gross
    )?;
    writeln!(out, "    declined: {}", totals.declined.gross)?;
    writeln!(out, "Internal reworks (WO-17): {}", order.rework_count())?;
    writeln!(out, "Parts warranty stated at delivery (EST-03):")?;
    for w in order.part_warranties(&policy) {
        writeln!(out, "    {w}")?;
    }
    writeln!(out, "Risks on the order:")?;
    for risk in order.risks() {
        writeln!(out, "    {} {}", risk.rule, risk.description)?;
    }
    let later = DateTime::parse_from_rfc3339("2026-11-27T10:00:00+08:00")?;
    writeln!(out, "Due on {}:", later.format("%Y-%m-%d %H:%M"))?;
    for due in order.due_checks(later, &policy) {
        writeln!(
            out,
            "    {} {} from {} to {}",
            due.kind,
            due.status,
            due.due_from.format("%m-%d %H:%M"),
            due.due_by
                .map_or_else(|| "-".to_string(), |b| b.format("%m-%d %H:%M").to_string())
        )?;
        for reason in &due.reasons {
            writeln!(out, "        because {reason}")?;
        }
    }
    Ok(out)
}

#[allow(dead_code)] // unused when the tests include this file as a module
fn main() -> Res<()> {
    print!("{}", transcript()?);
    Ok(())
}
