//! `imr import`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Restore a store from JSON lines written by export.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr import` is not built yet")
}
