//! 国家新闻出版署's 网络游戏防沉迷实名认证系统 (https://wlc.nppa.gov.cn/fcm_company/index.html):
//! 实名认证 (check), 实名认证结果查询 (query) and 游戏用户行为数据上报 (the 上线/下线 reports).
//!
//! Everything here follows the published 《网络游戏防沉迷实名认证系统接口对接技术规范》 ("the
//! specification" below); each rule cites the part it comes from. What the system answers is
//! plain JSON (it is not encrypted), read strictly: an answer of any other shape is never a
//! verdict.
//!
//! Only mainland second-generation resident ID cards (`cn_resident`) can be verified: the
//! specification's 实名认证 interface takes 大陆地区的姓名和二代身份证号 only.

use std::fmt;
use std::time::Duration;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{
    parse_url, send, status_outcome, Behavior, BoxFuture, Outcome, Provider, Secret, Subject,
};

/// The provider's id, in logs.
const ID: &str = "nppa";

/// The one kind the system verifies (specification, 实名认证接口: 本版本仅支持大陆地区的姓名和二代
/// 身份证号核实认证).
pub const KIND: &str = "cn_resident";

/// Specification, 游戏用户行为数据上报接口: a request carries 1 to 128 behaviours (`no` 1-128).
pub const MAX_BEHAVIORS_PER_REQUEST: usize = 128;

/// Specification, 接口限流: the behaviour interface takes 10 requests a second; the batches of one
/// report are sent no closer together than this.
const BEHAVIOR_PAUSE: Duration = Duration::from_millis(100);

/// What one NPPA error code means for us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// A verdict: the identity is not valid.
    Failed(&'static str),
    /// No verdict (retry after so many seconds when given).
    Unavailable(&'static str, Option<u64>),
    /// 2004 on a check: this `ai` was submitted already; its result is asked for with a query.
    QueryInstead,
    /// The system refused the content of a behaviour report (the 3xxx codes).
    Refused(&'static str),
}

/// Every `errcode` the specification lists (《网络游戏防沉迷实名认证系统接口对接技术规范》, 附录:
/// 系统错误码 1001-1012, 业务错误码 2001-2004 (实名认证) and 3001-3010 (行为数据上报), 测试系统错误码
/// 4001-4003), with its `errmsg` and what it means for a registration. 1019 and 1020 are in later
/// copies of the table that the system's own sample code carries; they are here so that they get a
/// precise code too. A code that is not here is [`UNKNOWN_ERRCODE`]: never a verdict.
pub const ERRCODES: &[(i64, &str, Reaction)] = &[
    // 系统错误: the system could not answer.
    (
        1001,
        "SYS ERROR",
        Reaction::Unavailable("verification_provider_unavailable", None),
    ),
    // The address is wrong (404): a configuration error.
    (
        1002,
        "SYS REQ RESOURCE NOT EXIST",
        Reaction::Unavailable("verification_provider_misconfigured", None),
    ),
    (
        1003,
        "SYS REQ METHOD ERROR",
        Reaction::Unavailable("verification_provider_misconfigured", None),
    ),
    // A header is missing: our request is wrong.
    (
        1004,
        "SYS REQ HEADER MISS ERROR",
        Reaction::Unavailable("verification_request_rejected", None),
    ),
    // The server's address is not on the system's allow-list (set in the system's console).
    (
        1005,
        "SYS REQ IP ERROR",
        Reaction::Unavailable("verification_provider_rejected_address", None),
    ),
    // 接口限流: over the rate limit, refused for one minute.
    (
        1006,
        "SYS REQ BUSY ERROR",
        Reaction::Unavailable("verification_provider_busy", Some(60)),
    ),
    // `timestamps` too far from the system's clock: this server's clock is off.
    (
        1007,
        "SYS REQ EXPIRE ERROR",
        Reaction::Unavailable("verification_clock_skew", None),
    ),
    // The appId, the partner's state, the interface's permission, the signature (secret key).
    (
        1008,
        "SYS REQ PARTNER ERROR",
        Reaction::Unavailable("verification_provider_rejected_credentials", None),
    ),
    (
        1009,
        "SYS REQ PARTNER AUTH DISABLE",
        Reaction::Unavailable("verification_provider_rejected_credentials", None),
    ),
    (
        1010,
        "SYS REQ AUTH ERROR",
        Reaction::Unavailable("verification_provider_rejected_credentials", None),
    ),
    (
        1011,
        "SYS REQ PARTNER AUTH ERROR",
        Reaction::Unavailable("verification_provider_rejected_credentials", None),
    ),
    // The body did not decrypt, or a required parameter is missing.
    (
        1012,
        "SYS REQ PARAM CHECK ERROR",
        Reaction::Unavailable("verification_request_rejected", None),
    ),
    (
        1019,
        "SYS REQ SECRET EXCESS ERROR",
        Reaction::Unavailable("verification_provider_rejected_credentials", None),
    ),
    (
        1020,
        "SYS REQ CONTENT TYPE ERROR",
        Reaction::Unavailable("verification_request_rejected", None),
    ),
    // 身份证号格式校验失败: a verdict on the number.
    (
        2001,
        "BUS AUTH IDNUM ILLEGAL",
        Reaction::Failed("verification_id_invalid"),
    ),
    // 实名认证条目已达上限: the account's quota.
    (
        2002,
        "BUS AUTH RESOURCE LIMIT",
        Reaction::Unavailable("verification_provider_quota", None),
    ),
    // 无该编码提交的实名认证记录 (a query for an `ai` the system does not know, or no longer: results
    // are kept 48 hours): the caller checks again, with a new reference.
    (
        2003,
        "BUS AUTH CODE NO AUTH RECODE",
        Reaction::Unavailable("verification_record_missing", None),
    ),
    // 编码已经被占用: the `ai` was used; its result is queried.
    (2004, "BUS AUTH CODE ALREADY IN USE", Reaction::QueryInstead),
    // 行为数据上报: 3001 is answered with the per-entry results (some accepted).
    (
        3001,
        "BUS COLL PARTIAL ERROR",
        Reaction::Refused("verification_report_partial"),
    ),
    (
        3002,
        "BUS COLL BEHAVIOR NULL ERROR",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3003,
        "BUS COLL OVER LIMIT COUNT",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3004,
        "BUS COLL NO INVALID",
        Reaction::Refused("verification_report_invalid"),
    ),
    // 行为发生时间错误: the earliest `ot` of a request must be within 180 s of its `timestamps`.
    (
        3005,
        "BUS COLL BEHAVIOR TIME ERROR",
        Reaction::Refused("verification_report_too_late"),
    ),
    (
        3006,
        "BUS COLL PLAYER MODE INVALID",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3007,
        "BUS COLL BEHAVIOR MODE INVALID",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3008,
        "BUS COLL PLAYERID MISS",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3009,
        "BUS COLL DEVICEID MISS",
        Reaction::Refused("verification_report_invalid"),
    ),
    (
        3010,
        "BUS COLL PLAYERID INVALID",
        Reaction::Refused("verification_report_unknown_user"),
    ),
    // 测试系统错误码: only the system's test interfaces answer these; here, a misconfiguration.
    (
        4001,
        "TEST SYS ERROR",
        Reaction::Unavailable("verification_provider_unavailable", None),
    ),
    (
        4002,
        "TEST TASK NOT EXIST",
        Reaction::Unavailable("verification_provider_misconfigured", None),
    ),
    (
        4003,
        "TEST SCENE CODE ERROR",
        Reaction::Unavailable("verification_provider_misconfigured", None),
    ),
];

/// An `errcode` the table does not have.
pub const UNKNOWN_ERRCODE: Reaction =
    Reaction::Unavailable("verification_provider_unavailable", None);

/// What an `errcode` means.
pub fn reaction(errcode: i64) -> Reaction {
    ERRCODES
        .iter()
        .find(|(code, _, _)| *code == errcode)
        .map_or(UNKNOWN_ERRCODE, |(_, _, reaction)| *reaction)
}

/// The settings of an [`NppaProvider`].
#[derive(Debug, Clone)]
pub struct NppaConfig {
    pub app_id: String,
    pub biz_id: String,
    /// 32 hexadecimal characters.
    pub secret_key: Secret,
    pub check_url: String,
    pub query_url: String,
    pub behavior_url: String,
    pub timeout: Duration,
}

/// The NPPA provider.
pub struct NppaProvider {
    app_id: String,
    biz_id: String,
    /// Signed as the text it is (specification, 签名规则: secretKey first).
    secret_key: Secret,
    /// AES-128-GCM with the hex-decoded secret key (specification, 加密规则).
    cipher: Aes128Gcm,
    check_url: reqwest::Url,
    query_url: reqwest::Url,
    behavior_url: reqwest::Url,
    client: reqwest::Client,
}

impl fmt::Debug for NppaProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NppaProvider")
            .field("app_id", &self.app_id)
            .field("biz_id", &self.biz_id)
            .field("secret_key", &self.secret_key)
            .field("check_url", &self.check_url.as_str())
            .field("query_url", &self.query_url.as_str())
            .field("behavior_url", &self.behavior_url.as_str())
            .finish()
    }
}

/// A header parameter's value: printable ASCII, no spaces (it goes into a header and the signature).
fn header_token(value: &str) -> bool {
    !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_graphic())
}

impl NppaProvider {
    pub fn new(config: NppaConfig) -> Result<NppaProvider, String> {
        let app_id = config.app_id.trim().to_string();
        let biz_id = config.biz_id.trim().to_string();
        if !header_token(&app_id) {
            return Err("--nppa-app-id must be the appId the NPPA system issued (printable ASCII, no spaces)".into());
        }
        if !header_token(&biz_id) {
            return Err("--nppa-biz-id must be the bizId the NPPA system issued (printable ASCII, no spaces)".into());
        }
        let secret_text = config.secret_key.expose().trim();
        // Specification, 加密规则: the secret key is the hex form of a 16-byte AES-128 key.
        let key = decode_hex16(secret_text).ok_or_else(|| {
            "--nppa-secret-key must be 32 hexadecimal characters (the 16-byte key the NPPA system issued)"
                .to_string()
        })?;
        let cipher = Aes128Gcm::new_from_slice(&key)
            .map_err(|_| "--nppa-secret-key: not a 16-byte key".to_string())?;
        Ok(NppaProvider {
            app_id,
            biz_id,
            secret_key: Secret::new(secret_text),
            cipher,
            check_url: parse_url(&config.check_url, "--nppa-check-url", true)?,
            query_url: parse_url(&config.query_url, "--nppa-query-url", true)?,
            behavior_url: parse_url(&config.behavior_url, "--nppa-behavior-url", true)?,
            client: super::client(config.timeout)?,
        })
    }

    /// Specification, 加密规则: the business body, as UTF-8 JSON, is encrypted with AES-128-GCM
    /// (the hex-decoded secret key, a random 12-byte IV, a 16-byte tag) and sent as
    /// `{"data":"<base64(iv ‖ ciphertext ‖ tag)>"}`.
    fn seal(&self, business: &[u8]) -> Result<String, Outcome> {
        let mut iv = [0u8; 12];
        if getrandom::getrandom(&mut iv).is_err() {
            tracing::error!(
                provider = ID,
                "the operating system's random number generator failed"
            );
            return Err(Outcome::unavailable("verification_provider_unavailable"));
        }
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&iv), business)
            .map_err(|_| Outcome::unavailable("verification_provider_unavailable"))?;
        let mut message = Vec::with_capacity(iv.len() + sealed.len());
        message.extend_from_slice(&iv);
        message.extend_from_slice(&sealed);
        #[derive(Serialize)]
        struct Sealed {
            data: String,
        }
        serde_json::to_string(&Sealed {
            data: STANDARD.encode(message),
        })
        .map_err(|_| Outcome::unavailable("verification_provider_unavailable"))
    }

    /// One signed request; its answer's envelope, or the outcome of not having one.
    async fn call(
        &self,
        post: bool,
        url: &reqwest::Url,
        query: &[(&str, &str)],
        business: Option<&[u8]>,
    ) -> Result<Envelope, Outcome> {
        // Specification, 请求方式: POST bodies are the sealed JSON; the query is a GET without one.
        let body = match business {
            Some(business) => self.seal(business)?,
            None => String::new(),
        };
        // Specification, 公共请求参数 (headers): appId, bizId, timestamps (milliseconds since the
        // epoch) and sign.
        let timestamps = super::now_ms().to_string();
        let mut params: Vec<(&str, &str)> = vec![
            ("appId", &self.app_id),
            ("bizId", &self.biz_id),
            ("timestamps", &timestamps),
        ];
        params.extend_from_slice(query);
        let signature = sign(self.secret_key.expose(), &params, &body);

        let mut url = url.clone();
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter());
        }
        let mut request = if post {
            self.client
                .post(url)
                // Specification, 公共请求参数: Content-Type application/json; charset=utf-8.
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/json; charset=utf-8",
                )
                .body(body)
        } else {
            self.client.get(url)
        };
        request = request
            .header("appId", &self.app_id)
            .header("bizId", &self.biz_id)
            .header("timestamps", &timestamps)
            .header("sign", signature);
        let answer = send(ID, request).await?;
        let envelope = Envelope::parse(&answer.body);
        if !answer.status.is_success() {
            // An HTTP error with an error code in its body means that code; else the status does.
            return match envelope {
                Some(envelope) if envelope.errcode != 0 => Ok(envelope),
                _ => Err(log_outcome(status_outcome(&answer))),
            };
        }
        envelope
            .ok_or_else(|| log_outcome(Outcome::unavailable("verification_provider_unavailable")))
    }

    async fn check_inner(&self, s: &Subject<'_>) -> Outcome {
        if let Some(outcome) = unsuitable(s) {
            return outcome;
        }
        // Specification, 实名认证接口, 请求参数: ai (32), name, idNum.
        #[derive(Serialize)]
        struct Check<'a> {
            ai: &'a str,
            name: &'a str,
            #[serde(rename = "idNum")]
            id_num: &'a str,
        }
        let business = match serde_json::to_vec(&Check {
            ai: s.reference,
            name: s.name,
            id_num: s.id_number,
        }) {
            Ok(business) => business,
            Err(_) => return Outcome::unavailable("verification_provider_unavailable"),
        };
        let envelope = match self.call(true, &self.check_url, &[], Some(&business)).await {
            Ok(envelope) => envelope,
            Err(outcome) => return outcome,
        };
        match envelope.verdict() {
            Verdict::Outcome(outcome) => outcome,
            // Specification, 业务错误码 2004: the ai was used; its result is the query's.
            Verdict::QueryInstead => self.query_inner(s).await,
        }
    }

    async fn query_inner(&self, s: &Subject<'_>) -> Outcome {
        if let Some(outcome) = unsuitable(s) {
            return outcome;
        }
        // Specification, 实名认证结果查询接口: GET with the query parameter ai, which is signed
        // with the header parameters; no body.
        let envelope = match self
            .call(false, &self.query_url, &[("ai", s.reference)], None)
            .await
        {
            Ok(envelope) => envelope,
            Err(outcome) => return outcome,
        };
        match envelope.verdict() {
            Verdict::Outcome(outcome) => outcome,
            Verdict::QueryInstead => {
                log_outcome(Outcome::unavailable("verification_reference_in_use"))
            }
        }
    }

    async fn report_inner(&self, events: &[Behavior]) -> Result<(), &'static str> {
        // Specification, 游戏用户行为数据上报接口, 请求参数: si (32 at most), bt (0 下线, 1 上线),
        // ot (seconds), ct (0: 已认证通过用户, with pi; 2 is a guest with di, which this server never
        // has), pi (38). Checked here so that one bad entry does not cost a whole request.
        let valid = events.iter().all(|e| {
            !e.session.is_empty()
                && e.session.len() <= 32
                && e.session.bytes().all(|b| b.is_ascii_graphic())
                && e.at_secs > 0
                && is_pi(&e.reference)
        });
        if !valid {
            return Err("verification_report_invalid");
        }
        let mut partial = false;
        for (i, batch) in events.chunks(MAX_BEHAVIORS_PER_REQUEST).enumerate() {
            if i > 0 {
                tokio::time::sleep(BEHAVIOR_PAUSE).await;
            }
            #[derive(Serialize)]
            struct Entry<'a> {
                no: usize,
                si: &'a str,
                bt: u8,
                ot: i64,
                ct: u8,
                pi: &'a str,
            }
            #[derive(Serialize)]
            struct Report<'a> {
                collections: Vec<Entry<'a>>,
            }
            let report = Report {
                collections: batch
                    .iter()
                    .enumerate()
                    .map(|(n, e)| Entry {
                        no: n + 1,
                        si: &e.session,
                        bt: u8::from(e.online),
                        ot: e.at_secs,
                        ct: 0,
                        pi: &e.reference,
                    })
                    .collect(),
            };
            let business =
                serde_json::to_vec(&report).map_err(|_| "verification_provider_unavailable")?;
            let envelope = self
                .call(true, &self.behavior_url, &[], Some(&business))
                .await
                .map_err(|outcome| {
                    outcome
                        .code()
                        .unwrap_or("verification_provider_unavailable")
                })?;
            match envelope.report_result() {
                Ok(all_accepted) => partial |= !all_accepted,
                Err(code) => {
                    tracing::warn!(
                        provider = ID,
                        code,
                        batch = i,
                        "a behaviour report was not accepted"
                    );
                    return Err(code);
                }
            }
        }
        if partial {
            tracing::warn!(
                provider = ID,
                code = "verification_report_partial",
                "some behaviours were refused"
            );
            return Err("verification_report_partial");
        }
        Ok(())
    }
}

/// A subject this provider must not send: another kind of document, or a reference that is not
/// 32 lower-case hex characters (the caller's mistake, reported as such, and nothing sent).
fn unsuitable(s: &Subject<'_>) -> Option<Outcome> {
    if s.kind != KIND {
        return Some(Outcome::unavailable("verification_kind_unsupported"));
    }
    if s.reference.len() != 32
        || !s
            .reference
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return Some(Outcome::unavailable("verification_reference_invalid"));
    }
    None
}

/// Specification, 实名认证接口, 响应参数: pi is 38 characters (digits and lower-case letters in the
/// published examples; upper case is accepted too).
fn is_pi(pi: &str) -> bool {
    pi.len() == 38 && pi.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn log_outcome(outcome: Outcome) -> Outcome {
    if let Some(code) = outcome.code() {
        tracing::warn!(
            provider = ID,
            code,
            "no verdict from the verification provider"
        );
    }
    outcome
}

/// The specification's signature (签名规则): the lower-case hex SHA-256 of the secret key, then
/// every header parameter but `sign` (appId, bizId, timestamps) and every query parameter, sorted
/// by name, each as name and value written together, then the raw request body (the sealed
/// `{"data":…}` JSON; nothing for a GET). Content-Type is not signed.
pub fn sign(secret_key: &str, params: &[(&str, &str)], body: &str) -> String {
    let mut sorted: Vec<&(&str, &str)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut hash = Sha256::new();
    hash.update(secret_key.as_bytes());
    for (name, value) in sorted {
        hash.update(name.as_bytes());
        hash.update(value.as_bytes());
    }
    hash.update(body.as_bytes());
    hex_lower(&hash.finalize())
}

fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn decode_hex16(text: &str) -> Option<[u8; 16]> {
    let bytes = text.as_bytes();
    if bytes.len() != 32 {
        return None;
    }
    let mut key = [0u8; 16];
    for (slot, pair) in key.iter_mut().zip(bytes.chunks_exact(2)) {
        let digit = |c: u8| char::from(c).to_digit(16);
        let (hi, lo) = match pair {
            [hi, lo] => (digit(*hi)?, digit(*lo)?),
            _ => return None,
        };
        *slot = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(key)
}

/// The answer's envelope (specification, 公共响应参数): `errcode` (0: OK), `errmsg`, `data`.
#[derive(Debug)]
struct Envelope {
    errcode: i64,
    data: Value,
}

enum Verdict {
    Outcome(Outcome),
    QueryInstead,
}

impl Envelope {
    fn parse(body: &[u8]) -> Option<Envelope> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let object = value.as_object()?;
        let errcode = object.get("errcode")?.as_i64()?;
        if !matches!(
            object.get("errmsg"),
            None | Some(Value::String(_)) | Some(Value::Null)
        ) {
            return None;
        }
        Some(Envelope {
            errcode,
            data: object.get("data").cloned().unwrap_or(Value::Null),
        })
    }

    /// Specification, 实名认证接口 and 实名认证结果查询接口, 响应参数: data.result.status 0 认证成功
    /// (with pi), 1 认证中, 2 认证失败.
    fn verdict(&self) -> Verdict {
        if self.errcode != 0 {
            return match reaction(self.errcode) {
                Reaction::Failed(code) => Verdict::Outcome(Outcome::Failed { code }),
                Reaction::Unavailable(code, retry_after_secs) => {
                    Verdict::Outcome(log_outcome(Outcome::Unavailable {
                        code,
                        retry_after_secs,
                    }))
                }
                Reaction::QueryInstead => Verdict::QueryInstead,
                Reaction::Refused(code) => {
                    Verdict::Outcome(log_outcome(Outcome::unavailable(code)))
                }
            };
        }
        let garbled = || {
            Verdict::Outcome(log_outcome(Outcome::unavailable(
                "verification_provider_unavailable",
            )))
        };
        let Some(result) = self.data.get("result").and_then(Value::as_object) else {
            return garbled();
        };
        let status = result.get("status").and_then(Value::as_i64);
        let pi = result.get("pi");
        match status {
            Some(0) => match pi {
                Some(Value::String(pi)) if is_pi(pi) => Verdict::Outcome(Outcome::Verified {
                    reference: Some(pi.clone()),
                }),
                // Verified without the pi, or with something else: not a verdict.
                _ => garbled(),
            },
            Some(1) => Verdict::Outcome(Outcome::Pending),
            Some(2) => Verdict::Outcome(Outcome::Failed {
                code: "verification_mismatch",
            }),
            _ => garbled(),
        }
    }

    /// Specification, 游戏用户行为数据上报接口, 响应参数: data.results lists entries by `no` with
    /// their own errcode. Ok(true): all accepted; Ok(false): some refused (3001, or an entry's
    /// error); Err: the request was not accepted.
    fn report_result(&self) -> Result<bool, &'static str> {
        let results = match self.data.get("results") {
            None | Some(Value::Null) => None,
            Some(Value::Array(results)) => Some(results),
            Some(_) => return Err("verification_provider_unavailable"),
        };
        let mut refused = false;
        for entry in results.into_iter().flatten() {
            let errcode = entry.get("errcode").and_then(Value::as_i64);
            let no = entry.get("no").and_then(Value::as_i64);
            match (errcode, no) {
                (Some(errcode), Some(_)) => refused |= errcode != 0,
                _ => return Err("verification_provider_unavailable"),
            }
        }
        match self.errcode {
            0 => Ok(!refused),
            3001 => Ok(false),
            errcode => Err(match reaction(errcode) {
                Reaction::Failed(code)
                | Reaction::Unavailable(code, _)
                | Reaction::Refused(code) => code,
                Reaction::QueryInstead => "verification_provider_unavailable",
            }),
        }
    }
}

impl Provider for NppaProvider {
    fn id(&self) -> &'static str {
        "nppa"
    }
    fn recipient(&self) -> &str {
        "nppa"
    }
    fn supports(&self, kind: &str) -> bool {
        kind == KIND
    }
    fn check<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(self.check_inner(s))
    }
    fn query<'a>(&'a self, s: &'a Subject<'a>) -> BoxFuture<'a, Outcome> {
        Box::pin(self.query_inner(s))
    }
    /// Sends the events in batches of at most 128, one request every 100 ms at most (the
    /// interface's 10 QPS). `Err` codes:
    /// - `verification_report_invalid` before anything is sent: an event that the system would
    ///   refuse (session empty or over 32 characters, not a 38-character pi, no time);
    /// - `verification_report_partial`: every batch was answered, and the system refused some
    ///   entries for their content (their errors are final: sending them again does not help);
    /// - any other: a batch was not accepted (the code of [`ERRCODES`], or an
    ///   [`Outcome::Unavailable`] code); the batches before it were, the rest were not sent.
    fn report<'a>(&'a self, events: &'a [Behavior]) -> BoxFuture<'a, Result<(), &'static str>> {
        Box::pin(self.report_inner(events))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The vector was computed independently of this code, with coreutils:
    //   printf '%s' '2836e95fcd10e04b0069bb1ee659955b''ai0123456789abcdef0123456789abcdef'\
    //     'appIdtest-appId''bizIdtest-bizId''timestamps1584949895758' | sha256sum
    // and, for a POST, the specification's sample concatenation with a body:
    //   printf '%s' '2836e95fcd10e04b0069bb1ee659955b''appIdtest-appId''bizIdtest-bizId'\
    //     'timestamps1584949895758''{"data":"CqT/33f3jyoiYqT8MtxEFk3x2rlfhmgzhxpHqWosSj4="}' | sha256sum
    const SECRET: &str = "2836e95fcd10e04b0069bb1ee659955b";

    #[test]
    fn signature_of_a_query_matches_a_hand_computed_vector() {
        // Given in an order that is not the sorted one.
        let params = [
            ("timestamps", "1584949895758"),
            ("bizId", "test-bizId"),
            ("ai", "0123456789abcdef0123456789abcdef"),
            ("appId", "test-appId"),
        ];
        assert_eq!(sign(SECRET, &params, ""), SIGN_QUERY);
    }

    #[test]
    fn signature_of_a_post_matches_a_hand_computed_vector() {
        let params = [
            ("appId", "test-appId"),
            ("timestamps", "1584949895758"),
            ("bizId", "test-bizId"),
        ];
        let body = r#"{"data":"CqT/33f3jyoiYqT8MtxEFk3x2rlfhmgzhxpHqWosSj4="}"#;
        assert_eq!(sign(SECRET, &params, body), SIGN_POST);
    }

    const SIGN_QUERY: &str = "f1e6bc085fd4e8e1fbf444e8b4c367e93e0286c4e9adda437ff167b0193ed256";
    const SIGN_POST: &str = "e76fd158790571f349b3216b47c6edb5b1e85796f1600a660e10814d03b4f665";

    fn provider() -> NppaProvider {
        NppaProvider::new(NppaConfig {
            app_id: "test-appId".into(),
            biz_id: "test-bizId".into(),
            secret_key: Secret::new(SECRET),
            check_url: "http://127.0.0.1:9/c".into(),
            query_url: "http://127.0.0.1:9/q".into(),
            behavior_url: "http://127.0.0.1:9/b".into(),
            timeout: Duration::from_secs(1),
        })
        .unwrap()
    }

    #[test]
    fn sealed_body_opens_with_the_key_and_has_the_layout() {
        let p = provider();
        let sealed = p.seal(br#"{"ai":"x"}"#).unwrap();
        let value: Value = serde_json::from_str(&sealed).unwrap();
        let raw = STANDARD.decode(value["data"].as_str().unwrap()).unwrap();
        assert_eq!(raw.len(), 12 + 10 + 16);
        let key = decode_hex16(SECRET).unwrap();
        let opened = Aes128Gcm::new_from_slice(&key)
            .unwrap()
            .decrypt(Nonce::from_slice(&raw[..12]), &raw[12..])
            .unwrap();
        assert_eq!(opened, br#"{"ai":"x"}"#);
        // A fresh IV each time.
        assert_ne!(p.seal(b"{}").unwrap(), p.seal(b"{}").unwrap());
    }

    #[test]
    fn keys_and_ids_are_checked_without_echoing_the_secret() {
        let mut config = NppaConfig {
            app_id: "a".into(),
            biz_id: "b".into(),
            secret_key: Secret::new("zz36e95fcd10e04b0069bb1ee659955b"),
            check_url: super::super::NPPA_CHECK_URL.into(),
            query_url: super::super::NPPA_QUERY_URL.into(),
            behavior_url: super::super::NPPA_BEHAVIOR_URL.into(),
            timeout: Duration::from_secs(1),
        };
        let e = NppaProvider::new(config.clone()).unwrap_err();
        assert!(e.contains("32 hexadecimal") && !e.contains("zz36"), "{e}");
        config.secret_key = Secret::new(SECRET);
        config.app_id = "a b".into();
        assert!(NppaProvider::new(config.clone()).is_err());
        config.app_id = "a".into();
        let p = NppaProvider::new(config).unwrap();
        assert!(!format!("{p:?}").contains(SECRET));
    }

    #[test]
    fn answers_are_read_strictly() {
        let v = |body: &str| {
            Envelope::parse(body.as_bytes()).map(|e| match e.verdict() {
                Verdict::Outcome(o) => o,
                Verdict::QueryInstead => Outcome::Pending,
            })
        };
        let pi = "1fffffffffffffffffffffffffffffffffffff";
        assert_eq!(
            v(&format!(
                r#"{{"errcode":0,"errmsg":"OK","data":{{"result":{{"status":0,"pi":"{pi}"}}}}}}"#
            )),
            Some(Outcome::Verified {
                reference: Some(pi.into())
            })
        );
        let unavailable = Some(Outcome::unavailable("verification_provider_unavailable"));
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":0}}}"#),
            unavailable
        );
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":0,"pi":null}}}"#),
            unavailable
        );
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":0,"pi":"short"}}}"#),
            unavailable
        );
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":"0","pi":"x"}}}"#),
            unavailable
        );
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":3}}}"#),
            unavailable
        );
        assert_eq!(v(r#"{"errcode":0,"errmsg":"OK"}"#), unavailable);
        assert_eq!(v(r#"{"errcode":99999,"errmsg":"NEW"}"#), unavailable);
        assert_eq!(v(r#"{"errcode":"0"}"#), None);
        assert_eq!(v("[]"), None);
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":1,"pi":null}}}"#),
            Some(Outcome::Pending)
        );
        assert_eq!(
            v(r#"{"errcode":0,"errmsg":"OK","data":{"result":{"status":2,"pi":null}}}"#),
            Some(Outcome::Failed {
                code: "verification_mismatch"
            })
        );
    }

    #[test]
    fn the_table_has_each_code_once_and_the_ranges_of_the_specification() {
        let mut codes: Vec<i64> = ERRCODES.iter().map(|(c, _, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ERRCODES.len());
        for expected in (1001..=1012)
            .chain(2001..=2004)
            .chain(3001..=3010)
            .chain(4001..=4003)
        {
            assert!(codes.contains(&expected), "{expected}");
        }
        // Nothing in the table is a verdict of success.
        assert!(ERRCODES
            .iter()
            .all(|(_, _, r)| !matches!(r, Reaction::Failed(c) if !c.starts_with("verification_"))));
    }
}
