//! The OAuth settings of an app client, checked as Cognito checks them — and a little stricter
//! where current practice asks (RFC 9700): callback and sign-out URLs are absolute, without a
//! fragment, and HTTPS unless they point at this machine (loopback, as RFC 8252 allows).

use cognate_protocol::oauth::OAuthFlow;
use cognate_protocol::user_pool::UserPoolClientSettings;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The scopes every pool knows.
pub const STANDARD_SCOPES: &[&str] = &["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"];

/// Whether `url` may be registered as a callback or sign-out URL; `None` when it may.
pub fn url_problem(url: &str) -> Option<&'static str> {
    // Redirects carry the URL as registered in their `Location` header, and redirect URIs match
    // exactly: so the URL must already be in the ASCII form a header holds.
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Some(
            "must be written in printable ASCII without spaces (percent-encode other characters, \
             and write an international domain name in punycode)",
        );
    }
    let Ok(parsed) = url::Url::parse(url) else {
        return Some("is not an absolute URL");
    };
    if parsed.fragment().is_some() {
        return Some("must not contain a fragment");
    }
    let loopback = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match parsed.scheme() {
        "https" => None,
        "http" if loopback => None,
        "http" => Some("must use HTTPS (http is allowed only for localhost)"),
        // Native apps' custom schemes (com.example.app:/callback), as Cognito allows.
        "javascript" | "data" | "file" | "vbscript" => Some("uses a forbidden scheme"),
        _ => None,
    }
}

fn check_urls(name: &str, urls: &[String]) -> ApiResult<()> {
    if urls.len() > 100 {
        return Err(ApiError::invalid_parameter(format!("{name} has at most 100 URLs.")));
    }
    for url in urls {
        if url.len() > 1024 {
            return Err(ApiError::invalid_parameter(format!(
                "{name} entries are at most 1024 characters."
            )));
        }
        if let Some(problem) = url_problem(url) {
            return Err(ApiError::invalid_parameter(format!("{name} entry {url:?} {problem}.")));
        }
    }
    Ok(())
}

/// Checks the client's OAuth settings; custom scopes must exist on a resource server of the pool.
pub async fn check(
    state: &AppState,
    pool_id: &str,
    settings: &UserPoolClientSettings,
    has_secret: bool,
) -> ApiResult<()> {
    check_urls("CallbackURLs", &settings.callback_urls)?;
    check_urls("LogoutURLs", &settings.logout_urls)?;
    if let Some(default) = &settings.default_redirect_uri {
        if !settings.callback_urls.contains(default) {
            return Err(ApiError::invalid_parameter(
                "DefaultRedirectURI must be one of the CallbackURLs.",
            ));
        }
    }
    let flows = &settings.allowed_oauth_flows;
    let machine = flows.contains(&OAuthFlow::ClientCredentials);
    if machine && flows.len() > 1 {
        return Err(ApiError::invalid_parameter(
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        ));
    }
    if machine && !has_secret {
        return Err(ApiError::invalid_parameter(
            "client_credentials flow can not be selected if client does not have a client secret.",
        ));
    }
    let custom: Vec<&String> = settings
        .allowed_oauth_scopes
        .iter()
        .filter(|s| !STANDARD_SCOPES.contains(&s.as_str()))
        .collect();
    for scope in &custom {
        let known = match scope.rsplit_once('/') {
            Some((server, name)) => state
                .store
                .get_resource_server(pool_id, server)
                .await?
                .is_some_and(|rs| rs.scopes.iter().any(|s| s.scope_name == name)),
            None => false,
        };
        if !known {
            return Err(ApiError::invalid_parameter(format!("Invalid scope requested: {scope}")));
        }
    }
    if machine && custom.len() != settings.allowed_oauth_scopes.len() {
        return Err(ApiError::invalid_parameter(
            "client_credentials flow can only be used with custom scopes.",
        ));
    }
    if settings.allowed_oauth_flows_user_pool_client {
        if flows.is_empty() || settings.allowed_oauth_scopes.is_empty() {
            return Err(ApiError::invalid_parameter(
                "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.",
            ));
        }
        if !machine && settings.callback_urls.is_empty() {
            return Err(ApiError::invalid_parameter(
                "CallbackURLs are required for the code and implicit flows.",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::url_problem;

    #[test]
    fn callback_urls_are_https_or_loopback_without_fragments() {
        assert_eq!(url_problem("https://app.example.com/cb"), None);
        assert_eq!(url_problem("http://localhost:3000/cb"), None);
        assert_eq!(url_problem("http://127.0.0.1:8080/"), None);
        assert_eq!(url_problem("myapp://callback"), None);
        assert!(url_problem("http://app.example.com/cb").is_some());
        assert!(url_problem("https://app.example.com/cb#x").is_some());
        assert!(url_problem("/relative").is_some());
        assert!(url_problem("javascript:alert(1)").is_some());
        // Only what a Location header holds as registered: no non-ASCII, spaces or controls.
        assert!(url_problem("https://app.example.com/caf\u{e9}").is_some());
        assert!(url_problem("https://b\u{fc}cher.example/cb").is_some());
        assert!(url_problem("https://app.example.com/a b").is_some());
        assert!(url_problem("https://app.example.com/a\nb").is_some());
        assert_eq!(url_problem("https://app.example.com/caf%C3%A9"), None);
        assert_eq!(url_problem("https://xn--bcher-kva.example/cb"), None);
    }
}
