//! `imr deadlines`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// List overdue cases and what falls due in the next days.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr deadlines` is not built yet")
}
