//! The case page: parties, timeline, documents, the clinical text with its facts marked, and
//! each disputed item with the engine's proposal and the reviewer's fields. Every marked span
//! (a fact in the clinical text, an evidence of a proposal or its checklist) links to its
//! document's page, which marks it and scrolls to it.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use imr_case::application::DisputedService;
use imr_case::{Case, Eligibility, NoticeMethod, SignProblem, Status};
use imr_reading::extract::negation::Polarity;
use imr_rules::engine::agreement::{MEASURED_ON, RuleAgreement};
use imr_rules::engine::{CaseFindings, Criterion, CriterionState};
use imr_store::accounts::Role;
use maud::{Markup, html};

use super::WebResult;
use super::layout::{date, page, status_label, when};
use super::sign_form::{SignForm, decision_fields, field_error};
use crate::auth::{Principal, WebUser};
use imr_app::Sources;

use crate::cases;
use crate::state::{AppState, now};

// ---- the case page ------------------------------------------------------------------------

/// A piece of the clinical text: plain, or a fact's span.
enum Piece<'a> {
    Plain(&'a str),
    Fact(&'a str, &'a imr_reading::extract::Fact),
}

/// The clinical text cut at the facts' spans (an overlapping or empty span is skipped: the
/// outer one is already marked).
fn pieces<'a>(text: &'a str, facts: &'a [imr_reading::extract::Fact]) -> Vec<Piece<'a>> {
    let mut facts: Vec<&imr_reading::extract::Fact> = facts.iter().collect();
    facts.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out = Vec::new();
    let mut at = 0;
    for f in facts {
        if f.start < at || f.end <= f.start {
            continue;
        }
        let (Some(before), Some(span)) = (text.get(at..f.start), text.get(f.start..f.end)) else {
            continue;
        };
        out.push(Piece::Plain(before));
        out.push(Piece::Fact(span, f));
        at = f.end;
    }
    out.push(Piece::Plain(text.get(at..).unwrap_or_default()));
    out
}

/// The clinical text with each extracted fact marked, and linked to where it is in its
/// document; negated facts look different. Built as markup, so every character of the text is
/// escaped.
pub(super) fn highlighted(
    text: &str,
    facts: &[imr_reading::extract::Fact],
    sources: &Sources,
) -> Markup {
    html! {
        @for piece in pieces(text, facts) {
            @match piece {
                Piece::Plain(t) => (t),
                Piece::Fact(span, f) => {
                    @let class = match f.polarity {
                        Polarity::Negated => "fact negated",
                        Polarity::Affirmed => "fact",
                        _ => "fact uncertain",
                    };
                    @let title = format!("{}: {} ({:?})", f.kind.as_str(), f.value, f.polarity).to_lowercase();
                    @match cases::span_source(sources, f.start, f.end) {
                        Some(at) => a.evidence href=(at.link) title={ (title) " — " (place(&at)) } { mark class=(class) { (span) } },
                        None => mark class=(class) title=(title) { (span) },
                    }
                }
            }
        }
    }
}

/// Where a span is, in words: "document 3, page 2, line 14".
fn place(at: &cases::SpanSource) -> String {
    match at.page {
        Some(page) => format!("document {}, page {page}, line {}", at.document_id, at.line),
        None => format!("document {}, line {}", at.document_id, at.line),
    }
}

/// One evidence span, marked, linked to its place in its document when it has one.
fn evidence(e: &imr_rules::engine::Evidence, sources: &Sources) -> Markup {
    let class = if e.polarity == imr_rules::engine::Polarity::Negated {
        "fact negated"
    } else {
        "fact"
    };
    let at = e
        .start
        .zip(e.end)
        .and_then(|(s, end)| cases::span_source(sources, s, end));
    html! {
        @match at {
            Some(at) => a.evidence href=(at.link) title={ "Open in " (place(&at)) } { mark class=(class) { (e.text) } },
            None => mark class=(class) { (e.text) },
        }
        " "
    }
}

pub(super) fn eligibility_block(case: &Case) -> Markup {
    html! {
        @match &case.eligibility {
            Eligibility::Eligible => span.badge.ok { "eligible" },
            Eligibility::Ineligible { reasons } => {
                span.badge.bad { "ineligible" }
                ul { @for r in reasons { li { (r.to_string()) } } }
            }
        }
    }
}

pub(super) fn timeline(case: &Case) -> Markup {
    let at = now();
    let clock = |due: jiff::civil::DateTime| {
        let days = imr_case::deadlines::calendar_days(at, due);
        html! {
            @if due < at { span.badge.overdue { "overdue since " (when(due)) } }
            @else { "due " (when(due)) " (" (days) " day(s) left)" }
        }
    };
    html! {
        ul.timeline {
            li { "Application received " (when(case.received_at)) " — " (eligibility_block(case)) }
            @if let Some(a) = &case.assignment {
                li { "Assigned to " strong { (a.reviewer_id) } " " (when(a.notice_at)) " (notice sent " (match a.notice { NoticeMethod::Mail => "by mail", NoticeMethod::Electronic => "electronically" }) ")" }
                @match case.records_complete_at {
                    Some(done) => li { "Records complete " (when(done)) },
                    None => li.pending { strong { "Records clock: " } (clock(a.records_due)) },
                }
            } @else if case.eligibility.is_eligible() {
                li.pending { "Awaiting assignment" }
            }
            @if let Some(due) = case.determination_due {
                @match &case.determination {
                    Some(d) => li { "Determination signed " (when(d.signed_at)) " (due " (when(due)) ")" },
                    None => li.pending { strong { "Determination clock: " } (clock(due)) },
                }
            }
            @if let Some(issued) = case.letter_issued_at { li { "Letter issued " (when(issued)) } }
        }
    }
}

/// The application's parties; `contact`: with the worker's address, phone and date of birth
/// (for the staff who took them in; the redaction removes them from the public copy).
pub(super) fn parties(case: &Case, contact: bool) -> Markup {
    let app = &case.application;
    html! {
        dl.facts {
            dt { "Injured worker" } dd { (app.worker) }
            @if contact {
                @if let Some(a) = &app.worker_address { dt { "Worker's address" } dd { (a) } }
                @if let Some(p) = &app.worker_phone { dt { "Worker's phone" } dd { (p) } }
                @if let Some(b) = app.worker_date_of_birth { dt { "Worker's date of birth" } dd { (date(b)) } }
            }
            @if let Some(r) = &app.representative { dt { "Representative" } dd { (r) } }
            dt { "Employer" } dd { (app.employer) }
            dt { "Claims administrator" } dd { (app.claims_administrator) }
            @if let Some(i) = &app.insurer { dt { "Insurer" } dd { (i) } }
            dt { "Requesting provider" } dd {
                (app.requesting_provider.name)
                @if let Some(s) = &app.requesting_provider.specialty { ", " (s) }
                @if let Some(g) = &app.requesting_provider.group { " (" (g) ")" }
            }
            @for p in &app.other_providers { dt { "Other provider" } dd { (p) } }
            dt { "Claim number" } dd { (app.claim_number) }
            dt { "Date of injury" } dd { (date(app.date_of_injury)) }
            dt { "Condition" } dd { (app.condition) }
            dt { "UR decision" } dd { (date(app.ur_decision.date)) }
            dt { "Filed" } dd { (date(app.filed)) " · " (app.priority.as_str()) " review" }
        }
    }
}

/// How often the deciding rule agreed with the published decisions of the dev letters, naming
/// those letters.
fn agreement(measured: Option<RuleAgreement>) -> String {
    match measured {
        None => format!(
            "(agreement with published decisions not measured: the rule decided no item of {MEASURED_ON})"
        ),
        Some(a) => {
            let share = a.share().map_or(String::new(), |p| {
                format!("; {:.0} % of its items", p * 100.0)
            });
            format!("({}{share})", a.describe())
        }
    }
}

/// Every criterion of the guideline section, with its state in this record, its value and
/// the spans it rests on; the ones the deciding rule tested are marked.
fn checklist(criteria: &[Criterion], sources: &Sources) -> Markup {
    html! {
        @if !criteria.is_empty() {
            div.scroll {
                table.checklist {
                    caption { "Criteria of the guideline section (" span.decisive-mark { "★" } " = tested by the rule that decided)" }
                    thead { tr { th { "Criterion" } th { "In the record" } th { "Value" } th { "Evidence" } } }
                    tbody {
                        @for c in criteria {
                            @let (class, state) = match c.state {
                                CriterionState::Met => ("met", "met"),
                                CriterionState::NotMet => ("not-met", "not met"),
                                CriterionState::NotDocumented => ("undocumented", "not documented"),
                            };
                            tr.decisive[c.decisive] {
                                td {
                                    @if c.decisive { span.decisive-mark title="tested by the rule that decided" { "★ " } }
                                    (c.label)
                                    @if let Some(r) = &c.required { div.muted { "rule: " (r) } }
                                }
                                td { span class={ "badge state " (class) } { (state) } }
                                td { (c.value.as_deref().map_or("—".to_string(), |v| v.replace('_', " "))) }
                                td { @for e in &c.evidence { (evidence(e, sources)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The summary's sentences that report the utilization review's reasons: shown apart, as
/// what UR said, never as clinical findings.
fn ur_reasoning(findings: &CaseFindings) -> Markup {
    html! {
        @if !findings.ur_reasoning.is_empty() {
            section.card.ur-reasoning {
                h2 { "UR's reasoning" }
                p.muted { "What the record reports of the utilization review's reasons. These sentences are not read as clinical findings." }
                ul { @for s in &findings.ur_reasoning { li { q { (s.text) } } } }
            }
        }
    }
}

pub(super) fn item_block(
    case: &Case,
    index: usize,
    item: &DisputedService,
    findings: Option<&CaseFindings>,
    sources: &Sources,
    form: Option<&SignForm<'_>>,
) -> Markup {
    let finding = findings.and_then(|f| f.items.get(index));
    let signed = case
        .determination
        .as_ref()
        .and_then(|d| d.decisions.get(index));
    html! {
        section.card.item {
            h3 { "Item " (index + 1) ": " (item.request) }
            p.muted {
                "UR " (format!("{:?}", item.ur_outcome).to_lowercase())
                @if let Some(a) = &item.authorized { "; authorized: " (a) }
            }
            @if let Some(f) = finding {
                div.proposal {
                    strong { "Engine's proposal: " }
                    @match f.decision {
                        Some(d) => span class={ "badge " (d.as_str()) } { (d.as_str()) },
                        None => span.badge { "needs physician review" },
                    }
                    @if let Some(c) = &f.citation { div { span.muted { "Guideline: " } (c) } }
                    // The rule's id is for whoever maintains the rules: in a detail, not the text.
                    @if let Some(rule) = &f.rule {
                        details.rule {
                            summary.muted { "Rule and its measured agreement" }
                            code { (rule) } " " span.muted.agreement { (agreement(f.agreement)) }
                        }
                    }
                    p { (f.rationale) }
                    @if !f.evidence.is_empty() {
                        div { span.muted { "Evidence: " }
                            @for e in &f.evidence { (evidence(e, sources)) }
                        }
                    }
                    (checklist(&f.criteria, sources))
                    @if !f.missing.is_empty() {
                        div { span.muted { "Missing documentation:" } ul { @for m in &f.missing { li { (m) } } } }
                    }
                }
            }
            @if let Some(s) = signed {
                p { strong { "Signed decision: " } span class={ "badge " (s.decision.as_str()) } { (s.decision.as_str()) } }
                @if let Some(g) = &s.guideline { p { span.muted { "Guideline: " } (g) } }
                p { (s.rationale) }
            } @else if let Some(form) = form {
                (decision_fields(index, finding, form))
            }
        }
    }
}

/// The case page's query: `?error=<code>` after a refused action.
#[derive(serde::Deserialize)]
pub(super) struct CaseQuery {
    error: Option<String>,
}

pub(super) async fn case_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Query(q): Query<CaseQuery>,
) -> WebResult<Response> {
    // A link carries an error code only; its text comes from the fixed table, never the link.
    let notice = q.error.as_deref().and_then(crate::error::code_message);
    let form = SignForm {
        notice: notice.map(str::to_string),
        ..SignForm::default()
    };
    render_case(&state, &who, &number, &form, StatusCode::OK).await
}

/// The case page; `form` is the sign form as the reviewer left it (empty on a first view).
pub(super) async fn render_case(
    state: &AppState,
    who: &Principal,
    number: &str,
    form: &SignForm<'_>,
    status: StatusCode,
) -> WebResult<Response> {
    let read = cases::view_case_versioned(state, who, number).await?;
    let case = read.value;
    let documents = state.store.documents(&case.number).await?;
    let analysis = cases::analysis(state, &case, read.version).await?;
    let text = &analysis.text;
    let staff = matches!(who.role, Role::Administrator | Role::IntakeClerk);
    let is_assignee =
        who.role == Role::Reviewer && case.reviewer_id() == who.reviewer_id.as_deref();
    let findings =
        (is_assignee || who.role == Role::Administrator).then(|| analysis.findings.clone());
    let can_sign =
        is_assignee && case.status == Status::RecordsComplete && case.determination.is_none();
    let awaiting_records =
        is_assignee && case.status == Status::Assigned && case.determination.is_none();
    // Opened anew, the sign form is filled from the reviewer's draft, if they have one.
    let draft = match form.values {
        None if can_sign => super::draft::restored(state, who, &case).await,
        _ => None,
    };
    let with_draft;
    let form = match &draft {
        Some(d) => {
            with_draft = SignForm {
                values: Some(&d.fields),
                problems: form.problems,
                notice: form.notice.clone(),
                restored_at: Some(d.saved_at),
            };
            &with_draft
        }
        None => form,
    };
    let open = case.eligibility.is_eligible()
        && !matches!(case.status, Status::Determined | Status::LetterIssued);
    // Problems that belong to no field (records not complete) are shown at the top.
    let general: Vec<&str> = form
        .problems
        .iter()
        .filter(|p| p.field().is_none())
        .map(SignProblem::message)
        .collect();
    let field_problems = form.problems.len() - general.len();
    // Precedents help those who decide or prepare the case; a party sees the case only.
    let precedents = match state.corpus.get() {
        Ok(index) if who.role != Role::Party => crate::corpus::case_precedents(state, &case, index)
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(status = %e.status, "precedents not shown");
                Vec::new()
            }),
        _ => Vec::new(),
    };
    let body = page(
        &format!("Case {}", case.number),
        Some(who),
        html! {
            h1 { "Case " (case.number) " " span.badge { (status_label(case.status)) } }
            @if let Some(e) = &form.notice { div.notice.error role="alert" { (e) } }
            @for e in &general { div.notice.error role="alert" { (e) } }
            @if field_problems > 0 {
                div.notice.error role="alert" {
                    "The determination has " (field_problems) " problem(s), marked below at their fields. Nothing was signed."
                    ul { @for p in form.problems.iter().filter(|p| p.field().is_some()) { li { (p.message()) } } }
                }
            }
            div.grid2 {
                section.card { h2 { "Parties" } (parties(&case, staff)) }
                section.card {
                    h2 { "Timeline" }
                    (timeline(&case))
                    @if staff && case.eligibility.is_eligible() && case.assignment.is_none() {
                        p { a.button href={ "/cases/" (case.number) "/assign" } { "Assign a reviewer" } }
                    }
                }
            }
            section.card #documents {
                h2 { "Documents" }
                @if documents.is_empty() { p.muted { "No documents yet." } }
                @else {
                    div.scroll { table.documents {
                        thead { tr { th { "Kind" } th { "File" } th { "Received" } th { "Size" } th { "SHA-256" } } }
                        tbody { @for d in &documents { tr {
                            td { (d.kind) }
                            td data-label="File" {
                                @let name = crate::download::download_name(d.id, d.filename.as_deref(), &d.media_type);
                                a href={ "/documents/" (d.id) "/view" } { (name) }
                                " · " a href={ "/documents/" (d.id) } download=(name) aria-label={ "Download " (name) } { "download" }
                                @if let Some(u) = analysis.unreadable.iter().find(|u| u.document_id == d.id) {
                                    div.notice.error { "Could not be read: " (u.reason) ". Its text is not in the clinical summary or the proposal." }
                                }
                            }
                            td data-label="Received" { (when(d.received_at)) }
                            td data-label="Size" { (crate::download::human_size(d.size)) }
                            td data-label="SHA-256" { code title=(d.sha256) { (d.sha256.get(..12).unwrap_or(&d.sha256)) "…" } }
                        } } }
                    } }
                }
                @if staff && open {
                    h3 { "Upload records or the UR decision" }
                    (super::documents::upload_form(case.number.as_str(), who))
                    h3 { "Or paste records as text" }
                    form.stack method="post" action={ "/cases/" (case.number) "/records" } {
                        input type="hidden" name="csrf" value=(who.csrf_token);
                        label for="kind" { "Kind" }
                        input #kind type="text" name="kind" value="medical records";
                        label for="records" { "Records" }
                        textarea #records name="records" required {}
                        label { input type="checkbox" name="complete" value="yes"; " The records are complete with this part (starts the determination clock)" }
                        p { button.secondary type="submit" { "Add records" } }
                    }
                }
            }
            @if !text.is_empty() && who.role != Role::Party {
                section.card {
                    h2 { "Clinical text" }
                    p.legend.muted { mark.fact { "affirmed finding" } mark.fact.negated { "negated finding" } mark.fact.uncertain { "possible or planned" } }
                    div.clinical { (highlighted(text, &analysis.facts, &analysis.sources)) }
                }
            }
            @if let Some(f) = &findings { (ur_reasoning(f)) }
            h2 { "Disputed items" }
            @if awaiting_records {
                p.muted { "The records are not complete yet; the determination can be written and signed once they are." }
            }
            @if can_sign {
                // Enter in a field submits this form to the preview, never to the signature:
                // its only button is "Preview the letter".
                // What is typed is kept as a draft (draft.js; without script, on preview).
                form.stack #sign method="post" action={ "/cases/" (case.number) "/sign" } data-draft={ "/cases/" (case.number) "/draft" } {
                    input type="hidden" name="csrf" value=(who.csrf_token);
                    p.muted #draft-status role="status" {
                        @if let Some(at) = form.restored_at { "Your draft of " (when(at)) " is back in the form. Nothing is signed until you preview the letter and sign it there." }
                    }
                    @for (i, item) in case.application.ur_decision.items.iter().enumerate() {
                        (item_block(&case, i, item, findings.as_ref(), &analysis.sources, Some(form)))
                        (crate::corpus_pages::precedents_panel(precedents.get(i)))
                    }
                    section.card {
                        @let summary_error = form.error("clinical_summary");
                        label for="clinical_summary" { "Clinical case summary for the letter" }
                        textarea #clinical_summary name="clinical_summary" class=[summary_error.map(|_| "invalid")] { (form.clinical_summary()) }
                        (field_error(summary_error))
                        p { button.primary type="submit" name="step" value="preview" { "Preview the letter" } }
                        p.muted { "The preview shows the whole letter; you sign it there." }
                    }
                }
                script src="/static/draft.js" defer {}
            } @else {
                @for (i, item) in case.application.ur_decision.items.iter().enumerate() {
                    (item_block(&case, i, item, findings.as_ref(), &analysis.sources, None))
                    (crate::corpus_pages::precedents_panel(precedents.get(i)))
                }
            }
            @if case.determination.is_some() {
                section.card #letter {
                    h2 { "Final Determination Letter" }
                    p {
                        a.button href={ "/cases/" (case.number) "/letter.pdf" } { "Download the letter (PDF)" }
                        " "
                        a href={ "/cases/" (case.number) "/letter.html" } target="_blank" { "Open the HTML letter" }
                        @if who.role != Role::Party {
                            " "
                            a href={ "/cases/" (case.number) "/public-copy" } { "Public copy (redacted)" }
                        }
                    }
                    @if staff && case.status == Status::Determined {
                        form method="post" action={ "/cases/" (case.number) "/issue" } {
                            input type="hidden" name="csrf" value=(who.csrf_token);
                            button.secondary type="submit" { "Issue the letter" }
                        }
                    }
                    iframe.letter src={ "/cases/" (case.number) "/letter.html" } title="Letter preview" {}
                }
            }
        },
    );
    Ok((status, body).into_response())
}
