//! What ends a user's sessions ends their hosted-page session too, so the next authorize asks
//! for the password again; and the sweeper deletes every expired row.

use super::oauth_support::*;
use super::support::{TestServer, PASSWORD};

/// Whether an authorize with the hosted session `cookie` skips the form (a code for the app).
async fn skips_the_form(rp: &Rp, cookie: &str) -> bool {
    let response = browser()
        .get(attempt(rp).url)
        .header("cookie", format!("cognate-session={cookie}"))
        .send()
        .await
        .expect("authorize");
    assert_eq!(response.status(), 303);
    let to = location(response.headers());
    assert!(to.starts_with(CALLBACK) || to.starts_with("/login?"), "{to}");
    to.starts_with(CALLBACK)
}

#[tokio::test]
async fn sign_outs_password_changes_and_disables_end_the_hosted_session() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let (password_client, _) = server.client(&pool_id, true, false).await;
    let admin = &server.admin;
    let endings = [
        "AdminUserGlobalSignOut",
        "AdminSetUserPassword",
        "AdminDisableUser",
        "AdminResetUserPassword",
        "ChangePassword",
        "GlobalSignOut",
    ];
    for ending in endings {
        // A fresh start for each ending: enabled, with the known password.
        admin
            .admin_enable_user()
            .user_pool_id(&pool_id)
            .username("alice")
            .send()
            .await
            .expect("enable");
        admin
            .admin_set_user_password()
            .user_pool_id(&pool_id)
            .username("alice")
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await
            .expect("set password");
        let (_, cookie) = hosted_sign_in(&server, &client_id, &attempt(&rp).url).await;
        assert!(skips_the_form(&rp, &cookie).await, "{ending}: the session works");
        let tokens = server.sign_in(&password_client, "alice", PASSWORD).await;
        let access = tokens.access_token().expect("access token");
        match ending {
            "AdminUserGlobalSignOut" => {
                admin
                    .admin_user_global_sign_out()
                    .user_pool_id(&pool_id)
                    .username("alice")
                    .send()
                    .await
                    .expect("sign out");
            }
            "AdminSetUserPassword" => {
                admin
                    .admin_set_user_password()
                    .user_pool_id(&pool_id)
                    .username("alice")
                    .password("An0ther-password")
                    .permanent(true)
                    .send()
                    .await
                    .expect("set password");
            }
            "AdminDisableUser" => {
                admin
                    .admin_disable_user()
                    .user_pool_id(&pool_id)
                    .username("alice")
                    .send()
                    .await
                    .expect("disable");
            }
            "AdminResetUserPassword" => {
                admin
                    .admin_reset_user_password()
                    .user_pool_id(&pool_id)
                    .username("alice")
                    .send()
                    .await
                    .expect("reset");
            }
            "ChangePassword" => {
                server
                    .public
                    .change_password()
                    .access_token(access)
                    .previous_password(PASSWORD)
                    .proposed_password("An0ther-password")
                    .send()
                    .await
                    .expect("change password");
            }
            _ => {
                server
                    .public
                    .global_sign_out()
                    .access_token(access)
                    .send()
                    .await
                    .expect("sign out");
            }
        }
        assert!(!skips_the_form(&rp, &cookie).await, "{ending} ends the hosted session");
    }
}

#[tokio::test]
async fn deleting_a_user_ends_their_hosted_session() {
    let server = TestServer::start().await;
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    let (_, cookie) = hosted_sign_in(&server, &client_id, &attempt(&rp).url).await;
    let user = server
        .state
        .store
        .get_user_by_key(&pool_id, "alice")
        .await
        .expect("store")
        .expect("user");
    server
        .admin
        .admin_delete_user()
        .user_pool_id(&pool_id)
        .username("alice")
        .send()
        .await
        .expect("delete");
    assert!(!skips_the_form(&rp, &cookie).await);
    let left = server.state.store.sweep_expired(i64::MAX / 2).await.expect("sweep");
    assert_eq!(
        left.hosted_sessions, 0,
        "the session of {} was deleted with them",
        user.sub
    );
}

#[tokio::test]
async fn the_sweeper_deletes_expired_rows_and_keeps_live_ones() {
    let server = TestServer::start().await;
    server.clock.freeze();
    let (pool_id, client_id, _) = oauth_setup(&server, false).await;
    let rp = relying_party(&server, &pool_id, &client_id, None).await;
    hosted_sign_in(&server, &client_id, &attempt(&rp).url).await;
    server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("bo")
        .password(PASSWORD)
        .user_attributes(super::support::attr("email", "bo@example.com"))
        .send()
        .await
        .expect("sign up");
    let store = &server.state.store;
    let now = server.state.clock.now();
    assert_eq!(
        store.sweep_expired(now).await.expect("sweep").total(),
        0,
        "nothing expired yet"
    );
    // Past the default 30-day refresh token and the day sign-in sessions are kept after it.
    let later = 32 * 86_400;
    let swept = store.sweep_expired(now + later).await.expect("sweep");
    assert!(swept.codes >= 1, "the sign-up code: {swept:?}");
    assert!(swept.hosted_sessions >= 1, "the hosted session: {swept:?}");
    assert!(swept.sessions >= 1, "the sign-in sessions a day past expiry: {swept:?}");
    assert!(swept.authorization_codes >= 1, "the authorization code: {swept:?}");
    assert!(swept.mail >= 1, "the mailbox: {swept:?}");
    assert_eq!(
        store.sweep_expired(now + later).await.expect("sweep").total(),
        0,
        "idempotent"
    );
}
