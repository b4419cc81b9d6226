//! `imr parse` as a user runs it: the real binary on real files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imr_letter::read_letter;
use imr_pdf::document::{DEFAULT_MAX_BYTES, read_document_text};

mod common;

fn imr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .output()
        .expect("the imr binary runs")
}

fn letters_dir() -> Option<PathBuf> {
    imr_testkit::letters()
}

fn example_letter() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/letters/fictional-letter.txt")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("imr-parse-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Splits a stream of JSON values (the `--format json` output) into values.
fn json_stream(stdout: &[u8]) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_slice(stdout)
        .into_iter::<serde_json::Value>()
        .collect::<Result<_, _>>()
        .expect("stdout is a stream of JSON values")
}

#[test]
fn reads_the_example_letter() {
    let path = example_letter();
    let out = imr(&["parse", path.to_str().expect("utf-8 path")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records = json_stream(&out.stdout);
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert!(
        record["case_number"]
            .as_str()
            .is_some_and(|c| c.starts_with("CM"))
    );
    let items = record["items"].as_array().expect("items");
    assert!(!items.is_empty());
    assert!(
        items
            .iter()
            .all(|i| i["decision"] == "Upheld" || i["decision"] == "Overturned")
    );
    assert_eq!(record["diagnostics"].as_array().map(Vec::len), Some(0));
}

#[test]
fn bad_files_are_reported_once_each_and_the_good_one_is_still_read() {
    let dir = temp_dir("bad");
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path
    };
    let good = write(
        "good.txt",
        &std::fs::read(example_letter()).expect("example letter"),
    );
    let empty = write("empty.txt", b"");
    let prose = write(
        "prose.txt",
        b"Dear colleague,\nthe meeting moves to Tuesday.\n",
    );
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let noise = write("noise.bin", &noise);
    let truncated = write(
        "truncated.pdf",
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa",
    );
    let huge = dir.join("huge.txt");
    std::fs::File::create(&huge)
        .and_then(|f| f.set_len(100 * 1024 * 1024))
        .expect("sparse 100 MB file");

    let paths = [&good, &empty, &prose, &noise, &truncated, &huge];
    let args: Vec<&str> = std::iter::once("parse")
        .chain(paths.iter().map(|p| p.to_str().expect("utf-8 path")))
        .collect();
    let out = imr(&args);
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(out.status.code(), Some(1), "some files failed");
    let records = json_stream(&out.stdout);
    assert_eq!(records.len(), 1, "only the good letter gives a record");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expectations = [
        (&empty, "empty"),
        (&prose, "not a Final Determination Letter"),
        (&noise, "binary data"),
        (&truncated, "PDF"),
        (&huge, "too large"),
    ];
    for (path, reason) in expectations {
        let name = path.to_str().expect("utf-8 path");
        let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name} reported once: {stderr}");
        assert!(
            lines[0].contains(reason),
            "{name}: {:?} should say {reason:?}",
            lines[0]
        );
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let out = imr(&["parse", "/no/such/letter.pdf"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/no/such/letter.pdf"), "{stderr}");
}

#[imr_testkit::needs(letters)]
#[test]
fn every_dev_pdf_reads_to_the_same_record_as_its_text_copy() {
    let Some(dir) = letters_dir() else { return };
    let pdfs = dir.join("dev/pdf");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&pdfs)
        .expect("dev/pdf")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert_eq!(names.len(), 101);
    let mut differ = Vec::new();
    for pdf in &names {
        let stem = pdf.file_stem().and_then(|s| s.to_str()).expect("name");
        let from_pdf = read_letter(&read_document_text(pdf, DEFAULT_MAX_BYTES).expect("PDF text"));
        let txt = dir.join(format!("dev/txt/{stem}.txt"));
        let from_txt = read_letter(&read_document_text(&txt, DEFAULT_MAX_BYTES).expect("text"));
        if from_pdf != from_txt {
            differ.push(stem.to_string());
        }
    }
    assert!(differ.is_empty(), "PDF and text records differ: {differ:?}");
}

#[imr_testkit::needs(letters)]
#[test]
fn jsonl_gives_one_line_per_letter_of_a_folder() {
    let Some(dir) = letters_dir() else { return };
    let seeds = dir.join("seeds");
    let out = imr(&[
        "parse",
        "--format",
        "jsonl",
        seeds.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5);
    for line in lines {
        let record: serde_json::Value = serde_json::from_str(line).expect("one object per line");
        assert!(record["items"].as_array().is_some_and(|i| !i.is_empty()));
    }
}

#[test]
fn review_writes_the_proposed_letter_in_one_step() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let case = root.join("crates/imr-rules/tests/data/engine/pt-trial.json");
    let profile = root.join("examples/reviewers/physiatrist.toml");
    let dir = temp_dir("review-letter");
    let pdf = dir.join("letter.pdf");
    let out = imr(&[
        "review",
        case.to_str().expect("utf-8 path"),
        "--letter",
        "pdf",
        "--reviewer",
        profile.to_str().expect("utf-8 path"),
        "-o",
        pdf.to_str().expect("utf-8 path"),
    ]);
    let bytes = std::fs::read(&pdf);
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = bytes.expect("the letter was written");
    let letter = read_letter(&imr_pdf::read::pdf_text(&bytes).expect("the PDF reads back"));
    assert!(!letter.items.is_empty());
    assert!(letter.items.iter().all(|i| i.decision.is_some()));
    assert_eq!(
        letter.reviewer.specialties,
        ["Physical Medicine and Rehabilitation"]
    );
    assert_eq!(letter.reviewer.subspecialties, ["Pain Medicine"]);
}

#[test]
fn review_letter_needs_a_reviewer_profile() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let case = root.join("crates/imr-rules/tests/data/engine/pt-trial.json");
    let out = imr(&[
        "review",
        case.to_str().expect("utf-8 path"),
        "--letter",
        "pdf",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--reviewer"));
}

/// A 1.5 MB PDF whose page inflates to 1.5 GB: refused by name and limit, with bounded memory,
/// and the letter beside it still read.
#[test]
fn an_inflating_pdf_is_refused_and_the_letter_beside_it_read() {
    let dir = temp_dir("bomb");
    let bomb = dir.join("records-bomb.pdf");
    std::fs::write(
        &bomb,
        imr_pdf::inflating::inflating_pdf(1_500_000_000, b' '),
    )
    .expect("bomb");
    let letter = example_letter();
    let (out, peak) = common::imr_peak(&[
        "parse",
        "--format",
        "jsonl",
        bomb.to_str().expect("utf-8"),
        letter.to_str().expect("utf-8"),
    ]);
    std::fs::remove_dir_all(&dir).ok();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line = err
        .lines()
        .find(|l| l.contains("records-bomb.pdf"))
        .unwrap_or_else(|| panic!("the bomb is named:\n{err}"));
    assert!(
        line.contains("refused before it is read") && line.contains("limit per stream"),
        "{line}"
    );
    assert_eq!(
        err.matches("records-bomb.pdf").count(),
        1,
        "named once:\n{err}"
    );
    let records = json_stream(&out.stdout);
    assert_eq!(records.len(), 1, "the letter is still read");
    assert!(records[0]["case_number"].is_string(), "{}", records[0]);
    assert!(
        peak < common::PEAK_LIMIT,
        "peak memory {} MiB over {} MiB",
        peak >> 20,
        common::PEAK_LIMIT >> 20
    );
    eprintln!("imr parse over the bomb: peak {} MiB", peak >> 20);
}

/// `imr parse ... | head`: output closed by its reader stops the command quietly, as SIGPIPE
/// stops other tools, never with a panic.
#[test]
fn output_closed_by_its_reader_stops_quietly() {
    let letter = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/letters/fictional-letter.txt"
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["parse", letter, letter, letter, letter])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("imr starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("imr ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}
