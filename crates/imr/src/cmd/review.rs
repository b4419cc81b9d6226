//! `imr review CASE [--format json|text] [--as-of DATE] [--guidelines DIR]`: a proposed
//! determination for every disputed item of a case file (or of every case file in a folder, as
//! JSON lines).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use imr_case::proposal;
use imr_reading::case_file::CaseFile;
use imr_rules::engine::Date;
use imr_rules::engine::agreement::MEASURED_ON;
use imr_rules::engine::{CaseFindings, CriterionState, Status};
use imr_rules::guidelines::Guidelines;

use crate::rule_files::load_guidelines;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

/// Propose a determination for every disputed item of a case from the guidelines.
#[derive(clap::Args)]
pub struct Args {
    /// A case file (JSON or TOML) or a folder of them.
    pub case: PathBuf,
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Apply the guideline versions in force on this date (YYYY-MM-DD) instead of the case's
    /// UR denial date.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Read rule files (*.toml) from this folder instead of the built-in guidelines.
    #[arg(long)]
    pub guidelines: Option<PathBuf>,
    /// Also write the proposed Final Determination Letter in this format (one case file only;
    /// needs --reviewer).
    #[arg(long, value_enum, requires = "reviewer")]
    pub letter: Option<super::letter::Format>,
    /// With --letter: write the letter here (atomically); the findings still go to stdout.
    #[arg(short, long, requires = "letter")]
    pub output: Option<PathBuf>,
    /// With --letter: the reviewer's profile (JSON or TOML) whose credentials the letter states.
    #[arg(long)]
    pub reviewer: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let guidelines = load_guidelines(args.guidelines.as_deref())?;
    let as_of = match &args.as_of {
        Some(date) => Some(date.parse().map_err(|_| {
            anyhow::anyhow!("--as-of \"{date}\" is not a date (expected YYYY-MM-DD)")
        })?),
        None => None,
    };
    let is_dir = args.case.is_dir();
    if let Some(format) = args.letter {
        if is_dir {
            anyhow::bail!(
                "{}: --letter writes one case's letter; give a case file, not a folder",
                args.case.display()
            );
        }
        return write_proposed_letter(&args, &guidelines, as_of, format);
    }
    let files = if is_dir {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&args.case)
            .with_context(|| format!("{}: cannot list folder", args.case.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "toml"))
            .collect();
        files.sort();
        files
    } else {
        vec![args.case.clone()]
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0;
    for path in &files {
        let findings = match review_file(&guidelines, path, as_of) {
            Ok(findings) => findings,
            Err(error) => {
                failed += 1;
                eprintln!("imr review: {}: {error:#}", path.display());
                continue;
            }
        };
        match (args.format, is_dir) {
            (Format::Json, false) => serde_json::to_writer_pretty(&mut out, &findings)?,
            (Format::Json, true) => serde_json::to_writer(&mut out, &findings)?,
            (Format::Text, _) => write!(out, "{}", text(&findings))?,
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `--letter`: the letter the engine proposes for one case, in one step. Items the engine leaves
/// to a physician stop it, named, as `imr letter` does.
fn write_proposed_letter(
    args: &Args,
    guidelines: &Guidelines,
    as_of: Option<Date>,
    format: super::letter::Format,
) -> anyhow::Result<ExitCode> {
    let path = &args.case;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let case = CaseFile::parse_any(&text).with_context(|| path.display().to_string())?;
    let findings = proposal::analyse(&case, guidelines, as_of).findings;
    let mut determination = proposal::proposed_determination(&case, &findings, None)
        .with_context(|| path.display().to_string())?;
    let profile_path = args
        .reviewer
        .as_deref()
        .context("--letter needs the reviewer's profile (--reviewer PROFILE)")?;
    let profile = super::letter::read_profile(profile_path)?;
    determination.reviewer = profile
        .credentials()
        .with_context(|| profile_path.display().to_string())?;
    let options = imr_letter::write::LetterOptions {
        practice: Some(profile.practice()),
        ..imr_letter::write::LetterOptions::default()
    };
    let bytes = super::letter::write_letter(&determination, &options, format)?;
    match &args.output {
        Some(output) => super::letter::write_atomically(output, &bytes)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn review_file(
    guidelines: &Guidelines,
    path: &Path,
    as_of: Option<Date>,
) -> anyhow::Result<CaseFindings> {
    let text = std::fs::read_to_string(path).context("cannot read")?;
    let case = CaseFile::parse_any(&text)?;
    Ok(proposal::analyse(&case, guidelines, as_of).findings)
}

fn text(findings: &CaseFindings) -> String {
    let mut out = format!(
        "Case {}\n",
        findings
            .case_number
            .as_deref()
            .unwrap_or("(no case number)")
    );
    for problem in &findings.problems {
        out.push_str(&format!("  note: {problem}\n"));
    }
    for sentence in &findings.ur_reasoning {
        out.push_str(&format!(
            "  UR's reasoning (not read as findings): \"{}\"\n",
            sentence.text
        ));
    }
    for f in &findings.items {
        let outcome = match (f.status, f.decision) {
            (Status::Decided, Some(d)) => d.as_str().to_string(),
            _ => "needs physician review".to_string(),
        };
        out.push_str(&format!("\n{}: {outcome}\n", f.request));
        if let Some(rule) = &f.rule {
            let measured = f.agreement.map_or_else(
                || format!("not measured: it decided no item of {MEASURED_ON}"),
                |a| a.describe(),
            );
            out.push_str(&format!("  Rule: {rule} ({measured})\n"));
        }
        if let Some(citation) = &f.citation {
            out.push_str(&format!("  Guideline: {citation}\n"));
        }
        out.push_str(&format!("  Rationale: {}\n", f.rationale));
        for m in &f.missing {
            out.push_str(&format!("  Missing: {m}\n"));
        }
        if !f.criteria.is_empty() {
            out.push_str("  Criteria (* = tested by the rule that decided):\n");
        }
        for c in &f.criteria {
            let state = match c.state {
                CriterionState::Met => "documented",
                CriterionState::NotMet => "documented as absent",
                CriterionState::NotDocumented => "not documented",
            };
            let mark = if c.decisive { "*" } else { " " };
            let value = c
                .value
                .as_deref()
                .map_or(String::new(), |v| format!(" = {v}"));
            let required = c
                .required
                .as_deref()
                .map_or(String::new(), |r| format!(" (rule: {r})"));
            out.push_str(&format!("   {mark} [{state}] {}{value}{required}", c.label));
            for e in &c.evidence {
                out.push_str(&format!(" \"{}\" ({})", e.text, e.polarity.as_str()));
            }
            out.push('\n');
        }
    }
    out
}
