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
    // The usual input: printable ASCII with nothing to trim or fold, copied as it is.
    let bytes = input.as_bytes();
    if !bytes.is_empty()
        && bytes.len() <= MAX_INPUT_CHARS
        && bytes
            .iter()
            .all(|&b| (0x21..=0x7E).contains(&b) && !b.is_ascii_lowercase())
    {
        let mut buffer = [0; MAX_INPUT_CHARS];
        if let Some(head) = buffer.get_mut(..bytes.len()) {
            head.copy_from_slice(bytes);
        }
        return Ok(Normalized {
            buffer,
            len: bytes.len(),
            trimmed: false,
            fullwidth: false,
            lowercase_x: false,
            lowercase_other: false,
        });
    }
    normalize_general(input)
}

/// [`normalize`] for any input (after the length check).
fn normalize_general(input: &str) -> Result<Normalized, Code> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII shortcut gives what the general path gives, on inputs either side of its test.
    #[test]
    fn shortcut_matches_the_general_path() {
        let mut seed: u64 = 0x1234_5678_9ABC_DEF1;
        let alphabet: Vec<char> = (0x20u8..=0x7F)
            .map(char::from)
            .chain(['\t', '\u{3000}', '\u{FF10}', '\u{FF58}', '中'])
            .collect();
        for _ in 0..50_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 24) as usize;
            // Half the inputs from digits and a few letters, which mostly take the shortcut.
            let pool = if seed & 1 == 0 {
                &alphabet[16..60]
            } else {
                &alphabet[..]
            };
            let text: String = (0..len)
                .map(|i| pool[((seed >> (i % 8 * 8)) as usize + i * 7) % pool.len()])
                .collect();
            let fast = normalize(&text);
            let general = if text.chars().count() > MAX_INPUT_CHARS {
                Err(Code::IdTooLong)
            } else {
                normalize_general(&text)
            };
            match (fast, general) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.bytes(), b.bytes(), "{text:?}");
                    assert_eq!(a.warnings(), b.warnings(), "{text:?}");
                }
                (Err(a), Err(b)) => assert_eq!(a, b, "{text:?}"),
                (a, b) => panic!("{text:?}: {:?} vs {:?}", a.is_ok(), b.is_ok()),
            }
        }
    }
}
