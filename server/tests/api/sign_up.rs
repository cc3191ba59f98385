//! Sign-up, confirmation, password policy, secret hashes and password recovery.

use super::support::*;

#[tokio::test]
async fn sign_up_confirm_and_sign_in() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    let out = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("Jane")
        .password(PASSWORD)
        .user_attributes(attr("email", "jane@example.com"))
        .send()
        .await
        .expect("sign up");
    assert!(!out.user_confirmed());
    let delivery = out.code_delivery_details().expect("delivery");
    assert_eq!(delivery.destination(), Some("j***@e***"));
    assert_eq!(
        server.try_sign_in(&client_id, "jane", PASSWORD).await.err().as_deref(),
        Some("UserNotConfirmedException")
    );

    let err = server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("jane")
        .confirmation_code("000000x")
        .send()
        .await;
    assert_eq!(code(&err.expect_err("wrong code")), "CodeMismatchException");
    let code_sent = server.code_for("jane@example.com").await;
    server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("JANE")
        .confirmation_code(&code_sent)
        .send()
        .await
        .expect("confirm, case-insensitively");
    let again = server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("jane")
        .confirmation_code(&code_sent)
        .send()
        .await;
    assert_eq!(code(&again.expect_err("reused code")), "NotAuthorizedException");

    let tokens = server.sign_in(&client_id, "jane", PASSWORD).await;
    let user = server
        .public
        .get_user()
        .access_token(tokens.access_token().expect("at"))
        .send()
        .await
        .expect("get user");
    assert_eq!(user.username(), "Jane");
    let email_verified = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email_verified")
        .and_then(|a| a.value());
    assert_eq!(email_verified, Some("true"));
    // A verified email is an alias the user can sign in with.
    server.sign_in(&client_id, "jane@example.com", PASSWORD).await;
}

#[tokio::test]
async fn weak_passwords_duplicates_and_missing_attributes_are_refused() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(true).await;
    let weak = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("a")
        .password("password")
        .send()
        .await;
    let err = weak.expect_err("weak");
    assert_eq!(code(&err), "InvalidPasswordException");
    assert!(message(&err).contains("Password did not conform with policy"));

    server.confirmed_user(&client_id, "bob").await;
    let dup = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("BOB")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(code(&dup.expect_err("duplicate")), "UsernameExistsException");

    let bad_attr = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("carol")
        .password(PASSWORD)
        .user_attributes(attr("favourite_colour", "blue"))
        .send()
        .await;
    assert_eq!(
        code(&bad_attr.expect_err("unknown attribute")),
        "InvalidParameterException"
    );

    let email_as_username = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("dan@example.com")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(
        code(&email_as_username.expect_err("email alias pool")),
        "InvalidParameterException"
    );

    // A client hiding user existence answers a duplicate sign-up like a new one and creates nothing.
    let (hiding, _) = server.client(&pool_id, false, false).await;
    let out = server
        .public
        .sign_up()
        .client_id(&hiding)
        .username("bob")
        .password(PASSWORD)
        .user_attributes(attr("email", "someone@example.com"))
        .send()
        .await
        .expect("looks like success");
    assert!(!out.user_confirmed());
    assert_eq!(server.mail_count("someone@example.com").await, 0);
    let listed = server
        .admin
        .list_users()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list");
    assert_eq!(listed.users().len(), 1);
}

#[tokio::test]
async fn admin_only_pools_refuse_self_sign_up() {
    let server = TestServer::start().await;
    let pool = server
        .admin
        .create_user_pool()
        .pool_name("closed")
        .admin_create_user_config(
            aws_sdk_cognitoidentityprovider::types::AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
        .send()
        .await
        .expect("pool");
    let pool_id = pool.user_pool().and_then(|p| p.id()).expect("id");
    let (client_id, _) = server.client(pool_id, true, false).await;
    let err = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("x")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(code(&err.expect_err("closed")), "NotAuthorizedException");
}

#[tokio::test]
async fn clients_with_a_secret_need_the_secret_hash() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let (client_id, secret) = server.client(&pool_id, true, true).await;
    let secret = secret.expect("a secret");
    let missing = server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("eve")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(code(&missing.expect_err("no hash")), "NotAuthorizedException");
    let wrong = server
        .public
        .sign_up()
        .client_id(&client_id)
        .secret_hash("AAAA")
        .username("eve")
        .password(PASSWORD)
        .send()
        .await;
    assert_eq!(code(&wrong.expect_err("wrong hash")), "NotAuthorizedException");
    let hash = cognate_server::user_pool::secret_hash(&secret, "eve", &client_id);
    server
        .public
        .sign_up()
        .client_id(&client_id)
        .secret_hash(hash)
        .username("eve")
        .password(PASSWORD)
        .user_attributes(attr("email", "eve@example.com"))
        .send()
        .await
        .expect("with the right hash");
}

#[tokio::test]
async fn codes_expire_and_wrong_attempts_are_capped() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    server
        .public
        .sign_up()
        .client_id(&client_id)
        .username("fay")
        .password(PASSWORD)
        .user_attributes(attr("email", "fay@example.com"))
        .send()
        .await
        .expect("sign up");
    let first = server.code_for("fay@example.com").await;
    server.clock.advance(24 * 3600 + 1);
    let late = server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("fay")
        .confirmation_code(&first)
        .send()
        .await;
    assert_eq!(code(&late.expect_err("expired")), "ExpiredCodeException");

    server
        .public
        .resend_confirmation_code()
        .client_id(&client_id)
        .username("fay")
        .send()
        .await
        .expect("resend");
    let fresh = server.code_for("fay@example.com").await;
    let wrong = if fresh == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        let err = server
            .public
            .confirm_sign_up()
            .client_id(&client_id)
            .username("fay")
            .confirmation_code(wrong)
            .send()
            .await;
        assert_eq!(code(&err.expect_err("wrong")), "CodeMismatchException");
    }
    let after = server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("fay")
        .confirmation_code(&fresh)
        .send()
        .await;
    assert_eq!(
        code(&after.expect_err("used up after five wrong answers")),
        "LimitExceededException"
    );
}

#[tokio::test]
async fn forgot_password_resets_and_revokes_old_tokens() {
    let server = TestServer::start().await;
    let (_, client_id) = server.pool_and_client(true).await;
    let email = server.confirmed_user(&client_id, "gil").await;
    let before = server.sign_in(&client_id, "gil", PASSWORD).await;

    let out = server
        .public
        .forgot_password()
        .client_id(&client_id)
        .username("gil")
        .send()
        .await
        .expect("forgot");
    assert_eq!(
        out.code_delivery_details().and_then(|d| d.attribute_name()),
        Some("email")
    );
    let reset_code = server.code_for(&email).await;
    let weak = server
        .public
        .confirm_forgot_password()
        .client_id(&client_id)
        .username("gil")
        .confirmation_code(&reset_code)
        .password("short")
        .send()
        .await;
    assert_eq!(code(&weak.expect_err("weak")), "InvalidPasswordException");
    server
        .public
        .confirm_forgot_password()
        .client_id(&client_id)
        .username("gil")
        .confirmation_code(&reset_code)
        .password("N3w-Password")
        .send()
        .await
        .expect("reset");
    assert_eq!(
        server.try_sign_in(&client_id, "gil", PASSWORD).await.err().as_deref(),
        Some("NotAuthorizedException")
    );
    server.sign_in(&client_id, "gil", "N3w-Password").await;
    let old = server
        .public
        .get_user()
        .access_token(before.access_token().expect("at"))
        .send()
        .await;
    assert_eq!(code(&old.expect_err("revoked by the reset")), "NotAuthorizedException");

    let unknown = server
        .public
        .forgot_password()
        .client_id(&client_id)
        .username("nobody")
        .send()
        .await;
    assert_eq!(
        code(&unknown.expect_err("legacy client reveals")),
        "UserNotFoundException"
    );
}
