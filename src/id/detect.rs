//! Which kind of document a number is.
//!
//! Every kind whose written shape fits the input is checked, in order of likelihood for a
//! registration form:
//! - 18 characters: mainland resident ID (or residence permit, by its address code), then the
//!   credit code; a number of 18 digits starting with `9` (no province code starts with 9) is read
//!   as a permanent residence ID first, and one with letters in two or more of its first 17
//!   places, or a last letter other than `X`, as a credit code first;
//! - 15 characters: first-generation resident ID, then the older permanent residence ID;
//! - otherwise: Hong Kong ID, Taiwan ID, Home Return Permit, Taiwan MTP, Macau ID, passport.
//!
//! Then:
//! - the valid kinds the caller allows are ranked: kinds with a check character before
//!   format-only kinds, then the order above. The first is the result; if more than one fits, the
//!   warning `id_kind_ambiguous` names the others, so the form can ask which document it is;
//! - a valid number of kinds the caller does not allow gets `id_kind_not_allowed` (e.g. "this is a
//!   Hong Kong ID; this form needs a mainland resident ID");
//! - otherwise the issues of the first allowed kind that fits the shape are reported;
//! - and an input that fits no allowed kind gets `id_invalid_length` when it looks like a mainland
//!   number (only digits, or only mainland kinds allowed), else `id_format_unrecognized`.
//!
//! # Sources
//! - **`gb-t-2260`**: GB/T 2260: province-level codes start with 1 to 8, so an 18-digit number
//!   starting with `9` is not a resident ID.
//! - **`nia-2023-fpr-card`**: 国家移民管理局, the 2023 permanent residence card: its number starts
//!   with `9` to set it apart from resident IDs.
//! - **`gb-32100-2015`**: GB 32100-2015: the credit code's alphabet, which has letters where a
//!   resident ID has only digits (and a last character that may be any of them, not only `X`).

use super::{
    cn_passport, cn_resident, foreign_permanent_resident, hk_id, hk_macao_home_return_permit,
    mo_id, tw_id, tw_mtp, uscc, IdKind, IdValue, KindResult, KindSet, Limits,
};
use crate::issue::{Code, Issue, ParamValue};

/// The kinds laid out like the mainland resident ID (18 or 15 digits with an address code).
const MAINLAND_LAYOUT: KindSet = KindSet::empty()
    .with(IdKind::CnResident)
    .with(IdKind::CnResidentLegacy)
    .with(IdKind::HkMacaoTaiwanResidencePermit);

/// A kind that fits the input's shape, and what its check says.
struct Candidate {
    /// The kinds the input claims to be (a broken 18-digit number may be meant as either a
    /// resident ID or a residence permit).
    claims: KindSet,
    result: KindResult,
}

fn candidate(found: Option<(IdKind, KindResult)>) -> Option<Candidate> {
    found.map(|(kind, result)| Candidate {
        claims: KindSet::empty().with(kind),
        result,
    })
}

/// The candidates for `b`, most likely first.
fn candidates(b: &[u8], limits: &Limits) -> Vec<Candidate> {
    let mut out = Vec::with_capacity(3);
    if let Ok(b18) = <&[u8; 18]>::try_from(b) {
        let (_, resident) = cn_resident::check18(b18, limits);
        let resident = Candidate {
            claims: KindSet::empty()
                .with(IdKind::CnResident)
                .with(IdKind::HkMacaoTaiwanResidencePermit),
            result: resident,
        };
        let permanent = candidate(foreign_permanent_resident::check(b, limits));
        let credit = if limits.kinds.contains(IdKind::Uscc) {
            // Pilot-era leniency only when asked for, and never where resident IDs are accepted.
            let lenient =
                limits.allow_pilot_era && !limits.kinds.iter().any(|k| MAINLAND_LAYOUT.contains(k));
            candidate(uscc::check(b, lenient))
        } else if resident_shaped(b) {
            // Not asked for, and shaped like a resident ID: a mistyped one, whatever a credit
            // code's checks say (the fast paths rely on this).
            None
        } else {
            // Not asked for: looked at only to say "this is a credit code" when it is one.
            candidate(uscc::check(b, false))
        };
        let letters = b.iter().take(17).filter(|c| !c.is_ascii_digit()).count();
        let last_is_letter = b.last().is_some_and(|&c| !c.is_ascii_digit() && c != b'X');
        if let Some(permanent) = permanent {
            out.push(permanent);
            out.push(resident);
            out.extend(credit);
        } else if letters >= 2 || last_is_letter {
            out.extend(credit);
            out.push(resident);
        } else {
            out.push(resident);
            out.extend(credit);
        }
    } else if let Ok(b15) = <&[u8; 15]>::try_from(b) {
        out.push(Candidate {
            claims: KindSet::empty()
                .with(IdKind::CnResidentLegacy)
                .with(IdKind::CnResident),
            result: cn_resident::check15(b15, limits),
        });
        out.extend(candidate(foreign_permanent_resident::check(b, limits)));
    } else {
        out.extend(candidate(hk_id::check(b)));
        out.extend(candidate(tw_id::check(b)));
        out.extend(candidate(hk_macao_home_return_permit::check(b)));
        out.extend(candidate(tw_mtp::check(b)));
        out.extend(candidate(mo_id::check(b)));
        out.extend(candidate(cn_passport::check(b)));
    }
    out
}

/// Whether the mainland resident ID check alone decides an 18- or 15-byte input that it finds
/// invalid (so the fast paths can skip detection): no other kind that fits those lengths can
/// be valid and allowed, or valid and reported as not allowed. `b` is the raw input, already known to be ASCII digits (and `X`).
pub(crate) fn mainland_decides(b: &[u8], kinds: KindSet) -> bool {
    match b.len() {
        18 => {
            (kinds.contains(IdKind::CnResident)
                || kinds.contains(IdKind::HkMacaoTaiwanResidencePermit))
                && !kinds.contains(IdKind::Uscc)
                // A valid permanent residence ID is reported even when not allowed.
                && b.first() != Some(&b'9')
        }
        // The older permanent residence card starts with letters.
        15 => kinds.contains(IdKind::CnResidentLegacy) || kinds.contains(IdKind::CnResident),
        _ => false,
    }
}

/// The code of an 18-character input with letters where a resident ID has digits, when the
/// resident ID check decides it: resident IDs are allowed and credit codes are not, and it is no
/// valid credit code (that would be reported as not allowed). `b` needs no normalising.
pub(crate) fn letters18_decided(b: &[u8], kinds: KindSet) -> Option<Code> {
    let resident_allowed =
        kinds.contains(IdKind::CnResident) || kinds.contains(IdKind::HkMacaoTaiwanResidencePermit);
    (b.len() == 18
        && resident_allowed
        && !kinds.contains(IdKind::Uscc)
        && !uscc::is_strictly_valid(b))
    .then_some(Code::IdInvalidCharacter)
}

/// The outcome of an 18-character input of the permanent residence card's shape (`9` and 17
/// digits or `X`), when it can be decided without detection: credit codes are not allowed.
/// `mainland` is the resident ID check's first code for it. `None`: detection decides.
pub(crate) fn nine_decided(
    b: &[u8; 18],
    kinds: KindSet,
    mainland: Option<Code>,
    limits: &Limits,
) -> Option<Option<Code>> {
    if kinds.contains(IdKind::Uscc) {
        return None;
    }
    let permanent = foreign_permanent_resident::first_code_2023(b, limits)?;
    let resident_allowed =
        kinds.contains(IdKind::CnResident) || kinds.contains(IdKind::HkMacaoTaiwanResidencePermit);
    match permanent {
        // Valid: accepted, or refused as not allowed (before any resident ID failure).
        None if kinds.contains(IdKind::ForeignPermanentResident) => Some(None),
        None => Some(Some(Code::IdKindNotAllowed)),
        // Invalid: its own issues when allowed (it is the first candidate), else the resident
        // ID's (a `9` is no province, so the resident check fails too).
        Some(code) if kinds.contains(IdKind::ForeignPermanentResident) => Some(Some(code)),
        Some(_) if resident_allowed => mainland.map(Some),
        Some(_) => None,
    }
}

/// The code for digits (the last may be `X`) of a length no kind has (a mistyped mainland number, the
/// most common invalid input), without running detection: what [`unrecognized`] says.
pub(crate) fn digits_of_no_kind(b: &[u8], kinds: KindSet) -> Option<Code> {
    // 8 and 10 digits are a Taiwan MTP (or Macau ID), 15 and 18 a resident ID or more.
    if matches!(b.len(), 8 | 10 | 15 | 18) || !resident_shaped(b) {
        return None;
    }
    Some(unrecognized_code(b, kinds))
}

/// Digits, the last of which may be `X`: the resident ID's alphabet.
fn resident_shaped(b: &[u8]) -> bool {
    b.split_last().is_some_and(|(last, body)| {
        body.iter().all(u8::is_ascii_digit) && (last.is_ascii_digit() || *last == b'X')
    })
}

/// Whether a valid result was confirmed by a check character (not only its format).
fn has_check(warnings: &[Issue]) -> bool {
    !warnings.iter().any(|w| w.code == Code::IdFormatOnly)
}

/// Where a credit code's fields end (GB 32100-2015): registration authority, organisation type,
/// division code, organisation code; the check character follows.
const CREDIT_CODE_GROUP_ENDS: [usize; 4] = [1, 2, 8, 17];
/// Where a resident ID's fields end (GB 11643-1999): address code, year, month, day (the birth date
/// is also written as one group), order code; the check character follows.
const RESIDENT_ID_GROUP_ENDS: [usize; 5] = [6, 10, 12, 14, 17];

/// The 18 characters of a number written in groups with single spaces between them
/// (`91 110000 600037341L`, `110105 19491231 002X`), when every space falls between two fields of
/// one layout (credit code or resident ID). `None` for anything else: no space, a doubled space,
/// a space inside a field, or another length. Only these are folded, so that a space never joins
/// pieces that were not one number (a Hong Kong ID's space before its check character is read by
/// its own scheme).
fn ungrouped(b: &[u8]) -> Option<[u8; 18]> {
    if !b.contains(&b' ') || b.first() == Some(&b' ') || b.windows(2).any(|w| w == b"  ") {
        return None;
    }
    let mut compact = [0u8; 18];
    let mut len = 0usize;
    let mut group_ends = [0usize; 17];
    let mut spaces = 0usize;
    for &c in b {
        if c == b' ' {
            *group_ends.get_mut(spaces)? = len;
            spaces += 1;
        } else if c.is_ascii_digit() || c.is_ascii_uppercase() {
            *compact.get_mut(len)? = c;
            len += 1;
        } else {
            return None;
        }
    }
    let group_ends = group_ends.get(..spaces)?;
    let fits = |layout: &[usize]| group_ends.iter().all(|end| layout.contains(end));
    (len == 18 && (fits(&CREDIT_CODE_GROUP_ENDS) || fits(&RESIDENT_ID_GROUP_ENDS)))
        .then_some(compact)
}

/// Checks normalised bytes against every kind (see the module doc). A number written in groups
/// (see [`ungrouped`]) is checked without its spaces, and reported with `id_spaces_removed`.
pub(crate) fn check_normalized(b: &[u8], limits: &Limits) -> KindResult {
    match ungrouped(b) {
        Some(compact) => check_compact(&compact, limits).map(|(value, warnings)| {
            let mut all = Vec::with_capacity(warnings.len() + 1);
            all.push(Issue::new(Code::IdSpacesRemoved));
            all.extend(warnings);
            (value, all)
        }),
        None => check_compact(b, limits),
    }
}

/// [`check_normalized`] of a number without group spaces.
fn check_compact(b: &[u8], limits: &Limits) -> KindResult {
    let mut valid: Vec<(IdValue, Vec<Issue>)> = Vec::new();
    let mut first_failure: Option<Vec<Issue>> = None;
    let mut not_allowed: Option<IdKind> = None;
    for found in candidates(b, limits) {
        match found.result {
            Ok((value, warnings)) => {
                if limits.kinds.contains(value.kind) {
                    valid.push((value, warnings));
                } else if not_allowed.is_none() {
                    not_allowed = Some(value.kind);
                }
            }
            Err(issues) => {
                let allowed = found.claims.iter().any(|k| limits.kinds.contains(k));
                if allowed && first_failure.is_none() {
                    first_failure = Some(issues);
                }
            }
        }
    }
    // Kinds confirmed by a check character first; each group keeps the likelihood order.
    let ranked = {
        let (mut checked, unchecked): (Vec<_>, Vec<_>) =
            valid.into_iter().partition(|(_, w)| has_check(w));
        checked.extend(unchecked);
        checked
    };
    let mut ranked = ranked.into_iter();
    if let Some((value, mut warnings)) = ranked.next() {
        let alternatives: Vec<&'static str> = ranked.map(|(v, _)| v.kind.as_str()).collect();
        if !alternatives.is_empty() {
            warnings.push(
                Issue::new(Code::IdKindAmbiguous)
                    .with("kind", ParamValue::Str(value.kind.as_str()))
                    .with("alternatives", ParamValue::List(alternatives)),
            );
        }
        return Ok((value, warnings));
    }
    if let Some(kind) = not_allowed {
        return Err(vec![Issue::new(Code::IdKindNotAllowed)
            .with("kind", ParamValue::Str(kind.as_str()))
            .with("allowed", ParamValue::List(limits.kinds.names()))]);
    }
    if let Some(issues) = first_failure {
        return Err(issues);
    }
    Err(vec![unrecognized(b, limits.kinds)])
}

/// The issue of an input that fits no allowed kind.
fn unrecognized(b: &[u8], kinds: KindSet) -> Issue {
    match unrecognized_code(b, kinds) {
        Code::IdInvalidLength => {
            Issue::new(Code::IdInvalidLength).with("length", ParamValue::Int(b.len() as i64))
        }
        code => Issue::new(code).with("allowed", ParamValue::List(kinds.names())),
    }
}

/// The code of [`unrecognized`], without building the issue (the fast paths need only the code).
fn unrecognized_code(b: &[u8], kinds: KindSet) -> Code {
    let mainland_allowed = kinds.iter().any(|k| MAINLAND_LAYOUT.contains(k));
    let only_mainland = kinds.iter().all(|k| MAINLAND_LAYOUT.contains(k));
    // Digits with stray separators are a mistyped mainland number, not another document.
    let digits = b
        .iter()
        .all(|c| c.is_ascii_digit() || matches!(c, b'X' | b' ' | b'-'));
    if only_mainland || (mainland_allowed && digits) {
        Code::IdInvalidLength
    } else {
        Code::IdFormatUnrecognized
    }
}
