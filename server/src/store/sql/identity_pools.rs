//! Identity pools, identities and issued-credential records, once for both backends.

use async_trait::async_trait;

use super::{query, Backend, SqlStore};
use crate::store::identity::{IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IssuedCredentials};
use crate::store::rows::{credentials_from_row, identity_from_row, identity_pool_from_row, to_json};
use crate::store::StoreResult;

#[async_trait]
impl<B: Backend> IdentityPoolStore for SqlStore<B> {
    async fn insert_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<()> {
        let (openid_key, openid_key_id) = p.openid_key.clone().unzip();
        query(
            "INSERT INTO identity_pools
             (id, name, settings, roles, role_mappings, credential_key, openid_key, openid_key_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
        .await?;
        Ok(())
    }

    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPoolRecord>> {
        let row = query("SELECT * FROM identity_pools WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(identity_pool_from_row).transpose()
    }

    async fn list_identity_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<IdentityPoolRecord>> {
        let rows = query("SELECT * FROM identity_pools WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(identity_pool_from_row).collect()
    }

    async fn update_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<bool> {
        let changed = query(
            "UPDATE identity_pools SET name = $1, settings = $2, roles = $3, role_mappings = $4, updated_at = $5
             WHERE id = $6",
        )
        .bind(&p.name)
        .bind(to_json(&p.settings)?)
        .bind(to_json(&p.roles)?)
        .bind(to_json(&p.role_mappings)?)
        .bind(p.updated_at)
        .bind(&p.id)
        .execute(&self.pool)
        .await?;
        Ok(changed == 1)
    }

    async fn set_openid_key(&self, id: &str, der: &[u8], key_id: &str) -> StoreResult<()> {
        query("UPDATE identity_pools SET openid_key = $1, openid_key_id = $2 WHERE id = $3 AND openid_key IS NULL")
            .bind(der)
            .bind(key_id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_identity_pool(&self, id: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM identity_pools WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn insert_identity(&self, i: &IdentityRecord) -> StoreResult<()> {
        let (provider, subject) = i.login.clone().unzip();
        query(
            "INSERT INTO identities (id, pool_id, login_provider, login_subject, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&i.id)
        .bind(&i.pool_id)
        .bind(provider)
        .bind(subject)
        .bind(i.created_at)
        .bind(i.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_identity(&self, id: &str) -> StoreResult<Option<IdentityRecord>> {
        let row = query("SELECT * FROM identities WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(identity_from_row).transpose()
    }

    async fn find_identity_by_login(
        &self,
        pool_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Option<IdentityRecord>> {
        let row = query("SELECT * FROM identities WHERE pool_id = $1 AND login_provider = $2 AND login_subject = $3")
            .bind(pool_id)
            .bind(provider)
            .bind(subject)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(identity_from_row).transpose()
    }

    async fn link_identity(&self, id: &str, provider: &str, subject: &str, at: i64) -> StoreResult<bool> {
        let changed = query(
            "UPDATE identities SET login_provider = $1, login_subject = $2, updated_at = $3
             WHERE id = $4 AND login_provider IS NULL",
        )
        .bind(provider)
        .bind(subject)
        .bind(at)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(changed == 1)
    }

    async fn list_identities(
        &self,
        pool_id: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<IdentityRecord>> {
        let rows = query("SELECT * FROM identities WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3")
            .bind(pool_id)
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(identity_from_row).collect()
    }

    async fn delete_identity(&self, id: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM identities WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn insert_issued_credentials(&self, c: &IssuedCredentials) -> StoreResult<()> {
        query(
            "INSERT INTO issued_credentials
             (access_key_id, pool_id, identity_id, role_arn, session_token_hash, reason, issued_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
        .await?;
        Ok(())
    }

    async fn get_issued_credentials(&self, access_key_id: &str) -> StoreResult<Option<IssuedCredentials>> {
        let row = query("SELECT * FROM issued_credentials WHERE access_key_id = $1")
            .bind(access_key_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(credentials_from_row).transpose()
    }
}
