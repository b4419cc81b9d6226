//! What a test needs from outside the checkout, and whether this machine has it.
//!
//! Read twice: by the tests when they run (`imr_testkit::letters()` and the others), and by
//! `#[imr_testkit::needs(...)]` when a test is built, which compiles this same file (see
//! `crates/imr-testkit-macros`), so the two never disagree on what "missing" means.

use std::path::{Path, PathBuf};

/// Something a test needs that the repository does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The published letters, in the folder `IMR_LETTERS` names.
    Letters,
    /// A PostgreSQL server, at `IMR_TEST_PG_URL`.
    Postgres,
    /// Chromium and chromedriver, on the `PATH`.
    Browser,
}

impl Need {
    /// The need a `#[needs(...)]` argument names.
    pub fn named(name: &str) -> Option<Need> {
        match name {
            "letters" => Some(Need::Letters),
            "postgres" => Some(Need::Postgres),
            "browser" => Some(Need::Browser),
            _ => None,
        }
    }

    /// The environment variables whose values decide whether it is here.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            Need::Letters => &["IMR_LETTERS"],
            Need::Postgres => &["IMR_TEST_PG_URL"],
            Need::Browser => &["PATH"],
        }
    }

    /// Why it is missing here (what a test that needs it says instead of running), or `None`
    /// when it is here.
    pub fn missing(self) -> Option<String> {
        match self {
            Need::Letters => letters_folder().err(),
            Need::Postgres => postgres_url().err(),
            Need::Browser => browser_programs().err(),
        }
    }
}

/// Whether `IMR_REQUIRE_ALL=1`: every test must run, none is left out for a missing need.
pub fn require_all() -> bool {
    std::env::var("IMR_REQUIRE_ALL").as_deref() == Ok("1")
}

/// The published letters folder. A relative `IMR_LETTERS` is taken from the workspace root,
/// where the README's test command is run (cargo runs each test binary in its own crate's
/// folder).
pub fn letters_folder() -> Result<PathBuf, String> {
    let Some(value) = std::env::var_os("IMR_LETTERS") else {
        return Err("the published letters: set IMR_LETTERS to their folder".into());
    };
    let path = PathBuf::from(&value);
    let path = if path.is_absolute() {
        path
    } else {
        without_dots(&workspace_root().join(path))
    };
    if path.is_dir() {
        Ok(path)
    } else {
        Err(format!(
            "the published letters: IMR_LETTERS={} is not a folder",
            path.display()
        ))
    }
}

/// The PostgreSQL server's URL from `IMR_TEST_PG_URL`.
pub fn postgres_url() -> Result<String, String> {
    match std::env::var("IMR_TEST_PG_URL") {
        Ok(url) if !url.trim().is_empty() => Ok(url),
        _ => Err("PostgreSQL: set IMR_TEST_PG_URL (`source .ci/postgres` starts one)".into()),
    }
}

/// Chromium and chromedriver, both on the PATH.
pub fn browser_programs() -> Result<(), String> {
    let missing: Vec<&str> = ["chromium", "chromedriver"]
        .into_iter()
        .filter(|program| !on_path(program))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "a browser: {} not found on the PATH",
            missing.join(" and ")
        ))
    }
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
