//! Documents in and out: records uploaded as files (several at once) or added as text, a
//! document's text beside its original, downloads under their stored names, the letter.
//!
//! An upload is `multipart/form-data` read field by field: the CSRF token, the kind and the
//! "complete" box come first (the form's order), then the files. Each file is read under a
//! size limit while it streams, checked by the bounded reader, and stored whole in its own
//! transaction or refused with its name and why; one bad file never stops the others. At
//! most two files are held at once: the last one accepted waits for the next, so that the
//! "complete" box goes with the last file stored.
//!
//! Reading is bounded for the whole upload too: its files share [`UPLOAD_CPU`] of CPU time
//! and [`UPLOAD_TIME`] from the start of the request. A file read when either is spent is
//! stopped or not read, and named so in the report, which always comes back as the page the
//! form came from: an upload is never left to the server's request timeout.

use std::time::{Duration, Instant};

use axum::Form;
use axum::body::Bytes;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use imr_store::DocumentInfo;
use imr_store::accounts::Role;
use maud::{Markup, html};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::forms::{after_case_action, check_form_csrf, ticked};
use super::layout::{page, when};
use super::{WebError, WebResult};
use crate::auth::{Principal, WebUser};
use crate::cases::{self, LetterFormat};
use crate::download::{download_name, human_size, sent_file_name, stored_media_type};
use crate::error::ApiError;
use crate::state::AppState;

/// The kinds of document the upload form offers; the clinical text reads every one of them.
pub(super) const UPLOAD_KINDS: [&str; 4] =
    ["medical records", "UR decision", "correspondence", "other"];

/// The most files one upload takes.
pub(super) const MAX_FILES: usize = 20;

/// The largest body an upload request may have: a few files at the largest size a document
/// may have (`Settings::max_upload_bytes`, far below the PDF reader's own limits), plus the
/// form's small fields. Past it the upload stops, and what was stored before stays stored.
pub(super) fn upload_body_limit(max_file: usize) -> usize {
    max_file.saturating_mul(4).saturating_add(64 * 1024)
}

/// The CPU time one upload may spend reading its files: a few files at the reader's limit per
/// document (`imr_pdf::read::bounds::MAX_CPU`).
pub(super) const UPLOAD_CPU: Duration = Duration::from_secs(5);

/// How long an upload may take before its files left are no longer read: well within the
/// server's request timeout (60 s by default), so that the report always comes back.
pub(super) const UPLOAD_TIME: Duration = Duration::from_secs(40);

/// The largest small field (CSRF token, kind, box) read.
const MAX_FIELD_BYTES: usize = 4 * 1024;

/// The document-kind choice of the upload form, for the case page.
pub(super) fn upload_form(number: &str, who: &Principal) -> Markup {
    html! {
        form.stack #upload method="post" action={ "/cases/" (number) "/uploads" } enctype="multipart/form-data" {
            input type="hidden" name="csrf" value=(who.csrf_token);
            label for="upload-kind" { "Kind of document" }
            select #upload-kind name="kind" {
                @for k in UPLOAD_KINDS { option value=(k) { (k) } }
            }
            label { input type="checkbox" name="complete" value="yes"; " The records are complete with these files (starts the determination clock)" }
            div.dropzone #dropzone {
                label for="upload-files" { "Files (PDF or text; several at once, up to " (MAX_FILES) ")" }
                input #upload-files type="file" name="files" multiple accept=".pdf,.txt,application/pdf,text/plain" required;
                p.muted.drop-hint hidden { "…or drop the files here." }
                ul.drop-list aria-live="polite" {}
            }
            p { button.primary type="submit" { "Upload" } }
        }
        script src="/static/upload.js" defer {}
    }
}

/// What became of one file of an upload.
struct Outcome {
    /// The file's place in the upload, from 1.
    order: usize,
    name: String,
    /// Its size, when it was read whole.
    size: Option<u64>,
    result: Result<DocumentInfo, String>,
}

/// A file read, checked and waiting to be stored.
struct Accepted {
    order: usize,
    name: String,
    bytes: Bytes,
    pdf: bool,
}

/// The upload's small fields, as read so far.
#[derive(Default)]
struct UploadFields {
    csrf_checked: bool,
    kind: Option<String>,
    complete: bool,
}

/// A small field's text, at most [`MAX_FIELD_BYTES`].
async fn small_field(field: &mut Field<'_>) -> WebResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_FIELD_BYTES {
            return Err(ApiError::bad_request(format!(
                "the form's field {:?} is longer than {MAX_FIELD_BYTES} bytes",
                field.name().unwrap_or("")
            ))
            .into());
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| ApiError::bad_request("a field of the form is not UTF-8 text").into())
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    ApiError::new(
        e.status(),
        format!("the upload could not be read: {}", e.body_text()),
    )
    .into()
}

/// A file's bytes, read while they stream, or why not: larger than `limit`.
async fn file_bytes(
    field: &mut Field<'_>,
    limit: usize,
) -> Result<Result<Bytes, String>, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > limit {
            // The rest of the field is skipped by the next `next_field`, within the body limit.
            return Ok(Err(format!(
                "it is larger than the limit of {} for one file",
                human_size(limit as u64)
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Ok(Bytes::from(bytes)))
}

pub(super) async fn upload_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult<Response> {
    let started = Instant::now();
    who.require(cases::STAFF, "add documents")?;
    let case = cases::load_case(&state, &who, &number).await?;
    let mut multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "the upload is not a multipart form: {}",
            e.body_text()
        ))
    })?;
    let limit = state.settings.max_upload_bytes;
    // The SHA-256 of every document the case holds, and of the files accepted in this upload.
    let mut known: Vec<(String, String)> = state
        .store
        .documents(&case.number)
        .await?
        .into_iter()
        .map(|d| {
            let name = download_name(d.id, d.filename.as_deref(), &d.media_type);
            (d.sha256, format!("document {} ({name})", d.id))
        })
        .collect();
    let mut fields = UploadFields::default();
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut pending: Option<Accepted> = None;
    let mut cut_off = None;
    let mut files = 0;
    // The CPU time the upload's files took to read, so far.
    let mut cpu_used = Duration::ZERO;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                cut_off = Some(e.body_text());
                break;
            }
        };
        match field.name().unwrap_or("") {
            "csrf" => {
                let token = small_field(&mut field).await?;
                check_form_csrf(&who, &token)?;
                fields.csrf_checked = true;
            }
            "kind" => {
                let kind = small_field(&mut field).await?;
                let Some(kind) = UPLOAD_KINDS.iter().find(|k| **k == kind.trim()) else {
                    return Err(ApiError::bad_request(format!(
                        "kind: {kind:?} is not one of {}",
                        UPLOAD_KINDS.join(", ")
                    ))
                    .into());
                };
                fields.kind = Some(kind.to_string());
            }
            "complete" => {
                small_field(&mut field).await?;
                fields.complete = true;
            }
            "files" => {
                // Nothing is read or stored before the token and the kind are known.
                if !fields.csrf_checked {
                    return Err(ApiError::forbidden("the form's CSRF token is missing").into());
                }
                if fields.kind.is_none() {
                    return Err(ApiError::bad_request(
                        "kind: the kind of document comes before the files",
                    )
                    .into());
                }
                let sent = field.file_name().unwrap_or("");
                let name = sent_file_name(sent);
                let bytes = match file_bytes(&mut field, limit).await {
                    Ok(read) => read,
                    Err(e) => {
                        cut_off = Some(e.body_text());
                        break;
                    }
                };
                if name.is_empty() && matches!(&bytes, Ok(b) if b.is_empty()) {
                    continue; // the file input with no file chosen
                }
                let name = if name.is_empty() {
                    "(no name)".to_string()
                } else {
                    name
                };
                files += 1;
                if files > MAX_FILES {
                    outcomes.push(Outcome {
                        order: files,
                        name,
                        size: None,
                        result: Err(format!(
                            "one upload takes at most {MAX_FILES} files; send it again"
                        )),
                    });
                    continue;
                }
                let (size, checked) = match bytes {
                    Err(why) => (None, Err(why)),
                    Ok(bytes) => {
                        let size = Some(bytes.len() as u64);
                        let cpu_left = UPLOAD_CPU.saturating_sub(cpu_used);
                        // Text costs little to read; a PDF is read only while time is left.
                        let pdf = imr_pdf::read::looks_like_pdf(&bytes);
                        let checked = if pdf && started.elapsed() > UPLOAD_TIME {
                            Err(format!(
                                "not read: this upload took more than {} s, so the files after it \
                                 were not read; send it again on its own",
                                UPLOAD_TIME.as_secs()
                            ))
                        } else if pdf && cpu_left.is_zero() {
                            Err(upload_cpu_spent("the files before it used up"))
                        } else {
                            // Each file at most the reader's own limit, and what is left.
                            let allowed = cpu_left
                                .min(imr_pdf::read::bounds::MAX_CPU)
                                .max(Duration::from_millis(1));
                            let (checked, cpu) = check_file(&bytes, &known, allowed).await?;
                            cpu_used += cpu;
                            checked
                        };
                        (size, checked.map(|pdf| (bytes, pdf)))
                    }
                };
                match checked {
                    Err(why) => outcomes.push(Outcome {
                        order: files,
                        name,
                        size,
                        result: Err(why),
                    }),
                    Ok((bytes, pdf)) => {
                        known.push((
                            hex::encode(Sha256::digest(&bytes)),
                            format!("{name} in this upload"),
                        ));
                        if let Some(earlier) = pending.replace(Accepted {
                            order: files,
                            name,
                            bytes,
                            pdf,
                        }) {
                            outcomes.push(
                                store(
                                    &state,
                                    &who,
                                    &case.number.to_string(),
                                    &fields,
                                    earlier,
                                    false,
                                )
                                .await?,
                            );
                        }
                    }
                }
            }
            _ => {} // an unknown field is skipped unread
        }
    }
    // Whether the records were marked complete, when asked.
    let mut completed = fields.complete.then_some(false);
    if let Some(last) = pending.take() {
        // An upload cut off is not the whole of what was sent: it completes nothing.
        let complete = fields.complete && cut_off.is_none();
        let outcome = store(
            &state,
            &who,
            &case.number.to_string(),
            &fields,
            last,
            complete,
        )
        .await?;
        if complete && outcome.result.is_ok() {
            completed = Some(true);
        }
        outcomes.push(outcome);
    }
    outcomes.sort_by_key(|o| o.order);
    if !fields.csrf_checked {
        return Err(ApiError::forbidden("the form's CSRF token is missing").into());
    }
    if outcomes.is_empty() && cut_off.is_none() {
        return Err(ApiError::bad_request("files: choose at least one file to upload").into());
    }
    let stored = outcomes.iter().filter(|o| o.result.is_ok()).count();
    let status = if stored == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = upload_report(
        &case.number.to_string(),
        &who,
        &outcomes,
        completed,
        cut_off.as_deref(),
    );
    Ok((status, body).into_response())
}

/// Why a file cannot be stored, if it cannot: a copy of a document the case holds, or what
/// the bounded reader found (empty, binary, a PDF damaged, text-less or over a limit), read
/// with at most `cpu_left` of CPU time; `Ok(pdf)` when it can. With the CPU time it took.
async fn check_file(
    bytes: &Bytes,
    known: &[(String, String)],
    cpu_left: Duration,
) -> WebResult<(Result<bool, String>, Duration)> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    if let Some((_, earlier)) = known.iter().find(|(s, _)| *s == sha256) {
        return Ok((
            Err(format!(
                "it is the same file as {earlier} (same SHA-256); it is not stored again"
            )),
            Duration::ZERO,
        ));
    }
    let check = cases::check_upload_within(bytes.clone(), cpu_left).await?;
    // Stopped by what was left of the upload's time, not by the limit of its own.
    let result = match check.result {
        Err(_) if check.out_of_time && cpu_left < imr_pdf::read::bounds::MAX_CPU => {
            Err(upload_cpu_spent("reading it used up the last of"))
        }
        other => other,
    };
    Ok((result, check.cpu))
}

/// Why a file was not read to the end: the upload's CPU time was spent.
fn upload_cpu_spent(how: &str) -> String {
    format!(
        "not read: {how} this upload's reading time ({} s of CPU); send it again on its own",
        UPLOAD_CPU.as_secs()
    )
}

/// Stores one accepted file as a document of the case (its own transaction).
async fn store(
    state: &AppState,
    who: &Principal,
    number: &str,
    fields: &UploadFields,
    file: Accepted,
    complete: bool,
) -> WebResult<Outcome> {
    let media_type = stored_media_type(file.pdf, &file.bytes);
    let upload = cases::Upload {
        kind: fields.kind.clone().unwrap_or_default(),
        filename: Some(file.name.clone()),
        media_type: media_type.into(),
        bytes: &file.bytes,
        complete,
    };
    let size = Some(file.bytes.len() as u64);
    match cases::add_document(state, who, number, upload).await {
        Ok((info, _)) => Ok(Outcome {
            order: file.order,
            name: file.name,
            size,
            result: Ok(info),
        }),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(e.into()),
        Err(e) if e.status.is_server_error() => Err(e.into()),
        Err(e) => Ok(Outcome {
            order: file.order,
            name: file.name,
            size,
            result: Err(e.message),
        }),
    }
}

fn upload_report(
    number: &str,
    who: &Principal,
    outcomes: &[Outcome],
    completed: Option<bool>,
    cut_off: Option<&str>,
) -> axum::response::Html<String> {
    let stored = outcomes.iter().filter(|o| o.result.is_ok()).count();
    let refused = outcomes.len() - stored;
    page(
        &format!("Upload to case {number}"),
        Some(who),
        html! {
            h1 { "Upload to case " (number) }
            @if refused > 0 || cut_off.is_some() {
                div.notice.error role="alert" {
                    (stored) " of " (outcomes.len()) " file(s) stored; " (refused) " refused, each named below with why. The others are stored whole."
                    @if let Some(why) = cut_off { " The upload was cut off (" (why) "): files after the last one listed were not received." }
                }
            } @else {
                div.notice.ok role="status" { (stored) " file(s) stored." }
            }
            @match completed {
                Some(true) => p.records-complete { "The records are marked complete with the last file stored." },
                Some(false) => p.records-complete { "The records were not marked complete: no file was stored, or the upload was cut off." },
                None => {},
            }
            table.uploads {
                caption.sr-only { "The files of the upload" }
                thead { tr { th { "File" } th { "Size" } th { "Result" } } }
                tbody {
                    @for o in outcomes {
                        tr {
                            td { (o.name) }
                            td { (o.size.map_or("—".to_string(), human_size)) }
                            td {
                                @match &o.result {
                                    Ok(info) => { span.badge.ok { "stored" } " as document " (info.id) " (" (info.kind) ") · " a href={ "/documents/" (info.id) "/view" } { "its text beside the original" } },
                                    Err(why) => { span.badge.bad { "refused" } " " (why) },
                                }
                            }
                        }
                    }
                }
            }
            p { a.button href={ "/cases/" (number) "#documents" } { "Back to case " (number) } }
        },
    )
}

#[derive(Deserialize)]
pub(super) struct RecordsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    records: String,
    #[serde(default, deserialize_with = "ticked")]
    complete: bool,
}

pub(super) async fn records_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<RecordsForm>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form.csrf)?;
    let upload = cases::Upload {
        kind: form.kind,
        filename: Some("records.txt".into()),
        media_type: "text/plain; charset=utf-8".into(),
        bytes: form.records.as_bytes(),
        complete: form.complete,
    };
    after_case_action(
        &number,
        cases::add_document(&state, &who, &number, upload).await,
        "",
    )
}

pub(super) async fn letter_html(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let case = cases::view_case(&state, &who, &number).await?;
    let (media, bytes) = cases::letter(&state, &case, LetterFormat::Html).await?;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

pub(super) async fn letter_pdf(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let case = cases::view_case(&state, &who, &number).await?;
    let (media, bytes) = cases::letter(&state, &case, LetterFormat::Pdf).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-determination.pdf\"", case.number),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub(super) async fn document(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    Ok(crate::document_download::document_download(&state, &who, id, false).await?)
}

/// The original shown in the page (a PDF or text inline; anything else downloads).
pub(super) async fn document_original(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    Ok(crate::document_download::document_download(&state, &who, id, true).await?)
}

/// A span of a document's text to mark (`?start=&end=`, bytes of the text its page shows): an
/// evidence link from the case page.
#[derive(Deserialize)]
pub(super) struct MarkQuery {
    start: Option<usize>,
    end: Option<usize>,
}

/// The span to mark, if it is one of `text`: not empty, inside it, on character boundaries.
fn marked_span(text: &str, q: &MarkQuery) -> Option<(usize, usize)> {
    let (start, end) = (q.start?, q.end?);
    (start < end && text.get(start..end).is_some()).then_some((start, end))
}

/// A document's text with its pages apart (a PDF's pages end at form feeds) and `marked`
/// marked as `#evidence`, the element an evidence link scrolls to. Every character escaped.
fn text_with_pages(text: &str, pdf: bool, marked: Option<(usize, usize)>) -> Markup {
    let mut pages = Vec::new();
    let mut at = 0;
    for page in text.split_inclusive('\x0c') {
        pages.push((at, page));
        at += page.len();
    }
    html! {
        @for (n, (page_start, page)) in pages.into_iter().enumerate() {
            @let page_end = page_start + page.len();
            @let span = marked
                .filter(|(start, _)| (page_start..page_end).contains(start))
                .map(|(start, end)| (start - page_start, end.min(page_end) - page_start));
            div.page id={ "page-" (n + 1) } {
                @if pdf { div.page-label { "Page " (n + 1) } }
                @match span {
                    Some((start, end)) => {
                        (page.get(..start).unwrap_or_default())
                        mark.fact #evidence { (page.get(start..end).unwrap_or_default()) }
                        (page.get(end..).unwrap_or_default())
                    }
                    None => (page),
                }
            }
        }
    }
}

/// A document's page: the text read from it beside the original; with `?start=&end=`, that
/// span of the text marked and scrolled to (its page and line named).
pub(super) async fn document_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<i64>,
    Query(mark): Query<MarkQuery>,
) -> WebResult<Response> {
    let Some(info) = state.store.document(id).await? else {
        return Err(ApiError::not_found(format!("no document {id}")).into());
    };
    let case = cases::view_document_case(&state, &who, &info).await?;
    let name = download_name(info.id, info.filename.as_deref(), &info.media_type);
    // A party sees the case, not its clinical text (as on the case page).
    let text = if who.role == Role::Party {
        None
    } else {
        Some(cases::document_text(&state, &info).await?)
    };
    let pdf = info.media_type.starts_with("application/pdf");
    let marked = match &text {
        Some(Ok(t)) => marked_span(t, &mark).map(|span| {
            let place = imr_case::proposal::Lines::of(t).place(span.0);
            (span, place)
        }),
        _ => None,
    };
    // The original opens at the evidence's page (a PDF viewer reads `#page=`).
    let original = match marked {
        Some((_, place)) if pdf => format!("/documents/{id}/original#page={}", place.page),
        _ => format!("/documents/{id}/original"),
    };
    let body = page(
        &format!("Document {id} of case {}", case.number),
        Some(&who),
        html! {
            h1 { (name) }
            p { a href={ "/cases/" (case.number) "#documents" } { "Case " (case.number) } }
            dl.facts {
                dt { "Kind" } dd { (info.kind) }
                dt { "Received" } dd { (when(info.received_at)) }
                dt { "Size" } dd { (human_size(info.size)) }
                dt { "Type" } dd { (info.media_type) }
                dt { "SHA-256" } dd { code { (info.sha256) } }
            }
            p { a.button href={ "/documents/" (id) } download=(name) { "Download the original (" (name) ", " (human_size(info.size)) ")" } }
            @if let Some((_, place)) = marked {
                p.notice.ok.evidence-place role="status" {
                    "The evidence is marked in the text below: "
                    a href="#evidence" {
                        @if pdf { "page " (place.page) ", " }
                        "line " (place.line)
                    }
                    "."
                }
            }
            div.grid2.side-by-side {
                @if let Some(text) = &text {
                    section.card {
                        h2 { "The text read from it" }
                        @match text {
                            Ok(t) => div.clinical.document-text { (text_with_pages(t, pdf, marked.map(|(span, _)| span))) },
                            Err(why) => div.notice.error { "No text: " (why) "." },
                        }
                    }
                }
                section.card {
                    h2 { "The original" }
                    @if pdf || info.media_type.starts_with("text/plain") {
                        iframe.original src=(original) title={ "The original: " (name) } {}
                    } @else {
                        p.muted { "This type cannot be shown in the page; download it." }
                    }
                }
            }
        },
    );
    Ok(body.into_response())
}
