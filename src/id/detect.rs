//! Which kind of document a number is.
//!
//! Detection knows the schemes only by their place in one list ([`each_scheme`], one [`Scheme`] per
//! written layout, each with its own rules), in order of likelihood for a registration form; every
//! scheme whose written shape fits the input is checked:
//! - 18 characters: mainland resident ID (or residence permit, by its address code), then the
//!   credit code; a number of 18 digits starting with `9` (no province code starts with 9) is read
//!   as a permanent residence ID first, and one with letters in two or more of its first 17
//!   places, or a last letter other than `X`, as a credit code first;
//! - 15 characters: first-generation resident ID, then the older permanent residence ID;
//! - otherwise: Hong Kong ID, Taiwan ID, Home Return Permit, Taiwan MTP, Macau ID, passport.
//!
//! (The permanent residence card and the credit code are put first by their own rules,
//! [`Scheme::leads`]; the list, [`each_scheme`], names them after the resident ID, so that a valid
//! resident ID, the most common input, is decided before they are looked at.)
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

use super::cn_passport::CnPassport;
use super::cn_resident::{CnResident, CnResidentLegacy, MAINLAND_LAYOUT};
use super::foreign_permanent_resident::{
    ForeignPermanentResident2004, ForeignPermanentResident2023,
};
use super::hk_id::HkId;
use super::hk_macao_home_return_permit::HkMacaoHomeReturnPermit;
use super::mo_id::MoId;
use super::scheme::{Scheme, Verdict, Visit};
use super::tw_id::TwId;
use super::tw_mtp::TwMtp;
use super::uscc::Uscc;
use super::{normalize, IdKind, IdValue, KindResult, KindSet, Limits, MAX_INPUT_CHARS};
use crate::issue::{Code, Issue, ParamValue};
use core::ops::ControlFlow;

/// Every scheme, most likely first (see the module doc). The one place that names them: a new
/// document kind is a new [`Scheme`] listed here.
#[inline(always)]
fn each_scheme<V: Visit>(visitor: &mut V) {
    // Plain calls (no closure, no loop over a table): each visit is inlined with its scheme.
    let _ = visitor.visit::<CnResident>().is_break()
        || visitor.visit::<Uscc>().is_break()
        || visitor.visit::<ForeignPermanentResident2023>().is_break()
        || visitor.visit::<CnResidentLegacy>().is_break()
        || visitor.visit::<ForeignPermanentResident2004>().is_break()
        || visitor.visit::<HkId>().is_break()
        || visitor.visit::<TwId>().is_break()
        || visitor.visit::<HkMacaoHomeReturnPermit>().is_break()
        || visitor.visit::<TwMtp>().is_break()
        || visitor.visit::<MoId>().is_break()
        || visitor.visit::<CnPassport>().is_break();
}

/// A scheme whose written shape fits the input, and what its check says.
struct Candidate {
    /// The kinds the input claims to be ([`Scheme::CLAIMS`]).
    claims: KindSet,
    result: KindResult,
}

/// Collects the candidates for `b`, most likely first: the schemes that lead
/// ([`Scheme::leads`]), then the others, each group in the list's order.
struct Candidates<'a> {
    b: &'a [u8],
    limits: &'a Limits,
    out: Vec<Candidate>,
    leading: usize,
}

impl Visit for Candidates<'_> {
    fn visit<S: Scheme>(&mut self) -> ControlFlow<()> {
        if S::LENGTHS.contains(&self.b.len()) {
            if let Some(result) = S::check(self.b, self.limits) {
                self.add(S::CLAIMS, S::leads(self.b), result);
            }
        }
        ControlFlow::Continue(())
    }
}

impl Candidates<'_> {
    /// Adds a candidate: after the leading ones if it leads, else last.
    #[inline(never)] // one copy, not one per scheme
    fn add(&mut self, claims: KindSet, leads: bool, result: KindResult) {
        self.out.push(Candidate { claims, result });
        if leads {
            if let Some(tail) = self.out.get_mut(self.leading..) {
                tail.rotate_right(1);
            }
            self.leading += 1;
        }
    }
}

/// The candidates for `b`, most likely first.
fn candidates(b: &[u8], limits: &Limits) -> Vec<Candidate> {
    let mut candidates = Candidates {
        b,
        limits,
        out: Vec::with_capacity(3),
        leading: 0,
    };
    each_scheme(&mut candidates);
    candidates.out
}

/// The outcome of [`check_compact`] reduced to its first code, from the schemes' verdicts
/// (no allocation): valid if any scheme finds an allowed kind valid; else `id_kind_not_allowed`
/// if any finds another kind valid; else the first issue of the most likely failing scheme the
/// caller allows; else [`unrecognized_code`].
struct Tally<'a> {
    b: &'a [u8],
    limits: &'a Limits,
    valid: bool,
    /// The allowed kind found valid (when `valid`).
    valid_kind: Option<IdKind>,
    not_allowed: bool,
    /// The first failure's code, and whether its scheme leads.
    first_failure: Option<(bool, Code)>,
    /// Whether a scheme recognised the bytes as written (see [`Verdict`]).
    as_written: bool,
}

impl Visit for Tally<'_> {
    #[inline(always)]
    fn visit<S: Scheme>(&mut self) -> ControlFlow<()> {
        if !S::LENGTHS.contains(&self.b.len()) {
            return ControlFlow::Continue(());
        }
        self.record::<S>(S::verdict(self.b, self.limits))
    }
}

impl Tally<'_> {
    /// Counts scheme `S`'s verdict on the bytes; `Break` once the outcome is known.
    #[inline(always)]
    fn record<S: Scheme>(&mut self, verdict: Verdict) -> ControlFlow<()> {
        match verdict {
            Verdict::NotThisShape => {}
            Verdict::Valid(kind) => {
                self.as_written = true;
                if self.limits.kinds.contains(kind) {
                    self.valid = true;
                    self.valid_kind = Some(kind);
                    return ControlFlow::Break(());
                }
                self.not_allowed = true;
            }
            Verdict::Invalid(code) => {
                self.as_written |= code != Code::IdInvalidCharacter;
                if S::CLAIMS.intersects(self.limits.kinds) {
                    match self.first_failure {
                        None => self.first_failure = Some((S::leads(self.b), code)),
                        Some((false, _)) if S::leads(self.b) => {
                            self.first_failure = Some((true, code));
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// A tally of `b` with no verdict counted yet.
    #[inline(always)]
    fn new<'a>(b: &'a [u8], limits: &'a Limits) -> Tally<'a> {
        Tally {
            b,
            limits,
            valid: false,
            valid_kind: None,
            not_allowed: false,
            first_failure: None,
            as_written: false,
        }
    }

    /// The tally of `b`, inlined in [`first_code_of`].
    #[inline(always)]
    fn of<'a>(b: &'a [u8], limits: &'a Limits) -> Tally<'a> {
        let mut tally = Tally::new(b, limits);
        each_scheme(&mut tally);
        tally
    }

    #[inline(always)]
    fn first_code(&self) -> Option<Code> {
        if self.valid {
            None
        } else if self.not_allowed {
            Some(Code::IdKindNotAllowed)
        } else if let Some((_, code)) = self.first_failure {
            Some(code)
        } else {
            Some(unrecognized_code(self.b, self.limits.kinds))
        }
    }
}

/// The code of the first issue [`check_id`](super::check_id) would report for UTF-8 bytes of any
/// length, or `None` if it would accept them, from the schemes' verdicts (no allocation). Bytes
/// that a scheme recognises as written (see [`Verdict`]), and printable ASCII with nothing to fold,
/// are decided as they are; anything else is normalised first (and a number written in groups
/// checked without its spaces, as [`check_normalized`] does).
pub(crate) fn first_code(input: &[u8], limits: &Limits) -> Option<Code> {
    first_code_of(input, limits, false)
}

/// [`first_code`] of bytes already known to be plain (see [`is_plain`]: non-empty, at most
/// [`MAX_INPUT_CHARS`], printable ASCII without spaces or lowercase letters), without testing
/// them again.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn first_code_plain(b: &[u8], limits: &Limits) -> Option<Code> {
    first_code_of(b, limits, true)
}

/// [`first_code_plain`] of 18 plain bytes outside the resident ID's alphabet (not 17 digits
/// and then a digit or `X`: `in_resident_alphabet`), such as a number with a letter typed into
/// it. The schemes of the resident ID and of the 2023 card both parse that alphabet first, so
/// their verdicts are known (an invalid character; not their shape) and only the credit code's
/// scheme is asked, with detection's own tally. The batch's short lines come here.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn first_code18_outside_resident(b: &[u8; 18], limits: &Limits) -> Option<Code> {
    let mut tally = Tally::new(b, limits);
    let _ = tally.record::<CnResident>(Verdict::Invalid(Code::IdInvalidCharacter));
    let _ = tally.visit::<Uscc>();
    let _ = tally.record::<ForeignPermanentResident2023>(Verdict::NotThisShape);
    tally.first_code()
}

/// [`first_code`] of `b`, already normalised or not. One copy of the tally for every length (the
/// normalised bytes come back here), so that the .wasm holds it once.
fn first_code_of(b: &[u8], limits: &Limits, normalized: bool) -> Option<Code> {
    let tally = Tally::of(b, limits);
    if normalized || tally.as_written || is_plain(b) {
        return tally.first_code();
    }
    let text = match core::str::from_utf8(b) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        // Invalid UTF-8 (only possible in a batch): what a lossy decode would report.
        Err(_) => String::from_utf8_lossy(b),
    };
    match normalize::normalize(&text) {
        Ok(norm) => match ungrouped(norm.bytes()) {
            Some(compact) => first_code_of(&compact, limits, true),
            None => first_code_of(norm.bytes(), limits, true),
        },
        Err(code) => Some(code),
    }
}

/// Printable ASCII with nothing to fold: what normalising leaves unchanged, and no spaces.
#[inline(never)] // not needed by the common lines: one copy in the .wasm
fn is_plain(b: &[u8]) -> bool {
    !b.is_empty()
        && b.len() <= MAX_INPUT_CHARS
        && b.iter()
            .all(|c| c.is_ascii_graphic() && !c.is_ascii_lowercase())
}

/// Whether a valid result was confirmed by a check character (not only its format).
fn has_check(warnings: &[Issue]) -> bool {
    !warnings.iter().any(|w| w.code == Code::IdFormatOnly)
}

/// Whether a number written in groups with single spaces (compact length `len`, a space after
/// each of `group_ends`) has the fields of one scheme ([`Scheme::FIELD_ENDS`]).
struct FitsGroups<'a> {
    len: usize,
    group_ends: &'a [usize],
    fits: bool,
}

impl Visit for FitsGroups<'_> {
    fn visit<S: Scheme>(&mut self) -> ControlFlow<()> {
        if let Some((&length, inner)) = S::FIELD_ENDS.split_last() {
            if length == self.len && self.group_ends.iter().all(|end| inner.contains(end)) {
                self.fits = true;
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    }
}

/// The characters of a number written in groups with single spaces between them
/// (`91 110000 600037341L`, `110105 19491231 002X`), when every space falls between two fields of
/// one scheme's layout ([`Scheme::FIELD_ENDS`]: the credit code's and the resident ID's, both 18
/// characters). `None` for anything else: no space, a doubled space, a space inside a field, or
/// another length. Only these are folded, so that a space never joins pieces that were not one
/// number (a Hong Kong ID's space before its check character is read by its own scheme).
fn ungrouped(b: &[u8]) -> Option<[u8; 18]> {
    if !b.contains(&b' ') {
        return None;
    }
    let mut compact = [0u8; 18];
    let mut len = 0usize;
    let mut group_ends = [0usize; 17];
    let mut spaces = 0usize;
    for &c in b {
        if c == b' ' {
            // A space first, or right after another, separates no groups.
            let previous_end = spaces.checked_sub(1).and_then(|i| group_ends.get(i));
            if len == 0 || previous_end == Some(&len) {
                return None;
            }
            *group_ends.get_mut(spaces)? = len;
            spaces += 1;
        } else if c.is_ascii_digit() || c.is_ascii_uppercase() {
            *compact.get_mut(len)? = c;
            len += 1;
        } else {
            return None;
        }
    }
    let mut fits = FitsGroups {
        len,
        group_ends: group_ends.get(..spaces)?,
        fits: false,
    };
    each_scheme(&mut fits);
    fits.fits.then_some(compact)
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
                let allowed = found.claims.intersects(limits.kinds);
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
#[inline(never)] // not needed by the common lines: one copy in the .wasm
fn unrecognized_code(b: &[u8], kinds: KindSet) -> Code {
    let mainland_allowed = kinds.intersects(MAINLAND_LAYOUT);
    let only_mainland = kinds.is_subset(MAINLAND_LAYOUT);
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::date::Date;
    use crate::id::{generate_test_id, normalize, IdOptions, TestIdSpec};

    /// Inputs of every kind: generated numbers, each with single-character edits, and a few
    /// written forms.
    pub(in crate::id) fn inputs() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = [
            "A 123456 (3)",
            "A123456 3",
            "5234567 (8)",
            "HA1234567",
            "USA123456789012",
            "91110000600037341M",
            "9111000060003734AL",
            "11010519491231002x",
            " 11010519491231002X",
            "110105194912310021",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        let edits: &[u8] = b"09XAIOZ( )x-";
        for seed in 0..40 {
            for kind in IdKind::ALL {
                let spec = TestIdSpec {
                    kind,
                    birth_date: None,
                    gender: None,
                    region: None,
                    seed,
                };
                let Ok(id) = generate_test_id(&spec) else {
                    continue;
                };
                let id = id.into_bytes();
                let at = usize::try_from(seed).unwrap_or(0) % id.len();
                let edit = edits.get(at % edits.len()).copied().unwrap_or(b'0');
                let mut replaced = id.clone();
                if let Some(c) = replaced.get_mut(at) {
                    *c = edit;
                }
                let mut inserted = id.clone();
                inserted.insert(at, edit);
                let mut removed = id.clone();
                removed.remove(at);
                out.extend([id, replaced, inserted, removed]);
            }
        }
        out
    }

    /// The verdict a full result reduces to.
    fn reduced(result: Option<KindResult>) -> Verdict {
        match result {
            None => Verdict::NotThisShape,
            Some(Ok((value, _))) => Verdict::Valid(value.kind),
            Some(Err(issues)) => issues
                .first()
                .map_or(Verdict::NotThisShape, |issue| Verdict::Invalid(issue.code)),
        }
    }

    /// Asserts the contract of [`Scheme`] for one scheme on every input.
    struct Contract<'a> {
        inputs: &'a [Vec<u8>],
        limits: &'a Limits,
    }

    impl Visit for Contract<'_> {
        fn visit<S: Scheme>(&mut self) -> ControlFlow<()> {
            for b in self.inputs {
                let verdict = S::verdict(b, self.limits);
                assert_eq!(verdict, reduced(S::check(b, self.limits)), "{b:?}");
                if !S::LENGTHS.contains(&b.len()) {
                    assert_eq!(verdict, Verdict::NotThisShape, "{b:?}");
                }
                // What holds as written is already normal: the fast paths skip normalising it.
                let as_written = match verdict {
                    Verdict::NotThisShape => false,
                    Verdict::Valid(_) => true,
                    Verdict::Invalid(code) => code != Code::IdInvalidCharacter,
                };
                if as_written {
                    let text = core::str::from_utf8(b).unwrap_or_default();
                    let normalized = normalize::normalize(text).ok();
                    assert_eq!(normalized.as_ref().map(|n| n.bytes()), Some(&b[..]));
                    assert!(normalized.is_some_and(|n| n.warnings().is_empty()), "{b:?}");
                    assert!(ungrouped(b).is_none(), "{b:?}");
                }
            }
            ControlFlow::Continue(())
        }
    }

    #[test]
    fn every_scheme_keeps_the_contract() {
        let inputs = inputs();
        let as_of = Date::from_checked_parts(2026, 11, 28);
        for options in [
            IdOptions::new(as_of),
            IdOptions::new(as_of).with_kinds(KindSet::all()),
            IdOptions::new(as_of)
                .with_kinds(KindSet::empty().with(IdKind::Uscc))
                .with_pilot_era(true),
        ] {
            let limits = options.limits();
            each_scheme(&mut Contract {
                inputs: &inputs,
                limits: &limits,
            });
        }
    }

    /// The fast verdicts and the full check agree on the first code.
    #[test]
    fn first_code_is_the_first_issue() {
        let as_of = Date::from_checked_parts(2026, 11, 28);
        for options in [
            IdOptions::new(as_of),
            IdOptions::new(as_of).with_kinds(KindSet::all()),
            IdOptions::new(as_of).with_kinds(KindSet::personal()),
        ] {
            let limits = options.limits();
            for b in inputs() {
                let text = String::from_utf8_lossy(&b);
                let full = crate::id::check_id(&text, &options).err();
                let first = full.and_then(|issues| issues.first().map(|issue| issue.code));
                assert_eq!(first_code(&b, &limits), first, "{text:?}");
            }
        }
    }
}
