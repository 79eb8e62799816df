//! The encodings under the rules, internal to the crate: a strict JSON parser ([`json`]), RFC 8785
//! canonicalization of integer-only values ([`jcs`]) and SHA-256 ([`sha256`]). Consent receipts,
//! agreement documents, the minor-protection policy and the sync queue share them; none is a rule
//! of its own. The JSON value type is public as [`crate::json::Value`].

pub(crate) mod jcs;
pub(crate) mod json;
pub(crate) mod sha256;
