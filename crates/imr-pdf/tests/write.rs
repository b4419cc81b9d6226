//! The PDF letter: its text, read back by the project's own PDF reader, parses to the record it
//! was written from; it is a well-formed PDF that poppler renders; and bad input gives a correct
//! letter or a clear error, never a broken file.

use std::path::{Path, PathBuf};

use imr_core::{Determination, Severity};
use imr_letter::read_letter;
use imr_letter::write::{LetterOptions, letter_document};
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

#[imr_testkit::needs(letters)]
#[test]
fn every_published_letter_reads_back_from_its_pdf() {
    let Some(dir) = imr_testkit::letters() else {
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

#[test]
fn a_determination_without_items_is_refused_before_any_pdf_is_written() {
    let mut record = fictional_record();
    record.items.clear();
    let error = letter_document(&record, &LetterOptions::default()).expect_err("no items");
    assert!(error.to_string().contains("no disputed items"), "{error}");
}

#[test]
fn a_200_kb_rationale_makes_a_long_letter_that_reads_back_whole() {
    let mut record = fictional_record();
    let sentence = "The applicant reported pain of 6/10 with radiation to the left foot, and the examination was unchanged from the previous visit. ";
    let rationale = sentence.repeat(200 * 1024 / sentence.len() + 1);
    record.items[1].rationale = Some(rationale.trim_end().to_string());
    let pdf = pdf_of(&record);
    let (back, text) = read_back(&pdf);
    assert_same_record(&record, &back, "200 KB rationale");
    let pages = text.matches('\x0c').count();
    assert!(pages > 30, "expected many pages, got {pages}");
}

#[test]
fn characters_the_font_lacks_show_as_a_replacement_and_extract_as_themselves() {
    let mut record = fictional_record();
    record.clinical_summary = Some(
        "Zoë Ångström (52) décrit une douleur «brûlante» — 7/10; Ελληνικά, Кириллица, 中文 and 🙂 are kept, as is a control\u{7} character."
            .to_string(),
    );
    let pdf = pdf_of(&record);
    let (back, _) = read_back(&pdf);
    let summary = back.clinical_summary.as_deref().unwrap_or("");
    for kept in [
        "Zoë Ångström",
        "«brûlante» — 7/10",
        "Ελληνικά",
        "Кириллица",
        "中文",
        "🙂",
        "control\u{fffd} character",
    ] {
        assert!(summary.contains(kept), "{kept:?} lost: {summary}");
    }
}

#[test]
fn the_pdf_is_deterministic_and_its_fonts_are_embedded_subsets() {
    let record = fictional_record();
    let (a, b) = (pdf_of(&record), pdf_of(&record));
    assert_eq!(a, b, "the same determination gives the same bytes");
    let text = String::from_utf8_lossy(&a);
    assert_eq!(text.matches("/FontFile2").count(), 2);
    assert_eq!(text.matches("/ToUnicode").count(), 2);
    assert!(text.contains("/BaseFont /IMRAAA+DejaVuSans "));
    assert!(text.contains("/BaseFont /IMRAAB+DejaVuSans-Bold "));
    // Subsets: far smaller than the two bundled fonts (1.4 MB).
    assert!(a.len() < 150_000, "{} bytes", a.len());
}

/// Renders every page with poppler's pdftoppm, when it is installed: the file must be one that
/// a real renderer accepts without complaint.
#[test]
fn poppler_renders_every_page_without_errors() {
    let record = fictional_record();
    let pdf = pdf_of(&record);
    let dir = std::env::temp_dir().join(format!("imr-pdf-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("letter.pdf");
    std::fs::write(&file, &pdf).expect("write");
    let output = match std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-png"])
        .arg(&file)
        .arg(dir.join("page"))
        .output()
    {
        Ok(output) => output,
        Err(_) => {
            eprintln!("pdftoppm is not installed: skipping the rendering check");
            std::fs::remove_dir_all(&dir).ok();
            return;
        }
    };
    let pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "png"))
        .map(|e| std::fs::metadata(e.path()).map(|m| m.len()).unwrap_or(0))
        .collect();
    std::fs::remove_dir_all(&dir).ok();
    assert!(output.status.success(), "pdftoppm failed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.trim().is_empty(), "poppler complained: {stderr}");
    assert_eq!(pages.len(), 2, "two pages rendered");
    assert!(
        pages.iter().all(|&size| size > 5_000),
        "blank pages? {pages:?}"
    );
}

/// The published PDFs themselves: read with the project's PDF reader, written as a PDF letter,
/// read back: the same record.
#[imr_testkit::needs(letters)]
#[test]
fn every_published_pdf_reads_back_from_the_pdf_letter_written_from_it() {
    let Some(dir) = imr_testkit::letters() else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("dev/pdf"))
        .expect("dev/pdf")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    assert!(files.len() >= 100, "found {} PDFs", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("pdf");
        let record = read_letter(&pdf_text(&bytes).expect("published PDF text"));
        let (back, _) = read_back(&pdf_of(&record));
        if comparable(&back) != comparable(&record) {
            failures.push(path.display().to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} PDFs differ:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
