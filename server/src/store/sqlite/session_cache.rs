//! A read cache of sessions with their users, for the access-token check every authenticated
//! request makes.
//!
//! Correctness rests on one rule: every write that can change a cached answer (a user updated
//! or deleted, a session revoked or rotated, a pool deleted) bumps the store's write epoch
//! *after* it commits, and an entry is served only while the epoch it was read under is still
//! current. A reader takes the epoch *before* it reads the database, so an entry read across a
//! write is never served. The SQLite database belongs to one process, so this is exact; a
//! backend shared by several processes needs its own scheme.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

use crate::store::sql::SessionCache;
use crate::store::{AuthSession, User};

/// Entries kept at most; past this the cache starts again empty.
const CAPACITY: usize = 100_000;

#[derive(Default)]
pub struct EpochCache {
    epoch: AtomicU64,
    entries: RwLock<HashMap<String, (u64, AuthSession, User)>>,
}

impl SessionCache for EpochCache {
    /// The epoch to tag a read with; take it before reading the database.
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Invalidates every entry; call after a write commits.
    fn bump(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
    }

    fn get(&self, origin_jti: &str) -> Option<(AuthSession, User)> {
        let entries = self.entries.read().ok()?;
        let (epoch, session, user) = entries.get(origin_jti)?;
        (*epoch == self.epoch()).then(|| (session.clone(), user.clone()))
    }

    fn put(&self, epoch: u64, session: &AuthSession, user: &User) {
        if epoch != self.epoch() {
            return;
        }
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(session.origin_jti.clone(), (epoch, session.clone(), user.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_protocol::user::UserStatus;

    fn entry() -> (AuthSession, User) {
        let session = AuthSession {
            origin_jti: "o".into(),
            pool_id: "p".into(),
            sub: "s".into(),
            client_id: "c".into(),
            refresh_hash: "h".into(),
            auth_time: 0,
            expires_at: 1,
            revoked: false,
            scope: None,
            device_key: None,
        };
        let user = User {
            pool_id: "p".into(),
            sub: "s".into(),
            username: "u".into(),
            username_key: "u".into(),
            status: UserStatus::Confirmed,
            enabled: true,
            password_hash: None,
            attributes: Default::default(),
            sign_in_email: None,
            sign_in_phone: None,
            sign_in_preferred: None,
            failed_attempts: 0,
            locked_until: 0,
            password_expires_at: None,
            srp: None,
            created_at: 0,
            updated_at: 0,
            version: 0,
        };
        (session, user)
    }

    #[test]
    fn a_write_invalidates_and_a_read_across_a_write_is_never_served() {
        let cache = EpochCache::default();
        let (session, user) = entry();
        let epoch = cache.epoch();
        cache.put(epoch, &session, &user);
        assert!(cache.get("o").is_some());
        cache.bump();
        assert!(cache.get("o").is_none(), "a write invalidates");
        let before_read = cache.epoch();
        cache.bump();
        cache.put(before_read, &session, &user);
        assert!(cache.get("o").is_none(), "read under an old epoch is not kept");
    }
}
