//! Reading claims out of the JWTs a user pool returns.
//!
//! The widget only *reads* the payload of tokens it has just received over TLS from the user pool,
//! to show who signed in. It does not verify signatures: that is the job of whoever the tokens are
//! presented to (the server, the host application's backend).

use crate::json::Json;

/// Why a token's payload could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimsError {
    /// Not three dot-separated parts.
    NotAJwt,
    /// The payload part is not base64url.
    Base64,
    /// The payload is not a JSON object.
    Json,
}

/// Decodes the payload (second part) of a compact JWS into its claims object.
///
/// Accepts the payload with or without `=` padding, as some encoders leave it in.
pub fn decode_payload(token: &str) -> Result<Json, ClaimsError> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ClaimsError::NotAJwt);
    };
    let bytes = base64url_decode(payload.trim_end_matches('=')).ok_or(ClaimsError::Base64)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ClaimsError::Json)?;
    match Json::parse(text) {
        Some(claims @ Json::Object(_)) => Ok(claims),
        _ => Err(ClaimsError::Json),
    }
}

/// Decodes unpadded base64url (RFC 4648 §5). Hand-written: the base64 crate's generic engine
/// costs more wasm than this loop.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The `cognito:username` claim (Cognito puts it in ID and access tokens) of a token, if the
/// token is readable and carries it as a string.
pub fn cognito_username(token: &str) -> Option<String> {
    Some(decode_payload(token).ok()?.str("cognito:username")?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    #[test]
    fn base64url_decodes_like_the_base64_crate() {
        for input in [
            &b""[..],
            b"f",
            b"fo",
            b"foo",
            b"foob",
            b"fooba",
            b"foobar",
            &[0xff, 0xfe, 0xfd, 0x00, 0x3e, 0x3f],
        ] {
            let encoded = URL_SAFE_NO_PAD.encode(input);
            assert_eq!(base64url_decode(&encoded).as_deref(), Some(input), "{encoded}");
        }
        assert_eq!(base64url_decode("abcde"), None);
        assert_eq!(base64url_decode("ab+/"), None);
    }

    fn token_with_payload(payload: &str) -> String {
        format!("eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl", URL_SAFE_NO_PAD.encode(payload))
    }

    #[test]
    fn reads_the_username_claim() {
        let token = token_with_payload(r#"{"sub":"5f1c","cognito:username":"alice","token_use":"id","aud":"abc"}"#);
        assert_eq!(cognito_username(&token).as_deref(), Some("alice"));
        assert_eq!(decode_payload(&token).unwrap().str("token_use"), Some("id"));
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
        assert_eq!(decode_payload("abc"), Err(ClaimsError::NotAJwt));
        assert_eq!(decode_payload("a.b.c.d"), Err(ClaimsError::NotAJwt));
        assert_eq!(decode_payload("a.!!!.c"), Err(ClaimsError::Base64));
        assert_eq!(decode_payload(&token_with_payload("[1,2]")), Err(ClaimsError::Json));
        assert_eq!(decode_payload(&token_with_payload("not json")), Err(ClaimsError::Json));
    }

    #[test]
    fn missing_or_non_string_claim_is_none() {
        assert_eq!(cognito_username(&token_with_payload(r#"{"sub":"x"}"#)), None);
        assert_eq!(cognito_username(&token_with_payload(r#"{"cognito:username":7}"#)), None);
        assert_eq!(cognito_username("garbage"), None);
    }
}
