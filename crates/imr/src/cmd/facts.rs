//! `imr facts`: not built yet; the issue that owns it fills this module in.

use std::process::ExitCode;

/// Show the clinical facts and the reading of each request in a case file, letter or text.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let _ = args;
    anyhow::bail!("`imr facts` is not built yet")
}
