//! What a PDF crafted to be slow costs to read (to be refused, for most):
//! `cargo bench -p imr-pdf --bench bombs`.
//!
//! Before divan's timings, each file is read once in a process of its own, and its CPU time
//! (the reading thread's clock) and the process's peak resident memory (`VmHWM`, the file
//! itself included; Linux only) are printed with the reader's answer. The goal (issue 20):
//! each under 2 s of CPU and 256 MB.

use divan::Bencher;
use imr_pdf::inflating::{
    deep_page_tree_pdf, huge_images_pdf, inflating_pdf, many_streams_pdf, nested_forms_pdf,
};
use imr_pdf::read::{cpu_time, pdf_text};

const MIB: u64 = 1024 * 1024;

/// The crafted files, each about 16-20 MB on disk.
const CRAFTED: [&str; 5] = [
    // The file: 520 streams that each inflate to 31 MiB (16 GiB in all).
    "520 streams of 31 MiB",
    // 600 images of 31 MiB each (18 GiB of pixels) beside a line of text.
    "600 images of 31 MiB",
    // One stream of 20 GB: a single bomb.
    "one stream of 20 GB",
    // A page 90,000 page-tree nodes down (under the object limit).
    "page tree 90,000 deep",
    // Drawings that draw the next one 8 times, 12 deep: 8^12 drawings of one page.
    "forms 8 wide, 12 deep",
];

fn crafted(name: &str) -> Vec<u8> {
    match name {
        "520 streams of 31 MiB" => many_streams_pdf(520, 31 * MIB, b' '),
        "600 images of 31 MiB" => huge_images_pdf(600, 31 * MIB),
        "one stream of 20 GB" => inflating_pdf(20_000_000_000, b' '),
        "page tree 90,000 deep" => deep_page_tree_pdf(90_000),
        _ => nested_forms_pdf(12, 8),
    }
}

fn main() {
    // A child run measures one file: its peak memory is then its own.
    if let Ok(name) = std::env::var(CASE_VARIABLE) {
        measure(&name);
        return;
    }
    println!("| file | size | CPU | peak memory | the reader's answer |");
    println!("|---|---|---|---|---|");
    let Ok(me) = std::env::current_exe() else {
        return;
    };
    for name in CRAFTED {
        let child = std::process::Command::new(&me)
            .env(CASE_VARIABLE, name)
            .output();
        match child {
            Ok(out) => print!("{}", String::from_utf8_lossy(&out.stdout)),
            Err(e) => println!("| {name} | could not be measured: {e} |"),
        }
    }
    divan::main();
}

/// Set in a child run: the file it measures.
const CASE_VARIABLE: &str = "IMR_BOMB_CASE";

/// One file read once on this thread: its CPU time, the process's peak resident memory
/// (`VmHWM`, Linux only) and the reader's answer, as a table row.
fn measure(name: &str) {
    let pdf = crafted(name);
    let before = cpu_time();
    let result = pdf_text(&pdf);
    let cpu = cpu_time().saturating_sub(before);
    let answer = match &result {
        Ok(text) => format!("read: {} bytes of text", text.len()),
        Err(e) => format!("refused: {e}"),
    };
    println!(
        "| {name} | {:.1} MB | {:.3} s | {} | {answer} |",
        pdf.len() as f64 / 1e6,
        cpu.as_secs_f64(),
        peak_memory_mib().map_or("?".to_string(), |m| format!("{m} MiB")),
    );
}

/// The peak resident size of this process, in MiB.
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

/// Each crafted file read (or refused) once.
#[divan::bench(args = CRAFTED, sample_count = 5)]
fn read(bencher: Bencher, name: &str) {
    let pdf = crafted(name);
    bencher.bench(|| divan::black_box(pdf_text(divan::black_box(&pdf))).is_ok());
}
