//! Normalisation of a typed ID number, reported rather than silent.
//!
//! Real input often carries surrounding spaces (including the ideographic space U+3000 and
//! non-breaking spaces), full-width digits (`０`-`９`), a full-width `Ｘ`, a lowercase `x`, or
//! other lowercase letters (in documents with letters, e.g. `a123456(3)`). Each is folded and
//! reported as a warning. A space or any other character *inside* the number is
//! never dropped or read as a digit: it stays in place and fails the format check at its position.
//!
//! The result lives on the stack (at most [`MAX_INPUT_CHARS`] bytes), so the fast paths never
//! allocate.

use super::MAX_INPUT_CHARS;
use crate::issue::{Code, Issue, ParamValue};

/// The input after trimming and folding: one byte per input character, ASCII after folding, or
/// [`NON_ASCII`] for a character that has no ASCII fold (it can never be valid).
pub(crate) struct Normalized {
    buffer: [u8; MAX_INPUT_CHARS],
    len: usize,
    trimmed: bool,
    fullwidth: bool,
    lowercase_x: bool,
    lowercase_other: bool,
}

/// Placeholder for a character with no ASCII fold.
pub(crate) const NON_ASCII: u8 = 0;

impl Normalized {
    pub fn bytes(&self) -> &[u8] {
        self.buffer.get(..self.len).unwrap_or(&[])
    }

    /// The warnings describing what was folded, in a stable order.
    pub fn warnings(&self) -> Vec<Issue> {
        [
            (self.trimmed, Code::IdWhitespaceTrimmed),
            (self.fullwidth, Code::IdFullwidthFolded),
            (self.lowercase_x, Code::IdLowercaseXFolded),
            (self.lowercase_other, Code::IdLowercaseFolded),
        ]
        .into_iter()
        .filter(|(happened, _)| *happened)
        .map(|(_, code)| Issue::new(code))
        .collect()
    }
}

/// Characters trimmed from both ends: Unicode whitespace plus the zero-width space and BOM,
/// which arrive with copy and paste.
fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

/// The issue for an error code [`normalize`] returns.
pub(crate) fn issue(code: Code) -> Issue {
    match code {
        Code::IdTooLong => Issue::new(code).with("max", ParamValue::Int(MAX_INPUT_CHARS as i64)),
        _ => Issue::new(code),
    }
}

/// Trims and folds; `Err` is `id_too_long` or `id_empty`.
pub(crate) fn normalize(input: &str) -> Result<Normalized, Code> {
    // A char is at most 4 bytes: longer inputs are rejected before looking at them.
    if input.len() > MAX_INPUT_CHARS * 4 || input.chars().count() > MAX_INPUT_CHARS {
        return Err(Code::IdTooLong);
    }
    let trimmed = input.trim_matches(is_trimmable);
    if trimmed.is_empty() {
        return Err(Code::IdEmpty);
    }
    let mut out = Normalized {
        buffer: [0; MAX_INPUT_CHARS],
        len: 0,
        trimmed: trimmed.len() != input.len(),
        fullwidth: false,
        lowercase_x: false,
        lowercase_other: false,
    };
    for (slot, c) in out.buffer.iter_mut().zip(trimmed.chars()) {
        *slot = match c {
            'x' => {
                out.lowercase_x = true;
                b'X'
            }
            // Full-width forms U+FF01..=U+FF5E map one-to-one onto ASCII U+0021..=U+007E.
            '\u{FF01}'..='\u{FF5E}' => {
                out.fullwidth = true;
                match u8::try_from(u32::from(c) - 0xFF01 + 0x21) {
                    Ok(b'x') => {
                        out.lowercase_x = true;
                        b'X'
                    }
                    Ok(b) if b.is_ascii_lowercase() => {
                        out.lowercase_other = true;
                        b.to_ascii_uppercase()
                    }
                    Ok(b) => b,
                    Err(_) => NON_ASCII,
                }
            }
            c if c.is_ascii_lowercase() => {
                out.lowercase_other = true;
                c.to_ascii_uppercase() as u8
            }
            c if c.is_ascii() => c as u8,
            _ => NON_ASCII,
        };
        out.len += 1;
    }
    Ok(out)
}
