//! What is due on an order at a given time: progress checks (WO-15), a
//! delay notice (WO-16, WO-30) and the follow-up call (WO-23, FU-01).

use chrono::{DateTime, FixedOffset, TimeDelta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::follow_up::WindowBounds;
use crate::policy::Policy;
use crate::rule::{Reason, RuleId};
use crate::work_order::WorkOrder;
use crate::work_order::estimate::{LineKind, PartAvailability};
use crate::work_order::records::Checkpoint;
use crate::work_order::state::{OrderState, Stage};

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "checkpoint")]
pub enum DueKind {
    /// A progress check (WO-15).
    ProgressCheck(Checkpoint),
    /// Tell the customer a new delivery time (WO-16).
    DelayNotice,
    /// The after-sales follow-up call (WO-23, FU-01).
    FollowUpCall,
}

/// Whether a due item is ahead, open or late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueStatus {
    /// Not yet due.
    Upcoming,
    /// Due now.
    Due,
    /// Its deadline passed.
    Overdue,
}

impl std::fmt::Display for DueKind {
    /// English words: "progress check (midway)", "delay notice",
    /// "follow-up call".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DueKind::ProgressCheck(c) => {
                let when = match c {
                    Checkpoint::AfterStart => "after the start",
                    Checkpoint::Midway => "midway",
                    Checkpoint::BeforeCompletion => "before completion",
                };
                write!(f, "progress check ({when})")
            }
            DueKind::DelayNotice => f.write_str("delay notice"),
            DueKind::FollowUpCall => f.write_str("follow-up call"),
        }
    }
}

impl std::fmt::Display for DueStatus {
    /// English words: "upcoming", "due", "overdue".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DueStatus::Upcoming => "upcoming",
            DueStatus::Due => "due",
            DueStatus::Overdue => "overdue",
        })
    }
}

/// One thing due on an order, with the rules and facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DueCheck {
    /// What.
    pub kind: DueKind,
    /// From when.
    pub due_from: DateTime<FixedOffset>,
    /// Until when, if it has a deadline.
    pub due_by: Option<DateTime<FixedOffset>>,
    /// Status at the `now` asked about.
    pub status: DueStatus,
    /// Why.
    pub reasons: Vec<Reason>,
}

fn status(
    now: DateTime<FixedOffset>,
    from: DateTime<FixedOffset>,
    by: Option<DateTime<FixedOffset>>,
) -> DueStatus {
    if now < from {
        DueStatus::Upcoming
    } else if by.is_some_and(|b| now > b) {
        DueStatus::Overdue
    } else {
        DueStatus::Due
    }
}

impl WorkOrder {
    /// Everything still to do on this order at `now`, earliest first.
    ///
    /// - **WO-15**: while work is under way, each progress checkpoint not yet
    ///   recorded: about `progress_first_check_after` after work starts, at
    ///   `progress_midpoint` of the time from work start to the promised
    ///   delivery, and `progress_final_check_before` the promised delivery.
    /// - **WO-16 / WO-30**: when a part is expected after the promised time
    ///   and the promise has not been revised since, a delay notice due
    ///   before the promised time.
    /// - **WO-23 / FU-01**: after delivery, the follow-up call within the
    ///   policy window of days, counted in the delivery's local calendar.
    ///
    /// ```
    /// use aftersales::{Policy, WorkOrder, WorkOrderNo};
    /// use chrono::DateTime;
    /// let order = WorkOrder::new(WorkOrderNo::try_new("WO-1")?);
    /// let now = DateTime::parse_from_rfc3339("2026-11-24T09:00:00+08:00")?;
    /// assert!(order.due_checks(now, &Policy::default()).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn due_checks(&self, now: DateTime<FixedOffset>, policy: &Policy) -> Vec<DueCheck> {
        let mut out = Vec::new();
        self.progress_due(now, policy, &mut out);
        self.delay_notice_due(now, &mut out);
        self.follow_up_due(now, policy, &mut out);
        out.sort_by_key(|d| d.due_from);
        out
    }

    /// The WO-15 checkpoint times of an order whose work has started and
    /// that has a promised delivery: about `progress_first_check_after`
    /// after the start, `progress_midpoint` of the way to the promise, and
    /// `progress_final_check_before` the promise. A time that cannot be
    /// represented is `None`. No text is built, so the audit can ask
    /// cheaply.
    pub(crate) fn progress_times(
        &self,
        policy: &Policy,
    ) -> Option<[(Checkpoint, Option<DateTime<FixedOffset>>); 3]> {
        let (start, promise) = (self.work_started_at()?, self.promised_delivery()?);
        let wo = policy.work_order();
        let span = promise.signed_duration_since(start);
        let midway_secs = Decimal::from(span.num_seconds())
            .checked_mul(wo.progress_midpoint.get())
            .and_then(|s| s.checked_div(Decimal::ONE_HUNDRED))
            .and_then(|s| i64::try_from(s.trunc()).ok())
            .unwrap_or(0);
        Some([
            (
                Checkpoint::AfterStart,
                start.checked_add_signed(wo.progress_first_check_after.to_duration()),
            ),
            (
                Checkpoint::Midway,
                start.checked_add_signed(TimeDelta::seconds(midway_secs)),
            ),
            (
                Checkpoint::BeforeCompletion,
                promise.checked_sub_signed(wo.progress_final_check_before.to_duration()),
            ),
        ])
    }

    /// Why `checkpoint` is due when it is (WO-15), in words.
    pub(crate) fn progress_reason(&self, checkpoint: Checkpoint, policy: &Policy) -> Reason {
        let wo = policy.work_order();
        let start = self
            .work_started_at()
            .map_or_else(String::new, |s| s.to_string());
        let promise = self
            .promised_delivery()
            .map_or_else(String::new, |p| p.to_string());
        let fact = match checkpoint {
            Checkpoint::AfterStart => format!(
                "work started `{start}`; first check {} after",
                wo.progress_first_check_after
            ),
            Checkpoint::Midway => format!(
                "{} of the time from work start `{start}` to the promised delivery `{promise}`",
                wo.progress_midpoint
            ),
            Checkpoint::BeforeCompletion => format!(
                "{} before the promised delivery `{promise}`",
                wo.progress_final_check_before
            ),
        };
        Reason::new(RuleId::Wo15, fact)
    }

    fn progress_due(&self, now: DateTime<FixedOffset>, policy: &Policy, out: &mut Vec<DueCheck>) {
        if !matches!(
            self.stage(),
            Stage::InRepair | Stage::AwaitingAddOnAuthorization
        ) {
            return;
        }
        let (Some(promise), Some(plan)) = (self.promised_delivery(), self.progress_times(policy))
        else {
            return;
        };
        for (checkpoint, when) in plan {
            let Some(when) = when else { continue };
            if self
                .progress_checks()
                .iter()
                .any(|p| p.checkpoint == checkpoint)
            {
                continue;
            }
            out.push(DueCheck {
                kind: DueKind::ProgressCheck(checkpoint),
                due_from: when,
                due_by: Some(promise),
                status: status(now, when, Some(promise)),
                reasons: vec![self.progress_reason(checkpoint, policy)],
            });
        }
    }

    fn delay_notice_due(&self, now: DateTime<FixedOffset>, out: &mut Vec<DueCheck>) {
        if self.stage() < Stage::Authorized || self.stage() >= Stage::Delivered {
            return;
        }
        let Some(promise) = self.promised_delivery() else {
            return;
        };
        let late = self
            .items()
            .iter()
            .filter(|i| i.status.is_authorized())
            .flat_map(|i| i.lines.iter().map(move |l| (i.no, l)))
            .filter_map(|(no, l)| match l.kind {
                LineKind::Part {
                    availability: PartAvailability::Expected { arrival },
                    ..
                } if arrival > promise => Some((no, arrival)),
                _ => None,
            })
            .max_by_key(|(_, arrival)| *arrival);
        if let Some((no, arrival)) = late {
            out.push(DueCheck {
                kind: DueKind::DelayNotice,
                due_from: now.min(promise),
                due_by: Some(promise),
                status: status(now, now.min(promise), Some(promise)),
                reasons: vec![
                    Reason::new(
                        RuleId::Wo30,
                        format!("part for item {no} expected `{arrival}`, after the promised delivery `{promise}`"),
                    ),
                    Reason::new(RuleId::Wo16, "the customer is told a new time before the promised one"),
                ],
            });
        }
    }

    /// The after-sales follow-up window of a delivered order (WO-23,
    /// FU-01), without building any text.
    pub(crate) fn follow_up_window(&self, policy: &Policy) -> Option<WindowBounds> {
        let OrderState::Delivered { at: delivered } = *self.state() else {
            return None;
        };
        policy
            .follow_up()
            .after_sales_window
            .after(delivered, &policy.follow_up().calendar)
            .ok()
            .flatten()
    }

    fn follow_up_due(&self, now: DateTime<FixedOffset>, policy: &Policy, out: &mut Vec<DueCheck>) {
        let OrderState::Delivered { at: delivered } = *self.state() else {
            return;
        };
        let Some(bounds) = self.follow_up_window(policy) else {
            return;
        };
        let window = policy.follow_up().after_sales_window;
        let (from, end) = (bounds.opens_at, bounds.closes_at);
        let by = end.checked_sub_signed(TimeDelta::seconds(1)).unwrap_or(end);
        out.push(DueCheck {
            kind: DueKind::FollowUpCall,
            due_from: from,
            due_by: Some(by),
            status: status(now, from, Some(by)),
            reasons: vec![
                Reason::new(
                    RuleId::Wo23,
                    format!("delivered `{delivered}`; the order is due for follow-up"),
                ),
                Reason::new(RuleId::Fu01, format!("call on {window} after delivery")),
            ],
        });
    }
}
