//! Agreement documents (协议与个人信息处理规则) and which of them a registration needs.
//!
//! # Sources
//! - **`pipl`**: 个人信息保护法 (PIPL, 2021-08-20, in force 2021-11-01). Art. 14: consent is
//!   informed, voluntary and explicit, and is asked again when the purpose or scope changes:
//!   every text is identified by id, version and the SHA-256 of the exact text shown, so a receipt
//!   says precisely what was agreed to. Art. 28: the personal information of a child under 14 is
//!   sensitive. Art. 29: sensitive personal information needs separate consent (单独同意):
//!   `sensitive_pi` is a document of its own. Art. 31: under 14, dedicated processing rules and
//!   the consent of a parent or guardian.
//! - **`gb-t-35273-2020`**: GB/T 35273-2020《信息安全技术 个人信息安全规范》 Annex B: an ID number
//!   is sensitive personal information (PIPL Art. 28 does not name ID numbers).
//! - **`children-pi-2019`**: 儿童个人信息网络保护规定 (国家互联网信息办公室令第4号, 2019) Arts. 8–10:
//!   dedicated rules for children's information, the guardian told clearly and asked for consent,
//!   with a way to refuse.
//! - **`gb-t-42574-2023`**: GB/T 42574-2023《信息安全技术 个人信息处理中告知和同意的实施指南》:
//!   the kinds of consent (explicit, separate, guardian, withdrawal) and keeping the evidence of
//!   consent (同意证据留存).
//!
//! The digest is computed here, natively and in wasm alike (the crate's own SHA-256, `codec::sha256`): a document whose
//! text does not match its declared digest is refused ([`Code::ConsentDocumentDigestMismatch`]).

use super::reading::{ReadingRequirement, MAX_MIN_SECONDS};
use crate::codec::json::Value;
use crate::codec::sha256::{is_digest_hex, sha256_hex};
use crate::issue::{Code, Issue, PathSegment};
use crate::minor::AgeBand;

/// The kinds of agreement document. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// 网站服务使用协议 (the service agreement).
    ServiceAgreement,
    /// 隐私政策 (the privacy policy).
    PrivacyPolicy,
    /// Separate consent to process sensitive personal information (PIPL Art. 29): the ID number,
    /// sensitive under GB/T 35273-2020 Annex B.
    SensitivePi,
    /// 儿童个人信息保护规则: the dedicated rules for children under 14 (PIPL Art. 31).
    ChildrenPrivacyRules,
    /// The consent of a parent or guardian for a child under 14 (PIPL Art. 31).
    GuardianConsent,
}

impl DocumentKind {
    /// Every kind, in the order [`required_documents`] lists them.
    pub const ALL: [DocumentKind; 5] = [
        DocumentKind::ServiceAgreement,
        DocumentKind::PrivacyPolicy,
        DocumentKind::SensitivePi,
        DocumentKind::ChildrenPrivacyRules,
        DocumentKind::GuardianConsent,
    ];

    /// The kind's snake_case name (`service_agreement`, `privacy_policy`, `sensitive_pi`,
    /// `children_privacy_rules`, `guardian_consent`), as a document's and a receipt's `kind`
    /// spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ServiceAgreement => "service_agreement",
            DocumentKind::PrivacyPolicy => "privacy_policy",
            DocumentKind::SensitivePi => "sensitive_pi",
            DocumentKind::ChildrenPrivacyRules => "children_privacy_rules",
            DocumentKind::GuardianConsent => "guardian_consent",
        }
    }

    /// The kind named `name` (see [`DocumentKind::as_str`]), if any.
    pub fn parse(name: &str) -> Option<DocumentKind> {
        DocumentKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == name)
    }

    /// Whether accepting it is consent to process sensitive personal information (PIPL Art. 28:
    /// a child's data; GB/T 35273-2020 Annex B: the ID number).
    pub const fn is_sensitive(self) -> bool {
        !matches!(
            self,
            DocumentKind::ServiceAgreement | DocumentKind::PrivacyPolicy
        )
    }

    /// The kind of consent that accepting this document is (GB/T 42574-2023).
    pub const fn consent_kind(self) -> super::receipt::ConsentKind {
        use super::receipt::ConsentKind;
        match self {
            DocumentKind::ServiceAgreement | DocumentKind::PrivacyPolicy => ConsentKind::Explicit,
            DocumentKind::SensitivePi | DocumentKind::ChildrenPrivacyRules => ConsentKind::Separate,
            DocumentKind::GuardianConsent => ConsentKind::Guardian,
        }
    }
}

/// The documents a user of this age band must accept, each separately, in this order.
///
/// Everyone: the service agreement, the privacy policy and separate consent for the ID number
/// (PIPL Art. 14, 29). Under 14 also the children's rules and the guardian's consent (PIPL Art. 31).
pub const fn required_documents(band: AgeBand) -> &'static [DocumentKind] {
    const EVERYONE: [DocumentKind; 3] = [
        DocumentKind::ServiceAgreement,
        DocumentKind::PrivacyPolicy,
        DocumentKind::SensitivePi,
    ];
    const UNDER_14: [DocumentKind; 5] = DocumentKind::ALL;
    match band {
        AgeBand::Under3 | AgeBand::From3To8 | AgeBand::From8To12 | AgeBand::From12To14 => &UNDER_14,
        AgeBand::From14To16 | AgeBand::From16To18 | AgeBand::Adult => &EVERYONE,
    }
}

/// The longest id, version, title or locale accepted, in characters.
pub const MAX_LABEL_CHARS: usize = 200;
/// The longest document text accepted, in bytes (the JSON parser takes 256 KB at most anyway).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// An agreement document, as shown to the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// A stable identifier across versions, e.g. `"privacy-policy"`.
    pub id: String,
    /// Opaque version label: two versions are equal only if written identically.
    pub version: String,
    /// What kind of agreement it is.
    pub kind: DocumentKind,
    /// The title shown to the user, at most [`MAX_LABEL_CHARS`] characters.
    pub title: String,
    /// The BCP 47 language tag of the text, e.g. `zh-CN`.
    pub locale: String,
    /// The exact text shown.
    pub text: String,
    /// Lowercase hex SHA-256 of the UTF-8 bytes of `text`.
    pub digest: String,
    /// What reading this document takes before it may be accepted (强制阅读): its publisher's
    /// rule, enforced when a receipt is built and again when one is verified, so a server refuses
    /// evidence that does not meet it with the code the page showed. JSON
    /// `"reading": { "reachEnd": true, "minSeconds": 10 }` (optional: the default is to reach the
    /// end, with no minimum time). Not part of `digest`, which covers the text only.
    pub reading: ReadingRequirement,
}

impl Document {
    /// A document with its digest computed from `text`.
    pub fn new(
        id: &str,
        version: &str,
        kind: DocumentKind,
        title: &str,
        locale: &str,
        text: &str,
    ) -> Document {
        Document {
            id: id.into(),
            version: version.into(),
            kind,
            title: title.into(),
            locale: locale.into(),
            text: text.into(),
            digest: sha256_hex(text.as_bytes()),
            reading: ReadingRequirement::default(),
        }
    }

    /// The same document with its reading rule.
    pub fn with_reading(mut self, reading: ReadingRequirement) -> Document {
        self.reading = reading;
        self
    }

    /// Checks every field, and that `digest` is the SHA-256 of `text`.
    pub fn check(&self) -> Result<(), Vec<Issue>> {
        let mut issues = Vec::new();
        for (name, value) in [
            ("id", &self.id),
            ("version", &self.version),
            ("title", &self.title),
        ] {
            if !is_label(value) {
                issues.push(invalid(name));
            }
        }
        if !is_locale_tag(&self.locale) {
            issues.push(invalid("locale"));
        }
        if self.text.trim().is_empty() || self.text.len() > MAX_TEXT_BYTES {
            issues.push(invalid("text"));
        }
        if !is_digest_hex(&self.digest) {
            issues.push(invalid("digest"));
        } else if sha256_hex(self.text.as_bytes()) != self.digest {
            issues.push(
                Issue::new(Code::ConsentDocumentDigestMismatch).at(PathSegment::Key("digest")),
            );
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }

    /// Reads a document from JSON `{ id, version, kind, title, locale, text, digest, reading? }` and checks
    /// it ([`Document::check`]): a text that does not match its digest is refused.
    pub fn from_json(text: &str) -> Result<Document, Vec<Issue>> {
        let value = crate::codec::json::parse(text)
            .map_err(|_| vec![Issue::new(Code::ConsentInvalidJson)])?;
        Document::from_value(&value)
    }

    /// Reads a document from a parsed JSON object and checks it.
    pub fn from_value(value: &Value) -> Result<Document, Vec<Issue>> {
        let Value::Object(members) = value else {
            return Err(vec![Issue::new(Code::ConsentInvalidJson)]);
        };
        const FIELDS: [&str; 8] = [
            "id", "version", "kind", "title", "locale", "text", "digest", "reading",
        ];
        let mut issues = Vec::new();
        if members.iter().any(|(k, _)| !FIELDS.contains(&k.as_str())) {
            issues.push(Issue::new(Code::ConsentFieldInvalid));
        }
        let mut text = |name: &'static str| match value.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                issues.push(invalid(name));
                String::new()
            }
            None => {
                issues.push(missing(name));
                String::new()
            }
        };
        let mut document = Document {
            id: text("id"),
            version: text("version"),
            kind: DocumentKind::ServiceAgreement,
            title: text("title"),
            locale: text("locale"),
            text: text("text"),
            digest: text("digest"),
            reading: ReadingRequirement::default(),
        };
        match value.get("reading") {
            None => {}
            Some(reading) => match reading_rule(reading) {
                Some(rule) => document.reading = rule,
                None => issues.push(invalid("reading")),
            },
        }
        match value.get("kind") {
            Some(Value::String(s)) => match DocumentKind::parse(s) {
                Some(kind) => document.kind = kind,
                None => issues.push(invalid("kind")),
            },
            Some(_) => issues.push(invalid("kind")),
            None => issues.push(missing("kind")),
        }
        if !issues.is_empty() {
            return Err(issues);
        }
        document.check()?;
        Ok(document)
    }
}

/// `{ "reachEnd": bool, "minSeconds": 0..=600 (whole seconds) }`, both members required.
fn reading_rule(value: &Value) -> Option<ReadingRequirement> {
    let Value::Object(members) = value else {
        return None;
    };
    if members.len() != 2 {
        return None;
    }
    let Some(Value::Bool(reach_end)) = value.get("reachEnd") else {
        return None;
    };
    let Some(Value::Int(seconds)) = value.get("minSeconds") else {
        return None;
    };
    // Whole seconds, so that a receipt's whole `visibleSeconds` compares exactly.
    let seconds = u16::try_from(*seconds).ok()?;
    let seconds = f64::from(seconds);
    if seconds > MAX_MIN_SECONDS {
        return None;
    }
    ReadingRequirement::new(*reach_end, seconds)
}

/// The JSON of a reading rule (whole seconds; a fractional minimum, possible only natively, is
/// rounded up so that the rule is never weakened).
pub fn reading_rule_value(rule: &ReadingRequirement) -> Value {
    // In 0..=600 (ReadingRequirement::new), so the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    let seconds = rule.min_seconds.ceil() as i64;
    Value::Object(vec![
        ("reachEnd".into(), Value::Bool(rule.reach_end)),
        ("minSeconds".into(), Value::Int(seconds)),
    ])
}

/// [`reading_rule_value`] as JSON text (RFC 8785), e.g. for a backend's policy bundle.
pub fn reading_rule_json(rule: &ReadingRequirement) -> String {
    crate::codec::jcs::canonicalize(&reading_rule_value(rule)).unwrap_or_default()
}

pub(super) fn invalid(name: &'static str) -> Issue {
    Issue::new(Code::ConsentFieldInvalid).at(PathSegment::Key(name))
}

pub(super) fn missing(name: &'static str) -> Issue {
    Issue::new(Code::ConsentFieldMissing).at(PathSegment::Key(name))
}

/// A non-blank label of at most [`MAX_LABEL_CHARS`] characters, without control characters.
pub(super) fn is_label(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= MAX_LABEL_CHARS && !s.chars().any(char::is_control)
}

/// A BCP 47-shaped tag: ASCII letters, digits and hyphens, 2 to 35 characters, starting with a
/// letter (the shape only; the registry is not consulted).
pub(super) fn is_locale_tag(s: &str) -> bool {
    (2..=35).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
