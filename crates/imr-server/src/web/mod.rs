//! The reviewer's workbench: server-rendered pages (maud escapes every value it prints), a
//! session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form. The pages call
//! the same case operations as the API (`crate::cases`), so the rules and the audit are one.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::html;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::Html;

use crate::auth::{Principal, WebUser};
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

pub(crate) use forms::CsrfOnly;
pub(crate) use layout::page;

pub fn router(state: &AppState) -> axum::Router<AppState> {
    let upload_limit = documents::upload_body_limit(state.settings.max_upload_bytes);
    axum::Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/static/style.css", get(layout::style))
        .route("/static/intake.js", get(layout::intake_script))
        .route("/static/upload.js", get(layout::upload_script))
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout))
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

/// An error page's words, left on the response so that [`error_layout`] can show them again
/// inside the layout of the user who asked.
#[derive(Clone)]
struct ErrorPage {
    title: &'static str,
    message: String,
}

impl ErrorPage {
    fn render(&self, who: Option<&Principal>) -> Html<String> {
        page(
            self.title,
            who,
            html! {
                h1 { (self.title) }
                div.notice.error role="alert" { (self.message) }
                p { a href="/queue" { "Back to the queue" } }
            },
        )
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
        let error = ErrorPage {
            title,
            message: self.0.message,
        };
        let mut response = (self.0.status, error.render(None)).into_response();
        response.extensions_mut().insert(error);
        response
    }
}

/// Shows an error page with the navigation and the logout button of the user who asked, when
/// there is one: the handler that failed may not have known the user (a bad path, a case not
/// found before the session was read).
pub async fn error_layout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let (uri, headers) = (parts.uri.clone(), parts.headers.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    let Some(error) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let (mut probe, ()) = Request::new(()).into_parts();
    probe.uri = uri;
    probe.headers = headers;
    match WebUser::from_request_parts(&mut probe, &state).await {
        Ok(WebUser(who)) => (response.status(), error.render(Some(&who))).into_response(),
        Err(_) => response,
    }
}

pub(crate) type WebResult<T> = Result<T, WebError>;
