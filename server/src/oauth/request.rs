//! An authorization request (`/oauth2/authorize`, and the same query on the hosted pages),
//! checked in the order RFC 6749 §4.1.2.1 asks: first the client and the redirect URI — a
//! failure there is an error page, never a redirect — then everything else, whose failures are
//! sent back to the (now trusted) redirect URI.

use cognate_protocol::oauth::{OAuthErrorCode, OAuthFlow};
use std::collections::BTreeMap;

use axum::response::{IntoResponse, Response};

use super::page::error_page;
use crate::state::AppState;
use crate::store::{AppClient, UserPool};

/// A checked authorization request.
#[derive(Clone)]
pub struct AuthorizeRequest {
    pub pool: UserPool,
    pub client: AppClient,
    pub redirect_uri: String,
    /// `code`, or `token` (implicit) when the client opted in.
    pub response_type: String,
    /// Granted scopes, space-separated.
    pub scope: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    /// `prompt=login`: the user must sign in again even with a hosted session.
    pub force_login: bool,
    /// `prompt=none`: never show a form.
    pub no_prompt: bool,
    pub lang: Option<String>,
    /// The request's query, re-sent by the hosted page's hand-over form.
    pub query: String,
}

/// Why a request is refused.
pub enum Refusal {
    /// The client or redirect URI cannot be trusted: an error page.
    Page(String),
    /// An OAuth error sent to the redirect URI.
    Redirect {
        redirect_uri: String,
        error: OAuthErrorCode,
        description: String,
        state: Option<String>,
        issuer: String,
    },
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Page(message) => error_page(&message),
            Refusal::Redirect {
                redirect_uri,
                error,
                description,
                state,
                issuer,
            } => {
                let mut pairs = vec![("error", error.as_str().to_owned()), ("error_description", description)];
                if let Some(state) = state {
                    pairs.push(("state", state));
                }
                pairs.push(("iss", issuer));
                super::see_other(&with_query(&redirect_uri, &pairs))
            }
        }
    }
}

/// `base` with `pairs` added to its query.
pub fn with_query(base: &str, pairs: &[(&str, String)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        serializer.append_pair(key, value);
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", serializer.finish())
}

/// Whether `challenge` looks like an S256 PKCE challenge: 43 base64url characters.
fn valid_challenge(challenge: &str) -> bool {
    challenge.len() == 43
        && challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl AuthorizeRequest {
    /// Reads and checks the request in `query`.
    pub async fn parse(state: &AppState, query: &str) -> Result<Self, Refusal> {
        let params: BTreeMap<String, String> =
            super::form(query).ok_or_else(|| Refusal::Page("A parameter appears more than once.".into()))?;
        let get = |name: &str| params.get(name).filter(|v| !v.is_empty()).cloned();
        let client_id = get("client_id").ok_or_else(|| Refusal::Page("client_id is missing.".into()))?;
        let (pool, client) = crate::user_pool::load_client(state, &client_id)
            .await
            .map_err(|_| Refusal::Page(format!("There is no app client {client_id}.")))?;
        let redirect_uri = get("redirect_uri").ok_or_else(|| Refusal::Page("redirect_uri is missing.".into()))?;
        if !client.settings.callback_urls.contains(&redirect_uri) {
            return Err(Refusal::Page(format!(
                "The redirect_uri {redirect_uri} is not registered for this app client."
            )));
        }
        let issuer = state.issuer(&pool.id);
        let refuse = |error: OAuthErrorCode, description: String| Refusal::Redirect {
            redirect_uri: redirect_uri.clone(),
            error,
            description,
            state: get("state"),
            issuer: issuer.clone(),
        };
        let settings = &client.settings;
        let response_type = get("response_type").unwrap_or_default();
        let flow = match response_type.as_str() {
            "code" => OAuthFlow::Code,
            "token" => OAuthFlow::Implicit,
            _ => {
                return Err(refuse(
                    OAuthErrorCode::UnsupportedResponseType,
                    "response_type must be code (or token for clients that opted in to the implicit flow).".into(),
                ))
            }
        };
        if !settings.allowed_oauth_flows_user_pool_client || !settings.allowed_oauth_flows.contains(&flow) {
            return Err(refuse(
                OAuthErrorCode::UnauthorizedClient,
                format!("The {} flow is not enabled for this app client.", flow.as_str()),
            ));
        }
        let scope = match get("scope") {
            None => settings.allowed_oauth_scopes.join(" "),
            Some(requested) => {
                let requested: Vec<&str> = requested.split(' ').filter(|s| !s.is_empty()).collect();
                if let Some(bad) = requested
                    .iter()
                    .find(|s| !settings.allowed_oauth_scopes.iter().any(|a| a == *s))
                {
                    return Err(refuse(
                        OAuthErrorCode::InvalidScope,
                        format!("The scope {bad} is not allowed."),
                    ));
                }
                requested.join(" ")
            }
        };
        let code_challenge = get("code_challenge");
        let method = get("code_challenge_method");
        match (&code_challenge, method.as_deref()) {
            (None, None) if client.secret.is_some() || flow == OAuthFlow::Implicit => {}
            (None, _) => {
                return Err(refuse(
                    OAuthErrorCode::InvalidRequest,
                    "code_challenge (PKCE, S256) is required for public clients.".into(),
                ))
            }
            (Some(_), Some("S256")) => {}
            (Some(_), _) => {
                return Err(refuse(
                    OAuthErrorCode::InvalidRequest,
                    "code_challenge_method must be S256; plain is not accepted.".into(),
                ))
            }
        }
        if code_challenge.as_deref().is_some_and(|c| !valid_challenge(c)) {
            return Err(refuse(
                OAuthErrorCode::InvalidRequest,
                "code_challenge must be 43 base64url characters (BASE64URL(SHA256(verifier))).".into(),
            ));
        }
        let prompt = get("prompt").unwrap_or_default();
        Ok(AuthorizeRequest {
            pool,
            client,
            redirect_uri,
            response_type,
            scope,
            state: get("state"),
            nonce: get("nonce"),
            code_challenge,
            force_login: prompt.split(' ').any(|p| p == "login"),
            no_prompt: prompt.split(' ').any(|p| p == "none"),
            lang: get("lang"),
            query: query.to_owned(),
        })
    }

    /// An OAuth error for this request, sent to its redirect URI.
    pub fn refuse(&self, state: &AppState, error: OAuthErrorCode, description: &str) -> Refusal {
        Refusal::Redirect {
            redirect_uri: self.redirect_uri.clone(),
            error,
            description: description.to_owned(),
            state: self.state.clone(),
            issuer: state.issuer(&self.pool.id),
        }
    }

    /// The origin of the redirect URI (for the hosted page's `form-action`).
    pub fn redirect_origin(&self) -> String {
        url::Url::parse(&self.redirect_uri)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }
}
