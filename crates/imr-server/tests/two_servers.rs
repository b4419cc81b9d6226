//! Two servers on one PostgreSQL database behave as one (as behind a load balancer): each has
//! its own connection pool and its own port, and yet a session made on one is valid on the
//! other, a case signed on one cannot be signed again on the other, and the login throttle
//! counts failures made on both. Skips visibly (imr_testkit) when IMR_TEST_PG_URL is not set.

mod common;

use common::{ADMIN_PASSWORD, TestServer};
use imr_server::{ConnectionLimits, Settings};
use imr_store::accounts::ThrottlePolicy;
use reqwest::StatusCode;
use serde_json::json;

fn settings() -> Settings {
    Settings {
        throttle: ThrottlePolicy {
            free_failures: 2,
            // Long enough that the wait is still on when the other server is asked.
            base_seconds: 60,
            max_seconds: 120,
            forget_seconds: 3600,
        },
        trust_proxy: true,
        ..Default::default()
    }
}

#[imr_testkit::needs(postgres)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_database_behave_as_one() {
    let Some(url) = imr_testkit::postgres::fresh_database("two_servers").await else {
        return;
    };
    let a = TestServer::serve_on(Some(&url), settings(), ConnectionLimits::default()).await;
    let b = TestServer::serve_on(Some(&url), settings(), ConnectionLimits::default()).await;
    assert_ne!(a.addr, b.addr);

    // A session from one is valid on the other, API and web; logging out on one ends it on both.
    let admin = a.login("admin", ADMIN_PASSWORD).await;
    let (status, me) = b.api("GET", "/api/me", &admin, None).await;
    assert_eq!(
        (status, me["username"].as_str()),
        (StatusCode::OK, Some("admin"))
    );
    let web = a
        .web_login("admin", ADMIN_PASSWORD)
        .await
        .expect("web login on a");
    let (status, _, _) = b.page("/queue", &web).await;
    assert_eq!(status, StatusCode::OK, "a's web session on b");
    let other = b.login("admin", ADMIN_PASSWORD).await;
    let (status, _) = b.api("POST", "/api/logout", &other, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = a.api("GET", "/api/me", &other, None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "logged out on b, so on a too"
    );

    // A case brought to signing through a, then signed on both at once: one signature only.
    let reviewers: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(common::data("reviewers.json")).expect("reviewers fixture"),
    )
    .expect("reviewers JSON");
    for r in reviewers {
        let (status, body) = a.api("POST", "/api/reviewers", &admin, Some(r)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = a
        .api(
            "POST",
            "/api/users",
            &admin,
            Some(json!({"username": "rev-ortho", "password": "rev-ortho-password", "role": "reviewer", "reviewer_id": "rev-ortho"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let reviewer_on_a = a.login("rev-ortho", "rev-ortho-password").await;
    let reviewer_on_b = b.login("rev-ortho", "rev-ortho-password").await;
    let (status, case) = a
        .api(
            "POST",
            "/api/applications",
            &admin,
            Some(common::application()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let n = case["number"].as_str().expect("number").to_string();
    let (status, body) = b
        .api(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            &admin,
            Some(json!({"reviewer_id": "rev-ortho", "notice": "electronic"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "assigned on b: {body}");
    let records = std::fs::read(common::data("records.txt")).expect("records");
    let response = a
        .client
        .post(a.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&filename=notes.txt&complete=true"
        )))
        .bearer_auth(&admin)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED);
    let decisions = json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints", "rationale": "Progressive deficit documented."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines", "rationale": "No functional improvement after the trial."}
    ], "clinical_summary": "A fictional worker with low back pain."});
    let path = format!("/api/cases/{n}/determination");
    let (on_a, on_b) = tokio::join!(
        a.api("POST", &path, &reviewer_on_a, Some(decisions.clone())),
        b.api("POST", &path, &reviewer_on_b, Some(decisions.clone())),
    );
    let mut statuses = [on_a.0, on_b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "one signature, the other refused: a {} {}, b {} {}",
        on_a.0,
        on_a.1,
        on_b.0,
        on_b.1
    );
    let (status, body) = b.api("POST", &path, &reviewer_on_b, Some(decisions)).await;
    assert_eq!(status, StatusCode::CONFLICT, "signing again on b: {body}");

    // The throttle counts failures on both servers: two on a, one on b, then both wait.
    let from = Some("203.0.113.20");
    for server in [&a, &a, &b] {
        let (status, body, _) = server.api_login("rev-ortho", "wrong password!", from).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
    for server in [&a, &b] {
        let (status, body, retry) = server
            .api_login("rev-ortho", "rev-ortho-password", from)
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert!(retry.is_some());
    }
    // Another address is not held back, on either.
    let (status, _, _) = b
        .api_login("rev-ortho", "rev-ortho-password", Some("198.51.100.20"))
        .await;
    assert_eq!(status, StatusCode::OK);
    drop((a, b));
    imr_testkit::postgres::drop_database(&url).await;
}
