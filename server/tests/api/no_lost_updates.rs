//! No lost updates: counters that parallel requests share are single statements, and a slow
//! request that read a user cannot write an old record back over what an admin or a reset did
//! meanwhile. The bursts here are spawned together, so they overlap inside the server.

use cognate_server::store::StoreError;
use tokio::task::JoinSet;

use super::support::{code, TestServer, PASSWORD};

const WRONG: &str = "Wr0ng-pass!";

/// Signs in `count` times at once with a wrong password; returns the error codes.
async fn wrong_password_burst(server: &TestServer, client_id: &str, username: &str, count: usize) -> Vec<String> {
    let mut burst = JoinSet::new();
    for _ in 0..count {
        let public = server.public.clone();
        let (client_id, username) = (client_id.to_owned(), username.to_owned());
        burst.spawn(async move {
            let result = public
                .initiate_auth()
                .client_id(client_id)
                .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", username)
                .auth_parameters("PASSWORD", WRONG)
                .send()
                .await;
            code(&result.expect_err("a wrong password"))
        });
    }
    burst.join_all().await
}

#[tokio::test]
async fn parallel_wrong_passwords_count_one_each() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "ada").await;
    let answers = wrong_password_burst(&server, &client_id, "ada", 5).await;
    assert!(answers.iter().all(|c| c == "NotAuthorizedException"), "{answers:?}");
    let user = server
        .state
        .store
        .get_user_by_key(&pool_id, "ada")
        .await
        .expect("store")
        .expect("user");
    assert_eq!(user.failed_attempts, 5, "every wrong password of the burst counted");
    let locked = server.try_sign_in(&client_id, "ada", PASSWORD).await;
    assert_eq!(locked.err().as_deref(), Some("NotAuthorizedException"), "locked out");
}

#[tokio::test]
async fn a_burst_of_wrong_codes_gets_five_looks_in_all() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("bea")
        .password(PASSWORD)
        .user_attributes(super::support::attr("email", "bea@example.com"))
        .send()
        .await
        .expect("sign up");
    let right = server.code_for("bea@example.com").await;
    let wrong = if right == "000000" { "111111" } else { "000000" };
    let mut burst = JoinSet::new();
    for _ in 0..12 {
        let public = server.public.clone();
        let client_id = client_id.clone();
        burst.spawn(async move {
            let result = public
                .confirm_sign_up()
                .client_id(client_id)
                .username("bea")
                .confirmation_code(wrong)
                .send()
                .await;
            code(&result.expect_err("a wrong code"))
        });
    }
    let answers = burst.join_all().await;
    let mismatches = answers.iter().filter(|c| *c == "CodeMismatchException").count();
    let limited = answers.iter().filter(|c| *c == "LimitExceededException").count();
    assert_eq!((mismatches, limited), (5, 7), "{answers:?}");
    let late = server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("bea")
        .confirmation_code(&right)
        .send()
        .await
        .expect_err("the code's attempts are used up");
    assert_eq!(code(&late), "LimitExceededException");
}

#[tokio::test]
async fn a_wrong_password_in_flight_does_not_undo_a_disable_or_a_new_password() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "cy").await;
    for round in 0..4 {
        let new_password = format!("N3w-password-{round}");
        let mut writes = JoinSet::new();
        for _ in 0..3 {
            let public = server.public.clone();
            let client_id = client_id.clone();
            writes.spawn(async move {
                let _ = public
                    .initiate_auth()
                    .client_id(client_id)
                    .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
                    .auth_parameters("USERNAME", "cy")
                    .auth_parameters("PASSWORD", WRONG)
                    .send()
                    .await;
            });
        }
        server
            .admin
            .admin_disable_user()
            .user_pool_id(&pool_id)
            .username("cy")
            .send()
            .await
            .expect("disable");
        server
            .admin
            .admin_set_user_password()
            .user_pool_id(&pool_id)
            .username("cy")
            .password(&new_password)
            .permanent(true)
            .send()
            .await
            .expect("set password");
        writes.join_all().await;
        let user = server
            .admin
            .admin_get_user()
            .user_pool_id(&pool_id)
            .username("cy")
            .send()
            .await
            .expect("get user");
        assert!(!user.enabled(), "round {round}: the disable stands");
        let stored = server
            .state
            .store
            .get_user_by_key(&pool_id, "cy")
            .await
            .expect("store")
            .expect("user");
        let hash = stored.password_hash.expect("a password");
        assert!(
            cognate_server::password::verify_blocking(&new_password, &hash),
            "round {round}: the new password stands"
        );
        server
            .admin
            .admin_enable_user()
            .user_pool_id(&pool_id)
            .username("cy")
            .send()
            .await
            .expect("enable");
    }
}

#[tokio::test]
async fn a_write_based_on_an_old_read_is_refused() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "di").await;
    let store = &server.state.store;
    let read = |_: ()| async {
        store
            .get_user_by_key(&pool_id, "di")
            .await
            .expect("store")
            .expect("user")
    };
    let (mut first, mut second) = (read(()).await, read(()).await);
    first.enabled = false;
    assert!(store.update_user(&first).await.expect("first write"));
    second.attributes.insert("name".into(), "Di".into());
    assert!(matches!(store.update_user(&second).await, Err(StoreError::Stale)));
    let now = read(()).await;
    assert!(!now.enabled && !now.attributes.contains_key("name"));
    assert_eq!(now.version, first.version + 1);
}

#[tokio::test]
async fn a_locked_account_answers_as_a_wrong_password_where_users_are_hidden() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (_, client_id) = server.pool_and_client(false).await;
    server.confirmed_user(&client_id, "eli").await;
    wrong_password_burst(&server, &client_id, "eli", 7).await;
    let locked = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "eli")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("locked");
    let nobody = server
        .public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "nobody")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .expect_err("unknown");
    assert_eq!(code(&locked), code(&nobody));
    assert_eq!(
        super::support::message(&locked),
        super::support::message(&nobody),
        "a locked account and an unknown user look the same"
    );
}
