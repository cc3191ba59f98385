//! The password rules shown as the user types: `protocol/`'s [`PasswordPolicy`] rules, in its
//! order, with one difference in where the letter classes come from.
//!
//! Whether a password has a lowercase or an uppercase letter is Unicode's `Lowercase` and
//! `Uppercase` properties, as in `char::is_lowercase`; in the browser the widget asks the page's
//! own Unicode tables (`/\p{Lowercase}/u`) instead of linking Rust's, which would add about
//! 1.4 KB to the compressed wasm. The server checks again with the protocol's code: this list
//! is guidance, the server's answer is the rule.

use cognate_protocol::password_policy::{PasswordPolicy, PasswordRule, SYMBOLS};

/// The rules `password` breaks, given whether it has a lowercase and an uppercase letter.
pub fn unmet_rules(policy: &PasswordPolicy, password: &str, has_lower: bool, has_upper: bool) -> Vec<PasswordRule> {
    let mut unmet = Vec::new();
    if (password.chars().count() as u32) < policy.minimum_length {
        unmet.push(PasswordRule::MinimumLength);
    }
    if policy.require_lowercase && !has_lower {
        unmet.push(PasswordRule::Lowercase);
    }
    if policy.require_uppercase && !has_upper {
        unmet.push(PasswordRule::Uppercase);
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        unmet.push(PasswordRule::Numbers);
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        unmet.push(PasswordRule::Symbols);
    }
    unmet
}

/// [`unmet_rules`] with the letter classes from the browser.
pub fn unmet_rules_in_browser(policy: &PasswordPolicy, password: &str) -> Vec<PasswordRule> {
    let classes = crate::host::letter_classes(password);
    unmet_rules(policy, password, classes & 1 != 0, classes & 2 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_protocol_given_rusts_letter_classes() {
        let relaxed = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: true,
            require_numbers: false,
            require_symbols: true,
            temporary_password_validity_days: 7,
        };
        for policy in [PasswordPolicy::default(), relaxed] {
            for password in [
                "",
                "Passw0rd!",
                "Pa0!",
                "password0!",
                "PASSWORD0!",
                "Password!",
                "Password0",
                "Pass word0",
                "ÄÖÜäöü1!",
                "ΣΑΣ σας 9",
                "日本語パスワード",
                "aaaaaa",
            ] {
                let expected = policy.unmet_rules(password);
                let has_lower = password.chars().any(char::is_lowercase);
                let has_upper = password.chars().any(char::is_uppercase);
                assert_eq!(
                    unmet_rules(&policy, password, has_lower, has_upper),
                    expected,
                    "{password:?}"
                );
            }
        }
    }
}
