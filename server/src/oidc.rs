//! Per-pool OpenID documents: the JWKS (the pool's public signing key) at
//! `/<poolId>/.well-known/jwks.json` and OpenID Connect discovery at
//! `/<poolId>/.well-known/openid-configuration`, at the paths Cognito uses, so JWT libraries
//! verify Cognate's tokens from the issuer URL alone.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::ApiError;
use crate::token::pool_key;
use crate::AppState;

fn public(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
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
pub async fn jwks(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    let pool = match pool_or_404(&state, &pool_id).await {
        Ok(pool) => pool,
        Err(response) => return response,
    };
    match pool_key(&state, &pool) {
        Ok(key) => public(Json(json!({ "keys": [key.jwk] })).into_response()),
        Err(e) => e.into_response(),
    }
}

/// `GET /<poolId>/.well-known/openid-configuration`.
pub async fn discovery(State(state): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    let pool = match pool_or_404(&state, &pool_id).await {
        Ok(pool) => pool,
        Err(response) => return response,
    };
    let issuer = state.issuer(&pool.id);
    let base = &state.public_url;
    public(
        Json(json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "authorization_endpoint": format!("{base}/oauth2/authorize"),
            "token_endpoint": format!("{base}/oauth2/token"),
            "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
            "revocation_endpoint": format!("{base}/oauth2/revoke"),
            "end_session_endpoint": format!("{base}/logout"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "email", "email_verified",
                "phone_number", "phone_number_verified", "cognito:username", "name", "given_name", "family_name"],
        }))
        .into_response(),
    )
}
