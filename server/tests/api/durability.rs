//! What must hold however the server is stopped or loaded: an answered sign-up survives a
//! SIGKILL of the real binary, and concurrent sign-ups of one username create one user.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cognate_server::config::{DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY};

use super::support::*;

/// The `cognate` binary serving in dev mode; killed when dropped, so a failed assertion never
/// leaves it running.
struct ChildServer {
    child: Child,
    url: String,
}

impl ChildServer {
    /// Serves from `data_dir`, or from the PostgreSQL `database_url` (with its master key) when
    /// given.
    async fn start(port: u16, data_dir: &Path, database: Option<&(String, String)>) -> Self {
        let listen = format!("127.0.0.1:{port}");
        let mut command = Command::new(env!("CARGO_BIN_EXE_cognate"));
        // A developer's own configuration (e.g. admin keys) must not change what is tested.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("COGNATE_") {
                command.env_remove(name);
            }
        }
        command
            .args(["serve", "--dev", "--listen", &listen, "--data-dir"])
            .arg(data_dir);
        if let Some((url, secret_key)) = database {
            command
                .args(["--database-url", url])
                .env("COGNATE_SECRET_KEY", secret_key);
        }
        let child = command
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn cognate");
        let mut server = ChildServer {
            child,
            url: format!("http://{listen}"),
        };
        server.wait_until_up().await;
        server
    }

    async fn wait_until_up(&mut self) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("http client");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("cognate exited before it was up: {status}");
            }
            let health = http.get(format!("{}/health", self.url)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "cognate did not answer /health within 30 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// SIGKILL (on unix): no shutdown code runs.
    fn kill(&mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("reap");
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[tokio::test]
async fn an_answered_sign_up_survives_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    // On PostgreSQL when the suite runs there: both lives of the server use one fresh schema.
    let database = fresh_test_database().await.map(|url| (url, new_secret_key()));
    let mut first = ChildServer::start(port, dir.path(), database.as_ref()).await;
    let demo: serde_json::Value = reqwest::get(format!("{}/_dev/demo.json", first.url))
        .await
        .expect("demo")
        .json()
        .await
        .expect("json");
    let pool_id = demo["userPoolId"].as_str().expect("userPoolId").to_owned();
    let client_id = demo["clientId"].as_str().expect("clientId").to_owned();
    let identity_pool_id = demo["identityPoolId"].as_str().expect("identityPoolId").to_owned();

    let public = sdk_client(&first.url, None);
    let out = public
        .sign_up()
        .client_id(&client_id)
        .username("kit")
        .password(PASSWORD)
        .user_attributes(attr("email", "kit@example.com"))
        .send()
        .await
        .expect("sign up");
    first.kill();
    drop(first);

    let second = ChildServer::start(port, dir.path(), database.as_ref()).await;
    let admin = sdk_client(&second.url, Some((DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY)));
    let user = admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("kit")
        .send()
        .await
        .expect("the user survived");
    assert_eq!(user.username(), "kit");
    let sub = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value());
    assert_eq!(sub, Some(out.user_sub()));
    assert_eq!(
        user.user_status(),
        Some(&aws_sdk_cognitoidentityprovider::types::UserStatusType::Unconfirmed)
    );

    // The demo pool, client and identity pool were found again, not created anew.
    let demo: serde_json::Value = reqwest::get(format!("{}/_dev/demo.json", second.url))
        .await
        .expect("demo")
        .json()
        .await
        .expect("json");
    assert_eq!(demo["userPoolId"], pool_id.as_str());
    assert_eq!(demo["clientId"], client_id.as_str());
    assert_eq!(demo["identityPoolId"], identity_pool_id.as_str());

    // The pool's sealed signing key opens again (the master key file was kept): tokens work.
    admin
        .admin_confirm_sign_up()
        .user_pool_id(&pool_id)
        .username("kit")
        .send()
        .await
        .expect("confirm");
    let public = sdk_client(&second.url, None);
    let signed_in = public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "kit")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect("sign in after the restart");
    let access = signed_in
        .authentication_result()
        .and_then(|r| r.access_token())
        .expect("access token");
    public.get_user().access_token(access).send().await.expect("get user");
}

#[tokio::test]
async fn concurrent_sign_ups_of_one_username_create_one_user() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    let attempts: Vec<_> = (0..50)
        .map(|i| {
            let client = server.public.clone();
            let client_id = client_id.clone();
            tokio::spawn(async move {
                client
                    .sign_up()
                    .client_id(client_id)
                    .username("rush")
                    .password(PASSWORD)
                    .user_attributes(attr("email", &format!("rush{i}@example.com")))
                    .send()
                    .await
                    .map(|out| out.user_sub().to_owned())
                    .map_err(|e| code(&e))
            })
        })
        .collect();
    let mut subs = Vec::new();
    let mut errors = Vec::new();
    for attempt in attempts {
        match attempt.await.expect("task") {
            Ok(sub) => subs.push(sub),
            Err(name) => errors.push(name),
        }
    }
    assert_eq!(subs.len(), 1, "exactly one sign-up wins; errors: {errors:?}");
    assert_eq!(errors.len(), 49);
    assert!(errors.iter().all(|e| e == "UsernameExistsException"), "{errors:?}");

    let listed = server
        .admin
        .list_users()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.users().len(), 1);
    let user = &listed.users()[0];
    assert_eq!(user.username(), Some("rush"));
    let sub = user
        .attributes()
        .iter()
        .find(|a| a.name() == "sub")
        .and_then(|a| a.value());
    assert_eq!(sub, subs.first().map(String::as_str));
    let email = user
        .attributes()
        .iter()
        .find(|a| a.name() == "email")
        .and_then(|a| a.value())
        .expect("email");
    assert_eq!(server.mail_count(email).await, 1, "only the winner got a code");
}
