-- Indexes for ListUsers filters on large pools: each filterable attribute, within a pool,
-- ordered by username key so a filtered page is read in order.

CREATE INDEX users_by_attr_email ON users(pool_id, json_extract(attributes, '$.email'), username_key);
CREATE INDEX users_by_attr_phone ON users(pool_id, json_extract(attributes, '$.phone_number'), username_key);
CREATE INDEX users_by_attr_name ON users(pool_id, json_extract(attributes, '$.name'), username_key);
CREATE INDEX users_by_attr_given_name ON users(pool_id, json_extract(attributes, '$.given_name'), username_key);
CREATE INDEX users_by_attr_family_name ON users(pool_id, json_extract(attributes, '$.family_name'), username_key);
CREATE INDEX users_by_attr_preferred ON users(pool_id, json_extract(attributes, '$.preferred_username'), username_key);
CREATE INDEX users_by_status ON users(pool_id, status, username_key);
CREATE INDEX users_by_given_username ON users(pool_id, username, username_key);
