//! MFA through the official SDK: the pool's MFA configuration, authenticator apps (TOTP codes
//! computed here from the secret and the test clock), email codes from the dev mailbox, SMS
//! through the webhook sender, choosing a factor, setting one up during sign-in, and MFA after
//! USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH and NEW_PASSWORD_REQUIRED.

use aws_sdk_cognitoidentityprovider as cip;
use cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use cip::types::{
    AuthFlowType, ChallengeNameType, EmailMfaConfigType, SmsMfaConfigType, SoftwareTokenMfaConfigType,
    SoftwareTokenMfaSettingsType, UserPoolMfaType, VerifySoftwareTokenResponseType,
};
use hmac::{Hmac, Mac};

use super::support::*;

/// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret at a Unix time.
pub(super) fn totp(secret: &str, time: i64) -> String {
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut key, mut buffer, mut bits) = (Vec::new(), 0u64, 0u32);
    for c in secret.trim_end_matches('=').chars() {
        buffer = (buffer << 5) | ALPHABET.find(c).expect("base32") as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((buffer >> bits) as u8);
        }
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).expect("key");
    mac.update(&(time / 30).to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0xf) as usize;
    let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().expect("4 bytes")) & 0x7fff_ffff;
    format!("{:06}", value % 1_000_000)
}

#[test]
fn the_test_side_totp_matches_rfc6238() {
    // RFC 6238's SHA-1 key "12345678901234567890" in base32; T = 59 gives 94287082.
    assert_eq!(totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59), "287082");
}

/// A pool (email alias, auto-verified) with the given MFA mode and factors, and its client.
pub(super) async fn mfa_pool(server: &TestServer, mode: UserPoolMfaType, factors: &[&str]) -> (String, String) {
    let (pool_id, client_id) = server.pool_and_client(true).await;
    let mut request = server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(mode);
    if factors.contains(&"totp") {
        request = request.software_token_mfa_configuration(SoftwareTokenMfaConfigType::builder().enabled(true).build());
    }
    if factors.contains(&"email") {
        request = request.email_mfa_configuration(
            EmailMfaConfigType::builder()
                .subject("Sign-in code")
                .message("Your sign-in code is {####}.")
                .build(),
        );
    }
    if factors.contains(&"sms") {
        request = request.sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("Code {####}")
                .build(),
        );
    }
    request.send().await.expect("set mfa config");
    (pool_id, client_id)
}

/// Associates and verifies an authenticator app by access token and makes it the preferred
/// factor; returns its secret. The clock then moves on a step, so the verifying code is spent.
pub(super) async fn enrol_totp(server: &TestServer, access_token: &str) -> String {
    let associated = server
        .public
        .associate_software_token()
        .access_token(access_token)
        .send()
        .await
        .expect("associate");
    let secret = associated.secret_code().expect("secret").to_owned();
    let verified = server
        .public
        .verify_software_token()
        .access_token(access_token)
        .user_code(totp(&secret, server.clock_now()))
        .friendly_device_name("phone")
        .send()
        .await
        .expect("verify");
    assert_eq!(verified.status(), Some(&VerifySoftwareTokenResponseType::Success));
    server
        .public
        .set_user_mfa_preference()
        .access_token(access_token)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .expect("set preference");
    server.clock.advance(30);
    secret
}

pub(super) trait Now {
    fn clock_now(&self) -> i64;
}

impl Now for TestServer {
    fn clock_now(&self) -> i64 {
        cognate_server::clock::Clock::now(&self.clock)
    }
}

pub(super) fn parameter(parameters: Option<&std::collections::HashMap<String, String>>, name: &str) -> String {
    parameters
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("no {name} in {parameters:?}"))
        .clone()
}

pub(super) async fn respond(
    server: &TestServer,
    client_id: &str,
    name: ChallengeNameType,
    session: &str,
    username: &str,
    answers: &[(&str, &str)],
) -> Result<RespondToAuthChallengeOutput, String> {
    let mut request = server
        .public
        .respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(name)
        .session(session)
        .challenge_responses("USERNAME", username);
    for (key, value) in answers {
        request = request.challenge_responses(*key, *value);
    }
    request.send().await.map_err(|e| code(&e))
}

/// A password sign-in that must stop at `expected`; returns the session and parameters.
pub(super) async fn challenged(
    server: &TestServer,
    client_id: &str,
    username: &str,
    expected: ChallengeNameType,
) -> (String, Option<std::collections::HashMap<String, String>>) {
    let output = server
        .try_sign_in(client_id, username, PASSWORD)
        .await
        .expect("sign in");
    assert_eq!(output.challenge_name(), Some(&expected));
    assert!(output.authentication_result().is_none());
    (
        output.session().expect("session").to_owned(),
        output.challenge_parameters().cloned(),
    )
}

#[tokio::test]
async fn pool_mfa_configuration_is_set_read_and_validated() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let fresh = server
        .admin
        .get_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("get");
    assert_eq!(fresh.mfa_configuration(), Some(&UserPoolMfaType::Off));
    let no_factor = server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .expect_err("no factor");
    assert_eq!(code(&no_factor), "InvalidParameterException");
    let no_placeholder = server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .email_mfa_configuration(EmailMfaConfigType::builder().message("no code here").build())
        .send()
        .await
        .expect_err("no placeholder");
    assert_eq!(code(&no_placeholder), "InvalidParameterException");
    let (status, unsigned) = server
        .raw("GetUserPoolMfaConfig", &format!(r#"{{"UserPoolId":"{pool_id}"}}"#))
        .await;
    assert_eq!(status, 400);
    assert_eq!(unsigned["__type"], "MissingAuthenticationTokenException");
    let (status, bad_mode) = server
        .raw("AssociateSoftwareToken", r#"{"Session":"not-a-session"}"#)
        .await;
    assert_eq!(status, 400);
    assert_eq!(bad_mode["__type"], "NotAuthorizedException");
    let (_, neither) = server.raw("AssociateSoftwareToken", "{}").await;
    assert_eq!(neither["__type"], "InvalidParameterException");

    mfa_pool_config(&server, &pool_id).await;
    let read = server
        .admin
        .get_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("get");
    assert_eq!(read.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    assert_eq!(read.software_token_mfa_configuration().map(|c| c.enabled()), Some(true));
    assert_eq!(
        read.email_mfa_configuration().and_then(|c| c.subject()),
        Some("Sign-in code")
    );
    assert_eq!(
        read.sms_mfa_configuration()
            .and_then(|c| c.sms_authentication_message()),
        Some("Code {####}")
    );
    let described = server
        .admin
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe");
    assert_eq!(
        described.user_pool().and_then(|p| p.mfa_configuration()),
        Some(&UserPoolMfaType::Optional)
    );
}

async fn mfa_pool_config(server: &TestServer, pool_id: &str) {
    let set = server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .software_token_mfa_configuration(SoftwareTokenMfaConfigType::builder().enabled(true).build())
        .email_mfa_configuration(
            EmailMfaConfigType::builder()
                .subject("Sign-in code")
                .message("Your sign-in code is {####}.")
                .build(),
        )
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("Code {####}")
                .build(),
        )
        .send()
        .await
        .expect("set");
    assert_eq!(set.mfa_configuration(), Some(&UserPoolMfaType::Optional));
}

#[tokio::test]
async fn an_authenticator_app_is_enrolled_and_asked_for_once_per_code() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["totp"]).await;
    server.confirmed_user(&client_id, "ada").await;
    // OPTIONAL and no factor yet: tokens straight away.
    let tokens = server.sign_in(&client_id, "ada", PASSWORD).await;
    let access = tokens.access_token().expect("access").to_owned();

    let not_associated = server
        .public
        .verify_software_token()
        .access_token(&access)
        .user_code("123456")
        .send()
        .await
        .expect_err("nothing associated");
    assert_eq!(code(&not_associated), "SoftwareTokenMFANotFoundException");
    let too_early = server
        .public
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(SoftwareTokenMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .expect_err("not verified");
    assert_eq!(code(&too_early), "InvalidParameterException");

    let associated = server
        .public
        .associate_software_token()
        .access_token(&access)
        .send()
        .await
        .expect("associate");
    let secret = associated.secret_code().expect("secret").to_owned();
    assert_eq!(secret.len(), 32, "160 bits in base32");
    assert!(secret
        .chars()
        .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
    let wrong = format!(
        "{:06}",
        (totp(&secret, server.clock_now()).parse::<u32>().expect("n") + 1) % 1_000_000
    );
    let mismatch = server
        .public
        .verify_software_token()
        .access_token(&access)
        .user_code(wrong)
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(code(&mismatch), "EnableSoftwareTokenMFAException");
    server
        .public
        .verify_software_token()
        .access_token(&access)
        .user_code(totp(&secret, server.clock_now()))
        .send()
        .await
        .expect("verify");
    let user = server
        .public
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("get user");
    assert!(user.user_mfa_setting_list().is_empty(), "verified, not yet enabled");
    server
        .public
        .set_user_mfa_preference()
        .access_token(&access)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .expect("prefer");
    let user = server
        .public
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("get user");
    assert_eq!(user.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(user.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));
    let admin_view = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("ada")
        .send()
        .await
        .expect("admin get user");
    assert_eq!(admin_view.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(admin_view.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));

    // The verifying code's time step is spent: the same code does not sign in.
    let (session, parameters) = challenged(&server, &client_id, "ada", ChallengeNameType::SoftwareTokenMfa).await;
    assert_eq!(parameter(parameters.as_ref(), "USER_ID_FOR_SRP"), "ada");
    let spent = totp(&secret, server.clock_now());
    let refused = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &session,
        "ada",
        &[("SOFTWARE_TOKEN_MFA_CODE", &spent)],
    )
    .await;
    assert_eq!(refused.err().as_deref(), Some("CodeMismatchException"));
    server.clock.advance(30);
    let fresh = totp(&secret, server.clock_now());
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &session,
        "ada",
        &[("SOFTWARE_TOKEN_MFA_CODE", &fresh)],
    )
    .await
    .expect("right code, same session after a wrong one");
    let id_token = answer
        .authentication_result()
        .and_then(|r| r.id_token())
        .expect("tokens");
    assert_eq!(claims(id_token)["cognito:username"], "ada");

    // The used code is refused in the next sign-in, even within its window.
    let (again, _) = challenged(&server, &client_id, "ada", ChallengeNameType::SoftwareTokenMfa).await;
    let reused = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &again,
        "ada",
        &[("SOFTWARE_TOKEN_MFA_CODE", &fresh)],
    )
    .await;
    assert_eq!(reused.err().as_deref(), Some("CodeMismatchException"));
    // A session answered with tokens is gone.
    let used_session = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &session,
        "ada",
        &[("SOFTWARE_TOKEN_MFA_CODE", &totp(&secret, server.clock_now() + 30))],
    )
    .await;
    assert_eq!(used_session.err().as_deref(), Some("NotAuthorizedException"));

    // The admin flow asks the same; AdminSetUserMFAPreference turns the factor off.
    server.clock.advance(30);
    let admin_start = server
        .admin
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ada")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("admin initiate");
    assert_eq!(admin_start.challenge_name(), Some(&ChallengeNameType::SoftwareTokenMfa));
    let admin_answer = server
        .admin
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(admin_start.session().expect("session"))
        .challenge_responses("USERNAME", "ada")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", totp(&secret, server.clock_now()))
        .send()
        .await
        .expect("admin respond");
    assert!(admin_answer.authentication_result().is_some());
    server
        .admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("ada")
        .software_token_mfa_settings(SoftwareTokenMfaSettingsType::builder().enabled(false).build())
        .send()
        .await
        .expect("admin set preference");
    server.sign_in(&client_id, "ada", PASSWORD).await;
}
