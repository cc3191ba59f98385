//! Running a started import job.
//!
//! `StartUserImportJob` moves the job to `Pending` and calls [`spawn`]. The task moves it to
//! `InProgress`, then a blocking thread parses and validates the file while the task inserts
//! what it sends, [`BATCH_ROWS`] rows per transaction (users, log entries and counters
//! together, so `DescribeUserImportJob` always matches the pool). Before each batch the task
//! reads the job's status: `StopUserImportJob` (status `Stopping`) ends it between batches
//! with no row half-imported. A problem with the file as a whole (encoding, header, row count)
//! fails the job before any user is imported; a bad row only goes to the job's log.

use std::sync::Arc;

use cognate_protocol::import::{ImportLogEntry, ImportOutcome, UserImportJobStatus as Status};
use csv::StringRecord;
use tokio::sync::mpsc;

use super::csv_rules::{self, Header};
use crate::state::AppState;
use crate::store::{ImportBatch, StoreError, UserPool};

/// Rows per transaction. Each commit waits for an fsync (`synchronous=FULL`), tens of
/// milliseconds on common disks: 10,000 rows make that a small share of the time while the
/// counters still move about twice a second and a stop takes effect as fast.
pub const BATCH_ROWS: usize = 10_000;

/// What the parsing thread sends.
enum Parsed {
    Batch(ImportBatch),
    /// The file as a whole is unusable.
    Fatal(String),
}

/// How a job ended.
enum End {
    Done,
    Stopped,
    Failed(String),
    /// The job or its pool was deleted meanwhile.
    Gone,
}

/// Runs a `Pending` job to its end in a background task.
pub fn spawn(state: Arc<AppState>, job_id: String) {
    tokio::spawn(async move {
        let end = match run(&state, &job_id).await {
            Ok(end) => end,
            Err(err) => {
                tracing::error!(%job_id, error = %err, "import job failed");
                End::Failed("An internal error stopped the import; see the server log.".into())
            }
        };
        if let Err(err) = finish(&state, &job_id, end).await {
            tracing::error!(%job_id, error = %err, "recording the end of an import job");
        }
    });
}

async fn run(state: &AppState, job_id: &str) -> Result<End, StoreError> {
    let store = &state.store;
    if !store
        .transition_import_job(job_id, &[Status::Pending], Status::InProgress, state.clock.now(), None)
        .await?
    {
        return Ok(End::Stopped);
    }
    let Some(job) = store.get_import_job(job_id).await? else {
        return Ok(End::Gone);
    };
    let Some(pool) = store.get_pool(&job.pool_id).await? else {
        return Ok(End::Gone);
    };
    let Some(file) = store.get_import_file(job_id).await? else {
        return Ok(End::Failed(
            "No CSV file was uploaded to the job's pre-signed URL before the job was started.".into(),
        ));
    };
    let (sender, mut receiver) = mpsc::channel(2);
    let now = state.clock.now();
    let parser = tokio::task::spawn_blocking(move || parse(&file, &pool, now, &sender));
    while let Some(parsed) = receiver.recv().await {
        let batch = match parsed {
            Parsed::Batch(batch) => batch,
            Parsed::Fatal(message) => return Ok(End::Failed(message)),
        };
        match store.get_import_job(job_id).await? {
            Some(job) if job.status == Status::InProgress => {}
            Some(_) => return Ok(End::Stopped),
            None => return Ok(End::Gone),
        }
        store.import_user_batch(job_id, &batch).await?;
    }
    parser
        .await
        .map_err(|e| StoreError::Backend(format!("import parser: {e}")))?;
    Ok(End::Done)
}

/// Records how the job ended and drops its file.
async fn finish(state: &AppState, job_id: &str, end: End) -> Result<(), StoreError> {
    let store = &state.store;
    let now = state.clock.now();
    match end {
        End::Gone => return Ok(()),
        End::Done => {
            let failed = store.get_import_job(job_id).await?.map_or(0, |j| j.failed_users);
            let message = if failed == 0 {
                "Import Job Completed Successfully.".to_owned()
            } else {
                format!("Import Job Completed: {failed} users failed to import; see the job's log.")
            };
            let done = store
                .transition_import_job(job_id, &[Status::InProgress], Status::Succeeded, now, Some(&message))
                .await?;
            if !done {
                stopped(state, job_id).await?;
            }
        }
        End::Stopped => stopped(state, job_id).await?,
        End::Failed(message) => {
            let from = [Status::Pending, Status::InProgress, Status::Stopping];
            store
                .transition_import_job(job_id, &from, Status::Failed, now, Some(&message))
                .await?;
        }
    }
    store.delete_import_file(job_id).await
}

async fn stopped(state: &AppState, job_id: &str) -> Result<(), StoreError> {
    let message = "Import Job Stopped by StopUserImportJob.";
    state
        .store
        .transition_import_job(
            job_id,
            &[Status::Stopping],
            Status::Stopped,
            state.clock.now(),
            Some(message),
        )
        .await?;
    Ok(())
}

/// Parses and checks the file, sending batches until the end or until the receiver is gone.
fn parse(file: &[u8], pool: &UserPool, now: i64, sender: &mpsc::Sender<Parsed>) {
    let checked = csv_rules::decode(file).and_then(|text| csv_rules::check_row_count(text).map(|()| text));
    let text = match checked {
        Ok(text) => text,
        Err(message) => {
            let _ = sender.blocking_send(Parsed::Fatal(message));
            return;
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = StringRecord::new();
    let header = match reader.read_record(&mut record) {
        Ok(true) => Header::parse(&record, pool),
        Ok(false) => Err("The file is empty: it needs at least the header row.".to_owned()),
        Err(e) => Err(format!("The header row cannot be read: {e}")),
    };
    let header = match header {
        Ok(header) => header,
        Err(message) => {
            let _ = sender.blocking_send(Parsed::Fatal(format!("The CSV header is not valid. {message}")));
            return;
        }
    };
    let mut batch = ImportBatch::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let _ = sender.blocking_send(Parsed::Fatal(format!("The file cannot be read: {e}")));
                return;
            }
        }
        let (line, start) = record.position().map_or((0, 0), |p| (p.line() as i64, p.byte()));
        let raw_len = reader.position().byte().saturating_sub(start);
        match header.user(pool, &record, raw_len, now) {
            Ok(user) => {
                if header.mfa_enabled(&record) {
                    batch.sms_mfa.insert(user.sub.clone());
                }
                batch.users.push((line, user))
            }
            Err(reason) => batch.rejected.push(ImportLogEntry {
                line,
                username: header.username(&record).chars().take(128).collect(),
                outcome: ImportOutcome::Failed,
                reason,
            }),
        }
        if batch.users.len() + batch.rejected.len() >= BATCH_ROWS
            && sender.blocking_send(Parsed::Batch(std::mem::take(&mut batch))).is_err()
        {
            return;
        }
    }
    if !batch.users.is_empty() || !batch.rejected.is_empty() {
        let _ = sender.blocking_send(Parsed::Batch(batch));
    }
}
