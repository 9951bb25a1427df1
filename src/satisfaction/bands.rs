//! SAT-01: the three bands of the 1–10 overall score, [`Band`] and
//! [`ScoreBands`].

use serde::{Deserialize, Serialize};

use super::answer::Score;

words! {
    /// Where an overall score falls (SAT-01), in the order of the report
    /// columns of 表7 and 表8: best first, so `Ord` sorts fully satisfied
    /// before dissatisfied.
    Band {
        /// Fully satisfied (完全满意): 8–10 by default.
        FullySatisfied => "fully satisfied", "完全满意";
        /// Basically satisfied (基本满意): 6–7 by default.
        BasicallySatisfied => "basically satisfied", "基本满意";
        /// Dissatisfied (不满意): 1–5 by default.
        Dissatisfied => "dissatisfied", "不满意";
    }
}

/// The band limits of SAT-01: where the fully-satisfied and the
/// basically-satisfied bands start.
///
/// The source (表7, 表8 of \[002\]) heads its columns "完全满意数量(8-10)",
/// "基本满意数量(6-8)" and "不满意数量(0-6)": the bounds overlap, an 8 and a 6
/// each fall into two bands. On whole-number scores the rulebook resolves
/// this by giving each shared bound to the higher band: **fully satisfied
/// 8–10, basically satisfied 6–7, dissatisfied 0–5**. Both questionnaires
/// ask for 1–10 and the SMS asks for 1–10 too, so a 0 cannot be answered:
/// the dissatisfied band is 1–5 in practice.
///
/// A band starts at its `*_from` score and runs up to the next band's start
/// minus one; the fully-satisfied band runs to 10. [`SatisfactionPolicy`]
/// checks that `basic_from` is below `fully_from` (and above 1, so the
/// dissatisfied band is never empty); [`ScoreBands::band`] still answers
/// for unchecked limits, giving the fully-satisfied band precedence.
///
/// [`SatisfactionPolicy`]: super::SatisfactionPolicy
///
/// ```
/// use aftersales::{Band, Score, ScoreBands};
///
/// let bands = ScoreBands::default();
/// assert_eq!(bands.band(Score::try_new(8)?), Band::FullySatisfied);
/// assert_eq!(bands.band(Score::try_new(7)?), Band::BasicallySatisfied);
/// assert_eq!(bands.band(Score::try_new(5)?), Band::Dissatisfied);
/// # Ok::<(), aftersales::AnswerError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoreBands {
    /// The lowest fully-satisfied score (8).
    pub fully_from: Score,
    /// The lowest basically-satisfied score (6).
    pub basic_from: Score,
}

impl Default for ScoreBands {
    fn default() -> Self {
        ScoreBands {
            fully_from: Score::FULLY_FROM,
            basic_from: Score::BASIC_FROM,
        }
    }
}

impl ScoreBands {
    /// The band `score` falls into.
    pub fn band(&self, score: Score) -> Band {
        if score >= self.fully_from {
            Band::FullySatisfied
        } else if score >= self.basic_from {
            Band::BasicallySatisfied
        } else {
            Band::Dissatisfied
        }
    }

    /// The lowest and highest score of `band`, both inclusive, for report
    /// headings ("完全满意(8–10)"); `None` when the limits leave the band
    /// empty, which a validated policy never does.
    ///
    /// ```
    /// use aftersales::{Band, ScoreBands};
    ///
    /// let bands = ScoreBands::default();
    /// let (low, high) = bands.range(Band::BasicallySatisfied).ok_or("empty band")?;
    /// assert_eq!((low.get(), high.get()), (6, 7));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn range(&self, band: Band) -> Option<(Score, Score)> {
        let below = |s: Score| s.get().checked_sub(1).and_then(|v| Score::try_new(v).ok());
        let (low, high) = match band {
            Band::FullySatisfied => (self.fully_from, Score::MAX),
            Band::BasicallySatisfied => (self.basic_from, below(self.fully_from)?),
            Band::Dissatisfied => (Score::MIN, below(self.basic_from.min(self.fully_from))?),
        };
        (low <= high).then_some((low, high))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn s(v: u8) -> Score {
        Score::try_new(v).unwrap()
    }

    #[test]
    fn default_bands_resolve_the_overlap_upwards() {
        let bands = ScoreBands::default();
        let got: Vec<Band> = (1..=10).map(|v| bands.band(s(v))).collect();
        use Band::*;
        assert_eq!(
            got,
            [
                Dissatisfied,
                Dissatisfied,
                Dissatisfied,
                Dissatisfied,
                Dissatisfied,
                BasicallySatisfied,
                BasicallySatisfied,
                FullySatisfied,
                FullySatisfied,
                FullySatisfied
            ]
        );
    }

    #[test]
    fn ranges_match_the_bands() {
        let bands = ScoreBands::default();
        let range = |b| bands.range(b).map(|(l, h)| (l.get(), h.get()));
        assert_eq!(range(Band::FullySatisfied), Some((8, 10)));
        assert_eq!(range(Band::BasicallySatisfied), Some((6, 7)));
        assert_eq!(range(Band::Dissatisfied), Some((1, 5)));

        let odd = ScoreBands {
            fully_from: s(6),
            basic_from: s(8),
        };
        assert_eq!(odd.band(s(7)), Band::FullySatisfied);
        assert_eq!(odd.range(Band::BasicallySatisfied), None);
        assert_eq!(
            odd.range(Band::Dissatisfied)
                .map(|(l, h)| (l.get(), h.get())),
            Some((1, 5))
        );
        let none_dissatisfied = ScoreBands {
            fully_from: s(8),
            basic_from: s(1),
        };
        assert_eq!(none_dissatisfied.range(Band::Dissatisfied), None);
    }

    #[test]
    fn labels() {
        assert_eq!(Band::FullySatisfied.label_zh(), "完全满意");
        assert_eq!(Band::BasicallySatisfied.label_zh(), "基本满意");
        assert_eq!(Band::Dissatisfied.label_zh(), "不满意");
        assert_eq!(Band::Dissatisfied.to_string(), "dissatisfied");
    }
}
