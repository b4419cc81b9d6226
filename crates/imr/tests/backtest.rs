//! `imr backtest` as a user runs it: the real binary on the seed letters (skipped with a note when
//! IMR_LETTERS is unset), and `imr review` naming the letters a rule's agreement was measured on.

use std::path::Path;

mod common;
use common::{imr, s, stderr};

/// The figures come with what they describe, over all the letters given; the agreement table is
/// one pair of counts per rule; the retired halves are gone from the interface.
#[imr_testkit::needs(letters)]
#[test]
fn backtest_reports_on_all_letters_and_writes_the_agreement_table() {
    let Some(letters) = imr_testkit::letters() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let table = dir.path().join("agreement.csv");
    let seeds = letters.join("seeds");
    let out = imr(&[
        "backtest",
        s(&seeds),
        "--precedents",
        "0",
        "--write-agreement",
        s(&table),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(
            "These figures describe agreement with the letters given; on the dev letters they measure how well the engine matches letters its rules were written from."
        ),
        "{text}"
    );
    assert!(text.contains("items                      9\n"), "{text}");
    assert!(!text.contains("tune") && !text.contains("check"), "{text}");
    let written = std::fs::read_to_string(&table).expect("the table is written");
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("rule,hits,agree"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    let hits: u32 = rows
        .iter()
        .map(|r| {
            let fields: Vec<&str> = r.split(',').collect();
            assert_eq!(fields.len(), 3, "{r}");
            fields[1].parse::<u32>().expect("a count")
        })
        .sum();
    // The nine seed items are all decided (the engine test `seeds_come_out_as_published`).
    assert_eq!(hits, 9, "{written}");

    let json = imr(&[
        "backtest",
        s(&seeds),
        "--format",
        "json",
        "--precedents",
        "0",
    ]);
    assert!(json.status.success(), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["scores"]["items"], 9);
    assert!(
        value["note"]
            .as_str()
            .is_some_and(|n| n.contains("written from"))
    );

    let halves = imr(&["backtest", s(&seeds), "--halves", "halves.csv"]);
    assert!(!halves.status.success(), "--halves is retired");
}

/// A proposal's rule figure names the letters it was measured on.
#[test]
fn review_names_the_letters_a_rule_was_measured_on() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/imr-rules/tests/data/engine/pt-trial.json");
    let out = imr(&["review", s(&case), "--format", "text"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let rule_lines: Vec<&str> = text.lines().filter(|l| l.contains("Rule: ")).collect();
    assert!(!rule_lines.is_empty(), "{text}");
    for line in rule_lines {
        assert!(
            line.contains("the 101 dev letters (2016-17) the rules were written from"),
            "{line}"
        );
        assert!(!line.contains("half"), "{line}");
    }
}
