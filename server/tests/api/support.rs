//! The test harness: a server on 127.0.0.1:0 with a temp data dir and a movable clock, SDK
//! clients (signed with the admin key, and unsigned as a browser calls), and shortcuts for
//! pools, clients, users and codes from the dev mailbox.
//!
//! The store is SQLite in the temp dir, unless `COGNATE_TEST_DATABASE_URL` names a PostgreSQL
//! server (`scripts/with-postgres.sh` starts one and sets it): then every test server gets a
//! fresh schema of its own there, and the whole suite runs against the PostgreSQL backend.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider as cip;
use cip::config::retry::RetryConfig;
use cip::config::{BehaviorVersion, Credentials, Region};
use cip::error::ProvideErrorMetadata;
use cip::types::{AttributeType, ExplicitAuthFlowsType, VerifiedAttributeType};
use cognate_server::clock::OffsetClock;
use cognate_server::config::{Config, DatabaseUrl};
use cognate_server::AppState;
use sqlx::Connection;

pub const ACCESS_KEY: &str = "AKIATESTADMINKEY0001";
pub const SECRET_KEY: &str = "test/admin/secret/key";
pub const PASSWORD: &str = "Passw0rd!";

pub struct TestServer {
    pub url: String,
    pub state: Arc<AppState>,
    pub clock: OffsetClock,
    /// Signed with the admin key.
    pub admin: cip::Client,
    /// Unsigned, as a browser calls.
    pub public: cip::Client,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

pub fn sdk_client(url: &str, credentials: Option<(&str, &str)>) -> cip::Client {
    let mut builder = cip::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled());
    if let Some((id, secret)) = credentials {
        builder = builder.credentials_provider(Credentials::new(id, secret, None, None, "test"));
    }
    cip::Client::from_conf(builder.build())
}

/// When `COGNATE_TEST_DATABASE_URL` is set: a new empty schema on that PostgreSQL server, and
/// the URL that makes it the search path of every connection.
pub async fn fresh_test_database() -> Option<String> {
    let base = std::env::var("COGNATE_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())?;
    let schema = format!("cognate_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("connect to COGNATE_TEST_DATABASE_URL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .expect("create schema");
    admin.close().await.expect("close");
    let mut url = url::Url::parse(&base).expect("COGNATE_TEST_DATABASE_URL is a URL");
    url.query_pairs_mut()
        .append_pair("options", &format!("-c search_path={schema}"));
    Some(url.to_string())
}

/// A random master key for sealing stored secrets (base64 of 32 bytes).
pub fn new_secret_key() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    base64::engine::general_purpose::STANDARD.encode(key)
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after `configure` adjusted its configuration.
    pub async fn start_with(configure: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = fresh_test_database().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let url = format!("http://127.0.0.1:{}", addr.port());
        let mut config = Config {
            dev: true,
            data_dir: dir.path().to_owned(),
            database_url: database_url.clone().map(DatabaseUrl),
            // Servers sharing a database must share the master key (`cognate serve` insists).
            secret_key: database_url.map(|_| new_secret_key()),
            admin_access_key_id: Some(ACCESS_KEY.into()),
            admin_secret_access_key: Some(SECRET_KEY.into()),
            ..Config::default()
        };
        configure(&mut config);
        let clock = OffsetClock::default();
        // A configured public URL (say https://…) is what tokens and cookies name; requests still
        // go to the loopback address. Servers sharing a database share it, as behind a load balancer.
        let public_url = config.public_url.clone().unwrap_or_else(|| url.clone());
        let state = cognate_server::serve::build_state(config, public_url, Arc::new(clock.clone()))
            .await
            .expect("state");
        let app = cognate_server::app(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer {
            admin: sdk_client(&url, Some((ACCESS_KEY, SECRET_KEY))),
            public: sdk_client(&url, None),
            http: reqwest::Client::new(),
            url,
            state,
            clock,
            _dir: dir,
        }
    }

    /// A pool with email as alias and auto-verified, and a public client allowing password
    /// sign-in; `legacy` makes the client reveal user existence (Cognito's LEGACY).
    pub async fn pool_and_client(&self, legacy: bool) -> (String, String) {
        let pool = self
            .admin
            .create_user_pool()
            .pool_name("test-pool")
            .auto_verified_attributes(VerifiedAttributeType::Email)
            .alias_attributes(cip::types::AliasAttributeType::Email)
            .send()
            .await
            .expect("create pool");
        let pool_id = pool.user_pool().and_then(|p| p.id()).expect("pool id").to_owned();
        let client_id = self.client(&pool_id, legacy, false).await.0;
        (pool_id, client_id)
    }

    /// A client of the pool; returns its id and secret.
    pub async fn client(&self, pool_id: &str, legacy: bool, secret: bool) -> (String, Option<String>) {
        let client = self
            .admin
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name("web")
            .generate_secret(secret)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
            .prevent_user_existence_errors(if legacy {
                cip::types::PreventUserExistenceErrorTypes::Legacy
            } else {
                cip::types::PreventUserExistenceErrorTypes::Enabled
            })
            .send()
            .await
            .expect("create client");
        let client = client.user_pool_client().expect("client");
        (
            client.client_id().expect("id").to_owned(),
            client.client_secret().map(str::to_owned),
        )
    }

    /// The newest code sent to `recipient`.
    pub async fn code_for(&self, recipient: &str) -> String {
        let messages = self.state.store.list_mail(1000).await.expect("mail");
        let message = messages
            .iter()
            .rev()
            .find(|m| m.recipient == recipient)
            .expect("a message for the recipient");
        message
            .body
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '!' && c != '#' && c != '%' && c != '*')
            .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
            .unwrap_or_else(|| panic!("no code in {:?}", message.body))
            .to_owned()
    }

    pub async fn mail_count(&self, recipient: &str) -> usize {
        self.state
            .store
            .list_mail(1000)
            .await
            .expect("mail")
            .iter()
            .filter(|m| m.recipient == recipient)
            .count()
    }

    /// Signs up and confirms a user with email `<username>@example.com`.
    pub async fn confirmed_user(&self, client_id: &str, username: &str) -> String {
        let email = format!("{username}@example.com");
        self.public
            .sign_up()
            .client_id(client_id)
            .username(username)
            .password(PASSWORD)
            .user_attributes(attr("email", &email))
            .send()
            .await
            .expect("sign up");
        let code = self.code_for(&email).await;
        self.public
            .confirm_sign_up()
            .client_id(client_id)
            .username(username)
            .confirmation_code(code)
            .send()
            .await
            .expect("confirm");
        email
    }

    /// Signs in with USER_PASSWORD_AUTH; returns the tokens.
    pub async fn sign_in(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> cip::types::AuthenticationResultType {
        self.try_sign_in(client_id, username, password)
            .await
            .expect("sign in")
            .authentication_result()
            .expect("tokens")
            .clone()
    }

    pub async fn try_sign_in(
        &self,
        client_id: &str,
        username: &str,
        password: &str,
    ) -> Result<cip::operation::initiate_auth::InitiateAuthOutput, String> {
        self.public
            .initiate_auth()
            .client_id(client_id)
            .auth_flow(cip::types::AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", username)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(|e| code(&e))
    }

    /// A raw API call: returns status and JSON body.
    pub async fn raw(&self, target: &str, body: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}/", self.url))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{target}"))
            .body(body.to_owned())
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let json = response.json().await.unwrap_or(serde_json::Value::Null);
        (status, json)
    }
}

pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("attribute")
}

/// The Cognito error name of an SDK error.
pub fn code(err: &impl ProvideErrorMetadata) -> String {
    err.code().unwrap_or("<no code>").to_owned()
}

/// The Cognito error message of an SDK error.
pub fn message(err: &impl ProvideErrorMetadata) -> String {
    err.message().unwrap_or("").to_owned()
}

/// The claims of a JWT (unverified).
pub fn claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64");
    serde_json::from_slice(&bytes).expect("json")
}
