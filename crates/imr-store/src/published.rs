//! The published decision archive: Final Determination Letters read from the published
//! corpus, one record per letter.
//!
//! A letter's key is its letter id: the case number, or for a letter published without one a
//! content id (computed by the caller, `imr_corpus::letter_id`), so the PDF and the text copy of
//! one letter are one record. Storing is idempotent: the same determination again changes
//! nothing ([`Stored::Unchanged`], whatever file it came from); a different determination under
//! the same letter id replaces the record ([`Stored::Replaced`]: a corrected letter, or a better
//! reading of it, wins). A batch is one transaction, so a killed run leaves whole letters only.
//! [`PublishedStore`] is implemented once below, generic over the database (see `backend.rs`).

use std::sync::Arc;

use async_trait::async_trait;
use imr_core::Determination;

use crate::{PostgresStore, SqliteStore, StoreError, StoreOptions};

/// A published letter about to be stored.
#[derive(Debug, Clone)]
pub struct NewPublished {
    /// The case number, or a content id for a letter without one.
    pub letter_id: String,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub source_sha256: String,
    /// Where it was read from (kept beside the determination, not in it).
    pub source_path: String,
    pub determination: Determination,
    /// Unix seconds.
    pub ingested_at: i64,
}

/// A stored published letter.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRecord {
    pub letter_id: String,
    pub source_sha256: String,
    pub source_path: String,
    /// As stored: its `source` is the record's `source_path`.
    pub determination: Determination,
    pub decision_date: Option<jiff::civil::Date>,
    pub items: u32,
    pub ingested_at: i64,
}

/// What storing one letter did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stored {
    New,
    /// The same determination was already stored under this letter id.
    Unchanged,
    /// Another determination was stored under this letter id; this one replaced it.
    Replaced,
}

#[async_trait]
pub trait PublishedStore: Send + Sync {
    /// Stores the letters in one transaction (all of them or none), in order; returns what
    /// became of each.
    async fn store_published(&self, letters: &[NewPublished]) -> Result<Vec<Stored>, StoreError>;

    async fn published(&self, letter_id: &str) -> Result<Option<PublishedRecord>, StoreError>;

    async fn published_count(&self) -> Result<u64, StoreError>;

    /// Up to `limit` records by letter id, after `after` (from the start when None): page
    /// through the archive without holding it all.
    async fn published_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<PublishedRecord>, StoreError>;

    /// (source SHA-256, letter id) of every record: the files already stored.
    async fn published_sources(&self) -> Result<Vec<(String, String)>, StoreError>;
}

/// Opens the store a URL names (as [`crate::open`]) as a published-letter store.
pub async fn open_published(
    url: &str,
    options: StoreOptions,
) -> Result<Arc<dyn PublishedStore>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url, options).await?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        Ok(Arc::new(SqliteStore::open(path.as_ref(), options).await?))
    }
}

/// The determination as stored: without where it was read from, so the same letter read from
/// two files is the same text.
pub(crate) fn determination_json(determination: &Determination) -> Result<String, StoreError> {
    let mut content = determination.clone();
    content.source = None;
    serde_json::to_string(&content)
        .map_err(|e| StoreError::Other(format!("cannot write a determination as JSON: {e}")))
}

/// A record row: letter id, source hash, path, determination JSON, date, items, ingested at.
pub(crate) type PublishedRow = (String, String, String, String, Option<String>, i64, i64);

pub(crate) const PUBLISHED_COLUMNS: &str = "letter_id, source_sha256, source_path, determination, \
     decision_date, items, ingested_at";

pub(crate) fn record_of(row: PublishedRow) -> Result<PublishedRecord, StoreError> {
    let (letter_id, source_sha256, source_path, json, date, items, ingested_at) = row;
    let corrupt = |detail: String| StoreError::Corrupt {
        what: "published letter",
        key: letter_id.clone(),
        detail,
    };
    let mut determination: Determination =
        serde_json::from_str(&json).map_err(|e| corrupt(format!("determination: {e}")))?;
    determination.source = Some(source_path.clone());
    let decision_date = date
        .map(|d| d.parse::<jiff::civil::Date>())
        .transpose()
        .map_err(|e| corrupt(format!("decision date: {e}")))?;
    Ok(PublishedRecord {
        letter_id,
        source_sha256,
        source_path,
        determination,
        decision_date,
        items: u32::try_from(items).unwrap_or(u32::MAX),
        ingested_at,
    })
}
crate::backend::sql_impl! {
#[async_trait::async_trait]
impl crate::published::PublishedStore for SqlStore {
    async fn store_published(
        &self,
        letters: &[crate::published::NewPublished],
    ) -> Result<Vec<crate::published::Stored>, crate::StoreError> {
        use crate::published::Stored;
        // Serialise before the transaction: nothing slow while holding the write lock.
        let mut rows = Vec::with_capacity(letters.len());
        for letter in letters {
            rows.push((
                letter,
                crate::published::determination_json(&letter.determination)?,
            ));
        }
        let mut tx = self.begin_write().await?;
        let mut outcomes = Vec::with_capacity(rows.len());
        for (letter, json) in rows {
            let old: Option<(String,)> =
                sqlx::query_as("SELECT determination FROM published_letters WHERE letter_id = $1")
                    .bind(letter.letter_id.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
            let outcome = match old {
                Some((old,)) if old == json => {
                    outcomes.push(Stored::Unchanged);
                    continue;
                }
                Some(_) => Stored::Replaced,
                None => Stored::New,
            };
            let date = letter.determination.decision_date.map(|d| d.to_string());
            let items = i64::try_from(letter.determination.items.len()).unwrap_or(i64::MAX);
            let sql = if outcome == Stored::New {
                "INSERT INTO published_letters \
                 (letter_id, source_sha256, source_path, determination, decision_date, items, ingested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            } else {
                "UPDATE published_letters SET source_sha256 = $2, source_path = $3, \
                 determination = $4, decision_date = $5, items = $6, ingested_at = $7 \
                 WHERE letter_id = $1"
            };
            sqlx::query(sql)
                .bind(letter.letter_id.clone())
                .bind(letter.source_sha256.clone())
                .bind(letter.source_path.clone())
                .bind(json)
                .bind(date)
                .bind(items)
                .bind(letter.ingested_at)
                .execute(&mut *tx)
                .await?;
            outcomes.push(outcome);
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn published(
        &self,
        letter_id: &str,
    ) -> Result<Option<crate::published::PublishedRecord>, crate::StoreError> {
        let sql = format!(
            "SELECT {} FROM published_letters WHERE letter_id = $1",
            crate::published::PUBLISHED_COLUMNS
        );
        let row: Option<crate::published::PublishedRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(letter_id.to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        row.map(crate::published::record_of).transpose()
    }

    async fn published_count(&self) -> Result<u64, crate::StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM published_letters")
            .fetch_one(self.read_pool())
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn published_page(
        &self,
        after: Option<&str>,
        limit: u32,
    ) -> Result<Vec<crate::published::PublishedRecord>, crate::StoreError> {
        let sql = format!(
            "SELECT {} FROM published_letters WHERE letter_id > $1 ORDER BY letter_id LIMIT $2",
            crate::published::PUBLISHED_COLUMNS
        );
        let rows: Vec<crate::published::PublishedRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(after.unwrap_or("").to_owned())
            .bind(i64::from(limit))
            .fetch_all(self.read_pool())
            .await?;
        rows.into_iter().map(crate::published::record_of).collect()
    }

    async fn published_sources(&self) -> Result<Vec<(String, String)>, crate::StoreError> {
        Ok(sqlx::query_as(
            "SELECT source_sha256, letter_id FROM published_letters ORDER BY letter_id",
        )
        .fetch_all(self.read_pool())
        .await?)
    }
}
}
