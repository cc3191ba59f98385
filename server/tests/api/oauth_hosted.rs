//! The hosted page's sign-in through the API: with the ticket the server gave the client's
//! hosted page, an OAuth code client signs users in with USER_SRP_AUTH (what the hosted widget
//! uses, so the password never leaves the browser) or USER_PASSWORD_AUTH even when its
//! ExplicitAuthFlows leave them out; without it — whatever the request's `Origin` says — or
//! with another client's ticket, the client's flows apply.

use aws_sdk_cognitoidentityprovider as cip;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cip::types::{ChallengeNameType, ExplicitAuthFlowsType, OAuthFlowType};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::oauth_support::*;
use super::srp_client::{timestamp, Client};
use super::support::*;

/// An OAuth code client whose ExplicitAuthFlows allow only refresh.
async fn refresh_only_code_client(server: &TestServer, pool_id: &str) -> String {
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(pool_id)
        .client_name("hosted")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(CALLBACK)
        .send()
        .await
        .expect("oauth client");
    client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned()
}

/// The ticket cookie of `client_id`'s hosted page.
async fn hosted_ticket(server: &TestServer, client_id: &str) -> String {
    let url = authorize_url(
        server,
        client_id,
        &format!("&code_challenge={CHALLENGE}&code_challenge_method=S256"),
    );
    open_hosted_page(server, &url).await.ticket
}

/// InitiateAuth as a browser on the server's own origin sends it, with `ticket` when given.
async fn initiate(server: &TestServer, ticket: Option<&str>, body: serde_json::Value) -> (u16, serde_json::Value) {
    let mut request = browser()
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
        .header("origin", &server.url);
    if let Some(ticket) = ticket {
        request = request.header("cookie", format!("cognate-hosted={ticket}"));
    }
    let response = request.body(body.to_string()).send().await.expect("initiate auth");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn the_hosted_page_signs_in_with_srp_whatever_the_explicit_flows() {
    let server = TestServer::start().await;
    let (pool_id, _, _) = oauth_setup(&server, false).await;
    let client_id = refresh_only_code_client(&server, &pool_id).await;
    let client = Client::new();
    let srp = serde_json::json!({
        "AuthFlow": "USER_SRP_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "SRP_A": client.srp_a()},
    });

    // Without a ticket, with a forged one, or with another client's, the client's flows apply
    // (the request's Origin naming the server itself changes nothing).
    let other_client = refresh_only_code_client(&server, &pool_id).await;
    let others = hosted_ticket(&server, &other_client).await;
    for ticket in [None, Some("cgv1:AAAA"), Some("9999999999:x"), Some(others.as_str())] {
        let (status, refused) = initiate(&server, ticket, srp.clone()).await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(refused["__type"], "InvalidParameterException", "{refused}");
    }

    // With this client's hosted page's ticket: PASSWORD_VERIFIER, and tokens for the right proof.
    let ticket = hosted_ticket(&server, &client_id).await;
    let (status, challenge) = initiate(&server, Some(&ticket), srp).await;
    assert_eq!(status, 200, "{challenge}");
    assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
    let parameters = &challenge["ChallengeParameters"];
    let text = |name: &str| parameters[name].as_str().expect(name).to_owned();
    let user_id = text("USER_ID_FOR_SRP");
    let block = text("SECRET_BLOCK");
    let pool_name = pool_id.split('_').nth(1).expect("pool name");
    let key = client.key_for(pool_name, &user_id, PASSWORD, &text("SALT"), &text("SRP_B"));
    let now = timestamp();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(&STANDARD.decode(&block).expect("base64 block"));
    mac.update(now.as_bytes());
    let answer = server
        .public
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(challenge["Session"].as_str().expect("session"))
        .challenge_responses("USERNAME", &user_id)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", STANDARD.encode(mac.finalize().into_bytes()))
        .challenge_responses("TIMESTAMP", now)
        .send()
        .await
        .expect("password verifier");
    let tokens = answer.authentication_result().expect("tokens");
    assert_eq!(
        claims(tokens.id_token().expect("id token"))["cognito:username"],
        "alice"
    );

    // USER_PASSWORD_AUTH likewise: only from the server's own origin.
    let password = serde_json::json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
    });
    let (status, refused) = initiate(&server, None, password.clone()).await;
    assert_eq!(
        (status, refused["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let (status, signed_in) = initiate(&server, Some(&ticket), password).await;
    assert_eq!(status, 200, "{signed_in}");
    assert!(signed_in["AuthenticationResult"]["AccessToken"].is_string());
}

#[tokio::test]
async fn a_client_without_an_oauth_code_flow_gets_no_hosted_exception() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("api-only")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("client");
    let client_id = client.user_pool_client().and_then(|c| c.client_id()).expect("id");
    let srp = serde_json::json!({
        "AuthFlow": "USER_SRP_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "SRP_A": Client::new().srp_a()},
    });
    let (status, refused) = initiate(&server, Some("cgv1:AAAA"), srp).await;
    assert_eq!(
        (status, refused["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
}
