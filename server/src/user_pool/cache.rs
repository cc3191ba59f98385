//! A short-lived in-memory copy of pools, so checking an access token costs no pool read.
//!
//! Entries live a few seconds: a change made through this process is seen at once (the
//! operations invalidate), a change made by another process sharing the database within the
//! time to live.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use crate::store::UserPool;

/// How long a cached pool is trusted.
const TIME_TO_LIVE: Duration = Duration::from_secs(5);

/// Pools by id, with the time they were read.
#[derive(Default)]
pub struct PoolCache {
    entries: RwLock<HashMap<String, (Instant, UserPool)>>,
}

impl PoolCache {
    pub fn get(&self, pool_id: &str) -> Option<UserPool> {
        let entries = self.entries.read().ok()?;
        let (read_at, pool) = entries.get(pool_id)?;
        (read_at.elapsed() < TIME_TO_LIVE).then(|| pool.clone())
    }

    pub fn put(&self, pool: &UserPool) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() > 10_000 {
                entries.clear();
            }
            entries.insert(pool.id.clone(), (Instant::now(), pool.clone()));
        }
    }

    pub fn invalidate(&self, pool_id: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.remove(pool_id);
        }
    }
}
