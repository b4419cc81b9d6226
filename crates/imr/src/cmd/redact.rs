//! `imr redact FILE [-o FILE] [--report FILE] [--parties FILE]`: the public copy of a letter
//! (text or PDF) or of a determination (JSON), with what identifies a person replaced by
//! bracketed tags; with `--parties`, every party of the case (an application, or a list of known
//! parties) is removed in every form it takes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use imr_case::Application;
use imr_core::Determination;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};
use imr_redact::{Kind, KnownParties, redact_determination, redact_text};
use serde::Serialize;

use super::letter::write_atomically;

/// Write the public, redacted copy of a letter or a determination.
#[derive(clap::Args)]
pub struct Args {
    /// A letter (.txt or .pdf) or a determination (.json, as `imr parse` writes it).
    pub file: PathBuf,
    /// Write the redacted copy here (atomically) instead of to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Write what was removed and where (kind, field, byte range, line; never the text) as JSON.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// The case's parties, removed in every form: the case's application (JSON, as `imr case
    /// new` reads it) or a list of known parties (JSON: people, employers,
    /// claims_administrators, insurers, provider_groups, identifiers, addresses, phones,
    /// dates_of_birth).
    #[arg(long)]
    pub parties: Option<PathBuf>,
}

/// The known parties from `--parties`: an application, or a list of parties.
fn read_parties(path: &Path) -> anyhow::Result<KnownParties> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the parties", path.display()))?;
    if let Ok(app) = serde_json::from_str::<Application>(&text) {
        return Ok(KnownParties::of_application(&app));
    }
    serde_json::from_str::<KnownParties>(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}: neither an application nor a list of known parties (people, employers, \
             claims_administrators, insurers, provider_groups, identifiers, addresses, phones, \
             dates_of_birth): {e}",
            path.display()
        )
    })
}

/// One removal as reported.
#[derive(Serialize)]
struct Reported {
    kind: Kind,
    /// The determination's field, for a JSON input.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    start: usize,
    end: usize,
    /// 1-based line of the start, for a letter (in the text read from a PDF, for a PDF).
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let path = &args.file;
    if let Some(out) = &args.output
        && out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["pdf", "html", "htm"].contains(&e.to_ascii_lowercase().as_str()))
    {
        anyhow::bail!(
            "{}: imr redact writes text (for a letter) or JSON (for a determination); for a PDF or HTML copy, redact to JSON or text, then `imr parse` and `imr letter`",
            out.display()
        );
    }
    let known = match &args.parties {
        Some(p) => read_parties(p)?,
        None => KnownParties::default(),
    };
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let (output, reported) = if is_json {
        redact_json(path, &known)?
    } else {
        redact_letter(path, &known)?
    };

    match &args.output {
        Some(out) => write_atomically(out, output.as_bytes())?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(output.as_bytes())?;
            stdout.flush()?;
        }
    }
    if let Some(report) = &args.report {
        let json = serde_json::to_string_pretty(&reported)?;
        write_atomically(report, format!("{json}\n").as_bytes())?;
    }
    // A summary by kind: counts only, so it can go to any log.
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for r in &reported {
        match counts.iter_mut().find(|(k, _)| *k == r.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.kind, 1)),
        }
    }
    counts.sort();
    let summary: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{} {n}", k.as_str()))
        .collect();
    eprintln!(
        "imr redact: {}: {} removed{}{}",
        path.display(),
        reported.len(),
        if summary.is_empty() { "" } else { ": " },
        summary.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

fn redact_letter(path: &Path, known: &KnownParties) -> anyhow::Result<(String, Vec<Reported>)> {
    let text = read_document_text(path, DEFAULT_MAX_BYTES)
        .with_context(|| format!("{}: cannot read the letter", path.display()))?;
    let redacted = redact_text(&text, known);
    let reported = redacted
        .removals
        .iter()
        .map(|r| Reported {
            kind: r.kind,
            field: None,
            start: r.start,
            end: r.end,
            line: Some(text[..r.start].matches('\n').count() + 1),
        })
        .collect();
    Ok((redacted.text, reported))
}

fn redact_json(path: &Path, known: &KnownParties) -> anyhow::Result<(String, Vec<Reported>)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut outputs = Vec::new();
    let mut reported = Vec::new();
    // `imr parse` writes one determination per letter, one after another.
    for (n, determination) in serde_json::Deserializer::from_str(&text)
        .into_iter::<Determination>()
        .enumerate()
    {
        let determination = determination.with_context(|| {
            format!(
                "{}: determination {}: not a determination (the JSON `imr parse` writes)",
                path.display(),
                n + 1
            )
        })?;
        let (redacted, report) = redact_determination(&determination, known);
        let prefix = if n == 0 {
            String::new()
        } else {
            format!("[{n}].")
        };
        reported.extend(report.into_iter().map(|r| Reported {
            kind: r.kind,
            field: Some(format!("{prefix}{}", r.field)),
            start: r.start,
            end: r.end,
            line: None,
        }));
        outputs.push(serde_json::to_string_pretty(&redacted)?);
    }
    if outputs.is_empty() {
        anyhow::bail!("{}: empty: no determination in it", path.display());
    }
    Ok((format!("{}\n", outputs.join("\n")), reported))
}
