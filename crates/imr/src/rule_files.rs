//! The rules a command applies: the built-in guidelines, or the rule files of a folder
//! (`--guidelines DIR`), for every command that proposes or checks.

use std::path::{Path, PathBuf};

use anyhow::Context;
use imr_rules::guidelines::{Guidelines, load_files};

/// The built-in rules, or those of `dir`; a bad rule file is refused with file, line and reason.
pub fn load_guidelines(dir: Option<&Path>) -> anyhow::Result<Guidelines> {
    let Some(dir) = dir else {
        return Ok(Guidelines::embedded()?);
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list the guidelines folder", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        anyhow::bail!(
            "{}: no rule files (*.toml) in the guidelines folder",
            dir.display()
        );
    }
    let mut texts = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        texts.push((path.display().to_string(), text));
    }
    Ok(load_files(
        texts.iter().map(|(n, t)| (n.as_str(), t.as_str())),
    )?)
}
