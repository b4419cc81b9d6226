//! The sign form: draft, preview of the whole letter, signature, and issuing the letter.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use imr_core::case::{Case, FieldError, SignProblem};
use imr_core::engine::CaseFindings;
use imr_core::model::Decision;
use maud::{Markup, html};

use super::WebResult;
use super::case::render_case;
use super::forms::{CsrfOnly, FormData, after_case_action, check_form_csrf, field};
use super::layout::page;
use crate::auth::{Principal, WebUser};
use crate::cases::{self};
use crate::state::AppState;

/// ticked "use the proposed rationale", and the problems only the form can have.
/// The sign form read into a draft, with the engine's rationale taken where the reviewer
pub(super) fn draft_of(
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
pub(super) async fn sign_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<FormData>,
) -> WebResult<Response> {
    check_form_csrf(&who, field(&form, "csrf"))?;
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
pub(super) async fn preview_page(
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

pub(super) async fn issue_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(number): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form.csrf)?;
    after_case_action(
        &number,
        cases::issue_letter(&state, &who, &number).await,
        "",
    )
}

/// What the reviewer left in the sign form, and what was wrong with it, for showing the form
/// again exactly as it was.
#[derive(Default)]
pub(super) struct SignForm<'a> {
    pub(super) values: Option<&'a FormData>,
    pub(super) problems: &'a [SignProblem],
    /// A message about the whole form (the case changed since the preview, ...).
    pub(super) notice: Option<String>,
}

impl SignForm<'_> {
    pub(super) fn value(&self, key: &str) -> String {
        self.values
            .and_then(|v| v.get(key))
            .cloned()
            .unwrap_or_default()
    }

    pub(super) fn checked(&self, key: &str) -> bool {
        self.values.is_some_and(|v| v.contains_key(key))
    }

    /// The message for a field, by its path in the draft (`decisions[0].rationale`).
    pub(super) fn error(&self, field: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field() == Some(field))
            .map(SignProblem::message)
    }
}

pub(super) fn field_error(message: Option<&str>) -> Markup {
    html! { @if let Some(e) = message { div.field-error role="alert" { (e) } } }
}

/// The reviewer's own fields for one item. Nothing is pre-set: the decision is chosen, the
/// rationale written, or the engine's rationale taken by ticking a box (only where the engine
/// decided).
pub(super) fn decision_fields(
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
