//! Consent: agreement
//! documents, consent receipts (build, verify, tamper, withdraw, re-consent), and properties.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
// The crate's JSON parser and RFC 8785 writer, to tamper with receipts (not part of the API).
use shiming::__internal::{canonicalize, canonicalize_text, parse, sha256_hex};
use shiming::consent::{
    build_receipt, build_withdrawal, needs_reconsent, required_documents, sync_receipt,
    verify_receipt, ConsentKind, Document, DocumentKind, ReadingEvidence, ReadingRequirement,
    Receipt, ReceiptInput, ReconsentReason, Viewport,
};
use shiming::json::Value;
use shiming::token::looks_like_personal_number;
use shiming::{AgeBand, Code, Issue, Locale, PathSegment};

// ---------------------------------------------------------------- SHA-256 (the digest of a document)

#[test]
fn digest_of_non_bmp_text() {
    // Expected from coreutils `sha256sum` over the UTF-8 bytes: the same in wasm (the same code).
    let text = "𠀀 😀 用户协议 é";
    let expected = "ae0492e25c908ec91ab20a37293c8d6bf8b39a5d1c542542f44f939f6d5d23c7";
    let document = Document::new(
        "terms",
        "1",
        DocumentKind::ServiceAgreement,
        "协议",
        "zh-CN",
        text,
    );
    assert_eq!(document.digest, expected);
    assert_eq!(document.check(), Ok(()));
}

// ---------------------------------------------------------------- documents

fn doc(id: &str, version: &str, kind: DocumentKind) -> Document {
    Document::new(
        id,
        version,
        kind,
        "标题",
        "zh-CN",
        &format!("{id} 第 {version} 版全文 𠀀😀"),
    )
}

fn current_documents() -> Vec<Document> {
    vec![
        doc("terms", "1", DocumentKind::ServiceAgreement),
        doc("privacy", "1", DocumentKind::PrivacyPolicy),
        doc("id-number", "1", DocumentKind::SensitivePi),
        doc("children", "1", DocumentKind::ChildrenPrivacyRules),
        doc("guardian", "1", DocumentKind::GuardianConsent),
    ]
}

#[test]
fn required_documents_by_age_band() {
    let everyone = [
        DocumentKind::ServiceAgreement,
        DocumentKind::PrivacyPolicy,
        DocumentKind::SensitivePi,
    ];
    for band in AgeBand::ALL {
        let required = required_documents(band);
        assert_eq!(&required[..3], &everyone, "{band:?}");
        let under_14 = band.ages().1.is_some_and(|end| end <= 14);
        assert_eq!(required.len(), if under_14 { 5 } else { 3 }, "{band:?}");
    }
    assert!(required_documents(AgeBand::From12To14).contains(&DocumentKind::GuardianConsent));
    assert!(!required_documents(AgeBand::From14To16).contains(&DocumentKind::GuardianConsent));
}

#[test]
fn a_document_whose_text_does_not_match_its_digest_is_refused() {
    let mut document = doc("terms", "1", DocumentKind::ServiceAgreement);
    document.text.push(' ');
    let issues = document.check().unwrap_err();
    assert_eq!(issues[0].code, Code::ConsentDocumentDigestMismatch);
    assert_eq!(issues[0].path, vec![PathSegment::Key("digest")]);

    let good = doc("terms", "1", DocumentKind::ServiceAgreement);
    let json = format!(
        r#"{{"id":"terms","version":"1","kind":"service_agreement","title":"标题","locale":"zh-CN","text":"{}","digest":"{}"}}"#,
        good.text, good.digest
    );
    assert_eq!(Document::from_json(&json), Ok(good.clone()));
    let tampered = json.replace("全文", "全部");
    assert_eq!(
        Document::from_json(&tampered).unwrap_err()[0].code,
        Code::ConsentDocumentDigestMismatch
    );
    let codes = |j: &str| -> Vec<Code> {
        Document::from_json(j)
            .unwrap_err()
            .iter()
            .map(|i| i.code)
            .collect()
    };
    assert_eq!(
        codes(&json.replace("service_agreement", "eula")),
        [Code::ConsentFieldInvalid]
    );
    assert_eq!(
        codes(&json.replace("\"title\"", "\"extra\"")),
        [Code::ConsentFieldInvalid, Code::ConsentFieldMissing]
    );
    assert_eq!(codes("[]"), [Code::ConsentInvalidJson]);
}

// ---------------------------------------------------------------- receipts

fn input(sequence: u64) -> ReceiptInput {
    ReceiptInput {
        receipt_id: format!("receipt-{sequence:04}"),
        jurisdiction: "CN".into(),
        collection_method: "web_form".into(),
        subject: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        guardian: None,
        reading: Some(ReadingEvidence {
            reached_end: true,
            visible_seconds: 42,
            viewport: Viewport {
                width: 390,
                height: 844,
            },
            locale: "zh-CN".into(),
        }),
        sequence,
        idempotency_key: format!("idem-{sequence:08}"),
        client_time: 1_764_374_400 + sequence as i64,
    }
}

fn codes(issues: &[Issue]) -> Vec<Code> {
    issues.iter().map(|i| i.code).collect()
}

/// Recomputes the digest of a changed receipt, to reach the checks behind it.
fn reseal(value: &Value) -> String {
    let Value::Object(members) = value else {
        panic!()
    };
    // The digest covers neither itself nor the server's signature.
    let without: Vec<(String, Value)> = members
        .iter()
        .filter(|(k, _)| k != "digest" && k != "serverSignature")
        .cloned()
        .collect();
    let digest = sha256_hex(
        canonicalize(&Value::Object(without.clone()))
            .unwrap()
            .as_bytes(),
    );
    let mut with = without;
    with.push(("digest".into(), Value::String(digest)));
    canonicalize(&Value::Object(with)).unwrap()
}

fn set(value: &mut Value, path: &[&str], new: Value) {
    let Value::Object(members) = value else {
        panic!("not an object at {path:?}")
    };
    let (slot, rest) = (path[0], &path[1..]);
    let member = members.iter_mut().find(|(k, _)| k == slot).unwrap();
    if rest.is_empty() {
        member.1 = new;
    } else {
        set(&mut member.1, rest, new);
    }
}

fn edit(receipt: &Receipt, path: &[&str], new: Value) -> Value {
    let mut value = parse(&receipt.to_json()).unwrap();
    set(&mut value, path, new);
    value
}

#[test]
fn build_then_verify() {
    let documents = current_documents();
    for document in &documents {
        let mut inp = input(1);
        if document.kind == DocumentKind::GuardianConsent {
            inp.guardian = Some("guardian-ref-000042".into());
        }
        let receipt = build_receipt(document, &inp).unwrap();
        assert_eq!(receipt.consent_kind, document.kind.consent_kind());
        assert_eq!(receipt.document.digest, document.digest);
        assert_eq!(
            verify_receipt(&receipt.to_json(), &documents),
            Ok(receipt.clone())
        );
        // The wire form is canonical.
        assert_eq!(
            canonicalize_text(&receipt.to_json()).unwrap(),
            receipt.to_json()
        );
    }
    let receipt = build_receipt(&documents[2], &input(1)).unwrap();
    let value = parse(&receipt.to_json()).unwrap();
    assert_eq!(value.get("sensitive"), Some(&Value::Bool(true)));
    assert_eq!(
        value.get("consentKind"),
        Some(&Value::String("separate".into()))
    );
    assert_eq!(
        value.get("spiCat"),
        Some(&Value::Array(vec![Value::String("id_number".into())]))
    );
}

/// Every leaf of a JSON value, as a path of keys.
fn leaves(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(members) if !members.is_empty() => {
            for (k, v) in members {
                prefix.push(k.clone());
                leaves(v, prefix, out);
                prefix.pop();
            }
        }
        _ => out.push(prefix.clone()),
    }
}

/// A different value of the same JSON type (a same-shaped forgery).
fn altered(value: &Value) -> Value {
    match value {
        Value::Null => Value::String("tampered-0001".into()),
        Value::Bool(b) => Value::Bool(!b),
        Value::Int(i) => Value::Int(i + 1),
        Value::String(s) => {
            let mut chars: Vec<char> = s.chars().collect();
            let last = chars.pop().unwrap();
            chars.push(if last == '0' { '1' } else { '0' });
            Value::String(chars.into_iter().collect())
        }
        Value::Array(items) => {
            let mut items = items.clone();
            items.push(Value::String("health".into()));
            Value::Array(items)
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn tampering_with_each_field_fails() {
    let documents = current_documents();
    let mut inp = input(7);
    inp.guardian = Some("guardian-ref-000042".into());
    for receipt in [
        build_receipt(&documents[4], &inp).unwrap(),
        sync_receipt(
            &build_receipt(&documents[0], &input(8)).unwrap(),
            1_764_374_500,
        )
        .unwrap(),
    ] {
        let value = parse(&receipt.to_json()).unwrap();
        let mut paths = Vec::new();
        leaves(&value, &mut Vec::new(), &mut paths);
        assert!(paths.len() >= 24, "{}", paths.len());
        for path in paths {
            let keys: Vec<&str> = path.iter().map(String::as_str).collect();
            let mut changed = value.clone();
            let old = {
                let mut at = &value;
                for k in &keys {
                    at = at.get(k).unwrap();
                }
                at.clone()
            };
            set(&mut changed, &keys, altered(&old));
            let issues = verify_receipt(&canonicalize(&changed).unwrap(), &documents).unwrap_err();
            assert!(!issues.is_empty(), "{keys:?}");
            // Removing the field fails too (but `serverSignature`: absent is null, as in receipts
            // from before signatures).
            if keys == ["serverSignature"] {
                continue;
            }
            let mut removed = value.clone();
            remove(&mut removed, &keys);
            assert!(
                verify_receipt(&canonicalize(&removed).unwrap(), &documents).is_err(),
                "{keys:?}"
            );
        }
        // Same-shaped changes are caught by the receipt's own digest.
        let forged = edit(&receipt, &["sequence"], Value::Int(99));
        assert_eq!(
            codes(&verify_receipt(&canonicalize(&forged).unwrap(), &documents).unwrap_err()),
            [Code::ConsentReceiptDigestMismatch]
        );
    }
}

fn remove(value: &mut Value, path: &[&str]) {
    let Value::Object(members) = value else {
        panic!()
    };
    if path.len() == 1 {
        members.retain(|(k, _)| k != path[0]);
    } else {
        let member = members.iter_mut().find(|(k, _)| k == path[0]).unwrap();
        remove(&mut member.1, &path[1..]);
    }
}

#[test]
fn each_failure_has_its_code() {
    let documents = current_documents();
    let receipt = build_receipt(&documents[1], &input(3)).unwrap();
    let check = |value: Value| codes(&verify_receipt(&reseal(&value), &documents).unwrap_err());
    let check_issues = |value: Value| verify_receipt(&reseal(&value), &documents).unwrap_err();

    // Not JSON, not an object.
    for bad in ["", "{", "[]", "\"x\"", "{\"a\":1,\"a\":2}"] {
        assert_eq!(
            codes(&verify_receipt(bad, &documents).unwrap_err()),
            [Code::ConsentInvalidJson]
        );
    }
    // A document the verifier does not know (another version).
    let v = edit(
        &receipt,
        &["document", "version"],
        Value::String("2".into()),
    );
    assert_eq!(check(v), [Code::ConsentDocumentUnknown]);
    // The receipt's document digest differs from the known document's.
    let v = edit(
        &receipt,
        &["document", "digest"],
        Value::String("0".repeat(64)),
    );
    assert_eq!(check(v), [Code::ConsentReceiptDocumentDigestMismatch]);
    // The known document itself is corrupt.
    let mut corrupt = documents.clone();
    corrupt[1].text.push('!');
    assert_eq!(
        codes(&verify_receipt(&receipt.to_json(), &corrupt).unwrap_err()),
        [Code::ConsentDocumentDigestMismatch]
    );
    // Wrong consent kind; wrong document kind (with its derived fields adjusted).
    let v = edit(&receipt, &["consentKind"], Value::String("separate".into()));
    let issues = check_issues(v);
    assert_eq!(codes(&issues), [Code::ConsentKindMismatch]);
    assert_eq!(issues[0].str_param("expected"), Some("explicit"));
    assert_eq!(issues[0].message(Locale::ZhCn), "同意类型与协议不符");
    let mut v = edit(
        &receipt,
        &["document", "kind"],
        Value::String("service_agreement".into()),
    );
    set(&mut v, &["consentKind"], Value::String("explicit".into()));
    let issues = check_issues(v);
    assert_eq!(codes(&issues), [Code::ConsentKindMismatch]);
    assert_eq!(
        issues[0].path,
        [PathSegment::Key("document"), PathSegment::Key("kind")]
    );
    // Derived members that disagree with the kind.
    let v = edit(&receipt, &["sensitive"], Value::Bool(true));
    assert_eq!(check(v), [Code::ConsentFieldInvalid]);
    // A missing field, an unknown field, a wrong type, a non-integer number.
    let mut v = parse(&receipt.to_json()).unwrap();
    remove(&mut v, &["idempotencyKey"]);
    let issues = check_issues(v);
    assert_eq!(codes(&issues), [Code::ConsentFieldMissing]);
    assert_eq!(issues[0].path, [PathSegment::Key("idempotencyKey")]);
    let mut v = parse(&receipt.to_json()).unwrap();
    if let Value::Object(m) = &mut v {
        m.push(("extra".into(), Value::Null));
    }
    assert_eq!(check(v), [Code::ConsentFieldInvalid]);
    // (Sealed with an integer, then the number's text replaced: the crate writes integers only.)
    let v = edit(
        &receipt,
        &["reading", "visibleSeconds"],
        Value::Int(987_654_321),
    );
    let text = reseal(&v).replace(":987654321", ":4.5");
    assert!(text.contains("\"visibleSeconds\":4.5"));
    let issues = verify_receipt(&text, &documents).unwrap_err();
    assert_eq!(codes(&issues), [Code::ConsentFieldInvalid]);
    assert_eq!(
        issues[0].path,
        [
            PathSegment::Key("reading"),
            PathSegment::Key("visibleSeconds")
        ]
    );
    let v = edit(&receipt, &["reading"], Value::Null);
    assert_eq!(check(v), [Code::ConsentFieldMissing]);
    let v = edit(&receipt, &["version"], Value::String("KI-CR-v1.0.0".into()));
    assert_eq!(check(v), [Code::ConsentFieldInvalid]);
    // The language of the receipt is not the document's.
    let v = edit(&receipt, &["language"], Value::String("en".into()));
    assert_eq!(check(v), [Code::ConsentFieldInvalid]);
    // A raw ID number or phone number as the subject reference.
    for raw in [
        "11010519491231002X",
        "user:110105194912310021",
        "13812345678",
        "110105491231002",
    ] {
        let v = edit(&receipt, &["piiPrincipalId"], Value::String(raw.into()));
        assert_eq!(check(v), [Code::ConsentSubjectLooksLikeId], "{raw}");
        let mut inp = input(3);
        inp.subject = raw.into();
        assert_eq!(
            codes(&build_receipt(&documents[1], &inp).unwrap_err()),
            [Code::ConsentSubjectLooksLikeId]
        );
    }
    // Guardian consent without a guardian.
    assert_eq!(
        codes(&build_receipt(&documents[4], &input(3)).unwrap_err()),
        [Code::ConsentFieldMissing]
    );
    // Acceptance without reading evidence.
    let mut inp = input(3);
    inp.reading = None;
    assert_eq!(
        codes(&build_receipt(&documents[0], &inp).unwrap_err()),
        [Code::ConsentFieldMissing]
    );
    // Sync once only.
    let synced = sync_receipt(&receipt, 1_764_374_999).unwrap();
    assert_eq!(
        verify_receipt(&synced.to_json(), &documents),
        Ok(synced.clone())
    );
    assert_eq!(
        sync_receipt(&synced, 1).unwrap_err().code,
        Code::ConsentFieldInvalid
    );
}

#[test]
fn personal_number_shapes() {
    for yes in [
        "11010519491231002X",
        "11010519491231002x",
        "110105491231002",
        "13812345678",
        "a:13812345678",
    ] {
        assert!(looks_like_personal_number(yes), "{yes}");
    }
    for no in [
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "123e4567-e89b-12d3-a456-426614174000",
        "user-0000000042",
        "23812345678",
    ] {
        assert!(!looks_like_personal_number(no), "{no}");
    }
}

#[test]
fn version_1_needs_reconsent_when_version_2_is_current() {
    let v1 = current_documents();
    let receipts: Vec<Receipt> = v1[..3]
        .iter()
        .enumerate()
        .map(|(i, d)| build_receipt(d, &input(i as u64)).unwrap())
        .collect();
    let adult: Vec<Document> = v1[..3].to_vec();
    assert_eq!(needs_reconsent(&receipts, &adult), []);

    let mut v2 = adult.clone();
    v2[1] = doc("privacy", "2", DocumentKind::PrivacyPolicy);
    let needed = needs_reconsent(&receipts, &v2);
    assert_eq!(needed.len(), 1);
    assert_eq!(needed[0].document_id, "privacy");
    assert_eq!(needed[0].version, "2");
    assert_eq!(needed[0].reason, ReconsentReason::NewVersion);
    assert_eq!(needed[0].issue().code, Code::ConsentRequiredNewVersion);
    assert_eq!(needed[0].issue().str_param("kind"), Some("privacy_policy"));
    assert_eq!(
        needed[0].issue().message(Locale::ZhCn),
        "协议已更新，请重新阅读并同意"
    );

    // A child: two more documents, never accepted.
    let child = needs_reconsent(&receipts, &v1);
    assert_eq!(
        child.iter().map(|r| (r.kind, r.reason)).collect::<Vec<_>>(),
        [
            (
                DocumentKind::ChildrenPrivacyRules,
                ReconsentReason::NeverAccepted
            ),
            (
                DocumentKind::GuardianConsent,
                ReconsentReason::NeverAccepted
            )
        ]
    );

    // Accepting version 2 settles it; the v1 receipt still verifies against the v1 document.
    let mut all_docs = v1.clone();
    all_docs.push(v2[1].clone());
    let mut receipts = receipts;
    receipts.push(build_receipt(&v2[1], &input(10)).unwrap());
    assert_eq!(needs_reconsent(&receipts, &v2), []);
    for r in &receipts {
        assert!(verify_receipt(&r.to_json(), &all_docs).is_ok());
    }
}

#[test]
fn withdraw_then_accept_again() {
    let documents = current_documents();
    let accepted = build_receipt(&documents[2], &input(1)).unwrap();
    let withdrawal = build_withdrawal(&accepted, &input(2), &documents).unwrap();
    assert_eq!(withdrawal.consent_kind, ConsentKind::Withdrawal);
    assert_eq!(withdrawal.withdraws.as_deref(), Some("receipt-0001"));
    assert_eq!(withdrawal.reading, None);
    assert_eq!(withdrawal.document, accepted.document);
    assert_eq!(
        verify_receipt(&withdrawal.to_json(), &documents),
        Ok(withdrawal.clone())
    );

    let current = [documents[2].clone()];
    let mut receipts = vec![accepted.clone(), withdrawal.clone()];
    let needed = needs_reconsent(&receipts, &current);
    assert_eq!(needed.len(), 1);
    assert_eq!(needed[0].reason, ReconsentReason::Withdrawn);
    assert_eq!(needed[0].issue().code, Code::ConsentRequiredWithdrawn);

    receipts.push(build_receipt(&documents[2], &input(3)).unwrap());
    assert_eq!(needs_reconsent(&receipts, &current), []);
    // Order is by sequence, not by position in the list.
    receipts.reverse();
    assert_eq!(needs_reconsent(&receipts, &current), []);

    // A withdrawal without its target, or with reading evidence, is refused.
    let v = edit(&withdrawal, &["withdraws"], Value::Null);
    assert_eq!(
        codes(&verify_receipt(&reseal(&v), &documents).unwrap_err()),
        [Code::ConsentFieldMissing]
    );
    let reading = parse(&accepted.to_json())
        .unwrap()
        .get("reading")
        .unwrap()
        .clone();
    let v = edit(&withdrawal, &["reading"], reading);
    assert_eq!(
        codes(&verify_receipt(&reseal(&v), &documents).unwrap_err()),
        [Code::ConsentFieldInvalid]
    );
}

#[test]
fn every_consent_issue_renders_without_personal_data() {
    for code in Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("consent_"))
    {
        for locale in Locale::ALL {
            let message = Issue::new(*code)
                .with("kind", shiming::ParamValue::Str("privacy_policy"))
                .with("expected", shiming::ParamValue::Str("separate"))
                .message(locale);
            assert!(!message.is_empty() && !message.contains('{'), "{code}");
        }
    }
}

// ---------------------------------------------------------------- the reading rule

fn evidence(reached_end: bool, visible_seconds: u32, width: u32, height: u32) -> ReceiptInput {
    let mut inp = input(1);
    inp.reading = Some(ReadingEvidence {
        reached_end,
        visible_seconds,
        viewport: Viewport { width, height },
        locale: "zh-CN".into(),
    });
    inp
}

fn strict_terms() -> Document {
    doc("terms", "1", DocumentKind::ServiceAgreement)
        .with_reading(ReadingRequirement::new(true, 10.0).unwrap())
}

#[test]
fn build_refuses_evidence_that_misses_the_documents_reading_rule() {
    let terms = strict_terms();
    // Read to the end for 10 s: accepted.
    assert!(build_receipt(&terms, &evidence(true, 10, 390, 844)).is_ok());
    // Not to the end.
    let issues = build_receipt(&terms, &evidence(false, 60, 390, 844)).unwrap_err();
    assert_eq!(codes(&issues), [Code::ConsentEndNotReached]);
    assert_eq!(
        issues[0].path,
        [PathSegment::Key("reading"), PathSegment::Key("reachedEnd")]
    );
    // Too fast: the seconds still to read, as the page's tracker says them.
    let issues = build_receipt(&terms, &evidence(true, 7, 390, 844)).unwrap_err();
    assert_eq!(codes(&issues), [Code::ConsentReadingTooShort]);
    assert_eq!(issues[0].params, [("seconds", shiming::ParamValue::Int(3))]);
    // Nothing read at all: both.
    let issues = build_receipt(&terms, &evidence(false, 0, 390, 844)).unwrap_err();
    assert_eq!(
        codes(&issues),
        [Code::ConsentEndNotReached, Code::ConsentReadingTooShort]
    );
    // No viewport recorded.
    for (w, h) in [(0, 844), (390, 0), (0, 0)] {
        let issues = build_receipt(&terms, &evidence(true, 60, w, h)).unwrap_err();
        assert_eq!(codes(&issues), [Code::ConsentFieldInvalid]);
        assert_eq!(
            issues[0].path,
            [PathSegment::Key("reading"), PathSegment::Key("viewport")]
        );
    }
    // The default rule: the end, no minimum time.
    let lenient = doc("terms", "1", DocumentKind::ServiceAgreement);
    assert!(build_receipt(&lenient, &evidence(true, 0, 390, 844)).is_ok());
    assert_eq!(
        codes(&build_receipt(&lenient, &evidence(false, 0, 390, 844)).unwrap_err()),
        [Code::ConsentEndNotReached]
    );
}

#[test]
fn verify_refuses_a_receipt_whose_evidence_misses_the_publishers_rule() {
    // A client that builds against a lenient copy of the document (or by hand) gets a receipt
    // that the publisher's rule refuses, with the same code.
    let lenient = doc("terms", "1", DocumentKind::ServiceAgreement)
        .with_reading(ReadingRequirement::new(false, 0.0).unwrap());
    let unread = build_receipt(&lenient, &evidence(false, 2, 390, 844)).unwrap();
    let issues = verify_receipt(&unread.to_json(), &[strict_terms()]).unwrap_err();
    assert_eq!(
        codes(&issues),
        [Code::ConsentEndNotReached, Code::ConsentReadingTooShort]
    );
    // A withdrawal carries no reading and is not subject to the rule.
    let read = build_receipt(&strict_terms(), &evidence(true, 12, 390, 844)).unwrap();
    let mut inp = input(2);
    inp.receipt_id = "receipt-withdraw".into();
    assert!(build_withdrawal(&read, &inp, &[strict_terms()]).is_ok());
}

#[test]
fn a_documents_reading_rule_reads_from_json_and_refuses_bad_rules() {
    let base = doc("terms", "1", DocumentKind::ServiceAgreement);
    let with = |reading: &str| {
        format!(
            r#"{{"id":"terms","version":"1","kind":"service_agreement","title":"标题","locale":"zh-CN","text":{},"digest":"{}","reading":{reading}}}"#,
            canonicalize(&Value::String(base.text.clone())).unwrap(),
            base.digest
        )
    };
    let read = Document::from_json(&with(r#"{"reachEnd":true,"minSeconds":10}"#)).unwrap();
    assert_eq!(read.reading, ReadingRequirement::new(true, 10.0).unwrap());
    for bad in [
        r#"{"reachEnd":true,"minSeconds":601}"#,
        r#"{"reachEnd":true,"minSeconds":-1}"#,
        r#"{"reachEnd":true,"minSeconds":1.5}"#,
        r#"{"reachEnd":"yes","minSeconds":1}"#,
        r#"{"reachEnd":true}"#,
        r#"{"reachEnd":true,"minSeconds":1,"more":1}"#,
        r#"null"#,
    ] {
        let issues = Document::from_json(&with(bad)).unwrap_err();
        assert_eq!(codes(&issues), [Code::ConsentFieldInvalid], "{bad}");
    }
    // Absent: the default rule.
    let plain = Document::from_json(&with("0").replace(r#","reading":0"#, "")).unwrap();
    assert_eq!(plain.reading, ReadingRequirement::default());
}

// ---------------------------------------------------------------- properties

fn arb_input() -> impl Strategy<Value = (usize, ReceiptInput)> {
    (
        0usize..5,
        "[A-Za-z0-9._:-]{8,40}",
        "[a-f0-9]{64}",
        proptest::option::of("[a-z0-9]{8,20}"),
        Just(true),
        any::<u32>(),
        (1u32..10_000, 1u32..10_000),
        0u64..1_000_000,
        "[A-Za-z0-9-]{8,36}",
        0i64..4_000_000_000,
    )
        .prop_map(
            |(
                doc,
                receipt_id,
                subject,
                guardian,
                reached_end,
                seconds,
                (w, h),
                sequence,
                key,
                time,
            )| {
                let guardian = if doc == 4 {
                    Some(guardian.unwrap_or_else(|| "guardian-0000".into()))
                } else {
                    guardian
                };
                (
                    doc,
                    ReceiptInput {
                        receipt_id,
                        jurisdiction: "CN".into(),
                        collection_method: "web_form".into(),
                        subject: format!("sha256:{subject}"),
                        guardian,
                        reading: Some(ReadingEvidence {
                            reached_end,
                            visible_seconds: seconds,
                            viewport: Viewport {
                                width: w,
                                height: h,
                            },
                            locale: "zh-CN".into(),
                        }),
                        sequence,
                        idempotency_key: key,
                        client_time: time,
                    },
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn verify_accepts_what_build_made_and_refuses_any_single_change(
        (doc_index, inp) in arb_input(),
        pick in any::<usize>(),
    ) {
        let documents = current_documents();
        let receipt = build_receipt(&documents[doc_index], &inp).unwrap();
        prop_assert_eq!(verify_receipt(&receipt.to_json(), &documents), Ok(receipt.clone()));
        let value = parse(&receipt.to_json()).unwrap();
        let mut paths = Vec::new();
        leaves(&value, &mut Vec::new(), &mut paths);
        let path = &paths[pick % paths.len()];
        let keys: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut old = &value;
        for k in &keys {
            old = old.get(k).unwrap();
        }
        let mut changed = value.clone();
        set(&mut changed, &keys, altered(old));
        prop_assert!(verify_receipt(&canonicalize(&changed).unwrap(), &documents).is_err());
    }

    #[test]
    fn verify_never_panics_on_arbitrary_text(text in "\\PC{0,300}") {
        let documents = current_documents();
        let result = verify_receipt(&text, &documents);
        if let Err(issues) = result {
            prop_assert!(!issues.is_empty());
            for issue in &issues {
                prop_assert!(!issue.message(Locale::En).is_empty());
            }
        }
    }

    #[test]
    fn verify_never_panics_on_mangled_receipts(cut in any::<usize>(), byte in any::<u8>()) {
        let documents = current_documents();
        let json = build_receipt(&documents[0], &input(5)).unwrap().to_json();
        let mut bytes = json.into_bytes();
        let at = cut % bytes.len();
        bytes[at] = byte;
        let text = String::from_utf8_lossy(&bytes);
        let _ = verify_receipt(&text, &documents);
        let _ = verify_receipt(text.get(..at).unwrap_or(&text), &documents);
    }
}

// ---------------------------------------------------------------- base64url (signatures)

#[test]
fn base64url_rfc_4648_vectors_and_one_text_per_byte_string() {
    use shiming::consent::receipt::{base64url, from_base64url};
    for (bytes, text) in [
        (&b""[..], ""),
        (b"f", "Zg"),
        (b"fo", "Zm8"),
        (b"foo", "Zm9v"),
        (b"foob", "Zm9vYg"),
        (b"fooba", "Zm9vYmE"),
        (b"foobar", "Zm9vYmFy"),
        (&[0xfb, 0xff], "-_8"),
    ] {
        assert_eq!(base64url(bytes), text);
        assert_eq!(from_base64url(text).as_deref(), Some(bytes));
    }
    // Padding, the standard alphabet, impossible lengths, non-zero trailing bits: refused.
    for bad in ["Zg==", "+/8", "Z", "Zh", "Zm9=", "Zm 9v"] {
        assert_eq!(from_base64url(bad), None, "{bad}");
    }
}

proptest! {
    #[test]
    fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        use shiming::consent::receipt::{base64url, from_base64url};
        prop_assert_eq!(from_base64url(&base64url(&bytes)), Some(bytes));
    }

    #[test]
    fn base64url_decoding_never_panics(text in ".{0,120}") {
        let _ = shiming::consent::receipt::from_base64url(&text);
    }
}

// ---------------------------------------------------------------- the guardian reference

#[test]
fn guardian_reference_is_a_salted_commitment_to_the_document() {
    use shiming::consent::receipt::{guardian_reference, is_guardian_salt};
    let salt = "AAECAwQFBgcICQoLDA0ODw"; // 16 bytes, base64url
    assert!(is_guardian_salt(salt));
    let key = "cn_resident:11010519491231002X";
    // The documented construction: gc: + SHA-256 hex of "shiming:guardian:v1" NUL salt NUL key.
    let expected = format!(
        "gc:{}",
        sha256_hex(format!("shiming:guardian:v1\0{salt}\0{key}").as_bytes())
    );
    assert_eq!(guardian_reference(key, salt), Some(expected.clone()));
    // Another salt, another document: another reference; the number is not in it.
    assert_ne!(
        guardian_reference(key, "AAECAwQFBgcICQoLDA0OEA"),
        Some(expected.clone())
    );
    assert_ne!(
        guardian_reference("cn_resident:110105194912310029", salt),
        Some(expected.clone())
    );
    assert!(!expected.contains("11010519491231002X"));
    assert!(!looks_like_personal_number(&expected));
    // Salts that are too short, padded, of another alphabet, or too long; an empty key.
    for bad in [
        "",
        "short",
        "AAECAwQFBgcICQoLDA0ODw==",
        "AAECAwQFBgcICQoLDA0OD+",
        &"A".repeat(65),
    ] {
        assert_eq!(guardian_reference(key, bad), None, "{bad}");
    }
    assert_eq!(guardian_reference("", salt), None);
}

#[test]
fn checked_documents_are_checked_once_and_verify_the_same() {
    use shiming::consent::{verify_receipt_checked, CheckedDocuments};
    let documents = current_documents();
    let checked = CheckedDocuments::new(documents.clone()).unwrap();
    let receipt = build_receipt(&documents[0], &input(1)).unwrap();
    let json = receipt.to_json();
    assert_eq!(
        verify_receipt_checked(&json, &checked),
        verify_receipt(&json, &documents)
    );
    // Refusals are the same too.
    let mut value = parse(&json).unwrap();
    set(&mut value, &["sequence"], Value::Int(99));
    let changed = canonicalize(&value).unwrap();
    assert_eq!(
        verify_receipt_checked(&changed, &checked),
        verify_receipt(&changed, &documents)
    );
    // A set holding a text that does not match its digest cannot be made.
    let mut forged = documents.clone();
    forged[1].text.push('x');
    let issues = CheckedDocuments::new(forged).unwrap_err();
    assert_eq!(codes(&issues), [Code::ConsentDocumentDigestMismatch]);
}
