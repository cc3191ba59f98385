//! Per-pool OpenID documents: the JWKS (the pool's public signing key) at
//! `/<poolId>/.well-known/jwks.json` and OpenID Connect discovery at
//! `/<poolId>/.well-known/openid-configuration`, at the paths Cognito uses, so JWT libraries
//! verify Cognate's tokens from the issuer URL alone.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;
use crate::token::pool_key;

/// A public document: cacheable, and readable by the pages of origins the pool's clients registered.
async fn public(state: &AppState, headers: &HeaderMap, pool_id: &str, mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    crate::oauth::cors::allow_pool_origin(state, headers, pool_id, &mut response).await;
    response
}

async fn pool_or_404(state: &AppState, pool_id: &str) -> Result<crate::store::UserPool, Response> {
    match state.store.get_pool(pool_id).await {
        Ok(Some(pool)) => Ok(pool),
        Ok(None) => Err((
            axum::http::StatusCode::NOT_FOUND,
            Json(json!({"message": "User pool not found"})),
        )
            .into_response()),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

/// `GET /<poolId>/.well-known/jwks.json`.
pub async fn jwks(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>, headers: HeaderMap) -> Response {
    let pool = match pool_or_404(&state, &pool_id).await {
        Ok(pool) => pool,
        Err(response) => return response,
    };
    match pool_key(&state, &pool) {
        Ok(key) => {
            public(
                &state,
                &headers,
                &pool.id,
                Json(json!({ "keys": [key.jwk] })).into_response(),
            )
            .await
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /<poolId>/.well-known/openid-configuration`.
pub async fn discovery(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let pool = match pool_or_404(&state, &pool_id).await {
        Ok(pool) => pool,
        Err(response) => return response,
    };
    let issuer = state.issuer(&pool.id);
    let base = &state.public_url;
    let document = Json(json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "token_endpoint": format!("{base}/oauth2/token"),
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "end_session_endpoint": format!("{base}/logout"),
        "response_types_supported": ["code", "token"],
        "response_modes_supported": ["query", "fragment"],
        "authorization_response_iss_parameter_supported": true,
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "email", "email_verified",
            "phone_number", "phone_number_verified", "cognito:username", "name", "given_name", "family_name",
            "nonce", "at_hash"],
    }))
    .into_response();
    public(&state, &headers, &pool.id, document).await
}
