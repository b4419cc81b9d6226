//! `imr serve [--addr 127.0.0.1:8080] [--database-url URL] [--demo] [--corpus DIR]`: the HTTP server (JSON API
//! and the reviewer's workbench) over the case store.

use std::process::ExitCode;

use crate::archive::{ArchiveArgs, refresh};
use crate::cmd::case::runtime;

/// Serve the JSON API and the reviewer's web workbench.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The store: a SQLite file (`sqlite://PATH` or a path) or `postgres://...`; by default
    /// IMR_DATABASE_URL, else ./imr.db.
    #[arg(long)]
    pub database_url: Option<String>,
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
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    imr_server::init_logging();
    let database_url = args
        .database_url
        .or_else(|| std::env::var("IMR_DATABASE_URL").ok())
        .unwrap_or_else(|| "imr.db".to_string());
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
            ..Default::default()
        },
        admin_password: std::env::var("IMR_ADMIN_PASSWORD").ok(),
        corpus_dir: args.corpus,
    };
    imr_server::run_blocking(options)?;
    Ok(ExitCode::SUCCESS)
}
