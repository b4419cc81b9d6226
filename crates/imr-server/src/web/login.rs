//! Logging in and out. A page asked for without a session comes here with `?next=` and, once
//! logged in, the user lands on it: only a path on this server is followed, never another site.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Html;
use axum::response::{IntoResponse, Redirect, Response};
use imr_store::accounts::SessionKind;
use maud::html;
use serde::Deserialize;

use super::WebResult;
use super::forms::{CsrfOnly, check_form_csrf};
use super::layout::page;
use crate::auth::{self, WebUser};
use crate::error::ApiError;
use crate::state::{AppState, Settings};

const LOGIN_CSRF_COOKIE: &str = "imr_login_csrf";
/// Where a login lands when no page was asked for, or the one asked for is not ours.
const HOME: &str = "/queue";

/// The page to return to after login, if it is a path on this server: one leading slash (not
/// `//host` nor `/\host`, which browsers read as another site), printable ASCII only, no
/// backslash, and of a sane length.
pub fn local_path(next: &str) -> Option<&str> {
    let bytes = next.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && next.len() <= 2048
        && bytes
            .iter()
            .all(|b| (0x21..0x7f).contains(b) && *b != b'\\');
    local.then_some(next)
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

fn csrf_cookie(token: &str, settings: &Settings) -> String {
    auth::web_cookie(
        LOGIN_CSRF_COOKIE,
        token.to_owned(),
        "/login",
        None,
        settings,
    )
}

fn login_form(csrf: &str, error: Option<&str>, username: &str, next: &str) -> Html<String> {
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
                        @if let Some(next) = local_path(next) { input type="hidden" name="next" value=(next); }
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
pub(super) async fn login_page(
    State(state): State<AppState>,
    Query(query): Query<LoginQuery>,
) -> WebResult<Response> {
    let csrf = auth::random_hex(16)?;
    let next = query.next.unwrap_or_default();
    Ok((
        [(header::SET_COOKIE, csrf_cookie(&csrf, &state.settings))],
        login_form(&csrf, None, "", &next),
    )
        .into_response())
}

pub(super) async fn login_submit(
    State(state): State<AppState>,
    axum::Extension(client): axum::Extension<crate::ClientAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let csrf = form.csrf.as_str();
    if csrf.is_empty() || auth::cookie_value(&headers, LOGIN_CSRF_COOKIE).as_deref() != Some(csrf) {
        // A fresh token, and its cookie, so that the next try can succeed.
        let fresh = auth::random_hex(16)?;
        return Ok((
            StatusCode::FORBIDDEN,
            [(header::SET_COOKIE, csrf_cookie(&fresh, &state.settings))],
            login_form(
                &fresh,
                Some("The login form expired; please try again."),
                &form.username,
                &form.next,
            ),
        )
            .into_response());
    }
    match auth::login(
        &state,
        client.0,
        &form.username,
        &form.password,
        SessionKind::Web,
    )
    .await
    {
        Ok((token, _)) => Ok((
            [(
                header::SET_COOKIE,
                auth::set_session_cookie(&token, &state.settings),
            )],
            Redirect::to(local_path(&form.next).unwrap_or(HOME)),
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
                [(header::SET_COOKIE, csrf_cookie(csrf, &state.settings))],
                login_form(csrf, Some(&e.message), &form.username, &form.next),
            )
                .into_response())
        }
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form.csrf)?;
    state.accounts.delete_session(&who.token_sha256).await?;
    Ok((
        [(
            header::SET_COOKIE,
            auth::clear_session_cookie(&state.settings),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_a_path_on_this_server_is_followed() {
        for ours in [
            "/queue",
            "/cases/CM26-0000001?error=x",
            "/corpus/search?q=a%20b",
        ] {
            assert_eq!(local_path(ours), Some(ours));
        }
        for theirs in [
            "",
            "queue",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "/a\\b",
            "/a b",
            "/a\r\nSet-Cookie: x",
            "/é",
            "javascript:alert(1)",
        ] {
            assert_eq!(local_path(theirs), None, "{theirs:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None);
    }
}
