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
//! - [`import`]: CSV user import jobs and their log.
//! - [`password_policy`]: the pool's password rules, checked the same way on both sides.

pub mod admin;
pub mod auth;
pub mod error;
pub mod group;
pub mod import;
pub mod operation;
pub mod password_policy;
pub mod user;
pub mod user_pool;

/// The `Content-Type` of every Cognito JSON request and response.
pub const AMZ_JSON: &str = "application/x-amz-json-1.1";
/// The `X-Amz-Target` prefix of the user-pool API.
pub const USER_POOL_TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
