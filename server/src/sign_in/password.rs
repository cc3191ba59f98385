//! The password as first factor (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), and what every
//! password proof shares with SRP's: the refusals before a proof is looked at, and Cognito's
//! lockout — after [`FREE_ATTEMPTS`] wrong passwords, each further attempt is refused for a
//! doubling delay, up to [`MAX_LOCKOUT`] seconds.

use std::collections::BTreeMap;

use cognate_protocol::auth::AuthResponse;
use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::UserStatus;

use super::next_step::{next_step, Proven};
use super::{required_parameter, Context};
use crate::error::{ApiError, ApiResult};
use crate::password;
use crate::store::User;
use crate::user_pool::{check_secret_hash, hides_user_existence, identity};

/// Failed password attempts allowed before the lockout delays start.
pub const FREE_ATTEMPTS: i64 = 5;
/// The longest lockout delay, in seconds.
pub const MAX_LOCKOUT: i64 = 900;

/// Signs in with USERNAME and PASSWORD.
pub async fn sign_in(ctx: &Context<'_>, parameters: &BTreeMap<String, String>) -> ApiResult<AuthResponse> {
    let username = required_parameter(parameters, "USERNAME")?;
    let password = required_parameter(parameters, "PASSWORD")?;
    check_secret_hash(ctx.client, username, parameters.get("SECRET_HASH").map(String::as_str))?;
    let Some(mut user) = identity::find_user(ctx.state, ctx.pool, username).await? else {
        password::verify(&ctx.state.work, password, None).await?;
        return Err(if hides_user_existence(ctx.client) {
            ApiError::bad_credentials()
        } else {
            ApiError::user_not_found()
        });
    };
    if let Some(refusal) = refusal_before_proof(ctx, &user) {
        // The same work as a password check, whatever was typed: a locked account takes as
        // long to answer as any other.
        password::verify(&ctx.state.work, password, None).await?;
        return Err(refusal);
    }
    let verified = password::verify(&ctx.state.work, password, user.password_hash.as_deref()).await?;
    if let (true, Some(old)) = (verified, &user.password_hash) {
        if password::needs_rehash(old) {
            // Hashed at an older cost: store a hash at today's, now that the password is known.
            let new = password::hash(&ctx.state.work, password).await?;
            ctx.state
                .store
                .upgrade_password_hash(&user.pool_id, &user.sub, old, &new)
                .await?;
            user.password_hash = Some(new);
        }
    }
    if let (true, None, Some(hash)) = (verified, &user.srp, &user.password_hash) {
        // A password set before SRP verifiers were kept: keep one now, so USER_SRP_AUTH works.
        let srp = password::srp_credentials(ctx.state, &user, password).await?;
        ctx.state
            .store
            .add_srp_credentials(&user.pool_id, &user.sub, hash, &srp)
            .await?;
        user.srp = Some(srp);
    }
    let user = count_proof(ctx, user, verified).await?;
    next_step(
        ctx,
        &user,
        parameters.get("DEVICE_KEY").map(String::as_str),
        Proven::Password,
    )
    .await
}

/// Refusals before any password proof is looked at: a locked-out user, and an imported user
/// without a password (who must reset it first, whatever was typed).
pub fn refusal_before_proof(ctx: &Context<'_>, user: &User) -> Option<ApiError> {
    if user.locked_until > ctx.now() {
        return Some(attempts_exceeded(ctx));
    }
    if user.status == UserStatus::ResetRequired && user.password_hash.is_none() {
        return Some(password_reset_required());
    }
    None
}

/// The refusal of a locked-out user: Cognito's "Password attempts exceeded", except where the
/// client hides which users exist — there a locked account answers as a wrong password does.
fn attempts_exceeded(ctx: &Context<'_>) -> ApiError {
    if hides_user_existence(ctx.client) {
        ApiError::bad_credentials()
    } else {
        ApiError::not_authorized("Password attempts exceeded")
    }
}

/// Cognito's refusal of a user who must reset their password.
pub fn password_reset_required() -> ApiError {
    ApiError::new(ErrorCode::PasswordResetRequired, "Password reset required for the user")
}

/// Counts a password proof: a wrong one towards the lockout (the refusal is returned), a right
/// one clears the count. Returns the user as signed in.
///
/// Each wrong proof is counted by one statement of its own, so parallel wrong passwords count
/// one each, and nothing here writes the rest of the user back: a proof checked against a
/// password that an admin or a reset has meanwhile replaced cannot undo that change.
pub async fn count_proof(ctx: &Context<'_>, mut user: User, verified: bool) -> ApiResult<User> {
    let store = &ctx.state.store;
    if !verified {
        let failed = store.add_failed_password(&user.pool_id, &user.sub).await?;
        if let Some(delay) = lockout_delay(failed) {
            store
                .lock_out_until(&user.pool_id, &user.sub, ctx.now() + delay)
                .await?;
        }
        return Err(if failed > FREE_ATTEMPTS {
            attempts_exceeded(ctx)
        } else {
            ApiError::bad_credentials()
        });
    }
    if user.failed_attempts != 0 || user.locked_until != 0 {
        store
            .clear_failed_passwords(&user.pool_id, &user.sub, user.password_hash.as_deref())
            .await?;
        user.failed_attempts = 0;
        user.locked_until = 0;
    }
    Ok(user)
}

/// How long the `failed`-th wrong password locks the user out, in seconds: nothing for the
/// first [`FREE_ATTEMPTS`] - 1, then a delay doubling from one second up to [`MAX_LOCKOUT`].
pub fn lockout_delay(failed: i64) -> Option<i64> {
    if failed < FREE_ATTEMPTS {
        return None;
    }
    let exponent = (failed - FREE_ATTEMPTS).min(10) as u32;
    Some((1i64 << exponent).min(MAX_LOCKOUT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lockout_doubles_from_the_fifth_wrong_password_up_to_its_cap() {
        assert_eq!(lockout_delay(FREE_ATTEMPTS - 1), None);
        assert_eq!(lockout_delay(FREE_ATTEMPTS), Some(1));
        assert_eq!(lockout_delay(FREE_ATTEMPTS + 3), Some(8));
        assert_eq!(lockout_delay(FREE_ATTEMPTS + 30), Some(MAX_LOCKOUT));
    }
}
