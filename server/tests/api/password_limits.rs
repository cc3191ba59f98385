//! Password limits: longer than 256 characters is refused before any hashing, and a hash made
//! at an older argon2 cost is replaced at the next sign-in that proves the password.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::support::{attr, code, message, TestServer, PASSWORD};

#[tokio::test]
async fn passwords_over_256_characters_are_refused_by_name() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    let long = format!("Aa1!{}", "x".repeat(253));
    let refused = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("lu")
        .password(&long)
        .user_attributes(attr("email", "lu@example.com"))
        .send()
        .await
        .expect_err("too long");
    assert_eq!(code(&refused), "InvalidParameterException");
    assert!(message(&refused).contains("256"), "{}", message(&refused));
    server.confirmed_user(&client_id, "mo").await;
    let wrong = server.try_sign_in(&client_id, "mo", &long).await;
    assert_eq!(wrong.err().as_deref(), Some("NotAuthorizedException"));
}

#[tokio::test]
async fn a_hash_of_an_older_cost_is_upgraded_at_the_next_sign_in() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    server.confirmed_user(&client_id, "ned").await;
    let store = &server.state.store;
    let mut user = store
        .get_user_by_key(&pool_id, "ned")
        .await
        .expect("store")
        .expect("user");
    let weak = Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(4096, 1, 1, None).expect("params"),
    );
    let salt = SaltString::generate(&mut OsRng);
    user.password_hash = Some(
        weak.hash_password(PASSWORD.as_bytes(), &salt)
            .expect("hash")
            .to_string(),
    );
    assert!(store.update_user(&user).await.expect("write"));
    server.sign_in(&client_id, "ned", PASSWORD).await;
    let upgraded = store
        .get_user_by_key(&pool_id, "ned")
        .await
        .expect("store")
        .expect("user");
    let hash = upgraded.password_hash.expect("a hash");
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    server.sign_in(&client_id, "ned", PASSWORD).await;
}
