//! `imr stats [--csv | --json] [--index DIR]`: outcome rates of the published decisions by
//! service category, guideline, reviewer specialty and month.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr_corpus::{OutcomeRow, OutcomeStats};

use crate::cmd::index::{DEFAULT_CORPUS, open_corpus};

/// Outcome rates by service category, guideline, reviewer specialty and month.
#[derive(clap::Args)]
pub struct Args {
    /// Print CSV (dimension,key,items,upheld,overturned,overturned_rate).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// The corpus directory (see `imr index`).
    #[arg(long = "index", default_value = DEFAULT_CORPUS)]
    pub dir: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = open_corpus(&args.dir)?;
    let records = index.records()?;
    let stats = OutcomeStats::from_records(&records);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.csv {
        out.write_all(stats.to_csv().as_bytes())?;
    } else if args.json {
        serde_json::to_writer_pretty(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} decided item(s): {} upheld, {} overturned ({:.1}% overturned)",
            stats.items,
            stats.upheld,
            stats.overturned,
            percent(stats.overturned, stats.items)
        )?;
        for (title, rows) in [
            ("Service category", &stats.by_service),
            ("Guideline cited", &stats.by_guideline),
            ("Reviewer specialty", &stats.by_specialty),
            ("Month decided", &stats.by_month),
        ] {
            table(&mut out, title, rows)?;
        }
    }
    out.flush().context("cannot write the statistics")?;
    Ok(ExitCode::SUCCESS)
}

fn percent(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn table(out: &mut impl Write, title: &str, rows: &[OutcomeRow]) -> std::io::Result<()> {
    let width = rows
        .iter()
        .map(|r| r.key.chars().count())
        .max()
        .unwrap_or(0)
        .max(title.len());
    writeln!(
        out,
        "\n{title:<width$}  items  upheld  overturned  overturned %"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<width$}  {:>5}  {:>6}  {:>10}  {:>12.1}",
            r.key,
            r.items,
            r.upheld,
            r.overturned,
            100.0 * r.overturned_rate
        )?;
    }
    Ok(())
}
