//! Remembered devices in a pool that remembers them only on the user's prompt, the Admin*
//! device operations, the address a sign-in came from, and AdminInitiateAuth with USER_SRP_AUTH.

use aws_sdk_cognitoidentityprovider as cip;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cip::types::{AuthFlowType, ChallengeNameType, DeviceRememberedStatusType};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::devices::{attribute, confirm, device_pool, device_proof, sign_in_on};
use super::mfa::parameter;
use super::srp::srp_pool;
use super::srp_client::{timestamp, Client};
use super::support::*;

#[tokio::test]
async fn devices_remembered_on_prompt_and_the_admin_operations() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = device_pool(&server, true).await;
    server.confirmed_user(&client_id, "olly").await;

    let first = sign_in_on(&server, &client_id, "olly", None).await;
    let tokens = first.authentication_result().expect("tokens without MFA");
    let (device, necessary) = confirm(&server, tokens).await;
    assert!(necessary, "remembered only on the user's prompt");

    let listed = server
        .admin
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("olly")
        .send()
        .await
        .expect("admin list");
    assert_eq!(listed.devices().len(), 1);
    assert_eq!(attribute(&listed.devices()[0], "device_status"), Some("not_remembered"));

    // Not remembered yet: the device signs in as any known device, without a device proof;
    // the address it came from is recorded.
    let body = serde_json::json!({
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": "olly", "PASSWORD": PASSWORD, "DEVICE_KEY": device.key},
    });
    let second: serde_json::Value = server
        .http
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
        .header("x-forwarded-for", "203.0.113.7, 10.0.0.1")
        .body(body.to_string())
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("json");
    let result = &second["AuthenticationResult"];
    assert!(result["AccessToken"].is_string(), "{second}");
    assert!(result.get("NewDeviceMetadata").is_none(), "{second}");
    let listed = server
        .admin
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("olly")
        .send()
        .await
        .expect("admin list");
    assert_eq!(attribute(&listed.devices()[0], "last_ip_used"), Some("203.0.113.7"));

    server
        .admin
        .admin_update_device_status()
        .user_pool_id(&pool_id)
        .username("olly")
        .device_key(&device.key)
        .device_remembered_status(DeviceRememberedStatusType::Remembered)
        .send()
        .await
        .expect("remember");
    let got = server
        .admin
        .admin_get_device()
        .user_pool_id(&pool_id)
        .username("olly")
        .device_key(&device.key)
        .send()
        .await
        .expect("admin get");
    assert_eq!(
        attribute(got.device().expect("device"), "device_status"),
        Some("remembered")
    );
    let third = sign_in_on(&server, &client_id, "olly", Some(&device.key)).await;
    assert_eq!(third.challenge_name(), Some(&ChallengeNameType::DeviceSrpAuth));
    let signed_in = device_proof(
        &server,
        &client_id,
        "olly",
        third.session().expect("session"),
        &device,
        &device.password,
    )
    .await
    .expect("device proof");
    assert!(signed_in.authentication_result().is_some());

    // Another user's device is not found; the public operations need the owner's token.
    server.confirmed_user(&client_id, "pat").await;
    let other = server
        .admin
        .admin_get_device()
        .user_pool_id(&pool_id)
        .username("pat")
        .device_key(&device.key)
        .send()
        .await
        .expect_err("not pat's");
    assert_eq!(code(&other), "ResourceNotFoundException");
    let unsigned = server
        .public
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("olly")
        .send()
        .await
        .expect_err("admin operations are signed");
    assert!(!code(&unsigned).is_empty());

    server
        .admin
        .admin_forget_device()
        .user_pool_id(&pool_id)
        .username("olly")
        .device_key(&device.key)
        .send()
        .await
        .expect("admin forget");
    let listed = server
        .admin
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("olly")
        .send()
        .await
        .expect("admin list");
    assert!(listed.devices().is_empty());
    let bad_limit = server
        .admin
        .admin_list_devices()
        .user_pool_id(&pool_id)
        .username("olly")
        .limit(61)
        .send()
        .await
        .expect_err("limit too high");
    assert_eq!(code(&bad_limit), "InvalidParameterException");
}

#[tokio::test]
async fn admin_initiate_auth_runs_user_srp_auth() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, true).await;
    server.confirmed_user(&client_id, "sam").await;
    let client = Client::new();
    let challenge = server
        .admin
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "sam")
        .auth_parameters("SRP_A", client.srp_a())
        .send()
        .await
        .expect("admin initiate");
    assert_eq!(challenge.challenge_name(), Some(&ChallengeNameType::PasswordVerifier));
    let parameters = challenge.challenge_parameters();
    let user_id = parameter(parameters, "USER_ID_FOR_SRP");
    let block = parameter(parameters, "SECRET_BLOCK");
    let pool_name = pool_id.split('_').nth(1).expect("pool name");
    let key = client.key_for(
        pool_name,
        &user_id,
        PASSWORD,
        &parameter(parameters, "SALT"),
        &parameter(parameters, "SRP_B"),
    );
    let now = timestamp();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(&STANDARD.decode(&block).expect("base64"));
    mac.update(now.as_bytes());
    let answer = server
        .admin
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::PasswordVerifier)
        .session(challenge.session().expect("session"))
        .challenge_responses("USERNAME", &user_id)
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &block)
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", STANDARD.encode(mac.finalize().into_bytes()))
        .challenge_responses("TIMESTAMP", now)
        .send()
        .await
        .expect("admin respond");
    let tokens = answer.authentication_result().expect("tokens");
    assert!(
        tokens.new_device_metadata().is_none(),
        "the pool does not track devices"
    );
    assert_eq!(claims(tokens.id_token().expect("id token"))["cognito:username"], "sam");
}
