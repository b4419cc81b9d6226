//! `imr export`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Write the whole store as JSON lines.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr export` is not built yet")
}
