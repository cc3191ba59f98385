//! The identity-pool tests' harness: `aws-sdk-cognitoidentity` clients (admin-signed and
//! unsigned), an identity pool trusting a user pool's client, ID tokens, credentials, and the
//! admin DescribeRequestSigner check of a request signed with issued credentials.

use aws_sdk_cognitoidentity as ci;
use ci::config::retry::RetryConfig;
use ci::config::{BehaviorVersion, Credentials, Region};
use ci::types::{AmbiguousRoleResolutionType, CognitoIdentityProvider, MappingRule, MappingRuleMatchType};
use ci::types::{RoleMapping, RoleMappingType, RulesConfigurationType};

use super::support::*;

pub const AUTH_ROLE: &str = "arn:aws:iam::123456789012:role/Authenticated";
pub const GUEST_ROLE: &str = "arn:aws:iam::123456789012:role/Guest";

pub fn identity_client(url: &str, credentials: Option<(&str, &str)>) -> ci::Client {
    let mut builder = ci::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled());
    if let Some((id, secret)) = credentials {
        builder = builder.credentials_provider(Credentials::new(id, secret, None, None, "test"));
    }
    ci::Client::from_conf(builder.build())
}

/// A server with a user pool, a client, and identity clients (admin-signed and unsigned).
pub struct Setup {
    pub server: TestServer,
    pub admin: ci::Client,
    pub public: ci::Client,
    pub user_pool_id: String,
    pub client_id: String,
    /// `cognito-idp.us-east-1.amazonaws.com/<userPoolId>`.
    pub provider: String,
}

impl Setup {
    pub async fn new() -> Self {
        let server = TestServer::start().await;
        let (user_pool_id, client_id) = server.pool_and_client(true).await;
        Setup {
            admin: identity_client(&server.url, Some((ACCESS_KEY, SECRET_KEY))),
            public: identity_client(&server.url, None),
            provider: format!("cognito-idp.us-east-1.amazonaws.com/{user_pool_id}"),
            server,
            user_pool_id,
            client_id,
        }
    }

    /// An identity pool trusting the user pool's client, with guest and authenticated roles.
    pub async fn identity_pool(&self, guests: bool) -> String {
        let pool = self
            .admin
            .create_identity_pool()
            .identity_pool_name("test identities")
            .allow_unauthenticated_identities(guests)
            .cognito_identity_providers(
                CognitoIdentityProvider::builder()
                    .provider_name(&self.provider)
                    .client_id(&self.client_id)
                    .build(),
            )
            .send()
            .await
            .expect("create identity pool");
        let id = pool.identity_pool_id().to_owned();
        self.set_roles(&id, None).await;
        id
    }

    /// Sets the pool's two roles and (optionally) the provider's role mapping.
    pub async fn set_roles(&self, pool_id: &str, mapping: Option<RoleMapping>) {
        self.admin
            .set_identity_pool_roles()
            .identity_pool_id(pool_id)
            .roles("authenticated", AUTH_ROLE)
            .roles("unauthenticated", GUEST_ROLE)
            .set_role_mappings(mapping.map(|m| [(self.provider.clone(), m)].into()))
            .send()
            .await
            .expect("set roles");
    }

    /// Signs up and signs in `username`; returns the ID token.
    pub async fn id_token(&self, username: &str) -> String {
        self.server.confirmed_user(&self.client_id, username).await;
        self.server
            .sign_in(&self.client_id, username, PASSWORD)
            .await
            .id_token()
            .expect("id token")
            .to_owned()
    }

    /// GetId with the ID token (if any).
    pub async fn get_id(&self, pool_id: &str, token: Option<&str>) -> Result<String, String> {
        let logins = token.map(|t| [(self.provider.clone(), t.to_owned())].into());
        self.public
            .get_id()
            .identity_pool_id(pool_id)
            .set_logins(logins)
            .send()
            .await
            .map(|out| out.identity_id().expect("identity id").to_owned())
            .map_err(|e| code(&e))
    }

    /// GetId then GetCredentialsForIdentity; returns the identity id and the credentials.
    pub async fn credentials(
        &self,
        pool_id: &str,
        token: Option<&str>,
        custom_role: Option<&str>,
    ) -> Result<(String, ci::types::Credentials), String> {
        let identity_id = self.get_id(pool_id, token).await?;
        let logins = token.map(|t| [(self.provider.clone(), t.to_owned())].into());
        let out = self
            .public
            .get_credentials_for_identity()
            .identity_id(&identity_id)
            .set_logins(logins)
            .set_custom_role_arn(custom_role.map(str::to_owned))
            .send()
            .await
            .map_err(|e| code(&e))?;
        Ok((identity_id, out.credentials().expect("credentials").clone()))
    }

    /// The role the credentials issued to `token` are for, as DescribeRequestSigner answers.
    pub async fn role_of(&self, pool_id: &str, token: Option<&str>) -> Result<String, String> {
        let (_, credentials) = self.credentials(pool_id, token, None).await?;
        Ok(describe_signer(&self.server, &credentials).await["RoleArn"]
            .as_str()
            .expect("role")
            .to_owned())
    }
}

/// A `DescribeRequestSigner` request: a PUT to S3 signed with issued credentials.
pub fn signed_request(credentials: &ci::types::Credentials, now: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    use axum::http::{HeaderMap, HeaderValue};
    let key = cognate_server::sigv4::SigningKey {
        access_key: credentials.access_key_id().expect("key id"),
        secret: credentials.secret_key().expect("secret"),
        region: "us-east-1",
        service: "s3",
    };
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_static("bucket.example.com"));
    let token = credentials.session_token().expect("session token");
    headers.insert("x-amz-security-token", HeaderValue::from_str(token).expect("token"));
    let body = "hello";
    cognate_server::sigv4::sign("PUT", "/key.txt", "", &mut headers, body.as_bytes(), &key, now).expect("signed");
    let sent: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().expect("ascii").into()))
        .collect();
    serde_json::json!({"Method": "PUT", "Path": "/key.txt", "Query": "", "Headers": sent, "Body": body})
}

/// Asks DescribeRequestSigner who signed `request`.
pub async fn ask_signer(server: &TestServer, request: &serde_json::Value) -> (u16, serde_json::Value) {
    let host = server.url.trim_start_matches("http://").to_owned();
    admin_raw(server, &host, "DescribeRequestSigner", request).await
}

/// Signs a request with issued credentials, then asks DescribeRequestSigner who signed it.
pub async fn describe_signer(server: &TestServer, credentials: &ci::types::Credentials) -> serde_json::Value {
    let (status, json) = ask_signer(server, &signed_request(credentials, chrono::Utc::now())).await;
    assert_eq!(status, 200, "{json}");
    json
}

/// An identity-pool call signed with the admin key.
pub async fn admin_raw(
    server: &TestServer,
    host: &str,
    target: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    use axum::http::{HeaderMap, HeaderValue};
    let body = body.to_string();
    let mut headers = HeaderMap::new();
    headers.insert("host", HeaderValue::from_str(host).expect("host"));
    headers.insert("content-type", HeaderValue::from_static("application/x-amz-json-1.1"));
    let target = format!("AWSCognitoIdentityService.{target}");
    headers.insert("x-amz-target", HeaderValue::from_str(&target).expect("target"));
    let key = cognate_server::sigv4::SigningKey {
        access_key: ACCESS_KEY,
        secret: SECRET_KEY,
        region: "us-east-1",
        service: "cognito-identity",
    };
    let now = chrono::DateTime::from_timestamp(server.state.clock.now(), 0).expect("now");
    cognate_server::sigv4::sign("POST", "/", "", &mut headers, body.as_bytes(), &key, now).expect("signed");
    headers.remove("host");
    let response = server
        .http
        .post(format!("{}/", server.url))
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

pub fn rule(claim: &str, match_type: MappingRuleMatchType, value: &str, role: &str) -> MappingRule {
    MappingRule::builder()
        .claim(claim)
        .match_type(match_type)
        .value(value)
        .role_arn(role)
        .build()
        .expect("rule")
}

pub fn rules_mapping(rules: Vec<MappingRule>, ambiguous: AmbiguousRoleResolutionType) -> RoleMapping {
    RoleMapping::builder()
        .r#type(RoleMappingType::Rules)
        .ambiguous_role_resolution(ambiguous)
        .rules_configuration(
            RulesConfigurationType::builder()
                .set_rules(Some(rules))
                .build()
                .expect("rules"),
        )
        .build()
        .expect("mapping")
}
