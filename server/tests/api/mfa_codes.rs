//! MFA codes by email (dev mailbox) and SMS (the webhook sender), choosing between factors,
//! and MFA after USER_SRP_AUTH and NEW_PASSWORD_REQUIRED.

use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{
    AuthFlowType, ChallengeNameType, EmailMfaSettingsType, MessageActionType, SmsMfaSettingsType, UserPoolMfaType,
};

use super::mfa::{challenged, enrol_totp, mfa_pool, parameter, respond, totp, Now};
use super::srp::{srp_answer, srp_pool};
use super::support::*;

async fn enable_email_mfa(server: &TestServer, pool_id: &str, username: &str) {
    server
        .admin
        .admin_set_user_mfa_preference()
        .user_pool_id(pool_id)
        .username(username)
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .expect("email mfa on");
}

#[tokio::test]
async fn email_codes_belong_to_their_session_and_expire() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["email"]).await;
    let email = server.confirmed_user(&client_id, "eve").await;
    enable_email_mfa(&server, &pool_id, "eve").await;

    let (first, parameters) = challenged(&server, &client_id, "eve", ChallengeNameType::EmailOtp).await;
    assert_eq!(parameter(parameters.as_ref(), "CODE_DELIVERY_DELIVERY_MEDIUM"), "EMAIL");
    assert_eq!(parameter(parameters.as_ref(), "CODE_DELIVERY_DESTINATION"), "e***@e***");
    let first_code = server.code_for(&email).await;
    let (second, _) = challenged(&server, &client_id, "eve", ChallengeNameType::EmailOtp).await;
    let second_code = server.code_for(&email).await;
    if first_code != second_code {
        let crossed = respond(
            &server,
            &client_id,
            ChallengeNameType::EmailOtp,
            &second,
            "eve",
            &[("EMAIL_OTP_CODE", &first_code)],
        )
        .await;
        assert_eq!(crossed.err().as_deref(), Some("CodeMismatchException"));
    }
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::EmailOtp,
        &second,
        "eve",
        &[("EMAIL_OTP_CODE", &second_code)],
    )
    .await
    .expect("own code");
    assert!(answer.authentication_result().is_some());
    // Used once: the session is gone.
    let again = respond(
        &server,
        &client_id,
        ChallengeNameType::EmailOtp,
        &second,
        "eve",
        &[("EMAIL_OTP_CODE", &second_code)],
    )
    .await;
    assert_eq!(again.err().as_deref(), Some("NotAuthorizedException"));

    // Three minutes later the first code has expired.
    server.clock.advance(181);
    let expired = respond(
        &server,
        &client_id,
        ChallengeNameType::EmailOtp,
        &first,
        "eve",
        &[("EMAIL_OTP_CODE", &first_code)],
    )
    .await;
    assert_eq!(expired.err().as_deref(), Some("ExpiredCodeException"));

    let user = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("eve")
        .send()
        .await
        .expect("admin get user");
    assert_eq!(user.user_mfa_setting_list(), ["EMAIL_OTP"]);
}

#[tokio::test]
async fn two_factors_and_no_preference_let_the_user_choose() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["totp", "email"]).await;
    let email = server.confirmed_user(&client_id, "fay").await;
    let tokens = server.sign_in(&client_id, "fay", PASSWORD).await;
    let secret = enrol_totp(&server, tokens.access_token().expect("access")).await;
    enable_email_mfa(&server, &pool_id, "fay").await;
    // No preference any more: the user chooses.
    server
        .admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("fay")
        .software_token_mfa_settings(
            cip::types::SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(false)
                .build(),
        )
        .send()
        .await
        .expect("no preference");

    let (session, parameters) = challenged(&server, &client_id, "fay", ChallengeNameType::SelectMfaType).await;
    assert_eq!(
        parameter(parameters.as_ref(), "MFAS_CAN_CHOOSE"),
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );
    let not_offered = respond(
        &server,
        &client_id,
        ChallengeNameType::SelectMfaType,
        &session,
        "fay",
        &[("ANSWER", "SMS_MFA")],
    )
    .await;
    assert_eq!(not_offered.err().as_deref(), Some("InvalidParameterException"));
    let chosen = respond(
        &server,
        &client_id,
        ChallengeNameType::SelectMfaType,
        &session,
        "fay",
        &[("ANSWER", "EMAIL_OTP")],
    )
    .await
    .expect("choose email");
    assert_eq!(chosen.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    let code = server.code_for(&email).await;
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::EmailOtp,
        chosen.session().expect("session"),
        "fay",
        &[("EMAIL_OTP_CODE", &code)],
    )
    .await
    .expect("email code");
    assert!(answer.authentication_result().is_some());

    let (session, _) = challenged(&server, &client_id, "fay", ChallengeNameType::SelectMfaType).await;
    let chosen = respond(
        &server,
        &client_id,
        ChallengeNameType::SelectMfaType,
        &session,
        "fay",
        &[("ANSWER", "SOFTWARE_TOKEN_MFA")],
    )
    .await
    .expect("choose app");
    assert_eq!(chosen.challenge_name(), Some(&ChallengeNameType::SoftwareTokenMfa));
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        chosen.session().expect("session"),
        "fay",
        &[("SOFTWARE_TOKEN_MFA_CODE", &totp(&secret, server.clock_now()))],
    )
    .await
    .expect("app code");
    assert!(answer.authentication_result().is_some());
}

/// A webhook that keeps what it receives.
async fn sms_webhook() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let kept = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let kept = kept.clone();
            async move {
                kept.lock().expect("lock").push(body);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, received)
}

#[tokio::test]
async fn sms_codes_go_through_the_webhook() {
    let (url, received) = sms_webhook().await;
    let server = TestServer::start_with(|config| config.sms_webhook_url = Some(url)).await;
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["sms"]).await;
    server.confirmed_user(&client_id, "gus").await;
    let no_phone = server
        .admin
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool_id)
        .username("gus")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .expect_err("no phone number");
    assert_eq!(code(&no_phone), "InvalidParameterException");
    server
        .admin
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("gus")
        .user_attributes(attr("phone_number", "+15555550123"))
        .send()
        .await
        .expect("phone");
    let tokens = server.sign_in(&client_id, "gus", PASSWORD).await;
    server
        .public
        .set_user_mfa_preference()
        .access_token(tokens.access_token().expect("access"))
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).preferred_mfa(true).build())
        .send()
        .await
        .expect("sms on");
    let user = server
        .public
        .get_user()
        .access_token(tokens.access_token().expect("access"))
        .send()
        .await
        .expect("get user");
    assert_eq!(user.user_mfa_setting_list(), ["SMS_MFA"]);
    assert_eq!(user.preferred_mfa_setting(), Some("SMS_MFA"));
    let option = user.mfa_options().first().expect("MFAOptions");
    assert_eq!(option.attribute_name(), Some("phone_number"));

    let (session, parameters) = challenged(&server, &client_id, "gus", ChallengeNameType::SmsMfa).await;
    assert_eq!(parameter(parameters.as_ref(), "CODE_DELIVERY_DELIVERY_MEDIUM"), "SMS");
    assert_eq!(
        parameter(parameters.as_ref(), "CODE_DELIVERY_DESTINATION"),
        "+*******0123"
    );
    let sent = received.lock().expect("lock").last().cloned().expect("an SMS");
    assert_eq!(sent["to"], "+15555550123");
    let text = sent["message"].as_str().expect("message");
    let sms_code = text.strip_prefix("Code ").expect("template used").to_owned();
    assert_eq!(server.mail_count("+15555550123").await, 0, "not in the dev mailbox");
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::SmsMfa,
        &session,
        "gus",
        &[("SMS_MFA_CODE", &sms_code)],
    )
    .await
    .expect("sms code");
    assert!(answer.authentication_result().is_some());
}

#[tokio::test]
async fn a_failing_sms_webhook_is_a_delivery_failure() {
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(|| async { axum::http::StatusCode::BAD_GATEWAY }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let server = TestServer::start_with(|config| config.sms_webhook_url = Some(url)).await;
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::On, &["sms"]).await;
    server.confirmed_user(&client_id, "jo").await;
    server
        .admin
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("jo")
        .user_attributes(attr("phone_number", "+15555550199"))
        .user_attributes(attr("phone_number_verified", "true"))
        .send()
        .await
        .expect("phone");
    let failed = server.try_sign_in(&client_id, "jo", PASSWORD).await;
    assert_eq!(failed.err().as_deref(), Some("CodeDeliveryFailureException"));
}

#[tokio::test]
async fn srp_sign_in_goes_on_to_mfa() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, true).await;
    server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::On)
        .email_mfa_configuration(cip::types::EmailMfaConfigType::builder().build())
        .send()
        .await
        .expect("mfa on");
    let email = server.confirmed_user(&client_id, "hal").await;
    // Required, and a verified email: the email code is asked for.
    let answer = srp_answer(&server, &pool_id, &client_id, None, "hal", PASSWORD)
        .await
        .expect("password verifier");
    assert_eq!(answer.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    let code = server.code_for(&email).await;
    let done = respond(
        &server,
        &client_id,
        ChallengeNameType::EmailOtp,
        answer.session().expect("session"),
        "hal",
        &[("EMAIL_OTP_CODE", &code)],
    )
    .await
    .expect("email code");
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn a_new_password_is_followed_by_mfa() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::On, &["email"]).await;
    server
        .admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("ivy")
        .temporary_password("Temp0rary!")
        .message_action(MessageActionType::Suppress)
        .user_attributes(attr("email", "ivy@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .expect("create user");
    let start = server
        .admin
        .admin_initiate_auth()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "ivy")
        .auth_parameters("PASSWORD", "Temp0rary!")
        .send()
        .await
        .expect("admin initiate");
    assert_eq!(start.challenge_name(), Some(&ChallengeNameType::NewPasswordRequired));
    let next = respond(
        &server,
        &client_id,
        ChallengeNameType::NewPasswordRequired,
        start.session().expect("session"),
        "ivy",
        &[("NEW_PASSWORD", PASSWORD)],
    )
    .await
    .expect("new password");
    assert_eq!(next.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    let code = server.code_for("ivy@example.com").await;
    let done = server
        .admin
        .admin_respond_to_auth_challenge()
        .user_pool_id(&pool_id)
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::EmailOtp)
        .session(next.session().expect("session"))
        .challenge_responses("USERNAME", "ivy")
        .challenge_responses("EMAIL_OTP_CODE", code)
        .send()
        .await
        .expect("admin respond");
    assert!(done.authentication_result().is_some());
}

#[tokio::test]
async fn imported_users_with_mfa_enabled_have_sms_mfa() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let csv = "cognito:username,email,email_verified,phone_number,phone_number_verified,cognito:mfa_enabled\n\
               kim,kim@example.com,true,+15555550142,true,true\n\
               lou,lou@example.com,true,,false,true\n\
               max,max@example.com,true,+15555550143,true,false\n";
    let job = super::import::import(&server, &pool_id, csv.as_bytes()).await;
    assert_eq!((job.imported_users(), job.failed_users()), (2, 1));
    let entries = super::import::log(&server, job.job_id().expect("id")).await;
    assert_eq!(entries[0]["username"], "lou");
    assert!(entries[0]["reason"].as_str().expect("reason").contains("phone_number"));
    let get = |username: &'static str| {
        server
            .admin
            .admin_get_user()
            .user_pool_id(&pool_id)
            .username(username)
            .send()
    };
    let kim = get("kim").await.expect("kim");
    assert_eq!(kim.user_mfa_setting_list(), ["SMS_MFA"]);
    assert_eq!(
        kim.mfa_options()
            .first()
            .and_then(|o| o.delivery_medium())
            .map(|m| m.as_str()),
        Some("SMS")
    );
    let max = get("max").await.expect("max");
    assert!(max.user_mfa_setting_list().is_empty());
}
