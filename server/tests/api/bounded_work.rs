//! Bounded password work: with the pool full, a sign-in is refused at once with
//! `TooManyRequestsException` (the SDKs' throttling error, which they retry), while requests
//! that need no password work are served.

use tokio::task::JoinSet;

use super::support::{code, TestServer, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ins_past_the_pool_is_refused_and_token_checks_go_on() {
    let server = TestServer::start_with(|config| {
        config.password_workers = Some(1);
        config.password_queue = Some(1);
    })
    .await;
    let (_, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "gus").await;
    let access = server
        .sign_in(&client_id, "gus", PASSWORD)
        .await
        .access_token()
        .expect("access token")
        .to_owned();
    let mut flood = JoinSet::new();
    for _ in 0..24 {
        let public = server.public.clone();
        let client_id = client_id.clone();
        flood.spawn(async move {
            let result = public
                .initiate_auth()
                .client_id(client_id)
                .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
                .auth_parameters("USERNAME", "nobody")
                .auth_parameters("PASSWORD", "Wr0ng-pass!")
                .send()
                .await;
            code(&result.expect_err("refused one way or the other"))
        });
    }
    let user = server.public.get_user().access_token(&access).send().await;
    assert_eq!(user.expect("GetUser during the flood").username(), "gus");
    let answers = flood.join_all().await;
    let busy = answers.iter().filter(|c| *c == "TooManyRequestsException").count();
    let checked = answers.iter().filter(|c| *c == "UserNotFoundException").count();
    assert_eq!(busy + checked, answers.len(), "{answers:?}");
    assert!(busy > 0 && checked >= 2, "{answers:?}");
    // Room comes back once the flood is over.
    server.sign_in(&client_id, "gus", PASSWORD).await;
}
