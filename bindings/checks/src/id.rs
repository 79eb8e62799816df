//! `checkId`, `isValidId`, `checkIdBatch`.

use js_sys::{Array, JsString, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::id_dto;
use crate::id_fast::Refusal;
use crate::id_options::{parse_options, parse_options_with_token, JsOptions, ID_KEYS};
use crate::input::{prepare, Input};
use shiming::id::{BatchChecker, BatchReport, MAX_INPUT_CHARS};
use shiming::issue::{Code, Issue, ParamValue};
use shiming_js_common::options::check_options;
use shiming_js_common::{optional_object, type_error};

fn too_long_issue() -> Issue {
    Issue::new(Code::IdTooLong).with("max", ParamValue::Int(MAX_INPUT_CHARS as i64))
}

/// Checks one ID number. See the README for the result shape and codes.
#[wasm_bindgen(js_name = checkId, unchecked_return_type = "IdCheckResult")]
pub fn check_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = optional_object(options);
    let (decoded, token) = prepare(&input, options.as_ref())?;
    let JsOptions { id, locale } = parse_options_with_token(options.as_ref(), token, ID_KEYS)?;
    let check = |text: &str| check_text(&input, text, &id, locale);
    match decoded {
        Input::Ascii(buffer, len) => {
            // ASCII bytes are valid UTF-8.
            let text = buffer
                .get(..len)
                .and_then(|b| core::str::from_utf8(b).ok())
                .unwrap_or("");
            check(text)
        }
        Input::Text(text) => check(&text),
        Input::TooLong => id_dto::id_result(&Err(vec![too_long_issue()]), locale),
        Input::NotAString => Err(type_error("checkId(input) must be a string")),
    }
}

/// `checkId`'s result for `text`, the decoded `input`: the usual result from `id_fast`, any other
/// through the DTOs.
pub(crate) fn check_text(
    input: &JsValue,
    text: &str,
    id: &shiming::id::IdOptions,
    locale: shiming::i18n::Locale,
) -> Result<JsValue, JsValue> {
    if let Some(quick) = shiming::id::check_resident_quick(text.as_bytes(), id) {
        if let Some(object) = crate::id_fast::resident(input, &quick) {
            return Ok(object);
        }
    }
    let result = shiming::id::check_id(text, id);
    match &result {
        Ok(checked) => {
            if let Some(object) = crate::id_fast::value(input, text, checked) {
                return Ok(object);
            }
        }
        Err(issues) => match crate::id_fast::refusal(issues, locale, false) {
            Refusal::Built(object) => return Ok(object),
            Refusal::Learn => {
                let object = id_dto::id_result(&result, locale)?;
                crate::id_fast::learn(&object, issues, locale);
                return Ok(object);
            }
            Refusal::General => {}
        },
    }
    id_dto::id_result(&result, locale)
}

/// Whether the ID number is valid (same rules as `checkId`, no result object built).
#[wasm_bindgen(js_name = isValidId)]
pub fn is_valid_id_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<bool, JsValue> {
    // `options` is taken as a plain JsValue: an `Option<Object>` parameter costs an externref
    // table slot per call, a noticeable share of this function's time.
    let options =
        (!options.is_undefined() && !options.is_null()).then(|| Object::unchecked_from_js(options));
    let (input, token) = prepare(&input, options.as_ref())?;
    let JsOptions { id, .. } = parse_options_with_token(options.as_ref(), token, ID_KEYS)?;
    if let Input::NotAString = input {
        return Err(type_error("isValidId(input) must be a string"));
    }
    Ok(input.with_bytes(|bytes| bytes.is_some_and(|b| shiming::id::is_valid_id_bytes(b, &id))))
}

/// The identity key of an ID number (`<kind>:<canonical number>`), or `null` when it is not a
/// valid number of an allowed kind. See the README ("One identity, one account").
#[wasm_bindgen(js_name = identityKey, unchecked_return_type = "string | null")]
pub fn identity_key_js(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let Some(text) = input.as_string() else {
        return Err(type_error("identityKey(input) must be a string"));
    };
    let JsOptions { id, .. } = parse_options(optional_object(options).as_ref(), ID_KEYS)?;
    Ok(shiming::id::identity_key(&text, &id).map_or(JsValue::NULL, |key| JsValue::from_str(&key)))
}

/// Sets the defaults of every later call of this module that leaves `kinds` or `locale` out, and
/// the platform's wording of messages (`messages`).
#[wasm_bindgen(js_name = configure, unchecked_return_type = "ShimingDefaults")]
pub fn configure_js(
    #[wasm_bindgen(unchecked_param_type = "ShimingConfig | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (kinds, locale) = crate::id_options::configure(&options)?;
    let out = Object::new();
    let names: Array = kinds
        .iter()
        .map(|k| JsValue::from_str(k.as_str()))
        .collect();
    Reflect::set(&out, &JsValue::from_str("kinds"), &names)?;
    Reflect::set(
        &out,
        &JsValue::from_str("locale"),
        &JsValue::from_str(locale.as_str()),
    )?;
    Ok(out.into())
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextEncoder)]
    type Utf8Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Utf8Encoder;
    /// `TextEncoder.prototype.encodeInto`: writes UTF-8 straight into wasm memory.
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Utf8Encoder, source: &JsString, destination: &Uint8Array) -> Object;
}

/// UTF-16 units of a JS string encoded per `encodeInto` call: pieces of at most 192 KB stay in
/// cache between encoding and checking, and memory use stays flat whatever the input size.
const PIECE_UNITS: u32 = 1 << 16;
/// Bytes of a `Uint8Array` copied into wasm memory per piece.
const PIECE_BYTES: u32 = 1 << 18;

/// Appends to `buffer` the bytes JS writes into a view of `capacity` bytes of its spare
/// (allocated, uninitialised) capacity: `write` makes one JS call with the view, and returns how
/// many bytes that call wrote. No zero-filling first (19 instructions a line of the batch from
/// bytes, `bench/callgrind.mjs --wasm bytes`, and the code of `Vec::resize`).
#[allow(unsafe_code)]
fn append_from_js(
    buffer: &mut Vec<u8>,
    capacity: usize,
    write: impl FnOnce(&Uint8Array) -> Result<usize, JsValue>,
) -> Result<(), JsValue> {
    buffer.reserve(capacity);
    let start = buffer.len();
    // SAFETY: the view covers `capacity` bytes of the vector's spare capacity, reserved above. It
    // is used only by the one JS call in `write`, during which no Rust code runs and memory cannot
    // grow; nothing reads the view afterwards.
    let view = unsafe { Uint8Array::view_mut_raw(buffer.as_mut_ptr().add(start), capacity) };
    let written = write(&view)?;
    if written > capacity {
        return Err(type_error("checkIdBatch: JS wrote past its buffer"));
    }
    // SAFETY: that call initialised `written` bytes after `start`, within the capacity.
    unsafe { buffer.set_len(start + written) };
    Ok(())
}

/// Encodes `text` (UTF-8, lone surrogates become U+FFFD) at the end of `buffer`.
fn encode_append(
    encoder: &Utf8Encoder,
    text: &JsString,
    buffer: &mut Vec<u8>,
) -> Result<(), JsValue> {
    let needed = (text.length() as usize).saturating_mul(3);
    append_from_js(buffer, needed, |view| {
        let progress = encoder.encode_into(text, view);
        Ok(Reflect::get(&progress, &JsValue::from_str("written"))?
            .as_f64()
            .unwrap_or(0.0) as usize)
    })
}

/// Copies `piece` at the end of `buffer`.
fn copy_append(piece: &Uint8Array, buffer: &mut Vec<u8>) -> Result<(), JsValue> {
    let length = piece.length() as usize;
    append_from_js(buffer, length, |view| {
        view.set(piece, 0);
        Ok(length)
    })
}

/// Feeds a JS string to the checker a piece at a time, never splitting a surrogate pair.
fn check_js_string(text: &JsString, checker: &mut BatchChecker<'_>) -> Result<Vec<u8>, JsValue> {
    let encoder = Utf8Encoder::new();
    let length = text.length();
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE_UNITS as usize * 3 + 512);
    let mut start = 0;
    while start < length {
        let mut end = length.min(start + PIECE_UNITS);
        // A high surrogate at the cut belongs with the next piece.
        if end < length && (0xD800..0xDC00).contains(&(text.char_code_at(end - 1) as u32)) {
            end -= 1;
        }
        encode_append(&encoder, &text.substring(start, end), &mut buffer)?;
        let consumed = checker.feed(&buffer);
        buffer.drain(..consumed);
        start = end;
    }
    Ok(buffer)
}

/// Feeds UTF-8 bytes from JS to the checker a piece at a time.
fn check_js_bytes(bytes: &Uint8Array, checker: &mut BatchChecker<'_>) -> Result<Vec<u8>, JsValue> {
    let length = bytes.length();
    let mut buffer: Vec<u8> = Vec::with_capacity(PIECE_BYTES as usize + 512);
    let mut start = 0;
    while start < length {
        let end = length.min(start + PIECE_BYTES);
        copy_append(&bytes.subarray(start, end), &mut buffer)?;
        let consumed = checker.feed(&buffer);
        buffer.drain(..consumed);
        start = end;
    }
    Ok(buffer)
}

/// Checks one candidate per line, from a string or UTF-8 bytes; with `{ birthDates: true }` also
/// each valid line's birth date.
#[wasm_bindgen(js_name = checkIdBatch, unchecked_return_type = "IdBatchResult")]
pub fn check_id_batch_js(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdOptions")] options: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "IdBatchOptions")] batch: JsValue,
) -> Result<JsValue, JsValue> {
    let JsOptions { id, .. } = parse_options(optional_object(options).as_ref(), ID_KEYS)?;
    let mut checker = BatchChecker::new(&id);
    if wants_birth_dates(&batch)? {
        checker = checker.with_birth_dates();
    }
    let rest = if let Some(s) = text.dyn_ref::<JsString>() {
        checker.reserve(s.length() as usize / 19 + 1);
        check_js_string(s, &mut checker)?
    } else if let Some(array) = text.dyn_ref::<Uint8Array>() {
        checker.reserve(array.length() as usize / 19 + 1);
        check_js_bytes(array, &mut checker)?
    } else {
        return Err(type_error(
            "checkIdBatch(text) must be a string or a Uint8Array",
        ));
    };
    batch_result(&checker.finish(&rest))
}

/// `batchOptions.birthDates`: absent, or a boolean.
fn wants_birth_dates(batch: &JsValue) -> Result<bool, JsValue> {
    if batch.is_undefined() || batch.is_null() {
        return Ok(false);
    }
    if !batch.is_object() {
        return Err(type_error(
            "checkIdBatch(text, options, batchOptions): batchOptions must be { birthDates?: boolean }",
        ));
    }
    check_options(Some(batch.unchecked_ref()), "", "birthDates")?;
    let value = Reflect::get(batch, &JsValue::from_str("birthDates"))?;
    if value.is_undefined() || value.is_null() {
        return Ok(false);
    }
    value
        .as_bool()
        .ok_or_else(|| type_error("batchOptions.birthDates must be a boolean"))
}

fn batch_result(report: &BatchReport) -> Result<JsValue, JsValue> {
    let out = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&out, &JsValue::from_str(key), value);
    set("total", &JsValue::from(report.total))?;
    set("valid", &JsValue::from(report.valid))?;
    set("invalid", &JsValue::from(report.invalid))?;
    let by_code = Object::new();
    for (code, count) in report.by_code() {
        Reflect::set(
            &by_code,
            &JsValue::from_str(code.as_str()),
            &JsValue::from(count),
        )?;
    }
    set("byCode", &by_code)?;
    set("status", &Uint8Array::from(report.status.as_slice()))?;
    if let Some(dates) = &report.birth_dates {
        set("birthDates", &Uint32Array::from(dates.as_slice()))?;
    }
    let codes: Array = Code::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect();
    set("codes", &codes)?;
    Ok(out.into())
}
