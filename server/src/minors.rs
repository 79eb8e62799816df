//! The minor-protection gate on the server: a guardian's limits for an account
//! (`GET|PUT /api/registrations/{id}/limits`) and the evaluation of an activity for an account
//! (`POST /api/registrations/{id}/evaluate`), with the core's policy code
//! (`shiming::minor::{evaluate_with, GuardianLimits}`), the server's clock and the birth date the
//! server checked at registration: nothing the browser says about the person's age counts.
//!
//! Who may change limits:
//! - the **admin token** (the platform, after it has verified the guardian by its own means): any
//!   setting within the policy's bounds ([`GuardianLimits::check`]);
//! - the **account's own token**, which the minor may hold as well as the guardian: only a setting
//!   at least as strict as the stored one and the policy ([`GuardianLimits::is_tighter_or_equal`]),
//!   so that the holder cannot lengthen the time or raise a cap (`403 guardian_limit_only_tighter`).
//!
//! The limits are stored encrypted (column `limits`, like the profile) and deleted with the
//! account.

use axum::body::Bytes;
use axum::response::Response;
use serde_json::{json, Value};
use shiming::minor::limits::invalid_issue;
use shiming::minor::time::time_of_day;
use shiming::minor::{evaluate_with, Activity, GuardianLimits, LimitBounds, LocalTime, Subject};
use shiming::{age_on, Date, Issue};

use crate::api::{
    issue_response, json_response, not_found, now_ms, storage_unavailable, wire_issues, Api,
};
use crate::store::{Op, Reply};

/// Who is asking.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Admin,
    Account,
}

/// What the server knows of an account's person: the birth date it checked (`None` for an
/// organisation or an unreadable profile), today in Asia/Shanghai by the server's clock.
struct Person {
    birth: Option<Date>,
    now: LocalTime,
    age_band: Option<String>,
    /// Why the account is frozen, if it is.
    frozen: Option<String>,
    /// `unverified`, `pending`, `verified` or `failed`.
    verification: String,
}

impl Person {
    fn age(&self, api: &Api) -> Option<u32> {
        self.birth
            .map(|b| age_on(b, self.now.date, api.bundle.policy.age_rule))
    }
}

async fn person(api: &Api, id: &str) -> Result<Option<Person>, Response> {
    let row = match api.store.registration(id).await {
        Ok(Some(row)) => row,
        Ok(None) => return Ok(None),
        Err(_) => return Err(storage_unavailable()),
    };
    let birth = api
        .keys
        .decrypt("profile", &row.id, &row.profile_enc)
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|p| {
            p.get("birthDate")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .and_then(|text| Date::parse_iso(&text));
    let Some(now) = LocalTime::from_unix_seconds(now_ms() / 1000) else {
        return Err(storage_unavailable());
    };
    Ok(Some(Person {
        birth,
        now,
        age_band: row.age_band,
        frozen: row.frozen_at.map(|_| row.frozen_reason.unwrap_or_default()),
        verification: row.verification_state,
    }))
}

async fn stored_limits(
    api: &Api,
    id: &str,
) -> Result<Option<(GuardianLimits, i64, String)>, Response> {
    match api.store.guardian_limits(id).await {
        Ok(None) => Ok(None),
        Ok(Some((enc, at, by))) => {
            let limits = api
                .keys
                .decrypt("limits", id, &enc)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|text| GuardianLimits::parse(&text).ok());
            match limits {
                Some(limits) => Ok(Some((limits, at, by))),
                None => {
                    tracing::error!(row = %id, "stored guardian limits do not decrypt");
                    Err(storage_unavailable())
                }
            }
        }
        Err(_) => Err(storage_unavailable()),
    }
}

fn bounds_json(bounds: &LimitBounds) -> Value {
    json!({
        "dailySeconds": bounds.daily_seconds.map(|(policy, max)| json!({ "policy": policy, "guardianMax": max })),
        "playSecondsPerDay": bounds.play_seconds_per_day,
        "perPaymentFen": bounds.per_payment_fen,
        "perDayFen": bounds.per_day_fen,
        "perMonthFen": bounds.per_month_fen,
        "curfew": bounds.curfew.map(|(s, e)| json!({ "start": time_of_day(s), "end": time_of_day(e) })),
    })
}

fn limits_answer(
    api: &Api,
    id: &str,
    person: &Person,
    stored: Option<&(GuardianLimits, i64, String)>,
) -> Response {
    let policy = &api.bundle.policy;
    let bounds = person
        .age(api)
        .filter(|age| *age < shiming::age::AGE_OF_MAJORITY)
        .map(|age| LimitBounds::of(policy, age))
        .unwrap_or_default();
    let limits: Value = stored
        .and_then(|(l, _, _)| serde_json::from_str(&l.to_json()).ok())
        .unwrap_or(Value::Null);
    json_response(
        200,
        json!({
            "id": id,
            "ageBand": person.age_band,
            "limits": limits,
            "updatedAt": stored.map(|(_, at, _)| *at),
            "updatedBy": stored.map(|(_, _, by)| by.as_str()),
            "policy": { "id": policy.id, "version": policy.version },
            "bounds": bounds_json(&bounds),
        })
        .to_string(),
    )
}

/// The issues of a guardian's setting, at `["limits", member]`.
fn issues_response(status: u16, issues: &[Issue]) -> Response {
    json_response(
        status,
        json!({ "issues": wire_issues(issues, &[json!("limits")]) }).to_string(),
    )
}

/// `GET /registrations/{id}/limits`.
pub async fn get_limits(api: &Api, id: &str) -> Response {
    let person = match person(api, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(),
        Err(response) => return response,
    };
    match stored_limits(api, id).await {
        Ok(stored) => limits_answer(api, id, &person, stored.as_ref()),
        Err(response) => response,
    }
}

/// `PUT /registrations/{id}/limits`: the whole setting (`{}` removes it, for the admin).
pub async fn put_limits(api: &Api, id: &str, who: Who, body: &Bytes) -> Response {
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(_) => return issue_response(400, json!([]), "sync_body_invalid_json"),
    };
    let limits = match GuardianLimits::parse(text) {
        Ok(limits) => limits,
        Err(e) if e.path == "$" => return issue_response(400, json!([]), "sync_body_invalid_json"),
        Err(e) => return issues_response(422, &[invalid_issue(&e)]),
    };
    let person = match person(api, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(),
        Err(response) => return response,
    };
    // Only a minor's account has limits (an adult's or an organisation's is never limited).
    let Some(age) = person
        .age(api)
        .filter(|age| *age < shiming::age::AGE_OF_MAJORITY)
    else {
        return issue_response(422, json!(["limits"]), "guardian_limit_invalid");
    };
    let policy = &api.bundle.policy;
    let issues = limits.check(policy, age);
    if !issues.is_empty() {
        return issues_response(422, &issues);
    }
    let stored = match stored_limits(api, id).await {
        Ok(stored) => stored,
        Err(response) => return response,
    };
    if who == Who::Account {
        let old = stored
            .as_ref()
            .map(|(l, _, _)| l.clone())
            .unwrap_or_default();
        if !limits.is_tighter_or_equal(&old, &LimitBounds::of(policy, age)) {
            return issue_response(403, json!(["limits"]), "guardian_limit_only_tighter");
        }
    }
    let now = now_ms();
    let limits_enc =
        (!limits.is_empty()).then(|| api.keys.encrypt("limits", id, limits.to_json().as_bytes()));
    let by = match who {
        Who::Admin => "admin",
        Who::Account => "account",
    };
    match api
        .store
        .write(Op::SetLimits {
            id: id.to_string(),
            limits_enc,
            by,
            now,
        })
        .await
    {
        Ok(Reply::LimitsSet(true)) => {
            let stored = (!limits.is_empty()).then(|| (limits, now, by.to_string()));
            limits_answer(api, id, &person, stored.as_ref())
        }
        Ok(Reply::LimitsSet(false)) => not_found(),
        _ => storage_unavailable(),
    }
}

/// Reads `{ type, … }` as the core's activity (the shape of `PolicyActivity` in the package).
fn activity(value: &Value) -> Result<Activity, Response> {
    let Some(object) = value.as_object() else {
        return Err(issue_response(
            422,
            json!(["activity"]),
            "sync_field_invalid",
        ));
    };
    let count = |key: &'static str| -> Result<u64, Response> {
        match object.get(key) {
            None => Err(issue_response(
                422,
                json!(["activity", key]),
                "sync_field_missing",
            )),
            Some(v) => v
                .as_u64()
                .filter(|n| *n <= 9_007_199_254_740_991)
                .ok_or_else(|| issue_response(422, json!(["activity", key]), "sync_field_invalid")),
        }
    };
    let allowed: &[&str] = match object.get("type").and_then(Value::as_str) {
        Some("payment") => &["type", "amountFen", "spentTodayFen", "spentThisMonthFen"],
        Some("play") => &["type", "usedTodaySeconds"],
        Some("session") => &["type", "usedTodaySeconds", "continuousSeconds"],
        _ => {
            return Err(issue_response(
                422,
                json!(["activity", "type"]),
                "sync_field_invalid",
            ))
        }
    };
    if let Some(extra) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(issue_response(
            422,
            json!(["activity", extra]),
            "sync_field_invalid",
        ));
    }
    Ok(match object.get("type").and_then(Value::as_str) {
        Some("payment") => Activity::Payment {
            amount_fen: count("amountFen")?,
            spent_today_fen: count("spentTodayFen")?,
            spent_this_month_fen: count("spentThisMonthFen")?,
        },
        Some("play") => Activity::Play {
            used_today_seconds: count("usedTodaySeconds")?,
        },
        _ => Activity::Session {
            used_today_seconds: count("usedTodaySeconds")?,
            continuous_seconds: count("continuousSeconds")?,
        },
    })
}

/// `POST /registrations/{id}/evaluate` with `{ "activity": { type, … } }`: the policy, this
/// account's guardian limits and age, the server's clock.
pub async fn evaluate(api: &Api, id: &str, body: &Bytes) -> Response {
    let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
        return issue_response(400, json!([]), "sync_body_invalid_json");
    };
    if let Some(extra) = body.keys().find(|k| k.as_str() != "activity") {
        return issue_response(422, json!([extra]), "sync_field_invalid");
    }
    let activity = match body.get("activity").map(activity) {
        Some(Ok(a)) => a,
        Some(Err(response)) => return response,
        None => return issue_response(422, json!(["activity"]), "sync_field_missing"),
    };
    let person = match person(api, id).await {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(),
        Err(response) => return response,
    };
    // A frozen account may do nothing the platform gates (lifecycle.rs); where verification is
    // required, nor may an account the provider has not confirmed yet (verification.rs).
    let held = match &person.frozen {
        Some(reason) => Some(("sync_account_frozen", json!({ "reason": reason }))),
        None if api.verifier.required && person.verification != "verified" => Some((
            "sync_verification_unavailable",
            json!({ "state": person.verification }),
        )),
        None => None,
    };
    if let Some((code, params)) = held {
        return json_response(
            200,
            json!({
                "allowed": false,
                "code": code,
                "params": params,
                "rule": null,
                "source": null,
                "nextAllowedAt": null,
                "remaining": null,
                "ageBand": person.age_band,
                "byGuardian": false,
                "minorMode": null,
                "policy": { "id": api.bundle.policy.id, "version": api.bundle.policy.version },
                "serverTime": now_ms(),
                "warnings": [],
            })
            .to_string(),
        );
    }
    let stored = match stored_limits(api, id).await {
        Ok(stored) => stored,
        Err(response) => return response,
    };
    // An account without a verified birth date (an organisation) is held as a guest would be.
    let subject = person.birth.map_or(Subject::Guest, Subject::BirthDate);
    let result = evaluate_with(
        &api.bundle.policy,
        stored.as_ref().map(|(l, _, _)| l),
        subject,
        &activity,
        person.now,
    );
    let params = wire_issues(&[result.issue()], &[])
        .pop()
        .and_then(|mut issue| issue.get_mut("params").map(Value::take))
        .unwrap_or_else(|| json!({}));
    json_response(
        200,
        json!({
            "allowed": result.allowed,
            "code": result.code.as_str(),
            "params": params,
            "rule": result.rule.map(|r| r.as_str()),
            "source": result.source,
            "nextAllowedAt": result.next_allowed_at.map(LocalTime::to_iso),
            "remaining": result.remaining,
            "ageBand": result.band.map(|b| b.as_str()),
            "byGuardian": result.by_guardian,
            "minorMode": result.minor_mode,
            "policy": { "id": api.bundle.policy.id, "version": api.bundle.policy.version },
            "serverTime": now_ms(),
            "warnings": wire_issues(&result.warnings, &[]),
        })
        .to_string(),
    )
}
