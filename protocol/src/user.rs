//! Users as the wire sees them, and the self-service operations a signed-up user (or a
//! browser on their behalf) calls without an admin signature: sign-up, confirmation, password
//! recovery, profile and sign-out. Field names are Cognito's.

use serde::{Deserialize, Serialize};

/// One user attribute (`AttributeType`), e.g. `email`, `custom:team`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

impl AttributeType {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        AttributeType {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

/// Where a code was sent, with the destination masked (`CodeDeliveryDetailsType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    pub destination: String,
    pub delivery_medium: String,
    pub attribute_name: String,
}

/// A user's account state (`UserStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    ExternalProvider,
    Archived,
    Compromised,
    Unknown,
    ResetRequired,
    ForceChangePassword,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
            UserStatus::Archived => "ARCHIVED",
            UserStatus::Compromised => "COMPROMISED",
            UserStatus::Unknown => "UNKNOWN",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// `SignUp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub password: Option<crate::ids::Password>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attributes: Vec<AttributeType>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub validation_data: Vec<AttributeType>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    #[serde(rename = "UserSub")]
    pub user_sub: String,
}

/// `ConfirmSignUp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub confirmation_code: String,
    #[serde(default)]
    pub force_alias_creation: bool,
}

/// `ResendConfirmationCode` and `ForgotPassword`: a client, a user, an optional secret hash.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ClientUserRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
}

/// The answer of operations that send a code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryResponse {
    pub code_delivery_details: CodeDeliveryDetails,
}

/// `ConfirmForgotPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: String,
    pub secret_hash: Option<String>,
    pub username: String,
    pub confirmation_code: String,
    pub password: crate::ids::Password,
}

/// Operations authorised by an access token alone (`GetUser`, `GlobalSignOut`, `DeleteUser`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: String,
}

/// The answer of `GetUser`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(flatten)]
    pub mfa: crate::mfa::UserMfaFields,
}

/// `UpdateUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub access_token: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attributes: Vec<AttributeType>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

/// `GetUserAttributeVerificationCode`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeVerificationCodeRequest {
    pub access_token: String,
    pub attribute_name: String,
}

/// `VerifyUserAttribute`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub code: String,
}

/// `DeleteUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    pub access_token: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attribute_names: Vec<String>,
}

/// `ChangePassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub access_token: String,
    pub previous_password: Option<crate::ids::Password>,
    pub proposed_password: crate::ids::Password,
}

/// `RevokeToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

/// The empty object many operations answer with.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Empty {}
