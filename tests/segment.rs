//! Customer segmentation (CUS-07) through the public API: each RFM score on
//! both sides of every default threshold, the window edges, visits after
//! the reference date, the segment table cell by cell, currency and
//! no-visit errors, policy validation, attributes from a card, and
//! properties over random visit histories.

use aftersales::{AgeBand, EstimatePolicy};
use aftersales::{
    BasicInfo, CCard, Card, Currency, CustomerAttributes, CustomerFile, CustomerFileCommand,
    CustomerPolicy, Gender, IncomeBand, Money, Occupation, OrganisationType, Policy, RfmMeasures,
    RfmPolicy, RfmScore, RuleId, Segment, SegmentError, VehicleInfo, Visit, VisitKind,
    customer_segment, rfm, window_start,
};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use crate::support::dates::{at, d, days_before, yuan};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn plain(date: NaiveDate) -> Visit {
    Visit::new(date, VisitKind::Maintenance)
}

fn paid(date: NaiveDate, amount: &str) -> Visit {
    Visit {
        amount: Some(yuan(amount)),
        ..plain(date)
    }
}

fn with_rfm(rfm: RfmPolicy) -> Result<Policy, aftersales::PolicyError> {
    Policy::default().with_customer(CustomerPolicy {
        rfm,
        ..CustomerPolicy::default()
    })
}

fn score(r: u8, f: u8, m: u8) -> RfmScore {
    RfmScore {
        recency: r,
        frequency: f,
        monetary: m,
    }
}

// ---------------------------------------------------------------------------
// Defaults
// ---------------------------------------------------------------------------

#[test]
fn default_thresholds_are_the_documented_ones() {
    let p = RfmPolicy::default();
    assert_eq!(p.window_months, 36);
    assert_eq!(p.recency_days, [90, 180, 365, 730]);
    assert_eq!(p.frequency_visits, [2, 3, 5, 8]);
    let m: Vec<String> = p.monetary.iter().map(ToString::to_string).collect();
    assert_eq!(m, ["1500", "4000", "8000", "15000"]);
    assert_eq!(Policy::default().customer().rfm, p);
}

// ---------------------------------------------------------------------------
// Recency
// ---------------------------------------------------------------------------

#[test]
fn recency_at_every_threshold() {
    let policy = Policy::default();
    // (days since the last visit, expected score)
    let cases = [
        (0, 5),
        (1, 5),
        (90, 5),
        (91, 4),
        (180, 4),
        (181, 3),
        (365, 3),
        (366, 2),
        (730, 2),
        (731, 1),
        (5_000, 1),
    ];
    for (days, expected) in cases {
        let visits = [plain(days_before(days))];
        let s = rfm(&visits, at(), &policy).unwrap();
        assert_eq!(s.recency, expected, "{days} days");
        let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
        assert_eq!(m.days_since_last_visit, days as u32);
        assert_eq!(m.last_visit, days_before(days));
    }
}

#[test]
fn recency_takes_the_latest_visit_in_any_order() {
    let policy = Policy::default();
    let visits = [
        plain(days_before(400)),
        plain(days_before(95)),
        plain(days_before(800)),
    ];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!(m.days_since_last_visit, 95);
    assert_eq!(rfm(&visits, at(), &policy).unwrap().recency, 4);
}

#[test]
fn visits_after_the_reference_date_do_not_count() {
    let policy = Policy::default();
    let visits = [
        paid(days_before(200), "500"),
        paid(at().succ_opt().unwrap(), "90000"),
    ];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!(m.last_visit, days_before(200));
    assert_eq!(m.visits, 1);
    assert_eq!(m.spend, yuan("500"));
    assert_eq!(rfm(&visits, at(), &policy).unwrap(), score(3, 1, 1));
}

#[test]
fn a_visit_on_the_reference_date_counts() {
    let policy = Policy::default();
    let m = RfmMeasures::of(&[paid(at(), "1500")], at(), &policy).unwrap();
    assert_eq!((m.days_since_last_visit, m.visits), (0, 1));
    assert_eq!(
        rfm(&[paid(at(), "1500")], at(), &policy).unwrap(),
        score(5, 1, 2)
    );
}

// ---------------------------------------------------------------------------
// Frequency
// ---------------------------------------------------------------------------

#[test]
fn frequency_at_every_threshold() {
    let policy = Policy::default();
    let cases = [
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 3),
        (5, 4),
        (7, 4),
        (8, 5),
        (20, 5),
    ];
    for (n, expected) in cases {
        let visits: Vec<Visit> = (0..n).map(|i| plain(days_before(10 * i))).collect();
        assert_eq!(
            rfm(&visits, at(), &policy).unwrap().frequency,
            expected,
            "{n} visits"
        );
    }
}

#[test]
fn frequency_window_starts_on_window_start() {
    let policy = Policy::default();
    let from = window_start(at(), 36).unwrap();
    assert_eq!(from, d(2023, 7, 1));
    let day_before = from.pred_opt().unwrap();
    // Two recent visits plus one on the first day of the window: 3 visits.
    let mut visits = vec![plain(days_before(1)), plain(days_before(2)), plain(from)];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!((m.visits, m.window_from), (3, Some(from)));
    assert_eq!(rfm(&visits, at(), &policy).unwrap().frequency, 3);
    // Moved to the day before, it falls out.
    visits[2] = plain(day_before);
    assert_eq!(RfmMeasures::of(&visits, at(), &policy).unwrap().visits, 2);
    assert_eq!(rfm(&visits, at(), &policy).unwrap().frequency, 2);
}

#[test]
fn a_customer_whose_visits_are_all_outside_the_window_still_scores() {
    let policy = Policy::default();
    let visits = [paid(d(2020, 1, 1), "20000"), paid(d(2021, 1, 1), "20000")];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!((m.visits, m.spend), (0, yuan("0")));
    let s = rfm(&visits, at(), &policy).unwrap();
    assert_eq!(s, score(1, 1, 1));
    assert_eq!(s.segment(), Segment::Lost);
}

// ---------------------------------------------------------------------------
// Monetary
// ---------------------------------------------------------------------------

#[test]
fn monetary_at_every_threshold() {
    let policy = Policy::default();
    let cases = [
        ("0", 1),
        ("1499.99", 1),
        ("1500", 2),
        ("1500.00", 2),
        ("3999.99", 2),
        ("4000", 3),
        ("7999.99", 3),
        ("8000", 4),
        ("14999.99", 4),
        ("15000", 5),
        ("250000", 5),
    ];
    for (amount, expected) in cases {
        let visits = [paid(days_before(30), amount)];
        assert_eq!(
            rfm(&visits, at(), &policy).unwrap().monetary,
            expected,
            "{amount}"
        );
    }
}

#[test]
fn monetary_sums_the_window_and_skips_visits_without_amount() {
    let policy = Policy::default();
    let from = window_start(at(), 36).unwrap();
    let visits = [
        paid(days_before(10), "2000.50"),
        plain(days_before(20)),
        paid(from, "1999.50"),
        paid(from.pred_opt().unwrap(), "50000"),
    ];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!(m.spend, yuan("4000.00"));
    assert_eq!(m.visits, 3);
    assert_eq!(rfm(&visits, at(), &policy).unwrap(), score(5, 3, 3));
}

#[test]
fn a_custom_window_and_thresholds() {
    let policy: Policy = serde_json::from_str(
        r#"{ "customer": { "rfm": {
            "window_months": 12,
            "recency_days": [30, 60, 90, 120],
            "frequency_visits": [1, 2, 3, 4],
            "monetary": ["100", "200", "300", "400"]
        } } }"#,
    )
    .unwrap();
    let visits = [
        paid(days_before(60), "150"),
        paid(days_before(200), "100"),
        paid(d(2025, 6, 30), "1000"), // the day before the 12-month window
    ];
    let m = RfmMeasures::of(&visits, at(), &policy).unwrap();
    assert_eq!(m.window_from, Some(d(2025, 7, 1)));
    assert_eq!((m.visits, m.spend), (2, yuan("250")));
    assert_eq!(rfm(&visits, at(), &policy).unwrap(), score(4, 3, 3));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn no_visit_up_to_the_date_is_an_error() {
    let policy = Policy::default();
    let err = rfm(&[], at(), &policy).unwrap_err();
    assert_eq!(err, SegmentError::NoVisits { at: at() });
    assert!(err.to_string().ends_with("(CUS-07)"), "{err}");
    let future = [plain(at().succ_opt().unwrap())];
    assert_eq!(
        rfm(&future, at(), &policy).unwrap_err(),
        SegmentError::NoVisits { at: at() }
    );
}

#[test]
fn a_visit_in_another_currency_is_an_error_naming_cus07() {
    let policy = Policy::default();
    let usd = Visit {
        amount: Some(Money::new(Decimal::from(100), Currency::USD)),
        ..plain(days_before(50))
    };
    let visits = [paid(days_before(10), "800"), usd];
    let err = rfm(&visits, at(), &policy).unwrap_err();
    assert_eq!(
        err,
        SegmentError::Currency {
            date: days_before(50),
            expected: Currency::CNY,
            found: Currency::USD,
        }
    );
    assert_eq!(
        err.to_string(),
        "the visit on 2026-05-11 is paid in USD, not in the policy currency CNY; \
         convert it before scoring (CUS-07)"
    );
}

#[test]
fn a_foreign_amount_outside_the_window_is_not_used_and_not_an_error() {
    let policy = Policy::default();
    let old = Visit {
        amount: Some(Money::new(Decimal::from(100), Currency::USD)),
        ..plain(d(2020, 1, 1))
    };
    let m = RfmMeasures::of(&[old, paid(days_before(5), "10")], at(), &policy).unwrap();
    assert_eq!(m.spend, yuan("10"));
}

#[test]
fn the_policy_currency_is_the_estimate_currency() {
    let estimate = EstimatePolicy {
        currency: Currency::EUR,
        ..EstimatePolicy::default()
    };
    let policy = Policy::default().with_estimate(estimate).unwrap();
    let eur = Visit {
        amount: Some(Money::new(Decimal::from(4_000), Currency::EUR)),
        ..plain(days_before(5))
    };
    let m = RfmMeasures::of(std::slice::from_ref(&eur), at(), &policy).unwrap();
    assert_eq!(m.spend.currency(), Currency::EUR);
    assert_eq!(rfm(&[eur], at(), &policy).unwrap().monetary, 3);
    let err = rfm(&[paid(days_before(5), "1")], at(), &policy).unwrap_err();
    assert!(matches!(
        err,
        SegmentError::Currency {
            expected: Currency::EUR,
            found: Currency::CNY,
            ..
        }
    ));
}

#[test]
fn an_overflowing_spend_is_an_error_not_a_panic() {
    let policy = Policy::default();
    let huge = paid(days_before(1), &Decimal::MAX.to_string());
    let err = rfm(&[huge.clone(), huge], at(), &policy).unwrap_err();
    assert_eq!(
        err,
        SegmentError::Overflow {
            date: days_before(1)
        }
    );
    assert!(err.to_string().ends_with("(CUS-07)"));
}

// ---------------------------------------------------------------------------
// Segments
// ---------------------------------------------------------------------------

#[test]
fn segment_table_cell_by_cell() {
    use Segment::*;
    // Rows R = 5 … 1, columns fm = 1 … 5, as documented on `Segment`.
    let table = [
        [New, Potential, Loyal, Champions, Champions],
        [New, Potential, Loyal, Champions, Champions],
        [Hibernating, Potential, Loyal, Loyal, Loyal],
        [Hibernating, Hibernating, AtRisk, AtRisk, CannotLose],
        [Lost, Lost, AtRisk, CannotLose, CannotLose],
    ];
    for (row, cells) in table.iter().enumerate() {
        let r = 5 - row as u8;
        for (col, expected) in cells.iter().enumerate() {
            let fm = col as u8 + 1;
            assert_eq!(Segment::of(score(r, fm, fm)), *expected, "R{r} fm{fm}");
        }
    }
}

#[test]
fn fm_is_the_mean_of_frequency_and_monetary_rounded_down() {
    // F 1 + M 2 = 1.5 → 1: still new.
    assert_eq!(Segment::of(score(5, 1, 2)), Segment::New);
    // F 4 + M 5 = 4.5 → 4: champions; F 3 + M 4 = 3.5 → 3: loyal.
    assert_eq!(Segment::of(score(5, 4, 5)), Segment::Champions);
    assert_eq!(Segment::of(score(5, 3, 4)), Segment::Loyal);
    // F 5 + M 1 = 3: the order does not matter.
    assert_eq!(Segment::of(score(1, 5, 1)), Segment::of(score(1, 1, 5)));
    assert_eq!(Segment::of(score(1, 5, 1)), Segment::AtRisk);
}

#[test]
fn every_score_has_a_segment_and_every_segment_a_score() {
    let mut seen = std::collections::BTreeSet::new();
    for r in 0..=7 {
        for f in 0..=7 {
            for m in 0..=7 {
                seen.insert(Segment::of(score(r, f, m)));
            }
        }
    }
    assert_eq!(seen.len(), Segment::ALL.len());
}

#[test]
fn out_of_range_scores_read_as_the_nearest_end() {
    assert_eq!(Segment::of(score(0, 9, 9)), Segment::of(score(1, 5, 5)));
    assert_eq!(Segment::of(score(200, 0, 0)), Segment::New);
    assert_eq!(score(0, 9, 3).code(), "153");
    assert_eq!(score(5, 4, 5).code(), "545");
}

#[test]
fn segment_words() {
    assert_eq!(Segment::CannotLose.label_en(), "cannot lose");
    assert_eq!(Segment::CannotLose.label_zh(), "重要挽留客户");
    assert_eq!(Segment::Champions.to_string(), "champions");
    assert_eq!(
        serde_json::to_string(&Segment::AtRisk).unwrap(),
        "\"at_risk\""
    );
    assert_eq!(Segment::ALL.len(), 8);
}

#[test]
fn a_history_through_the_segments() {
    let policy = Policy::default();
    // A customer who came every four months and spent 1,200 CNY a time,
    // from June 2022 to October 2024, then stopped.
    let visits: Vec<Visit> = (0..8)
        .map(|i| {
            paid(
                d(2022, 6, 1)
                    .checked_add_months(chrono::Months::new(4 * i))
                    .unwrap(),
                "1200",
            )
        })
        .collect();
    let seg = |y, m, day| rfm(&visits, d(y, m, day), &policy).unwrap().segment();
    // After the first visit: new.
    assert_eq!(seg(2022, 6, 2), Segment::New);
    // A year on, four visits (3 of F), 4,800 (3 of M): loyal.
    assert_eq!(seg(2023, 6, 2), Segment::Loyal);
    // All eight (5 of F), 9,600 CNY (4 of M), the last on 1 October
    // 2024: champions.
    assert_eq!(seg(2024, 10, 2), Segment::Champions);
    // Silent for 669 days (2 of R), four visits and 4,800 CNY left in the
    // window: at risk.
    assert_eq!(seg(2026, 8, 1), Segment::AtRisk);
    // Silent for more than two years, most visits out of the window: lost.
    assert_eq!(seg(2028, 6, 1), Segment::Lost);
}

// ---------------------------------------------------------------------------
// Policy validation
// ---------------------------------------------------------------------------

fn rejected(rfm: RfmPolicy) -> aftersales::PolicyError {
    let err = with_rfm(rfm.clone()).unwrap_err();
    assert_eq!(err.rule, RuleId::Cus07);
    assert_eq!(rfm.validate().unwrap_err(), err);
    err
}

#[test]
fn the_default_rfm_policy_is_valid() {
    assert_eq!(RfmPolicy::default().validate(), Ok(()));
}

#[test]
fn window_must_be_between_1_and_1200_months() {
    for bad in [0, 1_201] {
        let err = rejected(RfmPolicy {
            window_months: bad,
            ..RfmPolicy::default()
        });
        assert_eq!(err.field, "customer.rfm.window_months");
    }
    for good in [1, 1_200] {
        with_rfm(RfmPolicy {
            window_months: good,
            ..RfmPolicy::default()
        })
        .unwrap();
    }
}

#[test]
fn recency_thresholds_must_rise_strictly() {
    let err = rejected(RfmPolicy {
        recency_days: [90, 90, 365, 730],
        ..RfmPolicy::default()
    });
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.rfm.recency_days` must rise strictly, \
         not [90, 90, 365, 730] (CUS-07)"
    );
    rejected(RfmPolicy {
        recency_days: [730, 365, 180, 90],
        ..RfmPolicy::default()
    });
    // Zero days is a valid first threshold: only a visit today scores 5.
    with_rfm(RfmPolicy {
        recency_days: [0, 1, 2, 3],
        ..RfmPolicy::default()
    })
    .unwrap();
}

#[test]
fn frequency_thresholds_must_rise_strictly_from_one() {
    let err = rejected(RfmPolicy {
        frequency_visits: [2, 3, 3, 8],
        ..RfmPolicy::default()
    });
    assert_eq!(err.field, "customer.rfm.frequency_visits");
    let err = rejected(RfmPolicy {
        frequency_visits: [0, 3, 5, 8],
        ..RfmPolicy::default()
    });
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.rfm.frequency_visits` starts at 0 visits, \
         must start at 1 or more (CUS-07)"
    );
}

#[test]
fn monetary_thresholds_must_rise_strictly_above_zero() {
    let dec = |s: &str| s.parse::<Decimal>().unwrap();
    let err = rejected(RfmPolicy {
        monetary: [dec("1500"), dec("4000"), dec("3999.99"), dec("15000")],
        ..RfmPolicy::default()
    });
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.rfm.monetary` must rise strictly, \
         not [1500, 4000, 3999.99, 15000] (CUS-07)"
    );
    for first in ["0", "-1"] {
        let err = rejected(RfmPolicy {
            monetary: [dec(first), dec("4000"), dec("8000"), dec("15000")],
            ..RfmPolicy::default()
        });
        assert_eq!(err.field, "customer.rfm.monetary");
        assert!(err.reason.contains("above zero"), "{err}");
    }
}

#[test]
fn a_bad_rfm_section_in_json_is_refused() {
    let err = serde_json::from_str::<Policy>(
        r#"{ "customer": { "rfm": { "monetary": ["1", "1", "2", "3"] } } }"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("customer.rfm.monetary"), "{err}");
    let err = serde_json::from_str::<Policy>(r#"{ "customer": { "rfm": { "recency": [1] } } }"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `recency`"), "{err}");
}

#[test]
fn the_rfm_policy_round_trips_through_json() {
    let p = RfmPolicy::default();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<RfmPolicy>(&json).unwrap(), p);
}

// ---------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------

fn service_card() -> CCard {
    let mut basic = BasicInfo::new("赵女士".parse().unwrap());
    basic.gender = Some(Gender::Female);
    basic.birthday = Some(d(1990, 7, 1));
    basic.organisation = Some(OrganisationType::Government);
    let mut card = CCard::service_only(
        "C-0100".parse().unwrap(),
        basic,
        VehicleInfo::new("LSVAA4180E2123456".parse().unwrap()),
    );
    card.contact.region = Some("蜀山区".parse().unwrap());
    card.personal.income = Some(IncomeBand::From6000);
    card.personal.occupation = Some(Occupation::PublicSector);
    card
}

#[test]
fn attributes_come_from_the_card_with_the_age_at_the_date() {
    let card = Card::C(service_card());
    let a = CustomerAttributes::of(&card, at());
    assert_eq!(a.organisation, Some(OrganisationType::Government));
    assert_eq!(a.region.as_ref().map(|r| r.as_str()), Some("蜀山区"));
    assert_eq!(a.gender, Some(Gender::Female));
    assert_eq!(a.income, Some(IncomeBand::From6000));
    assert_eq!(a.occupation, Some(Occupation::PublicSector));
    // 35 the day before the 36th birthday, 36 on it.
    assert_eq!(a.age, Some(AgeBand::From26To35));
    let a = CustomerAttributes::of(&card, d(2026, 7, 1));
    assert_eq!(a.age, Some(AgeBand::From36To45));
    // A bare card says nothing.
    let bare = Card::C(CCard::service_only(
        "C-0101".parse().unwrap(),
        BasicInfo::new("钱先生".parse().unwrap()),
        VehicleInfo::new("LSVAA4180E2654321".parse().unwrap()),
    ));
    assert_eq!(
        CustomerAttributes::of(&bare, at()),
        CustomerAttributes::default()
    );
}

#[test]
fn attributes_group_customers() {
    let mut groups = std::collections::BTreeMap::new();
    let card = Card::C(service_card());
    for _ in 0..3 {
        *groups
            .entry(CustomerAttributes::of(&card, at()))
            .or_insert(0) += 1;
    }
    assert_eq!(groups.len(), 1);
    assert_eq!(groups.values().next(), Some(&3));
}

#[test]
fn customer_segment_of_a_file() {
    let policy = Policy::default();
    let mut file = CustomerFile::new();
    // Not open, no visits: no behaviour to segment.
    assert_eq!(
        customer_segment(&file, at(), &policy).unwrap_err(),
        SegmentError::NoVisits { at: at() }
    );
    file.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2024, 1, 2),
            card: service_card(),
        },
        &policy,
    )
    .unwrap();
    for (date, amount) in [
        (d(2024, 1, 2), "3000"),
        (d(2025, 1, 5), "2500"),
        (d(2026, 1, 8), "4000"),
        (d(2026, 5, 20), "6000"),
    ] {
        file.execute(
            CustomerFileCommand::RecordVisit {
                visit: paid(date, amount),
                advisor: None,
            },
            &policy,
        )
        .unwrap();
    }
    let seg = customer_segment(&file, at(), &policy).unwrap();
    assert_eq!(
        seg.attributes.organisation,
        Some(OrganisationType::Government)
    );
    assert_eq!(seg.measures.visits, 4);
    assert_eq!(seg.measures.spend, yuan("15500"));
    assert_eq!(seg.score, score(5, 3, 5));
    assert_eq!(seg.segment, Segment::Champions);
    assert_eq!(seg.score, rfm(file.visits(), at(), &policy).unwrap());
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn visit_strategy() -> impl Strategy<Value = Visit> {
    // Days from 2018-01-01 over ten years (some after the reference date),
    // amounts from nothing to 30,000.00 CNY.
    (0u64..3_650, proptest::option::of(0i64..3_000_000)).prop_map(|(day, cents)| {
        let date = d(2018, 1, 1).checked_add_days(Days::new(day)).unwrap();
        Visit {
            amount: cents.map(|c| Money::cny(Decimal::new(c, 2))),
            ..plain(date)
        }
    })
}

fn in_range(s: RfmScore) -> bool {
    [s.recency, s.frequency, s.monetary]
        .iter()
        .all(|v| (1..=5).contains(v))
}

proptest! {
    #[test]
    fn scores_always_lie_between_1_and_5(
        visits in proptest::collection::vec(visit_strategy(), 1..30),
    ) {
        match rfm(&visits, at(), &Policy::default()) {
            Ok(s) => prop_assert!(in_range(s), "{s:?}"),
            Err(e) => prop_assert_eq!(e, SegmentError::NoVisits { at: at() }),
        }
    }

    #[test]
    fn a_more_recent_visit_never_lowers_recency(
        visits in proptest::collection::vec(visit_strategy(), 1..20),
        extra in visit_strategy(),
    ) {
        let policy = Policy::default();
        let Ok(before) = rfm(&visits, at(), &policy) else { return Ok(()) };
        let mut more = visits.clone();
        more.push(extra);
        let after = rfm(&more, at(), &policy).unwrap();
        prop_assert!(after.recency >= before.recency, "{before:?} → {after:?}");
    }

    #[test]
    fn adding_a_visit_never_lowers_frequency_or_monetary(
        visits in proptest::collection::vec(visit_strategy(), 1..20),
        extra in visit_strategy(),
    ) {
        let policy = Policy::default();
        let Ok(before) = rfm(&visits, at(), &policy) else { return Ok(()) };
        let mut more = visits.clone();
        more.insert(0, extra);
        let after = rfm(&more, at(), &policy).unwrap();
        prop_assert!(after.frequency >= before.frequency, "{before:?} → {after:?}");
        prop_assert!(after.monetary >= before.monetary, "{before:?} → {after:?}");
    }

    #[test]
    fn order_of_visits_does_not_matter(
        mut visits in proptest::collection::vec(visit_strategy(), 1..20),
    ) {
        let policy = Policy::default();
        let forward = rfm(&visits, at(), &policy);
        visits.reverse();
        prop_assert_eq!(forward, rfm(&visits, at(), &policy));
    }

    #[test]
    fn the_frequency_window_agrees_with_the_counters(
        visits in proptest::collection::vec(visit_strategy(), 1..20),
    ) {
        // The default RFM window is the C-card's 36-month counter.
        let policy = Policy::default();
        let Ok(m) = RfmMeasures::of(&visits, at(), &policy) else { return Ok(()) };
        let c = aftersales::Counters::from_visits(&visits, at(), &policy.customer().windows);
        prop_assert_eq!(m.visits, c.visits_long);
        prop_assert_eq!(Some(m.last_visit), c.last_visit);
    }
}
