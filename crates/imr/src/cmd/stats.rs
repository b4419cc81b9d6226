//! `imr stats [--csv | --json] [--parquet FILE] [--items-parquet FILE] [--index DIR]`: outcome
//! rates of the published decisions by service category, guideline, reviewer specialty and
//! month; the rates and the item records also as Parquet files.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use imr_corpus::{OutcomeRow, OutcomeStats};

use crate::archive::{ArchiveArgs, open_for_search};
use crate::store_args::runtime;

/// Outcome rates by service category, guideline, reviewer specialty and month.
#[derive(clap::Args)]
pub struct Args {
    /// Print CSV (dimension,key,items,upheld,overturned,overturned_rate).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the statistics' rows to this Parquet file (dimension, key, items, upheld,
    /// overturned, overturned_rate).
    #[cfg(feature = "parquet")]
    #[arg(long, value_name = "FILE")]
    pub parquet: Option<PathBuf>,
    /// Also write every published item's record to this Parquet file (one row per item).
    #[cfg(feature = "parquet")]
    #[arg(long, value_name = "FILE")]
    pub items_parquet: Option<PathBuf>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index = runtime()?.block_on(open_for_search(&args.archive))?;
    let records = index.records()?;
    let stats = OutcomeStats::from_records(&records);
    #[cfg(feature = "parquet")]
    {
        if let Some(path) = &args.parquet {
            write_file(path, |out| imr_corpus::parquet::write_stats(&stats, out))?;
            eprintln!(
                "imr stats: wrote {} row(s) to {}",
                stats.rows().count(),
                path.display()
            );
        }
        if let Some(path) = &args.items_parquet {
            write_file(path, |out| imr_corpus::parquet::write_items(&records, out))?;
            eprintln!(
                "imr stats: wrote {} item(s) to {}",
                records.len(),
                path.display()
            );
        }
    }
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

/// Writes a file whole or not at all: into a temporary file beside it, renamed over it at the
/// end.
#[cfg(feature = "parquet")]
fn write_file(
    path: &std::path::Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), imr_corpus::parquet::ExportError>,
) -> anyhow::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = path.with_file_name(name);
    let mut file =
        std::fs::File::create(&tmp).with_context(|| format!("{}: cannot create", tmp.display()))?;
    let written = write(&mut file)
        .map_err(anyhow::Error::from)
        .and_then(|()| Ok(file.sync_all()?));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!("{}: cannot write", path.display())));
    }
    std::fs::rename(&tmp, path).with_context(|| format!("{}: cannot replace", path.display()))
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
