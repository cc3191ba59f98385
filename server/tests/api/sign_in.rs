//! Sign-in, tokens, refresh, revocation, lockout and the signed-in user's own operations.

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, FeatureType, RefreshTokenRotationType};

use super::support::*;

#[tokio::test]
async fn wrong_passwords_and_unknown_users() {
    let server = TestServer::start().await;
    let (pool_id, legacy) = server.pool_and_client(true).await;
    let (hiding, _) = server.client(&pool_id, false, false).await;
    server.confirmed_user(&legacy, "hal").await;
    assert_eq!(
        server.try_sign_in(&legacy, "hal", "Wr0ng-pass").await.err().as_deref(),
        Some("NotAuthorizedException")
    );
    assert_eq!(
        server.try_sign_in(&legacy, "nobody", PASSWORD).await.err().as_deref(),
        Some("UserNotFoundException")
    );
    assert_eq!(
        server.try_sign_in(&hiding, "nobody", PASSWORD).await.err().as_deref(),
        Some("NotAuthorizedException")
    );
    let missing = server
        .public
        .initiate_auth()
        .client_id(&legacy)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "hal")
        .send()
        .await;
    assert_eq!(code(&missing.expect_err("no password")), "InvalidParameterException");
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (_, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "ivy").await;
    for _ in 0..5 {
        let err = server
            .try_sign_in(&client_id, "ivy", "Wr0ng-pass")
            .await
            .expect_err("wrong");
        assert_eq!(err, "NotAuthorizedException");
    }
    let locked = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ivy")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("locked even with the right password");
    assert_eq!(code(&locked), "NotAuthorizedException");
    assert_eq!(message(&locked), "Password attempts exceeded");
    server.clock.advance(2);
    server.sign_in(&client_id, "ivy", PASSWORD).await;
}

#[tokio::test]
async fn refresh_tokens_issue_new_tokens_and_revocation_ends_the_session() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "jon").await;
    let tokens = server.sign_in(&client_id, "jon", PASSWORD).await;
    let refresh = tokens.refresh_token().expect("refresh token").to_owned();

    server.clock.advance(10);
    let refreshed = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .expect("refresh");
    let result = refreshed.authentication_result().expect("tokens");
    assert!(result.refresh_token().is_none(), "no rotation by default");
    let new_access = result.access_token().expect("at").to_owned();
    assert_ne!(new_access, tokens.access_token().expect("at"));
    assert_eq!(
        claims(&new_access)["origin_jti"],
        claims(tokens.access_token().expect("at"))["origin_jti"]
    );

    let via_new_api = server
        .public
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&refresh)
        .send()
        .await;
    assert!(via_new_api
        .expect("GetTokensFromRefreshToken")
        .authentication_result()
        .is_some());

    server
        .public
        .revoke_token()
        .client_id(&client_id)
        .token(&refresh)
        .send()
        .await
        .expect("revoke");
    let after = server.public.get_user().access_token(&new_access).send().await;
    assert_eq!(
        code(&after.expect_err("access token revoked with its refresh token")),
        "NotAuthorizedException"
    );
    let again = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await;
    assert_eq!(code(&again.expect_err("revoked")), "NotAuthorizedException");
}

#[tokio::test]
async fn rotation_replaces_the_refresh_token_once() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("rotating")
        .explicit_auth_flows(aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .build()
                .expect("rotation"),
        )
        .send()
        .await
        .expect("client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    server.confirmed_user(&client_id, "kim").await;
    let first = server
        .sign_in(&client_id, "kim", PASSWORD)
        .await
        .refresh_token()
        .expect("rt")
        .to_owned();
    let out = server
        .public
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&first)
        .send()
        .await;
    let second = out
        .expect("rotated")
        .authentication_result()
        .and_then(|r| r.refresh_token())
        .expect("new rt")
        .to_owned();
    assert_ne!(first, second);
    let replay = server
        .public
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&first)
        .send()
        .await;
    assert_eq!(
        code(&replay.expect_err("old refresh token is spent")),
        "NotAuthorizedException"
    );
    let family = server
        .public
        .get_tokens_from_refresh_token()
        .client_id(&client_id)
        .refresh_token(&second)
        .send()
        .await;
    assert_eq!(
        code(&family.expect_err("reusing a rotated token revokes its whole family")),
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn global_sign_out_and_expiry_end_access_tokens() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "lea").await;
    let a = server.sign_in(&client_id, "lea", PASSWORD).await;
    let b = server.sign_in(&client_id, "lea", PASSWORD).await;
    server
        .public
        .get_user()
        .access_token(a.access_token().expect("at"))
        .send()
        .await
        .expect("valid");
    server
        .public
        .global_sign_out()
        .access_token(a.access_token().expect("at"))
        .send()
        .await
        .expect("sign out");
    for tokens in [&a, &b] {
        let err = server
            .public
            .get_user()
            .access_token(tokens.access_token().expect("at"))
            .send()
            .await;
        assert_eq!(code(&err.expect_err("signed out everywhere")), "NotAuthorizedException");
    }
    let c = server.sign_in(&client_id, "lea", PASSWORD).await;
    server.clock.advance(3601);
    let expired = server
        .public
        .get_user()
        .access_token(c.access_token().expect("at"))
        .send()
        .await;
    let err = expired.expect_err("expired");
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Access Token has expired");
    let forged = server
        .public
        .get_user()
        .access_token("eyJhbGciOiJub25lIn0.e30.")
        .send()
        .await;
    assert_eq!(code(&forged.expect_err("garbage")), "NotAuthorizedException");
}

#[tokio::test]
async fn a_user_manages_their_own_profile_and_password() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "max").await;
    let at = server
        .sign_in(&client_id, "max", PASSWORD)
        .await
        .access_token()
        .expect("at")
        .to_owned();

    let out = server
        .public
        .update_user_attributes()
        .access_token(&at)
        .user_attributes(attr("email", "max@new.example"))
        .user_attributes(attr("given_name", "Max"))
        .send()
        .await
        .expect("update");
    assert_eq!(out.code_delivery_details_list().len(), 1, "the new email gets a code");
    let user = server.public.get_user().access_token(&at).send().await.expect("get");
    let value = |name: &str| {
        user.user_attributes()
            .iter()
            .find(|a| a.name() == name)
            .and_then(|a| a.value())
            .map(str::to_owned)
    };
    assert_eq!(value("email").as_deref(), Some("max@new.example"));
    assert_eq!(value("email_verified").as_deref(), Some("false"));
    // An unverified email is no alias yet (a LEGACY client says so).
    assert_eq!(
        server
            .try_sign_in(&client_id, "max@new.example", PASSWORD)
            .await
            .err()
            .as_deref(),
        Some("UserNotFoundException")
    );

    let code_sent = server.code_for("max@new.example").await;
    server
        .public
        .verify_user_attribute()
        .access_token(&at)
        .attribute_name("email")
        .code(&code_sent)
        .send()
        .await
        .expect("verify");
    server.sign_in(&client_id, "max@new.example", PASSWORD).await;

    let self_verify = server
        .public
        .update_user_attributes()
        .access_token(&at)
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await;
    assert_eq!(
        code(&self_verify.expect_err("users cannot verify themselves")),
        "InvalidParameterException"
    );

    server
        .public
        .delete_user_attributes()
        .access_token(&at)
        .user_attribute_names("given_name")
        .send()
        .await
        .expect("delete attr");

    let wrong = server
        .public
        .change_password()
        .access_token(&at)
        .previous_password("nope")
        .proposed_password("An0ther-pass")
        .send()
        .await;
    assert_eq!(code(&wrong.expect_err("wrong previous")), "NotAuthorizedException");
    server
        .public
        .change_password()
        .access_token(&at)
        .previous_password(PASSWORD)
        .proposed_password("An0ther-pass")
        .send()
        .await
        .expect("change");
    server.sign_in(&client_id, "max", "An0ther-pass").await;

    server
        .public
        .delete_user()
        .access_token(&at)
        .send()
        .await
        .expect("delete self");
    assert_eq!(
        server
            .try_sign_in(&client_id, "max", "An0ther-pass")
            .await
            .err()
            .as_deref(),
        Some("UserNotFoundException")
    );
}

#[tokio::test]
async fn flows_the_client_does_not_allow_are_refused() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("srp-only")
        .send()
        .await
        .expect("client");
    let client_id = client.user_pool_client().and_then(|c| c.client_id()).expect("id");
    let err = server
        .try_sign_in(client_id, "x", PASSWORD)
        .await
        .expect_err("not allowed");
    assert_eq!(err, "InvalidParameterException");
}

#[tokio::test]
async fn attribute_verification_codes_can_be_requested_again() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    let email = server.confirmed_user(&client_id, "ned").await;
    let at = server
        .sign_in(&client_id, "ned", PASSWORD)
        .await
        .access_token()
        .expect("at")
        .to_owned();
    let before = server.mail_count(&email).await;
    let out = server
        .public
        .get_user_attribute_verification_code()
        .access_token(&at)
        .attribute_name("email")
        .send()
        .await
        .expect("code sent");
    assert_eq!(
        out.code_delivery_details()
            .and_then(|d| d.delivery_medium())
            .map(|m| m.as_str()),
        Some("EMAIL")
    );
    assert_eq!(server.mail_count(&email).await, before + 1);
    let code_sent = server.code_for(&email).await;
    let wrong = server
        .public
        .verify_user_attribute()
        .access_token(&at)
        .attribute_name("email")
        .code("000000x")
        .send()
        .await;
    assert_eq!(code(&wrong.expect_err("wrong code")), "CodeMismatchException");
    server
        .public
        .verify_user_attribute()
        .access_token(&at)
        .attribute_name("email")
        .code(&code_sent)
        .send()
        .await
        .expect("verified");
    let phone = server
        .public
        .get_user_attribute_verification_code()
        .access_token(&at)
        .attribute_name("phone_number")
        .send()
        .await;
    assert_eq!(code(&phone.expect_err("no phone number")), "InvalidParameterException");
}

#[tokio::test]
async fn each_api_refuses_the_password_flow_of_the_other() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(false).await;
    server.confirmed_user(&client_id, "alice").await;
    let public = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("the admin flow through the public API");
    assert_eq!(code(&public), "InvalidParameterException");
    assert!(message(&public).contains("AdminInitiateAuth"), "{}", message(&public));
    let admin = server
        .admin
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("the public flow through the admin API");
    assert_eq!(code(&admin), "InvalidParameterException");
    assert!(
        message(&admin).contains("ADMIN_USER_PASSWORD_AUTH"),
        "{}",
        message(&admin)
    );
}
