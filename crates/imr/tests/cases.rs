//! The case commands end to end: the real `imr` binary on a real SQLite file, with fictional
//! people from data/demo. `--now` (IMR_NOW) fixes the clock so that the history is stable.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Shell {
    dir: tempfile::TempDir,
}

impl Shell {
    fn new() -> Shell {
        Shell {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("imr.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `imr ARGS` against this shell's store at `now`.
    fn imr_at(&self, now: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_imr"))
            .args(args)
            .env("IMR_DATABASE_URL", self.db())
            .env("IMR_NOW", now)
            .env("IMR_ACTOR", "clerk-7")
            .env_remove("IMR_MAX_DOCUMENT_BYTES")
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns standard output.
    fn ok(&self, now: &str, args: &[&str]) -> String {
        let out = self.imr_at(now, args);
        assert!(
            out.status.success(),
            "imr {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure; returns standard error.
    fn fails(&self, now: &str, args: &[&str]) -> String {
        let out = self.imr_at(now, args);
        assert!(!out.status.success(), "imr {args:?} succeeded");
        String::from_utf8(out.stderr).unwrap()
    }
}

fn demo(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/demo")
        .join(name)
        .display()
        .to_string()
}

fn with_reviewers(sh: &Shell) {
    let files: Vec<String> = ["ortho-1", "ortho-conflicted", "pmr-1", "psych-new"]
        .iter()
        .map(|r| demo(&format!("reviewers/{r}.json")))
        .collect();
    let mut args = vec!["reviewer", "add"];
    args.extend(files.iter().map(String::as_str));
    sh.ok("2026-01-02T08:00", &args);
}

const CASE: &str = "CM26-0000001";

#[test]
fn a_case_from_application_to_letter() {
    let sh = Shell::new();
    with_reviewers(&sh);
    let out = sh.ok(
        "2026-01-21T09:00",
        &["case", "new", &demo("application.json")],
    );
    assert_eq!(
        out,
        "CM26-0000001: eligible (standard review, 2 disputed item(s))\n"
    );
    let out = sh.ok(
        "2026-01-22T09:00",
        &["case", "assign", CASE, "--notice", "mail"],
    );
    insta::assert_snapshot!("assignment", out);
    std::fs::write(sh.path("part1.txt"), "Fictional progress note, part one.\n").unwrap();
    std::fs::write(sh.path("part2.txt"), "Fictional progress note, part two.\n").unwrap();
    let p1 = sh.path("part1.txt").display().to_string();
    let p2 = sh.path("part2.txt").display().to_string();
    sh.ok("2026-01-27T10:00", &["case", "records", CASE, &p1]);
    let out = sh.ok("2026-02-02T10:00", &["deadlines", "--days", "5"]);
    assert_eq!(
        out,
        "CM26-0000001  records       due 2026-02-06 23:59  Standard \n"
    );
    sh.ok(
        "2026-02-04T16:30",
        &["case", "records", CASE, &p2, "--complete"],
    );
    let out = sh.ok("2026-03-10T10:00", &["deadlines"]);
    assert!(
        out.contains("determination due 2026-03-06 23:59  Standard   OVERDUE"),
        "{out}"
    );
    sh.ok(
        "2026-03-09T11:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            &demo("decisions.json"),
        ],
    );
    let letter = sh.path("letter.txt");
    sh.ok(
        "2026-03-10T09:00",
        &["case", "letter", CASE, "-o", letter.to_str().unwrap()],
    );
    let text = std::fs::read_to_string(&letter).unwrap();
    assert!(text.contains("Case Number: CM26-0000001"), "{text}");
    assert!(
        text.contains("MRI of the lumbar spine without contrast: Overturned"),
        "{text}"
    );
    assert!(
        text.contains("Board Certified in Orthopedic Surgery"),
        "{text}"
    );
    let history = sh.ok("2026-03-11T09:00", &["case", "show", CASE]);
    insta::assert_snapshot!("history", history);
}

/// A case assigned to ortho-1 at 2026-01-22.
fn assigned() -> Shell {
    let sh = Shell::new();
    with_reviewers(&sh);
    sh.ok(
        "2026-01-21T09:00",
        &["case", "new", &demo("application.json")],
    );
    sh.ok(
        "2026-01-22T09:00",
        &["case", "assign", CASE, "--reviewer", "ortho-1"],
    );
    sh
}

fn documents(sh: &Shell) -> usize {
    let show = sh.ok("2026-03-01T09:00", &["case", "show", CASE]);
    let (_, docs) = show.split_once("Documents\n").unwrap();
    docs.lines().count()
}

#[test]
fn bad_applications_are_refused_and_nothing_is_stored() {
    let sh = Shell::new();
    std::fs::write(
        sh.path("broken.json"),
        "{\n  \"worker\": \"Someone\",\n  oops\n}",
    )
    .unwrap();
    let err = sh.fails(
        "2026-01-21T09:00",
        &["case", "new", sh.path("broken.json").to_str().unwrap()],
    );
    assert!(
        err.contains("broken.json") && err.contains("line 3"),
        "{err}"
    );
    let app = std::fs::read_to_string(demo("application.json")).unwrap();
    std::fs::write(
        sh.path("future.json"),
        app.replace("\"filed\": \"2026-01-21\"", "\"filed\": \"2031-01-21\""),
    )
    .unwrap();
    let err = sh.fails(
        "2026-01-21T09:00",
        &["case", "new", sh.path("future.json").to_str().unwrap()],
    );
    assert!(err.contains("filed: 2031-01-21 is in the future"), "{err}");
    std::fs::write(
        sh.path("old.json"),
        app.replace(
            "\"date_of_injury\": \"2025-06-12\"",
            "\"date_of_injury\": \"1899-06-12\"",
        ),
    )
    .unwrap();
    let err = sh.fails(
        "2026-01-21T09:00",
        &["case", "new", sh.path("old.json").to_str().unwrap()],
    );
    assert!(
        err.contains("date_of_injury: 1899-06-12 is before 1900"),
        "{err}"
    );
    std::fs::write(sh.path("empty.json"), "").unwrap();
    let err = sh.fails(
        "2026-01-21T09:00",
        &["case", "new", sh.path("empty.json").to_str().unwrap()],
    );
    assert!(err.contains("empty (0 bytes)"), "{err}");
    let err = sh.fails("2026-01-21T09:00", &["case", "show", CASE]);
    assert!(err.contains("no case CM26-0000001"), "{err}");
    let err = sh.fails("2026-01-21T09:00", &["case", "show", "CM26-1"]);
    assert!(err.contains("not a case number"), "{err}");
}

#[test]
fn an_unsigned_late_application_gets_an_ineligible_case_that_cannot_move() {
    let sh = Shell::new();
    with_reviewers(&sh);
    let app = std::fs::read_to_string(demo("application.json")).unwrap();
    let late = app
        .replace(
            "\"signature\": {\"signer\": \"worker\", \"date\": \"2026-01-20\"},",
            "",
        )
        .replace("\"filed\": \"2026-01-21\"", "\"filed\": \"2026-02-07\"");
    std::fs::write(sh.path("late.json"), late).unwrap();
    let out = sh.ok(
        "2026-02-07T09:00",
        &["case", "new", sh.path("late.json").to_str().unwrap()],
    );
    assert_eq!(
        out,
        "CM26-0000001: ineligible\n  - the application is not signed by the worker or a representative\n  \
         - filed late: 31 days after service of the UR decision (2026-01-07 to 2026-02-07); the limit is 30\n"
    );
    let err = sh.fails("2026-02-08T09:00", &["case", "assign", CASE]);
    assert!(err.contains("is ineligible"), "{err}");
}

#[test]
fn reviewers_with_a_conflict_or_unknown_are_refused_even_by_hand() {
    let sh = Shell::new();
    with_reviewers(&sh);
    sh.ok(
        "2026-01-21T09:00",
        &["case", "new", &demo("application.json")],
    );
    let err = sh.fails(
        "2026-01-22T09:00",
        &["case", "assign", CASE, "--reviewer", "ortho-conflicted"],
    );
    assert!(
        err.contains(
            "conflict of interest: affiliated (provider group) with the requesting provider's group"
        ),
        "{err}"
    );
    let err = sh.fails(
        "2026-01-22T09:00",
        &["case", "assign", CASE, "--reviewer", "nobody"],
    );
    assert!(err.contains("no reviewer \"nobody\""), "{err}");
    let err = sh.fails(
        "2026-01-22T09:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            &demo("decisions.json"),
        ],
    );
    assert!(err.contains("no reviewer assigned yet"), "{err}");
    let err = sh.fails(
        "2026-01-22T09:00",
        &["reviewer", "add", &demo("reviewers/pmr-1.json")],
    );
    assert!(err.contains("reviewer pmr-1 already exists"), "{err}");
    let show = sh.ok("2026-01-22T10:00", &["case", "show", CASE]);
    assert!(show.contains("status:            eligible"), "{show}");
}

#[test]
fn signatures_and_records_follow_the_rules() {
    let sh = assigned();
    let decisions = demo("decisions.json");
    // The same check as the server's: no signature on records still awaited.
    let err = sh.fails(
        "2026-01-30T09:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            &decisions,
        ],
    );
    assert!(
        err.contains(
            "case CM26-0000001 cannot be signed: the records of case CM26-0000001 are not \
             complete yet"
        ),
        "{err}"
    );
    std::fs::write(
        sh.path("records.txt"),
        "Fictional progress note: low back pain, weakness of ankle dorsiflexion.\n",
    )
    .unwrap();
    sh.ok(
        "2026-01-31T09:00",
        &[
            "case",
            "records",
            CASE,
            sh.path("records.txt").to_str().unwrap(),
            "--complete",
        ],
    );
    // Nor without a clinical summary for the letter: the decisions alone are refused, named.
    let full: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&decisions).unwrap()).unwrap();
    std::fs::write(
        sh.path("no-summary.json"),
        serde_json::to_string(&full["decisions"]).unwrap(),
    )
    .unwrap();
    let err = sh.fails(
        "2026-02-01T08:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            sh.path("no-summary.json").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("clinical_summary: the clinical summary is empty")
            && err.contains("nothing was signed"),
        "{err}"
    );
    let show = sh.ok("2026-02-01T08:30", &["case", "show", CASE]);
    assert!(
        show.contains("status:            records_complete"),
        "{show}"
    );
    let err = sh.fails(
        "2026-02-01T09:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "pmr-1",
            "--decisions",
            &decisions,
        ],
    );
    assert!(
        err.contains("reviewer pmr-1 is not the reviewer assigned to case CM26-0000001 (ortho-1)"),
        "{err}"
    );
    sh.ok(
        "2026-02-01T09:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            &decisions,
        ],
    );
    let err = sh.fails(
        "2026-02-01T10:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            &decisions,
        ],
    );
    assert!(err.contains("already signed"), "{err}");
    std::fs::write(sh.path("late.txt"), "late records").unwrap();
    let before = documents(&sh);
    let err = sh.fails(
        "2026-02-02T09:00",
        &[
            "case",
            "records",
            CASE,
            sh.path("late.txt").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("records can no longer be added; nothing was stored"),
        "{err}"
    );
    assert_eq!(documents(&sh), before);
}

#[test]
fn empty_and_oversized_documents_are_refused_whole() {
    let sh = assigned();
    let before = documents(&sh);
    std::fs::write(sh.path("good.txt"), "fine").unwrap();
    std::fs::write(sh.path("empty.pdf"), "").unwrap();
    // 200 MB, sparse: refused from its size before a byte is read.
    let big = std::fs::File::create(sh.path("big.pdf")).unwrap();
    big.set_len(200_000_000).unwrap();
    let good = sh.path("good.txt").display().to_string();
    let err = sh.fails(
        "2026-01-25T09:00",
        &[
            "case",
            "records",
            CASE,
            &good,
            sh.path("empty.pdf").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("empty.pdf: the document is empty (0 bytes); nothing was stored"),
        "{err}"
    );
    let err = sh.fails(
        "2026-01-25T09:00",
        &[
            "case",
            "records",
            CASE,
            &good,
            sh.path("big.pdf").to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("big.pdf: the document is 200000000 bytes, more than the limit of 67108864 bytes; nothing was stored"),
        "{err}"
    );
    // The limit is a setting.
    let err = sh.fails(
        "2026-01-25T09:00",
        &["case", "records", CASE, &good, "--max-document-bytes", "3"],
    );
    assert!(err.contains("more than the limit of 3 bytes"), "{err}");
    assert_eq!(documents(&sh), before, "nothing stored by a refused batch");
    sh.ok("2026-01-25T09:00", &["case", "records", CASE, &good]);
    assert_eq!(documents(&sh), before + 1);
}

#[test]
fn export_and_import_round_trip_through_the_command_line() {
    let sh = assigned();
    std::fs::write(sh.path("notes.txt"), "fictional notes").unwrap();
    sh.ok(
        "2026-01-25T09:00",
        &[
            "case",
            "records",
            CASE,
            sh.path("notes.txt").to_str().unwrap(),
            "--complete",
        ],
    );
    let export = sh.path("export.jsonl");
    sh.ok(
        "2026-03-01T09:00",
        &["export", "-o", export.to_str().unwrap()],
    );
    let copy = Shell::new();
    let out = copy.ok("2026-03-01T09:00", &["import", export.to_str().unwrap()]);
    assert!(out.ends_with("records imported\n"), "{out}");
    let again = copy.path("again.jsonl");
    copy.ok(
        "2026-03-01T09:00",
        &["export", "-o", again.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read(&export).unwrap(),
        std::fs::read(&again).unwrap()
    );
    let err = copy.fails("2026-03-01T09:00", &["import", export.to_str().unwrap()]);
    assert!(err.contains("empty store"), "{err}");
}

#[test]
fn decisions_with_control_characters_are_refused_by_field() {
    let sh = assigned();
    let decisions: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(demo("decisions.json")).unwrap()).unwrap();
    let mut bad = decisions.clone();
    bad["decisions"][0]["rationale"] = serde_json::json!("Deficit\u{202E} documented.");
    let path = sh.path("bad-decisions.json");
    std::fs::write(&path, serde_json::to_string(&bad).unwrap()).unwrap();
    let err = sh.fails(
        "2026-02-01T09:00",
        &[
            "case",
            "sign",
            CASE,
            "--reviewer",
            "ortho-1",
            "--decisions",
            path.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("decisions[0].rationale: contains a bidirectional override (U+202E)"),
        "{err}"
    );
    let show = sh.ok("2026-02-01T10:00", &["case", "show", CASE]);
    assert!(show.contains("status:            assigned"), "{show}");
}

/// The workbench and the command line propose the same findings for the same case: `imr case
/// review` and the server's proposal endpoint (the real `imr serve` over the same store, over
/// HTTP) give the same bytes. The records are two documents, the first ending mid-sentence, so
/// how documents are joined into the clinical text shows.
#[test]
fn the_workbench_and_the_command_line_propose_the_same_findings() {
    let sh = assigned();
    std::fs::write(
        sh.path("visit-1.txt"),
        "Fictional progress note. Low back pain radiating to the right leg since lifting at \
         work. Patient denies\n",
    )
    .unwrap();
    std::fs::write(
        sh.path("visit-2.txt"),
        "Weakness of ankle dorsiflexion, worse over six weeks despite physical therapy. \
         Completed 6 sessions of physical therapy with no functional improvement.\n",
    )
    .unwrap();
    for (file, complete) in [("visit-1.txt", false), ("visit-2.txt", true)] {
        let path = sh.path(file).display().to_string();
        let mut args = vec!["case", "records", CASE, &path];
        if complete {
            args.push("--complete");
        }
        sh.ok("2026-01-27T10:00", &args);
    }
    let cli = sh.ok(
        "2026-01-28T09:00",
        &["case", "review", CASE, "--format", "json"],
    );
    let cli: serde_json::Value = serde_json::from_str(&cli).unwrap();
    assert_eq!(cli["items"].as_array().map(Vec::len), Some(2), "{cli}");

    let server = Server::start(&sh);
    let login = server.request(
        "POST",
        "/api/login",
        None,
        &format!(r#"{{"username":"admin","password":"{ADMIN_PASSWORD}"}}"#),
    );
    let token: serde_json::Value = serde_json::from_str(&login).unwrap();
    let token = token["token"].as_str().unwrap().to_string();
    let workbench = server.request(
        "GET",
        &format!("/api/cases/{CASE}/proposal"),
        Some(&token),
        "",
    );
    let mut workbench: serde_json::Value = serde_json::from_str(&workbench).unwrap();
    // The API also names where each evidence is in the stored documents (its `source`); the
    // findings themselves are the command line's.
    let sources = strip_sources(&mut workbench);
    assert!(sources > 0, "each evidence has its source: {workbench}");
    assert_eq!(
        serde_json::to_string(&workbench).unwrap(),
        serde_json::to_string(&cli).unwrap()
    );
}

/// Takes every `source` out of `value`'s objects; returns how many there were.
fn strip_sources(value: &mut serde_json::Value) -> usize {
    match value {
        serde_json::Value::Object(fields) => {
            let own = usize::from(fields.remove("source").is_some());
            own + fields.values_mut().map(strip_sources).sum::<usize>()
        }
        serde_json::Value::Array(items) => items.iter_mut().map(strip_sources).sum(),
        _ => 0,
    }
}

const ADMIN_PASSWORD: &str = "a fictional administrator's password";

/// `imr serve` on a shell's store, stopped when dropped.
struct Server {
    child: std::process::Child,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(sh: &Shell) -> Server {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_imr"))
            .args(["serve", "--addr", &addr.to_string()])
            .env("IMR_DATABASE_URL", sh.db())
            .env("IMR_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, addr };
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "imr serve did not start listening on {addr}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server
    }

    /// One HTTP/1.1 request; returns the body of a 200 answer.
    fn request(&self, method: &str, path: &str, token: Option<&str>, body: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(self.addr).unwrap();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\n{auth}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        assert!(
            head.starts_with("HTTP/1.1 200"),
            "{method} {path}: {head}\n{body}"
        );
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_string()
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a chunked HTTP answer.
fn dechunk(mut chunked: &str) -> String {
    let mut body = String::new();
    loop {
        let (size, rest) = chunked.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.push_str(&rest[..size]);
        chunked = &rest[size + 2..];
    }
}
