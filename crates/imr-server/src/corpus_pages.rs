//! The workbench's corpus pages: search of the published decisions, outcome statistics with
//! bar charts (SVG written here, no script), a page per published decision (the whole letter,
//! read from the archive; every hit and precedent links to it), and the precedents panel of the
//! case page.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use imr_core::Determination;
use imr_corpus::{ItemPrecedents, OutcomeRow, SearchHit};
use imr_reading::request::Service;
use maud::{Markup, PreEscaped, html};

use crate::auth::WebUser;
use crate::corpus::{self, SearchParams};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error_page::WebResult;
use crate::web::layout::{date, page};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/corpus/search", get(search_page))
        .route("/corpus/stats", get(stats_page))
        .route("/corpus/decisions/{letter_id}", get(decision_page))
}

/// The corpus is missing or the request is bad: said on the page, not as an error page, so
/// the form stays usable.
fn notice(e: &ApiError) -> Markup {
    html! { div.notice.error role="alert" { (e.message) } }
}

async fn search_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Query(params): Query<SearchParams>,
) -> WebResult<Html<String>> {
    let asked = [
        &params.q,
        &params.decision,
        &params.service,
        &params.guideline,
        &params.specialty,
        &params.region,
        &params.from,
        &params.to,
    ]
    .iter()
    .any(|v| v.as_deref().is_some_and(|v| !v.trim().is_empty()));
    let outcome = if asked {
        Some(corpus::search(&state, &params).await)
    } else {
        state.corpus.get().err().map(Err)
    };
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    let decision = value(&params.decision).to_ascii_lowercase();
    let service = value(&params.service);
    Ok(page(
        "Search published decisions",
        Some(&who),
        html! {
            h1 { "Published decisions" }
            form.card.search method="get" action="/corpus/search" {
                label for="q" { "Words" }
                input #q type="search" name="q" value=(value(&params.q)) placeholder="e.g. acupuncture functional improvement";
                div.grid3 {
                    div {
                        label for="decision" { "Decision" }
                        select #decision name="decision" {
                            option value="" { "any" }
                            option value="upheld" selected[decision == "upheld"] { "upheld" }
                            option value="overturned" selected[decision == "overturned"] { "overturned" }
                        }
                    }
                    div {
                        label for="service" { "Service category" }
                        select #service name="service" {
                            option value="" { "any" }
                            @for s in Service::ALL {
                                option value=(s.as_str()) selected[service == s.as_str()] { (s.as_str().replace('_', " ")) }
                            }
                        }
                    }
                    div {
                        label for="region" { "Body region" }
                        input #region type="text" name="region" value=(value(&params.region)) placeholder="e.g. knee, lumbar_spine";
                    }
                    div {
                        label for="guideline" { "Guideline cited" }
                        input #guideline type="text" name="guideline" value=(value(&params.guideline)) placeholder="e.g. chronic pain";
                    }
                    div {
                        label for="specialty" { "Reviewer specialty" }
                        input #specialty type="text" name="specialty" value=(value(&params.specialty)) placeholder="e.g. orthopedic surgery";
                    }
                    div {
                        label { "Decided between" }
                        div.dates {
                            input type="date" name="from" value=(value(&params.from)) aria-label="from";
                            input type="date" name="to" value=(value(&params.to)) aria-label="to";
                        }
                    }
                }
                p { button.primary type="submit" { "Search" } " " a href="/corpus/stats" { "Outcome statistics" } }
            }
            @match &outcome {
                None => p.muted { "Enter words or choose filters." },
                Some(Err(e)) => (notice(e)),
                Some(Ok(results)) => {
                    @let first = query_offset(&params) + 1;
                    @let last = first + results.hits.len() - 1;
                    p.muted { (results.total) " matching item(s)"
                        @if results.total > results.hits.len() && !results.hits.is_empty() {
                            ", " (first) "–" (last) " shown, best first"
                        } }
                    @for hit in &results.hits { (hit_card(hit)) }
                    (pager(&params, results.total, results.hits.len()))
                }
            }
        },
    ))
}

/// Where this page's results start (the parameters were already checked by the search).
fn query_offset(params: &SearchParams) -> usize {
    params.query().map(|q| q.offset).unwrap_or(0)
}

/// Links to the previous and next pages of a search, with every other parameter kept.
fn pager(params: &SearchParams, total: usize, shown: usize) -> Markup {
    let Ok(query) = params.query() else {
        return html! {};
    };
    let link = |offset: usize| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        let fields = [
            ("q", &params.q),
            ("decision", &params.decision),
            ("service", &params.service),
            ("guideline", &params.guideline),
            ("specialty", &params.specialty),
            ("region", &params.region),
            ("from", &params.from),
            ("to", &params.to),
            ("limit", &params.limit),
        ];
        for (name, value) in fields {
            if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                url.append_pair(name, v);
            }
        }
        if offset > 0 {
            url.append_pair("offset", &offset.to_string());
        }
        format!("/corpus/search?{}", url.finish())
    };
    let previous = (query.offset > 0).then(|| link(query.offset.saturating_sub(query.limit)));
    let next_offset = query.offset + shown;
    let next = (shown > 0 && next_offset < total && next_offset <= corpus::MAX_OFFSET)
        .then(|| link(next_offset));
    html! {
        @if previous.is_some() || next.is_some() {
            nav.pager aria-label="Result pages" {
                @if let Some(href) = previous { a rel="prev" href=(href) { "← Previous " (query.limit) } }
                " "
                @if let Some(href) = next { a rel="next" href=(href) { "Next " (query.limit) " →" } }
            }
        }
    }
}

/// A snippet with its matched words in `<mark>`; the text is escaped by maud.
fn snippet(s: &imr_corpus::Snippet) -> Markup {
    html! {
        @for (text, matched) in s.pieces() {
            @if matched { mark { (text) } } @else { (text) }
        }
    }
}

fn decision_badge(d: Option<imr_core::Decision>) -> Markup {
    match d {
        Some(d) => html! { span class={ "badge " (d.as_str()) } { (d.as_str()) } },
        None => html! { span.badge { "undecided" } },
    }
}

fn hit_card(hit: &SearchHit) -> Markup {
    html! {
        section.card.hit {
            h3 {
                (decision_link(&hit.case_number, hit.item_index))
                " " (decision_badge(hit.decision))
            }
            p.muted {
                (hit.service.replace('_', " "))
                @if let Some(d) = hit.decision_date { " · decided " (date(d)) }
                @if !hit.specialties.is_empty() { " · " (hit.specialties.join(", ")) }
            }
            p { strong { "Request: " }
                @match &hit.request_snippet {
                    Some(s) => (snippet(s)),
                    None => (hit.request),
                }
            }
            @if let Some(g) = &hit.guideline_line { p { span.muted { "Guideline: " } (g) } }
            @if let Some(s) = &hit.snippet {
                p.snippet { span.muted { (s.field) ": " } "…" (snippet(s)) "…" }
            }
        }
    }
}

async fn stats_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
) -> WebResult<Html<String>> {
    let outcome = corpus::stats(&state).await;
    Ok(page(
        "Outcome statistics",
        Some(&who),
        html! {
            h1 { "Outcome statistics of the published decisions" }
            @match &outcome {
                Err(e) => (notice(e)),
                Ok(stats) => {
                    p {
                        (stats.items) " decided item(s): " (stats.upheld) " upheld, "
                        (stats.overturned) " overturned ("
                        (format!("{:.1}", percent(stats.overturned, stats.items))) "% overturned). "
                        a href="/corpus/search" { "Search them" }
                    }
                    p.legend.muted {
                        (PreEscaped(legend_svg())) " bars: share overturned (green) and upheld (red); the number is the item count"
                    }
                    @for (title, rows) in [
                        ("By service category", &stats.by_service),
                        ("By guideline cited", &stats.by_guideline),
                        ("By reviewer specialty", &stats.by_specialty),
                    ] {
                        section.card {
                            h2 { (title) }
                            (PreEscaped(bar_chart(title, &top_rows(rows, 20))))
                        }
                    }
                    section.card {
                        h2 { "By month decided" }
                        (PreEscaped(bar_chart("By month decided", &stats.by_month)))
                    }
                }
            }
        },
    ))
}

fn percent(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// The `n` largest groups, largest first (a chart of hundreds of guidelines reads as none).
fn top_rows(rows: &[OutcomeRow], n: usize) -> Vec<OutcomeRow> {
    let mut rows = rows.to_vec();
    rows.sort_by(|a, b| b.items.cmp(&a.items).then_with(|| a.key.cmp(&b.key)));
    rows.truncate(n);
    rows
}

const OVERTURNED_FILL: &str = "#2e7d32";
const UPHELD_FILL: &str = "#c62828";

fn legend_svg() -> String {
    format!(
        r#"<svg width="40" height="12" role="img" aria-label="legend"><rect width="20" height="12" fill="{OVERTURNED_FILL}"/><rect x="20" width="20" height="12" fill="{UPHELD_FILL}"/></svg>"#
    )
}

/// A horizontal stacked bar chart: one row per group, the bar split into overturned and
/// upheld shares, the label and counts beside it. Every text is escaped.
pub fn bar_chart(title: &str, rows: &[OutcomeRow]) -> String {
    use std::fmt::Write as _;
    const LABEL: f64 = 260.0;
    const BAR: f64 = 360.0;
    const ROW: f64 = 22.0;
    let width = LABEL + BAR + 150.0;
    let height = ROW * rows.len().max(1) as f64 + 4.0;
    let esc = imr_letter::html::escape;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}" font-family="sans-serif" font-size="12">"#,
        esc(title)
    );
    if rows.is_empty() {
        let _ = write!(svg, r#"<text x="0" y="16">no decided items</text>"#);
    }
    for (i, r) in rows.iter().enumerate() {
        let y = ROW * i as f64 + 2.0;
        let over = if r.items == 0 {
            0.0
        } else {
            BAR * r.overturned as f64 / r.items as f64
        };
        let label: String = if r.key.chars().count() > 40 {
            r.key.chars().take(39).chain(['…']).collect()
        } else {
            r.key.clone()
        };
        let _ = write!(
            svg,
            r#"<g><title>{key}: {items} item(s), {up} upheld, {ov} overturned</title><text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{LABEL}" y="{y}" width="{over:.1}" height="{h}" fill="{OVERTURNED_FILL}"/><rect x="{ux:.1}" y="{y}" width="{uw:.1}" height="{h}" fill="{UPHELD_FILL}"/><text x="{nx}" y="{ty}">{items} · {rate:.0}% overturned</text></g>"#,
            key = esc(&r.key),
            items = r.items,
            up = r.upheld,
            ov = r.overturned,
            lx = LABEL - 6.0,
            ty = y + 14.0,
            label = esc(&label.replace('_', " ")),
            ux = LABEL + over,
            uw = BAR - over,
            h = ROW - 6.0,
            nx = LABEL + BAR + 6.0,
            rate = 100.0 * r.overturned_rate,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The precedents of one disputed item, for the case page.
pub fn precedents_panel(found: Option<&ItemPrecedents>) -> Markup {
    let Some(found) = found else {
        return html! {};
    };
    html! {
        details.precedents open {
            summary {
                "Published precedents (" (found.precedents.len()) ")"
                @if let Some(m) = found.majority { " · most were " (m.as_str()) }
            }
            @if found.precedents.is_empty() { p.muted { "No similar published decision." } }
            ul {
                @for p in &found.precedents {
                    li {
                        strong { (decision_link(&p.case_number, p.item_index)) } " "
                        (decision_badge(p.decision))
                        @if let Some(d) = p.decision_date { " " span.muted { (d) } }
                        @if !p.same_service { " " span.muted { "(another category: " (p.service.replace('_', " ")) ")" } }
                        div { (p.request) }
                        @if let Some(g) = &p.guideline_line { div.muted { "Guideline: " (g) } }
                        @if let Some(r) = &p.rationale { div.snippet { (snippet(r)) "…" } }
                    }
                }
            }
        }
    }
}

/// A link to a published decision's item, named by its case number (or, for a letter without
/// one, by what it is).
fn decision_link(letter_id: &str, item_index: u32) -> Markup {
    html! {
        a href=(corpus::decision_href(letter_id, Some(item_index))) {
            (corpus::letter_label(letter_id)) " · item " (item_index + 1)
        }
    }
}

async fn decision_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(letter_id): Path<String>,
) -> WebResult<Html<String>> {
    let decision = corpus::decision(&state, &letter_id).await?;
    let title = match &decision.case_number {
        Some(n) => format!("Published decision {n}"),
        None => "Published decision without a case number".to_string(),
    };
    Ok(page(
        &title,
        Some(&who),
        html! {
            p.muted { a href="/corpus/search" { "← Search the published decisions" } }
            h1 {
                @if decision.case_number.is_some() { "Published decision " }
                (decision.label)
            }
            p.muted {
                @if let Some(d) = decision.decision_date { "Decided " (d) " · " }
                (decision.items) " disputed item(s) · as published, read from the archive of published letters"
            }
            (letter_view(&decision.determination))
        },
    ))
}

/// The letter's items as cards; the item a link points at stands out.
const LETTER_STYLE: &str = "article.card { background: #fff; border: 1px solid #d9dee5; \
     border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1rem; } \
     article.item p { margin: .35rem 0; } \
     article.item:target { outline: 3px solid #23527c; outline-offset: 2px; } \
     table.letter-header { width: auto; } table.letter-header th { padding-right: 1.5rem; }";

/// A determination shown whole, as its letter states it: the header, the reviewer's
/// credentials, the clinical summary, and each item (anchored `item-N`, 1-based) with its
/// decision, both guideline lines and the rationale. Every text is escaped (maud).
pub fn letter_view(d: &Determination) -> Markup {
    let header: Vec<(&str, String)> = [
        ("Case Number", d.case_number.clone()),
        ("Date Assigned", d.date_assigned.map(date)),
        ("Decision Date", d.decision_date.map(date)),
        ("Priority", d.priority.map(|p| p.as_str().to_string())),
        ("Date of Injury", d.date_of_injury.map(date)),
        ("UR Denial Date", d.ur_denial_date.map(date)),
        ("Application Received", d.application_received.map(date)),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|v| (label, v)))
    .collect();
    let list = |v: &[String]| {
        if v.is_empty() {
            "not stated".to_string()
        } else {
            v.join(", ")
        }
    };
    html! {
        style { (PreEscaped(LETTER_STYLE)) }
        section.card aria-labelledby="letter-header" {
            h2 #letter-header { "Header" }
            @if header.is_empty() { p.muted { "The letter states no header fields." } }
            @else {
                table.letter-header {
                    tbody { @for (label, value) in &header { tr { th scope="row" { (label) } td { (value) } } } }
                }
            }
        }
        section.card aria-labelledby="letter-reviewer" {
            h2 #letter-reviewer { "The expert reviewer" }
            dl.facts {
                dt { "Board certification(s)" } dd { (list(&d.reviewer.specialties)) }
                dt { "Subspecialties" } dd { (list(&d.reviewer.subspecialties)) }
                dt { "State(s) of licensure" } dd { (list(&d.reviewer.licensure)) }
            }
        }
        section.card aria-labelledby="letter-summary" {
            h2 #letter-summary { "Clinical case summary" }
            @match d.clinical_summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(summary) => { @for para in paragraphs(summary) { p { (para) } } },
                None => p.muted { "The letter has no clinical case summary." },
            }
        }
        section aria-labelledby="letter-items" {
            h2 #letter-items { "Disputed items, decisions and rationales" }
            @for (i, item) in d.items.iter().enumerate() {
                article.card.item id={ "item-" (i + 1) } aria-labelledby={ "item-" (i + 1) "-heading" } {
                    h3 id={ "item-" (i + 1) "-heading" } {
                        "Item " (i + 1) ": " (item.request) " " (decision_badge(item.decision))
                    }
                    @if let Some(original) = &item.original_request {
                        p { span.muted { "Original request: " } (original) }
                    }
                    @if let Some(authorized) = &item.authorized {
                        p { span.muted { "Authorized by the claims administrator: " } (authorized) }
                    }
                    p { span.muted { "Claims Administrator guideline: " }
                        (item.claims_administrator_guideline.as_deref().unwrap_or("not stated")) }
                    p { span.muted { "IMR organization guideline: " }
                        (item.imro_guideline.as_deref().unwrap_or("not stated")) }
                    @match item.rationale.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                        Some(rationale) => {
                            p { span.muted { "Decision rationale:" } }
                            @for para in paragraphs(rationale) { p { (para) } }
                        },
                        None => p.muted { "The letter states no rationale for this item." },
                    }
                }
            }
        }
    }
}

/// The paragraphs of a text: split at blank lines, each on one line.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
}
