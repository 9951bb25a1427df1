//! Events: what happened to a work order. Applying one never fails.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::ids::{StaffId, TeamId};
use crate::regulation::{CompletionCertificate, OverrunConsent, PartsConsent, RepairCategory};
use crate::work_order::estimate::{Item, ItemNo, PartAvailability};
use crate::work_order::records::{
    Appointment, AuthorizationRecord, BayConfirmation, CancellationTerms, CheckOutcome, Checkpoint,
    CourtesyCarChecklist, DeliveryChecklist, FollowUpOutcome, NoticeTiming, PreDeliveryChecklist,
    Presence, QualitySteps, Reception, Risk, Settlement, SignedTerms, UncorrectedProblem,
};
use crate::work_order::state::Stage;
use crate::work_order::warranty::PartWarranty;

/// Everything that can happen to a work order, in past tense.
///
/// Events are facts: [`WorkOrder::apply`](crate::WorkOrder::apply) takes
/// them as they are, so a stored log replays to the same order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
#[non_exhaustive]
pub enum WorkOrderEvent {
    /// An appointment was booked.
    AppointmentBooked {
        /// The appointment.
        appointment: Appointment,
    },
    /// The vehicle was received.
    VehicleReceived {
        /// The reception record.
        reception: Reception,
    },
    /// A risk was written on the order.
    RiskRecorded {
        /// The risk.
        risk: Risk,
    },
    /// A road test was made.
    RoadTestRecorded {
        /// When.
        at: DateTime<FixedOffset>,
        /// With or without the customer.
        presence: Presence,
        /// What was observed.
        findings: String,
    },
    /// The customer signed the diagnosis sheet.
    DiagnosisSheetSigned {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// An item was proposed on the estimate.
    ItemProposed {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item, numbered.
        item: Item,
    },
    /// A workshop bay was confirmed.
    WorkshopBayConfirmed {
        /// The confirmation.
        bay: BayConfirmation,
    },
    /// A part's availability was confirmed.
    PartAvailabilityConfirmed {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// The option, if the line belongs to one.
        option: Option<usize>,
        /// The line index.
        line: usize,
        /// Availability.
        availability: PartAvailability,
    },
    /// The estimate was presented.
    EstimatePresented {
        /// When.
        at: DateTime<FixedOffset>,
        /// The promised delivery time.
        promised_delivery: DateTime<FixedOffset>,
    },
    /// The customer signed the order.
    OrderAuthorized {
        /// The authorization record.
        authorization: AuthorizationRecord,
        /// The signed terms.
        terms: SignedTerms,
        /// Options chosen.
        choices: Vec<(ItemNo, usize)>,
        /// Items declined.
        declined: Vec<ItemNo>,
        /// Items deferred.
        deferred: Vec<ItemNo>,
    },
    /// The order was dispatched.
    OrderDispatched {
        /// When.
        at: DateTime<FixedOffset>,
        /// The technician.
        technician: StaffId,
        /// The team.
        team: Option<TeamId>,
    },
    /// Work on an item started.
    ItemStarted {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// Who.
        technician: StaffId,
    },
    /// An item was completed and signed off.
    ItemCompleted {
        /// When.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// Who.
        technician: StaffId,
    },
    /// Add-on items were proposed as one batch.
    AddOnsProposed {
        /// When they were presented.
        at: DateTime<FixedOffset>,
        /// Batch number.
        batch: u16,
        /// Who found them.
        found_by: StaffId,
        /// When the inspection that found them was made; `None` when not
        /// recorded (an event stored before inspections were kept loads so,
        /// and its batch counts as an inspection of its own).
        #[serde(default)]
        found_at: Option<DateTime<FixedOffset>>,
        /// The items, numbered.
        items: Vec<Item>,
    },
    /// The customer answered an add-on batch.
    AddOnsAnswered {
        /// The batch.
        batch: u16,
        /// The authorization record (its item list may be empty when all
        /// were declined or deferred).
        authorization: AuthorizationRecord,
        /// Options chosen.
        choices: Vec<(ItemNo, usize)>,
        /// Items declined.
        declined: Vec<ItemNo>,
        /// Items deferred.
        deferred: Vec<ItemNo>,
    },
    /// A part will arrive later.
    PartDelayed {
        /// When it became known.
        at: DateTime<FixedOffset>,
        /// The item.
        item: ItemNo,
        /// The line index.
        line: usize,
        /// New expected arrival.
        expected_arrival: DateTime<FixedOffset>,
    },
    /// The customer was told of a new delivery time.
    PromiseRevised {
        /// When.
        at: DateTime<FixedOffset>,
        /// The earlier promise.
        previous: DateTime<FixedOffset>,
        /// The new promise.
        new_promise: DateTime<FixedOffset>,
        /// Why.
        reason: String,
        /// Whether the notice came before the earlier promise.
        notice: NoticeTiming,
    },
    /// A progress check was made.
    ProgressChecked {
        /// When.
        at: DateTime<FixedOffset>,
        /// Which checkpoint.
        checkpoint: Checkpoint,
    },
    /// A problem found and not corrected was written on the order.
    UncorrectedProblemRecorded {
        /// The problem.
        problem: UncorrectedProblem,
    },
    /// The repair was handed over for self-check.
    RepairFinished {
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// The self-check was recorded.
    SelfCheckRecorded {
        /// When.
        at: DateTime<FixedOffset>,
        /// The technician.
        technician: StaffId,
        /// Result.
        outcome: CheckOutcome,
        /// The five steps of `[000]` as made; `None` when not recorded (an
        /// event stored before the steps were kept loads so).
        #[serde(default)]
        steps: Option<QualitySteps>,
    },
    /// The final check was recorded; a failure sends items back to repair
    /// and counts as rework.
    FinalCheckRecorded {
        /// When.
        at: DateTime<FixedOffset>,
        /// The inspector.
        inspector: StaffId,
        /// Result.
        outcome: CheckOutcome,
        /// The five steps of `[000]` as made; `None` when not recorded (an
        /// event stored before the steps were kept loads so).
        #[serde(default)]
        steps: Option<QualitySteps>,
    },
    /// The vehicle was prepared for delivery.
    DeliveryPrepared {
        /// When.
        at: DateTime<FixedOffset>,
        /// The checklist.
        checklist: PreDeliveryChecklist,
    },
    /// The order's scope was stated (REG-03).
    RepairClassified {
        /// When.
        at: DateTime<FixedOffset>,
        /// The scope.
        scope: RepairCategory,
    },
    /// The inspector's completion certificate was recorded (REG-03).
    CompletionCertificateRecorded {
        /// The certificate.
        certificate: CompletionCertificate,
    },
    /// The customer's written consent to used or reconditioned parts was
    /// recorded (REG-04).
    PartsConsentRecorded {
        /// The consent.
        consent: PartsConsent,
    },
    /// The customer's fresh consent to an overrun was recorded (REG-05,
    /// REG-06).
    OverrunConsented {
        /// The consent.
        consent: OverrunConsent,
    },
    /// The invoice was reconciled and paid.
    OrderSettled {
        /// The settlement.
        settlement: Settlement,
    },
    /// A courtesy car was handed over.
    CourtesyCarHandedOver {
        /// When.
        at: DateTime<FixedOffset>,
        /// The checklist.
        checklist: CourtesyCarChecklist,
    },
    /// The vehicle was delivered.
    VehicleDelivered {
        /// When.
        at: DateTime<FixedOffset>,
        /// What was explained.
        checklist: DeliveryChecklist,
        /// The warranty of each part fitted, by its origin, as stated to
        /// the customer at delivery (EST-03); empty in an event stored
        /// before they were recorded.
        #[serde(default)]
        part_warranties: Vec<PartWarranty>,
    },
    /// The order was closed after follow-up.
    OrderClosed {
        /// When.
        at: DateTime<FixedOffset>,
        /// How the follow-up ended.
        outcome: FollowUpOutcome,
    },
    /// The order was cancelled.
    OrderCancelled {
        /// When.
        at: DateTime<FixedOffset>,
        /// Why.
        reason: String,
        /// The stage it was in.
        stage: Stage,
        /// What was settled.
        terms: CancellationTerms,
    },
}

impl WorkOrderEvent {
    /// When it happened.
    pub fn at(&self) -> DateTime<FixedOffset> {
        use WorkOrderEvent as E;
        match self {
            E::AppointmentBooked { appointment } => appointment.booked_at,
            E::VehicleReceived { reception } => reception.at,
            E::RiskRecorded { risk } => risk.at,
            E::WorkshopBayConfirmed { bay } => bay.at,
            E::OrderAuthorized { authorization, .. } | E::AddOnsAnswered { authorization, .. } => {
                authorization.at
            }
            E::UncorrectedProblemRecorded { problem } => problem.at,
            E::OrderSettled { settlement } => settlement.at,
            E::CompletionCertificateRecorded { certificate } => certificate.at,
            E::PartsConsentRecorded { consent } => consent.at,
            E::OverrunConsented { consent } => consent.at,
            E::RepairClassified { at, .. } => *at,
            E::RoadTestRecorded { at, .. }
            | E::DiagnosisSheetSigned { at }
            | E::ItemProposed { at, .. }
            | E::PartAvailabilityConfirmed { at, .. }
            | E::EstimatePresented { at, .. }
            | E::OrderDispatched { at, .. }
            | E::ItemStarted { at, .. }
            | E::ItemCompleted { at, .. }
            | E::AddOnsProposed { at, .. }
            | E::PartDelayed { at, .. }
            | E::PromiseRevised { at, .. }
            | E::ProgressChecked { at, .. }
            | E::RepairFinished { at }
            | E::SelfCheckRecorded { at, .. }
            | E::FinalCheckRecorded { at, .. }
            | E::DeliveryPrepared { at, .. }
            | E::CourtesyCarHandedOver { at, .. }
            | E::VehicleDelivered { at, .. }
            | E::OrderClosed { at, .. }
            | E::OrderCancelled { at, .. } => *at,
        }
    }

    /// The event's name in snake case, as serialized.
    pub fn name(&self) -> &'static str {
        use WorkOrderEvent as E;
        match self {
            E::AppointmentBooked { .. } => "appointment_booked",
            E::VehicleReceived { .. } => "vehicle_received",
            E::RiskRecorded { .. } => "risk_recorded",
            E::RoadTestRecorded { .. } => "road_test_recorded",
            E::DiagnosisSheetSigned { .. } => "diagnosis_sheet_signed",
            E::ItemProposed { .. } => "item_proposed",
            E::WorkshopBayConfirmed { .. } => "workshop_bay_confirmed",
            E::PartAvailabilityConfirmed { .. } => "part_availability_confirmed",
            E::EstimatePresented { .. } => "estimate_presented",
            E::OrderAuthorized { .. } => "order_authorized",
            E::OrderDispatched { .. } => "order_dispatched",
            E::ItemStarted { .. } => "item_started",
            E::ItemCompleted { .. } => "item_completed",
            E::AddOnsProposed { .. } => "add_ons_proposed",
            E::AddOnsAnswered { .. } => "add_ons_answered",
            E::PartDelayed { .. } => "part_delayed",
            E::PromiseRevised { .. } => "promise_revised",
            E::ProgressChecked { .. } => "progress_checked",
            E::UncorrectedProblemRecorded { .. } => "uncorrected_problem_recorded",
            E::RepairFinished { .. } => "repair_finished",
            E::SelfCheckRecorded { .. } => "self_check_recorded",
            E::FinalCheckRecorded { .. } => "final_check_recorded",
            E::DeliveryPrepared { .. } => "delivery_prepared",
            E::RepairClassified { .. } => "repair_classified",
            E::CompletionCertificateRecorded { .. } => "completion_certificate_recorded",
            E::PartsConsentRecorded { .. } => "parts_consent_recorded",
            E::OverrunConsented { .. } => "overrun_consented",
            E::OrderSettled { .. } => "order_settled",
            E::CourtesyCarHandedOver { .. } => "courtesy_car_handed_over",
            E::VehicleDelivered { .. } => "vehicle_delivered",
            E::OrderClosed { .. } => "order_closed",
            E::OrderCancelled { .. } => "order_cancelled",
        }
    }
}
