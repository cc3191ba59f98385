//! Tokens as Cognito issues them: an ID token and an access token (RS256 JWTs with Cognito's
//! claims) and an opaque refresh token stored only as a hash.
//!
//! Every sign-in opens an [`AuthSession`] whose id is the tokens' `origin_jti`. Revoking the
//! session (sign-out, RevokeToken, password reset, disabling or deleting the user) makes its
//! access tokens fail at once, because [`authenticate`] looks the session up.

pub mod jwt;
pub mod keys;
pub mod refresh;

use std::sync::Arc;

use cognate_protocol::auth::AuthenticationResult;
use cognate_protocol::user_pool::UserPoolClientSettings;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::state::AppState;
use crate::store::{AppClient, AuthSession, User, UserPool};

/// Token lifetimes of a client, in seconds.
pub struct Lifetimes {
    pub access: i64,
    pub id: i64,
    pub refresh: i64,
}

fn seconds(value: Option<i64>, unit: Option<&str>, default_unit: &str, default_value: i64) -> i64 {
    let value = value.unwrap_or(default_value);
    let factor = match unit.unwrap_or(default_unit) {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    };
    value.saturating_mul(factor)
}

/// The client's lifetimes with Cognito's defaults: 1 hour, 1 hour, 30 days.
pub fn lifetimes(settings: &UserPoolClientSettings) -> Lifetimes {
    let units = settings.token_validity_units.clone().unwrap_or_default();
    Lifetimes {
        access: seconds(
            settings.access_token_validity,
            units.access_token.as_deref(),
            "hours",
            1,
        ),
        id: seconds(settings.id_token_validity, units.id_token.as_deref(), "hours", 1),
        refresh: seconds(
            settings.refresh_token_validity,
            units.refresh_token.as_deref(),
            "days",
            30,
        ),
    }
}

/// The pool's signing key (DER), opened from its sealed stored form.
pub fn signing_key(state: &AppState, pool: &UserPool) -> ApiResult<Vec<u8>> {
    let purpose = crate::vault::purpose::signing_key(&pool.id);
    state
        .vault
        .open(&purpose, &pool.signing_key)
        .map_err(|e| ApiError::internal("pool key", e))
}

/// The pool's parsed key (opened and parsed once, then cached in the key ring).
pub fn pool_key(state: &AppState, pool: &UserPool) -> ApiResult<Arc<keys::PoolKey>> {
    let purpose = crate::vault::purpose::signing_key(&pool.id);
    state
        .keys
        .get(&pool.id, &pool.key_id, || {
            Ok(state.vault.open(&purpose, &pool.signing_key)?)
        })
        .map_err(|e| ApiError::internal("pool key", e))
}

/// The scope of access tokens issued to a sign-in through the API.
pub const API_SCOPE: &str = "aws.cognito.signin.user.admin";

/// What an OAuth authorization adds to a sign-in: its scopes, the ID token's `nonce`, when the
/// user really signed in (a hosted session may be older than this token request) and through
/// which device.
pub struct Grant<'a> {
    pub origin_jti: String,
    pub scope: &'a str,
    pub nonce: Option<&'a str>,
    pub auth_time: i64,
    /// The remembered device the user signed in through.
    pub device_key: Option<&'a str>,
}

/// Opens a new session for a completed sign-in (through the remembered device `device_key`,
/// which its access tokens then name) and issues all three tokens.
pub async fn sign_in(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<AuthenticationResult> {
    open(state, pool, client, user, None, device_key).await
}

/// Opens a new session with the given `grant` and issues all three tokens.
pub async fn open_session(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    grant: Option<Grant<'_>>,
) -> ApiResult<AuthenticationResult> {
    let device_key = grant.as_ref().and_then(|g| g.device_key);
    open(state, pool, client, user, grant.as_ref(), device_key).await
}

async fn open(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    grant: Option<&Grant<'_>>,
    device_key: Option<&str>,
) -> ApiResult<AuthenticationResult> {
    let now = state.clock.now();
    let refresh_token = new_token(64);
    let session = AuthSession {
        origin_jti: grant.map_or_else(|| uuid::Uuid::new_v4().to_string(), |g| g.origin_jti.clone()),
        pool_id: pool.id.clone(),
        sub: user.sub.clone(),
        client_id: client.client_id.clone(),
        refresh_hash: hash_token(&refresh_token),
        auth_time: grant.map_or(now, |g| g.auth_time),
        expires_at: now + lifetimes(&client.settings).refresh,
        revoked: false,
        scope: grant.map(|g| g.scope.to_owned()),
        device_key: device_key.map(str::to_owned),
    };
    state.store.insert_session(&session).await?;
    let nonce = grant.and_then(|g| g.nonce);
    let mut result = issue_with_nonce(state, pool, client, user, &session, nonce).await?;
    result.refresh_token = Some(refresh_token);
    Ok(result)
}

/// Issues a fresh ID and access token within an existing session.
pub async fn issue(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    session: &AuthSession,
) -> ApiResult<AuthenticationResult> {
    issue_with_nonce(state, pool, client, user, session, None).await
}

/// [`issue`], with the OIDC `nonce` of the authorization request in the ID token.
async fn issue_with_nonce(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    session: &AuthSession,
    nonce: Option<&str>,
) -> ApiResult<AuthenticationResult> {
    let key = pool_key(state, pool)?;
    let now = state.clock.now();
    let life = lifetimes(&client.settings);
    let event_id = uuid::Uuid::new_v4().to_string();
    let issuer = state.issuer(&pool.id);

    let mut id_claims = Map::new();
    id_claims.insert("sub".into(), json!(user.sub));
    for (name, value) in &user.attributes {
        let value = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id_claims.insert(name.clone(), value);
    }
    id_claims.extend([
        ("iss".into(), json!(issuer)),
        ("cognito:username".into(), json!(user.username)),
        ("origin_jti".into(), json!(session.origin_jti)),
        ("aud".into(), json!(client.client_id)),
        ("event_id".into(), json!(event_id)),
        ("token_use".into(), json!("id")),
        ("auth_time".into(), json!(session.auth_time)),
        ("exp".into(), json!(now + life.id)),
        ("iat".into(), json!(now)),
        ("jti".into(), json!(uuid::Uuid::new_v4().to_string())),
    ]);
    let mut access_claims = json!({
        "sub": user.sub,
        "iss": issuer,
        "client_id": client.client_id,
        "origin_jti": session.origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": session.scope.as_deref().unwrap_or(API_SCOPE),
        "auth_time": session.auth_time,
        "exp": now + life.access,
        "iat": now,
        "jti": uuid::Uuid::new_v4().to_string(),
        "username": user.username,
    });
    if let Some(device_key) = &session.device_key {
        access_claims["device_key"] = json!(device_key);
    }
    let groups = GroupClaims::of(state, pool, user).await?;
    if !groups.names.is_empty() {
        id_claims.insert("cognito:groups".into(), json!(groups.names));
        access_claims["cognito:groups"] = json!(groups.names);
        if !groups.roles.is_empty() {
            id_claims.insert("cognito:roles".into(), json!(groups.roles));
        }
        if let Some(role) = groups.preferred_role {
            id_claims.insert("cognito:preferred_role".into(), json!(role));
        }
    }
    let access_token = jwt::sign(&key, &access_claims);
    if let Some(nonce) = nonce {
        id_claims.insert("nonce".into(), json!(nonce));
    }
    if session.scope.is_some() {
        id_claims.insert("at_hash".into(), json!(jwt::at_hash(&access_token)));
    }
    Ok(AuthenticationResult {
        access_token,
        expires_in: life.access,
        token_type: "Bearer".to_owned(),
        refresh_token: None,
        id_token: jwt::sign(&key, &Value::Object(id_claims)),
        new_device_metadata: None,
    })
}

/// What a user's groups put into tokens.
struct GroupClaims {
    /// Group names, by precedence (lowest first; groups without one last), then name.
    names: Vec<String>,
    /// The groups' role ARNs, in the same order, each once.
    roles: Vec<String>,
    /// The role of the lowest-precedence group that has one.
    preferred_role: Option<String>,
}

impl GroupClaims {
    async fn of(state: &AppState, pool: &UserPool, user: &User) -> ApiResult<Self> {
        let mut groups = state.store.groups_of_user(&pool.id, &user.sub, None, 10_000).await?;
        groups.sort_by(|a, b| {
            (a.precedence.unwrap_or(i64::MAX), &a.name).cmp(&(b.precedence.unwrap_or(i64::MAX), &b.name))
        });
        let mut roles: Vec<String> = Vec::new();
        for role in groups.iter().filter_map(|g| g.role_arn.clone()) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        let preferred_role = groups.iter().find_map(|g| g.role_arn.clone());
        Ok(GroupClaims {
            names: groups.into_iter().map(|g| g.name).collect(),
            roles,
            preferred_role,
        })
    }
}

/// A checked access token: its pool, user, session and claims.
pub struct Authenticated {
    pub pool: UserPool,
    pub user: User,
    pub session: AuthSession,
    pub claims: Value,
}

/// Checks an access token: signature by its pool's key, `token_use`, expiry, a live session
/// and an enabled user. Any failure is `NotAuthorizedException`.
pub async fn authenticate(state: &AppState, token: &str) -> ApiResult<Authenticated> {
    // The payload is decoded once: first to learn the pool, then trusted once its key's signature checks.
    let claims = jwt::unverified_claims(token).ok_or_else(ApiError::invalid_access_token)?;
    let issuer = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or_else(ApiError::invalid_access_token)?;
    let pool_id = issuer
        .strip_prefix(&format!("{}/", state.public_url))
        .ok_or_else(ApiError::invalid_access_token)?;
    let pool = crate::user_pool::cached_pool(state, pool_id)
        .await?
        .ok_or_else(ApiError::invalid_access_token)?;
    let key = pool_key(state, &pool)?;
    if !jwt::signature_valid(&key, token) {
        return Err(ApiError::invalid_access_token());
    }
    if claims.get("token_use").and_then(Value::as_str) != Some("access") {
        return Err(ApiError::invalid_access_token());
    }
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if exp <= state.clock.now() {
        return Err(ApiError::not_authorized("Access Token has expired"));
    }
    let origin = claims.get("origin_jti").and_then(Value::as_str).unwrap_or("");
    let sub = claims.get("sub").and_then(Value::as_str).unwrap_or("");
    let (session, user) = match state.store.get_session_with_user(origin).await? {
        Some((session, user)) if session.pool_id == pool.id && user.sub == sub => (session, user),
        _ => return Err(ApiError::not_authorized("Access Token has been revoked")),
    };
    if session.revoked {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok(Authenticated {
        pool,
        user,
        session,
        claims,
    })
}
