//! The page shell every page shares: head, navigation, who is logged in, and the styles; and
//! the words and dates the pages print.

use axum::http::header;
use axum::response::Html;
use axum::response::{IntoResponse, Response};
use imr_core::case::Status;
use imr_store::accounts::Role;
use maud::{DOCTYPE, Markup, html};

use crate::auth::Principal;

pub(super) const STYLE: &str = include_str!("../../assets/style.css");
const INTAKE_SCRIPT: &str = include_str!("../../assets/intake.js");
const UPLOAD_SCRIPT: &str = include_str!("../../assets/upload.js");

pub(super) async fn upload_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        UPLOAD_SCRIPT,
    )
        .into_response()
}

pub(super) async fn intake_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        INTAKE_SCRIPT,
    )
        .into_response()
}

pub(super) async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
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
                                a href="/corpus/search" { "Published decisions" }
                                a href="/corpus/stats" { "Statistics" }
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

/// Dates as people read them: "Dec 5, 2026".
pub(super) fn day(text: &str) -> String {
    text.parse::<jiff::civil::DateTime>()
        .map(|d| d.strftime("%b %-d, %Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

pub(super) fn when(at: jiff::civil::DateTime) -> String {
    // The IMR organization's clock is California's.
    at.strftime("%b %-d, %Y %-I:%M %p PT").to_string()
}
