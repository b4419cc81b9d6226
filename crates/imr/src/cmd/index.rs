//! `imr index PATH... [--index DIR] [--rebuild]`: read published letters (PDF or text, folders
//! recursively) into the corpus: their records and the search index built from them.
//!
//! The corpus directory holds `determinations.jsonl` (one record per letter: per case number, or
//! per content hash for a letter without one; the source of truth here) and `index/` (the tantivy index, a cache rebuilt from the records whenever its
//! schema version changes or on `--rebuild`). Indexing a letter again, or its PDF after its text,
//! replaces its record: the corpus keeps one record per case. A run cut short is resumed by
//! running it again: letters whose records were not yet saved are read and indexed again.
//!
//! This is the file-based corpus; ingesting into the case store (`imr ingest`) is separate.

use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use imr_core::Determination;
use imr_core::letter::read_letter;
use imr_corpus::{CorpusIndex, Freshness, letter_id};
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};

use crate::files::{letter_files, parallel_map};

/// The corpus directory when none is given.
pub const DEFAULT_CORPUS: &str = "imr-corpus";
const RECORDS: &str = "determinations.jsonl";

/// Read published letters into the corpus (records and search index).
#[derive(clap::Args)]
pub struct Args {
    /// Letters (.pdf or .txt) or folders (every .pdf and .txt below them).
    pub paths: Vec<PathBuf>,
    /// The corpus directory.
    #[arg(long = "index", default_value = DEFAULT_CORPUS)]
    pub dir: PathBuf,
    /// Rebuild the search index from the records.
    #[arg(long)]
    pub rebuild: bool,
    /// The largest file read, in bytes; larger ones are refused.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
}

/// The records of a corpus directory, by letter id (the case number, or a content hash for a
/// letter published without one).
pub struct Records {
    path: PathBuf,
    pub by_case: BTreeMap<String, Determination>,
}

impl Records {
    pub fn load(dir: &Path) -> anyhow::Result<Records> {
        let path = dir.join(RECORDS);
        let mut by_case = BTreeMap::new();
        match std::fs::File::open(&path) {
            Ok(file) => {
                for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
                    let line = line.with_context(|| format!("{}: cannot read", path.display()))?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    let d: Determination = serde_json::from_str(&line).with_context(|| {
                        format!(
                            "{} line {}: not a determination record",
                            path.display(),
                            i + 1
                        )
                    })?;
                    by_case.insert(letter_id(&d), d);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("{}: cannot open", path.display())),
        }
        Ok(Records { path, by_case })
    }

    /// Writes the records whole to a temporary file, then renames it over the old one, so an
    /// interruption leaves the old records or the new, never half of them.
    pub fn save(&self) -> anyhow::Result<()> {
        let tmp = self.path.with_extension("jsonl.tmp");
        let write = || -> std::io::Result<()> {
            let mut out = BufWriter::new(std::fs::File::create(&tmp)?);
            for d in self.by_case.values() {
                serde_json::to_writer(&mut out, d)?;
                out.write_all(b"\n")?;
            }
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        };
        write().with_context(|| format!("{}: cannot write", tmp.display()))?;
        std::fs::rename(&tmp, &self.path)
            .with_context(|| format!("{}: cannot replace", self.path.display()))
    }
}

/// Opens the corpus's search index, refilling it from the records when it is new or of another
/// schema version. Fails when there is nothing to search.
pub fn open_corpus(dir: &Path) -> anyhow::Result<CorpusIndex> {
    let (index, freshness) = open_index(dir)?;
    if freshness.needs_fill() {
        let records = Records::load(dir)?;
        if records.by_case.is_empty() {
            anyhow::bail!(
                "{}: no published letters in this corpus yet; add some with `imr index PATH... --index {}`",
                dir.display(),
                dir.display()
            );
        }
        if let Freshness::Rebuilt { reason } = &freshness {
            eprintln!("imr: rebuilding the search index: {reason}");
        }
        refill(&index, &records)?;
    }
    Ok(index)
}

fn open_index(dir: &Path) -> anyhow::Result<(CorpusIndex, Freshness)> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    Ok(CorpusIndex::open_or_create(&dir.join("index"))?)
}

fn refill(index: &CorpusIndex, records: &Records) -> anyhow::Result<usize> {
    let mut writer = index.writer()?;
    writer.clear()?;
    let mut items = 0;
    for d in records.by_case.values() {
        items += writer.add(d)?;
    }
    writer.commit()?;
    Ok(items)
}

/// What became of one file.
enum Outcome {
    Read(Box<Determination>),
    Failed(String),
}

fn read_one(path: &Path, max_bytes: u64) -> Outcome {
    let text = match read_document_text(path, max_bytes) {
        Ok(text) => text,
        Err(error) => return Outcome::Failed(error.to_string()),
    };
    let mut determination = read_letter(&text);
    if determination.case_number.is_none() && determination.items.is_empty() {
        return Outcome::Failed(
            "not a Final Determination Letter (no case number and no disputed items found)"
                .to_string(),
        );
    }
    if let Some(error) = determination
        .diagnostics
        .iter()
        .find(|d| d.severity == imr_core::Severity::Error)
    {
        return Outcome::Failed(format!(
            "not indexed, the letter was not fully read: {error}"
        ));
    }
    determination.source = Some(path.display().to_string());
    Outcome::Read(Box::new(determination))
}

/// Equal but for where it was read from.
fn same_record(a: &Determination, b: &Determination) -> bool {
    let mut a = a.clone();
    a.source.clone_from(&b.source);
    a == *b
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.paths.is_empty() && !args.rebuild {
        anyhow::bail!("name letters or folders to index, or --rebuild");
    }
    let files = letter_files(&args.paths)?;
    let outcomes = parallel_map(&files, |path| read_one(path, args.max_bytes));

    let (index, freshness) = open_index(&args.dir)?;
    let mut records = Records::load(&args.dir)?;
    let (mut added, mut changed, mut unchanged) = (0, 0, 0);
    let mut failures: Vec<(PathBuf, String)> = Vec::new();
    let mut duplicates: Vec<(PathBuf, String)> = Vec::new();
    let mut first_file: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut fresh: Vec<String> = Vec::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        let d = match outcome {
            Outcome::Failed(why) => {
                failures.push((path.clone(), why));
                continue;
            }
            Outcome::Read(d) => d,
        };
        let case = letter_id(&d);
        if let Some(first) = first_file.get(&case) {
            duplicates.push((
                path.clone(),
                format!(
                    "case {case} again (first read from {}); kept the first",
                    first.display()
                ),
            ));
            continue;
        }
        first_file.insert(case.clone(), path.clone());
        match records.by_case.get(&case) {
            Some(old) if same_record(old, &d) => {
                unchanged += 1;
                continue;
            }
            Some(_) => changed += 1,
            None => added += 1,
        }
        fresh.push(case.clone());
        records.by_case.insert(case, *d);
    }
    let items = if args.rebuild || freshness.needs_fill() {
        if let Freshness::Rebuilt { reason } = &freshness {
            eprintln!("imr index: rebuilding the search index: {reason}");
        }
        refill(&index, &records)?
    } else {
        let mut writer = index.writer()?;
        let mut items = 0;
        for case in &fresh {
            if let Some(d) = records.by_case.get(case) {
                items += writer.add(d)?;
            }
        }
        writer.commit()?;
        items
    };
    // The records last: if this run is cut short before them, the next run finds these letters
    // new again and indexes them again (replacing, so nothing doubles); the records file itself
    // is replaced whole.
    records.save()?;
    for (path, why) in &failures {
        eprintln!("imr index: {}: failed: {why}", path.display());
    }
    for (path, why) in &duplicates {
        eprintln!("imr index: {}: duplicate: {why}", path.display());
    }
    eprintln!(
        "imr index: {} file(s): {added} new letter(s), {changed} changed, {unchanged} unchanged, {} duplicate(s), {} failed; {items} item(s) indexed; the corpus holds {} letter(s), {} item(s)",
        files.len(),
        duplicates.len(),
        failures.len(),
        records.by_case.len(),
        index.len()
    );
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
