//! The browser test: Debian's headless Chromium driven through chromedriver (WebDriver, spoken
//! directly over HTTP) against a real server. The walk, a whole day: the intake clerk opens an
//! application with 5 disputed items, the worker's details and its PDF (Enter in a field
//! submits nothing), assigns it, uploads the UR decision and the records as files (a PDF read
//! into the clinical text, shown beside the original); the reviewer logs in, reviews (nothing
//! pre-set), follows an evidence of the checklist to its document (the span marked and scrolled
//! to), chooses each decision by hand, sees a form error keep the input, types on while the
//! draft is saved, is warned before the session ends for want of use, sends the form after it
//! ended and is asked to log in again with the draft kept, lands back on the case with the form
//! as it was left, previews the whole letter and signs it there ("Sign and issue"), downloads
//! the letter PDF; quality review issues the redacted public copy. At phone width the queue and
//! the case page scroll neither the page nor a table sideways.
//! A screenshot of each page goes to docs/screenshots/ when IMR_UPDATE_SCREENSHOTS is set (to a
//! temporary folder otherwise).
//!
//! Runs where chromium and chromedriver are on the PATH (CI installs them); elsewhere it prints
//! a SKIPPED line (imr_testkit), and fails under IMR_REQUIRE_ALL=1.

mod common;
mod records_pdf;
mod webdriver;

use std::time::Duration;

use common::{TestServer, application};
use serde_json::{Value, json};
use webdriver::Driver;

/// The disputed items of the walk's application: the fixture's two, and three more.
const ITEMS: [&str; 5] = [
    "MRI of the lumbar spine without contrast",
    "Physical therapy 2 times a week for 4 weeks",
    "Hyperbaric oxygen therapy 20 sessions",
    "Norco 10/325 mg #60",
    "Lumbar epidural steroid injection at L4-5",
];

/// `text` in lines of at most `width` characters, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// The idle timeout of the whole day's server: short, so that the reviewer's session ends
/// during the walk; long enough that no other step of it comes near.
const IDLE_SECONDS: i64 = 30;

/// Waits (up to `seconds`) until `script` returns true.
async fn wait_until(d: &Driver, script: &str, seconds: u64, what: &str) {
    for _ in 0..seconds * 10 {
        if d.script(script, json!([])).await == json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what}: not within {seconds} s");
}

/// At phone width (375 px): neither the page nor anything in it scrolls sideways (a table
/// inside a box that scrolls hides its last columns), and every deadline cell is on screen.
const PHONE_FIT: &str = "const w = document.documentElement.clientWidth; \
    const scrolling = [...document.querySelectorAll('body *')].filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1).map(e => e.tagName.toLowerCase() + '.' + e.className); \
    const deadlines = [...document.querySelectorAll('td.deadline')].map(e => e.getBoundingClientRect()); \
    return [document.documentElement.scrollWidth, w, scrolling, deadlines.every(r => r.left >= 0 && r.right <= w + 1 && r.width > 0), deadlines.length]";

#[imr_testkit::needs(browser)]
#[tokio::test]
async fn intake_with_files_assignment_signature_and_public_copy_in_chromium() {
    if !imr_testkit::browser() {
        return;
    }
    let server = TestServer::start_with(imr_server::Settings {
        max_upload_bytes: 4 * 1024 * 1024,
        session_idle_seconds: IDLE_SECONDS,
        ..common::test_settings()
    })
    .await;
    server.reviewers().await;
    server.user("clerk", "intake_clerk", None, None).await;
    server.user("quality", "quality", None, None).await;
    // The files the clerk has: the application's PDF, the UR decision, the records as a PDF.
    let files = tempfile::tempdir().expect("temporary folder");
    let application_pdf = files.path().join("IMR application.pdf");
    std::fs::write(
        &application_pdf,
        records_pdf::records_pdf(&[
            "Application for Independent Medical Review (fictional form).",
            "Injured worker: Theodora Pinecastle. Claim TEST-77-0001.",
        ]),
    )
    .expect("application PDF");
    let ur_decision = files.path().join("UR decision.txt");
    std::fs::write(
        &ur_decision,
        "Utilization review decision (fictional). The requests were denied or modified.\n",
    )
    .expect("UR decision");
    let records = std::fs::read_to_string(common::data("records.txt")).expect("records");
    let lines = wrap(&records, 85);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let records_file = files.path().join("Progress notes 2026.pdf");
    std::fs::write(&records_file, records_pdf::records_pdf(&lines)).expect("records PDF");
    let d = Driver::start().await;

    // The intake clerk logs in and opens an application with 5 items and its PDF.
    d.go(&server.url("/login")).await;
    d.wait_for("Password").await;
    d.screenshot("01-login").await;
    d.login(&server, "clerk", "clerk-password-long").await;
    d.go(&server.url("/intake")).await;
    d.wait_for("New application for IMR").await;
    d.click("#more-items").await;
    d.click("#more-items").await;
    let app = application();
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut values = json!({
        "worker": s(&app["worker"]), "employer": s(&app["employer"]),
        "claims_administrator": s(&app["claims_administrator"]), "insurer": s(&app["insurer"]),
        "requesting_provider.name": s(&app["requesting_provider"]["name"]),
        "requesting_provider.specialty": s(&app["requesting_provider"]["specialty"]),
        "requesting_provider.group": s(&app["requesting_provider"]["group"]),
        "claim_number": s(&app["claim_number"]), "date_of_injury": s(&app["date_of_injury"]),
        "condition": s(&app["condition"]), "ur_decision.date": s(&app["ur_decision"]["date"]),
        "ur_decision.served": s(&app["ur_decision"]["served"]), "signature.signer": "worker",
        "signature.date": s(&app["signature"]["date"]), "filed": s(&app["filed"]),
        "ur_decision.items[1].ur_outcome": "modified",
        "ur_decision.items[1].authorized": "4 sessions",
        "worker_address": "41 Fictional Way, Fresno CA 93701",
        "worker_phone": "(559) 555-0182",
        "worker_date_of_birth": "1979-06-15",
    });
    for (i, item) in ITEMS.iter().enumerate() {
        values[format!("ur_decision.items[{i}].request")] = json!(item);
    }
    d.script(
        "for (const [k, v] of Object.entries(arguments[0])) { document.getElementById(k).value = v; }",
        json!([values]),
    )
    .await;
    d.type_in("#application_file", &application_pdf.display().to_string())
        .await;
    // Enter in a field submits nothing: no row is added, no case half typed is opened.
    let rows = "return document.querySelectorAll('#item-rows .item-row').length";
    assert_eq!(d.script(rows, json!([])).await, json!(5));
    d.type_in("#claim_number", "\u{E007}").await;
    d.type_in("#worker_phone", "\u{E007}").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(d.url().await.ends_with("/intake"), "nothing was sent");
    assert_eq!(
        d.script(rows, json!([])).await,
        json!(5),
        "Enter added no disputed item"
    );
    d.screenshot("02-intake").await;
    d.click("#intake button.primary").await;
    d.wait_for("Timeline").await;
    let case_url = d.url().await;
    assert!(case_url.contains("/cases/CM"), "{case_url}");
    let number = case_url.rsplit('/').next().expect("number").to_string();
    let page = d.wait_for("eligible").await;
    assert!(
        page.contains("IMR application.pdf"),
        "the application's PDF is stored"
    );
    assert_eq!(
        page.matches("UR denied").count() + page.matches("UR modified").count(),
        5
    );
    d.screenshot("03-case-opened").await;

    // Assignment: the candidates with their reasons.
    d.click("a.button[href$='/assign']").await;
    d.wait_for("conflict of interest").await;
    d.screenshot("04-assignment").await;
    d.click("button.primary").await;
    d.wait_for("Upload records").await;

    // The UR decision, then the records as a PDF, complete.
    d.script(
        "document.getElementById('upload-kind').value = 'UR decision'",
        json!([]),
    )
    .await;
    // The UR decision is dropped on the drop zone (the script makes it the picker's choice).
    let dropped = d
        .script(
            "const t = new DataTransfer(); t.items.add(new File([arguments[0]], 'UR decision.txt', {type: 'text/plain'})); document.getElementById('dropzone').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true})); return [...document.getElementById('upload-files').files].map(f => f.name).join(', ') + ' | ' + document.querySelector('.drop-list').textContent",
            json!([std::fs::read_to_string(&ur_decision).expect("UR decision")]),
        )
        .await;
    assert_eq!(
        dropped,
        json!("UR decision.txt | UR decision.txt (79 bytes)"),
        "the dropped file is chosen and listed"
    );
    d.click("#upload button[type=submit]").await;
    let report = d.wait_for("1 file(s) stored").await;
    assert!(report.contains("UR decision.txt"), "{report}");
    d.click("a.button[href$='#documents']").await;
    d.wait_for("Upload records").await;
    // The records with the file picker.
    d.type_in("#upload-files", &records_file.display().to_string())
        .await;
    d.click("#upload input[name=complete]").await;
    let listed = d.text().await;
    assert!(
        listed.contains("Progress notes 2026.pdf ("),
        "the chosen file is listed with its size"
    );
    d.click("#upload button[type=submit]").await;
    let report = d.wait_for("1 file(s) stored").await;
    assert!(report.contains("marked complete"), "{report}");
    d.screenshot("05a-upload-report").await;
    d.click("td a[href$='/view']").await;
    let view = d.wait_for("The text read from it").await;
    assert!(
        view.contains("weakness of left ankle dorsiflexion"),
        "the PDF's text is shown"
    );
    tokio::time::sleep(Duration::from_millis(500)).await; // the original's frame renders
    d.screenshot("05b-document-text").await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    d.wait_for("Records complete").await;
    d.go(&server.url("/queue")).await;
    d.wait_for("Cases by due date").await;
    d.screenshot("05-queue").await;
    d.click("header form button").await; // log out
    d.wait_for("Log in").await;

    // The reviewer logs in and reviews the proposal: nothing is decided for them.
    d.login(&server, "rev-ortho", "rev-ortho-password-long")
        .await;
    d.wait_for("Cases by due date").await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    let page = d.wait_for("Disputed items").await;
    assert!(page.contains("Engine's proposal") && page.contains("Preview the letter"));
    assert!(
        page.contains("needs physician review"),
        "an item is left undecided by the engine"
    );
    let preset = d
        .script(
            "return [...document.querySelectorAll('#sign input:checked')].length + [...document.querySelectorAll('#sign textarea, #sign input[type=text]')].map(e => e.value).join('')",
            json!([]),
        )
        .await;
    assert_eq!(
        preset,
        json!("0"),
        "no decision, rationale or guideline pre-set"
    );
    d.screenshot("06-case-review").await;

    // An evidence of the checklist opens its document there: the span marked, scrolled to.
    let quoted = d
        .script(
            "const a = document.querySelector('table.checklist a.evidence'); return a ? a.textContent : ''",
            json!([]),
        )
        .await;
    let quoted = quoted.as_str().unwrap_or_default().to_string();
    assert!(!quoted.is_empty(), "the checklist has an evidence link");
    d.click("table.checklist a.evidence").await;
    let view = d.wait_for("The evidence is marked").await;
    assert!(view.contains("page ") && view.contains(", line "), "{view}");
    tokio::time::sleep(Duration::from_millis(300)).await; // the scroll settles
    let marked = d
        .script(
            "const m = document.querySelector(':target'); if (!m) return 'no target'; \
             const r = m.getBoundingClientRect(), box = m.closest('.document-text').getBoundingClientRect(); \
             const seen = r.top >= box.top && r.bottom <= box.bottom && r.top >= 0 && r.bottom <= window.innerHeight; \
             return [m.id, m.tagName, m.textContent, seen].join('|')",
            json!([]),
        )
        .await;
    assert_eq!(
        marked,
        json!(format!("evidence|MARK|{quoted}|true")),
        "the link's target is the marked span, in view"
    );
    d.screenshot("06b-evidence-in-its-document").await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    d.wait_for("Disputed items").await;

    // Each decision chosen and each rationale written by hand, the summary forgotten; Enter
    // in the one-line guideline field sends the form to the preview step, which refuses it
    // and keeps it all.
    let choices = ["Overturned", "Upheld", "Upheld", "Upheld", "Overturned"];
    let rationales = [
        "Progressive deficit documented; imaging is indicated.",
        "No functional improvement after six sessions.",
        "Not supported for a lumbar strain, in my reading.",
        "No documented functional benefit from opioids.",
        "Radicular findings corroborated on examination.",
    ];
    for (i, (choice, rationale)) in choices.iter().zip(rationales).enumerate() {
        d.click(&format!("input[name=decision_{i}][value={choice}]"))
            .await;
        d.type_in(&format!("#rationale_{i}"), rationale).await;
    }
    d.type_in("#guideline_0", "MTUS ACOEM Low Back Complaints\u{E007}")
        .await;
    d.wait_for("clinical summary is empty").await;
    let kept = d
        .script(
            "return [...document.querySelectorAll('#sign input:checked')].map(e => e.name + '=' + e.value).join(' ') + ' | ' + document.getElementById('rationale_0').value + ' | ' + document.getElementById('guideline_0').value",
            json!([]),
        )
        .await;
    let kept = kept.as_str().expect("text");
    assert!(
        kept.starts_with("decision_0=Overturned decision_1=Upheld decision_2=Upheld decision_3=Upheld decision_4=Overturned")
            && kept.contains("| Progressive deficit documented; imaging is indicated. | MTUS ACOEM Low Back Complaints"),
        "the form comes back as it was left: {kept}"
    );
    d.script(
        "document.querySelector('.notice.error').scrollIntoView()",
        json!([]),
    )
    .await;
    d.screenshot("06a-sign-form-error").await;

    // The reviewer types on: the summary and the guidelines. The form is kept as a draft on
    // the server a moment after each change.
    d.type_in(
        "#clinical_summary",
        "A fictional worker with low back pain. Theodora Pinecastle reports it began at work.",
    )
    .await;
    // The guideline relied on is required for every item.
    for i in 2..5 {
        d.type_in(
            &format!("#guideline_{i}"),
            "MTUS Chronic Pain Medical Treatment Guidelines",
        )
        .await;
    }
    d.wait_for("Draft saved").await;

    // Then the reviewer is called away. Before the session ends the page warns; once it has
    // ended, it says so.
    wait_until(
        &d,
        "return !document.getElementById('idle-warning').hidden",
        IDLE_SECONDS as u64 + 5,
        "the warning before the session ends",
    )
    .await;
    let warning = d.text().await;
    assert!(warning.contains("Your session ends in"), "{warning}");
    d.script("window.scrollTo(0, 0)", json!([])).await;
    d.screenshot("06c-idle-warning").await;
    wait_until(
        &d,
        "return document.getElementById('idle-warning').textContent.includes('has ended')",
        IDLE_SECONDS as u64 + 5,
        "the session's end",
    )
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await; // the server's clock past it too

    // Back, the reviewer types the last guideline and presses Enter: the form goes to the
    // server with the session ended. It is kept as the draft, and the login says so.
    d.type_in("#guideline_1", "MTUS Chronic Pain\u{E007}").await;
    let login = d.wait_for("your draft was kept").await;
    assert!(login.contains("Your session expired"), "{login}");
    assert!(d.url().await.contains("reason=expired"));
    d.screenshot("06d-session-expired").await;
    d.type_in("#username", "rev-ortho").await;
    d.type_in("#password", "rev-ortho-password-long").await;
    d.click("button[type=submit]").await;
    d.wait_for("is back in the form").await;
    assert!(
        d.url().await.ends_with(&format!("/cases/{number}")),
        "the login returned to the case"
    );
    let restored = d
        .script(
            "return [...document.querySelectorAll('#sign input:checked')].map(e => e.name + '=' + e.value).join(' ') + ' | ' + [0, 1, 2, 3, 4].map(i => document.getElementById('rationale_' + i).value).join(' / ') + ' | ' + document.getElementById('guideline_1').value + ' | ' + document.getElementById('clinical_summary').value",
            json!([]),
        )
        .await;
    let restored = restored.as_str().expect("text");
    assert!(
        restored.starts_with("decision_0=Overturned decision_1=Upheld decision_2=Upheld decision_3=Upheld decision_4=Overturned | ")
            && restored.contains(&rationales.join(" / "))
            && restored.contains("| MTUS Chronic Pain | A fictional worker with low back pain."),
        "the form is as it was left, the last guideline typed after the end included: {restored}"
    );
    d.script(
        "document.getElementById('draft-status').scrollIntoView({block: 'center'})",
        json!([]),
    )
    .await;
    d.screenshot("06e-draft-restored").await;

    // The preview of the whole letter signs nothing; "Sign and issue" there signs.
    d.click("#sign button[value=preview]").await;
    let preview = d.wait_for("Nothing is signed yet").await;
    assert!(preview.contains("Sign and issue"));
    let letter = d
        .script(
            "return document.querySelector('iframe.letter').srcdoc",
            json!([]),
        )
        .await;
    let letter = letter.as_str().expect("srcdoc");
    for (item, rationale) in ITEMS.iter().zip(rationales) {
        assert!(
            letter.contains(rationale),
            "the preview is the letter to be signed: {item}"
        );
    }
    assert!(letter.contains("A fictional worker with low back pain."));
    tokio::time::sleep(Duration::from_millis(300)).await; // the preview frame renders
    d.screenshot("06b-letter-preview").await;
    d.click("button[value=sign]").await;
    d.wait_for("Signed decision").await;
    d.script(
        "document.getElementById('letter').scrollIntoView()",
        json!([]),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await; // the preview frame loads
    d.screenshot("07-signed-letter").await;

    // The letter PDF, downloaded with the browser's session, under its name.
    let cookie = d.cmd("GET", "/cookie/imr_session", json!({})).await;
    let pdf = server
        .client
        .get(server.url(&format!("/cases/{number}/letter.pdf")))
        .header(
            "cookie",
            format!("imr_session={}", cookie["value"].as_str().expect("cookie")),
        )
        .send()
        .await
        .expect("PDF");
    let disposition = pdf.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_string();
    assert!(
        disposition.contains(&format!("{number}-determination.pdf")),
        "{disposition}"
    );
    let pdf = pdf.bytes().await.expect("bytes");
    assert!(pdf.starts_with(b"%PDF-"), "the letter is a PDF");
    assert!(pdf.len() > 2000);

    // The redacted public copy: the physician who signed may look but not issue; a second
    // person (quality review) looks at every replacement marked and issues it with its button.
    d.click("a[href$='/public-copy']").await;
    let copy = d.wait_for("What was redacted").await;
    assert!(!copy.contains("Pinecastle"), "no name of the worker");
    assert!(
        copy.contains("Issuing needs a second look"),
        "the signer does not issue"
    );
    d.login(&server, "quality", "quality-password-long").await;
    d.go(&server.url(&format!("/cases/{number}/public-copy")))
        .await;
    let copy = d.wait_for("every replacement marked").await;
    assert!(!copy.contains("Pinecastle"), "no name of the worker");
    let marks = d
        .script(
            "return document.querySelectorAll('mark.redaction').length",
            json!([]),
        )
        .await;
    assert!(marks.as_u64().unwrap_or(0) > 0, "replacements marked");
    d.click("form[action$='/public-copy'] button[type=submit]")
        .await;
    let issued = d.wait_for("already issued").await;
    assert!(!issued.contains("Issue the public copy"), "issued once");
    d.script("window.scrollTo(0, 0)", json!([])).await;
    d.screenshot("07b-public-copy-issued").await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    let page = d.wait_for("Documents").await;
    assert!(page.contains("public copy"), "stored with the case");

    // At phone width the queue, the case (its documents, and the criteria checklist the
    // administrator sees) and a document's page fit the screen, tables included.
    d.login(&server, "admin", common::ADMIN_PASSWORD).await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    d.wait_for("Criteria of the guideline section").await;
    let document_page = d
        .script(
            "return [...document.querySelectorAll('td a[href$=\"/view\"]')].find(a => a.textContent.includes('Progress notes')).getAttribute('href')",
            json!([]),
        )
        .await;
    d.cmd(
        "POST",
        "/goog/cdp/execute",
        json!({"cmd": "Emulation.setDeviceMetricsOverride",
               "params": {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": true}}),
    )
    .await;
    for path in [
        "/queue".to_string(),
        format!("/cases/{number}"),
        document_page.as_str().expect("href").to_string(),
    ] {
        d.go(&server.url(&path)).await;
        d.wait_for("Log out").await;
        let fit = d.script(PHONE_FIT, json!([])).await;
        assert!(
            fit[0].as_i64() <= fit[1].as_i64(),
            "{path}: no sideways scroll at 375 px: {fit}"
        );
        if !path.contains("/documents/") {
            assert_eq!(fit[2], json!([]), "{path}: nothing scrolls sideways: {fit}");
            assert_eq!(
                fit[3],
                json!(true),
                "{path}: every deadline on screen: {fit}"
            );
        }
        if path.starts_with("/cases/") {
            // The tables as cards: the documents, then an item's criteria.
            d.script(
                "document.getElementById('documents').scrollIntoView()",
                json!([]),
            )
            .await;
            d.screenshot("13b-case-tables-phone").await;
        }
    }
    d.cmd("DELETE", "", json!({})).await;
}

/// The queue of 3,000 cases in Chromium: its render time (navigation timing), search and
/// paging, a link to a case kept across the login, adding and removing intake rows with the
/// script, and the layout at phone width (375 px: no sideways scroll, navigation reachable).
#[imr_testkit::needs(browser)]
#[tokio::test]
async fn a_queue_of_three_thousand_cases_and_phone_width_in_chromium() {
    if !imr_testkit::browser() {
        return;
    }
    let server = TestServer::start().await;
    let numbers = common::seed_cases(&server, 3000).await;
    let d = Driver::start().await;

    // A link to a case, followed before logging in, is where the login lands.
    let wanted = format!("/cases/{}", numbers[17]);
    d.go(&server.url(&wanted)).await;
    d.wait_for("Password").await;
    d.type_in("#username", "admin").await;
    d.type_in("#password", common::ADMIN_PASSWORD).await;
    d.click("button[type=submit]").await;
    d.wait_for("Timeline").await;
    assert!(
        d.url().await.ends_with(&wanted),
        "the login returned to the case"
    );

    // The first page of 3,000, timed by the browser itself (Navigation Timing: from the
    // request to the load event, styles applied), best of five loads. The goal is 300 ms; on
    // this shared 2-core machine with a debug build the assertion leaves a wide margin, the
    // figure printed is what to compare (README, "The workbench").
    let mut timings = Vec::new();
    for _ in 0..5 {
        d.go(&server.url("/queue")).await;
        d.wait_for("of 3,000").await;
        let t = d
            .script(
                "const n = performance.getEntriesByType('navigation')[0]; return [n.responseEnd - n.startTime, n.domContentLoadedEventEnd - n.startTime, n.loadEventEnd - n.startTime, n.transferSize]",
                json!([]),
            )
            .await;
        timings.push(t);
    }
    let best = |k: usize| {
        timings
            .iter()
            .filter_map(|t| t[k].as_f64())
            .fold(f64::INFINITY, f64::min)
    };
    eprintln!(
        "queue of 3,000 cases in Chromium: response {:.0} ms, DOM ready {:.0} ms, loaded {:.0} ms, {} bytes (best of 5; debug build, shared 2-core machine): {timings:?}",
        best(0),
        best(1),
        best(2),
        timings[0][3]
    );
    assert!(
        best(2) < 900.0,
        "the queue of 3,000 renders within three times the 300 ms goal: {:.0} ms",
        best(2)
    );
    let text = d.wait_for("1–50 of 3,000").await;
    assert!(text.contains("expedited, unassigned"));
    d.screenshot("11-queue-3000").await;
    // Next page, then a search by worker, kept in the URL.
    d.click("a[rel=next]").await;
    d.wait_for("51–100 of 3,000").await;
    assert!(d.url().await.ends_with("/queue?page=2"));
    d.type_in("#q", "Testworker2999").await;
    d.click("form.filters button").await;
    let text = d.wait_for("1–1 of 1").await;
    assert!(text.contains("CLM-002999"), "{text}");
    assert!(d.url().await.contains("q=Testworker2999"));

    // Intake with the script: rows added and removed in place, numbered in order.
    d.go(&server.url("/intake")).await;
    d.wait_for("New application for IMR").await;
    d.click("#more-items").await;
    d.click("#more-items").await;
    let count = "return document.querySelectorAll('#item-rows .item-row').length";
    assert_eq!(d.script(count, json!([])).await, json!(5));
    d.click("#item-rows .item-row:nth-child(2) .remove-item")
        .await;
    assert_eq!(d.script(count, json!([])).await, json!(4));
    let ids = d
        .script(
            "return [...document.querySelectorAll('#item-rows input[name=item_request]')].map(e => e.id).join(' ')",
            json!([]),
        )
        .await;
    assert_eq!(
        ids,
        json!(
            "ur_decision.items[0].request ur_decision.items[1].request ur_decision.items[2].request ur_decision.items[3].request"
        )
    );

    // Phone width: no sideways scroll, every navigation link inside the screen.
    d.cmd(
        "POST",
        "/goog/cdp/execute",
        json!({"cmd": "Emulation.setDeviceMetricsOverride",
               "params": {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": true}}),
    )
    .await;
    for (path, shot) in [
        ("/queue".to_string(), "12-queue-phone"),
        (wanted.clone(), "13-case-phone"),
        ("/intake".to_string(), "14-intake-phone"),
    ] {
        d.go(&server.url(&path)).await;
        d.wait_for("Log out").await;
        let fit = d
            .script(
                "const w = document.documentElement.clientWidth; const links = [...document.querySelectorAll('header.top a, header.top button')].map(e => e.getBoundingClientRect()); return [document.documentElement.scrollWidth, w, links.every(r => r.left >= 0 && r.right <= w + 1 && r.width > 0)]",
                json!([]),
            )
            .await;
        assert_eq!(fit[1], json!(375), "{path}: the viewport is 375 px wide");
        assert!(
            fit[0].as_i64() <= fit[1].as_i64(),
            "{path}: no sideways scroll at 375 px: {fit}"
        );
        assert_eq!(fit[2], json!(true), "{path}: the navigation is on screen");
        let inside = d.script(PHONE_FIT, json!([])).await;
        assert_eq!(
            inside[2],
            json!([]),
            "{path}: nothing scrolls sideways: {inside}"
        );
        assert_eq!(
            inside[3],
            json!(true),
            "{path}: every deadline on screen: {inside}"
        );
        if path == "/queue" {
            assert!(
                inside[4].as_u64().unwrap_or(0) > 0,
                "the queue shows deadlines"
            );
        }
        d.screenshot(shot).await;
    }
    d.cmd("DELETE", "", json!({})).await;
}

#[imr_testkit::needs(browser)]
#[tokio::test]
async fn corpus_search_and_statistics_in_chromium() {
    if !imr_testkit::browser() {
        return;
    }
    // A corpus of fictional letters (imr_corpus::synth), never published ones.
    let index = imr_corpus::CorpusIndex::in_memory().expect("index");
    let letters: Vec<_> = (0..400)
        .map(|n| imr_letter::read_letter(&imr_corpus::synth::letter(8, n).text))
        .collect();
    index.add_all(&letters).expect("indexed");
    let server = TestServer::start_with_corpus(Some(index)).await;
    let d = Driver::start().await;
    d.login(&server, "admin", common::ADMIN_PASSWORD).await;

    d.go(&server.url("/corpus/search?q=functional&service=acupuncture"))
        .await;
    let page = d.wait_for("matching item(s)").await;
    assert!(page.contains("acupuncture"), "{page}");
    let marked = d
        .script("return document.querySelectorAll('mark').length", json!([]))
        .await;
    assert!(
        marked.as_u64().unwrap_or(0) > 0,
        "matched words marked: {page}"
    );
    d.screenshot("08-search").await;

    // The search box takes what people type: words, never query syntax. A drug strength and
    // a word with an apostrophe find the letters that have them; punctuation is no error.
    for (typed, found) in [
        ("Norco 10/325", true),
        ("guideline's recommended", true),
        ("MRI: lumbar", true),
        ("O'Brien", false),
        ("(knee", false),
    ] {
        d.go(&server.url("/corpus/search")).await;
        d.wait_for("Published decisions").await;
        d.type_in("#q", &format!("{typed}\u{E007}")).await;
        for _ in 0..100 {
            if d.url().await.contains("q=") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(d.url().await.contains("q="), "{typed}: the search was sent");
        d.wait_for("matching item(s)").await;
        let shown = d
            .script(
                "return [document.querySelectorAll('.notice.error').length, document.querySelectorAll('section.hit').length, document.getElementById('q').value]",
                json!([]),
            )
            .await;
        assert_eq!(shown[0], json!(0), "{typed}: no error");
        assert_eq!(shown[2], json!(typed), "{typed}: kept in the box");
        if found {
            assert!(
                shown[1].as_u64().unwrap_or(0) > 0,
                "{typed}: found in the fictional letters"
            );
        }
    }

    d.go(&server.url("/corpus/stats")).await;
    d.wait_for("By month decided").await;
    let charts = d
        .script(
            "return document.querySelectorAll('svg.chart').length",
            json!([]),
        )
        .await;
    assert_eq!(charts.as_u64(), Some(4), "four charts");
    d.screenshot("09-stats").await;

    // The case page: precedents under each disputed item.
    server.reviewers().await;
    let number = server.open_case().await;
    d.go(&server.url(&format!("/cases/{number}"))).await;
    let page = d.wait_for("Disputed items").await;
    assert_eq!(
        page.matches("Published precedents (5)").count(),
        2,
        "{page}"
    );
    d.script(
        "document.querySelector('details.precedents').scrollIntoView()",
        json!([]),
    )
    .await;
    d.screenshot("10-precedents").await;
    d.cmd("DELETE", "", json!({})).await;
}
