//! `shiming/consent`: agreement documents and consent receipts (the data half; the DOM half is
//! `reading.rs`). Thin: JS values go through `JSON.stringify` to the core's strict parser, and
//! receipts come back as the core's canonical JSON, parsed by `JSON.parse`, so wasm and a native
//! server see the same bytes.
//!
//! Data a caller receives from elsewhere (documents from the backend, receipts) never throws: it
//! gives `{ ok: false, issues }`. Wrong argument types (a caller's bug) throw a `TypeError`.
//!
//! wasm32 only: natively the crate is empty, and a native build compiles no wasm-bindgen.
#![cfg(target_arch = "wasm32")]

// `issueMessage`: only in shiming/consent (the checks module has no room left; in the sync module
// the renderer would cost 8.5 KB, in the consent module, which renders issues already, 1.5 KB).
pub mod message;
pub mod reading;

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use shiming::consent::{
    self, Document, DocumentKind, ReadingEvidence, Receipt, ReceiptInput, Viewport,
};
use shiming::i18n::Locale;
use shiming::issue::{Code, Issue, PathSegment};
use shiming::json::Value;
use shiming::minor::AgeBand;
use shiming_js_common::dto::{issues, to_js, IssueDto};
use shiming_js_common::options::{check_options, option_value, parse_locale, range_error};
use shiming_js_common::{optional_object, type_error};

#[wasm_bindgen(typescript_custom_section)]
const TS_CONSENT: &'static str = r#"
/** An agreement document kind (PIPL Art. 14, 29, 31). */
export type DocumentKind =
  | 'service_agreement' | 'privacy_policy' | 'sensitive_pi' | 'children_privacy_rules' | 'guardian_consent';
/** An agreement document, as shown to the user. `digest`: lowercase hex SHA-256 of the UTF-8 `text`. */
export interface AgreementDocument {
  id: string;
  version: string;
  kind: DocumentKind;
  title: string;
  /** BCP 47 tag of the text, e.g. 'zh-CN'. */
  locale: string;
  text: string;
  digest: string;
  /**
   * The publisher's reading rule (强制阅读): reach the end, and keep the text visible this many whole
   * seconds (0–600). Enforced by `buildReceipt` and by the server alike. Default when absent:
   * `{ reachEnd: true, minSeconds: 0 }`.
   */
  reading?: { reachEnd: boolean; minSeconds: number };
}
/** What the reading tracker saw before acceptance. */
export interface ReadingEvidence {
  reachedEnd: boolean;
  visibleSeconds: number;
  viewport: { width: number; height: number };
  locale: string;
}
/** A consent receipt (Kantara Consent Receipt v1.1 fields that fit, plus the document and the evidence). */
export interface ConsentReceipt {
  version: 'KI-CR-v1.1.0';
  jurisdiction: string;
  /** The client's clock, Unix seconds. */
  consentTimestamp: number;
  collectionMethod: string;
  consentReceiptID: string;
  language: string;
  /** A reference to the person (a salted hash, a server id): never an ID or phone number. */
  piiPrincipalId: string;
  guardianId: string | null;
  sensitive: boolean;
  spiCat: string[];
  consentKind: 'explicit' | 'separate' | 'guardian' | 'withdrawal';
  document: { id: string; version: string; kind: DocumentKind; digest: string };
  reading: ReadingEvidence | null;
  withdraws: string | null;
  sequence: number;
  idempotencyKey: string;
  /** The server's clock on sync, Unix seconds. */
  serverTimestamp: number | null;
  /** SHA-256 of the RFC 8785 canonical JSON of every other member but serverSignature. */
  digest: string;
  /** The server's Ed25519 countersignature once it accepted the receipt (absent or null before). */
  serverSignature?: { alg: 'Ed25519'; keyId: string; value: string } | null;
}
/** What the caller supplies to build a receipt; the rest comes from the document (and the tracker). */
export interface ReceiptInput {
  /** A reference to the person: a salted hash or the server's subject id, never an ID number. */
  subject: string;
  /** Orders the receipts of one subject: 1, 2, 3… */
  sequence: number;
  /** Default: a random UUID. */
  receiptId?: string;
  /** Default: a random UUID. */
  idempotencyKey?: string;
  /** Unix seconds. Default: this device's clock (the server adds its own on sync). */
  clientTime?: number;
  /** Required for guardian consent: a reference to the guardian. */
  guardian?: string | null;
  /** Default 'CN'. */
  jurisdiction?: string;
  /** Default 'web_form'. */
  collectionMethod?: string;
  /** Required to accept (ConsentGate.receipt fills it in); ignored for a withdrawal. */
  reading?: ReadingEvidence;
}
/** Options of the consent functions. */
export interface ConsentOptions {
  /** Message language. Default 'zh-CN'. */
  locale?: Locale;
}
export type DocumentResult = { ok: true; document: AgreementDocument } | { ok: false; issues: Issue[] };
export type ReceiptResult = { ok: true; receipt: ConsentReceipt } | { ok: false; issues: Issue[] };
/** One document to accept (again), and why. */
export interface Reconsent {
  documentId: string;
  version: string;
  kind: DocumentKind;
  reason: 'never_accepted' | 'new_version' | 'withdrawn';
  issue: Issue;
}
export type ReconsentResult = { ok: true; reconsent: Reconsent[] } | { ok: false; issues: Issue[] };
"#;

/// `options.locale`, the only option of the functions that take `ConsentOptions`.
fn locale_of(options: JsValue) -> Result<Locale, JsValue> {
    let options = optional_object(options);
    check_options(options.as_ref(), "", "locale")?;
    parse_locale(&option_value(options.as_ref(), "locale")?)
}

/// A JS value as JSON text: a string is taken as JSON text, anything else is `JSON.stringify`d.
/// `None` if it cannot be (a cycle, a BigInt, `undefined`, a function).
fn json_text(value: &JsValue) -> Option<String> {
    if let Some(text) = value.as_string() {
        return Some(text);
    }
    JSON::stringify(value).ok()?.as_string()
}

fn failure(list: &[Issue], locale: Locale) -> Result<JsValue, JsValue> {
    #[derive(serde::Serialize)]
    struct Failure<'a> {
        ok: bool,
        issues: Vec<IssueDto<'a>>,
    }
    to_js(&Failure {
        ok: false,
        issues: issues(list, locale),
    })
}

/// `{ ok: true, <name>: JSON.parse(json) }`.
fn success(name: &str, json: &str) -> Result<JsValue, JsValue> {
    let out = Object::new();
    Reflect::set(&out, &"ok".into(), &JsValue::TRUE)?;
    Reflect::set(&out, &name.into(), &JSON::parse(json)?)?;
    Ok(out.into())
}

fn prefixed(list: Vec<Issue>, name: &'static str, index: usize) -> Vec<Issue> {
    list.into_iter()
        .map(|i| i.at(PathSegment::Index(index)).at(PathSegment::Key(name)))
        .collect()
}

/// The documents of a JS array (objects or JSON texts), each checked; issues at `[name, i, …]`.
pub(crate) fn documents_from(
    value: &JsValue,
    name: &'static str,
) -> Result<Vec<Document>, Vec<Issue>> {
    let not_array = || vec![Issue::new(Code::ConsentInvalidJson).at(PathSegment::Key(name))];
    if !Array::is_array(value) {
        return Err(not_array());
    }
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in Array::unchecked_from_js_ref(value).iter().enumerate() {
        match document_from(&item) {
            Ok(d) => documents.push(d),
            Err(list) => problems.extend(prefixed(list, name, i)),
        }
    }
    if problems.is_empty() {
        Ok(documents)
    } else {
        Err(problems)
    }
}

fn document_from(value: &JsValue) -> Result<Document, Vec<Issue>> {
    let text = json_text(value).ok_or_else(|| vec![Issue::new(Code::ConsentInvalidJson)])?;
    Document::from_json(&text)
}

pub(crate) fn document_json(document: &Document) -> String {
    let mut members: Vec<(String, Value)> = [
        ("id", &document.id),
        ("version", &document.version),
        ("kind", &document.kind.as_str().to_string()),
        ("title", &document.title),
        ("locale", &document.locale),
        ("text", &document.text),
        ("digest", &document.digest),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
    .collect();
    members.push((
        "reading".into(),
        consent::document::reading_rule_value(&document.reading),
    ));
    let value = Value::Object(members);
    shiming::__internal::canonicalize(&value).unwrap_or_default()
}

/// SHA-256 (lowercase hex) of the UTF-8 bytes of `text`, as a document's `digest`. A lone UTF-16
/// surrogate, which has no UTF-8 form, is taken as U+FFFD (as `TextEncoder` does).
#[wasm_bindgen(js_name = documentDigest)]
pub fn document_digest_js(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<String, JsValue> {
    let text = text
        .as_string()
        .ok_or_else(|| type_error("documentDigest(text) takes a string"))?;
    Ok(shiming::__internal::sha256_hex(text.as_bytes()))
}

/// Makes a document from your own text: `{ id, version, kind, title, locale, text }` → the same
/// with its `digest`. Invalid fields throw (this is the publisher's side; documents received from
/// elsewhere go through `checkDocument`).
#[wasm_bindgen(js_name = makeDocument, unchecked_return_type = "AgreementDocument")]
pub fn make_document_js(
    #[wasm_bindgen(unchecked_param_type = "Omit<AgreementDocument, 'digest'>")] fields: JsValue,
) -> Result<JsValue, JsValue> {
    if !fields.is_object() || Array::is_array(&fields) {
        return Err(type_error(
            "makeDocument(fields) takes { id, version, kind, title, locale, text }",
        ));
    }
    let get = |key: &str| -> Result<String, JsValue> {
        Reflect::get(&fields, &key.into())?
            .as_string()
            .ok_or_else(|| type_error(&format!("makeDocument: {key} must be a string")))
    };
    let kind_name = get("kind")?;
    let kind = DocumentKind::parse(&kind_name)
        .ok_or_else(|| range_error("makeDocument: kind must be a DocumentKind"))?;
    let document = Document::new(
        &get("id")?,
        &get("version")?,
        kind,
        &get("title")?,
        &get("locale")?,
        &get("text")?,
    );
    if let Err(list) = document.check() {
        let names: Vec<String> = list
            .iter()
            .filter_map(|i| match i.path.first() {
                Some(PathSegment::Key(k)) => Some((*k).to_string()),
                _ => None,
            })
            .collect();
        return Err(range_error(&format!(
            "makeDocument: invalid {} (labels: 1 to 200 characters without control characters; \
             locale: a BCP 47 tag; text: not blank, at most 256 KiB)",
            names.join(", ")
        )));
    }
    JSON::parse(&document_json(&document))
}

/// Checks a document received from elsewhere (e.g. the backend's policy endpoint): every field,
/// and that its text matches its digest. Never throws on the document.
#[wasm_bindgen(js_name = checkDocument, unchecked_return_type = "DocumentResult")]
pub fn check_document_js(
    #[wasm_bindgen(unchecked_param_type = "unknown")] document: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    match document_from(&document) {
        Ok(d) => success("document", &document_json(&d)),
        Err(list) => failure(&list, locale),
    }
}

/// The document kinds a user of this age band must accept, each separately, in order: everyone
/// the service agreement, the privacy policy and separate consent for the ID number; under 14
/// also the children's rules and the guardian's consent.
#[wasm_bindgen(js_name = requiredDocuments, unchecked_return_type = "DocumentKind[]")]
pub fn required_documents_js(
    #[wasm_bindgen(unchecked_param_type = "AgeBand")] band: JsValue,
) -> Result<Array, JsValue> {
    let name = band
        .as_string()
        .ok_or_else(|| type_error("requiredDocuments(band) takes an AgeBand string"))?;
    let band = AgeBand::parse(&name).ok_or_else(|| {
        range_error("requiredDocuments: band must be one of the AgeBand names (see ageBand)")
    })?;
    Ok(consent::required_documents(band)
        .iter()
        .map(|k| JsValue::from_str(k.as_str()))
        .collect())
}

/// Reads a `ReceiptInput`. Wrong types throw; values are checked when the receipt is sealed.
fn receipt_input(input: &JsValue, needs_reading: bool) -> Result<ReceiptInput, JsValue> {
    if !input.is_object() || Array::is_array(input) {
        return Err(type_error(
            "the receipt input must be an object { subject, sequence, ... }",
        ));
    }
    let get = |key: &str| Reflect::get(input, &key.into());
    let string = |key: &str, default: Option<String>| -> Result<String, JsValue> {
        let v = get(key)?;
        if v.is_undefined() || v.is_null() {
            return default.ok_or_else(|| type_error(&format!("input.{key} is required")));
        }
        v.as_string()
            .ok_or_else(|| type_error(&format!("input.{key} must be a string")))
    };
    let whole = |v: &JsValue, key: &str| -> Result<f64, JsValue> {
        match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n) => Ok(n),
            _ => Err(type_error(&format!(
                "input.{key} must be a whole number from 0 to 2^53 - 1"
            ))),
        }
    };
    let sequence = whole(&get("sequence")?, "sequence")?;
    let client_time = {
        let v = get("clientTime")?;
        if v.is_undefined() || v.is_null() {
            (js_sys::Date::now() / 1000.0).floor()
        } else {
            whole(&v, "clientTime")?
        }
    };
    let guardian = {
        let v = get("guardian")?;
        if v.is_undefined() || v.is_null() {
            None
        } else {
            Some(
                v.as_string()
                    .ok_or_else(|| type_error("input.guardian must be a string or null"))?,
            )
        }
    };
    let reading = {
        let v = get("reading")?;
        if v.is_undefined() || v.is_null() {
            if needs_reading {
                return Err(type_error(
                    "input.reading is required to accept (ConsentGate.receipt fills it in)",
                ));
            }
            None
        } else {
            Some(reading_from(&v)?)
        }
    };
    // Whole numbers within 2^53 (checked above): the casts are exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Ok(ReceiptInput {
        receipt_id: string("receiptId", Some(random_uuid()))?,
        jurisdiction: string("jurisdiction", Some("CN".into()))?,
        collection_method: string("collectionMethod", Some("web_form".into()))?,
        subject: string("subject", None)?,
        guardian,
        reading,
        sequence: sequence as u64,
        idempotency_key: string("idempotencyKey", Some(random_uuid()))?,
        client_time: client_time as i64,
    })
}

fn reading_from(v: &JsValue) -> Result<ReadingEvidence, JsValue> {
    let bad = || {
        type_error(
            "input.reading must be { reachedEnd: boolean, visibleSeconds, viewport: { width, height }, locale }",
        )
    };
    let get = |o: &JsValue, key: &str| Reflect::get(o, &key.into()).map_err(|_| bad());
    let count = |n: JsValue| -> Result<u32, JsValue> {
        match n.as_f64() {
            // A whole number within u32: the cast is exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Some(x) if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x) => Ok(x as u32),
            _ => Err(bad()),
        }
    };
    if !v.is_object() {
        return Err(bad());
    }
    let viewport = get(v, "viewport")?;
    if !viewport.is_object() {
        return Err(bad());
    }
    Ok(ReadingEvidence {
        reached_end: get(v, "reachedEnd")?.as_bool().ok_or_else(bad)?,
        visible_seconds: count(get(v, "visibleSeconds")?)?,
        viewport: Viewport {
            width: count(get(&viewport, "width")?)?,
            height: count(get(&viewport, "height")?)?,
        },
        locale: get(v, "locale")?.as_string().ok_or_else(bad)?,
    })
}

#[wasm_bindgen]
extern "C" {
    /// `crypto.randomUUID()` (Node 19+, browsers in secure contexts).
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID, catch)]
    fn crypto_random_uuid() -> Result<String, JsValue>;
}

/// A time-ordered UUID ([`shiming::token::uuid_v7`], this device's clock) from a random UUID from
/// WebCrypto, or where there is none (an insecure context) 122 bits from `Math.random` (receipt
/// ids need to be unique, not secret).
fn random_uuid() -> String {
    let random = crypto_random_uuid().unwrap_or_else(|_| {
        let mut hex = String::with_capacity(36);
        for i in 0..32u32 {
            let nibble = match i {
                // 0..16 from Math.random (in [0, 1)): the cast is exact.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                16 => ((js_sys::Math::random() * 4.0) as u32) | 8,
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                _ => (js_sys::Math::random() * 16.0) as u32,
            };
            if matches!(i, 8 | 12 | 16 | 20) {
                hex.push('-');
            }
            hex.push(char::from_digit(nibble.min(15), 16).unwrap_or('0'));
        }
        hex
    });
    // Unix milliseconds, positive and within 2^53: the cast is exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let now_ms = js_sys::Date::now().max(0.0) as u64;
    shiming::token::uuid_v7(now_ms, &random).unwrap_or(random)
}

pub(crate) fn receipt_result(
    built: Result<Receipt, Vec<Issue>>,
    locale: Locale,
) -> Result<JsValue, JsValue> {
    match built {
        Ok(receipt) => success("receipt", &receipt.to_json()),
        Err(list) => failure(&list, locale),
    }
}

/// Builds the receipt of accepting `document` from an explicit input (its `reading` included).
/// In a browser, `ConsentGate.receipt` is the usual way: it adds the reading evidence and refuses
/// an acceptance the user did not give.
#[wasm_bindgen(js_name = buildReceipt, unchecked_return_type = "ReceiptResult")]
pub fn build_receipt_js(
    #[wasm_bindgen(unchecked_param_type = "AgreementDocument")] document: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReceiptInput")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    let input = receipt_input(&input, true)?;
    let document = match document_from(&document) {
        Ok(d) => d,
        Err(list) => return failure(&prefixed_key(list, "document"), locale),
    };
    receipt_result(consent::build_receipt(&document, &input), locale)
}

/// The receipt of accepting `document` with the tracker's evidence (for `ConsentGate.receipt`).
pub(crate) fn build_with_reading(
    document: &JsValue,
    input: &JsValue,
    reading: ReadingEvidence,
    locale: Locale,
) -> Result<JsValue, JsValue> {
    let mut input = receipt_input(input, false)?;
    input.reading = Some(reading);
    let document = match document_from(document) {
        Ok(d) => d,
        Err(list) => return failure(&prefixed_key(list, "document"), locale),
    };
    receipt_result(consent::build_receipt(&document, &input), locale)
}

fn prefixed_key(list: Vec<Issue>, name: &'static str) -> Vec<Issue> {
    list.into_iter()
        .map(|i| i.at(PathSegment::Key(name)))
        .collect()
}

/// Parses a receipt (object or JSON text) with its shape and own digest checked.
fn receipt_from(value: &JsValue) -> Result<Receipt, Vec<Issue>> {
    let text = json_text(value).ok_or_else(|| vec![Issue::new(Code::ConsentInvalidJson)])?;
    consent::parse_receipt(&text)
}

/// Builds the receipt withdrawing `receipt` (PIPL Art. 15): same subject and document, pointing
/// at it. `documents` must hold the withdrawn receipt's document version.
#[wasm_bindgen(js_name = buildWithdrawal, unchecked_return_type = "ReceiptResult")]
pub fn build_withdrawal_js(
    #[wasm_bindgen(unchecked_param_type = "ConsentReceipt | string")] receipt: JsValue,
    #[wasm_bindgen(
        unchecked_param_type = "Omit<ReceiptInput, 'subject' | 'reading'> & { subject?: string }"
    )]
    input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AgreementDocument[]")] documents: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    let withdrawn = match receipt_from(&receipt) {
        Ok(r) => r,
        Err(list) => return failure(&prefixed_key(list, "receipt"), locale),
    };
    // The subject is the withdrawn receipt's: default it so callers need not repeat it.
    if input.is_object() && Reflect::get(&input, &"subject".into())?.is_undefined() {
        let copy = Object::assign(&Object::new(), Object::unchecked_from_js_ref(&input));
        Reflect::set(&copy, &"subject".into(), &withdrawn.subject.as_str().into())?;
        return build_withdrawal_with(&withdrawn, &copy.into(), &documents, locale);
    }
    build_withdrawal_with(&withdrawn, &input, &documents, locale)
}

fn build_withdrawal_with(
    withdrawn: &Receipt,
    input: &JsValue,
    documents: &JsValue,
    locale: Locale,
) -> Result<JsValue, JsValue> {
    let input = receipt_input(input, false)?;
    let documents = match documents_from(documents, "documents") {
        Ok(d) => d,
        Err(list) => return failure(&list, locale),
    };
    receipt_result(
        consent::build_withdrawal(withdrawn, &input, &documents),
        locale,
    )
}

/// Verifies a receipt (object or JSON text) against the documents it may name: its shape, its own
/// digest (any field changed fails), the document's id, version, kind and digest. Never throws on
/// the receipt or the documents.
#[wasm_bindgen(js_name = verifyReceipt, unchecked_return_type = "ReceiptResult")]
pub fn verify_receipt_js(
    #[wasm_bindgen(unchecked_param_type = "unknown")] receipt: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AgreementDocument[]")] documents: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    let documents = match documents_from(&documents, "documents") {
        Ok(d) => d,
        Err(list) => return failure(&list, locale),
    };
    let Some(text) = json_text(&receipt) else {
        return failure(&[Issue::new(Code::ConsentInvalidJson)], locale);
    };
    receipt_result(consent::verify_receipt(&text, &documents), locale)
}

#[wasm_bindgen(inline_js = r#"
export function ed25519Verify(publicKey, signature, payload, ok, invalid, unsupported) {
  // Copies: the views point into the module's memory, which the awaits below may outlive.
  const [key, sig, data] = [publicKey, signature, payload].map((bytes) => bytes.slice());
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return Promise.resolve(unsupported);
  return subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify']).then(
    (k) => subtle.verify({ name: 'Ed25519' }, k, sig, data).then((good) => (good ? ok : invalid), () => invalid),
    (e) => (e && e.name === 'NotSupportedError' ? unsupported : invalid),
  );
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = ed25519Verify)]
    fn ed25519_verify(
        public_key: &[u8],
        signature: &[u8],
        payload: &[u8],
        ok: &JsValue,
        invalid: &JsValue,
        unsupported: &JsValue,
    ) -> js_sys::Promise;
}

/// The keys of a `GET /policy` answer's `signingKeys`: `[{ keyId, alg: 'Ed25519', publicKey }]`.
fn verifying_keys_from(value: &JsValue) -> Result<Vec<consent::VerifyingKey>, JsValue> {
    let shape = || {
        type_error(
            "verifyReceiptSignature: signingKeys is an array of { keyId, alg: 'Ed25519', publicKey (base64url of 32 bytes) }",
        )
    };
    if !Array::is_array(value) {
        return Err(shape());
    }
    let mut keys = Vec::new();
    for item in Array::unchecked_from_js_ref(value).iter() {
        let get = |k: &str| {
            Reflect::get(&item, &k.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let (Some(key_id), Some(alg), Some(public)) = (get("keyId"), get("alg"), get("publicKey"))
        else {
            return Err(shape());
        };
        if alg != consent::receipt::SIGNATURE_ALG {
            continue; // a key of another algorithm verifies nothing here
        }
        let public_key: [u8; 32] = consent::receipt::from_base64url(&public)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(shape)?;
        keys.push(consent::VerifyingKey { key_id, public_key });
    }
    Ok(keys)
}

/// Checks a receipt's server countersignature (Ed25519 over the canonical receipt without
/// `serverSignature`) against a key set, as a `GET /policy` answer's `signingKeys` lists them.
/// Resolves to `{ ok: true, receipt }`, or `{ ok: false, issues }` with
/// `consent_signature_missing`, `consent_signature_key_unknown`, `consent_signature_invalid`
/// (changed after signing), `consent_signature_unsupported` (no Ed25519 in this WebCrypto), or the
/// receipt's own shape and digest issues. The signature is checked with WebCrypto (`crypto.subtle`,
/// Ed25519: Node 20+, Chromium 137+, Firefox 129+, Safari 17+); the payload and every other rule
/// come from the core. It does not check the document: use `verifyReceipt` for that.
#[wasm_bindgen(js_name = verifyReceiptSignature, unchecked_return_type = "Promise<ReceiptResult>")]
pub fn verify_receipt_signature_js(
    #[wasm_bindgen(unchecked_param_type = "ConsentReceipt | string")] receipt: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ keyId: string; alg: string; publicKey: string }[]")]
    signing_keys: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<js_sys::Promise, JsValue> {
    let locale = locale_of(options)?;
    let keys = verifying_keys_from(&signing_keys)?;
    let resolve = |v: Result<JsValue, JsValue>| v.map(|v| js_sys::Promise::resolve(&v));
    let Some(text) = json_text(&receipt) else {
        return resolve(failure(&[Issue::new(Code::ConsentInvalidJson)], locale));
    };
    let parsed = match consent::parse_receipt(&text) {
        Ok(r) => r,
        Err(list) => return resolve(failure(&list, locale)),
    };
    let check = match parsed.signature_check(&keys) {
        Ok(check) => check,
        Err(issue) => return resolve(failure(&[issue], locale)),
    };
    let ok = success("receipt", &parsed.to_json())?;
    let invalid = failure(
        &[Issue::new(Code::ConsentSignatureInvalid)
            .at(PathSegment::Key("serverSignature"))
            .at(PathSegment::Key("value"))],
        locale,
    )?;
    let unsupported = failure(&[Issue::new(Code::ConsentSignatureUnsupported)], locale)?;
    Ok(ed25519_verify(
        &check.public_key,
        &check.signature,
        check.payload.as_bytes(),
        &ok,
        &invalid,
        &unsupported,
    ))
}

/// The `guardianId` of a minor's receipts: a salted commitment to the guardian's document
/// (`identityKey` of the checks module, `salt` 22–64 base64url characters of random bytes the page
/// draws and sends with the guardian's details). See `docs/protocol.md` 4.3.
#[wasm_bindgen(js_name = guardianReference)]
pub fn guardian_reference_js(
    #[wasm_bindgen(unchecked_param_type = "string")] identity_key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] salt: JsValue,
) -> Result<String, JsValue> {
    let (Some(identity_key), Some(salt)) = (identity_key.as_string(), salt.as_string()) else {
        return Err(type_error(
            "guardianReference(identityKey, salt) takes two strings",
        ));
    };
    consent::receipt::guardian_reference(&identity_key, &salt).ok_or_else(|| {
        range_error(
            "guardianReference: identityKey must not be empty and salt must be 22 to 64 base64url characters (at least 16 random bytes)",
        )
    })
}

/// The server's part on sync: records its time (Unix seconds) and recomputes the digest.
#[wasm_bindgen(js_name = syncReceipt, unchecked_return_type = "ReceiptResult")]
pub fn sync_receipt_js(
    #[wasm_bindgen(unchecked_param_type = "ConsentReceipt | string")] receipt: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] server_time: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    let seconds = match server_time.as_f64() {
        // A whole number within 2^53: the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => n as i64,
        _ => {
            return Err(type_error(
                "syncReceipt: serverTime must be whole Unix seconds",
            ))
        }
    };
    let receipt = match receipt_from(&receipt) {
        Ok(r) => r,
        Err(list) => return failure(&prefixed_key(list, "receipt"), locale),
    };
    receipt_result(
        consent::sync_receipt(&receipt, seconds).map_err(|i| vec![i]),
        locale,
    )
}

/// What one subject must accept (again) among the current documents, given their receipts
/// (of any version: each is checked for its shape and own digest, not against `documents`), and
/// why: never accepted, a new version (PIPL Art. 14), or withdrawn.
#[wasm_bindgen(js_name = needsReconsent, unchecked_return_type = "ReconsentResult")]
pub fn needs_reconsent_js(
    #[wasm_bindgen(unchecked_param_type = "(ConsentReceipt | string)[]")] receipts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AgreementDocument[]")] documents: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ConsentOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let locale = locale_of(options)?;
    let documents = match documents_from(&documents, "documents") {
        Ok(d) => d,
        Err(list) => return failure(&list, locale),
    };
    if !Array::is_array(&receipts) {
        return failure(
            &[Issue::new(Code::ConsentInvalidJson).at(PathSegment::Key("receipts"))],
            locale,
        );
    }
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (i, item) in Array::unchecked_from_js_ref(&receipts).iter().enumerate() {
        match receipt_from(&item) {
            Ok(r) => parsed.push(r),
            Err(list) => problems.extend(prefixed(list, "receipts", i)),
        }
    }
    if !problems.is_empty() {
        return failure(&problems, locale);
    }
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ReconsentDto<'a> {
        document_id: &'a str,
        version: &'a str,
        kind: &'static str,
        reason: &'static str,
        issue: IssueDto<'a>,
    }
    #[derive(serde::Serialize)]
    struct Out<'a> {
        ok: bool,
        reconsent: Vec<ReconsentDto<'a>>,
    }
    let list = consent::needs_reconsent(&parsed, &documents);
    let issue_list: Vec<Issue> = list.iter().map(|r| r.issue()).collect();
    let mut rendered = issues(&issue_list, locale).into_iter();
    let reconsent = list
        .iter()
        .zip(rendered.by_ref())
        .map(|(r, issue)| ReconsentDto {
            document_id: &r.document_id,
            version: &r.version,
            kind: r.kind.as_str(),
            reason: r.reason.as_str(),
            issue,
        })
        .collect();
    to_js(&Out {
        ok: true,
        reconsent,
    })
}
