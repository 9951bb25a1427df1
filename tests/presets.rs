//! Presets per source, jurisdiction profiles for the estimate overrun
//! (REG-06), policy loading errors and the policy diff.

use aftersales::{
    Combine, ConsentDetail, ContactWindow, Currency, EstimatePolicy, Jurisdiction, Money,
    OverrunOutcome, Percent, Policy, PolicyChange, RuleId, Source, Tolerance, render_changes,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn change(path: &str, base: &str, value: &str) -> PolicyChange {
    PolicyChange {
        path: path.to_owned(),
        base: base.to_owned(),
        value: value.to_owned(),
    }
}

/// The changes each preset's documentation claims, in path order.
fn documented_changes(source: Source) -> Vec<PolicyChange> {
    let from = "follow_up.after_sales_window.from_days";
    let to = "follow_up.after_sales_window.to_days";
    match source {
        Source::CoreProcess => vec![change(from, "3", "1")],
        Source::ServiceCourse => Vec::new(),
        Source::CrManual => vec![
            change("complaint.solution_hours.l2", "48", "24"),
            change("complaint.solution_hours.l3", "72", "24"),
        ],
        Source::Textbook => vec![change(from, "3", "1"), change(to, "7", "3")],
        Source::TrainingCourse => vec![
            change(from, "3", "-"),
            change("follow_up.after_sales_window.from_hours", "-", "24"),
            change(to, "7", "-"),
            change("follow_up.after_sales_window.to_hours", "-", "48"),
            change("follow_up.follow_up_hours.1.end", "18:30:00", "17:00:00"),
        ],
    }
}

/// Every policy the presets and profiles make: each preset alone and with
/// each jurisdiction.
fn every_combination() -> Vec<(Source, Option<Jurisdiction>, Policy)> {
    let mut all = Vec::new();
    for source in Source::ALL {
        all.push((source, None, Policy::preset(source)));
        for j in Jurisdiction::ALL {
            let p = Policy::preset(source).with_jurisdiction(*j).unwrap();
            all.push((source, Some(*j), p));
        }
    }
    all
}

// ---------------------------------------------------------------------------
// Presets
// ---------------------------------------------------------------------------

#[test]
fn every_preset_validates_and_changes_what_its_docs_say() {
    for source in Source::ALL {
        let preset = Policy::preset(source);
        preset.validate().unwrap();
        assert_eq!(
            preset.changes_from_default(),
            documented_changes(source),
            "{source}"
        );
        assert_eq!(
            preset.follow_up().after_sales_window,
            ContactWindow::after_sales_preset(source)
        );
    }
    assert_eq!(Policy::preset(Source::ServiceCourse), Policy::default());
}

/// [004]'s follow-up hours stop at 17:00, before the evening rush it names
/// (避开早晚高峰); every other preset keeps [001]'s 18:30.
#[test]
fn only_the_004_preset_moves_the_follow_up_hours() {
    for source in Source::ALL {
        let preset = Policy::preset(source);
        let end = preset.follow_up().follow_up_hours[1]
            .end()
            .format("%H:%M")
            .to_string();
        let expected = if source == Source::TrainingCourse {
            "17:00"
        } else {
            "18:30"
        };
        assert_eq!(end, expected, "{source}");
    }
}

#[test]
fn sources_have_tags_and_labels() {
    let tags: Vec<&str> = Source::ALL.iter().map(|s| s.tag()).collect();
    assert_eq!(tags, ["[000]", "[001]", "[002]", "[003]", "[004]"]);
    assert_eq!(
        Source::Textbook.to_string(),
        "[003] repair-enterprise management textbook"
    );
    assert_eq!(Source::CrManual.label_zh(), "客户关系部运作制度");
}

#[test]
fn the_default_has_no_changes() {
    assert!(Policy::default().changes_from_default().is_empty());
    assert_eq!(
        render_changes(&Policy::default().changes_from_default()),
        "策略差异 Policy changes: 0 (与基准相同 same as the base)\n"
    );
    for (_, _, p) in every_combination() {
        assert!(p.changes_from(&p).is_empty());
    }
}

// ---------------------------------------------------------------------------
// Jurisdictions
// ---------------------------------------------------------------------------

#[test]
fn every_jurisdiction_validates_alone_and_with_every_preset() {
    for (source, jurisdiction, policy) in every_combination() {
        policy.validate().unwrap();
        let Some(j) = jurisdiction else { continue };
        // The jurisdiction touches the estimate section only, the preset
        // the follow-up section only: they combine without interfering.
        assert_eq!(policy.follow_up(), Policy::preset(source).follow_up());
        let alone = Policy::default().with_jurisdiction(j).unwrap();
        assert_eq!(policy.estimate(), alone.estimate());
        assert_eq!(
            policy.changes_from(&Policy::preset(source)),
            alone.changes_from_default(),
            "{source} + {j}"
        );
        let profile = j.profile();
        assert_eq!(policy.estimate().currency, profile.currency);
        assert_eq!(policy.estimate().settlement_tolerance, profile.tolerance);
        assert_eq!(policy.estimate().jurisdiction, Some(j));
    }
}

#[test]
fn the_profiles_hold_the_rulebook_numbers() {
    let usd = Currency::USD;
    let ten = Percent::try_new(Decimal::from(10)).unwrap();
    let table: Vec<(
        Jurisdiction,
        Currency,
        Percent,
        Decimal,
        Combine,
        Option<Decimal>,
    )> = Jurisdiction::ALL
        .iter()
        .map(|j| {
            let p = j.profile();
            (
                *j,
                p.currency,
                p.tolerance.percent,
                p.tolerance.absolute,
                p.tolerance.combine,
                p.tolerance.cap,
            )
        })
        .collect();
    let d = Decimal::from;
    let g = Combine::Greater;
    assert_eq!(
        table,
        [
            (
                Jurisdiction::ChinaNational,
                Currency::CNY,
                Percent::ZERO,
                d(0),
                g,
                None
            ),
            (Jurisdiction::California, usd, Percent::ZERO, d(0), g, None),
            (Jurisdiction::Florida, usd, ten, d(10), g, Some(d(50))),
            (Jurisdiction::Illinois, usd, ten, d(0), g, None),
            (Jurisdiction::Maryland, usd, ten, d(0), g, None),
            (
                Jurisdiction::Colorado,
                usd,
                ten,
                d(25),
                Combine::Lesser,
                None
            ),
            (
                Jurisdiction::Ontario,
                "CAD".parse().unwrap(),
                ten,
                d(0),
                g,
                None
            ),
            (
                Jurisdiction::Germany,
                Currency::EUR,
                Percent::try_new(d(15)).unwrap(),
                d(0),
                g,
                None
            ),
        ]
    );
    let written: Vec<Option<Decimal>> = Jurisdiction::ALL
        .iter()
        .map(|j| j.profile().written_estimate_above)
        .collect();
    assert_eq!(
        written,
        [
            None,
            None,
            Some(d(100)),
            Some(d(100)),
            None,
            Some(d(100)),
            None,
            None
        ]
    );
    use ConsentDetail::*;
    assert_eq!(
        Jurisdiction::California.profile().consent_record,
        [Date, Time, ConsentingPerson, Phone, AddedWork, NewTotal]
    );
    assert_eq!(
        Jurisdiction::Colorado.profile().consent_record,
        [Date, Time, Manner, Phone, ConsentingPerson, StaffName]
    );
    assert_eq!(
        Jurisdiction::Germany.profile().notify_overrun_above,
        Some(Percent::try_new(d(15)).unwrap())
    );
    assert_eq!(
        serde_json::to_string(&Jurisdiction::ChinaNational).unwrap(),
        "\"china_national\""
    );
}

/// The outcome of settling `settlement` after `authorized` under `j`.
fn outcome(j: Jurisdiction, authorized: &str, settlement: &str) -> OverrunOutcome {
    Policy::default()
        .with_jurisdiction(j)
        .unwrap()
        .overrun_consent(money(authorized), money(settlement))
        .unwrap()
        .outcome
}

/// `(authorized, largest settlement within, smallest one beyond)`, checked
/// under `j`.
fn assert_boundary(j: Jurisdiction, authorized: &str, within: &str, beyond: &str) {
    assert_eq!(
        outcome(j, authorized, within),
        OverrunOutcome::Within,
        "{j}: {authorized} → {within}"
    );
    assert_eq!(
        outcome(j, authorized, beyond),
        OverrunOutcome::ConsentNeeded,
        "{j}: {authorized} → {beyond}"
    );
}

#[test]
fn florida_ten_dollars_ten_percent_capped_at_fifty() {
    let fl = Jurisdiction::Florida;
    // $10 is more than 10 % of $80.
    assert_boundary(fl, "80.00 USD", "90.00 USD", "90.01 USD");
    // 10 % of $100 is $10: both parts agree.
    assert_boundary(fl, "100.00 USD", "110.00 USD", "110.01 USD");
    // 10 % of $300 is more than $10.
    assert_boundary(fl, "300.00 USD", "330.00 USD", "330.01 USD");
    // 10 % of $500 meets the cap.
    assert_boundary(fl, "500.00 USD", "550.00 USD", "550.01 USD");
    // 10 % of $900 is capped at $50.
    assert_boundary(fl, "900.00 USD", "950.00 USD", "950.01 USD");

    let policy = Policy::default().with_jurisdiction(fl).unwrap();
    let d = policy
        .overrun_consent(money("100.00 USD"), money("100.00 USD"))
        .unwrap();
    assert!(!d.written_estimate_required, "$100 is not above $100");
    let d = policy
        .overrun_consent(money("100.00 USD"), money("110.01 USD"))
        .unwrap();
    assert!(d.written_estimate_required);
    assert_eq!(d.allowance, money("10.00 USD"));
    assert_eq!(d.overrun, money("10.01 USD"));
    let text: Vec<String> = d.reasons.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "the settlement `110.01 USD` exceeds the authorized `100.00 USD` by `10.01 USD`, \
             more than the allowance `10.00 USD` (the greater of 10% and 10.00 USD, at most \
             50.00 USD); the customer must authorize the difference before settlement (EST-06)",
            "Florida: a written estimate above $100; consent when the overrun exceeds the \
             greater of $10 and 10%, at most $50 (Fla. Stat. §559.905, §559.909) (REG-06)",
            "`110.01 USD` is above `100.00 USD`: the authorization is a written estimate (REG-06)",
        ]
    );
}

#[test]
fn colorado_the_lesser_of_ten_percent_and_twenty_five_dollars() {
    let co = Jurisdiction::Colorado;
    // 10 % of $200 is less than $25.
    assert_boundary(co, "200.00 USD", "220.00 USD", "220.01 USD");
    // 10 % of $250 is $25.
    assert_boundary(co, "250.00 USD", "275.00 USD", "275.01 USD");
    // $25 is less than 10 % of $400.
    assert_boundary(co, "400.00 USD", "425.00 USD", "425.01 USD");

    let policy = Policy::default().with_jurisdiction(co).unwrap();
    let within = policy
        .overrun_consent(money("400.00 USD"), money("425.00 USD"))
        .unwrap();
    assert!(within.consent_record.is_empty());
    let beyond = policy
        .overrun_consent(money("400.00 USD"), money("425.01 USD"))
        .unwrap();
    assert_eq!(beyond.consent_record.len(), 6);
    assert!(beyond.reasons.iter().any(|r| r.rule == RuleId::Reg06
        && r.fact
            == "an oral consent is recorded with: date, time, manner of consent, \
                telephone number, name of the person consenting, name of the employee"));
}

#[test]
fn maryland_ontario_and_illinois_ten_percent() {
    assert_boundary(
        Jurisdiction::Maryland,
        "500.00 USD",
        "550.00 USD",
        "550.01 USD",
    );
    assert_boundary(
        Jurisdiction::Illinois,
        "500.00 USD",
        "550.00 USD",
        "550.01 USD",
    );
    assert_boundary(
        Jurisdiction::Ontario,
        "1234.50 CAD",
        "1357.95 CAD",
        "1357.96 CAD",
    );
    // Ten percent has no floor: $0.50 on $5.
    assert_boundary(Jurisdiction::Illinois, "5.00 USD", "5.50 USD", "5.51 USD");
}

#[test]
fn china_and_california_any_overrun() {
    assert_boundary(
        Jurisdiction::ChinaNational,
        "1280.00 CNY",
        "1280.00 CNY",
        "1280.01 CNY",
    );
    assert_boundary(
        Jurisdiction::California,
        "400.00 USD",
        "400.00 USD",
        "400.01 USD",
    );
    let ca = Policy::default()
        .with_jurisdiction(Jurisdiction::California)
        .unwrap();
    let d = ca
        .overrun_consent(money("400.00 USD"), money("400.01 USD"))
        .unwrap();
    let labels: Vec<&str> = d.consent_record.iter().map(|c| c.label_en()).collect();
    assert_eq!(
        labels,
        [
            "date",
            "time",
            "name of the person consenting",
            "telephone number",
            "added parts and labour",
            "new total"
        ]
    );
    assert!(!d.written_estimate_required);
    // A settlement below the authorized amount needs nothing.
    let d = ca
        .overrun_consent(money("400.00 USD"), money("380.00 USD"))
        .unwrap();
    assert_eq!(d.outcome, OverrunOutcome::Within);
    assert_eq!(d.overrun, money("-20.00 USD"));
    assert_eq!(d.reasons.len(), 1);
}

#[test]
fn germany_notifies_a_material_overrun() {
    let de = Jurisdiction::Germany;
    assert_boundary(de, "1000.00 EUR", "1150.00 EUR", "1150.01 EUR");
    let policy = Policy::default().with_jurisdiction(de).unwrap();
    let d = policy
        .overrun_consent(money("1000.00 EUR"), money("1150.00 EUR"))
        .unwrap();
    assert!(!d.notify_material_overrun);
    let d = policy
        .overrun_consent(money("1000.00 EUR"), money("1150.01 EUR"))
        .unwrap();
    assert!(d.notify_material_overrun);
    assert!(
        d.reasons
            .iter()
            .any(|r| r.rule == RuleId::Reg06 && r.fact.contains("BGB §649"))
    );
}

#[test]
fn without_a_jurisdiction_only_est06_speaks() {
    let policy = Policy::default();
    let d = policy
        .overrun_consent(money("1280.00 CNY"), money("1280.01 CNY"))
        .unwrap();
    assert_eq!(d.outcome, OverrunOutcome::ConsentNeeded);
    assert!(d.reasons.iter().all(|r| r.rule == RuleId::Est06));
    let err = policy
        .overrun_consent(money("100.00 USD"), money("100.00 USD"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot combine `USD` with `CNY`: currencies differ (EST-01)"
    );
}

#[test]
fn a_jurisdiction_may_be_stricter_never_more_lenient() {
    let florida = Policy::default()
        .with_jurisdiction(Jurisdiction::Florida)
        .unwrap();
    let stricter = EstimatePolicy {
        settlement_tolerance: Tolerance {
            cap: Some(Decimal::from(20)),
            ..florida.estimate().settlement_tolerance.clone()
        },
        written_estimate_above: Some(Decimal::from(50)),
        consent_record: vec![ConsentDetail::Date, ConsentDetail::NewTotal],
        ..florida.estimate().clone()
    };
    florida.clone().with_estimate(stricter).unwrap();

    let err = |estimate: EstimatePolicy| {
        florida
            .clone()
            .with_estimate(estimate)
            .unwrap_err()
            .to_string()
    };
    let uncapped = EstimatePolicy {
        settlement_tolerance: Tolerance {
            cap: None,
            ..florida.estimate().settlement_tolerance.clone()
        },
        ..florida.estimate().clone()
    };
    assert_eq!(
        err(uncapped),
        "invalid policy: `estimate.settlement_tolerance` allows more than Florida's law (the \
         greater of 10% and 10.00 USD, at most 50.00 USD): `50.10 USD` on an authorized \
         `501.00 USD`, where the law allows `50.00 USD` (REG-06)"
    );
    let higher = EstimatePolicy {
        written_estimate_above: Some(Decimal::from(150)),
        ..florida.estimate().clone()
    };
    assert_eq!(
        err(higher),
        "invalid policy: `estimate.written_estimate_above` is `150`, but Florida requires a \
         written estimate above `100` (REG-06)"
    );
    let yuan = EstimatePolicy {
        currency: Currency::CNY,
        ..florida.estimate().clone()
    };
    assert_eq!(
        err(yuan),
        "invalid policy: `estimate.currency` is `CNY`, but Florida's amounts are in `USD` (REG-06)"
    );
    let california = Policy::default()
        .with_jurisdiction(Jurisdiction::California)
        .unwrap();
    let mut short = california.estimate().clone();
    short.consent_record.retain(|d| *d != ConsentDetail::Phone);
    assert_eq!(
        california
            .clone()
            .with_estimate(short)
            .unwrap_err()
            .to_string(),
        "invalid policy: `estimate.consent_record` lacks `telephone number`, which California \
         requires of a recorded consent (REG-06)"
    );
    let germany = Policy::default()
        .with_jurisdiction(Jurisdiction::Germany)
        .unwrap();
    let late = EstimatePolicy {
        notify_overrun_above: None,
        ..germany.estimate().clone()
    };
    assert_eq!(
        germany.with_estimate(late).unwrap_err().to_string(),
        "invalid policy: `estimate.notify_overrun_above` is `none`, but Germany expects notice \
         of an overrun above 15% (REG-06)"
    );
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

#[test]
fn every_combination_round_trips_through_json() {
    for (source, j, policy) in every_combination() {
        let json = serde_json::to_string(&policy).unwrap();
        let back: Policy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, policy, "{source} {j:?}");
    }
}

#[test]
fn existing_json_without_the_new_fields_still_loads() {
    let policy: Policy = serde_json::from_str(
        r#"{ "estimate": { "currency": "USD", "settlement_tolerance": { "percent": "10" } } }"#,
    )
    .unwrap();
    assert_eq!(policy.estimate().jurisdiction, None);
    assert!(policy.estimate().consent_record.is_empty());
}

fn load_error(json: &str) -> String {
    serde_json::from_str::<Policy>(json)
        .unwrap_err()
        .to_string()
}

#[test]
fn loading_errors_are_clear() {
    // An unknown field is named, at any depth.
    let err =
        load_error(r#"{ "follow_up": { "after_sale_window": { "from_days": 1, "to_days": 3 } } }"#);
    assert!(err.contains("unknown field `after_sale_window`"), "{err}");
    let err = load_error(r#"{ "estimate": { "jurisdictions": "florida" } }"#);
    assert!(err.contains("unknown field `jurisdictions`"), "{err}");
    let err = load_error(r#"{ "estimate": { "jurisdiction": "texas" } }"#);
    assert!(err.contains("unknown variant `texas`"), "{err}");
    let err = load_error(r#"{ "estimate": { "consent_record": ["signature"] } }"#);
    assert!(err.contains("unknown variant `signature`"), "{err}");

    // A window that starts after it ends names the field and FU-01.
    let err = load_error(
        r#"{ "follow_up": { "after_sales_window": { "from_days": 7, "to_days": 3 } } }"#,
    );
    assert!(
        err.contains("`follow_up.after_sales_window` days 7–3 starts after it ends (FU-01)"),
        "{err}"
    );
    let err = load_error(
        r#"{ "follow_up": { "after_sales_window": { "from_hours": 48, "to_hours": 24 } } }"#,
    );
    assert!(
        err.contains("`follow_up.after_sales_window` hours 48–24 starts after it ends (FU-01)"),
        "{err}"
    );

    // Hours are whole non-negative numbers: a negative one is refused with
    // the value and what it should be, wherever hours occur.
    for json in [
        r#"{ "follow_up": { "after_sales_window": { "from_hours": -24, "to_hours": 48 } } }"#,
        r#"{ "complaint": { "solution_hours": -24 } }"#,
        r#"{ "complaint": { "department_result_hours": -24 } }"#,
        r#"{ "complaint": { "levels": { "l1": { "handler": "front_line", "response_hours": -24 } } } }"#,
    ] {
        let err = load_error(json);
        assert!(
            err.contains("`-24` is not a count of hours, minutes or days: it must be 0 or more"),
            "{json}: {err}"
        );
    }
    // Negative amounts name the field and the rule.
    let err = load_error(r#"{ "estimate": { "written_estimate_above": "-100" } }"#);
    assert!(
        err.contains("`estimate.written_estimate_above` is `-100`, must not be negative (REG-06)"),
        "{err}"
    );
    let err = load_error(r#"{ "estimate": { "consent_record": ["date", "date"] } }"#);
    assert!(
        err.contains("`estimate.consent_record` lists `date` twice (REG-06)"),
        "{err}"
    );
    // A jurisdiction alone is not enough: the policy must state its law.
    let err = load_error(r#"{ "estimate": { "jurisdiction": "illinois" } }"#);
    assert!(
        err.contains("`estimate.currency` is `CNY`, but Illinois's amounts are in `USD` (REG-06)"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------
// Diff
// ---------------------------------------------------------------------------

#[test]
fn a_preset_with_a_jurisdiction_renders_its_changes() {
    let policy = Policy::preset(Source::TrainingCourse)
        .with_jurisdiction(Jurisdiction::Florida)
        .unwrap();
    insta::assert_snapshot!(
        "training_course_florida_changes",
        render_changes(&policy.changes_from_default())
    );
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/// `x` scaled by `k` per cent, `k` in 0..=100.
fn scaled(x: Decimal, k: u32) -> Decimal {
    x * Decimal::from(k) / Decimal::ONE_HUNDRED
}

/// A preset, maybe a jurisdiction, and a tightening of its law: every
/// number scaled down and extra consent details.
fn tightened_policy() -> impl Strategy<Value = Policy> {
    (
        prop::sample::select(Source::ALL.to_vec()),
        prop::option::of(prop::sample::select(Jurisdiction::ALL.to_vec())),
        (0u32..=100, 0u32..=100, 0u32..=100, 0u32..=100),
        prop::sample::subsequence(ConsentDetail::ALL.to_vec(), 0..=ConsentDetail::ALL.len()),
    )
        .prop_map(|(source, j, (kt, kw, kn, kc), extra)| {
            let preset = Policy::preset(source);
            let Some(j) = j else { return preset };
            let policy = preset.with_jurisdiction(j).unwrap();
            let mut est = policy.estimate().clone();
            let t = &mut est.settlement_tolerance;
            t.percent = Percent::try_new(scaled(t.percent.get(), kt)).unwrap();
            t.absolute = scaled(t.absolute, kt);
            t.cap = match t.cap {
                Some(cap) => Some(scaled(cap, kc)),
                None if kc % 2 == 0 => Some(Decimal::from(kc)),
                None => None,
            };
            est.written_estimate_above = est.written_estimate_above.map(|w| scaled(w, kw));
            est.notify_overrun_above = est
                .notify_overrun_above
                .map(|n| Percent::try_new(scaled(n.get(), kn)).unwrap());
            for d in extra {
                if !est.consent_record.contains(&d) {
                    est.consent_record.push(d);
                }
            }
            policy.with_estimate(est).unwrap()
        })
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn presets_and_jurisdictions_round_trip_through_json(policy in tightened_policy()) {
        prop_assert!(policy.validate().is_ok());
        let json = serde_json::to_string(&policy).unwrap();
        let back: Policy = serde_json::from_str(&json)
            .map_err(|e| TestCaseError::fail(format!("{json} does not load: {e}")))?;
        prop_assert_eq!(&back, &policy);
        prop_assert!(back.changes_from(&policy).is_empty());
        // Only the FU-01 window, the FU-05 follow-up hours, the CMP-06
        // solution hours and the estimate
        // section ever change.
        for c in policy.changes_from_default() {
            prop_assert!(
                c.path.starts_with("follow_up.after_sales_window.")
                    || c.path.starts_with("follow_up.follow_up_hours.")
                    || c.path.starts_with("complaint.solution_hours.")
                    || c.path.starts_with("estimate."),
                "{}", c
            );
        }
    }

    #[test]
    fn consent_is_needed_exactly_above_the_allowance(
        j in prop::sample::select(Jurisdiction::ALL.to_vec()),
        authorized in 0i64..1_000_000,
        extra in -10_000i64..100_000,
    ) {
        let policy = Policy::default().with_jurisdiction(j).unwrap();
        let currency = policy.estimate().currency;
        let authorized = Money::new(Decimal::new(authorized, 2), currency);
        let settlement = Money::new(authorized.amount() + Decimal::new(extra, 2), currency);
        let d = policy.overrun_consent(authorized, settlement).unwrap();
        let allowance = policy.estimate().settlement_tolerance.allowance(authorized).unwrap();
        prop_assert_eq!(d.allowance, allowance);
        let beyond = settlement.amount() - authorized.amount() > allowance.amount();
        prop_assert_eq!(d.outcome == OverrunOutcome::ConsentNeeded, beyond);
        prop_assert_eq!(d.reasons.first().map(|r| r.rule), Some(RuleId::Est06));
    }
}
