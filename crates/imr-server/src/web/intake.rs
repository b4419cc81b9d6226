//! A new application for IMR, typed in by the intake clerk.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use imr_core::case::application::{
    DisputedService, Provider, Signature, Signer, UrDecision, UrOutcome,
};
use imr_core::case::{Application, FieldError};
use imr_core::model::Priority;
use maud::{Markup, html};

use super::WebResult;
use super::forms::{FormData, check_form_csrf};
use super::layout::page;
use crate::auth::{Principal, WebUser};
use crate::cases::{self};
use crate::state::{AppState, now};

/// Disputed-item rows on the intake form.
pub(super) const INTAKE_ITEMS: usize = 3;

pub(super) fn intake_form(who: &Principal, form: &FormData, errors: &[FieldError]) -> Markup {
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

pub(super) async fn intake_page(
    State(_): State<AppState>,
    WebUser(who): WebUser,
) -> WebResult<Html<String>> {
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
pub(super) fn application_of(form: &FormData) -> Result<Application, Vec<FieldError>> {
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

pub(super) async fn intake_submit(
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
