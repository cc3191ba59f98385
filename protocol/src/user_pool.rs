//! User pools and app clients: their settings as `CreateUserPool` / `CreateUserPoolClient` take
//! them and as the `Describe*` operations return them.
//!
//! A pool's settings decide how users sign in (`UsernameAttributes`, `AliasAttributes`, case
//! sensitivity), what they must provide (`Schema`), the password rules and the messages sent. A
//! client's settings decide which flows it may use and how long its tokens live.

use serde::{Deserialize, Serialize};

use crate::password_policy::PasswordPolicy;

/// `Policies` of a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Policies {
    #[serde(default)]
    pub password_policy: Option<PasswordPolicy>,
}

/// `UsernameConfiguration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UsernameConfiguration {
    pub case_sensitive: bool,
}

/// `StringAttributeConstraints` (Cognito sends the bounds as strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StringAttributeConstraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<String>,
}

/// `NumberAttributeConstraints`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NumberAttributeConstraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_value: Option<String>,
}

/// One attribute of a pool's schema (`SchemaAttributeType`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SchemaAttribute {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_data_type: Option<String>,
    #[serde(default)]
    pub developer_only_attribute: bool,
    #[serde(default = "yes")]
    pub mutable: bool,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_attribute_constraints: Option<StringAttributeConstraints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_attribute_constraints: Option<NumberAttributeConstraints>,
}

fn yes() -> bool {
    true
}

/// `MessageTemplateType` for invitations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(default, rename = "SMSMessage", skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
}

/// `AdminCreateUserConfig`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserConfig {
    #[serde(default)]
    pub allow_admin_create_user_only: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_account_validity_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_message_template: Option<MessageTemplate>,
}

/// `VerificationMessageTemplate`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerificationMessageTemplate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_email_option: Option<String>,
}

/// The settings of a pool that `CreateUserPool` takes and `UpdateUserPool` changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolSettings {
    #[serde(default)]
    pub policies: Policies,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub auto_verified_attributes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub alias_attributes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub username_attributes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username_configuration: Option<UsernameConfiguration>,
    #[serde(
        default,
        rename = "Schema",
        alias = "SchemaAttributes",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schema: Vec<SchemaAttribute>,
    #[serde(default)]
    pub admin_create_user_config: AdminCreateUserConfig,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_message_template: Option<VerificationMessageTemplate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verification_subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_verification_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_protection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_configuration: Option<crate::device::DeviceConfiguration>,
}

/// `CreateUserPool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolRequest {
    pub pool_name: String,
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

/// `UpdateUserPool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolRequest {
    pub user_pool_id: String,
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

/// A pool as `DescribeUserPool` returns it (`UserPoolType`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolType {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub creation_date: f64,
    pub last_modified_date: f64,
    pub estimated_number_of_users: i64,
    /// The schema as Cognito reports it (`SchemaAttributes`; requests call it `Schema`).
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub schema_attributes: Vec<SchemaAttribute>,
    /// The other settings; its `schema` is moved to `schema_attributes` and left empty.
    #[serde(flatten)]
    pub settings: UserPoolSettings,
}

/// A pool as `ListUserPools` lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDescription {
    pub id: String,
    pub name: String,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

/// Requests naming only a pool.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolIdRequest {
    pub user_pool_id: String,
}

/// `ListUserPools`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRequest {
    pub user_pool_id: Option<String>,
    pub max_results: Option<i64>,
    pub next_token: Option<String>,
}

/// `TokenValidityUnits`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TokenValidityUnits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `RefreshTokenRotation`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RefreshTokenRotation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_grace_period_seconds: Option<i64>,
}

/// The settings of an app client that create and update take.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientSettings {
    /// Required by CreateUserPoolClient; UpdateUserPoolClient without it keeps the name.
    #[serde(default)]
    pub client_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_validity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token_validity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token_validity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_validity_units: Option<TokenValidityUnits>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub read_attributes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub write_attributes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub explicit_auth_flows: Vec<crate::auth::ExplicitAuthFlow>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub supported_identity_providers: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        rename = "CallbackURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub callback_urls: Vec<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        rename = "LogoutURLs",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub logout_urls: Vec<String>,
    #[serde(default, rename = "DefaultRedirectURI", skip_serializing_if = "Option::is_none")]
    pub default_redirect_uri: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        rename = "AllowedOAuthFlows",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_oauth_flows: Vec<crate::oauth::OAuthFlow>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        rename = "AllowedOAuthScopes",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub allowed_oauth_scopes: Vec<String>,
    #[serde(default, rename = "AllowedOAuthFlowsUserPoolClient")]
    pub allowed_oauth_flows_user_pool_client: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prevent_user_existence_errors: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_token_revocation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_session_validity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_rotation: Option<RefreshTokenRotation>,
}

/// `CreateUserPoolClient`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolClientRequest {
    pub user_pool_id: String,
    #[serde(default)]
    pub generate_secret: bool,
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// `UpdateUserPoolClient`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserPoolClientRequest {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

/// `DescribeUserPoolClient` and `DeleteUserPoolClient`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientIdRequest {
    pub user_pool_id: String,
    pub client_id: String,
}

/// An app client as the `Describe*` operations return it (`UserPoolClientType`).
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientType {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
    #[serde(flatten)]
    pub settings: UserPoolClientSettings,
}

impl std::fmt::Debug for UserPoolClientType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPoolClientType")
            .field("user_pool_id", &self.user_pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "[redacted]"))
            .field("settings", &self.settings)
            .finish()
    }
}

/// A client as `ListUserPoolClients` lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientDescription {
    pub client_id: String,
    pub user_pool_id: String,
    pub client_name: String,
}
