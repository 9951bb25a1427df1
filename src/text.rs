//! Plain-text table helpers for the bilingual reports: column widths that
//! count a Chinese character as two terminal cells.

/// Terminal cells `c` takes: two for wide (East Asian) characters, one
/// otherwise.
fn cells(c: char) -> usize {
    let wide = matches!(
        u32::from(c),
        0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
    );
    if wide { 2 } else { 1 }
}

/// The display width of `s` in terminal cells.
pub(crate) fn width(s: &str) -> usize {
    s.chars().map(cells).fold(0, usize::saturating_add)
}

/// `s` padded with spaces on the right to `to` cells.
pub(crate) fn left(s: &str, to: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', to.saturating_sub(width(s))));
    out
}

/// `s` padded with spaces on the left to `to` cells.
pub(crate) fn right(s: &str, to: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', to.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_take_two_cells() {
        assert_eq!(width("L1 minor"), 8);
        assert_eq!(width("一级（轻微）"), 12);
        assert_eq!(left("等级", 6), "等级  ");
        assert_eq!(right("7", 3), "  7");
        assert_eq!(left("too long", 3), "too long");
    }
}
