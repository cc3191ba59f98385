//! What went wrong with a call, and what the user is told about it, next to which field.
//!
//! Cognito reports failures by exception name ([`ErrorCode`]); [`explain`] maps each name to a
//! plain [`Msg`] and to the [`Field`] it concerns, so the screen can put the message under that
//! field (`aria-invalid`, `aria-describedby`) and move focus there. The service's own message is
//! never shown: it is English-only and may reveal more than the user needs.

use std::fmt;

use cognate_protocol::error::ErrorCode;

use crate::i18n::Msg;

/// Why a call did not succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
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
    Unexpected(String),
}

impl ApiError {
    /// Whether this is the Cognito error `code`. (Compares with the one name wanted: parsing the
    /// name into an [`ErrorCode`] would link every name Cognito has into the wasm.)
    #[inline(always)]
    pub fn is(&self, code: ErrorCode) -> bool {
        matches!(self, Self::Service { name, .. } if name == code.name())
    }

    /// Whether this is the lockout after too many wrong passwords (Cognito sends it as a
    /// `NotAuthorizedException` with this message).
    pub fn is_lockout(&self) -> bool {
        matches!(self, Self::Service { name, message } if name == "NotAuthorizedException"
            && message.starts_with("Password attempts exceeded"))
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service { name, message } => write!(f, "{name}: {message}"),
            Self::Network(detail) => write!(f, "network error: {detail}"),
            Self::Unexpected(detail) => write!(f, "unexpected response: {detail}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// The form field an error message belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The whole form (shown above the submit button).
    Form,
    Username,
    Password,
    Code,
    /// An attribute input (`email`, …) named by the screen.
    Attribute,
}

impl Field {
    /// The field's input id inside the widget (`Form` has none).
    pub fn id(self) -> &'static str {
        match self {
            Field::Form => "cognate-form",
            Field::Username => "cognate-username",
            Field::Password => "cognate-password",
            Field::Code => "cognate-code",
            Field::Attribute => "cognate-attr-email",
        }
    }
}

/// A message for the user, and where it goes.
pub type Explained = (Field, Msg);

/// The plain message for an error and the field it concerns.
pub fn explain(err: &ApiError) -> Explained {
    use ErrorCode as E;
    let message = match err {
        ApiError::Service { message, .. } => message,
        ApiError::Network(_) => return (Field::Form, Msg::ErrNetwork),
        ApiError::Unexpected(_) => return (Field::Form, Msg::ErrUnexpected),
    };
    let is = |code| err.is(code);
    if err.is_lockout() {
        (Field::Form, Msg::ErrLocked)
    } else if is(E::NotAuthorized) && message.contains("session") {
        (Field::Form, Msg::ErrSessionExpired)
    } else if is(E::NotAuthorized) {
        (Field::Password, Msg::ErrCredentials)
    } else if is(E::UserNotFound) {
        (Field::Username, Msg::ErrUserNotFound)
    } else if is(E::UsernameExists) {
        (Field::Username, Msg::ErrUsernameExists)
    } else if is(E::AliasExists) {
        (Field::Attribute, Msg::ErrAliasExists)
    } else if is(E::InvalidPassword) {
        (Field::Password, Msg::ErrPasswordPolicy)
    } else if is(E::CodeMismatch) {
        (Field::Code, Msg::ErrCodeMismatch)
    } else if is(E::ExpiredCode) {
        (Field::Code, Msg::ErrCodeExpired)
    } else if is(E::PasswordResetRequired) {
        (Field::Form, Msg::ErrResetRequired)
    } else if is(E::LimitExceeded) || is(E::TooManyRequests) || is(E::TooManyFailedAttempts) {
        (Field::Form, Msg::ErrTooMany)
    } else if is(E::InvalidParameter) {
        (Field::Form, Msg::ErrInvalid)
    } else {
        (Field::Form, Msg::ErrUnexpected)
    }
}

/// On the sign-in screen an unknown user gets the same answer as a wrong password, so the form
/// does not tell who has an account.
pub fn explain_sign_in(err: &ApiError) -> Explained {
    match explain(err) {
        (_, Msg::ErrUserNotFound) => (Field::Password, Msg::ErrCredentials),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(name: &str, message: &str) -> ApiError {
        ApiError::Service {
            name: name.into(),
            message: message.into(),
        }
    }

    #[test]
    fn maps_cognito_errors_to_fields_and_messages() {
        let cases = [
            (
                service("NotAuthorizedException", "Incorrect username or password."),
                (Field::Password, Msg::ErrCredentials),
            ),
            (
                service("NotAuthorizedException", "Password attempts exceeded"),
                (Field::Form, Msg::ErrLocked),
            ),
            (
                service(
                    "NotAuthorizedException",
                    "Invalid session for the user, session is expired.",
                ),
                (Field::Form, Msg::ErrSessionExpired),
            ),
            (
                service("UsernameExistsException", "User already exists"),
                (Field::Username, Msg::ErrUsernameExists),
            ),
            (
                service("AliasExistsException", ""),
                (Field::Attribute, Msg::ErrAliasExists),
            ),
            (
                service("InvalidPasswordException", "Password did not conform with policy"),
                (Field::Password, Msg::ErrPasswordPolicy),
            ),
            (
                service("CodeMismatchException", ""),
                (Field::Code, Msg::ErrCodeMismatch),
            ),
            (service("ExpiredCodeException", ""), (Field::Code, Msg::ErrCodeExpired)),
            (service("LimitExceededException", ""), (Field::Form, Msg::ErrTooMany)),
            (service("TooManyRequestsException", ""), (Field::Form, Msg::ErrTooMany)),
            (service("InvalidParameterException", ""), (Field::Form, Msg::ErrInvalid)),
            (
                service("UserNotFoundException", ""),
                (Field::Username, Msg::ErrUserNotFound),
            ),
            (service("InternalErrorException", ""), (Field::Form, Msg::ErrUnexpected)),
            (service("SomethingNewException", ""), (Field::Form, Msg::ErrUnexpected)),
            (
                ApiError::Network("Failed to fetch".into()),
                (Field::Form, Msg::ErrNetwork),
            ),
            (ApiError::Unexpected("x".into()), (Field::Form, Msg::ErrUnexpected)),
        ];
        for (err, expected) in cases {
            assert_eq!(explain(&err), expected, "{err}");
        }
    }

    #[test]
    fn sign_in_does_not_reveal_unknown_users() {
        assert_eq!(
            explain_sign_in(&service("UserNotFoundException", "User does not exist.")),
            (Field::Password, Msg::ErrCredentials)
        );
        assert_eq!(
            explain_sign_in(&service("TooManyRequestsException", "")),
            (Field::Form, Msg::ErrTooMany)
        );
    }
}
