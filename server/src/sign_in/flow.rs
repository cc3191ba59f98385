//! The entry to sign-in: [`initiate`] starts the `AuthFlow` a client names, [`respond`] routes
//! an answer to the step its open challenge's stored state names. The admin operations use the
//! same two functions with the admin flows allowed.

use std::collections::BTreeMap;

use cognate_protocol::auth::{AuthFlow, AuthResponse, ChallengeName, ExplicitAuthFlow};
use cognate_protocol::oauth::OAuthFlow;

use super::challenge::ChallengeState;
use super::session::{self, invalid_session};
use super::{device, mfa, new_password, password, required_parameter, srp, Context};
use crate::error::{ApiError, ApiResult};
use crate::token::refresh::ClientProof;
use crate::user_pool::{check_secret_hash, client_allows, identity};

/// Which API a sign-in came through: the admin one accepts the admin flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Public,
    Admin,
}

/// Whether the request comes from this client's hosted page, where an app client with the OAuth
/// code (or implicit) flow signs users in with SRP or a password whatever its ExplicitAuthFlows,
/// as Cognito's hosted UI does.
fn from_hosted_page(ctx: &Context<'_>) -> bool {
    let settings = &ctx.client.settings;
    ctx.caller.hosted_client.as_deref() == Some(ctx.client.client_id.as_str())
        && settings.allowed_oauth_flows_user_pool_client
        && settings
            .allowed_oauth_flows
            .iter()
            .any(|f| matches!(f, OAuthFlow::Code | OAuthFlow::Implicit))
}

fn require(ctx: &Context<'_>, flow: ExplicitAuthFlow, hosted_too: bool) -> ApiResult<()> {
    if client_allows(ctx.client, flow) || (hosted_too && from_hosted_page(ctx)) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "{} flow not enabled for this client",
            flow.auth_flow_name()
        )))
    }
}

/// Whether the client may refresh through InitiateAuth: `ALLOW_REFRESH_TOKEN_AUTH` listed, or
/// only legacy flow names (with which Cognito always allows refreshing), or its hosted page.
fn refresh_allowed(ctx: &Context<'_>) -> bool {
    let flows = &ctx.client.settings.explicit_auth_flows;
    client_allows(ctx.client, ExplicitAuthFlow::AllowRefreshTokenAuth)
        || (!flows.is_empty() && flows.iter().all(|f| f.is_legacy()))
        || from_hosted_page(ctx)
}

/// Starts a sign-in (InitiateAuth, AdminInitiateAuth).
pub async fn initiate(
    ctx: &Context<'_>,
    api: Api,
    flow: Option<AuthFlow>,
    parameters: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let flow = flow.ok_or_else(|| ApiError::invalid_parameter("AuthFlow is required."))?;
    match (flow, api) {
        (AuthFlow::UserPasswordAuth, Api::Public) => {
            require(ctx, ExplicitAuthFlow::AllowUserPasswordAuth, true)?;
            password::sign_in(ctx, parameters).await
        }
        (AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth, Api::Admin) => {
            if !client_allows(ctx.client, ExplicitAuthFlow::AllowAdminUserPasswordAuth) {
                return Err(ApiError::invalid_parameter("Auth flow not enabled for this client"));
            }
            password::sign_in(ctx, parameters).await
        }
        (AuthFlow::UserSrpAuth, _) => {
            require(ctx, ExplicitAuthFlow::AllowUserSrpAuth, api == Api::Public)?;
            srp::initiate(ctx, parameters).await
        }
        (AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken, _) => {
            if !refresh_allowed(ctx) {
                return Err(ApiError::invalid_parameter(
                    "REFRESH_TOKEN_AUTH flow not enabled for this client",
                ));
            }
            let token = required_parameter(parameters, "REFRESH_TOKEN")?;
            let proof = ClientProof::SecretHash {
                username: parameters.get("USERNAME").map(String::as_str),
                secret_hash: parameters.get("SECRET_HASH").map(String::as_str),
            };
            let result = crate::token::refresh::refresh(ctx.state, ctx.pool, ctx.client, token, proof).await?;
            Ok(AuthResponse {
                authentication_result: Some(result),
                ..Default::default()
            })
        }
        (AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth, Api::Public) => Err(ApiError::invalid_parameter(
            format!("{} is only accepted by AdminInitiateAuth", flow.as_str()),
        )),
        (AuthFlow::UserPasswordAuth, Api::Admin) => Err(ApiError::invalid_parameter(
            "USER_PASSWORD_AUTH is not accepted by AdminInitiateAuth; use ADMIN_USER_PASSWORD_AUTH.",
        )),
        (AuthFlow::CustomAuth | AuthFlow::UserAuth, _) => Err(ApiError::invalid_parameter(format!(
            "AuthFlow {} is not supported by this server yet; use USER_SRP_AUTH or USER_PASSWORD_AUTH.",
            flow.as_str()
        ))),
    }
}

/// Answers the open challenge `session` names (RespondToAuthChallenge,
/// AdminRespondToAuthChallenge).
pub async fn respond(
    ctx: &Context<'_>,
    name: ChallengeName,
    session_handle: Option<&str>,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    let challenge = session::take(ctx, name, session_handle, responses).await?;
    if let ChallengeState::PasswordVerifier(_) = challenge.state {
        return srp::answer(ctx, challenge, responses).await;
    }
    let user = session::user_of(ctx, &challenge).await?.ok_or_else(invalid_session)?;
    let username = required_parameter(responses, "USERNAME")?;
    if identity::username_key(ctx.pool, username) != user.username_key
        && identity::find_user(ctx.state, ctx.pool, username).await?.map(|u| u.sub) != Some(user.sub.clone())
    {
        return Err(invalid_session());
    }
    check_secret_hash(ctx.client, username, responses.get("SECRET_HASH").map(String::as_str))?;
    match challenge.state {
        ChallengeState::NewPasswordRequired => new_password::answer(ctx, challenge, user, responses).await,
        ChallengeState::SoftwareTokenMfa { .. }
        | ChallengeState::SmsMfa(_)
        | ChallengeState::EmailOtp(_)
        | ChallengeState::SelectMfaType { .. }
        | ChallengeState::MfaSetup { .. } => mfa::answer(ctx, challenge, user, responses).await,
        ChallengeState::DeviceSrpAuth => device::answer_srp_auth(ctx, challenge, user, responses).await,
        ChallengeState::DevicePasswordVerifier(_) => {
            device::answer_password_verifier(ctx, challenge, user, responses).await
        }
        ChallengeState::PasswordVerifier(_) => Err(invalid_session()),
    }
}
