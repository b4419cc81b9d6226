//! What the letter benches (imr-letter's and imr-redact's) read: the published letters under
//! IMR_LETTERS (seeds and dev text copies), or else the project's fictional example letter.

use std::path::{Path, PathBuf};

/// The texts of the letters, in a stable order.
pub fn letter_texts() -> Vec<String> {
    let mut paths: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("IMR_LETTERS") {
        for sub in ["seeds", "dev/txt"] {
            if let Ok(entries) = std::fs::read_dir(Path::new(&dir).join(sub)) {
                paths.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
            }
        }
    }
    if paths.is_empty() {
        paths.push(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../examples/letters/fictional-letter.txt"),
        );
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}
