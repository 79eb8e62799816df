//! The Han character set of a mainland name, the name separator, and its look-alikes.
//!
//! The set follows the W3C Internationalization note on client-side validation of Chinese
//! characters, which warns that `[\u4e00-\u9fa5]` misses characters in real use: the URO
//! (U+4E00–9FFF), Extension A (U+3400–4DBF), Extensions B–F and I (U+20000–2EE5D), Extensions G–H
//! (U+30000–323AF), and the 12 *unified* ideographs of the CJK Compatibility block. The other
//! compatibility ideographs (U+F900–FAFF and U+2F800–2FA1F) are canonical duplicates of unified
//! characters: they never appear in a GB 18030 name record, so they are not allowed.
//!
//! The ranges include code points not yet assigned by Unicode. They are allowed on purpose: a
//! character newly encoded for a name (GB 18030-2022 added many) must not be rejected just because
//! this table is older than the font.

/// The name separator 间隔号, U+00B7 MIDDLE DOT (民委发〔2016〕33号).
pub(crate) const SEPARATOR: char = '\u{00B7}';

/// The 12 ideographs of the CJK Compatibility Ideographs block that are unified (not duplicates):
/// 﨎 﨏 﨑 﨓 﨔 﨟 﨡 﨣 﨤 﨧 﨨 﨩.
pub(crate) const UNIFIED_COMPATIBILITY_IDEOGRAPHS: [char; 12] = [
    '\u{FA0E}', '\u{FA0F}', '\u{FA11}', '\u{FA13}', '\u{FA14}', '\u{FA1F}', '\u{FA21}', '\u{FA23}',
    '\u{FA24}', '\u{FA27}', '\u{FA28}', '\u{FA29}',
];

/// Private-use code points that GB 18030-2000 used for characters Unicode later encoded, and that
/// occur in names. U+E863 is 䶮 (U+4DAE), as in the name 刘䶮: GB 18030-2005 moved it to
/// Extension A, but systems and fonts built on the 2000 mapping still produce U+E863.
const PRIVATE_USE_TO_HAN: [(char, char); 1] = [('\u{E863}', '\u{4DAE}')];

/// Whether `c` is a Han character allowed in a name.
pub(crate) fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{4E00}'..='\u{9FFF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{20000}'..='\u{2EE5D}'
            | '\u{30000}'..='\u{323AF}'
    ) || UNIFIED_COMPATIBILITY_IDEOGRAPHS.contains(&c)
}

/// The standard Han character for a private-use code point, if it has one.
pub(crate) fn mapped_private_use(c: char) -> Option<char> {
    PRIVATE_USE_TO_HAN
        .iter()
        .find(|(from, _)| *from == c)
        .map(|(_, to)| *to)
}

/// Dots that look like the separator and that input methods, fonts and copy-paste produce instead
/// of it. The full stops `.` and `．` are among them; in a Latin name they are kept as full stops
/// (see the module doc).
pub(crate) const LOOKALIKE_DOTS: [char; 12] = [
    '\u{30FB}',  // ・ KATAKANA MIDDLE DOT (Japanese input methods)
    '\u{FF65}',  // ･ HALFWIDTH KATAKANA MIDDLE DOT
    '\u{2022}',  // • BULLET
    '\u{2027}',  // ‧ HYPHENATION POINT (Taiwan input methods)
    '\u{2219}',  // ∙ BULLET OPERATOR
    '\u{22C5}',  // ⋅ DOT OPERATOR
    '\u{0387}',  // · GREEK ANO TELEIA (canonically equivalent to U+00B7)
    '\u{FF0E}',  // ． FULLWIDTH FULL STOP
    '\u{002E}',  // . FULL STOP
    '\u{16EB}',  // ᛫ RUNIC SINGLE PUNCTUATION
    '\u{2E31}',  // ⸱ WORD SEPARATOR MIDDLE DOT
    '\u{10101}', // 𐄁 AEGEAN WORD SEPARATOR DOT
];

pub(crate) fn is_lookalike_dot(c: char) -> bool {
    LOOKALIKE_DOTS.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_edges() {
        for c in [
            '\u{4E00}',
            '\u{9FFF}',
            '\u{3400}',
            '\u{4DBF}',
            '\u{20000}',
            '\u{2A6DF}',
            '\u{2EBF0}',
            '\u{2EE5D}',
            '\u{30000}',
            '\u{323AF}',
            '\u{FA29}',
        ] {
            assert!(is_han(c), "{:X}", u32::from(c));
        }
        for c in [
            '\u{4DC0}',
            '\u{33FF}',
            '\u{1FFFF}',
            '\u{2EE5E}',
            '\u{2F800}',
            '\u{2FFFF}',
            '\u{323B0}',
            '\u{F900}',
            '\u{FA10}',
            '\u{3007}',
        ] {
            assert!(!is_han(c), "{:X}", u32::from(c));
        }
    }

    #[test]
    fn e863_is_yan() {
        assert_eq!(mapped_private_use('\u{E863}'), Some('䶮'));
        assert_eq!(mapped_private_use('\u{E864}'), None);
    }
}
