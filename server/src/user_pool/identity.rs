//! How a pool identifies users.
//!
//! - A plain pool: users sign in with their username, case-insensitively unless the pool set
//!   `UsernameConfiguration.CaseSensitive`.
//! - `UsernameAttributes` (email and/or phone_number): users sign up *with* an email or phone
//!   number; their username becomes their `sub`, and they sign in with the email/phone.
//! - `AliasAttributes`: users pick a username and may also sign in with a *verified* email or
//!   phone number, or their preferred_username.
//!
//! The lookup keys of sign-in attributes are kept in unique columns, so each email signs in to
//! at most one user of a pool.

use std::collections::BTreeMap;

use cognate_protocol::error::ErrorCode;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{StoreError, UniqueKey, User, UserPool};

/// Whether usernames in the pool are case-sensitive (Cognate's default: no, as Cognito recommends).
pub fn case_sensitive(pool: &UserPool) -> bool {
    pool.settings
        .username_configuration
        .as_ref()
        .is_some_and(|c| c.case_sensitive)
}

/// The lookup form of a username.
pub fn username_key(pool: &UserPool, username: &str) -> String {
    if case_sensitive(pool) {
        username.to_owned()
    } else {
        username.to_lowercase()
    }
}

pub fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// E.164: `+` and 2 to 15 digits.
pub fn looks_like_phone(value: &str) -> bool {
    value
        .strip_prefix('+')
        .is_some_and(|d| (2..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit()))
}

/// Cognito's username rule: 1–128 characters, no whitespace or control characters.
pub fn validate_username(username: &str) -> ApiResult<()> {
    let length = username.chars().count();
    if length == 0 || length > 128 {
        return Err(ApiError::invalid_parameter(
            "Username must be between 1 and 128 characters.",
        ));
    }
    if username.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid_parameter(
            "Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        ));
    }
    Ok(())
}

fn has(list: &[String], name: &str) -> bool {
    list.iter().any(|a| a == name)
}

/// Decides the username of a new user from the `Username` given, moving an email or phone
/// number used as username into the attributes. `sub` becomes the username in pools with
/// `UsernameAttributes`.
pub fn new_username(
    pool: &UserPool,
    given: &str,
    sub: &str,
    attributes: &mut BTreeMap<String, String>,
) -> ApiResult<String> {
    validate_username(given)?;
    let settings = &pool.settings;
    if !settings.username_attributes.is_empty() {
        let email_ok = has(&settings.username_attributes, "email");
        let phone_ok = has(&settings.username_attributes, "phone_number");
        if email_ok && looks_like_email(given) {
            attributes.insert("email".into(), given.to_owned());
        } else if phone_ok && looks_like_phone(given) {
            attributes.insert("phone_number".into(), given.to_owned());
        } else {
            let expected = match (email_ok, phone_ok) {
                (true, true) => "either an email or a phone number",
                (true, false) => "an email",
                _ => "a phone number",
            };
            return Err(ApiError::invalid_parameter(format!("Username should be {expected}.")));
        }
        return Ok(sub.to_owned());
    }
    if has(&settings.alias_attributes, "email") && looks_like_email(given) {
        return Err(ApiError::invalid_parameter(
            "Username cannot be of email format, since user pool is configured for email alias.",
        ));
    }
    if has(&settings.alias_attributes, "phone_number") && looks_like_phone(given) {
        return Err(ApiError::invalid_parameter(
            "Username cannot be of phone number format, since user pool is configured for phone_number alias.",
        ));
    }
    Ok(given.to_owned())
}

/// Recomputes the sign-in lookup keys of a user from its attributes.
pub fn refresh_sign_in_keys(pool: &UserPool, user: &mut User) {
    let settings = &pool.settings;
    let verified = |name: &str| user.attributes.get(name).is_some_and(|v| v == "true");
    let key_for = |attribute: &str, verified_flag: &str| {
        let value = user.attributes.get(attribute)?;
        if has(&settings.username_attributes, attribute)
            || (has(&settings.alias_attributes, attribute) && verified(verified_flag))
        {
            Some(value.to_lowercase())
        } else {
            None
        }
    };
    user.sign_in_email = key_for("email", "email_verified");
    user.sign_in_phone = key_for("phone_number", "phone_number_verified");
    user.sign_in_preferred = if has(&settings.alias_attributes, "preferred_username") {
        user.attributes.get("preferred_username").map(|v| username_key(pool, v))
    } else {
        None
    };
}

/// A new user of the pool, enabled, without a password yet, its sign-in keys computed.
pub fn new_user(
    pool: &UserPool,
    sub: String,
    username: String,
    status: cognate_protocol::user::UserStatus,
    attributes: BTreeMap<String, String>,
    now: i64,
) -> User {
    let mut user = User {
        pool_id: pool.id.clone(),
        sub,
        username_key: username_key(pool, &username),
        username,
        status,
        enabled: true,
        password_hash: None,
        attributes,
        sign_in_email: None,
        sign_in_phone: None,
        sign_in_preferred: None,
        failed_attempts: 0,
        locked_until: 0,
        password_expires_at: None,
        srp: None,
        created_at: now,
        updated_at: now,
        version: 0,
    };
    refresh_sign_in_keys(pool, &mut user);
    user
}

/// Finds a user by what they type as their username: the username, or a sign-in alias.
pub async fn find_user(state: &AppState, pool: &UserPool, name: &str) -> ApiResult<Option<User>> {
    if name.is_empty() {
        return Ok(None);
    }
    if let Some(user) = state.store.get_user_by_key(&pool.id, &username_key(pool, name)).await? {
        return Ok(Some(user));
    }
    let (alias, key) = if looks_like_email(name) {
        (UniqueKey::Email, name.to_lowercase())
    } else if looks_like_phone(name) {
        (UniqueKey::PhoneNumber, name.to_lowercase())
    } else {
        (UniqueKey::PreferredUsername, username_key(pool, name))
    };
    Ok(state.store.get_user_by_alias(&pool.id, alias, &key).await?)
}

/// Finds a user or answers `UserNotFoundException`.
pub async fn require_user(state: &AppState, pool: &UserPool, name: &str) -> ApiResult<User> {
    find_user(state, pool, name).await?.ok_or_else(ApiError::user_not_found)
}

/// Maps a unique-key conflict on a new user to Cognito's error.
pub fn conflict_error(key: UniqueKey) -> ApiError {
    match key {
        UniqueKey::Username => ApiError::new(ErrorCode::UsernameExists, "User already exists"),
        UniqueKey::Email => ApiError::new(
            ErrorCode::UsernameExists,
            "An account with the given email already exists.",
        ),
        UniqueKey::PhoneNumber => ApiError::new(
            ErrorCode::UsernameExists,
            "An account with the given phone_number already exists.",
        ),
        UniqueKey::PreferredUsername => ApiError::new(
            ErrorCode::AliasExists,
            "An account with the given preferred_username already exists.",
        ),
    }
}

/// Writes every field of an existing user; a sign-in key another user holds is that key's
/// Cognito error ([`conflict_error`]).
pub async fn save(state: &AppState, user: &User) -> ApiResult<()> {
    match state.store.update_user(user).await {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict(key)) => Err(conflict_error(key)),
        Err(e) => Err(e.into()),
    }
}

/// Saves a user after its attributes changed; a verified alias another user holds is
/// `AliasExistsException`, unless `force` moves the alias to this user.
pub async fn save_with_aliases(state: &AppState, pool: &UserPool, mut user: User, force: bool) -> ApiResult<User> {
    refresh_sign_in_keys(pool, &mut user);
    user.updated_at = state.clock.now();
    match state.store.update_user(&user).await {
        Ok(_) => Ok(user),
        Err(StoreError::Conflict(key)) if force && key != UniqueKey::Username => {
            let (lookup, flag) = match key {
                UniqueKey::Email => (user.sign_in_email.clone(), "email_verified"),
                UniqueKey::PhoneNumber => (user.sign_in_phone.clone(), "phone_number_verified"),
                _ => (user.sign_in_preferred.clone(), "preferred_username"),
            };
            if let Some(mut holder) = state
                .store
                .get_user_by_alias(&pool.id, key, lookup.as_deref().unwrap_or(""))
                .await?
            {
                if flag == "preferred_username" {
                    holder.attributes.remove(flag);
                } else {
                    holder.attributes.insert(flag.to_owned(), "false".into());
                }
                refresh_sign_in_keys(pool, &mut holder);
                state.store.update_user(&holder).await?;
            }
            state.store.update_user(&user).await?;
            Ok(user)
        }
        Err(StoreError::Conflict(key)) => Err(ApiError::new(
            ErrorCode::AliasExists,
            format!("An account with the {key} already exists."),
        )),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones_are_recognised() {
        assert!(looks_like_email("jane@example.com"));
        assert!(!looks_like_email("jane@example"));
        assert!(!looks_like_email("@example.com"));
        assert!(looks_like_phone("+15555550123"));
        assert!(!looks_like_phone("15555550123"));
        assert!(validate_username("jane").is_ok());
        assert!(validate_username("ja ne").is_err());
        assert!(validate_username("").is_err());
    }
}
