//! Deployment safety: what a server may be started on, and what it tells browsers.
//!
//! - `--dev` publishes well-known admin keys and a mailbox of every code sent, so it listens on
//!   loopback only (127.0.0.0/8, `::1`, or the name `localhost`) unless `allow_public_dev` says
//!   otherwise, and then it warns.
//! - Outside dev, a wildcard listen address (`0.0.0.0`, `::`) is reached under some name the
//!   server cannot guess, and token issuers and links are built from it: the public URL must be
//!   set.
//! - When the public URL is https, every response carries `Strict-Transport-Security`
//!   (RFC 6797), so browsers never fall back to plain http for it.

use std::net::{IpAddr, SocketAddr};

use axum::http::{header, HeaderValue};
use axum::response::Response;

use crate::config::Config;

/// The HSTS policy sent when the public URL is https: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Parses a listen address: `IP:PORT`, `[IPv6]:PORT`, or `localhost:PORT` (bound as 127.0.0.1).
pub fn parse_listen(text: &str) -> Result<SocketAddr, String> {
    if let Some(port) = text.strip_prefix("localhost:") {
        let port: u16 = port.parse().map_err(|e| format!("{text:?}: port {port:?}: {e}"))?;
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    text.parse()
        .map_err(|e| format!("{text:?} is not an address like 127.0.0.1:8765 or localhost:8765: {e}"))
}

/// Whether only this machine can reach `ip`: 127.0.0.0/8 or `::1` (also as `::ffff:127.x.y.z`).
pub fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// Whether `ip` is every interface of the machine (`0.0.0.0`, `::`).
pub fn is_wildcard(ip: IpAddr) -> bool {
    ip.to_canonical().is_unspecified()
}

/// Refuses a listen address the mode must not use, saying what to change.
pub fn check_listen(config: &Config) -> anyhow::Result<()> {
    let ip = config.listen.ip();
    if config.dev && !is_loopback(ip) && !config.allow_public_dev {
        anyhow::bail!(
            "--dev listens on loopback only (127.0.0.1, ::1 or localhost), not {}: dev mode publishes \
             well-known admin keys and every code it sends at /_dev/mailbox. Listen on 127.0.0.1, or \
             run without --dev, or pass --allow-public-dev (COGNATE_ALLOW_PUBLIC_DEV=true, \
             allow_public_dev = true) to expose it anyway",
            config.listen
        );
    }
    if !config.dev && is_wildcard(ip) && config.public_url.is_none() {
        anyhow::bail!(
            "listening on {} (every interface) needs the URL clients reach this server at, which token \
             issuers and links are built from: set --public-url (COGNATE_PUBLIC_URL, or public_url in \
             the config file), e.g. --public-url https://auth.example.com",
            config.listen
        );
    }
    if let Some(url) = &config.public_url {
        let scheme = url::Url::parse(url).map(|u| u.scheme().to_owned());
        if !matches!(scheme.as_deref(), Ok("http" | "https")) {
            anyhow::bail!("public_url {url:?} must be an http:// or https:// URL, e.g. https://auth.example.com");
        }
    }
    Ok(())
}

/// The warning to log when dev mode was allowed onto a non-loopback address.
pub fn public_dev_warning(config: &Config) -> Option<String> {
    (config.dev && !is_loopback(config.listen.ip())).then(|| {
        format!(
            "--dev on {} (--allow-public-dev): anyone who reaches this address can use the well-known \
             admin keys and read every code in /_dev/mailbox",
            config.listen
        )
    })
}

/// Whether responses carry HSTS: the public URL is https.
pub fn uses_https(public_url: &str) -> bool {
    url::Url::parse(public_url).is_ok_and(|u| u.scheme() == "https")
}

/// Adds the HSTS header to a response (the router adds this layer only for an https public URL).
pub async fn add_hsts(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dev: bool, listen: &str, public_url: Option<&str>) -> Config {
        Config {
            dev,
            listen: parse_listen(listen).expect("address"),
            public_url: public_url.map(str::to_owned),
            ..Config::default()
        }
    }

    #[test]
    fn listen_addresses_parse_with_localhost_as_loopback() {
        assert_eq!(
            parse_listen("localhost:9000"),
            Ok(SocketAddr::from(([127, 0, 0, 1], 9000)))
        );
        assert_eq!(parse_listen("[::1]:9000").map(|a| a.port()), Ok(9000));
        assert!(parse_listen("localhost:http").is_err());
        assert!(parse_listen("example.com:80").is_err());
        for loopback in ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(loopback.parse().expect("ip")), "{loopback}");
        }
        for other in [
            "0.0.0.0",
            "::",
            "10.0.0.5",
            "192.168.1.1",
            "::ffff:10.0.0.5",
            "2001:db8::1",
        ] {
            assert!(!is_loopback(other.parse().expect("ip")), "{other}");
        }
        assert!(is_wildcard("0.0.0.0".parse().expect("ip")));
        assert!(is_wildcard("::".parse().expect("ip")));
        assert!(!is_wildcard("127.0.0.1".parse().expect("ip")));
    }

    #[test]
    fn dev_mode_listens_on_loopback_unless_explicitly_allowed() {
        for listen in ["127.0.0.1:8765", "127.1.2.3:8765", "[::1]:8765", "localhost:8765"] {
            check_listen(&config(true, listen, None)).expect(listen);
            assert_eq!(public_dev_warning(&config(true, listen, None)), None);
        }
        for listen in ["0.0.0.0:8765", "[::]:8765", "10.0.0.5:8765"] {
            let refused = check_listen(&config(true, listen, None)).expect_err(listen).to_string();
            assert!(refused.contains("--allow-public-dev"), "{refused}");
            let allowed = Config {
                allow_public_dev: true,
                ..config(true, listen, None)
            };
            check_listen(&allowed).expect("allowed explicitly");
            assert!(public_dev_warning(&allowed).is_some_and(|w| w.contains("mailbox")));
        }
    }

    #[test]
    fn a_wildcard_address_outside_dev_needs_a_public_url() {
        for listen in ["0.0.0.0:8765", "[::]:8765"] {
            let refused = check_listen(&config(false, listen, None))
                .expect_err(listen)
                .to_string();
            assert!(
                refused.contains("--public-url") && refused.contains("COGNATE_PUBLIC_URL"),
                "{refused}"
            );
            check_listen(&config(false, listen, Some("https://auth.example.com"))).expect("with a public URL");
        }
        check_listen(&config(false, "127.0.0.1:8765", None)).expect("loopback guesses localhost");
        check_listen(&config(false, "10.0.0.5:8765", None)).expect("a named interface is its own URL");
        assert!(check_listen(&config(false, "0.0.0.0:8765", Some("auth.example.com"))).is_err());
        assert!(check_listen(&config(false, "0.0.0.0:8765", Some("ftp://auth.example.com"))).is_err());
    }

    #[test]
    fn hsts_follows_the_public_url_scheme() {
        assert!(uses_https("https://auth.example.com"));
        assert!(uses_https("HTTPS://auth.example.com/base"));
        assert!(!uses_https("http://localhost:8765"));
        assert!(!uses_https("not a url"));
    }
}
