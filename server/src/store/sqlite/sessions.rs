//! One-time codes, sign-in sessions, challenge sessions and the development mailbox in SQLite.

use async_trait::async_trait;
use sqlx::Row;

use super::{backend, SqliteStore};
use crate::store::rows::{challenge_from_row, session_from_row, to_json, user_from_row};
use crate::store::{
    AuthSession, ChallengeSession, CodePurpose, CodeStore, MailMessage, MailboxStore, OneTimeCode, SessionStore,
    StoreResult, User,
};

#[async_trait]
impl CodeStore for SqliteStore {
    async fn put_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose, code: &OneTimeCode) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts) VALUES (?, ?, ?, ?, ?, ?)
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
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<Option<OneTimeCode>> {
        let row = sqlx::query(
            "SELECT code_hash, expires_at, attempts FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(OneTimeCode {
                code_hash: row.try_get("code_hash").map_err(backend)?,
                expires_at: row.try_get("expires_at").map_err(backend)?,
                attempts: row.try_get("attempts").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn add_code_attempt(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<i64> {
        let attempts: Option<i64> = sqlx::query_scalar(
            "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = ? AND sub = ? AND purpose = ? RETURNING attempts",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(purpose.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(attempts.unwrap_or(0))
    }

    async fn take_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM codes WHERE pool_id = ? AND sub = ? AND purpose = ?")
            .bind(pool_id)
            .bind(sub)
            .bind(purpose.as_str())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl SessionStore for SqliteStore {
    async fn insert_session(&self, s: &AuthSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO auth_sessions (origin_jti, pool_id, sub, client_id, refresh_hash, auth_time, expires_at, revoked, scope, device_key)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_session(&self, origin_jti: &str) -> StoreResult<Option<AuthSession>> {
        let row = sqlx::query("SELECT * FROM auth_sessions WHERE origin_jti = ?")
            .bind(origin_jti)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn get_session_by_refresh(&self, refresh_hash: &str) -> StoreResult<Option<AuthSession>> {
        let row = sqlx::query("SELECT * FROM auth_sessions WHERE refresh_hash = ?")
            .bind(refresh_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(session_from_row).transpose()
    }

    async fn get_session_with_user(&self, origin_jti: &str) -> StoreResult<Option<(AuthSession, User)>> {
        if let Some(hit) = self.sessions.get(origin_jti) {
            return Ok(Some(hit));
        }
        let epoch = self.sessions.epoch();
        let row = sqlx::query(
            "SELECT s.origin_jti, s.client_id, s.refresh_hash, s.auth_time, s.expires_at AS session_expires_at,
                    s.revoked, s.scope, s.device_key AS session_device_key, u.*
             FROM auth_sessions s JOIN users u ON u.pool_id = s.pool_id AND u.sub = s.sub
             WHERE s.origin_jti = ?",
        )
        .bind(origin_jti)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let user = user_from_row(&row)?;
        let session = AuthSession {
            origin_jti: row.try_get("origin_jti").map_err(backend)?,
            pool_id: user.pool_id.clone(),
            sub: user.sub.clone(),
            client_id: row.try_get("client_id").map_err(backend)?,
            refresh_hash: row.try_get("refresh_hash").map_err(backend)?,
            auth_time: row.try_get("auth_time").map_err(backend)?,
            expires_at: row.try_get("session_expires_at").map_err(backend)?,
            revoked: row.try_get("revoked").map_err(backend)?,
            scope: row.try_get("scope").map_err(backend)?,
            device_key: row.try_get("session_device_key").map_err(backend)?,
        };
        self.sessions.put(epoch, &session, &user);
        Ok(Some((session, user)))
    }

    async fn rotate_refresh(
        &self,
        origin_jti: &str,
        old_hash: &str,
        new_hash: &str,
        expires_at: i64,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE auth_sessions SET refresh_hash = ?, expires_at = ?
             WHERE origin_jti = ? AND refresh_hash = ? AND revoked = 0",
        )
        .bind(new_hash)
        .bind(expires_at)
        .bind(origin_jti)
        .bind(old_hash)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.sessions.bump();
        Ok(done.rows_affected() == 1)
    }

    async fn revoke_session(&self, origin_jti: &str) -> StoreResult<()> {
        sqlx::query("UPDATE auth_sessions SET revoked = 1 WHERE origin_jti = ?")
            .bind(origin_jti)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.sessions.bump();
        Ok(())
    }

    async fn revoke_user_sessions(&self, pool_id: &str, sub: &str) -> StoreResult<()> {
        sqlx::query("UPDATE auth_sessions SET revoked = 1 WHERE pool_id = ? AND sub = ?")
            .bind(pool_id)
            .bind(sub)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.sessions.bump();
        Ok(())
    }

    async fn insert_challenge(&self, c: &ChallengeSession) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO challenge_sessions (id_hash, pool_id, client_id, sub, expires_at, device_key, state)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.id_hash)
        .bind(&c.pool_id)
        .bind(&c.client_id)
        .bind(&c.sub)
        .bind(c.expires_at)
        .bind(&c.device_key)
        .bind(to_json(&c.state)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn take_challenge(&self, id_hash: &str) -> StoreResult<Option<ChallengeSession>> {
        let row = sqlx::query("DELETE FROM challenge_sessions WHERE id_hash = ? RETURNING *")
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(challenge_from_row).transpose()
    }
}

#[async_trait]
impl MailboxStore for SqliteStore {
    async fn push_mail(&self, m: &MailMessage) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO mailbox (pool_id, recipient, username, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.pool_id)
        .bind(&m.recipient)
        .bind(&m.username)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(m.time)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn list_mail(&self, limit: i64) -> StoreResult<Vec<MailMessage>> {
        let rows = sqlx::query("SELECT * FROM (SELECT * FROM mailbox ORDER BY id DESC LIMIT ?) ORDER BY id ASC")
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|row| {
                Ok(MailMessage {
                    id: row.try_get("id").map_err(backend)?,
                    pool_id: row.try_get("pool_id").map_err(backend)?,
                    recipient: row.try_get("recipient").map_err(backend)?,
                    username: row.try_get("username").map_err(backend)?,
                    subject: row.try_get("subject").map_err(backend)?,
                    body: row.try_get("body").map_err(backend)?,
                    time: row.try_get("created_at").map_err(backend)?,
                })
            })
            .collect()
    }
}
