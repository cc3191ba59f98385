//! Storage of identity pools: the pools, their identities and a record of every set of
//! temporary credentials issued (never its secret key, which is derived again from the pool's
//! credential key when a signature must be checked, nor its session token, kept as a hash).

use std::collections::BTreeMap;

use async_trait::async_trait;
use cognate_protocol::identity::{IdentityPool, RoleMapping};

use super::StoreResult;

/// An identity pool with its roles and keys.
#[derive(Clone)]
pub struct IdentityPoolRecord {
    pub id: String,
    pub name: String,
    /// The pool's settings as the API describes them (`identity_pool_id` left empty).
    pub settings: IdentityPool,
    /// `authenticated` / `unauthenticated` → role ARN.
    pub roles: BTreeMap<String, String>,
    /// Provider name → role mapping.
    pub role_mappings: BTreeMap<String, RoleMapping>,
    /// The HMAC key that issued credentials' secret keys are derived with.
    pub credential_key: Vec<u8>,
    /// The RSA key (PKCS#8 DER) and key id of `GetOpenIdToken`'s tokens, made on first use.
    pub openid_key: Option<(Vec<u8>, String)>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An identity of a pool: a guest, or one user of one provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityRecord {
    pub id: String,
    pub pool_id: String,
    /// The provider name and the user's `sub`; `None` for a guest.
    pub login: Option<(String, String)>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Temporary credentials as issued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCredentials {
    pub access_key_id: String,
    pub pool_id: String,
    pub identity_id: String,
    pub role_arn: String,
    /// SHA-256 (hex) of the session token.
    pub session_token_hash: String,
    /// Which role, mapping or rule chose the role.
    pub reason: String,
    pub issued_at: i64,
    pub expires_at: i64,
}

#[async_trait]
pub trait IdentityPoolStore: Send + Sync {
    async fn insert_identity_pool(&self, pool: &IdentityPoolRecord) -> StoreResult<()>;
    async fn get_identity_pool(&self, id: &str) -> StoreResult<Option<IdentityPoolRecord>>;
    /// Pools ordered by id, after `after`.
    async fn list_identity_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<IdentityPoolRecord>>;
    /// Writes name, settings, roles and mappings.
    async fn update_identity_pool(&self, pool: &IdentityPoolRecord) -> StoreResult<bool>;
    /// Sets the OpenID signing key unless the pool already has one.
    async fn set_openid_key(&self, id: &str, der: &[u8], key_id: &str) -> StoreResult<()>;
    /// Deletes the pool with its identities and credential records.
    async fn delete_identity_pool(&self, id: &str) -> StoreResult<bool>;
    /// Inserts an identity; a login already linked to an identity of the pool is a `Conflict`.
    async fn insert_identity(&self, identity: &IdentityRecord) -> StoreResult<()>;
    async fn get_identity(&self, id: &str) -> StoreResult<Option<IdentityRecord>>;
    async fn find_identity_by_login(
        &self,
        pool_id: &str,
        provider: &str,
        subject: &str,
    ) -> StoreResult<Option<IdentityRecord>>;
    /// Links a login to a guest identity; false if the identity is not a guest (any more). A
    /// login already linked to another identity of the pool is a `Conflict`.
    async fn link_identity(&self, id: &str, provider: &str, subject: &str, at: i64) -> StoreResult<bool>;
    /// A pool's identities ordered by id, after `after`.
    async fn list_identities(&self, pool_id: &str, after: Option<&str>, limit: i64)
        -> StoreResult<Vec<IdentityRecord>>;
    async fn delete_identity(&self, id: &str) -> StoreResult<bool>;
    async fn insert_issued_credentials(&self, credentials: &IssuedCredentials) -> StoreResult<()>;
    async fn get_issued_credentials(&self, access_key_id: &str) -> StoreResult<Option<IssuedCredentials>>;
}
