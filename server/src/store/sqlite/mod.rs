//! The embedded SQLite backend: one database file in the data directory, WAL journal,
//! `synchronous=FULL` so an answered write survives a crash, foreign keys on so deleting a pool
//! or a user takes everything of theirs with it.
//!
//! The queries are [`crate::store::sql`]'s, shared with PostgreSQL; what is SQLite's own is
//! here: opening and migrating the database (`migrations/`), the [`Backend`] parts (error
//! mapping, the `ListUsers` filter expressions with their `INDEXED BY` hints), and the
//! in-process session cache ([`session_cache`]), exact because the database belongs to one
//! process.

mod session_cache;

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Sqlite;

use super::sql::{Backend, SqlStore, UserFilterSql};
use super::{StoreError, UniqueKey};

/// The SQLite store.
pub type SqliteStore = SqlStore<Sqlite>;

impl SqliteStore {
    /// Opens (creating if needed) `cognate.db` in `data_dir` and runs the migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Backend(format!("creating {}: {e}", data_dir.display())))?;
        let options = SqliteConnectOptions::new()
            .filename(data_dir.join("cognate.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        Self::connect(options, 8).await
    }

    /// A private in-memory database (for unit tests).
    pub async fn in_memory() -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(backend)?
            .foreign_keys(true);
        Self::connect(options, 1).await
    }

    async fn connect(options: SqliteConnectOptions, connections: u32) -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(SqlStore::new(pool))
    }
}

impl Backend for Sqlite {
    type SessionCache = session_cache::EpochCache;

    const INSERTION_ORDER: &'static str = "rowid";

    fn error(err: sqlx::Error) -> StoreError {
        backend(err)
    }

    fn user_filter(attribute: &str) -> Option<UserFilterSql> {
        user_filter(attribute)
    }
}

/// The expression a `ListUsers` filter attribute compares, and the index (migration 0004) that
/// serves a prefix filter. The JSON paths are literal so the expression indexes apply; the
/// attribute names come from a fixed list. Naming the index matters for prefix filters: left
/// alone, the planner prefers walking every user in username order to avoid a sort.
fn user_filter(attribute: &str) -> Option<UserFilterSql> {
    let (column, range_source) = match attribute {
        "username" => ("username", "users INDEXED BY users_by_given_username"),
        "sub" => ("sub", "users"),
        "cognito:user_status" => ("status", "users INDEXED BY users_by_status"),
        "status" => ("CASE enabled WHEN 1 THEN 'Enabled' ELSE 'Disabled' END", "users"),
        "email" => (
            "json_extract(attributes, '$.email')",
            "users INDEXED BY users_by_attr_email",
        ),
        "phone_number" => (
            "json_extract(attributes, '$.phone_number')",
            "users INDEXED BY users_by_attr_phone",
        ),
        "name" => (
            "json_extract(attributes, '$.name')",
            "users INDEXED BY users_by_attr_name",
        ),
        "given_name" => (
            "json_extract(attributes, '$.given_name')",
            "users INDEXED BY users_by_attr_given_name",
        ),
        "family_name" => (
            "json_extract(attributes, '$.family_name')",
            "users INDEXED BY users_by_attr_family_name",
        ),
        "preferred_username" => (
            "json_extract(attributes, '$.preferred_username')",
            "users INDEXED BY users_by_attr_preferred",
        ),
        _ => return None,
    };
    Some(UserFilterSql { column, range_source })
}

/// Maps a sqlx error, turning unique-constraint violations into [`StoreError::Conflict`].
fn backend(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            let message = db.message();
            let key = if message.contains("sign_in_email") {
                UniqueKey::Email
            } else if message.contains("sign_in_phone") {
                UniqueKey::PhoneNumber
            } else if message.contains("sign_in_preferred") {
                UniqueKey::PreferredUsername
            } else {
                UniqueKey::Username
            };
            return StoreError::Conflict(key);
        }
    }
    StoreError::Backend(err.to_string())
}
