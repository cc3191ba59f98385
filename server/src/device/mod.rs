//! Remembered devices (Cognito's device tracking).
//!
//! In a pool with a `DeviceConfiguration`, every finished sign-in that did not come from one of
//! the user's known devices creates a device and returns its key and group key
//! (`NewDeviceMetadata`). The client confirms it (ConfirmDevice) with the SRP verifier of a
//! random device password, computed as for a user with the group key in place of the pool name
//! and the device key in place of the username. A later sign-in that names a remembered device
//! (`DEVICE_KEY`) proves that password through DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
//! ([`crate::sign_in::device`]) instead of answering an MFA challenge, when the pool's
//! configuration has `ChallengeRequiredOnNewDevice` ([`replaces_mfa`]); without it the device
//! changes nothing about the challenges. Each sign-in through a device records when it happened
//! and from which address (the [`crate::sign_in::Caller`]'s).

use cognate_protocol::auth::AuthenticationResult;
use cognate_protocol::device::{DeviceRememberedStatus, DeviceType, NewDeviceMetadata};
use cognate_protocol::user::AttributeType;

use crate::error::ApiResult;
use crate::sign_in::Context;
use crate::state::AppState;
use crate::store::{Device, User, UserPool};
use crate::token;

/// Whether the pool tracks devices.
pub fn tracks(pool: &UserPool) -> bool {
    pool.settings.device_configuration.is_some()
}

/// Whether a remembered device's proof takes the place of the MFA challenge
/// (`ChallengeRequiredOnNewDevice`, as in Cognito).
pub fn replaces_mfa(pool: &UserPool) -> bool {
    pool.settings
        .device_configuration
        .as_ref()
        .is_some_and(|c| c.challenge_required_on_new_device)
}

/// Whether confirming a device leaves remembering it to the user.
pub fn remembered_on_prompt(pool: &UserPool) -> bool {
    pool.settings
        .device_configuration
        .as_ref()
        .is_some_and(|c| c.device_only_remembered_on_user_prompt)
}

/// A new device key: the pool's region, `_`, a random UUID.
fn new_device_key(pool_id: &str) -> String {
    let region = pool_id.split_once('_').map_or("us-east-1", |(region, _)| region);
    format!("{region}_{}", uuid::Uuid::new_v4())
}

/// The user's device named `device_key`, if there is one.
pub async fn of_user(state: &AppState, pool: &UserPool, user: &User, device_key: &str) -> ApiResult<Option<Device>> {
    let device = state.store.get_device(&pool.id, device_key).await?;
    Ok(device.filter(|d| d.sub == user.sub))
}

/// The user's remembered device named `device_key` (in a pool that tracks devices): a sign-in
/// through it proves the device instead of a second factor.
pub async fn remembered(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<Option<Device>> {
    let Some(key) = device_key.filter(|k| !k.is_empty() && tracks(pool)) else {
        return Ok(None);
    };
    let device = of_user(state, pool, user, key).await?;
    Ok(device.filter(|d| d.confirmed && d.remembered && d.verifier.is_some()))
}

/// Tokens for a finished sign-in. In a pool that tracks devices, a sign-in through one of the
/// user's devices records its time and address; any other creates a device and returns it as
/// `NewDeviceMetadata`. Either way the access tokens of the session name the device
/// (`device_key`).
pub async fn finish_sign_in(
    ctx: &Context<'_>,
    user: &User,
    device_key: Option<&str>,
) -> ApiResult<AuthenticationResult> {
    let Context {
        state, pool, client, ..
    } = *ctx;
    let client_ip = || ctx.caller.ip.clone();
    if !tracks(pool) {
        return token::sign_in(state, pool, client, user, None).await;
    }
    let now = state.clock.now();
    let known = match device_key.filter(|k| !k.is_empty()) {
        Some(key) => of_user(state, pool, user, key).await?,
        None => None,
    };
    match known {
        Some(mut device) => {
            device.last_authenticated_at = Some(now);
            device.last_ip = client_ip().or(device.last_ip);
            state.store.update_device(&device).await?;
            token::sign_in(state, pool, client, user, Some(&device.device_key)).await
        }
        None => {
            let device = Device {
                pool_id: pool.id.clone(),
                device_key: new_device_key(&pool.id),
                sub: user.sub.clone(),
                group_key: format!("-{}", crate::one_time_code::new_token(9)),
                name: None,
                salt: None,
                verifier: None,
                confirmed: false,
                remembered: false,
                last_ip: client_ip(),
                created_at: now,
                updated_at: now,
                last_authenticated_at: Some(now),
            };
            state.store.insert_device(&device).await?;
            let mut result = token::sign_in(state, pool, client, user, Some(&device.device_key)).await?;
            result.new_device_metadata = Some(NewDeviceMetadata {
                device_key: device.device_key,
                device_group_key: device.group_key,
            });
            Ok(result)
        }
    }
}

/// A device as the API shows it.
pub fn device_type(device: &Device) -> DeviceType {
    let status = if device.remembered {
        DeviceRememberedStatus::Remembered
    } else {
        DeviceRememberedStatus::NotRemembered
    };
    let mut attributes = vec![AttributeType::new("device_status", status.as_str())];
    if let Some(name) = &device.name {
        attributes.push(AttributeType::new("device_name", name.clone()));
    }
    if let Some(ip) = &device.last_ip {
        attributes.push(AttributeType::new("last_ip_used", ip.clone()));
    }
    DeviceType {
        device_key: device.device_key.clone(),
        device_attributes: attributes,
        device_create_date: device.created_at as f64,
        device_last_modified_date: device.updated_at as f64,
        device_last_authenticated_date: device.last_authenticated_at.map(|t| t as f64),
    }
}

/// The client's address from `X-Forwarded-For` (its first entry), if it names one.
pub fn forwarded_for(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get("x-forwarded-for")?.to_str().ok()?;
    let first = value.split(',').next()?.trim();
    first.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_keys_carry_the_pool_region() {
        let key = new_device_key("eu-west-2_AbC123");
        let (region, id) = key.split_once('_').expect("separator");
        assert_eq!(region, "eu-west-2");
        assert!(uuid::Uuid::parse_str(id).is_ok());
    }

    #[test]
    fn the_first_forwarded_address_is_the_client() {
        let mut headers = axum::http::HeaderMap::new();
        assert_eq!(forwarded_for(&headers), None);
        headers.insert("x-forwarded-for", "203.0.113.7, 10.0.0.1".parse().expect("header"));
        assert_eq!(forwarded_for(&headers).as_deref(), Some("203.0.113.7"));
        headers.insert("x-forwarded-for", "not an address".parse().expect("header"));
        assert_eq!(forwarded_for(&headers), None);
    }
}
