//! Redaction over the hand-written test set (tests/data/redact: fictional letters and records,
//! each with its planted identifiers in a sidecar) and over the published letters.
//!
//! Must hold: every planted identifier removed with its kind (recall 100 %), the clinical
//! content kept, and the redacted letter read to the same items and decisions.

#![allow(clippy::disallowed_methods)] // tests and benches read fixtures and time themselves

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use imr_core::{Decision, Determination};
use imr_letter::read_letter;
use imr_redact::{Kind, KnownParties, Removal, redact_determination, redact_text};
use serde::Deserialize;

#[derive(Deserialize)]
struct Sidecar {
    planted: Vec<Planted>,
    keep: Vec<String>,
}

#[derive(Deserialize)]
struct Planted {
    kind: String,
    text: String,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/redact")
}

fn kind_named(name: &str) -> Kind {
    let kinds = [
        Kind::Name,
        Kind::ClaimNumber,
        Kind::Ssn,
        Kind::Phone,
        Kind::Address,
        Kind::Email,
        Kind::DateOfBirth,
        Kind::Employer,
        Kind::Provider,
    ];
    kinds
        .into_iter()
        .find(|k| k.as_str() == name)
        .unwrap_or_else(|| panic!("unknown kind {name:?} in a sidecar"))
}

/// Counts per kind: (planted occurrences, removed with the right kind).
type Tally = BTreeMap<&'static str, (usize, usize)>;

/// Checks one text against its planted identifiers; returns the misses.
fn check_text(
    file: &str,
    original: &str,
    removals: &[Removal],
    planted: &[Planted],
    tally: &mut Tally,
) -> Vec<String> {
    let mut misses = Vec::new();
    for p in planted {
        let kind = kind_named(&p.kind);
        assert!(
            original.contains(&p.text),
            "{file}: planted {:?} is not in the file",
            p.text
        );
        for (start, _) in original.match_indices(&p.text) {
            let end = start + p.text.len();
            let entry = tally.entry(kind.as_str()).or_default();
            entry.0 += 1;
            if removals
                .iter()
                .any(|r| r.kind == kind && r.start <= start && r.end >= end)
            {
                entry.1 += 1;
            } else {
                misses.push(format!("{file}: {:?} ({}) at byte {start}", p.text, p.kind));
            }
        }
    }
    misses
}

/// What must not change: the items' decisions and guideline lines, and the header.
fn assert_same_decisions(file: &str, before: &Determination, after: &Determination) {
    let decisions = |d: &Determination| -> Vec<Option<Decision>> {
        d.items.iter().map(|i| i.decision).collect()
    };
    assert!(!before.items.is_empty(), "{file}: no items read");
    assert_eq!(decisions(before), decisions(after), "{file}: decisions");
    for (a, b) in before.items.iter().zip(&after.items) {
        assert_eq!(a.imro_guideline, b.imro_guideline, "{file}: guideline");
        assert_eq!(a.citations, b.citations, "{file}: citations");
        assert_eq!(
            a.claims_administrator_guideline, b.claims_administrator_guideline,
            "{file}: claims administrator guideline"
        );
        // A request keeps its words, but for what was removed from it.
        if a.request != b.request {
            assert!(
                b.request.contains('['),
                "{file}: request changed: {}",
                b.request
            );
        }
    }
    assert_eq!(before.case_number, after.case_number, "{file}: case number");
    assert_eq!(
        before.date_of_injury, after.date_of_injury,
        "{file}: date of injury"
    );
    assert_eq!(
        before.decision_date, after.decision_date,
        "{file}: decision date"
    );
}

#[test]
fn every_planted_identifier_is_removed_and_the_clinical_content_stays() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("tests/data/redact")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the test set has {} files", files.len());

    let mut tally = Tally::new();
    let mut misses = Vec::new();
    let mut removed_total = 0;
    let mut spurious = 0;
    for path in &files {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let sidecar: Sidecar =
            toml::from_str(&std::fs::read_to_string(path.with_extension("toml")).expect("sidecar"))
                .unwrap_or_else(|e| panic!("{file}: sidecar: {e}"));
        let original = std::fs::read_to_string(path).expect("fixture");

        let redacted_text = if path.extension().is_some_and(|e| e == "txt") {
            let redacted = redact_text(&original, &KnownParties::default());
            misses.extend(check_text(
                &file,
                &original,
                &redacted.removals,
                &sidecar.planted,
                &mut tally,
            ));
            removed_total += redacted.removals.len();
            spurious += redacted
                .removals
                .iter()
                .filter(|r| {
                    !sidecar.planted.iter().any(|p| {
                        original
                            .match_indices(&p.text)
                            .any(|(s, _)| s < r.end && s + p.text.len() > r.start)
                    })
                })
                .count();
            assert_same_decisions(&file, &read_letter(&original), &read_letter(&redacted.text));
            redacted.text
        } else {
            let record: Determination =
                serde_json::from_str(&original).unwrap_or_else(|e| panic!("{file}: {e}"));
            let (redacted, report) = redact_determination(&record, &KnownParties::default());
            removed_total += report.len();
            // Each field is checked on its own text.
            let fields = |d: &Determination| -> Vec<(String, String)> {
                let mut out = vec![(
                    "clinical_summary".to_string(),
                    d.clinical_summary.clone().unwrap_or_default(),
                )];
                for (i, item) in d.items.iter().enumerate() {
                    out.push((format!("items[{i}].request"), item.request.clone()));
                    out.push((
                        format!("items[{i}].rationale"),
                        item.rationale.clone().unwrap_or_default(),
                    ));
                }
                out
            };
            for (field, text) in fields(&record) {
                let removals: Vec<Removal> = report
                    .iter()
                    .filter(|r| r.field == field)
                    .map(|r| Removal {
                        kind: r.kind,
                        start: r.start,
                        end: r.end,
                    })
                    .collect();
                let planted: Vec<Planted> = sidecar
                    .planted
                    .iter()
                    .filter(|p| text.contains(&p.text))
                    .map(|p| Planted {
                        kind: p.kind.clone(),
                        text: p.text.clone(),
                    })
                    .collect();
                misses.extend(check_text(
                    &format!("{file} {field}"),
                    &text,
                    &removals,
                    &planted,
                    &mut tally,
                ));
            }
            assert_same_decisions(&file, &record, &redacted);
            assert_eq!(
                redacted.source, None,
                "{file}: the source path may hold a name"
            );
            serde_json::to_string(&redacted).expect("json")
        };
        for keep in &sidecar.keep {
            assert!(
                redacted_text.contains(keep.as_str())
                    || redacted_text.contains(&keep.replace('\n', " ")),
                "{file}: {keep:?} was removed"
            );
        }
        for p in &sidecar.planted {
            assert!(
                !redacted_text.contains(&p.text),
                "{file}: {:?} is still in the redacted copy",
                p.text
            );
        }
    }

    let (planted, found) = tally.values().fold((0, 0), |(a, b), (p, f)| (a + p, b + f));
    eprintln!("redaction recall by kind (planted occurrences, removed with the right kind):");
    for (kind, (p, f)) in &tally {
        eprintln!("  {kind:14} {f:3} / {p:3}");
    }
    eprintln!(
        "recall {found}/{planted}; letters: {removed_total} removals, {spurious} not on a planted identifier"
    );
    assert!(misses.is_empty(), "missed:\n{}", misses.join("\n"));
    assert_eq!(found, planted);
    for kind in [
        "name",
        "claim_number",
        "ssn",
        "phone",
        "address",
        "email",
        "date_of_birth",
        "employer",
        "provider",
    ] {
        assert!(tally.contains_key(kind), "the test set plants no {kind}");
    }
}

#[imr_testkit::needs(letters)]
#[test]
fn published_letters_keep_their_items_and_decisions() {
    let Some(dir) = imr_testkit::letters() else {
        return;
    };
    let mut files = Vec::new();
    for sub in ["seeds", "dev/txt"] {
        files.extend(
            std::fs::read_dir(dir.join(sub))
                .expect("letters folder")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    files.sort();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &files {
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("letter")).into_owned();
        let redacted = redact_text(&text, &KnownParties::default());
        for r in &redacted.removals {
            *by_kind.entry(r.kind.as_str()).or_default() += 1;
        }
        assert_same_decisions(
            &path.display().to_string(),
            &read_letter(&text),
            &read_letter(&redacted.text),
        );
    }
    // The published letters are already redacted: what is found in them now is what the
    // redactor takes that DWC left (mostly providers' and employers' names, if any).
    eprintln!("removals in {} published letters: {by_kind:?}", files.len());
}
