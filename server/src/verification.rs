//! Verification of a registration against an authoritative source (issue 16, item 1): when to ask
//! the provider (`crate::verify`), what the account records, what a failure does.
//!
//! - **At registration**, after the core's checks passed and before the write: a new registration
//!   whose kind the provider covers is checked once (a replay of a stored request is not: the
//!   store answers it as before). `verified` and `failed` are stored with the account (the
//!   provider, the time, its code, its reference for the person, all encrypted); `pending` (the
//!   NPPA system's status 1, or a provider that did not answer) is stored and the verifier asks
//!   again.
//! - **`--verification-required`**: a failure is refused (`422 sync_verification_failed` at
//!   `["form", "idNumber"]`, remembered under the key like every refusal) and a provider that
//!   cannot answer makes the registration wait (`503 sync_verification_unavailable` with
//!   `Retry-After`, not remembered: the client's retry with the same key asks again). A `pending`
//!   account that fails later is frozen (`verification_failed`). Without the flag, failures are
//!   stored and shown, and the platform decides.
//! - **The verifier** (a task of every server instance with a provider) takes the `pending`
//!   accounts that are due, asks (`query` once the check was received, `check` again when it was
//!   not), and records the news; it backs off (5 s doubling, at most an hour) and gives up after
//!   48 hours (the NPPA system keeps a pending result that long) with `verification_timeout`.
//! - **Never weaker than the local checks**: a verification changes no age, band or document
//!   field; a minor by the document stays a minor.
//! - **Sessions** (`POST /registrations/{id}/sessions`): the NPPA system requires the 上线/下线
//!   of verified players; the server reports them with the `pi` it stored.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::response::Response;
use serde_json::{json, Value};

use crate::api::{issue_body, issue_response, now_ms, storage_unavailable, Api};
use crate::keys::Keys;
use crate::lifecycle::Change;
use crate::store::{NewRegistration, Op, RegistrationRow};
use crate::verify::{Behavior, Outcome, Provider, Subject};

/// The personal data a verification sends, in memory for the request only.
pub struct Plain {
    pub name: String,
    pub id_number: String,
    /// 11 digits.
    pub phone: String,
}

/// The verification settings.
pub struct Verifier {
    pub provider: Arc<dyn Provider>,
    /// `--verification-required`.
    pub required: bool,
}

/// Why a registration is not stored now.
pub enum Held {
    /// Refused (status, body): remembered under the key.
    Refused(u16, String),
    /// The provider did not answer (Retry-After seconds): not remembered.
    Unavailable(u64),
}

const FIRST_RETRY_MS: i64 = 5_000;
const MAX_RETRY_MS: i64 = 3_600_000;
/// The NPPA system keeps a pending result 48 hours (《网络游戏防沉迷实名认证系统接口对接技术规范》,
/// 实名认证接口 备注 2); the verifier gives up after that.
const GIVE_UP_MS: i64 = 48 * 3_600_000;

/// The provider's reference for this registration (NPPA's `ai`: 32 characters, unique per
/// verification): a keyed hash of the registration id, so that a retry of the same registration
/// asks under the same reference, and the id itself never leaves the server.
pub fn reference_of(keys: &Keys, registration_id: &str) -> String {
    crate::bundle::shiming_hex(
        &keys.index_mac("verification-reference", registration_id.as_bytes()),
    )
    .chars()
    .take(32)
    .collect()
}

/// What the account stores of an outcome (encrypted, column `verification`).
fn record(provider: &str, now: i64, outcome: &Outcome, asked: bool) -> Value {
    let mut detail = json!({ "provider": provider, "at": now, "asked": asked });
    if let Some(object) = detail.as_object_mut() {
        match outcome {
            Outcome::Verified { reference } => {
                object.insert("reference".into(), json!(reference));
            }
            Outcome::Failed { code } => {
                object.insert("code".into(), json!(code));
            }
            Outcome::Unavailable { code, .. } => {
                object.insert("lastError".into(), json!(code));
            }
            Outcome::Pending => {}
        }
    }
    detail
}

fn encrypt(keys: &Keys, id: &str, detail: &Value) -> Vec<u8> {
    keys.encrypt("verification", id, detail.to_string().as_bytes())
}

fn retry_in(attempts: i64, hint: Option<u64>) -> i64 {
    let backoff = FIRST_RETRY_MS
        .saturating_mul(1 << attempts.clamp(0, 20))
        .min(MAX_RETRY_MS);
    hint.map_or(backoff, |s| {
        i64::try_from(s.saturating_mul(1000))
            .unwrap_or(MAX_RETRY_MS)
            .max(backoff)
    })
}

/// At registration: fills the registration's verification columns, or holds it back.
pub async fn at_registration(
    api: &Api,
    key: &str,
    reg: &mut NewRegistration,
    plain: &Plain,
    now: i64,
) -> Result<(), Held> {
    let verifier = &api.verifier;
    let provider = &verifier.provider;
    if verifier.required && !provider.supports(&reg.kind) {
        // The start refuses such kinds; a second line, never a way around the requirement.
        let body = json!({ "issues": [{
            "path": ["form", "idKind"],
            "code": "sync_verification_failed",
            "params": { "reason": "verification_kind_not_covered" },
        }]})
        .to_string();
        return Err(Held::Refused(422, body));
    }
    if provider.id() == "none" || !provider.supports(&reg.kind) {
        // Honest: nobody was asked. The record says whether a provider exists at all.
        reg.verification_state = "unverified";
        if provider.id() != "none" {
            let detail = json!({ "provider": provider.id(), "at": now, "code": "verification_kind_not_covered" });
            reg.verification_enc = Some(encrypt(&api.keys, &reg.id, &detail));
        }
        return Ok(());
    }
    // A replay, or the same registration again: the store answers it; nobody is asked twice.
    match api.store.known(key, &reg.registration_id).await {
        Ok(true) => return Ok(()),
        Ok(false) => {}
        Err(_) => return Err(Held::Unavailable(2)),
    }
    let reference = reference_of(&api.keys, &reg.registration_id);
    let subject = Subject {
        reference: &reference,
        name: &plain.name,
        id_number: &plain.id_number,
        phone: Some(&plain.phone),
        kind: &reg.kind,
    };
    let outcome = provider.check(&subject).await;
    tracing::info!(provider = provider.id(), outcome = ?outcome.code().unwrap_or(match outcome {
        Outcome::Verified { .. } => "verified",
        _ => "pending",
    }), "verification at registration");
    match &outcome {
        Outcome::Verified { .. } => {
            reg.verification_state = "verified";
        }
        Outcome::Failed { code } => {
            if verifier.required {
                let body = json!({ "issues": [{
                    "path": ["form", "idNumber"],
                    "code": "sync_verification_failed",
                    "params": { "reason": code },
                }]})
                .to_string();
                return Err(Held::Refused(422, body));
            }
            reg.verification_state = "failed";
        }
        Outcome::Pending => {
            reg.verification_state = "pending";
            reg.verify_after = Some(now + FIRST_RETRY_MS);
        }
        Outcome::Unavailable {
            retry_after_secs, ..
        } => {
            if verifier.required {
                return Err(Held::Unavailable(
                    retry_after_secs.unwrap_or(5).clamp(1, 3600),
                ));
            }
            reg.verification_state = "pending";
            reg.verify_after = Some(now + retry_in(0, *retry_after_secs));
        }
    }
    let asked = !matches!(outcome, Outcome::Unavailable { .. });
    let detail = record(provider.id(), now, &outcome, asked);
    reg.verification_enc = Some(encrypt(&api.keys, &reg.id, &detail));
    Ok(())
}

/// The 503 of a registration held back because the provider did not answer.
pub fn unavailable_response(retry_after: u64) -> Response {
    let mut response = issue_response(503, json!([]), "sync_verification_unavailable");
    if let Ok(value) = axum::http::HeaderValue::from_str(&retry_after.to_string()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
    response
}

/// Starts the verifier when a provider is configured.
pub fn start(api: Arc<Api>) {
    if api.verifier.provider.id() == "none" {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        loop {
            tick.tick().await;
            let now = now_ms();
            let due = match api.store.due_verifications(now, 20).await {
                Ok(due) => due,
                Err(_) => continue,
            };
            for (row, attempts) in due {
                follow_up(&api, &row, attempts, now).await;
            }
        }
    });
}

/// Asks again about one pending account and records the news.
async fn follow_up(api: &Api, row: &RegistrationRow, attempts: i64, now: i64) {
    let provider = &api.verifier.provider;
    let open = |column: &str, value: &[u8]| -> Option<String> {
        api.keys
            .decrypt(column, &row.id, value)
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    let detail: Value = row
        .verification_enc
        .as_ref()
        .and_then(|enc| api.keys.decrypt("verification", &row.id, enc))
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_else(|| json!({}));
    let asked = detail
        .get("asked")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let (Some(name), Some(number), Some(phone)) = (
        open("name", &row.name_enc),
        open("id_number", &row.id_number_enc),
        open("phone", &row.phone_enc),
    ) else {
        tracing::error!(row = %row.id, "a pending account's data does not decrypt");
        return;
    };
    let phone = phone.strip_prefix("+86").unwrap_or(&phone).to_string();
    let reference = reference_of(&api.keys, &row.registration_id);
    let subject = Subject {
        reference: &reference,
        name: &name,
        id_number: &number,
        phone: Some(&phone),
        kind: &row.kind,
    };
    let outcome = if asked {
        provider.query(&subject).await
    } else {
        provider.check(&subject).await
    };
    let expired = now - row.created_at > GIVE_UP_MS;
    let (state, outcome, verify_after) = match outcome {
        Outcome::Verified { .. } => ("verified", outcome, None),
        Outcome::Failed { .. } => ("failed", outcome, None),
        _ if expired => (
            "failed",
            Outcome::Failed {
                code: "verification_timeout",
            },
            None,
        ),
        Outcome::Pending => ("pending", outcome, Some(now + retry_in(attempts + 1, None))),
        Outcome::Unavailable {
            retry_after_secs, ..
        } => (
            "pending",
            outcome,
            Some(now + retry_in(attempts + 1, retry_after_secs)),
        ),
    };
    let asked_now = asked || !matches!(outcome, Outcome::Unavailable { .. });
    let detail = record(provider.id(), now, &outcome, asked_now);
    let freeze = state == "failed" && api.verifier.required;
    let change = Change::Verification {
        id: row.id.clone(),
        state,
        enc: Some(encrypt(&api.keys, &row.id, &detail)),
        verify_after,
        attempts: attempts + 1,
        freeze,
    };
    if let Err(e) = api
        .store
        .write(Op::Lifecycle {
            change,
            now: now_ms(),
        })
        .await
    {
        tracing::warn!(error = %e, "a verification result was not stored; asked again later");
    }
}

/// `POST /registrations/{id}/sessions` `{ "event": "start" | "end", "session": "…" }` (the admin
/// token: the platform's game server; the account's own token gets `403`): a verified player's
/// 上线/下线, reported to the provider (NPPA's 游戏用户行为数据上报); `204` once reported.
/// Other providers take no reports (`204`, nothing sent).
pub async fn session(api: &Api, id: &str, body: &Bytes) -> Response {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return issue_response(400, json!([]), "sync_body_invalid_json");
    };
    if let Some(extra) = body.keys().find(|k| *k != "event" && *k != "session") {
        return issue_response(422, json!([extra]), "sync_field_invalid");
    }
    let online = match body.get("event").and_then(Value::as_str) {
        Some("start") => true,
        Some("end") => false,
        Some(_) => return issue_response(422, json!(["event"]), "sync_field_invalid"),
        None => return issue_response(422, json!(["event"]), "sync_field_missing"),
    };
    // The session id: the platform's, 1 to 32 visible ASCII characters (NPPA `si`).
    let session = match body.get("session").and_then(Value::as_str) {
        Some(s) if (1..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) => s,
        Some(_) => return issue_response(422, json!(["session"]), "sync_field_invalid"),
        None => return issue_response(422, json!(["session"]), "sync_field_missing"),
    };
    let row = match api.store.registration(id).await {
        Ok(Some(row)) => row,
        Ok(None) => return crate::api::not_found(),
        Err(_) => return storage_unavailable(),
    };
    if api.verifier.provider.id() != "nppa" {
        return crate::api::no_content();
    }
    let reference = row
        .verification_enc
        .as_ref()
        .filter(|_| row.verification_state == "verified")
        .and_then(|enc| api.keys.decrypt("verification", &row.id, enc))
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|d| {
            d.get("reference")
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    let Some(reference) = reference else {
        // Only verified players have a pi; an unverified account does not play (the platform's
        // gate), so there is nothing to report.
        return crate::api::json_response(
            409,
            issue_body(json!(["registrationId"]), "sync_verification_failed"),
        );
    };
    let events = [Behavior {
        session: session.to_string(),
        online,
        at_secs: now_ms() / 1000,
        reference,
    }];
    match api.verifier.provider.report(&events).await {
        Ok(()) => crate::api::no_content(),
        Err(code) => {
            tracing::warn!(code, "a behaviour report failed: 503");
            unavailable_response(5)
        }
    }
}
