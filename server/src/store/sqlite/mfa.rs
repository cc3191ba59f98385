//! Pools' and users' MFA settings in SQLite.

use async_trait::async_trait;
use cognate_protocol::mfa::MfaFactorsConfig;

use super::{backend, SqliteStore};
use crate::store::rows::{from_json, to_json, user_mfa_from_row};
use crate::store::{MfaStore, StoreResult, UserMfa};

#[async_trait]
impl MfaStore for SqliteStore {
    async fn get_pool_mfa(&self, pool_id: &str) -> StoreResult<Option<MfaFactorsConfig>> {
        let text: Option<String> = sqlx::query_scalar("SELECT factors FROM pool_mfa WHERE pool_id = ?")
            .bind(pool_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        text.as_deref().map(from_json).transpose()
    }

    async fn put_pool_mfa(&self, pool_id: &str, factors: &MfaFactorsConfig) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO pool_mfa (pool_id, factors) VALUES (?, ?)
             ON CONFLICT (pool_id) DO UPDATE SET factors = excluded.factors",
        )
        .bind(pool_id)
        .bind(to_json(factors)?)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_user_mfa(&self, pool_id: &str, sub: &str) -> StoreResult<UserMfa> {
        let row = sqlx::query("SELECT * FROM user_mfa WHERE pool_id = ? AND sub = ?")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(UserMfa::default());
        };
        user_mfa_from_row(&row)
    }

    async fn put_user_mfa(&self, pool_id: &str, sub: &str, m: &UserMfa) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO user_mfa (pool_id, sub, totp_secret, totp_pending, totp_device_name, totp_last_step,
                                   totp_enabled, sms_enabled, email_enabled, preferred)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (pool_id, sub) DO UPDATE SET
                totp_secret = excluded.totp_secret, totp_pending = excluded.totp_pending,
                totp_device_name = excluded.totp_device_name,
                totp_last_step = MAX(user_mfa.totp_last_step, excluded.totp_last_step),
                totp_enabled = excluded.totp_enabled, sms_enabled = excluded.sms_enabled,
                email_enabled = excluded.email_enabled, preferred = excluded.preferred",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(&m.totp_secret)
        .bind(&m.totp_pending)
        .bind(&m.totp_device_name)
        .bind(m.totp_last_step)
        .bind(m.totp_enabled)
        .bind(m.sms_enabled)
        .bind(m.email_enabled)
        .bind(&m.preferred)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn use_totp_step(&self, pool_id: &str, sub: &str, step: i64) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE user_mfa SET totp_last_step = ? WHERE pool_id = ? AND sub = ? AND totp_last_step < ?")
                .bind(step)
                .bind(pool_id)
                .bind(sub)
                .bind(step)
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
