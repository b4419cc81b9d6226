//! `imr letter`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Write a Final Determination Letter (text, HTML or PDF).
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr letter` is not built yet")
}
