//! Letters written per second as text and HTML, and letters redacted per second:
//! `cargo bench -p imr-core --bench letter`.
//!
//! The determinations are the published letters under IMR_LETTERS, read once before timing,
//! or else the project's fictional example letter.

use std::path::{Path, PathBuf};

use imr_core::Determination;
use imr_core::letter::html::render_html;
use imr_core::letter::read_letter;
use imr_core::letter::write::{LetterOptions, letter_document, write_text};
use imr_core::redact::redact_text;

fn main() {
    divan::main();
}

fn letter_texts() -> Vec<String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("IMR_LETTERS") {
        for sub in ["seeds", "dev/txt"] {
            if let Ok(entries) = std::fs::read_dir(Path::new(&dir).join(sub)) {
                paths.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        }
    }
    if paths.is_empty() {
        paths.push(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/letters/fictional-letter.txt"),
        );
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

/// The determinations that can be written (those with decided items).
fn determinations() -> Vec<Determination> {
    letter_texts()
        .iter()
        .map(|text| read_letter(text))
        .filter(|d| letter_document(d, &LetterOptions::default()).is_ok())
        .collect()
}

#[divan::bench]
fn write_text_letters(bencher: divan::Bencher) {
    let records = determinations();
    let options = LetterOptions::default();
    bencher
        .counter(divan::counter::ItemsCount::new(records.len()))
        .bench(|| {
            for record in &records {
                divan::black_box(write_text(divan::black_box(record), &options).ok());
            }
        });
}

#[divan::bench]
fn write_html_letters(bencher: divan::Bencher) {
    let records = determinations();
    let options = LetterOptions::default();
    bencher
        .counter(divan::counter::ItemsCount::new(records.len()))
        .bench(|| {
            for record in &records {
                if let Ok(document) = letter_document(divan::black_box(record), &options) {
                    divan::black_box(render_html(&document));
                }
            }
        });
}

#[divan::bench]
fn redact_letters(bencher: divan::Bencher) {
    let texts = letter_texts();
    bencher
        .counter(divan::counter::ItemsCount::new(texts.len()))
        .bench(|| {
            for text in &texts {
                divan::black_box(redact_text(divan::black_box(text)));
            }
        });
}
