//! Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证, "台胞证").
//!
//! **Layout** (as printed; the card-type permit issued since 2015-09-21 by 公安部出入境管理局, now
//! 国家移民管理局): 8 digits; the 2015 card adds a 2-digit issue count.
//!
//! **Check**: no public check digit, so only the format is checked (warning `id_format_only`).
//!
//! # Sources
//! - **`tw-mtp-2015`**: the card-type 台湾居民来往大陆通行证 issued by 公安部出入境管理局 since
//!   2015-09-21 (now issued by 国家移民管理局): no numbering rule is published, so the form checked
//!   is the one printed on issued cards.

use super::{format_only, IdKind, IdValue, KindResult};

/// Checks `b` as a Taiwan MTP number; `None` if it does not have the shape of one.
pub(crate) fn check(b: &[u8]) -> Option<(IdKind, KindResult)> {
    if !matches!(b.len(), 8 | 10) || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let kind = IdKind::TwMtp;
    let mut value = IdValue::new(kind, super::ascii_string(b));
    value.jurisdiction = Some("tw");
    Some((kind, Ok((value, vec![format_only(kind)]))))
}
