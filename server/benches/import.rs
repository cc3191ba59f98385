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
        user_pool_id: pool_id.clone(),
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
    scale(&client, &url, &pool_id, rows).await;
}

/// p50 and p99 of a list of durations, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    (at(0.50), at(0.99))
}

async fn timed(client: &AdminClient, operation: &str, body: Value) -> (Duration, Value) {
    let started = Instant::now();
    let answer: Value = client.call(operation, &body).await.expect(operation);
    (started.elapsed(), answer)
}

/// The large pool in use: ListUsers with a prefix filter and with deep pagination, a group's
/// member listing, and sign-in — each as p50/p99 over loopback, against the cheapest call
/// (an unfiltered first page) measured in the same run.
async fn scale(client: &AdminClient, url: &str, pool_id: &str, rows: usize) {
    let mut baseline = Vec::new();
    for _ in 0..200 {
        baseline.push(
            timed(client, "ListUsers", json!({"UserPoolId": pool_id, "Limit": 60}))
                .await
                .0,
        );
    }
    let mut prefix = Vec::new();
    for i in 0..200 {
        let filter = format!("email ^= \"user{}\"", (i * 37) % rows.min(10_000));
        let (took, answer) = timed(
            client,
            "ListUsers",
            json!({"UserPoolId": pool_id, "Limit": 60, "Filter": filter}),
        )
        .await;
        assert!(
            answer["Users"].as_array().is_some_and(|u| !u.is_empty()),
            "{filter}: {answer}"
        );
        prefix.push(took);
    }
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..200 {
        let mut body =
            json!({"UserPoolId": pool_id, "Limit": 60, "Filter": "cognito:user_status = \"RESET_REQUIRED\""});
        if let Some(token) = &token {
            body["PaginationToken"] = json!(token);
        }
        let (took, answer) = timed(client, "ListUsers", body).await;
        token = answer["PaginationToken"].as_str().map(str::to_owned);
        pages.push(took);
    }
    let _: Value = client
        .call("CreateGroup", &json!({"UserPoolId": pool_id, "GroupName": "bench"}))
        .await
        .expect("group");
    for i in 0..1_000.min(rows) {
        let member = json!({"UserPoolId": pool_id, "GroupName": "bench", "Username": format!("user{:06}", i * (rows / 1_000).max(1))});
        let _: Value = client.call("AdminAddUserToGroup", &member).await.expect("add member");
    }
    let mut members = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let mut body = json!({"UserPoolId": pool_id, "GroupName": "bench", "Limit": 60});
        if let Some(token) = &token {
            body["NextToken"] = json!(token);
        }
        let (took, answer) = timed(client, "ListUsersInGroup", body).await;
        token = answer["NextToken"].as_str().map(str::to_owned);
        members.push(took);
    }
    let client_id = client
        .call::<_, Value>(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
        )
        .await
        .expect("client")["UserPoolClient"]["ClientId"]
        .as_str()
        .expect("client id")
        .to_owned();
    let username = format!("user{:06}", rows / 2);
    let _: Value = client
        .call(
            "AdminSetUserPassword",
            &json!({"UserPoolId": pool_id, "Username": username, "Password": "Passw0rd!", "Permanent": true}),
        )
        .await
        .expect("set password");
    let http = reqwest::Client::new();
    let mut sign_ins = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let answer = http
            .post(format!("{url}/"))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", "AWSCognitoIdentityProviderService.InitiateAuth")
            .body(
                json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": format!("user{}@example.com", rows / 2), "PASSWORD": "Passw0rd!"}})
                .to_string(),
            )
            .send()
            .await
            .expect("sign in");
        assert_eq!(answer.status().as_u16(), 200);
        sign_ins.push(started.elapsed());
    }
    let hash = {
        let started = Instant::now();
        for _ in 0..10 {
            cognate_server::password::hash_blocking("Passw0rd!").expect("hash");
        }
        started.elapsed().as_secs_f64() * 1e3 / 10.0
    };
    let (b50, b99) = percentiles(baseline);
    println!("\npool of {rows} users, over loopback (p50 / p99):");
    println!("ListUsers first page, no filter (baseline): {b50:.2} / {b99:.2} ms");
    for (name, samples) in [
        ("ListUsers email ^= prefix, Limit 60", prefix),
        ("ListUsers status filter, 200 pages deep", pages),
        ("ListUsersInGroup (1000 members), pages", members),
    ] {
        let (p50, p99) = percentiles(samples);
        println!(
            "{name}: {p50:.2} / {p99:.2} ms ({:.2}x / {:.2}x the baseline)",
            p50 / b50,
            p99 / b99
        );
    }
    let (s50, s99) = percentiles(sign_ins);
    println!(
        "InitiateAuth by email alias: {s50:.2} / {s99:.2} ms (argon2id hash alone: {hash:.2} ms, {:.2}x)",
        s50 / hash
    );
}
