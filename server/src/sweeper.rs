//! The background sweeper: every [`INTERVAL`] seconds (and once at start) it deletes the rows
//! of every expiring table that are past their expiry ([`crate::store::SweepStore`]), so that
//! codes, challenges, sessions and the mailbox do not grow without bound. Several processes on
//! one PostgreSQL database each sweep; the deletes are idempotent.

use std::sync::Arc;
use std::time::Duration;

use crate::state::AppState;

/// Seconds between sweeps.
pub const INTERVAL: u64 = 300;

/// Sweeps until the process stops.
pub async fn run(state: Arc<AppState>) {
    let mut ticks = tokio::time::interval(Duration::from_secs(INTERVAL));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match state.store.sweep_expired(state.clock.now()).await {
            Ok(swept) if swept.total() > 0 => tracing::info!(?swept, "expired rows deleted"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "sweeping expired rows failed; next try in {INTERVAL} s"),
        }
    }
}
