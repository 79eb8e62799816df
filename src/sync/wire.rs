//! Request bodies of protocol v1 (`docs/protocol.md`), written canonically (RFC 8785) so that the
//! same request is always the same bytes: a retry must send exactly the body of the first attempt.

// Integer-only RFC 8785: receipts and registrations hold no fractions.
use crate::codec::jcs::{canonicalize, canonicalize_text};
use crate::codec::json::Value;
use crate::registration::Derived;

/// At most this many receipts in one `POST /consents`.
pub const MAX_RECEIPTS_PER_REQUEST: usize = 20;

/// Why a request body cannot be built. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireError {
    /// No receipt.
    NoReceipts,
    /// More than [`MAX_RECEIPTS_PER_REQUEST`] receipts.
    TooManyReceipts,
    /// Receipt `index` is not a JSON object with a canonical form.
    InvalidReceipt {
        /// The receipt's position in the list, from 0.
        index: usize,
    },
}

impl WireError {
    /// The error's snake_case name: `no_receipts`, `too_many_receipts` or `invalid_receipt`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            WireError::NoReceipts => "no_receipts",
            WireError::TooManyReceipts => "too_many_receipts",
            WireError::InvalidReceipt { .. } => "invalid_receipt",
        }
    }
}

/// The body of `POST {base}/consents`: `{"receipts":[…]}`, each receipt as its canonical JSON
/// (what [`crate::consent::Receipt::to_json`] gives, digest included).
pub fn consents_request(receipts: &[&str]) -> Result<String, WireError> {
    if receipts.is_empty() {
        return Err(WireError::NoReceipts);
    }
    if receipts.len() > MAX_RECEIPTS_PER_REQUEST {
        return Err(WireError::TooManyReceipts);
    }
    let mut out = String::from("{\"receipts\":[");
    for (index, receipt) in receipts.iter().enumerate() {
        let canonical = canonicalize_text(receipt)
            .filter(|c| c.starts_with('{'))
            .ok_or(WireError::InvalidReceipt { index })?;
        if index > 0 {
            out.push(',');
        }
        out.push_str(&canonical);
    }
    out.push_str("]}");
    Ok(out)
}

/// The `consentReceiptID`s of a `POST {base}/consents` body, in order (a receipt without a
/// string one is skipped; empty if the body is not such a document).
pub fn receipt_ids(consents_body: &str) -> Vec<String> {
    let Ok(document) = crate::codec::json::parse(consents_body) else {
        return Vec::new();
    };
    let Some(Value::Array(receipts)) = document.get("receipts") else {
        return Vec::new();
    };
    receipts
        .iter()
        .filter_map(|receipt| match receipt.get("consentReceiptID") {
            Some(Value::String(id)) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

/// The body of `POST {base}/registrations`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationRequest<'a> {
    /// The record's natural key: random, from the client (not personal data).
    pub registration_id: &'a str,
    /// The real name, as the form has it.
    pub name: &'a str,
    /// The declared document kind (`cn_resident`, …), if the form has the field.
    pub id_kind: Option<&'a str>,
    /// The document number, as the form has it.
    pub id_number: &'a str,
    /// The mobile number, as the form has it.
    pub phone: &'a str,
    /// The declared birth date (`YYYY-MM-DD`) for a document that encodes none: sent as the page
    /// has it; the server checks it again.
    pub birth_date: Option<&'a str>,
    /// The client's view of the holder (informative: the server recomputes it).
    pub derived: Option<&'a Derived>,
    /// The client's verdict (never trusted by the server): ok, and the codes it found.
    pub client_ok: bool,
    /// The codes of the issues the client found (`clientSummary.codes`).
    pub client_codes: &'a [&'a str],
    /// The `consentReceiptID`s of the receipts this registration relies on.
    pub consents: &'a [&'a str],
    /// The client's clock (Unix ms) when the form was submitted.
    pub client_time_ms: u64,
    /// A child under 14's guardian (PIPL Art. 31): checked again and stored by the server.
    pub guardian: Option<GuardianRequest<'a>>,
}

/// The guardian's details in a registration (`"guardian"` of the body), as the page has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardianRequest<'a> {
    /// The guardian's real name.
    pub name: &'a str,
    /// The guardian's declared document kind (`cn_resident`, …), if the form has the field.
    pub id_kind: Option<&'a str>,
    /// The guardian's document number.
    pub id_number: &'a str,
    /// The guardian's mobile number.
    pub phone: &'a str,
    /// `parent`, `grandparent`, `sibling` or `other` (the core's
    /// [`Relation`](crate::minor::Relation)).
    pub relation: &'a str,
    /// `YYYY-MM-DD`, for a document that encodes no birth date.
    pub birth_date: Option<&'a str>,
    /// The salt of the receipts' `guardianId` (`consent::receipt::guardian_reference`).
    pub salt: &'a str,
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn member(key: &str, value: Value) -> (String, Value) {
    (key.to_string(), value)
}

impl RegistrationRequest<'_> {
    /// The body as canonical JSON.
    pub fn to_json(&self) -> String {
        let mut form = vec![
            member("name", text(self.name)),
            member("idNumber", text(self.id_number)),
            member("phone", text(self.phone)),
        ];
        if let Some(kind) = self.id_kind {
            form.push(member("idKind", text(kind)));
        }
        if let Some(birth_date) = self.birth_date {
            form.push(member("birthDate", text(birth_date)));
        }
        let mut members = vec![
            member("registrationId", text(self.registration_id)),
            member("form", Value::Object(form)),
            member(
                "clientSummary",
                Value::Object(vec![
                    member("ok", Value::Bool(self.client_ok)),
                    member(
                        "codes",
                        Value::Array(self.client_codes.iter().map(|c| text(c)).collect()),
                    ),
                ]),
            ),
            member(
                "consents",
                Value::Array(self.consents.iter().map(|c| text(c)).collect()),
            ),
            member(
                "clientTime",
                Value::Int(i64::try_from(self.client_time_ms).unwrap_or(0)),
            ),
        ];
        if let Some(derived) = self.derived {
            let mut fields = vec![member("kind", text(derived.kind.as_str()))];
            if let Some(date) = derived.birth_date {
                let iso = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
                fields.push(member("birthDate", Value::String(iso)));
            }
            if let Some(source) = derived.birth_date_source {
                fields.push(member("birthDateSource", text(source.as_str())));
            }
            if let Some(gender) = derived.gender {
                fields.push(member("gender", text(gender.as_str())));
            }
            if let Some(age) = derived.age {
                fields.push(member("age", Value::Int(i64::from(age))));
            }
            if let Some(minor) = derived.is_minor {
                fields.push(member("isMinor", Value::Bool(minor)));
            }
            if let Some(band) = derived.age_band {
                fields.push(member("ageBand", text(band.as_str())));
            }
            members.push(member("derived", Value::Object(fields)));
        }
        if let Some(g) = &self.guardian {
            let mut fields = vec![
                member("name", text(g.name)),
                member("idNumber", text(g.id_number)),
                member("phone", text(g.phone)),
                member("relation", text(g.relation)),
                member("salt", text(g.salt)),
            ];
            if let Some(kind) = g.id_kind {
                fields.push(member("idKind", text(kind)));
            }
            if let Some(birth_date) = g.birth_date {
                fields.push(member("birthDate", text(birth_date)));
            }
            members.push(member("guardian", Value::Object(fields)));
        }
        // Strings, booleans and small integers only: canonicalization cannot fail.
        canonicalize(&Value::Object(members)).unwrap_or_default()
    }
}
