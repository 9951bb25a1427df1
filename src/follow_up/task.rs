//! The follow-up task aggregate (FU-06 … FU-08, FU-12): the attempts of
//! one planned call, the SMS fallback, the window running out, and where a
//! successful call goes.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::complaint::{Channel, Concern, ConcernKind, FactSet};
use crate::follow_up::plan::{Delivery, PlannedTask, TaskKind};
use crate::ids::{PersonName, PhoneNumber, StaffId, TaskNo, WorkOrderNo};
use crate::policy::Policy;
use crate::rule::{Reason, RuleId};
use crate::satisfaction::{
    Band, Question, Questionnaire, QuestionnaireForm, SalesScoreBasis, Score, SmsReply,
};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};
use crate::work_order::FollowUpOutcome;

type At = DateTime<FixedOffset>;

words! {
    /// Why a call did not reach the customer (FU-06, 未成功回访).
    NotReachedReason {
        /// The line is suspended (停机).
        Suspended => "line suspended", "停机";
        /// The customer refused the call (拒接).
        Refused => "call refused", "拒接";
        /// The line was busy (占线).
        LineBusy => "line busy", "占线";
        /// Nobody answered (无人接听).
        NoAnswer => "no answer", "无人接听";
        /// The call could not be connected (无法接通).
        CannotConnect => "cannot connect", "无法接通";
        /// The phone was switched off (关机).
        PoweredOff => "powered off", "关机";
        /// Someone else answered and no new time could be agreed.
        NotTheCustomer => "not the customer, no time agreed", "非本人接听且未约定时间";
    }
}

words! {
    /// Why a number is unusable (FU-06, 客户信息错误).
    InvalidNumberReason {
        /// The number belongs to someone else (错号).
        WrongNumber => "wrong number", "错号";
        /// The number does not exist (空号).
        NonExistent => "number does not exist", "空号";
    }
}

words! {
    /// Why a new time was agreed (FU-06).
    RescheduleReason {
        /// The customer was busy.
        CustomerBusy => "customer busy", "客户忙";
        /// Someone else answered and agreed a time for the customer.
        NotTheCustomer => "not the customer", "非本人接听";
    }
}

words! {
    /// What the customer voiced beyond the scores, as the caller judged it
    /// (FU-08).
    Voiced {
        /// Nothing beyond the answers.
        Nothing => "nothing further", "无其他意见";
        /// A remark or suggestion, passed to the advisor (CARE-02).
        Remark => "a remark", "意见建议";
        /// A grievance (抱怨, CMP-07).
        Grievance => "a grievance", "抱怨";
        /// A complaint (投诉, CMP-07).
        Complaint => "a complaint", "投诉";
    }
}

impl Default for Voiced {
    /// Nothing beyond the answers.
    fn default() -> Self {
        Voiced::Nothing
    }
}

words! {
    /// Why the follow-up SMS was sent: the reason type (原因类型) of the SMS
    /// record, 表13 of \[002\] (FU-07).
    SmsReason {
        /// The unsuccessful calls after which the follow-up goes by SMS
        /// were made ([`sms_after_unsuccessful`](crate::FollowUpPolicy::sms_after_unsuccessful), 4).
        UnsuccessfulCalls => "follow-up calls unsuccessful", "多次回访未成功";
        /// Every call the policy allows was made, some of them ending in
        /// an agreed call-back ([`max_calls`](crate::FollowUpPolicy::max_calls)).
        CallLimitReached => "call limit reached", "回访次数已用完";
    }
}

words! {
    /// Whether the SMS reached the customer's phone: the send status
    /// (发送状态) of the SMS record, 表13 of \[002\] (FU-07).
    SmsSendStatus {
        /// Sent; waiting for the reply.
        Sent => "sent", "已发送";
        /// The SMS platform reported it not delivered.
        NotDelivered => "not delivered", "发送失败";
    }
}

words! {
    /// Where a successful follow-up goes (FU-08).
    Route {
        /// Satisfied and nothing to act on: the questionnaire is archived.
        Archive => "archive the questionnaire", "问卷存档";
        /// Dissatisfied or a grievance: the customer grievance contact form
        /// (抱怨客户联系处理表, 表5 of \[002\]) goes to the department
        /// (CMP-07).
        GrievanceForm => "grievance contact form (table 5) to the department", "抱怨客户联系处理表";
        /// A complaint: the urgent complaint contact form (紧急投诉应对联络表,
        /// 表6 of \[002\]), handed to the departments concerned (CMP-07).
        UrgentComplaint => "urgent complaint contact form (table 6)", "紧急投诉应对联络表";
    }
}

/// What one call brought (FU-06).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum CallOutcome {
    /// The customer answered the questionnaire.
    Answered {
        /// The answers (FU-11).
        answers: Questionnaire,
        /// What else the customer voiced.
        voiced: Voiced,
    },
    /// The customer was busy; a new time was agreed.
    Busy {
        /// When to call back.
        call_back_at: At,
    },
    /// Someone else answered; with a time agreed for the customer the
    /// call is rescheduled, without one it counts as unsuccessful.
    NotTheCustomer {
        /// When to call back, if agreed.
        call_back_at: Option<At>,
    },
    /// The customer was not reached.
    NotReached {
        /// Why.
        reason: NotReachedReason,
    },
    /// The number is wrong or does not exist.
    InvalidNumber {
        /// Why.
        reason: InvalidNumberReason,
    },
}

/// A command to a [`FollowUpTask`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum FollowUpCommand {
    /// Open the task from its plan.
    Open {
        /// When.
        at: At,
        /// The delivery the plan came from.
        delivery: Delivery,
        /// The planned call.
        task: PlannedTask,
    },
    /// Record a call and its outcome.
    RecordCall {
        /// When the call was made.
        at: At,
        /// Who called.
        by: StaffId,
        /// What came of it.
        outcome: CallOutcome,
    },
    /// Send the FU-07 SMS asking for a 1–10 score (the text is the
    /// policy's [`sms_template`](crate::FollowUpPolicy::sms_template)).
    SendSms {
        /// When.
        at: At,
    },
    /// Record that the SMS platform could not deliver the SMS sent last:
    /// the task goes back to open, and the SMS may be sent again.
    RecordSmsNotDelivered {
        /// When the platform reported it.
        at: At,
    },
    /// Record the customer's SMS reply, as the customer wrote it.
    RecordSmsReply {
        /// When it arrived.
        at: At,
        /// The reply: any text; a score where it holds one.
        reply: SmsReply,
        /// What the reply voices beyond a score, as the person recording
        /// it reads it (FU-08); routes a reply without a score. Nothing
        /// when left out.
        #[serde(default)]
        voiced: Voiced,
    },
    /// End the task as not reached once its window has run out.
    CloseNotReached {
        /// Now, at or after the window's close.
        now: At,
    },
}

words! {
    /// What a [`FollowUpCommand`] asks for, for errors.
    FollowUpAction {
        /// [`FollowUpCommand::Open`].
        Open => "open", "建立回访任务";
        /// [`FollowUpCommand::RecordCall`].
        RecordCall => "record a call", "记录回访电话";
        /// [`FollowUpCommand::SendSms`].
        SendSms => "send the SMS", "发送回访短信";
        /// [`FollowUpCommand::RecordSmsNotDelivered`].
        RecordSmsNotDelivered => "record the SMS as not delivered", "记录短信发送失败";
        /// [`FollowUpCommand::RecordSmsReply`].
        RecordSmsReply => "record the SMS reply", "记录短信回复";
        /// [`FollowUpCommand::CloseNotReached`].
        CloseNotReached => "close as not reached", "结束回访：未能联系上客户";
    }
}

impl FollowUpCommand {
    /// What the command asks for.
    pub const fn action(&self) -> FollowUpAction {
        match self {
            FollowUpCommand::Open { .. } => FollowUpAction::Open,
            FollowUpCommand::RecordCall { .. } => FollowUpAction::RecordCall,
            FollowUpCommand::SendSms { .. } => FollowUpAction::SendSms,
            FollowUpCommand::RecordSmsNotDelivered { .. } => FollowUpAction::RecordSmsNotDelivered,
            FollowUpCommand::RecordSmsReply { .. } => FollowUpAction::RecordSmsReply,
            FollowUpCommand::CloseNotReached { .. } => FollowUpAction::CloseNotReached,
        }
    }
}

/// What happened to a [`FollowUpTask`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum FollowUpEvent {
    /// The task was opened.
    TaskOpened {
        /// When.
        at: At,
        /// The delivery.
        delivery: Delivery,
        /// The planned call.
        task: PlannedTask,
    },
    /// The customer answered (FU-06) and the answers were routed (FU-08).
    CallAnswered {
        /// When.
        at: At,
        /// Who called.
        by: StaffId,
        /// The answers.
        answers: Questionnaire,
        /// What else the customer voiced.
        voiced: Voiced,
        /// The score SAT-01 bands: after-sales Q1, or the sales form's
        /// score under the policy's
        /// [`sales_score`](crate::SatisfactionPolicy::sales_score). Absent
        /// in events stored before it was recorded; those were decided on
        /// the lowest of the sales scores.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        score: Option<Score>,
        /// The band of the score (SAT-01).
        band: Band,
        /// Where the answers go (FU-08).
        route: Route,
    },
    /// A new time was agreed (FU-06).
    CallRescheduled {
        /// When.
        at: At,
        /// Who called.
        by: StaffId,
        /// Why.
        reason: RescheduleReason,
        /// When to call back.
        call_back_at: At,
    },
    /// The unsuccessful-call record (FU-06, 未成功回访记录).
    CallUnsuccessful {
        /// When.
        at: At,
        /// Who called.
        by: StaffId,
        /// Why.
        reason: NotReachedReason,
    },
    /// The incorrect-customer-info record (FU-06, 客户信息错误记录); no
    /// more calls and no SMS.
    NumberInvalid {
        /// When.
        at: At,
        /// Who called.
        by: StaffId,
        /// Why.
        reason: InvalidNumberReason,
    },
    /// The FU-07 SMS was sent.
    SmsSent {
        /// When.
        at: At,
        /// The number texted.
        to: PhoneNumber,
        /// Why (表13 原因类型); absent in events stored before it was
        /// recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<SmsReason>,
    },
    /// The SMS platform could not deliver the SMS (表13 发送状态).
    SmsNotDelivered {
        /// When it reported so.
        at: At,
    },
    /// The customer replied to the SMS (FU-07).
    SmsReplied {
        /// When.
        at: At,
        /// The reply as the customer wrote it; absent in events stored
        /// before replies were kept as text, which held a score only.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reply: Option<SmsReply>,
        /// The score, where the reply holds one.
        #[serde(default)]
        score: Option<Score>,
        /// Its band (SAT-01), where there is a score.
        #[serde(default)]
        band: Option<Band>,
        /// What the reply voices, as the person recording it read it.
        #[serde(default)]
        voiced: Voiced,
        /// Where it goes (FU-08).
        route: Route,
    },
    /// The window ran out without the customer being reached.
    NotReached {
        /// When the task was closed.
        at: At,
        /// Unsuccessful calls made.
        unsuccessful_calls: u32,
    },
}

impl FollowUpEvent {
    /// When it happened.
    pub fn at(&self) -> At {
        match self {
            FollowUpEvent::TaskOpened { at, .. }
            | FollowUpEvent::CallAnswered { at, .. }
            | FollowUpEvent::CallRescheduled { at, .. }
            | FollowUpEvent::CallUnsuccessful { at, .. }
            | FollowUpEvent::NumberInvalid { at, .. }
            | FollowUpEvent::SmsSent { at, .. }
            | FollowUpEvent::SmsNotDelivered { at }
            | FollowUpEvent::SmsReplied { at, .. }
            | FollowUpEvent::NotReached { at, .. } => *at,
        }
    }

    /// The event's name in snake case, as in JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            FollowUpEvent::TaskOpened { .. } => "task_opened",
            FollowUpEvent::CallAnswered { .. } => "call_answered",
            FollowUpEvent::CallRescheduled { .. } => "call_rescheduled",
            FollowUpEvent::CallUnsuccessful { .. } => "call_unsuccessful",
            FollowUpEvent::NumberInvalid { .. } => "number_invalid",
            FollowUpEvent::SmsSent { .. } => "sms_sent",
            FollowUpEvent::SmsNotDelivered { .. } => "sms_not_delivered",
            FollowUpEvent::SmsReplied { .. } => "sms_replied",
            FollowUpEvent::NotReached { .. } => "not_reached",
        }
    }
}

/// Why a follow-up command was refused.
///
/// Business-rule violations ([`FollowUpError::Rejected`]) name the rule;
/// malformed input ([`FollowUpError::InvalidInput`], such as a time outside
/// the [`SUPPORTED_RANGE`]) names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FollowUpError {
    /// The command breaks a rule.
    #[error("follow-up task `{task}` cannot {action}: {reason} ({rule})")]
    Rejected {
        /// The task.
        task: TaskNo,
        /// What was asked.
        action: FollowUpAction,
        /// The rule broken.
        rule: RuleId,
        /// What is wrong, in words.
        reason: String,
    },
    /// The command's input is malformed.
    #[error("follow-up task `{task}` cannot {action}: invalid `{field}`: {reason}")]
    InvalidInput {
        /// The task.
        task: TaskNo,
        /// What was asked.
        action: FollowUpAction,
        /// The offending field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl FollowUpError {
    /// The rule broken, for a rule violation; `None` for malformed input.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            FollowUpError::Rejected { rule, .. } => Some(*rule),
            FollowUpError::InvalidInput { .. } => None,
        }
    }

    /// What was asked.
    pub fn action(&self) -> FollowUpAction {
        match self {
            FollowUpError::Rejected { action, .. } | FollowUpError::InvalidInput { action, .. } => {
                *action
            }
        }
    }
}

/// Every time a command carries, checked before any rule: one arm per
/// command, no wildcard, so a new command or time field cannot be
/// forgotten. Times from the DMS (when a call was made, an agreed call-back
/// time, the delivery) must lie in the [`SUPPORTED_RANGE`]; the planned
/// window was computed from the delivery and may end past 9999-12-31 (see
/// [`crate::time`]), so its bounds need only be representable.
fn check_times(command: &FollowUpCommand) -> Result<(), TimeRangeError> {
    let r = SUPPORTED_RANGE;
    match command {
        FollowUpCommand::Open { at, delivery, task } => {
            r.check("at", *at)?;
            r.check("delivery.delivered_at", delivery.delivered_at)?;
            representable("task.window.opens_at", task.window.opens_at)?;
            representable("task.window.closes_at", task.window.closes_at).map(drop)
        }
        FollowUpCommand::RecordCall { at, outcome, .. } => {
            r.check("at", *at)?;
            match outcome {
                CallOutcome::Busy { call_back_at } => {
                    r.check("outcome.call_back_at", *call_back_at).map(drop)
                }
                CallOutcome::NotTheCustomer { call_back_at } => {
                    r.check_opt("outcome.call_back_at", *call_back_at)
                }
                CallOutcome::Answered { .. }
                | CallOutcome::NotReached { .. }
                | CallOutcome::InvalidNumber { .. } => Ok(()),
            }
        }
        FollowUpCommand::SendSms { at }
        | FollowUpCommand::RecordSmsNotDelivered { at }
        | FollowUpCommand::RecordSmsReply { at, .. } => r.check("at", *at).map(drop),
        FollowUpCommand::CloseNotReached { now } => r.check("now", *now).map(drop),
    }
}

/// A computed instant handed back to the crate (a window bound): refused
/// only when chrono cannot show it in its own offset.
pub(crate) fn representable(field: &'static str, at: At) -> Result<At, TimeRangeError> {
    if crate::time::is_representable(at) {
        Ok(at)
    } else {
        Err(TimeRangeError {
            field,
            at: at.naive_utc(),
        })
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum TaskStatus {
    /// Not opened yet.
    New,
    /// Calls are being made.
    Open,
    /// The FU-07 SMS was sent; waiting for the reply.
    SmsSent {
        /// When it was sent.
        at: At,
    },
    /// The customer answered a call.
    Reached {
        /// When.
        at: At,
        /// Where the answers went.
        route: Route,
    },
    /// The customer replied to the SMS.
    SmsAnswered {
        /// When.
        at: At,
        /// Where the score went.
        route: Route,
    },
    /// The number is unusable; the customer's data must be corrected.
    NumberInvalid {
        /// When.
        at: At,
        /// Why.
        reason: InvalidNumberReason,
    },
    /// The window ran out.
    NotReached {
        /// When the task was closed.
        at: At,
    },
}

impl TaskStatus {
    /// Whether the task is over.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            TaskStatus::Reached { .. }
                | TaskStatus::SmsAnswered { .. }
                | TaskStatus::NumberInvalid { .. }
                | TaskStatus::NotReached { .. }
        )
    }
}

/// What to do next with a task, at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "step")]
pub enum NextStep {
    /// Call, not before this instant (the window's opening, an agreed
    /// time, or now). Find the slot with [`next_call_slot`](crate::next_call_slot).
    Call {
        /// The earliest time to call.
        not_before: At,
    },
    /// Send the SMS (FU-07).
    SendSms,
    /// Wait for the SMS reply until the window closes.
    AwaitSmsReply {
        /// When the window closes.
        until: At,
    },
    /// The window ran out: close the task as not reached.
    CloseNotReached,
    /// Nothing: the task is over (or not opened).
    Nothing,
}

/// A FU-12 process finding: a "no" on a process question, against the
/// order's advisor, whatever the overall score.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProcessFinding {
    /// When the answer was given.
    pub at: At,
    /// The question.
    pub question: Question,
    /// The process rule the question checks.
    pub checks: RuleId,
    /// The order, for a service delivery.
    pub order: Option<WorkOrderNo>,
    /// The advisor or sales consultant the finding is against.
    pub against: StaffId,
}

impl ProcessFinding {
    /// The rule of the finding itself.
    pub const RULE: RuleId = RuleId::Fu12;

    /// The finding as a reason.
    pub fn reason(&self) -> Reason {
        Reason::new(
            RuleId::Fu12,
            format!(
                "{}: customer answered no to {} ({}), against `{}`",
                self.order
                    .as_ref()
                    .map_or_else(|| "new-car delivery".to_owned(), |o| format!("order `{o}`")),
                self.question.id(),
                self.checks,
                self.against
            ),
        )
    }
}

/// One line of the SMS record (短信发送记录表, 表13 of \[002\]): the
/// customer, why the SMS was sent, when, whether it was delivered, and the
/// reply as the customer wrote it (FU-07).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SmsRecord {
    /// The customer's name (客户姓名).
    pub name: PersonName,
    /// The number texted.
    pub to: PhoneNumber,
    /// Why it was sent (原因类型); `None` for an SMS recorded before the
    /// reason was.
    pub reason: Option<SmsReason>,
    /// When it was sent (发送时间).
    pub sent_at: At,
    /// Whether it was delivered (发送状态).
    pub status: SmsSendStatus,
    /// The reply (客户回复内容), if one came.
    pub reply: Option<SmsReply>,
    /// When the reply came.
    pub replied_at: Option<At>,
}

impl fmt::Display for SmsRecord {
    /// `张伟 13700000000 2026-03-09 10:00 多次回访未成功 follow-up calls
    /// unsuccessful / 已发送 sent / 回复 reply: 满意`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} / {} {}",
            self.name,
            self.to,
            self.sent_at.format("%Y-%m-%d %H:%M"),
            self.reason.map_or("未记录", SmsReason::label_zh),
            self.reason.map_or("not recorded", SmsReason::label_en),
            self.status.label_zh(),
            self.status.label_en(),
        )?;
        match &self.reply {
            Some(reply) => write!(f, " / 回复 reply: {reply}"),
            None => f.write_str(" / 未回复 no reply"),
        }
    }
}

/// An SMS sent, as the task keeps it for the SMS record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct SmsSend {
    at: At,
    to: PhoneNumber,
    reason: Option<SmsReason>,
    status: SmsSendStatus,
}

/// One follow-up call task, from its plan to its end.
///
/// Like the work order, the task is event-sourced: [`decide`](Self::decide)
/// checks a [`FollowUpCommand`] against FU-01 and FU-06 … FU-08 and returns
/// the [`FollowUpEvent`]s, [`apply`](Self::apply) records them, and
/// [`replay`](Self::replay) rebuilds the task from its log.
///
/// - Busy, or someone else answering with a time agreed, reschedules the
///   call (the time must lie in the window).
/// - Any other miss is an unsuccessful call; after
///   [`sms_after_unsuccessful`](crate::FollowUpPolicy::sms_after_unsuccessful)
///   of them (4) no more calls are accepted and the SMS is due (FU-07).
///   The SMS is also the way on once all
///   [`max_calls`](crate::FollowUpPolicy::max_calls) were spent on
///   rescheduled calls. An SMS the platform could not deliver may be sent
///   again. Any reply is kept as the customer wrote it
///   ([`FollowUpTask::sms_reply`]); a score is read only where the reply
///   holds one, and [`FollowUpTask::sms_records`] gives the lines of the
///   SMS record (表13).
/// - A wrong or non-existent number ends the task with the
///   incorrect-customer-info record; no SMS is sent to it.
/// - Calls are accepted only inside the window (FU-01) and up to
///   [`max_calls`](crate::FollowUpPolicy::max_calls) in all. Calling
///   hours (FU-05) are guidance ([`next_call_slot`](crate::next_call_slot)),
///   not a guard: a call the customer asked for at 20:00 is recorded.
/// - When the window has run out, [`FollowUpCommand::CloseNotReached`]
///   ends it; an SMS reply that arrives later is still recorded.
///
/// # Stored data
///
/// Store the events, not the task: the events are the stored truth.
/// Append the [`FollowUpEvent`]s that [`FollowUpTask::execute`] returns to
/// the task's log, in the order they came, and rebuild the task with
/// [`FollowUpTask::replay`] from its number and that log. Events stored by
/// older versions of the crate (an SMS without its reason, a reply held as
/// a bare score, an answered call without its score) still load. The task
/// serializes, as a read model a DMS may show or cache for display, but it
/// does not deserialize: a task loaded field by field could hold what no
/// command allows (more calls than the policy's limit, answered without
/// answers), so there is no way to load one.
///
/// ```
/// use aftersales::{
///     Delivery, DeliveryFacts, DeliveryKind, FollowUpCommand, FollowUpEvent, FollowUpTask,
///     Policy, RatioSampler, TaskKind, TaskNo, plan_follow_up,
/// };
/// use chrono::DateTime;
///
/// let policy = Policy::default();
/// let delivered_at = DateTime::parse_from_rfc3339("2026-03-02T17:30:00+08:00")?;
/// let delivery = Delivery {
///     kind: DeliveryKind::Service,
///     order: Some("WO-2026-0042".parse()?),
///     customer: None,
///     name: "Wang Fang".parse()?,
///     phone: Some("13800138000".parse()?),
///     staff: "SA-07".parse()?,
///     delivered_at,
///     facts: DeliveryFacts::EMPTY,
///     agreed: Default::default(),
/// };
/// let plan = plan_follow_up(&delivery, &mut RatioSampler::default(), &policy)?;
/// let call = *plan.task(TaskKind::AfterSalesCall).ok_or("no call")?;
/// let no: TaskNo = "T-0042".parse()?;
/// let mut task = FollowUpTask::new(no.clone());
/// let events = task.execute(
///     FollowUpCommand::Open { at: delivered_at, delivery, task: call },
///     &policy,
/// )?;
/// // The DMS stores the events ...
/// let stored = serde_json::to_string(&events)?;
/// // ... and rebuilds the task from them.
/// let log: Vec<FollowUpEvent> = serde_json::from_str(&stored)?;
/// assert_eq!(FollowUpTask::replay(no, &log), task);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The task itself does not load from JSON (a test that it stays so):
///
/// ```compile_fail,E0277
/// let task: aftersales::FollowUpTask = serde_json::from_str("{}")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpTask {
    no: TaskNo,
    status: TaskStatus,
    opened: Option<(Delivery, PlannedTask)>,
    calls: u32,
    unsuccessful: u32,
    call_back_at: Option<At>,
    last_call_at: Option<At>,
    sms_sent_at: Option<At>,
    answers: Option<(At, Questionnaire, Voiced)>,
    /// The score of the answered call; absent when its event was stored
    /// before the score was kept (see [`FollowUpTask::score`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    call_score: Option<Score>,
    sms_score: Option<Score>,
    /// The reply as the customer wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    sms_reply: Option<(At, SmsReply)>,
    /// The SMS record (表13).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sms_sends: Vec<SmsSend>,
    unsuccessful_log: Vec<(At, NotReachedReason)>,
    version: u64,
}

impl FollowUpTask {
    /// A task not yet opened.
    pub fn new(no: TaskNo) -> Self {
        FollowUpTask {
            no,
            status: TaskStatus::New,
            opened: None,
            calls: 0,
            unsuccessful: 0,
            call_back_at: None,
            last_call_at: None,
            sms_sent_at: None,
            answers: None,
            call_score: None,
            sms_score: None,
            sms_reply: None,
            sms_sends: Vec::new(),
            unsuccessful_log: Vec::new(),
            version: 0,
        }
    }

    /// The task rebuilt from its events.
    pub fn replay<'a, I>(no: TaskNo, events: I) -> Self
    where
        I: IntoIterator<Item = &'a FollowUpEvent>,
    {
        let mut task = FollowUpTask::new(no);
        for event in events {
            task.apply(event);
        }
        task
    }

    /// Checks `command` and returns the events it causes.
    ///
    /// # Errors
    ///
    /// [`FollowUpError::Rejected`] naming the rule the command breaks;
    /// [`FollowUpError::InvalidInput`] naming the field when a time lies
    /// outside the [`SUPPORTED_RANGE`] (checked before any rule).
    pub fn decide(
        &self,
        command: &FollowUpCommand,
        policy: &Policy,
    ) -> Result<Vec<FollowUpEvent>, FollowUpError> {
        check_times(command).map_err(|e| FollowUpError::InvalidInput {
            task: self.no.clone(),
            action: command.action(),
            field: e.field,
            reason: e.to_string(),
        })?;
        let reject = |rule: RuleId, reason: String| FollowUpError::Rejected {
            task: self.no.clone(),
            action: command.action(),
            rule,
            reason,
        };
        let fu = policy.follow_up();
        if let FollowUpCommand::Open { at, delivery, task } = command {
            if self.status != TaskStatus::New {
                return Err(reject(task.rule(), "the task is already open".into()));
            }
            if !task.kind.is_call() {
                return Err(reject(
                    RuleId::Fu06,
                    format!("a {} is not a call", task.kind),
                ));
            }
            return Ok(vec![FollowUpEvent::TaskOpened {
                at: *at,
                delivery: delivery.clone(),
                task: *task,
            }]);
        }
        let Some((delivery, task)) = &self.opened else {
            return Err(reject(RuleId::Fu06, "the task is not open".into()));
        };
        let window = task.window;
        let window_rule = task.rule();
        match command {
            FollowUpCommand::Open { .. } => Ok(Vec::new()),
            FollowUpCommand::RecordCall { at, by, outcome } => {
                self.check_call_allowed(*at, policy, &reject)?;
                if !window.contains(*at) {
                    return Err(reject(
                        window_rule,
                        format!("`{at}` is outside the call window {window}"),
                    ));
                }
                let check_time = |call_back_at: At| {
                    if call_back_at <= *at || !window.contains(call_back_at) {
                        Err(reject(
                            window_rule,
                            format!(
                                "the agreed time `{call_back_at}` must be after the call and inside the window {window}"
                            ),
                        ))
                    } else {
                        Ok(())
                    }
                };
                let by = by.clone();
                let event = match outcome {
                    CallOutcome::Answered { answers, voiced } => {
                        let expected = expected_form(task.kind);
                        if answers.form() != expected {
                            return Err(reject(
                                RuleId::Fu11,
                                format!(
                                    "a {} takes the {expected} questionnaire, not the {}",
                                    task.kind,
                                    answers.form()
                                ),
                            ));
                        }
                        let satisfaction = policy.satisfaction();
                        let score = answers.overall(satisfaction.sales_score);
                        let band = satisfaction.bands.band(score);
                        FollowUpEvent::CallAnswered {
                            at: *at,
                            by,
                            answers: answers.clone(),
                            voiced: *voiced,
                            score: Some(score),
                            band,
                            route: route(band, *voiced),
                        }
                    }
                    CallOutcome::Busy { call_back_at } => {
                        check_time(*call_back_at)?;
                        FollowUpEvent::CallRescheduled {
                            at: *at,
                            by,
                            reason: RescheduleReason::CustomerBusy,
                            call_back_at: *call_back_at,
                        }
                    }
                    CallOutcome::NotTheCustomer {
                        call_back_at: Some(call_back_at),
                    } => {
                        check_time(*call_back_at)?;
                        FollowUpEvent::CallRescheduled {
                            at: *at,
                            by,
                            reason: RescheduleReason::NotTheCustomer,
                            call_back_at: *call_back_at,
                        }
                    }
                    CallOutcome::NotTheCustomer { call_back_at: None } => {
                        FollowUpEvent::CallUnsuccessful {
                            at: *at,
                            by,
                            reason: NotReachedReason::NotTheCustomer,
                        }
                    }
                    CallOutcome::NotReached { reason } => FollowUpEvent::CallUnsuccessful {
                        at: *at,
                        by,
                        reason: *reason,
                    },
                    CallOutcome::InvalidNumber { reason } => FollowUpEvent::NumberInvalid {
                        at: *at,
                        by,
                        reason: *reason,
                    },
                };
                Ok(vec![event])
            }
            FollowUpCommand::SendSms { at } => {
                if self.status != TaskStatus::Open {
                    return Err(reject(
                        RuleId::Fu07,
                        format!("the task is {}", self.status_words()),
                    ));
                }
                if self.unsuccessful < fu.sms_after_unsuccessful && self.calls < fu.max_calls {
                    return Err(reject(
                        RuleId::Fu07,
                        format!(
                            "only {} of {} unsuccessful calls made",
                            self.unsuccessful, fu.sms_after_unsuccessful
                        ),
                    ));
                }
                if !window.contains(*at) {
                    return Err(reject(
                        window_rule,
                        format!("`{at}` is outside the follow-up window {window}"),
                    ));
                }
                let Some(to) = delivery.phone.clone() else {
                    return Err(reject(
                        RuleId::Fu07,
                        "the customer file has no number to text".into(),
                    ));
                };
                let reason = if self.unsuccessful >= fu.sms_after_unsuccessful {
                    SmsReason::UnsuccessfulCalls
                } else {
                    SmsReason::CallLimitReached
                };
                Ok(vec![FollowUpEvent::SmsSent {
                    at: *at,
                    to,
                    reason: Some(reason),
                }])
            }
            FollowUpCommand::RecordSmsNotDelivered { at } => {
                let TaskStatus::SmsSent { at: sent } = self.status else {
                    return Err(reject(
                        RuleId::Fu07,
                        format!("the task is {}", self.status_words()),
                    ));
                };
                if *at < sent {
                    return Err(reject(
                        RuleId::Fu07,
                        format!("the report at `{at}` is before the SMS was sent at `{sent}`"),
                    ));
                }
                Ok(vec![FollowUpEvent::SmsNotDelivered { at: *at }])
            }
            FollowUpCommand::RecordSmsReply { at, reply, voiced } => {
                let Some(sent) = self.sms_sent_at else {
                    return Err(reject(RuleId::Fu07, "no SMS was sent".into()));
                };
                let awaiting = matches!(
                    self.status,
                    TaskStatus::SmsSent { .. } | TaskStatus::NotReached { .. }
                );
                if !awaiting {
                    return Err(reject(
                        RuleId::Fu07,
                        format!("the task is {}", self.status_words()),
                    ));
                }
                if *at < sent {
                    return Err(reject(
                        RuleId::Fu07,
                        format!("the reply at `{at}` is before the SMS was sent at `{sent}`"),
                    ));
                }
                let score = reply.score();
                let band = score.map(|s| policy.satisfaction().bands.band(s));
                Ok(vec![FollowUpEvent::SmsReplied {
                    at: *at,
                    reply: Some(reply.clone()),
                    score,
                    band,
                    voiced: *voiced,
                    route: route_reply(band, *voiced),
                }])
            }
            FollowUpCommand::CloseNotReached { now } => {
                if !matches!(self.status, TaskStatus::Open | TaskStatus::SmsSent { .. }) {
                    return Err(reject(
                        window_rule,
                        format!("the task is {}", self.status_words()),
                    ));
                }
                if *now < window.closes_at {
                    return Err(reject(
                        window_rule,
                        format!("the window is open until `{}`", window.closes_at),
                    ));
                }
                Ok(vec![FollowUpEvent::NotReached {
                    at: *now,
                    unsuccessful_calls: self.unsuccessful,
                }])
            }
        }
    }

    fn check_call_allowed(
        &self,
        at: At,
        policy: &Policy,
        reject: &dyn Fn(RuleId, String) -> FollowUpError,
    ) -> Result<(), FollowUpError> {
        let fu = policy.follow_up();
        if self.status != TaskStatus::Open {
            let rule = match self.status {
                TaskStatus::SmsSent { .. } => RuleId::Fu07,
                _ => RuleId::Fu06,
            };
            return Err(reject(rule, format!("the task is {}", self.status_words())));
        }
        if self.unsuccessful >= fu.sms_after_unsuccessful {
            return Err(reject(
                RuleId::Fu07,
                format!(
                    "{} unsuccessful calls made: the follow-up goes on by SMS",
                    self.unsuccessful
                ),
            ));
        }
        if self.calls >= fu.max_calls {
            return Err(reject(
                RuleId::Fu07,
                format!("all {} calls the policy allows were made", fu.max_calls),
            ));
        }
        if let Some(last) = self.last_call_at {
            if at < last {
                return Err(reject(
                    RuleId::Fu06,
                    format!("the call at `{at}` is before the last recorded call at `{last}`"),
                ));
            }
        }
        Ok(())
    }

    /// [`decide`](Self::decide), then [`apply`](Self::apply) the events;
    /// returns them for the DMS to store.
    ///
    /// # Errors
    ///
    /// As [`FollowUpTask::decide`]; the task is unchanged on error.
    pub fn execute(
        &mut self,
        command: FollowUpCommand,
        policy: &Policy,
    ) -> Result<Vec<FollowUpEvent>, FollowUpError> {
        let events = self.decide(&command, policy)?;
        for event in &events {
            self.apply(event);
        }
        Ok(events)
    }

    /// Records an event. Never fails and holds no rule.
    pub fn apply(&mut self, event: &FollowUpEvent) {
        use FollowUpEvent as E;
        self.version = self.version.saturating_add(1);
        match event {
            E::TaskOpened { delivery, task, .. } => {
                self.opened = Some((delivery.clone(), *task));
                self.status = TaskStatus::Open;
            }
            E::CallAnswered {
                at,
                answers,
                voiced,
                score,
                route,
                ..
            } => {
                self.count_call(*at);
                self.answers = Some((*at, answers.clone(), *voiced));
                self.call_score = *score;
                self.status = TaskStatus::Reached {
                    at: *at,
                    route: *route,
                };
            }
            E::CallRescheduled {
                at, call_back_at, ..
            } => {
                self.count_call(*at);
                self.call_back_at = Some(*call_back_at);
            }
            E::CallUnsuccessful { at, reason, .. } => {
                self.count_call(*at);
                self.unsuccessful = self.unsuccessful.saturating_add(1);
                self.call_back_at = None;
                self.unsuccessful_log.push((*at, *reason));
            }
            E::NumberInvalid { at, reason, .. } => {
                self.count_call(*at);
                self.status = TaskStatus::NumberInvalid {
                    at: *at,
                    reason: *reason,
                };
            }
            E::SmsSent { at, to, reason } => {
                self.sms_sent_at = Some(*at);
                self.status = TaskStatus::SmsSent { at: *at };
                self.sms_sends.push(SmsSend {
                    at: *at,
                    to: to.clone(),
                    reason: *reason,
                    status: SmsSendStatus::Sent,
                });
            }
            E::SmsNotDelivered { .. } => {
                self.sms_sent_at = None;
                self.status = TaskStatus::Open;
                if let Some(last) = self.sms_sends.last_mut() {
                    last.status = SmsSendStatus::NotDelivered;
                }
            }
            E::SmsReplied {
                at,
                reply,
                score,
                route,
                ..
            } => {
                self.sms_score = *score;
                // A reply stored before replies were kept as text held
                // its score only.
                self.sms_reply = reply
                    .clone()
                    .or_else(|| score.map(SmsReply::from))
                    .map(|r| (*at, r));
                self.status = TaskStatus::SmsAnswered {
                    at: *at,
                    route: *route,
                };
            }
            E::NotReached { at, .. } => {
                self.status = TaskStatus::NotReached { at: *at };
            }
        }
    }

    fn count_call(&mut self, at: At) {
        self.calls = self.calls.saturating_add(1);
        self.last_call_at = Some(at);
    }

    fn status_words(&self) -> &'static str {
        self.status.words()
    }

    /// What to do next at `now`.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `now` when it lies outside the
    /// [`SUPPORTED_RANGE`].
    pub fn next_step(&self, now: At, policy: &Policy) -> Result<NextStep, TimeRangeError> {
        let now = SUPPORTED_RANGE.check("now", now)?;
        Ok(self.next_step_at(now, policy))
    }

    /// [`next_step`](Self::next_step) at an instant already checked.
    pub(crate) fn next_step_at(&self, now: At, policy: &Policy) -> NextStep {
        let Some((_, task)) = &self.opened else {
            return NextStep::Nothing;
        };
        let window = task.window;
        match self.status {
            TaskStatus::Open if now >= window.closes_at => NextStep::CloseNotReached,
            TaskStatus::Open
                if self.unsuccessful >= policy.follow_up().sms_after_unsuccessful
                    || self.calls >= policy.follow_up().max_calls =>
            {
                NextStep::SendSms
            }
            TaskStatus::Open => NextStep::Call {
                not_before: [Some(window.opens_at), self.call_back_at, Some(now)]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(now),
            },
            TaskStatus::SmsSent { .. } if now >= window.closes_at => NextStep::CloseNotReached,
            TaskStatus::SmsSent { .. } => NextStep::AwaitSmsReply {
                until: window.closes_at,
            },
            _ => NextStep::Nothing,
        }
    }

    /// The task's number.
    pub fn no(&self) -> &TaskNo {
        &self.no
    }

    /// Where the task stands.
    pub fn status(&self) -> TaskStatus {
        self.status
    }

    /// The delivery, once opened.
    pub fn delivery(&self) -> Option<&Delivery> {
        self.opened.as_ref().map(|(d, _)| d)
    }

    /// The planned call, once opened.
    pub fn planned(&self) -> Option<&PlannedTask> {
        self.opened.as_ref().map(|(_, t)| t)
    }

    /// Calls made, successful or not.
    pub fn calls(&self) -> u32 {
        self.calls
    }

    /// Unsuccessful calls made (FU-06, FU-07).
    pub fn unsuccessful_calls(&self) -> u32 {
        self.unsuccessful
    }

    /// The unsuccessful-call records (FU-06): when, and why.
    pub fn unsuccessful_log(&self) -> &[(At, NotReachedReason)] {
        &self.unsuccessful_log
    }

    /// The agreed time to call back, if any.
    pub fn call_back_at(&self) -> Option<At> {
        self.call_back_at
    }

    /// The answers of the successful call.
    pub fn answers(&self) -> Option<&Questionnaire> {
        self.answers.as_ref().map(|(_, a, _)| a)
    }

    /// The score of the answered call: after-sales Q1, or the sales
    /// form's score under the policy in force when the call was recorded
    /// (a task stored before the score was kept: the lowest of the sales
    /// scores, as it was decided then).
    pub fn call_score(&self) -> Option<Score> {
        let (_, answers, _) = self.answers.as_ref()?;
        Some(
            self.call_score
                .unwrap_or_else(|| answers.overall(SalesScoreBasis::Min)),
        )
    }

    /// The score the customer texted back, where the reply holds one.
    pub fn sms_score(&self) -> Option<Score> {
        self.sms_score
    }

    /// The customer's SMS reply as written, and when it came.
    pub fn sms_reply(&self) -> Option<(At, &SmsReply)> {
        self.sms_reply.as_ref().map(|(at, r)| (*at, r))
    }

    /// The lines of the SMS record (短信发送记录表, 表13 of \[002\]), one
    /// per SMS sent, oldest first; the reply goes on the SMS it answers,
    /// the last one delivered.
    pub fn sms_records(&self) -> Vec<SmsRecord> {
        let Some((delivery, _)) = &self.opened else {
            return Vec::new();
        };
        let answered = self
            .sms_sends
            .iter()
            .rposition(|s| s.status == SmsSendStatus::Sent);
        self.sms_sends
            .iter()
            .enumerate()
            .map(|(i, send)| {
                let reply = self.sms_reply.as_ref().filter(|_| Some(i) == answered);
                SmsRecord {
                    name: delivery.name.clone(),
                    to: send.to.clone(),
                    reason: send.reason,
                    sent_at: send.at,
                    status: send.status,
                    reply: reply.map(|(_, r)| r.clone()),
                    replied_at: reply.map(|(at, _)| *at),
                }
            })
            .collect()
    }

    /// Where the follow-up went (FU-08), once the customer answered.
    pub fn route(&self) -> Option<Route> {
        match self.status {
            TaskStatus::Reached { route, .. } | TaskStatus::SmsAnswered { route, .. } => {
                Some(route)
            }
            _ => None,
        }
    }

    /// How the follow-up ended, for closing the work order (WO-23):
    /// completed when the customer answered, abandoned when the number was
    /// invalid or the window ran out; `None` while it goes on.
    pub fn order_outcome(&self) -> Option<FollowUpOutcome> {
        match self.status {
            TaskStatus::Reached { .. } | TaskStatus::SmsAnswered { .. } => {
                Some(FollowUpOutcome::Completed)
            }
            TaskStatus::NumberInvalid { .. } | TaskStatus::NotReached { .. } => {
                Some(FollowUpOutcome::Abandoned)
            }
            _ => None,
        }
    }

    /// The concern to hand to complaint intake ([`triage`](crate::triage))
    /// when the call routed to a grievance or complaint form (FU-08,
    /// CMP-07): channel follow-up call, the customer's remarks as the
    /// description (or the low score when there are none).
    pub fn concern(&self) -> Option<Concern> {
        let (delivery, _) = self.opened.as_ref()?;
        let route = self.route()?;
        let kind = match route {
            Route::Archive => return None,
            Route::GrievanceForm => ConcernKind::Grievance,
            Route::UrgentComplaint => ConcernKind::Complaint,
        };
        let (received_at, description) = match (&self.answers, self.status) {
            (Some((at, answers, _)), _) => (
                *at,
                answers.remarks().map_or_else(
                    || {
                        format!(
                            "overall score {} in the follow-up call",
                            self.call_score().unwrap_or(Score::MIN)
                        )
                    },
                    |r| r.as_str().to_owned(),
                ),
            ),
            (None, TaskStatus::SmsAnswered { at, .. }) => (
                at,
                match (&self.sms_reply, self.sms_score) {
                    (Some((_, reply)), _) => format!("SMS follow-up reply: {reply}"),
                    (None, score) => {
                        format!("SMS follow-up score {}", score.map_or(0, Score::get))
                    }
                },
            ),
            _ => return None,
        };
        Some(Concern {
            received_at,
            channel: Channel::FollowUpCall,
            customer: delivery.customer.clone(),
            kind: Some(kind),
            description,
            demands: Vec::new(),
            emotion: None,
            facts: FactSet::default(),
        })
    }

    /// FU-12: every "no" on a process question of the answers, against the
    /// order's advisor (or the sales consultant), whatever the overall
    /// score.
    pub fn process_findings(&self) -> Vec<ProcessFinding> {
        let (Some((delivery, _)), Some((at, answers, _))) = (&self.opened, &self.answers) else {
            return Vec::new();
        };
        answers
            .process_misses()
            .map(|miss| ProcessFinding {
                at: *at,
                question: miss.question,
                checks: miss.checks,
                order: delivery.order.clone(),
                against: delivery.staff.clone(),
            })
            .collect()
    }

    /// Events applied so far.
    pub fn version(&self) -> u64 {
        self.version
    }
}

impl fmt::Display for FollowUpTask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "follow-up task `{}`: {}", self.no, self.status_words())
    }
}

/// FU-08: a complaint goes to the urgent complaint form; a grievance or a
/// dissatisfied score to the grievance form; the rest is archived.
pub fn route(band: Band, voiced: Voiced) -> Route {
    match voiced {
        Voiced::Complaint => Route::UrgentComplaint,
        Voiced::Grievance => Route::GrievanceForm,
        Voiced::Nothing | Voiced::Remark if band == Band::Dissatisfied => Route::GrievanceForm,
        Voiced::Nothing | Voiced::Remark => Route::Archive,
    }
}

/// FU-08 for an SMS reply: by its band where it holds a score, as
/// [`route`]; without one, by what the person recording it read in it.
fn route_reply(band: Option<Band>, voiced: Voiced) -> Route {
    match (band, voiced) {
        (Some(band), voiced) => route(band, voiced),
        (None, Voiced::Complaint) => Route::UrgentComplaint,
        (None, Voiced::Grievance) => Route::GrievanceForm,
        (None, Voiced::Nothing | Voiced::Remark) => Route::Archive,
    }
}

fn expected_form(kind: TaskKind) -> QuestionnaireForm {
    match kind {
        TaskKind::SalesCall => QuestionnaireForm::Sales,
        _ => QuestionnaireForm::AfterSales,
    }
}

impl TaskStatus {
    /// English words for the status ("open", "closed: the number is
    /// invalid" …), as refusals and reports show it.
    pub const fn words(&self) -> &'static str {
        match self {
            TaskStatus::New => "not open",
            TaskStatus::Open => "open",
            TaskStatus::SmsSent { .. } => "waiting for the SMS reply",
            TaskStatus::Reached { .. } => "done: the customer was reached",
            TaskStatus::SmsAnswered { .. } => "done: the customer replied to the SMS",
            TaskStatus::NumberInvalid { .. } => "closed: the number is invalid",
            TaskStatus::NotReached { .. } => "closed: the customer was not reached",
        }
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}
