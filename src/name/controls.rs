//! Characters that never belong in a name and get their own code, because the user cannot see
//! them (invisible and bidi control characters) or because they have no standard meaning
//! (private use). The crate has no Unicode property tables, so the lists are written out; a
//! character missing from them is still rejected, as `name_invalid_character`.
//!
//! # Sources
//! - **`unicode-17`**: Unicode 17.0: the Bidi_Control property, the general categories Cf and Cc,
//!   the variation selectors and the Private Use Area the lists are written from.

/// Bidirectional formatting controls (Unicode Bidi_Control): they can make a name display
/// differently from what is stored ("Trojan Source", CVE-2021-42574).
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Invisible characters: the format characters (general category Cf) other than the bidi
/// controls, control characters (Cc) that are not whitespace, and the characters that render as
/// nothing although they are not Cf (combining grapheme joiner, Hangul fillers, variation
/// selectors, Khmer inherent vowels, Mongolian free variation selectors).
///
/// Variation selectors include the ideographic variation selectors U+E0100–E01EF: a glyph variant
/// is not part of the name a GB 18030 register stores, so a name carrying one would not match it.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        // Cc that are not White_Space
        '\u{0000}'..='\u{0008}'
            | '\u{000E}'..='\u{001F}'
            | '\u{007F}'..='\u{0084}'
            | '\u{0086}'..='\u{009F}'
            // Cf
            | '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
            // invisible, though not Cf
            | '\u{034F}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180D}'
            | '\u{180F}'
            | '\u{3164}'
            | '\u{FFA0}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Private Use Area characters: the BMP area U+E000–F8FF and planes 15–16. Their meaning depends
/// on one vendor's font, so the register cannot read them.
pub(crate) fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}')
}

/// Characters trimmed from both ends: Unicode whitespace plus the zero-width space and BOM, which
/// arrive with copy and paste (the same set as the ID check trims).
pub(crate) fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}
