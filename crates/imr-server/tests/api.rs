//! The JSON API against a real server (port 0, its own SQLite file): every endpoint's happy
//! path and its refusals (401, 403, 400, 413, 409), the audit of views, and the OpenAPI file.

mod common;

use common::{TestServer, UPLOAD_LIMIT, application, data};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Opens the fixture application as `token`; returns the case number.
async fn open_case(server: &TestServer, token: &str) -> String {
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(token),
            Some(application()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "eligible", "{body}");
    body["number"].as_str().expect("number").to_string()
}

fn error_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error message in {body}"))
}

#[tokio::test]
async fn health_and_the_served_openapi_matches_the_checked_in_copy() {
    let server = TestServer::start().await;
    let (s, body) = server.send("GET", "/health", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "sqlite");

    let served = server
        .client
        .get(server.url("/openapi.json"))
        .send()
        .await
        .expect("openapi")
        .text()
        .await
        .expect("text");
    let spec: Value = serde_json::from_str(&served).expect("OpenAPI is JSON");
    assert!(spec["openapi"].as_str().expect("version").starts_with("3."));
    for path in [
        "/api/cases/{number}",
        "/api/cases/{number}/determination",
        "/health",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from the spec"
        );
    }
    let checked_in =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json");
    if std::env::var_os("IMR_UPDATE_OPENAPI").is_some() {
        std::fs::write(&checked_in, format!("{served}\n")).expect("write docs/openapi.json");
    }
    let expected = std::fs::read_to_string(&checked_in)
        .expect("docs/openapi.json (IMR_UPDATE_OPENAPI=1 writes it)");
    assert_eq!(
        expected.trim_end(),
        served.trim_end(),
        "docs/openapi.json differs from what the server serves; rerun with IMR_UPDATE_OPENAPI=1 and commit"
    );
}

#[tokio::test]
async fn every_endpoint_refuses_a_request_without_a_token() {
    let server = TestServer::start().await;
    let n = "CM26-0000001";
    let endpoints = [
        ("GET", "/api/me".to_string()),
        ("POST", "/api/logout".to_string()),
        ("POST", "/api/users".to_string()),
        ("POST", "/api/applications".to_string()),
        ("GET", "/api/cases".to_string()),
        ("GET", format!("/api/cases/{n}")),
        ("GET", format!("/api/cases/{n}/eligibility")),
        ("GET", format!("/api/cases/{n}/documents")),
        ("POST", format!("/api/cases/{n}/documents?kind=x")),
        ("GET", "/api/documents/1".to_string()),
        ("GET", format!("/api/cases/{n}/candidates")),
        ("POST", format!("/api/cases/{n}/assignment")),
        ("GET", format!("/api/cases/{n}/proposal")),
        ("POST", format!("/api/cases/{n}/determination")),
        ("GET", format!("/api/cases/{n}/letter")),
        ("POST", format!("/api/cases/{n}/letter")),
        ("GET", format!("/api/cases/{n}/audit")),
        ("GET", "/api/deadlines".to_string()),
        ("GET", "/api/reviewers".to_string()),
        ("POST", "/api/reviewers".to_string()),
    ];
    for (method, path) in &endpoints {
        let (s, body) = server.send(method, path, None, Some(json!({}))).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{method} {path}: {body}");
        assert!(
            error_of(&body).contains("Bearer"),
            "{method} {path}: {body}"
        );
        let (s, _) = server
            .send(method, path, Some("not-a-token"), Some(json!({})))
            .await;
        assert_eq!(
            s,
            StatusCode::UNAUTHORIZED,
            "{method} {path} with a bad token"
        );
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_name_get_the_same_answer() {
    // (The login throttle has its own tests: tests/hold.rs.)
    let server = TestServer::start().await;
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    assert!(!clerk.is_empty());
    let wrong = json!({"username": "clerk", "password": "wrong password!"});
    let (s, body) = server.send("POST", "/api/login", None, Some(wrong)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(error_of(&body), "wrong username or password");
    // An unknown user gets the same answer as a wrong password.
    let (s, body) = server
        .send(
            "POST",
            "/api/login",
            None,
            Some(json!({"username": "nobody", "password": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(error_of(&body), "wrong username or password");
    // Logging out ends the token.
    let admin2 = server.login("admin", common::ADMIN_PASSWORD).await;
    let (s, _) = server
        .send("POST", "/api/logout", Some(&admin2), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = server.get("/api/me", &admin2).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_is_a_400_with_a_message() {
    let server = TestServer::start().await;
    let resp = server
        .client
        .post(server.url("/api/applications"))
        .bearer_auth(&server.admin)
        .header("content-type", "application/json")
        .body("{\"worker\": \"A\",\n \"employer\": }")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.expect("JSON error");
    let message = error_of(&body);
    assert!(
        message.contains("malformed JSON") && message.contains("line 2"),
        "{message}"
    );

    // Well-formed JSON with impossible values: 400 naming the field.
    let mut app = application();
    app["worker"] = json!("  ");
    let (s, body) = server
        .send("POST", "/api/applications", Some(&server.admin), Some(app))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        error_of(&body).contains("worker: must not be empty"),
        "{body}"
    );

    // An unknown field is refused, not ignored.
    let mut app = application();
    app["colour"] = json!("red");
    let (s, body) = server
        .send("POST", "/api/applications", Some(&server.admin), Some(app))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(error_of(&body).contains("colour"), "{body}");
}

#[tokio::test]
async fn the_whole_case_through_the_api_with_its_refusals() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = &reviewers[0];
    let (_, pmr_token) = &reviewers[1];
    let clerk = server.user("clerk", "intake_clerk", None, None).await;

    // Intake: a reviewer may not open applications; a clerk may.
    let (s, body) = server
        .send(
            "POST",
            "/api/applications",
            Some(ortho_token),
            Some(application()),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(error_of(&body).contains("role reviewer"));
    let n = open_case(&server, &clerk).await;

    let (s, body) = server
        .get(&format!("/api/cases/{n}/eligibility"), &clerk)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body["eligible"], true);

    // The same application again is a duplicate: ineligible, with its reason.
    let (s, dup) = server
        .send(
            "POST",
            "/api/applications",
            Some(&clerk),
            Some(application()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(dup["status"], "ineligible", "{dup}");
    let dup_n = dup["number"].as_str().expect("number");
    let (_, body) = server
        .get(&format!("/api/cases/{dup_n}/eligibility"), &clerk)
        .await;
    assert_eq!(body["eligible"], false);
    assert!(
        !body["reasons"].as_array().expect("reasons").is_empty(),
        "{body}"
    );
    // An ineligible case cannot be assigned: 409.
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{dup_n}/assignment"),
            Some(&clerk),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");

    // Candidates: the conflicted reviewer is excluded, with the reason.
    let (s, body) = server
        .get(&format!("/api/cases/{n}/candidates"), &clerk)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let candidates = body["candidates"].as_array().expect("candidates");
    let conflicted = candidates
        .iter()
        .find(|c| c["reviewer_id"] == "rev-conflicted")
        .expect("conflicted reviewer listed");
    assert_eq!(
        conflicted["exclusions"][0]["exclusion"], "conflict",
        "{conflicted}"
    );
    let (s, _) = server
        .get(&format!("/api/cases/{n}/candidates"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Assigning the conflicted reviewer by hand is refused; the ortho reviewer is taken.
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({"reviewer_id": "rev-conflicted"})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(error_of(&body).contains("conflict of interest"), "{body}");
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({"reviewer_id": ortho, "notice": "electronic"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "assigned");
    assert_eq!(body["deadlines"][0]["kind"], "records", "{body}");
    let (s, _) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "assigning twice");

    // Who sees the case: the assignee yes, another reviewer no, also not in their list. The
    // refusal is the answer for a number no case has (404, the same words), so trying numbers
    // shows nothing of which exist.
    let (s, _) = server.get(&format!("/api/cases/{n}"), ortho_token).await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = server.get(&format!("/api/cases/{n}"), pmr_token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    let missing = "CM26-9999999";
    let (s_missing, body_missing) = server
        .get(&format!("/api/cases/{missing}"), pmr_token)
        .await;
    assert_eq!(s_missing, StatusCode::NOT_FOUND);
    assert_eq!(
        body["error"].as_str().map(|e| e.replace(n.as_str(), "N")),
        body_missing["error"]
            .as_str()
            .map(|e| e.replace(missing, "N")),
        "the same words as for a case that does not exist"
    );
    let (_, list) = server.get("/api/cases", pmr_token).await;
    assert_eq!(list, json!([]));
    let (_, list) = server.get("/api/cases", ortho_token).await;
    assert_eq!(list.as_array().expect("list").len(), 1);
    assert_eq!(list[0]["number"], n.as_str());
    let (_, list) = server.get("/api/cases?status=ineligible", &clerk).await;
    assert_eq!(list.as_array().expect("list").len(), 1);
    // A missing case is 404, a malformed number too.
    let (s, _) = server.get("/api/cases/CM26-0009999", &clerk).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = server.get("/api/cases/nonsense", &clerk).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // Records: a reviewer may not upload; an oversized upload is 413 and stores nothing.
    let records = std::fs::read(data("records.txt")).expect("records");
    let upload = |token: &str, body: Vec<u8>, complete: bool| {
        server
            .client
            .post(server.url(&format!("/api/cases/{n}/documents?kind=medical%20records&filename=notes.txt&complete={complete}")))
            .bearer_auth(token)
            .header("content-type", "text/plain")
            .body(body)
            .send()
    };
    let resp = upload(ortho_token, records.clone(), true)
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = upload(&clerk, vec![b'x'; UPLOAD_LIMIT + 1], false)
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (_, docs) = server
        .get(&format!("/api/cases/{n}/documents"), &clerk)
        .await;
    assert_eq!(docs, json!([]), "nothing half-written");
    let resp = upload(&clerk, records.clone(), true).await.expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let body: Value = resp.json().await.expect("JSON");
    assert_eq!(body["case"]["status"], "records_complete", "{body}");
    assert_eq!(body["document"]["size"], records.len());
    let doc_id = body["document"]["id"].as_i64().expect("id");
    let bytes = server
        .client
        .get(server.url(&format!("/api/documents/{doc_id}")))
        .bearer_auth(ortho_token)
        .send()
        .await
        .expect("document")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), records.as_slice(), "byte for byte");
    let (s, body) = server
        .get(&format!("/api/documents/{doc_id}"), pmr_token)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(
        body["error"],
        format!("no document {doc_id}"),
        "as for a document that does not exist"
    );

    // The engine's proposal: one finding per disputed item, with rule or missing information.
    let (s, proposal) = server
        .get(&format!("/api/cases/{n}/proposal"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::OK, "{proposal}");
    let items = proposal["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    for item in items {
        assert!(
            item["rule"].is_string() || !item["missing"].as_array().expect("missing").is_empty(),
            "{item}"
        );
    }
    let (s, _) = server
        .get(&format!("/api/cases/{n}/proposal"), &clerk)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "the proposal is for the reviewer");

    // No letter before signing: 409.
    let (s, _) = server.get(&format!("/api/cases/{n}/letter"), &clerk).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Signing: another reviewer 404 (not their case), a clerk 403, wrong number of decisions
    // 409, then the assignee.
    let decisions = json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints", "rationale": "Progressive deficit documented."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines", "rationale": "No functional improvement after the trial."}
    ], "clinical_summary": "A fictional worker with low back pain."});
    let path = format!("/api/cases/{n}/determination");
    let (s, _) = server
        .send("POST", &path, Some(pmr_token), Some(decisions.clone()))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = server
        .send("POST", &path, Some(&clerk), Some(decisions.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "clerks do not sign");
    let mut one = decisions.clone();
    one["decisions"].as_array_mut().expect("array").pop();
    let (s, body) = server
        .send("POST", &path, Some(ortho_token), Some(one))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    let (s, body) = server
        .send("POST", &path, Some(ortho_token), Some(decisions.clone()))
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "determined");
    let (s, _) = server
        .send("POST", &path, Some(ortho_token), Some(decisions.clone()))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "signing twice");
    // Records after the determination: 409.
    let resp = upload(&clerk, records.clone(), false)
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let (_, docs) = server
        .get(&format!("/api/cases/{n}/documents"), &clerk)
        .await;
    assert_eq!(
        docs.as_array().expect("docs").len(),
        1,
        "a refused document is not stored"
    );

    // The letter in three formats.
    for (format, media, needle) in [
        ("text", "text/plain", &b"Overturned"[..]),
        ("html", "text/html", &b"<html"[..]),
        ("pdf", "application/pdf", &b"%PDF-"[..]),
    ] {
        let resp = server
            .client
            .get(server.url(&format!("/api/cases/{n}/letter?format={format}")))
            .bearer_auth(&clerk)
            .send()
            .await
            .expect("letter");
        assert_eq!(resp.status(), StatusCode::OK, "{format}");
        let ct = resp.headers()["content-type"]
            .to_str()
            .expect("ct")
            .to_string();
        assert!(ct.starts_with(media), "{format}: {ct}");
        let bytes = resp.bytes().await.expect("bytes");
        assert!(bytes.windows(needle.len()).any(|w| w == needle), "{format}");
    }
    let (s, _) = server
        .get(&format!("/api/cases/{n}/letter?format=docx"), &clerk)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // Issuing the letter: reviewer 403, clerk 200, twice 409.
    let lpath = format!("/api/cases/{n}/letter");
    let (s, _) = server.send("POST", &lpath, Some(ortho_token), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body) = server.send("POST", &lpath, Some(&clerk), None).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "letter_issued");
    let (s, _) = server.send("POST", &lpath, Some(&clerk), None).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The audit log: every step and every view, with who; reviewers may not read it.
    let (s, _) = server
        .get(&format!("/api/cases/{n}/audit"), ortho_token)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, audit) = server.get(&format!("/api/cases/{n}/audit"), &clerk).await;
    assert_eq!(s, StatusCode::OK);
    let events: Vec<(String, String)> = audit
        .as_array()
        .expect("audit")
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap_or("").to_string(),
                e["actor"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        events.contains(&("case.viewed".into(), format!("user:{ortho}"))),
        "{events:?}"
    );
    assert_eq!(events[0].0, "case.opened");
    assert!(events.iter().any(|(e, _)| e.contains("sign")), "{events:?}");
    // A refused view (another reviewer) is not a view.
    assert!(
        !events.iter().any(|(_, a)| a == "user:rev-pmr"),
        "{events:?}"
    );
}

#[tokio::test]
async fn deadlines_reviewers_users_and_parties() {
    let server = TestServer::start().await;
    let reviewers = server.reviewers().await;
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let n = open_case(&server, &clerk).await;
    let (s, _) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, due) = server.get("/api/deadlines?within_days=30", &clerk).await;
    assert_eq!(s, StatusCode::OK, "{due}");
    assert_eq!(due[0]["case_number"], n.as_str(), "{due}");
    assert_eq!(due[0]["overdue"], false);

    // Reviewers: staff may list, only administrators add; a duplicate is 409, a bad one 400.
    let (s, list) = server.get("/api/reviewers", &clerk).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list.as_array().expect("list").len(), reviewers.len());
    let (s, _) = server.get("/api/reviewers", &reviewers[0].1).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let dup = list[0].clone();
    let (s, _) = server
        .send("POST", "/api/reviewers", Some(&clerk), Some(dup.clone()))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = server
        .send("POST", "/api/reviewers", Some(&server.admin), Some(dup))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let mut bad = list[0].clone();
    bad["id"] = json!("has spaces");
    bad["board_certifications"] = json!([]);
    let (s, body) = server
        .send("POST", "/api/reviewers", Some(&server.admin), Some(bad))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(error_of(&body).contains("board_certifications"), "{body}");

    // Users: only administrators create them; a reviewer user must name a real reviewer.
    let (s, _) = server
        .send("POST", "/api/users", Some(&clerk),
              Some(json!({"username": "x", "password": "long enough password", "role": "administrator"})))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body) = server
        .send("POST", "/api/users", Some(&server.admin),
              Some(json!({"username": "ghost", "password": "long enough password", "role": "reviewer", "reviewer_id": "nobody"})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, body) = server
        .send(
            "POST",
            "/api/users",
            Some(&server.admin),
            Some(json!({"username": "short", "password": "short", "role": "intake_clerk"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(error_of(&body).contains("password"), "{body}");
    let (s, _) = server
        .send("POST", "/api/users", Some(&server.admin),
              Some(json!({"username": "clerk", "password": "long enough password", "role": "intake_clerk"})))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "username taken");

    // A party sees their own case, read only, and no other.
    let other = {
        let mut app = application();
        app["claim_number"] = json!("TEST-77-0002");
        let (s, body) = server
            .send("POST", "/api/applications", Some(&clerk), Some(app))
            .await;
        assert_eq!(s, StatusCode::CREATED);
        body["number"].as_str().expect("number").to_string()
    };
    let party = server.user("party1", "party", None, Some(&n)).await;
    let (s, me) = server.get("/api/me", &party).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["role"], "party");
    let (s, _) = server.get(&format!("/api/cases/{n}"), &party).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = server.get(&format!("/api/cases/{other}"), &party).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another case is not found");
    let (_, list) = server.get("/api/cases", &party).await;
    assert_eq!(list.as_array().expect("list").len(), 1);
    let (s, _) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/letter"),
            Some(&party),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// SQL, HTML and script payloads in every text field are stored and returned verbatim.
#[tokio::test]
async fn injection_payloads_are_stored_verbatim() {
    let server = TestServer::start().await;
    let payloads = [
        "Robert'); DROP TABLE cases;--",
        "<script>alert('x')</script>",
        "\"><img src=x onerror=alert(1)>",
        "1' OR '1'='1",
    ];
    for (i, p) in payloads.iter().enumerate() {
        let mut app = application();
        for field in [
            "worker",
            "employer",
            "claims_administrator",
            "insurer",
            "condition",
        ] {
            app[field] = json!(format!("{p} {field}"));
        }
        app["representative"] = json!(format!("{p} representative"));
        app["requesting_provider"]["name"] = json!(format!("{p} provider"));
        app["requesting_provider"]["group"] = json!(format!("{p} group"));
        app["other_providers"] = json!([format!("{p} other")]);
        app["claim_number"] = json!(format!("{p} {i}"));
        app["ur_decision"]["items"][0]["request"] = json!(format!("{p} request"));
        let (s, body) = server
            .send(
                "POST",
                "/api/applications",
                Some(&server.admin),
                Some(app.clone()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        let n = body["number"].as_str().expect("number");
        let (_, stored) = server.get(&format!("/api/cases/{n}"), &server.admin).await;
        assert_eq!(stored["application"], app, "stored verbatim");
    }
    let (_, list) = server.get("/api/cases", &server.admin).await;
    assert_eq!(
        list.as_array().expect("list").len(),
        payloads.len(),
        "the tables are all there"
    );
}

/// `imr serve --demo`: the fictional reviewers, cases at their stages and a user per role.
#[tokio::test]
async fn the_demo_loads_once_with_cases_at_their_stages() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("demo.db");
    let (store, accounts) =
        imr_store::accounts::open_with_accounts(db.to_str().expect("utf-8"), Default::default())
            .await
            .expect("store");
    let state = imr_server::AppState::new(store, accounts, Default::default()).expect("state");
    let (_, password) = imr_server::bootstrap_admin(&state, None)
        .await
        .expect("bootstrap")
        .expect("first start creates the administrator");
    let password = password.expect("a one-time password when none is given");
    assert!(password.len() >= imr_server::auth::MIN_PASSWORD_CHARS);
    assert!(
        imr_server::bootstrap_admin(&state, None)
            .await
            .expect("second start")
            .is_none(),
        "only the first start creates an administrator"
    );
    let admin = state
        .accounts
        .user_by_name("admin")
        .await
        .expect("read")
        .expect("admin");
    let principal = imr_server::auth::Principal {
        user_id: admin.id,
        username: admin.username,
        role: imr_store::accounts::Role::Administrator,
        reviewer_id: None,
        case_number: None,
        csrf_token: String::new(),
        token_sha256: String::new(),
        idle_seconds_left: None,
    };
    let users = imr_server::demo::load(&state, &principal)
        .await
        .expect("demo loads")
        .expect("into an empty store");
    assert!(users.users.iter().any(|(n, _, _)| n == "clerk"));
    let statuses: Vec<String> = state
        .store
        .list_cases(false)
        .await
        .expect("cases")
        .iter()
        .map(|c| c.status.to_string())
        .collect();
    assert_eq!(
        statuses,
        ["records_complete", "assigned", "eligible", "ineligible"],
        "demo cases in order"
    );
    assert!(
        imr_server::demo::load(&state, &principal)
            .await
            .expect("again")
            .is_none(),
        "the demo is not loaded twice"
    );
}

/// A case with a third item the engine cannot decide, assigned to the orthopedic reviewer;
/// returns the case number, the reviewer's token and the clerk's.
async fn assigned_case_with_an_undecided_item(server: &TestServer) -> (String, String, String) {
    let reviewers = server.reviewers().await;
    let (ortho, ortho_token) = reviewers[0].clone();
    let clerk = server.user("clerk", "intake_clerk", None, None).await;
    let mut app = application();
    app["ur_decision"]["items"]
        .as_array_mut()
        .expect("items")
        .push(json!({"request": "Hyperbaric oxygen therapy 20 sessions", "ur_outcome": "denied"}));
    let (s, body) = server
        .send("POST", "/api/applications", Some(&clerk), Some(app))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let n = body["number"].as_str().expect("number").to_string();
    let (s, body) = server
        .send(
            "POST",
            &format!("/api/cases/{n}/assignment"),
            Some(&clerk),
            Some(json!({"reviewer_id": ortho})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    (n, ortho_token, clerk)
}

async fn upload_records(server: &TestServer, n: &str, token: &str, complete: bool) {
    let mut records = std::fs::read(data("records.txt")).expect("records");
    if complete {
        // The last records are another document: the same bytes again would be refused as
        // already received.
        records
            .extend_from_slice(b"\nFollow-up note (fictional): no change since the last visit.\n");
    }
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{n}/documents?kind=medical%20records&complete={complete}"
        )))
        .bearer_auth(token)
        .header("content-type", "text/plain")
        .body(records)
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), StatusCode::CREATED);
}

/// A decision per item of the three-item case, each chosen and with a rationale.
fn three_decisions() -> Value {
    json!({"decisions": [
        {"request": "MRI of the lumbar spine without contrast", "decision": "Overturned",
         "guideline": "MTUS ACOEM Low Back Complaints", "rationale": "Progressive deficit documented."},
        {"request": "Physical therapy 2 times a week for 4 weeks", "decision": "Upheld",
         "guideline": "MTUS Chronic Pain Medical Treatment Guidelines",
         "rationale": "No functional improvement after the trial."},
        {"request": "Hyperbaric oxygen therapy 20 sessions", "decision": "Upheld",
         "guideline": "ODG Low Back",
         "rationale": "No guideline supports it for a lumbar strain; the reviewer's own reading."}
    ], "clinical_summary": "A fictional worker with low back pain."})
}

/// Signing needs complete records, a summary, a decision and a rationale per item, and the
/// physician's own rationale where the engine could not decide; each refusal says why and
/// signs nothing.
#[tokio::test]
async fn signing_is_refused_until_every_part_is_there() {
    let server = TestServer::start().await;
    let (n, ortho_token, clerk) = assigned_case_with_an_undecided_item(&server).await;
    let path = format!("/api/cases/{n}/determination");
    let sign = |body: Value| server.send("POST", &path, Some(&ortho_token), Some(body));

    // Records awaited (none at all, then a part): 409, nothing signed.
    let (s, body) = sign(three_decisions()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    assert!(error_of(&body).contains("not complete yet"), "{body}");
    upload_records(&server, &n, &clerk, false).await;
    let (s, body) = sign(three_decisions()).await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    upload_records(&server, &n, &clerk, true).await;

    // The engine could not decide the third item: its note is not a rationale.
    let (_, proposal) = server
        .get(&format!("/api/cases/{n}/proposal"), &ortho_token)
        .await;
    let undecided = &proposal["items"][2];
    assert!(undecided["decision"].is_null(), "{proposal}");
    let mut engines_note = three_decisions();
    engines_note["decisions"][2]["rationale"] = undecided["rationale"].clone();
    let (s, body) = sign(engines_note).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error_of(&body).contains("decisions[2].rationale")
            && error_of(&body).contains("needs a physician's review"),
        "{body}"
    );

    // An empty summary: 409 with the reason.
    for summary in [json!(""), json!("  \n "), Value::Null] {
        let mut no_summary = three_decisions();
        no_summary["clinical_summary"] = summary;
        let (s, body) = sign(no_summary).await;
        assert_eq!(s, StatusCode::CONFLICT, "{body}");
        assert!(
            error_of(&body).contains("clinical summary is empty"),
            "{body}"
        );
    }

    // An item without a decision, or without a rationale: 422 naming the item and field.
    let mut no_decision = three_decisions();
    no_decision["decisions"][1]
        .as_object_mut()
        .expect("object")
        .remove("decision");
    let (s, body) = sign(no_decision).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error_of(&body).contains(
            "decisions[1].decision: no decision for item 2 (Physical therapy 2 times a week for 4 weeks)"
        ),
        "{body}"
    );
    let mut no_rationale = three_decisions();
    no_rationale["decisions"][0]["rationale"] = json!("   ");
    let (s, body) = sign(no_rationale).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        error_of(&body).contains("decisions[0].rationale: no rationale for item 1"),
        "{body}"
    );

    // Control characters and overlong text in any field: 422 naming the field.
    for (pointer, value, field) in [
        (
            "/decisions/0/rationale",
            json!("Deficit\u{202E} documented."),
            "decisions[0].rationale",
        ),
        (
            "/decisions/0/guideline",
            json!("MTUS\u{0}"),
            "decisions[0].guideline",
        ),
        (
            "/clinical_summary",
            json!("A worker\u{85} with pain."),
            "clinical_summary",
        ),
        (
            "/clinical_summary",
            json!("x".repeat(20_001)),
            "clinical_summary",
        ),
    ] {
        let mut bad = three_decisions();
        *bad.pointer_mut(pointer).expect("field") = value;
        let (s, body) = sign(bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(error_of(&body).contains(&format!("{field}: ")), "{body}");
    }
    let (_, case) = server.get(&format!("/api/cases/{n}"), &clerk).await;
    assert_eq!(case["status"], "records_complete", "nothing was signed");

    // Everything there: signed, and the letter carries the reviewer's own words.
    let (s, body) = sign(three_decisions()).await;
    assert_eq!(s, StatusCode::OK, "{body}");
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
    assert!(letter.contains("the reviewer's own reading"), "{letter}");
    assert!(letter.contains("A fictional worker with low back pain."));
}

/// Control characters and overlong values in an application: 400 naming each field.
#[tokio::test]
async fn control_characters_and_overlong_application_fields_are_refused() {
    let server = TestServer::start().await;
    for (pointer, value, field) in [
        ("/worker", json!("Theodora\u{202E}elpmaxE"), "worker"),
        ("/claim_number", json!("TEST\u{0}77"), "claim_number"),
        ("/employer", json!("x".repeat(1 << 20)), "employer"),
        (
            "/requesting_provider/group",
            json!("Group\u{2066}"),
            "requesting_provider.group",
        ),
        (
            "/other_providers/0",
            json!("Dr.\tMoss"),
            "other_providers[0]",
        ),
        (
            "/ur_decision/items/0/request",
            json!("MRI\nof the spine"),
            "ur_decision.items[0].request",
        ),
    ] {
        let mut app = application();
        *app.pointer_mut(pointer).expect("field") = value;
        let (s, body) = server
            .send("POST", "/api/applications", Some(&server.admin), Some(app))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{field}: {body}");
        assert!(error_of(&body).contains(&format!("{field}: ")), "{body}");
    }
    let (_, list) = server.get("/api/cases", &server.admin).await;
    assert_eq!(list, json!([]), "nothing opened");
}
