//! Pools and app clients in SQLite.

use async_trait::async_trait;

use super::{backend, SqliteStore};
use crate::store::rows::{client_from_row, pool_from_row, to_json};
use crate::store::{AppClient, ClientStore, PoolStore, StoreResult, UserPool};

#[async_trait]
impl PoolStore for SqliteStore {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO user_pools (id, name, settings, signing_key, key_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&pool.id)
        .bind(&pool.name)
        .bind(to_json(&pool.settings)?)
        .bind(&pool.signing_key)
        .bind(&pool.key_id)
        .bind(pool.created_at)
        .bind(pool.updated_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_pool(&self, id: &str) -> StoreResult<Option<UserPool>> {
        let row = sqlx::query("SELECT * FROM user_pools WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(pool_from_row).transpose()
    }

    async fn list_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<UserPool>> {
        let rows = sqlx::query("SELECT * FROM user_pools WHERE id > ? ORDER BY id LIMIT ?")
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(pool_from_row).collect()
    }

    async fn update_pool(&self, pool: &UserPool) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE user_pools SET name = ?, settings = ?, updated_at = ? WHERE id = ?")
            .bind(&pool.name)
            .bind(to_json(&pool.settings)?)
            .bind(pool.updated_at)
            .bind(&pool.id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_pool(&self, id: &str) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
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
            sqlx::query(&format!("DELETE FROM {table} WHERE pool_id = ?"))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        let done = sqlx::query("DELETE FROM user_pools WHERE id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        self.sessions.bump();
        Ok(done.rows_affected() == 1)
    }

    async fn count_users(&self, pool_id: &str) -> StoreResult<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE pool_id = ?")
            .bind(pool_id)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)
    }
}

#[async_trait]
impl ClientStore for SqliteStore {
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO app_clients (client_id, pool_id, secret, settings, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&client.client_id)
        .bind(&client.pool_id)
        .bind(&client.secret)
        .bind(to_json(&client.settings)?)
        .bind(client.created_at)
        .bind(client.updated_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>> {
        let row = sqlx::query("SELECT * FROM app_clients WHERE client_id = ?")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(client_from_row).transpose()
    }

    async fn list_clients(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<AppClient>> {
        let rows =
            sqlx::query("SELECT * FROM app_clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id LIMIT ?")
                .bind(pool_id)
                .bind(after.unwrap_or(""))
                .bind(limit)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        rows.iter().map(client_from_row).collect()
    }

    async fn update_client(&self, client: &AppClient) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE app_clients SET settings = ?, updated_at = ? WHERE client_id = ?")
            .bind(to_json(&client.settings)?)
            .bind(client.updated_at)
            .bind(&client.client_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn delete_client(&self, client_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM app_clients WHERE client_id = ?")
            .bind(client_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }
}
