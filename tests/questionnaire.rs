//! FU-11 questionnaires, FU-12 process misses, FU-07 SMS replies and
//! SAT-01 bands, through the public API.

use aftersales::{
    AfterSalesAnswers, Answer, AnswerError, AnswerKind, Band, Extent, Policy, ProcessMiss,
    Question, Questionnaire, QuestionnaireForm, Remarks, RuleId, SalesAnswers, SalesScoreBasis,
    SatisfactionPolicy, Score, ScoreBands, SmsReply, YesNo,
};
use proptest::prelude::*;

fn s(v: u8) -> Score {
    Score::try_new(v).unwrap()
}

/// An after-sales form with every process step done.
fn after_sales() -> AfterSalesAnswers {
    AfterSalesAnswers {
        overall: s(9),
        greeted_promptly: YesNo::Yes,
        walk_around_explained: YesNo::Yes,
        explained_and_signed: Extent::Fully,
        delivered_on_time: YesNo::Yes,
        charges_explained_at_vehicle: YesNo::Yes,
        next_service_advised: YesNo::Yes,
        old_parts_shown: YesNo::Yes,
        diagnosis: s(9),
        quality_and_time: s(10),
        remarks: None,
    }
}

/// A sales form with every process step done.
fn sales() -> SalesAnswers {
    SalesAnswers {
        waiting_time: s(8),
        product_information: s(9),
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

fn misses(form: impl Into<Questionnaire>) -> Vec<ProcessMiss> {
    form.into().process_misses().collect()
}

fn miss(question: Question, answer: Answer, checks: RuleId) -> Vec<ProcessMiss> {
    vec![ProcessMiss {
        question,
        answer,
        checks,
    }]
}

const NO: Answer = Answer::YesNo(YesNo::No);

// --- scores ---------------------------------------------------------------

#[test]
fn scores_accept_one_to_ten_only() {
    assert_eq!(Score::try_new(1).unwrap().get(), 1);
    assert_eq!(Score::try_new(10).unwrap().get(), 10);
    assert_eq!(
        Score::try_new(0),
        Err(AnswerError::ScoreOutOfRange("0".into()))
    );
    assert_eq!(
        Score::try_new(11),
        Err(AnswerError::ScoreOutOfRange("11".into()))
    );
}

#[test]
fn scores_parse_from_text() {
    assert_eq!("8".parse::<Score>().unwrap(), s(8));
    assert_eq!(" 10 ".parse::<Score>().unwrap(), s(10));
    assert!(matches!(
        "0".parse::<Score>(),
        Err(AnswerError::ScoreOutOfRange(_))
    ));
    assert!(matches!(
        "11".parse::<Score>(),
        Err(AnswerError::ScoreOutOfRange(_))
    ));
    assert!(matches!(
        "abc".parse::<Score>(),
        Err(AnswerError::NotAScore(_))
    ));
    assert_eq!("".parse::<Score>(), Err(AnswerError::EmptyScore));
    assert_eq!(s(7).to_string(), "7");
}

#[test]
fn serde_rejects_an_invalid_score_in_a_questionnaire() {
    let mut json = serde_json::to_value(Questionnaire::AfterSales(after_sales())).unwrap();
    assert_eq!(json["form"], "after_sales");
    json["diagnosis"] = 11.into();
    let err = serde_json::from_value::<Questionnaire>(json.clone()).unwrap_err();
    assert!(err.to_string().contains("FU-11"), "{err}");
    json["diagnosis"] = 0.into();
    assert!(serde_json::from_value::<Questionnaire>(json).is_err());
    assert!(serde_json::from_str::<Score>("11").is_err());
    assert!(serde_json::from_str::<Score>("-1").is_err());
    assert!(serde_json::from_str::<Score>("\"8\"").is_err());
}

#[test]
fn serde_rejects_unknown_answers_and_empty_remarks() {
    let mut json = serde_json::to_value(Questionnaire::Sales(sales())).unwrap();
    json["mood"] = "good".into();
    assert!(serde_json::from_value::<Questionnaire>(json.clone()).is_err());
    json.as_object_mut().unwrap().remove("mood");
    json["remarks"] = "   ".into();
    assert!(serde_json::from_value::<Questionnaire>(json.clone()).is_err());
    json.as_object_mut().unwrap().remove("remarks");
    let back: Questionnaire = serde_json::from_value(json).unwrap();
    assert_eq!(back.remarks(), None);
}

// --- bands ----------------------------------------------------------------

#[test]
fn default_band_boundaries() {
    let bands = Policy::default().satisfaction().bands;
    assert_eq!(bands.band(s(5)), Band::Dissatisfied);
    assert_eq!(bands.band(s(6)), Band::BasicallySatisfied);
    assert_eq!(bands.band(s(7)), Band::BasicallySatisfied);
    assert_eq!(bands.band(s(8)), Band::FullySatisfied);
    assert_eq!(bands.band(s(1)), Band::Dissatisfied);
    assert_eq!(bands.band(s(10)), Band::FullySatisfied);
    assert_eq!(Band::FullySatisfied.label_zh(), "完全满意");
    assert_eq!(Band::BasicallySatisfied.label_zh(), "基本满意");
    assert_eq!(Band::Dissatisfied.label_zh(), "不满意");
}

#[test]
fn custom_band_boundaries_from_a_policy() {
    let json = r#"{ "satisfaction": { "bands": { "fully_from": 9, "basic_from": 7 } } }"#;
    let policy: Policy = serde_json::from_str(json).unwrap();
    let bands = &policy.satisfaction().bands;
    assert_eq!(bands.band(s(6)), Band::Dissatisfied);
    assert_eq!(bands.band(s(7)), Band::BasicallySatisfied);
    assert_eq!(bands.band(s(8)), Band::BasicallySatisfied);
    assert_eq!(bands.band(s(9)), Band::FullySatisfied);
    let form = Questionnaire::AfterSales(AfterSalesAnswers {
        overall: s(8),
        ..after_sales()
    });
    assert_eq!(form.band(policy.satisfaction()), Band::BasicallySatisfied);
    assert_eq!(
        form.band(Policy::default().satisfaction()),
        Band::FullySatisfied
    );
}

#[test]
fn a_policy_rejects_overlapping_bands() {
    let bad = SatisfactionPolicy {
        bands: ScoreBands {
            fully_from: s(7),
            basic_from: s(7),
        },
        ..SatisfactionPolicy::default()
    };
    let err = Policy::default().with_satisfaction(bad).unwrap_err();
    assert_eq!(err.field, "satisfaction.bands");
    assert_eq!(err.rule, RuleId::Sat01);
    let json = r#"{ "satisfaction": { "bands": { "fully_from": 6, "basic_from": 8 } } }"#;
    let err = serde_json::from_str::<Policy>(json).unwrap_err();
    assert!(err.to_string().contains("SAT-01"), "{err}");
    let json = r#"{ "satisfaction": { "bands": { "fully_from": 11 } } }"#;
    assert!(serde_json::from_str::<Policy>(json).is_err());
}

// --- overall scores and remarks --------------------------------------------

#[test]
fn the_after_sales_overall_is_q1() {
    let form = Questionnaire::AfterSales(AfterSalesAnswers {
        overall: s(4),
        ..after_sales()
    });
    // The after-sales form has an overall question: no basis changes it.
    for basis in [
        SalesScoreBasis::Mean,
        SalesScoreBasis::Min,
        SalesScoreBasis::Question(Question::SalesWaitingTime),
    ] {
        assert_eq!(form.overall(basis), s(4));
    }
    assert_eq!(form.form(), QuestionnaireForm::AfterSales);
    assert_eq!(
        form.answer(Question::AfterSalesOverall),
        Some(Answer::Score(s(4)))
    );
}

/// A sales form with the three scores `q1`, `q2`, `q7`.
fn sales_scored(q1: u8, q2: u8, q7: u8) -> Questionnaire {
    Questionnaire::Sales(SalesAnswers {
        waiting_time: s(q1),
        product_information: s(q2),
        use_and_maintenance: s(q7),
        ..sales()
    })
}

#[test]
fn the_sales_score_is_the_mean_by_default() {
    let policy = Policy::default();
    let satisfaction = policy.satisfaction();
    assert_eq!(satisfaction.sales_score, SalesScoreBasis::Mean);
    // A 5 for the wait and 10s elsewhere: 25 / 3 = 8.33, an 8, fully
    // satisfied (the lowest score would make it dissatisfied).
    let form = sales_scored(5, 10, 10);
    assert_eq!(form.overall(satisfaction.sales_score), s(8));
    assert_eq!(form.band(satisfaction), Band::FullySatisfied);
    assert_eq!(form.overall(SalesScoreBasis::Min), s(5));
    // 8, 9, 10: 9.
    assert_eq!(
        Questionnaire::Sales(sales()).overall(SalesScoreBasis::Mean),
        s(9)
    );
}

#[test]
fn the_sales_mean_rounds_to_the_nearer_whole_score_at_each_band_boundary() {
    let satisfaction = SatisfactionPolicy::default();
    // Fully satisfied from 8: 22 / 3 = 7.33 is a 7, 23 / 3 = 7.67 an 8.
    for (scores, score, band) in [
        ((6, 8, 8), 7, Band::BasicallySatisfied),
        ((7, 8, 8), 8, Band::FullySatisfied),
        ((7, 7, 8), 7, Band::BasicallySatisfied),
        ((8, 8, 8), 8, Band::FullySatisfied),
        // Basically satisfied from 6: 16 / 3 = 5.33 is a 5, 17 / 3 = 5.67
        // a 6.
        ((4, 6, 6), 5, Band::Dissatisfied),
        ((5, 6, 6), 6, Band::BasicallySatisfied),
        ((1, 10, 6), 6, Band::BasicallySatisfied),
        ((1, 1, 2), 1, Band::Dissatisfied),
        ((10, 10, 10), 10, Band::FullySatisfied),
    ] {
        let (q1, q2, q7) = scores;
        let form = sales_scored(q1, q2, q7);
        assert_eq!(form.overall(SalesScoreBasis::Mean), s(score), "{scores:?}");
        assert_eq!(form.band(&satisfaction), band, "{scores:?}");
    }
}

#[test]
fn the_sales_score_basis_is_a_policy_choice() {
    let form = sales_scored(5, 10, 9);
    let band_under = |json: &str| {
        let policy: Policy = serde_json::from_str(json).unwrap();
        (
            form.overall(policy.satisfaction().sales_score),
            form.band(policy.satisfaction()),
        )
    };
    assert_eq!(band_under("{}"), (s(8), Band::FullySatisfied));
    assert_eq!(
        band_under(r#"{ "satisfaction": { "sales_score": "mean" } }"#),
        (s(8), Band::FullySatisfied)
    );
    assert_eq!(
        band_under(r#"{ "satisfaction": { "sales_score": "min" } }"#),
        (s(5), Band::Dissatisfied)
    );
    assert_eq!(
        band_under(
            r#"{ "satisfaction": { "sales_score": { "question": "sales_use_and_maintenance" } } }"#
        ),
        (s(9), Band::FullySatisfied)
    );
    let json = r#"{ "satisfaction": { "sales_score": { "question": "sales_fuel_light_on" } } }"#;
    let err = serde_json::from_str::<Policy>(json).unwrap_err();
    assert!(
        err.to_string().contains("satisfaction.sales_score"),
        "{err}"
    );
    assert!(err.to_string().contains("SAT-01"), "{err}");
}

#[test]
fn under_min_the_lowest_of_q1_q2_q7_decides() {
    for (q, low) in [
        (Question::SalesWaitingTime, s(5)),
        (Question::SalesProductInformation, s(4)),
        (Question::SalesUseAndMaintenance, s(3)),
    ] {
        let mut form = sales();
        match q {
            Question::SalesWaitingTime => form.waiting_time = low,
            Question::SalesProductInformation => form.product_information = low,
            _ => form.use_and_maintenance = low,
        }
        let form = Questionnaire::Sales(form);
        assert_eq!(form.overall(SalesScoreBasis::Min), low, "{q}");
        assert_eq!(form.overall(SalesScoreBasis::Question(q)), low, "{q}");
        let min = SatisfactionPolicy {
            sales_score: SalesScoreBasis::Min,
            ..SatisfactionPolicy::default()
        };
        assert_eq!(form.band(&min), Band::Dissatisfied);
    }
}

#[test]
fn remarks_are_trimmed() {
    let remarks = Remarks::try_new("  洗车很干净，谢谢\n").unwrap();
    assert_eq!(remarks.as_str(), "洗车很干净，谢谢");
    assert_eq!(Remarks::try_new("   "), Err(AnswerError::EmptyRemarks));
    let form = Questionnaire::Sales(SalesAnswers {
        remarks: Some(remarks.clone()),
        ..sales()
    });
    assert_eq!(form.remarks(), Some(&remarks));
    assert_eq!(form.answer(Question::SalesRemarks), None);
    let json = serde_json::to_string(&form).unwrap();
    assert!(json.contains(r#""remarks":"洗车很干净，谢谢""#), "{json}");
}

// --- FU-12: after-sales process misses, one answer flipped at a time ---------

#[test]
fn complete_forms_have_no_misses() {
    assert!(misses(after_sales()).is_empty());
    assert!(misses(sales()).is_empty());
}

#[test]
fn low_scores_are_not_process_misses() {
    let form = AfterSalesAnswers {
        overall: s(1),
        diagnosis: s(1),
        quality_and_time: s(1),
        ..after_sales()
    };
    assert!(misses(form).is_empty());
    let form = SalesAnswers {
        waiting_time: s(1),
        product_information: s(1),
        use_and_maintenance: s(1),
        ..sales()
    };
    assert!(misses(form).is_empty());
}

#[test]
fn after_sales_q2_not_greeted() {
    let form = AfterSalesAnswers {
        greeted_promptly: YesNo::No,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::AfterSalesGreetedPromptly, NO, RuleId::Wo01)
    );
}

#[test]
fn after_sales_q3_no_walk_around() {
    let form = AfterSalesAnswers {
        walk_around_explained: YesNo::No,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::AfterSalesWalkAroundExplained, NO, RuleId::Wo02)
    );
}

#[test]
fn after_sales_q4_partly_explained() {
    let form = AfterSalesAnswers {
        explained_and_signed: Extent::Partly,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(
            Question::AfterSalesExplainedAndSigned,
            Answer::Extent(Extent::Partly),
            RuleId::Wo10
        )
    );
}

#[test]
fn after_sales_q4_not_explained() {
    let form = AfterSalesAnswers {
        explained_and_signed: Extent::Not,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(
            Question::AfterSalesExplainedAndSigned,
            Answer::Extent(Extent::Not),
            RuleId::Wo10
        )
    );
}

#[test]
fn after_sales_q5_late() {
    let form = AfterSalesAnswers {
        delivered_on_time: YesNo::No,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::AfterSalesDeliveredOnTime, NO, RuleId::Wo16)
    );
}

#[test]
fn after_sales_q6_charges_not_explained() {
    let form = AfterSalesAnswers {
        charges_explained_at_vehicle: YesNo::No,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(
            Question::AfterSalesChargesExplainedAtVehicle,
            NO,
            RuleId::Wo21
        )
    );
}

#[test]
fn after_sales_q7_next_service_not_advised() {
    let form = AfterSalesAnswers {
        next_service_advised: YesNo::No,
        ..after_sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::AfterSalesNextServiceAdvised, NO, RuleId::Wo21)
    );
}

#[test]
fn after_sales_q8_old_parts_not_shown() {
    let form = AfterSalesAnswers {
        old_parts_shown: YesNo::No,
        ..after_sales()
    };
    let found = misses(form);
    assert_eq!(
        found,
        miss(Question::AfterSalesOldPartsShown, NO, RuleId::Wo21)
    );
    assert_eq!(found[0].rule(), RuleId::Fu12);
}

#[test]
fn after_sales_misses_come_in_question_order() {
    let form = AfterSalesAnswers {
        greeted_promptly: YesNo::No,
        explained_and_signed: Extent::Partly,
        old_parts_shown: YesNo::No,
        ..after_sales()
    };
    let ids: Vec<&str> = misses(form).iter().map(|m| m.question.id()).collect();
    assert_eq!(ids, ["Q2", "Q4", "Q8"]);
}

// --- FU-12: sales process misses ------------------------------------------

#[test]
fn sales_q3_no_test_drive() {
    let form = SalesAnswers {
        test_drive_offered: YesNo::No,
        ..sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::SalesTestDriveOffered, NO, RuleId::Fu11)
    );
}

#[test]
fn sales_q4_delivery_time_not_met() {
    let form = SalesAnswers {
        delivery_time_met: YesNo::No,
        ..sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::SalesDeliveryTimeMet, NO, RuleId::Fu11)
    );
}

#[test]
fn sales_q5_fuel_light_on_is_the_miss() {
    let on = SalesAnswers {
        fuel_light_on: YesNo::Yes,
        ..sales()
    };
    assert_eq!(
        misses(on),
        miss(
            Question::SalesFuelLightOn,
            Answer::YesNo(YesNo::Yes),
            RuleId::Fu11
        )
    );
    // "No, the light was off" is the good answer.
    let off = SalesAnswers {
        fuel_light_on: YesNo::No,
        ..sales()
    };
    assert!(misses(off).is_empty());
    assert_eq!(
        Question::SalesFuelLightOn.expected(),
        Some(Answer::YesNo(YesNo::No))
    );
}

#[test]
fn sales_q6_questions_not_answered() {
    let form = SalesAnswers {
        questions_answered: YesNo::No,
        ..sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::SalesQuestionsAnswered, NO, RuleId::Fu11)
    );
}

#[test]
fn sales_q8_no_contact_after_delivery() {
    let form = SalesAnswers {
        contacted_after_delivery: YesNo::No,
        ..sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::SalesContactedAfterDelivery, NO, RuleId::Care01)
    );
}

#[test]
fn sales_q9_advisor_not_introduced() {
    let form = SalesAnswers {
        advisor_introduced: YesNo::No,
        ..sales()
    };
    assert_eq!(
        misses(form),
        miss(Question::SalesAdvisorIntroduced, NO, RuleId::Mnt05)
    );
}

#[test]
fn sales_q10_cashier_is_not_a_process_question() {
    let form = SalesAnswers {
        cashier_satisfied: YesNo::No,
        ..sales()
    };
    assert!(misses(form).is_empty());
    assert_eq!(Question::SalesCashierSatisfied.kind(), AnswerKind::YesNo);
    assert_eq!(Question::SalesCashierSatisfied.checks(), None);
}

// --- FU-07: SMS replies ---------------------------------------------------

#[test]
fn sms_replies_keep_any_text_and_a_score_where_there_is_one() {
    let read = |text: &str| {
        text.parse::<SmsReply>()
            .map(|r| (r.text().to_owned(), r.score().map(Score::get)))
    };
    let kept = |text: &str, score: Option<u8>| Ok((text.to_owned(), score));
    assert_eq!(read("8"), kept("8", Some(8)));
    assert_eq!(read(" 10\n"), kept("10", Some(10)));
    assert_eq!(read("８"), kept("８", Some(8)));
    assert_eq!(read("１０"), kept("１０", Some(10)));
    assert_eq!(read("7分"), kept("7分", Some(7)));
    assert_eq!(read("\u{3000}６ 分\u{3000}"), kept("６ 分", Some(6)));
    // Text, or a number outside 1–10: kept, with no score.
    assert_eq!(read("满意"), kept("满意", None));
    assert_eq!(read("很满意"), kept("很满意", None));
    assert_eq!(read("8 谢谢"), kept("8 谢谢", None));
    assert_eq!(read("-3"), kept("-3", None));
    assert_eq!(read("0"), kept("0", None));
    assert_eq!(read("１１"), kept("１１", None));
    // Only an empty reply is refused: there is nothing to keep.
    assert_eq!(read(""), Err(AnswerError::EmptySmsReply));
    assert_eq!(read("  "), Err(AnswerError::EmptySmsReply));
    assert_eq!(AnswerError::EmptySmsReply.rule(), RuleId::Fu07);
    // Why a reply holds no score.
    assert_eq!(
        SmsReply::parse_score("很满意"),
        Err(AnswerError::SmsNotAScore("很满意".into()))
    );
    assert_eq!(
        SmsReply::parse_score(" １１ "),
        Err(AnswerError::SmsOutOfRange("１１".into()))
    );
    assert_eq!(SmsReply::parse_score("9分"), Ok(s(9)));
    // Stored replies: a bare number as before, or the text.
    let reply: SmsReply = serde_json::from_str("9").unwrap();
    assert_eq!(reply.to_string(), "9");
    assert_eq!(
        ScoreBands::default().band(reply.score().unwrap()),
        Band::FullySatisfied
    );
    let reply: SmsReply = serde_json::from_str(r#""满意""#).unwrap();
    assert_eq!((reply.text(), reply.score()), ("满意", None));
    assert_eq!(serde_json::to_string(&reply).unwrap(), r#""满意""#);
    assert!(serde_json::from_str::<SmsReply>(r#""""#).is_err());
}

// --- snapshots ------------------------------------------------------------

#[test]
fn question_list() {
    let mut text = String::new();
    for form in QuestionnaireForm::ALL {
        text.push_str(&format!("## {} ({})\n", form.label_en(), form.label_zh()));
        for q in form.questions() {
            let checks = q.checks().map_or_else(|| "-".to_owned(), |r| r.to_string());
            let expected = q
                .expected()
                .map_or_else(|| "-".to_owned(), |a| a.label_en());
            text.push_str(&format!(
                "{:<4} {:<16} checks {:<7} expects {:<16} {} / {}\n     en: {}\n     zh: {}\n",
                q.id(),
                q.kind().label_en(),
                checks,
                expected,
                q.label_en(),
                q.label_zh(),
                q.text_en(),
                q.text_zh(),
            ));
        }
    }
    insta::assert_snapshot!("questionnaire_questions", text);
}

#[test]
fn answer_messages() {
    let mut lines: Vec<String> = [
        Score::try_new(0).unwrap_err(),
        "11".parse::<Score>().unwrap_err(),
        "abc".parse::<Score>().unwrap_err(),
        "".parse::<Score>().unwrap_err(),
        Remarks::try_new(" ").unwrap_err(),
        SmsReply::parse_score("12分").unwrap_err(),
        SmsReply::parse_score("满意").unwrap_err(),
        "".parse::<SmsReply>().unwrap_err(),
    ]
    .iter()
    .map(|e| format!("{} | {e}", e.rule()))
    .collect();
    let all_no = Questionnaire::AfterSales(AfterSalesAnswers {
        greeted_promptly: YesNo::No,
        walk_around_explained: YesNo::No,
        explained_and_signed: Extent::Partly,
        delivered_on_time: YesNo::No,
        charges_explained_at_vehicle: YesNo::No,
        next_service_advised: YesNo::No,
        old_parts_shown: YesNo::No,
        ..after_sales()
    });
    let all_bad = Questionnaire::Sales(SalesAnswers {
        test_drive_offered: YesNo::No,
        delivery_time_met: YesNo::No,
        fuel_light_on: YesNo::Yes,
        questions_answered: YesNo::No,
        contacted_after_delivery: YesNo::No,
        advisor_introduced: YesNo::No,
        cashier_satisfied: YesNo::No,
        ..sales()
    });
    lines.extend(all_no.process_misses().map(|m| m.to_string()));
    lines.extend(all_bad.process_misses().map(|m| m.to_string()));
    let err = Policy::default()
        .with_satisfaction(SatisfactionPolicy {
            bands: ScoreBands {
                fully_from: s(8),
                basic_from: s(9),
            },
            ..SatisfactionPolicy::default()
        })
        .unwrap_err();
    lines.push(err.to_string());
    insta::assert_snapshot!("answer_messages", lines.join("\n"));
}

// --- properties -----------------------------------------------------------

fn score() -> impl Strategy<Value = Score> {
    (1u8..=10).prop_map(|v| Score::try_new(v).unwrap())
}

fn yes_no() -> impl Strategy<Value = YesNo> {
    prop::sample::select(YesNo::ALL)
}

fn remarks() -> impl Strategy<Value = Option<Remarks>> {
    prop::option::of("[ a-z保养很好]{0,12}[a-z好]".prop_map(|t| Remarks::try_new(t).unwrap()))
}

fn after_sales_answers() -> impl Strategy<Value = AfterSalesAnswers> {
    (
        (
            score(),
            yes_no(),
            yes_no(),
            prop::sample::select(Extent::ALL),
        ),
        (yes_no(), yes_no(), yes_no(), yes_no()),
        (score(), score(), remarks()),
    )
        .prop_map(
            |((o, g, w, e), (d, c, n, p), (dg, qt, r))| AfterSalesAnswers {
                overall: o,
                greeted_promptly: g,
                walk_around_explained: w,
                explained_and_signed: e,
                delivered_on_time: d,
                charges_explained_at_vehicle: c,
                next_service_advised: n,
                old_parts_shown: p,
                diagnosis: dg,
                quality_and_time: qt,
                remarks: r,
            },
        )
}

fn sales_answers() -> impl Strategy<Value = SalesAnswers> {
    (
        (score(), score(), yes_no(), yes_no(), yes_no()),
        (yes_no(), score(), yes_no(), yes_no(), yes_no()),
        remarks(),
    )
        .prop_map(|((w, p, t, d, f), (q, u, c, a, k), r)| SalesAnswers {
            waiting_time: w,
            product_information: p,
            test_drive_offered: t,
            delivery_time_met: d,
            fuel_light_on: f,
            questions_answered: q,
            use_and_maintenance: u,
            contacted_after_delivery: c,
            advisor_introduced: a,
            cashier_satisfied: k,
            remarks: r,
        })
}

fn questionnaire() -> impl Strategy<Value = Questionnaire> {
    prop_oneof![
        after_sales_answers().prop_map(Questionnaire::AfterSales),
        sales_answers().prop_map(Questionnaire::Sales),
    ]
}

/// Valid band limits: 2 ≤ basic_from < fully_from ≤ 10.
fn valid_bands() -> impl Strategy<Value = ScoreBands> {
    (2u8..=9)
        .prop_flat_map(|basic| (Just(basic), basic + 1..=10))
        .prop_map(|(basic, fully)| ScoreBands {
            fully_from: Score::try_new(fully).unwrap(),
            basic_from: Score::try_new(basic).unwrap(),
        })
}

proptest! {
    #![proptest_config(crate::support::cases(256))]

    #[test]
    fn every_u8_is_a_score_or_an_error(v in any::<u8>()) {
        let valid = (1..=10).contains(&v);
        match Score::try_new(v) {
            Ok(score) => { prop_assert!(valid); prop_assert_eq!(score.get(), v); }
            Err(e) => { prop_assert!(!valid); prop_assert_eq!(e, AnswerError::ScoreOutOfRange(v.to_string())); }
        }
        match v.to_string().parse::<Score>() {
            Ok(score) => { prop_assert!(valid); prop_assert_eq!(score.get(), v); }
            Err(_) => prop_assert!(!valid),
        }
        match serde_json::from_str::<Score>(&v.to_string()) {
            Ok(score) => { prop_assert!(valid); prop_assert_eq!(score.get(), v); }
            Err(_) => prop_assert!(!valid),
        }
    }

    #[test]
    fn score_display_round_trips(score in score()) {
        prop_assert_eq!(score.to_string().parse::<Score>().unwrap(), score);
        prop_assert_eq!(score.to_string().parse::<SmsReply>().unwrap().score(), Some(score));
    }

    #[test]
    fn any_sms_reply_with_text_is_kept(text in "\\PC{0,12}") {
        match text.parse::<SmsReply>() {
            Ok(reply) => {
                prop_assert_eq!(reply.text(), text.trim());
                prop_assert_eq!(reply.score(), SmsReply::parse_score(&text).ok());
                let json = serde_json::to_string(&reply).unwrap();
                prop_assert_eq!(serde_json::from_str::<SmsReply>(&json).unwrap(), reply);
            }
            Err(e) => {
                prop_assert_eq!(e, AnswerError::EmptySmsReply);
                prop_assert!(text.trim().is_empty());
            }
        }
    }

    #[test]
    fn bands_partition_one_to_ten_and_are_monotone(bands in valid_bands()) {
        let policy = SatisfactionPolicy {
            bands,
            ..SatisfactionPolicy::default()
        };
        prop_assert!(policy.validate().is_ok());
        // Each score falls in the band whose range holds it, every band is
        // non-empty, and the ranges cover 1–10 without overlap.
        let mut covered = 0u32;
        for band in Band::ALL {
            let (low, high) = bands.range(*band).unwrap();
            prop_assert!(low <= high);
            covered += u32::from(high.get() - low.get() + 1);
            for v in low.get()..=high.get() {
                prop_assert_eq!(bands.band(s(v)), *band);
            }
        }
        prop_assert_eq!(covered, 10);
        // A higher score never lands in a worse band (Ord: best first).
        for v in 1..10u8 {
            prop_assert!(bands.band(s(v + 1)) <= bands.band(s(v)));
        }
    }

    #[test]
    fn questionnaires_round_trip_through_serde(form in questionnaire()) {
        let json = serde_json::to_string(&form).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &form);
        let misses: Vec<ProcessMiss> = form.process_misses().collect();
        let json = serde_json::to_string(&misses).unwrap();
        let back: Vec<ProcessMiss> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, misses);
    }

    #[test]
    fn misses_are_exactly_the_unexpected_process_answers(form in questionnaire()) {
        let misses: Vec<ProcessMiss> = form.process_misses().collect();
        for q in form.form().questions() {
            let missed = misses.iter().find(|m| m.question == *q);
            match (q.expected(), form.answer(*q)) {
                (Some(expected), Some(answer)) if answer != expected => {
                    let m = missed.unwrap();
                    prop_assert_eq!(m.answer, answer);
                    prop_assert_eq!(Some(m.checks), q.checks());
                }
                _ => prop_assert!(missed.is_none()),
            }
        }
    }
}
