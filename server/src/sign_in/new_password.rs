//! NEW_PASSWORD_REQUIRED: a user signing in with a temporary password chooses a new one (and
//! gives the required attributes the pool has and they lack).

use std::collections::BTreeMap;

use cognate_protocol::auth::AuthResponse;
use cognate_protocol::user::{AttributeType, UserStatus};

use super::challenge::{ChallengeSession, ChallengeState};
use super::next_step::{next_step, Proven};
use super::{required_parameter, session, Context};
use crate::error::ApiResult;
use crate::password;
use crate::store::User;
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::{check_password, identity};

/// Opens NEW_PASSWORD_REQUIRED with the user's attributes and the required ones missing.
pub async fn open(ctx: &Context<'_>, user: &User, device_key: Option<&str>) -> ApiResult<AuthResponse> {
    let shown: BTreeMap<&String, &String> = user
        .attributes
        .iter()
        .filter(|(k, _)| !k.ends_with("_verified"))
        .collect();
    let missing: Vec<String> = attributes::required(ctx.pool)
        .into_iter()
        .filter(|name| user.attributes.get(name).is_none_or(|v| v.is_empty()))
        .map(|name| format!("userAttributes.{name}"))
        .collect();
    let parameters = BTreeMap::from([
        ("USER_ID_FOR_SRP".to_owned(), user.username.clone()),
        (
            "requiredAttributes".to_owned(),
            serde_json::to_string(&missing).unwrap_or_else(|_| "[]".into()),
        ),
        (
            "userAttributes".to_owned(),
            serde_json::to_string(&shown).unwrap_or_else(|_| "{}".into()),
        ),
    ]);
    session::open(
        ctx,
        &user.sub,
        device_key,
        ChallengeState::NewPasswordRequired,
        parameters,
    )
    .await
}

/// Answers NEW_PASSWORD_REQUIRED: a refused password or attribute leaves the challenge open for
/// another try.
pub async fn answer(
    ctx: &Context<'_>,
    challenge: ChallengeSession,
    mut user: User,
    responses: &BTreeMap<String, String>,
) -> ApiResult<AuthResponse> {
    if let Err(err) = set_new_password(ctx, responses, &mut user).await {
        return session::retry(ctx.state, &challenge, err).await;
    }
    let device_key = challenge
        .device_key
        .as_deref()
        .or(responses.get("DEVICE_KEY").map(String::as_str));
    next_step(ctx, &user, device_key, Proven::NewPassword).await
}

async fn set_new_password(ctx: &Context<'_>, responses: &BTreeMap<String, String>, user: &mut User) -> ApiResult<()> {
    let new_password = required_parameter(responses, "NEW_PASSWORD")?;
    check_password(ctx.pool, new_password)?;
    let given: Vec<AttributeType> = responses
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("userAttributes.")
                .map(|name| AttributeType::new(name, v.clone()))
        })
        .collect();
    let updates = attributes::validate(ctx.pool, &given, Writer::User)?;
    let mut merged = user.attributes.clone();
    merged.extend(updates);
    attributes::check_required(ctx.pool, &merged)?;
    user.attributes = merged;
    password::set(ctx.state, user, new_password).await?;
    user.status = UserStatus::Confirmed;
    user.password_expires_at = None;
    user.updated_at = ctx.now();
    identity::refresh_sign_in_keys(ctx.pool, user);
    identity::save(ctx.state, user).await
}
