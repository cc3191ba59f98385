//! Widget configuration: from the query string of the hosted page (`/widget/?clientId=…`), from
//! the attributes of a `<cognate-sign-in>` element, or from the object given to `mount()`.
//!
//! Settings (query / object key, or attribute name):
//!
//! - `clientId` / `client-id` — the app client (required; a public client: a config carrying a
//!   `clientSecret` is refused, secrets do not belong in browsers);
//! - `userPoolId` / `user-pool-id` — the user pool (`us-east-1_AbC123xyz`); needed for SRP sign-in
//!   (without it the widget signs in with `USER_PASSWORD_AUTH`);
//! - `endpoint` — the user-pool API URL, e.g. `http://localhost:9229/`;
//! - `region` — an AWS region, meaning real Cognito at `https://cognito-idp.<region>.amazonaws.com/`;
//! - `storage` — `session` (default), `local` or `memory`: where tokens are kept;
//! - `locale` — a language tag; default: the browser's languages;
//! - `theme` — `light` or `dark`; default: the user's `prefers-color-scheme`;
//! - `signUpAttributes` / `sign-up-attributes` — the pool's required attributes asked at sign-up,
//!   space or comma separated (default `email`).
//!
//! `endpoint` wins over `region`; with neither, the API is expected on the page's own origin
//! (which is where Cognate serves both the widget and the API).

use std::fmt;

use crate::session::StorageKind;

/// Everything the widget needs to talk to a user pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The app client id (`ClientId` in every request).
    pub client_id: String,
    /// The user pool id, when the page was given one.
    pub user_pool_id: Option<String>,
    /// The URL the Cognito JSON requests are POSTed to.
    pub endpoint: String,
    /// Where tokens are kept.
    pub storage: StorageKind,
    /// The requested language, if any.
    pub locale: Option<String>,
    /// `light` or `dark`, if forced.
    pub theme: Option<String>,
    /// Attributes asked for at sign-up.
    pub sign_up_attributes: Vec<String>,
    /// The screen to open on (`sign-up`, `forgot-password`; sign-in otherwise).
    pub screen: Option<String>,
}

/// Why a configuration could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// No (or an empty) `clientId` parameter.
    MissingClientId,
    /// `endpoint` is not an absolute `http(s)` URL.
    InvalidEndpoint(String),
    /// `region` is not shaped like an AWS region name.
    InvalidRegion(String),
    /// A client secret was given: a browser cannot keep it secret.
    ClientSecret,
    /// `storage` is not `memory`, `session` or `local`.
    InvalidStorage(String),
    /// Neither `endpoint` nor `region` was given and the page has no usable origin
    /// (for instance when opened from a `file:` URL).
    NoOrigin,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingClientId => f.write_str("This sign-in page is missing its clientId parameter."),
            Self::InvalidEndpoint(value) => write!(
                f,
                "The endpoint parameter must be an http or https URL, not \u{201c}{value}\u{201d}."
            ),
            Self::InvalidRegion(value) => {
                write!(f, "\u{201c}{value}\u{201d} is not an AWS region name.")
            }
            Self::ClientSecret => f.write_str(
                "A client secret must not be given to a sign-in widget: browsers cannot keep secrets. \
                 Use an app client without a secret.",
            ),
            Self::InvalidStorage(value) => write!(
                f,
                "The storage setting must be memory, session or local, not \u{201c}{value}\u{201d}."
            ),
            Self::NoOrigin => f.write_str(
                "This sign-in page needs an endpoint or region parameter when it is not served over http(s).",
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

impl WidgetConfig {
    /// Builds the configuration from a URL query string (with or without its leading `?`) and the
    /// page's origin (`location.origin`, e.g. `http://localhost:9229`, or `"null"` for `file:`).
    pub fn from_query(query: &str, origin: &str) -> Result<Self, ConfigError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(key), form_decode(value))
            })
            .collect();
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), origin)
    }

    /// Builds the configuration from `(name, value)` pairs: query keys (`clientId`) or element
    /// attribute names (`client-id`). Blank values count as absent; the first occurrence wins.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: &str,
    ) -> Result<Self, ConfigError> {
        let mut slots: [Option<String>; 10] = Default::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let index = match key {
                "clientId" | "client-id" => 0,
                "userPoolId" | "user-pool-id" => 1,
                "endpoint" => 2,
                "region" => 3,
                "storage" => 4,
                "locale" => 5,
                "theme" => 6,
                "signUpAttributes" | "sign-up-attributes" => 7,
                "clientSecret" | "client-secret" => 8,
                "screen" => 9,
                _ => continue,
            };
            slots[index].get_or_insert_with(|| value.to_owned());
        }
        let [client_id, user_pool_id, endpoint, region, storage, locale, theme, attributes, secret, screen] = slots;
        if secret.is_some() {
            return Err(ConfigError::ClientSecret);
        }
        let client_id = client_id.ok_or(ConfigError::MissingClientId)?;
        let endpoint = match (endpoint, region) {
            (Some(endpoint), _) => checked_endpoint(endpoint)?,
            (None, Some(region)) => region_endpoint(&region)?,
            (None, None) => origin_endpoint(origin)?,
        };
        let storage = match storage {
            Some(value) => StorageKind::parse(&value).ok_or(ConfigError::InvalidStorage(value))?,
            None => StorageKind::default(),
        };
        let sign_up_attributes = match attributes {
            Some(list) => list
                .split([' ', ','])
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect(),
            None => vec!["email".to_owned()],
        };
        Ok(Self {
            client_id,
            user_pool_id,
            endpoint,
            storage,
            locale,
            theme: theme.filter(|theme| theme == "light" || theme == "dark"),
            sign_up_attributes,
            screen,
        })
    }
}

/// Decodes one `application/x-www-form-urlencoded` component (`+` is a space, `%XX` a byte),
/// as `URLSearchParams` does; invalid UTF-8 becomes U+FFFD.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Accepts an explicit endpoint if it is an absolute http(s) URL with a host.
fn checked_endpoint(endpoint: String) -> Result<String, ConfigError> {
    let rest = endpoint
        .strip_prefix("https://")
        .or_else(|| endpoint.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(endpoint),
        _ => Err(ConfigError::InvalidEndpoint(endpoint)),
    }
}

/// The regional Cognito user-pool endpoint, e.g. `https://cognito-idp.eu-west-1.amazonaws.com/`.
fn region_endpoint(region: &str) -> Result<String, ConfigError> {
    let well_formed = region.len() <= 32
        && region.contains('-')
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if well_formed {
        Ok(format!("https://cognito-idp.{region}.amazonaws.com/"))
    } else {
        Err(ConfigError::InvalidRegion(region.to_owned()))
    }
}

/// The page's own origin plus `/`, where Cognate serves its API.
fn origin_endpoint(origin: &str) -> Result<String, ConfigError> {
    if origin.starts_with("http://") || origin.starts_with("https://") {
        Ok(format!("{}/", origin.trim_end_matches('/')))
    } else {
        Err(ConfigError::NoOrigin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://localhost:9229";

    #[test]
    fn defaults_to_the_page_origin() {
        let config = WidgetConfig::from_query("?clientId=abc123", ORIGIN).unwrap();
        assert_eq!(
            config,
            WidgetConfig {
                client_id: "abc123".into(),
                user_pool_id: None,
                endpoint: "http://localhost:9229/".into(),
                storage: StorageKind::Session,
                locale: None,
                theme: None,
                sign_up_attributes: vec!["email".into()],
                screen: None,
            }
        );
    }

    #[test]
    fn reads_pool_and_explicit_endpoint() {
        let config = WidgetConfig::from_query(
            "clientId=abc&userPoolId=us-east-1_AbC123xyz&endpoint=http%3A%2F%2F127.0.0.1%3A8080%2F",
            ORIGIN,
        )
        .unwrap();
        assert_eq!(config.user_pool_id.as_deref(), Some("us-east-1_AbC123xyz"));
        assert_eq!(config.endpoint, "http://127.0.0.1:8080/");
    }

    #[test]
    fn region_means_aws_cognito() {
        let config = WidgetConfig::from_query("?clientId=abc&region=eu-west-1", ORIGIN).unwrap();
        assert_eq!(config.endpoint, "https://cognito-idp.eu-west-1.amazonaws.com/");
    }

    #[test]
    fn endpoint_wins_over_region() {
        let config = WidgetConfig::from_query(
            "?clientId=abc&region=eu-west-1&endpoint=https://auth.example.com/",
            ORIGIN,
        )
        .unwrap();
        assert_eq!(config.endpoint, "https://auth.example.com/");
    }

    #[test]
    fn client_id_is_required_and_not_blank() {
        for query in ["", "?", "?userPoolId=x", "?clientId=", "?clientId=%20"] {
            assert_eq!(
                WidgetConfig::from_query(query, ORIGIN),
                Err(ConfigError::MissingClientId),
                "{query}"
            );
        }
    }

    #[test]
    fn first_occurrence_wins_and_plus_is_space() {
        let config = WidgetConfig::from_query("?clientId=a+b&clientId=other", "https://x.test").unwrap();
        assert_eq!(config.client_id, "a b");
        assert_eq!(config.endpoint, "https://x.test/");
    }

    #[test]
    fn rejects_non_http_endpoints() {
        for endpoint in ["javascript:alert(1)", "//evil.test/", "http://", "ftp://x/"] {
            let query = format!("?clientId=abc&endpoint={endpoint}");
            assert!(
                matches!(
                    WidgetConfig::from_query(&query, ORIGIN),
                    Err(ConfigError::InvalidEndpoint(_))
                ),
                "{endpoint}"
            );
        }
    }

    #[test]
    fn rejects_malformed_regions() {
        for region in [
            "evil.com/x",
            "US-EAST-1",
            "useast1",
            "us-east-",
            "x".repeat(40).as_str(),
        ] {
            let query = format!("?clientId=abc&region={region}");
            assert!(
                matches!(
                    WidgetConfig::from_query(&query, ORIGIN),
                    Err(ConfigError::InvalidRegion(_))
                ),
                "{region}"
            );
        }
    }

    #[test]
    fn element_attributes_configure_the_widget() {
        let config = WidgetConfig::from_pairs(
            [
                ("client-id", "abc"),
                ("user-pool-id", "us-east-1_X"),
                ("region", "eu-west-1"),
                ("storage", "local"),
                ("locale", "ar"),
                ("theme", "dark"),
                ("sign-up-attributes", "email, name"),
            ],
            ORIGIN,
        )
        .unwrap();
        assert_eq!(config.storage, StorageKind::Local);
        assert_eq!(config.locale.as_deref(), Some("ar"));
        assert_eq!(config.theme.as_deref(), Some("dark"));
        assert_eq!(config.sign_up_attributes, vec!["email".to_owned(), "name".to_owned()]);
        assert_eq!(config.endpoint, "https://cognito-idp.eu-west-1.amazonaws.com/");
    }

    #[test]
    fn client_secrets_and_unknown_storage_are_refused() {
        assert_eq!(
            WidgetConfig::from_pairs([("client-id", "abc"), ("client-secret", "s3cr3t")], ORIGIN),
            Err(ConfigError::ClientSecret)
        );
        assert!(ConfigError::ClientSecret.to_string().contains("secret"));
        assert_eq!(
            WidgetConfig::from_query("?clientId=abc&storage=disk", ORIGIN),
            Err(ConfigError::InvalidStorage("disk".into()))
        );
    }

    #[test]
    fn query_components_are_form_decoded() {
        assert_eq!(form_decode("a+b%20c%2F%C3%A9"), "a b c/\u{e9}");
        assert_eq!(form_decode("100%"), "100%");
        assert_eq!(form_decode("%zz%4"), "%zz%4");
        assert_eq!(form_decode("%FF"), "\u{fffd}");
        let config = WidgetConfig::from_query("?=x&flag&clientId=c%26d", ORIGIN).unwrap();
        assert_eq!(config.client_id, "c&d");
    }

    #[test]
    fn file_pages_need_an_endpoint() {
        assert_eq!(
            WidgetConfig::from_query("?clientId=abc", "null"),
            Err(ConfigError::NoOrigin)
        );
    }

    #[test]
    fn errors_read_as_sentences() {
        assert!(ConfigError::MissingClientId.to_string().ends_with('.'));
        assert!(ConfigError::InvalidRegion("x".into())
            .to_string()
            .contains("not an AWS region"));
    }
}
