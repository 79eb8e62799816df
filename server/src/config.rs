//! The command line. Every flag is also an environment variable (`SHIMING_` and the flag's name
//! in upper case, `-` as `_`; `PORT` and `HOST` too), and `--help` documents them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::faults::{parse_rate, FaultConfig};

#[derive(Parser, Debug)]
#[command(
    name = "shiming-server",
    version,
    about = "The reference backend of the shiming sync protocol: re-validates every registration and consent \
             with the shiming core, stores them on SQLite or PostgreSQL with personal data encrypted, and serves \
             the demo.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve (the default).
    Serve(ServeArgs),
    /// Manage the keys: `keys new` writes a new key file, `keys rotate` adds a data key and makes it
    /// the one new values are encrypted with (old values stay readable), `keys rotate-signing` adds
    /// an Ed25519 key that signs new receipts (old signatures still verify).
    Keys {
        #[arg(value_enum)]
        action: KeysAction,
        /// The key file (default: <data-dir>/keys.json).
        #[arg(long, env = "SHIMING_KEY_FILE")]
        key_file: Option<PathBuf>,
        #[arg(long, env = "SHIMING_DATA_DIR", default_value = "./var")]
        data_dir: PathBuf,
    },
    /// Store N synthetic accounts directly (for the benchmark's "accounts already stored"; made-up
    /// encrypted values, never real data).
    Seed {
        count: u64,
        #[command(flatten)]
        serve: ServeArgs,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum KeysAction {
    New,
    Rotate,
    RotateSigning,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: String,
    /// The port (0: any free port; the chosen one is printed).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,
    /// The data directory: the SQLite database (shiming.sqlite3) and, by default, the key file.
    #[arg(long, env = "SHIMING_DATA_DIR", default_value = "./var")]
    pub data_dir: String,
    /// A PostgreSQL database instead of SQLite (postgres://user@host/db). Several server
    /// instances may share one.
    #[arg(long, env = "SHIMING_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The admin bearer token (listing, any account). Without one, the first start creates one,
    /// stores only its hash and prints it once. An empty token is refused.
    #[arg(long, env = "SHIMING_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// The key file (default: <data-dir>/keys.json; created on first start). SHIMING_KEYS, if set,
    /// holds the key file's JSON itself and wins.
    #[arg(long, env = "SHIMING_KEY_FILE")]
    pub key_file: Option<PathBuf>,
    /// The document kinds registrations may use, comma-separated (default: the core's default,
    /// cn_resident,hk_macao_taiwan_residence_permit,foreign_permanent_resident).
    #[arg(long, env = "SHIMING_KINDS")]
    pub kinds: Option<String>,
    /// More Host names to answer for, comma-separated (`name` for any port, `name:port`). Always
    /// allowed: 127.0.0.1, localhost, [::1] and --host, on the listening port.
    #[arg(long, env = "SHIMING_ALLOWED_HOSTS", value_delimiter = ',')]
    pub allowed_hosts: Vec<String>,
    /// Static files: PREFIX=DIR, repeatable (default: /pkg/=pkg and /=www).
    #[arg(long = "mount", env = "SHIMING_MOUNT", value_delimiter = ',')]
    pub mounts: Vec<String>,
    /// Serve the static files only.
    #[arg(long, env = "SHIMING_NO_API")]
    pub no_api: bool,
    /// No per-request log lines.
    #[arg(long, env = "SHIMING_QUIET")]
    pub quiet: bool,
    /// Writes (POST, PUT, DELETE; not `POST …/evaluate`, which writes nothing) per second per client
    /// address; 0: no limit.
    #[arg(long, env = "SHIMING_WRITE_RATE", default_value_t = 50.0)]
    pub write_rate: f64,
    /// Writes a client may make at once before the rate applies.
    #[arg(long, env = "SHIMING_WRITE_BURST", default_value_t = 200.0)]
    pub write_burst: f64,
    /// Open connections at most; more are closed at once.
    #[arg(long, env = "SHIMING_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Seconds a request's headers, and then its body, may take to arrive.
    #[arg(long, env = "SHIMING_REQUEST_TIMEOUT_SECS", default_value_t = 10)]
    pub request_timeout_secs: u64,
    /// The agreement documents (manifest.json and texts; default: those compiled in).
    #[arg(long, env = "SHIMING_DOCUMENTS_DIR")]
    pub documents_dir: Option<String>,
    /// The minor-protection policy as a file (format 1; replaces the preset).
    #[arg(long, env = "SHIMING_POLICY_FILE")]
    pub policy_file: Option<String>,
    /// Days the audit log keeps its records (at least 180: 网络安全法 asks for six months of network
    /// logs, and the database refuses to delete a younger record whatever this says).
    #[arg(long, env = "SHIMING_AUDIT_RETENTION_DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(180..=36_500))]
    pub audit_retention_days: u32,
    /// Hours between two runs of the account audit (every account checked again under the rules in
    /// force, age bands recomputed, unused accounts reported); 0: only on demand
    /// (POST /api/_account-audits).
    #[arg(
        long,
        env = "SHIMING_ACCOUNT_AUDIT_INTERVAL_HOURS",
        default_value_t = 24
    )]
    pub account_audit_interval_hours: u32,
    /// Days without use after which the account audit reports an account as unused.
    #[arg(long, env = "SHIMING_UNUSED_AFTER_DAYS", default_value_t = 365,
          value_parser = clap::value_parser!(u32).range(30..=36_500))]
    pub unused_after_days: u32,
    /// Clean up unused accounts: the audit tells each holder by SMS (needs --sms-sender), and
    /// deletes the account like a cancellation once --unused-notice-days pass without use. Needs
    /// agreement texts that say so (a current manifest entry declares "unused-cleanup").
    #[arg(long, env = "SHIMING_UNUSED_CLEANUP")]
    pub unused_cleanup: bool,
    /// Days between the notice and the cleanup of an unused account.
    #[arg(long, env = "SHIMING_UNUSED_NOTICE_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(7..=3_650))]
    pub unused_notice_days: u32,
    /// The preset policy when no file is given: `cn-2024-content` (every platform that is not an
    /// online game), `cn-2024-games` (online games; the stricter, the default) or its alias
    /// `cn-2024`.
    #[arg(long, env = "SHIMING_POLICY_PRESET", default_value = "cn-2024-games")]
    pub policy_preset: String,
    /// Phone ownership by a one-time code: who sends the codes. `none` (the default): no codes
    /// (POST /api/phone-codes answers 404 phone_codes_disabled). `file`: each code is appended to
    /// --sms-outbox as a JSON line, for DEVELOPMENT AND TESTS ONLY (the file holds numbers and live
    /// codes). The codes never appear in logs or answers.
    #[arg(long, env = "SHIMING_SMS_SENDER", default_value = "none")]
    pub sms_sender: String,
    /// The file the `file` sender appends to (created mode 0600). Development and tests only.
    #[arg(long, env = "SHIMING_SMS_OUTBOX")]
    pub sms_outbox: Option<PathBuf>,
    /// The `http` sender's mapping (a JSON file: recipient, url, headers with ${ENV} secrets, body
    /// with {{phone}} {{e164}} {{code}} {{text}}, success pointer and values; docs/verification.md).
    #[arg(long, env = "SHIMING_SMS_HTTP_CONFIG")]
    pub sms_http_config: Option<PathBuf>,
    /// Refuse a registration whose phone was not confirmed by a code (422 phone_not_confirmed).
    /// Needs an SMS sender. Without it, registrations are stored either way and marked
    /// phoneConfirmed true or false.
    #[arg(long, env = "SHIMING_REQUIRE_PHONE_CONFIRMATION")]
    pub require_phone_confirmation: bool,
    /// Seconds a phone code is valid.
    #[arg(long, env = "SHIMING_PHONE_CODE_TTL_SECS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub phone_code_ttl_secs: u64,
    /// Seconds before the same number may be sent another code (also at most 5 an hour, 10 a day).
    #[arg(long, env = "SHIMING_PHONE_CODE_RESEND_SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub phone_code_resend_secs: u64,
    /// Codes one client address may have sent an hour, whatever the numbers (SMS pumping: one client
    /// sending to many numbers); per server instance; 0: no such limit. Behind a proxy every client
    /// has the proxy's address: raise it, or limit in the proxy.
    #[arg(long, env = "SHIMING_PHONE_CODE_CLIENT_LIMIT", default_value_t = 30)]
    pub phone_code_client_limit: u32,
    /// Seconds a confirmed phone stays good for a registration.
    #[arg(long, env = "SHIMING_PHONE_CONFIRMATION_TTL_SECS", default_value_t = 1800,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub phone_confirmation_ttl_secs: u64,
    /// Faults, for testing clients: the seed of their random streams.
    #[arg(long, env = "SHIMING_FAULT_SEED")]
    pub fault_seed: Option<u32>,
    /// Answer 500/503 to this share of API requests (0.1 or 10%).
    #[arg(long, env = "SHIMING_FAULT_FAIL")]
    pub fault_fail: Option<String>,
    /// The statuses of --fault-fail: 500, 503 or 500,503.
    #[arg(long, env = "SHIMING_FAULT_FAIL_STATUS", value_delimiter = ',')]
    pub fault_fail_status: Vec<u16>,
    /// Answer 429 to this share of API requests.
    #[arg(long = "fault-429", env = "SHIMING_FAULT_429")]
    pub fault_429: Option<String>,
    /// The Retry-After of --fault-429, in seconds.
    #[arg(long, env = "SHIMING_FAULT_RETRY_AFTER")]
    pub fault_retry_after: Option<u64>,
    /// Delay this share of API requests (after the key's claim).
    #[arg(long, env = "SHIMING_FAULT_DELAY")]
    pub fault_delay: Option<String>,
    /// The delay of --fault-delay, in milliseconds.
    #[arg(long, env = "SHIMING_FAULT_DELAY_MS")]
    pub fault_delay_ms: Option<u64>,
    /// Store, then close the connection without answering, for this share of API requests.
    #[arg(long, env = "SHIMING_FAULT_DROP")]
    pub fault_drop: Option<String>,
    /// Let the admin change the fault rates while the server runs (PUT /api/_faults). Tests only.
    #[arg(long, env = "SHIMING_FAULT_CONTROL")]
    pub fault_control: bool,
    #[command(flatten)]
    pub verify: crate::verify::VerifyArgs,
    /// Refuse a registration that the verification provider does not confirm (422
    /// sync_verification_failed), and hold one it cannot answer for now (503, the client retries);
    /// a pending account that fails later is frozen. Without it, results are recorded and shown.
    #[arg(long, env = "SHIMING_VERIFICATION_REQUIRED")]
    pub verification_required: bool,
}

impl ServeArgs {
    pub fn key_file_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(&self.data_dir).join("keys.json"))
    }

    /// The mounts as `(prefix, dir)`.
    pub fn mounts(&self) -> Vec<(String, PathBuf)> {
        if self.mounts.is_empty() {
            return vec![
                ("/pkg/".into(), PathBuf::from("pkg")),
                ("/".into(), PathBuf::from("www")),
            ];
        }
        self.mounts
            .iter()
            .filter_map(|m| m.split_once('='))
            .map(|(prefix, dir)| {
                let mut prefix = prefix.trim().to_string();
                if !prefix.starts_with('/') {
                    prefix.insert(0, '/');
                }
                if !prefix.ends_with('/') {
                    prefix.push('/');
                }
                (prefix, PathBuf::from(dir.trim()))
            })
            .collect()
    }

    pub fn lifecycle(&self) -> crate::lifecycle::Settings {
        crate::lifecycle::Settings {
            audit_interval_hours: self.account_audit_interval_hours,
            unused_after_days: self.unused_after_days,
            unused_cleanup: self.unused_cleanup,
            unused_notice_days: self.unused_notice_days,
        }
    }

    /// Phone ownership by a one-time code: `None` without a sender (the default).
    pub fn phone_codes(&self) -> Result<Option<crate::phone_codes::PhoneCodes>, String> {
        // The file sender keeps numbers and live codes in its outbox, which the privacy texts say
        // the server never keeps: a test server's only (`--fault-control` marks one).
        if self.sms_sender == "file" && !self.fault_control {
            return Err("--sms-sender file writes phone numbers and codes to a file, which the privacy texts say the \
                        server never keeps: it is for development and tests only, and needs --fault-control"
                .into());
        }
        let sender = crate::sms::from_args(
            &self.sms_sender,
            self.sms_outbox.as_deref(),
            self.sms_http_config.as_deref(),
        )?;
        match sender {
            None if self.require_phone_confirmation => Err(
                "--require-phone-confirmation needs an SMS sender (--sms-sender): without one no phone \
                 could be confirmed and nobody could register"
                    .into(),
            ),
            None => Ok(None),
            Some(sender) => Ok(Some(crate::phone_codes::PhoneCodes {
                sender,
                required: self.require_phone_confirmation,
                code_ttl_secs: self.phone_code_ttl_secs,
                resend_secs: self.phone_code_resend_secs,
                confirmation_ttl_secs: self.phone_confirmation_ttl_secs,
                per_client: crate::limits::RateLimiter::new(
                    f64::from(self.phone_code_client_limit) / 3600.0,
                    f64::from(self.phone_code_client_limit),
                ),
            })),
        }
    }

    pub fn fault_config(&self) -> Result<FaultConfig, String> {
        let mut config = FaultConfig::default();
        if let Some(seed) = self.fault_seed {
            config.seed = seed;
        }
        let rate = |value: &Option<String>, flag: &str| -> Result<f64, String> {
            value.as_deref().map_or(Ok(0.0), |v| {
                parse_rate(v).map_err(|e| format!("--{flag}: {e}"))
            })
        };
        config.fail_rate = rate(&self.fault_fail, "fault-fail")?;
        if !self.fault_fail_status.is_empty() {
            config.fail_statuses = self.fault_fail_status.clone();
        }
        config.throttle_rate = rate(&self.fault_429, "fault-429")?;
        if let Some(seconds) = self.fault_retry_after {
            config.retry_after = seconds;
        }
        config.delay_rate = rate(&self.fault_delay, "fault-delay")?;
        if let Some(ms) = self.fault_delay_ms {
            config.delay_ms = ms;
        }
        config.drop_rate = rate(&self.fault_drop, "fault-drop")?;
        config.validate()?;
        Ok(config)
    }
}
