//! Errors as pages: a handler's error shown inside the layout of the user who asked, and the
//! framework's own error texts turned into pages in plain words.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::layout::page;
use crate::auth::{Principal, WebUser};
use crate::error::ApiError;
use crate::state::AppState;

/// An error shown as a page.
pub struct WebError(ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        WebError(e)
    }
}

impl From<imr_app::AppError> for WebError {
    fn from(e: imr_app::AppError) -> WebError {
        WebError(e.into())
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

/// The words of an error the framework answered by itself, before any handler ran (a path
/// that names no page, a number in the address that is none, a form that does not read): its
/// own text is written for programmers, so a page says what happened in plain words instead.
fn framework_error(status: StatusCode) -> ErrorPage {
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (
            "Not found",
            "There is no page at this address. The links of the workbench lead to the pages it has.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "Not possible",
            "This address is a page's form, not a page to open; go back and use the form's button.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "Too large",
            "What was sent is larger than the server accepts; nothing was stored.",
        ),
        s if s.is_client_error() => (
            "Not understood",
            "This address or form could not be read: a value in it is not one the page knows \
             (a case or document number, a status, a page). The links and forms of the \
             workbench give ones that work.",
        ),
        _ => (
            "Something went wrong",
            "Something went wrong on the server; nothing was changed. The server log says more.",
        ),
    };
    ErrorPage {
        title,
        message: message.to_string(),
    }
}

/// Whether a response is an error the framework answered in its own words: no page of ours
/// (HTML) nor JSON of the API, on a path of the workbench.
fn answered_by_framework(path: &str, response: &Response) -> bool {
    let kind = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let ours = kind.starts_with("text/html") || kind.starts_with("application/json");
    let api = path.starts_with("/api/") || path == "/openapi.json" || path == "/health";
    (response.status().is_client_error() || response.status().is_server_error()) && !ours && !api
}

/// Shows an error page with the navigation and the logout button of the user who asked, when
/// there is one: the handler that failed may not have known the user (a bad path, a case not
/// found before the session was read). An error the framework answered in its own words
/// becomes such a page too, in plain words.
pub async fn error_layout(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let (uri, headers) = (parts.uri.clone(), parts.headers.clone());
    let response = next.run(Request::from_parts(parts, body)).await;
    let (response, error) = match response.extensions().get::<ErrorPage>().cloned() {
        Some(error) => (response, error),
        None if answered_by_framework(uri.path(), &response) => {
            let error = framework_error(response.status());
            let mut plain = (response.status(), error.render(None)).into_response();
            // What the framework said about the request in headers stays (Allow, ...).
            for (name, value) in response.headers() {
                if name != axum::http::header::CONTENT_TYPE
                    && name != axum::http::header::CONTENT_LENGTH
                {
                    plain.headers_mut().insert(name, value.clone());
                }
            }
            (plain, error)
        }
        None => return response,
    };
    let (mut probe, ()) = Request::new(()).into_parts();
    probe.uri = uri;
    probe.headers = headers;
    match WebUser::from_request_parts(&mut probe, &state).await {
        Ok(WebUser(who)) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            Response::from_parts(parts, error.render(Some(&who)).into_response().into_body())
        }
        Err(_) => response,
    }
}

pub type WebResult<T> = Result<T, WebError>;
