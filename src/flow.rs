//! The sign-in flow as a stepped process: one [`Step`] enum, named after Cognito's challenges,
//! and one pure [`transition`] function from a step and an [`Event`] to the next step.
//!
//! The root component holds the current step in one signal and renders one screen per step
//! (`screens/<step>.rs`). Screens never pick the next screen themselves: they report what
//! happened (the server's answer) as an [`Event`], and [`transition`] decides. The server keeps
//! its own challenge session and decides the next challenge; the widget never skips one: a
//! challenge it has no screen for is an error, not a shortcut.
//!
//! MFA challenges: `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP` and `SMS_MFA` share the code step
//! ([`Step::MfaCode`]), `SELECT_MFA_TYPE` lets the user choose a factor, and `MFA_SETUP` walks
//! them through adding an authenticator app before the sign-in completes.

use cognate_protocol::auth::ChallengeName;

use crate::json::Json;

/// Where the user is in the flow. Each variant carries what its screen needs to start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// User name and password; `username` pre-fills the field (after sign-up, reset, sign-out).
    SignIn { username: String },
    /// A new account: user name, password, the pool's required attributes.
    SignUp,
    /// The code sent after sign-up; `destination` is the masked address it went to.
    ConfirmSignUp {
        username: String,
        destination: Option<String>,
    },
    /// Ask for a password-reset code.
    ForgotPassword { username: String },
    /// The reset code and the new password.
    ConfirmResetPassword {
        username: String,
        destination: Option<String>,
    },
    /// `NEW_PASSWORD_REQUIRED`: an admin-created user sets a password (and missing attributes).
    NewPasswordRequired(Challenge),
    /// An MFA code: `kind` is `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP` or `SMS_MFA`; `destination` is
    /// where an email or SMS code went (masked).
    MfaCode {
        challenge: Challenge,
        kind: ChallengeName,
        destination: Option<String>,
    },
    /// `SELECT_MFA_TYPE`: the factors the user may choose from.
    SelectMfaType {
        challenge: Challenge,
        options: Vec<ChallengeName>,
    },
    /// `MFA_SETUP`: the pool requires MFA and the user has no factor yet.
    MfaSetup(Challenge),
    /// Tokens are held; shows who is signed in.
    SignedIn { username: String },
}

/// An open challenge: the server's opaque, single-use session and what it asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The user name to send back as `USERNAME` (`USER_ID_FOR_SRP` when the server gave one).
    pub username: String,
    /// The `Session` to answer with.
    pub session: String,
    /// For `NEW_PASSWORD_REQUIRED`: attribute names (without `userAttributes.`) still missing.
    pub required_attributes: Vec<String>,
}

/// What happened on the current screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// "Create an account" link.
    GoToSignUp,
    /// "Back to sign in" link, keeping a user name to pre-fill.
    GoToSignIn { username: String },
    /// "Forgot your password?" link.
    GoToForgotPassword { username: String },
    /// `SignUp` succeeded; `confirmed` when the pool confirmed the user at once.
    SignedUp {
        username: String,
        confirmed: bool,
        destination: Option<String>,
    },
    /// Sign-in answered `UserNotConfirmedException` and a new code was sent.
    ConfirmationNeeded {
        username: String,
        destination: Option<String>,
    },
    /// `ConfirmSignUp` succeeded.
    SignUpConfirmed { username: String },
    /// `ForgotPassword` sent a code.
    ResetCodeSent {
        username: String,
        destination: Option<String>,
    },
    /// `ConfirmForgotPassword` succeeded.
    PasswordReset { username: String },
    /// `InitiateAuth` or `RespondToAuthChallenge` answered with a challenge.
    ChallengeIssued {
        username: String,
        name: ChallengeName,
        session: String,
        parameters: Vec<(String, String)>,
    },
    /// Tokens were issued (or restored from storage).
    Authenticated { username: String },
    /// The session ended (sign-out here, in another tab, or a failed refresh).
    SignedOut { username: String },
}

/// Why an event cannot happen in the current step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// The server asked for a challenge this widget has no screen for yet.
    UnsupportedChallenge(ChallengeName),
    /// The event makes no sense here (a bug, or a stale asynchronous answer).
    Unexpected,
}

impl Step {
    /// The first step of a fresh widget.
    pub fn start() -> Self {
        Step::SignIn {
            username: String::new(),
        }
    }

    /// The first step when the page asks for a screen (`sign-up`, `forgot-password`).
    pub fn opening(screen: Option<&str>) -> Self {
        match screen {
            Some("sign-up") => Step::SignUp,
            Some("forgot-password") => Step::ForgotPassword {
                username: String::new(),
            },
            _ => Step::start(),
        }
    }

    /// A stable name, used as the screen's `data-step` (tests and styles key on it).
    pub fn name(&self) -> &'static str {
        match self {
            Step::SignIn { .. } => "sign-in",
            Step::SignUp => "sign-up",
            Step::ConfirmSignUp { .. } => "confirm-sign-up",
            Step::ForgotPassword { .. } => "forgot-password",
            Step::ConfirmResetPassword { .. } => "confirm-reset-password",
            Step::NewPasswordRequired(_) => "new-password-required",
            Step::MfaCode { .. } => "mfa-code",
            Step::SelectMfaType { .. } => "select-mfa-type",
            Step::MfaSetup(_) => "mfa-setup",
            Step::SignedIn { .. } => "signed-in",
        }
    }
}

/// The next step after `event` in `step`. Pure: no I/O, no clock.
pub fn transition(step: &Step, event: Event) -> Result<Step, FlowError> {
    use Event as E;
    use Step as S;
    let signed_in = matches!(step, S::SignedIn { .. });
    Ok(match event {
        E::SignedOut { username } => S::SignIn { username },
        E::Authenticated { username } => S::SignedIn { username },
        _ if signed_in => return Err(FlowError::Unexpected),
        E::GoToSignIn { username } => S::SignIn { username },
        E::GoToSignUp => S::SignUp,
        E::GoToForgotPassword { username } => S::ForgotPassword { username },
        E::SignedUp {
            username, confirmed, ..
        } if confirmed => S::SignIn { username },
        E::SignedUp {
            username, destination, ..
        }
        | E::ConfirmationNeeded { username, destination } => S::ConfirmSignUp { username, destination },
        E::SignUpConfirmed { username } => match step {
            S::ConfirmSignUp { .. } => S::SignIn { username },
            _ => return Err(FlowError::Unexpected),
        },
        E::ResetCodeSent { username, destination } => match step {
            S::ForgotPassword { .. } | S::ConfirmResetPassword { .. } => {
                S::ConfirmResetPassword { username, destination }
            }
            _ => return Err(FlowError::Unexpected),
        },
        E::PasswordReset { username } => match step {
            S::ConfirmResetPassword { .. } => S::SignIn { username },
            _ => return Err(FlowError::Unexpected),
        },
        E::ChallengeIssued {
            username,
            name,
            session,
            parameters,
        } => challenge_step(username, name, session, &parameters)?,
    })
}

/// The step that answers a challenge.
fn challenge_step(
    username: String,
    name: ChallengeName,
    session: String,
    parameters: &[(String, String)],
) -> Result<Step, FlowError> {
    let parameter = |key: &str| parameters.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let username = parameter("USER_ID_FOR_SRP").map_or(username, str::to_owned);
    let challenge = Challenge {
        username,
        session,
        required_attributes: required_attributes(parameter("requiredAttributes")),
    };
    match name {
        ChallengeName::NewPasswordRequired => Ok(Step::NewPasswordRequired(challenge)),
        ChallengeName::SoftwareTokenMfa | ChallengeName::EmailOtp | ChallengeName::SmsMfa => Ok(Step::MfaCode {
            challenge,
            kind: name,
            destination: parameter("CODE_DELIVERY_DESTINATION").map(str::to_owned),
        }),
        ChallengeName::SelectMfaType => {
            let options = mfa_factors(parameter("MFAS_CAN_CHOOSE"));
            if options.is_empty() {
                return Err(FlowError::UnsupportedChallenge(name));
            }
            Ok(Step::SelectMfaType { challenge, options })
        }
        ChallengeName::MfaSetup
            if mfa_factors(parameter("MFAS_CAN_SETUP")).contains(&ChallengeName::SoftwareTokenMfa) =>
        {
            Ok(Step::MfaSetup(challenge))
        }
        other => Err(FlowError::UnsupportedChallenge(other)),
    }
}

/// Reads `MFAS_CAN_CHOOSE` / `MFAS_CAN_SETUP` (a JSON array of challenge names) into the
/// factors this widget has screens for, in the server's order.
pub fn mfa_factors(raw: Option<&str>) -> Vec<ChallengeName> {
    let Some(Json::Array(names)) = raw.and_then(Json::parse) else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(Json::as_str)
        .filter_map(|name| match name {
            "SOFTWARE_TOKEN_MFA" => Some(ChallengeName::SoftwareTokenMfa),
            "EMAIL_OTP" => Some(ChallengeName::EmailOtp),
            "SMS_MFA" => Some(ChallengeName::SmsMfa),
            _ => None,
        })
        .collect()
}

/// Reads `requiredAttributes` (a JSON array of `"userAttributes.<name>"` strings) into bare names.
pub fn required_attributes(raw: Option<&str>) -> Vec<String> {
    let Some(Json::Array(names)) = raw.and_then(Json::parse) else {
        return Vec::new();
    };
    names
        .iter()
        .filter_map(Json::as_str)
        .map(|name| name.strip_prefix("userAttributes.").unwrap_or(name).to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
