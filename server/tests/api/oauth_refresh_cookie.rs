//! The refresh token in an HttpOnly cookie (`X-Cognate-Refresh-Cookie: 1`): the code exchange
//! sets it instead of answering it, a refresh grant reads it only with the header, revocation
//! and `/logout` clear it, rotation replaces it, CORS lets registered origins send it, and
//! behind HTTPS it is `__Secure-` and `Secure`.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{ExplicitAuthFlowsType, FeatureType, OAuthFlowType, RefreshTokenRotationType};
use reqwest::header::SET_COOKIE;

use super::oauth_support::*;
use super::support::*;

const HEADER: &str = "x-cognate-refresh-cookie";
const APP: &str = "http://localhost:4000";
/// The default refresh-token validity, 30 days, in seconds.
const THIRTY_DAYS: i64 = 30 * 86_400;

/// A POST to an `/oauth2/` endpoint as the app's page sends it: from the app's origin, with the
/// opt-in header when `opt_in`, and the cookie `cookie` (`name=value`) when given.
async fn post(
    server: &TestServer,
    path: &str,
    opt_in: bool,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    let mut request = browser()
        .post(format!("{}{path}", server.url))
        .header("origin", APP)
        .form(form);
    if opt_in {
        request = request.header(HEADER, "1");
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap_or_default())
}

/// The one Set-Cookie header of a response.
fn the_set_cookie(headers: &reqwest::header::HeaderMap) -> String {
    let all: Vec<&str> = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert_eq!(all.len(), 1, "{all:?}");
    all[0].to_owned()
}

/// The value a `Set-Cookie` gives cookie `name`.
fn cookie_value(set_cookie: &str, name: &str) -> String {
    set_cookie
        .strip_prefix(&format!("{name}="))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("{name} in {set_cookie}"))
        .to_owned()
}

#[tokio::test]
async fn the_code_exchange_keeps_the_refresh_token_in_an_http_only_cookie() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let attempt = attempt(&rp);
    let (back, _) = hosted_sign_in(&server, &client_id, &attempt.url).await;
    let code = param(&back, "code").expect("code");
    let name = format!("cognate-refresh-{client_id}");

    let (status, headers, tokens) = post(
        &server,
        "/oauth2/token",
        true,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", attempt.verifier.secret()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["access_token"].is_string() && tokens["id_token"].is_string());
    assert!(tokens.get("refresh_token").is_none(), "{tokens}");
    assert_eq!(headers["access-control-allow-origin"], APP);
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let set = the_set_cookie(&headers);
    let refresh = cookie_value(&set, &name);
    assert!(refresh.len() > 40);
    assert_eq!(
        set,
        format!("{name}={refresh}; HttpOnly; SameSite=Strict; Path=/oauth2/; Max-Age={THIRTY_DAYS}")
    );
    let cookie = format!("{name}={refresh}");

    // The cookie refreshes, with the header only.
    let refresh_form = [("grant_type", "refresh_token"), ("client_id", client_id.as_str())];
    let (status, headers, refreshed) = post(&server, "/oauth2/token", true, Some(&cookie), &refresh_form).await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed["access_token"].is_string() && refreshed["id_token"].is_string());
    assert!(refreshed.get("refresh_token").is_none());
    assert!(headers.get(SET_COOKIE).is_none(), "no rotation, the cookie stays");
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let (status, _, refused) = post(&server, "/oauth2/token", false, Some(&cookie), &refresh_form).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_request")));
    assert_eq!(refused["error_description"], "refresh_token is missing.");
    // A refresh_token field wins over the cookie.
    let with_field = [
        ("grant_type", "refresh_token"),
        ("client_id", client_id.as_str()),
        ("refresh_token", "not-a-refresh-token"),
    ];
    let (status, _, refused) = post(&server, "/oauth2/token", true, Some(&cookie), &with_field).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")));
    // Another client's cookie name is not this client's.
    let other = format!("cognate-refresh-someoneelse={refresh}");
    let (status, _, refused) = post(&server, "/oauth2/token", true, Some(&other), &refresh_form).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")));

    // Revoking through the cookie ends the session and clears the cookie.
    let revoke_form = [("client_id", client_id.as_str())];
    let (status, _, refused) = post(&server, "/oauth2/revoke", false, Some(&cookie), &revoke_form).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_request")),
        "no header, no cookie"
    );
    let (status, headers, _) = post(&server, "/oauth2/revoke", true, Some(&cookie), &revoke_form).await;
    assert_eq!(status, 200);
    assert_eq!(
        the_set_cookie(&headers),
        format!("{name}=; HttpOnly; SameSite=Strict; Path=/oauth2/; Max-Age=0")
    );
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let (status, _, refused) = post(&server, "/oauth2/token", true, Some(&cookie), &refresh_form).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")));
    let (status, _, refused) = post(&server, "/oauth2/token", true, None, &refresh_form).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant")),
        "no cookie"
    );

    // /logout clears the client's cookie too.
    let logout = browser()
        .get(format!(
            "{}/logout?client_id={client_id}&logout_uri={}",
            server.url,
            url::form_urlencoded::byte_serialize(LOGOUT.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), 303);
    let cleared = logout
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v == format!("{name}=; HttpOnly; SameSite=Strict; Path=/oauth2/; Max-Age=0"));
    assert!(cleared, "{:?}", logout.headers());
}

#[tokio::test]
async fn without_the_header_the_answer_is_as_before() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let attempt = attempt(&rp);
    let (back, _) = hosted_sign_in(&server, &client_id, &attempt.url).await;
    let code = param(&back, "code").expect("code");
    let (status, headers, tokens) = post(
        &server,
        "/oauth2/token",
        false,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", attempt.verifier.secret()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string());
    assert!(headers.get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn preflights_let_registered_origins_send_the_cookie_and_its_header() {
    let server = TestServer::start().await;
    oauth_setup(&server, false).await;
    let preflight = |path: &'static str, origin: &'static str| {
        browser()
            .request(reqwest::Method::OPTIONS, format!("{}{path}", server.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, x-cognate-refresh-cookie",
            )
            .send()
    };
    for path in ["/oauth2/token", "/oauth2/revoke"] {
        let allowed = preflight(path, APP).await.expect("preflight");
        let headers = allowed.headers();
        assert_eq!(headers["access-control-allow-origin"], APP);
        assert_eq!(headers["access-control-allow-credentials"], "true");
        let allowed_headers = headers["access-control-allow-headers"].to_str().expect("text");
        assert!(allowed_headers.contains(HEADER), "{allowed_headers}");

        let other = preflight(path, "https://evil.example").await.expect("preflight");
        assert!(other.headers().get("access-control-allow-origin").is_none());
        assert!(other.headers().get("access-control-allow-credentials").is_none());
        assert!(other.headers().get("access-control-allow-headers").is_none());
    }
    let user_info = preflight("/oauth2/userInfo", APP).await.expect("preflight");
    assert!(user_info.headers().get("access-control-allow-credentials").is_none());

    // An unregistered origin's token request gets no CORS headers.
    let response = browser()
        .post(format!("{}/oauth2/token", server.url))
        .header("origin", "https://evil.example")
        .header(HEADER, "1")
        .form(&[("grant_type", "refresh_token"), ("client_id", "nope")])
        .send()
        .await
        .expect("token");
    assert!(response.headers().get("access-control-allow-origin").is_none());
    assert!(response.headers().get("access-control-allow-credentials").is_none());
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure_and_rotation_replaces_it() {
    let server = TestServer::start_with(|config| config.public_url = Some("https://auth.example.com".into())).await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let rotation = RefreshTokenRotationType::builder()
        .feature(FeatureType::Enabled)
        .retry_grace_period_seconds(0)
        .build()
        .expect("rotation");
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("rotating")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(format!("{APP}/callback"))
        .refresh_token_rotation(rotation)
        .send()
        .await
        .expect("client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    server.confirmed_user(&client_id, "hana").await;
    let tokens = server.sign_in(&client_id, "hana", PASSWORD).await;
    let first = tokens.refresh_token().expect("refresh token");
    let name = format!("__Secure-cognate-refresh-{client_id}");

    // The header with a refresh_token field: the rotated token goes into the cookie.
    let (status, headers, refreshed) = post(
        &server,
        "/oauth2/token",
        true,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &client_id),
            ("refresh_token", first),
        ],
    )
    .await;
    assert_eq!(status, 200, "{refreshed}");
    assert!(refreshed.get("refresh_token").is_none());
    let set = the_set_cookie(&headers);
    let second = cookie_value(&set, &name);
    assert_ne!(second, first);
    assert_eq!(
        set,
        format!("{name}={second}; HttpOnly; SameSite=Strict; Path=/oauth2/; Max-Age={THIRTY_DAYS}; Secure")
    );

    // The cookie refreshes and is replaced again; the unprefixed name is not read.
    let refresh_form = [("grant_type", "refresh_token"), ("client_id", client_id.as_str())];
    let plain = format!("cognate-refresh-{client_id}={second}");
    let (status, _, refused) = post(&server, "/oauth2/token", true, Some(&plain), &refresh_form).await;
    assert_eq!((status, refused["error"].as_str()), (400, Some("invalid_grant")));
    let (status, headers, refreshed) = post(
        &server,
        "/oauth2/token",
        true,
        Some(&format!("{name}={second}")),
        &refresh_form,
    )
    .await;
    assert_eq!(status, 200, "{refreshed}");
    let third = cookie_value(&the_set_cookie(&headers), &name);
    assert_ne!(third, second);
    let (status, _, refused) = post(
        &server,
        "/oauth2/token",
        true,
        Some(&format!("{name}={second}")),
        &refresh_form,
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_grant")),
        "rotated away"
    );
}
