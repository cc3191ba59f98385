//! SRP verifiers are stored sealed: a new password's verifier is sealed to its user, one an
//! earlier version stored in the clear is sealed at start, and a clear one found later is
//! refused rather than used.

use cognate_server::store::SrpCredentials;
use cognate_server::vault::Vault;

use super::srp::{srp_answer, srp_pool};
use super::support::{TestServer, PASSWORD};

#[tokio::test]
async fn verifiers_are_sealed_and_clear_ones_are_sealed_at_start_or_refused() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = srp_pool(&server, true).await;
    server.confirmed_user(&client_id, "ona").await;
    let store = &server.state.store;
    let read = || async {
        store
            .get_user_by_key(&pool_id, "ona")
            .await
            .expect("store")
            .expect("user")
    };
    let user = read().await;
    let stored = user.srp.clone().expect("credentials");
    assert!(Vault::is_sealed(&stored.verifier), "a new verifier is sealed");
    srp_answer(&server, &pool_id, &client_id, None, "ona", PASSWORD)
        .await
        .expect("SRP sign-in with the sealed verifier");

    // A verifier as an earlier version stored it: in the clear.
    let clear = cognate_server::srp::new_credentials(&pool_id, &user.username, PASSWORD);
    let mut legacy = user.clone();
    legacy.srp = Some(SrpCredentials {
        salt: clear.salt.clone(),
        verifier: clear.verifier.clone(),
    });
    assert!(store.update_user(&legacy).await.expect("write"));
    let refused = srp_answer(&server, &pool_id, &client_id, None, "ona", PASSWORD).await;
    assert_eq!(
        refused.err().as_deref(),
        Some("NotAuthorizedException: Incorrect username or password."),
        "a verifier in the clear is not used"
    );
    let sealed = cognate_server::password::seal_stored_verifiers(&server.state)
        .await
        .expect("seal");
    assert_eq!(sealed, 1);
    assert!(Vault::is_sealed(&read().await.srp.expect("credentials").verifier));
    srp_answer(&server, &pool_id, &client_id, None, "ona", PASSWORD)
        .await
        .expect("SRP sign-in once the start-up pass sealed it");
    assert_eq!(
        cognate_server::password::seal_stored_verifiers(&server.state)
            .await
            .expect("seal"),
        0
    );
}
