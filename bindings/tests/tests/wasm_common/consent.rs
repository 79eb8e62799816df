//! `shiming/consent` through its JS API (documents, receipts, re-consent), in Node and Chromium.

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::get;
use shiming_consent_js as c;

pub fn doc(id: &str, version: &str, kind: &str, text: &str) -> JsValue {
    let fields = Object::new();
    for (k, v) in [
        ("id", id),
        ("version", version),
        ("kind", kind),
        ("title", "协议"),
        ("locale", "zh-CN"),
        ("text", text),
    ] {
        Reflect::set(&fields, &k.into(), &v.into()).unwrap();
    }
    c::make_document_js(fields.into()).unwrap()
}

pub fn input(subject: &str, sequence: u32) -> Object {
    let o = Object::new();
    Reflect::set(&o, &"subject".into(), &subject.into()).unwrap();
    Reflect::set(&o, &"sequence".into(), &sequence.into()).unwrap();
    Reflect::set(&o, &"clientTime".into(), &1_764_374_400.0.into()).unwrap();
    o
}

pub fn reading() -> JsValue {
    JSON::parse(r#"{"reachedEnd":true,"visibleSeconds":12,"viewport":{"width":390,"height":844},"locale":"zh-CN"}"#).unwrap()
}

fn codes(result: &JsValue) -> Vec<String> {
    Array::from(&get(result, "issues"))
        .iter()
        .map(|i| get(&i, "code").as_string().unwrap())
        .collect()
}

/// Digests, building, verifying, tampering, withdrawal and re-consent through the exports; the
/// digest of a non-BMP text equals the native one (tests/consent.rs has the same value).
pub fn consent_js_api() {
    let text = "𠀀 😀 用户协议 é";
    assert_eq!(
        c::document_digest_js(text.into()).unwrap(),
        "ae0492e25c908ec91ab20a37293c8d6bf8b39a5d1c542542f44f939f6d5d23c7"
    );
    let v1 = doc("privacy", "1", "privacy_policy", text);
    assert_eq!(
        get(&v1, "digest"),
        "ae0492e25c908ec91ab20a37293c8d6bf8b39a5d1c542542f44f939f6d5d23c7"
    );
    assert!(
        c::document_digest_js(JsValue::from(3)).is_err(),
        "TypeError"
    );
    assert_eq!(
        Array::from(&c::required_documents_js("12_to_14".into()).unwrap()).length(),
        5
    );
    assert!(
        c::required_documents_js("teen".into()).is_err(),
        "RangeError"
    );

    // A received document whose text does not match its digest is refused.
    let forged = Object::assign(&Object::new(), v1.unchecked_ref());
    Reflect::set(&forged, &"text".into(), &"别的文本".into()).unwrap();
    let checked = c::check_document_js(forged.clone().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(codes(&checked), ["consent_document_digest_mismatch"]);

    let inp = input("reg:7f3a", 1);
    Reflect::set(&inp, &"reading".into(), &reading()).unwrap();
    let built = c::build_receipt_js(v1.clone(), inp.clone().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&built, "ok"), JsValue::TRUE);
    let receipt = get(&built, "receipt");
    assert_eq!(get(&receipt, "consentKind"), "explicit");
    assert_eq!(get(&get(&receipt, "reading"), "visibleSeconds"), 12);
    let docs = Array::of1(&v1);
    let ok =
        c::verify_receipt_js(receipt.clone(), docs.clone().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(get(&ok, "ok"), JsValue::TRUE);
    // The JSON text verifies the same; any field changed fails.
    let text_form = JSON::stringify(&receipt).unwrap();
    assert_eq!(
        get(
            &c::verify_receipt_js(text_form.into(), docs.clone().into(), JsValue::UNDEFINED)
                .unwrap(),
            "ok"
        ),
        JsValue::TRUE
    );
    let tampered = Object::assign(&Object::new(), receipt.unchecked_ref());
    Reflect::set(&tampered, &"sequence".into(), &2.into()).unwrap();
    let bad =
        c::verify_receipt_js(tampered.into(), docs.clone().into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(codes(&bad), ["consent_receipt_digest_mismatch"]);
    // A document list with a forged document: the issue says which.
    let bad_docs = c::verify_receipt_js(
        receipt.clone(),
        Array::of1(&forged).into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(codes(&bad_docs), ["consent_document_digest_mismatch"]);
    let path = Array::from(&get(&Array::from(&get(&bad_docs, "issues")).get(0), "path"));
    assert_eq!(path.get(0), "documents");
    assert_eq!(path.get(1), 0);
    // Garbage never throws.
    for junk in [
        JsValue::NULL,
        JsValue::from(5),
        "{".into(),
        Object::new().into(),
    ] {
        let r = c::verify_receipt_js(junk, docs.clone().into(), JsValue::UNDEFINED).unwrap();
        assert_eq!(get(&r, "ok"), JsValue::FALSE);
    }

    // Re-consent: version 2 is current; withdrawal; accepting again.
    let v2 = doc("privacy", "2", "privacy_policy", "第二版");
    let current = Array::of1(&v2);
    let r = c::needs_reconsent_js(
        Array::of1(&receipt).into(),
        current.clone().into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let list = Array::from(&get(&r, "reconsent"));
    assert_eq!(list.length(), 1);
    assert_eq!(get(&list.get(0), "reason"), "new_version");
    assert_eq!(
        get(&get(&list.get(0), "issue"), "code"),
        "consent_required_new_version"
    );

    let w = c::build_withdrawal_js(
        receipt.clone(),
        input("reg:7f3a", 2).into(),
        docs.clone().into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&w, "ok"), JsValue::TRUE, "{:?}", codes(&w));
    let withdrawal = get(&w, "receipt");
    assert_eq!(
        get(&withdrawal, "withdraws"),
        get(&receipt, "consentReceiptID")
    );
    let r = c::needs_reconsent_js(
        Array::of2(&receipt, &withdrawal).into(),
        docs.clone().into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(
        get(&Array::from(&get(&r, "reconsent")).get(0), "reason"),
        "withdrawn"
    );
    let again_input = input("reg:7f3a", 3);
    Reflect::set(&again_input, &"reading".into(), &reading()).unwrap();
    let again = get(
        &c::build_receipt_js(v1.clone(), again_input.into(), JsValue::UNDEFINED).unwrap(),
        "receipt",
    );
    let r = c::needs_reconsent_js(
        Array::of3(&receipt, &withdrawal, &again).into(),
        docs.into(),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(
        Array::from(&get(&r, "reconsent")).length(),
        0,
        "accepted again after withdrawing"
    );

    // The server's time on sync changes the digest, and the synced receipt still verifies.
    let synced = get(
        &c::sync_receipt_js(
            receipt.clone(),
            JsValue::from(1_764_374_460.0),
            JsValue::UNDEFINED,
        )
        .unwrap(),
        "receipt",
    );
    assert_eq!(get(&synced, "serverTimestamp"), 1_764_374_460.0);
    assert_ne!(get(&synced, "digest"), get(&receipt, "digest"));
    assert_eq!(
        get(
            &c::verify_receipt_js(synced, Array::of1(&v1).into(), JsValue::UNDEFINED).unwrap(),
            "ok"
        ),
        JsValue::TRUE
    );

    // An ID number as the subject is refused (personal data never goes into a receipt).
    let pii = input("11010519491231002X", 1);
    Reflect::set(&pii, &"reading".into(), &reading()).unwrap();
    let refused = c::build_receipt_js(v1, pii.into(), JsValue::UNDEFINED).unwrap();
    assert!(codes(&refused).contains(&"consent_subject_looks_like_id".to_string()));
}
