//! The sweeper's deletes, once for both backends: every table whose rows expire loses the rows
//! past their expiry, each table in one statement.
//!
//! Two tables keep rows a while past expiry, because something still reads them: sign-in
//! sessions (an access token, valid up to a day, is checked against its session, so an
//! expired refresh token's session stays for [`AFTER_EXPIRY`]) and authorization codes (a
//! redeemed code is kept so that its replay still revokes what it issued).

use async_trait::async_trait;

use super::{query, Backend, SessionCache, SqlStore};
use crate::store::{StoreResult, SweepStore, Swept};

/// How long sign-in sessions and authorization codes are kept after they expire: the longest
/// access-token lifetime.
pub const AFTER_EXPIRY: i64 = 86_400;

/// The development mailbox keeps a week of messages.
pub const MAILBOX_DAYS: i64 = 7;

#[async_trait]
impl<B: Backend> SweepStore for SqlStore<B> {
    async fn sweep_expired(&self, now: i64) -> StoreResult<Swept> {
        let late = now - AFTER_EXPIRY;
        let mut swept = Swept::default();
        let statements: [(&str, i64, &mut u64); 7] = [
            ("DELETE FROM codes WHERE expires_at <= $1", now, &mut swept.codes),
            (
                "DELETE FROM challenge_sessions WHERE expires_at <= $1",
                now,
                &mut swept.challenges,
            ),
            (
                "DELETE FROM hosted_sessions WHERE expires_at <= $1",
                now,
                &mut swept.hosted_sessions,
            ),
            (
                "DELETE FROM issued_credentials WHERE expires_at <= $1",
                now,
                &mut swept.credentials,
            ),
            (
                "DELETE FROM auth_sessions WHERE expires_at <= $1",
                late,
                &mut swept.sessions,
            ),
            (
                "DELETE FROM oauth_codes WHERE expires_at <= $1",
                late,
                &mut swept.authorization_codes,
            ),
            (
                "DELETE FROM mailbox WHERE created_at <= $1",
                now - MAILBOX_DAYS * 86_400,
                &mut swept.mail,
            ),
        ];
        for (sql, before, count) in statements {
            *count = query(sql).bind(before).execute(&self.pool).await?;
        }
        // Retired refresh tokens live as long as the session they belonged to.
        swept.retired_refresh_tokens = query(
            "DELETE FROM retired_refresh_tokens WHERE NOT EXISTS
             (SELECT 1 FROM auth_sessions s WHERE s.origin_jti = retired_refresh_tokens.origin_jti)",
        )
        .execute(&self.pool)
        .await?;
        if swept.sessions > 0 {
            self.sessions.bump();
        }
        Ok(swept)
    }
}
