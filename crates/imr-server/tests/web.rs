//! The workbench over HTTP against a real server: login with its CSRF cookie, the session
//! cookie's attributes, CSRF on every form, inline validation, who sees which page, the whole
//! story through the forms, and injection payloads shown escaped.

mod common;

use common::{ADMIN_PASSWORD, Browser, TestServer, application, csrf_of};
use reqwest::StatusCode;
use serde_json::json;

fn intake_fields(app: &serde_json::Value) -> Vec<(String, String)> {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
    vec![
        ("worker".into(), s(&app["worker"])),
        ("employer".into(), s(&app["employer"])),
        (
            "claims_administrator".into(),
            s(&app["claims_administrator"]),
        ),
        ("insurer".into(), s(&app["insurer"])),
        (
            "requesting_provider.name".into(),
            s(&app["requesting_provider"]["name"]),
        ),
        (
            "requesting_provider.specialty".into(),
            s(&app["requesting_provider"]["specialty"]),
        ),
        (
            "requesting_provider.group".into(),
            s(&app["requesting_provider"]["group"]),
        ),
        ("claim_number".into(), s(&app["claim_number"])),
        ("date_of_injury".into(), s(&app["date_of_injury"])),
        ("condition".into(), s(&app["condition"])),
        ("ur_decision.date".into(), s(&app["ur_decision"]["date"])),
        (
            "ur_decision.served".into(),
            s(&app["ur_decision"]["served"]),
        ),
        ("ur_decision.attached".into(), "yes".into()),
        ("priority".into(), "Standard".into()),
        ("signature.signer".into(), "worker".into()),
        ("signature.date".into(), s(&app["signature"]["date"])),
        ("filed".into(), s(&app["filed"])),
        (
            "item_request".into(),
            s(&app["ur_decision"]["items"][0]["request"]),
        ),
        ("item_outcome".into(), "denied".into()),
        (
            "item_request".into(),
            s(&app["ur_decision"]["items"][1]["request"]),
        ),
        ("item_outcome".into(), "modified".into()),
        ("item_authorized".into(), "4 sessions".into()),
    ]
}

fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

#[tokio::test]
async fn login_needs_its_csrf_token_and_pages_need_a_session() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .post(server.url("/login"))
        .form(&[("username", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert!(
        resp.headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap_or("").starts_with("imr_session="))
    );
    let resp = server
        .client
        .get(server.url("/queue"))
        .send()
        .await
        .expect("queue");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/login?next=%2Fqueue");
    // A bearer token is not a web session, and a cookie is not an API token.
    let resp = server
        .client
        .get(server.url("/queue"))
        .header("cookie", format!("imr_session={}", server.admin))
        .send()
        .await
        .expect("queue");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let token = admin.cookie.trim_start_matches("imr_session=");
    let (s, _) = server.get("/api/me", token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, html) = admin.get("/queue").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Cases by due date"));
    // Logging out needs the token too, and ends the session.
    let (s, _, _) = admin.post_raw("/logout", &[]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = admin.post("/logout", &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _) = admin.get("/queue").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_whole_story_through_the_forms() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let _ = server.user("clerk", "intake_clerk", None, None).await;
    let clerk = Browser::login(&server, "clerk", "clerk-password-long").await;

    // Intake with an error: shown inline, nothing opened.
    let app = application();
    let mut fields = intake_fields(&app);
    fields[0].1 = String::new();
    fields[8].1 = "31/02/2026".into();
    let (s, _, html) = clerk.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("is not a date"), "date error shown");
    let (_, queue) = clerk.get("/queue").await;
    assert!(queue.contains("No cases."));
    // Without the CSRF token: refused, nothing opened.
    let (s, _, _) = clerk
        .post_raw("/intake", &pairs(&intake_fields(&app)))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let fields = intake_fields(&app);
    let mut empty_worker = fields.clone();
    empty_worker[0].1 = " ".into();
    let (s, _, html) = clerk.post("/intake", &pairs(&empty_worker)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("field-error") && html.contains("must not be empty"),
        "inline error"
    );

    // Intake: the case opens and shows its eligibility.
    let (s, location, _) = clerk.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let number = location.trim_start_matches("/cases/").to_string();
    let (s, html) = clerk.get(&location).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("eligible") && html.contains("Assign a reviewer"));

    // Assignment page: candidates with reasons, the conflicted one excluded.
    let (s, html) = clerk.get(&format!("/cases/{number}/assign")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("conflict of interest"),
        "exclusion reason shown"
    );
    assert!(html.contains("best match"));
    let (s, _, _) = clerk
        .post(
            &format!("/cases/{number}/assign"),
            &[("reviewer_id", "rev-ortho"), ("notice", "electronic")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // The records, with a sentence that reports the UR decision's reasons (shown apart, never
    // read as a finding).
    let records = std::fs::read_to_string(common::data("records.txt")).expect("records")
        + "\nThe request was denied by utilization review as there was no evidence of a neurologic deficit.\n";
    let (s, _, _) = clerk
        .post(
            &format!("/cases/{number}/records"),
            &[
                ("kind", "medical records"),
                ("records", &records),
                ("complete", "yes"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // Another reviewer may not see it; the assignee sees facts highlighted and the proposal.
    let _ = &reviewers;
    let other = Browser::login(&server, "rev-pmr", "rev-pmr-password-long").await;
    let (s, _) = other.get(&format!("/cases/{number}")).await;
    assert_eq!(
        s,
        StatusCode::NOT_FOUND,
        "a case one may not see is not found"
    );
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let (s, html) = reviewer.get(&format!("/cases/{number}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<mark class=\"fact"), "facts highlighted");
    assert!(
        html.contains("fact negated"),
        "a negated fact marked differently"
    );
    assert!(html.contains("Engine's proposal"));
    // The guideline in plain words; the rule's id only inside a detail.
    assert!(html.contains("Guideline: "));
    let rule_at = html.find("<code>mtus.").expect("a rule id is shown");
    let detail_at = html[..rule_at].rfind("<details").expect("inside a detail");
    assert!(
        !html[detail_at..rule_at].contains("</details>"),
        "the rule id is in the detail"
    );
    assert!(html.contains("Preview the letter"));
    // The checklist: every criterion with its state, the decisive ones marked, the rule's
    // measured agreement; UR's reasoning apart from the findings.
    assert!(
        html.contains("Criteria of the guideline section"),
        "checklist"
    );
    assert!(html.contains("class=\"badge state "), "criterion states");
    assert!(
        html.contains("tr class=\"decisive\""),
        "decisive criterion marked"
    );
    assert!(
        html.contains("agreed with the published decision on")
            || html.contains("agreement with published decisions not measured"),
        "the rule's measured agreement"
    );
    assert!(
        html.contains("the 101 dev letters (2016-17) the rules were written from"),
        "the agreement names the letters it was measured on"
    );
    assert!(
        !html.contains("check-half") && !html.contains("tune-half"),
        "no tune or check half"
    );
    let ur_at = html
        .find("<h2>UR's reasoning</h2>")
        .expect("UR's reasoning shown");
    assert!(html[ur_at..].contains("no evidence of a neurologic deficit"));
    let clinical = &html[html.find("Clinical text").expect("clinical text")..ur_at];
    assert!(
        !clinical.contains("<mark class=\"fact\" title=\"neuro")
            || !clinical.contains("no evidence of a neurologic deficit</mark>"),
        "the UR sentence is not marked as a finding"
    );
    // The decision is not pre-filled.
    assert!(
        !html.contains("checked value=\"Upheld\"") && !html.contains("value=\"Upheld\" checked")
    );

    // Signing through the form: the preview, then "Sign and issue"; then the letter's PDF.
    let fields = [
        ("decision_0", "Overturned"),
        ("guideline_0", "MTUS ACOEM"),
        ("rationale_0", "Deficit documented."),
        ("decision_1", "Upheld"),
        ("guideline_1", "MTUS CPMTG"),
        ("rationale_1", "No functional improvement."),
        ("clinical_summary", "A fictional worker."),
    ];
    let (s, _, preview) = reviewer
        .post(&format!("/cases/{number}/sign"), &fields)
        .await;
    let notice = preview
        .split("role=\"alert\">")
        .skip(1)
        .map(|t| t.split('<').next().unwrap_or(""))
        .collect::<Vec<_>>();
    assert_eq!(s, StatusCode::OK, "{notice:?}");
    assert!(preview.contains("Sign and issue"));
    let s = sign_from_preview(&reviewer, &number, &fields, &preview).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = reviewer.get(&format!("/cases/{number}")).await;
    assert!(html.contains("Signed decision") && html.contains("Download the letter (PDF)"));
    let resp = server
        .client
        .get(server.url(&format!("/cases/{number}/letter.pdf")))
        .header("cookie", &reviewer.cookie)
        .send()
        .await
        .expect("pdf");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    let (s, _, _) = clerk.post(&format!("/cases/{number}/issue"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = clerk.get(&format!("/cases/{number}")).await;
    assert!(html.contains("Letter issued"));
    // Issuing twice: the page says why it cannot.
    let (s, location, _) = clerk.post(&format!("/cases/{number}/issue"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(
        location.ends_with("?error=letter-already-issued"),
        "{location}"
    );
    let (_, html) = clerk.get(&location).await;
    assert!(html.contains("The letter was already issued."));
}

/// The case version the preview carries.
fn version_of(preview: &str) -> String {
    let field = "name=\"version\" value=\"";
    let at = preview.find(field).expect("a version field") + field.len();
    preview[at..].split('"').next().expect("value").to_string()
}

/// Presses "Sign and issue" on a preview: the fields come back with the preview's version.
async fn sign_from_preview(
    reviewer: &Browser,
    number: &str,
    fields: &[(&str, &str)],
    preview: &str,
) -> StatusCode {
    let version = version_of(preview);
    let mut form = fields.to_vec();
    form.push(("version", &version));
    form.push(("step", "sign"));
    reviewer
        .post(&format!("/cases/{number}/sign"), &form)
        .await
        .0
}

/// SQL, HTML and script payloads in every text field are shown verbatim, escaped.
#[tokio::test]
async fn injection_payloads_are_shown_escaped() {
    let server = TestServer::start().await;
    let payload =
        "<script>alert('x')</script>\"><img src=x onerror=alert(1)>'; DROP TABLE cases;--";
    let mut app = application();
    for field in [
        "worker",
        "employer",
        "claims_administrator",
        "insurer",
        "condition",
        "representative",
        "claim_number",
    ] {
        app[field] = json!(format!("{payload} {field}"));
    }
    app["requesting_provider"]["name"] = json!(format!("{payload} provider"));
    app["requesting_provider"]["group"] = json!(format!("{payload} group"));
    app["other_providers"] = json!([format!("{payload} other")]);
    app["ur_decision"]["items"][0]["request"] = json!(format!("{payload} request"));
    let (s, body) = server
        .send("POST", "/api/applications", Some(&server.admin), Some(app))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number");
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (s, html) = admin.get(&format!("/cases/{n}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains("<script>alert"), "a script tag got through");
    assert!(!html.contains("<img src=x"), "an img tag got through");
    let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;; DROP TABLE cases;--";
    let escaped_alt = escaped.replace("&#39;", "'");
    for field in [
        "worker",
        "employer",
        "claims_administrator",
        "insurer",
        "condition",
        "representative",
        "claim_number",
        "provider",
        "group",
        "other",
        "request",
    ] {
        let a = format!("{escaped} {field}");
        let b = format!("{escaped_alt} {field}");
        assert!(
            html.contains(&a) || html.contains(&b),
            "{field} not shown verbatim and escaped"
        );
    }
    // The intake form echoes what was typed, escaped too.
    let mut fields = intake_fields(&application());
    fields[0].1 = payload.to_string();
    fields[8].1 = "not a date".into();
    let (s, _, html) = admin.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(!html.contains("<script>alert"));
    assert!(html.contains("&lt;script&gt;"));
}

/// Opens the fixture application with a third item the engine cannot decide, assigned to
/// rev-ortho; with `complete`, its records are complete. Returns the case number.
async fn case_for_signing(server: &TestServer, complete: bool) -> String {
    let mut app = application();
    app["claim_number"] = json!(format!("TEST-SIGN-{complete}"));
    app["ur_decision"]["items"]
        .as_array_mut()
        .expect("items")
        .push(json!({"request": "Hyperbaric oxygen therapy 20 sessions", "ur_outcome": "denied"}));
    let (s, body) = server
        .send("POST", "/api/applications", Some(&server.admin), Some(app))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&server.admin),
            Some(json!({"reviewer_id": "rev-ortho"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    if complete {
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
    }
    n
}

/// The text between `<textarea ... name="{name}" ...>` and `</textarea>`.
fn textarea(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let open = at + html[at..].find('>').expect("tag end") + 1;
    let close = open + html[open..].find("</textarea>").expect("textarea end");
    html[open..close].to_string()
}

/// The physician's own rationale for the third item of the case to sign.
const OWN_RATIONALE: &str = "Not supported for a lumbar strain, in my reading.";

/// Nothing is pre-set; the proposal is only shown; a form with problems comes back as it was
/// left with each problem at its field; the preview signs nothing; "Sign and issue" signs.
#[tokio::test]
async fn signing_is_a_deliberate_act_and_a_form_error_keeps_the_input() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;

    // Records awaited: no form, and a forged signature is refused with the reason.
    let waiting = case_for_signing(&server, false).await;
    let (_, html) = reviewer.get(&format!("/cases/{waiting}")).await;
    assert!(!html.contains("Preview the letter"));
    assert!(html.contains("records are not complete yet"));
    let all = [
        ("decision_0", "Overturned"),
        ("guideline_0", "MTUS ACOEM Low Back Complaints"),
        ("rationale_0", "Deficit documented."),
        ("decision_1", "Upheld"),
        ("rationale_1", "No functional improvement."),
        (
            "guideline_1",
            "MTUS Chronic Pain Medical Treatment Guidelines",
        ),
        ("guideline_2", "ODG Low Back"),
        ("decision_2", "Upheld"),
        ("rationale_2", OWN_RATIONALE),
        ("clinical_summary", "A fictional worker with low back pain."),
    ];
    let mut forged = all.to_vec();
    forged.push(("step", "sign"));
    let (s, _, html) = reviewer
        .post(&format!("/cases/{waiting}/sign"), &forged)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("not complete yet"), "reason shown");
    let (_, case) = server
        .get(&format!("/api/cases/{waiting}"), &server.admin)
        .await;
    assert_eq!(case["status"], "assigned", "nothing signed");

    let n = case_for_signing(&server, true).await;
    let (_, proposal) = server
        .get(&format!("/api/cases/{n}/proposal"), &server.admin)
        .await;
    let undecided_note = proposal["items"][2]["rationale"]
        .as_str()
        .expect("rationale")
        .to_string();
    assert!(proposal["items"][2]["decision"].is_null(), "{proposal}");
    let decided = (0..2)
        .find(|&i| proposal["items"][i]["decision"].is_string())
        .expect("the engine decides one of the first two items");
    let decided_rationale = proposal["items"][decided]["rationale"]
        .as_str()
        .expect("rationale")
        .to_string();

    // The form: no decision chosen, no rationale, no guideline filled in.
    let (_, html) = reviewer.get(&format!("/cases/{n}")).await;
    let form = &html[html.find("id=\"sign\"").expect("the sign form")..];
    assert!(!form.contains("checked"), "nothing pre-set");
    for i in 0..3 {
        assert_eq!(textarea(form, &format!("rationale_{i}")), "");
        assert!(form.contains(&format!("name=\"guideline_{i}\" value=\"\"")));
    }
    assert!(form.contains(&format!("use_proposed_{decided}")));
    assert!(
        !form.contains("use_proposed_2"),
        "no proposed rationale to take for an undecided item"
    );

    // Problems: a missing decision, the engine's note as a rationale, a control character.
    let problems = [
        ("rationale_0", "Deficit documented, my words."),
        ("guideline_0", "MTUS ACOEM Low Back"),
        ("decision_1", "Upheld"),
        ("rationale_1", "No functional improvement."),
        ("decision_2", "Overturned"),
        ("rationale_2", undecided_note.as_str()),
        ("clinical_summary", "A fictional worker\u{202E} with pain."),
    ];
    let (s, _, html) = reviewer.post(&format!("/cases/{n}/sign"), &problems).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("no decision for item 1"), "decision error");
    assert!(
        html.contains("needs a physician&#39;s review")
            || html.contains("needs a physician's review")
    );
    assert!(html.contains("bidirectional override (U+202E)"));
    assert!(html.contains("Nothing was signed"));
    // ... and the form is as the reviewer left it.
    assert_eq!(
        textarea(&html, "rationale_0"),
        "Deficit documented, my words."
    );
    assert!(html.contains("value=\"MTUS ACOEM Low Back\""));
    assert!(html.contains("name=\"decision_1\" value=\"Upheld\" checked"));
    assert!(html.contains("name=\"decision_2\" value=\"Overturned\" checked"));
    assert!(!html.contains("name=\"decision_0\" value=\"Upheld\" checked"));
    assert_eq!(textarea(&html, "rationale_1"), "No functional improvement.");
    assert_eq!(
        textarea(&html, "clinical_summary"),
        "A fictional worker\u{202E} with pain."
    );
    // An empty summary is refused as not ready (409), the rest kept.
    let mut no_summary = all.to_vec();
    no_summary.retain(|(k, _)| *k != "clinical_summary");
    let (s, _, html) = reviewer
        .post(&format!("/cases/{n}/sign"), &no_summary)
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("clinical summary is empty"));
    assert_eq!(textarea(&html, "rationale_2"), OWN_RATIONALE);

    // The engine's rationale, taken by the explicit box where it decided.
    let use_key = format!("use_proposed_{decided}");
    let rationale_key = format!("rationale_{decided}");
    let mut fields: Vec<(&str, &str)> = all
        .iter()
        .filter(|(k, _)| *k != rationale_key.as_str())
        .copied()
        .collect();
    fields.push((use_key.as_str(), "yes"));
    let (s, _, preview) = reviewer.post(&format!("/cases/{n}/sign"), &fields).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert!(preview.contains("Nothing is signed yet") && preview.contains("Sign and issue"));
    assert!(preview.contains("srcdoc="), "the whole letter is shown");
    let escaped = |t: &str| {
        t.replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;")
    };
    assert!(
        preview.contains(&escaped(&decided_rationale))
            || preview.contains(&escaped(&decided_rationale).replace('&', "&amp;")),
        "the proposed rationale is in the preview"
    );
    assert!(
        !preview.contains("type=\"text\""),
        "no text field on the preview"
    );
    let (_, case) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
    assert_eq!(
        case["status"], "records_complete",
        "a preview signs nothing"
    );
    // Back to the form: as it was.
    let mut back = fields.clone();
    back.push(("step", "edit"));
    let (s, _, html) = reviewer.post(&format!("/cases/{n}/sign"), &back).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("name=\"{use_key}\" value=\"yes\" checked")));
    assert_eq!(textarea(&html, "rationale_2"), OWN_RATIONALE);
    // A stale preview (the case changed since) signs nothing.
    let mut stale = fields.clone();
    stale.push(("version", "1"));
    stale.push(("step", "sign"));
    let (s, _, html) = reviewer.post(&format!("/cases/{n}/sign"), &stale).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("changed while you previewed"));
    // "Sign and issue" signs what the preview showed.
    let s = sign_from_preview(&reviewer, &n, &fields, &preview).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, case) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
    assert_eq!(case["status"], "determined");
    let signed = &case["determination"]["decisions"];
    assert_eq!(signed[decided]["rationale"], decided_rationale.as_str());
    // The physician's own rationale, and the conclusion written from the decision chosen.
    assert_eq!(
        signed[2]["rationale"],
        format!(
            "{OWN_RATIONALE} The request for Hyperbaric oxygen therapy 20 sessions is not \
             medically necessary."
        )
    );
    assert_eq!(signed[2]["decision"], "Upheld");
}

/// The part of the sign form that belongs to item `index`: from its decision to the next one's.
fn item_part(html: &str, index: usize) -> &str {
    let start = html
        .find(&format!("name=\"decision_{index}\""))
        .unwrap_or_else(|| panic!("no item {index}"));
    let end = html[start..]
        .find(&format!("name=\"decision_{}\"", index + 1))
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// The workbench refuses a rationale that concludes the opposite of the decision chosen — the
/// engine's, taken with "use the proposed rationale" under the other decision, or one typed —
/// and a missing guideline, each at its field, the form kept; the same proposal under its own
/// decision signs with the conclusion written from it.
#[tokio::test]
async fn the_sign_form_refuses_a_letter_that_contradicts_itself_at_the_field() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let n = case_for_signing(&server, true).await;
    let (_, proposal) = server
        .get(&format!("/api/cases/{n}/proposal"), &server.admin)
        .await;
    let decided = (0..2)
        .find(|&i| proposal["items"][i]["decision"].is_string())
        .expect("the engine decides one of the first two items");
    let proposed = proposal["items"][decided]["decision"]
        .as_str()
        .expect("decision");
    let other = if proposed == "Upheld" {
        "Overturned"
    } else {
        "Upheld"
    };
    let (decision_key, use_key) = (
        format!("decision_{decided}"),
        format!("use_proposed_{decided}"),
    );
    let (typed_key, typed_index) = if decided == 0 {
        ("rationale_1", 1)
    } else {
        ("rationale_0", 0)
    };
    let mut fields: Vec<(&str, &str)> = vec![
        ("decision_0", "Upheld"),
        ("decision_1", "Upheld"),
        ("decision_2", "Upheld"),
        ("guideline_0", "MTUS ACOEM Low Back Complaints"),
        (
            "guideline_1",
            "MTUS Chronic Pain Medical Treatment Guidelines",
        ),
        ("rationale_2", OWN_RATIONALE),
        ("clinical_summary", "A fictional worker with low back pain."),
    ];
    fields.retain(|(k, _)| *k != decision_key.as_str());
    fields.push((decision_key.as_str(), other));
    fields.push((use_key.as_str(), "yes"));
    // The other item typed, concluding against its own decision (Upheld).
    fields.push((
        typed_key,
        "Examination reviewed. The request is medically necessary.",
    ));

    let (s, _, html) = reviewer.post(&format!("/cases/{n}/sign"), &fields).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let at_proposal = item_part(&html, decided);
    assert!(
        at_proposal.contains("class=\"field-error\"")
            && at_proposal.contains("the proposed rationale concludes that the request is")
            && at_proposal.contains(&format!("the decision chosen is {other}")),
        "the error at the item's rationale: {at_proposal}"
    );
    let at_typed = item_part(&html, typed_index);
    assert!(
        at_typed.contains(
            "sentence 2 of the rationale concludes that the request is medically \
                           necessary (Overturned), but the decision chosen is Upheld"
        ),
        "{at_typed}"
    );
    assert!(
        at_typed.contains("class=\"invalid\""),
        "the field is marked"
    );
    // The third item has no guideline: named at its field.
    assert!(
        item_part(&html, 2).contains("no guideline for item 3 (Hyperbaric oxygen therapy"),
        "{html}"
    );
    assert!(html.contains(&format!("name=\"{use_key}\" value=\"yes\" checked")));
    let (_, case) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
    assert_eq!(case["status"], "records_complete", "nothing signed");

    // The proposal under its own decision, the typed rationale and the guideline mended: it
    // signs, and the letter concludes as decided.
    let mut mended: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(k, _)| *k != decision_key.as_str() && *k != typed_key)
        .copied()
        .collect();
    mended.push((decision_key.as_str(), proposed));
    mended.push((
        typed_key,
        "Examination reviewed; no change since the last visit.",
    ));
    mended.push(("guideline_2", "ODG Low Back"));
    let (s, _, preview) = reviewer.post(&format!("/cases/{n}/sign"), &mended).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    let s = sign_from_preview(&reviewer, &n, &mended, &preview).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, case) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
    let signed = &case["determination"]["decisions"];
    assert_eq!(signed[decided]["decision"], proposed);
    assert_eq!(signed[typed_index]["decision"], "Upheld");
    assert!(
        signed[typed_index]["rationale"]
            .as_str()
            .is_some_and(|r| r.ends_with("is not medically necessary.")),
        "{signed}"
    );
}

/// `?error=` shows the fixed text of a known code and nothing of any other text.
#[tokio::test]
async fn error_links_show_fixed_text_only() {
    let server = TestServer::start().await;
    let n = server.open_case().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    for text in [
        "Your%20session%20expired.%20Log%20in%20again%20at%20evil.example",
        "%3Cb%3Ebold%3C%2Fb%3E",
    ] {
        let (s, html) = admin.get(&format!("/cases/{n}?error={text}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!html.contains("evil.example") && !html.contains("bold"));
        assert!(
            !html.contains("role=\"alert\""),
            "no alert for an unknown code"
        );
    }
    let (_, html) = admin.get(&format!("/cases/{n}?error=already-signed")).await;
    assert!(html.contains("role=\"alert\">The case is already signed.</div>"));
}

/// Control characters and overlong names on the intake form: refused, named inline.
#[tokio::test]
async fn intake_refuses_control_characters_and_overlong_names() {
    let server = TestServer::start().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let mut fields = intake_fields(&application());
    fields[0].1 = "Theodora\u{202E}elpmaxE".into();
    fields[1].1 = "x".repeat(201);
    let (s, _, html) = admin.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("bidirectional override (U+202E) at character 9"));
    assert!(html.contains("is 201 characters long; at most 200 are allowed"));
    assert!(html.contains(&"x".repeat(201)), "the input is kept");
    // Characters that draw nothing, or not themselves: format characters (the byte order
    // mark, a zero-width space), private-use characters, noncharacters.
    for (text, named) in [
        (
            "\u{FEFF}Theodora",
            "a format character (U+FEFF) at character 1",
        ),
        (
            "Theo\u{200B}dora",
            "a format character (U+200B) at character 5",
        ),
        (
            "Theodora\u{E000}",
            "a private-use character (U+E000) at character 9",
        ),
        ("Theo\u{FDD0}", "a noncharacter (U+FDD0) at character 5"),
    ] {
        let mut fields = intake_fields(&application());
        fields[0].1 = text.into();
        let (s, _, html) = admin.post("/intake", &pairs(&fields)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{text:?}");
        assert!(html.contains(named), "{named}");
    }
    let (_, queue) = admin.get("/queue").await;
    assert!(queue.contains("No cases."));
}

/// The letter's fields refuse the same characters: a rationale with a zero-width space comes
/// back at its field, named by code point, and nothing is previewed or signed.
#[tokio::test]
async fn the_sign_form_refuses_characters_that_are_not_drawn() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let number = case_for_signing(&server, true).await;
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let mut fields: Vec<(&str, &str)> = vec![
        ("clinical_summary", "A fictional summary."),
        ("step", "preview"),
    ];
    for i in 0..3 {
        fields.push((["decision_0", "decision_1", "decision_2"][i], "Upheld"));
        fields.push((
            ["guideline_0", "guideline_1", "guideline_2"][i],
            "MTUS Chronic Pain Medical Treatment Guidelines",
        ));
    }
    fields.push((
        "rationale_0",
        "No functional\u{200B} improvement documented.",
    ));
    fields.push(("rationale_1", "No functional improvement documented."));
    fields.push(("rationale_2", "Not supported\u{F8FF} by the record."));
    let (s, _, html) = reviewer
        .post(&format!("/cases/{number}/sign"), &fields)
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("contains a format character (U+200B) at character 14"),
        "{html}"
    );
    assert!(html.contains("contains a private-use character (U+F8FF) at character 14"));
    assert!(!html.contains("Nothing is signed yet"), "no preview");
    // The API refuses a byte order mark in the summary the same way.
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{number}/determination"),
            Some(&server.user("ortho-api", "reviewer", Some("rev-ortho"), None).await),
            Some(json!({"decisions": [
                {"request": "x", "decision": "Upheld", "guideline": "MTUS", "rationale": "Not supported by the record."}
            ], "clinical_summary": "\u{FEFF}A fictional summary."})),
        )
        .await;
    assert!(s.is_client_error(), "{s}: {body}");
}

/// What the framework answers by itself (a value in the address it cannot read, a path with
/// no page, a page asked for the wrong way) is a page of the workbench in plain words, with
/// the user's navigation; never the framework's text.
#[tokio::test]
async fn the_frameworks_errors_are_pages_in_plain_words() {
    let server = TestServer::start().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    for (path, status, words) in [
        (
            "/queue?status=bogus",
            StatusCode::BAD_REQUEST,
            "could not be read",
        ),
        (
            "/queue?page=two",
            StatusCode::BAD_REQUEST,
            "could not be read",
        ),
        (
            "/documents/3.pdf",
            StatusCode::BAD_REQUEST,
            "could not be read",
        ),
        (
            "/documents/3.pdf/view",
            StatusCode::BAD_REQUEST,
            "could not be read",
        ),
        (
            "/no/such/page",
            StatusCode::NOT_FOUND,
            "There is no page at this address",
        ),
        (
            "/logout",
            StatusCode::METHOD_NOT_ALLOWED,
            "not a page to open",
        ),
    ] {
        let resp = admin.get_raw(path).await;
        assert_eq!(resp.status(), status, "{path}");
        assert!(
            resp.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/html")),
            "{path}"
        );
        let html = resp.text().await.expect("html");
        assert!(html.contains(words), "{path}: {html}");
        assert!(html.contains("Log out"), "{path}: in the user's layout");
        for raw in [
            "Failed to deserialize",
            "unknown variant",
            "Cannot parse",
            "Invalid URL",
        ] {
            assert!(!html.contains(raw), "{path}: the framework's words: {html}");
        }
    }
    // Without a session: the same page, without the user's navigation.
    let resp = server
        .client
        .get(server.url("/no/such/page"))
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    let html = resp.text().await.expect("html");
    assert!(html.contains("There is no page at this address") && !html.contains("Log out"));
    // The API keeps its own answers.
    let resp = server
        .client
        .get(server.url("/api/no/such/endpoint"))
        .bearer_auth(&server.admin)
        .send()
        .await
        .expect("api");
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(!resp.text().await.expect("body").contains("<html"));
}

/// The text of a page outside its tags, the clinical text left out (it is the record's own).
fn page_text(html: &str) -> String {
    let html = match html.find("<div class=\"clinical\">") {
        Some(start) => {
            let end = start
                + html[start..]
                    .find("</div>")
                    .expect("end of the clinical text");
            format!("{}{}", &html[..start], &html[end..])
        }
        None => html.to_string(),
    };
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Dates a page's text writes otherwise than MM/DD/YYYY: ISO (2026-01-05) or with a month's
/// name (Jan 5, 2026).
fn other_dates(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let digits = |from: usize, n: usize| {
        (from..from + n).all(|i| chars.get(i).is_some_and(char::is_ascii_digit))
    };
    let mut found = Vec::new();
    for i in 0..chars.len() {
        if digits(i, 4)
            && chars.get(i + 4) == Some(&'-')
            && digits(i + 5, 2)
            && chars.get(i + 7) == Some(&'-')
            && digits(i + 8, 2)
        {
            found.push(chars[i..i + 10].iter().collect());
        }
    }
    for month in [
        "Jan ", "Feb ", "Mar ", "Apr ", "May ", "Jun ", "Jul ", "Aug ", "Sep ", "Oct ", "Nov ",
        "Dec ",
    ] {
        for (at, _) in text.match_indices(month) {
            if text[at + month.len()..].starts_with(|c: char| c.is_ascii_digit()) {
                found.push(text[at..(at + 12).min(text.len())].to_string());
            }
        }
    }
    found
}

/// A date as the letters print it.
fn us_date(iso: &str) -> String {
    let d: jiff::civil::Date = iso.parse().expect("an ISO date");
    format!("{:02}/{:02}/{}", d.month(), d.day(), d.year())
}

/// The pages write every date one way, MM/DD/YYYY as the letters do; the API gives ISO 8601.
#[tokio::test]
async fn dates_are_written_as_the_letters_write_them() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let number = case_for_signing(&server, true).await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    let injured = case["application"]["date_of_injury"]
        .as_str()
        .expect("ISO in the API");
    assert_eq!(injured.len(), 10, "ISO 8601: {injured}");
    assert!(!other_dates(injured).is_empty(), "the API's date is ISO");
    for path in [format!("/cases/{number}"), "/queue".to_string()] {
        let (_, html) = admin.get(&path).await;
        let text = page_text(&html);
        assert_eq!(other_dates(&text), Vec::<String>::new(), "{path}");
    }
    let (_, html) = admin.get("/queue").await;
    assert!(
        page_text(&html).contains(" due "),
        "the queue shows a deadline"
    );
    let (_, html) = admin.get(&format!("/cases/{number}")).await;
    let text = page_text(&html);
    assert!(text.contains(" PT"), "times on the organization's clock");
    assert!(
        text.contains(&us_date(injured)),
        "the date of injury as MM/DD/YYYY"
    );
    let (_, docs) = server
        .get(&format!("/api/cases/{number}/documents"), &server.admin)
        .await;
    let doc = docs[0]["id"].as_i64().expect("a document");
    let (_, html) = admin.get(&format!("/documents/{doc}/view")).await;
    assert_eq!(other_dates(&page_text(&html)), Vec::<String>::new());
}

/// Open expedited cases come first in the queue, those awaiting assignment included (they
/// have no deadline yet, which sorted them last); the API lists them in the same order.
#[tokio::test]
async fn expedited_cases_come_first_in_the_queue() {
    let server = TestServer::start().await;
    // Every seventh expedited: the fourth, eleventh and eighteenth of twenty.
    let numbers = common::seed_cases(&server, 20).await;
    let expedited = [&numbers[3], &numbers[10], &numbers[17]];
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, html) = admin.get("/queue").await;
    let rows: Vec<&str> = html.split("<tr").skip(2).collect();
    assert_eq!(rows.len(), 20);
    for (row, number) in rows.iter().zip(expedited) {
        assert!(
            row.contains(number.as_str()) && row.contains("Expedited"),
            "expedited first: {row}"
        );
    }
    assert!(rows[3..].iter().all(|r| !r.contains("Expedited")));
    let (_, list) = server.get("/api/cases", &server.admin).await;
    let first: Vec<&str> = list.as_array().expect("list")[..3]
        .iter()
        .map(|c| c["number"].as_str().expect("number"))
        .collect();
    assert_eq!(first, expedited.map(String::as_str));
}

/// The menu offers the published decisions' pages only when the server has them.
#[tokio::test]
async fn the_menu_offers_the_corpus_only_when_it_is_loaded() {
    let without = TestServer::start().await;
    let admin = Browser::login(&without, "admin", ADMIN_PASSWORD).await;
    let (_, html) = admin.get("/queue").await;
    assert!(!html.contains("href=\"/corpus/search\"") && !html.contains("href=\"/corpus/stats\""));
    let index = imr_corpus::CorpusIndex::in_memory().expect("index");
    let letters: Vec<_> = (0..5)
        .map(|n| imr_letter::read_letter(&imr_corpus::synth::letter(8, n).text))
        .collect();
    index.add_all(&letters).expect("indexed");
    let with = TestServer::start_with_corpus(Some(index)).await;
    let admin = Browser::login(&with, "admin", ADMIN_PASSWORD).await;
    let (_, html) = admin.get("/queue").await;
    assert!(html.contains("href=\"/corpus/search\"") && html.contains("href=\"/corpus/stats\""));
}

/// Enter in a field of the intake form submits nothing: its default button (the first) is
/// disabled, so a browser's implicit submission does nothing (browser.rs presses Enter).
#[tokio::test]
async fn the_intake_forms_default_button_submits_nothing() {
    let server = TestServer::start().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, html) = admin.get("/intake").await;
    let form = &html[html
        .find("<form class=\"stack\" id=\"intake\"")
        .expect("the form")..];
    let first = &form[form.find("type=\"submit\"").expect("a submit button")..];
    let tag = &first[..first.find('>').expect("tag end")];
    assert!(tag.contains("disabled"), "the default button: {tag}");
}

/// The intake form takes the worker's address, phone and date of birth (the redaction's known
/// parties); the case page shows them to the staff, not to the reviewer; a date of birth after
/// the injury is refused at its field.
#[tokio::test]
async fn intake_takes_the_workers_address_phone_and_date_of_birth() {
    let server = TestServer::start().await;
    server.reviewers().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, html) = admin.get("/intake").await;
    for field in ["worker_address", "worker_phone", "worker_date_of_birth"] {
        assert!(html.contains(&format!("name=\"{field}\"")), "{field}");
    }
    let app = application();
    let injured: jiff::civil::Date = app["date_of_injury"]
        .as_str()
        .expect("date")
        .parse()
        .expect("ISO");
    let mut fields = intake_fields(&app);
    fields.push((
        "worker_address".into(),
        "12 Fictional Lane, Sacramento CA 95814".into(),
    ));
    fields.push(("worker_phone".into(), "(916) 555-0147".into()));
    fields.push((
        "worker_date_of_birth".into(),
        injured.tomorrow().expect("a day").to_string(),
    ));
    let (s, _, html) = admin.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(html.contains("is after the date of injury"), "at its field");
    fields.pop();
    fields.push(("worker_date_of_birth".into(), "1980-04-02".into()));
    let (s, location, _) = admin.post("/intake", &pairs(&fields)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    let number = location.trim_start_matches("/cases/").to_string();
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    let app = &case["application"];
    assert_eq!(
        app["worker_address"],
        "12 Fictional Lane, Sacramento CA 95814"
    );
    assert_eq!(app["worker_phone"], "(916) 555-0147");
    assert_eq!(app["worker_date_of_birth"], "1980-04-02");
    let (_, html) = admin.get(&location).await;
    assert!(html.contains("(916) 555-0147") && html.contains("04/02/1980"));
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{number}/assignment"),
            Some(&server.admin),
            Some(json!({"reviewer_id": "rev-ortho"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let reviewer = Browser::login(&server, "rev-ortho", "rev-ortho-password-long").await;
    let (_, html) = reviewer.get(&location).await;
    assert!(
        !html.contains("(916) 555-0147"),
        "the reviewer does not need it"
    );
}

/// Login returns to the page asked for, and only to a path on this server.
#[tokio::test]
async fn login_returns_to_the_page_asked_for_and_never_to_another_site() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .get(server.url("/cases/CM26-0000042?error=x"))
        .send()
        .await
        .expect("case");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to_login = resp.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    assert_eq!(to_login, "/login?next=%2Fcases%2FCM26-0000042%3Ferror%3Dx");
    for (next, lands) in [
        ("/cases/CM26-0000042?error=x", "/cases/CM26-0000042?error=x"),
        ("https://evil.example/", "/queue"),
        ("//evil.example/x", "/queue"),
        ("/\\evil.example", "/queue"),
        ("/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"),
        ("/a b", "/queue"),
        ("javascript:alert(1)", "/queue"),
        ("", "/queue"),
    ] {
        let page = server
            .client
            .get(server.url("/login"))
            .query(&[("next", next)])
            .send()
            .await
            .expect("login page");
        let cookie = page.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string();
        let cookie = cookie.split(';').next().expect("pair").to_string();
        let html = page.text().await.expect("html");
        if lands == "/queue" {
            assert!(
                !html.contains("name=\"next\""),
                "{next:?} is not carried: {html}"
            );
        }
        let resp = server
            .client
            .post(server.url("/login"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", csrf_of(&html).as_str()),
                ("username", "admin"),
                ("password", ADMIN_PASSWORD),
                ("next", next),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(resp.headers()["location"], lands, "{next:?}");
    }
}

/// Error pages keep the navigation and the logout button.
#[tokio::test]
async fn error_pages_keep_the_layout() {
    let server = TestServer::start().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (s, html) = admin.get("/cases/CM26-9999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("<h1>Not found</h1>"), "{html}");
    assert!(
        html.contains("Log out") && html.contains("href=\"/queue\""),
        "{html}"
    );
    let _ = server.user("clerk", "intake_clerk", None, None).await;
    let clerk = Browser::login(&server, "clerk", "clerk-password-long").await;
    let (s, html) = clerk.get("/admin/users").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(
        html.contains("Log out") && html.contains("New application"),
        "{html}"
    );
}

/// The session cookie and the login form's CSRF cookie are Secure with --secure-cookies.
#[tokio::test]
async fn cookies_are_secure_when_asked() {
    let server = TestServer::start_with(imr_server::Settings {
        secure_cookies: true,
        ..common::test_settings()
    })
    .await;
    let page = server
        .client
        .get(server.url("/login"))
        .send()
        .await
        .expect("login page");
    let set = page.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(
        set.contains("Secure") && set.contains("HttpOnly") && set.contains("Path=/login"),
        "{set}"
    );
    let cookie = set.split(';').next().expect("pair").to_string();
    let html = page.text().await.expect("html");
    let resp = server
        .client
        .post(server.url("/login"))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("username", "admin"),
            ("password", ADMIN_PASSWORD),
        ])
        .send()
        .await
        .expect("login");
    let set = resp.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(
        set.starts_with("imr_session=") && set.contains("Secure"),
        "{set}"
    );
    // Without the setting, no Secure (the tests' server speaks plain HTTP).
    let plain = TestServer::start().await;
    let page = plain
        .client
        .get(plain.url("/login"))
        .send()
        .await
        .expect("login page");
    assert!(
        !page.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .contains("Secure")
    );
}

/// Intake takes any number of items up to 50: "More items" adds rows without script.
#[tokio::test]
async fn intake_takes_many_items_and_more_rows_on_request() {
    let server = TestServer::start().await;
    let _ = server.user("clerk", "intake_clerk", None, None).await;
    let clerk = Browser::login(&server, "clerk", "clerk-password-long").await;
    let (_, html) = clerk.get("/intake").await;
    assert_eq!(
        html.matches("name=\"item_request\"").count(),
        3,
        "three empty rows"
    );
    let base: Vec<(String, String)> = intake_fields(&application())
        .into_iter()
        .filter(|(k, _)| !k.starts_with("item_"))
        .collect();
    let with_items = |n: usize| {
        let mut f = base.clone();
        for i in 0..n {
            f.push((
                "item_request".into(),
                format!("Physical therapy {} sessions", i + 1),
            ));
            f.push((
                "item_outcome".into(),
                if i % 2 == 0 { "denied" } else { "modified" }.into(),
            ));
            f.push((
                "item_authorized".into(),
                if i % 2 == 0 { "" } else { "2 sessions" }.into(),
            ));
        }
        f
    };
    // "More items" keeps what was typed and adds three rows; nothing is opened.
    let mut more = with_items(3);
    more.push(("more".into(), "yes".into()));
    let (s, _, html) = clerk.post("/intake", &pairs(&more)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        html.matches("name=\"item_request\"").count(),
        6,
        "three more rows"
    );
    assert!(
        html.contains("value=\"Physical therapy 3 sessions\""),
        "typed rows kept"
    );
    // Five items open a case with five items, in order, outcomes kept.
    let (s, location, _) = clerk.post("/intake", &pairs(&with_items(5))).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{location}");
    let number = location.trim_start_matches("/cases/");
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    let items = case["application"]["ur_decision"]["items"]
        .as_array()
        .expect("items");
    assert_eq!(items.len(), 5);
    assert_eq!(items[4]["request"], "Physical therapy 5 sessions");
    assert_eq!(items[1]["ur_outcome"], "modified");
    assert_eq!(items[1]["authorized"], "2 sessions");
    // 51 are refused, at the items, with the limit named.
    let (s, _, html) = clerk.post("/intake", &pairs(&with_items(51))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("at most 50"),
        "{}",
        &html[..html.len().min(400)]
    );
}

/// A queue of 3,000 cases: paged with counts, searched by case number, claim number and
/// worker, filters kept in the links; the API pages the same way.
#[tokio::test]
async fn a_queue_of_three_thousand_cases_pages_and_searches() {
    let server = TestServer::start().await;
    let numbers = common::seed_cases(&server, 3000).await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let started = std::time::Instant::now();
    let (s, html) = admin.get("/queue").await;
    let elapsed = started.elapsed();
    eprintln!("queue of 3,000 cases served in {elapsed:?} (debug build)");
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("1–50 of 3,000"), "counts");
    assert_eq!(
        html.matches("<tr class=\"").count() + html.matches("<tr>").count() - 1,
        50,
        "one page of rows"
    );
    assert!(html.contains("rel=\"next\" href=\"/queue?page=2\""));
    assert!(html.contains("expedited, unassigned") && html.contains("class=\"badge urgent\""));
    let (_, html) = admin.get("/queue?page=60").await;
    assert!(html.contains("2,951–3,000 of 3,000") && !html.contains("rel=\"next\""));
    let (_, html) = admin.get("/queue?page=9999").await;
    assert!(
        html.contains("2,951–3,000 of 3,000"),
        "past the end: the last page"
    );
    // Search: a worker's name (any case, any order), a claim number, a case number.
    let (_, html) = admin.get("/queue?q=example+TESTWORKER0042").await;
    assert!(
        html.contains("1–1 of 1") && html.contains("Testworker0042"),
        "worker"
    );
    let (_, html) = admin.get("/queue?q=CLM-002999").await;
    assert!(
        html.contains("1–1 of 1") && html.contains("CLM-002999"),
        "claim"
    );
    let (_, html) = admin.get(&format!("/queue?q={}", numbers[1234])).await;
    assert!(
        html.contains("1–1 of 1") && html.contains(&numbers[1234]),
        "case number"
    );
    // A search that matches several pages keeps itself and the filters in the links.
    let (_, html) = admin
        .get("/queue?q=testworker00&status=eligible&per_page=20")
        .await;
    assert!(
        html.contains("1–20 of 100"),
        "{}",
        &html[html.find("queue-count").unwrap_or(0)..][..200]
    );
    assert!(
        html.contains(
            "href=\"/queue?q=testworker00&amp;status=eligible&amp;per_page=20&amp;page=2\""
        )
    );
    let (_, html) = admin.get("/queue?q=nobody+matches+this").await;
    assert!(html.contains("No cases"));
    // An unknown status is a clear 400, not an empty queue.
    let (s, _) = admin.get("/queue?status=done").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // The API: the same paging, the total and the links in headers.
    let resp = server
        .client
        .get(server.url("/api/cases?per_page=100&page=2"))
        .bearer_auth(&server.admin)
        .send()
        .await
        .expect("api");
    assert_eq!(resp.headers()["x-total-count"], "3000");
    let link = resp.headers()["link"].to_str().expect("link").to_string();
    assert!(
        link.contains("</api/cases?per_page=100>; rel=\"prev\""),
        "{link}"
    );
    assert!(
        link.contains("</api/cases?per_page=100&page=3>; rel=\"next\""),
        "{link}"
    );
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body.as_array().expect("list").len(), 100);
}
