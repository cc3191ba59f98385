//! Remembered devices through the official SDK: NewDeviceMetadata after a sign-in, ConfirmDevice
//! with a device verifier computed here (as amazon-cognito-identity-js computes it), the device
//! list, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER in place of MFA for a remembered device, a
//! not-remembered or forgotten device asked for MFA again. The Admin* versions and
//! AdminInitiateAuth with USER_SRP_AUTH are in `devices_admin`.

use aws_sdk_cognitoidentityprovider as cip;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cip::operation::initiate_auth::InitiateAuthOutput;
use cip::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use cip::types::{
    AuthFlowType, ChallengeNameType, DeviceConfigurationType, DeviceRememberedStatusType,
    DeviceSecretVerifierConfigType, DeviceType, EmailMfaConfigType, EmailMfaSettingsType, UserPoolMfaType,
};
use hmac::{Hmac, Mac};
use num_bigint_dig::BigUint;
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::mfa::{parameter, respond};
use super::srp_client::{hex_hash, int, n, pad_hex, timestamp, Client};
use super::support::*;

/// A pool tracking devices (email alias, auto-verified), remembered devices replacing MFA
/// (ChallengeRequiredOnNewDevice), with email MFA on OPTIONAL, and its client.
pub(super) async fn device_pool(server: &TestServer, on_prompt: bool) -> (String, String) {
    device_pool_with(server, true, on_prompt).await
}

/// [`device_pool`] with ChallengeRequiredOnNewDevice set to `challenge_required`.
pub(super) async fn device_pool_with(
    server: &TestServer,
    challenge_required: bool,
    on_prompt: bool,
) -> (String, String) {
    let pool = server
        .admin
        .create_user_pool()
        .pool_name("device-pool")
        .auto_verified_attributes(cip::types::VerifiedAttributeType::Email)
        .alias_attributes(cip::types::AliasAttributeType::Email)
        .device_configuration(
            DeviceConfigurationType::builder()
                .challenge_required_on_new_device(challenge_required)
                .device_only_remembered_on_user_prompt(on_prompt)
                .build(),
        )
        .send()
        .await
        .expect("create pool");
    let pool_id = pool.user_pool().and_then(|p| p.id()).expect("pool id").to_owned();
    let described = server
        .admin
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("describe");
    let config = described
        .user_pool()
        .and_then(|p| p.device_configuration())
        .expect("device configuration kept");
    assert_eq!(config.device_only_remembered_on_user_prompt(), on_prompt);
    assert_eq!(config.challenge_required_on_new_device(), challenge_required);
    server
        .admin
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .mfa_configuration(UserPoolMfaType::Optional)
        .email_mfa_configuration(
            EmailMfaConfigType::builder()
                .subject("Code")
                .message("Code {####}.")
                .build(),
        )
        .send()
        .await
        .expect("mfa config");
    let client_id = server.client(&pool_id, true, false).await.0;
    (pool_id, client_id)
}

pub(super) async fn enable_email_mfa(server: &TestServer, pool_id: &str, username: &str) {
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

/// A device as the client keeps it: key, group key and the random device password.
pub(super) struct RememberedDevice {
    pub(super) key: String,
    pub(super) group: String,
    pub(super) password: String,
}

impl RememberedDevice {
    /// The salt and verifier ConfirmDevice sends (base64), as generateHashDevice makes them.
    fn verifier_config(&self) -> DeviceSecretVerifierConfigType {
        let mut salt = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        let salt = pad_hex(&BigUint::from_bytes_be(&salt));
        let inner = hex::encode(Sha256::digest(format!("{}{}:{}", self.group, self.key, self.password)));
        let x = int(&hex_hash(&format!("{salt}{inner}")));
        let verifier = pad_hex(&BigUint::from(2u32).modpow(&x, &n()));
        DeviceSecretVerifierConfigType::builder()
            .salt(STANDARD.encode(hex::decode(salt).expect("hex")))
            .password_verifier(STANDARD.encode(hex::decode(verifier).expect("hex")))
            .build()
    }
}

/// USER_PASSWORD_AUTH, naming a device when `device_key` is given.
pub(super) async fn sign_in_on(
    server: &TestServer,
    client_id: &str,
    username: &str,
    device_key: Option<&str>,
) -> InitiateAuthOutput {
    let mut request = server
        .public
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD);
    if let Some(key) = device_key {
        request = request.auth_parameters("DEVICE_KEY", key);
    }
    request.send().await.expect("sign in")
}

/// Answers the EMAIL_OTP challenge of `output` with the newest code.
pub(super) async fn answer_email(
    server: &TestServer,
    client_id: &str,
    output: &InitiateAuthOutput,
    email: &str,
    device_key: Option<&str>,
) -> RespondToAuthChallengeOutput {
    assert_eq!(output.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    let code = server.code_for(email).await;
    let mut answers = vec![("EMAIL_OTP_CODE", code.as_str())];
    if let Some(key) = device_key {
        answers.push(("DEVICE_KEY", key));
    }
    let username = parameter(output.challenge_parameters(), "USER_ID_FOR_SRP");
    respond(
        server,
        client_id,
        ChallengeNameType::EmailOtp,
        output.session().expect("session"),
        &username,
        &answers,
    )
    .await
    .expect("email code accepted")
}

/// Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER with the device password `password`.
pub(super) async fn device_proof(
    server: &TestServer,
    client_id: &str,
    username: &str,
    session: &str,
    device: &RememberedDevice,
    password: &str,
) -> Result<RespondToAuthChallengeOutput, String> {
    let client = Client::new();
    let srp_a = client.srp_a();
    let answers = [("SRP_A", srp_a.as_str()), ("DEVICE_KEY", device.key.as_str())];
    let verifier = respond(
        server,
        client_id,
        ChallengeNameType::DeviceSrpAuth,
        session,
        username,
        &answers,
    )
    .await?;
    assert_eq!(
        verifier.challenge_name(),
        Some(&ChallengeNameType::DevicePasswordVerifier)
    );
    let parameters = verifier.challenge_parameters();
    let block = parameter(parameters, "SECRET_BLOCK");
    let key = client.key_for(
        &device.group,
        &device.key,
        password,
        &parameter(parameters, "SALT"),
        &parameter(parameters, "SRP_B"),
    );
    let now = timestamp();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(device.group.as_bytes());
    mac.update(device.key.as_bytes());
    mac.update(&STANDARD.decode(&block).expect("base64 block"));
    mac.update(now.as_bytes());
    let signature = STANDARD.encode(mac.finalize().into_bytes());
    respond(
        server,
        client_id,
        ChallengeNameType::DevicePasswordVerifier,
        verifier.session().expect("session"),
        username,
        &[
            ("PASSWORD_CLAIM_SECRET_BLOCK", block.as_str()),
            ("PASSWORD_CLAIM_SIGNATURE", signature.as_str()),
            ("TIMESTAMP", now.as_str()),
            ("DEVICE_KEY", device.key.as_str()),
        ],
    )
    .await
}

/// Confirms the device a sign-in returned; returns it and UserConfirmationNecessary.
pub(super) async fn confirm(
    server: &TestServer,
    tokens: &cip::types::AuthenticationResultType,
) -> (RememberedDevice, bool) {
    let metadata = tokens.new_device_metadata().expect("new device metadata");
    let mut password = [0u8; 40];
    rand::rngs::OsRng.fill_bytes(&mut password);
    let device = RememberedDevice {
        key: metadata.device_key().expect("device key").to_owned(),
        group: metadata.device_group_key().expect("group key").to_owned(),
        password: STANDARD.encode(password),
    };
    let confirmed = server
        .public
        .confirm_device()
        .access_token(tokens.access_token().expect("access token"))
        .device_key(&device.key)
        .device_secret_verifier_config(device.verifier_config())
        .device_name("test browser")
        .send()
        .await
        .expect("confirm device");
    (device, confirmed.user_confirmation_necessary())
}

pub(super) fn attribute<'a>(device: &'a DeviceType, name: &str) -> Option<&'a str> {
    device
        .device_attributes()
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| a.value())
}

#[tokio::test]
async fn a_remembered_device_skips_mfa_until_it_is_forgotten() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = device_pool(&server, false).await;
    let email = server.confirmed_user(&client_id, "dana").await;
    enable_email_mfa(&server, &pool_id, "dana").await;

    let first = sign_in_on(&server, &client_id, "dana", None).await;
    let answer = answer_email(&server, &client_id, &first, &email, None).await;
    let tokens = answer.authentication_result().expect("tokens");
    let (device, necessary) = confirm(&server, tokens).await;
    assert!(!necessary);
    assert!(device.key.starts_with("us-east-1_"), "{}", device.key);
    let access = tokens.access_token().expect("access token");

    let listed = server
        .public
        .list_devices()
        .access_token(access)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.devices().len(), 1);
    let shown = &listed.devices()[0];
    assert_eq!(shown.device_key(), Some(device.key.as_str()));
    assert_eq!(attribute(shown, "device_status"), Some("remembered"));
    assert_eq!(attribute(shown, "device_name"), Some("test browser"));
    assert!(shown.device_last_authenticated_date().is_some());
    let got = server
        .public
        .get_device()
        .access_token(access)
        .device_key(&device.key)
        .send()
        .await
        .expect("get device");
    assert_eq!(got.device().and_then(|d| d.device_key()), Some(device.key.as_str()));

    // The remembered device proves itself instead of an email code.
    let mails = server.mail_count(&email).await;
    let second = sign_in_on(&server, &client_id, "dana", Some(&device.key)).await;
    assert_eq!(second.challenge_name(), Some(&ChallengeNameType::DeviceSrpAuth));
    let session = second.session().expect("session");
    let signed_in = device_proof(&server, &client_id, "dana", session, &device, &device.password)
        .await
        .expect("device proof");
    let tokens = signed_in.authentication_result().expect("tokens");
    assert!(tokens.new_device_metadata().is_none());
    assert_eq!(server.mail_count(&email).await, mails, "no MFA code sent");

    // A wrong device password is refused.
    let third = sign_in_on(&server, &client_id, "dana", Some(&device.key)).await;
    let wrong = device_proof(
        &server,
        &client_id,
        "dana",
        third.session().expect("session"),
        &device,
        "not the device password",
    )
    .await;
    assert_eq!(wrong.err().as_deref(), Some("NotAuthorizedException"));

    // Not remembered: MFA again, and no new device for a known one.
    server
        .public
        .update_device_status()
        .access_token(access)
        .device_key(&device.key)
        .device_remembered_status(DeviceRememberedStatusType::NotRemembered)
        .send()
        .await
        .expect("not remembered");
    let fourth = sign_in_on(&server, &client_id, "dana", Some(&device.key)).await;
    let answer = answer_email(&server, &client_id, &fourth, &email, Some(&device.key)).await;
    assert!(answer
        .authentication_result()
        .expect("tokens")
        .new_device_metadata()
        .is_none());

    // Forgotten: gone from the list, MFA again, and a new device.
    server
        .public
        .forget_device()
        .access_token(access)
        .device_key(&device.key)
        .send()
        .await
        .expect("forget");
    let gone = server
        .public
        .get_device()
        .access_token(access)
        .device_key(&device.key)
        .send()
        .await
        .expect_err("forgotten");
    assert_eq!(code(&gone), "ResourceNotFoundException");
    let fifth = sign_in_on(&server, &client_id, "dana", Some(&device.key)).await;
    let answer = answer_email(&server, &client_id, &fifth, &email, Some(&device.key)).await;
    let metadata = answer
        .authentication_result()
        .and_then(|t| t.new_device_metadata())
        .expect("a new device");
    assert_ne!(metadata.device_key(), Some(device.key.as_str()));
}
