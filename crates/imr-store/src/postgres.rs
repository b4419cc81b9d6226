//! The PostgreSQL backend: a pool of connections to a real server. Migrations run under an
//! advisory lock, so several instances starting at once migrate once.

mod accounts;
mod published;

use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};

use crate::backend::impl_store;
use crate::{Backend, StoreError, StoreOptions};

/// The migrations, in order: (version, name, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../migrations/postgres/0001_initial.sql"),
    ),
    (
        2,
        "accounts",
        include_str!("../migrations/postgres/0002_accounts.sql"),
    ),
    (
        3,
        "open duplicates",
        include_str!("../migrations/postgres/0003_open_duplicates.sql"),
    ),
    (
        4,
        "published letters",
        include_str!("../migrations/postgres/0004_published.sql"),
    ),
    (
        5,
        "unreadable documents",
        include_str!("../migrations/postgres/0005_unreadable_documents.sql"),
    ),
    (
        6,
        "accounts that hold",
        include_str!("../migrations/postgres/0006_accounts_hold.sql"),
    ),
];

/// An arbitrary key for the migration advisory lock ("imr" in ASCII).
const MIGRATION_LOCK: i64 = 0x696d72;

pub struct PostgresStore {
    pool: PgPool,
    options: StoreOptions,
}

impl PostgresStore {
    /// Connects to the server at `url` and migrates the database.
    pub async fn connect(url: &str, options: StoreOptions) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(60))
            .connect(url)
            .await
            .map_err(|e| StoreError::Other(format!("connecting to PostgreSQL: {e}")))?;
        let store = PostgresStore { pool, options };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
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

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    fn read_pool(&self) -> &PgPool {
        &self.pool
    }

    fn options(&self) -> &StoreOptions {
        &self.options
    }

    /// Locks the case's row until the transaction ends.
    const LOAD_CASE_FOR_UPDATE: &'static str =
        "SELECT version, body FROM cases WHERE number = $1 FOR UPDATE";
    /// One snapshot for the whole export.
    const SNAPSHOT_BEGIN: &'static str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    /// Identity columns do not follow explicit ids: move them past the imported ones.
    const AFTER_IMPORT: &'static str = "\
        SELECT setval(pg_get_serial_sequence('documents', 'id'), \
                      COALESCE((SELECT MAX(id) FROM documents), 0) + 1, false); \
        SELECT setval(pg_get_serial_sequence('audit_log', 'id'), \
                      COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false);";
}

impl_store!(PostgresStore, Postgres, Backend::Postgres);
