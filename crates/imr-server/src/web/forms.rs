//! What every form shares: the CSRF check and where a case form lands.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use serde::Deserialize;

use super::WebResult;
use crate::auth::{self, Principal};
use crate::error::ApiError;

/// A form that carries nothing but its CSRF token (log out, issue the letter).
#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// The CSRF token every form carries, checked against the session's.
pub(super) fn check_form_csrf(who: &Principal, given: &str) -> WebResult<()> {
    Ok(auth::check_csrf(who, given)?)
}

/// A checkbox: ticked when sent at all.
pub(super) fn ticked<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Option::<String>::deserialize(d).map(|v| v.is_some())
}

/// Where a case form lands: the case page (at `anchor`) on success, the case page with the
/// error's code on a refusal (the page shows the code's fixed text); a 403 stays an error
/// page, so nothing of the case is shown.
pub(super) fn after_case_action<T>(
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
