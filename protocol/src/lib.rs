//! # cognate-protocol
//!
//! The Cognito wire contract, defined once and shared by the Cognate widget (compiled to
//! WebAssembly) and the Cognate server. Nothing here touches a database, a socket or a clock:
//! it is serde types and small pure rules, so it builds for `wasm32-unknown-unknown`.
//!
//! # Layout
//!
//! - [`operation`]: the `X-Amz-Target` operations the user-pool API answers, and which of them
//!   need an AWS SigV4 signature.
//! - [`error`]: Cognito's exception names ([`error::ErrorCode`]) and the JSON error body.
//! - [`auth`]: authentication flows, challenge names and the InitiateAuth /
//!   RespondToAuthChallenge messages — sign-in as a stepped process.
//! - [`user`]: attributes, user records and the self-service user operations.
//! - [`user_pool`]: pools, app clients and their settings (password policy, token validity).
//! - [`admin`]: the `Admin*` user operations and `ListUsers`.
//! - [`group`]: groups, their roles and precedence, and membership.
//! - [`identity`]: the identity-pool (Cognito Identity) API and its operations.
//! - [`import`]: CSV user import jobs and their log.
//! - [`oauth`]: resource servers (custom OAuth scopes) and the hosted-UI domain.
//! - [`mfa`]: the pool's MFA configuration, authenticator apps and users' MFA preferences.
//! - [`device`]: remembered devices and the pool's device tracking.
//! - [`password_policy`]: the pool's password rules, checked the same way on both sides.

pub mod admin;
pub mod auth;
pub mod device;
pub mod error;
pub mod group;
pub mod identity;
pub mod ids;
pub mod import;
pub mod mfa;
pub mod oauth;
pub mod operation;
pub mod password_policy;
pub mod user;
pub mod user_pool;

/// The `Content-Type` of every Cognito JSON request and response.
pub const AMZ_JSON: &str = "application/x-amz-json-1.1";
/// The `X-Amz-Target` prefix of the user-pool API.
pub const USER_POOL_TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
/// The `X-Amz-Target` prefix of the identity-pool API.
pub const IDENTITY_TARGET_PREFIX: &str = "AWSCognitoIdentityService.";

/// Reads a JSON `null` as the type's default: clients (amazon-cognito-identity-js among them)
/// send `"ValidationData": null` and the like for absent lists and maps.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn null_lists_and_maps_read_as_empty() {
        let request: crate::user::SignUpRequest = serde_json::from_str(
            r#"{"ClientId":"c","Username":"u","Password":"p","UserAttributes":null,"ValidationData":null}"#,
        )
        .expect("nulls accepted");
        assert!(request.user_attributes.is_empty() && request.validation_data.is_empty());
        let auth: crate::auth::InitiateAuthRequest =
            serde_json::from_str(r#"{"ClientId":"c","AuthParameters":{"USERNAME":"u"},"ClientMetadata":null}"#)
                .expect("null map accepted");
        assert_eq!(auth.auth_parameters.len(), 1);
    }
}
