//! `imr parse PATH... [--format json|jsonl]`

use std::path::PathBuf;
use std::process::ExitCode;

/// Read letters into JSON records.
#[derive(clap::Args)]
pub struct Args {
    /// Letters (.pdf or .txt) or folders (every .pdf and .txt below them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("parse is not built yet")
}
