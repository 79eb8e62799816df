//! The database: SQLite (WAL, the default) or PostgreSQL, through sqlx's `Any` driver, so that one
//! set of statements serves both (`$1` placeholders work in both). On SQLite the reads that plan a
//! POST and the writer's statements run in place on rusqlite connections instead
//! (`store/plan_reads.rs`, `store/writes.rs`: the same SQL, without a thread hop per statement).
//!
//! **Writes go through one writer task per server process, in group commits.** Each request's
//! write is a [`Op`] sent to the writer with a reply channel. The writer takes every operation
//! waiting (up to [`MAX_BATCH`]), runs each in its own savepoint inside one transaction, commits
//! once, and only then answers each: a 2xx is sent after the commit is durable (SQLite
//! `synchronous=FULL` in WAL mode fsyncs the log on commit; PostgreSQL's default
//! `synchronous_commit=on`), and one fsync covers a whole batch. When the commit fails (a full
//! disk, a lost connection, a deadlock between two instances) every operation of the batch answers
//! [`StoreError::Unavailable`]: the client retries with the same key, nothing was acknowledged.
//!
//! **Uniqueness and idempotency are constraints** (`UNIQUE` on the registration id, the blind
//! index of the document, the idempotency key, the receipt id), never in-process locks: several
//! server instances on one PostgreSQL stay exactly-once. An insert that loses a race
//! (`ON CONFLICT DO NOTHING` affected no row) reads what won and answers from it.
//!
//! **Deletion** (account cancellation) removes the registration, its receipts and its idempotency
//! records, and writes a tombstone, in one transaction. SQLite runs with `secure_delete=ON` (freed
//! content is overwritten with zeros) and the writer checkpoints and truncates the WAL after a
//! batch that deleted, so the bytes leave the files, not only the tables.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};
use tokio::sync::{mpsc, oneshot};

use crate::keys::Keys;
use shiming::{generate_test_id, Date, IdKind, TestIdSpec};

mod plan_reads;
mod writes;
pub(crate) use plan_reads::some;
pub use plan_reads::SqliteReaders;
use plan_reads::{placeholders, PlanReads, TOMBSTONED_SQL};
use writes::SqliteWriter;
pub(crate) use writes::{args, Arg, WriteConn};

/// The most operations one commit takes.
pub const MAX_BATCH: usize = 256;
/// Idempotency records of rejected requests are kept this long…
pub const REJECTED_TTL_MS: i64 = 24 * 3600 * 1000;
/// …and at most this many.
pub const REJECTED_MAX: i64 = 100_000;

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A write that could not be made durable: answer 503 and let the client retry.
#[derive(Debug)]
pub enum StoreError {
    Unavailable(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(kind) => write!(f, "storage unavailable ({kind})"),
        }
    }
}

/// The kind of a database error, for logs: never its message (it may quote a value).
pub fn error_kind(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => format!(
            "database error {}",
            db.code().map(|c| c.into_owned()).unwrap_or_default()
        ),
        sqlx::Error::Io(io) => format!("io error {:?}", io.kind()),
        sqlx::Error::PoolTimedOut => "pool timed out".into(),
        sqlx::Error::PoolClosed => "pool closed".into(),
        other => {
            let debug = format!("{other:?}");
            debug
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or("error")
                .to_string()
        }
    }
}

fn unavailable(e: &sqlx::Error) -> StoreError {
    StoreError::Unavailable(error_kind(e))
}

/// An answer to a POST: status and JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
    /// An idempotent replay of an earlier answer.
    pub replayed: bool,
}

/// An idempotency record to store with an answer.
#[derive(Clone, Debug)]
pub struct Idem {
    pub key: String,
    pub scope: &'static str,
    pub body_mac: Vec<u8>,
}

/// A verified receipt, ready to store.
#[derive(Clone, Debug)]
pub struct NewReceipt {
    pub receipt_id: String,
    pub subject: String,
    pub digest: String,
    pub consent_kind: String,
    pub doc_kind: String,
    pub doc_id: String,
    pub doc_version: String,
    pub withdraws: Option<String>,
    /// Exactly as posted.
    pub body: String,
}

/// A checked registration, ready to store. The personal data is already encrypted.
#[derive(Clone, Debug)]
pub struct NewRegistration {
    pub id: String,
    pub registration_id: String,
    pub identity_index: Vec<u8>,
    pub content_mac: Vec<u8>,
    pub token_hash: Vec<u8>,
    pub token_salt: Vec<u8>,
    pub kind: String,
    pub age_band: Option<String>,
    pub is_minor: Option<bool>,
    pub birth_date_source: Option<String>,
    /// The cited receipt ids, deduplicated, in the request's order.
    pub consents: Vec<String>,
    /// Document kinds that must be covered by current versions.
    pub required: Vec<String>,
    /// `(kind, id, version)` of the current documents.
    pub current: Vec<(String, String, String)>,
    /// For a child under 14: the `guardianId` the cited receipts must carry (the commitment to
    /// the guardian's document, `shiming::consent::receipt::guardian_reference`). Not stored.
    pub guardian_ref: Option<String>,
    pub client_time: Option<i64>,
    pub name_enc: Vec<u8>,
    pub id_number_enc: Vec<u8>,
    pub phone_enc: Vec<u8>,
    pub profile_enc: Vec<u8>,
    /// `unverified`, `pending`, `verified` or `failed` (`server/src/verification.rs`).
    pub verification_state: &'static str,
    /// The provider's answer (provider, time, code, reference), encrypted (column `verification`).
    pub verification_enc: Option<Vec<u8>>,
    /// When the verifier looks again at a `pending` account.
    pub verify_after: Option<i64>,
    /// The phone's blind index (`phone_codes::phone_index`) when the server offers phone codes;
    /// empty otherwise. Not stored with the registration: the key of its confirmation.
    pub phone_index: Vec<u8>,
    /// `--require-phone-confirmation`: refused (422 `phone_not_confirmed`) without a confirmation.
    pub phone_required: bool,
    /// When the phone was confirmed: the confirmation the plan found. The writer consumes it with
    /// the insert and records this time on the row (column `phone_confirmed_at`), or records none
    /// when another registration used it first.
    pub phone_confirmed_at: Option<i64>,
}

/// Who is asking, for the withdrawal rule.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub admin: bool,
    /// SHA-256 of the bearer token presented, if any.
    pub token_hash: Option<Vec<u8>>,
}

/// What the writer does. A POST is planned first on a read connection (`Store::submit_*`: the
/// key's record, tombstones, stored receipts, coverage), so that the single writer only inserts:
/// the fewer statements it runs per request, the more requests one commit carries.
pub enum Op {
    /// An answer decided without new data (a refusal, the same registration again): its
    /// idempotency record is stored, so that a replay gets it back.
    Remember {
        idem: Idem,
        status: u16,
        body: String,
        account_ref: Option<String>,
        /// Added to the answer (never stored): the account token of a registration's 200.
        token: Option<String>,
        now: i64,
    },
    /// Fresh receipts (verified, not stored when planned), and the answer `body` to give.
    Consents {
        idem: Idem,
        receipts: Vec<NewReceipt>,
        /// The tombstone keys of the receipts' `reg:` subjects, checked again by the writer.
        subject_macs: Vec<Vec<u8>>,
        account_ref: Option<String>,
        body: String,
        now: i64,
    },
    /// A registration whose consents covered it when planned.
    Registration {
        idem: Idem,
        registration: Box<NewRegistration>,
        /// HMAC of the registrationId (tombstones).
        registration_mac: Vec<u8>,
        now: i64,
    },
    Delete {
        id: String,
        now: i64,
        /// Who asked (`admin` or `account`), for the audit log.
        actor: &'static str,
    },
    /// Stores (replaces) a guardian's limits for an account; `None` removes them.
    SetLimits {
        id: String,
        /// The limits' JSON, encrypted (column `limits`).
        limits_enc: Option<Vec<u8>>,
        /// `account` or `admin`.
        by: &'static str,
        now: i64,
    },
    /// Drops the records of refused requests older than a day, and all but the newest `keep`; and
    /// the audit records older than `audit_before` (the database refuses any younger than 180 days).
    Prune {
        now: i64,
        keep: i64,
        audit_before: i64,
    },
    /// Appends a record to the audit log (an admin's read of accounts, say).
    Audit { entry: AuditEntry, now: i64 },
    /// A lifecycle change (`server/src/lifecycle.rs`): a freeze, the verifier's news, a use, an
    /// account audit's report; with its audit record.
    Lifecycle {
        change: crate::lifecycle::Change,
        now: i64,
    },
    /// A new one-time code for a phone (phone_codes.rs), unless the number's send limits refuse it:
    /// its keyed MAC replaces any earlier code of the number.
    PhoneCodeSend {
        /// The number's blind index.
        index: Vec<u8>,
        code_mac: Vec<u8>,
        now: i64,
        expires_at: i64,
        resend_ms: i64,
    },
    /// One try of a phone's code: counted; a match uses the code and records the confirmation.
    PhoneCodeConfirm {
        index: Vec<u8>,
        code_mac: Vec<u8>,
        now: i64,
        valid_until: i64,
    },
}

/// An idempotency record to insert with a write.
struct IdemInsert {
    key: String,
    scope: &'static str,
    body_mac: Vec<u8>,
    status: u16,
    body: String,
    account_ref: Option<String>,
    now: i64,
}

pub enum Reply {
    Answer(Answer),
    Deleted(bool),
    /// Whether the account exists (its limits were stored).
    LimitsSet(bool),
    Audited,
    Pruned(u64),
    /// Whether a lifecycle change changed an account.
    Changed(bool),
    Phone(crate::phone_codes::PhoneReply),
}

type ReplyTo = oneshot::Sender<Result<Reply, StoreError>>;

struct Job {
    op: Op,
    reply: ReplyTo,
}

/// A stored registration's columns (personal data still encrypted).
#[derive(Clone, Debug)]
pub struct RegistrationRow {
    pub id: String,
    pub registration_id: String,
    pub token_salt: Vec<u8>,
    pub kind: String,
    pub age_band: Option<String>,
    pub is_minor: Option<bool>,
    pub birth_date_source: Option<String>,
    pub consents: Vec<String>,
    pub created_at: i64,
    pub name_enc: Vec<u8>,
    pub id_number_enc: Vec<u8>,
    pub phone_enc: Vec<u8>,
    /// Birth date, gender, age and, for a child under 14, the guardian (encrypted JSON).
    pub profile_enc: Vec<u8>,
    pub verification_state: String,
    pub verification_enc: Option<Vec<u8>>,
    pub phone_confirmed_at: Option<i64>,
    pub frozen_at: Option<i64>,
    pub frozen_reason: Option<String>,
    pub last_seen_at: Option<i64>,
    pub unused_notified_at: Option<i64>,
}

/// A stored receipt, for an account's consent listing.
#[derive(Clone, Debug)]
pub struct ReceiptRow {
    pub receipt_id: String,
    pub server_time: i64,
    pub body: String,
    pub withdraws: Option<String>,
}

/// The shortest time an audit record is kept: six months (网络安全法 on network logs), 180 days. The
/// database's triggers refuse an earlier deletion too (migration 0003).
pub const AUDIT_MIN_RETENTION_MS: i64 = 180 * 86_400_000;

/// One record of the audit log: who, what, which account (its server id), never personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// `admin`, `account` (the account's own token) or `server`.
    pub actor: &'static str,
    /// `account.delete`, `limits.set`, `limits.clear`, `admin.list`, `admin.read`, `admin.audit`.
    pub action: &'static str,
    pub account: Option<String>,
    /// A non-personal detail (a listing's page size, say).
    pub detail: Option<String>,
}

impl AuditEntry {
    pub fn new(
        actor: &'static str,
        action: &'static str,
        account: Option<String>,
        detail: Option<String>,
    ) -> AuditEntry {
        AuditEntry {
            actor,
            action,
            account,
            detail,
        }
    }
}

/// A stored audit record.
#[derive(Clone, Debug)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub account: Option<String>,
    pub detail: Option<String>,
}

pub(crate) async fn insert_audit(
    conn: &mut impl WriteConn,
    entry: &AuditEntry,
    now: i64,
) -> Result<(), sqlx::Error> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, account, detail) VALUES ($1, $2, $3, $4, $5)",
        args![
            now,
            entry.actor,
            entry.action,
            entry.account.as_deref(),
            entry.detail.as_deref()
        ],
    )
    .await?;
    Ok(())
}

/// The store: a read pool, and the writer's queue.
#[derive(Clone)]
pub struct Store {
    pub backend: Backend,
    read: AnyPool,
    /// SQLite: the plans' reads in place (plan_reads.rs), instead of `read`'s connection threads.
    plan_readers: Option<Arc<SqliteReaders>>,
    writer: mpsc::Sender<Job>,
    keys: Arc<Keys>,
    /// The SQLite file (for the raw-bytes tests and the operator), if SQLite.
    pub sqlite_path: Option<PathBuf>,
}

/// Every SQLite connection's settings. The page cache is small and the file is mapped instead
/// (`mmap_size`): at every commit SQLite walks its whole cache's hash table, which with a 64 MiB
/// cache was 14% of the writer's time (perf), and readers drop their cache whenever the log
/// changed. Checkpoints are not the writer's (`wal_autocheckpoint` only as a backstop for a log
/// that [`checkpointer`] lets grow past about 400 MB): see there.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; \
     PRAGMA secure_delete = ON; PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192; \
     PRAGMA mmap_size = 1073741824; PRAGMA wal_autocheckpoint = 100000;";
/// How often [`checkpointer`] copies the log into the database file…
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);
/// …and when it does first, after the start.
const FIRST_CHECKPOINT: Duration = Duration::from_millis(50);

impl Store {
    /// Opens (and migrates) the database: `database_url` if given (PostgreSQL), else
    /// `<data_dir>/shiming.sqlite3`.
    pub async fn open(
        database_url: Option<&str>,
        data_dir: &Path,
        keys: Arc<Keys>,
    ) -> Result<Store, String> {
        sqlx::any::install_default_drivers();
        let (url, backend, sqlite_path) = match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                (url.to_string(), Backend::Postgres, None)
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = PathBuf::from(
                    url.trim_start_matches("sqlite://")
                        .trim_start_matches("sqlite:"),
                );
                (url.to_string(), Backend::Sqlite, Some(path))
            }
            Some(_) => return Err("--database-url must be postgres://… or sqlite:…".into()),
            None => {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    format!(
                        "cannot create the data directory {}: {e}",
                        data_dir.display()
                    )
                })?;
                restrict_dir(data_dir);
                let path = data_dir.join("shiming.sqlite3");
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Backend::Sqlite,
                    Some(path),
                )
            }
        };
        let options: AnyConnectOptions = url
            .parse()
            .map_err(|e| format!("--database-url is not valid: {}", error_kind(&e)))?;

        // A first connection: WAL (a setting of the file) and the migrations.
        let mut writer_conn = AnyConnection::connect_with(&options)
            .await
            .map_err(|e| format!("cannot open the database: {}", error_kind(&e)))?;
        if backend == Backend::Sqlite {
            Executor::execute(&mut writer_conn, "PRAGMA journal_mode = WAL;")
                .await
                .map_err(|e| format!("cannot switch SQLite to WAL: {}", error_kind(&e)))?;
            Executor::execute(&mut writer_conn, SQLITE_PRAGMAS)
                .await
                .map_err(|e| format!("cannot set SQLite's pragmas: {}", error_kind(&e)))?;
        }
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&mut writer_conn)
            .await
            .map_err(|e| format!("cannot migrate the database: {e}"))?;
        // This connection migrated; the writer makes its own on its own thread (below).
        let _ = Connection::close(writer_conn).await;
        if let Some(path) = &sqlite_path {
            restrict_file(path);
        }

        let read = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            // A SQLite connection is a file handle in this process: it cannot go stale the way a
            // network connection can, and the ping sqlx sends before every acquire costs a round
            // trip to the connection's thread (two context switches) per request. PostgreSQL
            // connections are still tested.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        Executor::execute(&mut *conn, SQLITE_PRAGMAS).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await
            .map_err(|e| format!("cannot open the database: {}", error_kind(&e)))?;

        // The writer runs on a thread of its own, with a runtime of its own: the next batch must
        // not wait behind the HTTP work queued on the server's runtime (measured: with the writer
        // on the shared runtime, throughput stopped at about 1,200 complete registrations/s with
        // half the machine idle). On PostgreSQL each statement is a round trip to the database;
        // on SQLite the statements run in place on this thread (store/writes.rs), fsync included,
        // which holds up nothing but the next batch. The same `writer_loop` serves both: the
        // channel, the group commit and the replies are the same code, and the runtime only ever
        // waits for the channel (and, on SQLite, for the short pauses between checkpoint tries
        // after a deletion).
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let (ready, started) = tokio::sync::oneshot::channel::<Result<(), String>>();
        let writer_keys = Arc::clone(&keys);
        let writer_options = options.clone();
        let writer_path = sqlite_path.clone();
        std::thread::Builder::new()
            .name("shiming-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready.send(Err(format!("cannot start the writer: {e}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match writer_path {
                        Some(path) => {
                            let checkpointed = path.clone();
                            let open = move || {
                                let path = path.clone();
                                async move { SqliteWriter::open(&path, SQLITE_PRAGMAS) }
                            };
                            let conn = match open().await {
                                Ok(conn) => conn,
                                Err(e) => {
                                    let _ = ready.send(Err(e));
                                    return;
                                }
                            };
                            // The checkpointer's thread ends when `_running` is dropped: when the
                            // writer's loop ends.
                            let (_running, stop) = std::sync::mpsc::channel::<()>();
                            if let Err(e) = std::thread::Builder::new()
                                .name("shiming-checkpointer".into())
                                .spawn(move || checkpointer(&checkpointed, &stop))
                            {
                                let _ = ready.send(Err(format!(
                                    "cannot start the checkpointer thread: {e}"
                                )));
                                return;
                            }
                            let _ = ready.send(Ok(()));
                            writer_loop(conn, open, rx, writer_keys, false).await;
                        }
                        None => {
                            let connect = move || {
                                let options = writer_options.clone();
                                async move {
                                    AnyConnection::connect_with(&options).await.map_err(|e| {
                                        format!("cannot open the database: {}", error_kind(&e))
                                    })
                                }
                            };
                            let conn = match connect().await {
                                Ok(conn) => conn,
                                Err(e) => {
                                    let _ = ready.send(Err(e));
                                    return;
                                }
                            };
                            let _ = ready.send(Ok(()));
                            writer_loop(conn, connect, rx, writer_keys, true).await;
                        }
                    }
                });
            })
            .map_err(|e| format!("cannot start the writer thread: {e}"))?;
        started
            .await
            .map_err(|_| "the writer thread stopped".to_string())??;
        let plan_readers = sqlite_path
            .as_deref()
            .map(|path| SqliteReaders::new(path, SQLITE_PRAGMAS));
        Ok(Store {
            backend,
            read,
            plan_readers,
            writer: tx,
            keys,
            sqlite_path,
        })
    }

    /// Runs a write through the writer (group commit); resolves after the commit.
    pub async fn write(&self, op: Op) -> Result<Reply, StoreError> {
        let (reply, wait) = oneshot::channel();
        self.writer
            .send(Job { op, reply })
            .await
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?;
        wait.await
            .map_err(|_| StoreError::Unavailable("writer stopped".into()))?
    }

    /// `POST /consents`: planned on a read connection, written by the writer; resolves after the
    /// commit (or with the replayed answer).
    pub async fn submit_consents(
        &self,
        idem: Idem,
        receipts: Vec<NewReceipt>,
        caller: &Caller,
        now: i64,
    ) -> Result<Answer, StoreError> {
        let plan = if let Some(readers) = &self.plan_readers {
            let mut reader = readers.get().map_err(|e| unavailable(&e))?;
            plan_consents(&mut reader, &idem, receipts, caller, now, &self.keys).await
        } else {
            let mut conn = self.read.acquire().await.map_err(|e| unavailable(&e))?;
            plan_consents(&mut *conn, &idem, receipts, caller, now, &self.keys).await
        }
        .map_err(|e| unavailable(&e))?;
        self.carry_out(plan).await
    }

    /// `POST /registrations`, as [`Store::submit_consents`].
    pub async fn submit_registration(
        &self,
        idem: Idem,
        registration: NewRegistration,
        registration_mac: Vec<u8>,
        now: i64,
    ) -> Result<Answer, StoreError> {
        let keys = &self.keys;
        let plan = if let Some(readers) = &self.plan_readers {
            let mut reader = readers.get().map_err(|e| unavailable(&e))?;
            plan_registration(
                &mut reader,
                &idem,
                registration,
                registration_mac,
                now,
                keys,
            )
            .await
        } else {
            let mut conn = self.read.acquire().await.map_err(|e| unavailable(&e))?;
            plan_registration(&mut *conn, &idem, registration, registration_mac, now, keys).await
        }
        .map_err(|e| unavailable(&e))?;
        self.carry_out(plan).await
    }

    /// A request refused before the database (its shape, its content): its answer, remembered
    /// for replays; or the answer already stored under its key.
    pub async fn submit_rejection(
        &self,
        idem: Idem,
        status: u16,
        body: String,
        now: i64,
    ) -> Result<Answer, StoreError> {
        let plan = if let Some(readers) = &self.plan_readers {
            let mut reader = readers.get().map_err(|e| unavailable(&e))?;
            plan_rejection(&mut reader, &idem, status, body, now, &self.keys).await
        } else {
            let mut conn = self.read.acquire().await.map_err(|e| unavailable(&e))?;
            plan_rejection(&mut *conn, &idem, status, body, now, &self.keys).await
        }
        .map_err(|e| unavailable(&e))?;
        self.carry_out(plan).await
    }

    async fn carry_out(&self, plan: Plan) -> Result<Answer, StoreError> {
        match plan {
            Plan::Answer(answer) => Ok(answer),
            Plan::Write(op) => match self.write(op).await? {
                Reply::Answer(answer) => Ok(answer),
                _ => Err(StoreError::Unavailable("unexpected reply".into())),
            },
        }
    }

    pub async fn meta(&self, name: &str) -> Result<Option<String>, String> {
        sqlx::query("SELECT value FROM meta WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.read)
            .await
            .map(|row| row.and_then(|r| r.try_get::<String, _>(0).ok()))
            .map_err(|e| error_kind(&e))
    }

    /// Sets `name` unless it is set; returns the value in force.
    pub async fn meta_init(&self, name: &str, value: &str) -> Result<String, String> {
        sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(value)
            .execute(&self.read)
            .await
            .map_err(|e| error_kind(&e))?;
        self.meta(name)
            .await?
            .ok_or_else(|| format!("meta {name} vanished"))
    }

    pub async fn meta_set(&self, name: &str, value: &str) -> Result<(), String> {
        sqlx::query(
            "INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = $2",
        )
        .bind(name)
        .bind(value)
        .execute(&self.read)
        .await
        .map(|_| ())
        .map_err(|e| error_kind(&e))
    }

    /// `(id, registration_id)` of the account whose token hashes to `hash`.
    pub async fn account_of_token(
        &self,
        hash: &[u8],
    ) -> Result<Option<(String, String)>, sqlx::Error> {
        let row =
            sqlx::query("SELECT id, registration_id FROM registrations WHERE token_hash = $1")
                .bind(hash.to_vec())
                .fetch_optional(&self.read)
                .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    /// The audit log, newest first, before `before` (a `seq`), at most `limit` records.
    pub async fn audit_log(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, account, detail FROM audit_log \
             WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    seq: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    account: r.try_get(4)?,
                    detail: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Whether a request with this key, or a registration with this id, is stored already (a
    /// registration that is not new is not verified again).
    pub async fn known(&self, key: &str, registration_id: &str) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM idempotency WHERE key = $1) \
             + (SELECT COUNT(*) FROM registrations WHERE registration_id = $2)",
        )
        .bind(key)
        .bind(registration_id)
        .fetch_one(&self.read)
        .await?;
        Ok(row.try_get::<i64, _>(0)? > 0)
    }

    /// The pending verifications that are due, oldest first, with their attempts so far.
    pub async fn due_verifications(
        &self,
        now: i64,
        limit: i64,
    ) -> Result<Vec<(RegistrationRow, i64)>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {REGISTRATION_COLUMNS}, verify_attempts FROM registrations \
             WHERE verify_after IS NOT NULL AND verify_after <= $1 ORDER BY verify_after LIMIT $2"
        ))
        .bind(now)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| Ok((registration_row(r)?, r.try_get::<i64, _>(20)?)))
            .collect()
    }

    /// The account audit's newest reports: `(seq, started_at, finished_at, trigger, report)`.
    pub async fn account_audits(
        &self,
        limit: i64,
    ) -> Result<Vec<(i64, i64, i64, String, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT seq, started_at, finished_at, trigger_kind, report FROM account_audits \
             ORDER BY seq DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                ))
            })
            .collect()
    }

    /// An account's guardian limits: `(encrypted JSON, updated_at, updated_by)`.
    pub async fn guardian_limits(
        &self,
        id: &str,
    ) -> Result<Option<(Vec<u8>, i64, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT limits_enc, updated_at, updated_by FROM guardian_limits WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .transpose()
    }

    pub async fn registration(&self, id: &str) -> Result<Option<RegistrationRow>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.read)
        .await?;
        row.map(|r| registration_row(&r)).transpose()
    }

    /// A page of the listing, oldest first, after `(created_at, id)`.
    pub async fn registrations(
        &self,
        after: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<RegistrationRow>, sqlx::Error> {
        let (at, id) = after.unwrap_or((i64::MIN, String::new()));
        let rows = sqlx::query(&format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations \
             WHERE created_at > $1 OR (created_at = $1 AND id > $2) \
             ORDER BY created_at, id LIMIT $3"
        ))
        .bind(at)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(registration_row).collect()
    }

    /// Idempotency records: `(all, of refused requests)`.
    pub async fn count_idempotency(&self) -> Result<(i64, i64), sqlx::Error> {
        let row = sqlx::query(
            "SELECT COUNT(*), (SELECT COUNT(*) FROM idempotency WHERE status >= 400) FROM idempotency",
        )
        .fetch_one(&self.read)
        .await?;
        Ok((row.try_get(0)?, row.try_get(1)?))
    }

    pub async fn count_registrations(&self) -> Result<i64, sqlx::Error> {
        sqlx::query("SELECT COUNT(*) FROM registrations")
            .fetch_one(&self.read)
            .await?
            .try_get(0)
    }

    /// Every receipt whose subject is `subject`, in the order stored.
    pub async fn receipts_of(&self, subject: &str) -> Result<Vec<ReceiptRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT receipt_id, server_time, body, withdraws FROM receipts WHERE subject = $1 ORDER BY seq",
        )
        .bind(subject)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReceiptRow {
                    receipt_id: r.try_get(0)?,
                    server_time: r.try_get(1)?,
                    body: r.try_get(2)?,
                    withdraws: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The stored receipt bodies of each of `subjects`, in the order stored (a page of the listing
    /// in a few queries, not one per account).
    pub async fn receipt_bodies_of(
        &self,
        subjects: &[String],
    ) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
        let mut found: HashMap<String, Vec<String>> = HashMap::new();
        for chunk in subjects.chunks(500) {
            let sql = format!(
                "SELECT subject, body FROM receipts WHERE subject IN ({}) ORDER BY seq",
                placeholders(1, chunk.len())
            );
            let mut query = sqlx::query(&sql);
            for subject in chunk {
                query = query.bind(subject);
            }
            for row in query.fetch_all(&self.read).await? {
                found
                    .entry(row.try_get(0)?)
                    .or_default()
                    .push(row.try_get(1)?);
            }
        }
        Ok(found)
    }

    /// Refreshes PostgreSQL's statistics of the server's tables (nothing on SQLite).
    pub async fn analyse(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        if let Err(e) = sqlx::query("ANALYZE receipts, idempotency, registrations, tombstones")
            .execute(&self.read)
            .await
        {
            tracing::warn!(error = %error_kind(&e), "ANALYZE failed");
        }
    }

    /// Whether the database answers (for the health check).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    /// Inserts `count` synthetic accounts directly (the benchmark's "1,000,000 accounts already
    /// stored"), in transactions of 10,000; made-up encrypted values, never real data.
    pub async fn seed(&self, count: u64, now: i64) -> Result<(), String> {
        let mut done = 0u64;
        while done < count {
            let n = (count - done).min(10_000);
            let mut conn = self.read.acquire().await.map_err(|e| error_kind(&e))?;
            let mut tx = Connection::begin(&mut *conn)
                .await
                .map_err(|e| error_kind(&e))?;
            for i in done..done + n {
                let id = format!("r_seed{i:018}");
                // Made-up values that decrypt and mask like real ones: a generated test number
                // (GB 11643 shape, check digit, a division in use), a placeholder name, the
                // customary sample phone. The blind index is of the synthetic id, so that seeded
                // accounts never collide with each other or block a real registration.
                let birth =
                    Date::from_days_since_epoch(3_650 + i64::try_from(i % 12_000).unwrap_or(0));
                let number = generate_test_id(&TestIdSpec {
                    kind: IdKind::CnResident,
                    birth_date: birth,
                    gender: None,
                    region: None,
                    seed: i,
                })
                .unwrap_or_default();
                let name_enc = self.keys.encrypt("name", &id, "测试用户".as_bytes());
                let number_enc = self.keys.encrypt("id_number", &id, number.as_bytes());
                let phone_enc = self.keys.encrypt("phone", &id, b"+8613800138000");
                let profile_enc = self.keys.encrypt("profile", &id, b"{}");
                let index = self.keys.index_mac("seed", id.as_bytes());
                sqlx::query(SEED_INSERT)
                    .bind(&id)
                    .bind(format!("seed-{i:012}"))
                    .bind(index.clone())
                    .bind(index.clone())
                    .bind(crate::keys::sha256(id.as_bytes()))
                    .bind(vec![0u8; 16])
                    .bind("cn_resident")
                    .bind(Some("adult".to_string()))
                    .bind(Some(0i64))
                    .bind(Some("document".to_string()))
                    .bind("[]")
                    .bind(None::<i64>)
                    .bind(now)
                    .bind(name_enc)
                    .bind(number_enc)
                    .bind(phone_enc)
                    .bind(profile_enc)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| error_kind(&e))?;
            }
            tx.commit().await.map_err(|e| error_kind(&e))?;
            done += n;
        }
        Ok(())
    }
}

#[derive(Clone, Debug)]
pub struct IdemRow {
    pub scope: String,
    pub body_mac: Vec<u8>,
    pub status: u16,
    pub body: String,
    pub account_ref: Option<String>,
}

pub(crate) const REGISTRATION_COLUMNS: &str = "id, registration_id, token_salt, kind, age_band, is_minor, \
    birth_date_source, consents, created_at, name_enc, id_number_enc, phone_enc, profile_enc, \
    verification_state, verification_enc, phone_confirmed_at, frozen_at, frozen_reason, last_seen_at, \
    unused_notified_at";

pub(crate) fn registration_row(r: &AnyRow) -> Result<RegistrationRow, sqlx::Error> {
    let consents: String = r.try_get(7)?;
    let is_minor: Option<i64> = r.try_get(5)?;
    Ok(RegistrationRow {
        id: r.try_get(0)?,
        registration_id: r.try_get(1)?,
        token_salt: r.try_get(2)?,
        kind: r.try_get(3)?,
        age_band: r.try_get(4)?,
        is_minor: is_minor.map(|m| m != 0),
        birth_date_source: r.try_get(6)?,
        consents: serde_json::from_str(&consents).unwrap_or_default(),
        created_at: r.try_get(8)?,
        name_enc: r.try_get(9)?,
        id_number_enc: r.try_get(10)?,
        phone_enc: r.try_get(11)?,
        profile_enc: r.try_get(12)?,
        verification_state: r.try_get(13)?,
        verification_enc: r.try_get(14)?,
        phone_confirmed_at: r.try_get(15)?,
        frozen_at: r.try_get(16)?,
        frozen_reason: r.try_get(17)?,
        last_seen_at: r.try_get(18)?,
        unused_notified_at: r.try_get(19)?,
    })
}

/// A registration's 21 values ([`INSERT_COLUMNS`]), in the order of the inserts below; `consents`
/// is [`consents_json`] of it.
fn registration_args<'a>(
    reg: &'a NewRegistration,
    consents: &'a str,
    now: i64,
) -> [Arg<'a>; INSERT_BINDS] {
    [
        Arg::from(&reg.id),
        Arg::from(&reg.registration_id),
        Arg::from(&reg.identity_index),
        Arg::from(&reg.content_mac),
        Arg::from(&reg.token_hash),
        Arg::from(&reg.token_salt),
        Arg::from(&reg.kind),
        Arg::from(reg.age_band.as_deref()),
        Arg::from(reg.is_minor.map(i64::from)),
        Arg::from(reg.birth_date_source.as_deref()),
        Arg::from(consents),
        Arg::from(reg.client_time),
        Arg::from(now),
        Arg::from(&reg.name_enc),
        Arg::from(&reg.id_number_enc),
        Arg::from(&reg.phone_enc),
        Arg::from(&reg.profile_enc),
        Arg::from(reg.verification_state),
        Arg::from(reg.verification_enc.as_deref()),
        Arg::from(reg.verify_after),
        Arg::from(reg.phone_confirmed_at),
    ]
}

/// The `consents` column of a registration: its cited receipt ids, as JSON.
fn consents_json(reg: &NewRegistration) -> String {
    serde_json::to_string(&reg.consents).unwrap_or_else(|_| "[]".into())
}

/// The columns a registration is inserted with ([`registration_args`]).
const INSERT_COLUMNS: &str = "id, registration_id, identity_index, content_mac, token_hash, \
    token_salt, kind, age_band, is_minor, birth_date_source, consents, client_time, created_at, \
    name_enc, id_number_enc, phone_enc, profile_enc, verification_state, verification_enc, \
    verify_after, phone_confirmed_at";
const INSERT_BINDS: usize = 21;

/// A seeded account: the first 17 columns (the rest take their defaults: unverified, not frozen).
const SEED_INSERT: &str = "INSERT INTO registrations (id, registration_id, identity_index, \
    content_mac, token_hash, token_salt, kind, age_band, is_minor, birth_date_source, consents, \
    client_time, created_at, name_enc, id_number_enc, phone_enc, profile_enc) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
    ON CONFLICT DO NOTHING";

/// The insert of a new registration, unless its registrationId has a tombstone (the last bind).
fn insert_registration_sql() -> String {
    format!(
        "INSERT INTO registrations ({INSERT_COLUMNS}) SELECT {} WHERE NOT EXISTS \
         (SELECT 1 FROM tombstones WHERE registration_mac = ${}) ON CONFLICT DO NOTHING",
        placeholders(1, INSERT_BINDS),
        INSERT_BINDS + 1
    )
}

#[cfg(unix)]
fn restrict_dir(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
}
#[cfg(unix)]
fn restrict_file(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}
#[cfg(not(unix))]
fn restrict_dir(_: &Path) {}
#[cfg(not(unix))]
fn restrict_file(_: &Path) {}

// ---- the writer --------------------------------------------------------------------------------

/// Takes every job waiting (up to [`MAX_BATCH`]) and runs them as one batch, on `conn`; after a
/// failed write, `connect` makes a new connection. `savepoints`: PostgreSQL (see [`run_batch`]).
async fn writer_loop<C, F>(
    mut conn: C,
    connect: impl Fn() -> F,
    mut rx: mpsc::Receiver<Job>,
    keys: Arc<Keys>,
    savepoints: bool,
) where
    C: WriteConn,
    F: std::future::Future<Output = Result<C, String>>,
{
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    // False after a failed write until a new connection is made: the old one is never trusted
    // again (see below), so until then every write answers 503.
    let mut healthy = true;
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        if !healthy {
            healthy = reconnect(&mut conn, &connect).await;
            if !healthy {
                for job in jobs {
                    let _ = job.reply.send(Err(StoreError::Unavailable(
                        "no database connection".into(),
                    )));
                }
                continue;
            }
        }
        let size = jobs.len();
        let started = std::time::Instant::now();
        let failed = run_batch(&mut conn, jobs, &keys, savepoints).await;
        tracing::debug!(
            jobs = size,
            us = started.elapsed().as_micros() as u64,
            "batch"
        );
        if failed {
            // After a failed write the connection's transaction state cannot be trusted: when a
            // COMMIT fails, SQLite has rolled the transaction back but the driver still counts it
            // as open, so the next batch would run inside a savepoint of a transaction that never
            // commits, and answer 2xx for writes that are never stored. The next batch gets a new
            // connection (closing the old one discards whatever it held), or answers 503.
            healthy = reconnect(&mut conn, &connect).await;
        }
    }
}

/// SQLite, after a deletion's commit: secure_delete zeroed the deleted rows' bytes in the pages;
/// the checkpoint writes those pages to the database file and truncates the log that held the old
/// ones. Readers may hold the log for a moment: try a few times (about a second).
async fn checkpoint_after_deletion(conn: &mut impl WriteConn) {
    for _ in 0..50 {
        // The first column is 1 when the checkpoint could not finish (a reader held the log).
        match conn
            .fetch_optional("PRAGMA wal_checkpoint(TRUNCATE)", args![], |row| {
                Ok(row.int(0)?.unwrap_or(1))
            })
            .await
        {
            Ok(Some(0)) => break,
            Ok(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            Err(e) => {
                tracing::warn!(error = %error_kind(&e), "checkpoint after a deletion failed");
                break;
            }
        }
    }
}

/// SQLite: copies the write-ahead log into the database file every [`CHECKPOINT_EVERY`], on a
/// connection and a thread of its own, beside the writer; returns when `stop`'s sender is dropped
/// (the writer's loop ended). A `PASSIVE` checkpoint neither waits for nor blocks the writer or
/// the readers; once everything is copied, the writer's next transaction starts the log from its
/// beginning again. Left to the writer (SQLite's auto-checkpoint runs inside the commit that
/// crosses the threshold), a checkpoint stalled every write of that batch: measured with 100,000
/// accounts, it made p99 about 4 times p90 and took a fifth of the commit time. Durability does
/// not depend on it: a commit is durable once the log is synced. (Not a task on the writer's
/// runtime: the writer runs its statements in place, so a task there would wait for a pause in
/// the writes.)
fn checkpointer(path: &Path, stop: &std::sync::mpsc::Receiver<()>) {
    let mut conn: Option<rusqlite::Connection> = None;
    let mut warned = false;
    // The first one shortly after the start, once the server's start-up writes (the meta rows,
    // the first prune) are in the log behind the migrations', so that the first requests' writes
    // start the log over: about when the first tick ran when the checkpointer was a task on the
    // writer's runtime (after opening its sqlx connection). Run at once, before those writes, the
    // log started over later, and on a nearly full disk fewer writes fit afterwards
    // (server-faults.test.mjs, the full disk: the admin listing's audit record no longer did).
    if !matches!(
        stop.recv_timeout(FIRST_CHECKPOINT),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout)
    ) {
        return;
    }
    loop {
        if conn.is_none() {
            match SqliteWriter::open(path, SQLITE_PRAGMAS) {
                Ok(fresh) => conn = Some(fresh.into_inner()),
                Err(e) => {
                    if !warned {
                        tracing::warn!(error = %e, "the checkpointer cannot open the database");
                        warned = true;
                    }
                }
            }
        }
        if let Some(c) = conn.as_ref() {
            match c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                Ok(()) => warned = false,
                Err(e) => {
                    // A full disk, an I/O error: the log keeps the data (and the writer's backstop
                    // checkpoints at its threshold); try again on a new connection.
                    if !warned {
                        let error = error_kind(&writes::sqlite_failure(e));
                        tracing::warn!(%error, "a checkpoint failed; the log keeps growing until one succeeds");
                        warned = true;
                    }
                    conn = None;
                }
            }
        }
        if !matches!(
            stop.recv_timeout(CHECKPOINT_EVERY),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        ) {
            return;
        }
    }
}

/// Replaces the writer's connection with a new one; false when none can be made.
async fn reconnect<C, F>(conn: &mut C, connect: &impl Fn() -> F) -> bool
where
    C: WriteConn,
    F: std::future::Future<Output = Result<C, String>>,
{
    match connect().await {
        Ok(fresh) => {
            let old = std::mem::replace(conn, fresh);
            old.close().await;
            tracing::warn!("the writer's connection was replaced after a failed write");
            true
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot reconnect the writer: writes answer 503 until it can");
            false
        }
    }
}

/// Runs a batch in one transaction; answers every job after the commit. Returns whether a
/// deletion was committed, and whether the database failed.
/// Runs a batch in one transaction and answers its jobs; true when a write failed.
async fn run_batch(
    conn: &mut impl WriteConn,
    jobs: Vec<Job>,
    keys: &Keys,
    savepoints: bool,
) -> bool {
    let mut results: Vec<(ReplyTo, Result<Reply, StoreError>)> = Vec::with_capacity(jobs.len());
    let mut records: Vec<IdemInsert> = Vec::new();
    let mut deleted = false;
    let mut failed = false;
    if let Err(e) = conn.begin().await {
        let error = error_kind(&e);
        tracing::warn!(%error, "cannot begin a transaction");
        for job in jobs {
            let _ = job.reply.send(Err(StoreError::Unavailable(error.clone())));
        }
        return true;
    }
    if !savepoints {
        // SQLite: this writer is the only one; the batch's inserts go in a few statements, and an
        // error of the database (a full disk, an I/O error) rolls the whole batch back.
        match sqlite_batch(conn, jobs, keys).await {
            Ok((done, batch_records, batch_deleted)) => {
                results = done;
                records = batch_records;
                deleted = batch_deleted;
            }
            Err((e, replies)) => {
                tracing::warn!(error = %error_kind(&e), jobs = replies.len(), "a write failed: the batch is rolled back and every write of it answers 503");
                let _ = conn.rollback().await;
                for reply in replies {
                    let _ = reply.send(Err(unavailable(&e)));
                }
                return true;
            }
        }
    } else {
        for job in jobs {
            let result = if savepoints {
                // PostgreSQL: an error aborts the transaction, and several instances race on the
                // constraints: each operation and its idempotency record in its own savepoint, so
                // that one failure costs one answer (503, and the client's retry replays the winner).
                match conn.begin().await {
                    Ok(()) => {
                        let done = match run_op(conn, &job.op, keys).await {
                            Ok((reply, Some(record))) => {
                                match insert_records(conn, std::slice::from_ref(&record)).await {
                                    Ok(()) => Ok(reply),
                                    Err(e) => Err(e),
                                }
                            }
                            Ok((reply, None)) => Ok(reply),
                            Err(e) => Err(e),
                        };
                        match done {
                            Ok(reply) => match conn.commit().await {
                                Ok(()) => Ok(reply),
                                Err(e) => {
                                    failed = true;
                                    Err(unavailable(&e))
                                }
                            },
                            Err(e) => {
                                failed = true;
                                let _ = conn.rollback().await;
                                Err(unavailable(&e))
                            }
                        }
                    }
                    Err(e) => {
                        failed = true;
                        Err(unavailable(&e))
                    }
                }
            } else {
                // SQLite: this writer is the only one, so an operation fails only when the database
                // does (a full disk, an I/O error), and then the whole batch is rolled back below.
                // The idempotency records of the batch go in one statement at its end.
                match run_op(conn, &job.op, keys).await {
                    Ok((reply, record)) => {
                        records.extend(record);
                        Ok(reply)
                    }
                    Err(e) => {
                        tracing::warn!(error = %error_kind(&e), "a write failed");
                        failed = true;
                        Err(unavailable(&e))
                    }
                }
            };
            if matches!(
                (&job.op, &result),
                (Op::Delete { .. }, Ok(Reply::Deleted(true)))
            ) {
                deleted = true;
            }
            results.push((job.reply, result));
        }
    }
    if !failed && !records.is_empty() {
        let t = std::time::Instant::now();
        let inserted = insert_records(conn, &records).await;
        tracing::debug!(
            us = t.elapsed().as_micros() as u64,
            rows = records.len(),
            "records insert"
        );
        if let Err(e) = inserted {
            tracing::warn!(error = %error_kind(&e), "the batch's idempotency records were not written");
            failed = true;
        }
    }
    if failed && !savepoints {
        let error = "an operation of the batch failed".to_string();
        tracing::warn!(
            jobs = results.len(),
            "a write failed: the batch is rolled back and every write of it answers 503"
        );
        let _ = conn.rollback().await;
        for (reply, _) in results {
            let _ = reply.send(Err(StoreError::Unavailable(error.clone())));
        }
        return true;
    }
    let committing = std::time::Instant::now();
    let committed = conn.commit().await;
    tracing::debug!(us = committing.elapsed().as_micros() as u64, "commit");
    match committed {
        Ok(()) => {
            if deleted && !savepoints {
                // SQLite: the deletion is answered once its bytes are gone from the files too.
                checkpoint_after_deletion(conn).await;
            }
            for (reply, result) in results {
                let _ = reply.send(result);
            }
            failed
        }
        Err(e) => {
            let error = error_kind(&e);
            tracing::warn!(%error, jobs = results.len(), "a group commit failed: every write of it answers 503");
            for (reply, _) in results {
                let _ = reply.send(Err(StoreError::Unavailable(error.clone())));
            }
            true
        }
    }
}

type Answered = Vec<(ReplyTo, Result<Reply, StoreError>)>;

/// A batch on SQLite: the operations in order, the inserts of consecutive POSTs grouped into one
/// statement per table (`sqlite_group`), deletions and pruning between groups as they come. An
/// error of the database fails the whole batch (the caller rolls it back and answers 503).
async fn sqlite_batch(
    conn: &mut impl WriteConn,
    jobs: Vec<Job>,
    keys: &Keys,
) -> Result<(Answered, Vec<IdemInsert>, bool), (sqlx::Error, Vec<ReplyTo>)> {
    let mut answered: Answered = Vec::with_capacity(jobs.len());
    let mut records = Vec::new();
    let mut deleted = false;
    let mut group: Vec<Job> = Vec::new();
    let mut jobs = jobs.into_iter();
    let fail =
        |e: sqlx::Error, answered: Answered, group: Vec<Job>, rest: std::vec::IntoIter<Job>| {
            let replies = answered
                .into_iter()
                .map(|(reply, _)| reply)
                .chain(group.into_iter().map(|job| job.reply))
                .chain(rest.map(|job| job.reply))
                .collect();
            (e, replies)
        };
    loop {
        let next = jobs.next();
        let flush = matches!(
            &next,
            None | Some(Job {
                op: Op::Delete { .. }
                    | Op::Prune { .. }
                    | Op::SetLimits { .. }
                    | Op::Audit { .. }
                    | Op::Lifecycle { .. }
                    | Op::PhoneCodeSend { .. }
                    | Op::PhoneCodeConfirm { .. },
                ..
            })
        );
        if flush && !group.is_empty() {
            let taken = std::mem::take(&mut group);
            match sqlite_group(conn, &taken, keys).await {
                Ok(outcomes) => {
                    for (job, (reply, record)) in taken.into_iter().zip(outcomes) {
                        records.extend(record);
                        answered.push((job.reply, reply));
                    }
                }
                Err(e) => {
                    let rest: Vec<Job> = next.into_iter().chain(jobs).collect();
                    return Err(fail(e, answered, taken, rest.into_iter()));
                }
            }
        }
        let Some(job) = next else { break };
        if flush {
            match run_op(conn, &job.op, keys).await {
                Ok((reply, record)) => {
                    if matches!(reply, Reply::Deleted(true)) {
                        deleted = true;
                    }
                    records.extend(record);
                    answered.push((job.reply, Ok(reply)));
                }
                Err(e) => {
                    answered.push((job.reply, Err(unavailable(&e))));
                    return Err(fail(e, answered, Vec::new(), jobs));
                }
            }
        } else {
            group.push(job);
        }
    }
    Ok((answered, records, deleted))
}

/// The outcome of one job of a group, and its idempotency record.
type Outcome = (Result<Reply, StoreError>, Option<IdemInsert>);

/// Consecutive POSTs of a batch on SQLite: every fresh receipt in one guarded insert, every new
/// registration in another (`RETURNING` says which rows went in), then each job's answer. A job
/// whose rows did not all go in is answered as `run_op` would: 410 for a tombstone, 422 for a
/// document that has an account, and for a race with another request (a receipt or a
/// registrationId stored meanwhile under another key) its rows are taken out again and it alone
/// answers 503, so that the client's retry finds what is stored.
async fn sqlite_group(
    conn: &mut impl WriteConn,
    jobs: &[Job],
    keys: &Keys,
) -> Result<Vec<Outcome>, sqlx::Error> {
    // Receipts: (job, receipt, tombstone key of its subject).
    let mut receipt_rows: Vec<(usize, &NewReceipt, Vec<u8>, i64)> = Vec::new();
    let mut registration_rows: Vec<(usize, &NewRegistration, &Vec<u8>, i64)> = Vec::new();
    for (j, job) in jobs.iter().enumerate() {
        match &job.op {
            Op::Consents { receipts, now, .. } => {
                for r in receipts {
                    let mac = subject_registration(&r.subject)
                        .map(|rid| registration_mac(keys, rid))
                        .unwrap_or_default();
                    receipt_rows.push((j, r, mac, *now));
                }
            }
            Op::Registration {
                registration,
                registration_mac,
                now,
                ..
            } => {
                registration_rows.push((j, registration, registration_mac, *now));
            }
            _ => {}
        }
    }
    let mut stored_receipts: std::collections::HashSet<String> = std::collections::HashSet::new();
    for chunk in receipt_rows.chunks(200) {
        let selects: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * 11;
                format!(
                    "SELECT ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${} \
                     WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE registration_mac = ${})",
                    n + 1,
                    n + 2,
                    n + 3,
                    n + 4,
                    n + 5,
                    n + 6,
                    n + 7,
                    n + 8,
                    n + 9,
                    n + 10,
                    n + 11
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO receipts (receipt_id, subject, digest, consent_kind, doc_kind, doc_id, doc_version, \
             withdraws, server_time, body) SELECT * FROM ({}) WHERE true ON CONFLICT DO NOTHING RETURNING receipt_id",
            selects.join(" UNION ALL ")
        );
        let mut values: Vec<Arg<'_>> = Vec::with_capacity(chunk.len() * 11);
        for (_, r, mac, now) in chunk {
            values.extend([
                Arg::from(&r.receipt_id),
                Arg::from(&r.subject),
                Arg::from(&r.digest),
                Arg::from(&r.consent_kind),
                Arg::from(&r.doc_kind),
                Arg::from(&r.doc_id),
                Arg::from(&r.doc_version),
                Arg::from(r.withdraws.as_deref()),
                Arg::from(*now),
                Arg::from(&r.body),
                Arg::from(mac),
            ]);
        }
        let t = std::time::Instant::now();
        for id in conn
            .fetch(&sql, &values, |row| some(row.text(0)?, 0))
            .await?
        {
            stored_receipts.insert(id);
        }
        tracing::debug!(
            us = t.elapsed().as_micros() as u64,
            rows = chunk.len(),
            "receipts insert"
        );
    }
    // Each registration's claim on its phone's confirmation, before the inserts (phone_codes.rs):
    // one refused for want of a required confirmation is not inserted.
    // A registration whose confirmation was used meanwhile is stored (and answered) as unconfirmed.
    let mut claims: HashMap<usize, crate::phone_codes::Claim> = HashMap::new();
    let mut changed: HashMap<usize, NewRegistration> = HashMap::new();
    for (j, reg, _, now) in &registration_rows {
        let claim = crate::phone_codes::claim(conn, reg, *now).await?;
        if let Some(reg) = claim.applied(reg) {
            changed.insert(*j, reg);
        }
        claims.insert(*j, claim);
    }
    let registration_rows: Vec<(usize, &NewRegistration, &Vec<u8>, i64)> = registration_rows
        .into_iter()
        .filter(|(j, ..)| claims.get(j) != Some(&crate::phone_codes::Claim::Refused))
        .map(|(j, reg, mac, now)| (j, changed.get(&j).unwrap_or(reg), mac, now))
        .collect();
    let mut stored_registrations: std::collections::HashSet<String> =
        std::collections::HashSet::new();
    for chunk in registration_rows.chunks(100) {
        let selects: Vec<String> = (0..chunk.len())
            .map(|i| {
                let n = i * (INSERT_BINDS + 1);
                format!(
                    "SELECT {} WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE registration_mac = ${})",
                    placeholders(n + 1, INSERT_BINDS),
                    n + INSERT_BINDS + 1
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO registrations ({INSERT_COLUMNS}) SELECT * FROM ({}) WHERE true \
             ON CONFLICT DO NOTHING RETURNING id",
            selects.join(" UNION ALL ")
        );
        let consents: Vec<String> = chunk
            .iter()
            .map(|(_, reg, ..)| consents_json(reg))
            .collect();
        let mut values: Vec<Arg<'_>> = Vec::with_capacity(chunk.len() * (INSERT_BINDS + 1));
        for ((_, reg, mac, now), consents) in chunk.iter().zip(&consents) {
            values.extend(registration_args(reg, consents, *now));
            values.push(Arg::from(*mac));
        }
        let t = std::time::Instant::now();
        for id in conn
            .fetch(&sql, &values, |row| some(row.text(0)?, 0))
            .await?
        {
            stored_registrations.insert(id);
        }
        tracing::debug!(
            us = t.elapsed().as_micros() as u64,
            rows = chunk.len(),
            "registrations insert"
        );
    }
    // A confirmation taken by a registration that did not go in goes back.
    for (j, reg, _, _) in &registration_rows {
        if !stored_registrations.contains(&reg.id) {
            if let Some(claim) = claims.get(j) {
                crate::phone_codes::restore(conn, reg, *claim).await?;
            }
        }
    }
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (j, job) in jobs.iter().enumerate() {
        let outcome: Outcome = match &job.op {
            Op::Remember { .. } => {
                let (reply, record) = run_op(conn, &job.op, keys).await?;
                (Ok(reply), record)
            }
            Op::Consents {
                idem,
                receipts,
                subject_macs,
                account_ref,
                body,
                now,
            } => {
                let mine: Vec<&str> = receipts
                    .iter()
                    .map(|r| r.receipt_id.as_str())
                    .filter(|id| stored_receipts.contains(*id))
                    .collect();
                if mine.len() == receipts.len() {
                    (
                        Ok(answer(201, body.clone())),
                        Some(record(idem, 201, body, account_ref.as_deref(), *now)),
                    )
                } else {
                    // Take out what went in, then: a tombstone (410), or a race (503).
                    for id in &mine {
                        conn.execute("DELETE FROM receipts WHERE receipt_id = $1", args![*id])
                            .await?;
                        stored_receipts.remove(*id);
                    }
                    let mut gone = false;
                    for mac in subject_macs.iter().filter(|m| !m.is_empty()) {
                        gone = gone || tombstoned(conn, mac).await?;
                    }
                    if gone {
                        let body = issues(
                            serde_json::json!(["receipts", 0]),
                            "sync_account_deleted",
                            serde_json::json!({}),
                        );
                        (
                            Ok(answer(410, body.clone())),
                            Some(record(idem, 410, &body, account_ref.as_deref(), *now)),
                        )
                    } else {
                        (Err(StoreError::Unavailable("receipt race".into())), None)
                    }
                }
            }
            Op::Registration {
                idem,
                registration: reg,
                registration_mac,
                now,
            } => {
                let rid = reg.registration_id.as_str();
                let reg = changed.get(&j).unwrap_or(reg);
                if claims.get(&j) == Some(&crate::phone_codes::Claim::Refused) {
                    let body = crate::phone_codes::not_confirmed_body();
                    (
                        Ok(answer(422, body.clone())),
                        Some(record(idem, 422, &body, Some(rid), *now)),
                    )
                } else if stored_registrations.contains(&reg.id) {
                    let body = crate::api::registration_answer(&reg.id, rid, *now, None, Some(reg));
                    let stored = record(idem, 201, &body, Some(rid), *now);
                    let token = keys.account_token(&reg.id, &reg.token_salt);
                    (
                        Ok(answer(201, crate::api::with_token(&body, &token))),
                        Some(stored),
                    )
                } else if tombstoned(conn, registration_mac).await? {
                    let body = issues(
                        serde_json::json!(["registrationId"]),
                        "sync_account_deleted",
                        serde_json::json!({}),
                    );
                    (
                        Ok(answer(410, body.clone())),
                        Some(record(idem, 410, &body, Some(rid), *now)),
                    )
                } else if conn.exists(REGISTRATION_ID_TAKEN_SQL, args![rid]).await? {
                    (
                        Err(StoreError::Unavailable("registration race".into())),
                        None,
                    )
                } else {
                    let body = issues(
                        serde_json::json!(["form", "idNumber"]),
                        "sync_already_registered",
                        serde_json::json!({}),
                    );
                    (
                        Ok(answer(422, body.clone())),
                        Some(record(idem, 422, &body, Some(rid), *now)),
                    )
                }
            }
            Op::Delete { .. }
            | Op::Prune { .. }
            | Op::SetLimits { .. }
            | Op::Audit { .. }
            | Op::Lifecycle { .. }
            | Op::PhoneCodeSend { .. }
            | Op::PhoneCodeConfirm { .. } => {
                (Err(StoreError::Unavailable("not a POST".into())), None)
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Inserts idempotency records, many rows per statement; every one must be new (a key another
/// instance stored meanwhile fails the write: 503, and the retry replays that instance's answer).
async fn insert_records(
    conn: &mut impl WriteConn,
    records: &[IdemInsert],
) -> Result<(), sqlx::Error> {
    // 7 values a row; 100 rows stay far below both databases' limits on parameters.
    for chunk in records.chunks(100) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 7 + 1, 7)))
            .collect();
        let sql = format!(
            "INSERT INTO idempotency (key, scope, body_mac, status, body, account_ref, created_at) \
             VALUES {} ON CONFLICT DO NOTHING",
            rows.join(", ")
        );
        let mut values: Vec<Arg<'_>> = Vec::with_capacity(chunk.len() * 7);
        for r in chunk {
            values.extend([
                Arg::from(&r.key),
                Arg::from(r.scope),
                Arg::from(&r.body_mac),
                Arg::from(i64::from(r.status)),
                Arg::from(&r.body),
                Arg::from(r.account_ref.as_deref()),
                Arg::from(r.now),
            ]);
        }
        let done = conn.execute(&sql, &values).await?;
        if done != chunk.len() as u64 {
            return Err(sqlx::Error::Protocol("idempotency race".into()));
        }
    }
    Ok(())
}

fn issues(path: serde_json::Value, code: &str, params: serde_json::Value) -> String {
    serde_json::json!({ "issues": [{ "path": path, "code": code, "params": params }] }).to_string()
}

fn answer(status: u16, body: String) -> Reply {
    Reply::Answer(Answer {
        status,
        body,
        replayed: false,
    })
}

/// The answer to a key seen before: its original answer (a replay; a registration's with the
/// account's token derived again), or 422 `sync_idempotency_key_reused` for another body.
async fn replay<R: PlanReads>(
    reads: &mut R,
    idem: &Idem,
    row: IdemRow,
    keys: &Keys,
) -> Result<Reply, sqlx::Error> {
    if row.scope != idem.scope
        || !bool::from(subtle::ConstantTimeEq::ct_eq(
            &row.body_mac[..],
            &idem.body_mac[..],
        ))
    {
        return Ok(answer(
            422,
            issues(
                serde_json::json!(["headers", "Idempotency-Key"]),
                "sync_idempotency_key_reused",
                serde_json::json!({}),
            ),
        ));
    }
    let mut body = row.body;
    if row.scope == crate::api::SCOPE_REGISTRATIONS && (200..300).contains(&row.status) {
        if let Some(registration_id) = &row.account_ref {
            if let Some((id, salt)) = reads.account_of(registration_id).await? {
                body = crate::api::with_token(&body, &keys.account_token(&id, &salt));
            }
        }
    }
    Ok(Reply::Answer(Answer {
        status: row.status,
        body,
        replayed: true,
    }))
}

async fn tombstoned(conn: &mut impl WriteConn, mac: &[u8]) -> Result<bool, sqlx::Error> {
    conn.exists(TOMBSTONED_SQL, args![mac]).await
}

/// Removes an account's guardian limits.
const GUARDIAN_LIMITS_DELETE_SQL: &str = "DELETE FROM guardian_limits WHERE id = $1";

/// Whether a registration has this registrationId.
const REGISTRATION_ID_TAKEN_SQL: &str = "SELECT 1 FROM registrations WHERE registration_id = $1";

/// A registration id's HMAC (the tombstone's key).
pub fn registration_mac(keys: &Keys, registration_id: &str) -> Vec<u8> {
    keys.index_mac("registration-id", registration_id.as_bytes())
}

fn record(idem: &Idem, status: u16, body: &str, account_ref: Option<&str>, now: i64) -> IdemInsert {
    IdemInsert {
        key: idem.key.clone(),
        scope: idem.scope,
        body_mac: idem.body_mac.clone(),
        status,
        body: body.to_string(),
        account_ref: account_ref.map(str::to_string),
        now,
    }
}

async fn run_op(
    conn: &mut impl WriteConn,
    op: &Op,
    keys: &Keys,
) -> Result<(Reply, Option<IdemInsert>), sqlx::Error> {
    match op {
        Op::Remember {
            idem,
            status,
            body,
            account_ref,
            token,
            now,
        } => {
            let answer_body = match token {
                Some(token) => crate::api::with_token(body, token),
                None => body.clone(),
            };
            Ok((
                answer(*status, answer_body),
                Some(record(idem, *status, body, account_ref.as_deref(), *now)),
            ))
        }
        Op::Consents {
            idem,
            receipts,
            subject_macs,
            account_ref,
            body,
            now,
        } => {
            // One statement: the receipts, unless a subject was deleted since the plan. Nothing
            // inserted and a tombstone found: 410, as the plan would have said.
            let macs: Vec<&Vec<u8>> = subject_macs.iter().filter(|m| !m.is_empty()).collect();
            if !insert_receipts(conn, receipts, &macs, *now).await? {
                let body = issues(
                    serde_json::json!(["receipts", 0]),
                    "sync_account_deleted",
                    serde_json::json!({}),
                );
                return Ok((
                    answer(410, body.clone()),
                    Some(record(idem, 410, &body, account_ref.as_deref(), *now)),
                ));
            }
            Ok((
                answer(201, body.clone()),
                Some(record(idem, 201, body, account_ref.as_deref(), *now)),
            ))
        }
        Op::Registration {
            idem,
            registration,
            registration_mac,
            now,
        } => insert_registration(conn, idem, registration, registration_mac, *now, keys).await,
        Op::Delete { id, now, actor } => {
            let registration_id = conn
                .fetch_optional(
                    "SELECT registration_id FROM registrations WHERE id = $1",
                    args![id],
                    |row| some(row.text(0)?, 0),
                )
                .await?;
            let Some(registration_id) = registration_id else {
                return Ok((Reply::Deleted(false), None));
            };
            let subject = format!("reg:{registration_id}");
            conn.execute("DELETE FROM registrations WHERE id = $1", args![id])
                .await?;
            conn.execute("DELETE FROM receipts WHERE subject = $1", args![&subject])
                .await?;
            conn.execute(
                "DELETE FROM idempotency WHERE account_ref = $1",
                args![&registration_id],
            )
            .await?;
            conn.execute(GUARDIAN_LIMITS_DELETE_SQL, args![id]).await?;
            let mac = registration_mac(keys, &registration_id);
            conn.execute(
                "INSERT INTO tombstones (registration_mac, deleted_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                args![&mac, *now],
            )
            .await?;
            let entry = AuditEntry::new(actor, "account.delete", Some(id.clone()), None);
            insert_audit(conn, &entry, *now).await?;
            Ok((Reply::Deleted(true), None))
        }
        Op::SetLimits {
            id,
            limits_enc,
            by,
            now,
        } => {
            let exists = conn
                .exists("SELECT 1 FROM registrations WHERE id = $1", args![id])
                .await?;
            if !exists {
                return Ok((Reply::LimitsSet(false), None));
            }
            match limits_enc {
                Some(enc) => {
                    conn.execute(
                        "INSERT INTO guardian_limits (id, limits_enc, updated_at, updated_by) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET \
                         limits_enc = excluded.limits_enc, updated_at = excluded.updated_at, \
                         updated_by = excluded.updated_by",
                        args![id, enc, *now, *by],
                    )
                    .await?;
                }
                None => {
                    conn.execute(GUARDIAN_LIMITS_DELETE_SQL, args![id]).await?;
                }
            }
            let action = if limits_enc.is_some() {
                "limits.set"
            } else {
                "limits.clear"
            };
            insert_audit(
                conn,
                &AuditEntry::new(by, action, Some(id.clone()), None),
                *now,
            )
            .await?;
            Ok((Reply::LimitsSet(true), None))
        }
        Op::Audit { entry, now } => {
            insert_audit(conn, entry, *now).await?;
            Ok((Reply::Audited, None))
        }
        Op::Lifecycle { change, now } => Ok((
            Reply::Changed(crate::lifecycle::apply(conn, change, *now).await?),
            None,
        )),
        Op::Prune {
            now,
            keep,
            audit_before,
        } => {
            // Older than the retention only; the database itself refuses any younger than 180 days.
            let before = (*audit_before).min(*now - AUDIT_MIN_RETENTION_MS);
            conn.execute("DELETE FROM audit_log WHERE at < $1", args![before])
                .await?;
            // The account audit's reports (account numbers, bands) are kept as long as the log.
            conn.execute(
                "DELETE FROM account_audits WHERE finished_at < $1",
                args![before],
            )
            .await?;
            let old = conn
                .execute(
                    "DELETE FROM idempotency WHERE status >= 400 AND created_at < $1",
                    args![now - REJECTED_TTL_MS],
                )
                .await?;
            let over = conn
                .execute(
                    "DELETE FROM idempotency WHERE status >= 400 AND created_at <= \
                     (SELECT created_at FROM idempotency WHERE status >= 400 ORDER BY created_at DESC LIMIT 1 OFFSET $1)",
                    args![*keep],
                )
                .await?;
            crate::phone_codes::prune(conn, *now).await?;
            Ok((Reply::Pruned(old + over), None))
        }
        Op::PhoneCodeSend {
            index,
            code_mac,
            now,
            expires_at,
            resend_ms,
        } => {
            let reply =
                crate::phone_codes::run_send(conn, index, code_mac, *now, *expires_at, *resend_ms)
                    .await?;
            Ok((Reply::Phone(reply), None))
        }
        Op::PhoneCodeConfirm {
            index,
            code_mac,
            now,
            valid_until,
        } => {
            let reply =
                crate::phone_codes::run_confirm(conn, index, code_mac, *now, *valid_until).await?;
            Ok((Reply::Phone(reply), None))
        }
    }
}

struct StoredReceipt {
    subject: String,
    digest: String,
    server_time: i64,
    /// The receipt as stored (countersigned, for receipts stored since signatures).
    body: String,
}

fn subject_registration(subject: &str) -> Option<&str> {
    subject.strip_prefix("reg:")
}

fn problem(path: serde_json::Value, code: &str, params: serde_json::Value) -> serde_json::Value {
    serde_json::json!({ "path": path, "code": code, "params": params })
}

/// What a POST's plan decided.
enum Plan {
    /// The key was seen before: its answer (a replay, or 422 reused). Nothing is written.
    Answer(Answer),
    /// Something to write (and its idempotency record).
    Write(Op),
}

async fn replayed<R: PlanReads>(
    reads: &mut R,
    idem: &Idem,
    row: IdemRow,
    keys: &Keys,
) -> Result<Plan, sqlx::Error> {
    match replay(reads, idem, row, keys).await? {
        Reply::Answer(answer) => Ok(Plan::Answer(answer)),
        _ => Err(sqlx::Error::Protocol("not an answer".into())),
    }
}

fn remember(idem: &Idem, status: u16, body: String, account_ref: Option<String>, now: i64) -> Plan {
    Plan::Write(Op::Remember {
        idem: idem.clone(),
        status,
        body,
        account_ref,
        token: None,
        now,
    })
}

/// `POST /consents`, planned on a read connection: the key's record, tombstones, withdrawal
/// targets and their owners, receipt id conflicts. Refusals: 410 (a deleted account's subject),
/// 404 (a withdrawal of a receipt never stored), 403 (a withdrawal of another subject's receipt,
/// or of a registered account's without its token), 422 (a receipt id stored with another
/// digest); a refusal stores nothing but its idempotency record. The fresh receipts go to the
/// writer, which checks the tombstones again and inserts them in one statement.
/// A request refused before the database: the answer stored under its key (a replay), or its own
/// answer to remember.
async fn plan_rejection<R: PlanReads>(
    reads: &mut R,
    idem: &Idem,
    status: u16,
    body: String,
    now: i64,
    keys: &Keys,
) -> Result<Plan, sqlx::Error> {
    match reads.idem_record(&idem.key).await? {
        Some(row) => replayed(reads, idem, row, keys).await,
        None => Ok(remember(idem, status, body, None, now)),
    }
}

async fn plan_consents<R: PlanReads>(
    reads: &mut R,
    idem: &Idem,
    receipts: Vec<NewReceipt>,
    caller: &Caller,
    now: i64,
    keys: &Keys,
) -> Result<Plan, sqlx::Error> {
    let account_ref = receipts
        .first()
        .and_then(|r| subject_registration(&r.subject))
        .map(str::to_string);
    // Every receipt id of the batch and every withdrawn one.
    let mut ids: Vec<&str> = receipts.iter().map(|r| r.receipt_id.as_str()).collect();
    ids.extend(receipts.iter().filter_map(|r| r.withdraws.as_deref()));
    ids.sort_unstable();
    ids.dedup();
    // The key's record, the first subject's tombstone and the stored receipts among `ids`, in one
    // query (plan_reads.rs).
    let first_mac = account_ref
        .as_deref()
        .map(|rid| registration_mac(keys, rid))
        .unwrap_or_default();
    let head = reads.consents_head(&first_mac, &idem.key, &ids).await?;
    if let Some(record) = head.record {
        return replayed(reads, idem, record, keys).await;
    }
    let first_tombstoned = head.first_tombstoned;
    let stored = head.stored;
    // Every distinct subject, with its tombstone key (empty for a subject that is no `reg:`).
    let mut subjects: Vec<(&str, Vec<u8>)> = Vec::new();
    for receipt in &receipts {
        if !subjects.iter().any(|(s, _)| *s == receipt.subject) {
            let mac = subject_registration(&receipt.subject)
                .map(|rid| registration_mac(keys, rid))
                .unwrap_or_default();
            subjects.push((&receipt.subject, mac));
        }
    }
    for (n, (subject, mac)) in subjects.iter().enumerate() {
        if mac.is_empty() {
            continue;
        }
        let gone = if n == 0 && account_ref.is_some() {
            first_tombstoned
        } else {
            reads.tombstoned(mac).await?
        };
        if gone {
            let i = receipts
                .iter()
                .position(|r| r.subject == *subject)
                .unwrap_or(0);
            let body = issues(
                serde_json::json!(["receipts", i]),
                "sync_account_deleted",
                serde_json::json!({}),
            );
            return Ok(remember(idem, 410, body, account_ref, now));
        }
    }
    let mut in_batch: HashMap<&str, &NewReceipt> = HashMap::new();
    let mut conflicts = Vec::new();
    for (i, receipt) in receipts.iter().enumerate() {
        if let Some(target) = &receipt.withdraws {
            let target_subject = in_batch
                .get(target.as_str())
                .map(|r| r.subject.as_str())
                .or_else(|| stored.get(target.as_str()).map(|r| r.subject.as_str()));
            let Some(target_subject) = target_subject else {
                let body = issues(
                    serde_json::json!(["receipts", i, "withdraws"]),
                    "sync_not_found",
                    serde_json::json!({}),
                );
                return Ok(remember(idem, 404, body, account_ref, now));
            };
            if target_subject != receipt.subject {
                let body = issues(
                    serde_json::json!(["receipts", i, "withdraws"]),
                    "sync_forbidden",
                    serde_json::json!({}),
                );
                return Ok(remember(idem, 403, body, account_ref, now));
            }
            if let Some(registration_id) = subject_registration(&receipt.subject) {
                if let Some(token_hash) = reads.owner_token_hash(registration_id).await? {
                    let own = caller.token_hash.as_ref().is_some_and(|h| {
                        bool::from(subtle::ConstantTimeEq::ct_eq(&h[..], &token_hash[..]))
                    });
                    if !(caller.admin || own) {
                        let body = issues(
                            serde_json::json!(["receipts", i]),
                            "sync_forbidden",
                            serde_json::json!({}),
                        );
                        return Ok(remember(idem, 403, body, account_ref, now));
                    }
                }
            }
        }
        let earlier_digest = in_batch
            .get(receipt.receipt_id.as_str())
            .map(|r| r.digest.as_str())
            .or_else(|| stored.get(&receipt.receipt_id).map(|r| r.digest.as_str()));
        match earlier_digest {
            Some(digest) if digest != receipt.digest => conflicts.push(problem(
                serde_json::json!(["receipts", i, "consentReceiptID"]),
                "sync_receipt_conflict",
                serde_json::json!({}),
            )),
            Some(_) => {}
            None => {
                in_batch.insert(&receipt.receipt_id, receipt);
            }
        }
    }
    if !conflicts.is_empty() {
        let body = serde_json::json!({ "issues": conflicts }).to_string();
        return Ok(remember(idem, 422, body, account_ref, now));
    }
    // The answer: every receipt once, in the request's order, with the time it was stored.
    let mut listed: Vec<&str> = Vec::new();
    let mut accepted = Vec::new();
    for receipt in &receipts {
        let id = receipt.receipt_id.as_str();
        if listed.contains(&id) {
            continue;
        }
        listed.push(id);
        // The receipt as stored: countersigned by the server (a receipt stored before signatures
        // existed is answered as it was stored).
        let (at, body) = match stored.get(id) {
            Some(r) => (r.server_time, r.body.as_str()),
            None => (now, receipt.body.as_str()),
        };
        let signed: serde_json::Value =
            serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
        accepted.push(serde_json::json!({ "receiptId": id, "serverTime": at, "receipt": signed }));
    }
    let body = serde_json::json!({ "accepted": accepted }).to_string();
    let mut fresh: Vec<NewReceipt> = Vec::new();
    for receipt in &receipts {
        if in_batch.contains_key(receipt.receipt_id.as_str())
            && !fresh.iter().any(|r| r.receipt_id == receipt.receipt_id)
        {
            fresh.push(receipt.clone());
        }
    }
    if fresh.is_empty() {
        return Ok(remember(idem, 200, body, account_ref, now));
    }
    let subject_macs = subjects.into_iter().map(|(_, mac)| mac).collect();
    Ok(Plan::Write(Op::Consents {
        idem: idem.clone(),
        receipts: fresh,
        subject_macs,
        account_ref,
        body,
        now,
    }))
}

/// Inserts fresh receipts in one statement; every one must be new (one stored meanwhile by
/// another request fails the write: 503, and the retry finds it stored).
async fn insert_receipts(
    conn: &mut impl WriteConn,
    fresh: &[NewReceipt],
    tombstone_macs: &[&Vec<u8>],
    now: i64,
) -> Result<bool, sqlx::Error> {
    // Each row a SELECT of its values, guarded by the subjects' tombstones; CAST gives every
    // value its column's type on both databases.
    let guard = if tombstone_macs.is_empty() {
        String::new()
    } else {
        format!(
            " WHERE NOT EXISTS (SELECT 1 FROM tombstones WHERE registration_mac IN ({}))",
            placeholders(fresh.len() * 10 + 1, tombstone_macs.len())
        )
    };
    let rows: Vec<String> = (0..fresh.len())
        .map(|i| {
            let n = i * 10;
            format!(
                "SELECT CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), \
                 CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS TEXT), CAST(${} AS BIGINT), \
                 CAST(${} AS TEXT){guard}",
                n + 1, n + 2, n + 3, n + 4, n + 5, n + 6, n + 7, n + 8, n + 9, n + 10
            )
        })
        .collect();
    // SQLite needs a WHERE on the outer SELECT before ON CONFLICT (a parsing ambiguity).
    let tail = " WHERE true";
    let sql = format!(
        "INSERT INTO receipts (receipt_id, subject, digest, consent_kind, doc_kind, doc_id, doc_version, \
         withdraws, server_time, body) SELECT * FROM ({}) AS fresh{tail} ON CONFLICT DO NOTHING",
        rows.join(" UNION ALL ")
    );
    let mut values: Vec<Arg<'_>> = Vec::with_capacity(fresh.len() * 10 + tombstone_macs.len());
    for receipt in fresh {
        values.extend([
            Arg::from(&receipt.receipt_id),
            Arg::from(&receipt.subject),
            Arg::from(&receipt.digest),
            Arg::from(&receipt.consent_kind),
            Arg::from(&receipt.doc_kind),
            Arg::from(&receipt.doc_id),
            Arg::from(&receipt.doc_version),
            Arg::from(receipt.withdraws.as_deref()),
            Arg::from(now),
            Arg::from(&receipt.body),
        ]);
    }
    values.extend(tombstone_macs.iter().map(|mac| Arg::from(*mac)));
    let done = conn.execute(&sql, &values).await?;
    if done == fresh.len() as u64 {
        return Ok(true);
    }
    if done == 0 && !tombstone_macs.is_empty() {
        for mac in tombstone_macs {
            if tombstoned(conn, mac).await? {
                return Ok(false);
            }
        }
    }
    // One of them stored meanwhile by another request: 503, and the retry finds it stored.
    Err(sqlx::Error::Protocol("receipt race".into()))
}

/// `POST /registrations`, planned on a read connection: the key's record, the tombstone, the
/// same registrationId and the cited receipts (one query). A registration that passes goes to
/// the writer.
async fn plan_registration<R: PlanReads>(
    reads: &mut R,
    idem: &Idem,
    reg: NewRegistration,
    registration_mac: Vec<u8>,
    now: i64,
    keys: &Keys,
) -> Result<Plan, sqlx::Error> {
    let rid = reg.registration_id.clone();
    let subject = format!("reg:{rid}");
    // The key's record, the tombstone, the same registrationId, and the receipts it cites (for
    // coverage, docs/protocol.md 4.3), in one query (plan_reads.rs).
    let head = reads
        .registration_head(&registration_mac, &rid, &idem.key, &reg.consents)
        .await?;
    if let Some(record) = head.record {
        return replayed(reads, idem, record, keys).await;
    }
    if head.tombstoned {
        let body = issues(
            serde_json::json!(["registrationId"]),
            "sync_account_deleted",
            serde_json::json!({}),
        );
        return Ok(remember(idem, 410, body, Some(rid), now));
    }
    if let Some((id, mac, created_at, salt)) = head.existing {
        let created_at = created_at.unwrap_or(now);
        let (status, body, token) = same_registration(&reg, &id, mac, created_at, &salt, keys);
        return Ok(Plan::Write(Op::Remember {
            idem: idem.clone(),
            status,
            body,
            account_ref: Some(rid),
            token,
            now,
        }));
    }
    let cited = head.cited;
    let mut problems = Vec::new();
    let mut covered: Vec<&str> = Vec::new();
    for (i, receipt_id) in reg.consents.iter().enumerate() {
        let Some((r_subject, r_kind, doc_kind, doc_id, doc_version, withdrawn, body)) =
            cited.get(receipt_id)
        else {
            problems.push(problem(
                serde_json::json!(["consents", i]),
                "sync_consent_missing",
                serde_json::json!({}),
            ));
            continue;
        };
        if *r_subject != subject || r_kind == "withdrawal" {
            problems.push(problem(
                serde_json::json!(["consents", i]),
                "sync_consent_missing",
                serde_json::json!({}),
            ));
            continue;
        }
        if *withdrawn > 0 {
            problems.push(problem(
                serde_json::json!(["consents", i]),
                "sync_consent_missing",
                serde_json::json!({ "kind": doc_kind }),
            ));
            continue;
        }
        // A child's receipts name the guardian the registration declares (the commitment the
        // server recomputed from the guardian's document): a guardian consent given by someone
        // else, or under an invented reference, covers nothing.
        if let Some(expected) = &reg.guardian_ref {
            let named = serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| {
                    v.get("guardianId")
                        .and_then(|g| g.as_str().map(str::to_string))
                });
            let needs = doc_kind == "guardian_consent" || named.is_some();
            if needs && named.as_deref() != Some(expected.as_str()) {
                problems.push(problem(
                    serde_json::json!(["consents", i]),
                    "sync_guardian_mismatch",
                    serde_json::json!({ "kind": doc_kind }),
                ));
                continue;
            }
        }
        if reg
            .current
            .iter()
            .any(|(k, id, v)| k == doc_kind && id == doc_id && v == doc_version)
        {
            covered.push(doc_kind);
        }
    }
    for kind in &reg.required {
        if !covered.contains(&kind.as_str()) {
            problems.push(problem(
                serde_json::json!(["consents"]),
                "sync_consent_missing",
                serde_json::json!({ "kind": kind }),
            ));
        }
    }
    if !problems.is_empty() {
        let body = serde_json::json!({ "issues": problems }).to_string();
        return Ok(remember(idem, 422, body, Some(rid), now));
    }
    // The phone's confirmation by a one-time code (phone_codes.rs), when the server offers codes:
    // the writer takes it with the insert; without one, a server that requires it refuses.
    let mut reg = reg;
    if !reg.phone_index.is_empty() {
        reg.phone_confirmed_at = reads.phone_confirmation(&reg.phone_index, now).await?;
        if reg.phone_confirmed_at.is_none() && reg.phone_required {
            let body = crate::phone_codes::not_confirmed_body();
            return Ok(remember(idem, 422, body, Some(rid), now));
        }
    }
    Ok(Plan::Write(Op::Registration {
        idem: idem.clone(),
        registration: Box::new(reg),
        registration_mac,
        now,
    }))
}

/// The writer's part of a registration: one insert, guarded by the tombstone (a deletion
/// committed since the plan wins) and by the constraints; a conflict on the blind index is
/// `sync_already_registered`.
async fn insert_registration(
    conn: &mut impl WriteConn,
    idem: &Idem,
    reg: &NewRegistration,
    registration_mac: &[u8],
    now: i64,
    keys: &Keys,
) -> Result<(Reply, Option<IdemInsert>), sqlx::Error> {
    let rid = reg.registration_id.as_str();
    // The phone's confirmation first (phone_codes.rs): a required one that is gone refuses it.
    let claim = crate::phone_codes::claim(conn, reg, now).await?;
    if claim == crate::phone_codes::Claim::Refused {
        let body = crate::phone_codes::not_confirmed_body();
        let stored = record(idem, 422, &body, Some(rid), now);
        return Ok((answer(422, body), Some(stored)));
    }
    // The row says what the claim found (the plan's confirmation may have been used meanwhile).
    let changed = claim.applied(reg);
    let reg = changed.as_ref().unwrap_or(reg);
    let sql = insert_registration_sql();
    let consents = consents_json(reg);
    let mut values: Vec<Arg<'_>> = registration_args(reg, &consents, now).to_vec();
    values.push(Arg::from(registration_mac));
    let inserted = conn.execute(&sql, &values).await?;
    if inserted != 1 {
        crate::phone_codes::restore(conn, reg, claim).await?;
    }
    let (status, body, token) = if inserted == 1 {
        let token = keys.account_token(&reg.id, &reg.token_salt);
        (
            201,
            crate::api::registration_answer(&reg.id, rid, now, None, Some(reg)),
            Some(token),
        )
    } else if tombstoned(conn, registration_mac).await? {
        (
            410,
            issues(
                serde_json::json!(["registrationId"]),
                "sync_account_deleted",
                serde_json::json!({}),
            ),
            None,
        )
    } else if conn.exists(REGISTRATION_ID_TAKEN_SQL, args![rid]).await? {
        // The same registrationId stored since the plan (another key, another instance): 503,
        // and the retry's plan answers it.
        return Err(sqlx::Error::Protocol("registration race".into()));
    } else {
        (
            422,
            issues(
                serde_json::json!(["form", "idNumber"]),
                "sync_already_registered",
                serde_json::json!({}),
            ),
            None,
        )
    };
    // The stored answer never holds the token; answers and replays add it (derived again).
    let stored = record(idem, status, &body, Some(rid), now);
    let body = match token {
        Some(token) => crate::api::with_token(&body, &token),
        None => body,
    };
    Ok((answer(status, body), Some(stored)))
}

/// The same registrationId stored before: 200 with the original answer (and the account's token)
/// when the content is the same, 422 `sync_registration_conflict` otherwise.
fn same_registration(
    reg: &NewRegistration,
    id: &str,
    mac: Vec<u8>,
    created_at: i64,
    salt: &[u8],
    keys: &Keys,
) -> (u16, String, Option<String>) {
    if bool::from(subtle::ConstantTimeEq::ct_eq(
        &mac[..],
        &reg.content_mac[..],
    )) {
        (
            200,
            crate::api::registration_answer(id, &reg.registration_id, created_at, None, None),
            Some(keys.account_token(id, salt)),
        )
    } else {
        (
            422,
            issues(
                serde_json::json!(["registrationId"]),
                "sync_registration_conflict",
                serde_json::json!({}),
            ),
            None,
        )
    }
}
