//! A SignUp whose code cannot be delivered: `CodeDeliveryFailureException`, as Cognito answers,
//! and no half-made user left behind — the username is free to sign up again. The failing
//! targets are real: an SMTP port nothing listens on, and an SMS webhook on loopback that
//! answers 500 until told to work.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::VerifiedAttributeType;
use cognate_server::config::SmtpConfig;

use super::support::*;

/// A loopback port with no listener (bound once to pick it, then released).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

#[tokio::test]
async fn an_unreachable_smtp_server_fails_the_sign_up_and_keeps_no_user() {
    let port = closed_port();
    let server = TestServer::start_with(|config| {
        config.smtp = Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            username: None,
            password: None,
            from: "Cognate <no-reply@cognate.test>".into(),
            tls: "none".into(),
        });
    })
    .await;
    // LEGACY: a kept user would make the second attempt answer UsernameExistsException.
    let (pool_id, client_id) = server.pool_and_client(true).await;
    for attempt in 0..2 {
        let err = server
            .public
            .sign_up()
            .client_id(&client_id)
            .username("unreachable")
            .password(PASSWORD)
            .user_attributes(attr("email", "unreachable@example.com"))
            .send()
            .await
            .expect_err("no code can be sent");
        assert_eq!(code(&err), "CodeDeliveryFailureException", "attempt {attempt}");
        assert!(message(&err).contains("EMAIL"), "{}", message(&err));
        let lookup = server
            .admin
            .admin_get_user()
            .user_pool_id(&pool_id)
            .username("unreachable")
            .send()
            .await
            .expect_err("no user was kept");
        assert_eq!(code(&lookup), "UserNotFoundException", "attempt {attempt}");
    }
    let listed = server
        .admin
        .list_users()
        .user_pool_id(&pool_id)
        .send()
        .await
        .expect("list");
    assert!(listed.users().is_empty(), "{:?}", listed.users());
}

/// An SMS webhook that answers 500 until `working` is set, then keeps what it receives.
async fn flaky_webhook() -> (String, Arc<AtomicBool>, Arc<Mutex<Vec<serde_json::Value>>>) {
    let working = Arc::new(AtomicBool::new(false));
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let (on, kept) = (working.clone(), received.clone());
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(move |axum::Json(body): axum::Json<serde_json::Value>| {
            let (on, kept) = (on.clone(), kept.clone());
            async move {
                if !on.load(Ordering::SeqCst) {
                    return axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                }
                kept.lock().expect("lock").push(body);
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/sms", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, working, received)
}

#[tokio::test]
async fn a_failing_sms_webhook_fails_the_sign_up_and_the_name_can_sign_up_once_it_works() {
    let (url, working, received) = flaky_webhook().await;
    let server = TestServer::start_with(|config| config.sms_webhook_url = Some(url)).await;
    let pool_id = server
        .admin
        .create_user_pool()
        .pool_name("sms-pool")
        .auto_verified_attributes(VerifiedAttributeType::PhoneNumber)
        .send()
        .await
        .expect("create pool")
        .user_pool()
        .and_then(|p| p.id())
        .expect("pool id")
        .to_owned();
    let client_id = server.client(&pool_id, true, false).await.0;
    let sign_up = || {
        server
            .public
            .sign_up()
            .client_id(&client_id)
            .username("texted")
            .password(PASSWORD)
            .user_attributes(attr("phone_number", "+15555550123"))
            .send()
    };
    let err = sign_up().await.expect_err("the webhook answers 500");
    assert_eq!(code(&err), "CodeDeliveryFailureException");
    assert!(message(&err).contains("SMS"), "{}", message(&err));
    let lookup = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("texted")
        .send()
        .await
        .expect_err("no user was kept");
    assert_eq!(code(&lookup), "UserNotFoundException");

    working.store(true, Ordering::SeqCst);
    let signed_up = sign_up().await.expect("the same username signs up once delivery works");
    assert_eq!(
        signed_up.code_delivery_details().and_then(|d| d.delivery_medium()),
        Some(&cip::types::DeliveryMediumType::Sms)
    );
    let text = received
        .lock()
        .expect("lock")
        .iter()
        .find(|m| m["to"] == "+15555550123")
        .and_then(|m| m["message"].as_str().map(str::to_owned))
        .expect("the code reached the webhook");
    let sms_code: String = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a six-digit code")
        .to_owned();
    server
        .public
        .confirm_sign_up()
        .client_id(&client_id)
        .username("texted")
        .confirmation_code(sms_code)
        .send()
        .await
        .expect("the texted code confirms the user");
}
