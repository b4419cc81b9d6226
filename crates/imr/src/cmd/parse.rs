//! `imr parse PATH... [--format json|jsonl]`: letters (PDF or text) into JSON records.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use imr_core::{Determination, Severity};
use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};

use crate::files::{letter_files, parallel_map};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON object per letter, one after another (a JSON stream, as jq reads).
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

/// Read Final Determination Letters into JSON records.
#[derive(clap::Args)]
pub struct Args {
    /// Letters (.pdf or .txt) or folders (every .pdf and .txt below them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// The largest file read, in bytes; larger ones are refused.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
}

/// What became of one file.
enum Outcome {
    Read(Box<Determination>),
    Failed(String),
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = letter_files(&args.paths)?;
    let outcomes = parallel_map(&files, |path| read_one(path, args.max_bytes));

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for (path, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Outcome::Read(determination) => {
                let errors: Vec<_> = determination
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                for error in &errors {
                    eprintln!("imr parse: {}: {error}", path.display());
                }
                if !errors.is_empty() {
                    failed += 1;
                }
                match args.format {
                    Format::Json => serde_json::to_writer_pretty(&mut out, &determination)?,
                    Format::Jsonl => serde_json::to_writer(&mut out, &determination)?,
                }
                writeln!(out)?;
            }
            Outcome::Failed(message) => {
                failed += 1;
                eprintln!("imr parse: {}: {message}", path.display());
            }
        }
    }
    out.flush()?;
    if files.len() > 1 {
        eprintln!(
            "imr parse: read {} letter(s), {failed} with errors",
            files.len()
        );
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn read_one(path: &Path, max_bytes: u64) -> Outcome {
    let text = match read_document_text(path, max_bytes) {
        Ok(text) => text,
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    let mut determination = read_letter(&text);
    if determination.items.is_empty() && determination.case_number.is_none() {
        return Outcome::Failed(
            "not a Final Determination Letter (no case number and no disputed items found)"
                .to_string(),
        );
    }
    determination.source = Some(path.display().to_string());
    Outcome::Read(Box::new(determination))
}
