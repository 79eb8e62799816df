//! Fuzz target for consent receipts: arbitrary bytes as receipt JSON, verified against a fixed set
//! of documents. No input may panic; a refusal always has issues, each with a message; an accepted
//! receipt re-serializes to canonical JSON that verifies to the same receipt. The bytes are also
//! run through RFC 8785 canonicalization (idempotent when it succeeds) and spliced into a valid
//! receipt, to reach the checks behind the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
// RFC 8785 of the crate (internal, re-exported for tests and fuzzing only).
use shiming::__internal::canonicalize_text;
use shiming::consent::{
    build_receipt, verify_receipt, Document, DocumentKind, ReadingEvidence, ReceiptInput, Viewport,
};
use shiming::Locale;
use std::sync::OnceLock;

fn documents() -> &'static [Document] {
    static DOCUMENTS: OnceLock<Vec<Document>> = OnceLock::new();
    DOCUMENTS.get_or_init(|| {
        DocumentKind::ALL
            .iter()
            .map(|&kind| Document::new(kind.as_str(), "1", kind, "标题", "zh-CN", "全文 𠀀😀"))
            .collect()
    })
}

fn check(text: &str, documents: &[Document]) {
    match verify_receipt(text, documents) {
        Ok(receipt) => {
            let again = verify_receipt(&receipt.to_json(), documents);
            assert_eq!(
                again.as_ref(),
                Ok(&receipt),
                "a verified receipt does not round-trip"
            );
        }
        Err(issues) => {
            assert!(!issues.is_empty(), "refused without issues");
            for issue in &issues {
                for locale in Locale::ALL {
                    assert!(!issue.message(locale).is_empty());
                }
            }
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let documents = documents();
    let text = String::from_utf8_lossy(bytes);
    check(&text, documents);

    if let Some(canonical) = canonicalize_text(&text) {
        assert_eq!(
            canonicalize_text(&canonical).as_deref(),
            Some(canonical.as_str())
        );
    }

    // A valid receipt with the bytes spliced in place of one member's value.
    let input = ReceiptInput {
        receipt_id: "receipt-0001".into(),
        jurisdiction: "CN".into(),
        collection_method: "web_form".into(),
        subject: "subject-0000000001".into(),
        guardian: Some("guardian-0000000001".into()),
        reading: Some(ReadingEvidence {
            reached_end: true,
            visible_seconds: 42,
            viewport: Viewport {
                width: 390,
                height: 844,
            },
            locale: "zh-CN".into(),
        }),
        sequence: 1,
        idempotency_key: "idem-00000001".into(),
        client_time: 1_764_374_400,
    };
    let pick = bytes.first().copied().unwrap_or(0);
    let Some(document) = documents.get(usize::from(pick) % documents.len()) else {
        return;
    };
    let Ok(receipt) = build_receipt(document, &input) else {
        panic!("the fixed input must build");
    };
    let json = receipt.to_json();
    for member in [
        "\"sequence\":1",
        "\"reading\":{",
        "\"consentKind\":\"",
        "\"digest\":\"",
    ] {
        if let Some((before, after)) = json.split_once(member) {
            check(&format!("{before}{member}{text}{after}"), documents);
        }
    }
});
