//! `imr redact`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Write the public, redacted copy of a letter or a determination.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr redact` is not built yet")
}
