//! `imr case`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Cases: new application, show, records, assign, review, sign, letter.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr case` is not built yet")
}
