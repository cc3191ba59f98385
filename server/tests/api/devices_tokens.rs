//! What a remembered device changes about a sign-in: with ChallengeRequiredOnNewDevice off it
//! does not replace the MFA challenge (it is still recorded), and the access tokens of a sign-in
//! through a device carry its key (`device_key`), kept by refresh.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::ChallengeNameType;

use super::devices::{answer_email, confirm, device_pool_with, enable_email_mfa, sign_in_on};
use super::support::*;

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
