-- CSV user import jobs (CreateUserImportJob ...), the uploaded file of each, and the log of
-- the rows a job did not import (Cognito's CloudWatch log of the job).

CREATE TABLE import_jobs (
    job_id            TEXT PRIMARY KEY,
    pool_id           TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    role_arn          TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    started_at        INTEGER,
    completed_at      INTEGER,
    imported_users    INTEGER NOT NULL DEFAULT 0,
    skipped_users     INTEGER NOT NULL DEFAULT 0,
    failed_users      INTEGER NOT NULL DEFAULT 0,
    message           TEXT,
    -- SHA-256 (hex) of the pre-signed URL's token; NULL once the file is uploaded.
    upload_token_hash TEXT,
    upload_expires_at INTEGER NOT NULL
);
CREATE INDEX import_jobs_by_pool ON import_jobs(pool_id, created_at, job_id);

CREATE TABLE import_files (
    job_id TEXT PRIMARY KEY REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    body   BLOB NOT NULL
);

CREATE TABLE import_log (
    job_id   TEXT NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    username TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    reason   TEXT NOT NULL
);
CREATE INDEX import_log_by_job ON import_log(job_id, line);
