//! `POST /oauth2/token`: the authorization-code grant (with PKCE), the refresh-token grant and
//! the client-credentials grant. Clients with a secret authenticate with HTTP Basic
//! (`client_secret_basic`) or in the body (`client_secret_post`); public clients name
//! themselves with `client_id`. Answers carry `Cache-Control: no-store`; errors are RFC 6749's.
//! A request with `X-Cognate-Refresh-Cookie: 1` keeps its refresh token in an HttpOnly cookie
//! instead of the JSON ([`super::refresh_cookie`]).

use cognate_protocol::oauth::{OAuthErrorCode, OAuthFlow};
use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{RawForm, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::cors;
use super::refresh_cookie::{self, Presented};
use crate::one_time_code::hash_token;
use crate::state::AppState;
use crate::store::oauth::Redemption;
use crate::store::{AppClient, UserPool};
use crate::token::refresh::ClientProof;
use crate::token::{lifetimes, Grant};

/// An RFC 6749 §5.2 error.
pub struct OAuthError {
    pub status: StatusCode,
    pub error: OAuthErrorCode,
    pub description: String,
}

impl OAuthError {
    pub fn new(error: OAuthErrorCode, description: impl Into<String>) -> Self {
        let status = if error == OAuthErrorCode::InvalidClient {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        Self {
            status,
            error,
            description: description.into(),
        }
    }
}

impl From<crate::error::ApiError> for OAuthError {
    fn from(err: crate::error::ApiError) -> Self {
        if err.code == cognate_protocol::error::ErrorCode::InternalError {
            Self {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                error: OAuthErrorCode::ServerError,
                description: "internal error".into(),
            }
        } else {
            Self::new(OAuthErrorCode::InvalidGrant, err.message)
        }
    }
}

impl From<crate::store::StoreError> for OAuthError {
    fn from(err: crate::store::StoreError) -> Self {
        crate::error::ApiError::from(err).into()
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"cognate\""),
            );
        }
        no_store(&mut response);
        response
    }
}

/// `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1).
pub fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// Finds and authenticates the client of a token or revocation request.
pub async fn authenticate_client(
    state: &AppState,
    headers: &HeaderMap,
    form: &BTreeMap<String, String>,
) -> Result<(UserPool, AppClient), OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .map(|encoded| {
            let decoded = STANDARD
                .decode(encoded.trim())
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| OAuthError::new(OAuthErrorCode::InvalidClient, "Malformed Basic credentials."))?;
            let (id, secret) = decoded
                .split_once(':')
                .ok_or_else(|| OAuthError::new(OAuthErrorCode::InvalidClient, "Malformed Basic credentials."))?;
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Ok::<_, OAuthError>((decode(id).unwrap_or_default(), decode(secret).unwrap_or_default()))
        })
        .transpose()?;
    let (client_id, secret) = match (&basic, form.get("client_id"), form.get("client_secret")) {
        (Some(_), _, Some(_)) => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidRequest,
                "Use one client authentication method, not two.",
            ))
        }
        (Some((id, secret)), body_id, None) => {
            if body_id.is_some_and(|b| b != id) {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidClient,
                    "client_id does not match the credentials.",
                ));
            }
            (id.clone(), Some(secret.clone()))
        }
        (None, Some(id), secret) => (id.clone(), secret.cloned()),
        (None, None, _) => return Err(OAuthError::new(OAuthErrorCode::InvalidClient, "client_id is missing.")),
    };
    let (pool, client) = crate::user_pool::load_client(state, &client_id)
        .await
        .map_err(|_| OAuthError::new(OAuthErrorCode::InvalidClient, "Unknown client."))?;
    // A public client must not send a secret; a confidential one must send the right one.
    let public_with_secret = client.secret.is_none() && secret.is_some();
    if public_with_secret || crate::user_pool::check_client_secret(&client, secret.as_deref()).is_err() {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidClient,
            "Client authentication failed.",
        ));
    }
    Ok((pool, client))
}

/// `POST /oauth2/token`.
pub async fn token(State(state): State<Arc<AppState>>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let outcome = grant(&state, &headers, &body).await;
    let (mut response, client) = match outcome {
        Ok((mut value, client)) => {
            let cookie = refresh_cookie::requested(&headers)
                .then(|| refresh_cookie::take(&mut value))
                .flatten();
            let mut response = Json(value).into_response();
            if let Some(refresh_token) = cookie {
                refresh_cookie::set(&mut response, &state, &client, &refresh_token);
            }
            no_store(&mut response);
            (response, Some(client))
        }
        Err((err, client)) => (err.into_response(), client),
    };
    cors::allow_client_origin_with_credentials(&headers, client.as_ref(), &mut response);
    response
}

type GrantResult = Result<(Value, AppClient), (OAuthError, Option<AppClient>)>;

async fn grant(state: &AppState, headers: &HeaderMap, body: &[u8]) -> GrantResult {
    let form = super::form(&String::from_utf8_lossy(body)).ok_or_else(|| {
        (
            OAuthError::new(OAuthErrorCode::InvalidRequest, "A parameter appears more than once."),
            None,
        )
    })?;
    let (pool, client) = authenticate_client(state, headers, &form)
        .await
        .map_err(|e| (e, None))?;
    let fail = |e: OAuthError| (e, Some(client.clone()));
    let grant_type = form.get("grant_type").map(String::as_str).unwrap_or("");
    let value = match grant_type {
        "authorization_code" => authorization_code(state, &pool, &client, &form).await,
        "refresh_token" => refresh_token(state, headers, &pool, &client, &form).await,
        "client_credentials" => client_credentials(state, &pool, &client, &form).await,
        "" => Err(OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "grant_type is missing.",
        )),
        _ => Err(OAuthError::new(
            OAuthErrorCode::UnsupportedGrantType,
            format!("{grant_type} is not supported."),
        )),
    }
    .map_err(fail)?;
    Ok((value, client))
}

fn flow_allowed(client: &AppClient, flow: OAuthFlow) -> Result<(), OAuthError> {
    let settings = &client.settings;
    if settings.allowed_oauth_flows_user_pool_client && settings.allowed_oauth_flows.contains(&flow) {
        Ok(())
    } else {
        Err(OAuthError::new(
            OAuthErrorCode::UnauthorizedClient,
            format!("The {} flow is not enabled for this app client.", flow.as_str()),
        ))
    }
}

fn required<'a>(form: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, OAuthError> {
    form.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| OAuthError::new(OAuthErrorCode::InvalidRequest, format!("{name} is missing.")))
}

async fn authorization_code(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    form: &BTreeMap<String, String>,
) -> Result<Value, OAuthError> {
    flow_allowed(client, OAuthFlow::Code)?;
    let code = required(form, "code")?;
    let redirect_uri = required(form, "redirect_uri")?;
    let origin_jti = uuid::Uuid::new_v4().to_string();
    let grant = match state.store.redeem_code(&hash_token(code), &origin_jti).await? {
        Redemption::Fresh(grant) => *grant,
        Redemption::Replayed { redeemed_by } => {
            // RFC 9700 §4.2.4: a replayed code revokes what its first use issued.
            state.store.revoke_session(&redeemed_by).await?;
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidGrant,
                "The authorization code was already used.",
            ));
        }
        Redemption::Unknown => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidGrant,
                "Unknown authorization code.",
            ))
        }
    };
    if grant.expires_at <= state.clock.now() {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidGrant,
            "The authorization code has expired.",
        ));
    }
    if grant.client_id != client.client_id || grant.pool_id != pool.id {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidGrant,
            "The authorization code was issued to another client.",
        ));
    }
    if grant.redirect_uri != redirect_uri {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidGrant,
            "redirect_uri does not match the authorization request.",
        ));
    }
    match (&grant.code_challenge, form.get("code_verifier")) {
        (None, None) => {}
        (None, Some(_)) => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidRequest,
                "code_verifier sent, but the authorization request had no code_challenge.",
            ))
        }
        (Some(_), None) => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidGrant,
                "code_verifier is missing.",
            ))
        }
        (Some(challenge), Some(verifier)) => {
            let valid_verifier = (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if !valid_verifier || !bool::from(computed.as_bytes().ct_eq(challenge.as_bytes())) {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidGrant,
                    "code_verifier does not match the code_challenge.",
                ));
            }
        }
    }
    let user = state
        .store
        .get_user_by_sub(&pool.id, &grant.sub)
        .await?
        .filter(|u| u.enabled)
        .ok_or_else(|| OAuthError::new(OAuthErrorCode::InvalidGrant, "The user is disabled or gone."))?;
    let tokens = crate::token::open_session(
        state,
        pool,
        client,
        &user,
        Some(Grant {
            origin_jti,
            scope: &grant.scope,
            nonce: grant.nonce.as_deref(),
            auth_time: grant.auth_time,
            device_key: grant.device_key.as_deref(),
        }),
    )
    .await?;
    let mut value = json!({
        "access_token": tokens.access_token,
        "refresh_token": tokens.refresh_token,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
    });
    if grant.scope.split(' ').any(|s| s == "openid") {
        value["id_token"] = json!(tokens.id_token);
    }
    Ok(value)
}

async fn refresh_token(
    state: &AppState,
    headers: &HeaderMap,
    pool: &UserPool,
    client: &AppClient,
    form: &BTreeMap<String, String>,
) -> Result<Value, OAuthError> {
    let token = match refresh_cookie::presented(state, headers, form, "refresh_token", &client.client_id) {
        Presented::Field(token) | Presented::Cookie(Some(token)) => token,
        Presented::Cookie(None) => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidGrant,
                "There is no refresh-token cookie.",
            ))
        }
        Presented::Missing => {
            return Err(OAuthError::new(
                OAuthErrorCode::InvalidRequest,
                "refresh_token is missing.",
            ))
        }
    };
    let tokens = crate::token::refresh::refresh(state, pool, client, token, ClientProof::SecretChecked).await?;
    let mut value = json!({
        "access_token": tokens.access_token,
        "id_token": tokens.id_token,
        "token_type": "Bearer",
        "expires_in": tokens.expires_in,
    });
    if let Some(next) = tokens.refresh_token {
        value["refresh_token"] = json!(next);
    }
    Ok(value)
}

async fn client_credentials(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    form: &BTreeMap<String, String>,
) -> Result<Value, OAuthError> {
    flow_allowed(client, OAuthFlow::ClientCredentials)?;
    let allowed = &client.settings.allowed_oauth_scopes;
    let scope = match form.get("scope").filter(|s| !s.is_empty()) {
        None => allowed.join(" "),
        Some(requested) => {
            let requested: Vec<&str> = requested.split(' ').filter(|s| !s.is_empty()).collect();
            if let Some(bad) = requested.iter().find(|s| !allowed.iter().any(|a| a == *s)) {
                return Err(OAuthError::new(
                    OAuthErrorCode::InvalidScope,
                    format!("The scope {bad} is not allowed."),
                ));
            }
            requested.join(" ")
        }
    };
    let key = crate::token::pool_key(state, pool)?;
    let now = state.clock.now();
    let life = lifetimes(&client.settings).access;
    let claims = json!({
        "sub": client.client_id,
        "token_use": "access",
        "scope": scope,
        "auth_time": now,
        "iss": state.issuer(&pool.id),
        "exp": now + life,
        "iat": now,
        "version": 2,
        "jti": uuid::Uuid::new_v4().to_string(),
        "client_id": client.client_id,
    });
    Ok(json!({
        "access_token": crate::token::jwt::sign(&key, &claims),
        "token_type": "Bearer",
        "expires_in": life,
    }))
}
