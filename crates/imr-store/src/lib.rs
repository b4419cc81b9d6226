//! `imr-store`: where cases live. One [`Store`] trait, two backends: SQLite (a file, the
//! default, nothing to install) and PostgreSQL (for several users and server instances), both
//! one generic `SqlStore<DB>` (`backend.rs`). Each backend owns its SQL migrations and applies
//! them through `sqlx::migrate!` when it opens, refusing a migration changed since it was applied
//! (`migrations.rs`). One conformance suite (`tests/conformance.rs`) runs every method against
//! both.
//!
//! The store is shared as `Arc<dyn Store>` (the trait is object safe through `async-trait`), so
//! the command line and the HTTP server hold the same handle whatever the backend.
//!
//! Invariants: every write is one transaction, committed whole or not at all, and writes its
//! audit entry in the same transaction. Case updates are compare-and-set on a version number,
//! so concurrent writers never lose each other's steps ([`transition`] retries). Documents are
//! kept byte for byte with their SHA-256, which is checked again when they are read.

pub mod accounts;
mod backend;
mod error;
pub mod export;
mod migrations;
mod postgres;
pub mod published;
pub mod queue;
mod sqlite;

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use imr_case::{Action, AuditEntry, Case, CaseNumber, ClockRules, Refusal, Reviewer};
use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncRead;

pub use error::StoreError;
pub use export::ExportRecord;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// The default largest document accepted: 64 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// A value with the version it was read at; pass the version back to update it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// A document about to be stored.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub case_number: CaseNumber,
    /// What it is: "application", "ur decision", "medical records", ...
    pub kind: String,
    pub filename: Option<String>,
    pub media_type: String,
    pub received_at: DateTime,
    /// The size announced before reading (a file's length); checked against the limit before a
    /// byte is read.
    pub declared_size: Option<u64>,
    /// Who stored it, for the audit log.
    pub actor: String,
}

/// A stored document, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub case_number: CaseNumber,
    pub kind: String,
    pub filename: Option<String>,
    pub media_type: String,
    pub received_at: DateTime,
    pub size: u64,
    /// Lower-case hex.
    pub sha256: String,
}

/// A reviewer's sign form as they left it, kept until the case is signed (migration 0008).
/// A draft is never signed by itself: it only fills the form again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignDraft {
    /// The form's fields, URL-encoded as a browser sends them.
    pub form: String,
    pub saved_at: DateTime,
}

/// What became of a draft given to [`Store::save_draft`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftSaved {
    /// The user had no draft of the case: this one is their first (and was audited).
    Started,
    /// It replaced the user's earlier draft of the case.
    Replaced,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Settings common to both backends.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Documents larger than this are refused, before they are read whole.
    pub max_document_bytes: u64,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// Something that writes export records (a JSON-lines file, a test's vector).
pub type ExportSink<'a> = dyn FnMut(ExportRecord) -> Result<(), StoreError> + Send + 'a;
/// Something that yields export records to import.
pub type ImportSource<'a> = dyn Iterator<Item = Result<ExportRecord, StoreError>> + Send + 'a;

/// The case store. Every method is one transaction.
#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// Takes the next case number from the store's sequence. A number taken is never given
    /// again, even if the case it was taken for is never saved.
    async fn allocate_case_number(&self, year: i16) -> Result<CaseNumber, StoreError>;

    /// Saves a new case (version 1) with the audit entry that opened it.
    async fn insert_case(&self, case: &Case, entry: &AuditEntry) -> Result<(), StoreError>;

    /// Saves a new case and the document it arrived as (the application), in one
    /// transaction: both or neither.
    async fn insert_case_with_document(
        &self,
        case: &Case,
        entry: &AuditEntry,
        document: NewDocument,
        source: &mut (dyn AsyncRead + Unpin + Send),
    ) -> Result<DocumentInfo, StoreError>;

    async fn load_case(&self, number: &CaseNumber) -> Result<Option<Versioned<Case>>, StoreError>;

    /// Replaces a case if it is still at `expected_version`, with its audit entry; returns the
    /// new version, or [`StoreError::VersionConflict`] if someone else updated it first. A case
    /// written with a determination keeps no sign drafts: they are deleted in the same
    /// transaction.
    async fn update_case(
        &self,
        case: &Case,
        expected_version: i64,
        entry: &AuditEntry,
    ) -> Result<i64, StoreError>;

    /// Stores a document received as records for a case and records it in the case's
    /// workflow (`Action::ReceiveRecords`), in one transaction: the document, the case's new
    /// state and both audit entries, or nothing. A step the workflow refuses is refused before
    /// the document is read.
    async fn receive_records(
        &self,
        document: NewDocument,
        source: &mut (dyn AsyncRead + Unpin + Send),
        complete: bool,
        rules: &ClockRules,
    ) -> Result<(Case, DocumentInfo), StoreError>;

    /// All cases, or the open ones only (not ineligible, no letter issued yet), by number.
    async fn list_cases(&self, open_only: bool) -> Result<Vec<Case>, StoreError>;

    /// A page of the queue: the cases a viewer may see that match, by due date, counted and
    /// paged by the database from the queue's columns (no case is decoded).
    async fn queue(&self, query: &queue::QueueQuery) -> Result<queue::QueueSlice, StoreError>;

    /// The open cases with this duplicate key (see `eligibility::duplicate_key`).
    async fn open_duplicates(&self, key: &str) -> Result<Vec<CaseNumber>, StoreError>;

    /// Adds a reviewer; [`StoreError::Duplicate`] if the identifier is taken.
    async fn add_reviewer(&self, reviewer: &Reviewer, entry: &AuditEntry)
    -> Result<(), StoreError>;

    async fn reviewer(&self, id: &str) -> Result<Option<Reviewer>, StoreError>;

    async fn reviewers(&self) -> Result<Vec<Reviewer>, StoreError>;

    /// Open cases awaiting each reviewer.
    async fn reviewer_loads(&self) -> Result<BTreeMap<String, u32>, StoreError>;

    /// Stores a document read from `source`, byte for byte, with its SHA-256. Refuses an empty
    /// document and one larger than the limit (announced or found while reading); a refused or
    /// interrupted document leaves nothing behind.
    async fn store_document(
        &self,
        document: NewDocument,
        source: &mut (dyn AsyncRead + Unpin + Send),
    ) -> Result<DocumentInfo, StoreError>;

    async fn document(&self, id: i64) -> Result<Option<DocumentInfo>, StoreError>;

    async fn documents(&self, case: &CaseNumber) -> Result<Vec<DocumentInfo>, StoreError>;

    /// A document's bytes; [`StoreError::Corrupt`] if they no longer match the hash.
    async fn read_document(&self, id: i64) -> Result<Vec<u8>, StoreError>;

    /// Marks a document its text could not be read from, with why (words that never quote the
    /// document), so it is not read again on every view. The first reason is kept.
    async fn mark_unreadable(&self, id: i64, reason: &str, at: DateTime) -> Result<(), StoreError>;

    /// The documents of a case marked unreadable: (document id, why), by id.
    async fn unreadable_documents(
        &self,
        case: &CaseNumber,
    ) -> Result<Vec<(i64, String)>, StoreError>;

    /// Keeps `user_id`'s sign form for a case, replacing their earlier draft of it. The first
    /// draft of a user for a case is written with `entry` in the audit log, in the same
    /// transaction; later ones replace it quietly (a form is saved every few seconds while it
    /// is typed). A case that is determined, issued or ineligible takes no draft
    /// ([`StoreError::NoDraft`]): the case row is read locked, so a draft can never arrive after
    /// the signature that deletes the drafts (see [`Store::update_case`]).
    async fn save_draft(
        &self,
        case: &CaseNumber,
        user_id: i64,
        draft: &SignDraft,
        entry: &AuditEntry,
    ) -> Result<DraftSaved, StoreError>;

    /// `user_id`'s draft of the case's sign form, if they have one.
    async fn draft(&self, case: &CaseNumber, user_id: i64)
    -> Result<Option<SignDraft>, StoreError>;

    /// Records an event that changes nothing (a case viewed, a letter printed).
    async fn record_audit(
        &self,
        case: Option<&CaseNumber>,
        entry: &AuditEntry,
    ) -> Result<(), StoreError>;

    /// A case's audit log, oldest first.
    async fn audit_log(&self, case: &CaseNumber) -> Result<Vec<AuditEntry>, StoreError>;

    /// Writes everything, in an order [`Store::import`] can restore.
    async fn export(&self, sink: &mut ExportSink<'_>) -> Result<(), StoreError>;

    /// Restores an export into an empty store, exactly: the same numbers, identifiers,
    /// versions and sequence. All or nothing.
    async fn import(&self, source: &mut ImportSource<'_>) -> Result<u64, StoreError>;
}

/// Opens the store a URL names: `postgres://...` or `postgresql://...` for PostgreSQL,
/// `sqlite://PATH` or a plain path for a SQLite file (created if missing).
pub async fn open(url: &str, options: StoreOptions) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url, options).await?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Arc::new(SqliteStore::open(path.as_ref(), options).await?))
    }
}

/// Why a workflow step did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    #[error("no case {0}")]
    NoSuchCase(CaseNumber),
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How often [`transition`] retries when another writer updated the case first.
const TRANSITION_ATTEMPTS: usize = 64;

/// Applies one workflow step to a stored case: load, apply the rule, save with its audit
/// entry; if another writer got there first, start again from the new state. `action` builds
/// the step from the current case (so a retry decides afresh).
pub async fn transition(
    store: &dyn Store,
    number: &CaseNumber,
    at: DateTime,
    actor: &str,
    rules: &ClockRules,
    action: &(dyn Fn(&Case) -> Action + Send + Sync),
) -> Result<Case, TransitionError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let Some(current) = store.load_case(number).await? else {
            return Err(TransitionError::NoSuchCase(number.clone()));
        };
        let (next, entry) = current
            .value
            .apply(action(&current.value), at, actor, rules)?;
        match store.update_case(&next, current.version, &entry).await {
            Ok(_) => return Ok(next),
            Err(StoreError::VersionConflict { .. }) if attempt < TRANSITION_ATTEMPTS => {
                // Back off a little, more each time, so that many writers spread out.
                let pause = std::time::Duration::from_millis((attempt as u64).min(20) * 2);
                tokio::time::sleep(pause).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Opens a case for an application: takes a case number, decides eligibility against the open
/// cases and saves it with its audit entry.
pub async fn open_case(
    store: &dyn Store,
    application: imr_case::Application,
    received_at: DateTime,
    actor: &str,
) -> Result<Case, StoreError> {
    Ok(open_case_with(store, application, received_at, actor, None)
        .await?
        .0)
}

/// The file an application arrived as, kept byte for byte with its case.
pub struct ReceivedFile<'a> {
    pub filename: Option<String>,
    pub media_type: String,
    pub bytes: &'a [u8],
}

/// [`open_case`], saving the application's file in the same transaction as the case.
pub async fn open_case_with(
    store: &dyn Store,
    application: imr_case::Application,
    received_at: DateTime,
    actor: &str,
    file: Option<ReceivedFile<'_>>,
) -> Result<(Case, Option<DocumentInfo>), StoreError> {
    let number = store.allocate_case_number(received_at.year()).await?;
    let key = imr_case::eligibility::duplicate_key(&application);
    // If an open duplicate is saved between the look-up and the insert, the insert is refused
    // (a unique index) and the case is decided again: it is then the duplicate.
    for _ in 0..3 {
        let open: Vec<(CaseNumber, String)> = store
            .open_duplicates(&key)
            .await?
            .into_iter()
            .map(|n| (n, key.clone()))
            .collect();
        let (case, entry) = Case::open(
            number.clone(),
            application.clone(),
            received_at,
            &open,
            actor,
        );
        let saved = match &file {
            None => store.insert_case(&case, &entry).await.map(|()| None),
            Some(f) => {
                let document = NewDocument {
                    case_number: case.number.clone(),
                    kind: "application".into(),
                    filename: f.filename.clone(),
                    media_type: f.media_type.clone(),
                    received_at,
                    declared_size: Some(f.bytes.len() as u64),
                    actor: actor.to_string(),
                };
                let mut reader: &[u8] = f.bytes;
                store
                    .insert_case_with_document(&case, &entry, document, &mut reader)
                    .await
                    .map(Some)
            }
        };
        match saved {
            Err(StoreError::OpenDuplicate { .. }) => continue,
            Err(e) => return Err(e),
            Ok(doc) => return Ok((case, doc)),
        }
    }
    Err(StoreError::OpenDuplicate { case: number })
}
