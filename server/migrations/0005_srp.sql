-- USER_SRP_AUTH: each user's SRP salt and verifier (set whenever a password is set; NULL for
-- imported users until they reset), and the SRP state of PASSWORD_VERIFIER challenges.
-- challenge_sessions is rebuilt without its foreign key to users: the stand-in challenge of a
-- user that does not exist (PreventUserExistenceErrors) has an empty sub.

ALTER TABLE users ADD COLUMN srp_salt BLOB;
ALTER TABLE users ADD COLUMN srp_verifier BLOB;

CREATE TABLE challenge_sessions_new (
    id_hash    TEXT PRIMARY KEY,
    pool_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    sub        TEXT NOT NULL,
    challenge  TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    srp        TEXT
);
INSERT INTO challenge_sessions_new (id_hash, pool_id, client_id, sub, challenge, expires_at)
    SELECT id_hash, pool_id, client_id, sub, challenge, expires_at FROM challenge_sessions;
DROP TABLE challenge_sessions;
ALTER TABLE challenge_sessions_new RENAME TO challenge_sessions;
CREATE INDEX challenge_sessions_by_user ON challenge_sessions(pool_id, sub);
