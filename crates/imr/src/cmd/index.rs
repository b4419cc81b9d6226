//! `imr index [--database-url URL] [--index DIR]`: fill the search index again from the store's
//! published letters.
//!
//! The store is the archive (`imr ingest` reads letters into it); the index is a cache that
//! `imr ingest`, `imr search`, `imr precedents` and `imr stats` bring up to date by themselves
//! when the archive changed. This command rebuilds it whole, e.g. after moving it.

use std::process::ExitCode;

use crate::archive::{ArchiveArgs, Refresh, refresh};
use crate::store_args::runtime;

/// Rebuild the search index of the published decisions from the store.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let store = args.archive.store().await?;
        let (index, outcome) = refresh(store.as_ref(), &args.archive.cache_dir(), true).await?;
        if let Refresh::Refilled { letters, items } = outcome {
            eprintln!(
                "imr index: {} rebuilt from the store: {letters} letter(s), {items} item(s)",
                args.archive.cache_dir().display()
            );
        }
        drop(index);
        Ok(ExitCode::SUCCESS)
    })
}
