//! PDF letters read per second: `IMR_LETTERS=... cargo bench -p imr-pdf --bench read`.
//!
//! Reads every published dev PDF under IMR_LETTERS into memory first, so the figures are of the
//! extraction alone (the `text` bench) and of extraction plus the letter reader (`record`).
//! Without IMR_LETTERS there is nothing representative to read, and nothing is measured.
//!
//! docs/performance.md compares these figures with poppler's `pdftotext` on the same files, one process
//! per letter as it is used (apt-get install poppler-utils hyperfine):
//!
//! ```text
//! cd "$IMR_LETTERS/dev/pdf" && hyperfine -N --warmup 1 \
//!     "bash -c 'for f in *.pdf; do pdftotext -q \$f /dev/null; done'"
//! ```

use std::path::PathBuf;

use divan::Bencher;
use divan::counter::ItemsCount;
use imr_letter::read_letter;
use imr_pdf::read::pdf_text;

fn main() {
    if std::env::var_os("IMR_LETTERS").is_none() {
        eprintln!(
            "skipped: set IMR_LETTERS to the shared letters folder to measure the PDF reader"
        );
        return;
    }
    divan::main();
}

fn dev_pdfs() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(std::env::var_os("IMR_LETTERS").unwrap_or_default()).join("dev/pdf");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "pdf"));
    paths.sort();
    let pdfs: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    assert!(!pdfs.is_empty(), "no PDFs in {}", dir.display());
    pdfs
}

/// One pass over every dev PDF: bytes to text.
#[divan::bench(sample_count = 20)]
fn text(bencher: Bencher) {
    let pdfs = dev_pdfs();
    bencher.counter(ItemsCount::new(pdfs.len())).bench(|| {
        for pdf in &pdfs {
            let _ = divan::black_box(pdf_text(divan::black_box(pdf)));
        }
    });
}

/// One pass over every dev PDF: bytes to text to a determination record.
#[divan::bench(sample_count = 20)]
fn record(bencher: Bencher) {
    let pdfs = dev_pdfs();
    bencher.counter(ItemsCount::new(pdfs.len())).bench(|| {
        for pdf in &pdfs {
            if let Ok(text) = pdf_text(divan::black_box(pdf)) {
                divan::black_box(read_letter(&text));
            }
        }
    });
}
