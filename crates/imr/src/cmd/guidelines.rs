//! `imr guidelines check [--guidelines DIR]`: the rules lint. Every rule that another rule
//! shadows (it can never decide) or contradicts (same conditions, opposite outcome), one line
//! each with file and line; the exit status is 1 when there is any.

use std::path::PathBuf;
use std::process::ExitCode;

use imr_rules::guidelines::check;

/// The guideline rules.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: GuidelinesCommand,
}

#[derive(clap::Subcommand)]
pub enum GuidelinesCommand {
    /// List rules that another rule shadows or contradicts.
    Check {
        /// Read rule files (*.toml) from this folder instead of the built-in guidelines.
        #[arg(long)]
        guidelines: Option<PathBuf>,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        GuidelinesCommand::Check { guidelines } => {
            let rules = crate::rule_files::load_guidelines(guidelines.as_deref())?;
            let problems = check::check(&rules);
            for problem in &problems {
                println!("{problem}");
            }
            if problems.is_empty() {
                println!("{} rules: none shadowed or contradicted", rules.rules.len());
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "{} of {} rules need attention",
                    problems.len(),
                    rules.rules.len()
                );
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
