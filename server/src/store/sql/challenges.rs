//! Challenge sessions, once for both backends: the pending step of a sign-in, stored under the
//! hash of its opaque `Session` with its typed state ([`crate::sign_in::challenge::ChallengeState`],
//! one JSON column) and taken (read and deleted in one `DELETE … RETURNING`) when the client
//! answers, so each challenge is answered once.

use sqlx::Pool;

use super::{query, Backend};
use crate::store::rows::{challenge_from_row, to_json};
use crate::store::{ChallengeSession, StoreResult};

pub(super) async fn insert<B: Backend>(pool: &Pool<B>, c: &ChallengeSession) -> StoreResult<()> {
    query(
        "INSERT INTO challenge_sessions (id_hash, pool_id, client_id, sub, expires_at, device_key, state)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&c.id_hash)
    .bind(&c.pool_id)
    .bind(&c.client_id)
    .bind(&c.sub)
    .bind(c.expires_at)
    .bind(&c.device_key)
    .bind(to_json(&c.state)?)
    .execute(pool)
    .await?;
    Ok(())
}

pub(super) async fn take<B: Backend>(pool: &Pool<B>, id_hash: &str) -> StoreResult<Option<ChallengeSession>> {
    let row = query("DELETE FROM challenge_sessions WHERE id_hash = $1 RETURNING *")
        .bind(id_hash)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(challenge_from_row).transpose()
}
