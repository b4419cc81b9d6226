//! Letters read per second from text: `cargo bench -p imr-core --bench read_letter`.
//!
//! Reads the published letters under IMR_LETTERS when it is set, else the project's own
//! fictional example letter.

use std::path::{Path, PathBuf};

use imr_core::letter::read_letter;

fn main() {
    divan::main();
}

fn letters() -> Vec<String> {
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
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// One pass over every letter; divan's throughput counter gives letters per second.
#[divan::bench]
fn read_all_letters(bencher: divan::Bencher) {
    let letters = letters();
    bencher
        .counter(divan::counter::ItemsCount::new(letters.len()))
        .bench(|| {
            for letter in &letters {
                divan::black_box(read_letter(divan::black_box(letter)));
            }
        });
}
