//! `imr backtest`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Review published letters with their decisions hidden and compare with the published decisions.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr backtest` is not built yet")
}
