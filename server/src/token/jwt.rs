//! Compact JWS with RS256 (RFC 7515, RFC 7518 §3.3): signing Cognito-shaped tokens and checking
//! the ones clients send back. Only `RS256` with the pool's own `kid` is accepted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use serde_json::{json, Value};

use super::keys::PoolKey;

/// Signs `claims` with the pool key.
pub fn sign(key: &PoolKey, claims: &Value) -> String {
    let header = json!({ "kid": key.key_id, "alg": "RS256" });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.signing.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes()))
}

/// The ID token's `at_hash` of an access token (OIDC Core §3.1.3.6): the left half of its
/// SHA-256, base64url.
pub fn at_hash(access_token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// Decodes the claims of a token without checking it (to learn which pool it names).
pub fn unverified_claims(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_, payload) = (parts.next()?, parts.next()?);
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

/// Whether the header names RS256 and the pool's key, and the signature is the key's.
pub fn signature_valid(key: &PoolKey, token: &str) -> bool {
    let check = || -> Option<()> {
        let mut parts = token.split('.');
        let (header, _payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("alg")? != "RS256" || header.get("kid")? != key.key_id.as_str() {
            return None;
        }
        let signature = rsa::pkcs1v15::Signature::try_from(URL_SAFE_NO_PAD.decode(signature).ok()?.as_slice()).ok()?;
        let signing_input = &token[..header_payload_len(token)?];
        key.verifying.verify(signing_input.as_bytes(), &signature).ok()
    };
    check().is_some()
}

/// Checks the header and signature; returns the claims when both are right.
pub fn verify(key: &PoolKey, token: &str) -> Option<Value> {
    if signature_valid(key, token) {
        unverified_claims(token)
    } else {
        None
    }
}

fn header_payload_len(token: &str) -> Option<usize> {
    token.rfind('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::keys;

    #[test]
    fn signed_tokens_verify_and_tampering_fails() {
        let (der, kid) = keys::generate().expect("key");
        let key = keys::load(&der, &kid).expect("loads");
        let token = sign(&key, &json!({"sub": "abc", "token_use": "access"}));
        assert_eq!(
            verify(&key, &token).and_then(|c| c.get("sub").cloned()),
            Some(json!("abc"))
        );
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(json!({"sub": "evil", "token_use": "access"}).to_string());
        parts[1] = &forged;
        assert!(verify(&key, &parts.join(".")).is_none());
        let none_alg = format!("{}.{}.", URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#), forged);
        assert!(verify(&key, &none_alg).is_none());
        let (other_der, _) = keys::generate().expect("key");
        let other = keys::load(&other_der, &kid).expect("loads");
        assert!(verify(&other, &token).is_none());
    }
}
