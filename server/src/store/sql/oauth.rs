//! Resource servers, hosted-UI domains, authorization codes and hosted sessions, once for both backends.

use async_trait::async_trait;
use cognate_protocol::oauth::ResourceServerType;

use super::{query, Backend, SqlStore};
use crate::store::oauth::{AuthorizationCode, HostedSession, OAuthStore, Redemption};
use crate::store::rows::{code_from_row, server_from_row, to_json, Columns};
use crate::store::StoreResult;

#[async_trait]
impl<B: Backend> OAuthStore for SqlStore<B> {
    async fn put_resource_server(&self, server: &ResourceServerType, create: bool) -> StoreResult<bool> {
        let sql = if create {
            "INSERT INTO resource_servers (pool_id, identifier, name, scopes) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING"
        } else {
            "UPDATE resource_servers SET name = $3, scopes = $4 WHERE pool_id = $1 AND identifier = $2"
        };
        let changed = query(sql)
            .bind(&server.user_pool_id)
            .bind(&server.identifier)
            .bind(&server.name)
            .bind(to_json(&server.scopes)?)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn get_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<Option<ResourceServerType>> {
        let row = query("SELECT * FROM resource_servers WHERE pool_id = $1 AND identifier = $2")
            .bind(pool_id)
            .bind(identifier)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(server_from_row).transpose()
    }

    async fn list_resource_servers(&self, pool_id: &str) -> StoreResult<Vec<ResourceServerType>> {
        let rows = query("SELECT * FROM resource_servers WHERE pool_id = $1 ORDER BY identifier")
            .bind(pool_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(server_from_row).collect()
    }

    async fn delete_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2")
            .bind(pool_id)
            .bind(identifier)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn create_domain(&self, domain: &str, pool_id: &str, now: i64) -> StoreResult<bool> {
        let changed = query(
            "INSERT INTO user_pool_domains (domain, pool_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(domain)
        .bind(pool_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(changed == 1)
    }

    async fn domain_owner(&self, domain: &str) -> StoreResult<Option<String>> {
        let row = query("SELECT pool_id FROM user_pool_domains WHERE domain = $1")
            .bind(domain)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| row.get("pool_id")).transpose()
    }

    async fn delete_domain(&self, domain: &str, pool_id: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM user_pool_domains WHERE domain = $1 AND pool_id = $2")
            .bind(domain)
            .bind(pool_id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn insert_code(&self, code: &AuthorizationCode) -> StoreResult<()> {
        // Expired codes are swept as new ones arrive.
        query("DELETE FROM oauth_codes WHERE expires_at < $1")
            .bind(code.expires_at - 3600)
            .execute(&self.pool)
            .await?;
        query(
            "INSERT INTO oauth_codes (code_hash, pool_id, client_id, sub, redirect_uri, scope, nonce, code_challenge,
                                      auth_time, expires_at, device_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&code.code_hash)
        .bind(&code.pool_id)
        .bind(&code.client_id)
        .bind(&code.sub)
        .bind(&code.redirect_uri)
        .bind(&code.scope)
        .bind(&code.nonce)
        .bind(&code.code_challenge)
        .bind(code.auth_time)
        .bind(code.expires_at)
        .bind(&code.device_key)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn redeem_code(&self, code_hash: &str, origin_jti: &str) -> StoreResult<Redemption> {
        let claimed =
            query("UPDATE oauth_codes SET redeemed_by = $1 WHERE code_hash = $2 AND redeemed_by IS NULL RETURNING *")
                .bind(origin_jti)
                .bind(code_hash)
                .fetch_optional(&self.pool)
                .await?;
        if let Some(row) = claimed {
            return Ok(Redemption::Fresh(Box::new(code_from_row(&row)?)));
        }
        let used = query("SELECT redeemed_by FROM oauth_codes WHERE code_hash = $1")
            .bind(code_hash)
            .fetch_optional(&self.pool)
            .await?;
        let redeemed_by: Option<String> = used.map(|row| row.get("redeemed_by")).transpose()?.flatten();
        Ok(match redeemed_by {
            Some(redeemed_by) => Redemption::Replayed { redeemed_by },
            None => Redemption::Unknown,
        })
    }

    async fn insert_hosted_session(&self, session: &HostedSession) -> StoreResult<()> {
        query("INSERT INTO hosted_sessions (id_hash, pool_id, sub, auth_time, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&session.id_hash)
            .bind(&session.pool_id)
            .bind(&session.sub)
            .bind(session.auth_time)
            .bind(session.expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn get_hosted_session(&self, id_hash: &str) -> StoreResult<Option<HostedSession>> {
        let row = query("SELECT * FROM hosted_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(HostedSession {
                id_hash: row.get("id_hash")?,
                pool_id: row.get("pool_id")?,
                sub: row.get("sub")?,
                auth_time: row.get("auth_time")?,
                expires_at: row.get("expires_at")?,
            })
        })
        .transpose()
    }

    async fn delete_user_hosted_sessions(&self, pool_id: &str, sub: &str) -> StoreResult<()> {
        query("DELETE FROM hosted_sessions WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn delete_hosted_session(&self, id_hash: &str) -> StoreResult<()> {
        query("DELETE FROM hosted_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
