//! Documents in and out: records added as text, the stored documents, the letter.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use serde::Deserialize;

use super::WebResult;
use super::forms::{after_case_action, check_form_csrf, ticked};
use crate::auth::WebUser;
use crate::cases::{self, LetterFormat};
use crate::state::AppState;

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
    Ok(crate::api::document_response(&state, &who, id).await?)
}
