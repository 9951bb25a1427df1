//! CUS-06 through the public API: the weekly sample of 10 sales and 10
//! service files, reproducible from its seed and independent of the order
//! the files are listed in; the table-14 records and the check that every
//! sampled file has exactly one.

use std::collections::BTreeSet;

use aftersales::{
    ACard, Abnormality, AuditError, AuditRecord, AuditSample, AuditStatus, AuditWeek, BasicInfo,
    CardKind, CustomerFile, CustomerFileCommand, FileAuditPolicy, FileCategory, Policy, RuleId,
    SaleInfo, Shortfall, StaffId, VehicleInfo, Vin, Visit, VisitKind, WeeklyAudit,
};
use chrono::NaiveDate;
use proptest::prelude::*;

fn vin(n: u32) -> Vin {
    format!("LSVAA4180E2{n:06}").parse().unwrap()
}

fn week(text: &str) -> AuditWeek {
    text.parse().unwrap()
}

fn staff(id: &str) -> StaffId {
    id.parse().unwrap()
}

/// `sales` files on an A-card (VINs 1…) and `service` on a C-card (VINs
/// 100001…).
fn files(sales: u32, service: u32) -> Vec<(Vin, CardKind)> {
    (1..=sales)
        .map(|n| (vin(n), CardKind::A))
        .chain((1..=service).map(|n| (vin(100_000 + n), CardKind::C)))
        .collect()
}

fn vins(sample: &AuditSample) -> Vec<Vin> {
    sample.files.iter().map(|f| f.vin.clone()).collect()
}

// --- the policy -------------------------------------------------------------

#[test]
fn the_policy_asks_for_ten_and_ten_and_refuses_absurd_counts() {
    let policy = Policy::default();
    assert_eq!(
        policy.customer().file_audit,
        FileAuditPolicy {
            sales_files: 10,
            service_files: 10
        }
    );
    let too_many = FileAuditPolicy {
        sales_files: 10,
        service_files: 5_000,
    };
    let err = too_many.validate().unwrap_err();
    assert_eq!(err.rule, RuleId::Cus06);
    assert_eq!(err.field, "customer.file_audit.service_files");
    assert!(err.to_string().ends_with("(CUS-06)"), "{err}");
    // A workshop without sales may check service files only, not nothing.
    let service_only = FileAuditPolicy {
        sales_files: 0,
        service_files: 10,
    };
    assert_eq!(service_only.validate(), Ok(()));
    let nothing = r#"{ "customer": { "file_audit": { "sales_files": 0, "service_files": 0 } } }"#;
    let err = serde_json::from_str::<Policy>(nothing).unwrap_err();
    assert!(err.to_string().contains("CUS-06"), "{err}");
    let unknown = r#"{ "customer": { "file_audit": { "sales": 3 } } }"#;
    assert!(serde_json::from_str::<Policy>(unknown).is_err());
}

// --- the sample -------------------------------------------------------------

#[test]
fn the_sample_takes_ten_sales_and_ten_service_files() {
    let all = files(37, 52);
    let sample = AuditSample::draw(&all, week("2026-W10"), 42, &FileAuditPolicy::default());
    assert_eq!(sample.of_category(FileCategory::Sales).count(), 10);
    assert_eq!(sample.of_category(FileCategory::Service).count(), 10);
    assert!(sample.is_complete());
    // Sales rows first, then service rows.
    let categories: Vec<FileCategory> = sample.files.iter().map(|f| f.category).collect();
    let mut sorted = categories.clone();
    sorted.sort();
    assert_eq!(categories, sorted);
    // Every pick is a listed file of the right card.
    for f in &sample.files {
        let kind = all.iter().find(|(v, _)| v == &f.vin).unwrap().1;
        assert_eq!(FileCategory::of(kind), f.category);
        assert_eq!(f.reference, None);
    }
    assert_eq!(sample.sequence_of(&sample.files[0].vin), Some(1));
    assert_eq!(sample.sequence_of(&sample.files[19].vin), Some(20));
    assert_eq!(sample.sequence_of(&vin(999_999)), None);
}

#[test]
fn the_same_seed_gives_the_same_sample_in_any_input_order() {
    let all = files(40, 40);
    let policy = FileAuditPolicy::default();
    let w = week("2026-W11");
    let first = AuditSample::draw(&all, w, 7, &policy);
    assert_eq!(AuditSample::draw(&all, w, 7, &policy), first);

    let reversed: Vec<_> = all.iter().rev().cloned().collect();
    assert_eq!(AuditSample::draw(&reversed, w, 7, &policy), first);

    let mut rotated = all.clone();
    rotated.rotate_left(33);
    assert_eq!(AuditSample::draw(&rotated, w, 7, &policy), first);

    // Even and odd positions apart: a thorough reshuffle.
    let interleaved: Vec<_> = all
        .iter()
        .step_by(2)
        .chain(all.iter().skip(1).step_by(2))
        .cloned()
        .collect();
    assert_eq!(AuditSample::draw(&interleaved, w, 7, &policy), first);

    // Borrowed VINs draw the same as owned ones.
    let borrowed: Vec<(&Vin, CardKind)> = all.iter().map(|(v, k)| (v, *k)).collect();
    assert_eq!(AuditSample::draw(&borrowed, w, 7, &policy), first);
}

#[test]
fn no_file_is_picked_twice_even_when_listed_twice() {
    let mut all = files(12, 12);
    all.extend(files(12, 12)); // every file listed twice
    let sample = AuditSample::draw(&all, week("2026-W12"), 1, &FileAuditPolicy::default());
    let distinct: BTreeSet<Vin> = vins(&sample).into_iter().collect();
    assert_eq!(distinct.len(), sample.files.len());
    assert_eq!(sample.files.len(), 20);
    assert_eq!(
        sample,
        AuditSample::draw(
            files(12, 12),
            week("2026-W12"),
            1,
            &FileAuditPolicy::default()
        )
    );
}

#[test]
fn a_vin_listed_on_both_cards_is_one_service_file() {
    let v = vin(5);
    let policy = FileAuditPolicy::default();
    let both = [(v.clone(), CardKind::A), (v.clone(), CardKind::C)];
    let sample = AuditSample::draw(&both, week("2026-W12"), 3, &policy);
    assert_eq!(sample.files.len(), 1);
    assert_eq!(sample.files[0].category, FileCategory::Service);
    let swapped = [(v.clone(), CardKind::C), (v, CardKind::A)];
    assert_eq!(
        AuditSample::draw(&swapped, week("2026-W12"), 3, &policy),
        sample
    );
}

#[test]
fn fewer_files_than_asked_are_all_taken_and_reported() {
    let all = files(3, 25);
    let sample = AuditSample::draw(&all, week("2026-W10"), 9, &FileAuditPolicy::default());
    assert_eq!(sample.of_category(FileCategory::Sales).count(), 3);
    assert_eq!(sample.of_category(FileCategory::Service).count(), 10);
    assert!(!sample.is_complete());
    assert_eq!(
        sample.shortfalls,
        vec![Shortfall {
            category: FileCategory::Sales,
            asked: 10,
            available: 3
        }]
    );
    // Exactly as many as asked is no shortfall.
    let exact = AuditSample::draw(
        files(10, 10),
        week("2026-W10"),
        9,
        &FileAuditPolicy::default(),
    );
    assert!(exact.is_complete());
    // No files at all: an empty sample with both shortfalls.
    let none = AuditSample::draw(
        Vec::<(Vin, CardKind)>::new(),
        week("2026-W10"),
        9,
        &FileAuditPolicy::default(),
    );
    assert!(none.files.is_empty());
    assert_eq!(none.shortfalls.len(), 2);
    // A category the policy does not ask for is no shortfall.
    let service_only = FileAuditPolicy {
        sales_files: 0,
        service_files: 10,
    };
    let s = AuditSample::draw(files(0, 30), week("2026-W10"), 9, &service_only);
    assert!(s.is_complete());
    assert_eq!(s.files.len(), 10);
}

#[test]
fn other_weeks_and_other_seeds_give_other_samples() {
    let all = files(100, 100);
    let policy = FileAuditPolicy::default();
    let mut w = week("2026-W50");
    let mut by_week = Vec::new();
    for _ in 0..6 {
        by_week.push(vins(&AuditSample::draw(&all, w, 42, &policy)));
        w = w.succ().unwrap(); // crosses into 2027 at W53
    }
    let distinct: BTreeSet<_> = by_week.iter().collect();
    assert_eq!(distinct.len(), by_week.len(), "every week differs");
    // Over six weeks far more than twenty files get checked.
    let checked: BTreeSet<&Vin> = by_week.iter().flatten().collect();
    assert!(checked.len() > 60, "{} files checked", checked.len());

    let by_seed: BTreeSet<Vec<Vin>> = (0..6)
        .map(|seed| vins(&AuditSample::draw(&all, week("2026-W10"), seed, &policy)))
        .collect();
    assert_eq!(by_seed.len(), 6, "every seed differs");
}

#[test]
fn the_sample_from_files_carries_the_filing_numbers() {
    let policy = Policy::default();
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let a_card = |n: u32, contract: Option<&str>| ACard {
        customer: format!("C-{n:04}").parse().unwrap(),
        basic: BasicInfo::new("王先生".parse().unwrap()),
        contact: Default::default(),
        vehicle: VehicleInfo::new(vin(n)),
        insurance: Default::default(),
        personal: Default::default(),
        sale: SaleInfo {
            contract_no: contract.map(|c| c.parse().unwrap()),
            ..SaleInfo::default()
        },
        remarks: None,
    };
    let open = |card: ACard| {
        let mut f = CustomerFile::new();
        f.execute(
            CustomerFileCommand::OpenSalesFile { on: d(1, 5), card },
            &policy,
        )
        .unwrap();
        f
    };
    let sales = open(a_card(1, Some("HT-2026-001")));
    let mut moved = open(a_card(2, Some("HT-2026-002")));
    let mut visit = Visit::new(d(2, 1), VisitKind::FirstMaintenance);
    visit.order = Some("WO-2026-0117".parse().unwrap());
    moved
        .execute(
            CustomerFileCommand::RecordVisit {
                visit,
                advisor: None,
            },
            &policy,
        )
        .unwrap();
    let mut repaired = open(a_card(3, Some("HT-2026-003")));
    repaired
        .execute(
            CustomerFileCommand::RecordVisit {
                visit: Visit::new(d(2, 2), VisitKind::Maintenance), // no order
                advisor: None,
            },
            &policy,
        )
        .unwrap();
    let bare = open(a_card(4, None));
    let unopened = CustomerFile::new();

    let all = [sales, moved, repaired, bare, unopened];
    let sample = AuditSample::from_files(&all, week("2026-W10"), 5, &policy.customer().file_audit);
    assert_eq!(sample.files.len(), 4, "the unopened file is left out");
    let reference = |n: u32| {
        let f = sample.files.iter().find(|f| f.vin == vin(n)).unwrap();
        (f.category, f.reference.as_ref().map(|r| r.to_string()))
    };
    assert_eq!(
        reference(1),
        (FileCategory::Sales, Some("HT-2026-001".into()))
    );
    assert_eq!(
        reference(2),
        (FileCategory::Service, Some("WO-2026-0117".into()))
    );
    assert_eq!(
        reference(3),
        (FileCategory::Service, Some("HT-2026-003".into()))
    );
    assert_eq!(reference(4), (FileCategory::Sales, None));
    // The same files by key give the same picks.
    let keys: Vec<(Vin, CardKind)> = all
        .iter()
        .filter_map(|f| f.card().map(|c| (c.vin().clone(), c.kind())))
        .collect();
    let by_key = AuditSample::draw(&keys, week("2026-W10"), 5, &policy.customer().file_audit);
    assert_eq!(vins(&by_key), vins(&sample));
}

// --- the records ------------------------------------------------------------

fn small_sample() -> AuditSample {
    let policy = FileAuditPolicy {
        sales_files: 2,
        service_files: 2,
    };
    AuditSample::draw(files(5, 5), week("2026-W10"), 11, &policy)
}

#[test]
fn an_abnormal_check_needs_a_description_and_a_measure() {
    let sample = small_sample();
    let f = &sample.files[0];
    let err = AuditRecord::abnormal(f, "   ", staff("SC-07"), "补档").unwrap_err();
    assert_eq!(err, AuditError::MissingDescription);
    assert_eq!(
        err.to_string(),
        "an abnormal check needs a description of what is wrong (CUS-06)"
    );
    let err = AuditRecord::abnormal(f, "合同缺失", staff("SC-07"), "").unwrap_err();
    assert_eq!(err, AuditError::MissingMeasure);
    assert!(err.to_string().ends_with("(CUS-06)"));
    let long = "长".repeat(501);
    assert!(matches!(
        Abnormality::try_new(&long, staff("SC-07"), "补档"),
        Err(AuditError::TextTooLong {
            field: "description",
            chars: 501
        })
    ));
    // Nor can storage smuggle one in.
    let json =
        r#"{ "status": "abnormal", "description": "", "responsible": "SC-07", "measure": "x" }"#;
    assert!(serde_json::from_str::<aftersales::AuditOutcome>(json).is_err());
    let json = r#"{ "status": "abnormal", "description": "合同缺失", "measure": "x" }"#;
    assert!(serde_json::from_str::<aftersales::AuditOutcome>(json).is_err());

    let ok = AuditRecord::abnormal(f, " 合同缺失 ", staff("SC-07"), "补档").unwrap();
    assert_eq!(ok.status(), AuditStatus::Abnormal);
    assert_eq!(AuditRecord::normal(f).status(), AuditStatus::Normal);
}

#[test]
fn each_sampled_file_gets_exactly_one_record() {
    let sample = small_sample();
    let files = sample.files.clone();
    let mut audit = WeeklyAudit::new(sample);
    assert_eq!(audit.missing().len(), 4);
    assert_eq!(audit.problems().len(), 4);
    let err = audit.check().unwrap_err();
    assert!(matches!(err, AuditError::Missing { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "sales file {} is in the sample of 2026-W10 but has no record (CUS-06)",
            files[0].vin
        )
    );

    // Recorded out of order, kept in row order.
    assert_eq!(audit.record(AuditRecord::normal(&files[3])).unwrap(), 4);
    assert_eq!(audit.record(AuditRecord::normal(&files[0])).unwrap(), 1);
    let rows: Vec<&Vin> = audit.records().iter().map(|r| &r.vin).collect();
    assert_eq!(rows, vec![&files[0].vin, &files[3].vin]);

    // A second record of the same file.
    let again = AuditRecord::abnormal(&files[0], "x", staff("SC-07"), "y").unwrap();
    let err = audit.record(again).unwrap_err();
    assert_eq!(
        err,
        AuditError::Duplicate {
            vin: files[0].vin.clone()
        }
    );
    assert!(err.to_string().ends_with("(CUS-06)"));

    // A file outside the sample.
    let mut stranger = AuditRecord::normal(&files[1]);
    stranger.vin = vin(777_777);
    assert!(matches!(
        audit.record(stranger),
        Err(AuditError::NotSampled { .. })
    ));

    // The wrong category.
    let mut wrong = AuditRecord::normal(&files[1]);
    wrong.category = FileCategory::Service;
    let err = audit.record(wrong).unwrap_err();
    assert_eq!(
        err,
        AuditError::WrongCategory {
            vin: files[1].vin.clone(),
            sampled: FileCategory::Sales,
            recorded: FileCategory::Service
        }
    );
    assert_eq!(audit.records().len(), 2, "refused records leave no trace");

    let missing: Vec<&Vin> = audit.missing().iter().map(|f| &f.vin).collect();
    assert_eq!(missing, vec![&files[1].vin, &files[2].vin]);

    audit.record(AuditRecord::normal(&files[1])).unwrap();
    audit
        .record(AuditRecord::abnormal(&files[2], "工单未签字", staff("SA-02"), "补签").unwrap())
        .unwrap();
    assert_eq!(audit.check(), Ok(()));
    assert!(audit.problems().is_empty());
    assert_eq!(audit.count(AuditStatus::Normal), 3);
    assert_eq!(audit.count(AuditStatus::Abnormal), 1);
    assert_eq!(
        audit.record_of(&files[2].vin).unwrap().status(),
        AuditStatus::Abnormal
    );
}

#[test]
fn with_records_checks_each_record() {
    let sample = small_sample();
    let f = sample.files.clone();
    let all = f.iter().map(AuditRecord::normal);
    let audit = WeeklyAudit::with_records(sample.clone(), all).unwrap();
    assert_eq!(audit.check(), Ok(()));
    assert_eq!(audit.week(), week("2026-W10"));
    let twice = [AuditRecord::normal(&f[0]), AuditRecord::normal(&f[0])];
    assert!(matches!(
        WeeklyAudit::with_records(sample, twice),
        Err(AuditError::Duplicate { .. })
    ));
}

#[test]
fn an_audit_loaded_from_storage_reports_extra_and_repeated_records() {
    let sample = small_sample();
    let f = sample.files.clone();
    let audit = WeeklyAudit::with_records(sample, f.iter().map(AuditRecord::normal)).unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&audit).unwrap();
    // Repeat the first record and add one for a file not sampled.
    let records = json["records"].as_array_mut().unwrap();
    let first = records[0].clone();
    let mut extra = first.clone();
    extra["vin"] = serde_json::Value::String(vin(888_888).to_string());
    records.push(first);
    records.push(extra);
    let loaded: WeeklyAudit = serde_json::from_value(json).unwrap();
    let problems = loaded.problems();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(problems[0], AuditError::Duplicate { .. }));
    assert!(matches!(problems[1], AuditError::NotSampled { .. }));
    assert!(loaded.check().is_err());
}

#[test]
fn audits_round_trip_through_json() {
    let sample = small_sample();
    let f = sample.files.clone();
    let mut audit = WeeklyAudit::new(sample);
    audit.record(AuditRecord::normal(&f[0])).unwrap();
    audit
        .record(AuditRecord::abnormal(&f[2], "地址不一致", staff("SA-02"), "核对更新").unwrap())
        .unwrap();
    let json = serde_json::to_string(&audit).unwrap();
    assert!(json.contains(r#""week":"2026-W10""#), "{json}");
    assert!(json.contains(r#""status":"abnormal""#), "{json}");
    let back: WeeklyAudit = serde_json::from_str(&json).unwrap();
    assert_eq!(back, audit);
    assert!(serde_json::from_str::<AuditWeek>(r#""2026-W60""#).is_err());
}

#[test]
fn weeks_are_iso_weeks() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    // 2026-01-01 is a Thursday: it belongs to 2026-W01, which starts on
    // Monday 2025-12-29.
    let w = AuditWeek::containing(d(2026, 1, 1));
    assert_eq!(w.to_string(), "2026-W01");
    assert_eq!(w.first_day(), Some(d(2025, 12, 29)));
    assert_eq!(w.last_day(), Some(d(2026, 1, 4)));
    assert_eq!(AuditWeek::containing(d(2025, 12, 29)), w);
    assert_eq!(
        AuditWeek::try_new(2026, 53).unwrap().to_string(),
        "2026-W53"
    );
    let err = AuditWeek::try_new(2025, 53).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`2025-W53` is not an ISO week such as 2026-W10 (CUS-06)"
    );
    for bad in [
        "", "2026", "2026-10", "2026-W", "2026-Wx", "x-W10", "2026-W0",
    ] {
        assert!(bad.parse::<AuditWeek>().is_err(), "{bad}");
    }
    assert_eq!(
        AuditWeek::from(chrono::Datelike::iso_week(&d(2026, 3, 5))),
        week("2026-W10")
    );
}

// --- the table --------------------------------------------------------------

#[test]
fn audit_table() {
    // Two sales files exist where three are asked; four service files of
    // many. One row is left unchecked.
    let policy = FileAuditPolicy {
        sales_files: 3,
        service_files: 4,
    };
    let all = files(2, 9);
    let mut sample = AuditSample::draw(&all, week("2026-W10"), 2026, &policy);
    let refs = [
        "HT-2026-0031",
        "HT-2026-0047",
        "WO-2026-0112",
        "WO-2026-0118",
    ];
    for (f, r) in sample.files.iter_mut().zip(refs) {
        f.reference = Some(r.parse().unwrap());
    }
    let f = sample.files.clone();
    let mut audit = WeeklyAudit::new(sample);
    audit.record(AuditRecord::normal(&f[0])).unwrap();
    audit
        .record(
            AuditRecord::abnormal(
                &f[1],
                "电子档案缺发票号",
                staff("SC-07"),
                "本周内补录发票号",
            )
            .unwrap(),
        )
        .unwrap();
    audit.record(AuditRecord::normal(&f[2])).unwrap();
    audit
        .record(
            AuditRecord::abnormal(&f[3], "纸质档案缺结算单", staff("SA-02"), "交车后3天内移交")
                .unwrap(),
        )
        .unwrap();
    audit.record(AuditRecord::normal(&f[5])).unwrap();
    assert_eq!(audit.missing().len(), 1);
    insta::assert_snapshot!("audit_table", audit.render());
}

// --- properties -------------------------------------------------------------

fn file_keys() -> impl Strategy<Value = Vec<(Vin, CardKind)>> {
    prop::collection::vec((0u32..400, any::<bool>()), 0..60).prop_map(|v| {
        v.into_iter()
            .map(|(n, a)| (vin(n), if a { CardKind::A } else { CardKind::C }))
            .collect()
    })
}

proptest! {
    #![proptest_config(crate::support::cases(128))]

    #[test]
    fn samples_never_repeat_a_file_and_respect_the_counts(
        keys in file_keys(),
        seed in any::<u64>(),
        week_no in 1u32..=52,
        sales in 0u32..15,
        service in 0u32..15,
    ) {
        let policy = FileAuditPolicy { sales_files: sales, service_files: service };
        let w = AuditWeek::try_new(2026, week_no).unwrap();
        let sample = AuditSample::draw(&keys, w, seed, &policy);
        let picked: BTreeSet<&Vin> = sample.files.iter().map(|f| &f.vin).collect();
        prop_assert_eq!(picked.len(), sample.files.len());
        // Each category: as many as asked, or all there are.
        let distinct: BTreeSet<&Vin> = keys.iter().map(|(v, _)| v).collect();
        let service_vins: BTreeSet<&Vin> = keys
            .iter()
            .filter(|(_, k)| *k == CardKind::C)
            .map(|(v, _)| v)
            .collect();
        let available_service = service_vins.len();
        let available_sales = distinct.len() - available_service;
        for (category, asked, available) in [
            (FileCategory::Sales, sales, available_sales),
            (FileCategory::Service, service, available_service),
        ] {
            let got = sample.of_category(category).count();
            prop_assert_eq!(got, (asked as usize).min(available));
            let short = sample.shortfalls.iter().find(|s| s.category == category);
            prop_assert_eq!(short.is_some(), available < asked as usize);
        }
        for f in &sample.files {
            prop_assert!(distinct.contains(&f.vin));
            prop_assert_eq!(f.category == FileCategory::Service, service_vins.contains(&f.vin));
        }
    }

    #[test]
    fn samples_do_not_depend_on_the_input_order(
        (keys, shuffled) in file_keys().prop_flat_map(|k| (Just(k.clone()), Just(k).prop_shuffle())),
        seed in any::<u64>(),
    ) {
        let policy = FileAuditPolicy { sales_files: 5, service_files: 5 };
        let w = week("2026-W20");
        prop_assert_eq!(
            AuditSample::draw(&keys, w, seed, &policy),
            AuditSample::draw(&shuffled, w, seed, &policy)
        );
    }
}
