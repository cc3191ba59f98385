//! The server's one error type for the Cognito API.
//!
//! Handlers return [`ApiError`]: a Cognito exception name and the message the client may see.
//! Internal failures (database, crypto) become `InternalErrorException` with a generic message;
//! their details go to the log, never to the client.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cognate_protocol::error::{ErrorBody, ErrorCode};

/// An error answered to a Cognito API client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::InvalidParameter, message)
    }

    pub fn not_authorized(message: impl Into<String>) -> Self {
        ApiError::new(ErrorCode::NotAuthorized, message)
    }

    /// The answer to a wrong username or password.
    pub fn bad_credentials() -> Self {
        ApiError::not_authorized("Incorrect username or password.")
    }

    pub fn user_not_found() -> Self {
        ApiError::new(ErrorCode::UserNotFound, "User does not exist.")
    }

    pub fn pool_not_found(pool_id: &str) -> Self {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("User pool {pool_id} does not exist."),
        )
    }

    pub fn client_not_found(client_id: &str) -> Self {
        ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("User pool client {client_id} does not exist."),
        )
    }

    pub fn invalid_access_token() -> Self {
        ApiError::not_authorized("Invalid Access Token")
    }

    /// Logs an internal failure and returns the generic error for it.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        tracing::error!(%context, error = %err, "internal error");
        ApiError::new(ErrorCode::InternalError, "An internal error occurred.")
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> Self {
        match err {
            crate::store::StoreError::Unstorable(message) => ApiError::invalid_parameter(message),
            crate::store::StoreError::Stale => ApiError::new(
                ErrorCode::ConcurrentModification,
                "The user was changed by another request at the same time; try again.",
            ),
            err => ApiError::internal("storage", err),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
        let body = ErrorBody {
            kind: self.code.name().to_owned(),
            message: self.message,
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.code.name()));
        headers.insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static(cognate_protocol::AMZ_JSON),
        );
        response
    }
}
