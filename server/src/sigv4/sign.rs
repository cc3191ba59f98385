//! Client-side SigV4 signing, the mirror of [`super::verify`]: the same canonical request,
//! string to sign and key chain, so whatever [`sign`] signs, `verify` accepts.

use axum::http::{header, HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};

use super::{canonical_request, signature, SigV4Error, SignedRequest, ALGORITHM, AMZ_DATE_FORMAT};

/// Who signs, and for which region and service (e.g. `us-east-1`, `cognito-idp`).
pub struct SigningKey<'a> {
    pub access_key: &'a str,
    pub secret: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// Signs a request in place: sets `x-amz-date` to `now` and `authorization`, covering every
/// header already in `headers` (which must include `host`). `path` and `query` are as they
/// will be sent.
pub fn sign(
    method: &str,
    path: &str,
    query: &str,
    headers: &mut HeaderMap,
    body: &[u8],
    key: &SigningKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), SigV4Error> {
    if !headers.contains_key(header::HOST) {
        return Err(SigV4Error::Incomplete("A signed request needs a 'host' header.".into()));
    }
    let amz_date = now.format(AMZ_DATE_FORMAT).to_string();
    let date = HeaderValue::from_str(&amz_date).map_err(|e| SigV4Error::Incomplete(e.to_string()))?;
    headers.insert("x-amz-date", date);
    headers.remove(header::AUTHORIZATION);
    let mut names: Vec<String> = headers.keys().map(|k| k.as_str().to_owned()).collect();
    names.sort();
    names.dedup();
    let signed: Vec<&str> = names.iter().map(String::as_str).collect();
    let signed_list = signed.join(";");
    let request = SignedRequest {
        method,
        path,
        query,
        headers,
        body,
    };
    let canonical = canonical_request(&request, &signed, &signed_list)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        amz_date.get(..8).unwrap_or_default(),
        key.region,
        key.service
    );
    let signature = signature(key.secret, &scope, &amz_date, &canonical)?;
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_list}, Signature={signature}",
        key.access_key
    );
    let value = HeaderValue::from_str(&authorization).map_err(|e| SigV4Error::Incomplete(e.to_string()))?;
    headers.insert(header::AUTHORIZATION, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::verify;
    use super::*;
    use chrono::TimeZone;

    const KEY: SigningKey<'static> = SigningKey {
        access_key: "AKIDEXAMPLE",
        secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "cognito-idp",
    };

    fn secret_for(id: &str) -> Option<String> {
        (id == KEY.access_key).then(|| KEY.secret.to_owned())
    }

    #[test]
    fn verify_accepts_what_sign_signs_and_nothing_else() {
        let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).single().expect("time");
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8765"));
        headers.insert(
            "x-amz-target",
            HeaderValue::from_static("AWSCognitoIdentityProviderService.ListUsers"),
        );
        let body = br#"{"UserPoolId":"us-east-1_x"}"#;
        sign("POST", "/_import/a b", "token=x%2By&a=1", &mut headers, body, &KEY, now).expect("signed");
        let request = |path, body| SignedRequest {
            method: "POST",
            path,
            query: "token=x%2By&a=1",
            headers: &headers,
            body,
        };
        let verified = verify(&request("/_import/a b", body), secret_for, now);
        assert_eq!(verified, Ok("AKIDEXAMPLE".to_owned()));
        let tampered = verify(&request("/_import/a b", b"{}"), secret_for, now);
        assert_eq!(tampered, Err(SigV4Error::SignatureMismatch));
        let moved = verify(&request("/_import/other", body), secret_for, now);
        assert_eq!(moved, Err(SigV4Error::SignatureMismatch));
        assert!(sign("GET", "/", "", &mut HeaderMap::new(), b"", &KEY, now).is_err());
    }
}
