//! The public copy of a signed case's letter: the determination as signed, with what identifies
//! a person taken out (`imr_redact`: every party the case's application names, in every
//! form, and the reviewer's own name, then what the patterns and the name model find), shown
//! with a report of what was removed (kinds and counts, never the text), issued once as a document of the case of kind "public copy" (its
//! PDF, through the store's document path) with an audit entry, and downloadable as a PDF.
//!
//! Only staff who may see the case: the assigned reviewer, intake clerks, quality reviewers and
//! administrators (a party never; the copy is made for publication, not for them). Only after
//! the case is signed.
//!
//! Issuing is a second look by another person: the page shows the redacted text with every
//! replacement marked and, apart, the kept tokens that still look like names or numbers
//! (`imr_redact::kept_lookalikes`); only a quality reviewer or an administrator who did not
//! sign the determination may issue. The second look and the issue are both audited (counts,
//! never text).

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json};
use imr_app::public_copy::{PublicCopy, text_fields};
use imr_core::Determination;
use imr_redact::{Kind, Lookalike};
use imr_store::DocumentInfo;
use imr_store::accounts::Role;
use maud::{Markup, html};
use serde::Serialize;

use crate::auth::{self, ApiUser, Principal, WebUser};
use crate::cases;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, now};
use crate::web::{CsrfOnly, WebResult, page};

/// Who may see a public copy (and, for a reviewer, only of a case assigned to them).
const STAFF_OF_THE_CASE: &[Role] = &[
    Role::Administrator,
    Role::IntakeClerk,
    Role::Reviewer,
    Role::Quality,
];
/// Who may issue it, after the second look: never the physician who signed.
const MAY_ISSUE: &[Role] = &[Role::Administrator, Role::Quality];

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/cases/{number}/public-copy",
            get(page_view).post(issue_submit),
        )
        .route("/cases/{number}/public-copy.pdf", get(pdf_download))
        .route(
            "/api/cases/{number}/public-copy",
            get(get_public_copy).post(post_public_copy),
        )
}

/// How many pieces of one kind were removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RedactionCount {
    /// name, claim_number, ssn, phone, address, email, date_of_birth, employer, provider,
    /// claims_administrator or insurer.
    pub kind: String,
    /// What replaces each piece in the copy, e.g. "[NAME]".
    pub tag: String,
    pub count: usize,
}

/// A token the copy kept that looks like a name or a number, for the second look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KeptLookalike {
    /// "name" or "number".
    pub looks_like: String,
    pub token: String,
    pub count: usize,
}

impl From<Lookalike> for KeptLookalike {
    fn from(l: Lookalike) -> Self {
        KeptLookalike {
            looks_like: l.looks_like.as_str().to_string(),
            token: l.token,
            count: l.count,
        }
    }
}

/// What the copy removed, by kind, as the API and the page show it.
fn report(copy: &PublicCopy) -> Vec<RedactionCount> {
    copy.report
        .iter()
        .map(|(kind, count)| RedactionCount {
            kind: kind.as_str().to_string(),
            tag: kind.tag().to_string(),
            count: *count,
        })
        .collect()
}

/// What the copy kept that looks like a name or a number, as the API and the page show it.
fn kept(copy: &PublicCopy) -> Vec<KeptLookalike> {
    copy.lookalikes
        .iter()
        .cloned()
        .map(KeptLookalike::from)
        .collect()
}

/// A redacted text with each replacement tag marked.
fn marked(text: &str) -> Markup {
    let mut pieces: Vec<(bool, &str)> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = Kind::ALL
            .iter()
            .filter_map(|k| rest.find(k.tag()).map(|at| (at, k.tag())))
            .min_by_key(|(at, _)| *at);
        match next {
            Some((at, tag)) => {
                if at > 0 {
                    pieces.push((false, &rest[..at]));
                }
                pieces.push((true, tag));
                rest = &rest[at + tag.len()..];
            }
            None => {
                pieces.push((false, rest));
                rest = "";
            }
        }
    }
    html! {
        @for (tag, piece) in pieces {
            @if tag { mark.redaction { (piece) } } @else { (piece) }
        }
    }
}

/// Whether `who` may issue the copy: a quality reviewer or an administrator who did not sign.
fn check_may_issue(who: &Principal, copy: &PublicCopy) -> ApiResult<()> {
    who.require(
        MAY_ISSUE,
        "issue a public copy (the second look before release)",
    )?;
    if who.reviewer_id.as_deref() == Some(copy.signer.as_str()) {
        return Err(ApiError::forbidden(format!(
            "you signed the determination of case {}; its public copy is issued after a second \
             look by someone else (a quality reviewer or an administrator)",
            copy.case.number
        )));
    }
    Ok(())
}

/// The public copy of a case the principal may see; `audited` records the view of the case.
/// 409 with the reason before the case is signed.
pub async fn prepare(
    state: &AppState,
    who: &Principal,
    number: &str,
    audited: bool,
) -> ApiResult<PublicCopy> {
    who.require(STAFF_OF_THE_CASE, "see or issue a public copy")?;
    let case = if audited {
        cases::view_case(state, who, number).await?
    } else {
        cases::load_case(state, who, number).await?
    };
    Ok(state.app.public_copy(case).await?)
}

/// What issuing stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub case_number: String,
    /// The stored PDF (kind "public copy"), downloadable at `/api/documents/{id}`.
    #[schema(value_type = Object)]
    pub document: DocumentInfo,
    pub redactions: Vec<RedactionCount>,
}

/// Issues the public copy: stores its PDF as a document of the case and writes the audit
/// entry (kinds and counts of what was removed, never the text). Only a quality reviewer or an
/// administrator who did not sign (403 otherwise). Refused (409) before signing and once
/// issued.
pub async fn issue(state: &AppState, who: &Principal, number: &str) -> ApiResult<Issued> {
    who.require(
        MAY_ISSUE,
        "issue a public copy (the second look before release)",
    )?;
    let copy = prepare(state, who, number, false).await?;
    check_may_issue(who, &copy)?;
    let redactions = report(&copy);
    let case_number = copy.case.number.to_string();
    let document = state
        .app
        .issue_public_copy(copy, who.role.as_str(), now(), &who.actor())
        .await?;
    Ok(Issued {
        case_number,
        document,
        redactions,
    })
}

async fn page_view(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Html<String>> {
    let copy = prepare(&state, &who, &number, true).await?;
    state
        .app
        .audit_second_look(&copy, now(), &who.actor())
        .await?;
    let n = copy.case.number.to_string();
    let report = report(&copy);
    let lookalikes = kept(&copy);
    let removed: usize = report.iter().map(|r| r.count).sum();
    let may_issue = check_may_issue(&who, &copy).is_ok();
    let fields = text_fields(&copy.redacted);
    Ok(page(
        &format!("Public copy of case {n}"),
        Some(&who),
        html! {
            p.muted { a href={ "/cases/" (n) } { "← Case " (n) } }
            h1 { "Public copy of case " (n) }
            section.card aria-labelledby="copy-status" {
                h2 #copy-status { "Issue" }
                @match &copy.issued {
                    Some(doc) => div.notice.ok role="status" {
                        "The public copy is already issued: "
                        a href={ "/documents/" (doc.id) } { "document " (doc.id) }
                        ", issued " (crate::web::when(doc.received_at)) "."
                    },
                    None if may_issue => {
                        p { "Take the second look below before issuing: every replacement is marked, and what was kept that looks like a name or a number is listed apart. The redaction is automatic, and may miss a name or remove too much." }
                        form method="post" action={ "/cases/" (n) "/public-copy" } {
                            input type="hidden" name="csrf" value=(who.csrf_token);
                            button.primary type="submit" { "Issue the public copy" }
                        }
                    },
                    None => {
                        p { "Not issued yet. Issuing needs a second look by someone other than the physician who signed: a quality reviewer or an administrator." }
                    },
                }
                p { a href={ "/cases/" (n) "/public-copy.pdf" } { "Download the public copy (PDF)" } }
            }
            section.card aria-labelledby="copy-report" {
                h2 #copy-report { "What was redacted" }
                @if report.is_empty() {
                    p { "Nothing was found to redact." }
                } @else {
                    p { (removed) " piece(s) of text taken out, each replaced by its tag:" }
                    table {
                        thead { tr { th scope="col" { "Kind" } th scope="col" { "Replaced by" } th scope="col" { "Count" } } }
                        tbody {
                            @for r in &report {
                                tr { td { (r.kind.replace('_', " ")) } td { code { (r.tag) } } td { (r.count) } }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="copy-marked" {
                h2 #copy-marked { "The redacted text, every replacement marked" }
                dl.marked {
                    @for (label, text) in &fields {
                        dt { (label) }
                        dd { (marked(text)) }
                    }
                }
            }
            section.card aria-labelledby="copy-kept" {
                h2 #copy-kept { "Kept: tokens that look like names or numbers" }
                @if lookalikes.is_empty() {
                    p { "Nothing kept looks like a name or a number." }
                } @else {
                    p { "The redactor kept these. Check each before issuing: a name or a number that identifies someone must not be published." }
                    table {
                        thead { tr { th scope="col" { "Kept" } th scope="col" { "Looks like" } th scope="col" { "Times" } } }
                        tbody {
                            @for l in &lookalikes {
                                tr { td { code { (l.token) } } td { (l.looks_like) } td { (l.count) } }
                            }
                        }
                    }
                }
            }
            (crate::corpus_pages::letter_view(&copy.redacted))
        },
    ))
}

async fn issue_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    auth::check_csrf(&who, &form.csrf)?;
    let issued = issue(&state, &who, &number).await?;
    Ok(Redirect::to(&format!("/cases/{}/public-copy", issued.case_number)).into_response())
}

/// The public copy as PDF: the one issued, byte for byte, or before that the copy as it would
/// be issued.
async fn pdf_download(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Response> {
    let copy = prepare(&state, &who, &number, true).await?;
    let number = copy.case.number.clone();
    let bytes = state.app.public_copy_pdf(copy).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{number}-public-copy.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A public copy as the API shows it before or after issuing.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PublicCopyView {
    pub case_number: String,
    pub redactions: Vec<RedactionCount>,
    /// What the copy kept that looks like a name or a number: check before issuing.
    pub kept_lookalikes: Vec<KeptLookalike>,
    /// The determination as signed, redacted.
    #[schema(value_type = Object)]
    pub determination: Determination,
    /// The stored copy, once issued.
    #[schema(value_type = Option<Object>)]
    pub issued: Option<DocumentInfo>,
}

/// The redacted public copy of a signed case's letter, with what was removed (kinds and counts),
/// the kept tokens that look like names or numbers, and the copy issued, if any. Staff of the
/// case only: the assigned reviewer, intake clerks, quality reviewers, administrators. The view
/// (a second look) is audited.
#[utoipa::path(get, path = "/api/cases/{number}/public-copy", params(("number" = String, Path)),
    responses((status = 200, body = PublicCopyView), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "the case is not signed yet")),
    security(("bearer" = [])))]
pub(crate) async fn get_public_copy(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<Json<PublicCopyView>> {
    let copy = prepare(&state, &who, &number, true).await?;
    state
        .app
        .audit_second_look(&copy, now(), &who.actor())
        .await?;
    Ok(Json(PublicCopyView {
        case_number: copy.case.number.to_string(),
        redactions: report(&copy),
        kept_lookalikes: kept(&copy),
        determination: copy.redacted,
        issued: copy.issued,
    }))
}

/// Issues the public copy of a signed case's letter: stores its PDF as a document of the case
/// (kind "public copy") and writes an audit entry. Once only, by a quality reviewer or an
/// administrator who did not sign the determination (403 otherwise).
#[utoipa::path(post, path = "/api/cases/{number}/public-copy", params(("number" = String, Path)),
    responses((status = 201, body = Issued), (status = 401), (status = 403), (status = 404),
              (status = 409, description = "the case is not signed yet, or its public copy is already issued")),
    security(("bearer" = [])))]
pub(crate) async fn post_public_copy(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(number): Path<String>,
) -> ApiResult<(StatusCode, Json<Issued>)> {
    Ok((
        StatusCode::CREATED,
        Json(issue(&state, &who, &number).await?),
    ))
}
