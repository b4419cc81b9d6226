//! `imr export [-o FILE]`: the whole store as JSON lines (`imr import` restores it exactly).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr_app::App;

use crate::store_args::{Context_, StoreArgs, runtime};

/// Write the whole store as JSON lines.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Write here (complete or not at all) instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async move {
        let ctx = Context_::open(&args.store).await?;
        let app = App::new(ctx.store.clone()).map_err(|e| anyhow::anyhow!(e))?;
        // A file is written beside its destination and renamed when whole.
        let (mut out, temp): (Box<dyn Write + Send>, Option<PathBuf>) = match &args.output {
            Some(path) => {
                let temp = path.with_extension(format!("partial.{}", std::process::id()));
                let file = std::fs::File::create(&temp)
                    .with_context(|| format!("{}: cannot create", temp.display()))?;
                (Box::new(std::io::BufWriter::new(file)), Some(temp))
            }
            None => (Box::new(std::io::BufWriter::new(std::io::stdout())), None),
        };
        let written = app.export_lines(&mut *out).await;
        let (finished, lines) = match written {
            Ok(lines) => (Ok(()), lines),
            Err(e) => (Err(anyhow::Error::from(e)), 0),
        };
        drop(out);
        if let Err(e) = finished {
            if let Some(temp) = &temp {
                let _ = std::fs::remove_file(temp);
            }
            return Err(e.context("the export was not written"));
        }
        if let (Some(temp), Some(path)) = (temp, &args.output) {
            std::fs::File::open(&temp)?.sync_all()?;
            std::fs::rename(&temp, path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            eprintln!("{}: {lines} records", path.display());
        }
        Ok(ExitCode::SUCCESS)
    })
}
