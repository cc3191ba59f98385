-- CSV user import jobs (CreateUserImportJob ...), the uploaded file of each, and the log of
-- the rows a job did not import (Cognito's CloudWatch log of the job). PostgreSQL.

CREATE TABLE import_jobs (
    job_id            TEXT COLLATE "C" PRIMARY KEY,
    pool_id           TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    role_arn          TEXT NOT NULL,
    status            TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT NOT NULL,
    started_at        BIGINT,
    completed_at      BIGINT,
    imported_users    BIGINT NOT NULL DEFAULT 0,
    skipped_users     BIGINT NOT NULL DEFAULT 0,
    failed_users      BIGINT NOT NULL DEFAULT 0,
    message           TEXT,
    -- SHA-256 (hex) of the pre-signed URL's token; NULL once the file is uploaded.
    upload_token_hash TEXT COLLATE "C",
    upload_expires_at BIGINT NOT NULL
);
CREATE INDEX import_jobs_by_pool ON import_jobs(pool_id, created_at, job_id);

CREATE TABLE import_files (
    job_id TEXT COLLATE "C" PRIMARY KEY REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    body   BYTEA NOT NULL
);

-- `id` keeps the order rows were logged in (SQLite's rowid).
CREATE TABLE import_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id   TEXT COLLATE "C" NOT NULL REFERENCES import_jobs(job_id) ON DELETE CASCADE,
    line     BIGINT NOT NULL,
    username TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    reason   TEXT NOT NULL
);
CREATE INDEX import_log_by_job ON import_log(job_id, line);
