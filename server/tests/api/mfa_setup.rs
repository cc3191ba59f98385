//! MFA challenges that end or begin a factor: too many wrong codes end a challenge, and a
//! required MFA without a factor sets up an authenticator app during sign-in (MFA_SETUP with
//! AssociateSoftwareToken and VerifySoftwareToken by session).

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{ChallengeNameType, UserPoolMfaType, VerifySoftwareTokenResponseType};

use super::mfa::{challenged, enrol_totp, mfa_pool, parameter, respond, totp, Now};
use super::support::*;

#[tokio::test]
async fn too_many_wrong_codes_end_the_challenge() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (_, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["totp"]).await;
    server.confirmed_user(&client_id, "bob").await;
    let tokens = server.sign_in(&client_id, "bob", PASSWORD).await;
    let secret = enrol_totp(&server, tokens.access_token().expect("access")).await;
    let (session, _) = challenged(&server, &client_id, "bob", ChallengeNameType::SoftwareTokenMfa).await;
    let right = totp(&secret, server.clock_now());
    let wrong = format!("{:06}", (right.parse::<u32>().expect("n") + 500_000) % 1_000_000);
    for _ in 0..3 {
        let refused = respond(
            &server,
            &client_id,
            ChallengeNameType::SoftwareTokenMfa,
            &session,
            "bob",
            &[("SOFTWARE_TOKEN_MFA_CODE", &wrong)],
        )
        .await;
        assert_eq!(refused.err().as_deref(), Some("CodeMismatchException"));
    }
    let dead = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &session,
        "bob",
        &[("SOFTWARE_TOKEN_MFA_CODE", &right)],
    )
    .await;
    assert_eq!(dead.err().as_deref(), Some("NotAuthorizedException"));
    // A missing code does not use up an attempt or the session.
    let (fresh, _) = challenged(&server, &client_id, "bob", ChallengeNameType::SoftwareTokenMfa).await;
    let missing = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &fresh,
        "bob",
        &[],
    )
    .await;
    assert_eq!(missing.err().as_deref(), Some("InvalidParameterException"));
    let answered = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &fresh,
        "bob",
        &[("SOFTWARE_TOKEN_MFA_CODE", &right)],
    )
    .await
    .expect("right code");
    assert!(answered.authentication_result().is_some());
}

#[tokio::test]
async fn required_mfa_without_a_factor_sets_up_an_authenticator_during_sign_in() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (_, client_id) = mfa_pool(&server, UserPoolMfaType::On, &["totp"]).await;
    server.confirmed_user(&client_id, "cy").await;
    let (session, parameters) = challenged(&server, &client_id, "cy", ChallengeNameType::MfaSetup).await;
    assert_eq!(
        parameter(parameters.as_ref(), "MFAS_CAN_SETUP"),
        r#"["SOFTWARE_TOKEN_MFA"]"#
    );
    let premature = respond(&server, &client_id, ChallengeNameType::MfaSetup, &session, "cy", &[]).await;
    assert_eq!(premature.err().as_deref(), Some("InvalidParameterException"));

    let associated = server
        .public
        .associate_software_token()
        .session(&session)
        .send()
        .await
        .expect("associate by session");
    let secret = associated.secret_code().expect("secret").to_owned();
    let session2 = associated.session().expect("new session").to_owned();
    assert_ne!(session2, session);
    let old = server
        .public
        .associate_software_token()
        .session(&session)
        .send()
        .await
        .expect_err("the old session is used up");
    assert_eq!(code(&old), "NotAuthorizedException");
    let right = totp(&secret, server.clock_now());
    let wrong = format!("{:06}", (right.parse::<u32>().expect("n") + 1) % 1_000_000);
    let mismatch = server
        .public
        .verify_software_token()
        .session(&session2)
        .user_code(wrong)
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(code(&mismatch), "EnableSoftwareTokenMFAException");
    let verified = server
        .public
        .verify_software_token()
        .session(&session2)
        .user_code(totp(&secret, server.clock_now()))
        .friendly_device_name("phone")
        .send()
        .await
        .expect("verify by session");
    assert_eq!(verified.status(), Some(&VerifySoftwareTokenResponseType::Success));
    let session3 = verified.session().expect("session for MFA_SETUP").to_owned();
    let answer = respond(&server, &client_id, ChallengeNameType::MfaSetup, &session3, "cy", &[])
        .await
        .expect("MFA_SETUP answered");
    let access = answer
        .authentication_result()
        .and_then(|r| r.access_token())
        .expect("tokens")
        .to_owned();
    let user = server
        .public
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("get user");
    assert_eq!(user.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);

    // From now on the app is asked for.
    server.clock.advance(30);
    let (next, _) = challenged(&server, &client_id, "cy", ChallengeNameType::SoftwareTokenMfa).await;
    let answer = respond(
        &server,
        &client_id,
        ChallengeNameType::SoftwareTokenMfa,
        &next,
        "cy",
        &[("SOFTWARE_TOKEN_MFA_CODE", &totp(&secret, server.clock_now()))],
    )
    .await
    .expect("totp");
    assert!(answer.authentication_result().is_some());
}
