//! The Cognito user-pool API client: typed calls, request bodies and response interpretation.
//!
//! Every operation is a `POST` of a JSON body to the pool endpoint with
//! `Content-Type: application/x-amz-json-1.1` and `X-Amz-Target:
//! AWSCognitoIdentityProviderService.<Operation>`. Errors come back as HTTP 4xx/5xx with
//! `{"__type":"<Name>Exception","message":"…"}` (and the name again in `x-amzn-errortype`);
//! [`crate::errors`] turns them into messages.
//!
//! Names come from `protocol/` ([`Operation`], [`ChallengeName`], the error codes); bodies are
//! written and read with the widget's small [`crate::json`] rather than serde, to keep the wasm
//! small (the `protocol/` request types would also serialise absent members as `null`, which a
//! browser client of AWS Cognito does not send). Everything but the HTTP call itself is plain
//! Rust, unit-tested natively; the call is browser-only (`fetch`).

use cognate_protocol::auth::ChallengeName;
use cognate_protocol::operation::Operation;

pub use crate::errors::ApiError;
use crate::json::{string_object, Json, ObjectWriter};
pub use cognate_protocol::USER_POOL_TARGET_PREFIX as TARGET_PREFIX;

/// Every challenge Cognito names, to read `ChallengeName` without serde.
const CHALLENGES: [ChallengeName; 15] = [
    ChallengeName::SmsMfa,
    ChallengeName::EmailOtp,
    ChallengeName::SoftwareTokenMfa,
    ChallengeName::SelectMfaType,
    ChallengeName::MfaSetup,
    ChallengeName::PasswordVerifier,
    ChallengeName::CustomChallenge,
    ChallengeName::DeviceSrpAuth,
    ChallengeName::DevicePasswordVerifier,
    ChallengeName::AdminNoSrpAuth,
    ChallengeName::NewPasswordRequired,
    ChallengeName::SelectChallenge,
    ChallengeName::Password,
    ChallengeName::PasswordSrp,
    ChallengeName::WebAuthn,
];

/// The challenge of a wire name (`NEW_PASSWORD_REQUIRED`).
pub fn challenge_name(name: &str) -> Option<ChallengeName> {
    CHALLENGES.into_iter().find(|challenge| challenge.as_str() == name)
}

/// The tokens of a finished sign-in or refresh (`AuthenticationResult`).
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    /// Absent from refresh answers.
    pub refresh_token: Option<String>,
    /// Lifetime of the ID and access tokens, in seconds.
    pub expires_in: i64,
}

impl std::fmt::Debug for Tokens {
    /// Tokens are credentials: they never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// What an `InitiateAuth` or `RespondToAuthChallenge` call led to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthOutcome {
    /// Tokens.
    Tokens(Tokens),
    /// A further step: the challenge, its session and its parameters.
    Challenge {
        name: ChallengeName,
        session: String,
        parameters: Vec<(String, String)>,
    },
}

/// The user-pool endpoint and app client every call goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub endpoint: String,
    pub client_id: String,
}

/// Turns an error response into an [`ApiError`]. The name comes from the body's `__type`, or
/// from the `x-amzn-errortype` header when the body is not Cognito's error JSON.
pub fn parse_error(status: u16, body: &str, error_type_header: Option<&str>) -> ApiError {
    let parsed = Json::parse(body);
    let name = parsed
        .as_ref()
        .and_then(|body| body.str("__type"))
        .or(error_type_header)
        .map(error_name)
        .filter(|name| !name.is_empty());
    match name {
        Some(name) => ApiError::Service {
            name: name.to_owned(),
            message: parsed
                .as_ref()
                .and_then(|body| body.str("message"))
                .unwrap_or_default()
                .to_owned(),
        },
        None => ApiError::Unexpected(format!("HTTP {status} without an error name")),
    }
}

/// The bare error name from an AWS `__type` or `x-amzn-errortype` value, which may carry a
/// namespace (`com.amazonaws…#NotAuthorizedException`) or a suffix (`NotAuthorizedException:http://…`).
pub fn error_name(raw: &str) -> &str {
    let name = raw.rsplit('#').next().unwrap_or(raw);
    name.split(':').next().unwrap_or(name).trim()
}

/// Interprets an HTTP response: the parsed body on 2xx, the Cognito error otherwise.
pub fn interpret(status: u16, body: &str, error_type: Option<&str>) -> Result<Json, ApiError> {
    if !(200..300).contains(&status) {
        return Err(parse_error(status, body, error_type));
    }
    let body = if body.trim().is_empty() { "{}" } else { body };
    Json::parse(body).ok_or_else(|| unexpected("response is not JSON"))
}

fn unexpected(what: &str) -> ApiError {
    ApiError::Unexpected(what.to_owned())
}

/// Splits an authentication answer into tokens or a challenge.
pub fn auth_outcome(response: &Json) -> Result<AuthOutcome, ApiError> {
    if let Some(result) = response.get("AuthenticationResult") {
        let tokens = Tokens {
            id_token: result.str("IdToken").unwrap_or_default().to_owned(),
            access_token: result.str("AccessToken").unwrap_or_default().to_owned(),
            refresh_token: result.str("RefreshToken").map(str::to_owned),
            expires_in: result.get("ExpiresIn").and_then(Json::as_i64).unwrap_or(0),
        };
        if tokens.id_token.is_empty() || tokens.access_token.is_empty() {
            return Err(unexpected("AuthenticationResult without tokens"));
        }
        return Ok(AuthOutcome::Tokens(tokens));
    }
    match (response.str("ChallengeName"), response.str("Session")) {
        (Some(name), Some(session)) => Ok(AuthOutcome::Challenge {
            name: challenge_name(name).ok_or_else(|| unexpected("unknown challenge"))?,
            session: session.to_owned(),
            parameters: response
                .get("ChallengeParameters")
                .map(Json::string_members)
                .unwrap_or_default(),
        }),
        _ => Err(unexpected("neither tokens nor a challenge")),
    }
}

/// The masked destination of a `CodeDeliveryDetails` answer.
pub fn destination(response: &Json) -> Option<String> {
    Some(response.get("CodeDeliveryDetails")?.str("Destination")?.to_owned())
}

/// `[{"Name": …, "Value": …}, …]`.
pub fn attributes_json(attributes: &[(String, String)]) -> String {
    let items: Vec<String> = attributes
        .iter()
        .map(|(name, value)| string_object([("Name", name.as_str()), ("Value", value.as_str())]))
        .collect();
    format!("[{}]", items.join(","))
}

impl Client {
    fn request(&self) -> ObjectWriter {
        ObjectWriter::new().string("ClientId", &self.client_id)
    }

    /// POSTs one operation (a JSON body) and parses its answer. Call sites pass
    /// `Operation::X.name()`: a constant, where passing the enum would link the whole name table.
    pub async fn call(&self, operation: &'static str, body: String) -> Result<Json, ApiError> {
        let (status, text, error_type) = transport::post(&self.endpoint, operation, body).await?;
        interpret(status, &text, error_type.as_deref())
    }

    /// Signs in: with the pool id, `USER_SRP_AUTH` (the password never leaves the browser) and,
    /// from a remembered device, its proof; without it, `USER_PASSWORD_AUTH`. The exchange runs in
    /// `srp/srp.js` (JavaScript's BigInt and WebCrypto cost the wasm nothing).
    pub async fn sign_in(&self, pool_id: &str, username: &str, password: &str) -> Result<AuthOutcome, ApiError> {
        let (status, text, error_type) =
            transport::sign_in(&self.endpoint, &self.client_id, pool_id, username, password).await?;
        auth_outcome(&interpret(status, &text, error_type.as_deref())?)
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH`; the answer has no new refresh token.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Tokens, ApiError> {
        let body = self
            .request()
            .string("AuthFlow", "REFRESH_TOKEN_AUTH")
            .raw("AuthParameters", &string_object([("REFRESH_TOKEN", refresh_token)]))
            .finish();
        match auth_outcome(&self.call(Operation::InitiateAuth.name(), body).await?)? {
            AuthOutcome::Tokens(tokens) => Ok(tokens),
            AuthOutcome::Challenge { .. } => Err(unexpected("challenge on refresh")),
        }
    }

    /// `RespondToAuthChallenge` with `NEW_PASSWORD_REQUIRED`, plus the missing attributes.
    pub async fn new_password(
        &self,
        session: &str,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<AuthOutcome, ApiError> {
        let names: Vec<String> = attributes
            .iter()
            .map(|(name, _)| format!("userAttributes.{name}"))
            .collect();
        let mut responses = vec![("USERNAME", username), ("NEW_PASSWORD", password)];
        responses.extend(
            names
                .iter()
                .map(String::as_str)
                .zip(attributes.iter().map(|(_, v)| v.as_str())),
        );
        self.respond(ChallengeName::NewPasswordRequired, session, &responses)
            .await
    }

    /// `RespondToAuthChallenge`: answers challenge `name` in `session` with `responses`.
    pub async fn respond(
        &self,
        name: ChallengeName,
        session: &str,
        responses: &[(&str, &str)],
    ) -> Result<AuthOutcome, ApiError> {
        let body = self
            .request()
            .string("ChallengeName", name.as_str())
            .string("Session", session)
            .raw("ChallengeResponses", &string_object(responses.iter().copied()))
            .finish();
        auth_outcome(&self.call(Operation::RespondToAuthChallenge.name(), body).await?)
    }

    /// `SignUp`; whether the user is confirmed already, and where the code went.
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<(bool, Option<String>), ApiError> {
        let body = self
            .request()
            .string("Username", username)
            .string("Password", password)
            .raw("UserAttributes", &attributes_json(attributes))
            .finish();
        let answer = self.call(Operation::SignUp.name(), body).await?;
        Ok((
            answer.get("UserConfirmed") == Some(&Json::Bool(true)),
            destination(&answer),
        ))
    }

    async fn user_call(
        &self,
        operation: &'static str,
        username: &str,
        code: Option<&str>,
        password: Option<&str>,
    ) -> Result<Json, ApiError> {
        let body = self
            .request()
            .string("Username", username)
            .opt_string("ConfirmationCode", code)
            .opt_string("Password", password)
            .finish();
        self.call(operation, body).await
    }

    /// `ConfirmSignUp`.
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<(), ApiError> {
        self.user_call(Operation::ConfirmSignUp.name(), username, Some(code), None)
            .await
            .map(drop)
    }

    /// `ResendConfirmationCode`; the masked destination.
    pub async fn resend_code(&self, username: &str) -> Result<Option<String>, ApiError> {
        let answer = self
            .user_call(Operation::ResendConfirmationCode.name(), username, None, None)
            .await?;
        Ok(destination(&answer))
    }

    /// `ForgotPassword`; the masked destination.
    pub async fn forgot_password(&self, username: &str) -> Result<Option<String>, ApiError> {
        let answer = self
            .user_call(Operation::ForgotPassword.name(), username, None, None)
            .await?;
        Ok(destination(&answer))
    }

    /// `ConfirmForgotPassword`.
    pub async fn confirm_forgot_password(&self, username: &str, code: &str, password: &str) -> Result<(), ApiError> {
        self.user_call(
            Operation::ConfirmForgotPassword.name(),
            username,
            Some(code),
            Some(password),
        )
        .await
        .map(drop)
    }

    /// `GlobalSignOut`: every refresh token of the user stops working.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<(), ApiError> {
        let body = string_object([("AccessToken", access_token)]);
        self.call(Operation::GlobalSignOut.name(), body).await.map(drop)
    }

    /// `AssociateSoftwareToken` in a challenge `session` or for the user of `access_token`: the
    /// authenticator key (base32) and, in a challenge, the session to go on with.
    pub async fn associate_software_token(
        &self,
        session: Option<&str>,
        access_token: Option<&str>,
    ) -> Result<(String, Option<String>), ApiError> {
        let body = ObjectWriter::new()
            .opt_string("Session", session)
            .opt_string("AccessToken", access_token)
            .finish();
        let answer = self.call(Operation::AssociateSoftwareToken.name(), body).await?;
        let secret = answer.str("SecretCode").ok_or_else(|| unexpected("no SecretCode"))?;
        Ok((secret.to_owned(), answer.str("Session").map(str::to_owned)))
    }

    /// `VerifySoftwareToken` with the app's first code; in a challenge, the session to answer
    /// `MFA_SETUP` with.
    pub async fn verify_software_token(
        &self,
        session: Option<&str>,
        access_token: Option<&str>,
        code: &str,
    ) -> Result<Option<String>, ApiError> {
        let body = ObjectWriter::new()
            .opt_string("Session", session)
            .opt_string("AccessToken", access_token)
            .string("UserCode", code)
            .finish();
        let answer = self.call(Operation::VerifySoftwareToken.name(), body).await?;
        Ok(answer.str("Session").map(str::to_owned))
    }

    /// `RevokeToken`: this refresh token (and the tokens issued from it) stops working.
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), ApiError> {
        let body = self.request().string("Token", refresh_token).finish();
        self.call(Operation::RevokeToken.name(), body).await.map(drop)
    }
}

mod transport;

pub use transport::get;

#[cfg(test)]
mod tests;
