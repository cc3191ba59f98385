//! USER_SRP_AUTH: the client's SRP_A is answered with a PASSWORD_VERIFIER challenge (SALT,
//! SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP); the client's PASSWORD_CLAIM_SIGNATURE is checked
//! against the user's verifier ([`crate::srp`]) and counted as a password proof is.
//!
//! With PreventUserExistenceErrors on, a user that does not exist gets a stable stand-in salt
//! and verifier (derived from the pool's signing key) and fails at the proof like a wrong
//! password; imported users without a password must reset it first. Device proofs
//! ([`super::device`]) use the same [`claim_holds`], with the device group key as the realm.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::auth::AuthResponse;
use cognate_protocol::user::UserStatus;
use num_bigint_dig::BigUint;
use rand::RngCore;
use subtle::ConstantTimeEq;

use super::challenge::{ChallengeSession, ChallengeState, SrpState};
use super::next_step::{next_step, Proven};
use super::password::{count_proof, password_reset_required, refusal_before_proof};
use super::session::{self, invalid_session};
use super::{required_parameter, Context};
use crate::error::{ApiError, ApiResult};
use crate::srp;
use crate::state::AppState;
use crate::store::{SrpCredentials, UserPool};
use crate::user_pool::{check_secret_hash, hides_user_existence, identity};
use crate::work::WorkPool;

/// The length of the opaque SECRET_BLOCK, in bytes.
const SECRET_BLOCK_LEN: usize = 96;

/// The per-pool secret the stand-in credentials of unknown users derive from.
fn pool_secret(state: &AppState, pool: &UserPool) -> ApiResult<Vec<u8>> {
    let signing_key = crate::token::signing_key(state, pool)?;
    Ok(srp::group::hash(&[b"cognate srp stand-in:", &signing_key]).to_vec())
}

/// The client's `SRP_A`, refused unless it is a valid public value.
pub fn parse_a(srp_a: &str) -> ApiResult<BigUint> {
    srp::parse_public_a(srp_a).ok_or_else(|| ApiError::invalid_parameter("Invalid SRP_A value."))
}

/// The server's SRP state for the client's `public_a` against `verifier`, naming `user_id`.
pub async fn server_state(work: &WorkPool, public_a: &BigUint, verifier: &[u8], user_id: &str) -> ApiResult<SrpState> {
    let owned = verifier.to_vec();
    let key = work.run("srp server key", move || srp::server_key(&owned)).await?;
    let mut secret_block = vec![0u8; SECRET_BLOCK_LEN];
    rand::rngs::OsRng.fill_bytes(&mut secret_block);
    Ok(SrpState {
        b: hex::encode(&key.b),
        public_b: key.public_b.to_str_radix(16),
        public_a: public_a.to_str_radix(16),
        verifier: hex::encode(verifier),
        secret_block: STANDARD.encode(&secret_block),
        user_id: user_id.to_owned(),
    })
}

/// Starts USER_SRP_AUTH: opens a PASSWORD_VERIFIER challenge.
pub async fn initiate(ctx: &Context<'_>, parameters: &BTreeMap<String, String>) -> ApiResult<AuthResponse> {
    let username = required_parameter(parameters, "USERNAME")?;
    let srp_a = required_parameter(parameters, "SRP_A")?;
    check_secret_hash(ctx.client, username, parameters.get("SECRET_HASH").map(String::as_str))?;
    let public_a = parse_a(srp_a)?;
    // The stand-in is computed for every user, so the work done does not tell who exists.
    let stand = stand_in(ctx, identity::username_key(ctx.pool, username)).await?;
    let (sub, user_id, credentials) = match identity::find_user(ctx.state, ctx.pool, username).await? {
        Some(user) => {
            if user.status == UserStatus::ResetRequired && user.password_hash.is_none() {
                return Err(password_reset_required());
            }
            // Without a verifier (a password set before they were kept, or one refused) no
            // proof can succeed.
            let credentials = match (crate::password::srp_verifier(ctx.state, &user), user.srp) {
                (Some(verifier), Some(stored)) => SrpCredentials {
                    salt: stored.salt,
                    verifier,
                },
                _ => stand.credentials,
            };
            (user.sub, user.username, credentials)
        }
        None if hides_user_existence(ctx.client) => (String::new(), stand.user_id, stand.credentials),
        None => return Err(ApiError::user_not_found()),
    };
    let srp_state = server_state(&ctx.state.work, &public_a, &credentials.verifier, &user_id).await?;
    let device_key = parameters.get("DEVICE_KEY").map(String::as_str);
    let challenge_parameters = BTreeMap::from([
        ("SALT".to_owned(), hex::encode(&credentials.salt)),
        ("SRP_B".to_owned(), srp_state.public_b.clone()),
        ("SECRET_BLOCK".to_owned(), srp_state.secret_block.clone()),
        ("USER_ID_FOR_SRP".to_owned(), user_id.clone()),
        ("USERNAME".to_owned(), user_id),
    ]);
    let state = ChallengeState::PasswordVerifier(srp_state);
    session::open(ctx, &sub, device_key, state, challenge_parameters).await
}

/// What a user that does not exist is answered with.
struct StandIn {
    /// USER_ID_FOR_SRP: the name as typed, or, in pools whose usernames are generated (email or
    /// phone number as username), a stable made-up id shaped like the real ones.
    user_id: String,
    credentials: SrpCredentials,
}

async fn stand_in(ctx: &Context<'_>, username_key: String) -> ApiResult<StandIn> {
    let secret = pool_secret(ctx.state, ctx.pool)?;
    let generated_ids = !ctx.pool.settings.username_attributes.is_empty();
    ctx.state
        .work
        .run("srp stand-in", move || {
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

/// A password claim (PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER responses), read and
/// checked for form.
pub struct Claim {
    pub block: String,
    pub signature: String,
    pub timestamp: String,
}

impl Claim {
    pub fn read(responses: &BTreeMap<String, String>) -> ApiResult<Claim> {
        let claim = Claim {
            block: required_parameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?.to_owned(),
            signature: required_parameter(responses, "PASSWORD_CLAIM_SIGNATURE")?.to_owned(),
            timestamp: required_parameter(responses, "TIMESTAMP")?.to_owned(),
        };
        if !srp::valid_timestamp(&claim.timestamp) {
            return Err(ApiError::invalid_parameter(
                "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
            ));
        }
        Ok(claim)
    }

    /// Whether the claim proves the password (off the async workers). `realm` is what the
    /// client hashed with the password: the pool's name for a user, the device group key for a
    /// device.
    pub async fn holds(self, work: &WorkPool, realm: String, srp_state: SrpState) -> ApiResult<bool> {
        work.run("srp claim", move || claim_holds(&realm, &srp_state, &self))
            .await
    }
}

fn claim_holds(realm: &str, srp_state: &SrpState, claim: &Claim) -> bool {
    let number = |hex: &str| BigUint::parse_bytes(hex.as_bytes(), 16);
    let (Some(public_a), Some(public_b)) = (number(&srp_state.public_a), number(&srp_state.public_b)) else {
        return false;
    };
    let (Ok(b), Ok(verifier), Ok(secret_block), Ok(signature)) = (
        hex::decode(&srp_state.b),
        hex::decode(&srp_state.verifier),
        STANDARD.decode(&srp_state.secret_block),
        STANDARD.decode(&claim.signature),
    ) else {
        return false;
    };
    let same_block: bool = claim.block.as_bytes().ct_eq(srp_state.secret_block.as_bytes()).into();
    let Some(key) = srp::password_key(&public_a, &public_b, &b, &verifier) else {
        return false;
    };
    let proven = srp::verify_claim(
        &key,
        realm,
        &srp_state.user_id,
        &secret_block,
        &claim.timestamp,
        &signature,
    );
    same_block & proven
}

/// Answers PASSWORD_VERIFIER: a right proof goes on as a right password does, a wrong one
/// counts towards the lockout.
pub async fn answer(
    ctx: &Context<'_>,
    challenge: ChallengeSession,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let username = required_parameter(responses, "USERNAME")?;
    let claim = Claim::read(responses)?;
    check_secret_hash(ctx.client, username, responses.get("SECRET_HASH").map(String::as_str))?;
    let user = session::user_of(ctx, &challenge).await?;
    let ChallengeState::PasswordVerifier(srp_state) = challenge.state else {
        return Err(invalid_session());
    };
    let same_user = match &user {
        Some(user) => {
            username == srp_state.user_id
                || identity::username_key(ctx.pool, username) == user.username_key
                || identity::find_user(ctx.state, ctx.pool, username).await?.map(|u| u.sub) == Some(user.sub.clone())
        }
        None => identity::username_key(ctx.pool, username) == identity::username_key(ctx.pool, &srp_state.user_id),
    };
    if !same_user {
        return Err(invalid_session());
    }
    let realm = srp::pool_name(&ctx.pool.id).to_owned();
    let verified = claim.holds(&ctx.state.work, realm, srp_state).await?;
    let Some(user) = user else {
        return Err(ApiError::bad_credentials());
    };
    if let Some(refusal) = refusal_before_proof(ctx, &user) {
        return Err(refusal);
    }
    let user = count_proof(ctx, user, verified).await?;
    let device_key = responses.get("DEVICE_KEY").or(challenge.device_key.as_ref());
    next_step(ctx, &user, device_key.map(String::as_str), Proven::Password).await
}
