//! What the corpus and ingest tests share: running the binary and writing fictional letters.

#![allow(dead_code)] // each test binary uses its own part

use std::path::Path;
use std::process::{Command, Output};

use imr_corpus::synth;

/// Runs the real `imr` binary, ignoring any database named in the environment.
pub fn imr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .env_remove("IMR_DATABASE_URL")
        .output()
        .expect("the imr binary runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Writes fictional letters `range` of the generator's `seed`; returns their items in all.
pub fn write_letters(dir: &Path, seed: u64, range: std::ops::Range<u64>) -> usize {
    std::fs::create_dir_all(dir).expect("dir");
    let mut items = 0;
    for n in range {
        let letter = synth::letter(seed, n);
        items += letter.items.len();
        std::fs::write(dir.join(format!("{}.txt", letter.case_number)), letter.text)
            .expect("write letter");
    }
    items
}

/// Beside the letters in `input`: a copy of letter 0 of `seed`, a 0-byte file, a broken PDF and
/// a text that is not a letter.
pub fn write_bad_inputs(input: &Path, seed: u64) {
    let first = synth::letter(seed, 0);
    std::fs::create_dir_all(input.join("copies")).expect("dir");
    std::fs::write(input.join("copies/again.txt"), &first.text).expect("duplicate");
    std::fs::write(input.join("empty.txt"), b"").expect("0-byte file");
    std::fs::write(
        input.join("broken.pdf"),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    )
    .expect("pdf");
    std::fs::write(input.join("notes.txt"), "Shopping: apples, pears, bread.\n").expect("note");
}
