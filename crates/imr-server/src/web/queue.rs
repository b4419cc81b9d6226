//! The queue: the cases the user may see, by due date.

use axum::extract::{Query, State};
use axum::response::Html;
use imr_store::accounts::Role;
use maud::html;

use super::WebResult;
use super::layout::{STATUSES, day, page, status_label};
use crate::auth::WebUser;
use crate::cases::{self, QueueFilter};
use crate::state::AppState;

pub(super) async fn queue(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(filter): Query<QueueFilter>,
) -> WebResult<Html<String>> {
    let list = cases::queue(&state, &who, &filter).await?;
    let reviewers = if matches!(who.role, Role::Administrator | Role::IntakeClerk) {
        state.store.reviewers().await?
    } else {
        Vec::new()
    };
    let selected = |a: &Option<String>, b: &str| a.as_deref() == Some(b);
    let overdue = list.iter().filter(|c| c.overdue).count();
    Ok(page(
        "Queue",
        Some(&who),
        html! {
            h1 { "Cases by due date" }
            p.muted {
                (list.len()) " case(s)"
                @if overdue > 0 { " · " span.badge.overdue { (overdue) " overdue" } }
                @if who.role == Role::Reviewer { " · only the cases assigned to you" }
            }
            form.filters method="get" action="/queue" {
                div {
                    label for="status" { "Status" }
                    select #status name="status" {
                        option value="" { "any status" }
                        @for s in STATUSES {
                            option value=(s) selected[selected(&filter.status, s)] { (status_label(s)) }
                        }
                    }
                }
                @if !reviewers.is_empty() {
                    div {
                        label for="reviewer" { "Reviewer" }
                        select #reviewer name="reviewer" {
                            option value="" { "any reviewer" }
                            @for r in &reviewers {
                                option value=(r.id) selected[selected(&filter.reviewer, &r.id)] { (r.id) }
                            }
                        }
                    }
                }
                button.secondary type="submit" { "Filter" }
            }
            table {
                thead { tr { th { "Case" } th { "Status" } th { "Priority" } th { "Reviewer" } th { "Next deadline" } th { "Items" } } }
                tbody {
                    @for c in &list {
                        tr.overdue[c.overdue] {
                            td { a href={ "/cases/" (c.number) } { (c.number) } }
                            td { (status_label(&c.status)) }
                            td { (c.priority) }
                            td { (c.reviewer_id.as_deref().unwrap_or("—")) }
                            td {
                                @match (&c.due_kind, &c.due) {
                                    (Some(kind), Some(due)) => {
                                        (kind) " due " (day(due))
                                        @if c.overdue { " " span.badge.overdue { "overdue" } }
                                    }
                                    _ => span.muted { "no clock running" },
                                }
                            }
                            td { (c.items) }
                        }
                    }
                    @if list.is_empty() { tr { td colspan="6" .muted { "No cases." } } }
                }
            }
        },
    ))
}
