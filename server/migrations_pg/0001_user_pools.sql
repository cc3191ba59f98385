-- Cognate's first schema (PostgreSQL): user pools, app clients, users, one-time codes, sign-in
-- sessions (token families), challenge sessions and the development mailbox.
-- Text is compared and ordered by code point (COLLATE "C"), as SQLite does, so keys page and
-- prefix filters match in the same order on both backends.

CREATE TABLE user_pools (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    settings    TEXT NOT NULL,
    signing_key BYTEA NOT NULL,
    key_id      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE app_clients (
    client_id  TEXT COLLATE "C" PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    secret     TEXT,
    settings   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX app_clients_by_pool ON app_clients(pool_id, client_id);

CREATE TABLE users (
    pool_id             TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    sub                 TEXT COLLATE "C" NOT NULL,
    username            TEXT COLLATE "C" NOT NULL,
    username_key        TEXT COLLATE "C" NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    enabled             BOOLEAN NOT NULL,
    password_hash       TEXT,
    attributes          TEXT NOT NULL,
    sign_in_email       TEXT COLLATE "C",
    sign_in_phone       TEXT COLLATE "C",
    sign_in_preferred   TEXT COLLATE "C",
    failed_attempts     BIGINT NOT NULL DEFAULT 0,
    locked_until        BIGINT NOT NULL DEFAULT 0,
    password_expires_at BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub)
);
CREATE UNIQUE INDEX users_by_username ON users(pool_id, username_key);
CREATE UNIQUE INDEX users_by_email ON users(pool_id, sign_in_email) WHERE sign_in_email IS NOT NULL;
CREATE UNIQUE INDEX users_by_phone ON users(pool_id, sign_in_phone) WHERE sign_in_phone IS NOT NULL;
CREATE UNIQUE INDEX users_by_preferred ON users(pool_id, sign_in_preferred) WHERE sign_in_preferred IS NOT NULL;

CREATE TABLE codes (
    pool_id    TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    purpose    TEXT COLLATE "C" NOT NULL,
    code_hash  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE TABLE auth_sessions (
    origin_jti   TEXT COLLATE "C" PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL,
    sub          TEXT COLLATE "C" NOT NULL,
    client_id    TEXT COLLATE "C" NOT NULL,
    refresh_hash TEXT COLLATE "C" NOT NULL UNIQUE,
    auth_time    BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX auth_sessions_by_user ON auth_sessions(pool_id, sub);

CREATE TABLE challenge_sessions (
    id_hash    TEXT COLLATE "C" PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL,
    client_id  TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    challenge  TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    CONSTRAINT challenge_sessions_user FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE TABLE mailbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    username   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
