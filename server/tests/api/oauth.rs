//! The authorization server driven by a real OIDC relying party (`openidconnect`): discovery,
//! code + PKCE through the hosted page, the ID token's nonce and signature, userInfo, refresh,
//! revocation, the hosted session, logout and client credentials.

use openidconnect::core::CoreUserInfoClaims;
use openidconnect::{AccessTokenHash, AuthorizationCode, OAuth2TokenResponse, RefreshToken, TokenResponse};

use super::oauth_support::*;
use super::support::TestServer;

#[tokio::test]
async fn code_with_pkce_through_the_hosted_page_then_userinfo_refresh_and_revoke() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let attempt = attempt(&rp);

    let (back, _) = hosted_sign_in(&server, &client_id, &attempt.url).await;
    assert!(back.starts_with(CALLBACK), "{back}");
    assert_eq!(param(&back, "state").as_deref(), Some(attempt.state.secret().as_str()));
    assert_eq!(
        param(&back, "iss"),
        Some(format!("{}/{pool_id}", server.url)),
        "RFC 9207 iss"
    );
    let code = param(&back, "code").expect("code");

    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(attempt.verifier)
        .request_async(&browser())
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("id token");
    let claims = id_token
        .claims(&rp.id_token_verifier(), &attempt.nonce)
        .expect("ID token verifies: signature, iss, aud, exp, nonce");
    assert_eq!(claims.email().map(|e| e.as_str()), Some("alice@example.com"));
    let verifier = rp.id_token_verifier();
    let key = id_token.signing_key(&verifier).expect("key");
    let at_hash =
        AccessTokenHash::from_token(tokens.access_token(), id_token.signing_alg().expect("alg"), key).expect("hash");
    assert_eq!(claims.access_token_hash(), Some(&at_hash));

    let info: CoreUserInfoClaims = rp
        .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
        .expect("userinfo endpoint")
        .request_async(&browser())
        .await
        .expect("userinfo");
    assert_eq!(info.email().map(|e| e.as_str()), Some("alice@example.com"));
    assert_eq!(info.email_verified(), Some(true));

    let refresh = tokens.refresh_token().expect("refresh token").clone();
    let refreshed = rp
        .exchange_refresh_token(&refresh)
        .expect("token endpoint")
        .request_async(&browser())
        .await
        .expect("refresh");
    assert!(refreshed.id_token().is_some());

    let revoked = browser()
        .post(format!("{}/oauth2/revoke", server.url))
        .form(&[("token", refresh.secret().as_str()), ("client_id", client_id.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 200);
    let again = rp
        .exchange_refresh_token(&RefreshToken::new(refresh.secret().clone()))
        .expect("token endpoint")
        .request_async(&browser())
        .await;
    assert!(again.is_err(), "a revoked refresh token is refused");
    let info = browser()
        .get(format!("{}/oauth2/userInfo", server.url))
        .bearer_auth(refreshed.access_token().secret())
        .send()
        .await
        .expect("userinfo");
    assert_eq!(info.status(), 401, "revocation ends the session's access tokens too");
}

#[tokio::test]
async fn the_hosted_session_skips_the_form_until_logout_and_prompt_login_forces_it() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let (_, session) = hosted_sign_in(&server, &client_id, &attempt(&rp).url).await;
    let cookie = format!("cognate-session={session}");

    let second = attempt(&rp);
    let response = browser()
        .get(&second.url)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("authorize");
    assert_eq!(response.status(), 303);
    let back = location(response.headers());
    assert!(back.starts_with(CALLBACK) && param(&back, "code").is_some(), "{back}");

    let forced = browser()
        .get(format!("{}&prompt=login", attempt(&rp).url))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("authorize");
    assert!(
        location(forced.headers()).starts_with("/login?"),
        "prompt=login shows the form"
    );

    let bad_logout = browser()
        .get(format!(
            "{}/logout?client_id={client_id}&logout_uri=https://evil.example/",
            server.url
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(bad_logout.status(), 400, "no open redirect on /logout");
    let logout = browser()
        .get(format!(
            "{}/logout?client_id={client_id}&logout_uri={LOGOUT}",
            server.url
        ))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), 303);
    assert_eq!(location(logout.headers()), LOGOUT);
    let after = browser()
        .get(&attempt(&rp).url)
        .header("cookie", &cookie)
        .send()
        .await
        .expect("authorize");
    assert!(
        location(after.headers()).starts_with("/login?"),
        "the hosted session ended"
    );
}

#[tokio::test]
async fn client_credentials_with_basic_and_post_authentication() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    server
        .admin
        .create_resource_server()
        .user_pool_id(&pool_id)
        .identifier("https://api.example.com")
        .name("API")
        .scopes(
            aws_sdk_cognitoidentityprovider::types::ResourceServerScopeType::builder()
                .scope_name("read")
                .scope_description("Read things")
                .build()
                .expect("scope"),
        )
        .send()
        .await
        .expect("resource server");
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("backend")
        .generate_secret(true)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(aws_sdk_cognitoidentityprovider::types::OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("https://api.example.com/read")
        .send()
        .await
        .expect("client");
    let client = client.user_pool_client().expect("client");
    let (id, secret) = (client.client_id().expect("id"), client.client_secret().expect("secret"));
    let basic = browser()
        .post(format!("{}/oauth2/token", server.url))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(basic.status(), 200);
    assert_eq!(basic.headers()["cache-control"], "no-store");
    let json: serde_json::Value = basic.json().await.expect("json");
    let token = json["access_token"].as_str().expect("token");
    let claims = cognate_server::token::jwt::unverified_claims(token).expect("claims");
    assert_eq!(claims["scope"], "https://api.example.com/read");
    assert_eq!(claims["sub"], id);
    let post = browser()
        .post(format!("{}/oauth2/token", server.url))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", "https://api.example.com/read"),
        ])
        .send()
        .await
        .expect("token");
    assert_eq!(post.status(), 200);
    let wrong = browser()
        .post(format!("{}/oauth2/token", server.url))
        .basic_auth(id, Some("wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(wrong.status(), 401);
    let json: serde_json::Value = wrong.json().await.expect("json");
    assert_eq!(json["error"], "invalid_client");
    let bad_scope = browser()
        .post(format!("{}/oauth2/token", server.url))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials"), ("scope", "openid")])
        .send()
        .await
        .expect("token");
    let json: serde_json::Value = bad_scope.json().await.expect("json");
    assert_eq!(json["error"], "invalid_scope");
    let listed = server
        .admin
        .list_resource_servers()
        .user_pool_id(&pool_id)
        .max_results(10)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.resource_servers().len(), 1);
}
