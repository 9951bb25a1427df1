//! Follow-up plans (FU-01 … FU-04, FU-09, FU-10, CARE-02, CUS-09, CMP-10):
//! from a delivery, the contacts that are due, their windows and who must
//! make them.

use std::fmt;

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::complaint::{Complaint, ComplaintCommand, Satisfaction};
use crate::contact::PreferredContact;
use crate::follow_up::policy::{ContactWindow, WindowBounds};
use crate::ids::{ComplaintNo, CustomerId, PersonName, PhoneNumber, StaffId, WorkOrderNo};
use crate::policy::{AuthorityRole, Policy};
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, TimeRangeError, to_offset};
use crate::units::Percent;
use crate::work_order::{OrderState, WorkOrder};

type At = DateTime<FixedOffset>;

words! {
    /// What was handed over to the customer.
    DeliveryKind {
        /// A vehicle collected after service or repair.
        Service => "service delivery", "维修交车";
        /// A new car handed over to its buyer.
        NewCar => "new-car delivery", "新车交付";
    }
}

words! {
    /// A fact about a delivery that decides who calls (FU-04) and whether
    /// a second follow-up is due (FU-03).
    DeliveryFact {
        /// The workshop found no fault (FU-04: the advisor calls).
        NoFaultFound => "no fault found", "未查出故障";
        /// A major repair, 大修 (FU-03 second call; FU-04 the advisor calls).
        MajorRepair => "major repair", "大修";
        /// The customer experienced a service failure: a comeback, a delay
        /// (FU-04: the advisor calls).
        ServiceFailure => "service failure", "服务失误";
        /// The customer is known to be dissatisfied (FU-04: the service
        /// manager or the advisor calls).
        Dissatisfied => "dissatisfied customer", "不满意客户";
        /// A complaint about this visit was handled (FU-03 second call).
        ComplaintHandled => "complaint handled", "投诉已处理";
        /// The customer is an important customer (重要客户, CUS-09): the
        /// customer file's flags say so
        /// ([`CustomerFlags::is_important`](crate::CustomerFlags::is_important)),
        /// and the DMS adds this fact. The department manager then calls in
        /// person (CMP-12), whatever the other facts.
        ImportantCustomer => "important customer", "重要客户";
    }
}

impl DeliveryFact {
    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A set of [`DeliveryFact`]s. In JSON, a list: `["major_repair"]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<DeliveryFact>", into = "Vec<DeliveryFact>")]
pub struct DeliveryFacts(u8);

impl DeliveryFacts {
    /// No facts.
    pub const EMPTY: DeliveryFacts = DeliveryFacts(0);

    /// This set plus `fact`.
    pub const fn with(self, fact: DeliveryFact) -> DeliveryFacts {
        DeliveryFacts(self.0 | fact.bit())
    }

    /// Adds `fact`.
    pub fn insert(&mut self, fact: DeliveryFact) {
        self.0 |= fact.bit();
    }

    /// Whether `fact` is in the set.
    pub const fn contains(self, fact: DeliveryFact) -> bool {
        self.0 & fact.bit() != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The facts, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = DeliveryFact> {
        DeliveryFact::ALL
            .iter()
            .copied()
            .filter(move |f| self.contains(*f))
    }
}

impl From<Vec<DeliveryFact>> for DeliveryFacts {
    fn from(facts: Vec<DeliveryFact>) -> Self {
        facts
            .into_iter()
            .fold(DeliveryFacts::EMPTY, DeliveryFacts::with)
    }
}

impl From<DeliveryFacts> for Vec<DeliveryFact> {
    fn from(facts: DeliveryFacts) -> Self {
        facts.iter().collect()
    }
}

impl FromIterator<DeliveryFact> for DeliveryFacts {
    fn from_iter<T: IntoIterator<Item = DeliveryFact>>(iter: T) -> Self {
        iter.into_iter()
            .fold(DeliveryFacts::EMPTY, DeliveryFacts::with)
    }
}

/// A delivery that starts follow-up: a service delivery (from a
/// [`WorkOrder`]) or a new-car delivery.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Service or new car.
    pub kind: DeliveryKind,
    /// The work order, for a service delivery.
    pub order: Option<WorkOrderNo>,
    /// The DMS's customer id, if known.
    pub customer: Option<CustomerId>,
    /// The customer's name.
    pub name: PersonName,
    /// The number to call; `None` when the file has none.
    pub phone: Option<PhoneNumber>,
    /// The service advisor, or the sales consultant of a new car.
    pub staff: StaffId,
    /// When the vehicle was handed over.
    pub delivered_at: At,
    /// What FU-03 and FU-04 look at.
    pub facts: DeliveryFacts,
    /// The way and time of the follow-up call agreed with the customer at
    /// the repair (CARE-02, \[003\] 维修回访); empty when none was agreed.
    /// The after-sales call is made this way and at these times before the
    /// customer's usual preference ([`next_agreed_call_slot`]). Absent in
    /// JSON stored before it existed, which loads as nothing agreed.
    ///
    /// [`next_agreed_call_slot`]: crate::next_agreed_call_slot
    #[serde(default, skip_serializing_if = "is_nothing_agreed")]
    pub agreed: PreferredContact,
}

fn is_nothing_agreed(agreed: &PreferredContact) -> bool {
    agreed.channel.is_none() && agreed.times.is_empty()
}

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The order has not been delivered.
    #[error("work order `{order}` is not delivered, so no follow-up is planned (WO-23)")]
    NotDelivered {
        /// The order.
        order: WorkOrderNo,
    },
    /// The order has no reception record (it was never received).
    #[error("work order `{order}` has no reception record to take the customer from (WO-01)")]
    NoReception {
        /// The order.
        order: WorkOrderNo,
    },
    /// A time outside the [`SUPPORTED_RANGE`]
    /// (`delivery.delivered_at`).
    #[error(transparent)]
    Time(#[from] TimeRangeError),
    /// A window falls outside the calendar chrono can represent (only with
    /// windows hundreds of thousands of years long).
    #[error("the {window} after `{delivered_at}` is outside the supported calendar ({rule})")]
    OutOfRange {
        /// The window.
        window: ContactWindow,
        /// The delivery instant.
        delivered_at: At,
        /// The rule of the window.
        rule: RuleId,
    },
}

impl Delivery {
    /// The service delivery of `order`, with the facts only the dealer
    /// knows (no fault found, major repair, dissatisfied, complaint
    /// handled). [`DeliveryFact::ServiceFailure`] is added when the order
    /// shows one: the visit is a comeback of an earlier order (WO-24), the
    /// promised time was moved (WO-16), or the car was delivered after the
    /// promised time.
    ///
    /// # Errors
    ///
    /// [`PlanError::NotDelivered`] unless the order is delivered (or closed
    /// after delivery); [`PlanError::NoReception`] when it has no reception.
    pub fn service(order: &WorkOrder, mut facts: DeliveryFacts) -> Result<Delivery, PlanError> {
        let not_delivered = || PlanError::NotDelivered {
            order: order.no().clone(),
        };
        let delivered_at = match order.state() {
            OrderState::Delivered { at } => *at,
            OrderState::Closed => order.delivery().map(|d| d.at).ok_or_else(not_delivered)?,
            _ => return Err(not_delivered()),
        };
        let reception = order.reception().ok_or_else(|| PlanError::NoReception {
            order: order.no().clone(),
        })?;
        let late = order
            .promised_delivery()
            .is_some_and(|promise| delivered_at > promise);
        if reception.comeback_of.is_some() || !order.promise_revisions().is_empty() || late {
            facts.insert(DeliveryFact::ServiceFailure);
        }
        Ok(Delivery {
            kind: DeliveryKind::Service,
            order: Some(order.no().clone()),
            customer: reception.customer.id.clone(),
            name: reception.customer.name.clone(),
            phone: reception.customer.phone.clone(),
            staff: reception.advisor.clone(),
            delivered_at,
            facts,
            agreed: PreferredContact::default(),
        })
    }

    /// This delivery with the way and time of the follow-up call agreed at
    /// the repair (CARE-02): the plan's after-sales call is then the one
    /// repair follow-up, made that way and at those times.
    pub fn with_agreed_contact(mut self, agreed: PreferredContact) -> Delivery {
        self.agreed = agreed;
        self
    }
}

words! {
    /// A contact a plan schedules.
    TaskKind {
        /// The after-sales follow-up call (FU-01).
        AfterSalesCall => "after-sales follow-up call", "售后回访";
        /// The second follow-up call (FU-03).
        SecondCall => "second follow-up call", "二次回访";
        /// The sales follow-up call after a new car (FU-02).
        SalesCall => "sales follow-up call", "销售回访";
        /// The new-car care contact (FU-02, CARE-01).
        NewCarCare => "new-car care contact", "新车关怀";
        /// Customer data handed to customer relations (FU-10).
        DataHandover => "customer data hand-over", "客户资料移交";
    }
}

impl TaskKind {
    /// Whether the task is a call with the questionnaire and the attempt
    /// rules of FU-06 … FU-08.
    pub const fn is_call(self) -> bool {
        matches!(
            self,
            TaskKind::AfterSalesCall | TaskKind::SecondCall | TaskKind::SalesCall
        )
    }
}

/// Who must carry out a task (FU-04, CUS-09).
///
/// In JSON a word, `"advisor"`, or for an important customer's caller the
/// role the policy names: `{"in_person": "manager"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Caller {
    /// The customer-relations department's follow-up staff.
    CustomerRelations,
    /// The service advisor in person.
    Advisor,
    /// The service manager or the service advisor.
    ManagerOrAdvisor,
    /// The sales consultant.
    SalesConsultant,
    /// An important customer (CUS-09, CMP-12): the role
    /// [`FollowUpPolicy::important_customer_caller`] names calls in person,
    /// the department manager by default (\[003\]: 必须由部门主管或经理亲自回访).
    ///
    /// [`FollowUpPolicy::important_customer_caller`]: crate::FollowUpPolicy::important_customer_caller
    InPerson(AuthorityRole),
}

impl Caller {
    /// English words.
    pub const fn label_en(self) -> &'static str {
        match self {
            Caller::CustomerRelations => "customer relations",
            Caller::Advisor => "service advisor in person",
            Caller::ManagerOrAdvisor => "service manager or advisor",
            Caller::SalesConsultant => "sales consultant",
            Caller::InPerson(role) => match role {
                AuthorityRole::FrontLine => "front-line staff in person",
                AuthorityRole::Supervisor => "department supervisor in person",
                AuthorityRole::Manager => "department manager in person",
                AuthorityRole::SeniorManagement => "senior management in person",
            },
        }
    }

    /// Chinese words.
    pub const fn label_zh(self) -> &'static str {
        match self {
            Caller::CustomerRelations => "客服部",
            Caller::Advisor => "服务顾问亲自回访",
            Caller::ManagerOrAdvisor => "服务经理或服务顾问",
            Caller::SalesConsultant => "销售顾问",
            Caller::InPerson(role) => match role {
                AuthorityRole::FrontLine => "一线员工亲自回访",
                AuthorityRole::Supervisor => "部门主管亲自回访",
                AuthorityRole::Manager => "部门经理亲自回访",
                AuthorityRole::SeniorManagement => "高层管理亲自回访",
            },
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_en())
    }
}

words! {
    /// Whether a delivery gets its follow-up call (FU-09).
    Selection {
        /// Called: within the dealer's follow-up ratio.
        Sampled => "called (within the follow-up ratio)", "按比例回访";
        /// Called whatever the ratio: FU-04 assigns the call to the advisor
        /// or the manager, or CUS-09 to the manager of an important
        /// customer.
        Mandatory => "called (assigned by FU-04)", "必须回访";
        /// Not called: outside the follow-up ratio.
        NotSampled => "not called (outside the follow-up ratio)", "不在回访比例内";
    }
}

/// One contact of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlannedTask {
    /// What it is.
    pub kind: TaskKind,
    /// When it is due.
    pub window: WindowBounds,
    /// The policy window it came from.
    pub window_rule: ContactWindow,
    /// Who must do it.
    pub caller: Caller,
}

impl PlannedTask {
    /// The rule that sets the window.
    pub const fn rule(&self) -> RuleId {
        rule_of(self.kind)
    }
}

impl fmt::Display for PlannedTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} by {}: {} ({})",
            self.kind,
            self.caller,
            self.window,
            self.rule()
        )
    }
}

/// The plan for one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FollowUpPlan {
    /// Service or new car.
    pub kind: DeliveryKind,
    /// When the vehicle was handed over.
    pub delivered_at: At,
    /// The work order, for a service delivery (absent in plans stored
    /// before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<WorkOrderNo>,
    /// The DMS's customer id, if known (absent in plans stored before it
    /// was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<CustomerId>,
    /// The facts the plan looked at.
    pub facts: DeliveryFacts,
    /// The way and time of the follow-up call agreed at the repair
    /// (CARE-02), as on the [`Delivery`].
    #[serde(default, skip_serializing_if = "is_nothing_agreed")]
    pub agreed: PreferredContact,
    /// Whether the follow-up call is made (FU-09).
    pub selection: Selection,
    /// The tasks, in the order their windows open.
    pub tasks: Vec<PlannedTask>,
    /// The complaint whose second follow-up (CMP-10) the plan's second call
    /// also is ([`FollowUpPlan::link_complaint`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintLink>,
}

/// A complaint whose second follow-up (CMP-10) is the plan's second call
/// (FU-03): the same customer and vehicle, both windows open together, so
/// one call counts for both rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplaintLink {
    /// The complaint.
    pub complaint: ComplaintNo,
    /// When it was resolved: CMP-10's window counts from here.
    pub resolved_at: At,
    /// CMP-10: `complaint.second_follow_up` after the resolution (days
    /// 7–15, elapsed time, as the complaint's own deadline counts).
    pub complaint_window: WindowBounds,
    /// FU-03: `follow_up.second_window` after the delivery (days 7–15,
    /// local days).
    pub delivery_window: WindowBounds,
}

impl ComplaintLink {
    /// The one call recorded on the complaint too: the
    /// [`ComplaintCommand::RecordSecondFollowUp`] of the plan's second call
    /// made at `at` by `by`, in which the customer said `outcome`. The
    /// complaint accepts it when `at` lies in the linked task's window.
    pub fn second_follow_up(&self, at: At, by: StaffId, outcome: Satisfaction) -> ComplaintCommand {
        ComplaintCommand::RecordSecondFollowUp { at, by, outcome }
    }
}

/// Why a complaint's second follow-up (CMP-10) stays a call of its own
/// instead of being the plan's second call (FU-03).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// The plan has no second call (FU-03): neither a major repair nor a
    /// handled complaint.
    #[error(
        "the plan has no second follow-up call (FU-03), so complaint `{complaint}` keeps its own (CMP-10)"
    )]
    NoSecondCall {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// The complaint was not received yet.
    #[error("complaint `{complaint}` has no receipt, so its customer is unknown (CMP-10)")]
    NotReceived {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// Another customer, or the plan does not know its customer.
    #[error("complaint `{complaint}` is not from the customer of this delivery (FU-03, CMP-10)")]
    OtherCustomer {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// The complaint is not about the delivered order, so it may be about
    /// another vehicle: neither record names the vehicle.
    #[error(
        "complaint `{complaint}` is not about the delivered order, so not known to be about the same vehicle (FU-03, CMP-10)"
    )]
    OtherOrder {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// The complaint is not resolved: CMP-10's window has not started.
    #[error(
        "complaint `{complaint}` is not resolved, so its second follow-up is not due yet (CMP-10)"
    )]
    NotResolved {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// The complaint's second follow-up is already recorded.
    #[error("complaint `{complaint}` already has its second follow-up (CMP-10)")]
    AlreadyMade {
        /// The complaint.
        complaint: ComplaintNo,
    },
    /// The plan's second call already counts for a complaint.
    #[error(
        "the plan's second call already counts for complaint `{linked}`, not also for `{complaint}` (CMP-10)"
    )]
    AlreadyLinked {
        /// The complaint asked about.
        complaint: ComplaintNo,
        /// The complaint already linked.
        linked: ComplaintNo,
    },
    /// The two windows do not overlap: no one call lies in both.
    #[error(
        "the second call's window {delivery_window} (FU-03) and complaint `{complaint}`'s {complaint_window} (CMP-10) do not overlap, so they are two calls"
    )]
    WindowsApart {
        /// The complaint.
        complaint: ComplaintNo,
        /// FU-03's window.
        delivery_window: WindowBounds,
        /// CMP-10's window.
        complaint_window: WindowBounds,
    },
    /// CMP-10's window falls outside the calendar chrono can represent.
    #[error(
        "complaint `{complaint}`'s second follow-up window is outside the supported calendar (CMP-10)"
    )]
    OutOfRange {
        /// The complaint.
        complaint: ComplaintNo,
    },
}

impl FollowUpPlan {
    /// The task of `kind`, if planned.
    pub fn task(&self, kind: TaskKind) -> Option<&PlannedTask> {
        self.tasks.iter().find(|t| t.kind == kind)
    }

    /// Makes the plan's second call (FU-03) also the second follow-up of
    /// `complaint` (CMP-10), where both fall due for the same customer and
    /// vehicle: one call counts for both rules.
    ///
    /// The complaint must come from the plan's customer (both ids known
    /// and equal) and be about the delivered order, which names the
    /// vehicle; it must be resolved, without its second follow-up, and
    /// CMP-10's window after the resolution (`complaint.second_follow_up`)
    /// must overlap FU-03's window after the delivery. The second call's
    /// window becomes the overlap, so a call inside it is in time for both
    /// rules; the plan keeps the link ([`FollowUpPlan::complaint`]) and its
    /// reasons name both rules. Record the call on the complaint with
    /// [`ComplaintLink::second_follow_up`].
    ///
    /// # Errors
    ///
    /// [`LinkError`] saying why the two calls stay two; the plan is then
    /// unchanged.
    pub fn link_complaint(
        &mut self,
        complaint: &Complaint,
        policy: &Policy,
    ) -> Result<(), LinkError> {
        let no = || complaint.no().clone();
        if let Some(linked) = &self.complaint {
            return Err(LinkError::AlreadyLinked {
                complaint: no(),
                linked: linked.complaint.clone(),
            });
        }
        let Some(task) = self
            .tasks
            .iter_mut()
            .find(|t| t.kind == TaskKind::SecondCall)
        else {
            return Err(LinkError::NoSecondCall { complaint: no() });
        };
        let receipt = complaint
            .receipt()
            .ok_or_else(|| LinkError::NotReceived { complaint: no() })?;
        if self.customer.as_ref() != Some(&receipt.customer) {
            return Err(LinkError::OtherCustomer { complaint: no() });
        }
        if self.order.is_none() || receipt.order != self.order {
            return Err(LinkError::OtherOrder { complaint: no() });
        }
        let resolved_at = complaint
            .resolved_at()
            .ok_or_else(|| LinkError::NotResolved { complaint: no() })?;
        if complaint.second_follow_up().is_some() {
            return Err(LinkError::AlreadyMade { complaint: no() });
        }
        let w = policy.complaint().second_follow_up;
        let after = |days: u32| resolved_at.checked_add_signed(TimeDelta::days(i64::from(days)));
        // Shown in the task window's offset, checked: a stored complaint
        // may hold any instant.
        let offset = *task.window.opens_at.offset();
        let shown = |at: Option<At>| at.and_then(|at| to_offset(at, offset));
        let (Some(opens_at), Some(closes_at)) =
            (shown(after(w.from_days)), shown(after(w.to_days)))
        else {
            return Err(LinkError::OutOfRange { complaint: no() });
        };
        let complaint_window = WindowBounds {
            opens_at,
            closes_at,
        };
        let delivery_window = task.window;
        let both = WindowBounds {
            opens_at: delivery_window.opens_at.max(complaint_window.opens_at),
            closes_at: delivery_window.closes_at.min(complaint_window.closes_at),
        };
        if both.opens_at >= both.closes_at {
            return Err(LinkError::WindowsApart {
                complaint: no(),
                delivery_window,
                complaint_window,
            });
        }
        task.window = both;
        self.tasks.sort_by_key(|t| (t.window.opens_at, t.kind));
        self.complaint = Some(ComplaintLink {
            complaint: no(),
            resolved_at,
            complaint_window,
            delivery_window,
        });
        Ok(())
    }

    /// Why the plan is what it is: one reason per task and per deciding
    /// fact. An important customer's plan names CUS-09; a service
    /// delivery's after-sales call names CARE-02 (it is the one repair
    /// follow-up); a second call linked to a complaint names CMP-10.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut out = Vec::with_capacity(self.tasks.len().saturating_add(4));
        let facts: Vec<&str> = self.facts.iter().map(DeliveryFact::label_en).collect();
        if !facts.is_empty() {
            out.push(Reason::new(
                RuleId::Fu04,
                format!("delivery facts: {}", facts.join(", ")),
            ));
        }
        if self.facts.contains(DeliveryFact::ImportantCustomer) {
            let caller = self
                .tasks
                .iter()
                .map(|t| t.caller)
                .find(|c| matches!(c, Caller::InPerson(_)));
            out.push(Reason::new(
                RuleId::Cus09,
                match caller {
                    Some(c) => format!(
                        "important customer (重要客户): the follow-up calls are made by the {c} \
                         and the customer is tracked regularly (CMP-12)"
                    ),
                    None => "important customer (重要客户): tracked regularly (CMP-12)".to_owned(),
                },
            ));
        }
        out.push(Reason::new(RuleId::Fu09, self.selection.label_en()));
        for t in &self.tasks {
            out.push(Reason::new(
                t.rule(),
                format!(
                    "{} on {} after the {}, by the {}",
                    t.kind, t.window_rule, self.kind, t.caller
                ),
            ));
            if t.kind == TaskKind::AfterSalesCall {
                out.push(Reason::new(RuleId::Care02, self.repair_call_fact()));
            }
            if let (TaskKind::SecondCall, Some(link)) = (t.kind, &self.complaint) {
                out.push(Reason::new(
                    RuleId::Cmp10,
                    format!(
                        "the same call is the second follow-up of complaint `{}` resolved {}: \
                         one call counts for FU-03 and CMP-10, made from {}",
                        link.complaint,
                        link.resolved_at.format("%Y-%m-%d %H:%M"),
                        t.window
                    ),
                ));
            }
        }
        out
    }

    fn repair_call_fact(&self) -> String {
        let mut fact = String::from(
            "this call is also the repair follow-up, one contact (the care calendar lists no second)",
        );
        let agreed = &self.agreed;
        if is_nothing_agreed(agreed) {
            fact.push_str("; no way or time was agreed at the repair");
            return fact;
        }
        fact.push_str("; agreed at the repair:");
        if let Some(channel) = agreed.channel {
            fact.push_str(" by ");
            fact.push_str(channel.label_en());
        }
        for (i, t) in agreed.times.iter().enumerate() {
            fact.push_str(if i == 0 { " at " } else { " or " });
            fact.push_str(&t.to_string());
        }
        fact
    }
}

/// The FU-09 follow-up ratio applied deterministically over a stream of
/// deliveries: a delivery is called when calling it keeps the share of
/// called deliveries at or below the ratio, so after `n` deliveries
/// exactly `ceil(n × ratio)` have been called, whatever the order (calls
/// FU-04 makes mandatory count towards the share).
///
/// A DMS keeps one sampler per dealer and period and stores it between
/// runs (it is serde); no randomness is involved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RatioSampler {
    /// Deliveries seen.
    pub seen: u64,
    /// Deliveries called.
    pub called: u64,
}

impl RatioSampler {
    /// Counts one more delivery and says whether it is called.
    pub fn admit(&mut self, ratio: Percent, mandatory: Selection) -> Selection {
        self.seen = self.seen.saturating_add(1);
        let selection = if mandatory == Selection::Mandatory {
            Selection::Mandatory
        } else if self.below_ratio(ratio) {
            Selection::Sampled
        } else {
            Selection::NotSampled
        };
        if selection != Selection::NotSampled {
            self.called = self.called.saturating_add(1);
        }
        selection
    }

    /// Whether calling one more keeps `called / seen` at or below `ratio`
    /// rounded up to a whole call.
    fn below_ratio(&self, ratio: Percent) -> bool {
        if ratio.get() >= Decimal::ONE_HUNDRED {
            return true;
        }
        let target = Decimal::from(self.seen)
            .checked_mul(ratio.get())
            .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
            .map(|v| v.ceil());
        match target {
            Some(target) => Decimal::from(self.called) < target,
            None => true,
        }
    }
}

/// The follow-up plan of one delivery (FU-01 … FU-04, FU-09, FU-10,
/// CARE-02, CUS-09).
///
/// - A service delivery gets the data hand-over (FU-10), the after-sales
///   call (FU-01) when selected, and the second call (FU-03) after a major
///   repair or a handled complaint.
/// - A new-car delivery gets the data hand-over (FU-10), the sales call
///   (FU-02) when selected, and the new-car care contact at 3–4 weeks
///   (FU-02, CARE-01).
/// - Who calls (FU-04): the advisor in person after no fault found, a
///   major repair or a service failure; the manager or the advisor for a
///   dissatisfied customer; customer relations otherwise. An important
///   customer ([`DeliveryFact::ImportantCustomer`], CUS-09) is called by
///   the role of [`FollowUpPolicy::important_customer_caller`] in person,
///   the department manager by default (CMP-12), whatever the other facts.
///   Such deliveries are always called; the rest are sampled by the ratio
///   (FU-09).
///
/// # One repair call (CARE-02, FU-01)
///
/// \[003\] asks for one call within 3 days of a repair, at the way and time
/// agreed at the repair (CARE-02); the follow-up process asks for the
/// after-sales call in the FU-01 window. They are one contact: the
/// after-sales call carries the agreed way and time ([`Delivery::agreed`],
/// kept on the task's delivery), and the care calendar lists no second
/// call for a repair whose plan has it
/// ([`CareProfile::record_repair_plan`]). The window of that one call is
/// FU-01's, `follow_up.after_sales_window`, under every preset:
///
/// | preset | the one repair call |
/// |---|---|
/// | default, \[001\], \[002\] | days 3–7 (FU-01 wins over CARE-02's 3 days) |
/// | \[000\] | days 1–7 (FU-01 wins) |
/// | \[003\] | days 1–3: FU-01 and CARE-02 agree |
/// | \[004\] | hours 24–48 (FU-01 wins) |
///
/// A preset reproduces one source, and each source's follow-up window is
/// its own statement of when the repair call is made.
///
/// ```
/// use aftersales::{plan_follow_up, Caller, Delivery, DeliveryFact, DeliveryFacts, DeliveryKind,
///     Policy, RatioSampler, TaskKind};
/// use chrono::DateTime;
///
/// let delivery = Delivery {
///     kind: DeliveryKind::Service,
///     order: Some("WO-2026-0042".parse()?),
///     customer: None,
///     name: "Wang Fang".parse()?,
///     phone: Some("13800138000".parse()?),
///     staff: "SA-07".parse()?,
///     delivered_at: DateTime::parse_from_rfc3339("2026-03-02T17:30:00+08:00")?,
///     facts: DeliveryFacts::EMPTY.with(DeliveryFact::MajorRepair),
///     agreed: Default::default(),
/// };
/// let plan = plan_follow_up(&delivery, &mut RatioSampler::default(), &Policy::default())?;
/// let call = plan.task(TaskKind::AfterSalesCall).ok_or("no call")?;
/// assert_eq!(call.caller, Caller::Advisor);
/// assert_eq!(call.window.opens_at.to_rfc3339(), "2026-03-05T00:00:00+08:00");
/// assert!(plan.task(TaskKind::SecondCall).is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`PlanError::Time`] naming `delivery.delivered_at` when it lies outside
/// the [`SUPPORTED_RANGE`]; [`PlanError::OutOfRange`] when a window cannot
/// be placed on chrono's calendar.
///
/// [`FollowUpPolicy::important_customer_caller`]: crate::FollowUpPolicy::important_customer_caller
/// [`CareProfile::record_repair_plan`]: crate::CareProfile::record_repair_plan
pub fn plan_follow_up(
    delivery: &Delivery,
    sampler: &mut RatioSampler,
    policy: &Policy,
) -> Result<FollowUpPlan, PlanError> {
    let fu = policy.follow_up();
    let facts = delivery.facts;
    let caller = if facts.contains(DeliveryFact::ImportantCustomer) {
        Caller::InPerson(fu.important_customer_caller)
    } else {
        match delivery.kind {
            DeliveryKind::Service => service_caller(facts),
            DeliveryKind::NewCar => {
                if facts.contains(DeliveryFact::Dissatisfied) {
                    Caller::ManagerOrAdvisor
                } else {
                    Caller::CustomerRelations
                }
            }
        }
    };
    let mandatory = if caller == Caller::CustomerRelations {
        Selection::Sampled
    } else {
        Selection::Mandatory
    };
    let selection = sampler.admit(fu.ratio, mandatory);
    let at = SUPPORTED_RANGE.check("delivery.delivered_at", delivery.delivered_at)?;
    let place = |kind: TaskKind, window: ContactWindow, caller: Caller| {
        let bounds = window
            .after(at, &fu.calendar)?
            .ok_or_else(|| PlanError::OutOfRange {
                window,
                delivered_at: at,
                rule: rule_of(kind),
            })?;
        Ok::<_, PlanError>(PlannedTask {
            kind,
            window: bounds,
            window_rule: window,
            caller,
        })
    };
    let called = selection != Selection::NotSampled;
    let mut tasks = Vec::with_capacity(3);
    match delivery.kind {
        DeliveryKind::Service => {
            tasks.push(place(
                TaskKind::DataHandover,
                fu.handover_after_service,
                Caller::Advisor,
            )?);
            if called {
                tasks.push(place(
                    TaskKind::AfterSalesCall,
                    fu.after_sales_window,
                    caller,
                )?);
            }
            if facts.contains(DeliveryFact::MajorRepair)
                || facts.contains(DeliveryFact::ComplaintHandled)
            {
                tasks.push(place(TaskKind::SecondCall, fu.second_window, caller)?);
            }
        }
        DeliveryKind::NewCar => {
            tasks.push(place(
                TaskKind::DataHandover,
                fu.handover_after_sale,
                Caller::SalesConsultant,
            )?);
            if called {
                tasks.push(place(TaskKind::SalesCall, fu.sales_window, caller)?);
            }
            tasks.push(place(
                TaskKind::NewCarCare,
                fu.new_car_care_window,
                Caller::CustomerRelations,
            )?);
        }
    }
    tasks.sort_by_key(|t| (t.window.opens_at, t.kind));
    Ok(FollowUpPlan {
        kind: delivery.kind,
        delivered_at: at,
        order: delivery.order.clone(),
        customer: delivery.customer.clone(),
        facts,
        agreed: delivery.agreed.clone(),
        selection,
        tasks,
        complaint: None,
    })
}

fn service_caller(facts: DeliveryFacts) -> Caller {
    if facts.contains(DeliveryFact::NoFaultFound)
        || facts.contains(DeliveryFact::MajorRepair)
        || facts.contains(DeliveryFact::ServiceFailure)
    {
        Caller::Advisor
    } else if facts.contains(DeliveryFact::Dissatisfied) {
        Caller::ManagerOrAdvisor
    } else {
        Caller::CustomerRelations
    }
}

const fn rule_of(kind: TaskKind) -> RuleId {
    match kind {
        TaskKind::AfterSalesCall => RuleId::Fu01,
        TaskKind::SecondCall => RuleId::Fu03,
        TaskKind::SalesCall | TaskKind::NewCarCare => RuleId::Fu02,
        TaskKind::DataHandover => RuleId::Fu10,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn delivery(kind: DeliveryKind, facts: DeliveryFacts) -> Delivery {
        Delivery {
            kind,
            order: None,
            customer: None,
            name: "Li Lei".parse().unwrap(),
            phone: None,
            staff: "SA-01".parse().unwrap(),
            delivered_at: DateTime::parse_from_rfc3339("2026-03-01T23:59:00+08:00").unwrap(),
            facts,
            agreed: PreferredContact::default(),
        }
    }

    #[test]
    fn ratio_sampler_is_exact() {
        let ratio = Percent::try_new(Decimal::from(30)).unwrap();
        let mut s = RatioSampler::default();
        let picks: Vec<bool> = (0..10)
            .map(|_| s.admit(ratio, Selection::Sampled) == Selection::Sampled)
            .collect();
        assert_eq!(picks.iter().filter(|p| **p).count(), 3);
        assert!(picks[0], "the first delivery is called: ceil(1 × 30 %) = 1");
        assert_eq!(
            s,
            RatioSampler {
                seen: 10,
                called: 3
            }
        );
    }

    #[test]
    fn mandatory_calls_count_towards_the_ratio() {
        let ratio = Percent::try_new(Decimal::from(50)).unwrap();
        let mut s = RatioSampler::default();
        assert_eq!(s.admit(ratio, Selection::Mandatory), Selection::Mandatory);
        assert_eq!(s.admit(ratio, Selection::Sampled), Selection::NotSampled);
        assert_eq!(s.admit(ratio, Selection::Sampled), Selection::Sampled);
    }

    #[test]
    fn callers_follow_fu04() {
        let p = Policy::default();
        let plan = |facts| {
            plan_follow_up(
                &delivery(DeliveryKind::Service, facts),
                &mut RatioSampler::default(),
                &p,
            )
            .unwrap()
        };
        let caller = |plan: FollowUpPlan| plan.task(TaskKind::AfterSalesCall).unwrap().caller;
        assert_eq!(
            caller(plan(DeliveryFacts::EMPTY)),
            Caller::CustomerRelations
        );
        for f in [
            DeliveryFact::NoFaultFound,
            DeliveryFact::MajorRepair,
            DeliveryFact::ServiceFailure,
        ] {
            assert_eq!(
                caller(plan(DeliveryFacts::EMPTY.with(f))),
                Caller::Advisor,
                "{f}"
            );
        }
        assert_eq!(
            caller(plan(DeliveryFacts::EMPTY.with(DeliveryFact::Dissatisfied))),
            Caller::ManagerOrAdvisor
        );
    }

    #[test]
    fn new_car_plan_has_sales_call_and_care() {
        let plan = plan_follow_up(
            &delivery(DeliveryKind::NewCar, DeliveryFacts::EMPTY),
            &mut RatioSampler::default(),
            &Policy::default(),
        )
        .unwrap();
        let kinds: Vec<TaskKind> = plan.tasks.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TaskKind::DataHandover,
                TaskKind::SalesCall,
                TaskKind::NewCarCare
            ]
        );
        let care = plan.task(TaskKind::NewCarCare).unwrap();
        assert_eq!(
            care.window.opens_at.to_rfc3339(),
            "2026-03-22T00:00:00+08:00"
        );
        assert_eq!(
            care.window.closes_at.to_rfc3339(),
            "2026-03-30T00:00:00+08:00"
        );
    }

    #[test]
    fn facts_serialize_as_a_list() {
        let f = DeliveryFacts::EMPTY
            .with(DeliveryFact::MajorRepair)
            .with(DeliveryFact::NoFaultFound);
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, r#"["no_fault_found","major_repair"]"#);
        assert_eq!(serde_json::from_str::<DeliveryFacts>(&json).unwrap(), f);
    }
}
