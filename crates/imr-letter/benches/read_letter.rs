//! Letters read per second from text: `cargo bench -p imr-letter --bench read_letter`.
//!
//! Reads the published letters under IMR_LETTERS when it is set, else the project's own
//! fictional example letter.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use imr_letter::read_letter;

mod common;

fn main() {
    divan::main();
}

/// One pass over every letter; divan's throughput counter gives letters per second.
#[divan::bench]
fn read_all_letters(bencher: divan::Bencher) {
    let letters = common::letter_texts();
    bencher
        .counter(divan::counter::ItemsCount::new(letters.len()))
        .bench(|| {
            for letter in &letters {
                divan::black_box(read_letter(divan::black_box(letter)));
            }
        });
}
