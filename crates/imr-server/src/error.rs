//! Errors as the API returns them: a status and a JSON body `{"error": "..."}` whose message
//! says what was wrong with what. Internal errors are logged by kind only (never with case
//! content) and reach the client as a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use imr_store::{StoreError, TransitionError};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
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
            StoreError::Duplicate { .. } | StoreError::VersionConflict { .. } => {
                ApiError::conflict(e.to_string())
            }
            StoreError::DocumentTooLarge { .. } => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, e.to_string())
            }
            StoreError::EmptyDocument => ApiError::bad_request(e.to_string()),
            StoreError::Refused(_) => ApiError::conflict(e.to_string()),
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
            TransitionError::Refused(r) => ApiError::conflict(r.to_string()),
            TransitionError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
