//! Identity pools, identities and issued-credential records in PostgreSQL.

use async_trait::async_trait;
use sqlx::Row;

use super::{backend, from_json, to_json, PgStore};
use crate::store::identity::{IdentityPoolRecord, IdentityPoolStore, IdentityRecord, IssuedCredentials};
use crate::store::StoreResult;

fn pool_from_row(row: &sqlx::postgres::PgRow) -> StoreResult<IdentityPoolRecord> {
    let openid_key: Option<Vec<u8>> = row.try_get("openid_key").map_err(backend)?;
    let openid_key_id: Option<String> = row.try_get("openid_key_id").map_err(backend)?;
    Ok(IdentityPoolRecord {
        id: row.try_get("id").map_err(backend)?,
        name: row.try_get("name").map_err(backend)?,
        settings: from_json(row.try_get::<&str, _>("settings").map_err(backend)?)?,
        roles: from_json(row.try_get::<&str, _>("roles").map_err(backend)?)?,
        role_mappings: from_json(row.try_get::<&str, _>("role_mappings").map_err(backend)?)?,
        credential_key: row.try_get("credential_key").map_err(backend)?,
        openid_key: openid_key.zip(openid_key_id),
        created_at: row.try_get("created_at").map_err(backend)?,
        updated_at: row.try_get("updated_at").map_err(backend)?,
    })
}

fn identity_from_row(row: &sqlx::postgres::PgRow) -> StoreResult<IdentityRecord> {
    let provider: Option<String> = row.try_get("login_provider").map_err(backend)?;
    let subject: Option<String> = row.try_get("login_subject").map_err(backend)?;
    Ok(IdentityRecord {
        id: row.try_get("id").map_err(backend)?,
        pool_id: row.try_get("pool_id").map_err(backend)?,
        login: provider.zip(subject),
        created_at: row.try_get("created_at").map_err(backend)?,
        updated_at: row.try_get("updated_at").map_err(backend)?,
    })
}

fn credentials_from_row(row: &sqlx::postgres::PgRow) -> StoreResult<IssuedCredentials> {
    Ok(IssuedCredentials {
        access_key_id: row.try_get("access_key_id").map_err(backend)?,
        pool_id: row.try_get("pool_id").map_err(backend)?,
        identity_id: row.try_get("identity_id").map_err(backend)?,
        role_arn: row.try_get("role_arn").map_err(backend)?,
        session_token_hash: row.try_get("session_token_hash").map_err(backend)?,
        reason: row.try_get("reason").map_err(backend)?,
        issued_at: row.try_get("issued_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
    })
}

#[async_trait]
impl IdentityPoolStore for PgStore {
    async fn insert_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<()> {
        let (openid_key, openid_key_id) = p.openid_key.clone().unzip();
        sqlx::query(
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
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPoolRecord>> {
        let row = sqlx::query("SELECT * FROM identity_pools WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn list_identity_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<IdentityPoolRecord>> {
        let rows = sqlx::query("SELECT * FROM identity_pools WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(pool_from_row).collect()
    }

    async fn update_identity_pool(&self, p: &IdentityPoolRecord) -> StoreResult<bool> {
        let done = sqlx::query(
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
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_openid_key(&self, id: &str, der: &[u8], key_id: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE identity_pools SET openid_key = $1, openid_key_id = $2 WHERE id = $3 AND openid_key IS NULL",
        )
        .bind(der)
        .bind(key_id)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn delete_identity_pool(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM identity_pools WHERE id = $1")
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
             VALUES ($1, $2, $3, $4, $5, $6)",
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
        let row = sqlx::query("SELECT * FROM identities WHERE id = $1")
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
            sqlx::query("SELECT * FROM identities WHERE pool_id = $1 AND login_provider = $2 AND login_subject = $3")
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
            "UPDATE identities SET login_provider = $1, login_subject = $2, updated_at = $3
             WHERE id = $4 AND login_provider IS NULL",
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
        let rows = sqlx::query("SELECT * FROM identities WHERE pool_id = $1 AND id > $2 ORDER BY id LIMIT $3")
            .bind(pool_id)
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(identity_from_row).collect()
    }

    async fn delete_identity(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM identities WHERE id = $1")
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
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_issued_credentials(&self, access_key_id: &str) -> StoreResult<Option<IssuedCredentials>> {
        let row = sqlx::query("SELECT * FROM issued_credentials WHERE access_key_id = $1")
            .bind(access_key_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(credentials_from_row).transpose()
    }
}
