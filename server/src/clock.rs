//! Time, injected.
//!
//! Code expiry, lockout and token lifetimes all depend on "now". Handlers ask the [`Clock`] in
//! the app state, so tests can move time forward instead of sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A source of the current time, in whole seconds since the Unix epoch.
pub trait Clock: Send + Sync {
    fn now(&self) -> i64;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        chrono::Utc::now().timestamp()
    }
}

/// A clock that tests move by hand: the system time plus an offset, or, once frozen, a
/// fixed time that only [`OffsetClock::advance`] moves.
#[derive(Default, Clone)]
pub struct OffsetClock {
    offset: Arc<AtomicI64>,
    frozen_at: Arc<AtomicI64>,
}

impl OffsetClock {
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Stops the clock at the current time.
    pub fn freeze(&self) {
        self.frozen_at.store(chrono::Utc::now().timestamp(), Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> i64 {
        let base = match self.frozen_at.load(Ordering::SeqCst) {
            0 => chrono::Utc::now().timestamp(),
            frozen => frozen,
        };
        base + self.offset.load(Ordering::SeqCst)
    }
}
