//! docs/configuration.md must name every flag of `imr serve` and every environment variable
//! `imr` or its tests read: these tests walk clap's commands and the sources, and name what the
//! page lacks. They live in the binary because the command-line structs do.

use std::path::{Path, PathBuf};

use clap::CommandFactory;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn page() -> String {
    let path = workspace().join("docs/configuration.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether `doc` names `word` whole, not only as the start of a longer flag or variable.
fn names(doc: &str, word: &str) -> bool {
    doc.match_indices(word).any(|(at, _)| {
        let next = doc[at + word.len()..].chars().next();
        !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// Fails naming each of `wanted` (the `what` of them) that the page does not name.
fn assert_documented(what: &str, wanted: Vec<String>) {
    let doc = page();
    let mut missing: Vec<String> = wanted.into_iter().filter(|w| !names(&doc, w)).collect();
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "docs/configuration.md does not name these {what}: {missing:?}"
    );
}

/// The environment variables of a command and of all its subcommands.
fn env_names(command: &clap::Command, out: &mut Vec<String>) {
    for arg in command.get_arguments() {
        if let Some(name) = arg.get_env() {
            out.push(name.to_string_lossy().into_owned());
        }
    }
    for sub in command.get_subcommands() {
        env_names(sub, out);
    }
}

/// Every `IMR_*` name in the Rust and shell sources under `dir`.
fn source_variables(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            source_variables(&path, out);
            continue;
        }
        let source = path.extension().is_some_and(|e| e == "rs" || e == "sh")
            || path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|n| n == ".ci");
        if !source {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (at, _) in text.match_indices("IMR_") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if name.len() > "IMR_".len() {
                out.push(name);
            }
        }
    }
}

#[test]
fn every_serve_flag_is_in_the_configuration_page() {
    let cli = super::Cli::command();
    let serve = cli.find_subcommand("serve").expect("imr serve");
    let flags: Vec<String> = serve
        .get_arguments()
        .filter_map(|a| a.get_long().map(|long| format!("--{long}")))
        .collect();
    assert!(flags.len() >= 10, "imr serve has its flags: {flags:?}");
    assert_documented("flags of imr serve", flags);
}

#[test]
fn every_environment_variable_is_in_the_configuration_page() {
    let mut wanted = Vec::new();
    env_names(&super::Cli::command(), &mut wanted);
    assert!(
        wanted.iter().any(|v| v == "IMR_DATABASE_URL"),
        "clap's env names are found: {wanted:?}"
    );
    let root = workspace();
    source_variables(&root.join("crates"), &mut wanted);
    source_variables(&root.join(".ci"), &mut wanted);
    assert!(
        wanted.iter().any(|v| v == "IMR_ADMIN_PASSWORD"),
        "the sources' names are found: {wanted:?}"
    );
    assert_documented("environment variables", wanted);
}

#[test]
fn a_name_counts_only_whole() {
    // Not an `IMR_` name here: the scan of the sources would find it.
    let doc = "`--max-connections N` and `THE_LETTERS_X`";
    assert!(names(doc, "--max-connections"));
    assert!(!names(doc, "--max"));
    assert!(!names(doc, "THE_LETTERS"));
}
