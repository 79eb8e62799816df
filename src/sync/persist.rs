//! The queue as JSON, to be stored between page loads (the wasm edge encrypts it and keeps it in
//! IndexedDB). The format is `docs/schemas/sync-queue.json`:
//!
//! ```text
//! { "format": "shiming-sync-queue", "version": 1,
//!   "entries": [ { "id", "kind", "idempotencyKey", "body", "dependsOn", "createdMs", "expiresMs",
//!                  "attempts", "nextAttemptMs", "serverAskedWait"? (true when present),
//!                  "state", "sentMs"?, "status"?, "issues"?,
//!                  "failure"? } ] }
//! ```
//!
//! Written canonically (RFC 8785), so the same queue is always the same bytes. `body` is a string
//! holding the exact request body: the server compares a retry's body byte for byte.
//!
//! Reading is strict (an unknown member, a wrong type, a duplicated id or key is an error) and
//! never panics. An entry that was in flight when saved is restored as pending, with the same
//! idempotency key: resending it is safe, and the server replays its first answer if it had
//! stored it.

use super::http::{RetryReason, WireIssue};
use super::queue::{
    is_token, Entry, EntryKind, EntryState, Event, FailCode, FailReason, Status, SyncConfig,
    SyncQueue,
};
// Integer-only RFC 8785 (same bytes; keeps float formatting out of the wasm module).
use crate::codec::jcs::canonicalize;
use crate::codec::json::{self, Value};
use crate::token::looks_like_personal_number;

/// The `format` member.
pub const QUEUE_FORMAT: &str = "shiming-sync-queue";
/// The `version` member this build writes and reads.
pub const QUEUE_VERSION: i64 = 1;
const MAX_SAFE: i64 = 9_007_199_254_740_991;

/// Why stored text is not a queue. The snake_case names are API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreError {
    /// Not JSON (or larger than 256 KB).
    InvalidJson,
    /// JSON, but not a queue (no `format: "shiming-sync-queue"`, or the wrong shape).
    NotAQueue,
    /// A queue of another format version.
    UnsupportedVersion,
    /// Entry `index` is malformed at `field`.
    InvalidEntry {
        /// The entry's position in `entries`, from 0.
        index: usize,
        /// The entry's member that is malformed, e.g. `idempotencyKey`.
        field: &'static str,
    },
}

impl RestoreError {
    /// The error's snake_case name: `invalid_json`, `not_a_queue`, `unsupported_version` or
    /// `invalid_entry`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            RestoreError::InvalidJson => "invalid_json",
            RestoreError::NotAQueue => "not_a_queue",
            RestoreError::UnsupportedVersion => "unsupported_version",
            RestoreError::InvalidEntry { .. } => "invalid_entry",
        }
    }
}

impl core::fmt::Display for RestoreError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            RestoreError::InvalidEntry { index, field } => {
                write!(f, "invalid_entry: entry {index}, {field}")
            }
            other => f.write_str(other.as_str()),
        }
    }
}

fn int(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(MAX_SAFE).min(MAX_SAFE))
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

fn entry_value(entry: &Entry) -> Value {
    let mut members: Vec<(String, Value)> = vec![
        ("id".into(), text(&entry.id)),
        ("kind".into(), text(entry.kind.as_str())),
        ("idempotencyKey".into(), text(&entry.idempotency_key)),
        ("body".into(), text(&entry.body)),
        (
            "dependsOn".into(),
            Value::Array(entry.depends_on.iter().map(|d| text(d)).collect()),
        ),
        ("createdMs".into(), int(entry.created_ms)),
        ("expiresMs".into(), int(entry.expires_ms)),
        ("attempts".into(), int(u64::from(entry.attempts))),
        ("nextAttemptMs".into(), int(entry.next_attempt_ms)),
        ("state".into(), text(entry.state.name())),
    ];
    match &entry.state {
        EntryState::Pending => {}
        EntryState::Sent { since_ms } => members.push(("sentMs".into(), int(*since_ms))),
        EntryState::Rejected { status, issues } => {
            members.push(("status".into(), int(u64::from(*status))));
            members.push((
                "issues".into(),
                Value::Array(issues.iter().map(WireIssue::to_value).collect()),
            ));
        }
        EntryState::Failed(reason) => {
            members.push((
                "failure".into(),
                Value::Object(vec![
                    ("code".into(), text(reason.code.as_str())),
                    (
                        "dependency".into(),
                        reason.dependency.as_deref().map_or(Value::Null, text),
                    ),
                    (
                        "status".into(),
                        reason.status.map_or(Value::Null, |s| int(u64::from(s))),
                    ),
                ]),
            ));
        }
    }
    // Only when set, so that queues stored before it existed read the same.
    if entry.server_asked_wait {
        members.push(("serverAskedWait".into(), Value::Bool(true)));
    }
    Value::Object(members)
}

/// One entry as canonical JSON (for the size budget of `enqueue`).
pub(super) fn entry_json(entry: &Entry) -> String {
    // Every number is an integer and every issue param was checked to have a canonical form when
    // it was read, so canonicalization cannot fail.
    canonicalize(&entry_value(entry)).unwrap_or_default()
}

impl SyncQueue {
    /// The whole queue as canonical JSON (pending events are not part of it).
    pub fn to_json(&self) -> String {
        let document = Value::Object(vec![
            ("format".into(), text(QUEUE_FORMAT)),
            ("version".into(), Value::Int(QUEUE_VERSION)),
            (
                "entries".into(),
                Value::Array(self.entries.iter().map(entry_value).collect()),
            ),
        ]);
        canonicalize(&document).unwrap_or_default()
    }

    /// Restores a queue saved by [`SyncQueue::to_json`], with the caller's settings. Entries that
    /// were in flight become pending (due now, same key; a `pending` event with retry `restored`).
    pub fn from_json(text: &str, config: SyncConfig) -> Result<SyncQueue, RestoreError> {
        let document = json::parse(text).map_err(|_| RestoreError::InvalidJson)?;
        let Value::Object(members) = &document else {
            return Err(RestoreError::NotAQueue);
        };
        if document.get("format") != Some(&Value::String(QUEUE_FORMAT.into())) {
            return Err(RestoreError::NotAQueue);
        }
        if document.get("version") != Some(&Value::Int(QUEUE_VERSION)) {
            return Err(RestoreError::UnsupportedVersion);
        }
        if members
            .iter()
            .any(|(k, _)| !["format", "version", "entries"].contains(&k.as_str()))
        {
            return Err(RestoreError::NotAQueue);
        }
        let Some(Value::Array(items)) = document.get("entries") else {
            return Err(RestoreError::NotAQueue);
        };
        let mut queue = SyncQueue::new(config);
        for (index, item) in items.iter().enumerate() {
            let bad = |field: &'static str| RestoreError::InvalidEntry { index, field };
            let mut entry = read_entry(item).map_err(bad)?;
            if queue.entries.iter().any(|e| e.id == entry.id) {
                return Err(bad("id"));
            }
            if queue
                .entries
                .iter()
                .any(|e| e.idempotency_key == entry.idempotency_key)
            {
                return Err(bad("idempotencyKey"));
            }
            if let EntryState::Sent { since_ms } = entry.state {
                entry.state = EntryState::Pending;
                entry.next_attempt_ms = entry.next_attempt_ms.min(since_ms);
                queue.events.push(Event {
                    entry_id: entry.id.clone(),
                    kind: entry.kind,
                    status: Status::Pending {
                        attempts: entry.attempts,
                        next_attempt_ms: entry.next_attempt_ms,
                        retry: Some(RetryReason::Restored),
                    },
                });
            }
            queue.entries.push(entry);
        }
        Ok(queue)
    }
}

const ENTRY_FIELDS: [&str; 15] = [
    "id",
    "kind",
    "idempotencyKey",
    "body",
    "dependsOn",
    "createdMs",
    "expiresMs",
    "attempts",
    "nextAttemptMs",
    "state",
    "sentMs",
    "status",
    "issues",
    "failure",
    "serverAskedWait",
];

fn string<'v>(value: &'v Value, field: &'static str) -> Result<&'v str, &'static str> {
    match value.get(field) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(field),
    }
}

fn time(value: &Value, field: &'static str) -> Result<u64, &'static str> {
    match value.get(field) {
        Some(Value::Int(n)) => u64::try_from(*n).map_err(|_| field),
        _ => Err(field),
    }
}

fn reference(s: &str) -> bool {
    is_token(s) && !looks_like_personal_number(s)
}

fn read_entry(value: &Value) -> Result<Entry, &'static str> {
    let Value::Object(members) = value else {
        return Err("entry");
    };
    if let Some((_, _)) = members
        .iter()
        .find(|(k, _)| !ENTRY_FIELDS.contains(&k.as_str()))
    {
        return Err("entry");
    }
    let id = string(value, "id")?;
    if !reference(id) {
        return Err("id");
    }
    let kind = EntryKind::parse(string(value, "kind")?).ok_or("kind")?;
    let key = string(value, "idempotencyKey")?;
    if !is_token(key) {
        return Err("idempotencyKey");
    }
    let body = string(value, "body")?;
    if json::parse(body).is_err() {
        return Err("body");
    }
    let depends_on = match value.get("dependsOn") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(d) if reference(d) && d != id => Some(d.clone()),
                _ => None,
            })
            .collect::<Option<Vec<String>>>()
            .ok_or("dependsOn")?,
        _ => return Err("dependsOn"),
    };
    let attempts = u32::try_from(time(value, "attempts")?).map_err(|_| "attempts")?;
    let only = |allowed: &[&str]| {
        ["sentMs", "status", "issues", "failure"]
            .iter()
            .all(|f| allowed.contains(f) || value.get(f).is_none())
    };
    let state = match string(value, "state")? {
        "pending" if only(&[]) => EntryState::Pending,
        "sent" if only(&["sentMs"]) => EntryState::Sent {
            since_ms: time(value, "sentMs")?,
        },
        "rejected" if only(&["status", "issues"]) => {
            let status = u16::try_from(time(value, "status")?).map_err(|_| "status")?;
            let issues = match value.get("issues") {
                Some(Value::Array(items)) => items
                    .iter()
                    .map(WireIssue::from_value)
                    .collect::<Option<Vec<_>>>()
                    .ok_or("issues")?,
                _ => return Err("issues"),
            };
            EntryState::Rejected { status, issues }
        }
        "failed" if only(&["failure"]) => EntryState::Failed(read_failure(value)?),
        _ => return Err("state"),
    };
    Ok(Entry {
        id: id.to_string(),
        kind,
        idempotency_key: key.to_string(),
        body: body.to_string(),
        depends_on,
        created_ms: time(value, "createdMs")?,
        expires_ms: time(value, "expiresMs")?,
        attempts,
        server_asked_wait: match value.get("serverAskedWait") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err("serverAskedWait"),
        },
        next_attempt_ms: time(value, "nextAttemptMs")?,
        state,
    })
}

fn read_failure(value: &Value) -> Result<FailReason, &'static str> {
    let Some(failure @ Value::Object(members)) = value.get("failure") else {
        return Err("failure");
    };
    if members
        .iter()
        .any(|(k, _)| !["code", "dependency", "status"].contains(&k.as_str()))
    {
        return Err("failure");
    }
    let code = match failure.get("code") {
        Some(Value::String(code)) => FailCode::parse(code).ok_or("failure")?,
        _ => return Err("failure"),
    };
    let dependency = match failure.get("dependency") {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) if reference(d) => Some(d.clone()),
        Some(_) => return Err("failure"),
    };
    let status = match failure.get("status") {
        None | Some(Value::Null) => None,
        Some(Value::Int(s)) => Some(u16::try_from(*s).map_err(|_| "failure")?),
        Some(_) => return Err("failure"),
    };
    Ok(FailReason {
        code,
        dependency,
        status,
    })
}
