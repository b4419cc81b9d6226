//! `imr-corpus`: the published decision archive as a tool.
//!
//! - [`index`]: a tantivy index with one document per published disputed item (a cache of the
//!   records, rebuilt when its schema version changes);
//! - [`search`]: words and filters, with snippets whose matched words are marked;
//! - [`precedents`]: for each disputed item of a case, the most similar published decisions, and
//!   a leave-one-out check of how often their majority agrees with the published outcome;
//! - [`stats`]: outcome rates by service, guideline, reviewer specialty and month;
//! - [`synth`]: fictional letters in the published layout, for scale tests.
//!
//! Architecture invariant: nothing here logs clinical text; errors name paths, fields and
//! queries, never a letter's content.

pub mod index;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod precedents;
pub mod record;
pub mod search;
pub mod stats;
pub mod synth;
pub mod tokenize;

use std::path::{Path, PathBuf};

pub use index::{CorpusIndex, CorpusWriter, Freshness, SCHEMA_VERSION};

pub use precedents::{ItemPrecedents, LeaveOneOut, Precedent, leave_one_out, majority};
pub use record::{ItemRecord, item_records, letter_id};
pub use search::{Filters, SearchHit, SearchQuery, SearchResults, Snippet, search_terms};
pub use stats::{OutcomeRow, OutcomeStats};

/// What can go wrong with the corpus.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("the query \"{query}\" cannot be read: {message}")]
    Query { query: String, message: String },
    #[error("filter {filter}: {message}")]
    Filter { filter: String, message: String },
    #[error("search index schema: {message}")]
    Schema { message: String },
    #[error(
        "{path}: the directory is not empty and is not a search index; refusing to use it (choose an empty or new directory)"
    )]
    NotAnIndex { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CorpusError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> CorpusError {
        CorpusError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
