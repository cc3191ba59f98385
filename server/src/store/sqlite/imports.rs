//! CSV import jobs in SQLite: the job rows, the uploaded file (a BLOB, so any server process
//! sharing the database can run the job), the log of rows not imported, and the batch insert
//! of users — one transaction per batch, many users per statement; a unique-key violation
//! aborts only its own statement, whose users are then inserted one by one, so one bad row
//! never costs the others.

use async_trait::async_trait;
use cognate_protocol::import::{ImportLogEntry, ImportOutcome, UserImportJobStatus};
use sqlx::Row;

use super::{backend, SqliteStore};
use crate::store::rows::job_from_row;
use crate::store::{ImportBatch, ImportCounts, ImportJob, ImportStore, StoreError, StoreResult, UniqueKey, User};

/// Why a user whose unique key is taken was not imported.
fn conflict_entry(line: i64, user: &User, key: UniqueKey) -> ImportLogEntry {
    let (outcome, reason) = match key {
        UniqueKey::Username => (ImportOutcome::Skipped, "User account already exists.".to_owned()),
        other => (
            ImportOutcome::Failed,
            format!("An account with the {other} already exists."),
        ),
    };
    ImportLogEntry {
        line,
        username: user.username.clone(),
        outcome,
        reason,
    }
}

/// Users per multi-row `INSERT` (18 parameters each, well under SQLite's limit).
const USERS_PER_STATEMENT: usize = 100;

/// Inserts a chunk of imported rows with one statement (see [`super::users::insert_users`]).
async fn insert_users(tx: &mut sqlx::SqliteConnection, rows: &[(i64, User)]) -> StoreResult<()> {
    let users: Vec<&User> = rows.iter().map(|(_, user)| user).collect();
    super::users::insert_users(tx, &users).await
}

/// Turns SMS MFA on for the inserted users imported with `cognito:mfa_enabled` = `true`.
async fn enable_sms_mfa(
    tx: &mut sqlx::SqliteConnection,
    rows: &[(i64, User)],
    subs: &std::collections::BTreeSet<String>,
) -> StoreResult<()> {
    for (_, user) in rows.iter().filter(|(_, user)| subs.contains(&user.sub)) {
        sqlx::query("INSERT INTO user_mfa (pool_id, sub, sms_enabled) VALUES (?, ?, 1)")
            .bind(&user.pool_id)
            .bind(&user.sub)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    Ok(())
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn insert_import_job(&self, job: &ImportJob) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO import_jobs (job_id, pool_id, name, role_arn, status, created_at, started_at,
                completed_at, imported_users, skipped_users, failed_users, message, upload_token_hash,
                upload_expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&job.job_id)
        .bind(&job.pool_id)
        .bind(&job.name)
        .bind(&job.role_arn)
        .bind(job.status.as_str())
        .bind(job.created_at)
        .bind(job.started_at)
        .bind(job.completed_at)
        .bind(job.imported_users)
        .bind(job.skipped_users)
        .bind(job.failed_users)
        .bind(&job.message)
        .bind(&job.upload_token_hash)
        .bind(job.upload_expires_at)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn get_import_job(&self, job_id: &str) -> StoreResult<Option<ImportJob>> {
        let row = sqlx::query("SELECT * FROM import_jobs WHERE job_id = ?")
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(job_from_row).transpose()
    }

    async fn list_import_jobs(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<ImportJob>> {
        let rows = sqlx::query(
            "SELECT * FROM import_jobs WHERE pool_id = ?1 AND (?2 IS NULL OR (created_at, job_id) >
                (SELECT created_at, job_id FROM import_jobs WHERE job_id = ?2))
             ORDER BY created_at, job_id LIMIT ?3",
        )
        .bind(pool_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(job_from_row).collect()
    }

    async fn fail_interrupted_import_jobs(&self, at: i64, message: &str) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE import_jobs SET status = 'Failed', completed_at = ?, message = ?
             WHERE status IN ('Pending', 'InProgress', 'Stopping')",
        )
        .bind(at)
        .bind(message)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn transition_import_job(
        &self,
        job_id: &str,
        from: &[UserImportJobStatus],
        to: UserImportJobStatus,
        at: i64,
        message: Option<&str>,
    ) -> StoreResult<bool> {
        let placeholders = vec!["?"; from.len()].join(", ");
        let sql = format!(
            "UPDATE import_jobs SET status = ?,
                started_at = CASE WHEN ? THEN ? ELSE started_at END,
                completed_at = CASE WHEN ? THEN ? ELSE completed_at END,
                message = CASE WHEN ? THEN ? ELSE message END
             WHERE job_id = ? AND status IN ({placeholders})"
        );
        let starting = to == UserImportJobStatus::Pending;
        let mut query = sqlx::query(&sql)
            .bind(to.as_str())
            .bind(starting)
            .bind(at)
            .bind(to.is_final())
            .bind(at)
            .bind(message.is_some())
            .bind(message)
            .bind(job_id);
        for status in from {
            query = query.bind(status.as_str());
        }
        let done = query.execute(&self.pool).await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_import_file(&self, job_id: &str, token_hash: &str, now: i64, body: &[u8]) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let claimed = sqlx::query(
            "UPDATE import_jobs SET upload_token_hash = NULL
             WHERE job_id = ? AND upload_token_hash = ? AND upload_expires_at > ? AND status = 'Created'",
        )
        .bind(job_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if claimed.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query("INSERT OR REPLACE INTO import_files (job_id, body) VALUES (?, ?)")
            .bind(job_id)
            .bind(body)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn get_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT body FROM import_files WHERE job_id = ?")
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(|r| r.try_get("body").map_err(backend)).transpose()
    }

    async fn delete_import_file(&self, job_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM import_files WHERE job_id = ?")
            .bind(job_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn import_user_batch(&self, job_id: &str, batch: &ImportBatch) -> StoreResult<ImportCounts> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut counts = ImportCounts {
            failed: batch.rejected.len() as i64,
            ..ImportCounts::default()
        };
        let mut log = Vec::new();
        // Many rows per statement; a chunk with a conflict is redone row by row to find it.
        for chunk in batch.users.chunks(USERS_PER_STATEMENT) {
            match insert_users(&mut tx, chunk).await {
                Ok(()) => {
                    enable_sms_mfa(&mut tx, chunk, &batch.sms_mfa).await?;
                    counts.imported += chunk.len() as i64;
                    continue;
                }
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            for row in chunk {
                match insert_users(&mut tx, std::slice::from_ref(row)).await {
                    Ok(()) => {
                        enable_sms_mfa(&mut tx, std::slice::from_ref(row), &batch.sms_mfa).await?;
                        counts.imported += 1;
                    }
                    Err(StoreError::Conflict(key)) => {
                        let entry = conflict_entry(row.0, &row.1, key);
                        match entry.outcome {
                            ImportOutcome::Skipped => counts.skipped += 1,
                            ImportOutcome::Failed => counts.failed += 1,
                        }
                        log.push(entry);
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        for entry in batch.rejected.iter().chain(&log) {
            sqlx::query("INSERT INTO import_log (job_id, line, username, outcome, reason) VALUES (?, ?, ?, ?, ?)")
                .bind(job_id)
                .bind(entry.line)
                .bind(&entry.username)
                .bind(entry.outcome.as_str())
                .bind(&entry.reason)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        sqlx::query(
            "UPDATE import_jobs SET imported_users = imported_users + ?, skipped_users = skipped_users + ?,
                failed_users = failed_users + ?
             WHERE job_id = ?",
        )
        .bind(counts.imported)
        .bind(counts.skipped)
        .bind(counts.failed)
        .bind(job_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(counts)
    }

    async fn import_log(&self, job_id: &str) -> StoreResult<Vec<ImportLogEntry>> {
        let rows = sqlx::query("SELECT * FROM import_log WHERE job_id = ? ORDER BY line, rowid")
            .bind(job_id)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|row| {
                let outcome: &str = row.try_get("outcome").map_err(backend)?;
                Ok(ImportLogEntry {
                    line: row.try_get("line").map_err(backend)?,
                    username: row.try_get("username").map_err(backend)?,
                    outcome: if outcome == "Skipped" {
                        ImportOutcome::Skipped
                    } else {
                        ImportOutcome::Failed
                    },
                    reason: row.try_get("reason").map_err(backend)?,
                })
            })
            .collect()
    }
}
