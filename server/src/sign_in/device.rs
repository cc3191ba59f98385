//! DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: a sign-in through a remembered device proves
//! the device's password by SRP instead of answering an MFA challenge, when the pool's device
//! configuration has `ChallengeRequiredOnNewDevice` ([`crate::device::replaces_mfa`]).
//!
//! The client answers DEVICE_SRP_AUTH with SRP_A and DEVICE_KEY and gets SALT, SRP_B and a
//! SECRET_BLOCK; it answers DEVICE_PASSWORD_VERIFIER with the HMAC of group key + device key +
//! secret block + timestamp under the SRP key (the device group key as the "pool name", the
//! device key as the "username"). A wrong proof is refused and the sign-in must start over.

use std::collections::BTreeMap;

use cognate_protocol::auth::AuthResponse;

use super::challenge::{ChallengeSession, ChallengeState};
use super::next_step::{next_step, Proven};
use super::session::invalid_session;
use super::srp::{parse_a, server_state, Claim};
use super::{required_parameter, session, Context};
use crate::error::{ApiError, ApiResult};
use crate::store::{Device, User};

fn wrong_proof() -> ApiError {
    ApiError::not_authorized("Incorrect username or password.")
}

/// DEVICE_SRP_AUTH, when the sign-in goes through one of the user's remembered devices and the
/// pool lets that device stand for MFA.
pub async fn challenge_for(
    ctx: &Context<'_>,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<Option<AuthResponse>> {
    if !crate::device::replaces_mfa(ctx.pool) {
        return Ok(None);
    }
    let Some(device) = crate::device::remembered(ctx.state, ctx.pool, user, device_key).await? else {
        return Ok(None);
    };
    let parameters = BTreeMap::from([
        ("USERNAME".to_owned(), user.username.clone()),
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
    ]);
    let state = ChallengeState::DeviceSrpAuth;
    session::open(ctx, &user.sub, Some(&device.device_key), state, parameters)
        .await
        .map(Some)
}

/// The device the answer names: the one of the challenge, still remembered.
async fn challenged_device(
    ctx: &Context<'_>,
    user: &User,
    challenge: &ChallengeSession,
    responses: &BTreeMap<String, String>,
) -> ApiResult<Device> {
    let device_key = required_parameter(responses, "DEVICE_KEY")?;
    if challenge.device_key.as_deref() != Some(device_key) {
        return Err(wrong_proof());
    }
    crate::device::remembered(ctx.state, ctx.pool, user, Some(device_key))
        .await?
        .ok_or_else(wrong_proof)
}

/// Answers DEVICE_SRP_AUTH (SRP_A, DEVICE_KEY) with DEVICE_PASSWORD_VERIFIER.
pub async fn answer_srp_auth(
    ctx: &Context<'_>,
    challenge: ChallengeSession,
    user: User,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let device = challenged_device(ctx, &user, &challenge, responses).await?;
    let srp_a = required_parameter(responses, "SRP_A")?;
    let verifier = device.verifier.clone().unwrap_or_default();
    let salt = device.salt.clone().unwrap_or_default();
    let srp_state = server_state(&ctx.state.work, &parse_a(srp_a)?, &verifier, &device.device_key).await?;
    let parameters = BTreeMap::from([
        ("SALT".to_owned(), hex::encode(&salt)),
        ("SRP_B".to_owned(), srp_state.public_b.clone()),
        ("SECRET_BLOCK".to_owned(), srp_state.secret_block.clone()),
        ("USERNAME".to_owned(), user.username.clone()),
        ("DEVICE_KEY".to_owned(), device.device_key.clone()),
    ]);
    let state = ChallengeState::DevicePasswordVerifier(srp_state);
    session::open(ctx, &user.sub, Some(&device.device_key), state, parameters).await
}

/// Answers DEVICE_PASSWORD_VERIFIER: the sign-in goes on when the device's proof holds.
pub async fn answer_password_verifier(
    ctx: &Context<'_>,
    challenge: ChallengeSession,
    user: User,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let device = challenged_device(ctx, &user, &challenge, responses).await?;
    let ChallengeState::DevicePasswordVerifier(srp_state) = challenge.state else {
        return Err(invalid_session());
    };
    let claim = Claim::read(responses)?;
    if srp_state.user_id != device.device_key {
        return Err(wrong_proof());
    }
    if !claim
        .holds(&ctx.state.work, device.group_key.clone(), srp_state)
        .await?
    {
        return Err(wrong_proof());
    }
    next_step(ctx, &user, Some(&device.device_key), Proven::SecondFactor).await
}
