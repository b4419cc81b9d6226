//! Documents uploaded to a real server: a PDF that inflates to 1.5 GB is refused by the reader
//! with bounded memory, marked in the store and named on the case page while the server and the
//! case's other records go on working; an identical upload is recognized by its SHA-256.

mod common;

use imr_server::Settings;
use reqwest::StatusCode;
use serde_json::Value;

use common::{ADMIN_PASSWORD, Browser, TestServer, data};

/// Larger than the bomb (about 1.5 MB), unlike the shared test server's small limit.
const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;
/// The most this test process's peak may grow while the bomb is uploaded and read: the reader's
/// limits allow a stream of 32 MiB (held at most twice) and its parse; unbounded it took 3 GB.
/// Other tests run beside it, so there is room for them.
const PEAK_GROWTH_LIMIT: u64 = 256 * 1024 * 1024;

/// A server whose upload limit takes the bomb.
async fn start() -> TestServer {
    TestServer::start_with(Settings {
        max_upload_bytes: UPLOAD_LIMIT,
        ..Default::default()
    })
    .await
}

/// Uploads medical records to a case through the API, as the administrator.
async fn upload(
    server: &TestServer,
    case: &str,
    filename: &str,
    media: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let resp = server
        .client
        .post(server.url(&format!(
            "/api/cases/{case}/documents?kind=medical%20records&filename={filename}"
        )))
        .bearer_auth(&server.admin)
        .header("content-type", media)
        .body(bytes)
        .send()
        .await
        .expect("upload");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The case page as the administrator sees it in a browser.
async fn case_page(server: &TestServer, case: &str) -> String {
    let admin = Browser::login(server, "admin", ADMIN_PASSWORD).await;
    let (status, html) = admin.get(&format!("/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK, "the case page answers");
    html
}

/// This process's (peak, current) resident memory (VmHWM, VmRSS), in bytes.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .expect("a /proc/self/status field")
            * 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Starts the peak over from the present (Linux: 5 to clear_refs); returns the present.
fn reset_peak() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    memory().1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inflating_pdf_is_marked_unreadable_and_the_case_still_works() {
    let server = start().await;
    let case = server.open_case().await;
    let records = std::fs::read(data("records.txt")).expect("records");
    let (s, body) = upload(&server, &case, "notes.txt", "text/plain", records.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let before = reset_peak();
    let bomb = imr_pdf::inflating::inflating_pdf(1_500_000_000, b' ');
    let (s, body) = upload(&server, &case, "scan-bomb.pdf", "application/pdf", bomb).await;
    assert_eq!(s, StatusCode::CREATED, "stored byte for byte: {body}");
    let bomb_id = body["document"]["id"].as_i64().expect("document id");

    // The first view reads it, under the limits, off the async runtime.
    let page = case_page(&server, &case).await;
    assert!(page.contains("scan-bomb.pdf"), "the document is listed");
    assert!(
        page.contains("Could not be read") && page.contains("limit per stream"),
        "the page says which document could not be read and why"
    );
    assert!(
        page.contains("dorsiflexion"),
        "the readable records are still read and shown"
    );
    let (s, proposal) = server
        .get(&format!("/api/cases/{case}/proposal"), &server.admin)
        .await;
    assert_eq!(s, StatusCode::OK, "the proposal still answers: {proposal}");
    let (s, _) = server.get("/health", &server.admin).await;
    assert_eq!(s, StatusCode::OK, "the server still answers");
    let growth = memory().0.saturating_sub(before);
    assert!(
        growth < PEAK_GROWTH_LIMIT,
        "peak memory grew {} MiB, over {} MiB",
        growth >> 20,
        PEAK_GROWTH_LIMIT >> 20
    );
    eprintln!(
        "server over the bomb: the process's peak grew {} MiB",
        growth >> 20
    );

    // The mark is in the store, with the reason the page showed.
    let (store, _) = imr_store::accounts::open_with_accounts(server.db_file(), Default::default())
        .await
        .expect("store");
    let number = imr_case::CaseNumber::parse(&case).expect("case number");
    let marked = store.unreadable_documents(&number).await.expect("marks");
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert_eq!(marked[0].0, bomb_id);
    assert!(marked[0].1.contains("limit per stream"), "{}", marked[0].1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_marked_unreadable_is_not_read_again() {
    let server = start().await;
    let case = server.open_case().await;
    // A PDF the reader would read; marked before any view, as a first view would have.
    let readable = imr_pdf::inflating::inflating_pdf(1000, b' ');
    let (s, body) = upload(&server, &case, "marked.pdf", "application/pdf", readable).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let id = body["document"]["id"].as_i64().expect("id");
    let (store, _) = imr_store::accounts::open_with_accounts(server.db_file(), Default::default())
        .await
        .expect("store");
    let at = imr_server::state::now();
    store
        .mark_unreadable(id, "a reason only the store knows", at)
        .await
        .expect("mark");
    let page = case_page(&server, &case).await;
    assert!(
        page.contains("a reason only the store knows"),
        "the reason comes from the mark, not from reading the document again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identical_upload_is_recognized_and_not_stored_again() {
    let server = start().await;
    let case = server.open_case().await;
    let records = std::fs::read(data("records.txt")).expect("records");
    let (s, body) = upload(&server, &case, "notes.txt", "text/plain", records.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let first = body["document"]["id"].as_i64().expect("id");
    let (s, body) = upload(
        &server,
        &case,
        "notes-again.txt",
        "text/plain",
        records.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{body}");
    let message = body.to_string();
    assert!(
        message.contains("already received") && message.contains(&format!("document {first}")),
        "the user is told it was already received: {message}"
    );
    let (_, docs) = server
        .get(&format!("/api/cases/{case}/documents"), &server.admin)
        .await;
    assert_eq!(
        docs.as_array().expect("list").len(),
        1,
        "stored once: {docs}"
    );
    // Different bytes are a different document.
    let mut changed = records.clone();
    changed.extend_from_slice(b"\nAddendum.\n");
    let (s, body) = upload(&server, &case, "notes-2.txt", "text/plain", changed).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
}
