//! The store's SQL, written once as ordinary generic code over the two backends.
//!
//! [`SqlStore<DB>`] holds the connection pools; `impl Store`, `impl AccountStore` (in
//! `accounts.rs`) and `impl PublishedStore` (in `published.rs`) are each written once, generic
//! over the `sqlx::Database` it runs on, and [`crate::SqliteStore`] and [`crate::PostgresStore`]
//! are that type for SQLite and for PostgreSQL.
//!
//! Why this shape (and not `sqlx::Any`, nor one generic function per method behind thin
//! per-backend impls): the SQL is already portable (`$N` parameters, `RETURNING`,
//! `ON CONFLICT`, 64-bit integers, text and bytes), so what differs is a handful of statements
//! and constants, gathered in the small [`Dialect`] trait (how a write transaction begins, row
//! locking, the export snapshot, identity sequences after an import, rows affected). `Any`
//! would lose the typed connect options (WAL, synchronous FULL, busy timeout), and convert every
//! argument and row through its own value type; per-backend impls would repeat 40 signatures
//! twice. The price is one `where` clause (the executor and the value types the SQL binds and
//! reads), which Rust does not imply from a trait: `sql_impl!` writes it on every generic impl.

use imr_case::AuditEntry;
use sqlx::{Database, Pool, Transaction};
use tokio::io::{AsyncRead, AsyncReadExt};

use crate::error::{parse_number, parse_time};
use crate::{Backend, DocumentInfo, StoreError, StoreOptions};

/// What differs between the backends, beyond their connection setup (`sqlite.rs`,
/// `postgres.rs`).
pub trait Dialect: Database {
    const BACKEND: Backend;
    /// Begins a write transaction (SQLite takes the write lock at once).
    const BEGIN_WRITE: &'static str;
    /// Reads a case's version and body, locking it until the transaction ends.
    const LOAD_CASE_FOR_UPDATE: &'static str;
    /// Reads a case's status, keeping it from changing until the transaction ends.
    const CASE_STATUS_FOR_SHARE: &'static str;
    /// Begins the read transaction an export runs in: one snapshot.
    const SNAPSHOT_BEGIN: &'static str;
    /// Run at the end of an import, after explicit ids were inserted ("" for nothing).
    const AFTER_IMPORT: &'static str;
    /// How many rows an UPDATE or DELETE changed.
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// A store on one database: a pool for reads and one for writes (the same pool on
/// PostgreSQL; on SQLite a pool of one connection, so that writers queue in the process).
pub struct SqlStore<DB: Database> {
    pub(crate) read: Pool<DB>,
    pub(crate) write: Pool<DB>,
    pub(crate) options: StoreOptions,
}

impl<DB: Dialect> SqlStore<DB> {
    /// A write transaction, begun as the backend begins one.
    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, DB>, StoreError> {
        Ok(self.write.begin_with(DB::BEGIN_WRITE).await?)
    }

    pub(crate) fn read_pool(&self) -> &Pool<DB> {
        &self.read
    }

    pub(crate) fn options(&self) -> &StoreOptions {
        &self.options
    }
}

/// An impl on [`SqlStore<DB>`], generic over the database, with the one `where` clause all of
/// them carry (here, `accounts.rs`, `published.rs`): a connection runs queries, and the values
/// the SQL binds and reads (64-bit integers, text, bytes, optional text) have a type on the
/// database. Rust does not imply such bounds from a trait, so they are written here once;
/// SQLite and PostgreSQL meet them, checked when `sqlite.rs` and `postgres.rs` use the impls.
/// The impl is written `impl Trait for SqlStore { ... }` or `impl SqlStore { ... }`, and its
/// body names the database `DB`. (rustfmt leaves a macro's body as written.)
macro_rules! sql_impl {
    ($(#[$attribute:meta])* impl $($trait:ident)::+ for SqlStore { $($body:tt)* }) => {
        $crate::backend::sql_impl!(@impl [$(#[$attribute])*]
            [$($trait)::+ for $crate::backend::SqlStore<DB>] $($body)*);
    };
    (impl SqlStore { $($body:tt)* }) => {
        $crate::backend::sql_impl!(@impl [] [$crate::backend::SqlStore<DB>] $($body)*);
    };
    (@impl [$($attribute:tt)*] [$($header:tt)*] $($body:tt)*) => {
        $($attribute)*
        impl<DB> $($header)*
        where
            DB: $crate::backend::Dialect,
            for<'c> &'c mut DB::Connection: ::sqlx::Executor<'c, Database = DB>,
            DB::Arguments: ::sqlx::IntoArguments<DB>,
            for<'v> i64: ::sqlx::Type<DB> + ::sqlx::Encode<'v, DB> + ::sqlx::Decode<'v, DB>,
            for<'v> String: ::sqlx::Type<DB> + ::sqlx::Encode<'v, DB> + ::sqlx::Decode<'v, DB>,
            for<'v> Vec<u8>: ::sqlx::Type<DB> + ::sqlx::Encode<'v, DB> + ::sqlx::Decode<'v, DB>,
            for<'v> &'v str: ::sqlx::Type<DB> + ::sqlx::Encode<'v, DB>,
            for<'v> Option<String>: ::sqlx::Type<DB> + ::sqlx::Encode<'v, DB>,
            usize: ::sqlx::ColumnIndex<DB::Row>,
        {
            $($body)*
        }
    };
}
pub(crate) use sql_impl;

/// Documents are stored in chunks of this many bytes.
pub(crate) const CHUNK_BYTES: usize = 1024 * 1024;

/// Reads until `buf` is full or the source ends; returns the bytes read.
pub(crate) async fn read_full(
    source: &mut (dyn AsyncRead + Unpin + Send),
    buf: &mut [u8],
) -> Result<usize, StoreError> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = source.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

pub(crate) fn to_json<T: serde::Serialize>(
    what: &'static str,
    value: &T,
) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::Other(format!("writing {what} as JSON: {e}")))
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    key: &str,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        key: key.to_string(),
        detail: e.to_string(),
    })
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// A document row: id, case, kind, filename, media type, received, size, sha256.
pub(crate) type DocumentRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    i64,
    String,
);

pub(crate) fn document_info(row: DocumentRow) -> Result<DocumentInfo, StoreError> {
    let (id, case, kind, filename, media_type, received_at, size, sha256) = row;
    let key = id.to_string();
    Ok(DocumentInfo {
        id,
        case_number: parse_number(&case)?,
        kind,
        filename,
        media_type,
        received_at: parse_time("document", &key, &received_at)?,
        size: u64::try_from(size).map_err(|_| StoreError::Corrupt {
            what: "document",
            key,
            detail: format!("negative size {size}"),
        })?,
        sha256,
    })
}

pub(crate) fn audit_entry(row: (String, String, String, String)) -> Result<AuditEntry, StoreError> {
    let (at, actor, event, detail) = row;
    Ok(AuditEntry {
        at: parse_time("audit entry", &event, &at)?,
        actor,
        event,
        detail,
    })
}

sql_impl! {
impl SqlStore {
    /// Writes a case's queue columns (`queue.rs`), in the transaction that writes its body;
    /// with `at_version`, only if the row is still at that version. Returns the rows written.
    async fn write_queue_columns(
        conn: &mut DB::Connection,
        case: &imr_case::Case,
        at_version: Option<i64>,
    ) -> Result<u64, crate::StoreError> {
        let c = crate::queue::QueueColumns::of(case);
        let sql = match at_version {
            None => sqlx::query(crate::queue::UPDATE_COLUMNS),
            Some(_) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} AND version = $11",
                crate::queue::UPDATE_COLUMNS
            ))),
        };
        let mut query = sql
            .bind(c.worker)
            .bind(c.claim_number)
            .bind(c.search_text)
            .bind(c.priority)
            .bind(c.items)
            .bind(c.due_kind.map(str::to_owned))
            .bind(c.due_at)
            .bind(c.due_order)
            .bind(c.urgency)
            .bind(case.number.as_str().to_owned());
        if let Some(version) = at_version {
            query = query.bind(version);
        }
        Ok(DB::rows_affected(&query.execute(&mut *conn).await?))
    }

    /// Fills the queue columns of the cases written before migration 0007 (once, when the
    /// store opens), a batch per transaction. A case written meanwhile already has them: the
    /// version check leaves it alone.
    pub(crate) async fn fill_queue_columns(&self) -> Result<u64, crate::StoreError> {
        const BATCH: i64 = 500;
        let mut filled = 0;
        let mut after = String::new();
        loop {
            let rows: Vec<(String, i64, String)> = sqlx::query_as(
                "SELECT number, version, body FROM cases WHERE queued = 0 AND number > $1 \
                 ORDER BY number LIMIT $2",
            )
            .bind(after.clone())
            .bind(BATCH)
            .fetch_all(self.read_pool())
            .await?;
            let Some((last, _, _)) = rows.last() else {
                return Ok(filled);
            };
            after = last.clone();
            let mut tx = self.begin_write().await?;
            for (number, version, body) in &rows {
                let case: imr_case::Case = from_json("case", number, body)?;
                filled += Self::write_queue_columns(&mut tx, &case, Some(*version)).await?;
            }
            tx.commit().await?;
        }
    }

    async fn insert_audit(
        conn: &mut DB::Connection,
        case: Option<&str>,
        entry: &imr_case::AuditEntry,
    ) -> Result<(), crate::StoreError> {
        sqlx::query(
            "INSERT INTO audit_log (case_number, at, actor, event, detail) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(case.map(str::to_owned))
        .bind(entry.at.to_string())
        .bind(entry.actor.clone())
        .bind(entry.event.clone())
        .bind(entry.detail.clone())
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    async fn case_exists(
        conn: &mut DB::Connection,
        number: &str,
    ) -> Result<bool, crate::StoreError> {
        let found: Option<(String,)> = sqlx::query_as("SELECT number FROM cases WHERE number = $1")
            .bind(number.to_owned())
            .fetch_optional(&mut *conn)
            .await?;
        Ok(found.is_some())
    }

    /// Refuses a document from its announced size, before a byte is read.
    fn check_declared(&self, declared: Option<u64>) -> Result<(), crate::StoreError> {
        let limit = self.options().max_document_bytes;
        match declared {
            Some(0) => Err(crate::StoreError::EmptyDocument),
            Some(size) if size > limit => Err(crate::StoreError::DocumentTooLarge {
                detail: format!("it is {}", imr_core::text::binary_size(size)),
                limit,
            }),
            _ => Ok(()),
        }
    }

    /// Writes a document, its chunks and its audit entry on an open transaction.
    async fn write_document(
        &self,
        conn: &mut DB::Connection,
        document: &crate::NewDocument,
        source: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
    ) -> Result<crate::DocumentInfo, crate::StoreError> {
        use sha2::Digest;
        let limit = self.options().max_document_bytes;
        let number = document.case_number.as_str();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO documents (case_number, kind, filename, media_type, received_at, size, sha256, chunks) \
             VALUES ($1, $2, $3, $4, $5, 0, '', 0) RETURNING id",
        )
        .bind(number.to_owned())
        .bind(document.kind.clone())
        .bind(document.filename.clone())
        .bind(document.media_type.clone())
        .bind(document.received_at.to_string())
        .fetch_one(&mut *conn)
        .await?;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; crate::backend::CHUNK_BYTES];
        let mut total: u64 = 0;
        let mut seq: i64 = 0;
        loop {
            let n = crate::backend::read_full(source, &mut buf).await?;
            if n == 0 {
                break;
            }
            total += n as u64;
            if total > limit {
                // Dropping the transaction rolls back what was written.
                return Err(crate::StoreError::DocumentTooLarge {
                    detail: "more than that arrived".to_string(),
                    limit,
                });
            }
            hasher.update(&buf[..n]);
            sqlx::query(
                "INSERT INTO document_chunks (document_id, seq, bytes) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(seq)
            .bind(buf[..n].to_vec())
            .execute(&mut *conn)
            .await?;
            seq += 1;
            if n < buf.len() {
                break;
            }
        }
        if total == 0 {
            return Err(crate::StoreError::EmptyDocument);
        }
        let sha256 = crate::export::to_hex(&hasher.finalize());
        let size = i64::try_from(total).map_err(|_| crate::StoreError::DocumentTooLarge {
            detail: format!("it is {}", imr_core::text::binary_size(total)),
            limit,
        })?;
        sqlx::query("UPDATE documents SET size = $1, sha256 = $2, chunks = $3 WHERE id = $4")
            .bind(size)
            .bind(sha256.clone())
            .bind(seq)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        let entry = imr_case::AuditEntry::new(
            document.received_at,
            document.actor.clone(),
            "document.stored",
            format!(
                "document {id} ({}, {total} bytes, sha256 {sha256})",
                document.kind
            ),
        );
        Self::insert_audit(&mut *conn, Some(number), &entry).await?;
        Ok(crate::DocumentInfo {
            id,
            case_number: document.case_number.clone(),
            kind: document.kind.clone(),
            filename: document.filename.clone(),
            media_type: document.media_type.clone(),
            received_at: document.received_at,
            size: total,
            sha256,
        })
    }

    /// Inserts a case row and its audit entry; `false` when a unique index refused it.
    async fn insert_case_row(
        conn: &mut DB::Connection,
        case: &imr_case::Case,
        entry: &imr_case::AuditEntry,
    ) -> Result<bool, crate::StoreError> {
        let body = crate::backend::to_json("case", case)?;
        let inserted = sqlx::query(
            "INSERT INTO cases (number, status, reviewer_id, duplicate_key, received_at, version, body) \
             VALUES ($1, $2, $3, $4, $5, 1, $6)",
        )
        .bind(case.number.as_str().to_owned())
        .bind(case.status.as_str())
        .bind(case.reviewer_id().map(str::to_owned))
        .bind(case.duplicate_key())
        .bind(case.received_at.to_string())
        .bind(body)
        .execute(&mut *conn)
        .await;
        match inserted {
            Err(e) if crate::backend::is_unique_violation(&e) => return Ok(false),
            other => {
                other?;
            }
        }
        Self::write_queue_columns(&mut *conn, case, None).await?;
        Self::insert_audit(&mut *conn, Some(case.number.as_str()), entry).await?;
        Ok(true)
    }

    /// Why a case row was refused: its number is taken, or an open case has its dispute.
    async fn refused_case(&self, case: &imr_case::Case) -> crate::StoreError {
        let taken = match self.read_pool().acquire().await {
            Ok(mut conn) => Self::case_exists(&mut conn, case.number.as_str()).await,
            Err(e) => Err(e.into()),
        };
        match taken {
            Ok(true) => crate::StoreError::Duplicate {
                what: "case",
                key: case.number.to_string(),
            },
            Ok(false) => crate::StoreError::OpenDuplicate {
                case: case.number.clone(),
            },
            Err(e) => e,
        }
    }
}
}

sql_impl! {
#[async_trait::async_trait]
impl crate::Store for SqlStore {
    fn backend(&self) -> crate::Backend {
        DB::BACKEND
    }

    async fn allocate_case_number(
        &self,
        year: i16,
    ) -> Result<imr_case::CaseNumber, crate::StoreError> {
        let mut tx = self.begin_write().await?;
        let value: i64 = sqlx::query_scalar(
            "UPDATE counters SET value = value + 1 WHERE name = 'case_number' RETURNING value",
        )
        .fetch_one(&mut *tx)
        .await?;
        let number = imr_case::CaseNumber::new(year, u64::try_from(value).unwrap_or(0))?;
        tx.commit().await?;
        Ok(number)
    }

    async fn insert_case(
        &self,
        case: &imr_case::Case,
        entry: &imr_case::AuditEntry,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        if !Self::insert_case_row(&mut tx, case, entry).await? {
            drop(tx);
            return Err(self.refused_case(case).await);
        }
        tx.commit().await?;
        Ok(())
    }

    async fn insert_case_with_document(
        &self,
        case: &imr_case::Case,
        entry: &imr_case::AuditEntry,
        document: crate::NewDocument,
        source: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
    ) -> Result<crate::DocumentInfo, crate::StoreError> {
        self.check_declared(document.declared_size)?;
        if document.case_number != case.number {
            return Err(crate::StoreError::Other(format!(
                "the document is for case {}, not {}",
                document.case_number, case.number
            )));
        }
        let mut tx = self.begin_write().await?;
        if !Self::insert_case_row(&mut tx, case, entry).await? {
            drop(tx);
            return Err(self.refused_case(case).await);
        }
        let info = self.write_document(&mut tx, &document, source).await?;
        tx.commit().await?;
        Ok(info)
    }

    async fn load_case(
        &self,
        number: &imr_case::CaseNumber,
    ) -> Result<Option<crate::Versioned<imr_case::Case>>, crate::StoreError> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT version, body FROM cases WHERE number = $1")
                .bind(number.as_str().to_owned())
                .fetch_optional(self.read_pool())
                .await?;
        row.map(|(version, body)| {
            Ok(crate::Versioned {
                value: crate::backend::from_json("case", number.as_str(), &body)?,
                version,
            })
        })
        .transpose()
    }

    async fn update_case(
        &self,
        case: &imr_case::Case,
        expected_version: i64,
        entry: &imr_case::AuditEntry,
    ) -> Result<i64, crate::StoreError> {
        let body = crate::backend::to_json("case", case)?;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE cases SET status = $1, reviewer_id = $2, duplicate_key = $3, \
             version = version + 1, body = $4 WHERE number = $5 AND version = $6",
        )
        .bind(case.status.as_str())
        .bind(case.reviewer_id().map(str::to_owned))
        .bind(case.duplicate_key())
        .bind(body)
        .bind(case.number.as_str().to_owned())
        .bind(expected_version)
        .execute(&mut *tx)
        .await?;
        if DB::rows_affected(&done) != 1 {
            return Err(if Self::case_exists(&mut tx, case.number.as_str()).await? {
                crate::StoreError::VersionConflict {
                    case: case.number.clone(),
                    expected: expected_version,
                }
            } else {
                crate::StoreError::NotFound {
                    what: "case",
                    key: case.number.to_string(),
                }
            });
        }
        Self::write_queue_columns(&mut tx, case, None).await?;
        if case.determination.is_some() {
            // Signed: what was typed is now the determination, and no draft is left to fill a
            // form again.
            sqlx::query("DELETE FROM sign_drafts WHERE case_number = $1")
                .bind(case.number.as_str().to_owned())
                .execute(&mut *tx)
                .await?;
        }
        Self::insert_audit(&mut tx, Some(case.number.as_str()), entry).await?;
        tx.commit().await?;
        Ok(expected_version + 1)
    }

    async fn receive_records(
        &self,
        document: crate::NewDocument,
        source: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
        complete: bool,
        rules: &imr_case::ClockRules,
    ) -> Result<(imr_case::Case, crate::DocumentInfo), crate::StoreError> {
        use imr_case::Action;
        self.check_declared(document.declared_size)?;
        let number = document.case_number.clone();
        let mut tx = self.begin_write().await?;
        // The row stays locked until commit (SQLite: the write lock is already held).
        let row: Option<(i64, String)> = sqlx::query_as(DB::LOAD_CASE_FOR_UPDATE)
            .bind(number.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        let Some((version, body)) = row else {
            return Err(crate::StoreError::NotFound {
                what: "case",
                key: number.to_string(),
            });
        };
        let current: imr_case::Case = crate::backend::from_json("case", number.as_str(), &body)?;
        let step = |id: i64, sha256: String, size: u64| Action::ReceiveRecords {
            document_id: id,
            sha256,
            kind: document.kind.clone(),
            size,
            complete,
        };
        // Refused by the workflow: refuse before a byte is read.
        current.apply(
            step(0, String::new(), 1),
            document.received_at,
            &document.actor,
            rules,
        )?;
        let info = self.write_document(&mut tx, &document, source).await?;
        let (next, entry) = current.apply(
            step(info.id, info.sha256.clone(), info.size),
            document.received_at,
            &document.actor,
            rules,
        )?;
        let done = sqlx::query(
            "UPDATE cases SET status = $1, reviewer_id = $2, duplicate_key = $3, \
             version = version + 1, body = $4 WHERE number = $5 AND version = $6",
        )
        .bind(next.status.as_str())
        .bind(next.reviewer_id().map(str::to_owned))
        .bind(next.duplicate_key())
        .bind(crate::backend::to_json("case", &next)?)
        .bind(number.as_str().to_owned())
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if DB::rows_affected(&done) != 1 {
            return Err(crate::StoreError::VersionConflict {
                case: number,
                expected: version,
            });
        }
        Self::write_queue_columns(&mut tx, &next, None).await?;
        Self::insert_audit(&mut tx, Some(number.as_str()), &entry).await?;
        tx.commit().await?;
        Ok((next, info))
    }

    async fn list_cases(&self, open_only: bool) -> Result<Vec<imr_case::Case>, crate::StoreError> {
        let sql = if open_only {
            "SELECT number, body FROM cases WHERE status NOT IN ('ineligible', 'letter_issued') ORDER BY number"
        } else {
            "SELECT number, body FROM cases ORDER BY number"
        };
        let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(self.read_pool()).await?;
        rows.iter()
            .map(|(n, body)| crate::backend::from_json("case", n, body))
            .collect()
    }

    async fn queue(
        &self,
        query: &crate::queue::QueueQuery,
    ) -> Result<crate::queue::QueueSlice, crate::StoreError> {
        let (filter, params) = crate::queue::filter(query);
        let next = params.len() + 1;
        // One snapshot: the counts and the page agree.
        let mut tx = self.read.begin_with(DB::SNAPSHOT_BEGIN).await?;
        let mut counts = sqlx::query_as::<DB, (i64, i64, i64)>(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*), \
             COALESCE(SUM(CASE WHEN due_order < ${next} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN priority = 'Expedited' AND status = 'eligible' \
             AND reviewer_id IS NULL THEN 1 ELSE 0 END), 0) FROM cases{filter}"
        )));
        for p in &params {
            counts = counts.bind(p.clone());
        }
        let (total, overdue, expedited_unassigned) = counts
            .bind(crate::queue::order_of(query.now))
            .fetch_one(&mut *tx)
            .await?;
        let count = |n: i64| usize::try_from(n).unwrap_or(0);
        let total = count(total);
        let per_page = query.per_page.max(1);
        let page = query.page.clamp(1, total.div_ceil(per_page).max(1));
        let mut rows = sqlx::query_as::<DB, crate::queue::Row>(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM cases{filter} ORDER BY urgency, due_order, number LIMIT ${next} OFFSET ${}",
            crate::queue::ROW_COLUMNS,
            next + 1
        )));
        for p in &params {
            rows = rows.bind(p.clone());
        }
        let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let rows = rows
            .bind(as_i64(per_page))
            .bind(as_i64((page - 1).saturating_mul(per_page)))
            .fetch_all(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(crate::queue::QueueSlice {
            entries: rows
                .into_iter()
                .map(crate::queue::entry)
                .collect::<Result<_, _>>()?,
            total,
            overdue: count(overdue),
            expedited_unassigned: count(expedited_unassigned),
            page,
        })
    }

    async fn open_duplicates(
        &self,
        key: &str,
    ) -> Result<Vec<imr_case::CaseNumber>, crate::StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT number FROM cases WHERE duplicate_key = $1 \
             AND status NOT IN ('ineligible', 'letter_issued') ORDER BY number",
        )
        .bind(key.to_owned())
        .fetch_all(self.read_pool())
        .await?;
        rows.into_iter()
            .map(|(n,)| parse_number(&n))
            .collect()
    }

    async fn add_reviewer(
        &self,
        reviewer: &imr_case::Reviewer,
        entry: &imr_case::AuditEntry,
    ) -> Result<(), crate::StoreError> {
        let body = crate::backend::to_json("reviewer", reviewer)?;
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query("INSERT INTO reviewers (id, active, body) VALUES ($1, $2, $3)")
            .bind(reviewer.id.clone())
            .bind(i64::from(reviewer.active))
            .bind(body)
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(e) if crate::backend::is_unique_violation(&e) => {
                return Err(crate::StoreError::Duplicate {
                    what: "reviewer",
                    key: reviewer.id.clone(),
                });
            }
            other => {
                other?;
            }
        }
        Self::insert_audit(&mut tx, None, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn reviewer(&self, id: &str) -> Result<Option<imr_case::Reviewer>, crate::StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT body FROM reviewers WHERE id = $1")
            .bind(id.to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        row.map(|(body,)| crate::backend::from_json("reviewer", id, &body))
            .transpose()
    }

    async fn reviewers(&self) -> Result<Vec<imr_case::Reviewer>, crate::StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body FROM reviewers ORDER BY id")
                .fetch_all(self.read_pool())
                .await?;
        rows.iter()
            .map(|(id, body)| crate::backend::from_json("reviewer", id, body))
            .collect()
    }

    async fn reviewer_loads(
        &self,
    ) -> Result<std::collections::BTreeMap<String, u32>, crate::StoreError> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT reviewer_id, COUNT(*) FROM cases \
             WHERE status IN ('assigned', 'records_complete') AND reviewer_id IS NOT NULL \
             GROUP BY reviewer_id",
        )
        .fetch_all(self.read_pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, n)| (id, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }

    async fn store_document(
        &self,
        document: crate::NewDocument,
        source: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
    ) -> Result<crate::DocumentInfo, crate::StoreError> {
        self.check_declared(document.declared_size)?;
        let number = document.case_number.as_str().to_owned();
        let mut tx = self.begin_write().await?;
        if !Self::case_exists(&mut tx, &number).await? {
            return Err(crate::StoreError::NotFound {
                what: "case",
                key: number,
            });
        }
        // Dropping the transaction on an error rolls back what was written.
        let info = self.write_document(&mut tx, &document, source).await?;
        tx.commit().await?;
        Ok(info)
    }

    async fn document(&self, id: i64) -> Result<Option<crate::DocumentInfo>, crate::StoreError> {
        let row: Option<crate::backend::DocumentRow> = sqlx::query_as(
            "SELECT id, case_number, kind, filename, media_type, received_at, size, sha256 \
             FROM documents WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.read_pool())
        .await?;
        row.map(crate::backend::document_info).transpose()
    }

    async fn documents(
        &self,
        case: &imr_case::CaseNumber,
    ) -> Result<Vec<crate::DocumentInfo>, crate::StoreError> {
        let rows: Vec<crate::backend::DocumentRow> = sqlx::query_as(
            "SELECT id, case_number, kind, filename, media_type, received_at, size, sha256 \
             FROM documents WHERE case_number = $1 ORDER BY id",
        )
        .bind(case.as_str().to_owned())
        .fetch_all(self.read_pool())
        .await?;
        rows.into_iter()
            .map(crate::backend::document_info)
            .collect()
    }

    async fn read_document(&self, id: i64) -> Result<Vec<u8>, crate::StoreError> {
        use sha2::Digest;
        let Some(info) = self.document(id).await? else {
            return Err(crate::StoreError::NotFound {
                what: "document",
                key: id.to_string(),
            });
        };
        let chunks: Vec<(Vec<u8>,)> =
            sqlx::query_as("SELECT bytes FROM document_chunks WHERE document_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(self.read_pool())
                .await?;
        let bytes: Vec<u8> = chunks.into_iter().flat_map(|(b,)| b).collect();
        let sha256 = crate::export::to_hex(&sha2::Sha256::digest(&bytes));
        if bytes.len() as u64 != info.size || sha256 != info.sha256 {
            return Err(crate::StoreError::Corrupt {
                what: "document",
                key: id.to_string(),
                detail: format!(
                    "{} bytes with sha256 {sha256}; {} bytes with sha256 {} were stored",
                    bytes.len(),
                    info.size,
                    info.sha256
                ),
            });
        }
        Ok(bytes)
    }

    async fn mark_unreadable(
        &self,
        id: i64,
        reason: &str,
        at: jiff::civil::DateTime,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO unreadable_documents (document_id, reason, marked_at) VALUES ($1, $2, $3) \
             ON CONFLICT (document_id) DO NOTHING",
        )
        .bind(id)
        .bind(reason.to_owned())
        .bind(at.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn unreadable_documents(
        &self,
        case: &imr_case::CaseNumber,
    ) -> Result<Vec<(i64, String)>, crate::StoreError> {
        Ok(sqlx::query_as(
            "SELECT u.document_id, u.reason FROM unreadable_documents u \
             JOIN documents d ON d.id = u.document_id WHERE d.case_number = $1 ORDER BY u.document_id",
        )
        .bind(case.as_str().to_owned())
        .fetch_all(self.read_pool())
        .await?)
    }

    async fn save_draft(
        &self,
        case: &imr_case::CaseNumber,
        user_id: i64,
        draft: &crate::SignDraft,
        entry: &imr_case::AuditEntry,
    ) -> Result<crate::DraftSaved, crate::StoreError> {
        let number = case.as_str().to_owned();
        let mut tx = self.begin_write().await?;
        // Locked until commit, so a signature waits for this draft or this draft sees it.
        let status: Option<String> = sqlx::query_scalar(DB::CASE_STATUS_FOR_SHARE)
            .bind(number.clone())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(status) = status else {
            return Err(crate::StoreError::NotFound {
                what: "case",
                key: number,
            });
        };
        if matches!(
            status.as_str(),
            "determined" | "letter_issued" | "ineligible"
        ) {
            return Err(crate::StoreError::NoDraft {
                case: case.clone(),
                status: status.replace('_', " "),
            });
        }
        let replaced = sqlx::query(
            "UPDATE sign_drafts SET form = $1, saved_at = $2              WHERE case_number = $3 AND user_id = $4",
        )
        .bind(draft.form.clone())
        .bind(draft.saved_at.to_string())
        .bind(number.clone())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let saved = if DB::rows_affected(&replaced) == 1 {
            crate::DraftSaved::Replaced
        } else {
            sqlx::query(
                "INSERT INTO sign_drafts (case_number, user_id, form, saved_at)                  VALUES ($1, $2, $3, $4)",
            )
            .bind(number.clone())
            .bind(user_id)
            .bind(draft.form.clone())
            .bind(draft.saved_at.to_string())
            .execute(&mut *tx)
            .await?;
            // Two saves of a first draft at once (two tabs): the later one replaces.
            Self::insert_audit(&mut tx, Some(&number), entry).await?;
            crate::DraftSaved::Started
        };
        tx.commit().await?;
        Ok(saved)
    }

    async fn draft(
        &self,
        case: &imr_case::CaseNumber,
        user_id: i64,
    ) -> Result<Option<crate::SignDraft>, crate::StoreError> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT form, saved_at FROM sign_drafts WHERE case_number = $1 AND user_id = $2",
        )
        .bind(case.as_str().to_owned())
        .bind(user_id)
        .fetch_optional(self.read_pool())
        .await?;
        row.map(|(form, saved_at)| {
            Ok(crate::SignDraft {
                form,
                saved_at: parse_time("sign draft", case.as_str(), &saved_at)?,
            })
        })
        .transpose()
    }

    async fn record_audit(
        &self,
        case: Option<&imr_case::CaseNumber>,
        entry: &imr_case::AuditEntry,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        Self::insert_audit(&mut tx, case.map(|c| c.as_str()), entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(
        &self,
        case: &imr_case::CaseNumber,
    ) -> Result<Vec<imr_case::AuditEntry>, crate::StoreError> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT at, actor, event, detail FROM audit_log WHERE case_number = $1 ORDER BY id",
        )
        .bind(case.as_str().to_owned())
        .fetch_all(self.read_pool())
        .await?;
        rows.into_iter().map(crate::backend::audit_entry).collect()
    }

    async fn export(&self, sink: &mut crate::ExportSink<'_>) -> Result<(), crate::StoreError> {
        use crate::export::ExportRecord;
        let mut tx = self.read_pool().begin_with(DB::SNAPSHOT_BEGIN).await?;
        let sequence: i64 =
            sqlx::query_scalar("SELECT value FROM counters WHERE name = 'case_number'")
                .fetch_one(&mut *tx)
                .await?;
        sink(ExportRecord::Header {
            format: crate::export::FORMAT.to_string(),
            version: crate::export::FORMAT_VERSION,
            case_number_sequence: sequence,
        })?;
        let reviewers: Vec<(String, String)> =
            sqlx::query_as("SELECT id, body FROM reviewers ORDER BY id")
                .fetch_all(&mut *tx)
                .await?;
        for (id, body) in reviewers {
            sink(ExportRecord::Reviewer {
                reviewer: crate::backend::from_json("reviewer", &id, &body)?,
            })?;
        }
        let cases: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT number, version, body FROM cases ORDER BY number")
                .fetch_all(&mut *tx)
                .await?;
        for (number, version, body) in cases {
            sink(ExportRecord::Case {
                version,
                case: Box::new(crate::backend::from_json("case", &number, &body)?),
            })?;
        }
        let documents: Vec<(
            i64,
            String,
            String,
            Option<String>,
            String,
            String,
            i64,
            String,
            i64,
        )> = sqlx::query_as(
            "SELECT id, case_number, kind, filename, media_type, received_at, size, sha256, chunks \
                 FROM documents ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (id, case, kind, filename, media_type, received_at, size, sha256, chunks) in documents {
            let info = crate::backend::document_info((
                id,
                case,
                kind,
                filename,
                media_type,
                received_at,
                size,
                sha256,
            ))?;
            sink(ExportRecord::Document {
                id,
                case_number: info.case_number,
                kind: info.kind,
                filename: info.filename,
                media_type: info.media_type,
                received_at: info.received_at,
                size: info.size,
                sha256: info.sha256,
                chunks,
            })?;
            for seq in 0..chunks {
                let bytes: Vec<u8> = sqlx::query_scalar(
                    "SELECT bytes FROM document_chunks WHERE document_id = $1 AND seq = $2",
                )
                .bind(id)
                .bind(seq)
                .fetch_one(&mut *tx)
                .await?;
                sink(ExportRecord::Chunk {
                    document_id: id,
                    seq,
                    hex: crate::export::to_hex(&bytes),
                })?;
            }
        }
        let audit: Vec<(i64, Option<String>, String, String, String, String)> = sqlx::query_as(
            "SELECT id, case_number, at, actor, event, detail FROM audit_log ORDER BY id",
        )
        .fetch_all(&mut *tx)
        .await?;
        for (id, case, at, actor, event, detail) in audit {
            sink(ExportRecord::Audit {
                id,
                case_number: case
                    .as_deref()
                    .map(parse_number)
                    .transpose()?,
                entry: crate::backend::audit_entry((at, actor, event, detail))?,
            })?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn import(&self, source: &mut crate::ImportSource<'_>) -> Result<u64, crate::StoreError> {
        use crate::export::ExportRecord;
        use sha2::Digest;
        let bad = |record: u64, detail: String| crate::StoreError::BadImport { record, detail };
        let mut tx = self.begin_write().await?;
        let held: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM cases) + (SELECT COUNT(*) FROM reviewers) \
             + (SELECT COUNT(*) FROM audit_log) + (SELECT value FROM counters WHERE name = 'case_number')",
        )
        .fetch_one(&mut *tx)
        .await?;
        if held != 0 {
            return Err(crate::StoreError::NotEmpty);
        }
        // The document being filled: id, expected size, sha256, chunks, and what came.
        struct Filling {
            id: i64,
            size: u64,
            sha256: String,
            chunks: i64,
            seen: i64,
            bytes: u64,
            hasher: sha2::Sha256,
        }
        let check = |record: u64, f: Option<Filling>| -> Result<(), crate::StoreError> {
            if let Some(f) = f {
                let sha = crate::export::to_hex(&f.hasher.finalize());
                if f.seen != f.chunks || f.bytes != f.size || sha != f.sha256 {
                    return Err(bad(
                        record,
                        format!(
                            "document {} is incomplete or altered: {} of {} chunks, {} of {} bytes, sha256 {sha}",
                            f.id, f.seen, f.chunks, f.bytes, f.size
                        ),
                    ));
                }
            }
            Ok(())
        };
        let mut filling: Option<Filling> = None;
        let mut count: u64 = 0;
        for record in source {
            count += 1;
            let record = record?;
            if count == 1 && !matches!(record, ExportRecord::Header { .. }) {
                return Err(bad(1, "the first record must be the header".into()));
            }
            if !matches!(record, ExportRecord::Chunk { .. }) {
                check(count, filling.take())?;
            }
            match record {
                ExportRecord::Header {
                    format,
                    version,
                    case_number_sequence,
                } => {
                    if count != 1 {
                        return Err(bad(count, "a second header".into()));
                    }
                    if format != crate::export::FORMAT || version != crate::export::FORMAT_VERSION {
                        return Err(bad(
                            count,
                            format!(
                                "format {format} version {version}; this build reads {} version {}",
                                crate::export::FORMAT,
                                crate::export::FORMAT_VERSION
                            ),
                        ));
                    }
                    sqlx::query("UPDATE counters SET value = $1 WHERE name = 'case_number'")
                        .bind(case_number_sequence)
                        .execute(&mut *tx)
                        .await?;
                }
                ExportRecord::Reviewer { reviewer } => {
                    sqlx::query("INSERT INTO reviewers (id, active, body) VALUES ($1, $2, $3)")
                        .bind(reviewer.id.clone())
                        .bind(i64::from(reviewer.active))
                        .bind(crate::backend::to_json("reviewer", &reviewer)?)
                        .execute(&mut *tx)
                        .await?;
                }
                ExportRecord::Case { version, case } => {
                    sqlx::query(
                        "INSERT INTO cases (number, status, reviewer_id, duplicate_key, received_at, version, body) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(case.number.as_str().to_owned())
                    .bind(case.status.as_str())
                    .bind(case.reviewer_id().map(str::to_owned))
                    .bind(case.duplicate_key())
                    .bind(case.received_at.to_string())
                    .bind(version)
                    .bind(crate::backend::to_json("case", &case)?)
                    .execute(&mut *tx)
                    .await?;
                    Self::write_queue_columns(&mut tx, &case, None).await?;
                }
                ExportRecord::Document {
                    id,
                    case_number,
                    kind,
                    filename,
                    media_type,
                    received_at,
                    size,
                    sha256,
                    chunks,
                } => {
                    let size_i = i64::try_from(size)
                        .map_err(|_| bad(count, format!("document {id}: size {size}")))?;
                    sqlx::query(
                        "INSERT INTO documents (id, case_number, kind, filename, media_type, received_at, size, sha256, chunks) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(id)
                    .bind(case_number.as_str().to_owned())
                    .bind(kind)
                    .bind(filename)
                    .bind(media_type)
                    .bind(received_at.to_string())
                    .bind(size_i)
                    .bind(sha256.clone())
                    .bind(chunks)
                    .execute(&mut *tx)
                    .await?;
                    filling = Some(Filling {
                        id,
                        size,
                        sha256,
                        chunks,
                        seen: 0,
                        bytes: 0,
                        hasher: sha2::Sha256::new(),
                    });
                }
                ExportRecord::Chunk {
                    document_id,
                    seq,
                    hex,
                } => {
                    let Some(f) = filling
                        .as_mut()
                        .filter(|f| f.id == document_id && f.seen == seq)
                    else {
                        return Err(bad(
                            count,
                            format!("chunk {seq} of document {document_id} is out of place"),
                        ));
                    };
                    let bytes = crate::export::from_hex(&hex)
                        .ok_or_else(|| bad(count, "a chunk that is not hex".into()))?;
                    f.hasher.update(&bytes);
                    f.bytes += bytes.len() as u64;
                    f.seen += 1;
                    sqlx::query(
                        "INSERT INTO document_chunks (document_id, seq, bytes) VALUES ($1, $2, $3)",
                    )
                    .bind(document_id)
                    .bind(seq)
                    .bind(bytes)
                    .execute(&mut *tx)
                    .await?;
                }
                ExportRecord::Audit {
                    id,
                    case_number,
                    entry,
                } => {
                    sqlx::query(
                        "INSERT INTO audit_log (id, case_number, at, actor, event, detail) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(case_number.map(String::from))
                    .bind(entry.at.to_string())
                    .bind(entry.actor)
                    .bind(entry.event)
                    .bind(entry.detail)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        check(count, filling.take())?;
        if count == 0 {
            return Err(bad(0, "no records: not an export".into()));
        }
        if !DB::AFTER_IMPORT.is_empty() {
            sqlx::raw_sql(DB::AFTER_IMPORT).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(count)
    }
}
}
