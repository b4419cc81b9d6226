//! The published archive and its search cache.
//!
//! The store's published letters (`imr ingest` puts them there) are the archive, the one source
//! of truth. The search index is a cache of it in a folder of its own (`--index`; by default
//! beside a SQLite store, `imr.db-corpus` for `imr.db`, and `imr-corpus` for PostgreSQL):
//! `DIR/index` holds the tantivy index, `DIR/imr-corpus-source` the fingerprint of the archive it
//! was filled from. Whoever reads the cache first brings it up to date when the
//! archive has changed since, so `imr ingest` then `imr search` needs no extra step.

use std::path::{Path, PathBuf};

use anyhow::Context;
use imr_corpus::{CorpusIndex, Freshness};
use imr_store::StoreOptions;
use imr_store::published::{PublishedStore, open_published};
use sha2::{Digest, Sha256};

/// Where the search cache of a PostgreSQL store lives when `--index` is not given.
pub const DEFAULT_CACHE: &str = "imr-corpus";
const SOURCE_FILE: &str = "imr-corpus-source";

/// The archive and where its search cache lives: the options every corpus command takes.
#[derive(clap::Args, Debug, Clone)]
pub struct ArchiveArgs {
    /// The store holding the published letters: a SQLite file or postgres://user:password@host/database.
    #[arg(long, env = "IMR_DATABASE_URL", default_value = "imr.db")]
    pub database_url: String,
    /// The folder of the search index, a cache of the store's published letters, rebuilt
    /// whenever they change (default: beside a SQLite store, FILE-corpus; ./imr-corpus for
    /// PostgreSQL).
    #[arg(long = "index")]
    pub index: Option<PathBuf>,
}

impl ArchiveArgs {
    /// The search cache's folder.
    pub fn cache_dir(&self) -> PathBuf {
        if let Some(dir) = &self.index {
            return dir.clone();
        }
        let url = &self.database_url;
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PathBuf::from(DEFAULT_CACHE)
        } else {
            PathBuf::from(format!(
                "{}-corpus",
                url.strip_prefix("sqlite://").unwrap_or(url)
            ))
        }
    }

    pub async fn store(&self) -> anyhow::Result<std::sync::Arc<dyn PublishedStore>> {
        open_published(&self.database_url, StoreOptions::default())
            .await
            .with_context(|| "cannot open the store (--database-url)".to_string())
    }
}

/// What bringing the cache up to date did.
pub enum Refresh {
    /// The cache already reflected the archive.
    Current,
    /// The cache was filled again from the archive: the letters and items it now holds.
    Refilled { letters: u64, items: usize },
}

/// A fingerprint of the archive: every letter id with the hash of the file it was read from.
/// A new, removed or replaced letter changes it.
async fn fingerprint(store: &dyn PublishedStore) -> anyhow::Result<(String, u64)> {
    let mut sources = store.published_sources().await?;
    sources.sort_by(|a, b| a.1.cmp(&b.1));
    let mut hash = Sha256::new();
    for (sha, id) in &sources {
        hash.update(id.as_bytes());
        hash.update(b"\0");
        hash.update(sha.as_bytes());
        hash.update(b"\n");
    }
    Ok((hex::encode(hash.finalize()), sources.len() as u64))
}

/// Brings the cache in `dir` up to date with the archive (or fills it again when `rebuild`),
/// and returns it open.
pub async fn refresh(
    store: &dyn PublishedStore,
    dir: &Path,
    rebuild: bool,
) -> anyhow::Result<(CorpusIndex, Refresh)> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let (index, freshness) = CorpusIndex::open_or_create(&dir.join("index"))?;
    let (print, letters) = fingerprint(store).await?;
    let source_path = dir.join(SOURCE_FILE);
    let cached = std::fs::read_to_string(&source_path).unwrap_or_default();
    if !rebuild && !freshness.needs_fill() && cached.trim() == print {
        return Ok((index, Refresh::Current));
    }
    if let Freshness::Rebuilt { reason } = &freshness {
        eprintln!("imr: rebuilding the search index: {reason}");
    }
    let mut writer = index.writer().with_context(|| {
        format!(
            "{}: the search index is being written by another imr process; try again when it is done",
            dir.display()
        )
    })?;
    writer.clear()?;
    let mut items = 0;
    let mut after: Option<String> = None;
    loop {
        let page = store.published_page(after.as_deref(), 1000).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.letter_id.clone());
        for record in &page {
            items += writer.add(&record.determination)?;
        }
    }
    writer.commit()?;
    // The fingerprint last: a run cut short before it leaves a cache that the next reader
    // fills again.
    let tmp = source_path.with_extension("tmp");
    std::fs::write(&tmp, format!("{print}\n"))
        .and_then(|()| std::fs::rename(&tmp, &source_path))
        .with_context(|| format!("{}: cannot write", source_path.display()))?;
    Ok((index, Refresh::Refilled { letters, items }))
}

/// The cache, up to date, for a command that searches it; an empty archive is an error that
/// says how to fill it.
pub async fn open_for_search(args: &ArchiveArgs) -> anyhow::Result<CorpusIndex> {
    let store = args.store().await?;
    if store.published_count().await? == 0 {
        anyhow::bail!(
            "the store {} holds no published letters yet; add some with `imr ingest PATH... --database-url {}`",
            args.database_url,
            args.database_url
        );
    }
    let dir = args.cache_dir();
    let (index, refresh) = refresh(store.as_ref(), &dir, false).await?;
    if let Refresh::Refilled { letters, items } = refresh {
        eprintln!(
            "imr: search index {} brought up to date from the store: {letters} letter(s), {items} item(s)",
            dir.display()
        );
    }
    Ok(index)
}
