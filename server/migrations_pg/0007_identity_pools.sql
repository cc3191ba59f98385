-- Identity pools, their identities and the temporary credentials issued to them. PostgreSQL.

CREATE TABLE identity_pools (
    id             TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT NOT NULL,
    settings       TEXT NOT NULL,
    roles          TEXT NOT NULL,
    role_mappings  TEXT NOT NULL,
    credential_key BYTEA NOT NULL,
    openid_key     BYTEA,
    openid_key_id  TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE identities (
    id             TEXT COLLATE "C" PRIMARY KEY,
    pool_id        TEXT COLLATE "C" NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
    login_provider TEXT COLLATE "C",
    login_subject  TEXT COLLATE "C",
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    UNIQUE (pool_id, login_provider, login_subject)
);
CREATE INDEX identities_by_pool ON identities(pool_id, id);

CREATE TABLE issued_credentials (
    access_key_id      TEXT COLLATE "C" PRIMARY KEY,
    pool_id            TEXT COLLATE "C" NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
    identity_id        TEXT COLLATE "C" NOT NULL,
    role_arn           TEXT NOT NULL,
    session_token_hash TEXT NOT NULL,
    reason             TEXT NOT NULL,
    issued_at          BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL
);
