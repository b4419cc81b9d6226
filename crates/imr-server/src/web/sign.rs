//! The sign form's steps: draft, preview of the whole letter, signature, and issuing the letter.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use imr_case::SignProblem;
use maud::html;

use super::case::render_case;
use super::forms::{CsrfOnly, after_case_action, check_form_csrf};
use super::layout::page;
use super::sign_form::{SignFields, SignForm, Step, draft_of};
use super::{WebResult, draft};
use crate::auth::{Principal, WebUser, WebUserOrIdle};
use crate::cases::{self};
use crate::state::AppState;

/// The sign form's three steps: `preview` (the default, and what Enter in a field does)
/// checks the draft and shows the whole letter; `edit` goes back to the form as it was;
/// only `sign`, the preview's "Sign and issue" button, signs. A form with problems comes
/// back as the reviewer left it, each problem at its field.
///
/// A form sent after the session ended for want of use is kept as the reviewer's draft, and
/// the login asked for says so and returns to the case; a live one is kept as the draft on
/// every step but the signature (which deletes the drafts).
pub(super) async fn sign_submit(
    State(state): State<AppState>,
    who: WebUserOrIdle,
    Path(number): Path<String>,
    Form(form): Form<SignFields>,
) -> WebResult<Response> {
    let who = match who {
        WebUserOrIdle::Live(who) => who,
        WebUserOrIdle::Idle(who) => {
            let kept = draft::keep_after_session_ended(&state, &who, &number, &form).await;
            return Ok(Redirect::to(&draft::login_after(&number, kept)).into_response());
        }
    };
    check_form_csrf(&who, &form.csrf)?;
    if form.step != Step::Sign {
        // What was typed is kept before anything else can go wrong with it.
        if let Err(e) = draft::keep(&state, &who, &number, &form, false).await {
            if e.status == StatusCode::NOT_FOUND {
                return Err(e.into());
            }
            tracing::warn!(status = %e.status, "the sign form was not kept as a draft");
        }
    }
    if form.step == Step::Edit {
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
                ..SignForm::default()
            };
            return render_case(&state, &who, &number, &again, status).await;
        }
    };
    if form.step != Step::Sign {
        return preview_page(&state, &who, &form, &checked).await;
    }
    // What is signed is what was previewed: the proposal taken by "use the proposed
    // rationale" is the one of the case's version at the preview.
    if form.version != Some(checked.version) {
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
    form: &SignFields,
    checked: &cases::Checked,
) -> WebResult<Response> {
    let letter = cases::preview_letter(state, checked).await?;
    let number = &checked.case.number;
    let carried = form.carried();
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
