//! Headless Chromium driven through chromedriver, WebDriver spoken directly over HTTP: what the
//! browser tests share (browser.rs, browser_public.rs).

#![allow(dead_code)] // each browser test binary uses its own part

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::common::TestServer;

pub struct Driver {
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
    pub async fn start() -> Driver {
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

    pub async fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
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

    pub async fn go(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url})).await;
    }

    pub async fn find(&self, css: &str) -> String {
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

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    pub async fn type_in(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    pub async fn script(&self, script: &str, args: Value) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            json!({"script": script, "args": args}),
        )
        .await
    }

    pub async fn url(&self) -> String {
        self.cmd("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub async fn text(&self) -> String {
        self.script("return document.body.innerText", json!([]))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits (up to 10 s) until the page shows `needle`; returns the page's text.
    pub async fn wait_for(&self, needle: &str) -> String {
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

    pub async fn screenshot(&self, name: &str) {
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

    pub async fn login(&self, server: &TestServer, user: &str, password: &str) {
        self.go(&server.url("/login")).await;
        self.type_in("#username", user).await;
        self.type_in("#password", password).await;
        self.click("button[type=submit]").await;
        self.wait_for("Log out").await;
    }
}

/// The page's accessibility problems, checked by hand in the page (no library): `lang` on
/// `html`; one `h1`; a label (or `aria-label`) for every form field and a name for every
/// button, link and frame; no positive `tabindex`; and a contrast of at least 4.5:1 between
/// each visible text and the background it is drawn on (WCAG 2 relative luminance; the
/// background is the first opaque one up the tree, translucent layers composited over it).
const ACCESSIBILITY_CHECKS: &str = r#"
const problems = [];
const hiddenByStyle = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden') return true; } return false; };
const visible = el => { const r = el.getBoundingClientRect(); return !hiddenByStyle(el) && (r.width > 0 || r.height > 0); };
const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '');
if (!(document.documentElement.getAttribute('lang') || '').trim()) problems.push('html has no lang');
const h1 = document.querySelectorAll('h1').length;
if (h1 !== 1) problems.push(h1 + ' h1 elements, not one');
const byId = id => { const e = document.getElementById(id); return e ? e.textContent.trim() : ''; };
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  if (['submit', 'button', 'reset', 'image'].includes(el.type)) {
    if (!((el.value || '').trim() || (el.getAttribute('aria-label') || '').trim())) problems.push('a button without a name: ' + describe(el));
    continue;
  }
  const labelled = [...(el.labels || [])].some(l => l.textContent.trim())
    || (el.getAttribute('aria-label') || '').trim()
    || (el.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && byId(id));
  if (!labelled) problems.push('a field without a label: ' + describe(el));
}
for (const el of document.querySelectorAll('button, a[href]')) {
  if (!visible(el)) continue;
  if (!((el.textContent || '').trim() || (el.getAttribute('aria-label') || '').trim() || (el.getAttribute('title') || '').trim())) problems.push('no accessible name: ' + describe(el));
}
for (const el of document.querySelectorAll('[tabindex]')) if (el.tabIndex > 0) problems.push('a positive tabindex: ' + describe(el));
for (const el of document.querySelectorAll('iframe')) if (!(el.getAttribute('title') || '').trim()) problems.push('a frame without a title: ' + describe(el));
const parse = c => { const m = /rgba?\(([^)]*)\)/.exec(c || ''); if (!m) return null; const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const background = el => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const b = parse(getComputedStyle(e).backgroundColor);
    if (b && b[3] > 0) { layers.push(b); if (b[3] >= 1) break; }
  }
  let c = [255, 255, 255, 1];
  for (const l of layers.reverse()) c = over(l, c);
  return c;
};
const luminance = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
const seen = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const t = walker.currentNode;
  const el = t.parentElement;
  if (!t.textContent.trim() || !el || seen.has(el)) continue;
  seen.add(el);
  if (el.closest('script, style, noscript, option') || !visible(el)) continue;
  const bg = background(el);
  const fg = over(parse(getComputedStyle(el).color) || [0, 0, 0, 1], bg);
  const [a, b] = [luminance(fg), luminance(bg)];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ':1 for ' + describe(el) + ' (' + getComputedStyle(el).color + ' on rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + '))');
}
return problems;
"#;

/// Prepares the keyboard walk from the top of the page: records every element focused, and
/// takes frames out of the Tab order (a frame's document is another page, checked on its own; the PDF viewer inside
/// one keeps the focus). Returns how many controls Tab must reach.
const KEYBOARD_SETUP: &str = r#"
const hiddenByStyle = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e); if (s.display === 'none' || s.visibility === 'hidden') return true; } return false; };
for (const f of document.querySelectorAll('iframe')) f.tabIndex = -1;
// Tab starts from the top of the page, wherever the page put the focus (autofocus).
const start = document.createElement('span');
start.tabIndex = -1;
document.body.prepend(start);
start.focus();
window.__imrFocused = [];
document.addEventListener('focusin', e => window.__imrFocused.push(e.target), true);
window.__imrControls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(el => !el.disabled && !hiddenByStyle(el) && el.getClientRects().length > 0);
return window.__imrControls.length;
"#;

/// After the Tab presses: the controls Tab never reached (a radio group counts as reached
/// when one of its buttons was, as the arrow keys move within it), and whether the focus
/// moved in document order until it came back round.
const KEYBOARD_RESULT: &str = r#"
const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
const focused = window.__imrFocused;
let forward = [];
for (const el of focused) {
  if (forward.length && !(forward[forward.length - 1].compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
  forward.push(el);
}
const reached = new Set(forward);
const groups = new Set(forward.filter(el => el.type === 'radio').map(el => el.name));
const missed = window.__imrControls.filter(el => !reached.has(el) && !(el.type === 'radio' && groups.has(el.name)));
return { missed: missed.map(describe), steps: focused.length, forward: forward.length };
"#;

impl Driver {
    /// The accessibility problems of the page shown (see [`ACCESSIBILITY_CHECKS`]).
    pub async fn accessibility_problems(&self) -> Vec<String> {
        let v = self.script(ACCESSIBILITY_CHECKS, json!([])).await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Presses Tab through the page shown: the controls Tab does not reach in document order
    /// (empty when every control is reached, in order, with no positive tabindex to jump).
    pub async fn keyboard_problems(&self) -> Vec<String> {
        let controls = self
            .script(KEYBOARD_SETUP, json!([]))
            .await
            .as_u64()
            .unwrap_or(0);
        // Scrollable areas may take a stop of their own: room for them.
        let presses = controls + controls / 4 + 8;
        let mut keys = Vec::new();
        for _ in 0..presses {
            keys.push(json!({"type": "keyDown", "value": "\u{E004}"}));
            keys.push(json!({"type": "keyUp", "value": "\u{E004}"}));
        }
        self.cmd(
            "POST",
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": keys}]}),
        )
        .await;
        self.cmd("DELETE", "/actions", json!({})).await;
        let result = self.script(KEYBOARD_RESULT, json!([])).await;
        result["missed"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str().map(|m| format!("Tab never reaches {m}")))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every accessibility problem of the page shown, keyboard included, named with `page`.
    pub async fn audit(&self, page: &str) -> Vec<String> {
        let mut problems = self.accessibility_problems().await;
        problems.extend(self.keyboard_problems().await);
        problems
            .into_iter()
            .map(|p| format!("{page}: {p}"))
            .collect()
    }
}

/// A case of the fixture application, assigned, its records complete, signed by the reviewer
/// with decisions that name the fictional worker.
pub async fn signed_case(server: &TestServer, clerk: &str, reviewer: &str, token: &str) -> String {
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(clerk),
            Some(crate::common::application()),
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
    let records = std::fs::read(crate::common::data("records.txt")).expect("records");
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
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines",
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
