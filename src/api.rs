//! The Cognito user-pool API client: request bodies, response interpretation and error messages.
//!
//! Every operation is a `POST` of a JSON body to the pool endpoint with
//! `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target:
//! AWSCognitoIdentityProviderService.<Operation>`. Errors come back as HTTP 4xx/5xx with
//! `{"__type":"<Name>Exception","message":"…"}` (and the name again in `x-amzn-errortype`).
//!
//! Everything but the HTTP call itself is plain Rust, unit-tested natively; the call is
//! browser-only (`fetch` through gloo-net).

use std::fmt;

use cognate_protocol::auth::{AuthResponse, AuthenticationResult};
use cognate_protocol::error::{ErrorBody, ErrorCode};
use cognate_protocol::operation::Operation;
use serde::Serialize;

use crate::claims;

pub use cognate_protocol::{AMZ_JSON as CONTENT_TYPE, USER_POOL_TARGET_PREFIX as TARGET_PREFIX};

/// The response header that repeats the error name.
pub const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";

/// The body of an `InitiateAuth` request with the `USER_PASSWORD_AUTH` flow, exactly as Cognito
/// documents it: no `null` or empty members, which AWS Cognito would not expect from a browser.
///
/// (`cognate_protocol::auth::InitiateAuthRequest` is the server's parsing type; it serialises its
/// optional members as `null`.)
#[derive(Serialize, Debug)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest<'a> {
    /// Always `USER_PASSWORD_AUTH` here.
    pub auth_flow: &'a str,
    /// The app client id.
    pub client_id: &'a str,
    /// `USERNAME` and `PASSWORD`.
    pub auth_parameters: PasswordParameters<'a>,
}

/// The `AuthParameters` of a password sign-in.
#[derive(Serialize, Debug)]
pub struct PasswordParameters<'a> {
    /// The user name (or an alias, as the pool allows).
    #[serde(rename = "USERNAME")]
    pub username: &'a str,
    /// The password, sent as typed.
    #[serde(rename = "PASSWORD")]
    pub password: &'a str,
}

impl<'a> InitiateAuthRequest<'a> {
    /// A `USER_PASSWORD_AUTH` request.
    pub fn user_password(client_id: &'a str, username: &'a str, password: &'a str) -> Self {
        Self {
            auth_flow: "USER_PASSWORD_AUTH",
            client_id,
            auth_parameters: PasswordParameters { username, password },
        }
    }
}

/// A completed sign-in.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedIn {
    /// The user's `cognito:username`, read from the ID token.
    pub username: String,
    /// The tokens as issued.
    pub tokens: AuthenticationResult,
}

/// Why a sign-in did not complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The service answered with a Cognito error.
    Service {
        /// The bare error name, e.g. `NotAuthorizedException`.
        name: String,
        /// The service's message (may be empty).
        message: String,
    },
    /// The request did not get an HTTP response (offline, DNS, CORS, …).
    Network(String),
    /// A response that is not what the protocol promises.
    UnexpectedResponse(String),
    /// The pool asks for a further step (MFA, new password, …) this page cannot do yet.
    ChallengeUnsupported(String),
}

impl SignInError {
    /// The Cognito error code, for service errors with a known name.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Service { name, .. } => ErrorCode::from_name(name),
            _ => None,
        }
    }

    /// The sentence shown to the user.
    pub fn user_message(&self) -> String {
        match self {
            Self::Service { name, message } => match self.code() {
                Some(ErrorCode::NotAuthorized) if message == "Password attempts exceeded" => {
                    "Too many failed attempts. Wait a while, then try again.".to_owned()
                }
                Some(ErrorCode::NotAuthorized | ErrorCode::UserNotFound) => {
                    "Incorrect username or password.".to_owned()
                }
                Some(ErrorCode::UserNotConfirmed) => "Your account is not confirmed yet.".to_owned(),
                _ if !message.trim().is_empty() => message.clone(),
                _ => format!("Sign-in failed ({name})."),
            },
            Self::Network(_) => "Could not reach the sign-in service. Check your connection and try again.".to_owned(),
            Self::UnexpectedResponse(_) => {
                "The sign-in service sent a response this page does not understand.".to_owned()
            }
            Self::ChallengeUnsupported(challenge) => {
                format!("Your account needs a further sign-in step ({challenge}) that this page does not support yet.")
            }
        }
    }
}

impl fmt::Display for SignInError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service { name, message } => write!(f, "{name}: {message}"),
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::UnexpectedResponse(detail) => write!(f, "unexpected response: {detail}"),
            Self::ChallengeUnsupported(challenge) => write!(f, "unsupported challenge {challenge}"),
        }
    }
}

impl std::error::Error for SignInError {}

/// The bare error name from an AWS `__type` or `x-amzn-errortype` value, which may carry a
/// namespace (`com.amazonaws…#NotAuthorizedException`) or a suffix (`NotAuthorizedException:http://…`).
pub fn error_name(raw: &str) -> &str {
    let name = raw.rsplit('#').next().unwrap_or(raw);
    name.split(':').next().unwrap_or(name).trim()
}

/// Turns an error response into a [`SignInError`]. The name comes from the body's `__type`, or
/// from the `x-amzn-errortype` header when the body is not Cognito's error JSON.
pub fn parse_error(status: u16, body: &str, error_type_header: Option<&str>) -> SignInError {
    let parsed = serde_json::from_str::<ErrorBody>(body).ok();
    let name = parsed
        .as_ref()
        .map(|body| body.kind.as_str())
        .or(error_type_header)
        .map(error_name)
        .filter(|name| !name.is_empty());
    match name {
        Some(name) => SignInError::Service {
            name: name.to_owned(),
            message: parsed.map(|body| body.message).unwrap_or_default(),
        },
        None => SignInError::UnexpectedResponse(format!("HTTP {status} without an error name")),
    }
}

/// Interprets the HTTP response to an `InitiateAuth` request.
pub fn interpret_initiate_auth(
    status: u16,
    body: &str,
    error_type_header: Option<&str>,
) -> Result<SignedIn, SignInError> {
    if !(200..300).contains(&status) {
        return Err(parse_error(status, body, error_type_header));
    }
    let response: AuthResponse =
        serde_json::from_str(body).map_err(|err| SignInError::UnexpectedResponse(format!("bad JSON: {err}")))?;
    let Some(tokens) = response.authentication_result else {
        return Err(match response.challenge_name {
            Some(challenge) => SignInError::ChallengeUnsupported(challenge.as_str().to_owned()),
            None => SignInError::UnexpectedResponse("neither AuthenticationResult nor ChallengeName".to_owned()),
        });
    };
    if tokens.access_token.is_empty() {
        return Err(SignInError::UnexpectedResponse(
            "AuthenticationResult without AccessToken".to_owned(),
        ));
    }
    let username = claims::cognito_username(&tokens.id_token)
        .ok_or_else(|| SignInError::UnexpectedResponse("ID token without cognito:username".to_owned()))?;
    Ok(SignedIn { username, tokens })
}

/// Signs in with a user name and password (`InitiateAuth`, `USER_PASSWORD_AUTH`).
pub async fn sign_in(endpoint: &str, client_id: &str, username: &str, password: &str) -> Result<SignedIn, SignInError> {
    let request = InitiateAuthRequest::user_password(client_id, username, password);
    let body = serde_json::to_string(&request)
        .map_err(|err| SignInError::UnexpectedResponse(format!("request encoding: {err}")))?;
    let (status, body, error_type) = transport::post(endpoint, Operation::InitiateAuth.name(), body).await?;
    interpret_initiate_auth(status, &body, error_type.as_deref())
}

#[cfg(target_arch = "wasm32")]
mod transport {
    //! The browser's `fetch`, through gloo-net.

    use super::{SignInError, CONTENT_TYPE, ERROR_TYPE_HEADER, TARGET_PREFIX};
    use gloo_net::http::Request;

    /// POSTs one operation; returns the status, the body and the error-type header.
    pub(super) async fn post(
        endpoint: &str,
        operation: &str,
        body: String,
    ) -> Result<(u16, String, Option<String>), SignInError> {
        let network = |err: gloo_net::Error| SignInError::Network(err.to_string());
        let response = Request::post(endpoint)
            .header("Content-Type", CONTENT_TYPE)
            .header("X-Amz-Target", &format!("{TARGET_PREFIX}{operation}"))
            .body(body)
            .map_err(network)?
            .send()
            .await
            .map_err(network)?;
        let error_type = response.headers().get(ERROR_TYPE_HEADER);
        let text = response.text().await.map_err(network)?;
        Ok((response.status(), text, error_type))
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod transport {
    //! Outside a browser there is no `fetch`: the native build exists for unit tests only.

    use super::SignInError;

    /// Always fails: HTTP is only available in the browser build.
    pub(super) async fn post(
        _endpoint: &str,
        _operation: &str,
        _body: String,
    ) -> Result<(u16, String, Option<String>), SignInError> {
        Err(SignInError::Network(
            "HTTP is only available in the browser build".to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn id_token(username: &str) -> String {
        let payload = serde_json::json!({ "cognito:username": username, "token_use": "id" });
        format!("h.{}.s", URL_SAFE_NO_PAD.encode(payload.to_string()))
    }

    #[test]
    fn request_body_has_cognitos_shape() {
        let request = InitiateAuthRequest::user_password("client1", "alice", "p\"w");
        let json: serde_json::Value = serde_json::to_value(&request).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": "client1",
                "AuthParameters": { "USERNAME": "alice", "PASSWORD": "p\"w" }
            })
        );
    }

    #[test]
    fn success_yields_the_username_from_the_id_token() {
        let body = serde_json::json!({
            "AuthenticationResult": {
                "IdToken": id_token("alice"),
                "AccessToken": "a.b.c",
                "RefreshToken": "r",
                "ExpiresIn": 3600,
                "TokenType": "Bearer"
            },
            "ChallengeParameters": {}
        })
        .to_string();
        let signed_in = interpret_initiate_auth(200, &body, None).unwrap();
        assert_eq!(signed_in.username, "alice");
        assert_eq!(signed_in.tokens.expires_in, 3600);
        assert_eq!(signed_in.tokens.token_type, "Bearer");
    }

    #[test]
    fn success_without_a_readable_id_token_is_unexpected() {
        let result = |id_token: &str, access_token: &str| {
            serde_json::json!({ "AuthenticationResult": {
                "IdToken": id_token, "AccessToken": access_token,
                "ExpiresIn": 3600, "TokenType": "Bearer"
            }})
            .to_string()
        };
        for body in [result("nope", "a.b.c"), result(&id_token("a"), "")] {
            assert!(matches!(
                interpret_initiate_auth(200, &body, None),
                Err(SignInError::UnexpectedResponse(_))
            ));
        }
        assert!(matches!(
            interpret_initiate_auth(200, "<html>", None),
            Err(SignInError::UnexpectedResponse(_))
        ));
    }

    #[test]
    fn challenges_are_reported() {
        let body = r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s","ChallengeParameters":{}}"#;
        let err = interpret_initiate_auth(200, body, None).unwrap_err();
        assert_eq!(err, SignInError::ChallengeUnsupported("SOFTWARE_TOKEN_MFA".into()));
        assert!(err.user_message().contains("SOFTWARE_TOKEN_MFA"));
    }

    #[test]
    fn maps_cognito_errors_to_plain_messages() {
        let cases = [
            (
                r#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
                "Incorrect username or password.",
            ),
            (
                r#"{"__type":"UserNotFoundException","message":"User does not exist."}"#,
                "Incorrect username or password.",
            ),
            (
                r#"{"__type":"UserNotConfirmedException","message":"User is not confirmed."}"#,
                "Your account is not confirmed yet.",
            ),
            (
                r#"{"__type":"NotAuthorizedException","message":"Password attempts exceeded"}"#,
                "Too many failed attempts. Wait a while, then try again.",
            ),
            (
                r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
                "Rate exceeded",
            ),
            (
                r#"{"__type":"InternalErrorException"}"#,
                "Sign-in failed (InternalErrorException).",
            ),
        ];
        for (body, expected) in cases {
            let err = interpret_initiate_auth(400, body, None).unwrap_err();
            assert_eq!(err.user_message(), expected, "{body}");
        }
    }

    #[test]
    fn error_names_lose_namespaces_and_suffixes() {
        assert_eq!(
            error_name("com.amazonaws.cognito#NotAuthorizedException"),
            "NotAuthorizedException"
        );
        assert_eq!(
            error_name("NotAuthorizedException:http://internal.amazon.com/"),
            "NotAuthorizedException"
        );
        let err = parse_error(
            400,
            r#"{"__type":"ns#ResourceNotFoundException","message":"no pool"}"#,
            None,
        );
        assert_eq!(
            err,
            SignInError::Service {
                name: "ResourceNotFoundException".into(),
                message: "no pool".into()
            }
        );
    }

    #[test]
    fn falls_back_to_the_error_type_header() {
        let err = parse_error(400, "", Some("UserNotConfirmedException:"));
        assert_eq!(err.user_message(), "Your account is not confirmed yet.");
        assert!(matches!(
            parse_error(502, "Bad gateway", None),
            SignInError::UnexpectedResponse(_)
        ));
    }

    #[test]
    fn network_errors_do_not_leak_details() {
        let err = SignInError::Network("TypeError: Failed to fetch".into());
        assert!(!err.user_message().contains("TypeError"));
        assert!(err.to_string().contains("TypeError"));
    }
}
