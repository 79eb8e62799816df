//! Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证, "回乡证").
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

use super::{format_only, IdKind, IdValue, KindResult};

/// Checks `b` as a Home Return Permit; `None` if it does not have the shape of one.
pub(crate) fn check(b: &[u8]) -> Option<(IdKind, KindResult)> {
    let (first, rest) = b.split_first()?;
    let jurisdiction = match first {
        b'H' => "hk",
        b'M' => "mo",
        _ => return None,
    };
    let well_formed = match rest {
        // The card of non-Chinese nationals (since 2024-07-10).
        [b'A', digits @ ..] => digits.len() == 7 && digits.iter().all(u8::is_ascii_digit),
        digits => matches!(digits.len(), 8 | 10) && digits.iter().all(u8::is_ascii_digit),
    };
    if !well_formed {
        return None;
    }
    let kind = IdKind::HkMacaoHomeReturnPermit;
    let mut value = IdValue::new(kind, super::ascii_string(b));
    value.jurisdiction = Some(jurisdiction);
    Some((kind, Ok((value, vec![format_only(kind)]))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for (permit, jurisdiction) in [
            (&b"H12345678"[..], "hk"),
            (b"M1234567801", "mo"),
            (b"HA1234567", "hk"),
            (b"MA0000000", "mo"),
        ] {
            let Some((_, Ok((value, _)))) = check(permit) else {
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
            assert!(check(not_a_permit).is_none(), "{not_a_permit:?}");
        }
    }
}
