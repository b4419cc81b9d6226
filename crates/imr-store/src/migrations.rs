//! Migrations through `sqlx::migrate!`, one folder per backend (`migrations/sqlite`,
//! `migrations/postgres`): sqlx records each one applied, with the SHA-384 of its file, in its
//! table `_sqlx_migrations`, and refuses to open a database whose applied migration no longer
//! matches its file.
//!
//! A database migrated by the earlier hand-run list (table `schema_migrations`: version and
//! name, no checksum) is adopted once, in one transaction: each version it lists is recorded as
//! applied with this build's checksum (the earlier runner kept none, so there is nothing to
//! compare), and `schema_migrations` is dropped, so one table says what is applied. Then the
//! migrator runs as on any database.

use sqlx::migrate::{Migrate, MigrateError, Migrator};
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Type};

use crate::StoreError;
use crate::backend::{Dialect, SqlStore};

/// sqlx's table of applied migrations.
const TABLE: &str = "_sqlx_migrations";

/// Records the migrations the earlier runner applied, if it ever ran on this database.
pub(crate) async fn adopt_old_runner<DB>(
    store: &SqlStore<DB>,
    migrator: &Migrator,
) -> Result<(), StoreError>
where
    DB: Dialect,
    DB::Connection: Migrate,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    DB::Arguments: IntoArguments<DB>,
    for<'v> i64: Type<DB> + Encode<'v, DB> + Decode<'v, DB>,
    usize: ColumnIndex<DB::Row>,
{
    let mut tx = store.begin_write().await?;
    if !DB::LOCK_FOR_MIGRATION.is_empty() {
        sqlx::raw_sql(DB::LOCK_FOR_MIGRATION)
            .execute(&mut *tx)
            .await?;
    }
    let found: i64 = sqlx::query_scalar(DB::OLD_MIGRATIONS_FOUND)
        .fetch_one(&mut *tx)
        .await?;
    if found == 0 {
        return Ok(());
    }
    let old: Vec<(i64,)> = sqlx::query_as("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&mut *tx)
        .await?;
    let adopting = |e: MigrateError| {
        StoreError::Other(format!(
            "recording the migrations listed in schema_migrations: {e}"
        ))
    };
    tx.ensure_migrations_table(TABLE).await.map_err(adopting)?;
    let recorded = tx.list_applied_migrations(TABLE).await.map_err(adopting)?;
    for (version,) in old {
        if recorded.iter().any(|m| m.version == version) {
            continue;
        }
        let Some(migration) = migrator
            .iter()
            .find(|m| m.version == version && m.migration_type.is_up_migration())
        else {
            return Err(StoreError::Other(format!(
                "the database lists migration {version} in schema_migrations, which this build \
                 does not have: it was migrated by a newer build; nothing was changed"
            )));
        };
        tx.skip(TABLE, migration).await.map_err(adopting)?;
    }
    sqlx::raw_sql("DROP TABLE schema_migrations")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Says why the migrator refused the database, naming the migration file.
pub(crate) fn refused(migrator: &Migrator, folder: &str, error: MigrateError) -> StoreError {
    let file = |version: i64| {
        migrator
            .iter()
            .find(|m| m.version == version)
            .map(|m| {
                format!(
                    "{folder}/{version:04}_{}.sql",
                    m.description.replace(' ', "_")
                )
            })
            .unwrap_or_else(|| format!("{folder}: version {version}"))
    };
    StoreError::Other(match error {
        MigrateError::VersionMismatch(version) => format!(
            "the database was migrated with a different migration {version} than this build's \
             {}: the file was changed after it was applied (its checksum differs). Migrations \
             are never edited once applied; restore the file, or add a new migration",
            file(version)
        ),
        MigrateError::VersionMissing(version) => format!(
            "the database has migration {version} applied, which this build does not have: it \
             was migrated by a newer build"
        ),
        MigrateError::Dirty(version) => format!(
            "migration {version} ({}) failed part-way earlier; repair the database by hand",
            file(version)
        ),
        other => format!("migrating the database: {other}"),
    })
}
