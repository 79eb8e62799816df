//! The generic HTTPS provider: a commercial 二要素 (name + number) or 三要素 (name + number +
//! mobile) verification service, described by a JSON mapping rather than code. The format, with a
//! worked example, is in `docs/verification.md`.
//!
//! In short: a request is the `body` template with `{{name}}`, `{{idNumber}}`, `{{phone}}` and
//! `{{reference}}` filled in, sent to `url` with `headers` (whose `${ENV}` references were read at
//! start-up); the answer's value at `result.pointer` (RFC 6901) is looked up in `result.verified`,
//! `result.failed` and `result.pending`. Anything else, a non-2xx status, a body that is not
//! JSON: [`Outcome::Unavailable`], never a verdict.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use hmac::{Hmac, Mac};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

use super::{
    parse_url, send, status_outcome, timeout_from_ms, Behavior, BoxFuture, Outcome, Provider,
    Secret, Subject,
};

/// The provider's id, in logs.
const ID: &str = "http";

/// The codes a mapping may give a failure (an [`Outcome::Failed`]'s code is one of these, so that
/// the pages and the API know every one).
pub const FAILED_CODES: &[&str] = &[
    // The name and the number do not belong together (or the phone, for three factors, in general).
    "verification_mismatch",
    // No such number.
    "verification_id_invalid",
    // Three factors: the name and number match, the mobile is not theirs.
    "verification_phone_mismatch",
    // The service says no, without saying why.
    "verification_failed",
];

/// The placeholders of a template.
const PLACEHOLDERS: &[&str] = &["{{name}}", "{{idNumber}}", "{{phone}}", "{{reference}}"];

/// The mapping file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileConfig {
    /// Free text for whoever reads the file.
    #[serde(default, rename = "comment")]
    _comment: Option<Value>,
    recipient: String,
    url: String,
    #[serde(default = "default_method")]
    method: String,
    #[serde(default)]
    encoding: Encoding,
    factors: u8,
    kinds: Vec<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    body: Value,
    result: FileResult,
    timeout_ms: Option<u64>,
    sign: Option<FileSign>,
    query: Option<FileQuery>,
}

fn default_method() -> String {
    "POST".into()
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum Encoding {
    /// `application/json`.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, from a flat object.
    Form,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileResult {
    pointer: String,
    verified: Vec<Value>,
    #[serde(default)]
    failed: BTreeMap<String, String>,
    #[serde(default)]
    pending: Vec<Value>,
    /// The pointer of the service's transaction id, kept as [`Outcome::Verified`]'s reference.
    reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileSign {
    header: String,
    secret_env: String,
    over: String,
    #[serde(default)]
    encoding: SignEncoding,
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum SignEncoding {
    #[default]
    Hex,
    Base64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileQuery {
    url: String,
    method: Option<String>,
    body: Value,
    result: Option<FileResult>,
}

/// How an answer is read.
#[derive(Debug)]
struct ResultMap {
    pointer: String,
    verified: Vec<String>,
    failed: Vec<(String, &'static str)>,
    pending: Vec<String>,
    reference: Option<String>,
}

/// One kind of request (the check, or the query).
#[derive(Debug)]
struct Call {
    url: reqwest::Url,
    method: reqwest::Method,
    body: Value,
    result: ResultMap,
}

/// The generic provider.
pub struct HttpProvider {
    recipient: String,
    factors: u8,
    kinds: Vec<String>,
    encoding: Encoding,
    /// Marked sensitive: they may hold credentials.
    headers: HeaderMap,
    sign: Option<(HeaderName, Secret, SignEncoding)>,
    check: Call,
    query: Option<Call>,
    client: reqwest::Client,
}

impl fmt::Debug for HttpProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpProvider")
            .field("recipient", &self.recipient)
            .field("factors", &self.factors)
            .field("kinds", &self.kinds)
            .field("url", &self.check.url.as_str())
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("signed", &self.sign.is_some())
            .field("query", &self.query.as_ref().map(|q| q.url.as_str()))
            .finish()
    }
}

impl HttpProvider {
    /// Reads a mapping file (`--verify-http-config`); `timeout` applies unless it sets `timeoutMs`.
    pub fn from_file(path: &Path, timeout: Duration) -> Result<HttpProvider, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("--verify-http-config {}: {e}", path.display()))?;
        HttpProvider::from_json(&text, timeout, |name| std::env::var(name).ok())
            .map_err(|e| format!("--verify-http-config {}: {e}", path.display()))
    }

    /// Reads a mapping; `env` looks up the `${ENV}` references and `sign.secretEnv`.
    pub fn from_json(
        text: &str,
        timeout: Duration,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<HttpProvider, String> {
        let file: FileConfig =
            serde_json::from_str(text).map_err(|e| format!("not a valid mapping: {e}"))?;
        let recipient = file.recipient.trim().to_string();
        if recipient.is_empty() {
            return Err("`recipient` must name whom the data is sent to (the privacy policy names them too)".into());
        }
        if !matches!(file.factors, 2 | 3) {
            return Err(
                "`factors` must be 2 (name and number) or 3 (and the mobile number)".into(),
            );
        }
        if file.kinds.is_empty() {
            return Err(
                "`kinds` must list at least one document kind (e.g. \"cn_resident\")".into(),
            );
        }
        for kind in &file.kinds {
            if shiming::IdKind::parse(kind).is_none() {
                return Err(format!(
                    "`kinds`: {kind:?} is not a document kind of the core"
                ));
            }
        }
        let timeout = match file.timeout_ms {
            Some(ms) => timeout_from_ms(ms, "`timeoutMs`")?,
            None => timeout,
        };

        let mut headers = HeaderMap::new();
        for (name, value) in &file.headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("`headers`: {name:?} is not a header name"))?;
            let expanded = expand_env(value, &env).map_err(|e| format!("`headers`.{name}: {e}"))?;
            // The value is never quoted: it may hold a credential.
            let mut value = HeaderValue::from_str(&expanded)
                .map_err(|_| format!("`headers`.{name}: the value is not a valid header value"))?;
            value.set_sensitive(true);
            headers.insert(header, value);
        }

        let sign = match file.sign {
            None => None,
            Some(sign) => {
                if sign.over != "body" {
                    return Err("`sign.over`: only \"body\" is supported".into());
                }
                let header = HeaderName::from_bytes(sign.header.as_bytes()).map_err(|_| {
                    format!("`sign.header`: {:?} is not a header name", sign.header)
                })?;
                let secret = env(&sign.secret_env).ok_or_else(|| {
                    format!(
                        "`sign.secretEnv`: the environment variable {} is not set",
                        sign.secret_env
                    )
                })?;
                if secret.is_empty() {
                    return Err(format!(
                        "`sign.secretEnv`: the environment variable {} is empty",
                        sign.secret_env
                    ));
                }
                Some((header, Secret::new(secret), sign.encoding))
            }
        };

        let check = Call {
            url: parse_url(&file.url, "`url`", false)?,
            method: method(&file.method, "`method`")?,
            body: checked_template(file.body, file.factors, file.encoding, true, "`body`")?,
            result: result_map(file.result, "`result`")?,
        };
        let query = match file.query {
            None => None,
            Some(query) => Some(Call {
                url: parse_url(&query.url, "`query.url`", false)?,
                method: method(
                    query.method.as_deref().unwrap_or(&file.method),
                    "`query.method`",
                )?,
                body: checked_template(
                    query.body,
                    file.factors,
                    file.encoding,
                    false,
                    "`query.body`",
                )?,
                result: match query.result {
                    Some(result) => result_map(result, "`query.result`")?,
                    None => check.result.clone_map(),
                },
            }),
        };

        Ok(HttpProvider {
            recipient,
            factors: file.factors,
            kinds: file.kinds,
            encoding: file.encoding,
            headers,
            sign,
            check,
            query,
            client: super::client(timeout)?,
        })
    }

    async fn call(&self, call: &Call, s: &Subject<'_>) -> Outcome {
        if !self.supports(s.kind) {
            return Outcome::unavailable("verification_kind_unsupported");
        }
        let phone = match (self.factors, s.phone) {
            (3, Some(phone)) => phone,
            (3, None) => return Outcome::unavailable("verification_phone_missing"),
            _ => "",
        };
        let filled = fill(&call.body, s, phone);
        let (body, content_type) = match self.encoding {
            Encoding::Json => (
                serde_json::to_vec(&filled).ok(),
                "application/json; charset=utf-8",
            ),
            Encoding::Form => (form(&filled), "application/x-www-form-urlencoded"),
        };
        let Some(body) = body else {
            return Outcome::unavailable("verification_provider_misconfigured");
        };
        let mut request = self
            .client
            .request(call.method.clone(), call.url.clone())
            .headers(self.headers.clone())
            .header(CONTENT_TYPE, content_type);
        if let Some((header, secret, encoding)) = &self.sign {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes()) else {
                return Outcome::unavailable("verification_provider_misconfigured");
            };
            mac.update(&body);
            let tag = mac.finalize().into_bytes();
            let text = match encoding {
                SignEncoding::Hex => tag.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                SignEncoding::Base64 => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD.encode(tag)
                }
            };
            let Ok(value) = HeaderValue::from_str(&text) else {
                return Outcome::unavailable("verification_provider_misconfigured");
            };
            request = request.header(header.clone(), value);
        }
        let answer = match send(ID, request.body(body)).await {
            Ok(answer) => answer,
            Err(outcome) => return outcome,
        };
        if !answer.status.is_success() {
            return logged(status_outcome(&answer));
        }
        let Ok(value) = serde_json::from_slice::<Value>(&answer.body) else {
            return logged(Outcome::unavailable("verification_provider_unavailable"));
        };
        logged(call.result.read(&value))
    }
}

fn logged(outcome: Outcome) -> Outcome {
    if let Outcome::Unavailable { code, .. } = &outcome {
        tracing::warn!(
            provider = ID,
            code,
            "no verdict from the verification provider"
        );
    }
    outcome
}

impl ResultMap {
    fn clone_map(&self) -> ResultMap {
        ResultMap {
            pointer: self.pointer.clone(),
            verified: self.verified.clone(),
            failed: self.failed.clone(),
            pending: self.pending.clone(),
            reference: self.reference.clone(),
        }
    }

    fn read(&self, answer: &Value) -> Outcome {
        let Some(value) = answer.pointer(&self.pointer).and_then(as_text) else {
            return Outcome::unavailable("verification_provider_unexpected_answer");
        };
        if self.verified.contains(&value) {
            let reference = self
                .reference
                .as_deref()
                .and_then(|pointer| answer.pointer(pointer))
                .and_then(as_text)
                .filter(|r| !r.is_empty() && r.len() <= 128);
            return Outcome::Verified { reference };
        }
        if let Some((_, code)) = self.failed.iter().find(|(v, _)| *v == value) {
            return Outcome::Failed { code };
        }
        if self.pending.contains(&value) {
            return Outcome::Pending;
        }
        Outcome::unavailable("verification_provider_unexpected_answer")
    }
}

/// A value compared as text: a string as it is, a number or a boolean as JSON writes it; `null`,
/// arrays and objects are never a mapped value.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn result_map(file: FileResult, what: &str) -> Result<ResultMap, String> {
    if !(file.pointer.is_empty() || file.pointer.starts_with('/')) {
        return Err(format!(
            "{what}.pointer: a JSON pointer (RFC 6901) starts with \"/\""
        ));
    }
    if let Some(pointer) = &file.reference {
        if !(pointer.is_empty() || pointer.starts_with('/')) {
            return Err(format!(
                "{what}.reference: a JSON pointer (RFC 6901) starts with \"/\""
            ));
        }
    }
    let texts = |values: Vec<Value>, field: &str| -> Result<Vec<String>, String> {
        values
            .iter()
            .map(|v| {
                as_text(v).ok_or_else(|| {
                    format!("{what}.{field}: values are strings, numbers or booleans")
                })
            })
            .collect()
    };
    let verified = texts(file.verified, "verified")?;
    if verified.is_empty() {
        return Err(format!("{what}.verified: at least one value"));
    }
    let pending = texts(file.pending, "pending")?;
    let mut failed = Vec::new();
    for (value, code) in file.failed {
        let Some(code) = FAILED_CODES.iter().find(|c| **c == code) else {
            return Err(format!(
                "{what}.failed: {code:?} is not one of {}",
                FAILED_CODES.join(", ")
            ));
        };
        failed.push((value, *code));
    }
    let mut all: Vec<&String> = verified
        .iter()
        .chain(pending.iter())
        .chain(failed.iter().map(|(v, _)| v))
        .collect();
    let count = all.len();
    all.sort();
    all.dedup();
    if all.len() != count {
        return Err(format!(
            "{what}: a value is listed twice (verified, failed and pending are exclusive)"
        ));
    }
    Ok(ResultMap {
        pointer: file.pointer,
        verified,
        failed,
        pending,
        reference: file.reference,
    })
}

fn method(text: &str, what: &str) -> Result<reqwest::Method, String> {
    match text.to_ascii_uppercase().as_str() {
        "POST" => Ok(reqwest::Method::POST),
        "PUT" => Ok(reqwest::Method::PUT),
        _ => Err(format!(
            "{what}: POST or PUT (personal data never goes into a URL, where access logs keep it)"
        )),
    }
}

/// `${NAME}` references replaced by the environment's values; an undefined one is an error.
pub(crate) fn expand_env(
    text: &str,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            return Err("an unterminated ${…} reference".into());
        };
        let name = after.get(..end).unwrap_or_default();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(format!("${{{name}}} is not an environment variable's name"));
        }
        let value =
            env(name).ok_or_else(|| format!("the environment variable {name} is not set"))?;
        out.push_str(&value);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

/// Checks a body template: only known placeholders, in string values; the check's body holds
/// `{{name}}` and `{{idNumber}}`, and `{{phone}}` exactly when `factors` is 3 (no data is sent
/// that the verification does not need). A form body is a flat object.
fn checked_template(
    template: Value,
    factors: u8,
    encoding: Encoding,
    check: bool,
    what: &str,
) -> Result<Value, String> {
    let mut used = Vec::new();
    collect_placeholders(&template, PLACEHOLDERS, &mut used, what)?;
    if check && !(used.contains(&"{{name}}") && used.contains(&"{{idNumber}}")) {
        return Err(format!(
            "{what}: must send {{{{name}}}} and {{{{idNumber}}}}"
        ));
    }
    let phone = used.contains(&"{{phone}}");
    if check && factors == 3 && !phone {
        return Err(format!("{what}: three factors send {{{{phone}}}}"));
    }
    if factors == 2 && phone {
        return Err(format!("{what}: two factors do not send {{{{phone}}}}"));
    }
    if encoding == Encoding::Form {
        let flat = template.as_object().is_some_and(|o| {
            o.values()
                .all(|v| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)))
        });
        if !flat {
            return Err(format!(
                "{what}: a form body is an object of strings, numbers and booleans"
            ));
        }
    }
    Ok(template)
}

/// The placeholders of `value` (string values only) into `used`; one that is not in `known`, or a
/// placeholder in a member's name, is an error naming `what`. Shared with the SMS gateway's mapping.
pub(crate) fn collect_placeholders(
    value: &Value,
    known: &[&'static str],
    used: &mut Vec<&'static str>,
    what: &str,
) -> Result<(), String> {
    match value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                let after = rest.get(start..).unwrap_or_default();
                let Some(found) = known.iter().find(|p| after.starts_with(**p)) else {
                    return Err(format!(
                        "{what}: an unknown placeholder (known: {})",
                        known.join(", ")
                    ));
                };
                used.push(found);
                rest = after.get(found.len()..).unwrap_or_default();
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .try_for_each(|v| collect_placeholders(v, known, used, what)),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains("{{")) {
                return Err(format!("{what}: placeholders go in values, not in names"));
            }
            map.values()
                .try_for_each(|v| collect_placeholders(v, known, used, what))
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// `template` with each placeholder replaced by its value (JSON values are built, not text: the
/// data cannot change the body's structure). Shared with the SMS gateway's mapping.
pub(crate) fn fill_template(template: &Value, values: &[(&str, &str)]) -> Value {
    match template {
        Value::String(text) => {
            Value::String(values.iter().fold(text.clone(), |text, (name, value)| {
                text.replace(name, value)
            }))
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| fill_template(v, values)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_template(v, values)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The template with the subject's data in place of the placeholders (JSON values are built, not
/// text: the data cannot change the body's structure).
fn fill(template: &Value, s: &Subject<'_>, phone: &str) -> Value {
    fill_template(
        template,
        &[
            ("{{name}}", s.name),
            ("{{idNumber}}", s.id_number),
            ("{{phone}}", phone),
            ("{{reference}}", s.reference),
        ],
    )
}

/// A flat object as `application/x-www-form-urlencoded`.
fn form(value: &Value) -> Option<Vec<u8>> {
    let pairs: Vec<(String, String)> = value
        .as_object()?
        .iter()
        .map(|(k, v)| Some((k.clone(), as_text(v)?)))
        .collect::<Option<_>>()?;
    serde_urlencoded::to_string(pairs)
        .ok()
        .map(String::into_bytes)
}

impl Provider for HttpProvider {
    fn id(&self) -> &'static str {
        "http"
    }
    fn recipient(&self) -> &str {
        &self.recipient
    }
    fn supports(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| k == kind)
    }
    fn check<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(self.call(&self.check, s))
    }
    /// With a `query` in the mapping, asks it; without one, the answer stays `Pending` and the
    /// caller checks again later.
    fn query<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            match &self.query {
                Some(query) => self.call(query, s).await,
                None => Outcome::Pending,
            }
        })
    }
    fn report<'a>(&'a self, _events: &'a [Behavior]) -> BoxFuture<'a, Result<(), &'static str>> {
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "KEY" => Some("k-123".into()),
            "HMAC" => Some("s3cret".into()),
            _ => None,
        }
    }

    const MINIMAL: &str = r#"{
        "recipient": "Example Co.",
        "url": "https://verify.example.com/v1/check",
        "factors": 2,
        "kinds": ["cn_resident"],
        "headers": {"Authorization": "APPCODE ${KEY}"},
        "body": {"name": "{{name}}", "idcard": "{{idNumber}}", "serial": "{{reference}}"},
        "result": {"pointer": "/result/code", "verified": ["1", 0], "failed": {"2": "verification_mismatch"}, "pending": [true]}
    }"#;

    #[test]
    fn a_minimal_mapping_loads() {
        let p = HttpProvider::from_json(MINIMAL, Duration::from_secs(1), env).unwrap();
        assert_eq!(p.recipient(), "Example Co.");
        assert!(p.supports("cn_resident") && !p.supports("hk_id"));
        assert!(!format!("{p:?}").contains("k-123"));
    }

    #[test]
    fn mistakes_are_refused_at_start_up() {
        let bad = |from: &str, to: &str| {
            let text = MINIMAL.replace(from, to);
            assert_ne!(text, MINIMAL, "{from}");
            HttpProvider::from_json(&text, Duration::from_secs(1), env).unwrap_err()
        };
        assert!(bad("${KEY}", "${NOPE}").contains("NOPE is not set"));
        assert!(bad("\"factors\": 2", "\"factors\": 3").contains("{{phone}}"));
        assert!(bad("{{reference}}", "{{phone}}").contains("two factors"));
        assert!(bad("{{reference}}", "{{birthday}}").contains("unknown placeholder"));
        assert!(bad("\"idcard\": \"{{idNumber}}\", ", "").contains("{{idNumber}}"));
        assert!(bad("https://verify", "http://verify").contains("https"));
        assert!(bad("cn_resident", "passport").contains("not a document kind"));
        assert!(bad("verification_mismatch", "nope").contains("not one of"));
        assert!(bad("[true]", "[\"1\"]").contains("twice"));
        assert!(bad("\"factors\"", "\"colour\": 1, \"factors\"").contains("unknown field"));
        assert!(bad("Example Co.", " ").contains("recipient"));
    }

    #[test]
    fn answers_are_mapped_and_everything_else_is_unavailable() {
        let p = HttpProvider::from_json(MINIMAL, Duration::from_secs(1), env).unwrap();
        let read = |answer: Value| p.check.result.read(&answer);
        let unexpected = Outcome::unavailable("verification_provider_unexpected_answer");
        assert_eq!(
            read(serde_json::json!({"result": {"code": "1"}})),
            Outcome::Verified { reference: None }
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": 0}})),
            Outcome::Verified { reference: None }
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": 2}})),
            Outcome::Failed {
                code: "verification_mismatch"
            }
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": true}})),
            Outcome::Pending
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": "3"}})),
            unexpected
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": null}})),
            unexpected
        );
        assert_eq!(
            read(serde_json::json!({"result": {"code": ["1"]}})),
            unexpected
        );
        assert_eq!(read(serde_json::json!({"result": {}})), unexpected);
        assert_eq!(read(serde_json::json!("1")), unexpected);
    }

    #[test]
    fn data_fills_values_and_never_the_structure() {
        let s = Subject {
            reference: "0123456789abcdef0123456789abcdef",
            name: "测试\"},{\"x\":\"",
            id_number: "11010519491231002X",
            phone: None,
            kind: "cn_resident",
        };
        let filled = fill(
            &serde_json::json!({"a": "{{name}}", "b": ["id {{idNumber}}"], "c": 1}),
            &s,
            "",
        );
        assert_eq!(filled["a"], serde_json::json!(s.name));
        assert_eq!(filled["b"][0], serde_json::json!("id 11010519491231002X"));
        assert_eq!(filled.as_object().map(|o| o.len()), Some(3));
    }

    #[test]
    fn env_references() {
        assert_eq!(
            expand_env("a ${KEY} b ${KEY}", &env).unwrap(),
            "a k-123 b k-123"
        );
        assert_eq!(expand_env("no refs", &env).unwrap(), "no refs");
        assert!(expand_env("${KEY", &env).is_err());
        assert!(expand_env("${bad-name}", &env).is_err());
    }
}
