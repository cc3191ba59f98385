//! Identity pools, identities and issued-credential records in SQLite.

use async_trait::async_trait;

use super::{backend, SqliteStore};
use crate::store::identity::{IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IssuedCredentials};
use crate::store::rows::{credentials_from_row, identity_from_row, identity_pool_from_row, to_json};
use crate::store::StoreResult;

#[async_trait]
impl IdentityPoolStore for SqliteStore {
    async fn insert_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<()> {
        let (openid_key, openid_key_id) = p.openid_key.clone().unzip();
        sqlx::query(
            "INSERT INTO identity_pools
             (id, name, settings, roles, role_mappings, credential_key, openid_key, openid_key_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&p.id)
        .bind(&p.name)
        .bind(to_json(&p.settings)?)
        .bind(to_json(&p.roles)?)
        .bind(to_json(&p.role_mappings)?)
        .bind(&p.credential_key)
        .bind(openid_key)
        .bind(openid_key_id)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPoolRecord>> {
        let row = sqlx::query("SELECT * FROM identity_pools WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(identity_pool_from_row).transpose()
    }

    async fn list_identity_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<IdentityPoolRecord>> {
        let rows = sqlx::query("SELECT * FROM identity_pools WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(identity_pool_from_row).collect()
    }

    async fn update_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE identity_pools SET name = ?, settings = ?, roles = ?, role_mappings = ?, updated_at = ?
             WHERE id = ?",
        )
        .bind(&p.name)
        .bind(to_json(&p.settings)?)
        .bind(to_json(&p.roles)?)
        .bind(to_json(&p.role_mappings)?)
        .bind(p.updated_at)
        .bind(&p.id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_openid_key(&self, id: &str, der: &[u8], key_id: &str) -> StoreResult<()> {
        sqlx::query("UPDATE identity_pools SET openid_key = ?, openid_key_id = ? WHERE id = ? AND openid_key IS NULL")
            .bind(der)
            .bind(key_id)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_identity_pool(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM identity_pools WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_identity(&self, i: &IdentityRecord) -> StoreResult<()> {
        let (provider, subject) = i.login.clone().unzip();
        sqlx::query(
            "INSERT INTO identities (id, pool_id, login_provider, login_subject, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&i.id)
        .bind(&i.pool_id)
        .bind(provider)
        .bind(subject)
        .bind(i.created_at)
        .bind(i.updated_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_identity(&self, id: &str) -> StoreResult<Option<IdentityRecord>> {
        let row = sqlx::query("SELECT * FROM identities WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(identity_from_row).transpose()
    }

    async fn find_identity_by_login(
        &self,
        pool_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Option<IdentityRecord>> {
        let row =
            sqlx::query("SELECT * FROM identities WHERE pool_id = ? AND login_provider = ? AND login_subject = ?")
                .bind(pool_id)
                .bind(provider)
                .bind(subject)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        row.as_ref().map(identity_from_row).transpose()
    }

    async fn link_identity(&self, id: &str, provider: &str, subject: &str, at: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE identities SET login_provider = ?, login_subject = ?, updated_at = ?
             WHERE id = ? AND login_provider IS NULL",
        )
        .bind(provider)
        .bind(subject)
        .bind(at)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn list_identities(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<IdentityRecord>> {
        let rows = sqlx::query("SELECT * FROM identities WHERE pool_id = ? AND id > ? ORDER BY id LIMIT ?")
            .bind(pool_id)
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(identity_from_row).collect()
    }

    async fn delete_identity(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM identities WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_issued_credentials(&self, c: &IssuedCredentials) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO issued_credentials
             (access_key_id, pool_id, identity_id, role_arn, session_token_hash, reason, issued_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&c.access_key_id)
        .bind(&c.pool_id)
        .bind(&c.identity_id)
        .bind(&c.role_arn)
        .bind(&c.session_token_hash)
        .bind(&c.reason)
        .bind(c.issued_at)
        .bind(c.expires_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_issued_credentials(&self, access_key_id: &str) -> StoreResult<Option<IssuedCredentials>> {
        let row = sqlx::query("SELECT * FROM issued_credentials WHERE access_key_id = ?")
            .bind(access_key_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(credentials_from_row).transpose()
    }
}
