//! Getting arguments into wasm cheaply: short strings, and options seen before.
//!
//! wasm-bindgen's string conversion costs more than the whole ID check (allocate, `TextEncoder`,
//! copy, free), and so does reading an options object property by property. One small JS helper
//! does both jobs in a single call: it copies a short ASCII string's code units straight into a
//! stack buffer, and tells whether the options object is the one last parsed, unchanged.
//! Anything else takes the general path.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use shiming::id::MAX_INPUT_CHARS;

#[wasm_bindgen(module = "/js/checks.js")]
extern "C" {
    fn shiming_set_memory(memory: JsValue);
    // Never throws (see the helper), so no `catch` wrapper: it costs more than the check.
    fn shiming_prepare(
        value: &JsValue,
        options: Option<&js_sys::Object>,
        ptr: *mut u8,
        max: u32,
    ) -> u32;
    #[wasm_bindgen(catch)]
    pub(crate) fn shiming_remember_options(
        options: &JsValue,
        as_of: &JsValue,
        locale: &JsValue,
    ) -> Result<u32, JsValue>;
}

thread_local! {
    static MEMORY_SET: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// A string argument, decoded.
pub(crate) enum Input {
    /// Short ASCII: `bytes[..len]`.
    Ascii([u8; MAX_INPUT_CHARS], usize),
    /// Anything else short enough to look at.
    Text(String),
    /// More than 2 × [`MAX_INPUT_CHARS`] UTF-16 units: more characters than any ID.
    TooLong,
    /// Not a string at all (a caller's bug: a `TypeError` once the options are checked).
    NotAString,
}

impl Input {
    /// Runs `check` on the input's UTF-8 bytes (`None` when too long).
    pub fn with_bytes<T>(&self, check: impl FnOnce(Option<&[u8]>) -> T) -> T {
        match self {
            Input::Ascii(buffer, len) => check(buffer.get(..*len)),
            Input::Text(text) => check(Some(text.as_bytes())),
            Input::TooLong | Input::NotAString => check(None),
        }
    }
}

/// Hands the JS helpers wasm memory, the first time.
pub(crate) fn set_memory() {
    if !MEMORY_SET.with(|set| set.replace(true)) {
        shiming_set_memory(wasm_bindgen::memory());
    }
}

/// Decodes a string argument, and returns the options token (0 = parse the options again).
pub(crate) fn prepare(
    value: &JsValue,
    options: Option<&js_sys::Object>,
) -> Result<(Input, u32), JsValue> {
    set_memory();
    let mut buffer = [0u8; MAX_INPUT_CHARS];
    // The helper writes at most MAX_INPUT_CHARS bytes through this pointer (it reports -1
    // instead of writing past `max`), and nothing else touches the buffer meanwhile.
    let packed = shiming_prepare(value, options, buffer.as_mut_ptr(), MAX_INPUT_CHARS as u32);
    let token = packed >> 7;
    let input = match i64::from(packed & 127) - 8 {
        -2 => Input::NotAString,
        -3 => Input::TooLong,
        n if n >= 0 => Input::Ascii(buffer, (n as usize).min(MAX_INPUT_CHARS)),
        _ => match value
            .dyn_ref::<js_sys::JsString>()
            .and_then(|s| s.as_string())
        {
            Some(text) => Input::Text(text),
            None => Input::NotAString,
        },
    };
    Ok((input, token))
}
