//! Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证, "回乡证").
//!
//! **Standard**: none for the number (the card of 国家移民管理局, formerly 公安部出入境管理局);
//! the card of non-Chinese nationals: 中华人民共和国出入境管理局's announcement of 2024-07-01, in
//! force 2024-07-10.
//!
//! **Scheme** ([`Scheme`]): [`HkMacaoHomeReturnPermit`] (9 to 11 characters).
//!
//! **Layout**:
//! - the card of Chinese citizens: `H` (Hong Kong) or `M` (Macau) and 8 digits, sometimes
//!   followed by a 2-digit issue count (`H1234567801`);
//! - the card of permanent residents who are not Chinese nationals (港澳居民来往内地通行证（非中国
//!   籍）): `HA` (Hong Kong) or `MA` (Macau) and 7 digits, 9 characters in all, one number for
//!   life. Issued since 2024-07-10 (see `nia-2024-hk-mo-permit` below).
//!
//! **Check**: no public check digit, so only the format is checked (warning `id_format_only`).
//!
//! **Ambiguity**: `HA1234567` also has the shape of a two-letter Hong Kong ID (`HA123456(7)`).
//! Detection ranks a kind confirmed by its check character first, so when the Hong Kong check
//! passes the number reads as a Hong Kong ID with `id_kind_ambiguous` naming this kind; when it
//! fails, the number is this permit (not a Hong Kong ID checksum failure).
//!
//! **What it yields**: the holder's region (`hk` or `mo`).
//!
//! # Sources
//! - **`hk-mo-permit`**: the card-type 港澳居民来往内地通行证 issued to Chinese citizens by the
//!   exit-entry administration (公安部出入境管理局, since 2018 国家移民管理局): no numbering rule
//!   is published, so the form checked is the one printed on issued cards.
//! - **`nia-2024-hk-mo-permit`**: 中华人民共和国出入境管理局《关于实施便利香港特别行政区、澳门特别
//!   行政区永久性居民来往内地政策措施的公告》 (2024-07-01, in force 2024-07-10), with the sample and
//!   description of the 港澳居民来往内地通行证（非中国籍） published with it: a 9-character number,
//!   `HA` (Hong Kong) or `MA` (Macau) first, one number for life.

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{format_only, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::jurisdiction::Jurisdiction;

const KIND: IdKind = IdKind::HkMacaoHomeReturnPermit;

/// The Mainland Travel Permit for Hong Kong and Macao Residents: checked for format only.
pub(crate) struct HkMacaoHomeReturnPermit;

impl Scheme for HkMacaoHomeReturnPermit {
    const CLAIMS: KindSet = KindSet::empty().with(KIND);
    const LENGTHS: RangeInclusive<usize> = 9..=11;

    /// The shape: `H` or `M` and 8 or 10 digits, or `HA` or `MA` and 7 digits.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        let jurisdiction = parse(b)?;
        let mut value = IdValue::new(KIND, super::ascii_string(b));
        value.jurisdiction = Some(jurisdiction);
        Some(Ok((value, vec![format_only(KIND)])))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        match parse(b) {
            Some(_) => Verdict::Valid(KIND),
            None => Verdict::NotThisShape,
        }
    }
}

/// The holder's region, if `b` has the written shape.
#[inline(never)] // shared by the check and the verdict
fn parse(b: &[u8]) -> Option<Jurisdiction> {
    let (first, rest) = b.split_first()?;
    let jurisdiction = match first {
        b'H' => Jurisdiction::Hk,
        b'M' => Jurisdiction::Mo,
        _ => return None,
    };
    let well_formed = match rest {
        // The card of non-Chinese nationals (since 2024-07-10).
        [b'A', digits @ ..] => digits.len() == 7 && super::all_digits(digits),
        digits => matches!(digits.len(), 8 | 10) && super::all_digits(digits),
    };
    well_formed.then_some(jurisdiction)
}

#[cfg(test)]
mod tests {
    use super::super::scheme::test_limits;
    use super::*;

    #[test]
    fn shapes() {
        for (permit, jurisdiction) in [
            (&b"H12345678"[..], Jurisdiction::Hk),
            (b"M1234567801", Jurisdiction::Mo),
            (b"HA1234567", Jurisdiction::Hk),
            (b"MA0000000", Jurisdiction::Mo),
        ] {
            let Some(Ok((value, _))) = HkMacaoHomeReturnPermit::check(permit, &test_limits())
            else {
                panic!("{permit:?}")
            };
            assert_eq!(value.jurisdiction, Some(jurisdiction));
        }
        for not_a_permit in [
            &b"HA123456"[..],
            b"HA12345678",
            b"HB1234567",
            b"A1234567",
            b"H1234567",
            b"HA123456X",
        ] {
            assert!(
                HkMacaoHomeReturnPermit::check(not_a_permit, &test_limits()).is_none(),
                "{not_a_permit:?}"
            );
        }
    }
}
