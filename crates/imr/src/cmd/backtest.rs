//! `imr backtest PATH... [--format text|json] [--explain] [--precedents K] [--write-agreement FILE]`:
//! review published letters with their decisions hidden and compare the engine's findings with
//! the published decisions, overall and per rule beside the precedents' leave-one-out agreement
//! on the same items. The figures describe agreement with the letters given: on the dev letters,
//! which the rules were written from, they measure fit.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr_core::model::Determination;
use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};
use imr_rules::engine::backtest::{
    Comparison, WHAT_THE_FIGURES_SAY, compare, per_rule, rule_table, score, table,
};
use imr_rules::engine::{adapt, agreement, review};

use crate::files::{letter_files, parallel_map};
use crate::rule_files::load_guidelines;

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
    /// Compare each rule with the majority of the K nearest published precedents of the same
    /// items, each letter left out of its own precedents (0: no comparison).
    #[arg(long, default_value_t = 5)]
    pub precedents: usize,
    /// Write each rule's hits and agreements over all the letters given to this file (the table
    /// the engine ships, `crates/imr-rules/src/engine/agreement.csv`, measured on the dev letters:
    /// `imr backtest $IMR_LETTERS/dev/txt --write-agreement crates/imr-rules/src/engine/agreement.csv`).
    #[arg(long)]
    pub write_agreement: Option<PathBuf>,
}

/// One letter's reading and its comparisons.
struct Reviewed {
    letter: Determination,
    comparisons: Vec<Comparison>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let guidelines = load_guidelines(args.guidelines.as_deref())?;
    let files = letter_files(&args.paths)?;
    let results = parallel_map(&files, |path| -> Result<Reviewed, String> {
        let text = read_document_text(path, DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
        let letter = read_letter(&text);
        if letter.items.is_empty() {
            return Err("no disputed item with a published decision was found".to_string());
        }
        let findings = review(
            &guidelines,
            &adapt::from_letter(&letter, &guidelines.thresholds),
            None,
        );
        let comparisons = compare(&letter, &findings);
        Ok(Reviewed {
            letter,
            comparisons,
        })
    });
    let mut reviewed = Vec::new();
    for (path, result) in files.iter().zip(results) {
        match result {
            Ok(found) => reviewed.push(found),
            Err(message) => eprintln!("imr backtest: {}: {message}", path.display()),
        }
    }
    let precedent = if args.precedents > 0 {
        Some(precedent_agreement(&reviewed, args.precedents)?)
    } else {
        None
    };
    let comparisons: Vec<Comparison> = reviewed
        .iter()
        .flat_map(|r| r.comparisons.iter().cloned())
        .collect();
    let scores = score(&comparisons);
    let rules = per_rule(&comparisons, precedent.as_deref());
    if let Some(path) = &args.write_agreement {
        std::fs::write(path, agreement::write(&agreement::measure(&comparisons)))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Text => {
            writeln!(out, "{WHAT_THE_FIGURES_SAY}\n")?;
            write!(out, "{}", table(&scores))?;
            if let Some(p) = &precedent {
                writeln!(
                    out,
                    "\nprecedents: the majority of the {} nearest published items, each letter left out, on the same items",
                    args.precedents
                )?;
                writeln!(out, "  {}", precedent_line(&comparisons, p))?;
            }
            writeln!(
                out,
                "\nper rule (agree = as published; precedents = the {}-nearest precedents' majority, leave-one-out, on the same items)",
                args.precedents
            )?;
            write!(out, "{}", rule_table(&rules))?;
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
            let mut value = serde_json::json!({
                "note": WHAT_THE_FIGURES_SAY,
                "scores": scores,
                "rules": rules,
            });
            if args.explain {
                value["comparisons"] = serde_json::json!(comparisons);
            }
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// For every comparison, in order: whether the majority of the `k` nearest published precedents
/// (the letter itself left out) matched the published decision; `None` when no precedent had a
/// decision. The precedents are the letters under test themselves, indexed in memory.
fn precedent_agreement(reviewed: &[Reviewed], k: usize) -> anyhow::Result<Vec<Option<bool>>> {
    let index = imr_corpus::CorpusIndex::in_memory()?;
    index.add_all(reviewed.iter().map(|r| &r.letter))?;
    let mut out = Vec::new();
    for r in reviewed {
        let found = index.precedents(&r.letter, k)?;
        // `compare` keeps the items with a published decision, in order: the same filter here.
        for (i, item) in r.letter.items.iter().enumerate() {
            let Some(published) = item.decision else {
                continue;
            };
            let majority = found
                .iter()
                .find(|p| p.item_index == i)
                .and_then(|p| p.majority);
            out.push(majority.map(|m| m == published));
        }
    }
    Ok(out)
}

/// The precedents' agreement with the published decisions: on the items the engine decided, on
/// all, and on the published Overturned ones.
fn precedent_line(comparisons: &[Comparison], agree: &[Option<bool>]) -> String {
    let count = |keep: &dyn Fn(&Comparison) -> bool| {
        let kept: Vec<usize> = (0..comparisons.len())
            .filter(|&i| keep(&comparisons[i]))
            .collect();
        let agreed = kept.iter().filter(|&&i| agree[i] == Some(true)).count();
        format!("{agreed}/{}", kept.len())
    };
    format!(
        "agree on the engine's decided items {}, on all items {}, published Overturned found {}",
        count(&|c| c.engine.is_some()),
        count(&|_| true),
        count(&|c| c.published == imr_core::model::Decision::Overturned)
    )
}
