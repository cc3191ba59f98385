//! The application state every request handler shares: configuration, the store, the clock,
//! the signing keys, the pool cache, the message sender and the vault. It lives apart from the
//! router (`crate::app`) so that the domain modules depend on it and not on HTTP routing.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::delivery::Sender;
use crate::store::Store;
use crate::token::keys::KeyRing;
use crate::vault;

/// What every request handler shares.
pub struct AppState {
    pub config: Config,
    /// The base URL of issuers and links, without a trailing slash.
    pub public_url: String,
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub keys: KeyRing,
    /// Recently read pools.
    pub pools: crate::user_pool::cache::PoolCache,
    pub sender: Arc<dyn Sender>,
    /// Seals the secrets the store keeps (signing keys, authenticator keys, credential keys).
    pub vault: vault::Vault,
    /// The bounded pool password hashing and SRP arithmetic run on.
    pub work: crate::work::WorkPool,
}

impl AppState {
    /// The issuer (`iss`) of a pool's tokens.
    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{pool_id}", self.public_url)
    }
}
