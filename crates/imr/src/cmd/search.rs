//! `imr search "QUERY" [--decision ...] [--service ...] [--guideline ...] [--specialty ...]
//! [--region ...] [--from DATE] [--to DATE] [--index DIR]`: search the published decisions.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use imr_core::Decision;
use imr_corpus::{Filters, SearchQuery, Snippet};
use imr_reading::request::{BodyRegion, Service};
use jiff::civil::Date;

use crate::archive::{ArchiveArgs, open_for_search};
use crate::store_args::runtime;

/// Search the published decisions: words over summaries, requests and rationales, with filters.
#[derive(clap::Args)]
pub struct Args {
    /// Words to find (all must match; "a phrase" in quotes, -word to exclude, OR between
    /// alternatives). Empty lists what the filters select.
    #[arg(default_value = "")]
    pub query: String,
    /// upheld or overturned.
    #[arg(long, value_parser = parse_decision)]
    pub decision: Option<Decision>,
    /// A service category, e.g. acupuncture, mri, physical_therapy, opioid.
    #[arg(long, value_parser = parse_service)]
    pub service: Option<Service>,
    /// Words of a cited guideline's name, e.g. "chronic pain", "knee complaints", ODG.
    #[arg(long)]
    pub guideline: Option<String>,
    /// Words of a reviewer specialty, e.g. "orthopedic surgery".
    #[arg(long)]
    pub specialty: Option<String>,
    /// A body region, e.g. knee, lumbar_spine, shoulder.
    #[arg(long, value_parser = parse_region)]
    pub region: Option<BodyRegion>,
    /// Decided on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<Date>,
    /// Decided on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<Date>,
    /// How many items to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// How many of the best items to skip (the next page starts at the previous limit).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

pub fn parse_decision(s: &str) -> Result<Decision, String> {
    Decision::parse(s).ok_or_else(|| format!("\"{s}\" is not a decision: use upheld or overturned"))
}

pub fn parse_service(s: &str) -> Result<Service, String> {
    let name = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    Service::from_name(&name).ok_or_else(|| {
        let names: Vec<&str> = Service::ALL.iter().map(|s| s.as_str()).collect();
        format!(
            "\"{s}\" is not a service category; the categories are: {}",
            names.join(", ")
        )
    })
}

pub fn parse_region(s: &str) -> Result<BodyRegion, String> {
    let name = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|_| format!("\"{s}\" is not a body region (e.g. knee, lumbar_spine, cervical_spine, shoulder, wrist)"))
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = runtime()?.block_on(open_for_search(&args.archive))?;
    let query = SearchQuery {
        text: args.query.clone(),
        filters: Filters {
            decision: args.decision,
            service: args.service,
            guideline: args.guideline.clone(),
            specialty: args.specialty.clone(),
            region: args.region,
            from: args.from,
            to: args.to,
        },
        limit: args.limit,
        offset: args.offset,
    };
    let results = index.search(&query)?;
    let stdout = std::io::stdout();
    let color = stdout.is_terminal();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &results)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} item(s) match; showing {}",
            results.total,
            results.hits.len()
        )?;
        for hit in &results.hits {
            let date = hit.decision_date.map(|d| d.to_string()).unwrap_or_default();
            let decision = hit.decision.map_or("undecided", |d| d.as_str());
            let request = match &hit.request_snippet {
                Some(s) => mark(s, color),
                None => hit.request.clone(),
            };
            writeln!(
                out,
                "\n{}  {date}  {decision}  [{}]\n  {request}",
                hit.case_number, hit.service
            )?;
            if let Some(line) = &hit.guideline_line {
                writeln!(out, "  guideline: {line}")?;
            }
            if let Some(s) = &hit.snippet {
                writeln!(out, "  {}: …{}…", s.field, mark(s, color))?;
            }
        }
    }
    out.flush().context("cannot write the results")?;
    Ok(ExitCode::SUCCESS)
}

/// Matched words in bold on a terminal, between ** otherwise.
pub fn mark(s: &Snippet, color: bool) -> String {
    let one_line = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    if color {
        one_line(s.marked("\x1b[1m", "\x1b[0m"))
    } else {
        one_line(s.marked("**", "**"))
    }
}
