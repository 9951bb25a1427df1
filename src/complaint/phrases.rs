//! CMP-14: phrases a call script or a note must not contain.
//!
//! The CR manual (\[002\], 处理顾客抱怨时的十句禁言) lists ten sentences a
//! staff member must never say while handling a grievance.
//! [`ForbiddenPhrases::default`] holds those ten in Chinese, verbatim from
//! the source, and an English rendering of each; a dealer may load its own
//! list instead. [`ForbiddenPhrases::check`] finds every occurrence in a
//! note or a script.
//!
//! How text is matched is documented on [`ForbiddenPhrases`].

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
}

impl ForbiddenPhrase {
    /// A Chinese phrase with no suggested alternative.
    pub fn chinese(text: impl Into<String>) -> Self {
        ForbiddenPhrase {
            text: text.into(),
            language: PhraseLanguage::Chinese,
            instead: None,
        }
    }

    /// An English phrase with no suggested alternative.
    pub fn english(text: impl Into<String>) -> Self {
        ForbiddenPhrase {
            text: text.into(),
            language: PhraseLanguage::English,
            instead: None,
        }
    }

    /// The same phrase with what to say instead.
    #[must_use]
    pub fn with_instead(mut self, instead: impl Into<String>) -> Self {
        self.instead = Some(instead.into());
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
    /// The ten phrases of \[002\] in Chinese, then their ten English
    /// renderings (20 entries, none with an `instead`: the source gives no
    /// alternatives for these).
    fn default() -> Self {
        let chinese = DEFAULT_PHRASES
            .iter()
            .map(|(zh, _)| ForbiddenPhrase::chinese(*zh));
        let english = DEFAULT_PHRASES
            .iter()
            .map(|(_, en)| ForbiddenPhrase::english(*en));
        ForbiddenPhrases {
            phrases: chinese.chain(english).collect(),
        }
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
    /// a blank `instead`, or is the same as an earlier phrase after
    /// normalization.
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
    fn default_has_the_ten_phrases_in_both_languages() {
        let list = ForbiddenPhrases::default();
        assert_eq!(list.len(), 20);
        assert!(!list.is_empty());
        list.validate().unwrap();
        let zh = list
            .iter()
            .filter(|p| p.language == PhraseLanguage::Chinese)
            .count();
        assert_eq!(zh, 10);
        assert!(list.iter().all(|p| p.instead.is_none()));
        assert_eq!(list.as_slice()[9].text, "改天再通知你。");
        assert_eq!(
            list.as_slice()[19].text,
            "I'll let you know some other day."
        );
    }

    #[test]
    fn every_default_chinese_phrase_is_found_inside_a_sentence() {
        let list = ForbiddenPhrases::default();
        for (index, (zh, _)) in DEFAULT_PHRASES.iter().enumerate() {
            // Full-width punctuation and a stray space instead of the
            // source's half-width punctuation.
            let body: String = zh.replace(',', "， ").replace('!', "！").replace('?', "？");
            let text = format!("客户来电后，顾问说：“{body}”然后挂了电话。");
            let hits = list.check(&text);
            assert_eq!(hits.len(), 1, "{text}");
            let hit = &hits[0];
            assert_eq!(hit.index, index);
            assert_eq!(hit.rule, RuleId::Cmp14);
            assert_eq!(hit.phrase.text, *zh);
            let span = hit.matched(&text).unwrap();
            assert!(span.starts_with(zh.chars().next().unwrap()), "{span}");
            assert!(!span.ends_with('。') && !span.ends_with('！') && !span.ends_with('？'));
        }
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
        for (index, (_, en)) in DEFAULT_PHRASES.iter().enumerate() {
            let text = format!("The advisor said \"{}\" and hung up.", en.to_uppercase());
            let hits = list.check(&text);
            assert_eq!(hits.len(), 1, "{text}");
            assert_eq!(hits[0].index, index + 10);
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
    }

    #[test]
    fn hit_serializes() {
        let list = only(vec![ForbiddenPhrase::chinese("改天再通知你")]);
        let hits = list.check("改天再通知你");
        let json = serde_json::to_string(&hits[0]).unwrap();
        assert_eq!(
            json,
            r#"{"phrase":{"text":"改天再通知你","language":"chinese"},"index":0,"start":0,"end":18,"rule":"CMP-14"}"#
        );
    }
}
