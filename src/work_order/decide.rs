//! The guards: one function per command, each returning the events or the
//! rule it breaks.

use chrono::{DateTime, FixedOffset};

use crate::money::{Money, MoneyError};
use crate::policy::{Enforcement, Policy};
use crate::regulation::{OverrunConsent, PartsConsent};
use crate::rule::RuleId;
use crate::work_order::command::{
    Action, AnswerAddOns, AuthorizeOrder, ProposeAddOns, ReceiveVehicle, Settle, WorkOrderCommand,
};
use crate::work_order::estimate::{
    AuthorizationNo, EstimateLine, Item, ItemDraft, ItemNo, ItemOrigin, ItemStatus, LineKind,
    LineProblem, PartAvailability, Totals, check_lines,
};
use crate::work_order::event::WorkOrderEvent as E;
use crate::work_order::records::AuthorizationMethod;
use crate::work_order::records::{
    Appointment, AuthorizationRecord, BayConfirmation, CancellationTerms, Check, CheckOutcome,
    ManufacturerWarranty, NoticeTiming, OldParts, PaymentChoice, Presence, ProtectiveCover,
    QualityStep, QualitySteps, Reception, Risk, Safety, Settlement, SignedTerms, SymptomCondition,
    UncorrectedProblem, WorkExplanation,
};
use crate::work_order::state::{OrderState, Stage};
use crate::work_order::{WorkOrder, WorkOrderError};

type Decision = Result<Vec<E>, WorkOrderError>;
type At = DateTime<FixedOffset>;

/// The context of one decision: the order, the policy and the action, so
/// errors can be built in one line.
struct Ctx<'a> {
    order: &'a WorkOrder,
    policy: &'a Policy,
    action: Action,
}

impl Ctx<'_> {
    fn reject(&self, rule: RuleId, reason: impl Into<String>) -> WorkOrderError {
        WorkOrderError::Rejected {
            order: self.order.no.clone(),
            action: self.action,
            rule,
            reason: reason.into(),
        }
    }

    fn invalid(&self, field: &'static str, reason: impl Into<String>) -> WorkOrderError {
        WorkOrderError::InvalidInput {
            order: self.order.no.clone(),
            action: self.action,
            field,
            reason: reason.into(),
        }
    }

    fn money(&self, source: MoneyError) -> WorkOrderError {
        WorkOrderError::Money {
            order: self.order.no.clone(),
            action: self.action,
            source,
        }
    }

    fn stage(&self) -> Stage {
        self.order.stage()
    }

    fn in_stage(&self, allowed: &[Stage], rule: RuleId, why: &str) -> Result<(), WorkOrderError> {
        if allowed.contains(&self.stage()) {
            Ok(())
        } else {
            Err(self.reject(rule, format!("{why} (the order is {})", self.stage())))
        }
    }

    fn text(&self, field: &'static str, value: &str) -> Result<(), WorkOrderError> {
        if value.trim().is_empty() {
            Err(self.invalid(field, "must not be empty"))
        } else if let Some(reason) = crate::text::bounded(value) {
            Err(self.invalid(field, reason))
        } else {
            Ok(())
        }
    }

    fn amount(&self, field: &'static str, amount: Money) -> Result<(), WorkOrderError> {
        let expected = self.policy.estimate().currency;
        if amount.currency() != expected {
            return Err(self.invalid(
                field,
                format!("`{amount}` is not in the policy currency `{expected}`"),
            ));
        }
        if amount.is_negative() {
            return Err(self.invalid(field, format!("`{amount}` must not be negative")));
        }
        let scale = self.policy.estimate().rounding_scale;
        if amount.amount().normalize().scale() > scale {
            return Err(self.invalid(
                field,
                format!("`{amount}` has more than {scale} decimal places (EST-01)"),
            ));
        }
        Ok(())
    }

    fn item(&self, field: &'static str, no: ItemNo) -> Result<&Item, WorkOrderError> {
        self.order
            .item(no)
            .ok_or_else(|| self.invalid(field, format!("item {no} is not on the order")))
    }

    fn totals<'l, I>(&self, lines: I) -> Result<Totals, WorkOrderError>
    where
        I: IntoIterator<Item = &'l EstimateLine>,
    {
        Totals::of(lines, self.policy.estimate()).map_err(|e| self.money(e))
    }

    fn risk(&self, at: At, rule: RuleId, description: impl Into<String>) -> E {
        E::RiskRecorded {
            risk: Risk {
                at,
                rule,
                description: description.into(),
            },
        }
    }
}

pub(super) fn decide(order: &WorkOrder, command: &WorkOrderCommand, policy: &Policy) -> Decision {
    let cx = Ctx {
        order,
        policy,
        action: command.action(),
    };
    // Before any rule: every time the command carries is inside the
    // supported range, so no local date read below can fail.
    command
        .check_times()
        .map_err(|e| cx.invalid(e.field, e.to_string()))?;
    match cx.stage() {
        Stage::Closed => return Err(cx.reject(RuleId::Wo23, "the order is closed")),
        Stage::Cancelled => return Err(cx.reject(RuleId::Wo28, "the order is cancelled")),
        _ => {}
    }
    let at = command.at();
    if let Some(last) = order.last_event_at {
        if at < last {
            return Err(cx.invalid(
                "at",
                format!("`{at}` is before the order's last recorded event at `{last}`"),
            ));
        }
    }
    use WorkOrderCommand as C;
    match command {
        C::BookAppointment {
            at,
            slot,
            advisor,
            agreements,
        } => {
            cx.in_stage(
                &[Stage::New],
                RuleId::Wo07,
                "an appointment is booked before the vehicle arrives",
            )?;
            if slot < at {
                return Err(cx.invalid(
                    "slot",
                    format!("`{slot}` is before the booking time `{at}`"),
                ));
            }
            Ok(vec![E::AppointmentBooked {
                appointment: Appointment {
                    booked_at: *at,
                    slot: *slot,
                    advisor: advisor.clone(),
                    agreements: agreements.clone(),
                },
            }])
        }
        C::ReceiveVehicle(c) => receive(&cx, c),
        C::RecordRoadTest {
            at,
            presence,
            findings,
        } => {
            cx.in_stage(
                &[
                    Stage::Reception,
                    Stage::Estimated,
                    Stage::InRepair,
                    Stage::QualityCheck,
                ],
                RuleId::Wo05,
                "a road test is made at reception, during repair or at the final check",
            )?;
            Ok(vec![E::RoadTestRecorded {
                at: *at,
                presence: *presence,
                findings: findings.clone(),
            }])
        }
        C::SignDiagnosisSheet { at } => {
            cx.in_stage(
                &[Stage::Reception],
                RuleId::Wo06,
                "the diagnosis sheet is signed at reception",
            )?;
            if order.diagnosis_signed_at.is_some() {
                return Err(cx.reject(RuleId::Wo06, "the diagnosis sheet is already signed"));
            }
            Ok(vec![E::DiagnosisSheetSigned { at: *at }])
        }
        C::ProposeItem { at, item } => {
            if order.terms.is_some() {
                return Err(cx.reject(
                    RuleId::Wo11,
                    "the order is authorized; work found now is an add-on item",
                ));
            }
            cx.in_stage(
                &[Stage::Reception, Stage::Estimated],
                RuleId::Wo01,
                "items are proposed after reception",
            )?;
            check_draft(&cx, item)?;
            let no = next_item_no(&cx, 1)?;
            let mut events = vec![E::ItemProposed {
                at: *at,
                item: Item::from_draft(no, ItemOrigin::Original, item.clone()),
            }];
            events.extend(aftermarket_flags(&cx, *at, no, item));
            Ok(events)
        }
        C::ConfirmWorkshopBay {
            at,
            bay,
            available_from,
        } => {
            cx.in_stage(
                &[Stage::Reception, Stage::Estimated],
                RuleId::Wo08,
                "the bay is confirmed before the estimate",
            )?;
            cx.text("bay", bay)?;
            Ok(vec![E::WorkshopBayConfirmed {
                bay: BayConfirmation {
                    at: *at,
                    bay: bay.clone(),
                    available_from: *available_from,
                },
            }])
        }
        C::ConfirmPartAvailability {
            at,
            item,
            option,
            line,
            availability,
        } => {
            let it = cx.item("item", *item)?;
            let open_add_on = matches!(cx.stage(), Stage::AwaitingAddOnAuthorization)
                && it.status == ItemStatus::Recommended;
            if !(matches!(cx.stage(), Stage::Reception | Stage::Estimated) || open_add_on) {
                return Err(cx.reject(
                    RuleId::Wo30,
                    format!(
                        "parts are confirmed before the customer answers (the order is {}); a later change is a part delay",
                        cx.stage()
                    ),
                ));
            }
            let lines = match option {
                None => &it.lines,
                Some(o) => {
                    &it.options
                        .get(*o)
                        .ok_or_else(|| {
                            cx.invalid("option", format!("item {item} has no option {o}"))
                        })?
                        .lines
                }
            };
            match lines.get(*line).map(|l| &l.kind) {
                Some(LineKind::Part { .. }) => {}
                _ => {
                    return Err(cx.invalid(
                        "line",
                        format!("line {line} of item {item} is not a part line"),
                    ));
                }
            }
            if *availability == PartAvailability::Unconfirmed {
                return Err(cx.invalid(
                    "availability",
                    "confirming needs an answer: in stock or expected",
                ));
            }
            Ok(vec![E::PartAvailabilityConfirmed {
                at: *at,
                item: *item,
                option: *option,
                line: *line,
                availability: *availability,
            }])
        }
        C::PresentEstimate {
            at,
            promised_delivery,
        } => present_estimate(&cx, *at, *promised_delivery),
        C::AuthorizeOrder(c) => authorize(&cx, c),
        C::Dispatch {
            at,
            technician,
            team,
        } => {
            if cx.stage() < Stage::Authorized {
                return Err(cx.reject(RuleId::Wo10, "not authorized by the customer"));
            }
            cx.in_stage(
                &[Stage::Authorized],
                RuleId::Wo10,
                "the order is dispatched once",
            )?;
            Ok(vec![E::OrderDispatched {
                at: *at,
                technician: technician.clone(),
                team: team.clone(),
            }])
        }
        C::StartItem {
            at,
            item,
            technician,
        } => {
            if cx.stage() < Stage::Dispatched {
                return Err(cx.reject(RuleId::Wo10, "work starts after authorization and dispatch"));
            }
            cx.in_stage(
                &[
                    Stage::Dispatched,
                    Stage::InRepair,
                    Stage::AwaitingAddOnAuthorization,
                ],
                RuleId::Wo14,
                "work is started during repair",
            )?;
            let it = cx.item("item", *item)?;
            match &it.status {
                ItemStatus::Authorized { by } => {
                    let recorded = order
                        .authorizations
                        .iter()
                        .find(|a| a.no == *by)
                        .map(|a| a.at);
                    if recorded.is_none_or(|r| r > *at) {
                        return Err(cx.reject(
                            RuleId::Est07,
                            format!("item {item} has no authorization recorded before `{at}`"),
                        ));
                    }
                }
                ItemStatus::Recommended => {
                    return Err(cx.reject(
                        RuleId::Wo11,
                        format!(
                            "item {item} `{}` is not authorized by the customer",
                            it.title
                        ),
                    ));
                }
                ItemStatus::Declined { .. } | ItemStatus::Deferred { .. } => {
                    return Err(cx.reject(
                        RuleId::Wo13,
                        format!(
                            "item {item} `{}` was declined or deferred and is never worked",
                            it.title
                        ),
                    ));
                }
                ItemStatus::InProgress { .. } => {
                    return Err(cx.invalid("item", format!("item {item} is already in progress")));
                }
                ItemStatus::Completed { .. } => {
                    return Err(cx.invalid("item", format!("item {item} is already completed")));
                }
            }
            Ok(vec![E::ItemStarted {
                at: *at,
                item: *item,
                technician: technician.clone(),
            }])
        }
        C::CompleteItem {
            at,
            item,
            technician,
        } => {
            cx.in_stage(
                &[Stage::InRepair, Stage::AwaitingAddOnAuthorization],
                RuleId::Wo14,
                "items are completed during repair",
            )?;
            let it = cx.item("item", *item)?;
            match &it.status {
                ItemStatus::InProgress { .. } => {}
                ItemStatus::Completed { .. } => {
                    return Err(cx.invalid("item", format!("item {item} is already completed")));
                }
                ItemStatus::Recommended => {
                    return Err(cx.reject(
                        RuleId::Wo11,
                        format!("item {item} is not authorized by the customer"),
                    ));
                }
                ItemStatus::Declined { .. } | ItemStatus::Deferred { .. } => {
                    return Err(cx.reject(
                        RuleId::Wo13,
                        format!("item {item} was declined or deferred"),
                    ));
                }
                ItemStatus::Authorized { .. } => {
                    return Err(cx.reject(
                        RuleId::Wo14,
                        format!("work on item {item} was never started"),
                    ));
                }
            }
            Ok(vec![E::ItemCompleted {
                at: *at,
                item: *item,
                technician: technician.clone(),
            }])
        }
        C::ProposeAddOns(c) => propose_add_ons(&cx, c),
        C::AnswerAddOns(c) => answer_add_ons(&cx, c),
        C::ReportPartDelay {
            at,
            item,
            line,
            expected_arrival,
        } => {
            cx.in_stage(
                &[
                    Stage::Authorized,
                    Stage::Dispatched,
                    Stage::InRepair,
                    Stage::AwaitingAddOnAuthorization,
                ],
                RuleId::Wo30,
                "part delays are reported between authorization and the end of repair",
            )?;
            let it = cx.item("item", *item)?;
            if it.status.is_declined_or_deferred() {
                return Err(cx.reject(
                    RuleId::Wo13,
                    format!("item {item} was declined or deferred; its parts are not needed"),
                ));
            }
            match it.lines.get(*line).map(|l| &l.kind) {
                Some(LineKind::Part { .. }) => {}
                _ => {
                    return Err(cx.invalid(
                        "line",
                        format!("line {line} of item {item} is not a part line"),
                    ));
                }
            }
            let mut events = vec![E::PartDelayed {
                at: *at,
                item: *item,
                line: *line,
                expected_arrival: *expected_arrival,
            }];
            if order
                .promised_delivery
                .is_some_and(|p| *expected_arrival > p)
            {
                events.push(cx.risk(
                    *at,
                    RuleId::Wo30,
                    format!(
                        "part for item {item} expected `{expected_arrival}`, after the promised delivery; the customer must be told a new time (WO-16)"
                    ),
                ));
            }
            Ok(events)
        }
        C::RevisePromise {
            at,
            new_promise,
            reason,
        } => {
            cx.in_stage(
                &[
                    Stage::Estimated,
                    Stage::Authorized,
                    Stage::Dispatched,
                    Stage::InRepair,
                    Stage::AwaitingAddOnAuthorization,
                    Stage::SelfCheck,
                    Stage::QualityCheck,
                    Stage::ReadyForDelivery,
                ],
                RuleId::Wo16,
                "a promise is revised between the estimate and delivery",
            )?;
            cx.text("reason", reason)?;
            let previous = order
                .promised_delivery
                .ok_or_else(|| cx.reject(RuleId::Wo09, "no delivery time was promised"))?;
            if new_promise <= at {
                return Err(cx.invalid(
                    "new_promise",
                    format!("`{new_promise}` is not after `{at}`"),
                ));
            }
            if let Some(latest) = latest_part_arrival(
                order
                    .items
                    .iter()
                    .filter(|i| !i.status.is_declined_or_deferred())
                    .flat_map(|i| i.lines.iter()),
            ) {
                if *new_promise < latest {
                    return Err(cx.reject(
                        RuleId::Wo30,
                        format!("the new time `{new_promise}` is before the latest part arrival `{latest}`"),
                    ));
                }
            }
            let notice = if *at < previous {
                NoticeTiming::BeforePromise
            } else {
                NoticeTiming::AfterPromise
            };
            let mut events = vec![E::PromiseRevised {
                at: *at,
                previous,
                new_promise: *new_promise,
                reason: reason.clone(),
                notice,
            }];
            if notice == NoticeTiming::AfterPromise {
                events.push(cx.risk(
                    *at,
                    RuleId::Wo16,
                    format!("the customer was told of the delay only after the promised time `{previous}`"),
                ));
            }
            Ok(events)
        }
        C::RecordProgressCheck { at, checkpoint } => {
            cx.in_stage(
                &[Stage::InRepair, Stage::AwaitingAddOnAuthorization],
                RuleId::Wo15,
                "progress is checked while work is under way",
            )?;
            if order
                .progress_checks
                .iter()
                .any(|p| p.checkpoint == *checkpoint)
            {
                return Err(cx.invalid("checkpoint", format!("{checkpoint} is already recorded")));
            }
            Ok(vec![E::ProgressChecked {
                at: *at,
                checkpoint: *checkpoint,
            }])
        }
        C::RecordUncorrectedProblem {
            at,
            description,
            safety,
        } => {
            if matches!(cx.stage(), Stage::New | Stage::Appointment)
                || cx.stage() >= Stage::Delivered
            {
                return Err(cx.reject(
                    RuleId::Wo18,
                    format!("problems are written on the order between reception and delivery (the order is {})", cx.stage()),
                ));
            }
            cx.text("description", description)?;
            Ok(vec![E::UncorrectedProblemRecorded {
                problem: UncorrectedProblem {
                    at: *at,
                    description: description.clone(),
                    safety: *safety,
                },
            }])
        }
        C::FinishRepair { at } => {
            if let OrderState::AwaitingAddOnAuthorization { batch } = order.state {
                return Err(cx.reject(
                    RuleId::Wo11,
                    format!("add-on batch {batch} still awaits the customer's answer"),
                ));
            }
            cx.in_stage(
                &[Stage::InRepair],
                RuleId::Wo14,
                "the repair is finished after work started",
            )?;
            let open: Vec<String> = order
                .items
                .iter()
                .filter(|i| {
                    matches!(
                        i.status,
                        ItemStatus::Authorized { .. } | ItemStatus::InProgress { .. }
                    )
                })
                .map(|i| i.no.to_string())
                .collect();
            if !open.is_empty() {
                return Err(cx.reject(
                    RuleId::Wo14,
                    format!(
                        "authorized {} neither completed nor declined",
                        items_are(&open)
                    ),
                ));
            }
            Ok(vec![E::RepairFinished { at: *at }])
        }
        C::RecordSelfCheck {
            at,
            technician,
            outcome,
            steps,
        } => {
            cx.in_stage(
                &[Stage::SelfCheck],
                RuleId::Wo17,
                "the self-check follows the finished repair",
            )?;
            check_outcome(&cx, outcome)?;
            check_steps(&cx, outcome, steps.as_ref())?;
            Ok(vec![E::SelfCheckRecorded {
                at: *at,
                technician: technician.clone(),
                outcome: outcome.clone(),
                steps: *steps,
            }])
        }
        C::RecordFinalCheck {
            at,
            inspector,
            outcome,
            steps,
        } => {
            if cx.stage() == Stage::SelfCheck || cx.stage() < Stage::SelfCheck {
                return Err(cx.reject(
                    RuleId::Wo17,
                    format!(
                        "the technician's self-check comes first (the order is {})",
                        cx.stage()
                    ),
                ));
            }
            cx.in_stage(
                &[Stage::QualityCheck],
                RuleId::Wo17,
                "the final check is made once, after the self-check",
            )?;
            check_outcome(&cx, outcome)?;
            check_steps(&cx, outcome, steps.as_ref())?;
            Ok(vec![E::FinalCheckRecorded {
                at: *at,
                inspector: inspector.clone(),
                outcome: outcome.clone(),
                steps: *steps,
            }])
        }
        C::PrepareDelivery { at, checklist } => {
            if order.settlement.is_some() {
                return Err(cx.invalid(
                    "checklist",
                    "the order is settled; the pre-delivery checklist it was settled on stays",
                ));
            }
            cx.in_stage(
                &[Stage::ReadyForDelivery],
                RuleId::Wo17,
                "delivery is prepared after the final check is passed",
            )?;
            let mut missing = Vec::new();
            if !checklist.cleaned.is_done() {
                missing.push("vehicle cleaned");
            }
            if checklist
                .parking_position
                .as_deref()
                .is_none_or(|p| p.trim().is_empty())
            {
                missing.push("parking position recorded");
            }
            if checklist.old_parts == OldParts::NotHandled && parts_replaced(order) {
                missing.push("replaced parts kept for the customer");
            }
            if !checklist.settlement_statement.is_done() {
                missing.push("settlement statement prepared");
            }
            if checklist.advisor_signature.is_none() {
                missing.push("advisor's final inspection and signature");
            }
            if !missing.is_empty() {
                return Err(cx.reject(RuleId::Wo19, format!("missing: {}", missing.join(", "))));
            }
            Ok(vec![E::DeliveryPrepared {
                at: *at,
                checklist: checklist.clone(),
            }])
        }
        C::ClassifyRepair { at, scope } => {
            if cx.stage() < Stage::Reception || cx.stage() > Stage::ReadyForDelivery {
                return Err(cx.reject(
                    RuleId::Reg03,
                    format!(
                        "the repair is classified between reception and delivery (the order is {})",
                        cx.stage()
                    ),
                ));
            }
            Ok(vec![E::RepairClassified {
                at: *at,
                scope: *scope,
            }])
        }
        C::RecordCompletionCertificate { certificate } => {
            cx.in_stage(
                &[Stage::ReadyForDelivery],
                RuleId::Reg03,
                "the completion certificate is signed after the final check is passed",
            )?;
            if order.completion_certificate.is_some() {
                return Err(cx.invalid(
                    "certificate",
                    "a completion certificate is already recorded",
                ));
            }
            cx.text("certificate.number", &certificate.number)?;
            Ok(vec![E::CompletionCertificateRecorded {
                certificate: certificate.clone(),
            }])
        }
        C::RecordPartsConsent { consent } => parts_consent(&cx, consent),
        C::ConsentToOverrun { consent } => overrun_consent(&cx, consent),
        C::Settle(c) => settle(&cx, c),
        C::HandOverCourtesyCar { at, checklist } => {
            if order.courtesy_car.is_some() {
                return Err(cx.invalid("checklist", "a courtesy car was already handed over"));
            }
            if matches!(cx.stage(), Stage::New | Stage::Appointment)
                || cx.stage() >= Stage::Delivered
            {
                return Err(cx.reject(
                    RuleId::Wo27,
                    format!("a courtesy car is handed over while the vehicle is in the workshop (the order is {})", cx.stage()),
                ));
            }
            let mut missing = Vec::new();
            if !checklist.enough_fuel.is_done() {
                missing.push("enough fuel (燃油充足)");
            }
            if !checklist.clean.is_done() {
                missing.push("clean (整洁)");
            }
            if !checklist.ready.is_done() {
                missing.push("ready to use (准备好投入使用)");
            }
            if !missing.is_empty() {
                return Err(cx.reject(
                    RuleId::Wo27,
                    format!(
                        "the courtesy car would go out without: {}",
                        missing.join(", ")
                    ),
                ));
            }
            Ok(vec![E::CourtesyCarHandedOver {
                at: *at,
                checklist: *checklist,
            }])
        }
        C::Deliver { at, checklist } => deliver(&cx, *at, checklist),
        C::Close { at, outcome } => {
            cx.in_stage(
                &[Stage::Delivered],
                RuleId::Wo23,
                "an order is closed after delivery and follow-up",
            )?;
            Ok(vec![E::OrderClosed {
                at: *at,
                outcome: *outcome,
            }])
        }
        C::Cancel { at, reason, terms } => {
            cx.text("reason", reason)?;
            let stage = cx.stage();
            if stage >= Stage::Delivered {
                return Err(cx.reject(RuleId::Wo28, "a delivered order is never cancelled"));
            }
            if stage.is_after_dispatch() {
                match terms {
                    CancellationTerms::WorkSettled {
                        amount,
                        parts_reinstalled: Check::Done,
                    } => cx.amount("terms.amount", *amount)?,
                    CancellationTerms::WorkSettled { .. } => {
                        return Err(cx.reject(
                            RuleId::Wo28,
                            "after dispatch the removed parts must be reinstalled",
                        ));
                    }
                    CancellationTerms::Free => {
                        return Err(cx.reject(
                            RuleId::Wo28,
                            "after dispatch the work done so far must be settled",
                        ));
                    }
                }
            } else if terms != &CancellationTerms::Free {
                return Err(cx.reject(RuleId::Wo28, "before dispatch a cancellation is free"));
            }
            Ok(vec![E::OrderCancelled {
                at: *at,
                reason: reason.clone(),
                stage,
                terms: terms.clone(),
            }])
        }
    }
}

fn receive(cx: &Ctx<'_>, c: &ReceiveVehicle) -> Decision {
    let order = cx.order;
    cx.in_stage(
        &[Stage::New, Stage::Appointment],
        RuleId::Wo01,
        "the vehicle is received once",
    )?;
    if c.requests.is_empty() {
        return Err(cx.reject(RuleId::Wo01, "no customer request is recorded"));
    }
    if c.requests.iter().any(|r| r.description.trim().is_empty()) {
        return Err(cx.invalid("requests", "every request needs a description"));
    }
    cx.text("vehicle.model", &c.vehicle.model)?;
    if c.walk_around.presence != Presence::CustomerPresent {
        return Err(cx.reject(
            RuleId::Wo02,
            "the walk-around inspection is done with the customer present",
        ));
    }
    if c.walk_around.findings.iter().any(|f| f.trim().is_empty()) {
        return Err(cx.invalid("walk_around.findings", "a finding must not be empty"));
    }
    if let Some(appointment) = &order.appointment {
        if appointment.advisor != c.advisor {
            return Err(cx.reject(
                RuleId::Wo07,
                format!(
                    "the appointment names advisor `{}`, not `{}`",
                    appointment.advisor, c.advisor
                ),
            ));
        }
    }
    let missing_covers: Vec<ProtectiveCover> = ProtectiveCover::ALL
        .into_iter()
        .filter(|cover| !c.covers_fitted.contains(cover))
        .collect();
    let mut events = vec![E::VehicleReceived {
        reception: Reception {
            at: c.at,
            advisor: c.advisor.clone(),
            customer: c.customer.clone(),
            vehicle: c.vehicle.clone(),
            requests: c.requests.clone(),
            walk_around: c.walk_around.clone(),
            documents_present: c.documents_present.clone(),
            covers_fitted: c.covers_fitted.clone(),
            comeback_of: c.comeback_of.clone(),
        },
    }];
    if !missing_covers.is_empty() {
        let names: Vec<String> = missing_covers.iter().map(ToString::to_string).collect();
        let what = format!("protective covers not fitted: {}", names.join(", "));
        match cx.policy.work_order().protective_covers {
            Enforcement::Reject => return Err(cx.reject(RuleId::Wo03, what)),
            Enforcement::RecordRisk => events.push(cx.risk(c.at, RuleId::Wo03, what)),
        }
    }
    for doc in &cx.policy.work_order().reception_documents {
        if !c.documents_present.contains(doc) {
            events.push(cx.risk(
                c.at,
                RuleId::Wo04,
                format!(
                    "{} missing at reception ({})",
                    doc.label_en(),
                    doc.label_zh()
                ),
            ));
        }
    }
    if c.customer.phone.is_none() {
        events.push(cx.risk(
            c.at,
            RuleId::Wo01,
            "no contact phone: the order cannot be authorized until one is recorded",
        ));
    }
    Ok(events)
}

/// "item #2" or "items #2, #3".
fn items(list: &[String]) -> String {
    match list {
        [one] => format!("item {one}"),
        many => format!("items {}", many.join(", ")),
    }
}

/// "item #2 is" or "items #2, #3 are".
fn items_are(list: &[String]) -> String {
    match list {
        [_] => format!("{} is", items(list)),
        _ => format!("{} are", items(list)),
    }
}

fn check_draft(cx: &Ctx<'_>, draft: &ItemDraft) -> Result<(), WorkOrderError> {
    cx.text("item.title", &draft.title)?;
    let est = cx.policy.estimate();
    let line_error = |p: LineProblem| {
        match p {
        LineProblem::Currency {
            index,
            field,
            found,
            expected,
        } => cx.invalid(
            "item.lines",
            format!("line {index} `{field}` is in `{found}`, not the policy currency `{expected}`"),
        ),
        LineProblem::Negative {
            index,
            field,
            amount,
        } => cx.invalid("item.lines", format!("line {index} `{field}` is negative: `{amount}`")),
        LineProblem::DiscountAboveLine {
            index,
            discount,
            line,
        } => cx.invalid(
            "item.lines",
            format!("line {index} discount `{discount}` exceeds the line amount `{line}`"),
        ),
        LineProblem::AboveAuthority {
            index,
            discount,
            role,
            needed,
        } => cx.reject(
            RuleId::Est08,
            match needed {
                Some(n) => format!(
                    "line {index} discount `{discount}` is above the {role} cap; it needs {n} approval"
                ),
                None => format!("line {index} discount `{discount}` is above every cap"),
            },
        ),
        LineProblem::NoDescription { index } => {
            cx.invalid("item.lines", format!("line {index} needs a description"))
        }
        LineProblem::Overflow { index } => cx.money(MoneyError::Overflow {
            operation: if index == 0 { "the first line" } else { "a line" },
        }),
    }
    };
    match (draft.lines.is_empty(), draft.options.len()) {
        (false, 0) => check_lines(&draft.lines, est).map_err(line_error),
        (true, 0) => Err(cx.reject(
            RuleId::Est02,
            "an item needs estimate lines or repair options",
        )),
        (false, _) => Err(cx.invalid(
            "item.lines",
            "an item with repair options takes its lines from the chosen option",
        )),
        (true, 1) => Err(cx.reject(
            RuleId::Est04,
            "a single option is no choice; give its lines directly",
        )),
        (true, _) => {
            for (i, option) in draft.options.iter().enumerate() {
                if option.trade_offs.trim().is_empty() || option.title.trim().is_empty() {
                    return Err(cx.reject(
                        RuleId::Est04,
                        format!(
                            "option {i} needs a title and its trade-offs for the customer to choose"
                        ),
                    ));
                }
                let range = option.price_range;
                cx.amount("option.price_range.low", range.low)?;
                cx.amount("option.price_range.high", range.high)?;
                if range.low.amount() > range.high.amount() {
                    return Err(cx.invalid(
                        "option.price_range",
                        format!(
                            "option {i}: low `{}` is above high `{}`",
                            range.low, range.high
                        ),
                    ));
                }
                if option.lines.is_empty() {
                    return Err(
                        cx.reject(RuleId::Est02, format!("option {i} has no estimate lines"))
                    );
                }
                check_lines(&option.lines, est).map_err(line_error)?;
            }
            Ok(())
        }
    }
}

fn aftermarket_flags(cx: &Ctx<'_>, at: At, no: ItemNo, draft: &ItemDraft) -> Vec<E> {
    let under_warranty = cx
        .order
        .reception
        .as_ref()
        .is_some_and(|r| r.vehicle.warranty == ManufacturerWarranty::Active);
    if !under_warranty {
        return Vec::new();
    }
    draft
        .lines
        .iter()
        .chain(draft.options.iter().flat_map(|o| o.lines.iter()))
        .filter_map(|l| match &l.kind {
            LineKind::Part {
                part_no, origin, ..
            } if origin.is_aftermarket() => Some(cx.risk(
                at,
                RuleId::Est03,
                format!(
                    "item {no}: {} part `{part_no}` on a vehicle under manufacturer warranty",
                    origin.label_zh()
                ),
            )),
            _ => None,
        })
        .collect()
}

fn next_item_no(cx: &Ctx<'_>, offset: usize) -> Result<ItemNo, WorkOrderError> {
    cx.order
        .items
        .len()
        .checked_add(offset)
        .and_then(|n| u16::try_from(n).ok())
        .map(ItemNo)
        .ok_or_else(|| cx.invalid("item", "too many items on one order"))
}

fn latest_part_arrival<'l>(lines: impl Iterator<Item = &'l EstimateLine>) -> Option<At> {
    lines
        .filter_map(|l| match &l.kind {
            LineKind::Part {
                availability: PartAvailability::Expected { arrival },
                ..
            } => Some(*arrival),
            _ => None,
        })
        .max()
}

fn present_estimate(cx: &Ctx<'_>, at: At, promised: At) -> Decision {
    let order = cx.order;
    cx.in_stage(
        &[Stage::Reception, Stage::Estimated],
        RuleId::Wo09,
        "the estimate is presented before authorization",
    )?;
    let open: Vec<&Item> = order
        .items
        .iter()
        .filter(|i| !i.status.is_declined_or_deferred())
        .collect();
    if open.is_empty() {
        return Err(cx.reject(RuleId::Est02, "the estimate has no items"));
    }
    if order.diagnosis_signed_at.is_none() {
        return Err(cx.reject(
            RuleId::Wo06,
            "the customer has not signed the diagnosis sheet",
        ));
    }
    let needs_road_test = order.reception.as_ref().is_some_and(|r| {
        r.requests
            .iter()
            .any(|q| q.condition == SymptomCondition::WhileDriving)
    });
    if needs_road_test
        && !order
            .road_tests
            .iter()
            .any(|t| t.presence == Presence::CustomerPresent)
    {
        return Err(cx.reject(
            RuleId::Wo05,
            "a fault that shows while driving needs a road test with the customer first",
        ));
    }
    let bay = order
        .bay
        .as_ref()
        .ok_or_else(|| cx.reject(RuleId::Wo08, "no workshop bay is confirmed"))?;
    let unconfirmed: Vec<String> = open
        .iter()
        .filter(|i| {
            i.lines
                .iter()
                .chain(i.options.iter().flat_map(|o| o.lines.iter()))
                .any(|l| {
                    matches!(
                        l.kind,
                        LineKind::Part {
                            availability: PartAvailability::Unconfirmed,
                            ..
                        }
                    )
                })
        })
        .map(|i| i.no.to_string())
        .collect();
    if !unconfirmed.is_empty() {
        return Err(cx.reject(
            RuleId::Wo08,
            format!(
                "parts availability not confirmed for {}",
                items(&unconfirmed)
            ),
        ));
    }
    if promised <= at {
        return Err(cx.reject(
            RuleId::Wo09,
            format!("the promised delivery `{promised}` is not after `{at}`"),
        ));
    }
    // Options are not chosen yet: their parts are checked at authorization.
    if let Some(latest) = latest_part_arrival(open.iter().flat_map(|i| i.lines.iter())) {
        if promised < latest {
            return Err(cx.reject(
                RuleId::Wo30,
                format!("the promised delivery `{promised}` is before the expected part arrival `{latest}`"),
            ));
        }
    }
    let hours = cx
        .totals(open.iter().flat_map(|i| i.lines.iter()))?
        .labour_hours;
    let earliest = bay
        .available_from
        .max(at)
        .checked_add_signed(hours.to_duration())
        .ok_or_else(|| cx.invalid("promised_delivery", "time out of range"))?;
    if promised < earliest {
        return Err(cx.reject(
            RuleId::Est09,
            format!(
                "the promised delivery `{promised}` is before `{earliest}`: bay `{}` free from `{}` plus {hours} of standard labour",
                bay.bay, bay.available_from
            ),
        ));
    }
    Ok(vec![E::EstimatePresented {
        at,
        promised_delivery: promised,
    }])
}

/// Checks answer lists for exactly the `expected` items, each once, and
/// the option choices; returns the authorized items' lines' totals.
fn check_answers(
    cx: &Ctx<'_>,
    expected: &[ItemNo],
    authorized: &[ItemNo],
    declined: &[ItemNo],
    deferred: &[ItemNo],
    choices: &[(ItemNo, usize)],
) -> Result<Totals, WorkOrderError> {
    let mut seen: Vec<ItemNo> = Vec::with_capacity(expected.len());
    for (field, list) in [
        ("authorized", authorized),
        ("declined", declined),
        ("deferred", deferred),
    ] {
        for no in list {
            if !expected.contains(no) {
                return Err(cx.invalid(field, format!("item {no} is not awaiting this answer")));
            }
            if seen.contains(no) {
                return Err(cx.invalid(field, format!("item {no} is answered twice")));
            }
            seen.push(*no);
        }
    }
    let unanswered: Vec<String> = expected
        .iter()
        .filter(|no| !seen.contains(no))
        .map(ToString::to_string)
        .collect();
    if !unanswered.is_empty() {
        return Err(cx.reject(
            RuleId::Wo29,
            format!("{} not answered", items_are(&unanswered)),
        ));
    }
    for (no, option) in choices {
        if !authorized.contains(no) {
            return Err(cx.invalid("choices", format!("item {no} is not authorized")));
        }
        let item = cx.item("choices", *no)?;
        if item.options.get(*option).is_none() {
            return Err(cx.invalid("choices", format!("item {no} has no option {option}")));
        }
        if choices.iter().filter(|(n, _)| n == no).count() > 1 {
            return Err(cx.invalid("choices", format!("item {no} has two choices")));
        }
    }
    let mut lines: Vec<&EstimateLine> = Vec::new();
    for no in authorized {
        let item = cx.item("authorized", *no)?;
        if item.options.is_empty() {
            lines.extend(item.lines.iter());
        } else {
            let chosen = choices
                .iter()
                .find(|(n, _)| n == no)
                .and_then(|(_, o)| item.options.get(*o))
                .ok_or_else(|| {
                    cx.reject(
                        RuleId::Est04,
                        format!(
                            "item {no} offers {} options and the customer chose none",
                            item.options.len()
                        ),
                    )
                })?;
            lines.extend(chosen.lines.iter());
        }
    }
    cx.totals(lines)
}

fn chosen_lines<'c>(
    cx: &'c Ctx<'_>,
    choices: &'c [(ItemNo, usize)],
) -> impl Iterator<Item = &'c EstimateLine> + 'c {
    choices
        .iter()
        .filter_map(|(no, o)| cx.order.item(*no).and_then(|i| i.options.get(*o)))
        .flat_map(|o| o.lines.iter())
}

fn declined_safety_risks(cx: &Ctx<'_>, at: At, declined: &[ItemNo], deferred: &[ItemNo]) -> Vec<E> {
    declined
        .iter()
        .chain(deferred)
        .filter_map(|no| cx.order.item(*no))
        .filter(|i| i.is_safety())
        .map(|i| {
            cx.risk(
                at,
                RuleId::Wo13,
                format!(
                    "safety item {} `{}` declined or deferred by the customer",
                    i.no, i.title
                ),
            )
        })
        .collect()
}

fn next_authorization_no(cx: &Ctx<'_>) -> Result<AuthorizationNo, WorkOrderError> {
    cx.order
        .authorizations
        .len()
        .checked_add(1)
        .and_then(|n| u16::try_from(n).ok())
        .map(AuthorizationNo)
        .ok_or_else(|| cx.invalid("authorization", "too many authorizations on one order"))
}

fn authorize(cx: &Ctx<'_>, c: &AuthorizeOrder) -> Decision {
    let order = cx.order;
    if cx.stage() > Stage::Estimated {
        return Err(cx.reject(RuleId::Wo10, format!("the order is already {}", cx.stage())));
    }
    cx.in_stage(
        &[Stage::Estimated],
        RuleId::Wo09,
        "the estimate with cost and time is presented first",
    )?;
    if !c.method.is_signature() {
        return Err(cx.reject(
            RuleId::Wo10,
            format!(
                "the order is authorized by the customer's signature, not by {}",
                c.method
            ),
        ));
    }
    let phone = c
        .contact_phone
        .clone()
        .or_else(|| {
            order
                .reception
                .as_ref()
                .and_then(|r| r.customer.phone.clone())
        })
        .ok_or_else(|| cx.reject(RuleId::Wo01, "no contact phone is recorded"))?;
    if c.authorized.is_empty() {
        return Err(cx.reject(
            RuleId::Wo10,
            "no item is authorized; cancel the order instead",
        ));
    }
    let expected: Vec<ItemNo> = order
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Recommended)
        .map(|i| i.no)
        .collect();
    let totals = check_answers(
        cx,
        &expected,
        &c.authorized,
        &c.declined,
        &c.deferred,
        &c.choices,
    )?;
    cx.amount("estimated_total", c.estimated_total)?;
    cx.amount("price_limit", c.price_limit)?;
    if c.estimated_total != totals.gross {
        return Err(cx.reject(
            RuleId::Est05,
            format!(
                "the signed total `{}` differs from the authorized items' total `{}`",
                c.estimated_total, totals.gross
            ),
        ));
    }
    if let (Some(latest), Some(promise)) = (
        latest_part_arrival(chosen_lines(cx, &c.choices)),
        order.promised_delivery,
    ) {
        if latest > promise {
            return Err(cx.reject(
                RuleId::Wo30,
                format!("the chosen option's part arrives `{latest}`, after the promised delivery `{promise}`; revise the promise first"),
            ));
        }
    }
    if c.pickup.at <= c.at {
        return Err(cx.invalid(
            "pickup.at",
            format!("`{}` is not after `{}`", c.pickup.at, c.at),
        ));
    }
    let authorization = AuthorizationRecord {
        no: next_authorization_no(cx)?,
        at: c.at,
        by: c.signer.clone(),
        method: c.method,
        recorded_by: c.recorded_by.clone(),
        items: c.authorized.clone(),
        amount: c.estimated_total,
    };
    let terms = SignedTerms {
        items: c.authorized.clone(),
        estimated_total: c.estimated_total,
        price_limit: c.price_limit,
        pickup: c.pickup,
        payment: c.payment,
        contact_phone: phone,
    };
    let mut events = vec![E::OrderAuthorized {
        authorization,
        terms,
        choices: c.choices.clone(),
        declined: c.declined.clone(),
        deferred: c.deferred.clone(),
    }];
    events.extend(declined_safety_risks(cx, c.at, &c.declined, &c.deferred));
    Ok(events)
}

fn propose_add_ons(cx: &Ctx<'_>, c: &ProposeAddOns) -> Decision {
    if let OrderState::AwaitingAddOnAuthorization { batch } = cx.order.state {
        return Err(cx.reject(
            RuleId::Wo12,
            format!("batch {batch} still awaits the customer's answer; items found together are presented together"),
        ));
    }
    if cx.stage() < Stage::Dispatched {
        return Err(cx.reject(RuleId::Wo11, "add-on items are found during repair; before authorization propose items on the estimate"));
    }
    cx.in_stage(
        &[Stage::Dispatched, Stage::InRepair],
        RuleId::Wo11,
        "add-on items are found during repair",
    )?;
    if c.items.is_empty() {
        return Err(cx.invalid("items", "a batch needs at least one item"));
    }
    if c.found_at > c.at {
        return Err(cx.invalid(
            "found_at",
            format!(
                "the inspection at `{}` is after the presentation at `{}`",
                c.found_at, c.at
            ),
        ));
    }
    // WO-12: the findings of one inspection go to the customer in one
    // contact. An earlier batch from the same inspection means this part
    // of its findings was withheld from that contact.
    if let Some(earlier) = cx
        .order
        .add_on_batches
        .iter()
        .find(|b| b.found_at == Some(c.found_at) && b.found_by == c.found_by)
    {
        return Err(cx.reject(
            RuleId::Wo12,
            format!(
                "batch {} at `{}` already presented findings of the inspection by `{}` at `{}`; items found in one inspection are presented together, in one contact (一次性), not withheld for another call",
                earlier.batch, earlier.proposed_at, c.found_by, c.found_at
            ),
        ));
    }
    let batch = cx
        .order
        .add_on_batches
        .len()
        .checked_add(1)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| cx.invalid("items", "too many add-on batches"))?;
    let mut items = Vec::with_capacity(c.items.len());
    let mut flags = Vec::new();
    for (offset, draft) in c.items.iter().enumerate() {
        check_draft(cx, draft)?;
        let no = next_item_no(cx, offset.saturating_add(1))?;
        flags.extend(aftermarket_flags(cx, c.at, no, draft));
        items.push(Item::from_draft(
            no,
            ItemOrigin::AddOn { batch },
            draft.clone(),
        ));
    }
    let mut events = vec![E::AddOnsProposed {
        at: c.at,
        batch,
        found_by: c.found_by.clone(),
        found_at: Some(c.found_at),
        items,
    }];
    events.extend(flags);
    Ok(events)
}

fn answer_add_ons(cx: &Ctx<'_>, c: &AnswerAddOns) -> Decision {
    let order = cx.order;
    let OrderState::AwaitingAddOnAuthorization { batch } = order.state else {
        return Err(cx.reject(
            RuleId::Wo11,
            format!(
                "no add-on batch awaits an answer (the order is {})",
                cx.stage()
            ),
        ));
    };
    if c.batch != batch {
        return Err(cx.invalid(
            "batch",
            format!(
                "batch {} is not the one awaiting an answer ({batch})",
                c.batch
            ),
        ));
    }
    let expected = order
        .add_on_batches
        .iter()
        .find(|b| b.batch == batch)
        .map(|b| b.items.clone())
        .unwrap_or_default();
    let totals = check_answers(
        cx,
        &expected,
        &c.authorized,
        &c.declined,
        &c.deferred,
        &c.choices,
    )?;
    cx.amount("amount", c.amount)?;
    if c.amount != totals.gross {
        return Err(cx.reject(
            RuleId::Est07,
            format!(
                "the amount told to the customer `{}` differs from the authorized add-ons' total `{}`",
                c.amount, totals.gross
            ),
        ));
    }
    if !c.method.is_signature() {
        let terms = order
            .terms
            .as_ref()
            .ok_or_else(|| cx.reject(RuleId::Wo10, "the order has no signed terms"))?;
        let earlier = Money::checked_sum(
            terms.price_limit.currency(),
            order
                .authorizations
                .iter()
                .skip(1) // the first is the signed order itself
                .map(|a| a.amount),
        )
        .and_then(|sum| sum.checked_add(c.amount))
        .map_err(|e| cx.money(e))?;
        if earlier
            .checked_gt(&terms.price_limit)
            .map_err(|e| cx.money(e))?
        {
            return Err(cx.reject(
                RuleId::Est05,
                format!(
                    "add-ons authorized by {} would total `{earlier}`, above the price limit `{}`; a fresh signature of the whole order is needed",
                    c.method, terms.price_limit
                ),
            ));
        }
    }
    let authorization = AuthorizationRecord {
        no: next_authorization_no(cx)?,
        at: c.at,
        by: c.by.clone(),
        method: c.method,
        recorded_by: c.recorded_by.clone(),
        items: c.authorized.clone(),
        amount: c.amount,
    };
    let mut events = vec![E::AddOnsAnswered {
        batch,
        authorization,
        choices: c.choices.clone(),
        declined: c.declined.clone(),
        deferred: c.deferred.clone(),
    }];
    events.extend(declined_safety_risks(cx, c.at, &c.declined, &c.deferred));
    Ok(events)
}

fn check_outcome(cx: &Ctx<'_>, outcome: &CheckOutcome) -> Result<(), WorkOrderError> {
    if let CheckOutcome::Fail { rework, reason } = outcome {
        cx.text("outcome.reason", reason)?;
        if rework.is_empty() {
            return Err(cx.invalid("outcome.rework", "a failed check names the items to redo"));
        }
        for no in rework {
            let item = cx.item("outcome.rework", *no)?;
            if !matches!(item.status, ItemStatus::Completed { .. }) {
                return Err(cx.invalid(
                    "outcome.rework",
                    format!("item {no} is not a completed item"),
                ));
            }
        }
    }
    Ok(())
}

/// WO-17: a passed check has made the five steps of `[000]` (质检/内部交车的
/// 标准步骤); the road test may be not needed unless a request shows only
/// while driving. A failed check sends the order back to repair whatever
/// steps it reached, so its steps are recorded as they are.
fn check_steps(
    cx: &Ctx<'_>,
    outcome: &CheckOutcome,
    steps: Option<&QualitySteps>,
) -> Result<(), WorkOrderError> {
    if *outcome != CheckOutcome::Pass {
        return Ok(());
    }
    let Some(steps) = steps else {
        return Err(cx.reject(
            RuleId::Wo17,
            "a passed check records the five steps of the quality check (检查维修工单, 车辆试车, 确认车辆修理完全, 检查工单的填写, 转交下一环节)",
        ));
    };
    let road_test_needed = cx.order.reception.as_ref().is_some_and(|r| {
        r.requests
            .iter()
            .any(|q| q.condition == SymptomCondition::WhileDriving)
    });
    let missing = steps.missing(road_test_needed);
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing
        .iter()
        .map(|s| format!("{} ({})", s.label_en(), s.label_zh()))
        .collect();
    let why = if road_test_needed && missing.contains(&QualityStep::RoadTest) {
        "; a fault that shows while driving needs the road test"
    } else {
        ""
    };
    Err(cx.reject(
        RuleId::Wo17,
        format!(
            "a check passes only when every step is made; missing: {}{why}",
            names.join(", ")
        ),
    ))
}

fn parts_replaced(order: &WorkOrder) -> bool {
    order
        .items
        .iter()
        .filter(|i| matches!(i.status, ItemStatus::Completed { .. }))
        .flat_map(|i| i.lines.iter())
        .any(|l| matches!(l.kind, LineKind::Part { .. }))
}

fn settle(cx: &Ctx<'_>, c: &Settle) -> Decision {
    let order = cx.order;
    cx.in_stage(
        &[Stage::ReadyForDelivery],
        RuleId::Wo17,
        "settlement follows the passed final check",
    )?;
    if order.pre_delivery.is_none() {
        return Err(cx.reject(
            RuleId::Wo19,
            "the settlement statement is prepared with the pre-delivery checklist first",
        ));
    }
    if order.settlement.is_some() {
        return Err(cx.invalid("invoice", "the order is already settled"));
    }
    let inv = &c.invoice;
    for (field, amount) in [
        ("invoice.labour", inv.labour),
        ("invoice.parts", inv.parts),
        ("invoice.materials", inv.materials),
        ("invoice.sublet", inv.sublet),
        ("invoice.discounts", inv.discounts),
        ("invoice.tax", inv.tax),
        ("invoice.total", inv.total),
    ] {
        cx.amount(field, amount)?;
    }
    let sum = Money::checked_sum(
        inv.total.currency(),
        [inv.labour, inv.parts, inv.materials, inv.sublet, inv.tax],
    )
    .and_then(|s| s.checked_sub(inv.discounts))
    .map_err(|e| cx.money(e))?;
    if sum != inv.total {
        return Err(cx.invalid(
            "invoice.total",
            format!("`{}` is not the sum of its parts `{sum}`", inv.total),
        ));
    }
    let authorized = cx.totals(
        order
            .items
            .iter()
            .filter(|i| i.status.is_authorized())
            .flat_map(|i| i.lines.iter()),
    )?;
    if inv.labour_hours != authorized.labour_hours {
        return Err(cx.reject(
            RuleId::Wo20,
            format!(
                "the invoice bills {} of labour, the order has {}",
                inv.labour_hours, authorized.labour_hours
            ),
        ));
    }
    // WO-20: every category reconciles with the order. A category billed
    // below the order's means amounts were moved between categories; an
    // excess is an overrun, judged against the tolerance below (EST-06).
    let mut gaps = Vec::new();
    for (name, billed, ordered) in [
        ("labour", inv.labour, authorized.labour),
        ("parts", inv.parts, authorized.parts),
        ("materials", inv.materials, authorized.materials),
        ("sublet", inv.sublet, authorized.sublet),
    ] {
        if ordered.checked_gt(&billed).map_err(|e| cx.money(e))? {
            gaps.push(format!(
                "{name} `{billed}` is below the order's `{ordered}`"
            ));
        }
    }
    if inv.discounts != authorized.discounts {
        gaps.push(format!(
            "discounts `{}` differ from the order's `{}`",
            inv.discounts, authorized.discounts
        ));
    }
    let est = cx.policy.estimate();
    let net = inv.total.checked_sub(inv.tax).map_err(|e| cx.money(e))?;
    let tax = est
        .vat_rate
        .of(net)
        .map_err(|e| cx.money(e))?
        .round(est.rounding_scale);
    if tax != inv.tax {
        gaps.push(format!(
            "tax `{}` is not {} of the net `{net}` (`{tax}`)",
            inv.tax, est.vat_rate
        ));
    }
    if !gaps.is_empty() {
        return Err(cx.reject(
            RuleId::Wo20,
            format!(
                "the invoice does not reconcile with the order: {}",
                gaps.join("; ")
            ),
        ));
    }
    let allowance = cx
        .policy
        .estimate()
        .settlement_tolerance
        .allowance(authorized.gross)
        .map_err(|e| cx.money(e))?;
    let overrun = inv
        .total
        .checked_sub(authorized.gross)
        .map_err(|e| cx.money(e))?;
    // REG-05, REG-06: a fresh consent recorded before settlement covers a
    // total up to the amount the customer agreed to.
    let consented = match order.overrun_consents.last() {
        Some(c) => !inv
            .total
            .checked_gt(&c.new_total)
            .map_err(|e| cx.money(e))?,
        None => false,
    };
    if overrun.checked_gt(&allowance).map_err(|e| cx.money(e))? && !consented {
        return Err(cx.reject(
            RuleId::Est06,
            format!(
                "the invoice total `{}` exceeds the authorized `{}` by `{overrun}`, more than the tolerance `{allowance}`; the customer must authorize the difference",
                inv.total, authorized.gross
            ),
        ));
    }
    if overrun.is_negative() {
        return Err(cx.reject(
            RuleId::Wo20,
            format!(
                "the invoice total `{}` is below the agreed price `{}`; the invoice and the order must agree",
                inv.total, authorized.gross
            ),
        ));
    }
    let payment = match (c.payment, order.terms.as_ref()) {
        (PaymentChoice::ChangedByCustomer(m), _) => m,
        (PaymentChoice::AsAgreed, Some(t)) => t.payment,
        (PaymentChoice::AsAgreed, None) => {
            return Err(cx.reject(RuleId::Wo22, "no payment method was agreed"));
        }
    };
    Ok(vec![E::OrderSettled {
        settlement: Settlement {
            at: c.at,
            invoice: *inv,
            payment,
            overrun,
        },
    }])
}

fn deliver(
    cx: &Ctx<'_>,
    at: At,
    checklist: &crate::work_order::records::DeliveryChecklist,
) -> Decision {
    let order = cx.order;
    cx.in_stage(
        &[Stage::ReadyForDelivery],
        RuleId::Wo17,
        "delivery follows the passed final check",
    )?;
    let unanswered: Vec<String> = order
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Recommended)
        .map(|i| i.no.to_string())
        .collect();
    if !unanswered.is_empty() {
        return Err(cx.reject(
            RuleId::Wo29,
            format!("recommended {} not answered", items_are(&unanswered)),
        ));
    }
    if order.pre_delivery.is_none() {
        return Err(cx.reject(RuleId::Wo19, "the pre-delivery checklist is not done"));
    }
    if order.settlement.is_none() {
        return Err(cx.reject(RuleId::Wo20, "the invoice is not reconciled and settled"));
    }
    if let Some(scope) = order.certificate_scope {
        if cx
            .policy
            .regulation()
            .repair_records
            .certificate_required(scope)
            && order.completion_certificate.is_none()
        {
            return Err(cx.reject(
                RuleId::Reg03,
                format!(
                    "{scope} ({}) needs the inspector's completion certificate (竣工出厂合格证) before delivery",
                    scope.label_zh()
                ),
            ));
        }
    }
    let has_declined = order
        .items
        .iter()
        .any(|i| i.status.is_declined_or_deferred());
    if has_declined && !checklist.declined_items_mentioned.is_done() {
        return Err(cx.reject(
            RuleId::Wo13,
            "declined and deferred items are mentioned at delivery",
        ));
    }
    if !order.uncorrected_problems.is_empty() && !checklist.open_problems_explained.is_done() {
        return Err(cx.reject(
            RuleId::Wo18,
            "problems found but not corrected are explained at delivery",
        ));
    }
    let mut missing = Vec::new();
    if checklist.work_explained == WorkExplanation::NotExplained {
        missing.push("work done");
    }
    if !checklist.invoice_explained.is_done() {
        missing.push("how the invoice is made up");
    }
    let add_ons_done = order.items.iter().any(|i| {
        matches!(i.origin, ItemOrigin::AddOn { .. })
            && matches!(i.status, ItemStatus::Completed { .. })
    });
    if add_ons_done && !checklist.extra_work_explained.is_done() {
        missing.push("work beyond the original order");
    }
    let parts_kept = order
        .pre_delivery
        .as_ref()
        .is_some_and(|p| p.value.old_parts == OldParts::KeptForCustomer);
    if parts_kept && !checklist.old_parts_shown.is_done() {
        missing.push("replaced parts shown");
    }
    if checklist.next_maintenance.is_none() {
        missing.push("next maintenance date and mileage");
    }
    if !checklist.follow_up_promised.is_done() {
        missing.push("the follow-up call");
    }
    if !missing.is_empty() {
        return Err(cx.reject(
            RuleId::Wo21,
            format!("not explained: {}", missing.join(", ")),
        ));
    }
    // EST-03: each part's warranty by its origin, from the delivery date,
    // as the advisor states it.
    let part_warranties = crate::work_order::warranty::of_items(
        &order.items,
        &cx.policy.estimate().part_warranty_months,
        Some(
            crate::time::own_local_date(at)
                .ok_or_else(|| cx.invalid("at", "its local date is not representable"))?,
        ),
    );
    let mut events = vec![E::VehicleDelivered {
        at,
        checklist: checklist.clone(),
        part_warranties,
    }];
    let safety_open = order
        .uncorrected_problems
        .iter()
        .filter(|p| p.safety == Safety::SafetyRelated)
        .count();
    if safety_open > 0 {
        events.push(cx.risk(
            at,
            RuleId::Wo18,
            format!(
                "delivered with {safety_open} safety-related problem(s) found and not corrected"
            ),
        ));
    }
    Ok(events)
}

fn parts_consent(cx: &Ctx<'_>, consent: &PartsConsent) -> Decision {
    if cx.stage() < Stage::Reception || cx.stage() > Stage::ReadyForDelivery {
        return Err(cx.reject(
            RuleId::Reg04,
            format!(
                "consent to parts is recorded between reception and delivery (the order is {})",
                cx.stage()
            ),
        ));
    }
    if !consent.method.is_signature() && consent.method != AuthorizationMethod::Message {
        return Err(cx.reject(
            RuleId::Reg04,
            format!(
                "consent to used or reconditioned parts is written; {} is not",
                consent.method
            ),
        ));
    }
    if consent.items.is_empty() {
        return Err(cx.invalid("consent.items", "name at least one item"));
    }
    let records = &cx.policy.regulation().repair_records;
    for no in &consent.items {
        let item = cx.item("consent.items", *no)?;
        let needs = item
            .lines
            .iter()
            .chain(item.options.iter().flat_map(|o| o.lines.iter()))
            .any(|l| matches!(&l.kind, LineKind::Part { origin, .. } if records.consent_required(*origin)));
        if !needs {
            return Err(cx.invalid(
                "consent.items",
                format!("item {no} has no part whose origin needs consent"),
            ));
        }
    }
    Ok(vec![E::PartsConsentRecorded {
        consent: consent.clone(),
    }])
}

fn overrun_consent(cx: &Ctx<'_>, consent: &OverrunConsent) -> Decision {
    let order = cx.order;
    if cx.stage() < Stage::Dispatched || cx.stage() > Stage::ReadyForDelivery {
        return Err(cx.reject(
            RuleId::Reg05,
            format!(
                "consent to an overrun is recorded between dispatch and settlement (the order is {})",
                cx.stage()
            ),
        ));
    }
    if order.settlement.is_some() {
        return Err(cx.reject(
            RuleId::Reg05,
            "the order is settled; consent to an overrun comes before settlement",
        ));
    }
    cx.amount("consent.new_total", consent.new_total)?;
    let authorized = cx.totals(
        order
            .items
            .iter()
            .filter(|i| i.status.is_authorized())
            .flat_map(|i| i.lines.iter()),
    )?;
    if !consent
        .new_total
        .checked_gt(&authorized.gross)
        .map_err(|e| cx.money(e))?
    {
        return Err(cx.invalid(
            "consent.new_total",
            format!(
                "`{}` is not above the authorized `{}`: there is no overrun to consent to",
                consent.new_total, authorized.gross
            ),
        ));
    }
    Ok(vec![E::OverrunConsented {
        consent: consent.clone(),
    }])
}
