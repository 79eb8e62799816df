//! Bulk checking: one candidate per line of UTF-8 bytes, e.g. a whole user table's ID column.
//!
//! Lines end with `\n` (an optional `\r` before it is dropped); a final newline does not start
//! another line. Each line gets a status byte: 0 when valid, else 1 + the index in [`Code::ALL`]
//! of the first issue [`check_id`](super::check_id) would report, from the same rules via
//! [`first_code`]. Lines of 18 characters and a newline, nearly every line of an ID column, take
//! a quicker path ([`Quick`]) that decides the common outcomes without detection, exactly as
//! detection decides them.
//!
//! [`BatchChecker`] takes the input in pieces of any size (the wasm edge encodes a JS string a
//! piece at a time into one small buffer, so a 100 MB column never needs 300 MB of wasm memory);
//! [`check_id_batch`] is the one-piece case. Both give the same report.

use super::detect::first_code;
use super::{IdKind, IdOptions, Limits, MAX_INPUT_CHARS};
#[cfg(not(target_arch = "wasm32"))]
use crate::division;
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

/// Statuses [`BatchChecker::feed_quick`] keeps before it moves them to the report (a power of
/// two). The branch that moves them is mispredicted about once per chunk, since the lines'
/// random outcomes hide its period from the predictor: once per 16 lines cost 4% at 16.
const STATUS_CHUNK: usize = 256;

/// Below this many invalid lines in a chunk of statuses, the next chunk takes the quick path's
/// branchy form ([`small::Quick`]); from it on, the form that selects a status from a table
/// ([`Quick`]). Measured on the benchmark's lines (1,000,000 in a random order, AMD EPYC, each
/// form alone): the branchy form is the faster from about 85 % valid lines up (147 against 113
/// M IDs/s at 99 %), the table from about 80 % down (98 against 84 at 70 %). 38 of 256 is 15 %.
#[cfg(not(target_arch = "wasm32"))]
const BRANCHY_BELOW: usize = 38;

/// A line longer than this (plus a `\r`) is `id_too_long` whatever it holds: a character is at
/// most 4 bytes, so such a line has more than [`MAX_INPUT_CHARS`] characters.
const LONG_LINE_BYTES: usize = MAX_INPUT_CHARS * 4 + 1;

/// Checks a batch fed in pieces. Feed each piece after the unconsumed tail of the previous one.
pub struct BatchChecker<'a> {
    options: &'a IdOptions,
    limits: Limits,
    status: Vec<u8>,
    /// Lines per status byte: 0 (valid), then the count of each code, indexed like
    /// [`Code::ALL`] from 1 (so that the quick path counts every line without a branch), and
    /// unused entries up to 255 (so that no index needs a bounds check).
    tally: [u32; 256],
    /// Inside a line already known to be too long: its bytes are skipped up to the newline.
    in_long_line: bool,
    /// The quick path takes its branchy form ([`small::Quick`]): the last chunk of statuses had
    /// fewer invalid lines than [`BRANCHY_BELOW`].
    #[cfg(not(target_arch = "wasm32"))]
    branchy: bool,
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
            tally: [0; 256],
            in_long_line: false,
            #[cfg(not(target_arch = "wasm32"))]
            branchy: true,
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
            match newline(rest) {
                None => return bytes.len(),
                Some(i) => {
                    self.push_line(Some(Code::IdTooLong), &[]);
                    self.in_long_line = false;
                    rest = rest.get(i + 1..).unwrap_or(&[]);
                }
            }
        }
        rest = self.feed_lines(rest);
        if rest.len() > LONG_LINE_BYTES {
            self.in_long_line = true;
            return bytes.len();
        }
        bytes.len() - rest.len()
    }

    /// Checks every complete line of `rest` and returns the unfinished tail: runs of lines that
    /// [`Quick`] decides, and each line between them by the schemes ([`first_code`]).
    #[inline(never)]
    fn feed_lines<'b>(&mut self, mut rest: &'b [u8]) -> &'b [u8] {
        let quick = Quick::new(self.options);
        #[cfg(not(target_arch = "wasm32"))]
        let small = small::Quick::new(self.options);
        let dates = self.birth_dates.is_some();
        loop {
            // Natively the run without the birth dates takes two lines a pass, in the form the
            // last chunk of statuses chose; wasm has room for one copy of the run.
            #[cfg(not(target_arch = "wasm32"))]
            {
                let branchy = self.branchy;
                rest = match (dates, branchy) {
                    (true, _) => self.feed_quick(&quick, rest, true),
                    (false, true) => self.feed_pairs::<true>(&quick, &small, rest),
                    (false, false) => self.feed_pairs::<false>(&quick, &small, rest),
                };
                if self.branchy != branchy {
                    // The run stopped to switch forms, not at a line for the schemes.
                    continue;
                }
            }
            #[cfg(target_arch = "wasm32")]
            {
                rest = self.feed_quick(&quick, rest, dates);
            }
            match newline(rest) {
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

    /// Checks lines while [`Quick`] decides them, or [`BatchChecker::near_quick`] does, and
    /// returns the rest (which starts with a line left to the schemes' general path, or an
    /// unfinished one). Statuses go through a small local array, so that no vector bookkeeping
    /// is done per line. Natively only where the birth dates are asked for, in the table form
    /// (else [`BatchChecker::feed_pairs`]); in wasm, every run.
    #[inline(never)] // its own function: its constants stay in registers
    fn feed_quick<'b>(&mut self, quick: &Quick, mut rest: &'b [u8], dates: bool) -> &'b [u8] {
        let mut chunk = [0u8; STATUS_CHUNK];
        let mut n = 0;
        while let Some((line, next)) = rest.split_first_chunk::<19>() {
            let (status, next) = if let Some(status) = quick.decide(line) {
                if dates {
                    let kind = (status == 0).then_some(IdKind::CnResident);
                    self.push_birth_date18(kind, line);
                }
                (status, next)
            } else if let Some(found) = self.beside_quick(quick, rest) {
                found
            } else {
                break;
            };
            push_status(&mut chunk, &mut n, &mut self.tally, status);
            rest = next;
            if n == chunk.len() {
                self.status.extend_from_slice(&chunk);
                n = 0;
            }
        }
        self.status.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        rest
    }

    /// [`BatchChecker::feed_quick`] natively without the birth dates, two lines a pass where the
    /// quick path decides the first: one test of the bytes left, of the chunk's end and one step
    /// of `rest` for both. Returns at a line left to the schemes' general path, at an unfinished
    /// one, or to switch forms (see [`BRANCHY_BELOW`]).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)] // its own function: its constants stay in registers
    fn feed_pairs<'b, const BRANCHY: bool>(
        &mut self,
        quick: &Quick,
        small: &small::Quick,
        mut rest: &'b [u8],
    ) -> &'b [u8] {
        // A pass adds up to two statuses: the chunk's end may be passed by one.
        let mut chunk = [0u8; 2 * STATUS_CHUNK];
        let mut n = 0;
        let mut valid_before = self.tally.first().copied().unwrap_or(0);
        // Each form's `decide` is inlined where it is used (a closure was not).
        macro_rules! decide {
            ($line:expr) => {
                if BRANCHY {
                    small.decide($line)
                } else {
                    quick.decide($line)
                }
            };
        }
        loop {
            if n >= STATUS_CHUNK {
                self.status.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
                // The valid lines' tally has grown by the chunk's valid lines.
                let valid = self.tally.first().copied().unwrap_or(0);
                let invalid = n - valid.wrapping_sub(valid_before) as usize;
                valid_before = valid;
                n = 0;
                // A chunk with few invalid lines (or many) switches the form of the quick path:
                // the run stops and the caller runs the other copy of this loop.
                let branchy = invalid < BRANCHY_BELOW;
                if branchy != BRANCHY {
                    self.branchy = branchy;
                    return rest;
                }
            }
            let (status, next) = if let Some((two, after)) = rest.split_first_chunk::<38>() {
                let (Some(first), Some(second)) = (two.first_chunk::<19>(), two.last_chunk::<19>())
                else {
                    break;
                };
                match decide!(first) {
                    Some(status) => {
                        push_status(&mut chunk, &mut n, &mut self.tally, status);
                        match decide!(second) {
                            Some(status) => (status, after),
                            None => {
                                rest = rest.get(19..).unwrap_or(&[]);
                                match self.beside_quick(quick, rest) {
                                    Some(found) => found,
                                    None => break,
                                }
                            }
                        }
                    }
                    None => match self.beside_quick(quick, rest) {
                        Some(found) => found,
                        None => break,
                    },
                }
            } else {
                // The piece's last lines, one a pass.
                match rest.split_first_chunk::<19>() {
                    Some((line, next)) => match decide!(line) {
                        Some(status) => (status, next),
                        None => match self.beside_quick(quick, rest) {
                            Some(found) => found,
                            None => break,
                        },
                    },
                    None => break,
                }
            };
            push_status(&mut chunk, &mut n, &mut self.tally, status);
            rest = next;
        }
        self.status.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        rest
    }

    /// [`BatchChecker::near_quick`] with its three commonest lines first, each told from three
    /// words (no search for the line's end, no dispatch on its length): 17 digits or 19 (a
    /// digit dropped or doubled, decided as there), and 18 plain bytes that are no resident ID's
    /// (a letter typed into a number: `first_code18_outside_resident`).
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)] // out of the quick path's loop, which keeps its registers
    fn beside_quick<'b>(&mut self, quick: &Quick, rest: &'b [u8]) -> Option<(u8, &'b [u8])> {
        let Some(bytes) = rest.first_chunk::<24>() else {
            return self.near_quick(quick, rest);
        };
        let word = |at: usize| {
            bytes
                .get(at..at + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(u64::MAX, u64::from_le_bytes)
        };
        let (w0, w1, w10, w16) = (word(0), word(8), word(10), word(16));
        let byte = |at: usize| bytes.get(at).copied().unwrap_or(0);
        let head_digits = (non_digits(w0) | non_digits(w1)) == 0;
        // Bytes 16 to 19 in one word's low half: digits up to the `\n`.
        let (end, status) = if head_digits && non_digits(w16 | 0xFFFF_FF00 << 32) & 0x80 == 0 {
            match (byte(17), byte(18), byte(19)) {
                (b'\n', _, _) => (17, quick.digits17),
                (b'0'..=b'9', b'0'..=b'9', b'\n') => (19, quick.digits19),
                _ => return self.near_quick(quick, rest),
            }
        } else if byte(18) == b'\n' && (not_plain(w0) | not_plain(w1) | not_plain(w10)) == 0 {
            // Plain bytes hold no line end; with one that is no digit in the first 17 (or a last
            // one that is neither a digit nor `X`), they are no resident ID's: a non-digit in the
            // first 16 is already known.
            match <&[u8; 18]>::try_from(bytes.get(..18).unwrap_or(&[])) {
                Ok(b18) if !head_digits || !super::cn_resident::in_resident_alphabet(b18) => (
                    18,
                    super::detect::first_code18_outside_resident(b18, &self.limits)
                        .map_or(0, status_of),
                ),
                _ => return self.near_quick(quick, rest),
            }
        } else {
            return self.near_quick(quick, rest);
        };
        let (line, next) = rest.split_at_checked(end)?;
        if self.birth_dates.is_some() {
            self.push_birth_date(status == 0, line);
        }
        Some((status, next.get(1..).unwrap_or(&[])))
    }

    /// [`BatchChecker::beside_quick`] in wasm: [`BatchChecker::near_quick`].
    #[cfg(target_arch = "wasm32")]
    #[inline(always)]
    fn beside_quick<'b>(&mut self, quick: &Quick, rest: &'b [u8]) -> Option<(u8, &'b [u8])> {
        self.near_quick(quick, rest)
    }

    /// The status of the line at the start of `rest` that [`Quick`] left, and the bytes after
    /// it, with its birth date when they are asked for, if the line is short (at most 20 bytes
    /// with its end; `None` for a longer one or an unfinished one: the run of lines stops
    /// there). By the schemes ([`first_code`]), as for any line, with two shortcuts:
    /// - 17 or 19 digits (a digit dropped or doubled): no scheme reads 17 or 19 characters, so
    ///   detection's answer is the same for any such digits ([`Quick::digits17`],
    ///   [`Quick::digits19`]);
    /// - plain characters shown so a word at a time skip the schemes' own test
    ///   (`first_code_plain` in `detect.rs`).
    ///
    /// In wasm, the first shortcut, then only lines of 18 bytes and `\n` (`line18`): the plain
    /// test and `first_code18_outside_resident` would cost 0.18 KB there for 5 instructions a
    /// line on the benchmark's corpus.
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(never)]
    fn near_quick<'b>(&mut self, quick: &Quick, rest: &'b [u8]) -> Option<(u8, &'b [u8])> {
        let end = newline(rest.get(..21).unwrap_or(rest))?;
        let (line, next) = rest.split_at_checked(end)?;
        let next = next.get(1..).unwrap_or(&[]);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // Three words that cover a line of 16 to 20 bytes.
        let words = match (
            line.first_chunk::<8>(),
            line.get(8..16),
            line.last_chunk::<8>(),
        ) {
            (Some(&a), Some(b), Some(&c)) => <[u8; 8]>::try_from(b)
                .ok()
                .map(|b| [a, b, c].map(u64::from_le_bytes)),
            _ => None,
        };
        let test = |f: fn(u64) -> u64| words.is_some_and(|w| w.into_iter().all(|w| f(w) == 0));
        let status = match line.len() {
            17 if test(non_digits) => quick.digits17,
            19 if test(non_digits) => quick.digits19,
            _ if test(not_plain) => match <&[u8; 18]>::try_from(line) {
                Ok(b18) if !super::cn_resident::in_resident_alphabet(b18) => {
                    super::detect::first_code18_outside_resident(b18, &self.limits)
                }
                _ => super::detect::first_code_plain(line, &self.limits),
            }
            .map_or(0, status_of),
            _ => first_code(line, &self.limits).map_or(0, status_of),
        };
        if self.birth_dates.is_some() {
            self.push_birth_date(status == 0, line);
        }
        Some((status, next))
    }

    /// [`BatchChecker::near_quick`] in wasm: only a line of 18 bytes and `\n` (the 19 bytes at the
    /// start of `rest`), by the schemes.
    #[cfg(any(target_arch = "wasm32", test))]
    #[inline(never)]
    fn line18<'b>(&mut self, rest: &'b [u8]) -> Option<(u8, &'b [u8])> {
        let (bytes, next) = rest.split_first_chunk::<19>()?;
        let (line, end) = bytes.split_at(18);
        if end != b"\n" || newline(line).is_some() {
            return None;
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let first = first_code(line, &self.limits);
        if self.birth_dates.is_some() {
            self.push_birth_date(first.is_none(), line);
        }
        Some((first.map_or(0, status_of), next))
    }

    /// In wasm: 17 or 19 digits as natively (`quick.digits17`, `quick.digits19`: a tenth of the
    /// wasm batch's instructions on the benchmark's corpus, where 3.75% of the lines are such,
    /// for 0.24 KB), else [`BatchChecker::line18`]. A line of 18 bytes and `\n` (one with a
    /// letter, most often) goes to `line18` first: testing it for 17 and 19 digits cost such
    /// lines about 77 instructions.
    #[cfg(target_arch = "wasm32")]
    #[inline(never)]
    fn near_quick<'b>(&mut self, quick: &Quick, rest: &'b [u8]) -> Option<(u8, &'b [u8])> {
        if rest.get(18) == Some(&b'\n') {
            return self.line18(rest);
        }
        let digits = |n: usize| {
            rest.get(..n)
                .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                && rest.get(n) == Some(&b'\n')
        };
        let (end, status) = if digits(17) {
            (17, quick.digits17)
        } else if digits(19) {
            (19, quick.digits19)
        } else {
            return self.line18(rest);
        };
        let (line, next) = rest.split_at_checked(end)?;
        if self.birth_dates.is_some() {
            self.push_birth_date(status == 0, line);
        }
        Some((status, next.get(1..).unwrap_or(&[])))
    }

    /// Checks the unfinished last line (if any) and returns the report.
    pub fn finish(mut self, rest: &[u8]) -> BatchReport {
        // A lone 18-character line without a newline is left by the quick path, but anything
        // fed here may still hold complete lines if the caller did not feed them.
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
        let mut counts = [0; Code::ALL.len()];
        for (count, &lines) in counts.iter_mut().zip(self.tally.iter().skip(1)) {
            *count = lines;
        }
        let invalid: u32 = counts.iter().sum();
        BatchReport {
            total,
            valid: total.saturating_sub(invalid),
            invalid,
            status: self.status,
            counts,
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
                if let Some(n) = self.tally.get_mut(index + 1) {
                    *n += 1;
                }
                // Code::ALL has far fewer than 255 entries.
                self.status.push(u8::try_from(index + 1).unwrap_or(u8::MAX));
            }
        }
    }
}

/// Puts a line's `status` at `n` in `chunk` (whose length is a power of two), moves `n` on, and
/// counts the status in `tally`.
#[inline(always)]
fn push_status(chunk: &mut [u8], n: &mut usize, tally: &mut [u32; 256], status: u8) {
    if let Some(slot) = chunk.get_mut(*n & (chunk.len() - 1)) {
        *slot = status;
    }
    *n += 1;
    if let Some(count) = tally.get_mut(usize::from(status)) {
        *count += 1;
    }
}

/// Checks every line of `bytes`.
pub fn check_id_batch(bytes: &[u8], options: &IdOptions) -> BatchReport {
    let mut checker = BatchChecker::new(options);
    checker.reserve(bytes.len() / 19 + 1);
    let consumed = checker.feed(bytes);
    checker.finish(bytes.get(consumed..).unwrap_or(&[]))
}

/// The index of the first `\n` in `bytes`, found a word at a time.
#[inline(always)]
fn newline(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        // A byte of `x` is 0 where `word` has `\n`; the lowest such byte sets the lowest flag
        // (a borrow can only set flags above it).
        let x = u64::from_le_bytes(word) ^ (u64::from(b'\n') * ONES);
        let found = x.wrapping_sub(ONES) & !x & (0x80 * ONES);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or(&[]);
    tail.iter().position(|&c| c == b'\n').map(|i| at + i)
}

/// The batch's quickest path, for lines of 18 characters and a newline (19 bytes), the shape of
/// nearly every line of an ID column. It decides three outcomes only, each exactly as the schemes
/// would (the tests compare it with [`first_code`] on every corpus and on edited lines):
///
/// - **valid**: what [`detect`] returns first for a valid resident ID (it is listed first and
///   stops the search): 17 digits and the MOD 11-2 check character, a real birth date between
///   the oldest allowed and the as-of date, and an address code whose province is no residence
///   permit's or Taiwan's (81, 82, 83, 71) and which is in use today ([`division::in_use_parts`]);
/// - **the resident ID's first issue** for 18 digits (the last may be `X`) with a wrong check
///   character (`id_checksum_mismatch`) or, after a right one, a birth date that fails
///   [`check_birth_date`] (its code), where no other scheme reads them: credit codes not allowed
///   (their scheme then leaves resident-ID-shaped digits alone) and a first digit other than `9`
///   (a permanent residence card's);
/// - **the permanent residence card's verdict** for 18 digits (the last may be `X`) starting
///   with `9`, where the card is allowed and credit codes are not (see [`Quick::first_issue`]).
///
/// The last two are decided out of line ([`Quick::first_issue`]).
/// Everything else (a leap day, an old code, another kind, a letter...) goes to the schemes
/// ([`BatchChecker::near_quick`] first, for short lines). The checks run on two 8-byte words
/// without a branch: a digit test, MOD 11-2 from two multiplications (and one for the remainder),
/// the date and address fields from digit pairs.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct Quick {
    /// The status of each [`Outcome`] under these options.
    statuses: &'static [u8; OUTCOMES],
    /// The oldest birth date allowed and the as-of date, `YYYYMMDD` in ASCII read as big-endian
    /// words: birth dates read so compare as the dates do.
    oldest: u64,
    as_of: u64,
    /// The status of any 17 digits, and of any 19: detection's answer, the same for all (no
    /// scheme reads 17 or 19 characters; the tests check it).
    #[cfg(not(target_arch = "wasm32"))]
    digits17: u8,
    #[cfg(not(target_arch = "wasm32"))]
    digits19: u8,
}

pub(super) const ONES: u64 = 0x0101_0101_0101_0101;

/// The MOD 11-2 check character for each value of Σ mod 11 (see [`mod11_2`](super::mod11_2)), padded to 16.
const CHECK_CHARS: [u8; 16] = *b"10X98765432\0\0\0\0\0";
pub(super) const EVEN_BYTES: u64 = 0x00FF_00FF_00FF_00FF;

/// The check character of each sum [`Digits18::read`] forms (at most 1,098; 0 above), padded to
/// a power of two so that a masked index needs no bounds check: natively one load in place of
/// the remainder by 11 (2 KiB; wasm keeps the remainder, for its size budget).
#[cfg(not(target_arch = "wasm32"))]
#[allow(clippy::indexing_slicing)] // const evaluation: a bad index fails the build, never at run time
static CHECK_BY_SUM: [u8; 2048] = {
    let mut table = [0u8; 2048];
    let mut sum = 0;
    while sum <= 1_098 {
        table[sum] = CHECK_CHARS[sum % 11];
        sum += 1;
    }
    table
};

/// Nonzero when a byte of `w` is not an ASCII digit. The lowest such byte always sets its high
/// bit in one of the three terms (bytes below it are digits, so no carry or borrow reaches it):
/// itself (≥ 0x80), `+ 0x46` (0x3A..0x7F), or `- 0x30` (below `0`).
#[inline(always)]
const fn non_digits(w: u64) -> u64 {
    (w | w.wrapping_add(0x46 * ONES) | w.wrapping_sub(0x30 * ONES)) & (0x80 * ONES)
}

/// Nonzero when a byte of `w` is not plain: printable ASCII other than a space or a lowercase
/// letter, `!` to `` ` `` or `{` to `~` (see `first_code_plain` in `detect.rs`). Here only `!` to `` ` ``
/// pass (every digit and capital letter, and most punctuation); the others are left to the full
/// test. Bytes below 0x80 add without a carry out of the byte: `+ 0x5F` sets the high bit from
/// `!` up, `+ 0x1F` from `a` up.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
const fn not_plain(w: u64) -> u64 {
    (w | !w.wrapping_add(0x5F * ONES) | w.wrapping_add(0x1F * ONES)) & (0x80 * ONES)
}

/// `Σ lane[k] × weight[k]` over the four 16-bit lanes of `lanes`, with the weights in `magic`
/// in reverse lane order: the top lane of the product is the sum.
#[inline(always)]
pub(super) const fn weighted(lanes: u64, magic: u64) -> u32 {
    (lanes.wrapping_mul(magic) >> 48) as u32
}

pub(super) const fn lane_weights(w0: u64, w1: u64, w2: u64, w3: u64) -> u64 {
    w3 | (w2 << 16) | (w1 << 32) | (w0 << 48)
}

/// What both forms of the quick path read first of a line of 19 bytes, from three words: places
/// 1 to 17 digits, a digit or `X` (with `ALPHABET`, else any byte), and `\n` (`None` otherwise).
/// The branchy form ([`small::Quick`]) tests the 18th place off its valid path only: a right
/// check character is in the alphabet. Each form keeps its own order of the tests: under
/// callgrind, one order for both cost the table form 2 instructions a line, the other 3 to 7.
struct Digits18 {
    /// Byte k of each is the number of places k + 1 and k + 2 (of 1 to 8, and of 9 to 16).
    low_pairs: u64,
    high_pairs: u64,
    /// Places 7 to 14, the birth date's digits in ASCII, read as a big-endian word: such words
    /// compare as the dates do (the table form's; the branchy form and wasm read the pairs).
    #[cfg(not(target_arch = "wasm32"))]
    date: u64,
    /// Whether place 18 is the MOD 11-2 check character of places 1 to 17.
    check_ok: bool,
}

impl Digits18 {
    #[inline(always)]
    fn read<const ALPHABET: bool>(line: &[u8; 19]) -> Option<Digits18> {
        // Bytes 0-7, 8-15 and 11-18 (the last word overlaps the second; its top three bytes
        // are the places 17 and 18 and the line's end).
        let (Some(first), Some(last)) = (line.first_chunk::<16>(), line.last_chunk::<8>()) else {
            return None;
        };
        #[cfg(not(target_arch = "wasm32"))]
        let birth = line.get(6..14).and_then(|b| <&[u8; 8]>::try_from(b).ok())?;
        let (low, high) = first.split_at(8);
        let (Ok(low), Ok(high)) = (<[u8; 8]>::try_from(low), <[u8; 8]>::try_from(high)) else {
            return None;
        };
        let low = u64::from_le_bytes(low);
        let high = u64::from_le_bytes(high);
        let last = u64::from_le_bytes(*last);
        let (b17, b18) = ((last >> 48) as u8, (last >> 56) as u8);
        let d16 = u32::from(((last >> 40) as u8).wrapping_sub(b'0'));
        let digits = if ALPHABET {
            // Place 18 and the line's end as one number: a digit and `\n`, or `X` and `\n`.
            let end = (last >> 48) as u32;
            let end_ok = (end.wrapping_sub(u32::from_le_bytes(*b"0\n\0\0")) < 10)
                | (end == u32::from_le_bytes(*b"X\n\0\0"));
            end_ok && d16 < 10 && (non_digits(low) | non_digits(high)) == 0
        } else {
            (non_digits(low) | non_digits(high)) == 0 && d16 < 10 && b18 == b'\n'
        };
        if !digits {
            return None;
        }
        let low = low.wrapping_sub(0x30 * ONES);
        let high = high.wrapping_sub(0x30 * ONES);
        // MOD 11-2 (see `mod11_2`): the weights 7 9 10 5 8 4 2 1 | 6 3 7 9 10 5 8 4 | 2 are
        // 2^(17-i) mod 11, so each even place weighs twice the next: 2d + d' of each pair of
        // places, weighted 9 5 4 1 | 3 9 5 4, gives the same sum mod 11 (at most 1,098).
        let halves = |w: u64| (w << 1).wrapping_add(w >> 8) & EVEN_BYTES;
        let sum = weighted(halves(low), lane_weights(9, 5, 4, 1))
            + weighted(halves(high), lane_weights(3, 9, 5, 4))
            + 2 * d16;
        #[cfg(not(target_arch = "wasm32"))]
        let check = CHECK_BY_SUM
            .get(sum as usize & (CHECK_BY_SUM.len() - 1))
            .copied()
            .unwrap_or(0);
        // Σ mod 11 by a multiplication: (sum × ⌈2^16 / 11⌉) >> 16 is ⌊sum / 11⌋ below 2^15.
        #[cfg(target_arch = "wasm32")]
        let check = CHECK_CHARS
            .get(((sum - 11 * ((sum * 5_958) >> 16)) & 15) as usize)
            .copied()
            .unwrap_or(0);
        let check_ok = b17 == check;
        Some(Digits18 {
            low_pairs: low.wrapping_mul(10).wrapping_add(low >> 8),
            high_pairs: high.wrapping_mul(10).wrapping_add(high >> 8),
            #[cfg(not(target_arch = "wasm32"))]
            date: u64::from_be_bytes(*birth),
            check_ok,
        })
    }
}

/// Days in each month (index 1 to 12; 0 elsewhere, so that a masked month needs no bounds
/// check), February with `february` days.
// Evaluated at compile time: an out-of-bounds index would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const fn month_days(february: u8) -> [u8; 128] {
    let mut days = [0u8; 128];
    let lengths = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while m < 12 {
        days[m + 1] = lengths[m];
        m += 1;
    }
    days
}

/// February has 29 here: [`Quick::decide`] leaves a leap day to the schemes, which know leap
/// years.
#[cfg(not(target_arch = "wasm32"))]
static MONTH_DAYS: [u8; 128] = month_days(29);

/// Whether the region of 17 digits passes (the digit pairs of places 1-2, 3-4 and 5-6, each
/// below 100): for a resident ID, a division code in use today whose province is no residence
/// permit's or Taiwan's (81, 82, 83, 71); for a permanent residence card's number (first digit
/// `9`), a province of issue (places 2 and 3) it may carry, a province-level code below 81
/// (`verdict_2023`).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn region_ok(pp: u32, cc: u32, dd: u32) -> bool {
    division::quick_region_ok(pp, cc, dd)
}

/// The status byte of a line whose first issue is `code`.
const fn status_of(code: Code) -> u8 {
    // Code::ALL has far fewer than 255 entries.
    (code.index() + 1) as u8
}

/// The status of `len` digits (at most 64) by the schemes ([`first_code`]).
#[inline(never)] // the general call: no copy of detection specialised for a length
fn digits_status(len: usize, limits: &Limits) -> u8 {
    first_code([b'0'; 64].get(..len).unwrap_or(&[]), limits).map_or(0, status_of)
}

/// `ymd` (at most 99,991,231) as eight ASCII digits read as a big-endian word.
#[cfg(not(target_arch = "wasm32"))]
fn ascii_date(ymd: u32) -> u64 {
    (0..8).rev().fold(0u64, |word, place| {
        let digit = (ymd / 10u32.pow(place)) % 10;
        (word << 8) | (u64::from(b'0') + u64::from(digit))
    })
}

/// Where [`Quick::decide`] leaves a line to the schemes, in place of a status byte.
#[cfg(not(target_arch = "wasm32"))]
const UNDECIDED: u8 = u8::MAX;
/// 0001-01-01 as [`Quick::oldest`] is written: year 0 is no date.
#[cfg(not(target_arch = "wasm32"))]
const YEAR_ONE: u64 = u64::from_be_bytes(*b"00010101");

/// What [`Quick::decide`] finds of 17 digits and a character, one bit per check (set: it
/// passes, or it holds): an index into [`Quick::statuses`].
#[cfg(not(target_arch = "wasm32"))]
struct Outcome;

#[cfg(not(target_arch = "wasm32"))]
impl Outcome {
    /// The 18th character is the check character of the first 17.
    const CHECK_OK: usize = 1;
    /// The birth date is a day of the calendar, 29 February of any year included.
    const REAL_DATE: usize = 2;
    /// The birth date is after the as-of date.
    const FUTURE: usize = 4;
    /// The birth date is before the oldest allowed.
    const TOO_OLD: usize = 8;
    /// The birth date is a 29 February: left to the schemes, which know leap years.
    const LEAP_DAY: usize = 16;
    /// The first digit is `9`: a permanent residence card's number.
    const CARD: usize = 32;
    /// A card's province of issue is one it may carry; a resident ID's address code is one a
    /// resident ID may carry ([`region_ok`]).
    const REGION_OK: usize = 64;
}

#[cfg(not(target_arch = "wasm32"))]
const OUTCOMES: usize = 128;
/// What the options let [`Quick`] decide, one bit each: an index into [`STATUSES`]. Valid
/// resident IDs (the kind is allowed); the resident ID's first issue; the card's verdict.
#[cfg(not(target_arch = "wasm32"))]
const RESIDENT: usize = 1;
#[cfg(not(target_arch = "wasm32"))]
const ISSUES: usize = 2;
#[cfg(not(target_arch = "wasm32"))]
const PERMANENT: usize = 4;

/// The status of each [`Outcome`] (or [`UNDECIDED`]) under each set of what may be decided, in
/// the schemes' order of checks (see [`Quick`]).
#[allow(clippy::indexing_slicing)] // const evaluation: a bad index fails the build, never at run time
#[cfg(not(target_arch = "wasm32"))]
static STATUSES: [[u8; OUTCOMES]; 8] = {
    let mut table = [[UNDECIDED; OUTCOMES]; 8];
    let mut mode = 0;
    while mode < 8 {
        let mut outcome = 0;
        while outcome < OUTCOMES {
            table[mode][outcome] = status_of_outcome(mode, outcome);
            outcome += 1;
        }
        mode += 1;
    }
    table
};

/// One entry of [`STATUSES`].
#[cfg(not(target_arch = "wasm32"))]
const fn status_of_outcome(mode: usize, outcome: usize) -> u8 {
    // The checks up to the birth date, the same for both documents: the check character, then
    // `check_birth_date`'s codes in its order.
    let fields = if outcome & Outcome::CHECK_OK == 0 {
        status_of(Code::IdChecksumMismatch)
    } else if outcome & Outcome::LEAP_DAY != 0 {
        UNDECIDED
    } else if outcome & Outcome::REAL_DATE == 0 {
        status_of(Code::IdBirthDateInvalid)
    } else if outcome & Outcome::FUTURE != 0 {
        status_of(Code::IdBirthDateInFuture)
    } else if outcome & Outcome::TOO_OLD != 0 {
        status_of(Code::IdBirthDateTooOld)
    } else {
        0
    };
    if outcome & Outcome::CARD != 0 {
        if mode & PERMANENT == 0 {
            UNDECIDED
        } else if fields != 0 {
            fields
        } else if outcome & Outcome::REGION_OK != 0 {
            0
        } else {
            status_of(Code::IdRegionInvalid)
        }
    } else if fields != 0 {
        if mode & ISSUES != 0 {
            fields
        } else {
            UNDECIDED
        }
    } else if mode & RESIDENT != 0 && outcome & Outcome::REGION_OK != 0 {
        0
    } else {
        UNDECIDED
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Quick {
    pub(crate) fn new(options: &IdOptions) -> Quick {
        let limits = options.limits();
        let kinds = limits.kinds;
        let no_credit_codes = !kinds.contains(IdKind::Uscc);
        let mut mode = 0;
        if kinds.contains(IdKind::CnResident) {
            mode |= RESIDENT;
            if no_credit_codes {
                mode |= ISSUES;
            }
        }
        if kinds.contains(IdKind::ForeignPermanentResident) && no_credit_codes {
            mode |= PERMANENT;
        }
        Quick {
            statuses: STATUSES.get(mode).unwrap_or(&[UNDECIDED; OUTCOMES]),
            oldest: ascii_date(limits.oldest_ymd),
            as_of: ascii_date(limits.as_of_ymd),
            #[cfg(not(target_arch = "wasm32"))]
            digits17: digits_status(17, &limits),
            #[cfg(not(target_arch = "wasm32"))]
            digits19: digits_status(19, &limits),
        }
    }

    /// Whether a permanent residence card's number may be decided here (see [`Quick`]).
    #[cfg(test)]
    fn permanent(&self) -> bool {
        STATUSES
            .iter()
            .enumerate()
            .any(|(mode, table)| mode & PERMANENT != 0 && core::ptr::eq(table, self.statuses))
    }

    /// The line's status byte (see [`BatchReport::status`]), or `None` to leave it to the
    /// schemes.
    #[inline(always)]
    pub(crate) fn decide(&self, line: &[u8; 19]) -> Option<u8> {
        let Digits18 {
            low_pairs,
            high_pairs,
            date,
            check_ok,
        } = Digits18::read::<true>(line)?;
        // Byte k of a pair word is the number of digits k and k + 1 (at most 99 for digits).
        let pair = |word: u64, k: u32| (word >> (8 * k)) as u32 & 0xFF;
        let (month, day) = (pair(high_pairs, 2), pair(high_pairs, 4));
        let month_days = MONTH_DAYS.get((month & 127) as usize).copied().unwrap_or(0);
        let real = (day.wrapping_sub(1) < u32::from(month_days)) & (date >= YEAR_ONE);
        let leap_day = (high_pairs >> 16) & 0x00FF_00FF == 2 | (29 << 16);
        // The first digit is 9: the pair of the first two is 90 to 99.
        let card = pair(low_pairs, 0) >= 90;
        let region_ok = region_ok(pair(low_pairs, 0), pair(low_pairs, 2), pair(low_pairs, 4));
        // Every check's outcome, and one load for the status: which check fails is as random
        // as the line, and a branch per check would be mispredicted about as often.
        let outcome = usize::from(check_ok)
            | usize::from(real) << 1
            // Dates below 2^63 (ASCII digits): a difference wraps past it where one is later.
            | (self.as_of.wrapping_sub(date) >> 63 << 2) as usize
            | (date.wrapping_sub(self.oldest) >> 63 << 3) as usize
            | usize::from(leap_day) << 4
            | usize::from(card) << 5
            | usize::from(region_ok) << 6;
        let status = self
            .statuses
            .get(outcome & (OUTCOMES - 1))
            .copied()
            .unwrap_or(UNDECIDED);
        (status != UNDECIDED).then_some(status)
    }
}

/// The quick path with a branch per check and the issues out of line (`first_issue`): [`Quick`]
/// in wasm, whose size budget the status table and its code would grow; natively, the batch's
/// quick path where nearly every line is valid (see [`BRANCHY_BELOW`]), whose branches are then
/// predicted and cheaper than working out every check. The tests check that it decides as the
/// schemes.
mod small {
    use super::{status_of, Digits18};
    use crate::division;
    use crate::id::cn_resident::check_birth_date;
    use crate::id::{IdKind, IdOptions, Limits};
    use crate::issue::Code;

    /// See [`super::Quick`].
    pub(crate) struct Quick {
        limits: Limits,
        /// The resident ID's first issue may be decided here (see above).
        issues: bool,
        /// A permanent residence card's number (18 digits starting with `9`) may be decided here: the
        /// card is allowed and credit codes are not (see [`Quick::first_issue`]).
        permanent: bool,
        /// Birth dates from `low_date` to `low_date + span` pass ([`date_key`]). None passes
        /// where the resident ID is not allowed (`low_date` is then the largest key: dates are
        /// below it, so `date - low_date` wraps to `date + 1`, above a `span` of 0), so that
        /// nothing is valid here.
        low_date: DateKey,
        span: DateKey,
        /// See [`super::Quick`]'s (natively there).
        #[cfg(target_arch = "wasm32")]
        pub(crate) digits17: u8,
        #[cfg(target_arch = "wasm32")]
        pub(crate) digits19: u8,
    }

    /// A birth date as [`Quick::decide`] compares it: natively `YYYYMMDD` in ASCII read as a
    /// big-endian word (`Digits18::date`), in wasm the number `YYYYMMDD`.
    #[cfg(not(target_arch = "wasm32"))]
    type DateKey = u64;
    #[cfg(target_arch = "wasm32")]
    type DateKey = u32;

    #[cfg(not(target_arch = "wasm32"))]
    fn date_key(ymd: u32) -> DateKey {
        super::ascii_date(ymd)
    }
    #[cfg(target_arch = "wasm32")]
    fn date_key(ymd: u32) -> DateKey {
        ymd
    }

    /// February has 28 here: a leap day goes to the schemes, which know leap years.
    static MONTH_DAYS_28: [u8; 128] = super::month_days(28);

    impl Quick {
        pub(crate) fn new(options: &IdOptions) -> Quick {
            let limits = options.limits();
            // Year 0 is no date: the oldest that can pass is 0001-01-01.
            let low_ymd = limits.oldest_ymd.max(10_101);
            let (low_date, high_date) = (date_key(low_ymd), date_key(limits.as_of_ymd));
            let resident = limits.kinds.contains(IdKind::CnResident) && high_date >= low_date;
            Quick {
                issues: limits.kinds.contains(IdKind::CnResident)
                    && !limits.kinds.contains(IdKind::Uscc),
                permanent: limits.kinds.contains(IdKind::ForeignPermanentResident)
                    && !limits.kinds.contains(IdKind::Uscc),
                low_date: if resident { low_date } else { DateKey::MAX },
                span: if resident {
                    high_date.wrapping_sub(low_date)
                } else {
                    0
                },
                #[cfg(target_arch = "wasm32")]
                digits17: super::digits_status(17, &limits),
                #[cfg(target_arch = "wasm32")]
                digits19: super::digits_status(19, &limits),
                limits,
            }
        }

        /// The line's status byte (see [`BatchReport::status`]), or `None` to leave it to the
        /// schemes.
        #[inline(always)]
        pub(crate) fn decide(&self, line: &[u8; 19]) -> Option<u8> {
            let Digits18 {
                low_pairs,
                high_pairs,
                check_ok,
                #[cfg(not(target_arch = "wasm32"))]
                date,
            } = Digits18::read::<false>(line)?;
            // Byte 2k of a pair word is the number of digits 2k and 2k + 1 (at most 99 for digits).
            let pair = |word: u64, k: u32| (word >> (16 * k)) as u32 & 0xFF;
            let province = pair(low_pairs, 0);
            let (month, day) = (pair(high_pairs, 1), pair(high_pairs, 2));
            let month_days = MONTH_DAYS_28
                .get((month & 127) as usize)
                .copied()
                .unwrap_or(0);
            // In wasm, the birth date as the number YYYYMMDD from the pairs of places 7-8, 9-10,
            // 11-12 and 13-14: wasm has no byte swap, and the big-endian word cost 12 more of its
            // instructions a line (`node bench/callgrind.mjs --wasm string`). Natively the word
            // costs 13 fewer (`node bench/callgrind.mjs` on a corpus of 97% valid lines).
            #[cfg(target_arch = "wasm32")]
            let date = ((pair(low_pairs, 3) * 100 + pair(high_pairs, 0)) * 100 + month) * 100 + day;
            let date_ok = (day.wrapping_sub(1) < u32::from(month_days))
                & (date.wrapping_sub(self.low_date) <= self.span);
            let kind_ok = (province != 71) & (province.wrapping_sub(81) > 2);
            if check_ok & date_ok & kind_ok
                && division::in_use_parts(province * 100 + pair(low_pairs, 1), pair(low_pairs, 2))
            {
                return Some(0);
            }
            self.first_issue(check_ok, line)
        }

        /// The status of 17 digits, a character and `\n` that the valid path did not pass, when it
        /// is decided here, else `None`; `check_ok` tells whether the 18th character is the check
        /// character of the first 17. Out of line, so that the valid path keeps its registers: the fields
        /// are read again from the line.
        ///
        /// - Not starting with `9` (where `issues` allows): the resident ID's first issue, the check
        ///   character or the birth date, if it is one of them.
        /// - Starting with `9`, where the permanent residence card is allowed and credit codes are
        ///   not (`permanent`): the card's verdict, which leads (the resident ID's verdict is never
        ///   valid there, since no province code starts with `9`, and the credit code's scheme
        ///   leaves resident-ID-shaped digits alone), from its checks in its order: the check
        ///   character, the birth date, the province of issue (places 2 and 3).
        #[inline(never)]
        fn first_issue(&self, check_ok: bool, line: &[u8; 19]) -> Option<u8> {
            let [b0, tens, units, _, _, _, y0, y1, y2, y3, m0, m1, d0, d1, _, _, _, b17, _] =
                line.map(|c| u32::from(c.wrapping_sub(b'0')));
            let card = b0 == 9;
            let alphabet = b17 < 10 || b17 == u32::from(b'X' - b'0');
            if !alphabet || !(if card { self.permanent } else { self.issues }) {
                return None;
            }
            if !check_ok {
                return Some(status_of(Code::IdChecksumMismatch));
            }
            let birth_ymd = (
                (y0 * 10 + y1) * 100 + y2 * 10 + y3,
                m0 * 10 + m1,
                d0 * 10 + d1,
            );
            if let Err(code) = check_birth_date(birth_ymd, &self.limits) {
                return Some(status_of(code));
            }
            if !card {
                return None;
            }
            let province = tens * 10 + units;
            if division::is_province(province) && province < 81 {
                Some(0)
            } else {
                Some(status_of(Code::IdRegionInvalid))
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use small::Quick;

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::date::Date;
    use crate::id::KindSet;

    /// Option sets that move every condition of [`Quick`]: the kinds (credit codes in or out,
    /// the resident ID in or out), the as-of date and the oldest birth date.
    pub(in crate::id) fn option_sets() -> Vec<IdOptions> {
        let as_of = Date::new(2026, 11, 28).unwrap();
        let mut sets = vec![
            IdOptions::new(as_of),
            IdOptions::new(as_of).with_kinds(KindSet::all()),
            IdOptions::new(as_of).with_kinds(KindSet::empty().with(IdKind::CnResident)),
            IdOptions::new(as_of).with_kinds(KindSet::empty().with(IdKind::Uscc)),
            IdOptions::new(as_of)
                .with_kinds(KindSet::empty().with(IdKind::HkMacaoTaiwanResidencePermit)),
            IdOptions::new(as_of)
                .with_kinds(KindSet::empty().with(IdKind::ForeignPermanentResident)),
            IdOptions::new(as_of).with_kinds(
                KindSet::empty()
                    .with(IdKind::ForeignPermanentResident)
                    .with(IdKind::Uscc),
            ),
            IdOptions::new(as_of).with_kinds(
                KindSet::all()
                    .iter()
                    .filter(|&kind| kind != IdKind::CnResident)
                    .fold(KindSet::empty(), KindSet::with),
            ),
            IdOptions::new(Date::new(1, 1, 1).unwrap()),
            IdOptions::new(Date::new(2000, 2, 29).unwrap()),
        ];
        for age in [0, 1, 100, 2025, 2026, 2027, 5000] {
            let mut options = IdOptions::new(as_of);
            options.max_age_years = age;
            sets.push(options);
        }
        sets
    }

    /// 17 digits and their check character.
    fn with_check(d17: &[u8]) -> Vec<u8> {
        let mut digits = [0u8; 17];
        for (d, c) in digits.iter_mut().zip(d17) {
            *d = c.wrapping_sub(b'0');
        }
        let mut line = d17.to_vec();
        line.push(crate::id::mod11_2::check_char(&digits));
        line
    }

    /// Lines at every edge the quick path tests: regions in use, abolished, unknown, Taiwan's and
    /// the permits', `9`; leap days, impossible dates, the as-of and oldest dates and beyond.
    pub(in crate::id) fn edge_lines() -> Vec<Vec<u8>> {
        let regions = [
            "110101", "440305", "650102", "110000", "110100", "110199", "320411", "710000",
            "710101", "810000", "820000", "830000", "810001", "990101", "930101", "000000",
            "100101", "460108", "123456", "999999", "989899", "932682", "911000", "971000",
            "981000", "965000", "900000",
        ];
        let dates = [
            "19491231", "20000229", "19000229", "20240229", "20230229", "20230228", "00000101",
            "00010101", "18961128", "18961127", "18961129", "20261128", "20261129", "20261231",
            "19991301", "19990001", "19990100", "19990132", "19990431", "19991131", "99991231",
            "20270101", "19500615", "99999999", "19991999",
        ];
        let mut lines = Vec::new();
        for region in regions {
            for date in dates {
                for order in ["001", "002", "999"] {
                    let line = with_check(format!("{region}{date}{order}").as_bytes());
                    lines.push(line.clone());
                    for (at, other) in [(17, b'X'), (17, b'0'), (17, b'x'), (0, b'9'), (5, b'A')] {
                        let mut edited = line.clone();
                        edited[at] = other;
                        lines.push(edited);
                    }
                }
            }
        }
        lines
    }

    /// A xorshift64 generator from `seed`: each call gives a number below `bound`, the same
    /// numbers on every run, so that a failure repeats.
    pub(in crate::id) fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        }
    }

    /// Random lines of digits, `X`, letters and a few other bytes, most with a right check.
    pub(in crate::id) fn random_lines(count: usize) -> Vec<Vec<u8>> {
        let mut next = xorshift(0x5348_494d_5348_494d);
        const BYTES: &[u8] = b"0123456789XAZx \xff\x00/:";
        (0..count)
            .map(|_| {
                let mut d17: Vec<u8> = (0..17).map(|_| b'0' + next(10) as u8).collect();
                if next(4) != 0 {
                    // A region in use and a plausible birth date.
                    const IN_USE: [&[u8; 6]; 4] = [b"110101", b"440305", b"650102", b"460108"];
                    d17[..6].copy_from_slice(IN_USE[next(4) as usize]);
                    d17[6] = b'1' + next(2) as u8;
                    d17[7] = if d17[6] == b'1' { b'9' } else { b'0' };
                    d17[10] = b'0' + next(2) as u8;
                    d17[12] = b'0' + next(3) as u8;
                }
                if next(8) == 0 {
                    // A permanent residence card's first digit.
                    d17[0] = b'9';
                }
                let mut line = with_check(&d17);
                for _ in 0..next(3) {
                    let at = next(18) as usize;
                    line[at] = BYTES[next(BYTES.len() as u64) as usize];
                }
                line
            })
            .collect()
    }

    /// A batch's statuses are [`first_code`] of each line, whatever the lines' lengths, line
    /// ends (`\r\n`) and bytes.
    #[test]
    fn batch_is_first_code_per_line() {
        let options = IdOptions::new(Date::new(2026, 11, 28).unwrap());
        let limits = options.limits();
        let mut next = xorshift(0x1234_5678_9abc_def1);
        let valid = with_check(b"11010519491231002");
        let mut text = Vec::new();
        for _ in 0..20_000 {
            let mut line = if next(3) == 0 {
                valid.clone()
            } else {
                random_lines(1).remove(0)
            };
            line.truncate(10 + next(10) as usize);
            for _ in 0..next(2) {
                let at = next(line.len() as u64) as usize;
                line[at] = b"\r\n X9"[next(5) as usize];
            }
            text.extend_from_slice(&line);
            text.extend_from_slice(if next(4) == 0 { b"\r\n" } else { b"\n" });
        }
        let report = check_id_batch(&text, &options);
        let body = text.strip_suffix(b"\n").unwrap();
        let expected: Vec<u8> = body
            .split(|&c| c == b'\n')
            .map(|line| {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                first_code(line, &limits).map_or(0, status_of)
            })
            .collect();
        assert_eq!(report.status, expected);
    }

    /// Whatever [`Quick`] decides (and it decides many: valid lines, wrong check characters, bad
    /// birth dates) is what the schemes decide ([`first_code`]), line by line (wasm's, `small`,
    /// too), and
    /// a batch of such lines reports the same statuses as the schemes.
    #[test]
    fn quick_decides_as_the_schemes() {
        let mut lines = edge_lines();
        lines.extend(random_lines(200_000));
        for options in option_sets() {
            let limits = options.limits();
            let quick = Quick::new(&options);
            let mut decided = 0usize;
            let mut cards = [0usize; 2];
            let small = small::Quick::new(&options);
            for line in &lines {
                let mut line19 = [b'\n'; 19];
                line19[..18].copy_from_slice(line);
                let expected = first_code(line, &limits).map_or(0, status_of);
                if let Some(status) = small.decide(&line19) {
                    assert_eq!(
                        status,
                        expected,
                        "wasm's: {:?}",
                        String::from_utf8_lossy(line)
                    );
                }
                if let Some(status) = quick.decide(&line19) {
                    decided += 1;
                    if line[0] == b'9' {
                        cards[usize::from(status == 0)] += 1;
                    }
                    assert_eq!(
                        status,
                        expected,
                        "{:?} with {:?}",
                        String::from_utf8_lossy(line),
                        options.kinds
                    );
                }
            }
            if quick.permanent() && options.max_age_years > 100 {
                // Permanent residence cards decided, invalid and valid.
                assert!(cards[0] > 1_000 && cards[1] > 20, "{cards:?}");
            }
            if options.kinds.contains(IdKind::CnResident) && options.max_age_years > 100 {
                assert!(
                    decided > 10_000,
                    "{decided} decided with {:?}",
                    options.kinds
                );
            }
            let text: Vec<u8> = lines
                .iter()
                .flat_map(|l| l.iter().chain(b"\n"))
                .copied()
                .collect();
            let report = check_id_batch(&text, &options);
            for (line, &status) in lines.iter().zip(&report.status) {
                assert_eq!(status, first_code(line, &limits).map_or(0, status_of));
            }
            assert_eq!(report.status.len(), lines.len());
        }
    }

    /// Lines near the quick path's shape: 18 characters with letters, lowercase letters, spaces
    /// or punctuation at each place; 17 and 19 characters (a place dropped or doubled); shorter
    /// lines; each before `\n` or `\r\n`.
    fn near_lines() -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        let mut bases = edge_lines();
        bases.truncate(600);
        bases.extend(random_lines(3_000));
        for (i, line) in bases.iter().enumerate() {
            lines.push(line.clone());
            for at in 0..18 {
                let mut edited = line.clone();
                edited[at] = b"AZIOSVXNYx -(`{~!\x7f\x80"[(i + at) % 19];
                lines.push(edited);
                let mut shorter = line.clone();
                shorter.remove(at);
                lines.push(shorter);
                let mut longer = line.clone();
                longer.insert(at, line[(at + i) % 18]);
                lines.push(longer);
            }
            lines.push(line[..10 + i % 8].to_vec());
            lines.push(line[..i % 3].to_vec());
        }
        lines
    }

    /// What [`BatchChecker::near_quick`] (and its wasm form, `line18`) decides is what the
    /// schemes decide ([`first_code`]), line by line, and what [`BatchChecker::beside_quick`]
    /// decides is what `near_quick` decides; a batch of such lines reports the same statuses as
    /// the schemes.
    #[test]
    fn near_quick_decides_as_the_schemes() {
        let lines = near_lines();
        for options in option_sets() {
            let limits = options.limits();
            let quick = Quick::new(&options);
            let mut checker = BatchChecker::new(&options);
            let mut decided = [0usize; 21];
            for (i, line) in lines.iter().enumerate() {
                let end: &[u8] = if i % 3 == 0 { b"\r\n" } else { b"\n" };
                let after = b"11010519491231002X\n";
                let bytes = [line.as_slice(), end, after].concat();
                let expected = first_code(line, &limits).map_or(0, status_of);
                let found = checker.near_quick(&quick, &bytes);
                if let Some((status, next)) = found {
                    decided[line.len()] += 1;
                    assert_eq!(
                        status,
                        expected,
                        "{:?} with {:?}",
                        String::from_utf8_lossy(line),
                        options.kinds
                    );
                    assert_eq!(next, after);
                }
                if let Some((status, next)) = checker.line18(&bytes) {
                    assert_eq!(status, expected);
                    assert_eq!(next, after);
                }
                let beside = checker.beside_quick(&quick, &bytes);
                assert_eq!(beside, found, "{:?}", String::from_utf8_lossy(line));
            }
            assert!(
                decided[17] > 10_000 && decided[18] > 10_000 && decided[19] > 10_000,
                "{decided:?}"
            );
            let text: Vec<u8> = lines
                .iter()
                .enumerate()
                .flat_map(|(i, l)| {
                    l.iter()
                        .chain(if i % 3 == 0 { &b"\r\n"[..] } else { b"\n" })
                })
                .copied()
                .collect();
            let report = check_id_batch(&text, &options);
            assert_eq!(report.status.len(), lines.len());
            for (line, &status) in lines.iter().zip(&report.status) {
                assert_eq!(status, first_code(line, &limits).map_or(0, status_of));
            }
        }
    }

    /// Runs of nearly all valid lines and runs of mostly invalid ones, a few chunks each: the
    /// batch switches between the quick path's two forms (see [`BRANCHY_BELOW`]) and reports
    /// what the schemes report either way, under every option set.
    #[test]
    fn both_forms_of_the_quick_path_decide_as_the_schemes() {
        let valid: Vec<Vec<u8>> = edge_lines()
            .into_iter()
            .filter(|line| {
                let options = IdOptions::new(Date::new(2026, 11, 28).unwrap());
                first_code(line, &options.limits()).is_none()
            })
            .collect();
        assert!(valid.len() > 100, "{}", valid.len());
        let mixed = random_lines(4_000);
        let mut lines: Vec<Vec<u8>> = Vec::new();
        for run in 0..12 {
            let size = STATUS_CHUNK * (1 + run % 3) + run * 7;
            for i in 0..size {
                lines.push(if run % 2 == 0 && i % 50 != 0 {
                    valid[(i + run) % valid.len()].clone()
                } else {
                    mixed[(i * 7 + run) % mixed.len()].clone()
                });
            }
        }
        let text: Vec<u8> = lines
            .iter()
            .flat_map(|l| l.iter().chain(b"\n"))
            .copied()
            .collect();
        // The switches happen: mostly invalid lines leave the branchy form, valid ones return.
        let options = IdOptions::new(Date::new(2026, 11, 28).unwrap());
        let mut checker = BatchChecker::new(&options);
        let run = |from: &[Vec<u8>]| -> Vec<u8> {
            from.iter()
                .cycle()
                .take(3 * STATUS_CHUNK)
                .flat_map(|l| l.iter().chain(b"\n"))
                .copied()
                .collect()
        };
        assert!(checker.branchy);
        checker.feed(&run(&mixed));
        assert!(!checker.branchy);
        checker.feed(&run(&valid));
        assert!(checker.branchy);
        for options in option_sets() {
            let limits = options.limits();
            let report = check_id_batch(&text, &options);
            assert_eq!(report.status.len(), lines.len());
            for (line, &status) in lines.iter().zip(&report.status) {
                assert_eq!(
                    status,
                    first_code(line, &limits).map_or(0, status_of),
                    "{:?} with {options:?}",
                    String::from_utf8_lossy(line)
                );
            }
        }
    }

    /// 18 plain bytes outside the resident ID's alphabet (a letter typed into a number, credit
    /// codes valid and not): detection's tally of the credit code's verdict alone
    /// (`first_code18_outside_resident`, which [`BatchChecker::near_quick`] asks) is the general
    /// path's, under every option set, with pilot-era codes allowed or not.
    #[test]
    fn lines_with_letters_are_decided_as_the_schemes() {
        let mut lines: Vec<Vec<u8>> = near_lines()
            .into_iter()
            .filter(|line| line.len() == 18)
            .collect();
        for (n, line) in edge_lines().into_iter().step_by(5).enumerate() {
            // Credit codes: letters in the organisation code, both check characters right (or
            // the last one wrong), every authority code.
            let mut code = line.clone();
            code[0] = b"123456789ANYZ"[n % 13];
            code[1] = b'1' + (n % 9) as u8;
            code[8 + n % 8] = b"ABCDEFGHJKLMNPQRTUWXY"[n % 21];
            code[16] = crate::id::uscc::org_check_char(&code[8..16]);
            code[17] = crate::id::uscc::check_char(&code[..17]);
            lines.push(code.clone());
            code[17] = b"0123456789ABCDEFGHJKLMNPQRTUWXY"[n % 31];
            lines.push(code);
        }
        let mut sets = option_sets();
        for kinds in [KindSet::all(), KindSet::empty().with(IdKind::Uscc)] {
            let options = IdOptions::new(Date::new(2026, 11, 28).unwrap()).with_kinds(kinds);
            sets.push(options.clone().with_pilot_era(true));
            sets.push(options);
        }
        let mut outside = 0;
        let mut codes = [0usize; 256];
        for options in &sets {
            let limits = options.limits();
            for line in &lines {
                let b18 = <&[u8; 18]>::try_from(line.as_slice()).unwrap();
                if crate::id::cn_resident::in_resident_alphabet(b18)
                    || !line
                        .iter()
                        .all(|c| c.is_ascii_graphic() && !c.is_ascii_lowercase())
                {
                    continue;
                }
                outside += 1;
                let expected = first_code(line, &limits);
                codes[expected.map_or(0, status_of) as usize] += 1;
                assert_eq!(
                    crate::id::detect::first_code18_outside_resident(b18, &limits),
                    expected,
                    "{:?} with {options:?}",
                    String::from_utf8_lossy(line)
                );
            }
        }
        assert!(outside > 100_000, "{outside}");
        // Valid credit codes, not allowed ones, and each of the credit code's failures.
        for code in [
            None,
            Some(Code::IdKindNotAllowed),
            Some(Code::IdChecksumMismatch),
            Some(Code::IdOrgCodeChecksumMismatch),
            Some(Code::IdInvalidCharacter),
        ] {
            assert!(codes[code.map_or(0, status_of) as usize] > 20, "{code:?}");
        }
    }

    /// Statuses of `text` fed to a checker in pieces cut at `cuts` (each piece after the tail the
    /// checker left), the quick path starting in its branchy form or not.
    fn fed_in_pieces(text: &[u8], options: &IdOptions, branchy: bool, cuts: &[usize]) -> Vec<u8> {
        let mut checker = BatchChecker::new(options);
        checker.branchy = branchy;
        let mut pending = Vec::new();
        let mut from = 0;
        for &cut in cuts.iter().chain([text.len()].iter()) {
            pending.extend_from_slice(&text[from..cut]);
            from = cut;
            let consumed = checker.feed(&pending);
            pending.drain(..consumed);
        }
        checker.finish(&pending).status
    }

    /// The general path's status of each line of `text`.
    fn expected_statuses(text: &[u8], limits: &Limits) -> Vec<u8> {
        if text.is_empty() {
            return Vec::new();
        }
        text.strip_suffix(b"\n")
            .unwrap_or(text)
            .split(|&c| c == b'\n')
            .map(|line| {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                first_code(line, limits).map_or(0, status_of)
            })
            .collect()
    }

    /// The run takes two lines a pass (`feed_pairs`): every kind of line first or second in a
    /// pair, after odd and even counts of lines, with and without a last newline, fed whole or
    /// cut anywhere, in both forms of the quick path, is decided as the schemes decide it; and
    /// long runs whose chunks end after an odd count of lines.
    #[test]
    fn two_lines_a_pass_decide_as_the_schemes() {
        let valid = with_check(b"11010519491231002");
        let mut wrong_check = valid.clone();
        wrong_check[17] = if valid[17] == b'0' { b'1' } else { b'0' };
        let mut letter = valid.clone();
        letter[5] = b'A';
        let mut x_lower = with_check(b"11010519491231001");
        x_lower[17] = b'x';
        let kinds: Vec<Vec<u8>> = vec![
            valid.clone(),
            wrong_check,
            with_check(b"11010520000229002"), // a leap day: left by the quick path
            with_check(b"11010519491331002"), // no such month
            with_check(b"91100019491231002"), // a permanent residence card's number
            valid[..17].to_vec(),
            [valid.as_slice(), b"7"].concat(),
            letter,
            x_lower,
            [valid.as_slice(), b"\r"].concat(),
            b"110105 19491231 002X".to_vec(),
            [valid.as_slice(), valid.as_slice()].concat(),
            Vec::new(),
        ];
        for options in [
            IdOptions::new(Date::new(2026, 11, 28).unwrap()),
            IdOptions::new(Date::new(2026, 11, 28).unwrap()).with_kinds(KindSet::all()),
        ] {
            let limits = options.limits();
            let mut texts = Vec::new();
            for a in 0..kinds.len() {
                for b in 0..kinds.len() {
                    for c in [0, 1, 5, 7] {
                        let lines = [&kinds[0], &kinds[a], &kinds[b], &kinds[c]];
                        for count in 1..=lines.len() {
                            let mut text: Vec<u8> = lines[..count]
                                .iter()
                                .flat_map(|l| l.iter().chain(b"\n"))
                                .copied()
                                .collect();
                            texts.push(text.clone());
                            text.pop();
                            texts.push(text);
                        }
                    }
                }
            }
            for text in &texts {
                let expected = expected_statuses(text, &limits);
                for branchy in [true, false] {
                    assert_eq!(
                        fed_in_pieces(text, &options, branchy, &[]),
                        expected,
                        "{:?}",
                        String::from_utf8_lossy(text)
                    );
                }
            }
            // Every cut of the texts of two and three lines.
            for text in texts.iter().filter(|t| t.len() < 60).step_by(3) {
                let expected = expected_statuses(text, &limits);
                for cut in 0..=text.len() {
                    for branchy in [true, false] {
                        assert_eq!(
                            fed_in_pieces(text, &options, branchy, &[cut]),
                            expected,
                            "{:?} cut at {cut}",
                            String::from_utf8_lossy(text)
                        );
                    }
                }
            }
            // A chunk of statuses that ends after an odd count of lines: one line or three that
            // the quick path leaves, then two lines a pass.
            for lead in 1..=3 {
                let mut text = Vec::new();
                for i in 0..(lead + 700) {
                    let line = match i {
                        _ if i < lead => &kinds[5],
                        _ if i % 97 == 0 => &kinds[1],
                        _ => &kinds[0],
                    };
                    text.extend_from_slice(line);
                    text.push(b'\n');
                }
                let expected = expected_statuses(&text, &limits);
                for branchy in [true, false] {
                    assert_eq!(fed_in_pieces(&text, &options, branchy, &[]), expected);
                }
            }
            // Long runs: chunks of statuses end after odd counts of lines, and the forms switch.
            let mut next = xorshift(0x0dd1_1e55_5eed_2026);
            let randoms = random_lines(2_000);
            let mut text = Vec::new();
            for i in 0..6_000 {
                let line = match next(10) {
                    0 => &kinds[next(kinds.len() as u64) as usize],
                    1..=3 if (i / 700) % 2 == 0 => &randoms[next(2_000) as usize],
                    _ => &kinds[0],
                };
                text.extend_from_slice(line);
                text.push(b'\n');
            }
            let expected = expected_statuses(&text, &limits);
            let mut cuts: Vec<usize> = (0..40).map(|_| next(text.len() as u64) as usize).collect();
            cuts.sort_unstable();
            for branchy in [true, false] {
                assert_eq!(fed_in_pieces(&text, &options, branchy, &[]), expected);
                assert_eq!(fed_in_pieces(&text, &options, branchy, &cuts), expected);
            }
        }
    }

    /// Birth dates of lines decided in the run (valid resident IDs and permanent residence cards
    /// by [`Quick`], short lines by [`BatchChecker::near_quick`]) are the full check's.
    #[test]
    fn birth_dates_of_the_quick_lines_are_the_full_checks() {
        let mut lines = edge_lines();
        lines.truncate(3_000);
        lines.extend(edge_lines().into_iter().filter(|line| line[0] == b'9'));
        lines.extend(random_lines(20_000));
        lines.extend(near_lines().into_iter().step_by(7));
        let text: Vec<u8> = lines
            .iter()
            .flat_map(|l| l.iter().chain(b"\n"))
            .copied()
            .collect();
        for options in option_sets() {
            let mut checker = BatchChecker::new(&options).with_birth_dates();
            let consumed = checker.feed(&text);
            let report = checker.finish(&text[consumed..]);
            let dates = report.birth_dates.unwrap();
            assert_eq!(dates.len(), lines.len());
            let mut cards = 0usize;
            for (line, &date) in lines.iter().zip(&dates) {
                let text = String::from_utf8_lossy(line);
                let expected = match super::super::check_id(&text, &options) {
                    Ok(checked) => {
                        cards +=
                            usize::from(checked.value.kind == IdKind::ForeignPermanentResident);
                        checked.value.birth_date.map_or(0, Date::ymd)
                    }
                    Err(_) => 0,
                };
                assert_eq!(date, expected, "{text:?}");
            }
            if options.kinds.contains(IdKind::ForeignPermanentResident)
                && options.max_age_years > 100
            {
                assert!(cards > 20, "{cards} cards");
            }
        }
    }
}
