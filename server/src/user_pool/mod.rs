//! A user pool's rules, applied by the API operations: finding the pool and client a request
//! names, the client's secret hash, how usernames and aliases identify users
//! ([`identity`]), which attributes are valid ([`attributes`]), one-time codes
//! ([`codes`]) and CSV user import ([`import`]).

pub mod attributes;
pub mod cache;
pub mod codes;
pub mod identity;
pub mod import;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::auth::ExplicitAuthFlow;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::password_policy::PasswordPolicy;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{AppClient, UserPool};

/// The pool a request names.
pub async fn load_pool(state: &AppState, pool_id: &str) -> ApiResult<UserPool> {
    if pool_id.is_empty() {
        return Err(ApiError::invalid_parameter("UserPoolId is required."));
    }
    cached_pool(state, pool_id)
        .await?
        .ok_or_else(|| ApiError::pool_not_found(pool_id))
}

/// A pool from the cache, else from the store (and then cached).
pub async fn cached_pool(state: &AppState, pool_id: &str) -> ApiResult<Option<UserPool>> {
    if let Some(pool) = state.pools.get(pool_id) {
        return Ok(Some(pool));
    }
    let pool = state.store.get_pool(pool_id).await?;
    if let Some(pool) = &pool {
        state.pools.put(pool);
    }
    Ok(pool)
}

/// The app client a request names, with its pool.
pub async fn load_client(state: &AppState, client_id: &str) -> ApiResult<(UserPool, AppClient)> {
    if client_id.is_empty() {
        return Err(ApiError::invalid_parameter("ClientId is required."));
    }
    let client = state
        .store
        .get_client(client_id)
        .await?
        .ok_or_else(|| ApiError::client_not_found(client_id))?;
    let pool = load_pool(state, &client.pool_id).await?;
    Ok((pool, client))
}

/// `Base64(HMAC-SHA256(client secret, username + client id))`, Cognito's `SecretHash`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks `SecretHash` when the client has a secret.
pub fn check_secret_hash(client: &AppClient, username: &str, given: Option<&str>) -> ApiResult<()> {
    let Some(secret) = &client.secret else { return Ok(()) };
    let given = given.ok_or_else(|| {
        ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.client_id
        ))
    })?;
    let expected = secret_hash(secret, username, &client.client_id);
    if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.client_id
        )))
    }
}

/// Checks a client secret sent as is (`GetTokensFromRefreshToken`, `RevokeToken`).
pub fn check_client_secret(client: &AppClient, given: Option<&str>) -> ApiResult<()> {
    match (&client.secret, given) {
        (None, _) => Ok(()),
        (Some(secret), Some(given)) if bool::from(secret.as_bytes().ct_eq(given.as_bytes())) => Ok(()),
        (Some(_), _) => Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but the secret given is wrong or missing",
            client.client_id
        ))),
    }
}

/// The pool's password policy.
pub fn password_policy(pool: &UserPool) -> PasswordPolicy {
    pool.settings.policies.password_policy.clone().unwrap_or_default()
}

/// Refuses a password that breaks the pool's policy, with Cognito's message.
pub fn check_password(pool: &UserPool, password: &str) -> ApiResult<()> {
    if password.chars().count() > crate::password::MAX_LENGTH {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at 'password' failed to satisfy constraint: \
             Member must have length less than or equal to {}",
            crate::password::MAX_LENGTH
        )));
    }
    let unmet = password_policy(pool).unmet_rules(password);
    match unmet.first() {
        None => Ok(()),
        Some(rule) => Err(ApiError::new(
            ErrorCode::InvalidPassword,
            format!("Password did not conform with policy: {}", rule.cognito_message()),
        )),
    }
}

/// Whether a client allows an `ExplicitAuthFlows` entry (by its `ALLOW_` or its legacy name).
pub fn client_allows(client: &AppClient, flow: ExplicitAuthFlow) -> bool {
    client
        .settings
        .explicit_auth_flows
        .iter()
        .any(|f| *f == flow || Some(*f) == flow.legacy())
}

/// Whether the client hides whether users exist (`PreventUserExistenceErrors: ENABLED`).
pub fn hides_user_existence(client: &AppClient) -> bool {
    client.settings.prevent_user_existence_errors.as_deref() != Some("LEGACY")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_hash_matches_cognito_definition() {
        // HMAC-SHA256(key="secret", msg="janeclient"), base64 — computed independently.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").expect("key");
        mac.update(b"janeclient");
        let expected = STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(secret_hash("secret", "jane", "client"), expected);
    }
}
