//! The records a work order keeps: reception, checklists, authorizations,
//! settlement and delivery.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, PersonName, PhoneNumber, Plate, StaffId, TeamId, Vin, WorkOrderNo};
use crate::money::Money;
use crate::rule::RuleId;
use crate::units::{Hours, Km};
use crate::work_order::estimate::{AuthorizationNo, ItemNo};
use crate::work_order::warranty::PartWarranty;

/// A step that was done or not. Used instead of a bare `bool` so a
/// checklist reads as what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Done.
    Done,
    /// Not done.
    NotDone,
}

impl Check {
    /// Whether it was done.
    pub const fn is_done(self) -> bool {
        matches!(self, Check::Done)
    }
}

/// A document checked at reception (WO-04), as `[000]` lists them:
/// 收音机密码、车轮防盗螺栓、维修记录、驾照、随车文件.
///
/// The variant names are kept from earlier versions so stored JSON still
/// loads (`wheel_lock_key`, `service_record_book`); the labels are the
/// source's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceptionDocument {
    /// Radio (audio) anti-theft code (收音机密码).
    RadioCode,
    /// The wheel-lock bolts' key (车轮防盗螺栓, as `[000]` names it): without
    /// it no wheel comes off.
    WheelLockKey,
    /// Service records (维修记录).
    ServiceRecordBook,
    /// The customer's driving licence (驾照), not the vehicle registration
    /// (行驶证).
    DrivingLicence,
    /// Other vehicle documents (随车文件).
    VehicleDocuments,
}

impl ReceptionDocument {
    /// All documents, in checklist order.
    pub const ALL: [ReceptionDocument; 5] = [
        ReceptionDocument::RadioCode,
        ReceptionDocument::WheelLockKey,
        ReceptionDocument::ServiceRecordBook,
        ReceptionDocument::DrivingLicence,
        ReceptionDocument::VehicleDocuments,
    ];

    /// English label.
    pub const fn label_en(self) -> &'static str {
        match self {
            ReceptionDocument::RadioCode => "radio code",
            ReceptionDocument::WheelLockKey => "wheel-lock key",
            ReceptionDocument::ServiceRecordBook => "service records",
            ReceptionDocument::DrivingLicence => "driving licence",
            ReceptionDocument::VehicleDocuments => "vehicle documents",
        }
    }

    /// Chinese label.
    pub const fn label_zh(self) -> &'static str {
        match self {
            ReceptionDocument::RadioCode => "收音机密码",
            ReceptionDocument::WheelLockKey => "车轮防盗螺栓",
            ReceptionDocument::ServiceRecordBook => "维修记录",
            ReceptionDocument::DrivingLicence => "驾照",
            ReceptionDocument::VehicleDocuments => "随车文件",
        }
    }
}

/// A protective cover fitted at reception (三件套, WO-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProtectiveCover {
    /// Seat cover (座椅套).
    Seat,
    /// Steering-wheel cover (方向盘套).
    SteeringWheel,
    /// Floor mat (脚垫).
    FloorMat,
}

impl ProtectiveCover {
    /// All three covers.
    pub const ALL: [ProtectiveCover; 3] = [
        ProtectiveCover::Seat,
        ProtectiveCover::SteeringWheel,
        ProtectiveCover::FloorMat,
    ];
}

/// Whether the customer took part (WO-02, WO-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// With the customer.
    CustomerPresent,
    /// Without the customer.
    CustomerAbsent,
}

/// The walk-around inspection (环车检查, WO-02), recorded on the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WalkAround {
    /// Whether the customer was there.
    pub presence: Presence,
    /// What was found (scratches, dents, warning lights …); may be empty.
    pub findings: Vec<String>,
}

/// The customer as recorded at reception (WO-01).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Customer {
    /// The DMS's customer id, if known.
    pub id: Option<CustomerId>,
    /// Name.
    pub name: PersonName,
    /// Contact phone; without one the order cannot be authorized.
    pub phone: Option<PhoneNumber>,
}

/// Whether the vehicle is under the manufacturer's warranty (EST-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManufacturerWarranty {
    /// Not known.
    Unknown,
    /// Under warranty.
    Active,
    /// Out of warranty.
    Expired,
}

/// The vehicle as recorded at reception (WO-01).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Vehicle {
    /// VIN.
    pub vin: Vin,
    /// Plate, if registered.
    pub plate: Option<Plate>,
    /// Model, e.g. "Audi A4L 2.0T".
    pub model: String,
    /// Odometer at reception.
    pub mileage: Km,
    /// Manufacturer warranty status.
    pub warranty: ManufacturerWarranty,
}

/// When a symptom shows (WO-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymptomCondition {
    /// Not a fault (maintenance, a wish).
    NotAFault,
    /// Shows at a standstill.
    Stationary,
    /// Shows only while driving: needs a road test with the customer.
    WhileDriving,
}

/// One customer request, recorded as its own entry (WO-01).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CustomerRequest {
    /// In the customer's words.
    pub description: String,
    /// When the symptom shows.
    pub condition: SymptomCondition,
}

/// The reception record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reception {
    /// When the vehicle was received.
    pub at: DateTime<FixedOffset>,
    /// The service advisor.
    pub advisor: StaffId,
    /// The customer.
    pub customer: Customer,
    /// The vehicle.
    pub vehicle: Vehicle,
    /// Each request separately.
    pub requests: Vec<CustomerRequest>,
    /// The walk-around inspection.
    pub walk_around: WalkAround,
    /// Documents found with the vehicle (WO-04).
    pub documents_present: Vec<ReceptionDocument>,
    /// Covers fitted (WO-03).
    pub covers_fitted: Vec<ProtectiveCover>,
    /// The earlier order this visit is a comeback of, if any (WO-24).
    pub comeback_of: Option<WorkOrderNo>,
}

/// A booked appointment (WO-07).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Appointment {
    /// When it was booked.
    pub booked_at: DateTime<FixedOffset>,
    /// The agreed arrival time.
    pub slot: DateTime<FixedOffset>,
    /// The advisor who must receive the customer.
    pub advisor: StaffId,
    /// What was agreed (price, loaner, parts ordered …).
    pub agreements: Vec<String>,
}

/// A confirmed workshop bay (WO-08).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BayConfirmation {
    /// When it was confirmed.
    pub at: DateTime<FixedOffset>,
    /// The bay.
    pub bay: String,
    /// When the bay is free for this order.
    pub available_from: DateTime<FixedOffset>,
}

/// How the customer authorized (EST-07).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationMethod {
    /// Handwritten signature on the order.
    Signature,
    /// Electronic signature on a pad or app.
    DigitalSignature,
    /// By phone, recorded by the advisor.
    Phone,
    /// By text or messenger message.
    Message,
}

impl AuthorizationMethod {
    /// Whether this is a signature of the order (WO-10), as opposed to a
    /// remote consent.
    pub const fn is_signature(self) -> bool {
        matches!(
            self,
            AuthorizationMethod::Signature | AuthorizationMethod::DigitalSignature
        )
    }
}

/// One authorization (EST-07): who, when, how, exactly which items and
/// which amount.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AuthorizationRecord {
    /// Its number on the order.
    pub no: AuthorizationNo,
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who authorized (the customer or their representative).
    pub by: PersonName,
    /// How.
    pub method: AuthorizationMethod,
    /// Who recorded it.
    pub recorded_by: StaffId,
    /// Exactly the items authorized.
    pub items: Vec<ItemNo>,
    /// The amount told to the customer: the gross (with tax) of those items.
    pub amount: Money,
}

/// How the customer gets the vehicle back (WO-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PickupMethod {
    /// The customer waits in the lounge.
    CustomerWaits,
    /// The customer comes back for it.
    CustomerCollects,
    /// The dealer delivers it.
    DealerDelivers,
}

/// Pickup method and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Pickup {
    /// Method.
    pub method: PickupMethod,
    /// Time.
    pub at: DateTime<FixedOffset>,
}

/// Payment methods (WO-22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMethod {
    /// Cash (现金).
    Cash,
    /// Bank draft (汇票).
    BankDraft,
    /// Cheque (支票).
    Cheque,
    /// Remittance (汇兑).
    Remittance,
    /// Bank card.
    Card,
    /// Electronic payment (WeChat Pay, Alipay …).
    Electronic,
}

/// The terms the customer signed (WO-10).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SignedTerms {
    /// The agreed items.
    pub items: Vec<ItemNo>,
    /// The estimated total of those items, with tax.
    pub estimated_total: Money,
    /// The price limit for work beyond the order (限价, EST-05).
    pub price_limit: Money,
    /// Pickup method and time.
    pub pickup: Pickup,
    /// Payment method.
    pub payment: PaymentMethod,
    /// Contact phone.
    pub contact_phone: PhoneNumber,
}

/// The dispatch (派工).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dispatch {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The technician.
    pub technician: StaffId,
    /// The team, if any.
    pub team: Option<TeamId>,
}

/// The WO-15 progress checkpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checkpoint {
    /// About 30 minutes after work starts.
    AfterStart,
    /// When half the estimated time has passed.
    Midway,
    /// Shortly before the estimated completion.
    BeforeCompletion,
}

/// Whether a delay was told before the promised time (WO-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeTiming {
    /// Before the promised time, as WO-16 requires.
    BeforePromise,
    /// At or after the promised time: recorded, and a WO-16 risk.
    AfterPromise,
}

/// Whether something bears on safety.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Safety {
    /// Safety related.
    SafetyRelated,
    /// Not safety related.
    NotSafetyRelated,
}

/// A problem found and not corrected (WO-18).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UncorrectedProblem {
    /// When it was written on the order.
    pub at: DateTime<FixedOffset>,
    /// What it is.
    pub description: String,
    /// Whether it bears on safety.
    pub safety: Safety,
}

/// The outcome of a self-check or a final check (WO-17).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum CheckOutcome {
    /// Passed.
    Pass,
    /// Failed: the listed items go back to repair.
    Fail {
        /// Items to redo; at least one.
        rework: Vec<ItemNo>,
        /// What was wrong.
        reason: String,
    },
}

/// The road-test step of a quality check (WO-17): `[000]` asks for a suitable
/// road test (适当的路试), so it may be not needed, unless a fault shows only
/// while driving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoadTestStep {
    /// The vehicle was road-tested.
    Done,
    /// Not needed for this work (an oil change, a wiper blade).
    NotNeeded,
    /// Not made.
    NotDone,
}

words! {
    /// One of the five standard steps of the quality check in `[000]`
    /// (质检/内部交车的标准步骤, WO-17).
    QualityStep {
        /// Step 1: check the work order against the work (检查维修工单).
        OrderChecked => "check the work order", "检查维修工单";
        /// Step 2: road test (车辆试车).
        RoadTest => "road test", "车辆试车";
        /// Step 3: confirm the repair is complete (确认车辆修理完全).
        RepairComplete => "confirm the repair is complete", "确认车辆修理完全";
        /// Step 4: check the order is filled in (检查工单的填写).
        OrderFilledIn => "check the order is filled in", "检查工单的填写";
        /// Step 5: hand on to the next step (转交下一环节).
        HandedOn => "hand on to the next step", "转交下一环节";
    }
}

/// The five standard steps of `[000]`'s quality check, as one self-check or
/// final check made them (WO-17).
///
/// A passed check has made every step (the road test may be not needed,
/// unless a request shows only while driving); a failed check records the
/// steps as far as they went, since the order goes back to repair anyway.
///
/// ```
/// use aftersales::{QualityStep, QualitySteps, RoadTestStep};
///
/// let all = QualitySteps::ALL_DONE;
/// assert!(all.missing(true).is_empty());
/// let no_drive = QualitySteps { road_test: RoadTestStep::NotNeeded, ..all };
/// assert!(no_drive.missing(false).is_empty());
/// assert_eq!(no_drive.missing(true), [QualityStep::RoadTest]); // a fault that shows while driving
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualitySteps {
    /// Step 1: the work order checked (检查维修工单).
    pub order_checked: Check,
    /// Step 2: the road test (车辆试车).
    pub road_test: RoadTestStep,
    /// Step 3: the repair confirmed complete (确认车辆修理完全).
    pub repair_complete: Check,
    /// Step 4: the order checked for being filled in (检查工单的填写).
    pub order_filled_in: Check,
    /// Step 5: handed on to the next step (转交下一环节): the final check after
    /// a self-check, delivery after a final check.
    pub handed_on: Check,
}

impl QualitySteps {
    /// Every step done, the road test included.
    pub const ALL_DONE: QualitySteps = QualitySteps {
        order_checked: Check::Done,
        road_test: RoadTestStep::Done,
        repair_complete: Check::Done,
        order_filled_in: Check::Done,
        handed_on: Check::Done,
    };

    /// The steps not made, in `[000]`'s order. `road_test_needed` says
    /// whether the road test may not be skipped (a request that shows only
    /// while driving, WO-05).
    pub fn missing(&self, road_test_needed: bool) -> Vec<QualityStep> {
        let road_test_done = match self.road_test {
            RoadTestStep::Done => true,
            RoadTestStep::NotNeeded => !road_test_needed,
            RoadTestStep::NotDone => false,
        };
        [
            (QualityStep::OrderChecked, self.order_checked.is_done()),
            (QualityStep::RoadTest, road_test_done),
            (QualityStep::RepairComplete, self.repair_complete.is_done()),
            (QualityStep::OrderFilledIn, self.order_filled_in.is_done()),
            (QualityStep::HandedOn, self.handed_on.is_done()),
        ]
        .into_iter()
        .filter(|(_, done)| !done)
        .map(|(step, _)| step)
        .collect()
    }
}

/// A recorded self-check or final check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QualityCheckRecord {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Who checked.
    pub by: StaffId,
    /// Which check.
    pub stage: QualityStage,
    /// Result.
    pub outcome: CheckOutcome,
    /// The five steps of `[000]`, as made; `None` when not recorded (a check
    /// stored before the steps were kept loads so).
    #[serde(default)]
    pub steps: Option<QualitySteps>,
}

/// Which quality check (WO-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityStage {
    /// The technician's self-check (自检).
    SelfCheck,
    /// The QC inspector's final check (总检).
    FinalCheck,
}

/// What happened to the replaced parts (WO-19).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OldParts {
    /// Kept for the customer.
    KeptForCustomer,
    /// The customer said they do not want them.
    CustomerDeclined,
    /// Not handled: a WO-19 gap when parts were replaced.
    NotHandled,
}

/// The pre-delivery checklist (WO-19).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PreDeliveryChecklist {
    /// Vehicle cleaned after the QC pass.
    pub cleaned: Check,
    /// Where it is parked in the delivery area.
    pub parking_position: Option<String>,
    /// Replaced parts.
    pub old_parts: OldParts,
    /// Settlement statement prepared.
    pub settlement_statement: Check,
    /// The advisor's final inspection and signature on the order.
    pub advisor_signature: Option<StaffId>,
}

/// Where the work was explained (WO-21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkExplanation {
    /// At the vehicle (preferred).
    AtVehicle,
    /// At the desk.
    AtDesk,
    /// Not explained.
    NotExplained,
}

/// The next maintenance told at delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NextMaintenance {
    /// Due date.
    pub date: NaiveDate,
    /// Due mileage.
    pub mileage: Km,
}

/// The delivery checklist (WO-21, with WO-13 and WO-18).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeliveryChecklist {
    /// The work done.
    pub work_explained: WorkExplanation,
    /// How the invoice is made up.
    pub invoice_explained: Check,
    /// Work beyond the original order; needed when add-ons were done.
    pub extra_work_explained: Check,
    /// Problems found but not corrected; needed when any were recorded.
    pub open_problems_explained: Check,
    /// Declined and deferred items; needed when there are any (WO-13).
    pub declined_items_mentioned: Check,
    /// Replaced parts shown; needed when parts were replaced and kept.
    pub old_parts_shown: Check,
    /// The next maintenance.
    pub next_maintenance: Option<NextMaintenance>,
    /// The follow-up call announced.
    pub follow_up_promised: Check,
}

/// The courtesy-car hand-over checklist (WO-27): `[000]` 替换车应是燃油充足的、
/// 整洁的、准备好投入使用的.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CourtesyCarChecklist {
    /// Enough fuel (燃油充足); a full tank is not asked for. Stored JSON
    /// of earlier versions names it `fuelled`.
    #[serde(alias = "fuelled")]
    pub enough_fuel: Check,
    /// Clean (整洁).
    pub clean: Check,
    /// Ready to use (准备好投入使用).
    pub ready: Check,
}

/// The invoice as produced by the DMS's billing, reconciled against the
/// order at settlement (WO-20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Invoice {
    /// Labour hours billed.
    pub labour_hours: Hours,
    /// Labour amount.
    pub labour: Money,
    /// Parts amount.
    pub parts: Money,
    /// Materials amount.
    pub materials: Money,
    /// Sublet amount.
    pub sublet: Money,
    /// Discounts.
    pub discounts: Money,
    /// Tax.
    pub tax: Money,
    /// Total to pay.
    pub total: Money,
}

/// How the customer pays at settlement (WO-22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "choice", content = "method")]
pub enum PaymentChoice {
    /// The method agreed at authorization.
    AsAgreed,
    /// The customer changed to another method.
    ChangedByCustomer(PaymentMethod),
}

/// The recorded settlement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Settlement {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// The reconciled invoice.
    pub invoice: Invoice,
    /// The method used.
    pub payment: PaymentMethod,
    /// Invoice total minus authorized gross (within the EST-06 tolerance).
    pub overrun: Money,
}

/// The delivery record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DeliveryRecord {
    /// When the vehicle was handed over.
    pub at: DateTime<FixedOffset>,
    /// What was explained.
    pub checklist: DeliveryChecklist,
    /// The warranty of each part fitted, by its origin, as explained at
    /// delivery (EST-03); empty for a delivery stored before they were
    /// recorded.
    #[serde(default)]
    pub part_warranties: Vec<PartWarranty>,
}

/// How the follow-up ended (WO-23).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpOutcome {
    /// The customer was reached and answered.
    Completed,
    /// Given up per the follow-up rules (not reached in the window).
    Abandoned,
}

/// What a cancellation settles (WO-28).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "terms")]
pub enum CancellationTerms {
    /// Nothing to settle: only before dispatch.
    Free,
    /// Work done so far is settled and removed parts are reinstalled.
    WorkSettled {
        /// Amount charged for the work done.
        amount: Money,
        /// Parts reinstalled.
        parts_reinstalled: Check,
    },
}

/// A risk written on the order: a gap that does not block the process but
/// must be visible (WO-04 missing documents, WO-16 late notice …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Risk {
    /// When it was recorded.
    pub at: DateTime<FixedOffset>,
    /// The rule concerned.
    pub rule: RuleId,
    /// What it is.
    pub description: String,
}

/// A delay in parts for one line (WO-30).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartDelay {
    /// When it became known.
    pub at: DateTime<FixedOffset>,
    /// The item.
    pub item: ItemNo,
    /// The line index within the item.
    pub line: usize,
    /// The new expected arrival.
    pub expected_arrival: DateTime<FixedOffset>,
}

/// An authorization for add-on items in one batch (WO-11, WO-12).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AddOnBatch {
    /// Batch number, from 1.
    pub batch: u16,
    /// When proposed.
    pub proposed_at: DateTime<FixedOffset>,
    /// Who found them.
    pub found_by: StaffId,
    /// When the inspection that found them was made: with `found_by` it
    /// names the inspection (WO-12). `None` when not recorded (a batch
    /// stored before inspections were kept).
    #[serde(default)]
    pub found_at: Option<DateTime<FixedOffset>>,
    /// The items of the batch.
    pub items: Vec<ItemNo>,
    /// When the customer answered, if yet.
    pub answered_at: Option<DateTime<FixedOffset>>,
}

/// A road test (WO-05).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoadTest {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// With or without the customer.
    pub presence: Presence,
    /// What was observed.
    pub findings: String,
}

/// A revised promise told to the customer (WO-16).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PromiseRevision {
    /// When the customer was told.
    pub at: DateTime<FixedOffset>,
    /// The earlier promise.
    pub previous: DateTime<FixedOffset>,
    /// The new promise.
    pub new_promise: DateTime<FixedOffset>,
    /// Why.
    pub reason: String,
    /// Whether the notice came before the earlier promise.
    pub notice: NoticeTiming,
}

/// A recorded progress check (WO-15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProgressCheck {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Which checkpoint.
    pub checkpoint: Checkpoint,
}

/// A checklist recorded at a time (pre-delivery, courtesy car).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recorded<T> {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// What.
    pub value: T,
}

/// How an order ended when it was closed or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cancellation {
    /// When.
    pub at: DateTime<FixedOffset>,
    /// Why.
    pub reason: String,
    /// What was settled.
    pub terms: CancellationTerms,
}

macro_rules! display_words {
    ($ty:ty { $($variant:ident => $words:literal),* $(,)? }) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(match self {
                    $(<$ty>::$variant => $words,)*
                })
            }
        }
    };
}

display_words!(ProtectiveCover {
    Seat => "seat cover",
    SteeringWheel => "steering-wheel cover",
    FloorMat => "floor mat",
});

display_words!(AuthorizationMethod {
    Signature => "signature",
    DigitalSignature => "digital signature",
    Phone => "phone",
    Message => "message",
});

display_words!(Checkpoint {
    AfterStart => "the check after work starts",
    Midway => "the midway check",
    BeforeCompletion => "the check before completion",
});
