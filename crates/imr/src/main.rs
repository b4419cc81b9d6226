//! The `imr` command line: a thin layer over the library crates.

mod archive;
mod cmd;
#[cfg(test)]
mod configuration_doc;
mod files;
mod rule_files;
mod store_args;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The command line; its one-line description (`about`) is the package's, in Cargo.toml.
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
    /// Show the clinical facts and the reading of each request in a case file, letter or text.
    Facts(cmd::facts::Args),
    /// Propose a determination for every disputed item of a case from the guidelines.
    Review(cmd::review::Args),
    /// The guideline rules: `check` lists rules another rule shadows or contradicts.
    Guidelines(cmd::guidelines::Args),
    /// Review published letters with their decisions hidden and compare with the published decisions.
    Backtest(cmd::backtest::Args),
    /// Write a Final Determination Letter (text, HTML or PDF).
    Letter(cmd::letter::Args),
    /// Write the public, redacted copy of a letter or a determination.
    Redact(cmd::redact::Args),
    /// Cases: new application, show, records, assign, review, sign, letter.
    Case(cmd::case::Args),
    /// Reviewers: add and list.
    Reviewer(cmd::reviewer::Args),
    /// List overdue cases and what falls due in the next days.
    Deadlines(cmd::deadlines::Args),
    /// Write the whole store as JSON lines.
    Export(cmd::export::Args),
    /// Restore a store from JSON lines written by export.
    Import(cmd::import::Args),
    /// Serve the JSON API and the reviewer's web workbench.
    Serve(cmd::serve::Args),
    /// Users of the server: add, passwd, disable, enable, list.
    User(cmd::user::Args),
    /// Rebuild the search index of the published letters from the store.
    Index(cmd::index::Args),
    /// Read published letters into the store (one record per letter), resumable.
    Ingest(cmd::ingest::Args),
    /// Search the published decisions, with filters and highlighted snippets.
    Search(cmd::search::Args),
    /// For each disputed item of a case, the most similar published decisions.
    Precedents(cmd::precedents::Args),
    /// Outcome rates of the published decisions by service, guideline, specialty and month.
    Stats(cmd::stats::Args),
}

fn main() -> ExitCode {
    stop_quietly_when_output_is_closed();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => cmd::parse::run(args),
        Command::Facts(args) => cmd::facts::run(args),
        Command::Review(args) => cmd::review::run(args),
        Command::Backtest(args) => cmd::backtest::run(args),
        Command::Guidelines(args) => cmd::guidelines::run(args),
        Command::Letter(args) => cmd::letter::run(args),
        Command::Redact(args) => cmd::redact::run(args),
        Command::Case(args) => cmd::case::run(args),
        Command::Reviewer(args) => cmd::reviewer::run(args),
        Command::Deadlines(args) => cmd::deadlines::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::User(args) => cmd::user::run(args),
        Command::Index(args) => cmd::index::run(args),
        Command::Ingest(args) => cmd::ingest::run(args),
        Command::Search(args) => cmd::search::run(args),
        Command::Precedents(args) => cmd::precedents::run(args),
        Command::Stats(args) => cmd::stats::run(args),
    };
    match result {
        Ok(code) => code,
        // The reader of the output went away: nothing more to say to anyone.
        Err(error) if is_closed_output(&error) => ExitCode::from(141),
        Err(error) => {
            eprintln!("imr: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_closed_output(error: &anyhow::Error) -> bool {
    let broken = Some(std::io::ErrorKind::BrokenPipe);
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(|e| e.kind()) == broken
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                == broken
    })
}

/// `imr case show ... | head`: when the reader of the output goes away, stop as other command-line
/// tools do (status 141, as if by SIGPIPE), not with a panic's message about a failed print.
fn stop_quietly_when_output_is_closed() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
