//! Configuration from flags and environment variables (`server --help` lists them).

use std::net::SocketAddr;

use clap::{ArgAction, Parser, Subcommand};

/// Kindred's server: serves the app and its API over HTTP.
#[derive(Debug, Clone, Parser)]
#[command(name = "server", version, about = "Kindred: the home for purpose-driven communities")]
pub struct Config {
    /// SQLite database URL; the file (and its folder) is created on first start.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/kindred.db")]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,

    /// Folder holding the built site (`pkg/` with the WASM, JS and CSS, plus public assets).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// Log filter, in `tracing` EnvFilter syntax (e.g. `info`, `debug,sqlx=warn`).
    #[arg(long = "log", env = "KINDRED_LOG", default_value = "info,sqlx=warn")]
    pub log_filter: String,

    /// Seed an empty database with demo members and a community (`0` to turn off).
    #[arg(long, env = "KINDRED_DEMO", default_value = "1", action = ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub demo: bool,

    /// The public URL people use (e.g. `https://kindred.example.org`). When it is
    /// https, session cookies are marked Secure; its origin is accepted for form posts.
    #[arg(long, env = "KINDRED_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// Sign-in and sign-up attempts allowed per minute from one IP address.
    #[arg(long, env = "KINDRED_AUTH_PER_MINUTE", default_value_t = 6)]
    pub auth_per_minute: u32,

    /// Sign-in and sign-up attempts allowed per hour from one IP address.
    #[arg(long, env = "KINDRED_AUTH_PER_HOUR", default_value_t = 30)]
    pub auth_per_hour: u32,

    /// Sign-in attempts allowed per hour against one account.
    #[arg(long, env = "KINDRED_AUTH_PER_ACCOUNT_HOUR", default_value_t = 100)]
    pub auth_per_account_hour: u32,

    /// Where a request's address comes from: `ConnectInfo` (the TCP peer, when members
    /// connect directly) or, behind a reverse proxy, the header it sets —
    /// `RightmostXForwardedFor`, `XRealIp`, `CfConnectingIp`, `TrueClientIp`,
    /// `FlyClientIp`, `CloudFrontViewerAddress` or `XEnvoyExternalAddress`. Sign-in
    /// limits are counted per address.
    #[arg(long, env = "KINDRED_CLIENT_IP", default_value = "ConnectInfo")]
    pub client_ip: axum_client_ip::ClientIpSource,

    /// Posting limits in discussions (new members: a thread per 2 minutes, a reply per
    /// 30 seconds; everyone: a post per 5 seconds). `0` turns them off, for test suites only.
    #[arg(long, env = "KINDRED_POST_LIMITS", default_value = "1", action = ArgAction::Set,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub post_limits: bool,

    /// SMTP server for outgoing mail, e.g. `smtp://127.0.0.1:2525` or
    /// `smtps://user:password@mail.example.org`. Unset: mail is written as `.eml` files
    /// to `--mail-dir` instead, and the log says so.
    #[arg(long, env = "KINDRED_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// The From address of Kindred's mail.
    #[arg(long, env = "KINDRED_MAIL_FROM", default_value = "Kindred <kindred@localhost>")]
    pub mail_from: String,

    /// Where mail is written when no SMTP server is set.
    #[arg(long, env = "KINDRED_MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: std::path::PathBuf,

    /// Where library uploads are kept (outside the site folder; served only through the
    /// permission check).
    #[arg(long, env = "KINDRED_FILES_DIR", default_value = "data/files")]
    pub files_dir: std::path::PathBuf,

    /// How long, in seconds, a page rendered for a visitor who is not signed in may be
    /// sent again to the next such visitor, while nothing was written meanwhile
    /// (`anonymous_pages`); `0` renders every page afresh. On a PostgreSQL fleet this is
    /// also how long such a visitor may see a page from before a write made through
    /// another instance. Members always get pages rendered for them.
    #[arg(long, env = "KINDRED_ANON_CACHE_SECONDS", default_value_t = 10)]
    pub anonymous_cache_seconds: u64,

    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The server's subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Migrate the database and serve Kindred (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Check every community's contribution ledger for tampering; exit 1 if any chain is broken.
    VerifyLedger,
    /// Recompute every badge award from the verified ledger; prints what changed.
    RecomputeBadges,
    /// Write a consistent copy of the database to a new file while the server keeps
    /// running, then check the copy (integrity, foreign keys, every ledger chain).
    Backup {
        /// The new file to write (it must not exist).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace the database with a checked backup. Refuses a damaged file, and refuses
    /// while a server runs on the database; the old file is kept as `<db>.before-restore`.
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Copy a whole Kindred database from SQLite into an empty PostgreSQL database (the
    /// source may keep running: a checked snapshot is copied), then compare every table's
    /// rows and verify every ledger chain on the copy.
    MigrateData {
        /// The SQLite database to copy (default: the configured database).
        #[arg(long)]
        from: Option<String>,
        /// The PostgreSQL database to fill, e.g. `postgres://kindred@db.internal/kindred`.
        #[arg(long)]
        to: String,
    },
    /// Fill an empty database with generated benchmark data (deterministic for a seed);
    /// prints what it made as JSON.
    SeedBench {
        /// 1 = 20 communities, 5,000 members, 2,000 threads, 100,000 replies, 50,000 contributions.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Serve the benchmark's ceiling: bare axum handlers running the same queries (no Leptos).
    Ceiling {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:3200")]
        addr: std::net::SocketAddr,
    },
}

impl Config {
    /// Settings for tests: a given database, no demo, generous throttles.
    pub fn for_tests(database_url: &str) -> Self {
        let mut config = Config::parse_from(["server"]);
        config.database_url = database_url.to_owned();
        config.demo = false;
        config.auth_per_minute = 1_000;
        config.auth_per_hour = 10_000;
        config.post_limits = false;
        config
    }

    /// Whether session cookies must be Secure (served over https).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_ref().is_some_and(|u| u.scheme() == "https")
    }

    /// The URL links in e-mail start with: the public URL, else the listening address.
    pub fn link_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.site_addr),
        }
    }

    /// The configured public origin, e.g. `https://kindred.example.org`.
    pub fn public_origin(&self) -> Option<String> {
        self.public_url.as_ref().map(|u| u.origin().ascii_serialization())
    }
}
