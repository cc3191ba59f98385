//! Messages in the user's language.
//!
//! Every text the widget shows is a [`Msg`]; its English wording is compiled in (the default
//! locale costs no request), every other language is a JSON catalogue `i18n/<lang>.json` next to
//! the widget's assets, fetched on demand and keyed by [`Msg::key`]. A test checks that every
//! catalogue has exactly the keys of [`Msg::ALL`], so a missing translation fails `cargo test`.
//!
//! The locale comes from the `locale` attribute, else from the browser's languages
//! ([`negotiate`]); right-to-left languages set `dir="rtl"` on the widget.

macro_rules! messages {
    ($($variant:ident = $key:literal => $en:literal,)*) => {
        /// One message the widget can show.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($variant,)* }

        /// Keys and English texts as tables indexed by the variant (less wasm than a `match`).
        const KEYS: &[&str] = &[$($key,)*];
        const ENGLISH: &[&str] = &[$($en,)*];

        impl Msg {
            /// Every message, in catalogue order.
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// The catalogue key.
            pub fn key(self) -> &'static str {
                KEYS[self as usize]
            }

            /// The English text.
            pub fn english(self) -> &'static str {
                ENGLISH[self as usize]
            }
        }
    };
}

messages! {
    SignInTitle = "sign_in.title" => "Sign in",
    SignInSubmit = "sign_in.submit" => "Sign in",
    SignInBusy = "sign_in.busy" => "Signing in\u{2026}",
    SignUpTitle = "sign_up.title" => "Create an account",
    SignUpSubmit = "sign_up.submit" => "Create account",
    SignUpBusy = "sign_up.busy" => "Creating account\u{2026}",
    ConfirmTitle = "confirm.title" => "Confirm your account",
    CodeSentTo = "confirm.sent_to" => "We sent a code to {destination}.",
    CodeSent = "confirm.sent" => "We sent you a code.",
    ConfirmSubmit = "confirm.submit" => "Confirm",
    ConfirmBusy = "confirm.busy" => "Confirming\u{2026}",
    Resend = "confirm.resend" => "Resend code",
    ResendWait = "confirm.resend_wait" => "Resend code in {seconds} s",
    Resent = "confirm.resent" => "A new code is on its way.",
    ForgotTitle = "forgot.title" => "Reset your password",
    ForgotIntro = "forgot.intro" => "Enter your username and we will send you a code to reset your password.",
    ForgotSubmit = "forgot.submit" => "Send code",
    SendBusy = "forgot.busy" => "Sending\u{2026}",
    ResetTitle = "reset.title" => "Choose a new password",
    ResetSubmit = "reset.submit" => "Change password",
    SaveBusy = "reset.busy" => "Saving\u{2026}",
    NewPasswordTitle = "new_password.title" => "Set a new password",
    NewPasswordIntro = "new_password.intro" => "Your account needs a new password before you can continue.",
    NewPasswordSubmit = "new_password.submit" => "Set password",
    SignedInTitle = "signed_in.title" => "You are signed in",
    SignedInAs = "signed_in.as" => "Signed in as {username}",
    SignOut = "signed_in.sign_out" => "Sign out",
    SignOutBusy = "signed_in.busy" => "Signing out\u{2026}",
    LinkSignUp = "link.sign_up" => "Create an account",
    LinkSignIn = "link.sign_in" => "Back to sign in",
    LinkForgot = "link.forgot" => "Forgot your password?",
    Confirmed = "notice.confirmed" => "Your account is confirmed. You can sign in now.",
    PasswordChanged = "notice.password_changed" => "Your password was changed. You can sign in now.",
    SignedOut = "notice.signed_out" => "You have signed out.",
    NotConfirmed = "notice.not_confirmed" => "Your account is not confirmed yet. Enter the code we sent you.",
    FieldUsername = "field.username" => "Username",
    FieldPassword = "field.password" => "Password",
    FieldNewPassword = "field.new_password" => "New password",
    FieldCode = "field.code" => "Code",
    FieldEmail = "field.email" => "Email",
    FieldPhone = "field.phone_number" => "Phone number",
    FieldName = "field.name" => "Name",
    ShowPassword = "field.show_password" => "Show password",
    RulesTitle = "rules.title" => "Your password needs",
    RuleLength = "rules.length" => "at least {n} characters",
    RuleLower = "rules.lowercase" => "a lowercase letter",
    RuleUpper = "rules.uppercase" => "an uppercase letter",
    RuleNumber = "rules.number" => "a number",
    RuleSymbol = "rules.symbol" => "a symbol",
    RuleMet = "rules.met" => "done",
    RuleUnmet = "rules.unmet" => "missing",
    ErrCredentials = "error.credentials" => "Incorrect username or password.",
    ErrLocked = "error.locked" => "Too many failed attempts. Wait a while, then try again.",
    ErrUsernameExists = "error.username_exists" => "This username is already taken.",
    ErrAliasExists = "error.alias_exists" => "An account with this email already exists.",
    ErrPasswordPolicy = "error.password_policy" => "This password does not meet the requirements.",
    ErrCodeMismatch = "error.code_mismatch" => "That code is not right. Check it and try again.",
    ErrCodeExpired = "error.code_expired" => "That code has expired. Request a new one.",
    ErrTooMany = "error.too_many" => "Too many requests. Wait a moment, then try again.",
    ErrInvalid = "error.invalid" => "Check the details you entered.",
    ErrUserNotFound = "error.user_not_found" => "There is no account with this username.",
    ErrResetRequired = "error.reset_required" => "You need to reset your password before you can sign in.",
    ErrSessionExpired = "error.session_expired" => "This step took too long. Sign in again.",
    ErrNetwork = "error.network" => "Could not reach the sign-in service. Check your connection and try again.",
    ErrUnexpected = "error.unexpected" => "Something went wrong. Try again.",
    ErrUnsupported = "error.unsupported" => "Your account needs a sign-in step this page does not support yet.",
    ErrRequired = "error.required" => "Fill in this field.",
    MfaTitle = "mfa.title" => "Verify it's you",
    MfaTotpIntro = "mfa.totp_intro" => "Enter the code from your authenticator app.",
    MfaChoose = "mfa.choose" => "How do you want to verify your sign-in?",
    MfaTotp = "mfa.totp" => "Authenticator app",
    MfaEmail = "mfa.email" => "Email code",
    MfaSms = "mfa.sms" => "Text message code",
    MfaSetupTitle = "mfa.setup_title" => "Set up an authenticator app",
    MfaSetupIntro = "mfa.setup_intro" => "Your account needs a second step at sign-in. Add it to your authenticator app, then enter the code it shows.",
    Security = "signed_in.security" => "Sign-in security",
}

/// The languages with a catalogue (English is built in). `ar` is right-to-left.
pub const LANGUAGES: &[&str] = &["en", "ar", "de", "es", "fr", "it", "ja", "nl", "pt", "zh"];

/// Languages written right to left.
const RTL: &[&str] = &["ar", "he", "fa", "ur"];

/// The texts of one language: English, or a catalogue with English as the fallback.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    /// The language tag (`en`, `ar`, …).
    pub lang: String,
    /// `(key, text)` pairs; a list, not a map: a handful of lookups per screen, and a map's
    /// code costs more wasm than the search costs time.
    texts: Vec<(String, String)>,
}

impl Catalogue {
    /// The built-in English texts.
    pub fn english() -> Self {
        Self {
            lang: "en".to_owned(),
            texts: Vec::new(),
        }
    }

    /// A catalogue from its JSON object (`{"sign_in.title": "…", …}`).
    pub fn from_json(lang: &str, json: &str) -> Option<Self> {
        match crate::json::Json::parse(json)? {
            object @ crate::json::Json::Object(_) => Some(Self {
                lang: lang.to_owned(),
                texts: object.string_members(),
            }),
            _ => None,
        }
    }

    /// The text of `msg`, English when the catalogue lacks it.
    pub fn get(&self, msg: Msg) -> &str {
        let key = msg.key();
        self.texts
            .iter()
            .find(|(k, _)| k == key)
            .map_or(msg.english(), |(_, text)| text.as_str())
    }

    /// The text of `msg` with `{name}` replaced by `value`.
    pub fn fill(&self, msg: Msg, name: &str, value: &str) -> String {
        self.get(msg).replace(&format!("{{{name}}}"), value)
    }

    /// `rtl` or `ltr`, for the widget's `dir` attribute.
    pub fn dir(&self) -> &'static str {
        if RTL.contains(&self.lang.as_str()) {
            "rtl"
        } else {
            "ltr"
        }
    }
}

/// Picks the first requested language (BCP 47 tags, in preference order) that has a catalogue,
/// matching on the primary subtag (`pt-BR` → `pt`); English when none does.
pub fn negotiate<'a>(requested: impl IntoIterator<Item = &'a str>) -> &'static str {
    for tag in requested {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if let Some(lang) = LANGUAGES.iter().find(|lang| **lang == primary) {
            return lang;
        }
    }
    "en"
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .map(|(name, _)| name.to_owned())
            .collect()
    }

    #[test]
    fn every_catalogue_has_every_key_and_no_other() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
        let keys: BTreeSet<&str> = Msg::ALL.iter().map(|msg| msg.key()).collect();
        assert_eq!(keys.len(), Msg::ALL.len(), "duplicate keys");
        for lang in LANGUAGES.iter().filter(|lang| **lang != "en") {
            let path = dir.join(format!("{lang}.json"));
            let json = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            let texts: BTreeMap<String, String> = serde_json::from_str(&json).expect("a JSON object of strings");
            let found: BTreeSet<&str> = texts.keys().map(String::as_str).collect();
            let missing: Vec<_> = keys.difference(&found).collect();
            let extra: Vec<_> = found.difference(&keys).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, unknown {extra:?}"
            );
            for msg in Msg::ALL {
                let text = &texts[msg.key()];
                assert!(!text.trim().is_empty(), "{lang}: {} is empty", msg.key());
                assert_eq!(
                    placeholders(text),
                    placeholders(msg.english()),
                    "{lang}: {} placeholders",
                    msg.key()
                );
            }
        }
        let files = std::fs::read_dir(&dir).expect("i18n/").count();
        assert_eq!(files, LANGUAGES.len() - 1, "a catalogue per language but English");
    }

    #[test]
    fn at_least_ten_languages_one_right_to_left() {
        assert!(LANGUAGES.len() >= 10);
        assert!(LANGUAGES.iter().any(|lang| RTL.contains(lang)));
    }

    #[test]
    fn negotiation_matches_primary_subtags() {
        assert_eq!(negotiate(["pt-BR", "en"]), "pt");
        assert_eq!(negotiate(["sv", "de-AT"]), "de");
        assert_eq!(negotiate(["AR"]), "ar");
        assert_eq!(negotiate(["sv"]), "en");
        assert_eq!(negotiate([]), "en");
    }

    #[test]
    fn lookups_fall_back_to_english_and_fill_placeholders() {
        let catalogue = Catalogue::from_json("ar", r#"{"sign_in.title":"تسجيل الدخول"}"#).unwrap();
        assert_eq!(catalogue.get(Msg::SignInTitle), "تسجيل الدخول");
        assert_eq!(catalogue.get(Msg::SignOut), "Sign out");
        assert_eq!(catalogue.dir(), "rtl");
        assert_eq!(Catalogue::english().dir(), "ltr");
        assert_eq!(
            Catalogue::english().fill(Msg::SignedInAs, "username", "alice"),
            "Signed in as alice"
        );
        assert!(Catalogue::from_json("de", "[1]").is_none());
    }
}
