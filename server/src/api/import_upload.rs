//! The two HTTP endpoints of an import job besides the API operations.
//!
//! - `PUT /_import/{JobId}?token=…`: the job's pre-signed URL. Cognito's is an S3 URL that
//!   takes the file with `curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" URL`;
//!   this one takes the same request (the encryption header is accepted and ignored) and
//!   answers errors the way S3 does, as XML with an S3 error code. The token is good for one
//!   upload within an hour of the job's creation, and only while the job is `Created`; the file
//!   may be at most 100 MB.
//! - `GET /_import/{JobId}/log`: the rows the job did not import, a JSON array of
//!   [`ImportLogEntry`](cognate_protocol::import::ImportLogEntry) — Cognito sends them to
//!   CloudWatch Logs instead. Signed with SigV4 by an admin key, like the admin operations.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cognate_protocol::error::ErrorCode;
use cognate_protocol::import::UserImportJobStatus;

use super::import::token_hash;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::user_pool::import::csv_rules::MAX_FILE_BYTES;

/// An S3-style error answer.
fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>\n"
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn too_large() -> Response {
    s3_error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "EntityTooLarge",
        "Your proposed upload exceeds the maximum allowed size: the file may be at most 100 MB (104857600 bytes).",
    )
}

fn denied(message: &str) -> Response {
    s3_error(StatusCode::FORBIDDEN, "AccessDenied", message)
}

/// Takes the CSV file of a job.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path(job_id): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_FILE_BYTES as u64) {
        return too_large();
    }
    let token = url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned());
    let Some(token) = token else {
        return denied("The URL has no token: use the PreSignedUrl CreateUserImportJob returned.");
    };
    let job = match state.store.get_import_job(&job_id).await {
        Ok(Some(job)) => job,
        Ok(None) => return s3_error(StatusCode::NOT_FOUND, "NoSuchKey", "The import job does not exist."),
        Err(err) => return ApiError::from(err).into_response(),
    };
    let now = state.clock.now();
    if job.upload_token_hash.is_none() {
        return denied("This pre-signed URL was already used: a job takes one file.");
    }
    if job.upload_token_hash.as_deref() != Some(token_hash(&token).as_str()) {
        return denied("The token is not valid for this import job.");
    }
    if now >= job.upload_expires_at {
        return denied("Request has expired: a pre-signed URL takes a file within an hour of the job's creation.");
    }
    if job.status != UserImportJobStatus::Created {
        return denied("The import job was already started.");
    }
    let file = match axum::body::to_bytes(body, MAX_FILE_BYTES).await {
        Ok(file) => file,
        Err(err) if err.to_string().contains("length limit exceeded") => return too_large(),
        Err(_) => {
            return s3_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                "The upload ended before the whole file was received.",
            )
        }
    };
    match state
        .store
        .put_import_file(&job_id, &token_hash(&token), now, &file)
        .await
    {
        Ok(true) => StatusCode::OK.into_response(),
        Ok(false) => denied("This pre-signed URL was already used: a job takes one file."),
        Err(err) => ApiError::from(err).into_response(),
    }
}

/// The log of a job, for an admin.
pub async fn log(
    State(state): State<Arc<AppState>>,
    Path(job_id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match read_log(&state, &job_id, &method, &uri, &headers, &body).await {
        Ok(json) => (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn read_log(
    state: &AppState,
    job_id: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> ApiResult<Vec<u8>> {
    super::check_signature(state, method, uri, headers, body)?;
    if state.store.get_import_job(job_id).await?.is_none() {
        return Err(ApiError::new(
            ErrorCode::ResourceNotFound,
            format!("Import job {job_id} does not exist."),
        ));
    }
    let entries = state.store.import_log(job_id).await?;
    serde_json::to_vec(&entries).map_err(|e| ApiError::internal("encoding an import log", e))
}
