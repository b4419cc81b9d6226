//! Letters written per second as text and HTML: `cargo bench -p imr-letter --bench letter`.
//!
//! The determinations are the published letters under IMR_LETTERS, read once before timing,
//! or else the project's fictional example letter.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use imr_core::Determination;
use imr_letter::html::render_html;
use imr_letter::read_letter;
use imr_letter::write::{LetterOptions, letter_document, write_text};

mod common;

use common::letter_texts;

fn main() {
    divan::main();
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
