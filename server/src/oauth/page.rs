//! HTML of the hosted pages and of the error page shown instead of redirecting to an
//! unregistered URI, and the headers that lock them down: a strict CSP without inline script,
//! no framing, no sniffing, no referrer, no caching.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Adds the hosted pages' security headers. `form_target` is the origin a form on the page may
/// be sent to after the server's own (browsers apply `form-action` to the redirect that follows).
pub fn lock_down(response: &mut Response, form_target: Option<&str>) {
    let form_action = match form_target {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
    );
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn html(status: StatusCode, lang: &str, title: &str, body: &str, form_target: Option<&str>) -> Response {
    let document = format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"/widget/cognate.css\"></head>\n<body class=\"cognate-page\">{body}</body></html>\n",
        lang = escape(lang),
        title = escape(title),
    );
    let mut response = (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], document).into_response();
    lock_down(&mut response, form_target);
    response
}

/// The page shown when an authorization request cannot be answered by a redirect (unknown
/// client, unregistered redirect URI): HTTP 400, never a redirect.
pub fn error_page(message: &str) -> Response {
    refusal_page(StatusCode::BAD_REQUEST, message)
}

/// A refusal page with the given status.
pub fn refusal_page(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<main class=\"cognate\"><h1>Sign-in request refused</h1><p role=\"alert\">{}</p>\
         <p>The application that sent you here is misconfigured. Nothing was sent to it.</p></main>",
        escape(message)
    );
    html(status, "en", "Sign-in request refused", &body, None)
}

/// What the hosted sign-in page shows.
pub struct HostedPage<'a> {
    pub lang: &'a str,
    pub pool_id: &'a str,
    pub client_id: &'a str,
    /// The widget screen to open on (`sign-in`, `sign-up`, `forgot-password`, `confirm`).
    pub screen: &'a str,
    /// Where the hand-over form posts: `/login?<the authorization request>`.
    pub action: &'a str,
    pub csrf: &'a str,
    pub redirect_origin: &'a str,
}

/// The hosted page: the widget, kept in memory only, and the form `hosted.js` submits once the
/// user is signed in.
pub fn hosted_page(page: &HostedPage<'_>) -> Response {
    let body = format!(
        "<main class=\"cognate-hosted\">\
         <cognate-sign-in user-pool-id=\"{pool}\" client-id=\"{client}\" storage=\"memory\" \
         locale=\"{lang}\" screen=\"{screen}\"></cognate-sign-in>\
         <form id=\"cognate-handover\" method=\"post\" action=\"{action}\" hidden>\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"access_token\" value=\"\">\
         </form></main><script type=\"module\" src=\"/widget/oauth/hosted.js\"></script>",
        pool = escape(page.pool_id),
        client = escape(page.client_id),
        lang = escape(page.lang),
        screen = escape(page.screen),
        action = escape(page.action),
        csrf = escape(page.csrf),
    );
    html(StatusCode::OK, page.lang, "Sign in", &body, Some(page.redirect_origin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn error_page_is_400_and_locked_down() {
        let response = error_page("redirect_uri <x> is not registered");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        assert_eq!(response.headers()[header::X_FRAME_OPTIONS], "DENY");
    }
}
