//! Deployment safety: HSTS on every response when the public URL is https (and not for http),
//! and `cognate serve`, the real binary, refusing a dev server on a public address and a
//! wildcard address without a public URL — a message on stderr and a failing exit, no panic.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::support::*;

/// `Strict-Transport-Security` of a GET, a 404 and an API call.
async fn hsts_headers(server: &TestServer) -> Vec<Option<String>> {
    let header = |response: reqwest::Response| {
        response
            .headers()
            .get("strict-transport-security")
            .map(|v| v.to_str().expect("ascii").to_owned())
    };
    let health = server
        .http
        .get(format!("{}/health", server.url))
        .send()
        .await
        .expect("health");
    let missing = server
        .http
        .get(format!("{}/no/such/page", server.url))
        .send()
        .await
        .expect("404");
    assert_eq!(missing.status(), 404);
    let api = server
        .http
        .post(format!("{}/", server.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "AWSCognitoIdentityProviderService.ListUserPools")
        .body("{}")
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), 400, "unsigned admin call refused");
    vec![header(health), header(missing), header(api)]
}

#[tokio::test]
async fn an_https_public_url_sends_hsts_on_every_response() {
    let server = TestServer::start_with(|config| config.public_url = Some("https://auth.example.com".into())).await;
    let expected = Some("max-age=31536000; includeSubDomains".to_owned());
    assert_eq!(hsts_headers(&server).await, vec![expected; 3]);
}

#[tokio::test]
async fn an_http_public_url_sends_no_hsts() {
    let server = TestServer::start_with(|config| config.public_url = Some("http://auth.example.com".into())).await;
    assert_eq!(hsts_headers(&server).await, vec![None; 3]);
}

/// Runs `cognate serve` with `args` and no `COGNATE_*` environment; a server that starts
/// instead of refusing is stopped after a while and fails the test.
async fn cognate_serve(args: &[&str]) -> Output {
    let data_dir = tempfile::tempdir().expect("tempdir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognate"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("COGNATE_") {
            command.env_remove(name);
        }
    }
    command
        .arg("serve")
        .args(args)
        .arg("--data-dir")
        .arg(data_dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("run cognate serve");
        let deadline = Instant::now() + Duration::from_secs(20);
        while child.try_wait().expect("poll").is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let output = child.wait_with_output().expect("reap");
                panic!(
                    "it started instead of refusing: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().expect("output")
    })
    .await
    .expect("join");
    drop(data_dir);
    output
}

fn refused(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!output.status.success(), "must not start: {stderr}");
    assert_eq!(output.status.code(), Some(1), "an error exit, not a crash: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[tokio::test]
async fn dev_mode_on_a_public_address_is_refused_at_start() {
    for listen in ["0.0.0.0:0", "[::]:0"] {
        let stderr = refused(&cognate_serve(&["--dev", "--listen", listen]).await);
        assert!(
            stderr.contains("--dev listens on loopback only") && stderr.contains("--allow-public-dev"),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn a_wildcard_address_without_a_public_url_is_refused_at_start() {
    let stderr = refused(&cognate_serve(&["--listen", "0.0.0.0:0"]).await);
    assert!(
        stderr.contains("set --public-url") && stderr.contains("COGNATE_PUBLIC_URL"),
        "{stderr}"
    );
    let stderr = refused(&cognate_serve(&["--listen", "0.0.0.0:0", "--public-url", "auth.example.com"]).await);
    assert!(stderr.contains("http:// or https://"), "{stderr}");
}

#[tokio::test]
async fn non_ascii_callback_and_sign_out_urls_are_refused_at_create_and_update() {
    use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let good = "https://app.example.com/cb";
    let client_id = server
        .admin
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("spa")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .callback_urls(good)
        .send()
        .await
        .expect("an ASCII callback is accepted")
        .user_pool_client()
        .and_then(|c| c.client_id())
        .expect("id")
        .to_owned();
    for (callback, logout) in [
        ("https://app.example.com/caf\u{e9}", good),
        ("https://b\u{fc}cher.example/cb", good),
        (good, "https://app.example.com/bye\u{2028}"),
    ] {
        let created = server
            .admin
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("spa")
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .callback_urls(callback)
            .logout_urls(logout)
            .send()
            .await
            .expect_err("refused at create");
        let updated = server
            .admin
            .update_user_pool_client()
            .user_pool_id(&pool_id)
            .client_id(&client_id)
            .client_name("spa")
            .allowed_o_auth_flows_user_pool_client(true)
            .allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .callback_urls(callback)
            .logout_urls(logout)
            .send()
            .await
            .expect_err("refused at update");
        let field = if callback == good { "LogoutURLs" } else { "CallbackURLs" };
        for err in [code(&created), code(&updated)] {
            assert_eq!(err, "InvalidParameterException", "{callback} {logout}");
        }
        for text in [message(&created), message(&updated)] {
            assert!(text.contains(field) && text.contains("printable ASCII"), "{text}");
        }
    }
}
