//! Running one SQL text on either sqlx driver.
//!
//! sqlx's own `query(…).bind(…).fetch_optional(&pool)` needs, in generic code, the value's
//! `Encode` for the driver and the pool's `Executor` impl spelled out as bounds on every impl
//! block (and the futures of such generic code trip the compiler's `Send` check). So the
//! shared stores go through [`Query`], which has the same shape — [`query`], `bind`, `execute`,
//! `fetch_optional`, `fetch_all` — and hands each statement to [`Driver`], the same few lines
//! of sqlx calls stamped out for SQLite and for PostgreSQL, where the driver is concrete.

use std::future::Future;
use std::pin::Pin;

use sqlx::{Database, Encode, Pool, Postgres, Sqlite, Transaction, Type};

use super::Backend;
use crate::store::rows::Columns;
use crate::store::StoreResult;

/// A value a statement binds: a type both backends encode (text, integers, flags, bytes, and
/// their `Option`s).
pub trait Value<'q>: Send + 'q + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> {}

impl<'q, T> Value<'q> for T where
    T: Send + 'q + Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres>
{
}

/// A boxed future that can move between threads (as sqlx's executors return).
pub type BoxFuture<'e, T> = Pin<Box<dyn Future<Output = T> + Send + 'e>>;

/// sqlx's statement type for a driver.
pub type SqlxQuery<'q, D> = sqlx::query::Query<'q, D, <D as Database>::Arguments<'q>>;

/// Where a statement runs: on a connection of the pool, or in an open transaction.
pub enum On<'e, D: Database> {
    Pool(&'e Pool<D>),
    Connection(&'e mut D::Connection),
}

impl<'e, D: Database> From<&'e Pool<D>> for On<'e, D> {
    fn from(pool: &'e Pool<D>) -> Self {
        On::Pool(pool)
    }
}

impl<'e, D: Database> From<&'e mut Transaction<'_, D>> for On<'e, D> {
    fn from(tx: &'e mut Transaction<'_, D>) -> Self {
        On::Connection(&mut **tx)
    }
}

/// A sqlx driver the shared stores run on; implemented for [`Sqlite`] and [`Postgres`] below.
pub trait Driver: Database<Row: Columns> {
    fn bind<'q, T: Value<'q>>(query: SqlxQuery<'q, Self>, value: T) -> SqlxQuery<'q, Self>;

    /// Runs a statement; the number of rows it changed.
    fn execute<'e, 'q: 'e>(query: SqlxQuery<'q, Self>, on: On<'e, Self>) -> BoxFuture<'e, sqlx::Result<u64>>;

    fn fetch_optional<'e, 'q: 'e>(
        query: SqlxQuery<'q, Self>,
        on: On<'e, Self>,
    ) -> BoxFuture<'e, sqlx::Result<Option<Self::Row>>>;

    fn fetch_all<'e, 'q: 'e>(
        query: SqlxQuery<'q, Self>,
        on: On<'e, Self>,
    ) -> BoxFuture<'e, sqlx::Result<Vec<Self::Row>>>;
}

/// Implements [`Driver`] for a sqlx database type: the same calls for each.
macro_rules! driver {
    ($db:ty) => {
        impl Driver for $db {
            fn bind<'q, T: Value<'q>>(query: SqlxQuery<'q, Self>, value: T) -> SqlxQuery<'q, Self> {
                query.bind(value)
            }

            fn execute<'e, 'q: 'e>(query: SqlxQuery<'q, Self>, on: On<'e, Self>) -> BoxFuture<'e, sqlx::Result<u64>> {
                Box::pin(async move {
                    let done = match on {
                        On::Pool(pool) => query.execute(pool).await?,
                        On::Connection(connection) => query.execute(connection).await?,
                    };
                    Ok(done.rows_affected())
                })
            }

            fn fetch_optional<'e, 'q: 'e>(
                query: SqlxQuery<'q, Self>,
                on: On<'e, Self>,
            ) -> BoxFuture<'e, sqlx::Result<Option<Self::Row>>> {
                match on {
                    On::Pool(pool) => Box::pin(query.fetch_optional(pool)),
                    On::Connection(connection) => Box::pin(query.fetch_optional(connection)),
                }
            }

            fn fetch_all<'e, 'q: 'e>(
                query: SqlxQuery<'q, Self>,
                on: On<'e, Self>,
            ) -> BoxFuture<'e, sqlx::Result<Vec<Self::Row>>> {
                match on {
                    On::Pool(pool) => Box::pin(query.fetch_all(pool)),
                    On::Connection(connection) => Box::pin(query.fetch_all(connection)),
                }
            }
        }
    };
}

driver!(Sqlite);
driver!(Postgres);

/// A statement and its arguments; errors come back mapped by [`Backend::error`].
#[must_use = "a query runs only when executed or fetched"]
pub struct Query<'q, B: Backend>(SqlxQuery<'q, B>);

/// A statement of `sql` (placeholders `$1`, `$2`, …).
pub fn query<B: Backend>(sql: &str) -> Query<'_, B> {
    Query(sqlx::query(sql))
}

impl<'q, B: Backend> Query<'q, B> {
    /// Binds the next argument (`$1` first).
    pub fn bind(self, value: impl Value<'q>) -> Self {
        Query(B::bind(self.0, value))
    }

    /// Runs the statement; returns the number of rows it changed.
    pub async fn execute<'e>(self, on: impl Into<On<'e, B>>) -> StoreResult<u64>
    where
        'q: 'e,
    {
        B::execute(self.0, on.into()).await.map_err(B::error)
    }

    pub async fn fetch_optional<'e>(self, on: impl Into<On<'e, B>>) -> StoreResult<Option<B::Row>>
    where
        'q: 'e,
    {
        B::fetch_optional(self.0, on.into()).await.map_err(B::error)
    }

    /// The one row the statement returns.
    pub async fn fetch_one<'e>(self, on: impl Into<On<'e, B>>) -> StoreResult<B::Row>
    where
        'q: 'e,
    {
        let row = B::fetch_optional(self.0, on.into()).await;
        row.and_then(|row| row.ok_or(sqlx::Error::RowNotFound))
            .map_err(B::error)
    }

    pub async fn fetch_all<'e>(self, on: impl Into<On<'e, B>>) -> StoreResult<Vec<B::Row>>
    where
        'q: 'e,
    {
        B::fetch_all(self.0, on.into()).await.map_err(B::error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    /// The shared SQL rests on this: SQLite binds `$N` to argument N, however often and in
    /// whatever order the placeholders appear (as PostgreSQL does).
    #[tokio::test]
    async fn sqlite_binds_numbered_placeholders_by_number() {
        let store = SqliteStore::in_memory().await.expect("store");
        let row = query::<Sqlite>("SELECT $2 AS second, $1 AS first, $2 AS again, $3 AS third")
            .bind("one")
            .bind("two")
            .bind(3_i64)
            .fetch_one(&store.pool)
            .await
            .expect("row");
        assert_eq!(row.get::<String>("first").expect("first"), "one");
        assert_eq!(row.get::<String>("second").expect("second"), "two");
        assert_eq!(row.get::<String>("again").expect("again"), "two");
        assert_eq!(row.get::<i64>("third").expect("third"), 3);
    }
}
