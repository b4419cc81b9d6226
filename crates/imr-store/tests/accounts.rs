//! Users, sessions and the login throttle, each check on SQLite and on PostgreSQL (a test of
//! its own, ignored where IMR_TEST_PG_URL names no server).

mod backends;

use std::sync::Arc;

use imr_store::accounts::{
    AccountStore, LoginAttempt, NewSession, NewUser, Role, SessionKind, ThrottlePolicy,
    open_with_accounts,
};
use imr_store::{StoreError, StoreOptions};

async fn open(url: &str) -> Arc<dyn AccountStore> {
    let (_, accounts) = open_with_accounts(url, StoreOptions::default())
        .await
        .expect("the store opens");
    accounts
}

backends::on_both_backends!(open;
    users_and_sessions_behave_alike,
    the_login_throttle_counts_per_pair_and_forgets_quiet_pairs,
    login_devices_belong_to_their_user_expire_and_are_capped,
);

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        role,
        reviewer_id: None,
        case_number: None,
        password_hash: format!("hash-of-{name}"),
        must_change_password: false,
        created_at: 1_700_000_000,
    }
}

fn session(
    token: &str,
    user_id: i64,
    kind: SessionKind,
    created_ms: i64,
    expires_at: i64,
) -> NewSession {
    NewSession {
        token_sha256: token.into(),
        user_id,
        kind,
        csrf_token: format!("csrf-{token}"),
        created_ms,
        expires_at,
    }
}

async fn users_and_sessions_behave_alike(backend: &str, store: Arc<dyn AccountStore>) {
    let clerk = store
        .create_user(&user("clerk", Role::IntakeClerk))
        .await
        .expect("create");
    assert_eq!(clerk.role, Role::IntakeClerk, "{backend}");
    assert!(!clerk.disabled && !clerk.must_change_password, "{backend}");
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

    // Sessions: found by hash until they expire; a new password ends them.
    store
        .create_session(
            &session("hash-a", clerk.id, SessionKind::Web, 1, 2_000),
            1_000,
            5,
        )
        .await
        .expect("session");
    let s = store
        .session("hash-a", 1_999)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(
        (s.kind, s.csrf_token.as_str(), s.user.id, s.last_seen),
        (SessionKind::Web, "csrf-hash-a", clerk.id, 1_000),
        "{backend}"
    );
    store.touch_session("hash-a", 1_500).await.expect("touch");
    assert_eq!(
        store
            .session("hash-a", 1_600)
            .await
            .expect("read")
            .map(|s| s.last_seen),
        Some(1_500),
        "{backend}: touched"
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
        .set_password(clerk.id, "new-hash", true)
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
    let changed = store
        .user_by_name("clerk")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        (changed.password_hash.as_str(), changed.must_change_password),
        ("new-hash", true),
        "{backend}"
    );
    store
        .create_session(
            &session("hash-b", clerk.id, SessionKind::Api, 2, 2_000),
            1_000,
            5,
        )
        .await
        .expect("session");
    // An expired session goes when the user's next one is made.
    store
        .create_session(
            &session("hash-c", clerk.id, SessionKind::Web, 3, 1_500),
            1_000,
            5,
        )
        .await
        .expect("session");
    store
        .create_session(
            &session("hash-d", clerk.id, SessionKind::Web, 4, 9_000),
            1_600,
            5,
        )
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

    // Past the cap the oldest web sessions go; the API token is another kind, untouched.
    store
        .create_session(
            &session("api-1", clerk.id, SessionKind::Api, 5, 9_000),
            1_700,
            2,
        )
        .await
        .expect("session");
    for (i, token) in ["w-1", "w-2", "w-3"].iter().enumerate() {
        store
            .create_session(
                &session(token, clerk.id, SessionKind::Web, 10 + i as i64, 9_000),
                1_700,
                2,
            )
            .await
            .expect("session");
    }
    let mut live = Vec::new();
    for token in ["hash-d", "w-1", "w-2", "w-3", "api-1"] {
        if store.session(token, 1_700).await.expect("read").is_some() {
            live.push(token);
        }
    }
    assert_eq!(live, ["w-2", "w-3", "api-1"], "{backend}");

    // Disabling ends the sessions and hides the user's tokens; enabling does not revive them.
    store.set_disabled(clerk.id, true).await.expect("disable");
    assert!(
        store.session("w-3", 1_700).await.expect("read").is_none(),
        "{backend}"
    );
    assert!(
        store
            .user_by_name("clerk")
            .await
            .expect("read")
            .expect("found")
            .disabled
    );
    store.set_disabled(clerk.id, false).await.expect("enable");
    assert!(
        store.session("w-3", 1_700).await.expect("read").is_none(),
        "{backend}"
    );
    assert!(matches!(
        store.set_disabled(9_999, true).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.users().await.expect("users").len(), 1, "{backend}");
}

async fn the_login_throttle_counts_per_pair_and_forgets_quiet_pairs(
    backend: &str,
    store: Arc<dyn AccountStore>,
) {
    let policy = ThrottlePolicy {
        free_failures: 2,
        base_seconds: 10,
        max_seconds: 100,
        forget_seconds: 1_000,
    };
    let attempt = |name: &'static str, client: &'static str, now: i64| {
        let store = store.clone();
        async move {
            store
                .begin_login_attempt(name, client, now, &policy)
                .await
                .expect("attempt")
        }
    };
    let mut seen = Vec::new();
    for now in [5_000, 5_001, 5_002, 5_011, 5_012] {
        seen.push(attempt("clerk", "10.0.0.1", now).await);
    }
    assert_eq!(
        seen,
        [
            LoginAttempt::Go {
                failures: 1,
                blocked_until: 5_000
            },
            LoginAttempt::Go {
                failures: 2,
                blocked_until: 5_001
            },
            LoginAttempt::Go {
                failures: 3,
                blocked_until: 5_012
            },
            // During the wait: not counted.
            LoginAttempt::Wait { until: 5_012 },
            LoginAttempt::Go {
                failures: 4,
                blocked_until: 5_032
            },
        ],
        "{backend}"
    );
    // Another address, or another name, is another pair.
    assert_eq!(
        attempt("clerk", "10.0.0.2", 5_013).await,
        LoginAttempt::Go {
            failures: 1,
            blocked_until: 5_013
        },
        "{backend}"
    );
    assert_eq!(
        attempt("admin", "10.0.0.1", 5_013).await,
        LoginAttempt::Go {
            failures: 1,
            blocked_until: 5_013
        },
        "{backend}"
    );
    // A success clears the pair.
    store
        .clear_login_failures("clerk", "10.0.0.2")
        .await
        .expect("clear");
    assert_eq!(
        attempt("clerk", "10.0.0.2", 5_014).await,
        LoginAttempt::Go {
            failures: 1,
            blocked_until: 5_014
        },
        "{backend}"
    );
    // A pair quiet past forget_seconds starts again.
    assert_eq!(
        attempt("clerk", "10.0.0.1", 5_012 + 1_001).await,
        LoginAttempt::Go {
            failures: 1,
            blocked_until: 6_013
        },
        "{backend}"
    );
    // Attempts at once are counted one by one: of 8 in parallel, only the free ones and
    // the first that sets a wait go ahead.
    let parallel: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .begin_login_attempt("racer", "10.0.0.9", 7_000, &policy)
                    .await
                    .expect("attempt")
            })
        })
        .collect();
    let mut went = 0;
    for task in parallel {
        if matches!(task.await.expect("task"), LoginAttempt::Go { .. }) {
            went += 1;
        }
    }
    assert_eq!(went, 3, "{backend}");
}

async fn login_devices_belong_to_their_user_expire_and_are_capped(
    backend: &str,
    store: Arc<dyn AccountStore>,
) {
    let clerk = store
        .create_user(&user("clerk", Role::IntakeClerk))
        .await
        .expect("create");
    let other = store
        .create_user(&user("other", Role::IntakeClerk))
        .await
        .expect("create");
    store
        .add_login_device("device-a", clerk.id, 1_000, 2_000, 3)
        .await
        .expect("add");
    let known = |token: &'static str, name: &'static str, now: i64| {
        let store = store.clone();
        async move { store.is_login_device(token, name, now).await.expect("read") }
    };
    assert!(known("device-a", "clerk", 1_500).await, "{backend}");
    assert!(
        !known("device-a", "other", 1_500).await,
        "{backend}: another user's device is not theirs"
    );
    assert!(!known("device-b", "clerk", 1_500).await, "{backend}");
    assert!(
        !known("device-a", "clerk", 2_000).await,
        "{backend}: expired"
    );
    // Past the cap the oldest go; an expired one goes when a new one comes.
    for (i, token) in ["d1", "d2", "d3", "d4"].into_iter().enumerate() {
        let at = 3_000 + i as i64;
        store
            .add_login_device(token, clerk.id, at, at + 10_000, 3)
            .await
            .expect("add");
    }
    assert!(
        !known("d1", "clerk", 3_010).await,
        "{backend}: past the cap"
    );
    for token in ["d2", "d3", "d4"] {
        assert!(known(token, "clerk", 3_010).await, "{backend}: {token}");
    }
    // The cap is per user.
    store
        .add_login_device("o1", other.id, 3_100, 13_000, 3)
        .await
        .expect("add");
    assert!(known("d4", "clerk", 3_110).await, "{backend}");
    assert!(known("o1", "other", 3_110).await, "{backend}");
}
