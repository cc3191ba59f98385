//! `GET /oauth2/authorize`: checks the request, then either answers at once — the browser
//! carries a live hosted session and the request does not ask for `prompt=login` — or sends the
//! user to the hosted sign-in page with the same request.

use cognate_protocol::oauth::OAuthErrorCode;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::hosted::current_session;
use super::request::{with_query, AuthorizeRequest};
use super::CODE_SECONDS;
use crate::one_time_code::{hash_token, new_token};
use crate::state::AppState;
use crate::store::oauth::AuthorizationCode;
use crate::store::User;

pub async fn authorize(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let request = match AuthorizeRequest::parse(&state, query.as_deref().unwrap_or("")).await {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    if !request.force_login {
        match current_session(&state, &headers, &request.pool.id).await {
            Ok(Some((session, user))) => return answer(&state, &request, &user, session.auth_time).await,
            Ok(None) => {}
            Err(err) => return err.into_response(),
        }
    }
    if request.no_prompt {
        return request
            .refuse(&state, OAuthErrorCode::LoginRequired, "The user is not signed in.")
            .into_response();
    }
    super::see_other(&format!("/login?{}", request.query))
}

/// Answers a request for a signed-in user: a code (or, for the implicit flow, tokens in the
/// fragment) sent to the redirect URI with `state` and `iss`.
pub async fn answer(state: &AppState, request: &AuthorizeRequest, user: &User, auth_time: i64) -> Response {
    match respond(state, request, user, auth_time, None).await {
        Ok(location) => super::see_other(&location),
        Err(err) => err.into_response(),
    }
}

/// Where the browser goes once `user` is signed in (through the remembered device `device_key`,
/// which the tokens then name): the redirect URI with the response.
pub async fn respond(
    state: &AppState,
    request: &AuthorizeRequest,
    user: &User,
    auth_time: i64,
    device_key: Option<&str>,
) -> crate::error::ApiResult<String> {
    let issuer = state.issuer(&request.pool.id);
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if request.response_type == "token" {
        let grant = crate::token::Grant {
            origin_jti: uuid::Uuid::new_v4().to_string(),
            scope: &request.scope,
            nonce: request.nonce.as_deref(),
            auth_time,
            device_key,
        };
        let tokens = crate::token::open_session(state, &request.pool, &request.client, user, Some(grant)).await?;
        // The implicit flow never receives a refresh token: it is dropped here, unseen.
        pairs.push(("access_token", tokens.access_token));
        if request.scope.split(' ').any(|s| s == "openid") {
            pairs.push(("id_token", tokens.id_token));
        }
        pairs.push(("token_type", "Bearer".into()));
        pairs.push(("expires_in", tokens.expires_in.to_string()));
        if let Some(s) = &request.state {
            pairs.push(("state", s.clone()));
        }
        pairs.push(("iss", issuer));
        let mut fragment = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in &pairs {
            fragment.append_pair(key, value);
        }
        return Ok(format!("{}#{}", request.redirect_uri, fragment.finish()));
    }
    let code = new_token(32);
    let now = state.clock.now();
    state
        .store
        .insert_code(&AuthorizationCode {
            code_hash: hash_token(&code),
            pool_id: request.pool.id.clone(),
            client_id: request.client.client_id.clone(),
            sub: user.sub.clone(),
            redirect_uri: request.redirect_uri.clone(),
            scope: request.scope.clone(),
            nonce: request.nonce.clone(),
            code_challenge: request.code_challenge.clone(),
            auth_time,
            expires_at: now + CODE_SECONDS,
            device_key: device_key.map(str::to_owned),
        })
        .await?;
    pairs.push(("code", code));
    if let Some(s) = &request.state {
        pairs.push(("state", s.clone()));
    }
    pairs.push(("iss", issuer));
    Ok(with_query(&request.redirect_uri, &pairs))
}
