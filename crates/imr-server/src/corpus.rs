//! The published decisions in the server: search, outcome statistics and a case's precedents,
//! read from the search index of the store's published letters (`imr serve --corpus DIR`, which
//! brings it up to date at start). The server only
//! reads the index; when there is none, these routes answer 503 with how to build it.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use imr_core::Decision;
use imr_corpus::{CorpusIndex, Filters, ItemPrecedents, OutcomeStats, SearchQuery, SearchResults};
use imr_reading::request::{BodyRegion, Service};
use jiff::civil::Date;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use utoipa::IntoParams;

use imr_store::published::{PublishedRecord, PublishedStore};

use crate::auth::{ApiUser, Principal};
use crate::cases;
pub use crate::corpus_index::CorpusState;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The most results one search returns.
pub const MAX_LIMIT: usize = 100;
/// The deepest page: results past it are better found with more words or filters.
pub const MAX_OFFSET: usize = 10_000;
/// Precedents shown per disputed item.
pub const PRECEDENTS_PER_ITEM: usize = 5;

/// A search's words and filters as the URL gives them. Every field is optional.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to find in summaries, requests and rationales, all of them; "double quotes" keep a
    /// phrase together. Nothing else is syntax: `MRI: lumbar`, `O'Brien` and `10/325` are words.
    pub q: Option<String>,
    /// upheld or overturned.
    pub decision: Option<String>,
    /// A service category, e.g. acupuncture, mri, physical_therapy, opioid.
    pub service: Option<String>,
    /// Words of a cited guideline's name, e.g. "chronic pain".
    pub guideline: Option<String>,
    /// Words of a reviewer specialty, e.g. "orthopedic surgery".
    pub specialty: Option<String>,
    /// A body region, e.g. knee, lumbar_spine, shoulder.
    pub region: Option<String>,
    /// Decided on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Decided on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// Results to return (1 to 100, default 20).
    pub limit: Option<String>,
    /// Results to skip, for the next page (0 to 10000, default 0).
    pub offset: Option<String>,
}

/// A filled field, trimmed; empty form fields count as absent.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl SearchParams {
    /// The search these parameters ask for, or a 400 that names the parameter and what is
    /// wrong with it.
    pub fn query(&self) -> ApiResult<SearchQuery> {
        let bad = |name: &str, message: String| ApiError::bad_request(format!("{name}: {message}"));
        let decision = given(&self.decision)
            .map(|s| {
                Decision::parse(s).ok_or_else(|| {
                    bad(
                        "decision",
                        format!("\"{s}\" is not a decision; use upheld or overturned"),
                    )
                })
            })
            .transpose()?;
        let service = given(&self.service)
            .map(|s| {
                let name = s.to_ascii_lowercase().replace([' ', '-'], "_");
                Service::from_name(&name).ok_or_else(|| {
                    bad(
                        "service",
                        format!("\"{s}\" is not a service category (e.g. acupuncture, mri, physical_therapy)"),
                    )
                })
            })
            .transpose()?;
        let region = given(&self.region)
            .map(|s| {
                let name = s.to_ascii_lowercase().replace([' ', '-'], "_");
                serde_json::from_value::<BodyRegion>(serde_json::Value::String(name)).map_err(
                    |_| {
                        bad(
                            "region",
                            format!(
                                "\"{s}\" is not a body region (e.g. knee, lumbar_spine, shoulder)"
                            ),
                        )
                    },
                )
            })
            .transpose()?;
        let date = |name: &str, value: &Option<String>| -> ApiResult<Option<Date>> {
            given(value)
                .map(|s| {
                    s.parse::<Date>().map_err(|_| {
                        bad(
                            name,
                            format!("\"{s}\" is not a date; write it as YYYY-MM-DD"),
                        )
                    })
                })
                .transpose()
        };
        let from = date("from", &self.from)?;
        let to = date("to", &self.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(bad("to", format!("{t} is before from ({f})")));
        }
        let limit = match given(&self.limit) {
            None => 20,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "limit",
                        format!("\"{s}\" is not a number from 1 to {MAX_LIMIT}"),
                    ));
                }
            },
        };
        let offset = match given(&self.offset) {
            None => 0,
            Some(s) => match s.parse::<usize>() {
                Ok(n) if n <= MAX_OFFSET => n,
                _ => {
                    return Err(bad(
                        "offset",
                        format!("\"{s}\" is not a number from 0 to {MAX_OFFSET}"),
                    ));
                }
            },
        };
        let mut query = SearchQuery::new(self.q.clone().unwrap_or_default());
        query.filters = Filters {
            decision,
            service,
            guideline: given(&self.guideline).map(str::to_string),
            specialty: given(&self.specialty).map(str::to_string),
            region,
            from,
            to,
        };
        query.limit = limit;
        query.offset = offset;
        Ok(query)
    }
}

/// Opens the store's archive of published letters (the same database as the cases), for the
/// decisions' pages. A store that cannot be opened leaves those pages answering 503; the rest of
/// the server runs on.
pub async fn open_archive(database_url: &str) -> Option<Arc<dyn PublishedStore>> {
    match imr_store::published::open_published(database_url, Default::default()).await {
        Ok(store) => Some(store),
        Err(e) => {
            tracing::error!(error = %e, "the published archive cannot be opened");
            None
        }
    }
}

/// How a published letter is named to people: its case number, or for a letter published
/// without one, that and its content id (which alone means nothing to a reader).
pub fn letter_label(letter_id: &str) -> String {
    if letter_id.starts_with("sha256-") {
        format!("Letter without a case number (id {letter_id})")
    } else {
        letter_id.to_string()
    }
}

/// The path of a published decision's page, its item anchored when given (0-based index).
pub fn decision_href(letter_id: &str, item_index: Option<u32>) -> String {
    let mut href = format!(
        "/corpus/decisions/{}",
        utf8_percent_encode(letter_id, NOT_UNRESERVED)
    );
    if let Some(i) = item_index {
        href.push_str(&format!("#item-{}", i + 1));
    }
    href
}

/// The bytes a URL path segment percent-encodes: all but the unreserved ones (RFC 3986:
/// ALPHA / DIGIT / "-" / "." / "_" / "~").
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A published decision, whole, as the archive holds it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct PublishedDecision {
    /// The case number, or `sha256-…` for a letter published without one.
    pub letter_id: String,
    /// How to name it: the case number, or "Letter without a case number (id …)".
    pub label: String,
    pub case_number: Option<String>,
    /// YYYY-MM-DD.
    #[schema(value_type = Option<String>)]
    pub decision_date: Option<Date>,
    pub items: u32,
    /// The letter as read: header dates, reviewer credentials, clinical summary, and every item
    /// with its decision, both guideline lines and the rationale.
    #[schema(value_type = Object)]
    pub determination: imr_core::Determination,
}

impl From<PublishedRecord> for PublishedDecision {
    fn from(record: PublishedRecord) -> PublishedDecision {
        let mut determination = record.determination;
        // Where the archive read it from is the server's business, not the reader's.
        determination.source = None;
        PublishedDecision {
            label: letter_label(&record.letter_id),
            case_number: determination.case_number.clone(),
            letter_id: record.letter_id,
            decision_date: record.decision_date,
            items: record.items,
            determination,
        }
    }
}

/// The published letter with this id (a case number, or `sha256-…`), from the archive; 404
/// naming the id when there is none.
pub async fn decision(state: &AppState, letter_id: &str) -> ApiResult<PublishedDecision> {
    let Some(archive) = state.corpus.archive.clone() else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server cannot read its archive of published letters; see the server log",
        ));
    };
    let too_long = letter_id.len() > 200;
    let record = if too_long {
        None
    } else {
        archive.published(letter_id).await?
    };
    record.map(PublishedDecision::from).ok_or_else(|| {
        let shown: String = letter_id.chars().take(80).collect();
        ApiError::not_found(format!(
            "no published decision {shown:?}: no letter with that case number or id is in the archive (search the published decisions to find one)"
        ))
    })
}

/// Index work is blocking; it runs beside the async workers.
async fn blocking<T: Send + 'static>(
    what: &'static str,
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, what, "corpus task failed");
        ApiError::internal(what)
    })?
}

fn corpus_error(e: imr_corpus::CorpusError) -> ApiError {
    match e {
        imr_corpus::CorpusError::Query { .. } | imr_corpus::CorpusError::Filter { .. } => {
            ApiError::bad_request(e.to_string())
        }
        other => {
            // Index errors name files and fields, never clinical text.
            tracing::error!(error = %other, "corpus index error");
            ApiError::internal("reading the corpus index")
        }
    }
}

/// Runs a search on the corpus.
pub async fn search(state: &AppState, params: &SearchParams) -> ApiResult<SearchResults> {
    let query = params.query()?;
    let index = state.corpus.get()?;
    blocking("searching the corpus", move || {
        index.search(&query).map_err(corpus_error)
    })
    .await
}

/// Outcome rates of every published item.
pub async fn stats(state: &AppState) -> ApiResult<OutcomeStats> {
    let index = state.corpus.get()?;
    blocking("counting outcomes", move || {
        let records = index.records().map_err(corpus_error)?;
        Ok(OutcomeStats::from_records(&records))
    })
    .await
}

/// The precedents of every disputed item of a case the principal may see (the view is
/// audited). The case's clinical text stands for its summary until a signed one exists.
pub async fn precedents(
    state: &AppState,
    who: &Principal,
    number: &str,
) -> ApiResult<Vec<ItemPrecedents>> {
    let case = cases::view_case(state, who, number).await?;
    let index = state.corpus.get()?;
    case_precedents(state, &case, index).await
}

/// [`precedents`] for a case already loaded and audited.
pub async fn case_precedents(
    state: &AppState,
    case: &imr_case::Case,
    index: Arc<CorpusIndex>,
) -> ApiResult<Vec<ItemPrecedents>> {
    let mut determination = case.determination(None);
    if determination.clinical_summary.is_none() {
        // The clinical text the case's analysis already read (kept per version): the
        // documents are not read again for each view.
        let text = cases::current_analysis(state, case).await?.text.clone();
        determination.clinical_summary = (!text.trim().is_empty()).then_some(text);
    }
    blocking("finding precedents", move || {
        index
            .precedents(&determination, PRECEDENTS_PER_ITEM)
            .map_err(corpus_error)
    })
    .await
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/corpus/search", get(get_search))
        .route("/api/corpus/stats", get(get_stats))
        .route("/api/cases/{number}/precedents", get(get_precedents))
        .route("/api/corpus/decisions/{letter_id}", get(get_decision))
}

/// Searches the published decisions: words over summaries, requests and rationales, with
/// filters; each hit has snippets whose matched words are marked. Any logged-in user.
#[utoipa::path(get, path = "/api/corpus/search", params(SearchParams),
    responses((status = 200, description = "hits with snippets (`highlights` are byte ranges of `text`)", body = Object),
              (status = 400, description = "a malformed query or filter, named"), (status = 401),
              (status = 503, description = "the server has no corpus index")),
    security(("bearer" = [])))]
pub(crate) async fn get_search(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    Query(params): Query<SearchParams>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(search(&state, &params).await?))
}

/// Outcome rates of the published decisions by service category, guideline, reviewer
/// specialty and month, with counts. Any logged-in user.
#[utoipa::path(get, path = "/api/corpus/stats",
    responses((status = 200, body = Object), (status = 401), (status = 503, description = "the server has no corpus index")),
    security(("bearer" = [])))]
pub(crate) async fn get_stats(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> ApiResult<Json<OutcomeStats>> {
    Ok(Json(stats(&state).await?))
}

/// For each disputed item of a case, the most similar published decisions with their outcome,
/// guideline and a rationale snippet. A reviewer or party only for their own case; the view is
/// written to the audit log.
#[utoipa::path(get, path = "/api/cases/{number}/precedents", params(("number" = String, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 403, description = "a role that may not see cases"), (status = 404, description = "no such case, or not one you may see"),
              (status = 503, description = "the server has no corpus index")),
    security(("bearer" = [])))]
pub(crate) async fn get_precedents(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    UrlPath(number): UrlPath<String>,
) -> ApiResult<Json<Vec<ItemPrecedents>>> {
    Ok(Json(precedents(&state, &who, &number).await?))
}

/// A published decision whole: the letter's header, the reviewer's credentials, the clinical
/// summary and every item with its decision, both guideline lines and the rationale. The id is
/// a search hit's or precedent's `case_number` (a case number, or `sha256-…` for a letter
/// published without one). Any logged-in user.
#[utoipa::path(get, path = "/api/corpus/decisions/{letter_id}", params(("letter_id" = String, Path)),
    responses((status = 200, body = PublishedDecision), (status = 401),
              (status = 404, description = "no published letter with that id"),
              (status = 503, description = "the server cannot read its archive")),
    security(("bearer" = [])))]
pub(crate) async fn get_decision(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    UrlPath(letter_id): UrlPath<String>,
) -> ApiResult<Json<PublishedDecision>> {
    Ok(Json(decision(&state, &letter_id).await?))
}

#[cfg(test)]
mod tests {
    use super::{decision_href, letter_label};

    #[test]
    fn a_decision_is_linked_by_its_id_and_named_by_its_case_number() {
        assert_eq!(
            decision_href("CM16-0012345", Some(1)),
            "/corpus/decisions/CM16-0012345#item-2"
        );
        assert_eq!(letter_label("CM16-0012345"), "CM16-0012345");
        assert_eq!(
            letter_label("sha256-00ff00ff00ff00ff"),
            "Letter without a case number (id sha256-00ff00ff00ff00ff)"
        );
        // Whatever an id holds stays one path segment.
        assert_eq!(
            decision_href("a/b c#d?\"é", None),
            "/corpus/decisions/a%2Fb%20c%23d%3F%22%C3%A9"
        );
    }
}
