//! Migrations through sqlx on both backends: a case written before the queue's columns gets
//! them when the store opens, and a migration changed after it was applied is refused with a
//! message naming its file. SQLite always, PostgreSQL when IMR_TEST_PG_URL names a server (a
//! fresh database per test).

use imr_case::Application;
use imr_store::{StoreOptions, open, open_case};
use jiff::civil::date;
use sqlx::Connection;

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

async fn fresh_postgres(test: &str) -> Option<String> {
    imr_testkit::postgres::fresh_database(&format!("migrations_{test}")).await
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
