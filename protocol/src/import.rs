//! Importing users from a CSV file (`UserImportJobType` and its operations).
//!
//! Cognito's import is a job: `GetCSVHeader` names the columns, `CreateUserImportJob` returns a
//! pre-signed URL to PUT the file to, `StartUserImportJob` imports it in the background and
//! `DescribeUserImportJob` reports progress. See "Importing users into a user pool from a CSV
//! file" in the Amazon Cognito developer guide and the API reference of each operation.
//! Cognito writes rejected rows to CloudWatch Logs; Cognate keeps them as [`ImportLogEntry`]s.

use serde::{Deserialize, Serialize};

/// A job's state (`UserImportJobStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserImportJobStatus {
    /// Created, not started; the file can be uploaded.
    Created,
    /// Started; importing has not begun yet.
    Pending,
    InProgress,
    /// Asked to stop; the job has not stopped importing yet.
    Stopping,
    /// Created but not started within 24 hours; it can no longer be started.
    Expired,
    Stopped,
    /// Stopped by an error in the file as a whole (encoding, header, size).
    Failed,
    Succeeded,
}

impl UserImportJobStatus {
    /// The wire name, e.g. `InProgress`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "Created",
            Self::Pending => "Pending",
            Self::InProgress => "InProgress",
            Self::Stopping => "Stopping",
            Self::Expired => "Expired",
            Self::Stopped => "Stopped",
            Self::Failed => "Failed",
            Self::Succeeded => "Succeeded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }

    /// Whether the job has ended (nothing will change any more).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Expired | Self::Stopped | Self::Failed | Self::Succeeded)
    }
}

/// A user import job as the API returns it (`UserImportJobType`). Dates are epoch seconds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobType {
    pub job_name: String,
    pub job_id: String,
    pub user_pool_id: String,
    /// Where to PUT the CSV file; only in the answer to `CreateUserImportJob` (the token in it
    /// is kept hashed, so later answers cannot repeat it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_signed_url: Option<String>,
    pub creation_date: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<f64>,
    pub status: UserImportJobStatus,
    pub cloud_watch_logs_role_arn: String,
    pub imported_users: i64,
    pub skipped_users: i64,
    pub failed_users: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_message: Option<String>,
}

/// `GetCSVHeader`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCsvHeaderRequest {
    pub user_pool_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GetCsvHeaderResponse {
    #[serde(rename = "UserPoolId")]
    pub user_pool_id: String,
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}

/// `CreateUserImportJob`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserImportJobRequest {
    pub job_name: String,
    pub user_pool_id: String,
    pub cloud_watch_logs_role_arn: String,
}

/// `StartUserImportJob`, `StopUserImportJob` and `DescribeUserImportJob`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobRequest {
    pub user_pool_id: String,
    pub job_id: String,
}

/// The answer of every job operation but the list.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobResponse {
    pub user_import_job: UserImportJobType,
}

/// `ListUserImportJobs`; `MaxResults` (1–60) is required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsRequest {
    pub user_pool_id: String,
    pub max_results: Option<i64>,
    pub pagination_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsResponse {
    pub user_import_jobs: Vec<UserImportJobType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}

/// What happened to a row that was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportOutcome {
    /// The username exists already (counted in `SkippedUsers`).
    Skipped,
    /// The row is invalid (counted in `FailedUsers`).
    Failed,
}

impl ImportOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skipped => "Skipped",
            Self::Failed => "Failed",
        }
    }
}

/// One row of a job's log (`GET /_import/{JobId}/log`, a JSON array of these): the CSV line
/// the row starts on (the header is line 1), its `cognito:username` and why it was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLogEntry {
    pub line: i64,
    pub username: String,
    pub outcome: ImportOutcome,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_header_use_cognito_names() {
        for status in [UserImportJobStatus::InProgress, UserImportJobStatus::Succeeded] {
            assert_eq!(UserImportJobStatus::parse(status.as_str()), Some(status));
        }
        assert!(UserImportJobStatus::Expired.is_final());
        assert!(!UserImportJobStatus::Stopping.is_final());
        let header = GetCsvHeaderResponse {
            user_pool_id: "p".into(),
            csv_header: vec!["name".into()],
        };
        let json = serde_json::to_value(&header).expect("json");
        assert_eq!(json["CSVHeader"][0], "name");
    }
}
