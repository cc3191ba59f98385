-- Every whole-record write of a user (attributes, password, status, enabled) lands only on the
-- version it read and bumps it, so a slow request cannot write an old record back over a
-- concurrent password change, disable or delete (server/src/store/sql/users.rs). The
-- failed-password counters are written by their own single statements and do not bump it.
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
