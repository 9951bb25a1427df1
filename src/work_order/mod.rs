//! The repair work order (工单 / 委托书), from reception to delivery and
//! follow-up: rules WO-01 … WO-30 and EST-01 … EST-09.
//!
//! Start from [`WorkOrder`]. A DMS rebuilds an order from its stored
//! events with [`WorkOrder::replay`], sends a [`WorkOrderCommand`] with
//! [`WorkOrder::execute`], stores the returned [`WorkOrderEvent`]s, and
//! shows the [`WorkOrderError`] when a command is refused: the error names
//! the rule it broke.
//!
//! ```
//! use aftersales::{Policy, WorkOrder, WorkOrderCommand, WorkOrderNo, StaffId, RuleId};
//! use chrono::DateTime;
//!
//! let policy = Policy::default();
//! let mut order = WorkOrder::new(WorkOrderNo::try_new("WO-17")?);
//! let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00")?;
//! let err = order
//!     .execute(
//!         WorkOrderCommand::Dispatch { at, technician: StaffId::try_new("T-01")?, team: None },
//!         &policy,
//!     )
//!     .unwrap_err();
//! assert_eq!(err.rule(), Some(RuleId::Wo10));
//! assert_eq!(
//!     err.to_string(),
//!     "work order `WO-17` cannot be dispatched: not authorized by the customer (WO-10)"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod command;
mod decide;
mod due;
mod error;
mod estimate;
mod event;
mod history;
mod recheck;
mod records;
mod state;
mod warranty;

pub use command::{
    Action, AnswerAddOns, AuthorizeOrder, ProposeAddOns, ReceiveVehicle, Settle, WorkOrderCommand,
};
pub use due::{DueCheck, DueKind, DueStatus};
pub use error::WorkOrderError;
pub use estimate::{
    AuthorizationNo, Discount, EstimateLine, Item, ItemDraft, ItemNo, ItemOrigin, ItemStatus,
    LineKind, OrderTotals, PartAvailability, PartOrigin, PriceRange, Priority, ProblemCategory,
    RepairOption, Totals,
};
pub use event::WorkOrderEvent;
pub use history::{ReworkTally, reworks_for_vehicle};
pub use recheck::{GuardBreach, recheck};
pub use records::{
    AddOnBatch, Appointment, AuthorizationMethod, AuthorizationRecord, BayConfirmation,
    Cancellation, CancellationTerms, Check, CheckOutcome, Checkpoint, CourtesyCarChecklist,
    Customer, CustomerRequest, DeliveryChecklist, DeliveryRecord, Dispatch, FollowUpOutcome,
    Invoice, ManufacturerWarranty, NextMaintenance, NoticeTiming, OldParts, PartDelay,
    PaymentChoice, PaymentMethod, Pickup, PickupMethod, PreDeliveryChecklist, Presence,
    ProgressCheck, PromiseRevision, ProtectiveCover, QualityCheckRecord, QualityStage, QualityStep,
    QualitySteps, Reception, ReceptionDocument, Recorded, Risk, RoadTest, RoadTestStep, Safety,
    Settlement, SignedTerms, SymptomCondition, UncorrectedProblem, Vehicle, WalkAround,
    WorkExplanation,
};
pub use state::{OrderState, Stage};
pub use warranty::PartWarranty;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::ids::WorkOrderNo;
use crate::money::MoneyError;
use crate::policy::{EstimatePolicy, Policy};
use crate::regulation::{CompletionCertificate, OverrunConsent, PartsConsent, RepairCategory};

/// A repair work order: the aggregate every after-sales rule hangs on.
///
/// Its fields are private; read them through the accessors. The only way
/// to change an order is [`WorkOrder::apply`] with an event, and the only
/// way to get events is [`WorkOrder::decide`] (or [`WorkOrder::execute`],
/// which does both), so a live order and a replayed one are always equal.
///
/// # Stored data
///
/// Store the events, not the order: the events are the stored truth.
/// Append the [`WorkOrderEvent`]s that [`WorkOrder::execute`] returns to
/// the order's log, in the order they came, and rebuild the order with
/// [`WorkOrder::replay`] from its number and that log; [`recheck`] runs
/// the rules again over a stored log, to catch one edited outside the
/// crate. The order serializes, as a read model a DMS may show or cache
/// for display, but it does not deserialize: an order loaded field by
/// field could hold what no command allows (a negative labour rate on an
/// authorized item, a delivered order without its delivery record), so
/// there is no way to load one.
///
/// ```
/// use aftersales::{Policy, StaffId, WorkOrder, WorkOrderCommand, WorkOrderEvent, WorkOrderNo};
/// use chrono::DateTime;
///
/// let no = WorkOrderNo::try_new("WO-17")?;
/// let mut order = WorkOrder::new(no.clone());
/// let at = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00")?;
/// let events = order.execute(
///     WorkOrderCommand::BookAppointment {
///         at,
///         slot: at + chrono::TimeDelta::days(1),
///         advisor: StaffId::try_new("SA-01")?,
///         agreements: vec![],
///     },
///     &Policy::default(),
/// )?;
/// // The DMS stores the events ...
/// let stored = serde_json::to_string(&events)?;
/// // ... and rebuilds the order from them.
/// let log: Vec<WorkOrderEvent> = serde_json::from_str(&stored)?;
/// assert_eq!(WorkOrder::replay(no, &log), order);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The order itself does not load from JSON (a test that it stays so):
///
/// ```compile_fail,E0277
/// let order: aftersales::WorkOrder = serde_json::from_str("{}")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkOrder {
    no: WorkOrderNo,
    state: OrderState,
    appointment: Option<Appointment>,
    reception: Option<Reception>,
    road_tests: Vec<RoadTest>,
    diagnosis_signed_at: Option<DateTime<FixedOffset>>,
    bay: Option<BayConfirmation>,
    items: Vec<Item>,
    estimate_presented_at: Option<DateTime<FixedOffset>>,
    promised_delivery: Option<DateTime<FixedOffset>>,
    terms: Option<SignedTerms>,
    authorizations: Vec<AuthorizationRecord>,
    add_on_batches: Vec<AddOnBatch>,
    dispatch: Option<Dispatch>,
    work_started_at: Option<DateTime<FixedOffset>>,
    progress_checks: Vec<ProgressCheck>,
    part_delays: Vec<PartDelay>,
    promise_revisions: Vec<PromiseRevision>,
    uncorrected_problems: Vec<UncorrectedProblem>,
    quality_checks: Vec<QualityCheckRecord>,
    rework_count: u32,
    repair_finished_at: Option<DateTime<FixedOffset>>,
    pre_delivery: Option<Recorded<PreDeliveryChecklist>>,
    certificate_scope: Option<RepairCategory>,
    completion_certificate: Option<CompletionCertificate>,
    parts_consents: Vec<PartsConsent>,
    overrun_consents: Vec<OverrunConsent>,
    settlement: Option<Settlement>,
    courtesy_car: Option<Recorded<CourtesyCarChecklist>>,
    delivery: Option<DeliveryRecord>,
    closed: Option<Recorded<FollowUpOutcome>>,
    cancellation: Option<Cancellation>,
    risks: Vec<Risk>,
    last_event_at: Option<DateTime<FixedOffset>>,
    version: u64,
}

impl WorkOrder {
    /// A new, empty order. Its first command is
    /// [`WorkOrderCommand::BookAppointment`] or
    /// [`WorkOrderCommand::ReceiveVehicle`].
    pub fn new(no: WorkOrderNo) -> Self {
        WorkOrder {
            no,
            state: OrderState::New,
            appointment: None,
            reception: None,
            road_tests: Vec::new(),
            diagnosis_signed_at: None,
            bay: None,
            items: Vec::new(),
            estimate_presented_at: None,
            promised_delivery: None,
            terms: None,
            authorizations: Vec::new(),
            add_on_batches: Vec::new(),
            dispatch: None,
            work_started_at: None,
            progress_checks: Vec::new(),
            part_delays: Vec::new(),
            promise_revisions: Vec::new(),
            uncorrected_problems: Vec::new(),
            quality_checks: Vec::new(),
            rework_count: 0,
            repair_finished_at: None,
            pre_delivery: None,
            certificate_scope: None,
            completion_certificate: None,
            parts_consents: Vec::new(),
            overrun_consents: Vec::new(),
            settlement: None,
            courtesy_car: None,
            delivery: None,
            closed: None,
            cancellation: None,
            risks: Vec::new(),
            last_event_at: None,
            version: 0,
        }
    }

    /// Rebuilds an order from its stored events.
    pub fn replay<'a, I>(no: WorkOrderNo, events: I) -> Self
    where
        I: IntoIterator<Item = &'a WorkOrderEvent>,
    {
        let mut order = WorkOrder::new(no);
        for event in events {
            order.apply(event);
        }
        order
    }

    /// Checks `command` against every rule and returns the events it
    /// causes, without changing the order.
    ///
    /// # Errors
    ///
    /// [`WorkOrderError::Rejected`] naming the broken rule,
    /// [`WorkOrderError::InvalidInput`] naming the malformed field (a
    /// command carrying any time outside
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE) is refused so,
    /// before any rule is checked), or [`WorkOrderError::Money`] when an
    /// amount overflows.
    pub fn decide(
        &self,
        command: &WorkOrderCommand,
        policy: &Policy,
    ) -> Result<Vec<WorkOrderEvent>, WorkOrderError> {
        decide::decide(self, command, policy)
    }

    /// [`decide`](WorkOrder::decide), then [`apply`](WorkOrder::apply) each
    /// event; returns the events for the DMS to store.
    ///
    /// # Errors
    ///
    /// As [`decide`](WorkOrder::decide); on error the order is unchanged.
    pub fn execute(
        &mut self,
        command: WorkOrderCommand,
        policy: &Policy,
    ) -> Result<Vec<WorkOrderEvent>, WorkOrderError> {
        let events = self.decide(&command, policy)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Records an event. Never fails: an event that names an item the order
    /// does not have (a log imported from another system) changes nothing
    /// for that item.
    pub fn apply(&mut self, event: &WorkOrderEvent) {
        use WorkOrderEvent as E;
        self.version = self.version.saturating_add(1);
        self.last_event_at = Some(event.at());
        match event {
            E::AppointmentBooked { appointment } => {
                self.appointment = Some(appointment.clone());
                self.state = OrderState::Appointment;
            }
            E::VehicleReceived { reception } => {
                self.reception = Some(reception.clone());
                self.state = OrderState::Reception;
            }
            E::RiskRecorded { risk } => self.risks.push(risk.clone()),
            E::RoadTestRecorded {
                at,
                presence,
                findings,
            } => self.road_tests.push(RoadTest {
                at: *at,
                presence: *presence,
                findings: findings.clone(),
            }),
            E::DiagnosisSheetSigned { at } => self.diagnosis_signed_at = Some(*at),
            E::ItemProposed { item, .. } => {
                self.items.push(item.clone());
                self.back_to_reception();
            }
            E::WorkshopBayConfirmed { bay } => {
                self.bay = Some(bay.clone());
                self.back_to_reception();
            }
            E::PartAvailabilityConfirmed {
                item,
                option,
                line,
                availability,
                ..
            } => {
                if let Some(LineKind::Part {
                    availability: a, ..
                }) = self.line_mut(*item, *option, *line).map(|l| &mut l.kind)
                {
                    *a = *availability;
                }
                self.back_to_reception();
            }
            E::EstimatePresented {
                at,
                promised_delivery,
            } => {
                self.estimate_presented_at = Some(*at);
                self.promised_delivery = Some(*promised_delivery);
                self.state = OrderState::Estimated;
            }
            E::OrderAuthorized {
                authorization,
                terms,
                choices,
                declined,
                deferred,
            } => {
                self.answer_items(authorization, choices, declined, deferred);
                self.authorizations.push(authorization.clone());
                self.terms = Some(terms.clone());
                self.state = OrderState::Authorized;
            }
            E::OrderDispatched {
                at,
                technician,
                team,
            } => {
                self.dispatch = Some(Dispatch {
                    at: *at,
                    technician: technician.clone(),
                    team: team.clone(),
                });
                self.state = OrderState::Dispatched;
            }
            E::ItemStarted {
                at,
                item,
                technician,
            } => {
                if let Some(i) = self.item_mut(*item) {
                    if let Some(by) = i.status.authorization() {
                        i.status = ItemStatus::InProgress {
                            by,
                            technician: technician.clone(),
                            started_at: *at,
                        };
                    }
                }
                self.work_started_at.get_or_insert(*at);
                if self.state == OrderState::Dispatched {
                    self.state = OrderState::InRepair;
                }
            }
            E::ItemCompleted {
                at,
                item,
                technician,
            } => {
                if let Some(i) = self.item_mut(*item) {
                    if let Some(by) = i.status.authorization() {
                        i.status = ItemStatus::Completed {
                            by,
                            technician: technician.clone(),
                            completed_at: *at,
                        };
                    }
                }
            }
            E::AddOnsProposed {
                at,
                batch,
                found_by,
                found_at,
                items,
            } => {
                self.items.extend(items.iter().cloned());
                self.add_on_batches.push(AddOnBatch {
                    batch: *batch,
                    proposed_at: *at,
                    found_by: found_by.clone(),
                    found_at: *found_at,
                    items: items.iter().map(|i| i.no).collect(),
                    answered_at: None,
                });
                self.state = OrderState::AwaitingAddOnAuthorization { batch: *batch };
            }
            E::AddOnsAnswered {
                batch,
                authorization,
                choices,
                declined,
                deferred,
            } => {
                self.answer_items(authorization, choices, declined, deferred);
                self.authorizations.push(authorization.clone());
                if let Some(b) = self.add_on_batches.iter_mut().find(|b| b.batch == *batch) {
                    b.answered_at = Some(authorization.at);
                }
                self.state = if self.work_started_at.is_some() {
                    OrderState::InRepair
                } else {
                    OrderState::Dispatched
                };
            }
            E::PartDelayed {
                at,
                item,
                line,
                expected_arrival,
            } => {
                if let Some(LineKind::Part { availability, .. }) =
                    self.line_mut(*item, None, *line).map(|l| &mut l.kind)
                {
                    *availability = PartAvailability::Expected {
                        arrival: *expected_arrival,
                    };
                }
                self.part_delays.push(PartDelay {
                    at: *at,
                    item: *item,
                    line: *line,
                    expected_arrival: *expected_arrival,
                });
            }
            E::PromiseRevised {
                at,
                previous,
                new_promise,
                reason,
                notice,
            } => {
                self.promised_delivery = Some(*new_promise);
                self.promise_revisions.push(PromiseRevision {
                    at: *at,
                    previous: *previous,
                    new_promise: *new_promise,
                    reason: reason.clone(),
                    notice: *notice,
                });
            }
            E::ProgressChecked { at, checkpoint } => self.progress_checks.push(ProgressCheck {
                at: *at,
                checkpoint: *checkpoint,
            }),
            E::UncorrectedProblemRecorded { problem } => {
                self.uncorrected_problems.push(problem.clone());
            }
            E::RepairFinished { at } => {
                self.repair_finished_at = Some(*at);
                self.state = OrderState::SelfCheck;
            }
            E::SelfCheckRecorded {
                at,
                technician,
                outcome,
                steps,
            } => self.record_check(*at, technician, QualityStage::SelfCheck, outcome, *steps),
            E::FinalCheckRecorded {
                at,
                inspector,
                outcome,
                steps,
            } => self.record_check(*at, inspector, QualityStage::FinalCheck, outcome, *steps),
            E::DeliveryPrepared { at, checklist } => {
                self.pre_delivery = Some(Recorded {
                    at: *at,
                    value: checklist.clone(),
                });
            }
            E::RepairClassified { scope, .. } => self.certificate_scope = Some(*scope),
            E::CompletionCertificateRecorded { certificate } => {
                self.completion_certificate = Some(certificate.clone());
            }
            E::PartsConsentRecorded { consent } => self.parts_consents.push(consent.clone()),
            E::OverrunConsented { consent } => self.overrun_consents.push(consent.clone()),
            E::OrderSettled { settlement } => self.settlement = Some(settlement.clone()),
            E::CourtesyCarHandedOver { at, checklist } => {
                self.courtesy_car = Some(Recorded {
                    at: *at,
                    value: *checklist,
                });
            }
            E::VehicleDelivered {
                at,
                checklist,
                part_warranties,
            } => {
                self.delivery = Some(DeliveryRecord {
                    at: *at,
                    checklist: checklist.clone(),
                    part_warranties: part_warranties.clone(),
                });
                self.state = OrderState::Delivered { at: *at };
            }
            E::OrderClosed { at, outcome } => {
                self.closed = Some(Recorded {
                    at: *at,
                    value: *outcome,
                });
                self.state = OrderState::Closed;
            }
            E::OrderCancelled {
                at,
                reason,
                stage,
                terms,
            } => {
                self.cancellation = Some(Cancellation {
                    at: *at,
                    reason: reason.clone(),
                    terms: terms.clone(),
                });
                self.state = OrderState::Cancelled { from: *stage };
            }
        }
    }

    /// A presented estimate that changes (an item, the bay, a part's
    /// availability) must be presented again.
    fn back_to_reception(&mut self) {
        if self.state == OrderState::Estimated {
            self.state = OrderState::Reception;
        }
    }

    fn answer_items(
        &mut self,
        authorization: &AuthorizationRecord,
        choices: &[(ItemNo, usize)],
        declined: &[ItemNo],
        deferred: &[ItemNo],
    ) {
        let at = authorization.at;
        for (no, option) in choices {
            if let Some(item) = self.item_mut(*no) {
                if let Some(chosen) = item.options.get(*option) {
                    item.lines = chosen.lines.clone();
                    item.chosen_option = Some(*option);
                }
            }
        }
        for no in &authorization.items {
            if let Some(item) = self.item_mut(*no) {
                item.status = ItemStatus::Authorized {
                    by: authorization.no,
                };
            }
        }
        for no in declined {
            if let Some(item) = self.item_mut(*no) {
                item.status = ItemStatus::Declined { at };
            }
        }
        for no in deferred {
            if let Some(item) = self.item_mut(*no) {
                item.status = ItemStatus::Deferred { at };
            }
        }
    }

    fn record_check(
        &mut self,
        at: DateTime<FixedOffset>,
        by: &crate::ids::StaffId,
        stage: QualityStage,
        outcome: &CheckOutcome,
        steps: Option<QualitySteps>,
    ) {
        self.quality_checks.push(QualityCheckRecord {
            at,
            by: by.clone(),
            stage,
            outcome: outcome.clone(),
            steps,
        });
        match outcome {
            CheckOutcome::Pass => {
                self.state = match stage {
                    QualityStage::SelfCheck => OrderState::QualityCheck,
                    QualityStage::FinalCheck => OrderState::ReadyForDelivery,
                };
            }
            CheckOutcome::Fail { rework, .. } => {
                for no in rework {
                    if let Some(item) = self.item_mut(*no) {
                        if let Some(by) = item.status.authorization() {
                            item.status = ItemStatus::Authorized { by };
                        }
                    }
                }
                if stage == QualityStage::FinalCheck {
                    self.rework_count = self.rework_count.saturating_add(1);
                }
                self.repair_finished_at = None;
                self.state = OrderState::InRepair;
            }
        }
    }

    fn item_index(no: ItemNo) -> Option<usize> {
        usize::from(no.0).checked_sub(1)
    }

    fn item_mut(&mut self, no: ItemNo) -> Option<&mut Item> {
        Self::item_index(no)
            .and_then(|i| self.items.get_mut(i))
            .filter(|item| item.no == no)
    }

    fn line_mut(
        &mut self,
        no: ItemNo,
        option: Option<usize>,
        line: usize,
    ) -> Option<&mut EstimateLine> {
        let item = self.item_mut(no)?;
        match option {
            None => item.lines.get_mut(line),
            Some(o) => item.options.get_mut(o)?.lines.get_mut(line),
        }
    }

    /// An item by number.
    pub fn item(&self, no: ItemNo) -> Option<&Item> {
        Self::item_index(no)
            .and_then(|i| self.items.get(i))
            .filter(|item| item.no == no)
    }

    /// The order number.
    pub fn no(&self) -> &WorkOrderNo {
        &self.no
    }

    /// The state, with its data.
    pub fn state(&self) -> &OrderState {
        &self.state
    }

    /// The bare stage.
    pub fn stage(&self) -> Stage {
        self.state.stage()
    }

    /// The appointment, if one was booked.
    pub fn appointment(&self) -> Option<&Appointment> {
        self.appointment.as_ref()
    }

    /// The reception record.
    pub fn reception(&self) -> Option<&Reception> {
        self.reception.as_ref()
    }

    /// Road tests made.
    pub fn road_tests(&self) -> &[RoadTest] {
        &self.road_tests
    }

    /// When the diagnosis sheet was signed.
    pub fn diagnosis_signed_at(&self) -> Option<DateTime<FixedOffset>> {
        self.diagnosis_signed_at
    }

    /// The confirmed bay.
    pub fn bay(&self) -> Option<&BayConfirmation> {
        self.bay.as_ref()
    }

    /// All items, in number order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// When the estimate was (last) presented.
    pub fn estimate_presented_at(&self) -> Option<DateTime<FixedOffset>> {
        self.estimate_presented_at
    }

    /// The current promised delivery time.
    pub fn promised_delivery(&self) -> Option<DateTime<FixedOffset>> {
        self.promised_delivery
    }

    /// The signed terms (WO-10).
    pub fn terms(&self) -> Option<&SignedTerms> {
        self.terms.as_ref()
    }

    /// Every authorization (EST-07), in order.
    pub fn authorizations(&self) -> &[AuthorizationRecord] {
        &self.authorizations
    }

    /// Add-on batches (WO-12).
    pub fn add_on_batches(&self) -> &[AddOnBatch] {
        &self.add_on_batches
    }

    /// The dispatch.
    pub fn dispatch(&self) -> Option<&Dispatch> {
        self.dispatch.as_ref()
    }

    /// When work on the first item started.
    pub fn work_started_at(&self) -> Option<DateTime<FixedOffset>> {
        self.work_started_at
    }

    /// Progress checks made (WO-15).
    pub fn progress_checks(&self) -> &[ProgressCheck] {
        &self.progress_checks
    }

    /// Part delays reported (WO-30).
    pub fn part_delays(&self) -> &[PartDelay] {
        &self.part_delays
    }

    /// Promise revisions (WO-16).
    pub fn promise_revisions(&self) -> &[PromiseRevision] {
        &self.promise_revisions
    }

    /// Problems found and not corrected (WO-18).
    pub fn uncorrected_problems(&self) -> &[UncorrectedProblem] {
        &self.uncorrected_problems
    }

    /// Self-checks and final checks (WO-17).
    pub fn quality_checks(&self) -> &[QualityCheckRecord] {
        &self.quality_checks
    }

    /// Failed final checks: internal reworks (WO-17).
    pub fn rework_count(&self) -> u32 {
        self.rework_count
    }

    /// The pre-delivery checklist (WO-19).
    pub fn pre_delivery(&self) -> Option<&Recorded<PreDeliveryChecklist>> {
        self.pre_delivery.as_ref()
    }

    /// The order's scope for the completion certificate, if stated
    /// (REG-03).
    pub fn certificate_scope(&self) -> Option<RepairCategory> {
        self.certificate_scope
    }

    /// The completion certificate, if recorded (REG-03).
    pub fn completion_certificate(&self) -> Option<&CompletionCertificate> {
        self.completion_certificate.as_ref()
    }

    /// Written consents to used or reconditioned parts (REG-04).
    pub fn parts_consents(&self) -> &[PartsConsent] {
        &self.parts_consents
    }

    /// Fresh consents to an overrun (REG-05, REG-06).
    pub fn overrun_consents(&self) -> &[OverrunConsent] {
        &self.overrun_consents
    }

    /// The settlement (WO-20).
    pub fn settlement(&self) -> Option<&Settlement> {
        self.settlement.as_ref()
    }

    /// The courtesy-car hand-over (WO-27).
    pub fn courtesy_car(&self) -> Option<&Recorded<CourtesyCarChecklist>> {
        self.courtesy_car.as_ref()
    }

    /// The delivery (WO-21).
    pub fn delivery(&self) -> Option<&DeliveryRecord> {
        self.delivery.as_ref()
    }

    /// The closing (WO-23).
    pub fn closed(&self) -> Option<&Recorded<FollowUpOutcome>> {
        self.closed.as_ref()
    }

    /// The cancellation (WO-28).
    pub fn cancellation(&self) -> Option<&Cancellation> {
        self.cancellation.as_ref()
    }

    /// Risks written on the order.
    pub fn risks(&self) -> &[Risk] {
        &self.risks
    }

    /// How many events were applied.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The parts warranty of each part line of the authorized items
    /// (EST-03), in item and line order: months by origin from `policy`,
    /// from the delivery date once delivered.
    ///
    /// A delivered order gives the warranties stated at its delivery, so a
    /// later change of policy does not change what the customer was told;
    /// an order delivered before they were recorded gets them from
    /// `policy`. A stored delivery whose local date cannot be represented
    /// (only possible far outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE), which
    /// [`decide`](WorkOrder::decide) refuses) gives warranties without a
    /// start date, as before delivery: they cover nothing.
    pub fn part_warranties(&self, policy: &Policy) -> Vec<PartWarranty> {
        match &self.delivery {
            Some(d) if !d.part_warranties.is_empty() => d.part_warranties.clone(),
            delivery => warranty::of_items(
                &self.items,
                &policy.estimate().part_warranty_months,
                delivery
                    .as_ref()
                    .and_then(|d| crate::time::own_local_date(d.at)),
            ),
        }
    }

    /// Totals by item status (WO-29, EST-05).
    ///
    /// # Errors
    ///
    /// [`MoneyError`] on overflow or a line in another currency.
    pub fn totals(&self, policy: &EstimatePolicy) -> Result<OrderTotals, MoneyError> {
        OrderTotals::of(&self.items, policy)
    }
}
