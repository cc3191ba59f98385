//! AdminInitiateAuth and AdminRespondToAuthChallenge: sign-in on a user's behalf by a caller
//! holding admin keys (ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH, USER_SRP_AUTH answered
//! through AdminRespondToAuthChallenge's PASSWORD_VERIFIER, REFRESH_TOKEN_AUTH).

use cognate_protocol::auth::{AuthFlow, AuthResponse, InitiateAuthRequest, RespondToAuthChallengeRequest};

use super::sign_in::{answer_challenge, password_sign_in, refresh};
use crate::error::{ApiError, ApiResult};
use crate::user_pool::{client_allows, load_client};
use crate::AppState;

async fn pool_client(
    state: &AppState,
    pool_id: Option<&str>,
    client_id: &str,
) -> ApiResult<(crate::store::UserPool, crate::store::AppClient)> {
    let (pool, client) = load_client(state, client_id).await?;
    if pool_id != Some(pool.id.as_str()) {
        return Err(ApiError::client_not_found(client_id));
    }
    Ok((pool, client))
}

pub async fn admin_initiate_auth(state: &AppState, request: InitiateAuthRequest) -> ApiResult<AuthResponse> {
    let (pool, client) = pool_client(state, request.user_pool_id.as_deref(), &request.client_id).await?;
    match request.auth_flow {
        Some(AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth) => {
            if !client_allows(&client, "ALLOW_ADMIN_USER_PASSWORD_AUTH") {
                return Err(ApiError::invalid_parameter("Auth flow not enabled for this client"));
            }
            password_sign_in(state, &pool, &client, &request.auth_parameters).await
        }
        Some(AuthFlow::UserSrpAuth) => {
            if !client_allows(&client, "ALLOW_USER_SRP_AUTH") {
                return Err(ApiError::invalid_parameter(
                    "USER_SRP_AUTH flow not enabled for this client",
                ));
            }
            super::srp_auth::initiate(state, &pool, &client, &request.auth_parameters).await
        }
        Some(AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken) => {
            let token = request
                .auth_parameters
                .get("REFRESH_TOKEN")
                .ok_or_else(|| ApiError::invalid_parameter("Missing required parameter REFRESH_TOKEN"))?;
            let result = refresh(state, &pool, &client, token).await?;
            Ok(AuthResponse {
                authentication_result: Some(result),
                ..Default::default()
            })
        }
        Some(_) => Err(ApiError::invalid_parameter(
            "This AuthFlow is not supported by AdminInitiateAuth here.",
        )),
        None => Err(ApiError::invalid_parameter("AuthFlow is required.")),
    }
}

pub async fn admin_respond_to_auth_challenge(
    state: &AppState,
    request: RespondToAuthChallengeRequest,
) -> ApiResult<AuthResponse> {
    let (pool, client) = pool_client(state, request.user_pool_id.as_deref(), &request.client_id).await?;
    answer_challenge(state, &pool, &client, request).await
}
