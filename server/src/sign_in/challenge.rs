//! The states a sign-in can wait in, one variant per Cognito challenge with the data that
//! challenge needs, and the stored record of an open challenge ([`ChallengeSession`]).
//!
//! A challenge session is stored as its [`ChallengeState`] (serialised with the challenge's
//! wire name as the tag), so what the server expects next is always a typed value: there is no
//! challenge name compared as text, and no side structure that only some challenges fill in.
//! The first-factor choice (`SELECT_CHALLENGE`), passkeys (`WEB_AUTHN`), one-time codes as a
//! first factor and custom challenges are added here as further variants.

use cognate_protocol::auth::ChallengeName;
use serde::{Deserialize, Serialize};

use crate::mfa::factors::Factor;

/// How long an email or SMS code works, in seconds (Cognito: 3 minutes).
pub const CODE_LIFETIME: i64 = 180;

/// What an open challenge waits for, with what checking the answer needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "challenge", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChallengeState {
    /// USER_SRP_AUTH: the proof of the password against the user's verifier.
    PasswordVerifier(SrpState),
    /// A temporary password was right; the user must choose a new one.
    NewPasswordRequired,
    /// The code of the user's authenticator app.
    SoftwareTokenMfa {
        #[serde(default)]
        attempts: u32,
    },
    /// A code sent by SMS.
    SmsMfa(CodeSent),
    /// A code sent by email.
    EmailOtp(CodeSent),
    /// The user has several second factors and none preferred: they choose one.
    SelectMfaType { options: Vec<Factor> },
    /// MFA is required and the user has no factor: they add an authenticator app first.
    MfaSetup {
        #[serde(default)]
        setup_done: bool,
        #[serde(default)]
        attempts: u32,
    },
    /// A remembered device is to prove its own password (SRP), in place of MFA.
    DeviceSrpAuth,
    /// The proof of the device's password against the device's verifier.
    DevicePasswordVerifier(SrpState),
}

impl ChallengeState {
    /// The challenge's wire name.
    pub fn name(&self) -> ChallengeName {
        match self {
            ChallengeState::PasswordVerifier(_) => ChallengeName::PasswordVerifier,
            ChallengeState::NewPasswordRequired => ChallengeName::NewPasswordRequired,
            ChallengeState::SoftwareTokenMfa { .. } => ChallengeName::SoftwareTokenMfa,
            ChallengeState::SmsMfa(_) => ChallengeName::SmsMfa,
            ChallengeState::EmailOtp(_) => ChallengeName::EmailOtp,
            ChallengeState::SelectMfaType { .. } => ChallengeName::SelectMfaType,
            ChallengeState::MfaSetup { .. } => ChallengeName::MfaSetup,
            ChallengeState::DeviceSrpAuth => ChallengeName::DeviceSrpAuth,
            ChallengeState::DevicePasswordVerifier(_) => ChallengeName::DevicePasswordVerifier,
        }
    }

    /// How long the challenge may be answered, in seconds: the client's auth session validity
    /// (3 minutes unless set), and for the second-factor steps at least long enough that an
    /// expired code is told apart from an expired session.
    pub fn lifetime(&self, auth_session_minutes: Option<i64>) -> i64 {
        let validity = auth_session_minutes.unwrap_or(3) * 60;
        match self {
            ChallengeState::PasswordVerifier(_) | ChallengeState::NewPasswordRequired => validity,
            _ => validity.max(CODE_LIFETIME + 60),
        }
    }

    /// The SRP state of a verifier challenge, whose `SECRET_BLOCK` is also its session handle.
    pub fn srp(&self) -> Option<&SrpState> {
        match self {
            ChallengeState::PasswordVerifier(srp) | ChallengeState::DevicePasswordVerifier(srp) => Some(srp),
            _ => None,
        }
    }

    /// Counts one wrong answer; returns the count, for the challenges that count them.
    pub fn count_wrong_answer(&mut self) -> Option<u32> {
        let attempts = match self {
            ChallengeState::SoftwareTokenMfa { attempts }
            | ChallengeState::MfaSetup { attempts, .. }
            | ChallengeState::SmsMfa(CodeSent { attempts, .. })
            | ChallengeState::EmailOtp(CodeSent { attempts, .. }) => attempts,
            _ => return None,
        };
        *attempts += 1;
        Some(*attempts)
    }
}

/// The server's half of an SRP proof (hex numbers, base64 secret block).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SrpState {
    /// The server's secret ephemeral b.
    pub b: String,
    pub public_b: String,
    pub public_a: String,
    pub verifier: String,
    pub secret_block: String,
    /// USER_ID_FOR_SRP as sent to the client (the device key, for a device).
    pub user_id: String,
}

/// A code sent by email or SMS, kept hashed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub code_hash: String,
    pub expires_at: i64,
    #[serde(default)]
    pub attempts: u32,
}

/// An open challenge, identified by the hash of its opaque `Session`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeSession {
    pub id_hash: String,
    pub pool_id: String,
    pub client_id: String,
    /// The user's sub; empty for the stand-in challenge of a user that does not exist.
    pub sub: String,
    pub expires_at: i64,
    /// The DEVICE_KEY the client signs in with, carried through the sign-in's challenges.
    pub device_key: Option<String>,
    pub state: ChallengeState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_stored_under_their_challenge_names() {
        let state = ChallengeState::SelectMfaType {
            options: vec![Factor::Sms, Factor::SoftwareToken],
        };
        let json = serde_json::to_value(&state).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"challenge": "SELECT_MFA_TYPE", "options": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]})
        );
        let back: ChallengeState = serde_json::from_value(json).expect("parses");
        assert_eq!(back, state);
        let code = ChallengeState::EmailOtp(CodeSent {
            code_hash: "h".into(),
            expires_at: 10,
            attempts: 0,
        });
        let text = serde_json::to_string(&code).expect("serialises");
        assert!(text.contains("\"challenge\":\"EMAIL_OTP\""), "{text}");
        assert_eq!(serde_json::from_str::<ChallengeState>(&text).ok(), Some(code));
    }

    #[test]
    fn names_match_the_wire() {
        for (state, name) in [
            (ChallengeState::NewPasswordRequired, "NEW_PASSWORD_REQUIRED"),
            (ChallengeState::DeviceSrpAuth, "DEVICE_SRP_AUTH"),
            (ChallengeState::SoftwareTokenMfa { attempts: 0 }, "SOFTWARE_TOKEN_MFA"),
        ] {
            assert_eq!(state.name().as_str(), name);
            let json = serde_json::to_value(&state).expect("serialises");
            assert_eq!(json["challenge"], name);
        }
    }

    #[test]
    fn wrong_answers_are_counted_where_they_are_limited() {
        let mut state = ChallengeState::SoftwareTokenMfa { attempts: 0 };
        assert_eq!(state.count_wrong_answer(), Some(1));
        assert_eq!(state.count_wrong_answer(), Some(2));
        assert_eq!(ChallengeState::NewPasswordRequired.count_wrong_answer(), None);
    }

    #[test]
    fn code_challenges_outlive_their_codes() {
        assert_eq!(ChallengeState::NewPasswordRequired.lifetime(None), 180);
        assert_eq!(ChallengeState::SoftwareTokenMfa { attempts: 0 }.lifetime(None), 240);
        assert_eq!(ChallengeState::DeviceSrpAuth.lifetime(Some(15)), 900);
    }
}
