//! Reading claims out of the JWTs a user pool returns.
//!
//! The widget only *reads* the payload of tokens it has just received over TLS from the user pool,
//! to show who signed in. It does not verify signatures: that is the job of whoever the tokens are
//! presented to (the server, the host application's backend).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Why a token's payload could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimsError {
    /// Not three dot-separated parts.
    NotAJwt,
    /// The payload part is not base64url.
    Base64,
    /// The payload is not JSON of the expected shape.
    Json,
}

/// Decodes the payload (second part) of a compact JWS into `T` (a struct of the claims wanted,
/// or `serde_json::Map` for all of them).
///
/// Accepts the payload with or without `=` padding, as some encoders leave it in.
pub fn decode_payload<T: DeserializeOwned>(token: &str) -> Result<T, ClaimsError> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotAJwt);
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| ClaimsError::Base64)?;
    serde_json::from_slice(&bytes).map_err(|_| ClaimsError::Json)
}

/// The `cognito:username` claim (Cognito puts it in ID and access tokens) of a token, if the token is readable and carries it as a string.
pub fn cognito_username(token: &str) -> Option<String> {
    // A typed struct rather than `serde_json::Value`: much less code in the wasm build.
    #[derive(Deserialize)]
    struct UsernameClaim {
        #[serde(rename = "cognito:username")]
        username: Option<String>,
    }
    decode_payload::<UsernameClaim>(token).ok()?.username
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value};

    type Claims = Map<String, Value>;

    fn token_with_payload(payload: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_the_username_claim() {
        let token = token_with_payload(r#"{"sub":"5f1c","cognito:username":"alice","token_use":"id","aud":"abc"}"#);
        assert_eq!(cognito_username(&token).as_deref(), Some("alice"));
        let claims: Claims = decode_payload(&token).unwrap();
        assert_eq!(claims["token_use"], "id");
    }

    #[test]
    fn payload_uses_the_url_safe_alphabet() {
        // "?>" and "~~" encode to characters outside standard base64's alphabet ('-', '_').
        let token = token_with_payload(r#"{"cognito:username":"?>~~ü"}"#);
        assert!(token.contains('-') || token.contains('_'));
        assert_eq!(cognito_username(&token).as_deref(), Some("?>~~ü"));
    }

    #[test]
    fn tolerates_padding() {
        let payload = URL_SAFE_NO_PAD.encode(r#"{"cognito:username":"bo"}"#);
        let token = format!("h.{payload}==.s");
        assert_eq!(cognito_username(&token).as_deref(), Some("bo"));
    }

    #[test]
    fn rejects_malformed_tokens() {
        assert_eq!(decode_payload::<Claims>("abc"), Err(ClaimsError::NotAJwt));
        assert_eq!(decode_payload::<Claims>("a.b.c.d"), Err(ClaimsError::NotAJwt));
        assert_eq!(decode_payload::<Claims>("a.!!!.c"), Err(ClaimsError::Base64));
        assert_eq!(
            decode_payload::<Claims>(&token_with_payload("[1,2]")),
            Err(ClaimsError::Json)
        );
        assert_eq!(
            decode_payload::<Claims>(&token_with_payload("not json")),
            Err(ClaimsError::Json)
        );
    }

    #[test]
    fn missing_or_non_string_claim_is_none() {
        assert_eq!(cognito_username(&token_with_payload(r#"{"sub":"x"}"#)), None);
        assert_eq!(cognito_username(&token_with_payload(r#"{"cognito:username":7}"#)), None);
        assert_eq!(cognito_username("garbage"), None);
    }
}
