//! MFA operations: SetUserPoolMfaConfig and GetUserPoolMfaConfig (admin), AssociateSoftwareToken
//! and VerifySoftwareToken (by access token, or by the session of an MFA_SETUP challenge),
//! SetUserMFAPreference and AdminSetUserMFAPreference. The challenges themselves are in
//! [`crate::sign_in::mfa`].

use cognate_protocol::error::ErrorCode;
use cognate_protocol::ids::Session;
use cognate_protocol::mfa::{
    AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse, MfaSettings, SetUserMfaPreferenceRequest,
    SetUserPoolMfaConfigRequest, UserPoolMfaConfigResponse, VerifySoftwareTokenRequest, VerifySoftwareTokenResponse,
    MFA_OFF, MFA_ON, MFA_OPTIONAL,
};
use cognate_protocol::user_pool::UserPoolIdRequest;

use super::pools::Empty;
use crate::error::{ApiError, ApiResult};
use crate::mfa::factors::{offers, pool_factors, Factor, Mode};
use crate::mfa::totp;
use crate::sign_in::challenge::{ChallengeSession, ChallengeState};
use crate::sign_in::session::{self, invalid_session};
use crate::state::AppState;
use crate::store::{User, UserMfa};
use crate::token::{authenticate, Authenticated};
use crate::user_pool::identity;
use crate::user_pool::load_pool;

fn check_template(name: &str, template: Option<&str>, max: usize) -> ApiResult<()> {
    if let Some(template) = template {
        if !template.contains("{####}") || template.chars().count() > max {
            return Err(ApiError::invalid_parameter(format!(
                "{name} must contain the code placeholder {{####}} and be at most {max} characters."
            )));
        }
    }
    Ok(())
}

pub async fn set_user_pool_mfa_config(
    state: &AppState,
    request: SetUserPoolMfaConfigRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
    let mut pool = load_pool(state, &request.user_pool_id).await?;
    let mode = request
        .mfa_configuration
        .clone()
        .unwrap_or_else(|| Mode::of(&pool).as_str().to_owned());
    if ![MFA_OFF, MFA_OPTIONAL, MFA_ON].contains(&mode.as_str()) {
        return Err(ApiError::invalid_parameter(format!(
            "MfaConfiguration must be OFF, OPTIONAL or ON, not {mode:?}."
        )));
    }
    let factors = request.factors;
    if let Some(email) = &factors.email_mfa_configuration {
        check_template("EmailMfaConfiguration.Message", email.message.as_deref(), 20_000)?;
        if email
            .subject
            .as_ref()
            .is_some_and(|s| s.is_empty() || s.chars().count() > 140)
        {
            return Err(ApiError::invalid_parameter(
                "EmailMfaConfiguration.Subject must be 1 to 140 characters.",
            ));
        }
    }
    if let Some(sms) = &factors.sms_mfa_configuration {
        check_template(
            "SmsMfaConfiguration.SmsAuthenticationMessage",
            sms.sms_authentication_message.as_deref(),
            140,
        )?;
    }
    if mode != MFA_OFF && !Factor::ALL.into_iter().any(|f| offers(&factors, f)) {
        return Err(ApiError::invalid_parameter(
            "Invalid MFA configuration given, can't turn off all MFAs and set MFA to be ON/OPTIONAL",
        ));
    }
    state.store.put_pool_mfa(&pool.id, &factors).await?;
    pool.settings.mfa_configuration = Some(mode.clone());
    pool.updated_at = state.clock.now();
    state.store.update_pool(&pool).await?;
    state.pools.invalidate(&pool.id);
    Ok(UserPoolMfaConfigResponse {
        mfa_configuration: mode,
        factors,
    })
}

pub async fn get_user_pool_mfa_config(
    state: &AppState,
    request: UserPoolIdRequest,
) -> ApiResult<UserPoolMfaConfigResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    Ok(UserPoolMfaConfigResponse {
        mfa_configuration: Mode::of(&pool).as_str().to_owned(),
        factors: pool_factors(state, &pool).await?,
    })
}

/// Who a software-token call is for: a signed-in user, or the user of an MFA_SETUP challenge
/// (taken; it must be opened again under a new session to go on).
enum Caller {
    Signed(Box<User>),
    Setup(Box<ChallengeSession>, Box<User>),
}

impl Caller {
    fn user(&self) -> &User {
        match self {
            Caller::Signed(user) | Caller::Setup(_, user) => user,
        }
    }
}

async fn caller(state: &AppState, access_token: Option<&str>, session: Option<&str>) -> ApiResult<Caller> {
    match (
        access_token.filter(|t| !t.is_empty()),
        session.filter(|s| !s.is_empty()),
    ) {
        (Some(token), _) => {
            let Authenticated { user, .. } = authenticate(state, token).await?;
            Ok(Caller::Signed(Box::new(user)))
        }
        (None, Some(handle)) => {
            let challenge = session::take_live(state, handle).await?;
            if !matches!(challenge.state, ChallengeState::MfaSetup { .. }) {
                return Err(invalid_session());
            }
            let user = state
                .store
                .get_user_by_sub(&challenge.pool_id, &challenge.sub)
                .await?
                .ok_or_else(invalid_session)?;
            Ok(Caller::Setup(Box::new(challenge), Box::new(user)))
        }
        (None, None) => Err(ApiError::invalid_parameter("AccessToken or Session is required.")),
    }
}

pub async fn associate_software_token(
    state: &AppState,
    request: AssociateSoftwareTokenRequest,
) -> ApiResult<AssociateSoftwareTokenResponse> {
    let caller = caller(
        state,
        request.access_token.as_deref(),
        request.session.as_ref().map(|s| s.expose()),
    )
    .await?;
    let user = caller.user();
    let mut mfa = state.store.get_user_mfa(&user.pool_id, &user.sub).await?;
    let secret = totp::new_secret();
    let purpose = crate::vault::purpose::totp(&user.pool_id, &user.sub);
    mfa.totp_pending = Some(state.vault.seal_text(&purpose, &secret));
    state.store.put_user_mfa(&user.pool_id, &user.sub, &mfa).await?;
    let session = match caller {
        Caller::Setup(challenge, _) => Some(Session::new(session::renew(state, *challenge).await?)),
        Caller::Signed(_) => None,
    };
    Ok(AssociateSoftwareTokenResponse {
        secret_code: secret,
        session,
    })
}

fn not_associated() -> ApiError {
    ApiError::new(
        ErrorCode::SoftwareTokenMFANotFound,
        "Software token MFA has not been associated with the user; call AssociateSoftwareToken first.",
    )
}

pub async fn verify_software_token(
    state: &AppState,
    request: VerifySoftwareTokenRequest,
) -> ApiResult<VerifySoftwareTokenResponse> {
    if request.user_code.trim().len() != totp::DIGITS as usize {
        return Err(ApiError::invalid_parameter("UserCode must be a 6-digit code."));
    }
    let caller = caller(
        state,
        request.access_token.as_deref(),
        request.session.as_ref().map(|s| s.expose()),
    )
    .await?;
    let user = caller.user().clone();
    let mut mfa = state.store.get_user_mfa(&user.pool_id, &user.sub).await?;
    let Some(pending) = mfa.totp_pending.clone() else {
        if let Caller::Setup(challenge, _) = caller {
            session::put_back(state, &challenge).await?;
        }
        return Err(not_associated());
    };
    let purpose = crate::vault::purpose::totp(&user.pool_id, &user.sub);
    let secret = state
        .vault
        .open_text(&purpose, &pending)
        .map_err(|e| ApiError::internal("authenticator key", e))?;
    let step = totp::matching_step(&secret, &request.user_code, state.clock.now(), mfa.totp_last_step);
    let Some(step) = step else {
        let err = ApiError::new(
            ErrorCode::EnableSoftwareTokenMFA,
            "Code mismatch and fail enable Software Token MFA",
        );
        return match caller {
            Caller::Setup(challenge, _) => session::wrong_answer(state, *challenge, err).await,
            Caller::Signed(_) => Err(err),
        };
    };
    mfa.totp_secret = Some(pending);
    mfa.totp_pending = None;
    mfa.totp_last_step = step;
    mfa.totp_device_name = request.friendly_device_name.filter(|n| !n.is_empty());
    let session = match caller {
        Caller::Setup(mut challenge, _) => {
            // Setting up during sign-in turns the factor on, as Cognito does.
            mfa.totp_enabled = true;
            if mfa.preferred.is_none() {
                mfa.preferred = Some(Factor::SoftwareToken);
            }
            challenge.state = ChallengeState::MfaSetup {
                setup_done: true,
                attempts: 0,
            };
            state.store.put_user_mfa(&user.pool_id, &user.sub, &mfa).await?;
            Some(Session::new(session::renew(state, *challenge).await?))
        }
        Caller::Signed(_) => {
            state.store.put_user_mfa(&user.pool_id, &user.sub, &mfa).await?;
            None
        }
    };
    Ok(VerifySoftwareTokenResponse {
        status: "SUCCESS".to_owned(),
        session,
    })
}

/// Applies one factor's settings of a SetUserMFAPreference call.
fn apply(mfa: &mut UserMfa, user: &User, factor: Factor, settings: MfaSettings) -> ApiResult<()> {
    if let Some(enabled) = settings.enabled {
        if enabled {
            match factor {
                Factor::SoftwareToken if mfa.totp_secret.is_none() => {
                    return Err(ApiError::invalid_parameter("User has not verified software token mfa"));
                }
                Factor::Sms | Factor::Email if !factor.reachable(user, false) => {
                    return Err(ApiError::invalid_parameter(format!(
                        "User has no {} for {}.",
                        if factor == Factor::Sms { "phone_number" } else { "email" },
                        factor.as_str()
                    )));
                }
                _ => {}
            }
        }
        match factor {
            Factor::SoftwareToken => mfa.totp_enabled = enabled,
            Factor::Sms => mfa.sms_enabled = enabled,
            Factor::Email => mfa.email_enabled = enabled,
        }
    }
    let is_preferred = mfa.preferred == Some(factor);
    match settings.preferred_mfa {
        Some(true) => {
            if !factor.enabled_for(mfa) {
                return Err(ApiError::invalid_parameter(format!(
                    "{} must be enabled to be the preferred MFA.",
                    factor.as_str()
                )));
            }
            mfa.preferred = Some(factor);
        }
        Some(false) if is_preferred => mfa.preferred = None,
        _ if is_preferred && !factor.enabled_for(mfa) => mfa.preferred = None,
        _ => {}
    }
    Ok(())
}

async fn set_preference(state: &AppState, user: &User, request: &SetUserMfaPreferenceRequest) -> ApiResult<Empty> {
    let mut mfa = state.store.get_user_mfa(&user.pool_id, &user.sub).await?;
    for (factor, settings) in [
        (Factor::Sms, request.sms_mfa_settings),
        (Factor::SoftwareToken, request.software_token_mfa_settings),
        (Factor::Email, request.email_mfa_settings),
    ] {
        if let Some(settings) = settings {
            apply(&mut mfa, user, factor, settings)?;
        }
    }
    state.store.put_user_mfa(&user.pool_id, &user.sub, &mfa).await?;
    Ok(Empty {})
}

pub async fn set_user_mfa_preference(state: &AppState, request: SetUserMfaPreferenceRequest) -> ApiResult<Empty> {
    let token = request
        .access_token
        .as_deref()
        .ok_or_else(|| ApiError::invalid_parameter("AccessToken is required."))?;
    let Authenticated { user, .. } = authenticate(state, token).await?;
    set_preference(state, &user, &request).await
}

pub async fn admin_set_user_mfa_preference(state: &AppState, request: SetUserMfaPreferenceRequest) -> ApiResult<Empty> {
    let pool = load_pool(state, request.user_pool_id.as_deref().unwrap_or("")).await?;
    let username = request
        .username
        .as_deref()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("Username is required."))?;
    let user = identity::require_user(state, &pool, username).await?;
    set_preference(state, &user, &request).await
}
