//! Drafts of the sign form: what the reviewer typed is kept on the server as they type it
//! (`/static/draft.js` posts the form to `/cases/{number}/draft` a moment after each change),
//! on every preview (without script too), and when a form arrives after the session ended for
//! want of use — then the login asks again, says the draft was kept, and returns to the case.
//! Opening the case again fills the form from the draft. A draft is never signed by itself:
//! only the preview's "Sign and issue" signs, and the signature deletes the case's drafts
//! (`imr_store::Store::update_case`).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use imr_case::{AuditEntry, Case, Status};
use imr_store::SignDraft;
use imr_store::accounts::Role;
use jiff::civil::DateTime;
use serde_json::json;

use super::WebResult;
use super::forms::check_form_csrf;
use super::layout::when;
use super::sign_form::SignFields;
use crate::auth::{self, Principal, WebUserOrIdle};
use crate::cases;
use crate::error::ApiError;
use crate::state::{AppState, now};

/// Whether `who` is the reviewer who may sign the case now: only they have a sign form.
pub(super) fn may_draft(who: &Principal, case: &Case) -> bool {
    who.role == Role::Reviewer
        && case.reviewer_id() == who.reviewer_id.as_deref()
        && case.status == Status::RecordsComplete
        && case.determination.is_none()
}

/// Keeps what `who` typed in the case's sign form as their draft; `Ok(None)` when they have no
/// sign form to keep (not their case, or not one to sign now). The first draft of a case is
/// audited; so is one kept after the session ended.
pub(super) async fn keep(
    state: &AppState,
    who: &Principal,
    number: &str,
    form: &SignFields,
    after_session_ended: bool,
) -> Result<Option<SignDraft>, ApiError> {
    let case = cases::load_case(state, who, number).await?;
    if !may_draft(who, &case) {
        return Ok(None);
    }
    Ok(state
        .app
        .save_draft(
            &case.number,
            who.user_id,
            form.typed(),
            after_session_ended,
            now(),
            &who.actor(),
        )
        .await?)
}

/// A draft that fills the sign form again.
pub(super) struct Restored {
    pub(super) fields: SignFields,
    pub(super) saved_at: DateTime,
}

/// `who`'s draft of the case, if they have one to fill their sign form with (audited: the
/// case page shows it). A draft that no longer reads is left out, never an error.
pub(super) async fn restored(state: &AppState, who: &Principal, case: &Case) -> Option<Restored> {
    if !may_draft(who, case) {
        return None;
    }
    let draft = match state.store.draft(&case.number, who.user_id).await {
        Ok(draft) => draft?,
        Err(e) => {
            tracing::error!(error = %e, "a sign draft could not be read");
            return None;
        }
    };
    let fields = match SignFields::from_typed(&draft.form) {
        Ok(fields) => fields,
        Err(why) => {
            tracing::warn!(why, "a sign draft does not read as the sign form");
            return None;
        }
    };
    let entry = AuditEntry::new(now(), who.actor(), "sign_draft.restored", "");
    if let Err(e) = state.store.record_audit(Some(&case.number), &entry).await {
        tracing::error!(error = %e, "the restored draft could not be audited");
        return None;
    }
    Some(Restored {
        fields,
        saved_at: draft.saved_at,
    })
}

/// Where a form sent after the session ended goes: the login, which says whether the draft was
/// kept and returns to the case.
pub(super) fn login_after(number: &str, kept: bool) -> String {
    let reason = if kept {
        auth::REASON_EXPIRED
    } else {
        auth::REASON_IDLE
    };
    let next: String =
        form_urlencoded::byte_serialize(format!("/cases/{number}").as_bytes()).collect();
    format!("/login?next={next}&reason={reason}")
}

/// Keeps the form sent with a session that ended for want of use, if its CSRF token is that
/// session's; whether it was kept. Nothing else is done with such a session.
pub(super) async fn keep_after_session_ended(
    state: &AppState,
    who: &Principal,
    number: &str,
    form: &SignFields,
) -> bool {
    if auth::check_csrf(who, &form.csrf).is_err() {
        return false;
    }
    match keep(state, who, number, form, true).await {
        Ok(kept) => kept.is_some(),
        Err(e) => {
            tracing::warn!(status = %e.status, "a form sent after the session ended was not kept");
            false
        }
    }
}

/// `POST /cases/{number}/draft`, from the page's script: keeps the form as the reviewer's draft
/// and answers, as JSON for the script, when it was saved and how long the session has left;
/// after the session ended, keeps it all the same and answers 401 with where to log in.
pub(super) async fn draft_submit(
    State(state): State<AppState>,
    who: WebUserOrIdle,
    Path(number): Path<String>,
    Form(form): Form<SignFields>,
) -> WebResult<Response> {
    let who = match who {
        WebUserOrIdle::Live(who) => who,
        WebUserOrIdle::Idle(who) => {
            let kept = keep_after_session_ended(&state, &who, &number, &form).await;
            let body =
                json!({ "expired": true, "kept": kept, "login": login_after(&number, kept) });
            return Ok((StatusCode::UNAUTHORIZED, axum::Json(body)).into_response());
        }
    };
    check_form_csrf(&who, &form.csrf)?;
    match keep(&state, &who, &number, &form, false).await? {
        Some(draft) => Ok(axum::Json(json!({
            "saved_at": when(draft.saved_at),
            "idle_seconds_left": who.idle_seconds_left,
        }))
        .into_response()),
        None => Err(ApiError::conflict(format!(
            "case {number} has no sign form of yours to keep: it is not yours to sign now"
        ))
        .into()),
    }
}
