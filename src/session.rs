//! The signed-in session: the tokens, when they expire, when to refresh them, and where they
//! are kept between page loads.
//!
//! Tokens live in memory, `sessionStorage` (the default: they survive a reload but not the
//! browser) or `localStorage`, under `cognate:<clientId>`. Expiry is computed from the local
//! clock at issue time plus `ExpiresIn` (not from the token's `exp`, so a skewed client clock does
//! not matter), and the refresh is due a margin before it: five minutes, or half the lifetime for
//! short-lived tokens. The timing rules are pure functions of "now" so they are tested without a
//! clock.

use crate::api::Tokens;
use crate::claims;
use crate::json::{Json, ObjectWriter};

/// Where tokens are kept (the `storage` attribute).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StorageKind {
    /// Nowhere but this page: gone on reload.
    Memory,
    /// `sessionStorage`: this tab, across reloads.
    #[default]
    Session,
    /// `localStorage`: every tab, across browser restarts.
    Local,
}

impl StorageKind {
    /// Parses the attribute value (`memory`, `session`, `local`).
    pub fn parse(value: &str) -> Option<Self> {
        match value.to_ascii_lowercase().as_str() {
            "memory" => Some(Self::Memory),
            "session" | "sessionstorage" => Some(Self::Session),
            "local" | "localstorage" => Some(Self::Local),
            _ => None,
        }
    }
}

/// The longest margin before expiry at which tokens are refreshed.
pub const REFRESH_MARGIN_MS: f64 = 5.0 * 60.0 * 1000.0;

/// A signed-in user's tokens. Times are whole milliseconds since the epoch, local clock.
#[derive(Clone, PartialEq)]
pub struct Session {
    /// `cognito:username` from the ID token.
    pub username: String,
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// When the tokens were issued.
    pub issued_at: f64,
    /// When the access and ID tokens expire.
    pub expires_at: f64,
}

impl std::fmt::Debug for Session {
    /// Tokens are credentials: they never reach a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session from freshly issued tokens; `None` when the ID token has no readable user name.
    /// A refresh answer carries no refresh token: the previous one is kept.
    pub fn from_tokens(tokens: Tokens, now_ms: f64, previous_refresh: Option<String>) -> Option<Self> {
        let username = claims::cognito_username(&tokens.id_token)?;
        Some(Self {
            username,
            id_token: tokens.id_token,
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token.or(previous_refresh),
            issued_at: now_ms.floor(),
            expires_at: now_ms.floor() + tokens.expires_in.max(0) as f64 * 1000.0,
        })
    }

    /// When a refresh is due: the margin before expiry, at most half the lifetime.
    pub fn refresh_at(&self) -> f64 {
        let lifetime = (self.expires_at - self.issued_at).max(0.0);
        self.expires_at - REFRESH_MARGIN_MS.min(lifetime / 2.0)
    }

    /// Whether the tokens should be refreshed before use.
    pub fn needs_refresh(&self, now_ms: f64) -> bool {
        now_ms >= self.refresh_at()
    }

    /// Whether the access token has expired.
    pub fn expired(&self, now_ms: f64) -> bool {
        now_ms >= self.expires_at
    }

    fn writer(&self) -> ObjectWriter {
        ObjectWriter::new()
            .string("username", &self.username)
            .string("idToken", &self.id_token)
            .string("accessToken", &self.access_token)
            .raw("expiresAt", &(self.expires_at as u64).to_string())
    }

    /// What the host page sees (`event.detail`, `getSession()`), as JSON: no refresh token.
    pub fn host_json(&self) -> String {
        self.writer().finish()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        self.writer()
            .opt_string("refreshToken", self.refresh_token.as_deref())
            .raw("issuedAt", &(self.issued_at as u64).to_string())
            .finish()
    }

    /// A stored session, if it is readable and can still be used (or refreshed).
    pub fn from_json(json: &str, now_ms: f64) -> Option<Self> {
        let stored = Json::parse(json)?;
        let text = |key: &str| stored.str(key).map(str::to_owned);
        let time = |key: &str| stored.get(key).and_then(Json::as_i64).map(|ms| ms as f64);
        let session = Self {
            username: text("username")?,
            id_token: text("idToken")?,
            access_token: text("accessToken")?,
            refresh_token: text("refreshToken"),
            issued_at: time("issuedAt")?,
            expires_at: time("expiresAt")?,
        };
        (!session.expired(now_ms) || session.refresh_token.is_some()).then_some(session)
    }
}

/// The storage key of a client's session.
pub fn storage_key(client_id: &str) -> String {
    format!("cognate:{client_id}")
}

/// Reads, writes and clears the stored session (browser storage; nothing for `Memory`).
pub mod store {
    use super::{storage_key, Session, StorageKind};

    fn storage(kind: StorageKind) -> Option<web_sys::Storage> {
        let window = web_sys::window()?;
        match kind {
            StorageKind::Memory => None,
            StorageKind::Session => window.session_storage().ok().flatten(),
            StorageKind::Local => window.local_storage().ok().flatten(),
        }
    }

    /// The stored session of `client_id`, if any is usable.
    pub fn load(kind: StorageKind, client_id: &str, now_ms: f64) -> Option<Session> {
        let json = storage(kind)?.get_item(&storage_key(client_id)).ok()??;
        Session::from_json(&json, now_ms)
    }

    /// Stores (or, with `None`, removes) the session of `client_id`.
    pub fn save(kind: StorageKind, client_id: &str, session: Option<&Session>) {
        let Some(storage) = storage(kind) else { return };
        let key = storage_key(client_id);
        let _ = match session {
            Some(session) => storage.set_item(&key, &session.to_json()),
            None => storage.remove_item(&key),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    fn tokens(expires_in: i64, refresh: Option<&str>) -> Tokens {
        Tokens {
            id_token: format!("h.{}.s", URL_SAFE_NO_PAD.encode(r#"{"cognito:username":"alice"}"#)),
            access_token: "a.b.c".into(),
            refresh_token: refresh.map(str::to_owned),
            expires_in,
        }
    }

    #[test]
    fn an_hour_long_session_refreshes_five_minutes_early() {
        let session = Session::from_tokens(tokens(3600, Some("r")), 1_000.0, None).unwrap();
        assert_eq!(session.username, "alice");
        assert_eq!(session.expires_at, 3_601_000.0);
        assert_eq!(session.refresh_at(), 3_601_000.0 - 300_000.0);
        assert!(!session.needs_refresh(3_000_000.0));
        assert!(session.needs_refresh(3_301_000.0));
        assert!(!session.expired(3_600_999.0));
        assert!(session.expired(3_601_000.0));
    }

    #[test]
    fn short_sessions_refresh_at_half_time() {
        let session = Session::from_tokens(tokens(60, Some("r")), 0.0, None).unwrap();
        assert_eq!(session.refresh_at(), 30_000.0);
    }

    #[test]
    fn a_refresh_keeps_the_refresh_token() {
        let session = Session::from_tokens(tokens(3600, None), 0.0, Some("old".into())).unwrap();
        assert_eq!(session.refresh_token.as_deref(), Some("old"));
        let session = Session::from_tokens(tokens(3600, Some("new")), 0.0, Some("old".into())).unwrap();
        assert_eq!(session.refresh_token.as_deref(), Some("new"));
    }

    #[test]
    fn unreadable_id_tokens_give_no_session() {
        let mut bad = tokens(3600, None);
        bad.id_token = "garbage".into();
        assert!(Session::from_tokens(bad, 0.0, None).is_none());
    }

    #[test]
    fn stored_sessions_round_trip_while_usable() {
        let session = Session::from_tokens(tokens(3600, Some("r")), 0.0, None).unwrap();
        let json = session.to_json();
        assert_eq!(Session::from_json(&json, 10.0), Some(session.clone()));
        // Expired but refreshable: still restored, to be refreshed at once.
        assert!(Session::from_json(&json, 4_000_000.0).is_some());
        let no_refresh = Session::from_tokens(tokens(3600, None), 0.0, None).unwrap();
        assert!(Session::from_json(&no_refresh.to_json(), 4_000_000.0).is_none());
        assert!(Session::from_json("{}", 0.0).is_none());
    }

    #[test]
    fn the_host_never_sees_the_refresh_token_or_debug_tokens() {
        let session = Session::from_tokens(tokens(3600, Some("secret-refresh")), 0.0, None).unwrap();
        let host: serde_json::Value = serde_json::from_str(&session.host_json()).unwrap();
        assert_eq!(
            host,
            serde_json::json!({ "username": "alice", "idToken": session.id_token, "accessToken": "a.b.c",
                                "expiresAt": 3_600_000 })
        );
        assert!(!format!("{session:?}").contains("a.b.c"));
    }

    #[test]
    fn storage_kinds_parse() {
        assert_eq!(StorageKind::parse("memory"), Some(StorageKind::Memory));
        assert_eq!(StorageKind::parse("Local"), Some(StorageKind::Local));
        assert_eq!(StorageKind::parse("sessionStorage"), Some(StorageKind::Session));
        assert_eq!(StorageKind::parse("disk"), None);
        assert_eq!(storage_key("abc"), "cognate:abc");
    }
}
