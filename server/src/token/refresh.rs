//! Refresh tokens: new ID and access tokens for a live session's refresh token
//! (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken, the OAuth `refresh_token` grant), rotating
//! the refresh token when the app client asks for rotation.
//!
//! A rotated-away token is remembered with its session (the token's family): presented again
//! within the client's `RetryGracePeriodSeconds` it is a retry and rotates once more; later it
//! revokes the whole session. Rotation never extends the session's expiry.

use cognate_protocol::auth::AuthenticationResult;

use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::state::AppState;
use crate::store::{AppClient, AuthSession, User, UserPool};
use crate::token;
use crate::user_pool::check_secret_hash;

/// How the caller of [`refresh`] proved it is the app client, when the client has a secret.
#[derive(Debug, Clone, Copy)]
pub enum ClientProof<'a> {
    /// The caller checked the client secret itself (GetTokensFromRefreshToken, the OAuth token
    /// endpoint's client authentication).
    SecretChecked,
    /// REFRESH_TOKEN_AUTH's `SECRET_HASH`, over the token's user: the username, the `sub`, or
    /// the `USERNAME` parameter when it names that user (the SDKs send either).
    SecretHash {
        username: Option<&'a str>,
        secret_hash: Option<&'a str>,
    },
}

impl ClientProof<'_> {
    fn check(self, client: &AppClient, user: &User, named_user: bool) -> ApiResult<()> {
        let ClientProof::SecretHash { username, secret_hash } = self else {
            return Ok(());
        };
        if client.secret.is_none() {
            return Ok(());
        }
        let mut candidates = vec![user.username.as_str(), user.sub.as_str()];
        if let (Some(given), true) = (username, named_user) {
            candidates.push(given);
        }
        let mut last = Ok(());
        for candidate in candidates {
            last = check_secret_hash(client, candidate, secret_hash);
            if last.is_ok() {
                break;
            }
        }
        last
    }
}

fn invalid_refresh() -> ApiError {
    ApiError::not_authorized("Invalid Refresh Token")
}

/// Issues new tokens for a refresh token; rotates it when the client asks for rotation.
pub async fn refresh(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    refresh_token: &str,
    proof: ClientProof<'_>,
) -> ApiResult<AuthenticationResult> {
    let now = state.clock.now();
    let presented = hash_token(refresh_token);
    // `retired`: when the presented token was rotated away, if it was.
    let (session, retired) = match state.store.get_session_by_refresh(&presented).await? {
        Some(session) => (session, None),
        None => {
            let (origin_jti, retired_at) = state
                .store
                .retired_refresh(&presented)
                .await?
                .ok_or_else(invalid_refresh)?;
            (
                state
                    .store
                    .get_session(&origin_jti)
                    .await?
                    .ok_or_else(invalid_refresh)?,
                Some(retired_at),
            )
        }
    };
    if session.client_id != client.client_id || session.pool_id != pool.id {
        return Err(invalid_refresh());
    }
    if let Some(retired_at) = retired {
        check_retry(state, client, &session, now - retired_at).await?;
    }
    if session.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if session.expires_at <= now {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    let user = state
        .store
        .get_user_by_sub(&pool.id, &session.sub)
        .await?
        .ok_or_else(invalid_refresh)?;
    let named_user = match proof {
        // Only a client with a secret looks at the name: the others need no lookup.
        ClientProof::SecretHash {
            username: Some(given), ..
        } if client.secret.is_some() => crate::user_pool::identity::find_user(state, pool, given)
            .await?
            .is_some_and(|named| named.sub == user.sub),
        _ => false,
    };
    proof.check(client, &user, named_user)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let rotate = client
        .settings
        .refresh_token_rotation
        .as_ref()
        .and_then(|r| r.feature.as_deref())
        == Some("ENABLED");
    let mut result = token::issue(state, pool, client, &user, &session).await?;
    // A retry of a rotated token within the grace period rotates again: the client lost the
    // answer that carried the current token.
    if rotate || retired.is_some() {
        let next = new_token(64);
        if !state
            .store
            .rotate_refresh(&session.origin_jti, &session.refresh_hash, &hash_token(&next), now)
            .await?
        {
            return Err(invalid_refresh());
        }
        result.refresh_token = Some(next);
    }
    Ok(result)
}

/// A rotated-away refresh token presented again: within the client's
/// `RetryGracePeriodSeconds` of its rotation a retry (the client never saw the answer),
/// afterwards a sign of theft, which revokes the whole session — every refresh token of that
/// sign-in, the current one included, and its access tokens.
async fn check_retry(state: &AppState, client: &AppClient, session: &AuthSession, since_retired: i64) -> ApiResult<()> {
    let grace = client
        .settings
        .refresh_token_rotation
        .as_ref()
        .and_then(|r| r.retry_grace_period_seconds)
        .unwrap_or(0);
    if !session.revoked && grace > 0 && since_retired <= grace {
        return Ok(());
    }
    if !session.revoked {
        tracing::warn!(
            client_id = %client.client_id,
            "a rotated refresh token was presented again: its sign-in session is revoked"
        );
        state.store.revoke_session(&session.origin_jti).await?;
    }
    Err(ApiError::not_authorized("Refresh Token has been revoked"))
}
