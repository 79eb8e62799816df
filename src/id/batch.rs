//! Bulk checking: one candidate per line of UTF-8 bytes, e.g. a whole user table's ID column.
//!
//! Lines end with `\n` (an optional `\r` before it is dropped); a final newline does not start
//! another line. Each line gets a status byte: 0 when valid, else 1 + the index in [`Code::ALL`]
//! of the first issue [`check_id`](super::check_id) would report. Well-formed 18-character lines
//! take an allocation-free fast path; every other line goes through the full check.

use super::{cn_resident, first_code, IdOptions, Limits};
use crate::issue::Code;

/// The summary of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchReport {
    pub total: u32,
    pub valid: u32,
    pub invalid: u32,
    /// One byte per line: 0 = valid, else 1 + index into [`Code::ALL`].
    pub status: Vec<u8>,
    /// Count of invalid lines per first-issue code, indexed like [`Code::ALL`].
    pub counts: [u32; Code::ALL.len()],
}

impl BatchReport {
    /// The codes that occurred, with their counts, in [`Code::ALL`] order.
    pub fn by_code(&self) -> Vec<(Code, u32)> {
        Code::ALL
            .iter()
            .zip(self.counts.iter())
            .filter(|(_, &n)| n > 0)
            .map(|(&c, &n)| (c, n))
            .collect()
    }

    /// The code a status byte stands for (`None` for 0 = valid, or an unknown byte).
    pub fn code_of_status(status: u8) -> Option<Code> {
        usize::from(status)
            .checked_sub(1)
            .and_then(|i| Code::ALL.get(i).copied())
    }
}

/// Checks every line of `bytes`.
pub fn check_id_batch(bytes: &[u8], options: &IdOptions) -> BatchReport {
    let limits = options.limits();
    let mut status = Vec::with_capacity(bytes.len() / 19 + 1);
    let mut counts = [0u32; Code::ALL.len()];
    let mut rest = bytes;
    while !rest.is_empty() {
        let first = match fast_line(rest, &limits) {
            Some((first, next)) => {
                rest = next;
                first
            }
            None => {
                let (line, next) = split_line(rest);
                rest = next;
                first_code(line.strip_suffix(b"\r").unwrap_or(line), &limits)
            }
        };
        match first {
            None => status.push(0),
            Some(code) => {
                let index = code.index();
                if let Some(n) = counts.get_mut(index) {
                    *n += 1;
                }
                // Code::ALL has far fewer than 255 entries.
                status.push(u8::try_from(index + 1).unwrap_or(u8::MAX));
            }
        }
    }
    let total = u32::try_from(status.len()).unwrap_or(u32::MAX);
    let invalid: u32 = counts.iter().sum();
    BatchReport {
        total,
        valid: total - invalid,
        invalid,
        status,
        counts,
    }
}

/// The common case: the next line is exactly 18 well-formed characters followed by `\n` or the
/// end. Returns its first issue and the rest after the line, or `None` to take the general path.
/// (Well-formed means digits and `X` only, so the 18 bytes cannot hide a line break.)
#[inline(always)]
fn fast_line<'a>(bytes: &'a [u8], limits: &Limits) -> Option<(Option<Code>, &'a [u8])> {
    let (head, tail) = bytes.split_first_chunk::<18>()?;
    let rest = match tail.split_first() {
        None => tail,
        Some((b'\n', rest)) => rest,
        Some(_) => return None,
    };
    match cn_resident::first_code18(head, limits) {
        Some(Code::IdInvalidCharacter) => None,
        first => Some((first, rest)),
    }
}

/// Splits off the first line (without its `\n`).
fn split_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|&c| c == b'\n') {
        Some(i) => {
            let (line, rest) = bytes.split_at(i);
            (line, rest.get(1..).unwrap_or(&[]))
        }
        None => (bytes, &[]),
    }
}
