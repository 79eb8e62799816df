//! Mainland Travel Permit for Taiwan Residents (台湾居民来往大陆通行证, "台胞证").
//!
//! **Standard**: none for the number (the card-type permit of 公安部出入境管理局, from 2015-09-21,
//! now 国家移民管理局).
//!
//! **Scheme** ([`Scheme`]): [`TwMtp`] (8 or 10 digits).
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

use core::ops::RangeInclusive;

use super::scheme::{Scheme, Verdict};
use super::{format_only, IdKind, IdValue, KindResult, KindSet, Limits};
use crate::jurisdiction::Jurisdiction;

/// The Mainland Travel Permit for Taiwan Residents: checked for format only.
pub(crate) struct TwMtp;

impl Scheme for TwMtp {
    const CLAIMS: KindSet = KindSet::empty().with(IdKind::TwMtp);
    const LENGTHS: RangeInclusive<usize> = 8..=10;

    /// The shape: 8 or 10 digits.
    fn check(b: &[u8], _limits: &Limits) -> Option<KindResult> {
        if !has_shape(b) {
            return None;
        }
        let mut value = IdValue::new(IdKind::TwMtp, super::ascii_string(b));
        value.jurisdiction = Some(Jurisdiction::Tw);
        Some(Ok((value, vec![format_only(IdKind::TwMtp)])))
    }

    fn verdict(b: &[u8], _limits: &Limits) -> Verdict {
        if has_shape(b) {
            Verdict::Valid(IdKind::TwMtp)
        } else {
            Verdict::NotThisShape
        }
    }
}

fn has_shape(b: &[u8]) -> bool {
    matches!(b.len(), 8 | 10) && super::all_digits(b)
}
