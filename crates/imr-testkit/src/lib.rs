//! What the tests need from outside the repository, and how they say it is missing.
//!
//! Three things are not in the checkout: the published letters (`IMR_LETTERS`), a PostgreSQL
//! server (`IMR_TEST_PG_URL`) and Chromium with chromedriver. A test that needs one of them and
//! does not find it prints a `SKIPPED` line that cargo does not capture, so a local run shows
//! what it did not test; with `IMR_REQUIRE_ALL=1` (CI sets it, since CI has all three) the same
//! test fails instead, so a green CI means every test ran.

use std::io::Write;
use std::path::{Path, PathBuf};

#[cfg(feature = "postgres")]
pub mod postgres;

/// The published letters folder, or `None` after a visible skip. A relative `IMR_LETTERS` is
/// taken from the workspace root, where the README's test command is run (cargo runs each test
/// binary in its own crate's folder).
pub fn letters() -> Option<PathBuf> {
    let Some(value) = std::env::var_os("IMR_LETTERS") else {
        skip("the published letters: IMR_LETTERS is not set");
        return None;
    };
    let path = PathBuf::from(&value);
    let path = if path.is_absolute() {
        path
    } else {
        without_dots(&workspace_root().join(path))
    };
    if path.is_dir() {
        Some(path)
    } else {
        skip(&format!(
            "the published letters: IMR_LETTERS={} is not a folder",
            path.display()
        ));
        None
    }
}

/// The PostgreSQL server's URL from `IMR_TEST_PG_URL`, or `None` after a visible skip.
pub fn postgres_url() -> Option<String> {
    match std::env::var("IMR_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            skip("PostgreSQL: IMR_TEST_PG_URL is not set");
            None
        }
    }
}

/// Whether Chromium and chromedriver are on the PATH; `false` after a visible skip.
pub fn browser() -> bool {
    let missing: Vec<&str> = ["chromium", "chromedriver"]
        .into_iter()
        .filter(|program| !on_path(program))
        .collect();
    if missing.is_empty() {
        return true;
    }
    skip(&format!(
        "a browser: {} not found on the PATH",
        missing.join(" and ")
    ));
    false
}

/// Says, past cargo's output capture, that the running test did not run for want of `what`;
/// fails the test instead when `IMR_REQUIRE_ALL=1`.
pub fn skip(what: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    if std::env::var("IMR_REQUIRE_ALL").as_deref() == Ok("1") {
        panic!("{test} needs {what}, and IMR_REQUIRE_ALL=1 says every test must run here");
    }
    // Written to the stream itself, not through eprintln!, which the test harness captures.
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: needs {what}");
}

fn workspace_root() -> PathBuf {
    without_dots(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// The path with its `.` and `..` parts resolved by name, so that a message names the folder
/// a person would type (it need not exist, so it cannot be canonicalized).
fn without_dots(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
