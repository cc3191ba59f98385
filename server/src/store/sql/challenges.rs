//! Challenge sessions, once for both backends: the pending step of a sign-in, stored under the
//! hash of its opaque `Session` and taken (read and deleted in one `DELETE … RETURNING`) when the
//! client answers, so each challenge is answered once. The whole record's SQL and mapping is
//! here, for [`SessionStore`](crate::store::SessionStore)'s two challenge methods.

use sqlx::Pool;

use super::{query, Backend};
use crate::store::rows::{from_json, to_json, Columns};
use crate::store::{ChallengeSession, StoreResult};

pub(super) async fn insert<B: Backend>(pool: &Pool<B>, c: &ChallengeSession) -> StoreResult<()> {
    query(
        "INSERT INTO challenge_sessions (id_hash, pool_id, client_id, sub, challenge, expires_at, srp, mfa, device_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&c.id_hash)
    .bind(&c.pool_id)
    .bind(&c.client_id)
    .bind(&c.sub)
    .bind(&c.challenge)
    .bind(c.expires_at)
    .bind(c.srp.as_ref().map(to_json).transpose()?)
    .bind(c.mfa.as_ref().map(to_json).transpose()?)
    .bind(&c.device_key)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn take<B: Backend>(pool: &Pool<B>, id_hash: &str) -> StoreResult<Option<ChallengeSession>> {
    let row = query("DELETE FROM challenge_sessions WHERE id_hash = $1 RETURNING *")
        .bind(id_hash)
        .fetch_optional(pool)
        .await?;
    row.map(|row| {
        Ok(ChallengeSession {
            id_hash: row.get("id_hash")?,
            pool_id: row.get("pool_id")?,
            client_id: row.get("client_id")?,
            sub: row.get("sub")?,
            challenge: row.get("challenge")?,
            expires_at: row.get("expires_at")?,
            srp: row
                .get::<Option<String>>("srp")?
                .as_deref()
                .map(from_json)
                .transpose()?,
            mfa: row
                .get::<Option<String>>("mfa")?
                .as_deref()
                .map(from_json)
                .transpose()?,
            device_key: row.get("device_key")?,
        })
    })
    .transpose()
}
