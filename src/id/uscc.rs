//! Unified Social Credit Code of organisations (统一社会信用代码), GB 32100-2015.
//!
//! **Standard**: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》 (mandatory, in force
//! 2015-10-01),
//! <http://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=24691C25985C1073D3A7C85629378AC0>; the
//! organisation code inside: GB 11714-1997《全国组织机构代码编制规则》.
//!
//! **Scheme** ([`Scheme`]): [`Uscc`] (18 characters).
//!
//! **Layout**: 18 characters from `0-9A-HJ-NPQRTUWXY` (no `I`, `O`, `S`, `V`, `Z`):
//! 1. registration authority: `1`-`9`, `A`, `N` or `Y` (python-stdnum wrongly rejects
//!    the letters);
//! 2. organisation type: a digit `1`-`9`;
//! 3. to 8. the registering authority's division code (GB/T 2260);
//! 9. to 17. the organisation code of GB 11714-1997: 8 characters and its own check character,
//!    with letters worth A=10 … Z=35, weights 3 7 9 10 5 8 4 2, check `11 − (Σ mod 11)` where
//!    10 is written `X` and 11 is written `0`;
//! 18. the check character: characters are worth their index in the alphabet above, with
//!     weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28; check `(31 − Σ mod 31) mod 31`.
//!
//! **Pilot-era codes**: some codes issued during the pilots fail the final check while their
//! organisation code is right. A caller that expects them can opt in
//! ([`IdOptions::allow_pilot_era`](super::IdOptions::allow_pilot_era), off by default): that
//! case is then accepted with the warning `id_checksum_pilot_era`. Off, it is
//! `id_checksum_mismatch` with the expected character, because the leniency also lets every
//! typo in the last character through. A failing organisation code is always an error. The
//! leniency never holds where a resident ID is accepted as well: one in 11 mistyped 18-digit
//! resident ID numbers would pass it, so a form taking both gets the strict check.
//!
//! **What it yields**: the division of the registering authority (with names when the code is in
//! the table). Whether a code was ever issued needs the national registry.
//!
//! # Sources
//! - **`gb-32100-2015`**: GB 32100-2015《法人和其他组织统一社会信用代码编码规则》: the alphabet,
//!   the layout, the registration authority codes, the weights and the check character. Pilot
//!   codes that fail the check are an observed fact, not a rule of the standard.
//! - **`gb-11714-1997`**: GB 11714-1997《全国组织机构代码编制规则》: the 9-character
//!   organisation code inside and its check character.
//! - **`gb-t-2260`**: GB/T 2260: the registering authority's division code.

use core::ops::RangeInclusive;

#[cfg(not(target_arch = "wasm32"))]
use super::batch::{lane_weights, weighted, EVEN_BYTES, ONES};
use super::cn_resident::{in_resident_alphabet, MAINLAND_LAYOUT};
use super::scheme::{Scheme, Verdict};
use super::{region_value, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::issue::{Code, Issue, ParamValue};
use crate::jurisdiction::Jurisdiction;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Each byte's value in [`ALPHABET`], or `NOT_IN_ALPHABET`: a table, because the fast paths check
/// every 18-character line with letters against it.
#[allow(clippy::indexing_slicing)] // const evaluation: a bad index fails the build, never at run time
const VALUES: [u8; 256] = {
    let mut table = [NOT_IN_ALPHABET; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NOT_IN_ALPHABET: u8 = u8::MAX;

fn value(c: u8) -> Option<u32> {
    match VALUES.get(usize::from(c)) {
        Some(&v) if v != NOT_IN_ALPHABET => Some(u32::from(v)),
        _ => None,
    }
}

/// The GB 32100 check character of the first 17 characters (all from the alphabet).
pub(crate) fn check_char(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(&c, w)| value(c).unwrap_or(0) * w)
        .sum();
    let index = ((31 - sum % 31) % 31) as usize;
    ALPHABET.get(index).copied().unwrap_or(b'0')
}

/// The GB 11714 check character of an organisation code's first 8 characters.
pub(crate) fn org_check_char(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(ORG_WEIGHTS)
        .map(|(&c, w)| {
            let v = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'A'..=b'Z' => u32::from(c - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        v => b'0' + v as u8,
    }
}

/// The two check characters of a credit-code-shaped input: found and expected.
struct Checks {
    org_found: u8,
    org_expected: u8,
    found: u8,
    expected: u8,
}

impl Checks {
    fn org_ok(&self) -> bool {
        self.org_found == self.org_expected
    }
    fn check_ok(&self) -> bool {
        self.found == self.expected
    }
}

/// The checks of `b18`, if it has the shape of a credit code. No allocation, and no branch per
/// character: the batch asks this of every 18-character line with a letter in it.
#[cfg(not(target_arch = "wasm32"))]
fn checks(b18: &[u8; 18]) -> Option<Checks> {
    let (head, _) = b18.split_first_chunk::<8>()?;
    let [authority, organisation_type, ..] = *head;
    // Places 3 to 8, the division code, digits (tested first: a letter typed into a resident ID
    // is there about as often as in the organisation code). The lowest byte that is no digit
    // sets its high bit in one of the three terms.
    let division = u64::from_le_bytes(*head) >> 16;
    let non_digits = (division
        | division.wrapping_add(0x4646_4646_4646)
        | division.wrapping_sub(0x3030_3030_3030))
        & 0x8080_8080_8080;
    if !(matches!(authority, b'1'..=b'9' | b'A' | b'N' | b'Y')
        && matches!(organisation_type, b'1'..=b'9')
        && non_digits == 0)
    {
        return None;
    }
    let values = b18.map(|c| {
        VALUES
            .get(usize::from(c))
            .copied()
            .unwrap_or(NOT_IN_ALPHABET)
    });
    // The values of places 1-8, 9-16 and 17-18 as words, a value per byte (the first lowest).
    let (v0, rest) = values.split_first_chunk::<8>()?;
    let (v1, v2) = rest.split_first_chunk::<8>()?;
    let (v0, v1) = (u64::from_le_bytes(*v0), u64::from_le_bytes(*v1));
    let v2 = v2.iter().rev().fold(0, |word, &v| word << 8 | u64::from(v));
    // Values are below 31, so only NOT_IN_ALPHABET sets a high bit.
    if (v0 | v1 | v2) & 0x8080_8080_8080_8080 != 0 {
        return None;
    }
    // The weighted sums a word at a time: the values of the even places and of the odd ones in
    // 16-bit lanes, four products of at most 30 × 30 summed in a lane (see `weighted`).
    let even = |w: u64| w & EVEN_BYTES;
    let odd = |w: u64| (w >> 8) & EVEN_BYTES;
    let sum = weighted(even(v0), const { every_other(&WEIGHTS, 0) })
        + weighted(odd(v0), const { every_other(&WEIGHTS, 1) })
        + weighted(even(v1), const { every_other(&WEIGHTS, 8) })
        + weighted(odd(v1), const { every_other(&WEIGHTS, 9) })
        + weighted(even(v2), const { every_other(&WEIGHTS, 16) });
    // GB 11714 counts letters from A = 10 with no gaps (c - 55); digits are worth the same in
    // both (c - 48). Every byte is in the alphabet here, so below 0x80: + 0x3F sets the high bit
    // of a letter's.
    let (_, org) = b18.split_first_chunk::<8>()?;
    let org = u64::from_le_bytes(*org.first_chunk::<8>()?);
    let letters = (org.wrapping_add(0x3F * ONES) & (0x80 * ONES)) >> 7;
    let org = org.wrapping_sub(0x30 * ONES).wrapping_sub(7 * letters);
    let org_sum = weighted(even(org), const { every_other(&ORG_WEIGHTS, 0) })
        + weighted(odd(org), const { every_other(&ORG_WEIGHTS, 1) });
    let org_expected = match 11 - org_sum % 11 {
        10 => b'X',
        11 => b'0',
        v => b'0' + v as u8,
    };
    let index = ((31 - sum % 31) % 31) as usize;
    Some(Checks {
        org_found: *b18.get(16)?,
        org_expected,
        found: *b18.get(17)?,
        expected: ALPHABET.get(index).copied().unwrap_or(b'0'),
    })
}

/// The weights of places `first`, `first + 2`, `first + 4` and `first + 6` (0 past the end) in
/// 16-bit lanes, as [`weighted`] takes them (called in const blocks only).
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::indexing_slicing)] // const evaluation: a bad index fails the build, never at run time
const fn every_other(weights: &[u32], first: usize) -> u64 {
    let mut lanes = [0u64; 4];
    let mut k = 0;
    while k < 4 {
        if first + 2 * k < weights.len() {
            lanes[k] = weights[first + 2 * k] as u64;
        }
        k += 1;
    }
    lane_weights(lanes[0], lanes[1], lanes[2], lanes[3])
}

/// [`checks`] in wasm: a character at a time, smaller in the .wasm (it has a size budget).
/// Compiled natively for the tests, which check that both give the same checks.
#[cfg(any(target_arch = "wasm32", test))]
fn checks_per_char(b18: &[u8; 18]) -> Option<Checks> {
    let [authority, organisation_type, rest @ ..] = b18;
    let shape = matches!(authority, b'1'..=b'9' | b'A' | b'N' | b'Y')
        && matches!(organisation_type, b'1'..=b'9')
        && rest.get(..6).is_some_and(super::all_digits)
        && rest.iter().all(|&c| value(c).is_some());
    if !shape {
        return None;
    }
    let (body, check) = b18.split_at(17);
    let (_, org) = body.split_at(8);
    let (org_body, org_check) = org.split_at(8);
    Some(Checks {
        org_found: *org_check.first()?,
        org_expected: org_check_char(org_body),
        found: *check.first()?,
        expected: check_char(body),
    })
}

#[cfg(target_arch = "wasm32")]
use checks_per_char as checks;

/// The unified social credit code.
pub(crate) struct Uscc;

impl Scheme for Uscc {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::Uscc);
    const LENGTHS: RangeInclusive<usize> = 18..=18;

    /// Registration authority, organisation type, division code, organisation code, check
    /// character (GB 32100-2015).
    const FIELD_ENDS: &'static [usize] = &[1, 2, 8, 17, 18];

    /// The shape: 18 characters of the alphabet, with an authority code, a type digit and a
    /// 6-digit division code first. Where credit codes are not asked for, digits shaped like a
    /// resident ID (the last may be `X`) are a mistyped resident ID, whatever a credit code's
    /// checks say: such an input does not have this shape then.
    fn check(b: &[u8], limits: &Limits) -> Option<KindResult> {
        let checks = checks_in_scope(b, limits)?;
        let lenient = lenient(limits);
        if !checks.org_ok() || (!checks.check_ok() && !lenient) {
            return Some(Err(issues(&checks)));
        }
        let mut warnings = Vec::new();
        if !checks.check_ok() {
            warnings.push(Issue::new(Code::IdChecksumPilotEra));
        }
        let region = b
            .iter()
            .skip(2)
            .take(6)
            .fold(0, |acc, &d| acc * 10 + u32::from(d.wrapping_sub(b'0')));
        let mut value = IdValue::new(IdKind::Uscc, super::ascii_string(b));
        value.region = Some(region_value(region));
        value.jurisdiction = Some(Jurisdiction::Cn);
        Some(Ok((value, warnings)))
    }

    #[inline]
    fn verdict(b: &[u8], limits: &Limits) -> Verdict {
        // The resident ID's alphabet alone rules out most input where credit codes are not asked
        // for: tested before the call.
        match <&[u8; 18]>::try_from(b) {
            Ok(b18) if limits.kinds.contains(IdKind::Uscc) || !in_resident_alphabet(b18) => {
                verdict_of_checks(b18, limits)
            }
            _ => Verdict::NotThisShape,
        }
    }

    /// A credit code is read before a resident ID when it has letters in two or more of its
    /// first 17 places, or a last letter other than `X`: a resident ID has only digits there.
    fn leads(b: &[u8]) -> bool {
        let letters = b.iter().take(17).filter(|c| !c.is_ascii_digit()).count();
        let last_is_letter = b.last().is_some_and(|&c| !c.is_ascii_digit() && c != b'X');
        letters >= 2 || last_is_letter
    }
}

/// The verdict of a credit code's checks (the scope is already decided: see [`checks_in_scope`]).
#[inline(never)]
fn verdict_of_checks(b18: &[u8; 18], limits: &Limits) -> Verdict {
    let Some(checks) = checks(b18) else {
        return Verdict::NotThisShape;
    };
    if !checks.org_ok() {
        Verdict::Invalid(Code::IdOrgCodeChecksumMismatch)
    } else if !checks.check_ok() && !lenient(limits) {
        Verdict::Invalid(Code::IdChecksumMismatch)
    } else {
        Verdict::Valid(IdKind::Uscc)
    }
}

/// [`checks`] of `b` when it is a candidate: always where credit codes are asked for; where they
/// are not (the input is then looked at only to say "this is a credit code"), not for digits
/// shaped like a resident ID (the fast paths rely on that).
#[inline(always)]
fn checks_in_scope(b: &[u8], limits: &Limits) -> Option<Checks> {
    let b18 = <&[u8; 18]>::try_from(b).ok()?;
    if !limits.kinds.contains(IdKind::Uscc) && in_resident_alphabet(b18) {
        return None;
    }
    checks(b18)
}

/// Pilot-era leniency (a failing final check with a right organisation code): only when the
/// caller asks for it and credit codes are allowed, and never where resident IDs are accepted
/// as well (1 in 11 mistyped 18-digit resident ID numbers would pass it).
fn lenient(limits: &Limits) -> bool {
    limits.allow_pilot_era
        && limits.kinds.contains(IdKind::Uscc)
        && !limits.kinds.intersects(MAINLAND_LAYOUT)
}

/// The issues of a credit code whose checks fail.
fn issues(checks: &Checks) -> Vec<Issue> {
    let mut issues = Vec::new();
    if !checks.org_ok() {
        issues.push(Issue::new(Code::IdOrgCodeChecksumMismatch).with(
            "expected",
            ParamValue::Char(char::from(checks.org_expected)),
        ));
    }
    if !checks.check_ok() {
        issues.push(
            Issue::new(Code::IdChecksumMismatch)
                .with("kind", ParamValue::Str(IdKind::Uscc.as_str()))
                .with("expected", ParamValue::Char(char::from(checks.expected))),
        );
    }
    issues
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;
    use crate::date::Date;
    use crate::id::IdOptions;

    /// Credit codes only, pilot-era codes accepted (`lenient`) or not; or resident IDs too.
    fn limits(kinds: KindSet, lenient: bool) -> Limits {
        IdOptions::new(Date::from_checked_parts(2026, 11, 28))
            .with_kinds(kinds)
            .with_pilot_era(lenient)
            .limits()
    }

    fn check_lenient(b: &[u8]) -> Option<KindResult> {
        Uscc::check(b, &limits(Uscc::CLAIMS, true))
    }

    /// Valid codes (their checks right) with one or two characters replaced by every byte
    /// (in and out of the alphabet, every authority and type), and random bytes.
    #[test]
    fn checks_are_the_per_character_checks() {
        let mut codes: Vec<[u8; 18]> = Vec::new();
        let mut next = crate::id::batch::tests::xorshift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let mut code = [0u8; 18];
            for (i, c) in code.iter_mut().enumerate() {
                *c = match i {
                    0 => b"123456789ANY"[next(12) as usize],
                    1 => b'1' + next(9) as u8,
                    2..=7 => b'0' + next(10) as u8,
                    _ => ALPHABET[next(31) as usize],
                };
            }
            code[16] = org_check_char(&code[8..16]);
            code[17] = check_char(&code[..17]);
            codes.push(code);
        }
        let mut lines = Vec::new();
        for (n, code) in codes.iter().enumerate() {
            lines.push(*code);
            for at in 0..18 {
                for byte in [n as u8, (n as u8).wrapping_mul(7), b'0' + (n % 43) as u8] {
                    let mut edited = *code;
                    edited[at] = byte;
                    lines.push(edited);
                    edited[(at + 1 + n) % 18] = ALPHABET[n % 31];
                    lines.push(edited);
                }
            }
            let mut random = [0u8; 18];
            random.iter_mut().for_each(|c| *c = next(256) as u8);
            lines.push(random);
        }
        let (mut shaped, mut both_ok) = (0, 0);
        for line in &lines {
            let (fast, slow) = (checks(line), checks_per_char(line));
            match (&fast, &slow) {
                (None, None) => {}
                (Some(f), Some(s)) => {
                    shaped += 1;
                    both_ok += usize::from(s.org_ok() && s.check_ok());
                    assert_eq!(
                        (f.org_found, f.org_expected, f.found, f.expected),
                        (s.org_found, s.org_expected, s.found, s.expected),
                        "{:?}",
                        String::from_utf8_lossy(line)
                    );
                }
                _ => panic!("{:?}: shape differs", String::from_utf8_lossy(line)),
            }
        }
        assert!(shaped > 30_000 && both_ok > 2_000, "{shaped} {both_ok}");
    }

    #[test]
    fn published_example() {
        // The example of python-stdnum and several other libraries.
        assert!(matches!(check_lenient(b"91110000600037341L"), Some(Ok((_, w))) if w.is_empty()));
        assert_eq!(org_check_char(b"60003734"), b'1');
        assert_eq!(check_char(b"91110000600037341"), b'L');
        // Wrong final check, right organisation code: a pilot-era warning.
        let Some(Ok((_, warnings))) = check_lenient(b"91110000600037341M") else {
            panic!()
        };
        assert_eq!(warnings[0].code, Code::IdChecksumPilotEra);
        // Wrong organisation code: an error.
        assert!(matches!(check_lenient(b"91110000600037342L"), Some(Err(_))));
        // Authority codes A, N and Y are valid (python-stdnum rejects them).
        for authority in [b'A', b'N', b'Y'] {
            let mut code = *b"91110000600037341L";
            code[0] = authority;
            code[17] = check_char(&code[..17]);
            assert!(matches!(check_lenient(&code), Some(Ok((_, w))) if w.is_empty()));
        }
        assert!(check_lenient(b"I1110000600037341L").is_none());
        // Strict where resident IDs are accepted too.
        let with_resident = limits(Uscc::CLAIMS.with(IdKind::CnResident), true);
        assert!(matches!(
            Uscc::check(b"91110000600037341M", &with_resident),
            Some(Err(_))
        ));
        assert_eq!(
            Uscc::verdict(b"91110000600037341M", &with_resident),
            Verdict::Invalid(Code::IdChecksumMismatch)
        );
    }
}
