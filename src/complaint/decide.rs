//! The complaint's guards: every command checked against CMP-01 … CMP-17.

use chrono::{DateTime, FixedOffset, TimeDelta};

use crate::complaint::aggregate::{Complaint, ComplaintStage as S};
use crate::complaint::command::{ComplaintAction, ComplaintCommand, ComplaintEvent as E};
use crate::complaint::error::ComplaintError;
use crate::complaint::grade::{FactSet, GradeInput, Occurrence, grade};
use crate::complaint::records::{
    ComplaintReceipt, Escalation, EscalationReason, Forwarding, Satisfaction, Verdict,
};
use crate::money::{Money, MoneyError};
use crate::policy::{GrantOutcome, Policy};
use crate::rule::RuleId;
use crate::time::{SUPPORTED_RANGE, TimeRangeError};

type At = DateTime<FixedOffset>;
type Decision = Result<Vec<E>, ComplaintError>;

struct Ctx<'a> {
    complaint: &'a Complaint,
    policy: &'a Policy,
    action: ComplaintAction,
}

impl Ctx<'_> {
    fn reject(&self, rule: RuleId, reason: impl Into<String>) -> ComplaintError {
        ComplaintError::Rejected {
            complaint: self.complaint.no.clone(),
            action: self.action,
            rule,
            reason: reason.into(),
        }
    }

    fn invalid(&self, field: &'static str, reason: impl Into<String>) -> ComplaintError {
        ComplaintError::InvalidInput {
            complaint: self.complaint.no.clone(),
            action: self.action,
            field,
            reason: reason.into(),
        }
    }

    fn money(&self, source: MoneyError) -> ComplaintError {
        ComplaintError::Money {
            complaint: self.complaint.no.clone(),
            action: self.action,
            source,
        }
    }

    fn text(&self, field: &'static str, text: &str) -> Result<(), ComplaintError> {
        if text.trim().is_empty() {
            Err(self.invalid(field, "must not be empty"))
        } else if let Some(reason) = crate::text::bounded(text) {
            Err(self.invalid(field, reason))
        } else {
            Ok(())
        }
    }

    fn amount(&self, field: &'static str, amount: Money) -> Result<(), ComplaintError> {
        let currency = self.policy.estimate().currency;
        if amount.currency() != currency {
            return Err(self.money(MoneyError::CurrencyMismatch {
                left: currency,
                right: amount.currency(),
            }));
        }
        if amount.is_negative() {
            return Err(self.invalid(field, format!("`{amount}` is negative")));
        }
        Ok(())
    }

    fn stage(&self) -> S {
        self.complaint.stage
    }

    fn in_stage(&self, allowed: &[S], rule: RuleId, why: &str) -> Result<(), ComplaintError> {
        if allowed.contains(&self.stage()) {
            Ok(())
        } else {
            Err(self.reject(rule, format!("its stage is `{}`; {why}", self.stage())))
        }
    }

    /// Justified and still open: the CMP-05 steps apply.
    fn justified(&self) -> Result<(), ComplaintError> {
        match self.complaint.verdict {
            Some(Verdict::Justified) => Ok(()),
            Some(Verdict::NotJustified) => Err(self.reject(
                RuleId::Cmp05,
                "it was judged not justified; it is explained to the customer instead",
            )),
            None => Err(self.reject(RuleId::Cmp05, "it is not judged yet")),
        }
    }

    /// The EST-08 check of a remedy against the current handler.
    fn remedy_within_authority(&self, remedy: Money) -> Result<(), ComplaintError> {
        let Some(handler) = self.complaint.handler() else {
            return Ok(());
        };
        let decision = self
            .policy
            .estimate()
            .authority
            .grant(handler, remedy.amount());
        match decision.outcome {
            GrantOutcome::Within => Ok(()),
            GrantOutcome::NeedsRole(role) => Err(self.reject(
                RuleId::Cmp09,
                format!(
                    "the remedy `{remedy}` is above the authority of {handler} (EST-08); escalate to {role} first"
                ),
            )),
            GrantOutcome::AboveEveryCap => Err(self.reject(
                RuleId::Cmp09,
                format!("the remedy `{remedy}` is above every role's authority (EST-08)"),
            )),
        }
    }
}

pub(super) fn decide(
    complaint: &Complaint,
    command: &ComplaintCommand,
    policy: &Policy,
) -> Decision {
    let cx = Ctx {
        complaint,
        policy,
        action: command.action(),
    };
    check_times(command).map_err(|e| cx.invalid(e.field, e.to_string()))?;
    let at = command.at();
    if let Some(closure) = &complaint.closure {
        return Err(cx.reject(
            RuleId::Cmp08,
            format!("it was closed at `{}`", closure.at()),
        ));
    }
    if let Some(last) = complaint.last_event_at {
        if at < last {
            return Err(cx.invalid(
                "at",
                format!("`{at}` is before the complaint's last recorded event at `{last}`"),
            ));
        }
    }
    use ComplaintCommand as C;
    if let C::Receive { receipt } = command {
        return receive(&cx, receipt);
    }
    let Some(receipt) = &complaint.receipt else {
        return Err(cx.reject(RuleId::Cmp17, "it is not received yet"));
    };
    // CMP-17: a health-or-safety issue is assessed before anything else.
    let safety_first = !matches!(
        command,
        C::AssessSafety { .. }
            | C::RecordFacts { .. }
            | C::Escalate { .. }
            | C::ReassignOwner { .. }
            | C::AwaitCustomer { .. }
            | C::RecordCustomerReply { .. }
    );
    if safety_first
        && complaint.facts().has_safety_issue()
        && complaint.safety_assessed_at.is_none()
    {
        return Err(cx.reject(
            RuleId::Cmp17,
            "it reports a health-or-safety issue, which is assessed before anything else",
        ));
    }
    match command {
        C::Receive { .. } => Err(cx.reject(RuleId::Cmp17, "it is already received")),
        C::AssessSafety { at, by, finding } => {
            if complaint.safety_assessed_at.is_some() {
                return Err(cx.invalid("finding", "the safety issue is already assessed"));
            }
            if !complaint.facts().has_safety_issue() {
                return Err(cx.invalid(
                    "finding",
                    "the complaint reports no safety-related fact to assess",
                ));
            }
            cx.text("finding", finding)?;
            Ok(vec![E::SafetyAssessed {
                at: *at,
                by: by.clone(),
                finding: finding.clone(),
            }])
        }
        C::Judge { at, by, verdict } => {
            cx.in_stage(&[S::Received], RuleId::Cmp05, "a complaint is judged once")?;
            Ok(vec![E::Judged {
                at: *at,
                by: by.clone(),
                verdict: *verdict,
            }])
        }
        C::Explain {
            at,
            by,
            explanation,
            answer,
        } => {
            cx.in_stage(
                &[S::NotJustified],
                RuleId::Cmp05,
                "only a complaint judged not justified is explained",
            )?;
            cx.text("explanation", explanation)?;
            Ok(vec![E::Explained {
                at: *at,
                by: by.clone(),
                explanation: explanation.clone(),
                answer: *answer,
            }])
        }
        C::Apologize { at, by } => {
            cx.justified()?;
            if complaint.apologized_at.is_some() {
                return Err(cx.invalid("at", "the apology is already recorded"));
            }
            Ok(vec![E::Apologized {
                at: *at,
                by: by.clone(),
            }])
        }
        C::FileForm { at, by } => {
            cx.justified()?;
            if complaint.form_filed_at.is_some() {
                return Err(cx.invalid("at", "the form is already filed"));
            }
            Ok(vec![E::FormFiled {
                at: *at,
                by: by.clone(),
            }])
        }
        C::ReportToGeneralManager { at, by } => {
            cx.justified()?;
            if complaint.reported_to_gm_at.is_some() {
                return Err(cx.invalid("at", "the general manager is already told"));
            }
            Ok(vec![E::ReportedToGeneralManager {
                at: *at,
                by: by.clone(),
            }])
        }
        C::Forward {
            at,
            department,
            head,
        } => {
            cx.justified()?;
            if complaint.forwarding.is_some() {
                return Err(cx.invalid("department", "the complaint is already forwarded"));
            }
            let mut missing = Vec::new();
            if complaint.apologized_at.is_none() {
                missing.push("the apology");
            }
            if complaint.form_filed_at.is_none() {
                missing.push("the complaint form");
            }
            if !missing.is_empty() {
                return Err(cx.reject(
                    RuleId::Cmp05,
                    format!("{} must come first", missing.join(" and ")),
                ));
            }
            Ok(vec![E::Forwarded {
                forwarding: Forwarding {
                    at: *at,
                    department: department.clone(),
                    head: head.clone(),
                },
            }])
        }
        C::RecordDepartmentResult { at, result } => {
            cx.justified()?;
            if complaint.forwarding.is_none() {
                return Err(cx.reject(
                    RuleId::Cmp05,
                    "the complaint was not forwarded to a department",
                ));
            }
            if complaint.department_result_at.is_some() {
                return Err(cx.invalid("result", "the department's result is already recorded"));
            }
            cx.text("result", result)?;
            Ok(vec![E::DepartmentResultRecorded {
                at: *at,
                result: result.clone(),
            }])
        }
        C::ProposeSolution { at, by, solution } => {
            cx.justified()?;
            cx.in_stage(
                &[S::InHandling],
                RuleId::Cmp06,
                "a solution is proposed while the complaint is in handling and none awaits an answer",
            )?;
            cx.text("solution.description", &solution.description)?;
            if let Some(remedy) = solution.remedy {
                cx.amount("solution.remedy", remedy)?;
                cx.remedy_within_authority(remedy)?;
            }
            Ok(vec![E::SolutionProposed {
                at: *at,
                by: by.clone(),
                solution: solution.clone(),
            }])
        }
        C::AnswerSolution { at, answer } => {
            cx.in_stage(
                &[S::SolutionProposed],
                RuleId::Cmp06,
                "no solution awaits the customer's answer",
            )?;
            Ok(vec![E::SolutionAnswered {
                at: *at,
                answer: *answer,
            }])
        }
        C::CarryOutSolution { at, by } => {
            cx.in_stage(
                &[S::SolutionAccepted],
                RuleId::Cmp08,
                "only a solution the customer accepted is carried out",
            )?;
            Ok(vec![E::SolutionCarriedOut {
                at: *at,
                by: by.clone(),
            }])
        }
        C::ConfirmSatisfaction { at, by, outcome } => {
            cx.in_stage(
                &[S::SolutionCarriedOut],
                RuleId::Cmp08,
                "satisfaction is confirmed after the solution is carried out",
            )?;
            Ok(vec![E::SatisfactionRecorded {
                at: *at,
                by: by.clone(),
                outcome: *outcome,
            }])
        }
        C::RecordLessons { at, by, lessons } => {
            cx.justified()?;
            cx.text("lessons.root_cause", &lessons.root_cause)?;
            cx.text("lessons.preventive_measure", &lessons.preventive_measure)?;
            cx.text("lessons.lesson", &lessons.lesson)?;
            Ok(vec![E::LessonsRecorded {
                at: *at,
                by: by.clone(),
                lessons: lessons.clone(),
            }])
        }
        C::RecordSecondFollowUp { at, by, outcome } => {
            cx.in_stage(
                &[S::Resolved],
                RuleId::Cmp10,
                "the second follow-up comes after the customer confirmed satisfaction",
            )?;
            if complaint.second_follow_up.is_some() {
                return Err(cx.invalid("at", "the second follow-up is already recorded"));
            }
            let window = policy.complaint().second_follow_up;
            let resolved = complaint.resolved_at.unwrap_or(*at);
            let opens = resolved
                .checked_add_signed(TimeDelta::days(i64::from(window.from_days)))
                .ok_or_else(|| cx.invalid("at", "time out of range"))?;
            if *at < opens {
                return Err(cx.reject(
                    RuleId::Cmp10,
                    format!(
                        "the second follow-up is made {}–{} days after resolution at `{resolved}`; it opens at `{opens}`",
                        window.from_days, window.to_days
                    ),
                ));
            }
            Ok(vec![E::SecondFollowUpMade {
                at: *at,
                by: by.clone(),
                outcome: *outcome,
            }])
        }
        C::RecordFacts { at, by, facts } => {
            let known = complaint.facts();
            if facts.is_subset(known) {
                return Err(cx.invalid("facts", "records no fact that is not recorded yet"));
            }
            let g = grade(
                &grade_input(receipt, known.union(*facts)),
                policy.complaint(),
            )
            .map_err(|e| cx.reject(e.rule(), "no complaint fact is recorded"))?;
            Ok(vec![E::FactsRecorded {
                at: *at,
                by: by.clone(),
                facts: *facts,
                grade: g,
            }])
        }
        C::Escalate { at, reason } => escalate(&cx, *at, *reason),
        C::AwaitCustomer { at, about } => {
            if complaint.waiting.last().is_some_and(|w| w.until.is_none()) {
                return Err(cx.invalid("at", "the dealer is already waiting on the customer"));
            }
            cx.text("about", about)?;
            Ok(vec![E::WaitingOnCustomer {
                at: *at,
                about: about.clone(),
            }])
        }
        C::RecordCustomerReply { at } => {
            if complaint.waiting.last().is_none_or(|w| w.until.is_some()) {
                return Err(cx.invalid("at", "the dealer is not waiting on the customer"));
            }
            Ok(vec![E::CustomerReplied { at: *at }])
        }
        C::ReassignOwner { at, owner } => {
            if complaint.owner.as_ref() == Some(owner) {
                return Err(cx.invalid("owner", format!("`{owner}` already owns it")));
            }
            Ok(vec![E::OwnerReassigned {
                at: *at,
                owner: owner.clone(),
            }])
        }
        C::Close { at, by } => close(&cx, *at, by),
        C::CloseUnresolved {
            at,
            by,
            role,
            reason,
        } => {
            let lowest = policy.complaint().close_unresolved_role;
            if *role < lowest {
                return Err(cx.reject(
                    RuleId::Cmp08,
                    format!(
                        "closing unresolved is a management decision of {lowest} or above, not {role}"
                    ),
                ));
            }
            cx.text("reason", reason)?;
            Ok(vec![E::ClosedUnresolved {
                at: *at,
                by: by.clone(),
                role: *role,
                reason: reason.clone(),
            }])
        }
    }
}

/// Every time a command carries, checked against the supported range
/// before any rule. [`ComplaintCommand::at`] lists one arm per command with
/// no wildcard, so a new command cannot be forgotten.
fn check_times(command: &ComplaintCommand) -> Result<(), TimeRangeError> {
    // Every complaint command carries one time, read by the exhaustive
    // `ComplaintCommand::at`; only the receipt names it differently.
    let field = match command {
        ComplaintCommand::Receive { .. } => "receipt.at",
        _ => "at",
    };
    SUPPORTED_RANGE.check(field, command.at()).map(drop)
}

fn receive(cx: &Ctx<'_>, r: &ComplaintReceipt) -> Decision {
    if cx.complaint.receipt.is_some() {
        return Err(cx.reject(RuleId::Cmp17, "it is already received"));
    }
    cx.text("receipt.description", &r.description)?;
    if r.demands.is_empty() {
        return Err(cx.reject(
            RuleId::Cmp17,
            "the customer's desired remedy is not recorded; ask the customer back",
        ));
    }
    for (i, d) in r.demands.iter().enumerate() {
        if r.demands.iter().skip(i.saturating_add(1)).any(|x| x == d) {
            return Err(cx.invalid("receipt.demands", format!("`{d}` is listed twice")));
        }
    }
    if let Some(amount) = r.remedy_amount {
        cx.amount("receipt.remedy_amount", amount)?;
    }
    if r.repeat_of.as_ref() == Some(&cx.complaint.no) {
        return Err(cx.invalid("receipt.repeat_of", "a complaint cannot repeat itself"));
    }
    let g = grade(&grade_input(r, r.facts), cx.policy.complaint()).map_err(|e| {
        cx.reject(
            e.rule(),
            "no complaint fact is recorded; ask the customer back",
        )
    })?;
    Ok(vec![E::Received {
        receipt: r.clone(),
        grade: g,
    }])
}

/// What grading needs of a received complaint, over `facts`.
fn grade_input(r: &ComplaintReceipt, facts: FactSet) -> GradeInput {
    GradeInput {
        facts,
        nature: r.nature,
        occurrence: if r.repeat_of.is_some() {
            Occurrence::Repeat
        } else {
            Occurrence::First
        },
        standing: r.standing,
    }
}

fn escalate(cx: &Ctx<'_>, at: At, reason: EscalationReason) -> Decision {
    let c = cx.complaint;
    let due = c.escalations_due_at(at, cx.policy);
    if let Some(d) = due.into_iter().find(|d| d.reason == reason) {
        return Ok(vec![E::Escalated {
            escalation: Escalation {
                at,
                reason,
                level: d.level,
                handler: d.handler,
            },
        }]);
    }
    let why = match reason {
        EscalationReason::MissedDeadline(kind) if c.escalated_for(kind) => {
            format!("the missed {kind} deadline was already escalated")
        }
        EscalationReason::MissedDeadline(kind) => {
            format!("the {kind} deadline is not missed at `{at}`")
        }
        EscalationReason::RemedyAboveAuthority => format!(
            "no requested remedy is above the authority of {} (EST-08)",
            c.handler()
                .map_or_else(|| "the handler".to_owned(), |h| h.to_string())
        ),
        EscalationReason::CustomerRejected => {
            "the customer rejected no answer since the last escalation".to_owned()
        }
    };
    if let Some(handler) = c.handler().filter(|h| h.next().is_none()) {
        return Err(cx.reject(
            RuleId::Cmp09,
            format!("it is already handled by {handler}, the most senior handler"),
        ));
    }
    Err(cx.reject(RuleId::Cmp09, why))
}

fn close(cx: &Ctx<'_>, at: At, by: &crate::ids::StaffId) -> Decision {
    let c = cx.complaint;
    match c.stage {
        S::Received => {
            return Err(cx.reject(
                RuleId::Cmp05,
                "it is not judged yet; judge it, or close it unresolved by a management decision",
            ));
        }
        S::NotJustified => {
            return Err(cx.reject(
                RuleId::Cmp05,
                "the customer has not understood the explanation; close it unresolved by a management decision instead",
            ));
        }
        S::Explained => {
            return Ok(vec![E::Closed { at, by: by.clone() }]);
        }
        _ => {}
    }
    let mut missing = Vec::new();
    if c.resolved_at.is_none() {
        missing.push("the customer's confirmed satisfaction".to_owned());
    }
    if c.reported_to_gm_at.is_none() {
        missing.push("the report to the general manager".to_owned());
    }
    if c.lessons.is_none() {
        missing.push("root cause, preventive measure and lesson".to_owned());
    }
    match c.second_follow_up {
        Some((_, Satisfaction::Satisfied)) => {}
        _ => missing.push("a satisfied second follow-up call".to_owned()),
    }
    if !missing.is_empty() {
        return Err(cx.reject(
            RuleId::Cmp08,
            format!("the closed loop lacks {}", missing.join(", ")),
        ));
    }
    Ok(vec![E::Closed { at, by: by.clone() }])
}
