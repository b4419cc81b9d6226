//! `imr precedents CASE [--k 5] [--database-url URL] [--index DIR]`: for each disputed item of a case, the most
//! similar published decisions with their outcomes, guidelines and rationales.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use imr_core::Determination;
use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};

use crate::archive::{ArchiveArgs, open_for_search};
use crate::cmd::search::mark;
use crate::store_args::runtime;

/// Show, for each disputed item of a case, the most similar published decisions.
#[derive(clap::Args)]
pub struct Args {
    /// A case number in the corpus (CM16-0242419), or a letter file (.pdf or .txt).
    pub case: String,
    /// Precedents per item.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

fn load_case(args: &Args) -> anyhow::Result<Determination> {
    let path = Path::new(&args.case);
    if path.is_file() {
        let text = read_document_text(path, DEFAULT_MAX_BYTES)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let d = read_letter(&text);
        if d.items.is_empty() {
            anyhow::bail!("{}: no disputed items found in this letter", path.display());
        }
        return Ok(d);
    }
    let id = args.case.trim();
    let store = runtime()?.block_on(args.archive.store())?;
    let record = runtime()?.block_on(store.published(id))?;
    record.map(|r| r.determination).with_context(|| {
        format!(
            "{}: neither a letter file nor a published letter in the store {}",
            args.case, args.archive.database_url
        )
    })
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let case = load_case(&args)?;
    let index = runtime()?.block_on(open_for_search(&args.archive))?;
    let found = index.precedents(&case, args.k)?;
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &found)?;
        writeln!(out)?;
    } else {
        for item in &found {
            let majority = item.majority.map_or("none", |d| d.as_str());
            writeln!(
                out,
                "Item {}: {} [{}]\n  majority of {} precedent(s): {majority}",
                item.item_index + 1,
                item.request,
                item.service,
                item.precedents.len()
            )?;
            for p in &item.precedents {
                let date = p.decision_date.map(|d| d.to_string()).unwrap_or_default();
                let decision = p.decision.map_or("undecided", |d| d.as_str());
                let other = if p.same_service {
                    String::new()
                } else {
                    format!(" (another category: {})", p.service)
                };
                writeln!(
                    out,
                    "  - {}  {date}  {decision}  {}{other}",
                    p.case_number, p.request
                )?;
                if let Some(line) = &p.guideline_line {
                    writeln!(out, "      guideline: {line}")?;
                }
                if let Some(r) = &p.rationale {
                    writeln!(out, "      rationale: {}…", mark(r, color))?;
                }
            }
            writeln!(out)?;
        }
    }
    out.flush().context("cannot write the precedents")?;
    Ok(ExitCode::SUCCESS)
}
