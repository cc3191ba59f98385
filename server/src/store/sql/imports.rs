//! CSV import jobs, once for both backends: the job rows, the uploaded file (a BLOB/BYTEA, so
//! any server process sharing the database can run the job), the log of rows not imported, and
//! the batch insert of users — one transaction per batch, many users per statement. A failed
//! statement aborts a whole PostgreSQL transaction, so each statement runs under a savepoint
//! (SQLite takes the same savepoints): a unique-key violation rolls back only its own
//! statement, whose users are then inserted one by one, so one bad row never costs the others.

use async_trait::async_trait;
use cognate_protocol::import::{ImportLogEntry, ImportOutcome, UserImportJobStatus};
use sqlx::Transaction;

use super::{commit, query, Backend, SqlStore};
use crate::store::rows::{job_from_row, Columns};
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

/// Users per multi-row `INSERT` (18 parameters each, well under SQLite's 32766 and
/// PostgreSQL's 65535).
const USERS_PER_STATEMENT: usize = 100;

/// Inserts a chunk of imported rows with one statement (see [`super::users::insert_users`])
/// and turns on their SMS MFA, under a savepoint: on a conflict the chunk is undone and the
/// transaction goes on.
async fn insert_users<B: Backend>(
    tx: &mut Transaction<'_, B>,
    rows: &[(i64, User)],
    sms_mfa: &std::collections::BTreeSet<String>,
) -> StoreResult<()> {
    let users: Vec<&User> = rows.iter().map(|(_, user)| user).collect();
    query("SAVEPOINT import_rows").execute(&mut *tx).await?;
    match super::users::insert_users(&mut *tx, &users).await {
        Ok(()) => {
            enable_sms_mfa(tx, rows, sms_mfa).await?;
            query("RELEASE SAVEPOINT import_rows").execute(&mut *tx).await?;
            Ok(())
        }
        Err(e) => {
            query("ROLLBACK TO SAVEPOINT import_rows").execute(&mut *tx).await?;
            Err(e)
        }
    }
}

/// Turns SMS MFA on for the inserted users imported with `cognito:mfa_enabled` = `true`.
async fn enable_sms_mfa<B: Backend>(
    tx: &mut Transaction<'_, B>,
    rows: &[(i64, User)],
    subs: &std::collections::BTreeSet<String>,
) -> StoreResult<()> {
    for (_, user) in rows.iter().filter(|(_, user)| subs.contains(&user.sub)) {
        query("INSERT INTO user_mfa (pool_id, sub, sms_enabled) VALUES ($1, $2, TRUE)")
            .bind(&user.pool_id)
            .bind(&user.sub)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl<B: Backend> ImportStore for SqlStore<B> {
    async fn insert_import_job(&self, job: &ImportJob) -> StoreResult<()> {
        query(
            "INSERT INTO import_jobs (job_id, pool_id, name, role_arn, status, created_at, started_at,
                completed_at, imported_users, skipped_users, failed_users, message, upload_token_hash,
                upload_expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
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
        .await?;
        Ok(())
    }

    async fn get_import_job(&self, job_id: &str) -> StoreResult<Option<ImportJob>> {
        let row = query("SELECT * FROM import_jobs WHERE job_id = $1")
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    async fn list_import_jobs(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<ImportJob>> {
        let rows = query(
            "SELECT * FROM import_jobs WHERE pool_id = $1 AND ($2 IS NULL OR (created_at, job_id) >
                (SELECT created_at, job_id FROM import_jobs WHERE job_id = $2))
             ORDER BY created_at, job_id LIMIT $3",
        )
        .bind(pool_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(job_from_row).collect()
    }

    async fn fail_interrupted_import_jobs(&self, at: i64, message: &str) -> StoreResult<u64> {
        let changed = query(
            "UPDATE import_jobs SET status = 'Failed', completed_at = $1, message = $2
             WHERE status IN ('Pending', 'InProgress', 'Stopping')",
        )
        .bind(at)
        .bind(message)
        .execute(&self.pool)
        .await?;
        Ok(changed)
    }

    async fn transition_import_job(
        &self,
        job_id: &str,
        from: &[UserImportJobStatus],
        to: UserImportJobStatus,
        at: i64,
        message: Option<&str>,
    ) -> StoreResult<bool> {
        let starting = to == UserImportJobStatus::Pending;
        let from_placeholders: Vec<String> = (9..9 + from.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "UPDATE import_jobs SET status = $1,
                started_at = CASE WHEN $2 THEN $3 ELSE started_at END,
                completed_at = CASE WHEN $4 THEN $5 ELSE completed_at END,
                message = CASE WHEN $6 THEN $7 ELSE message END
             WHERE job_id = $8 AND status IN ({})",
            from_placeholders.join(", ")
        );
        let mut statement = query(&sql)
            .bind(to.as_str())
            .bind(starting)
            .bind(at)
            .bind(to.is_final())
            .bind(at)
            .bind(message.is_some())
            .bind(message)
            .bind(job_id);
        for status in from {
            statement = statement.bind(status.as_str());
        }
        let changed = statement.execute(&self.pool).await?;
        Ok(changed == 1)
    }

    async fn put_import_file(&self, job_id: &str, token_hash: &str, now: i64, body: &[u8]) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let claimed = query(
            "UPDATE import_jobs SET upload_token_hash = NULL
             WHERE job_id = $1 AND upload_token_hash = $2 AND upload_expires_at > $3 AND status = 'Created'",
        )
        .bind(job_id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut tx)
        .await?;
        if claimed != 1 {
            return Ok(false);
        }
        query(
            "INSERT INTO import_files (job_id, body) VALUES ($1, $2)
             ON CONFLICT (job_id) DO UPDATE SET body = excluded.body",
        )
        .bind(job_id)
        .bind(body)
        .execute(&mut tx)
        .await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn get_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>> {
        let row = query("SELECT body FROM import_files WHERE job_id = $1")
            .bind(job_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| row.get("body")).transpose()
    }

    async fn delete_import_file(&self, job_id: &str) -> StoreResult<()> {
        query("DELETE FROM import_files WHERE job_id = $1")
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn import_user_batch(&self, job_id: &str, batch: &ImportBatch) -> StoreResult<ImportCounts> {
        let mut tx = self.begin().await?;
        let mut counts = ImportCounts {
            failed: batch.rejected.len() as i64,
            ..ImportCounts::default()
        };
        let mut log = Vec::new();
        // Many rows per statement; a chunk with a conflict is redone row by row to find it.
        for chunk in batch.users.chunks(USERS_PER_STATEMENT) {
            match insert_users(&mut tx, chunk, &batch.sms_mfa).await {
                Ok(()) => {
                    counts.imported += chunk.len() as i64;
                    continue;
                }
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
            for row in chunk {
                match insert_users(&mut tx, std::slice::from_ref(row), &batch.sms_mfa).await {
                    Ok(()) => {
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
            query("INSERT INTO import_log (job_id, line, username, outcome, reason) VALUES ($1, $2, $3, $4, $5)")
                .bind(job_id)
                .bind(entry.line)
                .bind(&entry.username)
                .bind(entry.outcome.as_str())
                .bind(&entry.reason)
                .execute(&mut tx)
                .await?;
        }
        query(
            "UPDATE import_jobs SET imported_users = imported_users + $1, skipped_users = skipped_users + $2,
                failed_users = failed_users + $3
             WHERE job_id = $4",
        )
        .bind(counts.imported)
        .bind(counts.skipped)
        .bind(counts.failed)
        .bind(job_id)
        .execute(&mut tx)
        .await?;
        commit(tx).await?;
        Ok(counts)
    }

    async fn import_log(&self, job_id: &str) -> StoreResult<Vec<ImportLogEntry>> {
        let sql = format!(
            "SELECT * FROM import_log WHERE job_id = $1 ORDER BY line, {}",
            B::INSERTION_ORDER
        );
        let rows = query(&sql).bind(job_id).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let outcome: String = row.get("outcome")?;
                Ok(ImportLogEntry {
                    line: row.get("line")?,
                    username: row.get("username")?,
                    outcome: if outcome == "Skipped" {
                        ImportOutcome::Skipped
                    } else {
                        ImportOutcome::Failed
                    },
                    reason: row.get("reason")?,
                })
            })
            .collect()
    }
}
