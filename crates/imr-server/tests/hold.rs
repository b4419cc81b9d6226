//! The server holds under simple abuse, against a real server on 127.0.0.1 (bounded counts
//! and times, loopback only): half-sent requests and idle connections are closed, a slow body
//! is cut, failed logins slow the (username, address) pair without locking the user out (nor a
//! browser that logged in before: its device cookie is its own pair) and answer unknown names
//! as known ones, pages and the API are not cached, sessions are capped
//! and end when idle.

mod common;

use std::time::{Duration, Instant};

use common::{ADMIN_PASSWORD, TestServer};
use imr_server::{ConnectionLimits, Settings};
use imr_store::accounts::ThrottlePolicy;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Waits until the server closes `stream` (a read returns 0 bytes or fails) or `deadline`.
async fn closed_by(stream: &mut TcpStream, deadline: Instant) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or similar before the close: keep reading to the end.
            Ok(Ok(_)) => continue,
        }
    }
}

async fn health(server: &TestServer) -> Result<Duration, String> {
    let start = Instant::now();
    let response = tokio::time::timeout(
        Duration::from_secs(3),
        server.client.get(server.url("/health")).send(),
    )
    .await
    .map_err(|_| "no answer within 3 s".to_string())?
    .map_err(|e| e.to_string())?;
    if response.status() == StatusCode::OK {
        Ok(start.elapsed())
    } else {
        Err(format!("status {}", response.status()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_closed_after_the_header_timeout() {
    let header_timeout = Duration::from_secs(2);
    let server = TestServer::serve(
        Settings::default(),
        ConnectionLimits {
            header_read_timeout: header_timeout,
            ..Default::default()
        },
    )
    .await;
    let start = Instant::now();
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut stream = TcpStream::connect(server.addr).await.expect("connect");
        // A request line and one header, never the blank line that ends the headers.
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1")
            .await
            .expect("write");
        held.push(stream);
    }
    // The server answers others meanwhile.
    health(&server)
        .await
        .expect("/health answers while 300 half-sent requests are held");
    let deadline = start + header_timeout + Duration::from_secs(4);
    let mut still_open = 0;
    for stream in &mut held {
        if !closed_by(stream, deadline).await {
            still_open += 1;
        }
    }
    let took = start.elapsed();
    assert_eq!(
        still_open, 0,
        "half-sent requests still open {took:?} after they were sent"
    );
    eprintln!(
        "300 half-sent requests all closed within {took:?} (header timeout {header_timeout:?})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_connections_cannot_take_every_slot() {
    let cap = 50;
    let server = TestServer::serve(
        Settings::default(),
        ConnectionLimits {
            max_connections: cap,
            // Long, so that what closes the idle connections here is the cap.
            header_read_timeout: Duration::from_secs(60),
            ..Default::default()
        },
    )
    .await;
    let mut idle = Vec::new();
    for _ in 0..200 {
        idle.push(TcpStream::connect(server.addr).await.expect("connect"));
    }
    let took = health(&server)
        .await
        .expect("/health answers with 200 idle connections open");
    // The server holds at most `cap`: the others were closed, oldest first.
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut closed = 0;
    for stream in &mut idle {
        if closed_by(stream, deadline).await {
            closed += 1;
        } else {
            break;
        }
    }
    assert!(
        closed >= 200 - cap,
        "only {closed} of 200 idle connections were closed (cap {cap})"
    );
    eprintln!("/health answered in {took:?} with 200 idle connections; {closed} were closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_whose_body_never_arrives_is_cut_by_the_request_timeout() {
    let server = TestServer::serve(
        Settings::default(),
        ConnectionLimits {
            request_timeout: Duration::from_secs(2),
            ..Default::default()
        },
    )
    .await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream
        .write_all(
            b"POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"username\":",
        )
        .await
        .expect("write");
    let start = Instant::now();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(8), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes within the timeout")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("took longer than 2 seconds"), "{answer}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

/// A browser's form cut by the request timeout is answered with a page, never JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_cut_by_the_request_timeout_gets_a_page() {
    let server = TestServer::serve(
        Settings::default(),
        ConnectionLimits {
            request_timeout: Duration::from_secs(2),
            ..Default::default()
        },
    )
    .await;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    stream
        .write_all(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/html,application/xhtml+xml\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=",
        )
        .await
        .expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(8), stream.read_to_end(&mut answer))
        .await
        .expect("the server answers and closes within the timeout")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("content-type: text/html"), "{answer}");
    assert!(answer.contains("took longer than 2 seconds"), "{answer}");
    assert!(!answer.contains("{\"error\""), "no JSON: {answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_idle_connections_and_ends_the_server() {
    let mut server = TestServer::serve(Settings::default(), ConnectionLimits::default()).await;
    let mut idle = TcpStream::connect(server.addr).await.expect("connect");
    health(&server).await.expect("up");
    server.shut_down();
    let stopped = server.stopped.take().expect("task");
    tokio::time::timeout(Duration::from_secs(5), stopped)
        .await
        .expect("the server stops at once when nothing is under way")
        .expect("the server task ends cleanly");
    assert!(closed_by(&mut idle, Instant::now() + Duration::from_secs(2)).await);
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_under_way_finishes_when_the_server_stops() {
    let mut server = TestServer::serve(Settings::default(), ConnectionLimits::default()).await;
    let body = br#"{"username": "admin", "password": "wrong password!"}"#;
    let mut stream = TcpStream::connect(server.addr).await.expect("connect");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream
        .write_all(&body[..10])
        .await
        .expect("part of the body");
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.shut_down();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "a stopping server accepts no new connection"
    );
    stream.write_all(&body[10..]).await.expect("the rest");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("answered")
        .expect("read");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let stopped = server.stopped.take().expect("task");
    tokio::time::timeout(Duration::from_secs(5), stopped)
        .await
        .expect("the server ends once the request is answered")
        .expect("cleanly");
}

/// Throttle settings for tests: two free failures, then 4 s, 8 s (cap). (Longer than a
/// debug build's password check, so a wait has not passed by the next request.)
fn quick_throttle(trust_proxy: bool) -> Settings {
    Settings {
        throttle: ThrottlePolicy {
            free_failures: 2,
            base_seconds: 4,
            max_seconds: 8,
            forget_seconds: 3600,
        },
        trust_proxy,
        ..Default::default()
    }
}

async fn add_clerk(server: &TestServer) {
    let admin = server.login("admin", ADMIN_PASSWORD).await;
    let (status, body) = server
        .api(
            "POST",
            "/api/users",
            &admin,
            Some(serde_json::json!({"username": "clerk", "password": "clerk-password-long", "role": "intake_clerk"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn failed_logins_slow_the_pair_and_never_lock_the_user_out() {
    let server = TestServer::serve(quick_throttle(true), ConnectionLimits::default()).await;
    add_clerk(&server).await;
    let attacker = Some("203.0.113.9");
    for attempt in 1..=3 {
        let (status, body, _) = server.api_login("clerk", "wrong password!", attacker).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {body}"
        );
    }
    // The pair must now wait; even the right password is not checked during the wait.
    let (status, body, retry_after) = server
        .api_login("clerk", "clerk-password-long", attacker)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=4).contains(&wait), "{wait}");
    // The real user, at another address, is not held back.
    let (status, body, _) = server
        .api_login("clerk", "clerk-password-long", Some("198.51.100.7"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // After the wait the right password works from the attacker's address too: no lock.
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(1100)).await;
    let (status, body, _) = server
        .api_login("clerk", "clerk-password-long", attacker)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // ...and the success cleared the pair's count.
    let (status, _, _) = server.api_login("clerk", "wrong password!", attacker).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn unknown_and_known_names_get_the_same_answers() {
    let server = TestServer::serve(quick_throttle(true), ConnectionLimits::default()).await;
    add_clerk(&server).await;
    let mut answers = Vec::new();
    for name in ["clerk", "nobody-by-this-name"] {
        let mut seen = Vec::new();
        for _ in 0..5 {
            let (status, body, retry) = server
                .api_login(name, "wrong password!", Some("203.0.113.10"))
                .await;
            seen.push((
                status,
                body["error"]
                    .as_str()
                    .map(|m| m.replace(char::is_numeric, "N")),
                retry.is_some(),
            ));
        }
        answers.push(seen);
    }
    assert_eq!(
        answers[0], answers[1],
        "a known and an unknown name answer alike"
    );
    assert!(
        answers[0]
            .iter()
            .any(|(s, _, retry)| *s == StatusCode::TOO_MANY_REQUESTS && *retry),
        "the throttle answered: {:?}",
        answers[0]
    );
}

#[tokio::test]
async fn without_trust_proxy_a_forwarded_address_is_ignored() {
    let server = TestServer::serve(quick_throttle(false), ConnectionLimits::default()).await;
    add_clerk(&server).await;
    let mut statuses = Vec::new();
    for i in 0..4 {
        // A new made-up address each time: it must not buy a fresh count.
        let forged = format!("192.0.2.{i}");
        let (status, _, _) = server
            .api_login("clerk", "wrong password!", Some(&forged))
            .await;
        statuses.push(status.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429]);
}

#[tokio::test]
async fn the_web_login_form_is_throttled_the_same_way() {
    let server = TestServer::serve(quick_throttle(false), ConnectionLimits::default()).await;
    add_clerk(&server).await;
    for attempt in 1..=3 {
        let refused = server.web_login("clerk", "wrong password!").await;
        assert!(
            matches!(&refused, Err((StatusCode::UNAUTHORIZED, _))),
            "attempt {attempt}: {refused:?}"
        );
    }
    match server.web_login("clerk", "clerk-password-long").await {
        Err((StatusCode::TOO_MANY_REQUESTS, html)) => {
            assert!(html.contains("too many failed logins"), "{html}");
        }
        other => panic!("expected a wait: {other:?}"),
    }
}

/// A web login through the form from `address` (X-Forwarded-For, behind a trusted proxy),
/// with a device cookie when given: the status, the session cookie and the device cookie set.
async fn office_login(
    server: &TestServer,
    username: &str,
    password: &str,
    address: &str,
    device: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>) {
    let response = common::post_login(
        &server.client,
        &server.base,
        (username, password),
        device,
        Some(address),
    )
    .await;
    (
        response.status(),
        common::cookie_of(&response, "imr_session"),
        common::cookie_of(&response, "imr_device"),
    )
}

/// An office behind one address (a NAT): an attacker there guessing the clerk's password
/// slows every new browser at that address, but not the clerk's own browser, which logged in
/// before and shows its device cookie (OWASP's device cookies); that browser is slowed only by
/// its own failures, and its cookie is worth nothing for another account.
#[tokio::test]
async fn a_browser_that_logged_in_before_is_not_slowed_by_an_attacker_at_its_address() {
    let server = TestServer::serve(
        Settings {
            throttle: ThrottlePolicy {
                free_failures: 2,
                base_seconds: 600,
                max_seconds: 900,
                forget_seconds: 3600,
            },
            trust_proxy: true,
            ..Default::default()
        },
        ConnectionLimits::default(),
    )
    .await;
    add_clerk(&server).await;
    let office = "203.0.113.50";
    let (status, session, device) =
        office_login(&server, "clerk", "clerk-password-long", office, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(session.is_some());
    let device = device.expect("a successful login sets a device cookie");

    // The attacker, at the same address, tries 30 passwords.
    let mut answers = Vec::new();
    for _ in 0..30 {
        let (status, _, _) = server
            .api_login("clerk", "wrong password!", Some(office))
            .await;
        answers.push(status.as_u16());
    }
    assert_eq!(&answers[..3], [401, 401, 401]);
    assert!(answers[3..].iter().all(|s| *s == 429), "{answers:?}");
    // A new browser at the office waits, even with the right password...
    let (status, _, _) = office_login(&server, "clerk", "clerk-password-long", office, None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // ...the clerk's own browser does not, and keeps its device cookie.
    let (status, session, again) = office_login(
        &server,
        "clerk",
        "clerk-password-long",
        office,
        Some(&device),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the clerk's browser logs in");
    assert!(session.is_some());
    assert_eq!(again, None, "a known device keeps its cookie");

    // The device's own failures slow it down, as any pair.
    for attempt in 1..=3 {
        let (status, _, _) =
            office_login(&server, "clerk", "wrong password!", office, Some(&device)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (status, _, _) = office_login(
        &server,
        "clerk",
        "clerk-password-long",
        office,
        Some(&device),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "its own failures count"
    );

    // The clerk's device cookie buys nothing for another account.
    for _ in 0..3 {
        server
            .api_login("admin", "wrong password!", Some(office))
            .await;
    }
    let (status, _, _) =
        office_login(&server, "admin", ADMIN_PASSWORD, office, Some(&device)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // A made-up device cookie neither.
    let (status, _, _) = office_login(
        &server,
        "admin",
        ADMIN_PASSWORD,
        office,
        Some("imr_device=0123456789abcdef"),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_throttle_fails_closed() {
    let server = TestServer::serve(quick_throttle(false), ConnectionLimits::default()).await;
    add_clerk(&server).await;
    // The throttle's table goes away under the server (as a broken store would).
    use sqlx::Connection;
    let path = server.db_path.clone().expect("SQLite");
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open the file");
    sqlx::query("DROP TABLE login_throttle")
        .execute(&mut db)
        .await
        .expect("drop");
    let (status, body, _) = server.api_login("clerk", "clerk-password-long", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    let (status, _, _) = server.api_login("clerk", "wrong password!", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn patient_data_is_never_cached_but_the_style_sheet_is() {
    let server = TestServer::serve(Settings::default(), ConnectionLimits::default()).await;
    let token = server.login("admin", ADMIN_PASSWORD).await;
    let session = server
        .web_login("admin", ADMIN_PASSWORD)
        .await
        .expect("web login");
    let cache_control = |response: &reqwest::Response| {
        response
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    for path in ["/api/cases", "/api/me", "/api/cases/CM26-0000001"] {
        let response = server
            .client
            .get(server.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .expect("request");
        assert_eq!(
            cache_control(&response).as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    for path in ["/queue", "/intake", "/login", "/cases/CM26-0000001"] {
        let response = server
            .client
            .get(server.url(path))
            .header("cookie", &session)
            .send()
            .await
            .expect("request");
        assert_eq!(
            cache_control(&response).as_deref(),
            Some("no-store"),
            "{path}"
        );
    }
    let response = server
        .client
        .get(server.url("/static/style.css"))
        .send()
        .await
        .expect("style");
    assert_eq!(cache_control(&response).as_deref(), Some("max-age=3600"));
}

#[tokio::test]
async fn past_the_cap_the_oldest_session_ends() {
    let server = TestServer::serve(
        Settings {
            max_sessions_per_user: 2,
            ..Default::default()
        },
        ConnectionLimits::default(),
    )
    .await;
    let mut tokens = Vec::new();
    for _ in 0..3 {
        tokens.push(server.login("admin", ADMIN_PASSWORD).await);
    }
    let mut statuses = Vec::new();
    for token in &tokens {
        statuses.push(server.api("GET", "/api/me", token, None).await.0.as_u16());
    }
    assert_eq!(statuses, [401, 200, 200]);
}

#[tokio::test]
async fn an_idle_web_session_ends_and_a_used_one_lives_on() {
    let idle = 3;
    let server = TestServer::serve(
        Settings {
            session_idle_seconds: idle,
            ..Default::default()
        },
        ConnectionLimits::default(),
    )
    .await;
    let session = server
        .web_login("admin", ADMIN_PASSWORD)
        .await
        .expect("web login");
    // Used every 1.5 s for 4.5 s: longer than the idle timeout in all, never idle that long.
    for _ in 0..3 {
        let (status, location, _) = server.page("/queue", &session).await;
        assert_eq!((status, location), (StatusCode::OK, None));
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    let (status, _, _) = server.page("/queue", &session).await;
    assert_eq!(status, StatusCode::OK, "a used session lives on");
    tokio::time::sleep(Duration::from_secs(idle as u64 + 2)).await;
    let (status, location, _) = server.page("/queue", &session).await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/login?next=%2Fqueue&reason=idle")
        ),
        "an idle session ended, and the login says why"
    );
}
