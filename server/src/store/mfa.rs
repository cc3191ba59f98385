//! MFA records and their storage trait: the factors a pool offers, and each user's factors.

use async_trait::async_trait;
use cognate_protocol::mfa::MfaFactorsConfig;

use super::StoreResult;
use crate::mfa::factors::Factor;

/// A user's second factors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserMfa {
    /// The verified authenticator-app secret (base32), sealed ([`crate::vault`]).
    pub totp_secret: Option<String>,
    /// A secret handed out by AssociateSoftwareToken, not yet verified (sealed).
    pub totp_pending: Option<String>,
    pub totp_device_name: Option<String>,
    /// The last TOTP time step accepted: each code works once.
    pub totp_last_step: i64,
    pub totp_enabled: bool,
    pub sms_enabled: bool,
    pub email_enabled: bool,
    /// The preferred factor (stored under its challenge name).
    pub preferred: Option<Factor>,
}

#[async_trait]
pub trait MfaStore: Send + Sync {
    async fn get_pool_mfa(&self, pool_id: &str) -> StoreResult<Option<MfaFactorsConfig>>;
    async fn put_pool_mfa(&self, pool_id: &str, factors: &MfaFactorsConfig) -> StoreResult<()>;
    /// A user's factors (the default when none were ever set).
    async fn get_user_mfa(&self, pool_id: &str, sub: &str) -> StoreResult<UserMfa>;
    async fn put_user_mfa(&self, pool_id: &str, sub: &str, mfa: &UserMfa) -> StoreResult<()>;
    /// Records `step` as the last TOTP time step used, if it is later than the one recorded;
    /// false if it is not (the code was already used).
    async fn use_totp_step(&self, pool_id: &str, sub: &str, step: i64) -> StoreResult<bool>;
}
