//! Property tests: money arithmetic laws and the one rounding rule, totals,
//! identifier round trips, serde round trips and policy loading.

use aftersales::{
    AuthorityRole, Currency, CustomerId, Discount, EstimateLine, Hours, MoneyError,
    PartAvailability, PartNo, PartOrigin, PersonName, PhoneNumber, Plate, Policy, Quantity,
    StaffId, TeamId, Totals, Vin, WorkOrder, WorkOrderEvent, WorkOrderNo,
};
use aftersales::{Money, Percent};
use proptest::prelude::*;
use proptest::sample::subsequence;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::support;

// ---------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------

/// A decimal of at most 16 digits and up to 10 places: sums and
/// differences of three of them stay within the 28 significant digits a
/// decimal holds, so they are exact.
fn small_decimal() -> impl Strategy<Value = Decimal> {
    (-(10i64.pow(16))..10i64.pow(16), 0u32..=10).prop_map(|(m, s)| Decimal::new(m, s))
}

/// Any decimal the type can hold, up to its maximum and 28 places.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (
        any::<u32>(),
        any::<u32>(),
        any::<u32>(),
        any::<bool>(),
        0u32..=28,
    )
        .prop_map(|(lo, mid, hi, neg, scale)| Decimal::from_parts(lo, mid, hi, neg, scale))
}

fn currency() -> impl Strategy<Value = Currency> {
    "[A-Z]{3}".prop_map(|c| Currency::try_new(&c).unwrap())
}

fn cny(amount: Decimal) -> Money {
    Money::cny(amount)
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn add_is_commutative(a in small_decimal(), b in small_decimal()) {
        prop_assert_eq!(cny(a).checked_add(cny(b))?, cny(b).checked_add(cny(a))?);
    }

    #[test]
    fn add_is_associative(a in small_decimal(), b in small_decimal(), c in small_decimal()) {
        let left = cny(a).checked_add(cny(b))?.checked_add(cny(c))?;
        let right = cny(a).checked_add(cny(b).checked_add(cny(c))?)?;
        prop_assert_eq!(left, right);
    }

    #[test]
    fn add_is_commutative_and_associative_whenever_it_does_not_overflow(
        a in any_decimal(),
        b in any_decimal(),
        c in any_decimal(),
    ) {
        // Near the limits a sum may overflow (an error, never a panic) or be
        // rounded to 28 significant digits; exact results must agree.
        match (cny(a).checked_add(cny(b)), cny(b).checked_add(cny(a))) {
            (Ok(x), Ok(y)) => prop_assert_eq!(x, y),
            (Err(MoneyError::Overflow { .. }), Err(MoneyError::Overflow { .. })) => {}
            other => prop_assert!(false, "asymmetric results {:?}", other),
        }
        if a.scale() == 0 && b.scale() == 0 && c.scale() == 0 {
            let left = cny(a).checked_add(cny(b)).and_then(|ab| ab.checked_add(cny(c)));
            let right = cny(b).checked_add(cny(c)).and_then(|bc| cny(a).checked_add(bc));
            if let (Ok(l), Ok(r)) = (left, right) {
                prop_assert_eq!(l, r);
            }
        }
    }

    #[test]
    fn add_then_sub_gives_back(a in small_decimal(), b in small_decimal()) {
        prop_assert_eq!(cny(a).checked_add(cny(b))?.checked_sub(cny(b))?, cny(a));
        prop_assert_eq!(cny(a).checked_sub(cny(b))?.checked_add(cny(b))?, cny(a));
    }

    #[test]
    fn zero_is_the_identity(a in any_decimal(), c in currency()) {
        let m = Money::new(a, c);
        prop_assert_eq!(m.checked_add(Money::zero(c))?, m);
        prop_assert_eq!(Money::zero(c).checked_add(m)?, m);
        prop_assert_eq!(m.checked_sub(Money::zero(c))?, m);
        prop_assert_eq!(Money::checked_sum(c, [m])?, m);
    }

    #[test]
    fn currency_mismatch_always_errors(
        a in any_decimal(),
        b in any_decimal(),
        (left, right) in (currency(), currency()).prop_filter("different", |(l, r)| l != r),
    ) {
        let x = Money::new(a, left);
        let y = Money::new(b, right);
        let mismatch = MoneyError::CurrencyMismatch { left, right };
        prop_assert_eq!(x.checked_add(y), Err(mismatch.clone()));
        prop_assert_eq!(x.checked_sub(y), Err(mismatch.clone()));
        prop_assert_eq!(x.checked_max(y), Err(mismatch.clone()));
        prop_assert_eq!(x.checked_min(y), Err(mismatch.clone()));
        prop_assert_eq!(x.checked_gt(&y), Err(mismatch));
        prop_assert!(Money::checked_sum(left, [x, y]).is_err());
    }

    #[test]
    fn round_is_idempotent_and_close(a in any_decimal()) {
        let x = cny(a);
        let r = x.round(2);
        prop_assert_eq!(r.round(2), r);
        prop_assert!(r.amount().normalize().scale() <= 2, "{} has more than 2 places", r);
        prop_assert_eq!(r.currency(), x.currency());
        // |round(x) - x| <= 0.005, computed exactly; near the limit of the
        // type the difference itself is still representable.
        let diff = (r.amount() - a).abs();
        prop_assert!(diff <= Decimal::new(5, 3), "round({}) = {} is {} away", a, r, diff);
    }

    #[test]
    fn round_goes_half_up_away_from_zero(cents in 0i64..1_000_000_000_000, negative in any::<bool>()) {
        // x = cents/100 + 0.005 exactly: a midpoint.
        let mut x = Decimal::new(cents * 10 + 5, 3);
        let mut expected = Decimal::new(cents + 1, 2);
        if negative {
            x.set_sign_negative(true);
            expected.set_sign_negative(true);
        }
        prop_assert_eq!(cny(x).round(2), cny(expected));
        // Just below the midpoint goes toward zero.
        let mut below = Decimal::new(cents * 10_000 + 4_999, 6);
        let mut toward = Decimal::new(cents, 2);
        if negative {
            below.set_sign_negative(true);
            toward.set_sign_negative(true);
        }
        prop_assert_eq!(cny(below).round(2), cny(toward));
    }

    #[test]
    fn percent_of_never_panics(p in any_decimal(), a in any_decimal()) {
        if let Ok(percent) = Percent::try_new(p) {
            match percent.of(cny(a)) {
                Ok(m) => {
                    prop_assert_eq!(m.currency(), Currency::CNY);
                    prop_assert!(m.amount().abs() <= a.abs(), "{}% of {} is {}", p, a, m);
                }
                Err(e) => prop_assert!(matches!(e, MoneyError::Overflow { .. }), "{:?}", e),
            }
        } else {
            prop_assert!(p < Decimal::ZERO || p > Decimal::ONE_HUNDRED);
        }
    }

    #[test]
    fn percent_of_at_the_ends(a in any_decimal()) {
        prop_assert_eq!(Percent::ZERO.of(cny(a))?, Money::zero(Currency::CNY));
        let all = Percent::try_new(Decimal::ONE_HUNDRED).unwrap();
        prop_assert_eq!(all.of(cny(a))?, cny(a));
    }
}

// ---------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------

/// A price with up to 4 places, 0 to 99,999.9999.
fn price() -> impl Strategy<Value = Money> {
    (0i64..1_000_000_000, 0u32..=4).prop_map(|(m, s)| cny(Decimal::new(m % 10i64.pow(5 + s), s)))
}

fn line() -> impl Strategy<Value = EstimateLine> {
    // Up to 500 h a line: twelve lines stay below the 10,000 h limit.
    let hours = (0i64..=50_000, 0u32..=1)
        .prop_map(|(h, s)| Hours::try_new(Decimal::new(h, 2 + s)).unwrap());
    let quantity = (1i64..=100_000, 0u32..=3)
        .prop_map(|(q, s)| Quantity::try_new(Decimal::new(q, s)).unwrap());
    let kind = prop_oneof![
        (hours, price()).prop_map(|(h, p)| EstimateLine::labour("labour", h, p)),
        (quantity.clone(), price()).prop_map(|(q, p)| EstimateLine::part(
            PartNo::try_new("P-1").unwrap(),
            "part",
            q,
            p,
            PartOrigin::Oem,
            PartAvailability::InStock,
        )),
        (quantity, price()).prop_map(|(q, p)| EstimateLine::material("material", q, p)),
        price().prop_map(|p| EstimateLine::sublet("sublet", "shop", p)),
    ];
    (kind, proptest::option::of(price())).prop_map(|(line, discount)| match discount {
        None => line,
        Some(amount) => line.with_discount(Discount {
            amount,
            granted_by: StaffId::try_new("SA-1").unwrap(),
            role: AuthorityRole::SeniorManagement,
        }),
    })
}

fn sum(ms: impl IntoIterator<Item = Money>) -> Money {
    Money::checked_sum(Currency::CNY, ms).unwrap()
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn totals_add_up(lines in prop::collection::vec(line(), 0..12)) {
        let policy = Policy::default();
        let est = policy.estimate();
        let t = Totals::of(&lines, est)?;
        let net = sum([t.labour, t.parts, t.materials, t.sublet]).checked_sub(t.discounts)?;
        prop_assert_eq!(t.net, net);
        prop_assert_eq!(t.gross, t.net.checked_add(t.tax)?);
        let thirteen = Percent::try_new(Decimal::from(13)).unwrap();
        prop_assert_eq!(t.tax, thirteen.of(t.net)?.round(2));
        // Each bucket is the sum of its lines, each line rounded on its own.
        prop_assert_eq!(t.net, sum(lines.iter().map(|l| l.net_amount(2).unwrap())));
        let gross_lines = sum(lines.iter().map(|l| l.gross_amount(2).unwrap()));
        prop_assert_eq!(sum([t.labour, t.parts, t.materials, t.sublet]), gross_lines);
        for l in &lines {
            let g = l.gross_amount(2)?;
            prop_assert!(g.amount().normalize().scale() <= 2);
        }
        let hours = lines
            .iter()
            .filter_map(EstimateLine::standard_hours)
            .fold(Decimal::ZERO, |acc, h| acc + h.get());
        prop_assert_eq!(t.labour_hours.get(), hours);
    }

    #[test]
    fn totals_split_in_two_sum_to_the_whole(
        lines in prop::collection::vec(line(), 0..12),
        at in any::<prop::sample::Index>(),
    ) {
        let policy = Policy::default();
        let est = policy.estimate();
        let cut = at.index(lines.len() + 1);
        let (a, b) = lines.split_at(cut);
        let whole = Totals::of(&lines, est)?;
        let ta = Totals::of(a, est)?;
        let tb = Totals::of(b, est)?;
        for (name, w, x, y) in [
            ("labour", whole.labour, ta.labour, tb.labour),
            ("parts", whole.parts, ta.parts, tb.parts),
            ("materials", whole.materials, ta.materials, tb.materials),
            ("sublet", whole.sublet, ta.sublet, tb.sublet),
            ("discounts", whole.discounts, ta.discounts, tb.discounts),
            ("net", whole.net, ta.net, tb.net),
        ] {
            prop_assert_eq!(w, x.checked_add(y)?, "{} does not add up", name);
        }
        prop_assert_eq!(
            whole.labour_hours.get(),
            ta.labour_hours.get() + tb.labour_hours.get()
        );
        // Tax is rounded once on the total: the halves' taxes differ from the
        // whole's by at most one cent.
        let tax_diff = (ta.tax.checked_add(tb.tax)?.checked_sub(whole.tax)?).amount().abs();
        prop_assert!(tax_diff <= Decimal::new(1, 2), "tax differs by {}", tax_diff);
    }
}

// ---------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------

fn vin_string() -> impl Strategy<Value = String> {
    "[A-HJ-NPR-Z0-9]{17}"
}

fn plate_string() -> impl Strategy<Value = String> {
    // Province character, issuing-office letter, optional separator, 5 or 6
    // characters; also plain Latin plates.
    prop_oneof![
        (
            prop::sample::select(vec!['京', '沪', '粤', '川', '苏', '浙', '鲁', '贵']),
            "[A-Z]",
            prop::sample::select(vec!["", "·", "-"]),
            "[A-Z0-9]{5,6}",
        )
            .prop_map(|(p, l, sep, rest)| format!("{p}{l}{sep}{rest}")),
        "[A-Za-z0-9]{2,12}",
    ]
}

fn phone_string() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(
            ("[0-9]", prop::sample::select(vec!["", "", " ", "-"])),
            5..=20,
        ),
    )
        .prop_map(|(plus, digits)| {
            let mut s = String::from(if plus { "+" } else { "" });
            for (d, sep) in digits {
                s.push_str(&d);
                s.push_str(sep);
            }
            s
        })
}

fn code_string() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._/-]{1,40}"
}

/// `Display` then `FromStr` and serde_json both give the value back.
fn round_trips<T>(value: &T) -> Result<(), TestCaseError>
where
    T: std::fmt::Display
        + std::str::FromStr
        + PartialEq
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
    <T as std::str::FromStr>::Err: std::fmt::Debug,
{
    let text = value.to_string();
    let parsed: T = text
        .parse()
        .map_err(|e| TestCaseError::fail(format!("`{text}` does not parse back: {e:?}")))?;
    prop_assert_eq!(&parsed, value);
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json)
        .map_err(|e| TestCaseError::fail(format!("{json} does not deserialize: {e}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn vins_round_trip(s in vin_string(), lower in any::<bool>()) {
        let input = if lower { s.to_ascii_lowercase() } else { s.clone() };
        let vin = Vin::try_new(input)?;
        prop_assert_eq!(vin.as_str(), s.as_str());
        round_trips(&vin)?;
    }

    #[test]
    fn vins_of_the_wrong_length_are_rejected(
        s in "[A-HJ-NPR-Z0-9]{0,40}".prop_filter("not 17", |s| s.len() != 17),
    ) {
        prop_assert!(Vin::try_new(s.as_str()).is_err());
        prop_assert!(serde_json::from_value::<Vin>(json!(s)).is_err());
    }

    #[test]
    fn vins_with_i_o_or_q_are_rejected(
        s in vin_string(),
        at in 0usize..17,
        bad in prop::sample::select(vec!['I', 'O', 'Q', 'i', 'o', 'q']),
    ) {
        let mut chars: Vec<char> = s.chars().collect();
        chars[at] = bad;
        let s: String = chars.into_iter().collect();
        let err = Vin::try_new(s.as_str()).unwrap_err();
        prop_assert_eq!(err.reason, "must not contain the letters I, O or Q");
        prop_assert!(serde_json::from_value::<Vin>(json!(s)).is_err());
    }

    #[test]
    fn plates_round_trip(s in plate_string()) {
        let plate = Plate::try_new(s.as_str())?;
        prop_assert_eq!(plate.as_str(), s.to_uppercase());
        round_trips(&plate)?;
    }

    #[test]
    fn phones_round_trip(s in phone_string()) {
        let phone = PhoneNumber::try_new(s.as_str())?;
        let expected: String = s.chars().filter(|c| *c != ' ' && *c != '-').collect();
        prop_assert_eq!(phone.as_str(), expected.as_str());
        round_trips(&phone)?;
    }

    #[test]
    fn codes_round_trip(s in code_string()) {
        round_trips(&WorkOrderNo::try_new(s.as_str())?)?;
        round_trips(&CustomerId::try_new(s.as_str())?)?;
        round_trips(&PartNo::try_new(s.as_str())?)?;
    }

    #[test]
    fn names_round_trip(s in "[A-Za-z0-9王李张赵师傅先生女士 -]{1,64}") {
        let s = s.trim().to_owned();
        prop_assume!(!s.is_empty());
        round_trips(&StaffId::try_new(s.as_str())?)?;
        round_trips(&PersonName::try_new(s.as_str())?)?;
        round_trips(&TeamId::try_new(s.as_str())?)?;
    }
}

/// Every `try_new` on `s`: a refusal names the input, and whatever is
/// accepted must be accepted again in its stored form (so a stored value
/// always loads back).
fn check_all_ids(s: &str) -> Result<(), TestCaseError> {
    macro_rules! check {
        ($($t:ty),*) => {$(
            match <$t>::try_new(s) {
                Err(e) => prop_assert_eq!(e.input.as_str(), s),
                Ok(v) => {
                    let again = <$t>::try_new(v.to_string());
                    prop_assert_eq!(
                        again.as_ref().ok(),
                        Some(&v),
                        "{} `{}` stored as `{}` is not accepted back: {:?}",
                        stringify!($t),
                        s,
                        v,
                        again
                    );
                }
            }
        )*};
    }
    check!(
        WorkOrderNo,
        CustomerId,
        StaffId,
        PersonName,
        TeamId,
        PartNo,
        Vin,
        PhoneNumber
    );
    check!(Plate);
    let _ = Currency::try_new(s);
    let _ = s.parse::<Money>();
    let _ = s.parse::<Percent>();
    let _ = s.parse::<Hours>();
    let _ = s.parse::<Quantity>();
    Ok(())
}

proptest! {
    #![proptest_config(crate::support::cases(512))]

    #[test]
    fn arbitrary_strings_never_panic_a_constructor(s in any::<String>()) {
        check_all_ids(&s)?;
    }

    #[test]
    fn id_like_strings_never_panic_a_constructor(
        s in "[ +·\\-0-9A-Za-z京粤ÀßİIOQ\t\u{0}]{0,24}",
    ) {
        check_all_ids(&s)?;
    }
}

/// A plate is 2–12 characters and is stored upper case, but `ß` upper-cases
/// to `SS`: the length is judged on the longer form, so whatever is
/// accepted loads back from its stored form.
#[test]
fn plate_stored_form_loads_back_for_length_changing_upper_case() {
    assert!(
        Plate::try_new("ßßßßßßßßßßßß").is_err(),
        "24 characters once upper-cased"
    );
    let plate = Plate::try_new("ßßßß").unwrap();
    assert_eq!(plate.as_str(), "SSSSSSSS");
    let json = serde_json::to_string(&plate).unwrap();
    let back: Result<Plate, _> = serde_json::from_str(&json);
    assert_eq!(back.ok(), Some(plate));
}

// ---------------------------------------------------------------------------
// Serde round trips of the big types
// ---------------------------------------------------------------------------

#[test]
fn default_policy_round_trips_through_json() {
    let policy = Policy::default();
    let json = serde_json::to_string(&policy).unwrap();
    assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    assert_eq!(serde_json::from_str::<Policy>("{}").unwrap(), policy);
}

#[test]
fn the_story_round_trips_through_json() {
    let steps = support::steps();
    let (order, log) = support::order_after(steps.len());
    let accepted = steps
        .iter()
        .filter(|s| s.expect == support::Expect::Accepted)
        .count();
    assert!(log.len() >= accepted, "every accepted step records events");
    assert_eq!(order.version(), log.len() as u64);

    let json = serde_json::to_string(&log).unwrap();
    let back: Vec<WorkOrderEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    for event in &log {
        let one = serde_json::to_value(event).unwrap();
        assert_eq!(one["event"], json!(event.name()), "the tag is the name");
        assert_eq!(
            serde_json::from_value::<WorkOrderEvent>(one).unwrap(),
            *event
        );
    }

    // The order is stored as its events: they replay to the live order.
    let replayed = WorkOrder::replay(order.no().clone(), &back);
    assert_eq!(replayed, order);
    assert_eq!(replayed.stage(), aftersales::Stage::Delivered);
}

// ---------------------------------------------------------------------------
// Policy loading
// ---------------------------------------------------------------------------

fn dec(m: i64, s: u32) -> Value {
    json!(Decimal::new(m, s).to_string())
}

/// Every settable leaf of a policy, each with a generator of valid values,
/// as `(section, path inside the section, value)`. The authority caps are
/// drawn together so they rise with the role.
fn policy_fields() -> impl Strategy<Value = Vec<(&'static str, Vec<&'static str>, Value)>> {
    let docs = subsequence(
        vec![
            "radio_code",
            "wheel_lock_key",
            "service_record_book",
            "driving_licence",
            "vehicle_documents",
        ],
        0..=5,
    )
    .prop_shuffle();
    let work_order = (
        1u32..600,
        0i64..=100,
        0u32..600,
        docs,
        prop::sample::select(vec!["reject", "record_risk"]),
        0u32..10,
    );
    let estimate = (
        prop::sample::select(vec!["CNY", "USD", "EUR"]),
        0u32..=6,
        0i64..=1_000,
        (
            0i64..=100,
            0i64..10_000,
            prop::sample::select(vec!["greater", "lesser"]),
            prop::option::of(0i64..10_000),
        ),
        (
            0i64..1_000,
            0i64..1_000,
            0i64..10_000,
            prop::option::of(0i64..100_000),
        ),
        (0u32..60, 0u32..60, 0u32..60, 0u32..60),
    );
    let follow_up = (0u32..10, 0u32..10);
    (
        work_order,
        estimate,
        follow_up,
        prop::collection::vec(any::<bool>(), 20),
    )
        .prop_map(|(wo, est, (x, y), keep)| {
            let (first, mid, before, docs, covers, rework) = wo;
            let (currency, scale, vat, (tp, ta, combine, tcap), caps, months) = est;
            let (c1, c2, c3, c4) = caps;
            let (oem, qa, other, recon) = months;
            let all: Vec<(&'static str, Vec<&'static str>, Value)> = vec![
                (
                    "work_order",
                    vec!["progress_first_check_after"],
                    json!(first),
                ),
                ("work_order", vec!["progress_midpoint"], dec(mid, 0)),
                (
                    "work_order",
                    vec!["progress_final_check_before"],
                    json!(before),
                ),
                ("work_order", vec!["reception_documents"], json!(docs)),
                ("work_order", vec!["protective_covers"], json!(covers)),
                ("work_order", vec!["rework_repeat_threshold"], json!(rework)),
                ("estimate", vec!["currency"], json!(currency)),
                ("estimate", vec!["rounding_scale"], json!(scale)),
                ("estimate", vec!["vat_rate"], dec(vat, 1)),
                (
                    "estimate",
                    vec!["settlement_tolerance", "percent"],
                    dec(tp, 0),
                ),
                (
                    "estimate",
                    vec!["settlement_tolerance", "absolute"],
                    dec(ta, 2),
                ),
                (
                    "estimate",
                    vec!["settlement_tolerance", "combine"],
                    json!(combine),
                ),
                (
                    "estimate",
                    vec!["settlement_tolerance", "cap"],
                    tcap.map_or(Value::Null, |c| dec(c, 0)),
                ),
                ("estimate", vec!["part_warranty_months", "oem"], json!(oem)),
                (
                    "estimate",
                    vec!["part_warranty_months", "quality_aftermarket"],
                    json!(qa),
                ),
                (
                    "estimate",
                    vec!["part_warranty_months", "other_aftermarket"],
                    json!(other),
                ),
                (
                    "estimate",
                    vec!["part_warranty_months", "reconditioned"],
                    json!(recon),
                ),
                (
                    "follow_up",
                    vec!["after_sales_window"],
                    json!({ "from_days": x.min(y), "to_days": x.max(y) }),
                ),
            ];
            let mut chosen: Vec<_> = all
                .into_iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(f, _)| f)
                .collect();
            // The authority caps must rise with the role: either all four,
            // or a front-line cap alone below the default supervisor cap.
            let (fl, sv, mg) = (c1, c1 + c2, c1 + c2 + c3);
            if keep[18] {
                chosen.push(("estimate", vec!["authority", "front_line"], dec(fl, 0)));
                chosen.push(("estimate", vec!["authority", "supervisor"], dec(sv, 0)));
                chosen.push(("estimate", vec!["authority", "manager"], dec(mg, 0)));
                chosen.push((
                    "estimate",
                    vec!["authority", "senior_management"],
                    c4.map_or(Value::Null, |c| dec(mg + c, 0)),
                ));
            } else if keep[19] {
                chosen.push(("estimate", vec!["authority", "front_line"], dec(fl, 0)));
            }
            chosen
        })
}

fn set_path(root: &mut Value, section: &str, path: &[&str], value: Value) {
    let mut at = root
        .as_object_mut()
        .unwrap()
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    for key in &path[..path.len() - 1] {
        at = at
            .as_object_mut()
            .unwrap()
            .entry(*key)
            .or_insert_with(|| Value::Object(Map::new()));
    }
    at.as_object_mut()
        .unwrap()
        .insert(path[path.len() - 1].to_owned(), value);
}

/// The JSON objects of a policy document, as paths from the root.
const OBJECT_PATHS: &[&[&str]] = &[
    &[],
    &["work_order"],
    &["estimate"],
    &["estimate", "settlement_tolerance"],
    &["estimate", "authority"],
    &["estimate", "part_warranty_months"],
    &["follow_up"],
    &["follow_up", "after_sales_window"],
];

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn policy_with_any_subset_of_valid_fields_loads(fields in policy_fields()) {
        let mut doc = json!({});
        let mut expected = serde_json::to_value(Policy::default()).unwrap();
        for (section, path, value) in &fields {
            set_path(&mut doc, section, path, value.clone());
            set_path(&mut expected, section, path, value.clone());
        }
        let policy: Policy = serde_json::from_value(doc.clone())
            .map_err(|e| TestCaseError::fail(format!("{doc} does not load: {e}")))?;
        prop_assert!(policy.validate().is_ok());
        // What was given is what was loaded; everything else is the default.
        prop_assert_eq!(serde_json::to_value(&policy).unwrap(), expected);
        // And it round trips.
        let again: Policy = serde_json::from_str(&serde_json::to_string(&policy).unwrap()).unwrap();
        prop_assert_eq!(again, policy);
    }

    #[test]
    fn policy_with_an_unknown_field_is_rejected(
        fields in policy_fields(),
        where_ in prop::sample::select(OBJECT_PATHS),
        name in "[a-z_]{1,20}",
        value in prop_oneof![Just(json!(1)), Just(json!("x")), Just(json!(null)), Just(json!({}))],
    ) {
        let mut doc = serde_json::to_value(Policy::default()).unwrap();
        for (section, path, v) in &fields {
            set_path(&mut doc, section, path, v.clone());
        }
        let mut at = &mut doc;
        for key in where_.iter() {
            at = at.get_mut(*key).unwrap();
        }
        let object = at.as_object_mut().unwrap();
        prop_assume!(!object.contains_key(&name));
        object.insert(name.clone(), value);
        let err = serde_json::from_value::<Policy>(doc.clone()).unwrap_err();
        prop_assert!(
            err.to_string().contains(&format!("unknown field `{name}`")),
            "{doc}: {err}"
        );
    }
}
