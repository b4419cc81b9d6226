//! The queue: the cases a user may see, searched, filtered and paged. One query serves the
//! workbench's page (`/queue`) and the API's `GET /api/cases`, so both page the same way.
//!
//! Paging is by offset over the list sorted by due date (cases with no clock running last, then
//! by number): a queue is re-sorted as deadlines pass, so a keyset would name a place that
//! moves; an offset names "the second page" as the user sees it. The store filters, counts and
//! pages in SQL over the cases' queue columns (`imr_store::queue`), decoding no case.

use imr_case::Status;
use imr_core::model::Priority;
use imr_store::accounts::Role;
use imr_store::queue::{QueueEntry, Viewer};
use serde::{Deserialize, Deserializer};

use crate::auth::Principal;
use crate::cases::{self, CaseSummary};
use crate::error::ApiResult;
use crate::state::{AppState, now};

/// Cases on a page unless asked otherwise.
pub const PER_PAGE: usize = 50;
/// The most cases one page holds.
pub const MAX_PER_PAGE: usize = 200;
/// The longest search text taken (longer is cut, never an error).
const MAX_SEARCH_CHARS: usize = 200;

/// What the queue is asked for; every field may be absent or empty ("any").
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Words that each must occur in the case number, the claim number or the worker's name
    /// (any case, in any order).
    #[serde(default)]
    pub q: Option<String>,
    /// Only cases in this status: ineligible, eligible, assigned, records_complete,
    /// determined, letter_issued.
    #[serde(default, deserialize_with = "any_status")]
    #[param(value_type = Option<String>)]
    pub status: Option<Status>,
    /// Only cases assigned to this reviewer.
    #[serde(default)]
    pub reviewer: Option<String>,
    /// The page, from 1.
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 1)]
    pub page: Option<usize>,
    /// Cases on a page (1 to 200; 50 by default).
    #[serde(default, deserialize_with = "number")]
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<usize>,
}

/// A form's or a URL's status; empty ("any status") is none.
fn any_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Status>, D::Error> {
    use serde::de::IntoDeserializer;
    match Option::<String>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => Status::deserialize(t.into_deserializer()).map(Some),
    }
}

/// A form's or a URL's number; empty is none.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{t:?} is not a whole number"))),
    }
}

impl QueueQuery {
    pub fn per_page(&self) -> usize {
        self.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE)
    }

    pub fn page(&self) -> usize {
        self.page.unwrap_or(1).max(1)
    }

    /// The search words, lower-cased.
    fn words(&self) -> Vec<String> {
        let text: String = self
            .q
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect();
        text.split_whitespace().map(str::to_lowercase).collect()
    }

    /// The query as URL parameters (the empty ones left out), with `page` replaced.
    pub fn to_url(&self, path: &str, page: usize) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            query.append_pair("q", q);
        }
        if let Some(s) = self.status {
            query.append_pair("status", s.as_str());
        }
        if let Some(r) = self.reviewer.as_deref().filter(|r| !r.is_empty()) {
            query.append_pair("reviewer", r);
        }
        if self.per_page.is_some_and(|n| n != PER_PAGE) {
            query.append_pair("per_page", &self.per_page().to_string());
        }
        if page > 1 {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// One row of the queue: the summary the API gives, and what the page shows beside it.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub summary: CaseSummary,
    pub status: Status,
    pub worker: String,
    pub claim_number: String,
    pub expedited: bool,
    pub unassigned: bool,
}

/// A page of the queue and what it is a page of.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Cases that match, on all pages.
    pub total: usize,
    /// Of those, overdue ones.
    pub overdue: usize,
    /// Of those, expedited cases with no reviewer yet.
    pub expedited_unassigned: usize,
    /// The page shown (from 1; past the last page, the last page).
    pub page: usize,
    pub per_page: usize,
}

impl QueuePage {
    /// Index of the first row shown, counted from 1 (0 when there are none).
    pub fn first(&self) -> usize {
        if self.rows.is_empty() {
            0
        } else {
            (self.page - 1) * self.per_page + 1
        }
    }

    pub fn last(&self) -> usize {
        (self.page - 1) * self.per_page + self.rows.len()
    }

    pub fn pages(&self) -> usize {
        self.total.div_ceil(self.per_page).max(1)
    }
}

/// The cases a user may see (as `Principal::may_view` says, for the store to filter on).
fn viewer(who: &Principal) -> Viewer {
    match who.role {
        Role::Administrator | Role::IntakeClerk | Role::Quality => Viewer::All,
        Role::Reviewer => match &who.reviewer_id {
            Some(id) => Viewer::Reviewer(id.clone()),
            None => Viewer::Nothing,
        },
        Role::Party => match &who.case_number {
            Some(number) => Viewer::Case(number.clone()),
            None => Viewer::Nothing,
        },
    }
}

fn row(entry: QueueEntry, at: jiff::civil::DateTime) -> QueueRow {
    QueueRow {
        summary: cases::summary(&entry, at),
        status: entry.status,
        expedited: entry.priority == Priority::Expedited,
        unassigned: entry.unassigned(),
        worker: entry.worker,
        claim_number: entry.claim_number,
    }
}

/// The page of the queue asked for: the cases `who` may see that match, by due date.
pub async fn queue_page(
    state: &AppState,
    who: &Principal,
    query: &QueueQuery,
) -> ApiResult<QueuePage> {
    let at = now();
    let per_page = query.per_page();
    let found = state
        .store
        .queue(&imr_store::queue::QueueQuery {
            viewer: viewer(who),
            status: query.status,
            reviewer: query.reviewer.clone().filter(|r| !r.is_empty()),
            words: query.words(),
            now: at,
            page: query.page(),
            per_page,
        })
        .await?;
    Ok(QueuePage {
        rows: found.entries.into_iter().map(|e| row(e, at)).collect(),
        total: found.total,
        overdue: found.overdue,
        expedited_unassigned: found.expedited_unassigned,
        page: found.page,
        per_page,
    })
}

/// A count as people read it: 3,008.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3008), "3,008");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn the_query_reads_empty_values_as_any_and_keeps_filters_in_the_url() {
        let q: QueueQuery = serde_urlencoded_like("q=Doe+CM26&status=&reviewer=&page=3&per_page=");
        assert_eq!(q.status, None);
        assert_eq!(q.page(), 3);
        assert_eq!(q.per_page(), PER_PAGE);
        assert_eq!(q.to_url("/queue", 4), "/queue?q=Doe+CM26&page=4");
        let q: QueueQuery = serde_urlencoded_like("status=records_complete&per_page=9999");
        assert_eq!(q.status, Some(Status::RecordsComplete));
        assert_eq!(q.per_page(), MAX_PER_PAGE);
        assert_eq!(
            q.to_url("/queue", 1),
            "/queue?status=records_complete&per_page=200"
        );
    }

    #[test]
    fn an_unknown_status_is_refused() {
        let q: Result<axum::extract::Query<QueueQuery>, _> =
            axum::extract::Query::try_from_uri(&"/queue?status=done".parse().expect("uri"));
        assert!(q.is_err());
    }

    fn serde_urlencoded_like(text: &str) -> QueueQuery {
        let uri: axum::http::Uri = format!("/queue?{text}").parse().expect("uri");
        axum::extract::Query::<QueueQuery>::try_from_uri(&uri)
            .expect("query")
            .0
    }
}
