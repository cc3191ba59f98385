//! GetId (public) and the admin view of identities: ListIdentities, DescribeIdentity,
//! DeleteIdentities.
//!
//! A signed-in user has one identity per identity pool, found again by (provider, `sub`); a
//! guest gets a new identity on every `GetId`, which it keeps and presents later.

use cognate_protocol::identity::{
    DeleteIdentitiesRequest, DeleteIdentitiesResponse, DescribeIdentityRequest, GetIdRequest, GetIdResponse,
    IdentityDescription, ListIdentitiesRequest, ListIdentitiesResponse,
};

use super::{check_id, load_identity, load_pool, logins, new_id, next_token, page_after, page_limit};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::identity::IdentityRecord;
use crate::store::StoreError;

/// The error for a guest where the pool has no guests.
pub fn guests_not_allowed() -> ApiError {
    ApiError::not_authorized("Unauthenticated access is not supported for this identity pool.")
}

/// `GetId`.
pub async fn get_id(state: &AppState, request: GetIdRequest) -> ApiResult<GetIdResponse> {
    let pool = load_pool(state, &request.identity_pool_id).await?;
    let login = logins::verify(state, &pool, &request.logins).await?;
    let now = state.clock.now();
    let mut identity = IdentityRecord {
        id: new_id(state),
        pool_id: pool.id.clone(),
        login: None,
        created_at: now,
        updated_at: now,
    };
    let Some(login) = login else {
        if !pool.settings.allow_unauthenticated_identities {
            return Err(guests_not_allowed());
        }
        state.store.insert_identity(&identity).await?;
        return Ok(GetIdResponse {
            identity_id: identity.id,
        });
    };
    let find = || {
        state
            .store
            .find_identity_by_login(&pool.id, &login.provider, &login.subject)
    };
    if let Some(existing) = find().await? {
        return Ok(GetIdResponse {
            identity_id: existing.id,
        });
    }
    identity.login = Some((login.provider.clone(), login.subject.clone()));
    match state.store.insert_identity(&identity).await {
        Ok(()) => Ok(GetIdResponse {
            identity_id: identity.id,
        }),
        // A concurrent GetId of the same user created it first.
        Err(StoreError::Conflict(_)) => find()
            .await?
            .map(|existing| GetIdResponse {
                identity_id: existing.id,
            })
            .ok_or_else(|| ApiError::internal("identity", "conflicting identity vanished")),
        Err(err) => Err(err.into()),
    }
}

fn description(identity: IdentityRecord) -> IdentityDescription {
    IdentityDescription {
        identity_id: identity.id,
        logins: identity.login.map(|(provider, _)| vec![provider]).unwrap_or_default(),
        creation_date: identity.created_at as f64,
        last_modified_date: identity.updated_at as f64,
    }
}

/// `ListIdentities`.
pub async fn list(state: &AppState, request: ListIdentitiesRequest) -> ApiResult<ListIdentitiesResponse> {
    let limit = page_limit(request.max_results)?;
    let pool = load_pool(state, &request.identity_pool_id).await?;
    let after = page_after(&request.next_token)?;
    let identities = state.store.list_identities(&pool.id, after.as_deref(), limit).await?;
    let next_token = next_token(
        identities.len() as i64 == limit,
        identities.last().map(|i| i.id.as_str()),
    );
    Ok(ListIdentitiesResponse {
        identity_pool_id: pool.id,
        identities: identities.into_iter().map(description).collect(),
        next_token,
    })
}

/// `DescribeIdentity`.
pub async fn describe(state: &AppState, request: DescribeIdentityRequest) -> ApiResult<IdentityDescription> {
    Ok(description(load_identity(state, &request.identity_id).await?))
}

/// `DeleteIdentities`: deleting an identity that is already gone is not an error.
pub async fn delete(state: &AppState, request: DeleteIdentitiesRequest) -> ApiResult<DeleteIdentitiesResponse> {
    let ids = &request.identity_ids_to_delete;
    if !(1..=60).contains(&ids.len()) {
        return Err(ApiError::invalid_parameter(
            "IdentityIdsToDelete must name 1 to 60 identities.",
        ));
    }
    for id in ids {
        check_id("IdentityId", id)?;
    }
    for id in ids {
        state.store.delete_identity(id).await?;
    }
    Ok(DeleteIdentitiesResponse {
        unprocessed_identity_ids: Vec::new(),
    })
}
