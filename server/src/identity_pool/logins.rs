//! The `Logins` map of GetId, GetCredentialsForIdentity and GetOpenIdToken: provider name → ID
//! token. A token counts only if the identity pool trusts its provider, its RS256 signature is
//! its user pool's key, its issuer is that pool, it is an ID token for one of the app clients
//! the identity pool names for the provider, and it has not expired. Every failure is
//! `NotAuthorizedException`, as Cognito answers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::pools::user_pool_of_provider;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::identity::IdentityPoolRecord;
use crate::token::{jwt, pool_key};

/// A checked login: the provider, the user's `sub` and the ID token's claims.
pub struct VerifiedLogin {
    pub provider: String,
    pub subject: String,
    pub claims: Value,
}

fn invalid(reason: &str) -> ApiError {
    ApiError::not_authorized(format!("Invalid login token. {reason}"))
}

/// Checks the logins of a request; `None` when there are none (a guest).
pub async fn verify(
    state: &AppState,
    pool: &IdentityPoolRecord,
    logins: &BTreeMap<String, String>,
) -> ApiResult<Option<VerifiedLogin>> {
    let mut entries = logins.iter();
    let Some((provider, token)) = entries.next() else {
        return Ok(None);
    };
    if entries.next().is_some() {
        return Err(ApiError::invalid_parameter(
            "Logins may name one provider: Cognate links one login to an identity.",
        ));
    }
    let client_ids: Vec<&str> = (pool.settings.cognito_identity_providers.iter())
        .filter(|p| p.provider_name == *provider)
        .map(|p| p.client_id.as_str())
        .collect();
    if client_ids.is_empty() {
        return Err(ApiError::not_authorized(
            "Token is not from a supported provider of this identity pool.",
        ));
    }
    let server_side_check = (pool.settings.cognito_identity_providers.iter())
        .any(|p| p.provider_name == *provider && p.server_side_token_check == Some(true));
    let user_pool_id = user_pool_of_provider(state, provider).ok_or_else(|| invalid("Unknown provider."))?;
    let user_pool = crate::user_pool::cached_pool(state, &user_pool_id)
        .await?
        .ok_or_else(|| invalid("Issuer doesn't match providerName"))?;
    let key = pool_key(state, &user_pool)?;
    let claims = jwt::verify(&key, token).ok_or_else(|| invalid("Couldn't verify signed token."))?;
    let text = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("").to_owned();
    if text("iss") != state.issuer(&user_pool.id) {
        return Err(invalid("Issuer doesn't match providerName"));
    }
    if text("token_use") != "id" {
        return Err(invalid("Not a valid OpenId Connect identity token."));
    }
    if !client_ids.contains(&text("aud").as_str()) {
        return Err(invalid("Incorrect token audience."));
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    let now = state.clock.now();
    if exp <= now {
        return Err(invalid(&format!("Token expired: {exp} >= {now}")));
    }
    let subject = text("sub");
    if subject.is_empty() {
        return Err(invalid("The token has no sub."));
    }
    if server_side_check {
        let live = state
            .store
            .get_session(&text("origin_jti"))
            .await?
            .is_some_and(|s| !s.revoked && s.sub == subject && s.expires_at > now);
        if !live {
            return Err(invalid("The token has been revoked."));
        }
    }
    Ok(Some(VerifiedLogin {
        provider: provider.clone(),
        subject,
        claims,
    }))
}
