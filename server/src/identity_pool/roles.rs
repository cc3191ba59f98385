//! Which IAM role a set of credentials is for, and why.
//!
//! Guests get the pool's `unauthenticated` role. A signed-in user gets, when the provider has a
//! role mapping: with `Token`, the role `CustomRoleArn` asks for if the token lists it in
//! `cognito:roles`, else `cognito:preferred_role`, else the token's only role; with `Rules`, the
//! role of the first rule (in order) whose claim matches (with `CustomRoleArn`, the first
//! matching rule of that role). A `CustomRoleArn` that cannot be honoured is denied. When no
//! role results otherwise, the mapping's
//! `AmbiguousRoleResolution` gives the `authenticated` role or denies. Without a mapping the
//! `authenticated` role applies.

use std::collections::BTreeMap;

use cognate_protocol::error::ErrorCode;
use cognate_protocol::identity::{AmbiguousRoleResolution, MappingRule, MatchType, RoleMapping, RoleMappingType};
use serde_json::Value;

use crate::error::{ApiError, ApiResult};

/// The chosen role and the explanation recorded with the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleChoice {
    pub role_arn: String,
    pub reason: String,
}

fn pool_role(roles: &BTreeMap<String, String>, kind: &str, reason: String) -> ApiResult<RoleChoice> {
    match roles.get(kind) {
        Some(arn) => Ok(RoleChoice {
            role_arn: arn.clone(),
            reason,
        }),
        None => Err(ApiError::new(
            ErrorCode::InvalidIdentityPoolConfiguration,
            "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
        )),
    }
}

/// The role of a guest.
pub fn unauthenticated(roles: &BTreeMap<String, String>) -> ApiResult<RoleChoice> {
    pool_role(
        roles,
        "unauthenticated",
        "Roles.unauthenticated (unauthenticated identity)".into(),
    )
}

/// The role of a signed-in user with the ID token `claims`.
pub fn authenticated(
    roles: &BTreeMap<String, String>,
    mapping: Option<&RoleMapping>,
    claims: &Value,
    custom_role_arn: Option<&str>,
) -> ApiResult<RoleChoice> {
    let Some(mapping) = mapping else {
        return pool_role(roles, "authenticated", "Roles.authenticated (no role mapping)".into());
    };
    let (chosen, why_not) = match mapping.kind {
        RoleMappingType::Token => by_token(claims, custom_role_arn)?,
        RoleMappingType::Rules => {
            let rules = mapping
                .rules_configuration
                .as_ref()
                .map(|c| c.rules.as_slice())
                .unwrap_or_default();
            by_rules(rules, claims, custom_role_arn)?
        }
    };
    if let Some(choice) = chosen {
        return Ok(choice);
    }
    match mapping.ambiguous_role_resolution {
        Some(AmbiguousRoleResolution::Deny) => Err(ApiError::not_authorized(format!(
            "No role could be chosen ({why_not}) and AmbiguousRoleResolution is Deny."
        ))),
        _ => pool_role(
            roles,
            "authenticated",
            format!("AmbiguousRoleResolution AuthenticatedRole: {why_not}"),
        ),
    }
}

/// A Token mapping: the chosen role, or why there is none.
fn by_token(claims: &Value, custom_role_arn: Option<&str>) -> ApiResult<(Option<RoleChoice>, String)> {
    // An array as Cognito's user pools issue it; a comma-separated string as other issuers may.
    let token_roles: Vec<&str> = match claims.get("cognito:roles") {
        Some(Value::Array(roles)) => roles.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(roles)) => roles.split(',').map(str::trim).filter(|r| !r.is_empty()).collect(),
        _ => Vec::new(),
    };
    if let Some(custom) = custom_role_arn {
        if !token_roles.contains(&custom) {
            return Err(ApiError::not_authorized(format!(
                "CustomRoleArn {custom} is not one of the token's cognito:roles."
            )));
        }
        let choice = RoleChoice {
            role_arn: custom.to_owned(),
            reason: "Token: CustomRoleArn, listed in the token's cognito:roles".into(),
        };
        return Ok((Some(choice), String::new()));
    }
    if let Some(preferred) = claims.get("cognito:preferred_role").and_then(Value::as_str) {
        let choice = RoleChoice {
            role_arn: preferred.to_owned(),
            reason: "Token: cognito:preferred_role (the role of the user's group of lowest precedence)".into(),
        };
        return Ok((Some(choice), String::new()));
    }
    if let [only] = token_roles.as_slice() {
        let choice = RoleChoice {
            role_arn: (*only).to_owned(),
            reason: "Token: the only role in cognito:roles".into(),
        };
        return Ok((Some(choice), String::new()));
    }
    let why = if token_roles.is_empty() {
        "the token has no cognito:roles".to_owned()
    } else {
        format!(
            "the token has {} cognito:roles and no cognito:preferred_role",
            token_roles.len()
        )
    };
    Ok((None, why))
}

/// A Rules mapping: the first matching rule's role (with `CustomRoleArn`, the first matching
/// rule of that role, and a denial if none matches), or why there is none.
fn by_rules(
    rules: &[MappingRule],
    claims: &Value,
    custom_role_arn: Option<&str>,
) -> ApiResult<(Option<RoleChoice>, String)> {
    for (i, rule) in rules.iter().enumerate() {
        let wanted = custom_role_arn.is_none_or(|custom| custom == rule.role_arn);
        if wanted && rule_matches(rule, claims.get(&rule.claim)) {
            let reason = format!(
                "Rules: rule {} ({} {} {:?})",
                i + 1,
                rule.claim,
                rule.match_type.as_str(),
                rule.value
            );
            let choice = RoleChoice {
                role_arn: rule.role_arn.clone(),
                reason,
            };
            return Ok((Some(choice), String::new()));
        }
    }
    if let Some(custom) = custom_role_arn {
        return Err(ApiError::not_authorized(format!(
            "CustomRoleArn {custom} is not the role of a matching rule."
        )));
    }
    Ok((None, format!("none of the {} rules matched", rules.len())))
}

/// Whether a claim matches a rule. A list claim (such as `cognito:groups`) matches when one of
/// its values does (`NotEqual`: when none equals the rule's value); a missing claim matches
/// nothing.
fn rule_matches(rule: &MappingRule, claim: Option<&Value>) -> bool {
    let as_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let values: Vec<String> = match claim {
        None | Some(Value::Null) => return false,
        Some(Value::Array(items)) => items.iter().map(as_text).collect(),
        Some(value) => vec![as_text(value)],
    };
    let wanted = rule.value.as_str();
    match rule.match_type {
        MatchType::Equals => values.iter().any(|v| v == wanted),
        MatchType::Contains => values.iter().any(|v| v.contains(wanted)),
        MatchType::StartsWith => values.iter().any(|v| v.starts_with(wanted)),
        MatchType::NotEqual => values.iter().all(|v| v != wanted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_protocol::identity::RulesConfiguration;
    use serde_json::json;

    fn rule(claim: &str, match_type: MatchType, value: &str, role: &str) -> MappingRule {
        MappingRule {
            claim: claim.into(),
            match_type,
            value: value.into(),
            role_arn: role.into(),
        }
    }

    fn rules(rules: Vec<MappingRule>, ambiguous: AmbiguousRoleResolution) -> RoleMapping {
        RoleMapping {
            kind: RoleMappingType::Rules,
            ambiguous_role_resolution: Some(ambiguous),
            rules_configuration: Some(RulesConfiguration { rules }),
        }
    }

    #[test]
    fn match_types_compare_strings_and_lists() {
        let claims = json!({"email": "ann@example.com", "cognito:groups": ["staff", "eng"], "n": 5});
        let check = |claim, m, value| rule_matches(&rule(claim, m, value, "r"), claims.get(claim));
        assert!(check("email", MatchType::Equals, "ann@example.com"));
        assert!(!check("email", MatchType::Equals, "ann"));
        assert!(check("email", MatchType::Contains, "@example"));
        assert!(check("email", MatchType::StartsWith, "ann@"));
        assert!(!check("email", MatchType::StartsWith, "bob"));
        assert!(check("email", MatchType::NotEqual, "bob@example.com"));
        assert!(!check("email", MatchType::NotEqual, "ann@example.com"));
        assert!(check("cognito:groups", MatchType::Equals, "eng"));
        assert!(!check("cognito:groups", MatchType::NotEqual, "eng"));
        assert!(check("n", MatchType::Equals, "5"));
        assert!(!check("missing", MatchType::NotEqual, "x"));
    }

    #[test]
    fn first_matching_rule_wins_and_ambiguity_resolves_or_denies() {
        let roles = BTreeMap::from([("authenticated".to_owned(), "arn:auth".to_owned())]);
        let claims = json!({"email": "ann@example.com"});
        let mapping = rules(
            vec![
                rule("email", MatchType::StartsWith, "bob", "arn:first"),
                rule("email", MatchType::Contains, "example", "arn:second"),
                rule("email", MatchType::Contains, "ann", "arn:third"),
            ],
            AmbiguousRoleResolution::Deny,
        );
        let chosen = authenticated(&roles, Some(&mapping), &claims, None).expect("role");
        assert_eq!(chosen.role_arn, "arn:second");
        assert!(chosen.reason.contains("rule 2"), "{}", chosen.reason);

        let none = rules(
            vec![rule("email", MatchType::Equals, "x", "arn:x")],
            AmbiguousRoleResolution::Deny,
        );
        let denied = authenticated(&roles, Some(&none), &claims, None).expect_err("denied");
        assert_eq!(denied.code, ErrorCode::NotAuthorized);
        let fallback = rules(
            vec![rule("email", MatchType::Equals, "x", "arn:x")],
            AmbiguousRoleResolution::AuthenticatedRole,
        );
        let chosen = authenticated(&roles, Some(&fallback), &claims, None).expect("role");
        assert_eq!(chosen.role_arn, "arn:auth");
        let custom = authenticated(&roles, Some(&mapping), &claims, Some("arn:third")).expect("custom");
        assert_eq!(custom.role_arn, "arn:third");
        let unmatched = authenticated(&roles, Some(&mapping), &claims, Some("arn:first")).expect_err("no match");
        assert_eq!(unmatched.code, ErrorCode::NotAuthorized);
    }

    #[test]
    fn token_mapping_honours_custom_role_only_when_listed() {
        let roles = BTreeMap::new();
        let mapping = RoleMapping {
            kind: RoleMappingType::Token,
            ambiguous_role_resolution: Some(AmbiguousRoleResolution::Deny),
            rules_configuration: None,
        };
        let claims = json!({"cognito:roles": ["arn:a", "arn:b"], "cognito:preferred_role": "arn:a"});
        let preferred = authenticated(&roles, Some(&mapping), &claims, None).expect("role");
        assert_eq!(preferred.role_arn, "arn:a");
        let custom = authenticated(&roles, Some(&mapping), &claims, Some("arn:b")).expect("role");
        assert_eq!(custom.role_arn, "arn:b");
        let refused = authenticated(&roles, Some(&mapping), &claims, Some("arn:c")).expect_err("not listed");
        assert_eq!(refused.code, ErrorCode::NotAuthorized);
        let no_roles = authenticated(&roles, Some(&mapping), &json!({}), None).expect_err("deny");
        assert_eq!(no_roles.code, ErrorCode::NotAuthorized);
        let listed = json!({"cognito:roles": "arn:a, arn:b"});
        let from_string = authenticated(&roles, Some(&mapping), &listed, Some("arn:b")).expect("role");
        assert_eq!(from_string.role_arn, "arn:b");
        let unconfigured = authenticated(&roles, None, &claims, None).expect_err("no role");
        assert_eq!(unconfigured.code, ErrorCode::InvalidIdentityPoolConfiguration);
    }
}
