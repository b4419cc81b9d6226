//! `imr redact --parties` as a user runs it: the real binary, the demo application as the case's
//! parties, a fictional letter that names them without titles.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn imr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .output()
        .expect("the imr binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("imr-redact-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn demo_application() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/application.json")
}

const LETTER: &str = "Case Number: CM26-0000042\nDate of Injury: 06/12/2025\n\n\
CLINICAL CASE SUMMARY\nMorgan Fictitious, a 44-year-old forklift driver for HARBORVIEW \
IMAGINARY LOGISTICS, was injured on 06/12/2025. Morgan reports low back pain. Avery\nMadeup \
of Notreal Orthopedic Associates requested an MRI; claim DEMO 2026 0042 went to Invented \
Claims Management. Fictitious's pain is 7/10.\n";

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_parties_of_an_application_are_removed_in_every_form() {
    let dir = temp_dir("application");
    let letter = dir.join("letter.txt");
    std::fs::write(&letter, LETTER).expect("letter written");
    let report = dir.join("report.json");

    // Without the parties, the untitled names are not all found.
    let out = imr(&["redact", path_str(&letter)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(plain.contains("Fictitious"), "{plain}");

    let application = demo_application();
    let out = imr(&[
        "redact",
        path_str(&letter),
        "--parties",
        path_str(&application),
        "--report",
        path_str(&report),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copy = String::from_utf8_lossy(&out.stdout).into_owned();
    for party in [
        "Morgan",
        "Fictitious",
        "HARBORVIEW",
        "Avery",
        "Madeup",
        "Notreal",
        "DEMO 2026 0042",
        "Invented Claims",
    ] {
        assert!(!copy.contains(party), "{party} is in the copy: {copy}");
    }
    for kept in [
        "44-year-old",
        "06/12/2025",
        "low back pain",
        "7/10",
        "CM26-0000042",
    ] {
        assert!(copy.contains(kept), "{kept} was removed: {copy}");
    }
    let reported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("JSON");
    let kinds: Vec<&str> = reported
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    for kind in [
        "name",
        "employer",
        "provider",
        "claim_number",
        "claims_administrator",
    ] {
        assert!(kinds.contains(&kind), "{kind} not reported: {kinds:?}");
    }
    assert!(
        !reported.to_string().contains("Fictitious"),
        "the report holds no text"
    );
    // The summary on standard error: kinds and counts only.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("employer 1"), "{stderr}");
    assert!(!stderr.contains("Morgan"), "{stderr}");
}

#[test]
fn a_list_of_known_parties_is_read_and_a_bad_file_named() {
    let dir = temp_dir("list");
    let letter = dir.join("letter.txt");
    std::fs::write(
        &letter,
        "Seen with Quentin Zarobe at 14 Nowhere Lane on 1/2/1960.\n",
    )
    .expect("letter written");
    let parties = dir.join("parties.json");
    std::fs::write(
        &parties,
        r#"{"people": ["Quentin Zarobe"], "addresses": ["14 Nowhere Lane"], "dates_of_birth": ["1960-01-02"]}"#,
    )
    .expect("parties written");
    let out = imr(&["redact", path_str(&letter), "--parties", path_str(&parties)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Seen with [NAME] at [ADDRESS] on [DATE OF BIRTH].\n"
    );

    std::fs::write(&parties, r#"{"persons": ["x"]}"#).expect("bad parties written");
    let out = imr(&["redact", path_str(&letter), "--parties", path_str(&parties)]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("parties.json") && stderr.contains("neither an application"),
        "{stderr}"
    );
}
