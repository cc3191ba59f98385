//! Groups and memberships, once for both backends.

use async_trait::async_trait;

use super::{query, Backend, SqlStore};
use crate::store::rows::{group_from_row, user_from_row};
use crate::store::{Group, GroupStore, StoreResult, User};

#[async_trait]
impl<B: Backend> GroupStore for SqlStore<B> {
    async fn insert_group(&self, g: &Group) -> StoreResult<()> {
        query(
            "INSERT INTO user_groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&g.pool_id)
        .bind(&g.name)
        .bind(&g.description)
        .bind(&g.role_arn)
        .bind(g.precedence)
        .bind(g.created_at)
        .bind(g.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>> {
        let row = query("SELECT * FROM user_groups WHERE pool_id = $1 AND name = $2")
            .bind(pool_id)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(group_from_row).transpose()
    }

    async fn list_groups(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<Group>> {
        let rows = query("SELECT * FROM user_groups WHERE pool_id = $1 AND name > $2 ORDER BY name LIMIT $3")
            .bind(pool_id)
            .bind(after.unwrap_or(""))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(group_from_row).collect()
    }

    async fn update_group(&self, g: &Group) -> StoreResult<bool> {
        let changed = query(
            "UPDATE user_groups SET description = $1, role_arn = $2, precedence = $3, updated_at = $4
             WHERE pool_id = $5 AND name = $6",
        )
        .bind(&g.description)
        .bind(&g.role_arn)
        .bind(g.precedence)
        .bind(g.updated_at)
        .bind(&g.pool_id)
        .bind(&g.name)
        .execute(&self.pool)
        .await?;
        Ok(changed == 1)
    }

    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM user_groups WHERE pool_id = $1 AND name = $2")
            .bind(pool_id)
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(changed == 1)
    }

    async fn add_member(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()> {
        query("INSERT INTO group_members (pool_id, group_name, sub) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(pool_id)
            .bind(group)
            .bind(sub)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn remove_member(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()> {
        query("DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3")
            .bind(pool_id)
            .bind(group)
            .bind(sub)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn groups_of_user(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Group>> {
        let rows = query(
            "SELECT g.* FROM group_members m JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
             WHERE m.pool_id = $1 AND m.sub = $2 AND g.name > $3 ORDER BY g.name LIMIT $4",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(group_from_row).collect()
    }

    async fn members(&self, pool_id: &str, group: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<User>> {
        let rows = query(
            "SELECT u.* FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.sub = m.sub
             WHERE m.pool_id = $1 AND m.group_name = $2 AND m.sub > $3 ORDER BY m.sub LIMIT $4",
        )
        .bind(pool_id)
        .bind(group)
        .bind(after.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }
}
