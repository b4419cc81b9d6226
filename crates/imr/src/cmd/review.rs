//! `imr review`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Propose a determination for every disputed item of a case from the guidelines.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr review` is not built yet")
}
