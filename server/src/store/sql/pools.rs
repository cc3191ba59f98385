//! Pools and app clients, once for both backends.

use async_trait::async_trait;

use super::{commit, query, Backend, SessionCache, SqlStore};
use crate::store::rows::{client_from_row, pool_from_row, to_json, Columns};
use crate::store::{AppClient, ClientStore, PoolStore, StoreResult, UserPool};

#[async_trait]
impl<B: Backend> PoolStore for SqlStore<B> {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()> {
        query(
            "INSERT INTO user_pools (id, name, settings, signing_key, key_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(to_json(&pool.settings)?)
        .bind(&pool.signing_key)
        .bind(&pool.key_id)
        .bind(pool.created_at)
        .bind(pool.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_pool(&self, id: &str) -> StoreResult<Option<UserPool>> {
        let row = query("SELECT * FROM user_pools WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn list_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<UserPool>> {
        let rows = query("SELECT * FROM user_pools WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(pool_from_row).collect()
    }

    async fn update_pool(&self, pool: &UserPool) -> StoreResult<bool> {
        let changed = query("UPDATE user_pools SET name = $1, settings = $2, updated_at = $3 WHERE id = $4")
            .bind(&pool.name)
            .bind(to_json(&pool.settings)?)
            .bind(pool.updated_at)
            .bind(&pool.id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn delete_pool(&self, id: &str) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        for table in [
            "group_members",
            "user_groups",
            "codes",
            "auth_sessions",
            "challenge_sessions",
            "oauth_codes",
            "hosted_sessions",
            "users",
            "app_clients",
        ] {
            query(&format!("DELETE FROM {table} WHERE pool_id = $1"))
                .bind(id)
                .execute(&mut tx)
                .await?;
        }
        let changed = query("DELETE FROM user_pools WHERE id = $1")
            .bind(id)
            .execute(&mut tx)
            .await?;
        commit(tx).await?;
        self.sessions.bump();
        Ok(changed == 1)
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<i64> {
        let row = query("SELECT COUNT(*) AS users FROM users WHERE pool_id = $1")
            .bind(pool_id)
            .fetch_one(&self.pool)
            .await?;
        row.get("users")
    }
}

#[async_trait]
impl<B: Backend> ClientStore for SqlStore<B> {
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()> {
        query(
            "INSERT INTO app_clients (client_id, pool_id, secret, settings, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&client.client_id)
        .bind(&client.pool_id)
        .bind(&client.secret)
        .bind(to_json(&client.settings)?)
        .bind(client.created_at)
        .bind(client.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>> {
        let row = query("SELECT * FROM app_clients WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(client_from_row).transpose()
    }

    async fn list_clients(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<AppClient>> {
        let rows = query("SELECT * FROM app_clients WHERE pool_id = $1 AND client_id > $2 ORDER BY client_id LIMIT $3")
            .bind(pool_id)
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(client_from_row).collect()
    }

    async fn update_client(&self, client: &AppClient) -> StoreResult<bool> {
        let changed = query("UPDATE app_clients SET settings = $1, updated_at = $2 WHERE client_id = $3")
            .bind(to_json(&client.settings)?)
            .bind(client.updated_at)
            .bind(&client.client_id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn delete_client(&self, client_id: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM app_clients WHERE client_id = $1")
            .bind(client_id)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }
}
