//! `/oauth2/userInfo` (the signed-in user's claims, as the access token's scopes allow) and
//! `/oauth2/revoke` (RFC 7009: ends the session a refresh token belongs to — the one in the
//! refresh-token cookie, and the cookie, for a request that opted in without a `token`).

use cognate_protocol::oauth::OAuthErrorCode;
use std::sync::Arc;

use axum::extract::{RawForm, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::cors;
use super::refresh_cookie::{self, Presented};
use super::token_endpoint::{authenticate_client, no_store, OAuthError};
use crate::one_time_code::hash_token;
use crate::state::AppState;
use crate::token::API_SCOPE;

/// Which scope releases an attribute (OIDC Core §5.4); `aws.cognito.signin.user.admin` releases all.
fn scope_of(attribute: &str) -> &'static str {
    match attribute {
        "email" | "email_verified" => "email",
        "phone_number" | "phone_number_verified" => "phone",
        _ => "profile",
    }
}

fn bearer_error(status: StatusCode, error: OAuthErrorCode, description: &str) -> Response {
    let error = error.as_str();
    let mut response = (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    let challenge = format!("Bearer error=\"{error}\", error_description=\"{description}\"");
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

/// `GET` or `POST /oauth2/userInfo` with `Authorization: Bearer <access token>`.
pub async fn user_info(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let mut response = match crate::token::authenticate(&state, token).await {
        Err(_) => bearer_error(
            StatusCode::UNAUTHORIZED,
            OAuthErrorCode::InvalidToken,
            "Access token is invalid",
        ),
        Ok(auth) => {
            let scopes: Vec<&str> = auth.session.scope.as_deref().unwrap_or(API_SCOPE).split(' ').collect();
            let all = scopes.contains(&API_SCOPE);
            if !all && !scopes.contains(&"openid") {
                bearer_error(
                    StatusCode::FORBIDDEN,
                    OAuthErrorCode::InsufficientScope,
                    "The access token lacks the openid scope",
                )
            } else {
                let mut claims = Map::new();
                claims.insert("sub".into(), json!(auth.user.sub));
                for (name, value) in &auth.user.attributes {
                    if name == "sub" || !(all || scopes.contains(&scope_of(name))) {
                        continue;
                    }
                    let value = match name.as_str() {
                        "email_verified" | "phone_number_verified" => json!(value == "true"),
                        _ => json!(value),
                    };
                    claims.insert(name.clone(), value);
                }
                claims.insert("username".into(), json!(auth.user.username));
                let mut response = Json(Value::Object(claims)).into_response();
                no_store(&mut response);
                response
            }
        }
    };
    let client_id = crate::token::jwt::unverified_claims(token)
        .and_then(|c| c.get("client_id").and_then(Value::as_str).map(str::to_owned));
    let client = match client_id {
        Some(id) => state.store.get_client(&id).await.ok().flatten(),
        None => None,
    };
    cors::allow_client_origin(&headers, client.as_ref(), &mut response);
    response
}

/// `POST /oauth2/revoke` with `token=<refresh token>` (or `X-Cognate-Refresh-Cookie: 1` and the
/// cookie) and the client's authentication.
pub async fn revoke(State(state): State<Arc<AppState>>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let outcome = async {
        let form = super::form(&String::from_utf8_lossy(&body)).ok_or_else(|| {
            (
                OAuthError::new(OAuthErrorCode::InvalidRequest, "A parameter appears more than once."),
                None,
            )
        })?;
        let (_, client) = authenticate_client(&state, &headers, &form)
            .await
            .map_err(|e| (e, None))?;
        let (token, from_cookie) = match refresh_cookie::presented(&state, &headers, &form, "token", &client.client_id)
        {
            Presented::Field(token) => (Some(token), false),
            Presented::Cookie(token) => (token, true),
            Presented::Missing => {
                return Err((
                    OAuthError::new(OAuthErrorCode::InvalidRequest, "token is missing."),
                    Some(client.clone()),
                ))
            }
        };
        if client.settings.enable_token_revocation == Some(false) {
            return Err((
                OAuthError::new(
                    OAuthErrorCode::UnsupportedTokenType,
                    "Token revocation is disabled for this client.",
                ),
                Some(client),
            ));
        }
        let session = match token {
            Some(token) => state
                .store
                .get_session_by_refresh(&hash_token(token))
                .await
                .map_err(|e| (e.into(), Some(client.clone())))?,
            None => None,
        };
        match session {
            // RFC 7009 §2.2: an unknown token is answered like a revoked one.
            None => Ok((client, from_cookie)),
            Some(s) if s.client_id != client.client_id => Err((
                OAuthError::new(
                    OAuthErrorCode::UnauthorizedClient,
                    "The token was issued to another client.",
                ),
                Some(client),
            )),
            Some(s) => {
                state
                    .store
                    .revoke_session(&s.origin_jti)
                    .await
                    .map_err(|e| (e.into(), Some(client.clone())))?;
                Ok((client, from_cookie))
            }
        }
    }
    .await;
    let (mut response, client) = match outcome {
        Ok((client, from_cookie)) => {
            let mut response = StatusCode::OK.into_response();
            if from_cookie {
                refresh_cookie::clear(&mut response, &state, &client.client_id);
            }
            (response, Some(client))
        }
        Err((err, client)) => (err.into_response(), client),
    };
    cors::allow_client_origin_with_credentials(&headers, client.as_ref(), &mut response);
    response
}
