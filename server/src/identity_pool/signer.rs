//! `DescribeRequestSigner` (Cognate's own admin operation): "who signed this request?"
//!
//! An admin passes a request as it was sent (method, path, query, headers, body). If its SigV4
//! signature is by credentials this server issued — the signature recomputed with the derived
//! secret key, and the `X-Amz-Security-Token` being the session token issued with them — the
//! answer names the identity, the role, the expiry and why the role was chosen. The signature
//! is checked as of the request's own `X-Amz-Date`, so logged requests can be checked later;
//! `Expired` says whether the credentials had expired by then.

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use chrono::NaiveDateTime;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::identity::{DescribeRequestSignerRequest, DescribeRequestSignerResponse};
use subtle::ConstantTimeEq;

use super::credentials::secret_key;
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::hash_token;
use crate::sigv4;
use crate::state::AppState;

/// The access key id in `Authorization: AWS4-HMAC-SHA256 Credential=<id>/…`.
fn access_key_of(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let credential = value.split("Credential=").nth(1)?;
    let id = credential.split('/').next()?.trim();
    (!id.is_empty()).then(|| id.to_owned())
}

fn header_map(request: &DescribeRequestSignerRequest) -> ApiResult<HeaderMap> {
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let name = HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
            .map_err(|_| ApiError::invalid_parameter(format!("Headers: {name:?} is not a header name.")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| ApiError::invalid_parameter(format!("Headers: the value of {name} is not a header value.")))?;
        headers.insert(name, value);
    }
    Ok(headers)
}

fn not_ours() -> ApiError {
    ApiError::not_authorized("The request is not signed by credentials this server issued.")
}

/// `DescribeRequestSigner`.
pub async fn describe_request_signer(
    state: &AppState,
    request: DescribeRequestSignerRequest,
) -> ApiResult<DescribeRequestSignerResponse> {
    if request.method.is_empty() || !request.path.starts_with('/') {
        return Err(ApiError::invalid_parameter(
            "Method and Path (starting with '/') are required.",
        ));
    }
    let headers = header_map(&request)?;
    let access_key_id = access_key_of(&headers)
        .ok_or_else(|| ApiError::invalid_parameter("Headers has no SigV4 Authorization header naming a Credential."))?;
    let issued = state
        .store
        .get_issued_credentials(&access_key_id)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::ResourceNotFound,
                format!("No credentials {access_key_id} were issued here."),
            )
        })?;
    let pool = state
        .store
        .get_identity_pool(&issued.pool_id)
        .await?
        .ok_or_else(not_ours)?;
    let secret = secret_key(state, &pool, &access_key_id)?;
    let signed_at = (headers.get("x-amz-date").and_then(|v| v.to_str().ok()))
        .and_then(|s| NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ").ok())
        .map(|t| t.and_utc())
        .unwrap_or_else(|| chrono::DateTime::from_timestamp(state.clock.now(), 0).unwrap_or_default());
    let signed = sigv4::SignedRequest {
        method: &request.method,
        path: &request.path,
        query: &request.query,
        headers: &headers,
        body: request.body.as_bytes(),
    };
    sigv4::verify(&signed, |id| (id == access_key_id).then(|| secret.clone()), signed_at)
        .map_err(|err| ApiError::not_authorized(format!("The signature does not verify: {err}")))?;
    let token = (headers.get("x-amz-security-token").and_then(|v| v.to_str().ok())).unwrap_or("");
    let token_matches = hash_token(token).as_bytes().ct_eq(issued.session_token_hash.as_bytes());
    if token.is_empty() || !bool::from(token_matches) {
        return Err(ApiError::not_authorized(
            "The security token included in the request is not the one issued with these credentials.",
        ));
    }
    Ok(DescribeRequestSignerResponse {
        expired: signed_at.timestamp() >= issued.expires_at,
        access_key_id,
        identity_id: issued.identity_id,
        identity_pool_id: issued.pool_id,
        role_arn: issued.role_arn,
        expiration: issued.expires_at as f64,
        signed_at: signed_at.timestamp() as f64,
        reason: issued.reason,
    })
}
