//! App client management: CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
//! UpdateUserPoolClient, DeleteUserPoolClient.
//!
//! Defaults follow Cognito where it is safe (token lifetimes, flows) and are stricter where it
//! is not: `PreventUserExistenceErrors` is `ENABLED` and token revocation on unless asked otherwise.

use cognate_protocol::auth::ExplicitAuthFlow;
use cognate_protocol::user_pool::{
    CreateUserPoolClientRequest, ListRequest, UpdateUserPoolClientRequest, UserPoolClientDescription,
    UserPoolClientIdRequest, UserPoolClientSettings, UserPoolClientType,
};
use serde::Serialize;

use super::pools::Empty;
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{new_client_id, new_client_secret};
use crate::state::AppState;
use crate::store::AppClient;
use crate::token::lifetimes;
use crate::user_pool::load_pool;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolClientResponse {
    user_pool_client: UserPoolClientType,
}

impl UserPoolClientResponse {
    pub fn client_id(self) -> String {
        self.user_pool_client.client_id
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserPoolClientsResponse {
    user_pool_clients: Vec<UserPoolClientDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Fills defaults and checks ranges.
fn normalise(settings: &mut UserPoolClientSettings) -> ApiResult<()> {
    let length = settings.client_name.chars().count();
    if length == 0 || length > 128 {
        return Err(ApiError::invalid_parameter(
            "ClientName must be between 1 and 128 characters.",
        ));
    }
    if settings.explicit_auth_flows.is_empty() {
        settings.explicit_auth_flows = vec![
            ExplicitAuthFlow::AllowUserSrpAuth,
            ExplicitAuthFlow::AllowRefreshTokenAuth,
            ExplicitAuthFlow::AllowCustomAuth,
        ];
    }
    let flows = &settings.explicit_auth_flows;
    if flows.iter().any(|f| !f.is_legacy()) && flows.iter().any(|f| f.is_legacy()) {
        return Err(ApiError::invalid_parameter(
            "ExplicitAuthFlows cannot mix legacy and ALLOW_ values.",
        ));
    }
    match settings.prevent_user_existence_errors.as_deref() {
        None => settings.prevent_user_existence_errors = Some("ENABLED".into()),
        Some("ENABLED" | "LEGACY") => {}
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
                "PreventUserExistenceErrors must be ENABLED or LEGACY, not {other}."
            )))
        }
    }
    settings.enable_token_revocation.get_or_insert(true);
    let session = *settings.auth_session_validity.get_or_insert(3);
    if !(3..=15).contains(&session) {
        return Err(ApiError::invalid_parameter(
            "AuthSessionValidity must be between 3 and 15 minutes.",
        ));
    }
    for unit in settings
        .token_validity_units
        .iter()
        .flat_map(|u| [&u.access_token, &u.id_token, &u.refresh_token])
        .flatten()
    {
        if !matches!(unit.as_str(), "seconds" | "minutes" | "hours" | "days") {
            return Err(ApiError::invalid_parameter(format!(
                "{unit} is not a valid TimeUnitsType value."
            )));
        }
    }
    let life = lifetimes(settings);
    if !(300..=86_400).contains(&life.access) || !(300..=86_400).contains(&life.id) {
        return Err(ApiError::invalid_parameter(
            "Access and ID token validity must be between 5 minutes and 1 day.",
        ));
    }
    if !(3600..=315_360_000).contains(&life.refresh) {
        return Err(ApiError::invalid_parameter(
            "RefreshTokenValidity must be between 60 minutes and 10 years.",
        ));
    }
    if let Some(rotation) = &settings.refresh_token_rotation {
        if !matches!(rotation.feature.as_deref(), None | Some("ENABLED" | "DISABLED")) {
            return Err(ApiError::invalid_parameter(
                "RefreshTokenRotation.Feature must be ENABLED or DISABLED.",
            ));
        }
        if let Some(grace) = rotation.retry_grace_period_seconds {
            if !(0..=60).contains(&grace) {
                return Err(ApiError::invalid_parameter(format!(
                    "RefreshTokenRotation.RetryGracePeriodSeconds must be between 0 and 60, not {grace}."
                )));
            }
        }
    }
    Ok(())
}

fn describe(client: AppClient) -> UserPoolClientType {
    UserPoolClientType {
        user_pool_id: client.pool_id,
        client_id: client.client_id,
        client_secret: client.secret,
        creation_date: client.created_at as f64,
        last_modified_date: client.updated_at as f64,
        settings: client.settings,
    }
}

async fn load(state: &AppState, pool_id: &str, client_id: &str) -> ApiResult<AppClient> {
    load_pool(state, pool_id).await?;
    state
        .store
        .get_client(client_id)
        .await?
        .filter(|c| c.pool_id == pool_id)
        .ok_or_else(|| ApiError::client_not_found(client_id))
}

pub async fn create_user_pool_client(
    state: &AppState,
    request: CreateUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let mut settings = request.settings;
    normalise(&mut settings)?;
    super::client_oauth::check(state, &request.user_pool_id, &settings, request.generate_secret).await?;
    let now = state.clock.now();
    let client = AppClient {
        pool_id: request.user_pool_id,
        client_id: new_client_id(),
        secret: request.generate_secret.then(new_client_secret),
        settings,
        created_at: now,
        updated_at: now,
    };
    state.store.insert_client(&client).await?;
    Ok(UserPoolClientResponse {
        user_pool_client: describe(client),
    })
}

pub async fn describe_user_pool_client(
    state: &AppState,
    request: UserPoolClientIdRequest,
) -> ApiResult<UserPoolClientResponse> {
    let client = load(state, &request.user_pool_id, &request.client_id).await?;
    Ok(UserPoolClientResponse {
        user_pool_client: describe(client),
    })
}

pub async fn list_user_pool_clients(state: &AppState, request: ListRequest) -> ApiResult<ListUserPoolClientsResponse> {
    let pool_id = request.user_pool_id.unwrap_or_default();
    load_pool(state, &pool_id).await?;
    let limit = request.max_results.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter("MaxResults must be between 1 and 60."));
    }
    let mut clients = state
        .store
        .list_clients(&pool_id, request.next_token.as_deref(), limit + 1)
        .await?;
    let more = clients.len() as i64 > limit;
    clients.truncate(limit as usize);
    let next_token = if more {
        clients.last().map(|c| c.client_id.clone())
    } else {
        None
    };
    let user_pool_clients = clients
        .into_iter()
        .map(|c| UserPoolClientDescription {
            client_id: c.client_id,
            user_pool_id: c.pool_id,
            client_name: c.settings.client_name,
        })
        .collect();
    Ok(ListUserPoolClientsResponse {
        user_pool_clients,
        next_token,
    })
}

pub async fn update_user_pool_client(
    state: &AppState,
    request: UpdateUserPoolClientRequest,
) -> ApiResult<UserPoolClientResponse> {
    let mut client = load(state, &request.user_pool_id, &request.client_id).await?;
    let mut settings = request.settings;
    if settings.client_name.is_empty() {
        settings.client_name = client.settings.client_name.clone();
    }
    normalise(&mut settings)?;
    super::client_oauth::check(state, &client.pool_id, &settings, client.secret.is_some()).await?;
    client.settings = settings;
    client.updated_at = state.clock.now();
    state.store.update_client(&client).await?;
    Ok(UserPoolClientResponse {
        user_pool_client: describe(client),
    })
}

pub async fn delete_user_pool_client(state: &AppState, request: UserPoolClientIdRequest) -> ApiResult<Empty> {
    let client = load(state, &request.user_pool_id, &request.client_id).await?;
    state.store.delete_client(&client.client_id).await?;
    Ok(Empty {})
}
