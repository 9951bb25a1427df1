//! Satisfaction: the follow-up questionnaires (FU-11), the process misses
//! they reveal (FU-12), the SMS score (FU-07), the score bands (SAT-01),
//! the monthly rate reports (SAT-02 … SAT-04, SAT-09) and the other
//! measures (SAT-05 … SAT-10).
//!
//! Start from [`Questionnaire`]: an after-sales ([`AfterSalesAnswers`]) or a
//! sales ([`SalesAnswers`]) form as the follow-up specialist filled it in.
//! Its [`Questionnaire::overall`] [`Score`] (on the sales form, which has
//! no overall question, formed as the policy's [`SalesScoreBasis`] says)
//! falls into a [`Band`] under the policy's [`ScoreBands`], and
//! [`Questionnaire::process_misses`] lists each process question answered
//! "no" as a [`ProcessMiss`]. [`Question`] lists
//! every question of both forms with its text in English and Chinese; a
//! customer who could only be reached by SMS sends an [`SmsReply`].
//!
//! Every vehicle of the month becomes one [`RateRecord`] with its
//! [`FollowUpResult`] ([`FollowUpResult::of_task`] reads a finished
//! follow-up task). A [`RateReport`] counts them in one pass, per advisor
//! or consultant, per team and in total, merges with the report of other
//! records, and is shown under the policy as a [`RateSheet`]: tables 7 and
//! 8 of \[002\] with their rates, the NPS and the advisor-days over the
//! workload limit. [`NpsTally`], [`FiveLevelTally`], [`Expectations`],
//! [`FactorTally`], [`WorkloadLimits::level`] and [`composite_index`]
//! cover the other measures.
//!
//! ```
//! use aftersales::{
//!     AfterSalesAnswers, Band, Extent, Policy, Question, Questionnaire, RuleId, Score, YesNo,
//! };
//!
//! // Happy overall, but the old parts were not shown at delivery.
//! let form = Questionnaire::AfterSales(AfterSalesAnswers {
//!     overall: "9".parse()?,
//!     greeted_promptly: YesNo::Yes,
//!     walk_around_explained: YesNo::Yes,
//!     explained_and_signed: Extent::Fully,
//!     delivered_on_time: YesNo::Yes,
//!     charges_explained_at_vehicle: YesNo::Yes,
//!     next_service_advised: YesNo::Yes,
//!     old_parts_shown: YesNo::No,
//!     diagnosis: Score::try_new(9)?,
//!     quality_and_time: Score::try_new(8)?,
//!     remarks: None,
//! });
//! let policy = Policy::default();
//! assert_eq!(form.band(policy.satisfaction()), Band::FullySatisfied);
//!
//! let misses: Vec<_> = form.process_misses().collect();
//! assert_eq!(misses.len(), 1);
//! assert_eq!(misses[0].question, Question::AfterSalesOldPartsShown);
//! assert_eq!(misses[0].rule(), RuleId::Fu12); // the finding
//! assert_eq!(misses[0].checks, RuleId::Wo21); // the step it tests
//! # Ok::<(), aftersales::AnswerError>(())
//! ```

mod answer;
mod bands;
mod measures;
mod policy;
mod questionnaire;
mod report;

pub use answer::{AnswerError, Extent, Recommendation, Remarks, Score, SmsReply, YesNo};
pub use bands::{Band, ScoreBands};
pub use measures::{
    CsiFactor, CsiTally, Expectations, Factor, FactorScores, FactorTally, FiveLevel,
    FiveLevelTally, MeasureError, NpsGroup, NpsTally, Perception, WorkloadLevel, composite_index,
};
pub use policy::{CsiWeights, NpsBands, SatisfactionPolicy, WorkloadLimits};
pub use questionnaire::{
    AfterSalesAnswers, Answer, AnswerKind, ProcessMiss, Question, Questionnaire, QuestionnaireForm,
    SalesAnswers, SalesScoreBasis,
};
pub use report::{
    Counts, FollowUpResult, MAX_PERIOD_DAYS, RateColumn, RateRecord, RateReport, RateRow,
    RateSheet, RateTable, ReportError, RowLabel, ScoreSource, ShownRate, UnsuccessfulKind,
    WorkloadFlag,
};
