//! Groups: CreateGroup, GetGroup, ListGroups, UpdateGroup, DeleteGroup, AdminAddUserToGroup,
//! AdminRemoveUserFromGroup, AdminListGroupsForUser and ListUsersInGroup. Lists page with an
//! opaque `NextToken`, as Cognito's do.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::group::{
    GroupMemberRequest, GroupRequest, GroupResponse, GroupSettingsRequest, GroupType, ListGroupsRequest,
    ListGroupsResponse, ListUsersInGroupRequest, ListUsersInGroupResponse,
};

use super::admin_users::user_type;
use super::pools::Empty;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{Group, StoreError};
use crate::user_pool::{identity, load_pool};

fn group_type(group: Group) -> GroupType {
    GroupType {
        group_name: group.name,
        user_pool_id: group.pool_id,
        description: group.description,
        role_arn: group.role_arn,
        precedence: group.precedence,
        last_modified_date: group.updated_at as f64,
        creation_date: group.created_at as f64,
    }
}

fn group_not_found() -> ApiError {
    ApiError::new(ErrorCode::ResourceNotFound, "Group not found.")
}

/// Checks a group's name and settings against Cognito's limits.
fn validate(request: &GroupSettingsRequest) -> ApiResult<()> {
    let length = request.group_name.chars().count();
    if length == 0 || length > 128 || request.group_name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid_parameter(
            "GroupName must be 1 to 128 characters without spaces.",
        ));
    }
    if request.description.as_ref().is_some_and(|d| d.chars().count() > 2048) {
        return Err(ApiError::invalid_parameter(
            "Description must be at most 2048 characters.",
        ));
    }
    if request.precedence.is_some_and(|p| !(0..=2_147_483_647).contains(&p)) {
        return Err(ApiError::invalid_parameter(
            "Precedence must be a non-negative integer.",
        ));
    }
    if let Some(arn) = &request.role_arn {
        if !arn.starts_with("arn:") || arn.split(':').count() < 6 || arn.len() > 2048 {
            return Err(ApiError::invalid_parameter(format!(
                "RoleArn {arn:?} is not an IAM role ARN."
            )));
        }
    }
    Ok(())
}

/// Decodes a `NextToken`.
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

/// Checks `Limit` (1–60, default 60).
fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    let limit = limit.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return Err(ApiError::invalid_parameter("Limit must be between 1 and 60."));
    }
    Ok(limit)
}

/// Cuts a page of `limit + 1` rows to `limit` and makes the token for the next one.
fn paginate<T>(mut rows: Vec<T>, limit: i64, key: impl Fn(&T) -> &str) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more {
        rows.last().map(|r| URL_SAFE_NO_PAD.encode(key(r)))
    } else {
        None
    };
    (rows, next)
}

async fn load_group(state: &AppState, pool_id: &str, name: &str) -> ApiResult<Group> {
    load_pool(state, pool_id).await?;
    state.store.get_group(pool_id, name).await?.ok_or_else(group_not_found)
}

pub async fn create_group(state: &AppState, request: GroupSettingsRequest) -> ApiResult<GroupResponse> {
    load_pool(state, &request.user_pool_id).await?;
    validate(&request)?;
    let now = state.clock.now();
    let group = Group {
        pool_id: request.user_pool_id,
        name: request.group_name,
        description: request.description,
        role_arn: request.role_arn,
        precedence: request.precedence,
        created_at: now,
        updated_at: now,
    };
    match state.store.insert_group(&group).await {
        Ok(()) => Ok(GroupResponse {
            group: group_type(group),
        }),
        Err(StoreError::Conflict(_)) => Err(ApiError::new(
            ErrorCode::GroupExists,
            format!("A group with the name {} already exists.", group.name),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn get_group(state: &AppState, request: GroupRequest) -> ApiResult<GroupResponse> {
    let group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    Ok(GroupResponse {
        group: group_type(group),
    })
}

pub async fn update_group(state: &AppState, request: GroupSettingsRequest) -> ApiResult<GroupResponse> {
    let mut group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    validate(&request)?;
    if request.description.is_some() {
        group.description = request.description;
    }
    if request.role_arn.is_some() {
        group.role_arn = request.role_arn;
    }
    if request.precedence.is_some() {
        group.precedence = request.precedence;
    }
    group.updated_at = state.clock.now();
    state.store.update_group(&group).await?;
    Ok(GroupResponse {
        group: group_type(group),
    })
}

pub async fn delete_group(state: &AppState, request: GroupRequest) -> ApiResult<Empty> {
    let group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    state.store.delete_group(&group.pool_id, &group.name).await?;
    Ok(Empty {})
}

pub async fn list_groups(state: &AppState, request: ListGroupsRequest) -> ApiResult<ListGroupsResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let limit = page_limit(request.limit)?;
    let after = page_after(&request.next_token)?;
    let rows = state
        .store
        .list_groups(&request.user_pool_id, after.as_deref(), limit + 1)
        .await?;
    let (rows, next_token) = paginate(rows, limit, |g| &g.name);
    Ok(ListGroupsResponse {
        groups: rows.into_iter().map(group_type).collect(),
        next_token,
    })
}

pub async fn admin_add_user_to_group(state: &AppState, request: GroupMemberRequest) -> ApiResult<Empty> {
    let group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    let pool = load_pool(state, &request.user_pool_id).await?;
    let user = identity::require_user(state, &pool, &request.username).await?;
    state.store.add_member(&pool.id, &group.name, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_remove_user_from_group(state: &AppState, request: GroupMemberRequest) -> ApiResult<Empty> {
    let group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    let pool = load_pool(state, &request.user_pool_id).await?;
    let user = identity::require_user(state, &pool, &request.username).await?;
    state.store.remove_member(&pool.id, &group.name, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_list_groups_for_user(state: &AppState, request: ListGroupsRequest) -> ApiResult<ListGroupsResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    let username = request.username.as_deref().unwrap_or("");
    let user = identity::require_user(state, &pool, username).await?;
    let limit = page_limit(request.limit)?;
    let after = page_after(&request.next_token)?;
    let rows = state
        .store
        .groups_of_user(&pool.id, &user.sub, after.as_deref(), limit + 1)
        .await?;
    let (rows, next_token) = paginate(rows, limit, |g| &g.name);
    Ok(ListGroupsResponse {
        groups: rows.into_iter().map(group_type).collect(),
        next_token,
    })
}

pub async fn list_users_in_group(
    state: &AppState,
    request: ListUsersInGroupRequest,
) -> ApiResult<ListUsersInGroupResponse> {
    let group = load_group(state, &request.user_pool_id, &request.group_name).await?;
    let limit = page_limit(request.limit)?;
    let after = page_after(&request.next_token)?;
    let rows = state
        .store
        .members(&group.pool_id, &group.name, after.as_deref(), limit + 1)
        .await?;
    let (rows, next_token) = paginate(rows, limit, |u| &u.sub);
    Ok(ListUsersInGroupResponse {
        users: rows.iter().map(user_type).collect(),
        next_token,
    })
}
