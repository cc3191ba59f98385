//! The time of a 100,000-user CSV import, end to end over loopback: CreateUserImportJob, the
//! PUT of the file, StartUserImportJob and DescribeUserImportJob until `Succeeded`, into a pool
//! with email as a sign-in alias (so every row also fills the unique email index).
//!
//! Run: `cargo bench -p cognate-server --bench import` (release build; set `IMPORT_ROWS` for
//! another size). The server runs in this process on 127.0.0.1:0 with a temporary database
//! (SQLite, WAL, `synchronous=FULL`).

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognate_protocol::import::{
    CreateUserImportJobRequest, UserImportJobRequest, UserImportJobResponse, UserImportJobStatus,
};
use cognate_server::client::{AdminClient, AdminKey};
use cognate_server::clock::SystemClock;
use cognate_server::config::Config;
use serde_json::{json, Value};

const KEY: &str = "AKIABENCHADMINKEY000";
const SECRET: &str = "bench/secret";

fn csv(rows: usize) -> String {
    let mut csv = String::from(
        "cognito:username,name,given_name,family_name,email,email_verified,phone_number,phone_number_verified,\
         locale,cognito:mfa_enabled\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "user{i:06},User Number {i},User,\"Number, {i}\",user{i}@example.com,true,+1555{i:07},false,en-US,false\n"
        ));
    }
    csv
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let rows: usize = std::env::var("IMPORT_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
    let config = Config {
        data_dir: dir.path().to_owned(),
        admin_access_key_id: Some(KEY.into()),
        admin_secret_access_key: Some(SECRET.into()),
        ..Config::default()
    };
    let state = cognate_server::serve::build_state(config, url.clone(), Arc::new(SystemClock))
        .await
        .expect("state");
    tokio::spawn(axum::serve(listener, cognate_server::app(state)).into_future());
    let key = AdminKey {
        access_key_id: KEY.into(),
        secret_access_key: SECRET.into(),
    };
    let client = AdminClient::new(&url, key, "us-east-1").expect("client");
    let pool: Value = client
        .call(
            "CreateUserPool",
            &json!({"PoolName": "bench", "AliasAttributes": ["email"]}),
        )
        .await
        .expect("pool");
    let pool_id = pool["UserPool"]["Id"].as_str().expect("pool id").to_owned();

    let generated = Instant::now();
    let file = csv(rows);
    let generate = generated.elapsed();
    let size = file.len();

    let started = Instant::now();
    let created: UserImportJobResponse = client
        .call(
            "CreateUserImportJob",
            &CreateUserImportJobRequest {
                job_name: "bench".into(),
                user_pool_id: pool_id.clone(),
                cloud_watch_logs_role_arn: "arn:aws:iam::000000000000:role/Bench".into(),
            },
        )
        .await
        .expect("create job");
    let job = created.user_import_job;
    let put = client
        .http()
        .put(job.pre_signed_url.clone().expect("url"))
        .body(file)
        .send()
        .await
        .expect("upload");
    assert!(put.status().is_success(), "upload: {}", put.status());
    let uploaded = started.elapsed();
    let request = UserImportJobRequest {
        user_pool_id: pool_id,
        job_id: job.job_id,
    };
    let _: UserImportJobResponse = client.call("StartUserImportJob", &request).await.expect("start");
    let job = loop {
        let described: UserImportJobResponse = client.call("DescribeUserImportJob", &request).await.expect("describe");
        if described.user_import_job.status.is_final() {
            break described.user_import_job;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let total = started.elapsed();
    assert_eq!(
        job.status,
        UserImportJobStatus::Succeeded,
        "{:?}",
        job.completion_message
    );
    assert_eq!(job.imported_users, rows as i64, "{job:?}");

    println!(
        "rows: {rows} ({:.1} MB CSV, generated in {:.2} s)",
        size as f64 / 1e6,
        generate.as_secs_f64()
    );
    println!("upload (create job + PUT): {:.2} s", uploaded.as_secs_f64());
    println!(
        "import (start → Succeeded): {:.2} s, {:.0} users/s",
        (total - uploaded).as_secs_f64(),
        rows as f64 / (total - uploaded).as_secs_f64()
    );
    println!("total: {:.2} s", total.as_secs_f64());
}
