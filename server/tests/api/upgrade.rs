//! Upgrading: a database made by the previous release (`fixtures/previous-release`, made by
//! `fixtures/make_previous_release.py` with the binary of commit a33a967) is opened by this one
//! — migrated, its SRP verifiers sealed — with nothing lost: its users sign in with their
//! passwords (both flows), its group keeps its member, its refresh token still refreshes.

use std::path::Path;

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;
use cognate_server::vault::Vault;

use super::srp::srp_answer;
use super::support::TestServer;

fn copy_fixture(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/previous-release");
    for name in ["cognate.db", "secret.key"] {
        std::fs::copy(from.join(name), to.join(name)).expect("copy the fixture");
    }
}

#[tokio::test]
async fn a_database_of_the_previous_release_is_upgraded_with_nothing_lost() {
    if std::env::var_os("COGNATE_TEST_DATABASE_URL").is_some() {
        return; // The fixture is an SQLite database; the PostgreSQL run has nothing to open.
    }
    let dir = tempfile::tempdir().expect("tempdir");
    copy_fixture(dir.path());
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/previous-release/expected.json"),
        )
        .expect("expected.json"),
    )
    .expect("json");
    let data_dir = dir.path().to_owned();
    let server = TestServer::start_with(move |config| config.data_dir = data_dir).await;
    let pool_id = expected["userPoolId"].as_str().expect("pool");
    let client_id = expected["clientId"].as_str().expect("client");

    let users = server
        .admin
        .list_users()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("list users");
    let mut names: Vec<&str> = users.users().iter().filter_map(|u| u.username()).collect();
    names.sort();
    assert_eq!(names, ["ada", "bob"]);
    for (username, password) in expected["users"].as_object().expect("users") {
        let password = password.as_str().expect("password");
        server.sign_in(client_id, username, password).await;
        srp_answer(&server, pool_id, client_id, None, username, password)
            .await
            .unwrap_or_else(|e| panic!("SRP sign-in of {username}: {e}"));
        let stored = server
            .state
            .store
            .get_user_by_key(pool_id, username)
            .await
            .expect("store")
            .expect("user");
        assert!(
            Vault::is_sealed(&stored.srp.expect("credentials").verifier),
            "{username}'s verifier sealed"
        );
    }
    let members = server
        .admin
        .list_users_in_group()
        .user_pool_id(pool_id)
        .group_name("admins")
        .send()
        .await
        .expect("group");
    let members: Vec<&str> = members.users().iter().filter_map(|u| u.username()).collect();
    assert_eq!(members, ["ada"]);
    let refreshed = server
        .public
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", expected["refreshToken"].as_str().expect("token"))
        .send()
        .await
        .expect("the old refresh token refreshes");
    assert!(refreshed
        .authentication_result()
        .and_then(|r| r.access_token())
        .is_some());
    server
        .admin
        .admin_update_user_attributes()
        .user_pool_id(pool_id)
        .username("bob")
        .user_attributes(super::support::attr("name", "Bob"))
        .send()
        .await
        .expect("an old user is written to");
}
