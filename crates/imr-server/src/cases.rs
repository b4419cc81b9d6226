//! The case operations both the API and the workbench use: each checks who is asking, calls
//! the core's rules through the store, and writes the audit log (a view of a case included).

use std::collections::BTreeMap;

use imr_core::case::assignment::{self, Assessment};
use imr_core::case::proposal::{self, Reading};
use imr_core::case::workflow::SignedDetermination;
use imr_core::case::{
    Action, Application, AuditEntry, Case, CaseNumber, Draft, DraftDecision, ItemDecision, Needed,
    NoticeMethod, Proposed, Reviewer, SignProblem,
};
use imr_core::engine::CaseFindings;
use imr_core::letter::write::{LetterOptions, Practice, letter_document, render_text};
use imr_store::accounts::Role;
use imr_store::{DocumentInfo, NewDocument, StoreError, TransitionError, Versioned, transition};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, now};

pub const STAFF: &[Role] = &[Role::Administrator, Role::IntakeClerk];

pub fn parse_number(text: &str) -> ApiResult<CaseNumber> {
    CaseNumber::parse(text)
        .map_err(|e| ApiError::not_found(format!("no case {text:?}: not a case number ({e})")))
}

/// Loads a case the principal may see, and records the view in the audit log.
pub async fn view_case(state: &AppState, who: &Principal, number: &str) -> ApiResult<Case> {
    Ok(view_case_versioned(state, who, number).await?.value)
}

/// [`view_case`] with the version the case was read at.
pub async fn view_case_versioned(
    state: &AppState,
    who: &Principal,
    number: &str,
) -> ApiResult<Versioned<Case>> {
    let case = load_versioned(state, who, number).await?;
    let entry = AuditEntry::new(now(), who.actor(), "case.viewed", "");
    state
        .store
        .record_audit(Some(&case.value.number), &entry)
        .await?;
    Ok(case)
}

/// The case of a stored document, if the principal may see it (the view recorded). A document
/// of a case they may not see is not found, in the words for a document that does not exist.
pub async fn view_document_case(
    state: &AppState,
    who: &Principal,
    document: &DocumentInfo,
) -> ApiResult<Case> {
    view_case(state, who, document.case_number.as_str())
        .await
        .map_err(|e| match e.status {
            axum::http::StatusCode::NOT_FOUND => {
                ApiError::not_found(format!("no document {}", document.id))
            }
            _ => e,
        })
}

/// Loads a case the principal may see, without recording a view (for a step on it).
pub async fn load_case(state: &AppState, who: &Principal, number: &str) -> ApiResult<Case> {
    Ok(load_versioned(state, who, number).await?.value)
}

async fn load_versioned(
    state: &AppState,
    who: &Principal,
    number: &str,
) -> ApiResult<Versioned<Case>> {
    let number = parse_number(number)?;
    let Some(case) = state.store.load_case(&number).await? else {
        return Err(ApiError::not_found(format!("no case {number}")));
    };
    who.check_view(&case.value)?;
    Ok(case)
}

/// A case's clinical text read and reviewed: what the case page shows beside the case.
pub struct Analysis {
    pub text: String,
    /// The facts extracted from `text`, with their spans.
    pub facts: Vec<imr_core::extract::Fact>,
    pub findings: CaseFindings,
    /// The documents whose text could not be read, so are not in `text`.
    pub unreadable: Vec<Unreadable>,
    /// Where each document's text lies in `text`.
    pub sources: Sources,
}

/// The documents a case's clinical text was joined from, to find a span of it in its document.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    placements: Vec<proposal::Placement>,
    /// Per document joined (by `Placement::document`): its id, whether it is a PDF, its lines.
    documents: Vec<(i64, bool, proposal::Lines)>,
}

/// Where a span of the clinical text is in its document: the document, the span's bytes in the
/// document's text (as its page shows it), its page (PDFs) and line, and the link that opens
/// the document there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SpanSource {
    pub document_id: i64,
    pub start: usize,
    pub end: usize,
    /// The page, counted from 1 (a PDF's; `None` for text).
    pub page: Option<usize>,
    /// The line, counted from 1: in its page for a PDF, in the text otherwise.
    pub line: usize,
    /// The document's page with the span marked and scrolled to.
    pub link: String,
}

impl Sources {
    /// Where the span `start..end` of the clinical text is, if inside one document.
    pub fn locate(&self, start: usize, end: usize) -> Option<SpanSource> {
        let (index, start, end) = proposal::locate(&self.placements, start, end)?;
        let (document_id, pdf, lines) = self.documents.get(index)?;
        let place = lines.place(start);
        Some(SpanSource {
            document_id: *document_id,
            start,
            end,
            page: pdf.then_some(place.page),
            line: place.line,
            link: evidence_link(*document_id, start, end),
        })
    }
}

/// The link to a document's page with the bytes `start..end` of its text marked.
pub fn evidence_link(document_id: i64, start: usize, end: usize) -> String {
    format!("/documents/{document_id}/view?start={start}&end={end}#evidence")
}

/// A document whose text could not be read, and why (words that never quote the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub document_id: i64,
    pub reason: String,
}

/// The analysis of a case at a version. Documents arrive only with a workflow step, which
/// bumps the version, so (number, version) names the inputs exactly and the result is kept.
pub async fn analysis(
    state: &AppState,
    case: &Case,
    version: i64,
) -> ApiResult<std::sync::Arc<Analysis>> {
    let key = (case.number.to_string(), version);
    // A poisoned cache is only a miss: the analysis is made again, nothing is let through.
    if let Some(hit) = state
        .analyses
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned())
    {
        return Ok(hit);
    }
    let ClinicalText {
        text,
        unreadable,
        sources,
    } = read_clinical_text(state, case).await?;
    // Reading the records through the engine takes time in proportion to them: not on the
    // async runtime, where it would hold up every other request.
    let file = proposal::case_file(case, text);
    let guidelines = state.guidelines.clone();
    let (file, analysed) = tokio::task::spawn_blocking(move || {
        let analysed = proposal::analyse(&file, &guidelines, None);
        (file, analysed)
    })
    .await
    .map_err(|_| ApiError::internal("analysing the case's records"))?;
    let value = std::sync::Arc::new(Analysis {
        text: file.clinical_summary,
        facts: analysed.facts,
        findings: analysed.findings,
        unreadable,
        sources,
    });
    if let Ok(mut m) = state.analyses.lock() {
        if m.len() >= 256 {
            m.clear();
        }
        m.insert(key, value.clone());
    }
    Ok(value)
}

/// The analysis of a case as it is stored now (for a caller that holds the case but not its
/// version): one read of the case, then usually the kept analysis, never the documents again.
pub async fn current_analysis(
    state: &AppState,
    case: &Case,
) -> ApiResult<std::sync::Arc<Analysis>> {
    let Some(read) = state.store.load_case(&case.number).await? else {
        return Err(ApiError::not_found(format!("no case {}", case.number)));
    };
    analysis(state, &read.value, read.version).await
}

/// Opens a case for a new application; eligibility is decided on the way.
pub async fn open_application(
    state: &AppState,
    who: &Principal,
    application: Application,
) -> ApiResult<Case> {
    who.require(STAFF, "open an application")?;
    let at = now();
    let errors = application.validate(at.date());
    if !errors.is_empty() {
        return Err(invalid_fields(&errors));
    }
    Ok(imr_store::open_case(state.store.as_ref(), application, at, &who.actor()).await?)
}

pub fn invalid_fields(errors: &[imr_core::case::FieldError]) -> ApiError {
    let list: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    ApiError::bad_request(format!(
        "the application has {} invalid field(s): {}",
        errors.len(),
        list.join("; ")
    ))
}

fn needed(state: &AppState, case: &Case) -> Needed {
    let app = &case.application;
    state.specialty_map.needed(
        std::iter::once(app.condition.as_str())
            .chain(app.ur_decision.items.iter().map(|i| i.request.as_str())),
    )
}

/// The reviewers weighed for a case, qualified first, each with its reasons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Candidates {
    /// Specialties the case calls for.
    pub same_specialty: Vec<String>,
    pub similar_specialty: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub candidates: Vec<Assessment>,
}

pub async fn candidates(state: &AppState, case: &Case) -> ApiResult<(Candidates, Vec<Reviewer>)> {
    let needed = needed(state, case);
    let reviewers = state.store.reviewers().await?;
    let loads = state.store.reviewer_loads().await?;
    let ranked = assignment::rank(&case.application, &needed, &reviewers, &loads);
    Ok((
        Candidates {
            same_specialty: needed.same.iter().cloned().collect(),
            similar_specialty: needed.similar.iter().cloned().collect(),
            candidates: ranked,
        },
        reviewers,
    ))
}

/// Assigns the named reviewer, or the best qualified one.
pub async fn assign(
    state: &AppState,
    who: &Principal,
    number: &str,
    reviewer_id: Option<&str>,
    notice: NoticeMethod,
) -> ApiResult<Case> {
    who.require(STAFF, "assign a reviewer")?;
    let case = load_case(state, who, number).await?;
    let (ranked, reviewers) = candidates(state, &case).await?;
    let (chosen, by_hand) = match reviewer_id {
        Some(id) => (id.to_string(), true),
        None => match ranked.candidates.iter().find(|a| a.qualifies()) {
            Some(best) => (best.reviewer_id.clone(), false),
            None => {
                return Err(ApiError::conflict(format!(
                    "no reviewer qualifies for case {} without a conflict; see its candidates",
                    case.number
                ))
                .with_code("no-qualified-reviewer"));
            }
        },
    };
    let Some(reviewer) = reviewers.into_iter().find(|r| r.id == chosen) else {
        return Err(ApiError::bad_request(format!(
            "reviewer_id: no reviewer {chosen}"
        )));
    };
    let loads: BTreeMap<String, u32> = state.store.reviewer_loads().await?;
    let load = loads.get(&reviewer.id).copied().unwrap_or(0);
    let needed = needed(state, &case);
    let action = move |_: &Case| Action::Assign {
        reviewer: reviewer.clone(),
        needed: needed.clone(),
        load,
        notice,
        by_hand,
    };
    Ok(transition(
        state.store.as_ref(),
        &case.number,
        now(),
        &who.actor(),
        &state.rules,
        &action,
    )
    .await?)
}

/// A document received for a case, stored byte for byte, and counted as records.
pub struct Upload<'a> {
    pub kind: String,
    pub filename: Option<String>,
    pub media_type: String,
    pub bytes: &'a [u8],
    /// The records are complete with this part.
    pub complete: bool,
}

pub async fn add_document(
    state: &AppState,
    who: &Principal,
    number: &str,
    upload: Upload<'_>,
) -> ApiResult<(DocumentInfo, Case)> {
    who.require(STAFF, "add documents")?;
    let case = load_case(state, who, number).await?;
    if upload.kind.trim().is_empty() {
        return Err(ApiError::bad_request("kind: must not be empty"));
    }
    // The same bytes twice (a double click, a resend) are one document.
    let sha256 = hex::encode(Sha256::digest(upload.bytes));
    let documents = state.store.documents(&case.number).await?;
    if let Some(earlier) = documents.iter().find(|d| d.sha256 == sha256) {
        return Err(ApiError::conflict(format!(
            "this document was already received for case {}: document {} ({}, received {}, same SHA-256); it is not stored again",
            case.number, earlier.id, earlier.kind, earlier.received_at
        )));
    }
    // The document and its workflow step are one transaction: both or neither.
    let mut source = upload.bytes;
    let (case, info) = state
        .store
        .receive_records(
            NewDocument {
                case_number: case.number.clone(),
                kind: upload.kind,
                filename: upload.filename,
                media_type: upload.media_type,
                received_at: now(),
                declared_size: Some(upload.bytes.len() as u64),
                actor: who.actor(),
            },
            &mut source,
            upload.complete,
            &state.rules,
        )
        .await?;
    Ok((info, case))
}

/// A case's clinical text and the documents left out of it.
pub struct ClinicalText {
    pub text: String,
    pub unreadable: Vec<Unreadable>,
    pub sources: Sources,
}

/// PDFs read at once, at most: each may take up to the reader's limits in memory.
static PDF_READS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Reads every text or PDF document of a case, in order, into its clinical text
/// ([`proposal::clinical_text`]). A PDF is read under the reader's
/// limits on a blocking thread, a few at a time; one that fails is marked in the store with its
/// reason and not read again.
pub async fn read_clinical_text(state: &AppState, case: &Case) -> ApiResult<ClinicalText> {
    let marked: BTreeMap<i64, String> = state
        .store
        .unreadable_documents(&case.number)
        .await?
        .into_iter()
        .collect();
    let mut parts = Vec::new();
    let mut documents = Vec::new();
    let mut unreadable = Vec::new();
    for doc in state.store.documents(&case.number).await? {
        if let Some(reason) = marked.get(&doc.id) {
            unreadable.push(Unreadable {
                document_id: doc.id,
                reason: reason.clone(),
            });
            continue;
        }
        let bytes = state.store.read_document(doc.id).await?;
        let reading = proposal::reading(
            &doc.kind,
            &doc.media_type,
            imr_pdf::read::looks_like_pdf(&bytes),
        );
        let part = match reading {
            Some(Reading::Text) => imr_pdf::document::text_document(&bytes),
            Some(Reading::Pdf) => match read_pdf(bytes).await? {
                Ok(part) => part,
                Err(reason) => {
                    tracing::warn!(document = doc.id, %reason, "a PDF document could not be read");
                    if let Err(e) = state.store.mark_unreadable(doc.id, &reason, now()).await {
                        tracing::error!(document = doc.id, error = %e, "marking it unreadable");
                    }
                    unreadable.push(Unreadable {
                        document_id: doc.id,
                        reason,
                    });
                    continue;
                }
            },
            None => continue,
        };
        documents.push((
            doc.id,
            reading == Some(Reading::Pdf),
            proposal::Lines::of(&part),
        ));
        parts.push(part);
    }
    let (text, placements) = proposal::placed_text(&parts);
    Ok(ClinicalText {
        text,
        unreadable,
        sources: Sources {
            placements,
            documents,
        },
    })
}

/// A PDF's text, read off the async runtime under the reader's limits; or why the document
/// cannot be read. The outer error is the server's, not the document's.
async fn read_pdf(bytes: Vec<u8>) -> ApiResult<Result<String, String>> {
    let _permit = PDF_READS
        .acquire()
        .await
        .map_err(|_| ApiError::internal("reading a document"))?;
    let read = tokio::task::spawn_blocking(move || imr_pdf::read::pdf_text(&bytes))
        .await
        .map_err(|_| ApiError::internal("reading a document"))?;
    Ok(read.map_err(|e| e.to_string()))
}

/// What an uploaded file holds, read under the reader's limits before it is stored: text
/// (`false`) or a PDF with a text layer (`true`); or why it is refused, in words that never
/// quote it (empty, binary, a PDF that is damaged, text-less or over a limit).
pub async fn check_upload(bytes: axum::body::Bytes) -> ApiResult<Result<bool, String>> {
    Ok(check_upload_within(bytes, imr_pdf::read::bounds::MAX_CPU)
        .await?
        .result)
}

/// What [`check_upload_within`] found.
pub struct UploadCheck {
    /// As [`check_upload`] gives it.
    pub result: Result<bool, String>,
    /// The CPU time reading the file took.
    pub cpu: std::time::Duration,
    /// The reading was stopped because the CPU time given was spent.
    pub out_of_time: bool,
}

/// What [`check_upload`] finds with at most `cpu` of CPU time for reading the file (the
/// reader's limits otherwise).
pub async fn check_upload_within(
    bytes: axum::body::Bytes,
    cpu: std::time::Duration,
) -> ApiResult<UploadCheck> {
    let _permit = PDF_READS
        .acquire()
        .await
        .map_err(|_| ApiError::internal("reading a document"))?;
    tokio::task::spawn_blocking(move || {
        let limits = imr_pdf::read::Limits {
            max_cpu: cpu,
            ..Default::default()
        };
        let started = imr_pdf::read::cpu_time();
        let pdf = imr_pdf::read::looks_like_pdf(&bytes);
        let read = imr_pdf::document::document_text_within(&bytes, &limits);
        let out_of_time = matches!(
            read,
            Err(imr_pdf::document::DocumentError::Pdf(
                imr_pdf::read::PdfError::OverLimit(imr_pdf::read::LimitHit::Time { .. })
            ))
        );
        let result = match read {
            Ok(text) if text.trim().is_empty() => Err("it holds no text".to_string()),
            Ok(_) => Ok(pdf),
            Err(e) => Err(e.to_string()),
        };
        UploadCheck {
            result,
            cpu: imr_pdf::read::cpu_time().saturating_sub(started),
            out_of_time,
        }
    })
    .await
    .map_err(|_| ApiError::internal("reading a document"))
}

/// The text one stored document gives the clinical text, or why it gives none.
pub async fn document_text(
    state: &AppState,
    doc: &DocumentInfo,
) -> ApiResult<Result<String, String>> {
    if let Some((_, reason)) = state
        .store
        .unreadable_documents(&doc.case_number)
        .await?
        .into_iter()
        .find(|(id, _)| *id == doc.id)
    {
        return Ok(Err(reason));
    }
    let bytes = state.store.read_document(doc.id).await?;
    match proposal::reading(
        &doc.kind,
        &doc.media_type,
        imr_pdf::read::looks_like_pdf(&bytes),
    ) {
        Some(Reading::Text) => Ok(Ok(imr_pdf::document::text_document(&bytes))),
        Some(Reading::Pdf) => read_pdf(bytes).await,
        None => Ok(Err(
            "this document is not read into the clinical text (its kind or type holds none)".into(),
        )),
    }
}

/// Opens an application with the file it arrived as (the application's PDF), the case and the
/// file in one transaction: both or neither.
pub async fn open_application_with_file(
    state: &AppState,
    who: &Principal,
    application: Application,
    file: imr_store::ReceivedFile<'_>,
) -> ApiResult<Case> {
    who.require(STAFF, "open an application")?;
    let at = now();
    let errors = application.validate(at.date());
    if !errors.is_empty() {
        return Err(invalid_fields(&errors));
    }
    Ok(imr_store::open_case_with(
        state.store.as_ref(),
        application,
        at,
        &who.actor(),
        Some(file),
    )
    .await?
    .0)
}

/// What the reviewer signs.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    /// One decision per disputed item: `request` (as the application lists it), `decision`
    /// (`Upheld` or `Overturned`, chosen by the reviewer), `guideline` (the guideline relied
    /// on, required) and `rationale` (which must not conclude the opposite of the decision).
    #[schema(value_type = Vec<Object>)]
    pub decisions: Vec<DraftDecision>,
    /// The reviewer's clinical case summary for the letter; it must not be empty.
    #[serde(default)]
    pub clinical_summary: Option<String>,
}

impl SignRequest {
    fn draft(self) -> Draft {
        Draft {
            decisions: self.decisions,
            clinical_summary: self.clinical_summary.unwrap_or_default(),
        }
    }
}

/// A draft that passed the checks for signing, with the case it was checked against.
pub struct Checked {
    pub case: Case,
    /// The case's version: what the reviewer previewed is what is signed only if it holds.
    pub version: i64,
    pub reviewer_id: String,
    pub decisions: Vec<ItemDecision>,
    pub clinical_summary: String,
}

/// A draft checked against the case and the engine's proposal: `Ok(Err(problems))` when the
/// draft itself cannot be signed, an error when the reviewer may not sign at all.
pub async fn check_draft(
    state: &AppState,
    who: &Principal,
    number: &str,
    draft: &Draft,
) -> ApiResult<Result<Checked, Vec<SignProblem>>> {
    who.require(&[Role::Reviewer], "sign a determination")?;
    let read = load_versioned(state, who, number).await?;
    let Some(reviewer_id) = who.reviewer_id.clone() else {
        return Err(ApiError::forbidden("your user is not linked to a reviewer"));
    };
    let analysis = analysis(state, &read.value, read.version).await?;
    let proposed: Vec<Proposed<'_>> = analysis
        .findings
        .items
        .iter()
        .map(|f| Proposed {
            decision: f.decision,
            rationale: &f.rationale,
        })
        .collect();
    Ok(read
        .value
        .check_draft(draft, &proposed)
        .map(|(decisions, clinical_summary)| Checked {
            case: read.value.clone(),
            version: read.version,
            reviewer_id,
            decisions,
            clinical_summary,
        }))
}

/// The API's answer to a draft that cannot be signed: 409 when the case or the letter is not
/// ready (records awaited, no clinical summary), 422 when fields are missing or invalid.
pub fn sign_refusal(number: &str, problems: &[SignProblem]) -> ApiError {
    let list: Vec<String> = problems
        .iter()
        .map(|p| match p.field() {
            Some(f) => format!("{f}: {}", p.message()),
            None => p.message().to_string(),
        })
        .collect();
    let message = format!("case {number} cannot be signed: {}", list.join("; "));
    if problems
        .iter()
        .any(|p| matches!(p, SignProblem::NotReady { .. }))
    {
        ApiError::conflict(message).with_code("not-ready")
    } else {
        ApiError::unprocessable(message)
    }
}

pub async fn sign(
    state: &AppState,
    who: &Principal,
    number: &str,
    request: SignRequest,
) -> ApiResult<Case> {
    let checked = check_draft(state, who, number, &request.draft())
        .await?
        .map_err(|problems| sign_refusal(number, &problems))?;
    sign_checked(state, who, checked).await
}

/// Signs a checked draft, compare-and-set on the version it was checked at: the workflow makes
/// the last checks (the assignee, each item once, not signed before), and the signature is
/// saved only if the case is still at that version, in the same transaction. Records that
/// arrive in between make it fail with 409 (`changed-since-preview`): the proposal the reviewer
/// read is no longer the case's.
pub async fn sign_checked(state: &AppState, who: &Principal, checked: Checked) -> ApiResult<Case> {
    let version = checked.version;
    sign_at_version(state, who, checked, version).await
}

/// [`sign_checked`] on the version the reviewer previewed (the web's sign form carries it):
/// refused with 409 unless the case is still at `previewed`, up to the signing transaction.
pub async fn sign_at_version(
    state: &AppState,
    who: &Principal,
    checked: Checked,
    previewed: i64,
) -> ApiResult<Case> {
    let Checked {
        case,
        version,
        reviewer_id,
        decisions,
        clinical_summary,
    } = checked;
    let changed = || {
        ApiError::conflict(format!(
            "case {} changed since the determination was checked (new records or another step); \
             nothing was signed: read the proposal again, then sign",
            case.number
        ))
        .with_code("changed-since-preview")
    };
    if version != previewed {
        return Err(changed());
    }
    let Some(current) = state.store.load_case(&case.number).await? else {
        return Err(ApiError::not_found(format!("no case {}", case.number)));
    };
    if current.version != previewed {
        return Err(changed());
    }
    let action = Action::Sign {
        reviewer_id,
        decisions,
        clinical_summary: Some(clinical_summary),
    };
    let (next, entry) = current
        .value
        .apply(action, now(), &who.actor(), &state.rules)
        .map_err(|r| ApiError::from(TransitionError::from(r)))?;
    // The store saves it only if no one saved the case since `previewed`.
    match state.store.update_case(&next, previewed, &entry).await {
        Ok(_) => Ok(next),
        Err(StoreError::VersionConflict { .. }) => Err(changed()),
        Err(e) => Err(e.into()),
    }
}

/// The letter a checked draft would issue, as HTML: what the reviewer reads before signing.
pub async fn preview_letter(state: &AppState, checked: &Checked) -> ApiResult<String> {
    let signed = SignedDetermination {
        reviewer_id: checked.reviewer_id.clone(),
        signed_at: now(),
        decisions: checked.decisions.clone(),
        clinical_summary: Some(checked.clinical_summary.clone()),
    };
    let (_, bytes) = render_letter(state, &checked.case, &signed, LetterFormat::Html).await?;
    String::from_utf8(bytes).map_err(|_| ApiError::internal("writing the letter preview"))
}

pub async fn issue_letter(state: &AppState, who: &Principal, number: &str) -> ApiResult<Case> {
    who.require(STAFF, "issue a letter")?;
    let case = load_case(state, who, number).await?;
    Ok(transition(
        state.store.as_ref(),
        &case.number,
        now(),
        &who.actor(),
        &state.rules,
        &|_: &Case| Action::IssueLetter,
    )
    .await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LetterFormat {
    Text,
    Html,
    Pdf,
}

/// The Final Determination Letter of a signed case: (media type, bytes).
pub async fn letter(
    state: &AppState,
    case: &Case,
    format: LetterFormat,
) -> ApiResult<(&'static str, Vec<u8>)> {
    let Some(signed) = &case.determination else {
        return Err(ApiError::conflict(format!(
            "case {} is not determined yet ({}); there is no letter",
            case.number, case.status
        )));
    };
    render_letter(state, case, signed, format).await
}

/// The letter of `case` as `signed` states it (signed, or a draft being previewed).
async fn render_letter(
    state: &AppState,
    case: &Case,
    signed: &SignedDetermination,
    format: LetterFormat,
) -> ApiResult<(&'static str, Vec<u8>)> {
    let reviewer = state.store.reviewer(&signed.reviewer_id).await?;
    let det = case.determination_as_signed(reviewer.as_ref(), signed);
    let options = LetterOptions {
        organization: state.settings.organization.clone(),
        practice: reviewer.as_ref().map(|r| Practice {
            years_in_practice: r.years_in_active_practice,
            hours_per_week: r.hours_per_week_in_practice,
        }),
    };
    let document = letter_document(&det, &options)
        .map_err(|e| ApiError::conflict(format!("case {}: no letter: {e}", case.number)))?;
    Ok(match format {
        LetterFormat::Text => (
            "text/plain; charset=utf-8",
            render_text(&document).into_bytes(),
        ),
        LetterFormat::Html => (
            "text/html; charset=utf-8",
            imr_core::letter::html::render_html(&document).into_bytes(),
        ),
        LetterFormat::Pdf => {
            let bytes = tokio::task::spawn_blocking(move || imr_pdf::write::letter_pdf(&document))
                .await
                .map_err(|_| ApiError::internal("writing the PDF"))?
                .map_err(|e| {
                    tracing::error!(error = %e, "PDF letter");
                    ApiError::internal("writing the PDF")
                })?;
            ("application/pdf", bytes)
        }
    })
}

/// A case in a list: what the queue shows.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseSummary {
    pub number: String,
    pub status: String,
    pub priority: String,
    pub reviewer_id: Option<String>,
    pub received_at: String,
    /// The next deadline running, if any: "records" or "determination".
    pub due_kind: Option<String>,
    pub due: Option<String>,
    pub overdue: bool,
    pub items: usize,
}

/// A queue row as the API gives it; `overdue` at `at`.
pub fn summary(entry: &imr_store::queue::QueueEntry, at: jiff::civil::DateTime) -> CaseSummary {
    CaseSummary {
        number: entry.number.to_string(),
        status: entry.status.to_string(),
        priority: entry.priority.as_str().to_string(),
        reviewer_id: entry.reviewer_id.clone(),
        received_at: entry.received_at.to_string(),
        due_kind: entry.due.map(|(kind, _)| {
            match kind {
                imr_core::case::DueKind::Records => "records",
                imr_core::case::DueKind::Determination => "determination",
            }
            .to_string()
        }),
        due: entry.due.map(|(_, due)| due.to_string()),
        overdue: entry.due.is_some_and(|(_, due)| due < at),
        items: entry.items,
    }
}
