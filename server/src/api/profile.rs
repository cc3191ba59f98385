//! What a signed-in user does with their access token: GetUser, UpdateUserAttributes,
//! GetUserAttributeVerificationCode, VerifyUserAttribute, DeleteUserAttributes, ChangePassword,
//! GlobalSignOut, DeleteUser — and RevokeToken, authorised by the refresh token itself.

use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::{
    AccessTokenRequest, AttributeVerificationCodeRequest, ChangePasswordRequest, CodeDeliveryResponse,
    DeleteUserAttributesRequest, GetUserResponse, RevokeTokenRequest, UpdateUserAttributesRequest,
    UpdateUserAttributesResponse, VerifyUserAttributeRequest,
};

use super::admin_users::{apply_attribute_changes, remove_attributes};
use super::pools::Empty;
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::hash_token;
use crate::password;
use crate::state::AppState;
use crate::store::CodePurpose;
use crate::token::{authenticate, Authenticated};
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::codes::{self, Destination};
use crate::user_pool::identity::save_with_aliases;
use crate::user_pool::{check_client_secret, check_password, load_client};

pub async fn get_user(state: &AppState, request: AccessTokenRequest) -> ApiResult<GetUserResponse> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    // The MFA settings are read only in pools with MFA: GetUser stays one cached read otherwise.
    let mfa = if crate::mfa::factors::Mode::of(&pool) == crate::mfa::factors::Mode::Off {
        Default::default()
    } else {
        crate::mfa::factors::user_fields(state, &user).await?
    };
    Ok(GetUserResponse {
        user_attributes: attributes::of_user(&user),
        username: user.username,
        mfa,
    })
}

pub async fn update_user_attributes(
    state: &AppState,
    request: UpdateUserAttributesRequest,
) -> ApiResult<UpdateUserAttributesResponse> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    let updates = attributes::validate(&pool, &request.user_attributes, Writer::User)?;
    let code_delivery_details_list = apply_attribute_changes(state, &pool, user, updates, true).await?;
    Ok(UpdateUserAttributesResponse {
        code_delivery_details_list,
    })
}

/// Finds where a user's attribute can be reached.
type DestinationOf = fn(&crate::store::User) -> Option<Destination>;

fn verification(attribute: &str) -> ApiResult<(CodePurpose, DestinationOf)> {
    match attribute {
        "email" => Ok((CodePurpose::VerifyEmail, Destination::email)),
        "phone_number" => Ok((CodePurpose::VerifyPhone, Destination::phone)),
        other => Err(ApiError::invalid_parameter(format!(
            "Attribute {other} cannot be verified; only email and phone_number can."
        ))),
    }
}

pub async fn get_user_attribute_verification_code(
    state: &AppState,
    request: AttributeVerificationCodeRequest,
) -> ApiResult<CodeDeliveryResponse> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    let (purpose, destination) = verification(&request.attribute_name)?;
    let destination = destination(&user)
        .ok_or_else(|| ApiError::invalid_parameter(format!("The user has no {} to verify.", request.attribute_name)))?;
    let details = codes::send(state, &pool, &user, purpose, &destination).await?;
    Ok(CodeDeliveryResponse {
        code_delivery_details: details,
    })
}

pub async fn verify_user_attribute(state: &AppState, request: VerifyUserAttributeRequest) -> ApiResult<Empty> {
    let Authenticated { pool, mut user, .. } = authenticate(state, &request.access_token).await?;
    let (purpose, _) = verification(&request.attribute_name)?;
    codes::consume(state, &pool, &user, purpose, &request.code).await?;
    user.attributes
        .insert(format!("{}_verified", request.attribute_name), "true".into());
    save_with_aliases(state, &pool, user, false).await?;
    Ok(Empty {})
}

pub async fn delete_user_attributes(state: &AppState, request: DeleteUserAttributesRequest) -> ApiResult<Empty> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    remove_attributes(state, &pool, user, &request.user_attribute_names).await?;
    Ok(Empty {})
}

pub async fn change_password(state: &AppState, request: ChangePasswordRequest) -> ApiResult<Empty> {
    let Authenticated { pool, mut user, .. } = authenticate(state, &request.access_token).await?;
    let previous = request.previous_password.as_ref().map_or("", |p| p.expose());
    if !password::verify(&state.work, previous, user.password_hash.as_deref()).await? {
        return Err(ApiError::bad_credentials());
    }
    check_password(&pool, request.proposed_password.expose())?;
    password::set(state, &mut user, request.proposed_password.expose()).await?;
    user.updated_at = state.clock.now();
    state.store.update_user(&user).await?;
    // The refresh tokens stay valid, as on Cognito; the hosted page asks for the new password.
    state.store.delete_user_hosted_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn global_sign_out(state: &AppState, request: AccessTokenRequest) -> ApiResult<Empty> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn delete_user(state: &AppState, request: AccessTokenRequest) -> ApiResult<Empty> {
    let Authenticated { pool, user, .. } = authenticate(state, &request.access_token).await?;
    state.store.delete_user(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

/// Revokes a refresh token and every access token issued from it. An unknown token is not an
/// error (RFC 7009 §2.2); a token of another client is.
pub async fn revoke_token(state: &AppState, request: RevokeTokenRequest) -> ApiResult<Empty> {
    let (_, client) = load_client(state, &request.client_id).await?;
    check_client_secret(&client, request.client_secret.as_deref())?;
    if client.settings.enable_token_revocation == Some(false) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedOperation,
            "Token revocation is not enabled for this client.",
        ));
    }
    if let Some(session) = state.store.get_session_by_refresh(&hash_token(&request.token)).await? {
        if session.client_id != client.client_id {
            return Err(ApiError::new(
                ErrorCode::UnsupportedTokenType,
                "The token was not issued to this client.",
            ));
        }
        state.store.revoke_session(&session.origin_jti).await?;
    }
    Ok(Empty {})
}
