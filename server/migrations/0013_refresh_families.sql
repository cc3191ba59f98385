-- Refresh-token families: a rotated refresh token is remembered (by hash) with the sign-in
-- session it belonged to, so presenting it again after the client's RetryGracePeriodSeconds
-- revokes the whole session (server/src/token/refresh.rs). The sweeper deletes the rows of
-- sessions that are gone.
CREATE TABLE retired_refresh_tokens (
    refresh_hash TEXT PRIMARY KEY,
    origin_jti   TEXT NOT NULL,
    retired_at   INTEGER NOT NULL
);
CREATE INDEX retired_refresh_tokens_by_session ON retired_refresh_tokens(origin_jti);
