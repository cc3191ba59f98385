-- Indexes for ListUsers filters on large pools: each filterable attribute, within a pool,
-- ordered by username key so a filtered page is read in order. PostgreSQL: the attribute is
-- read from the JSON text as `(attributes::jsonb ->> 'name') COLLATE "C"`, the expression the
-- store's filters compare, so these indexes serve them.

CREATE INDEX users_by_attr_email ON users(pool_id, ((attributes::jsonb ->> 'email') COLLATE "C"), username_key);
CREATE INDEX users_by_attr_phone ON users(pool_id, ((attributes::jsonb ->> 'phone_number') COLLATE "C"), username_key);
CREATE INDEX users_by_attr_name ON users(pool_id, ((attributes::jsonb ->> 'name') COLLATE "C"), username_key);
CREATE INDEX users_by_attr_given_name ON users(pool_id, ((attributes::jsonb ->> 'given_name') COLLATE "C"), username_key);
CREATE INDEX users_by_attr_family_name ON users(pool_id, ((attributes::jsonb ->> 'family_name') COLLATE "C"), username_key);
CREATE INDEX users_by_attr_preferred ON users(pool_id, ((attributes::jsonb ->> 'preferred_username') COLLATE "C"), username_key);
CREATE INDEX users_by_status ON users(pool_id, status, username_key);
CREATE INDEX users_by_given_username ON users(pool_id, username, username_key);
