//! Phone ownership by a one-time code (issue 16, item 2; beyond the protocol: docs/protocol.md
//! section 13). Off unless an SMS sender is configured (`--sms-sender`, see [`crate::sms`]).
//!
//! ```text
//! POST /phone-codes          { "phone" }          → 202 { expiresInSeconds, resendAfterSeconds }
//! POST /phone-codes/confirm  { "phone", "code" }  → 200 { confirmed: true, validForSeconds }
//! ```
//!
//! - The number is checked with the core's `check_phone` first: a bad number gets the core's
//!   `phone_*` codes at `["phone", …]` and nothing is sent.
//! - The code: 6 digits, uniform, from the OS's CSPRNG (rejection sampling, no modulo bias); stored
//!   only as a keyed MAC, in a row keyed by the number's blind index (HMAC under the index key),
//!   never the number; compared in constant time. It expires after `--phone-code-ttl-secs` (300),
//!   allows [`MAX_WRONG`] wrong tries (then it is void: `phone_code_attempts_exhausted`, a new one
//!   must be sent), and is used once.
//! - Sends per number: one per `--phone-code-resend-secs` (60), [`PER_HOUR`] an hour, [`PER_DAY`] a
//!   day (`429 phone_code_rate_limited` at `["phone"]`, `retryAfterSeconds` and `Retry-After`); per
//!   client address `--phone-code-client-limit` (30) an hour whatever the numbers (the same code at
//!   `[]`; in memory, per instance); and the per-client write rate of every write.
//! - A confirmation is recorded (blind index, when, valid until `--phone-confirmation-ttl-secs`,
//!   1800) in the database, so that several instances on one PostgreSQL agree. The registration of
//!   that number consumes it, in the transaction that stores the registration, and the account
//!   records when its phone was confirmed (`phoneConfirmed`). With `--require-phone-confirmation`
//!   a registration without one is refused (`422 phone_not_confirmed` at `["form","phone"]`).
//! - Every change goes through the store's writer (durable before the answer; a full disk is 503)
//!   and is made against the revision it read, so that two instances never both count one try.
//! - The code never appears in a log line, an answer or an error; the number never in a log line
//!   or a URL.

use std::sync::Arc;

use crate::store::{args, some, WriteConn};
use axum::extract::Request;
use axum::response::Response;
use serde_json::{json, Value};
use shiming::{check_phone, PhoneOptions};
use subtle::ConstantTimeEq;

use crate::api::{self, issue_response, json_response, storage_unavailable, wire_issues, Api};
use crate::keys::{self, Keys};
use crate::sms::{self, SmsMessage, SmsSender};
use crate::store::{NewRegistration, Op, Reply};

/// Digits of a code.
pub const CODE_DIGITS: usize = 6;
/// Wrong tries a code allows; the last one voids it.
pub const MAX_WRONG: i64 = 5;
/// Codes a number may be sent in an hour…
pub const PER_HOUR: usize = 5;
/// …and in a day.
pub const PER_DAY: usize = 10;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// Tries of a change against a revision another instance changed meanwhile, before answering 503.
const RACE_TRIES: usize = 4;

/// The feature's configuration (present only with a sender).
pub struct PhoneCodes {
    pub sender: Box<dyn SmsSender>,
    /// `--require-phone-confirmation`: a registration needs a confirmed phone.
    pub required: bool,
    pub code_ttl_secs: u64,
    pub resend_secs: u64,
    pub confirmation_ttl_secs: u64,
    /// Codes per client address and hour, whatever the numbers (`--phone-code-client-limit`).
    pub per_client: crate::limits::RateLimiter,
}

impl PhoneCodes {
    /// The policy answer's `phoneCodes` member: what a page needs to offer the codes.
    pub fn policy_member(&self) -> Value {
        json!({
            "required": self.required,
            "codeLength": CODE_DIGITS,
            "expiresInSeconds": self.code_ttl_secs,
            "resendAfterSeconds": self.resend_secs,
            "validForSeconds": self.confirmation_ttl_secs,
        })
    }
}

/// The blind index of a number (E.164): the key of its rows, never the number itself.
pub fn phone_index(keys: &Keys, e164: &str) -> Vec<u8> {
    keys.index_mac("phone-number", e164.as_bytes())
}

/// The keyed MAC of a code for a number's index: what is stored instead of the code.
fn code_mac(keys: &Keys, index: &[u8], code: &str) -> Vec<u8> {
    let mut input = index.to_vec();
    input.push(0);
    input.extend_from_slice(code.as_bytes());
    keys.index_mac("phone-code", &input)
}

/// The largest multiple of 10^6 that fits in a `u32` range: values at or above it are drawn again,
/// so that every code is equally likely.
const UNBIASED_BELOW: u32 = 4_294_000_000;

/// A code from 32 random bits, or `None` when they must be drawn again (rejection sampling).
pub fn code_from(random: u32) -> Option<String> {
    (random < UNBIASED_BELOW).then(|| format!("{:06}", random % 1_000_000))
}

/// A fresh code: 6 digits, uniform, from the OS's CSPRNG.
pub fn new_code() -> String {
    loop {
        if let Some(code) = code_from(u32::from_le_bytes(keys::random_bytes::<4>())) {
            return code;
        }
    }
}

/// Whether a number sent at `sent` (Unix ms, the last day's, any order) may be sent a code at
/// `now`: `None`, or the whole seconds to wait (at least 1).
pub fn retry_after(sent: &[i64], now: i64, resend_ms: i64) -> Option<u64> {
    let mut until = now;
    let mut recent: Vec<i64> = sent.iter().copied().filter(|t| *t > now - DAY_MS).collect();
    recent.sort_unstable();
    if let Some(last) = recent.last() {
        until = until.max(last + resend_ms);
    }
    let in_hour: Vec<i64> = recent
        .iter()
        .copied()
        .filter(|t| *t > now - HOUR_MS)
        .collect();
    if in_hour.len() >= PER_HOUR {
        // The send that leaves the hour's window first frees a place.
        if let Some(t) = in_hour.get(in_hour.len() - PER_HOUR) {
            until = until.max(t + HOUR_MS);
        }
    }
    if recent.len() >= PER_DAY {
        if let Some(t) = recent.get(recent.len() - PER_DAY) {
            until = until.max(t + DAY_MS);
        }
    }
    (until > now).then(|| {
        u64::try_from((until - now + 999) / 1000)
            .unwrap_or(1)
            .max(1)
    })
}

fn parse_sent(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|t| t.parse().ok()).collect()
}

/// What the writer decided about a send or a try.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneReply {
    Sent,
    /// The seconds to wait.
    RateLimited(u64),
    Confirmed,
    /// Tries left.
    Wrong(i64),
    /// No valid code (expired, used, never sent).
    Expired,
    /// Voided by too many wrong tries.
    Exhausted,
}

// ---- the endpoints --------------------------------------------------------------------------------

fn disabled() -> Response {
    issue_response(404, json!([]), "phone_codes_disabled")
}

fn field(status: u16, path: Value, code: &str) -> Response {
    issue_response(status, path, code)
}

/// The body of a phone-code request: a JSON object with exactly the members `allowed` (each
/// present, `phone` and `code` strings), and the number as the core checked it (E.164).
async fn read_request(
    api: &Api,
    request: Request,
    allowed: &[&str],
) -> Result<(String, serde_json::Map<String, Value>), Response> {
    if let Some(response) = api::json_body_refusal(request.headers()) {
        return Err(response);
    }
    let body = api::read_body_or_answer(api, request).await?;
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(&body) else {
        return Err(field(400, json!([]), "sync_body_invalid_json"));
    };
    if let Some(extra) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(field(422, json!([extra]), "sync_field_invalid"));
    }
    for member in allowed {
        match object.get(*member) {
            None => return Err(field(422, json!([member]), "sync_field_missing")),
            Some(Value::String(_)) => {}
            Some(_) => return Err(field(422, json!([member]), "sync_field_invalid")),
        }
    }
    let text = object.get("phone").and_then(Value::as_str).unwrap_or("");
    match check_phone(text, &PhoneOptions::default()) {
        Ok(checked) => Ok((checked.value.e164, object)),
        Err(issues) => Err(json_response(
            422,
            json!({ "issues": wire_issues(&issues, &[json!("phone")]) }).to_string(),
        )),
    }
}

/// `POST /phone-codes`: a new code for the number, unless its send limits refuse it.
pub async fn send(api: &Arc<Api>, request: Request) -> Response {
    let Some(codes) = api.phone_codes.as_ref() else {
        return disabled();
    };
    if let Some(response) = api.limiter.check(&request) {
        return response;
    }
    let client = request.extensions().get::<api::ClientAddr>().copied();
    let (e164, _) = match read_request(api, request, &["phone"]).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    // One client sending to many numbers (SMS pumping): after the number was read, so that a bad
    // number costs nothing.
    if let Some(seconds) = codes.per_client.wait(client) {
        return rate_limited(json!([]), seconds);
    }
    let index = phone_index(&api.keys, &e164);
    let code = new_code();
    let now = api::now_ms();
    let op = Op::PhoneCodeSend {
        code_mac: code_mac(&api.keys, &index, &code),
        index,
        now,
        expires_at: now + secs_ms(codes.code_ttl_secs),
        resend_ms: secs_ms(codes.resend_secs),
    };
    match api.store.write(op).await {
        Ok(Reply::Phone(PhoneReply::Sent)) => {}
        Ok(Reply::Phone(PhoneReply::RateLimited(seconds))) => {
            return rate_limited(json!(["phone"]), seconds)
        }
        Ok(_) => return issue_response(500, json!([]), "sync_server_error"),
        Err(e) => {
            tracing::warn!(error = %e, "a phone code was not stored: 503");
            return storage_unavailable();
        }
    }
    // Stored (and counted) first, then sent: a send that fails costs the number one send of its
    // limits, so that a failing gateway cannot be used to send without limits.
    let text = sms::code_text(&code, codes.code_ttl_secs.div_ceil(60));
    let message = SmsMessage {
        to: &e164,
        code: &code,
        text: &text,
    };
    if let Err(reason) = codes.sender.send(message).await {
        tracing::warn!(
            sender = codes.sender.name(),
            reason,
            "a phone code was not sent: 503"
        );
        return api::with_retry_after(
            issue_response(503, json!([]), "sync_unavailable"),
            codes.resend_secs.max(1),
        );
    }
    json_response(
        202,
        json!({
            "expiresInSeconds": codes.code_ttl_secs,
            "resendAfterSeconds": codes.resend_secs,
        })
        .to_string(),
    )
}

fn rate_limited(path: Value, seconds: u64) -> Response {
    let body = json!({ "issues": [{
        "path": path, "code": "phone_code_rate_limited",
        "params": { "retryAfterSeconds": seconds },
    }] });
    api::with_retry_after(json_response(429, body.to_string()), seconds)
}

/// `POST /phone-codes/confirm`: one try of the number's code.
pub async fn confirm(api: &Arc<Api>, request: Request) -> Response {
    let Some(codes) = api.phone_codes.as_ref() else {
        return disabled();
    };
    if let Some(response) = api.limiter.check(&request) {
        return response;
    }
    let (e164, object) = match read_request(api, request, &["phone", "code"]).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let code = object.get("code").and_then(Value::as_str).unwrap_or("");
    if code.len() != CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return field(422, json!(["code"]), "sync_field_invalid");
    }
    let index = phone_index(&api.keys, &e164);
    let now = api::now_ms();
    let op = Op::PhoneCodeConfirm {
        code_mac: code_mac(&api.keys, &index, code),
        index,
        now,
        valid_until: now + secs_ms(codes.confirmation_ttl_secs),
    };
    let outcome = match api.store.write(op).await {
        Ok(Reply::Phone(outcome)) => outcome,
        Ok(_) => return issue_response(500, json!([]), "sync_server_error"),
        Err(e) => {
            tracing::warn!(error = %e, "a phone code's try was not stored: 503");
            return storage_unavailable();
        }
    };
    match outcome {
        PhoneReply::Confirmed => json_response(
            200,
            json!({ "confirmed": true, "validForSeconds": codes.confirmation_ttl_secs })
                .to_string(),
        ),
        PhoneReply::Wrong(left) => json_response(
            422,
            json!({ "issues": [{ "path": ["code"], "code": "phone_code_wrong",
                                 "params": { "attemptsLeft": left } }] })
            .to_string(),
        ),
        PhoneReply::Exhausted => field(422, json!(["code"]), "phone_code_attempts_exhausted"),
        _ => field(422, json!(["code"]), "phone_code_expired"),
    }
}

fn secs_ms(seconds: u64) -> i64 {
    i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX)
}

// ---- the writer's part ----------------------------------------------------------------------------

/// The number's row: `(code_mac, expires_at, attempts, sent_at, rev)`.
type CodeRow = (Option<Vec<u8>>, i64, i64, String, i64);

async fn code_row(conn: &mut impl WriteConn, index: &[u8]) -> Result<Option<CodeRow>, sqlx::Error> {
    conn.fetch_optional(
        "SELECT code_mac, expires_at, attempts, sent_at, rev FROM phone_codes WHERE phone_index = $1",
        args![index],
        |r| {
            Ok((
                r.blob(0)?,
                some(r.int(1)?, 1)?,
                some(r.int(2)?, 2)?,
                some(r.text(3)?, 3)?,
                some(r.int(4)?, 4)?,
            ))
        },
    )
    .await
}

fn race() -> sqlx::Error {
    sqlx::Error::Protocol("phone code race".into())
}

/// [`Op::PhoneCodeSend`]: the send limits, then the new code in place of any earlier one (its
/// wrong tries start again).
pub(crate) async fn run_send(
    conn: &mut impl WriteConn,
    index: &[u8],
    mac: &[u8],
    now: i64,
    expires_at: i64,
    resend_ms: i64,
) -> Result<PhoneReply, sqlx::Error> {
    for _ in 0..RACE_TRIES {
        let row = code_row(conn, index).await?;
        let mut sent: Vec<i64> = row
            .as_ref()
            .map(|r| parse_sent(&r.3))
            .unwrap_or_default()
            .into_iter()
            .filter(|t| *t > now - DAY_MS)
            .collect();
        if let Some(seconds) = retry_after(&sent, now, resend_ms) {
            return Ok(PhoneReply::RateLimited(seconds));
        }
        sent.push(now);
        let sent_text = sent
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let done = match row {
            None => {
                conn.execute(
                    "INSERT INTO phone_codes (phone_index, code_mac, expires_at, attempts, sent_at, \
                     last_sent_at, rev) VALUES ($1, $2, $3, 0, $4, $5, 1) ON CONFLICT DO NOTHING",
                    args![index, mac, expires_at, &sent_text, now],
                )
                .await?
            }
            Some((_, _, _, _, rev)) => {
                conn.execute(
                    "UPDATE phone_codes SET code_mac = $2, expires_at = $3, attempts = 0, sent_at = $4, \
                     last_sent_at = $5, rev = rev + 1 WHERE phone_index = $1 AND rev = $6",
                    args![index, mac, expires_at, &sent_text, now, rev],
                )
                .await?
            }
        };
        if done == 1 {
            return Ok(PhoneReply::Sent);
        }
    }
    Err(race())
}

/// [`Op::PhoneCodeConfirm`]: one try, counted; a match uses the code and records the confirmation.
pub(crate) async fn run_confirm(
    conn: &mut impl WriteConn,
    index: &[u8],
    mac: &[u8],
    now: i64,
    valid_until: i64,
) -> Result<PhoneReply, sqlx::Error> {
    for _ in 0..RACE_TRIES {
        let Some((stored, expires_at, attempts, _, rev)) = code_row(conn, index).await? else {
            return Ok(PhoneReply::Expired);
        };
        let Some(stored) = stored else {
            return Ok(if attempts >= MAX_WRONG {
                PhoneReply::Exhausted
            } else {
                PhoneReply::Expired
            });
        };
        if expires_at <= now {
            return Ok(PhoneReply::Expired);
        }
        let matches: bool = stored.ct_eq(mac).into();
        let (sql, reply) = if matches {
            (
                "UPDATE phone_codes SET code_mac = NULL, attempts = 0, rev = rev + 1 \
                 WHERE phone_index = $1 AND rev = $2",
                PhoneReply::Confirmed,
            )
        } else if attempts + 1 >= MAX_WRONG {
            (
                "UPDATE phone_codes SET code_mac = NULL, attempts = attempts + 1, rev = rev + 1 \
                 WHERE phone_index = $1 AND rev = $2",
                PhoneReply::Exhausted,
            )
        } else {
            (
                "UPDATE phone_codes SET attempts = attempts + 1, rev = rev + 1 \
                 WHERE phone_index = $1 AND rev = $2",
                PhoneReply::Wrong(MAX_WRONG - attempts - 1),
            )
        };
        let done = conn.execute(sql, args![index, rev]).await?;
        if done != 1 {
            continue;
        }
        if reply == PhoneReply::Confirmed {
            conn.execute(
                "INSERT INTO phone_confirmations (phone_index, confirmed_at, valid_until) \
                 VALUES ($1, $2, $3) ON CONFLICT (phone_index) DO UPDATE SET \
                 confirmed_at = excluded.confirmed_at, valid_until = excluded.valid_until",
                args![index, now, valid_until],
            )
            .await?;
        }
        return Ok(reply);
    }
    Err(race())
}

/// A registration's claim on its phone's confirmation, taken in the writer's transaction before
/// its row is inserted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The server offers no codes (the registration's `phone_confirmed_at` stays `None`).
    NotOffered,
    /// No confirmation (none was found, or another registration used it first).
    Unconfirmed,
    /// The confirmation, taken: it is this registration's now.
    Confirmed { at: i64, valid_until: i64 },
    /// A confirmation is required and there is none (any more): 422 `phone_not_confirmed`.
    Refused,
}

/// Takes the confirmation the plan found (a confirmation is used by one registration only: a
/// second registration of the number, or a replay, finds none).
pub(crate) async fn claim(
    conn: &mut impl WriteConn,
    reg: &NewRegistration,
    now: i64,
) -> Result<Claim, sqlx::Error> {
    if reg.phone_index.is_empty() {
        return Ok(Claim::NotOffered);
    }
    if reg.phone_confirmed_at.is_none() && !reg.phone_required {
        return Ok(Claim::Unconfirmed);
    }
    let taken = conn
        .fetch_optional(
            "DELETE FROM phone_confirmations WHERE phone_index = $1 AND valid_until > $2 \
             RETURNING confirmed_at, valid_until",
            args![&reg.phone_index, now],
            |row| Ok((some(row.int(0)?, 0)?, some(row.int(1)?, 1)?)),
        )
        .await?;
    Ok(match taken {
        Some((at, valid_until)) => Claim::Confirmed { at, valid_until },
        None if reg.phone_required => Claim::Refused,
        None => Claim::Unconfirmed,
    })
}

impl Claim {
    /// The registration as it is to be stored, when the claim changes when its phone was confirmed
    /// (the plan's confirmation was used by another registration meanwhile, or renewed); `None`
    /// when the plan's value stands.
    pub fn applied(self, reg: &NewRegistration) -> Option<NewRegistration> {
        let at = match self {
            Claim::NotOffered => return None,
            Claim::Confirmed { at, .. } => Some(at),
            Claim::Unconfirmed | Claim::Refused => None,
        };
        (at != reg.phone_confirmed_at).then(|| NewRegistration {
            phone_confirmed_at: at,
            ..reg.clone()
        })
    }
}

/// The registration's row did not go in (a tombstone, an account of the document, a race): its
/// confirmation is put back for the registration that will.
pub(crate) async fn restore(
    conn: &mut impl WriteConn,
    reg: &NewRegistration,
    claim: Claim,
) -> Result<(), sqlx::Error> {
    if let Claim::Confirmed { at, valid_until } = claim {
        conn.execute(
            "INSERT INTO phone_confirmations (phone_index, confirmed_at, valid_until) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            args![&reg.phone_index, at, valid_until],
        )
        .await?;
    }
    Ok(())
}

/// The refusal of a registration whose phone is not confirmed (where the page shows it: the field).
pub fn not_confirmed_body() -> String {
    json!({ "issues": [{ "path": ["form", "phone"], "code": "phone_not_confirmed", "params": {} }] })
        .to_string()
}

/// Drops what is no longer needed: rows of numbers sent nothing for a day, lapsed confirmations.
pub(crate) async fn prune(conn: &mut impl WriteConn, now: i64) -> Result<u64, sqlx::Error> {
    let codes = conn
        .execute(
            "DELETE FROM phone_codes WHERE last_sent_at <= $1",
            args![now - DAY_MS],
        )
        .await?;
    let confirmations = conn
        .execute(
            "DELETE FROM phone_confirmations WHERE valid_until <= $1",
            args![now],
        )
        .await?;
    Ok(codes + confirmations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_the_biased_top_is_drawn_again() {
        assert_eq!(code_from(0).as_deref(), Some("000000"));
        assert_eq!(code_from(1_000_123).as_deref(), Some("000123"));
        assert_eq!(code_from(UNBIASED_BELOW - 1).as_deref(), Some("999999"));
        assert_eq!(code_from(UNBIASED_BELOW), None);
        assert_eq!(code_from(u32::MAX), None);
        // 4,294,000,000 values map 4,294 times onto each of the 10^6 codes: uniform.
        assert_eq!(UNBIASED_BELOW % 1_000_000, 0);
        assert!(u64::from(UNBIASED_BELOW) + 1_000_000 > u64::from(u32::MAX));
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn send_limits_per_number() {
        let now = 10 * DAY_MS;
        let resend = 60_000;
        assert_eq!(retry_after(&[], now, resend), None);
        // One a minute.
        assert_eq!(retry_after(&[now - 1_000], now, resend), Some(59));
        assert_eq!(retry_after(&[now - 60_000], now, resend), None);
        // Five an hour: the oldest of the five leaves the window first.
        let hour: Vec<i64> = (0..5).map(|i| now - 50 * 60_000 + i * 60_000).collect();
        assert_eq!(retry_after(&hour, now, resend), Some(10 * 60));
        // Ten a day.
        let day: Vec<i64> = (0..10).map(|i| now - 20 * HOUR_MS + i * HOUR_MS).collect();
        assert_eq!(retry_after(&day, now, resend), Some(4 * 3600));
        // Sends older than a day do not count.
        let old: Vec<i64> = (0..10).map(|i| now - 2 * DAY_MS + i).collect();
        assert_eq!(retry_after(&old, now, resend), None);
    }
}
