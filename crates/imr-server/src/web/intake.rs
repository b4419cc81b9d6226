//! A new application for IMR, typed in by the intake clerk. Any number of disputed items (up
//! to [`MAX_ITEMS`]): without script the form offers a few empty rows and "More items"
//! re-renders it with more; with script (`/static/intake.js`) rows are added and removed in
//! place. The item fields repeat (`item_request`, `item_outcome`, `item_authorized`), one of
//! each per row, in order. The form is `multipart/form-data` so that it can carry the
//! application's PDF (optional): checked by the bounded reader, stored as the case's
//! "application" document in the same transaction as the case, or the whole form refused.
//! The worker's address, phone and date of birth (optional) are the redaction's known parties:
//! the public copy removes them wherever a text repeats them. Enter in a field submits nothing.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use imr_case::application::{DisputedService, Provider, Signature, Signer, UrDecision, UrOutcome};
use imr_case::{Application, FieldError};
use imr_core::model::Priority;
use maud::{Markup, html};
use serde::Deserialize;

use super::WebResult;
use super::forms::{check_form_csrf, ticked};
use super::layout::page;
use crate::auth::{Principal, WebUser};
use crate::cases;
use crate::download::{human_size, sent_file_name, stored_media_type};
use crate::error::ApiError;
use crate::state::{AppState, now};

/// The form field of the application's file.
const FILE_FIELD: &str = "application_file";
/// The largest text field read from the multipart form.
const MAX_FIELD_BYTES: usize = 16 * 1024;
/// The most fields the form may have (50 items of 3 fields, the parties, a margin).
const MAX_FIELDS: usize = 400;

/// The application's file as sent with the form: its bytes, or why they were not kept.
struct SentFile {
    name: String,
    bytes: Result<Bytes, String>,
}

/// Empty item rows on a new form.
const EMPTY_ROWS: usize = 3;
/// Rows "More items" adds.
const MORE_ROWS: usize = 3;
/// The most disputed items one application takes.
pub const MAX_ITEMS: usize = 50;

/// The intake form as sent. Field names are the application's paths, so a problem the
/// validation names (`ur_decision.date`) is shown at its field.
#[derive(Debug, Default, Deserialize)]
pub(super) struct IntakeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    worker: String,
    #[serde(default)]
    worker_address: String,
    #[serde(default)]
    worker_phone: String,
    #[serde(default)]
    worker_date_of_birth: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    claims_administrator: String,
    #[serde(default)]
    insurer: String,
    #[serde(default, rename = "requesting_provider.name")]
    provider_name: String,
    #[serde(default, rename = "requesting_provider.specialty")]
    provider_specialty: String,
    #[serde(default, rename = "requesting_provider.group")]
    provider_group: String,
    #[serde(default)]
    claim_number: String,
    #[serde(default)]
    date_of_injury: String,
    #[serde(default)]
    condition: String,
    #[serde(default, rename = "ur_decision.date")]
    ur_date: String,
    #[serde(default, rename = "ur_decision.served")]
    ur_served: String,
    #[serde(default, rename = "ur_decision.attached", deserialize_with = "ticked")]
    ur_attached: bool,
    #[serde(default)]
    priority: String,
    #[serde(default, rename = "signature.signer")]
    signer: String,
    #[serde(default, rename = "signature.date")]
    signed_on: String,
    #[serde(default)]
    filed: String,
    #[serde(default)]
    item_request: Vec<String>,
    #[serde(default)]
    item_outcome: Vec<String>,
    #[serde(default)]
    item_authorized: Vec<String>,
    /// "More items" was pressed: show the form again with more rows.
    #[serde(default, deserialize_with = "ticked")]
    more: bool,
    /// The name of the application's file sent, when the form is shown again without it.
    #[serde(skip)]
    file_sent: Option<String>,
}

/// One disputed-item row as typed.
#[derive(Debug, Default, Clone)]
struct ItemRow {
    request: String,
    outcome: String,
    authorized: String,
}

impl IntakeForm {
    /// A text field by its name.
    fn value(&self, key: &str) -> &str {
        match key {
            "worker" => &self.worker,
            "worker_address" => &self.worker_address,
            "worker_phone" => &self.worker_phone,
            "worker_date_of_birth" => &self.worker_date_of_birth,
            "representative" => &self.representative,
            "employer" => &self.employer,
            "claims_administrator" => &self.claims_administrator,
            "insurer" => &self.insurer,
            "requesting_provider.name" => &self.provider_name,
            "requesting_provider.specialty" => &self.provider_specialty,
            "requesting_provider.group" => &self.provider_group,
            "claim_number" => &self.claim_number,
            "date_of_injury" => &self.date_of_injury,
            "condition" => &self.condition,
            "ur_decision.date" => &self.ur_date,
            "ur_decision.served" => &self.ur_served,
            "priority" => &self.priority,
            "signature.signer" => &self.signer,
            "signature.date" => &self.signed_on,
            "filed" => &self.filed,
            _ => "",
        }
    }

    /// The item rows as sent, the three lists read side by side.
    fn rows(&self) -> Vec<ItemRow> {
        let n = self
            .item_request
            .len()
            .max(self.item_outcome.len())
            .max(self.item_authorized.len());
        let at = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        (0..n)
            .map(|i| ItemRow {
                request: at(&self.item_request, i),
                outcome: at(&self.item_outcome, i),
                authorized: at(&self.item_authorized, i),
            })
            .collect()
    }

    /// The rows with a request typed in; blank rows are not items.
    fn filled_rows(&self) -> Vec<ItemRow> {
        self.rows()
            .into_iter()
            .filter(|r| !r.request.trim().is_empty())
            .collect()
    }
}

fn item_row(i: usize, row: &ItemRow, errors: &[FieldError]) -> Markup {
    let base = format!("ur_decision.items[{i}]");
    let error = |k: &str| {
        let path = format!("{base}.{k}");
        errors
            .iter()
            .find(|e| e.field == path)
            .map(|e| e.message.clone())
    };
    let request_error = error("request");
    let authorized_error = error("authorized");
    html! {
        div.grid2.item-row {
            div {
                label for={ (base) ".request" } { "Item " span.item-number { (i + 1) } " requested" }
                input id={ (base) ".request" } type="text" name="item_request" value=(row.request) class=[request_error.as_ref().map(|_| "invalid")];
                @if let Some(e) = request_error { div.field-error { (e) } }
            }
            div {
                label for={ (base) ".ur_outcome" } { "UR outcome" }
                select id={ (base) ".ur_outcome" } name="item_outcome" {
                    option value="denied" { "denied" }
                    option value="modified" selected[row.outcome == "modified"] { "modified" }
                }
                label for={ (base) ".authorized" } { "Authorized (if modified)" }
                input id={ (base) ".authorized" } type="text" name="item_authorized" value=(row.authorized) class=[authorized_error.as_ref().map(|_| "invalid")];
                @if let Some(e) = authorized_error { div.field-error { (e) } }
                p.row-actions { button.secondary.remove-item type="button" hidden { "Remove this item" } }
            }
        }
    }
}

fn intake_form(
    who: &Principal,
    form: &IntakeForm,
    rows: &[ItemRow],
    errors: &[FieldError],
) -> Markup {
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
            input id=(k) type=(kind) name=(k) value=(form.value(k)) class=[err.as_ref().map(|_| "invalid")];
            @if let Some(e) = err { div.field-error { (e) } }
        }
    };
    html! {
        h1 { "New application for IMR" }
        @if !errors.is_empty() {
            div.notice.error role="alert" { "The application has " (errors.len()) " problem(s); they are marked below." }
        }
        form.stack #intake method="post" action="/intake" enctype="multipart/form-data" {
            // The form's default button, disabled: Enter in a field submits nothing (it would
            // press the first button, "More items", or open the case half typed).
            button type="submit" disabled hidden aria-hidden="true" tabindex="-1" {}
            input type="hidden" name="csrf" value=(who.csrf_token);
            div.grid2 {
                section.card {
                    h2 { "Parties" }
                    (text("worker", "Injured worker", "text"))
                    (text("worker_address", "Worker's address (optional)", "text"))
                    (text("worker_phone", "Worker's phone (optional)", "tel"))
                    (text("worker_date_of_birth", "Worker's date of birth (optional)", "date"))
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
                    label { input type="checkbox" name="ur_decision.attached" value="yes" checked[form.ur_attached]; " The UR decision is attached" }
                    label for="priority" { "Priority" }
                    select #priority name="priority" {
                        option value="Standard" selected[form.priority != "Expedited"] { "Standard" }
                        option value="Expedited" selected[form.priority == "Expedited"] { "Expedited" }
                    }
                    label for="signature.signer" { "Signed by" }
                    select id="signature.signer" name="signature.signer" {
                        option value="" { "not signed" }
                        option value="worker" selected[form.signer == "worker"] { "the worker" }
                        option value="representative" selected[form.signer == "representative"] { "the representative" }
                    }
                    (text("signature.date", "Date signed", "date"))
                    (text("filed", "Date filed", "date"))
                }
            }
            section.card {
                h2 { "The application as received" }
                @let file_error = error(FILE_FIELD);
                label for=(FILE_FIELD) { "The application's PDF (optional)" }
                input id=(FILE_FIELD) type="file" name=(FILE_FIELD) accept=".pdf,application/pdf,.txt,text/plain" class=[file_error.as_ref().map(|_| "invalid")];
                @if let Some(e) = file_error { div.field-error { (e) } }
                @if let Some(sent) = &form.file_sent {
                    p.muted { "The file " (sent) " was not kept with the form shown again; choose it again." }
                }
                p.muted { "Stored with the case as its \"application\" document, in the same step, or the case is not opened. It is kept as received, not read into the clinical text." }
            }
            section.card #items {
                h2 { "Disputed items" }
                p.muted { "Up to " (MAX_ITEMS) " items; leave a row empty to leave it out." }
                @if let Some(e) = error("ur_decision.items") { div.field-error role="alert" { (e) } }
                div #item-rows {
                    @for (i, row) in rows.iter().enumerate() { (item_row(i, row, errors)) }
                }
                @if rows.len() < MAX_ITEMS {
                    p { button.secondary #more-items type="submit" name="more" value="yes" formnovalidate { "More items" } }
                }
            }
            p { button.primary type="submit" { "Open the case" } }
        }
        script src="/static/intake.js" defer {}
    }
}

pub(super) async fn intake_page(
    State(_): State<AppState>,
    WebUser(who): WebUser,
) -> WebResult<Html<String>> {
    who.require(cases::STAFF, "open applications")?;
    let form = IntakeForm {
        filed: now().date().to_string(),
        ur_attached: true,
        ..IntakeForm::default()
    };
    let rows = vec![ItemRow::default(); EMPTY_ROWS];
    Ok(page(
        "New application",
        Some(&who),
        intake_form(&who, &form, &rows, &[]),
    ))
}

/// Reads the intake form into an application, or says what is wrong with which field.
fn application_of(form: &IntakeForm) -> Result<Application, Vec<FieldError>> {
    let mut errors = Vec::new();
    let text = |k: &str| form.value(k).trim().to_string();
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
    let born = date("worker_date_of_birth", false);
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
    let rows = form.filled_rows();
    if rows.len() > MAX_ITEMS {
        errors.push(FieldError {
            field: "ur_decision.items".into(),
            message: format!(
                "{} disputed items: one application takes at most {MAX_ITEMS}",
                rows.len()
            ),
        });
    }
    let items = rows
        .into_iter()
        .map(|row| DisputedService {
            request: row.request.trim().to_string(),
            ur_outcome: if row.outcome == "modified" {
                UrOutcome::Modified
            } else {
                UrOutcome::Denied
            },
            authorized: Some(row.authorized.trim().to_string()).filter(|a| !a.is_empty()),
        })
        .collect();
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
        other_identifiers: Vec::new(),
        worker_address: optional("worker_address"),
        worker_phone: optional("worker_phone"),
        worker_date_of_birth: born,
        date_of_injury: doi,
        condition: text("condition"),
        ur_decision: UrDecision {
            date: ur_date,
            served,
            attached: form.ur_attached,
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

/// The form shown again: with more rows when asked, else with the problems at their fields
/// (the items closed up, so that a problem's item number is the row's).
fn form_again(who: &Principal, form: &IntakeForm, errors: &[FieldError]) -> Html<String> {
    let rows = if form.more {
        let mut rows = form.rows();
        rows.truncate(MAX_ITEMS);
        let more = MORE_ROWS.min(MAX_ITEMS - rows.len());
        rows.extend(std::iter::repeat_n(ItemRow::default(), more));
        rows
    } else {
        let mut rows = form.filled_rows();
        if rows.len() < MAX_ITEMS {
            rows.push(ItemRow::default());
        }
        rows
    };
    page(
        "New application",
        Some(who),
        intake_form(who, form, &rows, errors),
    )
}

/// The intake form as sent: `multipart/form-data` (with the application's file, if any) or
/// URL-encoded (a client without files).
async fn read_intake(
    state: &AppState,
    request: Request,
) -> WebResult<(IntakeForm, Option<SentFile>)> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<IntakeForm>::from_request(request, state)
            .await
            .map_err(|e| {
                ApiError::bad_request(format!("the form could not be read: {}", e.body_text()))
            })?;
        return Ok((form, None));
    }
    let mut parts = Multipart::from_request(request, state).await.map_err(|e| {
        ApiError::bad_request(format!("the form could not be read: {}", e.body_text()))
    })?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        ApiError::new(
            e.status(),
            format!("the form could not be read: {}", e.body_text()),
        )
    };
    let limit = state.settings.max_upload_bytes;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut file = None;
    while let Some(mut field) = parts.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        if pairs.len() >= MAX_FIELDS {
            return Err(ApiError::bad_request(format!(
                "the form has more than {MAX_FIELDS} fields"
            ))
            .into());
        }
        let is_file = name == FILE_FIELD;
        let sent_name = sent_file_name(field.file_name().unwrap_or(""));
        let most = if is_file { limit } else { MAX_FIELD_BYTES };
        let mut bytes = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > most {
                if !is_file {
                    return Err(ApiError::bad_request(format!(
                        "{name}: longer than {MAX_FIELD_BYTES} bytes"
                    ))
                    .into());
                }
                // The rest of the file is skipped; the form is shown again with why.
                too_large = true;
                bytes = Vec::new();
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if too_large || !(bytes.is_empty() && sent_name.is_empty()) {
                file = Some(SentFile {
                    name: if sent_name.is_empty() {
                        "application".into()
                    } else {
                        sent_name
                    },
                    bytes: if too_large {
                        Err(format!(
                            "it is larger than the limit of {} for one file",
                            human_size(limit as u64)
                        ))
                    } else {
                        Ok(Bytes::from(bytes))
                    },
                });
            }
        } else {
            let value = String::from_utf8(bytes)
                .map_err(|_| ApiError::bad_request(format!("{name}: not UTF-8 text")))?;
            pairs.push((name, value));
        }
    }
    // The text fields read as the URL-encoded form would be, by the same deserializer.
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let request = Request::builder()
        .method("POST")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(encoded))
        .map_err(|_| ApiError::internal("reading the form"))?;
    let Form(form) = Form::<IntakeForm>::from_request(request, state)
        .await
        .map_err(|e| {
            ApiError::bad_request(format!("the form could not be read: {}", e.body_text()))
        })?;
    Ok((form, file))
}

pub(super) async fn intake_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    request: Request,
) -> WebResult<Response> {
    who.require(cases::STAFF, "open applications")?;
    let (mut form, file) = read_intake(&state, request).await?;
    check_form_csrf(&who, &form.csrf)?;
    form.file_sent = file.as_ref().map(|f| f.name.clone());
    if form.more {
        return Ok(form_again(&who, &form, &[]).into_response());
    }
    // The file is read under the reader's limits before anything is stored; its problem is
    // shown with the form's others.
    let mut errors = Vec::new();
    let mut checked = None;
    if let Some(f) = &file {
        let read = match &f.bytes {
            Ok(bytes) => cases::check_upload(bytes.clone()).await?,
            Err(why) => Err(why.clone()),
        };
        match read {
            Ok(pdf) => checked = Some(pdf),
            Err(why) => errors.push(FieldError {
                field: FILE_FIELD.into(),
                message: format!("the file {} is refused: {why}", f.name),
            }),
        }
    }
    let app = match application_of(&form) {
        Ok(app) => app,
        Err(mut problems) => {
            problems.append(&mut errors);
            return Ok(
                (StatusCode::BAD_REQUEST, form_again(&who, &form, &problems)).into_response(),
            );
        }
    };
    errors.extend(app.validate(now().date()));
    if !errors.is_empty() {
        return Ok((StatusCode::BAD_REQUEST, form_again(&who, &form, &errors)).into_response());
    }
    let case = match (file, checked) {
        (
            Some(SentFile {
                name,
                bytes: Ok(bytes),
            }),
            Some(pdf),
        ) => {
            let received = imr_store::ReceivedFile {
                filename: Some(name),
                media_type: stored_media_type(pdf, &bytes).into(),
                bytes: &bytes,
            };
            cases::open_application_with_file(&state, &who, app, received).await?
        }
        _ => cases::open_application(&state, &who, app).await?,
    };
    Ok(Redirect::to(&format!("/cases/{}", case.number)).into_response())
}
