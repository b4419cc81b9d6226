//! The reviewer's workbench: server-rendered pages (maud escapes every value it prints), a
//! session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form. The pages call
//! the same case operations as the API (`crate::cases`), so the rules and the audit are one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;

use crate::error::ApiError;
use crate::state::AppState;

mod assign;
mod case;
mod documents;
mod forms;
mod intake;
mod layout;
mod login;
mod queue;
mod sign;

pub(crate) use layout::page;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/static/style.css", get(layout::style))
        .route("/static/intake.js", get(layout::intake_script))
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout))
        .route("/queue", get(queue::queue))
        .route(
            "/intake",
            get(intake::intake_page).post(intake::intake_submit),
        )
        .route("/cases/{number}", get(case::case_page))
        .route("/cases/{number}/records", post(documents::records_submit))
        .route(
            "/cases/{number}/assign",
            get(assign::assign_page).post(assign::assign_submit),
        )
        .route("/cases/{number}/sign", post(sign::sign_submit))
        .route("/cases/{number}/issue", post(sign::issue_submit))
        .route("/cases/{number}/letter.html", get(documents::letter_html))
        .route("/cases/{number}/letter.pdf", get(documents::letter_pdf))
        .route("/documents/{id}", get(documents::document))
}

/// An error shown as a page.
pub struct WebError(ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        WebError(e)
    }
}

impl From<imr_store::StoreError> for WebError {
    fn from(e: imr_store::StoreError) -> WebError {
        WebError(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Not possible now",
            _ => "Something went wrong",
        };
        let body = page(
            title,
            None,
            html! {
                h1 { (title) }
                div.notice.error { (self.0.message) }
                p { a href="/queue" { "Back to the queue" } }
            },
        );
        (self.0.status, body).into_response()
    }
}

pub(crate) type WebResult<T> = Result<T, WebError>;
