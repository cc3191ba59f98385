//! Cognito's rules for an import file, as pure functions: the file is UTF-8 without a byte
//! order mark, at most [`MAX_ROWS`] data rows; its header names only columns of
//! [`csv_header`], including `cognito:username`, `cognito:mfa_enabled`, `email_verified` or
//! `phone_number_verified`, and every attribute the pool requires. Each row then becomes a
//! user as `AdminCreateUser` would make one (same attribute and username checks), except that
//! an imported user has no password and starts in `RESET_REQUIRED`.
//!
//! A row larger than [`MAX_ROW_BYTES`] is rejected before its values are looked at: Cognate's
//! own limit (Cognito documents none), generous for real rows — every attribute value can be
//! 2,048 characters, but a row of that size is a sign of a broken file, such as a quote that
//! is never closed and swallows the lines after it.

use std::collections::BTreeSet;

use cognate_protocol::user::{AttributeType, UserStatus};
use csv::StringRecord;

use crate::store::{User, UserPool};
use crate::user_pool::attributes::{self, Writer};
use crate::user_pool::identity;

/// Cognito's limit on the file (100 MB).
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;
/// Cognito's limit on data rows per file.
pub const MAX_ROWS: usize = 500_000;
/// Cognate's limit on one row, quotes and line end included.
pub const MAX_ROW_BYTES: u64 = 8 * 1024;

const USERNAME: &str = "cognito:username";
const MFA_ENABLED: &str = "cognito:mfa_enabled";

/// The standard columns, in the order of Cognito's `GetCSVHeader`.
pub const STANDARD_COLUMNS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    MFA_ENABLED,
    USERNAME,
];

/// The columns an import file of this pool may have: the standard ones, then the pool's
/// `custom:` attributes.
pub fn csv_header(pool: &UserPool) -> Vec<String> {
    let mut columns: Vec<String> = STANDARD_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    columns.extend(
        pool.settings
            .schema
            .iter()
            .map(|s| attributes::schema_name(&s.name))
            .filter(|name| name.starts_with("custom:")),
    );
    columns
}

/// The file as text: refuses a byte order mark and invalid UTF-8, naming the line.
pub fn decode(bytes: &[u8]) -> Result<&str, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err("The file starts with a byte order mark (BOM): save it as UTF-8 without BOM.".into());
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        format!(
            "The file is not valid UTF-8 (line {line}, byte {}): save it as UTF-8 without BOM.",
            e.valid_up_to()
        )
    })
}

/// Refuses a file of more than [`MAX_ROWS`] data rows (counting lines first, which is cheap:
/// a file of few lines has few rows).
pub fn check_row_count(text: &str) -> Result<(), String> {
    let lines = text.bytes().filter(|&b| b == b'\n').count();
    if lines <= MAX_ROWS {
        return Ok(());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        rows += 1;
        if rows > MAX_ROWS {
            return Err(format!(
                "The file has more than {MAX_ROWS} rows, Cognito's limit per job."
            ));
        }
    }
    Ok(())
}

/// A checked header: where each column is.
#[derive(Debug)]
pub struct Header {
    columns: Vec<String>,
    username: usize,
    mfa_enabled: usize,
}

impl Header {
    /// Checks the header row against the pool's columns.
    pub fn parse(record: &StringRecord, pool: &UserPool) -> Result<Header, String> {
        let columns: Vec<String> = record.iter().map(|c| c.trim().to_owned()).collect();
        let allowed = csv_header(pool);
        let mut seen = BTreeSet::new();
        for column in &columns {
            if !seen.insert(column.as_str()) {
                return Err(format!("The header names the column {column:?} twice."));
            }
        }
        let unknown: Vec<&str> = columns
            .iter()
            .map(String::as_str)
            .filter(|c| !allowed.iter().any(|a| a == c))
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "The header has unknown columns {unknown:?}: use the columns GetCSVHeader returns."
            ));
        }
        let mut missing: Vec<String> = [USERNAME, MFA_ENABLED]
            .iter()
            .map(|c| (*c).to_owned())
            .chain(attributes::required(pool))
            .filter(|c| !seen.contains(c.as_str()))
            .collect();
        if !seen.contains("email_verified") && !seen.contains("phone_number_verified") {
            missing.push("email_verified or phone_number_verified".into());
        }
        if !missing.is_empty() {
            return Err(format!("The header is missing the required columns {missing:?}."));
        }
        let position = |name: &str| columns.iter().position(|c| c == name).unwrap_or_default();
        Ok(Header {
            username: position(USERNAME),
            mfa_enabled: position(MFA_ENABLED),
            columns,
        })
    }

    /// Whether a row turns SMS MFA on (`cognito:mfa_enabled` = `true`).
    pub fn mfa_enabled(&self, record: &StringRecord) -> bool {
        record.get(self.mfa_enabled) == Some("true")
    }

    /// The `cognito:username` of a row, as written.
    pub fn username<'r>(&self, record: &'r StringRecord) -> &'r str {
        record.get(self.username).unwrap_or_default()
    }

    /// The user a data row describes, or why the row cannot be imported. `raw_len` is the
    /// row's size in the file.
    pub fn user(&self, pool: &UserPool, record: &StringRecord, raw_len: u64, now: i64) -> Result<User, String> {
        if raw_len > MAX_ROW_BYTES {
            return Err(format!(
                "The row is {raw_len} bytes; a row may be at most {MAX_ROW_BYTES} bytes."
            ));
        }
        if record.len() != self.columns.len() {
            return Err(format!(
                "The row has {} values; the header has {} columns.",
                record.len(),
                self.columns.len()
            ));
        }
        let given = self.username(record);
        if given.is_empty() {
            return Err(format!("{USERNAME} is empty."));
        }
        match record.get(self.mfa_enabled).unwrap_or_default() {
            "" | "false" => {}
            "true" => {
                let phone = self.columns.iter().position(|c| c == "phone_number");
                if phone.and_then(|i| record.get(i)).is_none_or(str::is_empty) {
                    return Err(format!("{MFA_ENABLED}=true (SMS MFA) needs a phone_number."));
                }
            }
            other => return Err(format!("{MFA_ENABLED} must be true or false, not {other:?}.")),
        }
        let mut given_attributes = Vec::new();
        for (index, (column, value)) in self.columns.iter().zip(record.iter()).enumerate() {
            if index == self.username || index == self.mfa_enabled || value.is_empty() {
                continue;
            }
            if column == "updated_at" && value.parse::<i64>().is_err() {
                return Err(format!("updated_at must be a number of seconds, not {value:?}."));
            }
            given_attributes.push(AttributeType::new(column.clone(), value));
        }
        let mut attrs = attributes::validate(pool, &given_attributes, Writer::Admin).map_err(|e| e.message)?;
        let sub = uuid::Uuid::new_v4().to_string();
        let username = identity::new_username(pool, given, &sub, &mut attrs).map_err(|e| e.message)?;
        attributes::check_required(pool, &attrs).map_err(|e| e.message)?;
        Ok(identity::new_user(
            pool,
            sub,
            username,
            UserStatus::ResetRequired,
            attrs,
            now,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognate_protocol::user_pool::{SchemaAttribute, UserPoolSettings};

    fn pool() -> UserPool {
        let settings = UserPoolSettings {
            schema: vec![SchemaAttribute {
                name: "custom:team".into(),
                ..SchemaAttribute::default()
            }],
            ..UserPoolSettings::default()
        };
        UserPool {
            id: "us-east-1_test".into(),
            name: "test".into(),
            settings,
            signing_key: Vec::new(),
            key_id: String::new(),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn record(fields: &[&str]) -> StringRecord {
        StringRecord::from(fields.to_vec())
    }

    #[test]
    fn the_header_lists_standard_then_custom_columns() {
        let header = csv_header(&pool());
        assert_eq!(header.first().map(String::as_str), Some("name"));
        assert_eq!(header.get(20).map(String::as_str), Some("cognito:username"));
        assert_eq!(header.last().map(String::as_str), Some("custom:team"));
    }

    #[test]
    fn headers_are_checked() {
        let pool = pool();
        let good = record(&["cognito:username", "email", "email_verified", "cognito:mfa_enabled"]);
        assert!(Header::parse(&good, &pool).is_ok());
        let unknown = record(&["cognito:username", "email_verified", "cognito:mfa_enabled", "shoe_size"]);
        assert!(Header::parse(&unknown, &pool).unwrap_err().contains("shoe_size"));
        let no_flag = record(&["cognito:username", "email", "cognito:mfa_enabled"]);
        assert!(Header::parse(&no_flag, &pool).unwrap_err().contains("email_verified"));
        let twice = record(&[
            "cognito:username",
            "email_verified",
            "cognito:mfa_enabled",
            "email",
            "email",
        ]);
        assert!(Header::parse(&twice, &pool).unwrap_err().contains("twice"));
    }

    #[test]
    fn rows_become_reset_required_users_or_reasons() {
        let pool = pool();
        let header = record(&[
            "cognito:username",
            "email",
            "email_verified",
            "cognito:mfa_enabled",
            "custom:team",
        ]);
        let header = Header::parse(&header, &pool).expect("header");
        let user = header
            .user(
                &pool,
                &record(&["Ann", "ann@example.com", "true", "false", "red"]),
                40,
                7,
            )
            .expect("user");
        assert_eq!(user.status, UserStatus::ResetRequired);
        assert_eq!(user.password_hash, None);
        assert_eq!(user.username_key, "ann");
        assert_eq!(user.attributes.get("custom:team").map(String::as_str), Some("red"));
        let bad = header.user(&pool, &record(&["bob", "not-an-email", "true", "false", ""]), 40, 7);
        assert!(bad.unwrap_err().contains("email"));
        let big = header.user(&pool, &record(&["cy", "", "false", "false", ""]), MAX_ROW_BYTES + 1, 7);
        assert!(big.unwrap_err().contains("bytes"));
        let no_phone = header.user(&pool, &record(&["eve", "eve@example.com", "true", "true", ""]), 40, 7);
        assert!(no_phone.unwrap_err().contains("phone_number"));
        let short = header.user(&pool, &record(&["dee", ""]), 10, 7);
        assert!(short.unwrap_err().contains("values"));
    }

    #[test]
    fn encoding_is_checked() {
        assert!(decode(b"\xEF\xBB\xBFname\n").unwrap_err().contains("BOM"));
        assert!(decode(b"name\n\xFF\n").unwrap_err().contains("line 2"));
        assert_eq!(decode(b"name\n"), Ok("name\n"));
    }
}
