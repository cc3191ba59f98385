//! The PostgreSQL backend, for more than one server process: every process opens the same
//! database and keeps no state of its own, so any of them can answer any request behind a load
//! balancer.
//!
//! The schema is `migrations_pg/`, numbered like the SQLite migrations and holding the same
//! tables (BYTEA for blobs, BIGINT for times and counters, BOOLEAN for flags, text compared
//! by code point with `COLLATE "C"` as SQLite does). sqlx runs it at open under an advisory
//! lock, so processes starting together migrate once.
//!
//! The queries are [`crate::store::sql`]'s, shared with SQLite; what is PostgreSQL's own is
//! here: connecting and migrating, and the [`Backend`] parts (error mapping, the `ListUsers`
//! filter expressions compared by code point).
//!
//! Single-use records (codes, challenge sessions, authorization codes, refresh rotation, TOTP
//! steps) are consumed by one conditional `UPDATE`/`DELETE … RETURNING`, which PostgreSQL
//! serialises on the row, so exactly one process wins a race. Unlike the SQLite store there is
//! no in-process cache of sessions ([`Uncached`]): the access-token check reads the session and
//! its user on every request (one indexed join), so a revocation, sign-out or disabled user
//! made through one process is seen at once by all of them.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::Postgres;

use super::sql::{Backend, SessionCache, SqlStore, UserFilterSql};
use super::{AuthSession, StoreError, UniqueKey, User};

/// Connections each process keeps at most.
const MAX_CONNECTIONS: u32 = 16;

/// The PostgreSQL store.
pub type PgStore = SqlStore<Postgres>;

impl PgStore {
    /// Connects to `url` (`postgres://user:password@host:port/database`) and runs the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Backend(format!("database URL: {e}")))?
            .application_name("cognate");
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(std::time::Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Backend(format!("connecting to PostgreSQL: {e}")))?;
        sqlx::migrate!("./migrations_pg")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        Ok(SqlStore::new(pool))
    }
}

impl Backend for Postgres {
    type SessionCache = Uncached;

    const INSERTION_ORDER: &'static str = "id";

    fn error(err: sqlx::Error) -> StoreError {
        backend(err)
    }

    fn user_filter(attribute: &str) -> Option<UserFilterSql> {
        let column = filter_column(attribute)?;
        Some(UserFilterSql {
            column,
            range_source: "users",
        })
    }
}

/// The SQL expression a `ListUsers` filter attribute compares. The JSON attributes are read
/// with the literal expressions of the indexes of migration 0004, so those indexes serve the
/// filters; comparisons are by code point (`COLLATE "C"`), so a prefix is a range scan. The
/// attribute names come from a fixed list.
fn filter_column(attribute: &str) -> Option<&'static str> {
    Some(match attribute {
        "username" => "username",
        "sub" => "sub",
        "cognito:user_status" => "status",
        "status" => "(CASE WHEN enabled THEN 'Enabled' ELSE 'Disabled' END) COLLATE \"C\"",
        "email" => "((attributes::jsonb ->> 'email') COLLATE \"C\")",
        "phone_number" => "((attributes::jsonb ->> 'phone_number') COLLATE \"C\")",
        "name" => "((attributes::jsonb ->> 'name') COLLATE \"C\")",
        "given_name" => "((attributes::jsonb ->> 'given_name') COLLATE \"C\")",
        "family_name" => "((attributes::jsonb ->> 'family_name') COLLATE \"C\")",
        "preferred_username" => "((attributes::jsonb ->> 'preferred_username') COLLATE \"C\")",
        _ => return None,
    })
}

/// No session cache: several processes share the database, so none of them may answer from
/// what it read before.
#[derive(Default)]
pub struct Uncached;

impl SessionCache for Uncached {
    fn epoch(&self) -> u64 {
        0
    }

    fn bump(&self) {}

    fn get(&self, _origin_jti: &str) -> Option<(AuthSession, User)> {
        None
    }

    fn put(&self, _epoch: u64, _session: &AuthSession, _user: &User) {}
}

/// Maps a sqlx error, turning unique-constraint violations into [`StoreError::Conflict`]
/// named after the index that refused the row (the sign-in alias indexes of migration 0001),
/// and text PostgreSQL cannot hold (U+0000, which SQLite stores) into
/// [`StoreError::Unstorable`], an invalid parameter rather than an internal error.
fn backend(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            let key = match db.constraint() {
                Some("users_by_email") => UniqueKey::Email,
                Some("users_by_phone") => UniqueKey::PhoneNumber,
                Some("users_by_preferred") => UniqueKey::PreferredUsername,
                _ => UniqueKey::Username,
            };
            return StoreError::Conflict(key);
        }
        // 22021: a NUL byte in a text parameter; 22P05: `\u0000` in JSON read as jsonb.
        if matches!(db.code().as_deref(), Some("22021" | "22P05")) {
            return StoreError::Unstorable("A value contains a character that is not allowed (U+0000).".into());
        }
    }
    StoreError::Backend(err.to_string())
}

#[cfg(test)]
mod tests {
    /// The `.sql` file names of a migration directory of this crate, sorted.
    fn migrations(dir: &str) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut names: Vec<String> = std::fs::read_dir(&path)
            .expect("migration directory")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_sqlite_migration_has_its_postgres_translation() {
        let sqlite = migrations("migrations");
        assert!(!sqlite.is_empty());
        assert_eq!(
            sqlite,
            migrations("migrations_pg"),
            "each migrations/NNNN_x.sql needs migrations_pg/NNNN_x.sql, the same change for PostgreSQL"
        );
    }
}
