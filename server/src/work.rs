//! Bounded password work. Every argon2 hash or check and every SRP modular exponentiation runs
//! through one [`WorkPool`]: at most `workers` jobs at a time on the blocking threads, and at most
//! `workers × queue` admitted in all (running or waiting). A job past that bound is refused at
//! once with `TooManyRequestsException`, so a flood of unauthenticated sign-ins or sign-ups costs
//! a fixed amount of memory (each running argon2 job holds 19 MiB) and the rest of the API —
//! token checks, `GetUser` — keeps its threads.
//!
//! Both permits travel into the job, so a request whose client hung up while its hash was
//! running still counts until the hash is done.

use std::sync::Arc;

use cognate_protocol::error::ErrorCode;
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

/// Waiting jobs allowed per worker when none is configured.
pub const DEFAULT_QUEUE_PER_WORKER: usize = 64;

/// The fixed-size pool password work runs on.
#[derive(Clone)]
pub struct WorkPool {
    /// One permit per job admitted (running or waiting).
    admitted: Arc<Semaphore>,
    /// One permit per job running.
    running: Arc<Semaphore>,
}

impl WorkPool {
    /// A pool of `workers` concurrent jobs (at least one) with room for `queue_per_worker` more
    /// waiting per worker.
    pub fn new(workers: usize, queue_per_worker: usize) -> Self {
        let workers = workers.max(1);
        WorkPool {
            admitted: Arc::new(Semaphore::new(
                workers.saturating_mul(queue_per_worker.saturating_add(1)),
            )),
            running: Arc::new(Semaphore::new(workers)),
        }
    }

    /// Workers as configured, else one per core.
    pub fn from_config(workers: Option<usize>, queue_per_worker: Option<usize>) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        WorkPool::new(
            workers.unwrap_or(cores),
            queue_per_worker.unwrap_or(DEFAULT_QUEUE_PER_WORKER),
        )
    }

    /// Runs `job` on a blocking thread once a worker is free; refused at once when the pool's
    /// bound is reached. `what` names the job in the log of an internal failure.
    pub async fn run<T: Send + 'static>(
        &self,
        what: &'static str,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> ApiResult<T> {
        let admitted = self.admitted.clone().try_acquire_owned().map_err(|_| busy())?;
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal(what, e))?;
        tokio::task::spawn_blocking(move || {
            let _permits = (admitted, running);
            job()
        })
        .await
        .map_err(|e| ApiError::internal(what, e))
    }
}

/// Cognito's answer when a request is over a limit.
fn busy() -> ApiError {
    ApiError::new(
        ErrorCode::TooManyRequests,
        "Too many password checks are waiting; try again shortly.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn past_the_bound_jobs_are_refused_at_once_and_room_comes_back() {
        let pool = WorkPool::new(1, 1);
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(std::sync::Mutex::new(gate));
        let blocked = |gate: Arc<std::sync::Mutex<mpsc::Receiver<()>>>| {
            move || {
                let _ = gate.lock().map(|g| g.recv());
                1
            }
        };
        // One running, one waiting: the bound of one worker with a queue of one.
        let first = tokio::spawn({
            let pool = pool.clone();
            let job = blocked(gate.clone());
            async move { pool.run("test", job).await }
        });
        let second = tokio::spawn({
            let pool = pool.clone();
            let job = blocked(gate.clone());
            async move { pool.run("test", job).await }
        });
        while pool.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = pool.run("test", || 3).await.expect_err("over the bound");
        assert_eq!(refused.code, ErrorCode::TooManyRequests);
        release.send(()).expect("release");
        release.send(()).expect("release");
        assert_eq!(first.await.expect("join").expect("ran"), 1);
        assert_eq!(second.await.expect("join").expect("ran"), 1);
        assert_eq!(pool.run("test", || 4).await.expect("room again"), 4);
    }

    #[tokio::test]
    async fn a_pool_never_has_fewer_than_one_worker() {
        assert_eq!(WorkPool::new(0, 0).run("test", || 7).await.expect("runs"), 7);
    }
}
