//! Section 4 parameters: [`FollowUpPolicy`], [`ContactWindow`] and the
//! per-source presets of the after-sales window (FU-01).

use std::fmt;

use chrono::{DateTime, Days, FixedOffset, NaiveTime, TimeDelta};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::contact::{DealerCalendar, LocalTimeRange};
use crate::policy::{AuthorityRole, PolicyError, Source, invalid};
use crate::rule::RuleId;
use crate::time::{SUPPORTED_RANGE, TimeRangeError, local_date, to_offset};
use crate::units::Percent;

/// When a contact is due, relative to the event that causes it (a
/// delivery).
///
/// - `Days`: whole local calendar days at the dealer's offset, both ends
///   inclusive; day 0 is the local date of the event. A window of days 3–7
///   after a delivery at 23:59 on the 1st opens at 00:00 on the 4th and
///   closes at 00:00 on the 9th.
/// - `Hours`: elapsed hours since the event instant, from `from_hours`
///   inclusive to `to_hours` exclusive (the "first call 24–48 hours" of
///   \[004\]).
///
/// In JSON: `{"from_days": 3, "to_days": 7}` or
/// `{"from_hours": 24, "to_hours": 48}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "WindowRepr", into = "WindowRepr")]
pub enum ContactWindow {
    /// Local calendar days after the event, both ends inclusive.
    Days {
        /// First day (0 = the day of the event).
        from_days: u32,
        /// Last day.
        to_days: u32,
    },
    /// Elapsed hours after the event, `[from_hours, to_hours)`.
    Hours {
        /// Opens this many hours after the event.
        from_hours: u32,
        /// Closes this many hours after the event.
        to_hours: u32,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowRepr {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    from_days: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    to_days: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    from_hours: Option<u32>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::policy::count::option::deserialize"
    )]
    to_hours: Option<u32>,
}

/// A window given with neither or both of its units.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a contact window has either `from_days` and `to_days` or `from_hours` and `to_hours` (FU-01)"
)]
pub struct WindowShapeError;

impl TryFrom<WindowRepr> for ContactWindow {
    type Error = WindowShapeError;
    fn try_from(r: WindowRepr) -> Result<Self, Self::Error> {
        match (r.from_days, r.to_days, r.from_hours, r.to_hours) {
            (Some(from_days), Some(to_days), None, None) => {
                Ok(ContactWindow::Days { from_days, to_days })
            }
            (None, None, Some(from_hours), Some(to_hours)) => Ok(ContactWindow::Hours {
                from_hours,
                to_hours,
            }),
            _ => Err(WindowShapeError),
        }
    }
}

impl From<ContactWindow> for WindowRepr {
    fn from(w: ContactWindow) -> Self {
        match w {
            ContactWindow::Days { from_days, to_days } => WindowRepr {
                from_days: Some(from_days),
                to_days: Some(to_days),
                from_hours: None,
                to_hours: None,
            },
            ContactWindow::Hours {
                from_hours,
                to_hours,
            } => WindowRepr {
                from_days: None,
                to_days: None,
                from_hours: Some(from_hours),
                to_hours: Some(to_hours),
            },
        }
    }
}

/// A window placed on the time line: calls from `opens_at` (inclusive)
/// until `closes_at` (exclusive), both in the dealer's local offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WindowBounds {
    /// The first instant of the window.
    pub opens_at: DateTime<FixedOffset>,
    /// The first instant after the window.
    pub closes_at: DateTime<FixedOffset>,
}

impl WindowBounds {
    /// Whether `instant` lies in the window.
    pub fn contains(&self, instant: DateTime<FixedOffset>) -> bool {
        self.opens_at <= instant && instant < self.closes_at
    }
}

impl fmt::Display for WindowBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} until {}",
            self.opens_at.format("%Y-%m-%d %H:%M"),
            self.closes_at.format("%Y-%m-%d %H:%M")
        )
    }
}

impl ContactWindow {
    /// Days `from`–`to` after the event.
    pub const fn days(from_days: u32, to_days: u32) -> ContactWindow {
        ContactWindow::Days { from_days, to_days }
    }

    /// Hours `from`–`to` after the event.
    pub const fn hours(from_hours: u32, to_hours: u32) -> ContactWindow {
        ContactWindow::Hours {
            from_hours,
            to_hours,
        }
    }

    /// The after-sales follow-up window of one source (FU-01, where the
    /// sources disagree): \[000\] "within one week" = days 1–7; \[002\] days
    /// 3–7 (the default); \[003\] "within 3 days" = days 1–3; \[004\] "first
    /// call 24–48 hours" = hours 24–48. The service course \[001\] names no
    /// window, so it gets the default.
    ///
    /// "Within" is read as starting the day after delivery: nobody is
    /// called about a repair on the evening they collected the car.
    pub const fn after_sales_preset(source: Source) -> ContactWindow {
        match source {
            Source::CoreProcess => ContactWindow::days(1, 7),
            Source::ServiceCourse | Source::CrManual => ContactWindow::days(3, 7),
            Source::Textbook => ContactWindow::days(1, 3),
            Source::TrainingCourse => ContactWindow::hours(24, 48),
        }
    }

    /// The window after `event`, at the calendar's offset; `Ok(None)` only
    /// when the window's length puts it off chrono's calendar (hundreds of
    /// thousands of years, with a policy no validation would pass). The
    /// bounds are computed times: after an event near the end of the
    /// [`SUPPORTED_RANGE`] they may lie past 9999-12-31, and they can
    /// always be formatted and serialized.
    ///
    /// # Errors
    ///
    /// [`TimeRangeError`] naming `event` when it lies outside the
    /// [`SUPPORTED_RANGE`].
    pub fn after(
        self,
        event: DateTime<FixedOffset>,
        calendar: &DealerCalendar,
    ) -> Result<Option<WindowBounds>, TimeRangeError> {
        let event = SUPPORTED_RANGE.check("event", event)?;
        let offset = calendar.offset();
        Ok(match self {
            ContactWindow::Days { from_days, to_days } => {
                let Some(date) = local_date(event, offset) else {
                    return Ok(None);
                };
                let midnight = |days: Option<u64>| {
                    days.and_then(|days| date.checked_add_days(Days::new(days)))
                        .and_then(|d| {
                            d.and_time(NaiveTime::MIN)
                                .and_local_timezone(offset)
                                .single()
                        })
                };
                midnight(Some(u64::from(from_days)))
                    .zip(midnight(u64::from(to_days).checked_add(1)))
                    .map(|(opens_at, closes_at)| WindowBounds {
                        opens_at,
                        closes_at,
                    })
            }
            ContactWindow::Hours {
                from_hours,
                to_hours,
            } => {
                let after = |hours: u32| {
                    event
                        .checked_add_signed(TimeDelta::hours(i64::from(hours)))
                        .and_then(|t| to_offset(t, offset))
                };
                after(from_hours)
                    .zip(after(to_hours))
                    .map(|(opens_at, closes_at)| WindowBounds {
                        opens_at,
                        closes_at,
                    })
            }
        })
    }

    fn is_empty(self) -> bool {
        match self {
            ContactWindow::Days { from_days, to_days } => from_days > to_days,
            ContactWindow::Hours {
                from_hours,
                to_hours,
            } => from_hours >= to_hours,
        }
    }

    fn validate(self, field: &'static str, rule: RuleId) -> Result<(), PolicyError> {
        if self.is_empty() {
            return Err(invalid(field, rule, format!("{self} starts after it ends")));
        }
        Ok(())
    }
}

impl fmt::Display for ContactWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ContactWindow::Days { from_days, to_days } => {
                write!(f, "days {from_days}–{to_days}")
            }
            ContactWindow::Hours {
                from_hours,
                to_hours,
            } => write!(f, "hours {from_hours}–{to_hours}"),
        }
    }
}

/// Section 4: follow-up calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpPolicy {
    /// FU-01: after a service delivery (default days 3–7; see
    /// [`ContactWindow::after_sales_preset`] for the other sources).
    pub after_sales_window: ContactWindow,
    /// FU-02: the sales follow-up after a new-car delivery (days 7–10).
    pub sales_window: ContactWindow,
    /// FU-02, CARE-01: new-car care contact (days 21–28, 3–4 weeks).
    pub new_car_care_window: ContactWindow,
    /// FU-03: the second follow-up after a major repair or a handled
    /// complaint (days 7–15).
    pub second_window: ContactWindow,
    /// FU-10: customer data reach customer relations after a service
    /// delivery (days 2–3; the end is the deadline).
    pub handover_after_service: ContactWindow,
    /// FU-10: the same after a new-car delivery (days 2–5).
    pub handover_after_sale: ContactWindow,
    /// FU-09: the share of ordinary deliveries that get a follow-up call
    /// (default 100 %). Deliveries that FU-04 assigns to the advisor or
    /// manager are always called.
    pub ratio: Percent,
    /// FU-05: follow-up calling hours, local time (9:00–11:00 and
    /// 16:00–18:30, \[001\]; the \[004\] preset ends the afternoon at
    /// 17:00, before the evening rush, see
    /// [`FollowUpPolicy::follow_up_hours_preset`]).
    pub follow_up_hours: Vec<LocalTimeRange>,
    /// FU-05: appointment calling hours, local time (8:30–10:00 and
    /// 14:00–17:00).
    pub appointment_hours: Vec<LocalTimeRange>,
    /// The dealer's offset and the days without calls.
    pub calendar: DealerCalendar,
    /// FU-07: unsuccessful attempts after which the follow-up goes by SMS
    /// (4).
    pub sms_after_unsuccessful: u32,
    /// FU-07: the text of the follow-up SMS, in Chinese and English
    /// (default: the template of \[002\]).
    pub sms_template: SmsTemplate,
    /// The most calls one task may take, successful or not, counting
    /// rescheduled ones (busy, not the customer). Not from the sources: a
    /// guard so that a customer who always asks to be called later does
    /// not keep a task open for ever (default 8).
    pub max_calls: u32,
    /// CUS-09, CMP-12: who calls an important customer in person
    /// (department manager). \[003\]: 重要客户"必须由部门主管或经理亲自回访并定期跟踪",
    /// so at least a supervisor (部门主管).
    pub important_customer_caller: AuthorityRole,
}

impl Default for FollowUpPolicy {
    fn default() -> Self {
        FollowUpPolicy {
            after_sales_window: ContactWindow::days(3, 7),
            sales_window: ContactWindow::days(7, 10),
            new_car_care_window: ContactWindow::days(21, 28),
            second_window: ContactWindow::days(7, 15),
            handover_after_service: ContactWindow::days(2, 3),
            handover_after_sale: ContactWindow::days(2, 5),
            ratio: Percent::HUNDRED,
            follow_up_hours: vec![
                LocalTimeRange::hm((9, 0), (11, 0)),
                LocalTimeRange::hm((16, 0), (18, 30)),
            ],
            appointment_hours: vec![
                LocalTimeRange::hm((8, 30), (10, 0)),
                LocalTimeRange::hm((14, 0), (17, 0)),
            ],
            calendar: DealerCalendar::default(),
            sms_after_unsuccessful: 4,
            sms_template: SmsTemplate::default(),
            max_calls: 8,
            important_customer_caller: AuthorityRole::Manager,
        }
    }
}

/// The start of the evening rush hour (晚高峰) that the \[004\] preset's
/// follow-up calls avoid: 17:00 local time.
const EVENING_RUSH_STARTS: (u32, u32) = (17, 0);

impl FollowUpPolicy {
    /// The section as `source` states it: the default with the source's
    /// after-sales window (FU-01, [`ContactWindow::after_sales_preset`]) and
    /// follow-up calling hours (FU-05,
    /// [`FollowUpPolicy::follow_up_hours_preset`]).
    pub fn preset(source: Source) -> FollowUpPolicy {
        let mut p = FollowUpPolicy::default().with_after_sales_preset(source);
        p.follow_up_hours = FollowUpPolicy::follow_up_hours_preset(source);
        p
    }

    /// This policy with the after-sales window of `source` (FU-01).
    pub fn with_after_sales_preset(mut self, source: Source) -> FollowUpPolicy {
        self.after_sales_window = ContactWindow::after_sales_preset(source);
        self
    }

    /// The follow-up calling hours of one source (FU-05): \[001\]'s
    /// 9:00–11:00 and 16:00–18:30 (the default), except \[004\], whose
    /// follow-up section says "回访时间应考虑客户便利性，避开早晚高峰和用餐时间"
    /// (consider the customer's convenience, avoid the morning and evening
    /// rush hours and meal times): its afternoon hours end at 17:00, when
    /// the evening rush begins, so 9:00–11:00 and 16:00–17:00. The morning
    /// hours already start after the morning rush and end before lunch.
    pub fn follow_up_hours_preset(source: Source) -> Vec<LocalTimeRange> {
        let afternoon_end = match source {
            Source::TrainingCourse => EVENING_RUSH_STARTS,
            Source::CoreProcess | Source::ServiceCourse | Source::CrManual | Source::Textbook => {
                (18, 30)
            }
        };
        vec![
            LocalTimeRange::hm((9, 0), (11, 0)),
            LocalTimeRange::hm((16, 0), afternoon_end),
        ]
    }

    /// Checks the section.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] when a window starts after it ends, the ratio is not
    /// above 0 %, calling hours are missing or overlap, the calendar offset
    /// is out of range or every weekday is closed, the SMS threshold is 0,
    /// the SMS template is empty or names an unknown placeholder, the call
    /// cap is below the SMS threshold, or an important customer's caller
    /// is front-line staff (CUS-09).
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.after_sales_window
            .validate("follow_up.after_sales_window", RuleId::Fu01)?;
        self.sales_window
            .validate("follow_up.sales_window", RuleId::Fu02)?;
        self.new_car_care_window
            .validate("follow_up.new_car_care_window", RuleId::Fu02)?;
        self.second_window
            .validate("follow_up.second_window", RuleId::Fu03)?;
        self.handover_after_service
            .validate("follow_up.handover_after_service", RuleId::Fu10)?;
        self.handover_after_sale
            .validate("follow_up.handover_after_sale", RuleId::Fu10)?;
        if self.ratio.get() <= Decimal::ZERO {
            return Err(invalid(
                "follow_up.ratio",
                RuleId::Fu09,
                format!("is `{}`%, must be above 0", self.ratio.get()),
            ));
        }
        check_hours(&self.follow_up_hours, "follow_up.follow_up_hours")?;
        check_hours(&self.appointment_hours, "follow_up.appointment_hours")?;
        if let Err(e) = self.calendar.validate() {
            return Err(invalid(
                "follow_up.calendar.utc_offset_minutes",
                RuleId::Fu05,
                e.to_string(),
            ));
        }
        let mut closed = self.calendar.closed_weekdays.clone();
        closed.sort_by_key(|d| d.num_days_from_monday());
        closed.dedup();
        if closed.len() >= 7 {
            return Err(invalid(
                "follow_up.calendar.closed_weekdays",
                RuleId::Fu05,
                "closes every weekday, so no call could ever be made",
            ));
        }
        if self.sms_after_unsuccessful == 0 {
            return Err(invalid(
                "follow_up.sms_after_unsuccessful",
                RuleId::Fu07,
                "must be at least 1",
            ));
        }
        self.sms_template.validate()?;
        if self.max_calls < self.sms_after_unsuccessful {
            return Err(invalid(
                "follow_up.max_calls",
                RuleId::Fu07,
                format!(
                    "is {}, below the {} unsuccessful attempts that lead to the SMS",
                    self.max_calls, self.sms_after_unsuccessful
                ),
            ));
        }
        if self.important_customer_caller < AuthorityRole::Supervisor {
            return Err(invalid(
                "follow_up.important_customer_caller",
                RuleId::Cus09,
                format!(
                    "is `{}`; an important customer is called by a department supervisor or manager in person",
                    self.important_customer_caller
                ),
            ));
        }
        Ok(())
    }
}

/// The text of the follow-up SMS (FU-07), in Chinese and English, with the
/// placeholders `{brand}` and `{dealer}` filled in by
/// [`SmsTemplate::render_zh`] and [`SmsTemplate::render_en`].
///
/// The default is the template of \[002\] (二、2. 短信回访), word for word
/// with its brand (一汽丰田) and dealer (XX鑫宝4S店) as placeholders, and
/// its punctuation as the source prints it:
///
/// ```
/// use aftersales::SmsTemplate;
///
/// let t = SmsTemplate::default();
/// assert_eq!(
///     t.render_zh("一汽丰田", "XX鑫宝4S店"),
///     "尊敬的一汽丰田客户,您好!请问您对一汽丰田XX鑫宝4S店提供的服务是否满意?请回复按照1-10分打分。感谢您的回复!"
/// );
/// assert_eq!(
///     t.render_en("FAW Toyota", "Xinbao 4S"),
///     "Dear FAW Toyota customer, hello! Are you satisfied with the service \
///      Xinbao 4S provided? Please reply with a score from 1 to 10. Thank you for your reply!"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmsTemplate {
    /// The Chinese text.
    pub zh: String,
    /// The English text.
    pub en: String,
}

impl Default for SmsTemplate {
    fn default() -> Self {
        SmsTemplate {
            zh: "尊敬的{brand}客户,您好!请问您对{brand}{dealer}提供的服务是否满意?请回复按照1-10分打分。感谢您的回复!".to_owned(),
            en: "Dear {brand} customer, hello! Are you satisfied with the service {dealer} provided? \
                 Please reply with a score from 1 to 10. Thank you for your reply!"
                .to_owned(),
        }
    }
}

/// The placeholders a template may name.
const SMS_PLACEHOLDERS: [&str; 2] = ["{brand}", "{dealer}"];

impl SmsTemplate {
    /// The Chinese text with `brand` and `dealer` filled in.
    pub fn render_zh(&self, brand: &str, dealer: &str) -> String {
        fill(&self.zh, brand, dealer)
    }

    /// The English text with `brand` and `dealer` filled in.
    pub fn render_en(&self, brand: &str, dealer: &str) -> String {
        fill(&self.en, brand, dealer)
    }

    /// Checks both texts: not blank, and every `{…}` a known placeholder.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] on `follow_up.sms_template.zh` or `.en` (FU-07).
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (field, text) in [
            ("follow_up.sms_template.zh", &self.zh),
            ("follow_up.sms_template.en", &self.en),
        ] {
            if text.trim().is_empty() {
                return Err(invalid(field, RuleId::Fu07, "is empty"));
            }
            let mut rest = text.as_str();
            while let Some(open) = rest.find('{') {
                let from_open = rest.get(open..).unwrap_or_default();
                let token = from_open
                    .find('}')
                    .and_then(|close| from_open.get(..=close))
                    .unwrap_or(from_open);
                if !SMS_PLACEHOLDERS.contains(&token) {
                    return Err(invalid(
                        field,
                        RuleId::Fu07,
                        format!(
                            "has `{token}`, not one of the placeholders `{{brand}}` and `{{dealer}}`"
                        ),
                    ));
                }
                rest = from_open.get(token.len()..).unwrap_or_default();
            }
        }
        Ok(())
    }
}

fn fill(text: &str, brand: &str, dealer: &str) -> String {
    text.replace("{brand}", brand).replace("{dealer}", dealer)
}

fn check_hours(hours: &[LocalTimeRange], field: &'static str) -> Result<(), PolicyError> {
    if hours.is_empty() {
        return Err(invalid(field, RuleId::Fu05, "lists no calling hours"));
    }
    for (i, a) in hours.iter().enumerate() {
        for b in hours.iter().skip(i.saturating_add(1)) {
            if a.start() < b.end() && b.start() < a.end() {
                return Err(invalid(
                    field,
                    RuleId::Fu05,
                    format!("`{a}` overlaps `{b}`"),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn days_count_local_dates() {
        let cal = DealerCalendar::default();
        let w = ContactWindow::days(3, 7)
            .after(at("2026-03-01T23:59:00+08:00"), &cal)
            .unwrap()
            .unwrap();
        assert_eq!(w.opens_at, at("2026-03-04T00:00:00+08:00"));
        assert_eq!(w.closes_at, at("2026-03-09T00:00:00+08:00"));
        // The same instant given in UTC lands on the same local dates.
        let w2 = ContactWindow::days(3, 7)
            .after(at("2026-03-01T15:59:00+00:00"), &cal)
            .unwrap()
            .unwrap();
        assert_eq!(w, w2);
    }

    #[test]
    fn hours_count_elapsed_time() {
        let w = ContactWindow::hours(24, 48)
            .after(at("2026-03-01T23:59:00+08:00"), &DealerCalendar::default())
            .unwrap()
            .unwrap();
        assert_eq!(w.opens_at, at("2026-03-02T23:59:00+08:00"));
        assert_eq!(w.closes_at, at("2026-03-03T23:59:00+08:00"));
        assert!(w.contains(at("2026-03-03T23:58:59+08:00")));
        assert!(!w.contains(w.closes_at));
    }

    #[test]
    fn json_shapes() {
        let w: ContactWindow = serde_json::from_str(r#"{"from_hours":24,"to_hours":48}"#).unwrap();
        assert_eq!(w, ContactWindow::hours(24, 48));
        assert_eq!(
            serde_json::to_string(&ContactWindow::days(3, 7)).unwrap(),
            r#"{"from_days":3,"to_days":7}"#
        );
        let err =
            serde_json::from_str::<ContactWindow>(r#"{"from_days":3,"to_hours":48}"#).unwrap_err();
        assert!(err.to_string().contains("either `from_days`"), "{err}");
    }

    #[test]
    fn validation_names_the_field() {
        let mut p = FollowUpPolicy {
            second_window: ContactWindow::days(15, 7),
            ..FollowUpPolicy::default()
        };
        assert_eq!(p.validate().unwrap_err().field, "follow_up.second_window");
        p.second_window = ContactWindow::hours(5, 5);
        assert!(p.validate().is_err());
        p.second_window = ContactWindow::days(7, 15);
        p.max_calls = 3;
        assert_eq!(p.validate().unwrap_err().field, "follow_up.max_calls");
        p.max_calls = 8;
        p.follow_up_hours.push(LocalTimeRange::hm((10, 0), (12, 0)));
        let err = p.validate().unwrap_err();
        assert!(err.to_string().contains("overlaps"), "{err}");
        p.follow_up_hours.pop();
        {
            use chrono::Weekday::*;
            p.calendar.closed_weekdays = vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun, Sun];
        }
        assert_eq!(
            p.validate().unwrap_err().field,
            "follow_up.calendar.closed_weekdays"
        );
    }

    #[test]
    fn the_sms_template_is_checked() {
        let mut p = FollowUpPolicy::default();
        assert_eq!(p.validate(), Ok(()));
        p.sms_template.en = " ".into();
        let err = p.validate().unwrap_err();
        assert_eq!(err.field, "follow_up.sms_template.en");
        assert_eq!(err.rule, RuleId::Fu07);
        p.sms_template = SmsTemplate::default();
        p.sms_template.zh = "".into();
        assert_eq!(p.validate().unwrap_err().field, "follow_up.sms_template.zh");
        p.sms_template.zh = "{dealer}您好，请回复1-10分".into();
        assert_eq!(p.validate(), Ok(()));
        p.sms_template.zh = "{shop}您好".into();
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid policy: `follow_up.sms_template.zh` has `{shop}`, not one of the \
             placeholders `{brand}` and `{dealer}` (FU-07)"
        );
        p.sms_template.zh = "您好{dealer".into();
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "invalid policy: `follow_up.sms_template.zh` has `{dealer`, not one of the \
             placeholders `{brand}` and `{dealer}` (FU-07)"
        );
        let t = SmsTemplate::default();
        assert_eq!(
            t.render_zh("B", "D"),
            "尊敬的B客户,您好!请问您对BD提供的服务是否满意?请回复按照1-10分打分。感谢您的回复!"
        );
        let read: FollowUpPolicy =
            serde_json::from_str(r#"{"sms_template": {"en": "Score us 1-10, {dealer}"}}"#).unwrap();
        assert_eq!(read.sms_template.zh, t.zh);
        assert_eq!(read.sms_template.render_en("B", "D"), "Score us 1-10, D");
        assert!(serde_json::from_str::<SmsTemplate>(r#"{"text": ""}"#).is_err());
    }

    #[test]
    fn presets_follow_the_sources() {
        assert_eq!(
            ContactWindow::after_sales_preset(Source::CrManual),
            FollowUpPolicy::default().after_sales_window
        );
        assert_eq!(
            ContactWindow::after_sales_preset(Source::TrainingCourse),
            ContactWindow::hours(24, 48)
        );
        assert_eq!(
            ContactWindow::after_sales_preset(Source::Textbook),
            ContactWindow::days(1, 3)
        );
        assert_eq!(
            ContactWindow::after_sales_preset(Source::CoreProcess),
            ContactWindow::days(1, 7)
        );
    }
}
