//! The published decisions in the server, against a real server and a real tantivy index built
//! from fictional letters (`imr_corpus::synth`): search with filters, statistics, a case's
//! precedents with their authorization and audit, the refusals (401, 403, 400, 503), and the
//! workbench's search and statistics pages (escaping, charts, precedents on the case page).

mod common;

use common::{ADMIN_PASSWORD, Browser, TestServer, application};
use imr_core::Decision;
use imr_corpus::{CorpusIndex, synth};
use imr_letter::read_letter;
use reqwest::StatusCode;
use serde_json::{Value, json};

const SEED: u64 = 8;
const LETTERS: u64 = 120;

/// The fictional corpus and, per letter, what the generator wrote into it.
fn corpus() -> (CorpusIndex, Vec<synth::SyntheticLetter>) {
    let letters: Vec<_> = (0..LETTERS).map(|n| synth::letter(SEED, n)).collect();
    let index = CorpusIndex::in_memory().expect("index in memory");
    let determinations: Vec<_> = letters.iter().map(|l| read_letter(&l.text)).collect();
    index.add_all(&determinations).expect("indexed");
    (index, letters)
}

async fn server_with_corpus() -> (TestServer, Vec<synth::SyntheticLetter>) {
    let (index, letters) = corpus();
    (TestServer::start_with_corpus(Some(index)).await, letters)
}

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message in {body}"))
}

async fn open_and_assign(server: &TestServer, reviewer: &str) -> String {
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(&clerk),
            Some(application()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({"reviewer_id": reviewer, "notice": "electronic"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    n
}

#[tokio::test]
async fn search_filters_snippets_and_refusals() {
    let (server, letters) = server_with_corpus().await;
    let reviewers = server.reviewers().await;
    let (_, reviewer) = &reviewers[0];

    // Overturned items only: as many as the generator decided so, each overturned.
    let overturned = letters
        .iter()
        .flat_map(|l| &l.items)
        .filter(|(_, _, d)| *d == Decision::Overturned)
        .count();
    assert!(overturned > 0);
    let (s, body) = server
        .get("/api/corpus/search?decision=overturned&limit=100", reviewer)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["total"], overturned, "{body}");
    let hits = body["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), overturned.min(100));
    assert!(hits.iter().all(|h| h["decision"] == "Overturned"), "{body}");

    // Words and a service filter: every hit is of that service and the word is marked.
    let (s, body) = server
        .get(
            "/api/corpus/search?q=functional&service=acupuncture&limit=5",
            reviewer,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let hits = body["hits"].as_array().expect("hits");
    assert!(!hits.is_empty(), "{body}");
    for h in hits {
        assert_eq!(h["service"], "acupuncture", "{h}");
        let snippet = &h["snippet"];
        let text = snippet["text"].as_str().expect("snippet text");
        let (a, b) = (
            snippet["highlights"][0][0].as_u64().expect("start") as usize,
            snippet["highlights"][0][1].as_u64().expect("end") as usize,
        );
        assert!(
            text[a..b].to_lowercase().starts_with("function"),
            "{snippet}"
        );
    }

    // Two words, space written as '+': both must match.
    let (s, body) = server
        .get(
            "/api/corpus/search?q=functional+improvement&service=acupuncture",
            reviewer,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body["total"].as_u64().expect("total") > 0, "{body}");

    // A date range: every hit inside it.
    let (s, body) = server
        .get(
            "/api/corpus/search?from=2016-01-01&to=2016-12-31&limit=100",
            reviewer,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let in_2016 = letters
        .iter()
        .filter(|l| l.decision_date.year() == 2016)
        .map(|l| l.items.len())
        .sum::<usize>();
    assert_eq!(body["total"], in_2016, "{body}");

    // Refusals: no token 401; a bad date, decision, limit or query 400 naming what is wrong.
    let (s, _) = server
        .send("GET", "/api/corpus/search?q=knee", None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = server.send("GET", "/api/corpus/stats", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for (query, names) in [
        ("from=2016-13-45", ["from", "YYYY-MM-DD"]),
        ("to=yesterday", ["to", "YYYY-MM-DD"]),
        ("from=2017-01-01&to=2016-01-01", ["to", "before"]),
        ("decision=maybe", ["decision", "upheld or overturned"]),
        ("service=astrology", ["service", "astrology"]),
        ("limit=5000", ["limit", "1 to 100"]),
        ("q=%2F%2F+%3A+-", ["query", "punctuation"]),
        ("offset=-1", ["offset", "0 to 10000"]),
    ] {
        let (s, body) = server
            .get(&format!("/api/corpus/search?{query}"), reviewer)
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {body}");
        for name in names {
            assert!(error_of(&body).contains(name), "{query}: {body}");
        }
    }
}

#[tokio::test]
async fn search_takes_ordinary_text_and_pages_through_the_results() {
    let (server, _) = server_with_corpus().await;
    let reviewers = server.reviewers().await;
    let (_, reviewer) = &reviewers[0];

    // What people type is words: none of these is query syntax, none is an error.
    for q in [
        "MRI%3A+lumbar",
        "patient%27s+knee",
        "O%27Brien",
        "Norco+10%2F325",
        "(knee",
        "a+-b+OR",
    ] {
        let (s, body) = server
            .get(&format!("/api/corpus/search?q={q}"), reviewer)
            .await;
        assert_eq!(s, StatusCode::OK, "{q}: {body}");
    }

    // Pages: the same total on each, no item twice, and together every item.
    let (s, all) = server
        .get("/api/corpus/search?decision=upheld&limit=100", reviewer)
        .await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let total = all["total"].as_u64().expect("total") as usize;
    assert!(total > 7, "enough upheld items to page through: {total}");
    let key = |h: &Value| format!("{}#{}", h["case_number"], h["item_index"]);
    let mut seen = std::collections::BTreeSet::new();
    let mut offset = 0;
    while offset < total.min(100) {
        let (s, page) = server
            .get(
                &format!("/api/corpus/search?decision=upheld&limit=7&offset={offset}"),
                reviewer,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert_eq!(page["total"].as_u64(), Some(total as u64));
        let hits = page["hits"].as_array().expect("hits");
        assert!(!hits.is_empty() && hits.len() <= 7, "{page}");
        for h in hits {
            assert!(seen.insert(key(h)), "{} on two pages", key(h));
        }
        offset += 7;
    }
    assert_eq!(seen.len(), total.min(offset));
}

#[tokio::test]
async fn stats_count_every_decided_item() {
    let (server, letters) = server_with_corpus().await;
    let (s, body) = server.get("/api/corpus/stats", &server.admin).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let items: usize = letters.iter().map(|l| l.items.len()).sum();
    let upheld = letters
        .iter()
        .flat_map(|l| &l.items)
        .filter(|(_, _, d)| *d == Decision::Upheld)
        .count();
    assert_eq!(body["items"], items);
    assert_eq!(body["upheld"], upheld);
    for cut in ["by_service", "by_month"] {
        let sum: u64 = body[cut]
            .as_array()
            .expect(cut)
            .iter()
            .map(|r| r["items"].as_u64().expect("items"))
            .sum();
        assert_eq!(sum, items as u64, "{cut} adds up to every item");
    }
}

#[tokio::test]
async fn precedents_for_the_assigned_reviewer_only_and_audited() {
    let (server, _) = server_with_corpus().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let (_, pmr_token) = &reviewers[1];
    let n = open_and_assign(&server, ortho).await;
    // Views of the case by one user, from the audit log (reading the log is not a view).
    let views = |log: &Value, user: &str| {
        log.as_array()
            .expect("audit log")
            .iter()
            .filter(|e| e.to_string().contains("case.viewed") && e.to_string().contains(user))
            .count()
    };
    let (_, before) = server
        .get(&format!("/api/cases/{n}/audit"), &server.admin)
        .await;
    assert_eq!(views(&before, "user:rev-ortho"), 0);

    let (s, body) = server
        .get(&format!("/api/cases/{n}/precedents"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let items = body.as_array().expect("one entry per disputed item");
    assert_eq!(items.len(), 2, "{body}");
    assert_eq!(items[0]["service"], "mri", "{body}");
    let first = items[0]["precedents"].as_array().expect("precedents");
    assert_eq!(first.len(), 5, "{body}");
    assert_eq!(
        first[0]["service"], "mri",
        "the nearest is of the same category"
    );
    assert!(first.iter().all(|p| p["decision"].is_string()));

    let (s, body) = server
        .get(&format!("/api/cases/{n}/precedents"), pmr_token)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    let (s, _) = server
        .send("GET", &format!("/api/cases/{n}/precedents"), None, None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    let (_, after) = server
        .get(&format!("/api/cases/{n}/audit"), &server.admin)
        .await;
    assert_eq!(
        views(&after, "user:rev-ortho"),
        1,
        "the view is audited: {after}"
    );
    assert_eq!(
        views(&after, "user:rev-pmr"),
        0,
        "a refused view is no view"
    );
}

#[tokio::test]
async fn without_a_corpus_the_routes_say_how_to_build_one() {
    let server = TestServer::start().await;
    let (s, body) = server.get("/api/corpus/search?q=knee", &server.admin).await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(error_of(&body).contains("imr ingest"), "{body}");
    let dir = tempfile::tempdir().expect("folder");
    let state = imr_server::corpus::CorpusState::open(dir.path());
    let why = state.index.err().expect("no index there");
    assert!(
        why.contains("no corpus index") && why.contains("imr ingest") && why.contains("imr index"),
        "{why}"
    );
}

#[tokio::test]
async fn the_search_page_escapes_the_query_and_marks_only_matches() {
    let (server, _) = server_with_corpus().await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let payload = "<script>alert(1)</script>";
    let (s, html) = admin
        .get(&format!(
            "/corpus/search?q={}",
            "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
        ))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains(payload), "the payload is escaped");
    assert!(
        html.contains("&lt;script&gt;"),
        "the query is shown, escaped"
    );

    let (s, html) = admin
        .get("/corpus/search?q=functional&service=acupuncture")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<mark>functional</mark>"), "matches marked");
    assert!(
        html.contains("href=\"/corpus/stats\""),
        "linked from the page"
    );

    // A page of two with its filters kept in the next page's link; the second page links back.
    let (s, html) = admin
        .get("/corpus/search?q=functional&service=acupuncture&limit=2")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(
            "href=\"/corpus/search?q=functional&amp;service=acupuncture&amp;limit=2&amp;offset=2\""
        ),
        "a link to the next page"
    );
    assert!(
        !html.contains("rel=\"prev\""),
        "no previous page on the first"
    );
    let (s, html) = admin
        .get("/corpus/search?q=functional&service=acupuncture&limit=2&offset=2")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("3–4 shown"), "where the page starts");
    assert!(
        html.contains("href=\"/corpus/search?q=functional&amp;service=acupuncture&amp;limit=2\""),
        "a link back to the first page"
    );

    let (s, html) = admin.get("/corpus/search?from=someday").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("from: &quot;someday&quot; is not a date"),
        "the error shown"
    );

    let (s, html) = admin.get("/corpus/stats").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<svg class=\"chart\""), "charts drawn");
    assert!(html.contains("acupuncture"));
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"/static/").count(),
        "no script on the page but the workbench's own"
    );
}

#[tokio::test]
async fn the_case_page_shows_precedents_under_each_item() {
    let (server, _) = server_with_corpus().await;
    server.reviewers().await;
    let n = open_and_assign(&server, "rev-ortho").await;
    let admin = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (s, html) = admin.get(&format!("/cases/{n}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        html.matches("Published precedents (5)").count(),
        2,
        "{html}"
    );
    assert!(html.contains("href=\"/corpus/search\""), "navigation link");
}
