//! The MFA challenges of a sign-in. After a password proof (and after NEW_PASSWORD_REQUIRED)
//! [`after_first_factor`] decides: tokens, or SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
//! SELECT_MFA_TYPE (several factors, none preferred) or MFA_SETUP (MFA required, no factor).
//! [`answer`] checks the answers.
//!
//! Each challenge is a single-use session; a wrong code opens it again under the same session
//! until [`MAX_ATTEMPTS`] wrong codes, after which it is gone. Email and SMS codes belong to
//! their session, expire after [`CODE_LIFETIME`] seconds and are stored hashed; an
//! authenticator-app code is accepted once per user (the last time step used is kept).

use std::collections::BTreeMap;

use cognate_protocol::auth::{AuthResponse, ChallengeName, RespondToAuthChallengeRequest};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::mfa::MfaFactorsConfig;

use super::factors::{offers, pool_factors, Factor, Mode};
use super::totp;
use crate::delivery::{fill_template, mask, Medium};
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{code_matches, hash_code, hash_token, new_code, new_token};
use crate::store::{AppClient, ChallengeSession, MfaChallenge, User, UserPool};
use crate::user_pool::codes::{self, Destination};
use crate::AppState;

/// How long an email or SMS code works, in seconds (Cognito: 3 minutes).
pub const CODE_LIFETIME: i64 = 180;
/// Wrong codes after which a challenge session is gone.
pub const MAX_ATTEMPTS: i64 = 3;

/// Tokens for a user who passed every factor (with the device they signed in through).
async fn tokens(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let result = crate::device::finish_sign_in(state, pool, client, user, device_key).await?;
    Ok(AuthResponse {
        authentication_result: Some(result),
        ..Default::default()
    })
}

/// What follows a successful first factor: tokens, the proof of a remembered device
/// (DEVICE_SRP_AUTH, in place of MFA, when the pool's device configuration says
/// ChallengeRequiredOnNewDevice), or the MFA challenge the pool and the user's factors call for.
/// `device_key` is the DEVICE_KEY the client signs in with.
pub async fn after_first_factor(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    if crate::device::replaces_mfa(pool) {
        if let Some(device) = crate::device::remembered(state, pool, user, device_key).await? {
            return crate::device::challenge::open(state, pool, client, user, &device).await;
        }
    }
    let mode = Mode::of(pool);
    if mode == Mode::Off {
        return tokens(state, pool, client, user, device_key).await;
    }
    let offered = pool_factors(state, pool).await?;
    let mfa = state.store.get_user_mfa(&pool.id, &user.sub).await?;
    let enabled: Vec<Factor> = Factor::ALL
        .into_iter()
        .filter(|f| offers(&offered, *f) && f.enabled_for(&mfa) && f.reachable(user, false))
        .collect();
    if enabled.is_empty() {
        if mode == Mode::Optional {
            return tokens(state, pool, client, user, device_key).await;
        }
        // Required: a verified phone number or email the pool sends codes to serves, as in Cognito.
        let fallback = [Factor::Sms, Factor::Email]
            .into_iter()
            .find(|f| offers(&offered, *f) && f.reachable(user, true));
        if let Some(factor) = fallback {
            return start(state, pool, client, user, &offered, factor, device_key).await;
        }
        if offers(&offered, Factor::SoftwareToken) {
            let can_setup = json_list(&[Factor::SoftwareToken.as_str().to_owned()]);
            return open(
                state,
                pool,
                client,
                user,
                ChallengeName::MfaSetup,
                MfaChallenge::through(device_key),
                [("MFAS_CAN_SETUP".to_owned(), can_setup)].into(),
            )
            .await;
        }
        return Err(ApiError::not_authorized(
            "MFA is required, and the user has no factor the pool can use.",
        ));
    }
    let preferred = mfa
        .preferred
        .as_deref()
        .and_then(Factor::parse)
        .filter(|f| enabled.contains(f));
    match (preferred, enabled.as_slice()) {
        (Some(factor), _) | (None, &[factor]) => start(state, pool, client, user, &offered, factor, device_key).await,
        _ => {
            let options: Vec<String> = enabled.iter().map(|f| f.as_str().to_owned()).collect();
            let state_ = MfaChallenge {
                options: options.clone(),
                ..MfaChallenge::through(device_key)
            };
            let parameters = [("MFAS_CAN_CHOOSE".to_owned(), json_list(&options))].into();
            open(
                state,
                pool,
                client,
                user,
                ChallengeName::SelectMfaType,
                state_,
                parameters,
            )
            .await
        }
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// How long an MFA challenge session lives: the client's auth session validity, and at least
/// long enough that an expired code is told apart from an expired session.
pub(crate) fn session_lifetime(client: &AppClient) -> i64 {
    (client.settings.auth_session_validity.unwrap_or(3) * 60).max(CODE_LIFETIME + 60)
}

/// Opens a challenge session for `user`; returns the challenge with its parameters.
pub(crate) async fn open(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    name: ChallengeName,
    mut mfa: MfaChallenge,
    mut parameters: BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let session = new_token(96);
    let device_key = mfa.device_key.take();
    state
        .store
        .insert_challenge(&ChallengeSession {
            id_hash: hash_token(&session),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            challenge: name.as_str().to_owned(),
            expires_at: state.clock.now() + session_lifetime(client),
            srp: None,
            mfa: Some(mfa),
            device_key,
        })
        .await?;
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    Ok(AuthResponse {
        challenge_name: Some(name),
        session: Some(session),
        challenge_parameters: parameters,
        authentication_result: None,
    })
}

/// Opens the challenge of one factor, sending its code for SMS and email.
async fn start(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    offered: &MfaFactorsConfig,
    factor: Factor,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let destination = match factor {
        Factor::SoftwareToken => {
            return open(
                state,
                pool,
                client,
                user,
                factor.challenge(),
                MfaChallenge::through(device_key),
                BTreeMap::new(),
            )
            .await;
        }
        Factor::Sms => Destination::phone(user),
        Factor::Email => Destination::email(user),
    }
    .ok_or_else(|| ApiError::invalid_parameter("The user has no destination for the MFA code."))?;
    let code = new_code();
    let (subject, body) = compose(offered, destination.medium, &code, &user.username);
    codes::deliver(state, pool, user, &destination, subject, body).await?;
    let mfa = MfaChallenge {
        code_hash: Some(hash_code(&code)),
        code_expires_at: state.clock.now() + CODE_LIFETIME,
        ..MfaChallenge::through(device_key)
    };
    let parameters = [
        (
            "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
            destination.medium.as_str().to_owned(),
        ),
        (
            "CODE_DELIVERY_DESTINATION".to_owned(),
            mask(destination.medium, &destination.address),
        ),
    ]
    .into();
    open(state, pool, client, user, factor.challenge(), mfa, parameters).await
}

/// The subject and body of an MFA code message, from the pool's MFA templates.
fn compose(offered: &MfaFactorsConfig, medium: Medium, code: &str, username: &str) -> (String, String) {
    const DEFAULT: &str = "Your authentication code is {####}. ";
    match medium {
        Medium::Email => {
            let config = offered.email_mfa_configuration.as_ref();
            let subject = config
                .and_then(|c| c.subject.clone())
                .unwrap_or_else(|| "Your authentication code".to_owned());
            let body = config.and_then(|c| c.message.as_deref()).unwrap_or(DEFAULT);
            (subject, fill_template(body, code, username))
        }
        Medium::Sms => {
            let config = offered.sms_mfa_configuration.as_ref();
            let body = config
                .and_then(|c| c.sms_authentication_message.as_deref())
                .unwrap_or(DEFAULT);
            (String::new(), fill_template(body, code, username))
        }
    }
}

/// Puts a taken challenge back, so it can be answered again, and returns `err`.
async fn reopen_with(state: &AppState, challenge: &ChallengeSession, err: ApiError) -> ApiResult<AuthResponse> {
    state.store.insert_challenge(challenge).await?;
    Err(err)
}

/// Cognito's answer to a session that is unknown, used up or expired.
pub fn invalid_session() -> ApiError {
    ApiError::not_authorized("Invalid session for the user, session is expired.")
}

fn mismatch() -> ApiError {
    ApiError::new(ErrorCode::CodeMismatch, "Invalid code or auth state for the user.")
}

/// Counts a wrong code: the challenge stays open until the last allowed attempt.
pub async fn wrong_code(state: &AppState, mut challenge: ChallengeSession, err: ApiError) -> ApiResult<AuthResponse> {
    let mut mfa = challenge.mfa.take().unwrap_or_default();
    mfa.attempts += 1;
    if mfa.attempts >= MAX_ATTEMPTS {
        return Err(err);
    }
    challenge.mfa = Some(mfa);
    reopen_with(state, &challenge, err).await
}

/// Answers an MFA challenge, already taken and checked to be this client's, pool's and user's.
pub async fn answer(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    challenge: ChallengeSession,
    user: User,
    request: &RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let responses = &request.challenge_responses;
    let now = state.clock.now();
    let mfa_state = challenge.mfa.clone().unwrap_or_default();
    let device_key = challenge
        .device_key
        .clone()
        .or_else(|| responses.get("DEVICE_KEY").cloned());
    let device_key = device_key.as_deref();
    let parameter = |name: &str| {
        responses
            .get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
    };
    match request.challenge_name {
        ChallengeName::SoftwareTokenMfa => {
            let code = match parameter("SOFTWARE_TOKEN_MFA_CODE") {
                Ok(code) => code,
                Err(err) => return reopen_with(state, &challenge, err).await,
            };
            let mfa = state.store.get_user_mfa(&pool.id, &user.sub).await?;
            let purpose = crate::vault::purpose::totp(&pool.id, &user.sub);
            let secret = match (&mfa.totp_secret, mfa.totp_enabled) {
                (Some(sealed), true) => Some(
                    state
                        .vault
                        .open_text(&purpose, sealed)
                        .map_err(|e| ApiError::internal("authenticator key", e))?,
                ),
                _ => None,
            };
            let step = secret.and_then(|secret| totp::matching_step(&secret, &code, now, mfa.totp_last_step));
            let used = match step {
                Some(step) => state.store.use_totp_step(&pool.id, &user.sub, step).await?,
                None => false,
            };
            if !used {
                return wrong_code(state, challenge, mismatch()).await;
            }
            tokens(state, pool, client, &user, device_key).await
        }
        ChallengeName::SmsMfa | ChallengeName::EmailOtp => {
            let key = if request.challenge_name == ChallengeName::SmsMfa {
                "SMS_MFA_CODE"
            } else {
                "EMAIL_OTP_CODE"
            };
            let code = match parameter(key) {
                Ok(code) => code,
                Err(err) => return reopen_with(state, &challenge, err).await,
            };
            let Some(stored) = mfa_state.code_hash.as_deref() else {
                return Err(invalid_session());
            };
            if mfa_state.code_expires_at <= now {
                return Err(ApiError::new(
                    ErrorCode::ExpiredCode,
                    "The code has expired; sign in again for a new one.",
                ));
            }
            if !code_matches(&code, stored) {
                return wrong_code(state, challenge, mismatch()).await;
            }
            tokens(state, pool, client, &user, device_key).await
        }
        ChallengeName::SelectMfaType => {
            let answer = match parameter("ANSWER") {
                Ok(answer) => answer,
                Err(err) => return reopen_with(state, &challenge, err).await,
            };
            let Some(factor) = Factor::parse(&answer).filter(|_| mfa_state.options.contains(&answer)) else {
                let err =
                    ApiError::invalid_parameter(format!("ANSWER must be one of {}.", json_list(&mfa_state.options)));
                return reopen_with(state, &challenge, err).await;
            };
            let offered = pool_factors(state, pool).await?;
            start(state, pool, client, &user, &offered, factor, device_key).await
        }
        ChallengeName::MfaSetup => {
            if !mfa_state.setup_done {
                let err = ApiError::invalid_parameter(
                    "Set up the software token first: AssociateSoftwareToken and VerifySoftwareToken with this Session.",
                );
                return reopen_with(state, &challenge, err).await;
            }
            tokens(state, pool, client, &user, device_key).await
        }
        other => Err(ApiError::invalid_parameter(format!(
            "Challenge {} is not an MFA challenge.",
            other.as_str()
        ))),
    }
}
