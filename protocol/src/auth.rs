//! Sign-in as a stepped process.
//!
//! A client starts with `InitiateAuth` naming an [`AuthFlow`]; the server answers either with
//! tokens ([`AuthenticationResult`]) or with a [`ChallengeName`] and an opaque, single-use
//! `Session` that the client answers through `RespondToAuthChallenge`, until tokens come back.
//! Names and parameters are Cognito's (API reference: InitiateAuth, RespondToAuthChallenge).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::{ClientId, RefreshToken, Session, UserPoolId};

/// How a sign-in starts (`AuthFlow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthFlow {
    UserSrpAuth,
    RefreshTokenAuth,
    RefreshToken,
    CustomAuth,
    AdminNoSrpAuth,
    UserPasswordAuth,
    AdminUserPasswordAuth,
    UserAuth,
}

impl AuthFlow {
    /// The wire spelling, e.g. `USER_PASSWORD_AUTH`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFlow::UserSrpAuth => "USER_SRP_AUTH",
            AuthFlow::RefreshTokenAuth => "REFRESH_TOKEN_AUTH",
            AuthFlow::RefreshToken => "REFRESH_TOKEN",
            AuthFlow::CustomAuth => "CUSTOM_AUTH",
            AuthFlow::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            AuthFlow::UserPasswordAuth => "USER_PASSWORD_AUTH",
            AuthFlow::AdminUserPasswordAuth => "ADMIN_USER_PASSWORD_AUTH",
            AuthFlow::UserAuth => "USER_AUTH",
        }
    }
}

/// An app client's `ExplicitAuthFlows` entry: the `ALLOW_` names and the legacy ones they replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExplicitAuthFlow {
    AllowAdminUserPasswordAuth,
    AllowCustomAuth,
    AllowUserPasswordAuth,
    AllowUserSrpAuth,
    AllowRefreshTokenAuth,
    AllowUserAuth,
    AdminNoSrpAuth,
    CustomAuthFlowOnly,
    UserPasswordAuth,
}

impl ExplicitAuthFlow {
    /// The wire spelling, e.g. `ALLOW_USER_SRP_AUTH`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExplicitAuthFlow::AllowAdminUserPasswordAuth => "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::AllowCustomAuth => "ALLOW_CUSTOM_AUTH",
            ExplicitAuthFlow::AllowUserPasswordAuth => "ALLOW_USER_PASSWORD_AUTH",
            ExplicitAuthFlow::AllowUserSrpAuth => "ALLOW_USER_SRP_AUTH",
            ExplicitAuthFlow::AllowRefreshTokenAuth => "ALLOW_REFRESH_TOKEN_AUTH",
            ExplicitAuthFlow::AllowUserAuth => "ALLOW_USER_AUTH",
            ExplicitAuthFlow::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            ExplicitAuthFlow::CustomAuthFlowOnly => "CUSTOM_AUTH_FLOW_ONLY",
            ExplicitAuthFlow::UserPasswordAuth => "USER_PASSWORD_AUTH",
        }
    }

    /// Whether this is one of the legacy (pre-`ALLOW_`) names.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            ExplicitAuthFlow::AdminNoSrpAuth
                | ExplicitAuthFlow::CustomAuthFlowOnly
                | ExplicitAuthFlow::UserPasswordAuth
        )
    }

    /// The legacy name that allowed the same flow, if there is one.
    pub fn legacy(self) -> Option<ExplicitAuthFlow> {
        match self {
            ExplicitAuthFlow::AllowUserPasswordAuth => Some(ExplicitAuthFlow::UserPasswordAuth),
            ExplicitAuthFlow::AllowAdminUserPasswordAuth => Some(ExplicitAuthFlow::AdminNoSrpAuth),
            ExplicitAuthFlow::AllowCustomAuth => Some(ExplicitAuthFlow::CustomAuthFlowOnly),
            _ => None,
        }
    }

    /// The `AuthFlow` this entry allows, as named in refusals (e.g. `USER_SRP_AUTH`).
    pub fn auth_flow_name(self) -> &'static str {
        let name = self.as_str();
        name.strip_prefix("ALLOW_").unwrap_or(name)
    }
}

/// Challenge or auth parameters (`AuthParameters`, `ChallengeResponses`): names to values. Some
/// values are secrets (passwords, codes, proofs, tokens), so `Debug` prints the names only.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Parameters(pub BTreeMap<String, String>);

impl std::ops::Deref for Parameters {
    type Target = BTreeMap<String, String>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::fmt::Debug for Parameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl<const N: usize> From<[(&str, &str); N]> for Parameters {
    fn from(entries: [(&str, &str); N]) -> Self {
        Parameters(entries.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect())
    }
}

/// The next step the server asks of the client (`ChallengeName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChallengeName {
    SmsMfa,
    EmailOtp,
    SoftwareTokenMfa,
    SelectMfaType,
    MfaSetup,
    PasswordVerifier,
    CustomChallenge,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    AdminNoSrpAuth,
    NewPasswordRequired,
    SelectChallenge,
    Password,
    PasswordSrp,
    WebAuthn,
}

impl ChallengeName {
    /// The wire spelling, e.g. `NEW_PASSWORD_REQUIRED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeName::SmsMfa => "SMS_MFA",
            ChallengeName::EmailOtp => "EMAIL_OTP",
            ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA",
            ChallengeName::SelectMfaType => "SELECT_MFA_TYPE",
            ChallengeName::MfaSetup => "MFA_SETUP",
            ChallengeName::PasswordVerifier => "PASSWORD_VERIFIER",
            ChallengeName::CustomChallenge => "CUSTOM_CHALLENGE",
            ChallengeName::DeviceSrpAuth => "DEVICE_SRP_AUTH",
            ChallengeName::DevicePasswordVerifier => "DEVICE_PASSWORD_VERIFIER",
            ChallengeName::AdminNoSrpAuth => "ADMIN_NO_SRP_AUTH",
            ChallengeName::NewPasswordRequired => "NEW_PASSWORD_REQUIRED",
            ChallengeName::SelectChallenge => "SELECT_CHALLENGE",
            ChallengeName::Password => "PASSWORD",
            ChallengeName::PasswordSrp => "PASSWORD_SRP",
            ChallengeName::WebAuthn => "WEB_AUTHN",
        }
    }
}

/// `InitiateAuth` and `AdminInitiateAuth` (the latter adds `UserPoolId`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_flow: Option<AuthFlow>,
    pub client_id: ClientId,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub auth_parameters: Parameters,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub client_metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<UserPoolId>,
}

/// `RespondToAuthChallenge` and `AdminRespondToAuthChallenge`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub client_id: ClientId,
    pub challenge_name: ChallengeName,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<Session>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub challenge_responses: Parameters,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub client_metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<UserPoolId>,
}

/// `GetTokensFromRefreshToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: RefreshToken,
    pub client_id: ClientId,
    pub client_secret: Option<String>,
    #[serde(default, deserialize_with = "crate::null_as_default")]
    pub client_metadata: BTreeMap<String, String>,
}

/// The answer to every step of a sign-in: a challenge, or tokens.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<ChallengeName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::null_as_default",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub challenge_parameters: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
}

/// The tokens of a finished sign-in (`AuthenticationResultType`).
#[derive(Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub expires_in: i64,
    pub token_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub id_token: String,
    /// The device this sign-in created, in pools that track devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<crate::device::NewDeviceMetadata>,
}

impl std::fmt::Debug for AuthenticationResult {
    /// Tokens are credentials: they never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticationResult")
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .finish_non_exhaustive()
    }
}

/// The answer of `GetTokensFromRefreshToken`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct TokensResponse {
    pub authentication_result: AuthenticationResult,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_and_challenges_use_cognito_spelling() {
        let req: InitiateAuthRequest = serde_json::from_str(
            r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"a"}}"#,
        )
        .expect("parses");
        assert_eq!(req.auth_flow, Some(AuthFlow::UserPasswordAuth));
        let json = serde_json::to_string(&ChallengeName::NewPasswordRequired).expect("serializes");
        assert_eq!(json, "\"NEW_PASSWORD_REQUIRED\"");
        assert_eq!(ChallengeName::SoftwareTokenMfa.as_str(), "SOFTWARE_TOKEN_MFA");
        for flow in [
            AuthFlow::UserSrpAuth,
            AuthFlow::AdminUserPasswordAuth,
            AuthFlow::RefreshTokenAuth,
        ] {
            assert_eq!(serde_json::to_value(flow).ok(), Some(serde_json::json!(flow.as_str())));
        }
    }

    #[test]
    fn sign_in_requests_do_not_print_passwords() {
        let initiate: InitiateAuthRequest = serde_json::from_str(
            r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"c","AuthParameters":{"USERNAME":"a","PASSWORD":"hunter2-secret"}}"#,
        )
        .expect("parses");
        assert_eq!(
            initiate.auth_parameters.get("PASSWORD").map(String::as_str),
            Some("hunter2-secret")
        );
        assert!(!format!("{initiate:?}").contains("hunter2"));
        let respond: RespondToAuthChallengeRequest = serde_json::from_str(
            r#"{"ClientId":"c","ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"sess-secret","ChallengeResponses":{"USERNAME":"a","NEW_PASSWORD":"n3w-secret"}}"#,
        )
        .expect("parses");
        let printed = format!("{respond:?}");
        assert!(
            !printed.contains("n3w-secret") && !printed.contains("sess-secret"),
            "{printed}"
        );
        assert!(printed.contains("NEW_PASSWORD"), "{printed}");
    }

    #[test]
    fn explicit_auth_flows_know_their_legacy_names() {
        let flow: ExplicitAuthFlow = serde_json::from_str("\"ALLOW_USER_SRP_AUTH\"").expect("parses");
        assert_eq!(flow, ExplicitAuthFlow::AllowUserSrpAuth);
        assert_eq!(flow.auth_flow_name(), "USER_SRP_AUTH");
        assert_eq!(
            ExplicitAuthFlow::AllowAdminUserPasswordAuth.legacy(),
            Some(ExplicitAuthFlow::AdminNoSrpAuth)
        );
        assert!(serde_json::from_str::<ExplicitAuthFlow>("\"ALLOW_EVERYTHING\"").is_err());
    }

    #[test]
    fn tokens_are_redacted_in_debug() {
        let result = AuthenticationResult {
            access_token: "secret-access".into(),
            id_token: "secret-id".into(),
            ..Default::default()
        };
        assert!(!format!("{result:?}").contains("secret"));
    }
}
