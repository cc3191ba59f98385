-- Remembered devices: one row per device a sign-in created in a pool that tracks devices.
-- The device's SRP salt and verifier arrive with ConfirmDevice; until then it is unconfirmed
-- and not listed. The device key sent with a sign-in is kept in its challenge sessions.
-- PostgreSQL.

CREATE TABLE devices (
    pool_id               TEXT COLLATE "C" NOT NULL,
    device_key            TEXT COLLATE "C" NOT NULL,
    sub                   TEXT COLLATE "C" NOT NULL,
    group_key             TEXT NOT NULL,
    name                  TEXT,
    salt                  BYTEA,
    verifier              BYTEA,
    confirmed             BOOLEAN NOT NULL DEFAULT FALSE,
    remembered            BOOLEAN NOT NULL DEFAULT FALSE,
    last_ip               TEXT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    last_authenticated_at BIGINT,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);

ALTER TABLE challenge_sessions ADD COLUMN device_key TEXT;
