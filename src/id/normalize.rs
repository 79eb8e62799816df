//! Normalisation of a typed ID number, reported rather than silent.
//!
//! Real input often carries surrounding spaces (including the ideographic space U+3000 and
//! non-breaking spaces), full-width digits (`０`-`９`), a full-width `Ｘ`, or a lowercase `x`.
//! Each is folded and reported as a warning. A space or any other character *inside* the number is
//! never dropped or read as a digit: it stays in place and fails the format check at its position.

use super::MAX_INPUT_CHARS;
use crate::issue::{Code, Issue, ParamValue};

/// The input after trimming and folding: one byte per input character, ASCII after folding, or
/// [`NON_ASCII`] for a character that has no ASCII fold (it can never be valid).
pub(crate) struct Normalized {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Issue>,
}

/// Placeholder for a character with no ASCII fold.
pub(crate) const NON_ASCII: u8 = 0;

/// Characters trimmed from both ends: Unicode whitespace plus the zero-width space and BOM,
/// which arrive with copy and paste.
fn is_trimmable(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}'
}

pub(crate) fn normalize(input: &str) -> Result<Normalized, Issue> {
    let too_long = || Issue::new(Code::IdTooLong).with("max", ParamValue::Int(MAX_INPUT_CHARS as i64));
    // A char is at most 4 bytes: longer inputs are rejected before looking at them.
    if input.len() > MAX_INPUT_CHARS * 4 || input.chars().count() > MAX_INPUT_CHARS {
        return Err(too_long());
    }
    let trimmed = input.trim_matches(is_trimmable);
    if trimmed.is_empty() {
        return Err(Issue::new(Code::IdEmpty));
    }
    let mut warnings = Vec::new();
    if trimmed.len() != input.len() {
        warnings.push(Issue::new(Code::IdWhitespaceTrimmed));
    }
    let mut fullwidth = false;
    let mut lowercase_x = false;
    let mut bytes = Vec::with_capacity(trimmed.len().min(MAX_INPUT_CHARS));
    for c in trimmed.chars() {
        let folded = match c {
            'x' => {
                lowercase_x = true;
                b'X'
            }
            // Full-width forms U+FF01..=U+FF5E map one-to-one onto ASCII U+0021..=U+007E.
            '\u{FF01}'..='\u{FF5E}' => {
                fullwidth = true;
                let ascii = u32::from(c) - 0xFF01 + 0x21;
                match u8::try_from(ascii) {
                    Ok(b'x') => {
                        lowercase_x = true;
                        b'X'
                    }
                    Ok(b) => b,
                    Err(_) => NON_ASCII,
                }
            }
            c if c.is_ascii() => c as u8,
            _ => NON_ASCII,
        };
        bytes.push(folded);
    }
    if fullwidth {
        warnings.push(Issue::new(Code::IdFullwidthFolded));
    }
    if lowercase_x {
        warnings.push(Issue::new(Code::IdLowercaseXFolded));
    }
    Ok(Normalized { bytes, warnings })
}
