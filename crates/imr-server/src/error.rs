//! Errors as the API returns them: a status and a JSON body `{"error": "..."}` whose message
//! says what was wrong with what. Internal errors are logged by kind only (never with case
//! content) and reach the client as a generic message. Each error also carries a fixed code
//! (`already-signed`, `document-too-large`, ...): the workbench puts the code, never the
//! message, in a link (`?error=`), and shows the code's own fixed text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use imr_app::AppError;
use imr_case::{Refusal, SignProblem};
use imr_store::{StoreError, TransitionError};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// What went wrong, as one of the codes of [`code_message`].
    pub code: &'static str,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        let code = match status {
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "invalid",
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::NOT_FOUND => "not-found",
            StatusCode::CONFLICT => "refused",
            StatusCode::PAYLOAD_TOO_LARGE => "document-too-large",
            _ => "internal",
        };
        ApiError {
            status,
            message: message.into(),
            code,
        }
    }

    /// The same error with a more precise code.
    pub fn with_code(mut self, code: &'static str) -> ApiError {
        debug_assert!(code_message(code).is_some(), "unknown error code {code}");
        self.code = code;
        self
    }

    /// A field that is missing or invalid in a request that was otherwise understood.
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "not logged in: send `Authorization: Bearer <token>` (POST /api/login gives one)",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, message)
    }

    pub fn internal(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error while {what}; see the server log"),
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match &e {
            StoreError::NotFound { .. } => ApiError::not_found(e.to_string()),
            StoreError::Duplicate { .. }
            | StoreError::VersionConflict { .. }
            | StoreError::NoDraft { .. } => ApiError::conflict(e.to_string()),
            StoreError::DocumentTooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())
            }
            StoreError::EmptyDocument => {
                ApiError::bad_request(e.to_string()).with_code("empty-document")
            }
            StoreError::Refused(r) => {
                let code = refusal_code(r);
                ApiError::conflict(e.to_string()).with_code(code)
            }
            _ => {
                // Store errors name tables and keys, never clinical text.
                tracing::error!(error = %e, "store error");
                ApiError::internal("using the store")
            }
        }
    }
}

impl From<TransitionError> for ApiError {
    fn from(e: TransitionError) -> ApiError {
        match e {
            TransitionError::NoSuchCase(n) => ApiError::not_found(format!("no case {n}")),
            TransitionError::Refused(r) => {
                ApiError::conflict(r.to_string()).with_code(refusal_code(&r))
            }
            TransitionError::Store(s) => s.into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::NoCase(_) => ApiError::not_found(e.to_string()),
            AppError::InvalidApplication(_)
            | AppError::EmptyKind
            | AppError::SameFileTwice { .. } => ApiError::bad_request(e.to_string()),
            AppError::NoReviewer(id) => {
                ApiError::bad_request(format!("reviewer_id: no reviewer {id}"))
            }
            AppError::NoQualifiedReviewer(_) => {
                ApiError::conflict(e.to_string()).with_code("no-qualified-reviewer")
            }
            AppError::CannotSign { case, problems } => sign_refusal(case.as_str(), &problems),
            AppError::ChangedSinceChecked(_) => {
                ApiError::conflict(e.to_string()).with_code("changed-since-preview")
            }
            AppError::AlreadyReceived { .. }
            | AppError::NotDetermined { .. }
            | AppError::NoLetter { .. }
            | AppError::NotSigned { .. }
            | AppError::PublicCopyIssued { .. } => ApiError::conflict(e.to_string()),
            AppError::Refused(r) => ApiError::conflict(r.to_string()).with_code(refusal_code(&r)),
            AppError::Store(s) => s.into(),
            AppError::Internal(what) => ApiError::internal(what),
        }
    }
}

/// The API's answer to a draft that cannot be signed: 409 when the case or the letter is not
/// ready (records awaited, no clinical summary), 422 when fields are missing or invalid.
pub fn sign_refusal(number: &str, problems: &[SignProblem]) -> ApiError {
    let message = format!(
        "case {number} cannot be signed: {}",
        imr_app::problems_named(problems)
    );
    if problems
        .iter()
        .any(|p| matches!(p, SignProblem::NotReady { .. }))
    {
        ApiError::conflict(message).with_code("not-ready")
    } else {
        ApiError::unprocessable(message)
    }
}

fn refusal_code(r: &Refusal) -> &'static str {
    match r {
        Refusal::Ineligible { .. } => "ineligible",
        Refusal::AlreadyAssigned { .. } => "already-assigned",
        Refusal::NotQualified { .. } => "not-qualified",
        Refusal::NotAssigned { .. } => "not-assigned",
        Refusal::SignerNotAssignee { .. } => "not-the-assignee",
        Refusal::AlreadySigned { .. } => "already-signed",
        Refusal::RecordsAfterDetermination { .. } => "records-after-determination",
        Refusal::DecisionsDoNotMatch { .. } => "decisions-do-not-match",
        Refusal::NotDetermined { .. } => "not-determined",
        Refusal::LetterAlreadyIssued { .. } => "letter-already-issued",
        Refusal::BeforeReceipt { .. } => "refused",
    }
}

/// The fixed text of an error code, for a page that received the code in its link. A code
/// that is not in this table shows nothing: the text of a link is never shown.
pub fn code_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "invalid" => "The form had a missing or invalid field; nothing was changed.",
        "forbidden" => "Your role does not allow that step.",
        "not-found" => "That case, reviewer or document does not exist.",
        "refused" => "That step is not possible at this stage of the case; nothing was changed.",
        "internal" => {
            "Something went wrong on the server; nothing was changed. The server log says more."
        }
        "document-too-large" => {
            "The document is larger than the server accepts; nothing was stored."
        }
        "empty-document" => "The document is empty; nothing was stored.",
        "ineligible" => "The case is ineligible; it cannot move on.",
        "already-assigned" => "The case already has a reviewer.",
        "not-qualified" => {
            "That reviewer cannot take this case (a conflict of interest or the wrong specialty); see the candidates."
        }
        "no-qualified-reviewer" => {
            "No reviewer qualifies for this case without a conflict; see the candidates."
        }
        "not-assigned" => "The case has no reviewer yet.",
        "not-ready" => {
            "The case cannot be signed yet: the records must be complete and the clinical summary written."
        }
        "not-the-assignee" => "Only the reviewer assigned to the case can sign it.",
        "already-signed" => "The case is already signed.",
        "records-after-determination" => {
            "The case is determined; records can no longer be added. Nothing was stored."
        }
        "decisions-do-not-match" => "The decisions do not match the case's disputed items.",
        "not-determined" => "The case is not determined yet; there is no letter to issue.",
        "letter-already-issued" => "The letter was already issued.",
        "changed-since-preview" => {
            "The case changed while you previewed the letter (new records arrived); review the proposal again, then preview and sign."
        }
        _ => return None,
    })
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
