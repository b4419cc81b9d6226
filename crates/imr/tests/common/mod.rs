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

/// Runs the real `imr` binary and watches its peak resident memory (VmHWM, which only grows)
/// until it exits: (output, peak bytes).
pub fn imr_peak(args: &[&str]) -> (Output, u64) {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .env_remove("IMR_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the imr binary runs");
    let status = format!("/proc/{}/status", child.id());
    // Drain stdout and stderr beside the watch, so a full pipe never stops the child.
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || read_all(stdout));
    let err = std::thread::spawn(move || read_all(stderr));
    let mut peak = 0;
    let code = loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        }) {
            peak = peak.max(kb * 1024);
        }
        if let Some(code) = child.try_wait().expect("wait") {
            break code;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let output = Output {
        status: code,
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    };
    (output, peak)
}

fn read_all(mut from: impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = from.read_to_end(&mut bytes);
    bytes
}

/// The most a run over a bomb may cost: the reading limits allow a stream of 32 MiB held twice,
/// and parsed; far below the gigabytes the bomb would take.
pub const PEAK_LIMIT: u64 = 400 * 1024 * 1024;
