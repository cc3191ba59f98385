//! Storage: the records Cognate keeps and the traits a store implements, one per aggregate.
//!
//! Handlers see only these traits (through [`Store`]), so the backends are interchangeable:
//! [`sqlite`] is the embedded default, [`postgres`] the backend for several server processes
//! on one database (chosen by `database_url`, see `serve.rs`). Every write that must be atomic
//! (a sign-up, a code check) is one trait method, so a backend can make it one transaction.
//!
//! # Layout
//!
//! - this module: the records, [`StoreError`] and the traits;
//! - [`sql`]: the one implementation of every trait, [`sql::SqlStore`], generic over a
//!   [`sql::Backend`]: each query is written once, with `$N` placeholders both drivers bind;
//! - [`rows`]: reading rows into records, once for both backends;
//! - [`sqlite`] and [`postgres`]: what differs per database — opening and migrating it, mapping
//!   its errors, the `ListUsers` filter expressions, and (SQLite only) the in-process session
//!   cache. `SqliteStore` and `PgStore` are `SqlStore` on each.

mod device;
pub mod identity;
mod mfa;
pub mod oauth;
pub mod postgres;
pub mod rows;
pub mod sql;
pub mod sqlite;
mod sweep;

pub use device::{Device, DeviceStore};
pub use mfa::{MfaStore, UserMfa};

pub use crate::sign_in::challenge::ChallengeSession;

use std::collections::BTreeMap;

use async_trait::async_trait;
use cognate_protocol::import::{ImportLogEntry, UserImportJobStatus};
use cognate_protocol::user::UserStatus;
use cognate_protocol::user_pool::{UserPoolClientSettings, UserPoolSettings};

pub use oauth::OAuthStore;
pub use sweep::{SweepStore, Swept};

/// A storage failure. `Conflict` names the unique key another record already holds.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique key already taken: {0}")]
    Conflict(UniqueKey),
    #[error("storage backend: {0}")]
    Backend(String),
    /// Input the backend cannot store or look up (PostgreSQL text cannot hold U+0000): the
    /// request's fault, not the server's.
    #[error("unstorable value: {0}")]
    Unstorable(String),
    /// A write based on a record another request changed since it was read (the user's
    /// `version` moved on): nothing was written.
    #[error("the record changed since it was read")]
    Stale,
}

/// The unique keys of a user within a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UniqueKey {
    Username,
    Email,
    PhoneNumber,
    PreferredUsername,
}

impl std::fmt::Display for UniqueKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UniqueKey::Username => "username",
            UniqueKey::Email => "email",
            UniqueKey::PhoneNumber => "phone_number",
            UniqueKey::PreferredUsername => "preferred_username",
        })
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A user pool with its signing key.
#[derive(Clone)]
pub struct UserPool {
    pub id: String,
    pub name: String,
    pub settings: UserPoolSettings,
    /// The token-signing key (PKCS#8 DER), sealed ([`crate::vault`]).
    pub signing_key: Vec<u8>,
    pub key_id: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An app client.
#[derive(Clone)]
pub struct AppClient {
    pub pool_id: String,
    pub client_id: String,
    pub secret: Option<String>,
    pub settings: UserPoolClientSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A user of a pool.
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub pool_id: String,
    pub sub: String,
    /// The username as given (its case kept).
    pub username: String,
    /// The username as looked up: lowercased in case-insensitive pools.
    pub username_key: String,
    pub status: UserStatus,
    pub enabled: bool,
    /// The argon2id PHC string; `None` for users without a password.
    pub password_hash: Option<String>,
    /// Attributes other than `sub`, by name.
    pub attributes: BTreeMap<String, String>,
    /// Lookup keys of the attributes users can sign in with (unique per pool).
    pub sign_in_email: Option<String>,
    pub sign_in_phone: Option<String>,
    pub sign_in_preferred: Option<String>,
    pub failed_attempts: i64,
    pub locked_until: i64,
    /// When a temporary password stops working.
    pub password_expires_at: Option<i64>,
    /// The SRP salt and verifier of the password (`None` until a password is set here).
    pub srp: Option<SrpCredentials>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Bumped by every whole-record write ([`UserStore::update_user`]), which lands only on the
    /// version it read.
    pub version: i64,
}

/// A user's SRP salt and verifier (big-endian bytes), see [`crate::srp`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SrpCredentials {
    pub salt: Vec<u8>,
    pub verifier: Vec<u8>,
}

/// What a one-time code proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    SignUp,
    ResetPassword,
    VerifyEmail,
    VerifyPhone,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::SignUp => "sign_up",
            CodePurpose::ResetPassword => "reset_password",
            CodePurpose::VerifyEmail => "verify_email",
            CodePurpose::VerifyPhone => "verify_phone",
        }
    }
}

/// A stored one-time code (hashed).
#[derive(Clone, Debug)]
pub struct OneTimeCode {
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts: i64,
}

/// A signed-in session: one refresh token family and the access/ID tokens issued from it,
/// which carry its id as `origin_jti`.
#[derive(Clone, Debug)]
pub struct AuthSession {
    pub origin_jti: String,
    pub pool_id: String,
    pub sub: String,
    pub client_id: String,
    pub refresh_hash: String,
    pub auth_time: i64,
    pub expires_at: i64,
    pub revoked: bool,
    /// The OAuth scopes granted, space-separated; `None` for a sign-in through the API.
    pub scope: Option<String>,
    /// The device the sign-in went through, in a pool that tracks devices.
    pub device_key: Option<String>,
}

/// A message kept by the development mailbox.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MailMessage {
    pub id: i64,
    #[serde(rename = "userPoolId")]
    pub pool_id: String,
    pub recipient: String,
    pub username: String,
    pub subject: String,
    pub body: String,
    pub time: i64,
}

/// A `ListUsers` filter: one attribute, equal to or starting with a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserFilter {
    pub attribute: String,
    pub prefix: bool,
    pub value: String,
}

#[async_trait]
pub trait PoolStore: Send + Sync {
    async fn insert_pool(&self, pool: &UserPool) -> StoreResult<()>;
    async fn get_pool(&self, id: &str) -> StoreResult<Option<UserPool>>;
    /// Pools ordered by id, starting after `after`.
    async fn list_pools(&self, after: Option<&str>, limit: i64) -> StoreResult<Vec<UserPool>>;
    async fn update_pool(&self, pool: &UserPool) -> StoreResult<bool>;
    /// Deletes the pool with its clients, users and everything of theirs.
    async fn delete_pool(&self, id: &str) -> StoreResult<bool>;
    async fn count_users(&self, pool_id: &str) -> StoreResult<i64>;
}

#[async_trait]
pub trait ClientStore: Send + Sync {
    async fn insert_client(&self, client: &AppClient) -> StoreResult<()>;
    async fn get_client(&self, client_id: &str) -> StoreResult<Option<AppClient>>;
    async fn list_clients(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<AppClient>>;
    async fn update_client(&self, client: &AppClient) -> StoreResult<bool>;
    async fn delete_client(&self, client_id: &str) -> StoreResult<bool>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    /// Inserts a new user; a taken username or sign-in alias is a `Conflict`.
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    async fn get_user_by_key(&self, pool_id: &str, username_key: &str) -> StoreResult<Option<User>>;
    async fn get_user_by_sub(&self, pool_id: &str, sub: &str) -> StoreResult<Option<User>>;
    /// Finds a user by a sign-in alias lookup key.
    async fn get_user_by_alias(&self, pool_id: &str, alias: UniqueKey, key: &str) -> StoreResult<Option<User>>;
    /// Writes every field of an existing user; a taken alias is a `Conflict`.
    /// Writes every field but the failed-password counters, if the stored user is still at
    /// `user.version` (and bumps it): false if the user is gone, [`StoreError::Stale`] if another
    /// write came first. The caller's copy is one version behind afterwards.
    async fn update_user(&self, user: &User) -> StoreResult<bool>;
    /// Counts one wrong password in a single statement; returns the new count (0: no such user).
    async fn add_failed_password(&self, pool_id: &str, sub: &str) -> StoreResult<i64>;
    /// Locks the user out until `until`, never shortening a lockout already stored.
    async fn lock_out_until(&self, pool_id: &str, sub: &str, until: i64) -> StoreResult<()>;
    /// Clears the failed-password count and lockout; with `proven_hash`, only while that password
    /// hash is still the stored one (a right answer to a password since replaced clears nothing).
    async fn clear_failed_passwords(&self, pool_id: &str, sub: &str, proven_hash: Option<&str>) -> StoreResult<()>;
    /// Replaces a password hash by a new hash of the same password (a stronger argon2 cost),
    /// while `old_hash` is still the stored one.
    async fn upgrade_password_hash(&self, pool_id: &str, sub: &str, old_hash: &str, new_hash: &str) -> StoreResult<()>;
    /// Up to `limit` users whose SRP verifier lies outside `[low, high)` (the sealed form's
    /// prefix range, [`crate::vault::Vault::sealed_range`]): (pool id, sub, verifier).
    async fn srp_verifiers_outside(
        &self,
        low: &[u8],
        high: &[u8],
        limit: i64,
    ) -> StoreResult<Vec<(String, String, Vec<u8>)>>;
    /// Replaces a user's SRP verifier by its sealed form, while `old` is still the stored one.
    async fn reseal_srp_verifier(&self, pool_id: &str, sub: &str, old: &[u8], sealed: &[u8]) -> StoreResult<bool>;
    /// Stores SRP credentials for a password that had none, while `password_hash` is still the
    /// stored one.
    async fn add_srp_credentials(
        &self,
        pool_id: &str,
        sub: &str,
        password_hash: &str,
        srp: &SrpCredentials,
    ) -> StoreResult<()>;
    async fn delete_user(&self, pool_id: &str, sub: &str) -> StoreResult<bool>;
    /// Users ordered by username key, after `after`, matching `filter`.
    async fn list_users(
        &self,
        pool_id: &str,
        filter: Option<&UserFilter>,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<User>>;
}

#[async_trait]
pub trait CodeStore: Send + Sync {
    /// Stores a code, replacing any earlier one of the same purpose.
    async fn put_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose, code: &OneTimeCode) -> StoreResult<()>;
    async fn get_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<Option<OneTimeCode>>;
    /// Claims one look at the code in a single statement: counts the attempt and returns the
    /// code as it now stands, or `None` if there is no code or its `max_attempts` are used up.
    /// Parallel guesses each claim their own attempt, so no burst gets more than `max_attempts`.
    async fn claim_code_attempt(
        &self,
        pool_id: &str,
        sub: &str,
        purpose: CodePurpose,
        max_attempts: i64,
    ) -> StoreResult<Option<OneTimeCode>>;
    /// Removes the code; true if it was there (so exactly one caller can consume it).
    async fn take_code(&self, pool_id: &str, sub: &str, purpose: CodePurpose) -> StoreResult<bool>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn insert_session(&self, session: &AuthSession) -> StoreResult<()>;
    async fn get_session(&self, origin_jti: &str) -> StoreResult<Option<AuthSession>>;
    async fn get_session_by_refresh(&self, refresh_hash: &str) -> StoreResult<Option<AuthSession>>;
    /// A session with its user, in one read (the access-token check on every request).
    async fn get_session_with_user(&self, origin_jti: &str) -> StoreResult<Option<(AuthSession, User)>>;
    /// Replaces the refresh token of a live session (rotation), remembering the old one as
    /// retired at `now`; false if it was already rotated. The session's expiry stays: rotation
    /// does not extend a sign-in.
    async fn rotate_refresh(&self, origin_jti: &str, old_hash: &str, new_hash: &str, now: i64) -> StoreResult<bool>;
    /// The session a rotated-away refresh token belonged to, and when it was rotated away.
    async fn retired_refresh(&self, refresh_hash: &str) -> StoreResult<Option<(String, i64)>>;
    async fn revoke_session(&self, origin_jti: &str) -> StoreResult<()>;
    /// Revokes every refresh token of a user and ends their hosted-page sessions (GlobalSignOut,
    /// AdminUserGlobalSignOut, a password reset or set by an admin, a disable).
    async fn revoke_user_sessions(&self, pool_id: &str, sub: &str) -> StoreResult<()>;
    async fn insert_challenge(&self, challenge: &ChallengeSession) -> StoreResult<()>;
    /// Removes and returns a challenge session: each can be answered once.
    async fn take_challenge(&self, id_hash: &str) -> StoreResult<Option<ChallengeSession>>;
}

/// A group of a pool.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub pool_id: String,
    pub name: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[async_trait]
pub trait GroupStore: Send + Sync {
    /// Inserts a group; a taken name is a `Conflict`.
    async fn insert_group(&self, group: &Group) -> StoreResult<()>;
    async fn get_group(&self, pool_id: &str, name: &str) -> StoreResult<Option<Group>>;
    /// Groups ordered by name, after `after`.
    async fn list_groups(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<Group>>;
    async fn update_group(&self, group: &Group) -> StoreResult<bool>;
    /// Deletes a group and its memberships.
    async fn delete_group(&self, pool_id: &str, name: &str) -> StoreResult<bool>;
    /// Adds a member (adding twice is not an error).
    async fn add_member(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()>;
    async fn remove_member(&self, pool_id: &str, group: &str, sub: &str) -> StoreResult<()>;
    /// A user's groups, ordered by name, after `after`.
    async fn groups_of_user(
        &self,
        pool_id: &str,
        sub: &str,
        after: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Group>>;
    /// A group's members, ordered by sub, after the sub `after`.
    async fn members(&self, pool_id: &str, group: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<User>>;
}

#[async_trait]
pub trait MailboxStore: Send + Sync {
    async fn push_mail(&self, message: &MailMessage) -> StoreResult<()>;
    async fn list_mail(&self, limit: i64) -> StoreResult<Vec<MailMessage>>;
}

/// A CSV user import job (see [`ImportStore`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportJob {
    pub job_id: String,
    pub pool_id: String,
    pub name: String,
    pub role_arn: String,
    pub status: UserImportJobStatus,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub imported_users: i64,
    pub skipped_users: i64,
    pub failed_users: i64,
    pub message: Option<String>,
    /// SHA-256 (hex) of the upload token; `None` once the file was uploaded.
    pub upload_token_hash: Option<String>,
    pub upload_expires_at: i64,
}

/// One batch of an import: the users to insert (with the CSV line each came from) and the
/// rows already rejected.
#[derive(Clone, Debug, Default)]
pub struct ImportBatch {
    pub users: Vec<(i64, User)>,
    pub rejected: Vec<ImportLogEntry>,
    /// The subs of the users whose SMS MFA is on (`cognito:mfa_enabled` = `true`).
    pub sms_mfa: std::collections::BTreeSet<String>,
}

/// What a batch did, added to the job's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub imported: i64,
    pub skipped: i64,
    pub failed: i64,
}

#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn insert_import_job(&self, job: &ImportJob) -> StoreResult<()>;
    async fn get_import_job(&self, job_id: &str) -> StoreResult<Option<ImportJob>>;
    /// A pool's jobs, oldest first, after the job `after`.
    async fn list_import_jobs(&self, pool_id: &str, after: Option<&str>, limit: i64) -> StoreResult<Vec<ImportJob>>;
    /// Moves a job in one of the `from` states to `to` at time `at` (its start date when `to` is
    /// `Pending`, its completion date and `message` when `to` is final); false if it was not
    /// in one of `from`.
    async fn transition_import_job(
        &self,
        job_id: &str,
        from: &[UserImportJobStatus],
        to: UserImportJobStatus,
        at: i64,
        message: Option<&str>,
    ) -> StoreResult<bool>;
    /// Fails every job left `Pending`, `InProgress` or `Stopping` (a process that ran it
    /// stopped); returns how many. Called at start-up of the process that owns the database.
    async fn fail_interrupted_import_jobs(&self, at: i64, message: &str) -> StoreResult<u64>;
    /// Stores the job's file if `token_hash` is its unused, unexpired upload token (which is
    /// then used up) and the job is `Created`; false otherwise.
    async fn put_import_file(&self, job_id: &str, token_hash: &str, now: i64, body: &[u8]) -> StoreResult<bool>;
    async fn get_import_file(&self, job_id: &str) -> StoreResult<Option<Vec<u8>>>;
    async fn delete_import_file(&self, job_id: &str) -> StoreResult<()>;
    /// Inserts a batch of users in one transaction: a taken username skips the row, a taken
    /// sign-in alias fails it; the rows not imported go to the job's log and the job's counters
    /// grow by the returned counts, in the same transaction.
    async fn import_user_batch(&self, job_id: &str, batch: &ImportBatch) -> StoreResult<ImportCounts>;
    /// The job's log, by line.
    async fn import_log(&self, job_id: &str) -> StoreResult<Vec<ImportLogEntry>>;
}

/// Everything a backend provides.
pub trait Store:
    PoolStore
    + ClientStore
    + UserStore
    + GroupStore
    + CodeStore
    + SessionStore
    + MailboxStore
    + ImportStore
    + OAuthStore
    + identity::IdentityPoolStore
    + MfaStore
    + DeviceStore
    + SweepStore
{
}

impl<T> Store for T where
    T: PoolStore
        + ClientStore
        + UserStore
        + GroupStore
        + CodeStore
        + SessionStore
        + MailboxStore
        + ImportStore
        + OAuthStore
        + identity::IdentityPoolStore
        + MfaStore
        + DeviceStore
        + SweepStore
{
}
