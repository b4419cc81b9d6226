//! The public side of the published decisions, against a real server, a real SQLite archive and
//! a real tantivy index of fictional letters (`imr_corpus::synth`): a page per published
//! decision, reached from search hits and precedents (a letter without a case number named as
//! such, 404 for an unknown id, the letter's text escaped), and the redacted public copy of a
//! signed case's letter (refused before signing, no name of the fictional worker on the page or
//! in the PDF, issued once as a stored document with an audit entry, refused to users who may
//! not see it).

mod common;

use common::{Browser, TestServer, application, data};
use imr_core::Determination;
use imr_corpus::{CorpusIndex, letter_id, synth};
use imr_letter::read_letter;
use reqwest::StatusCode;
use serde_json::{Value, json};

const SEED: u64 = 14;
const LETTERS: u64 = 60;
/// A word only the letter without a case number holds.
const UNIQUE_WORD: &str = "quillwort";
const PAYLOAD: &str = "<script>alert('x')</script>";

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message in {body}"))
}

/// The fictional letters, plus one published without a case number whose rationale carries an
/// injection payload.
fn letters() -> Vec<Determination> {
    let mut letters: Vec<Determination> = (0..LETTERS)
        .map(|n| read_letter(&synth::letter(SEED, n).text))
        .collect();
    let mut odd = read_letter(&synth::letter(SEED, LETTERS).text);
    odd.case_number = None;
    odd.items[0].rationale = Some(format!(
        "The {UNIQUE_WORD} note {PAYLOAD} does not support the request."
    ));
    letters.push(odd);
    letters
}

/// A server whose index and archive both hold `letters` (as `imr ingest --index` leaves them).
async fn server_with_archive(letters: &[Determination]) -> TestServer {
    let index = CorpusIndex::in_memory().expect("index in memory");
    index.add_all(letters).expect("indexed");
    let server = TestServer::start_with_corpus(Some(index)).await;
    server.publish(letters).await;
    server
}

/// Logs in through the login form; returns the session cookie and the CSRF token of the
/// session.
async fn web_login(server: &TestServer, username: &str, password: &str) -> (String, String) {
    let session = Browser::login(server, username, password).await;
    (session.cookie, session.csrf)
}

async fn page(server: &TestServer, cookie: &str, path: &str) -> (StatusCode, String) {
    let resp = server
        .client
        .get(server.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET");
    (resp.status(), resp.text().await.expect("html"))
}

/// Every `href` on a page that starts with `prefix`, unescaped.
fn links(html: &str, prefix: &str) -> Vec<String> {
    let needle = format!("href=\"{prefix}");
    html.match_indices(&needle)
        .map(|(at, _)| {
            html[at + 6..]
                .split('"')
                .next()
                .expect("href")
                .replace("&amp;", "&")
        })
        .collect()
}

#[tokio::test]
async fn every_hit_and_precedent_links_to_its_whole_published_decision() {
    let letters = letters();
    let server = server_with_archive(&letters).await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let (cookie, _) = web_login(&server, "admin", common::ADMIN_PASSWORD).await;

    // The search page: every hit links to its letter's page at its item.
    let (s, html) = page(&server, &cookie, "/corpus/search?q=functional&limit=10").await;
    assert_eq!(s, StatusCode::OK);
    let hits = links(&html, "/corpus/decisions/");
    assert_eq!(hits.len(), 10, "one link per hit: {hits:?}");
    for href in &hits {
        let (path, anchor) = href.split_once('#').expect("an item anchor");
        let item: usize = anchor
            .strip_prefix("item-")
            .and_then(|n| n.parse().ok())
            .expect("item-N");
        let id = path.trim_start_matches("/corpus/decisions/");
        let letter = letters
            .iter()
            .find(|d| letter_id(d) == id)
            .unwrap_or_else(|| panic!("{id} is a letter of the archive"));
        // Named by its case number; some fictional letters, like some published ones, have none.
        let label = match &letter.case_number {
            Some(number) => number.clone(),
            None => format!("Letter without a case number (id {id})"),
        };
        assert!(
            html.contains(&format!("{label} · item {item}</a>")),
            "labelled by its case number: {id}"
        );
        let (s, decision) = page(&server, &cookie, path).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        let heading = match &letter.case_number {
            Some(number) => format!("<h1>Published decision {number}</h1>"),
            None => format!("<h1>{label}</h1>"),
        };
        assert!(decision.contains(&heading), "{path}: {heading}");
        assert!(
            decision.contains(&format!("id=\"item-{item}\"")),
            "{path}: the item is anchored"
        );
        // The whole letter: every item with its decision and rationale, the summary, the
        // reviewer's credentials.
        assert_eq!(
            decision.matches("<article class=\"card item\"").count(),
            letter.items.len()
        );
        for it in &letter.items {
            let word = it.decision.expect("synthetic items are decided").as_str();
            assert!(decision.contains(&format!("class=\"badge {word}\"")));
            let rationale = it.rationale.as_deref().expect("rationale");
            let start: String = rationale
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            let shown = start
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            assert!(decision.contains(&shown), "{path}: the rationale {start:?}");
        }
        for specialty in &letter.reviewer.specialties {
            assert!(decision.contains(specialty.as_str()), "{path}: {specialty}");
        }
        assert!(decision.contains("Claims Administrator guideline: "));
        assert!(decision.contains("IMR organization guideline: "));
    }

    // The API: the same letter as JSON (one with a case number).
    let first = hits
        .iter()
        .map(|h| {
            h.split('#')
                .next()
                .expect("path")
                .trim_start_matches("/corpus/decisions/")
        })
        .find(|id| !id.starts_with("sha256-"))
        .expect("a hit with a case number");
    let (s, body) = server
        .get(&format!("/api/corpus/decisions/{first}"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["letter_id"], first);
    assert_eq!(body["case_number"], first);
    assert!(body["determination"]["source"].is_null(), "{body}");
    let letter = letters
        .iter()
        .find(|d| letter_id(d) == first)
        .expect("letter");
    assert_eq!(
        body["determination"]["items"]
            .as_array()
            .expect("items")
            .len(),
        letter.items.len()
    );

    // The letter without a case number: named as such, its text escaped.
    let (s, body) = server
        .get(&format!("/api/corpus/search?q={UNIQUE_WORD}"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 1, "{body}");
    let odd = body["hits"][0]["case_number"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(odd.starts_with("sha256-"), "{odd}");
    let (s, html) = page(&server, &cookie, &format!("/corpus/search?q={UNIQUE_WORD}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!(
            "<a href=\"/corpus/decisions/{odd}#item-1\">Letter without a case number (id {odd}) · item 1</a>"
        )),
        "{html}"
    );
    let (s, html) = page(&server, &cookie, &format!("/corpus/decisions/{odd}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains(&format!("Letter without a case number (id {odd})")));
    assert!(!html.contains(PAYLOAD), "the payload is not markup");
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"/static/").count(),
        "no script on the page but the workbench's own"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "the payload is shown as text"
    );
    let (_, body) = server
        .get(&format!("/api/corpus/decisions/{odd}"), ortho_token)
        .await;
    assert_eq!(body["case_number"], Value::Null);
    assert_eq!(
        body["label"],
        format!("Letter without a case number (id {odd})")
    );

    // The precedents on the case page link to their decisions too.
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let n = open_assigned(&server, &clerk, ortho).await;
    let (s, html) = page(&server, &cookie, &format!("/cases/{n}")).await;
    assert_eq!(s, StatusCode::OK);
    let precedents = links(&html, "/corpus/decisions/");
    assert_eq!(
        precedents.len(),
        10,
        "five per disputed item: {precedents:?}"
    );
    for href in &precedents {
        let path = href.split('#').next().expect("path");
        let (s, _) = page(&server, &cookie, path).await;
        assert_eq!(s, StatusCode::OK, "{href}");
    }

    // An unknown id: 404 that says so, on the web and in the API; no token, no letter.
    let unknown = "CM09-9999999";
    assert!(letters.iter().all(|d| letter_id(d) != unknown));
    let (s, html) = page(&server, &cookie, &format!("/corpus/decisions/{unknown}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{html}");
    assert!(html.contains("no published decision"), "{html}");
    let (s, body) = server
        .get("/api/corpus/decisions/sha256-0000000000000000", ortho_token)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    assert!(error_of(&body).contains("no published decision"), "{body}");
    let (s, _) = server
        .send("GET", &format!("/api/corpus/decisions/{first}"), None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let resp = server
        .client
        .get(server.url(&format!("/corpus/decisions/{first}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "to the login page");
}

/// Opens the fixture application and assigns it to `reviewer`; returns the case number.
async fn open_assigned(server: &TestServer, clerk: &str, reviewer: &str) -> String {
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(clerk),
            Some(application()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(clerk),
            Some(json!({"reviewer_id": reviewer, "notice": "electronic"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    n
}

/// The fictional worker of the fixture application, and the people around them.
const WORKER: &str = "Pinecastle";
const PEOPLE: &[&str] = &["Pinecastle", "Theodora", "Fernsby", "Alaric"];

/// The records arrive complete; the reviewer signs decisions whose texts name the worker and
/// the requesting physician, as reviewers write them.
async fn records_and_signature(server: &TestServer, n: &str, clerk: &str, reviewer: &str) {
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
    assert_eq!(resp.status(), StatusCode::CREATED);
    let decisions = json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints",
         "rationale": "Ms. Theodora Pinecastle has a progressive deficit documented by Dr. Alaric Fernsby."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines",
         "rationale": "Pinecastle had six sessions without functional improvement."}
    ], "clinical_summary": "Ms. Theodora Pinecastle, a 52-year-old fictional packer, reports low back pain radiating to the left leg. Her treating physician, Dr. Alaric Fernsby, requested an MRI. The safety officer Whitfield, badge 5593317, agreed."});
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/determination"),
            Some(reviewer),
            Some(decisions),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

fn names_in(text: &str) -> Vec<&'static str> {
    PEOPLE
        .iter()
        .copied()
        .filter(|name| text.contains(name))
        .collect()
}

async fn bytes(server: &TestServer, path: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
    let resp = server
        .client
        .get(server.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .expect("GET");
    let status = resp.status();
    let media = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default();
    (status, media, resp.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn the_public_copy_of_a_signed_letter_is_redacted_issued_once_and_audited() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let (_, pmr_token) = &reviewers[1];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let n = open_assigned(&server, &clerk, ortho).await;
    let party = server.user("party", "party", None, Some(&n)).await;
    let quality = server.user("quality", "quality", None, None).await;
    let (cookie, csrf) = web_login(&server, "clerk", "clerk-password-long").await;
    let (quality_cookie, quality_csrf) =
        web_login(&server, "quality", "quality-password-long").await;
    let api_copy = format!("/api/cases/{n}/public-copy");
    let web_copy = format!("/cases/{n}/public-copy");

    // Before the signature: 409 with the reason, everywhere.
    let (s, body) = server.get(&api_copy, &clerk).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(error_of(&body).contains("not signed yet"), "{body}");
    let (s, body) = server.send("POST", &api_copy, Some(&quality), None).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    let (s, html) = page(&server, &cookie, &web_copy).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(html.contains("not signed yet"), "{html}");
    let (s, _, _) = bytes(&server, &format!("{web_copy}.pdf"), &cookie).await;
    assert_eq!(s, StatusCode::CONFLICT);

    records_and_signature(&server, &n, &clerk, ortho_token).await;

    // The signed letter names the worker; the public copy does not.
    let letter = server
        .client
        .get(server.url(&format!("/api/cases/{n}/letter")))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("letter")
        .text()
        .await
        .expect("text");
    assert!(letter.contains(WORKER), "the fixture names the worker");
    let (s, body) = server.get(&api_copy, ortho_token).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let kept = body["kept_lookalikes"]
        .as_array()
        .expect("kept look-alikes");
    assert!(
        kept.iter()
            .any(|k| k["looks_like"] == "name" && k["token"] == "Whitfield" && k["count"] == 1)
            && kept
                .iter()
                .any(|k| k["looks_like"] == "number" && k["token"] == "5593317"),
        "{body}"
    );
    assert_eq!(names_in(&body.to_string()), Vec::<&str>::new(), "{body}");
    let names = body["redactions"]
        .as_array()
        .expect("redactions")
        .iter()
        .find(|r| r["kind"] == "name")
        .expect("names were removed");
    assert!(names["count"].as_u64().expect("count") >= 4, "{body}");
    assert!(body["issued"].is_null());
    assert!(
        body["determination"]["clinical_summary"]
            .as_str()
            .expect("summary")
            .contains("[NAME]"),
        "{body}"
    );

    // The page: the redacted letter, the report by kind and count, the button.
    let (s, html) = page(&server, &cookie, &web_copy).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(names_in(&html), Vec::<&str>::new(), "no name on the page");
    assert!(html.contains("[NAME]"));
    assert!(html.contains("52-year-old"), "the clinical facts stay");
    assert!(html.contains(&format!("<h1>Public copy of case {n}</h1>")));
    assert!(
        html.contains("<td>name</td><td><code>[NAME]</code></td>"),
        "{html}"
    );
    // The second look: every replacement marked, what was kept that looks like a name or a
    // number listed apart (a surname alone after "officer", which no party holds and the name
    // model cannot take alone, and a badge number), and issuing left to someone else: a clerk
    // may look, not issue.
    assert!(
        html.contains("<mark class=\"redaction\">[NAME]</mark>"),
        "replacements marked"
    );
    assert!(html.contains("Kept: tokens that look like names or numbers"));
    assert!(
        html.contains("<td><code>Whitfield</code></td><td>name</td>")
            && html.contains("<td><code>5593317</code></td><td>number</td>"),
        "{html}"
    );
    assert!(
        !html.contains("Issue the public copy</button>"),
        "a clerk does not issue"
    );
    assert!(html.contains("Issuing needs a second look by someone other than the physician"));
    let (s, html) = page(&server, &quality_cookie, &web_copy).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Issue the public copy"));
    assert!(html.contains(&format!("action=\"/cases/{n}/public-copy\"")));

    // Its PDF: read back, no name in it.
    let (s, media, pdf) = bytes(&server, &format!("{web_copy}.pdf"), &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(media, "application/pdf");
    let text = imr_pdf::read::pdf_text(&pdf).expect("the PDF reads");
    assert!(text.contains(&n), "the case number stays: {text}");
    assert!(text.contains("[NAME]"), "{text}");
    assert_eq!(names_in(&text), Vec::<&str>::new(), "no name in the PDF");

    // Who may not: a party of the case (its role), another reviewer (the case is not one they
    // may see, so not found), no one logged in, a wrong token.
    for (token, refused) in [
        (&party, StatusCode::FORBIDDEN),
        (pmr_token, StatusCode::NOT_FOUND),
    ] {
        let (s, body) = server.get(&api_copy, token).await;
        assert_eq!(s, refused, "{body}");
        let (s, body) = server.send("POST", &api_copy, Some(token), None).await;
        assert!(
            s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
            "{s}: {body}"
        );
    }
    let (s, _) = server.send("POST", &api_copy, None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // Nor the physician who signed, nor an intake clerk: issuing is another person's second
    // look (a quality reviewer or an administrator).
    let (s, body) = server
        .send("POST", &api_copy, Some(ortho_token), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(error_of(&body).contains("quality"), "{body}");
    let (s, body) = server.send("POST", &api_copy, Some(&clerk), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let resp = server
        .client
        .post(server.url(&web_copy))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "a clerk's form");
    let (party_cookie, _) = web_login(&server, "party", "party-password-long").await;
    let (s, html) = page(&server, &party_cookie, &web_copy).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(!html.contains("[NAME]"), "nothing of the copy shown");
    let (s, _, _) = bytes(&server, &format!("{web_copy}.pdf"), &party_cookie).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let resp = server
        .client
        .post(server.url(&web_copy))
        .header("cookie", &cookie)
        .form(&[("csrf", "not-the-token")])
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "a forged form");
    let (_, documents) = server
        .get(&format!("/api/cases/{n}/documents"), &clerk)
        .await;
    assert!(
        !documents.to_string().contains("public copy"),
        "nothing issued by the refusals: {documents}"
    );

    // Issued from the page by the quality reviewer: stored as a document of the case,
    // audited, shown as issued.
    let resp = server
        .client
        .post(server.url(&web_copy))
        .header("cookie", &quality_cookie)
        .form(&[("csrf", quality_csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], web_copy.as_str());
    let (_, documents) = server
        .get(&format!("/api/cases/{n}/documents"), &clerk)
        .await;
    let copies: Vec<&Value> = documents
        .as_array()
        .expect("documents")
        .iter()
        .filter(|d| d["kind"] == "public copy")
        .collect();
    assert_eq!(copies.len(), 1, "{documents}");
    assert_eq!(copies[0]["media_type"], "application/pdf");
    let id = copies[0]["id"].as_i64().expect("id");
    let stored = server
        .client
        .get(server.url(&format!("/api/documents/{id}")))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("document")
        .bytes()
        .await
        .expect("bytes");
    let text = imr_pdf::read::pdf_text(&stored).expect("the stored PDF reads");
    assert_eq!(
        names_in(&text),
        Vec::<&str>::new(),
        "no name in the stored copy"
    );
    let (s, _, served) = bytes(&server, &format!("{web_copy}.pdf"), &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(served, stored.to_vec(), "the PDF is the copy issued");
    let (_, log) = server.get(&format!("/api/cases/{n}/audit"), &clerk).await;
    let issued: Vec<&Value> = log
        .as_array()
        .expect("audit log")
        .iter()
        .filter(|e| e["event"] == "public_copy.issued")
        .collect();
    assert_eq!(issued.len(), 1, "{log}");
    assert_eq!(issued[0]["actor"], "user:quality");
    let detail = issued[0]["detail"].as_str().expect("detail");
    assert!(
        detail.contains(&format!("document {id}"))
            && detail.contains("name ")
            && detail.contains("issued by a quality after a second look")
            && detail.contains(&format!("signed by reviewer {ortho}")),
        "{detail}"
    );
    assert_eq!(names_in(detail), Vec::<&str>::new());
    // Each second look is audited too, by whom and with counts only.
    let looks: Vec<&Value> = log
        .as_array()
        .expect("audit log")
        .iter()
        .filter(|e| e["event"] == "public_copy.second_look")
        .collect();
    assert!(
        looks.iter().any(|e| e["actor"] == "user:quality")
            && looks.iter().any(|e| e["actor"] == "user:clerk"),
        "{log}"
    );
    for look in &looks {
        assert_eq!(
            names_in(look["detail"].as_str().unwrap_or("")),
            Vec::<&str>::new()
        );
    }
    let (s, html) = page(&server, &cookie, &web_copy).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("already issued"), "{html}");
    assert!(!html.contains("Issue the public copy</button>"));

    // Issuing twice: 409, it says so, and nothing more is stored.
    for token in [&quality, &server.admin] {
        let (s, body) = server.send("POST", &api_copy, Some(token), None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert!(error_of(&body).contains("already issued"), "{body}");
    }
    let (_, after) = server
        .get(&format!("/api/cases/{n}/documents"), &clerk)
        .await;
    assert_eq!(
        after.as_array().map(Vec::len),
        documents.as_array().map(Vec::len)
    );
    let (_, body) = server.get(&api_copy, &server.admin).await;
    assert_eq!(body["issued"]["id"], id, "{body}");
}

#[tokio::test]
async fn the_api_issues_the_public_copy_once_when_asked_twice_at_once() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let quality = server.user("quality", "quality", None, None).await;
    let n = open_assigned(&server, &clerk, ortho).await;
    records_and_signature(&server, &n, &clerk, ortho_token).await;
    // Two at once (a double click): one is issued, the other is told it already is.
    let path = format!("/api/cases/{n}/public-copy");
    let (first, second) = tokio::join!(
        server.send("POST", &path, Some(&quality), None),
        server.send("POST", &path, Some(&server.admin), None)
    );
    let mut outcomes = [first, second];
    outcomes.sort_by_key(|(s, _)| s.as_u16());
    let [(s, body), (s2, refused)] = outcomes;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(s2, StatusCode::CONFLICT, "{refused}");
    assert!(error_of(&refused).contains("already issued"), "{refused}");
    assert_eq!(body["case_number"], n.as_str());
    assert_eq!(body["document"]["kind"], "public copy");
    assert!(
        body["redactions"]
            .as_array()
            .expect("redactions")
            .iter()
            .any(|r| r["kind"] == "name" && r["tag"] == "[NAME]"),
        "{body}"
    );
    let (_, log) = server.get(&format!("/api/cases/{n}/audit"), &clerk).await;
    assert!(
        log.as_array()
            .expect("log")
            .iter()
            .filter(|e| e["event"] == "public_copy.issued")
            .count()
            == 1,
        "{log}"
    );
}

/// The incident of issue 20: a signed letter named the worker without a title ("Theodora ...
/// Theodora Pinecastle was injured"), the case's own claim number, the treating physician
/// without "Dr." and the provider group. The public copy removes every party the application
/// names, in whatever form the reviewer wrote it, and reports them by kind and count.
#[tokio::test]
async fn the_public_copy_removes_every_party_the_application_names_in_any_form() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let n = open_assigned(&server, &clerk, ortho).await;
    let records = std::fs::read(data("records.txt")).expect("records");
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&complete=true"
        )))
        .bearer_auth(&clerk)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let summary = "Theodora has worked for Wispwood Fictional Mills since 2019. Theodora \
                   Pinecastle was injured while lifting; claim TEST-77-0001 (test770001) was \
                   sent by NOTIONAL CLAIMS PARTNERS to Hypothetical Indemnity. Alaric Fernsby \
                   of Glimmerdale Invented Orthopedics examined her; PINECASTLE's pain is 6/10. \
                   Fernsby's colleague Perpetua Moss agreed. The 52-year-old reports low back pain.";
    let decisions = json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints",
         "rationale": "T. Pinecastle has a progressive deficit that Glimmerdale documented. The request is medically necessary."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines",
         "rationale": "Pinecastle,\nTheodora had six sessions at Wispwood's clinic without functional improvement."}
    ], "clinical_summary": summary});
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/determination"),
            Some(ortho_token),
            Some(decisions),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");

    let (s, body) = server
        .get(&format!("/api/cases/{n}/public-copy"), &clerk)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let copy = body["determination"].to_string().to_lowercase();
    for party in [
        "theodora",
        "pinecastle",
        "alaric",
        "fernsby",
        "perpetua",
        "moss",
        "wispwood",
        "glimmerdale",
        "notional",
        "hypothetical",
        "test-77-0001",
        "test770001",
    ] {
        assert!(
            !copy.contains(party),
            "{party} is in the public copy: {copy}"
        );
    }
    for kept in [
        "52-year-old",
        "low back pain",
        "6/10",
        "medically necessary",
    ] {
        assert!(copy.contains(kept), "{kept} was removed: {copy}");
    }
    let counts: std::collections::BTreeMap<String, u64> = body["redactions"]
        .as_array()
        .expect("redactions")
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().expect("kind").to_string(),
                r["count"].as_u64().expect("count"),
            )
        })
        .collect();
    for kind in [
        "name",
        "employer",
        "claims_administrator",
        "insurer",
        "provider",
        "claim_number",
    ] {
        assert!(
            counts.get(kind).is_some_and(|c| *c > 0),
            "{kind}: {counts:?}"
        );
    }
    assert!(counts["name"] >= 8, "{counts:?}");
    // The report holds kinds and counts only.
    assert!(
        !body["redactions"]
            .to_string()
            .to_lowercase()
            .contains("pinecastle")
    );
}
