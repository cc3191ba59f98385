//! Server configuration: a TOML file (unknown keys refused) overlaid by `COGNATE_*` environment
//! variables, then by command-line flags; validated once at start and handed to the app state.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// The access key id used in `--dev` when none is configured. Well known: never use in production.
pub const DEV_ACCESS_KEY_ID: &str = "AKIACOGNATEDEVKEY000";
/// The secret of [`DEV_ACCESS_KEY_ID`].
pub const DEV_SECRET_ACCESS_KEY: &str = "cognate/dev/secret/access/key/not/for/production";

/// Everything the server is configured with. (No `Debug`: it holds secrets.)
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address to listen on (`localhost:PORT` is 127.0.0.1). `--dev` takes loopback only; a
    /// wildcard address (`0.0.0.0`, `::`) outside dev needs `public_url` (see [`crate::deployment`]).
    #[serde(default = "default_listen", deserialize_with = "listen_address")]
    pub listen: SocketAddr,
    /// Where the database lives.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`postgres://user:password@host:port/database`) instead of the
    /// embedded SQLite in `data_dir`; several server processes can share it.
    #[serde(default)]
    pub database_url: Option<DatabaseUrl>,
    /// The base URL clients reach the server at; token issuers are `<public_url>/<poolId>`.
    /// Defaults to `http://localhost:<port>`.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The region in pool ids and ARNs.
    #[serde(default = "default_region")]
    pub region: String,
    /// Development mode: demo pool, dev mailbox, well-known admin keys.
    #[serde(default)]
    pub dev: bool,
    /// Lets `--dev` listen on a non-loopback address (with a warning at start).
    #[serde(default)]
    pub allow_public_dev: bool,
    #[serde(default)]
    pub admin_access_key_id: Option<String>,
    #[serde(default)]
    pub admin_secret_access_key: Option<String>,
    /// Outgoing email.
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
    /// Outgoing SMS: a URL each message is POSTed to as JSON `{to, message}`.
    #[serde(default)]
    pub sms_webhook_url: Option<String>,
    /// The built widget (Trunk's `dist/`), served at `/widget/`.
    #[serde(default)]
    pub widget_dir: Option<PathBuf>,
    /// The master key that seals stored secrets (base64 of 32 bytes); default: `secret.key` in
    /// the data directory, created on first start. See [`crate::vault`].
    #[serde(default)]
    pub secret_key: Option<String>,
    /// Password hashes and SRP computations run at once; default: one per core. See
    /// [`crate::work`].
    #[serde(default)]
    pub password_workers: Option<usize>,
    /// Password jobs allowed to wait per worker before `TooManyRequestsException`; default 64.
    #[serde(default)]
    pub password_queue: Option<usize>,
}

/// A database URL; its password is kept out of `Debug` output (and so out of logs).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the URL names a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match url::Url::parse(&self.0) {
            Ok(mut url) => {
                if url.password().is_some() {
                    let _ = url.set_password(Some("[redacted]"));
                }
                write!(f, "{:?}", url.as_str())
            }
            Err(_) => f.write_str("\"[unparsable URL]\""),
        }
    }
}

/// An SMTP relay.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_smtp_port")]
    pub port: u16,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// The sender address, e.g. `Cognate <no-reply@example.com>`.
    pub from: String,
    /// `starttls` (default), `tls` or `none` (plain, for loopback relays only).
    #[serde(default = "default_smtp_tls")]
    pub tls: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish()
    }
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8765))
}

fn listen_address<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SocketAddr, D::Error> {
    let text = String::deserialize(deserializer)?;
    crate::deployment::parse_listen(&text).map_err(serde::de::Error::custom)
}

fn default_data_dir() -> PathBuf {
    PathBuf::from(".cognate")
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

fn default_smtp_port() -> u16 {
    587
}

fn default_smtp_tls() -> String {
    "starttls".to_owned()
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: default_listen(),
            data_dir: default_data_dir(),
            database_url: None,
            public_url: None,
            region: default_region(),
            dev: false,
            allow_public_dev: false,
            admin_access_key_id: None,
            admin_secret_access_key: None,
            smtp: None,
            sms_webhook_url: None,
            widget_dir: None,
            secret_key: None,
            password_workers: None,
            password_queue: None,
        }
    }
}

impl Config {
    /// Reads the TOML file (if any), then applies `COGNATE_*` variables from `env`.
    pub fn load(file: Option<&std::path::Path>, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("reading config {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("config {}: {e}", path.display()))?
            }
            None => Config::default(),
        };
        if let Some(v) = env("COGNATE_LISTEN") {
            config.listen = crate::deployment::parse_listen(&v).map_err(|e| anyhow::anyhow!("COGNATE_LISTEN: {e}"))?;
        }
        if let Some(v) = env("COGNATE_DATA_DIR") {
            config.data_dir = v.into();
        }
        if let Some(v) = env("COGNATE_DATABASE_URL").filter(|v| !v.is_empty()) {
            config.database_url = Some(DatabaseUrl(v));
        }
        if let Some(v) = env("COGNATE_PUBLIC_URL") {
            config.public_url = Some(v);
        }
        if let Some(v) = env("COGNATE_REGION") {
            config.region = v;
        }
        if let Some(v) = env("COGNATE_DEV") {
            config.dev = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some(v) = env("COGNATE_ALLOW_PUBLIC_DEV") {
            config.allow_public_dev = matches!(v.as_str(), "1" | "true" | "yes");
        }
        if let Some(v) = env("COGNATE_ADMIN_ACCESS_KEY_ID") {
            config.admin_access_key_id = Some(v);
        }
        if let Some(v) = env("COGNATE_ADMIN_SECRET_ACCESS_KEY") {
            config.admin_secret_access_key = Some(v);
        }
        if let Some(v) = env("COGNATE_WIDGET_DIR") {
            config.widget_dir = Some(v.into());
        }
        if let Some(v) = env("COGNATE_SECRET_KEY") {
            config.secret_key = Some(v);
        }
        if let Some(v) = env("COGNATE_PASSWORD_WORKERS") {
            config.password_workers = Some(
                v.parse()
                    .map_err(|e| anyhow::anyhow!("COGNATE_PASSWORD_WORKERS={v}: {e}"))?,
            );
        }
        if let Some(v) = env("COGNATE_PASSWORD_QUEUE") {
            config.password_queue = Some(
                v.parse()
                    .map_err(|e| anyhow::anyhow!("COGNATE_PASSWORD_QUEUE={v}: {e}"))?,
            );
        }
        if let Some(v) = env("COGNATE_SMS_WEBHOOK_URL") {
            config.sms_webhook_url = Some(v);
        }
        if let Some(host) = env("COGNATE_SMTP_HOST") {
            let from =
                env("COGNATE_SMTP_FROM").ok_or_else(|| anyhow::anyhow!("COGNATE_SMTP_HOST needs COGNATE_SMTP_FROM"))?;
            let port = match env("COGNATE_SMTP_PORT") {
                Some(p) => p.parse().map_err(|e| anyhow::anyhow!("COGNATE_SMTP_PORT={p}: {e}"))?,
                None => default_smtp_port(),
            };
            config.smtp = Some(SmtpConfig {
                host,
                port,
                username: env("COGNATE_SMTP_USERNAME"),
                password: env("COGNATE_SMTP_PASSWORD"),
                from,
                tls: env("COGNATE_SMTP_TLS").unwrap_or_else(default_smtp_tls),
            });
        }
        Ok(config)
    }

    /// Checks the combination of settings.
    pub fn validate(&self) -> anyhow::Result<()> {
        if !self
            .region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || self.region.is_empty()
        {
            anyhow::bail!("region {:?} is not a region name like us-east-1", self.region);
        }
        crate::deployment::check_listen(self)?;
        match (&self.admin_access_key_id, &self.admin_secret_access_key) {
            (Some(_), None) | (None, Some(_)) => {
                anyhow::bail!("set both COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY, or neither")
            }
            _ => {}
        }
        if let Some(url) = &self.database_url {
            if !url.is_postgres() {
                anyhow::bail!("database_url must be a postgres:// URL, not {url:?}");
            }
            // A key file in each process's data dir would seal with a different key per process.
            if self.secret_key.is_none() {
                anyhow::bail!(
                    "database_url needs secret_key (COGNATE_SECRET_KEY, e.g. `openssl rand -base64 32`): \
                     every server sharing the database must seal stored secrets with the same master key"
                );
            }
        }
        if let Some(workers) = self.password_workers {
            if !(1..=1024).contains(&workers) {
                anyhow::bail!("password_workers must be between 1 and 1024, not {workers}");
            }
        }
        if let Some(queue) = self.password_queue {
            if queue > 100_000 {
                anyhow::bail!("password_queue must be at most 100000 (jobs waiting per worker), not {queue}");
            }
        }
        if let Some(smtp) = &self.smtp {
            if !matches!(smtp.tls.as_str(), "starttls" | "tls" | "none") {
                anyhow::bail!("smtp.tls must be starttls, tls or none, not {:?}", smtp.tls);
            }
        }
        Ok(())
    }

    /// The admin key pair in force: configured, else the dev keys in `--dev`, else none.
    pub fn admin_credentials(&self) -> Option<(String, String)> {
        match (&self.admin_access_key_id, &self.admin_secret_access_key) {
            (Some(id), Some(secret)) => Some((id.clone(), secret.clone())),
            _ if self.dev => Some((DEV_ACCESS_KEY_ID.to_owned(), DEV_SECRET_ACCESS_KEY.to_owned())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overlays_file_and_unknown_keys_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cognate.toml");
        std::fs::write(&path, "listen = \"127.0.0.1:9000\"\nregion = \"eu-west-1\"\n").expect("write");
        let config = Config::load(Some(&path), |k| {
            (k == "COGNATE_REGION").then(|| "ap-south-1".to_owned())
        })
        .expect("loads");
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.region, "ap-south-1");
        std::fs::write(&path, "listen = \"localhost:9001\"\nallow_public_dev = true\n").expect("write");
        let named = Config::load(Some(&path), |_| None).expect("loads");
        assert_eq!(named.listen, SocketAddr::from(([127, 0, 0, 1], 9001)));
        assert!(named.allow_public_dev);
        let public = Config::load(None, |k| match k {
            "COGNATE_LISTEN" => Some("0.0.0.0:9002".to_owned()),
            "COGNATE_DEV" => Some("true".to_owned()),
            _ => None,
        })
        .expect("loads");
        assert!(public.validate().is_err(), "dev on a public address is refused");
        assert!(
            Config::load(None, |k| (k == "COGNATE_ALLOW_PUBLIC_DEV").then(|| "true".to_owned()))
                .expect("loads")
                .allow_public_dev
        );
        std::fs::write(&path, "lisen = \"127.0.0.1:9000\"\n").expect("write");
        assert!(Config::load(Some(&path), |_| None).is_err());
    }

    #[test]
    fn dev_mode_falls_back_to_well_known_keys() {
        let config = Config {
            dev: true,
            ..Config::default()
        };
        assert_eq!(
            config.admin_credentials().map(|c| c.0),
            Some(DEV_ACCESS_KEY_ID.to_owned())
        );
        assert_eq!(Config::default().admin_credentials(), None);
        let sms = Config::load(None, |k| {
            (k == "COGNATE_SMS_WEBHOOK_URL").then(|| "http://127.0.0.1:9/sms".to_owned())
        })
        .expect("loads");
        assert_eq!(sms.sms_webhook_url.as_deref(), Some("http://127.0.0.1:9/sms"));
        let half = Config {
            admin_access_key_id: Some("AKIA".into()),
            ..Config::default()
        };
        assert!(half.validate().is_err());
    }

    #[test]
    fn a_database_url_must_be_postgres_and_its_password_stays_out_of_debug() {
        let url = "postgres://cognate:hunter2@db.internal:5432/cognate";
        let mut config = Config::load(None, |k| (k == "COGNATE_DATABASE_URL").then(|| url.to_owned())).expect("loads");
        assert!(
            config.validate().is_err(),
            "a shared database needs a shared master key"
        );
        config.secret_key = Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        config.validate().expect("a postgres URL with a master key is valid");
        let shown = format!("{:?}", config.database_url);
        assert!(shown.contains("db.internal"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cognate.toml");
        std::fs::write(&path, "database_url = \"postgresql://db/cognate\"\n").expect("write");
        let from_file = Config::load(Some(&path), |_| None).expect("loads");
        assert_eq!(
            from_file.database_url.as_ref().map(DatabaseUrl::as_str),
            Some("postgresql://db/cognate")
        );
        let mysql = Config {
            database_url: Some(DatabaseUrl("mysql://db/cognate".into())),
            ..config
        };
        assert!(mysql.validate().is_err());
    }
}
