//! CMP-14: phrases a call script or a note must not contain.
//!
//! The CR manual \[002\] forbids phrases in two places, and
//! [`ForbiddenPhrases::default`] holds both lists, each phrase marked with
//! the [`PhraseList`] it comes from:
//!
//! - [`PhraseList::GrievanceHandling`]: the ten sentences a staff member must
//!   never say while handling a grievance (处理顾客抱怨时的十句禁言);
//! - [`PhraseList::CallScript`]: the "不可以说" (must not say) lines of the
//!   follow-up call script (客服回访规范话术), fifteen utterances in
//!   fourteen situations, each with its [`ScriptSection`], the situation's
//!   number in the script and, as `instead`, what the script says to say.
//!
//! Each is in Chinese, verbatim from the source, and in an English
//! rendering; a dealer may load its own list instead.
//! [`ForbiddenPhrases::check`] finds every occurrence in a note or a
//! script, and each [`PhraseHit`] says which list its phrase came from.
//!
//! How text is matched is documented on [`ForbiddenPhrases`].

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::policy::PolicyError;
use crate::rule::RuleId;

/// The policy field the phrase list lives in.
const FIELD: &str = "complaint.forbidden_phrases";

/// The ten forbidden phrases of \[002\] (Chinese verbatim, English rendering).
const DEFAULT_PHRASES: [(&str, &str); 10] = [
    (
        "这种问题连小孩子都会!",
        "Even a child knows how to deal with this kind of problem!",
    ),
    (
        "你要知道,一分钱,一分货。",
        "You should know: you get what you pay for.",
    ),
    (
        "绝对不可能有这种事发生。",
        "There is absolutely no way this could happen.",
    ),
    (
        "你要去问厂商,这不是我们的事。",
        "Go and ask the manufacturer, this is not our business.",
    ),
    ("嗯-我不大清楚。", "Um, I'm not really sure."),
    ("我绝对没说过这种话。", "I never said anything like that."),
    ("我不懂怎么处理。", "I don't know how to handle this."),
    (
        "公司的规定就是这样。",
        "The company rule is just like that.",
    ),
    ("你看不懂中文吗?", "Can't you read Chinese?"),
    ("改天再通知你。", "I'll let you know some other day."),
];

/// One "不可以说" line of the call script of \[002\].
struct ScriptLine {
    section: ScriptSection,
    item: u8,
    zh: &'static str,
    en: &'static str,
    instead_zh: &'static str,
    instead_en: &'static str,
}

const fn line(
    section: ScriptSection,
    item: u8,
    zh: &'static str,
    en: &'static str,
    instead_zh: &'static str,
    instead_en: &'static str,
) -> ScriptLine {
    ScriptLine {
        section,
        item,
        zh,
        en,
        instead_zh,
        instead_en,
    }
}

/// The call script's "不可以说" lines of \[002\] (客服回访规范话术), in
/// script order: the forbidden words verbatim (the script's "XX" for the
/// dealer's name kept), an English rendering, and what the script says
/// instead. Situation (26) forbids two utterances.
const SCRIPT_LINES: [ScriptLine; 15] = {
    use ScriptSection::*;
    const ANSWER_LATER_ZH: &str =
        "很抱歉,先生/小姐,多谢您反映的意见,我们会尽快向部门经理反映,并尽快给您答复,好吗?";
    const ANSWER_LATER_EN: &str = "I'm sorry, and thank you for telling us. We will report \
        it to the department manager and give you an answer as soon as we can, all right?";
    const CANNOT_HELP_ZH: &str = "很抱歉,恐怕我不能帮助您!";
    const CANNOT_HELP_EN: &str = "I'm very sorry, I'm afraid I can't help you.";
    [
        line(
            Opening,
            1,
            "喂,说话呀!",
            "Hey, say something!",
            "您好,我是XX店的回访员XX,请问是XX先生/女士吗?",
            "Hello, this is XX, the follow-up specialist of the XX dealership. Am I speaking \
             with Mr/Ms XX?",
        ),
        line(
            Opening,
            2,
            "喂,说吧!",
            "Hey, go ahead!",
            "小姐(先生),您好,这里是XX店客户关系部,请问有什么可以帮到您?",
            "Hello, this is the customer-relations department of the XX dealership. How can \
             I help you?",
        ),
        line(
            CannotHear,
            4,
            "喂,大声一点儿!",
            "Hey, speak up!",
            "对不起,您的声音太小,请您拿起话筒说话好吗?",
            "Sorry, your voice is very faint; could you pick up the handset, please?",
        ),
        line(
            CallContent,
            10,
            "喂,什么?!你说什么?",
            "Hey, what?! What did you say?",
            "对不起,麻烦您将刚才反映的问题再复述一遍,好吗?",
            "Sorry, would you mind repeating the problem you just described?",
        ),
        line(
            CallContent,
            12,
            "喂,打错了!请看清楚后再拨。",
            "Hey, wrong number! Look carefully before you dial.",
            "对不起,这里是XX店客户关系部,请您查证后再拨。",
            "Sorry, this is the customer-relations department of the XX dealership; please \
             check the number and call again.",
        ),
        line(
            CallContent,
            13,
            "喂,说话呀!再不说话我就挂了啊!",
            "Hey, say something! If you don't say anything I'll hang up!",
            "对不起,您能否将具体情况和联系方式告诉我,我帮您联系好吗?",
            "Sorry, could you tell me the details and how to reach you? I will contact them \
             for you.",
        ),
        line(
            Complaints,
            14,
            "喂,我也没办法,刚才线路忙啊!",
            "Hey, I couldn't help it, the line was busy!",
            "对不起,刚才因为线路忙,让您久等了!请问有什么可以帮助您?",
            "Sorry to have kept you waiting, the line was busy. How can I help you?",
        ),
        line(
            Complaints,
            15,
            "喂,嘴巴干净一点,这又不是我的错呀!",
            "Hey, watch your language, it's not my fault!",
            "对不起,先生/小姐,请问有什么可以帮助您?",
            "I'm sorry, sir/madam. How can I help you?",
        ),
        line(
            Complaints,
            16,
            "喂,不好意思,我是新手啦!",
            "Hey, sorry, I'm new here!",
            "对不起,让您久等了,我将尽快帮您处理。",
            "Sorry to have kept you waiting; I will deal with it as fast as I can.",
        ),
        line(
            Complaints,
            17,
            "喂,刚才的不是我接的呀!",
            "Hey, it wasn't me who took that call!",
            "对不起,由于我们服务不周给您添麻烦了,请您原谅,您是否能将详细情况告诉我?",
            "I'm sorry our service caused you trouble; please forgive us. Could you tell me \
             what happened?",
        ),
        line(
            Complaints,
            18,
            "喂,这不关我的事,我不清楚,您挂吧。",
            "Hey, it's none of my business, I don't know, hang up.",
            "对不起,给您添麻烦了,我会将您反映的问题如实上报部门经理,并尽快核实处理,给您带来的不便请您原谅!",
            "I'm sorry for the trouble. I will report the problem to the department manager \
             as you told it and have it checked and handled quickly; please forgive the \
             inconvenience.",
        ),
        line(
            Complaints,
            19,
            "喂,我不清楚,您过两天再来吧。",
            "Hey, I don't know, come back in a couple of days.",
            ANSWER_LATER_ZH,
            ANSWER_LATER_EN,
        ),
        line(
            Complaints,
            20,
            "喂,没事了吧,您挂吧。",
            "Hey, that's all, right? Hang up.",
            ANSWER_LATER_ZH,
            ANSWER_LATER_EN,
        ),
        line(
            Unusual,
            26,
            "喂,不可能的吧。",
            "Hey, that's impossible.",
            CANNOT_HELP_ZH,
            CANNOT_HELP_EN,
        ),
        line(
            Unusual,
            26,
            "不可以,完全不可以!",
            "No, absolutely not!",
            CANNOT_HELP_ZH,
            CANNOT_HELP_EN,
        ),
    ]
};

words! {
    /// The list of the sources a [`ForbiddenPhrase`] comes from (CMP-14).
    #[derive(Default)]
    PhraseList {
        /// \[002\] 顾客抱怨处理标准原则, 五: the ten sentences never to say
        /// while handling a grievance.
        GrievanceHandling => "ten forbidden sentences of grievance handling", "处理顾客抱怨时的十句禁言";
        /// \[002\] 客服回访规范话术: a "不可以说" line of the follow-up call
        /// script.
        CallScript => "follow-up call script: must not say", "客服回访规范话术：不可以说";
        /// The dealer's own phrase, from no source list: what a phrase
        /// stored without a list loads as.
        #[default]
        Dealer => "the dealer's own list", "本店禁用语";
    }
}

impl PhraseList {
    fn is_dealer(&self) -> bool {
        *self == PhraseList::Dealer
    }
}

words! {
    /// A section of the follow-up call script of \[002\] (客服回访规范话术).
    ScriptSection {
        /// 1. Opening and greetings, situations (1)–(3).
        Opening => "opening and greetings", "开头语以及问候语";
        /// 2. The caller cannot be heard clearly, situations (4)–(9).
        CannotHear => "cannot hear clearly", "无法听清";
        /// 3. The content of the call, situations (10)–(13).
        CallContent => "content of the call", "回访内容";
        /// 4. Grievances and complaints, situations (14)–(22).
        Complaints => "grievances and complaints", "抱怨与投诉";
        /// 5. Unusual situations, situations (23)–(27).
        Unusual => "unusual situations", "非正常状况";
        /// 6. Closing, situations (28)–(29).
        Closing => "closing", "结束语";
    }
}

impl ScriptSection {
    /// The section's number in the script, 1 to 6.
    pub const fn number(self) -> u8 {
        match self {
            ScriptSection::Opening => 1,
            ScriptSection::CannotHear => 2,
            ScriptSection::CallContent => 3,
            ScriptSection::Complaints => 4,
            ScriptSection::Unusual => 5,
            ScriptSection::Closing => 6,
        }
    }
}

/// Where in the call script a forbidden line stands: its section and the
/// situation's number, e.g. `4.抱怨与投诉 (15)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptRef {
    /// The section.
    pub section: ScriptSection,
    /// The situation's number in the script, `(1)` to `(29)`.
    pub item: u8,
}

impl fmt::Display for ScriptRef {
    /// `4.抱怨与投诉 (15) grievances and complaints`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} ({}) {}",
            self.section.number(),
            self.section.label_zh(),
            self.item,
            self.section.label_en()
        )
    }
}

/// The language a [`ForbiddenPhrase`] is written in; it decides how the
/// phrase is matched (see [`ForbiddenPhrases`](ForbiddenPhrases#matching)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhraseLanguage {
    /// Chinese: whitespace and punctuation ignored, no word boundaries.
    Chinese,
    /// English: case-insensitive, whitespace and punctuation runs are one
    /// word gap, matches on word boundaries.
    English,
}

/// A phrase a call script or note must not contain (CMP-14).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenPhrase {
    /// The phrase as the policy states it.
    pub text: String,
    /// The language it is written in.
    pub language: PhraseLanguage,
    /// What to say instead, if the source gives it (else `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
    /// The source list it comes from; a phrase stored without one is the
    /// dealer's own.
    #[serde(default, skip_serializing_if = "PhraseList::is_dealer")]
    pub list: PhraseList,
    /// For a line of the call script: its section and situation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptRef>,
}

impl ForbiddenPhrase {
    /// A Chinese phrase with no suggested alternative.
    pub fn chinese(text: impl Into<String>) -> Self {
        ForbiddenPhrase {
            text: text.into(),
            language: PhraseLanguage::Chinese,
            instead: None,
            list: PhraseList::Dealer,
            script: None,
        }
    }

    /// An English phrase with no suggested alternative.
    pub fn english(text: impl Into<String>) -> Self {
        ForbiddenPhrase {
            text: text.into(),
            language: PhraseLanguage::English,
            instead: None,
            list: PhraseList::Dealer,
            script: None,
        }
    }

    /// The same phrase with what to say instead.
    #[must_use]
    pub fn with_instead(mut self, instead: impl Into<String>) -> Self {
        self.instead = Some(instead.into());
        self
    }

    /// The same phrase marked as from `list`.
    #[must_use]
    pub fn in_list(mut self, list: PhraseList) -> Self {
        self.list = list;
        self
    }

    /// The same phrase as a line of the call script, at `script`.
    #[must_use]
    pub fn in_script(mut self, script: ScriptRef) -> Self {
        self.list = PhraseList::CallScript;
        self.script = Some(script);
        self
    }
}

/// The policy's forbidden-phrase list (CMP-14), validated: no phrase is
/// blank and no two phrases are the same after normalization.
///
/// Serde reads and writes it as a plain list of [`ForbiddenPhrase`]s; a list
/// that fails [`ForbiddenPhrases::validate`] does not deserialize.
///
/// # Matching
///
/// Text and phrase are both normalized, then compared character by
/// character. Every character is first folded:
///
/// - full-width ASCII forms (`Ａ`, `！`, `，` …, U+FF01 to U+FF5E) become
///   their ASCII counterparts;
/// - curly and other look-alike apostrophes (`’`, `‘`, `ʼ`, `′`, `` ` ``,
///   `´`) become `'`;
/// - letters are lower-cased (Unicode lower case).
///
/// Then it depends on the phrase's [`PhraseLanguage`]:
///
/// - **Chinese**: only letters and digits count (Han characters are
///   letters); whitespace and all punctuation, full- or half-width, are
///   ignored. `你要知道，一分钱，一分货` matches `你要知道一分钱 一分货。`.
///   There is no word boundary in Chinese, so a phrase matches anywhere.
/// - **English**: letters, digits and `'` count; every run of whitespace and
///   other punctuation counts as one word gap. So `I'll let you know` matches
///   `I’ll  LET you, know`. A match must start and end at a word boundary:
///   the neighbouring character, if any, is not a letter, digit or `'`
///   (Han and kana characters count as boundaries, since Chinese text does
///   not put spaces around embedded English).
///
/// Traditional and simplified Chinese are not folded into each other.
///
/// [`PhraseHit::start`] and [`PhraseHit::end`] are byte offsets into the
/// original text: the span runs from the first to the last character that
/// counted in the match, so leading and trailing punctuation of the phrase
/// (`！`, `。`, `?`) is not part of it and `&text[hit.start..hit.end]` is
/// always a valid slice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ForbiddenPhrase>", into = "Vec<ForbiddenPhrase>")]
pub struct ForbiddenPhrases {
    phrases: Vec<ForbiddenPhrase>,
}

impl Default for ForbiddenPhrases {
    /// Both lists of \[002\]: the ten sentences of grievance handling and
    /// the fifteen "不可以说" lines of the call script in Chinese, then the
    /// same twenty-five in English (50 entries). The script lines carry
    /// their section and situation and, as `instead`, what the script says
    /// to say; the ten sentences have no `instead`, the source gives none.
    fn default() -> Self {
        let grievance = |text: &str, language| ForbiddenPhrase {
            text: text.to_owned(),
            language,
            instead: None,
            list: PhraseList::GrievanceHandling,
            script: None,
        };
        let script = |text: &str, instead: &str, language, l: &ScriptLine| ForbiddenPhrase {
            text: text.to_owned(),
            language,
            instead: Some(instead.to_owned()),
            list: PhraseList::CallScript,
            script: Some(ScriptRef {
                section: l.section,
                item: l.item,
            }),
        };
        let zh = PhraseLanguage::Chinese;
        let en = PhraseLanguage::English;
        let phrases = DEFAULT_PHRASES
            .iter()
            .map(|(text, _)| grievance(text, zh))
            .chain(
                SCRIPT_LINES
                    .iter()
                    .map(|l| script(l.zh, l.instead_zh, zh, l)),
            )
            .chain(DEFAULT_PHRASES.iter().map(|(_, text)| grievance(text, en)))
            .chain(
                SCRIPT_LINES
                    .iter()
                    .map(|l| script(l.en, l.instead_en, en, l)),
            )
            .collect();
        ForbiddenPhrases { phrases }
    }
}

impl TryFrom<Vec<ForbiddenPhrase>> for ForbiddenPhrases {
    type Error = PolicyError;
    fn try_from(list: Vec<ForbiddenPhrase>) -> Result<Self, Self::Error> {
        ForbiddenPhrases::new(list)
    }
}

impl From<ForbiddenPhrases> for Vec<ForbiddenPhrase> {
    fn from(phrases: ForbiddenPhrases) -> Self {
        phrases.phrases
    }
}

impl ForbiddenPhrases {
    /// A validated phrase list. An empty list is allowed (nothing is
    /// forbidden).
    ///
    /// # Errors
    ///
    /// [`PolicyError`] (CMP-14, field `complaint.forbidden_phrases`) as
    /// [`ForbiddenPhrases::validate`] describes.
    pub fn new(list: Vec<ForbiddenPhrase>) -> Result<Self, PolicyError> {
        let phrases = ForbiddenPhrases { phrases: list };
        phrases.validate()?;
        Ok(phrases)
    }

    /// The phrases, in list order.
    pub fn iter(&self) -> impl Iterator<Item = &ForbiddenPhrase> {
        self.phrases.iter()
    }

    /// The phrases as a slice, in list order.
    pub fn as_slice(&self) -> &[ForbiddenPhrase] {
        &self.phrases
    }

    /// How many phrases the list holds.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Checks the list.
    ///
    /// # Errors
    ///
    /// [`PolicyError`] with rule CMP-14 and field
    /// `complaint.forbidden_phrases` when a phrase is empty or whitespace
    /// only, has no letter or digit at all (it would match everywhere), has
    /// a blank `instead`, a call-script section while not on the call-script
    /// list, or is the same as an earlier phrase after normalization.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let mut seen: Vec<Vec<char>> = Vec::with_capacity(self.phrases.len());
        for (i, phrase) in self.phrases.iter().enumerate() {
            if phrase.text.trim().is_empty() {
                return Err(invalid(format!("has a blank phrase at index {i}")));
            }
            if phrase
                .instead
                .as_deref()
                .is_some_and(|s| s.trim().is_empty())
            {
                return Err(invalid(format!(
                    "has a blank `instead` for phrase `{}`",
                    phrase.text
                )));
            }
            if phrase.script.is_some() && phrase.list != PhraseList::CallScript {
                return Err(invalid(format!(
                    "has phrase `{}` with a call-script section but on the list `{}`",
                    phrase.text,
                    phrase.list.label_en()
                )));
            }
            let key = normalize(&phrase.text, phrase.language).chars;
            if key.is_empty() {
                return Err(invalid(format!(
                    "has phrase `{}` with no letter or digit",
                    phrase.text
                )));
            }
            if let Some(j) = seen.iter().position(|k| *k == key) {
                return Err(invalid(format!(
                    "has `{}` at index {i}, the same phrase as index {j} after normalization",
                    phrase.text
                )));
            }
            seen.push(key);
        }
        Ok(())
    }

    /// Every occurrence of every phrase in `text`, ordered by position then
    /// phrase order. Occurrences of one phrase may overlap; each is
    /// reported. See [matching](ForbiddenPhrases#matching) for how text
    /// is matched.
    ///
    /// ```
    /// use aftersales::{ForbiddenPhrases, RuleId};
    ///
    /// let phrases = ForbiddenPhrases::default();
    /// let note = "客户问费用，顾问答：公司的规定就是这样！Then: I’ll let you know some other day.";
    /// let hits = phrases.check(note);
    /// assert_eq!(hits.len(), 2);
    /// assert_eq!(hits[0].matched(note), Some("公司的规定就是这样"));
    /// assert_eq!(hits[1].matched(note), Some("I’ll let you know some other day"));
    /// assert!(hits.iter().all(|h| h.rule == RuleId::Cmp14));
    /// assert!(phrases.check("我们马上为您安排检查。").is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, text: &str) -> Vec<PhraseHit> {
        let mut chinese: Option<Normalized> = None;
        let mut english: Option<Normalized> = None;
        let mut hits: Vec<PhraseHit> = Vec::new();
        for (index, phrase) in self.phrases.iter().enumerate() {
            let hay = match phrase.language {
                PhraseLanguage::Chinese => {
                    chinese.get_or_insert_with(|| normalize(text, PhraseLanguage::Chinese))
                }
                PhraseLanguage::English => {
                    english.get_or_insert_with(|| normalize(text, PhraseLanguage::English))
                }
            };
            let needle = normalize(&phrase.text, phrase.language).chars;
            let bounded = phrase.language == PhraseLanguage::English;
            for (start, end) in find_all(hay, &needle, bounded) {
                hits.push(PhraseHit {
                    list: phrase.list,
                    phrase: phrase.clone(),
                    index,
                    start,
                    end,
                    rule: RuleId::Cmp14,
                });
            }
        }
        hits.sort_by_key(|h| (h.start, h.index));
        hits
    }
}

/// One occurrence of a forbidden phrase in a text (CMP-14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhraseHit {
    /// The list the phrase came from: the ten sentences of grievance
    /// handling, the call script, or the dealer's own.
    pub list: PhraseList,
    /// The phrase that matched (a copy of the list entry).
    pub phrase: ForbiddenPhrase,
    /// The phrase's position in the list.
    pub index: usize,
    /// Byte offset in the original text where the match starts (its first
    /// letter or digit).
    pub start: usize,
    /// Byte offset in the original text just past the match (after its last
    /// letter, digit or apostrophe).
    pub end: usize,
    /// Always [`RuleId::Cmp14`].
    pub rule: RuleId,
}

impl PhraseHit {
    /// The matched span of `text`, the text that was checked; `None` if
    /// `text` is another text whose char boundaries do not fit.
    pub fn matched<'a>(&self, text: &'a str) -> Option<&'a str> {
        text.get(self.start..self.end)
    }

    /// Where the phrase comes from, for a person: the list in Chinese and
    /// English, and for a call-script line its section and situation, e.g.
    /// `客服回访规范话术：不可以说 / follow-up call script: must not say,
    /// 4.抱怨与投诉 (15) grievances and complaints`.
    pub fn source(&self) -> String {
        let list = format!("{} / {}", self.list.label_zh(), self.list.label_en());
        match self.phrase.script {
            Some(at) => format!("{list}, {at}"),
            None => list,
        }
    }
}

fn invalid(reason: String) -> PolicyError {
    crate::policy::invalid(FIELD, RuleId::Cmp14, reason)
}

/// A normalized text: the characters that count, each with the byte range
/// of the original character it came from.
#[derive(Debug, Default)]
struct Normalized {
    chars: Vec<char>,
    spans: Vec<(usize, usize)>,
}

impl Normalized {
    fn push(&mut self, c: char, span: (usize, usize)) {
        self.chars.push(c);
        self.spans.push(span);
    }
}

/// Full-width ASCII forms to ASCII, apostrophe look-alikes to `'`.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => (c as u32)
            .checked_sub(0xFEE0)
            .and_then(char::from_u32)
            .unwrap_or(c),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        _ => c,
    }
}

/// Han ideographs and kana: letters that need no spaces around them.
fn is_unspaced_script(c: char) -> bool {
    matches!(
        c,
        '\u{3040}'..='\u{30FF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{3FFFF}'
    )
}

fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '\'') && !is_unspaced_script(c)
}

fn normalize(text: &str, language: PhraseLanguage) -> Normalized {
    let mut out = Normalized::default();
    for (start, original) in text.char_indices() {
        let span = (start, start.saturating_add(original.len_utf8()));
        let c = fold(original);
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                out.push(lower, span);
            }
        } else if language == PhraseLanguage::English {
            if c == '\'' {
                out.push('\'', span);
            } else if out.chars.last().is_some_and(|&last| last != ' ') {
                out.push(' ', span);
            }
        }
    }
    if out.chars.last() == Some(&' ') {
        out.chars.pop();
        out.spans.pop();
    }
    out
}

/// Byte spans of every occurrence of `needle` in `hay`.
fn find_all(hay: &Normalized, needle: &[char], word_bounded: bool) -> Vec<(usize, usize)> {
    let Some(last) = needle.len().checked_sub(1) else {
        return Vec::new();
    };
    hay.chars
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .filter_map(|(i, _)| {
            let j = i.checked_add(last)?;
            if word_bounded {
                let before = i.checked_sub(1).and_then(|p| hay.chars.get(p));
                let after = j.checked_add(1).and_then(|n| hay.chars.get(n));
                if before.is_some_and(|&c| is_word_char(c))
                    || after.is_some_and(|&c| is_word_char(c))
                {
                    return None;
                }
            }
            Some((hay.spans.get(i)?.0, hay.spans.get(j)?.1))
        })
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    clippy::expect_used
)]
mod tests {
    use super::*;

    fn only(phrases: Vec<ForbiddenPhrase>) -> ForbiddenPhrases {
        ForbiddenPhrases::new(phrases).unwrap()
    }

    #[test]
    fn default_has_both_lists_in_both_languages() {
        let list = ForbiddenPhrases::default();
        assert_eq!(list.len(), 50);
        assert!(!list.is_empty());
        list.validate().unwrap();
        let count = |language, from| {
            list.iter()
                .filter(|p| p.language == language && p.list == from)
                .count()
        };
        use PhraseLanguage::{Chinese, English};
        assert_eq!(count(Chinese, PhraseList::GrievanceHandling), 10);
        assert_eq!(count(English, PhraseList::GrievanceHandling), 10);
        assert_eq!(count(Chinese, PhraseList::CallScript), 15);
        assert_eq!(count(English, PhraseList::CallScript), 15);
        // The ten sentences have no alternative and no script section; every
        // script line has both.
        for p in list.iter() {
            let script = p.list == PhraseList::CallScript;
            assert_eq!(p.instead.is_some(), script, "{}", p.text);
            assert_eq!(p.script.is_some(), script, "{}", p.text);
        }
        let s = list.as_slice();
        assert_eq!(s[9].text, "改天再通知你。");
        assert_eq!(s[10].text, "喂,说话呀!");
        assert_eq!(
            s[10].script,
            Some(ScriptRef {
                section: ScriptSection::Opening,
                item: 1
            })
        );
        assert_eq!(s[24].text, "不可以,完全不可以!");
        assert_eq!(s[34].text, "I'll let you know some other day.");
        assert_eq!(s[35].text, "Hey, say something!");
        assert_eq!(s[49].text, "No, absolutely not!");
    }

    #[test]
    fn every_call_script_line_of_the_source_is_there_with_its_section() {
        // The fourteen "不可以说" situations of [002]'s script, by number.
        let items: Vec<u8> = SCRIPT_LINES.iter().map(|l| l.item).collect();
        assert_eq!(
            items,
            [1, 2, 4, 10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 26, 26]
        );
        for l in &SCRIPT_LINES {
            let expected = match l.item {
                1..=3 => ScriptSection::Opening,
                4..=9 => ScriptSection::CannotHear,
                10..=13 => ScriptSection::CallContent,
                14..=22 => ScriptSection::Complaints,
                23..=27 => ScriptSection::Unusual,
                _ => ScriptSection::Closing,
            };
            assert_eq!(l.section, expected, "({}) {}", l.item, l.zh);
        }
        let sections: Vec<u8> = ScriptSection::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(sections, [1, 2, 3, 4, 5, 6]);
        let at = ScriptRef {
            section: ScriptSection::Complaints,
            item: 15,
        };
        assert_eq!(
            at.to_string(),
            "4.抱怨与投诉 (15) grievances and complaints"
        );
    }

    #[test]
    fn every_default_chinese_phrase_is_found_inside_a_sentence() {
        let list = ForbiddenPhrases::default();
        let chinese = DEFAULT_PHRASES
            .iter()
            .map(|(zh, _)| *zh)
            .chain(SCRIPT_LINES.iter().map(|l| l.zh));
        for (index, zh) in chinese.enumerate() {
            // Full-width punctuation and a stray space instead of the
            // source's half-width punctuation.
            let body: String = zh.replace(',', "， ").replace('!', "！").replace('?', "？");
            let text = format!("客户来电后，顾问说：“{body}”然后挂了电话。");
            let hits = list.check(&text);
            // (13) contains (1): "喂,说话呀!再不说话我就挂了啊!".
            let expected = if zh.starts_with("喂,说话呀!再") {
                2
            } else {
                1
            };
            assert_eq!(hits.len(), expected, "{text}");
            let hit = hits.iter().find(|h| h.index == index).unwrap();
            assert_eq!(hit.rule, RuleId::Cmp14);
            assert_eq!(hit.phrase.text, zh);
            assert_eq!(hit.list, hit.phrase.list);
            let span = hit.matched(&text).unwrap();
            assert!(span.starts_with(zh.chars().next().unwrap()), "{span}");
            assert!(!span.ends_with('。') && !span.ends_with('！') && !span.ends_with('？'));
        }
    }

    #[test]
    fn a_hit_says_which_list_it_came_from() {
        let list = ForbiddenPhrases::default();
        let note = "顾问：喂，嘴巴干净一点，这又不是我的错呀！公司的规定就是这样。";
        let hits = list.check(note);
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].list, PhraseList::CallScript);
        assert_eq!(
            hits[0].source(),
            "客服回访规范话术：不可以说 / follow-up call script: must not say, \
             4.抱怨与投诉 (15) grievances and complaints"
        );
        assert_eq!(
            hits[0].phrase.instead.as_deref(),
            Some("对不起,先生/小姐,请问有什么可以帮助您?")
        );
        assert_eq!(hits[1].list, PhraseList::GrievanceHandling);
        assert_eq!(
            hits[1].source(),
            "处理顾客抱怨时的十句禁言 / ten forbidden sentences of grievance handling"
        );
        let own = only(vec![ForbiddenPhrase::chinese("随便你")]);
        let hit = &own.check("随便你吧")[0];
        assert_eq!(hit.list, PhraseList::Dealer);
        assert_eq!(hit.source(), "本店禁用语 / the dealer's own list");
    }

    #[test]
    fn chinese_ignores_whitespace_and_punctuation() {
        let list = only(vec![ForbiddenPhrase::chinese("你要知道，一分钱，一分货")]);
        for text in [
            "你要知道一分钱一分货",
            "你要 知道,一分钱\n一分货!",
            "你要知道、一分钱。一分货",
        ] {
            assert_eq!(list.check(text).len(), 1, "{text}");
        }
        assert!(list.check("你要知道一分钱两分货").is_empty());
    }

    #[test]
    fn every_default_english_phrase_is_found() {
        let list = ForbiddenPhrases::default();
        let english = DEFAULT_PHRASES
            .iter()
            .map(|(_, en)| *en)
            .chain(SCRIPT_LINES.iter().map(|l| l.en));
        for (index, en) in english.enumerate() {
            let text = format!("The advisor said \"{}\" and hung up.", en.to_uppercase());
            let hits = list.check(&text);
            let expected = if en.starts_with("Hey, say something! If") {
                2
            } else {
                1
            };
            assert_eq!(hits.len(), expected, "{text}");
            assert!(hits.iter().any(|h| h.index == index + 25), "{text}");
        }
    }

    #[test]
    fn english_tolerates_case_spaces_and_curly_apostrophes() {
        let list = ForbiddenPhrases::default();
        for text in [
            "i’ll   LET you\tknow some other day",
            "I‘ll let\nyou know   some OTHER day!",
            "I'll let you know, some other day.",
            "Can’t you read chinese??",
            "go and ask the manufacturer - this is NOT our business",
        ] {
            assert_eq!(list.check(text).len(), 1, "{text}");
        }
    }

    #[test]
    fn english_matches_on_word_boundaries_only() {
        let list = only(vec![ForbiddenPhrase::english("I don't know")]);
        assert!(list.check("Hi don't know").is_empty());
        assert!(list.check("I don't knowledge").is_empty());
        assert_eq!(list.check("他说I don't know就走了").len(), 1);
        assert_eq!(list.check("(I don't know)").len(), 1);
    }

    #[test]
    fn byte_offsets_slice_the_original_text() {
        let list = ForbiddenPhrases::default();
        let text = "Ａ：  I’ll  let you know some other day！ 顾问：改天 再通知你！";
        let hits = list.check(text);
        assert_eq!(hits.len(), 2);
        assert_eq!(
            &text[hits[0].start..hits[0].end],
            "I’ll  let you know some other day"
        );
        assert_eq!(&text[hits[1].start..hits[1].end], "改天 再通知你");
        assert_eq!(hits[1].end, text.len() - "！".len());
    }

    #[test]
    fn full_width_letters_match_english() {
        let list = only(vec![ForbiddenPhrase::english("not our business")]);
        let text = "ＮＯＴ ＯＵＲ business";
        let hits = list.check(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].matched(text), Some(text));
    }

    #[test]
    fn multiple_hits_are_ordered_by_position_then_phrase_order() {
        let list = only(vec![
            ForbiddenPhrase::chinese("改天再通知你"),
            ForbiddenPhrase::chinese("我不懂怎么处理"),
            ForbiddenPhrase::english("some other day"),
            ForbiddenPhrase::chinese("改天再通知"),
        ]);
        let text = "我不懂怎么处理，改天再通知你。Some other day. 改天再通知你";
        let hits = list.check(text);
        let got: Vec<(usize, &str)> = hits
            .iter()
            .map(|h| (h.index, h.matched(text).unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "我不懂怎么处理"),
                (0, "改天再通知你"),
                (3, "改天再通知"),
                (2, "Some other day"),
                (0, "改天再通知你"),
                (3, "改天再通知"),
            ]
        );
        assert!(hits.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn clean_text_has_no_hits() {
        let list = ForbiddenPhrases::default();
        assert!(list.check("").is_empty());
        assert!(
            list.check("非常抱歉给您带来不便，我们会在明天下午三点前给您答复。")
                .is_empty()
        );
        assert!(
            list.check("We will call you back by 3 pm tomorrow with a solution.")
                .is_empty()
        );
        assert!(
            ForbiddenPhrases::new(vec![])
                .unwrap()
                .check("改天再通知你")
                .is_empty()
        );
    }

    #[test]
    fn validate_rejects_blank_phrases() {
        for text in ["", "   ", "\t\n"] {
            let err = ForbiddenPhrases::new(vec![ForbiddenPhrase::english(text)]).unwrap_err();
            assert_eq!(err.rule, RuleId::Cmp14);
            assert_eq!(err.field, "complaint.forbidden_phrases");
            assert_eq!(err.reason, "has a blank phrase at index 0");
        }
        let err = ForbiddenPhrases::new(vec![ForbiddenPhrase::chinese("！。")]).unwrap_err();
        assert_eq!(err.reason, "has phrase `！。` with no letter or digit");
        let err = ForbiddenPhrases::new(vec![
            ForbiddenPhrase::chinese("改天再通知你").with_instead(" "),
        ])
        .unwrap_err();
        assert_eq!(
            err.reason,
            "has a blank `instead` for phrase `改天再通知你`"
        );
    }

    #[test]
    fn validate_rejects_duplicates_after_normalization() {
        let err = ForbiddenPhrases::new(vec![
            ForbiddenPhrase::english("I'll let you know"),
            ForbiddenPhrase::chinese("改天再通知你"),
            ForbiddenPhrase::english("i’ll  LET you know!"),
        ])
        .unwrap_err();
        assert_eq!(err.rule, RuleId::Cmp14);
        assert_eq!(err.field, "complaint.forbidden_phrases");
        assert_eq!(
            err.reason,
            "has `i’ll  LET you know!` at index 2, the same phrase as index 0 after normalization"
        );
        assert!(err.to_string().contains("CMP-14"));
        let err = ForbiddenPhrases::new(vec![
            ForbiddenPhrase::chinese("改天再通知你。"),
            ForbiddenPhrase::chinese("改天 再通知你！"),
        ])
        .unwrap_err();
        assert!(err.reason.contains("index 1"));
    }

    #[test]
    fn serde_round_trip() {
        let list = ForbiddenPhrases::new(vec![
            ForbiddenPhrase::chinese("改天再通知你"),
            ForbiddenPhrase::english("Some other day").with_instead("By 3 pm tomorrow"),
        ])
        .unwrap();
        let json = serde_json::to_string(&list).unwrap();
        assert_eq!(
            json,
            r#"[{"text":"改天再通知你","language":"chinese"},{"text":"Some other day","language":"english","instead":"By 3 pm tomorrow"}]"#
        );
        let back: ForbiddenPhrases = serde_json::from_str(&json).unwrap();
        assert_eq!(back, list);
        let default = ForbiddenPhrases::default();
        let back: ForbiddenPhrases =
            serde_json::from_str(&serde_json::to_string(&default).unwrap()).unwrap();
        assert_eq!(back, default);
        let line = serde_json::to_string(&default.as_slice()[10]).unwrap();
        assert_eq!(
            line,
            r#"{"text":"喂,说话呀!","language":"chinese","instead":"您好,我是XX店的回访员XX,请问是XX先生/女士吗?","list":"call_script","script":{"section":"opening","item":1}}"#
        );
        let ten = serde_json::to_string(&default.as_slice()[0]).unwrap();
        assert_eq!(
            ten,
            r#"{"text":"这种问题连小孩子都会!","language":"chinese","list":"grievance_handling"}"#
        );
    }

    #[test]
    fn invalid_list_is_rejected_on_deserialize() {
        let dup = r#"[{"text":"Not our business","language":"english"},
                      {"text":"not  our business.","language":"english"}]"#;
        let err = serde_json::from_str::<ForbiddenPhrases>(dup).unwrap_err();
        assert!(err.to_string().contains("CMP-14"), "{err}");
        let blank = r#"[{"text":" ","language":"chinese"}]"#;
        assert!(serde_json::from_str::<ForbiddenPhrases>(blank).is_err());
        let unknown = r#"[{"text":"x","language":"english","tone":"rude"}]"#;
        assert!(serde_json::from_str::<ForbiddenPhrases>(unknown).is_err());
        let language = r#"[{"text":"x","language":"french"}]"#;
        assert!(serde_json::from_str::<ForbiddenPhrases>(language).is_err());
        let misplaced = r#"[{"text":"x","language":"english","list":"grievance_handling",
                           "script":{"section":"opening","item":1}}]"#;
        let err = serde_json::from_str::<ForbiddenPhrases>(misplaced).unwrap_err();
        assert!(
            err.to_string()
                .contains("has phrase `x` with a call-script section but on the list"),
            "{err}"
        );
        let placed = ForbiddenPhrase::english("x").in_script(ScriptRef {
            section: ScriptSection::Closing,
            item: 28,
        });
        assert_eq!(placed.list, PhraseList::CallScript);
        ForbiddenPhrases::new(vec![placed]).unwrap();
        let listed = ForbiddenPhrase::english("x").in_list(PhraseList::GrievanceHandling);
        assert_eq!(
            (listed.list, listed.script),
            (PhraseList::GrievanceHandling, None)
        );
    }

    #[test]
    fn hit_serializes() {
        let list = only(vec![ForbiddenPhrase::chinese("改天再通知你")]);
        let hits = list.check("改天再通知你");
        let json = serde_json::to_string(&hits[0]).unwrap();
        assert_eq!(
            json,
            r#"{"list":"dealer","phrase":{"text":"改天再通知你","language":"chinese"},"index":0,"start":0,"end":18,"rule":"CMP-14"}"#
        );
    }
}
