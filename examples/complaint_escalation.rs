//! A complaint, told step by step: a fee dispute raised in a follow-up call
//! turns into a recurring-fault complaint (graded L3, the department
//! manager's, 72 hours), is judged justified, is forwarded to the
//! department head too late, and escalates for the missed deadline: senior
//! management takes it over with its own 24-hour response clock, while the
//! level stays L3, since lateness is not a fact of the complaint. It goes
//! through a forbidden-phrase check of the advisor's note and a third-party
//! suggestion, is solved within the new handler's clock, and is closed only
//! after the second follow-up call. Three commands are refused on the way, each
//! with the rule it would break; every decision prints its reasons as
//! `rule: fact`.
//!
//! Run it with `cargo run --example complaint_escalation`.
//!
//! The story is deterministic: every instant is written out (Beijing time,
//! November–December 2026) and the policy is the crate's default.

use std::error::Error;
use std::fmt::Write as _;

use aftersales::{
    Channel, Closure, Complaint, ComplaintCommand, ComplaintError, ComplaintEvent, ComplaintFact,
    ComplaintNo, ComplaintReceipt, CustomerAnswer, CustomerId, CustomerStanding, DeadlineKind,
    DeadlineStatus, Demand, DepartmentId, Emotion, EscalationReason, LegalDispute, Lessons, Money,
    Nature, Policy, Reason, RuleId, Satisfaction, Solution, SolutionTiming, StaffId,
    TechnicalJudgement, ThirdPartySituation, Verdict, WorkOrderNo, suggest_third_party,
};
use chrono::{DateTime, FixedOffset};

type Res<T> = Result<T, Box<dyn Error>>;
type At = DateTime<FixedOffset>;

/// An instant in the story, Beijing time (UTC+08:00).
fn at(month: u32, day: u32, hour: u32, minute: u32) -> Res<At> {
    Ok(DateTime::parse_from_rfc3339(&format!(
        "2026-{month:02}-{day:02}T{hour:02}:{minute:02}:00+08:00"
    ))?)
}

fn cny(amount: &str) -> Res<Money> {
    Ok(format!("{amount} CNY").parse()?)
}

fn staff(id: &str) -> Res<StaffId> {
    Ok(StaffId::try_new(id)?)
}

fn short(t: At) -> String {
    t.format("%m-%d %H:%M").to_string()
}

/// One line per reason, `rule: fact`.
fn reasons(out: &mut String, indent: &str, reasons: &[Reason]) -> Res<()> {
    for r in reasons {
        writeln!(out, "{indent}{}: {}", r.rule, r.fact)?;
    }
    Ok(())
}

/// What an event says, in a few words.
fn describe(event: &ComplaintEvent) -> String {
    use ComplaintEvent as E;
    match event {
        E::Received { receipt, .. } => format!(
            "received via {} ({}), customer {}",
            receipt.channel,
            receipt.channel.label_zh(),
            receipt.customer
        ),
        E::Judged { verdict, by, .. } => {
            format!("judged {} ({}) by {by}", verdict, verdict.label_zh())
        }
        E::Apologized { by, .. } => format!("apologized by {by}"),
        E::FormFiled { by, .. } => format!("complaint form filed by {by}"),
        E::ReportedToGeneralManager { by, .. } => format!("reported to the GM by {by}"),
        E::Forwarded { forwarding } => format!(
            "forwarded to {} (head {})",
            forwarding.department, forwarding.head
        ),
        E::DepartmentResultRecorded { .. } => "department result recorded".to_owned(),
        E::SolutionProposed { solution, .. } => format!(
            "solution proposed ({}), remedy {}",
            solution.timing,
            solution
                .remedy
                .map_or_else(|| "none".to_owned(), |m| m.to_string())
        ),
        E::SolutionAnswered { answer, .. } => format!("the customer {answer} the solution"),
        E::SolutionCarriedOut { by, .. } => format!("solution carried out by {by}"),
        E::SatisfactionRecorded { outcome, .. } => format!("customer {outcome}"),
        E::LessonsRecorded { .. } => "root cause, preventive measure, lesson recorded".to_owned(),
        E::SecondFollowUpMade { outcome, .. } => format!("second follow-up: customer {outcome}"),
        E::Escalated { escalation } => format!(
            "escalated ({}): handed to {} ({}), level stays {}",
            escalation.reason,
            escalation.handler,
            escalation.handler.label_zh(),
            escalation.level
        ),
        E::OwnerReassigned { owner, .. } => format!("owner is now {owner}"),
        E::Closed { by, .. } => format!("closed by {by}"),
        other => format!("{other:?}"),
    }
}

/// The complaint under way, the policy, and the transcript so far.
struct Story {
    policy: Policy,
    complaint: Complaint,
    out: String,
}

impl Story {
    fn title(&mut self, when: At, title: &str) -> Res<()> {
        writeln!(self.out, "[{}] {title}", short(when))?;
        Ok(())
    }

    /// A command that must go through: prints its events and the stage.
    fn step(&mut self, title: &str, command: ComplaintCommand) -> Res<()> {
        self.title(command.at(), title)?;
        let events = self.complaint.execute(command, &self.policy)?;
        for event in &events {
            writeln!(self.out, "    + {}", describe(event))?;
        }
        writeln!(
            self.out,
            "    = {} / {}",
            self.complaint.stage(),
            self.complaint.stage().label_zh()
        )?;
        Ok(())
    }

    /// A command that must be refused for `rule`.
    fn refused(&mut self, title: &str, command: ComplaintCommand, rule: RuleId) -> Res<()> {
        self.title(command.at(), title)?;
        match self.complaint.execute(command, &self.policy) {
            Err(err) if err.rule() == Some(rule) => {
                // The reason alone: the title says what was asked.
                let message = match &err {
                    ComplaintError::Rejected { reason, .. } => reason.clone(),
                    other => other.to_string(),
                };
                writeln!(self.out, "    REFUSED ({rule}): {message}")?;
                Ok(())
            }
            other => Err(format!("`{title}`: expected a refusal by {rule}, got {other:?}").into()),
        }
    }

    /// The note checked against the policy's forbidden phrases (CMP-14),
    /// one line per hit.
    fn forbidden_phrases(&self, note: &str) -> Vec<String> {
        let hits = self.policy.complaint().forbidden_phrases.check(note);
        if hits.is_empty() {
            return vec!["    no forbidden phrase".to_owned()];
        }
        hits.iter()
            .map(|hit| {
                let instead = hit
                    .phrase
                    .instead
                    .as_deref()
                    .map_or_else(String::new, |say| format!("\n        say instead: {say}"));
                format!(
                    "    {}: forbidden phrase 「{}」\n        from {}{instead}",
                    hit.rule,
                    hit.matched(note).unwrap_or(hit.phrase.text.as_str()),
                    hit.source(),
                )
            })
            .collect()
    }

    /// Every deadline that has started by `now`, with status and reasons.
    fn deadlines(&mut self, now: At) -> Res<()> {
        writeln!(self.out, "    deadlines at {}:", short(now))?;
        for check in self.complaint.deadlines(now, &self.policy)? {
            let status = match check.status {
                DeadlineStatus::Open => "open".to_owned(),
                DeadlineStatus::Paused => "paused".to_owned(),
                DeadlineStatus::Met { at } => format!("met at {}", short(at)),
                DeadlineStatus::Missed { done_at: Some(at) } => {
                    format!("MISSED, done late at {}", short(at))
                }
                DeadlineStatus::Missed { done_at: None } => "MISSED, not done".to_owned(),
            };
            let due = check.due_by.map_or_else(|| "-".to_owned(), short);
            writeln!(self.out, "      {} — due {due}: {status}", check.kind)?;
            reasons(&mut self.out, "          ", &check.reasons)?;
        }
        Ok(())
    }
}

/// Runs the story and returns what it prints.
pub fn transcript() -> Res<String> {
    let policy = Policy::default();
    let no = ComplaintNo::try_new("CMP-2026-1127-003")?;
    let mut story = Story {
        policy,
        complaint: Complaint::new(no),
        out: String::new(),
    };

    // The people.
    let caller = staff("CR-05 刘婷")?; // follow-up specialist, complaint owner
    let cr_manager = staff("CR-01 周经理")?; // customer-relations manager
    let after_sales_head = staff("AS-01 马经理")?; // after-sales department head
    let director = staff("GM-02 孙总")?; // after-sales director (senior management)
    let foreman = staff("T-03 王师傅")?; // workshop foreman

    writeln!(
        story.out,
        "Complaint {} — a follow-up call that turns into an escalated complaint",
        story.complaint.no()
    )?;
    writeln!(story.out)?;

    // 1. The follow-up call.
    let received = at(11, 27, 10, 10)?;
    let receipt = ComplaintReceipt {
        at: received,
        customer: CustomerId::try_new("C-88107")?,
        channel: Channel::FollowUpCall,
        description: "Follow-up call on WO-2026-1124-021: Ms Chen disputes the 460 CNY \
                      diagnosis fee for a dashboard rattle, and says the same rattle is back \
                      for the second time since the repair of 5 November."
            .into(),
        demands: vec![Demand::FreeRepair, Demand::Compensation],
        remedy_amount: Some(cny("1500")?),
        emotion: Emotion::Angry,
        facts: [ComplaintFact::FeeDispute, ComplaintFact::RecurringFault].into(),
        nature: Nature::General,
        repeat_of: None,
        standing: CustomerStanding::Regular,
        owner: caller.clone(),
        order: Some(WorkOrderNo::try_new("WO-2026-1124-021")?),
    };
    story.step(
        "Follow-up call: a disputed fee, then \"the rattle is back, a second time\"",
        ComplaintCommand::Receive { receipt },
    )?;
    let receipt = story.complaint.receipt().ok_or("receipt")?;
    let facts = receipt.facts;
    let demands: Vec<&str> = receipt.demands.iter().map(|d| d.label_en()).collect();
    writeln!(
        story.out,
        "    facts: {facts}; emotion {} ({}); demands {} for {}",
        receipt.emotion,
        receipt.emotion.label_zh(),
        demands.join(" + "),
        receipt
            .remedy_amount
            .map_or_else(|| "-".to_owned(), |m| m.to_string())
    )?;
    let grade = *story.complaint.grade().ok_or("grade")?;
    writeln!(
        story.out,
        "    grade: {} {}, handled by {} ({}), first response within {} h",
        grade.level,
        grade.level.label_zh(),
        grade.handler,
        grade.handler.label_zh(),
        grade.response_hours
    )?;
    reasons(&mut story.out, "        ", &grade.reasons())?;

    // 2. Closing the call as "handled" is refused.
    story.refused(
        "The specialist tries to close it as handled in the call",
        ComplaintCommand::Close {
            at: at(11, 27, 10, 12)?,
            by: caller.clone(),
        },
        RuleId::Cmp05,
    )?;

    // 3. Justified; the CMP-05 steps, the forwarding done late.
    story.step(
        "The CR manager judges it justified: same rattle, fee charged on a comeback",
        ComplaintCommand::Judge {
            at: at(11, 27, 10, 40)?,
            by: cr_manager.clone(),
            verdict: Verdict::Justified,
        },
    )?;
    story.refused(
        "The specialist forwards her call notes to the service department at once",
        ComplaintCommand::Forward {
            at: at(11, 27, 10, 42)?,
            department: DepartmentId::try_new("after-sales")?,
            head: after_sales_head.clone(),
        },
        RuleId::Cmp05,
    )?;
    story.step(
        "Call-back: apology to Ms Chen",
        ComplaintCommand::Apologize {
            at: at(11, 27, 10, 45)?,
            by: caller.clone(),
        },
    )?;
    story.step(
        "Urgent complaint contact form filled in (表6 紧急投诉应对联络表, CMP-07)",
        ComplaintCommand::FileForm {
            at: at(11, 27, 10, 55)?,
            by: caller.clone(),
        },
    )?;
    story.step(
        "Reported to the general manager",
        ComplaintCommand::ReportToGeneralManager {
            at: at(11, 27, 11, 0)?,
            by: cr_manager.clone(),
        },
    )?;
    story.step(
        "The after-sales head was on a road test: the form reaches him only now",
        ComplaintCommand::Forward {
            at: at(11, 27, 11, 25)?,
            department: DepartmentId::try_new("after-sales")?,
            head: after_sales_head.clone(),
        },
    )?;
    let check = at(11, 27, 11, 30)?;
    story.title(check, "Deadline review")?;
    story.deadlines(check)?;
    let due = story.complaint.escalations_due(check, &story.policy)?;
    writeln!(story.out, "    escalations due:")?;
    for d in &due {
        writeln!(
            story.out,
            "      {}: {} ({}) -> {} ({}), level stays {}",
            d.reason,
            d.from_handler,
            d.from_handler.label_zh(),
            d.handler,
            d.handler.label_zh(),
            d.level
        )?;
        reasons(&mut story.out, "          ", &d.reasons)?;
    }
    story.step(
        "Escalated for the missed forwarding deadline (CMP-09)",
        ComplaintCommand::Escalate {
            at: check,
            reason: EscalationReason::MissedDeadline(DeadlineKind::Forwarding),
        },
    )?;
    let level = story.complaint.level().ok_or("level")?;
    let handler = story.complaint.handler().ok_or("handler")?;
    writeln!(
        story.out,
        "    still {level} {}, now handled by {handler} ({})",
        level.label_zh(),
        handler.label_zh()
    )?;
    story.step(
        "The after-sales director takes the complaint over",
        ComplaintCommand::ReassignOwner {
            at: at(11, 27, 11, 40)?,
            owner: director.clone(),
        },
    )?;

    // 4. The advisor's note and the disputed diagnosis.
    let noted = at(11, 27, 15, 0)?;
    story.title(
        noted,
        "The advisor's note on the rattle is checked (CMP-14)",
    )?;
    let note = "客户说异响又出现了。我告诉她：绝对不可能有这种事发生，诊断费是公司的规定就是这样。\
                她又打来时我说：喂，我也没办法，刚才线路忙啊！";
    writeln!(story.out, "    note: {note}")?;
    for hit in story.forbidden_phrases(note) {
        writeln!(story.out, "{hit}")?;
    }
    let situation = ThirdPartySituation {
        technical_judgement: TechnicalJudgement::Disputed,
        talks_without_progress: 1,
        legal_dispute: LegalDispute::Unlikely,
    };
    story.title(
        at(11, 27, 16, 0)?,
        "Foreman: \"normal trim noise\"; Ms Chen disagrees (CMP-13)",
    )?;
    match suggest_third_party(&situation, &story.policy.complaint().third_party) {
        Some(suggestion) => {
            for party in &suggestion.parties {
                writeln!(
                    story.out,
                    "    propose {} ({}): {}",
                    party.label_en(),
                    party.label_zh(),
                    party.role_en()
                )?;
            }
            reasons(&mut story.out, "        ", &suggestion.reasons)?;
        }
        None => writeln!(story.out, "    no third party is called for")?,
    }

    // 5. Result, solution, execution, satisfaction, lessons.
    story.step(
        "Department result, with the manufacturer's field engineer",
        ComplaintCommand::RecordDepartmentResult {
            at: at(11, 28, 9, 0)?,
            result: "Rattle traced to a wiring-harness clip behind the glovebox left loose \
                     on 5 November; the diagnosis fee on the comeback was charged in error."
                .into(),
        },
    )?;
    let remedy = cny("1500")?;
    let handler = story.complaint.handler().ok_or("handler")?;
    let grant = story
        .policy
        .estimate()
        .authority
        .grant(handler, remedy.amount());
    story.step(
        "Free repair, 460 CNY refund and 1,040 CNY compensation offered",
        ComplaintCommand::ProposeSolution {
            at: at(11, 28, 9, 40)?,
            by: director.clone(),
            solution: Solution {
                description: "refit the harness clip and trim clips free of charge; refund the \
                              460 CNY diagnosis fee; 1,040 CNY compensation for the wasted visits"
                    .into(),
                remedy: Some(remedy),
                timing: SolutionTiming::Later,
            },
        },
    )?;
    writeln!(story.out, "    the remedy against the handler's authority:")?;
    reasons(&mut story.out, "        ", &grant.reasons)?;
    story.step(
        "Ms Chen accepts",
        ComplaintCommand::AnswerSolution {
            at: at(11, 28, 10, 5)?,
            answer: CustomerAnswer::Accepted,
        },
    )?;
    story.step(
        "Clip refitted, road-tested with the customer, refund paid",
        ComplaintCommand::CarryOutSolution {
            at: at(11, 30, 15, 0)?,
            by: foreman.clone(),
        },
    )?;
    story.step(
        "Ms Chen confirms she is satisfied",
        ComplaintCommand::ConfirmSatisfaction {
            at: at(11, 30, 17, 30)?,
            by: caller.clone(),
            outcome: Satisfaction::Satisfied,
        },
    )?;
    story.step(
        "Closed loop: root cause, preventive measure, lesson (CMP-08)",
        ComplaintCommand::RecordLessons {
            at: at(12, 1, 9, 0)?,
            by: after_sales_head.clone(),
            lessons: Lessons {
                root_cause: "clip not refitted after dashboard work; two rattle visits \
                             checked only the door trims"
                    .into(),
                preventive_measure: "tug-test every clip after dashboard work; a repeat \
                                     noise is road-tested with the foreman"
                    .into(),
                lesson: "no diagnosis fee on a comeback; shared at the workshop meeting".into(),
            },
        },
    )?;
    if let Some(lessons) = story.complaint.lessons() {
        writeln!(story.out, "    root cause: {}", lessons.root_cause)?;
        writeln!(story.out, "    prevention: {}", lessons.preventive_measure)?;
        writeln!(story.out, "    lesson:     {}", lessons.lesson)?;
    }

    // 6. Closing waits for the second follow-up.
    story.refused(
        "The director wants it closed before the second follow-up",
        ComplaintCommand::Close {
            at: at(12, 2, 10, 0)?,
            by: director.clone(),
        },
        RuleId::Cmp08,
    )?;
    story.step(
        "Second follow-up call, day 8 after resolution (CMP-10)",
        ComplaintCommand::RecordSecondFollowUp {
            at: at(12, 8, 10, 0)?,
            by: caller.clone(),
            outcome: Satisfaction::Satisfied,
        },
    )?;
    story.step(
        "Closed",
        ComplaintCommand::Close {
            at: at(12, 8, 10, 30)?,
            by: director.clone(),
        },
    )?;
    let end = at(12, 8, 10, 30)?;
    story.deadlines(end)?;

    let c = &story.complaint;
    let level = c.level().ok_or("level")?;
    let closure = match c.closure() {
        Some(Closure::Resolved { at, by }) => format!("resolved, closed {} by {by}", short(*at)),
        Some(other) => format!("{other:?}"),
        None => "open".to_owned(),
    };
    let mut out = story.out.clone();
    writeln!(out)?;
    writeln!(out, "Final state of {}:", c.no())?;
    writeln!(
        out,
        "    stage:    {} / {}",
        c.stage(),
        c.stage().label_zh()
    )?;
    writeln!(
        out,
        "    level:    {level} {} (graded {} on receipt; escalations do not change it)",
        level.label_zh(),
        grade.level,
    )?;
    let handler = c.handler().ok_or("handler")?;
    writeln!(
        out,
        "    handler:  {handler} ({}) after {} escalation; owner {}",
        handler.label_zh(),
        c.escalations().len(),
        c.owner().ok_or("owner")?
    )?;
    writeln!(out, "    closure:  {closure}")?;
    Ok(out)
}

#[allow(dead_code)] // unused if a test includes this file as a module
fn main() -> Res<()> {
    print!("{}", transcript()?);
    Ok(())
}
