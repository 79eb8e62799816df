//! Identity verification: asking an outside service whether a name and a document number belong
//! together (实名核验), before a registration is marked `verified`.
//!
//! This module is the provider layer only: it sends what it is given to the one recipient that
//! the configuration names and turns the answer into an [`Outcome`]. The registration flow
//! decides when to ask, what to store and what to show.
//!
//! | provider | `--verify-provider` | sends name and number to |
//! |---|---|---|
//! | [`NoneProvider`] | `none` (the default) | nobody: registrations stay `unverified` |
//! | [`nppa::NppaProvider`] | `nppa` | 国家新闻出版署's 网络游戏防沉迷实名认证系统 (online games) |
//! | [`http::HttpProvider`] | `http` | a commercial 二要素/三要素 service, mapped by a JSON file (`docs/verification.md`) |
//!
//! Rules every provider keeps:
//! - no personal data (names, ID numbers, phones, the NPPA `pi`) in logs, errors or panics; the
//!   `Debug` of [`Subject`], [`Behavior`] and [`Outcome`] hide them, and secrets are [`Secret`]s;
//! - an answer that cannot be read, a status it does not know, an error code it does not know:
//!   never [`Outcome::Verified`], always [`Outcome::Unavailable`];
//! - no redirects are followed (personal data goes to the configured address and no other), and
//!   an answer's body is read up to [`MAX_ANSWER_BYTES`].

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod http;
pub mod nppa;

/// What is verified: one person's name and document number (and phone, for three factors).
pub struct Subject<'a> {
    /// 32 characters `[0-9a-f]`, unique per verification, made by the caller (NPPA's `ai`). A
    /// reference is never reused for other data: a provider that already knows it answers for
    /// the data it was first sent with.
    pub reference: &'a str,
    /// Normalised, as the core's `check_name` returns it (middle dot U+00B7).
    pub name: &'a str,
    /// Normalised (upper-case `X`).
    pub id_number: &'a str,
    /// An 11-digit mainland mobile number, for three-factor providers.
    pub phone: Option<&'a str>,
    /// The core's document kind, e.g. `cn_resident`.
    pub kind: &'a str,
}

impl fmt::Debug for Subject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subject")
            .field("reference", &self.reference)
            .field("name", &"<hidden>")
            .field("id_number", &"<hidden>")
            .field("phone", &self.phone.map(|_| "<hidden>"))
            .field("kind", &self.kind)
            .finish()
    }
}

/// A provider's answer.
#[derive(Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The identity is confirmed. NPPA: its `pi` (the user's identifier in the system, needed
    /// for the 上线/下线 reports); other providers: their transaction id, if the mapping names one.
    Verified { reference: Option<String> },
    /// The provider is still working on it: ask again later with [`Provider::query`].
    Pending,
    /// The provider says the name and number do not match, or the number is not valid.
    Failed { code: &'static str },
    /// No verdict: the network, a timeout, a 5xx, a system error code, a rate limit, a bad
    /// configuration. Nothing is known about the identity; ask again later (after
    /// `retry_after_secs` when given).
    Unavailable {
        code: &'static str,
        retry_after_secs: Option<u64>,
    },
}

/// Hides the `pi` (personal data under the NPPA specification: it identifies one person).
impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Verified { reference } => f
                .debug_struct("Verified")
                .field("reference", &reference.as_ref().map(|_| "<hidden>"))
                .finish(),
            Outcome::Pending => f.write_str("Pending"),
            Outcome::Failed { code } => f.debug_struct("Failed").field("code", code).finish(),
            Outcome::Unavailable {
                code,
                retry_after_secs,
            } => f
                .debug_struct("Unavailable")
                .field("code", code)
                .field("retry_after_secs", retry_after_secs)
                .finish(),
        }
    }
}

impl Outcome {
    pub(crate) const fn unavailable(code: &'static str) -> Outcome {
        Outcome::Unavailable {
            code,
            retry_after_secs: None,
        }
    }

    /// The stable code of a non-verdict or a failure (`None` for `Verified` and `Pending`).
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Outcome::Failed { code } | Outcome::Unavailable { code, .. } => Some(code),
            Outcome::Verified { .. } | Outcome::Pending => None,
        }
    }
}

/// One 上线 (online) or 下线 (offline) event of a verified user, for NPPA's behaviour reports.
#[derive(Clone, PartialEq, Eq)]
pub struct Behavior {
    /// The session (`si`): at most 32 characters; one session belongs to one user, and its
    /// 上线 and 下线 use the same one.
    pub session: String,
    /// `bt`: true 上线 (1), false 下线 (0).
    pub online: bool,
    /// `ot`: when it happened, seconds since the Unix epoch.
    pub at_secs: i64,
    /// `pi`: the user's identifier from [`Outcome::Verified`].
    pub reference: String,
}

impl fmt::Debug for Behavior {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Behavior")
            .field("session", &self.session)
            .field("online", &self.online)
            .field("at_secs", &self.at_secs)
            .field("reference", &"<hidden>")
            .finish()
    }
}

/// A boxed future, as the trait's methods return them (the trait is used as `dyn Provider`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An identity-verification service.
pub trait Provider: Send + Sync {
    /// `none`, `nppa` or `http`.
    fn id(&self) -> &'static str;
    /// Whom personal data is sent to (the privacy policy names them): "" for none, `nppa`, or
    /// the generic configuration's `recipient`.
    fn recipient(&self) -> &str;
    /// Whether this provider can verify documents of this kind.
    fn supports(&self, kind: &str) -> bool;
    /// Asks for a verdict on `s`.
    fn check<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome>;
    /// Asks again after [`Outcome::Pending`] (the same `s`, the same reference).
    fn query<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome>;
    /// Reports 上线/下线 events (NPPA); the others accept and drop them. An error is a stable
    /// code (see [`nppa::NppaProvider`]'s `report` for which ones to send again).
    fn report<'a>(&'a self, events: &'a [Behavior]) -> BoxFuture<'a, Result<(), &'static str>>;
}

/// No verification: nothing is sent anywhere, and registrations are stored as `unverified`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoneProvider;

impl Provider for NoneProvider {
    fn id(&self) -> &'static str {
        "none"
    }
    fn recipient(&self) -> &str {
        ""
    }
    fn supports(&self, _kind: &str) -> bool {
        false
    }
    fn check<'a>(&'a self, _s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(async { Outcome::unavailable("verification_not_configured") })
    }
    fn query<'a>(&'a self, _s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(async { Outcome::unavailable("verification_not_configured") })
    }
    fn report<'a>(&'a self, _events: &'a [Behavior]) -> BoxFuture<'a, Result<(), &'static str>> {
        Box::pin(async { Ok(()) })
    }
}

/// A secret from the command line, the environment or a configuration: its `Debug` and
/// `Display` never show it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }
    /// The secret itself, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

/// Never fails, so that clap never has a reason to quote it.
impl FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

/// `--verify-provider`.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProviderKind {
    /// No verification: registrations are stored as `unverified`.
    #[default]
    None,
    /// 国家新闻出版署's 网络游戏防沉迷实名认证系统 (online games; mainland resident IDs only).
    Nppa,
    /// A commercial HTTPS service, mapped by --verify-http-config.
    Http,
}

/// The default NPPA addresses, as the specification publishes them (《网络游戏防沉迷实名认证系统
/// 接口对接技术规范》, the interfaces 实名认证, 实名认证结果查询 and 游戏用户行为数据上报).
pub const NPPA_CHECK_URL: &str = "https://api.wlc.nppa.gov.cn/idcard/authentication/check";
pub const NPPA_QUERY_URL: &str = "http://api2.wlc.nppa.gov.cn/idcard/authentication/query";
pub const NPPA_BEHAVIOR_URL: &str = "http://api2.wlc.nppa.gov.cn/behavior/collection/loginout";

/// The identity-verification flags (flattened into the server's).
#[derive(clap::Args, Debug, Clone)]
pub struct VerifyArgs {
    /// Who verifies names and ID numbers: `none` (registrations stay unverified), `nppa` (the
    /// 网络游戏防沉迷实名认证系统, for online games) or `http` (a commercial service, mapped by
    /// --verify-http-config; docs/verification.md).
    #[arg(long, env = "SHIMING_VERIFY_PROVIDER", value_enum, default_value_t = ProviderKind::None)]
    pub verify_provider: ProviderKind,
    /// NPPA: the appId the 网络游戏防沉迷实名认证系统 issued.
    #[arg(long, env = "SHIMING_NPPA_APP_ID")]
    pub nppa_app_id: Option<String>,
    /// NPPA: the bizId (the game's 备案识别码) the system issued.
    #[arg(long, env = "SHIMING_NPPA_BIZ_ID")]
    pub nppa_biz_id: Option<String>,
    /// NPPA: the secret key, 32 hexadecimal characters (the 16-byte AES-128 key; also signs).
    #[arg(long, env = "SHIMING_NPPA_SECRET_KEY", hide_env_values = true)]
    pub nppa_secret_key: Option<Secret>,
    /// NPPA: the 实名认证 interface.
    #[arg(long, env = "SHIMING_NPPA_CHECK_URL", default_value = NPPA_CHECK_URL)]
    pub nppa_check_url: String,
    /// NPPA: the 实名认证结果查询 interface.
    #[arg(long, env = "SHIMING_NPPA_QUERY_URL", default_value = NPPA_QUERY_URL)]
    pub nppa_query_url: String,
    /// NPPA: the 游戏用户行为数据上报 (上线/下线) interface.
    #[arg(long, env = "SHIMING_NPPA_BEHAVIOR_URL", default_value = NPPA_BEHAVIOR_URL)]
    pub nppa_behavior_url: String,
    /// Milliseconds a provider's answer may take (connection included); later is `unavailable`.
    #[arg(long, env = "SHIMING_VERIFY_TIMEOUT_MS", default_value_t = 5000)]
    pub verify_timeout_ms: u64,
    /// The generic provider's mapping (JSON; docs/verification.md).
    #[arg(long, env = "SHIMING_VERIFY_HTTP_CONFIG")]
    pub verify_http_config: Option<PathBuf>,
}

impl Default for VerifyArgs {
    fn default() -> VerifyArgs {
        VerifyArgs {
            verify_provider: ProviderKind::None,
            nppa_app_id: None,
            nppa_biz_id: None,
            nppa_secret_key: None,
            nppa_check_url: NPPA_CHECK_URL.into(),
            nppa_query_url: NPPA_QUERY_URL.into(),
            nppa_behavior_url: NPPA_BEHAVIOR_URL.into(),
            verify_timeout_ms: 5000,
            verify_http_config: None,
        }
    }
}

/// The longest wait for an answer that a configuration may ask for.
pub const MAX_TIMEOUT_MS: u64 = 60_000;

/// The provider the flags describe, or what is wrong with them (never quoting a secret).
pub fn from_args(args: &VerifyArgs) -> Result<Arc<dyn Provider>, String> {
    let timeout = timeout_from_ms(args.verify_timeout_ms, "--verify-timeout-ms")?;
    match args.verify_provider {
        ProviderKind::None => Ok(Arc::new(NoneProvider)),
        ProviderKind::Nppa => {
            let missing = |flag: &str| format!("--verify-provider nppa needs {flag}");
            let config = nppa::NppaConfig {
                app_id: args
                    .nppa_app_id
                    .clone()
                    .ok_or_else(|| missing("--nppa-app-id"))?,
                biz_id: args
                    .nppa_biz_id
                    .clone()
                    .ok_or_else(|| missing("--nppa-biz-id"))?,
                secret_key: args
                    .nppa_secret_key
                    .clone()
                    .ok_or_else(|| missing("--nppa-secret-key"))?,
                check_url: args.nppa_check_url.clone(),
                query_url: args.nppa_query_url.clone(),
                behavior_url: args.nppa_behavior_url.clone(),
                timeout,
            };
            Ok(Arc::new(nppa::NppaProvider::new(config)?))
        }
        ProviderKind::Http => {
            let path = args.verify_http_config.as_ref().ok_or_else(|| {
                "--verify-provider http needs --verify-http-config FILE".to_string()
            })?;
            Ok(Arc::new(http::HttpProvider::from_file(path, timeout)?))
        }
    }
}

pub(crate) fn timeout_from_ms(ms: u64, what: &str) -> Result<Duration, String> {
    if ms == 0 || ms > MAX_TIMEOUT_MS {
        return Err(format!(
            "{what} must be between 1 and {MAX_TIMEOUT_MS} milliseconds"
        ));
    }
    Ok(Duration::from_millis(ms))
}

/// The most an answer's body may hold; a longer one is not a verification answer.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The longest `Retry-After` taken from an answer.
const MAX_RETRY_AFTER_SECS: u64 = 3600;

/// The HTTPS client of one provider: its timeout covers connecting, sending and reading the whole
/// answer; no redirects (personal data goes where the configuration says, nowhere else).
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("shiming-server/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("the HTTPS client could not be built: {e}"))
}

/// An answer as read off the wire.
pub(crate) struct Answer {
    pub status: reqwest::StatusCode,
    pub retry_after_secs: Option<u64>,
    pub body: Vec<u8>,
}

/// Sends a request and reads its answer (at most [`MAX_ANSWER_BYTES`]). A failure is the
/// [`Outcome`] to give, logged with the provider's id and a code, never with the data sent.
pub(crate) async fn send(
    provider: &'static str,
    request: reqwest::RequestBuilder,
) -> Result<Answer, Outcome> {
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Err(transport_failure(provider, &e)),
    };
    let status = response.status();
    let retry_after_secs = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|secs| secs.min(MAX_RETRY_AFTER_SECS));
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len().saturating_add(chunk.len()) > MAX_ANSWER_BYTES {
                    tracing::warn!(
                        provider,
                        code = "verification_provider_unavailable",
                        "the answer is too long"
                    );
                    return Err(Outcome::unavailable("verification_provider_unavailable"));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => return Err(transport_failure(provider, &e)),
        }
    }
    Ok(Answer {
        status,
        retry_after_secs,
        body,
    })
}

fn transport_failure(provider: &'static str, e: &reqwest::Error) -> Outcome {
    // The error's text may hold the URL (NPPA's query carries the reference in it): only its kind
    // is logged.
    let kind = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect"
    } else if e.is_body() || e.is_decode() {
        "body"
    } else if e.is_request() {
        "request"
    } else {
        "other"
    };
    tracing::warn!(
        provider,
        kind,
        code = "verification_provider_unavailable",
        "no answer from the verification provider"
    );
    Outcome::unavailable("verification_provider_unavailable")
}

/// The outcome of an HTTP status that is not a success, before any body is read into it.
pub(crate) fn status_outcome(answer: &Answer) -> Outcome {
    match answer.status.as_u16() {
        429 => Outcome::Unavailable {
            code: "verification_provider_busy",
            retry_after_secs: Some(answer.retry_after_secs.unwrap_or(60)),
        },
        401 | 403 => Outcome::unavailable("verification_provider_rejected_credentials"),
        503 => Outcome::Unavailable {
            code: "verification_provider_unavailable",
            retry_after_secs: answer.retry_after_secs,
        },
        _ => Outcome::unavailable("verification_provider_unavailable"),
    }
}

/// Milliseconds since the Unix epoch (0 for a clock before it, which a provider then refuses).
pub(crate) fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Whether a URL may carry personal data: https, or http to this machine (tests, a local relay).
/// `allow_http` admits plain http anywhere (NPPA publishes http addresses for two interfaces;
/// their bodies are encrypted).
pub(crate) fn parse_url(text: &str, what: &str, allow_http: bool) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(text.trim()).map_err(|e| format!("{what}: not a URL ({e})"))?;
    let loopback = url.host_str().is_some_and(|host| {
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    });
    match url.scheme() {
        "https" => {}
        "http" if allow_http || loopback => {}
        _ => {
            return Err(format!(
                "{what}: must be an https:// address (http:// only to this machine)"
            ))
        }
    }
    if url.host().is_none() {
        return Err(format!("{what}: no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what}: credentials in the address are not supported (use headers)"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{what}: no query string or fragment, please"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_personal_data_and_secrets() {
        let s = Subject {
            reference: "0123456789abcdef0123456789abcdef",
            name: "测试甲",
            id_number: "11010519491231002X",
            phone: Some("13800000000"),
            kind: "cn_resident",
        };
        let text = format!("{s:?}");
        assert!(
            !text.contains("测试甲") && !text.contains("1101051949") && !text.contains("138000")
        );
        let o = Outcome::Verified {
            reference: Some("1fffffffffffffffffffffffffffffffffffff".into()),
        };
        assert!(!format!("{o:?}").contains("1ffff"));
        let b = Behavior {
            session: "s".into(),
            online: true,
            at_secs: 1,
            reference: "1fffffffffffffffffffffffffffffffffffff".into(),
        };
        assert!(!format!("{b:?}").contains("1ffff"));
        let args = VerifyArgs {
            nppa_secret_key: Some(Secret::new("2836e95fcd10e04b0069bb1ee659955b")),
            ..VerifyArgs::default()
        };
        assert!(!format!("{args:?}").contains("2836e95f"));
    }

    #[test]
    fn urls() {
        assert!(parse_url("https://example.com/x", "u", false).is_ok());
        assert!(parse_url("http://127.0.0.1:9/x", "u", false).is_ok());
        assert!(parse_url("http://example.com/x", "u", false).is_err());
        assert!(parse_url("http://example.com/x", "u", true).is_ok());
        assert!(parse_url("https://example.com/x?a=1", "u", false).is_err());
        assert!(parse_url("https://u:p@example.com/x", "u", false).is_err());
        assert!(parse_url("ftp://example.com/x", "u", true).is_err());
    }
}
