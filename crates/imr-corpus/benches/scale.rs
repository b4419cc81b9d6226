//! The corpus at scale: synthetic letters (`imr_corpus::synth`) read, indexed into a tantivy
//! directory, then searched.
//!
//! `IMR_SCALE_LETTERS` sets how many letters (default 20,000; the target is 200,000).
//! Before divan's own timings, the bench prints the build throughput and the search latency
//! percentiles over a fixed mix of 1,000 searches, which divan does not report.

use std::sync::LazyLock;
use std::time::Instant;

use divan::counter::ItemsCount;
use imr_core::{Decision, Determination};
use imr_corpus::{CorpusIndex, Filters, SearchQuery, synth};
use imr_letter::read_letter;
use imr_reading::request::{BodyRegion, Service};

const SEED: u64 = 20_261_123;

struct Corpus {
    index: CorpusIndex,
    sample: Vec<Determination>,
    _dir: tempfile::TempDir,
}

fn letters() -> u64 {
    std::env::var("IMR_SCALE_LETTERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

/// Letters `range` generated and read, on every core.
fn read_range(from: u64, to: u64) -> Vec<Determination> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let per = (to - from).div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (a, b) = (from + t * per, (from + (t + 1) * per).min(to));
                s.spawn(move || {
                    (a..b)
                        .map(|n| read_letter(&synth::letter(SEED, n).text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("reader thread"))
            .collect()
    })
}

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| {
    let n = letters();
    let dir = tempfile::tempdir().expect("temp dir");
    let (index, _) = CorpusIndex::open_or_create(dir.path()).expect("index dir");
    let mut writer = index.writer().expect("writer");
    let (mut read_secs, mut index_secs, mut items) = (0.0, 0.0, 0usize);
    let chunk = 10_000;
    let mut from = 0;
    while from < n {
        let to = (from + chunk).min(n);
        let t = Instant::now();
        let batch = read_range(from, to);
        read_secs += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for d in &batch {
            items += writer.add(d).expect("add");
        }
        index_secs += t.elapsed().as_secs_f64();
        from = to;
    }
    let t = Instant::now();
    writer.commit().expect("commit");
    index_secs += t.elapsed().as_secs_f64();
    drop(writer);
    let size: u64 = std::fs::read_dir(dir.path())
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "corpus: {n} letters, {items} items; generate+read {:.1} s ({:.0} letters/s), index {:.1} s ({:.0} letters/s); index {:.0} MB on disk",
        read_secs,
        n as f64 / read_secs,
        index_secs,
        n as f64 / index_secs,
        size as f64 / 1e6
    );
    Corpus {
        index,
        sample: read_range(0, 200),
        _dir: dir,
    }
});

/// A fixed mix: words alone, words with filters, filters alone.
fn query_mix() -> Vec<SearchQuery> {
    let words = [
        "acupuncture",
        "\"functional improvement\"",
        "MRI knee",
        "opioid monitoring",
        "radiculopathy epidural",
        "carpal tunnel",
        "red flags",
        "meniscus tear",
        "home exercise",
        "warehouse lifting",
    ];
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for j in 0..100 {
            let mut q = SearchQuery::new(if j % 5 == 4 { "" } else { *w });
            q.limit = 20;
            q.filters = match (i + j) % 5 {
                0 => Filters::default(),
                1 => Filters {
                    decision: Some(Decision::Overturned),
                    ..Filters::default()
                },
                2 => Filters {
                    service: Some(Service::PhysicalTherapy),
                    region: Some(BodyRegion::LumbarSpine),
                    ..Filters::default()
                },
                3 => Filters {
                    specialty: Some("pain management".into()),
                    from: "2017-01-01".parse().ok(),
                    to: "2017-12-31".parse().ok(),
                    ..Filters::default()
                },
                _ => Filters {
                    guideline: Some("chronic pain".into()),
                    decision: Some(Decision::Upheld),
                    ..Filters::default()
                },
            };
            out.push(q);
        }
    }
    out
}

fn print_latency() {
    let corpus = &*CORPUS;
    let mut times: Vec<f64> = query_mix()
        .iter()
        .map(|q| {
            let t = Instant::now();
            corpus.index.search(q).expect("search");
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "search over {} items, 1,000 mixed searches: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        corpus.index.len(),
        at(0.50),
        at(0.95),
        at(0.99),
        times[times.len() - 1]
    );
}

fn main() {
    print_latency();
    divan::main();
}

#[divan::bench]
fn search_words(bencher: divan::Bencher) {
    let q = SearchQuery::new("\"functional improvement\" opioid");
    bencher.bench(|| CORPUS.index.search(&q).expect("search"));
}

#[divan::bench]
fn search_words_and_filters(bencher: divan::Bencher) {
    let mut q = SearchQuery::new("acupuncture");
    q.filters.decision = Some(Decision::Overturned);
    q.filters.from = "2016-01-01".parse().ok();
    q.filters.to = "2018-06-30".parse().ok();
    bencher.bench(|| CORPUS.index.search(&q).expect("search"));
}

#[divan::bench]
fn precedents_of_a_case(bencher: divan::Bencher) {
    let sample = &CORPUS.sample;
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % sample.len();
        CORPUS.index.precedents(&sample[i], 5).expect("precedents")
    });
}

/// Indexing alone (letters already read) into a fresh in-memory index.
#[divan::bench(sample_count = 5)]
fn index_1000_letters(bencher: divan::Bencher) {
    let letters = read_range(1_000_000, 1_001_000);
    bencher.counter(ItemsCount::new(letters.len())).bench(|| {
        let index = CorpusIndex::in_memory().expect("index");
        index.add_all(&letters).expect("add")
    });
}

/// Reading letters' text into determinations (one thread).
#[divan::bench(sample_count = 5)]
fn read_1000_letters(bencher: divan::Bencher) {
    let texts: Vec<String> = (0..1000).map(|n| synth::letter(SEED, n).text).collect();
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| read_letter(t).items.len())
            .sum::<usize>()
    });
}
