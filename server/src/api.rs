//! The protocol (docs/protocol.md, version 1) at `/api`:
//!
//! ```text
//! GET    /policy                       the policy bundle (ETag / If-None-Match)
//! POST   /consents                     consent receipts, each verified with the core's verify_receipt
//! POST   /registrations                a registration, re-validated with the core's check_registration
//! GET    /registrations                the admin listing, masked, in pages
//! GET    /registrations/{id}           one account, masked          (admin, or the account's token)
//! GET    /registrations/{id}/consents  the account's receipts        (admin, or the account's token)
//! DELETE /registrations/{id}           account cancellation          (admin, or the account's token)
//! PUT    /_faults                      fault rates (admin; only with --fault-control)
//! ```
//!
//! Order of work for a POST: the faults that answer at once (429, 500/503) → method and path →
//! the rate limit → `Idempotency-Key` → `Content-Type` → the body (size and time limits) → the
//! key's claim in this process (409 while running) and its stored record (replay / 422 reused) →
//! the delay fault → the checks (pure: the core) → the writer (the database checks and the write,
//! in a group commit) → the drop fault, or the answer. A 2xx leaves only after the commit.
//!
//! The server never trusts the client: the age band, and so the consents a registration needs,
//! come from the server's own check with its own clock (Asia/Shanghai) and its accepted kinds.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use shiming::consent::verify_receipt_checked;
use shiming::consent::{required_documents, DocumentKind};
use shiming::token::looks_like_personal_number;
use shiming::{
    check_guardian, check_registration, mask_id, mask_name, mask_phone, AgeBand, Date, Field,
    GuardianForm, Issue, MaskOptions, MinorRef, ParamValue, PathSegment, RegistrationForm,
    RegistrationOptions,
};
use subtle::ConstantTimeEq;

use crate::bundle::Bundle;
use crate::faults::Faults;
use crate::keys::{self, Keys};
use crate::limits::RateLimiter;
use crate::minors;
use crate::store::{self, AuditEntry, Caller, Idem, NewReceipt, NewRegistration, Op, Reply, Store};

pub const SCOPE_CONSENTS: &str = "POST /consents";
pub const SCOPE_REGISTRATIONS: &str = "POST /registrations";
/// The largest request body: 20 receipts of about 1.5 KB fit many times over.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
const MAX_RECEIPTS: usize = 20;
const MAX_CONSENTS: usize = 20;
/// `Retry-After` of a 503 when the database cannot commit (a full disk, a lost connection).
const STORAGE_RETRY_AFTER: &str = "2";

/// The API's state.
pub struct Api {
    pub store: Store,
    pub keys: Arc<Keys>,
    pub bundle: Bundle,
    pub faults: Faults,
    pub fault_control: bool,
    /// SHA-256 of the admin token.
    pub admin_hash: Vec<u8>,
    pub limiter: RateLimiter,
    pub request_timeout: Duration,
    /// The account lifecycle's settings (freeze, audit, unused accounts).
    pub lifecycle: crate::lifecycle::Settings,
    /// The days accounts were last seen, per process.
    pub seen: crate::lifecycle::SeenCache,
    /// The identity-verification provider (`none` unless configured) and its mode.
    pub verifier: crate::verification::Verifier,
    /// Phone ownership by a one-time code (`None`: no SMS sender, the feature is off).
    pub phone_codes: Option<crate::phone_codes::PhoneCodes>,
    in_flight: Mutex<HashSet<String>>,
}

/// Marks a response that must not be sent: the connection is closed instead (the drop fault).
#[derive(Clone, Copy)]
pub struct DropConnection;

/// The client's address, set by the accept loop.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub std::net::SocketAddr);

impl Api {
    #[allow(clippy::too_many_arguments)] // one call site, in server.rs; every part is required
    pub fn new(
        store: Store,
        keys: Arc<Keys>,
        bundle: Bundle,
        faults: Faults,
        fault_control: bool,
        admin_hash: Vec<u8>,
        limiter: RateLimiter,
        request_timeout: Duration,
    ) -> Api {
        Api {
            store,
            keys,
            bundle,
            faults,
            fault_control,
            admin_hash,
            limiter,
            request_timeout,
            lifecycle: crate::lifecycle::Settings::default(),
            seen: crate::lifecycle::SeenCache::default(),
            verifier: crate::verification::Verifier {
                provider: Arc::new(crate::verify::NoneProvider),
                required: false,
            },
            phone_codes: None,
            in_flight: Mutex::new(HashSet::new()),
        }
    }

    /// The verification provider and its mode (`none` otherwise).
    pub fn with_verifier(mut self, verifier: crate::verification::Verifier) -> Api {
        self.verifier = verifier;
        self
    }

    /// Phone ownership by a one-time code (`None`, the default: off).
    pub fn with_phone_codes(mut self, codes: Option<crate::phone_codes::PhoneCodes>) -> Api {
        self.phone_codes = codes;
        self
    }

    /// The lifecycle's settings (the defaults otherwise).
    pub fn with_lifecycle(mut self, settings: crate::lifecycle::Settings) -> Api {
        self.lifecycle = settings;
        self
    }

    /// Claims `key` while its request runs; `None` when another request holds it (409). The claim
    /// ends when the guard is dropped: also when the client goes away and the request's future is
    /// dropped midway (a claim that outlived its request would answer 409 to every retry).
    fn claim(&self, key: &str) -> Option<Claim<'_>> {
        let mut set = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        set.insert(key.to_string()).then(|| Claim {
            api: self,
            key: key.to_string(),
        })
    }
}

struct Claim<'a> {
    api: &'a Api,
    key: String,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut set = self
            .api
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        set.remove(&self.key);
    }
}

/// A shift of the server's clock, for tests only (`--fault-clock-offset-days`, which needs
/// `--fault-control`): how a test sees a child registered last year turn 14 today.
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Shifts [`now_ms`] (tests only; see [`CLOCK_OFFSET_MS`]).
pub fn set_clock_offset_ms(offset: i64) {
    CLOCK_OFFSET_MS.store(offset, std::sync::atomic::Ordering::Relaxed);
}

/// Unix milliseconds, by the server's clock.
pub fn now_ms() -> i64 {
    CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed) + system_ms()
}

fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// The server's "today" for the rules: the calendar date in Asia/Shanghai (UTC+8, no DST).
pub fn shanghai_date(ms: i64) -> Option<Date> {
    Date::from_days_since_epoch((ms + 8 * 3600 * 1000).div_euclid(86_400_000))
}

// ---- answers --------------------------------------------------------------------------------------

pub(crate) fn json_response(status: u16, body: String) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn issue_body(path: Value, code: &str) -> String {
    json!({ "issues": [{ "path": path, "code": code, "params": {} }] }).to_string()
}

pub(crate) fn issue_response(status: u16, path: Value, code: &str) -> Response {
    json_response(status, issue_body(path, code))
}

/// An issue answer without a path (for the other modules).
pub fn issue_response_pub(status: u16, code: &str) -> Response {
    issue_response(status, json!([]), code)
}

/// `Retry-After: seconds` on an answer.
pub(crate) fn with_retry_after(response: Response, seconds: u64) -> Response {
    with_header(response, header::RETRY_AFTER, &seconds.to_string())
}

fn with_header(mut response: Response, name: header::HeaderName, value: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
    response
}

fn unauthorized() -> Response {
    with_header(
        issue_response(401, json!([]), "sync_unauthorized"),
        header::WWW_AUTHENTICATE,
        "Bearer",
    )
}

fn forbidden() -> Response {
    issue_response(403, json!([]), "sync_forbidden")
}

pub(crate) fn no_content() -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::NO_CONTENT;
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) fn not_found() -> Response {
    issue_response(404, json!([]), "sync_not_found")
}

fn method_not_allowed(allow: &str) -> Response {
    with_header(
        issue_response(405, json!([]), "sync_method_not_allowed"),
        header::ALLOW,
        allow,
    )
}

pub(crate) fn storage_unavailable() -> Response {
    with_header(
        issue_response(503, json!([]), "sync_unavailable"),
        header::RETRY_AFTER,
        STORAGE_RETRY_AFTER,
    )
}

fn server_error() -> Response {
    issue_response(500, json!([]), "sync_server_error")
}

/// `{ id, registrationId, serverTime }`, with `accountToken` when given, and the new account's
/// `verification` and `phoneConfirmed` (docs/protocol.md 4.6) when it was just stored.
pub fn registration_answer(
    id: &str,
    registration_id: &str,
    server_time: i64,
    token: Option<&str>,
    stored: Option<&NewRegistration>,
) -> String {
    let mut answer =
        json!({ "id": id, "registrationId": registration_id, "serverTime": server_time });
    if let Some(object) = answer.as_object_mut() {
        if let Some(token) = token {
            object.insert("accountToken".into(), json!(token));
        }
        if let Some(reg) = stored {
            object.insert(
                "verification".into(),
                json!({ "state": reg.verification_state }),
            );
            object.insert(
                "phoneConfirmed".into(),
                json!(reg.phone_confirmed_at.is_some()),
            );
        }
    }
    answer.to_string()
}

/// Adds `accountToken` to a stored registration answer.
pub fn with_token(body: &str, token: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(mut object)) => {
            object.insert("accountToken".into(), json!(token));
            Value::Object(object).to_string()
        }
        _ => body.to_string(),
    }
}

/// Issues of the core on the wire: path, code and params (never a rendered message).
pub fn wire_issues(issues: &[Issue], prefix: &[Value]) -> Vec<Value> {
    issues
        .iter()
        .map(|issue| {
            let mut path: Vec<Value> = prefix.to_vec();
            path.extend(issue.path.iter().map(|segment| match segment {
                PathSegment::Key(key) => json!(key),
                PathSegment::Index(i) => json!(i),
            }));
            let mut params = serde_json::Map::new();
            for (name, value) in &issue.params {
                let value = match value {
                    ParamValue::Int(i) => json!(i),
                    ParamValue::Char(c) => json!(c.to_string()),
                    ParamValue::Str(s) => json!(s),
                    ParamValue::List(list) => json!(list),
                    ParamValue::Text(s) => json!(s),
                    ParamValue::TextList(list) => json!(list),
                };
                params.insert((*name).to_string(), value);
            }
            json!({ "path": path, "code": issue.code.as_str(), "params": params })
        })
        .collect()
}

// ---- the router ------------------------------------------------------------------------------------

/// Who the bearer token says the caller is.
enum Auth {
    None,
    Admin,
    /// The server id of the account.
    Account(String),
    /// A token that is neither.
    Unknown,
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl Api {
    fn is_admin(&self, token: &str) -> bool {
        keys::sha256(token.as_bytes())
            .ct_eq(&self.admin_hash)
            .into()
    }

    async fn auth(&self, headers: &HeaderMap) -> Result<Auth, Response> {
        let Some(token) = bearer(headers) else {
            return Ok(Auth::None);
        };
        if self.is_admin(token) {
            return Ok(Auth::Admin);
        }
        if !token.starts_with("at_") || token.len() > 64 {
            return Ok(Auth::Unknown);
        }
        match self
            .store
            .account_of_token(&keys::sha256(token.as_bytes()))
            .await
        {
            Ok(Some((id, _))) => Ok(Auth::Account(id)),
            Ok(None) => Ok(Auth::Unknown),
            Err(e) => {
                tracing::warn!(error = %store::error_kind(&e), "token lookup failed");
                Err(storage_unavailable())
            }
        }
    }

    fn caller(&self, headers: &HeaderMap) -> Caller {
        match bearer(headers) {
            Some(token) => Caller {
                admin: self.is_admin(token),
                token_hash: Some(keys::sha256(token.as_bytes())),
            },
            None => Caller::default(),
        }
    }
}

/// The route template of a path (for logs: never the ids themselves beyond the server's own).
pub fn route_of(path: &str) -> &'static str {
    match path {
        "/policy" => "/policy",
        "/consents" => "/consents",
        "/registrations" => "/registrations",
        "/_faults" => "/_faults",
        "/phone-codes" => "/phone-codes",
        "/phone-codes/confirm" => "/phone-codes/confirm",
        p if p.starts_with("/registrations/") && p.ends_with("/consents") => {
            "/registrations/{id}/consents"
        }
        p if p.starts_with("/registrations/") => "/registrations/{id}",
        _ => "(unknown)",
    }
}

fn server_id(text: &str) -> Option<&str> {
    (text.len() <= 64
        && !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(text)
}

/// The API handler (mounted at `/api`).
pub async fn handle(State(api): State<Arc<Api>>, request: Request) -> Response {
    let path = request
        .uri()
        .path()
        .strip_prefix("/api")
        .unwrap_or("")
        .to_string();
    let method = request.method().clone();
    // The control of the faults is never itself faulted.
    if path == "/_faults" && api.fault_control {
        return route(&api, &method, &path, request).await;
    }
    // Faults that answer at once, before anything is read.
    if let Some(retry_after) = api.faults.throttle() {
        return faulted(
            with_header(
                issue_response(429, json!([]), "sync_rate_limited"),
                header::RETRY_AFTER,
                &retry_after.to_string(),
            ),
            "throttle",
        );
    }
    if let Some(status) = api.faults.fail() {
        let code = if status == 503 {
            "sync_unavailable"
        } else {
            "sync_server_error"
        };
        return faulted(issue_response(status, json!([]), code), "fail");
    }
    DELAYED
        .scope(std::cell::Cell::new(false), async {
            let response = route(&api, &method, &path, request).await;
            let delayed = DELAYED.try_with(std::cell::Cell::get).unwrap_or(false);
            match () {
                () if response.extensions().get::<DropConnection>().is_some() => {
                    faulted(response, "drop")
                }
                () if delayed => faulted(response, "delay"),
                () => response,
            }
        })
        .await
}

/// Which injected fault shaped a response (for the log line: `fault=…`).
#[derive(Clone, Copy, Debug)]
pub struct Fault(pub &'static str);

fn faulted(mut response: Response, fault: &'static str) -> Response {
    response.extensions_mut().insert(Fault(fault));
    response
}

async fn route(api: &Arc<Api>, method: &Method, path: &str, request: Request) -> Response {
    let get = *method == Method::GET || *method == Method::HEAD;
    match path {
        "/policy" => {
            if !get {
                return method_not_allowed("GET, HEAD");
            }
            delay(api).await;
            if api.faults.drop_answer() {
                return dropped();
            }
            policy(api, request.headers()).await
        }
        "/consents" => {
            if *method != Method::POST {
                return method_not_allowed("POST");
            }
            post(api, SCOPE_CONSENTS, request).await
        }
        "/registrations" => {
            if *method == Method::POST {
                return post(api, SCOPE_REGISTRATIONS, request).await;
            }
            if !get {
                return method_not_allowed("GET, POST");
            }
            if let Some(response) = admin_read(api, request.headers(), "admin.list").await {
                return response;
            }
            delay(api).await;
            let response = listing(api, request.uri().query()).await;
            if api.faults.drop_answer() {
                return dropped();
            }
            response
        }
        "/phone-codes" | "/phone-codes/confirm" => {
            if *method != Method::POST {
                return method_not_allowed("POST");
            }
            let response = if path == "/phone-codes" {
                crate::phone_codes::send(api, request).await
            } else {
                crate::phone_codes::confirm(api, request).await
            };
            if api.faults.drop_answer() {
                return dropped();
            }
            response
        }
        "/_audit" => {
            if !get {
                return method_not_allowed("GET, HEAD");
            }
            if let Some(response) = admin_read(api, request.headers(), "admin.audit").await {
                return response;
            }
            audit_log(api, request.uri().query()).await
        }
        "/_account-audits" => {
            let run = *method == Method::POST;
            if !get && !run {
                return method_not_allowed("GET, POST");
            }
            if run {
                // The run's own record (`accounts.audit`) is written with its report.
                match api.auth(request.headers()).await {
                    Ok(Auth::Admin) => {}
                    Ok(Auth::Account(_)) => return forbidden(),
                    Ok(_) => return unauthorized(),
                    Err(response) => return response,
                }
            } else if let Some(response) =
                admin_read(api, request.headers(), "admin.account_audits").await
            {
                return response;
            }
            crate::lifecycle::account_audits(api, run, request.uri().query()).await
        }
        "/_faults" if api.fault_control => {
            if *method != Method::PUT && *method != Method::GET {
                return method_not_allowed("GET, PUT");
            }
            match api.auth(request.headers()).await {
                Ok(Auth::Admin) => {}
                Ok(_) => return unauthorized(),
                Err(response) => return response,
            }
            if *method == Method::GET {
                return json_response(
                    200,
                    serde_json::to_string(&api.faults.config()).unwrap_or_default(),
                );
            }
            let Ok(body) = read_body(api, request).await else {
                return issue_response(400, json!([]), "sync_body_invalid_json");
            };
            let mut config = serde_json::to_value(api.faults.config()).unwrap_or(Value::Null);
            match (
                serde_json::from_slice::<Value>(&body),
                config.as_object_mut(),
            ) {
                (Ok(Value::Object(changes)), Some(current)) => {
                    for (k, v) in changes {
                        current.insert(k, v);
                    }
                }
                _ => return issue_response(400, json!([]), "sync_body_invalid_json"),
            }
            match serde_json::from_value::<crate::faults::FaultConfig>(config) {
                Ok(config) if config.validate().is_ok() => {
                    if config.clock_offset_days != 0 {
                        tracing::warn!(
                            days = config.clock_offset_days,
                            "the server's clock is shifted (tests only)"
                        );
                    }
                    set_clock_offset_ms(config.clock_offset_days.saturating_mul(86_400_000));
                    api.faults.set(config.clone());
                    json_response(200, serde_json::to_string(&config).unwrap_or_default())
                }
                _ => issue_response(422, json!([]), "sync_field_invalid"),
            }
        }
        _ => {
            let Some(rest) = path.strip_prefix("/registrations/") else {
                return not_found();
            };
            let (id, part) = match rest.split_once('/') {
                Some((id, part)) => (id, part),
                None => (rest, ""),
            };
            let Some(id) = server_id(id) else {
                return not_found();
            };
            let writes = match part {
                "" => *method == Method::DELETE,
                "limits" => *method == Method::PUT,
                "evaluate" => *method == Method::POST,
                "freeze" => *method == Method::PUT || *method == Method::DELETE,
                "sessions" => *method == Method::POST,
                _ => false,
            };
            let allowed = match part {
                "" => "GET, DELETE",
                "consents" => "GET",
                "limits" => "GET, PUT",
                "evaluate" => "POST",
                "freeze" => "PUT, DELETE",
                "sessions" => "POST",
                _ => return not_found(),
            };
            if !((get && !matches!(part, "evaluate" | "freeze" | "sessions")) || writes) {
                return method_not_allowed(allowed);
            }
            // The write rate bounds writes; an evaluation reads (a platform asks before every
            // payment or session), like the GETs, which are not limited either.
            if writes && part != "evaluate" {
                if let Some(response) = api.limiter.check(&request) {
                    return response;
                }
            }
            // The admin, or this account's own token.
            let who = match api.auth(request.headers()).await {
                Ok(Auth::Admin) => minors::Who::Admin,
                Ok(Auth::Account(own)) if own == id => minors::Who::Account,
                Ok(Auth::Account(_)) => return forbidden(),
                Ok(_) => return unauthorized(),
                Err(response) => return response,
            };
            // Freezing is the platform's decision, and the 上线/下线 reports are the game server's
            // (a player who could report their own 下线 would stop the system's time accounting):
            // the admin's only.
            if (part == "freeze" || part == "sessions") && who != minors::Who::Admin {
                return forbidden();
            }
            // A frozen account's own token changes nothing but its consents and its existence.
            if who == minors::Who::Account && part == "limits" && writes {
                match api.store.registration(id).await {
                    Ok(Some(row)) if row.frozen_at.is_some() => {
                        return issue_response(403, json!([]), "sync_account_frozen")
                    }
                    Ok(_) => {}
                    Err(_) => return storage_unavailable(),
                }
            }
            // The account is in use: its own token, or the platform asking about an activity.
            // (Not a cancellation: the account is going away.)
            let cancelling = part.is_empty() && *method == Method::DELETE;
            if (who == minors::Who::Account && !cancelling) || part == "evaluate" {
                crate::lifecycle::seen(api, id);
            }
            let body = if writes && !part.is_empty() {
                match read_body(api, request).await {
                    Ok(body) => body,
                    Err(e) => return e.answer(),
                }
            } else {
                Bytes::new()
            };
            delay(api).await;
            let actor = match who {
                minors::Who::Admin => "admin",
                minors::Who::Account => "account",
            };
            // An admin's read of an account is in the audit log before it is answered.
            if who == minors::Who::Admin && get {
                let detail = (!part.is_empty()).then(|| part.to_string());
                let entry = AuditEntry::new("admin", "admin.read", Some(id.to_string()), detail);
                if let Some(response) = audit(api, entry).await {
                    return response;
                }
            }
            let response = match (part, *method == Method::DELETE) {
                ("", true) => delete(api, id, actor).await,
                ("", false) => account(api, id).await,
                ("consents", _) => account_consents(api, id).await,
                ("limits", _) if get => minors::get_limits(api, id).await,
                ("limits", _) => minors::put_limits(api, id, who, &body).await,
                ("freeze", true) => crate::lifecycle::freeze(api, id, None).await,
                ("freeze", false) => crate::lifecycle::freeze(api, id, Some(&body)).await,
                ("sessions", _) => crate::verification::session(api, id, &body).await,
                _ => minors::evaluate(api, id, &body).await,
            };
            if api.faults.drop_answer() {
                return dropped();
            }
            response
        }
    }
}

/// An admin-only read: the admin token, then its record in the audit log (`action`); `Some` is the
/// refusal (401, 403, or 503 when the record cannot be stored).
async fn admin_read(api: &Api, headers: &HeaderMap, action: &'static str) -> Option<Response> {
    match api.auth(headers).await {
        Ok(Auth::Admin) => audit(api, AuditEntry::new("admin", action, None, None)).await,
        Ok(Auth::Account(_)) => Some(forbidden()),
        Ok(_) => Some(unauthorized()),
        Err(response) => Some(response),
    }
}

/// Appends to the audit log and waits for the commit; `Some(503)` when it cannot be stored (an
/// admin action is not done unrecorded).
async fn audit(api: &Api, entry: AuditEntry) -> Option<Response> {
    match api
        .store
        .write(Op::Audit {
            entry,
            now: now_ms(),
        })
        .await
    {
        Ok(Reply::Audited) => None,
        _ => Some(storage_unavailable()),
    }
}

/// `GET /_audit?limit=N&before=SEQ`: the audit log, newest first (admin only).
async fn audit_log(api: &Api, query: Option<&str>) -> Response {
    let mut limit: i64 = 100;
    let mut before: Option<i64> = None;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (name, value.parse::<i64>()) {
            ("limit", Ok(n)) if (1..=1000).contains(&n) => limit = n,
            ("before", Ok(n)) if n > 0 => before = Some(n),
            ("limit" | "before", _) => {
                return issue_response(422, json!(["query", name]), "sync_field_invalid")
            }
            _ => {}
        }
    }
    match api.store.audit_log(before, limit).await {
        Ok(rows) => {
            let next = (i64::try_from(rows.len()).unwrap_or(0) == limit)
                .then(|| rows.last().map(|r| r.seq))
                .flatten();
            let entries: Vec<Value> = rows
                .iter()
                .map(|r| {
                    json!({ "seq": r.seq, "at": r.at, "actor": r.actor, "action": r.action,
                            "account": r.account, "detail": r.detail })
                })
                .collect();
            json_response(200, json!({ "entries": entries, "next": next }).to_string())
        }
        Err(_) => storage_unavailable(),
    }
}

fn dropped() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(DropConnection);
    response
}

tokio::task_local! {
    /// Set when the delay fault fired for the request being handled.
    static DELAYED: std::cell::Cell<bool>;
}

/// Waits when the delay fault fires (and marks the request for the log).
async fn delay(api: &Api) {
    let ms = api.faults.delay();
    if ms > 0 {
        let _ = DELAYED.try_with(|d| d.set(true));
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
}

/// `GET /policy`: the bundle at the server's time, gzipped when the request accepts it (the
/// default bundle is about 70 KB of JSON, 18 KB gzipped, and every page that syncs fetches it at
/// load). It is public and holds nothing the caller sent, so compressing it leaks nothing
/// (BREACH needs a secret and reflected input in one body); the other answers stay identity.
/// Compressed per request, because `serverTime` differs in each: on a blocking thread, at the
/// default level (about a millisecond in release); a failed compression sends identity.
async fn policy(api: &Api, headers: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", api.bundle.version);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == etag || t == "*")
        });
    let response = if matches {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NOT_MODIFIED;
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    } else {
        let body = api.bundle.answer(now_ms());
        if crate::static_files::accepts_gzip(headers) {
            let compressed = tokio::task::spawn_blocking(move || {
                let gzipped =
                    crate::static_files::gzip(body.as_bytes(), flate2::Compression::default());
                (body, gzipped)
            })
            .await;
            match compressed {
                Ok((_, Some(bytes))) => {
                    let mut r = json_response(200, String::new());
                    *r.body_mut() = Body::from(bytes);
                    with_header(r, header::CONTENT_ENCODING, "gzip")
                }
                Ok((body, None)) => json_response(200, body),
                // The blocking pool failed the task (shutting down): the answer, as it is.
                Err(_) => json_response(200, api.bundle.answer(now_ms())),
            }
        } else {
            json_response(200, body)
        }
    };
    with_header(
        with_header(response, header::ETAG, &etag),
        header::VARY,
        "accept-encoding",
    )
}

/// An `Idempotency-Key`: 1 to 128 of `[A-Za-z0-9._:-]`, not shaped like a personal number.
pub fn valid_key(key: &str) -> bool {
    (1..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
        && !looks_like_personal_number(key)
}

enum BodyError {
    TooLarge,
    Timeout,
    Broken,
}

impl BodyError {
    /// The answer to a body that could not be read (the connection closes after it).
    fn answer(self) -> Response {
        close(match self {
            BodyError::TooLarge => issue_response(413, json!([]), "sync_body_too_large"),
            BodyError::Timeout => issue_response(408, json!([]), "sync_request_timeout"),
            BodyError::Broken => issue_response(400, json!([]), "sync_body_invalid_json"),
        })
    }
}

async fn read_body(api: &Api, request: Request) -> Result<Bytes, BodyError> {
    if let Some(length) = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if length > MAX_BODY_BYTES {
            return Err(BodyError::TooLarge);
        }
    }
    let limited = http_body_util::Limited::new(request.into_body(), MAX_BODY_BYTES);
    match tokio::time::timeout(api.request_timeout, limited.collect()).await {
        Err(_) => Err(BodyError::Timeout),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                Err(BodyError::TooLarge)
            } else {
                Err(BodyError::Broken)
            }
        }
    }
}

fn close(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The refusal of a body that is not declared `application/json` (415), if it is not.
pub(crate) fn json_body_refusal(headers: &HeaderMap) -> Option<Response> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    (content_type != "application/json").then(|| {
        close(issue_response(
            415,
            json!(["headers", "Content-Type"]),
            "sync_content_type_unsupported",
        ))
    })
}

/// The request's body, or the answer to one that could not be read (413, 408, 400).
pub(crate) async fn read_body_or_answer(api: &Api, request: Request) -> Result<Bytes, Response> {
    read_body(api, request).await.map_err(BodyError::answer)
}

async fn post(api: &Arc<Api>, scope: &'static str, request: Request) -> Response {
    if let Some(response) = api.limiter.check(&request) {
        return response;
    }
    let key = request
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !valid_key(&key) {
        return close(issue_response(
            400,
            json!(["headers", "Idempotency-Key"]),
            "sync_idempotency_key_invalid",
        ));
    }
    if let Some(response) = json_body_refusal(request.headers()) {
        return response;
    }
    let caller = api.caller(request.headers());
    let body = match read_body(api, request).await {
        Ok(body) => body,
        Err(e) => return e.answer(),
    };
    let mut mac_input = scope.as_bytes().to_vec();
    mac_input.push(0);
    mac_input.extend_from_slice(&body);
    let idem = Idem {
        key: key.clone(),
        scope,
        body_mac: api.keys.index_mac("request-body", &mac_input),
    };
    let Some(claim) = api.claim(&key) else {
        return with_header(
            issue_response(
                409,
                json!(["headers", "Idempotency-Key"]),
                "sync_request_in_progress",
            ),
            header::RETRY_AFTER,
            "1",
        );
    };
    let response = post_claimed(api, idem, &body, caller).await;
    drop(claim);
    if api.faults.drop_answer() {
        return dropped();
    }
    response
}

async fn post_claimed(api: &Arc<Api>, idem: Idem, body: &[u8], caller: Caller) -> Response {
    delay(api).await;
    let now = now_ms();
    // The checks that need no database (the core's), then the store: the key's record (a replay,
    // a reuse) and the database's checks on a read connection, the write in the writer's group
    // commit.
    let outcome = match serde_json::from_slice::<Value>(body) {
        Err(_) => {
            let body = issue_body(json!([]), "sync_body_invalid_json");
            api.store.submit_rejection(idem, 400, body, now).await
        }
        Ok(parsed) if idem.scope == SCOPE_CONSENTS => {
            match prepare_consents(api, body, &parsed, now) {
                Ok(receipts) => {
                    api.store
                        .submit_consents(idem, receipts, &caller, now)
                        .await
                }
                Err((status, body)) => api.store.submit_rejection(idem, status, body, now).await,
            }
        }
        Ok(parsed) => match prepare_registration(api, &parsed, now) {
            Ok((mut registration, mac, plain)) => {
                // The authoritative source, after the local checks and before the write.
                match crate::verification::at_registration(
                    api,
                    &idem.key,
                    &mut registration,
                    &plain,
                    now,
                )
                .await
                {
                    Ok(()) => {
                        api.store
                            .submit_registration(idem, registration, mac, now)
                            .await
                    }
                    Err(crate::verification::Held::Refused(status, body)) => {
                        api.store.submit_rejection(idem, status, body, now).await
                    }
                    Err(crate::verification::Held::Unavailable(retry)) => {
                        return crate::verification::unavailable_response(retry)
                    }
                }
            }
            Err((status, body)) => api.store.submit_rejection(idem, status, body, now).await,
        },
    };
    match outcome {
        Ok(answer) => {
            let response = json_response(answer.status, answer.body);
            if answer.replayed {
                with_header(
                    response,
                    header::HeaderName::from_static("idempotent-replayed"),
                    "true",
                )
            } else {
                response
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "a write was not committed: 503");
            storage_unavailable()
        }
    }
}

fn rejection(status: u16, issues: Vec<Value>) -> (u16, String) {
    (status, json!({ "issues": issues }).to_string())
}

fn field_issue(path: Value, code: &str, params: Value) -> Value {
    json!({ "path": path, "code": code, "params": params })
}

/// `POST /consents`: every receipt verified by the core (shape, own digest, a published document
/// version). The raw text of each receipt is kept exactly as posted.
/// The receipts of `POST /consents`, each checked with the core's `verify_receipt` (shape, digest,
/// the document, the reading rule), synced with the server's time (Unix seconds of `now`) and
/// countersigned with the current signing key: what is stored and answered is the signed receipt.
fn prepare_consents(
    api: &Api,
    raw: &[u8],
    parsed: &Value,
    now: i64,
) -> Result<Vec<NewReceipt>, (u16, String)> {
    let Some(object) = parsed.as_object() else {
        return Err(rejection(
            422,
            vec![field_issue(json!([]), "sync_field_invalid", json!({}))],
        ));
    };
    let Some(receipts) = object.get("receipts") else {
        return Err(rejection(
            422,
            vec![field_issue(
                json!(["receipts"]),
                "sync_field_missing",
                json!({}),
            )],
        ));
    };
    let count = receipts.as_array().map_or(0, Vec::len);
    if !(1..=MAX_RECEIPTS).contains(&count) {
        return Err(rejection(
            422,
            vec![field_issue(
                json!(["receipts"]),
                "sync_field_invalid",
                json!({ "min": 1, "max": MAX_RECEIPTS }),
            )],
        ));
    }
    // The raw text of each receipt, as posted.
    #[derive(serde::Deserialize)]
    struct Raw<'a> {
        #[serde(borrow)]
        receipts: Vec<&'a serde_json::value::RawValue>,
    }
    let raw: Raw<'_> = serde_json::from_slice(raw).map_err(|_| {
        rejection(
            400,
            vec![field_issue(json!([]), "sync_body_invalid_json", json!({}))],
        )
    })?;
    let mut issues = Vec::new();
    let mut out = Vec::new();
    for (i, text) in raw.receipts.iter().enumerate() {
        match verify_receipt_checked(text.get(), &api.bundle.all) {
            Ok(receipt) if receipt.server_time.is_some() || receipt.server_signature.is_some() => {
                // The server's time and signature are the server's to give.
                issues.push(field_issue(
                    json!(["receipts", i, "serverTimestamp"]),
                    "consent_field_invalid",
                    json!({}),
                ));
            }
            Ok(receipt) => out.push(NewReceipt {
                body: countersign(api, &receipt, now),
                receipt_id: receipt.receipt_id.clone(),
                subject: receipt.subject.clone(),
                digest: receipt.digest.clone(),
                consent_kind: receipt.consent_kind.as_str().to_string(),
                doc_kind: receipt.document.kind.as_str().to_string(),
                doc_id: receipt.document.id.clone(),
                doc_version: receipt.document.version.clone(),
                withdraws: receipt.withdraws.clone(),
            }),
            Err(found) => issues.extend(wire_issues(&found, &[json!("receipts"), json!(i)])),
        }
    }
    if issues.is_empty() {
        Ok(out)
    } else {
        Err(rejection(422, issues))
    }
}

/// The receipt as the server stores and answers it: with its time (`serverTimestamp`, Unix
/// seconds) and its Ed25519 countersignature (`serverSignature`, over the canonical receipt).
fn countersign(api: &Api, receipt: &shiming::consent::Receipt, now_ms: i64) -> String {
    let synced = shiming::consent::sync_receipt(receipt, now_ms.div_euclid(1000)).ok();
    let signed = synced.as_ref().and_then(|synced| {
        synced.countersigned(api.keys.signing_key_id(), |payload| {
            api.keys.sign(payload).1
        })
    });
    // A receipt verify_receipt passed, without a server time (refused before), always syncs and
    // signs; should it not, it is stored as posted and the operator hears of it.
    signed.map_or_else(
        || {
            tracing::error!("a receipt could not be countersigned: stored unsigned");
            receipt.to_json()
        },
        |r| r.to_json(),
    )
}

/// `registrationId`: 8 to 120 of `[A-Za-z0-9._:-]` (so that `reg:<id>` is a receipt subject),
/// random, never shaped like a personal number.
fn valid_registration_id(id: &str) -> bool {
    (8..=120).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
        && !looks_like_personal_number(id)
}

/// Members a client might use to claim a confirmed phone: never accepted in a registration.
const PHONE_CLAIMS: &[&str] = &[
    "phoneConfirmed",
    "phoneConfirmedAt",
    "phoneCode",
    "phoneVerified",
];

fn shape_issues(body: &Value) -> Vec<Value> {
    let Some(object) = body.as_object() else {
        return vec![field_issue(json!([]), "sync_field_invalid", json!({}))];
    };
    let mut issues = Vec::new();
    match object.get("registrationId") {
        None => issues.push(field_issue(
            json!(["registrationId"]),
            "sync_field_missing",
            json!({}),
        )),
        Some(Value::String(id)) if valid_registration_id(id) => {}
        Some(_) => issues.push(field_issue(
            json!(["registrationId"]),
            "sync_field_invalid",
            json!({}),
        )),
    }
    match object.get("form") {
        None => issues.push(field_issue(
            json!(["form"]),
            "sync_field_missing",
            json!({}),
        )),
        Some(Value::Object(_)) => {}
        Some(_) => issues.push(field_issue(
            json!(["form"]),
            "sync_field_invalid",
            json!({}),
        )),
    }
    match object.get("consents") {
        None => issues.push(field_issue(
            json!(["consents"]),
            "sync_field_missing",
            json!({}),
        )),
        Some(Value::Array(list))
            if list.len() <= MAX_CONSENTS
                && list
                    .iter()
                    .all(|c| c.as_str().is_some_and(|s| (1..=128).contains(&s.len()))) => {}
        Some(_) => issues.push(field_issue(
            json!(["consents"]),
            "sync_field_invalid",
            json!({ "max": MAX_CONSENTS }),
        )),
    }
    // Only the server's own record says that a phone was confirmed (phone_codes.rs): a body that
    // claims it is refused, not ignored.
    for key in PHONE_CLAIMS {
        if object.contains_key(*key) {
            issues.push(field_issue(json!([key]), "sync_field_invalid", json!({})));
        }
        if object
            .get("form")
            .and_then(Value::as_object)
            .is_some_and(|form| form.contains_key(*key))
        {
            issues.push(field_issue(
                json!(["form", key]),
                "sync_field_invalid",
                json!({}),
            ));
        }
    }
    for key in ["derived", "clientSummary", "guardian"] {
        if object.get(key).is_some_and(|v| !v.is_object()) {
            issues.push(field_issue(json!([key]), "sync_field_invalid", json!({})));
        }
    }
    if let Some(time) = object.get("clientTime") {
        let safe = time
            .as_i64()
            .is_some_and(|t| t.unsigned_abs() < (1u64 << 53));
        if !safe {
            issues.push(field_issue(
                json!(["clientTime"]),
                "sync_field_invalid",
                json!({}),
            ));
        }
    }
    issues
}

fn field<'a>(form: &'a serde_json::Map<String, Value>, name: &str) -> Field<'a> {
    match form.get(name) {
        None | Some(Value::Null) => Field::Missing,
        Some(Value::String(s)) => Field::Text(s),
        Some(_) => Field::WrongType,
    }
}

/// `POST /registrations`, the checks that need no database: shape → content (the core's
/// check_registration, the server's clock and kinds) → the server's age band. Returns the record
/// to store (personal data encrypted) and the registrationId's HMAC.
fn prepare_registration(
    api: &Api,
    body: &Value,
    now: i64,
) -> Result<(NewRegistration, Vec<u8>, crate::verification::Plain), (u16, String)> {
    let shape = shape_issues(body);
    if !shape.is_empty() {
        return Err(rejection(422, shape));
    }
    let empty = serde_json::Map::new();
    let form = body
        .get("form")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let registration_id = body
        .get("registrationId")
        .and_then(Value::as_str)
        .unwrap_or("");
    // Only the protocol's fields reach the check: a password or username sent along is neither
    // checked nor kept.
    let form_fields = RegistrationForm {
        name: field(form, "name"),
        id_kind: field(form, "idKind"),
        id_number: field(form, "idNumber"),
        phone: field(form, "phone"),
        password: Field::Missing,
        username: Field::Missing,
        birth_date: field(form, "birthDate"),
    };
    let Some(today) = shanghai_date(now) else {
        return Err((500, issue_body(json!([]), "sync_server_error")));
    };
    let mut options = RegistrationOptions::new(today);
    options.kinds = api.bundle.kinds;
    // The policy's choices, the same the browser reads from GET /policy.
    options.age_rule = api.bundle.policy.age_rule;
    options.guardian_min_age = api.bundle.policy.guardian_min_age.0;
    let checked = match check_registration(&form_fields, &options) {
        Ok(checked) => checked.value,
        Err(rejected) => {
            return Err(rejection(
                422,
                wire_issues(&rejected.issues, &[json!("form")]),
            ))
        }
    };
    let (Some(derived), Some(id), Some(phone), Some(name), Some(identity_key)) = (
        checked.derived.as_ref(),
        checked.id.as_ref(),
        checked.phone.as_ref(),
        checked.name.as_ref(),
        checked.identity_key.as_ref(),
    ) else {
        // The core gives every one of these for a valid form; a personal document without an age
        // is refused with the code the page shows for it.
        return Err(rejection(
            422,
            vec![field_issue(
                json!(["form", "birthDate"]),
                "birth_date_required",
                json!({}),
            )],
        ));
    };
    let organisation = derived.kind == shiming::IdKind::Uscc;
    let band = derived.age_band;
    if !organisation && band.is_none() {
        return Err(rejection(
            422,
            vec![field_issue(
                json!(["form", "birthDate"]),
                "birth_date_required",
                json!({}),
            )],
        ));
    }
    let mut required: Vec<DocumentKind> =
        required_documents(band.unwrap_or(AgeBand::Adult)).to_vec();
    if !organisation && derived.needs_guardian_consent == Some(true) {
        required = DocumentKind::ALL.to_vec();
    }
    let guardian = prepare_guardian(
        body.get("guardian").and_then(Value::as_object),
        required.contains(&DocumentKind::GuardianConsent),
        (name, form),
        derived.birth_date,
        &options,
    )?;
    let mut consents: Vec<String> = Vec::new();
    for c in body
        .get("consents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(c) = c.as_str() {
            if !consents.iter().any(|x| x == c) {
                consents.push(c.to_string());
            }
        }
    }
    let declared = derived.birth_date_source == Some(shiming::BirthDateSource::Declared);
    let mut sorted = consents.clone();
    sorted.sort();
    let mut content = json!([[name, id.kind.as_str(), id.normalized, phone.e164], sorted,]);
    if let (Some(list), Some(g)) = (content.as_array_mut(), &guardian) {
        list.push(g.stored.clone());
    }
    if declared {
        if let (Some(list), Some(date)) = (content.as_array_mut(), derived.birth_date) {
            list.push(json!(date.to_string()));
        }
    }
    let keys = &api.keys;
    // The server's id: the time (ms, 12 hex digits) then 12 random hex digits. Ordered by time,
    // so that a new account's index entry goes at the end of the index instead of a random page
    // (one random page fewer per registration: measured with a million accounts stored); the
    // random half keeps ids unguessable. Not personal data: it says when an account was made,
    // which the listing shows anyway.
    let server_id = format!(
        "r_{:012x}{}",
        u64::try_from(now).unwrap_or(0) & 0xffff_ffff_ffff,
        crate::bundle::shiming_hex(&keys::random_bytes::<6>())
    );
    let salt = keys::random_bytes::<16>().to_vec();
    let token = keys.account_token(&server_id, &salt);
    // The guardian's details go in the encrypted profile, with the child's (deleted with them).
    let profile = json!({
        "birthDate": derived.birth_date.map(|d| d.to_string()),
        "gender": derived.gender.map(|g| g.as_str()),
        "age": derived.age,
        "guardian": guardian.as_ref().map(|g| g.stored.clone()),
    });
    let registration = NewRegistration {
        id: server_id.clone(),
        registration_id: registration_id.to_string(),
        identity_index: keys.index_mac("identity-key", identity_key.as_bytes()),
        content_mac: keys.index_mac("registration-content", content.to_string().as_bytes()),
        token_hash: keys::sha256(token.as_bytes()),
        token_salt: salt,
        kind: derived.kind.as_str().to_string(),
        age_band: if organisation {
            None
        } else {
            band.map(|b| b.as_str().to_string())
        },
        is_minor: if organisation { None } else { derived.is_minor },
        birth_date_source: derived.birth_date_source.map(|s| s.as_str().to_string()),
        consents,
        required: required.iter().map(|k| k.as_str().to_string()).collect(),
        current: api
            .bundle
            .current
            .values()
            .map(|d| (d.kind.as_str().to_string(), d.id.clone(), d.version.clone()))
            .collect(),
        guardian_ref: guardian.map(|g| g.reference),
        client_time: body.get("clientTime").and_then(Value::as_i64),
        name_enc: keys.encrypt("name", &server_id, name.as_bytes()),
        id_number_enc: keys.encrypt("id_number", &server_id, id.normalized.as_bytes()),
        phone_enc: keys.encrypt("phone", &server_id, phone.e164.as_bytes()),
        profile_enc: keys.encrypt("profile", &server_id, profile.to_string().as_bytes()),
        verification_state: "unverified",
        verification_enc: None,
        verify_after: None,
        // Phone ownership (phone_codes.rs): the blind index to look the confirmation up by, when
        // the server offers codes; the plan sets `phone_confirmed_at` from the confirmation it finds.
        phone_index: api
            .phone_codes
            .as_ref()
            .map(|_| crate::phone_codes::phone_index(keys, &phone.e164))
            .unwrap_or_default(),
        phone_required: api.phone_codes.as_ref().is_some_and(|c| c.required),
        phone_confirmed_at: None,
    };
    let mac = store::registration_mac(keys, registration_id);
    let plain = crate::verification::Plain {
        name: name.to_string(),
        id_number: id.normalized.to_string(),
        phone: phone
            .e164
            .strip_prefix("+86")
            .unwrap_or(&phone.e164)
            .to_string(),
    };
    Ok((registration, mac, plain))
}

/// A child's guardian as the server checked it: what is stored (encrypted, in the profile) and
/// the `guardianId` the child's receipts must carry.
struct CheckedGuardian {
    stored: Value,
    reference: String,
}

/// `registration.guardian` (PIPL Art. 31): required exactly when the server's age band needs the
/// guardian's consent (never collected otherwise: 422 `sync_field_invalid`), checked again with
/// the core's `check_guardian` (a valid document, an adult by its birth date or the declared one,
/// not the child), and its `salt` must make a valid `guardian_reference`. Issues at
/// `["guardian", …]`.
fn prepare_guardian(
    body: Option<&serde_json::Map<String, Value>>,
    needed: bool,
    (minor_name, minor_form): (&str, &serde_json::Map<String, Value>),
    minor_birth: Option<Date>,
    options: &RegistrationOptions,
) -> Result<Option<CheckedGuardian>, (u16, String)> {
    let refuse =
        |path: Value, code: &str| Err(rejection(422, vec![field_issue(path, code, json!({}))]));
    let g = match (needed, body) {
        (false, None) => return Ok(None),
        (false, Some(_)) => return refuse(json!(["guardian"]), "sync_field_invalid"),
        (true, None) => return refuse(json!(["guardian"]), "sync_field_missing"),
        (true, Some(g)) => g,
    };
    let form = GuardianForm {
        name: field(g, "name"),
        id_kind: field(g, "idKind"),
        id_number: field(g, "idNumber"),
        phone: field(g, "phone"),
        relation: field(g, "relation"),
        birth_date: field(g, "birthDate"),
    };
    let minor = MinorRef {
        name: Some(minor_name),
        id_number: minor_form.get("idNumber").and_then(Value::as_str),
        birth_date: minor_birth,
    };
    let checked = match check_guardian(&form, &minor, options) {
        Ok(checked) => checked.value,
        Err(rejected) => {
            return Err(rejection(
                422,
                wire_issues(&rejected.issues, &[json!("guardian")]),
            ))
        }
    };
    // Adulthood is checked on every guardian: a document without a birth date needs the declared one.
    if checked.age.is_none() {
        return refuse(json!(["guardian", "birthDate"]), "birth_date_required");
    }
    let value = &checked.form;
    let (Some(id), Some(phone), Some(name), Some(identity_key)) = (
        value.id.as_ref(),
        value.phone.as_ref(),
        value.name.as_ref(),
        value.identity_key.as_ref(),
    ) else {
        return refuse(json!(["guardian"]), "sync_field_invalid");
    };
    let salt = match g.get("salt") {
        None => return refuse(json!(["guardian", "salt"]), "sync_field_missing"),
        Some(Value::String(salt)) => salt.as_str(),
        Some(_) => return refuse(json!(["guardian", "salt"]), "sync_field_invalid"),
    };
    let Some(reference) = shiming::consent::receipt::guardian_reference(identity_key, salt) else {
        return refuse(json!(["guardian", "salt"]), "sync_field_invalid");
    };
    let declared = value
        .derived
        .as_ref()
        .filter(|d| d.birth_date_source == Some(shiming::BirthDateSource::Declared))
        .and_then(|d| d.birth_date);
    Ok(Some(CheckedGuardian {
        stored: json!({
            "name": name,
            "idKind": id.kind.as_str(),
            "idNumber": id.normalized,
            "phone": phone.e164,
            "relation": checked.relation.as_str(),
            "birthDate": declared.map(|d| d.to_string()),
            "salt": salt,
        }),
        reference,
    }))
}

// ---- reads ------------------------------------------------------------------------------------------

/// Whether the consents an account was registered with are still in force, by the core's
/// `needs_reconsent` over the subject's stored receipts and the documents current now: for each
/// document kind the registration cited, nothing (in force), or why it must be accepted again
/// (`withdrawn`: the user withdrew it, PIPL Art. 15; `new_version`: a new text was published;
/// `never_accepted`). A platform stops the processing that needs a consent that is not in force.
fn consent_state(api: &Api, row: &store::RegistrationRow, bodies: &[String]) -> Value {
    let receipts: Vec<shiming::consent::Receipt> = bodies
        .iter()
        .filter_map(|body| shiming::consent::parse_receipt(body).ok())
        .collect();
    let mut kinds: Vec<DocumentKind> = receipts
        .iter()
        .filter(|r| row.consents.contains(&r.receipt_id))
        .map(|r| r.document.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    let current: Vec<shiming::consent::Document> = kinds
        .iter()
        .filter_map(|kind| api.bundle.current.get(kind).cloned())
        .collect();
    let reconsent: Vec<Value> = shiming::consent::needs_reconsent(&receipts, &current)
        .iter()
        .map(|r| json!({ "kind": r.kind.as_str(), "reason": r.reason.as_str() }))
        .collect();
    json!({ "inForce": reconsent.is_empty(), "reconsent": reconsent })
}

fn masked_row(api: &Api, row: &store::RegistrationRow, bodies: &[String]) -> Value {
    // A value that does not decrypt (a corrupted row, a key missing from the key file) is shown
    // as a visible marker and logged with the row's id, never silently as an empty field.
    let open = |column: &str, value: &[u8]| -> Option<String> {
        let plain = api
            .keys
            .decrypt(column, &row.id, value)
            .and_then(|bytes| String::from_utf8(bytes).ok());
        if plain.is_none() {
            tracing::error!(row = %row.id, column, key = ?Keys::key_id_of(value), "a stored value does not decrypt");
        }
        plain
    };
    const UNREADABLE: &str = "[unreadable]";
    // A child's guardian (in the encrypted profile), masked like the child's data.
    let guardian = open("profile", &row.profile_enc)
        .and_then(|profile| serde_json::from_str::<Value>(&profile).ok())
        .and_then(|profile| profile.get("guardian").filter(|g| g.is_object()).cloned())
        .map(|g| {
            let text = |k: &str| g.get(k).and_then(Value::as_str).unwrap_or("");
            json!({
                "name": mask_name(text("name"), &MaskOptions::NAME),
                "idNumber": mask_id(text("idNumber"), &MaskOptions::ID),
                "phone": mask_phone(text("phone"), &MaskOptions::PHONE),
                "relation": text("relation"),
            })
        });
    json!({
        "id": row.id,
        "registrationId": row.registration_id,
        "name": open("name", &row.name_enc).map_or(UNREADABLE.into(), |v| mask_name(&v, &MaskOptions::NAME)),
        "idNumber": open("id_number", &row.id_number_enc).map_or(UNREADABLE.into(), |v| mask_id(&v, &MaskOptions::ID)),
        "phone": open("phone", &row.phone_enc).map_or(UNREADABLE.into(), |v| mask_phone(&v, &MaskOptions::PHONE)),
        "kind": row.kind,
        "ageBand": row.age_band,
        "isMinor": row.is_minor,
        "birthDateSource": row.birth_date_source,
        "consents": row.consents,
        "consentState": consent_state(api, row, bodies),
        "guardian": guardian,
        "createdAt": row.created_at,
        "verification": verification_view(api, row),
        "phoneConfirmed": row.phone_confirmed_at.is_some(),
        "phoneConfirmedAt": row.phone_confirmed_at,
        "frozen": row.frozen_at.map(|at| json!({ "at": at, "reason": row.frozen_reason })),
        "lastActiveDay": row.last_seen_at,
    })
}

/// An account's verification as the protocol shows it: `{ state, provider, at, code }` (the
/// provider's reference for the person, such as the NPPA `pi`, stays on the server).
fn verification_view(api: &Api, row: &store::RegistrationRow) -> Value {
    let detail = row
        .verification_enc
        .as_ref()
        .and_then(|enc| api.keys.decrypt("verification", &row.id, enc))
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .unwrap_or_else(|| json!({}));
    json!({
        "state": row.verification_state,
        "provider": detail.get("provider"),
        "at": detail.get("at"),
        "code": detail.get("code"),
    })
}

async fn listing(api: &Api, query: Option<&str>) -> Response {
    let mut limit: i64 = 100;
    let mut after: Option<(i64, String)> = None;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "limit" => match value.parse::<i64>() {
                Ok(n) if (1..=1000).contains(&n) => limit = n,
                _ => return issue_response(422, json!(["query", "limit"]), "sync_field_invalid"),
            },
            "after" => {
                let parsed = value.split_once('.').and_then(|(at, id)| {
                    Some((at.parse::<i64>().ok()?, server_id(id)?.to_string()))
                });
                match parsed {
                    Some(cursor) => after = Some(cursor),
                    None => {
                        return issue_response(422, json!(["query", "after"]), "sync_field_invalid")
                    }
                }
            }
            _ => {}
        }
    }
    match api.store.registrations(after, limit).await {
        Ok(rows) => {
            let next = if i64::try_from(rows.len()).unwrap_or(0) == limit {
                rows.last().map(|r| format!("{}.{}", r.created_at, r.id))
            } else {
                None
            };
            let subjects: Vec<String> = rows
                .iter()
                .map(|r| format!("reg:{}", r.registration_id))
                .collect();
            let bodies = match api.store.receipt_bodies_of(&subjects).await {
                Ok(bodies) => bodies,
                Err(_) => return storage_unavailable(),
            };
            let list: Vec<Value> = rows
                .iter()
                .zip(&subjects)
                .map(|(r, subject)| {
                    masked_row(api, r, bodies.get(subject).map_or(&[][..], Vec::as_slice))
                })
                .collect();
            json_response(
                200,
                json!({ "registrations": list, "next": next }).to_string(),
            )
        }
        Err(e) => {
            tracing::warn!(error = %store::error_kind(&e), "listing failed");
            storage_unavailable()
        }
    }
}

async fn account(api: &Api, id: &str) -> Response {
    match api.store.registration(id).await {
        Ok(Some(row)) => {
            let subject = format!("reg:{}", row.registration_id);
            match api
                .store
                .receipt_bodies_of(std::slice::from_ref(&subject))
                .await
            {
                Ok(bodies) => json_response(
                    200,
                    masked_row(
                        api,
                        &row,
                        bodies.get(&subject).map_or(&[][..], Vec::as_slice),
                    )
                    .to_string(),
                ),
                Err(_) => storage_unavailable(),
            }
        }
        Ok(None) => not_found(),
        Err(_) => storage_unavailable(),
    }
}

async fn account_consents(api: &Api, id: &str) -> Response {
    let row = match api.store.registration(id).await {
        Ok(Some(row)) => row,
        Ok(None) => return not_found(),
        Err(_) => return storage_unavailable(),
    };
    let receipts = match api
        .store
        .receipts_of(&format!("reg:{}", row.registration_id))
        .await
    {
        Ok(receipts) => receipts,
        Err(_) => return storage_unavailable(),
    };
    let mut consents = Vec::new();
    for r in &receipts {
        let receipt: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        consents.push(
            json!({ "receiptId": r.receipt_id, "serverTime": r.server_time, "receipt": receipt }),
        );
    }
    let withdrawn: Vec<&str> = receipts
        .iter()
        .filter(|r| {
            receipts
                .iter()
                .any(|w| w.withdraws.as_deref() == Some(r.receipt_id.as_str()))
        })
        .map(|r| r.receipt_id.as_str())
        .collect();
    json_response(
        200,
        json!({ "id": row.id, "registrationId": row.registration_id, "consents": consents, "withdrawn": withdrawn })
            .to_string(),
    )
}

async fn delete(api: &Api, id: &str, actor: &'static str) -> Response {
    match api
        .store
        .write(Op::Delete {
            id: id.to_string(),
            now: now_ms(),
            actor,
        })
        .await
    {
        Ok(Reply::Deleted(true)) => no_content(),
        Ok(Reply::Deleted(false)) => not_found(),
        Ok(_) => server_error(),
        Err(e) => {
            tracing::warn!(error = %e, "a deletion was not committed: 503");
            storage_unavailable()
        }
    }
}

/// Elapsed milliseconds since `start`, for logs.
pub fn elapsed_ms(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}
