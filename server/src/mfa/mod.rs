//! Multi-factor authentication: TOTP ([`totp`]) and which factors a pool offers and a user has
//! ([`factors`]). The MFA challenges of a sign-in are in [`crate::sign_in::mfa`].
//!
//! The pool's `MfaConfiguration` (OFF, OPTIONAL, ON) lives in its settings; the factors it
//! offers and each user's factors in the [`crate::store::MfaStore`]. With OPTIONAL, a user is
//! asked for a second factor only when they turned one on; with ON, always — a user without a
//! usable factor sets up an authenticator app first (MFA_SETUP).

pub mod factors;
pub mod totp;
