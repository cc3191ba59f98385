//! `cognate export`, the real binary, against a server on a loopback port: the CSV it writes
//! imports into another pool of the same schema with every user and attribute, and the JSON
//! holds the groups with their members.

use std::process::{Command, Stdio};

use super::support::*;

/// Runs `cognate <args>` with the test's admin key (off the runtime's thread, so the in-process
/// server keeps serving); returns stdout, and panics with stderr if it fails.
async fn cognate(args: Vec<String>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cognate"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("COGNATE_") {
            command.env_remove(name);
        }
    }
    command
        .env("COGNATE_ADMIN_ACCESS_KEY_ID", ACCESS_KEY)
        .env("COGNATE_ADMIN_SECRET_ACCESS_KEY", SECRET_KEY)
        .args(&args)
        .stdin(Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output().expect("run cognate"))
        .await
        .expect("join");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "cognate {args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[tokio::test]
async fn an_export_imports_into_another_pool_and_the_json_holds_the_groups() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "ann").await;
    server.confirmed_user(&client_id, "bea").await;
    server
        .admin
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("ann")
        .user_attributes(attr("name", "Ann, \"the first\""))
        .send()
        .await
        .expect("name");
    server
        .admin
        .create_group()
        .user_pool_id(&pool_id)
        .group_name("staff")
        .precedence(3)
        .send()
        .await
        .expect("group");
    server
        .admin
        .admin_add_user_to_group()
        .user_pool_id(&pool_id)
        .username("bea")
        .group_name("staff")
        .send()
        .await
        .expect("member");

    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("users.csv");
    let base = |format: &str| {
        vec![
            "export".to_owned(),
            "--pool".to_owned(),
            pool_id.clone(),
            "--endpoint".to_owned(),
            server.url.clone(),
            "--format".to_owned(),
            format.to_owned(),
        ]
    };
    let mut args = base("csv");
    args.extend(["--out".to_owned(), csv.display().to_string()]);
    cognate(args).await;

    let (other_pool, _) = server.pool_and_client(true).await;
    let imported = cognate(vec![
        "import".into(),
        "--pool".into(),
        other_pool.clone(),
        "--endpoint".into(),
        server.url.clone(),
        csv.display().to_string(),
    ])
    .await;
    assert!(
        imported.contains("Succeeded: 2 imported, 0 skipped, 0 failed of 2 rows"),
        "{imported}"
    );
    for username in ["ann", "bea"] {
        let before = server
            .admin
            .admin_get_user()
            .user_pool_id(&pool_id)
            .username(username)
            .send()
            .await;
        let after = server
            .admin
            .admin_get_user()
            .user_pool_id(&other_pool)
            .username(username)
            .send()
            .await;
        let (before, after) = (before.expect("exported user"), after.expect("imported user"));
        let pick = |user: &aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput| {
            let mut attributes: Vec<(String, String)> = user
                .user_attributes()
                .iter()
                .filter(|a| a.name() != "sub")
                .map(|a| (a.name().to_owned(), a.value().unwrap_or_default().to_owned()))
                .collect();
            attributes.sort();
            attributes
        };
        assert_eq!(
            pick(&before),
            pick(&after),
            "{username}'s attributes survive the round trip"
        );
        assert_eq!(
            after.user_status().map(|s| s.as_str()),
            Some("RESET_REQUIRED"),
            "imported users set a new password, as with any Cognito import"
        );
    }

    let json: serde_json::Value = serde_json::from_str(&cognate(base("json")).await).expect("json export");
    assert_eq!(json["Users"].as_array().map(Vec::len), Some(2));
    assert_eq!(json["Groups"][0]["GroupName"], "staff");
    assert_eq!(json["Groups"][0]["Precedence"], 3);
    assert_eq!(json["Groups"][0]["Members"], serde_json::json!(["bea"]));
    let ann = json["Users"]
        .as_array()
        .and_then(|users| users.iter().find(|u| u["Username"] == "ann"));
    assert_eq!(ann.expect("ann")["Attributes"]["name"], "Ann, \"the first\"");
}
