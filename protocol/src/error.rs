//! Cognito's error vocabulary.
//!
//! Every failure the user-pool API reports is one of these exception names, sent as
//! `{"__type": "<Name>", "message": "…"}` with HTTP 400 (500 for internal errors) and the
//! `x-amzn-ErrorType` header. Clients — the AWS SDKs and the widget — branch on the name, so
//! the names are exactly Cognito's (see the "Errors" section of each operation in the Amazon
//! Cognito user pools API reference).

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($($variant:ident),* $(,)?) => {
        /// A Cognito exception name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant,)* }

        impl ErrorCode {
            /// The wire name, e.g. `NotAuthorizedException`.
            pub fn name(self) -> &'static str {
                match self { $(ErrorCode::$variant => concat!(stringify!($variant), "Exception"),)* }
            }

            /// Parses a wire name; accepts the `prefix#Name` form some AWS services send.
            pub fn from_name(name: &str) -> Option<Self> {
                let name = name.rsplit('#').next().unwrap_or(name);
                let name = name.split(':').next().unwrap_or(name);
                match name {
                    $(n if n == concat!(stringify!($variant), "Exception") => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

error_codes!(
    AliasExists,
    CodeDeliveryFailure,
    CodeMismatch,
    ConcurrentModification,
    ExpiredCode,
    GroupExists,
    IncompleteSignature,
    InternalError,
    InvalidParameter,
    InvalidPassword,
    InvalidSignature,
    InvalidUserPoolConfiguration,
    LimitExceeded,
    MissingAuthenticationToken,
    NotAuthorized,
    PasswordResetRequired,
    PreconditionNotMet,
    ResourceNotFound,
    Serialization,
    TooManyFailedAttempts,
    TooManyRequests,
    UnknownOperation,
    UnrecognizedClient,
    UnsupportedOperation,
    UnsupportedTokenType,
    UserNotConfirmed,
    UserNotFound,
    UsernameExists,
    ResourceConflict,
    InvalidIdentityPoolConfiguration,
    EnableSoftwareTokenMFA,
    SoftwareTokenMFANotFound,
);

impl ErrorCode {
    /// The HTTP status Cognito answers with for this error.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InternalError => 500,
            _ => 400,
        }
    }
}

/// The JSON body of an error response.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ErrorBody {
    #[serde(rename = "__type")]
    pub kind: String,
    #[serde(default)]
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for code in [
            ErrorCode::NotAuthorized,
            ErrorCode::UsernameExists,
            ErrorCode::CodeMismatch,
        ] {
            assert_eq!(ErrorCode::from_name(code.name()), Some(code));
        }
        assert_eq!(ErrorCode::NotAuthorized.name(), "NotAuthorizedException");
        assert_eq!(
            ErrorCode::from_name("com.amazonaws#UserNotFoundException"),
            Some(ErrorCode::UserNotFound)
        );
        assert_eq!(ErrorCode::from_name("Nope"), None);
    }
}
