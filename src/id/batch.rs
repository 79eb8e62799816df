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
use super::{IdKind, IdOptions, Limits, MAX_INPUT_CHARS};
use crate::issue::Code;

/// The summary of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchReport {
    /// The number of lines checked.
    pub total: u32,
    /// The number of valid lines (status 0).
    pub valid: u32,
    /// The number of invalid lines (the sum of `counts`).
    pub invalid: u32,
    /// One byte per line: 0 = valid, else 1 + index into [`Code::ALL`].
    pub status: Vec<u8>,
    /// Count of invalid lines per first-issue code, indexed like [`Code::ALL`].
    pub counts: [u32; Code::ALL.len()],
    /// With [`BatchChecker::with_birth_dates`]: one value per line, the birth date of a valid
    /// number as `YYYYMMDD` (as [`Date::ymd`](crate::Date::ymd)), or 0 (an invalid line, or a
    /// document that carries no birth date).
    pub birth_dates: Option<Vec<u32>>,
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
    /// The birth dates, when asked for ([`BatchChecker::with_birth_dates`]).
    birth_dates: Option<Vec<u32>>,
}

impl<'a> BatchChecker<'a> {
    /// A checker with no line checked yet, applying `options` to every line.
    pub fn new(options: &'a IdOptions) -> BatchChecker<'a> {
        BatchChecker {
            options,
            limits: options.limits(),
            status: Vec::new(),
            counts: [0; Code::ALL.len()],
            in_long_line: false,
            birth_dates: None,
        }
    }

    /// Also reports each valid line's birth date ([`BatchReport::birth_dates`]), from the same
    /// schemes: a page that bands a table of accounts by age needs no `check_id` per row, nor a
    /// copy of any document's layout. Costs a second look at each valid line.
    pub fn with_birth_dates(mut self) -> BatchChecker<'a> {
        self.birth_dates = Some(Vec::with_capacity(self.status.capacity()));
        self
    }

    /// Reserves status space for about `lines` more lines.
    pub fn reserve(&mut self, lines: usize) {
        self.status.reserve(lines);
        if let Some(dates) = &mut self.birth_dates {
            dates.reserve(lines);
        }
    }

    /// Checks every complete line of `bytes`, and returns how many bytes it consumed. The rest
    /// (an unfinished last line, at most 4 × [`MAX_INPUT_CHARS`] + 1 bytes: a longer line is
    /// already known to be `id_too_long`, and consumed) must start the next piece.
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let mut rest = bytes;
        if self.in_long_line {
            match rest.iter().position(|&c| c == b'\n') {
                None => return bytes.len(),
                Some(i) => {
                    self.push_line(Some(Code::IdTooLong), &[]);
                    self.in_long_line = false;
                    rest = rest.get(i + 1..).unwrap_or(&[]);
                }
            }
        }
        let dates = self.birth_dates.is_some();
        // Natively, two copies of the loop: the one without birth dates carries no kind from the
        // fast path (the compiler drops it), so the common batch pays nothing for the option. The
        // .wasm keeps one copy (the second would cost about 850 bytes gzipped).
        #[cfg(target_arch = "wasm32")]
        {
            rest = self.feed_lines(rest, dates);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            rest = if dates {
                self.feed_lines_with_dates(rest)
            } else {
                self.feed_lines(rest, false)
            };
        }
        if rest.len() > LONG_LINE_BYTES {
            self.in_long_line = true;
            return bytes.len();
        }
        bytes.len() - rest.len()
    }

    /// [`BatchChecker::feed_lines`] with birth dates, out of the common batch's way.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn feed_lines_with_dates<'b>(&mut self, rest: &'b [u8]) -> &'b [u8] {
        self.feed_lines(rest, true)
    }

    /// Checks every complete line of `rest` and returns the unfinished tail; `dates` when
    /// [`BatchChecker::with_birth_dates`] asked for birth dates.
    #[inline(always)]
    fn feed_lines<'b>(&mut self, mut rest: &'b [u8], dates: bool) -> &'b [u8] {
        loop {
            if let Some((first, kind, next)) = fast_line(rest, &self.limits) {
                self.push(first);
                if dates {
                    self.push_birth_date18(kind, rest);
                }
                rest = next;
                continue;
            }
            match rest.iter().position(|&c| c == b'\n') {
                Some(i) => {
                    let (line, next) = rest.split_at(i);
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    let first = first_code(line, &self.limits);
                    self.push_line(first, line);
                    rest = next.get(1..).unwrap_or(&[]);
                }
                None => return rest,
            }
        }
    }

    /// Checks the unfinished last line (if any) and returns the report.
    pub fn finish(mut self, rest: &[u8]) -> BatchReport {
        // A lone 18-character line without a newline is the fast path's `None` end case, but
        // anything fed here may still hold complete lines if the caller did not feed them.
        let consumed = self.feed(rest);
        let tail = rest.get(consumed..).unwrap_or(&[]);
        if self.in_long_line {
            self.push_line(Some(Code::IdTooLong), &[]);
        } else if !tail.is_empty() {
            let line = tail.strip_suffix(b"\r").unwrap_or(tail);
            let first = first_code(line, &self.limits);
            self.push_line(first, line);
        }
        let total = u32::try_from(self.status.len()).unwrap_or(u32::MAX);
        let invalid: u32 = self.counts.iter().sum();
        BatchReport {
            total,
            valid: total.saturating_sub(invalid),
            invalid,
            status: self.status,
            counts: self.counts,
            birth_dates: self.birth_dates,
        }
    }

    /// The options this checker applies.
    pub fn options(&self) -> &IdOptions {
        self.options
    }

    /// [`BatchChecker::push`], and the line's birth date when they are asked for.
    #[inline(always)]
    fn push_line(&mut self, first: Option<Code>, line: &[u8]) {
        self.push(first);
        if self.birth_dates.is_some() {
            self.push_birth_date(first.is_none(), line);
        }
    }

    /// The birth date of a line of the general path: the full check's, for a valid line.
    #[inline(never)] // only batches that ask for birth dates come here
    fn push_birth_date(&mut self, valid: bool, line: &[u8]) {
        let key = if valid {
            match super::check_id(&String::from_utf8_lossy(line), self.options) {
                Ok(checked) => checked.value.birth_date.map_or(0, crate::Date::ymd),
                Err(_) => 0,
            }
        } else {
            0
        };
        if let Some(dates) = &mut self.birth_dates {
            dates.push(key);
        }
    }

    /// The birth date of a fast-path line (its first 18 bytes), from the kind the schemes found
    /// valid: the kinds of GB 11643's layout carry it at places 7 to 14 (the resident ID, the
    /// residence permit, the 2023 permanent residence card); other kinds carry none.
    #[inline(never)]
    fn push_birth_date18(&mut self, kind: Option<IdKind>, line: &[u8]) {
        let key = match (kind, <&[u8; 18]>::try_from(line.get(..18).unwrap_or(&[]))) {
            (
                Some(
                    IdKind::CnResident
                    | IdKind::HkMacaoTaiwanResidencePermit
                    | IdKind::ForeignPermanentResident,
                ),
                Ok(b18),
            ) => super::cn_resident::birth_key18(b18),
            _ => 0,
        };
        if let Some(dates) = &mut self.birth_dates {
            dates.push(key);
        }
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
/// written (see [`detect::first_code18_as_written`]). Returns its first issue, the kind found
/// valid and the rest after the line, or `None` to take the general path. (Bytes decided as written are printable ASCII, so
/// the 18 bytes cannot hide a line break.)
#[inline(always)]
fn fast_line<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Option<(Option<Code>, Option<IdKind>, &'a [u8])> {
    let (head, tail) = bytes.split_first_chunk::<18>()?;
    let rest = match tail.split_first() {
        Some((b'\n', rest)) => rest,
        _ => return None,
    };
    detect::first_code18_as_written(head, limits)
        .ok()
        .map(|(first, kind)| (first, kind, rest))
}
