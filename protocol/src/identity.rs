//! The Cognito Identity (identity pool) API: `X-Amz-Target: AWSCognitoIdentityService.<Operation>`,
//! JSON 1.1, as in the Amazon Cognito Federated Identities API reference.
//!
//! An identity pool hands out temporary AWS credentials: to guests (when it allows unauthenticated
//! identities) and to users signed in to a user pool, who present their ID token in `Logins`
//! keyed by the provider name (`cognito-idp.<region>.amazonaws.com/<userPoolId>`). Which IAM role
//! the credentials are for is decided by the pool's `Roles` and `RoleMappings`.
//!
//! `GetId`, `GetCredentialsForIdentity` and `GetOpenIdToken` are public (unsigned); every other
//! operation needs a SigV4 signature by an admin key. `DescribeRequestSigner` is Cognate's own
//! admin operation: given a request signed with credentials this API issued, it says which
//! identity and role signed it and why that role was chosen.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

macro_rules! identity_operations {
    (public: [$($public:ident),* $(,)?], admin: [$($admin:ident),* $(,)?]) => {
        /// One identity-pool API operation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum IdentityOperation { $($public,)* $($admin,)* }

        impl IdentityOperation {
            /// Parses the part of `X-Amz-Target` after the service prefix.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($public) => Some(IdentityOperation::$public),)*
                    $(stringify!($admin) => Some(IdentityOperation::$admin),)*
                    _ => None,
                }
            }

            /// Whether the operation requires a SigV4 signature by an admin key.
            pub fn requires_signature(self) -> bool {
                match self {
                    $(IdentityOperation::$public => false,)*
                    $(IdentityOperation::$admin => true,)*
                }
            }
        }
    };
}

identity_operations!(
    public: [GetId, GetCredentialsForIdentity, GetOpenIdToken],
    admin: [
        CreateIdentityPool,
        DescribeIdentityPool,
        ListIdentityPools,
        UpdateIdentityPool,
        DeleteIdentityPool,
        SetIdentityPoolRoles,
        GetIdentityPoolRoles,
        ListIdentities,
        DescribeIdentity,
        DeleteIdentities,
        DescribeRequestSigner,
    ]
);

/// A user pool (app client) an identity pool trusts (`CognitoIdentityProvider`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    #[serde(default)]
    pub provider_name: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_side_token_check: Option<bool>,
}

/// An identity pool (`IdentityPool`): the request of `CreateIdentityPool` (without the id) and
/// `UpdateIdentityPool`, and the answer of both and of `DescribeIdentityPool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub identity_pool_id: String,
    #[serde(default)]
    pub identity_pool_name: String,
    #[serde(default)]
    pub allow_unauthenticated_identities: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_classic_flow: Option<bool>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub cognito_identity_providers: Vec<CognitoIdentityProvider>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub supported_login_providers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<String>,
    #[serde(
        default,
        rename = "OpenIdConnectProviderARNs",
        deserialize_with = "crate::null_as_default"
    )]
    pub open_id_connect_provider_arns: Vec<String>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub saml_provider_arns: Vec<String>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub identity_pool_tags: BTreeMap<String, String>,
}

/// `DescribeIdentityPool`, `DeleteIdentityPool` and `GetIdentityPoolRoles`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolRequest {
    #[serde(default)]
    pub identity_pool_id: String,
}

/// `ListIdentityPools`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsRequest {
    #[serde(default)]
    pub max_results: i64,
    pub next_token: Option<String>,
}

/// One entry of `ListIdentityPools`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolShortDescription {
    pub identity_pool_id: String,
    pub identity_pool_name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsResponse {
    pub identity_pools: Vec<IdentityPoolShortDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// How a role mapping picks a role (`RoleMappingType`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum RoleMappingType {
    /// The token's `cognito:preferred_role` / `cognito:roles`.
    Token,
    /// The first matching rule.
    Rules,
}

/// What to do when no role can be chosen (`AmbiguousRoleResolutionType`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum AmbiguousRoleResolution {
    AuthenticatedRole,
    Deny,
}

/// How a rule compares a claim with its value (`MappingRuleMatchType`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum MatchType {
    Equals,
    Contains,
    StartsWith,
    NotEqual,
}

impl MatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Equals => "Equals",
            MatchType::Contains => "Contains",
            MatchType::StartsWith => "StartsWith",
            MatchType::NotEqual => "NotEqual",
        }
    }
}

/// One rule of a `Rules` mapping (`MappingRule`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct MappingRule {
    pub claim: String,
    pub match_type: MatchType,
    pub value: String,
    #[serde(rename = "RoleARN")]
    pub role_arn: String,
}

/// The rules of a `Rules` mapping (`RulesConfigurationType`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct RulesConfiguration {
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub rules: Vec<MappingRule>,
}

/// The role mapping of one identity provider (`RoleMapping`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct RoleMapping {
    #[serde(rename = "Type")]
    pub kind: RoleMappingType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous_role_resolution: Option<AmbiguousRoleResolution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_configuration: Option<RulesConfiguration>,
}

/// `SetIdentityPoolRoles`, and the answer of `GetIdentityPoolRoles`. `Roles` has the keys
/// `authenticated` and `unauthenticated`; `RoleMappings` is keyed by provider name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolRoles {
    #[serde(default)]
    pub identity_pool_id: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub roles: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub role_mappings: BTreeMap<String, RoleMapping>,
}

/// `GetId`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdRequest {
    pub account_id: Option<String>,
    #[serde(default)]
    pub identity_pool_id: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub logins: BTreeMap<String, String>,
}

/// The answer of `GetId`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdResponse {
    pub identity_id: String,
}

/// `GetCredentialsForIdentity` and (without `CustomRoleArn`) `GetOpenIdToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityLoginsRequest {
    #[serde(default)]
    pub identity_id: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub logins: BTreeMap<String, String>,
    pub custom_role_arn: Option<String>,
}

/// Temporary AWS credentials (`Credentials`); `Expiration` in epoch seconds.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_key: String,
    pub session_token: String,
    pub expiration: f64,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_key", &"[redacted]")
            .field("session_token", &"[redacted]")
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The answer of `GetCredentialsForIdentity`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct GetCredentialsForIdentityResponse {
    pub identity_id: String,
    pub credentials: Credentials,
}

/// The answer of `GetOpenIdToken`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct GetOpenIdTokenResponse {
    pub identity_id: String,
    pub token: String,
}

/// `ListIdentities`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesRequest {
    #[serde(default)]
    pub identity_pool_id: String,
    #[serde(default)]
    pub max_results: i64,
    pub next_token: Option<String>,
    pub hide_disabled: Option<bool>,
}

/// An identity (`IdentityDescription`): dates in epoch seconds; `Logins` names providers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityDescription {
    pub identity_id: String,
    pub logins: Vec<String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesResponse {
    pub identity_pool_id: String,
    pub identities: Vec<IdentityDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// `DescribeIdentity`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeIdentityRequest {
    #[serde(default)]
    pub identity_id: String,
}

/// `DeleteIdentities`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesRequest {
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub identity_ids_to_delete: Vec<String>,
}

/// One identity `DeleteIdentities` could not delete.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct UnprocessedIdentityId {
    pub identity_id: String,
    pub error_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesResponse {
    pub unprocessed_identity_ids: Vec<UnprocessedIdentityId>,
}

/// `DescribeRequestSigner` (Cognate's own): a request as it was sent — method, raw path and
/// query, headers (a repeated header's values joined with `,`) and body.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeRequestSignerRequest {
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub query: String,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: String,
}

/// Who signed a request: the credentials' identity, role, expiry and why the role was chosen.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeRequestSignerResponse {
    pub access_key_id: String,
    pub identity_id: String,
    pub identity_pool_id: String,
    pub role_arn: String,
    pub expiration: f64,
    /// When the request was signed (its `X-Amz-Date`), epoch seconds.
    pub signed_at: f64,
    /// Whether the credentials had expired when the request was signed.
    pub expired: bool,
    /// Which role, mapping or rule chose the role.
    pub reason: String,
}
