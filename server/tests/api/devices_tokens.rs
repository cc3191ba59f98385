//! What a remembered device changes about a sign-in: with ChallengeRequiredOnNewDevice off it
//! does not replace the MFA challenge (it is still recorded), and the access tokens of a sign-in
//! through a device carry its key (`device_key`), kept by refresh.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthFlowType, ChallengeNameType};

use super::devices::{
    answer_email, confirm, device_pool, device_pool_with, device_proof, enable_email_mfa, sign_in_on,
};
use super::oauth_support::*;
use super::support::*;

/// The `device_key` claim of an access token.
fn device_key_claim(access_token: &str) -> Option<String> {
    claims(access_token)["device_key"].as_str().map(str::to_owned)
}

/// REFRESH_TOKEN_AUTH; returns the new access token.
async fn refresh_through_api(server: &TestServer, client_id: &str, refresh_token: &str) -> String {
    let refreshed = server
        .public
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh_token)
        .send()
        .await
        .expect("refresh");
    let tokens = refreshed.authentication_result().expect("tokens");
    tokens.access_token().expect("access token").to_owned()
}

/// The refresh-token grant of `/oauth2/token`; returns the new access token.
async fn refresh_through_oauth(server: &TestServer, client_id: &str, refresh_token: &str) -> String {
    let response = server
        .http
        .post(format!("{}/oauth2/token", server.url))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", client_id),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), 200);
    let json: serde_json::Value = response.json().await.expect("json");
    json["access_token"].as_str().expect("access token").to_owned()
}

/// When the device was last signed in through, in seconds.
async fn last_authenticated(server: &TestServer, access_token: &str, device_key: &str) -> i64 {
    let got = server
        .public
        .get_device()
        .access_token(access_token)
        .device_key(device_key)
        .send()
        .await
        .expect("get device");
    got.device()
        .and_then(|d| d.device_last_authenticated_date())
        .expect("last authenticated")
        .secs()
}

#[tokio::test]
async fn without_challenge_required_on_new_device_a_remembered_device_still_answers_mfa() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = device_pool_with(&server, false, false).await;
    let email = server.confirmed_user(&client_id, "erin").await;
    enable_email_mfa(&server, &pool_id, "erin").await;

    let first = sign_in_on(&server, &client_id, "erin", None).await;
    let answer = answer_email(&server, &client_id, &first, &email, None).await;
    let tokens = answer.authentication_result().expect("tokens");
    let (device, necessary) = confirm(&server, tokens).await;
    assert!(!necessary, "every confirmed device is remembered");
    let access = tokens.access_token().expect("access token");
    let before = last_authenticated(&server, access, &device.key).await;

    server.clock.advance(120);
    let mails = server.mail_count(&email).await;
    let second = sign_in_on(&server, &client_id, "erin", Some(&device.key)).await;
    assert_eq!(second.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    assert_eq!(server.mail_count(&email).await, mails + 1, "an MFA code is sent");
    let answer = answer_email(&server, &client_id, &second, &email, Some(&device.key)).await;
    let tokens = answer.authentication_result().expect("tokens");
    assert!(tokens.new_device_metadata().is_none(), "the known device signed in");
    let after = last_authenticated(&server, access, &device.key).await;
    assert!(after >= before + 120, "last sign-in recorded: {before} then {after}");
}

#[tokio::test]
async fn access_tokens_name_the_device_of_the_sign_in_and_refresh_keeps_it() {
    let server = TestServer::start().await;
    let (_, client_id) = device_pool(&server, false).await;
    server.confirmed_user(&client_id, "finn").await;

    // A new device: the one the sign-in created.
    let first = sign_in_on(&server, &client_id, "finn", None).await;
    let tokens = first.authentication_result().expect("tokens without MFA");
    let created = tokens
        .new_device_metadata()
        .and_then(|m| m.device_key())
        .expect("new device")
        .to_owned();
    let access = tokens.access_token().expect("access token");
    assert_eq!(device_key_claim(access).as_deref(), Some(created.as_str()));
    assert!(claims(tokens.id_token().expect("id token")).get("device_key").is_none());
    let refresh = tokens.refresh_token().expect("refresh token");
    let refreshed = refresh_through_api(&server, &client_id, refresh).await;
    assert_eq!(device_key_claim(&refreshed).as_deref(), Some(created.as_str()));
    let refreshed = refresh_through_oauth(&server, &client_id, refresh).await;
    assert_eq!(device_key_claim(&refreshed).as_deref(), Some(created.as_str()));

    // A remembered device named by the client (proved by DEVICE_SRP_AUTH).
    let (device, _) = confirm(&server, tokens).await;
    let second = sign_in_on(&server, &client_id, "finn", Some(&device.key)).await;
    assert_eq!(second.challenge_name(), Some(&ChallengeNameType::DeviceSrpAuth));
    let signed_in = device_proof(
        &server,
        &client_id,
        "finn",
        second.session().expect("session"),
        &device,
        &device.password,
    )
    .await
    .expect("device proof");
    let tokens = signed_in.authentication_result().expect("tokens");
    let access = tokens.access_token().expect("access token");
    assert_eq!(device_key_claim(access).as_deref(), Some(device.key.as_str()));
    let refresh = tokens.refresh_token().expect("refresh token");
    let refreshed = refresh_through_api(&server, &client_id, refresh).await;
    assert_eq!(device_key_claim(&refreshed).as_deref(), Some(device.key.as_str()));
    let refreshed = refresh_through_oauth(&server, &client_id, refresh).await;
    assert_eq!(device_key_claim(&refreshed).as_deref(), Some(device.key.as_str()));

    // A pool that does not track devices names none.
    let (_, plain_client) = server.pool_and_client(false).await;
    server.confirmed_user(&plain_client, "gail").await;
    let tokens = server.sign_in(&plain_client, "gail", PASSWORD).await;
    let access = tokens.access_token().expect("access token");
    assert_eq!(device_key_claim(access), None);
    let refreshed = refresh_through_api(&server, &plain_client, tokens.refresh_token().expect("refresh")).await;
    assert_eq!(device_key_claim(&refreshed), None);
}

#[tokio::test]
async fn a_hosted_sign_in_hands_its_device_on_to_the_code_grant() {
    use openidconnect::{AuthorizationCode, OAuth2TokenResponse};

    let server = TestServer::start().await;
    let (pool_id, signup_client) = device_pool(&server, false).await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("spa")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(cip::types::OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .allowed_o_auth_scopes("profile")
        .callback_urls(CALLBACK)
        .send()
        .await
        .expect("oauth client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    server.confirmed_user(&signup_client, "alice").await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let attempt = attempt(&rp);

    let form = open_hosted_page(&server, &attempt.url).await;
    let page_access = hosted_api_sign_in(&server, &form, &client_id, "alice").await;
    let device = device_key_claim(&page_access).expect("the hosted sign-in created a device");
    let response = hand_over(&server, &form, &form.csrf.clone(), &page_access).await;
    assert_eq!(response.status(), 303);
    let code = param(&location(response.headers()), "code").expect("code");
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(attempt.verifier)
        .request_async(&browser())
        .await
        .expect("code exchange");
    assert_eq!(
        device_key_claim(tokens.access_token().secret()).as_deref(),
        Some(device.as_str())
    );
    let refresh = tokens.refresh_token().expect("refresh token");
    let refreshed = refresh_through_oauth(&server, &client_id, refresh.secret()).await;
    assert_eq!(device_key_claim(&refreshed).as_deref(), Some(device.as_str()));
}
