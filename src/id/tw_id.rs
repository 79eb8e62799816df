//! Taiwan national identification number (中華民國國民身分證統一編號) and resident certificate
//! numbers (居留證統一證號).
//!
//! **Standard**: 內政部 (戶政司), the 國民身分證統一編號; 內政部移民署, the 新式外來人口統一證號
//! (issued from 2021-01-02),
//! <https://eycc.ey.gov.tw/Page/9FAC64F67005E355/d40f6aeb-4c48-4841-a6f3-b63fbf8010a4>; the check
//! algorithm is not published (see below).
//!
//! **Scheme** ([`Scheme`]): [`TwId`] (10 characters).
//!
//! **Layout**: a letter (the household registration office's county or city), then
//! - `1` (male) or `2` (female) and 8 digits: the national ID;
//! - since 2021, `8` (male) or `9` (female) and 8 digits: the new resident certificate number of
//!   foreign residents, with the same checksum;
//! - before 2021, a second letter `A`-`D` (`A`/`C` male, `B`/`D` female) and 8 digits: the older
//!   resident certificate number.
//!
//! **Checksum** (widely documented; 內政部 publishes the layout of the 統一編號, not the
//! algorithm; the new resident numbers of 內政部移民署 since 2021-01-02 use the same): the first
//! letter is worth A=10 … H=17, J=18 … N=22, P=23 … V=29, X=30, Y=31, W=32, Z=33, I=34, O=35;
//! its two digits d1 d2 count as `d1 + 9·d2`; the next 8 characters are weighted 8 … 1 (an older
//! second letter counts as the last digit of its letter value); the last digit is added; the
//! total must be a multiple of 10.
//!
//! **What it yields**: the gender (from the second character). The first letter names the
//! registration office, not the birthplace, so no region is returned.
//!
//! # Sources
//! - **`tw-moi-national-id`**: 內政部 (戶政司), the 國民身分證統一編號: a letter for the
//!   registering county or city, `1`/`2` for the gender, 8 digits, the last a check digit. The
//!   check algorithm is not published by 內政部; the one used here is widely documented.
//! - **`tw-nia-2021-ui-number`**: 內政部移民署, the 新式外來人口統一證號 issued since 2021-01-02:
//!   the national ID's layout with `8`/`9` as the gender digit; the older number (two letters and
//!   8 digits) is withdrawn from 2031-01-01.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{Gender, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

/// The value of a first letter.
fn letter_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'H' => u32::from(c - b'A') + 10,
        b'J'..=b'N' => u32::from(c - b'J') + 18,
        b'P'..=b'V' => u32::from(c - b'P') + 23,
        b'X' => 30,
        b'Y' => 31,
        b'W' => 32,
        b'Z' => 33,
        b'I' => 34,
        b'O' => 35,
        _ => return None,
    })
}

/// Weights of the last eight digits: 7 … 1, and the check digit itself counted once.
const TAIL_WEIGHTS: [u32; 8] = [7, 6, 5, 4, 3, 2, 1, 1];

/// The weighted sum of everything but the last digit, and the gender, if `b` has the shape.
fn parse(b: &[u8; 10]) -> Option<(u32, Gender)> {
    let [first, second, rest @ ..] = b;
    let first_value = letter_value(*first)?;
    let (second_digit, gender) = match second {
        b'1' | b'8' => (u32::from(second - b'0'), Gender::Male),
        b'2' | b'9' => (u32::from(second - b'0'), Gender::Female),
        b'A' | b'C' => (letter_value(*second)? % 10, Gender::Male),
        b'B' | b'D' => (letter_value(*second)? % 10, Gender::Female),
        _ => return None,
    };
    if !super::all_digits(rest) {
        return None;
    }
    let digits = rest.iter().map(|c| u32::from(c - b'0'));
    let sum = first_value / 10
        + 9 * (first_value % 10)
        + 8 * second_digit
        + digits.zip(TAIL_WEIGHTS).map(|(d, w)| d * w).sum::<u32>();
    Some((sum, gender))
}

/// The last digit that makes the checksum hold, for the first nine characters of `b`.
pub(crate) fn check_digit(b: &[u8; 10]) -> Option<u8> {
    let mut probe = *b;
    if let Some(last) = probe.last_mut() {
        *last = b'0';
    }
    let (sum, _) = parse(&probe)?;
    Some(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// The Taiwan national ID and resident certificate numbers.
pub(crate) struct TwId;

impl Scheme for TwId {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::TwId);
    const LENGTHS: RangeInclusive<usize> = 10..=10;

    /// The shape: a first letter, a gender digit or letter, and 8 digits.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        let b10 = <&[u8; 10]>::try_from(b).ok()?;
        let (sum, gender) = parse(b10)?;
        if sum % 10 != 0 {
            let expected = check_digit(b10)?;
            return Some(Err(vec![Issue::new(Code::IdChecksumMismatch)
                .with("kind", ParamValue::Str(IdKind::TwId.as_str()))
                .with("expected", ParamValue::Char(char::from(expected)))]));
        }
        let mut value = IdValue::new(IdKind::TwId, super::ascii_string(b));
        value.gender = Some(gender);
        value.jurisdiction = Some(Jurisdiction::Tw);
        Some(Ok((value, Vec::new())))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        match <&[u8; 10]>::try_from(b).ok().and_then(parse) {
            None => Verdict::NotThisShape,
            Some((sum, _)) if sum % 10 != 0 => Verdict::Invalid(Code::IdChecksumMismatch),
            Some(_) => Verdict::Valid(IdKind::TwId),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scheme::test_limits;
    use super::*;

    fn ok(s: &[u8]) -> bool {
        matches!(TwId::check(s, &test_limits()), Some(Ok(_)))
    }

    #[test]
    fn national_and_resident_numbers() {
        // A123456789 is the textbook example of the checksum.
        assert!(ok(b"A123456789"));
        assert!(!ok(b"A123456788"));
        assert!(TwId::check(b"A323456789", &test_limits()).is_none());
        // 2021+ resident numbers (second digit 8/9) and older two-letter ones.
        assert_eq!(check_digit(b"A800000010"), Some(b'4'));
        assert!(ok(b"A800000014"));
        let old = {
            let mut b = *b"AC01234560";
            b[9] = check_digit(&b).unwrap();
            b
        };
        assert!(ok(&old));
    }
}
