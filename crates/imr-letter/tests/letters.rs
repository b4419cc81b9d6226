//! The letter reader against the real published letters (found through IMR_LETTERS) and the
//! project's own fixtures.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::path::{Path, PathBuf};

use imr_core::{Decision, Determination, Severity};
use imr_letter::read_letter;

fn letters_dir() -> Option<PathBuf> {
    imr_testkit::letters()
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

#[imr_testkit::needs(letters)]
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

#[imr_testkit::needs(letters)]
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

/// A hand-checked reading of one letter (tests/data/letters/*.toml). Long texts are checked by
/// their first and last words and their length, so the fixtures copy no letter text.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    letter: String,
    case_number: Option<String>,
    date_assigned: Option<String>,
    decision_date: Option<String>,
    date_of_injury: Option<String>,
    ur_denial_date: Option<String>,
    application_received: Option<String>,
    priority: Option<String>,
    licensure: Vec<String>,
    specialties: Vec<String>,
    subspecialties: Vec<String>,
    summary_starts: String,
    summary_ends: String,
    summary_words: usize,
    items: Vec<ExpectedItem>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedItem {
    request: String,
    original_request: Option<String>,
    authorized: Option<String>,
    decision: String,
    claims_administrator_guideline: Option<String>,
    imro_guideline: Option<String>,
    rationale_starts: String,
    rationale_ends: String,
    rationale_words: usize,
    #[serde(default)]
    citations: Vec<imr_core::Citation>,
}

/// Compares a long text by its first and last words and its length.
fn check_text(
    field: &str,
    text: Option<&str>,
    starts: &str,
    ends: &str,
    words: usize,
) -> Vec<String> {
    let text = text.unwrap_or("");
    let mut problems = Vec::new();
    if !text.starts_with(starts) {
        problems.push(format!(
            "{field} starts {:?}",
            text.chars().take(60).collect::<String>()
        ));
    }
    if !text.ends_with(ends) {
        problems.push(format!(
            "{field} ends {:?}",
            text.chars().rev().take(60).collect::<String>()
        ));
    }
    let count = text.split_whitespace().count();
    if count != words {
        problems.push(format!("{field} has {count} words, expected {words}"));
    }
    problems
}

#[imr_testkit::needs(letters)]
#[test]
fn hand_checked_letters_read_field_by_field() {
    let Some(dir) = letters_dir() else { return };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/letters");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "5 seeds and at least 10 dev letters");
    let mut problems = Vec::new();
    for fixture in &files {
        let text = std::fs::read_to_string(fixture).expect("fixture");
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()));
        let got = read(&dir.join(&expected.letter));
        let mut p = Vec::new();
        let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
        let header = [
            ("case_number", got.case_number.clone(), expected.case_number),
            (
                "date_assigned",
                date(got.date_assigned),
                expected.date_assigned,
            ),
            (
                "decision_date",
                date(got.decision_date),
                expected.decision_date,
            ),
            (
                "date_of_injury",
                date(got.date_of_injury),
                expected.date_of_injury,
            ),
            (
                "ur_denial_date",
                date(got.ur_denial_date),
                expected.ur_denial_date,
            ),
            (
                "application_received",
                date(got.application_received),
                expected.application_received,
            ),
            (
                "priority",
                got.priority.map(|x| x.as_str().to_string()),
                expected.priority,
            ),
        ];
        for (field, got, want) in header {
            if got != want {
                p.push(format!("{field}: {got:?} != {want:?}"));
            }
        }
        let reviewer = [
            ("licensure", &got.reviewer.licensure, &expected.licensure),
            (
                "specialties",
                &got.reviewer.specialties,
                &expected.specialties,
            ),
            (
                "subspecialties",
                &got.reviewer.subspecialties,
                &expected.subspecialties,
            ),
        ];
        for (field, got, want) in reviewer {
            if got != want {
                p.push(format!("{field}: {got:?} != {want:?}"));
            }
        }
        p.extend(check_text(
            "clinical_summary",
            got.clinical_summary.as_deref(),
            &expected.summary_starts,
            &expected.summary_ends,
            expected.summary_words,
        ));
        if got.items.len() != expected.items.len() {
            p.push(format!(
                "{} items, expected {}",
                got.items.len(),
                expected.items.len()
            ));
        }
        for (k, (item, want)) in got.items.iter().zip(&expected.items).enumerate() {
            let fields = [
                (
                    "request",
                    Some(item.request.clone()),
                    Some(want.request.clone()),
                ),
                (
                    "original_request",
                    item.original_request.clone(),
                    want.original_request.clone(),
                ),
                (
                    "authorized",
                    item.authorized.clone(),
                    want.authorized.clone(),
                ),
                (
                    "decision",
                    item.decision.map(|d| d.to_string()),
                    Some(want.decision.clone()),
                ),
                (
                    "claims_administrator_guideline",
                    item.claims_administrator_guideline.clone(),
                    want.claims_administrator_guideline.clone(),
                ),
                (
                    "imro_guideline",
                    item.imro_guideline.clone(),
                    want.imro_guideline.clone(),
                ),
            ];
            for (field, got, want) in fields {
                if got != want {
                    p.push(format!("items[{k}].{field}: {got:?} != {want:?}"));
                }
            }
            if item.citations != want.citations {
                p.push(format!(
                    "items[{k}].citations: {:?} != {:?}",
                    item.citations, want.citations
                ));
            }
            p.extend(check_text(
                &format!("items[{k}].rationale"),
                item.rationale.as_deref(),
                &want.rationale_starts,
                &want.rationale_ends,
                want.rationale_words,
            ));
        }
        problems.extend(p.into_iter().map(|m| format!("{}: {m}", fixture.display())));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_older_layout_is_read_by_its_sections() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/older/older-layout.txt");
    let letter = read(&path);
    assert_eq!(letter.case_number.as_deref(), Some("CM13-0004211"));
    assert_eq!(letter.reviewer.specialties, ["Anesthesiology"]);
    assert_eq!(letter.reviewer.subspecialties, ["Pain Medicine"]);
    assert_eq!(letter.reviewer.licensure, ["Ohio", "Michigan"]);
    let summary = letter.clinical_summary.as_deref().unwrap_or("");
    assert!(
        summary.starts_with("The patient is a fictional"),
        "{summary}"
    );
    assert!(
        summary.ends_with("physical therapy."),
        "the list of documents is not summary"
    );
    assert_eq!(letter.items.len(), 1);
    let item = &letter.items[0];
    assert_eq!(item.request, "Cervical traction unit for home use");
    assert_eq!(item.decision, Some(Decision::Upheld));
    assert_eq!(item.citations.len(), 1);
    assert_eq!(item.citations[0].section.as_deref(), Some("Table 8-8"));
    let rationale = item.rationale.as_deref().unwrap_or("");
    assert!(rationale.ends_with("medically necessary."), "{rationale}");
    assert!(errors(&letter).is_empty(), "{:?}", letter.diagnostics);
}

#[test]
fn a_letter_without_its_sections_says_what_is_missing() {
    let letter = read_letter("Case Number: CM16-0000001\nSome text that is not a letter.\n");
    let fields: Vec<&str> = letter
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.field.as_str())
        .collect();
    assert_eq!(fields, ["clinical_summary", "items"]);
    assert!(letter.items.is_empty());
}

mod never_panics {
    use imr_letter::read_letter;
    use proptest::prelude::*;

    /// Lines a letter is made of, so that random letters reach deep into the reader.
    const PIECES: &[&str] = &[
        "Case Number:",
        "CM16-0000001",
        "Date Assigned:",
        "13/45/2016",
        "02/29/2017",
        "Priority:",
        "Standard",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "CLINICAL CASE SUMMARY",
        "IMR ISSUES, DECISIONS AND",
        "RATIONALES",
        "State(s) of Licensure:",
        "Certification(s)/Specialty:",
        "Board Certified in X, has a subspecialty in Y and is licensed to practice in Z.",
        "Physical therapy x 8:",
        "Upheld",
        "is: Overturned",
        ": Upheld",
        "A was the original request. B was authorized by the Claims Administrator.",
        "The remaining IMR eligible portion of the original request, C is: Upheld",
        "Claims Administrator guideline:",
        "MAXIMUS guideline: Decision based on MTUS Decision based on Non-MTUS Citation",
        "Section(s): Page(s): 2016,",
        "Decision rationale:",
        "word-",
        "\u{0c}",
        "",
        "é ü 中 \u{00ad}",
    ];

    proptest! {
        #[test]
        fn on_any_text(text in "\\PC{0,400}") {
            let _ = read_letter(&text);
        }

        #[test]
        fn on_letter_shaped_text(picks in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let text: Vec<&str> = picks.iter().map(|&i| PIECES[i]).collect();
            let letter = read_letter(&text.join("\n"));
            for item in &letter.items {
                prop_assert!(item.decision.is_some());
            }
        }
    }
}
