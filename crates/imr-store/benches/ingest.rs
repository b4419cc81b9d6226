//! Published letters ingested per second into SQLite (a temporary file): what `imr ingest` does
//! per letter once the file is in memory — read the letter (on every core), key it, and store it
//! in transactions of 256 letters (SQLite with synchronous FULL, as the store always runs).
//!
//! `cargo bench -p imr-store --bench ingest`; IMR_INGEST_LETTERS sets how many fictional letters
//! (`imr_corpus::synth`) each run ingests into a fresh store (default 5,000).

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

use divan::Bencher;
use imr_corpus::{letter_id, synth};
use imr_letter::read_letter;
use imr_store::StoreOptions;
use imr_store::published::{NewPublished, PublishedStore, open_published};
use sha2::{Digest, Sha256};

const SEED: u64 = 31_337;
const BATCH: usize = 256;

fn main() {
    divan::main();
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

fn letters() -> &'static [String] {
    static TEXTS: OnceLock<Vec<String>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        let n: u64 = std::env::var("IMR_INGEST_LETTERS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_000);
        (0..n).map(|i| synth::letter(SEED, i).text).collect()
    })
}

/// One letter as `imr ingest` prepares it.
fn prepare(i: usize, text: &str) -> NewPublished {
    let sha256: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut determination = read_letter(text);
    let path = format!("letters/{i}.txt");
    determination.source = Some(path.clone());
    NewPublished {
        letter_id: letter_id(&determination),
        source_sha256: sha256,
        source_path: path,
        determination,
        ingested_at: 1_760_000_000,
    }
}

/// A batch read on every core, in order.
fn prepare_batch(start: usize, texts: &[String]) -> Vec<NewPublished> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let per = texts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(per)
            .enumerate()
            .map(|(c, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(j, t)| prepare(start + c * per + j, t))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn ingest_text_letters_into_sqlite(bencher: Bencher) {
    let texts = letters();
    bencher
        .counter(divan::counter::ItemsCount::new(texts.len()))
        .with_inputs(|| {
            let dir = tempfile::tempdir().unwrap();
            let url = dir.path().join("bench.db").display().to_string();
            let store: Arc<dyn PublishedStore> = runtime()
                .block_on(open_published(&url, StoreOptions::default()))
                .unwrap();
            (dir, store)
        })
        .bench_local_values(|(dir, store)| {
            for (b, chunk) in texts.chunks(BATCH).enumerate() {
                let batch = prepare_batch(b * BATCH, chunk);
                runtime().block_on(store.store_published(&batch)).unwrap();
            }
            let stored = runtime().block_on(store.published_count()).unwrap();
            assert_eq!(stored, texts.len() as u64);
            (dir, store)
        });
}
