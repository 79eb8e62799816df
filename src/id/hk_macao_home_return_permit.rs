//! Mainland Travel Permit for Hong Kong and Macao Residents (港澳居民来往内地通行证, "回乡证").
//!
//! **Layout** (../shared/RULES.md §1): `H` (Hong Kong) or `M` (Macau) and 8 digits, sometimes
//! followed by a 2-digit issue count (`H1234567801`).
//!
//! **Check**: no public check digit, so only the format is checked (warning `id_format_only`).
//!
//! **What it yields**: the holder's region (`hk` or `mo`).

use super::{format_only, IdKind, IdValue, KindResult};

/// Checks `b` as a Home Return Permit; `None` if it does not have the shape of one.
pub(crate) fn check(b: &[u8]) -> Option<(IdKind, KindResult)> {
    let (first, digits) = b.split_first()?;
    let jurisdiction = match first {
        b'H' => "hk",
        b'M' => "mo",
        _ => return None,
    };
    if !matches!(digits.len(), 8 | 10) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let kind = IdKind::HkMacaoHomeReturnPermit;
    let mut value = IdValue::new(kind, super::ascii_string(b));
    value.jurisdiction = Some(jurisdiction);
    Some((kind, Ok((value, vec![format_only(kind)]))))
}
