//! CORS for the endpoints a browser app calls directly (token, userInfo, revoke, JWKS,
//! discovery): only origins an app client registered — the origins of its callback and sign-out
//! URLs — may read the answers.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use axum::extract::State;

use crate::store::AppClient;
use crate::AppState;

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

/// Lets the request's origin read `response` when `client` registered it.
pub fn allow_client_origin(headers: &HeaderMap, client: Option<&AppClient>, response: &mut Response) {
    let (Some(origin), Some(client)) = (request_origin(headers), client) else {
        return;
    };
    if client_origins(client).any(|o| o == origin) {
        allow(response, origin);
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

/// Preflight of token, userInfo and revoke: allowed for origins some client registered (the
/// body naming the client is not sent with a preflight).
pub async fn preflight(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(origin) = request_origin(&headers) {
        if registered(&state, origin, None).await {
            allow(&mut response, origin);
            let headers = response.headers_mut();
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static("GET, POST"),
            );
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                HeaderValue::from_static("authorization, content-type"),
            );
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        }
    }
    response
}
