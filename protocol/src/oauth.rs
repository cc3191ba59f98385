//! The OAuth side of a user pool: resource servers (custom scopes that app clients may be granted,
//! named `<identifier>/<scope>`) and the pool's hosted-UI domain.

use serde::{Deserialize, Serialize};

/// `ResourceServerScopeType`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerScope {
    pub scope_name: String,
    pub scope_description: String,
}

/// `ResourceServerType`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerType {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub scopes: Vec<ResourceServerScope>,
}

/// `CreateResourceServer` and `UpdateResourceServer`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerRequest {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub scopes: Vec<ResourceServerScope>,
}

/// `DescribeResourceServer` and `DeleteResourceServer`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerIdRequest {
    pub user_pool_id: String,
    pub identifier: String,
}

/// The answer of create, describe and update.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerResponse {
    pub resource_server: ResourceServerType,
}

/// `ListResourceServers`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersRequest {
    pub user_pool_id: String,
    pub max_results: Option<i64>,
    pub next_token: Option<String>,
}

/// The answer of `ListResourceServers`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersResponse {
    pub resource_servers: Vec<ResourceServerType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `CreateUserPoolDomain` and `DeleteUserPoolDomain`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainRequest {
    pub domain: String,
    pub user_pool_id: String,
    #[serde(default)]
    pub managed_login_version: Option<i64>,
}

/// The answer of `CreateUserPoolDomain`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserPoolDomainResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i64>,
}

/// `DescribeUserPoolDomain`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainRequest {
    pub domain: String,
}

/// `DomainDescriptionType`; every field is absent for a domain nobody owns, as in Cognito.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescription {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(default, rename = "AWSAccountId", skip_serializing_if = "Option::is_none")]
    pub aws_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_login_version: Option<i64>,
}

/// The answer of `DescribeUserPoolDomain`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainResponse {
    pub domain_description: DomainDescription,
}
