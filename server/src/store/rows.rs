//! Reading rows into records, once for both backends: every column the stores read is of a type
//! SQLite and PostgreSQL both decode ([`Cell`]), so each record has one mapping, whichever database
//! the row came from, as each query is (see [`super::sql`]).

use cognate_protocol::import::UserImportJobStatus;
use cognate_protocol::oauth::ResourceServerType;
use cognate_protocol::user::UserStatus;
use sqlx::{Decode, Postgres, Row, Sqlite, Type};

use super::identity::{IdentityPoolRecord, IdentityRecord, IssuedCredentials};
use super::oauth::AuthorizationCode;
use super::{
    AppClient, AuthSession, ChallengeSession, Device, Group, ImportJob, SrpCredentials, StoreError, StoreResult, User,
    UserMfa, UserPool,
};
use crate::mfa::factors::Factor;

/// A column type both backends decode.
pub trait Cell:
    Sized + for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

impl<T> Cell for T where T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres> {}

/// A row of either backend, read by column name.
pub trait Columns {
    /// The value of `column`.
    fn get<T: Cell>(&self, column: &str) -> StoreResult<T>;
}

fn unreadable(column: &str, err: sqlx::Error) -> StoreError {
    StoreError::Backend(format!("reading column {column}: {err}"))
}

impl Columns for sqlx::sqlite::SqliteRow {
    fn get<T: Cell>(&self, column: &str) -> StoreResult<T> {
        self.try_get(column).map_err(|e| unreadable(column, e))
    }
}

impl Columns for sqlx::postgres::PgRow {
    fn get<T: Cell>(&self, column: &str) -> StoreResult<T> {
        self.try_get(column).map_err(|e| unreadable(column, e))
    }
}

/// Decodes a JSON column.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("corrupt JSON column: {e}")))
}

/// Encodes a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("encoding JSON column: {e}")))
}

pub fn challenge_from_row(row: &impl Columns) -> StoreResult<ChallengeSession> {
    Ok(ChallengeSession {
        id_hash: row.get("id_hash")?,
        pool_id: row.get("pool_id")?,
        client_id: row.get("client_id")?,
        sub: row.get("sub")?,
        expires_at: row.get("expires_at")?,
        device_key: row.get("device_key")?,
        state: from_json(&row.get::<String>("state")?)?,
    })
}

pub fn device_from_row(row: &impl Columns) -> StoreResult<Device> {
    Ok(Device {
        pool_id: row.get("pool_id")?,
        device_key: row.get("device_key")?,
        sub: row.get("sub")?,
        group_key: row.get("group_key")?,
        name: row.get("name")?,
        salt: row.get("salt")?,
        verifier: row.get("verifier")?,
        confirmed: row.get("confirmed")?,
        remembered: row.get("remembered")?,
        last_ip: row.get("last_ip")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        last_authenticated_at: row.get("last_authenticated_at")?,
    })
}

pub fn user_mfa_from_row(row: &impl Columns) -> StoreResult<UserMfa> {
    Ok(UserMfa {
        totp_secret: row.get("totp_secret")?,
        totp_pending: row.get("totp_pending")?,
        totp_device_name: row.get("totp_device_name")?,
        totp_last_step: row.get("totp_last_step")?,
        totp_enabled: row.get("totp_enabled")?,
        sms_enabled: row.get("sms_enabled")?,
        email_enabled: row.get("email_enabled")?,
        preferred: row
            .get::<Option<String>>("preferred")?
            .as_deref()
            .and_then(Factor::parse),
    })
}

pub fn group_from_row(row: &impl Columns) -> StoreResult<Group> {
    Ok(Group {
        pool_id: row.get("pool_id")?,
        name: row.get("name")?,
        description: row.get("description")?,
        role_arn: row.get("role_arn")?,
        precedence: row.get("precedence")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub fn identity_pool_from_row(row: &impl Columns) -> StoreResult<IdentityPoolRecord> {
    let openid_key: Option<Vec<u8>> = row.get("openid_key")?;
    let openid_key_id: Option<String> = row.get("openid_key_id")?;
    Ok(IdentityPoolRecord {
        id: row.get("id")?,
        name: row.get("name")?,
        settings: from_json(&row.get::<String>("settings")?)?,
        roles: from_json(&row.get::<String>("roles")?)?,
        role_mappings: from_json(&row.get::<String>("role_mappings")?)?,
        credential_key: row.get("credential_key")?,
        openid_key: openid_key.zip(openid_key_id),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub fn identity_from_row(row: &impl Columns) -> StoreResult<IdentityRecord> {
    let provider: Option<String> = row.get("login_provider")?;
    let subject: Option<String> = row.get("login_subject")?;
    Ok(IdentityRecord {
        id: row.get("id")?,
        pool_id: row.get("pool_id")?,
        login: provider.zip(subject),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub fn credentials_from_row(row: &impl Columns) -> StoreResult<IssuedCredentials> {
    Ok(IssuedCredentials {
        access_key_id: row.get("access_key_id")?,
        pool_id: row.get("pool_id")?,
        identity_id: row.get("identity_id")?,
        role_arn: row.get("role_arn")?,
        session_token_hash: row.get("session_token_hash")?,
        reason: row.get("reason")?,
        issued_at: row.get("issued_at")?,
        expires_at: row.get("expires_at")?,
    })
}

pub fn job_from_row(row: &impl Columns) -> StoreResult<ImportJob> {
    let status: String = row.get("status")?;
    Ok(ImportJob {
        job_id: row.get("job_id")?,
        pool_id: row.get("pool_id")?,
        name: row.get("name")?,
        role_arn: row.get("role_arn")?,
        status: UserImportJobStatus::parse(&status)
            .ok_or_else(|| StoreError::Backend(format!("bad import job status {status}")))?,
        created_at: row.get("created_at")?,
        started_at: row.get("started_at")?,
        completed_at: row.get("completed_at")?,
        imported_users: row.get("imported_users")?,
        skipped_users: row.get("skipped_users")?,
        failed_users: row.get("failed_users")?,
        message: row.get("message")?,
        upload_token_hash: row.get("upload_token_hash")?,
        upload_expires_at: row.get("upload_expires_at")?,
    })
}

pub fn server_from_row(row: &impl Columns) -> StoreResult<ResourceServerType> {
    let scopes: String = row.get("scopes")?;
    Ok(ResourceServerType {
        user_pool_id: row.get("pool_id")?,
        identifier: row.get("identifier")?,
        name: row.get("name")?,
        scopes: from_json(&scopes)?,
    })
}

pub fn code_from_row(row: &impl Columns) -> StoreResult<AuthorizationCode> {
    Ok(AuthorizationCode {
        code_hash: row.get("code_hash")?,
        pool_id: row.get("pool_id")?,
        client_id: row.get("client_id")?,
        sub: row.get("sub")?,
        redirect_uri: row.get("redirect_uri")?,
        scope: row.get("scope")?,
        nonce: row.get("nonce")?,
        code_challenge: row.get("code_challenge")?,
        auth_time: row.get("auth_time")?,
        expires_at: row.get("expires_at")?,
        device_key: row.get("device_key")?,
    })
}

pub fn pool_from_row(row: &impl Columns) -> StoreResult<UserPool> {
    Ok(UserPool {
        id: row.get("id")?,
        name: row.get("name")?,
        settings: from_json(&row.get::<String>("settings")?)?,
        signing_key: row.get("signing_key")?,
        key_id: row.get("key_id")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub fn client_from_row(row: &impl Columns) -> StoreResult<AppClient> {
    Ok(AppClient {
        pool_id: row.get("pool_id")?,
        client_id: row.get("client_id")?,
        secret: row.get("secret")?,
        settings: from_json(&row.get::<String>("settings")?)?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

pub fn session_from_row(row: &impl Columns) -> StoreResult<AuthSession> {
    Ok(AuthSession {
        origin_jti: row.get("origin_jti")?,
        pool_id: row.get("pool_id")?,
        sub: row.get("sub")?,
        client_id: row.get("client_id")?,
        refresh_hash: row.get("refresh_hash")?,
        auth_time: row.get("auth_time")?,
        expires_at: row.get("expires_at")?,
        revoked: row.get("revoked")?,
        scope: row.get("scope")?,
        device_key: row.get("device_key")?,
    })
}

pub fn user_from_row(row: &impl Columns) -> StoreResult<User> {
    let status: String = row.get("status")?;
    Ok(User {
        pool_id: row.get("pool_id")?,
        sub: row.get("sub")?,
        username: row.get("username")?,
        username_key: row.get("username_key")?,
        status: UserStatus::parse(&status).ok_or_else(|| StoreError::Backend(format!("bad status {status}")))?,
        enabled: row.get("enabled")?,
        password_hash: row.get("password_hash")?,
        attributes: from_json(&row.get::<String>("attributes")?)?,
        sign_in_email: row.get("sign_in_email")?,
        sign_in_phone: row.get("sign_in_phone")?,
        sign_in_preferred: row.get("sign_in_preferred")?,
        failed_attempts: row.get("failed_attempts")?,
        locked_until: row.get("locked_until")?,
        password_expires_at: row.get("password_expires_at")?,
        srp: srp_from_row(row)?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        version: row.get("version")?,
    })
}

fn srp_from_row(row: &impl Columns) -> StoreResult<Option<SrpCredentials>> {
    let salt: Option<Vec<u8>> = row.get("srp_salt")?;
    let verifier: Option<Vec<u8>> = row.get("srp_verifier")?;
    Ok(salt
        .zip(verifier)
        .map(|(salt, verifier)| SrpCredentials { salt, verifier }))
}
