//! The care calendar (CARE-01 … CARE-07, CUS-11, WO-29) through the public
//! API: every kind on both edges of the range, the month-end and 29 February
//! arithmetic, the maintenance notice by preferred channel, open safety
//! items from a real work order, range errors, the owner-meeting and
//! sales-pitch checkers, a pinned table, and properties over random
//! profiles.

use aftersales::{
    AnswerAddOns, CareCalendar, CareError, CareFacts, CareKind, CarePolicy, CareProfile,
    ChannelSource, ContactChannel, Currency, CustomerId, ForbiddenPhrase, Holiday, ItemNo,
    LocalTimeRange, Minutes, Money, NoticeForm, OpenSafetyItem, OwnerMeeting, OwnerMeetingIssue,
    Policy, RuleId, SafetyItemAnswer, SalesPitchPhrases, SeasonalCampaign, Vin, WorkOrderCommand,
    WorkOrderNo, care_calendar,
};
use aftersales::{
    Delivery, DeliveryFacts, DeliveryKind, RatioSampler, RepairCall, Selection, TaskKind,
    plan_follow_up,
};
use chrono::{Datelike as _, Days, Months, NaiveDate, NaiveTime};
use proptest::prelude::*;

use crate::support;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn profile(id: &str) -> CareProfile {
    CareProfile::new(CustomerId::try_new(id).unwrap())
}

fn vin(s: &str) -> Option<Vin> {
    Some(Vin::try_new(s).unwrap())
}

/// The default policy without holidays and campaigns, so that a test sees
/// only the contacts of its own profile.
fn quiet_care() -> CarePolicy {
    CarePolicy {
        holidays: vec![],
        seasonal_campaigns: vec![],
        ..CarePolicy::default()
    }
}

fn with_care(care: CarePolicy) -> Policy {
    Policy::default().with_care(care).unwrap()
}

fn quiet() -> Policy {
    with_care(quiet_care())
}

const MARCH: (i32, u32) = (2026, 3);

fn march() -> (NaiveDate, NaiveDate) {
    (d(MARCH.0, MARCH.1, 1), d(MARCH.0, MARCH.1, 31))
}

fn contacts_of(profiles: &[&CareProfile], policy: &Policy) -> CareCalendar {
    let (from, to) = march();
    care_calendar(profiles.iter().copied(), from, to, policy).unwrap()
}

/// A profile and a policy that make exactly one contact of `kind` due on
/// `due`.
fn due_on(kind: CareKind, due: NaiveDate) -> (CareProfile, Policy) {
    let mut p = profile("C-1");
    p.vehicle = vin("LFV3A28W8L3123456");
    let mut care = quiet_care();
    match kind {
        CareKind::NewCarCare => p.new_car_delivered = due.checked_sub_days(Days::new(21)),
        CareKind::RepairFollowUp => p.last_repair_delivered = due.pred_opt(),
        CareKind::BirthdayLetter => {
            let birthday = due + Days::new(7);
            p.birthday = NaiveDate::from_ymd_opt(1980, birthday.month0() + 1, birthday.day0() + 1);
        }
        CareKind::HolidayLetter => {
            care.holidays = vec![Holiday::new("Test Day", "测试节", due + Days::new(7))];
        }
        CareKind::MaintenanceNotice => p.next_maintenance_due = Some(due + Days::new(14)),
        CareKind::SeasonalCampaign => {
            care.seasonal_campaigns = vec![SeasonalCampaign {
                name_en: "spring check".into(),
                name_zh: "春季检查".into(),
                month: due.month0() + 1,
                day: due.day0() + 1,
                advice: "免费检查轮胎和雨刮。Free check of tyres and wipers.".into(),
            }];
        }
        CareKind::LongTimeNoVisit => {
            // The day after last visit + 12 months is `due`.
            p.last_visit = due.pred_opt().unwrap().checked_sub_months(Months::new(12));
            assert_eq!(
                CarePolicy::default().long_time_no_visit_from(p.last_visit.unwrap()),
                Some(due),
                "fixture for {due}"
            );
        }
        CareKind::SafetyItem => {
            p.open_safety_items = vec![OpenSafetyItem {
                order: WorkOrderNo::try_new("WO-1").unwrap(),
                item: ItemNo(2),
                description: "front brake pads worn to the limit".into(),
                recorded_on: due - Days::new(14),
                answer: SafetyItemAnswer::Deferred,
            }];
        }
    }
    (p, with_care(care))
}

// ---------------------------------------------------------------------------
// Every kind at the edges of the range
// ---------------------------------------------------------------------------

#[test]
fn every_kind_is_due_on_the_first_and_last_day_and_not_one_day_outside() {
    let (from, to) = march();
    for kind in CareKind::ALL.iter().copied() {
        for (due, inside) in [
            (from.pred_opt().unwrap(), false),
            (from, true),
            (to, true),
            (to.succ_opt().unwrap(), false),
        ] {
            let (p, policy) = due_on(kind, due);
            let cal = care_calendar([&p], from, to, &policy).unwrap();
            let got: Vec<(NaiveDate, CareKind)> =
                cal.contacts().iter().map(|c| (c.date, c.kind())).collect();
            let want = if inside { vec![(due, kind)] } else { vec![] };
            assert_eq!(got, want, "{kind:?} due {due}");
            // The same contact is found by a range of that one day.
            let one_day = care_calendar([&p], due, due, &policy).unwrap();
            assert_eq!(one_day.len(), 1, "{kind:?} due {due} in a one-day range");
            let c = &one_day.contacts()[0];
            assert_eq!(c.rule(), kind.rule());
            assert_eq!(c.channel.channel, kind.default_channel());
            assert_eq!(c.channel.source, ChannelSource::KindDefault);
            assert_eq!(
                c.vehicle.is_none(),
                kind.is_personal(),
                "{kind:?}: personal contacts carry no vehicle"
            );
        }
    }
}

#[test]
fn rules_and_default_channels_per_kind() {
    let table: Vec<(CareKind, RuleId, ContactChannel)> = CareKind::ALL
        .iter()
        .map(|k| (*k, k.rule(), k.default_channel()))
        .collect();
    assert_eq!(
        table,
        [
            (CareKind::NewCarCare, RuleId::Care01, ContactChannel::Phone),
            (
                CareKind::RepairFollowUp,
                RuleId::Care02,
                ContactChannel::Phone
            ),
            (
                CareKind::BirthdayLetter,
                RuleId::Care03,
                ContactChannel::Letter
            ),
            (
                CareKind::HolidayLetter,
                RuleId::Care03,
                ContactChannel::Letter
            ),
            (
                CareKind::MaintenanceNotice,
                RuleId::Care04,
                ContactChannel::Letter
            ),
            (
                CareKind::SeasonalCampaign,
                RuleId::Care05,
                ContactChannel::Sms
            ),
            (
                CareKind::LongTimeNoVisit,
                RuleId::Cus11,
                ContactChannel::Phone
            ),
            (CareKind::SafetyItem, RuleId::Wo29, ContactChannel::Phone),
        ]
    );
    assert_eq!(CareKind::BirthdayLetter.label_zh(), "生日关怀函");
}

#[test]
fn new_car_care_follows_the_follow_up_window() {
    // CARE-01 / FU-02: day 21 by default; a dealer's window moves it.
    let mut p = profile("C-1");
    p.new_car_delivered = Some(d(2026, 2, 20));
    let cal = contacts_of(&[&p], &quiet());
    assert_eq!(cal.contacts()[0].date, d(2026, 3, 13));
    assert_eq!(
        cal.contacts()[0].reason().to_string(),
        "new car delivered 2026-02-20; care contact in days 21–28 after delivery (FU-02): \
         ask about its use, give the service location and hours, remind of the first \
         maintenance (CARE-01)"
    );
    let mut follow_up = quiet().follow_up().clone();
    follow_up.new_car_care_window = aftersales::ContactWindow::days(14, 21);
    let policy = quiet().with_follow_up(follow_up).unwrap();
    assert_eq!(
        contacts_of(&[&p], &policy).contacts()[0].date,
        d(2026, 3, 6)
    );
}

// ---------------------------------------------------------------------------
// CUS-11: month-end arithmetic
// ---------------------------------------------------------------------------

#[test]
fn long_time_no_visit_counts_calendar_months_from_the_month_end() {
    let policy = CarePolicy::default();
    // 31 March + 12 months is 31 March: more than 12 months from 1 April.
    assert_eq!(
        policy.long_time_no_visit_from(d(2025, 3, 31)),
        Some(d(2026, 4, 1))
    );
    let mut p = profile("C-1");
    p.last_visit = Some(d(2025, 3, 31));
    assert!(!p.is_long_time_no_visit(d(2026, 3, 31), &policy));
    assert!(p.is_long_time_no_visit(d(2026, 4, 1), &policy));
    assert!(!p.is_long_time_no_visit(d(2025, 4, 1), &policy));
    assert!(!profile("C-2").is_long_time_no_visit(d(2030, 1, 1), &policy));

    // 31 March + 11 months has no 31st: the month's last day, 28 February
    // (29 in a leap year), so the threshold is crossed on 1 March.
    let eleven = CarePolicy {
        long_time_no_visit_months: 11,
        ..CarePolicy::default()
    };
    assert_eq!(
        eleven.long_time_no_visit_from(d(2025, 3, 31)),
        Some(d(2026, 3, 1))
    );
    assert_eq!(
        eleven.long_time_no_visit_from(d(2023, 3, 31)),
        Some(d(2024, 3, 1))
    );
    let one = CarePolicy {
        long_time_no_visit_months: 1,
        ..CarePolicy::default()
    };
    assert_eq!(
        one.long_time_no_visit_from(d(2026, 1, 31)),
        Some(d(2026, 3, 1))
    );
    assert_eq!(
        one.long_time_no_visit_from(d(2024, 1, 31)),
        Some(d(2024, 3, 1))
    );
    assert_eq!(
        one.long_time_no_visit_from(d(2024, 1, 30)),
        Some(d(2024, 3, 1))
    );
    assert_eq!(
        one.long_time_no_visit_from(d(2024, 1, 28)),
        Some(d(2024, 2, 29))
    );
    // A 29 February visit: 28 February a year later, crossed on 1 March.
    assert_eq!(
        policy.long_time_no_visit_from(d(2024, 2, 29)),
        Some(d(2025, 3, 1))
    );

    // In the calendar: the contact is on the crossing day.
    let mut q = profile("C-3");
    q.last_visit = Some(d(2025, 2, 28));
    let cal = contacts_of(&[&p, &q], &quiet());
    assert_eq!(cal.len(), 1, "31 March 2025 crosses on 1 April 2026");
    assert_eq!(cal.contacts()[0].customer.as_str(), "C-3");
    assert_eq!(cal.contacts()[0].date, d(2026, 3, 1));
    assert_eq!(
        cal.contacts()[0].reason().to_string(),
        "last visit 2025-02-28, no visit for more than 12 months: check the last service and \
         whether the customer was satisfied, then invite (CUS-11)"
    );
}

// ---------------------------------------------------------------------------
// CARE-03: 29 February birthdays
// ---------------------------------------------------------------------------

#[test]
fn a_29_february_birthday_falls_on_28_february_in_common_years() {
    let mut p = profile("C-1");
    p.birthday = Some(d(1988, 2, 29));
    let policy = quiet();
    let year = |y: i32| {
        care_calendar([&p], d(y, 1, 1), d(y, 12, 31), &policy)
            .unwrap()
            .into_contacts()
    };
    let common = year(2027);
    assert_eq!(common.len(), 1);
    assert_eq!(common[0].date, d(2027, 2, 21), "7 days before 28 February");
    assert_eq!(
        common[0].reason().to_string(),
        "born 1988-02-29; birthday greetings 7 days before 2027-02-28 (29 February falls on \
         28 February in a common year) (CARE-03)"
    );
    let leap = year(2028);
    assert_eq!(leap.len(), 1);
    assert_eq!(leap[0].date, d(2028, 2, 22), "7 days before 29 February");
    assert!(matches!(
        leap[0].facts,
        CareFacts::BirthdayLetter { birthday, .. } if birthday == d(2028, 2, 29)
    ));

    // With no lead the letter is dated on the birthday itself.
    let no_lead = with_care(CarePolicy {
        birthday_letter_lead_days: 0,
        ..quiet_care()
    });
    let cal = care_calendar([&p], d(2027, 2, 28), d(2027, 3, 1), &no_lead).unwrap();
    assert_eq!(cal.len(), 1);
    assert_eq!(cal.contacts()[0].date, d(2027, 2, 28));

    // No letter for the years before the person was born, nor for the day
    // of birth.
    let mut baby = profile("C-2");
    baby.birthday = Some(d(2026, 3, 20));
    assert!(contacts_of(&[&baby], &policy).is_empty());
}

#[test]
fn a_january_birthday_letter_goes_out_in_the_december_before() {
    let mut p = profile("C-1");
    p.birthday = Some(d(1990, 1, 3));
    let cal = care_calendar([&p], d(2026, 12, 1), d(2026, 12, 31), &quiet()).unwrap();
    assert_eq!(cal.len(), 1);
    assert_eq!(cal.contacts()[0].date, d(2026, 12, 27));
}

// ---------------------------------------------------------------------------
// CARE-04 / CARE-07: maintenance notice by preferred channel
// ---------------------------------------------------------------------------

#[test]
fn maintenance_notice_is_a_letter_two_weeks_or_a_call_one_week_before() {
    let due = d(2026, 3, 25);
    let notice = |channel: Option<ContactChannel>| {
        let mut p = profile("C-1");
        p.next_maintenance_due = Some(due);
        p.preferred.channel = channel;
        p.preferred.times = vec![
            LocalTimeRange::try_new(
                NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
                NaiveTime::from_hms_opt(20, 30, 0).unwrap(),
            )
            .unwrap(),
        ];
        let cal = contacts_of(&[&p], &quiet());
        assert_eq!(cal.len(), 1);
        cal.into_contacts().remove(0)
    };

    let letter = notice(None);
    assert_eq!(letter.date, d(2026, 3, 11));
    assert_eq!(letter.channel.channel, ContactChannel::Letter);
    assert_eq!(letter.channel.source, ChannelSource::KindDefault);
    assert!(
        letter.channel.times.is_empty(),
        "times only matter for calls"
    );
    assert!(matches!(
        letter.facts,
        CareFacts::MaintenanceNotice {
            form: NoticeForm::Written,
            days_before: 14,
            ..
        }
    ));

    let call = notice(Some(ContactChannel::Phone));
    assert_eq!(call.date, d(2026, 3, 18));
    assert_eq!(call.channel.channel, ContactChannel::Phone);
    assert_eq!(call.channel.source, ChannelSource::Preferred);
    assert_eq!(call.channel.times.len(), 1);
    assert_eq!(
        call.reasons()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "next maintenance due 2026-03-25; phone call 7 days before: propose an appointment, \
             state the content and duration (CARE-04)",
            "the customer prefers phone call, called at 19:00–20:30 (CARE-07)",
        ]
    );

    // A customer who prefers a written channel gets the notice two weeks
    // before, through that channel.
    for channel in [
        ContactChannel::Sms,
        ContactChannel::Email,
        ContactChannel::Messenger,
    ] {
        let c = notice(Some(channel));
        assert_eq!(c.date, d(2026, 3, 11), "{channel}");
        assert_eq!(c.channel.channel, channel);
        assert_eq!(c.channel.source, ChannelSource::Preferred);
    }
}

#[test]
fn the_preferred_channel_overrides_every_kinds_default() {
    let (from, _) = march();
    for kind in CareKind::ALL.iter().copied() {
        let (mut p, policy) = due_on(kind, from);
        p.preferred.channel = Some(ContactChannel::Email);
        let cal = care_calendar([&p], from, from, &policy).unwrap();
        let c = &cal.contacts()[0];
        assert_eq!(c.channel.channel, ContactChannel::Email, "{kind:?}");
        assert_eq!(c.channel.source, ChannelSource::Preferred);
        assert_eq!(
            c.reasons()[1].to_string(),
            "the customer prefers e-mail (CARE-07)"
        );
    }
}

// ---------------------------------------------------------------------------
// WO-29: open safety items from a real work order
// ---------------------------------------------------------------------------

/// The story's order, with the customer answering the add-on batch
/// (item 4 rear discs, safety; item 5 wipers, comfort) as given.
fn story_order_answering(declined: Vec<ItemNo>, deferred: Vec<ItemNo>) -> aftersales::WorkOrder {
    let (mut order, command) = support::before("By phone the customer authorizes the discs");
    let WorkOrderCommand::AnswerAddOns(answer) = command else {
        panic!("the step answers the add-ons: {command:?}");
    };
    let command = WorkOrderCommand::AnswerAddOns(AnswerAddOns {
        authorized: vec![],
        declined,
        deferred,
        amount: Money::zero(Currency::CNY),
        ..answer
    });
    order.execute(command, &support::policy()).unwrap();
    order
}

#[test]
fn deferred_and_declined_safety_items_come_back_in_the_calendar() {
    let policy = Policy::default();
    let calendar = &policy.follow_up().calendar;

    let order = story_order_answering(vec![ItemNo(5)], vec![ItemNo(4)]);
    let items = OpenSafetyItem::from_order(&order, calendar).unwrap();
    assert_eq!(
        items,
        [OpenSafetyItem {
            order: WorkOrderNo::try_new("WO-2026-1124-017").unwrap(),
            item: ItemNo(4),
            description: "rear brake discs below minimum thickness".into(),
            recorded_on: d(2026, 11, 24),
            answer: SafetyItemAnswer::Deferred,
        }],
        "the declined wipers are not safety related"
    );

    let declined = story_order_answering(vec![ItemNo(4), ItemNo(5)], vec![]);
    let declined_items = OpenSafetyItem::from_order(&declined, calendar).unwrap();
    assert_eq!(declined_items.len(), 1);
    assert_eq!(declined_items[0].answer, SafetyItemAnswer::Declined);

    // The delivered story order: the discs were authorized and done, the
    // front pads (safety) too; nothing is open.
    let (done, _) = support::order_after(support::steps().len());
    assert!(
        OpenSafetyItem::from_order(&done, calendar)
            .unwrap()
            .is_empty()
    );

    let mut p = profile("C-88021");
    p.vehicle = vin("LFV3A28W8L3123456");
    p.open_safety_items = items;
    let cal = care_calendar([&p], d(2026, 12, 1), d(2026, 12, 31), &quiet()).unwrap();
    assert_eq!(cal.len(), 1);
    let c = &cal.contacts()[0];
    assert_eq!(c.date, d(2026, 12, 8), "14 days after 24 November");
    assert_eq!(c.kind(), CareKind::SafetyItem);
    assert_eq!(c.rule(), RuleId::Wo29);
    assert_eq!(c.channel.channel, ContactChannel::Phone);
    assert_eq!(
        c.reason().to_string(),
        "safety item 4 `rear brake discs below minimum thickness` of order `WO-2026-1124-017` \
         deferred on 2026-11-24; reminder 14 days later (WO-29)"
    );
}

#[test]
fn the_answer_date_is_the_dealers_local_date() {
    // An answer at 03:20 UTC on 24 November: 11:20 in Beijing the same day,
    // 19:20 on 23 November at UTC−8.
    let (mut order, command) = support::before("By phone the customer authorizes the discs");
    let WorkOrderCommand::AnswerAddOns(answer) = command else {
        panic!("the step answers the add-ons");
    };
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-24T03:20:00+00:00").unwrap();
    order
        .execute(
            WorkOrderCommand::AnswerAddOns(AnswerAddOns {
                at,
                authorized: vec![],
                declined: vec![],
                deferred: vec![ItemNo(4), ItemNo(5)],
                amount: Money::zero(Currency::CNY),
                ..answer
            }),
            &support::policy(),
        )
        .unwrap();
    let beijing = Policy::default().follow_up().calendar.clone();
    let items = OpenSafetyItem::from_order(&order, &beijing).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].recorded_on, d(2026, 11, 24));
    let mut west = beijing.clone();
    west.utc_offset_minutes = -8 * 60;
    assert_eq!(
        OpenSafetyItem::from_order(&order, &west).unwrap()[0].recorded_on,
        d(2026, 11, 23)
    );
}

// ---------------------------------------------------------------------------
// Range errors
// ---------------------------------------------------------------------------

#[test]
fn ranges_must_run_forward_and_stay_within_the_bound() {
    let policy = Policy::default();
    let p = profile("C-1");
    let err = care_calendar([&p], d(2026, 3, 31), d(2026, 3, 1), &policy).unwrap_err();
    assert_eq!(
        err,
        CareError::Reversed {
            from: d(2026, 3, 31),
            to: d(2026, 3, 1)
        }
    );
    assert_eq!(
        err.to_string(),
        "care calendar range `2026-03-31` to `2026-03-01` ends before it starts"
    );

    // 2028 is a leap year: 366 days is the bound, 367 is too many.
    assert!(care_calendar([&p], d(2028, 1, 1), d(2028, 12, 31), &policy).is_ok());
    let err = care_calendar([&p], d(2028, 1, 1), d(2029, 1, 1), &policy).unwrap_err();
    assert_eq!(
        err.to_string(),
        "care calendar range `2028-01-01` to `2029-01-01` covers 367 days, more than the 366 \
         of `care.max_range_days`"
    );
    // One day is fine; so is the empty profile list.
    let one = care_calendar([], d(2026, 3, 1), d(2026, 3, 1), &policy).unwrap();
    assert!(one.is_empty());
    assert_eq!(
        (one.first_day(), one.last_day()),
        (d(2026, 3, 1), d(2026, 3, 1))
    );

    let tight = with_care(CarePolicy {
        max_range_days: 7,
        ..CarePolicy::default()
    });
    assert!(care_calendar([&p], d(2026, 3, 1), d(2026, 3, 7), &tight).is_ok());
    assert!(matches!(
        care_calendar([&p], d(2026, 3, 1), d(2026, 3, 8), &tight),
        Err(CareError::TooLong {
            days: 8,
            max: 7,
            ..
        })
    ));
}

#[test]
fn dates_at_the_ends_of_chrono_do_not_panic() {
    let mut p = profile("C-1");
    p.birthday = Some(NaiveDate::MAX);
    p.new_car_delivered = Some(NaiveDate::MAX);
    p.last_repair_delivered = Some(NaiveDate::MAX);
    p.last_visit = Some(NaiveDate::MAX);
    p.next_maintenance_due = Some(NaiveDate::MIN);
    let policy = Policy::default();
    // Profile dates at chrono's ends, ranges at the supported ends.
    let end = care_calendar([&p], d(9999, 12, 1), d(9999, 12, 31), &policy);
    assert!(end.is_ok());
    let start = care_calendar([&p], d(1900, 1, 1), d(1900, 1, 31), &policy);
    assert!(start.is_ok());
    // A range at chrono's ends is outside the supported range: refused.
    let past_end = care_calendar(
        [&p],
        NaiveDate::MAX - Days::new(30),
        NaiveDate::MAX,
        &policy,
    );
    assert!(matches!(past_end, Err(CareError::Time(e)) if e.field == "from"));
    let before_start = care_calendar(
        [&p],
        NaiveDate::MIN,
        NaiveDate::MIN + Days::new(30),
        &policy,
    );
    assert!(matches!(before_start, Err(CareError::Time(e)) if e.field == "from"));
}

// ---------------------------------------------------------------------------
// Checkers: owner meetings (CARE-06) and sales pitch (CARE-03)
// ---------------------------------------------------------------------------

#[test]
fn owner_meetings_have_10_to_15_participants_for_at_most_2_hours() {
    let policy = CarePolicy::default();
    let check = |participants, minutes| {
        policy.check_owner_meeting(&OwnerMeeting {
            participants,
            duration: Minutes(minutes),
        })
    };
    for (participants, minutes) in [(10, 120), (15, 120), (12, 45)] {
        assert!(
            check(participants, minutes).is_empty(),
            "{participants} {minutes}"
        );
    }
    assert_eq!(
        check(9, 120),
        [OwnerMeetingIssue::TooFewParticipants {
            participants: 9,
            min: 10
        }]
    );
    assert_eq!(
        check(16, 121),
        [
            OwnerMeetingIssue::TooManyParticipants {
                participants: 16,
                max: 15
            },
            OwnerMeetingIssue::TooLong {
                duration: Minutes(121),
                max: Minutes(120)
            },
        ]
    );
    let texts: Vec<String> = check(3, 180)
        .iter()
        .map(|i| i.reason().to_string())
        .collect();
    assert_eq!(
        texts,
        [
            "owner meeting with `3` participants has fewer than 10 (CARE-06)",
            "owner meeting of `180 min` is longer than 120 min (CARE-06)",
        ]
    );
}

#[test]
fn care_messages_must_not_pitch_sales() {
    let policy = CarePolicy::default();
    let letter = "尊敬的王先生：祝您生日快乐！即日起保养套餐限时特价，买一送一。\
                  Happy birthday! Our SPECIAL  OFFER ends soon – buy now.";
    let hits = policy.check_care_message(letter);
    let found: Vec<&str> = hits.iter().map(|h| h.matched(letter).unwrap()).collect();
    assert_eq!(
        found,
        ["限时", "特价", "买一送一", "SPECIAL  OFFER", "buy now"]
    );
    assert!(hits.iter().all(|h| h.rule == RuleId::Care03));

    for clean in [
        "尊敬的王先生：祝您生日快乐，阖家幸福，行车平安！",
        "中秋佳节，祝您和家人团圆美满。",
        "夏季来临前，本店为您免费检查空调系统。",
        "Happy Mid-Autumn Festival to you and your family.",
        "Wholesale prices are not our business here.", // `sale` only as a word
    ] {
        assert!(policy.check_care_message(clean).is_empty(), "{clean}");
    }

    // A dealer's own list.
    let own = SalesPitchPhrases::new(vec![ForbiddenPhrase::english("upgrade")]).unwrap();
    assert_eq!(own.check("Time to UPGRADE your car!").len(), 1);
    let err = SalesPitchPhrases::new(vec![
        ForbiddenPhrase::chinese("优惠"),
        ForbiddenPhrase::chinese("优惠！"),
    ])
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid policy: `care.sales_pitch_phrases` has `优惠！` at index 1, the same phrase as \
         index 0 after normalization (CARE-03)"
    );
}

// ---------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------

#[test]
fn the_care_policy_loads_from_json_and_is_validated() {
    let json = r#"{ "care": { "maintenance_letter_days": 21, "long_time_no_visit_months": 18 } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    assert_eq!(policy.care().maintenance_letter_days, 21);
    assert_eq!(policy.care().maintenance_call_days, 7, "default kept");
    assert_eq!(policy.care().holidays, CarePolicy::default().holidays);

    let bad = r#"{ "care": { "maintenance_letter_days": 3 } }"#;
    let err = serde_json::from_str::<Policy>(bad).unwrap_err();
    assert!(
        err.to_string().contains(
            "invalid policy: `care.maintenance_letter_days` is 3, fewer than the call's 7 days: \
             a letter goes out no later than a call (CARE-04)"
        ),
        "{err}"
    );
    let unknown = r#"{ "care": { "birthday_lead": 3 } }"#;
    assert!(serde_json::from_str::<Policy>(unknown).is_err());

    let err = Policy::default()
        .with_care(CarePolicy {
            owner_meeting_min_participants: 0,
            ..CarePolicy::default()
        })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid policy: `care.owner_meeting_min_participants` is 0, must be at least 1 \
         participant (CARE-06)"
    );
}

#[test]
fn a_profile_needs_only_its_customer_in_json() {
    let p: CareProfile = serde_json::from_str(r#"{"customer":"C-1"}"#).unwrap();
    assert_eq!(p, profile("C-1"));
    let full = r#"{
        "customer": "C-2",
        "vehicle": "lfv3a28w8l3123456",
        "preferred": { "channel": "sms" },
        "birthday": "1980-09-30",
        "open_safety_items": [{
            "order": "WO-1", "item": 2, "description": "brake fluid", "recorded_on": "2026-03-01",
            "answer": "deferred"
        }]
    }"#;
    let p: CareProfile = serde_json::from_str(full).unwrap();
    assert_eq!(p.vehicle, vin("LFV3A28W8L3123456"));
    assert_eq!(p.open_safety_items[0].answer, SafetyItemAnswer::Deferred);
    assert!(serde_json::from_str::<CareProfile>(r#"{"customer":"C-1","age":3}"#).is_err());
    assert!(serde_json::from_str::<CareProfile>(r#"{"customer":"C 1"}"#).is_err());
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

/// Six customers, seven profiles (C-1004 has two cars), September 2026,
/// the default policy plus one campaign on the first day of the range.
fn september() -> (Vec<CareProfile>, Policy) {
    let mut wang = profile("C-1001");
    wang.vehicle = vin("LFV3A28W8L3123456");
    wang.new_car_delivered = Some(d(2026, 8, 11)); // day 21 = 1 September
    wang.birthday = Some(d(1980, 9, 30)); // letter 23 September

    let mut li = profile("C-1002");
    li.vehicle = vin("LSVAA4180E2123456");
    li.preferred.channel = Some(ContactChannel::Sms);
    li.last_repair_delivered = Some(d(2026, 9, 29)); // follow-up 30 September
    li.next_maintenance_due = Some(d(2026, 10, 14)); // SMS 30 September

    let mut zhang = profile("C-1003");
    zhang.vehicle = vin("LFV2A21K0G3045678");
    zhang.preferred.channel = Some(ContactChannel::Phone);
    zhang.preferred.times = vec![
        LocalTimeRange::try_new(
            NaiveTime::from_hms_opt(19, 0, 0).unwrap(),
            NaiveTime::from_hms_opt(20, 30, 0).unwrap(),
        )
        .unwrap(),
    ];
    zhang.next_maintenance_due = Some(d(2026, 9, 20)); // call 13 September
    zhang.last_visit = Some(d(2025, 9, 9)); // long time no visit from 10 September

    let mut zhao_a = profile("C-1004");
    zhao_a.vehicle = vin("LGBH52E05HY012345");
    zhao_a.open_safety_items = vec![OpenSafetyItem {
        order: WorkOrderNo::try_new("WO-2026-0902-003").unwrap(),
        item: ItemNo(2),
        description: "rear brake discs below minimum thickness".into(),
        recorded_on: d(2026, 9, 2), // reminder 16 September
        answer: SafetyItemAnswer::Deferred,
    }];
    let mut zhao_b = profile("C-1004");
    zhao_b.vehicle = vin("LGBH52E05HY067890");
    zhao_b.open_safety_items = vec![OpenSafetyItem {
        order: WorkOrderNo::try_new("WO-2026-0820-011").unwrap(),
        item: ItemNo(1),
        description: "front tyres worn to the wear bars".into(),
        recorded_on: d(2026, 8, 20), // reminder 3 September
        answer: SafetyItemAnswer::Declined,
    }];

    let mut chen = profile("C-1005"); // no vehicle on file
    chen.preferred.channel = Some(ContactChannel::Email);
    chen.birthday = Some(d(1975, 10, 5)); // letter 28 September

    let mut liu = profile("C-1006");
    liu.vehicle = vin("LSGPC52U8EF123456");
    liu.next_maintenance_due = Some(d(2026, 9, 14)); // letter 31 August: outside
    liu.last_visit = Some(d(2025, 8, 31)); // long time no visit from 1 September

    let mut care = CarePolicy::default();
    care.seasonal_campaigns.push(SeasonalCampaign {
        name_en: "autumn check".into(),
        name_zh: "秋季检查".into(),
        month: 9,
        day: 1,
        advice: "免费检查轮胎与刹车。Free check of tyres and brakes.".into(),
    });
    (
        vec![wang, li, zhang, zhao_a, zhao_b, chen, liu],
        with_care(care),
    )
}

#[test]
fn september_table() {
    let (profiles, policy) = september();
    let cal = care_calendar(&profiles, d(2026, 9, 1), d(2026, 9, 30), &policy).unwrap();
    // The input order does not matter.
    let reversed = care_calendar(
        profiles.iter().rev(),
        d(2026, 9, 1),
        d(2026, 9, 30),
        &policy,
    )
    .unwrap();
    assert_eq!(cal, reversed);
    // One campaign message and two holiday letters per customer, not per
    // vehicle: C-1004 has two profiles.
    let campaign = cal
        .contacts()
        .iter()
        .filter(|c| c.kind() == CareKind::SeasonalCampaign)
        .count();
    assert_eq!(campaign, 6);
    let text = cal.render();
    assert_eq!(text, cal.to_string());
    insta::assert_snapshot!("care_calendar_september", text);
}

#[test]
fn a_stored_calendar_round_trips() {
    let (profiles, policy) = september();
    let cal = care_calendar(&profiles, d(2026, 9, 1), d(2026, 9, 30), &policy).unwrap();
    let json = serde_json::to_string(&cal).unwrap();
    let back: CareCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
    assert_eq!(back.render(), cal.render());
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        // Mostly near the ranges asked for …
        8 => (0i64..3_000).prop_map(|n| d(2020, 1, 1) + chrono::TimeDelta::days(n)),
        // … sometimes anywhere chrono goes.
        1 => (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap()),
        1 => Just(d(2024, 2, 29)),
    ]
}

fn any_channel() -> impl Strategy<Value = Option<ContactChannel>> {
    proptest::option::of(proptest::sample::select(ContactChannel::ALL.to_vec()))
}

fn any_item() -> impl Strategy<Value = OpenSafetyItem> {
    (1u16..5, any_date(), any::<bool>(), "[a-z ]{0,12}").prop_map(
        |(item, recorded_on, declined, description)| OpenSafetyItem {
            order: WorkOrderNo::try_new(format!("WO-{item}")).unwrap(),
            item: ItemNo(item),
            description,
            recorded_on,
            answer: if declined {
                SafetyItemAnswer::Declined
            } else {
                SafetyItemAnswer::Deferred
            },
        },
    )
}

fn any_profile() -> impl Strategy<Value = CareProfile> {
    (
        (
            0u8..6,
            proptest::option::of(proptest::sample::select(vec![
                "LFV3A28W8L3123456",
                "LSVAA4180E2123456",
            ])),
            any_channel(),
        ),
        (
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
            proptest::option::of(any_date()),
        ),
        proptest::collection::vec(any_item(), 0..3),
    )
        .prop_map(
            |((customer, vehicle, channel), (birthday, new_car, repair, visit, due), items)| {
                let mut p = profile(&format!("C-{customer}"));
                p.vehicle = vehicle.and_then(|v| Vin::try_new(v).ok());
                p.preferred.channel = channel;
                p.birthday = birthday;
                p.new_car_delivered = new_car;
                p.last_repair_delivered = repair;
                p.last_visit = visit;
                p.next_maintenance_due = due;
                p.open_safety_items = items;
                p
            },
        )
}

fn any_care_policy() -> impl Strategy<Value = CarePolicy> {
    (
        (1u32..30, 0u32..60, 0u32..60, 1u32..10),
        (0u32..8, 1u32..20, 1u32..600, 1u32..60, 0u32..100, 1u32..400),
        proptest::collection::vec((any_date(), "[A-Z][a-z]{1,8}"), 0..4),
    )
        .prop_map(
            |(
                (repair, birthday, holiday, call),
                (extra, min, minutes, months, safety, max),
                hs,
            )| {
                let mut holidays: Vec<Holiday> = Vec::new();
                for (date, name) in hs {
                    if !holidays.iter().any(|h| h.name_en == name && h.date == date) {
                        holidays.push(Holiday::new(name.clone(), name, date));
                    }
                }
                CarePolicy {
                    repair_follow_up_days: repair,
                    birthday_letter_lead_days: birthday,
                    holiday_letter_lead_days: holiday,
                    holidays,
                    maintenance_call_days: call,
                    maintenance_letter_days: call + extra,
                    owner_meeting_min_participants: min,
                    owner_meeting_max_participants: min + extra,
                    owner_meeting_max_duration: Minutes(minutes),
                    long_time_no_visit_months: months,
                    safety_item_reminder_days: safety,
                    max_range_days: max,
                    ..CarePolicy::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn contacts_lie_in_the_range_and_are_sorted(
        profiles in proptest::collection::vec(any_profile(), 0..12),
        care in any_care_policy(),
        from in any_date(),
        length in 0u64..400,
    ) {
        let policy = with_care(care);
        let to = from.checked_add_days(Days::new(length)).unwrap_or(NaiveDate::MAX);
        match care_calendar(&profiles, from, to, &policy) {
            Ok(cal) => {
                for c in cal.contacts() {
                    prop_assert!(from <= c.date && c.date <= to, "{} outside {from}..={to}", c.date);
                    prop_assert_eq!(c.rule(), c.kind().rule());
                    // Every contact explains itself without panicking.
                    prop_assert!(!c.reason().fact.is_empty());
                    prop_assert_eq!(c.reasons().len(), 2);
                }
                for w in cal.contacts().windows(2) {
                    let a = (w[0].date, &w[0].customer, w[0].kind());
                    let b = (w[1].date, &w[1].customer, w[1].kind());
                    prop_assert!(a <= b, "{a:?} after {b:?}");
                }
                // The same input in another order gives the same calendar.
                let again = care_calendar(profiles.iter().rev(), from, to, &policy).unwrap();
                prop_assert_eq!(&again, &cal);
                let _ = cal.render();
            }
            Err(CareError::TooLong { days, max, .. }) => {
                prop_assert!(days > i64::from(max));
                prop_assert_eq!(days, to.signed_duration_since(from).num_days() + 1);
            }
            Err(CareError::Time(e)) => {
                // Only a day outside the supported years is refused.
                let years = 1900..=9999;
                let bad = if e.field == "from" { from } else { to };
                prop_assert!(e.field == "from" || e.field == "to", "{e}");
                prop_assert!(!years.contains(&bad.year()), "{e}");
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
    }

    #[test]
    fn one_day_ranges_split_a_range(
        profiles in proptest::collection::vec(any_profile(), 0..6),
        offset in 0i64..2_000,
        length in 0u64..40,
    ) {
        // A range's contacts are those of its days, one by one.
        let policy = Policy::default();
        let from = d(2021, 1, 1) + chrono::TimeDelta::days(offset);
        let to = from + Days::new(length);
        let whole = care_calendar(&profiles, from, to, &policy).unwrap();
        let mut by_day = Vec::new();
        for n in 0..=length {
            let day = from + Days::new(n);
            let one = care_calendar(&profiles, day, day, &policy).unwrap();
            prop_assert_eq!(whole.on(day), one.contacts());
            by_day.extend(one.into_contacts());
        }
        prop_assert_eq!(whole.contacts(), by_day.as_slice());
    }

    #[test]
    fn profiles_round_trip_through_json(p in any_profile()) {
        let json = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<CareProfile>(&json).unwrap(), p);
    }

    #[test]
    fn care_policies_round_trip_through_json(care in any_care_policy()) {
        let json = serde_json::to_string(&care).unwrap();
        let back: CarePolicy = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &care);
        // And the valid ones through the whole policy.
        let policy = with_care(care);
        let json = serde_json::to_string(&policy).unwrap();
        prop_assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    }
}

// ---------------------------------------------------------------------------
// One repair call, not two (CARE-02, FU-01)
// ---------------------------------------------------------------------------

fn repair_delivery(kind: DeliveryKind, delivered_at: &str) -> Delivery {
    Delivery {
        kind,
        order: Some("WO-2026-0300".parse().unwrap()),
        customer: Some("C-1".parse().unwrap()),
        name: "Sun Li".parse().unwrap(),
        phone: Some("13600000000".parse().unwrap()),
        staff: "SA-04".parse().unwrap(),
        delivered_at: chrono::DateTime::parse_from_rfc3339(delivered_at).unwrap(),
        facts: DeliveryFacts::EMPTY,
        agreed: Default::default(),
    }
}

fn repair_calls(p: &CareProfile) -> Vec<NaiveDate> {
    contacts_of(&[p], &quiet())
        .contacts()
        .iter()
        .filter(|c| c.kind() == CareKind::RepairFollowUp)
        .map(|c| c.date)
        .collect()
}

/// A repair whose follow-up plan has the after-sales call: the calendar
/// lists no second call. Without the plan recorded it lists the CARE-02
/// call on the day after, as before.
#[test]
fn a_repair_with_a_follow_up_call_gets_no_second_call() {
    let policy = quiet();
    let delivery = repair_delivery(DeliveryKind::Service, "2026-03-09T17:00:00+08:00");
    let plan = plan_follow_up(&delivery, &mut RatioSampler::default(), &policy).unwrap();
    assert!(plan.task(TaskKind::AfterSalesCall).is_some());

    let mut without = profile("C-1");
    without.last_repair_delivered = Some(d(2026, 3, 9));
    assert_eq!(without.last_repair_call, RepairCall::CareCalendar);
    assert_eq!(repair_calls(&without), [d(2026, 3, 10)]);

    let mut with = profile("C-1");
    with.record_repair_plan(&plan, &policy.follow_up().calendar)
        .unwrap();
    assert_eq!(with.last_repair_delivered, Some(d(2026, 3, 9)));
    assert_eq!(with.last_repair_call, RepairCall::FollowUpPlan);
    assert_eq!(repair_calls(&with), Vec::<NaiveDate>::new());
    assert_eq!(RepairCall::FollowUpPlan.label_zh(), "回访计划");
}

/// A plan without the after-sales call (sampled out, FU-09) leaves the
/// repair call to the calendar: one call still, never none.
#[test]
fn a_repair_sampled_out_of_follow_up_keeps_the_care_call() {
    let mut fu = Policy::default().follow_up().clone();
    fu.ratio = "1".parse().unwrap();
    let policy = quiet().with_follow_up(fu).unwrap();
    let delivery = repair_delivery(DeliveryKind::Service, "2026-03-09T17:00:00+08:00");
    let mut sampler = RatioSampler { seen: 1, called: 1 };
    let plan = plan_follow_up(&delivery, &mut sampler, &policy).unwrap();
    assert_eq!(plan.selection, Selection::NotSampled);
    let mut p = profile("C-1");
    p.record_repair_plan(&plan, &policy.follow_up().calendar)
        .unwrap();
    assert_eq!(p.last_repair_call, RepairCall::CareCalendar);
    assert_eq!(repair_calls(&p), [d(2026, 3, 10)]);
}

/// The local date counts, a new car is no repair, and an older plan does
/// not replace a later repair.
#[test]
fn recording_a_plan_keeps_the_last_repair() {
    let policy = quiet();
    let cal = policy.follow_up().calendar.clone();
    let mut sampler = RatioSampler::default();
    // 16:30 UTC on the 9th is 00:30 on the 10th in China.
    let late = repair_delivery(DeliveryKind::Service, "2026-03-09T16:30:00+00:00");
    let plan = plan_follow_up(&late, &mut sampler, &policy).unwrap();
    let mut p = profile("C-1");
    p.record_repair_plan(&plan, &cal).unwrap();
    assert_eq!(p.last_repair_delivered, Some(d(2026, 3, 10)));

    let car = repair_delivery(DeliveryKind::NewCar, "2026-03-12T10:00:00+08:00");
    let plan = plan_follow_up(&car, &mut sampler, &policy).unwrap();
    let before = p.clone();
    p.record_repair_plan(&plan, &cal).unwrap();
    assert_eq!(p, before, "a new-car plan is no repair");

    let mut newer = profile("C-1");
    newer.last_repair_delivered = Some(d(2026, 3, 11));
    let older = repair_delivery(DeliveryKind::Service, "2026-03-10T10:00:00+08:00");
    let plan = plan_follow_up(&older, &mut sampler, &policy).unwrap();
    let before = newer.clone();
    newer.record_repair_plan(&plan, &cal).unwrap();
    assert_eq!(
        newer, before,
        "an older repair's plan is not the last repair"
    );
    // The same day counts as the last repair.
    let mut same = profile("C-1");
    same.last_repair_delivered = Some(d(2026, 3, 10));
    same.record_repair_plan(&plan, &cal).unwrap();
    assert_eq!(same.last_repair_call, RepairCall::FollowUpPlan);
}

/// Profiles stored before the field existed load as the calendar's call.
#[test]
fn stored_profiles_without_the_repair_call_load_as_the_calendars() {
    let json = r#"{"customer": "C-1", "last_repair_delivered": "2026-03-09"}"#;
    let p: CareProfile = serde_json::from_str(json).unwrap();
    assert_eq!(p.last_repair_call, RepairCall::CareCalendar);
    assert_eq!(repair_calls(&p), [d(2026, 3, 10)]);
    let json = r#"{"customer": "C-1", "last_repair_delivered": "2026-03-09", "last_repair_call": "follow_up_plan"}"#;
    let p: CareProfile = serde_json::from_str(json).unwrap();
    assert_eq!(p.last_repair_call, RepairCall::FollowUpPlan);
    assert!(repair_calls(&p).is_empty());
}
