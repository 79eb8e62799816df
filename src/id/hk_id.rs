//! Hong Kong identity card number (香港身份證號碼).
//!
//! **Standard**: 《人事登記條例》 (Registration of Persons Ordinance, Cap. 177) and its regulations
//! (Cap. 177A), <https://www.elegislation.gov.hk/hk/cap177>; the check character's algorithm is
//! not published (see below).
//!
//! **Scheme** ([`Scheme`]): [`HkId`] (8 to 13 characters as written).
//!
//! **Layout**: one or two letters, six digits, and a check character (`0`-`9` or `A`), usually
//! printed with the check character in brackets: `A123456(3)`. Written forms accepted here:
//! `A123456(3)`, `A1234563`, and either with spaces between the parts (`A 123456 (3)`). Any other
//! character (e.g. `[`, which validator.js lets through) is not a Hong Kong ID.
//!
//! **Check** (widely documented; the Immigration Department has not published it): letters are
//! worth A=10 … Z=35, and a single letter is padded with a leading space worth 36. The eight
//! values are weighted 9 … 2; the check value is `11 − (Σ mod 11)`, where 10 is written `A` and
//! 11 is written `0`. Equivalently, `Σ + check` is a multiple of 11.
//!
//! **What it yields**: the printed form `A123456(3)`. The card carries no birth date, gender or
//! place in its number.
//!
//! # Sources
//! - **`hk-cap-177`**: 人事登記條例 (Registration of Persons Ordinance, Cap. 177) and its
//!   regulations (Cap. 177A), under which the Immigration Department issues the card: the
//!   document itself, not its check rule.
//! - **`hk-id-check-digit`**: the check character's algorithm as widely documented (open-source
//!   validators, reference works); the Immigration Department has not published it. Correct on
//!   every issued number seen.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{IdKind, IdValue, KindResult, KindSet, Limits};
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

/// The value of a check character: `0`-`9`, or `A` for 10.
fn check_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'A' => Some(10),
        _ => None,
    }
}

/// The check character for the letters and digits before it.
pub(crate) fn check_char(letters: &[u8], digits: &[u8]) -> u8 {
    // A single letter is padded with a leading space worth 36.
    let letter_values = match letters {
        [a] => [36, u32::from(a.wrapping_sub(b'A')) + 10],
        [a, b] => [
            u32::from(a.wrapping_sub(b'A')) + 10,
            u32::from(b.wrapping_sub(b'A')) + 10,
        ],
        _ => [0, 0],
    };
    let digit_values = digits.iter().map(|d| u32::from(d.wrapping_sub(b'0')));
    let sum: u32 = letter_values
        .into_iter()
        .chain(digit_values)
        .zip((2..=9u32).rev())
        .map(|(v, w)| v * w)
        .sum();
    match 11 - sum % 11 {
        10 => b'A',
        11 => b'0',
        v => b'0' + v as u8,
    }
}

/// The parts of a written Hong Kong ID: letters, six digits, check character.
struct Parts<'a> {
    letters: &'a [u8],
    digits: &'a [u8],
    check: u8,
}

/// Splits `b` into its parts if it has the written shape; `None` otherwise.
fn parse(b: &[u8]) -> Option<Parts<'_>> {
    let letter_count = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letter_count) {
        return None;
    }
    let (letters, rest) = b.split_at_checked(letter_count)?;
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let (digits, rest) = rest.split_at_checked(6)?;
    if !super::all_digits(digits) {
        return None;
    }
    let check = super::written_check_character(rest)?;
    check_value(check)?;
    Some(Parts {
        letters,
        digits,
        check,
    })
}

/// The Hong Kong identity card number.
pub(crate) struct HkId;

impl Scheme for HkId {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::HkId);
    const LENGTHS: RangeInclusive<usize> = 8..=13;

    /// The shape: one or two letters, six digits and a check character, in a written form above.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        let parts = parse(b)?;
        let expected = check_char(parts.letters, parts.digits);
        if parts.check != expected {
            return Some(Err(vec![Issue::new(Code::IdChecksumMismatch)
                .with("kind", ParamValue::Str(IdKind::HkId.as_str()))
                .with("expected", ParamValue::Char(char::from(expected)))]));
        }
        let printed = super::printed_form(parts.letters, parts.digits, parts.check);
        let mut value = IdValue::new(IdKind::HkId, printed);
        value.jurisdiction = Some(Jurisdiction::Hk);
        Some(Ok((value, Vec::new())))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        match parse(b) {
            None => Verdict::NotThisShape,
            Some(parts) if parts.check != check_char(parts.letters, parts.digits) => {
                Verdict::Invalid(Code::IdChecksumMismatch)
            }
            Some(_) => Verdict::Valid(IdKind::HkId),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scheme::test_limits;
    use super::*;

    #[test]
    fn check_characters_of_published_examples() {
        // Worked examples of the rule.
        assert_eq!(check_char(b"A", b"123456"), b'3');
        assert_eq!(check_char(b"C", b"668668"), b'9');
        assert_eq!(check_char(b"AB", b"987654"), b'3');
        assert_eq!(check_char(b"G", b"123456"), b'A');
    }

    #[test]
    fn written_forms() {
        for form in [
            &b"A123456(3)"[..],
            b"A1234563",
            b"A 123456 (3)",
            b"A123456 3",
        ] {
            assert!(
                matches!(HkId::check(form, &test_limits()), Some(Ok(_))),
                "{form:?}"
            );
        }
        for not_hk in [
            &b"A123456[3]"[..],
            b"A123456(3",
            b"123456(3)",
            b"ABC123456(3)",
            b"A12345(3)",
        ] {
            assert!(HkId::check(not_hk, &test_limits()).is_none(), "{not_hk:?}");
            assert_eq!(HkId::verdict(not_hk, &test_limits()), Verdict::NotThisShape);
        }
    }
}
