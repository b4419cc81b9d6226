//! The reviewer's workbench: server-rendered pages (maud escapes every value it prints), a
//! session cookie (HttpOnly, SameSite=Strict) and a CSRF token in every form. The pages call
//! the same case operations as the API (`crate::cases`), so the rules and the audit are one.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use imr_core::case::application::{
    DisputedService, Provider, Signature, Signer, UrDecision, UrOutcome,
};
use imr_core::case::{
    Application, Case, Eligibility, FieldError, NoticeMethod, SignProblem, Status,
};
use imr_core::engine::CaseFindings;
use imr_core::extract::negation::Polarity;
use imr_core::letter::html::escape;
use imr_core::model::{Decision, Priority};
use imr_store::accounts::{Role, SessionKind};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::auth::{self, Principal, WebUser};
use crate::cases::{self, LetterFormat, QueueFilter};
use crate::error::ApiError;
use crate::state::{AppState, now};

const STYLE: &str = include_str!("../assets/style.css");
const LOGIN_CSRF_COOKIE: &str = "imr_login_csrf";
/// Disputed-item rows on the intake form.
const INTAKE_ITEMS: usize = 3;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(|| async { Redirect::to("/queue") }))
        .route("/static/style.css", get(style))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/queue", get(queue))
        .route("/intake", get(intake_page).post(intake_submit))
        .route("/cases/{number}", get(case_page))
        .route("/cases/{number}/records", post(records_submit))
        .route(
            "/cases/{number}/assign",
            get(assign_page).post(assign_submit),
        )
        .route("/cases/{number}/sign", post(sign_submit))
        .route("/cases/{number}/issue", post(issue_submit))
        .route("/cases/{number}/letter.html", get(letter_html))
        .route("/cases/{number}/letter.pdf", get(letter_pdf))
        .route("/documents/{id}", get(document))
}

async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// An error shown as a page.
pub struct WebError(ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        WebError(e)
    }
}

impl From<imr_store::StoreError> for WebError {
    fn from(e: imr_store::StoreError) -> WebError {
        WebError(e.into())
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Not possible now",
            _ => "Something went wrong",
        };
        let body = page(
            title,
            None,
            html! {
                h1 { (title) }
                div.notice.error { (self.0.message) }
                p { a href="/queue" { "Back to the queue" } }
            },
        );
        (self.0.status, body).into_response()
    }
}

pub(crate) type WebResult<T> = Result<T, WebError>;

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

fn role_name(role: Role) -> &'static str {
    match role {
        Role::IntakeClerk => "intake clerk",
        Role::Reviewer => "reviewer",
        Role::Administrator => "administrator",
        Role::Party => "party (read only)",
    }
}

// ---- login -------------------------------------------------------------------------------

fn login_form(csrf: &str, error: Option<&str>, username: &str) -> Html<String> {
    page(
        "Log in",
        None,
        html! {
            div.login {
                div.card {
                    h1 { "Log in" }
                    @if let Some(e) = error { div.notice.error role="alert" { (e) } }
                    form.stack method="post" action="/login" {
                        input type="hidden" name="csrf" value=(csrf);
                        label for="username" { "Username" }
                        input #username type="text" name="username" value=(username) autocomplete="username" autofocus required;
                        label for="password" { "Password" }
                        input #password type="password" name="password" autocomplete="current-password" required;
                        p { button.primary type="submit" { "Log in" } }
                    }
                }
            }
        },
    )
}

/// The login form carries a token that must match a cookie set with it (a session does not
/// exist yet), so another site cannot log a browser in.
async fn login_page() -> WebResult<Response> {
    let csrf = auth::random_hex(16)?;
    Ok((
        [(
            header::SET_COOKIE,
            format!("{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login"),
        )],
        login_form(&csrf, None, ""),
    )
        .into_response())
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

async fn login_submit(
    State(state): State<AppState>,
    axum::Extension(client): axum::Extension<crate::ClientAddr>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let csrf = field("csrf");
    if csrf.is_empty() || cookie(&headers, LOGIN_CSRF_COOKIE) != Some(csrf) {
        return Ok((
            StatusCode::FORBIDDEN,
            login_form(
                &auth::random_hex(16)?,
                Some("The login form expired; please try again."),
                field("username"),
            ),
        )
            .into_response());
    }
    match auth::login(
        &state,
        client.0,
        field("username"),
        field("password"),
        SessionKind::Web,
    )
    .await
    {
        Ok((token, _)) => Ok((
            [(
                header::SET_COOKIE,
                auth::set_session_cookie(&token, &state.settings),
            )],
            Redirect::to("/queue"),
        )
            .into_response()),
        Err(e) => {
            let retry_after = e
                .retry_after()
                .map(|s| [(header::RETRY_AFTER, s.to_string())]);
            let e: ApiError = e.into();
            Ok((
                e.status,
                retry_after,
                [(
                    header::SET_COOKIE,
                    format!("{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/login"),
                )],
                login_form(csrf, Some(&e.message), field("username")),
            )
                .into_response())
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    state.accounts.delete_session(&who.token_sha256).await?;
    Ok((
        [(header::SET_COOKIE, auth::clear_session_cookie())],
        Redirect::to("/login"),
    )
        .into_response())
}

// ---- queue -------------------------------------------------------------------------------

const STATUSES: &[&str] = &[
    "eligible",
    "assigned",
    "records_complete",
    "determined",
    "letter_issued",
    "ineligible",
];

fn status_label(status: &str) -> &str {
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
fn day(text: &str) -> String {
    text.parse::<jiff::civil::DateTime>()
        .map(|d| d.strftime("%b %-d, %Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

fn when(at: jiff::civil::DateTime) -> String {
    // The IMR organization's clock is California's.
    at.strftime("%b %-d, %Y %-I:%M %p PT").to_string()
}

async fn queue(
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

// ---- intake ------------------------------------------------------------------------------

type FormData = HashMap<String, String>;

fn intake_form(who: &Principal, form: &FormData, errors: &[FieldError]) -> Markup {
    let value = |k: &str| form.get(k).cloned().unwrap_or_default();
    let error = |k: &str| {
        errors
            .iter()
            .find(|e| e.field == k)
            .map(|e| e.message.clone())
    };
    let text = |k: &str, label: &str, kind: &str| {
        let err = error(k);
        html! {
            label for=(k) { (label) }
            input id=(k) type=(kind) name=(k) value=(value(k)) class=[err.as_ref().map(|_| "invalid")];
            @if let Some(e) = err { div.field-error { (e) } }
        }
    };
    html! {
        h1 { "New application for IMR" }
        @if !errors.is_empty() {
            div.notice.error role="alert" { "The application has " (errors.len()) " problem(s); they are marked below." }
        }
        form.stack method="post" action="/intake" {
            input type="hidden" name="csrf" value=(who.csrf_token);
            div.grid2 {
                section.card {
                    h2 { "Parties" }
                    (text("worker", "Injured worker", "text"))
                    (text("representative", "Representative (optional)", "text"))
                    (text("employer", "Employer", "text"))
                    (text("claims_administrator", "Claims administrator", "text"))
                    (text("insurer", "Insurer (optional)", "text"))
                    (text("requesting_provider.name", "Requesting provider", "text"))
                    (text("requesting_provider.specialty", "Provider's specialty (optional)", "text"))
                    (text("requesting_provider.group", "Provider group (optional)", "text"))
                }
                section.card {
                    h2 { "Claim and UR decision" }
                    (text("claim_number", "Claim number", "text"))
                    (text("date_of_injury", "Date of injury", "date"))
                    (text("condition", "Condition under treatment", "text"))
                    (text("ur_decision.date", "UR decision date", "date"))
                    (text("ur_decision.served", "UR decision served on (optional)", "date"))
                    label { input type="checkbox" name="ur_decision.attached" value="yes" checked[form.get("ur_decision.attached").is_some()]; " The UR decision is attached" }
                    label for="priority" { "Priority" }
                    select #priority name="priority" {
                        option value="Standard" selected[value("priority") != "Expedited"] { "Standard" }
                        option value="Expedited" selected[value("priority") == "Expedited"] { "Expedited" }
                    }
                    label for="signature.signer" { "Signed by" }
                    select id="signature.signer" name="signature.signer" {
                        option value="" { "not signed" }
                        option value="worker" selected[value("signature.signer") == "worker"] { "the worker" }
                        option value="representative" selected[value("signature.signer") == "representative"] { "the representative" }
                    }
                    (text("signature.date", "Date signed", "date"))
                    (text("filed", "Date filed", "date"))
                }
            }
            section.card {
                h2 { "Disputed items" }
                @if let Some(e) = error("ur_decision.items") { div.field-error { (e) } }
                @for i in 0..INTAKE_ITEMS {
                    @let base = format!("ur_decision.items[{i}]");
                    div.grid2 {
                        div { (text(&format!("{base}.request"), &format!("Item {} requested", i + 1), "text")) }
                        div {
                            label for={ (base) ".ur_outcome" } { "UR outcome" }
                            select id={ (base) ".ur_outcome" } name={ (base) ".ur_outcome" } {
                                option value="denied" { "denied" }
                                option value="modified" selected[value(&format!("{base}.ur_outcome")) == "modified"] { "modified" }
                            }
                            (text(&format!("{base}.authorized"), "Authorized (if modified)", "text"))
                        }
                    }
                }
            }
            p { button.primary type="submit" { "Open the case" } }
        }
    }
}

async fn intake_page(State(_): State<AppState>, WebUser(who): WebUser) -> WebResult<Html<String>> {
    who.require(cases::STAFF, "open applications")?;
    let mut form = FormData::new();
    form.insert("filed".into(), now().date().to_string());
    form.insert("ur_decision.attached".into(), "yes".into());
    Ok(page(
        "New application",
        Some(&who),
        intake_form(&who, &form, &[]),
    ))
}

/// Reads the intake form into an application, or says what is wrong with which field.
fn application_of(form: &FormData) -> Result<Application, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let optional = |k: &str| Some(text(k)).filter(|v| !v.is_empty());
    let mut date = |k: &str, required: bool| -> Option<jiff::civil::Date> {
        let v = text(k);
        if v.is_empty() {
            if required {
                errors.push(FieldError {
                    field: k.into(),
                    message: "a date is needed".into(),
                });
            }
            return None;
        }
        match v.parse() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError {
                    field: k.into(),
                    message: format!("{v:?} is not a date (YYYY-MM-DD)"),
                });
                None
            }
        }
    };
    let doi = date("date_of_injury", true);
    let ur_date = date("ur_decision.date", true);
    let served = date("ur_decision.served", false);
    let filed = date("filed", true);
    let signer = match text("signature.signer").as_str() {
        "worker" => Some(Signer::Worker),
        "representative" => Some(Signer::Representative),
        _ => None,
    };
    let signed_on = if signer.is_some() {
        date("signature.date", true)
    } else {
        None
    };
    let mut items = Vec::new();
    for i in 0..INTAKE_ITEMS {
        let request = text(&format!("ur_decision.items[{i}].request"));
        if request.is_empty() {
            continue;
        }
        let modified = text(&format!("ur_decision.items[{i}].ur_outcome")) == "modified";
        items.push(DisputedService {
            request,
            ur_outcome: if modified {
                UrOutcome::Modified
            } else {
                UrOutcome::Denied
            },
            authorized: optional(&format!("ur_decision.items[{i}].authorized")),
        });
    }
    let (Some(doi), Some(ur_date), Some(filed)) = (doi, ur_date, filed) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Application {
        worker: text("worker"),
        representative: optional("representative"),
        employer: text("employer"),
        claims_administrator: text("claims_administrator"),
        insurer: optional("insurer"),
        requesting_provider: Provider {
            name: text("requesting_provider.name"),
            specialty: optional("requesting_provider.specialty"),
            group: optional("requesting_provider.group"),
        },
        other_providers: Vec::new(),
        claim_number: text("claim_number"),
        date_of_injury: doi,
        condition: text("condition"),
        ur_decision: UrDecision {
            date: ur_date,
            served,
            attached: form.contains_key("ur_decision.attached"),
            conditional_non_certification: false,
            items,
        },
        signature: signer
            .zip(signed_on)
            .map(|(signer, date)| Signature { signer, date }),
        filed,
        priority: if text("priority") == "Expedited" {
            Priority::Expedited
        } else {
            Priority::Standard
        },
    })
}

async fn intake_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    who.require(cases::STAFF, "open applications")?;
    let app = match application_of(&form) {
        Ok(app) => app,
        Err(errors) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                page(
                    "New application",
                    Some(&who),
                    intake_form(&who, &form, &errors),
                ),
            )
                .into_response());
        }
    };
    let errors = app.validate(now().date());
    if !errors.is_empty() {
        return Ok((
            StatusCode::BAD_REQUEST,
            page(
                "New application",
                Some(&who),
                intake_form(&who, &form, &errors),
            ),
        )
            .into_response());
    }
    let case = cases::open_application(&state, &who, app).await?;
    Ok(Redirect::to(&format!("/cases/{}", case.number)).into_response())
}

// ---- the case page ------------------------------------------------------------------------

/// The clinical text with each extracted fact marked; negated facts look different.
fn highlighted(text: &str, facts: &[imr_core::extract::Fact]) -> Markup {
    let mut facts: Vec<&imr_core::extract::Fact> = facts.iter().collect();
    facts.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut out = String::new();
    let mut at = 0;
    for f in &facts {
        if f.start < at || f.end <= f.start {
            continue; // overlapping or empty: the outer span is already marked
        }
        let (Some(before), Some(span)) = (text.get(at..f.start), text.get(f.start..f.end)) else {
            continue;
        };
        out.push_str(&escape(before));
        let class = match f.polarity {
            Polarity::Negated => "fact negated",
            Polarity::Affirmed => "fact",
            _ => "fact uncertain",
        };
        let title = format!("{}: {} ({:?})", f.kind.as_str(), f.value, f.polarity).to_lowercase();
        out.push_str(&format!(
            "<mark class=\"{class}\" title=\"{}\">{}</mark>",
            escape(&title),
            escape(span)
        ));
        at = f.end;
    }
    out.push_str(&escape(text.get(at..).unwrap_or_default()));
    PreEscaped(out)
}

fn eligibility_block(case: &Case) -> Markup {
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

fn timeline(case: &Case) -> Markup {
    let at = now();
    let clock = |due: jiff::civil::DateTime| {
        let days = imr_core::case::deadlines::calendar_days(at, due);
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

fn parties(case: &Case) -> Markup {
    let app = &case.application;
    html! {
        dl.facts {
            dt { "Injured worker" } dd { (app.worker) }
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
            dt { "Date of injury" } dd { (app.date_of_injury) }
            dt { "Condition" } dd { (app.condition) }
            dt { "UR decision" } dd { (app.ur_decision.date) }
            dt { "Filed" } dd { (app.filed) " · " (app.priority.as_str()) " review" }
        }
    }
}

/// What the reviewer left in the sign form, and what was wrong with it, for showing the form
/// again exactly as it was.
#[derive(Default)]
struct SignForm<'a> {
    values: Option<&'a FormData>,
    problems: &'a [SignProblem],
    /// A message about the whole form (the case changed since the preview, ...).
    notice: Option<String>,
}

impl SignForm<'_> {
    fn value(&self, key: &str) -> String {
        self.values
            .and_then(|v| v.get(key))
            .cloned()
            .unwrap_or_default()
    }

    fn checked(&self, key: &str) -> bool {
        self.values.is_some_and(|v| v.contains_key(key))
    }

    /// The message for a field, by its path in the draft (`decisions[0].rationale`).
    fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field() == Some(field))
            .map(SignProblem::message)
    }
}

fn field_error(message: Option<&str>) -> Markup {
    html! { @if let Some(e) = message { div.field-error role="alert" { (e) } } }
}

fn item_block(
    case: &Case,
    index: usize,
    item: &DisputedService,
    findings: Option<&CaseFindings>,
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
                    @if let Some(rule) = &f.rule { div { span.muted { "Rule: " } code { (rule) } } }
                    @if let Some(c) = &f.citation { div { span.muted { "Citation: " } (c) } }
                    p { (f.rationale) }
                    @if !f.evidence.is_empty() {
                        div { span.muted { "Evidence: " }
                            @for e in &f.evidence {
                                mark class={ "fact" @if e.polarity == imr_core::engine::Polarity::Negated { " negated" } } { (e.text) }
                                " "
                            }
                        }
                    }
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

/// The reviewer's own fields for one item. Nothing is pre-set: the decision is chosen, the
/// rationale written, or the engine's rationale taken by ticking a box (only where the engine
/// decided).
fn decision_fields(
    index: usize,
    finding: Option<&imr_core::engine::Finding>,
    form: &SignForm<'_>,
) -> Markup {
    let key = |k: &str| format!("{k}_{index}");
    let path = |k: &str| format!("decisions[{index}].{k}");
    let decision = form.value(&key("decision"));
    let decision_error = form.error(&path("decision"));
    let guideline_error = form.error(&path("guideline"));
    let rationale_error = form.error(&path("rationale"));
    let decided = finding.is_some_and(|f| f.decision.is_some());
    html! {
        fieldset.decision {
            legend { "Your decision" }
            @for (value, label) in [("Upheld", "Upheld (not medically necessary)"), ("Overturned", "Overturned (medically necessary)")] {
                label {
                    input type="radio" name=(key("decision")) value=(value) checked[decision == value] required;
                    " " (label)
                }
            }
            (field_error(decision_error))
        }
        label for=(key("guideline")) { "Guideline relied on" }
        input type="text" id=(key("guideline")) name=(key("guideline")) value=(form.value(&key("guideline"))) class=[guideline_error.map(|_| "invalid")];
        (field_error(guideline_error))
        label for=(key("rationale")) { "Rationale" }
        textarea id=(key("rationale")) name=(key("rationale")) class=[rationale_error.map(|_| "invalid")] { (form.value(&key("rationale"))) }
        @if decided {
            label {
                input type="checkbox" id=(key("use_proposed")) name=(key("use_proposed")) value="yes" checked[form.checked(&key("use_proposed"))];
                " Use the proposed rationale (and its citation, if the guideline field is empty)"
            }
        } @else if finding.is_some() {
            p.muted { "The engine could not decide this item: it needs your own rationale." }
        }
        (field_error(rationale_error))
    }
}

async fn case_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    // A link carries an error code only; its text comes from the fixed table, never the link.
    let notice = q
        .get("error")
        .and_then(|code| crate::error::code_message(code));
    let form = SignForm {
        notice: notice.map(str::to_string),
        ..SignForm::default()
    };
    render_case(&state, &who, &number, &form, StatusCode::OK).await
}

/// The case page; `form` is the sign form as the reviewer left it (empty on a first view).
async fn render_case(
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
            h1 { "Case " (case.number) " " span.badge { (status_label(case.status.as_str())) } }
            @if let Some(e) = &form.notice { div.notice.error role="alert" { (e) } }
            @for e in &general { div.notice.error role="alert" { (e) } }
            @if field_problems > 0 {
                div.notice.error role="alert" {
                    "The determination has " (field_problems) " problem(s), marked below at their fields. Nothing was signed."
                    ul { @for p in form.problems.iter().filter(|p| p.field().is_some()) { li { (p.message()) } } }
                }
            }
            div.grid2 {
                section.card { h2 { "Parties" } (parties(&case)) }
                section.card {
                    h2 { "Timeline" }
                    (timeline(&case))
                    @if staff && case.eligibility.is_eligible() && case.assignment.is_none() {
                        p { a.button href={ "/cases/" (case.number) "/assign" } { "Assign a reviewer" } }
                    }
                }
            }
            section.card {
                h2 { "Documents" }
                @if documents.is_empty() { p.muted { "No documents yet." } }
                @else {
                    table {
                        thead { tr { th { "Kind" } th { "File" } th { "Received" } th { "Size" } th { "SHA-256" } } }
                        tbody { @for d in &documents { tr {
                            td { (d.kind) }
                            td {
                                a href={ "/documents/" (d.id) } { (d.filename.as_deref().unwrap_or("document")) }
                                @if let Some(u) = analysis.unreadable.iter().find(|u| u.document_id == d.id) {
                                    div.notice.error { "Could not be read: " (u.reason) ". Its text is not in the clinical summary or the proposal." }
                                }
                            }
                            td { (when(d.received_at)) }
                            td { (d.size) " bytes" }
                            td { code title=(d.sha256) { (d.sha256.get(..12).unwrap_or(&d.sha256)) "…" } }
                        } } }
                    }
                }
                @if staff && open {
                    details {
                        summary { "Add records (text)" }
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
            }
            @if !text.is_empty() && who.role != Role::Party {
                section.card {
                    h2 { "Clinical text" }
                    p.legend.muted { mark.fact { "affirmed finding" } mark.fact.negated { "negated finding" } mark.fact.uncertain { "possible or planned" } }
                    div.clinical { (highlighted(text, &analysis.facts)) }
                }
            }
            h2 { "Disputed items" }
            @if awaiting_records {
                p.muted { "The records are not complete yet; the determination can be written and signed once they are." }
            }
            @if can_sign {
                // Enter in a field submits this form to the preview, never to the signature:
                // its only button is "Preview the letter".
                form.stack #sign method="post" action={ "/cases/" (case.number) "/sign" } {
                    input type="hidden" name="csrf" value=(who.csrf_token);
                    @for (i, item) in case.application.ur_decision.items.iter().enumerate() {
                        (item_block(&case, i, item, findings.as_ref(), Some(form)))
                        (crate::corpus_pages::precedents_panel(precedents.get(i)))
                    }
                    section.card {
                        @let summary_error = form.error("clinical_summary");
                        label for="clinical_summary" { "Clinical case summary for the letter" }
                        textarea #clinical_summary name="clinical_summary" class=[summary_error.map(|_| "invalid")] { (form.value("clinical_summary")) }
                        (field_error(summary_error))
                        p { button.primary type="submit" name="step" value="preview" { "Preview the letter" } }
                        p.muted { "The preview shows the whole letter; you sign it there." }
                    }
                }
            } @else {
                @for (i, item) in case.application.ur_decision.items.iter().enumerate() {
                    (item_block(&case, i, item, findings.as_ref(), None))
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

/// The CSRF token every form carries, checked against the session's.
fn check_form_csrf(who: &Principal, form: &FormData) -> WebResult<()> {
    Ok(auth::check_csrf(
        who,
        form.get("csrf").map(String::as_str).unwrap_or(""),
    )?)
}

/// Where a case form lands: the case page (at `anchor`) on success, the case page with the
/// error's code on a refusal (the page shows the code's fixed text); a 403 stays an error
/// page, so nothing of the case is shown.
fn after_case_action<T>(
    number: &str,
    result: Result<T, ApiError>,
    anchor: &str,
) -> WebResult<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{number}{anchor}")).into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(e.into()),
        Err(e) => Ok(Redirect::to(&format!("/cases/{number}?error={}", e.code)).into_response()),
    }
}

async fn records_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    let records = form.get("records").map(String::as_str).unwrap_or("");
    let upload = cases::Upload {
        kind: form.get("kind").cloned().unwrap_or_default(),
        filename: Some("records.txt".into()),
        media_type: "text/plain; charset=utf-8".into(),
        bytes: records.as_bytes(),
        complete: form.contains_key("complete"),
    };
    after_case_action(
        &number,
        cases::add_document(&state, &who, &number, upload).await,
        "",
    )
}

async fn assign_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Html<String>> {
    who.require(cases::STAFF, "assign reviewers")?;
    let case = cases::view_case(&state, &who, &number).await?;
    let (ranked, _) = cases::candidates(&state, &case).await?;
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

async fn assign_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    let notice = if form.get("notice").map(String::as_str) == Some("mail") {
        NoticeMethod::Mail
    } else {
        NoticeMethod::Electronic
    };
    let reviewer = form
        .get("reviewer_id")
        .map(String::as_str)
        .filter(|s| !s.is_empty());
    after_case_action(
        &number,
        cases::assign(&state, &who, &number, reviewer, notice).await,
        "",
    )
}

/// The sign form read into a draft, with the engine's rationale taken where the reviewer
/// ticked "use the proposed rationale", and the problems only the form can have.
fn draft_of(
    case: &Case,
    findings: &CaseFindings,
    form: &FormData,
) -> (imr_core::case::Draft, Vec<SignProblem>) {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    let mut problems = Vec::new();
    let mut decisions = Vec::new();
    for (i, item) in case.application.ur_decision.items.iter().enumerate() {
        let finding = findings.items.get(i);
        let mut rationale = get(&format!("rationale_{i}")).to_string();
        let mut guideline = get(&format!("guideline_{i}")).to_string();
        if form.contains_key(&format!("use_proposed_{i}")) {
            let problem = match finding {
                Some(f) if f.decision.is_some() && rationale.trim().is_empty() => {
                    rationale = f.rationale.clone();
                    if guideline.trim().is_empty() {
                        guideline = f.citation.clone().unwrap_or_default();
                    }
                    None
                }
                Some(f) if f.decision.is_some() => Some(
                    "you wrote a rationale and ticked \"use the proposed rationale\": keep one",
                ),
                _ => Some("the engine proposed no rationale for this item; write your own"),
            };
            if let Some(message) = problem {
                problems.push(SignProblem::Field(FieldError {
                    field: format!("decisions[{i}].rationale"),
                    message: message.into(),
                }));
            }
        }
        decisions.push(imr_core::case::DraftDecision {
            request: item.request.clone(),
            decision: Decision::parse(get(&format!("decision_{i}"))),
            guideline: Some(guideline),
            rationale,
        });
    }
    let draft = imr_core::case::Draft {
        decisions,
        clinical_summary: get("clinical_summary").to_string(),
    };
    (draft, problems)
}

/// The sign form's three steps: `preview` (the default, and what Enter in a field does)
/// checks the draft and shows the whole letter; `edit` goes back to the form as it was;
/// only `sign`, the preview's "Sign and issue" button, signs. A form with problems comes
/// back as the reviewer left it, each problem at its field.
async fn sign_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    let step = form.get("step").map(String::as_str).unwrap_or("preview");
    if step == "edit" {
        let again = SignForm {
            values: Some(&form),
            ..SignForm::default()
        };
        return render_case(&state, &who, &number, &again, StatusCode::OK).await;
    }
    let read = cases::view_case_versioned(&state, &who, &number).await?;
    let analysis = cases::analysis(&state, &read.value, read.version).await?;
    let (draft, mut problems) = draft_of(&read.value, &analysis.findings, &form);
    let checked =
        match cases::check_draft(&state, &who, &number, &draft).await? {
            Ok(checked) => Some(checked),
            Err(found) => {
                // The form's own problem about a field replaces the draft check's about it.
                let known: Vec<Option<String>> = problems
                    .iter()
                    .map(|p| p.field().map(str::to_owned))
                    .collect();
                problems.extend(found.into_iter().filter(|p| {
                    p.field().is_none() || !known.contains(&p.field().map(str::to_owned))
                }));
                None
            }
        };
    let checked = match checked {
        Some(c) if problems.is_empty() => c,
        _ => {
            let status = if problems
                .iter()
                .any(|p| matches!(p, SignProblem::NotReady { .. }))
            {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let again = SignForm {
                values: Some(&form),
                problems: &problems,
                notice: None,
            };
            return render_case(&state, &who, &number, &again, status).await;
        }
    };
    if step != "sign" {
        return preview_page(&state, &who, &form, &checked).await;
    }
    // What is signed is what was previewed: the proposal taken by "use the proposed
    // rationale" is the one of the case's version at the preview.
    if form.get("version").map(String::as_str) != Some(checked.version.to_string().as_str()) {
        let again = SignForm {
            values: Some(&form),
            notice: crate::error::code_message("changed-since-preview").map(str::to_string),
            ..SignForm::default()
        };
        return render_case(&state, &who, &number, &again, StatusCode::CONFLICT).await;
    }
    match cases::sign_checked(&state, &who, checked).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{number}#letter")).into_response()),
        Err(e) if e.status == StatusCode::FORBIDDEN => Err(e.into()),
        Err(e) => {
            let again = SignForm {
                values: Some(&form),
                notice: Some(e.message),
                ..SignForm::default()
            };
            render_case(&state, &who, &number, &again, e.status).await
        }
    }
}

/// The whole letter as signing would issue it, with the form carried along unchanged, a way
/// back to it, and the one button that signs.
async fn preview_page(
    state: &AppState,
    who: &Principal,
    form: &FormData,
    checked: &cases::Checked,
) -> WebResult<Response> {
    let letter = cases::preview_letter(state, checked).await?;
    let number = &checked.case.number;
    let mut carried: Vec<(&String, &String)> = form
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "step" | "version"))
        .collect();
    carried.sort();
    Ok(page(
        &format!("Preview · case {number}"),
        Some(who),
        html! {
            h1 { "Preview of the letter for case " a href={ "/cases/" (number) } { (number) } }
            div.notice.ok { "Nothing is signed yet. Read the whole letter; signing issues it as the Final Determination and cannot be undone." }
            iframe.letter.preview style="height: 75vh" sandbox="" srcdoc=(letter) title="The letter as it will be issued" {}
            form.stack #sign-preview method="post" action={ "/cases/" (number) "/sign" } {
                input type="hidden" name="csrf" value=(who.csrf_token);
                input type="hidden" name="version" value=(checked.version);
                @for (k, v) in &carried { input type="hidden" name=(k) value=(v); }
                p {
                    button.secondary type="submit" name="step" value="edit" { "Back to the form" }
                    " "
                    button.primary type="submit" name="step" value="sign" { "Sign and issue" }
                }
            }
        },
    )
    .into_response())
}

async fn issue_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form)?;
    after_case_action(
        &number,
        cases::issue_letter(&state, &who, &number).await,
        "",
    )
}

async fn letter_html(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let case = cases::view_case(&state, &who, &number).await?;
    let (media, bytes) = cases::letter(&state, &case, LetterFormat::Html).await?;
    Ok(([(header::CONTENT_TYPE, media)], bytes).into_response())
}

async fn letter_pdf(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let case = cases::view_case(&state, &who, &number).await?;
    let (media, bytes) = cases::letter(&state, &case, LetterFormat::Pdf).await?;
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-determination.pdf\"", case.number),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn document(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    Ok(crate::api::document_response(&state, &who, id).await?)
}
