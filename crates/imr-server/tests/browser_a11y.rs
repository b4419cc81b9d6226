//! Every page of the workbench checked for accessibility in Debian's headless Chromium: a
//! label for every form field, a name for every control, Tab reaching every control in
//! document order with no positive tabindex, a contrast of at least 4.5:1 for all text, one
//! h1 and `lang` on `html`. The checks are written by hand in the page (tests/webdriver,
//! `Driver::audit`), so they run wherever Chromium runs, with nothing to download.
//! Skipped (imr_testkit) where chromium or chromedriver is missing.

mod common;
mod records_pdf;
mod webdriver;

use common::{ADMIN_PASSWORD, TestServer, application};
use imr_corpus::{CorpusIndex, synth};
use imr_letter::read_letter;
use reqwest::StatusCode;
use serde_json::{Value, json};
use webdriver::{Driver, signed_case};

/// Opens the fixture application under its own claim number (so that it is no duplicate).
async fn open_case(server: &TestServer, token: &str, claim: &str) -> String {
    let mut app = application();
    app["claim_number"] = json!(claim);
    let (status, body) = server
        .send("POST", "/api/applications", Some(token), Some(app))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["number"].as_str().expect("number").to_string()
}

/// A case assigned to `reviewer` with its records complete: ready for the sign form.
async fn case_to_sign(server: &TestServer, clerk: &str, reviewer: &str) -> String {
    let n = open_case(server, clerk, "A11Y-SIGN-1").await;
    let (status, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(clerk),
            Some(json!({"reviewer_id": reviewer})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&filename=note.txt&complete=true"
        )))
        .bearer_auth(clerk)
        .header("content-type", "text/plain")
        .body(std::fs::read(common::data("records.txt")).expect("records"))
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    n
}

#[imr_testkit::needs(browser)]
#[tokio::test]
async fn every_page_of_the_workbench_is_accessible_in_chromium() {
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
    let signed = signed_case(&server, &clerk, ortho, ortho_token).await;
    let to_sign = case_to_sign(&server, &clerk, ortho).await;
    let fresh = open_case(&server, &clerk, "A11Y-NEW-1").await;
    let folder = tempfile::tempdir().expect("temporary folder");
    let note = folder.path().join("progress note.pdf");
    let lines = records_pdf::progress_note("A11Y");
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    std::fs::write(&note, records_pdf::records_pdf(&lines)).expect("PDF written");

    let d = Driver::start().await;
    let mut problems = Vec::new();

    d.go(&server.url("/login")).await;
    d.wait_for("Password").await;
    problems.extend(d.audit("login").await);
    checks_find_what_they_look_for(&d).await;
    d.go(&server.url("/login")).await;
    d.wait_for("Password").await;
    d.login(&server, "admin", ADMIN_PASSWORD).await;

    let pages = [
        ("queue", "/queue".to_string(), "Cases by due date"),
        ("intake", "/intake".to_string(), "New application for IMR"),
        ("case", format!("/cases/{fresh}"), "Timeline"),
        (
            "assign",
            format!("/cases/{fresh}/assign"),
            "conflict of interest",
        ),
        ("users", "/admin/users".to_string(), "Users"),
        (
            "change password",
            "/account/password".to_string(),
            "password",
        ),
        ("error page", "/cases/CM26-9999999".to_string(), "Not found"),
        (
            "corpus search",
            "/corpus/search?q=Norco+10%2F325".to_string(),
            "matching item(s)",
        ),
        (
            "public copy",
            format!("/cases/{signed}/public-copy"),
            "What was redacted",
        ),
        (
            "signed case",
            format!("/cases/{signed}"),
            "Final Determination Letter",
        ),
    ];
    for (name, path, shows) in &pages {
        d.go(&server.url(path)).await;
        d.wait_for(shows).await;
        problems.extend(d.audit(name).await);
    }
    // The search box takes ordinary text: a drug strength finds the letters that have it.
    d.go(&server.url("/corpus/search?q=Norco+10%2F325")).await;
    let text = d.wait_for("matching item(s)").await;
    assert!(text.contains("Norco"), "{text}");
    d.click("section.hit h3 a").await;
    d.wait_for("Disputed items, decisions and rationales").await;
    problems.extend(d.audit("decision page").await);

    // Documents: an upload through the file picker, its report, a document's page.
    d.go(&server.url(&format!("/cases/{fresh}"))).await;
    d.wait_for("Upload records").await;
    d.type_in("#upload-files", &note.display().to_string())
        .await;
    d.click("#upload button[type=submit]").await;
    d.wait_for("file(s) stored").await;
    problems.extend(d.audit("upload report").await);
    d.click("td a[href$='/view']").await;
    d.wait_for("The text read from it").await;
    problems.extend(d.audit("document page").await);
    d.click("header form button").await; // log out
    d.wait_for("Log in").await;

    // The reviewer's sign form and the letter's preview.
    d.login(&server, ortho, &format!("{ortho}-password-long"))
        .await;
    d.go(&server.url(&format!("/cases/{to_sign}"))).await;
    d.wait_for("Preview the letter").await;
    problems.extend(d.audit("sign form").await);
    let items = d
        .script(
            "return document.querySelectorAll('#sign section.item').length",
            json!([]),
        )
        .await;
    for i in 0..items.as_u64().unwrap_or(0) {
        d.click(&format!("input[name=decision_{i}][value=Upheld]"))
            .await;
        d.type_in(
            &format!("#rationale_{i}"),
            "Not supported by the guideline, in my reading.",
        )
        .await;
        d.type_in(&format!("#guideline_{i}"), "MTUS ACOEM").await;
    }
    d.type_in("#clinical_summary", "A fictional worker with back pain.")
        .await;
    d.click("button[value=preview]").await;
    d.wait_for("Nothing is signed yet").await;
    problems.extend(d.audit("preview").await);
    d.cmd("DELETE", "", Value::Null).await;

    assert!(
        problems.is_empty(),
        "{} accessibility problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The checks themselves find each kind of problem: a page with one of each is not passed.
async fn checks_find_what_they_look_for(d: &Driver) {
    d.script(
        "document.body.insertAdjacentHTML('beforeend', '<h1>Second heading</h1>\
         <p id=\"pale\" style=\"color:#aaa;background:#fff\">pale text</p>\
         <input id=\"unlabelled\" type=\"text\">\
         <a href=\"#x\" tabindex=\"3\">jumps the queue</a>\
         <a id=\"unreachable\" href=\"#y\" tabindex=\"-1\">mouse only</a>');\
         document.documentElement.removeAttribute('lang');",
        json!([]),
    )
    .await;
    let found = d.audit("planted").await.join("\n");
    for expected in [
        "html has no lang",
        "2 h1 elements",
        "contrast 2.32:1 for p#pale",
        "a field without a label: input#unlabelled",
        "a positive tabindex",
        "Tab never reaches a#unreachable",
    ] {
        assert!(
            found.contains(expected),
            "the checks find {expected:?}; they found:\n{found}"
        );
    }
}
