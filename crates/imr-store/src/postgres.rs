//! The PostgreSQL backend: a pool of connections to a real server. sqlx's migrator takes an
//! advisory lock, so several instances starting at once migrate once.

use std::time::Duration;

use sqlx::Postgres;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPoolOptions, PgQueryResult};

use crate::backend::{Dialect, SqlStore};
use crate::{Backend, StoreError, StoreOptions, migrations};

/// The migrations, checked against their checksums each time a store connects.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The store on a PostgreSQL database.
pub type PostgresStore = SqlStore<Postgres>;

impl Dialect for Postgres {
    const BACKEND: Backend = Backend::Postgres;
    const BEGIN_WRITE: &'static str = "BEGIN";
    /// Locks the case's row until the transaction ends.
    const LOAD_CASE_FOR_UPDATE: &'static str =
        "SELECT version, body FROM cases WHERE number = $1 FOR UPDATE";
    /// A signature (an UPDATE of the row) waits for the lock, and this read for it.
    const CASE_STATUS_FOR_SHARE: &'static str =
        "SELECT status FROM cases WHERE number = $1 FOR SHARE";
    /// One snapshot for the whole export.
    const SNAPSHOT_BEGIN: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    /// Identity columns do not follow explicit ids: move them past the imported ones.
    const AFTER_IMPORT: &'static str = "\
        SELECT setval(pg_get_serial_sequence('documents', 'id'), \
                      COALESCE((SELECT MAX(id) FROM documents), 0) + 1, false); \
        SELECT setval(pg_get_serial_sequence('audit_log', 'id'), \
                      COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);";

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}

impl SqlStore<Postgres> {
    /// Connects to the server at `url` and migrates the database.
    pub async fn connect(url: &str, options: StoreOptions) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(60))
            .connect(url)
            .await
            .map_err(|e| StoreError::Other(format!("connecting to PostgreSQL: {e}")))?;
        let store = SqlStore {
            read: pool.clone(),
            write: pool,
            options,
        };
        MIGRATOR
            .run(&store.write)
            .await
            .map_err(|e| migrations::refused(&MIGRATOR, "migrations/postgres", e))?;
        store.fill_queue_columns().await?;
        Ok(store)
    }
}
