//! Migrations through `sqlx::migrate!`, one folder per backend (`migrations/sqlite`,
//! `migrations/postgres`): sqlx records each one applied, with the SHA-384 of its file, in its
//! table `_sqlx_migrations`, and refuses to open a database whose applied migration no longer
//! matches its file.

use sqlx::migrate::{MigrateError, Migrator};

use crate::StoreError;

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
