//! The letter reader against the real published letters (found through IMR_LETTERS) and the
//! project's own fixtures.

use std::path::{Path, PathBuf};

use imr_core::letter::read_letter;
use imr_core::{Decision, Determination, Severity};

fn letters_dir() -> Option<PathBuf> {
    match std::env::var_os("IMR_LETTERS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            eprintln!("IMR_LETTERS is not set: skipping the tests over the published letters");
            None
        }
    }
}

fn text_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Determination {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_letter(&String::from_utf8_lossy(&bytes))
}

/// One row of decisions.csv.
struct Row {
    case_number: String,
    disputed_item: String,
    decision: Decision,
}

/// decisions.csv: case_number,decision_date,disputed_item,decision with RFC 4180 quoting.
fn decisions_csv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let fields = split_csv_line(line);
        assert_eq!(fields.len(), 4, "decisions.csv line {}: {line}", n + 1);
        rows.push(Row {
            case_number: fields[0].clone(),
            disputed_item: fields[2].clone(),
            decision: Decision::parse(&fields[3])
                .unwrap_or_else(|| panic!("line {}: decision", n + 1)),
        });
    }
    rows
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("a field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().expect("a field").push(c),
        }
    }
    fields
}

fn errors(determination: &Determination) -> Vec<String> {
    determination
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[test]
fn every_dev_letter_matches_the_published_decisions() {
    let Some(dir) = letters_dir() else { return };
    let rows = decisions_csv(&dir.join("dev/decisions.csv"));
    let files = text_files(&dir.join("dev/txt"));
    assert_eq!(files.len(), 101, "dev letters");
    let mut failures = Vec::new();
    let mut items_seen = 0;
    for path in &files {
        let letter = read(path);
        let case = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let errors = errors(&letter);
        if !errors.is_empty() {
            failures.push(format!("{case}: {errors:?}"));
        }
        if letter.case_number.as_deref() != Some(case) {
            failures.push(format!(
                "{case}: case number read as {:?}",
                letter.case_number
            ));
        }
        let expected: Vec<&Row> = rows.iter().filter(|r| r.case_number == case).collect();
        let got: Vec<Option<Decision>> = letter.items.iter().map(|i| i.decision).collect();
        let want: Vec<Option<Decision>> = expected.iter().map(|r| Some(r.decision)).collect();
        if got != want {
            failures.push(format!("{case}: decisions {got:?}, published {want:?}"));
            continue;
        }
        for (item, row) in letter.items.iter().zip(&expected) {
            // decisions.csv keeps only the last line(s) of a wrapped partial heading, so its
            // wording must be found at the end of what we read.
            let heading = [
                item.original_request.as_deref(),
                item.authorized.as_deref(),
                Some(&item.request),
            ]
            .into_iter()
            .flatten()
            .map(squash)
            .collect::<String>();
            let mut row_text = squash(&row.disputed_item);
            for word in ["upheld", "overturned"] {
                row_text = row_text
                    .strip_suffix(word)
                    .map(str::to_string)
                    .unwrap_or(row_text);
            }
            if !heading.contains(&row_text) && !row_text.contains(&squash(&item.request)) {
                failures.push(format!(
                    "{case}: item {:?} vs published {:?}",
                    item.request, row.disputed_item
                ));
            }
            items_seen += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(items_seen, rows.len());
}

#[test]
fn every_seed_reads_without_error() {
    let Some(dir) = letters_dir() else { return };
    let files = text_files(&dir.join("seeds"));
    assert_eq!(files.len(), 5);
    let decisions: Vec<Vec<Decision>> = files
        .iter()
        .map(|p| {
            let letter = read(p);
            assert!(
                errors(&letter).is_empty(),
                "{}: {:?}",
                p.display(),
                errors(&letter)
            );
            letter.items.iter().filter_map(|i| i.decision).collect()
        })
        .collect();
    use Decision::{Overturned as O, Upheld as U};
    assert_eq!(
        decisions,
        vec![vec![U, U], vec![U], vec![U], vec![U, U, U], vec![O, O]]
    );
}
