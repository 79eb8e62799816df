//! JSON Canonicalization Scheme, RFC 8785 (JCS, 2020): one byte sequence per JSON value, so that
//! a digest taken in Rust, in the browser or on a server in any language is the same.
//!
//! - Object members sorted by their keys' UTF-16 code units (RFC 8785 §3.2.3), recursively;
//!   array order kept.
//! - No whitespace.
//! - Strings (§3.2.2.2): only `"` and `\` and the controls U+0000 to U+001F are escaped, with
//!   `\b \t \n \f \r` where they exist and lowercase `\u00xx` otherwise; everything else is
//!   written as UTF-8, unnormalized.
//! - Numbers (§3.2.2.3): the ECMAScript `Number.prototype.toString` form of the IEEE 754 double
//!   nearest to the written number (e.g. `1E30` → `1e+30`, `4.50` → `4.5`, `-0` → `0`). A number
//!   outside the double range (`1e999`) has no canonical form: an error, as in the RFC.
//!
//! The input must be I-JSON (RFC 7493): the crate's parser already refuses duplicate keys and
//! lone surrogates. Parse with [`crate::json::parse_exact`] so that non-integers keep their value;
//! a [`Value::NonInteger`] (from [`crate::json::parse`]) has lost it and is refused.
//!
//! # Sources
//! - **`rfc-8785`**: RFC 8785, JSON Canonicalization Scheme (JCS), June 2020: every rule above.
//! - **`rfc-7493`**: RFC 7493, The I-JSON Message Format, March 2015: the input JCS requires.

use crate::json::Value;
use core::cmp::Ordering;
use core::fmt;

/// Why a value has no canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JcsError {
    /// A number that is not a finite IEEE 754 double (e.g. `1e999`).
    NumberOutOfRange,
    /// A number whose value was not kept by the parser ([`Value::NonInteger`]).
    NumberNotKept,
    /// A non-integer given to [`canonicalize_integers`].
    NotInteger,
}

impl fmt::Display for JcsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JcsError::NumberOutOfRange => "a number outside the IEEE 754 double range",
            JcsError::NumberNotKept => "a number whose value was not kept by the parser",
            JcsError::NotInteger => "a number that is not an integer",
        })
    }
}

/// The canonical serialisation of `value`.
pub fn canonicalize(value: &Value) -> Result<String, JcsError> {
    let mut out = String::new();
    write_value::<true>(value, &mut out)?;
    Ok(out)
}

/// [`canonicalize`] for values whose numbers are all integers (receipts, documents, the sync
/// queue): the same bytes, and a non-integer is refused ([`JcsError::NotInteger`]). It exists for
/// size: a wasm module that only calls this one carries no float printing or parsing (about
/// 2 KB gzip).
pub fn canonicalize_integers(value: &Value) -> Result<String, JcsError> {
    let mut out = String::new();
    write_value::<false>(value, &mut out)?;
    Ok(out)
}

/// Parses `text` (strict, [`crate::json::parse_exact`]) and canonicalizes it; `None` if it is not
/// JSON or has no canonical form.
pub fn canonicalize_text(text: &str) -> Option<String> {
    crate::json::parse_exact(text)
        .ok()
        .and_then(|value| canonicalize(&value).ok())
}

/// `FLOATS`: whether non-integers are written (a constant, so that the integer-only instance
/// does not link the float formatting at all).
/// [`canonicalize_text`] with [`canonicalize_integers`]: `None` also for a non-integer.
pub fn canonicalize_text_integers(text: &str) -> Option<String> {
    crate::json::parse_exact(text)
        .ok()
        .and_then(|value| canonicalize_integers(&value).ok())
}

/// `FLOATS`: whether non-integers are written (a constant, so that the integer-only instance
/// does not link the float formatting at all).
fn write_value<const FLOATS: bool>(value: &Value, out: &mut String) -> Result<(), JcsError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // |i| ≤ 2^53 − 1: exact as a double, and ECMAScript writes it in plain digits.
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Number(_) if !FLOATS => return Err(JcsError::NotInteger),
        Value::Number(text) => {
            let number: f64 = text.parse().map_err(|_| JcsError::NumberOutOfRange)?;
            out.push_str(&number_to_string(number).ok_or(JcsError::NumberOutOfRange)?);
        }
        Value::NonInteger => return Err(JcsError::NumberNotKept),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value::<FLOATS>(item, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<&(String, Value)> = members.iter().collect();
            // Unstable: the parser refuses duplicate keys, so no two compare equal (and it is the
            // smaller sort in wasm).
            sorted.sort_unstable_by(|(a, _), (b, _)| utf16_order(a, b));
            out.push('{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value::<FLOATS>(item, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Compares strings by their UTF-16 code units (not by code points: U+FB33 sorts after U+1F600).
pub fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Writes `s` as a JSON string, escaped as RFC 8785 §3.2.2.2 says.
pub fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript picks, among the shortest digit strings that read back as `x`, the one closest to
/// `x`, and the even one when two are equally close; Rust's shortest formatting may pick the odd
/// one of such a tie (`1424953923781206.25` gives `…206.3`; ECMAScript, and RFC 8785's Appendix B,
/// `…206.2`). A tie means the exact expansion of `x` continues the shortest digits with a 5 and
/// then only zeros, so the exact expansion decides.
///
/// Only a string of 16 or 17 digits ending in an odd digit can need this: shorter decimals are
/// too far apart for two of them to read back as the same double. That check keeps the slow exact
/// formatting off the common path.
fn break_tie_to_even(x: f64, shortest: String, exponent: i32) -> String {
    let odd = |digits: &[u8]| digits.last().is_some_and(|d| (d - b'0') % 2 == 1);
    if shortest.len() < 16 || !odd(shortest.as_bytes()) {
        return shortest;
    }
    // Enough digits for the exact value of any double (at most 767 significant digits).
    let exact = format!("{x:.1100e}");
    let Some((mantissa, exact_exponent)) = exact.split_once('e') else {
        return shortest;
    };
    if exact_exponent.parse::<i32>().ok() != Some(exponent) {
        return shortest;
    }
    let exact_digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let k = shortest.len();
    let (Some(truncated), Some(rest)) = (exact_digits.get(..k), exact_digits.get(k..)) else {
        return shortest;
    };
    let tie = rest
        .split_first()
        .is_some_and(|(first, zeros)| *first == b'5' && zeros.iter().all(|d| *d == b'0'));
    if !tie {
        return shortest;
    }
    // The other candidate: the truncation if Rust rounded up, else the truncation plus one.
    let mut other = truncated.to_vec();
    if other.as_slice() == shortest.as_bytes() {
        for d in other.iter_mut().rev() {
            if *d == b'9' {
                *d = b'0';
            } else {
                *d += 1;
                break;
            }
        }
        if other.first() == Some(&b'0') {
            return shortest; // 9…9 + 1 changes the length: not a same-length candidate
        }
    }
    let other = String::from_utf8(other).unwrap_or_default();
    let (int, frac) = other.split_at_checked(1).unwrap_or(("0", ""));
    let reads_back = format!("{int}.{frac}e{exponent}").parse::<f64>().ok() == Some(x);
    if reads_back && !odd(other.as_bytes()) {
        other
    } else {
        shortest
    }
}

/// ECMAScript's `Number.prototype.toString(10)` of a finite double (ECMA-262 §6.1.6.1.20,
/// Number::toString); `None` for NaN and the infinities, which JSON cannot hold.
///
/// Rust's `{:e}` already gives the shortest digits that round-trip (the `s` and `n` of the
/// ECMAScript algorithm, which requires that same shortest form); only the layout differs.
pub fn number_to_string(x: f64) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some("0".into()); // also −0
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let scientific = format!("{:e}", x.abs()); // e.g. "3.333333333333333e8", "1e-27"
    let (mantissa, exponent) = scientific.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = break_tie_to_even(x.abs(), digits, exponent);
    let k = i32::try_from(digits.len()).ok()?;
    // x = 0.d1d2…dk × 10^n
    let n = exponent + 1;
    let mut out = String::from(sign);
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(core::iter::repeat('0').take(usize::try_from(n - k).ok()?));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at_checked(usize::try_from(n).ok()?)?;
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(core::iter::repeat('0').take(usize::try_from(-n).ok()?));
        out.push_str(&digits);
    } else {
        let mut chars = digits.chars();
        out.extend(chars.next());
        let rest = chars.as_str();
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n - 1 < 0 { '-' } else { '+' });
        out.push_str(&(n - 1).abs().to_string());
    }
    Some(out)
}
