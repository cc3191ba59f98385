//! The admin user operations: AdminCreateUser, AdminGetUser, AdminDeleteUser,
//! AdminDisableUser, AdminEnableUser, AdminConfirmSignUp, AdminSetUserPassword,
//! AdminResetUserPassword, AdminUpdateUserAttributes, AdminDeleteUserAttributes,
//! AdminUserGlobalSignOut and ListUsers — plus the attribute-writing steps the self-service
//! operations share.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_protocol::admin::{
    AdminCreateUserRequest, AdminCreateUserResponse, AdminDeleteUserAttributesRequest, AdminGetUserResponse,
    AdminSetUserPasswordRequest, AdminUpdateUserAttributesRequest, AdminUserRequest, ListUsersRequest,
    ListUsersResponse, UserType,
};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::{CodeDeliveryDetails, UserStatus};

use super::pools::Empty;
use crate::delivery::fill_template;
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::new_temporary_password;
use crate::password;
use crate::state::AppState;
use crate::store::{CodePurpose, StoreError, UniqueKey, User, UserFilter, UserPool};
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::codes::{self, Destination};
use crate::user_pool::identity;
use crate::user_pool::identity::{conflict_error, save_with_aliases};
use crate::user_pool::{check_password, load_pool, password_policy};

/// Writes attribute updates. A changed email or phone number becomes unverified (unless the
/// admin sets its `_verified` flag too) and, when the pool auto-verifies it, gets a code.
pub async fn apply_attribute_changes(
    state: &AppState,
    pool: &UserPool,
    mut user: User,
    updates: BTreeMap<String, String>,
    send_codes: bool,
) -> ApiResult<Vec<CodeDeliveryDetails>> {
    let mut to_verify = Vec::new();
    for (attribute, flag, purpose) in [
        ("email", "email_verified", CodePurpose::VerifyEmail),
        ("phone_number", "phone_number_verified", CodePurpose::VerifyPhone),
    ] {
        let changed = updates
            .get(attribute)
            .is_some_and(|v| user.attributes.get(attribute) != Some(v));
        if changed && !updates.contains_key(flag) {
            user.attributes.insert(flag.to_owned(), "false".into());
            if pool.settings.auto_verified_attributes.iter().any(|a| a == attribute) {
                to_verify.push(purpose);
            }
        }
    }
    user.attributes.extend(updates);
    let user = save_with_aliases(state, pool, user, false).await?;
    let mut details = Vec::new();
    if send_codes {
        for purpose in to_verify {
            let destination = if purpose == CodePurpose::VerifyEmail {
                Destination::email(&user)
            } else {
                Destination::phone(&user)
            };
            if let Some(destination) = destination {
                details.push(codes::send(state, pool, &user, purpose, &destination).await?);
            }
        }
    }
    Ok(details)
}

/// Removes attributes; required ones cannot be removed.
pub async fn remove_attributes(state: &AppState, pool: &UserPool, mut user: User, names: &[String]) -> ApiResult<()> {
    let required = attributes::required(pool);
    for name in names {
        if name == "sub" || required.contains(name) {
            return Err(ApiError::invalid_parameter(format!(
                "Cannot delete the required attribute {name}."
            )));
        }
        user.attributes.remove(name);
        if name == "email" || name == "phone_number" {
            user.attributes.remove(&format!("{name}_verified"));
        }
    }
    save_with_aliases(state, pool, user, false).await?;
    Ok(())
}

/// A user as admin listings show it.
pub fn user_type(user: &User) -> UserType {
    UserType {
        username: user.username.clone(),
        attributes: attributes::of_user(user),
        user_create_date: user.created_at as f64,
        user_last_modified_date: user.updated_at as f64,
        enabled: user.enabled,
        user_status: user.status,
    }
}

async fn pool_and_user(state: &AppState, request: &AdminUserRequest) -> ApiResult<(UserPool, User)> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let user = identity::require_user(state, &pool, &request.username).await?;
    Ok((pool, user))
}

async fn send_invitation(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    temporary: &str,
    mediums: &[String],
) -> ApiResult<()> {
    let wants = |m: &str| mediums.is_empty() || mediums.iter().any(|x| x == m);
    let template = pool
        .settings
        .admin_create_user_config
        .invite_message_template
        .clone()
        .unwrap_or_default();
    let mut sent = false;
    if wants("EMAIL") {
        if let Some(destination) = Destination::email(user) {
            let subject = template
                .email_subject
                .unwrap_or_else(|| "Your temporary password".into());
            let body = template
                .email_message
                .unwrap_or_else(|| "Your username is {username} and temporary password is {####}.".into());
            codes::deliver(
                state,
                pool,
                user,
                &destination,
                subject,
                fill_template(&body, temporary, &user.username),
            )
            .await?;
            sent = true;
        }
    }
    if wants("SMS") && (!sent || !mediums.is_empty()) {
        if let Some(destination) = Destination::phone(user) {
            let body = template
                .sms_message
                .unwrap_or_else(|| "Your username is {username} and temporary password is {####}.".into());
            codes::deliver(
                state,
                pool,
                user,
                &destination,
                String::new(),
                fill_template(&body, temporary, &user.username),
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn admin_create_user(
    state: &AppState,
    request: AdminCreateUserRequest,
) -> ApiResult<AdminCreateUserResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let temporary = match &request.temporary_password {
        Some(p) => {
            check_password(&pool, p.expose())?;
            p.expose().to_owned()
        }
        None => new_temporary_password(),
    };
    let now = state.clock.now();
    let expires = now + i64::from(password_policy(&pool).temporary_password_validity_days) * 86_400;
    match request.message_action.as_deref() {
        None | Some("SUPPRESS") => {}
        Some("RESEND") => {
            let mut user = identity::require_user(state, &pool, &request.username).await?;
            if user.status != UserStatus::ForceChangePassword {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedOperation,
                    "Resend is only possible for users in FORCE_CHANGE_PASSWORD status.",
                ));
            }
            password::set(state, &mut user, &temporary).await?;
            user.password_expires_at = Some(expires);
            user.updated_at = now;
            state.store.update_user(&user).await?;
            send_invitation(state, &pool, &user, &temporary, &request.desired_delivery_mediums).await?;
            return Ok(AdminCreateUserResponse { user: user_type(&user) });
        }
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "MessageAction must be RESEND or SUPPRESS, not {other}."
            )))
        }
    }
    let mut attrs = attributes::validate(&pool, &request.user_attributes, Writer::Admin)?;
    let sub = uuid::Uuid::new_v4().to_string();
    let username = identity::new_username(&pool, &request.username, &sub, &mut attrs)?;
    let mut user = identity::new_user(&pool, sub, username, UserStatus::ForceChangePassword, attrs, now);
    user.password_expires_at = Some(expires);
    password::set(state, &mut user, &temporary).await?;
    match state.store.insert_user(&user).await {
        Ok(()) => {}
        Err(StoreError::Conflict(UniqueKey::Username)) => {
            return Err(ApiError::new(ErrorCode::UsernameExists, "User account already exists"))
        }
        Err(StoreError::Conflict(key)) => return Err(conflict_error(key)),
        Err(e) => return Err(e.into()),
    }
    if request.message_action.is_none() {
        send_invitation(state, &pool, &user, &temporary, &request.desired_delivery_mediums).await?;
    }
    Ok(AdminCreateUserResponse { user: user_type(&user) })
}

pub async fn admin_get_user(state: &AppState, request: AdminUserRequest) -> ApiResult<AdminGetUserResponse> {
    let (_, user) = pool_and_user(state, &request).await?;
    let mfa = crate::mfa::factors::user_fields(state, &user).await?;
    Ok(AdminGetUserResponse {
        mfa,
        user_attributes: attributes::of_user(&user),
        username: user.username,
        user_create_date: user.created_at as f64,
        user_last_modified_date: user.updated_at as f64,
        enabled: user.enabled,
        user_status: user.status,
    })
}

pub async fn admin_delete_user(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (pool, user) = pool_and_user(state, &request).await?;
    state.store.delete_user(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_disable_user(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (pool, mut user) = pool_and_user(state, &request).await?;
    user.enabled = false;
    user.updated_at = state.clock.now();
    state.store.update_user(&user).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_enable_user(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (_, mut user) = pool_and_user(state, &request).await?;
    user.enabled = true;
    user.updated_at = state.clock.now();
    state.store.update_user(&user).await?;
    Ok(Empty {})
}

pub async fn admin_confirm_sign_up(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (pool, mut user) = pool_and_user(state, &request).await?;
    if user.status != UserStatus::Unconfirmed {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    user.status = UserStatus::Confirmed;
    state.store.take_code(&pool.id, &user.sub, CodePurpose::SignUp).await?;
    save_with_aliases(state, &pool, user, false).await?;
    Ok(Empty {})
}

pub async fn admin_set_user_password(state: &AppState, request: AdminSetUserPasswordRequest) -> ApiResult<Empty> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let mut user = identity::require_user(state, &pool, &request.username).await?;
    check_password(&pool, request.password.expose())?;
    let now = state.clock.now();
    password::set(state, &mut user, request.password.expose()).await?;
    if request.permanent {
        user.status = UserStatus::Confirmed;
        user.password_expires_at = None;
    } else {
        user.status = UserStatus::ForceChangePassword;
        user.password_expires_at =
            Some(now + i64::from(password_policy(&pool).temporary_password_validity_days) * 86_400);
    }
    user.updated_at = now;
    state.store.update_user(&user).await?;
    state.store.clear_failed_passwords(&pool.id, &user.sub, None).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_reset_user_password(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (pool, mut user) = pool_and_user(state, &request).await?;
    let destination = Destination::for_reset(&user).ok_or_else(|| {
        ApiError::invalid_parameter(
            "Cannot reset password for the user as there is no registered/verified email or phone_number",
        )
    })?;
    user.status = UserStatus::ResetRequired;
    user.updated_at = state.clock.now();
    state.store.update_user(&user).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    codes::send(state, &pool, &user, CodePurpose::ResetPassword, &destination).await?;
    Ok(Empty {})
}

pub async fn admin_update_user_attributes(
    state: &AppState,
    request: AdminUpdateUserAttributesRequest,
) -> ApiResult<Empty> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let user = identity::require_user(state, &pool, &request.username).await?;
    let updates = attributes::validate(&pool, &request.user_attributes, Writer::Admin)?;
    apply_attribute_changes(state, &pool, user, updates, true).await?;
    Ok(Empty {})
}

pub async fn admin_delete_user_attributes(
    state: &AppState,
    request: AdminDeleteUserAttributesRequest,
) -> ApiResult<Empty> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let user = identity::require_user(state, &pool, &request.username).await?;
    remove_attributes(state, &pool, user, &request.user_attribute_names).await?;
    Ok(Empty {})
}

pub async fn admin_user_global_sign_out(state: &AppState, request: AdminUserRequest) -> ApiResult<Empty> {
    let (pool, user) = pool_and_user(state, &request).await?;
    state.store.revoke_user_sessions(&pool.id, &user.sub).await?;
    Ok(Empty {})
}

/// The attributes `ListUsers` can filter on.
const FILTERABLE: &[&str] = &[
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
];

/// Parses Cognito's filter syntax: `attribute = "value"` or `attribute ^= "value"`.
pub fn parse_filter(filter: &str) -> ApiResult<Option<UserFilter>> {
    let filter = filter.trim();
    if filter.is_empty() {
        return Ok(None);
    }
    let bad = || {
        ApiError::invalid_parameter(format!(
            "Error while parsing filter {filter:?}: expected attribute = \"value\" or attribute ^= \"value\"."
        ))
    };
    let (attribute, prefix, rest) = match (filter.find("^="), filter.find('=')) {
        (Some(i), _) => (&filter[..i], true, &filter[i + 2..]),
        (None, Some(i)) => (&filter[..i], false, &filter[i + 1..]),
        _ => return Err(bad()),
    };
    let attribute = attribute.trim();
    let value = rest
        .trim()
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    if !FILTERABLE.contains(&attribute) {
        return Err(ApiError::invalid_parameter(format!(
            "Invalid search attribute: {attribute}"
        )));
    }
    Ok(Some(UserFilter {
        attribute: attribute.to_owned(),
        prefix,
        value: value.replace("\\\"", "\""),
    }))
}

pub async fn list_users(state: &AppState, request: ListUsersRequest) -> ApiResult<ListUsersResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let limit = request.limit.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter("Limit must be between 1 and 60."));
    }
    let filter = parse_filter(request.filter.as_deref().unwrap_or(""))?;
    let after = match &request.pagination_token {
        Some(token) => Some(
            URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| ApiError::invalid_parameter("Invalid PaginationToken."))?,
        ),
        None => None,
    };
    let mut users = state
        .store
        .list_users(&pool.id, filter.as_ref(), after.as_deref(), limit + 1)
        .await?;
    let more = users.len() as i64 > limit;
    users.truncate(limit as usize);
    let pagination_token = if more {
        users.last().map(|u| URL_SAFE_NO_PAD.encode(&u.username_key))
    } else {
        None
    };
    let users = users
        .iter()
        .map(|u| {
            let mut listed = user_type(u);
            if let Some(wanted) = &request.attributes_to_get {
                listed.attributes.retain(|a| wanted.contains(&a.name));
            }
            listed
        })
        .collect();
    Ok(ListUsersResponse {
        users,
        pagination_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_as_cognito_writes_them() {
        let f = parse_filter("email ^= \"jane\"").expect("parses").expect("some");
        assert!(f.prefix && f.attribute == "email" && f.value == "jane");
        let f = parse_filter("cognito:user_status = \"CONFIRMED\"")
            .expect("parses")
            .expect("some");
        assert!(!f.prefix && f.value == "CONFIRMED");
        assert!(parse_filter("").expect("empty").is_none());
        assert!(parse_filter("email = jane").is_err());
        assert!(parse_filter("custom:x = \"1\"").is_err());
    }
}
