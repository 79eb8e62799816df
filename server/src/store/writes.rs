//! The connection the writer runs its statements on: one trait, [`WriteConn`], so that the
//! writer (store.rs, lifecycle.rs, phone_codes.rs) is written against it, not against sqlx's
//! connection, and a second implementation (SQLite called in place, as the plans' reads are in
//! plan_reads.rs) can serve it with the same SQL text. Here, sqlx's connection: each statement is
//! sent to the database (SQLite: to the connection's own thread), and transactions and
//! savepoints are sqlx's own (its transaction manager: the same `BEGIN`, `SAVEPOINT`,
//! `RELEASE`/`ROLLBACK TO` and `COMMIT` as `Connection::begin` sends, and the same rollback of one
//! that failed to commit as a dropped `Transaction` starts).
//!
//! Statements are written with `$N` and their values given as [`Arg`]s; rows are read through
//! plan_reads.rs's [`Cols`].

use std::future::Future;

use sqlx::{AnyConnection, Connection, TransactionManager};

use super::plan_reads::Cols;

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
