//! A small client of a Cognate (or Cognito-shaped) admin API: JSON 1.1 calls signed with
//! SigV4 by an admin key, and the import job log. The `cognate import` command
//! ([`import`]) drives an import with it, and `cognate export` ([`export`]) reads a pool out
//! with it, as any API client would.

pub mod export;
pub mod import;

use anyhow::{anyhow, Context};
use axum::http::{header, HeaderMap, HeaderValue};
use cognate_protocol::error::ErrorBody;
use cognate_protocol::import::ImportLogEntry;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::sigv4::{self, SigningKey};

/// An admin key pair.
#[derive(Clone)]
pub struct AdminKey {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl std::fmt::Debug for AdminKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .finish()
    }
}

/// A signed client of one endpoint.
pub struct AdminClient {
    endpoint: url::Url,
    key: AdminKey,
    region: String,
    http: reqwest::Client,
}

impl AdminClient {
    /// A client of `endpoint` (e.g. `http://localhost:8765`) signing for `region`.
    pub fn new(endpoint: &str, key: AdminKey, region: &str) -> anyhow::Result<Self> {
        let endpoint = url::Url::parse(endpoint).with_context(|| format!("endpoint {endpoint:?} is not a URL"))?;
        Ok(AdminClient {
            endpoint,
            key,
            region: region.to_owned(),
            http: reqwest::Client::new(),
        })
    }

    /// A client of `endpoint` signing for the region a pool id starts with (`us-east-1_…`).
    pub fn for_pool(endpoint: &str, key: AdminKey, pool_id: &str) -> anyhow::Result<Self> {
        let region = pool_id
            .split('_')
            .next()
            .filter(|r| !r.is_empty())
            .unwrap_or("us-east-1");
        AdminClient::new(endpoint, key, region)
    }

    /// The HTTP client, for unsigned requests such as the upload to a pre-signed URL.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    fn url(&self, path: &str) -> anyhow::Result<url::Url> {
        let base = self.endpoint.path().trim_end_matches('/');
        let mut url = self.endpoint.clone();
        url.set_path(&format!("{base}{path}"));
        Ok(url)
    }

    /// Headers with `host` and the SigV4 signature of the request.
    fn signed(&self, method: &str, url: &url::Url, mut headers: HeaderMap, body: &[u8]) -> anyhow::Result<HeaderMap> {
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return Err(anyhow!("endpoint {url} has no host")),
        };
        headers.insert(header::HOST, HeaderValue::from_str(&host)?);
        let key = SigningKey {
            access_key: &self.key.access_key_id,
            secret: &self.key.secret_access_key,
            region: &self.region,
            service: "cognito-idp",
        };
        let query = url.query().unwrap_or("");
        sigv4::sign(method, url.path(), query, &mut headers, body, &key, chrono::Utc::now())?;
        Ok(headers)
    }

    /// Calls an operation (`X-Amz-Target: AWSCognitoIdentityProviderService.<operation>`).
    pub async fn call<Q: Serialize, A: DeserializeOwned>(&self, operation: &str, request: &Q) -> anyhow::Result<A> {
        let url = self.url("/")?;
        let body = serde_json::to_vec(request)?;
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(cognate_protocol::AMZ_JSON),
        );
        let target = format!("{}{operation}", cognate_protocol::USER_POOL_TARGET_PREFIX);
        headers.insert("x-amz-target", HeaderValue::from_str(&target)?);
        let headers = self.signed("POST", &url, headers, &body)?;
        let response = self
            .http
            .post(url.clone())
            .headers(headers)
            .body(body)
            .send()
            .await
            .with_context(|| format!("{operation}: cannot reach {}", self.endpoint))?;
        answer(operation, response).await
    }

    /// The rows an import job did not import.
    pub async fn import_log(&self, job_id: &str) -> anyhow::Result<Vec<ImportLogEntry>> {
        let url = self.url(&format!("/_import/{job_id}/log"))?;
        let headers = self.signed("GET", &url, HeaderMap::new(), b"")?;
        let response = self
            .http
            .get(url.clone())
            .headers(headers)
            .send()
            .await
            .with_context(|| format!("reading the log of {job_id}"))?;
        answer("the import log", response).await
    }
}

/// Decodes an answer, or turns a Cognito error body into an error.
async fn answer<A: DeserializeOwned>(what: &str, response: reqwest::Response) -> anyhow::Result<A> {
    let status = response.status();
    let bytes = response.bytes().await?;
    if !status.is_success() {
        return Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(error) => anyhow!("{what}: {}: {}", error.kind, error.message),
            Err(_) => anyhow!("{what}: HTTP {status}: {}", String::from_utf8_lossy(&bytes)),
        });
    }
    serde_json::from_slice(&bytes).with_context(|| format!("{what}: unexpected answer"))
}
