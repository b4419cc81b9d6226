//! The `imr` command line: a thin layer over the library crates.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// imr: Independent Medical Review for California workers' compensation.
#[derive(Parser)]
#[command(name = "imr", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read Final Determination Letters (PDF or text) into JSON records.
    Parse(cmd::parse::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd::parse::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("imr: {error:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
