//! The browser's side of `shiming/sync`: randomness, clocks, timers, HTTP (fetch or the
//! integrator's transport), IndexedDB and AES-GCM, all through web-sys. No decisions live here:
//! the queue (the core's `sync`) decides what to send and when; `lib.rs` wires the two together.
//!
//! IndexedDB requests and transactions report through event handlers; each is turned into a
//! promise whose two handlers are Rust closures owned by the awaiting future and dropped as soon
//! as it resolves (nothing leaks per request, and nothing is left for JS to call afterwards).
//!
//! Errors returned from here never quote a request body: they are the browser's own errors
//! (network, quota, crypto), which hold no personal data, or a fixed `shiming:` message.

use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortSignal, AesGcmParams, AesKeyGenParams, CryptoKey, Headers, IdbDatabase, IdbOpenDbRequest,
    IdbRequest, IdbTransaction, RequestCache, RequestInit, RequestRedirect, Response, SubtleCrypto,
    Window,
};

use shiming_js_common::type_error;

pub(crate) fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| type_error("shiming/sync runs in a browser window"))
}

/// `crypto.getRandomValues` into `buffer` (at most 65 536 bytes).
pub(crate) fn random_bytes(buffer: &mut [u8]) -> Result<(), JsValue> {
    window()?
        .crypto()?
        .get_random_values_with_u8_array(buffer)
        .map(|_| ())
}

/// Four uniformly random `u32`s from `crypto.getRandomValues`.
pub(crate) fn random_words() -> Result<[u32; 4], JsValue> {
    let mut bytes = [0u8; 16];
    random_bytes(&mut bytes)?;
    let mut words = [0u32; 4];
    for (word, chunk) in words.iter_mut().zip(bytes.chunks_exact(4)) {
        *word = u32::from_le_bytes(chunk.try_into().unwrap_or([0; 4]));
    }
    Ok(words)
}

/// A fresh entry id: 32 lowercase hex digits of `crypto.getRandomValues`.
pub(crate) fn random_id() -> Result<String, JsValue> {
    let words = random_words()?;
    Ok(words.iter().map(|w| format!("{w:08x}")).collect())
}

/// `performance.now()` in whole milliseconds: the monotonic clock (never set, never jumps).
pub(crate) fn monotonic_ms() -> u64 {
    let now = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now());
    if now.is_finite() && now > 0.0 {
        // Non-negative and far below 2^53: the cast is exact after floor.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ms = now.floor() as u64;
        ms
    } else {
        0
    }
}

/// The device's wall clock (`Date.now()`), which may be anything: only used until the server's
/// time is known, corrected by the skew measured in an earlier session.
pub(crate) fn device_ms() -> i64 {
    let now = js_sys::Date::now();
    if now.is_finite() && now.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        let ms = now.floor() as i64;
        ms
    } else {
        0
    }
}

pub(crate) fn set_timeout(callback: &Function, delay_ms: i32) -> Result<i32, JsValue> {
    window()?.set_timeout_with_callback_and_timeout_and_arguments_0(callback, delay_ms)
}

pub(crate) fn clear_timeout(handle: i32) {
    if let Some(w) = web_sys::window() {
        w.clear_timeout_with_handle(handle);
    }
}

/// Resolves after `delay_ms`.
pub(crate) async fn sleep(delay_ms: i32) {
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        if set_timeout(&resolve, delay_ms).is_err() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    let _ = JsFuture::from(promise).await;
}

// ---- HTTP -------------------------------------------------------------------------------------

/// An answer: status, its `Retry-After` header, its body.
pub(crate) struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

/// One request, as fetch or the integrator's transport sends it.
pub(crate) struct Outgoing<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(String, String)],
    pub body: Option<&'a str>,
}

/// `fetch`, with no redirects followed (a 3xx is not part of the protocol: the opaque redirect
/// answers status 0, which the queue reports as `unexpected_status`), no caching, and a timeout.
pub(crate) async fn fetch(request: &Outgoing<'_>, timeout_ms: u32) -> Result<Reply, JsValue> {
    let headers = Headers::new()?;
    for (name, value) in request.headers {
        headers.append(name, value)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_headers(&headers);
    if let Some(body) = request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_redirect(RequestRedirect::Manual);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(timeout_ms)));
    let response: Response = JsFuture::from(window()?.fetch_with_str_and_init(request.url, &init))
        .await?
        .dyn_into()?;
    let retry_after = response.headers().get("retry-after")?;
    let body = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok(Reply {
        status: response.status(),
        retry_after,
        body,
    })
}

/// The integrator's transport: `(request) => Promise<{ status, headers, body }>`. A throw, a
/// rejection or an answer of the wrong shape is a transport error (the request is retried).
pub(crate) async fn custom(transport: &Function, request: &Outgoing<'_>) -> Result<Reply, JsValue> {
    let headers = Object::new();
    for (name, value) in request.headers {
        Reflect::set(&headers, &name.into(), &value.into())?;
    }
    let arg = Object::new();
    Reflect::set(&arg, &"method".into(), &request.method.into())?;
    Reflect::set(&arg, &"url".into(), &request.url.into())?;
    Reflect::set(&arg, &"headers".into(), &headers)?;
    Reflect::set(
        &arg,
        &"body".into(),
        &request.body.map_or(JsValue::NULL, JsValue::from_str),
    )?;
    let returned = transport.call1(&JsValue::UNDEFINED, &arg)?;
    let answer = JsFuture::from(Promise::resolve(&returned)).await?;
    let bad = || type_error("the transport must resolve to { status, headers, body }");
    if !answer.is_object() {
        return Err(bad());
    }
    let status = Reflect::get(&answer, &"status".into())?
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (0.0..=999.0).contains(s))
        .ok_or_else(bad)?;
    let body = Reflect::get(&answer, &"body".into())?;
    let body = if body.is_undefined() || body.is_null() {
        String::new()
    } else {
        body.as_string().ok_or_else(bad)?
    };
    let headers = Reflect::get(&answer, &"headers".into())?;
    let retry_after = header_of(&headers, "retry-after")?;
    // A whole number from 0 to 999 (checked above): the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let status = status as u16;
    Ok(Reply {
        status,
        retry_after,
        body,
    })
}

/// A header of a `Record<string, string>` (any case) or a `Headers` object.
fn header_of(headers: &JsValue, name: &str) -> Result<Option<String>, JsValue> {
    if let Some(h) = headers.dyn_ref::<Headers>() {
        return h.get(name);
    }
    if !headers.is_object() {
        return Ok(None);
    }
    for key in Object::keys(headers.unchecked_ref::<Object>()).iter() {
        if key
            .as_string()
            .is_some_and(|k| k.eq_ignore_ascii_case(name))
        {
            return Ok(Reflect::get(headers, &key)?.as_string());
        }
    }
    Ok(None)
}

// ---- IndexedDB ----------------------------------------------------------------------------------

/// The one object store of the database: `key` (the CryptoKey), `queue` (the encrypted queue),
/// `meta` (the clock skew; no personal data), `queue-unreadable` (a queue that could not be read).
pub(crate) const STORE: &str = "kv";

type Handler = Closure<dyn FnMut(JsValue)>;

/// Waits for `attach` to call one of the two handlers it was given.
async fn wait_for(attach: impl FnOnce(&Function, &Function)) -> Result<(), JsValue> {
    let mut handlers: Option<(Handler, Handler)> = None;
    let mut attach = Some(attach);
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Handler::new(move |_| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let failed = Handler::new(move |_| {
            let _ = reject.call0(&JsValue::UNDEFINED);
        });
        if let Some(attach) = attach.take() {
            attach(ok.as_ref().unchecked_ref(), failed.as_ref().unchecked_ref());
        }
        handlers = Some((ok, failed));
    });
    let outcome = JsFuture::from(promise).await;
    drop(handlers);
    outcome.map(|_| ())
}

async fn request_result(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let outcome = wait_for(|ok, failed| {
        request.set_onsuccess(Some(ok));
        request.set_onerror(Some(failed));
    })
    .await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    outcome.map_err(|_| type_error("IndexedDB request failed"))?;
    request.result()
}

async fn transaction_done(transaction: &IdbTransaction) -> Result<(), JsValue> {
    let outcome = wait_for(|ok, failed| {
        transaction.set_oncomplete(Some(ok));
        transaction.set_onerror(Some(failed));
        transaction.set_onabort(Some(failed));
    })
    .await;
    transaction.set_oncomplete(None);
    transaction.set_onerror(None);
    transaction.set_onabort(None);
    outcome.map_err(|_| type_error("IndexedDB write failed"))
}

pub(crate) struct Database {
    db: IdbDatabase,
}

impl Database {
    pub async fn open(name: &str) -> Result<Database, JsValue> {
        let factory = window()?
            .indexed_db()?
            .ok_or_else(|| type_error("IndexedDB is not available"))?;
        let request: IdbOpenDbRequest = factory.open_with_u32(name, 1)?;
        let upgrade = {
            let request = request.clone();
            Handler::new(move |_| {
                if let Ok(db) = request.result() {
                    let _ = db
                        .unchecked_into::<IdbDatabase>()
                        .create_object_store(STORE);
                }
            })
        };
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = request_result(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        Ok(Database {
            db: result?.dyn_into()?,
        })
    }

    pub async fn get(&self, key: &str) -> Result<JsValue, JsValue> {
        let transaction = self.db.transaction_with_str(STORE)?;
        let request = transaction.object_store(STORE)?.get(&key.into())?;
        request_result(&request).await
    }

    /// Writes every `(key, value)` in one transaction, resolved once it is committed
    /// (`durability: 'strict'`: flushed to disk, not only handed to the OS).
    pub async fn put(&self, records: &[(&str, &JsValue)]) -> Result<(), JsValue> {
        let options = Object::new();
        Reflect::set(&options, &"durability".into(), &"strict".into())?;
        // `db.transaction(store, mode, { durability })`: web-sys has the options only as an
        // unstable API; browsers without `durability` ignore the member.
        let transaction: IdbTransaction = Reflect::get(&self.db, &"transaction".into())?
            .dyn_into::<Function>()?
            .call3(&self.db, &STORE.into(), &"readwrite".into(), &options)?
            .dyn_into()?;
        let store = transaction.object_store(STORE)?;
        for (key, value) in records {
            store.put_with_key(value, &JsValue::from_str(key))?;
        }
        transaction_done(&transaction).await
    }

    pub fn close(&self) {
        self.db.close();
    }
}

// ---- AES-GCM ------------------------------------------------------------------------------------

fn subtle() -> Result<SubtleCrypto, JsValue> {
    Ok(window()?.crypto()?.subtle())
}

/// A new AES-GCM 256-bit key that can never be exported (`extractable: false`): script on the
/// page can use it while it runs, but not read it out; IndexedDB stores it as an opaque object.
pub(crate) async fn generate_key() -> Result<CryptoKey, JsValue> {
    let params = AesKeyGenParams::new("AES-GCM", 256);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = JsFuture::from(subtle()?.generate_key_with_object(&params, false, &usages)?).await?;
    key.dyn_into()
}

fn gcm_params(iv: &Uint8Array, additional_data: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new("AES-GCM", iv);
    params.set_additional_data(&Uint8Array::from(additional_data));
    params.set_tag_length(128);
    params
}

/// Encrypts with a fresh 96-bit IV from `crypto.getRandomValues`: `(iv, ciphertext and tag)`.
pub(crate) async fn encrypt(
    key: &CryptoKey,
    plaintext: &[u8],
    additional_data: &[u8],
) -> Result<(Uint8Array, ArrayBuffer), JsValue> {
    let mut iv = [0u8; 12];
    random_bytes(&mut iv)?;
    let iv = Uint8Array::from(&iv[..]);
    let params = gcm_params(&iv, additional_data);
    let data = JsFuture::from(subtle()?.encrypt_with_object_and_u8_array(&params, key, plaintext)?)
        .await?;
    Ok((iv, data.dyn_into()?))
}

/// Decrypts and authenticates (a changed byte, a wrong key or other additional data fail).
pub(crate) async fn decrypt(
    key: &CryptoKey,
    iv: &Uint8Array,
    data: &[u8],
    additional_data: &[u8],
) -> Result<Vec<u8>, JsValue> {
    let params = gcm_params(iv, additional_data);
    let plain =
        JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(&params, key, data)?).await?;
    Ok(Uint8Array::new(&plain).to_vec())
}
