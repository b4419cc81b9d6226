//! `imr backtest PATH... [--format text|json] [--explain]`: review published letters with their
//! decisions hidden and compare the engine's findings with the published decisions.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use imr_core::engine::backtest::{Comparison, compare, score, table};
use imr_core::engine::{adapt, review};
use imr_core::letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};

use crate::cmd::review::load_guidelines;
use crate::files::{letter_files, parallel_map};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Review published letters with their decisions hidden and compare with the published decisions.
#[derive(clap::Args)]
pub struct Args {
    /// Letters (.pdf or .txt) or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// List the disagreements with both rationales side by side.
    #[arg(long)]
    pub explain: bool,
    /// Read rule files from this folder instead of the built-in guidelines.
    #[arg(long)]
    pub guidelines: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let guidelines = load_guidelines(args.guidelines.as_deref())?;
    let files = letter_files(&args.paths)?;
    let results = parallel_map(&files, |path| -> Result<Vec<Comparison>, String> {
        let text = read_document_text(path, DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
        let letter = read_letter(&text);
        if letter.items.is_empty() {
            return Err("no disputed item with a published decision was found".to_string());
        }
        let findings = review(&guidelines, &adapt::from_letter(&letter), None);
        Ok(compare(&letter, &findings))
    });
    let mut comparisons = Vec::new();
    for (path, result) in files.iter().zip(results) {
        match result {
            Ok(found) => comparisons.extend(found),
            Err(message) => eprintln!("imr backtest: {}: {message}", path.display()),
        }
    }
    let scores = score(&comparisons);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => {
            write!(out, "{}", table(&scores))?;
            if args.explain {
                writeln!(out, "\ndisagreements")?;
                for c in comparisons
                    .iter()
                    .filter(|c| c.engine.is_some() && !c.agrees())
                {
                    writeln!(
                        out,
                        "\n{} | {}",
                        c.case_number.as_deref().unwrap_or("?"),
                        c.request
                    )?;
                    writeln!(
                        out,
                        "  published: {}  engine: {} ({})",
                        c.published,
                        c.engine.map_or("-", |d| d.as_str()),
                        c.rule.as_deref().unwrap_or("-")
                    )?;
                    writeln!(out, "  engine rationale:    {}", c.engine_rationale)?;
                    writeln!(
                        out,
                        "  published rationale: {}",
                        c.published_rationale.as_deref().unwrap_or("-")
                    )?;
                }
            }
        }
        Format::Json => {
            let value = if args.explain {
                serde_json::json!({ "scores": scores, "comparisons": comparisons })
            } else {
                serde_json::json!({ "scores": scores })
            };
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
