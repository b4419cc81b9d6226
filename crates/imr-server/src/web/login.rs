//! Logging in and out. A page asked for without a session comes here with `?next=` and, once
//! logged in, the user lands on it: only a path on this server is followed, never another site.
//! `?reason=` says why the login is asked for: the session ended for want of use (`idle`), or
//! it did and the sign form sent with it was kept as a draft (`expired`). A successful login
//! gives the browser a device cookie (`auth::remember_device`), which the throttle counts apart
//! from the browser's address. The pages keep a session alive with `/session/keep`.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Html;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
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
    reason: Option<String>,
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

/// Why the login page is shown, in words, from its `?reason=` (an unknown reason shows nothing:
/// the text of a link is never shown).
fn reason_words(reason: &str, settings: &Settings) -> Option<String> {
    let idle = settings.session_idle_seconds;
    let unused = if idle % 60 == 0 {
        format!("{} minute(s)", idle / 60)
    } else {
        format!("{idle} second(s)")
    };
    match reason {
        auth::REASON_EXPIRED => Some(format!(
            "Your session expired; your draft was kept. Your session ends after {unused} \
             without use: log in again to go back to the case, where the form is as you left it."
        )),
        auth::REASON_IDLE => Some(format!(
            "Your session ended after {unused} without use; log in again to go on."
        )),
        _ => None,
    }
}

fn login_form(
    csrf: &str,
    error: Option<&str>,
    notice: Option<&str>,
    username: &str,
    next: &str,
) -> Html<String> {
    page(
        "Log in",
        None,
        html! {
            div.login {
                div.card {
                    h1 { "Log in" }
                    @if let Some(n) = notice { div.notice.warning #login-reason role="status" { (n) } }
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
    let notice = query
        .reason
        .as_deref()
        .and_then(|r| reason_words(r, &state.settings));
    Ok((
        [(header::SET_COOKIE, csrf_cookie(&csrf, &state.settings))],
        login_form(&csrf, None, notice.as_deref(), "", &next),
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
                None,
                &form.username,
                &form.next,
            ),
        )
            .into_response());
    }
    let device = auth::cookie_value(&headers, auth::DEVICE_COOKIE);
    let from = auth::LoginFrom {
        address: client.0,
        device: device.as_deref(),
    };
    match auth::login(
        &state,
        from,
        &form.username,
        &form.password,
        SessionKind::Web,
    )
    .await
    {
        Ok(done) => {
            // The session this browser held before (ended, or another user's) ends now.
            if let Some(old) = auth::session_cookie(&headers) {
                state
                    .accounts
                    .delete_session(&auth::token_hash(&old))
                    .await?;
            }
            let mut cookies = vec![(
                header::SET_COOKIE,
                auth::set_session_cookie(&done.token, &state.settings),
            )];
            if !done.known_device {
                cookies.push((
                    header::SET_COOKIE,
                    auth::remember_device(&state, done.session.user.id).await?,
                ));
            }
            Ok((
                AppendHeaders(cookies),
                Redirect::to(local_path(&form.next).unwrap_or(HOME)),
            )
                .into_response())
        }
        Err(e) => {
            let retry_after = e
                .retry_after()
                .map(|s| [(header::RETRY_AFTER, s.to_string())]);
            let e: ApiError = e.into();
            Ok((
                e.status,
                retry_after,
                [(header::SET_COOKIE, csrf_cookie(csrf, &state.settings))],
                login_form(csrf, Some(&e.message), None, &form.username, &form.next),
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

/// The pages' "stay logged in": the session is used now; answers the seconds it has left.
pub(super) async fn keep_session(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    check_form_csrf(&who, &form.csrf)?;
    let left = auth::keep_session(&state, &who).await?;
    Ok(axum::Json(serde_json::json!({ "idle_seconds_left": left })).into_response())
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
