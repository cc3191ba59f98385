//! GetCredentialsForIdentity (the enhanced flow) and GetOpenIdToken (the basic flow).
//!
//! Credentials are an `ASIA…` access key id, a secret key and a session token, valid one hour.
//! The secret key is never stored: it is HMAC-SHA256 of the access key id under the identity
//! pool's random credential key, so it can be derived again to check a signature
//! ([`super::signer`]). The session token is stored as its SHA-256. Each issue is recorded
//! with the identity, the role and the reason the role was chosen.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::identity::{
    Credentials, GetCredentialsForIdentityResponse, GetOpenIdTokenResponse, IdentityLoginsRequest, RoleMapping,
};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::identities::guests_not_allowed;
use super::logins::{self, VerifiedLogin};
use super::roles::{self, RoleChoice};
use super::{load_identity, load_pool};
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token, random_string};
use crate::state::AppState;
use crate::store::identity::{IdentityPoolRecord, IdentityRecord, IssuedCredentials};
use crate::store::StoreError;
use crate::token::{jwt, keys};

/// How long issued credentials last.
const CREDENTIALS_LIFETIME: i64 = 3600;
/// How long a `GetOpenIdToken` token lasts.
const OPENID_TOKEN_LIFETIME: i64 = 600;
/// The issuer of `GetOpenIdToken` tokens, as Cognito names it.
const OPENID_ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// The secret key of issued credentials, derived from the pool's (sealed) credential key.
pub fn secret_key(state: &AppState, pool: &IdentityPoolRecord, access_key_id: &str) -> ApiResult<String> {
    let key = state
        .vault
        .open(&crate::vault::purpose::credential_key(&pool.id), &pool.credential_key)
        .map_err(|e| ApiError::internal("credential key", e))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| ApiError::internal("credential key", e))?;
    mac.update(access_key_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    Ok(STANDARD.encode(&digest[..30]))
}

/// The identity and pool of a request, with its login checked against the identity: a guest
/// presents no login (and the pool must allow guests), a user presents a login of their own.
/// A guest that presents a login becomes that user's identity — or, if the user already has
/// one, is merged into it (deleted, the user's identity answered instead), as Cognito does.
async fn identity_with_login(
    state: &AppState,
    request: &IdentityLoginsRequest,
) -> ApiResult<(IdentityPoolRecord, IdentityRecord, Option<VerifiedLogin>)> {
    let mut identity = load_identity(state, &request.identity_id).await?;
    let pool = load_pool(state, &identity.pool_id).await?;
    let login = logins::verify(state, &pool, &request.logins).await?;
    match (&identity.login, &login) {
        (None, None) if pool.settings.allow_unauthenticated_identities => {}
        (None, None) => return Err(guests_not_allowed()),
        (None, Some(login)) => identity = link_guest(state, identity, login).await?,
        (Some((provider, subject)), Some(login)) if *provider == login.provider && *subject == login.subject => {}
        (Some(_), None) => {
            return Err(ApiError::not_authorized(format!(
                "Access to Identity '{}' is forbidden.",
                identity.id
            )))
        }
        _ => {
            return Err(ApiError::not_authorized(
                "Logins don't match. Please include at least one valid login for this identity or identity pool.",
            ))
        }
    }
    Ok((pool, identity, login))
}

/// Links a guest identity to a login, or merges it into the login's identity.
async fn link_guest(state: &AppState, guest: IdentityRecord, login: &VerifiedLogin) -> ApiResult<IdentityRecord> {
    let store = &state.store;
    let existing = store.find_identity_by_login(&guest.pool_id, &login.provider, &login.subject);
    if let Some(existing) = existing.await? {
        store.delete_identity(&guest.id).await?;
        return Ok(existing);
    }
    let now = state.clock.now();
    match store
        .link_identity(&guest.id, &login.provider, &login.subject, now)
        .await
    {
        Ok(true) => Ok(IdentityRecord {
            login: Some((login.provider.clone(), login.subject.clone())),
            updated_at: now,
            ..guest
        }),
        Ok(false) | Err(StoreError::Conflict(_)) => Err(ApiError::new(
            ErrorCode::ResourceConflict,
            "The identity was linked to another login at the same time.",
        )),
        Err(err) => Err(err.into()),
    }
}

/// `GetCredentialsForIdentity`.
pub async fn get_credentials_for_identity(
    state: &AppState,
    request: IdentityLoginsRequest,
) -> ApiResult<GetCredentialsForIdentityResponse> {
    let (pool, identity, login) = identity_with_login(state, &request).await?;
    let choice = match &login {
        None => roles::unauthenticated(&pool.roles)?,
        Some(login) => roles::authenticated(
            &pool.roles,
            mapping_of(&pool, login),
            &login.claims,
            request.custom_role_arn.as_deref(),
        )?,
    };
    let credentials = issue(state, &pool, &identity, choice).await?;
    Ok(GetCredentialsForIdentityResponse {
        identity_id: identity.id,
        credentials,
    })
}

/// The role mapping of a login: the one keyed `<provider>:<app client id>`, else `<provider>`.
fn mapping_of<'a>(pool: &'a IdentityPoolRecord, login: &VerifiedLogin) -> Option<&'a RoleMapping> {
    let client = login
        .claims
        .get("aud")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    (pool.role_mappings.get(&format!("{}:{client}", login.provider)))
        .or_else(|| pool.role_mappings.get(&login.provider))
}

/// Issues and records credentials for the chosen role.
async fn issue(
    state: &AppState,
    pool: &IdentityPoolRecord,
    identity: &IdentityRecord,
    choice: RoleChoice,
) -> ApiResult<Credentials> {
    let now = state.clock.now();
    let access_key_id = format!("ASIA{}", random_string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16));
    let session_token = new_token(96);
    let record = IssuedCredentials {
        access_key_id: access_key_id.clone(),
        pool_id: pool.id.clone(),
        identity_id: identity.id.clone(),
        role_arn: choice.role_arn,
        session_token_hash: hash_token(&session_token),
        reason: choice.reason,
        issued_at: now,
        expires_at: now + CREDENTIALS_LIFETIME,
    };
    state.store.insert_issued_credentials(&record).await?;
    tracing::info!(
        identity_id = %record.identity_id,
        access_key_id = %record.access_key_id,
        role_arn = %record.role_arn,
        reason = %record.reason,
        "issued identity-pool credentials"
    );
    Ok(Credentials {
        secret_key: secret_key(state, pool, &access_key_id)?,
        access_key_id,
        session_token,
        expiration: record.expires_at as f64,
    })
}

/// The pool's OpenID signing key, generated on first use.
async fn openid_key(state: &AppState, pool: &IdentityPoolRecord) -> ApiResult<keys::PoolKey> {
    let purpose = crate::vault::purpose::openid_key(&pool.id);
    let (der, key_id) = match &pool.openid_key {
        Some(key) => key.clone(),
        None => {
            let generated = tokio::task::spawn_blocking(keys::generate)
                .await
                .map_err(|e| ApiError::internal("OpenID key", e))?
                .map_err(|e| ApiError::internal("OpenID key", e))?;
            let sealed = (state.vault.seal(&purpose, &generated.0), generated.1);
            state.store.set_openid_key(&pool.id, &sealed.0, &sealed.1).await?;
            // Another request may have stored its key first: use whichever was kept.
            load_pool(state, &pool.id).await?.openid_key.unwrap_or(sealed)
        }
    };
    let der = state
        .vault
        .open(&purpose, &der)
        .map_err(|e| ApiError::internal("OpenID key", e))?;
    keys::load(&der, &key_id).map_err(|e| ApiError::internal("OpenID key", e))
}

/// `GetOpenIdToken`: only for pools that allow the basic (classic) flow.
pub async fn get_open_id_token(state: &AppState, request: IdentityLoginsRequest) -> ApiResult<GetOpenIdTokenResponse> {
    if request.custom_role_arn.is_some() {
        return Err(ApiError::invalid_parameter("GetOpenIdToken takes no CustomRoleArn."));
    }
    let (pool, identity, login) = identity_with_login(state, &request).await?;
    if pool.settings.allow_classic_flow != Some(true) {
        return Err(ApiError::invalid_parameter(
            "Basic (classic) flow is not enabled for this identity pool.",
        ));
    }
    let key = openid_key(state, &pool).await?;
    let now = state.clock.now();
    let amr = match &login {
        Some(login) => json!(["authenticated", login.provider]),
        None => json!(["unauthenticated"]),
    };
    let claims = json!({
        "iss": OPENID_ISSUER,
        "sub": identity.id,
        "aud": pool.id,
        "amr": amr,
        "iat": now,
        "exp": now + OPENID_TOKEN_LIFETIME,
    });
    Ok(GetOpenIdTokenResponse {
        identity_id: identity.id,
        token: jwt::sign(&key, &claims),
    })
}
