//! Opening and taking challenge sessions: the only place a sign-in's open challenges are
//! created, answered and put back.
//!
//! The client holds an opaque `Session`; the server keeps only its hash, with the challenge's
//! state, the user, the app client and an expiry. Taking a session removes it, so each is
//! answered once; a wrong answer that may be tried again puts it back under the same handle.
//! An SRP verifier challenge's handle is its `SECRET_BLOCK`, which the client sends back with
//! its proof: that is how Cognito identifies the challenge when a client (pycognito, warrant)
//! answers PASSWORD_VERIFIER without the `Session`.

use std::collections::BTreeMap;

use cognate_protocol::auth::{AuthResponse, ChallengeName};

use super::challenge::{ChallengeSession, ChallengeState};
use super::Context;
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::state::AppState;
use crate::store::User;

/// Cognito's answer to a session that is unknown, used up or expired.
pub fn invalid_session() -> ApiError {
    ApiError::not_authorized("Invalid session for the user, session is expired.")
}

/// Opens a challenge for the user `sub` (empty for a stand-in) and answers with it: its name,
/// its session and `parameters`.
pub async fn open(
    ctx: &Context<'_>,
    sub: &str,
    device_key: Option<&str>,
    state: ChallengeState,
    parameters: BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let handle = match state.srp() {
        Some(srp) => srp.secret_block.clone(),
        None => new_token(96),
    };
    let name = state.name();
    let challenge = ChallengeSession {
        id_hash: hash_token(&handle),
        pool_id: ctx.pool.id.clone(),
        client_id: ctx.client.client_id.clone(),
        sub: sub.to_owned(),
        expires_at: ctx.now() + state.lifetime(ctx.client.settings.auth_session_validity),
        device_key: device_key.filter(|k| !k.is_empty()).map(str::to_owned),
        state,
    };
    ctx.state.store.insert_challenge(&challenge).await?;
    Ok(AuthResponse {
        challenge_name: Some(name),
        session: Some(handle),
        challenge_parameters: parameters,
        authentication_result: None,
    })
}

/// The handle an answer names its challenge by: the `Session`, or for an SRP verifier the
/// secret block of the proof.
fn handle<'a>(
    name: ChallengeName,
    session: Option<&'a str>,
    responses: &'a BTreeMap<String, String>,
) -> Option<&'a str> {
    let verifier = matches!(
        name,
        ChallengeName::PasswordVerifier | ChallengeName::DevicePasswordVerifier
    );
    session
        .filter(|s| !s.is_empty())
        .or_else(|| {
            verifier
                .then(|| responses.get("PASSWORD_CLAIM_SECRET_BLOCK").map(String::as_str))
                .flatten()
        })
        .filter(|s| !s.is_empty())
}

/// Takes the open challenge an answer names: it must be live, of this pool and app client, and
/// the challenge the answer says it answers.
pub async fn take(
    ctx: &Context<'_>,
    name: ChallengeName,
    session: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<ChallengeSession> {
    let handle = handle(name, session, responses).ok_or_else(invalid_session)?;
    let challenge = take_live(ctx.state, handle).await?;
    if challenge.client_id != ctx.client.client_id || challenge.pool_id != ctx.pool.id || challenge.state.name() != name
    {
        return Err(invalid_session());
    }
    Ok(challenge)
}

/// Takes a live challenge by its handle, whatever it is (AssociateSoftwareToken and
/// VerifySoftwareToken name an MFA_SETUP challenge by its session alone).
pub async fn take_live(state: &AppState, handle: &str) -> ApiResult<ChallengeSession> {
    let challenge = state
        .store
        .take_challenge(&hash_token(handle))
        .await?
        .ok_or_else(invalid_session)?;
    if challenge.expires_at <= state.clock.now() {
        return Err(invalid_session());
    }
    Ok(challenge)
}

/// The user a challenge is for, who must still exist; `None` for a stand-in challenge (an
/// unknown user behind PreventUserExistenceErrors).
pub async fn user_of(ctx: &Context<'_>, challenge: &ChallengeSession) -> ApiResult<Option<User>> {
    if challenge.sub.is_empty() {
        return Ok(None);
    }
    let user = ctx.state.store.get_user_by_sub(&ctx.pool.id, &challenge.sub).await?;
    user.map(Some).ok_or_else(invalid_session)
}

/// Puts a taken challenge back under its handle, so it can be answered again.
pub async fn put_back(state: &AppState, challenge: &ChallengeSession) -> ApiResult<()> {
    state.store.insert_challenge(challenge).await?;
    Ok(())
}

/// Puts a taken challenge back and returns `err` (an answer that may be corrected).
pub async fn retry<T>(state: &AppState, challenge: &ChallengeSession, err: ApiError) -> ApiResult<T> {
    put_back(state, challenge).await?;
    Err(err)
}

/// Counts a wrong answer: the challenge stays open until [`MAX_WRONG_ANSWERS`]; returns `err`.
pub async fn wrong_answer<T>(state: &AppState, mut challenge: ChallengeSession, err: ApiError) -> ApiResult<T> {
    match challenge.state.count_wrong_answer() {
        Some(count) if count >= MAX_WRONG_ANSWERS => Err(err),
        _ => retry(state, &challenge, err).await,
    }
}

/// Wrong codes after which a challenge is gone.
pub const MAX_WRONG_ANSWERS: u32 = 3;

/// Moves a taken challenge to a new handle and a fresh expiry (MFA_SETUP goes on under a new
/// session after each software-token call); returns the new handle.
pub async fn renew(state: &AppState, mut challenge: ChallengeSession) -> ApiResult<String> {
    let client = state
        .store
        .get_client(&challenge.client_id)
        .await?
        .ok_or_else(invalid_session)?;
    let handle = new_token(96);
    challenge.id_hash = hash_token(&handle);
    challenge.expires_at = state.clock.now() + challenge.state.lifetime(client.settings.auth_session_validity);
    put_back(state, &challenge).await?;
    Ok(handle)
}
