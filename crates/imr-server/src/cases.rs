//! The case operations as the API and the workbench ask for them: who is asking is checked
//! here (roles, the cases one may see, a view audited), the operation itself is `imr_app`'s,
//! on the server's clock.

use std::sync::Arc;

use imr_app::{Analysis, AppError, Sources};
use imr_case::assignment::Assessment;
use imr_case::{
    Application, AuditEntry, Case, CaseNumber, Draft, DraftDecision, NoticeMethod, SignProblem,
};
use imr_store::accounts::Role;
use imr_store::{DocumentInfo, Versioned};
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, now};

pub use imr_app::{Checked, Upload, UploadCheck};

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

/// Where the span `start..end` of a case's clinical text is, if inside one document.
pub fn span_source(sources: &Sources, start: usize, end: usize) -> Option<SpanSource> {
    let at = sources.locate(start, end)?;
    Some(SpanSource {
        document_id: at.document_id,
        start: at.start,
        end: at.end,
        page: at.page,
        line: at.line,
        link: evidence_link(at.document_id, at.start, at.end),
    })
}

/// The link to a document's page with the bytes `start..end` of its text marked.
pub fn evidence_link(document_id: i64, start: usize, end: usize) -> String {
    format!("/documents/{document_id}/view?start={start}&end={end}#evidence")
}

/// The analysis of a case at a version, kept per version.
pub async fn analysis(state: &AppState, case: &Case, version: i64) -> ApiResult<Arc<Analysis>> {
    Ok(state.app.analysis(case, version, now()).await?)
}

/// The analysis of a case as it is stored now.
pub async fn current_analysis(state: &AppState, case: &Case) -> ApiResult<Arc<Analysis>> {
    Ok(state.app.current_analysis(case, now()).await?)
}

/// Opens a case for a new application; eligibility is decided on the way.
pub async fn open_application(
    state: &AppState,
    who: &Principal,
    application: Application,
) -> ApiResult<Case> {
    who.require(STAFF, "open an application")?;
    Ok(state
        .app
        .open_case(application, None, now(), &who.actor())
        .await?)
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
    Ok(state
        .app
        .open_case(application, Some(file), now(), &who.actor())
        .await?)
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

pub async fn candidates(state: &AppState, case: &Case) -> ApiResult<Candidates> {
    let found = state.app.candidates(case).await?;
    Ok(Candidates {
        same_specialty: found.needed.same.iter().cloned().collect(),
        similar_specialty: found.needed.similar.iter().cloned().collect(),
        candidates: found.ranked,
    })
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
    let candidates = state.app.candidates(&case).await?;
    Ok(state
        .app
        .assign(&case, candidates, reviewer_id, notice, now(), &who.actor())
        .await?)
}

pub async fn add_document(
    state: &AppState,
    who: &Principal,
    number: &str,
    upload: Upload<'_>,
) -> ApiResult<(DocumentInfo, Case)> {
    who.require(STAFF, "add documents")?;
    let case = load_case(state, who, number).await?;
    Ok(state
        .app
        .add_document(&case.number, upload, now(), &who.actor())
        .await?)
}

/// What an uploaded file holds, read under the reader's limits before it is stored: text
/// (`false`) or a PDF with a text layer (`true`); or why it is refused, in words that never
/// quote it (empty, binary, a PDF that is damaged, text-less or over a limit).
pub async fn check_upload(bytes: axum::body::Bytes) -> ApiResult<Result<bool, String>> {
    Ok(check_upload_within(bytes, imr_pdf::read::bounds::MAX_CPU)
        .await?
        .result)
}

/// What [`check_upload`] finds with at most `cpu` of CPU time for reading the file.
pub async fn check_upload_within(
    bytes: axum::body::Bytes,
    cpu: std::time::Duration,
) -> ApiResult<UploadCheck> {
    Ok(imr_app::check_upload_within(bytes, cpu).await?)
}

/// The text one stored document gives the clinical text, or why it gives none.
pub async fn document_text(
    state: &AppState,
    doc: &DocumentInfo,
) -> ApiResult<Result<String, String>> {
    Ok(state.app.document_text(doc, now()).await?)
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
    let Some(reviewer_id) = who.reviewer_id.as_deref() else {
        return Err(ApiError::forbidden("your user is not linked to a reviewer"));
    };
    match state.app.check_draft(read, reviewer_id, draft, now()).await {
        Ok(checked) => Ok(Ok(checked)),
        Err(AppError::CannotSign { problems, .. }) => Ok(Err(problems)),
        Err(e) => Err(e.into()),
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
        .map_err(|problems| crate::error::sign_refusal(number, &problems))?;
    sign_checked(state, who, checked).await
}

/// Signs a checked draft, compare-and-set on the version it was checked at: records that
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
    Ok(state
        .app
        .sign(checked, previewed, now(), &who.actor())
        .await?)
}

/// The letter a checked draft would issue, as HTML: what the reviewer reads before signing.
pub async fn preview_letter(state: &AppState, checked: &Checked) -> ApiResult<String> {
    Ok(state.app.preview_letter(checked, now()).await?)
}

pub async fn issue_letter(state: &AppState, who: &Principal, number: &str) -> ApiResult<Case> {
    who.require(STAFF, "issue a letter")?;
    let case = load_case(state, who, number).await?;
    Ok(state
        .app
        .issue_letter(&case.number, now(), &who.actor())
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
    let format = match format {
        LetterFormat::Text => imr_app::LetterFormat::Text,
        LetterFormat::Html => imr_app::LetterFormat::Html,
        LetterFormat::Pdf => imr_app::LetterFormat::Pdf,
    };
    let bytes = state.app.letter(case, format).await?;
    Ok((format.media_type(), bytes))
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
                imr_case::DueKind::Records => "records",
                imr_case::DueKind::Determination => "determination",
            }
            .to_string()
        }),
        due: entry.due.map(|(_, due)| due.to_string()),
        overdue: entry.due.is_some_and(|(_, due)| due < at),
        items: entry.items,
    }
}
