-- The remembered device a sign-in went through (its DEVICE_KEY, or the device it created), so
-- that the access tokens of the session, refreshed ones too, carry it as `device_key`.
-- PostgreSQL.

ALTER TABLE auth_sessions ADD COLUMN device_key TEXT;

-- A hosted sign-in through a device hands the device on to the authorization code it answers with.
ALTER TABLE oauth_codes ADD COLUMN device_key TEXT;
