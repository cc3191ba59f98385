//! Multi-factor authentication on the wire: the pool's MFA configuration
//! (`SetUserPoolMfaConfig` / `GetUserPoolMfaConfig`), authenticator-app enrolment
//! (`AssociateSoftwareToken`, `VerifySoftwareToken`), a user's MFA preferences
//! (`SetUserMFAPreference`, `AdminSetUserMFAPreference`) and the MFA fields of `GetUser` /
//! `AdminGetUser`. Field names are Cognito's (some, like `SMSMfaSettings`, not plain PascalCase).

use serde::{Deserialize, Serialize};

/// `MfaConfiguration`: whether the pool asks for a second factor.
pub const MFA_OFF: &str = "OFF";
pub const MFA_OPTIONAL: &str = "OPTIONAL";
pub const MFA_ON: &str = "ON";

/// `SoftwareTokenMfaConfigType`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SoftwareTokenMfaConfig {
    #[serde(default)]
    pub enabled: bool,
}

/// `EmailMfaConfigType`: its presence turns email codes on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct EmailMfaConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// `SmsConfigurationType` (kept and echoed; delivery uses the server's SMS sender).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SmsConfiguration {
    #[serde(default)]
    pub sns_caller_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sns_region: Option<String>,
}

/// `SmsMfaConfigType`: its presence turns SMS codes on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SmsMfaConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_authentication_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_configuration: Option<SmsConfiguration>,
}

/// The second factors a pool offers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct MfaFactorsConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<SmsMfaConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<SoftwareTokenMfaConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<EmailMfaConfig>,
}

/// `SetUserPoolMfaConfig`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserPoolMfaConfigRequest {
    pub user_pool_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    #[serde(flatten)]
    pub factors: MfaFactorsConfig,
}

/// `GetUserPoolMfaConfig` (and the answer of `SetUserPoolMfaConfig`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMfaConfigResponse {
    pub mfa_configuration: String,
    #[serde(flatten)]
    pub factors: MfaFactorsConfig,
}

/// `AssociateSoftwareToken`: by access token, or by the session of an MFA_SETUP challenge.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::ids::Session>,
}

#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    /// The TOTP secret, base32.
    pub secret_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::ids::Session>,
}

impl std::fmt::Debug for AssociateSoftwareTokenResponse {
    /// The secret never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssociateSoftwareTokenResponse").finish_non_exhaustive()
    }
}

/// `VerifySoftwareToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::ids::Session>,
    #[serde(default)]
    pub user_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    /// `SUCCESS` or `ERROR`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<crate::ids::Session>,
}

/// `SMSMfaSettingsType`, `SoftwareTokenMfaSettingsType`, `EmailMfaSettingsType`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa: Option<bool>,
}

/// `SetUserMFAPreference` (by access token) and `AdminSetUserMFAPreference` (by pool and
/// username).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, rename = "SMSMfaSettings", skip_serializing_if = "Option::is_none")]
    pub sms_mfa_settings: Option<MfaSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_settings: Option<MfaSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_settings: Option<MfaSettings>,
}

/// `MFAOptionType`: the legacy view of SMS MFA.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct MfaOption {
    pub delivery_medium: String,
    pub attribute_name: String,
}

/// The MFA fields of `GetUser` and `AdminGetUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserMfaFields {
    #[serde(
        rename = "MFAOptions",
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub mfa_options: Vec<MfaOption>,
    #[serde(rename = "PreferredMfaSetting", default, skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(
        rename = "UserMFASettingList",
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub user_mfa_setting_list: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cognito_field_names() {
        let request: SetUserMfaPreferenceRequest = serde_json::from_str(
            r#"{"AccessToken":"t","SMSMfaSettings":{"Enabled":true},"SoftwareTokenMfaSettings":{"PreferredMfa":true}}"#,
        )
        .expect("parses");
        assert_eq!(request.sms_mfa_settings.and_then(|s| s.enabled), Some(true));
        assert_eq!(
            request.software_token_mfa_settings.and_then(|s| s.preferred_mfa),
            Some(true)
        );
        let fields = UserMfaFields {
            preferred_mfa_setting: Some("SOFTWARE_TOKEN_MFA".into()),
            user_mfa_setting_list: vec!["SOFTWARE_TOKEN_MFA".into()],
            ..Default::default()
        };
        let json = serde_json::to_value(&fields).expect("serializes");
        assert_eq!(json["UserMFASettingList"][0], "SOFTWARE_TOKEN_MFA");
        assert!(json.get("MFAOptions").is_none());
        let config: SetUserPoolMfaConfigRequest = serde_json::from_str(
            r#"{"UserPoolId":"p","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}"#,
        )
        .expect("parses");
        assert_eq!(
            config.factors.software_token_mfa_configuration.map(|c| c.enabled),
            Some(true)
        );
    }
}
