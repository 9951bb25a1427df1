//! Call slots (FU-05, CARE-07): the dealer's calling hours, the customer's
//! preferred times and channel, closed days, windows of days and of hours,
//! and instants in any offset.

use aftersales::time::{SUPPORTED_RANGE, is_representable};
use aftersales::{
    CallPurpose, CallSlot, ContactBasis, ContactChannel, ContactWindow, DealerCalendar,
    FollowUpPolicy, LocalTimeRange, PreferredContact, RuleId, Source, WindowBounds, call_slots,
    next_agreed_call_slot, next_call_slot,
};
use chrono::{
    DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday,
};
use proptest::prelude::*;
use proptest::sample::subsequence;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

fn range(start: &str, end: &str) -> LocalTimeRange {
    LocalTimeRange::try_new(start.parse().unwrap(), end.parse().unwrap()).unwrap()
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn anyone() -> PreferredContact {
    PreferredContact::default()
}

fn next(
    after: &str,
    window: &WindowBounds,
    purpose: CallPurpose,
    preferred: &PreferredContact,
    policy: &FollowUpPolicy,
) -> Option<CallSlot> {
    next_call_slot(at(after), window, purpose, preferred, policy).unwrap()
}

/// The slots of a window as `start/end` pairs in RFC 3339.
fn listed(
    window: &WindowBounds,
    purpose: CallPurpose,
    preferred: &PreferredContact,
    policy: &FollowUpPolicy,
) -> Vec<String> {
    call_slots(window, purpose, preferred, policy)
        .unwrap()
        .map(|s| format!("{}/{}", s.starts_at.to_rfc3339(), s.ends_at.to_rfc3339()))
        .collect()
}

fn assert_slot(slot: Option<CallSlot>, starts: &str, ends: &str) {
    let slot = slot.expect("a slot");
    assert_eq!(
        (slot.starts_at.to_rfc3339(), slot.ends_at.to_rfc3339()),
        (starts.to_owned(), ends.to_owned()),
        "{slot:?}"
    );
}

/// Days 3–7 after Monday 2 March 2026, 17:40 (UTC+8): Thursday the 5th
/// 00:00 until Tuesday the 10th 00:00.
fn days_3_to_7(policy: &FollowUpPolicy) -> WindowBounds {
    ContactWindow::days(3, 7)
        .after(at("2026-03-02T17:40:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap()
}

// ---------------------------------------------------------------------------
// The dealer's hours (FU-05)
// ---------------------------------------------------------------------------

#[test]
fn after_the_evening_hours_the_next_slot_is_the_next_morning() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    for after in ["2026-03-06T18:30:00+08:00", "2026-03-06T21:15:00+08:00"] {
        assert_slot(
            next(after, &w, CallPurpose::FollowUp, &anyone(), &policy),
            "2026-03-07T09:00:00+08:00",
            "2026-03-07T11:00:00+08:00",
        );
    }
}

#[test]
fn a_window_opening_at_midnight_starts_at_nine() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    assert_eq!(w.opens_at, at("2026-03-05T00:00:00+08:00"));
    let slot = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &anyone(), &policy)
        .unwrap()
        .unwrap();
    assert_slot(
        Some(slot),
        "2026-03-05T09:00:00+08:00",
        "2026-03-05T11:00:00+08:00",
    );
    assert_eq!(slot.basis, ContactBasis::DealerDefault);
    assert_eq!(slot.channel, ContactChannel::Phone);
    assert_eq!(slot.channel_basis, ContactBasis::DealerDefault);
    assert_eq!(slot.purpose, CallPurpose::FollowUp);
    assert_eq!(slot.range, range("09:00:00", "11:00:00"));
}

#[test]
fn asked_inside_a_range_the_slot_starts_then() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let slot = next(
        "2026-03-05T10:15:00+08:00",
        &w,
        CallPurpose::FollowUp,
        &anyone(),
        &policy,
    );
    assert_slot(
        slot,
        "2026-03-05T10:15:00+08:00",
        "2026-03-05T11:00:00+08:00",
    );
    // The range stays the day's whole range.
    assert_eq!(slot.unwrap().range, range("09:00:00", "11:00:00"));
    assert_slot(
        next(
            "2026-03-05T17:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &policy,
        ),
        "2026-03-05T17:00:00+08:00",
        "2026-03-05T18:30:00+08:00",
    );
    // Between the ranges: the afternoon one.
    assert_slot(
        next(
            "2026-03-05T11:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &policy,
        ),
        "2026-03-05T16:00:00+08:00",
        "2026-03-05T18:30:00+08:00",
    );
}

#[test]
fn a_window_closing_mid_range_trims_the_slot() {
    let policy = FollowUpPolicy::default();
    // "First call 24–48 hours" [004] after a delivery at 10:00: the window
    // opens and closes at 10:00, in the middle of the morning hours.
    let w = ContactWindow::hours(24, 48)
        .after(at("2026-03-01T10:00:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap();
    assert_eq!(
        listed(&w, CallPurpose::FollowUp, &anyone(), &policy),
        [
            "2026-03-02T10:00:00+08:00/2026-03-02T11:00:00+08:00",
            "2026-03-02T16:00:00+08:00/2026-03-02T18:30:00+08:00",
            "2026-03-03T09:00:00+08:00/2026-03-03T10:00:00+08:00",
        ]
    );
    let last = next(
        "2026-03-03T09:30:00+08:00",
        &w,
        CallPurpose::FollowUp,
        &anyone(),
        &policy,
    )
    .unwrap();
    assert_eq!(last.ends_at, w.closes_at);
    assert_eq!(last.range, range("09:00:00", "11:00:00"));
    assert!(
        next(
            "2026-03-03T10:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &policy
        )
        .is_none()
    );
}

#[test]
fn hours_window_after_a_delivery_at_23_59() {
    let policy = FollowUpPolicy::default();
    let w = ContactWindow::hours(24, 48)
        .after(at("2026-03-01T23:59:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap();
    // Opens on the 2nd at 23:59, after that day's hours: nothing until the
    // 3rd, whose hours all lie before the window closes at 23:59.
    assert_eq!(
        listed(&w, CallPurpose::FollowUp, &anyone(), &policy),
        [
            "2026-03-03T09:00:00+08:00/2026-03-03T11:00:00+08:00",
            "2026-03-03T16:00:00+08:00/2026-03-03T18:30:00+08:00",
        ]
    );
    assert_slot(
        next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &anyone(), &policy).unwrap(),
        "2026-03-03T09:00:00+08:00",
        "2026-03-03T11:00:00+08:00",
    );
}

#[test]
fn appointment_hours_differ_from_follow_up_hours() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let slot =
        next_call_slot(w.opens_at, &w, CallPurpose::Appointment, &anyone(), &policy).unwrap();
    assert_slot(
        slot,
        "2026-03-05T08:30:00+08:00",
        "2026-03-05T10:00:00+08:00",
    );
    assert_eq!(slot.unwrap().purpose, CallPurpose::Appointment);
    // At 10:00 the appointment morning is over, the follow-up one is not.
    assert_slot(
        next(
            "2026-03-05T10:00:00+08:00",
            &w,
            CallPurpose::Appointment,
            &anyone(),
            &policy,
        ),
        "2026-03-05T14:00:00+08:00",
        "2026-03-05T17:00:00+08:00",
    );
    assert_slot(
        next(
            "2026-03-05T10:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &policy,
        ),
        "2026-03-05T10:00:00+08:00",
        "2026-03-05T11:00:00+08:00",
    );
    assert_eq!(
        CallPurpose::Appointment.dealer_hours(&policy),
        policy.appointment_hours.as_slice()
    );
    assert_eq!(
        CallPurpose::FollowUp.dealer_hours(&policy),
        policy.follow_up_hours.as_slice()
    );
}

#[test]
fn every_slot_of_a_multi_week_window_in_order() {
    let policy = FollowUpPolicy::default();
    // New-car care, days 21–28 (CARE-01): eight days, two ranges a day.
    let w = ContactWindow::days(21, 28)
        .after(at("2026-03-02T17:40:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap();
    let slots: Vec<CallSlot> = call_slots(&w, CallPurpose::FollowUp, &anyone(), &policy)
        .unwrap()
        .collect();
    assert_eq!(slots.len(), 16);
    assert_eq!(slots[0].starts_at, at("2026-03-23T09:00:00+08:00"));
    assert_eq!(slots[15].ends_at, at("2026-03-30T18:30:00+08:00"));
    for pair in slots.windows(2) {
        assert!(pair[0].ends_at < pair[1].starts_at, "{pair:?}");
    }
    // Ninety days: still every day.
    let w = ContactWindow::days(0, 89)
        .after(at("2026-03-02T07:00:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap();
    assert_eq!(
        call_slots(&w, CallPurpose::FollowUp, &anyone(), &policy)
            .unwrap()
            .count(),
        180
    );
}

// ---------------------------------------------------------------------------
// Closed days
// ---------------------------------------------------------------------------

#[test]
fn closed_weekdays_and_closed_dates_are_skipped() {
    let mut policy = FollowUpPolicy::default();
    policy.calendar.closed_weekdays = vec![Weekday::Sun];
    policy.calendar.closed_dates = vec![date("2026-03-05")];
    // Thursday 5th (closed date) … Monday 9th; Sunday 8th is closed.
    let w = days_3_to_7(&policy);
    let slots = listed(&w, CallPurpose::FollowUp, &anyone(), &policy);
    assert_eq!(
        slots,
        [
            "2026-03-06T09:00:00+08:00/2026-03-06T11:00:00+08:00",
            "2026-03-06T16:00:00+08:00/2026-03-06T18:30:00+08:00",
            "2026-03-07T09:00:00+08:00/2026-03-07T11:00:00+08:00",
            "2026-03-07T16:00:00+08:00/2026-03-07T18:30:00+08:00",
            "2026-03-09T09:00:00+08:00/2026-03-09T11:00:00+08:00",
            "2026-03-09T16:00:00+08:00/2026-03-09T18:30:00+08:00",
        ]
    );
    assert_slot(
        next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &anyone(), &policy).unwrap(),
        "2026-03-06T09:00:00+08:00",
        "2026-03-06T11:00:00+08:00",
    );
    assert_slot(
        next(
            "2026-03-07T19:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &policy,
        ),
        "2026-03-09T09:00:00+08:00",
        "2026-03-09T11:00:00+08:00",
    );
}

#[test]
fn a_window_of_closed_days_only_has_no_slot() {
    let mut policy = FollowUpPolicy::default();
    policy.calendar.closed_weekdays = vec![Weekday::Sat, Weekday::Sun];
    // Saturday 7th and Sunday 8th.
    let w = WindowBounds {
        opens_at: at("2026-03-07T00:00:00+08:00"),
        closes_at: at("2026-03-09T00:00:00+08:00"),
    };
    let evening = PreferredContact {
        channel: None,
        times: vec![range("19:00:00", "20:30:00")],
    };
    for preferred in [anyone(), evening] {
        for purpose in CallPurpose::ALL {
            assert_eq!(
                next_call_slot(w.opens_at, &w, *purpose, &preferred, &policy).unwrap(),
                None
            );
            assert_eq!(
                call_slots(&w, *purpose, &preferred, &policy)
                    .unwrap()
                    .count(),
                0
            );
        }
    }
    // A public holiday on a one-day window.
    let mut policy = FollowUpPolicy::default();
    policy.calendar.closed_dates = vec![date("2026-03-05")];
    let w = ContactWindow::days(3, 3)
        .after(at("2026-03-02T17:40:00+08:00"), &policy.calendar)
        .unwrap()
        .unwrap();
    assert_eq!(
        next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &anyone(), &policy).unwrap(),
        None
    );
}

// ---------------------------------------------------------------------------
// The customer's preference (FU-05, CARE-07)
// ---------------------------------------------------------------------------

#[test]
fn preferred_times_override_the_dealer_hours() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let evening = PreferredContact {
        channel: None,
        times: vec![range("19:00:00", "20:30:00")],
    };
    let slot = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &evening, &policy).unwrap();
    assert_slot(
        slot,
        "2026-03-05T19:00:00+08:00",
        "2026-03-05T20:30:00+08:00",
    );
    let slot = slot.unwrap();
    assert_eq!(slot.basis, ContactBasis::CustomerPreference);
    // No preferred channel: a phone call.
    assert_eq!(slot.channel, ContactChannel::Phone);
    assert_eq!(slot.channel_basis, ContactBasis::DealerDefault);
    // The dealer's hours no longer apply, for either purpose.
    assert_slot(
        next(
            "2026-03-05T09:30:00+08:00",
            &w,
            CallPurpose::Appointment,
            &evening,
            &policy,
        ),
        "2026-03-05T19:00:00+08:00",
        "2026-03-05T20:30:00+08:00",
    );
    assert_eq!(
        listed(&w, CallPurpose::FollowUp, &evening, &policy).len(),
        5
    );
    // An early bird, before the dealer's hours, reached by SMS.
    let early = PreferredContact {
        channel: Some(ContactChannel::Sms),
        times: vec![range("12:00:00", "13:00:00"), range("07:00:00", "08:00:00")],
    };
    let slot = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &early, &policy)
        .unwrap()
        .unwrap();
    assert_eq!(slot.starts_at, at("2026-03-05T07:00:00+08:00"));
    assert_eq!(slot.channel, ContactChannel::Sms);
    assert_eq!(slot.channel_basis, ContactBasis::CustomerPreference);
}

#[test]
fn a_preferred_channel_alone_keeps_the_dealer_hours() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let by_mail = PreferredContact {
        channel: Some(ContactChannel::Email),
        times: Vec::new(),
    };
    let slot = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &by_mail, &policy)
        .unwrap()
        .unwrap();
    assert_eq!(slot.starts_at, at("2026-03-05T09:00:00+08:00"));
    assert_eq!(slot.basis, ContactBasis::DealerDefault);
    assert_eq!(slot.channel, ContactChannel::Email);
    assert_eq!(slot.channel_basis, ContactBasis::CustomerPreference);
}

#[test]
fn reasons_and_display_explain_the_slot() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let evening = PreferredContact {
        channel: Some(ContactChannel::Sms),
        times: vec![range("19:00:00", "20:30:00")],
    };
    let preferred = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &evening, &policy)
        .unwrap()
        .unwrap();
    let dealer = next_call_slot(w.opens_at, &w, CallPurpose::Appointment, &anyone(), &policy)
        .unwrap()
        .unwrap();
    let text: Vec<String> = [preferred, dealer]
        .iter()
        .flat_map(|s| {
            std::iter::once(s.to_string())
                .chain(s.reasons().iter().map(|r| format!("  {r}")))
                .collect::<Vec<_>>()
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"), @r"
    2026-03-05 19:00–20:30 +08:00, SMS
      customer prefers 19:00–20:30, over the dealer's follow-up calling hours (FU-05)
      customer prefers to be contacted by SMS (CARE-07)
    2026-03-05 08:30–10:00 +08:00, phone call
      appointment calling hours 08:30–10:00, local time (+08:00) (FU-05)
      no preferred channel, so a phone call (FU-05)
    ");
    assert_eq!(
        preferred
            .reasons()
            .iter()
            .map(|r| r.rule)
            .collect::<Vec<_>>(),
        [RuleId::Fu05, RuleId::Care07]
    );
    assert_eq!(CallPurpose::FollowUp.label_zh(), "回访电话");
    assert_eq!(ContactBasis::CustomerPreference.label_zh(), "客户偏好");
}

// ---------------------------------------------------------------------------
// Offsets
// ---------------------------------------------------------------------------

#[test]
fn utc_inputs_give_results_in_the_dealer_offset() {
    let policy = FollowUpPolicy::default();
    // The same window as `days_3_to_7`, as a DMS storing UTC would pass it.
    let w = WindowBounds {
        opens_at: at("2026-03-04T16:00:00+00:00"),
        closes_at: at("2026-03-09T16:00:00+00:00"),
    };
    // 23:30 UTC on the 4th is 07:30 on the 5th in the dealer's time.
    let slot = next(
        "2026-03-04T23:30:00Z",
        &w,
        CallPurpose::FollowUp,
        &anyone(),
        &policy,
    )
    .unwrap();
    assert_eq!(slot.starts_at.to_rfc3339(), "2026-03-05T09:00:00+08:00");
    assert_eq!(slot.ends_at.to_rfc3339(), "2026-03-05T11:00:00+08:00");
    // Inside a range, `after` comes back in the dealer's offset too.
    let slot = next(
        "2026-03-05T02:15:00Z",
        &w,
        CallPurpose::FollowUp,
        &anyone(),
        &policy,
    )
    .unwrap();
    assert_eq!(slot.starts_at.to_rfc3339(), "2026-03-05T10:15:00+08:00");
    // 11:00 UTC on the 5th is 19:00 local, after the day's hours.
    let slot = next(
        "2026-03-05T11:00:00Z",
        &w,
        CallPurpose::FollowUp,
        &anyone(),
        &policy,
    )
    .unwrap();
    assert_eq!(slot.starts_at.to_rfc3339(), "2026-03-06T09:00:00+08:00");
    // A window built from a UTC delivery time is the local one.
    let from_utc = ContactWindow::days(3, 7)
        .after(at("2026-03-02T09:40:00Z"), &policy.calendar)
        .unwrap()
        .unwrap();
    assert_eq!(
        listed(&from_utc, CallPurpose::FollowUp, &anyone(), &policy),
        listed(
            &days_3_to_7(&policy),
            CallPurpose::FollowUp,
            &anyone(),
            &policy
        )
    );
}

#[test]
fn local_days_follow_the_dealer_offset_not_the_input_offset() {
    // A dealer at UTC−5 closed on Sundays; the DMS passes UTC+8 instants.
    let policy = FollowUpPolicy {
        calendar: DealerCalendar {
            utc_offset_minutes: -5 * 60,
            closed_weekdays: vec![Weekday::Sun],
            closed_dates: Vec::new(),
        },
        ..FollowUpPolicy::default()
    };
    let w = WindowBounds {
        // Saturday 7 March 2026, 08:00 at UTC−5.
        opens_at: at("2026-03-07T21:00:00+08:00"),
        closes_at: at("2026-03-12T21:00:00+08:00"),
    };
    let slots: Vec<CallSlot> = call_slots(&w, CallPurpose::FollowUp, &anyone(), &policy)
        .unwrap()
        .collect();
    assert_eq!(slots[0].starts_at.to_rfc3339(), "2026-03-07T09:00:00-05:00");
    // Sunday the 8th local is skipped, although it is Monday in UTC+8 from
    // 13:00 on.
    assert_eq!(slots[2].starts_at.to_rfc3339(), "2026-03-09T09:00:00-05:00");
    for s in &slots {
        assert_eq!(s.starts_at.offset().local_minus_utc(), -5 * 3600);
        assert_eq!(s.ends_at.offset().local_minus_utc(), -5 * 3600);
    }
}

#[test]
fn the_json_shape() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let evening = PreferredContact {
        channel: Some(ContactChannel::Sms),
        times: vec![range("19:00:00", "20:30:00")],
    };
    let slot = next_call_slot(w.opens_at, &w, CallPurpose::FollowUp, &evening, &policy)
        .unwrap()
        .unwrap();
    let json = serde_json::to_string(&slot).unwrap();
    assert_eq!(
        json,
        r#"{"starts_at":"2026-03-05T19:00:00+08:00","ends_at":"2026-03-05T20:30:00+08:00","channel":"sms","purpose":"follow_up","basis":"customer_preference","channel_basis":"customer_preference","range":{"start":"19:00:00","end":"20:30:00"}}"#
    );
    let back: CallSlot = serde_json::from_str(&json).unwrap();
    assert_eq!(back, slot);
    let unknown = json.replace(r#""channel":"sms""#, r#""channel":"sms","extra":1"#);
    assert!(serde_json::from_str::<CallSlot>(&unknown).is_err());
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// Minute `m` of the day (1440 = the last instant, 23:59:59.999999999).
fn minute(m: u32) -> NaiveTime {
    if m >= 1440 {
        NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap()
    } else {
        NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap()
    }
}

/// A range on whole minutes, sometimes running to the end of the day.
fn a_range() -> impl Strategy<Value = LocalTimeRange> {
    (0u32..1440)
        .prop_flat_map(|s| (Just(s), s + 1..=1440))
        .prop_map(|(s, e)| LocalTimeRange::try_new(minute(s), minute(e)).unwrap())
}

fn a_channel() -> impl Strategy<Value = ContactChannel> {
    prop::sample::select(ContactChannel::ALL.to_vec())
}

fn a_purpose() -> impl Strategy<Value = CallPurpose> {
    prop::sample::select(CallPurpose::ALL.to_vec())
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A fixed offset of whole quarter hours within ±14 h.
fn an_offset() -> impl Strategy<Value = FixedOffset> {
    (-56i32..=56).prop_map(|q| FixedOffset::east_opt(q * 15 * 60).unwrap())
}

/// A realistic case: a window of up to 60 days in 2020–2030 (sometimes
/// empty), `after` from 3 days before to 3 days after it, instants in
/// random offsets, a random calendar and random hours.
#[derive(Debug, Clone)]
struct Case {
    after: DateTime<FixedOffset>,
    window: WindowBounds,
    purpose: CallPurpose,
    preferred: PreferredContact,
    policy: FollowUpPolicy,
}

fn a_case() -> impl Strategy<Value = Case> {
    let instants = (
        1_577_836_800i64 / 60..1_893_456_000i64 / 60,
        -1440i64..=60 * 1440,
        -3 * 1440i64..=63 * 1440,
        an_offset(),
        an_offset(),
        an_offset(),
    );
    let calendar = (
        (-56i32..=56).prop_map(|q| q * 15),
        subsequence(WEEK.to_vec(), 0..=7),
        prop::collection::vec(0u64..64, 0..6),
    );
    let hours = (
        a_purpose(),
        prop::option::of(a_channel()),
        prop::collection::vec(a_range(), 0..4),
        prop::option::of(prop::collection::vec(a_range(), 0..4)),
    );
    (instants, calendar, hours).prop_map(
        |(
            (opens_min, length_min, after_min, o1, o2, o3),
            (cal_offset, closed_weekdays, closed_days),
            (purpose, channel, times, dealer_hours),
        )| {
            let opens = DateTime::from_timestamp(opens_min * 60, 0).unwrap();
            let closes = opens + TimeDelta::minutes(length_min);
            let after = opens + TimeDelta::minutes(after_min);
            let mut policy = FollowUpPolicy::default();
            policy.calendar.utc_offset_minutes = cal_offset;
            policy.calendar.closed_weekdays = closed_weekdays;
            let first_day = opens.with_timezone(&policy.calendar.offset()).date_naive();
            policy.calendar.closed_dates = closed_days
                .into_iter()
                .map(|d| first_day + Days::new(d))
                .collect();
            // Sometimes unvalidated dealer hours: overlapping, unsorted.
            if let Some(hours) = dealer_hours {
                policy.follow_up_hours = hours.clone();
                policy.appointment_hours = hours;
            }
            Case {
                after: after.with_timezone(&o1),
                window: WindowBounds {
                    opens_at: opens.with_timezone(&o2),
                    closes_at: closes.with_timezone(&o3),
                },
                purpose,
                preferred: PreferredContact { channel, times },
                policy,
            }
        },
    )
}

impl Case {
    fn ranges(&self) -> Vec<LocalTimeRange> {
        if self.preferred.times.is_empty() {
            self.purpose.dealer_hours(&self.policy).to_vec()
        } else {
            self.preferred.times.clone()
        }
    }

    fn local(&self, instant: DateTime<FixedOffset>) -> NaiveDateTime {
        instant
            .with_timezone(&self.policy.calendar.offset())
            .naive_local()
    }

    fn next(&self, after: DateTime<FixedOffset>) -> Option<CallSlot> {
        next_call_slot(
            after,
            &self.window,
            self.purpose,
            &self.preferred,
            &self.policy,
        )
        .unwrap()
    }

    fn slots(&self) -> Vec<CallSlot> {
        call_slots(&self.window, self.purpose, &self.preferred, &self.policy)
            .unwrap()
            .collect()
    }

    /// The oracle: the first allowed local instant in `[lower, upper)`,
    /// found the obvious way, day by day and range by range.
    fn first_allowed(&self, lower: NaiveDateTime, upper: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut best: Option<NaiveDateTime> = None;
        let mut day = lower.date();
        while day <= upper.date() {
            if !self.policy.calendar.is_closed(day) {
                for r in self.ranges() {
                    let lo = day.and_time(r.start()).max(lower);
                    let hi = day.and_time(r.end()).min(upper);
                    if lo < hi && best.is_none_or(|b| lo < b) {
                        best = Some(lo);
                    }
                }
            }
            day = day.succ_opt().unwrap();
        }
        best
    }

    /// The oracle: where allowed time starting at `time` runs out (the
    /// ranges chained through overlaps and touching ends).
    fn stretch_end(&self, time: NaiveTime) -> NaiveTime {
        let mut end = time;
        while let Some(further) = self
            .ranges()
            .iter()
            .filter(|r| r.contains(end))
            .map(|r| r.end())
            .max()
        {
            end = further;
        }
        end
    }
}

proptest! {
    #![proptest_config(crate::support::cases(512))]

    #[test]
    fn a_slot_obeys_every_rule(case in a_case()) {
        let offset = case.policy.calendar.offset();
        let lower = case.local(case.after.max(case.window.opens_at));
        let upper = case.local(case.window.closes_at);
        let expected = if lower < upper { case.first_allowed(lower, upper) } else { None };
        let slot = case.next(case.after);
        prop_assert_eq!(slot.map(|s| case.local(s.starts_at)), expected);
        let Some(slot) = slot else { return Ok(()) };

        // Inside the window, not before `after`, not empty.
        prop_assert!(case.window.contains(slot.starts_at));
        prop_assert!(slot.ends_at <= case.window.closes_at);
        prop_assert!(slot.starts_at >= case.after);
        prop_assert!(slot.starts_at < slot.ends_at);
        // In the dealer's offset, on one open local day.
        prop_assert_eq!(*slot.starts_at.offset(), offset);
        prop_assert_eq!(*slot.ends_at.offset(), offset);
        let (start, end) = (case.local(slot.starts_at), case.local(slot.ends_at));
        prop_assert_eq!(start.date(), end.date());
        prop_assert!(!case.policy.calendar.is_closed(start.date()));
        // All of it allowed, and as long as allowed time (or the window)
        // lasts; inside the reported range, which is made of allowed ranges.
        prop_assert_eq!(end, start.date().and_time(case.stretch_end(start.time())).min(upper));
        prop_assert!(slot.range.start() <= start.time() && end.time() <= slot.range.end());
        prop_assert_eq!(case.stretch_end(slot.range.start()), slot.range.end());
        prop_assert!(case.ranges().iter().any(|r| r.start() == slot.range.start()));
        // Who decided.
        let ranges = case.ranges();
        let inside_one = ranges.iter().any(|r| r.start() <= start.time() && end.time() <= r.end());
        let disjoint = ranges.iter().enumerate().all(|(i, a)| ranges.iter().skip(i + 1).all(|b| a.end() < b.start() || b.end() < a.start()));
        prop_assert!(inside_one || !disjoint);
        prop_assert_eq!(slot.channel, case.preferred.channel.unwrap_or(ContactChannel::Phone));
        prop_assert_eq!(slot.basis == ContactBasis::CustomerPreference, case.preferred.has_times());
        prop_assert_eq!(slot.channel_basis == ContactBasis::CustomerPreference, case.preferred.channel.is_some());
        prop_assert_eq!(slot.purpose, case.purpose);

        // Serde round trip, offsets included.
        let json = serde_json::to_string(&slot).unwrap();
        let back: CallSlot = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, slot);
        prop_assert_eq!(back.starts_at.offset(), slot.starts_at.offset());
        prop_assert_eq!(back.ends_at.offset(), slot.ends_at.offset());
    }

    #[test]
    fn next_slot_is_the_listed_slot_clamped(case in a_case()) {
        let slots = case.slots();
        for pair in slots.windows(2) {
            prop_assert!(pair[0].ends_at < pair[1].starts_at);
        }
        let offset = case.policy.calendar.offset();
        let expected = slots.iter().find(|s| s.ends_at > case.after).map(|s| CallSlot {
            starts_at: s.starts_at.max(case.after).with_timezone(&offset),
            ..*s
        });
        let got = case.next(case.after);
        prop_assert_eq!(got, expected);
        prop_assert_eq!(got.map(|s| *s.starts_at.offset()), expected.map(|s| *s.starts_at.offset()));
        // Each listed slot is what asking at its start gives.
        for s in &slots {
            prop_assert_eq!(case.next(s.starts_at), Some(*s));
        }
    }

    #[test]
    fn nothing_panics(
        opens in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
        closes in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
        after in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
        offsets in prop::array::uniform3(-86_399i32..=86_399),
        cal_offset in any::<i32>(),
        closed_weekdays in subsequence(WEEK.to_vec(), 0..=7),
        purpose in a_purpose(),
        times in prop::collection::vec(a_range(), 0..4),
        dealer_hours in prop::collection::vec(a_range(), 0..4),
        near in any::<bool>(),
    ) {
        let instant = |secs: i64, offset: i32| {
            DateTime::from_timestamp(secs, 0)
                .unwrap()
                .with_timezone(&FixedOffset::east_opt(offset).unwrap())
        };
        let opens_at = instant(opens, offsets[0]);
        // Half the time a window near `opens`, to get slots at the ends of time.
        let closes_at = if near {
            opens_at.checked_add_signed(TimeDelta::days(3)).unwrap_or(opens_at)
        } else {
            instant(closes, offsets[1])
        };
        let window = WindowBounds { opens_at, closes_at };
        let after = instant(after, offsets[2]);
        let mut policy = FollowUpPolicy::default();
        policy.calendar.utc_offset_minutes = cal_offset;
        policy.calendar.closed_weekdays = closed_weekdays;
        policy.follow_up_hours = dealer_hours.clone();
        policy.appointment_hours = dealer_hours;
        let preferred = PreferredContact { channel: None, times };
        for from in [after, opens_at] {
            let found = next_call_slot(from, &window, purpose, &preferred, &policy);
            // Refused only for an instant the crate does not accept.
            if let Err(e) = &found {
                prop_assert!(
                    !SUPPORTED_RANGE.contains(from)
                        || !is_representable(opens_at)
                        || !is_representable(closes_at),
                    "{e}"
                );
            }
            if let Ok(Some(slot)) = found {
                prop_assert!(window.contains(slot.starts_at));
                prop_assert!(slot.starts_at < slot.ends_at);
                prop_assert!(slot.ends_at <= window.closes_at);
                prop_assert!(slot.starts_at >= from);
                let _ = slot.to_string();
                let _ = slot.reasons();
            }
        }
        let mut last: Option<CallSlot> = None;
        let slots = call_slots(&window, purpose, &preferred, &policy);
        prop_assert_eq!(
            slots.is_ok(),
            is_representable(opens_at) && is_representable(closes_at)
        );
        for slot in slots.into_iter().flat_map(|s| s.take(20)) {
            prop_assert!(last.is_none_or(|l| l.ends_at < slot.starts_at));
            last = Some(slot);
        }
    }
}

// ---------------------------------------------------------------------------
// [004]: follow-up calls avoid the evening rush hour (FU-05)
// ---------------------------------------------------------------------------

/// [004]'s afternoon follow-up hours end at 17:00, where the evening rush
/// (晚高峰) begins; the default [001] hours run until 18:30. Both sides of
/// each end.
#[test]
fn the_004_preset_stops_calling_at_the_evening_rush() {
    let rush = FollowUpPolicy::preset(Source::TrainingCourse);
    assert_eq!(
        rush.follow_up_hours,
        [range("09:00:00", "11:00:00"), range("16:00:00", "17:00:00")]
    );
    let w = days_3_to_7(&rush);
    // 16:59:59 is still in the afternoon slot, which ends at 17:00.
    assert_slot(
        next(
            "2026-03-06T16:59:59+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &rush,
        ),
        "2026-03-06T16:59:59+08:00",
        "2026-03-06T17:00:00+08:00",
    );
    // From 17:00 on, nothing until the next morning.
    assert_slot(
        next(
            "2026-03-06T17:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &rush,
        ),
        "2026-03-07T09:00:00+08:00",
        "2026-03-07T11:00:00+08:00",
    );
    // The default still calls at 17:00 and until 18:30, not at 18:30.
    let default = FollowUpPolicy::default();
    assert_slot(
        next(
            "2026-03-06T17:00:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &default,
        ),
        "2026-03-06T17:00:00+08:00",
        "2026-03-06T18:30:00+08:00",
    );
    assert_slot(
        next(
            "2026-03-06T18:29:59+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &default,
        ),
        "2026-03-06T18:29:59+08:00",
        "2026-03-06T18:30:00+08:00",
    );
    assert_slot(
        next(
            "2026-03-06T18:30:00+08:00",
            &w,
            CallPurpose::FollowUp,
            &anyone(),
            &default,
        ),
        "2026-03-07T09:00:00+08:00",
        "2026-03-07T11:00:00+08:00",
    );
    // The morning hours and the appointment hours are the same in every
    // preset; only [004] moves the afternoon end.
    for source in Source::ALL {
        let p = FollowUpPolicy::preset(source);
        assert_eq!(p.appointment_hours, default.appointment_hours, "{source}");
        assert_eq!(p.follow_up_hours[0], default.follow_up_hours[0], "{source}");
        let afternoon_end = p.follow_up_hours[1].end();
        let expected = if source == Source::TrainingCourse {
            "17:00:00"
        } else {
            "18:30:00"
        };
        assert_eq!(
            afternoon_end,
            expected.parse::<NaiveTime>().unwrap(),
            "{source}"
        );
        assert_eq!(
            p.after_sales_window,
            ContactWindow::after_sales_preset(source)
        );
    }
}

// ---------------------------------------------------------------------------
// The way and time agreed at the repair (CARE-02)
// ---------------------------------------------------------------------------

fn agreed(channel: Option<ContactChannel>, times: Vec<LocalTimeRange>) -> PreferredContact {
    PreferredContact { channel, times }
}

/// The agreed times beat the customer's usual times and the dealer's
/// hours; the agreed channel beats the usual channel; what was not agreed
/// falls back as before.
#[test]
fn the_agreement_at_the_repair_comes_first() {
    let policy = FollowUpPolicy::default();
    let w = days_3_to_7(&policy);
    let usual = agreed(
        Some(ContactChannel::Sms),
        vec![range("19:00:00", "20:30:00")],
    );
    let lunch = agreed(
        Some(ContactChannel::Phone),
        vec![range("12:00:00", "12:30:00")],
    );
    let slot = next_agreed_call_slot(
        w.opens_at,
        &w,
        CallPurpose::FollowUp,
        &lunch,
        &usual,
        &policy,
    )
    .unwrap()
    .unwrap();
    assert_slot(
        Some(slot),
        "2026-03-05T12:00:00+08:00",
        "2026-03-05T12:30:00+08:00",
    );
    assert_eq!(
        (slot.channel, slot.basis, slot.channel_basis),
        (
            ContactChannel::Phone,
            ContactBasis::AgreedAtRepair,
            ContactBasis::AgreedAtRepair
        )
    );
    let reasons = slot.reasons();
    assert_eq!(reasons[0].rule, RuleId::Care02);
    assert_eq!(
        reasons[0].fact,
        "agreed at the repair: 12:00–12:30, over the customer's usual times and the dealer's \
         follow-up calling hours"
    );
    assert_eq!(
        (reasons[1].rule, reasons[1].fact.as_str()),
        (
            RuleId::Care02,
            "agreed at the repair to be contacted by phone call"
        )
    );
    assert_eq!(ContactBasis::AgreedAtRepair.label_zh(), "维修时约定");

    // Only a channel agreed: the usual times, the agreed channel.
    let phone_only = agreed(Some(ContactChannel::Phone), vec![]);
    let slot = next_agreed_call_slot(
        w.opens_at,
        &w,
        CallPurpose::FollowUp,
        &phone_only,
        &usual,
        &policy,
    )
    .unwrap()
    .unwrap();
    assert_eq!(slot.starts_at, at("2026-03-05T19:00:00+08:00"));
    assert_eq!(
        (slot.channel, slot.basis, slot.channel_basis),
        (
            ContactChannel::Phone,
            ContactBasis::CustomerPreference,
            ContactBasis::AgreedAtRepair
        )
    );
    // Only a time agreed: the usual channel.
    let time_only = agreed(None, vec![range("12:00:00", "12:30:00")]);
    let slot = next_agreed_call_slot(
        w.opens_at,
        &w,
        CallPurpose::FollowUp,
        &time_only,
        &usual,
        &policy,
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (slot.channel, slot.basis, slot.channel_basis),
        (
            ContactChannel::Sms,
            ContactBasis::AgreedAtRepair,
            ContactBasis::CustomerPreference
        )
    );
    // Nothing agreed: exactly next_call_slot.
    let none = PreferredContact::default();
    for after in ["2026-03-05T00:00:00+08:00", "2026-03-06T18:45:00+08:00"] {
        assert_eq!(
            next_agreed_call_slot(at(after), &w, CallPurpose::FollowUp, &none, &usual, &policy)
                .unwrap(),
            next_call_slot(at(after), &w, CallPurpose::FollowUp, &usual, &policy).unwrap(),
        );
    }
}
