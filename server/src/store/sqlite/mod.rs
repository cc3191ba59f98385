//! The embedded SQLite backend: one database file in the data directory, WAL journal,
//! `synchronous=FULL` so an answered write survives a crash, foreign keys on so deleting a pool
//! or a user takes everything of theirs with it.

mod devices;
mod groups;
mod identity_pools;
mod imports;
mod mfa;
mod oauth;
mod pools;
mod session_cache;
mod sessions;
mod users;

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use super::{StoreError, UniqueKey};

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    sessions: std::sync::Arc<session_cache::SessionCache>,
}

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
        Ok(SqliteStore {
            pool,
            sessions: Default::default(),
        })
    }
}

/// Maps a sqlx error, turning unique-constraint violations into [`StoreError::Conflict`].
pub(crate) fn backend(err: sqlx::Error) -> StoreError {
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
