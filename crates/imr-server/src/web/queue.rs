//! The queue: the cases the user may see, open expedited cases first, then by due date,
//! searched, filtered and paged (see `crate::queue`); at phone width each row is a card. The filters live in the URL, so a queue can be bookmarked and shared.

use axum::extract::{Query, State};
use axum::response::Html;
use imr_store::accounts::Role;
use maud::{Markup, html};

use super::WebResult;
use super::layout::{STATUSES, day, page, status_label};
use crate::auth::WebUser;
use crate::queue::{QueuePage, QueueQuery, QueueRow, queue_page, thousands};
use crate::state::AppState;

pub(super) async fn queue(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(query): Query<QueueQuery>,
) -> WebResult<Html<String>> {
    let found = queue_page(&state, &who, &query).await?;
    let reviewers = if matches!(who.role, Role::Administrator | Role::IntakeClerk) {
        state.store.reviewers().await?
    } else {
        Vec::new()
    };
    let searched = query.q.as_deref().unwrap_or("");
    Ok(page(
        "Queue",
        Some(&who),
        html! {
            h1 { "Cases by due date, expedited first" }
            form.filters role="search" method="get" action="/queue" {
                div.grow {
                    label for="q" { "Case number, claim number or worker" }
                    input #q type="search" name="q" value=(searched) maxlength="200";
                }
                div {
                    label for="status" { "Status" }
                    select #status name="status" {
                        option value="" { "any status" }
                        @for s in STATUSES {
                            option value=(s.as_str()) selected[query.status == Some(s)] { (status_label(s)) }
                        }
                    }
                }
                @if !reviewers.is_empty() {
                    div {
                        label for="reviewer" { "Reviewer" }
                        select #reviewer name="reviewer" {
                            option value="" { "any reviewer" }
                            @for r in &reviewers {
                                option value=(r.id) selected[query.reviewer.as_deref() == Some(r.id.as_str())] { (r.id) }
                            }
                        }
                    }
                }
                @if query.per_page.is_some() { input type="hidden" name="per_page" value=(query.per_page()); }
                button.secondary type="submit" { "Search" }
            }
            p.muted #queue-count {
                @if found.total == 0 { "No cases" } @else {
                    (thousands(found.first())) "–" (thousands(found.last())) " of " (thousands(found.total))
                }
                @if found.overdue > 0 { " · " span.badge.overdue { (thousands(found.overdue)) " overdue" } }
                @if found.expedited_unassigned > 0 { " · " span.badge.urgent { (thousands(found.expedited_unassigned)) " expedited, unassigned" } }
                @if who.role == Role::Reviewer { " · only the cases assigned to you" }
            }
            div.scroll {
                table.queue {
                    thead { tr { th { "Case" } th { "Worker" } th { "Claim" } th { "Status" } th { "Priority" } th { "Reviewer" } th { "Next deadline" } th { "Items" } } }
                    tbody {
                        @for row in &found.rows { (queue_row(row)) }
                        @if found.rows.is_empty() { tr { td colspan="8" .muted { "No cases." } } }
                    }
                }
            }
            (pager(&query, &found))
        },
    ))
}

fn queue_row(row: &QueueRow) -> Markup {
    let c = &row.summary;
    let urgent = row.expedited && row.unassigned;
    html! {
        tr.overdue[c.overdue].urgent[urgent] {
            td { a href={ "/cases/" (c.number) } { (c.number) } }
            td data-label="Worker" { (row.worker) }
            td data-label="Claim" { (row.claim_number) }
            td data-label="Status" { (status_label(row.status)) }
            td data-label="Priority" {
                @if row.expedited { span.badge.expedited { "Expedited" } } @else { (c.priority) }
                @if urgent { " " span.badge.urgent { "unassigned" } }
            }
            td data-label="Reviewer" { (c.reviewer_id.as_deref().unwrap_or("—")) }
            td.deadline data-label="Next deadline" {
                @match (&c.due_kind, &c.due) {
                    (Some(kind), Some(due)) => {
                        (kind) " due " (day(due))
                        @if c.overdue { " " span.badge.overdue { "overdue" } }
                    }
                    _ => span.muted { "no clock running" },
                }
            }
            td data-label="Items" { (c.items) }
        }
    }
}

/// Previous and next, and where the user is, with the filters kept.
fn pager(query: &QueueQuery, found: &QueuePage) -> Markup {
    let pages = found.pages();
    html! {
        @if pages > 1 {
            nav.pager aria-label="Pages of the queue" {
                @if found.page > 1 {
                    a rel="prev" href=(query.to_url("/queue", found.page - 1)) { "← Previous" }
                }
                span { "Page " (thousands(found.page)) " of " (thousands(pages)) }
                @if found.page < pages {
                    a rel="next" href=(query.to_url("/queue", found.page + 1)) { "Next →" }
                }
            }
        }
    }
}
