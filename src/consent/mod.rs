//! Agreement acceptance and verifiable consent receipts: the pure core. The browser edge (the
//! reading tracker and trusted-event acceptance on DOM elements) is the consent bindings crate's
//! `bindings/consent/src/reading.rs`.
//!
//! - [`document`]: agreement documents, their digests, and which ones an age band requires.
//! - [`receipt`]: building, verifying and withdrawing consent receipts; what needs re-consent.
//! - [`reading`]: what counts as read (the end reached, visible time) before acceptance.
//! - [`acceptance`]: when a ticked box is consent (unticked at first, the user's own act).
//!
//! # Sources
//! - **`pipl`**: 个人信息保护法 (PIPL, 2021-08-20, in force 2021-11-01) Art. 14 (informed,
//!   voluntary, explicit consent, asked again when the purpose changes), Art. 29 (separate consent
//!   for sensitive data), Art. 31 (a guardian's consent under 14).
//! - **`gb-t-42574-2023`**: GB/T 42574-2023《信息安全技术 个人信息处理中告知和同意的实施指南》:
//!   the kinds of consent, and keeping evidence of it.
//! - **`kantara-cr-1-1`**: Kantara Initiative Consent Receipt Specification v1.1: the receipt's
//!   fields.
//! - **`children-pi-2019`**: 儿童个人信息网络保护规定 (2019) Arts. 8–10: the documents a child's
//!   registration needs ([`document`]).
//!
//! # Example
//!
//! ```
//! use shiming::consent::{build_receipt, needs_reconsent, required_documents, verify_receipt};
//! use shiming::consent::{Document, DocumentKind, ReadingEvidence, ReceiptInput, Viewport};
//! use shiming::AgeBand;
//!
//! let privacy = Document::new("privacy", "2", DocumentKind::PrivacyPolicy, "隐私政策", "zh-CN", "……全文……");
//! assert_eq!(privacy.digest.len(), 64);
//! assert_eq!(required_documents(AgeBand::From12To14).len(), 5);
//! let input = ReceiptInput {
//!     receipt_id: "3f1c9a2e-0001".into(),
//!     jurisdiction: "CN".into(),
//!     collection_method: "web_form".into(),
//!     subject: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
//!     guardian: None,
//!     reading: Some(ReadingEvidence {
//!         reached_end: true,
//!         visible_seconds: 42,
//!         viewport: Viewport { width: 390, height: 844 },
//!         locale: "zh-CN".into(),
//!     }),
//!     sequence: 1,
//!     idempotency_key: "idem-3f1c9a2e".into(),
//!     client_time: 1_764_374_400,
//! };
//! let receipt = build_receipt(&privacy, &input).unwrap();
//! let json = receipt.to_json(); // RFC 8785 canonical JSON, with its own digest
//! assert!(verify_receipt(&json, &[privacy.clone()]).is_ok());
//! let tampered = json.replace("\"sequence\":1", "\"sequence\":2");
//! let issues = verify_receipt(&tampered, &[privacy.clone()]).unwrap_err();
//! assert_eq!(issues[0].code.as_str(), "consent_receipt_digest_mismatch");
//! assert!(needs_reconsent(&[receipt], &[privacy]).is_empty());
//! ```

pub mod acceptance;
pub mod document;
pub mod reading;
pub mod receipt;

pub use acceptance::{Acceptance, Correction, GateState};
pub use document::{required_documents, Document, DocumentKind};
pub use reading::{Reading, ReadingRequirement};
pub use receipt::{
    build_receipt, build_withdrawal, needs_reconsent, parse_receipt, sync_receipt, verify_receipt,
    verify_receipt_checked, CheckedDocuments, ConsentKind, DocumentRef, ReadingEvidence, Receipt,
    ReceiptInput, Reconsent, ReconsentReason, ServerSignature, SignatureCheck, VerifyingKey,
    Viewport,
};
