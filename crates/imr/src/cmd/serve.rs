//! `imr serve [--addr 127.0.0.1:8080] [--database-url URL] [--demo] [--corpus DIR]
//! [--trust-proxy] [--secure-cookies] [limits]`: the HTTP server (JSON API and the reviewer's
//! workbench) over the case store, until SIGTERM or Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use crate::archive::{ArchiveArgs, refresh};
use crate::store_args::runtime;

/// Serve the JSON API and the reviewer's web workbench.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The store: a SQLite file (`sqlite://PATH` or a path) or `postgres://...`.
    #[arg(long, env = "IMR_DATABASE_URL", default_value = "imr.db")]
    pub database_url: String,
    /// Load fictional demo reviewers, cases and users into an empty store.
    #[arg(long)]
    pub demo: bool,
    /// The largest document upload accepted, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_upload_bytes: usize,
    /// Serve the published decisions (search, statistics, precedents) from the store's
    /// published letters, with their search index in this folder (brought up to date at start).
    #[arg(long)]
    pub corpus: Option<std::path::PathBuf>,
    /// Behind a reverse proxy: take the client's address (for the login throttle) from the
    /// last entry of X-Forwarded-For. Without a proxy that sets it, anyone could choose theirs.
    #[arg(long)]
    pub trust_proxy: bool,
    /// Mark the session cookie Secure (sent over HTTPS only): use behind TLS.
    #[arg(long)]
    pub secure_cookies: bool,
    /// Connections open at once; at the cap the oldest idle one is closed for a new one.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Seconds a client has to send a request's headers (idle connections close after it too).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_timeout: u64,
    /// Seconds a request may take, reading its body included.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Minutes after which an unused web session ends.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..))]
    pub session_idle_minutes: i64,
    /// Sessions one user may hold at once (web and API each); the oldest ends past it.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_sessions_per_user: u32,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    imr_server::init_logging();
    let database_url = args.database_url;
    if let Some(dir) = &args.corpus {
        // The server reads the index; it is brought up to date from the archive first.
        let archive = ArchiveArgs {
            database_url: database_url.clone(),
            index: Some(dir.clone()),
        };
        runtime()?.block_on(async {
            let store = archive.store().await?;
            refresh(store.as_ref(), dir, false).await.map(drop)
        })?;
    }
    let options = imr_server::ServeOptions {
        addr: args.addr,
        database_url,
        demo: args.demo,
        settings: imr_server::Settings {
            max_upload_bytes: args.max_upload_bytes,
            session_idle_seconds: args.session_idle_minutes.saturating_mul(60),
            max_sessions_per_user: args.max_sessions_per_user,
            trust_proxy: args.trust_proxy,
            secure_cookies: args.secure_cookies,
            ..Default::default()
        },
        admin_password: std::env::var("IMR_ADMIN_PASSWORD").ok(),
        corpus_dir: args.corpus,
        limits: imr_server::ConnectionLimits {
            max_connections: args.max_connections as usize,
            header_read_timeout: Duration::from_secs(args.header_timeout),
            request_timeout: Duration::from_secs(args.request_timeout),
            ..Default::default()
        },
    };
    imr_server::run_blocking(options)?;
    Ok(ExitCode::SUCCESS)
}
