//! PDF letters written per second: `cargo bench -p imr-pdf --bench write`.
//!
//! The determinations are the published letters under IMR_LETTERS, read once before timing,
//! or else the project's fictional example letter.

use std::path::{Path, PathBuf};

use imr_letter::read_letter;
use imr_letter::write::{LetterDocument, LetterOptions, letter_document};
use imr_pdf::write::letter_pdf;

fn main() {
    divan::main();
}

fn documents() -> Vec<LetterDocument> {
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
        .map(|bytes| read_letter(&String::from_utf8_lossy(&bytes)))
        .filter_map(|d| letter_document(&d, &LetterOptions::default()).ok())
        .collect()
}

#[divan::bench(sample_count = 10)]
fn write_pdf_letters(bencher: divan::Bencher) {
    let documents = documents();
    bencher
        .counter(divan::counter::ItemsCount::new(documents.len()))
        .bench(|| {
            for document in &documents {
                divan::black_box(letter_pdf(divan::black_box(document)).ok());
            }
        });
}
