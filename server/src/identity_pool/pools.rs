//! CreateIdentityPool, DescribeIdentityPool, ListIdentityPools, UpdateIdentityPool,
//! DeleteIdentityPool, SetIdentityPoolRoles and GetIdentityPoolRoles.

use std::collections::BTreeMap;

use cognate_protocol::identity::{
    IdentityPool, IdentityPoolRequest, IdentityPoolRoles, IdentityPoolShortDescription, ListIdentityPoolsRequest,
    ListIdentityPoolsResponse, RoleMapping, RoleMappingType,
};
use rand::RngCore;
use serde_json::{json, Value};

use super::{load_pool, new_id, next_token, page_after, page_limit};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::identity::IdentityPoolRecord;

/// The user pool id a provider name names: `cognito-idp.<region>.amazonaws.com/<poolId>` or
/// Cognate's own issuer (`<public URL>/<poolId>`, with or without the scheme).
pub fn user_pool_of_provider(state: &AppState, provider_name: &str) -> Option<String> {
    let without_scheme = |s: &str| -> String {
        let s = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .unwrap_or(s);
        s.to_owned()
    };
    let name = without_scheme(provider_name);
    let (host, pool_id) = name.rsplit_once('/')?;
    let ours = without_scheme(&state.public_url);
    let cognito = host.starts_with("cognito-idp.") && host.ends_with(".amazonaws.com");
    let valid_id = pool_id.split_once('_').is_some_and(|(region, rest)| {
        !region.is_empty() && !rest.is_empty() && pool_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    });
    ((cognito || host == ours) && valid_id).then(|| pool_id.to_owned())
}

fn check_arn(field: &str, arn: &str) -> ApiResult<()> {
    if arn.starts_with("arn:") && arn.split(':').count() >= 6 && (20..=2048).contains(&arn.len()) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{field} {arn:?} is not an IAM role ARN."
        )))
    }
}

/// Checks a pool's settings against Cognito's limits and forms.
fn validate(state: &AppState, pool: &IdentityPool) -> ApiResult<()> {
    let name = &pool.identity_pool_name;
    let name_ok = (1..=128).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "+=,.@-".contains(c));
    if !name_ok {
        return Err(ApiError::invalid_parameter(
            "IdentityPoolName must be 1 to 128 letters, digits, spaces or +=,.@-_ characters.",
        ));
    }
    for provider in &pool.cognito_identity_providers {
        if user_pool_of_provider(state, &provider.provider_name).is_none() {
            return Err(ApiError::invalid_parameter(format!(
                "ProviderName {:?} is not a user pool provider like cognito-idp.<region>.amazonaws.com/<userPoolId>.",
                provider.provider_name
            )));
        }
        let id = &provider.client_id;
        if !(1..=128).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(ApiError::invalid_parameter(format!(
                "ClientId {id:?} is not an app client id."
            )));
        }
    }
    Ok(())
}

fn described(pool: &IdentityPoolRecord) -> IdentityPool {
    IdentityPool {
        identity_pool_id: pool.id.clone(),
        identity_pool_name: pool.name.clone(),
        ..pool.settings.clone()
    }
}

/// `CreateIdentityPool`.
pub async fn create(state: &AppState, mut request: IdentityPool) -> ApiResult<IdentityPool> {
    validate(state, &request)?;
    request.identity_pool_id.clear();
    let mut credential_key = vec![0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut credential_key);
    let now = state.clock.now();
    let id = new_id(state);
    let credential_key = state
        .vault
        .seal(&crate::vault::purpose::credential_key(&id), &credential_key);
    let pool = IdentityPoolRecord {
        id,
        name: request.identity_pool_name.clone(),
        settings: request,
        roles: BTreeMap::new(),
        role_mappings: BTreeMap::new(),
        credential_key,
        openid_key: None,
        created_at: now,
        updated_at: now,
    };
    state.store.insert_identity_pool(&pool).await?;
    Ok(described(&pool))
}

/// `DescribeIdentityPool`.
pub async fn describe(state: &AppState, request: IdentityPoolRequest) -> ApiResult<IdentityPool> {
    Ok(described(&load_pool(state, &request.identity_pool_id).await?))
}

/// `ListIdentityPools`.
pub async fn list(state: &AppState, request: ListIdentityPoolsRequest) -> ApiResult<ListIdentityPoolsResponse> {
    let limit = page_limit(request.max_results)?;
    let after = page_after(&request.next_token)?;
    let pools = state.store.list_identity_pools(after.as_deref(), limit).await?;
    let next_token = next_token(pools.len() as i64 == limit, pools.last().map(|p| p.id.as_str()));
    Ok(ListIdentityPoolsResponse {
        identity_pools: pools
            .into_iter()
            .map(|p| IdentityPoolShortDescription {
                identity_pool_id: p.id,
                identity_pool_name: p.name,
            })
            .collect(),
        next_token,
    })
}

/// `UpdateIdentityPool`: replaces the settings; roles and mappings stay.
pub async fn update(state: &AppState, mut request: IdentityPool) -> ApiResult<IdentityPool> {
    let mut pool = load_pool(state, &request.identity_pool_id).await?;
    validate(state, &request)?;
    request.identity_pool_id.clear();
    pool.name = request.identity_pool_name.clone();
    pool.settings = request;
    pool.updated_at = state.clock.now();
    state.store.update_identity_pool(&pool).await?;
    Ok(described(&pool))
}

/// `DeleteIdentityPool`.
pub async fn delete(state: &AppState, request: IdentityPoolRequest) -> ApiResult<Value> {
    let pool = load_pool(state, &request.identity_pool_id).await?;
    state.store.delete_identity_pool(&pool.id).await?;
    Ok(json!({}))
}

/// Checks one role mapping; its key is a provider name, optionally followed by `:<app client id>`.
fn validate_mapping(state: &AppState, provider: &str, mapping: &RoleMapping) -> ApiResult<()> {
    let (path, last) = provider.rsplit_once('/').unwrap_or(("", provider));
    let provider_name = match last.split_once(':') {
        Some((pool_id, _client)) => format!("{path}/{pool_id}"),
        None => provider.to_owned(),
    };
    if user_pool_of_provider(state, &provider_name).is_none() {
        return Err(ApiError::invalid_parameter(format!(
            "RoleMappings key {provider:?} is not a user pool provider name."
        )));
    }
    if mapping.ambiguous_role_resolution.is_none() {
        return Err(ApiError::invalid_parameter(format!(
            "RoleMappings[{provider:?}] needs an AmbiguousRoleResolution."
        )));
    }
    let rules = mapping
        .rules_configuration
        .as_ref()
        .map(|c| c.rules.as_slice())
        .unwrap_or_default();
    match mapping.kind {
        RoleMappingType::Rules if !(1..=25).contains(&rules.len()) => {
            return Err(ApiError::invalid_parameter(format!(
                "RoleMappings[{provider:?}] of Type Rules needs 1 to 25 rules in RulesConfiguration."
            )))
        }
        RoleMappingType::Token if !rules.is_empty() => {
            return Err(ApiError::invalid_parameter(format!(
                "RoleMappings[{provider:?}] of Type Token takes no RulesConfiguration."
            )))
        }
        _ => {}
    }
    for rule in rules {
        if !(1..=64).contains(&rule.claim.len()) || !(1..=128).contains(&rule.value.len()) {
            return Err(ApiError::invalid_parameter(
                "A rule's Claim must be 1 to 64 characters and its Value 1 to 128.",
            ));
        }
        check_arn("RoleARN", &rule.role_arn)?;
    }
    Ok(())
}

/// `SetIdentityPoolRoles`.
pub async fn set_roles(state: &AppState, request: IdentityPoolRoles) -> ApiResult<Value> {
    let mut pool = load_pool(state, &request.identity_pool_id).await?;
    for (kind, arn) in &request.roles {
        if kind != "authenticated" && kind != "unauthenticated" {
            return Err(ApiError::invalid_parameter(format!(
                "Roles key {kind:?} is neither authenticated nor unauthenticated."
            )));
        }
        check_arn("Roles", arn)?;
    }
    if request.role_mappings.len() > 10 {
        return Err(ApiError::invalid_parameter("RoleMappings takes at most 10 providers."));
    }
    for (provider, mapping) in &request.role_mappings {
        validate_mapping(state, provider, mapping)?;
    }
    pool.roles = request.roles;
    pool.role_mappings = request.role_mappings;
    pool.updated_at = state.clock.now();
    state.store.update_identity_pool(&pool).await?;
    Ok(json!({}))
}

/// `GetIdentityPoolRoles`.
pub async fn get_roles(state: &AppState, request: IdentityPoolRequest) -> ApiResult<IdentityPoolRoles> {
    let pool = load_pool(state, &request.identity_pool_id).await?;
    Ok(IdentityPoolRoles {
        identity_pool_id: pool.id,
        roles: pool.roles,
        role_mappings: pool.role_mappings,
    })
}
