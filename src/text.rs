//! Plain-text table helpers for the bilingual reports: column widths that
//! count a Chinese character as two terminal cells, and the bounds that
//! keep a render linear in its output (issue 15, item 8).
//!
//! Two bounds, one at each end:
//!
//! - free text enters through the commands bounded by
//!   [`MAX_FREE_TEXT_CHARS`], refused with the command's typed error
//!   ([`bounded`]);
//! - whatever slips through (a record stored before the bound, or built by
//!   hand) is cut to [`MAX_CELL_WIDTH`] terminal cells, ending in `…`, in
//!   every table cell: [`width`] never reports more, and [`left`] and
//!   [`right`] never write more, so a table costs rows × columns ×
//!   [`MAX_CELL_WIDTH`] at most, whatever one cell holds.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// The most characters a free-text field of a command may hold (a work
/// item's title, a finding, a reason, a complaint's description …): a long
/// paragraph fits, a pasted document does not.
pub const MAX_FREE_TEXT_CHARS: usize = 2_000;

/// The widest a table cell is shown, in terminal cells; a longer cell is cut
/// and ends in `…`.
pub(crate) const MAX_CELL_WIDTH: usize = 240;

/// The most characters a shown cell holds, for text whose characters take
/// no cells (combining marks), which [`MAX_CELL_WIDTH`] alone would not stop.
const MAX_CELL_CHARS: usize = 4 * MAX_CELL_WIDTH;

/// Why `text` is too long for a free-text field, or `None` when it fits.
pub(crate) fn bounded(text: &str) -> Option<String> {
    (text.chars().nth(MAX_FREE_TEXT_CHARS).is_some())
        .then(|| format!("must be at most {MAX_FREE_TEXT_CHARS} characters"))
}

/// Terminal cells `c` takes (East Asian Width, UAX #11): two for wide
/// characters such as Chinese, none for combining marks and controls, one
/// otherwise.
fn cells(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// `s` cut to [`MAX_CELL_WIDTH`] cells and [`MAX_CELL_CHARS`] characters,
/// ending in `…` when cut; `s` itself when it fits. Reads at most that many
/// characters of `s`.
fn fit(s: &str) -> Cow<'_, str> {
    let mut used = 0usize;
    // Where the text must end if it turns out not to fit: the last place
    // that leaves one cell for the ellipsis.
    let mut cut = 0usize;
    for (n, (at, c)) in s.char_indices().enumerate() {
        used = used.saturating_add(cells(c));
        if used > MAX_CELL_WIDTH || n >= MAX_CELL_CHARS {
            let head = s.get(..cut).unwrap_or_default();
            return Cow::Owned(format!("{head}…"));
        }
        if used < MAX_CELL_WIDTH && n.saturating_add(1) < MAX_CELL_CHARS {
            cut = at.saturating_add(c.len_utf8());
        }
    }
    Cow::Borrowed(s)
}

/// The display width of `s` in terminal cells, as a table shows it (at most
/// [`MAX_CELL_WIDTH`]).
pub(crate) fn width(s: &str) -> usize {
    fit(s).chars().map(cells).fold(0, usize::saturating_add)
}

/// `s` (cut to [`MAX_CELL_WIDTH`]) padded with spaces on the right to `to`
/// cells.
pub(crate) fn left(s: &str, to: usize) -> String {
    let s = fit(s);
    let mut out = s.clone().into_owned();
    out.extend(std::iter::repeat_n(' ', to.saturating_sub(width(&s))));
    out
}

/// `s` (cut to [`MAX_CELL_WIDTH`]) padded with spaces on the left to `to`
/// cells.
pub(crate) fn right(s: &str, to: usize) -> String {
    let s = fit(s);
    let mut out: String = std::iter::repeat_n(' ', to.saturating_sub(width(&s))).collect();
    out.push_str(&s);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_take_two_cells() {
        assert_eq!(width("L1 minor"), 8);
        assert_eq!(width("一级（轻微）"), 12);
        assert_eq!(left("等级", 6), "等级  ");
        assert_eq!(right("7", 3), "  7");
        assert_eq!(left("too long", 3), "too long");
        // A combining accent takes no cell of its own.
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn a_cell_is_cut_at_the_maximum_width() {
        let fits = "x".repeat(MAX_CELL_WIDTH);
        assert_eq!(fit(&fits), fits.as_str());
        assert_eq!(width(&fits), MAX_CELL_WIDTH);
        let over = "x".repeat(MAX_CELL_WIDTH + 1);
        let cut = fit(&over);
        assert_eq!(cut, format!("{}…", "x".repeat(MAX_CELL_WIDTH - 1)));
        assert_eq!(width(&over), MAX_CELL_WIDTH);
        assert_eq!(left(&over, MAX_CELL_WIDTH + 5).len(), cut.len() + 5);
        assert_eq!(right(&over, 2), cut);
        // Wide characters: half the width fits exactly, one more is cut to one
        // less and `…` (one cell short
        // cells: a wide character does not fit in the last cell).
        let wide = "车".repeat(MAX_CELL_WIDTH / 2);
        assert_eq!(fit(&wide), wide.as_str());
        let wider = "车".repeat(MAX_CELL_WIDTH / 2 + 1);
        assert_eq!(
            fit(&wider),
            format!("{}…", "车".repeat(MAX_CELL_WIDTH / 2 - 1))
        );
        assert_eq!(width(&wider), MAX_CELL_WIDTH - 1);
        // Text of zero-width characters is cut by its count.
        let marks = "\u{301}".repeat(MAX_CELL_CHARS);
        assert_eq!(fit(&marks), marks.as_str());
        let more = "\u{301}".repeat(MAX_CELL_CHARS + 1);
        assert_eq!(fit(&more).chars().count(), MAX_CELL_CHARS);
        assert!(fit(&more).ends_with('…'));
    }

    #[test]
    fn free_text_is_bounded_in_characters() {
        assert_eq!(bounded(&"车".repeat(MAX_FREE_TEXT_CHARS)), None);
        assert_eq!(
            bounded(&"车".repeat(MAX_FREE_TEXT_CHARS + 1)).unwrap(),
            "must be at most 2000 characters"
        );
        assert_eq!(bounded(""), None);
    }
}
