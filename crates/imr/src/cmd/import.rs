//! `imr import FILE`: restores a store from `imr export`'s JSON lines, into an empty store, all
//! or nothing.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr_store::{ExportRecord, StoreError};

use crate::store_args::{Context_, StoreArgs, runtime};

/// Restore a store from JSON lines written by export.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The export file (`-` for standard input).
    pub input: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let reader: Box<dyn BufRead + Send> = if args.input.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&args.input)
            .with_context(|| format!("{}: cannot open", args.input.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let name = args.input.display().to_string();
    runtime()?.block_on(async move {
        let ctx = Context_::open(&args.store).await?;
        let mut records = reader.lines().enumerate().map(|(i, line)| {
            let line = line?;
            serde_json::from_str::<ExportRecord>(&line).map_err(|e| StoreError::BadImport {
                record: i as u64 + 1,
                detail: format!("line {} is not an export record: {e}", i + 1),
            })
        });
        let n = ctx
            .store
            .import(&mut records)
            .await
            .with_context(|| format!("{name}: nothing was imported"))?;
        println!("{name}: {n} records imported");
        Ok(ExitCode::SUCCESS)
    })
}
