//! Integration tests of the user-pool API, driven by the official AWS SDK for Rust against a
//! real server on a loopback port (one test binary; each test starts its own server with its
//! own temporary database).

mod api {
    pub mod support;

    mod admin;
    mod bounded_work;
    mod delivery;
    mod delivery_failure;
    mod deployment;
    mod devices;
    mod devices_admin;
    mod devices_tokens;
    mod durability;
    mod export;
    mod groups;
    mod identity_pools;
    mod identity_roles;
    mod identity_support;
    mod import;
    mod import_cli;
    mod import_rows;
    mod mfa;
    mod mfa_codes;
    mod mfa_setup;
    mod no_lost_updates;
    mod oauth;
    mod oauth_hosted;
    mod oauth_refresh_cookie;
    mod oauth_refusals;
    pub mod oauth_support;
    mod password_limits;
    mod pools;
    mod refresh_auth;
    mod session_end;
    mod shared_database;
    mod sign_in;
    mod sign_up;
    mod srp;
    mod srp_client;
    mod srp_sealed;
    mod storage_edges;
    mod upgrade;
    mod vault;
    mod wire;
}
