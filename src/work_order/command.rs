//! Commands: what a DMS asks the work order to do. Each carries the time it
//! happens (`at`); the order never reads a clock.

use chrono::{DateTime, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::ids::{PersonName, PhoneNumber, StaffId, TeamId, WorkOrderNo};
use crate::money::Money;
use crate::regulation::{CompletionCertificate, OverrunConsent, PartsConsent, RepairCategory};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};
use crate::work_order::estimate::{ItemDraft, ItemNo, PartAvailability};
use crate::work_order::records::{
    AuthorizationMethod, CancellationTerms, CheckOutcome, Checkpoint, CourtesyCarChecklist,
    Customer, CustomerRequest, DeliveryChecklist, FollowUpOutcome, Invoice, PaymentChoice,
    PaymentMethod, Pickup, PreDeliveryChecklist, Presence, ProtectiveCover, QualitySteps,
    ReceptionDocument, Safety, Vehicle, WalkAround,
};

/// Check-in of the vehicle with the customer (WO-01 … WO-04, WO-07, WO-24).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveVehicle {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The receiving advisor.
    pub advisor: StaffId,
    /// The customer.
    pub customer: Customer,
    /// The vehicle.
    pub vehicle: Vehicle,
    /// Each request as its own entry; at least one.
    pub requests: Vec<CustomerRequest>,
    /// The walk-around inspection.
    pub walk_around: WalkAround,
    /// Documents found.
    pub documents_present: Vec<ReceptionDocument>,
    /// Covers fitted.
    pub covers_fitted: Vec<ProtectiveCover>,
    /// The earlier order if this is a comeback for the same fault (WO-24).
    pub comeback_of: Option<WorkOrderNo>,
}

/// The customer's signature of the order (WO-10, EST-05, EST-07).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeOrder {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who signs.
    pub signer: PersonName,
    /// How: a signature or a digital signature (WO-10).
    pub method: AuthorizationMethod,
    /// The advisor recording it.
    pub recorded_by: StaffId,
    /// Items authorized; at least one.
    pub authorized: Vec<ItemNo>,
    /// Items declined (WO-13).
    pub declined: Vec<ItemNo>,
    /// Items deferred to a later visit (WO-29).
    pub deferred: Vec<ItemNo>,
    /// Option chosen for each authorized item that offers options (EST-04):
    /// `(item, index of the option)`.
    pub choices: Vec<(ItemNo, usize)>,
    /// The total the customer signs for; must equal the gross of the
    /// authorized items.
    pub estimated_total: Money,
    /// The price limit for add-ons (限价).
    pub price_limit: Money,
    /// Pickup method and time.
    pub pickup: Pickup,
    /// Payment method.
    pub payment: PaymentMethod,
    /// Contact phone to record; `None` uses the phone from reception.
    pub contact_phone: Option<PhoneNumber>,
}

/// Add-on items found in one inspection, presented together (WO-11, WO-12).
///
/// The inspection is named by who made it and when (`found_by`,
/// `found_at`). `[001]` asks for the add-ons of one inspection to be put to
/// the customer in one contact (一次性): a second batch naming an
/// inspection that an earlier batch already presented shows that part of
/// its findings was withheld, and is refused under WO-12.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeAddOns {
    /// When they are presented to the customer.
    pub at: DateTime<FixedOffset>,
    /// Who found them.
    pub found_by: StaffId,
    /// When the inspection that found them was made; not after `at`.
    pub found_at: DateTime<FixedOffset>,
    /// All items found in this inspection; at least one.
    pub items: Vec<ItemDraft>,
}

/// The customer's answer to an add-on batch (WO-11, EST-05, EST-07).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerAddOns {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The batch answered.
    pub batch: u16,
    /// Who answered.
    pub by: PersonName,
    /// How.
    pub method: AuthorizationMethod,
    /// The advisor recording it.
    pub recorded_by: StaffId,
    /// Authorized items of the batch.
    pub authorized: Vec<ItemNo>,
    /// Declined items of the batch.
    pub declined: Vec<ItemNo>,
    /// Deferred items of the batch.
    pub deferred: Vec<ItemNo>,
    /// Option chosen per authorized item that offers options.
    pub choices: Vec<(ItemNo, usize)>,
    /// The amount told to the customer: gross of the authorized items.
    pub amount: Money,
}

/// Settlement against the invoice (WO-20, WO-22, EST-06).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settle {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The invoice to reconcile.
    pub invoice: Invoice,
    /// Payment.
    pub payment: PaymentChoice,
}

/// Everything a DMS can ask of a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
#[non_exhaustive]
pub enum WorkOrderCommand {
    /// Book an appointment (WO-07). Only on a new order.
    BookAppointment {
        /// When it is booked.
        at: DateTime<FixedOffset>,
        /// Agreed arrival.
        slot: DateTime<FixedOffset>,
        /// The advisor who will receive the customer.
        advisor: StaffId,
        /// What was agreed.
        agreements: Vec<String>,
    },
    /// Receive the vehicle.
    ReceiveVehicle(ReceiveVehicle),
    /// Record a road test (WO-05).
    RecordRoadTest {
        /// When.
        at: DateTime<FixedOffset>,
        /// With or without the customer.
        presence: Presence,
        /// What was observed.
        findings: String,
    },
    /// The customer signs the diagnosis sheet (WO-06).
    SignDiagnosisSheet {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Propose an item on the estimate.
    ProposeItem {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemDraft,
    },
    /// Confirm a workshop bay (WO-08).
    ConfirmWorkshopBay {
        /// When.
        at: DateTime<FixedOffset>,
        /// The bay.
        bay: String,
        /// When it is free.
        available_from: DateTime<FixedOffset>,
    },
    /// Confirm a part's availability with the parts store (WO-08).
    ConfirmPartAvailability {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// The option whose lines are meant, for an item that offers
        /// options; `None` for the item's own lines.
        option: Option<usize>,
        /// Index of the part line.
        line: usize,
        /// Availability.
        availability: PartAvailability,
    },
    /// Present the estimate with cost and promised time (WO-09).
    PresentEstimate {
        /// When.
        at: DateTime<FixedOffset>,
        /// Promised delivery time.
        promised_delivery: DateTime<FixedOffset>,
    },
    /// The customer authorizes the order.
    AuthorizeOrder(AuthorizeOrder),
    /// Dispatch to a technician (派工).
    Dispatch {
        /// When.
        at: DateTime<FixedOffset>,
        /// The technician.
        technician: StaffId,
        /// The team.
        team: Option<TeamId>,
    },
    /// Start work on an item (WO-11).
    StartItem {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// Who.
        technician: StaffId,
    },
    /// Mark an item done with the technician's signature (WO-14).
    CompleteItem {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// Who signs it off.
        technician: StaffId,
    },
    /// Propose add-on items found in one inspection.
    ProposeAddOns(ProposeAddOns),
    /// Record the customer's answer to an add-on batch.
    AnswerAddOns(AnswerAddOns),
    /// A part will arrive later than planned (WO-30).
    ReportPartDelay {
        /// When it became known.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// The part line index.
        line: usize,
        /// New expected arrival.
        expected_arrival: DateTime<FixedOffset>,
    },
    /// Tell the customer of a new delivery time (WO-16).
    RevisePromise {
        /// When the customer was told.
        at: DateTime<FixedOffset>,
        /// The new time.
        new_promise: DateTime<FixedOffset>,
        /// Why.
        reason: String,
    },
    /// Record a progress check (WO-15).
    RecordProgressCheck {
        /// When.
        at: DateTime<FixedOffset>,
        /// Which checkpoint.
        checkpoint: Checkpoint,
    },
    /// Write a problem found and not corrected on the order (WO-18).
    RecordUncorrectedProblem {
        /// When.
        at: DateTime<FixedOffset>,
        /// What.
        description: String,
        /// Safety relevance.
        safety: Safety,
    },
    /// Hand the vehicle over for the self-check (WO-14).
    FinishRepair {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// The technician's self-check (WO-17).
    RecordSelfCheck {
        /// When.
        at: DateTime<FixedOffset>,
        /// The technician.
        technician: StaffId,
        /// Result.
        outcome: CheckOutcome,
        /// The five steps of `[000]` as made; a pass needs all of them.
        steps: Option<QualitySteps>,
    },
    /// The QC inspector's final check (WO-17).
    RecordFinalCheck {
        /// When.
        at: DateTime<FixedOffset>,
        /// The inspector.
        inspector: StaffId,
        /// Result.
        outcome: CheckOutcome,
        /// The five steps of `[000]` as made; a pass needs all of them.
        steps: Option<QualitySteps>,
    },
    /// Pre-delivery preparation (WO-19).
    PrepareDelivery {
        /// When.
        at: DateTime<FixedOffset>,
        /// The checklist.
        checklist: PreDeliveryChecklist,
    },
    /// State what kind of work the order is, for the completion
    /// certificate (REG-03). A later classification replaces an earlier one.
    ClassifyRepair {
        /// When.
        at: DateTime<FixedOffset>,
        /// The scope.
        scope: RepairCategory,
    },
    /// Record the inspector's completion certificate (REG-03), after the
    /// final check passed.
    RecordCompletionCertificate {
        /// The certificate; its `at` is the command's time.
        certificate: CompletionCertificate,
    },
    /// Record the customer's written consent to used or reconditioned
    /// parts (REG-04).
    RecordPartsConsent {
        /// The consent; its `at` is the command's time.
        consent: PartsConsent,
    },
    /// Record the customer's fresh consent to a settlement above the
    /// authorized amount (REG-05, REG-06, EST-06).
    ConsentToOverrun {
        /// The consent; its `at` is the command's time.
        consent: OverrunConsent,
    },
    /// Settle the invoice.
    Settle(Settle),
    /// Hand over a courtesy car (WO-27).
    HandOverCourtesyCar {
        /// When.
        at: DateTime<FixedOffset>,
        /// The checklist.
        checklist: CourtesyCarChecklist,
    },
    /// Deliver the vehicle (WO-21).
    Deliver {
        /// When.
        at: DateTime<FixedOffset>,
        /// What was explained.
        checklist: DeliveryChecklist,
    },
    /// Close the order when the follow-up ends (WO-23).
    Close {
        /// When.
        at: DateTime<FixedOffset>,
        /// How the follow-up ended.
        outcome: FollowUpOutcome,
    },
    /// Cancel the order (WO-28).
    Cancel {
        /// When.
        at: DateTime<FixedOffset>,
        /// Why.
        reason: String,
        /// What is settled.
        terms: CancellationTerms,
    },
}

impl WorkOrderCommand {
    /// When the command happens.
    pub fn at(&self) -> DateTime<FixedOffset> {
        use WorkOrderCommand as C;
        match self {
            C::BookAppointment { at, .. }
            | C::RecordRoadTest { at, .. }
            | C::SignDiagnosisSheet { at }
            | C::ProposeItem { at, .. }
            | C::ConfirmWorkshopBay { at, .. }
            | C::ConfirmPartAvailability { at, .. }
            | C::PresentEstimate { at, .. }
            | C::Dispatch { at, .. }
            | C::StartItem { at, .. }
            | C::CompleteItem { at, .. }
            | C::ReportPartDelay { at, .. }
            | C::RevisePromise { at, .. }
            | C::RecordProgressCheck { at, .. }
            | C::RecordUncorrectedProblem { at, .. }
            | C::FinishRepair { at }
            | C::RecordSelfCheck { at, .. }
            | C::RecordFinalCheck { at, .. }
            | C::PrepareDelivery { at, .. }
            | C::HandOverCourtesyCar { at, .. }
            | C::Deliver { at, .. }
            | C::Close { at, .. }
            | C::Cancel { at, .. }
            | C::ClassifyRepair { at, .. } => *at,
            C::RecordCompletionCertificate { certificate } => certificate.at,
            C::RecordPartsConsent { consent } => consent.at,
            C::ConsentToOverrun { consent } => consent.at,
            C::ReceiveVehicle(c) => c.at,
            C::AuthorizeOrder(c) => c.at,
            C::ProposeAddOns(c) => c.at,
            C::AnswerAddOns(c) => c.at,
            C::Settle(c) => c.at,
        }
    }

    /// Every time the command carries, with the field that holds it: its
    /// `at` and every nested time (slot, promised delivery, expected
    /// arrivals, pickup …). Dates (the next maintenance told at delivery)
    /// count as their first instant, UTC.
    ///
    /// Written as an exhaustive match that names every field of every
    /// variant, so a new command or a new time field cannot be added
    /// without deciding here whether it is a time.
    pub(crate) fn times(&self) -> Vec<(&'static str, DateTime<FixedOffset>)> {
        use WorkOrderCommand as C;
        let mut out = Vec::new();
        match self {
            C::BookAppointment {
                at,
                slot,
                advisor: _,
                agreements: _,
            } => out.extend([("at", *at), ("slot", *slot)]),
            C::ReceiveVehicle(ReceiveVehicle {
                at,
                advisor: _,
                customer: _,
                vehicle: _,
                requests: _,
                walk_around: _,
                documents_present: _,
                covers_fitted: _,
                comeback_of: _,
            }) => out.push(("at", *at)),
            C::RecordRoadTest {
                at,
                presence: _,
                findings: _,
            }
            | C::SignDiagnosisSheet { at }
            | C::Dispatch {
                at,
                technician: _,
                team: _,
            }
            | C::StartItem {
                at,
                item: _,
                technician: _,
            }
            | C::CompleteItem {
                at,
                item: _,
                technician: _,
            }
            | C::RecordProgressCheck { at, checkpoint: _ }
            | C::RecordUncorrectedProblem {
                at,
                description: _,
                safety: _,
            }
            | C::FinishRepair { at }
            | C::RecordSelfCheck {
                at,
                technician: _,
                outcome: _,
                steps: _,
            }
            | C::RecordFinalCheck {
                at,
                inspector: _,
                outcome: _,
                steps: _,
            }
            | C::PrepareDelivery { at, checklist: _ }
            | C::ClassifyRepair { at, scope: _ }
            | C::HandOverCourtesyCar { at, checklist: _ }
            | C::Close { at, outcome: _ }
            | C::Cancel {
                at,
                reason: _,
                terms: _,
            }
            | C::Settle(Settle {
                at,
                invoice: _,
                payment: _,
            })
            | C::AnswerAddOns(AnswerAddOns {
                at,
                batch: _,
                by: _,
                method: _,
                recorded_by: _,
                authorized: _,
                declined: _,
                deferred: _,
                choices: _,
                amount: _,
            }) => out.push(("at", *at)),
            C::ProposeItem { at, item } => {
                out.push(("at", *at));
                out.extend(item.arrivals().map(|t| ("item.arrival", t)));
            }
            C::ConfirmWorkshopBay {
                at,
                bay: _,
                available_from,
            } => out.extend([("at", *at), ("available_from", *available_from)]),
            C::ConfirmPartAvailability {
                at,
                item: _,
                option: _,
                line: _,
                availability,
            } => {
                out.push(("at", *at));
                out.extend(availability.arrival().map(|t| ("availability.arrival", t)));
            }
            C::PresentEstimate {
                at,
                promised_delivery,
            } => out.extend([("at", *at), ("promised_delivery", *promised_delivery)]),
            C::AuthorizeOrder(AuthorizeOrder {
                at,
                signer: _,
                method: _,
                recorded_by: _,
                authorized: _,
                declined: _,
                deferred: _,
                choices: _,
                estimated_total: _,
                price_limit: _,
                pickup,
                payment: _,
                contact_phone: _,
            }) => out.extend([("at", *at), ("pickup.at", pickup.at)]),
            C::ProposeAddOns(ProposeAddOns {
                at,
                found_by: _,
                found_at,
                items,
            }) => {
                out.extend([("at", *at), ("found_at", *found_at)]);
                out.extend(
                    items
                        .iter()
                        .flat_map(ItemDraft::arrivals)
                        .map(|t| ("items.arrival", t)),
                );
            }
            C::ReportPartDelay {
                at,
                item: _,
                line: _,
                expected_arrival,
            } => out.extend([("at", *at), ("expected_arrival", *expected_arrival)]),
            C::RevisePromise {
                at,
                new_promise,
                reason: _,
            } => out.extend([("at", *at), ("new_promise", *new_promise)]),
            C::RecordCompletionCertificate { certificate } => {
                out.push(("certificate.at", certificate.at));
            }
            C::RecordPartsConsent { consent } => out.push(("consent.at", consent.at)),
            C::ConsentToOverrun { consent } => out.push(("consent.at", consent.at)),
            C::Deliver { at, checklist } => {
                out.push(("at", *at));
                if let Some(next) = &checklist.next_maintenance {
                    out.push((
                        "checklist.next_maintenance.date",
                        next.date.and_time(NaiveTime::MIN).and_utc().fixed_offset(),
                    ));
                }
            }
        }
        out
    }

    /// Refuses a command carrying any time outside
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE), naming the first
    /// such field.
    pub(crate) fn check_times(&self) -> Result<(), TimeRangeError> {
        self.times()
            .into_iter()
            .try_for_each(|(field, at)| SUPPORTED_RANGE.check(field, at).map(|_| ()))
    }

    /// Which action this is, for errors and logs.
    pub fn action(&self) -> Action {
        use WorkOrderCommand as C;
        match self {
            C::BookAppointment { .. } => Action::BookAppointment,
            C::ReceiveVehicle(_) => Action::ReceiveVehicle,
            C::RecordRoadTest { .. } => Action::RecordRoadTest,
            C::SignDiagnosisSheet { .. } => Action::SignDiagnosisSheet,
            C::ProposeItem { .. } => Action::ProposeItem,
            C::ConfirmWorkshopBay { .. } => Action::ConfirmWorkshopBay,
            C::ConfirmPartAvailability { .. } => Action::ConfirmPartAvailability,
            C::PresentEstimate { .. } => Action::PresentEstimate,
            C::AuthorizeOrder(_) => Action::AuthorizeOrder,
            C::Dispatch { .. } => Action::Dispatch,
            C::StartItem { .. } => Action::StartItem,
            C::CompleteItem { .. } => Action::CompleteItem,
            C::ProposeAddOns(_) => Action::ProposeAddOns,
            C::AnswerAddOns(_) => Action::AnswerAddOns,
            C::ReportPartDelay { .. } => Action::ReportPartDelay,
            C::RevisePromise { .. } => Action::RevisePromise,
            C::RecordProgressCheck { .. } => Action::RecordProgressCheck,
            C::RecordUncorrectedProblem { .. } => Action::RecordUncorrectedProblem,
            C::FinishRepair { .. } => Action::FinishRepair,
            C::RecordSelfCheck { .. } => Action::RecordSelfCheck,
            C::RecordFinalCheck { .. } => Action::RecordFinalCheck,
            C::PrepareDelivery { .. } => Action::PrepareDelivery,
            C::ClassifyRepair { .. } => Action::ClassifyRepair,
            C::RecordCompletionCertificate { .. } => Action::RecordCompletionCertificate,
            C::RecordPartsConsent { .. } => Action::RecordPartsConsent,
            C::ConsentToOverrun { .. } => Action::ConsentToOverrun,
            C::Settle(_) => Action::Settle,
            C::HandOverCourtesyCar { .. } => Action::HandOverCourtesyCar,
            C::Deliver { .. } => Action::Deliver,
            C::Close { .. } => Action::Close,
            C::Cancel { .. } => Action::Cancel,
        }
    }
}

/// The kind of a command, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[allow(missing_docs)] // the names say it; `Display` gives the wording
pub enum Action {
    BookAppointment,
    ReceiveVehicle,
    RecordRoadTest,
    SignDiagnosisSheet,
    ProposeItem,
    ConfirmWorkshopBay,
    ConfirmPartAvailability,
    PresentEstimate,
    AuthorizeOrder,
    Dispatch,
    StartItem,
    CompleteItem,
    ProposeAddOns,
    AnswerAddOns,
    ReportPartDelay,
    RevisePromise,
    RecordProgressCheck,
    RecordUncorrectedProblem,
    FinishRepair,
    RecordSelfCheck,
    RecordFinalCheck,
    PrepareDelivery,
    ClassifyRepair,
    RecordCompletionCertificate,
    RecordPartsConsent,
    ConsentToOverrun,
    Settle,
    HandOverCourtesyCar,
    Deliver,
    Close,
    Cancel,
}

impl std::fmt::Display for Action {
    /// The phrase after "cannot", e.g. "be dispatched".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::BookAppointment => "book an appointment",
            Action::ReceiveVehicle => "receive the vehicle",
            Action::RecordRoadTest => "record a road test",
            Action::SignDiagnosisSheet => "have the diagnosis sheet signed",
            Action::ProposeItem => "take a proposed item",
            Action::ConfirmWorkshopBay => "confirm a workshop bay",
            Action::ConfirmPartAvailability => "confirm part availability",
            Action::PresentEstimate => "present the estimate",
            Action::AuthorizeOrder => "be authorized",
            Action::Dispatch => "be dispatched",
            Action::StartItem => "start work on an item",
            Action::CompleteItem => "complete an item",
            Action::ProposeAddOns => "take add-on items",
            Action::AnswerAddOns => "record the answer to add-on items",
            Action::ReportPartDelay => "record a part delay",
            Action::RevisePromise => "revise the promised time",
            Action::RecordProgressCheck => "record a progress check",
            Action::RecordUncorrectedProblem => "record an uncorrected problem",
            Action::FinishRepair => "go to self-check",
            Action::RecordSelfCheck => "record the self-check",
            Action::RecordFinalCheck => "record the final check",
            Action::PrepareDelivery => "be prepared for delivery",
            Action::ClassifyRepair => "classify the repair",
            Action::RecordCompletionCertificate => "record the completion certificate",
            Action::RecordPartsConsent => "record consent to used or reconditioned parts",
            Action::ConsentToOverrun => "record consent to the overrun",
            Action::Settle => "be settled",
            Action::HandOverCourtesyCar => "hand over a courtesy car",
            Action::Deliver => "be delivered",
            Action::Close => "be closed",
            Action::Cancel => "be cancelled",
        })
    }
}
