-- Refresh-token families: a rotated refresh token is remembered (by hash) with the sign-in
-- session it belonged to, so presenting it again after the client's RetryGracePeriodSeconds
-- revokes the whole session (server/src/token/refresh.rs). The sweeper deletes the rows of
-- sessions that are gone.
CREATE TABLE retired_refresh_tokens (
    refresh_hash TEXT COLLATE "C" PRIMARY KEY,
    origin_jti   TEXT COLLATE "C" NOT NULL,
    retired_at   BIGINT NOT NULL
);
CREATE INDEX retired_refresh_tokens_by_session ON retired_refresh_tokens(origin_jti);
