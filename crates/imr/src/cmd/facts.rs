//! `imr facts FILE [--format json|text]`: the clinical facts of a case file, letter or text, and
//! the reading of each disputed request.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use imr_core::{Diagnostic, Severity};
use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};
use imr_reading::case_file::CaseFile;
use imr_reading::extract::{self, Fact};
use imr_reading::request::{Request, read_item, read_parts};
use serde::Serialize;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Show the clinical facts and the reading of each request in a case file, letter or text.
#[derive(clap::Args)]
pub struct Args {
    /// A case file (.json or .toml), a letter (.pdf or .txt: its clinical summary is read) or
    /// plain text (all of it is read).
    pub file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// The largest file read, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
}

/// What `imr facts` prints.
#[derive(Serialize)]
struct Report {
    /// "case_file", "letter" or "text".
    source: &'static str,
    facts: Vec<Fact>,
    requests: Vec<Request>,
    diagnostics: Vec<Diagnostic>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let report = read(&args.file, args.max_bytes)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        Format::Text => write_text(&mut out, &report)?,
    }
    out.flush()?;
    for d in &report.diagnostics {
        eprintln!(
            "imr facts: {}: {}: {}",
            args.file.display(),
            d.field,
            d.message
        );
    }
    let failed = report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn read(path: &Path, max_bytes: u64) -> anyhow::Result<Report> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let text = read_document_text(path, max_bytes)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    if extension == "json" || extension == "toml" {
        let format = if extension == "json" {
            imr_reading::case_file::Format::Json
        } else {
            imr_reading::case_file::Format::Toml
        };
        let case = CaseFile::parse(&text, format)
            .with_context(|| format!("{}: not a valid case file", path.display()))?;
        let extraction = extract::extract(&case.clinical_summary);
        let requests = case
            .requests
            .iter()
            .map(|r| {
                read_parts(
                    &r.item,
                    r.original_request.as_deref(),
                    r.authorized.as_deref(),
                )
            })
            .collect();
        return Ok(Report {
            source: "case_file",
            facts: extraction.facts,
            requests,
            diagnostics: with_field(extraction.diagnostics, "clinical_summary"),
        });
    }
    // A letter has a clinical summary; other text is read whole.
    let determination = read_letter(&text);
    if let Some(summary) = &determination.clinical_summary {
        let extraction = extract::extract(summary);
        let requests = determination.items.iter().map(read_item).collect();
        return Ok(Report {
            source: "letter",
            facts: extraction.facts,
            requests,
            diagnostics: with_field(extraction.diagnostics, "clinical_summary"),
        });
    }
    let extraction = extract::extract(&text);
    Ok(Report {
        source: "text",
        facts: extraction.facts,
        requests: Vec::new(),
        diagnostics: extraction.diagnostics,
    })
}

/// Names the part of the input a diagnostic is about.
fn with_field(diagnostics: Vec<Diagnostic>, field: &str) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .map(|mut d| {
            d.field = format!("{field}.{}", d.field);
            d
        })
        .collect()
}

fn write_text(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    writeln!(out, "source: {}", report.source)?;
    writeln!(out, "facts: {}", report.facts.len())?;
    for f in &report.facts {
        let mut extra = String::new();
        if let Some(n) = f.number {
            extra.push_str(&format!(" number={n}"));
        }
        if let Some(d) = f.date {
            extra.push_str(&format!(" date={d}"));
        }
        if let Some(a) = &f.about {
            extra.push_str(&format!(" about={a}"));
        }
        if let Some(r) = f.body_region {
            extra.push_str(&format!(" region={}", r.as_str()));
        }
        if let Some(l) = f.laterality {
            extra.push_str(&format!(" side={}", l.as_str()));
        }
        if let Some(r) = f.result {
            extra.push_str(&format!(" result={}", r.as_str()));
        }
        if let Some(d) = f.direction {
            extra.push_str(&format!(" direction={d:?}"));
        }
        if f.ur_reasoning {
            extra.push_str(" (UR's reasoning: not a finding)");
        }
        writeln!(
            out,
            "  {:<20} {:<32} {:<10} {:>6}..{:<6} {:?}{extra}",
            f.kind.as_str(),
            f.value,
            f.polarity.as_str(),
            f.start,
            f.end,
            f.text
        )?;
    }
    if !report.requests.is_empty() {
        writeln!(out, "requests: {}", report.requests.len())?;
    }
    for r in &report.requests {
        let mut parts = vec![format!("service={}", r.service.as_str())];
        if !r.body_regions.is_empty() {
            let names: Vec<_> = r.body_regions.iter().map(|b| b.as_str()).collect();
            parts.push(format!("regions={}", names.join(",")));
        }
        if let Some(l) = r.laterality {
            parts.push(format!("side={}", l.as_str()));
        }
        if let Some(q) = r.quantity {
            parts.push(format!("quantity={q}"));
        }
        if let Some(d) = &r.drug {
            parts.push(format!("drug={}", d.name));
            if let Some(s) = &d.strength {
                parts.push(format!("strength={s}"));
            }
        }
        if let Some(p) = &r.partial {
            parts.push(format!(
                "partial(original={:?}, authorized={:?}, remaining={:?})",
                p.original_quantity, p.authorized_quantity, p.remaining_quantity
            ));
        }
        writeln!(out, "  {:?}\n    {}", r.text, parts.join(" "))?;
    }
    Ok(())
}
