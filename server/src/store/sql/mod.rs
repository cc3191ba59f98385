//! The store, written once for SQLite and PostgreSQL: every query of every aggregate is one SQL
//! text with numbered placeholders (`$1`, `$2`, …), which both drivers bind by number (sqlx's
//! SQLite driver maps the parameter named `$N` to argument N), so [`SqlStore`] implements the
//! store traits once, generic over the [`Backend`] it runs on.
//!
//! # Layout
//!
//! - this module: [`SqlStore`] and [`Backend`], what a database provides beyond the shared SQL
//!   (its error mapping, the few expressions the dialects spell differently, its session cache);
//! - `driver`: the thin [`Query`] through which the shared code binds and runs statements on
//!   either sqlx driver;
//! - one file per aggregate: `pools` (pools and app clients), `users`, `groups`, `sessions`
//!   (one-time codes, sign-in sessions, the development mailbox), `challenges` (challenge
//!   sessions), `imports`, `oauth`, `identity_pools`, `mfa`, `devices`, and `sweep` (deleting
//!   expired rows of them all);
//! - the backends, [`super::sqlite`] and [`super::postgres`], implement [`Backend`] and open
//!   their database; nothing else of them is per backend.
//!
//! SQL the two dialects both accept is written once in the standard form both share: booleans
//! as `TRUE`/`NOT flag`, upserts as `INSERT … ON CONFLICT`, single-use takes as
//! `DELETE … RETURNING` or a conditional `UPDATE`.

mod challenges;
mod devices;
mod driver;
mod groups;
mod identity_pools;
mod imports;
mod mfa;
mod oauth;
mod pools;
mod sessions;
pub mod sweep;
mod users;

use std::sync::Arc;

use sqlx::{Pool, Transaction};

use driver::query;
pub use driver::{Driver, On, Query};

use super::{AuthSession, StoreError, StoreResult, User};

/// A database the store runs on: a [`Driver`] (sqlx's, with its plumbing) plus what the
/// shared SQL cannot say once.
pub trait Backend: Driver {
    /// What the store keeps of session reads between requests.
    type SessionCache: SessionCache;

    /// The column that orders a table's rows by insertion (for the import log).
    const INSERTION_ORDER: &'static str;

    /// Maps a sqlx error: a unique-key violation is [`StoreError::Conflict`] (naming the key),
    /// a value the database cannot hold is [`StoreError::Unstorable`].
    fn error(err: sqlx::Error) -> StoreError;

    /// How this backend compares a `ListUsers` filter attribute; `None` for an attribute that
    /// cannot be filtered on.
    fn user_filter(attribute: &str) -> Option<UserFilterSql>;
}

/// A backend's SQL for one `ListUsers` filter attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserFilterSql {
    /// The expression compared with the filter value.
    pub column: &'static str,
    /// What a prefix (range) filter reads from: `users`, or the table with the hint naming the
    /// index that serves the range.
    pub range_source: &'static str,
}

/// What a backend keeps of `get_session_with_user` answers (the access-token check). Every write
/// that can change an answer calls [`SessionCache::bump`] after it commits.
pub trait SessionCache: Default + Send + Sync + 'static {
    /// The write epoch to tag a read with; taken before reading the database.
    fn epoch(&self) -> u64;
    /// Invalidates every entry.
    fn bump(&self);
    fn get(&self, origin_jti: &str) -> Option<(AuthSession, User)>;
    /// Keeps an answer read under `epoch`, unless a write came since.
    fn put(&self, epoch: u64, session: &AuthSession, user: &User);
}

/// The store on backend `B`: a connection pool and the backend's session cache.
pub struct SqlStore<B: Backend> {
    pool: Pool<B>,
    sessions: Arc<B::SessionCache>,
}

impl<B: Backend> Clone for SqlStore<B> {
    fn clone(&self) -> Self {
        SqlStore {
            pool: self.pool.clone(),
            sessions: Arc::clone(&self.sessions),
        }
    }
}

impl<B: Backend> SqlStore<B> {
    /// The store on `pool`, whose schema is migrated.
    pub(super) fn new(pool: Pool<B>) -> Self {
        SqlStore {
            pool,
            sessions: Default::default(),
        }
    }

    async fn begin(&self) -> StoreResult<Transaction<'static, B>> {
        self.pool.begin().await.map_err(B::error)
    }
}

/// Commits `tx`.
async fn commit<B: Backend>(tx: Transaction<'_, B>) -> StoreResult<()> {
    tx.commit().await.map_err(B::error)
}
