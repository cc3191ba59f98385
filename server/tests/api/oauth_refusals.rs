//! Every refusal of the authorization server, with its exact error: unregistered redirect URIs
//! (an error page, never a redirect), PKCE rules, replayed and misused codes, the hosted form's
//! CSRF check, client settings, CORS, and the hosted pages' security headers.

use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;

use super::oauth_support::*;
use super::support::TestServer;

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

async fn token_request(server: &TestServer, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = browser()
        .post(format!("{}/oauth2/token", server.url))
        .form(form)
        .send()
        .await
        .expect("token");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn unregistered_redirect_uris_get_an_error_page_and_bad_requests_an_error_redirect() {
    let server = TestServer::start().await;
    let (_, client_id, _) = oauth_setup(&server, false).await;
    let evil = browser()
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri=https%3A%2F%2Fevil.example%2F&code_challenge={CHALLENGE}&code_challenge_method=S256",
            server.url
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(evil.status(), 400);
    assert!(evil.headers().get("location").is_none(), "never a redirect");
    let unknown = browser()
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=x",
            server.url
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(unknown.status(), 400);

    for (extra, error) in [
        ("", "invalid_request"), // no PKCE, public client
        (
            &format!("&code_challenge={CHALLENGE}&code_challenge_method=plain") as &str,
            "invalid_request",
        ),
        (&format!("&code_challenge={CHALLENGE}") as &str, "invalid_request"), // method defaults to plain
        (
            &format!("&code_challenge={CHALLENGE}&code_challenge_method=S256&scope=phone") as &str,
            "invalid_scope",
        ),
    ] {
        let response = browser()
            .get(authorize_url(&server, &client_id, extra))
            .send()
            .await
            .expect("authorize");
        assert_eq!(response.status(), 303, "{extra}");
        let back = location(response.headers());
        assert!(back.starts_with(CALLBACK), "{back}");
        assert_eq!(param(&back, "error").as_deref(), Some(error), "{extra}");
        assert_eq!(param(&back, "state").as_deref(), Some("s1"));
        assert!(param(&back, "iss").is_some());
    }
    let implicit = browser()
        .get(authorize_url(&server, &client_id, "").replace("response_type=code", "response_type=token"))
        .send()
        .await
        .expect("authorize");
    assert_eq!(
        param(&location(implicit.headers()), "error").as_deref(),
        Some("unauthorized_client")
    );
}

#[tokio::test]
async fn codes_are_single_use_bound_to_client_redirect_and_verifier_and_a_replay_revokes() {
    let server = TestServer::start().await;
    let (_, client_id, _) = oauth_setup(&server, false).await;
    let url = authorize_url(
        &server,
        &client_id,
        &format!("&code_challenge={CHALLENGE}&code_challenge_method=S256&scope=openid"),
    );
    let code = |back: String| param(&back, "code").expect("code");

    let first = code(hosted_sign_in(&server, &client_id, &url).await.0);
    let exchange = |code: String, verifier: &'static str, redirect: &'static str| {
        let client_id = client_id.clone();
        let server = &server;
        async move {
            token_request(
                server,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("client_id", &client_id),
                    ("redirect_uri", redirect),
                    ("code_verifier", verifier),
                ],
            )
            .await
        }
    };
    let (status, tokens) = exchange(first.clone(), VERIFIER, CALLBACK).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    let (status, replay) = exchange(first, VERIFIER, CALLBACK).await;
    assert_eq!((status, replay["error"].as_str()), (400, Some("invalid_grant")));
    let info = browser()
        .get(format!("{}/oauth2/userInfo", server.url))
        .bearer_auth(&access)
        .send()
        .await
        .expect("userinfo");
    assert_eq!(info.status(), 401, "the replay revoked what the first use issued");

    let second = code(hosted_sign_in(&server, &client_id, &url).await.0);
    let (_, wrong_verifier) = exchange(second, "x".repeat(43).leak(), CALLBACK).await;
    assert_eq!(wrong_verifier["error"], "invalid_grant");
    let third = code(hosted_sign_in(&server, &client_id, &url).await.0);
    let (_, wrong_redirect) = exchange(third, VERIFIER, "http://localhost:4000/other").await;
    assert_eq!(wrong_redirect["error"], "invalid_grant");
    let fourth = code(hosted_sign_in(&server, &client_id, &url).await.0);
    server.clock.advance(301);
    let (_, expired) = exchange(fourth, VERIFIER, CALLBACK).await;
    assert_eq!(expired["error"], "invalid_grant");
    let (_, unknown) = token_request(&server, &[("grant_type", "password"), ("client_id", &client_id)]).await;
    assert_eq!(unknown["error"], "unsupported_grant_type");
}

#[tokio::test]
async fn the_hand_over_is_csrf_protected_and_the_hosted_page_locked_down() {
    let server = TestServer::start().await;
    let (_, client_id, _) = oauth_setup(&server, false).await;
    let url = authorize_url(
        &server,
        &client_id,
        &format!("&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    );
    let form = open_hosted_page(&server, &url).await;
    let access = hosted_api_sign_in(&server, &form, &client_id, "alice").await;
    let forged = hand_over(&server, &form, "forged-token", &access).await;
    assert_eq!(forged.status(), 403);
    let cross_site = browser()
        .post(format!("{}{}", server.url, form.action))
        .header("cookie", format!("cognate-csrf={}", form.csrf_cookie))
        .header("origin", "http://localhost:4000")
        .form(&[("csrf", form.csrf.as_str()), ("access_token", access.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(cross_site.status(), 403, "another origin cannot post the form");
    let bad_token = hand_over(&server, &form, &form.csrf, "not-a-token").await;
    assert_eq!(bad_token.status(), 400);

    let page = browser()
        .get(format!(
            "{}{}",
            server.url,
            location(browser().get(&url).send().await.expect("authorize").headers())
        ))
        .send()
        .await
        .expect("page");
    let headers = page.headers();
    let csp = headers["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'")
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let cookie = headers["set-cookie"].to_str().expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(
        !page.text().await.expect("html").contains("<script>"),
        "no inline script"
    );
}

#[tokio::test]
async fn client_settings_domains_and_cors_follow_the_rules() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let create = |flows: Vec<OAuthFlowType>, scopes: Vec<&str>, callback: &str, secret: bool| {
        let mut request = server
            .admin
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("c")
            .generate_secret(secret)
            .allowed_o_auth_flows_user_pool_client(true)
            .callback_urls(callback);
        for flow in flows {
            request = request.allowed_o_auth_flows(flow);
        }
        for scope in scopes {
            request = request.allowed_o_auth_scopes(scope);
        }
        request.send()
    };
    for (flows, scopes, callback, secret) in [
        (
            vec![OAuthFlowType::Code],
            vec!["openid"],
            "http://app.example.com/cb",
            false,
        ),
        (
            vec![OAuthFlowType::Code],
            vec!["openid"],
            "https://app.example.com/cb#frag",
            false,
        ),
        (
            vec![OAuthFlowType::Code],
            vec!["openid"],
            "https://app.example.com/caf\u{e9}",
            false,
        ),
        (
            vec![OAuthFlowType::Code],
            vec!["openid"],
            "https://app.example.com/a b",
            false,
        ),
        (
            vec![OAuthFlowType::ClientCredentials],
            vec!["openid"],
            "https://a.example/cb",
            true,
        ),
        (
            vec![OAuthFlowType::ClientCredentials],
            vec!["x/y"],
            "https://a.example/cb",
            false,
        ),
        (
            vec![OAuthFlowType::Code, OAuthFlowType::ClientCredentials],
            vec!["openid"],
            "https://a.example/cb",
            true,
        ),
        (
            vec![OAuthFlowType::Code],
            vec!["unknown/scope"],
            "https://a.example/cb",
            false,
        ),
    ] {
        let err = create(flows, scopes, callback, secret).await.expect_err("refused");
        assert_eq!(
            err.code(),
            Some("InvalidParameterException"),
            "{callback}: {:?}",
            err.message()
        );
    }

    server
        .admin
        .create_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("domain");
    let taken = server
        .admin
        .create_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&pool_id)
        .send()
        .await;
    assert_eq!(taken.expect_err("taken").code(), Some("InvalidParameterException"));
    let described = server
        .admin
        .describe_user_pool_domain()
        .domain("my-app")
        .send()
        .await
        .expect("describe");
    let description = described.domain_description().expect("description");
    assert_eq!(description.user_pool_id(), Some(pool_id.as_str()));
    assert_eq!(description.status().map(|s| s.as_str()), Some("ACTIVE"));

    let preflight = |origin: &'static str| {
        browser()
            .request(reqwest::Method::OPTIONS, format!("{}/oauth2/token", server.url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .send()
    };
    let allowed = preflight("http://localhost:4000").await.expect("preflight");
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:4000"
    );
    let other = preflight("https://evil.example").await.expect("preflight");
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let jwks = browser()
        .get(format!("{}/{pool_id}/.well-known/jwks.json", server.url))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("jwks");
    assert!(jwks.headers().get("access-control-allow-origin").is_none());
    let (_, refused) = token_request(
        &server,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &client_id),
            ("code", "x"),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(refused["error"], "invalid_grant");
}

#[tokio::test]
async fn a_stored_redirect_uri_no_header_can_carry_gets_the_error_page_not_a_500() {
    let server = TestServer::start().await;
    let (_, client_id, _) = oauth_setup(&server, false).await;
    // As a client registered before such URLs were refused would be.
    let bad = "http://localhost:4000/a\nb";
    let mut client = server
        .state
        .store
        .get_client(&client_id)
        .await
        .expect("read")
        .expect("client");
    client.settings.callback_urls = vec![bad.to_owned()];
    server.state.store.update_client(&client).await.expect("write");
    let response = browser()
        .get(format!(
            "{}/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}&scope=openid",
            server.url,
            urlencode(bad)
        ))
        .send()
        .await
        .expect("authorize");
    assert_eq!(response.status(), 400, "the error page, not an internal error");
    assert!(response.headers().get("location").is_none());
}
