//! The `cognate` command: `cognate serve [--dev [--allow-public-dev]] [--listen ADDR] [--data-dir DIR]
//! [--database-url URL] [--config FILE]`, and `cognate import --pool ID FILE.csv [--endpoint URL]
//! [--job-name NAME]` and `cognate export --pool ID [--format csv|json] [--out FILE]`, clients of a running server (admin keys from
//! `COGNATE_ADMIN_ACCESS_KEY_ID` / `COGNATE_ADMIN_SECRET_ACCESS_KEY`, else the dev keys).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use cognate_server::client::export::{ExportCommand, ExportFormat};
use cognate_server::client::import::ImportCommand;
use cognate_server::client::AdminKey;
use cognate_server::config::{Config, DEV_ACCESS_KEY_ID, DEV_SECRET_ACCESS_KEY};

#[derive(Parser)]
#[command(name = "cognate", version, about = "A Cognito-compatible user-pool server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Development mode: demo pool and client, dev mailbox, well-known admin keys.
        #[arg(long)]
        dev: bool,
        /// Address to listen on (default 127.0.0.1:8765; localhost:PORT is 127.0.0.1). With
        /// --dev it must be loopback; 0.0.0.0 or [::] without --dev needs --public-url.
        #[arg(long, value_parser = cognate_server::deployment::parse_listen)]
        listen: Option<SocketAddr>,
        /// Let --dev listen on a non-loopback address, exposing its well-known admin keys and
        /// dev mailbox to whoever reaches it (a warning is logged).
        #[arg(long)]
        allow_public_dev: bool,
        /// Directory of the database (default ./.cognate).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// A PostgreSQL database (postgres://user:password@host/db) instead of the SQLite
        /// database in the data directory; several servers can share it.
        #[arg(long)]
        database_url: Option<String>,
        /// The URL clients reach this server at (default http://localhost:<port>); required
        /// on a wildcard listen address outside --dev; https turns on HSTS.
        #[arg(long)]
        public_url: Option<String>,
    },
    /// Import users from a CSV file (columns as GetCSVHeader lists them) into a pool of a
    /// running server, as a Cognito user import job.
    Import {
        /// The user pool id.
        #[arg(long)]
        pool: String,
        /// The CSV file.
        file: PathBuf,
        /// The server's URL.
        #[arg(long, default_value = "http://localhost:8765")]
        endpoint: String,
        /// The job's name (default: from the file name).
        #[arg(long)]
        job_name: Option<String>,
    },
    /// Export a pool's users as Cognito's import CSV, or its users and groups as JSON, from a
    /// running server (to stdout, or to --out).
    Export {
        /// The user pool id.
        #[arg(long)]
        pool: String,
        /// csv (Cognito's user import columns) or json (users and groups).
        #[arg(long, default_value = "csv")]
        format: ExportFormat,
        /// The file to write (default: stdout).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The server's URL.
        #[arg(long, default_value = "http://localhost:8765")]
        endpoint: String,
    },
}

/// Runs an export into `out` (a new file) or stdout; the count goes to stderr.
async fn export(command: &ExportCommand, out: Option<PathBuf>) -> anyhow::Result<()> {
    let count = match out {
        Some(path) => {
            let file = std::fs::File::create(&path).map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
            cognate_server::client::export::run(command, std::io::BufWriter::new(file)).await?
        }
        None => cognate_server::client::export::run(command, std::io::stdout().lock()).await?,
    };
    eprintln!("exported {count} users of {}", command.pool_id);
    Ok(())
}

/// The admin key of the environment, else the dev key.
fn admin_key() -> AdminKey {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        var("COGNATE_ADMIN_ACCESS_KEY_ID"),
        var("COGNATE_ADMIN_SECRET_ACCESS_KEY"),
    ) {
        (Some(access_key_id), Some(secret_access_key)) => AdminKey {
            access_key_id,
            secret_access_key,
        },
        _ => AdminKey {
            access_key_id: DEV_ACCESS_KEY_ID.to_owned(),
            secret_access_key: DEV_SECRET_ACCESS_KEY.to_owned(),
        },
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve {
            dev,
            listen,
            allow_public_dev,
            data_dir,
            config,
            database_url,
            public_url,
        } => match Config::load(config.as_deref(), |name| std::env::var(name).ok()) {
            Ok(mut loaded) => {
                loaded.dev |= dev;
                loaded.allow_public_dev |= allow_public_dev;
                if let Some(listen) = listen {
                    loaded.listen = listen;
                }
                if let Some(dir) = data_dir {
                    loaded.data_dir = dir;
                }
                if let Some(url) = database_url {
                    loaded.database_url = Some(cognate_server::config::DatabaseUrl(url));
                }
                if public_url.is_some() {
                    loaded.public_url = public_url;
                }
                cognate_server::serve::run(loaded).await
            }
            Err(e) => Err(e),
        },
        Command::Export {
            pool,
            format,
            out,
            endpoint,
        } => {
            let command = ExportCommand {
                pool_id: pool,
                endpoint,
                format,
                key: admin_key(),
            };
            export(&command, out).await
        }
        Command::Import {
            pool,
            file,
            endpoint,
            job_name,
        } => {
            let command = ImportCommand {
                pool_id: pool,
                file,
                endpoint,
                job_name,
                key: admin_key(),
            };
            match cognate_server::client::import::run(command).await {
                Ok(true) => Ok(()),
                Ok(false) => return std::process::ExitCode::FAILURE,
                Err(e) => Err(e),
            }
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognate: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
