//! Messages as the page set them up, the same in every module. The wasm modules compile the zh-CN
//! and English messages only; the Traditional Chinese tables (the package's `locales/*.js`,
//! generated from the crate's own locale files) and the platform's own wording of messages
//! (`configure({ messages })`) live in JS, in the package's `messages.js`, which every entry
//! shares. When the page has either, `messages.js` installs a hook in each module
//! (`setMessageHook`): the module asks it first for every message, and renders its own when the
//! hook has none. So a module carries no table parser, and a page that needs neither pays a
//! `None` check per message.

use core::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use shiming::i18n::{self, Locale};
use shiming::issue::{Issue, ParamValue};

use crate::options::{check_options, option_value, parse_locale};
use crate::{optional_object, type_error};

thread_local! {
    /// `messages.js`' hook: `(key, params, locale) => string | undefined`, and the locales it
    /// answers for (a bit per `Locale::ALL` index): a page with only Traditional tables loaded is
    /// not asked about zh-CN or en messages.
    static HOOK: RefCell<Option<(Function, u8)>> = const { RefCell::new(None) };
}

/// The bit of `locale` in the hook's mask.
fn bit(locale: Locale) -> u8 {
    let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    1u8.checked_shl(u32::try_from(index).unwrap_or(0))
        .unwrap_or(0)
}

/// An issue's message key: its code, and its variant where the code has several messages
/// (`id_checksum_mismatch.kind`, see `shiming::i18n::variant`).
fn key_of(issue: &Issue) -> String {
    let mut key = String::from(issue.code.as_str());
    if let Some(variant) = i18n::variant(issue) {
        key.push('.');
        key.push_str(variant);
    }
    key
}

/// An issue's params as a plain JS object, as the results give them (built by hand: a serde
/// serializer of its own for this one call weighed a kilobyte in every module).
fn params_object(params: &[(&'static str, ParamValue)]) -> Option<JsValue> {
    let object = Object::new();
    let list = |items: &mut dyn Iterator<Item = &str>| -> JsValue {
        items.map(JsValue::from_str).collect::<Array>().into()
    };
    for (name, value) in params {
        let value = match value {
            #[allow(clippy::cast_precision_loss)] // params are small counts, years and amounts
            ParamValue::Int(i) => JsValue::from_f64(*i as f64),
            ParamValue::Char(c) => JsValue::from_str(c.encode_utf8(&mut [0; 4])),
            ParamValue::Str(s) => JsValue::from_str(s),
            ParamValue::Text(s) => JsValue::from_str(s),
            ParamValue::List(items) => list(&mut items.iter().copied()),
            ParamValue::TextList(items) => list(&mut items.iter().map(String::as_str)),
        };
        Reflect::set(&object, &JsValue::from_str(name), &value).ok()?;
    }
    Some(object.into())
}

/// The hook's message for `key` with `params` in `locale`, if a hook is installed and has one.
/// (`key` is built only when the hook answers for `locale`: a page without one pays no allocation.)
fn hooked(
    key: impl FnOnce() -> String,
    params: impl FnOnce() -> Option<JsValue>,
    locale: Locale,
) -> Option<String> {
    HOOK.with(|hook| {
        let hook = hook.borrow();
        let (hook, locales) = hook.as_ref()?;
        if locales & bit(locale) == 0 {
            return None;
        }
        hook.call3(
            &JsValue::NULL,
            &JsValue::from_str(&key()),
            &params()?,
            &JsValue::from_str(locale.as_str()),
        )
        .ok()?
        .as_string()
    })
}

/// Whether the hook answers for `locale`: while it does, a message may change without this
/// module knowing (the page loads a table, configures its wording), so nothing may cache one.
pub fn hook_answers(locale: Locale) -> bool {
    HOOK.with(|hook| {
        hook.borrow()
            .as_ref()
            .is_some_and(|(_, locales)| locales & bit(locale) != 0)
    })
}

/// The message of one of the module's own issues in `locale`: the hook's (the platform's wording,
/// a loaded table), else the module's own.
pub fn message(issue: &Issue, locale: Locale) -> String {
    hooked(|| key_of(issue), || params_object(&issue.params), locale)
        .unwrap_or_else(|| issue.message(locale))
}

/// `setMessageHook(hook, locales?)`: installs `messages.js`' hook for the locales named (every
/// locale when `locales` is left out), or removes it (`null`).
pub fn set_message_hook(hook: &JsValue, locales: &JsValue) -> Result<(), JsValue> {
    let hook = if hook.is_null() || hook.is_undefined() {
        None
    } else {
        let function = hook
            .dyn_ref::<Function>()
            .ok_or_else(|| type_error("setMessageHook(hook) takes a function or null"))?
            .clone();
        let mask = if locales.is_undefined() || locales.is_null() {
            u8::MAX
        } else {
            let list = locales.dyn_ref::<Array>().ok_or_else(|| {
                type_error("setMessageHook(hook, locales): locales must be an array of tags")
            })?;
            list.iter()
                .map(|tag| tag.as_string().map(|t| bit(Locale::negotiate(&t))))
                .try_fold(0u8, |mask, b| b.map(|b| mask | b))
                .ok_or_else(|| type_error("setMessageHook(hook, locales): a tag is not a string"))?
        };
        Some((function, mask))
    };
    HOOK.with(|h| *h.borrow_mut() = hook);
    Ok(())
}

/// `issueMessage(issue, options?)`: the message of `{ code, params }` (a server's rejection, a
/// sync status event, a stored report) in `options.locale`, rendered as the module renders its
/// own issues, the page's setup included. Params the message does not use are ignored; a missing
/// one shows as `?`. A code this module carries no message of comes back as the code.
pub fn issue_message(issue: &JsValue, options: JsValue) -> Result<String, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale")?;
    let locale = parse_locale(&option_value(options.as_ref(), "locale")?)?;
    if !issue.is_object() {
        return Err(type_error("issueMessage(issue) takes { code, params }"));
    }
    let code = Reflect::get(issue, &"code".into())?
        .as_string()
        .ok_or_else(|| type_error("issueMessage: issue.code must be a string"))?;
    let raw = Reflect::get(issue, &"params".into())?;
    let params = received_params(&raw);
    let Some(selector) = i18n::issue_of(&code, &params) else {
        return Ok(code);
    };
    let raw = if raw.is_object() {
        raw
    } else {
        Object::new().into()
    };
    Ok(hooked(|| key_of(&selector), || Some(raw), locale)
        .or_else(|| i18n::message_of(&code, &params, locale))
        .unwrap_or(code))
}

/// The params of an issue received from JS: strings, whole numbers and lists of strings (other
/// values are left out).
fn received_params(raw: &JsValue) -> Vec<(String, ParamValue)> {
    let mut params = Vec::new();
    if !raw.is_object() || Array::is_array(raw) {
        return params;
    }
    for entry in Object::entries(raw.unchecked_ref::<Object>()).iter() {
        let pair: Array = entry.unchecked_into();
        let Some(name) = pair.get(0).as_string() else {
            continue;
        };
        let value = pair.get(1);
        let converted = if let Some(s) = value.as_string() {
            Some(ParamValue::Text(s))
        } else if let Some(n) = value.as_f64() {
            // A whole number within 2^53: the cast is exact; other numbers are left out.
            #[allow(clippy::cast_possible_truncation)]
            (n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0)
                .then_some(ParamValue::Int(n as i64))
        } else if Array::is_array(&value) {
            Some(ParamValue::TextList(
                Array::<JsValue>::unchecked_from_js(value)
                    .iter()
                    .filter_map(|v| v.as_string())
                    .collect(),
            ))
        } else {
            None
        };
        if let Some(v) = converted {
            params.push((name, v));
        }
    }
    params
}

/// The exports of a module's messages, written once for every module: `resolveLocale`,
/// `isMessageKey` and `setMessageHook` (which `messages.js` uses); with `issue_message`,
/// `issueMessage` too (the registration and consent modules); with `configure`, a
/// `configure({ locale? })` for a module that has no other defaults (the registration module's own
/// `configure` has `kinds` too). `messages.js` wraps every module's `configure` in the page's one
/// `configure`, which takes `messages` too.
#[macro_export]
macro_rules! message_exports {
    (configure $(, $rest:ident)*) => {
        /// Sets the default locale of every later call of this module that leaves `locale` out;
        /// `null` restores zh-CN. The package's entries export the page's one `configure`
        /// (`messages.js`), which calls this.
        #[wasm_bindgen::prelude::wasm_bindgen(
            js_name = configure,
            unchecked_return_type = "{ locale: Locale }"
        )]
        pub fn configure_js(
            #[wasm_bindgen(unchecked_param_type = "{ locale?: Locale } | null")]
            options: wasm_bindgen::JsValue,
        ) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
            let locale = $crate::options::configure_locale(&options)?;
            let out = js_sys::Object::new();
            js_sys::Reflect::set(&out, &"locale".into(), &locale.as_str().into())?;
            Ok(out.into())
        }
        $crate::message_exports!($($rest),*);
    };
    (issue_message) => {
        /// The message of `{ code, params }` (a server's rejection, a sync status event, a stored
        /// report) in `options.locale`, rendered as this module renders its own issues (the page's
        /// `configure({ messages })` and loaded locales included); a code whose message this
        /// module does not carry comes back as the code itself.
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = issueMessage)]
        pub fn issue_message_js(
            #[wasm_bindgen(
                unchecked_param_type = "{ code: string; params?: Record<string, IssueParam> }"
            )]
            issue: wasm_bindgen::JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "{ locale?: Locale }")]
            options: wasm_bindgen::JsValue,
        ) -> Result<String, wasm_bindgen::JsValue> {
            $crate::messages::issue_message(&issue, options)
        }
        $crate::message_exports!();
    };
    () => {
        /// The locale `tag` renders in: every BCP 47 tag is understood or falls back (`zh-MO` →
        /// `zh-HK`, `zh-SG` → `zh-CN`, `fr` → `en`; see the `Locale` type).
        #[wasm_bindgen::prelude::wasm_bindgen(
            js_name = resolveLocale,
            unchecked_return_type = "'zh-CN' | 'en' | 'zh-Hant' | 'zh-HK' | 'zh-TW'"
        )]
        pub fn resolve_locale_js(
            #[wasm_bindgen(unchecked_param_type = "string")] tag: wasm_bindgen::JsValue,
        ) -> Result<String, wasm_bindgen::JsValue> {
            let tag = tag
                .as_string()
                .ok_or_else(|| $crate::type_error("resolveLocale(tag) takes a string"))?;
            Ok(shiming::i18n::Locale::negotiate(&tag).as_str().to_string())
        }

        /// Whether `key` names a message: a code (`id_empty`), or a code and one of its variants
        /// (`id_checksum_mismatch.kind`). `configure({ messages })` checks its keys with it.
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = isMessageKey)]
        pub fn is_message_key_js(
            #[wasm_bindgen(unchecked_param_type = "string")] key: wasm_bindgen::JsValue,
        ) -> bool {
            key.as_string()
                .is_some_and(|key| shiming::i18n::parse_key(&key).is_some())
        }

        /// Installs the page's message hook for the locales named (every locale when they are
        /// left out; `messages.js` does it), or removes it (`null`).
        #[wasm_bindgen::prelude::wasm_bindgen(js_name = setMessageHook)]
        pub fn set_message_hook_js(
            #[wasm_bindgen(
                unchecked_param_type = "((key: string, params: Record<string, IssueParam>, locale: string) => string | undefined) | null"
            )]
            hook: wasm_bindgen::JsValue,
            #[wasm_bindgen(unchecked_optional_param_type = "string[]")]
            locales: wasm_bindgen::JsValue,
        ) -> Result<(), wasm_bindgen::JsValue> {
            $crate::messages::set_message_hook(&hook, &locales)
        }
    };
}
