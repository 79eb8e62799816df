//! The identity-verification providers through their public API, against local stand-ins written
//! in JavaScript from the same specifications (tests/js/support/): the NPPA simulator
//! (nppa-simulator.mjs) and a commercial service's stub (verify-stub.mjs). Each test starts its
//! own with `node`; without `node` on the PATH the tests say so and pass without running (CI has
//! it).
//!
//! All names and ID numbers here are made up (test names, numbers with a valid check digit).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use shiming_server::verify::{
    from_args, nppa, Behavior, Outcome, Provider, ProviderKind, Secret, Subject, VerifyArgs,
};

const APP_ID: &str = "test-app-id-0001";
const BIZ_ID: &str = "1101999999";
const SECRET: &str = "2836e95fcd10e04b0069bb1ee659955b";
const OTHER_SECRET: &str = "00112233445566778899aabbccddeeff";

static ENV: Once = Once::new();

/// The environment variables of the mappings, set once before any test reads the environment
/// (every test calls this first, so no thread reads it while it is written).
fn init_env() {
    ENV.call_once(|| {
        std::env::set_var("SHIMING_TEST_VERIFY_APPCODE", "appcode-0123");
        std::env::set_var("SHIMING_TEST_VERIFY_HMAC", "hmac-secret-4567");
        std::env::set_var("SHIMING_TEST_VERIFY_WRONG", "appcode-wrong");
        // The worked example of docs/verification.md.
        std::env::set_var("EXAMPLE_DATA_APPCODE", "example-appcode");
    });
}

fn support(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/js/support")
        .join(file)
}

/// A node process of ours: killed (by its own id) and reaped when dropped; it also exits when our
/// end of its stdin closes, should this process die first.
struct NodeServer {
    child: Child,
    url: String,
}

impl NodeServer {
    fn start(script: &str, args: &[&str], prefix: &str) -> Option<NodeServer> {
        init_env();
        if Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_err()
        {
            eprintln!("SKIPPED: `node` is not on the PATH (the verification tests need Node 20+)");
            return None;
        }
        let mut child = Command::new("node")
            .arg(support(script))
            .args(["--port", "0", "--exit-with-stdin"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("a line");
        let url = line
            .trim()
            .strip_prefix(prefix)
            .unwrap_or_else(|| panic!("{script} printed {line:?}"))
            .to_string();
        Some(NodeServer { child, url })
    }

    async fn control(&self, path: &str, body: Option<Value>) -> Value {
        let client = reqwest::Client::new();
        let url = format!("{}/__control/{path}", self.url);
        let request = match body {
            Some(body) => client.post(url).json(&body),
            None => client.get(url),
        };
        request
            .send()
            .await
            .expect("control")
            .json()
            .await
            .expect("control json")
    }

    async fn requests(&self) -> Vec<Value> {
        match self.control("requests", None).await {
            Value::Array(requests) => requests,
            other => panic!("{other}"),
        }
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The NPPA simulator, with the test's appId, bizId and secret key.
fn simulator(extra: &[&str]) -> Option<NodeServer> {
    let mut args = vec![
        "--app-id",
        APP_ID,
        "--biz-id",
        BIZ_ID,
        "--secret-key",
        SECRET,
    ];
    args.extend_from_slice(extra);
    NodeServer::start("nppa-simulator.mjs", &args, "NPPA_SIMULATOR_URL=")
}

impl NodeServer {
    async fn scenario(&self, key: &str, scenario: Value) {
        self.control("scenario", Some(json!({"key": key, "scenario": scenario})))
            .await;
    }
}

fn nppa_args(sim: &NodeServer) -> VerifyArgs {
    VerifyArgs {
        verify_provider: ProviderKind::Nppa,
        nppa_app_id: Some(APP_ID.into()),
        nppa_biz_id: Some(BIZ_ID.into()),
        nppa_secret_key: Some(Secret::new(SECRET)),
        nppa_check_url: format!("{}/idcard/authentication/check", sim.url),
        nppa_query_url: format!("{}/idcard/authentication/query", sim.url),
        nppa_behavior_url: format!("{}/behavior/collection/loginout", sim.url),
        verify_timeout_ms: 5000,
        verify_http_config: None,
    }
}

fn nppa_provider(sim: &NodeServer) -> Arc<dyn Provider> {
    from_args(&nppa_args(sim)).expect("a valid configuration")
}

/// A made-up person: a test name and a mainland number with a valid check digit (GB 11643-1999).
struct Person {
    reference: String,
    name: String,
    id_number: String,
    phone: Option<String>,
    kind: &'static str,
}

fn id_number(serial: u32) -> String {
    let body = format!("11010519900101{:03}", serial % 1000);
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn person(n: u32) -> Person {
    Person {
        reference: format!("{:032x}", 0xabc0_0000_u64 + u64::from(n)),
        name: format!("测试{}", ["甲", "乙", "丙", "丁"][(n % 4) as usize]),
        id_number: id_number(n),
        phone: None,
        kind: "cn_resident",
    }
}

impl Person {
    fn subject(&self) -> Subject<'_> {
        Subject {
            reference: &self.reference,
            name: &self.name,
            id_number: &self.id_number,
            phone: self.phone.as_deref(),
            kind: self.kind,
        }
    }
}

fn unavailable(code: &'static str) -> Outcome {
    Outcome::Unavailable {
        code,
        retry_after_secs: None,
    }
}

fn pi_of(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Verified {
            reference: Some(pi),
        } => pi.clone(),
        other => panic!("not verified with a pi: {other:?}"),
    }
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

// ---------------------------------------------------------------------------------------------
// NPPA

#[tokio::test]
async fn nppa_verified_returns_the_pi_from_a_signed_encrypted_request() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    assert_eq!(provider.id(), "nppa");
    assert_eq!(provider.recipient(), "nppa");
    assert!(provider.supports("cn_resident"));
    assert!(!provider.supports("hk_macao_taiwan_residence_permit"));

    let p = person(1);
    let outcome = provider.check(&p.subject()).await;
    let pi = pi_of(&outcome);
    assert_eq!(pi.len(), 38);

    let requests = sim.requests().await;
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r["method"], "POST");
    assert_eq!(r["path"], "/idcard/authentication/check");
    assert_eq!(r["errcode"], 0);
    assert_eq!(r["headers"]["appid"], APP_ID);
    assert_eq!(r["headers"]["bizid"], BIZ_ID);
    assert_eq!(
        r["headers"]["content-type"],
        "application/json; charset=utf-8"
    );
    let timestamps = r["headers"]["timestamps"].as_str().expect("timestamps");
    assert_eq!(timestamps.len(), 13);
    // The body on the wire holds no personal data in the clear.
    let body = r["body"].as_str().expect("body");
    assert!(!body.contains(&p.id_number) && !body.contains("测试"));
    assert_eq!(
        r["business"],
        json!({"ai": p.reference, "name": p.name, "idNum": p.id_number})
    );
    // The signature, recomputed here with the crate's function from what the simulator received.
    let expected = nppa::sign(
        SECRET,
        &[
            ("appId", APP_ID),
            ("bizId", BIZ_ID),
            ("timestamps", timestamps),
        ],
        body,
    );
    assert_eq!(r["headers"]["sign"], expected);
}

#[tokio::test]
async fn nppa_mismatch_and_invalid_number_are_failures() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let p = person(2);
    sim.scenario(&p.reference, json!({"type": "failed"})).await;
    assert_eq!(
        provider.check(&p.subject()).await,
        Outcome::Failed {
            code: "verification_mismatch"
        }
    );

    // A wrong check digit: the simulator answers 2001 by itself.
    let mut q = person(3);
    let wrong = if q.id_number.ends_with('0') { '1' } else { '0' };
    q.id_number.pop();
    q.id_number.push(wrong);
    assert_eq!(
        provider.check(&q.subject()).await,
        Outcome::Failed {
            code: "verification_id_invalid"
        }
    );
}

#[tokio::test]
async fn nppa_pending_then_verified_through_queries() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let p = person(4);
    sim.scenario(
        &p.reference,
        json!({"type": "pending", "queries": 2, "then": "verified"}),
    )
    .await;
    assert_eq!(provider.check(&p.subject()).await, Outcome::Pending);
    assert_eq!(provider.query(&p.subject()).await, Outcome::Pending);
    let pi = pi_of(&provider.query(&p.subject()).await);

    let requests = sim.requests().await;
    let queries: Vec<&Value> = requests.iter().filter(|r| r["method"] == "GET").collect();
    assert_eq!(queries.len(), 2);
    for q in &queries {
        assert_eq!(q["path"], "/idcard/authentication/query");
        assert_eq!(q["query"], json!({"ai": p.reference}));
        assert_eq!(q["body"], "");
        assert_eq!(q["errcode"], 0);
        // A GET's signature covers the query parameter ai.
        let timestamps = q["headers"]["timestamps"].as_str().expect("timestamps");
        let expected = nppa::sign(
            SECRET,
            &[
                ("ai", &p.reference),
                ("appId", APP_ID),
                ("bizId", BIZ_ID),
                ("timestamps", timestamps),
            ],
            "",
        );
        assert_eq!(q["headers"]["sign"], expected);
    }

    // Pending, then failed after a time.
    let f = person(5);
    sim.scenario(
        &f.reference,
        json!({"type": "pending", "ms": 300, "then": "failed"}),
    )
    .await;
    assert_eq!(provider.check(&f.subject()).await, Outcome::Pending);
    assert_eq!(provider.query(&f.subject()).await, Outcome::Pending);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(
        provider.query(&f.subject()).await,
        Outcome::Failed {
            code: "verification_mismatch"
        }
    );
    assert_eq!(pi.len(), 38);
}

/// What this test expects of every errcode, written out independently of the crate's table (and
/// checked to cover it): on a check, and on a query.
fn expected_errcodes() -> Vec<(i64, Outcome, Outcome)> {
    let u = |code| unavailable(code);
    let same = |code: i64, o: Outcome| (code, o.clone(), o);
    vec![
        same(1001, u("verification_provider_unavailable")),
        same(1002, u("verification_provider_misconfigured")),
        same(1003, u("verification_provider_misconfigured")),
        same(1004, u("verification_request_rejected")),
        same(1005, u("verification_provider_rejected_address")),
        same(
            1006,
            Outcome::Unavailable {
                code: "verification_provider_busy",
                retry_after_secs: Some(60),
            },
        ),
        same(1007, u("verification_clock_skew")),
        same(1008, u("verification_provider_rejected_credentials")),
        same(1009, u("verification_provider_rejected_credentials")),
        same(1010, u("verification_provider_rejected_credentials")),
        same(1011, u("verification_provider_rejected_credentials")),
        same(1012, u("verification_request_rejected")),
        same(1019, u("verification_provider_rejected_credentials")),
        same(1020, u("verification_request_rejected")),
        same(
            2001,
            Outcome::Failed {
                code: "verification_id_invalid",
            },
        ),
        same(2002, u("verification_provider_quota")),
        same(2003, u("verification_record_missing")),
        // 2004 on a check: the provider queries; this simulator has no record for an ai whose
        // check it answered with an error, so the query says 2003. On a query: no verdict.
        (
            2004,
            u("verification_record_missing"),
            u("verification_reference_in_use"),
        ),
        same(3001, u("verification_report_partial")),
        same(3002, u("verification_report_invalid")),
        same(3003, u("verification_report_invalid")),
        same(3004, u("verification_report_invalid")),
        same(3005, u("verification_report_too_late")),
        same(3006, u("verification_report_invalid")),
        same(3007, u("verification_report_invalid")),
        same(3008, u("verification_report_invalid")),
        same(3009, u("verification_report_invalid")),
        same(3010, u("verification_report_unknown_user")),
        same(4001, u("verification_provider_unavailable")),
        same(4002, u("verification_provider_misconfigured")),
        same(4003, u("verification_provider_misconfigured")),
        // Not in the table: never a verdict.
        same(9999, u("verification_provider_unavailable")),
        same(-1, u("verification_provider_unavailable")),
    ]
}

#[tokio::test]
async fn nppa_every_errcode_of_the_table_on_check_and_on_query() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let expected = expected_errcodes();

    let mut table: Vec<i64> = nppa::ERRCODES.iter().map(|(code, _, _)| *code).collect();
    table.push(9999);
    table.push(-1);
    let mut covered: Vec<i64> = expected.iter().map(|(code, _, _)| *code).collect();
    table.sort_unstable();
    covered.sort_unstable();
    assert_eq!(table, covered, "the test covers exactly the table");

    for (i, (errcode, on_check, on_query)) in expected.into_iter().enumerate() {
        let p = person(100 + i as u32);
        sim.scenario(
            &p.reference,
            json!({"type": "error", "errcode": errcode, "on": "check"}),
        )
        .await;
        assert_eq!(
            provider.check(&p.subject()).await,
            on_check,
            "errcode {errcode} on check"
        );
        let q = person(200 + i as u32);
        sim.scenario(
            &q.reference,
            json!({"type": "error", "errcode": errcode, "on": "query"}),
        )
        .await;
        assert_eq!(
            provider.query(&q.subject()).await,
            on_query,
            "errcode {errcode} on query"
        );
    }
}

#[tokio::test]
async fn nppa_wrong_secret_app_id_or_biz_id_are_refused_and_never_verified() {
    let Some(sim) = simulator(&[]) else { return };
    let p = person(6);

    let mut args = nppa_args(&sim);
    args.nppa_secret_key = Some(Secret::new(OTHER_SECRET));
    let wrong_secret = from_args(&args).expect("valid");
    assert_eq!(
        wrong_secret.check(&p.subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );
    assert_eq!(
        wrong_secret.query(&p.subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );

    let mut args = nppa_args(&sim);
    args.nppa_app_id = Some("someone-else".into());
    assert_eq!(
        from_args(&args).expect("valid").check(&p.subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );

    let mut args = nppa_args(&sim);
    args.nppa_biz_id = Some("0000000000".into());
    assert_eq!(
        from_args(&args).expect("valid").check(&p.subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );

    let codes: Vec<Value> = sim
        .requests()
        .await
        .iter()
        .map(|r| r["errcode"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![json!(1011), json!(1011), json!(1008), json!(1010)]
    );

    // The right key still works for the same person afterwards (nothing was recorded).
    pi_of(&nppa_provider(&sim).check(&p.subject()).await);
}

#[tokio::test]
async fn nppa_a_late_answer_is_unavailable() {
    let Some(sim) = simulator(&[]) else { return };
    let mut args = nppa_args(&sim);
    args.verify_timeout_ms = 300;
    let provider = from_args(&args).expect("valid");
    let p = person(7);
    sim.scenario(
        &p.reference,
        json!({"type": "delay", "ms": 1500, "then": {"type": "verified"}}),
    )
    .await;
    let started = Instant::now();
    assert_eq!(
        provider.check(&p.subject()).await,
        unavailable("verification_provider_unavailable")
    );
    assert!(started.elapsed() < Duration::from_millis(1400));
}

#[tokio::test]
async fn nppa_nobody_listening_is_unavailable() {
    init_env();
    // A port nobody listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let args = VerifyArgs {
        verify_provider: ProviderKind::Nppa,
        nppa_app_id: Some(APP_ID.into()),
        nppa_biz_id: Some(BIZ_ID.into()),
        nppa_secret_key: Some(Secret::new(SECRET)),
        nppa_check_url: format!("http://127.0.0.1:{port}/idcard/authentication/check"),
        nppa_query_url: format!("http://127.0.0.1:{port}/idcard/authentication/query"),
        nppa_behavior_url: format!("http://127.0.0.1:{port}/behavior/collection/loginout"),
        ..VerifyArgs::default()
    };
    let provider = from_args(&args).expect("valid");
    let p = person(8);
    assert_eq!(
        provider.check(&p.subject()).await,
        unavailable("verification_provider_unavailable")
    );
    assert_eq!(
        provider
            .report(&[behavior("s", true, now_secs(), &"1".repeat(38))])
            .await,
        Err("verification_provider_unavailable")
    );
}

#[tokio::test]
async fn nppa_garbage_answers_are_never_verdicts() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let pi = "1".repeat(38);
    let garbage: Vec<(Value, Outcome)> = vec![
        (
            json!({"status": 200, "body": "not json"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "<html>SYS ERROR</html>", "contentType": "text/html"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": ""}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{\"result\":{\"status\":0}}}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{\"result\":{\"status\":0,\"pi\":null}}}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{\"result\":{\"status\":0,\"pi\":\"\"}}}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{\"result\":{\"status\":0,\"pi\":\"1hd2k123\"}}}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": format!("{{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{{\"result\":{{\"status\":\"0\",\"pi\":\"{pi}\"}}}}}}")}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": format!("{{\"errcode\":\"0\",\"errmsg\":\"OK\",\"data\":{{\"result\":{{\"status\":0,\"pi\":\"{pi}\"}}}}}}")}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": format!("{{\"errmsg\":\"OK\",\"data\":{{\"result\":{{\"status\":0,\"pi\":\"{pi}\"}}}}}}")}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{\"result\":{\"status\":7}}}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "{\"errcode\":0,\"errmsg\":\"OK\",\"data\":null}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 200, "body": "[0]"}),
            unavailable("verification_provider_unavailable"),
        ),
        // A success status code with a verdict in it, but the HTTP status is an error.
        (
            json!({"status": 500, "body": format!("{{\"errcode\":0,\"errmsg\":\"OK\",\"data\":{{\"result\":{{\"status\":0,\"pi\":\"{pi}\"}}}}}}")}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 502, "body": "Bad Gateway", "contentType": "text/plain"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 503, "body": "", "headers": {"retry-after": "7"}}),
            Outcome::Unavailable {
                code: "verification_provider_unavailable",
                retry_after_secs: Some(7),
            },
        ),
        (
            json!({"status": 429, "body": ""}),
            Outcome::Unavailable {
                code: "verification_provider_busy",
                retry_after_secs: Some(60),
            },
        ),
        // An error code in an HTTP error's body is that code.
        (
            json!({"status": 500, "body": "{\"errcode\":1001,\"errmsg\":\"SYS ERROR\"}"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 404, "body": "{\"errcode\":1002,\"errmsg\":\"SYS REQ RESOURCE NOT EXIST\"}"}),
            unavailable("verification_provider_misconfigured"),
        ),
        // Longer than any answer.
        (
            json!({"status": 200, "body": format!("{{\"errcode\":0,\"errmsg\":\"{}\"}}", "x".repeat(70_000))}),
            unavailable("verification_provider_unavailable"),
        ),
    ];
    for (i, (raw, expected)) in garbage.into_iter().enumerate() {
        let p = person(300 + i as u32);
        let mut scenario = raw.clone();
        scenario["type"] = json!("raw");
        sim.scenario(&p.reference, scenario).await;
        assert_eq!(provider.check(&p.subject()).await, expected, "answer {raw}");
    }
}

#[tokio::test]
async fn nppa_a_reused_reference_is_answered_by_a_query() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let p = person(9);
    let first = pi_of(&provider.check(&p.subject()).await);
    let again = pi_of(&provider.check(&p.subject()).await);
    assert_eq!(first, again);
    let seen: Vec<(Value, Value)> = sim
        .requests()
        .await
        .iter()
        .map(|r| (r["method"].clone(), r["errcode"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (json!("POST"), json!(0)),
            (json!("POST"), json!(2004)),
            (json!("GET"), json!(0)),
        ]
    );

    // A reused reference still pending: pending.
    let q = person(10);
    sim.scenario(&q.reference, json!({"type": "pending", "queries": 5}))
        .await;
    assert_eq!(provider.check(&q.subject()).await, Outcome::Pending);
    assert_eq!(provider.check(&q.subject()).await, Outcome::Pending);
}

#[tokio::test]
async fn nppa_clock_skew_is_its_own_code() {
    let Some(sim) = simulator(&["--clock-offset-ms", "60000"]) else {
        return;
    };
    let provider = nppa_provider(&sim);
    assert_eq!(
        provider.check(&person(11).subject()).await,
        unavailable("verification_clock_skew")
    );
    assert_eq!(
        provider
            .report(&[behavior("s1", true, now_secs(), &"1".repeat(38))])
            .await,
        Err("verification_clock_skew")
    );
}

#[tokio::test]
async fn nppa_sends_nothing_for_other_kinds_or_a_bad_reference() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let mut p = person(12);
    p.kind = "hk_macao_taiwan_residence_permit";
    assert_eq!(
        provider.check(&p.subject()).await,
        unavailable("verification_kind_unsupported")
    );
    let mut q = person(13);
    q.reference = "ABC".into();
    assert_eq!(
        provider.check(&q.subject()).await,
        unavailable("verification_reference_invalid")
    );
    q.reference = "0123456789ABCDEF0123456789ABCDEF".into();
    assert_eq!(
        provider.query(&q.subject()).await,
        unavailable("verification_reference_invalid")
    );
    assert!(sim.requests().await.is_empty());
}

fn behavior(session: &str, online: bool, at_secs: i64, pi: &str) -> Behavior {
    Behavior {
        session: session.into(),
        online,
        at_secs,
        reference: pi.into(),
    }
}

#[tokio::test]
async fn nppa_reports_online_and_offline() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    assert_eq!(provider.report(&[]).await, Ok(()));
    let pi = pi_of(&provider.check(&person(14).subject()).await);
    let now = now_secs();
    let session = "0123456789abcdef0123456789abcdef";
    assert_eq!(
        provider
            .report(&[
                behavior(session, true, now - 60, &pi),
                behavior(session, false, now, &pi),
            ])
            .await,
        Ok(())
    );
    let requests = sim.requests().await;
    let reports: Vec<&Value> = requests
        .iter()
        .filter(|r| r["path"] == "/behavior/collection/loginout")
        .collect();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["errcode"], 0);
    assert_eq!(
        reports[0]["business"],
        json!({"collections": [
            {"no": 1, "si": session, "bt": 1, "ot": now - 60, "ct": 0, "pi": pi},
            {"no": 2, "si": session, "bt": 0, "ot": now, "ct": 0, "pi": pi},
        ]})
    );
}

#[tokio::test]
async fn nppa_reports_more_than_128_events_in_batches() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let pi = pi_of(&provider.check(&person(15).subject()).await);
    let now = now_secs();
    let events: Vec<Behavior> = (0..300)
        .map(|i| behavior(&format!("session-{i}"), i % 2 == 0, now - 10, &pi))
        .collect();
    let started = Instant::now();
    assert_eq!(provider.report(&events).await, Ok(()));
    // At most 10 requests a second: two pauses between three batches.
    assert!(started.elapsed() >= Duration::from_millis(200));
    let requests = sim.requests().await;
    let batches: Vec<&Vec<Value>> = requests
        .iter()
        .filter(|r| r["path"] == "/behavior/collection/loginout")
        .map(|r| {
            assert_eq!(r["errcode"], 0);
            r["business"]["collections"]
                .as_array()
                .expect("collections")
        })
        .collect();
    let sizes: Vec<usize> = batches.iter().map(|b| b.len()).collect();
    assert_eq!(sizes, vec![128, 128, 44]);
    for batch in &batches {
        let numbers: Vec<u64> = batch
            .iter()
            .map(|e| e["no"].as_u64().expect("no"))
            .collect();
        assert_eq!(numbers, (1..=batch.len() as u64).collect::<Vec<_>>());
    }
    assert_eq!(batches[1][0]["si"], "session-128");
    assert_eq!(batches[2][43]["si"], "session-299");
}

#[tokio::test]
async fn nppa_report_refusals() {
    let Some(sim) = simulator(&[]) else { return };
    let provider = nppa_provider(&sim);
    let pi = pi_of(&provider.check(&person(16).subject()).await);
    let now = now_secs();

    // A pi the system never issued, and an event too old (the earliest ot within 180 s): the
    // others are accepted, the report is partial.
    let unknown = "2".repeat(38);
    assert_eq!(
        provider
            .report(&[
                behavior("a", true, now, &pi),
                behavior("b", true, now, &unknown),
                behavior("c", false, now - 1000, &pi),
            ])
            .await,
        Err("verification_report_partial")
    );
    let requests = sim.requests().await;
    let last = requests.last().expect("a report");
    assert_eq!(last["errcode"], 3001);
    assert_eq!(
        last["results"],
        json!([
            {"no": 2, "errcode": 3010, "errmsg": "BUS COLL PLAYERID INVALID"},
            {"no": 3, "errcode": 3005, "errmsg": "BUS COLL BEHAVIOR TIME ERROR"},
        ])
    );

    // Refused here, before anything is sent: a session over 32 characters, not a pi, no time.
    let before = sim.requests().await.len();
    for bad in [
        behavior(&"s".repeat(33), true, now, &pi),
        behavior("", true, now, &pi),
        behavior("s", true, now, "not-a-pi"),
        behavior("s", true, 0, &pi),
    ] {
        assert_eq!(
            provider
                .report(&[behavior("ok", true, now, &pi), bad])
                .await,
            Err("verification_report_invalid")
        );
    }
    assert_eq!(sim.requests().await.len(), before);

    // The whole request refused: busy, then a system error.
    sim.scenario("loginout", json!({"type": "error", "errcode": 1006}))
        .await;
    assert_eq!(
        provider.report(&[behavior("a", true, now, &pi)]).await,
        Err("verification_provider_busy")
    );
    sim.scenario("loginout", json!({"type": "error", "errcode": 3003}))
        .await;
    assert_eq!(
        provider.report(&[behavior("a", true, now, &pi)]).await,
        Err("verification_report_invalid")
    );
    sim.scenario("loginout", json!({"type": "raw", "status": 200, "body": "{\"errcode\":0,\"data\":{\"results\":\"?\"}}"}))
        .await;
    assert_eq!(
        provider.report(&[behavior("a", true, now, &pi)]).await,
        Err("verification_provider_unavailable")
    );
}

#[tokio::test]
async fn configuration_errors_are_clear_and_never_quote_the_secret() {
    init_env();
    let none = from_args(&VerifyArgs::default()).expect("none");
    assert_eq!(none.id(), "none");
    assert_eq!(none.recipient(), "");
    assert!(!none.supports("cn_resident"));
    let p = person(17);
    assert_eq!(
        none.check(&p.subject()).await,
        unavailable("verification_not_configured")
    );
    assert_eq!(none.report(&[]).await, Ok(()));

    let nppa = |f: &dyn Fn(&mut VerifyArgs)| {
        let mut args = VerifyArgs {
            verify_provider: ProviderKind::Nppa,
            nppa_app_id: Some(APP_ID.into()),
            nppa_biz_id: Some(BIZ_ID.into()),
            nppa_secret_key: Some(Secret::new(SECRET)),
            ..VerifyArgs::default()
        };
        f(&mut args);
        from_args(&args).map(|p| p.id())
    };
    assert_eq!(nppa(&|_| {}), Ok("nppa"));
    assert!(nppa(&|a| a.nppa_app_id = None)
        .unwrap_err()
        .contains("--nppa-app-id"));
    assert!(nppa(&|a| a.nppa_biz_id = None)
        .unwrap_err()
        .contains("--nppa-biz-id"));
    assert!(nppa(&|a| a.nppa_secret_key = None)
        .unwrap_err()
        .contains("--nppa-secret-key"));
    for bad in [
        "2836e95fcd10e04b0069bb1ee659955",
        "2836e95fcd10e04b0069bb1ee659955bb",
        "2836e95fcd10e04b0069bb1ee659955g",
    ] {
        let e = nppa(&|a| a.nppa_secret_key = Some(Secret::new(bad))).unwrap_err();
        assert!(
            e.contains("32 hexadecimal") && !e.contains(&bad[..8]),
            "{e}"
        );
    }
    assert!(nppa(&|a| a.nppa_check_url = "not a url".into())
        .unwrap_err()
        .contains("--nppa-check-url"));
    assert!(nppa(&|a| a.verify_timeout_ms = 0)
        .unwrap_err()
        .contains("--verify-timeout-ms"));

    let http = from_args(&VerifyArgs {
        verify_provider: ProviderKind::Http,
        ..VerifyArgs::default()
    });
    assert!(http
        .err()
        .expect("an error")
        .contains("--verify-http-config"));
}

// ---------------------------------------------------------------------------------------------
// The generic HTTPS provider

fn stub(args: &[&str]) -> Option<NodeServer> {
    NodeServer::start("verify-stub.mjs", args, "VERIFY_STUB_URL=")
}

impl NodeServer {
    async fn rule(&self, rule: Value) {
        self.control("rule", Some(rule)).await;
    }
}

/// Writes a mapping to a temporary file and loads it through the flags.
fn http_provider(mapping: &Value) -> Result<(Arc<dyn Provider>, tempfile::TempDir), String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("verify.json");
    std::fs::write(&path, serde_json::to_vec_pretty(mapping).expect("json")).expect("write");
    let provider = from_args(&VerifyArgs {
        verify_provider: ProviderKind::Http,
        verify_http_config: Some(path),
        ..VerifyArgs::default()
    })?;
    Ok((provider, dir))
}

fn two_factors(url: &str) -> Value {
    json!({
        "comment": "A made-up 二要素 service.",
        "recipient": "示例数据科技有限公司 (Example Data Co.)",
        "url": format!("{url}/v1/idcard/verify"),
        "method": "POST",
        "factors": 2,
        "kinds": ["cn_resident"],
        "headers": {"Authorization": "APPCODE ${SHIMING_TEST_VERIFY_APPCODE}"},
        "body": {"realName": "{{name}}", "idCard": "{{idNumber}}", "orderNo": "{{reference}}", "version": 2},
        "result": {
            "pointer": "/result/code",
            "verified": ["1"],
            "failed": {"2": "verification_mismatch", "3": "verification_id_invalid"},
            "pending": ["9"],
            "reference": "/result/serial"
        }
    })
}

#[tokio::test]
async fn http_two_factors_verified_failed_and_unmapped() {
    let Some(stub) = stub(&["--require-header", "Authorization: APPCODE appcode-0123"]) else {
        return;
    };
    let (provider, _dir) = http_provider(&two_factors(&stub.url)).expect("valid");
    assert_eq!(provider.id(), "http");
    assert_eq!(
        provider.recipient(),
        "示例数据科技有限公司 (Example Data Co.)"
    );
    assert!(provider.supports("cn_resident") && !provider.supports("hk_id"));

    let p = person(20);
    stub.rule(json!({"match": p.id_number, "body": {"result": {"code": "1", "serial": "T-0001"}}}))
        .await;
    assert_eq!(
        provider.check(&p.subject()).await,
        Outcome::Verified {
            reference: Some("T-0001".into())
        }
    );
    let requests = stub.requests().await;
    assert_eq!(requests[0]["path"], "/v1/idcard/verify");
    assert_eq!(
        requests[0]["headers"]["authorization"],
        "APPCODE appcode-0123"
    );
    let sent: Value =
        serde_json::from_str(requests[0]["body"].as_str().expect("body")).expect("json");
    assert_eq!(
        sent,
        json!({"realName": p.name, "idCard": p.id_number, "orderNo": p.reference, "version": 2})
    );

    let cases: Vec<(Value, Outcome)> = vec![
        (
            json!({"body": {"result": {"code": "2"}}}),
            Outcome::Failed {
                code: "verification_mismatch",
            },
        ),
        (
            json!({"body": {"result": {"code": "3"}}}),
            Outcome::Failed {
                code: "verification_id_invalid",
            },
        ),
        (json!({"body": {"result": {"code": "9"}}}), Outcome::Pending),
        // Unmapped: a value no list has, a number where the mapping has a string... compared as text, so 1 is "1".
        (
            json!({"body": {"result": {"code": "4"}}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"body": {"result": {"code": 1, "serial": 77}}}),
            Outcome::Verified {
                reference: Some("77".into()),
            },
        ),
        (
            json!({"body": {"result": {"code": null}}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"body": {"result": {"message": "ok"}}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"body": {"code": "1"}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"raw": "<html>busy</html>"}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 500, "body": {"result": {"code": "1"}}}),
            unavailable("verification_provider_unavailable"),
        ),
        (
            json!({"status": 429, "body": {}}),
            Outcome::Unavailable {
                code: "verification_provider_busy",
                retry_after_secs: Some(60),
            },
        ),
        (
            json!({"status": 302, "body": {}}),
            unavailable("verification_provider_unavailable"),
        ),
    ];
    for (i, (answer, expected)) in cases.into_iter().enumerate() {
        let q = person(21 + i as u32);
        let mut rule = answer.clone();
        rule["match"] = json!(q.reference);
        stub.rule(rule).await;
        assert_eq!(
            provider.check(&q.subject()).await,
            expected,
            "answer {answer}"
        );
    }

    // A mapping without a query: pending stays pending, and nothing is sent.
    let before = stub.requests().await.len();
    assert_eq!(provider.query(&p.subject()).await, Outcome::Pending);
    assert_eq!(stub.requests().await.len(), before);

    // Another kind: nothing sent.
    let mut other = person(40);
    other.kind = "hk_id";
    assert_eq!(
        provider.check(&other.subject()).await,
        unavailable("verification_kind_unsupported")
    );
    assert_eq!(stub.requests().await.len(), before);
}

#[tokio::test]
async fn http_wrong_credentials_are_unavailable() {
    let Some(stub) = stub(&["--require-header", "Authorization: APPCODE appcode-0123"]) else {
        return;
    };
    let mut mapping = two_factors(&stub.url);
    mapping["headers"]["Authorization"] = json!("APPCODE ${SHIMING_TEST_VERIFY_WRONG}");
    let (provider, _dir) = http_provider(&mapping).expect("valid");
    assert_eq!(
        provider.check(&person(41).subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );
}

#[tokio::test]
async fn http_three_factors_form_encoded_and_signed() {
    let Some(stub) = stub(&[
        "--hmac-header",
        "X-Signature",
        "--hmac-secret",
        "hmac-secret-4567",
    ]) else {
        return;
    };
    let mapping = json!({
        "recipient": "Example Telecom Data Co.",
        "url": format!("{}/mobile/three", stub.url),
        "encoding": "form",
        "factors": 3,
        "kinds": ["cn_resident", "hk_macao_taiwan_residence_permit"],
        "body": {"name": "{{name}}", "idNo": "{{idNumber}}", "mobile": "{{phone}}"},
        "sign": {"header": "X-Signature", "secretEnv": "SHIMING_TEST_VERIFY_HMAC", "over": "body"},
        "timeoutMs": 2000,
        "result": {
            "pointer": "/data/result",
            "verified": [0],
            "failed": {"1": "verification_mismatch", "2": "verification_phone_mismatch"}
        }
    });
    let (provider, _dir) = http_provider(&mapping).expect("valid");
    assert!(provider.supports("hk_macao_taiwan_residence_permit"));

    let mut p = person(42);
    p.phone = Some("13800000000".into());
    stub.rule(json!({"match": "13800000000", "body": {"data": {"result": 0}}}))
        .await;
    assert_eq!(
        provider.check(&p.subject()).await,
        Outcome::Verified { reference: None }
    );
    let requests = stub.requests().await;
    assert_eq!(
        requests[0]["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
    let body = requests[0]["body"].as_str().expect("body");
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(body).expect("form");
    assert!(fields.contains(&("mobile".into(), "13800000000".into())));
    assert!(fields.contains(&("idNo".into(), p.id_number.clone())));
    assert!(fields.contains(&("name".into(), p.name.clone())));

    let mut q = person(43);
    q.phone = Some("13900000000".into());
    stub.rule(json!({"match": "13900000000", "body": {"data": {"result": 2}}}))
        .await;
    assert_eq!(
        provider.check(&q.subject()).await,
        Outcome::Failed {
            code: "verification_phone_mismatch"
        }
    );

    // Three factors without a phone: nothing sent.
    let before = stub.requests().await.len();
    assert_eq!(
        provider.check(&person(44).subject()).await,
        unavailable("verification_phone_missing")
    );
    assert_eq!(stub.requests().await.len(), before);

    // A late answer (timeoutMs 2000 in the mapping).
    let mut late = person(45);
    late.phone = Some("13700000000".into());
    stub.rule(json!({"match": "13700000000", "delayMs": 3000, "body": {"data": {"result": 0}}}))
        .await;
    let started = Instant::now();
    assert_eq!(
        provider.check(&late.subject()).await,
        unavailable("verification_provider_unavailable")
    );
    assert!(started.elapsed() < Duration::from_millis(2900));
}

#[tokio::test]
async fn http_a_wrong_signing_secret_is_unavailable() {
    let Some(stub) = stub(&["--hmac-header", "X-Signature", "--hmac-secret", "another"]) else {
        return;
    };
    let mut mapping = two_factors(&stub.url);
    mapping["headers"] = json!({});
    mapping["sign"] =
        json!({"header": "X-Signature", "secretEnv": "SHIMING_TEST_VERIFY_HMAC", "over": "body"});
    let (provider, _dir) = http_provider(&mapping).expect("valid");
    assert_eq!(
        provider.check(&person(46).subject()).await,
        unavailable("verification_provider_rejected_credentials")
    );
}

#[tokio::test]
async fn http_pending_then_a_query() {
    let Some(stub) = stub(&[]) else { return };
    let mut mapping = two_factors(&stub.url);
    mapping["headers"] = json!({});
    mapping["query"] = json!({
        "url": format!("{}/v1/idcard/result", stub.url),
        "body": {"orderNo": "{{reference}}"},
        "result": {"pointer": "/state", "verified": ["done"], "failed": {"no": "verification_failed"}, "pending": ["wait"]}
    });
    let (provider, _dir) = http_provider(&mapping).expect("valid");
    let p = person(47);
    stub.rule(json!({"match": p.id_number, "body": {"result": {"code": "9"}}}))
        .await;
    assert_eq!(provider.check(&p.subject()).await, Outcome::Pending);
    stub.rule(
        json!({"match": format!("{{\"orderNo\":\"{}\"}}", p.reference), "body": {"state": "wait"}}),
    )
    .await;
    assert_eq!(provider.query(&p.subject()).await, Outcome::Pending);
    stub.rule(
        json!({"match": format!("{{\"orderNo\":\"{}\"}}", p.reference), "body": {"state": "done"}}),
    )
    .await;
    assert_eq!(
        provider.query(&p.subject()).await,
        Outcome::Verified { reference: None }
    );
    let requests = stub.requests().await;
    assert_eq!(requests.len(), 3);
    // The query sends the reference only.
    assert_eq!(requests[2]["path"], "/v1/idcard/result");
    let sent: Value =
        serde_json::from_str(requests[2]["body"].as_str().expect("body")).expect("json");
    assert_eq!(sent, json!({"orderNo": p.reference}));
}

#[tokio::test]
async fn http_mapping_errors_are_start_up_errors() {
    init_env();
    let url = "https://verify.example.com";
    let error = |f: &dyn Fn(&mut Value)| {
        let mut mapping = two_factors(url);
        f(&mut mapping);
        http_provider(&mapping).err().expect("an error")
    };
    let e = error(&|m| {
        m["headers"]["Authorization"] = json!("APPCODE ${SHIMING_TEST_VERIFY_UNDEFINED}")
    });
    assert!(
        e.contains("SHIMING_TEST_VERIFY_UNDEFINED is not set") && e.contains("verify.json"),
        "{e}"
    );
    let e = error(&|m| {
        m["sign"] = json!({"header": "X-Sign", "secretEnv": "SHIMING_TEST_VERIFY_UNDEFINED", "over": "body"})
    });
    assert!(e.contains("SHIMING_TEST_VERIFY_UNDEFINED"), "{e}");
    assert!(error(&|m| m["url"] = json!("http://verify.example.com/x")).contains("https"));
    assert!(error(&|m| m["method"] = json!("GET")).contains("POST or PUT"));
    assert!(error(&|m| m["factors"] = json!(3)).contains("{{phone}}"));
    assert!(error(&|m| m["factors"] = json!(1)).contains("factors"));
    assert!(error(&|m| m["kinds"] = json!([])).contains("kinds"));
    assert!(error(&|m| m["result"]["failed"]["2"] = json!("wrong")).contains("not one of"));
    assert!(error(&|m| m["result"]["pointer"] = json!("result.code")).contains("pointer"));
    assert!(error(&|m| m["body"]["extra"] = json!("{{password}}")).contains("unknown placeholder"));
    assert!(error(&|m| m["recipient"] = json!("")).contains("recipient"));
    assert!(error(&|m| m["timeoutMs"] = json!(0)).contains("timeoutMs"));
    // The header's value (a credential) is never quoted.
    std::env::var("SHIMING_TEST_VERIFY_APPCODE").expect("set");
    let e = error(&|m| m["headers"]["Bad Name"] = json!("${SHIMING_TEST_VERIFY_APPCODE}"));
    assert!(!e.contains("appcode-0123"), "{e}");
    let e = error(&|m| m["headers"]["X-Key"] = json!("line\n${SHIMING_TEST_VERIFY_APPCODE}"));
    assert!(!e.contains("appcode-0123") && e.contains("X-Key"), "{e}");
    let missing = from_args(&VerifyArgs {
        verify_provider: ProviderKind::Http,
        verify_http_config: Some(PathBuf::from("/nonexistent/verify.json")),
        ..VerifyArgs::default()
    });
    assert!(missing
        .err()
        .expect("an error")
        .contains("/nonexistent/verify.json"));
}

/// The worked example of docs/verification.md does what the page says, against the stub.
#[tokio::test]
async fn http_the_documented_example_reads_as_documented() {
    let Some(stub) = stub(&["--require-header", "Authorization: APPCODE example-appcode"]) else {
        return;
    };
    let page = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/verification.md"),
    )
    .expect("docs/verification.md");
    let block = |fence: &str| -> String {
        let start = page.find(fence).expect("the fence") + fence.len();
        let end = start + page[start..].find("```").expect("its end");
        page[start..end].to_string()
    };
    let mut mapping: Value = serde_json::from_str(&block("```json\n")).expect("the mapping");
    assert_eq!(
        mapping["url"],
        "https://api.example-data.test/v2/mobile/three-factors"
    );
    mapping["url"] = json!(format!("{}/v2/mobile/three-factors", stub.url));
    let (provider, _dir) = http_provider(&mapping).expect("valid");
    assert_eq!(
        provider.recipient(),
        "Example Data Co. (示例数据科技有限公司)"
    );

    let p = Person {
        reference: "0123456789abcdef0123456789abcdef".into(),
        name: "测试甲".into(),
        id_number: "110105199001010205".into(),
        phone: Some("13800000000".into()),
        kind: "cn_resident",
    };
    assert_eq!(p.id_number, id_number(20));
    let answers: Vec<(Value, Outcome)> = vec![
        (
            json!({"body": {"code": 200, "data": {"result": "1", "orderNo": "A1"}}}),
            Outcome::Verified {
                reference: Some("A1".into()),
            },
        ),
        (
            json!({"body": {"code": 200, "data": {"result": "3"}}}),
            Outcome::Failed {
                code: "verification_phone_mismatch",
            },
        ),
        (
            json!({"body": {"code": 200, "data": {"result": "0"}}}),
            Outcome::Pending,
        ),
        (
            json!({"body": {"code": 500, "msg": "upstream error"}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"body": {"code": 200, "data": {"result": "5"}}}),
            unavailable("verification_provider_unexpected_answer"),
        ),
        (
            json!({"status": 502, "raw": "Bad Gateway"}),
            unavailable("verification_provider_unavailable"),
        ),
    ];
    for (answer, expected) in answers {
        let mut rule = answer.clone();
        rule["match"] = json!(p.reference);
        stub.rule(rule).await;
        assert_eq!(
            provider.check(&p.subject()).await,
            expected,
            "answer {answer}"
        );
    }
    // The request is the one the page shows.
    let http = block("```http\n");
    let documented_body = http.lines().last().expect("a body");
    let requests = stub.requests().await;
    assert_eq!(requests[0]["body"], documented_body);
    assert_eq!(
        requests[0]["headers"]["content-type"],
        "application/json; charset=utf-8"
    );
}
