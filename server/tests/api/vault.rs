//! Secrets at rest: the store keeps the pool's signing key, a user's authenticator key (pending
//! and verified) and an identity pool's credential key only sealed under the master key, and
//! everything built on them still works: tokens verify, a TOTP sign-in completes, identity-pool
//! credentials are issued and their signatures recognised.

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType, UserPoolMfaType};

use super::identity_support::{describe_signer, Setup};
use super::mfa::{enrol_totp, mfa_pool, totp, Now};
use super::support::*;

#[tokio::test]
async fn signing_and_authenticator_keys_are_stored_sealed() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = mfa_pool(&server, UserPoolMfaType::Optional, &["totp"]).await;
    server.confirmed_user(&client_id, "vera").await;
    let tokens = server.sign_in(&client_id, "vera", PASSWORD).await;
    let access = tokens.access_token().expect("access token");

    let pool = server
        .state
        .store
        .get_pool(&pool_id)
        .await
        .expect("store")
        .expect("pool");
    assert!(pool.signing_key.starts_with(b"cgv1"), "the signing key is sealed");
    server
        .public
        .get_user()
        .access_token(access)
        .send()
        .await
        .expect("tokens verify");

    let sub = claims(access)["sub"].as_str().expect("sub").to_owned();
    let pending = server
        .public
        .associate_software_token()
        .access_token(access)
        .send()
        .await
        .expect("associate");
    let key = pending.secret_code().expect("key").to_owned();
    let stored = server.state.store.get_user_mfa(&pool_id, &sub).await.expect("store");
    let sealed = stored.totp_pending.expect("pending key");
    assert!(
        sealed.starts_with("cgv1:") && !sealed.contains(&key),
        "the pending key is sealed"
    );

    let secret = enrol_totp(&server, access).await;
    let stored = server.state.store.get_user_mfa(&pool_id, &sub).await.expect("store");
    let sealed = stored.totp_secret.expect("verified key");
    assert!(
        sealed.starts_with("cgv1:") && !sealed.contains(&secret),
        "the verified key is sealed"
    );

    let challenge = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "vera")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("sign in");
    assert_eq!(challenge.challenge_name(), Some(&ChallengeNameType::SoftwareTokenMfa));
    let answered = server
        .public
        .respond_to_auth_challenge()
        .client_id(&client_id)
        .challenge_name(ChallengeNameType::SoftwareTokenMfa)
        .session(challenge.session().expect("session"))
        .challenge_responses("USERNAME", "vera")
        .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", totp(&secret, server.clock_now()))
        .send()
        .await
        .expect("the sealed key still checks codes");
    assert!(answered.authentication_result().is_some());
}

#[tokio::test]
async fn identity_pool_credential_keys_are_stored_sealed() {
    let setup = Setup::new().await;
    let identity_pool_id = setup.identity_pool(true).await;
    let record = setup
        .server
        .state
        .store
        .get_identity_pool(&identity_pool_id)
        .await
        .expect("store")
        .expect("identity pool");
    assert!(
        record.credential_key.starts_with(b"cgv1"),
        "the credential key is sealed"
    );

    let identity = setup.get_id(&identity_pool_id, None).await.expect("guest id");
    let credentials = setup
        .public
        .get_credentials_for_identity()
        .identity_id(&identity)
        .send()
        .await
        .expect("credentials")
        .credentials()
        .expect("credentials")
        .clone();
    let signer = describe_signer(&setup.server, &credentials).await;
    assert_eq!(signer["IdentityId"], identity.as_str(), "{signer}");
}
