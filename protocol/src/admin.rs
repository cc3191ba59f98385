//! The admin user operations (`Admin*`, `ListUsers`): an operator, holding admin keys, acts on
//! any user of a pool by name.

use serde::{Deserialize, Serialize};

use crate::user::{AttributeType, UserStatus};

/// Requests naming a pool and a user (`AdminGetUser`, `AdminDeleteUser`, `AdminDisableUser`, …).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

/// `AdminCreateUser`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attributes: Vec<AttributeType>,
    pub temporary_password: Option<crate::ids::Password>,
    #[serde(default)]
    pub force_alias_creation: bool,
    pub message_action: Option<String>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub desired_delivery_mediums: Vec<String>,
}

/// A user as admin operations and `ListUsers` return it (`UserType`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserType {
    pub username: String,
    pub attributes: Vec<AttributeType>,
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: UserStatus,
}

/// The answer of `AdminCreateUser`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AdminCreateUserResponse {
    pub user: UserType,
}

/// The answer of `AdminGetUser`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: UserStatus,
    #[serde(flatten)]
    pub mfa: crate::mfa::UserMfaFields,
}

/// `AdminSetUserPassword`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserPasswordRequest {
    pub user_pool_id: String,
    pub username: String,
    pub password: crate::ids::Password,
    #[serde(default)]
    pub permanent: bool,
}

/// `AdminUpdateUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUpdateUserAttributesRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attributes: Vec<AttributeType>,
}

/// `AdminDeleteUserAttributes`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDeleteUserAttributesRequest {
    pub user_pool_id: String,
    pub username: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub user_attribute_names: Vec<String>,
}

/// `ListUsers`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersRequest {
    pub user_pool_id: String,
    pub attributes_to_get: Option<Vec<String>>,
    pub limit: Option<i64>,
    pub pagination_token: Option<String>,
    pub filter: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersResponse {
    pub users: Vec<UserType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
