//! Values that say what they hold: a newtype per identifier and secret of the sign-in API, so a
//! client id cannot be passed where a pool id is expected, and secrets never reach a log.
//!
//! Each is `#[serde(transparent)]` (the wire form is the plain string). The secrets —
//! [`Password`], [`Session`], [`RefreshToken`] — print `[redacted]` in `Debug`.

use serde::{Deserialize, Serialize};

macro_rules! identifier {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }
    };
}

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                $name(value.into())
            }

            /// The secret itself, for the code that checks or sends it.
            pub fn expose(&self) -> &str {
                &self.0
            }

            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

identifier!(
    /// A user pool id, `<region>_<id>` (e.g. `us-east-1_AbC123xyz`).
    UserPoolId
);
identifier!(
    /// An app client id.
    ClientId
);
identifier!(
    /// A username as the client typed it (the pool decides its case rules).
    Username
);
secret!(
    /// A password.
    Password
);
secret!(
    /// The opaque handle of an open sign-in challenge.
    Session
);
secret!(
    /// A refresh token.
    RefreshToken
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_and_identifiers_are_plain_on_the_wire() {
        let session = Session::new("abc-secret");
        assert_eq!(format!("{session:?}"), "Session([redacted])");
        assert_eq!(serde_json::to_string(&session).ok().as_deref(), Some("\"abc-secret\""));
        let id: ClientId = serde_json::from_str("\"client-1\"").expect("parses");
        assert_eq!(id.as_str(), "client-1");
        assert_eq!(format!("{:?}", Password::new("hunter2")), "Password([redacted])");
    }
}
