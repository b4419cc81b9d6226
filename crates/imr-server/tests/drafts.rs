//! Drafts of the sign form over HTTP against a real server: kept as the reviewer types (the
//! draft address the page's script posts to) and on every preview, restored when the case is
//! opened again, never signed by themselves, deleted by the signature; a form sent after the
//! session ended for want of use is kept, and the login says so and returns to the case.

mod common;

use common::{Browser, TestServer, csrf_of};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A case assigned to rev-ortho with its records complete: ready to sign.
async fn case_to_sign(server: &TestServer) -> String {
    let n = server.open_case().await;
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&server.admin),
            Some(json!({"reviewer_id": "rev-ortho"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let records = std::fs::read(common::data("records.txt")).expect("records");
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=records&complete=true"
        )))
        .bearer_auth(&server.admin)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    n
}

/// The events of a case's audit log.
async fn events(server: &TestServer, n: &str) -> Vec<String> {
    let (s, log) = server
        .get(&format!("/api/cases/{n}/audit"), &server.admin)
        .await;
    assert_eq!(s, StatusCode::OK, "{log}");
    log.as_array()
        .expect("entries")
        .iter()
        .map(|e| e["event"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The value of the text input `name` on a page.
fn input_value(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let tag_end = at + html[at..].find('>').expect("tag end");
    let tag = &html[at..tag_end];
    tag.split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// The text of the textarea `name` on a page.
fn textarea(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let open = at + html[at..].find('>').expect("tag end") + 1;
    let close = open + html[open..].find("</textarea>").expect("textarea end");
    html[open..close].to_string()
}

/// Whether the radio button `name` = `value` is checked on a page.
fn checked(html: &str, name: &str, value: &str) -> bool {
    let needle = format!("name=\"{name}\" value=\"{value}\"");
    let at = html.find(&needle).unwrap_or_else(|| panic!("no {needle}"));
    let tag_end = at + html[at..].find('>').expect("tag end");
    html[at..tag_end].contains("checked")
}

const SUMMARY: &str = "A fictional worker with low back pain & numbness.";
const RATIONALE: &str = "Progressive deficit documented; imaging is indicated.";

#[tokio::test]
async fn a_draft_is_kept_as_typed_restored_and_deleted_by_the_signature() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let n = case_to_sign(&server).await;
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let (s, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(&format!("data-draft=\"/cases/{n}/draft\""))
            && page.contains("/static/draft.js"),
        "the sign form saves drafts"
    );

    // What the script posts: the form as typed. The answer says when it was saved.
    let draft = format!("/cases/{n}/draft");
    let (s, _, body) = reviewer
        .post(
            &draft,
            &[
                ("decision_0", "Overturned"),
                ("rationale_0", RATIONALE),
                ("clinical_summary", SUMMARY),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert!(
        answer["saved_at"]
            .as_str()
            .is_some_and(|t| t.ends_with("PT")),
        "{answer}"
    );
    assert!(answer["idle_seconds_left"].as_i64().unwrap_or(0) > 0);
    // A second save replaces the first.
    let (s, _, _) = reviewer
        .post(
            &draft,
            &[
                ("decision_0", "Overturned"),
                ("rationale_0", RATIONALE),
                ("guideline_1", "MTUS Chronic Pain"),
                ("clinical_summary", SUMMARY),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Opened again, the form is as it was left, and says so; nothing is signed.
    let (_, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert!(page.contains("Your draft of "), "the page says so");
    assert!(checked(&page, "decision_0", "Overturned"));
    assert!(!checked(&page, "decision_0", "Upheld"));
    assert_eq!(textarea(&page, "rationale_0"), RATIONALE);
    assert_eq!(input_value(&page, "guideline_1"), "MTUS Chronic Pain");
    assert_eq!(
        textarea(&page, "clinical_summary"),
        "A fictional worker with low back pain &amp; numbness."
    );
    let (_, case) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
    assert!(case["determination"].is_null(), "a draft signs nothing");
    let log = events(&server, &n).await;
    assert_eq!(
        log.iter().filter(|e| *e == "sign_draft.started").count(),
        1,
        "the first draft is audited, not every save: {log:?}"
    );
    assert!(log.iter().any(|e| e == "sign_draft.restored"), "{log:?}");

    // Only the assigned reviewer has a draft: another reviewer's case is not found, a clerk
    // has no sign form, a forged form is refused.
    let other = Browser::login(&server, "rev-pmr", "rev-pmr-password-long").await;
    let (s, _, _) = other.post(&draft, &[("clinical_summary", "x")]).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = reviewer
        .post_raw(&draft, &[("csrf", "forged"), ("clinical_summary", "x")])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert_eq!(textarea(&page, "rationale_0"), RATIONALE, "nothing changed");

    // A preview keeps the form as the draft too (without script, that is how it is kept).
    let mut fields = vec![("clinical_summary", SUMMARY), ("step", "preview")];
    let rationales = [
        ("decision_0", "Overturned", "rationale_0", RATIONALE),
        (
            "decision_1",
            "Upheld",
            "rationale_1",
            "No functional improvement after six sessions.",
        ),
    ];
    for (d, v, r, t) in rationales {
        fields.extend([(d, v), (r, t)]);
    }
    fields.extend([
        ("guideline_0", "MTUS ACOEM Low Back Complaints"),
        (
            "guideline_1",
            "MTUS Chronic Pain Medical Treatment Guidelines",
        ),
    ]);
    let (s, _, preview) = reviewer.post(&format!("/cases/{n}/sign"), &fields).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert!(preview.contains("Nothing is signed yet"));
    let (_, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert!(
        checked(&page, "decision_1", "Upheld"),
        "the preview's form is the draft"
    );
    assert_eq!(
        input_value(&page, "guideline_0"),
        "MTUS ACOEM Low Back Complaints"
    );

    // Signing from the preview deletes the draft: the signed case has no form to fill, and a
    // draft sent after it is refused.
    let version = {
        let field = "name=\"version\" value=\"";
        let at = preview.find(field).expect("version") + field.len();
        preview[at..].split('"').next().expect("value").to_string()
    };
    let mut sign = fields.clone();
    sign.retain(|(k, _)| *k != "step");
    sign.extend([("version", version.as_str()), ("step", "sign")]);
    let (s, location, _) = reviewer.post(&format!("/cases/{n}/sign"), &sign).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location.ends_with("#letter"), "{location}");
    let (s, _, _) = reviewer.post(&draft, &[("clinical_summary", "late")]).await;
    assert_eq!(s, StatusCode::CONFLICT, "a signed case keeps no draft");
    let (_, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert!(!page.contains("Your draft of ") && !page.contains("name=\"rationale_0\""));
    let store = imr_store::open(server.db_file(), Default::default())
        .await
        .expect("store");
    let number = imr_case::CaseNumber::parse(&n).expect("number");
    let user = imr_store::accounts::open_with_accounts(server.db_file(), Default::default())
        .await
        .expect("accounts")
        .1
        .user_by_name("rev-ortho")
        .await
        .expect("read")
        .expect("user");
    assert_eq!(store.draft(&number, user.id).await.expect("read"), None);
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_is_kept_and_the_login_returns_to_it() {
    let idle = 2;
    let server = TestServer::start_with(imr_server::Settings {
        session_idle_seconds: idle,
        ..common::test_settings()
    })
    .await;
    server.reviewers().await;
    let n = case_to_sign(&server).await;
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let (_, page) = reviewer.get(&format!("/cases/{n}")).await;
    assert!(
        page.contains("id=\"idle-warning\"") && page.contains("/static/session.js"),
        "the page warns before the session ends"
    );
    let csrf = csrf_of(&page);
    tokio::time::sleep(std::time::Duration::from_secs(idle as u64 + 2)).await;

    // The reviewer presses "Preview the letter" with the session ended: the form is kept, and
    // the login is asked for with why, to return to the case.
    let form = [
        ("csrf", csrf.as_str()),
        ("decision_0", "Overturned"),
        ("rationale_0", RATIONALE),
        ("clinical_summary", SUMMARY),
        ("step", "preview"),
    ];
    let (s, location, _) = reviewer.post_raw(&format!("/cases/{n}/sign"), &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let expected = format!("/login?next=%2Fcases%2F{n}&reason=expired");
    assert_eq!(location, expected);
    let (s, login) = reviewer.get(&expected).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        login.contains("Your session expired; your draft was kept"),
        "{login}"
    );
    assert!(
        login.contains(&format!("value=\"/cases/{n}\"")),
        "returns to the case"
    );
    // The ended session authorizes nothing else.
    let (s, _) = reviewer.get(&format!("/cases/{n}")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, location, _) = reviewer.post(&format!("/cases/{n}/assign"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/login"), "{location}");
    // The script's save after the end is kept as well, and answered with where to log in.
    let (s, _, body) = reviewer
        .post_raw(
            &format!("/cases/{n}/draft"),
            &[
                ("csrf", csrf.as_str()),
                ("decision_0", "Overturned"),
                ("rationale_0", RATIONALE),
                ("clinical_summary", SUMMARY),
                ("guideline_0", "MTUS ACOEM"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer["kept"], true);
    assert_eq!(answer["login"], expected.as_str());
    // A form whose token is not the session's is not kept.
    let (s, location, _) = reviewer
        .post_raw(
            &format!("/cases/{n}/sign"),
            &[("csrf", "forged"), ("clinical_summary", "planted")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(location.ends_with("reason=idle"), "{location}");

    // Logged in again from the login page asked for, the reviewer lands on the case with
    // the form as it was left.
    let resp = server
        .client
        .get(server.url(&expected))
        .send()
        .await
        .expect("login page");
    let login_cookie = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let login_csrf = csrf_of(&resp.text().await.expect("html"));
    let resp = server
        .client
        .post(server.url("/login"))
        .header("cookie", format!("{login_cookie}; {}", reviewer.cookie))
        .form(&[
            ("csrf", login_csrf.as_str()),
            ("username", "rev-ortho"),
            ("password", "rev-ortho-password-long"),
            ("next", &format!("/cases/{n}")),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], format!("/cases/{n}").as_str());
    let session = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();
    let page = server
        .client
        .get(server.url(&format!("/cases/{n}")))
        .header("cookie", &session)
        .send()
        .await
        .expect("case")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Your draft of "), "restored");
    assert!(checked(&page, "decision_0", "Overturned"));
    assert_eq!(textarea(&page, "rationale_0"), RATIONALE);
    assert_eq!(input_value(&page, "guideline_0"), "MTUS ACOEM");
    assert!(!page.contains("planted"), "the forged form was not kept");
    let log = events(&server, &n).await;
    assert_eq!(
        log.iter().filter(|e| *e == "sign_draft.kept").count(),
        2,
        "both forms sent after the end are audited: {log:?}"
    );
    // The old session ended with the new login.
    let (s, _) = reviewer.get("/queue").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}
