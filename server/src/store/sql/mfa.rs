//! Pools' and users' MFA settings, once for both backends.

use async_trait::async_trait;
use cognate_protocol::mfa::MfaFactorsConfig;

use super::{query, Backend, SqlStore};
use crate::mfa::factors::Factor;
use crate::store::rows::{from_json, to_json, user_mfa_from_row, Columns};
use crate::store::{MfaStore, StoreResult, UserMfa};

#[async_trait]
impl<B: Backend> MfaStore for SqlStore<B> {
    async fn get_pool_mfa(&self, pool_id: &str) -> StoreResult<Option<MfaFactorsConfig>> {
        let row = query("SELECT factors FROM pool_mfa WHERE pool_id = $1")
            .bind(pool_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| from_json(&row.get::<String>("factors")?)).transpose()
    }

    async fn put_pool_mfa(&self, pool_id: &str, factors: &MfaFactorsConfig) -> StoreResult<()> {
        query(
            "INSERT INTO pool_mfa (pool_id, factors) VALUES ($1, $2)
             ON CONFLICT (pool_id) DO UPDATE SET factors = excluded.factors",
        )
        .bind(pool_id)
        .bind(to_json(factors)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_user_mfa(&self, pool_id: &str, sub: &str) -> StoreResult<UserMfa> {
        let row = query("SELECT * FROM user_mfa WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else {
            return Ok(UserMfa::default());
        };
        user_mfa_from_row(&row)
    }

    async fn put_user_mfa(&self, pool_id: &str, sub: &str, m: &UserMfa) -> StoreResult<()> {
        query(
            "INSERT INTO user_mfa (pool_id, sub, totp_secret, totp_pending, totp_device_name, totp_last_step,
                                   totp_enabled, sms_enabled, email_enabled, preferred)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (pool_id, sub) DO UPDATE SET
                totp_secret = excluded.totp_secret, totp_pending = excluded.totp_pending,
                totp_device_name = excluded.totp_device_name,
                totp_last_step = CASE WHEN excluded.totp_last_step > user_mfa.totp_last_step
                                 THEN excluded.totp_last_step ELSE user_mfa.totp_last_step END,
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
        .bind(m.preferred.map(Factor::as_str))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn use_totp_step(&self, pool_id: &str, sub: &str, step: i64) -> StoreResult<bool> {
        let changed =
            query("UPDATE user_mfa SET totp_last_step = $1 WHERE pool_id = $2 AND sub = $3 AND totp_last_step < $4")
                .bind(step)
                .bind(pool_id)
                .bind(sub)
                .bind(step)
                .execute(&self.pool)
                .await?;
        Ok(changed == 1)
    }
}
