//! Users, sessions and failed logins on both backends: SQLite always, PostgreSQL when
//! IMR_TEST_PG_URL names a server (a fresh database per run).

use std::sync::Arc;

use imr_store::accounts::{AccountStore, NewUser, Role, SessionKind, open_with_accounts};
use imr_store::{StoreError, StoreOptions};

async fn backends() -> Vec<(String, Arc<dyn AccountStore>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("accounts.db");
    let (_, sqlite) = open_with_accounts(path.to_str().expect("utf-8"), StoreOptions::default())
        .await
        .expect("SQLite opens");
    let mut out = vec![("sqlite".to_string(), sqlite, Some(dir))];
    match imr_testkit::postgres_url() {
        None => {}
        Some(base) => {
            use sqlx::Connection;
            let mut admin = sqlx::PgConnection::connect(&base)
                .await
                .expect("PostgreSQL");
            let name = format!("imr_test_accounts_{}", std::process::id());
            for sql in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut admin)
                    .await
                    .expect("create database");
            }
            let url = match base.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => panic!("IMR_TEST_PG_URL has no database part: {base}"),
            };
            let (_, pg) = open_with_accounts(&url, StoreOptions::default())
                .await
                .expect("PostgreSQL opens");
            out.push(("postgres".to_string(), pg, None));
        }
    }
    out
}

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        role,
        reviewer_id: None,
        case_number: None,
        password_hash: format!("hash-of-{name}"),
        created_at: 1_700_000_000,
    }
}

#[tokio::test]
async fn users_sessions_and_failed_logins_behave_the_same_on_both_backends() {
    for (backend, store, _dir) in backends().await {
        let clerk = store
            .create_user(&user("clerk", Role::IntakeClerk))
            .await
            .expect("create");
        assert_eq!(clerk.role, Role::IntakeClerk, "{backend}");
        let err = store
            .create_user(&user("clerk", Role::Administrator))
            .await
            .expect_err("duplicate");
        assert!(
            matches!(err, StoreError::Duplicate { .. }),
            "{backend}: {err}"
        );
        let found = store
            .user_by_name("clerk")
            .await
            .expect("read")
            .expect("found");
        assert_eq!(found, clerk, "{backend}");
        assert!(store.user_by_name("nobody").await.expect("read").is_none());

        // Failed logins count up and lock at the limit (the count starts again).
        for n in 1..3 {
            let count = store
                .record_failed_login(clerk.id, 3, 9_999)
                .await
                .expect("count");
            assert_eq!(count, n, "{backend}");
        }
        assert_eq!(
            store
                .record_failed_login(clerk.id, 3, 9_999)
                .await
                .expect("count"),
            3
        );
        let locked = store
            .user_by_name("clerk")
            .await
            .expect("read")
            .expect("found");
        assert_eq!(
            (locked.locked_until, locked.failed_logins),
            (9_999, 0),
            "{backend}"
        );
        store.clear_failed_logins(clerk.id).await.expect("clear");
        assert_eq!(
            store
                .user_by_name("clerk")
                .await
                .expect("read")
                .expect("found")
                .locked_until,
            0
        );

        // Sessions: found by hash until they expire; a new password ends them.
        store
            .create_session("hash-a", clerk.id, SessionKind::Web, "csrf-a", 2_000, 1_000)
            .await
            .expect("session");
        let s = store
            .session("hash-a", 1_999)
            .await
            .expect("read")
            .expect("live");
        assert_eq!(
            (s.kind, s.csrf_token.as_str(), s.user.id),
            (SessionKind::Web, "csrf-a", clerk.id)
        );
        assert!(
            store
                .session("hash-a", 2_000)
                .await
                .expect("read")
                .is_none(),
            "{backend}: expired"
        );
        store
            .set_password(clerk.id, "new-hash")
            .await
            .expect("password");
        assert!(
            store
                .session("hash-a", 1_000)
                .await
                .expect("read")
                .is_none(),
            "{backend}: ended"
        );
        store
            .create_session("hash-b", clerk.id, SessionKind::Api, "csrf-b", 2_000, 1_000)
            .await
            .expect("session");
        // An expired session goes when the user's next one is made.
        store
            .create_session("hash-c", clerk.id, SessionKind::Web, "csrf-c", 1_500, 1_000)
            .await
            .expect("session");
        store
            .create_session("hash-d", clerk.id, SessionKind::Web, "csrf-d", 9_000, 1_600)
            .await
            .expect("session");
        // Read "as of time 0", so only a row that is gone is not found.
        let c = store.session("hash-c", 0).await.expect("read");
        assert!(c.is_none(), "{backend}: the expired session was dropped");
        assert!(
            store.session("hash-d", 0).await.expect("read").is_some(),
            "{backend}"
        );
        store.delete_session("hash-b").await.expect("delete");
        assert!(
            store
                .session("hash-b", 1_000)
                .await
                .expect("read")
                .is_none()
        );
        assert_eq!(store.users().await.expect("users").len(), 1, "{backend}");
    }
}
