//! Widget configuration, read from the query string of the page that hosts the widget.
//!
//! The hosted page is opened as `/widget/?clientId=…` with, optionally:
//!
//! - `userPoolId` — the user pool (`us-east-1_AbC123xyz`);
//! - `endpoint` — the user-pool API URL, e.g. `http://localhost:9229/`;
//! - `region` — an AWS region, meaning real Cognito at `https://cognito-idp.<region>.amazonaws.com/`.
//!
//! `endpoint` wins over `region`; with neither, the API is expected on the page's own origin
//! (which is where Cognate serves both the widget and the API).

use std::fmt;

/// Everything the widget needs to talk to a user pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WidgetConfig {
    /// The app client id (`ClientId` in every request).
    pub client_id: String,
    /// The user pool id, when the page was given one.
    pub user_pool_id: Option<String>,
    /// The URL the Cognito JSON requests are POSTed to.
    pub endpoint: String,
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
        let mut client_id = None;
        let mut user_pool_id = None;
        let mut endpoint = None;
        let mut region = None;
        let query = query.strip_prefix('?').unwrap_or(query);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let slot = match key.as_ref() {
                "clientId" => &mut client_id,
                "userPoolId" => &mut user_pool_id,
                "endpoint" => &mut endpoint,
                "region" => &mut region,
                _ => continue,
            };
            // The first occurrence wins, as with URLSearchParams.get.
            slot.get_or_insert_with(|| value.to_owned());
        }

        let client_id = client_id.ok_or(ConfigError::MissingClientId)?;
        let endpoint = match (endpoint, region) {
            (Some(endpoint), _) => checked_endpoint(endpoint)?,
            (None, Some(region)) => region_endpoint(&region)?,
            (None, None) => origin_endpoint(origin)?,
        };
        Ok(Self {
            client_id,
            user_pool_id,
            endpoint,
        })
    }
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
