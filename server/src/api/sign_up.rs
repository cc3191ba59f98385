//! Sign-up and recovery: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
//! ConfirmForgotPassword.
//!
//! With `PreventUserExistenceErrors: ENABLED` (Cognate's default) none of these tells whether
//! a username is taken: a duplicate SignUp and a reset for an unknown user answer like the real
//! thing and send nothing.
//!
//! A SignUp whose confirmation code cannot be delivered answers `CodeDeliveryFailureException`
//! and leaves no user behind.

use std::collections::BTreeMap;

use cognate_protocol::user::{
    ClientUserRequest, CodeDeliveryDetails, CodeDeliveryResponse, ConfirmForgotPasswordRequest, ConfirmSignUpRequest,
    SignUpRequest, SignUpResponse, UserStatus,
};

use super::pools::Empty;
use crate::delivery::{mask, Medium};
use crate::error::{ApiError, ApiResult};
use crate::password;
use crate::state::AppState;
use crate::store::{CodePurpose, StoreError};
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::codes::{self, Destination};
use crate::user_pool::identity::{self, conflict_error, looks_like_email};
use crate::user_pool::{check_password, check_secret_hash, hides_user_existence, load_client};

/// What a client that hides user existence answers instead of a code delivery.
fn simulated_delivery(username: &str, attributes: &BTreeMap<String, String>) -> CodeDeliveryDetails {
    let email = attributes
        .get("email")
        .cloned()
        .or_else(|| looks_like_email(username).then(|| username.to_owned()));
    CodeDeliveryDetails {
        destination: mask(Medium::Email, email.as_deref().unwrap_or("user@example.com")),
        delivery_medium: "EMAIL".into(),
        attribute_name: "email".into(),
    }
}

pub async fn sign_up(state: &AppState, request: SignUpRequest) -> ApiResult<SignUpResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_secret_hash(&client, &request.username, request.secret_hash.as_deref())?;
    if pool.settings.admin_create_user_config.allow_admin_create_user_only {
        return Err(ApiError::not_authorized("SignUp is not permitted for this user pool"));
    }
    let password = request
        .password
        .as_ref()
        .map(|p| p.expose())
        .ok_or_else(|| ApiError::invalid_parameter("Password is required."))?;
    check_password(&pool, password)?;
    let mut attributes = attributes::validate(&pool, &request.user_attributes, Writer::User)?;
    let sub = uuid::Uuid::new_v4().to_string();
    let username = identity::new_username(&pool, &request.username, &sub, &mut attributes)?;
    attributes::check_required(&pool, &attributes)?;
    let now = state.clock.now();
    let mut user = identity::new_user(&pool, sub.clone(), username, UserStatus::Unconfirmed, attributes, now);
    password::set(state, &mut user, password).await?;
    match state.store.insert_user(&user).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) if hides_user_existence(&client) => {
            let destination =
                Destination::for_sign_up(&pool, &user).map(|_| simulated_delivery(&request.username, &user.attributes));
            return Ok(SignUpResponse {
                user_confirmed: false,
                code_delivery_details: destination,
                user_sub: sub,
            });
        }
        Err(StoreError::Conflict(key)) => return Err(conflict_error(key)),
        Err(e) => return Err(e.into()),
    }
    let code_delivery_details = match Destination::for_sign_up(&pool, &user) {
        Some(destination) => match codes::send(state, &pool, &user, CodePurpose::SignUp, &destination).await {
            Ok(details) => Some(details),
            Err(err) => {
                // Nobody got a code to confirm this account with: take it back, so the username is
                // free to sign up again once delivery works.
                if let Err(cleanup) = state.store.delete_user(&pool.id, &user.sub).await {
                    tracing::error!(error = %cleanup, "an undeliverable sign-up could not be taken back");
                }
                return Err(err);
            }
        },
        None => None,
    };
    Ok(SignUpResponse {
        user_confirmed: false,
        code_delivery_details,
        user_sub: sub,
    })
}

pub async fn confirm_sign_up(state: &AppState, request: ConfirmSignUpRequest) -> ApiResult<Empty> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_secret_hash(&client, &request.username, request.secret_hash.as_deref())?;
    let user = match identity::find_user(state, &pool, &request.username).await? {
        Some(user) => user,
        None if hides_user_existence(&client) => return Err(codes::mismatch()),
        None => return Err(ApiError::user_not_found()),
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    codes::consume(state, &pool, &user, CodePurpose::SignUp, &request.confirmation_code).await?;
    let mut user = user;
    if let Some(destination) = Destination::for_sign_up(&pool, &user) {
        user.attributes
            .insert(format!("{}_verified", destination.attribute), "true".into());
    }
    user.status = UserStatus::Confirmed;
    identity::save_with_aliases(state, &pool, user, request.force_alias_creation).await?;
    Ok(Empty {})
}

pub async fn resend_confirmation_code(state: &AppState, request: ClientUserRequest) -> ApiResult<CodeDeliveryResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_secret_hash(&client, &request.username, request.secret_hash.as_deref())?;
    let user = match identity::find_user(state, &pool, &request.username).await? {
        Some(user) => user,
        None if hides_user_existence(&client) => {
            return Ok(CodeDeliveryResponse {
                code_delivery_details: simulated_delivery(&request.username, &BTreeMap::new()),
            })
        }
        None => return Err(ApiError::user_not_found()),
    };
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::invalid_parameter("User is already confirmed."));
    }
    let destination = Destination::for_sign_up(&pool, &user)
        .ok_or_else(|| ApiError::invalid_parameter("Auto verification not turned on."))?;
    let details = codes::send(state, &pool, &user, CodePurpose::SignUp, &destination).await?;
    Ok(CodeDeliveryResponse {
        code_delivery_details: details,
    })
}

pub async fn forgot_password(state: &AppState, request: ClientUserRequest) -> ApiResult<CodeDeliveryResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_secret_hash(&client, &request.username, request.secret_hash.as_deref())?;
    let user = match identity::find_user(state, &pool, &request.username).await? {
        Some(user) => user,
        None if hides_user_existence(&client) => {
            return Ok(CodeDeliveryResponse {
                code_delivery_details: simulated_delivery(&request.username, &BTreeMap::new()),
            })
        }
        None => return Err(ApiError::user_not_found()),
    };
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let destination = Destination::for_reset(&user).ok_or_else(|| {
        ApiError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        )
    })?;
    let details = codes::send(state, &pool, &user, CodePurpose::ResetPassword, &destination).await?;
    Ok(CodeDeliveryResponse {
        code_delivery_details: details,
    })
}

pub async fn confirm_forgot_password(state: &AppState, request: ConfirmForgotPasswordRequest) -> ApiResult<Empty> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_secret_hash(&client, &request.username, request.secret_hash.as_deref())?;
    let user = match identity::find_user(state, &pool, &request.username).await? {
        Some(user) => user,
        None if hides_user_existence(&client) => return Err(codes::mismatch()),
        None => return Err(ApiError::user_not_found()),
    };
    check_password(&pool, request.password.expose())?;
    codes::consume(
        state,
        &pool,
        &user,
        CodePurpose::ResetPassword,
        &request.confirmation_code,
    )
    .await?;
    let mut user = user;
    password::set(state, &mut user, request.password.expose()).await?;
    user.status = UserStatus::Confirmed;
    user.password_expires_at = None;
    user.updated_at = state.clock.now();
    state.store.update_user(&user).await?;
    state.store.clear_failed_passwords(&pool.id, &user.sub, None).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}
