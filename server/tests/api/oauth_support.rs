//! A browser and an OIDC relying party for the OAuth tests: an OAuth app client, a cookie-keeping
//! HTTP client that does not follow redirects, and the hosted page's sign-in done as the widget
//! and `hosted.js` do it (API sign-in from the page's origin, then the CSRF-protected POST).

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::OAuthFlowType;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

use super::support::{TestServer, PASSWORD};

pub const CALLBACK: &str = "http://localhost:4000/callback";
pub const LOGOUT: &str = "http://localhost:4000/signed-out";

pub type Rp =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// An HTTP client that keeps redirects for the test to look at.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A pool, an OAuth code-flow client (public, or with a secret) and a confirmed user `alice`.
pub async fn oauth_setup(server: &TestServer, secret: bool) -> (String, String, Option<String>) {
    let (pool_id, _) = server.pool_and_client(false).await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("spa")
        .generate_secret(secret)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("profile")
        .callback_urls(CALLBACK)
        .logout_urls(LOGOUT)
        .send()
        .await
        .expect("oauth client");
    let client = client.user_pool_client().expect("client");
    let client_id = client.client_id().expect("id").to_owned();
    // The OAuth client has no explicit USER_PASSWORD_AUTH: the hosted page signs in anyway.
    let signup_client = server.client(&pool_id, false, false).await.0;
    server.confirmed_user(&signup_client, "alice").await;
    (pool_id, client_id, client.client_secret().map(str::to_owned))
}

/// The relying party, configured from the pool's discovery document.
pub async fn relying_party(server: &TestServer, pool_id: &str, client_id: &str, secret: Option<String>) -> Rp {
    let issuer = IssuerUrl::new(format!("{}/{pool_id}", server.url)).expect("issuer");
    let metadata = CoreProviderMetadata::discover_async(issuer, &browser())
        .await
        .expect("discovery");
    CoreClient::from_provider_metadata(metadata, ClientId::new(client_id.into()), secret.map(ClientSecret::new))
        .set_redirect_uri(RedirectUrl::new(CALLBACK.into()).expect("redirect"))
}

/// An authorization request of the relying party, with what it must remember.
pub struct Attempt {
    pub url: String,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

pub fn attempt(rp: &Rp) -> Attempt {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    Attempt {
        url: url.to_string(),
        state,
        nonce,
        verifier,
    }
}

/// An authorization request of `client_id` for the callback, with `extra` query parameters.
pub fn authorize_url(server: &TestServer, client_id: &str, extra: &str) -> String {
    format!(
        "{}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state=s1{extra}",
        server.url,
        urlencode(CALLBACK)
    )
}

pub fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The S256 PKCE challenge of RFC 7636's example verifier.
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The `Location` of a redirect.
pub fn location(headers: &HeaderMap) -> String {
    headers
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location header")
        .to_owned()
}

/// The value of cookie `name` set by a response.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
}

/// A query parameter of a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// What the hosted page hands the browser: its CSRF field and cookie, the form's action, and
/// the ticket cookie that lets the page's API calls sign in as the hosted page.
pub struct HostedForm {
    pub csrf: String,
    pub csrf_cookie: String,
    pub action: String,
    pub ticket: String,
}

/// Follows an authorization request to the hosted page and reads its form.
pub async fn open_hosted_page(server: &TestServer, authorize_url: &str) -> HostedForm {
    let http = browser();
    let response = http.get(authorize_url).send().await.expect("authorize");
    assert_eq!(response.status(), 303, "authorize sends the user to the hosted page");
    let login = location(response.headers());
    assert!(login.starts_with("/login?"), "{login}");
    let page = http
        .get(format!("{}{login}", server.url))
        .send()
        .await
        .expect("login page");
    assert_eq!(page.status(), 200);
    let csrf_cookie = set_cookie(page.headers(), "cognate-csrf").expect("csrf cookie");
    let ticket = set_cookie(page.headers(), "cognate-hosted").expect("hosted ticket cookie");
    let html = page.text().await.expect("html");
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" value=\"");
        let start = html.find(&marker).map(|i| i + marker.len()).expect("field");
        html[start..start + html[start..].find('"').expect("end")].to_owned()
    };
    let action_start = html.find("action=\"").expect("form action") + 8;
    let action = html[action_start..action_start + html[action_start..].find('"').expect("end")].replace("&amp;", "&");
    HostedForm {
        csrf: field("csrf"),
        csrf_cookie,
        action,
        ticket,
    }
}

/// Signs `username` in through the API as the hosted widget does (with the page's ticket).
pub async fn hosted_api_sign_in(server: &TestServer, form: &HostedForm, client_id: &str, username: &str) -> String {
    let body = serde_json::json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD},
    });
    let response = browser()
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
        .header("origin", &server.url)
        .header("cookie", format!("cognate-hosted={}", form.ticket))
        .body(body.to_string())
        .send()
        .await
        .expect("initiate auth");
    assert_eq!(response.status(), 200, "hosted sign-in");
    let json: serde_json::Value = response.json().await.expect("json");
    json["AuthenticationResult"]["AccessToken"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// Posts the hand-over form; returns the response (a 303 to the app when all is well).
pub async fn hand_over(server: &TestServer, form: &HostedForm, csrf: &str, access_token: &str) -> reqwest::Response {
    browser()
        .post(format!("{}{}", server.url, form.action))
        .header("cookie", format!("cognate-csrf={}", form.csrf_cookie))
        .header("origin", &server.url)
        .form(&[("csrf", csrf), ("access_token", access_token)])
        .send()
        .await
        .expect("hand-over")
}

/// The whole hosted sign-in of `alice`: the redirect to the app and the hosted session cookie.
pub async fn hosted_sign_in(server: &TestServer, client_id: &str, authorize_url: &str) -> (String, String) {
    let form = open_hosted_page(server, authorize_url).await;
    let access = hosted_api_sign_in(server, &form, client_id, "alice").await;
    let response = hand_over(server, &form, &form.csrf.clone(), &access).await;
    assert_eq!(response.status(), 303, "303 after the credential POST");
    let session = set_cookie(response.headers(), "cognate-session").expect("hosted session cookie");
    (location(response.headers()), session)
}
