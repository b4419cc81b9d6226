//! Who is asking: passwords (argon2), session cookies for the web (ended after an idle timeout,
//! but kept so that a form sent after it is kept as a draft), bearer tokens for the API, login
//! slowed down after failures (per username and client address, or per browser for one with a
//! device cookie from an earlier login; never locked), one-time passwords that must be changed,
//! and the rules of who may see and do what (a case one may not see is not found).
//!
//! Tokens are 32 random bytes in hex; the store keeps only their SHA-256, so a copy of the
//! database cannot be used to log in.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use imr_case::Case;
use imr_store::accounts::{LoginAttempt, NewSession, NewUser, Role, Session, SessionKind, User};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
pub use crate::password::hash_password;
use crate::state::AppState;

/// The web session cookie.
pub const SESSION_COOKIE: &str = "imr_session";
/// How long a web session lasts (at most; unused, it ends sooner: `Settings::session_idle_seconds`).
pub const WEB_SESSION_SECONDS: i64 = 12 * 3600;
/// How long an API token lasts.
pub const API_TOKEN_SECONDS: i64 = 30 * 24 * 3600;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

pub fn unix_now() -> i64 {
    jiff::Timestamp::now().as_second()
}

/// Random bytes in lower-case hex.
pub fn random_hex(bytes: usize) -> Result<String, ApiError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| {
        tracing::error!(error = %e, "no randomness");
        ApiError::internal("drawing random bytes")
    })?;
    Ok(hex::encode(&buf))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// [`hash_password`] on a blocking thread: argon2 is made to be slow, and on the async runtime
/// it would hold up every other request on the worker.
pub async fn hash_password_blocking(password: &str) -> Result<String, ApiError> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::internal("hashing a password"))?
}

/// Whether `password` is the one `hash` was made from, checked on a blocking thread (see
/// [`hash_password_blocking`]). Anything that goes wrong is a wrong password, never a right one.
async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A password a person could have chosen: long enough, not blank.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "the password must be at least {MIN_PASSWORD_CHARS} characters long"
        ));
    }
    Ok(())
}

/// Why a login failed. The answer never says whether the user exists: the throttle counts
/// unknown names as it counts known ones.
#[derive(Debug)]
pub enum LoginError {
    Wrong,
    /// Too many failures of this username from this address: wait before trying again.
    Throttled {
        seconds: i64,
    },
    /// The password is right but one-time, and this is the API: change it on the web first.
    MustChangePassword,
    Store(ApiError),
}

impl LoginError {
    /// For a `Retry-After` header.
    pub fn retry_after(&self) -> Option<i64> {
        match self {
            LoginError::Throttled { seconds } => Some(*seconds),
            _ => None,
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> ApiError {
        match e {
            LoginError::Wrong => ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "wrong username or password",
            ),
            LoginError::Throttled { seconds } => ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many failed logins for this username from your address: wait {seconds} \
                     second(s) and try again"
                ),
            ),
            LoginError::MustChangePassword => ApiError::forbidden(
                "this account has a one-time password: log in on the web and choose your own \
                 password (/account/password) before using the API",
            ),
            LoginError::Store(e) => e,
        }
    }
}

/// The throttle cannot be read or written: refuse the login rather than let guesses through.
fn throttle_unavailable(e: imr_store::StoreError) -> LoginError {
    tracing::error!(error = %e, "the login throttle is unavailable; refusing logins");
    LoginError::Store(ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "logins are unavailable for a moment; try again later",
    ))
}

/// The username as the throttle keys it: bounded, so a long name costs no more than a short one.
fn throttle_name(username: &str) -> String {
    username.chars().take(128).collect()
}

/// The client address as the throttle keys it.
fn throttle_client(client: Option<IpAddr>) -> String {
    client.map_or_else(|| "unknown".to_string(), |ip| ip.to_string())
}

/// Where a login attempt comes from, as the throttle counts it.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginFrom<'a> {
    /// The client's address, when the server knows it.
    pub address: Option<IpAddr>,
    /// The device cookie the browser sent, if any (the web only).
    pub device: Option<&'a str>,
}

/// A login that succeeded.
pub struct LoggedIn {
    pub token: String,
    pub session: Session,
    /// The browser showed a device cookie an earlier login to this account set.
    pub known_device: bool,
}

/// Checks a username and password. Failures slow down the next attempt of the same username
/// from the same address (exponential backoff, `Settings::throttle`); the right password from
/// another address is never held back. A browser that logged in to the account before
/// (its device cookie, [`remember_device`]) is counted on its own instead of with its address,
/// so an attacker guessing from the same address (an office behind one NAT) does not slow its
/// user down, as OWASP's device cookies have it; it is slowed by its own failures alone. The
/// throttle lives in the store, so servers sharing it count together, and it fails closed.
/// On success opens a session of `kind`.
pub async fn login(
    state: &AppState,
    from: LoginFrom<'_>,
    username: &str,
    password: &str,
    kind: SessionKind,
) -> Result<LoggedIn, LoginError> {
    let now = unix_now();
    let name_key = throttle_name(username);
    let known_device = match from.device {
        Some(device) => state
            .accounts
            .is_login_device(&token_hash(device), &name_key, now)
            .await
            .map_err(throttle_unavailable)?,
        None => false,
    };
    let client_key = match from.device {
        // A short prefix of the hash names the device: enough to tell devices apart.
        Some(device) if known_device => format!("device:{}", &token_hash(device)[..32]),
        _ => throttle_client(from.address),
    };
    let attempt = state
        .accounts
        .begin_login_attempt(&name_key, &client_key, now, &state.settings.throttle)
        .await
        .map_err(throttle_unavailable)?;
    let failures = match attempt {
        LoginAttempt::Wait { until } => {
            return Err(LoginError::Throttled {
                seconds: (until - now).max(1),
            });
        }
        LoginAttempt::Go { failures, .. } => failures,
    };
    // The attempt is already counted as a failure; a success clears the count.
    let Some(user) = check_password(state, username, password).await? else {
        tracing::warn!(failures, known_device, "failed login");
        return Err(LoginError::Wrong);
    };
    state
        .accounts
        .clear_login_failures(&name_key, &client_key)
        .await
        .map_err(throttle_unavailable)?;
    if kind == SessionKind::Api && user.must_change_password {
        return Err(LoginError::MustChangePassword);
    }
    let (token, session) = open_session(state, user, kind)
        .await
        .map_err(LoginError::Store)?;
    Ok(LoggedIn {
        token,
        session,
        known_device,
    })
}

/// The cookie that marks a browser which logged in to an account (see [`login`]).
pub const DEVICE_COOKIE: &str = "imr_device";
/// How long a device cookie is honoured.
pub const DEVICE_SECONDS: i64 = 180 * 24 * 3600;
/// Devices remembered per user; past it the oldest are forgotten.
const DEVICES_PER_USER: u32 = 10;

/// Remembers the browser of a successful web login: a new device token, kept in the store as its
/// SHA-256, returned as the `Set-Cookie` value that gives it to the browser (sent back only to
/// `/login`).
pub async fn remember_device(state: &AppState, user_id: i64) -> Result<String, ApiError> {
    let token = random_hex(32)?;
    let now = unix_now();
    state
        .accounts
        .add_login_device(
            &token_hash(&token),
            user_id,
            now,
            now + DEVICE_SECONDS,
            DEVICES_PER_USER,
        )
        .await?;
    Ok(web_cookie(
        DEVICE_COOKIE,
        token,
        "/login",
        Some(DEVICE_SECONDS),
        &state.settings,
    ))
}

/// The user if the password is theirs and the account is enabled.
async fn check_password(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<Option<User>, LoginError> {
    let user = state
        .accounts
        .user_by_name(username)
        .await
        .map_err(|e| LoginError::Store(e.into()))?;
    let Some(user) = user else {
        // Verify anyway, so an unknown name takes as long as a wrong password.
        let _ = verify_password(password, &state.dummy_hash).await;
        return Ok(None);
    };
    let right = verify_password(password, &user.password_hash).await;
    Ok((right && !user.disabled).then_some(user))
}

/// Opens a session for `user` and returns its token (the store keeps only its hash).
pub async fn open_session(
    state: &AppState,
    user: User,
    kind: SessionKind,
) -> Result<(String, Session), ApiError> {
    let now = unix_now();
    let token = random_hex(32)?;
    let csrf = random_hex(16)?;
    let lifetime = match kind {
        SessionKind::Web => WEB_SESSION_SECONDS,
        SessionKind::Api => API_TOKEN_SECONDS,
    };
    let created_ms = jiff::Timestamp::now().as_millisecond();
    state
        .accounts
        .create_session(
            &NewSession {
                token_sha256: token_hash(&token),
                user_id: user.id,
                kind,
                csrf_token: csrf.clone(),
                created_ms,
                expires_at: now + lifetime,
            },
            now,
            state.settings.max_sessions_per_user,
        )
        .await?;
    tracing::info!(user_id = user.id, kind = kind.as_str(), "login");
    let session = Session {
        kind,
        csrf_token: csrf,
        expires_at: now + lifetime,
        last_seen: now,
        user,
    };
    Ok((token, session))
}

/// Changes the password of the user behind `who` after checking their current one. Every
/// session of theirs ends; the new web session's token is returned.
pub async fn change_own_password(
    state: &AppState,
    who: &Principal,
    current: &str,
    new: &str,
    confirm: &str,
) -> ApiResult<String> {
    let user = state
        .accounts
        .user_by_name(&who.username)
        .await?
        .ok_or_else(|| ApiError::not_found("your account no longer exists"))?;
    if !verify_password(current, &user.password_hash).await {
        return Err(ApiError::bad_request(
            "current password: this is not your current password",
        ));
    }
    check_new_password(new).map_err(|m| ApiError::bad_request(format!("new password: {m}")))?;
    if new != confirm {
        return Err(ApiError::bad_request(
            "confirm: the two new passwords are not the same",
        ));
    }
    if new == current {
        return Err(ApiError::bad_request(
            "new password: choose a password other than the current one",
        ));
    }
    state
        .accounts
        .set_password(user.id, &hash_password_blocking(new).await?, false)
        .await?;
    tracing::info!(user_id = user.id, "password changed");
    let (token, _) = open_session(state, user, SessionKind::Web).await?;
    Ok(token)
}

/// Gives a user a new random one-time password (returned, to be shown once) and ends their
/// sessions.
pub async fn reset_password(state: &AppState, user_id: i64) -> ApiResult<String> {
    let password = one_time_password()?;
    state
        .accounts
        .set_password(user_id, &hash_password_blocking(&password).await?, true)
        .await?;
    tracing::info!(user_id, "password reset to a one-time password");
    Ok(password)
}

/// A random one-time password: 16 hex digits (64 bits).
pub fn one_time_password() -> ApiResult<String> {
    random_hex(8)
}

/// Creates a user with a password chosen for them by whoever creates the account.
pub async fn create_user(
    state: &AppState,
    username: &str,
    password: &str,
    role: Role,
    reviewer_id: Option<String>,
    case_number: Option<String>,
) -> ApiResult<User> {
    add_user(
        state,
        NewAccount {
            username,
            password,
            role,
            reviewer_id,
            case_number,
            one_time: false,
        },
    )
    .await
}

/// A user account about to be created.
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub role: Role,
    pub reviewer_id: Option<String>,
    pub case_number: Option<String>,
    /// The user must change the password at first login.
    pub one_time: bool,
}

/// Checks and creates a user with a hashed password.
pub async fn add_user(state: &AppState, account: NewAccount<'_>) -> ApiResult<User> {
    let NewAccount {
        username,
        password,
        role,
        reviewer_id,
        case_number,
        one_time,
    } = account;
    let name_ok = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if !name_ok {
        return Err(ApiError::bad_request(
            "username: must be 1-64 ASCII letters, digits, '-', '_', '.' or '@'",
        ));
    }
    check_new_password(password).map_err(|m| ApiError::bad_request(format!("password: {m}")))?;
    match role {
        Role::Reviewer => {
            let Some(id) = &reviewer_id else {
                return Err(ApiError::bad_request(
                    "reviewer_id: a reviewer user must name the reviewer record they are",
                ));
            };
            if state.store.reviewer(id).await?.is_none() {
                return Err(ApiError::bad_request(format!(
                    "reviewer_id: no reviewer {id}"
                )));
            }
        }
        Role::Party if case_number.is_none() => {
            return Err(ApiError::bad_request(
                "case_number: a party user must name the case they are a party to",
            ));
        }
        _ => {}
    }
    let hash = hash_password_blocking(password).await?;
    Ok(state
        .accounts
        .create_user(&NewUser {
            username: username.to_string(),
            role,
            reviewer_id,
            case_number,
            password_hash: hash,
            must_change_password: one_time,
            created_at: unix_now(),
        })
        .await?)
}

/// The user behind a request, as far as authorization needs to know.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub reviewer_id: Option<String>,
    pub case_number: Option<String>,
    pub csrf_token: String,
    /// The hash of the token that authenticated the request (to log out).
    pub token_sha256: String,
    /// For a web session: the seconds it has left unless used again (the pages warn before
    /// it ends).
    pub idle_seconds_left: Option<i64>,
}

impl Principal {
    fn of(session: Session, token_sha256: String, idle_seconds_left: Option<i64>) -> Principal {
        Principal {
            user_id: session.user.id,
            username: session.user.username,
            role: session.user.role,
            reviewer_id: session.user.reviewer_id,
            case_number: session.user.case_number,
            csrf_token: session.csrf_token,
            token_sha256,
            idle_seconds_left,
        }
    }

    /// The name the audit log records.
    pub fn actor(&self) -> String {
        format!("user:{}", self.username)
    }

    /// Refuses unless the user has one of `roles`.
    pub fn require(&self, roles: &[Role], doing: &str) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            let allowed: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::forbidden(format!(
                "a user with role {} may not {doing} (allowed: {})",
                self.role.as_str(),
                allowed.join(", ")
            )))
        }
    }

    pub fn may_view(&self, case: &Case) -> bool {
        match self.role {
            Role::Administrator | Role::IntakeClerk | Role::Quality => true,
            Role::Reviewer => {
                self.reviewer_id.is_some() && case.reviewer_id() == self.reviewer_id.as_deref()
            }
            Role::Party => self.case_number.as_deref() == Some(case.number.as_str()),
        }
    }

    /// Refuses a case the user may not see as if it did not exist: the same 404 and words as
    /// for a number no case has, so that trying numbers shows nothing of which exist.
    pub fn check_view(&self, case: &Case) -> ApiResult<()> {
        if self.may_view(case) {
            Ok(())
        } else {
            Err(ApiError::not_found(format!("no case {}", case.number)))
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then_some(token)
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// The value of a request's cookie, if it has a non-empty one.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    CookieJar::from_headers(headers)
        .get(name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

/// A cookie of the workbench, as a `Set-Cookie` value: HttpOnly (no script reads it),
/// SameSite=Strict (no other site's page sends it), and Secure (sent over HTTPS only) with
/// `--secure-cookies`. `max_age` None: until the browser closes.
pub fn web_cookie(
    name: &'static str,
    value: String,
    path: &'static str,
    max_age: Option<i64>,
    settings: &crate::state::Settings,
) -> String {
    let mut cookie = Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path(path)
        .secure(settings.secure_cookies);
    if let Some(seconds) = max_age {
        cookie = cookie.max_age(cookie::time::Duration::seconds(seconds));
    }
    cookie.build().to_string()
}

/// What a request's token finds.
enum Found {
    /// A live session (and whether its password must be changed first).
    Live(Principal, bool),
    /// A web session unused longer than `Settings::session_idle_seconds`: ended, but kept until
    /// it expires so that a form sent with it can still be kept as its user's draft (see
    /// [`WebUserOrIdle`]). It authorizes nothing else.
    Idle(Principal),
}

/// The session behind a token, if it exists and has not expired. A web session idle too long
/// is [`Found::Idle`]; a live one's use is noted at most every minute (sooner for short idle
/// timeouts), so a page view is not a write each time.
async fn find_session(
    state: &AppState,
    token: &str,
    kind: SessionKind,
) -> ApiResult<Option<Found>> {
    let hash = token_hash(token);
    let now = unix_now();
    let session = match state.accounts.session(&hash, now).await? {
        Some(session) if session.kind == kind => session,
        _ => return Ok(None),
    };
    let idle_limit = state.settings.session_idle_seconds;
    if kind == SessionKind::Web && now - session.last_seen > idle_limit {
        return Ok(Some(Found::Idle(Principal::of(session, hash, Some(0)))));
    }
    let mut last_seen = session.last_seen;
    if now - last_seen >= (idle_limit / 4).clamp(1, 60) {
        state.accounts.touch_session(&hash, now).await?;
        last_seen = now;
    }
    let left = (kind == SessionKind::Web).then(|| idle_limit - (now - last_seen));
    let must_change = session.user.must_change_password;
    Ok(Some(Found::Live(
        Principal::of(session, hash, left),
        must_change,
    )))
}

/// The live session behind a token.
async fn live_session(
    state: &AppState,
    token: &str,
    kind: SessionKind,
) -> ApiResult<(Principal, bool)> {
    match find_session(state, token, kind).await? {
        Some(Found::Live(p, must_change)) => Ok((p, must_change)),
        _ => Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "the token is unknown or has expired: log in again",
        )),
    }
}

/// Notes that a web session was used now (the "stay logged in" button); returns the seconds it
/// has left.
pub async fn keep_session(state: &AppState, who: &Principal) -> ApiResult<i64> {
    state
        .accounts
        .touch_session(&who.token_sha256, unix_now())
        .await?;
    Ok(state.settings.session_idle_seconds)
}

/// An API caller, authenticated by a bearer token.
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<ApiUser> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let (p, _) = live_session(state, token, SessionKind::Api).await?;
        note_user(parts, p.user_id);
        Ok(ApiUser(p))
    }
}

/// The page where a user changes their own password.
pub const CHANGE_PASSWORD_PATH: &str = "/account/password";
/// The only pages a user with a one-time password may see; every other one redirects to
/// [`CHANGE_PASSWORD_PATH`].
const ONE_TIME_PASSWORD_PATHS: &[&str] = &[CHANGE_PASSWORD_PATH, "/logout"];

/// A web user, authenticated by the session cookie; without one, the login page. A user with a
/// one-time password is sent to change it first.
pub struct WebUser(pub Principal);

/// Leaves the user id where the request log finds it.
fn note_user(parts: &Parts, user_id: i64) {
    if let Some(slot) = parts.extensions.get::<crate::UserSlot>() {
        slot.0.store(user_id, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Why the login page is shown: `?reason=` in its address.
pub const REASON_IDLE: &str = "idle";
/// The session ended for want of use and the form sent with it was kept as a draft.
pub const REASON_EXPIRED: &str = "expired";

/// The login page's address for a request without a live session: a page asked for (GET) is
/// where the login returns to; a form sent without a session is not replayed.
fn login_address(parts: &Parts, reason: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if parts.method == axum::http::Method::GET {
        query.append_pair(
            "next",
            parts.uri.path_and_query().map_or("/", |p| p.as_str()),
        );
    }
    if let Some(reason) = reason {
        query.append_pair("reason", reason);
    }
    let query = query.finish();
    if query.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?{query}")
    }
}

/// The web session a request's cookie finds, or where to log in instead.
async fn web_session(parts: &Parts, state: &AppState) -> Result<Found, axum::response::Redirect> {
    let to_login = |reason| axum::response::Redirect::to(&login_address(parts, reason));
    let token = session_cookie(&parts.headers).ok_or_else(|| to_login(None))?;
    match find_session(state, &token, SessionKind::Web).await {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(to_login(None)),
        Err(e) => {
            tracing::error!(status = %e.status, "the session could not be read");
            Err(to_login(None))
        }
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = axum::response::Redirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<WebUser, Self::Rejection> {
        let (p, must_change) = match web_session(parts, state).await? {
            Found::Live(p, must_change) => (p, must_change),
            Found::Idle(_) => {
                let login = login_address(parts, Some(REASON_IDLE));
                return Err(axum::response::Redirect::to(&login));
            }
        };
        note_user(parts, p.user_id);
        if must_change && !ONE_TIME_PASSWORD_PATHS.contains(&parts.uri.path()) {
            return Err(axum::response::Redirect::to(CHANGE_PASSWORD_PATH));
        }
        Ok(WebUser(p))
    }
}

/// A web user whose session may have ended for want of use: only the sign form and its draft
/// take it, to keep what the reviewer typed before sending them to log in again. A user with a
/// one-time password is sent to change it, as by [`WebUser`].
pub enum WebUserOrIdle {
    Live(Principal),
    Idle(Principal),
}

impl FromRequestParts<AppState> for WebUserOrIdle {
    type Rejection = axum::response::Redirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<WebUserOrIdle, Self::Rejection> {
        match web_session(parts, state).await? {
            Found::Live(p, true) => {
                note_user(parts, p.user_id);
                Err(axum::response::Redirect::to(CHANGE_PASSWORD_PATH))
            }
            Found::Live(p, false) => {
                note_user(parts, p.user_id);
                Ok(WebUserOrIdle::Live(p))
            }
            Found::Idle(p) => {
                note_user(parts, p.user_id);
                Ok(WebUserOrIdle::Idle(p))
            }
        }
    }
}

/// The cookie that carries a web session (see [`web_cookie`]).
pub fn set_session_cookie(token: &str, settings: &crate::state::Settings) -> String {
    web_cookie(
        SESSION_COOKIE,
        token.to_owned(),
        "/",
        Some(WEB_SESSION_SECONDS),
        settings,
    )
}

/// The session cookie emptied and expired at once.
pub fn clear_session_cookie(settings: &crate::state::Settings) -> String {
    web_cookie(SESSION_COOKIE, String::new(), "/", Some(0), settings)
}

/// Compares a form's CSRF token with the session's, in constant time.
pub fn check_csrf(principal: &Principal, given: &str) -> ApiResult<()> {
    let a = principal.csrf_token.as_bytes();
    let b = given.as_bytes();
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "the form's security token does not match your session; reload the page and try again",
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// On a runtime with one thread, another task keeps running while a password is hashed and
    /// verified: argon2 is not on the runtime.
    #[tokio::test(flavor = "current_thread")]
    async fn argon2_runs_off_the_async_runtime() {
        let ticks = Arc::new(AtomicU32::new(0));
        let ticker = {
            let ticks = ticks.clone();
            tokio::spawn(async move {
                loop {
                    ticks.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
            })
        };
        tokio::task::yield_now().await;
        let ticked = |since: u32| ticks.load(Ordering::Relaxed) - since;
        let before = ticks.load(Ordering::Relaxed);
        let hash = hash_password_blocking("a fictional long password")
            .await
            .expect("hashed");
        let while_hashing = ticked(before);
        let before = ticks.load(Ordering::Relaxed);
        assert!(verify_password("a fictional long password", &hash).await);
        let while_verifying = ticked(before);
        assert!(!verify_password("another fictional password", &hash).await);
        assert!(!verify_password("anything", "not a hash").await);
        ticker.abort();
        assert!(
            while_hashing >= 3 && while_verifying >= 3,
            "the runtime's other task ran {while_hashing} time(s) during hashing and \
             {while_verifying} during verifying"
        );
    }

    #[test]
    fn token_hashes_are_lower_case_hex_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
