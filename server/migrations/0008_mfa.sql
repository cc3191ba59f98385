-- Multi-factor authentication: the second factors each pool offers, each user's factors
-- (authenticator-app secret, the last TOTP time step used, which factors are on and which is
-- preferred), and the MFA state of a sign-in challenge (its code, wrong answers, choices).

CREATE TABLE pool_mfa (
    pool_id TEXT PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
    factors TEXT NOT NULL
);

CREATE TABLE user_mfa (
    pool_id          TEXT NOT NULL,
    sub              TEXT NOT NULL,
    totp_secret      TEXT,
    totp_pending     TEXT,
    totp_device_name TEXT,
    totp_last_step   INTEGER NOT NULL DEFAULT 0,
    totp_enabled     INTEGER NOT NULL DEFAULT 0,
    sms_enabled      INTEGER NOT NULL DEFAULT 0,
    email_enabled    INTEGER NOT NULL DEFAULT 0,
    preferred        TEXT,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

ALTER TABLE challenge_sessions ADD COLUMN mfa TEXT;
