//! Accounts on the web, against a real server: a one-time password must be changed before
//! anything else, a user changes their own password, the administrator adds, disables,
//! enables and resets users.

mod common;

use common::{ADMIN_PASSWORD, TestServer, cookie_of, csrf_of};
use imr_server::{ConnectionLimits, Settings};
use reqwest::StatusCode;

/// The one-time password a users page shows.
fn shown_password(html: &str) -> String {
    let marker = r#"<code id="one-time-password">"#;
    let start = html.find(marker).expect("a one-time password on the page") + marker.len();
    html[start..]
        .split('<')
        .next()
        .expect("password")
        .to_string()
}

async fn admin_session(server: &TestServer) -> (String, String) {
    let session = server
        .web_login("admin", ADMIN_PASSWORD)
        .await
        .expect("admin logs in");
    let (status, _, html) = server.page("/admin/users", &session).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let csrf = csrf_of(&html);
    (session, csrf)
}

/// Changes the password on the change-password page; returns the response.
async fn change_password(
    server: &TestServer,
    session: &str,
    current: &str,
    new: &str,
    confirm: &str,
) -> reqwest::Response {
    let (_, _, html) = server.page("/account/password", session).await;
    let csrf = csrf_of(&html);
    server
        .post_form(
            "/account/password",
            session,
            &csrf,
            &[("current", current), ("new", new), ("confirm", confirm)],
        )
        .await
}

#[tokio::test]
async fn a_one_time_password_must_be_changed_before_anything_else() {
    let server = TestServer::serve(Settings::default(), ConnectionLimits::default()).await;
    let (admin, csrf) = admin_session(&server).await;
    let response = server
        .post_form(
            "/admin/users",
            &admin,
            &csrf,
            &[("username", "clerk"), ("role", "intake_clerk")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let one_time = shown_password(&response.text().await.expect("page"));

    let session = server
        .web_login("clerk", &one_time)
        .await
        .expect("the one-time password logs in");
    for path in ["/queue", "/intake", "/corpus/search", "/admin/users"] {
        let (status, location, _) = server.page(path, &session).await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/account/password")),
            "{path}"
        );
    }
    let (status, _, html) = server.page("/account/password", &session).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("one-time password"), "{html}");
    // Nor does the API open for it.
    let (status, body, _) = server.api_login("clerk", &one_time, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    // Mistakes are named and change nothing.
    for (current, new, confirm, expected) in [
        (
            "not-the-password",
            "clerk-own-password",
            "clerk-own-password",
            "current password",
        ),
        (
            one_time.as_str(),
            "short",
            "short",
            "at least 12 characters",
        ),
        (
            one_time.as_str(),
            "clerk-own-password",
            "clerk-other-password",
            "not the same",
        ),
        (
            one_time.as_str(),
            one_time.as_str(),
            one_time.as_str(),
            "other than the current one",
        ),
    ] {
        let response = change_password(&server, &session, current, new, confirm).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{expected}");
        let html = response.text().await.expect("page");
        assert!(html.contains(expected), "{expected}: {html}");
    }

    let response = change_password(
        &server,
        &session,
        &one_time,
        "clerk-own-password",
        "clerk-own-password",
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let new_session = cookie_of(&response, "imr_session").expect("a new session");
    let (status, _, _) = server.page("/queue", &new_session).await;
    assert_eq!(status, StatusCode::OK, "the queue opens after the change");
    let (status, location, _) = server.page("/queue", &session).await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/login?next=%2Fqueue")),
        "the old session ended"
    );
    assert!(server.web_login("clerk", &one_time).await.is_err());
    assert!(
        server
            .web_login("clerk", "clerk-own-password")
            .await
            .is_ok()
    );
    let (status, _, _) = server.api_login("clerk", "clerk-own-password", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_first_administrator_with_a_generated_password_must_change_it() {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("imr.db");
    let (store, accounts) =
        imr_store::accounts::open_with_accounts(path.to_str().expect("utf-8"), Default::default())
            .await
            .expect("store");
    let state = imr_server::AppState::new(store, accounts, Settings::default()).expect("state");
    let (name, password) = imr_server::bootstrap_admin(&state, None)
        .await
        .expect("bootstrap")
        .expect("created");
    let password = password.expect("generated");
    let admin = state
        .accounts
        .user_by_name(&name)
        .await
        .expect("read")
        .expect("admin");
    assert!(admin.must_change_password);
    assert!(
        password.len() >= imr_server::auth::MIN_PASSWORD_CHARS
            && password.chars().all(|c| c.is_ascii_hexdigit()),
        "{password}"
    );
    // The demo's users get one-time passwords too.
    let principal = imr_server::auth::Principal {
        user_id: admin.id,
        username: admin.username.clone(),
        role: admin.role,
        reviewer_id: None,
        case_number: None,
        csrf_token: String::new(),
        token_sha256: String::new(),
        idle_seconds_left: None,
    };
    let demo = imr_server::demo::load(&state, &principal)
        .await
        .expect("demo")
        .expect("loaded");
    assert!(!demo.users.is_empty());
    for (name, _, _) in &demo.users {
        let user = state
            .accounts
            .user_by_name(name)
            .await
            .expect("read")
            .expect("user");
        assert!(user.must_change_password, "{name}");
    }
}

#[tokio::test]
async fn the_administrator_disables_enables_and_resets_users() {
    let server = TestServer::serve(Settings::default(), ConnectionLimits::default()).await;
    let admin_token = server.login("admin", ADMIN_PASSWORD).await;
    let (status, body) = server
        .api(
            "POST",
            "/api/users",
            &admin_token,
            Some(serde_json::json!({"username": "clerk", "password": "clerk-password-long", "role": "intake_clerk"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let clerk = server
        .web_login("clerk", "clerk-password-long")
        .await
        .expect("clerk logs in");
    // Not for a clerk.
    let (status, _, _) = server.page("/admin/users", &clerk).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (admin, csrf) = admin_session(&server).await;
    let response = server
        .post_form("/admin/users/clerk/disable", &admin, &csrf, &[])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.expect("page").contains("disabled"));
    let (_, location, _) = server.page("/queue", &clerk).await;
    assert_eq!(
        location.as_deref(),
        Some("/login?next=%2Fqueue"),
        "the clerk's session ended"
    );
    let refused = server.web_login("clerk", "clerk-password-long").await;
    assert!(
        matches!(&refused, Err((StatusCode::UNAUTHORIZED, html)) if html.contains("wrong username or password")),
        "a disabled user is answered as a wrong password: {refused:?}"
    );

    server
        .post_form("/admin/users/clerk/enable", &admin, &csrf, &[])
        .await;
    assert!(
        server
            .web_login("clerk", "clerk-password-long")
            .await
            .is_ok()
    );

    let response = server
        .post_form("/admin/users/clerk/reset", &admin, &csrf, &[])
        .await;
    let reset = shown_password(&response.text().await.expect("page"));
    assert!(
        server
            .web_login("clerk", "clerk-password-long")
            .await
            .is_err()
    );
    let session = server
        .web_login("clerk", &reset)
        .await
        .expect("reset password");
    let (_, location, _) = server.page("/queue", &session).await;
    assert_eq!(location.as_deref(), Some("/account/password"));

    // The administrator cannot lock themself out here, nor act without the form's token.
    let response = server
        .post_form("/admin/users/admin/disable", &admin, &csrf, &[])
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = server
        .post_form("/admin/users/clerk/disable", &admin, "not-the-token", &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = server
        .post_form(
            "/admin/users",
            &admin,
            &csrf,
            &[("username", "clerk"), ("role", "intake_clerk")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT, "the name is taken");
    let response = server
        .post_form(
            "/admin/users",
            &admin,
            &csrf,
            &[
                ("username", "rev"),
                ("role", "reviewer"),
                ("reviewer_id", "no-such-reviewer"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .expect("page")
            .contains("no reviewer no-such-reviewer")
    );
}
