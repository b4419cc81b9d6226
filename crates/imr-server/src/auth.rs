//! Who is asking: passwords (argon2), session cookies for the web, bearer tokens for the API,
//! login with failed-attempt locking, and the rules of who may see and do what.
//!
//! Tokens are 32 random bytes in hex; the store keeps only their SHA-256, so a copy of the
//! database cannot be used to log in.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use imr_core::case::Case;
use imr_store::accounts::{NewUser, Role, Session, SessionKind, User};
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The web session cookie.
pub const SESSION_COOKIE: &str = "imr_session";
/// Failed logins in a row before the account is locked.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// How long a locked account stays locked.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// How long a web session lasts.
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
    Ok(hex(&buf))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| ApiError::internal("drawing a salt"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| ApiError::internal("encoding a salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| ApiError::internal("hashing a password"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
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

/// Why a login failed. The message never says whether the user exists.
#[derive(Debug)]
pub enum LoginError {
    Wrong,
    Locked { seconds: i64 },
    Store(ApiError),
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> ApiError {
        match e {
            LoginError::Wrong => ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "wrong username or password",
            ),
            LoginError::Locked { seconds } => ApiError::new(
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many failed logins: this account is locked for {} more minute(s)",
                    (seconds + 59) / 60
                ),
            ),
            LoginError::Store(e) => e,
        }
    }
}

/// Checks a username and password, counting failures and refusing locked accounts. On success
/// opens a session of `kind` and returns its token and the session.
pub async fn login(
    state: &AppState,
    client: Option<IpAddr>,
    username: &str,
    password: &str,
    kind: SessionKind,
) -> Result<(String, Session), LoginError> {
    let now = unix_now();
    if let Some(seconds) = client.and_then(|ip| client_blocked(state, ip, now)) {
        return Err(LoginError::Locked { seconds });
    }
    let result = check_and_open(state, username, password, kind, now).await;
    if let (Err(LoginError::Wrong), Some(ip)) = (&result, client) {
        client_failed(state, ip, now);
    }
    result
}

/// Failed logins allowed from one address within [`CLIENT_WINDOW_SECONDS`], whatever the
/// usernames tried (the per-account lock does not stop guessing across many accounts).
pub const MAX_CLIENT_FAILURES: u32 = 20;
pub const CLIENT_WINDOW_SECONDS: i64 = 5 * 60;

fn client_blocked(state: &AppState, ip: IpAddr, now: i64) -> Option<i64> {
    let map = state.login_failures.lock().ok()?;
    let (count, since) = *map.get(&ip)?;
    let left = since + CLIENT_WINDOW_SECONDS - now;
    (count >= MAX_CLIENT_FAILURES && left > 0).then_some(left)
}

fn client_failed(state: &AppState, ip: IpAddr, now: i64) {
    let Ok(mut map) = state.login_failures.lock() else {
        return;
    };
    if map.len() > 100_000 {
        // Bounded memory: forget windows that have ended.
        map.retain(|_, (_, since)| *since + CLIENT_WINDOW_SECONDS > now);
    }
    let entry = map.entry(ip).or_insert((0, now));
    if entry.1 + CLIENT_WINDOW_SECONDS <= now {
        *entry = (0, now);
    }
    entry.0 += 1;
}

async fn check_and_open(
    state: &AppState,
    username: &str,
    password: &str,
    kind: SessionKind,
    now: i64,
) -> Result<(String, Session), LoginError> {
    let user = state
        .accounts
        .user_by_name(username)
        .await
        .map_err(|e| LoginError::Store(e.into()))?;
    let Some(user) = user else {
        // Verify anyway, so an unknown name takes as long as a wrong password.
        let _ = verify_password(password, &state.dummy_hash);
        return Err(LoginError::Wrong);
    };
    if user.locked_until > now {
        return Err(LoginError::Locked {
            seconds: user.locked_until - now,
        });
    }
    if !verify_password(password, &user.password_hash) {
        let count = state
            .accounts
            .record_failed_login(user.id, MAX_FAILED_LOGINS, now + LOCK_SECONDS)
            .await
            .map_err(|e| LoginError::Store(e.into()))?;
        tracing::warn!(user_id = user.id, failures = count, "failed login");
        return Err(LoginError::Wrong);
    }
    if user.failed_logins > 0 {
        state
            .accounts
            .clear_failed_logins(user.id)
            .await
            .map_err(|e| LoginError::Store(e.into()))?;
    }
    let token = random_hex(32).map_err(LoginError::Store)?;
    let csrf = random_hex(16).map_err(LoginError::Store)?;
    let lifetime = match kind {
        SessionKind::Web => WEB_SESSION_SECONDS,
        SessionKind::Api => API_TOKEN_SECONDS,
    };
    state
        .accounts
        .create_session(
            &token_hash(&token),
            user.id,
            kind,
            &csrf,
            now + lifetime,
            now,
        )
        .await
        .map_err(|e| LoginError::Store(e.into()))?;
    tracing::info!(user_id = user.id, kind = kind.as_str(), "login");
    let session = Session {
        kind,
        csrf_token: csrf,
        expires_at: now + lifetime,
        user,
    };
    Ok((token, session))
}

/// Creates a user with a hashed password.
pub async fn create_user(
    state: &AppState,
    username: &str,
    password: &str,
    role: Role,
    reviewer_id: Option<String>,
    case_number: Option<String>,
) -> ApiResult<User> {
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
    let hash = hash_password(password)?;
    Ok(state
        .accounts
        .create_user(&NewUser {
            username: username.to_string(),
            role,
            reviewer_id,
            case_number,
            password_hash: hash,
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
}

impl Principal {
    fn of(session: Session, token_sha256: String) -> Principal {
        Principal {
            user_id: session.user.id,
            username: session.user.username,
            role: session.user.role,
            reviewer_id: session.user.reviewer_id,
            case_number: session.user.case_number,
            csrf_token: session.csrf_token,
            token_sha256,
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
            Role::Administrator | Role::IntakeClerk => true,
            Role::Reviewer => {
                self.reviewer_id.is_some() && case.reviewer_id() == self.reviewer_id.as_deref()
            }
            Role::Party => self.case_number.as_deref() == Some(case.number.as_str()),
        }
    }

    /// Refuses a case the user may not see.
    pub fn check_view(&self, case: &Case) -> ApiResult<()> {
        if self.may_view(case) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "case {} is not one you may see (it is not assigned to you)",
                case.number
            )))
        }
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then_some(token)
}

pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

async fn principal(state: &AppState, token: &str, kind: SessionKind) -> ApiResult<Principal> {
    let hash = token_hash(token);
    match state.accounts.session(&hash, unix_now()).await? {
        Some(session) if session.kind == kind => Ok(Principal::of(session, hash)),
        _ => Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "the token is unknown or has expired: log in again",
        )),
    }
}

/// An API caller, authenticated by a bearer token.
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<ApiUser> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        let p = principal(state, token, SessionKind::Api).await?;
        note_user(parts, p.user_id);
        Ok(ApiUser(p))
    }
}

/// A web user, authenticated by the session cookie; without one, the login page.
pub struct WebUser(pub Principal);

/// Leaves the user id where the request log finds it.
fn note_user(parts: &Parts, user_id: i64) {
    if let Some(slot) = parts.extensions.get::<crate::UserSlot>() {
        slot.0.store(user_id, std::sync::atomic::Ordering::Relaxed);
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = axum::response::Redirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<WebUser, Self::Rejection> {
        let to_login = || axum::response::Redirect::to("/login");
        let token = session_cookie(&parts.headers).ok_or_else(to_login)?;
        let p = principal(state, token, SessionKind::Web)
            .await
            .map_err(|_| to_login())?;
        note_user(parts, p.user_id);
        Ok(WebUser(p))
    }
}

/// The cookie that carries a web session: HttpOnly (no script reads it), SameSite=Strict (no
/// other site's page sends it).
pub fn set_session_cookie(token: &str) -> String {
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={WEB_SESSION_SECONDS}"
    )
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")
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
