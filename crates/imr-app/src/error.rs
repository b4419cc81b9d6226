//! Why a case operation did not happen, in words that name the case, field or document and
//! never quote clinical text. The command line prints these; the server maps each to a status.

use imr_case::{CaseNumber, FieldError, Refusal, SignProblem};
use imr_store::{DocumentInfo, StoreError, TransitionError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no case {0}")]
    NoCase(CaseNumber),
    #[error("the application has {} invalid field(s): {}", .0.len(), fields(.0))]
    InvalidApplication(Vec<FieldError>),
    #[error("no reviewer {0}")]
    NoReviewer(String),
    #[error("no reviewer qualifies for case {0} without a conflict; see its candidates")]
    NoQualifiedReviewer(CaseNumber),
    #[error("kind: must not be empty")]
    EmptyKind,
    #[error(
        "this document was already received for case {case}: document {} ({}, received {}, same \
         SHA-256); it is not stored again",
        earlier.id, earlier.kind, earlier.received_at
    )]
    AlreadyReceived {
        case: CaseNumber,
        earlier: DocumentInfo,
    },
    #[error(
        "document {} of these is the same file as document {} (same SHA-256)",
        index + 1,
        earlier + 1
    )]
    SameFileTwice { index: usize, earlier: usize },
    #[error("case {case} cannot be signed: {}", problems_named(problems))]
    CannotSign {
        case: CaseNumber,
        problems: Vec<SignProblem>,
    },
    #[error(
        "case {0} changed since the determination was checked (new records or another step); \
         nothing was signed: read the proposal again, then sign"
    )]
    ChangedSinceChecked(CaseNumber),
    #[error("case {case} is not determined yet ({status}); there is no letter")]
    NotDetermined { case: CaseNumber, status: String },
    #[error("case {case}: no letter: {reason}")]
    NoLetter { case: CaseNumber, reason: String },
    #[error(
        "case {case} is not signed yet (its status is {status}): the public copy is made from the \
         signed letter"
    )]
    NotSigned { case: CaseNumber, status: String },
    #[error(
        "the public copy of case {case} is already issued: document {}, issued {}; it is not \
         issued again",
        earlier.id, earlier.received_at
    )]
    PublicCopyIssued {
        case: CaseNumber,
        earlier: DocumentInfo,
    },
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something of this process failed (a thread, the PDF writer): logged where it happened.
    #[error("internal error while {0}")]
    Internal(&'static str),
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> AppError {
        match e {
            TransitionError::NoSuchCase(n) => AppError::NoCase(n),
            TransitionError::Refused(r) => AppError::Refused(r),
            TransitionError::Store(s) => AppError::Store(s),
        }
    }
}

fn fields(errors: &[FieldError]) -> String {
    let list: Vec<String> = errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect();
    list.join("; ")
}

/// Problems with a draft, each as a line names it: the field, then what is wrong.
pub fn problems_named(problems: &[SignProblem]) -> String {
    let list: Vec<String> = problems
        .iter()
        .map(|p| match p.field() {
            Some(field) => format!("{field}: {}", p.message()),
            None => p.message().to_string(),
        })
        .collect();
    list.join("; ")
}
