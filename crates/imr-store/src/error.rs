//! The store's errors: each says what was wrong with what.

use imr_case::CaseNumber;
use jiff::civil::DateTime;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no {what} {key}")]
    NotFound { what: &'static str, key: String },
    #[error("{what} {key} already exists")]
    Duplicate { what: &'static str, key: String },
    #[error("case {case} would be a second open case for the same dispute")]
    OpenDuplicate { case: CaseNumber },
    #[error("case {case} was changed by someone else (expected version {expected}); try again")]
    VersionConflict { case: CaseNumber, expected: i64 },
    #[error(
        "the document is larger than the limit of {} ({detail}); nothing was stored \
         (the limit is a setting: --max-document-bytes)",
        imr_core::text::binary_size(*limit)
    )]
    DocumentTooLarge { detail: String, limit: u64 },
    #[error("case {case} is {status}: its sign form is no longer kept as a draft")]
    NoDraft { case: CaseNumber, status: String },
    #[error("the document is empty (0 bytes); nothing was stored")]
    EmptyDocument,
    #[error("the store already holds data; import only restores into an empty store")]
    NotEmpty,
    #[error("stored {what} {key} is damaged: {detail}")]
    Corrupt {
        what: &'static str,
        key: String,
        detail: String,
    },
    #[error("bad export data at record {record}: {detail}")]
    BadImport { record: u64, detail: String },
    #[error(transparent)]
    Refused(#[from] imr_case::Refusal),
    #[error("case number sequence: {0}")]
    CaseNumber(#[from] imr_case::case_number::CaseNumberError),
    #[error("reading the document: {0}")]
    Io(#[from] std::io::Error),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

/// A time read back from a column, or why the stored `what` named `key` is damaged.
pub(crate) fn parse_time(
    what: &'static str,
    key: &str,
    text: &str,
) -> Result<DateTime, StoreError> {
    text.parse::<DateTime>().map_err(|e| StoreError::Corrupt {
        what,
        key: key.to_string(),
        detail: format!("time {text:?}: {e}"),
    })
}

/// A case number read back from a column, or why it is damaged.
pub(crate) fn parse_number(text: &str) -> Result<CaseNumber, StoreError> {
    CaseNumber::parse(text).map_err(|e| StoreError::Corrupt {
        what: "case number",
        key: text.to_string(),
        detail: e.to_string(),
    })
}
