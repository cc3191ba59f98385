//! REFRESH_TOKEN_AUTH through InitiateAuth checks what every other flow checks: the client's
//! `SECRET_HASH` (over the token's user) and that the client allows the flow.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AuthFlowType, ExplicitAuthFlowsType};
use cognate_server::user_pool::secret_hash;

use super::support::{code, message, TestServer, PASSWORD};

/// Refreshes with `parameters` beside the token; returns the error name or `ok`.
async fn refresh(server: &TestServer, client_id: &str, token: &str, parameters: &[(&str, &str)]) -> String {
    let mut request = server
        .public
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", token);
    for (name, value) in parameters {
        request = request.auth_parameters(*name, *value);
    }
    match request.send().await {
        Ok(out) => {
            assert!(out.authentication_result().and_then(|r| r.access_token()).is_some());
            "ok".into()
        }
        Err(err) => code(&err),
    }
}

#[tokio::test]
async fn a_client_with_a_secret_needs_the_secret_hash_to_refresh() {
    let server = TestServer::start().await;
    let (pool_id, public_client) = server.pool_and_client(true).await;
    server.confirmed_user(&public_client, "eve").await;
    let (client_id, secret) = server.client(&pool_id, true, true).await;
    let secret = secret.expect("a secret");
    let own_hash = secret_hash(&secret, "eve", &client_id);
    let tokens = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "eve")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("SECRET_HASH", &own_hash)
        .send()
        .await
        .expect("sign in");
    let token = tokens
        .authentication_result()
        .and_then(|r| r.refresh_token())
        .expect("refresh token")
        .to_owned();
    let sub = server
        .state
        .store
        .get_user_by_key(&pool_id, "eve")
        .await
        .expect("store")
        .expect("user")
        .sub;

    assert_eq!(
        refresh(&server, &client_id, &token, &[]).await,
        "NotAuthorizedException"
    );
    let wrong = secret_hash(&secret, "mallory", &client_id);
    assert_eq!(
        refresh(&server, &client_id, &token, &[("SECRET_HASH", &wrong)]).await,
        "NotAuthorizedException"
    );
    assert_eq!(
        refresh(
            &server,
            &client_id,
            &token,
            &[("SECRET_HASH", &wrong), ("USERNAME", "mallory")]
        )
        .await,
        "NotAuthorizedException",
        "a USERNAME naming nobody does not stand in for the token's user"
    );
    assert_eq!(
        refresh(&server, &client_id, &token, &[("SECRET_HASH", &own_hash)]).await,
        "ok"
    );
    let by_sub = secret_hash(&secret, &sub, &client_id);
    assert_eq!(
        refresh(&server, &client_id, &token, &[("SECRET_HASH", &by_sub)]).await,
        "ok"
    );
    let by_email = secret_hash(&secret, "eve@example.com", &client_id);
    assert_eq!(
        refresh(
            &server,
            &client_id,
            &token,
            &[("SECRET_HASH", &by_email), ("USERNAME", "eve@example.com")]
        )
        .await,
        "ok",
        "the alias the user signed in with names the same user"
    );
}

#[tokio::test]
async fn a_client_without_allow_refresh_token_auth_cannot_refresh_through_initiate_auth() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "fay").await;
    let token = server
        .sign_in(&client_id, "fay", PASSWORD)
        .await
        .refresh_token()
        .expect("refresh token")
        .to_owned();
    server
        .admin
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .expect("update client");
    let refused = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &token)
        .send()
        .await
        .expect_err("the flow is not allowed");
    assert_eq!(code(&refused), "InvalidParameterException");
    assert!(
        message(&refused).contains("REFRESH_TOKEN_AUTH"),
        "{}",
        message(&refused)
    );

    // A client listing only legacy flow names refreshes, as on Cognito.
    server
        .admin
        .update_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::UserPasswordAuth)
        .send()
        .await
        .expect("update client");
    assert_eq!(refresh(&server, &client_id, &token, &[]).await, "ok");
    let described = server
        .admin
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        described.user_pool_client().and_then(|c| c.client_name()),
        Some("web"),
        "an update without ClientName (optional, as on Cognito) keeps the name"
    );
}

/// A client rotating its refresh tokens with `grace` seconds for retries, refresh tokens valid
/// for an hour; and a confirmed user `kai` signed in through it: (client id, refresh, access).
async fn rotating_sign_in(server: &TestServer, grace: i32) -> (String, String, String) {
    let (pool_id, public_client) = server.pool_and_client(true).await;
    server.confirmed_user(&public_client, "kai").await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("rotating")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .refresh_token_validity(60)
        .token_validity_units(
            cip::types::TokenValidityUnitsType::builder()
                .refresh_token(cip::types::TimeUnitsType::Minutes)
                .build(),
        )
        .refresh_token_rotation(
            cip::types::RefreshTokenRotationType::builder()
                .feature(cip::types::FeatureType::Enabled)
                .retry_grace_period_seconds(grace)
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
    let tokens = server.sign_in(&client_id, "kai", PASSWORD).await;
    (
        client_id,
        tokens.refresh_token().expect("refresh").to_owned(),
        tokens.access_token().expect("access").to_owned(),
    )
}

/// GetTokensFromRefreshToken: the new refresh token, or the error name and message.
async fn rotate(server: &TestServer, client_id: &str, token: &str) -> Result<String, (String, String)> {
    let out = server
        .public
        .get_tokens_from_refresh_token()
        .client_id(client_id)
        .refresh_token(token)
        .send()
        .await
        .map_err(|e| (code(&e), message(&e)))?;
    Ok(out
        .authentication_result()
        .and_then(|r| r.refresh_token())
        .expect("a rotated refresh token")
        .to_owned())
}

#[tokio::test]
async fn a_rotated_refresh_token_is_a_retry_within_the_grace_period_and_theft_after_it() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (client_id, first, access) = rotating_sign_in(&server, 10).await;
    let second = rotate(&server, &client_id, &first).await.expect("rotates");
    let third = rotate(&server, &client_id, &first)
        .await
        .expect("a retry within the grace period rotates again");
    assert_ne!(second, third);
    server.clock.advance(11);
    let stolen = rotate(&server, &client_id, &second)
        .await
        .expect_err("past the grace period");
    assert_eq!(stolen.0, "NotAuthorizedException");
    assert_eq!(stolen.1, "Refresh Token has been revoked");
    let current = rotate(&server, &client_id, &third)
        .await
        .expect_err("the whole family is revoked");
    assert_eq!(current.0, "NotAuthorizedException");
    let user = server.public.get_user().access_token(&access).send().await;
    assert_eq!(
        code(&user.expect_err("the session's access tokens end")),
        "NotAuthorizedException"
    );
}

#[tokio::test]
async fn rotation_does_not_extend_the_refresh_token_lifetime() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (client_id, first, _) = rotating_sign_in(&server, 0).await;
    server.clock.advance(50 * 60);
    let second = rotate(&server, &client_id, &first).await.expect("rotates");
    server.clock.advance(11 * 60);
    let late = rotate(&server, &client_id, &second)
        .await
        .expect_err("the sign-in's hour is over");
    assert_eq!(
        late,
        ("NotAuthorizedException".into(), "Refresh Token has expired".into())
    );
    let replay = rotate(&server, &client_id, &first).await.expect_err("spent");
    assert_eq!(replay.0, "NotAuthorizedException");
}
