//! Sharing the session between tabs of the same site.
//!
//! With `sessionStorage` (the default) every tab has its own storage, so tokens never persist
//! on disk; yet users expect to stay signed in when they open a second tab. Tabs therefore talk
//! over a `BroadcastChannel` named after the app client: a new tab without a session asks
//! ([`TabMessage::Hello`]), an open tab answers with its session, every sign-in and refresh is
//! announced ([`TabMessage::Session`]) and so is sign-out ([`TabMessage::SignedOut`]). The
//! refresh itself runs under a Web Lock, and a tab that got fresher tokens from another while
//! it waited for the lock no longer needs to refresh: one refresh for all tabs.
//!
//! The message format and the adoption rule are pure and tested here; the channel and the
//! lock are a few lines of JavaScript in [`crate::host`].

use crate::session::Session;

/// One message between tabs (sent as a string).
#[derive(Clone, Debug, PartialEq)]
pub enum TabMessage {
    /// "Does anyone have a session?"
    Hello,
    /// The session ended: forget it.
    SignedOut,
    /// A session (the stored JSON form, refresh token included: it stays within the site).
    Session(String),
}

impl TabMessage {
    /// The wire form: `?`, the empty string, or the session's JSON.
    pub fn encode(&self) -> &str {
        match self {
            TabMessage::Hello => "?",
            TabMessage::SignedOut => "",
            TabMessage::Session(json) => json,
        }
    }

    /// Reads the wire form.
    pub fn decode(text: &str) -> Self {
        match text {
            "?" => TabMessage::Hello,
            "" => TabMessage::SignedOut,
            json => TabMessage::Session(json.to_owned()),
        }
    }
}

/// Whether a tab holding `current` takes the `offered` session from another tab: when it has
/// none, or the offered one is a different sign-in or lives longer (a refresh).
pub fn should_adopt(current: Option<&Session>, offered: &Session) -> bool {
    match current {
        None => true,
        Some(current) => current.access_token != offered.access_token && offered.expires_at >= current.expires_at,
    }
}

/// The channel name of an app client's tabs.
pub fn channel_name(client_id: &str) -> String {
    format!("cognate:{client_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(access_token: &str, expires_at: f64) -> Session {
        Session {
            username: "alice".into(),
            id_token: "i".into(),
            access_token: access_token.into(),
            refresh_token: Some("r".into()),
            issued_at: 0.0,
            expires_at,
        }
    }

    #[test]
    fn messages_round_trip() {
        for message in [
            TabMessage::Hello,
            TabMessage::SignedOut,
            TabMessage::Session(session("a", 1.0).to_json()),
        ] {
            assert_eq!(TabMessage::decode(message.encode()), message);
        }
    }

    #[test]
    fn newer_or_first_sessions_are_adopted() {
        let current = session("a", 1_000.0);
        assert!(should_adopt(None, &current));
        assert!(should_adopt(Some(&current), &session("b", 2_000.0)));
        assert!(!should_adopt(Some(&current), &session("a", 1_000.0)));
        assert!(!should_adopt(Some(&current), &session("old", 500.0)));
    }

    #[test]
    fn each_client_has_its_channel() {
        assert_eq!(channel_name("abc"), "cognate:abc");
    }
}
