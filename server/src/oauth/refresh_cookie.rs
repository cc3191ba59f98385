//! The refresh token in an HttpOnly cookie, for browser apps that would rather page scripts never
//! saw it (a Cognate extension; Cognito has no such option).
//!
//! A token request (authorization_code or refresh_token grant) with the header
//! `X-Cognate-Refresh-Cookie: 1` gets its refresh token as the cookie `cognate-refresh-<client_id>`
//! (`__Secure-` prefixed behind HTTPS) — HttpOnly, SameSite=Strict, Path=/oauth2/, Max-Age the
//! client's refresh-token validity — and no `refresh_token` in the JSON. A refresh_token grant
//! with the header and no `refresh_token` field reads the cookie; so does `/oauth2/revoke` with the
//! header and no `token` field, which also clears it. Requests without the header never read the
//! cookie: the custom header forces a CORS preflight, which only registered origins pass, so a
//! cross-site form cannot spend it. The cookie's value is never logged.

use std::collections::BTreeMap;

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use serde_json::Value;

use super::secure;
use crate::state::AppState;
use crate::store::AppClient;

/// The request header that opts a token or revocation request into the cookie.
pub const HEADER: &str = "x-cognate-refresh-cookie";

/// Whether the request opted into the cookie (`X-Cognate-Refresh-Cookie: 1`).
pub fn requested(headers: &HeaderMap) -> bool {
    headers.get(HEADER).is_some_and(|v| v.as_bytes() == b"1")
}

/// The cookie's name for `client_id`.
pub fn name(state: &AppState, client_id: &str) -> String {
    let prefix = if secure(state) { "__Secure-" } else { "" };
    format!("{prefix}cognate-refresh-{client_id}")
}

/// Where a request's refresh token is.
#[derive(Debug, PartialEq, Eq)]
pub enum Presented<'a> {
    /// In the form field.
    Field(&'a str),
    /// In the cookie: the request opted in and left the field out (`None`: no cookie came).
    Cookie(Option<&'a str>),
    /// Nowhere.
    Missing,
}

/// The refresh token of a request: the form's `field` when given, else (only with the header)
/// the client's cookie.
pub fn presented<'a>(
    state: &AppState,
    headers: &'a HeaderMap,
    form: &'a BTreeMap<String, String>,
    field: &str,
    client_id: &str,
) -> Presented<'a> {
    if let Some(token) = form.get(field).filter(|t| !t.is_empty()) {
        return Presented::Field(token);
    }
    if !requested(headers) {
        return Presented::Missing;
    }
    let value = super::cookie(headers, &name(state, client_id)).filter(|v| !v.is_empty());
    Presented::Cookie(value)
}

fn append(response: &mut Response, state: &AppState, client_id: &str, value: &str, max_age: i64) {
    let secure = if secure(state) { "; Secure" } else { "" };
    let name = name(state, client_id);
    let text = format!("{name}={value}; HttpOnly; SameSite=Strict; Path=/oauth2/; Max-Age={max_age}{secure}");
    if let Ok(value) = HeaderValue::from_str(&text) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Moves the answer's `refresh_token` out of the JSON `value`; returns it.
pub fn take(value: &mut Value) -> Option<String> {
    let token = value.as_object_mut()?.remove("refresh_token")?;
    token.as_str().map(str::to_owned)
}

/// Sets the client's cookie to `token`, for the client's refresh-token validity.
pub fn set(response: &mut Response, state: &AppState, client: &AppClient, token: &str) {
    let max_age = crate::token::lifetimes(&client.settings).refresh;
    append(response, state, &client.client_id, token, max_age);
}

/// Clears the client's cookie.
pub fn clear(response: &mut Response, state: &AppState, client_id: &str) {
    append(response, state, client_id, "", 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_header_value_1_opts_in() {
        let mut headers = HeaderMap::new();
        assert!(!requested(&headers));
        headers.insert(HEADER, HeaderValue::from_static("0"));
        assert!(!requested(&headers));
        headers.insert(HEADER, HeaderValue::from_static("1"));
        assert!(requested(&headers));
    }

    #[test]
    fn the_refresh_token_leaves_the_answer() {
        let mut value = serde_json::json!({"access_token": "a", "refresh_token": "r"});
        assert_eq!(take(&mut value).as_deref(), Some("r"));
        assert_eq!(value, serde_json::json!({"access_token": "a"}));
        assert_eq!(take(&mut value), None);
    }
}
