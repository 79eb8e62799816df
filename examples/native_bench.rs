//! Native throughput of the ID core on a corpus file (one candidate per line).
//!
//! ```text
//! cargo run --release --example native_bench -- bench/out/corpus.txt
//! cargo run --release --example native_bench            # generates its own 1,000,000 lines
//! ```
//!
//! Prints the best of several runs of `check_id_batch` over the whole buffer, and of
//! `is_valid_id` called once per line, and what to divide a callgrind count by. The as-of date is
//! fixed (2026-11-28), as in `npm run bench`. Instructions per line:
//!
//! ```text
//! node bench/corpus.mjs --n 100000 --out /tmp/c.txt && cargo build --release --example native_bench
//! valgrind --tool=callgrind --toggle-collect='*check_id_batch*' target/release/examples/native_bench /tmp/c.txt
//! ```

use std::error::Error;
use std::hint::black_box;
use std::time::{Duration, Instant};

use shiming::{check_id_batch, is_valid_id, Date, IdOptions};

const AS_OF: &str = "2026-11-28";
const BATCH_RUNS: u32 = 10;
const LINE_RUNS: u32 = 5;
const GENERATED_LINES: u32 = 1_000_000;

fn main() -> Result<(), Box<dyn Error>> {
    let as_of = Date::parse_iso(AS_OF).ok_or("bad as-of date")?;
    let options = IdOptions::new(as_of);

    let (bytes, source) = match std::env::args().nth(1) {
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
            (bytes, path)
        }
        None => (
            generate(GENERATED_LINES),
            format!("{GENERATED_LINES} generated lines"),
        ),
    };
    let lines = split_lines(&bytes)?;
    let count = u32::try_from(lines.len())?;
    if count == 0 {
        return Err("the corpus is empty".into());
    }

    // Warm-up, and the consistency checks the two paths must pass.
    let report = check_id_batch(&bytes, &options);
    if report.total != count || report.status.len() != lines.len() {
        return Err(format!(
            "check_id_batch counted {} lines (status {}), expected {count}",
            report.total,
            report.status.len()
        )
        .into());
    }
    let mut mismatches = 0u32;
    for (line, status) in lines.iter().zip(report.status.iter()) {
        if is_valid_id(line, &options) != (*status == 0) {
            mismatches = mismatches.saturating_add(1);
        }
    }
    if mismatches != 0 {
        return Err(
            format!("check_id_batch and is_valid_id disagree on {mismatches} lines").into(),
        );
    }

    let mut batch_runs = Vec::new();
    for _ in 0..BATCH_RUNS {
        let start = Instant::now();
        let report = check_id_batch(black_box(&bytes), &options);
        let elapsed = start.elapsed();
        black_box(report.valid);
        batch_runs.push(elapsed);
    }

    let mut line_runs = Vec::new();
    for _ in 0..LINE_RUNS {
        let start = Instant::now();
        let mut valid = 0u32;
        for line in &lines {
            if is_valid_id(black_box(line), &options) {
                valid = valid.saturating_add(1);
            }
        }
        let elapsed = start.elapsed();
        black_box(valid);
        line_runs.push(elapsed);
    }

    println!(
        "native corpus: {source}: {count} lines, {} valid, {} invalid, {} bytes",
        report.valid,
        report.invalid,
        bytes.len()
    );
    print_runs("native check_id_batch", count, &batch_runs);
    // For `valgrind --tool=callgrind --toggle-collect='*check_id_batch*'`: the warm-up and the
    // timed runs, each over every line.
    let calls = u64::from(BATCH_RUNS + 1);
    println!(
        "native check_id_batch ran {calls} times: instructions per line = callgrind's count / {}",
        calls * u64::from(count)
    );
    print_runs("native is_valid_id per line", count, &line_runs);
    Ok(())
}

/// Lines as `&str`, as the batch sees them: split on '\n', one trailing '\r' dropped, and a final
/// trailing newline does not add a line. Invalid UTF-8 in a line is an error here (the corpus is ASCII).
fn split_lines(bytes: &[u8]) -> Result<Vec<&str>, Box<dyn Error>> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    if bytes.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = Vec::new();
    for raw in body.split(|&b| b == b'\n') {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        lines.push(std::str::from_utf8(raw)?);
    }
    Ok(lines)
}

fn print_runs(name: &str, count: u32, runs: &[Duration]) {
    let rates: Vec<f64> = runs
        .iter()
        .map(|d| f64::from(count) / d.as_secs_f64().max(1e-9) / 1e6)
        .collect();
    let best = rates.iter().copied().fold(0.0_f64, f64::max);
    let all: Vec<String> = rates.iter().map(|r| format!("{r:.1}")).collect();
    println!("{name}: best {best:.1} M IDs/s (runs: {})", all.join(" "));
}

/// A small stand-in corpus when no file is given: about 70% valid IDs, the rest with a wrong
/// check character or an impossible date.
fn generate(lines: u32) -> Vec<u8> {
    const REGIONS: [&[u8; 6]; 6] = [
        b"110101", b"310104", b"440305", b"500154", b"330106", b"510104",
    ];
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let mut state: u64 = 0x5348_494d_5348_494d;
    let mut next = move |bound: u32| -> u32 {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let x = state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32;
        u32::try_from(x)
            .unwrap_or(0)
            .checked_rem(bound)
            .unwrap_or(0)
    };
    let mut out = Vec::with_capacity(usize::try_from(lines).unwrap_or(0).saturating_mul(19));
    for _ in 0..lines {
        let mut id = [0u8; 18];
        let region = REGIONS
            .get(usize::try_from(next(6)).unwrap_or(0))
            .copied()
            .unwrap_or(b"110101");
        let year = next(95).saturating_add(1930);
        let month = next(12).saturating_add(1);
        let day = next(28).saturating_add(1);
        let order = next(999).saturating_add(1);
        let kind = next(10);
        let day = if kind == 7 { 30 } else { day };
        let month = if kind == 7 { 2 } else { month };
        let mut digits = Vec::with_capacity(17);
        digits.extend_from_slice(region);
        push_digits(&mut digits, year, 4);
        push_digits(&mut digits, month, 2);
        push_digits(&mut digits, day, 2);
        push_digits(&mut digits, order, 3);
        let mut sum = 0u32;
        for (d, w) in digits.iter().zip(WEIGHTS.iter()) {
            sum = sum.wrapping_add(u32::from(d.wrapping_sub(b'0')).wrapping_mul(*w));
        }
        let check_index = usize::try_from(sum.checked_rem(11).unwrap_or(0)).unwrap_or(0);
        let check_index = if kind >= 8 {
            check_index.wrapping_add(1).checked_rem(11).unwrap_or(0)
        } else {
            check_index
        };
        let check = CHECK.get(check_index).copied().unwrap_or(b'0');
        for (slot, d) in id
            .iter_mut()
            .zip(digits.iter().chain(std::iter::once(&check)))
        {
            *slot = *d;
        }
        out.extend_from_slice(&id);
        out.push(b'\n');
    }
    out
}

fn push_digits(out: &mut Vec<u8>, value: u32, width: u32) {
    for i in (0..width).rev() {
        let digit = value
            .checked_div(10u32.saturating_pow(i))
            .unwrap_or(0)
            .checked_rem(10)
            .unwrap_or(0);
        out.push(b'0'.wrapping_add(u8::try_from(digit).unwrap_or(0)));
    }
}
