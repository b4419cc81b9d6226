//! A stored document's bytes as a download, for the API and the workbench alike: the case's
//! view checked and audited, an HTML document never served as a page of this site.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::auth::Principal;
use crate::cases;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A stored document's bytes under its stored name and media type; `inline` to show a PDF or
/// text in the page (anything else still downloads).
pub async fn document_download(
    state: &AppState,
    who: &Principal,
    id: i64,
    inline: bool,
) -> ApiResult<Response> {
    let Some(info) = state.store.document(id).await? else {
        return Err(ApiError::not_found(format!("no document {id}")));
    };
    cases::view_document_case(state, who, &info).await?;
    let bytes = state.store.read_document(id).await?;
    let media = if info.media_type.starts_with("text/html") {
        // Never let a stored document run as a page of this site.
        "text/plain; charset=utf-8".to_string()
    } else {
        info.media_type.clone()
    };
    let name = crate::download::download_name(id, info.filename.as_deref(), &info.media_type);
    let inline =
        inline && (media.starts_with("application/pdf") || media.starts_with("text/plain"));
    Ok((
        [
            (header::CONTENT_TYPE, media),
            (
                header::CONTENT_DISPOSITION,
                crate::download::content_disposition(inline, &name),
            ),
        ],
        bytes,
    )
        .into_response())
}
