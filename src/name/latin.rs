//! The Latin letters of a name on a Hong Kong, Macau, Taiwan or foreign document.
//!
//! Allowed letters (the blocks of Latin letters with diacritics in everyday use in names):
//! - ASCII `A`–`Z`, `a`–`z`;
//! - Latin-1 Supplement letters U+00C0–00FF except `×` U+00D7 and `÷` U+00F7 (é, ñ, ü, ß, ø…);
//! - Latin Extended-A U+0100–017F (ā, č, ł, ő, ş…);
//! - Latin Extended-B U+0180–024F (ș ț of Romanian, ơ ư of Vietnamese, the click letters ǀ ǁ ǂ ǃ
//!   of Khoisan names);
//! - Latin Extended Additional U+1E00–1EFF (Vietnamese ạ ế ộ…, Welsh ẁ ŵ);
//! - full-width `Ａ`–`Ｚ`, `ａ`–`ｚ`, folded to ASCII (reported).
//!
//! Combining diacritics U+0300–036F are allowed after a letter (at most
//! [`MAX_MARKS_PER_LETTER`]), because decomposed (NFD) text such as `Jose\u{301}` arrives from
//! copy and paste, and this crate has no normalisation tables to compose it. The name is kept as
//! typed: a backend that compares names should apply NFC itself.
//!
//! # Sources
//! - **`unicode-17`**: Unicode 17.0: the Latin letter blocks and Combining Diacritical Marks
//!   listed above. Which blocks names need is this library's choice, not a standard's.

/// The most combining marks accepted on one letter: Vietnamese needs two (ệ = e + U+0323 + U+0302);
/// one more leaves a margin, while longer stacks ("Zalgo" text) are rejected.
pub(crate) const MAX_MARKS_PER_LETTER: usize = 3;

/// Whether `c` is an allowed Latin letter (not counting full-width forms).
pub(crate) fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
            && c != '\u{00D7}'
            && c != '\u{00F7}'
}

/// The ASCII letter for a full-width Latin letter.
pub(crate) fn fold_fullwidth_letter(c: char) -> Option<char> {
    match c {
        // Full-width forms U+FF01..=U+FF5E map one-to-one onto ASCII U+0021..=U+007E.
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFF01 + 0x21)
        }
        _ => None,
    }
}

/// Whether `c` is a combining diacritical mark (U+0300–036F).
pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// Apostrophes kept as typed: ASCII `'`, the typographic `’` U+2019 (what phones and word
/// processors produce), the modifier letter apostrophe U+02BC and the Hawaiian ʻokina U+02BB.
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{02BB}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        for c in ['a', 'Z', 'é', 'Á', 'ß', 'ÿ', 'ł', 'ș', 'ư', 'ệ', 'ǃ'] {
            assert!(is_letter(c), "{c}");
        }
        for c in ['×', '÷', '1', 'ª', 'µ', 'α', 'я', ' ', '-'] {
            assert!(!is_letter(c), "{c}");
        }
        assert_eq!(fold_fullwidth_letter('Ａ'), Some('A'));
        assert_eq!(fold_fullwidth_letter('ｚ'), Some('z'));
        assert_eq!(fold_fullwidth_letter('１'), None);
    }
}
