//! `imr ingest PATH... [--database-url URL] [--index DIR]`: read published letters (PDF or text,
//! folders recursively) into the store's published archive, one record per letter.
//!
//! Files are read on every core, a batch at a time, and each batch is stored in one transaction,
//! in file order: a killed run leaves whole batches, and running it again stores the rest and
//! finds the same records. A file whose bytes are already stored is not read again. Within a run
//! the first file of a letter wins; later copies (the PDF of a text already read, a duplicated
//! file) are reported as duplicates. A letter that cannot be read is named with its reason and
//! the run goes on; the exit status is 1 if any failed. Then the search index (`--index`, a cache
//! of the store's published letters, see [`crate::archive`]) is brought up to date.

use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use imr_core::Determination;
use imr_corpus::letter_id;
use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, document_text};
use imr_store::published::{NewPublished, PublishedStore, Stored};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::archive::{ArchiveArgs, Refresh, refresh};
use crate::files::{letter_files, parallel_map};
use crate::store_args::runtime;

/// Read published letters into the store (one record per letter), then bring the search index
/// up to date with it.
#[derive(clap::Args)]
pub struct Args {
    /// Letters (.pdf or .txt) or folders (every .pdf and .txt below them).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub archive: ArchiveArgs,
    /// The largest file read, in bytes; larger ones are refused.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: u64,
    /// Letters stored per transaction.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch: u32,
}

/// What became of one file once read.
enum Read_ {
    /// Its bytes are already stored, as this letter.
    Known(String),
    Letter {
        determination: Box<Determination>,
        sha256: String,
    },
    Failed(String),
}

/// The run's tally.
#[derive(Default)]
struct Summary {
    new: usize,
    replaced: usize,
    unchanged: usize,
    duplicates: Vec<(PathBuf, String)>,
    failures: Vec<(PathBuf, String)>,
}

fn read_file(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn read_one(path: &Path, max_bytes: u64, known: &HashMap<String, String>) -> Read_ {
    let bytes = match read_file(path, max_bytes) {
        Ok(bytes) => bytes,
        Err(e) => return Read_::Failed(format!("cannot read the file: {e}")),
    };
    if bytes.len() as u64 > max_bytes {
        return Read_::Failed(format!(
            "the file is larger than the limit of {max_bytes} bytes (--max-bytes)"
        ));
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some(id) = known.get(&sha256) {
        return Read_::Known(id.clone());
    }
    let text = match document_text(&bytes) {
        Ok(text) => text,
        Err(e) => return Read_::Failed(e.to_string()),
    };
    let mut determination = read_letter(&text);
    if determination.case_number.is_none() && determination.items.is_empty() {
        return Read_::Failed(
            "not a Final Determination Letter (no case number and no disputed items found)".into(),
        );
    }
    if let Some(error) = determination
        .diagnostics
        .iter()
        .find(|d| d.severity == imr_core::Severity::Error)
    {
        return Read_::Failed(format!(
            "not stored, the letter was not fully read: {error}"
        ));
    }
    determination.source = Some(path.display().to_string());
    Read_::Letter {
        determination: Box::new(determination),
        sha256,
    }
}

fn progress_bar(files: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(files as u64),
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:40} {pos}/{len} files, {rate}, {elapsed} elapsed, ETA {eta}",
    ) {
        bar.set_style(style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} files/s", state.per_sec());
            },
        ));
    }
    bar
}

/// Stores a batch in one transaction; if that fails, letter by letter, so one letter the store
/// refuses is named and the others are kept.
async fn store_batch(
    store: &dyn PublishedStore,
    batch: Vec<(PathBuf, NewPublished)>,
    summary: &mut Summary,
) {
    if batch.is_empty() {
        return;
    }
    let letters: Vec<NewPublished> = batch.iter().map(|(_, l)| l.clone()).collect();
    let outcomes = match store.store_published(&letters).await {
        Ok(outcomes) => outcomes.into_iter().map(Ok).collect(),
        Err(_) => {
            let mut one_by_one = Vec::with_capacity(letters.len());
            for letter in &letters {
                one_by_one.push(
                    store
                        .store_published(std::slice::from_ref(letter))
                        .await
                        .map(|o| o.first().copied().unwrap_or(Stored::Unchanged)),
                );
            }
            one_by_one
        }
    };
    for ((path, _), outcome) in batch.into_iter().zip(outcomes) {
        match outcome {
            Ok(Stored::New) => summary.new += 1,
            Ok(Stored::Replaced) => summary.replaced += 1,
            Ok(Stored::Unchanged) => summary.unchanged += 1,
            Err(e) => summary
                .failures
                .push((path, format!("the store refused it: {e}"))),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = letter_files(&args.paths)?;
    runtime()?.block_on(async move {
        let store: Arc<dyn PublishedStore> =
            args.archive.store().await?;
        let known: HashMap<String, String> =
            store.published_sources().await?.into_iter().collect();
        let bar = progress_bar(files.len());
        let mut summary = Summary::default();
        // The first file of each letter in this run.
        let mut first: HashMap<String, PathBuf> = HashMap::new();
        let mut seen_failures: HashSet<PathBuf> = HashSet::new();
        let ingested_at = jiff::Timestamp::now().as_second();
        let batch_size = args.batch as usize;
        for chunk in files.chunks(batch_size) {
            let read = parallel_map(chunk, |path| read_one(path, args.max_bytes, &known));
            let mut batch = Vec::new();
            for (path, outcome) in chunk.iter().zip(read) {
                let (id, letter) = match outcome {
                    Read_::Failed(why) => {
                        if seen_failures.insert(path.clone()) {
                            summary.failures.push((path.clone(), why));
                        }
                        continue;
                    }
                    Read_::Known(id) => (id, None),
                    Read_::Letter {
                        determination,
                        sha256,
                    } => (letter_id(&determination), Some((determination, sha256))),
                };
                if let Some(earlier) = first.get(&id) {
                    summary.duplicates.push((
                        path.clone(),
                        format!("letter {id} again (first read from {})", earlier.display()),
                    ));
                    continue;
                }
                first.insert(id.clone(), path.clone());
                match letter {
                    None => summary.unchanged += 1,
                    Some((determination, sha256)) => batch.push((
                        path.clone(),
                        NewPublished {
                            letter_id: id,
                            source_sha256: sha256,
                            source_path: path.display().to_string(),
                            determination: *determination,
                            ingested_at,
                        },
                    )),
                }
            }
            store_batch(store.as_ref(), batch, &mut summary).await;
            bar.inc(chunk.len() as u64);
        }
        bar.finish_and_clear();
        let elapsed = bar.elapsed();

        for (path, why) in &summary.failures {
            eprintln!("imr ingest: {}: failed: {why}", path.display());
        }
        for (path, why) in &summary.duplicates {
            eprintln!("imr ingest: {}: duplicate: {why}", path.display());
        }
        let total = store.published_count().await?;
        eprintln!(
            "imr ingest: {} file(s) in {:.1} s: {} new, {} replaced, {} unchanged, {} duplicate(s), {} failed; the store holds {total} published letter(s)",
            files.len(),
            elapsed.as_secs_f64(),
            summary.new,
            summary.replaced,
            summary.unchanged,
            summary.duplicates.len(),
            summary.failures.len(),
        );
        match refresh(store.as_ref(), &args.archive.cache_dir(), false).await? {
            (_, Refresh::Refilled { letters, items }) => eprintln!(
                "imr ingest: search index {} brought up to date: {letters} letter(s), {items} item(s)",
                args.archive.cache_dir().display()
            ),
            (_, Refresh::Current) => {}
        }
        Ok(if summary.failures.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}
