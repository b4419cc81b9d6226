//! Assigning a reviewer: the candidates ranked, with why each qualifies or is excluded.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::response::Response;
use imr_case::NoticeMethod;
use maud::html;

use serde::Deserialize;

use super::WebResult;
use super::forms::{after_case_action, check_form_csrf};
use super::layout::page;
use crate::auth::WebUser;
use crate::cases::{self};
use crate::state::AppState;

pub(super) async fn assign_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Html<String>> {
    who.require(cases::STAFF, "assign reviewers")?;
    let case = cases::view_case(&state, &who, &number).await?;
    let ranked = cases::candidates(&state, &case).await?;
    let best = ranked
        .candidates
        .iter()
        .find(|a| a.qualifies())
        .map(|a| a.reviewer_id.clone());
    Ok(page(
        "Assign a reviewer",
        Some(&who),
        html! {
            h1 { "Assign a reviewer to case " a href={ "/cases/" (case.number) } { (case.number) } }
            p.muted {
                "The case calls for " strong { (ranked.same_specialty.join(", ")) }
                @if !ranked.similar_specialty.is_empty() { " (or similar: " (ranked.similar_specialty.join(", ")) ")" }
                "."
            }
            @if case.assignment.is_some() { div.notice.error { "This case is already assigned." } }
            form.stack method="post" action={ "/cases/" (case.number) "/assign" } {
                input type="hidden" name="csrf" value=(who.csrf_token);
                table {
                    thead { tr { th {} th { "Reviewer" } th { "Open cases" } th { "Why" } } }
                    tbody {
                        @for a in &ranked.candidates {
                            tr {
                                td { input type="radio" name="reviewer_id" value=(a.reviewer_id) id={ "r-" (a.reviewer_id) } disabled[!a.qualifies()] checked[best.as_deref() == Some(a.reviewer_id.as_str())]; }
                                td { label for={ "r-" (a.reviewer_id) } { (a.reviewer_id) } }
                                td { (a.load) }
                                td {
                                    @if a.qualifies() {
                                        span.badge.ok { "qualifies" }
                                        @if let Some(m) = &a.specialty { " " (m.to_string()) }
                                        @if best.as_deref() == Some(a.reviewer_id.as_str()) { " · " strong { "best match" } }
                                    } @else {
                                        span.badge.bad { "excluded" }
                                        ul { @for e in &a.exclusions { li { (e.to_string()) } } }
                                    }
                                }
                            }
                        }
                    }
                }
                label for="notice" { "Notice of assignment sent by" }
                select #notice name="notice" {
                    option value="electronic" { "electronic (records due in 12 days)" }
                    option value="mail" { "mail (records due in 15 days)" }
                }
                p { button.primary type="submit" { "Assign" } }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(super) struct AssignForm {
    #[serde(default)]
    csrf: String,
    reviewer_id: Option<String>,
    notice: NoticeMethod,
}

pub(super) async fn assign_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<AssignForm>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form.csrf)?;
    let reviewer = form.reviewer_id.as_deref().filter(|s| !s.is_empty());
    after_case_action(
        &number,
        cases::assign(&state, &who, &number, reviewer, form.notice).await,
        "",
    )
}
