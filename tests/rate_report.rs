//! The satisfaction-rate reports of tables 7 and 8 (SAT-02 … SAT-04,
//! SAT-07 in the rows, SAT-09 flags): hand-computed reports, merging,
//! storage, and the properties of the counts.

use aftersales::{
    Band, Counts, FollowUpResult, Policy, RateColumn, RateRecord, RateReport, RateRow, RateSheet,
    RateTable, Recommendation, ReportError, RowLabel, RuleId, SalesScoreBasis, SatisfactionPolicy,
    Score, ScoreBands, ScoreSource, UnsuccessfulKind,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn reached(score: u8) -> FollowUpResult {
    FollowUpResult::Reached {
        score: Score::try_new(score).unwrap(),
        recommendation: None,
        source: Some(ScoreSource::PhoneQuestionnaire),
    }
}

fn by_sms(score: u8) -> FollowUpResult {
    FollowUpResult::Reached {
        score: Score::try_new(score).unwrap(),
        recommendation: None,
        source: Some(ScoreSource::SmsReply),
    }
}

fn recommended(score: u8, recommendation: u8) -> FollowUpResult {
    FollowUpResult::Reached {
        score: Score::try_new(score).unwrap(),
        recommendation: Some(Recommendation::try_new(recommendation).unwrap()),
        source: Some(ScoreSource::PhoneQuestionnaire),
    }
}

fn failed(kind: UnsuccessfulKind) -> FollowUpResult {
    FollowUpResult::Unsuccessful { kind }
}

fn rec(d: u32, staff: &str, team: Option<&str>, result: FollowUpResult) -> RateRecord {
    RateRecord {
        date: day(d),
        staff: staff.parse().unwrap(),
        team: team.map(|t| t.parse().unwrap()),
        result,
    }
}

/// Twelve vehicles of November, three advisors:
/// - SA-A (repair-1): overall scores 5, 6 (by SMS), 7, 8 (each band
///   boundary), one refusal, one not called;
/// - SA-B (body-1): 10 and 9 with recommendations 10 and 6, one no answer;
/// - SA-C (no team): no successful call at all: unreachable, other, not
///   called.
fn november() -> Vec<RateRecord> {
    use UnsuccessfulKind::*;
    vec![
        rec(3, "SA-A", Some("repair-1"), reached(5)),
        rec(3, "SA-A", Some("repair-1"), by_sms(6)),
        rec(4, "SA-A", Some("repair-1"), reached(7)),
        rec(4, "SA-A", Some("repair-1"), reached(8)),
        rec(5, "SA-A", Some("repair-1"), failed(Refused)),
        rec(5, "SA-A", Some("repair-1"), FollowUpResult::NoResult),
        rec(10, "SA-B", Some("body-1"), recommended(10, 10)),
        rec(10, "SA-B", Some("body-1"), recommended(9, 6)),
        rec(11, "SA-B", Some("body-1"), failed(NoAnswer)),
        rec(20, "SA-C", None, failed(Unreachable)),
        rec(21, "SA-C", None, failed(Other)),
        rec(30, "SA-C", None, FollowUpResult::NoResult),
    ]
}

fn november_report() -> RateReport {
    RateReport::from_records(RateTable::Service, day(1), day(30), november()).unwrap()
}

fn pct(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

fn row<'a>(sheet: &'a RateSheet, label: &RowLabel) -> &'a RateRow {
    sheet
        .staff
        .iter()
        .chain(&sheet.teams)
        .chain(std::iter::once(&sheet.totals))
        .find(|r| &r.label == label)
        .unwrap()
}

fn staff(id: &str) -> RowLabel {
    RowLabel::Staff(id.parse().unwrap())
}

#[test]
fn hand_computed_service_report() {
    let policy = Policy::default();
    let sheet = november_report().sheet(policy.satisfaction());

    // SA-A: 6 vehicles, 4 reached, 1 refused; 5 → dissatisfied, 6 and 7
    // → basic, 8 → fully.
    let a = row(&sheet, &staff("SA-A"));
    assert_eq!((a.vehicles, a.successful, a.unsuccessful), (6, 4, 1));
    assert_eq!(
        (a.refused, a.unreachable, a.no_answer, a.other),
        (1, 0, 0, 0)
    );
    assert_eq!((a.fully, a.basic, a.dissatisfied), (1, 2, 1));
    assert_eq!(a.success_rate.percent, pct("66.67")); // 4 / 6
    assert_eq!(a.unsuccessful_rate.percent, pct("16.67")); // 1 / 6
    assert_eq!(a.fully_rate.percent, pct("25.00"));
    assert_eq!(a.basic_rate.percent, pct("50.00"));
    assert_eq!(a.dissatisfied_rate.percent, pct("25.00"));
    assert_eq!((a.recommendations, a.nps), (0, None));
    assert_eq!((a.by_phone, a.by_sms), (3, 1));

    // SA-B: both reached are fully satisfied; one promoter, one detractor.
    let b = row(&sheet, &staff("SA-B"));
    assert_eq!((b.vehicles, b.successful, b.no_answer), (3, 2, 1));
    assert_eq!(b.fully_rate.percent, pct("100.00"));
    assert_eq!(b.dissatisfied_rate.percent, pct("0.00"));
    assert_eq!((b.recommendations, b.nps), (2, pct("0.00")));

    // SA-C: nobody reached, so every band rate is not available.
    let c = row(&sheet, &staff("SA-C"));
    assert_eq!((c.vehicles, c.successful, c.unsuccessful), (3, 0, 2));
    assert_eq!(c.success_rate.percent, pct("0.00"));
    assert_eq!(c.unsuccessful_rate.percent, pct("66.67"));
    for rate in [c.fully_rate, c.basic_rate, c.dissatisfied_rate] {
        assert_eq!(
            (rate.numerator, rate.denominator, rate.percent),
            (0, 0, None)
        );
        assert_eq!(rate.to_string(), "n/a");
    }

    // Teams: repair-1 is SA-A's vehicles, body-1 SA-B's, and SA-C's three
    // have no team.
    let labels: Vec<&RowLabel> = sheet.teams.iter().map(|r| &r.label).collect();
    assert_eq!(
        labels,
        [
            &RowLabel::Team("body-1".parse().unwrap()),
            &RowLabel::Team("repair-1".parse().unwrap()),
            &RowLabel::NoTeam
        ]
    );
    let repair = row(&sheet, &RowLabel::Team("repair-1".parse().unwrap()));
    assert_eq!(
        (
            repair.vehicles,
            repair.successful,
            repair.fully_rate.percent
        ),
        (6, 4, pct("25.00"))
    );

    // Totals (SAT-04): 12 vehicles, 6 reached, 4 unsuccessful, one per
    // column; 3 fully (8, 9, 10), 2 basic, 1 dissatisfied.
    let t = &sheet.totals;
    assert_eq!(t.label, RowLabel::Totals);
    assert_eq!((t.vehicles, t.successful, t.unsuccessful), (12, 6, 4));
    assert_eq!(
        (t.refused, t.unreachable, t.no_answer, t.other),
        (1, 1, 1, 1)
    );
    assert_eq!(t.success_rate.percent, pct("50.00"));
    assert_eq!(t.unsuccessful_rate.percent, pct("33.33"));
    assert_eq!((t.fully, t.basic, t.dissatisfied), (3, 2, 1));
    assert_eq!(t.fully_rate.percent, pct("50.00"));
    assert_eq!(t.basic_rate.percent, pct("33.33"));
    assert_eq!(t.dissatisfied_rate.percent, pct("16.67"));
    assert!(sheet.workload_flags.is_empty());

    insta::assert_snapshot!("service_table", sheet.render());
}

#[test]
fn band_limits_come_from_the_policy() {
    // With fully satisfied from 9 and basic from 7, SA-A's 8 is basic and
    // its 6 dissatisfied.
    let satisfaction = SatisfactionPolicy {
        bands: ScoreBands {
            fully_from: Score::try_new(9).unwrap(),
            basic_from: Score::try_new(7).unwrap(),
        },
        rate_decimals: 1,
        ..SatisfactionPolicy::default()
    };
    let policy = Policy::default().with_satisfaction(satisfaction).unwrap();
    let sheet = november_report().sheet(policy.satisfaction());
    let a = row(&sheet, &staff("SA-A"));
    assert_eq!((a.fully, a.basic, a.dissatisfied), (0, 2, 2));
    assert_eq!(a.success_rate.percent, pct("66.7"));
    let text = sheet.render();
    assert!(text.contains("完全满意数量(9-10)"), "{text}");
    assert!(text.contains("基本满意数量(7-8)"), "{text}");
    assert!(text.contains("不满意数量(1-6)"), "{text}");
    assert!(text.contains("Fully (9-10)"), "{text}");
    assert!(text.contains("to 1 decimal place"), "{text}");
}

#[test]
fn hand_computed_sales_report_and_json() {
    use UnsuccessfulKind::*;
    let records = [
        rec(2, "SC-1", None, recommended(8, 9)),
        rec(2, "SC-1", None, recommended(4, 3)),
        rec(9, "SC-1", None, recommended(7, 7)),
        rec(15, "SC-2", None, failed(Refused)),
        rec(16, "SC-2", None, failed(Refused)),
    ];
    let report =
        RateReport::from_records(RateTable::Sales, day(1), day(30), records.iter()).unwrap();
    let sheet = report.sheet(Policy::default().satisfaction());
    assert!(sheet.teams.is_empty());
    let sc1 = row(&sheet, &staff("SC-1"));
    // One promoter (9), one passive (7), one detractor (3): NPS 0.
    assert_eq!((sc1.recommendations, sc1.nps), (3, pct("0.00")));
    assert_eq!(sc1.dissatisfied_rate.percent, pct("33.33"));
    let sc2 = row(&sheet, &staff("SC-2"));
    assert_eq!(
        (sc2.refused, sc2.unsuccessful_rate.percent),
        (2, pct("100.00"))
    );
    assert_eq!(sc2.fully_rate.percent, None);

    insta::assert_snapshot!("sales_table", sheet.render());
    let json = serde_json::to_string_pretty(&sheet.totals).unwrap();
    insta::assert_snapshot!("sales_totals_json", json);
    let back: RateSheet = serde_json::from_str(&serde_json::to_string(&sheet).unwrap()).unwrap();
    assert_eq!(back, sheet);
}

#[test]
fn records_outside_the_period_are_reported_not_counted() {
    let mut records = november();
    records.push(rec(1, "SA-A", None, reached(9)));
    records.push(RateRecord {
        date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        ..rec(1, "SA-A", None, reached(9))
    });
    records.push(RateRecord {
        date: NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        ..rec(1, "SA-A", None, reached(9))
    });
    let report = RateReport::from_records(RateTable::Service, day(1), day(30), &records).unwrap();
    assert_eq!(report.outside_period(), 2);
    assert_eq!(report.totals().vehicles, 13, "1 November is inside");
    let text = report.render(Policy::default().satisfaction());
    assert!(
        text.contains("Records outside the period, not counted: 2"),
        "{text}"
    );
}

#[test]
fn a_sales_record_with_a_team_is_an_error() {
    let mut report = RateReport::new(RateTable::Sales, day(1), day(30)).unwrap();
    let before = report.clone();
    let err = report
        .add(&rec(3, "SC-1", Some("repair-1"), reached(9)))
        .unwrap_err();
    assert_eq!(err.rule(), RuleId::Sat02);
    assert_eq!(
        err.to_string(),
        "sales record of `SC-1` on 2026-11-03 names repair team `repair-1`; \
         table 7 has no teams (SAT-02)"
    );
    assert_eq!(report, before);
}

#[test]
fn workload_flags_above_twelve_a_day() {
    let mut records = Vec::new();
    for _ in 0..13 {
        records.push(rec(9, "SA-A", Some("repair-1"), FollowUpResult::NoResult));
    }
    for _ in 0..12 {
        records.push(rec(10, "SA-A", Some("repair-1"), FollowUpResult::NoResult));
        records.push(rec(9, "SA-B", Some("repair-1"), FollowUpResult::NoResult));
    }
    let report = RateReport::from_records(RateTable::Service, day(1), day(30), &records).unwrap();
    let policy = Policy::default();
    let flags = report.workload_flags(&policy.satisfaction().workload);
    assert_eq!(flags.len(), 1, "12 is at the limit, 13 is above: {flags:?}");
    assert_eq!(flags[0].date, day(9));
    assert_eq!(flags[0].staff.as_str(), "SA-A");
    assert_eq!((flags[0].received, flags[0].limit), (13, 12));
    assert_eq!(flags[0].rule(), RuleId::Sat09);
    assert_eq!(
        flags[0].to_string(),
        "SA-A received 13 vehicles on 2026-11-09, above 12 (SAT-09)"
    );
    assert_eq!(report.received_on(&"SA-B".parse().unwrap(), day(9)), 12);

    // A sales report never flags: consultants deliver, they do not receive.
    let sales: Vec<RateRecord> = (0..20)
        .map(|_| rec(9, "SC-1", None, FollowUpResult::NoResult))
        .collect();
    let sales = RateReport::from_records(RateTable::Sales, day(1), day(30), &sales).unwrap();
    assert!(
        sales
            .workload_flags(&policy.satisfaction().workload)
            .is_empty()
    );
}

#[test]
fn merging_checks_table_and_period() {
    let whole = november_report();
    let all = november();
    let (first, second) = all.split_at(5);
    let mut nov_1_15 =
        RateReport::from_records(RateTable::Service, day(1), day(15), first).unwrap();
    let nov_16_30 = RateReport::from_records(
        RateTable::Service,
        day(16),
        day(30),
        second.iter().filter(|r| r.date >= day(16)),
    )
    .unwrap();
    let early_rest = RateReport::from_records(
        RateTable::Service,
        day(1),
        day(15),
        second.iter().filter(|r| r.date < day(16)),
    )
    .unwrap();
    nov_1_15.merge(&early_rest).unwrap();
    nov_1_15.merge(&nov_16_30).unwrap();
    assert_eq!(nov_1_15, whole);

    let sales = RateReport::new(RateTable::Sales, day(1), day(30)).unwrap();
    let mut service = whole.clone();
    let err = service.merge(&sales).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot merge a table 8 report with a table 7 report (SAT-04)"
    );
    assert_eq!(service, whole, "a failed merge changes nothing");

    let december = RateReport::new(
        RateTable::Service,
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    )
    .unwrap();
    let err = service.merge(&december).unwrap_err();
    assert!(matches!(err, ReportError::PeriodGap { .. }), "{err}");
    assert_eq!(err.rule(), RuleId::Sat04);
    let december = RateReport::new(
        RateTable::Service,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    )
    .unwrap();
    service.merge(&december).unwrap();
    assert_eq!(service.to(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    assert_eq!(service.totals(), whole.totals());
}

#[test]
fn a_stored_report_round_trips_and_is_checked() {
    let report = november_report();
    let json = serde_json::to_string(&report).unwrap();
    let back: RateReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert!(json.contains(r#""received_per_day":{"2026-11-03":2,"2026-11-04":2,"2026-11-05":2}"#));

    // Vehicles taken off the totals: the rows no longer add up.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["totals"]["vehicles"] = 11.into();
    let err = serde_json::from_value::<RateReport>(value).unwrap_err();
    assert!(err.to_string().contains("inconsistent"), "{err}");

    // More results than vehicles in a row.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    value["no_team"]["unsuccessful"][0] = 40.into();
    let err = serde_json::from_value::<RateReport>(value).unwrap_err();
    assert!(
        err.to_string().contains("follow-ups with a result"),
        "{err}"
    );

    // A day outside the period.
    let bad = json.replace("2026-11-03", "2026-12-03");
    let err = serde_json::from_str::<RateReport>(&bad).unwrap_err();
    assert!(err.to_string().contains("outside the period"), "{err}");
}

// --- 表7, 表8: the paper form's columns first, then the additions --------

#[test]
fn the_paper_forms_columns_come_first_in_their_order() {
    let zh = |cols: &[RateColumn]| cols.iter().map(|c| c.label_zh()).collect::<Vec<_>>();
    // 表7 of [002]: no "other" column.
    assert_eq!(
        zh(RateTable::Sales.paper_columns()),
        [
            "服务顾问/维修班组/销售顾问",
            "接车台次/新车交付量",
            "回访成功数",
            "回访未成功数",
            "拒访",
            "无法接通",
            "回访成功率",
            "回访未成功率",
            "完全满意数量",
            "基本满意数量",
            "不满意数量",
            "完全满意率",
            "基本满意率",
            "不满意率",
        ]
    );
    // 表8: "other" after "unreachable".
    let paper_8 = RateTable::Service.paper_columns();
    assert_eq!(paper_8.len(), 15);
    assert_eq!(
        zh(&paper_8[4..8]),
        ["拒访", "无法接通", "其他", "回访成功率"]
    );
    assert_eq!(
        zh(RateTable::Sales.added_columns()),
        ["无人接听", "其他", "电话问卷", "短信回复", "NPS"]
    );
    assert_eq!(
        zh(RateTable::Service.added_columns()),
        ["无人接听", "电话问卷", "短信回复", "NPS"]
    );
    // Every column once per table.
    for table in RateTable::ALL {
        let mut all: Vec<RateColumn> = table
            .paper_columns()
            .iter()
            .chain(table.added_columns())
            .copied()
            .collect();
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), n, "{table}");
    }
}

#[test]
fn headings_name_the_table_and_the_bands_as_the_policy_states_them() {
    let bands = ScoreBands::default();
    let h = |c: RateColumn, t| c.heading(t, &bands);
    let pair = |zh: &str, en: &str| (zh.to_owned(), en.to_owned());
    assert_eq!(
        h(RateColumn::Who, RateTable::Sales),
        pair("销售顾问", "Consultant")
    );
    assert_eq!(
        h(RateColumn::Who, RateTable::Service),
        pair("服务顾问/维修班组", "Advisor/team")
    );
    assert_eq!(
        h(RateColumn::Vehicles, RateTable::Sales),
        pair("新车交付量", "Delivered")
    );
    assert_eq!(
        h(RateColumn::Vehicles, RateTable::Service),
        pair("接车台次", "Received")
    );
    assert_eq!(
        h(RateColumn::Fully, RateTable::Sales),
        pair("完全满意数量(8-10)", "Fully (8-10)")
    );
    assert_eq!(
        h(RateColumn::Basic, RateTable::Service),
        pair("基本满意数量(6-7)", "Basic (6-7)")
    );
    assert_eq!(
        h(RateColumn::Dissatisfied, RateTable::Service),
        pair("不满意数量(1-5)", "Dissat. (1-5)")
    );
    assert_eq!(
        h(RateColumn::ByPhone, RateTable::Sales),
        pair("电话问卷", "By phone")
    );
    assert_eq!(
        h(RateColumn::BySms, RateTable::Sales),
        pair("短信回复", "By SMS")
    );
    assert_eq!(
        h(RateColumn::Other, RateTable::Service),
        pair("其他", "Other")
    );

    // The printed heading line: the paper columns in order, then a bar,
    // then the additions.
    let text = november_report()
        .sheet(Policy::default().satisfaction())
        .render();
    let head = text.lines().nth(2).unwrap();
    let words: Vec<&str> = head.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "服务顾问/维修班组",
            "接车台次",
            "回访成功数",
            "回访未成功数",
            "拒访",
            "无法接通",
            "其他",
            "回访成功率",
            "回访未成功率",
            "完全满意数量(8-10)",
            "基本满意数量(6-7)",
            "不满意数量(1-5)",
            "完全满意率",
            "基本满意率",
            "不满意率",
            "|",
            "无人接听",
            "电话问卷",
            "短信回复",
            "NPS",
        ]
    );
    assert!(
        text.contains("“|”右侧为本系统增列栏目，原表（[002] 表8）没有"),
        "{text}"
    );
    assert!(text.contains("n/a = 不适用（分母为零）"), "{text}");
    assert!(!text.contains("销售问卷得分"), "{text}");
}

#[test]
fn table_7_states_how_the_sales_score_was_formed_and_counts_each_source() {
    let records = [
        rec(2, "SC-1", None, reached(8)),
        rec(3, "SC-1", None, by_sms(9)),
        rec(4, "SC-1", None, by_sms(3)),
    ];
    let report = RateReport::from_records(RateTable::Sales, day(1), day(30), records).unwrap();
    let sheet = report.sheet(Policy::default().satisfaction());
    assert_eq!(sheet.sales_score, SalesScoreBasis::Mean);
    assert_eq!((sheet.totals.by_phone, sheet.totals.by_sms), (1, 2));
    let text = sheet.render();
    assert!(
        text.contains(
            "销售问卷得分：Q1、Q2、Q7平均分（四舍五入） / Sales questionnaire score: \
             mean of Q1, Q2, Q7, rounded half up (SAT-01)"
        ),
        "{text}"
    );
    assert!(!text.contains("得分来源未记录"), "{text}");
    let min = SatisfactionPolicy {
        sales_score: SalesScoreBasis::Min,
        ..SatisfactionPolicy::default()
    };
    let text = report.render(&min);
    assert!(text.contains("销售问卷得分：Q1、Q2、Q7最低分"), "{text}");
    let head = text.lines().nth(2).unwrap();
    assert!(head.starts_with("销售顾问"), "{head}");
    assert!(
        head.contains("无法接通  回访成功率"),
        "table 7 has no 其他 column on the paper form: {head}"
    );
}

#[test]
fn stored_records_and_reports_without_a_score_source_still_load() {
    // A record stored before the source was kept.
    let json = r#"{"date":"2026-11-02","staff":"SA-A","team":null,
        "result":{"result":"reached","score":7,"recommendation":null}}"#;
    let old: RateRecord = serde_json::from_str(json).unwrap();
    assert_eq!(
        old.result,
        FollowUpResult::Reached {
            score: Score::try_new(7).unwrap(),
            recommendation: None,
            source: None
        }
    );
    let report =
        RateReport::from_records(RateTable::Service, day(1), day(30), [old.clone()]).unwrap();
    assert_eq!(report.totals().source_not_recorded(), 1);
    assert_eq!(report.totals().from_source(ScoreSource::SmsReply), 0);
    let sheet = report.sheet(Policy::default().satisfaction());
    assert_eq!((sheet.totals.by_phone, sheet.totals.by_sms), (0, 0));
    let text = sheet.render();
    assert!(
        text.contains(
            "得分来源未记录的回访成功数 / Successful follow-ups with no score source recorded: 1"
        ),
        "{text}"
    );
    // A new record round-trips its source.
    let new = rec(2, "SA-A", None, by_sms(7));
    let back: RateRecord = serde_json::from_str(&serde_json::to_string(&new).unwrap()).unwrap();
    assert_eq!(back, new);

    // A report stored before: no `sources` in its counts.
    let mut value = serde_json::to_value(&report).unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("sources");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    assert!(!value.to_string().contains("sources"));
    let back: RateReport = serde_json::from_value(value).unwrap();
    assert_eq!(back, report);

    // More sources than successful follow-ups do not add up.
    let mut value = serde_json::to_value(&report).unwrap();
    value["totals"]["sources"][1] = 2.into();
    let err = serde_json::from_value::<RateReport>(value).unwrap_err();
    assert!(
        err.to_string().contains("2 score sources for 1 successful"),
        "{err}"
    );
}

fn counts_ok(c: &Counts, bands: &ScoreBands) {
    let sourced: u64 = ScoreSource::ALL.iter().map(|s| c.from_source(*s)).sum();
    assert_eq!(sourced + c.source_not_recorded(), c.successful());
    assert_eq!(c.attempted(), c.successful() + c.unsuccessful_total());
    assert!(c.attempted() <= c.vehicles);
    let banded: u64 = Band::ALL.iter().map(|b| c.in_band(*b, bands)).sum();
    assert_eq!(banded, c.successful());
    let kinds: u64 = UnsuccessfulKind::ALL
        .iter()
        .map(|k| c.unsuccessful_of(*k))
        .sum();
    assert_eq!(kinds, c.unsuccessful_total());
}

fn result_strategy() -> impl Strategy<Value = FollowUpResult> {
    prop_oneof![
        Just(FollowUpResult::NoResult),
        (
            1u8..=10,
            proptest::option::of(0u8..=10),
            proptest::option::of(0usize..2)
        )
            .prop_map(|(s, r, source)| FollowUpResult::Reached {
                score: Score::try_new(s).unwrap(),
                recommendation: r.map(|r| Recommendation::try_new(r).unwrap()),
                source: source.map(|i| ScoreSource::ALL[i]),
            }),
        (0usize..4).prop_map(|k| FollowUpResult::Unsuccessful {
            kind: UnsuccessfulKind::ALL[k]
        }),
    ]
}

fn record_strategy() -> impl Strategy<Value = RateRecord> {
    (
        1u32..=30,
        0u8..5,
        proptest::option::of(0u8..3),
        result_strategy(),
    )
        .prop_map(|(d, s, t, result)| RateRecord {
            date: day(d),
            staff: format!("SA-{s}").parse().unwrap(),
            team: t.map(|t| format!("team-{t}").parse().unwrap()),
            result,
        })
}

proptest! {
    #[test]
    fn counts_add_up_and_rates_stay_in_range(
        records in proptest::collection::vec(record_strategy(), 0..200),
    ) {
        let report =
            RateReport::from_records(RateTable::Service, day(1), day(30), &records).unwrap();
        let policy = Policy::default();
        let bands = policy.satisfaction().bands;
        counts_ok(report.totals(), &bands);
        for (_, c) in report.staff_rows() {
            counts_ok(c, &bands);
        }
        for (_, c) in report.team_rows() {
            counts_ok(c, &bands);
        }
        prop_assert_eq!(report.totals().vehicles, records.len() as u64);
        let sheet = report.sheet(policy.satisfaction());
        let rows: Vec<&RateRow> =
            sheet.staff.iter().chain(&sheet.teams).chain([&sheet.totals]).collect();
        for row in rows {
            prop_assert_eq!(row.successful + row.unsuccessful, row.refused + row.unreachable
                + row.no_answer + row.other + row.successful);
            prop_assert_eq!(row.fully + row.basic + row.dissatisfied, row.successful);
            prop_assert!(row.by_phone + row.by_sms <= row.successful);
            for rate in [row.success_rate, row.unsuccessful_rate, row.fully_rate,
                         row.basic_rate, row.dissatisfied_rate] {
                if let Some(p) = rate.percent {
                    prop_assert!(p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED, "{p}");
                } else {
                    prop_assert_eq!(rate.denominator, 0);
                }
            }
            if let Some(nps) = row.nps {
                prop_assert!(nps >= -Decimal::ONE_HUNDRED && nps <= Decimal::ONE_HUNDRED);
            }
        }
        // Staff rows and team rows each add up to the totals.
        let staff_vehicles: u64 = sheet.staff.iter().map(|r| r.vehicles).sum();
        let team_vehicles: u64 = sheet.teams.iter().map(|r| r.vehicles).sum();
        prop_assert_eq!(staff_vehicles, sheet.totals.vehicles);
        prop_assert_eq!(team_vehicles, sheet.totals.vehicles);
    }

    #[test]
    fn merging_two_halves_equals_the_whole(
        records in proptest::collection::vec(record_strategy(), 0..200),
        cut in 0usize..200,
    ) {
        let cut = cut.min(records.len());
        let (a, b) = records.split_at(cut);
        let whole =
            RateReport::from_records(RateTable::Service, day(1), day(30), &records).unwrap();
        let mut left = RateReport::from_records(RateTable::Service, day(1), day(30), a).unwrap();
        let right = RateReport::from_records(RateTable::Service, day(1), day(30), b).unwrap();
        left.merge(&right).unwrap();
        prop_assert_eq!(&left, &whole);
        // And by halves of the month, the first half knowing only its days.
        let mut early = RateReport::from_records(
            RateTable::Service, day(1), day(15), records.iter().filter(|r| r.date <= day(15)),
        ).unwrap();
        let late = RateReport::from_records(
            RateTable::Service, day(16), day(30), records.iter().filter(|r| r.date > day(15)),
        ).unwrap();
        early.merge(&late).unwrap();
        prop_assert_eq!(&early, &whole);
        let json = serde_json::to_string(&whole).unwrap();
        prop_assert_eq!(serde_json::from_str::<RateReport>(&json).unwrap(), whole);
    }

    #[test]
    fn record_order_does_not_change_the_report(
        records in proptest::collection::vec(record_strategy(), 0..200),
        seed in any::<u64>(),
    ) {
        let mut shuffled = records.clone();
        // A Fisher-Yates shuffle driven by a small LCG from the seed.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let a = RateReport::from_records(RateTable::Service, day(1), day(30), &records).unwrap();
        let b = RateReport::from_records(RateTable::Service, day(1), day(30), &shuffled).unwrap();
        prop_assert_eq!(a, b);
    }
}
