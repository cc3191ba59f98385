//! The `cognate` command: `cognate serve [--dev] [--listen ADDR] [--data-dir DIR] [--config FILE]`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use cognate_server::config::Config;

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
        /// Address to listen on (default 127.0.0.1:8765).
        #[arg(long)]
        listen: Option<SocketAddr>,
        /// Directory of the database (default ./.cognate).
        #[arg(long)]
        data_dir: Option<PathBuf>,
        /// A TOML configuration file.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The URL clients reach this server at (default http://localhost:<port>).
        #[arg(long)]
        public_url: Option<String>,
    },
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
            data_dir,
            config,
            public_url,
        } => match Config::load(config.as_deref(), |name| std::env::var(name).ok()) {
            Ok(mut loaded) => {
                loaded.dev |= dev;
                if let Some(listen) = listen {
                    loaded.listen = listen;
                }
                if let Some(dir) = data_dir {
                    loaded.data_dir = dir;
                }
                if public_url.is_some() {
                    loaded.public_url = public_url;
                }
                cognate_server::serve::run(loaded).await
            }
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cognate: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
