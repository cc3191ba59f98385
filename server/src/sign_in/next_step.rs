//! The one decision after any factor: what the sign-in still needs, or its tokens.
//!
//! After a password proof (by password or SRP): a disabled, unconfirmed or reset-bound user is
//! refused, a temporary password asks for a new one. After the password (or the new one): a
//! remembered device proves itself in place of MFA when the pool says so, else the second
//! factor the pool and the user's factors call for. After the second factor or the device's
//! proof: tokens.

use cognate_protocol::auth::AuthResponse;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::UserStatus;

use super::password::password_reset_required;
use super::{device, mfa, new_password, Context};
use crate::error::{ApiError, ApiResult};
use crate::store::User;

/// What a sign-in has proven so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proven {
    /// The user's password (or its SRP proof).
    Password,
    /// A new password in place of a temporary one.
    NewPassword,
    /// A second factor, or a remembered device's proof.
    SecondFactor,
}

/// Decides the next step of a sign-in through `device_key` after `proven`.
pub async fn next_step(
    ctx: &Context<'_>,
    user: &User,
    device_key: Option<&str>,
    proven: Proven,
) -> ApiResult<AuthResponse> {
    if proven == Proven::Password {
        if !user.enabled {
            return Err(ApiError::not_authorized("User is disabled."));
        }
        match user.status {
            UserStatus::Unconfirmed => {
                return Err(ApiError::new(ErrorCode::UserNotConfirmed, "User is not confirmed."));
            }
            UserStatus::ResetRequired => return Err(password_reset_required()),
            UserStatus::ForceChangePassword => {
                if user.password_expires_at.is_some_and(|t| t <= ctx.now()) {
                    return Err(ApiError::not_authorized(
                        "Temporary password has expired and must be reset by an administrator.",
                    ));
                }
                return new_password::open(ctx, user, device_key).await;
            }
            _ => {}
        }
    }
    if proven != Proven::SecondFactor {
        if let Some(challenge) = device::challenge_for(ctx, user, device_key).await? {
            return Ok(challenge);
        }
        if let Some(challenge) = mfa::challenge_for(ctx, user, device_key).await? {
            return Ok(challenge);
        }
    }
    tokens(ctx, user, device_key).await
}

/// The tokens of a finished sign-in (with the device it went through, or a new one).
async fn tokens(ctx: &Context<'_>, user: &User, device_key: Option<&str>) -> ApiResult<AuthResponse> {
    let result = crate::device::finish_sign_in(ctx, user, device_key).await?;
    Ok(AuthResponse {
        authentication_result: Some(result),
        ..Default::default()
    })
}
