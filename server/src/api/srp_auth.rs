//! USER_SRP_AUTH: InitiateAuth answers the client's SRP_A with a PASSWORD_VERIFIER challenge
//! (SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP), and RespondToAuthChallenge checks the
//! client's PASSWORD_CLAIM_SIGNATURE, then goes on exactly as a password sign-in does
//! ([`super::sign_in::after_password`]): a wrong proof counts towards the lockout.
//!
//! The server's ephemeral b and the rest of the SRP state live in the single-use challenge
//! session. With PreventUserExistenceErrors on, a user that does not exist gets a stable stand-in
//! salt and verifier (derived from the pool's signing key) and fails at the proof like a wrong
//! password; imported users without a password must reset it first.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::auth::{AuthResponse, ChallengeName};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::UserStatus;
use num_bigint_dig::BigUint;
use rand::RngCore;
use subtle::ConstantTimeEq;

use super::sign_in::{after_password, invalid_session, refusal_before_password, required_parameter};
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::srp;
use crate::store::{AppClient, ChallengeSession, SrpChallenge, SrpCredentials, UserPool};
use crate::user_pool::{check_secret_hash, hides_user_existence, identity};
use crate::AppState;

/// The length of the opaque SECRET_BLOCK, in bytes.
const SECRET_BLOCK_LEN: usize = 96;

/// The per-pool secret the stand-in credentials of unknown users derive from.
fn pool_secret(state: &AppState, pool: &UserPool) -> ApiResult<Vec<u8>> {
    let signing_key = crate::token::signing_key(state, pool)?;
    Ok(srp::group::hash(&[b"cognate srp stand-in:", &signing_key]).to_vec())
}

async fn run_blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal("srp task", e))
}

/// InitiateAuth with USER_SRP_AUTH: opens a PASSWORD_VERIFIER challenge.
pub async fn initiate(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let username = required_parameter(parameters, "USERNAME")?;
    let srp_a = required_parameter(parameters, "SRP_A")?;
    check_secret_hash(client, username, parameters.get("SECRET_HASH").map(String::as_str))?;
    let public_a = srp::parse_public_a(srp_a).ok_or_else(|| ApiError::invalid_parameter("Invalid SRP_A value."))?;
    // The stand-in is computed for every user, so the work done does not tell who exists.
    let stand = stand_in(state, pool, identity::username_key(pool, username)).await?;
    let (sub, user_id, credentials) = match identity::find_user(state, pool, username).await? {
        Some(user) => {
            if user.status == UserStatus::ResetRequired && user.password_hash.is_none() {
                return Err(ApiError::new(
                    ErrorCode::PasswordResetRequired,
                    "Password reset required for the user",
                ));
            }
            // Without a verifier (a password set before they were kept) no proof can succeed.
            (user.sub, user.username, user.srp.unwrap_or(stand.credentials))
        }
        None if hides_user_existence(client) => (String::new(), stand.user_id, stand.credentials),
        None => return Err(ApiError::user_not_found()),
    };
    let verifier = credentials.verifier.clone();
    let key = run_blocking(move || srp::server_key(&verifier)).await?;
    let mut secret_block = vec![0u8; SECRET_BLOCK_LEN];
    rand::rngs::OsRng.fill_bytes(&mut secret_block);
    let secret_block = STANDARD.encode(&secret_block);
    let public_b = key.public_b.to_str_radix(16);
    let session = new_token(96);
    let minutes = client.settings.auth_session_validity.unwrap_or(3);
    state
        .store
        .insert_challenge(&ChallengeSession {
            id_hash: hash_token(&session),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub,
            challenge: ChallengeName::PasswordVerifier.as_str().to_owned(),
            expires_at: state.clock.now() + minutes * 60,
            srp: Some(SrpChallenge {
                b: hex::encode(&key.b),
                public_b: public_b.clone(),
                public_a: public_a.to_str_radix(16),
                verifier: hex::encode(&credentials.verifier),
                secret_block: secret_block.clone(),
                user_id: user_id.clone(),
            }),
            mfa: None,
            device_key: parameters.get("DEVICE_KEY").filter(|k| !k.is_empty()).cloned(),
        })
        .await?;
    Ok(AuthResponse {
        challenge_name: Some(ChallengeName::PasswordVerifier),
        session: Some(session),
        challenge_parameters: BTreeMap::from([
            ("SALT".to_owned(), hex::encode(&credentials.salt)),
            ("SRP_B".to_owned(), public_b),
            ("SECRET_BLOCK".to_owned(), secret_block),
            ("USER_ID_FOR_SRP".to_owned(), user_id.clone()),
            ("USERNAME".to_owned(), user_id),
        ]),
        authentication_result: None,
    })
}

/// What a user that does not exist is answered with.
struct StandIn {
    /// USER_ID_FOR_SRP: the name as typed, or, in pools whose usernames are generated (email or
    /// phone number as username), a stable made-up id shaped like the real ones.
    user_id: String,
    credentials: SrpCredentials,
}

async fn stand_in(state: &AppState, pool: &UserPool, username_key: String) -> ApiResult<StandIn> {
    let secret = pool_secret(state, pool)?;
    let generated_ids = !pool.settings.username_attributes.is_empty();
    run_blocking(move || {
        let user_id = if generated_ids {
            let bytes = srp::group::hash(&[&secret, b"user id:", username_key.as_bytes()]);
            let mut id = [0u8; 16];
            id.copy_from_slice(&bytes[..16]);
            uuid::Builder::from_random_bytes(id).into_uuid().to_string()
        } else {
            username_key.clone()
        };
        StandIn {
            user_id,
            credentials: srp::fake_credentials(&secret, &username_key),
        }
    })
    .await
}

/// Whether a claim proves the password, computed from the stored SRP state. `realm` is what the
/// client hashed with the password: the pool's name for a user, the device group key for a device.
pub(crate) fn claim_holds(
    realm: &str,
    srp_state: &SrpChallenge,
    block: &str,
    signature: &str,
    timestamp: &str,
) -> bool {
    let number = |hex: &str| BigUint::parse_bytes(hex.as_bytes(), 16);
    let (Some(public_a), Some(public_b)) = (number(&srp_state.public_a), number(&srp_state.public_b)) else {
        return false;
    };
    let (Ok(b), Ok(verifier), Ok(secret_block), Ok(signature)) = (
        hex::decode(&srp_state.b),
        hex::decode(&srp_state.verifier),
        STANDARD.decode(&srp_state.secret_block),
        STANDARD.decode(signature),
    ) else {
        return false;
    };
    let same_block: bool = block.as_bytes().ct_eq(srp_state.secret_block.as_bytes()).into();
    let Some(key) = srp::password_key(&public_a, &public_b, &b, &verifier) else {
        return false;
    };
    let proven = srp::verify_claim(&key, realm, &srp_state.user_id, &secret_block, timestamp, &signature);
    same_block & proven
}

/// RespondToAuthChallenge with PASSWORD_VERIFIER, for a challenge already taken and checked
/// to belong to this client and pool.
pub async fn answer(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    responses: &BTreeMap<String, String>,
    challenge: ChallengeSession,
) -> ApiResult<AuthResponse> {
    let srp_state = challenge.srp.ok_or_else(invalid_session)?;
    let username = required_parameter(responses, "USERNAME")?;
    let block = required_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?.to_owned();
    let signature = required_parameter(responses, "PASSWORD_CLAIM_SIGNATURE")?.to_owned();
    let timestamp = required_parameter(responses, "TIMESTAMP")?.to_owned();
    if !srp::valid_timestamp(&timestamp) {
        return Err(ApiError::invalid_parameter(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
        ));
    }
    check_secret_hash(client, username, responses.get("SECRET_HASH").map(String::as_str))?;
    let user = if challenge.sub.is_empty() {
        None
    } else {
        let user = state
            .store
            .get_user_by_sub(&pool.id, &challenge.sub)
            .await?
            .ok_or_else(invalid_session)?;
        Some(user)
    };
    let same_user = match &user {
        Some(user) => {
            username == srp_state.user_id
                || identity::username_key(pool, username) == user.username_key
                || identity::find_user(state, pool, username).await?.map(|u| u.sub) == Some(user.sub.clone())
        }
        None => identity::username_key(pool, username) == identity::username_key(pool, &srp_state.user_id),
    };
    if !same_user {
        return Err(invalid_session());
    }
    let realm = srp::pool_name(&pool.id).to_owned();
    let verified = run_blocking(move || claim_holds(&realm, &srp_state, &block, &signature, &timestamp)).await?;
    let Some(user) = user else {
        return Err(ApiError::bad_credentials());
    };
    if let Some(refusal) = refusal_before_password(&user, state.clock.now()) {
        return Err(refusal);
    }
    let device_key = responses.get("DEVICE_KEY").or(challenge.device_key.as_ref());
    after_password(state, pool, client, user, verified, device_key.map(String::as_str)).await
}
