//! The supported time range (issue 15, item 1) at the work order, the
//! regulation module and the customer file: every time a command carries is
//! refused one second outside 1900-01-01T00:00:00Z … 9999-12-31T23:59:59Z
//! with an error naming its field, before any rule, and the two ends
//! themselves are accepted. Instants at chrono's own end are refused, never
//! a panic.

use aftersales::time::SUPPORTED_RANGE;
use aftersales::{
    ACard, Amendment, AuthorizationMethod, BasicInfo, CCard, CancellationTerms, Check,
    CompletionCertificate, CourtesyCarChecklist, CustomerFile, CustomerFileCommand,
    CustomerFileError, EarlierRepair, EstimateLine, ExcludedInterval, ExclusionReason, FaultKey,
    FollowUpOutcome, HouseholdCar, InsuranceInfo, ItemDraft, ItemNo, Km, PartAvailability,
    PartOrigin, PartsConsent, PersonalInfo, Policy, Powertrain, PowertrainAssembly, PriceRange,
    Priority, ProblemCategory, ProblemKey, ProblemSite, QualityProblem, QualityRepair,
    RepairCategory, RepairOption, RuleId, Safety, SettlementList, SettlementListError,
    ThreeGuaranteesError, ThreeGuaranteesPolicy, VehicleInfo, VehicleKind, Visit, VisitKind,
    WorkOrder, WorkOrderCommand, WorkOrderError, WorkOrderEvent, WorkOrderNo, entitlements,
};
use aftersales::{OverrunConsent, ReceiveVehicle};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use serde_json::Value;

use crate::support::{self, Expect};

// ---- instants and dates at the ends -------------------------------------

const FIRST: &str = "1900-01-01T00:00:00Z";
const LAST: &str = "9999-12-31T23:59:59Z";
const BEFORE_FIRST: &str = "1899-12-31T23:59:59Z";
const AFTER_LAST: &str = "+10000-01-01T00:00:00Z";
const FIRST_DAY: &str = "1900-01-01";
const LAST_DAY: &str = "9999-12-31";
const DAY_BEFORE: &str = "1899-12-31";
const DAY_AFTER: &str = "+10000-01-01";

fn t(s: &str) -> DateTime<FixedOffset> {
    serde_json::from_value(Value::String(s.to_owned())).unwrap()
}

fn day(s: &str) -> NaiveDate {
    serde_json::from_value(Value::String(s.to_owned())).unwrap()
}

/// chrono's last instant, shown at +08:00: its local time is past chrono's
/// last representable one.
fn chrono_end_east() -> DateTime<FixedOffset> {
    let east = FixedOffset::east_opt(8 * 3600).unwrap();
    #[allow(clippy::disallowed_methods)]
    DateTime::<Utc>::MAX_UTC.with_timezone(&east)
}

#[test]
fn the_ends_parse_as_intended() {
    assert_eq!(t(AFTER_LAST) - t(LAST), TimeDelta::seconds(1));
    assert_eq!(t(FIRST) - t(BEFORE_FIRST), TimeDelta::seconds(1));
    assert!(SUPPORTED_RANGE.contains(t(FIRST)) && SUPPORTED_RANGE.contains(t(LAST)));
    assert!(!SUPPORTED_RANGE.contains(t(BEFORE_FIRST)));
    assert!(!SUPPORTED_RANGE.contains(t(AFTER_LAST)));
    assert_eq!(day(DAY_AFTER).pred_opt(), Some(day(LAST_DAY)));
    assert_eq!(day(FIRST_DAY).pred_opt(), Some(day(DAY_BEFORE)));
}

// ---- walking the times of a command's JSON ---------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Instant,
    Date,
}

/// Every string in `v` that reads as an instant or a date, with its path.
fn times(v: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Kind)>) {
    match v {
        Value::String(s) => {
            if DateTime::parse_from_rfc3339(s).is_ok() {
                out.push((path.clone(), Kind::Instant));
            } else if s.parse::<NaiveDate>().is_ok() && s.len() == 10 {
                out.push((path.clone(), Kind::Date));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                times(item, path, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(k.clone());
                times(item, path, out);
                path.pop();
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn time_paths<T: serde::Serialize>(command: &T) -> (Value, Vec<(Vec<String>, Kind)>) {
    let json = serde_json::to_value(command).unwrap();
    let mut out = Vec::new();
    times(&json, &mut Vec::new(), &mut out);
    (json, out)
}

/// The JSON pointer of `path`.
fn pointer(path: &[String]) -> String {
    path.iter().map(|k| format!("/{k}")).collect()
}

fn with_value(json: &Value, path: &[String], value: &str) -> Value {
    let mut json = json.clone();
    *json.pointer_mut(&pointer(path)).unwrap() = Value::String(value.to_owned());
    json
}

/// Whether the dotted `field` names the JSON `path`: its parts appear in
/// the path in order, the last one last.
fn names(field: &str, path: &[String]) -> bool {
    let parts: Vec<&str> = field.split('.').collect();
    let mut keys = path.iter().map(String::as_str);
    parts.last() == path.last().map(String::as_str).as_ref()
        && parts.iter().all(|p| keys.any(|k| k == *p))
}

fn is_range_reason(reason: &str) -> bool {
    reason.contains("outside the supported time range")
}

fn outside(kind: Kind) -> [&'static str; 2] {
    match kind {
        Kind::Instant => [BEFORE_FIRST, AFTER_LAST],
        Kind::Date => [DAY_BEFORE, DAY_AFTER],
    }
}

fn ends(kind: Kind) -> [&'static str; 2] {
    match kind {
        Kind::Instant => [FIRST, LAST],
        Kind::Date => [FIRST_DAY, LAST_DAY],
    }
}

/// For every time in `command`: one second (or day) outside either end is
/// refused naming that field with the range reason; either end itself is
/// never refused for its range. Returns how many times were checked.
fn check_work_order_command(order: &WorkOrder, command: &WorkOrderCommand, title: &str) -> usize {
    let policy = Policy::default();
    let (json, paths) = time_paths(command);
    assert!(!paths.is_empty(), "{title}: a command without a time");
    for (path, kind) in &paths {
        for value in outside(*kind) {
            let cmd: WorkOrderCommand = serde_json::from_value(with_value(&json, path, value))
                .unwrap_or_else(|e| panic!("{title}: {path:?} = {value}: {e}"));
            match order.decide(&cmd, &policy) {
                Err(WorkOrderError::InvalidInput { field, reason, .. }) => {
                    assert!(
                        names(field, path),
                        "{title}: {path:?} = {value} refused naming `{field}`"
                    );
                    assert!(is_range_reason(&reason), "{title}: {reason}");
                }
                other => panic!("{title}: {path:?} = {value} gave {other:?}"),
            }
        }
        for value in ends(*kind) {
            let cmd: WorkOrderCommand = serde_json::from_value(with_value(&json, path, value))
                .unwrap_or_else(|e| panic!("{title}: {path:?} = {value}: {e}"));
            if let Err(e) = order.decide(&cmd, &policy) {
                assert!(
                    !is_range_reason(&e.to_string()),
                    "{title}: {path:?} = {value} refused for its range: {e}"
                );
            }
        }
    }
    paths.len()
}

// ---- the work order ---------------------------------------------------

#[test]
fn every_time_of_every_story_command_is_refused_outside_the_range_naming_its_field() {
    let steps = support::steps();
    let mut checked = 0;
    for (i, step) in steps.iter().enumerate() {
        let (order, _) = support::order_after(i);
        checked += check_work_order_command(&order, &step.command, step.title);
    }
    // at, slot, pickup, promised delivery, bay, found_at, next maintenance …
    assert!(
        checked > steps.len(),
        "{checked} times over {} steps",
        steps.len()
    );
}

/// A time on the story's repair day.
fn noon() -> DateTime<FixedOffset> {
    t("2026-11-24T12:00:00+08:00")
}

fn part_on_order(arrival: DateTime<FixedOffset>) -> EstimateLine {
    EstimateLine::part(
        "4B0-325-039".parse().unwrap(),
        "valve body",
        "1".parse().unwrap(),
        "1200 CNY".parse().unwrap(),
        PartOrigin::Oem,
        PartAvailability::Expected { arrival },
    )
}

/// The commands the story does not send, each with every time it can carry.
fn other_commands() -> Vec<(&'static str, WorkOrderCommand)> {
    use WorkOrderCommand as C;
    let at = noon();
    let later = at + TimeDelta::days(2);
    let by = "王先生".parse().unwrap();
    let sa: aftersales::StaffId = "SA-01".parse().unwrap();
    let option = RepairOption {
        title: "replace the valve body".into(),
        price_range: PriceRange {
            low: "1000 CNY".parse().unwrap(),
            high: "1500 CNY".parse().unwrap(),
        },
        trade_offs: "lasts longer, costs more".into(),
        lines: vec![part_on_order(later)],
    };
    vec![
        (
            "an item with a part on order in its own lines",
            C::ProposeItem {
                at,
                item: ItemDraft::new(
                    "valve body",
                    ProblemCategory::Mechanical,
                    Priority::Functional,
                    vec![part_on_order(later)],
                ),
            },
        ),
        (
            "an item with a part on order in an option",
            C::ProposeItem {
                at,
                item: ItemDraft::with_options(
                    "gearbox",
                    ProblemCategory::Mechanical,
                    Priority::Functional,
                    vec![option],
                ),
            },
        ),
        (
            "a part confirmed as on order",
            C::ConfirmPartAvailability {
                at,
                item: ItemNo(2),
                option: None,
                line: 1,
                availability: PartAvailability::Expected { arrival: later },
            },
        ),
        (
            "a part delay",
            C::ReportPartDelay {
                at,
                item: ItemNo(2),
                line: 1,
                expected_arrival: later,
            },
        ),
        (
            "a new promise",
            C::RevisePromise {
                at,
                new_promise: later,
                reason: "part late".into(),
            },
        ),
        (
            "an uncorrected problem",
            C::RecordUncorrectedProblem {
                at,
                description: "worn wiper".into(),
                safety: Safety::NotSafetyRelated,
            },
        ),
        (
            "a classification",
            C::ClassifyRepair {
                at,
                scope: RepairCategory::Minor,
            },
        ),
        (
            "a completion certificate",
            C::RecordCompletionCertificate {
                certificate: CompletionCertificate {
                    at,
                    number: "JG-1".into(),
                    inspector: "QC-01".parse().unwrap(),
                },
            },
        ),
        (
            "a parts consent",
            C::RecordPartsConsent {
                consent: PartsConsent {
                    at,
                    by: "王先生".parse().unwrap(),
                    method: AuthorizationMethod::Signature,
                    recorded_by: sa.clone(),
                    items: vec![ItemNo(1)],
                },
            },
        ),
        (
            "an overrun consent",
            C::ConsentToOverrun {
                consent: OverrunConsent {
                    at,
                    by,
                    method: AuthorizationMethod::Signature,
                    recorded_by: sa,
                    new_total: "5000 CNY".parse().unwrap(),
                },
            },
        ),
        (
            "a courtesy car",
            C::HandOverCourtesyCar {
                at,
                checklist: CourtesyCarChecklist {
                    enough_fuel: Check::Done,
                    clean: Check::Done,
                    ready: Check::Done,
                },
            },
        ),
        (
            "closing",
            C::Close {
                at,
                outcome: FollowUpOutcome::Completed,
            },
        ),
        (
            "cancelling",
            C::Cancel {
                at,
                reason: "customer withdrew".into(),
                terms: CancellationTerms::Free,
            },
        ),
    ]
}

#[test]
fn every_time_of_the_other_commands_is_refused_outside_the_range_naming_its_field() {
    let (order, _) = support::order_after(support::step_index("Work starts on item 1"));
    let mut nested = 0;
    for (title, command) in other_commands() {
        let checked = check_work_order_command(&order, &command, title);
        nested += checked - 1;
    }
    // Two item arrivals, the confirmed arrival, the delay and the promise.
    assert_eq!(nested, 5);
}

fn reception_at(at: DateTime<FixedOffset>) -> WorkOrderCommand {
    let (_, command) = support::before("Reception");
    match command {
        WorkOrderCommand::ReceiveVehicle(r) => {
            WorkOrderCommand::ReceiveVehicle(ReceiveVehicle { at, ..r })
        }
        other => panic!("not a reception: {other:?}"),
    }
}

fn new_order() -> WorkOrder {
    WorkOrder::new(WorkOrderNo::try_new("WO-T-1").unwrap())
}

fn field_of(err: &WorkOrderError) -> &'static str {
    match err {
        WorkOrderError::InvalidInput { field, .. } => field,
        other => panic!("not an invalid input: {other}"),
    }
}

#[test]
fn a_reception_in_year_262142_is_refused_naming_at() {
    let far = t("+262142-12-31T23:59:59Z");
    let err = new_order()
        .decide(&reception_at(far), &Policy::default())
        .unwrap_err();
    assert_eq!(field_of(&err), "at");
    assert!(is_range_reason(&err.to_string()), "{err}");
}

#[test]
fn a_command_at_chronos_last_instant_east_of_utc_is_refused_not_a_panic() {
    let policy = Policy::default();
    let err = new_order()
        .decide(&reception_at(chrono_end_east()), &policy)
        .unwrap_err();
    assert_eq!(field_of(&err), "at");
    // Late in the story too, where delivery reads the local date.
    let (order, command) = support::before("Delivered at the car");
    let WorkOrderCommand::Deliver { checklist, .. } = command else {
        panic!("not a delivery")
    };
    let deliver = WorkOrderCommand::Deliver {
        at: chrono_end_east(),
        checklist,
    };
    assert_eq!(
        field_of(&order.decide(&deliver, &policy).unwrap_err()),
        "at"
    );
}

#[test]
fn both_ends_of_the_range_are_accepted_by_a_new_order() {
    let policy = Policy::default();
    let mut order = new_order();
    let (_, booking) = support::before("Appointment booked");
    let WorkOrderCommand::BookAppointment {
        advisor,
        agreements,
        ..
    } = booking
    else {
        panic!("not a booking")
    };
    order
        .execute(
            WorkOrderCommand::BookAppointment {
                at: t(FIRST),
                slot: t(LAST),
                advisor,
                agreements,
            },
            &policy,
        )
        .unwrap();
    order.execute(reception_at(t(LAST)), &policy).unwrap();
    assert_eq!(order.reception().unwrap().at, t(LAST));
}

#[test]
fn the_range_is_checked_before_any_rule() {
    let policy = Policy::default();
    let (mut order, _) = support::order_after(support::step_index("Work starts on item 1"));
    order
        .execute(
            WorkOrderCommand::Cancel {
                at: noon(),
                reason: "customer withdrew".into(),
                terms: CancellationTerms::WorkSettled {
                    amount: "0 CNY".parse().unwrap(),
                    parts_reinstalled: Check::Done,
                },
            },
            &policy,
        )
        .unwrap();
    // A cancelled order refuses everything under WO-28, but a time outside
    // the range is named first.
    let inside = WorkOrderCommand::FinishRepair { at: t(LAST) };
    assert_eq!(
        order.decide(&inside, &policy).unwrap_err().rule(),
        Some(RuleId::Wo28)
    );
    let outside = WorkOrderCommand::FinishRepair { at: t(AFTER_LAST) };
    assert_eq!(
        field_of(&order.decide(&outside, &policy).unwrap_err()),
        "at"
    );
}

/// Every instant and date of the story's commands moved by `delta`.
fn shifted(command: &WorkOrderCommand, delta: TimeDelta) -> WorkOrderCommand {
    let (mut json, paths) = time_paths(command);
    for (path, kind) in paths {
        let node = json.pointer_mut(&pointer(&path)).unwrap();
        let moved = match kind {
            Kind::Instant => {
                let at: DateTime<FixedOffset> = serde_json::from_value(node.clone()).unwrap();
                serde_json::to_value(at + delta).unwrap()
            }
            Kind::Date => {
                let d: NaiveDate = serde_json::from_value(node.clone()).unwrap();
                serde_json::to_value(d + TimeDelta::days(delta.num_days())).unwrap()
            }
        };
        *node = moved;
    }
    serde_json::from_value(json).unwrap()
}

/// The story moved by whole days to the first days of 1900 (`to_first`)
/// or to the last days of 9999; every step must answer as it does in 2026.
fn story_moved(to_first: bool) -> WorkOrder {
    let policy = Policy::default();
    let steps = support::steps();
    let mut instants = Vec::new();
    for step in &steps {
        let (json, paths) = time_paths(&step.command);
        for (path, kind) in paths {
            let node = json.pointer(&pointer(&path)).unwrap();
            instants.push(match kind {
                Kind::Instant => serde_json::from_value(node.clone()).unwrap(),
                Kind::Date => {
                    let d: NaiveDate = serde_json::from_value(node.clone()).unwrap();
                    d.and_hms_opt(0, 0, 0).unwrap().and_utc().fixed_offset()
                }
            });
        }
    }
    let delta = if to_first {
        // Whole days, so the dates move with the instants.
        let gap = t(FIRST) - *instants.iter().min().unwrap();
        TimeDelta::days(gap.num_days() + 1)
    } else {
        let gap = t(LAST) - *instants.iter().max().unwrap();
        TimeDelta::days(gap.num_days())
    };
    let mut order = WorkOrder::new(support::story::order_no().unwrap());
    for step in &steps {
        let command = shifted(&step.command, delta);
        match (order.execute(command, &policy), step.expect) {
            (Ok(_), Expect::Accepted) => {}
            (Err(e), Expect::Rejected(rule)) if e.rule() == Some(rule) => {}
            (got, want) => panic!("{}: {got:?}, expected {want:?}", step.title),
        }
    }
    order
}

#[test]
fn the_whole_story_runs_at_both_ends_of_the_range() {
    let policy = Policy::default();
    for to_first in [true, false] {
        let order = story_moved(to_first);
        let delivered = order.delivery().unwrap().at;
        let year = delivered.naive_utc().date().format("%Y").to_string();
        assert_eq!(year, if to_first { "1900" } else { "9999" });
        let list = SettlementList::of(&order, &policy).unwrap();
        assert_eq!(list.delivered_at, Some(delivered));
        assert!(
            order
                .part_warranties(&policy)
                .iter()
                .all(|w| w.from.is_some())
        );
        let earlier = EarlierRepair::from_order(
            &order,
            VehicleKind::Car,
            RepairCategory::Minor,
            FaultKey::try_new("brake squeal").unwrap(),
            &policy,
        )
        .unwrap();
        assert_eq!(earlier.exit_date.format("%Y").to_string(), year);
    }
}

// ---- orders replayed from stored events outside the range -----------------

/// The story's full log with the settlement and the delivery moved to
/// `settled` and `delivered`.
fn replayed(settled: DateTime<FixedOffset>, delivered: DateTime<FixedOffset>) -> WorkOrder {
    let (_, log) = support::order_after(support::steps().len());
    let log: Vec<WorkOrderEvent> = log
        .into_iter()
        .map(|e| match e {
            WorkOrderEvent::OrderSettled { mut settlement } => {
                settlement.at = settled;
                WorkOrderEvent::OrderSettled { settlement }
            }
            WorkOrderEvent::VehicleDelivered {
                checklist,
                part_warranties,
                ..
            } => WorkOrderEvent::VehicleDelivered {
                at: delivered,
                checklist,
                part_warranties,
            },
            other => other,
        })
        .collect();
    WorkOrder::replay(support::story::order_no().unwrap(), &log)
}

fn list_error_field(order: &WorkOrder) -> &'static str {
    match SettlementList::of(order, &Policy::default()) {
        Err(SettlementListError::TimeRange { source, .. }) => source.field,
        other => panic!("expected a time-range refusal, got {other:?}"),
    }
}

#[test]
fn a_settlement_list_refuses_a_stored_settlement_or_delivery_outside_the_range() {
    let policy = Policy::default();
    let now = noon();
    assert_eq!(
        list_error_field(&replayed(t(BEFORE_FIRST), now)),
        "settlement.at"
    );
    assert_eq!(
        list_error_field(&replayed(t(AFTER_LAST), now)),
        "settlement.at"
    );
    assert_eq!(
        list_error_field(&replayed(now, t(BEFORE_FIRST))),
        "delivery.at"
    );
    assert_eq!(
        list_error_field(&replayed(now, t(AFTER_LAST))),
        "delivery.at"
    );
    assert_eq!(
        list_error_field(&replayed(now, chrono_end_east())),
        "delivery.at"
    );
    let err = SettlementList::of(&replayed(t(AFTER_LAST), now), &policy).unwrap_err();
    assert_eq!(err.rule(), RuleId::Reg04);
    for (settled, delivered) in [(t(FIRST), t(FIRST)), (t(LAST), t(LAST))] {
        let list = SettlementList::of(&replayed(settled, delivered), &policy).unwrap();
        assert_eq!(
            (list.settled_at, list.delivered_at),
            (settled, Some(delivered))
        );
    }
}

fn earlier_of(order: &WorkOrder) -> Option<EarlierRepair> {
    EarlierRepair::from_order(
        order,
        VehicleKind::Car,
        RepairCategory::Minor,
        FaultKey::try_new("brake squeal").unwrap(),
        &Policy::default(),
    )
}

#[test]
fn an_earlier_repair_is_not_made_from_a_delivery_outside_the_range() {
    let now = noon();
    assert!(earlier_of(&replayed(now, t(BEFORE_FIRST))).is_none());
    assert!(earlier_of(&replayed(now, t(AFTER_LAST))).is_none());
    assert!(earlier_of(&replayed(now, chrono_end_east())).is_none());
    assert_eq!(
        earlier_of(&replayed(now, t(FIRST))).unwrap().exit_date,
        day(FIRST_DAY)
    );
    assert_eq!(
        earlier_of(&replayed(now, t(LAST))).unwrap().exit_date,
        day(LAST_DAY)
    );
}

#[test]
fn part_warranties_of_a_stored_delivery_at_chronos_end_have_no_start_and_no_panic() {
    let policy = Policy::default();
    let (_, log) = support::order_after(support::steps().len());
    // A delivery stored before the warranties were recorded: they are
    // computed from its date.
    let log: Vec<WorkOrderEvent> = log
        .into_iter()
        .map(|e| match e {
            WorkOrderEvent::VehicleDelivered { checklist, .. } => {
                WorkOrderEvent::VehicleDelivered {
                    at: chrono_end_east(),
                    checklist,
                    part_warranties: Vec::new(),
                }
            }
            other => other,
        })
        .collect();
    let order = WorkOrder::replay(support::story::order_no().unwrap(), &log);
    let warranties = order.part_warranties(&policy);
    assert!(!warranties.is_empty());
    assert!(
        warranties
            .iter()
            .all(|w| w.from.is_none() && w.until.is_none())
    );
}

// ---- 三包 --------------------------------------------------------------------

fn car() -> HouseholdCar {
    HouseholdCar {
        vin: "LFV2A21K8N3000001".parse().unwrap(),
        invoice_date: day("2025-01-10"),
        delivery_date: day("2025-01-10"),
        delivery_odometer: Km(15),
        price: "180000.00 CNY".parse().unwrap(),
        powertrain: Powertrain::Combustion,
    }
}

fn quality_repair() -> QualityRepair {
    QualityRepair {
        order: WorkOrderNo::try_new("WO-1").unwrap(),
        problem: QualityProblem {
            site: ProblemSite::Assembly(PowertrainAssembly::Transmission),
            serious_safety: false,
            key: ProblemKey::try_new("gearbox judder").unwrap(),
        },
        replaced: vec![],
        started: t("2025-01-15T09:00:00+08:00"),
        completed: Some(t("2025-01-15T17:00:00+08:00")),
        excluded: vec![ExcludedInterval {
            reason: ExclusionReason::RescueTravel,
            from: t("2025-01-15T10:00:00+08:00"),
            to: t("2025-01-15T11:00:00+08:00"),
        }],
        odometer: Km(420),
        still_failing: false,
    }
}

fn three_guarantees(
    repair: &QualityRepair,
    at: DateTime<FixedOffset>,
) -> Result<Vec<aftersales::Entitlement>, ThreeGuaranteesError> {
    entitlements(
        &car(),
        std::slice::from_ref(repair),
        at,
        Km(430),
        &ThreeGuaranteesPolicy::default(),
    )
}

fn three_guarantees_field(
    r: Result<Vec<aftersales::Entitlement>, ThreeGuaranteesError>,
) -> &'static str {
    match r {
        Err(ThreeGuaranteesError::InvalidInput { field, reason }) => {
            assert!(is_range_reason(&reason), "{reason}");
            field
        }
        other => panic!("expected a time-range refusal, got {other:?}"),
    }
}

#[test]
fn the_three_guarantees_refuse_a_decision_date_outside_the_range_and_take_its_ends() {
    let repair = quality_repair();
    for v in [BEFORE_FIRST, AFTER_LAST, "+262142-12-31T23:59:59Z"] {
        assert_eq!(
            three_guarantees_field(three_guarantees(&repair, t(v))),
            "at"
        );
    }
    assert_eq!(
        three_guarantees_field(three_guarantees(&repair, chrono_end_east())),
        "at"
    );
    assert!(three_guarantees(&repair, t(LAST)).is_ok());
    // At the first instant the repair has not started: nothing earned.
    assert_eq!(three_guarantees(&repair, t(FIRST)).unwrap(), vec![]);
}

#[test]
fn the_three_guarantees_refuse_every_repair_time_outside_the_range_naming_it() {
    let at = t("2025-01-16T09:00:00+08:00");
    type Set = fn(&mut QualityRepair, DateTime<FixedOffset>);
    let fields: [(&str, Set); 4] = [
        ("started", |r, v| r.started = v),
        ("completed", |r, v| r.completed = Some(v)),
        ("excluded.from", |r, v| r.excluded[0].from = v),
        ("excluded.to", |r, v| r.excluded[0].to = v),
    ];
    for (field, set) in fields {
        for v in [BEFORE_FIRST, AFTER_LAST] {
            let mut repair = quality_repair();
            set(&mut repair, t(v));
            let r = three_guarantees(&repair, at);
            assert_eq!(three_guarantees_field(r), field, "{field} = {v}");
            assert!(repair.validate().is_err());
        }
        // At the ends the time is taken: the history may be refused for
        // its order (completed before the start …), never for the range.
        for v in [FIRST, LAST] {
            let mut repair = quality_repair();
            set(&mut repair, t(v));
            if let Err(e) = three_guarantees(&repair, t(LAST)) {
                assert!(
                    !matches!(e, ThreeGuaranteesError::InvalidInput { .. }),
                    "{e}"
                );
            }
        }
    }
    // The whole repair at the last instant counts.
    let mut last = quality_repair();
    last.started = t(LAST);
    last.completed = Some(t(LAST));
    last.excluded.clear();
    assert!(three_guarantees(&last, t(LAST)).is_ok());
    assert_eq!(last.date(), day(LAST_DAY));
    let mut first = quality_repair();
    first.started = t(FIRST);
    first.completed = None;
    first.excluded.clear();
    assert!(first.validate().is_ok());
    assert_eq!(first.date(), day(FIRST_DAY));
}

#[test]
fn a_repair_date_at_chronos_end_is_its_utc_date_not_a_panic() {
    let mut repair = quality_repair();
    repair.started = chrono_end_east();
    repair.completed = None;
    assert_eq!(repair.date(), DateTime::<Utc>::MAX_UTC.naive_utc().date());
    assert!(matches!(
        repair.validate(),
        Err(ThreeGuaranteesError::InvalidInput {
            field: "started",
            ..
        })
    ));
}

// ---- the customer file --------------------------------------------------

fn a_card() -> ACard {
    let mut basic = BasicInfo::new("王建国".parse().unwrap());
    basic.birthday = Some(day("1988-07-14"));
    let mut vehicle = VehicleInfo::new("LFMA3ACC5R0123456".parse().unwrap());
    vehicle.delivered_on = Some(day("2025-03-02"));
    ACard {
        customer: "C-0301".parse().unwrap(),
        basic,
        contact: Default::default(),
        vehicle,
        insurance: InsuranceInfo {
            insured_here: Some(true),
            policy_no: None,
            insured_on: Some(day("2025-03-02")),
        },
        personal: PersonalInfo {
            wedding_anniversary: Some(day("2014-10-01")),
            annual_inspection: Some(day("2026-03-02")),
            ..PersonalInfo::default()
        },
        sale: Default::default(),
        remarks: None,
    }
}

fn c_card() -> CCard {
    let a = a_card();
    let mut c = CCard::service_only(a.customer, a.basic, a.vehicle);
    c.insurance = a.insurance;
    c.personal = a.personal;
    c
}

fn opened() -> CustomerFile {
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenSalesFile {
            on: day("2025-03-02"),
            card: a_card(),
        },
        &Policy::default(),
    )
    .unwrap();
    file
}

/// Each customer-file command on the file it applies to, with every date
/// it can carry.
fn file_commands() -> Vec<(&'static str, CustomerFile, CustomerFileCommand)> {
    use CustomerFileCommand as C;
    let on = day("2025-06-10");
    let mut personal = a_card().personal;
    personal.annual_inspection = Some(day("2027-03-02"));
    vec![
        (
            "open a sales file",
            CustomerFile::new(),
            C::OpenSalesFile {
                on: day("2025-03-02"),
                card: a_card(),
            },
        ),
        (
            "open a service file",
            CustomerFile::new(),
            C::OpenServiceFile {
                on: day("2025-03-02"),
                card: c_card(),
            },
        ),
        (
            "record a visit",
            opened(),
            C::RecordVisit {
                visit: Visit::new(on, VisitKind::FirstMaintenance),
                advisor: None,
            },
        ),
        (
            "record a complaint",
            opened(),
            C::RecordComplaint {
                on,
                complaint: "CMP-1".parse().unwrap(),
                major: false,
            },
        ),
        (
            "amend the insurance",
            opened(),
            C::Amend {
                on,
                amendment: Amendment::Insurance(a_card().insurance),
            },
        ),
        (
            "amend the personal block",
            opened(),
            C::Amend {
                on,
                amendment: Amendment::Personal(personal),
            },
        ),
    ]
}

#[test]
fn every_date_of_every_customer_file_command_is_refused_outside_the_range_naming_it() {
    let policy = Policy::default();
    let mut checked = 0;
    for (title, file, command) in file_commands() {
        assert!(file.decide(&command, &policy).is_ok(), "{title}");
        let (json, paths) = time_paths(&command);
        for (path, kind) in &paths {
            assert_eq!(*kind, Kind::Date, "{title}: {path:?}");
            for value in outside(*kind) {
                let cmd: CustomerFileCommand =
                    serde_json::from_value(with_value(&json, path, value)).unwrap();
                match file.decide(&cmd, &policy) {
                    Err(CustomerFileError::InvalidInput { field, reason, .. }) => {
                        assert!(names(field, path), "{title}: {path:?} named `{field}`");
                        assert!(is_range_reason(&reason), "{title}: {reason}");
                    }
                    other => panic!("{title}: {path:?} = {value} gave {other:?}"),
                }
                let err = file.decide(&cmd, &policy).unwrap_err();
                assert_eq!(err.rule(), None);
                assert_eq!(err.action(), command.action());
            }
            for value in ends(*kind) {
                let cmd: CustomerFileCommand =
                    serde_json::from_value(with_value(&json, path, value)).unwrap();
                if let Err(e) = file.decide(&cmd, &policy) {
                    assert!(
                        !is_range_reason(&e.to_string()),
                        "{title}: {path:?} = {value}: {e}"
                    );
                }
            }
            checked += 1;
        }
    }
    // `on` of five commands, the visit date, birthday, delivery,
    // insurance, anniversary and inspection on both cards, the amended
    // insurance date and the two amended personal dates.
    assert_eq!(checked, 5 + 1 + 5 * 2 + 1 + 2);
}

#[test]
fn a_customer_file_takes_both_ends_of_the_range() {
    let policy = Policy::default();
    let mut file = CustomerFile::new();
    let mut card = a_card();
    card.basic.birthday = Some(day(FIRST_DAY));
    file.execute(
        CustomerFileCommand::OpenSalesFile {
            on: day(FIRST_DAY),
            card,
        },
        &policy,
    )
    .unwrap();
    file.execute(
        CustomerFileCommand::RecordVisit {
            visit: Visit::new(day(LAST_DAY), VisitKind::FirstMaintenance),
            advisor: None,
        },
        &policy,
    )
    .unwrap();
    assert_eq!(file.opened_on(), Some(day(FIRST_DAY)));
    assert_eq!(file.moved_on(), Some(day(LAST_DAY)));
    // The rules still hold inside the range: a rule error names its rule.
    let err = file
        .decide(
            &CustomerFileCommand::OpenSalesFile {
                on: day(LAST_DAY),
                card: a_card(),
            },
            &policy,
        )
        .unwrap_err();
    assert_eq!(err.rule(), Some(RuleId::Cus01));
    assert_eq!(err.action(), "open a sales file");
}
