//! The page shell every page shares: head, navigation, who is logged in, and the styles; and
//! the words and dates the pages print.

use axum::http::header;
use axum::response::Html;
use axum::response::{IntoResponse, Response};
use imr_case::Status;
use imr_store::accounts::Role;
use maud::{DOCTYPE, Markup, html};

use crate::auth::Principal;

pub(super) const STYLE: &str = include_str!("../../assets/style.css");
const INTAKE_SCRIPT: &str = include_str!("../../assets/intake.js");
const UPLOAD_SCRIPT: &str = include_str!("../../assets/upload.js");
const DRAFT_SCRIPT: &str = include_str!("../../assets/draft.js");
const SESSION_SCRIPT: &str = include_str!("../../assets/session.js");

/// A static asset: cached for an hour (only these are not `no-store`).
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

const JS: &str = "text/javascript; charset=utf-8";

pub(super) async fn upload_script() -> Response {
    asset(JS, UPLOAD_SCRIPT)
}

pub(super) async fn intake_script() -> Response {
    asset(JS, INTAKE_SCRIPT)
}

pub(super) async fn draft_script() -> Response {
    asset(JS, DRAFT_SCRIPT)
}

pub(super) async fn session_script() -> Response {
    asset(JS, SESSION_SCRIPT)
}

pub(super) async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

tokio::task_local! {
    /// Whether the server has the published decisions (`--corpus`): the navigation offers
    /// their pages only then. Set for each request by [`with_page_context`].
    static CORPUS_LOADED: bool;
}

/// Runs a request with what every page's shell needs to know of the server.
pub async fn with_page_context(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    CORPUS_LOADED
        .scope(state.corpus.index.is_ok(), next.run(request))
        .await
}

fn corpus_loaded() -> bool {
    CORPUS_LOADED.try_with(|loaded| *loaded).unwrap_or(false)
}

pub(crate) fn page(title: &str, who: Option<&Principal>, content: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · imr" }
                    link rel="stylesheet" href="/static/style.css";
                }
                body {
                    header.top {
                        a.brand href="/queue" { "imr · Independent Medical Review" }
                        @if let Some(who) = who {
                            nav {
                                a href="/queue" { "Queue" }
                                @if matches!(who.role, Role::Administrator | Role::IntakeClerk) {
                                    a href="/intake" { "New application" }
                                }
                                @if corpus_loaded() {
                                    a href="/corpus/search" { "Published decisions" }
                                    a href="/corpus/stats" { "Statistics" }
                                }
                                @if who.role == Role::Administrator { a href="/admin/users" { "Users" } }
                                a href="/account/password" { "Password" }
                            }
                            div.who {
                                span { (who.username) " · " (role_name(who.role)) }
                                form method="post" action="/logout" {
                                    input type="hidden" name="csrf" value=(who.csrf_token);
                                    button type="submit" { "Log out" }
                                }
                            }
                        }
                    }
                    @if let Some(left) = who.and_then(|w| w.idle_seconds_left) {
                        // Shown by session.js before the session ends for want of use.
                        div.notice.warning.idle-warning #idle-warning role="status" aria-live="assertive" hidden data-idle-seconds-left=(left) {
                            span.message {}
                            " "
                            button.secondary #stay-logged-in type="button" { "Stay logged in" }
                        }
                        script src="/static/session.js" defer {}
                    }
                    main { (content) }
                }
            }
        }
        .into_string(),
    )
}

pub(super) fn role_name(role: Role) -> &'static str {
    match role {
        Role::IntakeClerk => "intake clerk",
        Role::Reviewer => "reviewer",
        Role::Administrator => "administrator",
        Role::Party => "party (read only)",
        Role::Quality => "quality review",
    }
}

/// The statuses in the order a case passes them (ineligible last: it passes none).
pub(super) const STATUSES: [Status; 6] = [
    Status::Eligible,
    Status::Assigned,
    Status::RecordsComplete,
    Status::Determined,
    Status::LetterIssued,
    Status::Ineligible,
];

pub(super) fn status_label(status: Status) -> &'static str {
    match status {
        Status::Eligible => "eligible, awaiting assignment",
        Status::Assigned => "assigned, awaiting records",
        Status::RecordsComplete => "records complete, in review",
        Status::Determined => "determined, letter to issue",
        Status::LetterIssued => "letter issued",
        Status::Ineligible => "ineligible",
    }
}

/// Dates as the letters print them, "12/05/2026", everywhere on the pages (the API gives ISO
/// 8601); a text that is no date is shown as it is.
pub(crate) fn day(text: &str) -> String {
    match text.parse::<jiff::civil::DateTime>() {
        Ok(at) => date(at.date()),
        Err(_) => text
            .parse::<jiff::civil::Date>()
            .map(date)
            .unwrap_or_else(|_| text.to_string()),
    }
}

/// A date as the letters print it: "12/05/2026".
pub(crate) fn date(d: jiff::civil::Date) -> String {
    imr_core::text::format_us_date(d)
}

/// A moment on the IMR organization's clock (California's): "12/05/2026 3:04 PM PT".
pub(crate) fn when(at: jiff::civil::DateTime) -> String {
    format!("{} {}", date(at.date()), at.strftime("%-I:%M %p PT"))
}
