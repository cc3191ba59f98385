//! Sign-in: InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH; USER_SRP_AUTH is in
//! [`super::srp_auth`]), RespondToAuthChallenge (NEW_PASSWORD_REQUIRED, PASSWORD_VERIFIER; the MFA
//! challenges are in [`crate::mfa::challenge`]) and GetTokensFromRefreshToken. The admin variants reuse these steps.
//!
//! The server decides every next step; a challenge is answered through a single-use,
//! expiring session bound to the client and the user. Wrong passwords count towards Cognito's
//! lockout: after five, each further attempt is refused for a doubling delay (up to 15 minutes).

use std::collections::BTreeMap;

use cognate_protocol::auth::{
    AuthFlow, AuthResponse, ChallengeName, GetTokensFromRefreshTokenRequest, InitiateAuthRequest,
    RespondToAuthChallengeRequest, TokensResponse,
};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::{AttributeType, UserStatus};

use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{hash_token, new_token};
use crate::password;
use crate::store::{AppClient, ChallengeSession, User, UserPool};
use crate::token;
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::identity;
use crate::user_pool::{
    check_client_secret, check_password, check_secret_hash, client_allows, hides_user_existence, load_client,
};
use crate::AppState;

/// Failed password attempts allowed before the lockout delays start.
pub const FREE_ATTEMPTS: i64 = 5;
/// The longest lockout delay, in seconds.
pub const MAX_LOCKOUT: i64 = 900;

pub(crate) fn required_parameter<'a>(parameters: &'a BTreeMap<String, String>, name: &str) -> ApiResult<&'a str> {
    parameters
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}

pub async fn initiate_auth(state: &AppState, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    initiate(state, request, false).await
}

/// InitiateAuth from the hosted login page: an app client with the OAuth code flow signs users in
/// there with USER_SRP_AUTH or USER_PASSWORD_AUTH even when its ExplicitAuthFlows leave them out,
/// as Cognito's hosted UI does whatever the client's explicit flows.
pub async fn initiate_auth_hosted(state: &AppState, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    initiate(state, request, true).await
}

async fn initiate(state: &AppState, request: InitiateAuthRequest, hosted: bool) -> ApiResult<AuthResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    let hosted = hosted
        && client.settings.allowed_oauth_flows_user_pool_client
        && client
            .settings
            .allowed_oauth_flows
            .iter()
            .any(|f| f == "code" || f == "implicit");
    let flow = request
        .auth_flow
        .ok_or_else(|| ApiError::invalid_parameter("AuthFlow is required."))?;
    match flow {
        AuthFlow::UserPasswordAuth => {
            if !client_allows(&client, "ALLOW_USER_PASSWORD_AUTH") && !hosted {
                return Err(ApiError::invalid_parameter(
                    "USER_PASSWORD_AUTH flow not enabled for this client",
                ));
            }
            password_sign_in(state, &pool, &client, &request.auth_parameters).await
        }
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            let token = required_parameter(&request.auth_parameters, "REFRESH_TOKEN")?;
            let result = refresh(state, &pool, &client, token).await?;
            Ok(AuthResponse {
                authentication_result: Some(result),
                ..Default::default()
            })
        }
        AuthFlow::AdminNoSrpAuth | AuthFlow::AdminUserPasswordAuth => Err(ApiError::invalid_parameter(format!(
            "{} is only accepted by AdminInitiateAuth",
            flow.as_str()
        ))),
        AuthFlow::UserSrpAuth => {
            if !client_allows(&client, "ALLOW_USER_SRP_AUTH") && !hosted {
                return Err(ApiError::invalid_parameter(
                    "USER_SRP_AUTH flow not enabled for this client",
                ));
            }
            super::srp_auth::initiate(state, &pool, &client, &request.auth_parameters).await
        }
        AuthFlow::CustomAuth | AuthFlow::UserAuth => Err(ApiError::invalid_parameter(
            "This AuthFlow is not supported by this server yet; use USER_SRP_AUTH or USER_PASSWORD_AUTH.",
        )),
    }
}

/// The password step shared by USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH.
pub async fn password_sign_in(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let username = required_parameter(parameters, "USERNAME")?;
    let password = required_parameter(parameters, "PASSWORD")?;
    check_secret_hash(client, username, parameters.get("SECRET_HASH").map(String::as_str))?;
    let now = state.clock.now();
    let user = identity::find_user(state, pool, username).await?;
    let Some(mut user) = user else {
        password::verify(password, None).await?;
        return Err(if hides_user_existence(client) {
            ApiError::bad_credentials()
        } else {
            ApiError::user_not_found()
        });
    };
    if let Some(refusal) = refusal_before_password(&user, now) {
        if user.locked_until <= now {
            // The same work as a password check, whatever was typed.
            password::verify(password, None).await?;
        }
        return Err(refusal);
    }
    let verified = password::verify(password, user.password_hash.as_deref()).await?;
    if verified && user.srp.is_none() {
        // A password set before SRP verifiers were kept: keep one now, so USER_SRP_AUTH works.
        user.srp = Some(crate::srp::credentials(&user.pool_id, &user.username, password).await?);
        state.store.update_user(&user).await?;
    }
    let device_key = parameters.get("DEVICE_KEY").map(String::as_str);
    after_password(state, pool, client, user, verified, device_key).await
}

/// Refusals before any password proof is looked at: a locked-out user, and an imported user
/// without a password (who must reset it first, whatever was typed).
pub(crate) fn refusal_before_password(user: &User, now: i64) -> Option<ApiError> {
    if user.locked_until > now {
        return Some(ApiError::not_authorized("Password attempts exceeded"));
    }
    if user.status == UserStatus::ResetRequired && user.password_hash.is_none() {
        return Some(ApiError::new(
            ErrorCode::PasswordResetRequired,
            "Password reset required for the user",
        ));
    }
    None
}

/// What follows a password proof (USER_PASSWORD_AUTH's password, USER_SRP_AUTH's signature):
/// a wrong one counts towards the lockout; a right one gives tokens or the next challenge,
/// unless the user is disabled, unconfirmed or must reset their password. `device_key` is the
/// DEVICE_KEY the client signs in with.
pub(crate) async fn after_password(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    mut user: User,
    verified: bool,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let now = state.clock.now();
    if !verified {
        user.failed_attempts += 1;
        if user.failed_attempts >= FREE_ATTEMPTS {
            let exponent = (user.failed_attempts - FREE_ATTEMPTS).min(10) as u32;
            user.locked_until = now + (1i64 << exponent).min(MAX_LOCKOUT);
        }
        state.store.update_user(&user).await?;
        return Err(if user.failed_attempts > FREE_ATTEMPTS {
            ApiError::not_authorized("Password attempts exceeded")
        } else {
            ApiError::bad_credentials()
        });
    }
    if user.failed_attempts != 0 || user.locked_until != 0 {
        user.failed_attempts = 0;
        user.locked_until = 0;
        state.store.update_user(&user).await?;
    }
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    match user.status {
        UserStatus::Unconfirmed => Err(ApiError::new(ErrorCode::UserNotConfirmed, "User is not confirmed.")),
        UserStatus::ResetRequired => Err(ApiError::new(
            ErrorCode::PasswordResetRequired,
            "Password reset required for the user",
        )),
        UserStatus::ForceChangePassword => {
            if user.password_expires_at.is_some_and(|t| t <= now) {
                return Err(ApiError::not_authorized(
                    "Temporary password has expired and must be reset by an administrator.",
                ));
            }
            new_password_challenge(state, pool, client, &user, device_key).await
        }
        _ => crate::mfa::challenge::after_first_factor(state, pool, client, &user, device_key).await,
    }
}

/// Opens a NEW_PASSWORD_REQUIRED challenge for a user with a temporary password.
async fn new_password_challenge(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<AuthResponse> {
    let session = new_token(96);
    let minutes = client.settings.auth_session_validity.unwrap_or(3);
    state
        .store
        .insert_challenge(&ChallengeSession {
            id_hash: hash_token(&session),
            pool_id: pool.id.clone(),
            client_id: client.client_id.clone(),
            sub: user.sub.clone(),
            challenge: ChallengeName::NewPasswordRequired.as_str().to_owned(),
            expires_at: state.clock.now() + minutes * 60,
            srp: None,
            mfa: None,
            device_key: device_key.map(str::to_owned),
        })
        .await?;
    let shown: BTreeMap<&String, &String> = user
        .attributes
        .iter()
        .filter(|(k, _)| !k.ends_with("_verified"))
        .collect();
    let missing: Vec<String> = attributes::required(pool)
        .into_iter()
        .filter(|name| user.attributes.get(name).is_none_or(|v| v.is_empty()))
        .map(|name| format!("userAttributes.{name}"))
        .collect();
    let challenge_parameters = BTreeMap::from([
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        (
            "requiredAttributes".to_owned(),
            serde_json::to_string(&missing).unwrap_or_else(|_| "[]".into()),
        ),
        (
            "userAttributes".to_owned(),
            serde_json::to_string(&shown).unwrap_or_else(|_| "{}".into()),
        ),
    ]);
    Ok(AuthResponse {
        challenge_name: Some(ChallengeName::NewPasswordRequired),
        session: Some(session),
        challenge_parameters,
        authentication_result: None,
    })
}

pub async fn respond_to_auth_challenge(
    state: &AppState,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    answer_challenge(state, &pool, &client, request).await
}

pub(crate) fn invalid_session() -> ApiError {
    ApiError::not_authorized("Invalid session for the user, session is expired.")
}

/// Answers a challenge; shared with AdminRespondToAuthChallenge.
pub async fn answer_challenge(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let responses = &request.challenge_responses;
    let session_token = request
        .session
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or_else(invalid_session)?;
    let challenge = state
        .store
        .take_challenge(&hash_token(session_token))
        .await?
        .ok_or_else(invalid_session)?;
    if challenge.expires_at <= state.clock.now()
        || challenge.client_id != client.client_id
        || challenge.pool_id != pool.id
        || challenge.challenge != request.challenge_name.as_str()
    {
        return Err(invalid_session());
    }
    if request.challenge_name == ChallengeName::PasswordVerifier {
        return super::srp_auth::answer(state, pool, client, responses, challenge).await;
    }
    let mut user = state
        .store
        .get_user_by_sub(&pool.id, &challenge.sub)
        .await?
        .ok_or_else(invalid_session)?;
    let username = required_parameter(responses, "USERNAME")?;
    if identity::username_key(pool, username) != user.username_key
        && identity::find_user(state, pool, username).await?.map(|u| u.sub) != Some(user.sub.clone())
    {
        return Err(invalid_session());
    }
    check_secret_hash(client, username, responses.get("SECRET_HASH").map(String::as_str))?;
    match request.challenge_name {
        ChallengeName::NewPasswordRequired => {
            let outcome = complete_new_password(state, pool, responses, &mut user).await;
            if outcome.is_err() {
                // A refused answer leaves the challenge open for another try.
                state.store.insert_challenge(&challenge).await?;
            }
            outcome?;
            let device_key = challenge
                .device_key
                .as_deref()
                .or(responses.get("DEVICE_KEY").map(String::as_str));
            crate::mfa::challenge::after_first_factor(state, pool, client, &user, device_key).await
        }
        ChallengeName::SoftwareTokenMfa
        | ChallengeName::SmsMfa
        | ChallengeName::EmailOtp
        | ChallengeName::SelectMfaType
        | ChallengeName::MfaSetup => {
            crate::mfa::challenge::answer(state, pool, client, challenge, user, &request).await
        }
        ChallengeName::DeviceSrpAuth => {
            crate::device::challenge::answer_srp_auth(state, pool, client, &user, challenge, responses).await
        }
        ChallengeName::DevicePasswordVerifier => {
            crate::device::challenge::answer_password_verifier(state, pool, client, &user, challenge, responses).await
        }
        other => Err(ApiError::invalid_parameter(format!(
            "Challenge {} is not supported here.",
            other.as_str()
        ))),
    }
}

async fn complete_new_password(
    state: &AppState,
    pool: &UserPool,
    responses: &BTreeMap<String, String>,
    user: &mut User,
) -> ApiResult<()> {
    let new_password = required_parameter(responses, "NEW_PASSWORD")?;
    check_password(pool, new_password)?;
    let given: Vec<AttributeType> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.")
                .map(|name| AttributeType::new(name, v.clone()))
        })
        .collect();
    let updates = attributes::validate(pool, &given, Writer::User)?;
    let mut merged = user.attributes.clone();
    merged.extend(updates);
    attributes::check_required(pool, &merged)?;
    user.attributes = merged;
    password::set(user, new_password).await?;
    user.status = UserStatus::Confirmed;
    user.password_expires_at = None;
    user.updated_at = state.clock.now();
    identity::refresh_sign_in_keys(pool, user);
    match state.store.update_user(user).await {
        Ok(_) => Ok(()),
        Err(crate::store::StoreError::Conflict(key)) => Err(super::sign_up::conflict_error(key)),
        Err(e) => Err(e.into()),
    }
}

fn invalid_refresh() -> ApiError {
    ApiError::not_authorized("Invalid Refresh Token")
}

/// Issues new tokens for a refresh token; rotates it when the client asks for rotation.
pub async fn refresh(
    state: &AppState,
    pool: &UserPool,
    client: &AppClient,
    refresh_token: &str,
) -> ApiResult<cognate_protocol::auth::AuthenticationResult> {
    let now = state.clock.now();
    let old_hash = hash_token(refresh_token);
    let session = state
        .store
        .get_session_by_refresh(&old_hash)
        .await?
        .ok_or_else(invalid_refresh)?;
    if session.client_id != client.client_id || session.pool_id != pool.id {
        return Err(invalid_refresh());
    }
    if session.revoked {
        return Err(ApiError::not_authorized("Refresh Token has been revoked"));
    }
    if session.expires_at <= now {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    let user = state
        .store
        .get_user_by_sub(&pool.id, &session.sub)
        .await?
        .ok_or_else(invalid_refresh)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let rotate = client
        .settings
        .refresh_token_rotation
        .as_ref()
        .and_then(|r| r.feature.as_deref())
        == Some("ENABLED");
    let mut result = token::issue(state, pool, client, &user, &session).await?;
    if rotate {
        let next = new_token(64);
        let expires = now + token::lifetimes(&client.settings).refresh;
        if !state
            .store
            .rotate_refresh(&session.origin_jti, &old_hash, &hash_token(&next), expires)
            .await?
        {
            return Err(invalid_refresh());
        }
        result.refresh_token = Some(next);
    }
    Ok(result)
}

pub async fn get_tokens_from_refresh_token(
    state: &AppState,
    request: GetTokensFromRefreshTokenRequest,
) -> ApiResult<TokensResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_client_secret(&client, request.client_secret.as_deref())?;
    if request.refresh_token.is_empty() {
        return Err(ApiError::invalid_parameter("RefreshToken is required."));
    }
    let result = refresh(state, &pool, &client, &request.refresh_token).await?;
    Ok(TokensResponse {
        authentication_result: result,
    })
}
