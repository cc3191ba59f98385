//! Remembered devices (Cognito API reference: ConfirmDevice, GetDevice, ListDevices,
//! UpdateDeviceStatus, ForgetDevice and their `Admin*` versions).
//!
//! In a pool with a [`DeviceConfiguration`], a finished sign-in on a new device returns
//! [`NewDeviceMetadata`]; the client confirms the device with an SRP verifier of a random
//! device password, and later signs in with `DEVICE_KEY`, proving the device password through
//! the DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER challenges instead of a second factor.

use serde::{Deserialize, Serialize};

use crate::user::AttributeType;

/// A pool's device tracking (`DeviceConfigurationType`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceConfiguration {
    /// A remembered device proves itself (DEVICE_SRP_AUTH) in place of the MFA challenge; when
    /// false, a sign-in through a remembered device answers the pool's MFA challenge as any other.
    #[serde(default)]
    pub challenge_required_on_new_device: bool,
    /// Devices are remembered only when the user asks (UpdateDeviceStatus `remembered`);
    /// otherwise every confirmed device is.
    #[serde(default)]
    pub device_only_remembered_on_user_prompt: bool,
}

/// The device a sign-in created (`NewDeviceMetadataType`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    /// `<region>_<uuid>`.
    pub device_key: String,
    pub device_group_key: String,
}

/// The device's SRP verifier and salt, base64 (`DeviceSecretVerifierConfigType`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    #[serde(default)]
    pub password_verifier: Option<String>,
    #[serde(default)]
    pub salt: Option<String>,
}

/// `ConfirmDevice`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: String,
    pub device_key: String,
    #[serde(default)]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// The answer of `ConfirmDevice`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    /// True when the pool remembers devices only on the user's prompt.
    pub user_confirmation_necessary: bool,
}

/// Whether a device is remembered (`DeviceRememberedStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceRememberedStatus {
    Remembered,
    NotRemembered,
}

impl DeviceRememberedStatus {
    /// The wire spelling, also the `device_status` attribute's value.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviceRememberedStatus::Remembered => "remembered",
            DeviceRememberedStatus::NotRemembered => "not_remembered",
        }
    }
}

/// A device (`DeviceType`); dates in seconds since the epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    pub device_key: String,
    /// `device_status`, `device_name`, `last_ip_used`.
    pub device_attributes: Vec<AttributeType>,
    pub device_create_date: f64,
    pub device_last_modified_date: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

/// `GetDevice`, `UpdateDeviceStatus`, `ForgetDevice` and their `Admin*` versions: the device,
/// named by an access token (public) or by pool and username (admin).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub user_pool_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    pub device_key: String,
    /// UpdateDeviceStatus only.
    #[serde(default)]
    pub device_remembered_status: Option<DeviceRememberedStatus>,
}

/// The answer of `GetDevice` and `AdminGetDevice`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceResponse {
    pub device: DeviceType,
}

/// `ListDevices` and `AdminListDevices`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub user_pool_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub pagination_token: Option<String>,
}

/// The answer of `ListDevices` and `AdminListDevices`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_configuration_use_cognito_spelling() {
        let status: DeviceRememberedStatus = serde_json::from_str("\"not_remembered\"").expect("parses");
        assert_eq!(status, DeviceRememberedStatus::NotRemembered);
        let config: DeviceConfiguration =
            serde_json::from_str(r#"{"ChallengeRequiredOnNewDevice":true}"#).expect("parses");
        assert!(config.challenge_required_on_new_device && !config.device_only_remembered_on_user_prompt);
    }
}
