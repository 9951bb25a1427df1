//! One test per guard of the work-order aggregate: each reaches the right
//! state through the story of `examples/repair_lifecycle.rs`, sends a
//! command that breaks exactly one rule and checks the rule named (or the
//! malformed field), and that a refused command leaves the order unchanged.

use aftersales::{
    AnswerAddOns, AuthorityRole, AuthorizationMethod, AuthorizeOrder, CancellationTerms, Check,
    CheckOutcome, Checkpoint, CourtesyCarChecklist, DeliveryChecklist, Discount, DueKind,
    DueStatus, Enforcement, EstimateLine, EstimatePolicy, FollowUpOutcome, ItemDraft, ItemNo,
    ItemStatus, ManufacturerWarranty, Money, NoticeTiming, OldParts, PartAvailability, PartNo,
    PartOrigin, PaymentChoice, PaymentMethod, Policy, PreDeliveryChecklist, Presence, PriceRange,
    Priority, ProblemCategory, ProposeAddOns, ProtectiveCover, QualityStep, QualitySteps,
    ReceiveVehicle, ReceptionDocument, RepairOption, RoadTestStep, RuleId, Safety, Settle, StaffId,
    Stage, SymptomCondition, Tolerance, WorkExplanation, WorkOrder, WorkOrderCommand,
    WorkOrderError, WorkOrderEvent, WorkOrderPolicy,
};
use chrono::{DateTime, FixedOffset};

use crate::support::{before, order_after, policy, refuse, step_index, steps, story};

type At = DateTime<FixedOffset>;
type C = WorkOrderCommand;

// ---------------------------------------------------------------- helpers

/// A time on the repair day.
fn t(hour: u32, minute: u32) -> At {
    story::at(hour, minute).unwrap()
}

/// Any time, RFC 3339.
fn ts(s: &str) -> At {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn cny(s: &str) -> Money {
    format!("{s} CNY").parse().unwrap()
}

fn staff(id: &str) -> StaffId {
    StaffId::try_new(id).unwrap()
}

/// The story's order after every step up to (not including) the first
/// step titled like `needle`; a shorthand for `order_after(step_index(..))`.
fn order_before(needle: &str) -> WorkOrder {
    order_after(step_index(needle)).0
}

/// The story's order after the step titled like `needle`.
fn order_through(needle: &str) -> WorkOrder {
    order_after(step_index(needle) + 1).0
}

/// The story's command of the step titled like `needle`.
fn command_of(needle: &str) -> WorkOrderCommand {
    steps().swap_remove(step_index(needle)).command
}

/// Replays the story's accepted steps before step `n`, letting `edit`
/// change each command (by index) or drop it (return `false`).
fn story_with(n: usize, mut edit: impl FnMut(usize, &mut WorkOrderCommand) -> bool) -> WorkOrder {
    let policy = policy();
    let mut order = WorkOrder::new(story::order_no().unwrap());
    for (i, mut step) in steps().into_iter().enumerate().take(n) {
        if step.expect != story::Expect::Accepted || !edit(i, &mut step.command) {
            continue;
        }
        order
            .execute(step.command, &policy)
            .unwrap_or_else(|e| panic!("step {i} `{}`: {e}", step.title));
    }
    order
}

/// Sends `command` to a copy of `order`, expects a refusal, checks the copy
/// is unchanged and that `decide` agrees; returns the error.
fn refused(order: &WorkOrder, command: WorkOrderCommand, policy: &Policy) -> WorkOrderError {
    let mut copy = order.clone();
    let err = copy
        .execute(command.clone(), policy)
        .expect_err("the command should be refused");
    assert_eq!(&copy, order, "a refused command leaves the order unchanged");
    assert_eq!(
        refuse(order, command, policy),
        err,
        "decide and execute agree"
    );
    err
}

/// Executes on a copy and expects success; returns the events and the copy.
fn accepted(
    order: &WorkOrder,
    command: WorkOrderCommand,
    policy: &Policy,
) -> (Vec<WorkOrderEvent>, WorkOrder) {
    let mut copy = order.clone();
    let events = copy
        .execute(command, policy)
        .unwrap_or_else(|e| panic!("the command should be accepted: {e}"));
    (events, copy)
}

#[track_caller]
fn assert_rule(err: &WorkOrderError, rule: RuleId) {
    assert!(
        matches!(err, WorkOrderError::Rejected { .. }),
        "expected a rejection naming {rule}, got {err:?}"
    );
    assert_eq!(err.rule(), Some(rule), "{err}");
}

#[track_caller]
fn assert_field(err: &WorkOrderError, expected: &str) {
    match err {
        WorkOrderError::InvalidInput { field, .. } => assert_eq!(*field, expected, "{err}"),
        other => panic!("expected invalid `{expected}`, got {other:?}"),
    }
    assert_eq!(err.rule(), None);
}

#[track_caller]
fn assert_mentions(err: &WorkOrderError, needle: &str) {
    let text = err.to_string();
    assert!(text.contains(needle), "`{text}` should mention `{needle}`");
}

/// The risks among some events, as (rule, description).
fn risks(events: &[WorkOrderEvent]) -> Vec<(RuleId, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            WorkOrderEvent::RiskRecorded { risk } => Some((risk.rule, risk.description.clone())),
            _ => None,
        })
        .collect()
}

fn receive_cmd(cmd: WorkOrderCommand) -> ReceiveVehicle {
    match cmd {
        C::ReceiveVehicle(c) => c,
        other => panic!("not a reception: {other:?}"),
    }
}

fn authorize_cmd(cmd: WorkOrderCommand) -> AuthorizeOrder {
    match cmd {
        C::AuthorizeOrder(c) => c,
        other => panic!("not an authorization: {other:?}"),
    }
}

fn answer_cmd(cmd: WorkOrderCommand) -> AnswerAddOns {
    match cmd {
        C::AnswerAddOns(c) => c,
        other => panic!("not an add-on answer: {other:?}"),
    }
}

fn settle_cmd(cmd: WorkOrderCommand) -> Settle {
    match cmd {
        C::Settle(c) => c,
        other => panic!("not a settlement: {other:?}"),
    }
}

fn pre_delivery_checklist() -> PreDeliveryChecklist {
    match command_of("Washed, parked at D-04") {
        C::PrepareDelivery { checklist, .. } => checklist,
        other => panic!("not a delivery preparation: {other:?}"),
    }
}

fn delivery_checklist() -> DeliveryChecklist {
    match command_of("Delivered at the car") {
        C::Deliver { checklist, .. } => checklist,
        other => panic!("not a delivery: {other:?}"),
    }
}

fn labour(what: &str, hours: &str) -> EstimateLine {
    EstimateLine::labour(what, hours.parse().unwrap(), cny("360"))
}

fn part_line(origin: PartOrigin, availability: PartAvailability) -> EstimateLine {
    EstimateLine::part(
        PartNo::try_new("4G0513035").unwrap(),
        "rear shock absorber",
        "1".parse().unwrap(),
        cny("900"),
        origin,
        availability,
    )
}

fn draft(lines: Vec<EstimateLine>) -> ItemDraft {
    ItemDraft::new(
        "rear shock absorber leaking",
        ProblemCategory::Mechanical,
        Priority::Functional,
        lines,
    )
}

fn option(title: &str, trade_offs: &str, lines: Vec<EstimateLine>) -> RepairOption {
    RepairOption {
        title: title.into(),
        price_range: PriceRange {
            low: cny("800"),
            high: cny("2000"),
        },
        trade_offs: trade_offs.into(),
        lines,
    }
}

fn with_options(options: Vec<RepairOption>) -> ItemDraft {
    ItemDraft::with_options(
        "air-conditioning blows warm",
        ProblemCategory::Electrical,
        Priority::Comfort,
        options,
    )
}

/// The order at reception (just before item 1 is proposed) and a command
/// proposing `item` there.
fn propose_at_reception(item: ItemDraft) -> (WorkOrder, WorkOrderCommand) {
    (
        order_before("Item 1: maintenance"),
        C::ProposeItem { at: t(9, 35), item },
    )
}

fn discount(amount: &str, role: AuthorityRole) -> Discount {
    Discount {
        amount: cny(amount),
        granted_by: staff("SA-07 李娜"),
        role,
    }
}

fn settled_policy(tolerance: Tolerance) -> Policy {
    Policy::default()
        .with_estimate(EstimatePolicy {
            settlement_tolerance: tolerance,
            ..EstimatePolicy::default()
        })
        .unwrap()
}

/// The story's settlement with `extra` more net billed as sublet work, the
/// 13 % VAT recomputed on the new net, so the invoice still reconciles.
fn settle_with_extra(extra: &str) -> WorkOrderCommand {
    let mut c = settle_cmd(command_of("Invoice reconciled"));
    c.invoice.sublet = c.invoice.sublet.checked_add(cny(extra)).unwrap();
    let net = c
        .invoice
        .total
        .checked_sub(c.invoice.tax)
        .unwrap()
        .checked_add(cny(extra))
        .unwrap();
    c.invoice.tax = "13"
        .parse::<aftersales::Percent>()
        .unwrap()
        .of(net)
        .unwrap()
        .round(2);
    c.invoice.total = net.checked_add(c.invoice.tax).unwrap();
    C::Settle(c)
}

fn delivered_order() -> WorkOrder {
    order_after(steps().len()).0
}

fn closed_order() -> WorkOrder {
    let (events, order) = accepted(
        &delivered_order(),
        C::Close {
            at: ts("2026-11-28T10:00:00+08:00"),
            outcome: FollowUpOutcome::Completed,
        },
        &policy(),
    );
    assert_eq!(events.len(), 1);
    order
}

fn cancel(at: At, terms: CancellationTerms) -> WorkOrderCommand {
    C::Cancel {
        at,
        reason: "the customer takes the car elsewhere".into(),
        terms,
    }
}

// ------------------------------------------------- scenarios (errors only)
//
// Each returns the refusal; the tests below assert its rule, and
// `guard_messages` pins the wording of a selection.

fn dispatch_before_authorization() -> WorkOrderError {
    let (order, cmd) = before("The workshop asks to dispatch before the customer signed");
    refused(&order, cmd, &policy())
}

fn start_unauthorized_add_on() -> WorkOrderError {
    let (order, cmd) = before("The technician wants to start the rear discs");
    refused(&order, cmd, &policy())
}

fn reception_without_requests() -> WorkOrderError {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.requests.clear();
    refused(&order, C::ReceiveVehicle(c), &policy())
}

fn authorize_without_phone() -> WorkOrderError {
    let n = step_index("The customer chooses the cheaper gearbox option");
    let order = story_with(n, |_, cmd| {
        if let C::ReceiveVehicle(r) = cmd {
            r.customer.phone = None;
        }
        true
    });
    let mut c = authorize_cmd(command_of(
        "The customer chooses the cheaper gearbox option",
    ));
    c.contact_phone = None;
    refused(&order, C::AuthorizeOrder(c), &policy())
}

fn walk_around_without_customer() -> WorkOrderError {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.walk_around.presence = Presence::CustomerAbsent;
    refused(&order, C::ReceiveVehicle(c), &policy())
}

fn covers_missing() -> WorkOrderError {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.covers_fitted = vec![ProtectiveCover::Seat, ProtectiveCover::FloorMat];
    refused(&order, C::ReceiveVehicle(c), &policy())
}

fn estimate_without_road_test() -> WorkOrderError {
    let n = step_index("Estimate presented");
    let road_test = step_index("Road test with the customer");
    let order = story_with(n, |i, _| i != road_test);
    refused(&order, command_of("Estimate presented"), &policy())
}

fn estimate_without_diagnosis_signature() -> WorkOrderError {
    let n = step_index("Estimate presented");
    let signed = step_index("The customer signs the diagnosis sheet");
    let order = story_with(n, |i, _| i != signed);
    refused(&order, command_of("Estimate presented"), &policy())
}

fn reception_by_another_advisor() -> WorkOrderError {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.advisor = staff("SA-02 陈伟");
    refused(&order, C::ReceiveVehicle(c), &policy())
}

fn estimate_without_bay() -> WorkOrderError {
    let n = step_index("Estimate presented");
    let bay = step_index("Bay 3 confirmed");
    let order = story_with(n, |i, _| i != bay);
    refused(&order, command_of("Estimate presented"), &policy())
}

fn estimate_with_unconfirmed_part() -> WorkOrderError {
    let n = step_index("Estimate presented");
    let confirm = step_index("Parts store confirms the brake pads");
    let order = story_with(n, |i, _| i != confirm);
    refused(&order, command_of("Estimate presented"), &policy())
}

fn promise_not_after_now() -> WorkOrderError {
    let order = order_before("Estimate presented");
    let cmd = C::PresentEstimate {
        at: t(9, 45),
        promised_delivery: t(9, 45),
    };
    refused(&order, cmd, &policy())
}

fn authorize_by_phone() -> WorkOrderError {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.method = AuthorizationMethod::Phone;
    refused(&order, C::AuthorizeOrder(c), &policy())
}

fn propose_item_after_authorization() -> WorkOrderError {
    let order = order_before("Dispatched to");
    let cmd = C::ProposeItem {
        at: t(9, 58),
        item: draft(vec![labour("replace rear shock absorber", "1.0")]),
    };
    refused(&order, cmd, &policy())
}

fn second_add_on_batch() -> WorkOrderError {
    let order = order_through("On the lift");
    let cmd = C::ProposeAddOns(ProposeAddOns {
        at: t(11, 15),
        found_by: staff("T-12 张师傅"),
        found_at: t(11, 15),
        items: vec![draft(vec![labour("replace rear shock absorber", "1.0")])],
    });
    refused(&order, cmd, &policy())
}

fn start_declined_item() -> WorkOrderError {
    let order = order_through("By phone the customer authorizes the discs");
    let cmd = C::StartItem {
        at: t(11, 30),
        item: ItemNo(5),
        technician: staff("T-12 张师傅"),
    };
    refused(&order, cmd, &policy())
}

fn deliver_without_mentioning_declined() -> WorkOrderError {
    let order = order_before("Delivered at the car");
    let mut checklist = delivery_checklist();
    checklist.declined_items_mentioned = Check::NotDone;
    let cmd = C::Deliver {
        at: t(17, 30),
        checklist,
    };
    refused(&order, cmd, &policy())
}

fn finish_with_open_item() -> WorkOrderError {
    let order = order_before("Item 4 done and signed");
    refused(&order, C::FinishRepair { at: t(14, 40) }, &policy())
}

fn complete_never_started() -> WorkOrderError {
    let order = order_before("Work starts on item 4");
    let cmd = C::CompleteItem {
        at: t(11, 25),
        item: ItemNo(4),
        technician: staff("T-12 张师傅"),
    };
    refused(&order, cmd, &policy())
}

fn duplicate_checkpoint() -> WorkOrderError {
    let order = order_through("First progress check");
    let cmd = C::RecordProgressCheck {
        at: t(10, 40),
        checkpoint: Checkpoint::AfterStart,
    };
    refused(&order, cmd, &policy())
}

fn final_check_before_self_check() -> WorkOrderError {
    let order = order_before("Self-check passed");
    assert_eq!(order.stage(), Stage::SelfCheck);
    let cmd = C::RecordFinalCheck {
        at: t(15, 0),
        inspector: staff("QC-03 赵工"),
        outcome: CheckOutcome::Pass,
        steps: Some(QualitySteps::ALL_DONE),
    };
    refused(&order, cmd, &policy())
}

fn prepare_before_qc_pass() -> WorkOrderError {
    let order = order_before("Final check passed");
    assert_eq!(order.stage(), Stage::QualityCheck);
    let cmd = C::PrepareDelivery {
        at: t(16, 20),
        checklist: pre_delivery_checklist(),
    };
    refused(&order, cmd, &policy())
}

fn deliver_without_explaining_open_problem() -> WorkOrderError {
    let order = order_before("Delivered at the car");
    let mut checklist = delivery_checklist();
    checklist.open_problems_explained = Check::NotDone;
    let cmd = C::Deliver {
        at: t(17, 30),
        checklist,
    };
    refused(&order, cmd, &policy())
}

fn prepare_delivery_missing_everything() -> WorkOrderError {
    let order = order_before("Washed, parked at D-04");
    let cmd = C::PrepareDelivery {
        at: t(16, 40),
        checklist: PreDeliveryChecklist {
            cleaned: Check::NotDone,
            parking_position: None,
            old_parts: OldParts::NotHandled,
            settlement_statement: Check::NotDone,
            advisor_signature: None,
        },
    };
    refused(&order, cmd, &policy())
}

fn labour_hours_mismatch() -> WorkOrderError {
    let (order, cmd) = before("Invoice reconciled");
    let mut c = settle_cmd(cmd);
    c.invoice.labour_hours = "4.0".parse().unwrap();
    refused(&order, C::Settle(c), &policy())
}

fn invoice_below_agreed_price() -> WorkOrderError {
    let (order, cmd) = before("Invoice reconciled");
    let mut c = settle_cmd(cmd);
    c.invoice.discounts = c.invoice.discounts.checked_add(cny("10")).unwrap();
    c.invoice.total = c.invoice.total.checked_sub(cny("10")).unwrap();
    refused(&order, C::Settle(c), &policy())
}

fn deliver_missing_every_explanation() -> WorkOrderError {
    let order = order_before("Delivered at the car");
    let cmd = C::Deliver {
        at: t(17, 30),
        checklist: DeliveryChecklist {
            work_explained: WorkExplanation::NotExplained,
            invoice_explained: Check::NotDone,
            extra_work_explained: Check::NotDone,
            open_problems_explained: Check::Done,
            declined_items_mentioned: Check::Done,
            old_parts_shown: Check::NotDone,
            next_maintenance: None,
            follow_up_promised: Check::NotDone,
        },
    };
    refused(&order, cmd, &policy())
}

fn close_before_delivery() -> WorkOrderError {
    let order = order_before("Delivered at the car");
    let cmd = C::Close {
        at: t(17, 30),
        outcome: FollowUpOutcome::Completed,
    };
    refused(&order, cmd, &policy())
}

fn command_on_closed_order() -> WorkOrderError {
    let order = closed_order();
    let cmd = C::RecordUncorrectedProblem {
        at: ts("2026-11-29T10:00:00+08:00"),
        description: "customer reports a rattle".into(),
        safety: Safety::NotSafetyRelated,
    };
    refused(&order, cmd, &policy())
}

fn courtesy_car_not_fuelled() -> WorkOrderError {
    let order = order_through("Dispatched to");
    let cmd = C::HandOverCourtesyCar {
        at: t(10, 2),
        checklist: CourtesyCarChecklist {
            enough_fuel: Check::NotDone,
            clean: Check::Done,
            ready: Check::Done,
        },
    };
    refused(&order, cmd, &policy())
}

fn cancel_free_after_dispatch() -> WorkOrderError {
    let order = order_through("Dispatched to");
    refused(&order, cancel(t(10, 2), CancellationTerms::Free), &policy())
}

fn cancel_after_delivery() -> WorkOrderError {
    let order = delivered_order();
    refused(
        &order,
        cancel(ts("2026-11-25T09:00:00+08:00"), CancellationTerms::Free),
        &policy(),
    )
}

fn authorize_leaving_item_unanswered() -> WorkOrderError {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.authorized = vec![ItemNo(1), ItemNo(2)];
    c.choices.clear();
    refused(&order, C::AuthorizeOrder(c), &policy())
}

/// The order before the estimate, with the brake pads expected at 18:00
/// instead of in stock.
fn order_with_late_brake_pads() -> WorkOrder {
    let n = step_index("Estimate presented");
    story_with(n, |_, cmd| {
        if let C::ConfirmPartAvailability { availability, .. } = cmd {
            *availability = PartAvailability::Expected { arrival: t(18, 0) };
        }
        true
    })
}

fn promise_before_part_arrival() -> WorkOrderError {
    refused(
        &order_with_late_brake_pads(),
        command_of("Estimate presented"),
        &policy(),
    )
}

fn item_without_lines() -> WorkOrderError {
    let (order, cmd) = propose_at_reception(draft(vec![]));
    refused(&order, cmd, &policy())
}

fn single_option() -> WorkOrderError {
    let (order, cmd) = propose_at_reception(with_options(vec![option(
        "recharge the refrigerant",
        "cheap; a leak comes back",
        vec![labour("recharge refrigerant", "0.5")],
    )]));
    refused(&order, cmd, &policy())
}

fn option_without_trade_offs() -> WorkOrderError {
    let (order, cmd) = propose_at_reception(with_options(vec![
        option(
            "recharge the refrigerant",
            "cheap; a leak comes back",
            vec![labour("recharge refrigerant", "0.5")],
        ),
        option(
            "replace the condenser",
            "  ",
            vec![labour("replace condenser", "2.0")],
        ),
    ]));
    refused(&order, cmd, &policy())
}

fn authorized_options_without_choice() -> WorkOrderError {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.choices.clear();
    refused(&order, C::AuthorizeOrder(c), &policy())
}

fn signed_total_differs() -> WorkOrderError {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.estimated_total = c.estimated_total.checked_add(cny("0.01")).unwrap();
    refused(&order, C::AuthorizeOrder(c), &policy())
}

/// Both add-ons authorized: 1378.60 + 135.60 = 1514.20 CNY, above the
/// signed price limit of 1500 CNY.
fn both_add_ons(method: AuthorizationMethod) -> WorkOrderCommand {
    let mut c = answer_cmd(command_of("By phone the customer authorizes the discs"));
    let add_ons = story::add_on_items().unwrap();
    c.method = method;
    c.authorized = vec![ItemNo(4), ItemNo(5)];
    c.declined.clear();
    c.amount = story::gross(add_ons.iter().flat_map(|i| i.lines.iter())).unwrap();
    C::AnswerAddOns(c)
}

fn phone_add_on_above_price_limit() -> WorkOrderError {
    let order = order_before("By phone the customer authorizes the discs");
    refused(&order, both_add_ons(AuthorizationMethod::Phone), &policy())
}

fn settle_above_authorized() -> WorkOrderError {
    let order = order_before("Invoice reconciled");
    refused(&order, settle_with_extra("0.01"), &policy())
}

fn add_on_amount_differs() -> WorkOrderError {
    let (order, cmd) = before("By phone the customer authorizes the discs");
    let mut c = answer_cmd(cmd);
    c.amount = c.amount.checked_add(cny("0.01")).unwrap();
    refused(&order, C::AnswerAddOns(c), &policy())
}

fn discount_above_front_line_cap() -> WorkOrderError {
    let (order, cmd) = propose_at_reception(draft(vec![
        labour("replace rear shock absorber", "1.0")
            .with_discount(discount("250", AuthorityRole::FrontLine)),
    ]));
    refused(&order, cmd, &policy())
}

fn promise_before_bay_and_hours() -> WorkOrderError {
    let order = order_before("Estimate presented");
    let cmd = C::PresentEstimate {
        at: t(9, 45),
        promised_delivery: t(11, 59),
    };
    refused(&order, cmd, &policy())
}

fn time_going_backwards() -> WorkOrderError {
    let order = order_before("Item 1 done and signed");
    let cmd = C::CompleteItem {
        at: t(11, 0),
        item: ItemNo(1),
        technician: staff("T-12 张师傅"),
    };
    refused(&order, cmd, &policy())
}

// ------------------------------------------------------------- WO-01

#[test]
fn wo01_reception_needs_a_request() {
    let err = reception_without_requests();
    assert_rule(&err, RuleId::Wo01);
    assert_mentions(&err, "no customer request is recorded");
}

#[test]
fn wo01_reception_without_phone_records_a_risk() {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.customer.phone = None;
    let (events, order) = accepted(&order, C::ReceiveVehicle(c), &policy());
    let risks = risks(&events);
    assert!(
        risks.iter().any(|(rule, d)| *rule == RuleId::Wo01
            && d.contains("no contact phone: the order cannot be authorized")),
        "{risks:?}"
    );
    assert_eq!(order.stage(), Stage::Reception);
}

#[test]
fn wo01_no_contact_phone_at_authorization() {
    let err = authorize_without_phone();
    assert_rule(&err, RuleId::Wo01);
    assert_mentions(&err, "no contact phone is recorded");
}

#[test]
fn wo01_phone_given_at_authorization_is_signed() {
    let n = step_index("The customer chooses the cheaper gearbox option");
    let order = story_with(n, |_, cmd| {
        if let C::ReceiveVehicle(r) = cmd {
            r.customer.phone = None;
        }
        true
    });
    let mut c = authorize_cmd(command_of(
        "The customer chooses the cheaper gearbox option",
    ));
    let phone: aftersales::PhoneNumber = "139 1234 5678".parse().unwrap();
    c.contact_phone = Some(phone.clone());
    let (_, order) = accepted(&order, C::AuthorizeOrder(c), &policy());
    assert_eq!(order.terms().unwrap().contact_phone, phone);
}

#[test]
fn wo01_receive_twice() {
    let order = order_before("Road test with the customer");
    let err = refused(&order, command_of("Reception: walk-around"), &policy());
    assert_rule(&err, RuleId::Wo01);
    assert_mentions(
        &err,
        "the vehicle is received once (the order is reception)",
    );
}

#[test]
fn wo01_propose_item_before_reception() {
    let order = order_through("Appointment booked");
    let cmd = C::ProposeItem {
        at: t(8, 0),
        item: draft(vec![labour("replace rear shock absorber", "1.0")]),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo01);
}

#[test]
fn reception_request_without_description_is_invalid() {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.requests[1].description = "  ".into();
    let err = refused(&order, C::ReceiveVehicle(c), &policy());
    assert_field(&err, "requests");
}

#[test]
fn reception_without_model_is_invalid() {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.vehicle.model = String::new();
    let err = refused(&order, C::ReceiveVehicle(c), &policy());
    assert_field(&err, "vehicle.model");
}

// ------------------------------------------------------------- WO-02

#[test]
fn wo02_walk_around_without_the_customer() {
    let err = walk_around_without_customer();
    assert_rule(&err, RuleId::Wo02);
}

#[test]
fn wo02_empty_finding_is_invalid() {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.walk_around.findings.push(" ".into());
    let err = refused(&order, C::ReceiveVehicle(c), &policy());
    assert_field(&err, "walk_around.findings");
}

// ------------------------------------------------------------- WO-03

#[test]
fn wo03_missing_cover_is_refused_by_default() {
    let err = covers_missing();
    assert_rule(&err, RuleId::Wo03);
    assert_mentions(&err, "steering-wheel cover");
}

#[test]
fn wo03_missing_cover_is_a_risk_when_the_policy_says_so() {
    let policy = Policy::default()
        .with_work_order(WorkOrderPolicy {
            protective_covers: Enforcement::RecordRisk,
            ..WorkOrderPolicy::default()
        })
        .unwrap();
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.covers_fitted = vec![ProtectiveCover::Seat, ProtectiveCover::FloorMat];
    let (events, order) = accepted(&order, C::ReceiveVehicle(c), &policy);
    let wo03: Vec<_> = risks(&events)
        .into_iter()
        .filter(|(rule, _)| *rule == RuleId::Wo03)
        .collect();
    assert_eq!(wo03.len(), 1, "{wo03:?}");
    assert!(wo03[0].1.contains("steering-wheel cover"), "{wo03:?}");
    assert!(!wo03[0].1.contains("seat cover"), "{wo03:?}");
    assert!(order.risks().iter().any(|r| r.rule == RuleId::Wo03));
}

// ------------------------------------------------------------- WO-04

#[test]
fn wo04_missing_documents_are_risks_not_refusals() {
    let (order, cmd) = before("Reception: walk-around");
    let mut c = receive_cmd(cmd);
    c.documents_present.clear();
    let (events, order) = accepted(&order, C::ReceiveVehicle(c), &policy());
    let wo04: Vec<String> = risks(&events)
        .into_iter()
        .filter(|(rule, _)| *rule == RuleId::Wo04)
        .map(|(_, d)| d)
        .collect();
    assert_eq!(wo04.len(), 5, "{wo04:?}");
    assert!(wo04.contains(&"wheel-lock key missing at reception (车轮防盗螺栓)".to_string()));
    assert!(wo04.contains(&"radio code missing at reception (收音机密码)".to_string()));
    assert_eq!(order.stage(), Stage::Reception);
}

#[test]
fn wo04_the_story_records_only_the_wheel_lock_key() {
    let (order, log) = order_after(step_index("Road test with the customer"));
    assert_eq!(
        risks(&log),
        vec![(
            RuleId::Wo04,
            "wheel-lock key missing at reception (车轮防盗螺栓)".to_string()
        )]
    );
    assert_eq!(order.risks().len(), 1);
}

#[test]
fn wo04_a_policy_listing_a_document_twice_names_it_in_words() {
    let err = serde_json::from_str::<Policy>(
        r#"{ "work_order": { "reception_documents": ["radio_code", "wheel_lock_key", "wheel_lock_key"] } }"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(
            "`work_order.reception_documents` lists wheel-lock key (车轮防盗螺栓) twice (WO-04)"
        ),
        "{err}"
    );
}

#[test]
fn wo04_documents_are_labelled_as_the_source_lists_them() {
    // [000]: 检查您所需全部文件(收音机密码、车轮防盗螺栓、维修记录、驾照、随车文件)
    let zh: Vec<&str> = ReceptionDocument::ALL
        .iter()
        .map(|d| d.label_zh())
        .collect();
    assert_eq!(
        zh,
        ["收音机密码", "车轮防盗螺栓", "维修记录", "驾照", "随车文件"]
    );
    let en: Vec<&str> = ReceptionDocument::ALL
        .iter()
        .map(|d| d.label_en())
        .collect();
    assert_eq!(
        en,
        [
            "radio code",
            "wheel-lock key",
            "service records",
            "driving licence",
            "vehicle documents"
        ]
    );
    // 驾照 is the driving licence, not the vehicle registration (行驶证).
    assert!(!zh.contains(&"行驶证") && !zh.contains(&"保养手册"));
    // Stored JSON keeps the earlier names.
    assert_eq!(
        serde_json::to_string(&ReceptionDocument::ALL).unwrap(),
        r#"["radio_code","wheel_lock_key","service_record_book","driving_licence","vehicle_documents"]"#
    );
}

// ------------------------------------------------------------- WO-05

#[test]
fn wo05_driving_fault_needs_a_road_test_before_the_estimate() {
    let err = estimate_without_road_test();
    assert_rule(&err, RuleId::Wo05);
}

#[test]
fn wo05_a_road_test_without_the_customer_does_not_count() {
    let n = step_index("Estimate presented");
    let order = story_with(n, |_, cmd| {
        if let C::RecordRoadTest { presence, .. } = cmd {
            *presence = Presence::CustomerAbsent;
        }
        true
    });
    let err = refused(&order, command_of("Estimate presented"), &policy());
    assert_rule(&err, RuleId::Wo05);
}

#[test]
fn wo05_road_test_before_reception() {
    let order = WorkOrder::new(story::order_no().unwrap());
    let cmd = C::RecordRoadTest {
        at: t(9, 0),
        presence: Presence::CustomerPresent,
        findings: "squeal".into(),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo05);
}

// ------------------------------------------------------------- WO-06

#[test]
fn wo06_estimate_needs_the_signed_diagnosis_sheet() {
    let err = estimate_without_diagnosis_signature();
    assert_rule(&err, RuleId::Wo06);
}

#[test]
fn wo06_diagnosis_sheet_signed_twice() {
    let order = order_before("Item 1: maintenance");
    let err = refused(&order, C::SignDiagnosisSheet { at: t(9, 35) }, &policy());
    assert_rule(&err, RuleId::Wo06);
    assert_mentions(&err, "already signed");
}

#[test]
fn wo06_diagnosis_sheet_signed_after_the_estimate() {
    let order = order_through("Estimate presented");
    let err = refused(&order, C::SignDiagnosisSheet { at: t(9, 50) }, &policy());
    assert_rule(&err, RuleId::Wo06);
}

// ------------------------------------------------------------- WO-07

#[test]
fn wo07_reception_by_another_advisor_than_the_appointment() {
    let err = reception_by_another_advisor();
    assert_rule(&err, RuleId::Wo07);
    assert_mentions(&err, "SA-07 李娜");
}

#[test]
fn wo07_any_advisor_without_an_appointment() {
    let order = WorkOrder::new(story::order_no().unwrap());
    let mut c = receive_cmd(command_of("Reception: walk-around"));
    c.advisor = staff("SA-02 陈伟");
    let (_, order) = accepted(&order, C::ReceiveVehicle(c), &policy());
    assert_eq!(order.reception().unwrap().advisor, staff("SA-02 陈伟"));
}

#[test]
fn wo07_appointment_after_reception() {
    let order = order_through("Reception: walk-around");
    let cmd = C::BookAppointment {
        at: t(9, 10),
        slot: t(10, 0),
        advisor: staff("SA-07 李娜"),
        agreements: vec![],
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo07);
}

#[test]
fn appointment_slot_before_booking_is_invalid() {
    let order = WorkOrder::new(story::order_no().unwrap());
    let cmd = C::BookAppointment {
        at: t(9, 10),
        slot: t(9, 0),
        advisor: staff("SA-07 李娜"),
        agreements: vec![],
    };
    let err = refused(&order, cmd, &policy());
    assert_field(&err, "slot");
}

// ------------------------------------------------------------- WO-08

#[test]
fn wo08_estimate_needs_a_bay() {
    let err = estimate_without_bay();
    assert_rule(&err, RuleId::Wo08);
    assert_mentions(&err, "no workshop bay is confirmed");
}

#[test]
fn wo08_estimate_needs_confirmed_parts() {
    let err = estimate_with_unconfirmed_part();
    assert_rule(&err, RuleId::Wo08);
    assert_mentions(&err, "parts availability not confirmed for item #2");
}

#[test]
fn wo08_bay_confirmed_after_authorization() {
    let order = order_before("Dispatched to");
    let cmd = C::ConfirmWorkshopBay {
        at: t(9, 58),
        bay: "Bay 4".into(),
        available_from: t(10, 0),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo08);
}

#[test]
fn wo08_empty_bay_name_is_invalid() {
    let order = order_before("Bay 3 confirmed");
    let cmd = C::ConfirmWorkshopBay {
        at: t(9, 40),
        bay: " ".into(),
        available_from: t(10, 0),
    };
    let err = refused(&order, cmd, &policy());
    assert_field(&err, "bay");
}

#[test]
fn wo08_part_confirmed_after_the_repair() {
    let order = order_before("Self-check passed");
    assert_eq!(order.stage(), Stage::SelfCheck);
    let cmd = C::ConfirmPartAvailability {
        at: t(14, 55),
        item: ItemNo(2),
        option: None,
        line: 1,
        availability: PartAvailability::InStock,
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo30);
    assert_mentions(&err, "a later change is a part delay");
}

#[test]
fn part_confirmation_input_is_checked() {
    let (order, cmd) = before("Parts store confirms the brake pads");
    let C::ConfirmPartAvailability {
        at,
        item,
        option,
        line,
        availability,
    } = cmd
    else {
        panic!("not a part confirmation");
    };
    let with = |item: ItemNo, option: Option<usize>, line: usize, a: PartAvailability| {
        C::ConfirmPartAvailability {
            at,
            item,
            option,
            line,
            availability: a,
        }
    };
    let p = policy();
    assert_field(
        &refused(&order, with(ItemNo(9), option, line, availability), &p),
        "item",
    );
    assert_field(
        &refused(&order, with(ItemNo(3), Some(2), 0, availability), &p),
        "option",
    );
    // Line 0 of item 2 is labour, and item 2 has only two lines.
    assert_field(
        &refused(&order, with(item, option, 0, availability), &p),
        "line",
    );
    assert_field(
        &refused(&order, with(item, option, 2, availability), &p),
        "line",
    );
    assert_field(
        &refused(
            &order,
            with(item, option, line, PartAvailability::Unconfirmed),
            &p,
        ),
        "availability",
    );
    // An option's part line can be confirmed.
    accepted(&order, with(ItemNo(3), Some(1), 1, availability), &p);
}

// ------------------------------------------------------------- WO-09

#[test]
fn wo09_promise_must_be_after_now() {
    let err = promise_not_after_now();
    assert_rule(&err, RuleId::Wo09);
}

#[test]
fn wo09_authorize_before_the_estimate() {
    let order = order_before("Estimate presented");
    let cmd = command_of("The customer chooses the cheaper gearbox option");
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo09);
}

#[test]
fn wo09_estimate_after_authorization() {
    let order = order_before("Dispatched to");
    let cmd = C::PresentEstimate {
        at: t(9, 58),
        promised_delivery: t(18, 0),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo09);
}

#[test]
fn wo09_proposing_an_item_after_the_estimate_needs_a_new_estimate() {
    let order = order_through("Estimate presented");
    let cmd = C::ProposeItem {
        at: t(9, 50),
        item: draft(vec![labour("replace rear shock absorber", "1.0")]),
    };
    let (_, order) = accepted(&order, cmd, &policy());
    assert_eq!(order.stage(), Stage::Reception);
    let mut c = authorize_cmd(command_of(
        "The customer chooses the cheaper gearbox option",
    ));
    c.authorized.push(ItemNo(4));
    let err = refused(&order, C::AuthorizeOrder(c), &policy());
    assert_rule(&err, RuleId::Wo09);
}

// ------------------------------------------------------------- WO-10

#[test]
fn wo10_dispatch_before_authorization() {
    let err = dispatch_before_authorization();
    assert_rule(&err, RuleId::Wo10);
    assert_eq!(
        err.to_string(),
        "work order `WO-2026-1124-017` cannot be dispatched: not authorized by the customer (WO-10)"
    );
}

#[test]
fn wo10_authorization_by_phone() {
    let err = authorize_by_phone();
    assert_rule(&err, RuleId::Wo10);
    assert_mentions(&err, "not by phone");
}

#[test]
fn wo10_digital_signature_authorizes() {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.method = AuthorizationMethod::DigitalSignature;
    let (_, order) = accepted(&order, C::AuthorizeOrder(c), &policy());
    assert_eq!(order.stage(), Stage::Authorized);
}

#[test]
fn wo10_authorize_nothing() {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let mut c = authorize_cmd(cmd);
    c.authorized.clear();
    c.declined = vec![ItemNo(1), ItemNo(2), ItemNo(3)];
    c.choices.clear();
    c.estimated_total = cny("0");
    let err = refused(&order, C::AuthorizeOrder(c), &policy());
    assert_rule(&err, RuleId::Wo10);
    assert_mentions(&err, "cancel the order instead");
}

#[test]
fn wo10_authorize_twice() {
    let order = order_before("Dispatched to");
    let mut c = authorize_cmd(command_of(
        "The customer chooses the cheaper gearbox option",
    ));
    c.at = t(9, 58);
    let err = refused(&order, C::AuthorizeOrder(c), &policy());
    assert_rule(&err, RuleId::Wo10);
    assert_mentions(&err, "the order is already authorized");
}

#[test]
fn wo10_dispatch_twice() {
    let order = order_through("Dispatched to");
    let cmd = C::Dispatch {
        at: t(10, 1),
        technician: staff("T-13 刘师傅"),
        team: None,
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo10);
}

#[test]
fn wo10_start_before_dispatch() {
    let order = order_before("Dispatched to");
    let cmd = C::StartItem {
        at: t(10, 0),
        item: ItemNo(1),
        technician: staff("T-12 张师傅"),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo10);
}

// ------------------------------------------------------------- WO-11

#[test]
fn wo11_start_an_unauthorized_add_on() {
    let err = start_unauthorized_add_on();
    assert_rule(&err, RuleId::Wo11);
    assert_mentions(&err, "item #4 `rear brake discs below minimum thickness`");
}

#[test]
fn wo11_propose_an_item_after_authorization() {
    let err = propose_item_after_authorization();
    assert_rule(&err, RuleId::Wo11);
}

#[test]
fn wo11_add_ons_before_dispatch() {
    let order = order_before("Dispatched to");
    let cmd = C::ProposeAddOns(ProposeAddOns {
        at: t(9, 58),
        found_by: staff("T-12 张师傅"),
        found_at: t(9, 58),
        items: story::add_on_items().unwrap(),
    });
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo11);
}

#[test]
fn wo11_add_ons_after_the_repair() {
    let order = order_before("Self-check passed");
    let cmd = C::ProposeAddOns(ProposeAddOns {
        at: t(14, 55),
        found_by: staff("T-12 张师傅"),
        found_at: t(14, 55),
        items: story::add_on_items().unwrap(),
    });
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo11);
}

#[test]
fn wo11_complete_an_unauthorized_add_on() {
    let order = order_through("On the lift");
    let cmd = C::CompleteItem {
        at: t(11, 12),
        item: ItemNo(4),
        technician: staff("T-12 张师傅"),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo11);
}

#[test]
fn wo11_finish_while_add_ons_await_an_answer() {
    let order = order_through("On the lift");
    let err = refused(&order, C::FinishRepair { at: t(11, 12) }, &policy());
    assert_rule(&err, RuleId::Wo11);
    assert_mentions(&err, "add-on batch 1 still awaits");
}

#[test]
fn wo11_answer_when_no_batch_awaits() {
    let order = order_through("By phone the customer authorizes the discs");
    let mut c = answer_cmd(command_of("By phone the customer authorizes the discs"));
    c.at = t(11, 21);
    let err = refused(&order, C::AnswerAddOns(c), &policy());
    assert_rule(&err, RuleId::Wo11);
}

#[test]
fn add_on_batch_input_is_checked() {
    let order = order_through("Work starts on item 3");
    let empty = C::ProposeAddOns(ProposeAddOns {
        at: t(11, 10),
        found_by: staff("T-12 张师傅"),
        found_at: t(11, 10),
        items: vec![],
    });
    assert_field(&refused(&order, empty, &policy()), "items");

    let (order, cmd) = before("By phone the customer authorizes the discs");
    let mut c = answer_cmd(cmd);
    c.batch = 2;
    assert_field(&refused(&order, C::AnswerAddOns(c), &policy()), "batch");
}

// ------------------------------------------------------------- WO-12

#[test]
fn wo12_second_batch_while_the_first_awaits_an_answer() {
    let err = second_add_on_batch();
    assert_rule(&err, RuleId::Wo12);
    assert_mentions(&err, "batch 1 still awaits the customer's answer");
}

/// The discs and the wipers were found on the lift at 11:05; the story
/// presents both at 11:10. Here the discs go alone, are answered, and the
/// wipers follow in a second call.
fn split_inspection() -> (WorkOrder, WorkOrderCommand) {
    let i = step_index("By phone the customer authorizes the discs");
    let order = story_with(i + 1, |_, command| {
        match command {
            C::ProposeAddOns(c) => c.items.truncate(1),
            C::AnswerAddOns(c) => c.declined.clear(),
            _ => {}
        }
        true
    });
    assert_eq!(order.add_on_batches().len(), 1);
    assert!(order.add_on_batches()[0].answered_at.is_some());
    let wipers = story::add_on_items().unwrap().swap_remove(1);
    let second = C::ProposeAddOns(ProposeAddOns {
        at: t(11, 22),
        found_by: staff("T-12 张师傅"),
        found_at: t(11, 5),
        items: vec![wipers],
    });
    (order, second)
}

fn withheld_add_on() -> WorkOrderError {
    let (order, second) = split_inspection();
    refused(&order, second, &policy())
}

#[test]
fn wo12_findings_of_one_inspection_withheld_for_a_second_call() {
    let err = withheld_add_on();
    assert_rule(&err, RuleId::Wo12);
    assert_ne!(err.rule(), Some(RuleId::Wo29));
    assert_mentions(&err, "batch 1 at `2026-11-24 11:10:00 +08:00`");
    assert_mentions(
        &err,
        "inspection by `T-12 张师傅` at `2026-11-24 11:05:00 +08:00`",
    );
    assert_mentions(&err, "一次性");
}

#[test]
fn wo12_a_later_inspection_is_a_new_batch() {
    let (order, second) = split_inspection();
    // The same technician, one minute later: another inspection.
    let C::ProposeAddOns(mut c) = second.clone() else {
        unreachable!()
    };
    c.found_at = t(11, 6);
    let (events, order) = accepted(&order, C::ProposeAddOns(c), &policy());
    assert!(matches!(
        events[0],
        WorkOrderEvent::AddOnsProposed { batch: 2, found_at: Some(at), .. } if at == t(11, 6)
    ));
    let batch = &order.add_on_batches()[1];
    assert_eq!(batch.found_at, Some(t(11, 6)));
    assert_eq!(batch.found_by, staff("T-12 张师傅"));
    // Another finder at the same minute is another inspection too.
    let (order, _) = split_inspection();
    let C::ProposeAddOns(mut c) = second else {
        unreachable!()
    };
    c.found_by = staff("T-14 李师傅");
    accepted(&order, C::ProposeAddOns(c), &policy());
}

#[test]
fn wo12_the_story_records_the_inspection_of_its_batch() {
    let order = order_through("On the lift");
    let batch = &order.add_on_batches()[0];
    assert_eq!(batch.found_at, Some(t(11, 5)));
    assert_eq!(batch.proposed_at, t(11, 10));
    assert_eq!(batch.items, [ItemNo(4), ItemNo(5)]);
}

#[test]
fn wo12_found_after_presented_is_malformed() {
    let order = order_through("Work starts on item 3");
    let C::ProposeAddOns(mut c) = command_of("On the lift") else {
        unreachable!()
    };
    c.found_at = c.at + chrono::TimeDelta::seconds(1);
    assert_field(
        &refused(&order, C::ProposeAddOns(c.clone()), &policy()),
        "found_at",
    );
    // Found at the very time of the presentation is fine.
    c.found_at = c.at;
    accepted(&order, C::ProposeAddOns(c), &policy());
}

// ------------------------------------------------------------- WO-13

#[test]
fn wo13_start_a_declined_item() {
    let err = start_declined_item();
    assert_rule(&err, RuleId::Wo13);
    assert_mentions(&err, "item #5 `wiper blades cracked`");
}

#[test]
fn wo13_complete_a_declined_item() {
    let order = order_through("By phone the customer authorizes the discs");
    let cmd = C::CompleteItem {
        at: t(11, 30),
        item: ItemNo(5),
        technician: staff("T-12 张师傅"),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo13);
}

#[test]
fn wo13_delivery_without_mentioning_declined_items() {
    let err = deliver_without_mentioning_declined();
    assert_rule(&err, RuleId::Wo13);
}

#[test]
fn wo13_declining_a_safety_add_on_records_a_risk() {
    let (order, cmd) = before("By phone the customer authorizes the discs");
    let mut c = answer_cmd(cmd);
    c.authorized = vec![ItemNo(5)];
    c.declined = vec![ItemNo(4)];
    c.amount = story::gross(&story::add_on_items().unwrap()[1].lines).unwrap();
    let (events, _) = accepted(&order, C::AnswerAddOns(c), &policy());
    assert_eq!(
        risks(&events),
        vec![(
            RuleId::Wo13,
            "safety item #4 `rear brake discs below minimum thickness` declined or deferred by the customer"
                .to_string()
        )]
    );
}

// ------------------------------------------------------------- WO-14

#[test]
fn wo14_finish_with_an_item_not_completed() {
    let err = finish_with_open_item();
    assert_rule(&err, RuleId::Wo14);
    assert_mentions(&err, "authorized item #4 is neither completed nor declined");
}

#[test]
fn wo14_complete_an_item_never_started() {
    let err = complete_never_started();
    assert_rule(&err, RuleId::Wo14);
    assert_mentions(&err, "work on item #4 was never started");
}

#[test]
fn wo14_finish_before_work_started() {
    let order = order_through("Dispatched to");
    let err = refused(&order, C::FinishRepair { at: t(10, 1) }, &policy());
    assert_rule(&err, RuleId::Wo14);
}

#[test]
fn wo14_complete_before_work_started() {
    let order = order_through("Dispatched to");
    let cmd = C::CompleteItem {
        at: t(10, 1),
        item: ItemNo(1),
        technician: staff("T-12 张师傅"),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo14);
}

#[test]
fn wo14_start_during_self_check() {
    let order = order_before("Self-check passed");
    let cmd = C::StartItem {
        at: t(14, 55),
        item: ItemNo(1),
        technician: staff("T-12 张师傅"),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo14);
}

#[test]
fn start_and_complete_are_checked_against_the_item_status() {
    let order = order_through("Item 1 done and signed");
    let tech = staff("T-12 张师傅");
    let start = |item| C::StartItem {
        at: t(12, 35),
        item,
        technician: tech.clone(),
    };
    let complete = |item| C::CompleteItem {
        at: t(12, 35),
        item,
        technician: tech.clone(),
    };
    let p = policy();
    assert_field(&refused(&order, start(ItemNo(2)), &p), "item"); // in progress
    assert_field(&refused(&order, start(ItemNo(1)), &p), "item"); // completed
    assert_field(&refused(&order, start(ItemNo(9)), &p), "item"); // no such item
    assert_field(&refused(&order, complete(ItemNo(1)), &p), "item"); // completed
    assert_field(&refused(&order, complete(ItemNo(9)), &p), "item"); // no such item
    assert_mentions(
        &refused(&order, start(ItemNo(2)), &p),
        "item #2 is already in progress",
    );
}

// ------------------------------------------------------------- WO-15

#[test]
fn wo15_duplicate_checkpoint_is_invalid() {
    let err = duplicate_checkpoint();
    assert_field(&err, "checkpoint");
    assert_mentions(&err, "the check after work starts is already recorded");
}

#[test]
fn wo15_progress_check_before_work_starts() {
    let order = order_through("Dispatched to");
    let cmd = C::RecordProgressCheck {
        at: t(10, 30),
        checkpoint: Checkpoint::AfterStart,
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo15);
}

#[test]
fn wo15_progress_checks_fall_due_at_start_midway_and_near_the_promise() {
    let p = policy();
    // Work started 10:05, promise 17:30: 7 h 25 min, half of it 3 h 42.5 min.
    let order = order_through("Work starts on item 1");
    let plan = |now: At| -> Vec<(DueKind, At, DueStatus)> {
        order
            .due_checks(now, &p)
            .into_iter()
            .map(|d| {
                assert_eq!(d.due_by, Some(t(17, 30)));
                assert!(d.reasons.iter().all(|r| r.rule == RuleId::Wo15));
                (d.kind, d.due_from, d.status)
            })
            .collect()
    };
    let midway = ts("2026-11-24T13:47:30+08:00");
    assert_eq!(
        plan(t(10, 34)),
        vec![
            (
                DueKind::ProgressCheck(Checkpoint::AfterStart),
                t(10, 35),
                DueStatus::Upcoming
            ),
            (
                DueKind::ProgressCheck(Checkpoint::Midway),
                midway,
                DueStatus::Upcoming
            ),
            (
                DueKind::ProgressCheck(Checkpoint::BeforeCompletion),
                t(17, 0),
                DueStatus::Upcoming
            ),
        ]
    );
    let at_first = plan(t(10, 35));
    assert_eq!(at_first[0].2, DueStatus::Due);
    assert_eq!(at_first[1].2, DueStatus::Upcoming);
    let at_midway = plan(midway);
    assert_eq!(
        at_midway.iter().map(|d| d.2).collect::<Vec<_>>(),
        vec![DueStatus::Due, DueStatus::Due, DueStatus::Upcoming]
    );
    assert_eq!(plan(t(17, 0))[2].2, DueStatus::Due);
    assert!(plan(t(17, 31)).iter().all(|d| d.2 == DueStatus::Overdue));

    // A recorded checkpoint is no longer due.
    let order = order_through("First progress check");
    let kinds: Vec<DueKind> = order
        .due_checks(t(10, 40), &p)
        .into_iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            DueKind::ProgressCheck(Checkpoint::Midway),
            DueKind::ProgressCheck(Checkpoint::BeforeCompletion),
        ]
    );
    // None are due once the repair is finished.
    assert!(
        order_through("Repair handed over for the self-check")
            .due_checks(t(15, 0), &p)
            .is_empty()
    );
}

// ------------------------------------------------------------- WO-16

#[test]
fn wo16_revising_after_the_promised_time_records_a_risk() {
    let order = order_before("Delivered at the car");
    let cmd = C::RevisePromise {
        at: t(17, 45),
        new_promise: t(18, 30),
        reason: "the invoice printer is down".into(),
    };
    let (events, order) = accepted(&order, cmd, &policy());
    let revision = order.promise_revisions().last().unwrap();
    assert_eq!(revision.notice, NoticeTiming::AfterPromise);
    assert_eq!(revision.previous, t(17, 30));
    assert_eq!(order.promised_delivery(), Some(t(18, 30)));
    let risks = risks(&events);
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert_eq!(risks[0].0, RuleId::Wo16);
    assert!(
        risks[0].1.contains("only after the promised time"),
        "{risks:?}"
    );
}

#[test]
fn wo16_revising_before_the_promised_time_is_no_risk() {
    let order = order_through("Midway progress check");
    let cmd = C::RevisePromise {
        at: t(13, 55),
        new_promise: t(18, 30),
        reason: "rear discs take longer".into(),
    };
    let (events, order) = accepted(&order, cmd, &policy());
    assert!(risks(&events).is_empty());
    assert_eq!(
        order.promise_revisions().last().unwrap().notice,
        NoticeTiming::BeforePromise
    );
}

#[test]
fn wo16_revise_before_an_estimate() {
    let order = order_before("Estimate presented");
    let cmd = C::RevisePromise {
        at: t(9, 45),
        new_promise: t(18, 0),
        reason: "busy day".into(),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo16);
}

#[test]
fn revise_promise_input_is_checked() {
    let order = order_through("Midway progress check");
    let revise = |new_promise: At, reason: &str| C::RevisePromise {
        at: t(13, 55),
        new_promise,
        reason: reason.into(),
    };
    let p = policy();
    assert_field(&refused(&order, revise(t(18, 0), " "), &p), "reason");
    assert_field(
        &refused(&order, revise(t(13, 55), "late"), &p),
        "new_promise",
    );
}

// ------------------------------------------------------------- WO-17

#[test]
fn wo17_final_check_before_self_check() {
    let err = final_check_before_self_check();
    assert_rule(&err, RuleId::Wo17);
    assert_mentions(&err, "self-check comes first (the order is self-check)");
}

#[test]
fn wo17_prepare_delivery_before_qc_pass() {
    let err = prepare_before_qc_pass();
    assert_rule(&err, RuleId::Wo17);
}

#[test]
fn wo17_self_check_during_repair() {
    let order = order_before("Repair handed over for the self-check");
    let cmd = C::RecordSelfCheck {
        at: t(14, 50),
        technician: staff("T-12 张师傅"),
        outcome: CheckOutcome::Pass,
        steps: Some(QualitySteps::ALL_DONE),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo17);
}

#[test]
fn wo17_final_check_twice() {
    let order = order_through("Final check passed");
    let cmd = C::RecordFinalCheck {
        at: t(16, 30),
        inspector: staff("QC-03 赵工"),
        outcome: CheckOutcome::Pass,
        steps: Some(QualitySteps::ALL_DONE),
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo17);
    assert_mentions(&err, "once");
}

#[test]
fn wo17_settle_and_deliver_before_qc_pass() {
    let order = order_before("Final check passed");
    let mut settle = settle_cmd(command_of("Invoice reconciled"));
    settle.at = t(16, 20);
    assert_rule(&refused(&order, C::Settle(settle), &policy()), RuleId::Wo17);
    let deliver = C::Deliver {
        at: t(16, 20),
        checklist: delivery_checklist(),
    };
    assert_rule(&refused(&order, deliver, &policy()), RuleId::Wo17);
}

#[test]
fn wo17_failed_check_counts_a_rework() {
    let order = order_through("Final check fails");
    assert_eq!(order.rework_count(), 1);
    assert_eq!(order.stage(), Stage::InRepair);
    assert!(matches!(
        order.item(ItemNo(2)).unwrap().status,
        ItemStatus::Authorized { .. }
    ));
}

fn pass_without(steps: Option<QualitySteps>, final_check: bool) -> WorkOrderError {
    let command = if final_check {
        C::RecordFinalCheck {
            at: t(15, 10),
            inspector: staff("QC-03 赵工"),
            outcome: CheckOutcome::Pass,
            steps,
        }
    } else {
        C::RecordSelfCheck {
            at: t(15, 0),
            technician: staff("T-12 张师傅"),
            outcome: CheckOutcome::Pass,
            steps,
        }
    };
    let needle = if final_check {
        "The inspector wants to pass"
    } else {
        "Self-check passed"
    };
    refused(&order_before(needle), command, &policy())
}

fn final_check_without_road_test() -> WorkOrderError {
    pass_without(
        Some(QualitySteps {
            road_test: RoadTestStep::NotNeeded,
            ..QualitySteps::ALL_DONE
        }),
        true,
    )
}

#[test]
fn wo17_a_pass_needs_each_of_the_five_steps() {
    let all = QualitySteps::ALL_DONE;
    let cases = [
        (
            QualitySteps {
                order_checked: Check::NotDone,
                ..all
            },
            "check the work order (检查维修工单)",
        ),
        (
            QualitySteps {
                road_test: RoadTestStep::NotDone,
                ..all
            },
            "road test (车辆试车)",
        ),
        (
            QualitySteps {
                repair_complete: Check::NotDone,
                ..all
            },
            "confirm the repair is complete (确认车辆修理完全)",
        ),
        (
            QualitySteps {
                order_filled_in: Check::NotDone,
                ..all
            },
            "check the order is filled in (检查工单的填写)",
        ),
        (
            QualitySteps {
                handed_on: Check::NotDone,
                ..all
            },
            "hand on to the next step (转交下一环节)",
        ),
    ];
    for final_check in [false, true] {
        for (steps, missing) in cases {
            let err = pass_without(Some(steps), final_check);
            assert_rule(&err, RuleId::Wo17);
            // Only a missing road test is explained by the driving fault.
            let why = if missing.starts_with("road test") {
                "; a fault that shows while driving needs the road test"
            } else {
                ""
            };
            assert_mentions(&err, &format!("missing: {missing}{why} (WO-17)"));
        }
        // Every step made: accepted, and recorded on the check.
        let needle = if final_check {
            "The inspector wants to pass"
        } else {
            "Self-check passed"
        };
        let command = if final_check {
            C::RecordFinalCheck {
                at: t(15, 10),
                inspector: staff("QC-03 赵工"),
                outcome: CheckOutcome::Pass,
                steps: Some(all),
            }
        } else {
            C::RecordSelfCheck {
                at: t(15, 0),
                technician: staff("T-12 张师傅"),
                outcome: CheckOutcome::Pass,
                steps: Some(all),
            }
        };
        let (_, order) = accepted(&order_before(needle), command, &policy());
        assert_eq!(order.quality_checks().last().unwrap().steps, Some(all));
    }
}

#[test]
fn wo17_a_pass_without_recorded_steps_is_refused() {
    for final_check in [false, true] {
        let err = pass_without(None, final_check);
        assert_rule(&err, RuleId::Wo17);
        assert_mentions(&err, "records the five steps of the quality check");
    }
}

#[test]
fn wo17_road_test_not_needed_unless_a_fault_shows_while_driving() {
    // The story's customer reported two faults that show while driving.
    let err = final_check_without_road_test();
    assert_rule(&err, RuleId::Wo17);
    assert_mentions(
        &err,
        "missing: road test (车辆试车); a fault that shows while driving needs the road test",
    );
    // The same order received with no driving fault: the road test may be
    // left out.
    let n = step_index("The inspector wants to pass");
    let order = story_with(n, |_, command| {
        match command {
            C::ReceiveVehicle(c) => {
                for r in &mut c.requests {
                    r.condition = SymptomCondition::Stationary;
                }
            }
            C::RecordRoadTest { .. } => return false,
            _ => {}
        }
        true
    });
    let cmd = C::RecordFinalCheck {
        at: t(15, 10),
        inspector: staff("QC-03 赵工"),
        outcome: CheckOutcome::Pass,
        steps: Some(QualitySteps {
            road_test: RoadTestStep::NotNeeded,
            ..QualitySteps::ALL_DONE
        }),
    };
    let (_, order) = accepted(&order, cmd, &policy());
    assert_eq!(order.stage(), Stage::ReadyForDelivery);
}

#[test]
fn wo17_a_failed_check_records_the_steps_it_reached() {
    let order = order_through("Final check fails");
    let failed = order.quality_checks().last().unwrap();
    let steps = failed.steps.unwrap();
    assert_eq!(steps.road_test, RoadTestStep::Done);
    assert_eq!(
        steps.missing(true),
        [
            QualityStep::RepairComplete,
            QualityStep::OrderFilledIn,
            QualityStep::HandedOn
        ]
    );
    // A failure with no steps at all is recorded too.
    let cmd = C::RecordFinalCheck {
        at: t(15, 20),
        inspector: staff("QC-03 赵工"),
        outcome: CheckOutcome::Fail {
            rework: vec![ItemNo(2)],
            reason: "squeal".into(),
        },
        steps: None,
    };
    let (_, order) = accepted(&order_before("Final check fails"), cmd, &policy());
    assert_eq!(order.quality_checks().last().unwrap().steps, None);
    assert_eq!(order.rework_count(), 1);
}

#[test]
fn failed_check_input_is_checked() {
    let order = order_before("Self-check passed");
    let check = |rework: Vec<ItemNo>, reason: &str| C::RecordSelfCheck {
        at: t(15, 0),
        technician: staff("T-12 张师傅"),
        outcome: CheckOutcome::Fail {
            rework,
            reason: reason.into(),
        },
        steps: None,
    };
    let p = policy();
    assert_field(
        &refused(&order, check(vec![ItemNo(2)], ""), &p),
        "outcome.reason",
    );
    assert_field(
        &refused(&order, check(vec![], "noise"), &p),
        "outcome.rework",
    );
    // Item 5 was declined, item 9 does not exist.
    assert_field(
        &refused(&order, check(vec![ItemNo(5)], "noise"), &p),
        "outcome.rework",
    );
    assert_field(
        &refused(&order, check(vec![ItemNo(9)], "noise"), &p),
        "outcome.rework",
    );
}

// ------------------------------------------------------------- WO-18

#[test]
fn wo18_delivery_without_explaining_open_problems() {
    let err = deliver_without_explaining_open_problem();
    assert_rule(&err, RuleId::Wo18);
}

#[test]
fn wo18_problem_recorded_after_delivery() {
    let order = delivered_order();
    let cmd = C::RecordUncorrectedProblem {
        at: ts("2026-11-25T09:00:00+08:00"),
        description: "wiper streaks".into(),
        safety: Safety::NotSafetyRelated,
    };
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Wo18);
}

#[test]
fn wo18_problem_without_description_is_invalid() {
    let order = order_before("A weak tyre-pressure sensor");
    let cmd = C::RecordUncorrectedProblem {
        at: t(14, 45),
        description: "".into(),
        safety: Safety::NotSafetyRelated,
    };
    assert_field(&refused(&order, cmd, &policy()), "description");
}

#[test]
fn wo18_delivery_with_an_open_safety_problem_records_a_risk() {
    let order = order_before("Delivered at the car");
    let (_, order) = accepted(
        &order,
        C::RecordUncorrectedProblem {
            at: t(17, 25),
            description: "steering rack boot torn".into(),
            safety: Safety::SafetyRelated,
        },
        &policy(),
    );
    let (events, order) = accepted(&order, command_of("Delivered at the car"), &policy());
    assert_eq!(
        risks(&events),
        vec![(
            RuleId::Wo18,
            "delivered with 1 safety-related problem(s) found and not corrected".to_string()
        )]
    );
    assert_eq!(order.stage(), Stage::Delivered);
}

// ------------------------------------------------------------- WO-19

#[test]
fn wo19_each_missing_pre_delivery_item() {
    let order = order_before("Washed, parked at D-04");
    let good = pre_delivery_checklist();
    type Edit = fn(&mut PreDeliveryChecklist);
    let cases: [(Edit, &str); 6] = [
        (|c| c.cleaned = Check::NotDone, "vehicle cleaned"),
        (|c| c.parking_position = None, "parking position recorded"),
        (
            |c| c.parking_position = Some("  ".into()),
            "parking position recorded",
        ),
        (
            |c| c.old_parts = OldParts::NotHandled,
            "replaced parts kept for the customer",
        ),
        (
            |c| c.settlement_statement = Check::NotDone,
            "settlement statement prepared",
        ),
        (
            |c| c.advisor_signature = None,
            "advisor's final inspection and signature",
        ),
    ];
    for (edit, missing) in cases {
        let mut checklist = good.clone();
        edit(&mut checklist);
        let cmd = C::PrepareDelivery {
            at: t(16, 40),
            checklist,
        };
        let err = refused(&order, cmd, &policy());
        assert_rule(&err, RuleId::Wo19);
        assert!(
            err.to_string()
                .ends_with(&format!(": missing: {missing} (WO-19)")),
            "{err}"
        );
    }
    // The customer may decline the old parts.
    let mut checklist = good;
    checklist.old_parts = OldParts::CustomerDeclined;
    accepted(
        &order,
        C::PrepareDelivery {
            at: t(16, 40),
            checklist,
        },
        &policy(),
    );
}

#[test]
fn wo19_the_message_lists_every_missing_item() {
    let err = prepare_delivery_missing_everything();
    assert_rule(&err, RuleId::Wo19);
    assert_mentions(
        &err,
        "missing: vehicle cleaned, parking position recorded, replaced parts kept for the customer, settlement statement prepared, advisor's final inspection and signature (WO-19)",
    );
}

#[test]
fn wo19_settle_or_deliver_before_pre_delivery() {
    let order = order_before("Washed, parked at D-04");
    let mut settle = settle_cmd(command_of("Invoice reconciled"));
    settle.at = t(16, 40);
    assert_rule(&refused(&order, C::Settle(settle), &policy()), RuleId::Wo19);
    let deliver = C::Deliver {
        at: t(16, 40),
        checklist: delivery_checklist(),
    };
    let err = refused(&order, deliver, &policy());
    assert_rule(&err, RuleId::Wo19);
    assert_mentions(&err, "pre-delivery checklist is not done");
}

// ------------------------------------------------------------- WO-20

#[test]
fn wo20_labour_hours_mismatch() {
    let err = labour_hours_mismatch();
    assert_rule(&err, RuleId::Wo20);
    assert_mentions(&err, "the invoice bills 4 h of labour, the order has 4.5 h");
}

#[test]
fn wo20_invoice_below_the_agreed_price() {
    // A discount the order does not have: the invoice does not reconcile.
    let err = invoice_below_agreed_price();
    assert_rule(&err, RuleId::Wo20);
    assert_mentions(
        &err,
        "discounts `10.00 CNY` differ from the order's `0.00 CNY`",
    );
}

#[test]
fn wo20_amounts_moved_between_categories_do_not_reconcile() {
    let (order, cmd) = before("Invoice reconciled");
    let mut c = settle_cmd(cmd);
    c.invoice.labour = c.invoice.labour.checked_sub(cny("500")).unwrap();
    c.invoice.parts = c.invoice.parts.checked_add(cny("500")).unwrap();
    let err = refused(&order, C::Settle(c), &policy());
    assert_rule(&err, RuleId::Wo20);
    assert_mentions(
        &err,
        "labour `1120.00 CNY` is below the order's `1620.00 CNY`",
    );
}

#[test]
fn wo20_tax_must_be_the_vat_of_the_net() {
    let (order, cmd) = before("Invoice reconciled");
    let mut c = settle_cmd(cmd);
    c.invoice.tax = c.invoice.tax.checked_add(cny("0.01")).unwrap();
    c.invoice.total = c.invoice.total.checked_add(cny("0.01")).unwrap();
    let err = refused(&order, C::Settle(c), &policy());
    assert_rule(&err, RuleId::Wo20);
    assert_mentions(
        &err,
        "tax `465.28 CNY` is not 13% of the net `3579.00 CNY` (`465.27 CNY`)",
    );
}

#[test]
fn est01_invoice_amounts_below_a_cent_are_refused() {
    let (order, cmd) = before("Invoice reconciled");
    let mut c = settle_cmd(cmd);
    c.invoice.sublet = cny("0.004");
    c.invoice.total = c.invoice.total.checked_add(cny("0.004")).unwrap();
    let err = refused(&order, C::Settle(c), &policy());
    assert_field(&err, "invoice.sublet");
    assert_mentions(&err, "has more than 2 decimal places (EST-01)");
}

#[test]
fn wo08_changes_after_the_estimate_send_it_back_for_presentation() {
    // A part confirmed late, or a bay changed, after the estimate was
    // presented: the promise may no longer hold, so the estimate is
    // presented again (and checked again) before the customer signs.
    let p = policy();
    let order = order_before("The customer chooses the cheaper gearbox option");
    assert_eq!(order.stage(), Stage::Estimated);
    let late_part = C::ConfirmPartAvailability {
        at: t(9, 50),
        item: ItemNo(2),
        option: None,
        line: 1,
        availability: PartAvailability::Expected { arrival: t(20, 0) },
    };
    let (_, changed) = accepted(&order, late_part, &p);
    assert_eq!(changed.stage(), Stage::Reception);
    let sign = command_of("The customer chooses the cheaper gearbox option");
    assert_rule(&refused(&changed, sign, &p), RuleId::Wo09);
    let again = C::PresentEstimate {
        at: t(9, 52),
        promised_delivery: t(17, 30),
    };
    assert_rule(&refused(&changed, again, &p), RuleId::Wo30);

    let late_bay = C::ConfirmWorkshopBay {
        at: t(9, 50),
        bay: "Bay 5".into(),
        available_from: t(17, 0),
    };
    let (_, changed) = accepted(&order, late_bay, &p);
    assert_eq!(changed.stage(), Stage::Reception);
    let again = C::PresentEstimate {
        at: t(9, 52),
        promised_delivery: t(17, 30),
    };
    assert_rule(&refused(&changed, again, &p), RuleId::Est09);
}

#[test]
fn wo13_no_part_delay_on_a_declined_item() {
    let order = order_before("Work starts on item 4");
    let cmd = C::ReportPartDelay {
        at: t(11, 22),
        item: ItemNo(5),
        line: 0,
        expected_arrival: t(20, 0),
    };
    assert_rule(&refused(&order, cmd, &policy()), RuleId::Wo13);
}

#[test]
fn wo19_checklist_is_fixed_once_settled() {
    let order = order_before("Delivered at the car");
    let cmd = command_of("Washed, parked at D-04");
    if let C::PrepareDelivery { checklist, .. } = cmd {
        let again = C::PrepareDelivery {
            at: t(17, 25),
            checklist,
        };
        assert_field(&refused(&order, again, &policy()), "checklist");
    } else {
        panic!("pre-delivery step");
    }
}

#[test]
fn wo20_deliver_before_settlement() {
    let order = order_before("Invoice reconciled");
    let deliver = C::Deliver {
        at: t(17, 30),
        checklist: delivery_checklist(),
    };
    let err = refused(&order, deliver, &policy());
    assert_rule(&err, RuleId::Wo20);
}

#[test]
fn invoice_input_is_checked() {
    let (order, cmd) = before("Invoice reconciled");
    let good = settle_cmd(cmd);
    let p = policy();

    let mut c = good.clone();
    c.invoice.total = c.invoice.total.checked_add(cny("1")).unwrap();
    let err = refused(&order, C::Settle(c), &p);
    assert_field(&err, "invoice.total");
    assert_mentions(&err, "is not the sum of its parts");

    let mut c = good.clone();
    c.invoice.parts = "1608.00 USD".parse().unwrap();
    assert_field(&refused(&order, C::Settle(c), &p), "invoice.parts");

    let mut c = good.clone();
    c.invoice.sublet = cny("-1");
    assert_field(&refused(&order, C::Settle(c), &p), "invoice.sublet");

    // Settled once only.
    let (_, settled) = accepted(&order, C::Settle(good.clone()), &p);
    let mut again = good;
    again.at = t(17, 25);
    assert_field(&refused(&settled, C::Settle(again), &p), "invoice");
}

// ------------------------------------------------------------- WO-21

#[test]
fn wo21_each_missing_delivery_explanation() {
    let order = order_before("Delivered at the car");
    let good = delivery_checklist();
    type Edit = fn(&mut DeliveryChecklist);
    let cases: [(Edit, &str); 6] = [
        (
            |c| c.work_explained = WorkExplanation::NotExplained,
            "work done",
        ),
        (
            |c| c.invoice_explained = Check::NotDone,
            "how the invoice is made up",
        ),
        (
            |c| c.extra_work_explained = Check::NotDone,
            "work beyond the original order",
        ),
        (
            |c| c.old_parts_shown = Check::NotDone,
            "replaced parts shown",
        ),
        (
            |c| c.next_maintenance = None,
            "next maintenance date and mileage",
        ),
        (
            |c| c.follow_up_promised = Check::NotDone,
            "the follow-up call",
        ),
    ];
    for (edit, missing) in cases {
        let mut checklist = good.clone();
        edit(&mut checklist);
        let cmd = C::Deliver {
            at: t(17, 30),
            checklist,
        };
        let err = refused(&order, cmd, &policy());
        assert_rule(&err, RuleId::Wo21);
        assert!(
            err.to_string()
                .ends_with(&format!(": not explained: {missing} (WO-21)")),
            "{err}"
        );
    }
    // Explained at the desk is explained.
    let mut checklist = good;
    checklist.work_explained = WorkExplanation::AtDesk;
    accepted(
        &order,
        C::Deliver {
            at: t(17, 30),
            checklist,
        },
        &policy(),
    );
}

#[test]
fn wo21_the_message_lists_every_missing_explanation() {
    let err = deliver_missing_every_explanation();
    assert_rule(&err, RuleId::Wo21);
    assert_mentions(
        &err,
        "not explained: work done, how the invoice is made up, work beyond the original order, replaced parts shown, next maintenance date and mileage, the follow-up call (WO-21)",
    );
}

// ------------------------------------------------------------- WO-22

#[test]
fn wo22_payment_as_agreed_or_changed_by_the_customer() {
    let (order, cmd) = before("Invoice reconciled");
    let good = settle_cmd(cmd);
    let (_, settled) = accepted(&order, C::Settle(good.clone()), &policy());
    assert_eq!(
        settled.settlement().unwrap().payment,
        PaymentMethod::Electronic
    );
    let mut changed = good;
    changed.payment = PaymentChoice::ChangedByCustomer(PaymentMethod::Card);
    let (_, settled) = accepted(&order, C::Settle(changed), &policy());
    assert_eq!(settled.settlement().unwrap().payment, PaymentMethod::Card);
}

// ------------------------------------------------------------- WO-23

#[test]
fn wo23_close_before_delivery() {
    let err = close_before_delivery();
    assert_rule(&err, RuleId::Wo23);
}

#[test]
fn wo23_any_command_on_a_closed_order() {
    let err = command_on_closed_order();
    assert_rule(&err, RuleId::Wo23);
    assert_mentions(&err, "the order is closed");
    let order = closed_order();
    let p = policy();
    let later = ts("2026-11-29T10:00:00+08:00");
    for cmd in [
        C::Close {
            at: later,
            outcome: FollowUpOutcome::Abandoned,
        },
        cancel(later, CancellationTerms::Free),
        C::SignDiagnosisSheet { at: later },
        // Even a command with a time before the last event: the closed
        // order is refused first.
        C::SignDiagnosisSheet { at: t(8, 0) },
    ] {
        assert_rule(&refused(&order, cmd, &p), RuleId::Wo23);
    }
}

// ------------------------------------------------------------- WO-27

#[test]
fn wo27_courtesy_car_not_fuelled() {
    let err = courtesy_car_not_fuelled();
    assert_rule(&err, RuleId::Wo27);
    assert_mentions(
        &err,
        "the courtesy car would go out without: enough fuel (燃油充足) (WO-27)",
    );
}

#[test]
fn wo27_asks_for_enough_fuel_as_the_source_says() {
    // [000]: 替换车应是燃油充足的、整洁的、准备好投入使用的
    let rule = aftersales::catalog()
        .iter()
        .find(|r| r.id == RuleId::Wo27)
        .unwrap();
    assert!(rule.title_zh.contains("燃油充足"), "{}", rule.title_zh);
    assert!(!rule.title_zh.contains("加满油"), "{}", rule.title_zh);
    assert!(rule.title_en.contains("enough fuel"), "{}", rule.title_en);
    assert!(!rule.title_en.contains("fuelled"), "{}", rule.title_en);
    // A checklist stored with the earlier field name still loads.
    let old: CourtesyCarChecklist =
        serde_json::from_str(r#"{"fuelled":"done","clean":"done","ready":"not_done"}"#).unwrap();
    assert_eq!(old.enough_fuel, Check::Done);
    assert_eq!(old.ready, Check::NotDone);
}

#[test]
fn wo27_courtesy_car_checklist_lists_everything_missing() {
    let order = order_through("Dispatched to");
    let cmd = C::HandOverCourtesyCar {
        at: t(10, 2),
        checklist: CourtesyCarChecklist {
            enough_fuel: Check::NotDone,
            clean: Check::NotDone,
            ready: Check::NotDone,
        },
    };
    let err = refused(&order, cmd, &policy());
    assert_mentions(
        &err,
        "would go out without: enough fuel (燃油充足), clean (整洁), ready to use (准备好投入使用) (WO-27)",
    );
    let ok = C::HandOverCourtesyCar {
        at: t(10, 2),
        checklist: CourtesyCarChecklist {
            enough_fuel: Check::Done,
            clean: Check::Done,
            ready: Check::Done,
        },
    };
    let (_, order) = accepted(&order, ok.clone(), &policy());
    assert!(order.courtesy_car().is_some());
    // Handed over once: a second hand-over is refused as input.
    assert_field(&refused(&order, ok, &policy()), "checklist");
}

#[test]
fn wo27_courtesy_car_after_delivery() {
    let order = delivered_order();
    let cmd = C::HandOverCourtesyCar {
        at: ts("2026-11-25T09:00:00+08:00"),
        checklist: CourtesyCarChecklist {
            enough_fuel: Check::Done,
            clean: Check::Done,
            ready: Check::Done,
        },
    };
    assert_rule(&refused(&order, cmd, &policy()), RuleId::Wo27);
}

// ------------------------------------------------------------- WO-28

#[test]
fn wo28_cancel_free_before_dispatch() {
    let order = order_before("Dispatched to");
    let (events, order) = accepted(&order, cancel(t(9, 58), CancellationTerms::Free), &policy());
    assert!(matches!(
        events.as_slice(),
        [WorkOrderEvent::OrderCancelled {
            stage: Stage::Authorized,
            ..
        }]
    ));
    assert_eq!(order.stage(), Stage::Cancelled);
    // Nothing more happens on a cancelled order.
    let err = refused(&order, command_of("Dispatched to"), &policy());
    assert_rule(&err, RuleId::Wo28);
    assert_mentions(&err, "the order is cancelled");
}

#[test]
fn wo28_cancel_after_dispatch_needs_settlement() {
    let err = cancel_free_after_dispatch();
    assert_rule(&err, RuleId::Wo28);
    assert_mentions(&err, "settled");
}

#[test]
fn wo28_cancel_after_dispatch_needs_parts_reinstalled() {
    let order = order_through("Work starts on item 2");
    let not_reinstalled = CancellationTerms::WorkSettled {
        amount: cny("400"),
        parts_reinstalled: Check::NotDone,
    };
    let err = refused(&order, cancel(t(10, 10), not_reinstalled), &policy());
    assert_rule(&err, RuleId::Wo28);
    assert_mentions(&err, "reinstalled");
    let settled = CancellationTerms::WorkSettled {
        amount: cny("400"),
        parts_reinstalled: Check::Done,
    };
    let (_, order) = accepted(&order, cancel(t(10, 10), settled), &policy());
    assert_eq!(order.stage(), Stage::Cancelled);
}

#[test]
fn wo28_never_after_delivery() {
    let err = cancel_after_delivery();
    assert_rule(&err, RuleId::Wo28);
}

#[test]
fn wo28_before_dispatch_nothing_is_charged() {
    let order = order_before("Dispatched to");
    let charged = CancellationTerms::WorkSettled {
        amount: cny("100"),
        parts_reinstalled: Check::Done,
    };
    let err = refused(&order, cancel(t(9, 58), charged), &policy());
    assert_rule(&err, RuleId::Wo28);
    assert_mentions(&err, "before dispatch a cancellation is free");
}

#[test]
fn cancellation_input_is_checked() {
    let order = order_before("Work starts on item 1");
    let p = policy();
    let no_reason = C::Cancel {
        at: t(10, 2),
        reason: " ".into(),
        terms: CancellationTerms::Free,
    };
    assert_field(&refused(&order, no_reason, &p), "reason");
    let negative = CancellationTerms::WorkSettled {
        amount: cny("-5"),
        parts_reinstalled: Check::Done,
    };
    assert_field(
        &refused(&order, cancel(t(10, 2), negative), &p),
        "terms.amount",
    );
}

// ------------------------------------------------------------- WO-29

#[test]
fn wo29_item_left_unanswered_at_authorization() {
    let err = authorize_leaving_item_unanswered();
    assert_rule(&err, RuleId::Wo29);
    assert_mentions(&err, "item #3 is not answered");
}

#[test]
fn wo29_add_on_left_unanswered() {
    let (order, cmd) = before("By phone the customer authorizes the discs");
    let mut c = answer_cmd(cmd);
    c.declined.clear();
    let err = refused(&order, C::AnswerAddOns(c), &policy());
    assert_rule(&err, RuleId::Wo29);
    assert_mentions(&err, "item #5 is not answered");
}

#[test]
fn answer_lists_are_checked() {
    let (order, cmd) = before("The customer chooses the cheaper gearbox option");
    let good = authorize_cmd(cmd);
    let p = policy();
    let check = |edit: &dyn Fn(&mut AuthorizeOrder), field: &str| {
        let mut c = good.clone();
        edit(&mut c);
        assert_field(&refused(&order, C::AuthorizeOrder(c), &p), field);
    };
    check(&|c| c.authorized.push(ItemNo(7)), "authorized");
    check(&|c| c.declined.push(ItemNo(2)), "declined");
    check(&|c| c.deferred.push(ItemNo(1)), "deferred");
    check(&|c| c.choices.push((ItemNo(1), 0)), "choices");
    check(&|c| c.choices = vec![(ItemNo(3), 2)], "choices");
    check(&|c| c.choices.push((ItemNo(3), 1)), "choices");
    check(
        &|c| c.estimated_total = "2665.67 USD".parse().unwrap(),
        "estimated_total",
    );
    check(&|c| c.price_limit = cny("-1"), "price_limit");
    check(&|c| c.pickup.at = c.at, "pickup.at");
}

// ------------------------------------------------------------- WO-30

#[test]
fn wo30_promise_before_part_arrival() {
    let err = promise_before_part_arrival();
    assert_rule(&err, RuleId::Wo30);
    assert_mentions(&err, "before the expected part arrival");
    // A promise at the arrival time is fine.
    let cmd = C::PresentEstimate {
        at: t(9, 45),
        promised_delivery: t(18, 0),
    };
    accepted(&order_with_late_brake_pads(), cmd, &policy());
}

#[test]
fn wo30_chosen_option_part_after_the_promise() {
    let mut order = order_through("Parts store confirms the brake pads");
    let p = policy();
    order
        .execute(
            C::ConfirmPartAvailability {
                at: t(9, 43),
                item: ItemNo(3),
                option: Some(1),
                line: 1,
                availability: PartAvailability::Expected { arrival: t(18, 0) },
            },
            &p,
        )
        .unwrap();
    // Options are not chosen yet: the estimate goes through.
    order.execute(command_of("Estimate presented"), &p).unwrap();
    let items = story::original_items().unwrap();
    let mut c = authorize_cmd(command_of(
        "The customer chooses the cheaper gearbox option",
    ));
    c.choices = vec![(ItemNo(3), 1)];
    c.estimated_total = story::gross(
        items[0]
            .lines
            .iter()
            .chain(&items[1].lines)
            .chain(&items[2].options[1].lines),
    )
    .unwrap();
    let err = refused(&order, C::AuthorizeOrder(c), &p);
    assert_rule(&err, RuleId::Wo30);
    assert_mentions(&err, "revise the promise first");
}

#[test]
fn wo30_revise_promise_before_part_arrival() {
    let order = order_through("Work starts on item 3");
    let delay = C::ReportPartDelay {
        at: t(10, 10),
        item: ItemNo(2),
        line: 1,
        expected_arrival: t(16, 0),
    };
    let (events, order) = accepted(&order, delay, &policy());
    assert!(
        risks(&events).is_empty(),
        "the part still comes before 17:30"
    );
    let revise = |new_promise| C::RevisePromise {
        at: t(10, 15),
        new_promise,
        reason: "pads delayed".into(),
    };
    let err = refused(&order, revise(t(15, 0)), &policy());
    assert_rule(&err, RuleId::Wo30);
    assert_mentions(&err, "before the latest part arrival");
    accepted(&order, revise(t(16, 0)), &policy());
}

#[test]
fn wo30_part_delay_after_the_promise_is_a_risk_and_a_due_notice() {
    let order = order_through("Work starts on item 3");
    let delay = C::ReportPartDelay {
        at: t(10, 10),
        item: ItemNo(2),
        line: 1,
        expected_arrival: ts("2026-11-25T10:00:00+08:00"),
    };
    let (events, order) = accepted(&order, delay, &policy());
    let risks = risks(&events);
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert_eq!(risks[0].0, RuleId::Wo30);
    assert!(
        risks[0].1.starts_with("part for item #2 expected"),
        "{risks:?}"
    );
    let notices: Vec<_> = order
        .due_checks(t(10, 15), &policy())
        .into_iter()
        .filter(|d| d.kind == DueKind::DelayNotice)
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].status, DueStatus::Due);
    assert_eq!(notices[0].due_by, Some(t(17, 30)));
    let rules: Vec<RuleId> = notices[0].reasons.iter().map(|r| r.rule).collect();
    assert_eq!(rules, vec![RuleId::Wo30, RuleId::Wo16]);
    assert!(
        order
            .due_checks(t(17, 31), &policy())
            .iter()
            .any(|d| d.kind == DueKind::DelayNotice && d.status == DueStatus::Overdue)
    );
    // Revising the promise past the arrival clears the notice.
    let (_, order) = accepted(
        &order,
        C::RevisePromise {
            at: t(10, 20),
            new_promise: ts("2026-11-25T12:00:00+08:00"),
            reason: "brake pads arrive tomorrow morning".into(),
        },
        &policy(),
    );
    assert!(
        order
            .due_checks(t(10, 25), &policy())
            .iter()
            .all(|d| d.kind != DueKind::DelayNotice)
    );
}

#[test]
fn wo30_part_delay_outside_repair() {
    let order = order_before("Estimate presented");
    let cmd = C::ReportPartDelay {
        at: t(9, 45),
        item: ItemNo(2),
        line: 1,
        expected_arrival: t(18, 0),
    };
    assert_rule(&refused(&order, cmd, &policy()), RuleId::Wo30);
}

#[test]
fn part_delay_input_is_checked() {
    let order = order_through("Work starts on item 3");
    let delay = |item, line| C::ReportPartDelay {
        at: t(10, 10),
        item,
        line,
        expected_arrival: t(16, 0),
    };
    assert_field(&refused(&order, delay(ItemNo(9), 1), &policy()), "item");
    assert_field(&refused(&order, delay(ItemNo(2), 0), &policy()), "line");
}

// ------------------------------------------------------------- EST-02

#[test]
fn est02_item_without_lines() {
    let err = item_without_lines();
    assert_rule(&err, RuleId::Est02);
}

#[test]
fn est02_option_without_lines() {
    let (order, cmd) = propose_at_reception(with_options(vec![
        option(
            "recharge the refrigerant",
            "cheap; a leak comes back",
            vec![labour("recharge refrigerant", "0.5")],
        ),
        option("replace the condenser", "lasts; dearer", vec![]),
    ]));
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Est02);
    assert_mentions(&err, "option 1 has no estimate lines");
}

#[test]
fn est02_estimate_without_items() {
    let order = order_before("Item 1: maintenance");
    let cmd = C::PresentEstimate {
        at: t(9, 45),
        promised_delivery: t(17, 30),
    };
    assert_rule(&refused(&order, cmd, &policy()), RuleId::Est02);
}

#[test]
fn item_draft_input_is_checked() {
    let p = policy();
    let invalid = |item: ItemDraft, field: &str| {
        let (order, cmd) = propose_at_reception(item);
        let err = refused(&order, cmd, &p);
        assert_field(&err, field);
        err
    };
    let mut untitled = draft(vec![labour("x", "1.0")]);
    untitled.title = " ".into();
    invalid(untitled, "item.title");
    let mut both = with_options(vec![
        option("a", "cheap", vec![labour("a", "1.0")]),
        option("b", "dear", vec![labour("b", "2.0")]),
    ]);
    both.lines = vec![labour("c", "1.0")];
    invalid(both, "item.lines");
    let err = invalid(
        draft(vec![EstimateLine::labour(
            "x",
            "1.0".parse().unwrap(),
            "360 USD".parse().unwrap(),
        )]),
        "item.lines",
    );
    assert_mentions(&err, "line 0 `hourly_rate` is in `USD`");
    invalid(
        draft(vec![EstimateLine::labour(
            "x",
            "1.0".parse().unwrap(),
            cny("-360"),
        )]),
        "item.lines",
    );
    let err = invalid(
        draft(vec![
            labour("x", "0.5").with_discount(discount("190", AuthorityRole::FrontLine)),
        ]),
        "item.lines",
    );
    assert_mentions(&err, "exceeds the line amount `180.00 CNY`");
    invalid(draft(vec![labour(" ", "1.0")]), "item.lines");
    let mut inverted = option("a", "cheap", vec![labour("a", "1.0")]);
    inverted.price_range = PriceRange {
        low: cny("900"),
        high: cny("800"),
    };
    invalid(
        with_options(vec![
            inverted,
            option("b", "dear", vec![labour("b", "2.0")]),
        ]),
        "option.price_range",
    );
}

// ------------------------------------------------------------- EST-03

#[test]
fn est03_aftermarket_part_under_manufacturer_warranty_is_flagged() {
    let n = step_index("Item 1: maintenance");
    let order = story_with(n, |_, cmd| {
        if let C::ReceiveVehicle(r) = cmd {
            r.vehicle.warranty = ManufacturerWarranty::Active;
        }
        true
    });
    let item = draft(vec![
        labour("replace rear shock absorber", "1.0"),
        part_line(PartOrigin::QualityAftermarket, PartAvailability::InStock),
    ]);
    let (events, order) = accepted(
        &order,
        C::ProposeItem {
            at: t(9, 35),
            item: item.clone(),
        },
        &policy(),
    );
    let risks = risks(&events);
    assert_eq!(risks.len(), 1, "{risks:?}");
    assert_eq!(risks[0].0, RuleId::Est03);
    assert!(risks[0].1.contains("item #1"), "{risks:?}");
    assert!(risks[0].1.contains("`4G0513035`"), "{risks:?}");
    assert_eq!(order.items().len(), 1);

    // An OEM part is not flagged, and neither is any part once the
    // warranty has expired (the story's vehicle).
    let oem = draft(vec![part_line(PartOrigin::Oem, PartAvailability::InStock)]);
    let (events, _) = accepted(
        &order,
        C::ProposeItem {
            at: t(9, 36),
            item: oem,
        },
        &policy(),
    );
    assert!(self::risks(&events).is_empty());
    let (order, cmd) = propose_at_reception(item);
    let (events, _) = accepted(&order, cmd, &policy());
    assert!(self::risks(&events).is_empty());
}

// ------------------------------------------------------------- EST-04

#[test]
fn est04_single_option_is_no_choice() {
    let err = single_option();
    assert_rule(&err, RuleId::Est04);
}

#[test]
fn est04_option_without_trade_offs() {
    let err = option_without_trade_offs();
    assert_rule(&err, RuleId::Est04);
    assert_mentions(&err, "option 1 needs a title and its trade-offs");
}

#[test]
fn est04_authorized_item_with_options_but_no_choice() {
    let err = authorized_options_without_choice();
    assert_rule(&err, RuleId::Est04);
    assert_mentions(&err, "item #3 offers 2 options and the customer chose none");
}

// ------------------------------------------------------------- EST-05

#[test]
fn est05_signed_total_differs() {
    let err = signed_total_differs();
    assert_rule(&err, RuleId::Est05);
    assert_mentions(
        &err,
        "`2665.68 CNY` differs from the authorized items' total `2665.67 CNY`",
    );
}

#[test]
fn est05_phone_add_on_above_the_price_limit() {
    let err = phone_add_on_above_price_limit();
    assert_rule(&err, RuleId::Est05);
    assert_mentions(&err, "`1514.20 CNY`, above the price limit `1500.00 CNY`");
}

#[test]
fn est05_signed_add_on_above_the_price_limit_is_accepted() {
    let order = order_before("By phone the customer authorizes the discs");
    let (_, order) = accepted(
        &order,
        both_add_ons(AuthorizationMethod::Signature),
        &policy(),
    );
    let last = order.authorizations().last().unwrap();
    assert_eq!(last.amount, cny("1514.20"));
    assert_eq!(last.items, vec![ItemNo(4), ItemNo(5)]);
    assert_eq!(order.stage(), Stage::InRepair);
}

// ------------------------------------------------------------- EST-06

#[test]
fn est06_settle_above_authorized_with_zero_tolerance() {
    let err = settle_above_authorized();
    assert_rule(&err, RuleId::Est06);
    assert_mentions(&err, "by `0.01 CNY`, more than the tolerance `0.00 CNY`");
}

#[test]
fn est06_small_overrun_within_a_percentage_tolerance() {
    let policy = settled_policy(Tolerance {
        percent: "10".parse().unwrap(),
        ..Tolerance::default()
    });
    let order = order_before("Invoice reconciled");
    // 120.00 more net is 135.60 more with VAT: net 3699.00, tax 480.87.
    let (_, settled) = accepted(&order, settle_with_extra("120"), &policy);
    let settlement = settled.settlement().unwrap();
    assert_eq!(settlement.overrun, cny("135.60"));
    assert_eq!(settlement.invoice.total, cny("4179.87"));
    // 10 % of 4044.27 is 404.427. 357.89 more net makes the total
    // 4448.69 (overrun 404.42, within); 357.90 makes 4448.70 (404.43, not).
    let (_, within) = accepted(&order, settle_with_extra("357.89"), &policy);
    assert_eq!(within.settlement().unwrap().overrun, cny("404.42"));
    let err = refused(&order, settle_with_extra("357.90"), &policy);
    assert_rule(&err, RuleId::Est06);
    assert_mentions(&err, "by `404.43 CNY`, more than the tolerance `404.4270");
}

#[test]
fn est06_boundary_at_the_allowance() {
    let policy = settled_policy(Tolerance {
        absolute: "50".parse().unwrap(),
        ..Tolerance::default()
    });
    let order = order_before("Invoice reconciled");
    // 44.25 more net: tax 471.02 (was 465.27), overrun exactly 50.00.
    let (_, settled) = accepted(&order, settle_with_extra("44.25"), &policy);
    assert_eq!(settled.settlement().unwrap().overrun, cny("50.00"));
    // 44.26 more net: tax still 471.02, overrun 50.01.
    let err = refused(&order, settle_with_extra("44.26"), &policy);
    assert_rule(&err, RuleId::Est06);
    // The story's exact invoice has no overrun.
    let (_, settled) = accepted(&order, command_of("Invoice reconciled"), &policy);
    assert!(settled.settlement().unwrap().overrun.is_zero());
}

// ------------------------------------------------------------- EST-07

#[test]
fn est07_add_on_amount_differs() {
    let err = add_on_amount_differs();
    assert_rule(&err, RuleId::Est07);
    assert_mentions(
        &err,
        "`1378.61 CNY` differs from the authorized add-ons' total `1378.60 CNY`",
    );
}

#[test]
fn est07_start_with_an_authorization_recorded_later() {
    // A log imported from another system, whose authorization is stamped
    // after the dispatch: work cannot start before that time.
    let (_, mut log) = order_after(step_index("Work starts on item 1"));
    for event in &mut log {
        if let WorkOrderEvent::OrderAuthorized { authorization, .. } = event {
            authorization.at = t(10, 30);
        }
    }
    let order = WorkOrder::replay(story::order_no().unwrap(), &log);
    assert_eq!(order.stage(), Stage::Dispatched);
    let err = refused(&order, command_of("Work starts on item 1"), &policy());
    assert_rule(&err, RuleId::Est07);
    assert_mentions(&err, "item #1 has no authorization recorded before");
    let mut later = command_of("Work starts on item 1");
    if let C::StartItem { at, .. } = &mut later {
        *at = t(10, 30);
    }
    accepted(&order, later, &policy());
}

// ------------------------------------------------------------- EST-08

#[test]
fn est08_discount_above_the_front_line_cap() {
    let err = discount_above_front_line_cap();
    assert_rule(&err, RuleId::Est08);
    assert_mentions(&err, "it needs supervisor approval");
}

#[test]
fn est08_same_discount_by_a_supervisor() {
    let (order, cmd) = propose_at_reception(draft(vec![
        labour("replace rear shock absorber", "1.0")
            .with_discount(discount("250", AuthorityRole::Supervisor)),
    ]));
    let (_, order) = accepted(&order, cmd, &policy());
    assert_eq!(order.items().len(), 1);
    // The front-line cap itself is within authority.
    let (order, cmd) = propose_at_reception(draft(vec![
        labour("replace rear shock absorber", "1.0")
            .with_discount(discount("200", AuthorityRole::FrontLine)),
    ]));
    accepted(&order, cmd, &policy());
}

#[test]
fn est08_discount_above_every_cap_on_an_add_on() {
    let order = order_through("Work starts on item 3");
    let big = draft(vec![
        EstimateLine::sublet("engine rebuild", "Motorenwerk", cny("20000"))
            .with_discount(discount("6000", AuthorityRole::Manager)),
    ]);
    let cmd = C::ProposeAddOns(ProposeAddOns {
        at: t(11, 10),
        found_by: staff("T-12 张师傅"),
        found_at: t(11, 10),
        items: vec![big],
    });
    let err = refused(&order, cmd, &policy());
    assert_rule(&err, RuleId::Est08);
    assert_mentions(&err, "it needs senior management approval");
}

// ------------------------------------------------------------- EST-09

#[test]
fn est09_promise_before_bay_and_standard_hours() {
    let err = promise_before_bay_and_hours();
    assert_rule(&err, RuleId::Est09);
    // Bay free 10:00 + 2.0 h (maintenance 0.8 + brakes 1.2) = 12:00.
    assert_mentions(&err, "is before `2026-11-24 12:00:00 +08:00`");
    let cmd = C::PresentEstimate {
        at: t(9, 45),
        promised_delivery: t(12, 0),
    };
    accepted(&order_before("Estimate presented"), cmd, &policy());
}

// ------------------------------------------------------- time and FU-01

#[test]
fn time_going_backwards_is_invalid() {
    let err = time_going_backwards();
    assert_field(&err, "at");
    assert_mentions(
        &err,
        "is before the order's last recorded event at `2026-11-24 11:25:00 +08:00`",
    );
    // The same time as the last event is fine.
    let order = order_before("Item 1 done and signed");
    let cmd = C::CompleteItem {
        at: t(11, 25),
        item: ItemNo(1),
        technician: staff("T-12 张师傅"),
    };
    accepted(&order, cmd, &policy());
}

#[test]
fn fu01_follow_up_window_after_delivery() {
    let order = delivered_order();
    let p = policy();
    let follow_up = |now: &str| {
        let due: Vec<_> = order
            .due_checks(ts(now), &p)
            .into_iter()
            .filter(|d| d.kind == DueKind::FollowUpCall)
            .collect();
        assert_eq!(due.len(), 1, "{due:?}");
        due.into_iter().next().unwrap()
    };
    let first = follow_up("2026-11-26T12:00:00+08:00");
    assert_eq!(first.due_from, ts("2026-11-27T00:00:00+08:00"));
    assert_eq!(first.due_by, Some(ts("2026-12-01T23:59:59+08:00")));
    let rules: Vec<RuleId> = first.reasons.iter().map(|r| r.rule).collect();
    assert_eq!(rules, vec![RuleId::Wo23, RuleId::Fu01]);
    assert_eq!(first.status, DueStatus::Upcoming);
    assert_eq!(
        follow_up("2026-11-26T23:59:59+08:00").status,
        DueStatus::Upcoming
    );
    assert_eq!(
        follow_up("2026-11-27T00:00:00+08:00").status,
        DueStatus::Due
    );
    assert_eq!(
        follow_up("2026-12-01T00:00:00+08:00").status,
        DueStatus::Due
    );
    assert_eq!(
        follow_up("2026-12-01T23:59:59+08:00").status,
        DueStatus::Due
    );
    assert_eq!(
        follow_up("2026-12-02T00:00:00+08:00").status,
        DueStatus::Overdue
    );
    // Nothing is due once the order is closed.
    assert!(
        closed_order()
            .due_checks(ts("2026-11-28T12:00:00+08:00"), &p)
            .is_empty()
    );
}

// ------------------------------------------------------------- messages

#[test]
fn guard_messages() {
    let scenarios: Vec<(&str, WorkOrderError)> = vec![
        ("WO-01 no request", reception_without_requests()),
        ("WO-01 no phone", authorize_without_phone()),
        ("WO-02", walk_around_without_customer()),
        ("WO-03", covers_missing()),
        ("WO-05", estimate_without_road_test()),
        ("WO-06", estimate_without_diagnosis_signature()),
        ("WO-07", reception_by_another_advisor()),
        ("WO-08 bay", estimate_without_bay()),
        ("WO-08 parts", estimate_with_unconfirmed_part()),
        ("WO-09", promise_not_after_now()),
        ("WO-10 dispatch", dispatch_before_authorization()),
        ("WO-10 phone", authorize_by_phone()),
        ("WO-11 start", start_unauthorized_add_on()),
        ("WO-11 propose", propose_item_after_authorization()),
        ("WO-12", second_add_on_batch()),
        ("WO-12 withheld", withheld_add_on()),
        ("WO-13 start", start_declined_item()),
        ("WO-13 deliver", deliver_without_mentioning_declined()),
        ("WO-14 finish", finish_with_open_item()),
        ("WO-14 complete", complete_never_started()),
        ("WO-15", duplicate_checkpoint()),
        ("WO-17 final", final_check_before_self_check()),
        ("WO-17 steps", final_check_without_road_test()),
        ("WO-17 prepare", prepare_before_qc_pass()),
        ("WO-18", deliver_without_explaining_open_problem()),
        ("WO-19", prepare_delivery_missing_everything()),
        ("WO-20 hours", labour_hours_mismatch()),
        ("WO-20 below", invoice_below_agreed_price()),
        ("WO-21", deliver_missing_every_explanation()),
        ("WO-23 close", close_before_delivery()),
        ("WO-23 closed", command_on_closed_order()),
        ("WO-27", courtesy_car_not_fuelled()),
        ("WO-28 dispatched", cancel_free_after_dispatch()),
        ("WO-28 delivered", cancel_after_delivery()),
        ("WO-29", authorize_leaving_item_unanswered()),
        ("WO-30", promise_before_part_arrival()),
        ("EST-02", item_without_lines()),
        ("EST-04 single", single_option()),
        ("EST-04 trade-offs", option_without_trade_offs()),
        ("EST-04 choice", authorized_options_without_choice()),
        ("EST-05 total", signed_total_differs()),
        ("EST-05 limit", phone_add_on_above_price_limit()),
        ("EST-06", settle_above_authorized()),
        ("EST-07", add_on_amount_differs()),
        ("EST-08", discount_above_front_line_cap()),
        ("EST-09", promise_before_bay_and_hours()),
        ("time", time_going_backwards()),
    ];
    let mut text = String::new();
    for (label, err) in &scenarios {
        text.push_str(&format!("[{label}]\n{err}\n"));
    }
    insta::assert_snapshot!("guard_messages", text);
}

#[test]
fn due_kinds_and_statuses_read_as_words() {
    use aftersales::{Checkpoint, DueKind, DueStatus};
    assert_eq!(
        DueKind::ProgressCheck(Checkpoint::Midway).to_string(),
        "progress check (midway)"
    );
    assert_eq!(
        DueKind::ProgressCheck(Checkpoint::AfterStart).to_string(),
        "progress check (after the start)"
    );
    assert_eq!(
        DueKind::ProgressCheck(Checkpoint::BeforeCompletion).to_string(),
        "progress check (before completion)"
    );
    assert_eq!(DueKind::DelayNotice.to_string(), "delay notice");
    assert_eq!(DueKind::FollowUpCall.to_string(), "follow-up call");
    assert_eq!(DueStatus::Upcoming.to_string(), "upcoming");
    assert_eq!(DueStatus::Due.to_string(), "due");
    assert_eq!(DueStatus::Overdue.to_string(), "overdue");
}
