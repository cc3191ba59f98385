-- A challenge session holds its typed state (server/src/sign_in/challenge.rs: the challenge and
-- what answering it needs) as one JSON column, in place of the challenge's name and the SRP and
-- MFA side columns. Challenges live for minutes: those open during the upgrade are dropped, and
-- their sign-ins start again.

DROP TABLE challenge_sessions;
CREATE TABLE challenge_sessions (
    id_hash    TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    device_key TEXT,
    state      TEXT NOT NULL
);
CREATE INDEX challenge_sessions_by_user ON challenge_sessions(pool_id, sub);
