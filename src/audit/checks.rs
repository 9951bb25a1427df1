//! The audit's checks, one function per kind of log.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::{ComplaintLog, Finding, Handover, Journey, LogProblem, OrderLog, Subject, TaskLog};
use crate::complaint::{Complaint, DeadlineStatus};
use crate::follow_up::FollowUpTask;
use crate::hash::FnvMap;
use crate::ids::{StaffId, WorkOrderNo};
use crate::policy::Policy;
use crate::rule::RuleId;
use crate::work_order::{NoticeTiming, Stage, WorkOrder, WorkOrderEvent};

type At = DateTime<FixedOffset>;

/// Every check of one journey.
pub(super) fn journey(
    journey: &Journey,
    at: At,
    policy: &Policy,
    out: &mut Vec<Finding>,
    problems: &mut Vec<LogProblem>,
) {
    let tasks: Vec<FollowUpTask> = journey
        .tasks
        .iter()
        .map(|log| FollowUpTask::replay(log.no.clone(), &log.events))
        .collect();
    for log in &journey.orders {
        if out_of_range(log, problems) {
            continue;
        }
        let state = order(log, &tasks, at, policy, out);
        handover(log, &state, &journey.handovers, at, policy, out);
        if log.imported {
            imported(log, policy, out, problems);
        }
    }
    for (log, task) in journey.tasks.iter().zip(&tasks) {
        follow_up(log, task, at, out);
    }
    for log in &journey.complaints {
        complaint(log, at, policy, out);
    }
}

/// Reports each event of `log` whose time lies outside the supported
/// range, and whether there was one. No command accepts such a time, so a
/// log written by this crate was altered after it was written, and an
/// imported one was never checked; either way its other findings would
/// rest on impossible times, so the log is not audited further.
pub(super) fn out_of_range(log: &OrderLog, problems: &mut Vec<LogProblem>) -> bool {
    let mut any = false;
    for (index, event) in log.events.iter().enumerate() {
        let at = event.at();
        if let Err(error) = crate::time::SUPPORTED_RANGE.check("at", at) {
            any = true;
            problems.push(LogProblem {
                order: log.no.clone(),
                index,
                event: event.name().to_owned(),
                at: crate::time::is_representable(at).then_some(at),
                message: error.to_string(),
            });
        }
    }
    any
}

/// FU-10: the repair documents of a delivered order reach customer
/// relations inside the hand-over window.
fn handover(
    log: &OrderLog,
    order: &WorkOrder,
    handovers: &[Handover],
    at: At,
    policy: &Policy,
    out: &mut Vec<Finding>,
) {
    // The window the FU-10 plan gives a service delivery, without building
    // the plan.
    let Some(delivered) = order.delivery().map(|d| d.at) else {
        return;
    };
    let fu = policy.follow_up();
    let Ok(Some(window)) = fu.handover_after_service.after(delivered, &fu.calendar) else {
        return;
    };
    let first = handovers
        .iter()
        .filter(|h| h.order == log.no)
        .map(|h| h.at)
        .min();
    let (advisor, team) = owners(order);
    let late = |when: Option<At>| {
        let (en, zh) = match when {
            Some(t) => (
                format!("repair documents handed to customer relations at {t}, after the window"),
                "维修资料移交客服晚于规定时间".to_owned(),
            ),
            None => (
                "repair documents not handed to customer relations".to_owned(),
                "维修资料未移交客服".to_owned(),
            ),
        };
        Finding::new(
            RuleId::Fu10,
            Subject::Order(log.no.clone()),
            Some(window.closes_at),
            en,
            zh,
        )
        .fact(format!(
            "FU-10: hand-over window {} – {}",
            window.opens_at, window.closes_at
        ))
        .against(advisor, team)
    };
    match first {
        Some(t) if t >= window.closes_at => out.push(late(Some(t))),
        None if at >= window.closes_at => out.push(late(None)),
        _ => {}
    }
}

/// Every step of an imported log that a guard would have refused.
fn imported(
    log: &OrderLog,
    policy: &Policy,
    out: &mut Vec<Finding>,
    problems: &mut Vec<LogProblem>,
) {
    let order = WorkOrder::replay(log.no.clone(), &log.events);
    let (advisor, team) = owners(&order);
    for breach in crate::work_order::recheck(&log.no, &log.events, policy) {
        match breach.rule {
            Some(rule) => out.push(
                Finding::new(
                    rule,
                    Subject::Order(log.no.clone()),
                    breach.at,
                    format!(
                        "imported log: `{}` (#{}) would have been refused",
                        breach.event, breach.index
                    ),
                    format!(
                        "导入的记录未经规则校验：第{}条 `{}` 本应被拒绝",
                        breach.index, breach.event
                    ),
                )
                .fact(breach.message)
                .against(advisor, team),
            ),
            None => problems.push(LogProblem {
                order: log.no.clone(),
                index: breach.index,
                event: breach.event.to_owned(),
                at: breach.at.filter(|at| crate::time::is_representable(*at)),
                message: breach.message,
            }),
        }
    }
}

/// The order's advisor and team, for counting findings against them.
fn owners(order: &WorkOrder) -> (Option<&StaffId>, Option<&crate::ids::TeamId>) {
    (
        order.reception().map(|r| &r.advisor),
        order.dispatch().and_then(|d| d.team.as_ref()),
    )
}

/// WO-12, WO-15, WO-16, WO-24 and FU-01 over one order's log.
fn order(
    log: &OrderLog,
    tasks: &[FollowUpTask],
    at: At,
    policy: &Policy,
    out: &mut Vec<Finding>,
) -> WorkOrder {
    let mut state = WorkOrder::new(log.no.clone());
    let subject = || Subject::Order(log.no.clone());
    let mut open_batches: BTreeSet<u16> = BTreeSet::new();
    let mut found: Vec<Finding> = Vec::new();
    for event in &log.events {
        match event {
            WorkOrderEvent::VehicleReceived { reception } => {
                if let Some(earlier) = &reception.comeback_of {
                    found.push(
                        Finding::new(
                            RuleId::Wo24,
                            subject(),
                            Some(reception.at),
                            format!("comeback of order {earlier} (rework)"),
                            format!("返修：为工单 {earlier} 的返修"),
                        )
                        .fact(format!(
                            "received {} as a comeback of {earlier}",
                            reception.at
                        )),
                    );
                }
            }
            WorkOrderEvent::AddOnsProposed { at: t, batch, .. } => {
                if !open_batches.is_empty() {
                    let open: Vec<String> = open_batches.iter().map(u16::to_string).collect();
                    found.push(
                        Finding::new(
                            RuleId::Wo12,
                            subject(),
                            Some(*t),
                            format!(
                                "add-on batch {batch} presented while batch {} was still unanswered",
                                open.join(", ")
                            ),
                            format!("增项第{batch}批在前一批未答复时另行提出，未一次性沟通"),
                        )
                        .fact(format!("batch {batch} proposed {t}")),
                    );
                }
                open_batches.insert(*batch);
            }
            WorkOrderEvent::AddOnsAnswered { batch, .. } => {
                open_batches.remove(batch);
            }
            WorkOrderEvent::RepairFinished { at: t } => {
                missed_progress(
                    &state,
                    *t,
                    "the repair finished",
                    &subject,
                    &mut found,
                    policy,
                );
            }
            WorkOrderEvent::PromiseRevised {
                at: t,
                previous,
                new_promise,
                notice: NoticeTiming::AfterPromise,
                ..
            } => found.push(
                Finding::new(
                    RuleId::Wo16,
                    subject(),
                    Some(*t),
                    format!(
                        "the customer was told of the delay only after the promised time {previous}"
                    ),
                    format!("交车时间延误，未在承诺时间 {previous} 前告知客户"),
                )
                .fact(format!(
                    "promise {previous} revised to {new_promise} at {t}"
                )),
            ),
            WorkOrderEvent::VehicleDelivered { at: t, .. } => {
                if let Some(promise) = state.promised_delivery() {
                    if *t > promise {
                        found.push(
                            Finding::new(
                                RuleId::Wo16,
                                subject(),
                                Some(*t),
                                format!("delivered at {t}, after the promised {promise} with no new time agreed"),
                                format!("交车晚于承诺时间 {promise}，且未约定新的交车时间"),
                            )
                            .fact(format!("promised {promise}, delivered {t}")),
                        );
                    }
                }
            }
            _ => {}
        }
        state.apply(event);
    }
    // Still in repair: checkpoints whose promise has passed.
    if matches!(
        state.stage(),
        Stage::InRepair | Stage::AwaitingAddOnAuthorization
    ) && state.promised_delivery().is_some_and(|p| at > p)
    {
        missed_progress(
            &state,
            at,
            "the promised time passed",
            &subject,
            &mut found,
            policy,
        );
    }
    // Delivered and not closed: the follow-up window.
    if state.stage() == Stage::Delivered {
        let window = state.follow_up_window(policy);
        let closed = window.is_some_and(|w| at >= w.closes_at);
        let followed = || {
            tasks.iter().any(|t| {
                t.status().is_final()
                    && t.delivery()
                        .and_then(|d| d.order.as_ref())
                        .is_some_and(|no| no == &log.no)
            })
        };
        if let (Some(w), true) = (window, closed) {
            if !followed() {
                let rule = policy.follow_up().after_sales_window;
                found.push(
                    Finding::new(
                        RuleId::Fu01,
                        subject(),
                        Some(w.closes_at),
                        "the follow-up window closed without a finished follow-up".to_owned(),
                        "回访时间窗已过，未完成回访".to_owned(),
                    )
                    .fact(format!(
                        "FU-01: call on {rule} after delivery: {} – {}",
                        w.opens_at, w.closes_at
                    )),
                );
            }
        }
    }
    let (advisor, team) = owners(&state);
    out.extend(found.into_iter().map(|f| f.against(advisor, team)));
    state
}

/// WO-15: the progress checkpoints that had come by `when` and were not
/// recorded.
fn missed_progress(
    state: &WorkOrder,
    when: At,
    ended: &str,
    subject: &dyn Fn() -> Subject,
    out: &mut Vec<Finding>,
    policy: &Policy,
) {
    let Some(plan) = state.progress_times(policy) else {
        return;
    };
    for (checkpoint, due) in plan {
        let Some(due) = due else { continue };
        if due > when
            || state
                .progress_checks()
                .iter()
                .any(|p| p.checkpoint == checkpoint)
        {
            continue;
        }
        let reason = state.progress_reason(checkpoint, policy);
        out.push(
            Finding::new(
                RuleId::Wo15,
                subject(),
                Some(due),
                format!("progress check {checkpoint:?} was not recorded before {ended}"),
                format!("未按时跟踪作业进度（{}）", checkpoint_zh(checkpoint)),
            )
            .fact(format!("{}: {}", reason.rule, reason.fact)),
        );
    }
}

fn checkpoint_zh(checkpoint: crate::work_order::Checkpoint) -> &'static str {
    use crate::work_order::Checkpoint as C;
    match checkpoint {
        C::AfterStart => "开工后首次检查",
        C::Midway => "作业时间过半",
        C::BeforeCompletion => "预计完工前",
    }
}

/// FU-12 and FU-01 over one follow-up task.
fn follow_up(log: &TaskLog, task: &FollowUpTask, at: At, out: &mut Vec<Finding>) {
    let subject = || Subject::Task(log.no.clone());
    for pf in task.process_findings() {
        let q = pf.question;
        out.push(
            Finding::new(
                RuleId::Fu12,
                subject(),
                Some(pf.at),
                format!("{} answered \"no\": {}", q.id(), q.text_en()),
                format!("{} 回答“否”：{}", q.id(), q.text_zh()),
            )
            .fact(format!("checks {}", pf.checks))
            .fact(match &pf.order {
                Some(no) => format!("order {no}"),
                None => "new-car delivery".to_owned(),
            })
            .against(Some(&pf.against), None),
        );
    }
    if let (Some(planned), false) = (task.planned(), task.status().is_final()) {
        if at >= planned.window.closes_at && task.status() != crate::follow_up::TaskStatus::New {
            out.push(
                Finding::new(
                    RuleId::Fu01,
                    subject(),
                    Some(planned.window.closes_at),
                    "the follow-up window closed and the task is still open".to_owned(),
                    "回访时间窗已过，回访任务仍未关闭".to_owned(),
                )
                .fact(format!(
                    "window {} – {}, {} calls made",
                    planned.window.opens_at,
                    planned.window.closes_at,
                    task.calls()
                ))
                .against(task.delivery().map(|d| &d.staff), None),
            );
        }
    }
}

/// CMP deadlines and CMP-09 repeats over one complaint.
fn complaint(log: &ComplaintLog, at: At, policy: &Policy, out: &mut Vec<Finding>) {
    let c = Complaint::replay(log.no.clone(), &log.events);
    let subject = || Subject::Complaint(log.no.clone());
    let owner = c.owner().cloned();
    for dl in c.deadlines_at(at, policy) {
        let DeadlineStatus::Missed { done_at } = dl.status else {
            continue;
        };
        let done = match done_at {
            Some(d) => format!("done {d}"),
            None => "not done".to_owned(),
        };
        let mut f = Finding::new(
            dl.rule,
            subject(),
            dl.due_by,
            format!("the {} deadline was missed ({done})", dl.kind.label_en()),
            format!("{}超时", dl.kind.label_zh()),
        );
        for reason in &dl.reasons {
            f = f.fact(format!("{}: {}", reason.rule, reason.fact));
        }
        out.push(f.against(owner.as_ref(), None));
    }
    if let Some(receipt) = c.receipt() {
        if let Some(earlier) = &receipt.repeat_of {
            out.push(
                Finding::new(
                    RuleId::Cmp09,
                    subject(),
                    Some(receipt.at),
                    format!("repeat complaint on the matter of {earlier}"),
                    format!("重复投诉：与投诉 {earlier} 为同一事项"),
                )
                .against(owner.as_ref(), None),
            );
        }
    }
}

/// Receptions per advisor and local day, over many journeys (SAT-09),
/// borrowed from the journeys.
#[derive(Debug, Default)]
pub(super) struct Workload<'a> {
    received: FnvMap<(&'a StaffId, NaiveDate), Vec<&'a WorkOrderNo>>,
}

impl<'a> Workload<'a> {
    /// Counts the receptions of the journey's logs whose times all lie in
    /// the supported range; [`journey`] reports the others as log
    /// problems. Inside the range a local day always exists, so the
    /// `else` below never skips a reception it was given.
    pub(super) fn add(&mut self, journey: &'a Journey, policy: &Policy) {
        let offset = policy.follow_up().calendar.offset();
        let in_range = |log: &&OrderLog| {
            log.events
                .iter()
                .all(|e| crate::time::SUPPORTED_RANGE.contains(e.at()))
        };
        for log in journey.orders.iter().filter(in_range) {
            for event in &log.events {
                if let WorkOrderEvent::VehicleReceived { reception } = event {
                    let Some(day) = crate::time::local_date(reception.at, offset) else {
                        continue;
                    };
                    self.received
                        .entry((&reception.advisor, day))
                        .or_default()
                        .push(&log.no);
                }
            }
        }
    }

    pub(super) fn findings(&self, policy: &Policy, out: &mut Vec<Finding>) {
        let limit = policy.satisfaction().workload.max_per_day;
        for ((advisor, day), orders) in &self.received {
            let n = u32::try_from(orders.len()).unwrap_or(u32::MAX);
            if n > limit {
                let mut sorted = orders.clone();
                sorted.sort();
                let list: Vec<String> = sorted.iter().map(ToString::to_string).collect();
                out.push(
                    Finding::new(
                        RuleId::Sat09,
                        Subject::AdvisorDay((*advisor).clone(), *day),
                        None,
                        format!("{n} vehicles received in a day, above {limit}"),
                        format!("日接车 {n} 台，超过 {limit} 台"),
                    )
                    .against(Some(advisor), None)
                    .fact(format!("orders {}", list.join(", "))),
                );
            }
        }
    }
}
