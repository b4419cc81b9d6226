//! Records uploaded as files through the workbench's forms, against a real server: several
//! files at once, each stored whole or refused with its name and why (empty, not a PDF or
//! text, a PDF bomb, a duplicate, over the size limit) without stopping the others; a
//! document's text beside its original; downloads under their stored name and type; sizes
//! as people read them; the application's PDF at intake, stored with the case or refused whole.

mod common;
mod records_pdf;

use common::{ADMIN_PASSWORD, Browser, TestServer, application, test_settings};
use imr_server::Settings;
use reqwest::StatusCode;
use serde_json::Value;

use records_pdf::{progress_note, records_pdf};

/// The size limit for one file in these tests: above the 1.5 MB bomb.
const FILE_LIMIT: usize = 4 * 1024 * 1024;

async fn server() -> TestServer {
    TestServer::start_with(Settings {
        max_upload_bytes: FILE_LIMIT,
        ..test_settings()
    })
    .await
}

/// Multipart posts from a logged-in session.
trait PostMultipart {
    async fn post_multipart(&self, path: &str, parts: &[Part]) -> (StatusCode, String, String);
}

impl PostMultipart for Browser {
    async fn post_multipart(&self, path: &str, parts: &[Part]) -> (StatusCode, String, String) {
        let (content_type, body) = multipart(parts);
        self.post_body(path, &content_type, body).await
    }
}

/// One part of a multipart form: a field, or a file with its name and type.
enum Part {
    Field(&'static str, String),
    File(&'static str, String, &'static str, Vec<u8>),
}

fn field(name: &'static str, value: &str) -> Part {
    Part::Field(name, value.to_string())
}

fn file(name: &str, media: &'static str, bytes: Vec<u8>) -> Part {
    Part::File("files", name.to_string(), media, bytes)
}

/// The body a browser sends for these parts, and its Content-Type.
fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = "----imr-test-boundary-7d1f0c";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Field(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                        .as_bytes(),
                );
            }
            Part::File(name, filename, media, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {media}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn documents(server: &TestServer, number: &str) -> Vec<Value> {
    let (status, body) = server
        .get(&format!("/api/cases/{number}/documents"), &server.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array()
        .or_else(|| body["documents"].as_array())
        .cloned()
        .unwrap_or_else(|| panic!("a list of documents: {body}"))
}

fn lines(note: &[String]) -> Vec<&str> {
    note.iter().map(String::as_str).collect()
}

/// The result row of `name` in an upload's report.
fn report_row<'h>(html: &'h str, name: &str) -> &'h str {
    let cell = format!("<td>{name}</td>");
    let at = html
        .find(&cell)
        .unwrap_or_else(|| panic!("{name} is in the report: {html}"));
    let row = &html[at..];
    &row[..row.find("</tr>").expect("row end")]
}

#[tokio::test]
async fn several_files_at_once_each_stored_or_refused_by_name() {
    let server = server().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, page) = clerk.get(&format!("/cases/{number}")).await;
    assert!(
        page.contains("enctype=\"multipart/form-data\"")
            && page.contains("type=\"file\"")
            && page.contains("multiple"),
        "the case page has the file picker"
    );
    assert!(
        page.contains("name=\"records\""),
        "the pasted-text form stays, visible"
    );
    assert!(
        !page.contains("<summary>Add records"),
        "not hidden in a collapsed section"
    );

    let note = progress_note("PN-UPLOAD-1");
    let pdf = records_pdf(&lines(&note));
    let ur_text = "Utilization review decision (fictional). MRI of the lumbar spine: denied.\n";
    let bomb = imr_pdf::inflating::inflating_pdf(1_500_000_000, b' ');
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let big = vec![b'a'; FILE_LIMIT + 10];
    let (status, _, report) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("csrf", &clerk.csrf),
                field("kind", "medical records"),
                field("complete", "yes"),
                file("Müller progress note.pdf", "application/pdf", pdf.clone()),
                file("empty.txt", "text/plain", Vec::new()),
                file("photo.png", "image/png", png),
                file("scan-bomb.pdf", "application/pdf", bomb),
                file("again.pdf", "application/pdf", pdf.clone()),
                file("huge.txt", "text/plain", big),
                file("ur-decision.txt", "text/plain", ur_text.as_bytes().to_vec()),
                // Windows-1252, as office software writes it: "café … PN-CP1252".
                file(
                    "office note.txt",
                    "text/plain",
                    b"Seen at the caf\xe9 \x85 PN-CP1252 fictional note.".to_vec(),
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "some files were stored: {report}");
    assert!(
        report.contains("3 of 8 file(s) stored; 5 refused"),
        "{report}"
    );
    assert!(report_row(&report, "Müller progress note.pdf").contains("stored"));
    assert!(report_row(&report, "ur-decision.txt").contains("stored"));
    assert!(report_row(&report, "empty.txt").contains("the file is empty"));
    assert!(report_row(&report, "photo.png").contains("binary data"));
    let bomb_row = report_row(&report, "scan-bomb.pdf");
    assert!(
        bomb_row.contains("refused") && bomb_row.contains("limit"),
        "the bomb is refused with the limit named: {bomb_row}"
    );
    assert!(report_row(&report, "again.pdf").contains("same SHA-256"));
    assert!(report_row(&report, "huge.txt").contains("larger than the limit of 4 MiB"));
    assert!(
        report.contains("marked complete with the last file stored"),
        "{report}"
    );

    // Exactly the three good files are stored, each whole, under its name and type.
    let docs = documents(&server, &number).await;
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert_eq!(docs[0]["filename"], "Müller progress note.pdf");
    assert_eq!(docs[0]["media_type"], "application/pdf");
    assert_eq!(docs[0]["size"], pdf.len() as u64);
    assert_eq!(docs[1]["filename"], "ur-decision.txt");
    assert!(
        docs[1]["media_type"]
            .as_str()
            .unwrap_or("")
            .starts_with("text/plain")
    );
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    assert!(
        !case["records_complete_at"].is_null(),
        "the complete box went with the last file stored: {case}"
    );

    // The case page lists them by name with their sizes as people read them.
    let (_, page) = clerk.get(&format!("/cases/{number}")).await;
    assert!(page.contains("Müller progress note.pdf"), "listed by name");
    let size = imr_server::download::human_size(pdf.len() as u64);
    assert!(page.contains(&format!(">{size}</td>")), "{size}");
    assert!(!page.contains(" bytes</td>") || pdf.len() < 1024);
    // The PDF's text is in the clinical text.
    assert!(page.contains("PN-UPLOAD-1"), "the PDF was read");
    assert_eq!(docs[2]["media_type"], "text/plain; charset=windows-1252");
    assert!(
        page.contains("Seen at the café … PN-CP1252"),
        "Windows-1252 text read as such"
    );
}

#[tokio::test]
async fn downloads_keep_their_name_and_type_and_the_text_is_shown_beside_the_original() {
    let server = server().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let note = progress_note("PN-VIEW-2");
    let pdf = records_pdf(&lines(&note));
    let (status, _, report) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("csrf", &clerk.csrf),
                field("kind", "UR decision"),
                // The name O'Brien "UR" — résumé.pdf as a browser sends it (quotes as %22).
                file(
                    "O'Brien %22UR%22 — résumé.pdf",
                    "application/pdf",
                    pdf.clone(),
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let docs = documents(&server, &number).await;
    let id = docs[0]["id"].as_i64().expect("id");
    assert_eq!(docs[0]["kind"], "UR decision");

    let resp = clerk.get_raw(&format!("/documents/{id}")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .expect("ASCII header")
        .to_string();
    assert_eq!(
        disposition,
        "attachment; filename=\"O'Brien _UR_ _ r_sum_.pdf\"; \
         filename*=UTF-8''O%27Brien%20%22UR%22%20%E2%80%94%20r%C3%A9sum%C3%A9.pdf"
    );
    assert_eq!(resp.bytes().await.expect("bytes").as_ref(), pdf.as_slice());

    // The API's download is the same.
    let resp = server
        .client
        .get(server.url(&format!("/api/documents/{id}")))
        .bearer_auth(&server.admin)
        .send()
        .await
        .expect("GET");
    assert_eq!(
        resp.headers()["content-disposition"].to_str().ok(),
        Some(disposition.as_str())
    );

    // The document's page: the text read from it beside the original, shown inline.
    let (status, view) = clerk.get(&format!("/documents/{id}/view")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        view.contains("The text read from it") && view.contains("PN-VIEW-2"),
        "{view}"
    );
    assert!(view.contains("Norco 10/325"), "the text as read");
    assert!(
        view.contains(&format!("src=\"/documents/{id}/original\"")),
        "the original embedded"
    );
    assert!(view.contains(&imr_server::download::human_size(pdf.len() as u64)));
    let resp = clerk.get_raw(&format!("/documents/{id}/original")).await;
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("inline; "),
        "shown in the page"
    );

    // Someone who may not see the case sees neither the page nor the file.
    let (_, html) = clerk.get(&format!("/documents/{}/view", id + 1000)).await;
    assert!(html.contains("no document"), "{html}");
}

/// A file name that would read otherwise than it is (a right-to-left override makes
/// `invoice\u{202E}fdp.exe` show as `invoiceexe.pdf`; zero-width and private-use characters
/// hide in it) is stored without them, and downloads under that name.
#[tokio::test]
async fn unseen_characters_are_removed_from_stored_file_names() {
    let server = server().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (status, _, report) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("csrf", &clerk.csrf),
                field("kind", "correspondence"),
                file(
                    "\u{FEFF}letter\u{200B} to\u{E000} the worker\u{202E}txt.exe",
                    "text/plain",
                    b"A fictional letter.".to_vec(),
                ),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let docs = documents(&server, &number).await;
    assert_eq!(docs[0]["filename"], "letter to the workertxt.exe");
    let id = docs[0]["id"].as_i64().expect("id");
    let resp = clerk.get_raw(&format!("/documents/{id}")).await;
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_string();
    assert!(
        disposition.ends_with("filename*=UTF-8''letter%20to%20the%20workertxt.exe"),
        "{disposition}"
    );
    let (_, page) = clerk.get(&format!("/cases/{number}")).await;
    assert!(!page.contains('\u{202E}') && !page.contains('\u{200B}'));
}

#[tokio::test]
async fn an_upload_without_its_token_stores_nothing() {
    let server = server().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let pdf = records_pdf(&lines(&progress_note("PN-CSRF")));
    let (status, _, _) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("csrf", "not-the-token"),
                field("kind", "medical records"),
                file("note.pdf", "application/pdf", pdf.clone()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("kind", "medical records"),
                file("note.pdf", "application/pdf", pdf),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(documents(&server, &number).await.is_empty());
}

/// The intake form's fields for the fixture application, with `items` disputed items.
fn intake_parts(csrf: &str, items: usize) -> Vec<Part> {
    let app = application();
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut parts = vec![
        Part::Field("csrf", csrf.to_string()),
        Part::Field("worker", s(&app["worker"])),
        Part::Field("employer", s(&app["employer"])),
        Part::Field("claims_administrator", s(&app["claims_administrator"])),
        Part::Field(
            "requesting_provider.name",
            s(&app["requesting_provider"]["name"]),
        ),
        Part::Field("claim_number", s(&app["claim_number"])),
        Part::Field("date_of_injury", s(&app["date_of_injury"])),
        Part::Field("condition", s(&app["condition"])),
        Part::Field("ur_decision.date", s(&app["ur_decision"]["date"])),
        Part::Field("ur_decision.attached", "yes".into()),
        Part::Field("priority", "Standard".into()),
        Part::Field("signature.signer", "worker".into()),
        Part::Field("signature.date", s(&app["signature"]["date"])),
        Part::Field("filed", s(&app["filed"])),
    ];
    for i in 0..items {
        parts.push(Part::Field(
            "item_request",
            format!("Physical therapy, visit block {}", i + 1),
        ));
        parts.push(Part::Field("item_outcome", "denied".into()));
        parts.push(Part::Field("item_authorized", String::new()));
    }
    parts
}

async fn case_count(server: &TestServer) -> u64 {
    let (_, body) = server.get("/api/cases", &server.admin).await;
    body["total"]
        .as_u64()
        .or_else(|| body.as_array().map(|a| a.len() as u64))
        .or_else(|| body["cases"].as_array().map(|a| a.len() as u64))
        .unwrap_or_else(|| panic!("a case count: {body}"))
}

#[tokio::test]
async fn the_applications_pdf_is_stored_with_the_case_or_the_case_is_not_opened() {
    let server = server().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let (_, form) = clerk.get("/intake").await;
    assert!(
        form.contains("enctype=\"multipart/form-data\"")
            && form.contains("name=\"application_file\""),
        "the intake form takes a file"
    );

    // A file that is not a PDF or text: the whole form is refused, no case opened.
    let before = case_count(&server).await;
    let mut parts = intake_parts(&clerk.csrf, 5);
    parts.push(Part::File(
        "application_file",
        "application.pdf".into(),
        "application/pdf",
        b"%PDF-1.4\nthis is not a PDF at all".to_vec(),
    ));
    let (status, _, html) = clerk.post_multipart("/intake", &parts).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(
        html.contains("the file application.pdf is refused"),
        "{html}"
    );
    assert!(html.contains("choose it again"), "{html}");
    assert_eq!(case_count(&server).await, before, "no case was opened");

    // A file over the size limit: the form comes back with why, and the typed fields kept.
    let mut parts = intake_parts(&clerk.csrf, 5);
    parts.push(Part::File(
        "application_file",
        "scan.pdf".into(),
        "application/pdf",
        vec![b'%'; FILE_LIMIT + 1],
    ));
    let (status, _, html) = clerk.post_multipart("/intake", &parts).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{html}");
    assert!(
        html.contains("the file scan.pdf is refused: it is larger than the limit of 4 MiB"),
        "{html}"
    );
    assert!(
        html.contains("Physical therapy, visit block 5"),
        "the items are kept"
    );
    assert_eq!(case_count(&server).await, before, "no case was opened");

    // A readable PDF: the case opens with it as its "application" document.
    let application_pdf = records_pdf(&[
        "Application for Independent Medical Review (fictional).",
        "Injured worker: Theodora Pinecastle.",
    ]);
    let mut parts = intake_parts(&clerk.csrf, 5);
    parts.push(Part::File(
        "application_file",
        "IMR application.pdf".into(),
        "application/pdf",
        application_pdf.clone(),
    ));
    let (status, location, html) = clerk.post_multipart("/intake", &parts).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let number = location.trim_start_matches("/cases/").to_string();
    let docs = documents(&server, &number).await;
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0]["kind"], "application");
    assert_eq!(docs[0]["filename"], "IMR application.pdf");
    assert_eq!(docs[0]["size"], application_pdf.len() as u64);
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    let items = case["application"]["ur_decision"]["items"]
        .as_array()
        .map(Vec::len);
    assert_eq!(items, Some(5), "{case}");

    // Without a file the form still opens a case (the file is optional).
    let (status, _, html) = clerk
        .post_multipart("/intake", &intake_parts(&clerk.csrf, 1))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
}

#[tokio::test]
async fn an_upload_over_the_body_limit_keeps_the_files_before_the_cut_whole() {
    // The shared test server's limit: 64 KiB a file, so about 320 KiB an upload.
    let server = TestServer::start().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let mut parts = vec![
        field("csrf", &clerk.csrf),
        field("kind", "medical records"),
        field("complete", "yes"),
    ];
    for i in 0..6 {
        let text = format!("Fictional progress note {i}, page filler.\n").repeat(1500);
        assert!(text.len() < common::UPLOAD_LIMIT);
        parts.push(file(
            &format!("note-{i}.txt"),
            "text/plain",
            text.into_bytes(),
        ));
    }
    let (status, _, report) = clerk
        .post_multipart(&format!("/cases/{number}/uploads"), &parts)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report.contains("The upload was cut off"), "{report}");
    assert!(
        report.contains("were not marked complete"),
        "a cut-off upload completes nothing: {report}"
    );
    let docs = documents(&server, &number).await;
    assert!(
        (1..6).contains(&docs.len()),
        "the files before the cut are stored, not the rest: {}",
        docs.len()
    );
    for (i, doc) in docs.iter().enumerate() {
        assert_eq!(doc["filename"], format!("note-{i}.txt"));
        assert_eq!(
            doc["size"],
            format!("Fictional progress note {i}, page filler.\n").len() as u64 * 1500,
            "stored whole"
        );
    }
    let (_, case) = server
        .get(&format!("/api/cases/{number}"), &server.admin)
        .await;
    assert!(case["records_complete_at"].is_null(), "{case}");
}

#[tokio::test]
async fn one_upload_takes_twenty_files_and_names_the_rest() {
    let server = TestServer::start().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    let mut parts = vec![field("csrf", &clerk.csrf), field("kind", "other")];
    for i in 0..21 {
        // One name is markup: shown as text, never run.
        let name = if i == 7 {
            "<img src=x onerror=alert(1)>.txt".to_string()
        } else {
            format!("part-{i:02}.txt")
        };
        parts.push(file(
            &name,
            "text/plain",
            format!("Fictional correspondence, part {i}.").into_bytes(),
        ));
    }
    let (status, _, report) = clerk
        .post_multipart(&format!("/cases/{number}/uploads"), &parts)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert!(report.contains("20 of 21 file(s) stored"), "{report}");
    let row = report_row(&report, "part-20.txt");
    assert!(
        !report.contains("<img src=x") && report.contains("&lt;img src=x onerror=alert(1)&gt;.txt"),
        "names are escaped"
    );
    assert!(
        row.contains("at most 20 files") && row.contains("—"),
        "{row}"
    );
    assert_eq!(documents(&server, &number).await.len(), 20);
}

/// Issue 20, item 5: every evidence of the proposal names its document, its bytes in that
/// document's text and its page (PDFs) and line; the link opens the document's page with the
/// span marked as the element the link targets.
#[tokio::test]
async fn each_evidence_names_its_document_page_and_line_and_its_link_marks_it() {
    let server = server().await;
    let number = server.open_case().await;
    let clerk = Browser::login(&server, "admin", ADMIN_PASSWORD).await;
    // A first page of administrative lines, so that the note is on page 2 of the PDF; then a
    // text document after it.
    let filler: Vec<String> = (1..=48)
        .map(|n| format!("Administrative line {n} of the fax cover."))
        .collect();
    let mut pdf_lines = filler.clone();
    pdf_lines.extend(progress_note("PN-EVIDENCE-1"));
    let pdf = records_pdf(&lines(&pdf_lines));
    let text_note =
        "Follow-up note (fictional).\nPain 7/10.\nThe patient reports numbness in the left foot.\n";
    let (status, _, report) = clerk
        .post_multipart(
            &format!("/cases/{number}/uploads"),
            &[
                field("csrf", &clerk.csrf),
                field("kind", "medical records"),
                file("records.pdf", "application/pdf", pdf.clone()),
                file("follow-up.txt", "text/plain", text_note.as_bytes().to_vec()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let docs = documents(&server, &number).await;
    let pdf_id = docs[0]["id"].as_i64().expect("id");
    let text_id = docs[1]["id"].as_i64().expect("id");
    let pdf_text = imr_pdf::read::pdf_text(&pdf).expect("the PDF reads");

    let (status, proposal) = server
        .get(&format!("/api/cases/{number}/proposal"), &server.admin)
        .await;
    assert_eq!(status, StatusCode::OK, "{proposal}");
    let mut evidence: Vec<&Value> = Vec::new();
    for item in proposal["items"].as_array().expect("items") {
        evidence.extend(item["evidence"].as_array().into_iter().flatten());
        for criterion in item["criteria"].as_array().into_iter().flatten() {
            evidence.extend(criterion["evidence"].as_array().into_iter().flatten());
        }
    }
    let located: Vec<&Value> = evidence
        .iter()
        .copied()
        .filter(|e| !e["start"].is_null())
        .collect();
    assert!(!located.is_empty(), "the proposal has evidence: {proposal}");
    let mut in_pdf = None;
    for e in &located {
        let source = &e["source"];
        let id = source["document_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{e}"));
        let (start, end) = (
            source["start"].as_u64().expect("start") as usize,
            source["end"].as_u64().expect("end") as usize,
        );
        let quoted = e["text"].as_str().expect("text");
        if id == pdf_id {
            // The span is the quote, in the PDF's text, on the page and line it names.
            assert_eq!(&pdf_text[start..end], quoted, "{e}");
            let page = pdf_text[..start].matches('\x0c').count() + 1;
            assert_eq!(source["page"].as_u64(), Some(page as u64), "{e}");
            let page_start = pdf_text[..start].rfind('\x0c').map_or(0, |at| at + 1);
            let line = pdf_text[page_start..start].matches('\n').count() + 1;
            assert_eq!(source["line"].as_u64(), Some(line as u64), "{e}");
            in_pdf.get_or_insert(((*e).clone(), page));
        } else {
            assert_eq!(id, text_id, "{e}");
            assert_eq!(&text_note[start..end], quoted, "{e}");
            assert!(source["page"].is_null(), "a text has lines, not pages: {e}");
        }
        assert_eq!(
            source["link"],
            format!("/documents/{id}/view?start={start}&end={end}#evidence"),
            "{e}"
        );
    }
    let (e, page) = in_pdf.expect("evidence from the PDF");
    assert_eq!(page, 2, "the note is on the PDF's second page: {e}");

    // The link opens the document's page with the span marked, its page and line named.
    let link = e["source"]["link"].as_str().expect("link");
    let (status, view) = clerk.get(link.split('#').next().expect("path")).await;
    assert_eq!(status, StatusCode::OK);
    let quoted = e["text"].as_str().expect("text");
    assert!(
        view.contains(&format!(
            "<mark class=\"fact\" id=\"evidence\">{quoted}</mark>"
        )),
        "{view}"
    );
    let line = e["source"]["line"].as_u64().expect("line");
    assert!(
        view.contains(&format!("<a href=\"#evidence\">page 2, line {line}</a>")),
        "{view}"
    );
    assert!(view.contains("id=\"page-2\""), "the pages are apart");
    // The case page links the same span, in the checklist and in the clinical text.
    let (_, case_page) = clerk.get(&format!("/cases/{number}")).await;
    let href = link.replace('&', "&amp;");
    assert!(
        case_page.contains(&format!("href=\"{href}\"")),
        "{href} in {case_page}"
    );
    let clinical = &case_page[case_page
        .find("div class=\"clinical\"")
        .expect("clinical text")..];
    assert!(
        clinical.contains(&format!(
            "<a class=\"evidence\" href=\"/documents/{pdf_id}/view?start="
        )),
        "the clinical text's facts link to their document: {clinical}"
    );
    // A span that is not one of the text is not marked.
    let (_, view) = clerk
        .get(&format!("/documents/{pdf_id}/view?start=5&end=999999999"))
        .await;
    assert!(!view.contains("id=\"evidence\""));
}
