//! The records of the OAuth side: resource servers, the hosted-UI domain, authorization codes
//! and the hosted page's sign-in sessions (the cookie that lets a second authorize skip the form).

use async_trait::async_trait;
use cognate_protocol::oauth::ResourceServerType;

use super::StoreResult;

/// An authorization code, stored by the SHA-256 of the code.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthorizationCode {
    pub code_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    pub redirect_uri: String,
    /// Granted scopes, space-separated.
    pub scope: String,
    pub nonce: Option<String>,
    /// The S256 PKCE challenge, when the request carried one.
    pub code_challenge: Option<String>,
    pub auth_time: i64,
    pub expires_at: i64,
    /// The remembered device of the sign-in the code answers, if it went through one.
    pub device_key: Option<String>,
}

/// What redeeming a code found.
#[derive(Clone, Debug, PartialEq)]
pub enum Redemption {
    /// The code was unused and is now bound to the new session.
    Fresh(Box<AuthorizationCode>),
    /// The code was used before, by this session (`origin_jti`).
    Replayed {
        redeemed_by: String,
    },
    Unknown,
}

/// A signed-in hosted page, stored by the SHA-256 of its cookie value.
#[derive(Clone, Debug, PartialEq)]
pub struct HostedSession {
    pub id_hash: String,
    pub pool_id: String,
    pub sub: String,
    pub auth_time: i64,
    pub expires_at: i64,
}

#[async_trait]
pub trait OAuthStore: Send + Sync {
    /// Creates (`create`) or replaces a resource server; false when create finds one or update none.
    async fn put_resource_server(&self, server: &ResourceServerType, create: bool) -> StoreResult<bool>;
    async fn get_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<Option<ResourceServerType>>;
    /// All of a pool's resource servers, by identifier.
    async fn list_resource_servers(&self, pool_id: &str) -> StoreResult<Vec<ResourceServerType>>;
    async fn delete_resource_server(&self, pool_id: &str, identifier: &str) -> StoreResult<bool>;

    /// Gives the pool `domain`; false when the domain or the pool already has one.
    async fn create_domain(&self, domain: &str, pool_id: &str, now: i64) -> StoreResult<bool>;
    /// The pool owning `domain`.
    async fn domain_owner(&self, domain: &str) -> StoreResult<Option<String>>;
    async fn delete_domain(&self, domain: &str, pool_id: &str) -> StoreResult<bool>;

    async fn insert_code(&self, code: &AuthorizationCode) -> StoreResult<()>;
    /// Marks the code used by `origin_jti` in one step, so two concurrent redemptions cannot both win.
    async fn redeem_code(&self, code_hash: &str, origin_jti: &str) -> StoreResult<Redemption>;

    async fn insert_hosted_session(&self, session: &HostedSession) -> StoreResult<()>;
    async fn get_hosted_session(&self, id_hash: &str) -> StoreResult<Option<HostedSession>>;
    async fn delete_hosted_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Ends every hosted-page session of a user (their next authorize shows the form again).
    async fn delete_user_hosted_sessions(&self, pool_id: &str, sub: &str) -> StoreResult<()>;
}
