//! CORS for the endpoints a browser app calls directly (token, userInfo, revoke, JWKS,
//! discovery): only origins an app client registered — the origins of its callback and sign-out
//! URLs — may read the answers. Token and revoke also let those origins send credentials (the
//! refresh-token cookie, [`super::refresh_cookie`]) and its opt-in header.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use axum::extract::State;

use crate::state::AppState;
use crate::store::AppClient;

/// The origins `client` registered.
pub fn client_origins(client: &AppClient) -> impl Iterator<Item = String> + '_ {
    client
        .settings
        .callback_urls
        .iter()
        .chain(&client.settings.logout_urls)
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null")
}

fn request_origin(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
}

fn allow(response: &mut Response, origin: &str) {
    if let Ok(value) = HeaderValue::from_str(origin) {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

fn allow_credentials(response: &mut Response) {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

/// Lets the request's origin read `response` when `client` registered it.
pub fn allow_client_origin(headers: &HeaderMap, client: Option<&AppClient>, response: &mut Response) {
    let (Some(origin), Some(client)) = (request_origin(headers), client) else {
        return;
    };
    if client_origins(client).any(|o| o == origin) {
        allow(response, origin);
    }
}

/// [`allow_client_origin`], with credentials (the answers of token and revoke).
pub fn allow_client_origin_with_credentials(headers: &HeaderMap, client: Option<&AppClient>, response: &mut Response) {
    allow_client_origin(headers, client, response);
    if response.headers().contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) {
        allow_credentials(response);
    }
}

/// Whether any client of `pool_id` (or of any pool, when `None`) registered `origin`.
pub async fn registered(state: &AppState, origin: &str, pool_id: Option<&str>) -> bool {
    let pools = match pool_id {
        Some(id) => vec![id.to_owned()],
        None => match state.store.list_pools(None, 10_000).await {
            Ok(pools) => pools.into_iter().map(|p| p.id).collect(),
            Err(_) => return false,
        },
    };
    for pool in pools {
        let mut after: Option<String> = None;
        loop {
            let Ok(clients) = state.store.list_clients(&pool, after.as_deref(), 60).await else {
                return false;
            };
            if clients.iter().any(|c| client_origins(c).any(|o| o == origin)) {
                return true;
            }
            if clients.len() < 60 {
                break;
            }
            after = clients.last().map(|c| c.client_id.clone());
        }
    }
    false
}

/// Lets a registered origin of `pool_id` read `response` (JWKS, discovery).
pub async fn allow_pool_origin(state: &AppState, headers: &HeaderMap, pool_id: &str, response: &mut Response) {
    if let Some(origin) = request_origin(headers) {
        if registered(state, origin, Some(pool_id)).await {
            allow(response, origin);
        }
    }
}

/// Preflight of userInfo: allowed for origins some client registered (the body naming the
/// client is not sent with a preflight).
pub async fn preflight(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    preflight_response(&state, &headers, false).await
}

/// Preflight of token and revoke: as [`preflight`], with credentials and the refresh-cookie header.
pub async fn preflight_with_credentials(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    preflight_response(&state, &headers, true).await
}

async fn preflight_response(state: &AppState, headers: &HeaderMap, credentials: bool) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let Some(origin) = request_origin(headers) else {
        return response;
    };
    if !registered(state, origin, None).await {
        return response;
    }
    allow(&mut response, origin);
    let allowed_headers = if credentials {
        allow_credentials(&mut response);
        "authorization, content-type, x-cognate-refresh-cookie"
    } else {
        "authorization, content-type"
    };
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(allowed_headers),
    );
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    response
}
