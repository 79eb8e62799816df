//! Decoding of a JS options object, shared by every module. Malformed options are a caller's bug:
//! they throw.

use core::cell::Cell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::type_error;
use shiming::date::Date;
use shiming::i18n::Locale;

thread_local! {
    /// The module's default locale: zh-CN, unless the registration module's `configure` changed it.
    static DEFAULT_LOCALE: Cell<Locale> = const { Cell::new(Locale::ZhCn) };
}

/// The default locale in force (see `configure` in the registration module).
pub fn default_locale() -> Locale {
    DEFAULT_LOCALE.with(Cell::get)
}

/// Sets the default locale of every later call that leaves `locale` out (`configure`).
pub fn set_default_locale(locale: Locale) {
    DEFAULT_LOCALE.with(|d| d.set(locale));
}

/// `options.locale`: absent means the default (zh-CN unless `configure` changed it); any tag is
/// understood or falls back (`Locale::negotiate`: `fr` → en, `zh-SG` → zh-CN).
pub fn parse_locale(locale: &JsValue) -> Result<Locale, JsValue> {
    if locale.is_undefined() || locale.is_null() {
        return Ok(default_locale());
    }
    let tag = locale.as_string().ok_or_else(|| {
        type_error("options.locale must be a string (a BCP 47 tag: 'zh-CN', 'en', 'zh-HK', …)")
    })?;
    Ok(Locale::negotiate(&tag))
}

/// `configure({ locale? })` of a module that has no other defaults (policy, consent; the
/// registration module's `configure` has `kinds` too): the default locale, `null` restores zh-CN.
/// `messages`, the platform's wording, is the page setup's (the package's `messages.js` takes it
/// out before it calls this) and is ignored here. Returns the locale now in force.
pub fn configure_locale(options: &JsValue) -> Result<Locale, JsValue> {
    if options.is_null() {
        set_default_locale(Locale::ZhCn);
        return Ok(Locale::ZhCn);
    }
    let object = options
        .dyn_ref::<Object>()
        .filter(|_| !Array::is_array(options))
        .ok_or_else(|| type_error("configure takes an object { locale?, messages? } or null"))?;
    check_options(Some(object), "", "locale messages")?;
    let locale = parse_locale(&Reflect::get(object, &"locale".into())?)?;
    set_default_locale(locale);
    Ok(locale)
}

/// Strings made once per module: each option name and list of names read on every call would
/// otherwise cross from Rust as a new JS string (a `TextDecoder` call each, a tenth of
/// `checkRegistration`'s time). A `'static` string never changes and its address is never reused,
/// so the address is its key (a power of two).
const JS_STRINGS: usize = 128;

thread_local! {
    static STRINGS: core::cell::RefCell<Vec<Option<(usize, usize, JsValue)>>> =
        core::cell::RefCell::new((0..JS_STRINGS).map(|_| None).collect());
}

/// Runs `f` with `s` as a JS string, made the first time `s` is asked for.
pub fn with_js_str<R>(s: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    let key = (s.as_ptr() as usize, s.len());
    let slot = crate::wire::address_slot(s, JS_STRINGS);
    let cached = STRINGS.with(|strings| {
        let mut strings = strings.borrow_mut();
        let cell = strings.get_mut(slot)?;
        match cell {
            Some((ptr, len, value)) if (*ptr, *len) == key => Some(value.clone()),
            _ => {
                let value = JsValue::from_str(s);
                *cell = Some((key.0, key.1, value.clone()));
                Some(value)
            }
        }
    });
    match cached {
        Some(value) => f(&value),
        None => f(&JsValue::from_str(s)),
    }
}

/// Reads `key` of an options object that was checked to be an object (or is absent).
pub fn option_value(options: Option<&Object>, key: &'static str) -> Result<JsValue, JsValue> {
    match options {
        None => Ok(JsValue::UNDEFINED),
        Some(object) => with_js_str(key, |key| Reflect::get(object, key)),
    }
}

/// Checks that options, when given, are a plain object.
pub fn check_options_object(options: Option<&Object>) -> Result<(), JsValue> {
    match options {
        Some(o) if !o.is_object() || Array::is_array(o) => {
            Err(type_error("options must be an object"))
        }
        _ => Ok(()),
    }
}

// The check of option keys, in JS: the same code in Rust (`Object.keys`, a string per key, the
// edit distance, the message) weighed 1.4 KB gzip in the registration module, whose budget had
// 0.4 KB to spare; this costs the module a call per site.
#[wasm_bindgen(module = "/js/common.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn shiming_check_keys(
        options: &Object,
        parent: &JsValue,
        known: &JsValue,
    ) -> Result<(), JsValue>;
}

/// Checks that options, when given, are a plain object whose own keys are all `known` (names
/// separated by spaces): a misspelt option would otherwise be ignored without a word. The
/// `TypeError` names the first unknown key and the known key closest to it: "unknown option
/// 'kind' (did you mean 'kinds'?)". `parent` names a nested object's key in the message
/// (`"password"`: "unknown option 'password.minLenght' (did you mean 'password.minLength'?)"),
/// or is empty.
pub fn check_options(
    options: Option<&Object>,
    parent: &'static str,
    known: &'static str,
) -> Result<(), JsValue> {
    check_options_object(options)?;
    match options {
        Some(options) => with_js_str(parent, |parent| {
            with_js_str(known, |known| shiming_check_keys(options, parent, known))
        }),
        None => Ok(()),
    }
}

#[inline(never)]
pub fn range_error(message: &str) -> JsValue {
    js_sys::RangeError::new(&format!("shiming: {message}")).into()
}

/// Today in Asia/Shanghai by this device's clock: the fallback when no trusted date is given.
pub fn device_today() -> Result<Date, JsValue> {
    Date::from_unix_millis_shanghai(js_sys::Date::now())
        .ok_or_else(|| range_error("the device clock is out of range; pass options.asOf"))
}
