//! `isValidId` without a JS value crossing into wasm, and `checkId` with only the input string: the package's JS (`npm/ids.js`) writes a
//! short ASCII argument straight into [`SCRATCH`] and passes its length and an options token,
//! numbers only (issue 19, item 3's boolean target).
//!
//! The general export takes the string and the options as JS values: each costs a slot of
//! wasm-bindgen's value table on the way in and out, and the string is copied by a JS helper that
//! wasm calls back. About half of `isValidId`'s time went there.

use core::cell::UnsafeCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::id_options::{parse_and_remember, parse_options, JsOptions, ID_KEYS};
use shiming::id::MAX_INPUT_CHARS;
use shiming_js_common::optional_object;

/// Where the package's JS writes a short ASCII argument.
struct Scratch(UnsafeCell<[u8; MAX_INPUT_CHARS]>);

// SAFETY: wasm32 without threads: the module runs on one thread, and no two calls overlap.
#[allow(unsafe_code)]
unsafe impl Sync for Scratch {}

static SCRATCH: Scratch = Scratch(UnsafeCell::new([0; MAX_INPUT_CHARS]));

/// The address of the scratch buffer in wasm memory (its length: [`id_scratch_length`]).
#[wasm_bindgen(js_name = __idScratch, skip_typescript)]
pub fn id_scratch() -> u32 {
    SCRATCH.0.get() as usize as u32
}

/// The scratch buffer's length: longer strings take the general path.
#[wasm_bindgen(js_name = __idScratchLength, skip_typescript)]
pub fn id_scratch_length() -> u32 {
    MAX_INPUT_CHARS as u32
}

/// wasm's memory, for the package's JS to write into.
#[wasm_bindgen(js_name = __idMemory, skip_typescript)]
pub fn id_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Parses `options` as `isValidId` would (throwing as it would) and returns the token under which
/// they are remembered, or 0 when they cannot be (a `kinds` array, `allowPilotEra`, no `asOf`).
#[wasm_bindgen(js_name = __idOptionsToken, skip_typescript)]
pub fn id_options_token(options: JsValue) -> Result<u32, JsValue> {
    parse_and_remember(optional_object(options).as_ref(), ID_KEYS)
}

/// The options remembered as `token` (0: no options, the defaults), or `None` when they no longer
/// are.
fn options_of(token: u32) -> Option<JsOptions> {
    if token == 0 {
        parse_options(None, ID_KEYS).ok()
    } else {
        crate::id_options::by_token(token)
    }
}

/// A copy of the `len` bytes the JS side wrote, when they are ASCII.
fn scratch_text(len: u32) -> Option<([u8; MAX_INPUT_CHARS], usize)> {
    // SAFETY: the JS side wrote the bytes before this call, and nothing writes them during it.
    #[allow(unsafe_code)]
    let bytes = unsafe { *SCRATCH.0.get() };
    let len = len as usize;
    bytes.get(..len).filter(|b| b.is_ascii())?;
    Some((bytes, len))
}

/// The text of [`scratch_text`]'s copy.
fn as_text(copy: &([u8; MAX_INPUT_CHARS], usize)) -> &str {
    copy.0
        .get(..copy.1)
        .and_then(|b| core::str::from_utf8(b).ok())
        .unwrap_or("")
}

/// `checkId` of the `len` ASCII bytes in the scratch buffer, which are the string `input`, under
/// the options remembered as `token` (0: no options); `undefined` when the token is no longer
/// remembered or the bytes are not ASCII: the caller takes the general path.
#[wasm_bindgen(js_name = __checkIdAscii, skip_typescript)]
pub fn check_id_ascii(len: u32, token: u32, input: JsValue) -> Result<JsValue, JsValue> {
    let (Some(JsOptions { id, locale }), Some(copy)) = (options_of(token), scratch_text(len))
    else {
        return Ok(JsValue::UNDEFINED);
    };
    // The bytes are `input`'s (npm/ids.js writes them from it in the same call, and the usual
    // result reuses the string): at least its type and length must agree.
    match input.dyn_ref::<js_sys::JsString>() {
        Some(s) if s.length() == len => {}
        _ => return Ok(JsValue::UNDEFINED),
    }
    crate::id::check_text(&input, as_text(&copy), &id, locale)
}

/// `isValidId` of the `len` ASCII bytes in the scratch buffer, under the options remembered as
/// `token` (0: no options). Returns 1 (valid), 0 (not valid), or 2 when the token is no longer
/// remembered (`configure` was called, or other options were parsed since): the caller takes the
/// general path.
#[wasm_bindgen(js_name = __isValidIdAscii, skip_typescript)]
pub fn is_valid_id_ascii(len: u32, token: u32) -> u32 {
    let options = if token == 0 {
        match parse_options(None, ID_KEYS) {
            Ok(JsOptions { id, .. }) => id,
            Err(_) => return 2,
        }
    } else {
        match crate::id_options::by_token(token) {
            Some(JsOptions { id, .. }) => id,
            None => return 2,
        }
    };
    // SAFETY: the JS side wrote the bytes before this call; nothing writes them during it.
    #[allow(unsafe_code)]
    let bytes = unsafe { &*SCRATCH.0.get() };
    match bytes.get(..len as usize) {
        Some(input) if input.is_ascii() => {
            u32::from(shiming::id::is_valid_id_bytes(input, &options))
        }
        _ => 2,
    }
}
