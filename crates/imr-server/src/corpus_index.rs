//! The published decisions' search index as the server holds it (`imr serve --corpus DIR`),
//! read-only, or why there is none; and the archive of the letters themselves.

use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use imr_corpus::{CorpusIndex, SCHEMA_VERSION};
use imr_store::published::PublishedStore;

use crate::error::{ApiError, ApiResult};

/// The corpus index the server reads, or why there is none; and the archive of the published
/// letters themselves (the store's `published` table), which the index is a cache of.
#[derive(Clone)]
pub struct CorpusState {
    pub index: Result<Arc<CorpusIndex>, String>,
    /// The published letters, whole: a decision's page reads its letter here.
    pub archive: Option<Arc<dyn PublishedStore>>,
}

impl Default for CorpusState {
    fn default() -> Self {
        CorpusState {
            index: Err(
                "the server was started without the published decisions; read letters into the store with `imr ingest PATH...` and start the server with `--corpus DIR` (the folder of their search index)"
                    .to_string(),
            ),
            archive: None,
        }
    }
}

impl CorpusState {
    /// Opens the index below the corpus directory `dir` for reading. A missing index, or one of
    /// another schema version, is left as it is (the server never rebuilds it) and reported.
    pub fn open(dir: &Path) -> CorpusState {
        let index_dir = dir.join("index");
        let build = format!(
            "read letters into the store with `imr ingest PATH... --index {}`, or rebuild it with `imr index --index {}`",
            dir.display(),
            dir.display()
        );
        let version = std::fs::read_to_string(index_dir.join("imr-corpus-schema")).ok();
        let index = if !index_dir.join("meta.json").is_file() {
            Err(format!("{}: no corpus index there; {build}", dir.display()))
        } else if version.as_deref().map(str::trim) != Some(SCHEMA_VERSION) {
            Err(format!(
                "{}: the corpus index is of another version; rebuild it with `imr index --index {}`",
                dir.display(),
                dir.display()
            ))
        } else {
            CorpusIndex::open_or_create(&index_dir)
                .map(|(index, _)| Arc::new(index))
                .map_err(|e| format!("{e}"))
        };
        CorpusState {
            index,
            archive: None,
        }
    }

    /// An index already open (tests, the demo).
    pub fn from_index(index: CorpusIndex) -> CorpusState {
        CorpusState {
            index: Ok(Arc::new(index)),
            archive: None,
        }
    }

    pub fn get(&self) -> ApiResult<Arc<CorpusIndex>> {
        self.index
            .clone()
            .map_err(|why| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, why))
    }
}
