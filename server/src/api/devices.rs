//! Remembered devices: ConfirmDevice, GetDevice, ListDevices, UpdateDeviceStatus, ForgetDevice
//! (authorised by the user's access token) and AdminGetDevice, AdminListDevices,
//! AdminUpdateDeviceStatus, AdminForgetDevice (by pool id and username). See [`crate::device`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cognate_protocol::device::{
    ConfirmDeviceRequest, ConfirmDeviceResponse, DeviceRememberedStatus, DeviceRequest, GetDeviceResponse,
    ListDevicesRequest, ListDevicesResponse,
};
use cognate_protocol::error::ErrorCode;

use super::pools::Empty;
use crate::device::{self, device_type};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{Device, User, UserPool};
use crate::token::{authenticate, Authenticated};
use crate::user_pool::{identity, load_pool};

/// The most devices ListDevices returns at once.
const MAX_LIMIT: i64 = 60;
/// The longest DeviceName accepted.
const MAX_NAME: usize = 1024;

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::ResourceNotFound, "Device does not exist.")
}

/// The user a public call names with its access token.
async fn token_owner(state: &AppState, access_token: Option<&str>) -> ApiResult<(UserPool, User)> {
    let token = access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("AccessToken is required."))?;
    let Authenticated { pool, user, .. } = authenticate(state, token).await?;
    Ok((pool, user))
}

/// The user an admin call names with pool id and username.
async fn admin_owner(state: &AppState, pool_id: Option<&str>, username: Option<&str>) -> ApiResult<(UserPool, User)> {
    let pool_id = pool_id
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("UserPoolId is required."))?;
    let username = username
        .filter(|u| !u.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("Username is required."))?;
    let pool = load_pool(state, pool_id).await?;
    let user = identity::require_user(state, &pool, username).await?;
    Ok((pool, user))
}

async fn owner(state: &AppState, request: &DeviceRequest, admin: bool) -> ApiResult<(UserPool, User)> {
    if admin {
        admin_owner(state, request.user_pool_id.as_deref(), request.username.as_deref()).await
    } else {
        token_owner(state, request.access_token.as_deref()).await
    }
}

/// The user's confirmed device named by the request.
async fn confirmed_device(state: &AppState, pool: &UserPool, user: &User, device_key: &str) -> ApiResult<Device> {
    if device_key.is_empty() {
        return Err(ApiError::invalid_parameter("DeviceKey is required."));
    }
    device::of_user(state, pool, user, device_key)
        .await?
        .filter(|d| d.confirmed)
        .ok_or_else(not_found)
}

fn decode(value: Option<&str>, name: &str) -> ApiResult<Vec<u8>> {
    value
        .filter(|v| !v.is_empty())
        .and_then(|v| STANDARD.decode(v).ok())
        .filter(|bytes| !bytes.is_empty() && bytes.len() <= 1024)
        .ok_or_else(|| ApiError::invalid_parameter(format!("DeviceSecretVerifierConfig.{name} must be base64.")))
}

pub async fn confirm_device(state: &AppState, request: ConfirmDeviceRequest) -> ApiResult<ConfirmDeviceResponse> {
    let (pool, user) = token_owner(state, Some(&request.access_token)).await?;
    if request.device_key.is_empty() {
        return Err(ApiError::invalid_parameter("DeviceKey is required."));
    }
    let config = request.device_secret_verifier_config.unwrap_or_default();
    let verifier = decode(config.password_verifier.as_deref(), "PasswordVerifier")?;
    let salt = decode(config.salt.as_deref(), "Salt")?;
    if request
        .device_name
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NAME)
    {
        return Err(ApiError::invalid_parameter(format!(
            "DeviceName must be at most {MAX_NAME} characters."
        )));
    }
    let mut device = device::of_user(state, &pool, &user, &request.device_key)
        .await?
        .ok_or_else(not_found)?;
    let on_prompt = device::remembered_on_prompt(&pool);
    device.verifier = Some(verifier);
    device.salt = Some(salt);
    device.name = request.device_name.filter(|n| !n.is_empty()).or(device.name);
    device.remembered = !on_prompt;
    device.confirmed = true;
    device.updated_at = state.clock.now();
    if !state.store.update_device(&device).await? {
        return Err(not_found());
    }
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: on_prompt,
    })
}

async fn get(state: &AppState, request: DeviceRequest, admin: bool) -> ApiResult<GetDeviceResponse> {
    let (pool, user) = owner(state, &request, admin).await?;
    let device = confirmed_device(state, &pool, &user, &request.device_key).await?;
    Ok(GetDeviceResponse {
        device: device_type(&device),
    })
}

async fn update_status(state: &AppState, request: DeviceRequest, admin: bool) -> ApiResult<Empty> {
    let (pool, user) = owner(state, &request, admin).await?;
    let status = request
        .device_remembered_status
        .ok_or_else(|| ApiError::invalid_parameter("DeviceRememberedStatus is required."))?;
    let mut device = confirmed_device(state, &pool, &user, &request.device_key).await?;
    device.remembered = status == DeviceRememberedStatus::Remembered;
    device.updated_at = state.clock.now();
    if !state.store.update_device(&device).await? {
        return Err(not_found());
    }
    Ok(Empty {})
}

async fn forget(state: &AppState, request: DeviceRequest, admin: bool) -> ApiResult<Empty> {
    let (pool, user) = owner(state, &request, admin).await?;
    if request.device_key.is_empty() {
        return Err(ApiError::invalid_parameter("DeviceKey is required."));
    }
    device::of_user(state, &pool, &user, &request.device_key)
        .await?
        .ok_or_else(not_found)?;
    state.store.delete_device(&pool.id, &request.device_key).await?;
    Ok(Empty {})
}

async fn list(state: &AppState, request: ListDevicesRequest, admin: bool) -> ApiResult<ListDevicesResponse> {
    let (pool, user) = if admin {
        admin_owner(state, request.user_pool_id.as_deref(), request.username.as_deref()).await?
    } else {
        token_owner(state, request.access_token.as_deref()).await?
    };
    let limit = request.limit.unwrap_or(MAX_LIMIT);
    if !(0..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid_parameter(format!(
            "Limit must be between 0 and {MAX_LIMIT}."
        )));
    }
    let after = request.pagination_token.as_deref().filter(|t| !t.is_empty());
    let mut devices = state.store.list_devices(&pool.id, &user.sub, after, limit + 1).await?;
    let more = devices.len() as i64 > limit;
    devices.truncate(limit as usize);
    let pagination_token = if more {
        devices.last().map(|d| d.device_key.clone())
    } else {
        None
    };
    Ok(ListDevicesResponse {
        devices: devices.iter().map(device_type).collect(),
        pagination_token,
    })
}

pub async fn get_device(state: &AppState, request: DeviceRequest) -> ApiResult<GetDeviceResponse> {
    get(state, request, false).await
}

pub async fn admin_get_device(state: &AppState, request: DeviceRequest) -> ApiResult<GetDeviceResponse> {
    get(state, request, true).await
}

pub async fn list_devices(state: &AppState, request: ListDevicesRequest) -> ApiResult<ListDevicesResponse> {
    list(state, request, false).await
}

pub async fn admin_list_devices(state: &AppState, request: ListDevicesRequest) -> ApiResult<ListDevicesResponse> {
    list(state, request, true).await
}

pub async fn update_device_status(state: &AppState, request: DeviceRequest) -> ApiResult<Empty> {
    update_status(state, request, false).await
}

pub async fn admin_update_device_status(state: &AppState, request: DeviceRequest) -> ApiResult<Empty> {
    update_status(state, request, true).await
}

pub async fn forget_device(state: &AppState, request: DeviceRequest) -> ApiResult<Empty> {
    forget(state, request, false).await
}

pub async fn admin_forget_device(state: &AppState, request: DeviceRequest) -> ApiResult<Empty> {
    forget(state, request, true).await
}
