//! The OAuth 2.0 / OpenID Connect authorization server and the hosted login page, on the server
//! root as Cognito has them: `/oauth2/authorize`, `/login` (and `/signup`, `/confirm`,
//! `/forgotPassword`), `/oauth2/token`, `/oauth2/userInfo`, `/oauth2/revoke` and `/logout`. The
//! pool is found from `client_id`.
//!
//! Safe by default (RFC 9700): exact redirect URIs, PKCE S256 for public clients, single-use
//! codes whose replay revokes what they issued, `iss` on authorization responses (RFC 9207),
//! `no-store` token responses, CORS only for registered origins, locked-down hosted pages.
//!
//! - [`request`]: reading and checking an authorization request;
//! - [`authorize`]: `/oauth2/authorize` and the redirect that answers it;
//! - [`hosted`]: the hosted pages, the CSRF-protected hand-over from a hosted sign-in to a code,
//!   the hosted session cookie and `/logout`;
//! - [`token_endpoint`]: `/oauth2/token` and client authentication;
//! - [`refresh_cookie`]: the opt-in HttpOnly cookie that holds a browser app's refresh token;
//! - [`userinfo`]: `/oauth2/userInfo` and `/oauth2/revoke`;
//! - [`cors`]: which origins a pool's clients registered;
//! - [`page`]: HTML of the hosted and error pages and their security headers.

pub mod authorize;
pub mod cors;
pub mod hosted;
pub mod page;
pub mod refresh_cookie;
pub mod request;
pub mod token_endpoint;
pub mod userinfo;

use std::sync::Arc;

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// How long a hosted sign-in lets later authorizations skip the form (Cognito: one hour).
pub const HOSTED_SESSION_SECONDS: i64 = 3600;

/// A 303 See Other to `location`. A location no `Location` header can carry (a URL registered
/// before such URLs were refused, see `api::client_oauth::url_problem`) gets the error page, not
/// an internal error.
pub fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => page::error_page(
            "The app client's redirect URI is not in ASCII form and cannot be used; its administrator must register it percent-encoded.",
        ),
    }
}
/// How long an authorization code can be redeemed (Cognito: five minutes).
pub const CODE_SECONDS: i64 = 300;

/// The routes of the authorization server and the hosted pages.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/oauth2/authorize", get(authorize::authorize))
        .route("/login", get(hosted::page).post(hosted::complete))
        .route("/signup", get(hosted::page))
        .route("/confirm", get(hosted::page))
        .route("/forgotPassword", get(hosted::page))
        .route("/logout", get(hosted::logout))
        .route(
            "/oauth2/token",
            post(token_endpoint::token).options(cors::preflight_with_credentials),
        )
        .route(
            "/oauth2/userInfo",
            get(userinfo::user_info)
                .post(userinfo::user_info)
                .options(cors::preflight),
        )
        .route(
            "/oauth2/revoke",
            post(userinfo::revoke).options(cors::preflight_with_credentials),
        )
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Parses an `application/x-www-form-urlencoded` body or query; `None` when a parameter repeats
/// (RFC 6749 §3.1: parameters must not be included more than once).
pub fn form(text: &str) -> Option<std::collections::BTreeMap<String, String>> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in url::form_urlencoded::parse(text.as_bytes()) {
        if map.insert(key.into_owned(), value.into_owned()).is_some() {
            return None;
        }
    }
    Some(map)
}

/// Whether the server is reached over HTTPS (cookies then get `Secure` and the `__Host-` prefix).
pub fn secure(state: &AppState) -> bool {
    state.public_url.starts_with("https://")
}
