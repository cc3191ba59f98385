//! Users in SQLite. Attributes are a JSON object; the attributes users sign in with are also
//! kept in their own uniquely indexed columns, so "one account per email" is the database's
//! guarantee, not a check-then-insert race.

use async_trait::async_trait;

use super::{backend, SqliteStore};
use crate::store::rows::{to_json, user_from_row};
use crate::store::{StoreError, StoreResult, UniqueKey, User, UserFilter, UserStore};

/// The SQL expression a `ListUsers` filter attribute compares, and the index (migration 0004)
/// that serves it. The JSON paths are literal so the expression indexes apply; the attribute
/// names come from a fixed list. Naming the index matters for prefix filters: left alone, the
/// planner prefers walking every user in username order to avoid a sort.
fn filter_column(attribute: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match attribute {
        "username" => ("username", Some("users_by_given_username")),
        "sub" => ("sub", None),
        "cognito:user_status" => ("status", Some("users_by_status")),
        "status" => ("CASE enabled WHEN 1 THEN 'Enabled' ELSE 'Disabled' END", None),
        "email" => ("json_extract(attributes, '$.email')", Some("users_by_attr_email")),
        "phone_number" => (
            "json_extract(attributes, '$.phone_number')",
            Some("users_by_attr_phone"),
        ),
        "name" => ("json_extract(attributes, '$.name')", Some("users_by_attr_name")),
        "given_name" => (
            "json_extract(attributes, '$.given_name')",
            Some("users_by_attr_given_name"),
        ),
        "family_name" => (
            "json_extract(attributes, '$.family_name')",
            Some("users_by_attr_family_name"),
        ),
        "preferred_username" => (
            "json_extract(attributes, '$.preferred_username')",
            Some("users_by_attr_preferred"),
        ),
        _ => return None,
    })
}

/// The smallest string greater than every string starting with `prefix` (for a range scan).
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// Inserts users with one statement: all of them, or (on any conflict) none.
pub(crate) async fn insert_users<'c>(executor: impl sqlx::SqliteExecutor<'c>, users: &[&User]) -> StoreResult<()> {
    const INSERT: &str = "INSERT INTO users (pool_id, sub, username, username_key, status, enabled, password_hash,
        attributes, sign_in_email, sign_in_phone, sign_in_preferred, failed_attempts, locked_until,
        password_expires_at, created_at, updated_at, srp_salt, srp_verifier) VALUES ";
    const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let sql = format!("{INSERT}{}", vec![ROW; users.len()].join(", "));
    let mut query = sqlx::query(&sql);
    for user in users {
        query = query
            .bind(&user.pool_id)
            .bind(&user.sub)
            .bind(&user.username)
            .bind(&user.username_key)
            .bind(user.status.as_str())
            .bind(user.enabled)
            .bind(&user.password_hash)
            .bind(to_json(&user.attributes)?)
            .bind(&user.sign_in_email)
            .bind(&user.sign_in_phone)
            .bind(&user.sign_in_preferred)
            .bind(user.failed_attempts)
            .bind(user.locked_until)
            .bind(user.password_expires_at)
            .bind(user.created_at)
            .bind(user.updated_at)
            .bind(user.srp.as_ref().map(|s| s.salt.clone()))
            .bind(user.srp.as_ref().map(|s| s.verifier.clone()));
    }
    query.execute(executor).await.map_err(backend)?;
    Ok(())
}

#[async_trait]
impl UserStore for SqliteStore {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        insert_users(&self.pool, &[user]).await
    }

    async fn get_user_by_key(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE pool_id = ? AND username_key = ?")
            .bind(pool_id)
            .bind(username_key)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE pool_id = ? AND sub = ?")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user_by_alias(&self, pool_id: &str, alias: UniqueKey, key: &str) -> StoreResult<Option<User>> {
        let column = match alias {
            UniqueKey::Username => "username_key",
            UniqueKey::Email => "sign_in_email",
            UniqueKey::PhoneNumber => "sign_in_phone",
            UniqueKey::PreferredUsername => "sign_in_preferred",
        };
        let row = sqlx::query(&format!("SELECT * FROM users WHERE pool_id = ? AND {column} = ?"))
            .bind(pool_id)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn update_user(&self, user: &User) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE users SET username = ?, username_key = ?, status = ?, enabled = ?, password_hash = ?,
                attributes = ?, sign_in_email = ?, sign_in_phone = ?, sign_in_preferred = ?,
                failed_attempts = ?, locked_until = ?, password_expires_at = ?, updated_at = ?,
                srp_salt = ?, srp_verifier = ?
             WHERE pool_id = ? AND sub = ?",
        )
        .bind(&user.username)
        .bind(&user.username_key)
        .bind(user.status.as_str())
        .bind(user.enabled)
        .bind(&user.password_hash)
        .bind(to_json(&user.attributes)?)
        .bind(&user.sign_in_email)
        .bind(&user.sign_in_phone)
        .bind(&user.sign_in_preferred)
        .bind(user.failed_attempts)
        .bind(user.locked_until)
        .bind(user.password_expires_at)
        .bind(user.updated_at)
        .bind(user.srp.as_ref().map(|s| s.salt.clone()))
        .bind(user.srp.as_ref().map(|s| s.verifier.clone()))
        .bind(&user.pool_id)
        .bind(&user.sub)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        self.sessions.bump();
        Ok(done.rows_affected() == 1)
    }

    async fn delete_user(&self, pool_id: &str, sub: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM users WHERE pool_id = ? AND sub = ?")
            .bind(pool_id)
            .bind(sub)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.sessions.bump();
        Ok(done.rows_affected() == 1)
    }

    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<User>> {
        let mut sql = String::from("SELECT * FROM users");
        let mut conditions = String::from(" WHERE pool_id = ? AND username_key > ?");
        let mut values = Vec::new();
        if let Some(filter) = filter {
            let (column, index) = filter_column(&filter.attribute)
                .ok_or_else(|| StoreError::Backend(format!("unfilterable attribute {}", filter.attribute)))?;
            if let Some(index) = index.filter(|_| filter.prefix && !filter.value.is_empty()) {
                sql.push_str(&format!(" INDEXED BY {index}"));
            }
            let sql = &mut conditions;
            if !filter.prefix {
                sql.push_str(&format!(" AND {column} = ?"));
                values.push(filter.value.clone());
            } else if !filter.value.is_empty() {
                sql.push_str(&format!(" AND {column} >= ?"));
                values.push(filter.value.clone());
                if let Some(upper) = prefix_upper_bound(&filter.value) {
                    sql.push_str(&format!(" AND {column} < ?"));
                    values.push(upper);
                }
            }
        }
        sql.push_str(&conditions);
        sql.push_str(" ORDER BY username_key LIMIT ?");
        let mut query = sqlx::query(&sql).bind(pool_id).bind(after.unwrap_or(""));
        for value in values {
            query = query.bind(value);
        }
        let rows = query.bind(limit).fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter().map(user_from_row).collect()
    }
}
