//! One-time codes, sign-in sessions (read through the backend's [`SessionCache`], which every
//! write that can change a cached answer bumps) and the development mailbox, once for both
//! backends. Challenge sessions are in [`super::challenges`].

use async_trait::async_trait;

use super::{challenges, query, Backend, SessionCache, SqlStore};
use crate::store::rows::{session_from_row, user_from_row, Columns};
use crate::store::{
    AuthSession, ChallengeSession, CodePurpose, CodeStore, MailMessage, MailboxStore, OneTimeCode, SessionStore,
    StoreResult, User,
};

#[async_trait]
impl<B: Backend> CodeStore for SqlStore<B> {
    async fn put_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose, code: &OneTimeCode) -> StoreResult<()> {
        query(
            "INSERT INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (pool_id, sub, purpose)
             DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = excluded.attempts",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .bind(&code.code_hash)
        .bind(code.expires_at)
        .bind(code.attempts)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<Option<OneTimeCode>> {
        let row =
            query("SELECT code_hash, expires_at, attempts FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3")
                .bind(pool_id)
                .bind(sub)
                .bind(purpose.as_str())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            Ok(OneTimeCode {
                code_hash: row.get("code_hash")?,
                expires_at: row.get("expires_at")?,
                attempts: row.get("attempts")?,
            })
        })
        .transpose()
    }

    async fn claim_code_attempt(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        max_attempts: i64,
    ) -> StoreResult<Option<OneTimeCode>> {
        let row = query(
            "UPDATE codes SET attempts = attempts + 1
             WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND attempts < $4
             RETURNING code_hash, expires_at, attempts",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .bind(max_attempts)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(OneTimeCode {
                code_hash: row.get("code_hash")?,
                expires_at: row.get("expires_at")?,
                attempts: row.get("attempts")?,
            })
        })
        .transpose()
    }

    async fn take_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<bool> {
        let changed = query("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3")
            .bind(pool_id)
            .bind(sub)
            .bind(purpose.as_str())
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }
}

#[async_trait]
impl<B: Backend> SessionStore for SqlStore<B> {
    async fn insert_session(&self, s: &AuthSession) -> StoreResult<()> {
        query(
            "INSERT INTO auth_sessions (origin_jti, pool_id, sub, client_id, refresh_hash, auth_time, expires_at, revoked, scope, device_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&s.origin_jti)
        .bind(&s.pool_id)
        .bind(&s.sub)
        .bind(&s.client_id)
        .bind(&s.refresh_hash)
        .bind(s.auth_time)
        .bind(s.expires_at)
        .bind(s.revoked)
        .bind(&s.scope)
        .bind(&s.device_key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_session(&self, origin_jti: &str) -> StoreResult<Option<AuthSession>> {
        let row = query("SELECT * FROM auth_sessions WHERE origin_jti = $1")
            .bind(origin_jti)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn get_session_by_refresh(&self, refresh_hash: &str) -> StoreResult<Option<AuthSession>> {
        let row = query("SELECT * FROM auth_sessions WHERE refresh_hash = $1")
            .bind(refresh_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn get_session_with_user(&self, origin_jti: &str) -> StoreResult<Option<(AuthSession, User)>> {
        if let Some(hit) = self.sessions.get(origin_jti) {
            return Ok(Some(hit));
        }
        let epoch = self.sessions.epoch();
        let row = query(
            "SELECT s.origin_jti, s.client_id, s.refresh_hash, s.auth_time, s.expires_at AS session_expires_at,
                    s.revoked, s.scope, s.device_key AS session_device_key, u.*
             FROM auth_sessions s JOIN users u ON u.pool_id = s.pool_id AND u.sub = s.sub
             WHERE s.origin_jti = $1",
        )
        .bind(origin_jti)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row)?;
        let session = AuthSession {
            origin_jti: row.get("origin_jti")?,
            pool_id: user.pool_id.clone(),
            sub: user.sub.clone(),
            client_id: row.get("client_id")?,
            refresh_hash: row.get("refresh_hash")?,
            auth_time: row.get("auth_time")?,
            expires_at: row.get("session_expires_at")?,
            revoked: row.get("revoked")?,
            scope: row.get("scope")?,
            device_key: row.get("session_device_key")?,
        };
        self.sessions.put(epoch, &session, &user);
        Ok(Some((session, user)))
    }

    async fn rotate_refresh(&self, origin_jti: &str, old_hash: &str, new_hash: &str, now: i64) -> StoreResult<bool> {
        let changed = query(
            "UPDATE auth_sessions SET refresh_hash = $1
             WHERE origin_jti = $2 AND refresh_hash = $3 AND NOT revoked",
        )
        .bind(new_hash)
        .bind(origin_jti)
        .bind(old_hash)
        .execute(&self.pool)
        .await?;
        self.sessions.bump();
        if changed != 1 {
            return Ok(false);
        }
        // Only the one rotation that moved the session on gets here, so the hash is new.
        query("INSERT INTO retired_refresh_tokens (refresh_hash, origin_jti, retired_at) VALUES ($1, $2, $3)")
            .bind(old_hash)
            .bind(origin_jti)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(true)
    }

    async fn retired_refresh(&self, refresh_hash: &str) -> StoreResult<Option<(String, i64)>> {
        let row = query("SELECT origin_jti, retired_at FROM retired_refresh_tokens WHERE refresh_hash = $1")
            .bind(refresh_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((row.get("origin_jti")?, row.get("retired_at")?)))
            .transpose()
    }

    async fn revoke_session(&self, origin_jti: &str) -> StoreResult<()> {
        query("UPDATE auth_sessions SET revoked = TRUE WHERE origin_jti = $1")
            .bind(origin_jti)
            .execute(&self.pool)
            .await?;
        self.sessions.bump();
        Ok(())
    }

    async fn revoke_user_sessions(&self, pool_id: &str, sub: &str) -> StoreResult<()> {
        query("UPDATE auth_sessions SET revoked = TRUE WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .execute(&self.pool)
            .await?;
        self.sessions.bump();
        crate::store::OAuthStore::delete_user_hosted_sessions(self, pool_id, sub).await
    }

    async fn insert_challenge(&self, challenge: &ChallengeSession) -> StoreResult<()> {
        challenges::insert(&self.pool, challenge).await
    }

    async fn take_challenge(&self, id_hash: &str) -> StoreResult<Option<ChallengeSession>> {
        challenges::take(&self.pool, id_hash).await
    }
}

#[async_trait]
impl<B: Backend> MailboxStore for SqlStore<B> {
    async fn push_mail(&self, m: &MailMessage) -> StoreResult<()> {
        query(
            "INSERT INTO mailbox (pool_id, recipient, username, subject, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&m.pool_id)
        .bind(&m.recipient)
        .bind(&m.username)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.time)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_mail(&self, limit: i64) -> StoreResult<Vec<MailMessage>> {
        let rows = query("SELECT * FROM (SELECT * FROM mailbox ORDER BY id DESC LIMIT $1) AS recent ORDER BY id ASC")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(MailMessage {
                    id: row.get("id")?,
                    pool_id: row.get("pool_id")?,
                    recipient: row.get("recipient")?,
                    username: row.get("username")?,
                    subject: row.get("subject")?,
                    body: row.get("body")?,
                    time: row.get("created_at")?,
                })
            })
            .collect()
    }
}
