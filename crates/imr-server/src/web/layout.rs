//! The page shell every page shares: head, navigation, who is logged in, and the styles; and
//! the words and dates the pages print.

use axum::http::header;
use axum::response::Html;
use axum::response::{IntoResponse, Response};
use imr_store::accounts::Role;
use maud::{DOCTYPE, Markup, html};

use crate::auth::Principal;

pub(super) const STYLE: &str = include_str!("../../assets/style.css");

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
    }
}

pub(super) const STATUSES: &[&str] = &[
    "eligible",
    "assigned",
    "records_complete",
    "determined",
    "letter_issued",
    "ineligible",
];

pub(super) fn status_label(status: &str) -> &str {
    match status {
        "eligible" => "eligible, awaiting assignment",
        "assigned" => "assigned, awaiting records",
        "records_complete" => "records complete, in review",
        "determined" => "determined, letter to issue",
        "letter_issued" => "letter issued",
        "ineligible" => "ineligible",
        other => other,
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
