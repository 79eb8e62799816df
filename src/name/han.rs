//! The Han character set of a mainland name, the name separator, and its look-alikes.
//!
//! The set follows the W3C Internationalization article on client-side validation of Chinese
//! characters, which warns that `[\u4e00-\u9fa5]` misses characters in real use: every block of
//! CJK Unified Ideographs in **Unicode 17.0** ([`HAN_BLOCKS`], from
//! <https://www.unicode.org/Public/17.0.0/ucd/Blocks.txt>;
//! Extension J, new in 17.0, is charted in <https://www.unicode.org/charts/PDF/U323B0.pdf>), and
//! the 12 *unified* ideographs of the CJK Compatibility block. The other compatibility ideographs
//! (U+F900–FAFF and U+2F800–2FA1F) are canonical duplicates of unified characters: they never
//! appear in a GB 18030 name record, so they are not allowed.
//!
//! A block is allowed whole, including the code points Unicode has not yet assigned in it (such
//! as U+3347A–3347F at the end of Extension J): a character newly encoded for a name (GB
//! 18030-2022 added many) must not be rejected just because this table is older than the font.
//! Code points outside every block (such as U+2A6E0–2A6FF, between Extensions B and C) are
//! refused.
//!
//! 〇 U+3007 IDEOGRAPHIC NUMBER ZERO is in none of those blocks (it is in CJK Symbols and
//! Punctuation) but it is a standard character: 《通用规范汉字表》(国务院, 国发〔2013〕23号, 2013)
//! lists it. A Han name may hold it, with a warning, because the letter O and the digit 0 look
//! the same ([`HAN_ZERO`]).
//!
//! # Sources
//! - **`unicode-17`**: Unicode 17.0 (2025-09-09), `Blocks.txt` and the Extension J chart: the
//!   blocks of CJK Unified Ideographs and the 12 unified compatibility ideographs.
//! - **`gb-18030-2022`**: GB 18030-2022《信息技术 中文编码字符集》: the character set of name
//!   records; the mapping of its 2000 edition put some Han characters in the Private Use Area
//!   ([`PRIVATE_USE_TO_HAN`]).
//! - **`gb-t-15834-2011`**: GB/T 15834-2011《标点符号用法》: the 间隔号 ([`SEPARATOR`]).
//! - **`mps-hukou-registration`**: 公安部《户口登记规范》: the separator in minority names.
//! - **`hanzi-2013`**: 《通用规范汉字表》 (国发〔2013〕23号): 〇 U+3007 ([`HAN_ZERO`]).

/// The name separator 间隔号, U+00B7 MIDDLE DOT: GB/T 15834-2011《标点符号用法》(the 间隔号
/// separates the parts of foreign and minority names) and 公安部《户口登记规范》("少数民族姓名中的
/// 间隔符用'·'表示").
pub(crate) const SEPARATOR: char = '\u{00B7}';

/// 〇 U+3007 IDEOGRAPHIC NUMBER ZERO, the Han zero of 《通用规范汉字表》(2013).
pub(crate) const HAN_ZERO: char = '\u{3007}';

/// The blocks of CJK Unified Ideographs in Unicode 17.0.0 (Blocks.txt), as (first, last) code
/// points, in code point order.
pub(crate) const HAN_BLOCKS: [(char, char); 11] = [
    ('\u{3400}', '\u{4DBF}'),   // Extension A
    ('\u{4E00}', '\u{9FFF}'),   // CJK Unified Ideographs (URO)
    ('\u{20000}', '\u{2A6DF}'), // Extension B
    ('\u{2A700}', '\u{2B73F}'), // Extension C
    ('\u{2B740}', '\u{2B81F}'), // Extension D
    ('\u{2B820}', '\u{2CEAF}'), // Extension E
    ('\u{2CEB0}', '\u{2EBEF}'), // Extension F
    ('\u{2EBF0}', '\u{2EE5F}'), // Extension I
    ('\u{30000}', '\u{3134F}'), // Extension G
    ('\u{31350}', '\u{323AF}'), // Extension H
    ('\u{323B0}', '\u{3347F}'), // Extension J (Unicode 17.0; assigned U+323B0–33479)
];

/// The 12 ideographs of the CJK Compatibility Ideographs block that are unified (not duplicates):
/// 﨎 﨏 﨑 﨓 﨔 﨟 﨡 﨣 﨤 﨧 﨨 﨩.
pub(crate) const UNIFIED_COMPATIBILITY_IDEOGRAPHS: [char; 12] = [
    '\u{FA0E}', '\u{FA0F}', '\u{FA11}', '\u{FA13}', '\u{FA14}', '\u{FA1F}', '\u{FA21}', '\u{FA23}',
    '\u{FA24}', '\u{FA27}', '\u{FA28}', '\u{FA29}',
];

/// Private-use code points that the GB 18030-2000 mapping gives some Han characters, and that
/// occur in names. U+E863 is 䶮 (U+4DAE, Extension A), as in the name 刘䶮: systems and fonts
/// built on that mapping still produce U+E863.
const PRIVATE_USE_TO_HAN: [(char, char); 1] = [('\u{E863}', '\u{4DAE}')];

/// Whether `c` is a Han character allowed in a name.
pub(crate) fn is_han(c: char) -> bool {
    HAN_BLOCKS
        .iter()
        .any(|&(first, last)| (first..=last).contains(&c))
        || UNIFIED_COMPATIBILITY_IDEOGRAPHS.contains(&c)
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
pub(crate) const LOOKALIKE_DOTS: [char; 16] = [
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
    '\u{A78F}',  // ꞏ LATIN LETTER SINOLOGICAL DOT
    '\u{2024}',  // ․ ONE DOT LEADER
    '\u{FE52}',  // ﹒ SMALL FULL STOP
    '\u{318D}',  // ㆍ HANGUL LETTER ARAEA (Korean input methods)
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
            '\u{2EE5F}',
            '\u{30000}',
            '\u{323AF}',
            '\u{323B0}',
            '\u{33479}',
            '\u{3347F}',
            '\u{FA29}',
        ] {
            assert!(is_han(c), "{:X}", u32::from(c));
        }
        for c in [
            '\u{4DC0}',
            '\u{33FF}',
            '\u{1FFFF}',
            '\u{2A6E0}',
            '\u{2A6FF}',
            '\u{2EE60}',
            '\u{2F800}',
            '\u{2FFFF}',
            '\u{33480}',
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
