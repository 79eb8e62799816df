//! Consent receipts: the evidence that one person accepted (or withdrew) one document, as JSON
//! that any server can check.
//!
//! # Sources
//! - **`kantara-cr-1-1`**: Kantara Initiative Consent Receipt Specification v1.1 (2018): the
//!   fields that fit are kept with their names: `version`, `jurisdiction`, `consentTimestamp`
//!   (Unix seconds), `collectionMethod`, `consentReceiptID`, `language`, `piiPrincipalId`,
//!   `sensitive`, `spiCat`.
//!   `piiControllers`, `policyUrl` and `services[].purposes[]` are left out: they are part of the
//!   document text, which the receipt pins by its SHA-256.
//! - **`pipl`**: PIPL Arts. 14, 29, 31 (see [`super::document`]): the consent kind (explicit,
//!   separate, guardian); Art. 15: consent can be withdrawn.
//! - **`gb-t-42574-2023`**: GB/T 42574-2023: the kinds of consent, withdrawal, and keeping the
//!   evidence of consent (同意证据留存).
//! - **`rfc-8785`**: RFC 8785 (`codec::jcs`): the receipt's own `digest` is the SHA-256
//!   (`codec::sha256`, `fips-180-4`) of the canonical form of the receipt without `digest`, so
//!   a server in any language recomputes it.
//! - **`rfc-8032`**: RFC 8032: Ed25519, the algorithm of the server's countersignature (the
//!   caller's code signs and verifies; the core fixes what is signed).
//! - **`rfc-4648`**: RFC 4648 §5: base64url without padding, the encoding of the signature and of
//!   public keys.
//!
//! # The receipt
//! Every field is always present (`null` where it does not apply), and no other field is allowed:
//!
//! ```text
//! { "version": "KI-CR-v1.1.0", "jurisdiction": "CN", "consentTimestamp": 1764374400,
//!   "collectionMethod": "web_form", "consentReceiptID": "…", "language": "zh-CN",
//!   "piiPrincipalId": "…", "guardianId": null, "sensitive": true, "spiCat": ["id_number"],
//!   "consentKind": "separate",
//!   "document": { "id": "…", "version": "…", "kind": "sensitive_pi", "digest": "<hex>" },
//!   "reading": { "reachedEnd": true, "visibleSeconds": 42,
//!                "viewport": { "width": 390, "height": 844 }, "locale": "zh-CN" },
//!   "withdraws": null, "sequence": 3, "idempotencyKey": "…", "serverTimestamp": null,
//!   "digest": "<hex>" }
//! ```
//!
//! - `piiPrincipalId` and `guardianId` are references (a salted hash, the server's subject id),
//!   never an ID or phone number: a value of that shape is refused.
//! - `serverTimestamp` is filled in by the server on sync ([`sync_receipt`]), which recomputes
//!   `digest`; the receipt is matched across client and server by `idempotencyKey`.
//! - A withdrawal has `consentKind: "withdrawal"`, the withdrawn receipt's `document`, its
//!   `consentReceiptID` in `withdraws`, and `reading: null`.
//!
//! Times are passed in (sans-IO); nothing here reads a clock.

use super::document::{invalid, is_label, is_locale_tag, Document, DocumentKind};
use super::reading::ReadingRequirement;
use crate::codec::jcs::canonicalize;
use crate::codec::json::{self, Value};
use crate::codec::sha256::{is_digest_hex, sha256_hex};
use crate::issue::{Code, Issue, ParamValue, PathSegment};
use crate::token::looks_like_personal_number;

/// The Kantara specification version written in `version`.
pub const RECEIPT_VERSION: &str = "KI-CR-v1.1.0";
/// The largest time, sequence or count accepted (2^53 − 1, exact in JavaScript).
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// The kind of consent a receipt records (GB/T 42574-2023). The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConsentKind {
    /// 明示同意: the service agreement and the privacy policy.
    Explicit,
    /// 单独同意: sensitive personal information (PIPL Art. 29).
    Separate,
    /// 监护人同意: a guardian for a child under 14 (PIPL Art. 31).
    Guardian,
    /// 撤回同意 (PIPL Art. 15).
    Withdrawal,
}

impl ConsentKind {
    /// Every kind, in a stable order.
    pub const ALL: [ConsentKind; 4] = [
        ConsentKind::Explicit,
        ConsentKind::Separate,
        ConsentKind::Guardian,
        ConsentKind::Withdrawal,
    ];

    /// The kind's snake_case name, as `consentKind` spells it: `explicit`, `separate`,
    /// `guardian` or `withdrawal`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentKind::Explicit => "explicit",
            ConsentKind::Separate => "separate",
            ConsentKind::Guardian => "guardian",
            ConsentKind::Withdrawal => "withdrawal",
        }
    }

    /// The kind named `name` (see [`ConsentKind::as_str`]), if any.
    pub fn parse(name: &str) -> Option<ConsentKind> {
        ConsentKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
    }
}

/// Which document a receipt is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRef {
    /// The document's [`Document::id`].
    pub id: String,
    /// The document's [`Document::version`].
    pub version: String,
    /// The document's [`Document::kind`].
    pub kind: DocumentKind,
    /// The document's [`Document::digest`]: lowercase hex SHA-256 of the text accepted.
    pub digest: String,
}

impl DocumentRef {
    /// The reference to `document`: its id, version, kind and digest.
    pub fn of(document: &Document) -> DocumentRef {
        DocumentRef {
            id: document.id.clone(),
            version: document.version.clone(),
            kind: document.kind,
            digest: document.digest.clone(),
        }
    }
}

/// The visible area of the page, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    /// Width in CSS pixels (never 0 in a receipt that verifies).
    pub width: u32,
    /// Height in CSS pixels (never 0 in a receipt that verifies).
    pub height: u32,
}

/// What the reading tracker saw before acceptance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadingEvidence {
    /// Whether the end of the text was reached.
    pub reached_end: bool,
    /// Seconds the text was actually visible (the tab hidden does not count).
    pub visible_seconds: u32,
    /// The visible area of the page when the document was accepted.
    pub viewport: Viewport,
    /// The browser's language tag.
    pub locale: String,
}

/// A consent receipt (see the module documentation for its JSON form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// `consentReceiptID`: unique, chosen by the caller (e.g. a UUID).
    pub receipt_id: String,
    /// `jurisdiction`: a label chosen by the caller, e.g. `CN`.
    pub jurisdiction: String,
    /// `collectionMethod`: how consent was collected, a label chosen by the caller, e.g.
    /// `web_form`.
    pub collection_method: String,
    /// `language`: the tag of the document's text.
    pub language: String,
    /// `piiPrincipalId`: a reference to the person, never their ID number.
    pub subject: String,
    /// `guardianId`: a reference to the guardian (required for guardian consent).
    pub guardian: Option<String>,
    /// `consentKind`: the kind the document's kind calls for, or a withdrawal.
    pub consent_kind: ConsentKind,
    /// `document`: the document accepted (or, for a withdrawal, the one withdrawn from).
    pub document: DocumentRef,
    /// `reading`: what the reading tracker saw. `None` only for a withdrawal.
    pub reading: Option<ReadingEvidence>,
    /// For a withdrawal: the `consentReceiptID` it withdraws.
    pub withdraws: Option<String>,
    /// The client's sequence number (orders receipts of one subject).
    pub sequence: u64,
    /// `idempotencyKey`: the key the receipt is matched by across client and server.
    pub idempotency_key: String,
    /// `consentTimestamp`: the client's clock, Unix seconds.
    pub client_time: i64,
    /// `serverTimestamp`: the server's clock on sync, Unix seconds; `None` until then.
    pub server_time: Option<i64>,
    /// SHA-256 of the canonical JSON of everything else (but `serverSignature`).
    pub digest: String,
    /// The server's countersignature, once it accepted the receipt ([`Receipt::countersigned`]).
    pub server_signature: Option<ServerSignature>,
}

/// The signature algorithm of `serverSignature.alg`.
pub const SIGNATURE_ALG: &str = "Ed25519";

/// A server's countersignature of a receipt: Ed25519 (RFC 8032) over
/// [`Receipt::signing_payload`], by the key `key_id` of the keys the server publishes.
/// JSON `{ "alg": "Ed25519", "keyId": "…", "value": "<base64url of the 64 bytes, no padding>" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSignature {
    /// `keyId`: the id of the server's signing key, 1 to 32 of `A-Za-z0-9_-`.
    pub key_id: String,
    /// base64url (RFC 4648 §5) without padding: 86 characters.
    pub value: String,
}

/// A public key a receipt's signature is checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyingKey {
    /// The id a signature names in `keyId`.
    pub key_id: String,
    /// The Ed25519 public key (RFC 8032, 32 bytes).
    pub public_key: [u8; 32],
}

/// What a signature check needs, once the receipt and the key set passed the checks that need no
/// cryptography (for a caller that verifies with its own Ed25519, e.g. WebCrypto).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureCheck {
    /// The Ed25519 public key of the signature's `keyId`.
    pub public_key: [u8; 32],
    /// The 64-byte Ed25519 signature, decoded from `serverSignature.value`.
    pub signature: [u8; 64],
    /// The exact bytes signed.
    pub payload: String,
}

/// What the caller supplies to build a receipt (the rest comes from the document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptInput {
    /// [`Receipt::receipt_id`]: unique, e.g. a UUID.
    pub receipt_id: String,
    /// [`Receipt::jurisdiction`], e.g. `CN`.
    pub jurisdiction: String,
    /// [`Receipt::collection_method`], e.g. `web_form`.
    pub collection_method: String,
    /// [`Receipt::subject`]: a reference to the person, never their ID or phone number.
    pub subject: String,
    /// [`Receipt::guardian`]: required for guardian consent.
    pub guardian: Option<String>,
    /// Required to accept; ignored for a withdrawal.
    pub reading: Option<ReadingEvidence>,
    /// [`Receipt::sequence`]: orders the receipts of one subject.
    pub sequence: u64,
    /// [`Receipt::idempotency_key`].
    pub idempotency_key: String,
    /// [`Receipt::client_time`]: the client's clock, Unix seconds.
    pub client_time: i64,
}

fn spi_categories(kind: DocumentKind) -> &'static [&'static str] {
    match kind {
        DocumentKind::ServiceAgreement | DocumentKind::PrivacyPolicy => &[],
        DocumentKind::SensitivePi => &["id_number"],
        DocumentKind::ChildrenPrivacyRules | DocumentKind::GuardianConsent => {
            &["minor_personal_information"]
        }
    }
}

fn text(s: &str) -> Value {
    Value::String(s.into())
}

fn int(i: u64) -> Value {
    Value::Int(i64::try_from(i).unwrap_or(i64::MAX))
}

fn optional(s: &Option<String>) -> Value {
    s.as_deref().map_or(Value::Null, text)
}

fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

impl Receipt {
    /// The receipt as a JSON value, with or without its `digest` member.
    pub fn to_value(&self, with_digest: bool) -> Value {
        let reading = match &self.reading {
            None => Value::Null,
            Some(r) => object(vec![
                ("reachedEnd", Value::Bool(r.reached_end)),
                ("visibleSeconds", int(u64::from(r.visible_seconds))),
                (
                    "viewport",
                    object(vec![
                        ("width", int(u64::from(r.viewport.width))),
                        ("height", int(u64::from(r.viewport.height))),
                    ]),
                ),
                ("locale", text(&r.locale)),
            ]),
        };
        let mut members = vec![
            ("version", text(RECEIPT_VERSION)),
            ("jurisdiction", text(&self.jurisdiction)),
            ("consentTimestamp", Value::Int(self.client_time)),
            ("collectionMethod", text(&self.collection_method)),
            ("consentReceiptID", text(&self.receipt_id)),
            ("language", text(&self.language)),
            ("piiPrincipalId", text(&self.subject)),
            ("guardianId", optional(&self.guardian)),
            ("sensitive", Value::Bool(self.document.kind.is_sensitive())),
            (
                "spiCat",
                Value::Array(
                    spi_categories(self.document.kind)
                        .iter()
                        .map(|c| text(c))
                        .collect(),
                ),
            ),
            ("consentKind", text(self.consent_kind.as_str())),
            (
                "document",
                object(vec![
                    ("id", text(&self.document.id)),
                    ("version", text(&self.document.version)),
                    ("kind", text(self.document.kind.as_str())),
                    ("digest", text(&self.document.digest)),
                ]),
            ),
            ("reading", reading),
            ("withdraws", optional(&self.withdraws)),
            ("sequence", int(self.sequence)),
            ("idempotencyKey", text(&self.idempotency_key)),
            (
                "serverTimestamp",
                self.server_time.map_or(Value::Null, Value::Int),
            ),
        ];
        if with_digest {
            members.push(("digest", text(&self.digest)));
            members.push((
                "serverSignature",
                self.server_signature.as_ref().map_or(Value::Null, |sig| {
                    object(vec![
                        ("alg", text(SIGNATURE_ALG)),
                        ("keyId", text(&sig.key_id)),
                        ("value", text(&sig.value)),
                    ])
                }),
            ));
        }
        object(members)
    }

    /// The receipt as canonical JSON (RFC 8785), `digest` and `serverSignature` included: the form
    /// to store and send.
    pub fn to_json(&self) -> String {
        // Every number is an integer, so canonicalization cannot fail.
        canonicalize(&self.to_value(true)).unwrap_or_default()
    }

    /// The digest the receipt should carry: SHA-256 of the canonical JSON without `digest` and
    /// `serverSignature`.
    pub fn compute_digest(&self) -> String {
        digest_of(&self.to_value(false))
    }

    /// What a server signs: the canonical JSON (RFC 8785) of the receipt without
    /// `serverSignature` (so with `serverTimestamp` and `digest`).
    pub fn signing_payload(&self) -> String {
        let Value::Object(mut members) = self.to_value(true) else {
            return String::new();
        };
        members.retain(|(k, _)| k != "serverSignature");
        canonicalize(&Value::Object(members)).unwrap_or_default()
    }

    /// The receipt with the server's countersignature: `sign` gets [`Receipt::signing_payload`]'s
    /// bytes and returns the 64-byte Ed25519 signature of key `key_id`. `None` for a receipt the
    /// server has not synced ([`sync_receipt`]: no `serverTimestamp`), which is never signed.
    pub fn countersigned(
        &self,
        key_id: &str,
        sign: impl FnOnce(&[u8]) -> [u8; 64],
    ) -> Option<Receipt> {
        self.server_time?;
        if !is_key_id(key_id) {
            return None;
        }
        let mut signed = self.clone();
        signed.server_signature = None;
        let signature = sign(signed.signing_payload().as_bytes());
        signed.server_signature = Some(ServerSignature {
            key_id: key_id.into(),
            value: base64url(&signature),
        });
        Some(signed)
    }

    /// What checking the countersignature needs, or why it fails before any cryptography:
    /// [`Code::ConsentSignatureMissing`] (none), [`Code::ConsentSignatureKeyUnknown`] (its key is
    /// not in `keys`). The caller then verifies `signature` over `payload` with `public_key`, and a
    /// failure is [`Code::ConsentSignatureInvalid`]; [`Receipt::check_signature`] does both.
    pub fn signature_check(&self, keys: &[VerifyingKey]) -> Result<SignatureCheck, Issue> {
        let Some(sig) = &self.server_signature else {
            return Err(at(Code::ConsentSignatureMissing, &["serverSignature"]));
        };
        let Some(key) = keys.iter().find(|k| k.key_id == sig.key_id) else {
            return Err(at(
                Code::ConsentSignatureKeyUnknown,
                &["serverSignature", "keyId"],
            ));
        };
        let invalid = || at(Code::ConsentSignatureInvalid, &["serverSignature", "value"]);
        let bytes = from_base64url(&sig.value).ok_or_else(invalid)?;
        let signature: [u8; 64] = bytes.try_into().map_err(|_| invalid())?;
        Ok(SignatureCheck {
            public_key: key.public_key,
            signature,
            payload: self.signing_payload(),
        })
    }

    /// Checks the countersignature against `keys` with the caller's Ed25519 verification
    /// (`verify(public_key, message, signature)`, e.g. `ed25519-dalek`'s `verify_strict`): the core
    /// carries no cryptography library. Codes as [`Receipt::signature_check`], and
    /// [`Code::ConsentSignatureInvalid`] when `verify` says no.
    pub fn check_signature(
        &self,
        keys: &[VerifyingKey],
        verify: impl FnOnce(&[u8; 32], &[u8], &[u8; 64]) -> bool,
    ) -> Result<(), Issue> {
        let check = self.signature_check(keys)?;
        if verify(
            &check.public_key,
            check.payload.as_bytes(),
            &check.signature,
        ) {
            Ok(())
        } else {
            Err(at(
                Code::ConsentSignatureInvalid,
                &["serverSignature", "value"],
            ))
        }
    }
}

/// The reference a minor's receipts carry in `guardianId`: a salted commitment to the guardian's
/// identity, `gc:` + SHA-256 (hex) of `shiming:guardian:v1`, NUL, `salt`, NUL, the guardian
/// document's identity key (the core's `identity_key`: one document, one key).
///
/// The page draws `salt` (at least 128 random bits, base64url) and sends it with the guardian's
/// details in the registration; the server recomputes the reference from the document it checked
/// and refuses a registration whose receipts name another guardian, so a guardian consent is bound
/// to the person declared (PIPL Art. 31; 儿童个人信息网络保护规定 Art. 9) instead of a token any
/// client could invent. The receipt holds no number, and without the salt (kept by the server,
/// encrypted) the reference cannot be matched to a number by trying numbers. `None` for a salt that
/// is not 22 to 64 base64url characters or an empty key.
pub fn guardian_reference(identity_key: &str, salt: &str) -> Option<String> {
    if identity_key.is_empty() || !is_guardian_salt(salt) {
        return None;
    }
    let mut input = b"shiming:guardian:v1\0".to_vec();
    input.extend_from_slice(salt.as_bytes());
    input.push(0);
    input.extend_from_slice(identity_key.as_bytes());
    Some(format!("gc:{}", sha256_hex(&input)))
}

/// A guardian reference's salt: 22 to 64 base64url characters (at least 128 bits), canonical.
pub fn is_guardian_salt(salt: &str) -> bool {
    (22..=64).contains(&salt.len()) && from_base64url(salt).is_some()
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url (RFC 4648 §5) without padding.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 63;
            if let Some(&c) = BASE64URL.get(index as usize) {
                out.push(char::from(c));
            }
        }
    }
    out
}

/// The bytes of base64url without padding; `None` for anything else (padding, other alphabets,
/// a length no encoding has, non-zero trailing bits: one text per byte string).
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = BASE64URL.iter().position(|&b| b == c)?;
        acc = (acc << 6) | u32::try_from(v).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    // Leftover bits must be zero (canonical encoding).
    if acc & ((1 << bits) - 1) != 0 {
        return None;
    }
    Some(out)
}

/// A signing key's id: 1 to 32 of `A-Za-z0-9_-`.
fn is_key_id(s: &str) -> bool {
    (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn digest_of(value_without_digest: &Value) -> String {
    sha256_hex(
        canonicalize(value_without_digest)
            .unwrap_or_default()
            .as_bytes(),
    )
}

/// Builds the receipt of accepting `document`, and verifies it (so that what is built always
/// passes [`verify_receipt`]). The consent kind follows from the document's kind.
pub fn build_receipt(document: &Document, input: &ReceiptInput) -> Result<Receipt, Vec<Issue>> {
    let receipt = assemble(
        input,
        DocumentRef::of(document),
        document.kind.consent_kind(),
        input.subject.clone(),
        None,
        &document.locale,
    );
    seal(receipt, core::slice::from_ref(document))
}

/// Builds the receipt withdrawing `withdrawn` (same subject, same document). `documents` must hold
/// the withdrawn document's version. `input.reading` is ignored and `input.subject` replaced by the
/// withdrawn receipt's.
pub fn build_withdrawal(
    withdrawn: &Receipt,
    input: &ReceiptInput,
    documents: &[Document],
) -> Result<Receipt, Vec<Issue>> {
    let mut input = input.clone();
    input.reading = None;
    let mut receipt = assemble(
        &input,
        withdrawn.document.clone(),
        ConsentKind::Withdrawal,
        withdrawn.subject.clone(),
        Some(withdrawn.receipt_id.clone()),
        &withdrawn.language,
    );
    receipt.reading = None;
    seal(receipt, documents)
}

/// The server's part on sync: records its own time and recomputes the digest. A receipt that
/// already has a server time is refused ([`Code::ConsentFieldInvalid`] at `serverTimestamp`).
pub fn sync_receipt(receipt: &Receipt, server_time: i64) -> Result<Receipt, Issue> {
    if receipt.server_time.is_some() {
        return Err(invalid("serverTimestamp"));
    }
    if !(0..=MAX_SAFE).contains(&server_time) {
        return Err(invalid("serverTimestamp"));
    }
    let mut synced = receipt.clone();
    synced.server_time = Some(server_time);
    synced.server_signature = None;
    synced.digest = synced.compute_digest();
    Ok(synced)
}

fn assemble(
    input: &ReceiptInput,
    document: DocumentRef,
    consent_kind: ConsentKind,
    subject: String,
    withdraws: Option<String>,
    language: &str,
) -> Receipt {
    Receipt {
        receipt_id: input.receipt_id.clone(),
        jurisdiction: input.jurisdiction.clone(),
        collection_method: input.collection_method.clone(),
        language: language.into(),
        subject,
        guardian: input.guardian.clone(),
        consent_kind,
        document,
        reading: input.reading.clone(),
        withdraws,
        sequence: input.sequence,
        idempotency_key: input.idempotency_key.clone(),
        client_time: input.client_time,
        server_time: None,
        digest: String::new(),
        server_signature: None,
    }
}

fn seal(mut receipt: Receipt, documents: &[Document]) -> Result<Receipt, Vec<Issue>> {
    receipt.digest = receipt.compute_digest();
    verify_receipt(&receipt.to_json(), documents)
}

/// The members of a receipt, in the order they are checked.
const FIELDS: [&str; 19] = [
    "version",
    "jurisdiction",
    "consentTimestamp",
    "collectionMethod",
    "consentReceiptID",
    "language",
    "piiPrincipalId",
    "guardianId",
    "sensitive",
    "spiCat",
    "consentKind",
    "document",
    "reading",
    "withdraws",
    "sequence",
    "idempotencyKey",
    "serverTimestamp",
    "digest",
    "serverSignature",
];

fn at(code: Code, path: &[&'static str]) -> Issue {
    let mut issue = Issue::new(code);
    issue.path = path.iter().map(|k| PathSegment::Key(k)).collect();
    issue
}

/// Reads fields out of a JSON object, collecting issues.
struct Reader {
    issues: Vec<Issue>,
}

impl Reader {
    fn get<'v>(&mut self, object: &'v Value, path: &[&'static str]) -> Option<&'v Value> {
        let key = path.last().copied().unwrap_or("");
        let found = object.get(key);
        if found.is_none() {
            self.issues.push(at(Code::ConsentFieldMissing, path));
        }
        found
    }

    fn bad<T>(&mut self, path: &[&'static str]) -> Option<T> {
        self.issues.push(at(Code::ConsentFieldInvalid, path));
        None
    }

    fn string<'v>(&mut self, object: &'v Value, path: &[&'static str]) -> Option<&'v str> {
        match self.get(object, path)? {
            Value::String(s) => Some(s),
            _ => self.bad(path),
        }
    }

    /// A string satisfying `ok`, or `null` if `nullable`.
    fn checked<'v>(
        &mut self,
        object: &'v Value,
        path: &[&'static str],
        ok: fn(&str) -> bool,
    ) -> Option<String> {
        let s = self.string(object, path)?;
        if ok(s) {
            Some(s.into())
        } else {
            self.bad(path)
        }
    }

    /// `Some(None)` for `null`.
    fn nullable<'v>(
        &mut self,
        object: &'v Value,
        path: &[&'static str],
        ok: fn(&str) -> bool,
    ) -> Option<Option<String>> {
        match self.get(object, path)? {
            Value::Null => Some(None),
            Value::String(s) if ok(s) => Some(Some(s.clone())),
            _ => self.bad(path),
        }
    }

    fn integer(&mut self, object: &Value, path: &[&'static str], max: i64) -> Option<i64> {
        match self.get(object, path)? {
            Value::Int(i) if (0..=max).contains(i) => Some(*i),
            _ => self.bad(path),
        }
    }

    fn boolean(&mut self, object: &Value, path: &[&'static str]) -> Option<bool> {
        match self.get(object, path)? {
            Value::Bool(b) => Some(*b),
            _ => self.bad(path),
        }
    }

    /// An object with exactly the members `fields`.
    fn object<'v>(
        &mut self,
        object: &'v Value,
        path: &[&'static str],
        fields: &[&str],
    ) -> Option<&'v Value> {
        let value = self.get(object, path)?;
        self.members(value, path, fields).then_some(value)
    }

    /// Whether `value` is an object with no member outside `fields` (an unknown one is an issue).
    fn members(&mut self, value: &Value, path: &[&'static str], fields: &[&str]) -> bool {
        let Value::Object(members) = value else {
            self.issues.push(at(Code::ConsentFieldInvalid, path));
            return false;
        };
        if members.iter().any(|(k, _)| !fields.contains(&k.as_str())) {
            // An unknown member: the object holding it is invalid.
            self.issues.push(at(Code::ConsentFieldInvalid, path));
        }
        true
    }
}

/// A reference (receipt id, idempotency key, subject): 8 to 128 ASCII letters, digits and
/// `. _ : -`.
fn is_token(s: &str) -> bool {
    (8..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// Verifies a receipt: its shape, its own digest, and that it matches one of `documents` (same
/// id and version, same kind and digest, a document whose own digest holds). Every failure has its
/// code and path; on success, the receipt read.
pub fn verify_receipt(receipt_json: &str, documents: &[Document]) -> Result<Receipt, Vec<Issue>> {
    read_receipt(receipt_json, Some((documents, false)))
}

/// Documents whose own digests were checked once, when the set was made: a verifier that checks
/// many receipts against the same texts (a server) does not hash every text again for every
/// receipt. The documents cannot be changed afterwards.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedDocuments(Vec<Document>);

impl CheckedDocuments {
    /// The set, or the issues of the first document whose fields or digest do not hold.
    pub fn new(documents: Vec<Document>) -> Result<CheckedDocuments, Vec<Issue>> {
        for document in &documents {
            document.check()?;
        }
        Ok(CheckedDocuments(documents))
    }

    /// The documents, in the order given to [`CheckedDocuments::new`].
    pub fn as_slice(&self) -> &[Document] {
        &self.0
    }
}

/// [`verify_receipt`] against a [`CheckedDocuments`] set: the same checks and codes, without
/// hashing the texts again.
pub fn verify_receipt_checked(
    receipt_json: &str,
    documents: &CheckedDocuments,
) -> Result<Receipt, Vec<Issue>> {
    read_receipt(receipt_json, Some((documents.as_slice(), true)))
}

/// Reads a receipt and checks everything [`verify_receipt`] checks except the document: its
/// shape, its own digest, the derived members. For receipts of past document versions (the server
/// keeps the versions it published; a client may know only the current ones), e.g. to pass to
/// [`needs_reconsent`].
pub fn parse_receipt(receipt_json: &str) -> Result<Receipt, Vec<Issue>> {
    read_receipt(receipt_json, None)
}

/// `documents`: the set and whether its digests were checked already ([`CheckedDocuments`]).
fn read_receipt(
    receipt_json: &str,
    documents: Option<(&[Document], bool)>,
) -> Result<Receipt, Vec<Issue>> {
    let value =
        json::parse(receipt_json).map_err(|_| vec![Issue::new(Code::ConsentInvalidJson)])?;
    let mut r = Reader { issues: Vec::new() };
    if !matches!(value, Value::Object(_)) {
        return Err(vec![Issue::new(Code::ConsentInvalidJson)]);
    }
    r.members(&value, &[], &FIELDS);
    let v = &value;

    if let Some(version) = r.string(v, &["version"]) {
        if version != RECEIPT_VERSION {
            r.bad::<()>(&["version"]);
        }
    }
    let jurisdiction = r.checked(v, &["jurisdiction"], is_label);
    let client_time = r.integer(v, &["consentTimestamp"], MAX_SAFE);
    let collection_method = r.checked(v, &["collectionMethod"], is_label);
    let receipt_id = r.checked(v, &["consentReceiptID"], is_token);
    let language = r.checked(v, &["language"], is_locale_tag);
    let subject = r.checked(v, &["piiPrincipalId"], is_token);
    let guardian = r.nullable(v, &["guardianId"], is_token);
    let sensitive = r.boolean(v, &["sensitive"]);
    let spi = match r.get(v, &["spiCat"]) {
        Some(Value::Array(items)) => Some(items),
        Some(_) => r.bad(&["spiCat"]),
        None => None,
    };
    let consent_kind = match r.string(v, &["consentKind"]) {
        Some(s) => ConsentKind::parse(s).or_else(|| r.bad(&["consentKind"])),
        None => None,
    };
    let document = r
        .object(v, &["document"], &["id", "version", "kind", "digest"])
        .and_then(|d| {
            let id = r.checked(d, &["document", "id"], is_label);
            let version = r.checked(d, &["document", "version"], is_label);
            let kind = match r.string(d, &["document", "kind"]) {
                Some(s) => DocumentKind::parse(s).or_else(|| r.bad(&["document", "kind"])),
                None => None,
            };
            let digest = r.checked(d, &["document", "digest"], is_digest_hex);
            Some(DocumentRef {
                id: id?,
                version: version?,
                kind: kind?,
                digest: digest?,
            })
        });
    let reading = match r.get(v, &["reading"]) {
        None => None,
        Some(Value::Null) => Some(None),
        Some(reading) => {
            let fields = ["reachedEnd", "visibleSeconds", "viewport", "locale"];
            if r.members(reading, &["reading"], &fields) {
                let reached_end = r.boolean(reading, &["reading", "reachedEnd"]);
                let seconds =
                    r.integer(reading, &["reading", "visibleSeconds"], i64::from(u32::MAX));
                let viewport = r
                    .object(reading, &["reading", "viewport"], &["width", "height"])
                    .and_then(|vp| {
                        let max = i64::from(u32::MAX);
                        let width = r.integer(vp, &["reading", "viewport", "width"], max);
                        let height = r.integer(vp, &["reading", "viewport", "height"], max);
                        let viewport = Viewport {
                            width: u32::try_from(width?).ok()?,
                            height: u32::try_from(height?).ok()?,
                        };
                        // The viewport is recorded: a page that shows text has an area.
                        if viewport.width == 0 || viewport.height == 0 {
                            return r.bad(&["reading", "viewport"]);
                        }
                        Some(viewport)
                    });
                let locale = r.checked(reading, &["reading", "locale"], is_locale_tag);
                (|| {
                    Some(Some(ReadingEvidence {
                        reached_end: reached_end?,
                        visible_seconds: u32::try_from(seconds?).ok()?,
                        viewport: viewport?,
                        locale: locale?,
                    }))
                })()
            } else {
                None
            }
        }
    };
    let withdraws = r.nullable(v, &["withdraws"], is_token);
    let sequence = r.integer(v, &["sequence"], MAX_SAFE);
    let idempotency_key = r.checked(v, &["idempotencyKey"], is_token);
    let server_time = match r.get(v, &["serverTimestamp"]) {
        Some(Value::Null) => Some(None),
        Some(Value::Int(i)) if (0..=MAX_SAFE).contains(i) => Some(Some(*i)),
        Some(_) => r.bad(&["serverTimestamp"]),
        None => None,
    };
    let digest = r.checked(v, &["digest"], is_digest_hex);
    // Optional: absent (a receipt from before signatures) is the same as null.
    let server_signature = match v.get("serverSignature") {
        None | Some(Value::Null) => Some(None),
        Some(sig) => {
            if r.members(sig, &["serverSignature"], &["alg", "keyId", "value"]) {
                let alg = r.string(sig, &["serverSignature", "alg"]);
                if alg.is_some_and(|a| a != SIGNATURE_ALG) {
                    r.bad::<()>(&["serverSignature", "alg"]);
                }
                let key_id = r.checked(sig, &["serverSignature", "keyId"], is_key_id);
                let value = r.checked(sig, &["serverSignature", "value"], |t| {
                    t.len() == 86 && from_base64url(t).is_some()
                });
                match (alg, key_id, value) {
                    (Some(_), Some(key_id), Some(value)) => {
                        Some(Some(ServerSignature { key_id, value }))
                    }
                    _ => None,
                }
            } else {
                None
            }
        }
    };

    let mut issues = r.issues;
    let (
        Some(jurisdiction),
        Some(client_time),
        Some(collection_method),
        Some(receipt_id),
        Some(language),
        Some(subject),
        Some(guardian),
        Some(sensitive),
        Some(spi),
        Some(consent_kind),
        Some(document),
        Some(reading),
        Some(withdraws),
        Some(sequence),
        Some(idempotency_key),
        Some(server_time),
        Some(digest),
        Some(server_signature),
    ) = (
        jurisdiction,
        client_time,
        collection_method,
        receipt_id,
        language,
        subject,
        guardian,
        sensitive,
        spi,
        consent_kind,
        document,
        reading,
        withdraws,
        sequence,
        idempotency_key,
        server_time,
        digest,
        server_signature,
    )
    else {
        return Err(issues);
    };
    // Only a receipt the server synced is signed.
    if server_signature.is_some() && server_time.is_none() {
        issues.push(at(Code::ConsentFieldInvalid, &["serverSignature"]));
    }
    if !issues.is_empty() {
        return Err(issues);
    }

    // The receipt's own digest, over exactly what was received.
    if let Value::Object(members) = &value {
        let without: Vec<(String, Value)> = members
            .iter()
            .filter(|(k, _)| k != "digest" && k != "serverSignature")
            .cloned()
            .collect();
        if digest_of(&Value::Object(without)) != digest {
            issues.push(at(Code::ConsentReceiptDigestMismatch, &["digest"]));
        }
    }

    // Personal numbers never belong in a receipt.
    if looks_like_personal_number(&subject) {
        issues.push(at(Code::ConsentSubjectLooksLikeId, &["piiPrincipalId"]));
    }
    if guardian.as_deref().is_some_and(looks_like_personal_number) {
        issues.push(at(Code::ConsentSubjectLooksLikeId, &["guardianId"]));
    }

    // Derived members agree with the document kind.
    if sensitive != document.kind.is_sensitive() {
        issues.push(at(Code::ConsentFieldInvalid, &["sensitive"]));
    }
    let expected = spi_categories(document.kind);
    let same_categories = spi.len() == expected.len()
        && spi
            .iter()
            .zip(expected)
            .all(|(got, want)| matches!(got, Value::String(s) if s == want));
    if !same_categories {
        issues.push(at(Code::ConsentFieldInvalid, &["spiCat"]));
    }

    // Acceptance or withdrawal.
    if consent_kind == ConsentKind::Withdrawal {
        if withdraws.is_none() {
            issues.push(at(Code::ConsentFieldMissing, &["withdraws"]));
        }
        if reading.is_some() {
            issues.push(at(Code::ConsentFieldInvalid, &["reading"]));
        }
    } else {
        let expected = document.kind.consent_kind();
        if consent_kind != expected {
            issues.push(
                at(Code::ConsentKindMismatch, &["consentKind"])
                    .with("expected", ParamValue::Str(expected.as_str())),
            );
        }
        if withdraws.is_some() {
            issues.push(at(Code::ConsentFieldInvalid, &["withdraws"]));
        }
        if reading.is_none() {
            issues.push(at(Code::ConsentFieldMissing, &["reading"]));
        }
        if consent_kind == ConsentKind::Guardian && guardian.is_none() {
            issues.push(at(Code::ConsentFieldMissing, &["guardianId"]));
        }
    }

    // The document: known, intact, and the one the receipt names.
    // (parse_receipt: no documents, not checked)
    if let Some((documents, checked)) = documents {
        match documents
            .iter()
            .find(|d| d.id == document.id && d.version == document.version)
        {
            None => issues.push(at(Code::ConsentDocumentUnknown, &["document"])),
            Some(known) => {
                if !checked && known.check().is_err() {
                    issues.push(at(Code::ConsentDocumentDigestMismatch, &["document"]));
                } else if known.digest != document.digest {
                    issues.push(at(
                        Code::ConsentReceiptDocumentDigestMismatch,
                        &["document", "digest"],
                    ));
                }
                if known.kind != document.kind {
                    issues.push(
                        at(Code::ConsentKindMismatch, &["document", "kind"])
                            .with("expected", ParamValue::Str(known.kind.as_str())),
                    );
                }
                if !known.locale.eq_ignore_ascii_case(&language) {
                    issues.push(at(Code::ConsentFieldInvalid, &["language"]));
                }
                if let Some(evidence) = &reading {
                    issues.extend(unmet_reading(&known.reading, evidence));
                }
            }
        }
    }

    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(Receipt {
        receipt_id,
        jurisdiction,
        collection_method,
        language,
        subject,
        guardian,
        consent_kind,
        document,
        reading,
        withdraws,
        sequence: u64::try_from(sequence).unwrap_or(0),
        idempotency_key,
        client_time,
        server_time,
        digest,
        server_signature,
    })
}

/// What the evidence lacks against the document's reading rule ([`ReadingRequirement::unmet`], the
/// rule the page's tracker applies), at the evidence's members.
fn unmet_reading(rule: &ReadingRequirement, evidence: &ReadingEvidence) -> Vec<Issue> {
    rule.unmet(
        evidence.reached_end,
        f64::from(evidence.visible_seconds) * 1000.0,
    )
    .into_iter()
    .map(|issue| {
        let member = if issue.code == Code::ConsentEndNotReached {
            "reachedEnd"
        } else {
            "visibleSeconds"
        };
        // `at` puts a segment in front: the member, then its parent.
        issue
            .at(PathSegment::Key(member))
            .at(PathSegment::Key("reading"))
    })
    .collect()
}

/// Why a document must be accepted (again).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReconsentReason {
    /// No receipt accepts any version of it.
    NeverAccepted,
    /// The last acceptance was of another version (or text) than the current one (PIPL Art. 14).
    NewVersion,
    /// The last receipt withdraws consent.
    Withdrawn,
}

impl ReconsentReason {
    /// The snake_case name (API).
    pub const fn as_str(self) -> &'static str {
        match self {
            ReconsentReason::NeverAccepted => "never_accepted",
            ReconsentReason::NewVersion => "new_version",
            ReconsentReason::Withdrawn => "withdrawn",
        }
    }
}

/// One document to be accepted (again), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconsent {
    /// The document's [`Document::id`].
    pub document_id: String,
    /// The current version, the one to accept.
    pub version: String,
    /// The document's kind.
    pub kind: DocumentKind,
    /// Why it must be accepted (again).
    pub reason: ReconsentReason,
}

impl Reconsent {
    /// The reason as an issue (param `kind`: the document kind), to show the user.
    pub fn issue(&self) -> Issue {
        let code = match self.reason {
            ReconsentReason::NeverAccepted => Code::ConsentRequiredNeverAccepted,
            ReconsentReason::NewVersion => Code::ConsentRequiredNewVersion,
            ReconsentReason::Withdrawn => Code::ConsentRequiredWithdrawn,
        };
        Issue::new(code).with("kind", ParamValue::Str(self.kind.as_str()))
    }
}

/// What one subject must accept (again) among `current` documents, given their receipts (already
/// verified with [`verify_receipt`]), in the order of `current`.
///
/// For each document id, the receipts are taken in `sequence` order (then client time); the last
/// one decides: none → never accepted; a withdrawal → withdrawn (any withdrawal of a consent to the
/// document, even of an older version, counts: when in doubt, do not process); an acceptance of
/// another version or digest → new version.
pub fn needs_reconsent(receipts: &[Receipt], current: &[Document]) -> Vec<Reconsent> {
    let mut out = Vec::new();
    for document in current {
        let mut mine: Vec<&Receipt> = receipts
            .iter()
            .filter(|r| r.document.id == document.id)
            .collect();
        crate::small_sort::sort_by_key(&mut mine, |r| (r.sequence, r.client_time));
        let reason = match mine.last() {
            None => Some(ReconsentReason::NeverAccepted),
            Some(last) if last.consent_kind == ConsentKind::Withdrawal => {
                Some(ReconsentReason::Withdrawn)
            }
            Some(last)
                if last.document.version != document.version
                    || last.document.digest != document.digest =>
            {
                Some(ReconsentReason::NewVersion)
            }
            Some(_) => None,
        };
        if let Some(reason) = reason {
            out.push(Reconsent {
                document_id: document.id.clone(),
                version: document.version.clone(),
                kind: document.kind,
                reason,
            });
        }
    }
    out
}
