//! SAT-05 to SAT-10 through the public API: the five-level scale, the zone
//! of tolerance, the Net Promoter Score, hygiene factors and satisfiers,
//! advisor workload and the composite service index.

use aftersales::{
    AfterSalesAnswers, CsiFactor, CsiTally, CsiWeights, Expectations, Extent, Factor, FactorScores,
    FactorTally, FiveLevel, FiveLevelTally, MeasureError, NpsBands, NpsGroup, NpsTally, Percent,
    Perception, Policy, Question, Questionnaire, Rate, Recommendation, RuleId, SalesAnswers, Score,
    ScoreBands, WorkloadLevel, WorkloadLimits, YesNo, composite_index,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn s(v: u8) -> Score {
    Score::try_new(v).unwrap()
}

fn r(v: u8) -> Recommendation {
    Recommendation::try_new(v).unwrap()
}

// --- SAT-05 five-level scale ----------------------------------------------

#[test]
fn five_level_accepts_one_to_five_only() {
    assert_eq!(
        FiveLevel::try_from_value(0),
        Err(MeasureError::FiveLevelOutOfRange(0))
    );
    assert_eq!(
        FiveLevel::try_from_value(1),
        Ok(FiveLevel::CompletelyDissatisfied)
    );
    assert_eq!(
        FiveLevel::try_from_value(5),
        Ok(FiveLevel::CompletelySatisfied)
    );
    let err = FiveLevel::try_from_value(6).unwrap_err();
    assert_eq!(err, MeasureError::FiveLevelOutOfRange(6));
    assert_eq!(
        err.to_string(),
        "five-level answer `6` is outside 1–5 (SAT-05)"
    );
    assert_eq!(err.rule(), RuleId::Sat05);
    assert!(FiveLevel::try_from(255u8).is_err());
}

#[test]
fn five_level_values_and_labels() {
    let table = [
        (1, FiveLevel::CompletelyDissatisfied, "完全不满意"),
        (2, FiveLevel::Dissatisfied, "不满意"),
        (3, FiveLevel::Acceptable, "尚可"),
        (4, FiveLevel::Satisfied, "满意"),
        (5, FiveLevel::CompletelySatisfied, "完全满意"),
    ];
    assert_eq!(FiveLevel::ALL.len(), table.len());
    for (value, level, zh) in table {
        assert_eq!(level.value(), value);
        assert_eq!(u8::from(level), value);
        assert_eq!(FiveLevel::try_from_value(value), Ok(level));
        assert_eq!(level.label_zh(), zh);
    }
    assert!(FiveLevel::Dissatisfied < FiveLevel::Acceptable);
    assert_eq!(
        FiveLevel::CompletelySatisfied.to_string(),
        "completely satisfied"
    );
}

#[test]
fn five_level_tally_by_hand() {
    // Two 5s, three 4s, one 3, no 2, two 1s: eight answers.
    let answers = [5, 4, 1, 4, 5, 3, 1, 4];
    let tally: FiveLevelTally = answers
        .iter()
        .map(|v| FiveLevel::try_from_value(*v).unwrap())
        .collect();
    assert_eq!(tally.total(), 8);
    assert_eq!(tally.count(FiveLevel::Satisfied), 3);
    assert_eq!(tally.count(FiveLevel::Dissatisfied), 0);
    assert_eq!(tally.share(FiveLevel::Acceptable), Rate::new(1, 8));
    assert_eq!(tally.share(FiveLevel::Dissatisfied), Rate::new(0, 8));
    assert_eq!(tally.top_two_box(), Rate::new(5, 8));
    assert_eq!(tally.top_two_box().to_string(), "62.50%");
    // (2×5 + 3×4 + 1×3 + 2×1) / 8 = 27 / 8
    assert_eq!(tally.mean(), Some(d("3.375")));
    assert_eq!(
        tally,
        FiveLevelTally {
            completely_dissatisfied: 2,
            dissatisfied: 0,
            acceptable: 1,
            satisfied: 3,
            completely_satisfied: 2,
        }
    );
}

#[test]
fn an_empty_five_level_tally_is_not_available() {
    let empty = FiveLevelTally::default();
    assert_eq!(empty.total(), 0);
    assert_eq!(empty.mean(), None);
    assert_eq!(empty.top_two_box().to_string(), "n/a");
    assert_eq!(empty.share(FiveLevel::Satisfied).percent(2), None);
}

#[test]
fn five_level_mean_is_not_rounded() {
    let tally: FiveLevelTally = [
        FiveLevel::CompletelySatisfied,
        FiveLevel::Acceptable,
        FiveLevel::Acceptable,
    ]
    .into_iter()
    .collect();
    let mean = tally.mean().unwrap();
    // 11 / 3: far more places than any report shows.
    assert!(mean.scale() > 20, "{mean}");
    assert_eq!(mean.round_dp(4), d("3.6667"));
    let error = (mean * Decimal::from(3) - Decimal::from(11)).abs();
    assert!(error < d("0.00000000000000000001"), "{error}");
}

// --- SAT-06 expectations ----------------------------------------------------

#[test]
fn zone_of_tolerance_includes_both_ends() {
    let e = Expectations::try_new(d("8"), d("6"), d("7")).unwrap();
    assert_eq!(e.judge(d("5.99")), Perception::BelowAdequate);
    assert_eq!(e.judge(d("6")), Perception::WithinZone);
    assert_eq!(e.judge(d("6.000")), Perception::WithinZone);
    assert_eq!(e.judge(d("7")), Perception::WithinZone);
    assert_eq!(e.judge(d("8")), Perception::WithinZone);
    assert_eq!(e.judge(d("8.01")), Perception::AboveDesired);
    assert_eq!(e.judge(d("-100")), Perception::BelowAdequate);
    assert_eq!(e.zone_width(), d("2"));
    assert_eq!(e.predicted_perception(), Perception::WithinZone);
    assert_eq!(
        (e.desired(), e.adequate(), e.predicted()),
        (d("8"), d("6"), d("7"))
    );
}

#[test]
fn adequate_may_equal_desired_but_not_exceed_it() {
    let point = Expectations::try_new(d("7"), d("7"), d("3")).unwrap();
    assert_eq!(point.zone_width(), Decimal::ZERO);
    assert_eq!(point.judge(d("7")), Perception::WithinZone);
    assert_eq!(point.judge(d("6.9")), Perception::BelowAdequate);
    assert_eq!(point.judge(d("7.1")), Perception::AboveDesired);

    let err = Expectations::try_new(d("7"), d("7.5"), d("7")).unwrap_err();
    assert_eq!(
        err,
        MeasureError::AdequateAboveDesired {
            desired: d("7"),
            adequate: d("7.5"),
        }
    );
    assert_eq!(err.rule(), RuleId::Sat06);
    assert_eq!(
        err.to_string(),
        "adequate service `7.5` is above desired service `7` (SAT-06)"
    );
}

#[test]
fn predicted_may_lie_anywhere() {
    let low = Expectations::try_new(d("9"), d("6"), d("2")).unwrap();
    assert_eq!(low.predicted_perception(), Perception::BelowAdequate);
    let high = Expectations::try_new(d("9"), d("6"), d("10")).unwrap();
    assert_eq!(high.predicted_perception(), Perception::AboveDesired);
}

#[test]
fn expectations_round_trip_and_are_checked_by_serde() {
    let e = Expectations::try_new(d("9.5"), d("6"), d("7.25")).unwrap();
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"desired":"9.5","adequate":"6","predicted":"7.25"}"#
    );
    assert_eq!(serde_json::from_str::<Expectations>(&json).unwrap(), e);

    let inverted = r#"{"desired":"6","adequate":"9","predicted":"7"}"#;
    let err = serde_json::from_str::<Expectations>(inverted).unwrap_err();
    assert!(err.to_string().contains("SAT-06"), "{err}");
    let missing = r#"{"desired":"9","adequate":"6"}"#;
    assert!(serde_json::from_str::<Expectations>(missing).is_err());
    let unknown = r#"{"desired":"9","adequate":"6","predicted":"7","perceived":"8"}"#;
    assert!(serde_json::from_str::<Expectations>(unknown).is_err());
}

#[test]
fn perception_words() {
    let table = [
        (Perception::BelowAdequate, "不满意", "\"below_adequate\""),
        (Perception::WithinZone, "容忍区间内", "\"within_zone\""),
        (Perception::AboveDesired, "惊喜", "\"above_desired\""),
    ];
    for (p, zh, json) in table {
        assert_eq!(p.label_zh(), zh);
        assert_eq!(serde_json::to_string(&p).unwrap(), json);
    }
    assert_eq!(Perception::AboveDesired.to_string(), "delighted");
}

// --- SAT-07 Net Promoter Score ---------------------------------------------

#[test]
fn default_nps_bands_at_their_boundaries() {
    let bands = NpsBands::default();
    let table = [
        (0, NpsGroup::Detractor),
        (6, NpsGroup::Detractor),
        (7, NpsGroup::Passive),
        (8, NpsGroup::Passive),
        (9, NpsGroup::Promoter),
        (10, NpsGroup::Promoter),
    ];
    for (v, group) in table {
        assert_eq!(bands.group(r(v)), group, "{v}");
    }
    assert_eq!(NpsGroup::Promoter.label_zh(), "推荐者");
    assert_eq!(NpsGroup::Passive.label_zh(), "中立者");
    assert_eq!(NpsGroup::Detractor.label_zh(), "贬损者");
}

#[test]
fn nps_bands_from_a_policy() {
    let json = r#"{ "satisfaction": { "nps": { "promoter_from": 8, "detractor_to": 5 } } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    let bands = policy.satisfaction().nps;
    assert_eq!(bands.group(r(5)), NpsGroup::Detractor);
    assert_eq!(bands.group(r(6)), NpsGroup::Passive);
    assert_eq!(bands.group(r(7)), NpsGroup::Passive);
    assert_eq!(bands.group(r(8)), NpsGroup::Promoter);
}

fn nps_of(values: &[u8]) -> NpsTally {
    let bands = NpsBands::default();
    let mut tally = NpsTally::default();
    for v in values {
        tally.add(r(*v), &bands);
    }
    tally
}

#[test]
fn nps_extremes_and_empty() {
    assert_eq!(nps_of(&[9, 10, 9]).nps(), Some(Decimal::ONE_HUNDRED));
    assert_eq!(nps_of(&[0, 6, 3, 1]).nps(), Some(-Decimal::ONE_HUNDRED));
    assert_eq!(nps_of(&[7, 8]).nps(), Some(Decimal::ZERO));
    assert_eq!(nps_of(&[]).nps(), None);
    assert_eq!(nps_of(&[]).nps_rounded(2), None);
    assert_eq!(nps_of(&[]).total(), 0);
    assert_eq!(nps_of(&[]).share(NpsGroup::Promoter).to_string(), "n/a");
}

#[test]
fn nps_by_hand() {
    // 3 promoters, 1 passive, 1 detractor: 60 % − 20 % = 40.
    let tally = nps_of(&[10, 9, 9, 8, 2]);
    assert_eq!(
        tally,
        NpsTally {
            promoters: 3,
            passives: 1,
            detractors: 1,
        }
    );
    assert_eq!(tally.total(), 5);
    assert_eq!(tally.count(NpsGroup::Passive), 1);
    assert_eq!(tally.share(NpsGroup::Promoter), Rate::new(3, 5));
    assert_eq!(tally.nps(), Some(d("40")));

    // 1 promoter of 3: 33.333… exactly as far as a decimal goes.
    let third = nps_of(&[10, 7, 8]);
    let nps = third.nps().unwrap();
    assert!(
        nps > d("33.3333333333") && nps < d("33.3333333334"),
        "{nps}"
    );
    assert_eq!(third.nps_rounded(2), Some(d("33.33")));
    assert_eq!(third.nps_rounded(0), Some(d("33")));
}

#[test]
fn nps_rounds_half_away_from_zero() {
    // 1 promoter of 8: 12.5; 1 detractor of 8: −12.5.
    let up = NpsTally {
        promoters: 1,
        passives: 7,
        detractors: 0,
    };
    let down = NpsTally {
        promoters: 0,
        passives: 7,
        detractors: 1,
    };
    assert_eq!(up.nps(), Some(d("12.5")));
    assert_eq!(up.nps_rounded(0), Some(d("13")));
    assert_eq!(down.nps_rounded(0), Some(d("-13")));
    assert_eq!(up.nps_rounded(2).unwrap().to_string(), "12.50");
    assert_eq!(down.nps_rounded(1).unwrap().to_string(), "-12.5");
    // 2 promoters of 3: 66.66… rounds up.
    let two_thirds = NpsTally {
        promoters: 2,
        passives: 1,
        detractors: 0,
    };
    assert_eq!(two_thirds.nps_rounded(1), Some(d("66.7")));
    let net_zero = NpsTally {
        promoters: 1,
        passives: 0,
        detractors: 1,
    };
    assert_eq!(net_zero.nps_rounded(2).unwrap().to_string(), "0.00");
}

#[test]
fn nps_survives_huge_counts() {
    let tally = NpsTally {
        promoters: u64::MAX,
        passives: u64::MAX,
        detractors: 0,
    };
    assert_eq!(tally.nps(), Some(d("50")));
    assert_eq!(tally.nps_rounded(3).unwrap().to_string(), "50.000");
    assert_eq!(tally.total(), u64::MAX); // saturates
}

// --- SAT-08 hygiene factors and satisfiers ---------------------------------

#[test]
fn every_question_has_its_documented_factor() {
    use Factor::{Hygiene, Satisfier};
    let table: [(Question, Option<Factor>); 22] = [
        (Question::AfterSalesOverall, None),
        (Question::AfterSalesGreetedPromptly, Some(Satisfier)),
        (Question::AfterSalesWalkAroundExplained, Some(Satisfier)),
        (Question::AfterSalesExplainedAndSigned, Some(Satisfier)),
        (Question::AfterSalesDeliveredOnTime, Some(Hygiene)),
        (
            Question::AfterSalesChargesExplainedAtVehicle,
            Some(Satisfier),
        ),
        (Question::AfterSalesNextServiceAdvised, Some(Satisfier)),
        (Question::AfterSalesOldPartsShown, Some(Satisfier)),
        (Question::AfterSalesDiagnosis, Some(Hygiene)),
        (Question::AfterSalesQualityAndTime, Some(Hygiene)),
        (Question::AfterSalesRemarks, None),
        (Question::SalesWaitingTime, Some(Hygiene)),
        (Question::SalesProductInformation, Some(Satisfier)),
        (Question::SalesTestDriveOffered, Some(Satisfier)),
        (Question::SalesDeliveryTimeMet, Some(Hygiene)),
        (Question::SalesFuelLightOn, Some(Hygiene)),
        (Question::SalesQuestionsAnswered, Some(Satisfier)),
        (Question::SalesUseAndMaintenance, Some(Satisfier)),
        (Question::SalesContactedAfterDelivery, Some(Satisfier)),
        (Question::SalesAdvisorIntroduced, Some(Satisfier)),
        (Question::SalesCashierSatisfied, Some(Hygiene)),
        (Question::SalesRemarks, None),
    ];
    let listed: Vec<Question> = table.iter().map(|(q, _)| *q).collect();
    assert_eq!(listed, Question::ALL);
    for (question, factor) in table {
        assert_eq!(question.factor(), factor, "{question}");
    }
    assert_eq!(Factor::Hygiene.label_zh(), "保健因子");
    assert_eq!(Factor::Satisfier.label_zh(), "满意因子");
}

/// An after-sales form with every step done and top scores.
fn after_sales() -> AfterSalesAnswers {
    AfterSalesAnswers {
        overall: s(10),
        greeted_promptly: YesNo::Yes,
        walk_around_explained: YesNo::Yes,
        explained_and_signed: Extent::Fully,
        delivered_on_time: YesNo::Yes,
        charges_explained_at_vehicle: YesNo::Yes,
        next_service_advised: YesNo::Yes,
        old_parts_shown: YesNo::Yes,
        diagnosis: s(10),
        quality_and_time: s(10),
        remarks: None,
    }
}

/// A sales form with every step done and top scores.
fn sales() -> SalesAnswers {
    SalesAnswers {
        waiting_time: s(10),
        product_information: s(10),
        test_drive_offered: YesNo::Yes,
        delivery_time_met: YesNo::Yes,
        fuel_light_on: YesNo::No,
        questions_answered: YesNo::Yes,
        use_and_maintenance: s(10),
        contacted_after_delivery: YesNo::Yes,
        advisor_introduced: YesNo::Yes,
        cashier_satisfied: YesNo::Yes,
        remarks: None,
    }
}

/// Late, a poor repair, a partial explanation and no old parts, but an 8
/// for diagnosis and a happy overall score.
fn mixed_after_sales() -> Questionnaire {
    Questionnaire::AfterSales(AfterSalesAnswers {
        overall: s(9),
        explained_and_signed: Extent::Partly,
        delivered_on_time: YesNo::No,
        old_parts_shown: YesNo::No,
        diagnosis: s(8),
        quality_and_time: s(5),
        ..after_sales()
    })
}

/// Fuel light on and a 7 for the wait; a 7 for product information, no
/// test drive, and a rude cashier.
fn mixed_sales() -> Questionnaire {
    Questionnaire::Sales(SalesAnswers {
        waiting_time: s(7),
        product_information: s(7),
        test_drive_offered: YesNo::No,
        fuel_light_on: YesNo::Yes,
        cashier_satisfied: YesNo::No,
        ..sales()
    })
}

#[test]
fn factor_tally_of_perfect_forms_is_all_favourable() {
    let bands = ScoreBands::default();
    let mut tally = FactorTally::default();
    assert_eq!(tally.favourable(Factor::Hygiene).to_string(), "n/a");
    tally.add(&Questionnaire::AfterSales(after_sales()), &bands);
    // after-sales: Q5, Q9, Q10 hygiene; Q2–Q4, Q6–Q8 satisfiers.
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(3, 3));
    assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(6, 6));
    tally.add(&Questionnaire::Sales(sales()), &bands);
    // sales: Q1, Q4, Q5, Q10 hygiene; Q2, Q3, Q6–Q9 satisfiers.
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(7, 7));
    assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(12, 12));
}

#[test]
fn factor_tally_of_mixed_forms_by_hand() {
    let bands = ScoreBands::default();
    let mut tally = FactorTally::default();
    tally.add(&mixed_after_sales(), &bands);
    // Hygiene: Q5 no ✗, Q9 8 ✓, Q10 5 ✗.
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(1, 3));
    // Satisfiers: Q2 ✓, Q3 ✓, Q4 partly ✗, Q6 ✓, Q7 ✓, Q8 no ✗.
    assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(4, 6));

    tally.add(&mixed_sales(), &bands);
    // Hygiene adds Q1 7 ✗, Q4 yes ✓, Q5 light on ✗, Q10 no ✗.
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(2, 7));
    // Satisfiers add Q2 7 ✗, Q3 no ✗, Q6 ✓, Q7 10 ✓, Q8 ✓, Q9 ✓.
    assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(8, 12));
}

#[test]
fn factor_tally_judges_scores_by_the_bands_given() {
    // Fully satisfied from 9: the after-sales diagnosis 8 no longer counts.
    let strict: Policy =
        serde_json::from_str(r#"{ "satisfaction": { "bands": { "fully_from": 9 } } }"#).unwrap();
    let mut tally = FactorTally::default();
    tally.add(&mixed_after_sales(), &strict.satisfaction().bands);
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(0, 3));
    // Fully satisfied from 7: the sales 7s count.
    let lenient = ScoreBands {
        fully_from: s(7),
        basic_from: s(5),
    };
    let mut tally = FactorTally::default();
    tally.add(&mixed_sales(), &lenient);
    assert_eq!(tally.favourable(Factor::Hygiene), Rate::new(2, 4));
    assert_eq!(tally.favourable(Factor::Satisfier), Rate::new(5, 6));
}

#[test]
fn factor_tally_merge_equals_adding_to_one() {
    let bands = ScoreBands::default();
    let forms = [
        mixed_after_sales(),
        Questionnaire::Sales(sales()),
        mixed_sales(),
        Questionnaire::AfterSales(after_sales()),
    ];
    let mut one = FactorTally::default();
    for f in &forms {
        one.add(f, &bands);
    }
    let mut left = FactorTally::default();
    let mut right = FactorTally::default();
    left.add(&forms[0], &bands);
    left.add(&forms[1], &bands);
    right.add(&forms[2], &bands);
    right.add(&forms[3], &bands);
    left.merge(&right);
    assert_eq!(left, one);
    assert_eq!(
        one.favourable(Factor::Hygiene),
        Rate::new(1 + 4 + 1 + 3, 3 + 4 + 4 + 3)
    );
}

#[test]
fn factor_tally_serde() {
    let mut tally = FactorTally::default();
    tally.add(&mixed_after_sales(), &ScoreBands::default());
    let json = serde_json::to_string(&tally).unwrap();
    assert_eq!(
        json,
        r#"{"hygiene":{"favourable":1,"total":3},"satisfier":{"favourable":4,"total":6}}"#
    );
    assert_eq!(serde_json::from_str::<FactorTally>(&json).unwrap(), tally);
    assert_eq!(
        serde_json::from_str::<FactorTally>("{}").unwrap(),
        FactorTally::default()
    );

    let bad = r#"{"hygiene":{"favourable":4,"total":3}}"#;
    let err = serde_json::from_str::<FactorTally>(bad).unwrap_err();
    assert!(
        err.to_string()
            .contains("the hygiene factor tally has `4` favourable answers out of `3` (SAT-08)"),
        "{err}"
    );
    assert!(serde_json::from_str::<FactorTally>(r#"{"hygiene":{"good":1}}"#).is_err());
}

// --- SAT-09 workload --------------------------------------------------------

#[test]
fn workload_levels_at_the_default_boundaries() {
    let limits = WorkloadLimits::default();
    let table = [
        (0, WorkloadLevel::Light),
        (7, WorkloadLevel::Light),
        (8, WorkloadLevel::Optimal),
        (10, WorkloadLevel::Optimal),
        (11, WorkloadLevel::Busy),
        (12, WorkloadLevel::Busy),
        (13, WorkloadLevel::Overloaded),
        (u32::MAX, WorkloadLevel::Overloaded),
    ];
    for (received, level) in table {
        assert_eq!(limits.level(received), level, "{received}");
        assert_eq!(
            level.is_flagged(),
            received > 12,
            "{received} flagged only above 12"
        );
    }
    assert_eq!(WorkloadLevel::Overloaded.label_zh(), "超负荷");
    assert_eq!(WorkloadLevel::Optimal.label_zh(), "最佳");
}

#[test]
fn workload_levels_from_a_policy() {
    let json = r#"{ "satisfaction": { "workload": { "max_per_day": 15, "optimal_from": 10, "optimal_to": 12 } } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    let limits = policy.satisfaction().workload;
    assert_eq!(limits.level(9), WorkloadLevel::Light);
    assert_eq!(limits.level(12), WorkloadLevel::Optimal);
    assert_eq!(limits.level(13), WorkloadLevel::Busy);
    assert_eq!(limits.level(15), WorkloadLevel::Busy);
    assert_eq!(limits.level(16), WorkloadLevel::Overloaded);
    // The optimal range may reach the limit: then no day is busy.
    let tight = WorkloadLimits {
        max_per_day: 10,
        optimal_from: 8,
        optimal_to: 10,
    };
    assert_eq!(tight.level(10), WorkloadLevel::Optimal);
    assert_eq!(tight.level(11), WorkloadLevel::Overloaded);
}

// --- SAT-10 composite service index -----------------------------------------

fn scores(values: [&str; 5]) -> FactorScores {
    let [a, b, c, e, f] = values.map(d);
    FactorScores::try_new(a, b, c, e, f).unwrap()
}

#[test]
fn csi_weights_by_factor() {
    let w = CsiWeights::default();
    let got: Vec<Decimal> = CsiFactor::ALL.iter().map(|f| w.weight(*f).get()).collect();
    assert_eq!(got, [27, 20, 20, 17, 16].map(Decimal::from));
    assert_eq!(CsiFactor::VehiclePickUp.label_zh(), "取车");
    assert_eq!(CsiFactor::ServiceInitiation.label_zh(), "服务启动");
}

#[test]
fn csi_ends_of_the_scale() {
    let w = CsiWeights::default();
    let top = composite_index(&scores(["10"; 5]), &w);
    assert_eq!(top, Decimal::from(1000));
    assert_eq!(top.to_string(), "1000");
    let bottom = composite_index(&scores(["1"; 5]), &w);
    assert_eq!(bottom, Decimal::from(100));
}

#[test]
fn csi_mixed_case_by_hand() {
    // 27 × 8.5 + 20 × 9.25 + 20 × 7 + 17 × 6.5 + 16 × 10
    // = 229.5 + 185 + 140 + 110.5 + 160 = 825
    let index = composite_index(
        &scores(["8.5", "9.25", "7", "6.5", "10"]),
        &CsiWeights::default(),
    );
    assert_eq!(index, d("825"));
    // 27 × 9.1 + 20 × 8 + 20 × 8 + 17 × 8 + 16 × 8 = 245.7 + 584 = 829.7
    let index = composite_index(&scores(["9.1", "8", "8", "8", "8"]), &CsiWeights::default());
    assert_eq!(index, d("829.7"));
}

#[test]
fn csi_with_weights_from_a_policy() {
    let json = r#"{ "satisfaction": { "csi_weights": {
        "service_quality": "40", "service_initiation": "15", "service_advisor": "15",
        "facility": "10", "vehicle_pick_up": "20" } } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    let w = policy.satisfaction().csi_weights;
    assert_eq!(w.weight(CsiFactor::ServiceQuality).get(), d("40"));
    // 40 × 9 + 15 × 8 + 15 × 10 + 10 × 7 + 20 × 9 = 360 + 120 + 150 + 70 + 180
    let index = composite_index(&scores(["9", "8", "10", "7", "9"]), &w);
    assert_eq!(index, d("880"));
    // The default weights give the same scores 866.
    let index = composite_index(&scores(["9", "8", "10", "7", "9"]), &CsiWeights::default());
    assert_eq!(index, d("866"));
    // Fractional weights.
    let w = CsiWeights {
        service_quality: Percent::try_new(d("27.5")).unwrap(),
        vehicle_pick_up: Percent::try_new(d("15.5")).unwrap(),
        ..CsiWeights::default()
    };
    // 27.5 × 10 + 20 × 1 + 20 × 1 + 17 × 1 + 15.5 × 1 = 347.5
    assert_eq!(
        composite_index(&scores(["10", "1", "1", "1", "1"]), &w),
        d("347.5")
    );
}

#[test]
fn factor_scores_must_lie_within_one_to_ten() {
    assert!(FactorScores::try_new(d("1"), d("10"), d("1.0"), d("10.00"), d("5.5")).is_ok());
    let err = FactorScores::try_new(d("0.99"), d("8"), d("8"), d("8"), d("8")).unwrap_err();
    assert_eq!(
        err,
        MeasureError::MeanOutOfRange {
            factor: CsiFactor::ServiceQuality,
            mean: d("0.99"),
        }
    );
    assert_eq!(err.rule(), RuleId::Sat10);
    assert_eq!(
        err.to_string(),
        "the mean service quality score `0.99` is outside 1–10 (SAT-10)"
    );
    // The first bad factor is named.
    let err = FactorScores::try_new(d("8"), d("8"), d("8"), d("10.01"), d("-3")).unwrap_err();
    assert_eq!(
        err,
        MeasureError::MeanOutOfRange {
            factor: CsiFactor::Facility,
            mean: d("10.01"),
        }
    );
}

#[test]
fn factor_scores_serde() {
    let sc = scores(["9", "8.5", "10", "7", "9.25"]);
    let json = serde_json::to_string(&sc).unwrap();
    assert_eq!(
        json,
        r#"{"service_quality":"9","service_initiation":"8.5","service_advisor":"10","facility":"7","vehicle_pick_up":"9.25"}"#
    );
    assert_eq!(serde_json::from_str::<FactorScores>(&json).unwrap(), sc);
    let high = json.replace(r#""facility":"7""#, r#""facility":"11""#);
    let err = serde_json::from_str::<FactorScores>(&high).unwrap_err();
    assert!(err.to_string().contains("facility score `11`"), "{err}");
    let missing = r#"{"service_quality":"9"}"#;
    assert!(serde_json::from_str::<FactorScores>(missing).is_err());
}

/// Survey answers as (factor, score) pairs.
fn answers() -> Vec<(CsiFactor, u8)> {
    use CsiFactor::*;
    vec![
        (ServiceQuality, 9),
        (ServiceQuality, 8),
        (ServiceInitiation, 10),
        (ServiceAdvisor, 7),
        (ServiceAdvisor, 9),
        (ServiceAdvisor, 8),
        (Facility, 6),
        (VehiclePickUp, 10),
        (VehiclePickUp, 9),
    ]
}

fn csi_of(answers: &[(CsiFactor, u8)]) -> CsiTally {
    let mut tally = CsiTally::default();
    for (f, v) in answers {
        tally.add(*f, s(*v));
    }
    tally
}

#[test]
fn csi_tally_by_hand() {
    let tally = csi_of(&answers());
    assert_eq!(tally.count(CsiFactor::ServiceAdvisor), 3);
    assert_eq!(tally.mean(CsiFactor::ServiceQuality), Some(d("8.5")));
    assert_eq!(tally.mean(CsiFactor::ServiceAdvisor), Some(d("8")));
    assert_eq!(tally.mean(CsiFactor::VehiclePickUp), Some(d("9.5")));
    let means = tally.means().unwrap();
    assert_eq!(means, scores(["8.5", "10", "8", "6", "9.5"]));
    // 27 × 8.5 + 20 × 10 + 20 × 8 + 17 × 6 + 16 × 9.5
    // = 229.5 + 200 + 160 + 102 + 152 = 843.5
    assert_eq!(composite_index(&means, &CsiWeights::default()), d("843.5"));
}

#[test]
fn csi_tally_names_the_first_factor_without_scores() {
    let mut tally = CsiTally::default();
    assert_eq!(
        tally.means(),
        Err(MeasureError::NoScores(CsiFactor::ServiceQuality))
    );
    assert_eq!(tally.mean(CsiFactor::Facility), None);
    tally.add(CsiFactor::ServiceQuality, s(9));
    tally.add(CsiFactor::ServiceInitiation, s(9));
    tally.add(CsiFactor::VehiclePickUp, s(9));
    let err = tally.means().unwrap_err();
    assert_eq!(err, MeasureError::NoScores(CsiFactor::ServiceAdvisor));
    assert_eq!(
        err.to_string(),
        "there are no service advisor scores to take a mean of (SAT-10)"
    );
    assert_eq!(err.rule(), RuleId::Sat10);
}

#[test]
fn csi_tally_merge_equals_adding_to_one() {
    let all = answers();
    let one = csi_of(&all);
    let (a, b) = all.split_at(4);
    let mut merged = csi_of(a);
    merged.merge(&csi_of(b));
    assert_eq!(merged, one);
    let mut from_empty = CsiTally::default();
    from_empty.merge(&one);
    assert_eq!(from_empty, one);
}

#[test]
fn csi_tally_serde() {
    let tally = csi_of(&[(CsiFactor::Facility, 6), (CsiFactor::Facility, 9)]);
    let json = serde_json::to_value(tally).unwrap();
    assert_eq!(json["facility"], serde_json::json!({"sum": 15, "count": 2}));
    assert_eq!(
        json["service_quality"],
        serde_json::json!({"sum": 0, "count": 0})
    );
    let back: CsiTally = serde_json::from_value(json).unwrap();
    assert_eq!(back, tally);
    assert_eq!(
        serde_json::from_str::<CsiTally>("{}").unwrap(),
        CsiTally::default()
    );

    // 2 scores cannot sum to 21, nor to 1.
    for bad in [
        r#"{"facility":{"sum":21,"count":2}}"#,
        r#"{"facility":{"sum":1,"count":2}}"#,
        r#"{"facility":{"sum":5,"count":0}}"#,
    ] {
        let err = serde_json::from_str::<CsiTally>(bad).unwrap_err();
        assert!(err.to_string().contains("(SAT-10)"), "{bad}: {err}");
        assert!(err.to_string().contains("facility"), "{bad}: {err}");
    }
    assert!(serde_json::from_str::<CsiTally>(r#"{"facility":{"sum":20,"count":2}}"#).is_ok());
    assert!(serde_json::from_str::<CsiTally>(r#"{"pick_up":{}}"#).is_err());
}

// --- tallies: merge and serde -------------------------------------------------

#[test]
fn five_level_and_nps_merge_equals_adding_to_one() {
    let levels: Vec<FiveLevel> = [1, 5, 5, 3, 4, 2, 5]
        .map(|v| FiveLevel::try_from_value(v).unwrap())
        .to_vec();
    let one: FiveLevelTally = levels.iter().copied().collect();
    let mut merged: FiveLevelTally = levels[..3].iter().copied().collect();
    merged.merge(&levels[3..].iter().copied().collect());
    assert_eq!(merged, one);

    let values = [10, 0, 7, 9, 6, 8, 9];
    let one = nps_of(&values);
    let mut merged = nps_of(&values[..2]);
    merged.merge(&nps_of(&values[2..]));
    assert_eq!(merged, one);
    assert_eq!(one.nps(), Some(Decimal::from(100) / Decimal::from(7)));
}

#[test]
fn tally_serde_round_trips() {
    let five: FiveLevelTally = [
        FiveLevel::Satisfied,
        FiveLevel::Satisfied,
        FiveLevel::Dissatisfied,
    ]
    .into_iter()
    .collect();
    let json = serde_json::to_string(&five).unwrap();
    assert_eq!(
        json,
        r#"{"completely_dissatisfied":0,"dissatisfied":1,"acceptable":0,"satisfied":2,"completely_satisfied":0}"#
    );
    assert_eq!(serde_json::from_str::<FiveLevelTally>(&json).unwrap(), five);
    assert!(serde_json::from_str::<FiveLevelTally>(r#"{"neutral":1}"#).is_err());
    assert!(serde_json::from_str::<FiveLevelTally>(r#"{"satisfied":-1}"#).is_err());

    let nps = nps_of(&[9, 7, 0]);
    let json = serde_json::to_string(&nps).unwrap();
    assert_eq!(json, r#"{"promoters":1,"passives":1,"detractors":1}"#);
    assert_eq!(serde_json::from_str::<NpsTally>(&json).unwrap(), nps);
    assert!(serde_json::from_str::<NpsTally>(r#"{"promoter":1}"#).is_err());

    assert_eq!(
        serde_json::to_string(&FiveLevel::CompletelySatisfied).unwrap(),
        "\"completely_satisfied\""
    );
    assert_eq!(
        serde_json::from_str::<WorkloadLevel>("\"overloaded\"").unwrap(),
        WorkloadLevel::Overloaded
    );
    assert_eq!(
        serde_json::from_str::<CsiFactor>("\"vehicle_pick_up\"").unwrap(),
        CsiFactor::VehiclePickUp
    );
    assert!(serde_json::from_str::<FiveLevel>("\"neutral\"").is_err());
}

// --- properties -------------------------------------------------------------

fn recommendation() -> impl Strategy<Value = Recommendation> {
    (0u8..=10).prop_map(r)
}

fn csi_answer() -> impl Strategy<Value = (CsiFactor, Score)> {
    (
        proptest::sample::select(CsiFactor::ALL.to_vec()),
        (1u8..=10).prop_map(s),
    )
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn nps_lies_within_minus_100_and_100(
        promoters in any::<u64>(),
        passives in any::<u64>(),
        detractors in any::<u64>(),
    ) {
        let tally = NpsTally { promoters, passives, detractors };
        let nps = tally.nps().unwrap_or(Decimal::ZERO);
        prop_assert!(nps >= -Decimal::ONE_HUNDRED && nps <= Decimal::ONE_HUNDRED, "{}", nps);
        let rounded = tally.nps_rounded(2).unwrap_or(Decimal::ZERO);
        prop_assert!(rounded >= -Decimal::ONE_HUNDRED && rounded <= Decimal::ONE_HUNDRED);
    }

    #[test]
    fn nps_rounded_is_the_rounded_nps_for_small_counts(
        promoters in 0u64..10_000,
        passives in 0u64..10_000,
        detractors in 0u64..10_000,
        decimals in 0u32..=6,
    ) {
        let tally = NpsTally { promoters, passives, detractors };
        let expected = tally.nps().map(|n| {
            n.round_dp_with_strategy(decimals, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        });
        prop_assert_eq!(tally.nps_rounded(decimals), expected);
        if let Some(rounded) = tally.nps_rounded(decimals) {
            prop_assert_eq!(rounded.scale(), decimals);
        }
    }

    #[test]
    fn nps_merge_equals_sequential_adds(
        values in proptest::collection::vec(recommendation(), 0..40),
        split in 0usize..40,
    ) {
        let bands = NpsBands::default();
        let split = split.min(values.len());
        let mut one = NpsTally::default();
        for v in &values {
            one.add(*v, &bands);
        }
        let (a, b) = values.split_at(split);
        let mut left = NpsTally::default();
        let mut right = NpsTally::default();
        for v in a { left.add(*v, &bands); }
        for v in b { right.add(*v, &bands); }
        left.merge(&right);
        prop_assert_eq!(left, one);
        prop_assert_eq!(one.total(), values.len() as u64);
    }

    #[test]
    fn five_level_mean_lies_within_one_and_five(
        values in proptest::collection::vec(1u8..=5, 1..50),
    ) {
        let tally: FiveLevelTally =
            values.iter().map(|v| FiveLevel::try_from_value(*v).unwrap()).collect();
        let mean = tally.mean().unwrap();
        prop_assert!(mean >= Decimal::ONE && mean <= Decimal::from(5));
        let sum: u32 = values.iter().map(|v| u32::from(*v)).sum();
        let expected = Decimal::from(sum) / Decimal::from(values.len() as u64);
        prop_assert_eq!(mean, expected);
    }

    #[test]
    fn csi_index_lies_within_100_and_1000(
        answers in proptest::collection::vec(csi_answer(), 0..60),
        split in 0usize..60,
    ) {
        let mut one = CsiTally::default();
        for (f, sc) in &answers {
            one.add(*f, *sc);
        }
        let (a, b) = answers.split_at(split.min(answers.len()));
        let mut left = CsiTally::default();
        let mut right = CsiTally::default();
        for (f, sc) in a { left.add(*f, *sc); }
        for (f, sc) in b { right.add(*f, *sc); }
        left.merge(&right);
        prop_assert_eq!(left, one);
        let back: CsiTally = serde_json::from_str(&serde_json::to_string(&one).unwrap()).unwrap();
        prop_assert_eq!(back, one);
        match one.means() {
            Ok(means) => {
                let index = composite_index(&means, &CsiWeights::default());
                prop_assert!(index >= Decimal::from(100) && index <= Decimal::from(1000), "{}", index);
            }
            Err(MeasureError::NoScores(factor)) => prop_assert_eq!(one.count(factor), 0),
            Err(other) => prop_assert!(false, "unexpected {}", other),
        }
    }
}
