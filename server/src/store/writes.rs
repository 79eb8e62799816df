//! The connection the writer runs its statements on. One trait, [`WriteConn`], with two
//! implementations:
//!
//! - **sqlx's connection** (PostgreSQL): each statement is sent to the database, and transactions
//!   and savepoints are sqlx's own (its transaction manager: the same `BEGIN`, `SAVEPOINT`,
//!   `RELEASE`/`ROLLBACK TO` and `COMMIT` as `Connection::begin` sends, and the same rollback of
//!   one that failed to commit as a dropped `Transaction` starts).
//! - **[`SqliteWriter`]**, SQLite: a rusqlite connection of the file called in place, on the
//!   writer's own thread. With sqlx's driver every statement was a round trip to the connection's
//!   own thread, two context switches each, and with the reads already in place (plan_reads.rs)
//!   that thread was the busiest of the process (bench/server.mjs: 39% of a core, 3.8 switches a
//!   registration). The writer's thread does nothing else (store.rs, `Store::open`), so running
//!   the statements there, fsync included, holds up nothing but the next batch, which would wait
//!   for this one's commit anyway.
//!
//! Both run the same SQL text (written with `$N`; SQLite's copy gets `?N`, see
//! [`super::plan_reads`]) with the same values ([`Arg`]), and read rows through the same
//! [`Cols`], so the writer (store.rs, lifecycle.rs, phone_codes.rs) is written once for both.
//! SQLite's errors keep the shape sqlx gave them (`sqlx::Error::Database` with the extended result
//! code as its code), so that logs and the mapping to answers stay what they were; its
//! transactions count their depth and abandon a failed one as sqlx's SQLite driver did.

use std::borrow::Cow;
use std::future::Future;
use std::path::Path;

use sqlx::error::{DatabaseError, ErrorKind};
use sqlx::{AnyConnection, Connection, TransactionManager};

use super::plan_reads::{numbered, sqlite_error, Cols};

/// A value bound to a statement. NULLs keep their type: PostgreSQL types a parameter by the
/// value's type, as sqlx's `bind(None::<T>)` did. No `Debug`: values may be personal data.
#[derive(Clone, Copy)]
pub(crate) enum Arg<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
    Blob(Option<&'a [u8]>),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg<'_> {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(Some(v))
    }
}
impl<'a> From<Option<&'a str>> for Arg<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Arg::Text(v)
    }
}
impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(v: &'a [u8]) -> Self {
        Arg::Blob(Some(v))
    }
}
impl<'a> From<&'a Vec<u8>> for Arg<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Arg::Blob(Some(v))
    }
}
impl<'a> From<Option<&'a [u8]>> for Arg<'a> {
    fn from(v: Option<&'a [u8]>) -> Self {
        Arg::Blob(v)
    }
}

/// `args![a, b, …]`: the values of a statement, each through `Arg::from`.
macro_rules! args {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::Arg::from($value)),*][..]
    };
}
pub(crate) use args;

/// The writer's connection (see the module's documentation).
pub(crate) trait WriteConn: Send + Sized {
    /// Runs a statement; the number of rows it inserted, updated or deleted.
    fn execute(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = Result<u64, sqlx::Error>> + Send;

    /// Runs a statement and maps every row it returns.
    fn fetch<T: Send>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        map: impl Fn(&dyn Cols) -> Result<T, sqlx::Error> + Send,
    ) -> impl Future<Output = Result<Vec<T>, sqlx::Error>> + Send;

    /// Begins a transaction, or a savepoint inside the open one.
    fn begin(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Commits the transaction, or releases the newest savepoint. On failure it is abandoned as
    /// sqlx's `Transaction` abandons one it drops open: a rollback is started.
    fn commit(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Rolls the transaction back, or back to the newest savepoint; on failure, as `commit`.
    fn rollback(&mut self) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// Closes the connection (what it held uncommitted is discarded).
    fn close(self) -> impl Future<Output = ()> + Send;

    /// The first row a statement returns, mapped, if any.
    fn fetch_optional<T: Send>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        map: impl Fn(&dyn Cols) -> Result<T, sqlx::Error> + Send,
    ) -> impl Future<Output = Result<Option<T>, sqlx::Error>> + Send {
        async move { Ok(self.fetch(sql, args, map).await?.into_iter().next()) }
    }

    /// Whether a statement returns a row.
    fn exists(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
    ) -> impl Future<Output = Result<bool, sqlx::Error>> + Send {
        async move { Ok(self.fetch_optional(sql, args, |_| Ok(())).await?.is_some()) }
    }
}

// ---- sqlx (PostgreSQL) ---------------------------------------------------------------------------

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind<'q>(mut query: AnyQuery<'q>, args: &[Arg<'q>]) -> AnyQuery<'q> {
    for arg in args {
        query = match *arg {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
            Arg::Blob(v) => query.bind(v),
        };
    }
    query
}

type Transactions = <sqlx::Any as sqlx::Database>::TransactionManager;

impl WriteConn for AnyConnection {
    async fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        Ok(bind(sqlx::query(sql), args)
            .execute(&mut *self)
            .await?
            .rows_affected())
    }

    async fn fetch<T: Send>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        map: impl Fn(&dyn Cols) -> Result<T, sqlx::Error> + Send,
    ) -> Result<Vec<T>, sqlx::Error> {
        let rows = bind(sqlx::query(sql), args).fetch_all(&mut *self).await?;
        rows.iter().map(|row| map(row)).collect()
    }

    async fn begin(&mut self) -> Result<(), sqlx::Error> {
        Transactions::begin(self, None).await
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        let done = Transactions::commit(self).await;
        if done.is_err() {
            Transactions::start_rollback(self);
        }
        done
    }

    async fn rollback(&mut self) -> Result<(), sqlx::Error> {
        let done = Transactions::rollback(self).await;
        if done.is_err() {
            Transactions::start_rollback(self);
        }
        done
    }

    async fn close(self) {
        let _ = Connection::close(self).await;
    }
}

// ---- SQLite in place -----------------------------------------------------------------------------

/// The writer's SQLite connection, called in place (see the module's documentation).
pub(crate) struct SqliteWriter {
    conn: rusqlite::Connection,
    /// Open transactions and savepoints, as sqlx counts them.
    depth: usize,
}

/// Prepared statements kept, as sqlx's SQLite connection kept (its default): the grouped inserts
/// have a text per row count.
const STATEMENTS: usize = 100;

impl SqliteWriter {
    /// Opens the file with the flags sqlx's driver used (read-write, created if missing, no mutex:
    /// one thread uses it, a private cache) and runs `pragmas` (store.rs, `SQLITE_PRAGMAS`: the
    /// same as every SQLite connection of the server). rusqlite, like sqlx, turns on extended
    /// result codes and a busy timeout (which the pragmas set again).
    pub(crate) fn open(path: &Path, pragmas: &str) -> Result<SqliteWriter, String> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                | rusqlite::OpenFlags::SQLITE_OPEN_CREATE
                | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
                | rusqlite::OpenFlags::SQLITE_OPEN_PRIVATE_CACHE,
        )
        .map_err(|e| {
            format!(
                "cannot open the database: {}",
                super::error_kind(&sqlite_failure(e))
            )
        })?;
        conn.execute_batch(pragmas).map_err(|e| {
            format!(
                "cannot set SQLite's pragmas: {}",
                super::error_kind(&sqlite_failure(e))
            )
        })?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS);
        Ok(SqliteWriter { conn, depth: 0 })
    }

    /// The rusqlite connection (the checkpointer's, which runs one pragma).
    pub(crate) fn into_inner(self) -> rusqlite::Connection {
        self.conn
    }

    fn run(&self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        let mut statement = self
            .conn
            .prepare_cached(&numbered(sql))
            .map_err(sqlite_failure)?;
        let changed = statement
            .execute(rusqlite::params_from_iter(args))
            .map_err(sqlite_failure)?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    /// Runs a transaction statement; `depth_after` is the depth once it succeeded.
    fn transaction(&mut self, sql: &str, depth_after: usize) -> Result<(), sqlx::Error> {
        self.conn.execute_batch(sql).map_err(sqlite_failure)?;
        self.depth = depth_after;
        Ok(())
    }

    /// The rollback at the current depth (sqlx-core's `rollback_ansi_transaction_sql`).
    fn rollback_now(&mut self) -> Result<(), sqlx::Error> {
        let sql: Cow<'static, str> = match self.depth {
            0 => return Ok(()),
            1 => "ROLLBACK".into(),
            depth => format!("ROLLBACK TO SAVEPOINT _sqlx_savepoint_{}", depth - 1).into(),
        };
        self.transaction(&sql, self.depth - 1)
    }

    /// What sqlx's SQLite driver does with a transaction dropped open: one more rollback, counted
    /// only when it succeeds (after a failed COMMIT that SQLite rolled back itself, it fails, and
    /// the transaction is still counted: the writer takes a new connection after any failure).
    fn abandon<T>(&mut self, done: Result<T, sqlx::Error>) -> Result<T, sqlx::Error> {
        if done.is_err() {
            let _ = self.rollback_now();
        }
        done
    }
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match *self {
            Arg::Int(Some(v)) => ToSqlOutput::Owned(Value::Integer(v)),
            Arg::Text(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Arg::Blob(Some(v)) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Arg::Int(None) | Arg::Text(None) | Arg::Blob(None) => ToSqlOutput::Owned(Value::Null),
        })
    }
}

impl WriteConn for SqliteWriter {
    async fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> Result<u64, sqlx::Error> {
        self.run(sql, args)
    }

    async fn fetch<T: Send>(
        &mut self,
        sql: &str,
        args: &[Arg<'_>],
        map: impl Fn(&dyn Cols) -> Result<T, sqlx::Error> + Send,
    ) -> Result<Vec<T>, sqlx::Error> {
        let mut statement = self
            .conn
            .prepare_cached(&numbered(sql))
            .map_err(sqlite_failure)?;
        let mut rows = statement
            .query(rusqlite::params_from_iter(args))
            .map_err(sqlite_failure)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(sqlite_failure)? {
            out.push(map(row)?);
        }
        Ok(out)
    }

    // The statements sqlx sends at each depth (sqlx-core's `*_ansi_transaction_sql`).
    async fn begin(&mut self) -> Result<(), sqlx::Error> {
        let sql: Cow<'static, str> = match self.depth {
            0 => "BEGIN".into(),
            depth => format!("SAVEPOINT _sqlx_savepoint_{depth}").into(),
        };
        self.transaction(&sql, self.depth + 1)
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        let sql: Cow<'static, str> = match self.depth {
            0 => return Ok(()),
            1 => "COMMIT".into(),
            depth => format!("RELEASE SAVEPOINT _sqlx_savepoint_{}", depth - 1).into(),
        };
        let done = self.transaction(&sql, self.depth - 1);
        self.abandon(done)
    }

    async fn rollback(&mut self) -> Result<(), sqlx::Error> {
        let done = self.rollback_now();
        self.abandon(done)
    }

    async fn close(self) {
        // Closing rolls back whatever the connection held uncommitted.
        let _ = self.conn.close();
    }
}

/// A SQLite error as sqlx's driver gave it: `Database` with the extended result code (so that
/// [`super::error_kind`] logs the same kind), and the same kinds of constraint violation. Its
/// message is SQLite's description of the code, never the statement's (it may quote a value).
pub(crate) fn sqlite_failure(e: rusqlite::Error) -> sqlx::Error {
    match e {
        rusqlite::Error::SqliteFailure(error, _) => {
            sqlx::Error::Database(Box::new(SqliteFailure {
                message: error.to_string(),
                code: error.extended_code,
            }))
        }
        other => sqlite_error(other),
    }
}

#[derive(Debug)]
struct SqliteFailure {
    code: std::os::raw::c_int,
    message: String,
}

impl std::fmt::Display for SqliteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "(code: {}) {}", self.code, self.message)
    }
}

impl std::error::Error for SqliteFailure {}

impl DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        Some(self.code.to_string().into())
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        use rusqlite::ffi;
        match self.code {
            ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                ErrorKind::UniqueViolation
            }
            ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
            ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
            ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}
