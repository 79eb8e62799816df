//! The account lifecycle (issue 16, item 3): freezing and unfreezing by the admin, the periodic
//! account audit, and unused accounts.
//!
//! ```text
//! PUT    /registrations/{id}/freeze   { "reason": "<code>" }   freeze (admin)
//! DELETE /registrations/{id}/freeze                            unfreeze (admin)
//! POST   /_account-audits                                      run the account audit now (admin)
//! GET    /_account-audits?limit=N                              the audit's reports, newest first (admin)
//! ```
//!
//! - **Frozen** accounts: every evaluation answers `allowed: false` with `sync_account_frozen` (a
//!   platform asks before every payment or session), and the account's own token may no longer
//!   change anything but may still read the account, withdraw consents and cancel it (the rights of
//!   PIPL Arts. 15, 45 and 47 do not depend on the platform's decision). The reason is a code from
//!   [`FREEZE_REASONS`], never free text (which could carry personal data into the audit log).
//! - **The account audit** runs every `--account-audit-interval-hours` (and on demand): every stored
//!   account is checked again with the core's `check_registration` under the rules in force (the
//!   server's accepted kinds, the policy's age rule, today's date by the server's clock), its age
//!   band recomputed (a child who turned 14, a minor who turned 18: the stored band and `isMinor`
//!   follow, and so does the listing; the evaluation always uses the birth date and today), and
//!   accounts unused for `--unused-after-days` are reported. With `--unused-cleanup`, the holder of
//!   an unused account is first told by SMS (the phone-code sender; the start refuses the flag
//!   without one, and without a current text that says so), and the account is deleted like a
//!   cancellation once `--unused-notice-days` have passed without use. The report holds counts and
//!   account numbers (`r_…`), never personal data, and is kept in `account_audits`.
//! - **Activity**: an account is used when its own token is presented, or when the platform
//!   evaluates an activity for it; the server records the day (at most one write a day per account
//!   and process).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::store::{args, WriteConn};
use axum::body::Bytes;
use axum::response::Response;
use serde_json::{json, Value};
use shiming::minor::LocalTime;
use shiming::{check_registration, Field, RegistrationForm, RegistrationOptions};

use crate::api::{issue_response, json_response, not_found, now_ms, storage_unavailable, Api};
use crate::store::{AuditEntry, Op, RegistrationRow, Reply};

/// Why an account is frozen: stable codes, shown in the audit log and the account's view.
pub const FREEZE_REASONS: &[&str] = &[
    // The authoritative source said the identity does not match (or the server froze it when a
    // pending verification failed).
    "verification_failed",
    "suspected_impersonation",
    "guardian_request",
    "legal_order",
    "security_risk",
    "user_request",
    "other",
];

const DAY_MS: i64 = 86_400_000;

/// The lifecycle's settings (flags in `config.rs`).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Hours between two scheduled account audits; 0: only on demand.
    pub audit_interval_hours: u32,
    pub unused_after_days: u32,
    pub unused_cleanup: bool,
    pub unused_notice_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            audit_interval_hours: 24,
            unused_after_days: 365,
            unused_cleanup: false,
            unused_notice_days: 30,
        }
    }
}

/// A lifecycle change, carried out by the store's writer (`Op::Lifecycle`), with its audit record
/// in the same transaction.
#[derive(Debug)]
pub enum Change {
    Freeze {
        id: String,
        reason: &'static str,
        actor: &'static str,
    },
    Unfreeze {
        id: String,
        actor: &'static str,
    },
    /// The verifier's news about an account; `freeze` when a failure freezes it (verification
    /// required).
    Verification {
        id: String,
        state: &'static str,
        enc: Option<Vec<u8>>,
        verify_after: Option<i64>,
        attempts: i64,
        freeze: bool,
    },
    /// The account was used today (a notice that it is unused no longer holds).
    Seen {
        id: String,
    },
    /// An audit's report, the age bands it corrected, and the unused accounts it marked notified.
    Report {
        trigger: &'static str,
        started_at: i64,
        report: String,
        bands: Vec<(String, Option<String>, Option<bool>)>,
        notified: Vec<String>,
    },
}

/// Carries out `change` on the writer's connection; `false` when the account does not exist (or,
/// for a freeze, is frozen already: nothing changed).
pub(crate) async fn apply(
    conn: &mut impl WriteConn,
    change: &Change,
    now: i64,
) -> Result<bool, sqlx::Error> {
    match change {
        Change::Freeze { id, reason, actor } => {
            let done = conn
                .execute(
                    "UPDATE registrations SET frozen_at = $1, frozen_reason = $2 WHERE id = $3",
                    args![now, *reason, id],
                )
                .await?
                == 1;
            if done {
                record(conn, actor, "account.freeze", id, Some(reason), now).await?;
            }
            Ok(done)
        }
        Change::Unfreeze { id, actor } => {
            let done = conn
                .execute(
                    "UPDATE registrations SET frozen_at = NULL, frozen_reason = NULL \
                     WHERE id = $1 AND frozen_at IS NOT NULL",
                    args![id],
                )
                .await?
                == 1;
            if done {
                record(conn, actor, "account.unfreeze", id, None, now).await?;
            }
            Ok(done)
        }
        Change::Verification {
            id,
            state,
            enc,
            verify_after,
            attempts,
            freeze,
        } => {
            let done = conn
                .execute(
                    "UPDATE registrations SET verification_state = $1, verification_enc = $2, \
                     verify_after = $3, verify_attempts = $4 WHERE id = $5",
                    args![*state, enc.as_deref(), *verify_after, *attempts, id],
                )
                .await?
                == 1;
            if done && *state != "pending" {
                record(conn, "server", "account.verification", id, Some(state), now).await?;
            }
            if done && *freeze {
                let frozen = conn
                    .execute(
                        "UPDATE registrations SET frozen_at = $1, frozen_reason = 'verification_failed' \
                         WHERE id = $2 AND frozen_at IS NULL",
                        args![now, id],
                    )
                    .await?
                    == 1;
                // Frozen already (by the admin): that freeze and its reason stand, nothing to record.
                if frozen {
                    let reason = Some("verification_failed");
                    record(conn, "server", "account.freeze", id, reason, now).await?;
                }
            }
            Ok(done)
        }
        Change::Seen { id } => {
            // A day's precision: the exact times of use are not kept.
            let day = now - now.rem_euclid(DAY_MS);
            Ok(conn
                .execute(
                    "UPDATE registrations SET last_seen_at = $1, unused_notified_at = NULL \
                     WHERE id = $2 AND (last_seen_at IS NULL OR last_seen_at < $1)",
                    args![day, id],
                )
                .await?
                == 1)
        }
        Change::Report {
            trigger,
            started_at,
            report,
            bands,
            notified,
        } => {
            for (id, band, minor) in bands {
                conn.execute(
                    "UPDATE registrations SET age_band = $1, is_minor = $2 WHERE id = $3",
                    args![band.as_deref(), minor.map(i64::from), id],
                )
                .await?;
            }
            for id in notified {
                conn.execute(
                    "UPDATE registrations SET unused_notified_at = $1 \
                     WHERE id = $2 AND unused_notified_at IS NULL",
                    args![now, id],
                )
                .await?;
                record(conn, "server", "account.unused_notice", id, None, now).await?;
            }
            conn.execute(
                "INSERT INTO account_audits (started_at, finished_at, trigger_kind, report) \
                 VALUES ($1, $2, $3, $4)",
                args![*started_at, now, *trigger, report],
            )
            .await?;
            let entry = AuditEntry::new(
                if *trigger == "admin" {
                    "admin"
                } else {
                    "server"
                },
                "accounts.audit",
                None,
                Some(format!("bands:{} notified:{}", bands.len(), notified.len())),
            );
            crate::store::insert_audit(conn, &entry, now).await?;
            Ok(true)
        }
    }
}

/// Appends the audit record of a change to account `id`, in the change's transaction.
async fn record(
    conn: &mut impl WriteConn,
    actor: &'static str,
    action: &'static str,
    id: &str,
    detail: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let entry = AuditEntry::new(
        actor,
        action,
        Some(id.to_string()),
        detail.map(str::to_string),
    );
    crate::store::insert_audit(conn, &entry, now).await
}

/// The days on which an account's use was already written, per process (one write a day).
#[derive(Default)]
pub struct SeenCache(Mutex<HashMap<String, i64>>);

/// Records that account `id` was used today (at most one write a day per account and process);
/// does not wait for the commit: a lost record makes an account look older, never younger, and the
/// cleanup notifies first.
pub fn seen(api: &std::sync::Arc<Api>, id: &str) {
    let today = now_ms().div_euclid(DAY_MS);
    {
        let mut cache = api
            .seen
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.get(id) == Some(&today) {
            return;
        }
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(id.to_string(), today);
    }
    let api = std::sync::Arc::clone(api);
    let id = id.to_string();
    tokio::spawn(async move {
        let _ = api
            .store
            .write(Op::Lifecycle {
                change: Change::Seen { id },
                now: now_ms(),
            })
            .await;
    });
}

/// `PUT|DELETE /registrations/{id}/freeze` (admin).
pub async fn freeze(api: &Api, id: &str, body: Option<&Bytes>) -> Response {
    let change = match body {
        None => Change::Unfreeze {
            id: id.to_string(),
            actor: "admin",
        },
        Some(body) => {
            let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) else {
                return issue_response(400, json!([]), "sync_body_invalid_json");
            };
            if let Some(extra) = body.keys().find(|k| k.as_str() != "reason") {
                return issue_response(422, json!([extra]), "sync_field_invalid");
            }
            let Some(reason) = body.get("reason") else {
                return issue_response(422, json!(["reason"]), "sync_field_missing");
            };
            let Some(reason) = FREEZE_REASONS.iter().find(|r| reason.as_str() == Some(**r)) else {
                return issue_response(422, json!(["reason"]), "sync_field_invalid");
            };
            Change::Freeze {
                id: id.to_string(),
                reason,
                actor: "admin",
            }
        }
    };
    // Idempotent: unfreezing an account that is not frozen changes nothing (and records nothing)
    // and answers its state, as a second freeze with the same reason does.
    match api
        .store
        .write(Op::Lifecycle {
            change,
            now: now_ms(),
        })
        .await
    {
        Ok(_) => match api.store.registration(id).await {
            Ok(Some(row)) => json_response(200, status_of(&row).to_string()),
            Ok(None) => not_found(),
            Err(_) => storage_unavailable(),
        },
        Err(e) => {
            tracing::warn!(error = %e, "a freeze was not committed: 503");
            storage_unavailable()
        }
    }
}

/// An account's lifecycle state, as the account's view and the listing show it.
pub fn status_of(row: &RegistrationRow) -> Value {
    json!({
        "id": row.id,
        "frozen": row.frozen_at.map(|at| json!({ "at": at, "reason": row.frozen_reason })),
        "lastActiveDay": row.last_seen_at,
        "unusedNoticeAt": row.unused_notified_at,
    })
}

/// The report of one audit, as stored and answered.
pub async fn run_audit(api: &Api, trigger: &'static str) -> Result<Value, String> {
    let started = now_ms();
    let Some(now) = LocalTime::from_unix_seconds(started / 1000) else {
        return Err("the server's clock is out of range".into());
    };
    let settings = &api.lifecycle;
    let policy = &api.bundle.policy;
    let mut options = RegistrationOptions::new(now.date);
    options.kinds = api.bundle.kinds;
    options.age_rule = policy.age_rule;
    options.guardian_min_age = policy.guardian_min_age.0;
    let unused_before = started - i64::from(settings.unused_after_days) * DAY_MS;
    let notice_before = started - i64::from(settings.unused_notice_days) * DAY_MS;

    let mut accounts = 0u64;
    let mut states: HashMap<String, u64> = HashMap::new();
    let mut frozen = 0u64;
    let mut band_changes = Vec::new();
    let mut bands = Vec::new();
    let mut recheck = Vec::new();
    let mut unused = Vec::new();
    let mut notified = Vec::new();
    let mut to_delete = Vec::new();
    let mut after: Option<(i64, String)> = None;
    loop {
        let rows = api
            .store
            .registrations(after.clone(), 500)
            .await
            .map_err(|e| crate::store::error_kind(&e))?;
        let Some(last) = rows.last() else { break };
        after = Some((last.created_at, last.id.clone()));
        for row in &rows {
            accounts += 1;
            *states.entry(row.verification_state.clone()).or_default() += 1;
            if row.frozen_at.is_some() {
                frozen += 1;
            }
            match recheck_row(api, row, &options) {
                Ok((band, minor)) => {
                    if band != row.age_band || minor != row.is_minor {
                        band_changes.push(json!({
                            "account": row.id, "from": row.age_band, "to": band,
                        }));
                        bands.push((row.id.clone(), band, minor));
                    }
                }
                Err(codes) => recheck.push(json!({ "account": row.id, "codes": codes })),
            }
            let active = row.last_seen_at.unwrap_or(row.created_at);
            if active < unused_before {
                unused.push(json!({ "account": row.id, "lastActiveDay": active - active.rem_euclid(DAY_MS) }));
                if settings.unused_cleanup {
                    match row.unused_notified_at {
                        // Notified for real (an SMS to the account's phone), or not marked.
                        None => {
                            if notify_unused(api, row).await {
                                notified.push(row.id.clone());
                            }
                        }
                        Some(at) if at < notice_before && active < at => {
                            to_delete.push(row.id.clone())
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        if rows.len() < 500 {
            break;
        }
    }
    let mut deleted = Vec::new();
    for id in &to_delete {
        match api
            .store
            .write(Op::Delete {
                id: id.clone(),
                now: now_ms(),
                actor: "server",
            })
            .await
        {
            Ok(Reply::Deleted(true)) => deleted.push(json!(id)),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    let report = json!({
        "trigger": trigger,
        "startedAt": started,
        "today": now.date.to_string(),
        "policy": { "id": policy.id, "version": policy.version },
        "accounts": accounts,
        "verification": states,
        "frozen": frozen,
        "bandChanges": band_changes,
        "recheckFailures": recheck,
        "unused": { "afterDays": settings.unused_after_days, "accounts": unused },
        "cleanup": {
            "enabled": settings.unused_cleanup,
            "noticeDays": settings.unused_notice_days,
            "notified": notified,
            "deleted": deleted,
        },
    });
    match api
        .store
        .write(Op::Lifecycle {
            change: Change::Report {
                trigger,
                started_at: started,
                report: report.to_string(),
                bands,
                notified,
            },
            now: now_ms(),
        })
        .await
    {
        Ok(_) => Ok(report),
        Err(e) => Err(e.to_string()),
    }
}

/// Tells an unused account's holder, by SMS to its phone, that it will be deleted after the notice
/// days unless used; true once sent. The start makes sure a sender exists with `--unused-cleanup`.
async fn notify_unused(api: &Api, row: &RegistrationRow) -> bool {
    let Some(codes) = &api.phone_codes else {
        return false;
    };
    let Some(phone) = api
        .keys
        .decrypt("phone", &row.id, &row.phone_enc)
        .and_then(|bytes| String::from_utf8(bytes).ok())
    else {
        return false;
    };
    let text = format!(
        "【实名注册】您的账号（编号 {}）已超过 {} 天未使用，{} 天后将被删除。如需保留，请在此之前登录使用。",
        row.id, api.lifecycle.unused_after_days, api.lifecycle.unused_notice_days
    );
    let message = crate::sms::SmsMessage {
        to: &phone,
        code: "",
        text: &text,
    };
    match codes.sender.send(message).await {
        Ok(()) => true,
        Err(reason) => {
            tracing::warn!(account = %row.id, reason, "an unused account's notice was not sent; it is not marked");
            false
        }
    }
}

/// One account checked again under today's rules: its age band and `isMinor` now, or the codes of
/// the checks it no longer passes.
fn recheck_row(
    api: &Api,
    row: &RegistrationRow,
    options: &RegistrationOptions,
) -> Result<(Option<String>, Option<bool>), Vec<String>> {
    let open = |column: &str, value: &[u8]| -> Option<String> {
        api.keys
            .decrypt(column, &row.id, value)
            .and_then(|bytes| String::from_utf8(bytes).ok())
    };
    let (Some(name), Some(number), Some(phone), Some(profile)) = (
        open("name", &row.name_enc),
        open("id_number", &row.id_number_enc),
        open("phone", &row.phone_enc),
        open("profile", &row.profile_enc),
    ) else {
        return Err(vec!["sync_server_error".into()]);
    };
    let profile: Value = serde_json::from_str(&profile).unwrap_or(Value::Null);
    let declared = (row.birth_date_source.as_deref() == Some("declared"))
        .then(|| profile.get("birthDate").and_then(Value::as_str))
        .flatten();
    let form = RegistrationForm {
        name: Field::Text(&name),
        id_kind: Field::Text(&row.kind),
        id_number: Field::Text(&number),
        phone: Field::Text(&phone),
        password: Field::Missing,
        username: Field::Missing,
        birth_date: declared.map_or(Field::Missing, Field::Text),
    };
    match check_registration(&form, options) {
        Ok(checked) => {
            let Some(derived) = checked.value.derived else {
                return Err(vec!["sync_server_error".into()]);
            };
            if derived.kind == shiming::IdKind::Uscc {
                return Ok((None, None));
            }
            Ok((
                derived.age_band.map(|b| b.as_str().to_string()),
                derived.is_minor,
            ))
        }
        Err(rejected) => {
            let mut codes: Vec<String> = rejected
                .issues
                .iter()
                .map(|i| i.code.as_str().to_string())
                .collect();
            codes.sort();
            codes.dedup();
            Err(codes)
        }
    }
}

/// `GET|POST /_account-audits` (admin).
pub async fn account_audits(api: &Api, run: bool, query: Option<&str>) -> Response {
    if run {
        return match run_audit(api, "admin").await {
            Ok(report) => json_response(200, report.to_string()),
            Err(e) => {
                tracing::warn!(error = %e, "an account audit failed: 503");
                storage_unavailable()
            }
        };
    }
    let mut limit: i64 = 10;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        if name == "limit" {
            match value.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => limit = n,
                _ => return issue_response(422, json!(["query", "limit"]), "sync_field_invalid"),
            }
        }
    }
    match api.store.account_audits(limit).await {
        Ok(rows) => {
            let reports: Vec<Value> = rows
                .into_iter()
                .map(|(seq, started, finished, trigger, report)| {
                    json!({
                        "seq": seq, "startedAt": started, "finishedAt": finished, "trigger": trigger,
                        "report": serde_json::from_str::<Value>(&report).unwrap_or(Value::Null),
                    })
                })
                .collect();
            json_response(200, json!({ "reports": reports }).to_string())
        }
        Err(_) => storage_unavailable(),
    }
}

/// The scheduled audit: every `audit_interval_hours` (the first an interval after the start).
pub fn schedule(api: std::sync::Arc<Api>) {
    let hours = api.lifecycle.audit_interval_hours;
    if hours == 0 {
        return;
    }
    tokio::spawn(async move {
        let period = std::time::Duration::from_secs(u64::from(hours) * 3600);
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        loop {
            tick.tick().await;
            if let Err(e) = run_audit(&api, "schedule").await {
                tracing::warn!(error = %e, "the scheduled account audit failed");
            }
        }
    });
}
