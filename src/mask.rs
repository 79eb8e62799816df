//! Masking for display and logs (GB/T 35273-2020 §7.2 asks for de-identification of personal
//! information in display, without fixing a pattern; RULES.md §6 gives the defaults).
//!
//! Defaults: `1101**********123X` (first 4 and last 4 characters of an ID number),
//! `138****5678` (first 3 and last 4 digits of a mobile number's national part), `张*三` (first
//! and last character of a Han name, the separator `·` kept), `C*** T** M**` (first letter of each
//! word of a Latin name). An input too short for those to hide anything keeps at most half of
//! its characters.

/// How much stays visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaskOptions {
    /// Characters kept at the start.
    pub keep_start: usize,
    /// Characters kept at the end.
    pub keep_end: usize,
    /// The character shown instead of hidden ones.
    pub mask_char: char,
}

impl MaskOptions {
    pub const ID: MaskOptions = MaskOptions {
        keep_start: 4,
        keep_end: 4,
        mask_char: '*',
    };
    pub const PHONE: MaskOptions = MaskOptions {
        keep_start: 3,
        keep_end: 4,
        mask_char: '*',
    };
    pub const NAME: MaskOptions = MaskOptions {
        keep_start: 1,
        keep_end: 1,
        mask_char: '*',
    };
}

/// Keeps `keep_start` and `keep_end` characters of `chars`; an input too short for that to hide
/// anything keeps at most half of its characters.
fn mask_chars(chars: &[char], options: &MaskOptions, keep: impl Fn(char) -> bool) -> String {
    let n = chars.len();
    let (start, end) = if n > options.keep_start + options.keep_end {
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

/// Masks an ID number (trimmed first). `1101**********123X` with [`MaskOptions::ID`].
pub fn mask_id(input: &str, options: &MaskOptions) -> String {
    let chars: Vec<char> = input.trim().chars().collect();
    mask_chars(&chars, options, |_| false)
}

/// Masks a mobile number: the country code (when written) stays, separators are dropped, and the
/// national digits are masked. `+86 138****5678` / `138****5678` with [`MaskOptions::PHONE`].
pub fn mask_phone(input: &str, options: &MaskOptions) -> String {
    match crate::phone::check_phone(input, &crate::phone::PhoneOptions::default()) {
        Ok(checked) => {
            let national: Vec<char> = checked.value.national.chars().collect();
            let masked = mask_chars(&national, options, |_| false);
            let written_with_code =
                input.trim_start().starts_with('+') || input.trim_start().starts_with("00");
            if written_with_code {
                format!("+{} {masked}", checked.value.region.country_code())
            } else {
                masked
            }
        }
        // Not a phone number we understand: mask what is there, keeping only the ends.
        Err(_) => {
            let chars: Vec<char> = input.trim().chars().collect();
            mask_chars(&chars, options, |_| false)
        }
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
    // Two characters (张三) are too short for first + last: mask_chars keeps half, giving 张*.
    let chars: Vec<char> = trimmed.chars().collect();
    mask_chars(&chars, options, |c| c == '\u{B7}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            mask_id("11010519491231002X", &MaskOptions::ID),
            "1101**********002X"
        );
        assert_eq!(
            mask_id(" 110105491231002 ", &MaskOptions::ID),
            "1101*******1002"
        );
        assert_eq!(mask_id("1234", &MaskOptions::ID), "12**");
        assert_eq!(mask_id("", &MaskOptions::ID), "");
        assert_eq!(
            mask_phone("13812345678", &MaskOptions::PHONE),
            "138****5678"
        );
        assert_eq!(
            mask_phone("+86 138-1234-5678", &MaskOptions::PHONE),
            "+86 138****5678"
        );
        assert_eq!(
            mask_phone("+852 9123 4567", &MaskOptions::PHONE),
            "+852 912*4567"
        );
        assert_eq!(
            mask_phone("not a phone", &MaskOptions::PHONE),
            "not****hone"
        );
        assert_eq!(mask_phone("1234567", &MaskOptions::PHONE), "123****");
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
