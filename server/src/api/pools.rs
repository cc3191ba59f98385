//! Pool management: CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool,
//! DeleteUserPool. Each pool gets its own RS256 signing key at creation.

use cognate_protocol::user_pool::{
    CreateUserPoolRequest, ListRequest, UpdateUserPoolRequest, UserPoolDescription, UserPoolIdRequest,
    UserPoolSettings, UserPoolType,
};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::one_time_code::new_pool_id;
use crate::state::AppState;
use crate::store::UserPool;
use crate::token::keys;
use crate::user_pool::attributes::{schema_name, STANDARD};
use crate::user_pool::load_pool;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolResponse {
    user_pool: UserPoolType,
}

impl UserPoolResponse {
    pub fn pool_id(self) -> String {
        self.user_pool.id
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolsResponse {
    user_pools: Vec<UserPoolDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

#[derive(Serialize)]
pub struct Empty {}

/// Checks a pool's settings and normalises schema names (`custom:` prefix).
pub fn validate_settings(settings: &mut UserPoolSettings) -> ApiResult<()> {
    if !settings.alias_attributes.is_empty() && !settings.username_attributes.is_empty() {
        return Err(ApiError::invalid_parameter(
            "Only one of AliasAttributes and UsernameAttributes can be set in a User Pool.",
        ));
    }
    for attribute in &settings.username_attributes {
        if !matches!(attribute.as_str(), "email" | "phone_number") {
            return Err(ApiError::invalid_parameter(format!(
                "{attribute} is not a valid UsernameAttributes value."
            )));
        }
    }
    for attribute in &settings.alias_attributes {
        if !matches!(attribute.as_str(), "email" | "phone_number" | "preferred_username") {
            return Err(ApiError::invalid_parameter(format!(
                "{attribute} is not a valid AliasAttributes value."
            )));
        }
    }
    for attribute in &settings.auto_verified_attributes {
        if !matches!(attribute.as_str(), "email" | "phone_number") {
            return Err(ApiError::invalid_parameter(format!(
                "{attribute} is not a valid AutoVerifiedAttributes value."
            )));
        }
    }
    if let Some(policy) = &settings.policies.password_policy {
        if !(6..=99).contains(&policy.minimum_length) {
            return Err(ApiError::invalid_parameter("MinimumLength must be between 6 and 99."));
        }
        if policy.temporary_password_validity_days > 365 {
            return Err(ApiError::invalid_parameter(
                "TemporaryPasswordValidityDays must be at most 365.",
            ));
        }
    }
    for attribute in &mut settings.schema {
        let custom = !STANDARD.contains(&attribute.name.as_str());
        let bare = attribute.name.trim_start_matches("custom:");
        if custom && (bare.is_empty() || bare.chars().count() > 20) {
            return Err(ApiError::invalid_parameter(format!(
                "Custom attribute name {bare:?} must be 1 to 20 characters."
            )));
        }
        if custom && attribute.required {
            return Err(ApiError::invalid_parameter(
                "Required custom attributes are not supported.",
            ));
        }
        attribute.name = schema_name(&attribute.name);
        if attribute.attribute_data_type.is_none() {
            attribute.attribute_data_type = Some("String".into());
        }
    }
    Ok(())
}

fn validate_name(name: &str) -> ApiResult<()> {
    let length = name.chars().count();
    if length == 0 || length > 128 {
        return Err(ApiError::invalid_parameter(
            "PoolName must be between 1 and 128 characters.",
        ));
    }
    Ok(())
}

async fn describe(state: &AppState, mut pool: UserPool) -> ApiResult<UserPoolType> {
    let users = state.store.count_users(&pool.id).await?;
    let schema_attributes = std::mem::take(&mut pool.settings.schema);
    Ok(UserPoolType {
        arn: format!(
            "arn:aws:cognito-idp:{}:000000000000:userpool/{}",
            state.config.region, pool.id
        ),
        id: pool.id,
        name: pool.name,
        creation_date: pool.created_at as f64,
        last_modified_date: pool.updated_at as f64,
        estimated_number_of_users: users,
        schema_attributes,
        settings: pool.settings,
    })
}

pub async fn create_user_pool(state: &AppState, request: CreateUserPoolRequest) -> ApiResult<UserPoolResponse> {
    validate_name(&request.pool_name)?;
    let mut settings = request.settings;
    validate_settings(&mut settings)?;
    if settings.policies.password_policy.is_none() {
        settings.policies.password_policy = Some(Default::default());
    }
    let (signing_key, key_id) = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(|e| ApiError::internal("keygen task", e))?
        .map_err(|e| ApiError::internal("keygen", e))?;
    let now = state.clock.now();
    let id = new_pool_id(&state.config.region);
    let signing_key = state.vault.seal(&crate::vault::purpose::signing_key(&id), &signing_key);
    let pool = UserPool {
        id,
        name: request.pool_name,
        settings,
        signing_key,
        key_id,
        created_at: now,
        updated_at: now,
    };
    state.store.insert_pool(&pool).await?;
    Ok(UserPoolResponse {
        user_pool: describe(state, pool).await?,
    })
}

pub async fn describe_user_pool(state: &AppState, request: UserPoolIdRequest) -> ApiResult<UserPoolResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    Ok(UserPoolResponse {
        user_pool: describe(state, pool).await?,
    })
}

pub async fn list_user_pools(state: &AppState, request: ListRequest) -> ApiResult<ListUserPoolsResponse> {
    let limit = request
        .max_results
        .ok_or_else(|| ApiError::invalid_parameter("MaxResults is required."))?;
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter("MaxResults must be between 1 and 60."));
    }
    let mut pools = state.store.list_pools(request.next_token.as_deref(), limit + 1).await?;
    let more = pools.len() as i64 > limit;
    pools.truncate(limit as usize);
    let next_token = if more { pools.last().map(|p| p.id.clone()) } else { None };
    let user_pools = pools
        .into_iter()
        .map(|p| UserPoolDescription {
            id: p.id,
            name: p.name,
            creation_date: p.created_at as f64,
            last_modified_date: p.updated_at as f64,
        })
        .collect();
    Ok(ListUserPoolsResponse { user_pools, next_token })
}

pub async fn update_user_pool(state: &AppState, request: UpdateUserPoolRequest) -> ApiResult<Empty> {
    let mut pool = load_pool(state, &request.user_pool_id).await?;
    let mut settings = request.settings;
    // How users are identified and the schema cannot change after creation, as in Cognito.
    settings.username_attributes = pool.settings.username_attributes.clone();
    settings.alias_attributes = pool.settings.alias_attributes.clone();
    settings.username_configuration = pool.settings.username_configuration.clone();
    settings.schema = pool.settings.schema.clone();
    validate_settings(&mut settings)?;
    if settings.policies.password_policy.is_none() {
        settings.policies.password_policy = Some(Default::default());
    }
    pool.settings = settings;
    pool.updated_at = state.clock.now();
    state.store.update_pool(&pool).await?;
    state.pools.invalidate(&pool.id);
    Ok(Empty {})
}

pub async fn delete_user_pool(state: &AppState, request: UserPoolIdRequest) -> ApiResult<Empty> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    if pool.settings.deletion_protection.as_deref() == Some("ACTIVE") {
        return Err(ApiError::invalid_parameter(
            "The user pool cannot be deleted because deletion protection is activated. Deactivate it with UpdateUserPool first.",
        ));
    }
    state.store.delete_pool(&pool.id).await?;
    state.keys.remove(&pool.id);
    state.pools.invalidate(&pool.id);
    Ok(Empty {})
}
