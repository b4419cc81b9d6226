//! Screenshots of the public pages in Debian's headless Chromium (chromedriver spoken to over
//! HTTP, as in browser.rs): a published decision's page reached from a search hit, and a signed
//! case's redacted public copy issued from its page. The screenshots go to docs/screenshots/
//! (15-decision, 16-public-copy) when IMR_UPDATE_SCREENSHOTS is set, to a temporary folder
//! otherwise. Skipped (imr_testkit) where chromium or chromedriver is missing.

mod common;
mod webdriver;

use common::TestServer;
use imr_corpus::{CorpusIndex, synth};
use imr_letter::read_letter;
use serde_json::json;
use webdriver::{Driver, signed_case};

#[imr_testkit::needs(browser)]
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
    server.user("quality", "quality", None, None).await;
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

    // The public copy: redacted, with its report; issued with the button by a second person
    // (quality review).
    d.login(&server, "quality", "quality-password-long").await;
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
