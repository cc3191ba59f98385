//! The second factors: what a pool offers, what a user turned on and prefers, and how
//! `GetUser` reports them.

use cognate_protocol::auth::ChallengeName;
use cognate_protocol::mfa::{MfaFactorsConfig, MfaOption, UserMfaFields, MFA_OFF, MFA_ON, MFA_OPTIONAL};

use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::{User, UserMfa, UserPool};

/// A second factor, named after its challenge (and stored under that name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Factor {
    #[serde(rename = "SOFTWARE_TOKEN_MFA")]
    SoftwareToken,
    #[serde(rename = "SMS_MFA")]
    Sms,
    #[serde(rename = "EMAIL_OTP")]
    Email,
}

impl Factor {
    /// In the order Cognito lists them.
    pub const ALL: [Factor; 3] = [Factor::Sms, Factor::SoftwareToken, Factor::Email];

    /// The challenge name, also the name in `UserMFASettingList` and `MFAS_CAN_CHOOSE`.
    pub fn challenge(self) -> ChallengeName {
        match self {
            Factor::SoftwareToken => ChallengeName::SoftwareTokenMfa,
            Factor::Sms => ChallengeName::SmsMfa,
            Factor::Email => ChallengeName::EmailOtp,
        }
    }

    pub fn as_str(self) -> &'static str {
        self.challenge().as_str()
    }

    pub fn parse(name: &str) -> Option<Self> {
        Factor::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Whether the user turned this factor on.
    pub fn enabled_for(self, mfa: &UserMfa) -> bool {
        match self {
            Factor::SoftwareToken => mfa.totp_enabled && mfa.totp_secret.is_some(),
            Factor::Sms => mfa.sms_enabled,
            Factor::Email => mfa.email_enabled,
        }
    }

    /// Whether the user has where this factor's code goes (and, when `verified`, it is verified).
    pub fn reachable(self, user: &User, verified: bool) -> bool {
        let has = |name: &str| user.attributes.get(name).is_some_and(|v| !v.is_empty());
        let checked = |name: &str| !verified || user.attributes.get(name).is_some_and(|v| v == "true");
        match self {
            Factor::SoftwareToken => true,
            Factor::Sms => has("phone_number") && checked("phone_number_verified"),
            Factor::Email => has("email") && checked("email_verified"),
        }
    }
}

/// The pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Off,
    Optional,
    On,
}

impl Mode {
    pub fn of(pool: &UserPool) -> Self {
        match pool.settings.mfa_configuration.as_deref() {
            Some(MFA_ON) => Mode::On,
            Some(MFA_OPTIONAL) => Mode::Optional,
            _ => Mode::Off,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => MFA_OFF,
            Mode::Optional => MFA_OPTIONAL,
            Mode::On => MFA_ON,
        }
    }
}

/// The factors a pool offers. A pool that turned MFA on without `SetUserPoolMfaConfig` (with
/// `CreateUserPool`'s `MfaConfiguration`) offers SMS, as Cognito's SMS-only MFA did.
pub async fn pool_factors(state: &AppState, pool: &UserPool) -> ApiResult<MfaFactorsConfig> {
    Ok(match state.store.get_pool_mfa(&pool.id).await? {
        Some(factors) => factors,
        None if Mode::of(pool) != Mode::Off => MfaFactorsConfig {
            sms_mfa_configuration: Some(Default::default()),
            ..Default::default()
        },
        None => MfaFactorsConfig::default(),
    })
}

/// Whether the pool offers `factor`.
pub fn offers(factors: &MfaFactorsConfig, factor: Factor) -> bool {
    match factor {
        Factor::SoftwareToken => factors
            .software_token_mfa_configuration
            .as_ref()
            .is_some_and(|c| c.enabled),
        Factor::Sms => factors.sms_mfa_configuration.is_some(),
        Factor::Email => factors.email_mfa_configuration.is_some(),
    }
}

/// The MFA fields of `GetUser` / `AdminGetUser`.
pub async fn user_fields(state: &AppState, user: &User) -> ApiResult<UserMfaFields> {
    let mfa = state.store.get_user_mfa(&user.pool_id, &user.sub).await?;
    let enabled: Vec<Factor> = Factor::ALL.into_iter().filter(|f| f.enabled_for(&mfa)).collect();
    let preferred = mfa
        .preferred
        .filter(|p| enabled.contains(p))
        .map(|p| p.as_str().to_owned());
    let list: Vec<String> = enabled.iter().map(|f| f.as_str().to_owned()).collect();
    let mfa_options = if mfa.sms_enabled {
        vec![MfaOption {
            delivery_medium: "SMS".into(),
            attribute_name: "phone_number".into(),
        }]
    } else {
        Vec::new()
    };
    Ok(UserMfaFields {
        mfa_options,
        preferred_mfa_setting: preferred,
        user_mfa_setting_list: list,
    })
}
