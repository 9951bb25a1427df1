//! The follow-up specialist's day: which tasks need a call, an SMS or
//! closing on a local date, and when to call ([`call_queue`]).

use std::fmt::{self, Write as _};

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::contact::PreferredContact;
use crate::follow_up::plan::{Caller, TaskKind};
use crate::follow_up::policy::WindowBounds;
use crate::follow_up::slots::{CallPurpose, CallSlot, ContactBasis, agreed_slot};
use crate::follow_up::task::{FollowUpTask, NextStep};
use crate::ids::{PersonName, TaskNo};
use crate::policy::Policy;
use crate::rule::RuleId;
use crate::text::{left, width};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

type At = DateTime<FixedOffset>;

/// What the queue asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum QueueAction {
    /// Call in this slot (FU-05).
    Call {
        /// The slot.
        slot: CallSlot,
    },
    /// Call back at the time agreed with the customer or whoever answered
    /// (FU-06), whatever the calling hours.
    CallBack {
        /// The agreed time.
        at: At,
    },
    /// Send the SMS (FU-07).
    SendSms,
    /// Close the task as not reached: its window has run out.
    CloseNotReached,
}

impl QueueAction {
    /// The rule behind the action. A call at the way or time agreed at the
    /// repair answers to CARE-02, any other call to the calling hours of
    /// FU-05.
    pub const fn rule(&self) -> RuleId {
        match self {
            QueueAction::Call { slot } => match (slot.basis, slot.channel_basis) {
                (ContactBasis::AgreedAtRepair, _) | (_, ContactBasis::AgreedAtRepair) => {
                    RuleId::Care02
                }
                _ => RuleId::Fu05,
            },
            QueueAction::CallBack { .. } => RuleId::Fu06,
            QueueAction::SendSms => RuleId::Fu07,
            QueueAction::CloseNotReached => RuleId::Fu01,
        }
    }
}

/// One line of the day's queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QueueEntry {
    /// When to act: the slot's start for a call, the start of the day
    /// otherwise.
    pub at: At,
    /// The task.
    pub task: TaskNo,
    /// What kind of call.
    pub kind: TaskKind,
    /// Who must make it (FU-04).
    pub caller: Caller,
    /// The customer.
    pub name: PersonName,
    /// Calls made so far.
    pub calls: u32,
    /// Unsuccessful calls so far.
    pub unsuccessful: u32,
    /// What to do.
    pub action: QueueAction,
}

/// The queue of one local date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CallQueue {
    /// The dealer's local date.
    pub date: NaiveDate,
    /// The entries, by time, then task number.
    pub entries: Vec<QueueEntry>,
}

/// The queue for the dealer's local `date`: every open task that needs a
/// call with a slot starting that day, a call back at a time agreed for
/// that day (FU-06, outside calling hours too), an SMS (FU-07), or closing
/// because its window ran out before the day ended (FU-01). A task whose
/// next slot is on a later day is not listed.
///
/// `tasks` pairs each task with the customer's preferred contact (from the
/// customer file; [`PreferredContact::default`] when there is none). The
/// way and time agreed at the repair, kept on the task's delivery
/// ([`Delivery::agreed`](crate::Delivery::agreed), CARE-02), come first
/// ([`next_agreed_call_slot`](crate::next_agreed_call_slot)).
///
/// # Errors
///
/// [`TimeRangeError`] naming `date` when that day lies outside the
/// [`SUPPORTED_RANGE`] (years 1900 to 9999).
pub fn call_queue<'a, I>(
    tasks: I,
    date: NaiveDate,
    policy: &Policy,
) -> Result<CallQueue, TimeRangeError>
where
    I: IntoIterator<Item = (&'a FollowUpTask, &'a PreferredContact)>,
{
    let first = date.and_time(NaiveTime::MIN).and_utc().fixed_offset();
    SUPPORTED_RANGE.check("date", first)?;
    let fu = policy.follow_up();
    let offset = fu.calendar.offset();
    let midnight = |d: NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(offset)
            .single()
    };
    let (Some(day_start), Some(day_end)) = (
        midnight(date),
        date.checked_add_days(Days::new(1)).and_then(midnight),
    ) else {
        return Ok(CallQueue {
            date,
            entries: Vec::new(),
        });
    };
    let day = WindowBounds {
        opens_at: day_start,
        closes_at: day_end,
    };
    let mut entries = Vec::new();
    for (task, preferred) in tasks {
        let (Some(delivery), Some(planned)) = (task.delivery(), task.planned()) else {
            continue;
        };
        // Asked at the end of the day: anything that falls due by then is
        // on today's list.
        let last_instant = day_end
            .checked_sub_signed(chrono::TimeDelta::seconds(1))
            .unwrap_or(day_end);
        let action = match task.next_step_at(last_instant, policy) {
            NextStep::Call { .. } if task.call_back_at().is_some_and(|t| day.contains(t)) => {
                match task.call_back_at() {
                    Some(at) => QueueAction::CallBack { at },
                    None => continue,
                }
            }
            NextStep::Call { .. } => {
                // The call step as seen from the start of the day.
                let NextStep::Call { not_before } = task.next_step_at(day_start, policy) else {
                    continue;
                };
                let window = WindowBounds {
                    opens_at: planned.window.opens_at.max(day.opens_at),
                    closes_at: planned.window.closes_at.min(day.closes_at),
                };
                let agreed = &delivery.agreed;
                let purpose = CallPurpose::FollowUp;
                match agreed_slot(not_before, &window, purpose, agreed, preferred, fu) {
                    Some(slot) => QueueAction::Call { slot },
                    None => continue,
                }
            }
            NextStep::SendSms => QueueAction::SendSms,
            NextStep::CloseNotReached => QueueAction::CloseNotReached,
            NextStep::AwaitSmsReply { .. } | NextStep::Nothing => continue,
        };
        let at = match action {
            QueueAction::Call { slot } => slot.starts_at,
            QueueAction::CallBack { at } => at,
            QueueAction::SendSms | QueueAction::CloseNotReached => day_start,
        };
        entries.push(QueueEntry {
            at,
            task: task.no().clone(),
            kind: planned.kind,
            caller: planned.caller,
            name: delivery.name.clone(),
            calls: task.calls(),
            unsuccessful: task.unsuccessful_calls(),
            action,
        });
    }
    entries.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.task.cmp(&b.task)));
    Ok(CallQueue { date, entries })
}

impl CallQueue {
    /// The queue as a text table with English and Chinese headings.
    pub fn render(&self) -> String {
        let headings = [
            ("time", "时间"),
            ("task", "任务"),
            ("customer", "客户"),
            ("kind", "类型"),
            ("caller", "回访人"),
            ("missed/calls", "未成功/次数"),
            ("action", "操作"),
        ];
        let rows: Vec<[String; 7]> = self
            .entries
            .iter()
            .map(|e| {
                let action = match e.action {
                    QueueAction::Call { slot } => format!(
                        "call until {} by {} ({})",
                        slot.ends_at.format("%H:%M"),
                        slot.channel,
                        e.action.rule()
                    ),
                    QueueAction::CallBack { .. } => {
                        format!("call back as agreed ({})", e.action.rule())
                    }
                    QueueAction::SendSms => format!("send the SMS ({})", e.action.rule()),
                    QueueAction::CloseNotReached => {
                        format!("close as not reached ({})", e.action.rule())
                    }
                };
                [
                    match e.action {
                        QueueAction::Call { .. } | QueueAction::CallBack { .. } => {
                            e.at.format("%H:%M").to_string()
                        }
                        QueueAction::SendSms | QueueAction::CloseNotReached => "-".to_owned(),
                    },
                    e.task.to_string(),
                    e.name.to_string(),
                    format!("{} {}", e.kind.label_en(), e.kind.label_zh()),
                    format!("{} {}", e.caller.label_en(), e.caller.label_zh()),
                    format!("{}/{}", e.unsuccessful, e.calls),
                    action,
                ]
            })
            .collect();
        let mut widths = headings.map(|(en, zh)| width(en).max(width(zh)));
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Follow-up queue 回访队列 {} ({} entries)",
            self.date,
            self.entries.len()
        );
        for line in [
            headings.map(|(en, _)| en.to_owned()),
            headings.map(|(_, zh)| zh.to_owned()),
        ]
        .iter()
        .chain(rows.iter())
        {
            let cells: Vec<String> = line
                .iter()
                .zip(widths)
                .map(|(cell, w)| left(cell, w))
                .collect();
            let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        }
        out
    }
}

impl fmt::Display for CallQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}
