//! JSON Canonicalization Scheme, RFC 8785 (JCS, 2020), for values whose numbers are all
//! integers: one byte sequence per JSON value, so that a digest taken in Rust, in the browser or
//! on a server in any language is the same.
//!
//! - Object members sorted by their keys' UTF-16 code units (RFC 8785 §3.2.3), recursively;
//!   array order kept.
//! - No whitespace.
//! - Strings (§3.2.2.2): only `"` and `\` and the controls U+0000 to U+001F are escaped, with
//!   `\b \t \n \f \r` where they exist and lowercase `\u00xx` otherwise; everything else is
//!   written as UTF-8, unnormalized.
//! - Numbers (§3.2.2.3): integers within ±(2^53 − 1) only ([`Value::Int`]), which ECMAScript
//!   writes in plain digits. A non-integer ([`Value::NonInteger`]) has no canonical form here:
//!   every number of a receipt, a document or the sync queue is an integer, and leaving out the
//!   float printing keeps it out of the `.wasm` (about 2 KB gzip; README, "Sizes").
//!
//! The input must be I-JSON (RFC 7493): the crate's parser already refuses duplicate keys and
//! lone surrogates.
//!
//! # Sources
//! - **`rfc-8785`**: RFC 8785, JSON Canonicalization Scheme (JCS), June 2020: every rule above.
//! - **`rfc-7493`**: RFC 7493, The I-JSON Message Format, March 2015: the input JCS requires.

use crate::codec::json::Value;
use core::cmp::Ordering;

/// The canonical serialisation of `value`; `None` if it holds a non-integer.
pub fn canonicalize(value: &Value) -> Option<String> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Some(out)
}

/// Parses `text` ([`crate::codec::json::parse`]) and canonicalizes it; `None` if it is not JSON
/// or holds a non-integer.
pub fn canonicalize_text(text: &str) -> Option<String> {
    crate::codec::json::parse(text)
        .ok()
        .and_then(|value| canonicalize(&value))
}

fn write_value(value: &Value, out: &mut String) -> Option<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        // |i| ≤ 2^53 − 1: exact as a double, and ECMAScript writes it in plain digits.
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::NonInteger => return None,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<&(String, Value)> = members.iter().collect();
            // Unstable: the parser refuses duplicate keys, so no two compare equal.
            crate::small_sort::heap_sort_by(&mut sorted, |(a, _), (b, _)| {
                utf16_order(a, b) == core::cmp::Ordering::Less
            });
            out.push('{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write_value(item, out)?;
            }
            out.push('}');
        }
    }
    Some(())
}

/// Compares strings by their UTF-16 code units (not by code points: U+FB33 sorts after U+1F600).
fn utf16_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Writes `s` as a JSON string, escaped as RFC 8785 §3.2.2.2 says.
fn write_string(s: &str, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC's examples (tests/data/jcs/): those whose numbers are integers give the RFC's
    /// output (a fixed point); those with fractions (`structures`, `values`) have no canonical
    /// form here.
    #[test]
    fn rfc_8785_vectors() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/jcs");
        for name in ["arrays", "french", "unicode", "weird"] {
            let input = std::fs::read_to_string(format!("{dir}/input/{name}.json")).unwrap();
            let expected = std::fs::read_to_string(format!("{dir}/output/{name}.json")).unwrap();
            assert_eq!(
                canonicalize_text(&input).as_deref(),
                Some(expected.as_str()),
                "{name}"
            );
            assert_eq!(
                canonicalize_text(&expected).as_deref(),
                Some(expected.as_str()),
                "{name}"
            );
        }
        for name in ["structures", "values"] {
            let input = std::fs::read_to_string(format!("{dir}/input/{name}.json")).unwrap();
            assert_eq!(canonicalize_text(&input), None, "{name}");
        }
        assert_eq!(
            canonicalize_text("[-0, 100, 9007199254740991]").as_deref(),
            Some("[0,100,9007199254740991]")
        );
        for text in ["1.5", "1e2", "1.0", "9007199254740992", "1e999"] {
            assert_eq!(canonicalize_text(text), None, "{text}");
        }
    }

    #[test]
    fn sorts_by_utf16_code_units_and_escapes_controls() {
        // U+FB33 (one unit, 0xFB33) sorts after U+1F600 (0xD83D 0xDE00) and U+20000 (0xD840
        // 0xDC00), unlike by code point.
        let text =
            "{\"\u{fb33}\":1,\"\u{1f600}\":2,\"\u{20000}\":3,\"a\\u0001\\u001f\\u007f\\u2028\\/\":4}";
        assert_eq!(
            canonicalize_text(text).unwrap(),
            "{\"a\\u0001\\u001f\u{7f}\u{2028}/\":4,\"\u{1f600}\":2,\"\u{20000}\":3,\"\u{fb33}\":1}"
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn canonicalization_is_idempotent(text in "\\PC{0,200}") {
            if let Some(canonical) = canonicalize_text(&text) {
                proptest::prop_assert_eq!(canonicalize_text(&canonical), Some(canonical));
            }
        }
    }
}
