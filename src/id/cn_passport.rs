//! Passport of the People's Republic of China (中华人民共和国护照).
//!
//! **Standard**: none for the number. 《中华人民共和国护照法》 (全国人民代表大会常务委员会,
//! adopted 2006-04-29, in force 2007-01-01) names the kinds of passport; ICAO Doc 9303 Part 3,
//! <https://www.icao.int/publications/pages/publication.aspx?docnum=9303>, gives the
//! machine-readable zone's check digits.
//!
//! **Scheme** ([`Scheme`]): [`CnPassport`] (8 or 9 characters).
//!
//! **Formats**: 护照法 (2006-04-29, in force 2007-01-01) Art. 3 names the kinds (普通、外交、公务护照);
//! no numbering rule is published, so these are the formats printed on issued passports:
//! - ordinary passports: `E` + 8 digits; since the `E` numbers ran out, `E` + a letter other than
//!   `I` and `O` + 7 digits; older `G` + 8 digits;
//! - diplomatic, service and public-affairs passports: `D`, `S` or `P` + 7 digits, and the
//!   electronic `DE`, `SE`, `PE` + 7 digits.
//!
//! **Check**: the printed number has no check digit (only the machine-readable zone has one,
//! ICAO 9303 7-3-1), so only the format is checked (warning `id_format_only`).
//!
//! # Sources
//! - **`passport-law`**: 中华人民共和国护照法 (2006-04-29, in force 2007-01-01) Art. 3: ordinary,
//!   diplomatic and service passports. The law gives no numbering rule; the prefixes checked are
//!   those printed on issued passports.
//! - **`icao-9303`**: ICAO Doc 9303 (Machine Readable Travel Documents) Part 3: the 7-3-1 check
//!   digits exist only in the machine-readable zone, not in the printed number.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{format_only, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::jurisdiction::Jurisdiction;

fn digits(b: &[u8], count: usize) -> bool {
    b.len() == count && super::all_digits(b)
}

/// Whether `b` has one of the passport number formats.
fn has_format(b: &[u8]) -> bool {
    match b {
        [b'E' | b'G', rest @ ..] if digits(rest, 8) => true,
        [b'E', letter, rest @ ..] => {
            letter.is_ascii_uppercase() && !matches!(letter, b'I' | b'O') && digits(rest, 7)
        }
        [b'D' | b'S' | b'P', b'E', rest @ ..] => digits(rest, 7),
        [b'D' | b'S' | b'P', rest @ ..] => digits(rest, 7),
        _ => false,
    }
}

/// The PRC passport number: checked for format only.
pub(crate) struct CnPassport;

impl Scheme for CnPassport {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::CnPassport);
    const LENGTHS: RangeInclusive<usize> = 8..=9;

    /// The shape: one of the formats above.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        if !has_format(b) {
            return None;
        }
        let mut value = IdValue::new(IdKind::CnPassport, super::ascii_string(b));
        value.jurisdiction = Some(Jurisdiction::Cn);
        Some(Ok((value, vec![format_only(IdKind::CnPassport)])))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        if has_format(b) {
            Verdict::Valid(IdKind::CnPassport)
        } else {
            Verdict::NotThisShape
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_format;

    #[test]
    fn formats() {
        for ok in [
            "E12345678",
            "EA1234567",
            "EH1234567",
            "G12345678",
            "D1234567",
            "DE1234567",
            "SE1234567",
            "P1234567",
        ] {
            assert!(has_format(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "EI1234567",
            "EO1234567",
            "E1234567",
            "G1234567",
            "A12345678",
            "DE12345678",
            "E123456789",
        ] {
            assert!(!has_format(bad.as_bytes()), "{bad}");
        }
    }
}
