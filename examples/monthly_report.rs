//! The customer-relations department's monthly report (SAT-02 … SAT-04,
//! SAT-07, SAT-09): a generated November at a dealer with 6 service
//! advisors, 3 repair teams and 4 sales consultants, printed as table 8
//! (service advisors and teams) and table 7 (sales consultants), with the
//! NPS and the advisor-days over the workload limit. Each table prints the
//! paper form's columns in the paper form's order, then, right of a bar,
//! what the crate adds: no answer (and other, on table 7), how many scores
//! came from the phone questionnaire and how many from an SMS reply, and
//! the NPS.
//!
//! The month is streamed straight from a generator into the reports, never
//! collected, and the service report is built as two halves that are then
//! merged, the way a DMS would add each night's records to the month.
//!
//! Run with `cargo run --example monthly_report`.

use std::error::Error;

use aftersales::{
    FollowUpResult, Policy, RateRecord, RateReport, RateTable, Recommendation, Score, ScoreSource,
    StaffId, TeamId, UnsuccessfulKind,
};
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A small deterministic generator (a 64-bit LCG), so every run prints the
/// same month.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33).checked_rem(sides).unwrap_or(0)
    }
}

/// A follow-up result with roughly the mix a dealer sees: most customers
/// reached on the phone, a few by SMS, mostly satisfied; a tenth not
/// selected or still pending.
/// `skill` (0–3) nudges an advisor's scores.
fn result(dice: &mut Dice, skill: u64) -> Result<FollowUpResult, Box<dyn Error>> {
    let roll = dice.roll(100);
    Ok(match roll {
        0..=9 => FollowUpResult::NoResult,
        10..=13 => FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::Refused,
        },
        14..=18 => FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::Unreachable,
        },
        19..=22 => FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::NoAnswer,
        },
        23 => FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::Other,
        },
        _ => {
            let score = u8::try_from(
                4u64.saturating_add(skill)
                    .saturating_add(dice.roll(7))
                    .min(10),
            )?;
            // Half the reached customers are asked the NPS question; their
            // answer follows their score.
            let recommendation = if dice.roll(2) == 0 {
                let r = u8::try_from(
                    u64::from(score)
                        .saturating_add(dice.roll(3))
                        .saturating_sub(1)
                        .min(10),
                )?;
                Some(Recommendation::try_new(r)?)
            } else {
                None
            };
            // A few customers were only reached by the SMS (FU-07).
            let source = if roll >= 94 {
                ScoreSource::SmsReply
            } else {
                ScoreSource::PhoneQuestionnaire
            };
            FollowUpResult::Reached {
                score: Score::try_new(score)?,
                recommendation,
                source: Some(source),
            }
        }
    })
}

/// The month's service receptions, one record per vehicle, generated on
/// demand: no day is kept once it is read. The dealer is closed on
/// Sundays; advisor SA-06 stands in for a colleague on the 17th and
/// receives far more than usual.
struct ServiceMonth {
    dice: Dice,
    advisors: Vec<StaffId>,
    teams: Vec<TeamId>,
    date: NaiveDate,
    to: NaiveDate,
    advisor: usize,
    left_today: u64,
}

impl ServiceMonth {
    fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, Box<dyn Error>> {
        Ok(ServiceMonth {
            dice: Dice(20_261_101),
            advisors: (1..=6)
                .map(|i| format!("SA-{i:02}").parse())
                .collect::<Result<_, _>>()?,
            teams: ["机修一组", "钣金一组", "油漆一组"]
                .iter()
                .map(|t| t.parse())
                .collect::<Result<_, _>>()?,
            date: from,
            to,
            advisor: 0,
            left_today: 0,
        })
    }
}

impl Iterator for ServiceMonth {
    type Item = Result<RateRecord, Box<dyn Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        // Move to the next advisor, or the next open day, with vehicles left.
        while self.left_today == 0 {
            if self.advisor.saturating_add(1) < self.advisors.len() {
                self.advisor = self.advisor.saturating_add(1);
            } else {
                self.advisor = 0;
                self.date = self.date.checked_add_days(Days::new(1))?;
            }
            if self.date > self.to {
                return None;
            }
            if self.date.weekday() != Weekday::Sun {
                self.left_today = if self.advisor == 5 && self.date.day() == 17 {
                    15
                } else {
                    self.dice.roll(5).saturating_add(6)
                };
            }
        }
        self.left_today = self.left_today.saturating_sub(1);
        // Most jobs go to the repair team; body and paint share the rest,
        // and quick services get no team at all.
        let team = match self.dice.roll(10) {
            0..=5 => self.teams.first(),
            6 | 7 => self.teams.get(1),
            8 => self.teams.get(2),
            _ => None,
        };
        let skill = u64::try_from(self.advisor)
            .unwrap_or(0)
            .checked_rem(4)
            .unwrap_or(0);
        let staff = self.advisors.get(self.advisor)?;
        Some(result(&mut self.dice, skill).map(|result| RateRecord {
            date: self.date,
            staff: staff.clone(),
            team: team.cloned(),
            result,
        }))
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let policy = Policy::default();
    let satisfaction = policy.satisfaction();
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("bad date")?;
    let mid = NaiveDate::from_ymd_opt(2026, 11, 15).ok_or("bad date")?;
    let to = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("bad date")?;

    // Table 8, in two halves merged at the end of the month.
    let mut first = RateReport::new(RateTable::Service, from, mid)?;
    let second_from = mid.checked_add_days(Days::new(1)).ok_or("bad date")?;
    let mut second = RateReport::new(RateTable::Service, second_from, to)?;
    // The generator starts the day before, so its first step lands on the
    // 1st with the first advisor.
    let eve = from.checked_sub_days(Days::new(1)).ok_or("bad date")?;
    let mut month = ServiceMonth::new(eve, to)?;
    month.advisor = 5;
    for record in month {
        let record = record?;
        if record.date <= mid {
            first.add(&record)?;
        } else {
            second.add(&record)?;
        }
    }
    first.merge(&second)?;
    let service = first;
    let sheet = service.sheet(satisfaction);
    println!("{}", sheet.render());

    // Table 7: four sales consultants and their new-car deliveries.
    let mut dice = Dice(42);
    let mut sales = RateReport::new(RateTable::Sales, from, to)?;
    for (i, name) in ["SC-01", "SC-02", "SC-03", "SC-04"].iter().enumerate() {
        let staff: StaffId = name.parse()?;
        for _ in 0..dice.roll(10).saturating_add(8) {
            let date = from
                .checked_add_days(Days::new(dice.roll(30)))
                .ok_or("bad date")?;
            sales.add(&RateRecord {
                date,
                staff: staff.clone(),
                team: None,
                result: result(&mut dice, i as u64)?,
            })?;
        }
    }
    println!("{}", sales.render(satisfaction));

    // NPS (SAT-07) over everyone asked, service and sales.
    for (name, report) in [("售后 After-sales", &service), ("销售 Sales", &sales)] {
        let tally = report.totals().nps_tally(&satisfaction.nps);
        let nps = tally
            .nps_rounded(satisfaction.rate_decimals)
            .map_or_else(|| "n/a".to_owned(), |n| n.to_string());
        println!(
            "NPS {name}: {nps} (推荐者 promoters {}, 中立者 passives {}, 贬损者 detractors {})",
            tally.promoters, tally.passives, tally.detractors
        );
    }
    println!(
        "日接车超过{}台的服务顾问 / Advisor-days above {} vehicles (SAT-09): {}",
        satisfaction.workload.max_per_day,
        satisfaction.workload.max_per_day,
        sheet.workload_flags.len()
    );
    for flag in &sheet.workload_flags {
        println!("  {flag}");
    }
    Ok(())
}
