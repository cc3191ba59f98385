//! AdminInitiateAuth and AdminRespondToAuthChallenge: sign-in on a user's behalf by a caller
//! holding admin keys (ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, USER_SRP_AUTH,
//! REFRESH_TOKEN_AUTH), through the same [`crate::sign_in::flow`] as the public operations.

use cognate_protocol::auth::{AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest};
use cognate_protocol::ids::{ClientId, UserPoolId};

use crate::error::{ApiError, ApiResult};
use crate::sign_in::flow::{self, Api};
use crate::sign_in::{Caller, Context};
use crate::state::AppState;
use crate::store::{AppClient, UserPool};
use crate::user_pool::load_client;

async fn pool_client(
    state: &AppState,
    pool_id: Option<&UserPoolId>,
    client_id: &ClientId,
) -> ApiResult<(UserPool, AppClient)> {
    let (pool, client) = load_client(state, client_id).await?;
    if pool_id.map(UserPoolId::as_str) != Some(pool.id.as_str()) {
        return Err(ApiError::client_not_found(client_id));
    }
    Ok((pool, client))
}

pub async fn admin_initiate_auth(
    state: &AppState,
    caller: &Caller,
    request: InitiateAuthRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = pool_client(state, request.user_pool_id.as_ref(), &request.client_id).await?;
    let ctx = Context::new(state, &pool, &client, caller);
    flow::initiate(&ctx, Api::Admin, request.auth_flow, &request.auth_parameters).await
}

pub async fn admin_respond_to_auth_challenge(
    state: &AppState,
    caller: &Caller,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = pool_client(state, request.user_pool_id.as_ref(), &request.client_id).await?;
    let ctx = Context::new(state, &pool, &client, caller);
    let session = request.session.as_ref().map(|s| s.expose());
    flow::respond(&ctx, request.challenge_name, session, &request.challenge_responses).await
}
