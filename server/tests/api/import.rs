//! CSV user import: the job operations through the SDK and the pre-signed upload, with the
//! helpers the other import tests share (create, upload, start and wait for a job).

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as cip;
use cip::types::{AttributeDataType, SchemaAttributeType, UserImportJobStatusType as Status, UserImportJobType};
use cognate_protocol::import::UserImportJobStatus;
use cognate_server::client::{AdminClient, AdminKey};
use cognate_server::store::ImportJob;
use serde_json::{json, Value};

use super::support::*;

pub(super) const ROLE: &str = "arn:aws:iam::123456789012:role/CognitoImport";
pub(super) const HEADER: &str = "cognito:username,name,email,email_verified,cognito:mfa_enabled,phone_number_verified";

pub(super) fn admin_client(server: &TestServer) -> AdminClient {
    let key = AdminKey {
        access_key_id: ACCESS_KEY.into(),
        secret_access_key: SECRET_KEY.into(),
    };
    AdminClient::new(&server.url, key, "us-east-1").expect("client")
}

pub(super) async fn create_job(server: &TestServer, pool_id: &str, name: &str) -> UserImportJobType {
    let out = server
        .admin
        .create_user_import_job()
        .job_name(name)
        .user_pool_id(pool_id)
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .expect("create job");
    out.user_import_job().expect("job").clone()
}

pub(super) async fn upload(server: &TestServer, url: &str, csv: impl Into<reqwest::Body>) -> reqwest::Response {
    server
        .http
        .put(url)
        .header("x-amz-server-side-encryption", "aws:kms")
        .body(csv)
        .send()
        .await
        .expect("upload")
}

pub(super) async fn describe(server: &TestServer, pool_id: &str, job_id: &str) -> UserImportJobType {
    let out = server
        .admin
        .describe_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await
        .expect("describe");
    out.user_import_job().expect("job").clone()
}

/// Polls the job until it ends.
pub(super) async fn wait(server: &TestServer, pool_id: &str, job_id: &str) -> UserImportJobType {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job = describe(server, pool_id, job_id).await;
        let status = job.status().expect("status");
        if matches!(
            status,
            Status::Succeeded | Status::Failed | Status::Stopped | Status::Expired
        ) {
            return job;
        }
        assert!(Instant::now() < deadline, "job still {status:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Creates a job, uploads `csv`, starts it and waits for its end.
pub(super) async fn import(server: &TestServer, pool_id: &str, csv: &[u8]) -> UserImportJobType {
    let job = create_job(server, pool_id, "test-import").await;
    let response = upload(server, job.pre_signed_url().expect("url"), csv.to_vec()).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap_or_default());
    let job_id = job.job_id().expect("id");
    server
        .admin
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await
        .expect("start");
    wait(server, pool_id, job_id).await
}

pub(super) async fn log(server: &TestServer, job_id: &str) -> Vec<Value> {
    admin_client(server)
        .import_log(job_id)
        .await
        .expect("log")
        .iter()
        .map(|e| json!(e))
        .collect()
}

pub(super) async fn user_count(server: &TestServer, pool_id: &str) -> usize {
    let users = server
        .admin
        .list_users()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("list");
    users.users().len()
}

#[tokio::test]
async fn the_csv_header_lists_cognito_columns_then_custom_attributes() {
    let server = TestServer::start().await;
    let team = SchemaAttributeType::builder()
        .name("team")
        .attribute_data_type(AttributeDataType::String)
        .build();
    let pool = server
        .admin
        .create_user_pool()
        .pool_name("p")
        .schema(team)
        .send()
        .await
        .expect("pool");
    let pool_id = pool.user_pool().and_then(|p| p.id()).expect("id");
    let header = server
        .admin
        .get_csv_header()
        .user_pool_id(pool_id)
        .send()
        .await
        .expect("header");
    assert_eq!(header.user_pool_id(), Some(pool_id));
    let expected = "name given_name family_name middle_name nickname preferred_username profile picture website \
        email email_verified gender birthdate zoneinfo locale phone_number phone_number_verified address updated_at \
        cognito:mfa_enabled cognito:username custom:team";
    assert_eq!(header.csv_header().join(" "), expected);
    let missing = server
        .admin
        .get_csv_header()
        .user_pool_id("us-east-1_nope")
        .send()
        .await;
    assert_eq!(code(&missing.expect_err("no pool")), "ResourceNotFoundException");
}

#[tokio::test]
async fn jobs_are_created_described_listed_and_paged() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let mut created = Vec::new();
    for name in ["one", "two", "three"] {
        let job = create_job(&server, &pool_id, name).await;
        let id = job.job_id().expect("id").to_owned();
        let suffix = id.strip_prefix("import-").expect("import- prefix");
        assert!(
            suffix.len() == 10 && suffix.chars().all(|c| c.is_ascii_alphanumeric()),
            "{id}"
        );
        assert_eq!(job.status(), Some(&Status::Created));
        assert_eq!(job.cloud_watch_logs_role_arn(), Some(ROLE));
        let url = job.pre_signed_url().expect("url");
        assert!(url.starts_with(&format!("{}/_import/{id}?token=", server.url)), "{url}");
        created.push(id);
    }
    let described = describe(&server, &pool_id, &created[1]).await;
    assert_eq!(described.job_name(), Some("two"));
    assert_eq!((described.imported_users(), described.failed_users()), (0, 0));

    let mut listed = Vec::new();
    let mut token = None;
    loop {
        let page = server
            .admin
            .list_user_import_jobs()
            .user_pool_id(&pool_id)
            .max_results(2)
            .set_pagination_token(token)
            .send()
            .await
            .expect("list");
        assert!(page.user_import_jobs().len() <= 2);
        listed.extend(
            page.user_import_jobs()
                .iter()
                .filter_map(|j| j.job_id())
                .map(str::to_owned),
        );
        token = page.pagination_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let (mut listed_sorted, mut created_sorted) = (listed.clone(), created.clone());
    listed_sorted.sort();
    created_sorted.sort();
    assert_eq!(listed_sorted, created_sorted, "every job once");

    let list = |n| {
        server
            .admin
            .list_user_import_jobs()
            .user_pool_id(&pool_id)
            .max_results(n)
            .send()
    };
    assert_eq!(code(&list(0).await.expect_err("0")), "InvalidParameterException");
    assert_eq!(code(&list(61).await.expect_err("61")), "InvalidParameterException");
    let no_max: Result<Value, _> = admin_client(&server)
        .call("ListUserImportJobs", &json!({ "UserPoolId": pool_id }))
        .await;
    assert!(no_max
        .expect_err("MaxResults is required")
        .to_string()
        .contains("InvalidParameterException"));

    let unknown = server
        .admin
        .describe_user_import_job()
        .user_pool_id(&pool_id)
        .job_id("import-0000000000");
    assert_eq!(
        code(&unknown.send().await.expect_err("unknown")),
        "ResourceNotFoundException"
    );
    let bad_arn = server
        .admin
        .create_user_import_job()
        .job_name("x")
        .user_pool_id(&pool_id)
        .cloud_watch_logs_role_arn("not-a-role")
        .send()
        .await;
    assert_eq!(code(&bad_arn.expect_err("bad arn")), "InvalidParameterException");
    let stop = server
        .admin
        .stop_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&created[0]);
    assert_eq!(
        code(&stop.send().await.expect_err("not started")),
        "PreconditionNotMetException"
    );
    let body = json!({"UserPoolId": pool_id, "JobId": created[0]}).to_string();
    let (_, unsigned) = server.raw("DescribeUserImportJob", &body).await;
    assert_eq!(unsigned["__type"], "MissingAuthenticationTokenException");

    // A job created more than 24 hours ago and never started (moving the clock would also
    // expire the SDK's signatures).
    let now = server.state.clock.now();
    let old = ImportJob {
        job_id: "import-0ld0ld0ld0".into(),
        pool_id: pool_id.clone(),
        name: "old".into(),
        role_arn: ROLE.into(),
        status: UserImportJobStatus::Created,
        created_at: now - 86_401,
        started_at: None,
        completed_at: None,
        imported_users: 0,
        skipped_users: 0,
        failed_users: 0,
        message: None,
        upload_token_hash: None,
        upload_expires_at: now - 82_801,
    };
    server.state.store.insert_import_job(&old).await.expect("old job");
    assert_eq!(
        describe(&server, &pool_id, &old.job_id).await.status(),
        Some(&Status::Expired)
    );
    let start = server
        .admin
        .start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&old.job_id);
    assert_eq!(
        code(&start.send().await.expect_err("expired")),
        "PreconditionNotMetException"
    );
    let fresh = server
        .admin
        .start_user_import_job()
        .user_pool_id(&pool_id)
        .job_id(&created[1]);
    let started = fresh.send().await.expect("a Created job starts, even without a file");
    assert_eq!(
        started.user_import_job().and_then(|j| j.status()),
        Some(&Status::Pending)
    );
    let failed = wait(&server, &pool_id, &created[1]).await;
    assert_eq!(failed.status(), Some(&Status::Failed));
    assert!(failed.completion_message().unwrap_or_default().contains("No CSV file"));
}

#[tokio::test]
async fn the_pre_signed_url_takes_one_file_within_the_hour() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(false).await;
    let job = create_job(&server, &pool_id, "upload").await;
    let url = job.pre_signed_url().expect("url");
    let wrong = url.replace("token=", "token=x");
    assert_eq!(upload(&server, &wrong, "a").await.status(), 403);
    let no_token = url.split('?').next().expect("base");
    assert_eq!(upload(&server, no_token, "a").await.status(), 403);
    let too_big = vec![b'a'; 100 * 1024 * 1024 + 1];
    let refused = upload(&server, url, too_big).await;
    assert_eq!(refused.status(), 413);
    assert!(refused.text().await.expect("body").contains("EntityTooLarge"));
    assert_eq!(upload(&server, url, format!("{HEADER}\n")).await.status(), 200);
    let again = upload(&server, url, format!("{HEADER}\n")).await;
    assert_eq!(again.status(), 403);
    assert!(again.text().await.expect("body").contains("already used"));

    let late = create_job(&server, &pool_id, "late").await;
    server.clock.advance(3_601);
    assert_eq!(
        upload(&server, late.pre_signed_url().expect("url"), "a").await.status(),
        403
    );
}

#[tokio::test]
async fn jobs_cut_off_by_a_stop_are_failed_at_start_up() {
    let server = TestServer::start().await;
    let (pool_id, _) = server.pool_and_client(true).await;
    let now = server.state.clock.now();
    let running = ImportJob {
        job_id: "import-runn1ng000".into(),
        pool_id: pool_id.clone(),
        name: "running".into(),
        role_arn: ROLE.into(),
        status: UserImportJobStatus::InProgress,
        created_at: now,
        started_at: Some(now),
        completed_at: None,
        imported_users: 10,
        skipped_users: 0,
        failed_users: 0,
        message: None,
        upload_token_hash: None,
        upload_expires_at: now,
    };
    server.state.store.insert_import_job(&running).await.expect("job");
    let failed = server
        .state
        .store
        .fail_interrupted_import_jobs(now, "interrupted")
        .await
        .expect("recovery");
    assert_eq!(failed, 1);
    let job = describe(&server, &pool_id, &running.job_id).await;
    assert_eq!(job.status(), Some(&Status::Failed));
    assert_eq!(job.completion_message(), Some("interrupted"));
    assert_eq!(job.imported_users(), 10, "what was imported stays counted");
}
