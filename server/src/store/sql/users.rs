//! Users, once for both backends. Attributes are a JSON object; the attributes users sign in
//! with are also kept in their own uniquely indexed columns, so "one account per email" is the
//! database's guarantee, not a check-then-insert race. `ListUsers` filters compare the
//! backend's expression of the attribute ([`Backend::user_filter`]), the one its indexes serve.

use async_trait::async_trait;

use super::{query, Backend, On, SessionCache, SqlStore};
use crate::store::rows::{to_json, user_from_row, Columns};
use crate::store::{SrpCredentials, StoreError, StoreResult, UniqueKey, User, UserFilter, UserStore};

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
pub(super) async fn insert_users<'e, B: Backend>(on: impl Into<On<'e, B>>, users: &[&User]) -> StoreResult<()> {
    const INSERT: &str = "INSERT INTO users (pool_id, sub, username, username_key, status, enabled, password_hash,
        attributes, sign_in_email, sign_in_phone, sign_in_preferred, failed_attempts, locked_until,
        password_expires_at, created_at, updated_at, srp_salt, srp_verifier) VALUES ";
    const COLUMNS: usize = 18;
    let rows: Vec<String> = (0..users.len())
        .map(|row| {
            let params: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", row * COLUMNS + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let sql = format!("{INSERT}{}", rows.join(", "));
    let mut statement = query(&sql);
    for user in users {
        statement = statement
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
    let on: On<'_, B> = on.into();
    statement.execute(on).await?;
    Ok(())
}

#[async_trait]
impl<B: Backend> UserStore for SqlStore<B> {
    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        insert_users(&self.pool, &[user]).await
    }

    async fn get_user_by_key(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>> {
        let row = query("SELECT * FROM users WHERE pool_id = $1 AND username_key = $2")
            .bind(pool_id)
            .bind(username_key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>> {
        let row = query("SELECT * FROM users WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn get_user_by_alias(&self, pool_id: &str, alias: UniqueKey, key: &str) -> StoreResult<Option<User>> {
        let column = match alias {
            UniqueKey::Username => "username_key",
            UniqueKey::Email => "sign_in_email",
            UniqueKey::PhoneNumber => "sign_in_phone",
            UniqueKey::PreferredUsername => "sign_in_preferred",
        };
        let row = query(&format!("SELECT * FROM users WHERE pool_id = $1 AND {column} = $2"))
            .bind(pool_id)
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn update_user(&self, user: &User) -> StoreResult<bool> {
        let changed = query(
            "UPDATE users SET username = $1, username_key = $2, status = $3, enabled = $4, password_hash = $5,
                attributes = $6, sign_in_email = $7, sign_in_phone = $8, sign_in_preferred = $9,
                password_expires_at = $10, updated_at = $11, srp_salt = $12, srp_verifier = $13,
                version = version + 1
             WHERE pool_id = $14 AND sub = $15 AND version = $16",
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
        .bind(user.password_expires_at)
        .bind(user.updated_at)
        .bind(user.srp.as_ref().map(|s| s.salt.clone()))
        .bind(user.srp.as_ref().map(|s| s.verifier.clone()))
        .bind(&user.pool_id)
        .bind(&user.sub)
        .bind(user.version)
        .execute(&self.pool)
        .await?;
        self.sessions.bump();
        if changed == 1 {
            return Ok(true);
        }
        match self.get_user_by_sub(&user.pool_id, &user.sub).await? {
            Some(_) => Err(StoreError::Stale),
            None => Ok(false),
        }
    }

    async fn add_failed_password(&self, pool_id: &str, sub: &str) -> StoreResult<i64> {
        let row = query(
            "UPDATE users SET failed_attempts = failed_attempts + 1 WHERE pool_id = $1 AND sub = $2
             RETURNING failed_attempts",
        )
        .bind(pool_id)
        .bind(sub)
        .fetch_optional(&self.pool)
        .await?;
        self.sessions.bump();
        Ok(row.map(|row| row.get("failed_attempts")).transpose()?.unwrap_or(0))
    }

    async fn lock_out_until(&self, pool_id: &str, sub: &str, until: i64) -> StoreResult<()> {
        query("UPDATE users SET locked_until = $3 WHERE pool_id = $1 AND sub = $2 AND locked_until < $3")
            .bind(pool_id)
            .bind(sub)
            .bind(until)
            .execute(&self.pool)
            .await?;
        self.sessions.bump();
        Ok(())
    }

    async fn clear_failed_passwords(&self, pool_id: &str, sub: &str, proven_hash: Option<&str>) -> StoreResult<()> {
        let statement = match proven_hash {
            Some(hash) => query(
                "UPDATE users SET failed_attempts = 0, locked_until = 0
                 WHERE pool_id = $1 AND sub = $2 AND password_hash = $3",
            )
            .bind(pool_id)
            .bind(sub)
            .bind(hash),
            None => query("UPDATE users SET failed_attempts = 0, locked_until = 0 WHERE pool_id = $1 AND sub = $2")
                .bind(pool_id)
                .bind(sub),
        };
        statement.execute(&self.pool).await?;
        self.sessions.bump();
        Ok(())
    }

    async fn upgrade_password_hash(&self, pool_id: &str, sub: &str, old_hash: &str, new_hash: &str) -> StoreResult<()> {
        query("UPDATE users SET password_hash = $4 WHERE pool_id = $1 AND sub = $2 AND password_hash = $3")
            .bind(pool_id)
            .bind(sub)
            .bind(old_hash)
            .bind(new_hash)
            .execute(&self.pool)
            .await?;
        self.sessions.bump();
        Ok(())
    }

    async fn srp_verifiers_outside(
        &self,
        low: &[u8],
        high: &[u8],
        limit: i64,
    ) -> StoreResult<Vec<(String, String, Vec<u8>)>> {
        let rows = query(
            "SELECT pool_id, sub, srp_verifier FROM users
             WHERE srp_verifier IS NOT NULL AND (srp_verifier < $1 OR srp_verifier >= $2) LIMIT $3",
        )
        .bind(low)
        .bind(high)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| Ok((row.get("pool_id")?, row.get("sub")?, row.get("srp_verifier")?)))
            .collect()
    }

    async fn reseal_srp_verifier(&self, pool_id: &str, sub: &str, old: &[u8], sealed: &[u8]) -> StoreResult<bool> {
        let changed = query("UPDATE users SET srp_verifier = $4 WHERE pool_id = $1 AND sub = $2 AND srp_verifier = $3")
            .bind(pool_id)
            .bind(sub)
            .bind(old)
            .bind(sealed)
            .execute(&self.pool)
            .await?;
        self.sessions.bump();
        Ok(changed == 1)
    }

    async fn add_srp_credentials(
        &self,
        pool_id: &str,
        sub: &str,
        password_hash: &str,
        srp: &SrpCredentials,
    ) -> StoreResult<()> {
        query(
            "UPDATE users SET srp_salt = $4, srp_verifier = $5
             WHERE pool_id = $1 AND sub = $2 AND password_hash = $3 AND srp_verifier IS NULL",
        )
        .bind(pool_id)
        .bind(sub)
        .bind(password_hash)
        .bind(&srp.salt)
        .bind(&srp.verifier)
        .execute(&self.pool)
        .await?;
        self.sessions.bump();
        Ok(())
    }

    async fn delete_user(&self, pool_id: &str, sub: &str) -> StoreResult<bool> {
        let changed = query("DELETE FROM users WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .execute(&self.pool)
            .await?;
        crate::store::OAuthStore::delete_user_hosted_sessions(self, pool_id, sub).await?;
        self.sessions.bump();
        Ok(changed == 1)
    }

    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<User>> {
        let mut source = "users";
        let mut conditions = String::new();
        let mut values = Vec::new();
        if let Some(filter) = filter {
            let sql = B::user_filter(&filter.attribute)
                .ok_or_else(|| StoreError::Backend(format!("unfilterable attribute {}", filter.attribute)))?;
            let column = sql.column;
            if !filter.prefix {
                values.push(filter.value.clone());
                conditions.push_str(&format!(" AND {column} = ${}", values.len() + 2));
            } else if !filter.value.is_empty() {
                source = sql.range_source;
                values.push(filter.value.clone());
                conditions.push_str(&format!(" AND {column} >= ${}", values.len() + 2));
                if let Some(upper) = prefix_upper_bound(&filter.value) {
                    values.push(upper);
                    conditions.push_str(&format!(" AND {column} < ${}", values.len() + 2));
                }
            }
        }
        let sql = format!(
            "SELECT * FROM {source} WHERE pool_id = $1 AND username_key > $2{conditions}
             ORDER BY username_key LIMIT ${}",
            values.len() + 3
        );
        let mut statement = query(&sql).bind(pool_id).bind(after.unwrap_or(""));
        for value in values {
            statement = statement.bind(value);
        }
        let rows = statement.bind(limit).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }
}
