//! `imr serve --demo` started a second time on the same store prints no passwords (they were
//! shown once), but says how to get new ones; and that advice works.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// Starts `imr serve --demo` on `db` at a free port and returns what it printed before it
/// began serving; then stops it.
fn start_demo(db: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0", "--database-url"])
        .arg(db)
        .env_remove("IMR_DATABASE_URL")
        .env_remove("IMR_ADMIN_PASSWORD")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut printed = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("imr serving on") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        printed.contains("imr serving on"),
        "the server started:\n{printed}"
    );
    printed
}

#[test]
fn a_second_demo_start_names_imr_user_passwd() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("imr.db");
    let first = start_demo(&db);
    assert!(
        first.contains("Demo users, one-time passwords") && first.contains("clerk"),
        "{first}"
    );
    let second = start_demo(&db);
    assert!(
        !second.contains("one-time password:") && !second.contains("Demo users"),
        "no password is printed again:\n{second}"
    );
    assert!(
        second.contains("imr user passwd NAME"),
        "the restart says how to get a password:\n{second}"
    );
    let reset = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["user", "passwd", "clerk", "--database-url"])
        .arg(&db)
        .env_remove("IMR_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        reset.status.success(),
        "the hint's command works: {}",
        String::from_utf8_lossy(&reset.stderr)
    );
}
