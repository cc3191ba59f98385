//! CSV user import, what a job makes of a file: good rows imported and bad ones logged with
//! their lines, files refused as a whole, an imported user's first sign-in, and a stop.

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::UserImportJobStatusType as Status;
use serde_json::Value;

use super::import::*;
use super::support::*;

#[tokio::test]
async fn good_rows_are_imported_and_bad_rows_logged_with_their_lines() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    server
        .admin
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("dave")
        .message_action(cip::types::MessageActionType::Suppress)
        .send()
        .await
        .expect("existing user");
    let long = "x".repeat(5_000);
    let csv = format!(
        "{HEADER}\n\
         ann,Ann,ann@example.com,true,false,\n\
         bob,Bob,not-an-email,true,false,\n\
         cy,{long},cy@example.com,true,false,\"{long}\"\n\
         dave,Dave,dave@example.com,true,false,\n\
         eve,\"Eve \"\"The Great\"\", Jr.\",eve@example.com,true,false,\n\
         fay,\"Fay\non two lines\",fay@example.com,true,false,\n\
         gus,Gus,gus@example.com,true,maybe,\n"
    );
    let job = import(&server, &pool_id, csv.as_bytes()).await;
    assert_eq!(job.status(), Some(&Status::Succeeded), "{:?}", job.completion_message());
    assert_eq!(
        (job.imported_users(), job.skipped_users(), job.failed_users()),
        (3, 1, 3),
        "7 rows, none lost"
    );
    assert!(job.start_date().is_some() && job.completion_date().is_some());

    let entries = log(&server, job.job_id().expect("id")).await;
    let lines: Vec<(i64, &str, &str)> = entries
        .iter()
        .map(|e| {
            let line = e["line"].as_i64().expect("line");
            (
                line,
                e["username"].as_str().expect("username"),
                e["outcome"].as_str().expect("outcome"),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (3, "bob", "Failed"),
            (4, "cy", "Failed"),
            (5, "dave", "Skipped"),
            (9, "gus", "Failed")
        ]
    );
    let reason = |i: usize| entries[i]["reason"].as_str().expect("reason").to_owned();
    assert!(reason(0).contains("email"), "{}", reason(0));
    assert!(reason(1).contains("bytes"), "{}", reason(1));
    assert!(reason(3).contains("cognito:mfa_enabled"), "{}", reason(3));

    let eve = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("eve")
        .send()
        .await
        .expect("eve");
    assert_eq!(eve.user_status(), Some(&cip::types::UserStatusType::ResetRequired));
    assert!(eve.enabled());
    let name = eve
        .user_attributes()
        .iter()
        .find(|a| a.name() == "name")
        .and_then(|a| a.value());
    assert_eq!(name, Some("Eve \"The Great\", Jr."));
    let fay = server
        .admin
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("fay")
        .send()
        .await
        .expect("fay");
    let name = fay
        .user_attributes()
        .iter()
        .find(|a| a.name() == "name")
        .and_then(|a| a.value());
    assert_eq!(name, Some("Fay\non two lines"));
    assert_eq!(user_count(&server, &pool_id).await, 4, "dave, ann, eve, fay");

    let unsigned = server
        .http
        .get(format!("{}/_import/{}/log", server.url, job.job_id().expect("id")));
    let unsigned: Value = unsigned.send().await.expect("get").json().await.expect("json");
    assert_eq!(unsigned["__type"], "MissingAuthenticationTokenException");
}

#[tokio::test]
async fn a_bad_header_or_encoding_fails_the_job_and_imports_nothing() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let row = "ann,Ann,ann@example.com,true,false,\n";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            format!("cognito:username,name,email,email_verified\n{row}").into_bytes(),
            "cognito:mfa_enabled",
        ),
        (format!("{HEADER},shoe_size\n{row}").into_bytes(), "shoe_size"),
        (
            format!("cognito:username,email,cognito:mfa_enabled\n{row}").into_bytes(),
            "email_verified",
        ),
        (
            [b"\xEF\xBB\xBF".as_slice(), format!("{HEADER}\n{row}").as_bytes()].concat(),
            "BOM",
        ),
        (
            format!("{HEADER}\n{row}bob,B")
                .into_bytes()
                .into_iter()
                .chain([0xFF, b'\n'])
                .collect(),
            "UTF-8",
        ),
        (Vec::new(), "empty"),
    ];
    for (csv, expected) in cases {
        let job = import(&server, &pool_id, &csv).await;
        assert_eq!(job.status(), Some(&Status::Failed), "{expected}");
        let message = job.completion_message().unwrap_or_default();
        assert!(message.contains(expected), "{expected}: {message}");
        assert_eq!(job.imported_users(), 0);
    }
    assert_eq!(user_count(&server, &pool_id).await, 0);
}

#[tokio::test]
async fn an_imported_user_resets_the_password_then_signs_in() {
    let server = TestServer::start().await;
    let (pool_id, client_id) = server.pool_and_client(false).await;
    let csv = format!("{HEADER}\nivy,Ivy,ivy@example.com,true,false,\n");
    let job = import(&server, &pool_id, csv.as_bytes()).await;
    assert_eq!(job.imported_users(), 1);
    let refused = server.try_sign_in(&client_id, "ivy", PASSWORD).await;
    assert_eq!(refused.err().as_deref(), Some("PasswordResetRequiredException"));
    server
        .public
        .forgot_password()
        .client_id(&client_id)
        .username("ivy")
        .send()
        .await
        .expect("forgot");
    let code = server.code_for("ivy@example.com").await;
    server
        .public
        .confirm_forgot_password()
        .client_id(&client_id)
        .username("ivy")
        .confirmation_code(code)
        .password(PASSWORD)
        .send()
        .await
        .expect("reset");
    let tokens = server.sign_in(&client_id, "ivy", PASSWORD).await;
    let id = claims(tokens.id_token().expect("id token"));
    assert_eq!(id["cognito:username"], "ivy");
    assert_eq!(id["email"], "ivy@example.com");
}

#[tokio::test]
async fn a_started_job_stops_between_batches() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let rows = 30_000;
    let mut csv = format!("{HEADER}\n");
    for i in 0..rows {
        csv.push_str(&format!("user{i},User {i},user{i}@example.com,true,false,\n"));
    }
    let job = create_job(&server, &pool_id, "big").await;
    let job_id = job.job_id().expect("id");
    assert_eq!(
        upload(&server, job.pre_signed_url().expect("url"), csv).await.status(),
        200
    );
    let started = server
        .admin
        .start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(job_id);
    let started = started.send().await.expect("start");
    assert_eq!(
        started.user_import_job().and_then(|j| j.status()),
        Some(&Status::Pending)
    );
    let again = server
        .admin
        .start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(job_id);
    assert_eq!(
        code(&again.send().await.expect_err("twice")),
        "PreconditionNotMetException"
    );
    let stopping = server
        .admin
        .stop_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(job_id);
    let stopping = stopping.send().await.expect("stop");
    assert_eq!(
        stopping.user_import_job().and_then(|j| j.status()),
        Some(&Status::Stopping)
    );
    let job = wait(&server, &pool_id, job_id).await;
    assert_eq!(job.status(), Some(&Status::Stopped));
    let imported = job.imported_users();
    assert!(imported < rows, "stopped before the end: {imported}");
    assert_eq!(imported % 10_000, 0, "whole batches only: {imported}");
    let stop = server
        .admin
        .stop_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(job_id);
    assert_eq!(
        code(&stop.send().await.expect_err("stopped")),
        "PreconditionNotMetException"
    );
}
