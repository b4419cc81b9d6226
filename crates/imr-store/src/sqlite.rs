//! The SQLite backend: one file, WAL journal, foreign keys on. Reads share a small pool; writes
//! go through a pool of one connection, so writers queue in the process instead of failing
//! with "database is locked", and `busy_timeout` covers writers in other processes.

mod accounts;
mod published;

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

use crate::backend::impl_store;
use crate::{Backend, StoreError, StoreOptions};

/// The migrations, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/sqlite/0001_initial.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/sqlite/0002_accounts.sql"),
    ),
    (
        3,
        "open duplicates",
        include_str!("../migrations/sqlite/0003_open_duplicates.sql"),
    ),
    (
        4,
        "published letters",
        include_str!("../migrations/sqlite/0004_published.sql"),
    ),
    (
        5,
        "unreadable documents",
        include_str!("../migrations/sqlite/0005_unreadable_documents.sql"),
    ),
    (
        6,
        "accounts that hold",
        include_str!("../migrations/sqlite/0006_accounts_hold.sql"),
    ),
];

pub struct SqliteStore {
    read: SqlitePool,
    write: SqlitePool,
    options: StoreOptions,
}

impl SqliteStore {
    /// Opens (creating if missing) the store in the file at `path` and migrates it.
    pub async fn open(path: &Path, options: StoreOptions) -> Result<SqliteStore, StoreError> {
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed transaction survives a power cut, not just a killed process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(60));
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(120))
            .connect_with(connect.clone())
            .await
            .map_err(|e| StoreError::Other(format!("opening {}: {e}", path.display())))?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(connect.read_only(false))
            .await?;
        let store = SqliteStore {
            read,
            write,
            options,
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let applied: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations")
            .fetch_all(&mut *tx)
            .await?;
        for (version, name, sql) in MIGRATIONS {
            if applied.iter().any(|(v,)| v == version) {
                continue;
            }
            sqlx::raw_sql(*sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                .bind(*version)
                .bind(*name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A write transaction that takes the write lock at once (BEGIN IMMEDIATE), so it never
    /// fails half-way for want of the lock.
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.write.begin_with("BEGIN IMMEDIATE").await?)
    }

    fn read_pool(&self) -> &SqlitePool {
        &self.read
    }

    fn options(&self) -> &StoreOptions {
        &self.options
    }

    /// The write transaction already holds the database's write lock.
    const LOAD_CASE_FOR_UPDATE: &'static str = "SELECT version, body FROM cases WHERE number = $1";
    /// A WAL read transaction sees one snapshot.
    const SNAPSHOT_BEGIN: &'static str = "BEGIN";
    /// AUTOINCREMENT follows explicit ids by itself.
    const AFTER_IMPORT: &'static str = "";
}

impl_store!(SqliteStore, Sqlite, Backend::Sqlite);
