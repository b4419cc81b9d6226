//! Logging in and out.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use imr_store::accounts::SessionKind;
use maud::html;

use super::WebResult;
use super::forms::check_form_csrf;
use super::layout::page;
use crate::auth::{self, WebUser};
use crate::error::ApiError;
use crate::state::AppState;

pub(super) const LOGIN_CSRF_COOKIE: &str = "imr_login_csrf";

pub(super) fn login_form(csrf: &str, error: Option<&str>, username: &str) -> Html<String> {
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
pub(super) async fn login_page() -> WebResult<Response> {
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

pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

pub(super) async fn login_submit(
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

pub(super) async fn logout(
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
