//! Server-side verification of AWS Signature Version 4 (SigV4), header form.
//!
//! AWS SDKs sign IAM-authenticated Cognito calls (`Admin*`, `CreateUserPool`, ...)
//! with `Authorization: AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/region/service/aws4_request,
//! SignedHeaders=..., Signature=...` plus `X-Amz-Date` (and maybe `X-Amz-Security-Token`).
//! [`verify`] redoes the signer's work as "Create a signed AWS API request"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>)
//! describes it: the canonical request (method, canonical URI, sorted canonical query,
//! the signed headers lowercased/trimmed/space-collapsed, the signed-header list, hex
//! SHA-256 of the body), the string to sign, the `kDate`→`kRegion`→`kService`→`kSigning`
//! HMAC chain, and a constant-time comparison of the signature. It also rejects
//! timestamps more than 15 minutes from the server clock (limits replay), credential
//! scopes dated differently from `X-Amz-Date`, and signatures not covering `host` and
//! `x-amz-date`. The unit tests replay vectors of the AWS SigV4 test suite (formerly
//! <https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html>).
//!
//! Callers pass the path and query as sent on the wire (`uri.path()`,
//! `uri.query().unwrap_or("")`): like the SDKs for non-S3 services, the (already
//! encoded) path is normalised (`.`, `..`, empty segments) and URI-encoded once more.
//! The body itself is always hashed, so `UNSIGNED-PAYLOAD` is not supported. Over
//! HTTP/2, insert a `host` header from `:authority` first. A session token is covered
//! by the signature when signed, but is not otherwise validated here.
//!
//! [`sign`] is the client side (used by `cognate import`), built on the same canonical request.

use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const AMZ_DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The parts of an HTTP request that the signature covers (path and query raw).
pub struct SignedRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Why a request failed verification; [`SigV4Error::exception_name`] is the AWS
/// error type to answer with.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SigV4Error {
    /// No `Authorization` header at all.
    #[error("Missing Authentication Token")]
    Missing,
    /// Malformed `Authorization`, missing/invalid `X-Amz-Date`, bad credential scope...
    #[error("{0}")]
    Incomplete(String),
    /// The access key id is not known.
    #[error("The security token included in the request is invalid.")]
    UnknownAccessKey,
    /// The recomputed signature differs from the one sent.
    #[error("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")]
    SignatureMismatch,
    /// `X-Amz-Date` is more than 15 minutes away from the server clock.
    #[error("{0}")]
    Expired(String),
}

impl SigV4Error {
    /// The AWS exception name (`__type`) for this error.
    pub fn exception_name(&self) -> &'static str {
        match self {
            Self::Missing => "MissingAuthenticationTokenException",
            Self::Incomplete(_) => "IncompleteSignatureException",
            Self::UnknownAccessKey => "UnrecognizedClientException",
            Self::SignatureMismatch | Self::Expired(_) => "InvalidSignatureException",
        }
    }
}

/// The parsed `Authorization` header.
struct Authorization<'a> {
    access_key: &'a str,
    scope: [&'a str; 3], // date, region, service
    signed: Vec<&'a str>,
    signed_list: &'a str,
    signature: &'a str,
}

/// Verifies the request; `secret_for` maps an access key id to its secret
/// access key. Returns the access key id on success.
pub fn verify(
    req: &SignedRequest<'_>,
    secret_for: impl Fn(&str) -> Option<String>,
    now: DateTime<Utc>,
) -> Result<String, SigV4Error> {
    let raw = req.headers.get("authorization").ok_or(SigV4Error::Missing)?;
    let raw = raw.to_str().unwrap_or("(invalid characters)");
    let mut problems = Vec::new();
    let auth = parse_authorization(raw, &mut problems);
    let date = request_date(req.headers, &mut problems);
    let (Some(auth), Some((amz_date, time)), true) = (auth, date, problems.is_empty()) else {
        let problems = problems.join(" ");
        return Err(SigV4Error::Incomplete(format!("{problems} Authorization={raw}")));
    };
    let [scope_date, region, service] = auth.scope;
    let day = amz_date.get(..8).unwrap_or_default();
    if scope_date != day {
        return Err(SigV4Error::Incomplete(format!("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope_date}' != '{day}', from '{amz_date}'.")));
    }

    let show = |t: Option<DateTime<Utc>>| t.map(|t| t.format(AMZ_DATE_FORMAT).to_string());
    let (skew, now_s) = (TimeDelta::minutes(15), now.format(AMZ_DATE_FORMAT));
    let age = now.signed_duration_since(time);
    if age > skew {
        let limit = show(now.checked_sub_signed(skew)).unwrap_or_default();
        return Err(SigV4Error::Expired(format!(
            "Signature expired: {amz_date} is now earlier than {limit} ({now_s} - 15 min.)"
        )));
    } else if age < -skew {
        let limit = show(now.checked_add_signed(skew)).unwrap_or_default();
        return Err(SigV4Error::Expired(format!(
            "Signature not yet current: {amz_date} is still later than {limit} ({now_s} + 15 min.)"
        )));
    }

    let secret = secret_for(auth.access_key).ok_or(SigV4Error::UnknownAccessKey)?;
    let canonical = canonical_request(req, &auth.signed, auth.signed_list)?;
    let scope = format!("{scope_date}/{region}/{service}/aws4_request");
    let expected = signature(&secret, &scope, &amz_date, &canonical)?;
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(auth.access_key.to_string())
    } else {
        Err(SigV4Error::SignatureMismatch)
    }
}

/// Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`,
/// recording every problem found (AWS reports them all at once).
fn parse_authorization<'a>(raw: &'a str, problems: &mut Vec<String>) -> Option<Authorization<'a>> {
    let raw = raw.trim();
    let (algorithm, params) = raw.split_once([' ', '\t']).unwrap_or((raw, ""));
    if algorithm != ALGORITHM {
        problems.push(format!("Unsupported AWS 'algorithm': '{algorithm}'."));
    }
    let mut found = [("Credential", ""), ("Signature", ""), ("SignedHeaders", "")];
    for (name, value) in params.split(',').filter_map(|p| p.split_once('=')) {
        if let Some(slot) = found.iter_mut().find(|(n, v)| *n == name.trim() && v.is_empty()) {
            slot.1 = value.trim();
        }
    }
    for (name, _) in found.iter().filter(|(_, v)| v.is_empty()) {
        problems.push(format!("Authorization header requires '{name}' parameter."));
    }
    let [(_, credential), (_, signature), (_, signed_list)] = found;
    let parts: Vec<&str> = credential.split('/').collect();
    let scope = match parts.as_slice() {
        &[key, date, region, service, "aws4_request"]
            if !key.is_empty()
                && !region.is_empty()
                && !service.is_empty()
                && date.len() == 8
                && date.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Some((key, [date, region, service]))
        }
        _ => {
            problems.push(format!("Credential should be scoped as 'AccessKeyId/YYYYMMDD/region/service/aws4_request', not '{credential}'."));
            None
        }
    };
    let signed: Vec<&str> = signed_list.split(';').collect();
    if signed
        .iter()
        .any(|h| h.is_empty() || h.bytes().any(|b| b.is_ascii_uppercase()))
    {
        problems.push(format!(
            "SignedHeaders must be lowercase header names separated by ';', not '{signed_list}'."
        ));
    }
    for required in ["host", "x-amz-date"] {
        if !signed.contains(&required) {
            problems.push(format!(
                "'{required}' must be a 'SignedHeader' in the AWS Authorization."
            ));
        }
    }
    let (access_key, scope) = scope?;
    Some(Authorization {
        access_key,
        scope,
        signed,
        signed_list,
        signature,
    })
}

/// The request time from `X-Amz-Date` (ISO-8601 basic format), as sent and parsed.
fn request_date(headers: &HeaderMap, problems: &mut Vec<String>) -> Option<(String, DateTime<Utc>)> {
    let Some(value) = headers.get("x-amz-date") else {
        problems.push("Authorization header requires existence of a 'X-Amz-Date' header.".into());
        return None;
    };
    let s = value.to_str().unwrap_or_default();
    let time = NaiveDateTime::parse_from_str(s, AMZ_DATE_FORMAT)
        .ok()
        .map(|t| t.and_utc())
        .filter(|t| t.format(AMZ_DATE_FORMAT).to_string() == s);
    if time.is_none() {
        problems.push(format!(
            "X-Amz-Date must be in ISO-8601 basic format (YYYYMMDD'T'HHMMSS'Z'), not '{s}'."
        ));
    }
    time.map(|t| (s.to_string(), t))
}

/// The hex signature of a canonical request: the string to sign and the
/// `kDate`→`kRegion`→`kService`→`kSigning` HMAC chain over `scope` (`date/region/service/aws4_request`).
fn signature(secret: &str, scope: &str, amz_date: &str, canonical: &[u8]) -> Result<String, SigV4Error> {
    let hash = hex::encode(Sha256::digest(canonical));
    let string_to_sign = format!("{ALGORITHM}\n{amz_date}\n{scope}\n{hash}");
    let key = scope
        .split('/')
        .try_fold(format!("AWS4{secret}").into_bytes(), |key, part| hmac(&key, part))?;
    Ok(hex::encode(hmac(&key, &string_to_sign)?))
}

fn canonical_request(req: &SignedRequest<'_>, signed: &[&str], signed_list: &str) -> Result<Vec<u8>, SigV4Error> {
    let (uri, query) = (canonical_uri(req.path), canonical_query(req.query));
    let mut out = format!("{}\n{uri}\n{query}\n", req.method).into_bytes();
    for &name in signed {
        let values = req.headers.get_all(name);
        if values.iter().next().is_none() {
            let msg = format!("Signed header '{name}' is not present in the request.");
            return Err(SigV4Error::Incomplete(msg));
        }
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        // Values trimmed, runs of spaces/tabs collapsed, repeated headers joined by ','.
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let words = value.as_bytes().split(|b| matches!(b, b' ' | b'\t'));
            for (j, word) in words.filter(|w| !w.is_empty()).enumerate() {
                out.extend_from_slice(if j > 0 { b" " } else { b"" });
                out.extend_from_slice(word);
            }
        }
        out.push(b'\n');
    }
    let hash = hex::encode(Sha256::digest(req.body));
    out.extend_from_slice(format!("\n{signed_list}\n{hash}").as_bytes());
    Ok(out)
}

/// Normalised path (no empty, `.` or `..` segments), each segment URI-encoded.
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<String> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => segments.truncate(segments.len().saturating_sub(1)),
            s => segments.push(uri_encode(s.as_bytes())),
        }
    }
    let dir = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let slash = if dir && !segments.is_empty() { "/" } else { "" };
    format!("/{}{slash}", segments.join("/"))
}

/// Query parameters decoded, re-encoded the AWS way and sorted by key, then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = (query.split('&').filter(|p| !p.is_empty()))
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .map(|(k, v)| (uri_encode(&percent_decode(k)), uri_encode(&percent_decode(v))))
        .collect();
    pairs.sort();
    let pairs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join("&")
}

/// Encodes every byte except the unreserved `A-Za-z0-9-_.~` as `%XX`.
fn uri_encode(bytes: &[u8]) -> String {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
    bytes
        .iter()
        .map(|&b| {
            if unreserved(b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Form-style decoding: `%XX` escapes and `+` as space; a stray `%` stays as is.
fn percent_decode(s: &str) -> Vec<u8> {
    let (bytes, mut out, mut i) = (s.as_bytes(), Vec::new(), 0);
    let hex = |i: usize| bytes.get(i).and_then(|&b| char::from(b).to_digit(16));
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match (b, hex(i), hex(i + 1)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 2;
            }
            (b'+', ..) => out.push(b' '),
            _ => out.push(b),
        }
    }
    out
}

fn hmac(key: &[u8], data: &str) -> Result<Vec<u8>, SigV4Error> {
    // HMAC takes keys of any length: this error cannot happen.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| SigV4Error::SignatureMismatch)?;
    mac.update(data.as_bytes());
    Ok(mac.finalize().into_bytes().to_vec())
}

mod sign;
pub use sign::{sign, SigningKey};

#[cfg(test)]
mod tests;
