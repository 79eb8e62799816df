//! Bulk checking: one candidate per line of UTF-8 bytes, e.g. a whole user table's ID column.
//!
//! Lines end with `\n` (an optional `\r` before it is dropped); a final newline does not start
//! another line. Each line gets a status byte: 0 when valid, else 1 + the index in [`Code::ALL`]
//! of the first issue [`check_id`](super::check_id) would report, from the same rules via
//! [`first_code`]. 18-character lines that need no normalising take an allocation-free fast
//! path that skips the search for the line's end.
//!
//! [`BatchChecker`] takes the input in pieces of any size (the wasm edge encodes a JS string a
//! piece at a time into one small buffer, so a 100 MB column never needs 300 MB of wasm memory);
//! [`check_id_batch`] is the one-piece case. Both give the same report.

use super::detect::{self, first_code};
use super::{IdOptions, Limits, MAX_INPUT_CHARS};
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

/// A line longer than this (plus a `\r`) is `id_too_long` whatever it holds: a character is at
/// most 4 bytes, so such a line has more than [`MAX_INPUT_CHARS`] characters.
const LONG_LINE_BYTES: usize = MAX_INPUT_CHARS * 4 + 1;

/// Checks a batch fed in pieces. Feed each piece after the unconsumed tail of the previous one.
pub struct BatchChecker<'a> {
    options: &'a IdOptions,
    limits: Limits,
    status: Vec<u8>,
    counts: [u32; Code::ALL.len()],
    /// Inside a line already known to be too long: its bytes are skipped up to the newline.
    in_long_line: bool,
}

impl<'a> BatchChecker<'a> {
    pub fn new(options: &'a IdOptions) -> BatchChecker<'a> {
        BatchChecker {
            options,
            limits: options.limits(),
            status: Vec::new(),
            counts: [0; Code::ALL.len()],
            in_long_line: false,
        }
    }

    /// Reserves status space for about `lines` more lines.
    pub fn reserve(&mut self, lines: usize) {
        self.status.reserve(lines);
    }

    /// Checks every complete line of `bytes`, and returns how many bytes it consumed. The rest
    /// (at most [`LONG_LINE_BYTES`] bytes: an unfinished last line) must start the next piece.
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut rest = bytes;
        if self.in_long_line {
            match rest.iter().position(|&c| c == b'\n') {
                None => return bytes.len(),
                Some(i) => {
                    self.push(Some(Code::IdTooLong));
                    self.in_long_line = false;
                    rest = rest.get(i + 1..).unwrap_or(&[]);
                }
            }
        }
        loop {
            if let Some((first, next)) = fast_line(rest, &self.limits) {
                self.push(first);
                rest = next;
                continue;
            }
            match rest.iter().position(|&c| c == b'\n') {
                Some(i) => {
                    let (line, next) = rest.split_at(i);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    let first = first_code(line, &self.limits);
                    self.push(first);
                    rest = next.get(1..).unwrap_or(&[]);
                }
                None => break,
            }
        }
        if rest.len() > LONG_LINE_BYTES {
            self.in_long_line = true;
            return bytes.len();
        }
        bytes.len() - rest.len()
    }

    /// Checks the unfinished last line (if any) and returns the report.
    pub fn finish(mut self, rest: &[u8]) -> BatchReport {
        // A lone 18-character line without a newline is the fast path's `None` end case, but
        // anything fed here may still hold complete lines if the caller did not feed them.
        let consumed = self.feed(rest);
        let tail = rest.get(consumed..).unwrap_or(&[]);
        if self.in_long_line {
            self.push(Some(Code::IdTooLong));
        } else if !tail.is_empty() {
            let line = tail.strip_suffix(b"\r").unwrap_or(tail);
            let first = first_code(line, &self.limits);
            self.push(first);
        }
        let total = u32::try_from(self.status.len()).unwrap_or(u32::MAX);
        let invalid: u32 = self.counts.iter().sum();
        BatchReport {
            total,
            valid: total.saturating_sub(invalid),
            invalid,
            status: self.status,
            counts: self.counts,
        }
    }

    /// The options this checker applies.
    pub fn options(&self) -> &IdOptions {
        self.options
    }

    #[inline(always)]
    fn push(&mut self, first: Option<Code>) {
        match first {
            None => self.status.push(0),
            Some(code) => {
                let index = code.index();
                if let Some(n) = self.counts.get_mut(index) {
                    *n += 1;
                }
                // Code::ALL has far fewer than 255 entries.
                self.status.push(u8::try_from(index + 1).unwrap_or(u8::MAX));
            }
        }
    }
}

/// Checks every line of `bytes`.
pub fn check_id_batch(bytes: &[u8], options: &IdOptions) -> BatchReport {
    let mut checker = BatchChecker::new(options);
    checker.reserve(bytes.len() / 19 + 1);
    let consumed = checker.feed(bytes);
    checker.finish(bytes.get(consumed..).unwrap_or(&[]))
}

/// The common case: the next line is 18 characters followed by `\n`, decided by the schemes as
/// written (see [`detect::first_code18_as_written`]). Returns its first issue and the rest after the
/// line, or `None` to take the general path. (Bytes decided as written are printable ASCII, so
/// the 18 bytes cannot hide a line break.)
#[inline(always)]
fn fast_line<'a>(bytes: &'a [u8], limits: &Limits) -> Option<(Option<Code>, &'a [u8])> {
    let (head, tail) = bytes.split_first_chunk::<18>()?;
    let rest = match tail.split_first() {
        Some((b'\n', rest)) => rest,
        _ => return None,
    };
    detect::first_code18_as_written(head, limits)
        .ok()
        .map(|first| (first, rest))
}
