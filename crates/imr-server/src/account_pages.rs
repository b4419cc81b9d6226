//! Account pages: every user changes their own password (`/account/password`; a user with a
//! one-time password is sent here before anything else), and the administrator manages users
//! (`/admin/users`: add, disable, enable, reset a password to a new one-time password).
//! A one-time password is shown once, on the page that made it, and is never stored in clear.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use imr_store::accounts::{Role, User};
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::{self, CHANGE_PASSWORD_PATH, Principal, WebUser};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{CsrfOnly, WebResult, page};

/// The change-password form. A field left out reads as empty, and is refused as such.
#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    confirm: String,
}

/// The administrator's "add a user" form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AddUserForm {
    csrf: String,
    username: String,
    role: String,
    reviewer_id: String,
    case_number: String,
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            CHANGE_PASSWORD_PATH,
            get(password_page).post(password_submit),
        )
        .route("/admin/users", get(users_page).post(add_submit))
        .route("/admin/users/{username}/disable", post(disable_submit))
        .route("/admin/users/{username}/enable", post(enable_submit))
        .route("/admin/users/{username}/reset", post(reset_submit))
}

fn check_csrf(who: &Principal, given: &str) -> WebResult<()> {
    Ok(auth::check_csrf(who, given)?)
}

// ---- one's own password -------------------------------------------------------------------

async fn password_page(
    State(state): State<AppState>,
    WebUser(who): WebUser,
) -> WebResult<Response> {
    let one_time = one_time(&state, &who).await?;
    Ok(password_form(&who, one_time, None).into_response())
}

/// Whether the user's password is still a one-time password.
async fn one_time(state: &AppState, who: &Principal) -> WebResult<bool> {
    Ok(state
        .accounts
        .user_by_name(&who.username)
        .await?
        .is_some_and(|u| u.must_change_password))
}

fn password_form(
    who: &Principal,
    one_time: bool,
    error: Option<&str>,
) -> axum::response::Html<String> {
    page(
        "Change password",
        Some(who),
        html! {
            div.login {
                div.card {
                    h1 { "Change your password" }
                    @if one_time {
                        div.notice role="status" {
                            "Your password is a one-time password. Choose your own to continue."
                        }
                    }
                    @if let Some(e) = error { div.notice.error role="alert" { (e) } }
                    form.stack method="post" action=(CHANGE_PASSWORD_PATH) {
                        input type="hidden" name="csrf" value=(who.csrf_token);
                        label for="current" { "Current password" }
                        input #current type="password" name="current" autocomplete="current-password" required;
                        label for="new" { "New password (at least " (auth::MIN_PASSWORD_CHARS) " characters)" }
                        input #new type="password" name="new" autocomplete="new-password" required;
                        label for="confirm" { "New password again" }
                        input #confirm type="password" name="confirm" autocomplete="new-password" required;
                        p { button.primary type="submit" { "Change password" } }
                    }
                }
            }
        },
    )
}

async fn password_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<PasswordForm>,
) -> WebResult<Response> {
    check_csrf(&who, &form.csrf)?;
    match auth::change_own_password(&state, &who, &form.current, &form.new, &form.confirm).await {
        Ok(token) => Ok((
            [(
                header::SET_COOKIE,
                auth::set_session_cookie(&token, &state.settings),
            )],
            Redirect::to("/queue"),
        )
            .into_response()),
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            let one_time = one_time(&state, &who).await?;
            Ok((e.status, password_form(&who, one_time, Some(&e.message))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

// ---- the administrator's users page --------------------------------------------------------

/// What the last action on the users page did, shown above the list.
enum Outcome {
    Done(String),
    /// A one-time password made for a user, shown this once.
    Password {
        username: String,
        password: String,
        what: &'static str,
    },
    Refused(String),
}

async fn users_page(State(state): State<AppState>, WebUser(who): WebUser) -> WebResult<Response> {
    who.require(&[Role::Administrator], "manage users")?;
    users_view(&state, &who, None, StatusCode::OK).await
}

async fn users_view(
    state: &AppState,
    who: &Principal,
    outcome: Option<Outcome>,
    status: StatusCode,
) -> WebResult<Response> {
    let users = state.accounts.users().await?;
    let body = html! {
        h1 { "Users" }
        @match &outcome {
            Some(Outcome::Done(message)) => div.notice.ok role="status" { (message) },
            Some(Outcome::Password { username, password, what }) => div.notice.ok role="status" {
                (what) " " strong { (username) } ". One-time password (shown only now; it must be changed at first login): "
                code #one-time-password { (password) }
            },
            Some(Outcome::Refused(message)) => div.notice.error role="alert" { (message) },
            None => {},
        }
        section.card {
            table {
                thead { tr { th { "Username" } th { "Role" } th { "Reviewer or case" } th { "State" } th { "Actions" } } }
                tbody {
                    @for user in &users { (user_row(who, user)) }
                }
            }
        }
        section.card {
            h2 { "Add a user" }
            p { "The new user gets a one-time password, shown once here, to be changed at first login." }
            form.stack method="post" action="/admin/users" {
                input type="hidden" name="csrf" value=(who.csrf_token);
                label for="username" { "Username" }
                input #username type="text" name="username" maxlength="64" required;
                label for="role" { "Role" }
                select #role name="role" {
                    @for role in [Role::IntakeClerk, Role::Reviewer, Role::Administrator, Role::Quality, Role::Party] {
                        option value=(role.as_str()) { (role.as_str()) }
                    }
                }
                label for="reviewer_id" { "Reviewer record (for a reviewer)" }
                input #reviewer_id type="text" name="reviewer_id" maxlength="64";
                label for="case_number" { "Case number (for a party)" }
                input #case_number type="text" name="case_number" maxlength="32";
                p { button.primary type="submit" { "Add user" } }
            }
        }
    };
    Ok((status, page("Users", Some(who), body)).into_response())
}

fn user_row(who: &Principal, user: &User) -> Markup {
    let state = match (user.disabled, user.must_change_password) {
        (true, _) => "disabled",
        (false, true) => "one-time password",
        (false, false) => "active",
    };
    let action = |what: &str, label: &str| {
        html! {
            form.inline method="post" action=(format!("/admin/users/{}/{what}", user.username)) {
                input type="hidden" name="csrf" value=(who.csrf_token);
                button type="submit" { (label) }
            }
        }
    };
    html! {
        tr {
            td { (user.username) }
            td { (user.role.as_str()) }
            td { (user.reviewer_id.as_deref().or(user.case_number.as_deref()).unwrap_or("")) }
            td { (state) }
            td {
                @if user.id != who.user_id {
                    @if user.disabled { (action("enable", "Enable")) } @else { (action("disable", "Disable")) }
                    (action("reset", "Reset password"))
                }
            }
        }
    }
}

/// A refusal the administrator can correct is shown on the page; anything else is an error page.
async fn refused_or_error(state: &AppState, who: &Principal, e: ApiError) -> WebResult<Response> {
    if matches!(
        e.status,
        StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::NOT_FOUND
    ) {
        users_view(state, who, Some(Outcome::Refused(e.message)), e.status).await
    } else {
        Err(e.into())
    }
}

/// A field that may be left empty.
fn optional(value: &str) -> Option<String> {
    Some(value.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

async fn add_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Form(form): Form<AddUserForm>,
) -> WebResult<Response> {
    who.require(&[Role::Administrator], "manage users")?;
    check_csrf(&who, &form.csrf)?;
    let username = form.username.trim();
    let Some(role) = Role::parse(&form.role) else {
        let e = ApiError::bad_request("role: choose one of the roles listed");
        return refused_or_error(&state, &who, e).await;
    };
    let password = auth::one_time_password()?;
    let added = auth::add_user(
        &state,
        auth::NewAccount {
            username,
            password: &password,
            role,
            reviewer_id: optional(&form.reviewer_id).filter(|_| role == Role::Reviewer),
            case_number: optional(&form.case_number).filter(|_| role == Role::Party),
            one_time: true,
        },
    )
    .await;
    match added {
        Ok(user) => {
            tracing::info!(user_id = who.user_id, new_user_id = user.id, "user added");
            let outcome = Outcome::Password {
                username: user.username,
                password,
                what: "Added",
            };
            users_view(&state, &who, Some(outcome), StatusCode::OK).await
        }
        Err(e) => refused_or_error(&state, &who, e).await,
    }
}

/// The user an action names, other than the administrator doing it.
async fn other_user(state: &AppState, who: &Principal, username: &str) -> Result<User, ApiError> {
    let user = state
        .accounts
        .user_by_name(username)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user {username}")))?;
    if user.id == who.user_id {
        return Err(ApiError::bad_request(
            "this is your own account: change your password on the Change password page",
        ));
    }
    Ok(user)
}

async fn set_disabled(
    state: AppState,
    who: Principal,
    username: String,
    form: CsrfOnly,
    disabled: bool,
) -> WebResult<Response> {
    who.require(&[Role::Administrator], "manage users")?;
    check_csrf(&who, &form.csrf)?;
    let user = match other_user(&state, &who, &username).await {
        Ok(user) => user,
        Err(e) => return refused_or_error(&state, &who, e).await,
    };
    state.accounts.set_disabled(user.id, disabled).await?;
    tracing::info!(
        user_id = who.user_id,
        target_user_id = user.id,
        disabled,
        "user access changed"
    );
    let message = if disabled {
        format!(
            "{} is disabled: their sessions ended and they cannot log in.",
            user.username
        )
    } else {
        format!("{} is enabled again.", user.username)
    };
    users_view(&state, &who, Some(Outcome::Done(message)), StatusCode::OK).await
}

async fn disable_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(username): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    set_disabled(state, who, username, form, true).await
}

async fn enable_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(username): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    set_disabled(state, who, username, form, false).await
}

async fn reset_submit(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    Path(username): Path<String>,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    who.require(&[Role::Administrator], "manage users")?;
    check_csrf(&who, &form.csrf)?;
    let user = match other_user(&state, &who, &username).await {
        Ok(user) => user,
        Err(e) => return refused_or_error(&state, &who, e).await,
    };
    let password = auth::reset_password(&state, user.id).await?;
    let outcome = Outcome::Password {
        username: user.username,
        password,
        what: "New password for",
    };
    users_view(&state, &who, Some(outcome), StatusCode::OK).await
}
