//! The example case files under examples/cases: each reviews without error, with a finding for
//! every disputed request; and the demo application, which is not a case file, is refused with
//! the field it lacks.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imr_reading::case_file::CaseFile;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn imr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .output()
        .unwrap()
}

fn example_cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("examples/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_case_reviews_without_error() {
    let files = example_cases();
    assert!(
        files.len() >= 2,
        "examples/cases holds its cases: {files:?}"
    );
    for file in &files {
        let name = file.display().to_string();
        assert!(
            name.ends_with(".json") || name.ends_with(".toml"),
            "{name}: a case file is .json or .toml, or imr review skips it in a folder"
        );
        let case = CaseFile::parse_any(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = imr(&["review", &name]);
        assert!(
            out.status.success(),
            "imr review {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let findings: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let items = findings["items"].as_array().map_or(0, Vec::len);
        assert_eq!(
            items,
            case.requests.len(),
            "{name}: a finding for every request"
        );
    }
}

#[test]
fn the_demo_application_is_not_a_case_file() {
    let application = workspace().join("data/demo/application.json");
    let out = imr(&["review", application.to_str().unwrap()]);
    assert!(!out.status.success(), "imr review refuses an application");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`requests`"),
        "the message names the field: {stderr}"
    );
}
