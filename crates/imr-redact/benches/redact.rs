//! Letters redacted per second: `cargo bench -p imr-redact --bench redact`.
//!
//! The texts are the published letters under IMR_LETTERS, or else the project's fictional
//! example letter.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use imr_redact::redact_text;

// The letter benches' way of finding the letters, shared rather than written twice.
#[path = "../../imr-letter/benches/common/mod.rs"]
mod common;

use common::letter_texts;

fn main() {
    divan::main();
}

#[divan::bench]
fn redact_letters(bencher: divan::Bencher) {
    let texts = letter_texts();
    bencher
        .counter(divan::counter::ItemsCount::new(texts.len()))
        .bench(|| {
            for text in &texts {
                divan::black_box(redact_text(
                    divan::black_box(text),
                    &imr_redact::KnownParties::default(),
                ));
            }
        });
}
