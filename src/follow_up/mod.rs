//! Follow-up calls (FU-01 … FU-12): windows, plans, call slots, attempts,
//! SMS fallback and routing.
//!
//! Start from [`plan_follow_up`]: a [`Delivery`] gives a [`FollowUpPlan`]
//! of contacts with their windows and callers.

mod plan;
mod policy;
mod queue;
mod slots;
mod task;

pub use plan::{
    Caller, ComplaintLink, Delivery, DeliveryFact, DeliveryFacts, DeliveryKind, FollowUpPlan,
    LinkError, PlanError, PlannedTask, RatioSampler, Selection, TaskKind, plan_follow_up,
};
pub use policy::{ContactWindow, FollowUpPolicy, SmsTemplate, WindowBounds, WindowShapeError};
pub use queue::{CallQueue, QueueAction, QueueEntry, call_queue};
pub use slots::{
    CallPurpose, CallSlot, CallSlots, ContactBasis, call_slots, next_agreed_call_slot,
    next_call_slot,
};
pub use task::{
    CallOutcome, FollowUpAction, FollowUpCommand, FollowUpError, FollowUpEvent, FollowUpTask,
    InvalidNumberReason, NextStep, NotReachedReason, ProcessFinding, RescheduleReason, Route,
    SmsReason, SmsRecord, SmsSendStatus, TaskStatus, Voiced, route,
};
