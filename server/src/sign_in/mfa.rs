//! The second factor of a sign-in: which challenge the pool and the user's factors call for
//! ([`challenge_for`]) and the answers to SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
//! SELECT_MFA_TYPE and MFA_SETUP ([`answer`]).
//!
//! A wrong code puts the challenge back under the same session until
//! [`session::MAX_WRONG_ANSWERS`]; email and SMS codes belong to their challenge, expire after
//! [`CODE_LIFETIME`] seconds and are stored hashed; an authenticator-app code is accepted once
//! per user (the last time step used is kept).

use std::collections::BTreeMap;

use cognate_protocol::auth::AuthResponse;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::mfa::MfaFactorsConfig;

use super::challenge::{ChallengeSession, ChallengeState, CodeSent, CODE_LIFETIME};
use super::next_step::{next_step, Proven};
use super::session::{self, invalid_session};
use super::Context;
use crate::delivery::{fill_template, mask, Medium};
use crate::error::{ApiError, ApiResult};
use crate::mfa::factors::{offers, pool_factors, Factor, Mode};
use crate::mfa::totp;
use crate::one_time_code::{code_matches, hash_code, new_code};
use crate::store::User;
use crate::user_pool::codes::{self, Destination};

/// The MFA challenge the sign-in of `user` needs, if any: the preferred or only factor, the
/// choice between several, or — MFA required and no factor — a code to a verified address or
/// setting up an authenticator app.
pub async fn challenge_for(
    ctx: &Context<'_>,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<Option<AuthResponse>> {
    let mode = Mode::of(ctx.pool);
    if mode == Mode::Off {
        return Ok(None);
    }
    let offered = pool_factors(ctx.state, ctx.pool).await?;
    let mfa = ctx.state.store.get_user_mfa(&ctx.pool.id, &user.sub).await?;
    let enabled: Vec<Factor> = Factor::ALL
        .into_iter()
        .filter(|f| offers(&offered, *f) && f.enabled_for(&mfa) && f.reachable(user, false))
        .collect();
    if enabled.is_empty() {
        if mode == Mode::Optional {
            return Ok(None);
        }
        // Required: a verified phone number or email the pool sends codes to serves, as in Cognito.
        let fallback = [Factor::Sms, Factor::Email]
            .into_iter()
            .find(|f| offers(&offered, *f) && f.reachable(user, true));
        if let Some(factor) = fallback {
            return start(ctx, user, &offered, factor, device_key).await.map(Some);
        }
        if offers(&offered, Factor::SoftwareToken) {
            let parameters = parameters(user, [("MFAS_CAN_SETUP", json_list(&[Factor::SoftwareToken]))]);
            let state = ChallengeState::MfaSetup {
                setup_done: false,
                attempts: 0,
            };
            return session::open(ctx, &user.sub, device_key, state, parameters)
                .await
                .map(Some);
        }
        return Err(ApiError::not_authorized(
            "MFA is required, and the user has no factor the pool can use.",
        ));
    }
    let preferred = mfa.preferred.filter(|f| enabled.contains(f));
    let response = match (preferred, enabled.as_slice()) {
        (Some(factor), _) | (None, &[factor]) => start(ctx, user, &offered, factor, device_key).await?,
        _ => {
            let parameters = parameters(user, [("MFAS_CAN_CHOOSE", json_list(&enabled))]);
            let state = ChallengeState::SelectMfaType { options: enabled };
            session::open(ctx, &user.sub, device_key, state, parameters).await?
        }
    };
    Ok(Some(response))
}

fn json_list(factors: &[Factor]) -> String {
    let names: Vec<&str> = factors.iter().map(|f| f.as_str()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

/// A challenge's parameters: `extra` and the user's USER_ID_FOR_SRP.
fn parameters<const N: usize>(user: &User, extra: [(&str, String); N]) -> BTreeMap<String, String> {
    let mut parameters: BTreeMap<String, String> = extra.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    parameters.insert("USER_ID_FOR_SRP".to_owned(), user.username.clone());
    parameters
}

/// Opens the challenge of one factor, sending its code for SMS and email.
async fn start(
    ctx: &Context<'_>,
    user: &User,
    offered: &MfaFactorsConfig,
    factor: Factor,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let destination = match factor {
        Factor::SoftwareToken => {
            let state = ChallengeState::SoftwareTokenMfa { attempts: 0 };
            return session::open(ctx, &user.sub, device_key, state, parameters(user, [])).await;
        }
        Factor::Sms => Destination::phone(user),
        Factor::Email => Destination::email(user),
    }
    .ok_or_else(|| ApiError::invalid_parameter("The user has no destination for the MFA code."))?;
    let code = new_code();
    let (subject, body) = compose(offered, destination.medium, &code, &user.username);
    codes::deliver(ctx.state, ctx.pool, user, &destination, subject, body).await?;
    let sent = CodeSent {
        code_hash: hash_code(&code),
        expires_at: ctx.now() + CODE_LIFETIME,
        attempts: 0,
    };
    let state = match factor {
        Factor::Sms => ChallengeState::SmsMfa(sent),
        _ => ChallengeState::EmailOtp(sent),
    };
    let parameters = parameters(
        user,
        [
            ("CODE_DELIVERY_DELIVERY_MEDIUM", destination.medium.as_str().to_owned()),
            (
                "CODE_DELIVERY_DESTINATION",
                mask(destination.medium, &destination.address),
            ),
        ],
    );
    session::open(ctx, &user.sub, device_key, state, parameters).await
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

fn mismatch() -> ApiError {
    ApiError::new(ErrorCode::CodeMismatch, "Invalid code or auth state for the user.")
}

/// A response parameter, trimmed; a missing one puts the challenge back for another try.
async fn parameter(
    ctx: &Context<'_>,
    challenge: &ChallengeSession,
    responses: &BTreeMap<String, String>,
    name: &str,
) -> ApiResult<String> {
    match responses.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        Some(value) => Ok(value.to_owned()),
        None => {
            let err = ApiError::invalid_parameter(format!("Missing required parameter {name}"));
            session::retry(ctx.state, challenge, err).await
        }
    }
}

/// Answers an MFA challenge, taken and checked to be this client's, pool's and user's.
pub async fn answer(
    ctx: &Context<'_>,
    challenge: ChallengeSession,
    user: User,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let device_key = challenge
        .device_key
        .clone()
        .or_else(|| responses.get("DEVICE_KEY").cloned());
    let device_key = device_key.as_deref();
    match &challenge.state {
        ChallengeState::SoftwareTokenMfa { .. } => {
            let code = parameter(ctx, &challenge, responses, "SOFTWARE_TOKEN_MFA_CODE").await?;
            if !authenticator_code_holds(ctx, &user, &code).await? {
                return session::wrong_answer(ctx.state, challenge, mismatch()).await;
            }
        }
        ChallengeState::SmsMfa(sent) | ChallengeState::EmailOtp(sent) => {
            let key = match challenge.state {
                ChallengeState::SmsMfa(_) => "SMS_MFA_CODE",
                _ => "EMAIL_OTP_CODE",
            };
            let code = parameter(ctx, &challenge, responses, key).await?;
            if sent.expires_at <= ctx.now() {
                return Err(ApiError::new(
                    ErrorCode::ExpiredCode,
                    "The code has expired; sign in again for a new one.",
                ));
            }
            if !code_matches(&code, &sent.code_hash) {
                return session::wrong_answer(ctx.state, challenge, mismatch()).await;
            }
        }
        ChallengeState::SelectMfaType { options } => {
            let answer = parameter(ctx, &challenge, responses, "ANSWER").await?;
            let Some(factor) = Factor::parse(&answer).filter(|f| options.contains(f)) else {
                let err = ApiError::invalid_parameter(format!("ANSWER must be one of {}.", json_list(options)));
                return session::retry(ctx.state, &challenge, err).await;
            };
            let offered = pool_factors(ctx.state, ctx.pool).await?;
            return start(ctx, &user, &offered, factor, device_key).await;
        }
        ChallengeState::MfaSetup { setup_done, .. } => {
            if !setup_done {
                let err = ApiError::invalid_parameter(
                    "Set up the software token first: AssociateSoftwareToken and VerifySoftwareToken with this Session.",
                );
                return session::retry(ctx.state, &challenge, err).await;
            }
        }
        _ => return Err(invalid_session()),
    }
    next_step(ctx, &user, device_key, Proven::SecondFactor).await
}

/// Whether `code` is the user's authenticator-app code now, not used before (it is used up).
async fn authenticator_code_holds(ctx: &Context<'_>, user: &User, code: &str) -> ApiResult<bool> {
    let mfa = ctx.state.store.get_user_mfa(&ctx.pool.id, &user.sub).await?;
    let (Some(sealed), true) = (&mfa.totp_secret, mfa.totp_enabled) else {
        return Ok(false);
    };
    let purpose = crate::vault::purpose::totp(&ctx.pool.id, &user.sub);
    let secret = ctx
        .state
        .vault
        .open_text(&purpose, sealed)
        .map_err(|e| ApiError::internal("authenticator key", e))?;
    match totp::matching_step(&secret, code, ctx.now(), mfa.totp_last_step) {
        Some(step) => Ok(ctx.state.store.use_totp_step(&ctx.pool.id, &user.sub, step).await?),
        None => Ok(false),
    }
}
