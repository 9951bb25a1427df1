//! Property tests for every aggregate (issue 15): arbitrary command
//! sequences on a [`WorkOrder`], a [`Complaint`], a [`FollowUpTask`] and a
//! [`CustomerFile`], with times drawn across the whole supported range
//! (1900-01-01 to 9999-12-31 UTC, some just outside it) and offsets from
//! −14 h to +14 h. For each run:
//!
//! (a) no command panics (each step runs under `catch_unwind`; the panics
//!     are counted and must be none);
//! (b) every event the crate emitted serializes to JSON and loads back
//!     equal;
//! (c) replaying the loaded events gives the live aggregate (events are
//!     the stored truth: an aggregate does not deserialize);
//! (d) the live aggregate serializes (as the read model a DMS shows).
//!
//! The work order and the complaint reuse the command generators of the
//! model tests (`model.rs`, `complaint.rs`), started at the drawn instant.

use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};

use aftersales::time::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};
use aftersales::{
    Amendment, CCard, CallOutcome, Complaint, CustomerFile, CustomerFileCommand, Delivery,
    DeliveryFact, DeliveryFacts, DeliveryKind, FollowUpCommand, FollowUpTask, InvalidNumberReason,
    Km, NotReachedReason, Policy, Questionnaire, RatioSampler, Score, SmsReply, TaskKind, Visit,
    VisitKind, Voiced, WorkOrder, plan_follow_up,
};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;

type At = DateTime<FixedOffset>;

// ---------------------------------------------------------------------------
// Times across the supported range
// ---------------------------------------------------------------------------

fn first_second() -> i64 {
    NaiveDate::from_ymd_opt(FIRST_SUPPORTED_YEAR, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

fn last_second() -> i64 {
    NaiveDate::from_ymd_opt(LAST_SUPPORTED_YEAR, 12, 31)
        .unwrap()
        .and_hms_opt(23, 59, 59)
        .unwrap()
        .and_utc()
        .timestamp()
}

const DAY: i64 = 24 * 60 * 60;

/// A UTC second: anywhere in the supported range, near either end, or
/// just outside it.
fn second() -> impl Strategy<Value = i64> {
    let (lo, hi) = (first_second(), last_second());
    prop_oneof![
        6 => lo..=hi,
        2 => lo..lo + 60 * DAY,
        2 => hi - 60 * DAY..=hi,
        1 => lo - 3 * DAY..lo,
        1 => hi + 1..=hi + 3 * DAY,
    ]
}

/// An offset from −14 h to +14 h, in quarter hours.
fn offset() -> impl Strategy<Value = FixedOffset> {
    (-56i32..=56).prop_map(|q| FixedOffset::east_opt(q * 15 * 60).unwrap())
}

fn instant_at(second: i64, offset: FixedOffset) -> At {
    let utc = DateTime::from_timestamp(second, 0).unwrap().naive_utc();
    offset.from_utc_datetime(&utc)
}

fn instant() -> impl Strategy<Value = At> {
    (second(), offset()).prop_map(|(s, o)| instant_at(s, o))
}

/// A day across the supported range (and just outside it), for the
/// customer file, whose commands are dated by day.
fn day() -> impl Strategy<Value = NaiveDate> {
    second().prop_map(|s| DateTime::from_timestamp(s, 0).unwrap().naive_utc().date())
}

// ---------------------------------------------------------------------------
// The four checks
// ---------------------------------------------------------------------------

/// What a panic said.
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".to_owned())
}

/// Runs `f`, turning a panic into its message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|p| message(p.as_ref()))
}

/// One run of an aggregate: the live state, the events it emitted, and
/// the panics met on the way (what was being done, and the message).
struct Run<A, E> {
    live: A,
    log: Vec<E>,
    panics: Vec<String>,
}

impl<A, E> Run<A, E> {
    fn new(live: A) -> Self {
        Run {
            live,
            log: Vec::new(),
            panics: Vec::new(),
        }
    }

    /// Executes one step under `catch_unwind`: a panic is counted and ends
    /// the run (the aggregate may be half changed); a refusal changes
    /// nothing; accepted events are kept.
    fn step<Err>(
        &mut self,
        what: impl Debug,
        f: impl FnOnce(&mut A) -> Result<Vec<E>, Err>,
    ) -> bool {
        match guarded(|| f(&mut self.live)) {
            Ok(Ok(events)) => {
                self.log.extend(events);
                true
            }
            Ok(Err(_)) => true,
            Err(panic) => {
                self.panics.push(format!("{what:?}: {panic}"));
                false
            }
        }
    }
}

/// (a) to (d) for one run; `replay` rebuilds the aggregate from a log.
fn check<A, E>(run: &Run<A, E>, replay: impl Fn(&[E]) -> A) -> Result<(), TestCaseError>
where
    A: Serialize + PartialEq + Debug,
    E: Serialize + DeserializeOwned + PartialEq + Debug,
{
    // (a) nothing panicked.
    prop_assert!(
        run.panics.is_empty(),
        "{} panic(s), the first: {}",
        run.panics.len(),
        run.panics[0]
    );
    // (b) every event round-trips through JSON.
    let mut back = Vec::with_capacity(run.log.len());
    for event in &run.log {
        let json = guarded(|| serde_json::to_string(event));
        let json = match json {
            Ok(Ok(json)) => json,
            Ok(Err(e)) => return Err(TestCaseError::fail(format!("{event:?}: {e}"))),
            Err(panic) => {
                return Err(TestCaseError::fail(format!(
                    "serializing {event:?} panicked: {panic}"
                )));
            }
        };
        let loaded = serde_json::from_str::<E>(&json);
        prop_assert!(loaded.is_ok(), "{} does not load: {:?}", json, loaded);
        let loaded = loaded.unwrap();
        prop_assert_eq!(&loaded, event, "{}", json);
        back.push(loaded);
    }
    // (c) the loaded log replays to the live aggregate.
    let replayed = guarded(|| replay(&back));
    prop_assert!(replayed.is_ok(), "replay panicked: {:?}", replayed.err());
    prop_assert_eq!(&replayed.unwrap(), &run.live);
    // (d) the live aggregate serializes.
    let shown = guarded(|| serde_json::to_string(&run.live));
    prop_assert!(
        matches!(shown, Ok(Ok(_))),
        "the live aggregate does not serialize: {:?}",
        shown
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Work orders: the model test's commands, from any start
// ---------------------------------------------------------------------------

fn work_order_run(
    policy: Policy,
    start: At,
    ops: &[crate::model::Op],
) -> Run<WorkOrder, aftersales::WorkOrderEvent> {
    let mut sim = crate::model::Sim::starting_at(policy, start);
    let mut run = Run::new(sim.order.clone());
    for op in ops {
        // Building the command reads the order (totals, bays, promises):
        // a panic there is the crate's too.
        let command = match guarded(|| sim.next_command(*op).0) {
            Ok(command) => command,
            Err(panic) => {
                run.panics
                    .push(format!("building a command from {op:?}: {panic}"));
                break;
            }
        };
        let policy = &sim.policy;
        if !run.step(&command, |order| order.execute(command.clone(), policy)) {
            break;
        }
        sim.order = run.live.clone();
        sim.log.clone_from(&run.log);
    }
    run
}

// ---------------------------------------------------------------------------
// Complaints: the complaint model's commands, from any start
// ---------------------------------------------------------------------------

fn complaint_run(
    policy: Policy,
    start: At,
    ops: &[crate::complaint::Op],
) -> Run<Complaint, aftersales::ComplaintEvent> {
    let mut sim = crate::complaint::Sim::starting_at(policy, start);
    let mut run = Run::new(sim.complaint.clone());
    for op in ops {
        // Building the command asks for the escalations due: on a
        // business-hours clock that is the clock's arithmetic.
        let command = match guarded(|| sim.next_command(*op)) {
            Ok(command) => command,
            Err(panic) => {
                run.panics
                    .push(format!("building a command from {op:?}: {panic}"));
                break;
            }
        };
        let policy = &sim.policy;
        if !run.step(&command, |c| c.execute(command.clone(), policy)) {
            break;
        }
        sim.complaint = run.live.clone();
        sim.log.clone_from(&run.log);
    }
    run
}

// ---------------------------------------------------------------------------
// Follow-up tasks
// ---------------------------------------------------------------------------

/// One follow-up step: which command, a selector, and how many minutes
/// pass before it.
#[derive(Debug, Clone, Copy)]
struct FuOp {
    kind: u8,
    sel: u8,
    minutes: u16,
}

fn fu_ops() -> impl Strategy<Value = Vec<FuOp>> {
    prop::collection::vec(
        (0u8..10, any::<u8>(), 0u16..3 * 24 * 60).prop_map(|(kind, sel, minutes)| FuOp {
            kind,
            sel,
            minutes,
        }),
        0..30,
    )
}

fn score(n: u8) -> Score {
    Score::try_new(1 + n % 10).unwrap()
}

fn outcome(sel: u8, at: At) -> CallOutcome {
    match sel % 12 {
        0 | 1 => CallOutcome::Answered {
            answers: Questionnaire::AfterSales(crate::attempts::answers(1 + sel / 12 % 10)),
            voiced: Voiced::ALL[usize::from(sel) % Voiced::ALL.len()],
        },
        2 => CallOutcome::Busy {
            call_back_at: at + TimeDelta::hours(2),
        },
        3 => CallOutcome::NotTheCustomer {
            call_back_at: Some(at + TimeDelta::hours(1)),
        },
        4 => CallOutcome::NotTheCustomer { call_back_at: None },
        5 => CallOutcome::InvalidNumber {
            reason: InvalidNumberReason::NonExistent,
        },
        n => CallOutcome::NotReached {
            reason: NotReachedReason::ALL[usize::from(n) % NotReachedReason::ALL.len()],
        },
    }
}

fn delivery(delivered_at: At, facts: u8) -> Delivery {
    let all = [
        DeliveryFact::NoFaultFound,
        DeliveryFact::MajorRepair,
        DeliveryFact::ServiceFailure,
        DeliveryFact::Dissatisfied,
        DeliveryFact::ComplaintHandled,
        DeliveryFact::ImportantCustomer,
    ];
    let facts = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| facts >> i & 1 == 1)
        .fold(DeliveryFacts::EMPTY, |set, (_, f)| set.with(f));
    Delivery {
        kind: DeliveryKind::Service,
        order: Some("WO-2026-0300".parse().unwrap()),
        customer: Some("C-0300".parse().unwrap()),
        name: "Prop Test".parse().unwrap(),
        phone: Some("13700000300".parse().unwrap()),
        staff: "SA-03".parse().unwrap(),
        delivered_at,
        facts,
        agreed: Default::default(),
    }
}

fn follow_up_run(
    delivered_at: At,
    facts: u8,
    ops: &[FuOp],
) -> Run<FollowUpTask, aftersales::FollowUpEvent> {
    let policy = Policy::default();
    let mut run = Run::new(FollowUpTask::new("T-PROP".parse().unwrap()));
    let delivery = delivery(delivered_at, facts);
    let plan = guarded(|| plan_follow_up(&delivery, &mut RatioSampler::default(), &policy));
    let task = match plan {
        Err(panic) => {
            run.panics
                .push(format!("planning from {delivered_at}: {panic}"));
            return run;
        }
        // A plan that cannot be placed is a refusal: nothing to open.
        Ok(Err(_)) => return run,
        Ok(Ok(plan)) => match plan.task(TaskKind::AfterSalesCall) {
            Some(task) => *task,
            None => return run,
        },
    };
    let open = FollowUpCommand::Open {
        at: delivered_at + TimeDelta::hours(1),
        delivery,
        task,
    };
    if !run.step(&open, |t| t.execute(open.clone(), &policy)) {
        return run;
    }
    // The calls start a little before the window opens, so that some fall
    // outside it.
    let mut clock = task.window.opens_at - TimeDelta::hours(6);
    for op in ops {
        clock += TimeDelta::minutes(i64::from(op.minutes));
        let at = clock;
        let command = match op.kind {
            0 => FollowUpCommand::SendSms { at },
            1 => FollowUpCommand::RecordSmsReply {
                at,
                reply: SmsReply::from(score(op.sel)),
                voiced: Voiced::Nothing,
            },
            2 => FollowUpCommand::RecordSmsReply {
                at,
                reply: "满意".parse().unwrap(),
                voiced: Voiced::ALL[usize::from(op.sel) % Voiced::ALL.len()],
            },
            3 => FollowUpCommand::RecordSmsNotDelivered { at },
            4 => FollowUpCommand::CloseNotReached {
                now: at + TimeDelta::days(i64::from(op.sel % 8)),
            },
            _ => FollowUpCommand::RecordCall {
                at,
                by: "CR-09".parse().unwrap(),
                outcome: outcome(op.sel, at),
            },
        };
        if !run.step(&command, |t| t.execute(command.clone(), &policy)) {
            break;
        }
    }
    run
}

// ---------------------------------------------------------------------------
// Customer files
// ---------------------------------------------------------------------------

/// One customer-file step: which command, two selectors, and how many
/// days pass before it (one in sixteen dated a year back: refused).
#[derive(Debug, Clone, Copy)]
struct CfOp {
    kind: u8,
    a: u8,
    b: u8,
    days: u16,
}

fn cf_ops() -> impl Strategy<Value = Vec<CfOp>> {
    prop::collection::vec(
        (0u8..8, any::<u8>(), any::<u8>(), 0u16..400).prop_map(|(kind, a, b, days)| CfOp {
            kind,
            a,
            b,
            days,
        }),
        0..25,
    )
}

fn customer_file_run(
    card: aftersales::ACard,
    opened_on: NaiveDate,
    ops: &[CfOp],
) -> Run<CustomerFile, aftersales::CustomerFileEvent> {
    let policy = Policy::default();
    let mut run = Run::new(CustomerFile::new());
    let mut today = opened_on;
    let mut odometer = 0u32;
    for (i, op) in ops.iter().enumerate() {
        today = today
            .checked_add_signed(TimeDelta::days(i64::from(op.days)))
            .unwrap_or(today);
        let on = if op.days % 16 == 0 {
            today
                .checked_sub_signed(TimeDelta::days(365))
                .unwrap_or(today)
        } else {
            today
        };
        odometer = odometer.saturating_add(u32::from(op.b) * 40);
        let command = match (i, op.kind) {
            // Most files open first, on an A-card or (not bought here) a
            // C-card; the others take commands before they are opened.
            (0, 0..=4) => CustomerFileCommand::OpenSalesFile {
                on,
                card: card.clone(),
            },
            (0, 5 | 6) | (_, 0) => {
                let mut c = CCard::from_a_card(card.clone(), None);
                // Not bought here (one in four: bought here, refused).
                if op.a % 4 != 0 {
                    c.service.bought_here = false;
                    c.sale = None;
                }
                CustomerFileCommand::OpenServiceFile { on, card: c }
            }
            (_, 1..=3) => {
                let mut visit =
                    Visit::new(on, VisitKind::ALL[usize::from(op.a) % VisitKind::ALL.len()]);
                visit.odometer = (op.a % 5 != 0).then_some(Km(if op.b % 9 == 0 {
                    odometer / 2
                } else {
                    odometer
                }));
                visit.order =
                    (op.b % 3 != 0).then(|| format!("WO-P-{}", op.a % 8).parse().unwrap());
                visit.comeback = op.b % 7 == 0;
                CustomerFileCommand::RecordVisit {
                    visit,
                    advisor: (op.a % 2 == 0).then(|| "SA-01".parse().unwrap()),
                }
            }
            (_, 4 | 5) => CustomerFileCommand::RecordComplaint {
                on,
                complaint: format!("CMP-P-{}", op.a % 8).parse().unwrap(),
                major: op.b % 2 == 0,
            },
            _ => CustomerFileCommand::Amend {
                on,
                amendment: Amendment::Remarks(
                    (op.a % 3 != 0).then(|| "回访时提到换季保养".parse().unwrap()),
                ),
            },
        };
        if !run.step(&command, |f| f.execute(command.clone(), &policy)) {
            break;
        }
    }
    run
}

// ---------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(crate::support::cases(64))]

    #[test]
    fn work_orders_across_the_time_range_never_panic_and_replay_from_json(
        policy in prop::sample::select(crate::model::policies()),
        start in instant(),
        ops in crate::model::ops(),
    ) {
        let run = work_order_run(policy, start, &ops);
        check(&run, |log| WorkOrder::replay(run.live.no().clone(), log))?;
    }
}

proptest! {
    #![proptest_config(crate::support::cases(128))]

    #[test]
    fn complaints_across_the_time_range_never_panic_and_replay_from_json(
        policy in prop::sample::select(crate::complaint::model_policies()),
        start in instant(),
        ops in crate::complaint::ops(),
    ) {
        let run = complaint_run(policy, start, &ops);
        check(&run, |log| Complaint::replay(run.live.no().clone(), log))?;
    }
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn follow_up_tasks_across_the_time_range_never_panic_and_replay_from_json(
        delivered_at in instant(),
        facts in any::<u8>(),
        ops in fu_ops(),
    ) {
        let run = follow_up_run(delivered_at, facts, &ops);
        check(&run, |log| FollowUpTask::replay(run.live.no().clone(), log))?;
    }

    #[test]
    fn customer_files_across_the_time_range_never_panic_and_replay_from_json(
        card in crate::customer_file::a_card_strategy(),
        opened_on in day(),
        ops in cf_ops(),
    ) {
        let run = customer_file_run(card, opened_on, &ops);
        check(&run, |log| CustomerFile::replay(log))?;
    }
}

// ---------------------------------------------------------------------------
// The generators reach what they claim to
// ---------------------------------------------------------------------------

/// With a fixed seed: the drawn instants cover both ends of the range and
/// just outside it, at offsets of both signs, and every aggregate's runs
/// get somewhere near both ends (commands accepted within 60 days of
/// each), or the properties above would hold of nothing.
#[test]
fn the_runs_reach_both_ends_of_the_time_range() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let draw = |runner: &mut TestRunner| instant().new_tree(runner).unwrap().current();
    let (lo, hi) = (first_second(), last_second());
    let (mut before, mut after, mut east, mut west) = (0, 0, 0, 0);
    // Runs with accepted commands: [near the start, near the end] for
    // the work order, the complaint, the task and the file.
    let mut reached = [[0usize; 2]; 4];
    let mut tally = |which: usize, start: At, accepted: bool| {
        let s = start.timestamp();
        if accepted && s < lo + 60 * DAY {
            reached[which][0] += 1;
        }
        if accepted && s > hi - 60 * DAY {
            reached[which][1] += 1;
        }
    };
    for i in 0..200 {
        let start = draw(&mut runner);
        let s = start.timestamp();
        before += usize::from(s < lo);
        after += usize::from(s > hi);
        east += usize::from(start.offset().local_minus_utc() > 0);
        west += usize::from(start.offset().local_minus_utc() < 0);
        let ops = fu_ops().new_tree(&mut runner).unwrap().current();
        tally(2, start, follow_up_run(start, 0, &ops).log.len() > 1);
        let card = crate::customer_file::a_card_strategy()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let ops = cf_ops().new_tree(&mut runner).unwrap().current();
        // A file's commands move forward by up to 400 days each, and the
        // file refuses dates past 9999-12-31: near the end, open it early
        // enough for its first commands to land inside the range.
        let opened = start.naive_utc().date();
        let opened = if s > hi - 60 * DAY {
            opened - TimeDelta::days(400)
        } else {
            opened
        };
        let run = customer_file_run(card, opened, &ops);
        tally(3, start, run.log.len() > 1);
        if i % 4 == 0 {
            let ops = crate::model::ops().new_tree(&mut runner).unwrap().current();
            let run = work_order_run(Policy::default(), start, &ops);
            tally(0, start, run.log.len() > 5);
            let ops = crate::complaint::ops()
                .new_tree(&mut runner)
                .unwrap()
                .current();
            let run = complaint_run(Policy::default(), start, &ops);
            tally(1, start, run.log.len() > 2);
        }
    }
    assert!(
        [before, after, east, west].iter().all(|n| *n > 0),
        "{before} {after} {east} {west}"
    );
    assert!(reached.iter().flatten().all(|n| *n > 0), "{reached:?}");
}

/// The harness itself: a panicking step is caught, counted and ends the
/// run, and `check` fails on a panic or on a replay that differs.
#[test]
fn a_panicking_step_is_counted_and_fails_the_check() {
    let mut run: Run<Vec<u8>, u8> = Run::new(vec![]);
    assert!(run.step("fine", |v| {
        v.push(1);
        Ok::<_, ()>(vec![1])
    }));
    assert!(run.step("refused", |_| Err(())));
    assert!(!run.step("boom", |_| -> Result<Vec<u8>, ()> { panic!("boom") }));
    assert_eq!(run.panics, [r#""boom": boom"#]);
    let err = check(&run, |log| log.to_vec()).unwrap_err();
    assert!(err.to_string().contains("1 panic(s)"), "{err}");
    run.panics.clear();
    assert!(check(&run, |log| log.to_vec()).is_ok());
    let err = check(&run, |_| vec![2]).unwrap_err();
    assert!(err.to_string().contains("assertion failed"), "{err}");
}

/// Issue 15, item 3, with events as the stored truth: the tampered order
/// of the issue (a −100,000 CNY labour rate on an item later authorized)
/// can only come in as a forged event log, and `recheck` refuses it at the
/// forged event; the order itself cannot be loaded at all (the
/// `compile_fail` doc test on `WorkOrder`).
#[test]
fn the_issues_tampered_order_as_a_forged_log_is_caught_by_recheck() {
    let policy = crate::support::policy();
    let (order, log) = crate::support::order_after(crate::support::steps().len());
    assert!(aftersales::recheck(order.no(), &log, &policy).is_empty());
    let mut json = serde_json::to_value(&log).unwrap();
    let (index, event) = json
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
        .find(|(_, e)| e["event"] == "item_proposed")
        .unwrap();
    event["item"]["lines"][0]["kind"]["hourly_rate"]["amount"] = "-100000".into();
    let forged: Vec<aftersales::WorkOrderEvent> = serde_json::from_value(json).unwrap();
    // Replayed blindly, the forged log gives the impossible order ...
    let replayed = WorkOrder::replay(order.no().clone(), &forged);
    let totals = replayed.totals(policy.estimate()).unwrap();
    assert!(totals.authorized.gross.is_negative(), "{totals:?}");
    // ... which is why a log from outside is rechecked: the forged event
    // is named.
    let breaches = aftersales::recheck(order.no(), &forged, &policy);
    assert!(!breaches.is_empty());
    assert_eq!(breaches[0].index, index, "{breaches:?}");
}
