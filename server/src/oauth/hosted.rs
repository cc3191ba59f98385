//! The hosted pages (`/login`, `/signup`, `/confirm`, `/forgotPassword`): the widget in hosted
//! mode, and the hand-over that turns its sign-in into an authorization response.
//!
//! The widget signs the user in through the API as it does anywhere, holding the tokens in memory
//! only. `hosted.js` then posts the access token to `POST /login` with the page's CSRF token (a
//! random value also set as an HttpOnly, SameSite=Strict cookie — the two must match, and a
//! cross-origin `Origin` is refused). The server checks the token, revokes the page's own
//! session, opens a hosted session (an HttpOnly cookie, `__Host-` and `Secure` behind HTTPS) and
//! answers 303 to the redirect URI. `/logout` ends the hosted session and clears the client's
//! refresh-token cookie ([`super::refresh_cookie`]).

use std::sync::Arc;

use axum::extract::{OriginalUri, RawForm, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognate_protocol::user::UserStatus;
use subtle::ConstantTimeEq;

use super::page::{error_page, hosted_page, refusal_page, HostedPage};
use super::request::AuthorizeRequest;
use super::{cookie, secure, HOSTED_SESSION_SECONDS};
use crate::error::ApiResult;
use crate::one_time_code::{hash_token, new_token};
use crate::state::AppState;
use crate::store::oauth::HostedSession;
use crate::store::User;

fn session_cookie(state: &AppState) -> &'static str {
    if secure(state) {
        "__Host-cognate-session"
    } else {
        "cognate-session"
    }
}

fn csrf_cookie(state: &AppState) -> &'static str {
    if secure(state) {
        "__Host-cognate-csrf"
    } else {
        "cognate-csrf"
    }
}

fn set_cookie(response: &mut Response, state: &AppState, name: &str, value: &str, same_site: &str, max_age: i64) {
    let secure = if secure(state) { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}");
    if let Ok(value) = HeaderValue::from_str(&text) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// The signed-in user of the browser's hosted session in `pool_id`, if it is live.
pub async fn current_session(
    state: &AppState,
    headers: &HeaderMap,
    pool_id: &str,
) -> ApiResult<Option<(HostedSession, User)>> {
    let Some(value) = cookie(headers, session_cookie(state)) else {
        return Ok(None);
    };
    let Some(session) = state.store.get_hosted_session(&hash_token(value)).await? else {
        return Ok(None);
    };
    if session.pool_id != pool_id || session.expires_at <= state.clock.now() {
        return Ok(None);
    }
    let user = state.store.get_user_by_sub(pool_id, &session.sub).await?;
    Ok(user
        .filter(|u| u.enabled && u.status == UserStatus::Confirmed)
        .map(|u| (session, u)))
}

fn ticket_cookie(state: &AppState) -> &'static str {
    if secure(state) {
        "__Host-cognate-hosted"
    } else {
        "cognate-hosted"
    }
}

/// How long a hosted page's ticket works, in seconds.
const TICKET_SECONDS: i64 = 3600;

/// The ticket a hosted page of `client_id` is given: sealed by the vault (only this server, or
/// one sharing its key, can make one), bound to the app client, expiring.
fn ticket(state: &AppState, client_id: &str) -> String {
    let expires = state.clock.now() + TICKET_SECONDS;
    state.vault.seal_text(
        &crate::vault::purpose::hosted_ticket(),
        &format!("{expires}:{client_id}"),
    )
}

/// The app client whose hosted page sent this request, by the live ticket the server gave that
/// page (an HttpOnly, SameSite=Strict cookie, so another site's page cannot send it). What a
/// request merely says about itself — its `Origin`, its `Host` — does not count.
pub fn hosted_client(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let value = cookie(headers, ticket_cookie(state))?;
    if !value.starts_with(crate::vault::TEXT_MAGIC) {
        return None;
    }
    let plain = state
        .vault
        .open_text(&crate::vault::purpose::hosted_ticket(), value)
        .ok()?;
    let (expires, client_id) = plain.split_once(':')?;
    (expires.parse::<i64>().ok()? > state.clock.now()).then(|| client_id.to_owned())
}

/// Whether a form post comes from a page of this server (the CSRF check of `POST /login`, on
/// top of its token): its `Origin`, which browsers set and pages cannot change, names the host
/// the request was sent to, or the configured public URL.
pub fn from_own_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    if origin == state.public_url {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
    !host.is_empty() && authority == host
}

/// A language tag fit for an attribute (letters, digits, hyphens), or English.
fn language(requested: Option<&str>) -> String {
    requested
        .filter(|l| (2..=12).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or("en")
        .to_owned()
}

/// `GET /login` (and the other hosted paths): the widget, opened on the path's screen.
pub async fn page(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    RawQuery(query): RawQuery,
) -> Response {
    let request = match AuthorizeRequest::parse(&state, query.as_deref().unwrap_or("")).await {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    let screen = match uri.path() {
        "/signup" => "sign-up",
        "/forgotPassword" => "forgot-password",
        "/confirm" => "confirm-sign-up",
        _ => "sign-in",
    };
    let csrf = new_token(32);
    let lang = language(request.lang.as_deref());
    let action = format!("/login?{}", request.query);
    let mut response = hosted_page(&HostedPage {
        lang: &lang,
        pool_id: &request.pool.id,
        client_id: &request.client.client_id,
        screen,
        action: &action,
        csrf: &csrf,
        redirect_origin: &request.redirect_origin(),
    });
    set_cookie(&mut response, &state, csrf_cookie(&state), &csrf, "Strict", 3600);
    let ticket = ticket(&state, &request.client.client_id);
    set_cookie(
        &mut response,
        &state,
        ticket_cookie(&state),
        &ticket,
        "Strict",
        TICKET_SECONDS,
    );
    response
}

/// `POST /login`: the hand-over from a hosted sign-in to the authorization response (303).
pub async fn complete(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let request = match AuthorizeRequest::parse(&state, query.as_deref().unwrap_or("")).await {
        Ok(request) => request,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(form) = super::form(&String::from_utf8_lossy(&body)) else {
        return error_page("A form field appears more than once.");
    };
    let given = form.get("csrf").map(String::as_str).unwrap_or("");
    let expected = cookie(&headers, csrf_cookie(&state)).unwrap_or("");
    // The page's `Referrer-Policy: no-referrer` makes browsers send `Origin: null` with the form;
    // any other origin than ours is refused, and the CSRF token is always required.
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let cross_origin = origin.is_some_and(|o| o != "null") && !from_own_origin(&state, &headers);
    if given.is_empty() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) || cross_origin {
        return refusal_page(
            StatusCode::FORBIDDEN,
            "The sign-in form expired or was not sent from this page. Go back and sign in again.",
        );
    }
    let token = form.get("access_token").map(String::as_str).unwrap_or("");
    let signed_in = match crate::token::authenticate(&state, token).await {
        Ok(auth) if auth.pool.id == request.pool.id && auth.session.client_id == request.client.client_id => auth,
        _ => return error_page("The sign-in did not complete. Go back and sign in again."),
    };
    let result = async {
        // The page's own tokens are done with: only the authorization response carries on.
        state.store.revoke_session(&signed_in.session.origin_jti).await?;
        let value = new_token(32);
        let now = state.clock.now();
        state
            .store
            .insert_hosted_session(&HostedSession {
                id_hash: hash_token(&value),
                pool_id: request.pool.id.clone(),
                sub: signed_in.user.sub.clone(),
                auth_time: now,
                expires_at: now + HOSTED_SESSION_SECONDS,
            })
            .await?;
        let device_key = signed_in.session.device_key.as_deref();
        let location = super::authorize::respond(&state, &request, &signed_in.user, now, device_key).await?;
        ApiResult::Ok((value, location))
    }
    .await;
    match result {
        Ok((value, location)) => {
            let mut response = super::see_other(&location); // 303 See Other
            set_cookie(
                &mut response,
                &state,
                session_cookie(&state),
                &value,
                "Lax",
                HOSTED_SESSION_SECONDS,
            );
            set_cookie(&mut response, &state, csrf_cookie(&state), "", "Strict", 0);
            response
        }
        Err(err) => err.into_response(),
    }
}

/// `GET /logout?client_id=…&logout_uri=…`: ends the hosted session and returns to a registered
/// sign-out URL — or, with `redirect_uri` and `response_type` instead, to a fresh sign-in page.
pub async fn logout(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let query = query.unwrap_or_default();
    let Some(params) = super::form(&query) else {
        return error_page("A parameter appears more than once.");
    };
    let Some(client_id) = params.get("client_id") else {
        return error_page("client_id is missing.");
    };
    let Ok((_, client)) = crate::user_pool::load_client(&state, client_id).await else {
        return error_page(&format!("There is no app client {client_id}."));
    };
    let target = match params.get("logout_uri") {
        Some(uri) if client.settings.logout_urls.contains(uri) => uri.clone(),
        Some(uri) => return error_page(&format!("The logout_uri {uri} is not registered for this app client.")),
        None => match AuthorizeRequest::parse(&state, &query).await {
            Ok(request) => format!("/login?{}", request.query),
            Err(refusal) => return refusal.into_response(),
        },
    };
    if let Some(value) = cookie(&headers, session_cookie(&state)) {
        if let Err(err) = state.store.delete_hosted_session(&hash_token(value)).await {
            return crate::error::ApiError::from(err).into_response();
        }
    }
    let mut response = super::see_other(&target);
    set_cookie(&mut response, &state, session_cookie(&state), "", "Lax", 0);
    super::refresh_cookie::clear(&mut response, &state, &client.client_id);
    response
}
