//! Macau resident identity card number (澳門居民身份證編號, BIR).
//!
//! **Standard**: 第8/2002號法律《澳門特別行政區居民身份證制度》 (2002-08-05, amended by
//! 第11/2023號法律) and 第23/2002號行政法規, <http://bo.io.gov.mo/bo/i/2002/31/lei08_cn.asp>; they
//! give no check algorithm.
//!
//! **Scheme** ([`Scheme`]): [`MoId`] (8 to 11 characters as written).
//!
//! **Layout**: `1`, `5` or `7`, six digits, and a check digit, usually printed with the check digit
//! in brackets: `1234567(8)`. Accepted written forms: `1234567(8)`, `12345678`, and a space before
//! the bracket.
//!
//! **Check**: the issuer (身份證明局, Direcção dos Serviços de Identificação) publishes no
//! algorithm for the check digit, so only the format is checked, and the result says so with the
//! warning `id_format_only`.
//!
//! **What it yields**: the printed form `1234567(8)`.
//!
//! # Sources
//! - **`mo-law-8-2002`**: 第8/2002號法律《澳門特別行政區居民身份證制度》 (2002-08-05, amended by
//!   第11/2023號法律) and 第23/2002號行政法規: the card and its issuer. Neither gives the number's
//!   check algorithm; the layout checked is the one printed on issued cards.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{format_only, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::jurisdiction::Jurisdiction;

/// The Macau resident identity card number: checked for format only.
pub(crate) struct MoId;

impl Scheme for MoId {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::MoId);
    const LENGTHS: RangeInclusive<usize> = 8..=11;

    /// The shape: `1`, `5` or `7`, six digits and a check digit, in a written form above.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        let (body, check) = parse(b)?;
        let mut value = IdValue::new(IdKind::MoId, super::printed_form(body, &[], check));
        value.jurisdiction = Some(Jurisdiction::Mo);
        Some(Ok((value, vec![format_only(IdKind::MoId)])))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        match parse(b) {
            Some(_) => Verdict::Valid(IdKind::MoId),
            None => Verdict::NotThisShape,
        }
    }
}

/// The seven digits and the check digit of `b`, if it has the written shape.
fn parse(b: &[u8]) -> Option<(&[u8], u8)> {
    let (body, rest) = b.split_at_checked(7)?;
    if !matches!(body.first(), Some(b'1' | b'5' | b'7')) || !super::all_digits(body) {
        return None;
    }
    let check = super::written_check_character(rest)?;
    check.is_ascii_digit().then_some((body, check))
}

#[cfg(test)]
mod tests {
    use super::super::scheme::test_limits;
    use super::*;

    #[test]
    fn written_forms() {
        for form in [
            &b"1234567(8)"[..],
            b"12345678",
            b"5234567 (8)",
            b"7234567(0)",
        ] {
            assert!(
                matches!(MoId::check(form, &test_limits()), Some(Ok(_))),
                "{form:?}"
            );
        }
        for not_mo in [
            &b"2234567(8)"[..],
            b"1234567(A)",
            b"123456(7)",
            b"1234567[8]",
        ] {
            assert!(MoId::check(not_mo, &test_limits()).is_none(), "{not_mo:?}");
        }
    }
}
