//! Multi-factor authentication: TOTP ([`totp`]), which factors a pool offers and a user has
//! ([`factors`]), and the MFA challenges that follow a password proof ([`challenge`]).
//!
//! The pool's `MfaConfiguration` (OFF, OPTIONAL, ON) lives in its settings; the factors it
//! offers and each user's factors in the [`crate::store::MfaStore`]. With OPTIONAL, a user is
//! asked for a second factor only when they turned one on; with ON, always — a user without a
//! usable factor sets up an authenticator app first (MFA_SETUP).

pub mod challenge;
pub mod factors;
pub mod totp;
