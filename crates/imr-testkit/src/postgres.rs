//! A fresh PostgreSQL database for one test, on the server `IMR_TEST_PG_URL` names.
//!
//! Each database is `imr_test_<purpose>_<process>_<n>`, so tests running at once never share
//! one; a passed test drops its own, a failed one leaves it to look at (and `.ci/postgres`
//! drops every `imr_test_*` database before a CI run).

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

/// PostgreSQL's limit on an identifier, in bytes; a longer name would be cut short silently.
const NAME_MAX: usize = 63;

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// Creates an empty database and returns its URL (the server's URL with the database name
/// replaced, its query kept), or `None` after a visible skip when `IMR_TEST_PG_URL` is not
/// set. `purpose` names the test in the database's name (letters, digits and `_`).
pub async fn fresh_database(purpose: &str) -> Option<String> {
    let base = crate::postgres_url()?;
    let suffix = format!(
        "_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let purpose: String = purpose
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(NAME_MAX - "imr_test_".len() - suffix.len())
        .collect();
    let name = format!("imr_test_{purpose}{suffix}");
    let url = with_database(&base, &name);
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at IMR_TEST_PG_URL does not answer: {e}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
    }
    Some(url)
}

/// Drops a database `fresh_database` made (closing its connections); a failure is ignored, as
/// the next CI run drops it anyway.
pub async fn drop_database(url: &str) {
    let Some(base) = std::env::var("IMR_TEST_PG_URL").ok() else {
        return;
    };
    let Some(name) = database_of(url).filter(|n| n.starts_with("imr_test_")) else {
        return;
    };
    if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await;
    }
}

/// `base` with its database name replaced by `name`, its query (`?sslmode=...`) kept.
fn with_database(base: &str, name: &str) -> String {
    let (path, query) = base.split_once('?').unwrap_or((base, ""));
    let Some((server, _)) = path
        .rsplit_once('/')
        .filter(|(server, _)| server.contains("//") && !server.ends_with('/'))
    else {
        panic!("IMR_TEST_PG_URL should end with a database name: {base}");
    };
    if query.is_empty() {
        format!("{server}/{name}")
    } else {
        format!("{server}/{name}?{query}")
    }
}

/// The database name in a URL made by `with_database`.
fn database_of(url: &str) -> Option<&str> {
    let path = url.split_once('?').map_or(url, |(path, _)| path);
    path.rsplit_once('/').map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_replaces_the_last_path_part_and_the_query_stays() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/imr_test", "imr_test_x_1_0"),
            "postgres://u:p@h:5432/imr_test_x_1_0"
        );
        let url = with_database("postgres://h/db?sslmode=disable", "n");
        assert_eq!(url, "postgres://h/n?sslmode=disable");
        assert_eq!(database_of(&url), Some("n"));
    }

    #[test]
    #[should_panic(expected = "should end with a database name")]
    fn a_url_without_a_database_is_refused_by_name() {
        with_database("postgres://h", "n");
    }
}
