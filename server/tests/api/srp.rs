//! USER_SRP_AUTH through the official SDK, with the client side of SRP-6a computed here, apart
//! from the server's code, the way amazon-cognito-identity-js computes it.

use aws_sdk_cognitoidentityprovider as cip;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cip::types::{AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes};
use hmac::{Hmac, Mac};
use num_bigint_dig::BigUint;
use sha2::Sha256;

use super::srp_client::{n, timestamp, Client, N_HEX};
use super::support::{claims, code, message, TestServer, PASSWORD};

/// A pool with an email alias and a client allowing SRP (hiding user existence unless `legacy`).
pub(super) async fn srp_pool(server: &TestServer, legacy: bool) -> (String, String) {
    let pool = server
        .admin
        .create_user_pool()
        .pool_name("srp-pool")
        .auto_verified_attributes(cip::types::VerifiedAttributeType::Email)
        .alias_attributes(cip::types::AliasAttributeType::Email)
        .send()
        .await
        .expect("create pool");
    let pool_id = pool.user_pool().and_then(|p| p.id()).expect("pool id").to_owned();
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("srp")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .prevent_user_existence_errors(if legacy {
            PreventUserExistenceErrorTypes::Legacy
        } else {
            PreventUserExistenceErrorTypes::Enabled
        })
        .send()
        .await
        .expect("create client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    (pool_id, client_id)
}

type Initiated = cip::operation::initiate_auth::InitiateAuthOutput;

async fn initiate(server: &TestServer, client_id: &str, username: &str, srp_a: &str) -> Result<Initiated, String> {
    initiate_with(server, client_id, None, username, srp_a).await
}

/// SECRET_HASH: base64(HMAC-SHA256(secret, username + client id)).
fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

async fn initiate_with(
    server: &TestServer,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    srp_a: &str,
) -> Result<Initiated, String> {
    let mut request = server
        .public
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", srp_a);
    if let Some(secret) = secret {
        request = request.auth_parameters("SECRET_HASH", secret_hash(secret, username, client_id));
    }
    request
        .send()
        .await
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))
}

fn parameter<'a>(output: &'a Initiated, name: &str) -> &'a str {
    output
        .challenge_parameters()
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A whole SRP sign-in; the tokens' ID token, or the error as `Code: message`.
async fn srp_sign_in(
    server: &TestServer,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
) -> Result<String, String> {
    srp_sign_in_with(server, pool_id, client_id, None, username, password).await
}

async fn srp_sign_in_with(
    server: &TestServer,
    pool_id: &str,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
) -> Result<String, String> {
    let answer = srp_answer(server, pool_id, client_id, secret, username, password).await?;
    let tokens = answer.authentication_result().expect("tokens");
    Ok(tokens.id_token().expect("id token").to_owned())
}

/// An SRP sign-in up to the answer of PASSWORD_VERIFIER (tokens, or the next challenge).
pub(super) async fn srp_answer(
    server: &TestServer,
    pool_id: &str,
    client_id: &str,
    secret: Option<&str>,
    username: &str,
    password: &str,
) -> Result<cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput, String> {
    let client = Client::new();
    let challenge = initiate_with(server, client_id, secret, username, &client.srp_a()).await?;
    assert_eq!(challenge.challenge_name(), Some(&ChallengeNameType::PasswordVerifier));
    let user_id = parameter(&challenge, "USER_ID_FOR_SRP");
    let block = parameter(&challenge, "SECRET_BLOCK");
    let key = client.key(
        pool_id,
        user_id,
        password,
        parameter(&challenge, "SALT"),
        parameter(&challenge, "SRP_B"),
    );
    let now = timestamp();
    let pool_name = pool_id.split('_').nth(1).expect("pool name");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(&STANDARD.decode(block).expect("base64 block"));
    mac.update(now.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    let mut request = server
        .public
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(challenge.session().expect("session"))
        .challenge_responses("USERNAME", user_id)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", signature)
        .challenge_responses("TIMESTAMP", now);
    if let Some(secret) = secret {
        request = request.challenge_responses("SECRET_HASH", secret_hash(secret, user_id, client_id));
    }
    request
        .send()
        .await
        .map_err(|e| format!("{}: {}", code(&e), message(&e)))
}

const WRONG: &str = "NotAuthorizedException: Incorrect username or password.";

#[tokio::test]
async fn srp_sign_in_returns_tokens_and_a_wrong_password_fails() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    let email = server.confirmed_user(&client_id, "jane").await;
    let id_token = srp_sign_in(&server, &pool_id, &client_id, "jane", PASSWORD)
        .await
        .expect("sign in");
    assert_eq!(claims(&id_token)["cognito:username"], "jane");
    // By the email alias: USER_ID_FOR_SRP is the username.
    let id_token = srp_sign_in(&server, &pool_id, &client_id, &email, PASSWORD)
        .await
        .expect("alias");
    assert_eq!(claims(&id_token)["email"], email.as_str());
    let wrong = srp_sign_in(&server, &pool_id, &client_id, "jane", "Passw0rd?").await;
    assert_eq!(wrong.unwrap_err(), WRONG);
    let user = server
        .state
        .store
        .get_user_by_key(&pool_id, "jane")
        .await
        .expect("read")
        .expect("user");
    assert_eq!(user.failed_attempts, 1, "a wrong SRP proof counts towards the lockout");
    srp_sign_in(&server, &pool_id, &client_id, "jane", PASSWORD)
        .await
        .expect("again");
}

#[tokio::test]
async fn unknown_users_get_a_stable_stand_in_or_user_not_found() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    server.confirmed_user(&client_id, "jane").await;
    let a = Client::new().srp_a();
    let first = initiate(&server, &client_id, "ghost", &a)
        .await
        .expect("stand-in challenge");
    let second = initiate(&server, &client_id, "ghost", &a)
        .await
        .expect("stand-in challenge");
    assert_eq!(parameter(&first, "SALT"), parameter(&second, "SALT"));
    assert_ne!(parameter(&first, "SRP_B"), parameter(&second, "SRP_B"));
    let other = initiate(&server, &client_id, "phantom", &a)
        .await
        .expect("stand-in challenge");
    assert_ne!(parameter(&first, "SALT"), parameter(&other, "SALT"));
    let unknown = srp_sign_in(&server, &pool_id, &client_id, "ghost", PASSWORD).await;
    assert_eq!(unknown.unwrap_err(), WRONG);

    let (_, legacy) = srp_pool(&server, true).await;
    let err = initiate(&server, &legacy, "ghost", &a).await.unwrap_err();
    assert!(err.starts_with("UserNotFoundException"), "{err}");
}

#[tokio::test]
async fn the_verifier_follows_password_changes() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    server.confirmed_user(&client_id, "jane").await;
    let tokens = server.sign_in(&client_id, "jane", PASSWORD).await;
    server
        .public
        .change_password()
        .access_token(tokens.access_token().expect("access token"))
        .previous_password(PASSWORD)
        .proposed_password("Changed1!")
        .send()
        .await
        .expect("change password");
    let old = srp_sign_in(&server, &pool_id, &client_id, "jane", PASSWORD).await;
    assert_eq!(old.unwrap_err(), WRONG);
    srp_sign_in(&server, &pool_id, &client_id, "jane", "Changed1!")
        .await
        .expect("new password");

    server
        .admin
        .admin_set_user_password()
        .user_pool_id(&pool_id)
        .username("jane")
        .password("AdminSet1!")
        .permanent(true)
        .send()
        .await
        .expect("admin set password");
    let old = srp_sign_in(&server, &pool_id, &client_id, "jane", "Changed1!").await;
    assert_eq!(old.unwrap_err(), WRONG);
    srp_sign_in(&server, &pool_id, &client_id, "jane", "AdminSet1!")
        .await
        .expect("admin-set password");
}

#[tokio::test]
async fn bad_a_and_clients_without_srp_are_refused() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    server.confirmed_user(&client_id, "jane").await;
    for a in [
        "0".to_owned(),
        N_HEX.to_owned(),
        (n() * BigUint::from(3u32)).to_str_radix(16),
    ] {
        let err = initiate(&server, &client_id, "jane", &a).await.unwrap_err();
        assert!(err.starts_with("InvalidParameterException"), "{err}");
    }
    let (password_only, _) = server.client(&pool_id, false, false).await;
    let err = initiate(&server, &password_only, "jane", &Client::new().srp_a())
        .await
        .unwrap_err();
    assert!(err.starts_with("InvalidParameterException"), "{err}");
}

#[tokio::test]
async fn a_temporary_password_leads_to_new_password_required() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    server
        .admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("temp")
        .temporary_password("Temporary1!")
        .message_action(cip::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("admin create user");
    let client = Client::new();
    let challenge = initiate(&server, &client_id, "temp", &client.srp_a())
        .await
        .expect("challenge");
    let key = client.key(
        &pool_id,
        "temp",
        "Temporary1!",
        parameter(&challenge, "SALT"),
        parameter(&challenge, "SRP_B"),
    );
    let now = timestamp();
    let block = parameter(&challenge, "SECRET_BLOCK");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(pool_id.split('_').nth(1).expect("name").as_bytes());
    mac.update(b"temp");
    mac.update(&STANDARD.decode(block).expect("base64"));
    mac.update(now.as_bytes());
    let answer = server
        .public
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(challenge.session().expect("session"))
        .challenge_responses("USERNAME", "temp")
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", STANDARD.encode(mac.finalize().into_bytes()))
        .challenge_responses("TIMESTAMP", now)
        .send()
        .await
        .expect("answer");
    assert_eq!(answer.challenge_name(), Some(&ChallengeNameType::NewPasswordRequired));
}

#[tokio::test]
async fn clients_with_a_secret_need_the_secret_hash() {
    let server = TestServer::start().await;
    let (pool_id, public_client) = srp_pool(&server, false).await;
    server.confirmed_user(&public_client, "jane").await;
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("confidential")
        .generate_secret(true)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .expect("create client");
    let client = client.user_pool_client().expect("client");
    let (client_id, secret) = (client.client_id().expect("id"), client.client_secret().expect("secret"));
    let err = initiate(&server, client_id, "jane", &Client::new().srp_a())
        .await
        .unwrap_err();
    assert!(err.starts_with("NotAuthorizedException"), "{err}");
    let id_token = srp_sign_in_with(&server, &pool_id, client_id, Some(secret), "jane", PASSWORD)
        .await
        .expect("sign in with SECRET_HASH");
    assert_eq!(claims(&id_token)["cognito:username"], "jane");
}

#[tokio::test]
async fn generated_usernames_get_a_generated_stand_in_id() {
    let server = TestServer::start().await;
    let pool = server
        .admin
        .create_user_pool()
        .pool_name("email-as-username")
        .username_attributes(cip::types::UsernameAttributeType::Email)
        .auto_verified_attributes(cip::types::VerifiedAttributeType::Email)
        .send()
        .await
        .expect("create pool");
    let pool_id = pool.user_pool().and_then(|p| p.id()).expect("pool id").to_owned();
    let client = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("srp")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .send()
        .await
        .expect("create client");
    let client_id = client
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    let a = Client::new().srp_a();
    let first = initiate(&server, &client_id, "ghost@example.com", &a)
        .await
        .expect("stand-in");
    let second = initiate(&server, &client_id, "ghost@example.com", &a)
        .await
        .expect("stand-in");
    let id = parameter(&first, "USER_ID_FOR_SRP");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    assert_eq!(id, parameter(&second, "USER_ID_FOR_SRP"));
    let unknown = srp_sign_in(&server, &pool_id, &client_id, "ghost@example.com", PASSWORD).await;
    assert_eq!(unknown.unwrap_err(), WRONG);
}

#[tokio::test]
async fn users_without_a_verifier_get_one_at_password_sign_in_or_must_reset() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, false).await;
    server.confirmed_user(&client_id, "jane").await;
    let store = &server.state.store;
    let mut user = store
        .get_user_by_key(&pool_id, "jane")
        .await
        .expect("read")
        .expect("user");
    assert!(user.srp.is_some(), "sign-up keeps a verifier");
    user.srp = None;
    store.update_user(&user).await.expect("write");
    let before = srp_sign_in(&server, &pool_id, &client_id, "jane", PASSWORD).await;
    assert_eq!(before.unwrap_err(), WRONG);
    server.sign_in(&client_id, "jane", PASSWORD).await;
    srp_sign_in(&server, &pool_id, &client_id, "jane", PASSWORD)
        .await
        .expect("verifier kept at password sign-in");

    // An imported user (no password yet) must reset it first.
    let mut user = store
        .get_user_by_key(&pool_id, "jane")
        .await
        .expect("read")
        .expect("user");
    user.status = cognate_protocol::user::UserStatus::ResetRequired;
    user.password_hash = None;
    user.srp = None;
    store.update_user(&user).await.expect("write");
    let err = initiate(&server, &client_id, "jane", &Client::new().srp_a())
        .await
        .unwrap_err();
    assert!(err.starts_with("PasswordResetRequiredException"), "{err}");
}
