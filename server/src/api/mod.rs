//! `POST /`: the Cognito user-pool API.
//!
//! A request names its operation in `X-Amz-Target` and carries JSON 1.1. This module checks the
//! signature when the operation needs one, parses the body into the operation's request type,
//! runs the operation and writes Cognito's response or error, always with `x-amzn-RequestId`.
//! Browsers of any origin may call it, as they may call Cognito.

mod admin_auth;
mod admin_users;
pub(crate) mod client_oauth;
mod clients;
mod devices;
mod groups;
mod import;
pub mod import_upload;
mod mfa;
mod pools;
mod profile;
mod resource_servers;
mod sign_in;
mod sign_up;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::operation::Operation;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::sign_in::Caller;
use crate::sigv4;
use crate::state::AppState;

/// Pool and client creation, also used by `--dev` to set up the demo.
pub async fn create_user_pool(
    state: &AppState,
    request: cognate_protocol::user_pool::CreateUserPoolRequest,
) -> ApiResult<String> {
    Ok(pools::create_user_pool(state, request).await?.pool_id())
}

pub async fn create_user_pool_client(
    state: &AppState,
    request: cognate_protocol::user_pool::CreateUserPoolClientRequest,
) -> ApiResult<String> {
    Ok(clients::create_user_pool_client(state, request).await?.client_id())
}

/// Handles one API call.
pub async fn handle(
    State(state): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let caller = Caller {
        ip: crate::device::forwarded_for(&headers),
        hosted_client: crate::oauth::hosted::hosted_client(&state, &headers),
    };
    let answer = dispatch(&state, &caller, &method, &uri, &headers, &body);
    let mut response = match answer.await {
        Ok(json) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, cognate_protocol::AMZ_JSON)],
            json,
        )
            .into_response(),
        Err(err) => err.into_response(),
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-amzn-requestid", value);
    }
    add_cors(headers);
    response
}

/// Answers a CORS preflight for the API.
pub async fn preflight() -> Response {
    let mut response = StatusCode::OK.into_response();
    let headers = response.headers_mut();
    add_cors(headers);
    headers.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("POST, OPTIONS"),
    );
    headers.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(
            "content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control",
        ),
    );
    headers.insert("access-control-max-age", HeaderValue::from_static("86400"));
    response
}

fn add_cors(headers: &mut HeaderMap) {
    headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    headers.insert(
        "access-control-expose-headers",
        HeaderValue::from_static("x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date"),
    );
}

/// Parses a request body; an empty body is `{}`.
fn parse<T: DeserializeOwned>(body: &[u8]) -> ApiResult<T> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        let detail = e.to_string();
        if e.is_syntax() || e.is_eof() {
            ApiError::new(
                ErrorCode::Serialization,
                format!("Request body is not valid JSON: {detail}"),
            )
        } else {
            ApiError::invalid_parameter(format!("Invalid request: {detail}"))
        }
    })
}

fn to_body<T: Serialize>(value: &T) -> ApiResult<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| ApiError::internal("encoding response", e))
}

/// Checks an admin call's SigV4 signature against the configured admin key.
fn check_signature(state: &AppState, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> ApiResult<()> {
    let request = sigv4::SignedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        headers,
        body,
    };
    let admin = state.config.admin_credentials();
    let now = chrono::DateTime::from_timestamp(state.clock.now(), 0).unwrap_or_default();
    sigv4::verify(
        &request,
        |key| admin.as_ref().filter(|(id, _)| id == key).map(|(_, s)| s.clone()),
        now,
    )
    .map(|_| ())
    .map_err(|err| {
        let code = ErrorCode::from_name(err.exception_name()).unwrap_or(ErrorCode::InvalidSignature);
        ApiError::new(code, err.to_string())
    })
}

macro_rules! run {
    ($state:expr, $body:expr, $op:path) => {
        to_body(&$op($state, parse($body)?).await?)
    };
    ($state:expr, $caller:expr, $body:expr, $op:path) => {
        to_body(&$op($state, $caller, parse($body)?).await?)
    };
}

async fn dispatch(
    state: &Arc<AppState>,
    caller: &Caller,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Vec<u8>> {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(name) = target.strip_prefix(cognate_protocol::IDENTITY_TARGET_PREFIX) {
        let operation = cognate_protocol::identity::IdentityOperation::from_name(name)
            .ok_or_else(|| ApiError::new(ErrorCode::UnknownOperation, format!("Unknown operation {target:?}")))?;
        if operation.requires_signature() {
            check_signature(state, method, uri, headers, body)?;
        }
        return crate::identity_pool::dispatch(state, operation, body).await;
    }
    let operation = target
        .strip_prefix(cognate_protocol::USER_POOL_TARGET_PREFIX)
        .and_then(Operation::from_name)
        .ok_or_else(|| ApiError::new(ErrorCode::UnknownOperation, format!("Unknown operation {target:?}")))?;
    if operation.requires_signature() {
        check_signature(state, method, uri, headers, body)?;
    }
    use Operation as Op;
    match operation {
        Op::CreateUserPool => run!(state, body, pools::create_user_pool),
        Op::DescribeUserPool => run!(state, body, pools::describe_user_pool),
        Op::ListUserPools => run!(state, body, pools::list_user_pools),
        Op::UpdateUserPool => run!(state, body, pools::update_user_pool),
        Op::DeleteUserPool => run!(state, body, pools::delete_user_pool),
        Op::CreateUserPoolClient => run!(state, body, clients::create_user_pool_client),
        Op::DescribeUserPoolClient => run!(state, body, clients::describe_user_pool_client),
        Op::ListUserPoolClients => run!(state, body, clients::list_user_pool_clients),
        Op::UpdateUserPoolClient => run!(state, body, clients::update_user_pool_client),
        Op::DeleteUserPoolClient => run!(state, body, clients::delete_user_pool_client),
        Op::SignUp => run!(state, body, sign_up::sign_up),
        Op::ConfirmSignUp => run!(state, body, sign_up::confirm_sign_up),
        Op::ResendConfirmationCode => run!(state, body, sign_up::resend_confirmation_code),
        Op::ForgotPassword => run!(state, body, sign_up::forgot_password),
        Op::ConfirmForgotPassword => run!(state, body, sign_up::confirm_forgot_password),
        Op::InitiateAuth => run!(state, caller, body, sign_in::initiate_auth),
        Op::RespondToAuthChallenge => run!(state, caller, body, sign_in::respond_to_auth_challenge),
        Op::GetTokensFromRefreshToken => run!(state, body, sign_in::get_tokens_from_refresh_token),
        Op::GetUser => run!(state, body, profile::get_user),
        Op::UpdateUserAttributes => run!(state, body, profile::update_user_attributes),
        Op::GetUserAttributeVerificationCode => run!(state, body, profile::get_user_attribute_verification_code),
        Op::VerifyUserAttribute => run!(state, body, profile::verify_user_attribute),
        Op::DeleteUserAttributes => run!(state, body, profile::delete_user_attributes),
        Op::ChangePassword => run!(state, body, profile::change_password),
        Op::GlobalSignOut => run!(state, body, profile::global_sign_out),
        Op::RevokeToken => run!(state, body, profile::revoke_token),
        Op::DeleteUser => run!(state, body, profile::delete_user),
        Op::AdminCreateUser => run!(state, body, admin_users::admin_create_user),
        Op::AdminGetUser => run!(state, body, admin_users::admin_get_user),
        Op::AdminDeleteUser => run!(state, body, admin_users::admin_delete_user),
        Op::AdminDisableUser => run!(state, body, admin_users::admin_disable_user),
        Op::AdminEnableUser => run!(state, body, admin_users::admin_enable_user),
        Op::AdminConfirmSignUp => run!(state, body, admin_users::admin_confirm_sign_up),
        Op::AdminSetUserPassword => run!(state, body, admin_users::admin_set_user_password),
        Op::AdminResetUserPassword => run!(state, body, admin_users::admin_reset_user_password),
        Op::AdminUpdateUserAttributes => run!(state, body, admin_users::admin_update_user_attributes),
        Op::AdminDeleteUserAttributes => run!(state, body, admin_users::admin_delete_user_attributes),
        Op::AdminUserGlobalSignOut => run!(state, body, admin_users::admin_user_global_sign_out),
        Op::ListUsers => run!(state, body, admin_users::list_users),
        Op::AdminInitiateAuth => run!(state, caller, body, admin_auth::admin_initiate_auth),
        Op::AdminRespondToAuthChallenge => run!(state, caller, body, admin_auth::admin_respond_to_auth_challenge),
        Op::CreateGroup => run!(state, body, groups::create_group),
        Op::GetGroup => run!(state, body, groups::get_group),
        Op::ListGroups => run!(state, body, groups::list_groups),
        Op::UpdateGroup => run!(state, body, groups::update_group),
        Op::DeleteGroup => run!(state, body, groups::delete_group),
        Op::AdminAddUserToGroup => run!(state, body, groups::admin_add_user_to_group),
        Op::AdminRemoveUserFromGroup => run!(state, body, groups::admin_remove_user_from_group),
        Op::AdminListGroupsForUser => run!(state, body, groups::admin_list_groups_for_user),
        Op::ListUsersInGroup => run!(state, body, groups::list_users_in_group),
        Op::GetCSVHeader => run!(state, body, import::get_csv_header),
        Op::CreateUserImportJob => run!(state, body, import::create_user_import_job),
        Op::StartUserImportJob => run!(state, body, import::start_user_import_job),
        Op::StopUserImportJob => run!(state, body, import::stop_user_import_job),
        Op::DescribeUserImportJob => run!(state, body, import::describe_user_import_job),
        Op::ListUserImportJobs => run!(state, body, import::list_user_import_jobs),
        Op::CreateResourceServer => run!(state, body, resource_servers::create_resource_server),
        Op::DescribeResourceServer => run!(state, body, resource_servers::describe_resource_server),
        Op::ListResourceServers => run!(state, body, resource_servers::list_resource_servers),
        Op::UpdateResourceServer => run!(state, body, resource_servers::update_resource_server),
        Op::DeleteResourceServer => run!(state, body, resource_servers::delete_resource_server),
        Op::CreateUserPoolDomain => run!(state, body, resource_servers::create_user_pool_domain),
        Op::DescribeUserPoolDomain => run!(state, body, resource_servers::describe_user_pool_domain),
        Op::DeleteUserPoolDomain => run!(state, body, resource_servers::delete_user_pool_domain),
        Op::AssociateSoftwareToken => run!(state, body, mfa::associate_software_token),
        Op::VerifySoftwareToken => run!(state, body, mfa::verify_software_token),
        Op::SetUserMFAPreference => run!(state, body, mfa::set_user_mfa_preference),
        Op::SetUserPoolMfaConfig => run!(state, body, mfa::set_user_pool_mfa_config),
        Op::GetUserPoolMfaConfig => run!(state, body, mfa::get_user_pool_mfa_config),
        Op::AdminSetUserMFAPreference => run!(state, body, mfa::admin_set_user_mfa_preference),
        Op::ConfirmDevice => run!(state, body, devices::confirm_device),
        Op::GetDevice => run!(state, body, devices::get_device),
        Op::ListDevices => run!(state, body, devices::list_devices),
        Op::UpdateDeviceStatus => run!(state, body, devices::update_device_status),
        Op::ForgetDevice => run!(state, body, devices::forget_device),
        Op::AdminGetDevice => run!(state, body, devices::admin_get_device),
        Op::AdminListDevices => run!(state, body, devices::admin_list_devices),
        Op::AdminUpdateDeviceStatus => run!(state, body, devices::admin_update_device_status),
        Op::AdminForgetDevice => run!(state, body, devices::admin_forget_device),
    }
}
