//! `cognate import --pool <id> users.csv`: imports a CSV file the way a Cognito client does —
//! CreateUserImportJob, PUT the file to the pre-signed URL, StartUserImportJob, then
//! DescribeUserImportJob until the job ends, with a progress bar on stderr — and prints a
//! summary and the rows that were not imported (from the job's log) on stdout.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use cognate_protocol::import::{
    CreateUserImportJobRequest, UserImportJobRequest, UserImportJobResponse, UserImportJobStatus, UserImportJobType,
};

use super::{AdminClient, AdminKey};
use crate::user_pool::import::csv_rules::MAX_FILE_BYTES;

/// Cognito requires a role for the job's CloudWatch logs; Cognate keeps the log itself.
const ROLE_ARN: &str = "arn:aws:iam::000000000000:role/CognateUserImport";
/// Rows of the log printed; the rest are counted.
const SHOWN_LOG_ROWS: usize = 50;

/// What `cognate import` was asked to do.
#[derive(Debug)]
pub struct ImportCommand {
    pub pool_id: String,
    pub file: PathBuf,
    pub endpoint: String,
    pub job_name: Option<String>,
    pub key: AdminKey,
}

/// Runs the import; true if the job succeeded (even with rows that failed).
pub async fn run(command: ImportCommand) -> anyhow::Result<bool> {
    let started = Instant::now();
    let file = std::fs::read(&command.file).with_context(|| format!("reading {}", command.file.display()))?;
    if file.len() > MAX_FILE_BYTES {
        bail!(
            "{} is {} bytes; an import file may be at most 100 MB",
            command.file.display(),
            file.len()
        );
    }
    let total = count_rows(&file);
    let client = AdminClient::for_pool(&command.endpoint, command.key.clone(), &command.pool_id)?;
    let job_name = command
        .job_name
        .clone()
        .unwrap_or_else(|| default_job_name(&command.file));
    let created: UserImportJobResponse = client
        .call(
            "CreateUserImportJob",
            &CreateUserImportJobRequest {
                job_name,
                user_pool_id: command.pool_id.clone(),
                cloud_watch_logs_role_arn: ROLE_ARN.to_owned(),
            },
        )
        .await?;
    let job = created.user_import_job;
    let url = job
        .pre_signed_url
        .clone()
        .context("CreateUserImportJob returned no PreSignedUrl")?;
    let put = client
        .http()
        .put(&url)
        .header("x-amz-server-side-encryption", "aws:kms")
        .body(file)
        .send()
        .await
        .context("uploading the file")?;
    if !put.status().is_success() {
        let status = put.status();
        bail!(
            "uploading the file: HTTP {status}: {}",
            put.text().await.unwrap_or_default()
        );
    }
    let request = UserImportJobRequest {
        user_pool_id: command.pool_id.clone(),
        job_id: job.job_id.clone(),
    };
    let _: UserImportJobResponse = client.call("StartUserImportJob", &request).await?;
    eprintln!(
        "Importing {total} rows of {} as job {}",
        command.file.display(),
        job.job_id
    );
    let job = loop {
        let described: UserImportJobResponse = client.call("DescribeUserImportJob", &request).await?;
        let job = described.user_import_job;
        draw_bar(done(&job), total);
        if job.status.is_final() {
            eprintln!();
            break job;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let log = client.import_log(&job.job_id).await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Job {} {}: {} imported, {} skipped, {} failed of {total} rows in {:.1} s.",
        job.job_id,
        job.status.as_str(),
        job.imported_users,
        job.skipped_users,
        job.failed_users,
        started.elapsed().as_secs_f64()
    )?;
    if let Some(message) = &job.completion_message {
        writeln!(out, "{message}")?;
    }
    if !log.is_empty() {
        writeln!(out, "Rows not imported:")?;
        for entry in log.iter().take(SHOWN_LOG_ROWS) {
            writeln!(
                out,
                "  line {} ({}): {}: {}",
                entry.line,
                entry.username,
                entry.outcome.as_str(),
                entry.reason
            )?;
        }
        if log.len() > SHOWN_LOG_ROWS {
            writeln!(
                out,
                "  … and {} more (GET /_import/{}/log)",
                log.len() - SHOWN_LOG_ROWS,
                job.job_id
            )?;
        }
    }
    Ok(job.status == UserImportJobStatus::Succeeded)
}

fn done(job: &UserImportJobType) -> u64 {
    (job.imported_users + job.skipped_users + job.failed_users).max(0) as u64
}

/// Data rows of the file as a CSV parser counts them (for the progress bar only).
fn count_rows(file: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
    }
    rows
}

fn default_job_name(file: &std::path::Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || "_+=,.@-".contains(*c))
        .take(100)
        .collect();
    format!("cognate-import-{name}")
}

/// `[#####-----] 1234/5000 rows  24%`, redrawn in place.
fn draw_bar(done: u64, total: u64) {
    const WIDTH: u64 = 40;
    let fraction = if total == 0 {
        1.0
    } else {
        (done.min(total) as f64) / total as f64
    };
    let filled = (fraction * WIDTH as f64).round() as usize;
    let bar = format!("{}{}", "#".repeat(filled), "-".repeat(WIDTH as usize - filled));
    eprint!("\r[{bar}] {done}/{total} rows {:>3.0}%", fraction * 100.0);
    let _ = std::io::stderr().flush();
}
