//! `imr reviewer`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Reviewers: add and list.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr reviewer` is not built yet")
}
