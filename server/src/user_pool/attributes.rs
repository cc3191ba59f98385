//! User attributes: the OpenID standard set plus a pool's `custom:` attributes from its
//! schema, with Cognito's rules for who may write what and which are required.

use std::collections::BTreeMap;

use cognate_protocol::user::AttributeType;

use super::identity::{looks_like_email, looks_like_phone};
use crate::error::{ApiError, ApiResult};
use crate::store::{User, UserPool};

/// Cognito's standard attributes (besides `sub`).
pub const STANDARD: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "updated_at",
    "website",
    "zoneinfo",
];

/// Who is writing attributes: the user themselves may not mark an email verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    User,
    Admin,
}

/// The schema name of an attribute: standard names as they are, others under `custom:`.
pub fn schema_name(name: &str) -> String {
    if STANDARD.contains(&name) || name == "sub" || name.starts_with("custom:") || name.starts_with("dev:") {
        name.to_owned()
    } else {
        format!("custom:{name}")
    }
}

fn schema_error(detail: impl std::fmt::Display) -> ApiError {
    ApiError::invalid_parameter(format!("Attributes did not conform to the schema: {detail}"))
}

/// Validates names and values of attributes being written; returns them as a map.
pub fn validate(pool: &UserPool, attributes: &[AttributeType], writer: Writer) -> ApiResult<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for attribute in attributes {
        let name = attribute.name.as_str();
        let value = attribute.value.clone().unwrap_or_default();
        if name == "sub" {
            return Err(schema_error(
                "sub: Attribute cannot be updated. (changing an immutable attribute)",
            ));
        }
        if matches!(name, "email_verified" | "phone_number_verified") {
            if writer == Writer::User {
                return Err(schema_error(format!("{name}: Attribute cannot be updated.")));
            }
            if value != "true" && value != "false" {
                return Err(ApiError::invalid_parameter(format!("{name} must be true or false.")));
            }
        }
        let known = STANDARD.contains(&name)
            || pool
                .settings
                .schema
                .iter()
                .any(|s| schema_name(&s.name) == name && name.starts_with("custom:"));
        if !known {
            return Err(schema_error(format!(
                "Type for attribute {{{name}}} could not be determined"
            )));
        }
        if value.chars().count() > 2048 {
            return Err(schema_error(format!(
                "{name}: Attribute value is longer than 2048 characters"
            )));
        }
        if name == "email" && !looks_like_email(&value) {
            return Err(ApiError::invalid_parameter("Invalid email address format."));
        }
        if name == "phone_number" && !looks_like_phone(&value) {
            return Err(ApiError::invalid_parameter("Invalid phone number format."));
        }
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}

/// Names of the pool's required attributes.
pub fn required(pool: &UserPool) -> Vec<String> {
    pool.settings
        .schema
        .iter()
        .filter(|s| s.required)
        .map(|s| schema_name(&s.name))
        .collect()
}

/// Refuses a user missing a required attribute.
pub fn check_required(pool: &UserPool, attributes: &BTreeMap<String, String>) -> ApiResult<()> {
    for name in required(pool) {
        if attributes.get(&name).is_none_or(|v| v.is_empty()) {
            return Err(schema_error(format!("{name}: The attribute is required")));
        }
    }
    Ok(())
}

/// A user's attributes as the API returns them: `sub` first, then by name.
pub fn of_user(user: &User) -> Vec<AttributeType> {
    let mut list = vec![AttributeType::new("sub", user.sub.clone())];
    list.extend(
        user.attributes
            .iter()
            .map(|(k, v)| AttributeType::new(k.clone(), v.clone())),
    );
    list
}
