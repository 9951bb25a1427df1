//! Customer flags (CUS-08 … CUS-11) through the public API: tier
//! boundaries just below and at each threshold, the rule that tiers rise at
//! once and are held before they lapse, VIP by each ground, the
//! important-customer reasons with their window edges, long time no visit
//! on the threshold day and the day before, policy validation, the
//! combined flags of a file, and properties over random histories.

use aftersales::{
    ACard, BasicInfo, CCard, Card, CarePolicy, CareProfile, CommunicationStyle, ComplaintNo,
    ComplaintNote, Currency, CustomerFile, CustomerFileCommand, CustomerFlagInputs, CustomerId,
    CustomerPolicy, FlagError, ImportantCustomerPolicy, ImportantReason, MemberTier,
    MembershipPolicy, Money, Policy, RuleId, TierRule, VehicleInfo, VipReason, Visit, VisitKind,
    VisitRef, WorkOrderNo, customer_flags, important_reasons, long_time_no_visit, member_status,
    vehicles_on_card, vip_reasons, window_start,
};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use crate::support::dates::{at, d, days_before, yuan};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn plain(date: NaiveDate) -> Visit {
    Visit::new(date, VisitKind::Repair)
}

fn paid(date: NaiveDate, amount: &str) -> Visit {
    Visit {
        amount: Some(yuan(amount)),
        ..plain(date)
    }
}

fn order(n: &str) -> Option<WorkOrderNo> {
    Some(WorkOrderNo::try_new(n).unwrap())
}

fn comeback(date: NaiveDate, no: &str) -> Visit {
    Visit {
        comeback: true,
        order: order(no),
        ..plain(date)
    }
}

fn complaint(on: NaiveDate, no: &str, major: bool) -> ComplaintNote {
    ComplaintNote {
        on,
        complaint: ComplaintNo::try_new(no).unwrap(),
        major,
    }
}

fn with_membership(membership: MembershipPolicy) -> Result<Policy, aftersales::PolicyError> {
    Policy::default().with_customer(CustomerPolicy {
        membership,
        ..CustomerPolicy::default()
    })
}

fn with_important(important: ImportantCustomerPolicy) -> Result<Policy, aftersales::PolicyError> {
    Policy::default().with_customer(CustomerPolicy {
        important,
        ..CustomerPolicy::default()
    })
}

fn tier(visits: &[Visit], on: NaiveDate) -> Option<MemberTier> {
    member_status(visits, on, &Policy::default())
        .unwrap()
        .tier()
}

fn no_inputs() -> CustomerFlagInputs {
    CustomerFlagInputs::default()
}

// ---------------------------------------------------------------------------
// CUS-08: tiers
// ---------------------------------------------------------------------------

#[test]
fn default_membership_policy_is_the_documented_one() {
    let m = MembershipPolicy::default();
    assert_eq!((m.window_months, m.keep_months), (12, 12));
    assert_eq!(
        m.regular,
        TierRule {
            min_spend: None,
            min_visits: Some(1)
        }
    );
    assert_eq!(
        m.gold,
        TierRule {
            min_spend: Some(dec("10000")),
            min_visits: Some(4)
        }
    );
    assert_eq!(
        m.diamond,
        TierRule {
            min_spend: Some(dec("30000")),
            min_visits: Some(8)
        }
    );
    assert_eq!(m.vip.spend_window_months, 36);
    assert_eq!(m.vip.min_spend, Some(dec("50000")));
    assert_eq!(m.vip.min_vehicles, Some(2));
    assert_eq!(m.validate(), Ok(()));
}

#[test]
fn tier_words() {
    assert_eq!(MemberTier::Regular.label_zh(), "普通会员");
    assert_eq!(MemberTier::Gold.label_zh(), "金卡会员");
    assert_eq!(MemberTier::Diamond.label_zh(), "钻石会员");
    assert!(MemberTier::Regular < MemberTier::Gold && MemberTier::Gold < MemberTier::Diamond);
    assert_eq!(
        serde_json::to_string(&MemberTier::Gold).unwrap(),
        "\"gold\""
    );
}

#[test]
fn tier_by_spend_just_below_and_at_each_threshold() {
    let policy = Policy::default();
    let cases = [
        ("0", Some(MemberTier::Regular), None),
        ("9999.99", Some(MemberTier::Regular), None),
        ("10000", Some(MemberTier::Gold), Some("10000")),
        ("29999.99", Some(MemberTier::Gold), Some("10000")),
        ("30000", Some(MemberTier::Diamond), Some("30000")),
        ("30000.00", Some(MemberTier::Diamond), Some("30000")),
    ];
    for (amount, expected, by_spend) in cases {
        let visits = [paid(days_before(10), amount)];
        let status = member_status(&visits, at(), &policy).unwrap();
        assert_eq!(status.tier(), expected, "{amount}");
        let m = status.membership.unwrap();
        assert_eq!(m.spend_threshold, by_spend.map(yuan), "{amount}");
        // One visit meets the regular visit threshold only.
        let by_visits = (expected == Some(MemberTier::Regular)).then_some(1);
        assert_eq!(m.visits_threshold, by_visits, "{amount}");
        assert_eq!(m.spend, yuan(amount));
        assert_eq!(m.visits, 1);
    }
}

#[test]
fn tier_by_visits_just_below_and_at_each_threshold() {
    let policy = Policy::default();
    let cases = [
        (0, None, None),
        (1, Some(MemberTier::Regular), Some(1)),
        (3, Some(MemberTier::Regular), Some(1)),
        (4, Some(MemberTier::Gold), Some(4)),
        (7, Some(MemberTier::Gold), Some(4)),
        (8, Some(MemberTier::Diamond), Some(8)),
        (15, Some(MemberTier::Diamond), Some(8)),
    ];
    for (n, expected, by_visits) in cases {
        let visits: Vec<Visit> = (0..n).map(|i| plain(days_before(20 * i))).collect();
        let status = member_status(&visits, at(), &policy).unwrap();
        assert_eq!(status.tier(), expected, "{n} visits");
        assert_eq!(status.visits, n as u32);
        assert_eq!(
            status.membership.and_then(|m| m.visits_threshold),
            by_visits
        );
        assert_eq!(status.membership.and_then(|m| m.spend_threshold), None);
    }
}

#[test]
fn both_thresholds_met_are_both_named() {
    let visits: Vec<Visit> = (0..8).map(|i| paid(days_before(30 * i), "3750")).collect();
    let status = member_status(&visits, at(), &Policy::default()).unwrap();
    let m = status.membership.unwrap();
    assert_eq!(m.tier, MemberTier::Diamond);
    assert_eq!(m.spend_threshold, Some(yuan("30000")));
    assert_eq!(m.visits_threshold, Some(8));
    assert_eq!(m.spend, yuan("30000"));
    assert_eq!(m.earned_on, at());
    assert_eq!(m.window_from, Some(d(2025, 7, 1)));
    assert_eq!(m.held_until, Some(d(2027, 6, 30)));
}

#[test]
fn no_visit_is_no_membership() {
    let status = member_status(&[], at(), &Policy::default()).unwrap();
    assert_eq!(status.tier(), None);
    assert_eq!(status.membership, None);
    assert_eq!((status.visits, status.spend), (0, yuan("0")));
    assert_eq!(status.window_from, Some(d(2025, 7, 1)));
    // A visit after the date does not count either.
    assert_eq!(tier(&[paid(at().succ_opt().unwrap(), "99999")], at()), None);
}

#[test]
fn the_tier_window_starts_on_window_start() {
    // Without holding, the tier is the current window's.
    let policy = with_membership(MembershipPolicy {
        keep_months: 0,
        ..MembershipPolicy::default()
    })
    .unwrap();
    let from = window_start(at(), 12).unwrap();
    assert_eq!(from, d(2025, 7, 1));
    let mut visits = vec![
        plain(days_before(1)),
        plain(days_before(2)),
        plain(days_before(3)),
        plain(from),
    ];
    let status = member_status(&visits, at(), &policy).unwrap();
    assert_eq!((status.tier(), status.visits), (Some(MemberTier::Gold), 4));
    visits[3] = plain(from.pred_opt().unwrap());
    let status = member_status(&visits, at(), &policy).unwrap();
    assert_eq!(
        (status.tier(), status.visits),
        (Some(MemberTier::Regular), 3)
    );
}

#[test]
fn spend_adds_up_within_one_window_only() {
    // 6,000 + 6,000 eleven months apart: gold on the second visit.
    let visits = [paid(d(2025, 1, 15), "6000"), paid(d(2025, 12, 15), "6000")];
    assert_eq!(tier(&visits, d(2025, 12, 15)), Some(MemberTier::Gold));
    assert_eq!(tier(&visits, d(2025, 12, 14)), Some(MemberTier::Regular));
    // Thirteen months apart: never more than 6,000 in a window.
    let visits = [paid(d(2025, 1, 15), "6000"), paid(d(2026, 2, 15), "6000")];
    assert_eq!(tier(&visits, d(2026, 2, 15)), Some(MemberTier::Regular));
}

// ---------------------------------------------------------------------------
// CUS-08: up at once, down after the keep time
// ---------------------------------------------------------------------------

#[test]
fn a_tier_rises_on_the_day_it_is_reached() {
    let visits = [paid(d(2025, 1, 5), "800"), paid(d(2025, 3, 10), "12000")];
    assert_eq!(tier(&visits, d(2025, 3, 9)), Some(MemberTier::Regular));
    let status = member_status(&visits, d(2025, 3, 10), &Policy::default()).unwrap();
    let m = status.membership.unwrap();
    assert_eq!(m.tier, MemberTier::Gold);
    assert_eq!(m.earned_on, d(2025, 3, 10));
    assert_eq!(m.spend, yuan("12800"));
    assert_eq!(m.held_until, Some(d(2026, 3, 10)));
}

#[test]
fn on_a_tie_the_latest_day_is_named_so_the_tier_is_held_longest() {
    let visits = [paid(d(2025, 3, 10), "12000"), paid(d(2025, 6, 1), "300")];
    // Gold on 10 March, on 1 June and on 1 July alike: 1 July is named.
    let m = member_status(&visits, d(2025, 7, 1), &Policy::default())
        .unwrap()
        .membership
        .unwrap();
    assert_eq!((m.tier, m.earned_on), (MemberTier::Gold, d(2025, 7, 1)));
    assert_eq!(m.held_until, Some(d(2026, 7, 1)));
}

#[test]
fn a_tier_is_held_for_the_keep_time_then_lapses() {
    let visits = [paid(d(2025, 3, 10), "12000")];
    let policy = Policy::default();
    // The last day held: the window no longer has the visit.
    let status = member_status(&visits, d(2026, 3, 10), &policy).unwrap();
    assert_eq!(status.tier(), Some(MemberTier::Gold));
    assert_eq!((status.visits, status.spend), (0, yuan("0")));
    let m = status.membership.unwrap();
    assert_eq!(
        (m.earned_on, m.held_until),
        (d(2025, 3, 10), Some(d(2026, 3, 10)))
    );
    assert_eq!(m.visits, 1);
    // The day after: lapsed, and with no visit in the window, no tier.
    assert_eq!(tier(&visits, d(2026, 3, 11)), None);
}

#[test]
fn a_lapsed_tier_falls_to_what_the_later_windows_reach() {
    let visits = [paid(d(2025, 3, 10), "12000"), paid(d(2026, 3, 11), "300")];
    let policy = Policy::default();
    assert_eq!(tier(&visits, d(2026, 3, 10)), Some(MemberTier::Gold));
    // Gold lapses the day after; the window of that day holds 300: regular.
    let m = member_status(&visits, d(2026, 3, 11), &policy)
        .unwrap()
        .membership
        .unwrap();
    assert_eq!(
        (m.tier, m.earned_on, m.spend),
        (MemberTier::Regular, d(2026, 3, 11), yuan("300"))
    );
    // Regular is held a year after that visit, then lapses too.
    let m = member_status(&visits, d(2027, 3, 11), &policy)
        .unwrap()
        .membership
        .unwrap();
    assert_eq!((m.tier, m.earned_on), (MemberTier::Regular, d(2026, 3, 11)));
    assert_eq!(tier(&visits, d(2027, 3, 12)), None);
}

#[test]
fn a_visit_within_the_window_earns_the_tier_again() {
    // The December visit's window still holds the March 12,000: gold is
    // earned again on 1 December and held a year from then.
    let visits = [paid(d(2025, 3, 10), "12000"), paid(d(2025, 12, 1), "300")];
    let m = member_status(&visits, d(2026, 3, 11), &Policy::default())
        .unwrap()
        .membership
        .unwrap();
    assert_eq!(
        (m.tier, m.earned_on, m.spend),
        (MemberTier::Gold, d(2025, 12, 1), yuan("12300"))
    );
    assert_eq!(tier(&visits, d(2026, 12, 1)), Some(MemberTier::Gold));
    assert_eq!(tier(&visits, d(2026, 12, 2)), None);
}

#[test]
fn a_drop_in_spend_does_not_demote_before_the_keep_time() {
    // 30,000 in March, 10,000 in September: the September window holds
    // 40,000, so diamond is earned again on 1 September 2025.
    let visits = [paid(d(2025, 3, 1), "30000"), paid(d(2025, 9, 1), "10000")];
    let policy = Policy::default();
    // In March 2026 the current window holds only the 10,000 (gold) ...
    let status = member_status(&visits, d(2026, 3, 2), &policy).unwrap();
    assert_eq!(status.spend, yuan("10000"));
    // ... but the tier stays diamond, held until 1 September 2026.
    let m = status.membership.unwrap();
    assert_eq!(m.tier, MemberTier::Diamond);
    assert_eq!(m.earned_on, d(2025, 9, 1));
    assert_eq!(m.spend, yuan("40000"));
    assert_eq!(m.held_until, Some(d(2026, 9, 1)));
    assert_eq!(tier(&visits, d(2026, 9, 1)), Some(MemberTier::Diamond));
    assert_eq!(tier(&visits, d(2026, 9, 2)), None);
}

#[test]
fn qualifying_again_extends_the_tier() {
    let visits = [paid(d(2025, 3, 10), "12000"), paid(d(2026, 2, 1), "10000")];
    let status = member_status(&visits, d(2027, 2, 1), &Policy::default()).unwrap();
    let m = status.membership.unwrap();
    assert_eq!((m.tier, m.earned_on), (MemberTier::Gold, d(2026, 2, 1)));
    assert_eq!(tier(&visits, d(2027, 2, 2)), None);
}

#[test]
fn with_no_keep_time_the_tier_follows_the_current_window() {
    let policy = with_membership(MembershipPolicy {
        keep_months: 0,
        ..MembershipPolicy::default()
    })
    .unwrap();
    let visits = [paid(d(2025, 3, 10), "12000")];
    let on = |date| member_status(&visits, date, &policy).unwrap().tier();
    assert_eq!(on(d(2026, 3, 9)), Some(MemberTier::Gold));
    assert_eq!(on(d(2026, 3, 10)), None);
    let m = member_status(&visits, d(2026, 3, 9), &policy)
        .unwrap()
        .membership
        .unwrap();
    assert_eq!(
        (m.earned_on, m.held_until),
        (d(2026, 3, 9), Some(d(2026, 3, 9)))
    );
}

#[test]
fn a_custom_ladder_by_spend_only() {
    let policy: Policy = serde_json::from_str(
        r#"{ "customer": { "membership": {
            "regular": { "min_spend": "1" },
            "gold": { "min_spend": "5000" },
            "diamond": { "min_spend": "20000" }
        } } }"#,
    )
    .unwrap();
    let visits: Vec<Visit> = (0..20).map(|i| plain(days_before(i))).collect();
    // Twenty unpaid visits reach nothing when tiers go by spend alone.
    assert_eq!(member_status(&visits, at(), &policy).unwrap().tier(), None);
    let visits = [paid(days_before(1), "5000")];
    assert_eq!(
        member_status(&visits, at(), &policy).unwrap().tier(),
        Some(MemberTier::Gold)
    );
}

#[test]
fn a_visit_in_another_currency_is_an_error_naming_cus08() {
    let usd = Visit {
        amount: Some(Money::new(Decimal::from(100), Currency::USD)),
        ..plain(days_before(40))
    };
    let err = member_status(
        &[paid(days_before(5), "100"), usd.clone()],
        at(),
        &Policy::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        FlagError::Currency {
            date: days_before(40),
            expected: Currency::CNY,
            found: Currency::USD,
        }
    );
    assert_eq!(
        err.to_string(),
        "the visit on 2026-05-21 is paid in USD, not in the policy currency CNY; \
         convert it before ranking the customer (CUS-08)"
    );
    // Long before any window that counts, it is not used.
    let old = Visit {
        date: d(2015, 1, 1),
        ..usd
    };
    assert!(member_status(&[old], at(), &Policy::default()).is_ok());
}

// ---------------------------------------------------------------------------
// CUS-08: VIP
// ---------------------------------------------------------------------------

#[test]
fn vip_by_spend_just_below_and_at_the_threshold() {
    let policy = Policy::default();
    let from = window_start(at(), 36).unwrap();
    assert_eq!(from, d(2023, 7, 1));
    let before_window = paid(from.pred_opt().unwrap(), "1");
    let below = [
        paid(from, "20000"),
        paid(days_before(3), "29999.99"),
        before_window.clone(),
    ];
    assert_eq!(
        vip_reasons(&below, at(), &no_inputs(), &policy).unwrap(),
        []
    );
    let at_threshold = [
        paid(from, "20000"),
        paid(days_before(3), "30000"),
        before_window,
    ];
    assert_eq!(
        vip_reasons(&at_threshold, at(), &no_inputs(), &policy).unwrap(),
        [VipReason::Spend {
            window_from: Some(from),
            spend: yuan("50000"),
            threshold: yuan("50000"),
        }]
    );
}

#[test]
fn vip_by_vehicles_bought() {
    let policy = Policy::default();
    let with = |n| CustomerFlagInputs {
        vehicles_bought: n,
        ..no_inputs()
    };
    assert_eq!(vip_reasons(&[], at(), &with(None), &policy).unwrap(), []);
    assert_eq!(vip_reasons(&[], at(), &with(Some(1)), &policy).unwrap(), []);
    assert_eq!(
        vip_reasons(&[], at(), &with(Some(2)), &policy).unwrap(),
        [VipReason::Vehicles {
            vehicles: 2,
            threshold: 2
        }]
    );
    assert_eq!(
        vip_reasons(&[], at(), &with(Some(5)), &policy).unwrap(),
        [VipReason::Vehicles {
            vehicles: 5,
            threshold: 2
        }]
    );
}

#[test]
fn vip_by_influence() {
    let inputs = CustomerFlagInputs {
        influential: true,
        ..no_inputs()
    };
    assert_eq!(
        vip_reasons(&[], at(), &inputs, &Policy::default()).unwrap(),
        [VipReason::Influence]
    );
}

#[test]
fn every_vip_ground_is_named_in_order() {
    let inputs = CustomerFlagInputs {
        vehicles_bought: Some(3),
        influential: true,
        temperamental: false,
    };
    let visits = [paid(days_before(1), "60000")];
    let reasons = vip_reasons(&visits, at(), &inputs, &Policy::default()).unwrap();
    assert!(matches!(
        reasons[..],
        [
            VipReason::Spend { .. },
            VipReason::Vehicles { vehicles: 3, .. },
            VipReason::Influence
        ]
    ));
}

#[test]
fn a_vip_ground_can_be_turned_off() {
    let mut m = MembershipPolicy::default();
    m.vip.min_spend = None;
    m.vip.min_vehicles = None;
    let policy = with_membership(m).unwrap();
    let inputs = CustomerFlagInputs {
        vehicles_bought: Some(9),
        ..no_inputs()
    };
    let visits = [paid(days_before(1), "900000")];
    assert_eq!(vip_reasons(&visits, at(), &inputs, &policy).unwrap(), []);
}

#[test]
fn vip_spend_in_another_currency_is_an_error() {
    let eur = Visit {
        amount: Some(Money::new(Decimal::from(1), Currency::EUR)),
        ..plain(days_before(400))
    };
    let err = vip_reasons(&[eur], at(), &no_inputs(), &Policy::default()).unwrap_err();
    assert!(matches!(
        err,
        FlagError::Currency {
            found: Currency::EUR,
            ..
        }
    ));
}

fn a_card() -> ACard {
    ACard {
        customer: CustomerId::try_new("C-0200").unwrap(),
        basic: BasicInfo::new("孙先生".parse().unwrap()),
        contact: Default::default(),
        vehicle: VehicleInfo::new("LSVAA4180E2123456".parse().unwrap()),
        insurance: Default::default(),
        personal: Default::default(),
        sale: Default::default(),
        remarks: None,
    }
}

fn service_only() -> CCard {
    CCard::service_only(
        CustomerId::try_new("C-0201").unwrap(),
        BasicInfo::new("周女士".parse().unwrap()),
        VehicleInfo::new("LSVAA4180E2654321".parse().unwrap()),
    )
}

#[test]
fn vehicles_on_the_card() {
    assert_eq!(vehicles_on_card(&Card::A(a_card())), 1);
    assert_eq!(vehicles_on_card(&Card::C(service_only())), 0);
    let mut bought_here = CCard::from_a_card(a_card(), None);
    assert_eq!(vehicles_on_card(&Card::C(bought_here.clone())), 1);
    bought_here.service.repeat_purchase = true;
    assert_eq!(vehicles_on_card(&Card::C(bought_here)), 2);
    let mut elsewhere_then_here = service_only();
    elsewhere_then_here.service.repeat_purchase = true;
    assert_eq!(vehicles_on_card(&Card::C(elsewhere_then_here)), 1);
}

// ---------------------------------------------------------------------------
// CUS-09: important customers
// ---------------------------------------------------------------------------

#[test]
fn one_rework_is_not_repeated_two_are() {
    let policy = Policy::default();
    let one = [
        plain(days_before(100)),
        comeback(days_before(90), "WO-2026-0002"),
    ];
    assert_eq!(
        important_reasons(&one, &[], at(), &no_inputs(), &policy),
        []
    );
    let two = [
        comeback(days_before(10), "WO-2026-0003"),
        plain(days_before(100)),
        comeback(days_before(90), "WO-2026-0002"),
    ];
    assert_eq!(
        important_reasons(&two, &[], at(), &no_inputs(), &policy),
        [ImportantReason::RepeatedReworks {
            window_from: Some(d(2025, 7, 1)),
            reworks: vec![
                VisitRef {
                    date: days_before(90),
                    order: order("WO-2026-0002")
                },
                VisitRef {
                    date: days_before(10),
                    order: order("WO-2026-0003")
                },
            ],
            threshold: 2,
        }]
    );
}

#[test]
fn a_rework_just_outside_the_window_does_not_count() {
    let policy = Policy::default();
    let from = window_start(at(), 12).unwrap();
    let outside = [
        comeback(from.pred_opt().unwrap(), "WO-1"),
        comeback(days_before(5), "WO-2"),
    ];
    assert_eq!(
        important_reasons(&outside, &[], at(), &no_inputs(), &policy),
        []
    );
    let inside = [comeback(from, "WO-1"), comeback(days_before(5), "WO-2")];
    assert_eq!(
        important_reasons(&inside, &[], at(), &no_inputs(), &policy).len(),
        1
    );
    // A rework after the reference date does not count either.
    let later = [
        comeback(days_before(5), "WO-2"),
        comeback(at().succ_opt().unwrap(), "WO-3"),
    ];
    assert_eq!(
        important_reasons(&later, &[], at(), &no_inputs(), &policy),
        []
    );
}

#[test]
fn the_rework_threshold_and_window_are_policy() {
    let policy = with_important(ImportantCustomerPolicy {
        reworks: 3,
        rework_window_months: 24,
        ..ImportantCustomerPolicy::default()
    })
    .unwrap();
    let visits = [
        comeback(d(2024, 8, 1), "WO-1"),
        comeback(d(2025, 8, 1), "WO-2"),
        comeback(d(2026, 6, 1), "WO-3"),
    ];
    assert_eq!(
        important_reasons(&visits[1..], &[], at(), &no_inputs(), &policy),
        []
    );
    let reasons = important_reasons(&visits, &[], at(), &no_inputs(), &policy);
    assert!(matches!(
        &reasons[..],
        [ImportantReason::RepeatedReworks { reworks, threshold: 3, window_from: Some(from) }]
            if reworks.len() == 3 && *from == d(2024, 7, 1)
    ));
}

#[test]
fn a_loss_caused_by_the_dealer_makes_an_important_customer() {
    let policy = Policy::default();
    let loss = |date| Visit {
        dealer_caused_loss: true,
        order: order("WO-2026-0100"),
        ..plain(date)
    };
    assert_eq!(
        important_reasons(&[loss(days_before(30))], &[], at(), &no_inputs(), &policy),
        [ImportantReason::DealerCausedLoss {
            visit: VisitRef {
                date: days_before(30),
                order: order("WO-2026-0100")
            },
        }]
    );
    // Kept for the incident window (12 months), not after.
    let from = window_start(at(), 12).unwrap();
    assert_eq!(
        important_reasons(&[loss(from)], &[], at(), &no_inputs(), &policy).len(),
        1
    );
    let old = [loss(from.pred_opt().unwrap())];
    assert_eq!(
        important_reasons(&old, &[], at(), &no_inputs(), &policy),
        []
    );
    let longer = with_important(ImportantCustomerPolicy {
        incident_window_months: 24,
        ..ImportantCustomerPolicy::default()
    })
    .unwrap();
    assert_eq!(
        important_reasons(&old, &[], at(), &no_inputs(), &longer).len(),
        1
    );
}

#[test]
fn a_major_complaint_makes_an_important_customer_a_minor_one_does_not() {
    let policy = Policy::default();
    let from = window_start(at(), 12).unwrap();
    let complaints = [
        complaint(days_before(3), "CMP-2026-009", true),
        complaint(days_before(60), "CMP-2026-004", false),
        complaint(from.pred_opt().unwrap(), "CMP-2025-011", true),
        complaint(at().succ_opt().unwrap(), "CMP-2026-010", true),
        complaint(from, "CMP-2025-012", true),
    ];
    let reasons = important_reasons(&[], &complaints, at(), &no_inputs(), &policy);
    assert_eq!(
        reasons,
        [
            ImportantReason::MajorComplaint {
                on: from,
                complaint: ComplaintNo::try_new("CMP-2025-012").unwrap(),
            },
            ImportantReason::MajorComplaint {
                on: days_before(3),
                complaint: ComplaintNo::try_new("CMP-2026-009").unwrap(),
            },
        ]
    );
}

#[test]
fn temperament_counts_only_with_influence() {
    let policy = Policy::default();
    let only = |temperamental, influential| CustomerFlagInputs {
        temperamental,
        influential,
        ..no_inputs()
    };
    assert_eq!(
        important_reasons(&[], &[], at(), &only(true, false), &policy),
        []
    );
    assert_eq!(
        important_reasons(&[], &[], at(), &only(false, true), &policy),
        []
    );
    assert_eq!(
        important_reasons(&[], &[], at(), &only(true, true), &policy),
        [ImportantReason::TemperamentalWithInfluence]
    );
}

#[test]
fn every_important_reason_in_order_with_its_words() {
    let visits = [
        comeback(days_before(40), "WO-2026-0040"),
        Visit {
            dealer_caused_loss: true,
            ..comeback(days_before(20), "WO-2026-0041")
        },
    ];
    let complaints = [complaint(days_before(19), "CMP-2026-001", true)];
    let inputs = CustomerFlagInputs {
        temperamental: true,
        influential: true,
        ..no_inputs()
    };
    let reasons = important_reasons(&visits, &complaints, at(), &inputs, &Policy::default());
    let words: Vec<String> = reasons.iter().map(ToString::to_string).collect();
    assert_eq!(
        words,
        [
            "2 reworks: 2026-05-21 (order WO-2026-0040), 2026-06-10 (order WO-2026-0041)",
            "loss caused by the dealer on 2026-06-10 (order WO-2026-0041)",
            "major complaint CMP-2026-001 on 2026-06-11",
            "temperamental customer with influence",
        ]
    );
    assert_eq!(ImportantReason::RULE, RuleId::Cus09);
    assert_eq!(ImportantReason::HANDLED_UNDER, RuleId::Cmp12);
    let json = serde_json::to_value(&reasons[3]).unwrap();
    assert_eq!(json["reason"], "temperamental_with_influence");
}

// ---------------------------------------------------------------------------
// CUS-11: long time no visit
// ---------------------------------------------------------------------------

#[test]
fn long_time_no_visit_on_the_threshold_day_not_the_day_before() {
    let policy = Policy::default();
    let last = Visit {
        order: order("WO-2025-0615"),
        amount: Some(yuan("680")),
        ..Visit::new(d(2025, 6, 15), VisitKind::Maintenance)
    };
    let visits = [plain(d(2024, 2, 1)), last];
    assert_eq!(long_time_no_visit(&visits, d(2026, 6, 15), &policy), None);
    let lost = long_time_no_visit(&visits, d(2026, 6, 16), &policy).unwrap();
    assert_eq!(lost.last_visit, d(2025, 6, 15));
    assert_eq!(lost.last_visit_kind, VisitKind::Maintenance);
    assert_eq!(lost.last_order, order("WO-2025-0615"));
    assert_eq!(lost.last_amount, Some(yuan("680")));
    assert_eq!(lost.since, d(2026, 6, 16));
    assert_eq!(lost.days_since_last_visit, 366);
    assert_eq!(lost.months_since_last_visit, 12);
    assert_eq!(lost.threshold_months, 12);
}

#[test]
fn long_time_no_visit_uses_the_care_calendar_threshold() {
    // Month end: 31 March + 12 months + 1 day.
    let visits = [plain(d(2025, 3, 31))];
    let policy = Policy::default();
    assert_eq!(long_time_no_visit(&visits, d(2026, 3, 31), &policy), None);
    let lost = long_time_no_visit(&visits, d(2026, 4, 1), &policy).unwrap();
    assert_eq!(
        Some(lost.since),
        CarePolicy::default().long_time_no_visit_from(d(2025, 3, 31))
    );
    // One number for the file and the calendar: six months moves both.
    let care = CarePolicy {
        long_time_no_visit_months: 6,
        ..CarePolicy::default()
    };
    let policy = Policy::default().with_care(care).unwrap();
    assert_eq!(long_time_no_visit(&visits, d(2025, 9, 30), &policy), None);
    let lost = long_time_no_visit(&visits, d(2025, 10, 1), &policy).unwrap();
    assert_eq!((lost.since, lost.threshold_months), (d(2025, 10, 1), 6));
    assert_eq!(lost.months_since_last_visit, 6);
}

#[test]
fn long_time_no_visit_counts_whole_months_and_days() {
    let visits = [plain(d(2025, 1, 31))];
    let lost = long_time_no_visit(&visits, d(2026, 3, 1), &Policy::default()).unwrap();
    assert_eq!(lost.since, d(2026, 2, 1));
    assert_eq!(lost.days_since_last_visit, 394);
    assert_eq!(lost.months_since_last_visit, 13);
}

#[test]
fn long_time_no_visit_takes_the_latest_visit_up_to_the_date() {
    let policy = Policy::default();
    let visits = [
        plain(d(2025, 8, 1)),
        Visit::new(d(2024, 1, 1), VisitKind::Warranty),
        plain(d(2027, 1, 1)), // after the reference date
    ];
    assert_eq!(long_time_no_visit(&visits, d(2026, 8, 1), &policy), None);
    let lost = long_time_no_visit(&visits, d(2026, 8, 2), &policy).unwrap();
    assert_eq!(lost.last_visit, d(2025, 8, 1));
    // On the same last day, the visit listed last is shown.
    let same_day = [
        Visit::new(d(2025, 8, 1), VisitKind::Maintenance),
        Visit::new(d(2025, 8, 1), VisitKind::BodyAndPaint),
    ];
    let lost = long_time_no_visit(&same_day, d(2026, 8, 2), &policy).unwrap();
    assert_eq!(lost.last_visit_kind, VisitKind::BodyAndPaint);
    // Never came: not lost.
    assert_eq!(long_time_no_visit(&[], at(), &policy), None);
}

// ---------------------------------------------------------------------------
// Policy validation
// ---------------------------------------------------------------------------

fn membership_error(m: MembershipPolicy) -> aftersales::PolicyError {
    let err = with_membership(m.clone()).unwrap_err();
    assert_eq!(err.rule, RuleId::Cus08);
    assert_eq!(m.validate().unwrap_err(), err);
    err
}

#[test]
fn membership_windows_must_be_in_range() {
    for bad in [0, 1_201] {
        let err = membership_error(MembershipPolicy {
            window_months: bad,
            ..MembershipPolicy::default()
        });
        assert_eq!(err.field, "customer.membership.window_months");
    }
    let err = membership_error(MembershipPolicy {
        keep_months: 1_201,
        ..MembershipPolicy::default()
    });
    assert_eq!(err.field, "customer.membership.keep_months");
    let mut m = MembershipPolicy::default();
    m.vip.spend_window_months = 0;
    assert_eq!(
        membership_error(m).field,
        "customer.membership.vip.spend_window_months"
    );
}

#[test]
fn a_tier_needs_a_threshold() {
    let err = membership_error(MembershipPolicy {
        regular: TierRule {
            min_spend: None,
            min_visits: None,
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.membership.regular` sets no threshold; \
         give a spend, a number of visits or both (CUS-08)"
    );
}

#[test]
fn tier_thresholds_must_rise_from_regular_to_diamond() {
    // Gold's spend not above regular's.
    let err = membership_error(MembershipPolicy {
        regular: TierRule {
            min_spend: Some(dec("10000")),
            min_visits: Some(1),
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.membership.gold` has the spend 10000, \
         not above the regular member threshold of 10000 (CUS-08)"
    );
    // Diamond's visits not above gold's.
    let err = membership_error(MembershipPolicy {
        diamond: TierRule {
            min_spend: Some(dec("30000")),
            min_visits: Some(4),
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(err.field, "customer.membership.diamond");
    assert!(err.reason.contains("visits"), "{err}");
    // A tier without a spend threshold is skipped in the spend ladder:
    // diamond is compared with regular.
    let err = membership_error(MembershipPolicy {
        regular: TierRule {
            min_spend: Some(dec("500")),
            min_visits: None,
        },
        gold: TierRule {
            min_spend: None,
            min_visits: Some(4),
        },
        diamond: TierRule {
            min_spend: Some(dec("400")),
            min_visits: None,
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(err.field, "customer.membership.diamond");
}

#[test]
fn tier_and_vip_thresholds_must_be_positive() {
    let err = membership_error(MembershipPolicy {
        gold: TierRule {
            min_spend: Some(dec("0")),
            min_visits: Some(4),
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(err.field, "customer.membership.gold");
    let err = membership_error(MembershipPolicy {
        regular: TierRule {
            min_spend: None,
            min_visits: Some(0),
        },
        ..MembershipPolicy::default()
    });
    assert_eq!(err.field, "customer.membership.regular");
    let mut m = MembershipPolicy::default();
    m.vip.min_spend = Some(dec("-1"));
    assert_eq!(
        membership_error(m).field,
        "customer.membership.vip.min_spend"
    );
    let mut m = MembershipPolicy::default();
    m.vip.min_vehicles = Some(0);
    assert_eq!(
        membership_error(m).field,
        "customer.membership.vip.min_vehicles"
    );
}

#[test]
fn important_policy_validation() {
    assert_eq!(ImportantCustomerPolicy::default().validate(), Ok(()));
    let err = with_important(ImportantCustomerPolicy {
        reworks: 0,
        ..ImportantCustomerPolicy::default()
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid policy: `customer.important.reworks` is 0, must be at least 1 (CUS-09)"
    );
    for (rework, incident, field) in [
        (0, 12, "customer.important.rework_window_months"),
        (1_201, 12, "customer.important.rework_window_months"),
        (12, 0, "customer.important.incident_window_months"),
        (12, 1_201, "customer.important.incident_window_months"),
    ] {
        let err = with_important(ImportantCustomerPolicy {
            reworks: 2,
            rework_window_months: rework,
            incident_window_months: incident,
        })
        .unwrap_err();
        assert_eq!((err.field, err.rule), (field, RuleId::Cus09));
    }
}

#[test]
fn membership_policy_round_trips_and_refuses_unknown_fields() {
    let m = MembershipPolicy::default();
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<MembershipPolicy>(&json).unwrap(), m);
    let err = serde_json::from_str::<Policy>(
        r#"{ "customer": { "membership": { "gold": { "spend": "1" } } } }"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `spend`"), "{err}");
}

// ---------------------------------------------------------------------------
// All flags of a file
// ---------------------------------------------------------------------------

fn record(file: &mut CustomerFile, visit: Visit, policy: &Policy) {
    file.execute(
        CustomerFileCommand::RecordVisit {
            visit,
            advisor: None,
        },
        policy,
    )
    .unwrap();
}

#[test]
fn the_flags_of_a_file() {
    let policy = Policy::default();
    let mut card = a_card();
    card.personal.communication_style = Some(CommunicationStyle::Authoritative);
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenSalesFile {
            on: d(2025, 1, 10),
            card,
        },
        &policy,
    )
    .unwrap();
    record(&mut file, paid(d(2025, 2, 10), "600"), &policy);
    record(
        &mut file,
        Visit {
            comeback: true,
            ..paid(d(2025, 9, 1), "4000")
        },
        &policy,
    );
    record(
        &mut file,
        Visit {
            comeback: true,
            ..paid(d(2025, 10, 1), "0")
        },
        &policy,
    );
    file.execute(
        CustomerFileCommand::RecordComplaint {
            on: d(2025, 10, 2),
            complaint: ComplaintNo::try_new("CMP-2025-077").unwrap(),
            major: true,
        },
        &policy,
    )
    .unwrap();

    let flags = customer_flags(&file, d(2026, 1, 10), &no_inputs(), &policy).unwrap();
    assert_eq!(flags.at, d(2026, 1, 10));
    assert_eq!(
        flags.communication_style,
        Some(CommunicationStyle::Authoritative)
    );
    assert_eq!(flags.member.tier(), Some(MemberTier::Regular));
    assert_eq!(flags.member.spend, yuan("4600"));
    // Bought here: one vehicle, not a VIP.
    assert!(!flags.is_vip());
    assert!(flags.is_important());
    assert!(matches!(
        flags.important[..],
        [
            ImportantReason::RepeatedReworks { .. },
            ImportantReason::MajorComplaint { .. }
        ]
    ));
    assert_eq!(flags.handling_rule(), Some(RuleId::Cmp12));
    assert_eq!(flags.long_time_no_visit, None);

    // The caller knows of a second car: VIP; and of influence.
    let inputs = CustomerFlagInputs {
        vehicles_bought: Some(2),
        influential: true,
        temperamental: false,
    };
    let flags = customer_flags(&file, d(2026, 1, 10), &inputs, &policy).unwrap();
    assert_eq!(
        flags.vip,
        [
            VipReason::Vehicles {
                vehicles: 2,
                threshold: 2
            },
            VipReason::Influence
        ]
    );

    // Two years on, nothing recent: not important, long time no visit.
    let flags = customer_flags(&file, d(2027, 10, 2), &no_inputs(), &policy).unwrap();
    assert!(!flags.is_important());
    assert_eq!(flags.handling_rule(), None);
    assert_eq!(flags.member.tier(), None);
    let lost = flags.long_time_no_visit.unwrap();
    assert_eq!(
        (lost.last_visit, lost.since),
        (d(2025, 10, 1), d(2026, 10, 2))
    );
}

#[test]
fn the_card_counts_vehicles_for_vip() {
    let policy = Policy::default();
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2025, 1, 1),
            card: service_only(),
        },
        &policy,
    )
    .unwrap();
    // A service-only card counts no vehicle; the caller's count is used.
    assert!(
        !customer_flags(&file, at(), &no_inputs(), &policy)
            .unwrap()
            .is_vip()
    );
    let two = CustomerFlagInputs {
        vehicles_bought: Some(2),
        ..no_inputs()
    };
    assert!(customer_flags(&file, at(), &two, &policy).unwrap().is_vip());

    // A C-card bought here with a repeat purchase shows two vehicles, and
    // the larger of the card and the caller's count wins.
    let mut card = CCard::from_a_card(a_card(), None);
    card.service.repeat_purchase = true;
    let file = CustomerFile::replay(&[aftersales::CustomerFileEvent::ServiceFileOpened {
        on: d(2025, 1, 1),
        card,
    }]);
    let one = CustomerFlagInputs {
        vehicles_bought: Some(1),
        ..no_inputs()
    };
    let flags = customer_flags(&file, at(), &one, &policy).unwrap();
    assert_eq!(
        flags.vip,
        [VipReason::Vehicles {
            vehicles: 2,
            threshold: 2
        }]
    );
    let three = CustomerFlagInputs {
        vehicles_bought: Some(3),
        ..no_inputs()
    };
    let flags = customer_flags(&file, at(), &three, &policy).unwrap();
    assert_eq!(
        flags.vip,
        [VipReason::Vehicles {
            vehicles: 3,
            threshold: 2
        }]
    );
}

#[test]
fn an_unopened_file_has_no_flags() {
    let flags =
        customer_flags(&CustomerFile::new(), at(), &no_inputs(), &Policy::default()).unwrap();
    assert_eq!(flags.member.tier(), None);
    assert!(!flags.is_vip() && !flags.is_important());
    assert_eq!(
        (flags.long_time_no_visit, flags.communication_style),
        (None, None)
    );
}

#[test]
fn flags_in_a_foreign_currency_are_an_error() {
    let policy = Policy::default();
    let mut file = CustomerFile::new();
    file.execute(
        CustomerFileCommand::OpenServiceFile {
            on: d(2026, 1, 1),
            card: service_only(),
        },
        &policy,
    )
    .unwrap();
    let usd = Visit {
        amount: Some(Money::new(Decimal::from(10), Currency::USD)),
        ..plain(d(2026, 2, 1))
    };
    record(&mut file, usd, &policy);
    let err = customer_flags(&file, at(), &no_inputs(), &policy).unwrap_err();
    assert!(err.to_string().ends_with("(CUS-08)"), "{err}");
    // The C-card says the membership cannot be worked out, and why,
    // instead of leaving the lines out.
    let sheet = file.render(at(), &policy);
    let line = sheet
        .lines()
        .find(|l| l.contains("是否会员/会员级别/是否VIP"))
        .unwrap_or_else(|| panic!("{sheet}"));
    assert!(
        line.contains("无法判定 cannot be worked out") && line.contains("USD"),
        "{line}"
    );
    assert!(!sheet.contains("会员级别 Membership tier"), "{sheet}");
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn visit_strategy() -> impl Strategy<Value = Visit> {
    (
        0u64..2_000,
        proptest::option::of(0i64..1_500_000),
        any::<bool>(),
    )
        .prop_map(|(day, cents, back)| Visit {
            amount: cents.map(|c| Money::cny(Decimal::new(c, 2))),
            comeback: back,
            ..plain(d(2021, 1, 1).checked_add_days(Days::new(day)).unwrap())
        })
}

fn reference_date() -> impl Strategy<Value = NaiveDate> {
    (0u64..2_400).prop_map(|day| d(2021, 1, 1).checked_add_days(Days::new(day)).unwrap())
}

proptest! {
    #[test]
    fn adding_a_visit_never_lowers_the_tier(
        visits in proptest::collection::vec(visit_strategy(), 0..15),
        extra in visit_strategy(),
        on in reference_date(),
    ) {
        let policy = Policy::default();
        let before = member_status(&visits, on, &policy).unwrap().tier();
        let mut more = visits.clone();
        more.push(extra);
        let after = member_status(&more, on, &policy).unwrap().tier();
        prop_assert!(after >= before, "{before:?} → {after:?}");
    }

    #[test]
    fn holding_a_tier_never_gives_less_than_the_current_window(
        visits in proptest::collection::vec(visit_strategy(), 0..15),
        on in reference_date(),
    ) {
        let now_only = with_membership(MembershipPolicy {
            keep_months: 0,
            ..MembershipPolicy::default()
        })
        .unwrap();
        let current = member_status(&visits, on, &now_only).unwrap();
        let held = member_status(&visits, on, &Policy::default()).unwrap();
        prop_assert!(held.tier() >= current.tier());
        // Without holding, the tier is earned on the reference date itself.
        if let Some(m) = current.membership {
            prop_assert_eq!(m.earned_on, on);
        }
        // Both see the same current window.
        prop_assert_eq!((held.spend, held.visits), (current.spend, current.visits));
    }

    #[test]
    fn a_held_tier_was_earned_within_the_keep_time(
        visits in proptest::collection::vec(visit_strategy(), 0..15),
        on in reference_date(),
    ) {
        let status = member_status(&visits, on, &Policy::default()).unwrap();
        if let Some(m) = status.membership {
            prop_assert!(m.earned_on <= on);
            prop_assert!(m.held_until.is_none_or(|h| h >= on));
        }
    }

    #[test]
    fn long_time_no_visit_agrees_with_the_care_calendar(
        visits in proptest::collection::vec(visit_strategy(), 0..10),
        on in reference_date(),
    ) {
        let policy = Policy::default();
        let mut profile = CareProfile::new(CustomerId::try_new("C-1").unwrap());
        profile.last_visit = visits.iter().map(|v| v.date).filter(|d| *d <= on).max();
        let lost = long_time_no_visit(&visits, on, &policy);
        prop_assert_eq!(lost.is_some(), profile.is_long_time_no_visit(on, policy.care()));
        if let Some(lost) = lost {
            prop_assert!(lost.months_since_last_visit >= lost.threshold_months);
        }
    }

    #[test]
    fn important_reasons_never_name_anything_after_the_date(
        visits in proptest::collection::vec(visit_strategy(), 0..15),
        on in reference_date(),
    ) {
        for reason in important_reasons(&visits, &[], on, &no_inputs(), &Policy::default()) {
            match reason {
                ImportantReason::RepeatedReworks { reworks, threshold, .. } => {
                    prop_assert!(reworks.len() as u32 >= threshold);
                    prop_assert!(reworks.iter().all(|r| r.date <= on));
                    prop_assert!(reworks.windows(2).all(|w| w[0].date <= w[1].date));
                }
                ImportantReason::DealerCausedLoss { visit } => prop_assert!(visit.date <= on),
                other => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }
}
