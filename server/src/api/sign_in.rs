//! InitiateAuth, RespondToAuthChallenge and GetTokensFromRefreshToken: adapters that find the
//! app client and hand the request to [`crate::sign_in::flow`] (sign-in steps) or
//! [`crate::token::refresh`].

use cognate_protocol::auth::{
    AuthResponse, GetTokensFromRefreshTokenRequest, InitiateAuthRequest, RespondToAuthChallengeRequest, TokensResponse,
};

use crate::error::{ApiError, ApiResult};
use crate::sign_in::flow::{self, Api};
use crate::sign_in::{Caller, Context};
use crate::state::AppState;
use crate::user_pool::{check_client_secret, load_client};

pub async fn initiate_auth(state: &AppState, caller: &Caller, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    let ctx = Context::new(state, &pool, &client, caller);
    flow::initiate(&ctx, Api::Public, request.auth_flow, &request.auth_parameters).await
}

pub async fn respond_to_auth_challenge(
    state: &AppState,
    caller: &Caller,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    let ctx = Context::new(state, &pool, &client, caller);
    let session = request.session.as_ref().map(|s| s.expose());
    flow::respond(&ctx, request.challenge_name, session, &request.challenge_responses).await
}

pub async fn get_tokens_from_refresh_token(
    state: &AppState,
    request: GetTokensFromRefreshTokenRequest,
) -> ApiResult<TokensResponse> {
    let (pool, client) = load_client(state, &request.client_id).await?;
    check_client_secret(&client, request.client_secret.as_deref())?;
    if request.refresh_token.is_empty() {
        return Err(ApiError::invalid_parameter("RefreshToken is required."));
    }
    let result = crate::token::refresh::refresh(
        state,
        &pool,
        &client,
        request.refresh_token.expose(),
        crate::token::refresh::ClientProof::SecretChecked,
    )
    .await?;
    Ok(TokensResponse {
        authentication_result: result,
    })
}
