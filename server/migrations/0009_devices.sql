-- Remembered devices: one row per device a sign-in created in a pool that tracks devices.
-- The device's SRP salt and verifier arrive with ConfirmDevice; until then it is unconfirmed
-- and not listed. The device key sent with a sign-in is kept in its challenge sessions.

CREATE TABLE devices (
    pool_id              TEXT NOT NULL,
    device_key           TEXT NOT NULL,
    sub                  TEXT NOT NULL,
    group_key            TEXT NOT NULL,
    name                 TEXT,
    salt                 BLOB,
    verifier             BLOB,
    confirmed            INTEGER NOT NULL DEFAULT 0,
    remembered           INTEGER NOT NULL DEFAULT 0,
    last_ip              TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    last_authenticated_at INTEGER,
    PRIMARY KEY (pool_id, device_key),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

CREATE INDEX devices_by_user ON devices (pool_id, sub, device_key);

ALTER TABLE challenge_sessions ADD COLUMN device_key TEXT;
