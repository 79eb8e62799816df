//! Masking for display and logs.
//!
//! GB/T 35273-2020《信息安全技术 个人信息安全规范》§7.2 (个人信息的展示限制) asks for
//! de-identified display of personal information without fixing a pattern. This module fixes one.
//!
//! # Numbers (ID documents and phones): the rule
//!
//! Of a number's `n` **significant characters** (letters and digits; not the spaces, brackets,
//! hyphens, dots and `+` around them, nor a phone's `+852 ` country code, which are shown as
//! written), a mask hides **at least half, rounded up, and never fewer than four** (all of them
//! when `n` < 4): at least `max(⌈n/2⌉, min(4, n))`, whatever the options ([`min_hidden`]).
//!
//! Within that limit each end shows [`MaskOptions::keep_start`] and [`MaskOptions::keep_end`]
//! characters. When they ask for more than the limit allows (`v = n − min_hidden(n)` shown
//! characters), each end is cut to `⌊v/2⌋`, and an end that asked for less leaves its unused share
//! to the other. With the defaults (4 and 4) each end shows `⌊n/4⌋` characters for `n` ≥ 8, and at
//! most 4:
//!
//! | number | `n` | mask |
//! |---|---|---|
//! | resident ID `11010519491231002X` | 18 | `1101**********002X` (8 shown) |
//! | first-generation ID `110105491231002` | 15 | `110*********002` (6 shown) |
//! | mobile `13812345678` | 11 | `13*******78` (4 shown) |
//! | passport `E12345678`, permit `H12345678` | 9 | `E1*****78`, `H1*****78` |
//! | Hong Kong mobile `+852 9123 4567` | 8 | `+852 91****67` |
//! | Hong Kong ID `A123456(3)` | 8 | `A1****6(3)` |
//! | `1234567` | 7 | `1*****7` |
//! | `12345` | 5 | `*****` |
//! | `1234` or shorter | ≤ 4 | all hidden |
//!
//! **Why.** A mask is shown next to answers that confirm a guess. The familiar patterns hide
//! little in short numbers: `E123*5678` (a passport), `H123*5678`, `1234****`, `+852 912*4567`
//! hide one to four characters, and with a server's "this number is already registered" answer a
//! full passport number was recovered from its mask in 10 requests (one per value of the hidden
//! digit). Hiding at least four characters leaves at least 10⁴ candidates for digits, and hiding
//! at least half means the mask never shows the larger part of any number. The long forms people
//! know survive where they meet the rule (`1101**********123X`); a mobile's `138****5678` shows 7
//! of 11 digits and does not: it is now `13*******78`.
//!
//! # Names
//!
//! Names keep their own rule: `张*三` (first and last character of a Han name, the separator `·`
//! kept), `C*** T** M**` (first letter of each word of a Latin name); a Han name too short for
//! first + last to hide anything keeps at most half of its characters (`张*`, `*`).
//!
//! # Sources
//! - **`gb-t-35273-2020`**: GB/T 35273-2020《信息安全技术 个人信息安全规范》 §7.2 (个人信息的展示
//!   限制): de-identify personal information shown; no pattern is given, so the rule above is
//!   this library's.

/// How much stays visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaskOptions {
    /// Characters shown at the start. For numbers, at most this many: the rule of the module doc
    /// may show fewer.
    pub keep_start: usize,
    /// Characters shown at the end (for numbers, at most this many, as for `keep_start`).
    pub keep_end: usize,
    /// The character shown instead of hidden ones.
    pub mask_char: char,
}

impl MaskOptions {
    /// ID numbers: up to 4 characters at each end, `⌊n/4⌋` for shorter numbers.
    pub const ID: MaskOptions = MaskOptions {
        keep_start: 4,
        keep_end: 4,
        mask_char: '*',
    };
    /// Phone numbers: the same rule as ID numbers (`13*******78`).
    pub const PHONE: MaskOptions = MaskOptions {
        keep_start: 4,
        keep_end: 4,
        mask_char: '*',
    };
    /// Names: the first and the last character (see the module doc).
    pub const NAME: MaskOptions = MaskOptions {
        keep_start: 1,
        keep_end: 1,
        mask_char: '*',
    };
}

/// The fewest of a number's `n` significant characters a mask hides: `max(⌈n/2⌉, min(4, n))`.
pub const fn min_hidden(n: usize) -> usize {
    let half = n.div_ceil(2);
    let four = if n < 4 { n } else { 4 };
    if half > four {
        half
    } else {
        four
    }
}

/// How many significant characters each end of a number of `n` shows (see the module doc).
fn visible_ends(n: usize, options: &MaskOptions) -> (usize, usize) {
    let (wanted_start, wanted_end) = (options.keep_start, options.keep_end);
    let budget = n - min_hidden(n);
    if wanted_start.saturating_add(wanted_end) <= budget {
        return (wanted_start, wanted_end);
    }
    let share = budget / 2;
    let start = wanted_start.min(share);
    let end = wanted_end.min(share);
    let left_over = budget - start - end;
    if start == wanted_start {
        (start, wanted_end.min(end + left_over))
    } else if end == wanted_end {
        (wanted_start.min(start + left_over), end)
    } else {
        // Both ends want more: the odd character left over stays hidden (symmetric masks).
        (start, end)
    }
}

/// Characters around a number's significant ones (spaces, brackets, hyphens and dashes, dots,
/// `+`): shown as written and not counted.
fn is_layout(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '（' | '）' | '[' | ']' | '-' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FF0D}' | '.' | '+'
        )
}

/// Masks a number by the rule of the module doc.
fn mask_number(text: &str, options: &MaskOptions) -> String {
    let n = text.chars().filter(|&c| !is_layout(c)).count();
    let (start, end) = visible_ends(n, options);
    let mut seen = 0usize;
    text.chars()
        .map(|c| {
            if is_layout(c) {
                return c;
            }
            let index = seen;
            seen += 1;
            if index < start || index >= n - end {
                c
            } else {
                options.mask_char
            }
        })
        .collect()
}

/// Keeps `keep_start` and `keep_end` characters of a name's `chars`; a name too short for that to
/// hide anything keeps at most half of its characters.
fn mask_name_chars(chars: &[char], options: &MaskOptions, keep: impl Fn(char) -> bool) -> String {
    let n = chars.len();
    let (start, end) = if n > options.keep_start.saturating_add(options.keep_end) {
        (options.keep_start, options.keep_end)
    } else {
        let budget = n / 2;
        let start = options.keep_start.min(budget);
        (start, options.keep_end.min(budget - start))
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i < start || i >= n.saturating_sub(end) || keep(c) {
                c
            } else {
                options.mask_char
            }
        })
        .collect()
}

/// Masks an ID number (trimmed first). `1101**********123X` with [`MaskOptions::ID`]; spaces and
/// brackets stay where they are (`A1****6(3)`).
pub fn mask_id(input: &str, options: &MaskOptions) -> String {
    mask_number(input.trim(), options)
}

/// Masks a mobile number: the country code (when written) stays, separators are dropped, and the
/// national digits are masked. `13*******78` / `+86 13*******78` / `+852 91****67` with
/// [`MaskOptions::PHONE`]. Input that is not a valid number is masked as written.
pub fn mask_phone(input: &str, options: &MaskOptions) -> String {
    match crate::phone::check_phone(input, &crate::phone::PhoneOptions::default()) {
        Ok(checked) => {
            let masked = mask_number(&checked.value.national, options);
            let written_with_code =
                input.trim_start().starts_with('+') || input.trim_start().starts_with("00");
            if written_with_code {
                format!("+{} {masked}", checked.value.region.country_code())
            } else {
                masked
            }
        }
        // Not a phone number we understand: mask what is there by the same rule.
        Err(_) => mask_number(input.trim(), options),
    }
}

/// Characters of a Latin name that stay visible (they carry no personal information).
fn is_name_punctuation(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}' | ',' | '.' | '\u{B7}')
}

/// Masks a name: a Han name keeps its first and last character (and its `·` separators), a Latin
/// name the first letter of each word. `张*三`, `古***·***力`, `C*** T** M**` with
/// [`MaskOptions::NAME`].
pub fn mask_name(input: &str, options: &MaskOptions) -> String {
    let trimmed = input.trim();
    let is_latin = trimmed.chars().any(char::is_alphabetic)
        && trimmed.chars().all(|c| !crate::name::is_han(c));
    if is_latin {
        return trimmed
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|word| {
                word.chars()
                    .enumerate()
                    .map(|(i, c)| {
                        if i < options.keep_start.min(1) || is_name_punctuation(c) {
                            c
                        } else {
                            options.mask_char
                        }
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ");
    }
    // Two characters (张三) are too short for first + last: half is kept, giving 张*.
    let chars: Vec<char> = trimmed.chars().collect();
    mask_name_chars(&chars, options, |c| c == '\u{B7}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        for (input, masked) in [
            ("11010519491231002X", "1101**********002X"),
            (" 110105491231002 ", "110*********002"),
            ("E12345678", "E1*****78"),
            ("EA1234567", "EA*****67"),
            ("H12345678", "H1*****78"),
            ("A123456(3)", "A1****6(3)"),
            ("12345678", "12****78"),
            ("1234567", "1*****7"),
            ("123456", "1****6"),
            ("12345", "*****"),
            ("1234", "****"),
            ("12", "**"),
            ("", ""),
        ] {
            assert_eq!(mask_id(input, &MaskOptions::ID), masked, "{input}");
        }
        for (input, masked) in [
            ("13812345678", "13*******78"),
            ("+86 138-1234-5678", "+86 13*******78"),
            ("+852 9123 4567", "+852 91****67"),
            ("0912-345-678", "91*****78"),
            ("not a phone", "no* * ***ne"),
            ("1234567", "1*****7"),
        ] {
            assert_eq!(mask_phone(input, &MaskOptions::PHONE), masked, "{input}");
        }
    }

    #[test]
    fn options_are_honoured_within_the_rule() {
        let with = |keep_start, keep_end| MaskOptions {
            keep_start,
            keep_end,
            mask_char: '*',
        };
        // Within the limit: as asked.
        assert_eq!(
            mask_id("11010519491231002X", &with(6, 0)),
            "110105************"
        );
        assert_eq!(mask_phone("13812345678", &with(0, 4)), "*******5678");
        assert_eq!(
            mask_id("11010519491231002X", &with(0, 0)),
            "******************"
        );
        // Beyond it: cut, the unused share of one end going to the other.
        assert_eq!(
            mask_id("11010519491231002X", &with(9, 9)),
            "1101**********002X"
        );
        assert_eq!(mask_phone("13812345678", &with(3, 4)), "13*******78");
        assert_eq!(mask_phone("13812345678", &with(1, 9)), "1******5678");
        assert_eq!(mask_id("E12345678", &with(8, 0)), "E123*****");
        assert_eq!(mask_id("1234", &with(64, 64)), "****");
    }

    #[test]
    fn min_hidden_is_half_and_at_least_four() {
        let expected = [0, 1, 2, 3, 4, 4, 4, 4, 4, 5, 5, 6, 6];
        for (n, hidden) in expected.iter().enumerate() {
            assert_eq!(min_hidden(n), *hidden, "{n}");
        }
        assert_eq!(min_hidden(18), 9);
    }

    #[test]
    fn names() {
        assert_eq!(mask_name("张三丰", &MaskOptions::NAME), "张*丰");
        assert_eq!(mask_name("张三", &MaskOptions::NAME), "张*");
        assert_eq!(mask_name("王", &MaskOptions::NAME), "*");
        assert_eq!(
            mask_name("古丽米热·艾比布力", &MaskOptions::NAME),
            "古***·***力"
        );
        assert_eq!(
            mask_name("Chan Tai Man", &MaskOptions::NAME),
            "C*** T** M**"
        );
        assert_eq!(
            mask_name("CHAN, Tai-man", &MaskOptions::NAME),
            "C***, T**-***"
        );
        assert_eq!(mask_name("😀😀😀", &MaskOptions::NAME), "😀*😀");
        assert_eq!(mask_name("------", &MaskOptions::NAME), "-****-");
    }
}
