-- OAuth 2.0 / OIDC: the scopes a sign-in session was granted, resource servers (custom scopes),
-- the pool's hosted-UI domain, authorization codes and hosted-page sign-in sessions. PostgreSQL.

-- NULL: a sign-in through the API (its access token carries aws.cognito.signin.user.admin).
ALTER TABLE auth_sessions ADD COLUMN scope TEXT;

CREATE TABLE resource_servers (
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools(id) ON DELETE CASCADE,
    identifier TEXT COLLATE "C" NOT NULL,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    PRIMARY KEY (pool_id, identifier)
);

CREATE TABLE user_pool_domains (
    domain     TEXT COLLATE "C" PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES user_pools(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

-- Codes are kept (by hash) after use until they expire, so that a replay is recognised and
-- revokes the session the first use opened.
CREATE TABLE oauth_codes (
    code_hash      TEXT COLLATE "C" PRIMARY KEY,
    pool_id        TEXT COLLATE "C" NOT NULL,
    client_id      TEXT COLLATE "C" NOT NULL,
    sub            TEXT COLLATE "C" NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    auth_time      BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    redeemed_by    TEXT COLLATE "C",
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes(expires_at);

CREATE TABLE hosted_sessions (
    id_hash    TEXT COLLATE "C" PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL,
    sub        TEXT COLLATE "C" NOT NULL,
    auth_time  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);
