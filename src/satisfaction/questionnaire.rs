//! FU-11 and FU-12: the two follow-up questionnaires of \[002\] (表1 the
//! sales form, 表2 the after-sales form), every [`Question`] on them, the
//! answers ([`AfterSalesAnswers`], [`SalesAnswers`], [`Questionnaire`]) and
//! the [`ProcessMiss`]es they reveal.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::answer::{Extent, Remarks, Score, YesNo};
use super::bands::Band;
use super::policy::SatisfactionPolicy;
use crate::rule::RuleId;

words! {
    /// Which questionnaire (FU-11).
    QuestionnaireForm {
        /// The after-sales form (售后回访问卷, 表2 of \[002\]), asked 3–7 days
        /// after a service delivery.
        AfterSales => "after-sales", "售后";
        /// The new-car sales form (销售回访问卷, 表1 of \[002\]), asked 7–10
        /// days after a new-car delivery.
        Sales => "sales", "销售";
    }
}

impl QuestionnaireForm {
    /// The form's questions, Q1 to Q11.
    pub const fn questions(self) -> &'static [Question] {
        match self {
            QuestionnaireForm::AfterSales => AFTER_SALES,
            QuestionnaireForm::Sales => SALES,
        }
    }
}

words! {
    /// What kind of answer a question takes.
    AnswerKind {
        /// A [`Score`](crate::Score) from 1 to 10 (打分1–10分).
        Score => "score 1–10", "打分1–10分";
        /// [`YesNo`](crate::YesNo) (是 / 否).
        YesNo => "yes/no", "是/否";
        /// [`Extent`](crate::Extent): fully, partly or not explained (详细说明 / 部分说明 /
        /// 未说明).
        Extent => "fully/partly/not", "详细/部分/未说明";
        /// Free text, [`Remarks`](crate::Remarks).
        Text => "free text", "意见或建议";
    }
}

/// One closed answer, as read back from a questionnaire with
/// [`Questionnaire::answer`]. The free-text remarks are not an `Answer`;
/// read them with [`Questionnaire::remarks`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A 1–10 score.
    Score(Score),
    /// Yes or no.
    YesNo(YesNo),
    /// Fully, partly or not explained.
    Extent(Extent),
}

impl Answer {
    /// The kind of this answer.
    pub const fn kind(self) -> AnswerKind {
        match self {
            Answer::Score(_) => AnswerKind::Score,
            Answer::YesNo(_) => AnswerKind::YesNo,
            Answer::Extent(_) => AnswerKind::Extent,
        }
    }

    /// English label: the score's number, or the words.
    pub fn label_en(self) -> String {
        match self {
            Answer::Score(s) => s.to_string(),
            Answer::YesNo(a) => a.label_en().to_owned(),
            Answer::Extent(e) => e.label_en().to_owned(),
        }
    }

    /// Chinese label: the score's number, or the words.
    pub fn label_zh(self) -> String {
        match self {
            Answer::Score(s) => s.to_string(),
            Answer::YesNo(a) => a.label_zh().to_owned(),
            Answer::Extent(e) => e.label_zh().to_owned(),
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Score(s) => fmt::Display::fmt(s, f),
            Answer::YesNo(a) => fmt::Display::fmt(a, f),
            Answer::Extent(e) => fmt::Display::fmt(e, f),
        }
    }
}

macro_rules! questions {
    ($(
        $(#[$vm:meta])*
        $v:ident => $form:ident $id:literal $kind:ident, $checks:expr, $expected:expr,
            $label_en:literal, $label_zh:literal,
            $en:literal,
            $zh:literal;
    )+) => {
        /// Every question of both questionnaires (FU-11), after-sales Q1–Q11
        /// then sales Q1–Q11, with its id, form, answer kind, short labels,
        /// full text in English and in Chinese (the source's wording), and
        /// for a process question the rule it tests and the answer the
        /// process expects.
        ///
        /// ```
        /// use aftersales::{AnswerKind, Question, QuestionnaireForm, RuleId};
        ///
        /// let q = Question::AfterSalesOldPartsShown;
        /// assert_eq!(q.id(), "Q8");
        /// assert_eq!(q.form(), QuestionnaireForm::AfterSales);
        /// assert_eq!(q.kind(), AnswerKind::YesNo);
        /// assert_eq!(q.text_zh(), "交车时服务顾问是否向您展示旧件呢？");
        /// assert_eq!(q.checks(), Some(RuleId::Wo21));
        /// assert_eq!(q.to_string(), "after-sales Q8");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Question {
            $($(#[$vm])* $v,)+
        }

        impl Question {
            /// Every question: after-sales Q1–Q11, then sales Q1–Q11.
            pub const ALL: &'static [Question] = &[$(Question::$v),+];

            /// The id on the form, `"Q1"` … `"Q11"`; unique within a form.
            pub const fn id(self) -> &'static str {
                match self { $(Question::$v => $id,)+ }
            }

            /// The form the question is on.
            pub const fn form(self) -> QuestionnaireForm {
                match self { $(Question::$v => QuestionnaireForm::$form,)+ }
            }

            /// The kind of answer it takes.
            pub const fn kind(self) -> AnswerKind {
                match self { $(Question::$v => AnswerKind::$kind,)+ }
            }

            /// A short English label for report columns.
            pub const fn label_en(self) -> &'static str {
                match self { $(Question::$v => $label_en,)+ }
            }

            /// A short Chinese label for report columns.
            pub const fn label_zh(self) -> &'static str {
                match self { $(Question::$v => $label_zh,)+ }
            }

            /// The question as asked, in English.
            pub const fn text_en(self) -> &'static str {
                match self { $(Question::$v => $en,)+ }
            }

            /// The question as asked, in Chinese (the source's wording, with
            /// full-width punctuation).
            pub const fn text_zh(self) -> &'static str {
                match self { $(Question::$v => $zh,)+ }
            }

            /// For a process question (FU-12), the rule whose step it tests;
            /// `None` for the scores, the remarks and the sales cashier
            /// question (see [`ProcessMiss`] for the mapping and why).
            pub const fn checks(self) -> Option<RuleId> {
                match self { $(Question::$v => $checks,)+ }
            }

            /// For a process question, the answer the process expects: `Yes`,
            /// `Fully` for after-sales Q4, and `No` for the sales fuel
            /// warning light. Any other answer is a [`ProcessMiss`].
            pub const fn expected(self) -> Option<Answer> {
                match self { $(Question::$v => $expected,)+ }
            }
        }
    };
}

const YES: Option<Answer> = Some(Answer::YesNo(YesNo::Yes));

questions! {
    /// After-sales Q1: overall satisfaction with this visit, 1–10.
    AfterSalesOverall => AfterSales "Q1" Score, None, None,
        "overall satisfaction", "总体满意度",
        "Overall, how satisfied are you with our service on this visit?",
        "您这次到店对我们的服务总体是否满意呢？";
    /// After-sales Q2: received promptly and greeted warmly.
    AfterSalesGreetedPromptly => AfterSales "Q2" YesNo, Some(RuleId::Wo01), YES,
        "greeted promptly", "及时接待问候",
        "When you arrived, did a service advisor receive you promptly and greet you warmly?",
        "您到店时是否有服务顾问及时接待并热情地问候您？";
    /// After-sales Q3: the walk-around inspection done and explained.
    AfterSalesWalkAroundExplained => AfterSales "Q3" YesNo, Some(RuleId::Wo02), YES,
        "walk-around explained", "环车检查并说明",
        "When you arrived, did the service advisor inspect the outside of your vehicle and explain what was found?",
        "您到店时服务顾问是否对您车辆的外观进行了检查并说明？";
    /// After-sales Q4: items, cost and time explained, order signed. The
    /// source's sentence stops at 保管好 ("keep safe") without saying what
    /// the customer is reminded to keep safe.
    AfterSalesExplainedAndSigned => AfterSales "Q4" Extent, Some(RuleId::Wo10), Some(Answer::Extent(Extent::Fully)),
        "items, cost and time explained and signed", "项目费用时间说明并签字",
        "Did the service advisor explain the maintenance or repair items, the cost and the time, ask you to sign the work order and remind you to keep your things safe?",
        "服务顾问是否向您说明本次保养/维修项目、费用、时间，并请您在施工单上签字确认且提醒您保管好？";
    /// After-sales Q5: delivered on time.
    AfterSalesDeliveredOnTime => AfterSales "Q5" YesNo, Some(RuleId::Wo16), YES,
        "delivered on time", "按时交车",
        "Did the service advisor deliver your vehicle on time?",
        "服务顾问是否按时交车？";
    /// After-sales Q6: charges and work explained, at the vehicle.
    AfterSalesChargesExplainedAtVehicle => AfterSales "Q6" YesNo, Some(RuleId::Wo21), YES,
        "charges and work explained at the vehicle", "解释收费及作业项目（实车确认）",
        "Did someone explain the charges and the work done to you, including at the vehicle?",
        "是否有人向您解释了收费内容及作业项目（含实车确认）？";
    /// After-sales Q7: appointment service and next maintenance advised.
    AfterSalesNextServiceAdvised => AfterSales "Q7" YesNo, Some(RuleId::Wo21), YES,
        "appointment service and next maintenance advised", "宣传预约并建议下次保养",
        "At delivery, did the advisor tell you about our appointment service and advise you on your next maintenance?",
        "交车时，接待人员是否向您宣传我们的预约服务并向您提供下次保养建议呢？";
    /// After-sales Q8: old parts shown.
    AfterSalesOldPartsShown => AfterSales "Q8" YesNo, Some(RuleId::Wo21), YES,
        "old parts shown", "展示旧件",
        "At delivery, did the service advisor show you the replaced parts?",
        "交车时服务顾问是否向您展示旧件呢？";
    /// After-sales Q9: the technicians' diagnosis, 1–10.
    AfterSalesDiagnosis => AfterSales "Q9" Score, None, None,
        "diagnosis ability", "诊断能力",
        "How satisfied are you with our technicians' ability to diagnose what was wrong with your vehicle?",
        "请问，对于我们维修技术人员诊断车辆有问题的能力，您是否满意？";
    /// After-sales Q10: quality and time of the work, 1–10.
    AfterSalesQualityAndTime => AfterSales "Q10" Score, None, None,
        "work quality and time", "作业质量及时间",
        "How satisfied are you with the quality of the repair, maintenance or body and paint work and the time it took?",
        "请问您对车辆的维修/保养/钣喷质量及作业时间是否满意呢？";
    /// After-sales Q11: other comments or suggestions.
    AfterSalesRemarks => AfterSales "Q11" Text, None, None,
        "remarks", "其他意见或建议",
        "Do you have any other comments or suggestions about our products and service?",
        "请问您对我们的产品和服务还有什么其他意见或建议吗？";
    /// Sales Q1: the wait before a sales consultant received you, 1–10.
    SalesWaitingTime => Sales "Q1" Score, None, None,
        "waiting time", "等待时间",
        "How satisfied are you with how long you waited before a sales consultant received you?",
        "对于在销售顾问接待您之前等待时间的长短，您的满意程度如何？";
    /// Sales Q2: the consultant's product information, 1–10.
    SalesProductInformation => Sales "Q2" Score, None, None,
        "product information", "车型信息介绍",
        "How satisfied are you with the sales consultant's ability to give you detailed information on the models you were interested in?",
        "对于销售顾问向您提供感兴趣车型详细信息能力方面，您的满意程度如何？";
    /// Sales Q3: a test drive offered before the purchase.
    SalesTestDriveOffered => Sales "Q3" YesNo, Some(RuleId::Fu11), YES,
        "test drive offered", "建议试乘试驾",
        "Before you bought the car, did the sales consultant offer you a test drive?",
        "在您购买新车前，销售顾问是否向您建议过试乘试驾？";
    /// Sales Q4: the hand-over time met the customer's wishes.
    SalesDeliveryTimeMet => Sales "Q4" YesNo, Some(RuleId::Fu11), YES,
        "delivery time met", "交车时间符合要求",
        "Did the time the sales consultant handed over the car meet your wishes?",
        "请问销售顾问现场交车的时间是否符合您的要求？";
    /// Sales Q5: the fuel warning light on at delivery; here `Yes` is the
    /// bad answer.
    SalesFuelLightOn => Sales "Q5" YesNo, Some(RuleId::Fu11), Some(Answer::YesNo(YesNo::No)),
        "fuel warning light on at delivery", "交车时燃油警示灯亮起",
        "At delivery, was the car's low-fuel warning light on?",
        "交车时，车辆燃油警示灯是否亮起？";
    /// Sales Q6: all questions answered at delivery.
    SalesQuestionsAnswered => Sales "Q6" YesNo, Some(RuleId::Fu11), YES,
        "all questions answered", "解答所有问题",
        "At delivery, did the sales staff answer all your questions?",
        "交车时，销售人员是否解答了您提出的所有问题？";
    /// Sales Q7: the explanation of use and maintenance at delivery, 1–10.
    SalesUseAndMaintenance => Sales "Q7" Score, None, None,
        "use and maintenance explained", "使用及保养介绍",
        "How satisfied are you with the sales consultant's explanation at delivery of how to use and maintain your car?",
        "交车时，销售顾问就您车辆使用和维护保养方面作出的介绍，您的满意程度如何？";
    /// Sales Q8: the consultant got in touch after delivery.
    SalesContactedAfterDelivery => Sales "Q8" YesNo, Some(RuleId::Care01), YES,
        "contacted after delivery", "交车后联系",
        "After delivery, did the sales consultant get in touch to ask how the car is doing?",
        "新车交付后销售顾问是否与您取得联系，了解您的车辆使用状况？";
    /// Sales Q9: a service advisor introduced, first maintenance reminded.
    SalesAdvisorIntroduced => Sales "Q9" YesNo, Some(RuleId::Mnt05), YES,
        "service advisor introduced, first maintenance reminded", "介绍服务顾问并提醒首保",
        "Did the sales staff introduce you to a service advisor, and did the service advisor remind you when the first maintenance is due and leave contact details?",
        "销售人员是否向您介绍了服务顾问？服务顾问有没有提醒您首次保养的时间，并留下了联系方式？";
    /// Sales Q10: satisfied with the cashier's efficiency and attitude
    /// (a yes/no in the source, not a score).
    SalesCashierSatisfied => Sales "Q10" YesNo, None, None,
        "cashier efficiency and attitude", "财务人员效率及态度",
        "At payment, were you satisfied with the efficiency and attitude of the cashier?",
        "请问，结算时您对财务人员的工作效率及服务态度是否满意？";
    /// Sales Q11: other comments or suggestions.
    SalesRemarks => Sales "Q11" Text, None, None,
        "remarks", "其他意见或建议",
        "Do you have any other comments or suggestions about our products and service?",
        "请问您对我们的产品和服务还有什么其他意见或建议吗？";
}

const AFTER_SALES: &[Question] = &[
    Question::AfterSalesOverall,
    Question::AfterSalesGreetedPromptly,
    Question::AfterSalesWalkAroundExplained,
    Question::AfterSalesExplainedAndSigned,
    Question::AfterSalesDeliveredOnTime,
    Question::AfterSalesChargesExplainedAtVehicle,
    Question::AfterSalesNextServiceAdvised,
    Question::AfterSalesOldPartsShown,
    Question::AfterSalesDiagnosis,
    Question::AfterSalesQualityAndTime,
    Question::AfterSalesRemarks,
];

const SALES: &[Question] = &[
    Question::SalesWaitingTime,
    Question::SalesProductInformation,
    Question::SalesTestDriveOffered,
    Question::SalesDeliveryTimeMet,
    Question::SalesFuelLightOn,
    Question::SalesQuestionsAnswered,
    Question::SalesUseAndMaintenance,
    Question::SalesContactedAfterDelivery,
    Question::SalesAdvisorIntroduced,
    Question::SalesCashierSatisfied,
    Question::SalesRemarks,
];

impl fmt::Display for Question {
    /// The form and the id: `after-sales Q8`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.form(), self.id())
    }
}

/// The answers to the after-sales questionnaire (售后服务调查问卷, 表2 of
/// \[002\]), in the order they are asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterSalesAnswers {
    /// Q1: overall satisfaction with this visit; the score SAT-01 bands.
    pub overall: Score,
    /// Q2: a service advisor received the customer promptly and greeted
    /// them warmly.
    pub greeted_promptly: YesNo,
    /// Q3: the advisor inspected the outside of the vehicle and explained
    /// the findings (walk-around, 环车检查).
    pub walk_around_explained: YesNo,
    /// Q4: the advisor explained the items, cost and time and had the work
    /// order signed.
    pub explained_and_signed: Extent,
    /// Q5: the vehicle was delivered on time.
    pub delivered_on_time: YesNo,
    /// Q6: the charges and the work were explained, at the vehicle.
    pub charges_explained_at_vehicle: YesNo,
    /// Q7: the appointment service was promoted and the next maintenance
    /// advised at delivery.
    pub next_service_advised: YesNo,
    /// Q8: the replaced (old) parts were shown at delivery.
    pub old_parts_shown: YesNo,
    /// Q9: satisfaction with the technicians' diagnosis.
    pub diagnosis: Score,
    /// Q10: satisfaction with the quality of the work and the time taken.
    pub quality_and_time: Score,
    /// Q11: free remarks, if the customer had any.
    #[serde(default)]
    pub remarks: Option<Remarks>,
}

impl AfterSalesAnswers {
    /// The overall score: Q1.
    pub const fn overall(&self) -> Score {
        self.overall
    }

    /// The answer to `question`; `None` for a sales question and for Q11
    /// (read [`AfterSalesAnswers::remarks`] instead).
    pub const fn answer(&self, question: Question) -> Option<Answer> {
        Some(match question {
            Question::AfterSalesOverall => Answer::Score(self.overall),
            Question::AfterSalesGreetedPromptly => Answer::YesNo(self.greeted_promptly),
            Question::AfterSalesWalkAroundExplained => Answer::YesNo(self.walk_around_explained),
            Question::AfterSalesExplainedAndSigned => Answer::Extent(self.explained_and_signed),
            Question::AfterSalesDeliveredOnTime => Answer::YesNo(self.delivered_on_time),
            Question::AfterSalesChargesExplainedAtVehicle => {
                Answer::YesNo(self.charges_explained_at_vehicle)
            }
            Question::AfterSalesNextServiceAdvised => Answer::YesNo(self.next_service_advised),
            Question::AfterSalesOldPartsShown => Answer::YesNo(self.old_parts_shown),
            Question::AfterSalesDiagnosis => Answer::Score(self.diagnosis),
            Question::AfterSalesQualityAndTime => Answer::Score(self.quality_and_time),
            _ => return None,
        })
    }
}

/// How the score of a sales questionnaire is formed for table 7 (FU-11,
/// SAT-01, SAT-02): the sales form has no overall question, and \[002\]
/// bands "the" score without saying which. A policy choice
/// ([`SatisfactionPolicy::sales_score`](super::SatisfactionPolicy::sales_score)).
///
/// In JSON: `"mean"`, `"min"` or `{"question": "sales_waiting_time"}`.
///
/// - `Mean` (the crate's default): the mean of Q1, Q2 and Q7 rounded half
///   up to a whole score. Every aspect counts, and a 5 for the wait beside
///   two 10s is an 8. With three questions a mean is a whole number or
///   ends in ⅓ or ⅔, so it rounds to the nearer whole score.
/// - `Min`: the lowest of the three, so one poor aspect decides the band.
/// - `Question`: one named scored question of the sales form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesScoreBasis {
    /// The mean of the scored questions, rounded half up.
    #[default]
    Mean,
    /// The lowest of the scored questions.
    Min,
    /// One scored question of the sales form.
    Question(Question),
}

impl SalesScoreBasis {
    /// The scored questions of the sales form, Q1, Q2 and Q7: what `Mean`
    /// and `Min` read, and what `Question` may name.
    pub const SCORED: &'static [Question] = &[
        Question::SalesWaitingTime,
        Question::SalesProductInformation,
        Question::SalesUseAndMaintenance,
    ];

    /// English words: `mean of Q1, Q2, Q7, rounded half up`.
    pub fn label_en(self) -> String {
        match self {
            SalesScoreBasis::Mean => "mean of Q1, Q2, Q7, rounded half up".to_owned(),
            SalesScoreBasis::Min => "lowest of Q1, Q2, Q7".to_owned(),
            SalesScoreBasis::Question(q) => format!("{} ({})", q.id(), q.label_en()),
        }
    }

    /// Chinese words: `Q1、Q2、Q7平均分（四舍五入）`.
    pub fn label_zh(self) -> String {
        match self {
            SalesScoreBasis::Mean => "Q1、Q2、Q7平均分（四舍五入）".to_owned(),
            SalesScoreBasis::Min => "Q1、Q2、Q7最低分".to_owned(),
            SalesScoreBasis::Question(q) => format!("{}（{}）", q.id(), q.label_zh()),
        }
    }
}

impl fmt::Display for SalesScoreBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_en())
    }
}

/// The mean of `scores` rounded half up to a whole score: `(2·sum + n) /
/// (2n)` in integers. `None` for no scores.
fn mean_half_up(scores: &[Score]) -> Option<Score> {
    // No scores: the division by zero is `None`.
    let n = u32::try_from(scores.len()).ok()?;
    let sum = scores
        .iter()
        .fold(0u32, |s, v| s.saturating_add(u32::from(v.get())));
    let rounded = sum
        .checked_mul(2)?
        .checked_add(n)?
        .checked_div(n.checked_mul(2)?)?;
    Score::try_new(u8::try_from(rounded).ok()?).ok()
}

/// The answers to the new-car sales questionnaire (新车销售调查问卷, 表1 of
/// \[002\]), in the order they are asked.
///
/// The sales form, unlike the after-sales form, has no overall question:
/// Q1, Q2 and Q7 are scores on separate aspects, and \[002\] does not say
/// which score table 7 bands. [`SalesAnswers::overall`] forms it as the
/// policy's [`SalesScoreBasis`] says: by default the **mean** of the three,
/// rounded half up to a whole score, so a 5 for the waiting time beside two
/// 10s is an 8 (fully satisfied), not a 5.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalesAnswers {
    /// Q1: satisfaction with the wait before a sales consultant received
    /// the customer.
    pub waiting_time: Score,
    /// Q2: satisfaction with the consultant's information on the models of
    /// interest.
    pub product_information: Score,
    /// Q3: the consultant offered a test drive before the purchase.
    pub test_drive_offered: YesNo,
    /// Q4: the hand-over time met the customer's wishes.
    pub delivery_time_met: YesNo,
    /// Q5: the fuel warning light was **on** at delivery (`Yes` is bad).
    pub fuel_light_on: YesNo,
    /// Q6: the sales staff answered all the customer's questions at
    /// delivery.
    pub questions_answered: YesNo,
    /// Q7: satisfaction with the explanation of use and maintenance at
    /// delivery.
    pub use_and_maintenance: Score,
    /// Q8: the consultant got in touch after delivery to ask how the car is
    /// doing.
    pub contacted_after_delivery: YesNo,
    /// Q9: the sales staff introduced a service advisor, who reminded the
    /// customer of the first maintenance and left contact details.
    pub advisor_introduced: YesNo,
    /// Q10: satisfied with the cashier's efficiency and attitude at
    /// payment; a yes/no in the source.
    pub cashier_satisfied: YesNo,
    /// Q11: free remarks, if the customer had any.
    #[serde(default)]
    pub remarks: Option<Remarks>,
}

impl SalesAnswers {
    /// The scored answers, Q1 (waiting time), Q2 (product information) and
    /// Q7 (use and maintenance explained), in question order.
    pub const fn scores(&self) -> [Score; 3] {
        [
            self.waiting_time,
            self.product_information,
            self.use_and_maintenance,
        ]
    }

    /// The score SAT-01 bands, formed from Q1, Q2 and Q7 as `basis` says:
    /// their mean rounded half up, their lowest, or one of them.
    ///
    /// A basis naming a question that is not one of the three (which a
    /// validated policy never does) is read as the mean.
    ///
    /// ```
    /// use aftersales::{SalesAnswers, SalesScoreBasis, Question, Score, YesNo};
    ///
    /// let s = |v| Score::try_new(v);
    /// let answers = SalesAnswers {
    ///     waiting_time: s(5)?,
    ///     product_information: s(10)?,
    ///     test_drive_offered: YesNo::Yes,
    ///     delivery_time_met: YesNo::Yes,
    ///     fuel_light_on: YesNo::No,
    ///     questions_answered: YesNo::Yes,
    ///     use_and_maintenance: s(10)?,
    ///     contacted_after_delivery: YesNo::Yes,
    ///     advisor_introduced: YesNo::Yes,
    ///     cashier_satisfied: YesNo::Yes,
    ///     remarks: None,
    /// };
    /// assert_eq!(answers.overall(SalesScoreBasis::Mean), s(8)?); // 25 / 3 = 8.33
    /// assert_eq!(answers.overall(SalesScoreBasis::Min), s(5)?);
    /// let q2 = SalesScoreBasis::Question(Question::SalesProductInformation);
    /// assert_eq!(answers.overall(q2), s(10)?);
    /// # Ok::<(), aftersales::AnswerError>(())
    /// ```
    pub fn overall(&self, basis: SalesScoreBasis) -> Score {
        let scores = self.scores();
        let mean = || mean_half_up(&scores).unwrap_or(self.waiting_time);
        match basis {
            SalesScoreBasis::Mean => mean(),
            SalesScoreBasis::Min => scores.into_iter().min().unwrap_or(self.waiting_time),
            SalesScoreBasis::Question(question) => match self.answer(question) {
                Some(Answer::Score(score)) => score,
                _ => mean(),
            },
        }
    }

    /// The answer to `question`; `None` for an after-sales question and for
    /// Q11 (read [`SalesAnswers::remarks`] instead).
    pub const fn answer(&self, question: Question) -> Option<Answer> {
        Some(match question {
            Question::SalesWaitingTime => Answer::Score(self.waiting_time),
            Question::SalesProductInformation => Answer::Score(self.product_information),
            Question::SalesTestDriveOffered => Answer::YesNo(self.test_drive_offered),
            Question::SalesDeliveryTimeMet => Answer::YesNo(self.delivery_time_met),
            Question::SalesFuelLightOn => Answer::YesNo(self.fuel_light_on),
            Question::SalesQuestionsAnswered => Answer::YesNo(self.questions_answered),
            Question::SalesUseAndMaintenance => Answer::Score(self.use_and_maintenance),
            Question::SalesContactedAfterDelivery => Answer::YesNo(self.contacted_after_delivery),
            Question::SalesAdvisorIntroduced => Answer::YesNo(self.advisor_introduced),
            Question::SalesCashierSatisfied => Answer::YesNo(self.cashier_satisfied),
            _ => return None,
        })
    }
}

/// One completed follow-up questionnaire (FU-11): after-sales or sales.
///
/// Serde writes the form as a `"form"` field beside the answers:
/// `{"form": "after_sales", "overall": 9, …}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Questionnaire {
    /// The after-sales form.
    AfterSales(AfterSalesAnswers),
    /// The new-car sales form.
    Sales(SalesAnswers),
}

impl From<AfterSalesAnswers> for Questionnaire {
    fn from(answers: AfterSalesAnswers) -> Self {
        Questionnaire::AfterSales(answers)
    }
}

impl From<SalesAnswers> for Questionnaire {
    fn from(answers: SalesAnswers) -> Self {
        Questionnaire::Sales(answers)
    }
}

impl Questionnaire {
    /// Which form was answered.
    pub const fn form(&self) -> QuestionnaireForm {
        match self {
            Questionnaire::AfterSales(_) => QuestionnaireForm::AfterSales,
            Questionnaire::Sales(_) => QuestionnaireForm::Sales,
        }
    }

    /// The score SAT-01 bands: after-sales Q1 (the form's overall
    /// question); on the sales form, which has none, Q1, Q2 and Q7 taken
    /// as `basis` says (see [`SalesAnswers::overall`]).
    pub fn overall(&self, basis: SalesScoreBasis) -> Score {
        match self {
            Questionnaire::AfterSales(a) => a.overall(),
            Questionnaire::Sales(s) => s.overall(basis),
        }
    }

    /// The band of [`Questionnaire::overall`] under the policy's sales
    /// score basis and bands (SAT-01).
    pub fn band(&self, policy: &SatisfactionPolicy) -> Band {
        policy.bands.band(self.overall(policy.sales_score))
    }

    /// The free remarks (Q11), if any.
    pub fn remarks(&self) -> Option<&Remarks> {
        match self {
            Questionnaire::AfterSales(a) => a.remarks.as_ref(),
            Questionnaire::Sales(s) => s.remarks.as_ref(),
        }
    }

    /// The answer to `question`; `None` when it is on the other form or is
    /// the free-text Q11.
    pub const fn answer(&self, question: Question) -> Option<Answer> {
        match self {
            Questionnaire::AfterSales(a) => a.answer(question),
            Questionnaire::Sales(s) => s.answer(question),
        }
    }

    /// FU-12: every process question answered other than the process
    /// expects ([`Question::expected`]), in question order. A finding
    /// against the order's service advisor (or the sales consultant) even
    /// when the overall score is high. Allocates nothing.
    pub fn process_misses(&self) -> impl Iterator<Item = ProcessMiss> + '_ {
        self.form().questions().iter().filter_map(move |&question| {
            let checks = question.checks()?;
            let expected = question.expected()?;
            let answer = self.answer(question)?;
            (answer != expected).then_some(ProcessMiss {
                question,
                answer,
                checks,
            })
        })
    }
}

/// A process question answered "no" (FU-12), e.g. after-sales Q8, old parts
/// not shown: a finding against the service advisor (on the sales form,
/// the sales consultant) even when the overall score is high.
///
/// The finding's own rule is FU-12 ([`ProcessMiss::RULE`]); `checks` is the
/// rule whose process step the question tests, so a report can put the
/// customer's word beside what the work order recorded for the same rule:
///
/// | question | checks | why |
/// |---|---|---|
/// | after-sales Q2 greeted promptly | WO-01 | the reception rule; its sources' steps begin 准时接车, 迎接客户 / 问候车主 (the rulebook has no separate greeting rule) |
/// | after-sales Q3 walk-around explained | WO-02 | the walk-around with the customer |
/// | after-sales Q4 explained and signed | WO-10 | the signed order with its items and estimate; the time is WO-09's, but the signature makes it WO-10 |
/// | after-sales Q5 delivered on time | WO-16 | the promised delivery time and telling the customer before it slips |
/// | after-sales Q6 charges explained at the vehicle | WO-21 | delivery explains the work, ideally at the vehicle, and the invoice |
/// | after-sales Q7 next maintenance advised | WO-21 | delivery tells the next maintenance |
/// | after-sales Q8 old parts shown | WO-21 | delivery shows the replaced parts (WO-19 only keeps them) |
/// | sales Q3 test drive, Q4 delivery time, Q5 fuel light, Q6 questions answered | FU-11 | no rulebook rule states these sales steps; the questionnaire itself is the standard |
/// | sales Q8 contacted after delivery | CARE-01 | new-car care contact after delivery |
/// | sales Q9 advisor introduced, first maintenance reminded | MNT-05 | the first maintenance (首保) the customer is reminded of |
///
/// After-sales Q4 is a miss when `Partly` as well as `Not`: WO-10 wants the
/// items, the estimate and the time all on the signed order, so a partial
/// explanation leaves part of what the customer signed unexplained. The
/// `answer` keeps `Partly` apart from `Not` for reports that weigh them.
///
/// The scores (after-sales Q1, Q9, Q10; sales Q1, Q2, Q7) are not process
/// questions; nor is sales Q10, a yes/no on satisfaction with the cashier
/// (finance staff), not a step of the consultant's process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessMiss {
    /// The question.
    pub question: Question,
    /// The answer given.
    pub answer: Answer,
    /// The rule whose process step the question tests.
    pub checks: RuleId,
}

impl ProcessMiss {
    /// The rule of the finding itself: FU-12.
    pub const RULE: RuleId = RuleId::Fu12;

    /// The rule of the finding itself: FU-12.
    pub const fn rule(&self) -> RuleId {
        ProcessMiss::RULE
    }
}

impl fmt::Display for ProcessMiss {
    /// `after-sales Q8 old parts shown: no (FU-12, tests WO-21)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} ({}, tests {})",
            self.question,
            self.question.label_en(),
            self.answer,
            self.rule(),
            self.checks
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn s(v: u8) -> Score {
        Score::try_new(v).unwrap()
    }

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
            quality_and_time: s(8),
            remarks: None,
        }
    }

    fn sales() -> SalesAnswers {
        SalesAnswers {
            waiting_time: s(9),
            product_information: s(10),
            test_drive_offered: YesNo::Yes,
            delivery_time_met: YesNo::Yes,
            fuel_light_on: YesNo::No,
            questions_answered: YesNo::Yes,
            use_and_maintenance: s(8),
            contacted_after_delivery: YesNo::Yes,
            advisor_introduced: YesNo::Yes,
            cashier_satisfied: YesNo::Yes,
            remarks: None,
        }
    }

    #[test]
    fn each_form_lists_q1_to_q11_once() {
        for form in QuestionnaireForm::ALL {
            let qs = form.questions();
            assert_eq!(qs.len(), 11);
            for (i, q) in qs.iter().enumerate() {
                assert_eq!(q.form(), *form);
                assert_eq!(q.id(), format!("Q{}", i + 1));
            }
            assert_eq!(qs[10].kind(), AnswerKind::Text);
        }
        assert_eq!(Question::ALL.len(), 22);
        let both: Vec<Question> = [AFTER_SALES, SALES].concat();
        assert_eq!(both, Question::ALL);
    }

    #[test]
    fn process_questions_expect_an_answer_of_their_kind() {
        for q in Question::ALL {
            assert_eq!(q.checks().is_some(), q.expected().is_some(), "{q}");
            if let Some(expected) = q.expected() {
                assert_eq!(expected.kind(), q.kind(), "{q}");
            }
        }
    }

    #[test]
    fn answers_have_the_kind_of_their_question() {
        let a = Questionnaire::AfterSales(after_sales());
        let b = Questionnaire::Sales(sales());
        for q in Question::ALL {
            let (own, other) = match q.form() {
                QuestionnaireForm::AfterSales => (&a, &b),
                QuestionnaireForm::Sales => (&b, &a),
            };
            assert_eq!(other.answer(*q), None, "{q}");
            match own.answer(*q) {
                Some(answer) => assert_eq!(answer.kind(), q.kind(), "{q}"),
                None => assert_eq!(q.kind(), AnswerKind::Text, "{q}"),
            }
        }
    }

    #[test]
    fn a_clean_form_has_no_misses() {
        assert_eq!(
            Questionnaire::AfterSales(after_sales())
                .process_misses()
                .count(),
            0
        );
        assert_eq!(Questionnaire::Sales(sales()).process_misses().count(), 0);
    }

    #[test]
    fn partly_and_not_are_both_misses() {
        for extent in [Extent::Partly, Extent::Not] {
            let mut a = after_sales();
            a.explained_and_signed = extent;
            let misses: Vec<_> = Questionnaire::AfterSales(a).process_misses().collect();
            assert_eq!(
                misses,
                [ProcessMiss {
                    question: Question::AfterSalesExplainedAndSigned,
                    answer: Answer::Extent(extent),
                    checks: RuleId::Wo10,
                }]
            );
        }
    }

    #[test]
    fn the_sales_score_follows_the_basis() {
        let mut b = sales();
        // 9, 10, 8: the mean is 9.
        assert_eq!(b.overall(SalesScoreBasis::Mean).get(), 9);
        assert_eq!(b.overall(SalesScoreBasis::Min).get(), 8);
        b.waiting_time = s(3);
        let form = Questionnaire::Sales(b);
        assert_eq!(form.overall(SalesScoreBasis::Min).get(), 3);
        // 3, 10, 8: 21 / 3 = 7.
        assert_eq!(form.overall(SalesScoreBasis::Mean).get(), 7);
        for (q, v) in [
            (Question::SalesWaitingTime, 3),
            (Question::SalesProductInformation, 10),
            (Question::SalesUseAndMaintenance, 8),
        ] {
            assert_eq!(form.overall(SalesScoreBasis::Question(q)).get(), v);
        }
        // Not a scored sales question: read as the mean.
        for q in [Question::AfterSalesOverall, Question::SalesTestDriveOffered] {
            assert_eq!(form.overall(SalesScoreBasis::Question(q)).get(), 7);
        }
        // The after-sales form has its own overall question.
        let a = Questionnaire::AfterSales(after_sales());
        for basis in [SalesScoreBasis::Mean, SalesScoreBasis::Min] {
            assert_eq!(a.overall(basis).get(), 9);
        }
    }

    #[test]
    fn the_mean_rounds_half_up() {
        let mean = |v: &[u8]| {
            let scores: Vec<Score> = v.iter().map(|n| s(*n)).collect();
            mean_half_up(&scores).map(Score::get)
        };
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[7, 8]), Some(8)); // 7.5 up
        assert_eq!(mean(&[6, 7]), Some(7)); // 6.5 up
        assert_eq!(mean(&[5, 6]), Some(6)); // 5.5 up
        assert_eq!(mean(&[7, 7, 8]), Some(7)); // 7.33 down
        assert_eq!(mean(&[7, 8, 8]), Some(8)); // 7.67 up
        assert_eq!(mean(&[1, 1, 2]), Some(1));
        assert_eq!(mean(&[10, 10, 10]), Some(10));
        assert_eq!(mean(&[1]), Some(1));
    }

    #[test]
    fn basis_labels() {
        assert_eq!(SalesScoreBasis::default(), SalesScoreBasis::Mean);
        assert_eq!(
            SalesScoreBasis::Mean.to_string(),
            "mean of Q1, Q2, Q7, rounded half up"
        );
        assert_eq!(
            SalesScoreBasis::Mean.label_zh(),
            "Q1、Q2、Q7平均分（四舍五入）"
        );
        assert_eq!(SalesScoreBasis::Min.label_en(), "lowest of Q1, Q2, Q7");
        assert_eq!(SalesScoreBasis::Min.label_zh(), "Q1、Q2、Q7最低分");
        let q = SalesScoreBasis::Question(Question::SalesWaitingTime);
        assert_eq!(q.label_en(), "Q1 (waiting time)");
        assert_eq!(q.label_zh(), "Q1（等待时间）");
    }

    #[test]
    fn misses_display_their_rules() {
        let mut a = after_sales();
        a.old_parts_shown = YesNo::No;
        let miss = Questionnaire::AfterSales(a)
            .process_misses()
            .next()
            .unwrap();
        assert_eq!(
            miss.to_string(),
            "after-sales Q8 old parts shown: no (FU-12, tests WO-21)"
        );
        assert_eq!(miss.rule(), RuleId::Fu12);
    }
}
