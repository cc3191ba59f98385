//! Identity pools: the Cognito Identity API (`AWSCognitoIdentityService.*`).
//!
//! An identity pool trusts user pools (by provider name and app client id) and hands out
//! temporary AWS credentials for IAM roles: to guests when the pool allows them, and to
//! signed-in users who present their ID token. Each user gets one stable identity id per
//! identity pool.
//!
//! # Layout
//!
//! - [`pools`]: identity pool CRUD and its roles and role mappings.
//! - [`logins`]: checking the ID tokens of a `Logins` map.
//! - [`roles`]: choosing the role of a sign-in (Token and Rules mappings, ambiguity).
//! - [`identities`]: `GetId` and the admin view of identities.
//! - [`credentials`]: issuing credentials (`GetCredentialsForIdentity`) and OpenID tokens.
//! - [`signer`]: `DescribeRequestSigner`, which says whose credentials signed a request.

pub mod credentials;
pub mod identities;
pub mod logins;
pub mod pools;
pub mod roles;
pub mod signer;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::identity::IdentityOperation;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::identity::{IdentityPoolRecord, IdentityRecord};

/// Runs one identity-pool operation on a JSON body (the signature, if needed, already checked).
pub async fn dispatch(state: &AppState, operation: IdentityOperation, body: &[u8]) -> ApiResult<Vec<u8>> {
    use IdentityOperation as Op;
    match operation {
        Op::CreateIdentityPool => reply(pools::create(state, parse(body)?).await),
        Op::DescribeIdentityPool => reply(pools::describe(state, parse(body)?).await),
        Op::ListIdentityPools => reply(pools::list(state, parse(body)?).await),
        Op::UpdateIdentityPool => reply(pools::update(state, parse(body)?).await),
        Op::DeleteIdentityPool => reply(pools::delete(state, parse(body)?).await),
        Op::SetIdentityPoolRoles => reply(pools::set_roles(state, parse(body)?).await),
        Op::GetIdentityPoolRoles => reply(pools::get_roles(state, parse(body)?).await),
        Op::GetId => reply(identities::get_id(state, parse(body)?).await),
        Op::ListIdentities => reply(identities::list(state, parse(body)?).await),
        Op::DescribeIdentity => reply(identities::describe(state, parse(body)?).await),
        Op::DeleteIdentities => reply(identities::delete(state, parse(body)?).await),
        Op::GetCredentialsForIdentity => reply(credentials::get_credentials_for_identity(state, parse(body)?).await),
        Op::GetOpenIdToken => reply(credentials::get_open_id_token(state, parse(body)?).await),
        Op::DescribeRequestSigner => reply(signer::describe_request_signer(state, parse(body)?).await),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::new(ErrorCode::Serialization, format!("Request body is not valid JSON: {e}"))
        } else {
            ApiError::invalid_parameter(format!("Invalid request: {e}"))
        }
    })
}

fn reply<T: Serialize>(result: ApiResult<T>) -> ApiResult<Vec<u8>> {
    serde_json::to_vec(&result?).map_err(|e| ApiError::internal("encoding response", e))
}

/// A new pool or identity id: `<region>:<uuid>`, as Cognito's look.
fn new_id(state: &AppState) -> String {
    format!("{}:{}", state.config.region, uuid::Uuid::new_v4())
}

/// Checks the form of an identity pool or identity id (`<region>:<uuid>`, at most 55 characters).
fn check_id(field: &str, id: &str) -> ApiResult<()> {
    let valid = id.len() <= 55
        && id.split_once(':').is_some_and(|(region, rest)| {
            !region.is_empty()
                && region.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        });
    if valid {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{field} {id:?} is not an id like us-east-1:1a2b3c4d-…"
        )))
    }
}

/// The identity pool a request names.
async fn load_pool(state: &AppState, id: &str) -> ApiResult<IdentityPoolRecord> {
    check_id("IdentityPoolId", id)?;
    state
        .store
        .get_identity_pool(id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::ResourceNotFound, format!("IdentityPool '{id}' not found.")))
}

/// The identity a request names.
async fn load_identity(state: &AppState, id: &str) -> ApiResult<IdentityRecord> {
    check_id("IdentityId", id)?;
    state
        .store
        .get_identity(id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::ResourceNotFound, format!("Identity '{id}' not found.")))
}

/// Checks `MaxResults` (1–60).
fn page_limit(max_results: i64) -> ApiResult<i64> {
    if (1..=60).contains(&max_results) {
        Ok(max_results)
    } else {
        Err(ApiError::invalid_parameter("MaxResults must be between 1 and 60."))
    }
}

/// Decodes a `NextToken` into the id to continue after.
fn page_after(token: &Option<String>) -> ApiResult<Option<String>> {
    match token {
        None => Ok(None),
        Some(token) => URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(Some)
            .ok_or_else(|| ApiError::invalid_parameter("Invalid NextToken.")),
    }
}

/// The `NextToken` after a full page whose last id is `last`.
fn next_token(full: bool, last: Option<&str>) -> Option<String> {
    last.filter(|_| full).map(|id| URL_SAFE_NO_PAD.encode(id))
}
