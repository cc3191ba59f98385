-- USER_SRP_AUTH: each user's SRP salt and verifier (set whenever a password is set; NULL for
-- imported users until they reset), and the SRP state of PASSWORD_VERIFIER challenges.
-- challenge_sessions loses its foreign key to users: the stand-in challenge of a user that does
-- not exist (PreventUserExistenceErrors) has an empty sub. PostgreSQL.

ALTER TABLE users ADD COLUMN srp_salt BYTEA;
ALTER TABLE users ADD COLUMN srp_verifier BYTEA;

ALTER TABLE challenge_sessions DROP CONSTRAINT challenge_sessions_user;
ALTER TABLE challenge_sessions ADD COLUMN srp TEXT;
CREATE INDEX challenge_sessions_by_user ON challenge_sessions(pool_id, sub);
