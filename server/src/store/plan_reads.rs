//! The reads a POST's plan makes before the write: the key's record, tombstones, stored and cited
//! receipts. One trait, [`PlanReads`], with two implementations:
//!
//! - **sqlx's connection** (PostgreSQL; SQLite too when in-place reading is off): each query is
//!   sent to the database (PostgreSQL) or to the connection's own thread (sqlx's SQLite driver).
//! - **[`SqliteReaders`]**, SQLite only: connections of the same file called in place, on the
//!   thread that runs the request. With sqlx's driver every query was a round trip to the
//!   connection's thread, two context switches each, and on this 2-core benchmark machine those
//!   threads' scheduling was the largest cost of a request after the write (perf:
//!   `finish_task_switch` and spin unlocks, about a fifth of the server's CPU). A plan's query
//!   reads a few pages of the memory-mapped file (`mmap_size`) and takes tens of microseconds, so
//!   running it in place holds the runtime's thread for less than the two switches cost. Readers
//!   in WAL mode never wait for the writer.
//!
//! Both run the same SQL text (the sqlx one with `$N`, SQLite's with `?N`) and return the same
//! structs, so the plans ([`super::plan_consents`], [`super::plan_registration`]) decide the same
//! way on either.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sqlx::{AnyConnection, Row};

use super::{IdemRow, StoredReceipt};

/// What a consents plan reads first: the key's record, whether the first subject is tombstoned,
/// and the stored receipts among the batch's ids (and the ids it withdraws).
pub(crate) struct ConsentsHead {
    pub record: Option<IdemRow>,
    pub first_tombstoned: bool,
    pub stored: HashMap<String, StoredReceipt>,
}

/// A receipt a registration cites: `(subject, consent_kind, doc_kind, doc_id, doc_version,
/// withdrawals of it, body)`.
pub(crate) type Cited = (String, String, String, String, String, i64, String);

/// The registration stored under the same registrationId: `(id, content_mac, created_at, salt)`.
pub(crate) type Existing = (String, Vec<u8>, Option<i64>, Vec<u8>);

/// What a registration plan reads first: the key's record, the tombstone, the registration with
/// the same registrationId, and the receipts it cites.
pub(crate) struct RegistrationHead {
    pub record: Option<IdemRow>,
    pub tombstoned: bool,
    pub existing: Option<Existing>,
    pub cited: HashMap<String, Cited>,
}

/// The reads of a plan (see the module's documentation).
pub(crate) trait PlanReads: Send {
    fn consents_head(
        &mut self,
        first_mac: &[u8],
        key: &str,
        ids: &[&str],
    ) -> impl Future<Output = Result<ConsentsHead, sqlx::Error>> + Send;

    fn registration_head(
        &mut self,
        mac: &[u8],
        registration_id: &str,
        key: &str,
        consents: &[String],
    ) -> impl Future<Output = Result<RegistrationHead, sqlx::Error>> + Send;

    /// The idempotency record of a key.
    fn idem_record(
        &mut self,
        key: &str,
    ) -> impl Future<Output = Result<Option<IdemRow>, sqlx::Error>> + Send;

    /// Whether a registration id's HMAC has a tombstone.
    fn tombstoned(&mut self, mac: &[u8]) -> impl Future<Output = Result<bool, sqlx::Error>> + Send;

    /// The account token hash of the registration with this registrationId.
    fn owner_token_hash(
        &mut self,
        registration_id: &str,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, sqlx::Error>> + Send;

    /// `(id, token_salt)` of the registration with this registrationId (a replay derives its token
    /// again).
    fn account_of(
        &mut self,
        registration_id: &str,
    ) -> impl Future<Output = Result<Option<(String, Vec<u8>)>, sqlx::Error>> + Send;

    /// When the phone with this blind index was confirmed, if a confirmation is still valid.
    fn phone_confirmation(
        &mut self,
        index: &[u8],
        now: i64,
    ) -> impl Future<Output = Result<Option<i64>, sqlx::Error>> + Send;
}

// ---- the SQL, one text for both ----------------------------------------------------------------

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key's record, the first subject's tombstone and the stored receipts among `ids`, in one
/// query. Binds: the tombstone key, the idempotency key, then each id. Rows: `0` (the head: count,
/// scope, body_mac, status, body, account_ref) and `1` (a receipt: server_time, receipt_id, body,
/// subject, digest).
fn consents_head_sql(ids: usize) -> String {
    let stored_part = if ids == 0 {
        String::new()
    } else {
        format!(
            " UNION ALL SELECT 1, server_time, receipt_id, NULL, NULL, body, subject, digest \
             FROM receipts WHERE receipt_id IN ({})",
            placeholders(3, ids)
        )
    };
    format!(
        "SELECT 0, (SELECT COUNT(*) FROM tombstones WHERE registration_mac = $1), i.scope, i.body_mac, \
         i.status, i.body, i.account_ref, NULL FROM (SELECT 1 AS one) AS x \
         LEFT JOIN idempotency i ON i.key = $2{stored_part}"
    )
}

/// The key's record, the tombstone, the same registrationId and the cited receipts, in one query.
/// Binds: the tombstone key, the registrationId, the idempotency key, then each cited id. Rows:
/// `0` (the head: count, r.id, content_mac, created_at, token_salt, scope, body_mac, status, body,
/// account_ref) and `1` (a cited receipt: withdrawals, receipt_id, subject, body, consent_kind,
/// doc_kind, doc_id, doc_version).
fn registration_head_sql(consents: usize) -> String {
    let cited_part = if consents == 0 {
        String::new()
    } else {
        format!(
            " UNION ALL SELECT 1, \
             (SELECT COUNT(*) FROM receipts w WHERE w.withdraws = c.receipt_id AND w.subject = c.subject), \
             c.receipt_id, NULL, NULL, NULL, c.subject, NULL, NULL, c.body, c.consent_kind, c.doc_kind, \
             c.doc_id, c.doc_version FROM receipts c WHERE c.receipt_id IN ({})",
            placeholders(4, consents)
        )
    };
    format!(
        "SELECT 0, (SELECT COUNT(*) FROM tombstones WHERE registration_mac = $1), r.id, r.content_mac, \
         r.created_at, r.token_salt, i.scope, i.body_mac, i.status, i.body, i.account_ref, NULL, NULL, NULL \
         FROM (SELECT 1 AS one) AS x \
         LEFT JOIN registrations r ON r.registration_id = $2 \
         LEFT JOIN idempotency i ON i.key = $3{cited_part}"
    )
}

const IDEM_RECORD_SQL: &str =
    "SELECT scope, body_mac, status, body, account_ref FROM idempotency WHERE key = $1";
const TOMBSTONED_SQL: &str = "SELECT 1 FROM tombstones WHERE registration_mac = $1";
const OWNER_SQL: &str = "SELECT token_hash FROM registrations WHERE registration_id = $1";
const ACCOUNT_SQL: &str = "SELECT id, token_salt FROM registrations WHERE registration_id = $1";
const PHONE_SQL: &str =
    "SELECT confirmed_at FROM phone_confirmations WHERE phone_index = $1 AND valid_until > $2";

/// An idempotency record from its columns (`status` out of range reads as 500).
fn idem(
    scope: Option<String>,
    body_mac: Option<Vec<u8>>,
    status: Option<i64>,
    body: Option<String>,
    account_ref: Option<String>,
) -> Option<IdemRow> {
    let scope = scope?;
    Some(IdemRow {
        scope,
        body_mac: body_mac.unwrap_or_default(),
        status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
        body: body.unwrap_or_default(),
        account_ref,
    })
}

// ---- sqlx ----------------------------------------------------------------------------------------

impl PlanReads for AnyConnection {
    async fn consents_head(
        &mut self,
        first_mac: &[u8],
        key: &str,
        ids: &[&str],
    ) -> Result<ConsentsHead, sqlx::Error> {
        let sql = consents_head_sql(ids.len());
        let mut query = sqlx::query(&sql).bind(first_mac.to_vec()).bind(key);
        for id in ids {
            query = query.bind(*id);
        }
        let mut head = None;
        let mut stored = HashMap::new();
        for row in query.fetch_all(&mut *self).await? {
            if row.try_get::<i64, _>(0)? == 0 {
                head = Some((
                    row.try_get::<i64, _>(1)? > 0,
                    idem(
                        row.try_get(2)?,
                        row.try_get(3)?,
                        row.try_get(4)?,
                        row.try_get(5)?,
                        row.try_get(6)?,
                    ),
                ));
            } else {
                stored.insert(
                    row.try_get(2)?,
                    StoredReceipt {
                        server_time: row.try_get(1)?,
                        body: row.try_get(5)?,
                        subject: row.try_get(6)?,
                        digest: row.try_get(7)?,
                    },
                );
            }
        }
        let (first_tombstoned, record) = head.ok_or(sqlx::Error::RowNotFound)?;
        Ok(ConsentsHead {
            record,
            first_tombstoned,
            stored,
        })
    }

    async fn registration_head(
        &mut self,
        mac: &[u8],
        registration_id: &str,
        key: &str,
        consents: &[String],
    ) -> Result<RegistrationHead, sqlx::Error> {
        let sql = registration_head_sql(consents.len());
        let mut query = sqlx::query(&sql)
            .bind(mac.to_vec())
            .bind(registration_id)
            .bind(key);
        for id in consents {
            query = query.bind(id);
        }
        let mut head = None;
        let mut cited = HashMap::new();
        for row in query.fetch_all(&mut *self).await? {
            if row.try_get::<i64, _>(0)? == 0 {
                let existing = match row.try_get::<Option<String>, _>(2)? {
                    Some(id) => Some((
                        id,
                        row.try_get::<Option<Vec<u8>>, _>(3)?.unwrap_or_default(),
                        row.try_get::<Option<i64>, _>(4)?,
                        row.try_get::<Option<Vec<u8>>, _>(5)?.unwrap_or_default(),
                    )),
                    None => None,
                };
                head = Some(RegistrationHead {
                    record: idem(
                        row.try_get(6)?,
                        row.try_get(7)?,
                        row.try_get(8)?,
                        row.try_get(9)?,
                        row.try_get(10)?,
                    ),
                    tombstoned: row.try_get::<i64, _>(1)? > 0,
                    existing,
                    cited: HashMap::new(),
                });
            } else {
                cited.insert(
                    row.try_get(2)?,
                    (
                        row.try_get(6)?,
                        row.try_get(10)?,
                        row.try_get(11)?,
                        row.try_get(12)?,
                        row.try_get(13)?,
                        row.try_get(1)?,
                        row.try_get(9)?,
                    ),
                );
            }
        }
        let mut head = head.ok_or(sqlx::Error::RowNotFound)?;
        head.cited = cited;
        Ok(head)
    }

    async fn idem_record(&mut self, key: &str) -> Result<Option<IdemRow>, sqlx::Error> {
        let row = sqlx::query(IDEM_RECORD_SQL)
            .bind(key)
            .fetch_optional(&mut *self)
            .await?;
        Ok(match row {
            Some(r) => idem(
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
            ),
            None => None,
        })
    }

    async fn tombstoned(&mut self, mac: &[u8]) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query(TOMBSTONED_SQL)
            .bind(mac.to_vec())
            .fetch_optional(&mut *self)
            .await?
            .is_some())
    }

    async fn owner_token_hash(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let row = sqlx::query(OWNER_SQL)
            .bind(registration_id)
            .fetch_optional(&mut *self)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }

    async fn account_of(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
        let row = sqlx::query(ACCOUNT_SQL)
            .bind(registration_id)
            .fetch_optional(&mut *self)
            .await?;
        match row {
            Some(r) => Ok(Some((r.try_get(0)?, r.try_get(1)?))),
            None => Ok(None),
        }
    }

    async fn phone_confirmation(
        &mut self,
        index: &[u8],
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let row = sqlx::query(PHONE_SQL)
            .bind(index.to_vec())
            .bind(now)
            .fetch_optional(&mut *self)
            .await?;
        row.map(|r| r.try_get(0)).transpose()
    }
}

// ---- SQLite in place -----------------------------------------------------------------------------

/// Connections of the SQLite file for the plans, called in place (see the module's documentation).
/// A request takes one for the duration of its plan (no `await` holds it across other work: every
/// call completes before it returns) and gives it back; a new one is opened when none is free.
pub struct SqliteReaders {
    path: PathBuf,
    pragmas: &'static str,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

/// The most idle connections kept (about one per runtime thread is in use at a time).
const IDLE_MAX: usize = 8;

impl SqliteReaders {
    pub fn new(path: &Path, pragmas: &'static str) -> Arc<SqliteReaders> {
        Arc::new(SqliteReaders {
            path: path.to_path_buf(),
            pragmas,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// A connection, idle or new.
    pub(crate) fn get(self: &Arc<Self>) -> Result<Reader, sqlx::Error> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = rusqlite::Connection::open_with_flags(
                    &self.path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(sqlite_error)?;
                conn.execute_batch(self.pragmas).map_err(sqlite_error)?;
                conn.set_prepared_statement_cache_capacity(64);
                conn
            }
        };
        Ok(Reader {
            conn: Some(conn),
            pool: Arc::clone(self),
        })
    }
}

/// A connection taken from [`SqliteReaders`]; given back when dropped (also when the request's
/// future is dropped halfway, e.g. its client went away).
pub(crate) struct Reader {
    conn: Option<rusqlite::Connection>,
    pool: Arc<SqliteReaders>,
}

impl Drop for Reader {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut idle)) = (self.conn.take(), self.pool.idle.lock()) {
            if idle.len() < IDLE_MAX {
                idle.push(conn);
            }
        }
    }
}

/// A SQLite error as the store's errors are logged: its kind and code, never the data.
fn sqlite_error(e: rusqlite::Error) -> sqlx::Error {
    let kind = match &e {
        rusqlite::Error::SqliteFailure(code, _) => format!("sqlite {:?}", code.code),
        other => {
            let debug = format!("{other:?}");
            debug
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or_default()
                .to_string()
        }
    };
    sqlx::Error::Protocol(kind)
}

/// SQLite's numbered parameters (`?N`) for the shared text's `$N`.
fn numbered(sql: &str) -> String {
    sql.replace('$', "?")
}

impl Reader {
    fn conn(&self) -> Result<&rusqlite::Connection, sqlx::Error> {
        self.conn
            .as_ref()
            .ok_or_else(|| sqlx::Error::Protocol("reader gone".into()))
    }

    /// Runs `sql` with `params`, mapping each row.
    fn rows<T>(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let conn = self.conn()?;
        let mut statement = conn.prepare_cached(&numbered(sql)).map_err(sqlite_error)?;
        let mut rows = statement.query(params).map_err(sqlite_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            out.push(map(row).map_err(sqlite_error)?);
        }
        Ok(out)
    }
}

impl PlanReads for Reader {
    async fn consents_head(
        &mut self,
        first_mac: &[u8],
        key: &str,
        ids: &[&str],
    ) -> Result<ConsentsHead, sqlx::Error> {
        let mut params: Vec<&dyn rusqlite::ToSql> = vec![&first_mac, &key];
        for id in ids {
            params.push(id);
        }
        enum Part {
            Head(bool, Option<IdemRow>),
            Stored(String, StoredReceipt),
        }
        let parts = self.rows(&consents_head_sql(ids.len()), &params, |row| {
            Ok(if row.get::<_, i64>(0)? == 0 {
                Part::Head(
                    row.get::<_, i64>(1)? > 0,
                    idem(
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                        row.get(6)?,
                    ),
                )
            } else {
                Part::Stored(
                    row.get(2)?,
                    StoredReceipt {
                        server_time: row.get(1)?,
                        body: row.get(5)?,
                        subject: row.get(6)?,
                        digest: row.get(7)?,
                    },
                )
            })
        })?;
        let mut head = None;
        let mut stored = HashMap::new();
        for part in parts {
            match part {
                Part::Head(tombstoned, record) => head = Some((tombstoned, record)),
                Part::Stored(id, receipt) => {
                    stored.insert(id, receipt);
                }
            }
        }
        let (first_tombstoned, record) = head.ok_or(sqlx::Error::RowNotFound)?;
        Ok(ConsentsHead {
            record,
            first_tombstoned,
            stored,
        })
    }

    async fn registration_head(
        &mut self,
        mac: &[u8],
        registration_id: &str,
        key: &str,
        consents: &[String],
    ) -> Result<RegistrationHead, sqlx::Error> {
        let mut params: Vec<&dyn rusqlite::ToSql> = vec![&mac, &registration_id, &key];
        for id in consents {
            params.push(id);
        }
        enum Part {
            Head(RegistrationHead),
            Cited(String, Cited),
        }
        let parts = self.rows(&registration_head_sql(consents.len()), &params, |row| {
            Ok(if row.get::<_, i64>(0)? == 0 {
                let existing = match row.get::<_, Option<String>>(2)? {
                    Some(id) => Some((
                        id,
                        row.get::<_, Option<Vec<u8>>>(3)?.unwrap_or_default(),
                        row.get::<_, Option<i64>>(4)?,
                        row.get::<_, Option<Vec<u8>>>(5)?.unwrap_or_default(),
                    )),
                    None => None,
                };
                Part::Head(RegistrationHead {
                    record: idem(
                        row.get(6)?,
                        row.get(7)?,
                        row.get(8)?,
                        row.get(9)?,
                        row.get(10)?,
                    ),
                    tombstoned: row.get::<_, i64>(1)? > 0,
                    existing,
                    cited: HashMap::new(),
                })
            } else {
                Part::Cited(
                    row.get(2)?,
                    (
                        row.get(6)?,
                        row.get(10)?,
                        row.get(11)?,
                        row.get(12)?,
                        row.get(13)?,
                        row.get(1)?,
                        row.get(9)?,
                    ),
                )
            })
        })?;
        let mut head = None;
        let mut cited = HashMap::new();
        for part in parts {
            match part {
                Part::Head(h) => head = Some(h),
                Part::Cited(id, c) => {
                    cited.insert(id, c);
                }
            }
        }
        let mut head = head.ok_or(sqlx::Error::RowNotFound)?;
        head.cited = cited;
        Ok(head)
    }

    async fn idem_record(&mut self, key: &str) -> Result<Option<IdemRow>, sqlx::Error> {
        let rows = self.rows(IDEM_RECORD_SQL, &[&key], |row| {
            Ok(idem(
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?;
        Ok(rows.into_iter().next().flatten())
    }

    async fn tombstoned(&mut self, mac: &[u8]) -> Result<bool, sqlx::Error> {
        Ok(!self.rows(TOMBSTONED_SQL, &[&mac], |_| Ok(()))?.is_empty())
    }

    async fn owner_token_hash(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let rows = self.rows(OWNER_SQL, &[&registration_id], |row| row.get(0))?;
        Ok(rows.into_iter().next())
    }

    async fn account_of(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
        let rows = self.rows(ACCOUNT_SQL, &[&registration_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
        Ok(rows.into_iter().next())
    }

    async fn phone_confirmation(
        &mut self,
        index: &[u8],
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let rows = self.rows(PHONE_SQL, &[&index, &now], |row| row.get(0))?;
        Ok(rows.into_iter().next())
    }
}
