//! Starting a server: open the store, choose the senders, bind, print what `--dev` promises,
//! serve until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::delivery::mailbox::DevMailbox;
use crate::delivery::smtp::SmtpSender;
use crate::delivery::webhook::WebhookSmsSender;
use crate::delivery::{Router, Sender};
use crate::state::AppState;
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use crate::store::Store;
use crate::token::keys::KeyRing;

/// Builds the shared state for a server reachable at `public_url`.
pub async fn build_state(config: Config, public_url: String, clock: Arc<dyn Clock>) -> anyhow::Result<Arc<AppState>> {
    config.validate()?;
    let vault = crate::vault::Vault::load(config.secret_key.as_deref(), &config.data_dir)?;
    let store: Arc<dyn Store> = match &config.database_url {
        Some(url) => Arc::new(PgStore::open(url.as_str()).await?),
        None => Arc::new(SqliteStore::open(&config.data_dir).await?),
    };
    let mailbox = || -> Box<dyn Sender> { Box::new(DevMailbox { store: store.clone() }) };
    let email: Option<Box<dyn Sender>> = match &config.smtp {
        Some(smtp) => Some(Box::new(SmtpSender::new(smtp)?)),
        None if config.dev => Some(mailbox()),
        None => None,
    };
    let sms: Option<Box<dyn Sender>> = match &config.sms_webhook_url {
        Some(url) => Some(Box::new(WebhookSmsSender::new(url)?)),
        None => config.dev.then(mailbox),
    };
    if email.is_none() {
        tracing::warn!(
            "no email sender: configure [smtp] (or run with --dev for the dev mailbox); codes cannot be delivered"
        );
    }
    let work = crate::work::WorkPool::from_config(config.password_workers, config.password_queue);
    let state = Arc::new(AppState {
        work,
        config,
        public_url: public_url.trim_end_matches('/').to_owned(),
        store,
        clock,
        keys: KeyRing::default(),
        pools: Default::default(),
        sender: Arc::new(Router { email, sms }),
        vault,
    });
    let sealed = crate::password::seal_stored_verifiers(&state).await?;
    if sealed > 0 {
        tracing::info!(
            sealed,
            "SRP verifiers stored in the clear by an earlier version are now sealed"
        );
    }
    Ok(state)
}

/// The base URL for a bound address: `http://localhost:<port>` for loopback.
pub fn default_public_url(addr: SocketAddr) -> String {
    if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// Runs the server until a shutdown signal.
pub async fn run(config: Config) -> anyhow::Result<()> {
    config.validate()?;
    if let Some(warning) = crate::deployment::public_dev_warning(&config) {
        tracing::warn!("{warning}");
    }
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url.clone().unwrap_or_else(|| default_public_url(addr));
    let state = build_state(config, public_url, Arc::new(SystemClock)).await?;
    // This process owns the SQLite database: an import job still running was cut off by a stop.
    // A shared PostgreSQL database has no owner: a job running there may be another process's.
    if state.config.database_url.is_none() {
        let interrupted = state
            .store
            .fail_interrupted_import_jobs(
                state.clock.now(),
                "The import was interrupted by a server restart; start a new job.",
            )
            .await?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "import jobs cut off by the last stop were marked Failed");
        }
    }
    if state.config.dev {
        let demo = crate::dev::ensure_demo(&state).await?;
        println!("{}", crate::dev::banner(&state, &demo));
    } else {
        println!("Cognate listening on {}/", state.public_url);
    }
    tracing::info!(%addr, "listening");
    tokio::spawn(crate::sweeper::run(state.clone()));
    axum::serve(listener, crate::app(state))
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
