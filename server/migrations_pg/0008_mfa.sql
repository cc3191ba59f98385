-- Multi-factor authentication: the second factors each pool offers, each user's factors
-- (authenticator-app secret, the last TOTP time step used, which factors are on and which is
-- preferred), and the MFA state of a sign-in challenge (its code, wrong answers, choices).
-- PostgreSQL.

CREATE TABLE pool_mfa (
    pool_id TEXT COLLATE "C" PRIMARY KEY REFERENCES user_pools(id) ON DELETE CASCADE,
    factors TEXT NOT NULL
);

CREATE TABLE user_mfa (
    pool_id          TEXT COLLATE "C" NOT NULL,
    sub              TEXT COLLATE "C" NOT NULL,
    totp_secret      TEXT,
    totp_pending     TEXT,
    totp_device_name TEXT,
    totp_last_step   BIGINT NOT NULL DEFAULT 0,
    totp_enabled     BOOLEAN NOT NULL DEFAULT FALSE,
    sms_enabled      BOOLEAN NOT NULL DEFAULT FALSE,
    email_enabled    BOOLEAN NOT NULL DEFAULT FALSE,
    preferred        TEXT,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users(pool_id, sub) ON DELETE CASCADE
);

ALTER TABLE challenge_sessions ADD COLUMN mfa TEXT;
