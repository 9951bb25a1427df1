//! The answers a customer gives on the follow-up call (FU-11) or by SMS
//! (FU-07): [`Score`], [`YesNo`], [`Extent`], [`Remarks`], [`SmsReply`],
//! and [`AnswerError`] when the input is not one of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::rule::RuleId;

/// An answer that cannot be recorded: a score outside 1–10, text that is
/// not a score, empty remarks. Always malformed input, never a process
/// finding (those are [`ProcessMiss`](super::ProcessMiss)es).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// A number outside 1–10 (the input, trimmed).
    #[error("score `{0}` is outside 1–10 (FU-11)")]
    ScoreOutOfRange(String),
    /// Text that is not a whole number (the input, trimmed).
    #[error("`{0}` is not a score from 1 to 10 (FU-11)")]
    NotAScore(String),
    /// Nothing but whitespace where a score was expected.
    #[error("score is empty (FU-11)")]
    EmptyScore,
    /// Remarks with nothing but whitespace; leave them out instead.
    #[error("remarks are empty (FU-11)")]
    EmptyRemarks,
    /// An SMS reply with a number outside 1–10 (the reply, trimmed).
    #[error("sms reply `{0}` is outside 1–10 (FU-07)")]
    SmsOutOfRange(String),
    /// An SMS reply that is not a score (the reply, trimmed), e.g. `满意`:
    /// the reply is kept as text for a person to read (see
    /// [`SmsReply::parse_score`]).
    #[error("sms reply `{0}` is not a score from 1 to 10 (FU-07)")]
    SmsNotAScore(String),
    /// An empty SMS reply.
    #[error("sms reply is empty (FU-07)")]
    EmptySmsReply,
    /// A recommendation score outside 0–10 (the input, trimmed).
    #[error("recommendation `{0}` is outside 0–10 (SAT-07)")]
    RecommendationOutOfRange(String),
    /// Text that is not a whole number (the input, trimmed).
    #[error("`{0}` is not a recommendation from 0 to 10 (SAT-07)")]
    NotARecommendation(String),
}

impl AnswerError {
    /// The rule the input failed: FU-07 for SMS replies, FU-11 otherwise.
    pub const fn rule(&self) -> RuleId {
        match self {
            AnswerError::SmsOutOfRange(_)
            | AnswerError::SmsNotAScore(_)
            | AnswerError::EmptySmsReply => RuleId::Fu07,
            AnswerError::RecommendationOutOfRange(_) | AnswerError::NotARecommendation(_) => {
                RuleId::Sat07
            }
            AnswerError::ScoreOutOfRange(_)
            | AnswerError::NotAScore(_)
            | AnswerError::EmptyScore
            | AnswerError::EmptyRemarks => RuleId::Fu11,
        }
    }
}

/// A score from 1 to 10, as asked on both questionnaires ("打分1–10分",
/// FU-11) and in the SMS follow-up (FU-07).
///
/// The form has no 0: a 0 or an 11 is an error, never clamped. Serde reads
/// and writes a plain number and checks it the same way.
///
/// ```
/// use aftersales::Score;
///
/// let score: Score = " 8 ".parse()?;
/// assert_eq!(score.get(), 8);
/// assert_eq!(score, Score::try_new(8)?);
/// assert!(Score::try_new(0).is_err());
/// assert_eq!(
///     Score::try_new(11).unwrap_err().to_string(),
///     "score `11` is outside 1–10 (FU-11)"
/// );
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl Score {
    /// The lowest score, 1.
    pub const MIN: Score = Score(1);
    /// The highest score, 10.
    pub const MAX: Score = Score(10);
    /// 8: where the fully-satisfied band starts by default (SAT-01).
    pub(super) const FULLY_FROM: Score = Score(8);
    /// 6: where the basically-satisfied band starts by default (SAT-01).
    pub(super) const BASIC_FROM: Score = Score(6);

    /// Checks that `value` is 1–10 and wraps it.
    ///
    /// # Errors
    ///
    /// [`AnswerError::ScoreOutOfRange`] for 0 and for 11 and above.
    pub fn try_new(value: u8) -> Result<Score, AnswerError> {
        if (Score::MIN.0..=Score::MAX.0).contains(&value) {
            Ok(Score(value))
        } else {
            Err(AnswerError::ScoreOutOfRange(value.to_string()))
        }
    }

    /// The score, 1–10.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Score {
    type Error = AnswerError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Score::try_new(value)
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

/// How a text failed to be a score.
enum Unparsed {
    Empty,
    NotANumber,
    OutOfRange,
}

/// `text` (already trimmed) as ASCII digits naming 1–10.
fn parse_digits(text: &str) -> Result<Score, Unparsed> {
    if text.is_empty() {
        return Err(Unparsed::Empty);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unparsed::NotANumber);
    }
    // All digits: the only way `parse` fails is a number above `u8::MAX`.
    text.parse::<u8>()
        .ok()
        .and_then(|n| Score::try_new(n).ok())
        .ok_or(Unparsed::OutOfRange)
}

impl FromStr for Score {
    type Err = AnswerError;

    /// Parses ASCII digits with surrounding whitespace: `"8"`, `" 10 "`,
    /// `"08"`. No sign, no decimals, no words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        parse_digits(text).map_err(|e| match e {
            Unparsed::Empty => AnswerError::EmptyScore,
            Unparsed::NotANumber => AnswerError::NotAScore(text.to_owned()),
            Unparsed::OutOfRange => AnswerError::ScoreOutOfRange(text.to_owned()),
        })
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

words! {
    /// A yes/no answer (是 / 否).
    YesNo {
        /// Yes (是).
        Yes => "yes", "是";
        /// No (否).
        No => "no", "否";
    }
}

words! {
    /// How far the service advisor explained the items, cost and time and
    /// had the order signed (after-sales Q4: 详细说明 / 部分说明 / 未说明).
    Extent {
        /// Fully explained (详细说明).
        Fully => "fully explained", "详细说明";
        /// Partly explained (部分说明).
        Partly => "partly explained", "部分说明";
        /// Not explained (未说明).
        Not => "not explained", "未说明";
    }
}

/// The customer's free remarks (Q11 on both forms: 其他意见或建议), trimmed
/// and never empty: a customer with nothing to add has no remarks (`None`),
/// not an empty string.
///
/// ```
/// use aftersales::Remarks;
///
/// let remarks = Remarks::try_new("  休息室的茶水不错  ")?;
/// assert_eq!(remarks.as_str(), "休息室的茶水不错");
/// assert!(Remarks::try_new(" \n ").is_err());
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Remarks(String);

impl Remarks {
    /// Trims `text` and wraps it.
    ///
    /// # Errors
    ///
    /// [`AnswerError::EmptyRemarks`] when nothing but whitespace is left.
    pub fn try_new(text: impl Into<String>) -> Result<Remarks, AnswerError> {
        let text = text.into();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err(AnswerError::EmptyRemarks)
        } else if trimmed.len() == text.len() {
            Ok(Remarks(text))
        } else {
            Ok(Remarks(trimmed.to_owned()))
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Remarks {
    type Error = AnswerError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Remarks::try_new(text)
    }
}

impl From<Remarks> for String {
    fn from(remarks: Remarks) -> String {
        remarks.0
    }
}

impl FromStr for Remarks {
    type Err = AnswerError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Remarks::try_new(s)
    }
}

impl AsRef<str> for Remarks {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Remarks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A customer's reply to the SMS follow-up (FU-07), as the customer wrote
/// it: 表13 of \[002\] (短信发送记录表) records every reply's content, so
/// any text is kept, and a score is derived only where the reply holds
/// one.
///
/// The text is kept trimmed of surrounding whitespace; a reply with nothing
/// else is [`AnswerError::EmptySmsReply`]. [`SmsReply::score`] reads the
/// template's "请回复按照1-10分打分" the way people type on a phone, and
/// nothing more:
///
/// - ASCII digits `0`–`9` and full-width digits `０`–`９`, also mixed;
/// - one optional trailing `分` ("points"), e.g. `8分`, `１０ 分`;
/// - surrounding whitespace, including the ideographic space `U+3000`.
///
/// Anything else (`满意`, `8/10`, `8 谢谢`, `8.5`) and a number outside 1–10
/// is kept as text with no score, for a person to read;
/// [`SmsReply::parse_score`] says why a text holds no score.
///
/// Serde writes the text as a string. It reads a string, or a bare number
/// as stored before replies were kept as text (`9`).
///
/// ```
/// use aftersales::SmsReply;
///
/// let reply: SmsReply = " ９分 ".parse()?;
/// assert_eq!(reply.text(), "９分");
/// assert_eq!(reply.score().map(|s| s.get()), Some(9));
///
/// let words: SmsReply = "满意，谢谢".parse()?;
/// assert_eq!(words.text(), "满意，谢谢");
/// assert_eq!(words.score(), None);
/// assert!("  ".parse::<SmsReply>().is_err());
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "ReplyRepr", into = "String")]
pub struct SmsReply {
    text: String,
    score: Option<Score>,
}

impl SmsReply {
    /// The reply `text`, trimmed, with the score it holds, if any.
    ///
    /// # Errors
    ///
    /// [`AnswerError::EmptySmsReply`] when nothing but whitespace is left.
    pub fn try_new(text: impl Into<String>) -> Result<SmsReply, AnswerError> {
        let text = text.into();
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(AnswerError::EmptySmsReply);
        }
        let score = SmsReply::parse_score(trimmed).ok();
        let text = if trimmed.len() == text.len() {
            text
        } else {
            trimmed.to_owned()
        };
        Ok(SmsReply { text, score })
    }

    /// The reply as the customer wrote it, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The score the reply holds, if it is one (see the type's
    /// documentation).
    pub const fn score(&self) -> Option<Score> {
        self.score
    }

    /// Reads `text` as a 1–10 score the way [`SmsReply::score`] does, and
    /// says why when it is not one. Not a refusal: the reply is kept either
    /// way.
    ///
    /// # Errors
    ///
    /// [`AnswerError::EmptySmsReply`] for nothing but whitespace;
    /// [`AnswerError::SmsOutOfRange`] for a number outside 1–10;
    /// [`AnswerError::SmsNotAScore`] for anything else that is not a
    /// score (the text, trimmed).
    pub fn parse_score(text: &str) -> Result<Score, AnswerError> {
        let text = text.trim();
        let number = text.strip_suffix('分').map_or(text, str::trim_end);
        let digits: String = number.chars().map(ascii_digit).collect();
        parse_digits(&digits).map_err(|e| match e {
            Unparsed::Empty if text.is_empty() => AnswerError::EmptySmsReply,
            Unparsed::Empty | Unparsed::NotANumber => AnswerError::SmsNotAScore(text.to_owned()),
            Unparsed::OutOfRange => AnswerError::SmsOutOfRange(text.to_owned()),
        })
    }
}

impl From<Score> for SmsReply {
    /// A reply of just the score's number.
    fn from(score: Score) -> SmsReply {
        SmsReply {
            text: score.to_string(),
            score: Some(score),
        }
    }
}

impl From<SmsReply> for String {
    fn from(reply: SmsReply) -> String {
        reply.text
    }
}

/// How a reply is read: text, or a bare number as stored before replies
/// were kept as text.
#[derive(Deserialize)]
#[serde(untagged)]
enum ReplyRepr {
    Number(u64),
    Text(String),
}

impl TryFrom<ReplyRepr> for SmsReply {
    type Error = AnswerError;
    fn try_from(repr: ReplyRepr) -> Result<Self, Self::Error> {
        match repr {
            ReplyRepr::Number(n) => SmsReply::try_new(n.to_string()),
            ReplyRepr::Text(text) => SmsReply::try_new(text),
        }
    }
}

/// `c` with a full-width digit (`０`–`９`) mapped to its ASCII digit.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => {
            let offset = u32::from(c).saturating_sub(u32::from('０'));
            char::from_digit(offset, 10).unwrap_or(c)
        }
        other => other,
    }
}

impl FromStr for SmsReply {
    type Err = AnswerError;

    /// [`SmsReply::try_new`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SmsReply::try_new(s)
    }
}

impl AsRef<str> for SmsReply {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SmsReply {
    /// The text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_one_to_ten_and_never_clamped() {
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
        assert_eq!(Score::MIN.get(), 1);
        assert_eq!(Score::MAX.get(), 10);
        assert!(Score::FULLY_FROM > Score::BASIC_FROM);
    }

    #[test]
    fn scores_parse_from_trimmed_digits() {
        assert_eq!("8".parse::<Score>().unwrap().get(), 8);
        assert_eq!(" 10\n".parse::<Score>().unwrap().get(), 10);
        assert_eq!("08".parse::<Score>().unwrap().get(), 8);
        assert_eq!("".parse::<Score>(), Err(AnswerError::EmptyScore));
        assert_eq!("  ".parse::<Score>(), Err(AnswerError::EmptyScore));
        assert_eq!(
            "0".parse::<Score>(),
            Err(AnswerError::ScoreOutOfRange("0".into()))
        );
        assert_eq!(
            " 11 ".parse::<Score>(),
            Err(AnswerError::ScoreOutOfRange("11".into()))
        );
        assert_eq!(
            "300".parse::<Score>(),
            Err(AnswerError::ScoreOutOfRange("300".into()))
        );
        assert_eq!(
            "abc".parse::<Score>(),
            Err(AnswerError::NotAScore("abc".into()))
        );
        assert_eq!(
            "+8".parse::<Score>(),
            Err(AnswerError::NotAScore("+8".into()))
        );
        assert_eq!(
            "８".parse::<Score>(),
            Err(AnswerError::NotAScore("８".into()))
        );
        assert_eq!(Score::try_new(7).unwrap().to_string(), "7");
    }

    #[test]
    fn messages_follow_the_house_style() {
        assert_eq!(
            AnswerError::ScoreOutOfRange("11".into()).to_string(),
            "score `11` is outside 1–10 (FU-11)"
        );
        assert_eq!(
            AnswerError::NotAScore("abc".into()).to_string(),
            "`abc` is not a score from 1 to 10 (FU-11)"
        );
        assert_eq!(
            AnswerError::SmsNotAScore("满意".into()).to_string(),
            "sms reply `满意` is not a score from 1 to 10 (FU-07)"
        );
        assert_eq!(AnswerError::EmptySmsReply.rule(), RuleId::Fu07);
        assert_eq!(AnswerError::EmptyRemarks.rule(), RuleId::Fu11);
    }

    #[test]
    fn remarks_are_trimmed_and_not_empty() {
        assert_eq!(Remarks::try_new(" fine ").unwrap().as_str(), "fine");
        assert_eq!(Remarks::try_new("fine").unwrap().to_string(), "fine");
        assert_eq!(
            Remarks::try_new("\u{3000}好\u{3000}").unwrap().as_str(),
            "好"
        );
        assert_eq!(Remarks::try_new(""), Err(AnswerError::EmptyRemarks));
        assert_eq!("\t\n".parse::<Remarks>(), Err(AnswerError::EmptyRemarks));
    }

    #[test]
    fn sms_replies_accept_full_width_digits_and_fen() {
        let score = |s: &str| SmsReply::parse_score(s).map(Score::get);
        assert_eq!(score("8"), Ok(8));
        assert_eq!(score(" 10 \n"), Ok(10));
        assert_eq!(score("８"), Ok(8));
        assert_eq!(score("１０"), Ok(10));
        assert_eq!(score("1０"), Ok(10));
        assert_eq!(score("\u{3000}９\u{3000}"), Ok(9));
        assert_eq!(score("9分"), Ok(9));
        assert_eq!(score("１０ 分"), Ok(10));
        assert_eq!(score(""), Err(AnswerError::EmptySmsReply));
        assert_eq!(score("分"), Err(AnswerError::SmsNotAScore("分".into())));
        assert_eq!(score("满意"), Err(AnswerError::SmsNotAScore("满意".into())));
        assert_eq!(score("8/10"), Err(AnswerError::SmsNotAScore("8/10".into())));
        assert_eq!(score("8.5"), Err(AnswerError::SmsNotAScore("8.5".into())));
        assert_eq!(score("０"), Err(AnswerError::SmsOutOfRange("０".into())));
        assert_eq!(
            score("11分"),
            Err(AnswerError::SmsOutOfRange("11分".into()))
        );
        assert_eq!(
            score("8分分"),
            Err(AnswerError::SmsNotAScore("8分分".into()))
        );
    }

    #[test]
    fn sms_replies_keep_any_text() {
        let reply = SmsReply::try_new(" 满意 ").unwrap();
        assert_eq!(reply.text(), "满意");
        assert_eq!(reply.score(), None);
        assert_eq!(reply.to_string(), "满意");
        assert_eq!(reply.as_ref(), "满意");
        let reply = SmsReply::try_new("9分").unwrap();
        assert_eq!(reply.text(), "9分");
        assert_eq!(reply.score(), Some(Score::try_new(9).unwrap()));
        // Outside 1–10: kept, with no score.
        for text in ["0", "11", "１１分"] {
            let reply = SmsReply::try_new(text).unwrap();
            assert_eq!((reply.text(), reply.score()), (text, None));
        }
        assert_eq!(
            SmsReply::try_new(" \u{3000}"),
            Err(AnswerError::EmptySmsReply)
        );
        assert_eq!("".parse::<SmsReply>(), Err(AnswerError::EmptySmsReply));
        let from_score = SmsReply::from(Score::try_new(7).unwrap());
        assert_eq!(
            (from_score.text(), from_score.score().map(Score::get)),
            ("7", Some(7))
        );
    }

    #[test]
    fn serde_goes_through_validation() {
        let score: Score = serde_json::from_str("9").unwrap();
        assert_eq!(score.get(), 9);
        assert_eq!(serde_json::to_string(&score).unwrap(), "9");
        assert!(serde_json::from_str::<Score>("0").is_err());
        assert!(serde_json::from_str::<Score>("11").is_err());
        assert!(serde_json::from_str::<Score>("300").is_err());
        // A bare number, as stored before replies were kept as text.
        let reply: SmsReply = serde_json::from_str("9").unwrap();
        assert_eq!(
            (reply.text(), reply.score().map(Score::get)),
            ("9", Some(9))
        );
        let reply: SmsReply = serde_json::from_str("11").unwrap();
        assert_eq!((reply.text(), reply.score()), ("11", None));
        let reply: SmsReply = serde_json::from_str("\" 好的 \"").unwrap();
        assert_eq!(reply.text(), "好的");
        assert_eq!(serde_json::to_string(&reply).unwrap(), "\"好的\"");
        assert!(serde_json::from_str::<SmsReply>("\" \"").is_err());
        assert!(serde_json::from_str::<SmsReply>("-1").is_err());
        assert!(serde_json::from_str::<Remarks>("\"  \"").is_err());
        let remarks: Remarks = serde_json::from_str("\" ok \"").unwrap();
        assert_eq!(remarks.as_str(), "ok");
    }
}

/// How likely the customer is to recommend the dealer to a friend, 0–10:
/// the one question of the Net Promoter Score (SAT-07). Unlike [`Score`]
/// the scale starts at 0; an 11 is an error, never clamped.
///
/// ```
/// use aftersales::Recommendation;
///
/// let r = Recommendation::try_new(0)?;
/// assert_eq!(r.get(), 0);
/// assert_eq!(
///     Recommendation::try_new(11).unwrap_err().to_string(),
///     "recommendation `11` is outside 0–10 (SAT-07)"
/// );
/// assert!(serde_json::from_str::<Recommendation>("11").is_err());
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Recommendation(u8);

impl Recommendation {
    /// The lowest recommendation, 0.
    pub const MIN: Recommendation = Recommendation(0);
    /// The highest recommendation, 10.
    pub const MAX: Recommendation = Recommendation(10);
    /// 9: where promoters start by default (SAT-07).
    pub(super) const PROMOTER_FROM: Recommendation = Recommendation(9);
    /// 6: where detractors end by default (SAT-07).
    pub(super) const DETRACTOR_TO: Recommendation = Recommendation(6);

    /// Checks that `value` is 0–10 and wraps it.
    ///
    /// # Errors
    ///
    /// [`AnswerError::RecommendationOutOfRange`] for 11 and above.
    pub fn try_new(value: u8) -> Result<Recommendation, AnswerError> {
        if value <= Recommendation::MAX.0 {
            Ok(Recommendation(value))
        } else {
            Err(AnswerError::RecommendationOutOfRange(value.to_string()))
        }
    }

    /// The value, 0–10.
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Recommendation {
    type Error = AnswerError;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Recommendation::try_new(value)
    }
}

impl From<Recommendation> for u8 {
    fn from(r: Recommendation) -> u8 {
        r.0
    }
}

impl FromStr for Recommendation {
    type Err = AnswerError;

    /// ASCII digits with surrounding whitespace, 0–10.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AnswerError::NotARecommendation(text.to_owned()));
        }
        text.parse::<u8>()
            .ok()
            .and_then(|n| Recommendation::try_new(n).ok())
            .ok_or_else(|| AnswerError::RecommendationOutOfRange(text.to_owned()))
    }
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
