//! Several server processes on one PostgreSQL database (run with `COGNATE_TEST_DATABASE_URL`,
//! see `scripts/with-postgres.sh`; skipped on SQLite, whose database belongs to one process):
//! tokens issued by one are honoured by the others, and a sign-out or a disabled user through
//! one is seen at once by the others, however recently they checked the token themselves.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::AuthFlowType;

use super::support::*;

/// Two servers on the database of the first, with its public URL (the token issuer) and master
/// key, as processes behind one load balancer; `None` without a PostgreSQL test database.
async fn two_servers() -> Option<(TestServer, TestServer)> {
    let first = TestServer::start().await;
    let database_url = first.state.config.database_url.clone()?;
    let public_url = first.url.clone();
    let secret_key = first.state.config.secret_key.clone();
    let second = TestServer::start_with(|config| {
        config.database_url = Some(database_url);
        config.public_url = Some(public_url);
        config.secret_key = secret_key;
    })
    .await;
    Some((first, second))
}

const NOT_AUTHORIZED: Option<&str> = Some("NotAuthorizedException");

async fn get_user(server: &TestServer, access_token: &str) -> Result<String, String> {
    let out = server.public.get_user().access_token(access_token).send().await;
    out.map(|o| o.username().to_owned()).map_err(|e| code(&e))
}

async fn refresh(server: &TestServer, client_id: &str, refresh_token: &str) -> Result<(), String> {
    let request = server.public.initiate_auth().client_id(client_id);
    let request = request.auth_flow(AuthFlowType::RefreshTokenAuth);
    let out = request.auth_parameters("REFRESH_TOKEN", refresh_token).send().await;
    out.map(|_| ()).map_err(|e| code(&e))
}

#[tokio::test]
async fn a_sign_out_through_one_process_is_seen_by_the_others() {
    let Some((a, b)) = two_servers().await else {
        eprintln!("skipped: COGNATE_TEST_DATABASE_URL is not set");
        return;
    };
    let (_pool_id, client_id) = a.pool_and_client(false).await;
    a.confirmed_user(&client_id, "ana").await;
    let tokens = a.sign_in(&client_id, "ana", PASSWORD).await;
    let access = tokens.access_token().expect("access token");
    let refresh_token = tokens.refresh_token().expect("refresh token");

    // Issued by a, honoured by b; both have now checked the token.
    assert_eq!(get_user(&b, access).await.as_deref(), Ok("ana"));
    assert_eq!(get_user(&a, access).await.as_deref(), Ok("ana"));
    refresh(&b, &client_id, refresh_token)
        .await
        .expect("b refreshes a's session");

    b.public
        .global_sign_out()
        .access_token(access)
        .send()
        .await
        .expect("sign out through b");
    assert_eq!(get_user(&a, access).await.err().as_deref(), NOT_AUTHORIZED);
    assert_eq!(
        refresh(&a, &client_id, refresh_token).await.err().as_deref(),
        NOT_AUTHORIZED
    );
}

#[tokio::test]
async fn a_user_disabled_through_one_process_is_refused_by_the_others() {
    let Some((a, b)) = two_servers().await else {
        eprintln!("skipped: COGNATE_TEST_DATABASE_URL is not set");
        return;
    };
    let (pool_id, client_id) = a.pool_and_client(false).await;
    a.confirmed_user(&client_id, "bo").await;
    let tokens = b.sign_in(&client_id, "bo", PASSWORD).await;
    let access = tokens.access_token().expect("access token");
    assert_eq!(get_user(&a, access).await.as_deref(), Ok("bo"));

    b.admin
        .admin_disable_user()
        .user_pool_id(&pool_id)
        .username("bo")
        .send()
        .await
        .expect("disable through b");
    assert_eq!(get_user(&a, access).await.err().as_deref(), NOT_AUTHORIZED);
    assert_eq!(
        a.try_sign_in(&client_id, "bo", PASSWORD).await.err().as_deref(),
        NOT_AUTHORIZED
    );
}
