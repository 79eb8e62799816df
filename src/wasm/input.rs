//! Getting a short string argument into wasm memory cheaply.
//!
//! wasm-bindgen's string conversion costs more than the whole ID check (allocate, `TextEncoder`,
//! copy, free). An ID is short ASCII almost always, so one small JS helper copies its UTF-16 code
//! units straight into a stack buffer; anything else takes the general conversion.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::id::MAX_INPUT_CHARS;

#[wasm_bindgen(inline_js = r#"
let memory = null;
let bytes = null;
export function shiming_set_memory(m) { memory = m; bytes = null; }
// -2: not a string; -3: too long to be an ID whatever it holds; -1: needs the general path.
export function shiming_copy_ascii(value, ptr, max) {
  if (typeof value !== 'string') return -2;
  const n = value.length;
  if (n > 2 * max) return -3;
  if (n > max) return -1;
  if (bytes === null || bytes.buffer !== memory.buffer) bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 127) return -1;
    bytes[ptr + i] = c;
  }
  return n;
}
"#)]
extern "C" {
    fn shiming_set_memory(memory: JsValue);
    fn shiming_copy_ascii(value: &JsValue, ptr: *mut u8, max: u32) -> i32;
}

thread_local! {
    static MEMORY_SET: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// A string argument, decoded.
pub(super) enum Input {
    /// Short ASCII: `bytes[..len]`.
    Ascii([u8; MAX_INPUT_CHARS], usize),
    /// Anything else short enough to look at.
    Text(String),
    /// More than 2 × [`MAX_INPUT_CHARS`] UTF-16 units: more characters than any ID.
    TooLong,
}

impl Input {
    /// Runs `check` on the input's UTF-8 bytes (`None` when too long).
    pub fn with_bytes<T>(&self, check: impl FnOnce(Option<&[u8]>) -> T) -> T {
        match self {
            Input::Ascii(buffer, len) => check(buffer.get(..*len)),
            Input::Text(text) => check(Some(text.as_bytes())),
            Input::TooLong => check(None),
        }
    }
}

/// Decodes a string argument; `Err` is a `TypeError` naming `what` when it is not a string.
pub(super) fn read_input(value: &JsValue, what: &str) -> Result<Input, JsValue> {
    if !MEMORY_SET.with(|set| set.replace(true)) {
        shiming_set_memory(wasm_bindgen::memory());
    }
    let mut buffer = [0u8; MAX_INPUT_CHARS];
    // The helper writes at most MAX_INPUT_CHARS bytes through this pointer (it returns -1
    // instead of writing past `max`), and nothing else touches the buffer meanwhile.
    let written = shiming_copy_ascii(value, buffer.as_mut_ptr(), MAX_INPUT_CHARS as u32);
    match written {
        -2 => Err(super::type_error(&format!("{what} must be a string"))),
        -3 => Ok(Input::TooLong),
        n if n >= 0 => Ok(Input::Ascii(buffer, (n as usize).min(MAX_INPUT_CHARS))),
        _ => match value
            .dyn_ref::<js_sys::JsString>()
            .and_then(|s| s.as_string())
        {
            Some(text) => Ok(Input::Text(text)),
            None => Err(super::type_error(&format!("{what} must be a string"))),
        },
    }
}
