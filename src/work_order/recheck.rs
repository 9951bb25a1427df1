//! Rechecking a stored event log against the guards: [`recheck`] and
//! [`WorkOrderEvent::to_command`].
//!
//! [`WorkOrder::apply`] takes any event as a fact, so a log imported from
//! another system replays even when that system never ran the guards. To
//! find out which events the guards would have refused, each event is
//! turned back into the command that would have produced it and that
//! command goes through [`WorkOrder::decide`] on the order as it stood just
//! before the event.
//!
//! The module is private: [`WorkOrderEvent::to_command`] has the table of
//! events and commands, [`recheck`] how the walk groups events and what it
//! compares.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::ids::WorkOrderNo;
use crate::policy::Policy;
use crate::rule::RuleId;
use crate::work_order::command::{
    AnswerAddOns, AuthorizeOrder, ProposeAddOns, ReceiveVehicle, Settle, WorkOrderCommand,
};
use crate::work_order::estimate::{Item, ItemDraft};
use crate::work_order::event::WorkOrderEvent;
use crate::work_order::records::PaymentChoice;
use crate::work_order::{WorkOrder, WorkOrderError};

/// An event of a stored log that the guards would have refused.
///
/// Found by [`recheck`]. It serializes for a report; it does not
/// deserialize, since its event name is a `&'static str` taken from
/// [`WorkOrderEvent::name`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardBreach {
    /// The event's position in the log, from 0.
    pub index: usize,
    /// The event's name, as [`WorkOrderEvent::name`] gives it.
    pub event: &'static str,
    /// When the event happened. Every event kind of this crate carries a
    /// time, so this is always `Some` today.
    pub at: Option<DateTime<FixedOffset>>,
    /// The rule the command breaks; `None` when `decide` refused the
    /// command as malformed instead (a time before the previous event, an
    /// item the order does not have, an item started twice …): the message
    /// names the field.
    pub rule: Option<RuleId>,
    /// The refusal in words: the [`WorkOrderError`]'s `Display`.
    pub message: String,
}

impl GuardBreach {
    fn new(index: usize, event: &WorkOrderEvent, error: &WorkOrderError) -> Self {
        GuardBreach {
            index,
            event: event.name(),
            at: Some(event.at()),
            rule: error.rule(),
            message: error.to_string(),
        }
    }
}

impl WorkOrderEvent {
    /// The command that produces this event: the same data, so that
    /// [`WorkOrder::decide`] on the order just before the event, if it
    /// accepts, returns this event first (followed by any risks the guards
    /// write, see [`recheck`]). `None` for [`WorkOrderEvent::RiskRecorded`],
    /// which no command produces on its own.
    ///
    /// Values the guards derive are not carried over but worked out again
    /// by `decide`: the item and batch numbers, the authorization number,
    /// the previous promise and the notice timing of a revision, the
    /// overrun of a settlement, the stage of a cancellation, the part
    /// warranties stated at delivery.
    ///
    /// | Event | Command |
    /// |---|---|
    /// | `AppointmentBooked` | `BookAppointment` |
    /// | `VehicleReceived` | `ReceiveVehicle` |
    /// | `RiskRecorded` | none |
    /// | `RoadTestRecorded` | `RecordRoadTest` |
    /// | `DiagnosisSheetSigned` | `SignDiagnosisSheet` |
    /// | `ItemProposed` | `ProposeItem`, the item back as a draft |
    /// | `WorkshopBayConfirmed` | `ConfirmWorkshopBay` |
    /// | `PartAvailabilityConfirmed` | `ConfirmPartAvailability` |
    /// | `EstimatePresented` | `PresentEstimate` |
    /// | `OrderAuthorized` | `AuthorizeOrder`, with the recorded contact phone |
    /// | `OrderDispatched` | `Dispatch` |
    /// | `ItemStarted` | `StartItem` |
    /// | `ItemCompleted` | `CompleteItem` |
    /// | `AddOnsProposed` | `ProposeAddOns`, the items back as drafts; an inspection time not recorded is the presentation time |
    /// | `AddOnsAnswered` | `AnswerAddOns` |
    /// | `PartDelayed` | `ReportPartDelay` |
    /// | `PromiseRevised` | `RevisePromise` |
    /// | `ProgressChecked` | `RecordProgressCheck` |
    /// | `UncorrectedProblemRecorded` | `RecordUncorrectedProblem` |
    /// | `RepairFinished` | `FinishRepair` |
    /// | `SelfCheckRecorded` | `RecordSelfCheck` |
    /// | `FinalCheckRecorded` | `RecordFinalCheck` |
    /// | `DeliveryPrepared` | `PrepareDelivery` |
    /// | `RepairClassified` | `ClassifyRepair` |
    /// | `CompletionCertificateRecorded` | `RecordCompletionCertificate` |
    /// | `PartsConsentRecorded` | `RecordPartsConsent` |
    /// | `OverrunConsented` | `ConsentToOverrun` |
    /// | `OrderSettled` | `Settle`, the payment as `ChangedByCustomer` |
    /// | `CourtesyCarHandedOver` | `HandOverCourtesyCar` |
    /// | `VehicleDelivered` | `Deliver` |
    /// | `OrderClosed` | `Close` |
    /// | `OrderCancelled` | `Cancel` |
    ///
    /// A settlement keeps the method paid, not whether it was the agreed
    /// one, so its command names the method
    /// ([`PaymentChoice::ChangedByCustomer`]): that reproduces the event
    /// whenever `PaymentChoice::AsAgreed` would have.
    ///
    /// ```
    /// use aftersales::{StaffId, WorkOrderCommand, WorkOrderEvent};
    /// use chrono::DateTime;
    ///
    /// let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
    /// let technician = StaffId::try_new("T-12")?;
    /// let event = WorkOrderEvent::OrderDispatched { at, technician: technician.clone(), team: None };
    /// assert_eq!(
    ///     event.to_command(),
    ///     Some(WorkOrderCommand::Dispatch { at, technician, team: None })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_command(&self) -> Option<WorkOrderCommand> {
        use WorkOrderCommand as C;
        use WorkOrderEvent as E;
        let command = match self {
            E::AppointmentBooked { appointment } => C::BookAppointment {
                at: appointment.booked_at,
                slot: appointment.slot,
                advisor: appointment.advisor.clone(),
                agreements: appointment.agreements.clone(),
            },
            E::VehicleReceived { reception } => C::ReceiveVehicle(ReceiveVehicle {
                at: reception.at,
                advisor: reception.advisor.clone(),
                customer: reception.customer.clone(),
                vehicle: reception.vehicle.clone(),
                requests: reception.requests.clone(),
                walk_around: reception.walk_around.clone(),
                documents_present: reception.documents_present.clone(),
                covers_fitted: reception.covers_fitted.clone(),
                comeback_of: reception.comeback_of.clone(),
            }),
            E::RiskRecorded { .. } => return None,
            E::RoadTestRecorded {
                at,
                presence,
                findings,
            } => C::RecordRoadTest {
                at: *at,
                presence: *presence,
                findings: findings.clone(),
            },
            E::DiagnosisSheetSigned { at } => C::SignDiagnosisSheet { at: *at },
            E::ItemProposed { at, item } => C::ProposeItem {
                at: *at,
                item: draft_of(item),
            },
            E::WorkshopBayConfirmed { bay } => C::ConfirmWorkshopBay {
                at: bay.at,
                bay: bay.bay.clone(),
                available_from: bay.available_from,
            },
            E::PartAvailabilityConfirmed {
                at,
                item,
                option,
                line,
                availability,
            } => C::ConfirmPartAvailability {
                at: *at,
                item: *item,
                option: *option,
                line: *line,
                availability: *availability,
            },
            E::EstimatePresented {
                at,
                promised_delivery,
            } => C::PresentEstimate {
                at: *at,
                promised_delivery: *promised_delivery,
            },
            E::OrderAuthorized {
                authorization,
                terms,
                choices,
                declined,
                deferred,
            } => C::AuthorizeOrder(AuthorizeOrder {
                at: authorization.at,
                signer: authorization.by.clone(),
                method: authorization.method,
                recorded_by: authorization.recorded_by.clone(),
                authorized: authorization.items.clone(),
                declined: declined.clone(),
                deferred: deferred.clone(),
                choices: choices.clone(),
                estimated_total: terms.estimated_total,
                price_limit: terms.price_limit,
                pickup: terms.pickup,
                payment: terms.payment,
                contact_phone: Some(terms.contact_phone.clone()),
            }),
            E::OrderDispatched {
                at,
                technician,
                team,
            } => C::Dispatch {
                at: *at,
                technician: technician.clone(),
                team: team.clone(),
            },
            E::ItemStarted {
                at,
                item,
                technician,
            } => C::StartItem {
                at: *at,
                item: *item,
                technician: technician.clone(),
            },
            E::ItemCompleted {
                at,
                item,
                technician,
            } => C::CompleteItem {
                at: *at,
                item: *item,
                technician: technician.clone(),
            },
            E::AddOnsProposed {
                at,
                found_by,
                found_at,
                items,
                ..
            } => C::ProposeAddOns(ProposeAddOns {
                at: *at,
                found_by: found_by.clone(),
                // Not recorded: the batch is its own inspection, found when
                // presented.
                found_at: found_at.unwrap_or(*at),
                items: items.iter().map(draft_of).collect(),
            }),
            E::AddOnsAnswered {
                batch,
                authorization,
                choices,
                declined,
                deferred,
            } => C::AnswerAddOns(AnswerAddOns {
                at: authorization.at,
                batch: *batch,
                by: authorization.by.clone(),
                method: authorization.method,
                recorded_by: authorization.recorded_by.clone(),
                authorized: authorization.items.clone(),
                declined: declined.clone(),
                deferred: deferred.clone(),
                choices: choices.clone(),
                amount: authorization.amount,
            }),
            E::PartDelayed {
                at,
                item,
                line,
                expected_arrival,
            } => C::ReportPartDelay {
                at: *at,
                item: *item,
                line: *line,
                expected_arrival: *expected_arrival,
            },
            E::PromiseRevised {
                at,
                new_promise,
                reason,
                ..
            } => C::RevisePromise {
                at: *at,
                new_promise: *new_promise,
                reason: reason.clone(),
            },
            E::ProgressChecked { at, checkpoint } => C::RecordProgressCheck {
                at: *at,
                checkpoint: *checkpoint,
            },
            E::UncorrectedProblemRecorded { problem } => C::RecordUncorrectedProblem {
                at: problem.at,
                description: problem.description.clone(),
                safety: problem.safety,
            },
            E::RepairFinished { at } => C::FinishRepair { at: *at },
            E::SelfCheckRecorded {
                at,
                technician,
                outcome,
                steps,
            } => C::RecordSelfCheck {
                at: *at,
                technician: technician.clone(),
                outcome: outcome.clone(),
                steps: *steps,
            },
            E::FinalCheckRecorded {
                at,
                inspector,
                outcome,
                steps,
            } => C::RecordFinalCheck {
                at: *at,
                inspector: inspector.clone(),
                outcome: outcome.clone(),
                steps: *steps,
            },
            E::DeliveryPrepared { at, checklist } => C::PrepareDelivery {
                at: *at,
                checklist: checklist.clone(),
            },
            E::RepairClassified { at, scope } => C::ClassifyRepair {
                at: *at,
                scope: *scope,
            },
            E::CompletionCertificateRecorded { certificate } => C::RecordCompletionCertificate {
                certificate: certificate.clone(),
            },
            E::PartsConsentRecorded { consent } => C::RecordPartsConsent {
                consent: consent.clone(),
            },
            E::OverrunConsented { consent } => C::ConsentToOverrun {
                consent: consent.clone(),
            },
            E::OrderSettled { settlement } => C::Settle(Settle {
                at: settlement.at,
                invoice: settlement.invoice,
                payment: PaymentChoice::ChangedByCustomer(settlement.payment),
            }),
            E::CourtesyCarHandedOver { at, checklist } => C::HandOverCourtesyCar {
                at: *at,
                checklist: *checklist,
            },
            E::VehicleDelivered { at, checklist, .. } => C::Deliver {
                at: *at,
                checklist: checklist.clone(),
            },
            E::OrderClosed { at, outcome } => C::Close {
                at: *at,
                outcome: *outcome,
            },
            E::OrderCancelled {
                at, reason, terms, ..
            } => C::Cancel {
                at: *at,
                reason: reason.clone(),
                terms: terms.clone(),
            },
        };
        Some(command)
    }
}

/// The draft an item was proposed from: what the guards numbered and
/// stamped with its origin and status is left out.
fn draft_of(item: &Item) -> ItemDraft {
    ItemDraft {
        title: item.title.clone(),
        category: item.category,
        priority: item.priority,
        lines: item.lines.clone(),
        options: item.options.clone(),
    }
}

/// Every event of `events` that the guards would have refused, in log
/// order: the check for logs imported from a system without the guards.
///
/// The log is walked from a new order numbered `no`. Before each event its
/// command ([`WorkOrderEvent::to_command`]) goes through
/// [`WorkOrder::decide`] with `policy` on the order built so far; a refusal
/// becomes a [`GuardBreach`]. Then the logged event is applied as it is,
/// whether or not it was refused, so one breach does not hide the next and
/// the walk always reaches the end.
///
/// # Groups: an event and the risks after it
///
/// Several commands return more than one event: the event that names the
/// action, then [`WorkOrderEvent::RiskRecorded`] events the guards write
/// instead of refusing (`ReceiveVehicle` for WO-01, WO-03 and WO-04;
/// `ProposeItem` and `ProposeAddOns` for EST-03; `AuthorizeOrder` and
/// `AnswerAddOns` for WO-13; `ReportPartDelay` for WO-30; `RevisePromise`
/// for WO-16; `Deliver` for WO-18). The action's event always comes first,
/// so a stored log is a run of groups: one event with a command, then zero
/// or more risks. The walk checks the first event of each group; a risk is
/// a note the guards derived, not an action anyone asked for, so it is
/// applied without a check.
///
/// # What is compared
///
/// Only whether `decide` accepts. When it accepts but returns other events
/// than the log holds (another item number, a risk more or fewer, another
/// overrun), that is a difference in derived values, not a refused action:
/// nothing is reported. The walk always applies the logged events, never
/// the decided ones, so the order it walks is the order the log replays
/// to.
///
/// # Inconsistent logs
///
/// Any log is taken, however inconsistent (events out of order, repeated,
/// without a reception); the function never panics and reports at most one
/// breach per event. A refusal that names no rule (an event dated before
/// the one logged before it, an item the order does not have) is reported
/// with `rule: None`.
///
/// ```
/// use aftersales::{Policy, RuleId, StaffId, WorkOrderEvent, WorkOrderNo, recheck};
/// use chrono::DateTime;
///
/// let no = WorkOrderNo::try_new("WO-17")?;
/// let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
/// let technician = StaffId::try_new("T-12")?;
/// // Imported from a system that dispatched without the customer's signature.
/// let log = vec![
///     WorkOrderEvent::OrderDispatched { at, technician: technician.clone(), team: None },
///     WorkOrderEvent::OrderDispatched { at, technician, team: None },
/// ];
/// let breaches = recheck(&no, &log, &Policy::default());
/// assert_eq!(breaches.len(), 2);
/// assert_eq!(breaches[0].index, 0);
/// assert_eq!(breaches[0].event, "order_dispatched");
/// assert_eq!(breaches[0].rule, Some(RuleId::Wo10));
/// assert_eq!(
///     breaches[0].message,
///     "work order `WO-17` cannot be dispatched: not authorized by the customer (WO-10)"
/// );
/// // The second dispatch is refused too: the order is dispatched once.
/// assert_eq!(breaches[1].index, 1);
/// assert_eq!(breaches[1].rule, Some(RuleId::Wo10));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn recheck(no: &WorkOrderNo, events: &[WorkOrderEvent], policy: &Policy) -> Vec<GuardBreach> {
    let mut order = WorkOrder::new(no.clone());
    let mut breaches = Vec::new();
    for (index, event) in events.iter().enumerate() {
        if let Some(command) = event.to_command() {
            if let Err(error) = order.decide(&command, policy) {
                breaches.push(GuardBreach::new(index, event, &error));
            }
        }
        order.apply(event);
    }
    breaches
}
