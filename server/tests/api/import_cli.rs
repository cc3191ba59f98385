//! `cognate import`, the real binary, against a server on a loopback port: it signs with the
//! admin key from the environment (else the dev key), uploads, runs and reports the job.

use std::process::{Command, Output, Stdio};

use super::support::*;

/// Runs `cognate import` (off the runtime's thread, so the in-process server keeps serving).
async fn cognate_import(
    server: &TestServer,
    pool_id: &str,
    file: &std::path::Path,
    key: Option<(&str, &str)>,
) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognate"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("COGNATE_") {
            command.env_remove(name);
        }
    }
    if let Some((id, secret)) = key {
        command
            .env("COGNATE_ADMIN_ACCESS_KEY_ID", id)
            .env("COGNATE_ADMIN_SECRET_ACCESS_KEY", secret);
    }
    command
        .args([
            "import",
            "--pool",
            pool_id,
            "--endpoint",
            &server.url,
            "--job-name",
            "cli-test",
        ])
        .arg(file)
        .stdin(Stdio::null());
    tokio::task::spawn_blocking(move || command.output().expect("run cognate import"))
        .await
        .expect("join")
}

#[tokio::test]
async fn the_cli_imports_a_file_and_reports_the_rows_it_did_not_import() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("users.csv");
    std::fs::write(
        &file,
        "cognito:username,email,email_verified,cognito:mfa_enabled\n\
         amy,amy@example.com,true,false\n\
         ben,ben@,true,false\n\
         cat,\"cat@example.com\",true,false\n",
    )
    .expect("write csv");

    let dev_key = cognate_import(&server, &pool_id, &file, None).await;
    assert!(!dev_key.status.success(), "the server does not take the dev key");
    let stderr = String::from_utf8_lossy(&dev_key.stderr);
    assert!(stderr.contains("UnrecognizedClientException"), "{stderr}");

    let output = cognate_import(&server, &pool_id, &file, Some((ACCESS_KEY, SECRET_KEY))).await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Succeeded: 2 imported, 0 skipped, 1 failed of 3 rows in"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 3 (ben): Failed: Invalid email address format."),
        "{stdout}"
    );
    assert!(stderr.contains("3/3 rows 100%"), "{stderr}");
    let amy = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("amy")
        .send()
        .await;
    assert!(amy.is_ok(), "amy was imported");
}
