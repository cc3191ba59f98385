-- Cognate's first schema: user pools, app clients, users, one-time codes, sign-in sessions
-- (token families), challenge sessions and the development mailbox.

CREATE TABLE user_pools (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    settings    TEXT NOT NULL,
    signing_key BLOB NOT NULL,
    key_id      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE app_clients (
    client_id  TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    secret     TEXT,
    settings   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX app_clients_by_pool ON app_clients(pool_id, client_id);

CREATE TABLE users (
    pool_id             TEXT NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    sub                 TEXT NOT NULL,
    username            TEXT NOT NULL,
    username_key        TEXT NOT NULL,
    status              TEXT NOT NULL,
    enabled             INTEGER NOT NULL,
    password_hash       TEXT,
    attributes          TEXT NOT NULL,
    sign_in_email       TEXT,
    sign_in_phone       TEXT,
    sign_in_preferred   TEXT,
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until        INTEGER NOT NULL DEFAULT 0,
    password_expires_at INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    PRIMARY KEY (pool_id, sub)
);
CREATE UNIQUE INDEX users_by_username ON users(pool_id, username_key);
CREATE UNIQUE INDEX users_by_email ON users(pool_id, sign_in_email) WHERE sign_in_email IS NOT NULL;
CREATE UNIQUE INDEX users_by_phone ON users(pool_id, sign_in_phone) WHERE sign_in_phone IS NOT NULL;
CREATE UNIQUE INDEX users_by_preferred ON users(pool_id, sign_in_preferred) WHERE sign_in_preferred IS NOT NULL;

CREATE TABLE codes (
    pool_id    TEXT NOT NULL,
    sub        TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE TABLE auth_sessions (
    origin_jti   TEXT PRIMARY KEY,
    pool_id      TEXT NOT NULL,
    sub          TEXT NOT NULL,
    client_id    TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,
    auth_time    INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked      INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX auth_sessions_by_user ON auth_sessions(pool_id, sub);

CREATE TABLE challenge_sessions (
    id_hash    TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    challenge  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE TABLE mailbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    username   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
