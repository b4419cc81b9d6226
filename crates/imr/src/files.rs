//! Finding the files a command reads, and reading many of them on every core.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;

/// The extensions a letter or record may have when a folder is searched.
const LETTER_EXTENSIONS: &[&str] = &["pdf", "txt"];

/// The files named, and every .pdf and .txt below the folders named, in a stable order. A file
/// named explicitly is taken whatever its extension.
pub fn letter_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
        if metadata.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list folder", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("{}: cannot list folder", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| LETTER_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            found.push(path);
        }
    }
    Ok(())
}

/// `work` on every item on every core (rayon's pool), the results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    items.par_iter().map(work).collect()
}
