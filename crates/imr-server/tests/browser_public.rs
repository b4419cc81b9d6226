//! Screenshots of the public pages in Debian's headless Chromium (chromedriver spoken to over
//! HTTP, as in browser.rs): a published decision's page reached from a search hit, and a signed
//! case's redacted public copy issued from its page. The screenshots go to docs/screenshots/
//! (15-decision, 16-public-copy) when IMR_UPDATE_SCREENSHOTS is set, to a temporary folder
//! otherwise. Skipped (imr_testkit) where chromium or chromedriver is missing.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use common::{TestServer, application, data};
use imr_core::letter::read_letter;
use imr_corpus::{CorpusIndex, synth};
use serde_json::{Value, json};

struct Driver {
    http: reqwest::Client,
    base: String,
    session: String,
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start() -> Driver {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr").port()
        };
        let child =
            Command::new(std::env::var("IMR_CHROMEDRIVER").unwrap_or("chromedriver".into()))
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts (apt-get install chromium-driver)");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().expect("profile folder");
        let args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,1800".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": std::env::var("IMR_CHROMIUM").unwrap_or("/usr/bin/chromium".into()), "args": args}
        }}});
        let resp: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("new session")
            .json()
            .await
            .expect("JSON");
        let session = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_string();
        Driver {
            http,
            base,
            session,
            child,
            _profile: profile,
        }
    }

    async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let v: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("JSON");
        if v["value"].get("error").is_some() {
            panic!("webdriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url})).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .expect("element id")
            .to_string()
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    async fn type_in(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn script(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
        .await
    }

    async fn url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    async fn text(&self) -> String {
        self.script("return document.body.innerText", json!([]))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits (up to 10 s) until the page shows `needle`; returns the page's text.
    async fn wait_for(&self, needle: &str) -> String {
        let mut text = String::new();
        for _ in 0..100 {
            text = self.text().await;
            if text.contains(needle) {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "the page never showed {needle:?}; it shows: {}",
            text.chars().take(400).collect::<String>()
        );
    }

    async fn screenshot(&self, name: &str) {
        let v = self.cmd("GET", "/screenshot", json!({})).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64"))
            .expect("PNG");
        assert!(
            png.starts_with(b"\x89PNG"),
            "{name}: the screenshot is a PNG"
        );
        // The checked-in screenshots change only when asked; other runs keep theirs apart.
        let dir = if std::env::var_os("IMR_UPDATE_SCREENSHOTS").is_some() {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
        } else {
            std::env::temp_dir().join(format!("imr-screenshots-{}", std::process::id()))
        };
        std::fs::create_dir_all(&dir).expect("screenshots folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    async fn login(&self, server: &TestServer, user: &str, password: &str) {
        self.go(&server.url("/login")).await;
        self.type_in("#username", user).await;
        self.type_in("#password", password).await;
        self.click("button[type=submit]").await;
        self.wait_for("Log out").await;
    }
}

#[tokio::test]
async fn a_published_decision_and_a_public_copy_in_chromium() {
    if !imr_testkit::browser() {
        return;
    }
    let letters: Vec<_> = (0..40)
        .map(|n| read_letter(&synth::letter(11, n).text))
        .collect();
    let index = CorpusIndex::in_memory().expect("index in memory");
    index.add_all(&letters).expect("indexed");
    let server = TestServer::start_with_corpus(Some(index)).await;
    server.publish(&letters).await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let n = signed_case(&server, &clerk, ortho, ortho_token).await;
    let d = Driver::start().await;
    d.login(&server, "clerk", "clerk-password-long").await;

    // From a search hit to its decision, the item in view.
    d.go(&server.url("/corpus/search?q=functional+improvement&service=acupuncture"))
        .await;
    d.wait_for("matching item(s)").await;
    d.click("section.hit h3 a").await;
    let text = d.wait_for("Disputed items, decisions and rationales").await;
    let url = d.url().await;
    assert!(
        url.contains("/corpus/decisions/") && url.contains("#item-"),
        "{url}"
    );
    assert!(text.contains("The expert reviewer") && text.contains("Decision rationale:"));
    let target = d
        .script(
            "const t = document.querySelector(':target'); return t ? t.id : null;",
            json!([]),
        )
        .await;
    assert_eq!(
        target.as_str(),
        url.split('#').nth(1),
        "the linked item is the page's target"
    );
    d.screenshot("15-decision").await;

    // The public copy: redacted, with its report; issued with the button.
    d.go(&server.url(&format!("/cases/{n}/public-copy"))).await;
    let text = d.wait_for("What was redacted").await;
    assert!(
        !text.contains("Pinecastle"),
        "no name of the worker: {text}"
    );
    assert!(text.contains("[NAME]"));
    d.script("window.scrollTo(0, 0)", json!([])).await;
    d.screenshot("16-public-copy").await;
    d.click("form[action$='/public-copy'] button[type=submit]")
        .await;
    let text = d.wait_for("already issued").await;
    assert!(
        !text.contains("Issue the public copy"),
        "issued once: {text}"
    );
}

/// A case of the fixture application, assigned, its records complete, signed by the reviewer
/// with decisions that name the fictional worker.
async fn signed_case(server: &TestServer, clerk: &str, reviewer: &str, token: &str) -> String {
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(clerk),
            Some(application()),
        )
        .await;
    assert_eq!(s.as_u16(), 201, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(clerk),
            Some(json!({"reviewer_id": reviewer})),
        )
        .await;
    assert_eq!(s.as_u16(), 200, "{body}");
    let records = std::fs::read(data("records.txt")).expect("records");
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&complete=true"
        )))
        .bearer_auth(clerk)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status().as_u16(), 201);
    let decisions = json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints",
         "rationale": "Ms. Theodora Pinecastle has a progressive deficit documented by Dr. Alaric Fernsby."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "rationale": "Pinecastle had six sessions without functional improvement."}
    ], "clinical_summary": "Ms. Theodora Pinecastle, a 52-year-old fictional packer, reports low back pain radiating to the left leg. Her treating physician, Dr. Alaric Fernsby, requested an MRI."});
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/determination"),
            Some(token),
            Some(decisions),
        )
        .await;
    assert_eq!(s.as_u16(), 200, "{body}");
    n
}
