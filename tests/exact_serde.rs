//! Issue 15, item 4: every decimal in stored data loads exactly or not at
//! all. Each stored type is loaded with an inexact decimal in each of its
//! decimal fields, found by walking its own JSON.

use std::fmt::Debug;

use aftersales::{
    Expectations, FactorScores, Hours, Jurisdiction, Money, Percent, Policy, Quantity, ShownRate,
    WorkOrderEvent,
};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support;

/// 29 decimals: rust_decimal's own serde rounded this to 0.
const INEXACT_TEXT: &str = "0.00000000000000000000000000001";
/// A JSON integer past `u64`, which JSON readers hand over as a float:
/// rust_decimal's own serde loaded it as `12345678901234568000000`.
const LOSSY_NUMBER: &str = "12345678901234567890123";

/// JSON pointers to every string leaf of `value` that reads as a decimal
/// (phone numbers are digits too, and are not decimals).
fn decimal_leaves(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) if Decimal::from_str_exact(s).is_ok() && !at.contains("phone") => {
            out.push(at.to_owned());
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                decimal_leaves(item, &format!("{at}/{i}"), out);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let key = key.replace('~', "~0").replace('/', "~1");
                decimal_leaves(item, &format!("{at}/{key}"), out);
            }
        }
        _ => {}
    }
}

/// `original` with the leaf at `path` replaced by the JSON text `leaf`,
/// spliced in as text so a number reaches the reader as written.
fn with_leaf(original: &Value, path: &str, leaf: &str) -> String {
    let mut marked = original.clone();
    *marked.pointer_mut(path).unwrap() = Value::String("\u{1}MARK".into());
    let marked = serde_json::to_string(&marked).unwrap();
    assert_eq!(marked.matches("\\u0001MARK").count(), 1);
    marked.replacen("\"\\u0001MARK\"", leaf, 1)
}

/// For every decimal field of `stored`: inexact text and a lossy JSON
/// number are refused with the exactness messages, and the same number
/// written as a short JSON float loads equal. Returns the fields checked.
fn every_decimal_is_exact<T>(stored: &T) -> Vec<String>
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let value = serde_json::to_value(stored).unwrap();
    let mut paths = Vec::new();
    decimal_leaves(&value, "", &mut paths);
    for path in &paths {
        let err =
            serde_json::from_str::<T>(&with_leaf(&value, path, &format!("\"{INEXACT_TEXT}\"")))
                .unwrap_err()
                .to_string();
        assert!(
            err.contains(&format!("`{INEXACT_TEXT}` is not an exact decimal")),
            "{path}: {err}"
        );
        let err = serde_json::from_str::<T>(&with_leaf(&value, path, LOSSY_NUMBER))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("write the decimal as a string"),
            "{path}: {err}"
        );
        // The stored number as a JSON float with a fraction: exact, so it loads.
        let Some(Value::String(text)) = value.pointer(path) else {
            unreachable!()
        };
        let float: f64 = text.parse().unwrap();
        let loaded: T = serde_json::from_str(&with_leaf(&value, path, &format!("{float:?}")))
            .unwrap_or_else(|e| panic!("{path} as {float:?}: {e}"));
        assert_eq!(&loaded, stored, "{path}");
    }
    paths
}

#[test]
fn money_and_units_load_exactly() {
    let money: Money = "2665.67 CNY".parse().unwrap();
    assert_eq!(every_decimal_is_exact(&money), ["/amount"]);
    let percent: Percent = "13".parse().unwrap();
    assert_eq!(every_decimal_is_exact(&percent), [""]);
    let hours: Hours = "4.5".parse().unwrap();
    assert_eq!(every_decimal_is_exact(&hours), [""]);
    let quantity: Quantity = "0.25".parse().unwrap();
    assert_eq!(every_decimal_is_exact(&quantity), [""]);
}

#[test]
fn the_issue_examples_are_refused_not_rounded() {
    let err = serde_json::from_str::<Money>(
        r#"{"amount":"0.00000000000000000000000000001","currency":"CNY"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("is not an exact decimal"), "{err}");
    let err =
        serde_json::from_str::<Money>(r#"{"amount":12345678901234567890123,"currency":"CNY"}"#)
            .unwrap_err();
    assert!(
        err.to_string().contains("write the decimal as a string"),
        "{err}"
    );
    let err = serde_json::from_str::<Percent>("0.30000000000000004").unwrap_err();
    assert!(
        err.to_string().contains("write the decimal as a string"),
        "{err}"
    );
    // Scientific notation in text is refused, as `FromStr` refuses it.
    assert!(serde_json::from_str::<Hours>("\"1e3\"").is_err());
    assert!("1e3".parse::<Hours>().is_err());
}

#[test]
fn exact_numbers_keep_loading_and_decimals_are_written_as_strings() {
    // Integers and short floats that older DMS exports may hold.
    let money: Money = serde_json::from_str(r#"{"amount":12.5,"currency":"CNY"}"#).unwrap();
    assert_eq!(money, "12.50 CNY".parse().unwrap());
    let money: Money = serde_json::from_str(r#"{"amount":1280,"currency":"CNY"}"#).unwrap();
    assert_eq!(money, "1280 CNY".parse().unwrap());
    let vat: Percent = serde_json::from_str("0.1").unwrap();
    assert_eq!(vat.get().to_string(), "0.1");
    // Written as today: a string, as `Display` writes it.
    let money: Money = "1378.60 CNY".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&money).unwrap(),
        r#"{"amount":"1378.60","currency":"CNY"}"#
    );
    // A unit out of range is still refused after the exact read.
    assert!(serde_json::from_str::<Percent>("\"100.0000000000000000000000001\"").is_err());
    assert!(serde_json::from_str::<Percent>("\"100.000000000000000000000000\"").is_ok());
}

#[test]
fn every_policy_decimal_loads_exactly() {
    let mut policy = serde_json::to_value(
        Policy::default()
            .with_jurisdiction(Jurisdiction::Colorado)
            .unwrap(),
    )
    .unwrap();
    // Fill the optional amounts so they are walked too.
    *policy
        .pointer_mut("/estimate/settlement_tolerance/cap")
        .unwrap() = "50".into();
    *policy
        .pointer_mut("/estimate/authority/senior_management")
        .unwrap() = "10000".into();
    *policy
        .pointer_mut("/customer/membership/regular/min_spend")
        .unwrap() = "0.5".into();
    let policy: Policy = serde_json::from_value(policy).unwrap();
    let paths = every_decimal_is_exact(&policy);
    for expected in [
        "/estimate/vat_rate",
        "/estimate/written_estimate_above",
        "/estimate/settlement_tolerance/absolute",
        "/estimate/settlement_tolerance/cap",
        "/estimate/settlement_tolerance/percent",
        "/estimate/authority/front_line",
        "/estimate/authority/supervisor",
        "/estimate/authority/manager",
        "/estimate/authority/senior_management",
        "/customer/membership/regular/min_spend",
        "/customer/membership/vip/min_spend",
        "/customer/rfm/monetary/0",
        "/customer/rfm/monetary/3",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} not in {paths:?}"
        );
    }
}

#[test]
fn every_event_amount_loads_exactly() {
    let (_, log) = support::order_after(support::steps().len());
    let paths = every_decimal_is_exact::<Vec<WorkOrderEvent>>(&log);
    for key in ["/amount", "/standard_hours", "/quantity", "/labour_hours"] {
        assert!(
            paths.iter().any(|p| p.ends_with(key)),
            "{key} not in {paths:?}"
        );
    }
}

#[test]
fn measures_reports_and_profiles_load_exactly() {
    let d = |s: &str| Decimal::from_str_exact(s).unwrap();
    let expectations = Expectations::try_new(d("8.5"), d("6"), d("7.25")).unwrap();
    assert_eq!(every_decimal_is_exact(&expectations).len(), 3);
    let scores = FactorScores::try_new(d("9"), d("8.5"), d("7"), d("6.25"), d("10")).unwrap();
    assert_eq!(every_decimal_is_exact(&scores).len(), 5);
    let profile = Jurisdiction::Colorado.profile();
    assert!(every_decimal_is_exact(&profile).contains(&"/written_estimate_above".to_owned()));
    let shown: ShownRate =
        serde_json::from_str(r#"{"numerator":17,"denominator":20,"percent":"85.00"}"#).unwrap();
    assert_eq!(every_decimal_is_exact(&shown), ["/percent"]);
}

// Issue 15, item 6: invisible characters in identifiers and names.

#[test]
fn an_advisor_with_a_zero_width_space_is_refused_not_a_second_advisor() {
    use aftersales::{PersonName, StaffId};
    for (text, code) in [
        ("SA-01\u{200B}", "U+200B"),
        ("\u{FEFF}SA-01", "U+FEFF"),
        ("SA\u{2060}-01", "U+2060"),
        ("\u{202E}10-AS", "U+202E"),
    ] {
        let json = serde_json::to_string(text).unwrap();
        let err = serde_json::from_str::<StaffId>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(code), "{err}");
        let err = serde_json::from_str::<PersonName>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(code), "{err}");
        assert!(text.parse::<StaffId>().is_err());
    }
    assert!("SA-01".parse::<StaffId>().is_ok());
    assert!("王 先生".parse::<PersonName>().is_ok());
}

// Issue 15, item 8: free text is bounded where it enters, and a render is
// linear in its output whatever one cell holds.

fn safety_item_profile(n: usize, description: String) -> aftersales::CareProfile {
    use aftersales::{
        CareProfile, CustomerId, ItemNo, OpenSafetyItem, SafetyItemAnswer, WorkOrderNo,
    };
    let mut p = CareProfile::new(CustomerId::try_new(format!("C-{n}")).unwrap());
    p.open_safety_items = vec![OpenSafetyItem {
        order: WorkOrderNo::try_new(format!("WO-{n}")).unwrap(),
        item: ItemNo(1),
        description,
        recorded_on: chrono::NaiveDate::from_ymd_opt(2026, 8, 20).unwrap(),
        answer: SafetyItemAnswer::Declined,
    }];
    p
}

#[test]
fn one_huge_cell_among_many_rows_does_not_widen_every_row() {
    use aftersales::{CarePolicy, care_calendar};
    const ROWS: usize = 2_000;
    let policy = Policy::default()
        .with_care(CarePolicy {
            holidays: vec![],
            seasonal_campaigns: vec![],
            ..CarePolicy::default()
        })
        .unwrap();
    let render = |huge: &str| {
        let mut profiles: Vec<_> = (0..ROWS)
            .map(|n| safety_item_profile(n, "front tyres worn".into()))
            .collect();
        profiles.push(safety_item_profile(ROWS, huge.to_owned()));
        let from = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let to = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        care_calendar(&profiles, from, to, &policy)
            .unwrap()
            .render()
    };
    let short = render("rear brake discs");
    // One megabyte in one cell, stored before free text was bounded.
    let huge = render(&"刹".repeat(1 << 20));
    assert_eq!(short.lines().count(), huge.lines().count());
    assert!(short.lines().count() > ROWS);
    // The huge cell costs one cut cell (at most 240 terminal cells of three
    // bytes), not a megabyte of padding on each of the 2,001 rows.
    assert!(
        huge.len() <= short.len() + 240 * 3,
        "{} bytes against {}",
        huge.len(),
        short.len()
    );
    assert!(huge.contains("刹…"));
}

#[test]
fn free_text_is_refused_past_the_bound_where_it_enters() {
    use aftersales::{CarePolicy, MAX_FREE_TEXT_CHARS, SeasonalCampaign};
    let campaign = |advice: String| CarePolicy {
        seasonal_campaigns: vec![SeasonalCampaign {
            name_en: "autumn check".into(),
            name_zh: "秋季检查".into(),
            month: 9,
            day: 1,
            advice,
        }],
        ..CarePolicy::default()
    };
    assert!(
        Policy::default()
            .with_care(campaign("检".repeat(MAX_FREE_TEXT_CHARS)))
            .is_ok()
    );
    let err = Policy::default()
        .with_care(campaign("检".repeat(MAX_FREE_TEXT_CHARS + 1)))
        .unwrap_err()
        .to_string();
    assert!(err.contains("must be at most 2000 characters"), "{err}");
    assert!(err.contains("CARE-05"), "{err}");
}

#[test]
fn a_command_refuses_free_text_past_the_bound() {
    use aftersales::{MAX_FREE_TEXT_CHARS, WorkOrderCommand, WorkOrderError};
    let (order, command) = support::before("Bay 3 confirmed");
    let WorkOrderCommand::ConfirmWorkshopBay {
        at, available_from, ..
    } = command
    else {
        panic!("the story confirms a bay here");
    };
    let bay = |chars: usize| WorkOrderCommand::ConfirmWorkshopBay {
        at,
        bay: "位".repeat(chars),
        available_from,
    };
    let policy = support::policy();
    assert!(order.decide(&bay(MAX_FREE_TEXT_CHARS), &policy).is_ok());
    let err = support::refuse(&order, bay(MAX_FREE_TEXT_CHARS + 1), &policy);
    match &err {
        WorkOrderError::InvalidInput { field, .. } => assert_eq!(*field, "bay"),
        other => panic!("expected invalid `bay`, got {other}"),
    }
    assert!(
        err.to_string().contains("must be at most 2000 characters"),
        "{err}"
    );
}

#[test]
fn a_complaint_refuses_a_description_past_the_bound() {
    use aftersales::{
        Channel, Complaint, ComplaintCommand, ComplaintError, ComplaintFact, ComplaintNo,
        ComplaintReceipt, CustomerId, CustomerStanding, Demand, Emotion, MAX_FREE_TEXT_CHARS,
        Nature, StaffId,
    };
    let receive = |chars: usize| ComplaintCommand::Receive {
        receipt: ComplaintReceipt {
            at: chrono::DateTime::parse_from_rfc3339("2026-05-04T09:00:00+08:00").unwrap(),
            customer: CustomerId::try_new("C-1001").unwrap(),
            channel: Channel::Phone,
            description: "账".repeat(chars),
            demands: vec![Demand::Compensation],
            remedy_amount: None,
            emotion: Emotion::Angry,
            facts: [ComplaintFact::FeeDispute].into(),
            nature: Nature::General,
            repeat_of: None,
            standing: CustomerStanding::Regular,
            owner: StaffId::try_new("CR-02").unwrap(),
            order: None,
        },
    };
    let complaint = Complaint::new(ComplaintNo::try_new("CMP-2026-0042").unwrap());
    let policy = Policy::default();
    let ok = complaint.decide(&receive(MAX_FREE_TEXT_CHARS), &policy);
    assert!(ok.is_ok(), "{ok:?}");
    let err = complaint
        .decide(&receive(MAX_FREE_TEXT_CHARS + 1), &policy)
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ComplaintError::InvalidInput {
                field: "receipt.description",
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("must be at most 2000 characters"),
        "{err}"
    );
}
