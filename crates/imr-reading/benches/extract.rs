//! Throughput of the clinical fact reader and the request reader, on one thread.
//!
//! `cargo bench -p imr-reading --bench extract`. With IMR_LETTERS set, the texts are the clinical
//! summaries of the seed and dev letters; without it, a fictional summary written for this
//! benchmark, so the bench runs anywhere.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::path::PathBuf;

use divan::counter::{BytesCount, ItemsCount};
use imr_letter::read_letter;
use imr_reading::extract;
use imr_reading::request::read_request;

fn main() {
    divan::main();
}

/// A fictional case summary in the letters' style (not from any letter).
const FICTIONAL: &str = "The injured worker is a 44 year old female who sustained an industrial \
injury on 03/14/2016 when she slipped and fell in a warehouse. She is being treated for lumbar \
strain and lumbar radiculopathy. Treatment to date has included 12 sessions of physical therapy, \
acupuncture, and medications including Norco 10/325 mg #60 and Flexeril 10 mg. There is no \
documented functional improvement with prior physical therapy. She denies bowel or bladder \
dysfunction. Examination showed tenderness and spasm of the lumbar spine with decreased range of \
motion. Straight leg raise was positive on the left. Sensation was intact. Pain was rated 7/10. \
She remains on modified duty. The treating physician requested an MRI of the lumbar spine. \
Utilization review dated 04/20/2016 denied the request.";

fn summaries() -> Vec<String> {
    let Some(root) = std::env::var_os("IMR_LETTERS").map(PathBuf::from) else {
        return vec![FICTIONAL.to_string(); 100];
    };
    let mut texts = Vec::new();
    for dir in [root.join("seeds"), root.join("dev/txt")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path())
                && let Some(summary) = read_letter(&text).clinical_summary
            {
                texts.push(summary);
            }
        }
    }
    if texts.is_empty() {
        texts = vec![FICTIONAL.to_string(); 100];
    }
    texts
}

/// Facts of every summary; the counter gives bytes per second on one core.
#[divan::bench(sample_count = 30)]
fn facts_of_summaries(bencher: divan::Bencher) {
    let texts = summaries();
    let bytes: usize = texts.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        for text in &texts {
            divan::black_box(extract::extract(divan::black_box(text)));
        }
    });
}

/// One long record (all summaries joined), to show the time stays linear in the length.
#[divan::bench(sample_count = 30)]
fn facts_of_one_long_record(bencher: divan::Bencher) {
    let text = summaries().join("\n\n");
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| divan::black_box(extract::extract(divan::black_box(&text))));
}

/// One sentence with no stop in it, findings joined by "and" and commas (made-up wording), at
/// two lengths: the time per byte should not grow with the length (it once grew with its
/// square, then its cube).
#[divan::bench(sample_count = 10, args = [100_000, 400_000])]
fn facts_of_one_unpunctuated_sentence(bencher: divan::Bencher, len: usize) {
    let piece = "he denies numbness, takes Norco 10 mg and fell from a ladder and the MRI showed a \
                 protrusion and PT helped and he would consider surgery and ";
    let text = piece.repeat(len / piece.len());
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| divan::black_box(extract::extract(divan::black_box(&text))));
}

/// Request items, as `imr facts` and the engine read them.
#[divan::bench(sample_count = 30)]
fn read_request_items(bencher: divan::Bencher) {
    let items = [
        "Physical therapy 2 times a week for 4 weeks for the lumbar spine",
        "Norco 10/325mg #60",
        "Flurbiprofen 20%, Baclofen 5%, Dexamethasone 2%, Menthol 2%, Capsaicin 0.025% in cream base",
        "Acupuncture 18 sessions was the original request. Acupuncture 6 sessions was authorized by \
         the Claims Administrator. The remaining IMR eligible portion of the original request, \
         Acupuncture 12 sessions is",
        "MRI of the cervical spine bilateral without contrast",
        "Associated surgical service: Vascutherm unit, 14 days rental",
    ];
    bencher.counter(ItemsCount::new(items.len())).bench(|| {
        for item in items {
            divan::black_box(read_request(divan::black_box(item)));
        }
    });
}
