//! The README's command-line walkthrough, run as written: the `sh` block after the
//! `cli-walkthrough` marker, each `imr` line by the built binary, in a fresh folder that sees
//! the repository's `data/` and `examples/` as a clone does. So the README cannot drift.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MARKER: &str = "<!-- cli-walkthrough";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The lines of the walkthrough's code block, with their line numbers in the README.
fn walkthrough(readme: &str) -> Vec<(usize, String)> {
    let mut lines = readme.lines().enumerate().map(|(i, l)| (i + 1, l));
    lines
        .find(|(_, l)| l.starts_with(MARKER))
        .expect("README.md marks its CLI walkthrough with <!-- cli-walkthrough ... -->");
    let (_, fence) = lines.next().expect("a code block after the marker");
    assert_eq!(
        fence.trim(),
        "```sh",
        "the marker is followed by a ```sh block"
    );
    lines
        .take_while(|(_, l)| l.trim() != "```")
        .map(|(n, l)| (n, l.to_string()))
        .collect()
}

/// A shell line without its trailing comment, split into words (double quotes group words).
fn words(line: &str) -> Vec<String> {
    let code = match line.find(" #") {
        Some(at) => &line[..at],
        None => line,
    };
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in code.trim().chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn the_readme_cli_walkthrough_runs_as_written() {
    let root = workspace();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for shared in ["data", "examples"] {
        std::os::unix::fs::symlink(
            root.join(shared).canonicalize().unwrap(),
            dir.path().join(shared),
        )
        .unwrap();
    }
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let mut ran = 0;
    for (number, line) in walkthrough(&readme) {
        let words = words(&line);
        match words.first().map(String::as_str) {
            None => continue,
            Some(w) if w.starts_with('#') => continue,
            Some("export") => {
                for pair in &words[1..] {
                    let (name, value) = pair.split_once('=').unwrap_or_else(|| {
                        panic!("README.md line {number}: `export {pair}` is not NAME=VALUE")
                    });
                    env.insert(name.into(), value.into());
                }
            }
            Some("imr") => {
                let out = Command::new(env!("CARGO_BIN_EXE_imr"))
                    .args(&words[1..])
                    .current_dir(dir.path())
                    .env_remove("IMR_DATABASE_URL")
                    .env_remove("IMR_NOW")
                    .env_remove("IMR_ACTOR")
                    .env_remove("IMR_MAX_DOCUMENT_BYTES")
                    .envs(&env)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "README.md line {number}: `{line}` failed ({}):\n{}",
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                );
                ran += 1;
            }
            Some(other) => panic!(
                "README.md line {number}: `{other}`: the walkthrough runs only `imr ...` and \
                 `export NAME=VALUE` lines"
            ),
        }
    }
    assert!(ran >= 5, "the walkthrough ran {ran} imr command(s)");
    let store = env.get("IMR_DATABASE_URL").map_or("imr.db", String::as_str);
    assert!(
        dir.path().join(store).is_file(),
        "the walkthrough's store {store} is in the folder it ran in"
    );
}

#[test]
fn words_split_as_the_shell_does_for_the_walkthrough() {
    assert_eq!(
        words(r#"imr search "low back"  --limit 5   # a comment"#),
        ["imr", "search", "low back", "--limit", "5"]
    );
    assert!(words("   ").is_empty());
}
