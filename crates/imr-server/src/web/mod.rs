//! The reviewer's workbench: server-rendered pages (maud escapes every value it prints), a
//! session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form. The pages call
//! the same case operations as the API (`crate::cases`), so the rules and the audit are one.

use axum::extract::DefaultBodyLimit;
use axum::response::Redirect;
use axum::routing::{get, post};

use crate::state::AppState;

mod assign;
mod case;
mod documents;
mod draft;
pub(crate) mod error_page;
mod forms;
mod intake;
pub(crate) mod layout;
mod login;
mod queue;
mod sign;
mod sign_form;

pub use error_page::{WebError, WebResult, error_layout};
pub(crate) use forms::CsrfOnly;
pub(crate) use layout::{page, when, with_page_context};

pub fn router(state: &AppState) -> axum::Router<AppState> {
    let upload_limit = documents::upload_body_limit(state.settings.max_upload_bytes);
    axum::Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/static/style.css", get(layout::style))
        .route("/static/intake.js", get(layout::intake_script))
        .route("/static/upload.js", get(layout::upload_script))
        .route("/static/draft.js", get(layout::draft_script))
        .route("/static/session.js", get(layout::session_script))
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout))
        .route("/session/keep", post(login::keep_session))
        .route("/queue", get(queue::queue))
        .route(
            "/intake",
            get(intake::intake_page)
                .post(intake::intake_submit)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/cases/{number}", get(case::case_page))
        .route("/cases/{number}/records", post(documents::records_submit))
        .route(
            "/cases/{number}/uploads",
            post(documents::upload_submit).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/cases/{number}/assign",
            get(assign::assign_page).post(assign::assign_submit),
        )
        .route("/cases/{number}/sign", post(sign::sign_submit))
        .route("/cases/{number}/draft", post(draft::draft_submit))
        .route("/cases/{number}/issue", post(sign::issue_submit))
        .route("/cases/{number}/letter.html", get(documents::letter_html))
        .route("/cases/{number}/letter.pdf", get(documents::letter_pdf))
        .route("/documents/{id}", get(documents::document))
        .route("/documents/{id}/view", get(documents::document_page))
        .route(
            "/documents/{id}/original",
            get(documents::document_original),
        )
}
