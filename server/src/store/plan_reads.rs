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

use sqlx::any::AnyRow;
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
pub(super) const TOMBSTONED_SQL: &str = "SELECT 1 FROM tombstones WHERE registration_mac = $1";
const OWNER_SQL: &str = "SELECT token_hash FROM registrations WHERE registration_id = $1";
const ACCOUNT_SQL: &str = "SELECT id, token_salt FROM registrations WHERE registration_id = $1";
const PHONE_SQL: &str =
    "SELECT confirmed_at FROM phone_confirmations WHERE phone_index = $1 AND valid_until > $2";

// ---- the rows, read once for both -------------------------------------------------------------

/// A result row of either driver, read by column index: the row mapping below is written once, so
/// that both drivers read the same columns the same way.
pub(crate) trait Cols {
    fn int(&self, i: usize) -> Result<Option<i64>, sqlx::Error>;
    fn text(&self, i: usize) -> Result<Option<String>, sqlx::Error>;
    fn blob(&self, i: usize) -> Result<Option<Vec<u8>>, sqlx::Error>;
}

impl Cols for AnyRow {
    fn int(&self, i: usize) -> Result<Option<i64>, sqlx::Error> {
        self.try_get(i)
    }
    fn text(&self, i: usize) -> Result<Option<String>, sqlx::Error> {
        self.try_get(i)
    }
    fn blob(&self, i: usize) -> Result<Option<Vec<u8>>, sqlx::Error> {
        self.try_get(i)
    }
}

impl Cols for rusqlite::Row<'_> {
    fn int(&self, i: usize) -> Result<Option<i64>, sqlx::Error> {
        self.get(i).map_err(sqlite_error)
    }
    fn text(&self, i: usize) -> Result<Option<String>, sqlx::Error> {
        self.get(i).map_err(sqlite_error)
    }
    fn blob(&self, i: usize) -> Result<Option<Vec<u8>>, sqlx::Error> {
        self.get(i).map_err(sqlite_error)
    }
}

/// A value the query never leaves NULL.
pub(crate) fn some<T>(value: Option<T>, i: usize) -> Result<T, sqlx::Error> {
    value.ok_or_else(|| sqlx::Error::ColumnNotFound(format!("column {i} is NULL")))
}

/// The idempotency record in columns `first..first + 5` (scope, body_mac, status, body,
/// account_ref), if any (`status` out of range reads as 500).
fn idem_at(row: &impl Cols, first: usize) -> Result<Option<IdemRow>, sqlx::Error> {
    let Some(scope) = row.text(first)? else {
        return Ok(None);
    };
    Ok(Some(IdemRow {
        scope,
        body_mac: row.blob(first + 1)?.unwrap_or_default(),
        status: row
            .int(first + 2)?
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(500),
        body: row.text(first + 3)?.unwrap_or_default(),
        account_ref: row.text(first + 4)?,
    }))
}

/// A row of [`consents_head_sql`].
enum ConsentsRow {
    Head(bool, Option<IdemRow>),
    Stored(String, StoredReceipt),
}

fn consents_row(row: &impl Cols) -> Result<ConsentsRow, sqlx::Error> {
    Ok(if some(row.int(0)?, 0)? == 0 {
        ConsentsRow::Head(some(row.int(1)?, 1)? > 0, idem_at(row, 2)?)
    } else {
        ConsentsRow::Stored(
            some(row.text(2)?, 2)?,
            StoredReceipt {
                server_time: some(row.int(1)?, 1)?,
                body: some(row.text(5)?, 5)?,
                subject: some(row.text(6)?, 6)?,
                digest: some(row.text(7)?, 7)?,
            },
        )
    })
}

fn consents_head(rows: Vec<ConsentsRow>) -> Result<ConsentsHead, sqlx::Error> {
    let mut head = None;
    let mut stored = HashMap::new();
    for row in rows {
        match row {
            ConsentsRow::Head(tombstoned, record) => head = Some((tombstoned, record)),
            ConsentsRow::Stored(id, receipt) => {
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

/// A row of [`registration_head_sql`].
enum RegistrationRow {
    Head(RegistrationHead),
    Cited(String, Cited),
}

fn registration_row(row: &impl Cols) -> Result<RegistrationRow, sqlx::Error> {
    if some(row.int(0)?, 0)? != 0 {
        return Ok(RegistrationRow::Cited(
            some(row.text(2)?, 2)?,
            (
                some(row.text(6)?, 6)?,
                some(row.text(10)?, 10)?,
                some(row.text(11)?, 11)?,
                some(row.text(12)?, 12)?,
                some(row.text(13)?, 13)?,
                some(row.int(1)?, 1)?,
                some(row.text(9)?, 9)?,
            ),
        ));
    }
    let existing = match row.text(2)? {
        Some(id) => Some((
            id,
            row.blob(3)?.unwrap_or_default(),
            row.int(4)?,
            row.blob(5)?.unwrap_or_default(),
        )),
        None => None,
    };
    Ok(RegistrationRow::Head(RegistrationHead {
        record: idem_at(row, 6)?,
        tombstoned: some(row.int(1)?, 1)? > 0,
        existing,
        cited: HashMap::new(),
    }))
}

fn registration_head(rows: Vec<RegistrationRow>) -> Result<RegistrationHead, sqlx::Error> {
    let mut head = None;
    let mut cited = HashMap::new();
    for row in rows {
        match row {
            RegistrationRow::Head(h) => head = Some(h),
            RegistrationRow::Cited(id, c) => {
                cited.insert(id, c);
            }
        }
    }
    let mut head = head.ok_or(sqlx::Error::RowNotFound)?;
    head.cited = cited;
    Ok(head)
}

/// Every row of `rows` mapped, or the first error.
fn map_rows<R: Cols, T>(
    rows: &[R],
    map: impl Fn(&R) -> Result<T, sqlx::Error>,
) -> Result<Vec<T>, sqlx::Error> {
    rows.iter().map(map).collect()
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
        let rows = query.fetch_all(&mut *self).await?;
        consents_head(map_rows(&rows, consents_row)?)
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
        let rows = query.fetch_all(&mut *self).await?;
        registration_head(map_rows(&rows, registration_row)?)
    }

    async fn idem_record(&mut self, key: &str) -> Result<Option<IdemRow>, sqlx::Error> {
        let row = sqlx::query(IDEM_RECORD_SQL)
            .bind(key)
            .fetch_optional(&mut *self)
            .await?;
        Ok(row.map(|r| idem_at(&r, 0)).transpose()?.flatten())
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
        row.map(|r| some(r.blob(0)?, 0)).transpose()
    }

    async fn account_of(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
        let row = sqlx::query(ACCOUNT_SQL)
            .bind(registration_id)
            .fetch_optional(&mut *self)
            .await?;
        row.map(|r| account(&r)).transpose()
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
        row.map(|r| some(r.int(0)?, 0)).transpose()
    }
}

/// `(id, token_salt)` of [`ACCOUNT_SQL`].
fn account(row: &impl Cols) -> Result<(String, Vec<u8>), sqlx::Error> {
    Ok((some(row.text(0)?, 0)?, some(row.blob(1)?, 1)?))
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
pub(super) fn sqlite_error(e: rusqlite::Error) -> sqlx::Error {
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
pub(super) fn numbered(sql: &str) -> String {
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
        map: impl Fn(&rusqlite::Row<'_>) -> Result<T, sqlx::Error>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let conn = self.conn()?;
        let mut statement = conn.prepare_cached(&numbered(sql)).map_err(sqlite_error)?;
        let mut rows = statement.query(params).map_err(sqlite_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            out.push(map(row)?);
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
        consents_head(self.rows(&consents_head_sql(ids.len()), &params, |row| {
            consents_row(row)
        })?)
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
        registration_head(
            self.rows(&registration_head_sql(consents.len()), &params, |row| {
                registration_row(row)
            })?,
        )
    }

    async fn idem_record(&mut self, key: &str) -> Result<Option<IdemRow>, sqlx::Error> {
        let rows = self.rows(IDEM_RECORD_SQL, &[&key], |row| idem_at(row, 0))?;
        Ok(rows.into_iter().next().flatten())
    }

    async fn tombstoned(&mut self, mac: &[u8]) -> Result<bool, sqlx::Error> {
        Ok(!self.rows(TOMBSTONED_SQL, &[&mac], |_| Ok(()))?.is_empty())
    }

    async fn owner_token_hash(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let rows = self.rows(OWNER_SQL, &[&registration_id], |row| some(row.blob(0)?, 0))?;
        Ok(rows.into_iter().next())
    }

    async fn account_of(
        &mut self,
        registration_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
        let rows = self.rows(ACCOUNT_SQL, &[&registration_id], |row| account(row))?;
        Ok(rows.into_iter().next())
    }

    async fn phone_confirmation(
        &mut self,
        index: &[u8],
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let rows = self.rows(PHONE_SQL, &[&index, &now], |row| some(row.int(0)?, 0))?;
        Ok(rows.into_iter().next())
    }
}
