//! The one shape of an ID scheme: every scheme file (`cn_resident.rs`, `hk_id.rs`, …) implements
//! [`Scheme`] for each written layout it defines, and detection ([`super::detect`]) iterates
//! over the schemes without knowing any of them.
//!
//! A scheme answers two questions about normalised bytes, with the same rules:
//! - [`Scheme::check`]: the full result (the value and its warnings, or every issue), or `None`
//!   when the bytes do not have the scheme's written shape;
//! - [`Scheme::verdict`]: the same outcome reduced to a [`Verdict`] (valid, or the first issue's
//!   code), without allocating: what [`is_valid_id`](super::is_valid_id) and
//!   [`check_id_batch`](super::check_id_batch) need.
//!
//! A file with two layouts of different lengths (the resident ID's 18 and 15 characters, the
//! permanent residence card's 2023 and older editions) defines one scheme per layout, because
//! detection ranks them differently: the permanent residence card comes before the resident ID
//! among 18-character numbers and after it among 15-character ones.

use core::ops::RangeInclusive;

use super::{IdKind, KindResult, KindSet, Limits};
use crate::issue::Code;

/// What one scheme says of normalised bytes, without building the result.
///
/// Every written shape is made of ASCII capital letters, digits, brackets and inner spaces, which
/// normalising never changes. So a verdict of `Valid`, or `Invalid` with any code but
/// `id_invalid_character`, also holds for the bytes as the user wrote them: the fast paths rely on
/// that to skip normalising (see [`super::detect::first_code`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The bytes do not have this scheme's written shape: the scheme has nothing to say.
    NotThisShape,
    /// A valid number of this kind (allowed by the caller or not).
    Valid(IdKind),
    /// The shape fits but a check fails: the code of the first issue [`Scheme::check`] reports.
    Invalid(Code),
}

/// One written layout of an ID document, with its rules.
pub(crate) trait Scheme {
    /// The kinds a number of this shape may be meant as. A failing number is reported when the
    /// caller allows one of them (a broken 18-digit number may be meant as a resident ID or as a
    /// residence permit, whatever its address code says).
    const CLAIMS: KindSet;

    /// The lengths its written shape can have, in bytes of normalised input: outside them the
    /// scheme has nothing to say, and detection skips it without asking.
    const LENGTHS: RangeInclusive<usize>;

    /// For a number that may be written in groups of its fields with single spaces between them
    /// (`110105 19491231 002X`): where its fields end, the last being its length. Such a number is
    /// checked without the spaces when each space falls at the end of one of its fields. Empty
    /// (the default): spaces are never folded out of this scheme's numbers.
    const FIELD_ENDS: &'static [usize] = &[];

    /// The full check of normalised bytes: `None` when they do not have this scheme's shape;
    /// else the value with this kind's warnings, or every independent issue found.
    fn check(b: &[u8], limits: &Limits) -> Option<KindResult>;

    /// [`Scheme::check`] reduced to its outcome, without allocating.
    fn verdict(b: &[u8], limits: &Limits) -> Verdict;

    /// Whether the bytes' shape makes this scheme more likely than the schemes listed before it
    /// (detection puts leading schemes first, keeping the list's order otherwise). Only called for
    /// bytes that have the scheme's shape.
    fn leads(_b: &[u8]) -> bool {
        false
    }
}

/// Visits schemes by type: detection's list calls [`Visit::visit`] once per scheme, in order.
pub(crate) trait Visit {
    /// Visits scheme `S`; `Break` stops the list (the outcome is already known).
    fn visit<S: Scheme>(&mut self) -> core::ops::ControlFlow<()>;
}

/// Limits for the schemes' unit tests: every kind allowed, as of 2026-11-28.
#[cfg(test)]
pub(crate) fn test_limits() -> Limits {
    super::IdOptions::new(crate::date::Date::from_checked_parts(2026, 11, 28))
        .with_kinds(KindSet::all())
        .limits()
}
