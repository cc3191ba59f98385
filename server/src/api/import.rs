//! CSV user import: GetCSVHeader, CreateUserImportJob, StartUserImportJob, StopUserImportJob,
//! DescribeUserImportJob and ListUserImportJobs.
//!
//! A job goes `Created` → (file PUT to its pre-signed URL, see [`super::import_upload`]) →
//! `Pending` → `InProgress` → `Succeeded` | `Failed`, or `Stopping` → `Stopped` when stopped,
//! or `Expired` when not started within 24 hours. The import itself runs in
//! [`crate::user_pool::import::job`].

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::import::{
    CreateUserImportJobRequest, GetCsvHeaderRequest, GetCsvHeaderResponse, ListUserImportJobsRequest,
    ListUserImportJobsResponse, UserImportJobRequest, UserImportJobResponse, UserImportJobStatus as Status,
    UserImportJobType,
};
use rand::distributions::Alphanumeric;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::ImportJob;
use crate::user_pool::import::{csv_rules, job};
use crate::user_pool::load_pool;

/// How long the pre-signed URL takes a file.
pub const UPLOAD_VALIDITY_SECONDS: i64 = 3_600;
/// How long a created job can wait to be started before it expires.
pub const START_WITHIN_SECONDS: i64 = 86_400;

/// The stored form of an upload token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn job_type(job: ImportJob, pre_signed_url: Option<String>) -> UserImportJobType {
    UserImportJobType {
        job_name: job.name,
        job_id: job.job_id,
        user_pool_id: job.pool_id,
        pre_signed_url,
        creation_date: job.created_at as f64,
        start_date: job.started_at.map(|t| t as f64),
        completion_date: job.completed_at.map(|t| t as f64),
        status: job.status,
        cloud_watch_logs_role_arn: job.role_arn,
        imported_users: job.imported_users,
        skipped_users: job.skipped_users,
        failed_users: job.failed_users,
        completion_message: job.message,
    }
}

fn job_not_found(job_id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::ResourceNotFound,
        format!("Import job {job_id} does not exist."),
    )
}

/// The job a request names, in the pool it names; a `Created` job past its start window is
/// marked `Expired` first.
pub async fn load_job(state: &AppState, pool_id: &str, job_id: &str) -> ApiResult<ImportJob> {
    load_pool(state, pool_id).await?;
    let job = state
        .store
        .get_import_job(job_id)
        .await?
        .filter(|j| j.pool_id == pool_id)
        .ok_or_else(|| job_not_found(job_id))?;
    expire(state, job).await
}

async fn expire(state: &AppState, job: ImportJob) -> ApiResult<ImportJob> {
    let now = state.clock.now();
    if job.status != Status::Created || now < job.created_at + START_WITHIN_SECONDS {
        return Ok(job);
    }
    let message = "The job was not started within 24 hours of its creation.";
    state
        .store
        .transition_import_job(&job.job_id, &[Status::Created], Status::Expired, now, Some(message))
        .await?;
    state
        .store
        .get_import_job(&job.job_id)
        .await?
        .ok_or_else(|| job_not_found(&job.job_id))
}

fn validate(request: &CreateUserImportJobRequest) -> ApiResult<()> {
    let name = &request.job_name;
    let name_ok = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_+=,.@-".contains(c);
    if name.is_empty() || name.chars().count() > 128 || !name.chars().all(name_ok) {
        return Err(ApiError::invalid_parameter(
            "JobName must be 1 to 128 letters, digits, spaces or _+=,.@- characters.",
        ));
    }
    let arn = &request.cloud_watch_logs_role_arn;
    if !(20..=2048).contains(&arn.len()) || !arn.starts_with("arn:") || arn.split(':').count() < 6 {
        return Err(ApiError::invalid_parameter(format!(
            "CloudWatchLogsRoleArn {arn:?} is not an IAM role ARN."
        )));
    }
    Ok(())
}

pub async fn get_csv_header(state: &AppState, request: GetCsvHeaderRequest) -> ApiResult<GetCsvHeaderResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    Ok(GetCsvHeaderResponse {
        csv_header: csv_rules::csv_header(&pool),
        user_pool_id: pool.id,
    })
}

pub async fn create_user_import_job(
    state: &AppState,
    request: CreateUserImportJobRequest,
) -> ApiResult<UserImportJobResponse> {
    let pool = load_pool(state, &request.user_pool_id).await?;
    validate(&request)?;
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(10)
        .map(char::from)
        .collect();
    let mut token = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut token);
    let token = URL_SAFE_NO_PAD.encode(token);
    let now = state.clock.now();
    let job = ImportJob {
        job_id: format!("import-{suffix}"),
        pool_id: pool.id,
        name: request.job_name,
        role_arn: request.cloud_watch_logs_role_arn,
        status: Status::Created,
        created_at: now,
        started_at: None,
        completed_at: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        message: None,
        upload_token_hash: Some(token_hash(&token)),
        upload_expires_at: now + UPLOAD_VALIDITY_SECONDS,
    };
    state.store.insert_import_job(&job).await?;
    let url = format!("{}/_import/{}?token={token}", state.public_url, job.job_id);
    Ok(UserImportJobResponse {
        user_import_job: job_type(job, Some(url)),
    })
}

pub async fn start_user_import_job(
    state: &Arc<AppState>,
    request: UserImportJobRequest,
) -> ApiResult<UserImportJobResponse> {
    let mut job = load_job(state, &request.user_pool_id, &request.job_id).await?;
    let now = state.clock.now();
    let started = state
        .store
        .transition_import_job(&job.job_id, &[Status::Created], Status::Pending, now, None)
        .await?;
    if !started {
        return Err(ApiError::new(
            ErrorCode::PreconditionNotMet,
            format!(
                "Import job {} is {}: only a Created job can be started.",
                job.job_id,
                job.status.as_str()
            ),
        ));
    }
    // Answered as the start left it: the task may move it on at any moment.
    job.status = Status::Pending;
    job.started_at = Some(now);
    job::spawn(state.clone(), job.job_id.clone());
    Ok(UserImportJobResponse {
        user_import_job: job_type(job, None),
    })
}

pub async fn stop_user_import_job(state: &AppState, request: UserImportJobRequest) -> ApiResult<UserImportJobResponse> {
    let mut job = load_job(state, &request.user_pool_id, &request.job_id).await?;
    let stopping = state
        .store
        .transition_import_job(
            &job.job_id,
            &[Status::Pending, Status::InProgress],
            Status::Stopping,
            state.clock.now(),
            None,
        )
        .await?;
    if !stopping {
        return Err(ApiError::new(
            ErrorCode::PreconditionNotMet,
            format!(
                "Import job {} is {}: only a Pending or InProgress job can be stopped.",
                job.job_id,
                job.status.as_str()
            ),
        ));
    }
    job.status = Status::Stopping;
    Ok(UserImportJobResponse {
        user_import_job: job_type(job, None),
    })
}

pub async fn describe_user_import_job(
    state: &AppState,
    request: UserImportJobRequest,
) -> ApiResult<UserImportJobResponse> {
    let job = load_job(state, &request.user_pool_id, &request.job_id).await?;
    Ok(UserImportJobResponse {
        user_import_job: job_type(job, None),
    })
}

pub async fn list_user_import_jobs(
    state: &AppState,
    request: ListUserImportJobsRequest,
) -> ApiResult<ListUserImportJobsResponse> {
    load_pool(state, &request.user_pool_id).await?;
    let limit = match request.max_results {
        Some(n) if (1..=60).contains(&n) => n,
        _ => return Err(ApiError::invalid_parameter("MaxResults must be between 1 and 60.")),
    };
    let after = match &request.pagination_token {
        None => None,
        Some(token) => Some(
            URL_SAFE_NO_PAD
                .decode(token)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| ApiError::invalid_parameter("Invalid PaginationToken."))?,
        ),
    };
    let mut rows = state
        .store
        .list_import_jobs(&request.user_pool_id, after.as_deref(), limit + 1)
        .await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let pagination_token = if more {
        rows.last().map(|j| URL_SAFE_NO_PAD.encode(&j.job_id))
    } else {
        None
    };
    let mut jobs = Vec::with_capacity(rows.len());
    for job in rows {
        jobs.push(job_type(expire(state, job).await?, None));
    }
    Ok(ListUserImportJobsResponse {
        user_import_jobs: jobs,
        pagination_token,
    })
}
