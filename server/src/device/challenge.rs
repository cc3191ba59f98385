//! DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: a sign-in through a remembered device proves
//! the device's password by SRP instead of answering an MFA challenge.
//!
//! The client answers DEVICE_SRP_AUTH with SRP_A and DEVICE_KEY and gets SALT, SRP_B and a
//! SECRET_BLOCK; it answers DEVICE_PASSWORD_VERIFIER with the HMAC of group key + device key +
//! secret block + timestamp under the SRP key ([`crate::srp`], with the device group key as the
//! "pool name" and the device key as the "username"). A wrong proof is refused and the sign-in
//! must start over.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::auth::{AuthResponse, ChallengeName};
use rand::RngCore;

use crate::api::sign_in::{invalid_session, required_parameter};
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::srp;
use crate::store::{AppClient, ChallengeSession, Device, SrpChallenge, User, UserPool};
use crate::AppState;

/// The length of the opaque SECRET_BLOCK, in bytes.
const SECRET_BLOCK_LEN: usize = 96;

fn wrong_proof() -> ApiError {
    ApiError::not_authorized("Incorrect username or password.")
}

async fn insert(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    name: ChallengeName,
    srp: Option<SrpChallenge>,
    device_key: &str,
) -> ApiResult<String> {
    let session = new_token(96);
    state
        .store
        .insert_challenge(&ChallengeSession {
            id_hash: hash_token(&session),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            challenge: name.as_str().to_owned(),
            expires_at: state.clock.now() + crate::mfa::challenge::session_lifetime(client),
            srp,
            mfa: None,
            device_key: Some(device_key.to_owned()),
        })
        .await?;
    Ok(session)
}

/// Opens DEVICE_SRP_AUTH for a sign-in through a remembered device.
pub async fn open(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    device: &Device,
) -> ApiResult<AuthResponse> {
    let session = insert(
        state,
        pool,
        client,
        user,
        ChallengeName::DeviceSrpAuth,
        None,
        &device.device_key,
    )
    .await?;
    Ok(AuthResponse {
        challenge_name: Some(ChallengeName::DeviceSrpAuth),
        session: Some(session),
        challenge_parameters: BTreeMap::from([
            ("USERNAME".to_owned(), user.username.clone()),
            ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        ]),
        authentication_result: None,
    })
}

/// The device the answer names: the one of the challenge, still remembered.
async fn challenged_device(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    challenge: &ChallengeSession,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Device> {
    let device_key = required_parameter(responses, "DEVICE_KEY")?;
    if challenge.device_key.as_deref() != Some(device_key) {
        return Err(wrong_proof());
    }
    super::remembered(state, pool, user, Some(device_key))
        .await?
        .ok_or_else(wrong_proof)
}

/// Answers DEVICE_SRP_AUTH (SRP_A, DEVICE_KEY) with DEVICE_PASSWORD_VERIFIER.
pub async fn answer_srp_auth(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    challenge: ChallengeSession,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let device = challenged_device(state, pool, user, &challenge, responses).await?;
    let srp_a = required_parameter(responses, "SRP_A")?;
    let public_a = srp::parse_public_a(srp_a).ok_or_else(|| ApiError::invalid_parameter("Invalid SRP_A value."))?;
    let verifier = device.verifier.clone().unwrap_or_default();
    let salt = device.salt.clone().unwrap_or_default();
    let key = {
        let verifier = verifier.clone();
        tokio::task::spawn_blocking(move || srp::server_key(&verifier))
            .await
            .map_err(|e| ApiError::internal("device srp task", e))?
    };
    let mut secret_block = vec![0u8; SECRET_BLOCK_LEN];
    rand::rngs::OsRng.fill_bytes(&mut secret_block);
    let secret_block = STANDARD.encode(&secret_block);
    let public_b = key.public_b.to_str_radix(16);
    let srp_state = SrpChallenge {
        b: hex::encode(&key.b),
        public_b: public_b.clone(),
        public_a: public_a.to_str_radix(16),
        verifier: hex::encode(&verifier),
        secret_block: secret_block.clone(),
        user_id: device.device_key.clone(),
    };
    let name = ChallengeName::DevicePasswordVerifier;
    let session = insert(state, pool, client, user, name, Some(srp_state), &device.device_key).await?;
    Ok(AuthResponse {
        challenge_name: Some(name),
        session: Some(session),
        challenge_parameters: BTreeMap::from([
            ("SALT".to_owned(), hex::encode(&salt)),
            ("SRP_B".to_owned(), public_b),
            ("SECRET_BLOCK".to_owned(), secret_block),
            ("USERNAME".to_owned(), user.username.clone()),
            ("DEVICE_KEY".to_owned(), device.device_key),
        ]),
        authentication_result: None,
    })
}

/// Answers DEVICE_PASSWORD_VERIFIER: tokens when the device proof holds.
pub async fn answer_password_verifier(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    challenge: ChallengeSession,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let device = challenged_device(state, pool, user, &challenge, responses).await?;
    let srp_state = challenge.srp.ok_or_else(invalid_session)?;
    let block = required_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?.to_owned();
    let signature = required_parameter(responses, "PASSWORD_CLAIM_SIGNATURE")?.to_owned();
    let timestamp = required_parameter(responses, "TIMESTAMP")?.to_owned();
    if !srp::valid_timestamp(&timestamp) {
        return Err(ApiError::invalid_parameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        ));
    }
    if srp_state.user_id != device.device_key {
        return Err(wrong_proof());
    }
    let group_key = device.group_key.clone();
    let verified = tokio::task::spawn_blocking(move || {
        crate::api::srp_auth::claim_holds(&group_key, &srp_state, &block, &signature, &timestamp)
    })
    .await
    .map_err(|e| ApiError::internal("device srp task", e))?;
    if !verified {
        return Err(wrong_proof());
    }
    let result = super::finish_sign_in(state, pool, client, user, Some(&device.device_key)).await?;
    Ok(AuthResponse {
        authentication_result: Some(result),
        ..Default::default()
    })
}
