//! One-time codes: sign-up confirmation (valid 24 h), password reset (1 h) and attribute
//! verification (24 h). Six digits from the CSPRNG, stored hashed, one live code per user and
//! purpose, consumed by the first right answer, thrown away after five wrong ones.

use cognate_protocol::error::ErrorCode;
use cognate_protocol::user::CodeDeliveryDetails;

use crate::delivery::{fill_template, mask, Medium, Message};
use crate::error::{ApiError, ApiResult};
use crate::one_time_code::{code_matches, hash_code, new_code};
use crate::state::AppState;
use crate::store::{CodePurpose, OneTimeCode, User, UserPool};

/// Wrong answers allowed before a code is discarded.
pub const MAX_ATTEMPTS: i64 = 5;

/// Where a code goes: which attribute, by which medium, to which address.
#[derive(Debug, Clone)]
pub struct Destination {
    pub attribute: &'static str,
    pub medium: Medium,
    pub address: String,
}

impl Destination {
    /// The user's email, if any.
    pub fn email(user: &User) -> Option<Self> {
        user.attributes
            .get("email")
            .filter(|v| !v.is_empty())
            .map(|address| Destination {
                attribute: "email",
                medium: Medium::Email,
                address: address.clone(),
            })
    }

    /// The user's phone number, if any.
    pub fn phone(user: &User) -> Option<Self> {
        user.attributes
            .get("phone_number")
            .filter(|v| !v.is_empty())
            .map(|address| Destination {
                attribute: "phone_number",
                medium: Medium::Sms,
                address: address.clone(),
            })
    }

    /// Where the sign-up code goes: the first auto-verified attribute the user has.
    pub fn for_sign_up(pool: &UserPool, user: &User) -> Option<Self> {
        let auto = &pool.settings.auto_verified_attributes;
        let email = auto.iter().any(|a| a == "email").then(|| Self::email(user)).flatten();
        email.or_else(|| {
            auto.iter()
                .any(|a| a == "phone_number")
                .then(|| Self::phone(user))
                .flatten()
        })
    }

    /// Where a reset code goes: a verified email, else a verified phone number.
    pub fn for_reset(user: &User) -> Option<Self> {
        let verified = |flag: &str| user.attributes.get(flag).is_some_and(|v| v == "true");
        let email = verified("email_verified").then(|| Self::email(user)).flatten();
        email.or_else(|| verified("phone_number_verified").then(|| Self::phone(user)).flatten())
    }

    /// What the API tells the client about this destination.
    pub fn details(&self) -> CodeDeliveryDetails {
        CodeDeliveryDetails {
            destination: mask(self.medium, &self.address),
            delivery_medium: self.medium.as_str().to_owned(),
            attribute_name: self.attribute.to_owned(),
        }
    }
}

fn lifetime(purpose: CodePurpose) -> i64 {
    match purpose {
        CodePurpose::ResetPassword => 3600,
        _ => 24 * 3600,
    }
}

/// The subject and body of a code message, from the pool's templates.
fn compose(pool: &UserPool, medium: Medium, code: &str, username: &str) -> (String, String) {
    let settings = &pool.settings;
    let template = settings.verification_message_template.as_ref();
    match medium {
        Medium::Email => {
            let subject = template
                .and_then(|t| t.email_subject.clone())
                .or_else(|| settings.email_verification_subject.clone())
                .unwrap_or_else(|| "Your verification code".to_owned());
            let body = template
                .and_then(|t| t.email_message.clone())
                .or_else(|| settings.email_verification_message.clone())
                .unwrap_or_else(|| "Your verification code is {####}. ".to_owned());
            (subject, fill_template(&body, code, username))
        }
        Medium::Sms => {
            let body = template
                .and_then(|t| t.sms_message.clone())
                .or_else(|| settings.sms_verification_message.clone())
                .unwrap_or_else(|| "Your verification code is {####}. ".to_owned());
            (String::new(), fill_template(&body, code, username))
        }
    }
}

/// Creates a code for `purpose`, replacing any earlier one, and sends it.
pub async fn send(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    purpose: CodePurpose,
    destination: &Destination,
) -> ApiResult<CodeDeliveryDetails> {
    let code = new_code();
    let stored = OneTimeCode {
        code_hash: hash_code(&code),
        expires_at: state.clock.now() + lifetime(purpose),
        attempts: 0,
    };
    state.store.put_code(&pool.id, &user.sub, purpose, &stored).await?;
    let (subject, body) = compose(pool, destination.medium, &code, &user.username);
    deliver(state, pool, user, destination, subject, body).await?;
    Ok(destination.details())
}

/// Sends a message, mapping failure to `CodeDeliveryFailureException`.
pub async fn deliver(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    destination: &Destination,
    subject: String,
    body: String,
) -> ApiResult<()> {
    let message = Message {
        pool_id: pool.id.clone(),
        medium: destination.medium,
        recipient: destination.address.clone(),
        username: user.username.clone(),
        subject,
        body,
    };
    state.sender.send(message).await.map_err(|err| {
        tracing::warn!(error = %err, medium = destination.medium.as_str(), "delivery failed");
        ApiError::new(
            ErrorCode::CodeDeliveryFailure,
            format!("Unable to deliver the code by {}.", destination.medium.as_str()),
        )
    })
}

/// The error for a wrong code.
pub fn mismatch() -> ApiError {
    ApiError::new(
        ErrorCode::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

/// Checks and consumes a code. Exactly one right answer succeeds; an expired code or too many
/// wrong answers require a new code. Every look at the code, right or wrong, is claimed first
/// in one statement ([`crate::store::CodeStore::claim_code_attempt`]), so a parallel burst of
/// guesses gets [`MAX_ATTEMPTS`] looks in all, never more.
pub async fn consume(
    state: &AppState,
    pool: &UserPool,
    user: &User,
    purpose: CodePurpose,
    code: &str,
) -> ApiResult<()> {
    let store = &state.store;
    let Some(stored) = store
        .claim_code_attempt(&pool.id, &user.sub, purpose, MAX_ATTEMPTS)
        .await?
    else {
        if store.get_code(&pool.id, &user.sub, purpose).await?.is_some() {
            // There is a code, but its attempts are used up: only a new code helps.
            return Err(ApiError::new(
                ErrorCode::LimitExceeded,
                "Attempt limit exceeded, please try after some time.",
            ));
        }
        return Err(mismatch());
    };
    if stored.expires_at <= state.clock.now() {
        return Err(ApiError::new(
            ErrorCode::ExpiredCode,
            "Invalid code provided, please request a code again.",
        ));
    }
    if !code_matches(code.trim(), &stored.code_hash) {
        return Err(mismatch());
    }
    if !store.take_code(&pool.id, &user.sub, purpose).await? {
        return Err(mismatch());
    }
    Ok(())
}
