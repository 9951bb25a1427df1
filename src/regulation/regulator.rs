//! Complaints filed with the market regulator (REG-11): the regulator
//! accepts or rejects one within 7 working days of receipt, and a mediation
//! that has not reached agreement 45 working days after acceptance ends
//! without agreement.
//!
//! [`regulator_clocks`] gives both due dates of a [`RegulatorCase`] and
//! their [`ClockStatus`] at a date. Working days come from the policy's
//! [`WorkingDayCalendar`]: rest weekdays, public holidays and the
//! make-up working days (调休) that fall on a weekend.
//!
//! ```
//! use aftersales::{
//!     ClockStatus, ComplaintNo, Policy, RegulatorCase, regulator_clocks,
//! };
//!
//! // Received on Friday 6 March 2026: the receipt day is not counted, the
//! // weekend is skipped, so the 7th working day is Tuesday 17 March.
//! let case = RegulatorCase::new(ComplaintNo::try_new("SAMR-2026-0042")?, "2026-03-06".parse()?);
//! let clocks = regulator_clocks(&case, "2026-03-10".parse()?, &Policy::default());
//! assert_eq!(clocks.acceptance.due.to_string(), "2026-03-17");
//! assert_eq!(clocks.acceptance.status, ClockStatus::Open);
//! assert!(clocks.mediation.is_none()); // not accepted yet
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::ids::ComplaintNo;
use crate::policy::{Policy, PolicyError, invalid};
use crate::rule::{Reason, RuleId};

/// The statutory working days within which the regulator accepts or
/// rejects a complaint (REG-11).
pub const STATUTORY_ACCEPT_WORKING_DAYS: u32 = 7;

/// The statutory working days after acceptance at which a mediation without
/// agreement ends (REG-11).
pub const STATUTORY_MEDIATION_WORKING_DAYS: u32 = 45;

/// How far [`WorkingDayCalendar::add_working_days`] searches before giving
/// up (about 270 years), so a calendar can never make it loop forever.
const SEARCH_LIMIT_DAYS: u32 = 100_000;

/// Which days are working days: every day except the rest weekdays and the
/// holidays, plus the make-up working days (调休上班) that fall on a rest
/// weekday.
///
/// ```
/// use aftersales::WorkingDayCalendar;
/// use chrono::NaiveDate;
///
/// let mut calendar = WorkingDayCalendar::default(); // Saturday and Sunday off
/// calendar.holidays.push("2026-05-01".parse()?); // Labour Day, a Friday
/// calendar.working_dates.push("2026-05-09".parse()?); // a make-up Saturday
/// let thursday: NaiveDate = "2026-04-30".parse()?;
/// // Fri 1 May off, Sat 2 and Sun 3 off, Mon 4 is the first working day.
/// assert_eq!(calendar.add_working_days(thursday, 1), "2026-05-04".parse().ok());
/// assert!(calendar.is_working_day("2026-05-09".parse()?));
/// # Ok::<(), chrono::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorkingDayCalendar {
    /// Weekdays that are not working days (Saturday and Sunday by default).
    pub rest_weekdays: Vec<Weekday>,
    /// Public holidays (法定节假日), not working days.
    pub holidays: Vec<NaiveDate>,
    /// Make-up working days on a rest weekday (调休上班).
    pub working_dates: Vec<NaiveDate>,
}

impl Default for WorkingDayCalendar {
    fn default() -> Self {
        WorkingDayCalendar {
            rest_weekdays: vec![Weekday::Sat, Weekday::Sun],
            holidays: Vec::new(),
            working_dates: Vec::new(),
        }
    }
}

impl WorkingDayCalendar {
    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_dates.contains(&date) {
            return true;
        }
        !self.rest_weekdays.contains(&date.weekday()) && !self.holidays.contains(&date)
    }

    /// The `n`th working day after `start` (`start` itself is not counted;
    /// `n = 0` gives `start`), or `None` past the calendar's end or when no
    /// working day comes within about 270 years.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut date = start;
        let mut counted = 0_u32;
        let mut searched = 0_u32;
        while counted < n {
            date = date.checked_add_days(Days::new(1))?;
            searched = searched.checked_add(1)?;
            if searched > SEARCH_LIMIT_DAYS {
                return None;
            }
            if self.is_working_day(date) {
                counted = counted.checked_add(1)?;
            }
        }
        Some(date)
    }

    /// Checks the calendar.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] under REG-11 when every weekday is a rest day or a
    /// date is both a holiday and a make-up working day.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let all_rest = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .iter()
        .all(|d| self.rest_weekdays.contains(d));
        if all_rest {
            return Err(invalid(
                "regulation.regulator.calendar.rest_weekdays",
                RuleId::Reg11,
                "names every weekday, leaving no working weekday",
            ));
        }
        if let Some(date) = self
            .holidays
            .iter()
            .find(|d| self.working_dates.contains(d))
        {
            return Err(invalid(
                "regulation.regulator.calendar.working_dates",
                RuleId::Reg11,
                format!("names {date}, which is also a holiday"),
            ));
        }
        Ok(())
    }
}

/// The policy of REG-11: the regulator's clocks and the working-day
/// calendar they run on.
///
/// The numbers are the regulator's own deadlines; a policy may track
/// tighter ones (a local regulator that promises faster handling) but
/// never looser ones, so validation refuses 0 and anything above 7 and 45.
///
/// ```
/// use aftersales::Policy;
///
/// let mut regulation = Policy::default().regulation().clone();
/// regulation.regulator.accept_working_days = 8;
/// let err = Policy::default().with_regulation(regulation).unwrap_err();
/// assert!(err.to_string().ends_with("(REG-11)"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegulatorPolicy {
    /// Working days after receipt to accept or reject (1 to 7).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub accept_working_days: u32,
    /// Working days after acceptance after which mediation ends without
    /// agreement (1 to 45).
    #[serde(deserialize_with = "crate::policy::count::deserialize")]
    pub mediation_working_days: u32,
    /// The working-day calendar.
    pub calendar: WorkingDayCalendar,
}

impl Default for RegulatorPolicy {
    fn default() -> Self {
        RegulatorPolicy {
            accept_working_days: STATUTORY_ACCEPT_WORKING_DAYS,
            mediation_working_days: STATUTORY_MEDIATION_WORKING_DAYS,
            calendar: WorkingDayCalendar::default(),
        }
    }
}

impl RegulatorPolicy {
    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] under REG-11 when a clock is 0 or longer than the
    /// statute, or the calendar is invalid (see
    /// [`WorkingDayCalendar::validate`]).
    pub fn validate(&self) -> Result<(), PolicyError> {
        if !(1..=STATUTORY_ACCEPT_WORKING_DAYS).contains(&self.accept_working_days) {
            return Err(invalid(
                "regulation.regulator.accept_working_days",
                RuleId::Reg11,
                format!(
                    "is {}, must be 1 to the statutory {STATUTORY_ACCEPT_WORKING_DAYS} working days",
                    self.accept_working_days
                ),
            ));
        }
        if !(1..=STATUTORY_MEDIATION_WORKING_DAYS).contains(&self.mediation_working_days) {
            return Err(invalid(
                "regulation.regulator.mediation_working_days",
                RuleId::Reg11,
                format!(
                    "is {}, must be 1 to the statutory {STATUTORY_MEDIATION_WORKING_DAYS} working days",
                    self.mediation_working_days
                ),
            ));
        }
        self.calendar.validate()
    }
}

/// The regulator's answer to a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "answer", content = "on")]
pub enum RegulatorAnswer {
    /// Accepted (受理) on the date; mediation starts.
    Accepted(NaiveDate),
    /// Rejected (不予受理) on the date.
    Rejected(NaiveDate),
}

impl RegulatorAnswer {
    /// The date of the answer.
    pub const fn date(self) -> NaiveDate {
        match self {
            RegulatorAnswer::Accepted(d) | RegulatorAnswer::Rejected(d) => d,
        }
    }
}

/// A complaint filed with the market regulator, as far as it has gone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulatorCase {
    /// The complaint's number.
    pub complaint: ComplaintNo,
    /// The day the regulator received it.
    pub received_on: NaiveDate,
    /// The regulator's answer, once given.
    #[serde(default)]
    pub answer: Option<RegulatorAnswer>,
    /// The day mediation closed with an agreement or a withdrawal, if it has.
    #[serde(default)]
    pub mediation_closed_on: Option<NaiveDate>,
}

impl RegulatorCase {
    /// A case received on `received_on`, not yet answered.
    pub fn new(complaint: ComplaintNo, received_on: NaiveDate) -> Self {
        RegulatorCase {
            complaint,
            received_on,
            answer: None,
            mediation_closed_on: None,
        }
    }
}

words!(
    /// Where a clock stands at a date.
    ClockStatus {
        /// Still running: not done, the due date not passed.
        Open => "open", "进行中";
        /// Done on or before the due date.
        Met => "met", "按期完成";
        /// The due date passed first. For mediation this means it ends
        /// without agreement.
        Missed => "missed", "逾期";
    }
);

/// One REG-11 clock.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegulatorClock {
    /// The last working day.
    pub due: NaiveDate,
    /// Where it stands.
    pub status: ClockStatus,
    /// Why.
    pub reason: Reason,
}

impl fmt::Display for RegulatorClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "due {}, {}: {}", self.due, self.status, self.reason)
    }
}

/// The REG-11 clocks of one case at a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegulatorClocks {
    /// The complaint.
    pub complaint: ComplaintNo,
    /// Accept or reject within the working days after receipt.
    pub acceptance: RegulatorClock,
    /// Mediation, once accepted by the date asked about.
    pub mediation: Option<RegulatorClock>,
}

/// The REG-11 clocks of `case` as they stand on `at`: events recorded after
/// `at` are treated as not yet happened. Due dates past the calendar's end
/// saturate to its last date. The module documentation has an example.
pub fn regulator_clocks(case: &RegulatorCase, at: NaiveDate, policy: &Policy) -> RegulatorClocks {
    let regulator = &policy.regulation().regulator;
    let calendar = &regulator.calendar;

    let accept_due = calendar
        .add_working_days(case.received_on, regulator.accept_working_days)
        .unwrap_or(NaiveDate::MAX);
    let answer = case.answer.filter(|a| a.date() <= at);
    let accept_status = status(answer.map(RegulatorAnswer::date), accept_due, at);
    let accept_fact = match answer {
        Some(RegulatorAnswer::Accepted(d)) => format!("accepted on {d}"),
        Some(RegulatorAnswer::Rejected(d)) => format!("rejected on {d}"),
        None => "no answer yet".to_owned(),
    };
    let acceptance = RegulatorClock {
        due: accept_due,
        status: accept_status,
        reason: Reason::new(
            RuleId::Reg11,
            format!(
                "complaint {} received on {}: accept or reject within {} working days, by {accept_due}; {accept_fact}",
                case.complaint, case.received_on, regulator.accept_working_days
            ),
        ),
    };

    let mediation = match answer {
        Some(RegulatorAnswer::Accepted(accepted)) => {
            let due = calendar
                .add_working_days(accepted, regulator.mediation_working_days)
                .unwrap_or(NaiveDate::MAX);
            let closed = case.mediation_closed_on.filter(|d| *d <= at);
            let state = status(closed, due, at);
            let fact = match (closed, state) {
                (Some(d), ClockStatus::Met) => format!("closed on {d}"),
                (_, ClockStatus::Missed) => "mediation ends without agreement".to_owned(),
                _ => "in mediation".to_owned(),
            };
            Some(RegulatorClock {
                due,
                status: state,
                reason: Reason::new(
                    RuleId::Reg11,
                    format!(
                        "accepted on {accepted}: mediation runs {} working days, to {due}; {fact}",
                        regulator.mediation_working_days
                    ),
                ),
            })
        }
        _ => None,
    };

    RegulatorClocks {
        complaint: case.complaint.clone(),
        acceptance,
        mediation,
    }
}

fn status(done: Option<NaiveDate>, due: NaiveDate, at: NaiveDate) -> ClockStatus {
    match done {
        Some(d) if d <= due => ClockStatus::Met,
        Some(_) => ClockStatus::Missed,
        None if at > due => ClockStatus::Missed,
        None => ClockStatus::Open,
    }
}
