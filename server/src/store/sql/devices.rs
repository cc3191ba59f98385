//! Remembered devices, once for both backends.

use async_trait::async_trait;

use super::{query, Backend, SqlStore};
use crate::store::rows::device_from_row;
use crate::store::{Device, DeviceStore, StoreResult};

#[async_trait]
impl<B: Backend> DeviceStore for SqlStore<B> {
    async fn insert_device(&self, d: &Device) -> StoreResult<()> {
        query(
            "INSERT INTO devices (pool_id, device_key, sub, group_key, name, salt, verifier, confirmed, remembered,
                                  last_ip, created_at, updated_at, last_authenticated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&d.pool_id)
        .bind(&d.device_key)
        .bind(&d.sub)
        .bind(&d.group_key)
        .bind(&d.name)
        .bind(&d.salt)
        .bind(&d.verifier)
        .bind(d.confirmed)
        .bind(d.remembered)
        .bind(&d.last_ip)
        .bind(d.created_at)
        .bind(d.updated_at)
        .bind(d.last_authenticated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_device(&self, pool_id: &str, device_key: &str) -> StoreResult<Option<Device>> {
        let row = query("SELECT * FROM devices WHERE pool_id = $1 AND device_key = $2")
            .bind(pool_id)
            .bind(device_key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(device_from_row).transpose()
    }

    async fn update_device(&self, d: &Device) -> StoreResult<bool> {
        let changed = query(
            "UPDATE devices SET name = $1, salt = $2, verifier = $3, confirmed = $4, remembered = $5, last_ip = $6,
                                updated_at = $7, last_authenticated_at = $8
             WHERE pool_id = $9 AND device_key = $10",
        )
        .bind(&d.name)
        .bind(&d.salt)
        .bind(&d.verifier)
        .bind(d.confirmed)
        .bind(d.remembered)
        .bind(&d.last_ip)
        .bind(d.updated_at)
        .bind(d.last_authenticated_at)
        .bind(&d.pool_id)
        .bind(&d.device_key)
        .execute(&self.pool)
        .await?;
        Ok(changed == 1)
    }

    async fn list_devices(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Device>> {
        let rows = query(
            "SELECT * FROM devices WHERE pool_id = $1 AND sub = $2 AND confirmed AND device_key > $3
             ORDER BY device_key LIMIT $4",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(device_from_row).collect()
    }

    async fn delete_device(&self, pool_id: &str, device_key: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM devices WHERE pool_id = $1 AND device_key = $2")
            .bind(pool_id)
            .bind(device_key)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }
}
