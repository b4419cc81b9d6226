//! The public copy of a signed case's letter: the determination as signed, with what identifies
//! a person taken out (`imr_core::redact`: every party the case's application names, in every
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
//! (`imr_core::redact::kept_lookalikes`); only a quality reviewer or an administrator who did not
//! sign the determination may issue. The second look and the issue are both audited (counts,
//! never text).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json};
use imr_core::Determination;
use imr_core::case::{AuditEntry, Case};
use imr_core::letter::write::{LetterDocument, LetterOptions, Practice, letter_document};
use imr_core::redact::{Kind, KnownParties, Lookalike, kept_lookalikes, redact_determination};
use imr_store::accounts::Role;
use imr_store::{DocumentInfo, NewDocument};
use maud::{Markup, html};
use serde::Serialize;

use crate::auth::{self, ApiUser, Principal, WebUser};
use crate::cases;
use crate::error::{ApiError, ApiResult};
use crate::state::{AppState, now};
use crate::web::{CsrfOnly, WebResult, page};

/// The kind of the stored document.
pub const KIND: &str = imr_core::case::proposal::PUBLIC_COPY_KIND;
/// Who may see a public copy (and, for a reviewer, only of a case assigned to them).
const STAFF_OF_THE_CASE: &[Role] = &[
    Role::Administrator,
    Role::IntakeClerk,
    Role::Reviewer,
    Role::Quality,
];
/// Who may issue it, after the second look: never the physician who signed.
const MAY_ISSUE: &[Role] = &[Role::Administrator, Role::Quality];
/// Issuing checks that no copy was issued, then stores one: one issue at a time in this server,
/// so that a double click stores one copy.
static ISSUING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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

/// A signed case's public copy, ready to show or issue.
pub struct PublicCopy {
    pub case: Case,
    /// The determination as signed, redacted.
    pub redacted: Determination,
    pub report: Vec<RedactionCount>,
    /// What the copy kept that looks like a name or a number.
    pub lookalikes: Vec<KeptLookalike>,
    /// The reviewer who signed the determination.
    pub signer: String,
    pub letter: LetterDocument,
    /// The copy already issued, if it was.
    pub issued: Option<DocumentInfo>,
}

/// Every text field of a determination with its label, as the second look shows them.
fn text_fields(d: &Determination) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if let Some(summary) = &d.clinical_summary {
        out.push(("Clinical case summary".to_string(), summary.as_str()));
    }
    for (i, item) in d.items.iter().enumerate() {
        let n = i + 1;
        out.push((format!("Item {n}: request"), item.request.as_str()));
        for (label, value) in [
            ("original request", &item.original_request),
            ("authorized", &item.authorized),
            (
                "claims administrator guideline",
                &item.claims_administrator_guideline,
            ),
            ("guideline", &item.imro_guideline),
            ("rationale", &item.rationale),
        ] {
            if let Some(v) = value {
                out.push((format!("Item {n}: {label}"), v.as_str()));
            }
        }
    }
    out
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

/// Writes the audit entry of a second look at the copy (counts only).
async fn audit_second_look(state: &AppState, who: &Principal, copy: &PublicCopy) -> ApiResult<()> {
    let removed: usize = copy.report.iter().map(|r| r.count).sum();
    let (names, numbers) =
        copy.lookalikes
            .iter()
            .fold((0, 0), |(n, m), l| match l.looks_like.as_str() {
                "name" => (n + l.count, m),
                _ => (n, m + l.count),
            });
    let detail = format!(
        "{removed} replacement(s) shown marked; kept and shown for checking: {names} token(s) \
         that look like names, {numbers} that look like numbers"
    );
    let entry = AuditEntry::new(now(), who.actor(), "public_copy.second_look", detail);
    state
        .store
        .record_audit(Some(&copy.case.number), &entry)
        .await?;
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
    let Some(signed) = &case.determination else {
        return Err(ApiError::conflict(format!(
            "case {} is not signed yet (its status is {}): the public copy is made from the signed letter",
            case.number, case.status
        )));
    };
    let reviewer = state.store.reviewer(&signed.reviewer_id).await?;
    let determination = case.determination_as_signed(reviewer.as_ref(), signed);
    let mut known = KnownParties::of_application(&case.application);
    if let Some(r) = &reviewer {
        // The letter names the reviewer by credentials only; a rationale that names them is
        // redacted too.
        known.people.push(r.name.clone());
    }
    let (redacted, removals) = redact_determination(&determination, &known);
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for removal in &removals {
        *counts.entry(removal.kind).or_default() += 1;
    }
    let report = counts
        .into_iter()
        .map(|(kind, count)| RedactionCount {
            kind: kind.as_str().to_string(),
            tag: kind.tag().to_string(),
            count,
        })
        .collect();
    let options = LetterOptions {
        organization: state.settings.organization.clone(),
        practice: reviewer.as_ref().map(|r| Practice {
            years_in_practice: r.years_in_active_practice,
            hours_per_week: r.hours_per_week_in_practice,
        }),
    };
    let letter = letter_document(&redacted, &options)
        .map_err(|e| ApiError::conflict(format!("case {}: no letter: {e}", case.number)))?;
    let issued = issued(state, &case).await?;
    let texts: Vec<&str> = text_fields(&redacted).into_iter().map(|(_, t)| t).collect();
    let lookalikes = kept_lookalikes(&texts)
        .into_iter()
        .map(KeptLookalike::from)
        .collect();
    let signer = signed.reviewer_id.clone();
    Ok(PublicCopy {
        case,
        redacted,
        report,
        lookalikes,
        signer,
        letter,
        issued,
    })
}

/// The public copy stored for a case, if one was issued.
async fn issued(state: &AppState, case: &Case) -> ApiResult<Option<DocumentInfo>> {
    Ok(state
        .store
        .documents(&case.number)
        .await?
        .into_iter()
        .find(|d| d.kind == KIND))
}

/// The letter as PDF bytes, written off the async runtime.
async fn letter_pdf(letter: LetterDocument) -> ApiResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || imr_pdf::write::letter_pdf(&letter))
        .await
        .map_err(|_| ApiError::internal("writing the public copy's PDF"))?
        .map_err(|e| {
            tracing::error!(error = %e, "PDF public copy");
            ApiError::internal("writing the public copy's PDF")
        })
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
    let _one_at_a_time = ISSUING.lock().await;
    let copy = prepare(state, who, number, false).await?;
    check_may_issue(who, &copy)?;
    if let Some(earlier) = &copy.issued {
        return Err(ApiError::conflict(format!(
            "the public copy of case {} is already issued: document {}, issued {}; it is not issued again",
            copy.case.number, earlier.id, earlier.received_at
        )));
    }
    let bytes = letter_pdf(copy.letter).await?;
    let mut source: &[u8] = &bytes;
    let document = state
        .store
        .store_document(
            NewDocument {
                case_number: copy.case.number.clone(),
                kind: KIND.to_string(),
                filename: Some(format!("{}-public-copy.pdf", copy.case.number)),
                media_type: "application/pdf".to_string(),
                received_at: now(),
                declared_size: Some(bytes.len() as u64),
                actor: who.actor(),
            },
            &mut source,
        )
        .await?;
    let removed: Vec<String> = copy
        .report
        .iter()
        .map(|r| format!("{} {}", r.kind, r.count))
        .collect();
    let kept: usize = copy.lookalikes.iter().map(|l| l.count).sum();
    let detail = format!(
        "document {}; issued by a {} after a second look at the determination signed by \
         reviewer {}; removed: {}; kept tokens that look like names or numbers: {kept}",
        document.id,
        who.role.as_str(),
        copy.signer,
        if removed.is_empty() {
            "nothing".to_string()
        } else {
            removed.join(", ")
        }
    );
    let entry = AuditEntry::new(now(), who.actor(), "public_copy.issued", detail);
    state
        .store
        .record_audit(Some(&copy.case.number), &entry)
        .await?;
    Ok(Issued {
        case_number: copy.case.number.to_string(),
        document,
        redactions: copy.report,
    })
}

async fn page_view(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
) -> WebResult<Html<String>> {
    let copy = prepare(&state, &who, &number, true).await?;
    audit_second_look(&state, &who, &copy).await?;
    let n = copy.case.number.to_string();
    let removed: usize = copy.report.iter().map(|r| r.count).sum();
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
                @if copy.report.is_empty() {
                    p { "Nothing was found to redact." }
                } @else {
                    p { (removed) " piece(s) of text taken out, each replaced by its tag:" }
                    table {
                        thead { tr { th scope="col" { "Kind" } th scope="col" { "Replaced by" } th scope="col" { "Count" } } }
                        tbody {
                            @for r in &copy.report {
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
                @if copy.lookalikes.is_empty() {
                    p { "Nothing kept looks like a name or a number." }
                } @else {
                    p { "The redactor kept these. Check each before issuing: a name or a number that identifies someone must not be published." }
                    table {
                        thead { tr { th scope="col" { "Kept" } th scope="col" { "Looks like" } th scope="col" { "Times" } } }
                        tbody {
                            @for l in &copy.lookalikes {
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
    let bytes = match &copy.issued {
        Some(doc) => state.store.read_document(doc.id).await?,
        None => letter_pdf(copy.letter).await?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}-public-copy.pdf\"",
                    copy.case.number
                ),
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
    audit_second_look(&state, &who, &copy).await?;
    Ok(Json(PublicCopyView {
        case_number: copy.case.number.to_string(),
        redactions: copy.report,
        kept_lookalikes: copy.lookalikes,
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
