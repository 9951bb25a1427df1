//! Complaint deadlines and due escalations at a given instant (CMP-04 …
//! CMP-06, CMP-09, CMP-10, CMP-16).

use chrono::{DateTime, FixedOffset, TimeDelta};
use serde::{Deserialize, Serialize};

use crate::complaint::aggregate::Complaint;
use crate::complaint::clock::{DeadlineClock, Pause};
use crate::complaint::grade::Level;
use crate::complaint::policy::WaitingOnCustomer;
use crate::complaint::records::{DeadlineKind, EscalationReason, SolutionTiming, Verdict};
use crate::policy::{AuthorityRole, GrantOutcome, Policy};
use crate::rule::{Reason, RuleId};
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

type At = DateTime<FixedOffset>;

/// Where a deadline stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeadlineStatus {
    /// Not done, and `now` is not past the deadline.
    Open,
    /// Not done, and the clock is stopped while the dealer waits on the
    /// customer (CMP-16): no due time until the customer replies.
    Paused,
    /// Done in time.
    Met {
        /// When it was done.
        at: At,
    },
    /// Done late, or not done and past due.
    Missed {
        /// When it was done, if it was.
        done_at: Option<At>,
    },
}

impl DeadlineStatus {
    /// Whether the deadline was missed.
    pub const fn is_missed(self) -> bool {
        matches!(self, DeadlineStatus::Missed { .. })
    }
}

/// One deadline of a complaint, evaluated at an instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineCheck {
    /// Which deadline.
    pub kind: DeadlineKind,
    /// The rule that sets it.
    pub rule: RuleId,
    /// When its clock started.
    pub started_at: At,
    /// The earliest time it may be done (only the second follow-up has
    /// one).
    pub opens_at: Option<At>,
    /// When it is due; `None` while the clock is paused with no end.
    pub due_by: Option<At>,
    /// Where it stands.
    pub status: DeadlineStatus,
    /// How the due time was computed.
    pub reasons: Vec<Reason>,
}

/// An escalation that is due (CMP-09): the complaint goes to the next
/// handler, whose response clock starts when it is recorded; the level
/// stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationDue {
    /// Why.
    pub reason: EscalationReason,
    /// The complaint's level, which the escalation leaves as it is.
    pub level: Level,
    /// The handler now.
    pub from_handler: AuthorityRole,
    /// The next handler, who takes the complaint over.
    pub handler: AuthorityRole,
    /// The facts.
    pub reasons: Vec<Reason>,
}

impl Complaint {
    /// Every deadline that has started by `now`, with its status, in the
    /// order of [`DeadlineKind::ALL`]. The first-response deadline (CMP-04)
    /// and the solution deadline (CMP-06) keep the hours of the level
    /// graded on receipt; an escalation does not restart or shorten a
    /// deadline already running. Instead, the handler a complaint was last
    /// handed to (by an escalation, or by new facts that raise the handler)
    /// gets its own response clock, [`DeadlineKind::HandlerResponse`], of
    /// that handler's response hours
    /// ([`LevelTable::response_hours_of`](crate::LevelTable::response_hours_of)),
    /// met by the next explanation or proposed solution. Deadlines run on
    /// the policy's clock
    /// (calendar or business hours) and stop while the dealer waits on the
    /// customer when the policy says so (CMP-16); the second follow-up
    /// window counts calendar days. After closure, a deadline that was
    /// neither done nor due by the closure is dropped.
    ///
    /// ```
    /// use aftersales::{
    ///     Channel, Complaint, ComplaintCommand, ComplaintFact as F, ComplaintNo,
    ///     ComplaintReceipt, CustomerId, CustomerStanding, DeadlineKind, DeadlineStatus, Demand,
    ///     Emotion, Nature, Policy, StaffId,
    /// };
    /// use chrono::DateTime;
    ///
    /// let policy = Policy::default();
    /// let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
    /// let mut c = Complaint::new(ComplaintNo::try_new("CMP-7")?);
    /// c.execute(
    ///     ComplaintCommand::Receive {
    ///         receipt: ComplaintReceipt {
    ///             at,
    ///             customer: CustomerId::try_new("C-1")?,
    ///             channel: Channel::Visit,
    ///             description: "waited two hours past the promised time".into(),
    ///             demands: vec![Demand::Apology],
    ///             remedy_amount: None,
    ///             emotion: Emotion::Disappointed,
    ///             facts: [F::SlightDelay].into(),
    ///             nature: Nature::General,
    ///             repeat_of: None,
    ///             standing: CustomerStanding::Regular,
    ///             owner: StaffId::try_new("CR-1")?,
    ///             order: None,
    ///         },
    ///     },
    ///     &policy,
    /// )?;
    /// let later = DateTime::parse_from_rfc3339("2026-11-25T10:00:01+08:00")?;
    /// let response = &c.deadlines(later, &policy)?[0];
    /// assert_eq!(response.kind, DeadlineKind::Response); // L1: 24 hours
    /// assert!(response.status.is_missed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `now` when it lies outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE).
    pub fn deadlines(
        &self,
        now: At,
        policy: &Policy,
    ) -> Result<Vec<DeadlineCheck>, TimeRangeError> {
        let now = SUPPORTED_RANGE.check("now", now)?;
        Ok(self.deadlines_at(now, policy))
    }

    /// [`deadlines`](Complaint::deadlines) at an instant the crate already
    /// accepted (a command's time): no range check, never a panic.
    pub(crate) fn deadlines_at(&self, now: At, policy: &Policy) -> Vec<DeadlineCheck> {
        let (Some(receipt), Some(grade)) = (&self.receipt, &self.grade) else {
            return Vec::new();
        };
        let cp = policy.complaint();
        let pauses: Vec<Pause> = match cp.waiting_on_customer {
            WaitingOnCustomer::ClockRuns => Vec::new(),
            WaitingOnCustomer::ClockPauses => self
                .waiting
                .iter()
                .map(|w| Pause {
                    from: w.from,
                    until: w.until,
                })
                .collect(),
        };
        let closed_at = self.closure.as_ref().map(|c| c.at());
        let mut checks = Vec::new();
        let mut push = |kind: DeadlineKind,
                        rule: RuleId,
                        started_at: At,
                        budget: TimeDelta,
                        what: String,
                        done_at: Option<At>| {
            let due_by = cp.clock.deadline_of(started_at, budget, &pauses);
            // After closure, a deadline neither done nor due by then (or
            // paused with no end) no longer applies.
            if let (Some(closed), None) = (closed_at, done_at) {
                if due_by.is_none_or(|due| due > closed) {
                    return;
                }
            }
            let status = status(now, due_by, done_at);
            let clock = if matches!(cp.clock, DeadlineClock::Calendar) {
                "calendar time"
            } else {
                "business hours"
            };
            let mut reasons = vec![Reason::new(
                rule,
                format!(
                    "{what} within {} of {clock} from `{started_at}`",
                    span(budget)
                ),
            )];
            if !pauses.is_empty() {
                reasons.push(Reason::new(
                    RuleId::Cmp16,
                    format!(
                        "the clock stops while waiting on the customer ({} interval(s))",
                        pauses.len()
                    ),
                ));
            }
            checks.push(DeadlineCheck {
                kind,
                rule,
                started_at,
                opens_at: None,
                due_by,
                status,
                reasons,
            });
        };
        push(
            DeadlineKind::Response,
            RuleId::Cmp04,
            receipt.at,
            TimeDelta::hours(i64::from(grade.response_hours)),
            format!("a complaint graded {} is answered", grade.level),
            self.first_response_at,
        );
        if self.verdict == Some(Verdict::Justified) {
            if let Some(judged) = self.judged_at {
                push(
                    DeadlineKind::Forwarding,
                    RuleId::Cmp05,
                    judged,
                    TimeDelta::minutes(i64::from(cp.forward_minutes)),
                    "a justified complaint is forwarded to the department head".to_owned(),
                    self.forwarding.as_ref().map(|f| f.at),
                );
            }
            if let Some(f) = &self.forwarding {
                push(
                    DeadlineKind::DepartmentResult,
                    RuleId::Cmp05,
                    f.at,
                    TimeDelta::hours(i64::from(cp.department_result_hours)),
                    format!("department `{}` reports its result", f.department),
                    self.department_result_at,
                );
            }
            // CMP-06 applies unless the complaint was solved on the spot: a
            // first solution marked on the spot but proposed after the
            // deadline does not erase the missed deadline.
            let first = self.proposals.first();
            let budget = TimeDelta::hours(i64::from(cp.solution_hours.of(grade.level)));
            let on_the_spot = first.is_some_and(|p| {
                p.solution.timing == SolutionTiming::OnTheSpot
                    && cp
                        .clock
                        .deadline_of(receipt.at, budget, &pauses)
                        .is_none_or(|due| p.at <= due)
            });
            if !on_the_spot {
                push(
                    DeadlineKind::Solution,
                    RuleId::Cmp06,
                    receipt.at,
                    budget,
                    format!(
                        "a complaint graded {} and not solved on the spot gets a proposed solution",
                        grade.level
                    ),
                    first.map(|p| p.at),
                );
            }
        }
        let handover = self.handed_over_at().zip(self.handler());
        if let Some((start, handler)) = handover {
            push(
                DeadlineKind::HandlerResponse,
                RuleId::Cmp09,
                start,
                TimeDelta::hours(i64::from(cp.levels.response_hours_of(handler))),
                format!(
                    "{handler} ({}), who took the complaint over, answers the customer",
                    handler.label_zh()
                ),
                self.responses().find(|at| *at >= start),
            );
        }
        if let Some(resolved) = self.resolved_at {
            let w = cp.second_follow_up;
            let opens = resolved.checked_add_signed(TimeDelta::days(i64::from(w.from_days)));
            let due_by = resolved.checked_add_signed(TimeDelta::days(i64::from(w.to_days)));
            let done_at = self.second_follow_up.map(|(at, _)| at);
            let keep = !matches!((closed_at, done_at, due_by), (Some(c), None, Some(d)) if d > c);
            if keep {
                checks.push(DeadlineCheck {
                    kind: DeadlineKind::SecondFollowUp,
                    rule: RuleId::Cmp10,
                    started_at: resolved,
                    opens_at: opens,
                    due_by,
                    status: status(now, due_by, done_at),
                    reasons: vec![Reason::new(
                        RuleId::Cmp10,
                        format!(
                            "the second follow-up is made {}–{} days after resolution at `{resolved}`",
                            w.from_days, w.to_days
                        ),
                    )],
                });
            }
        }
        checks
    }

    /// Every escalation due at `now` (CMP-09): a missed deadline not yet
    /// escalated, a requested remedy above the handler's authority
    /// (EST-08), a rejection or dissatisfaction not yet escalated. An
    /// escalation hands the complaint to the next handler (front line →
    /// supervisor → department manager → senior management) and leaves its
    /// level as it is: lateness and rejections are not facts of the
    /// complaint. Empty once closed, or with senior management handling it.
    ///
    /// ```
    /// use aftersales::{
    ///     AuthorityRole, Channel, Complaint, ComplaintCommand as C, ComplaintFact as F,
    ///     ComplaintNo, ComplaintReceipt, CustomerId, CustomerStanding, DeadlineKind, Demand,
    ///     Emotion, EscalationReason, Level, Nature, Policy, StaffId,
    /// };
    /// use chrono::{DateTime, TimeDelta};
    ///
    /// let policy = Policy::default();
    /// let at = DateTime::parse_from_rfc3339("2026-11-24T10:00:00+08:00")?;
    /// let cr = StaffId::try_new("CR-1")?;
    /// let mut c = Complaint::new(ComplaintNo::try_new("CMP-8")?);
    /// c.execute(C::Receive { receipt: ComplaintReceipt {
    ///     at, customer: CustomerId::try_new("C-1")?, channel: Channel::Phone,
    ///     description: "the same noise for the third time".into(),
    ///     demands: vec![Demand::FreeRepair], remedy_amount: None, emotion: Emotion::Angry,
    ///     facts: [F::RecurringFault].into(), nature: Nature::General, repeat_of: None,
    ///     standing: CustomerStanding::Regular, owner: cr.clone(), order: None,
    /// } }, &policy)?;
    /// // L3: the department manager has 72 hours to answer, so nothing is
    /// // late at 25 hours.
    /// assert!(c.escalations_due(at + TimeDelta::hours(25), &policy)?.is_empty());
    /// let late = at + TimeDelta::hours(72) + TimeDelta::seconds(1);
    /// let due = c.escalations_due(late, &policy)?;
    /// assert_eq!(due.len(), 1);
    /// assert_eq!(due[0].reason, EscalationReason::MissedDeadline(DeadlineKind::Response));
    /// // Senior management takes it over; the complaint stays L3.
    /// assert_eq!(due[0].handler, AuthorityRole::SeniorManagement);
    /// assert_eq!(due[0].level, Level::L3Serious);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `now` when it lies outside the
    /// [`SUPPORTED_RANGE`](crate::time::SUPPORTED_RANGE).
    pub fn escalations_due(
        &self,
        now: At,
        policy: &Policy,
    ) -> Result<Vec<EscalationDue>, TimeRangeError> {
        let now = SUPPORTED_RANGE.check("now", now)?;
        Ok(self.escalations_due_at(now, policy))
    }

    /// [`escalations_due`](Complaint::escalations_due) at an instant the
    /// crate already accepted: no range check, never a panic.
    pub(crate) fn escalations_due_at(&self, now: At, policy: &Policy) -> Vec<EscalationDue> {
        let (Some(level), Some(handler)) = (self.level(), self.handler()) else {
            return Vec::new();
        };
        if self.closure.is_some() {
            return Vec::new();
        }
        let Some(next) = handler.next() else {
            return Vec::new();
        };
        let handover = Reason::new(
            RuleId::Cmp09,
            format!(
                "the complaint goes from {handler} ({}) to {next} ({}); it stays at {level} ({})",
                handler.label_zh(),
                next.label_zh(),
                level.label_zh()
            ),
        );
        let due = |reason, mut reasons: Vec<Reason>| {
            reasons.push(handover.clone());
            EscalationDue {
                reason,
                level,
                from_handler: handler,
                handler: next,
                reasons,
            }
        };
        let mut out = Vec::new();
        for check in self.deadlines_at(now, policy) {
            if check.status.is_missed() && !self.escalated_for(check.kind) {
                let fact = match check.due_by {
                    Some(due_by) => format!("the {} deadline `{due_by}` was missed", check.kind),
                    None => format!("the {} deadline was missed", check.kind),
                };
                let mut reasons = vec![Reason::new(RuleId::Cmp09, fact)];
                reasons.extend(check.reasons);
                out.push(due(EscalationReason::MissedDeadline(check.kind), reasons));
            }
        }
        let asked = self
            .proposals
            .last()
            .and_then(|p| p.solution.remedy)
            .into_iter()
            .chain(self.receipt.as_ref().and_then(|r| r.remedy_amount))
            .max_by(|a, b| a.amount().cmp(&b.amount()));
        if let Some(remedy) = asked {
            let decision = policy.estimate().authority.grant(handler, remedy.amount());
            if decision.outcome != GrantOutcome::Within {
                let mut reasons = vec![Reason::new(
                    RuleId::Cmp09,
                    format!("the requested remedy `{remedy}` is above the authority of {handler}"),
                )];
                reasons.extend(decision.reasons);
                out.push(due(EscalationReason::RemedyAboveAuthority, reasons));
            }
        }
        if self.open_rejections > 0 {
            out.push(due(
                EscalationReason::CustomerRejected,
                vec![Reason::new(
                    RuleId::Cmp09,
                    format!(
                        "the customer rejected the answer or was not satisfied {} time(s) since the last escalation",
                        self.open_rejections
                    ),
                )],
            ));
        }
        out
    }
}

fn status(now: At, due_by: Option<At>, done_at: Option<At>) -> DeadlineStatus {
    match (done_at, due_by) {
        (Some(at), Some(due)) if at <= due => DeadlineStatus::Met { at },
        (Some(at), None) => DeadlineStatus::Met { at },
        (Some(at), Some(_)) => DeadlineStatus::Missed { done_at: Some(at) },
        (None, None) => DeadlineStatus::Paused,
        (None, Some(due)) if now > due => DeadlineStatus::Missed { done_at: None },
        (None, Some(_)) => DeadlineStatus::Open,
    }
}

fn span(budget: TimeDelta) -> String {
    let minutes = budget.num_minutes();
    match (minutes.checked_rem(60), minutes.checked_div(60)) {
        (Some(0), Some(hours)) => format!("{hours} h"),
        _ => format!("{minutes} min"),
    }
}
