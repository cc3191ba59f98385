//! # cognate-server
//!
//! A user-pool server that speaks Amazon Cognito's wire protocol, so the AWS SDKs and CLI — and
//! the Cognate widget — work against it unchanged.
//!
//! # Layout
//!
//! - [`config`]: the TOML + environment configuration; [`state`]: the [`AppState`] every
//!   handler shares (apart from the router in [`app`], so the domain never imports routing).
//! - [`api`]: `POST /` — the `X-Amz-Target` dispatch, SigV4 for admin operations, and one
//!   thin adapter module per group of operations (pools, clients, sign-up, sign-in, profile,
//!   admin, groups, MFA settings, devices, CSV import): parse the request, call the domain,
//!   shape the answer. The HTTP layer hands the domain what it knows of the caller
//!   ([`sign_in::Caller`]: address, hosted-page ticket) explicitly.
//! - [`sign_in`]: the one stepped sign-in — a typed state per challenge, stored as that state,
//!   one way to open and take a challenge, one `next_step` after any factor (password, SRP,
//!   new password, MFA, device), the entry per `AuthFlow`.
//! - [`user_pool`]: the pool's rules — usernames and aliases (and saving users under them),
//!   attributes, codes, secret hashes.
//! - [`identity_pool`]: the identity-pool API (`AWSCognitoIdentityService.*`): identities,
//!   role mappings and temporary AWS credentials.
//! - [`token`]: RS256 signing keys, JWTs with Cognito's claims, access-token checks, refresh.
//! - [`oidc`]: JWKS and OpenID discovery documents per pool.
//! - [`oauth`]: the OAuth 2.0 / OIDC endpoints and the hosted login page.
//! - [`dev`]: the demo pool, the dev mailbox pages, what `--dev` prints.
//! - [`store`]: storage traits, one per aggregate, and the SQLite and PostgreSQL backends.
//! - [`delivery`]: email/SMS senders (SMTP, webhook, dev mailbox).
//! - [`deployment`]: the listen addresses each mode may use, HSTS for an https public URL.
//! - [`client`]: a SigV4-signing client of the admin API, and `cognate import` built on it.
//! - [`srp`]: Cognito's SRP-6a (USER_SRP_AUTH) math.
//! - [`mfa`]: second factors — TOTP, which factors a pool offers and a user has.
//! - [`device`]: remembered devices (their records, keys and what a sign-in through one does).
//! - [`vault`]: sealing the secrets the store keeps.
//! - [`password`], [`one_time_code`], [`sigv4`], [`clock`]: the primitives.

pub mod api;
pub mod client;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod deployment;
pub mod dev;
pub mod device;
pub mod error;
pub mod identity_pool;
pub mod mfa;
pub mod oauth;
pub mod oidc;
pub mod one_time_code;
pub mod password;
pub mod serve;
pub mod sign_in;
pub mod sigv4;
pub mod srp;
pub mod state;
pub mod store;
pub mod sweeper;
pub mod token;
pub mod user_pool;
pub mod vault;
pub mod work;

use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::Router;

pub use crate::state::AppState;

/// The whole HTTP application.
pub fn app(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/", post(api::handle).options(api::preflight))
        .route("/health", get(|| async { "ok" }))
        .route("/{pool_id}/.well-known/jwks.json", get(oidc::jwks))
        .route("/{pool_id}/.well-known/openid-configuration", get(oidc::discovery))
        .route("/_import/{job_id}", put(api::import_upload::upload))
        .route("/_import/{job_id}/log", get(api::import_upload::log))
        .merge(oauth::routes());
    if state.config.dev {
        router = router.merge(dev::routes());
    }
    if let Some(dir) = &state.config.widget_dir {
        // Host pages of any origin load the widget (module scripts, wasm and catalogues are
        // fetched in CORS mode).
        let widget = tower::ServiceBuilder::new()
            .layer(
                tower_http::cors::CorsLayer::new()
                    .allow_origin(tower_http::cors::Any)
                    .allow_methods([axum::http::Method::GET, axum::http::Method::HEAD]),
            )
            .service(tower_http::services::ServeDir::new(dir));
        router = router.nest_service("/widget", widget);
        if state.config.dev {
            // A redirect, not the file itself: the page's relative asset URLs resolve under /widget/.
            router = router.route(
                "/demo",
                get(|| async { axum::response::Redirect::to("/widget/demo.html") }),
            );
        }
    }
    if deployment::uses_https(&state.public_url) {
        router = router.layer(axum::middleware::map_response(deployment::add_hsts));
    }
    router.with_state(state)
}
