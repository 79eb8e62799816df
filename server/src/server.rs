//! Startup, the router, and the accept loop.
//!
//! The accept loop is our own (hyper's HTTP/1 connection builder under tokio) rather than
//! `axum::serve`, for three bounds that one does not offer: at most `max_connections` open
//! connections (more are closed at once), a time limit on a request's headers, and closing a
//! connection without an answer (the drop fault, which a handler cannot do by itself).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::api::{self, Api, ClientAddr, DropConnection};
use crate::bundle::{self, Bundle};
use crate::config::ServeArgs;
use crate::faults::Faults;
use crate::keys::{self, Keys};
use crate::limits::{HostAllowList, RateLimiter};
use crate::static_files::StaticFiles;
use crate::store::{Op, Store};

/// Sent on every response. Pages load scripts, styles, wasm and data from this origin only: no
/// inline script or style, no eval but WebAssembly compilation, no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'; form-action 'self'";

/// A running server.
pub struct Running {
    pub addr: SocketAddr,
    pub api: Option<Arc<Api>>,
    /// The admin token, when this start created it (printed once).
    pub created_admin_token: Option<String>,
    task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn abort(&self) {
        self.task.abort();
    }

    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

struct Shared {
    hosts: HostAllowList,
    next_id: AtomicU64,
    quiet: bool,
}

/// Opens the database, loads the keys and the bundle, binds, and starts serving.
pub async fn start(args: &ServeArgs) -> Result<Running, String> {
    let kinds = bundle::parse_kinds(args.kinds.as_deref())?;
    let faults = args.fault_config()?;
    let data_dir = PathBuf::from(&args.data_dir);
    let bundle = Bundle::load(
        args.documents_dir.as_deref().map(std::path::Path::new),
        args.policy_file.as_deref().map(std::path::Path::new),
        &args.policy_preset,
        kinds,
    )?;
    if matches!(args.admin_token.as_deref(), Some(t) if t.trim().is_empty()) {
        return Err("--admin-token / SHIMING_ADMIN_TOKEN is empty: give a token, or none to have one created".into());
    }

    let mut created_admin_token = None;
    let api = if args.no_api {
        None
    } else {
        let key_file = args.key_file_path();
        let env_keys = std::env::var("SHIMING_KEYS").ok();
        let (keys, created) =
            Keys::load_or_create(env_keys.as_deref(), &key_file, true).map_err(|e| e.0)?;
        if created {
            tracing::warn!(
                "created a new key file: keep it, and keep it away from the database's disk in production \
                 (--key-file, or SHIMING_KEYS); without it the stored personal data cannot be read"
            );
        }
        let keys = Arc::new(keys);
        let store = Store::open(args.database_url.as_deref(), &data_dir, Arc::clone(&keys)).await?;
        let check = store.meta_init("key_check", &keys.check_value()).await?;
        if check != keys.check_value() {
            return Err(
                "these keys are not the ones this database was written with (the key check differs): \
                 give the right --key-file or SHIMING_KEYS"
                    .into(),
            );
        }
        let admin_hash = match args.admin_token.as_deref() {
            Some(token) => keys::sha256(token.as_bytes()),
            None => {
                let fresh = format!(
                    "adm_{}",
                    base64::Engine::encode(
                        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                        keys::random_bytes::<32>()
                    )
                );
                let fresh_hash = bundle::shiming_hex(&keys::sha256(fresh.as_bytes()));
                let stored = store.meta_init("admin_token_sha256", &fresh_hash).await?;
                if stored == fresh_hash {
                    created_admin_token = Some(fresh);
                }
                hex_decode(&stored).ok_or("the stored admin token hash is not valid")?
            }
        };
        // A flag may not make a current text untrue: processing the texts do not describe needs
        // texts that do (the manifest's `declares`).
        if args.unused_cleanup && args.sms_sender == "none" {
            return Err("--unused-cleanup tells each unused account's holder before deleting it, by SMS: it needs \
                        an SMS sender (--sms-sender)"
                .into());
        }
        if args.unused_cleanup && !bundle.declares("unused-cleanup") {
            return Err("--unused-cleanup deletes unused accounts, and no current agreement text says so: \
                        publish texts that do (--documents-dir, with \"declares\": [\"unused-cleanup\"] \
                        in their manifest entry)"
                .into());
        }
        let provider = crate::verify::from_args(&args.verify)?;
        if provider.id() != "none" {
            let declared = format!("recipient:{}", provider.recipient());
            if !bundle.declares(&declared) {
                return Err(format!(
                    "--verify-provider {} sends names and ID numbers to {:?}, and no current agreement text says so \
                     (the shipped privacy policy says the service asks no third party): publish texts that do \
                     (--documents-dir, with \"declares\": [\"{declared}\"] in their manifest entry)",
                    provider.id(),
                    provider.recipient()
                ));
            }
            // Required verification with a kind the provider cannot verify would let anyone
            // choose that kind and stay unverified: the kinds must be the provider's.
            if args.verification_required {
                let uncovered: Vec<&str> = kinds
                    .iter()
                    .filter(|k| !provider.supports(k.as_str()))
                    .map(|k| k.as_str())
                    .collect();
                if !uncovered.is_empty() {
                    return Err(format!(
                        "--verification-required: the provider cannot verify {} (accepted by --kinds): \
                         accept only the kinds it covers",
                        uncovered.join(", ")
                    ));
                }
            }
        } else if args.verification_required {
            return Err(
                "--verification-required needs a provider (--verify-provider nppa or http)".into(),
            );
        }
        let limiter = RateLimiter::new(args.write_rate, args.write_burst);
        let phone_codes = args.phone_codes()?;
        // A gateway receives numbers and codes: a third party the texts must name.
        if let Some(recipient) = phone_codes.as_ref().and_then(|c| c.sender.recipient()) {
            let declared = format!("recipient:{recipient}");
            if !bundle.declares(&declared) {
                return Err(format!(
                    "--sms-sender http gives phone numbers and codes to {recipient:?}, and no current agreement text \
                     says so: publish texts that do (--documents-dir, with \"declares\": [\"{declared}\"] in their \
                     manifest entry)"
                ));
            }
        }
        let mut bundle = bundle;
        bundle.publish_signing_keys(&keys.verifying_keys());
        bundle.publish_phone_codes(phone_codes.as_ref().map(|c| c.policy_member()));
        if let Some(codes) = &phone_codes {
            tracing::info!(
                sender = codes.sender.name(),
                required = codes.required,
                "phone codes on"
            );
            if codes.sender.name() == "file" {
                tracing::warn!(
                    "the SMS sender is `file`: codes are written to --sms-outbox, for development and tests only"
                );
            }
        }
        let api = Arc::new(
            Api::new(
                store,
                keys,
                bundle,
                Faults::new(faults),
                args.fault_control,
                admin_hash,
                limiter,
                Duration::from_secs(args.request_timeout_secs),
            )
            .with_lifecycle(args.lifecycle())
            .with_verifier(crate::verification::Verifier {
                provider,
                required: args.verification_required,
            })
            .with_phone_codes(phone_codes),
        );
        crate::lifecycle::schedule(Arc::clone(&api));
        crate::verification::start(Arc::clone(&api));
        // Rejections' idempotency records are kept for a bounded time and count.
        let pruner = Arc::clone(&api);
        let audit_retention_ms = i64::from(args.audit_retention_days) * 86_400_000;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                let _ = pruner
                    .store
                    .write(Op::Prune {
                        now: api::now_ms(),
                        keep: crate::store::REJECTED_MAX,
                        audit_before: api::now_ms() - audit_retention_ms,
                    })
                    .await;
            }
        });
        if api.store.backend == crate::store::Backend::Postgres {
            // PostgreSQL plans by its statistics, and tables that were empty at the last ANALYZE
            // are read by sequential scans until autovacuum analyses them again (measured on a
            // fresh database: 239 registrations/s, against 741/s after one ANALYZE). While the
            // server is young, it analyses its tables itself every 15 s for 5 minutes; after
            // that, autovacuum's thresholds keep up.
            let analyser = Arc::clone(&api);
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(Duration::from_secs(15));
                for _ in 0..20 {
                    tick.tick().await;
                    analyser.store.analyse().await;
                }
            });
        }
        Some(api)
    };

    let listener = TcpListener::bind((args.host.as_str(), args.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", args.host, args.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let shared = Arc::new(Shared {
        hosts: HostAllowList::new(&args.host, addr.port(), &args.allowed_hosts),
        next_id: AtomicU64::new(1),
        quiet: args.quiet,
    });
    let mut hidden = vec![data_dir.clone(), args.key_file_path()];
    if let Some(parent) = args.key_file_path().parent() {
        hidden.push(parent.to_path_buf());
    }
    let files = Arc::new(StaticFiles::new(args.mounts(), hidden));

    let mut router = Router::new().fallback_service(
        Router::new()
            .fallback(crate::static_files::handle)
            .with_state(files),
    );
    if let Some(api) = &api {
        let api_router = Router::new()
            .route("/api", any(api::handle))
            .route("/api/", any(api::handle))
            .route("/api/{*rest}", any(api::handle))
            .with_state(Arc::clone(api));
        router = api_router.merge(router);
    }
    let router = router.layer(middleware::from_fn_with_state(Arc::clone(&shared), edge));

    let limits = (
        args.max_connections,
        Duration::from_secs(args.request_timeout_secs),
    );
    let task = tokio::spawn(accept_loop(listener, router, limits));
    Ok(Running {
        addr,
        api,
        created_admin_token,
        task,
    })
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// Every request: the Host check, the security headers, and one log line (method, route, status,
/// time, request id: never a query, a body, or a personal value).
async fn edge(
    axum::extract::State(shared): axum::extract::State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let method = request.method().clone();
    let path = request.uri().path();
    let route = match path.strip_prefix("/api") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => api::route_of(rest),
        _ => "(static)",
    };
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| request.uri().authority().map(|a| a.to_string()));
    let mut response = if shared.hosts.allows(host.as_deref()) {
        next.run(request).await
    } else {
        api::issue_response_pub(421, "sync_host_not_allowed")
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("{id:x}")) {
        headers.insert("x-request-id", value);
    }
    let dropped = response.extensions().get::<DropConnection>().is_some();
    if !shared.quiet && route != "(static)" {
        let fault = response
            .extensions()
            .get::<api::Fault>()
            .map_or("none", |f| f.0);
        tracing::info!(
            request = %format!("{id:x}"),
            method = %method,
            route,
            status = if dropped { 0 } else { response.status().as_u16() },
            fault,
            ms = api::elapsed_ms(started),
            "api"
        );
    }
    response
}

/// The marker error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose (fault injection)")
    }
}

impl std::error::Error for Dropped {}

async fn accept_loop(
    listener: TcpListener,
    router: Router,
    (max_connections, header_timeout): (usize, Duration),
) {
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait a moment instead of spinning.
                tracing::warn!(error = %e.kind(), "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let router = router.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let _ = stream.set_nodelay(true);
            let service =
                hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                    request.extensions_mut().insert(ClientAddr(peer));
                    let router = router.clone();
                    async move {
                        let response: Response = match router.oneshot(request.map(Body::new)).await
                        {
                            Ok(response) => response,
                            Err(never) => match never {},
                        };
                        if response.extensions().get::<DropConnection>().is_some() {
                            return Err(Dropped);
                        }
                        Ok::<_, Dropped>(response)
                    }
                });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            let _ = connection.await;
        });
    }
}
