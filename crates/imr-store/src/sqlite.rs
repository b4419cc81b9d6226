//! The SQLite backend: one file, WAL journal, foreign keys on. Reads share a small pool; writes
//! go through a pool of one connection, so writers queue in the process instead of failing
//! with "database is locked", and `busy_timeout` covers writers in other processes.

use std::path::Path;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};

use crate::backend::{Dialect, SqlStore};
use crate::{Backend, StoreError, StoreOptions, migrations};

/// How many more times migrating is tried when another process may be migrating the file.
const MIGRATE_ATTEMPTS: usize = 10;

/// The migrations, checked against their checksums each time a store opens.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// The store on a SQLite file.
pub type SqliteStore = SqlStore<Sqlite>;

impl Dialect for Sqlite {
    const BACKEND: Backend = Backend::Sqlite;
    /// Takes the write lock at once, so a write transaction never fails half-way for want of it.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    /// The write transaction already holds the database's write lock.
    const LOAD_CASE_FOR_UPDATE: &'static str = "SELECT version, body FROM cases WHERE number = $1";
    /// The write lock taken at BEGIN IMMEDIATE already holds every row.
    const CASE_STATUS_FOR_SHARE: &'static str = "SELECT status FROM cases WHERE number = $1";
    /// A WAL read transaction sees one snapshot.
    const SNAPSHOT_BEGIN: &'static str = "BEGIN";
    /// AUTOINCREMENT follows explicit ids by itself.
    const AFTER_IMPORT: &'static str = "";

    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl SqlStore<Sqlite> {
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
        let store = SqlStore {
            read,
            write,
            options,
        };
        // Two processes opening a new file at once both migrate it, and SQLite's migrator takes
        // no lock across processes: the later one fails on a table the other has just created.
        // Once the other is done, running again finds every migration applied; a real refusal
        // (a changed migration) is the same each time, and is reported.
        let mut ran = MIGRATOR.run(&store.write).await;
        for _ in 0..MIGRATE_ATTEMPTS {
            if ran.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            ran = MIGRATOR.run(&store.write).await;
        }
        ran.map_err(|e| migrations::refused(&MIGRATOR, "migrations/sqlite", e))?;
        store.fill_queue_columns().await?;
        Ok(store)
    }
}
