//! Rules that need two fields: the name's script against the document, personal data inside the
//! password or the username, and the name of an organisation (when the document is an
//! organisation's code).
//!
//! # Personal data in a password or username
//! "身份证后六位" and "手机号后六位" are among the most common weak passwords in China (and a
//! common default password), and a username is shown to other users. So the text must not
//! contain, case-insensitively:
//! - **6 characters in a row from the ID number** (the whole number, its last six, its birth
//!   date `YYYYMMDD` or `YYMMDD`, its address code...), or the whole number when shorter;
//! - **6 digits in a row from the phone's national number** (`13812345678`: `138123`, `345678`...);
//! - **the birth date** as `YYYYMMDD` or `YYMMDD` (already covered by the ID rule for numbers
//!   holding it; kept for documents whose number does not). `MMDD` alone is not refused: four
//!   digits match too many unrelated passwords to be worth the user's trouble.
//!
//! The text is compared after keeping only its letters and digits (full-width folded, uppercased),
//! so `138-1234-5678` and `1949.12.31` are caught. Six is the shortest run that is still
//! personal (the "last six" habit) while a random password rarely matches one by chance.
//!
//! # Sources
//! - **`nist-sp-800-63b`**: NIST SP 800-63B (Digital Identity Guidelines: Authentication and
//!   Lifecycle Management, 2017) §5.1.1.2: refuse passwords that are "context-specific words",
//!   such as the user's own data. The six-character run is this library's choice.
//! - **`gb-t-22239-2019`**: GB/T 22239-2019《信息安全技术 网络安全等级保护基本要求》: passwords
//!   of adequate complexity.
//! - **`mps-2001-60`**: 公安部 公治〔2001〕60号: names on mainland household registers are written
//!   in Chinese characters (a foreign name only beside the Han transliteration), hence a Han name
//!   for a mainland document.

use crate::date::Date;
use crate::id::{Checked, Holder, IdKind};
use crate::issue::{Code, Issue, ParamValue};
use crate::name::{controls, NameScript};

/// The shortest run of personal data refused inside a password or username.
pub const PERSONAL_RUN: usize = 6;

/// The minimum length limit of an organisation's name.
pub const ORGANISATION_NAME_MAX_CHARS: usize = 100;

/// The user's data that a password or username must not contain (from fields that passed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PersonalData<'a> {
    /// The phone's national significant number (digits).
    pub phone: Option<&'a str>,
    /// The normalised ID number (ASCII, uppercase).
    pub id_number: Option<&'a str>,
    /// The birth date (from the document or declared).
    pub birth_date: Option<Date>,
}

/// A letter or digit full-width folded to ASCII and uppercased; `None` for any other character
/// (separators, symbols, Han).
fn fold_char(c: char) -> Option<char> {
    let c = match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFF10 + 0x30)?
        }
        c => c,
    };
    c.is_ascii_alphanumeric().then(|| c.to_ascii_uppercase())
}

/// Letters and digits of `text`, folded ([`fold_char`]); other characters are dropped.
fn fold(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

/// A folded character's bit in a set of them (`'0'..='Z'` are bits 0 to 42).
fn bit(c: char) -> u64 {
    1u64.checked_shl(u32::from(c).wrapping_sub(u32::from('0')))
        .unwrap_or(0)
}

/// Whether `haystack` contains `needle` (a plain window scan: the strings are short, and
/// `str::contains` would bring its whole Two-Way searcher into the .wasm).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    match needle.len() {
        0 => false,
        // Needles of personal data are 6 to 8 bytes: each window of the haystack is one word,
        // rolled a byte at a time, and compared with the needle's (no slice comparison per
        // window: those were a tenth of a registration check's time in wasm).
        len @ 1..=8 => {
            let mask = u64::MAX >> (64 - 8 * len);
            let want = word(needle);
            let mut rolled = 0u64;
            haystack.iter().enumerate().any(|(i, &b)| {
                rolled = (rolled << 8 | u64::from(b)) & mask;
                i + 1 >= len && rolled == want
            })
        }
        len => haystack.windows(len).any(|w| w == needle),
    }
}

/// Up to 8 bytes as one big-endian word.
fn word(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |w, &b| w << 8 | u64::from(b))
}

/// Whether `folded` contains `PERSONAL_RUN` characters in a row of `datum` (or all of it when
/// shorter). Both are ASCII after folding; `chars` is the set of `folded`'s characters ([`bit`]).
fn contains_run(folded: &str, chars: u64, datum: &str) -> bool {
    // First a necessary condition, without allocating: some run of that many characters of the
    // folded datum all occur in the text (most passwords share few characters with a phone or ID
    // number, so the windows below are rarely compared).
    let (mut len, mut streak, mut longest) = (0, 0, 0);
    for c in datum.chars().filter_map(fold_char) {
        len += 1;
        streak = if chars & bit(c) != 0 { streak + 1 } else { 0 };
        longest = longest.max(streak);
    }
    if len == 0 || longest < PERSONAL_RUN.min(len) {
        return false;
    }
    let datum = fold(datum);
    let datum = datum.as_bytes();
    if datum.is_empty() {
        return false;
    }
    let run = PERSONAL_RUN.min(datum.len());
    datum
        .windows(run)
        .any(|piece| contains(folded.as_bytes(), piece))
}

/// The kinds of personal data `text` contains: `phone`, `id_number`, `birth_date` (param values
/// of `password_contains_personal_data` and `username_contains_personal_data`).
pub fn personal_data_in(text: &str, personal: &PersonalData<'_>) -> Vec<&'static str> {
    let folded = fold(text);
    let mut found = Vec::new();
    if folded.is_empty() {
        return found;
    }
    let chars = folded.chars().fold(0, |set, c| set | bit(c));
    if personal
        .phone
        .is_some_and(|p| contains_run(&folded, chars, p))
    {
        found.push("phone");
    }
    let id_number = personal
        .id_number
        .is_some_and(|n| contains_run(&folded, chars, n));
    if id_number {
        found.push("id_number");
    }
    if let Some(birth) = personal.birth_date {
        // YYYYMMDD (at most 9999-12-31: eight digits).
        let mut full = [b'0'; 8];
        let mut rest = birth.ymd();
        for digit in full.iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let short = full.get(2..).unwrap_or(&full);
        let text = folded.as_bytes();
        if !id_number && (contains(text, &full) || contains(text, short)) {
            found.push("birth_date");
        }
    }
    found
}

/// The scripts a document's holder writes their name in.
pub const fn scripts_for(holder: Holder) -> &'static [&'static str] {
    match holder {
        Holder::Mainland => &["han"],
        Holder::NonMainland => &["han", "latin"],
        Holder::Organisation => &[],
    }
}

/// `name_script_mismatch` when a personal name's script does not fit the document.
pub fn script_mismatch(kind: IdKind, holder: Holder, script: NameScript) -> Option<Issue> {
    let expected = scripts_for(holder);
    if holder == Holder::Organisation || expected.contains(&script.as_str()) {
        return None;
    }
    Some(
        Issue::new(Code::NameScriptMismatch)
            .with("kind", ParamValue::Str(kind.as_str()))
            .with("expected", ParamValue::List(expected.to_vec())),
    )
}

/// An organisation's name: trimmed, non-empty, at most `max(max_chars, 100)` characters, and free
/// of invisible, bidi-control and private-use characters (each at its 1-based position in the
/// input). Any script, digits and punctuation are fine (`北京某某科技有限公司`, `ABC（中国）有限公司`).
pub fn check_organisation_name(
    input: &str,
    max_chars: usize,
) -> Result<Checked<String>, Vec<Issue>> {
    let max = max_chars.max(ORGANISATION_NAME_MAX_CHARS);
    let position = |i: usize| ParamValue::Int(i64::try_from(i + 1).unwrap_or(i64::MAX));
    let too_long = || {
        Issue::new(Code::NameTooLong).with(
            "max",
            ParamValue::Int(i64::try_from(max).unwrap_or(i64::MAX)),
        )
    };
    if input.len() > max.saturating_mul(16) {
        return Err(vec![too_long()]);
    }
    let trimmed = input.trim_matches(controls::is_trimmable);
    if trimmed.is_empty() {
        return Err(vec![Issue::new(Code::NameEmpty)]);
    }
    let leading = input
        .chars()
        .take_while(|&c| controls::is_trimmable(c))
        .count();
    let mut issues = Vec::new();
    let mut chars = 0;
    for (i, c) in trimmed.chars().enumerate() {
        chars += 1;
        let code = if controls::is_bidi_control(c) {
            Code::NameBidiControl
        } else if controls::is_invisible(c) {
            Code::NameInvisibleCharacter
        } else if controls::is_private_use(c) {
            Code::NamePrivateUse
        } else if c.is_control() {
            Code::NameInvalidCharacter
        } else {
            continue;
        };
        issues.push(Issue::new(code).with("position", position(leading + i)));
    }
    if chars > max {
        issues.push(too_long());
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let mut warnings = Vec::new();
    if trimmed.len() != input.len() {
        warnings.push(Issue::new(Code::NameWhitespaceTrimmed));
    }
    Ok(Checked {
        value: trimmed.to_string(),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_runs_of_personal_data() {
        let personal = PersonalData {
            phone: Some("13812345678"),
            id_number: Some("11010519491231002X"),
            birth_date: Date::new(1949, 12, 31),
        };
        assert_eq!(
            personal_data_in("correct horse", &personal),
            Vec::<&str>::new()
        );
        assert_eq!(personal_data_in("abc345678", &personal), vec!["phone"]);
        assert_eq!(personal_data_in("138-1234-5678", &personal), vec!["phone"]);
        assert_eq!(personal_data_in("pw31002x!", &personal), vec!["id_number"]);
        assert_eq!(
            personal_data_in("１９４９.12.31", &personal),
            vec!["id_number"]
        );
        // Five in a row is not enough.
        assert_eq!(personal_data_in("x34567x", &personal), Vec::<&str>::new());
        let no_id = PersonalData {
            id_number: None,
            ..personal
        };
        assert_eq!(personal_data_in("Pw491231", &no_id), vec!["birth_date"]);
    }

    #[test]
    fn scripts_fit_the_holder() {
        assert!(script_mismatch(IdKind::CnResident, Holder::Mainland, NameScript::Latin).is_some());
        assert!(script_mismatch(IdKind::CnResident, Holder::Mainland, NameScript::Han).is_none());
        let permit = IdKind::HkMacaoTaiwanResidencePermit;
        assert!(script_mismatch(permit, Holder::NonMainland, NameScript::Latin).is_none());
        assert!(script_mismatch(IdKind::Uscc, Holder::Organisation, NameScript::Latin).is_none());
    }

    #[test]
    fn organisation_names() {
        assert!(check_organisation_name("ABC（中国）有限公司 2号", 50).is_ok());
        let issues = check_organisation_name(" 某某\u{202E}公司", 50).unwrap_err();
        assert_eq!(issues[0].code, Code::NameBidiControl);
        assert_eq!(issues[0].int_param("position"), Some(4));
        assert_eq!(
            check_organisation_name("  ", 50).unwrap_err()[0].code,
            Code::NameEmpty
        );
        assert_eq!(
            check_organisation_name(&"公".repeat(101), 50).unwrap_err()[0].code,
            Code::NameTooLong
        );
    }
}

#[cfg(test)]
mod contains_tests {
    #![allow(clippy::indexing_slicing)]

    use super::contains;

    /// The rolled-word search against a plain window scan, on every needle length and random
    /// haystacks over a small alphabet (so that matches, overlaps and near misses are common).
    #[test]
    fn contains_is_a_window_scan() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..200_000 {
            let hay: Vec<u8> = (0..next(24))
                .map(|_| b"01X9\xFF"[next(5) as usize])
                .collect();
            let needle: Vec<u8> = (0..next(11))
                .map(|_| b"01X9\xFF"[next(5) as usize])
                .collect();
            let plain =
                !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle.as_slice());
            assert_eq!(contains(&hay, &needle), plain, "{hay:?} {needle:?}");
        }
    }
}

#[cfg(test)]
mod run_tests {
    #![allow(clippy::indexing_slicing)]

    use super::{contains, contains_run, fold, PERSONAL_RUN};

    /// `contains_run` (with its prefilter on the characters the text holds) against the plain
    /// windows of the folded datum, on random texts and data over a small alphabet with full-width
    /// and lower-case forms, separators and Han (so that runs, near misses and folding are common).
    #[test]
    fn contains_run_is_the_plain_window_search() {
        let alphabet = ['1', '2', 'x', 'X', 'ｘ', '２', '-', '中', '０'];
        let mut found = 0;
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        for _ in 0..100_000 {
            let mut pick = |len: u64| -> String {
                (0..next(len))
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            };
            let (text, datum) = (pick(20), pick(12));
            let folded = fold(&text);
            let chars = folded.chars().fold(0, |set, c| set | super::bit(c));
            let d = fold(&datum);
            let plain = !d.is_empty()
                && d.as_bytes()
                    .windows(PERSONAL_RUN.min(d.len()))
                    .any(|w| contains(folded.as_bytes(), w));
            assert_eq!(
                contains_run(&folded, chars, &datum),
                plain,
                "{text:?} {datum:?}"
            );
            found += usize::from(plain);
        }
        assert!(found > 1_000, "{found} data found");
    }
}
