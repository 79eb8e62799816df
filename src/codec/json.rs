//! A small, strict JSON parser (RFC 8259) for documents the backend sends at run time, such as
//! the minor-protection policy ([`crate::minor::policy`]).
//!
//! Why not serde_json: the browser and the Rust server must share one parser and one validation,
//! and the `.wasm` has a size budget. This parser is panic-free on any input (fuzzed), and strict:
//! - exactly one value, surrounded only by JSON whitespace (space, tab, CR, LF);
//! - no trailing commas, comments, single quotes, `NaN`, leading zeros or `+` signs;
//! - strings: no raw control characters, only the RFC's escapes, `\u` surrogates must pair
//!   (a lone surrogate is an error: it cannot be text);
//! - objects: a duplicated key is an error (a policy must not mean two things);
//! - limits: at most [`MAX_BYTES`] bytes (or the caller's bound, [`parse_within`]) and
//!   [`MAX_DEPTH`] levels of nesting.
//!
//! Numbers are kept as integers only: a number with a fraction or an exponent, or beyond ±2^53,
//! is grammatically accepted and reported as [`Value::NonInteger`] (no float parsing code in the
//! `.wasm`; every number of a policy, a receipt or the sync queue is a whole count: fen, seconds,
//! years, a sequence). RFC 8785 canonicalization ([`crate::codec::jcs`]) refuses such a number.

use core::fmt;

/// The largest document accepted, in bytes.
pub const MAX_BYTES: usize = 256 * 1024;
/// The deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 32;
/// The largest integer magnitude kept exactly (2^53, JavaScript's safe range).
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// A parsed JSON value. Object members keep their document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer within ±(2^53 − 1), written without fraction or exponent.
    Int(i64),
    /// Any other number (with a fraction or an exponent, or too large).
    NonInteger,
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object: its members in document order (a duplicated key is a parse error).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object; `None` for a missing key or a non-object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The JSON type name, for error messages.
    pub const fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::NonInteger => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Why a document is not JSON: what, and at which byte offset (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: &'static str,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON at byte {}: {}", self.offset, self.message)
    }
}

/// Parses one JSON document.
#[inline(never)]
pub fn parse(text: &str) -> Result<Value, JsonError> {
    if text.len() > MAX_BYTES {
        return Err(JsonError {
            offset: MAX_BYTES,
            message: "the document is larger than 256 KB",
        });
    }
    parse_any_size(text)
}

/// Parses one JSON document of at most `max_bytes`: for a document that may rightly be longer
/// than [`MAX_BYTES`], such as the policy answer, which carries every agreement text.
pub fn parse_within(text: &str, max_bytes: usize) -> Result<Value, JsonError> {
    if text.len() > max_bytes {
        return Err(JsonError {
            offset: max_bytes,
            message: "the document is too large",
        });
    }
    parse_any_size(text)
}

// Inlined, so that a module without `parse_within` has `parse` as one function, as before.
#[inline(always)]
fn parse_any_size(text: &str) -> Result<Value, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at < parser.bytes.len() {
        return parser.fail("unexpected text after the document");
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn fail<T>(&self, message: &'static str) -> Result<T, JsonError> {
        Err(JsonError {
            offset: self.at,
            message,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &'static [u8], value: Value) -> Result<Value, JsonError> {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(value)
        } else {
            self.fail("unknown literal (expected true, false or null)")
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => self.fail("unexpected end of the document"),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.fail("unexpected character"),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return self.fail("nested deeper than 32 levels");
        }
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.fail("expected , or ] in an array"),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        if depth > MAX_DEPTH {
            return self.fail("nested deeper than 32 levels");
        }
        self.at += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return self.fail("expected a string key in an object");
            }
            let key_at = self.at;
            let key = self.string()?;
            if members.iter().any(|(k, _)| *k == key) {
                return Err(JsonError {
                    offset: key_at,
                    message: "duplicate key in an object",
                });
            }
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return self.fail("expected : after an object key");
            }
            self.at += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return self.fail("expected , or } in an object"),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return self.fail("expected 4 hex digits after \\u"),
            };
            value = value * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1; // the opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return self.fail("unterminated string");
            };
            match c {
                b'"' => {
                    self.at += 1;
                    // The input is a &str and escapes push whole UTF-8 sequences.
                    return String::from_utf8(out).or_else(|_| self.fail("invalid UTF-8"));
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                                    return self.fail("a lone surrogate escape");
                                }
                                self.at += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return self.fail("a lone surrogate escape");
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            let Some(ch) = char::from_u32(code) else {
                                return self.fail("a lone surrogate escape");
                            };
                            let mut buffer = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
                            continue;
                        }
                        _ => return self.fail("unknown escape in a string"),
                    };
                    self.at += 1;
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(escaped.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1F => return self.fail("a control character in a string"),
                _ => {
                    out.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let int_start = self.at;
        let count = self.digits();
        if count == 0 {
            return self.fail("expected a digit");
        }
        if count > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(JsonError {
                offset: int_start,
                message: "a number with a leading zero",
            });
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return self.fail("expected a digit after the decimal point");
            }
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return self.fail("expected a digit in the exponent");
            }
            integer = false;
        }
        if !integer || count > 16 {
            return Ok(Value::NonInteger);
        }
        let mut value: i64 = 0;
        for &d in self.bytes.get(int_start..int_start + count).unwrap_or(&[]) {
            value = value * 10 + i64::from(d - b'0');
        }
        if value > MAX_SAFE {
            return Ok(Value::NonInteger);
        }
        Ok(Value::Int(if negative { -value } else { value }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents() {
        let v = parse(r#" {"a": [1, -2, true, null, "x\u00e9\ud83d\ude00\n"], "b": {}} "#).unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Value::Array(vec![
                Value::Int(1),
                Value::Int(-2),
                Value::Bool(true),
                Value::Null,
                Value::String("xé😀\n".into())
            ]))
        );
        assert_eq!(v.get("b"), Some(&Value::Object(vec![])));
        assert_eq!(parse("1.5").unwrap(), Value::NonInteger);
        assert_eq!(parse("1e3").unwrap(), Value::NonInteger);
        assert_eq!(parse("9007199254740992").unwrap(), Value::NonInteger);
        assert_eq!(parse("-0").unwrap(), Value::Int(0));
        assert_eq!(parse("\"中文\"").unwrap(), Value::String("中文".into()));
    }

    #[test]
    fn rejects_what_rfc_8259_rejects() {
        for bad in [
            "",
            " ",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "+1",
            "1.",
            ".5",
            "1e",
            "NaN",
            "'a'",
            "[1 2]",
            "{\"a\" 1}",
            "{a:1}",
            "\"\\x\"",
            "\"\t\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "tru",
            "nul",
            "[1] x",
            "{\"a\":1,\"a\":2}",
            "\"abc",
            "[",
            "{",
            "/* c */ 1",
            "\u{feff}1",
            "-",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
        let deep = "[".repeat(33) + &"]".repeat(33);
        assert!(parse(&deep).is_err());
        let ok = "[".repeat(32) + &"]".repeat(32);
        assert!(parse(&ok).is_ok());
        let err = parse("{\"a\": [1, 2,]}").unwrap_err();
        assert_eq!(err.offset, 12);
    }
}
