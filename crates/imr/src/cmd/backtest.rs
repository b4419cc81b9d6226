//! `imr backtest PATH... [--format text|json] [--explain] [--halves FILE] [--precedents K]`:
//! review published letters with their decisions hidden and compare the engine's findings with
//! the published decisions, overall, per half of the letters, and per rule beside the
//! precedents' leave-one-out agreement on the same items.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use std::collections::BTreeMap;

use anyhow::Context;
use imr_core::engine::backtest::{
    Comparison, Half, Scores, compare, parse_halves, per_rule, rule_table, score, side_by_side,
    table,
};
use imr_core::engine::{adapt, review};
use imr_core::letter::read_letter;
use imr_core::model::Determination;
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
    /// A `case_number,half` file (tune or check): the figures of each half side by side, and the
    /// per-rule table of each half. `--explain` then lists tune disagreements only: the check
    /// half is looked at through its figures alone.
    #[arg(long)]
    pub halves: Option<PathBuf>,
    /// Compare each rule with the majority of the K nearest published precedents of the same
    /// items, each letter left out of its own precedents (0: no comparison).
    #[arg(long, default_value_t = 5)]
    pub precedents: usize,
    /// With --halves: write each rule's hits and agreement per half to this file (the table
    /// the engine ships, `crates/imr-core/src/engine/agreement.csv`).
    #[arg(long, requires = "halves")]
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
    let halves = match &args.halves {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Some(parse_halves(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?)
        }
        None => None,
    };
    let results = parallel_map(&files, |path| -> Result<Reviewed, String> {
        let text = read_document_text(path, DEFAULT_MAX_BYTES).map_err(|e| e.to_string())?;
        let letter = read_letter(&text);
        if letter.items.is_empty() {
            return Err("no disputed item with a published decision was found".to_string());
        }
        let findings = review(&guidelines, &adapt::from_letter(&letter), None);
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
    let half_of = |c: &Comparison| -> Option<Half> {
        let halves = halves.as_ref()?;
        c.case_number
            .as_deref()
            .and_then(|n| halves.get(n).copied())
    };
    let comparisons: Vec<Comparison> = reviewed
        .iter()
        .flat_map(|r| r.comparisons.iter().cloned())
        .collect();
    // The groups reported: all items, or each half (and the letters the halves file omits).
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    if halves.is_some() {
        let mut by_half: BTreeMap<Option<Half>, Vec<usize>> = BTreeMap::new();
        for (i, c) in comparisons.iter().enumerate() {
            by_half.entry(half_of(c)).or_default().push(i);
        }
        for (half, indices) in by_half {
            let name = half.map_or("not in halves", |h| h.as_str());
            groups.push((name.to_string(), indices));
        }
    }
    groups.push(("all".to_string(), (0..comparisons.len()).collect()));
    let pick = |indices: &[usize]| -> (Vec<Comparison>, Option<Vec<Option<bool>>>) {
        let picked = indices.iter().map(|&i| comparisons[i].clone()).collect();
        let precedent = precedent
            .as_ref()
            .map(|p| indices.iter().map(|&i| p[i]).collect());
        (picked, precedent)
    };
    let scored: Vec<(String, Scores, Vec<imr_core::engine::backtest::RuleScore>)> = groups
        .iter()
        .map(|(name, indices)| {
            let (picked, precedent) = pick(indices);
            let rules = per_rule(&picked, precedent.as_deref());
            (name.clone(), score(&picked), rules)
        })
        .collect();
    if let Some(path) = &args.write_agreement {
        let mut rows = imr_core::engine::agreement::Counts::new();
        for c in &comparisons {
            let (Some(_), Some(rule)) = (c.engine, c.rule.as_deref()) else {
                continue;
            };
            let row = rows.entry(rule.to_string()).or_default();
            let counts = match half_of(c) {
                Some(Half::Tune) => &mut row.0,
                Some(Half::Check) => &mut row.1,
                None => continue,
            };
            counts.0 += 1;
            counts.1 += usize::from(c.agrees());
        }
        std::fs::write(path, imr_core::engine::agreement::write(&rows))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Without halves, disagreements of every letter are listed; with them, of the tune half only.
    let explainable = |c: &Comparison| halves.is_none() || half_of(c) == Some(Half::Tune);
    match args.format {
        Format::Text => {
            let (_, all, _) = scored.last().expect("the group of all items");
            write!(out, "{}", table(all))?;
            if halves.is_some() {
                let columns: Vec<(&str, &Scores)> =
                    scored.iter().map(|(n, s, _)| (n.as_str(), s)).collect();
                writeln!(out, "\nby half\n{}", side_by_side(&columns))?;
            }
            if let Some(p) = &precedent {
                writeln!(
                    out,
                    "\nprecedents: the majority of the {} nearest published items, each letter left out, on the same items",
                    args.precedents
                )?;
                for (name, indices) in &groups {
                    let line = precedent_line(&comparisons, p, indices);
                    writeln!(out, "  {name:<14} {line}")?;
                }
            }
            for (name, _, rules) in &scored {
                writeln!(
                    out,
                    "\nper rule ({name}; agree = as published; precedents = the {}-nearest precedents' majority, leave-one-out, on the same items)",
                    args.precedents
                )?;
                write!(out, "{}", rule_table(rules))?;
            }
            if args.explain {
                writeln!(out, "\ndisagreements")?;
                for c in comparisons
                    .iter()
                    .filter(|c| c.engine.is_some() && !c.agrees() && explainable(c))
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
            let groups: Vec<serde_json::Value> = scored
                .iter()
                .map(|(name, scores, rules)| {
                    serde_json::json!({ "group": name, "scores": scores, "rules": rules })
                })
                .collect();
            let mut value = serde_json::json!({ "groups": groups });
            if args.explain {
                let shown: Vec<&Comparison> =
                    comparisons.iter().filter(|c| explainable(c)).collect();
                value["comparisons"] = serde_json::json!(shown);
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

/// The precedents' agreement with the published decisions over a group of items: on the items
/// the engine decided, on all, and on the published Overturned ones.
fn precedent_line(comparisons: &[Comparison], agree: &[Option<bool>], indices: &[usize]) -> String {
    let count = |keep: &dyn Fn(&Comparison) -> bool| {
        let kept: Vec<usize> = indices
            .iter()
            .copied()
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
