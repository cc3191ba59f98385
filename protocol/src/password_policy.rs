//! A user pool's password rules (Cognito's `PasswordPolicyType`) and the check against them.
//!
//! Shared so the widget can show the rules as the user types and the server enforces the same
//! ones. Cognito's symbol set is `^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -`
//! and the space character.

use serde::{Deserialize, Serialize};

/// Cognito's characters that count as symbols.
pub const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// The password policy of a pool, as in `Policies.PasswordPolicy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PasswordPolicy {
    #[serde(default = "default_min_length")]
    pub minimum_length: u32,
    #[serde(default)]
    pub require_uppercase: bool,
    #[serde(default)]
    pub require_lowercase: bool,
    #[serde(default)]
    pub require_numbers: bool,
    #[serde(default)]
    pub require_symbols: bool,
    #[serde(default = "default_temporary_validity")]
    pub temporary_password_validity_days: u32,
}

fn default_min_length() -> u32 {
    8
}

fn default_temporary_validity() -> u32 {
    7
}

impl Default for PasswordPolicy {
    /// Cognito's default for a new pool: 8 characters with all four character classes.
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
            temporary_password_validity_days: 7,
        }
    }
}

/// One unmet rule; the order is the order Cognito reports them in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRule {
    MinimumLength,
    Lowercase,
    Uppercase,
    Numbers,
    Symbols,
}

impl PasswordRule {
    /// Cognito's wording after "Password did not conform with policy: ".
    pub fn cognito_message(self) -> &'static str {
        match self {
            PasswordRule::MinimumLength => "Password not long enough",
            PasswordRule::Lowercase => "Password must have lowercase characters",
            PasswordRule::Uppercase => "Password must have uppercase characters",
            PasswordRule::Numbers => "Password must have numeric characters",
            PasswordRule::Symbols => "Password must have symbol characters",
        }
    }
}

impl PasswordPolicy {
    /// Every rule the password breaks, in Cognito's order; empty when it conforms.
    pub fn unmet_rules(&self, password: &str) -> Vec<PasswordRule> {
        let mut unmet = Vec::new();
        if (password.chars().count() as u32) < self.minimum_length {
            unmet.push(PasswordRule::MinimumLength);
        }
        if self.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
            unmet.push(PasswordRule::Lowercase);
        }
        if self.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
            unmet.push(PasswordRule::Uppercase);
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            unmet.push(PasswordRule::Numbers);
        }
        if self.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
            unmet.push(PasswordRule::Symbols);
        }
        unmet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_reports_each_missing_class() {
        let policy = PasswordPolicy::default();
        assert!(policy.unmet_rules("Passw0rd!").is_empty());
        assert_eq!(policy.unmet_rules("Pa0!"), vec![PasswordRule::MinimumLength]);
        assert_eq!(policy.unmet_rules("password0!"), vec![PasswordRule::Uppercase]);
        assert_eq!(policy.unmet_rules("PASSWORD0!"), vec![PasswordRule::Lowercase]);
        assert_eq!(policy.unmet_rules("Password!"), vec![PasswordRule::Numbers]);
        assert_eq!(policy.unmet_rules("Password0"), vec![PasswordRule::Symbols]);
        assert_eq!(policy.unmet_rules("Pass word0"), vec![]);
    }

    #[test]
    fn relaxed_policy_needs_only_length() {
        let policy = PasswordPolicy {
            minimum_length: 6,
            require_uppercase: false,
            require_lowercase: false,
            require_numbers: false,
            require_symbols: false,
            temporary_password_validity_days: 7,
        };
        assert!(policy.unmet_rules("aaaaaa").is_empty());
        assert_eq!(policy.unmet_rules("aaaaa"), vec![PasswordRule::MinimumLength]);
    }
}
