//! Migrations through sqlx on both backends: a database migrated by the earlier hand-run list
//! (table `schema_migrations`) still opens and works, and a migration changed after it was
//! applied is refused with a message naming its file. SQLite always, PostgreSQL when
//! IMR_TEST_PG_URL names a server (a fresh database per test).

use imr_core::case::Application;
use imr_store::{StoreOptions, open, open_case};
use jiff::civil::date;
use sqlx::{AssertSqlSafe, Connection};

/// The migrations as the earlier runner applied them: (version, name, SQL) per backend.
const SQLITE: [(i64, &str, &str); 6] = [
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
const POSTGRES: [(i64, &str, &str); 6] = [
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

/// What the earlier runner did, statement for statement: its table, each migration, its row.
async fn migrate_the_old_way<C>(conn: &mut C, version_type: &str, migrations: &[(i64, &str, &str)])
where
    C: Connection,
    for<'c> &'c mut C: sqlx::Executor<'c, Database = C::Database>,
    <C::Database as sqlx::Database>::Arguments: sqlx::IntoArguments<C::Database>,
    for<'v> i64: sqlx::Type<C::Database> + sqlx::Encode<'v, C::Database>,
    for<'v> &'v str: sqlx::Type<C::Database> + sqlx::Encode<'v, C::Database>,
{
    sqlx::raw_sql(AssertSqlSafe(format!(
        "CREATE TABLE IF NOT EXISTS schema_migrations \
         (version {version_type} PRIMARY KEY, name TEXT NOT NULL)"
    )))
    .execute(&mut *conn)
    .await
    .expect("the old runner's table");
    for (version, name, sql) in migrations {
        sqlx::raw_sql(AssertSqlSafe(*sql))
            .execute(&mut *conn)
            .await
            .expect("an old migration");
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
            .bind(*version)
            .bind(*name)
            .execute(&mut *conn)
            .await
            .expect("its row");
    }
}

fn application() -> Application {
    let text = include_str!("../../../data/demo/application.json");
    Application::from_json(text, date(2026, 11, 2)).expect("the demo application")
}

/// As a build before migration 0007 left a case: its body written, its queue columns not.
const BEFORE_QUEUE_COLUMNS: &str = "UPDATE cases SET queued = 0, worker = '', claim_number = '', \
     search_text = '', priority = 'Standard', items = 0, due_kind = NULL, due_at = NULL, \
     due_order = 9223372036854775807";

/// The whole queue as an administrator sees it.
async fn whole_queue(store: &dyn imr_store::Store) -> imr_store::queue::QueueSlice {
    let query = imr_store::queue::QueueQuery {
        viewer: imr_store::queue::Viewer::All,
        status: None,
        reviewer: None,
        words: vec!["fictitious".into()],
        now: date(2026, 11, 2).at(9, 0, 0, 0),
        page: 1,
        per_page: 100,
    };
    store.queue(&query).await.expect("the queue")
}

/// A case written before the queue's columns existed gets them when the store opens: the
/// queue is the same as for a case written since.
async fn columns_are_filled_on_opening(url: &str, clear: impl AsyncFnOnce(&str)) {
    let store = open(url, StoreOptions::default()).await.expect("opens");
    open_case(
        &*store,
        application(),
        date(2026, 11, 2).at(9, 0, 0, 0),
        "clerk",
    )
    .await
    .expect("a case opens");
    let written = whole_queue(&*store).await;
    assert_eq!(written.total, 1);
    assert_eq!(written.entries[0].worker, application().worker);
    drop(store);
    clear(url).await;
    let store = open(url, StoreOptions::default())
        .await
        .expect("opens again");
    assert_eq!(whole_queue(&*store).await, written);
}

#[tokio::test]
async fn a_sqlite_case_from_before_the_queue_columns_gets_them() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("queue.db").display());
    columns_are_filled_on_opening(&url, async |url: &str| {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::raw_sql(BEFORE_QUEUE_COLUMNS)
            .execute(&mut conn)
            .await
            .expect("cleared");
        conn.close().await.expect("close");
    })
    .await;
}

#[imr_testkit::needs(postgres)]
#[tokio::test]
async fn a_postgres_case_from_before_the_queue_columns_gets_them() {
    let Some(url) = fresh_postgres("queue").await else {
        return;
    };
    columns_are_filled_on_opening(&url, async |url: &str| {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::raw_sql(BEFORE_QUEUE_COLUMNS)
            .execute(&mut conn)
            .await
            .expect("cleared");
        conn.close().await.expect("close");
    })
    .await;
}

/// Opens the store at `url` and uses it: a case opened is read back whole.
async fn opens_and_works(url: &str) {
    let store = open(url, StoreOptions::default())
        .await
        .expect("a database migrated the old way opens");
    let case = open_case(
        &*store,
        application(),
        date(2026, 11, 2).at(9, 0, 0, 0),
        "clerk",
    )
    .await
    .expect("a case opens");
    let loaded = store
        .load_case(&case.number)
        .await
        .expect("load")
        .expect("the case is there");
    assert_eq!(loaded.value, case);
    assert_eq!(loaded.version, 1);
}

async fn fresh_postgres(test: &str) -> Option<String> {
    imr_testkit::postgres::fresh_database(&format!("migrations_{test}")).await
}

#[tokio::test]
async fn a_sqlite_store_migrated_by_the_old_runner_still_opens() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("old.db");
    let url = format!("sqlite://{}", path.display());
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let mut conn = sqlx::SqliteConnection::connect_with(&options)
            .await
            .expect("a new SQLite file");
        migrate_the_old_way(&mut conn, "INTEGER", &SQLITE).await;
        conn.close().await.expect("close");
    }
    opens_and_works(&url).await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("reopen");
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .expect("sqlx's table");
    assert_eq!(versions, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let old: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("count");
    assert_eq!(old, 0, "the old table is dropped once adopted");
    conn.close().await.expect("close");
    // And it opens again, now as any sqlx-migrated store.
    opens_and_works(&url).await;
}

#[imr_testkit::needs(postgres)]
#[tokio::test]
async fn a_postgres_store_migrated_by_the_old_runner_still_opens() {
    let Some(url) = fresh_postgres("old").await else {
        return;
    };
    {
        let mut conn = sqlx::PgConnection::connect(&url)
            .await
            .expect("the new database");
        migrate_the_old_way(&mut conn, "BIGINT", &POSTGRES).await;
        conn.close().await.expect("close");
    }
    opens_and_works(&url).await;
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("reconnect");
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .expect("sqlx's table");
    assert_eq!(versions, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    let old: Option<String> = sqlx::query_scalar("SELECT to_regclass('schema_migrations')::text")
        .fetch_one(&mut conn)
        .await
        .expect("look-up");
    assert_eq!(old, None, "the old table is dropped once adopted");
    conn.close().await.expect("close");
    opens_and_works(&url).await;
}

/// The message for a changed migration 3, as each backend gives it.
fn assert_refused_as_changed(error: imr_store::StoreError, folder: &str) {
    let message = error.to_string();
    assert!(
        message.contains("migration 3")
            && message.contains(&format!("{folder}/0003_open_duplicates.sql"))
            && message.contains("changed"),
        "{message}"
    );
}

#[tokio::test]
async fn a_changed_migration_is_refused_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("tampered.db").display());
    drop(
        open(&url, StoreOptions::default())
            .await
            .expect("a new store"),
    );
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
    sqlx::query("UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 3")
        .execute(&mut conn)
        .await
        .expect("tamper");
    conn.close().await.expect("close");
    let Err(error) = open(&url, StoreOptions::default()).await else {
        panic!("a store whose migration 3 changed opened");
    };
    assert_refused_as_changed(error, "migrations/sqlite");
}

#[imr_testkit::needs(postgres)]
#[tokio::test]
async fn a_changed_migration_is_refused_on_postgres() {
    let Some(url) = fresh_postgres("tampered").await else {
        return;
    };
    drop(
        open(&url, StoreOptions::default())
            .await
            .expect("a new store"),
    );
    let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
    sqlx::query("UPDATE _sqlx_migrations SET checksum = '\\x00'::bytea WHERE version = 3")
        .execute(&mut conn)
        .await
        .expect("tamper");
    conn.close().await.expect("close");
    let Err(error) = open(&url, StoreOptions::default()).await else {
        panic!("a store whose migration 3 changed opened");
    };
    assert_refused_as_changed(error, "migrations/postgres");
}
