//! Sign-in: the one stepped process every way of signing in goes through.
//!
//! Sign-in is a stepped process. A first factor ([`password`]: USER_PASSWORD_AUTH and
//! ADMIN_USER_PASSWORD_AUTH; [`srp`]: USER_SRP_AUTH's PASSWORD_VERIFIER) proves who the user is;
//! then [`next_step`] decides, after every factor, what is still missing — a new password
//! ([`new_password`]), the proof of a remembered device ([`device`]), a second factor ([`mfa`]) —
//! or issues the tokens. Each missing step is an open challenge: a single-use, expiring
//! [`challenge::ChallengeSession`] whose typed [`challenge::ChallengeState`] says what it waits
//! for, opened and taken only through [`session`]. [`flow`] is the entry: it starts a sign-in
//! for an `AuthFlow` and routes each answer to the step its stored state names.
//!
//! The `api/` operations (InitiateAuth, RespondToAuthChallenge and their admin forms) are thin
//! adapters over [`flow`]. Refresh tokens are not a sign-in step: see [`crate::token::refresh`].

pub mod challenge;
pub mod device;
pub mod flow;
pub mod mfa;
pub mod new_password;
pub mod next_step;
pub mod password;
pub mod session;
pub mod srp;

use std::collections::BTreeMap;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::{AppClient, UserPool};

/// Who sent the request, as the server knows it: passed from the HTTP layer to the steps that
/// record or depend on it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// The client's address (`X-Forwarded-For`'s first entry), recorded on devices.
    pub ip: Option<String>,
    /// The app client whose hosted page sent the request, proven by the ticket the server
    /// issued to that page ([`crate::oauth::hosted::hosted_client`]).
    pub hosted_client: Option<String>,
}

/// What every step of one sign-in works with: the server, the pool, the app client and the
/// caller.
pub struct Context<'a> {
    pub state: &'a AppState,
    pub pool: &'a UserPool,
    pub client: &'a AppClient,
    pub caller: &'a Caller,
}

impl<'a> Context<'a> {
    pub fn new(state: &'a AppState, pool: &'a UserPool, client: &'a AppClient, caller: &'a Caller) -> Self {
        Context {
            state,
            pool,
            client,
            caller,
        }
    }

    /// The current time.
    pub fn now(&self) -> i64 {
        self.state.clock.now()
    }
}

/// A parameter the step cannot go without (present and not empty).
pub fn required_parameter<'a>(parameters: &'a BTreeMap<String, String>, name: &str) -> ApiResult<&'a str> {
    parameters
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter(format!("Missing required parameter {name}")))
}
