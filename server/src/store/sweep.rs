//! The sweeper's side of the store: how many expired rows a sweep deleted, and the trait a
//! backend implements to delete them ([`super::sql::sweep`] is the one implementation).

use async_trait::async_trait;

use super::StoreResult;

/// How many expired rows one sweep deleted, per table.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub codes: u64,
    pub challenges: u64,
    pub hosted_sessions: u64,
    pub credentials: u64,
    pub sessions: u64,
    pub authorization_codes: u64,
    pub mail: u64,
    pub retired_refresh_tokens: u64,
}

impl Swept {
    pub fn total(&self) -> u64 {
        self.codes
            + self.challenges
            + self.hosted_sessions
            + self.credentials
            + self.sessions
            + self.authorization_codes
            + self.mail
            + self.retired_refresh_tokens
    }
}

#[async_trait]
pub trait SweepStore: Send + Sync {
    /// Deletes the rows of every expiring table that are past their expiry at `now` (see
    /// [`super::sql::sweep`] for the two kept a day longer).
    async fn sweep_expired(&self, now: i64) -> StoreResult<Swept>;
}
