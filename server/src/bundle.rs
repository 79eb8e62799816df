//! What `GET {base}/policy` publishes, and what receipts are verified against: the minor-protection
//! policy, the agreement documents (every version ever published), and the document kinds this
//! server accepts.
//!
//! The documents are `documents/manifest.json` and its text files, byte for byte: compiled into the
//! binary, or read from `--documents-dir`. Retired versions stay listed (`"retired": true`):
//! receipts for them still verify, but only the current version of each kind covers a new
//! registration, and the policy answer publishes the current ones.
//!
//! The policy is a preset of the core (`--policy-preset`, default `cn-2024-games`), or `--policy-file`;
//! it is checked with the core's `Policy::parse` before the server starts.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::json;
use shiming::consent::{CheckedDocuments, Document, DocumentKind, ReadingRequirement};
use shiming::minor::policy::PRESETS;
use shiming::{IdKind, KindSet, Policy};

const MANIFEST: &str = include_str!("../documents/manifest.json");
const EMBEDDED: [(&str, &str); 20] = [
    (
        "service-agreement.v1.md",
        include_str!("../documents/service-agreement.v1.md"),
    ),
    (
        "privacy-policy.v1.md",
        include_str!("../documents/privacy-policy.v1.md"),
    ),
    (
        "sensitive-pi.v1.md",
        include_str!("../documents/sensitive-pi.v1.md"),
    ),
    (
        "children-privacy-rules.v1.md",
        include_str!("../documents/children-privacy-rules.v1.md"),
    ),
    (
        "guardian-consent.v1.md",
        include_str!("../documents/guardian-consent.v1.md"),
    ),
    (
        "service-agreement.v2.md",
        include_str!("../documents/service-agreement.v2.md"),
    ),
    (
        "privacy-policy.v2.md",
        include_str!("../documents/privacy-policy.v2.md"),
    ),
    (
        "sensitive-pi.v2.md",
        include_str!("../documents/sensitive-pi.v2.md"),
    ),
    (
        "children-privacy-rules.v2.md",
        include_str!("../documents/children-privacy-rules.v2.md"),
    ),
    (
        "guardian-consent.v2.md",
        include_str!("../documents/guardian-consent.v2.md"),
    ),
    (
        "privacy-policy.v3.md",
        include_str!("../documents/privacy-policy.v3.md"),
    ),
    (
        "children-privacy-rules.v3.md",
        include_str!("../documents/children-privacy-rules.v3.md"),
    ),
    (
        "guardian-consent.v3.md",
        include_str!("../documents/guardian-consent.v3.md"),
    ),
    (
        "service-agreement.v3.md",
        include_str!("../documents/service-agreement.v3.md"),
    ),
    (
        "privacy-policy.v4.md",
        include_str!("../documents/privacy-policy.v4.md"),
    ),
    (
        "children-privacy-rules.v4.md",
        include_str!("../documents/children-privacy-rules.v4.md"),
    ),
    (
        "service-agreement.v4.md",
        include_str!("../documents/service-agreement.v4.md"),
    ),
    (
        "sensitive-pi.v3.md",
        include_str!("../documents/sensitive-pi.v3.md"),
    ),
    (
        "privacy-policy.v5.md",
        include_str!("../documents/privacy-policy.v5.md"),
    ),
    (
        "children-privacy-rules.v5.md",
        include_str!("../documents/children-privacy-rules.v5.md"),
    ),
];

/// The protocol version.
pub const PROTOCOL: u32 = 1;

#[derive(Deserialize)]
struct Manifest {
    documents: Vec<ManifestEntry>,
}

#[derive(Deserialize)]
struct ManifestEntry {
    id: String,
    version: String,
    kind: String,
    title: String,
    locale: String,
    file: String,
    #[serde(default)]
    retired: bool,
    /// The reading rule (强制阅读); absent: reach the end, no minimum time.
    #[serde(default)]
    reading: Option<ReadingRule>,
    /// What the text tells the user about processing the server only does when configured to,
    /// so that a flag cannot make a current text untrue: `unused-cleanup` (unused accounts are
    /// deleted after a notice), `recipient:<name>` (personal data goes to that recipient, an
    /// identity verification service or an SMS gateway). The server refuses to start with such a
    /// setting unless a current document declares it.
    #[serde(default)]
    declares: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ReadingRule {
    reach_end: bool,
    min_seconds: u16,
}

/// The loaded bundle.
pub struct Bundle {
    /// Every version ever published, each text's digest checked once at load (receipts are
    /// verified against them without hashing every text again).
    pub all: CheckedDocuments,
    /// The current document of each kind.
    pub current: HashMap<DocumentKind, Document>,
    /// The kinds registrations may use.
    pub kinds: KindSet,
    /// The body of `GET /policy` without `serverTime`, as a JSON object.
    answer: serde_json::Map<String, serde_json::Value>,
    /// Its version (the ETag).
    pub version: String,
    /// The minor-protection policy in force (for `POST …/evaluate` and guardian limits).
    pub policy: Policy,
    /// What the current documents declare (`declares` in the manifest).
    pub declared: Vec<String>,
}

impl Bundle {
    /// Loads the documents (from `dir`, else the compiled-in ones) and the policy (from
    /// `policy_file`, else the core's preset named `preset`).
    pub fn load(
        dir: Option<&Path>,
        policy_file: Option<&Path>,
        preset: &str,
        kinds: KindSet,
    ) -> Result<Bundle, String> {
        let read = |file: &str| -> Result<String, String> {
            match dir {
                Some(dir) => std::fs::read_to_string(dir.join(file))
                    .map_err(|e| format!("documents: cannot read {file}: {e}")),
                None => EMBEDDED
                    .iter()
                    .find(|(name, _)| *name == file)
                    .map(|(_, text)| (*text).to_string())
                    .ok_or_else(|| format!("documents: {file} is not compiled in")),
            }
        };
        let manifest_text = match dir {
            Some(_) => read("manifest.json")?,
            None => MANIFEST.to_string(),
        };
        let manifest: Manifest = serde_json::from_str(&manifest_text)
            .map_err(|e| format!("documents: manifest.json: {e}"))?;
        let mut all = Vec::new();
        let mut current = HashMap::new();
        let mut declared = Vec::new();
        for entry in manifest.documents {
            if !entry.retired {
                declared.extend(entry.declares.iter().cloned());
            }
            let kind = DocumentKind::parse(&entry.kind).ok_or_else(|| {
                format!("documents: unknown kind {:?} for {}", entry.kind, entry.id)
            })?;
            if all
                .iter()
                .any(|d: &Document| d.id == entry.id && d.version == entry.version)
            {
                return Err(format!(
                    "documents: {} version {} is listed twice",
                    entry.id, entry.version
                ));
            }
            let text = read(&entry.file)?;
            let mut document = Document::new(
                &entry.id,
                &entry.version,
                kind,
                &entry.title,
                &entry.locale,
                &text,
            );
            if let Some(rule) = &entry.reading {
                document = document.with_reading(
                    ReadingRequirement::new(rule.reach_end, f64::from(rule.min_seconds))
                        .ok_or_else(|| {
                            format!(
                                "documents: {} {}: reading.minSeconds must be 0 to 600",
                                entry.id, entry.version
                            )
                        })?,
                );
            }
            document.check().map_err(|_| {
                format!(
                    "documents: {} {} is not a valid document",
                    entry.id, entry.version
                )
            })?;
            if !entry.retired && current.insert(kind, document.clone()).is_some() {
                return Err(format!(
                    "documents: two current documents of kind {}",
                    kind.as_str()
                ));
            }
            all.push(document);
        }
        for kind in DocumentKind::ALL {
            if !current.contains_key(&kind) {
                return Err(format!(
                    "documents: no current document of kind {}",
                    kind.as_str()
                ));
            }
        }

        let policy_text = match policy_file {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read the policy {}: {e}", path.display()))?,
            None => match PRESETS.iter().find(|(name, _)| *name == preset) {
                Some((_, text)) => text.to_string(),
                None => {
                    let names: Vec<&str> = PRESETS.iter().map(|(name, _)| *name).collect();
                    return Err(format!(
                        "no policy preset {preset:?} (the presets: {})",
                        names.join(", ")
                    ));
                }
            },
        };
        let parsed =
            Policy::parse(&policy_text).map_err(|e| format!("the policy is not valid: {e}"))?;
        let policy: serde_json::Value = serde_json::from_str(&policy_text)
            .map_err(|e| format!("the policy is not JSON: {e}"))?;

        let documents: Vec<serde_json::Value> = DocumentKind::ALL
            .iter()
            .filter_map(|kind| current.get(kind))
            .map(|d| {
                json!({
                    "id": d.id, "version": d.version, "kind": d.kind.as_str(), "title": d.title,
                    "locale": d.locale, "text": d.text, "digest": d.digest,
                    "reading": reading_json(&d.reading),
                })
            })
            .collect();
        let id_kinds: Vec<&str> = IdKind::ALL
            .iter()
            .filter(|k| kinds.contains(**k))
            .map(|k| k.as_str())
            .collect();
        // The documents' digests and reading rules: a new rule is a new policy version.
        let digests: Vec<serde_json::Value> = DocumentKind::ALL
            .iter()
            .filter_map(|kind| current.get(kind))
            .map(|d| json!([d.digest, reading_json(&d.reading)]))
            .collect();
        let fingerprint = json!({ "protocol": PROTOCOL, "policy": policy, "documents": digests, "idKinds": id_kinds });
        let version = shiming_hex(&crate::keys::sha256(fingerprint.to_string().as_bytes()))
            .chars()
            .take(16)
            .collect::<String>();
        let mut answer = serde_json::Map::new();
        answer.insert("protocol".into(), json!(PROTOCOL));
        answer.insert("version".into(), json!(version));
        answer.insert("policy".into(), policy);
        answer.insert("documents".into(), json!(documents));
        answer.insert("phoneSegments".into(), serde_json::Value::Null);
        answer.insert("idKinds".into(), json!(id_kinds));
        let all = CheckedDocuments::new(all)
            .map_err(|_| "documents: a document's text does not match its digest".to_string())?;
        Ok(Bundle {
            all,
            current,
            kinds,
            answer,
            version,
            policy: parsed,
            declared,
        })
    }

    /// Whether a current document declares `what` (see the manifest's `declares`).
    pub fn declares(&self, what: &str) -> bool {
        self.declared.iter().any(|d| d == what)
    }

    /// Publishes the public keys that verify this server's receipt signatures (`signingKeys`, the
    /// current one first), and makes them part of the policy's version.
    pub fn publish_signing_keys(&mut self, keys: &[(String, [u8; 32])]) {
        let listed: Vec<serde_json::Value> = keys
            .iter()
            .map(|(id, public)| {
                json!({
                    "keyId": id,
                    "alg": shiming::consent::receipt::SIGNATURE_ALG,
                    "publicKey": shiming::consent::receipt::base64url(public),
                })
            })
            .collect();
        let listed = json!(listed);
        self.version = shiming_hex(&crate::keys::sha256(
            format!("{}{}", self.version, listed).as_bytes(),
        ))
        .chars()
        .take(16)
        .collect();
        self.answer.insert("version".into(), json!(self.version));
        self.answer.insert("signingKeys".into(), listed);
    }

    /// Publishes the phone codes this server offers (`phoneCodes`, phone_codes.rs; nothing without
    /// an SMS sender), and makes them part of the policy's version: a page that cached the policy
    /// learns of a change.
    pub fn publish_phone_codes(&mut self, member: Option<serde_json::Value>) {
        let Some(member) = member else {
            return;
        };
        self.version = shiming_hex(&crate::keys::sha256(
            format!("{}phoneCodes{}", self.version, member).as_bytes(),
        ))
        .chars()
        .take(16)
        .collect();
        self.answer.insert("version".into(), json!(self.version));
        self.answer.insert("phoneCodes".into(), member);
    }

    /// The body of `GET /policy` at `server_time` (ms).
    pub fn answer(&self, server_time: i64) -> String {
        let mut answer = self.answer.clone();
        answer.insert("serverTime".into(), json!(server_time));
        serde_json::Value::Object(answer).to_string()
    }
}

/// A reading rule as the core writes it (`{ "reachEnd", "minSeconds" }`).
fn reading_json(rule: &ReadingRequirement) -> serde_json::Value {
    let text = shiming::consent::document::reading_rule_json(rule);
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

pub fn shiming_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Parses `--kinds` (comma-separated kind names); `None`: the core's default.
pub fn parse_kinds(text: Option<&str>) -> Result<KindSet, String> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(KindSet::mainland_platform());
    };
    let mut set = KindSet::empty();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let kind = IdKind::parse(name).ok_or_else(|| {
            format!(
                "--kinds: unknown document kind {name:?} (known: {})",
                IdKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        set = set.with(kind);
    }
    if set.is_empty() {
        return Err("--kinds must name at least one document kind".into());
    }
    Ok(set)
}
