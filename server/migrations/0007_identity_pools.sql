-- Identity pools, their identities and the temporary credentials issued to them.

CREATE TABLE identity_pools (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    settings       TEXT NOT NULL,
    roles          TEXT NOT NULL,
    role_mappings  TEXT NOT NULL,
    credential_key BLOB NOT NULL,
    openid_key     BLOB,
    openid_key_id  TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE identities (
    id             TEXT PRIMARY KEY,
    pool_id        TEXT NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
    login_provider TEXT,
    login_subject  TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (pool_id, login_provider, login_subject)
);
CREATE INDEX identities_by_pool ON identities(pool_id, id);

CREATE TABLE issued_credentials (
    access_key_id      TEXT PRIMARY KEY,
    pool_id            TEXT NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
    identity_id        TEXT NOT NULL,
    role_arn           TEXT NOT NULL,
    session_token_hash TEXT NOT NULL,
    reason             TEXT NOT NULL,
    issued_at          INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL
);
