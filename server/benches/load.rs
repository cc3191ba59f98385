//! A bounded load driver over loopback: throughput of GetUser (a token-verification path) and
//! InitiateAuth USER_PASSWORD_AUTH (bounded by argon2id) at concurrency 1 and 16, with the
//! argon2id time per hash measured in the same run as the baseline.
//!
//! Run: `cargo bench -p cognate-server --bench load` (release build). The server runs in this
//! process on 127.0.0.1:0 with a temporary database; every phase sends a fixed number of
//! requests and stops. `scripts/with-postgres.sh cargo bench -p cognate-server --bench load`
//! measures the PostgreSQL backend (a throwaway local cluster) instead of SQLite.

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognate_server::clock::SystemClock;
use cognate_server::config::{Config, DatabaseUrl};
use serde_json::{json, Value};

const KEY: &str = "AKIABENCHADMINKEY000";
const SECRET: &str = "bench/secret";
const PASSWORD: &str = "Passw0rd!";
/// The master key on PostgreSQL (which needs one configured): 32 zero bytes, for a throwaway cluster.
const BENCH_MASTER_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

struct Target {
    url: String,
    http: reqwest::Client,
}

impl Target {
    async fn call(&self, operation: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/", self.url))
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("AWSCognitoIdentityProviderService.{operation}"))
            .body(body.to_string())
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// Sends `total` requests from `concurrency` workers; returns requests per second.
async fn drive(target: Arc<Target>, operation: &'static str, body: Value, total: usize, concurrency: usize) -> f64 {
    let started = Instant::now();
    let per_worker = total / concurrency;
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let target = target.clone();
        let body = body.clone();
        workers.push(tokio::spawn(async move {
            for _ in 0..per_worker {
                let (status, answer) = target.call(operation, &body).await;
                assert_eq!(status, 200, "{operation}: {answer}");
            }
        }));
    }
    for worker in workers {
        worker.await.expect("worker");
    }
    (per_worker * concurrency) as f64 / started.elapsed().as_secs_f64()
}

/// Hashes per second with one hashing thread per core: the ceiling for password sign-in.
fn argon2_parallel_rate(threads: usize, per_thread: u32) -> f64 {
    let started = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            std::thread::spawn(move || {
                for _ in 0..per_thread {
                    cognate_server::password::hash_blocking(PASSWORD).expect("hash");
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("hash thread");
    }
    (threads as f64 * f64::from(per_thread)) / started.elapsed().as_secs_f64()
}

fn argon2_seconds_per_hash(samples: u32) -> f64 {
    let started = Instant::now();
    for _ in 0..samples {
        cognate_server::password::hash_blocking(PASSWORD).expect("hash");
    }
    started.elapsed().as_secs_f64() / f64::from(samples)
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
    // Under `scripts/with-postgres.sh` the server runs on the PostgreSQL backend instead.
    let database_url = std::env::var("COGNATE_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty());
    let config = Config {
        dev: true,
        data_dir: dir.path().to_owned(),
        secret_key: database_url.as_ref().map(|_| BENCH_MASTER_KEY.into()),
        database_url: database_url.map(DatabaseUrl),
        admin_access_key_id: Some(KEY.into()),
        admin_secret_access_key: Some(SECRET.into()),
        ..Config::default()
    };
    let state = cognate_server::serve::build_state(config, url.clone(), Arc::new(SystemClock))
        .await
        .expect("state");
    let demo = cognate_server::dev::ensure_demo(&state).await.expect("demo");
    tokio::spawn(axum::serve(listener, cognate_server::app(state.clone())).into_future());

    let target = Arc::new(Target {
        url,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(64)
            .build()
            .expect("client"),
    });
    let sign_up = json!({"ClientId": demo.client_id, "Username": "bench", "Password": PASSWORD,
        "UserAttributes": [{"Name": "email", "Value": "bench@example.com"}]});
    assert_eq!(target.call("SignUp", &sign_up).await.0, 200);
    let mail = state.store.list_mail(10).await.expect("mail");
    let code: String = mail
        .last()
        .expect("code mail")
        .body
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let confirm = json!({"ClientId": demo.client_id, "Username": "bench", "ConfirmationCode": code});
    assert_eq!(target.call("ConfirmSignUp", &confirm).await.0, 200);
    let auth = json!({"ClientId": demo.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "bench", "PASSWORD": PASSWORD}});
    let (_, tokens) = target.call("InitiateAuth", &auth).await;
    let access = tokens["AuthenticationResult"]["AccessToken"]
        .as_str()
        .expect("token")
        .to_owned();
    let get_user = json!({"AccessToken": access});

    // Warm up connections and caches.
    drive(target.clone(), "GetUser", get_user.clone(), 200, 16).await;

    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let hash = argon2_seconds_per_hash(20);
    let get_user_1 = drive(target.clone(), "GetUser", get_user.clone(), 2_000, 1).await;
    let get_user_16 = drive(target.clone(), "GetUser", get_user.clone(), 20_000, 16).await;
    let auth_1 = drive(target.clone(), "InitiateAuth", auth.clone(), 40, 1).await;
    let auth_16 = drive(target.clone(), "InitiateAuth", auth.clone(), 160, 16).await;
    let hash_bound = argon2_parallel_rate(cores, 20);

    println!("cores: {cores}");
    println!(
        "argon2id (m=19456 KiB, t=2, p=1): {:.1} ms per hash on one thread; {hash_bound:.1} hashes/s on {cores} threads",
        hash * 1e3
    );
    println!("GetUser       c=1:  {get_user_1:>9.0} req/s");
    println!("GetUser       c=16: {get_user_16:>9.0} req/s");
    println!(
        "InitiateAuth  c=1:  {auth_1:>9.1} req/s  ({:.2} x one hash per request)",
        auth_1 * hash
    );
    println!(
        "InitiateAuth  c=16: {auth_16:>9.1} req/s  ({:.2} x the argon2id bound of {hash_bound:.1}/s)",
        auth_16 / hash_bound
    );
    tokio::time::sleep(Duration::from_millis(10)).await;
}
