//! `imr user` through the real binary on a real SQLite file, checked against a real `imr serve`
//! on 127.0.0.1 (raw HTTP/1.1 over a socket), which then stops on SIGTERM.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn imr(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(args)
        .env("IMR_DATABASE_URL", db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(db: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let out = imr(db, args, stdin);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "imr {args:?} failed: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

fn fails(db: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let out = imr(db, args, stdin);
    assert!(!out.status.success(), "imr {args:?} should fail");
    String::from_utf8(out.stderr).unwrap()
}

/// The one-time password a command printed.
fn one_time_password(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.split_once("one-time password (to be changed at first login): "))
        .map(|(_, p)| p.trim().to_string())
        .unwrap_or_else(|| panic!("no one-time password in {stdout:?}"))
}

/// POSTs a login to the server and returns the status code.
fn login(addr: &str, username: &str, password: &str) -> u16 {
    let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

#[test]
fn users_are_managed_from_the_command_line_and_the_server_honours_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("imr.db");

    let out = ok(
        &db,
        &[
            "user",
            "add",
            "alice",
            "--role",
            "intake_clerk",
            "--password-stdin",
        ],
        Some("alice-password-long\n"),
    );
    assert!(out.contains("user alice added (intake_clerk)"), "{out}");
    assert!(
        !out.contains("one-time"),
        "a chosen password is not one-time: {out}"
    );
    let out = ok(
        &db,
        &["user", "add", "boss", "--role", "administrator"],
        None,
    );
    let boss_password = one_time_password(&out);
    assert!(boss_password.len() >= 12, "{boss_password}");

    // Bad input is refused with a message that names what is wrong.
    let err = fails(&db, &["user", "add", "carol", "--role", "chief"], None);
    assert!(err.contains("--role") && err.contains("chief"), "{err}");
    let err = fails(
        &db,
        &[
            "user",
            "add",
            "carol",
            "--role",
            "intake_clerk",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(err.contains("at least 12 characters"), "{err}");
    let err = fails(
        &db,
        &["user", "add", "alice", "--role", "intake_clerk"],
        None,
    );
    assert!(err.contains("alice"), "a taken name: {err}");
    let err = fails(&db, &["user", "disable", "nobody"], None);
    assert!(err.contains("no user \"nobody\""), "{err}");

    let list = ok(&db, &["user", "list"], None);
    let row = |name: &str| {
        list.lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("{name} not listed: {list}"))
            .to_string()
    };
    assert!(row("alice").ends_with("active"), "{list}");
    assert!(row("boss").ends_with("one-time password"), "{list}");
    assert!(!list.contains("carol"), "nothing half-made: {list}");

    // A real server on the same file.
    let mut server = Command::new(env!("CARGO_BIN_EXE_imr"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("IMR_DATABASE_URL", &db)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server prints its address")
            .unwrap();
        if let Some(rest) = line.strip_prefix("imr serving on http://") {
            break rest.trim().to_string();
        }
    };

    assert_eq!(login(&addr, "alice", "alice-password-long"), 200);
    // A one-time password does not open the API: it must be changed on the web first.
    assert_eq!(login(&addr, "boss", &boss_password), 403);

    ok(&db, &["user", "disable", "alice"], None);
    assert_eq!(login(&addr, "alice", "alice-password-long"), 401);
    assert!(ok(&db, &["user", "list"], None).contains("disabled"));
    ok(&db, &["user", "enable", "alice"], None);
    let out = ok(
        &db,
        &["user", "passwd", "alice", "--password-stdin"],
        Some("alice-second-password\n"),
    );
    assert!(out.contains("password of alice changed"), "{out}");
    assert_eq!(login(&addr, "alice", "alice-password-long"), 401);
    assert_eq!(login(&addr, "alice", "alice-second-password"), 200);
    // A reset gives a new one-time password.
    let out = ok(&db, &["user", "passwd", "alice"], None);
    let reset = one_time_password(&out);
    assert_eq!(login(&addr, "alice", &reset), 403);

    // SIGTERM stops the server cleanly.
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the server did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "exit after SIGTERM: {status}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "imr stopped"), "{rest:?}");
}
