//! Who may use the server: users with a role, their sessions (web) and API tokens.
//!
//! The store keeps only hashes: passwords as argon2 PHC strings (the server hashes and
//! verifies them), session and API tokens as SHA-256 hex, so reading the database gives no way
//! in. Failed logins are counted per (username, client address) pair, here in the store, so
//! that several servers on one database slow an attacker down together; nothing locks an account.
//! A browser that logged in to an account before carries a device cookie (kept here as its
//! SHA-256): the server counts its failures as their own pair, apart from its address's.
//! [`AccountStore`] is implemented once below, generic over the database (see `backend.rs`).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{PostgresStore, SqliteStore, Store, StoreError, StoreOptions};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Takes in applications and records, assigns reviewers.
    IntakeClerk,
    /// A physician reviewer: sees and decides only the cases assigned to them.
    Reviewer,
    /// Everything, including users and reviewers.
    Administrator,
    /// A party to one case (worker, provider, claims administrator): reads that case only.
    Party,
    /// Quality review: reads every case and takes the second look before a public copy is
    /// released (issues it, when they did not sign the determination); changes no case.
    Quality,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::IntakeClerk => "intake_clerk",
            Role::Reviewer => "reviewer",
            Role::Administrator => "administrator",
            Role::Party => "party",
            Role::Quality => "quality",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [
            Role::IntakeClerk,
            Role::Reviewer,
            Role::Administrator,
            Role::Party,
            Role::Quality,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// A user as stored (with the password hash; never send it out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: Role,
    /// For a reviewer: the reviewer record they are.
    pub reviewer_id: Option<String>,
    /// For a party: the case they are a party to.
    pub case_number: Option<String>,
    pub password_hash: String,
    /// A disabled user cannot log in and has no session.
    pub disabled: bool,
    /// The password is a one-time password: it must be changed before anything else.
    pub must_change_password: bool,
}

/// A user about to be created.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub reviewer_id: Option<String>,
    pub case_number: Option<String>,
    pub password_hash: String,
    /// The password was made for the user (generated, or set by someone else): one-time.
    pub must_change_password: bool,
    pub created_at: i64,
}

/// A web session (cookie) or an API token (bearer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    Web,
    Api,
}

impl SessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Api => "api",
        }
    }
}

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_sha256: String,
    pub user_id: i64,
    pub kind: SessionKind,
    pub csrf_token: String,
    /// Unix milliseconds: orders two sessions made in the same second.
    pub created_ms: i64,
    /// Unix seconds.
    pub expires_at: i64,
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub kind: SessionKind,
    pub csrf_token: String,
    pub expires_at: i64,
    /// Unix seconds of the last request seen (for the idle timeout).
    pub last_seen: i64,
    pub user: User,
}

/// How failed logins slow down the next attempt for one (username, client address) pair:
/// the first `free_failures` cost nothing, then each one doubles the wait from `base_seconds`
/// up to `max_seconds`. A pair quiet for `forget_seconds` starts again from zero. Nothing
/// locks: after the wait, the right password works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_failures: u32,
    pub base_seconds: i64,
    pub max_seconds: i64,
    pub forget_seconds: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            free_failures: 3,
            base_seconds: 2,
            max_seconds: 15 * 60,
            forget_seconds: 24 * 3600,
        }
    }
}

impl ThrottlePolicy {
    /// Seconds to wait after the `failures`-th failure in a row.
    pub fn delay(&self, failures: u32) -> i64 {
        let Some(over) = failures.checked_sub(self.free_failures).filter(|n| *n > 0) else {
            return 0;
        };
        let factor = 1i64
            .checked_shl(over - 1)
            .filter(|f| *f > 0)
            .unwrap_or(i64::MAX);
        self.base_seconds
            .saturating_mul(factor)
            .min(self.max_seconds)
            .max(0)
    }
}

/// What the throttle says to a login attempt of one (username, client address) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginAttempt {
    /// Go ahead: the attempt is counted as the pair's `failures`-th failure in a row (until a
    /// success clears it), and the next one waits until `blocked_until`.
    Go { failures: u32, blocked_until: i64 },
    /// The pair waits until then (Unix seconds); this attempt was not counted.
    Wait { until: i64 },
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a user; [`StoreError::Duplicate`] if the name is taken.
    async fn create_user(&self, user: &NewUser) -> Result<User, StoreError>;

    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError>;

    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Sets a new password hash (`must_change`: a one-time password) and ends every session of
    /// the user.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
    ) -> Result<(), StoreError>;

    /// Disables (ending every session) or enables a user.
    async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<(), StoreError>;

    /// Stores a session under the SHA-256 of its token, drops the user's sessions that expired,
    /// and keeps at most `max_per_user` of the user's sessions of its kind (the oldest go).
    async fn create_session(
        &self,
        session: &NewSession,
        now: i64,
        max_per_user: u32,
    ) -> Result<(), StoreError>;

    /// The session for a token hash if it exists, has not expired at `now`, and its user is
    /// not disabled.
    async fn session(&self, token_sha256: &str, now: i64) -> Result<Option<Session>, StoreError>;

    /// Notes that the session was used at `now`.
    async fn touch_session(&self, token_sha256: &str, now: i64) -> Result<(), StoreError>;

    async fn delete_session(&self, token_sha256: &str) -> Result<(), StoreError>;

    /// Asks the throttle for a login attempt of the pair at `now`. Unless the pair must wait,
    /// the attempt is counted as a failure at once, in one transaction with the check (so
    /// attempts sent in parallel are counted one by one, none slips past the wait), and the
    /// pair's next wait is set by `policy`; a success then clears the count. Pairs quiet for
    /// `policy.forget_seconds` are forgotten.
    async fn begin_login_attempt(
        &self,
        username: &str,
        client: &str,
        now: i64,
        policy: &ThrottlePolicy,
    ) -> Result<LoginAttempt, StoreError>;

    /// A successful login forgets the pair's failures.
    async fn clear_login_failures(&self, username: &str, client: &str) -> Result<(), StoreError>;

    /// Remembers a browser that logged in to `user_id` by the SHA-256 of the device cookie the
    /// login set, until `expires_at` (migration 0009). The user's devices that expired go, and
    /// past `max_per_user` the oldest.
    async fn add_login_device(
        &self,
        token_sha256: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
        max_per_user: u32,
    ) -> Result<(), StoreError>;

    /// Whether a device cookie (by its SHA-256) was set by a login to `username` and has not
    /// expired at `now`.
    async fn is_login_device(
        &self,
        token_sha256: &str,
        username: &str,
        now: i64,
    ) -> Result<bool, StoreError>;
}

/// Opens the store a URL names (as [`crate::open`]) and returns it twice: as the case store
/// and as the account store, one connection pool behind both.
pub async fn open_with_accounts(
    url: &str,
    options: StoreOptions,
) -> Result<(Arc<dyn Store>, Arc<dyn AccountStore>), StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let store = Arc::new(PostgresStore::connect(url, options).await?);
        Ok((store.clone(), store))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        let store = Arc::new(SqliteStore::open(path.as_ref(), options).await?);
        Ok((store.clone(), store))
    }
}

/// A user row: id, username, role, reviewer, case, hash, disabled, must change password.
pub(crate) type UserRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
);

/// The columns of a [`UserRow`], for `SELECT`.
pub(crate) const USER_COLUMNS: &str =
    "id, username, role, reviewer_id, case_number, password_hash, disabled, must_change_password";

pub(crate) fn user_of(row: UserRow) -> Result<User, StoreError> {
    let (id, username, role, reviewer_id, case_number, password_hash, disabled, must_change) = row;
    let role = Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
        what: "user",
        key: id.to_string(),
        detail: format!("unknown role {role:?}"),
    })?;
    Ok(User {
        id,
        username,
        role,
        reviewer_id,
        case_number,
        password_hash,
        disabled: disabled != 0,
        must_change_password: must_change != 0,
    })
}
crate::backend::sql_impl! {
impl SqlStore {
    /// Keeps the newest `max` (at least one) of what a user holds, sessions or login devices:
    /// `held` lists their keys newest first, and `delete` removes one by its key (`$1`).
    async fn keep_newest(
        conn: &mut DB::Connection,
        held: Vec<(String,)>,
        max: u32,
        delete: &'static str,
    ) -> Result<(), crate::StoreError> {
        let keep = usize::try_from(max.max(1)).unwrap_or(usize::MAX);
        for (key,) in held.into_iter().skip(keep) {
            sqlx::query(delete).bind(key).execute(&mut *conn).await?;
        }
        Ok(())
    }
}
}

crate::backend::sql_impl! {
#[async_trait::async_trait]
impl crate::accounts::AccountStore for SqlStore {
    async fn create_user(
        &self,
        user: &crate::accounts::NewUser,
    ) -> Result<crate::accounts::User, crate::StoreError> {
        let mut tx = self.begin_write().await?;
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO users (username, role, reviewer_id, case_number, password_hash, \
             must_change_password, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user.username.clone())
        .bind(user.role.as_str())
        .bind(user.reviewer_id.clone())
        .bind(user.case_number.clone())
        .bind(user.password_hash.clone())
        .bind(i64::from(user.must_change_password))
        .bind(user.created_at)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Err(e) if crate::backend::is_unique_violation(&e) => {
                return Err(crate::StoreError::Duplicate {
                    what: "user",
                    key: user.username.clone(),
                });
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(crate::accounts::User {
            id,
            username: user.username.clone(),
            role: user.role,
            reviewer_id: user.reviewer_id.clone(),
            case_number: user.case_number.clone(),
            password_hash: user.password_hash.clone(),
            disabled: false,
            must_change_password: user.must_change_password,
        })
    }

    async fn user_by_name(
        &self,
        username: &str,
    ) -> Result<Option<crate::accounts::User>, crate::StoreError> {
        let sql = format!(
            "SELECT {} FROM users WHERE username = $1",
            crate::accounts::USER_COLUMNS
        );
        let row: Option<crate::accounts::UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(username.to_owned())
            .fetch_optional(self.read_pool())
            .await?;
        row.map(crate::accounts::user_of).transpose()
    }

    async fn users(&self) -> Result<Vec<crate::accounts::User>, crate::StoreError> {
        let sql = format!(
            "SELECT {} FROM users ORDER BY id",
            crate::accounts::USER_COLUMNS
        );
        let rows: Vec<crate::accounts::UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(self.read_pool())
            .await?;
        rows.into_iter().map(crate::accounts::user_of).collect()
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(password_hash.to_owned())
        .bind(i64::from(must_change))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let changed = DB::rows_affected(&done);
        if changed == 0 {
            return Err(crate::StoreError::NotFound {
                what: "user",
                key: user_id.to_string(),
            });
        }
        // A new password ends every session.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_disabled(&self, user_id: i64, disabled: bool) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let changed = DB::rows_affected(&done);
        if changed == 0 {
            return Err(crate::StoreError::NotFound {
                what: "user",
                key: user_id.to_string(),
            });
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(
        &self,
        session: &crate::accounts::NewSession,
        now: i64,
        max_per_user: u32,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        // Sessions of this user that have expired go as a new one comes.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(session.user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_sha256, user_id, kind, csrf_token, expires_at, created_ms, last_seen) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(session.token_sha256.clone())
        .bind(session.user_id)
        .bind(session.kind.as_str())
        .bind(session.csrf_token.clone())
        .bind(session.expires_at)
        .bind(session.created_ms)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // Past the cap, the oldest of the user's sessions of this kind go.
        let held: Vec<(String,)> = sqlx::query_as(
            "SELECT token_sha256 FROM sessions WHERE user_id = $1 AND kind = $2 \
             ORDER BY created_ms DESC, token_sha256",
        )
        .bind(session.user_id)
        .bind(session.kind.as_str())
        .fetch_all(&mut *tx)
        .await?;
        Self::keep_newest(
            &mut tx,
            held,
            max_per_user,
            "DELETE FROM sessions WHERE token_sha256 = $1",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> Result<Option<crate::accounts::Session>, crate::StoreError> {
        let row: Option<(
            String,
            String,
            i64,
            i64,
            i64,
            String,
            String,
            Option<String>,
            Option<String>,
            String,
            i64,
            i64,
        )> = sqlx::query_as(
            "SELECT s.kind, s.csrf_token, s.expires_at, s.last_seen, \
                 u.id, u.username, u.role, u.reviewer_id, u.case_number, u.password_hash, \
                 u.disabled, u.must_change_password \
                 FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_sha256.to_owned())
        .bind(now)
        .fetch_optional(self.read_pool())
        .await?;
        let Some((
            kind,
            csrf_token,
            expires_at,
            last_seen,
            id,
            username,
            role,
            reviewer_id,
            case_number,
            hash,
            disabled,
            must_change,
        )) = row
        else {
            return Ok(None);
        };
        let kind = if kind == "api" {
            crate::accounts::SessionKind::Api
        } else {
            crate::accounts::SessionKind::Web
        };
        let user = crate::accounts::user_of((
            id,
            username,
            role,
            reviewer_id,
            case_number,
            hash,
            disabled,
            must_change,
        ))?;
        Ok(Some(crate::accounts::Session {
            kind,
            csrf_token,
            expires_at,
            last_seen,
            user,
        }))
    }

    async fn touch_session(&self, token_sha256: &str, now: i64) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE sessions SET last_seen = $1 WHERE token_sha256 = $2 AND last_seen < $1",
        )
        .bind(now)
        .bind(token_sha256.to_owned())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn delete_session(&self, token_sha256: &str) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
            .bind(token_sha256.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn begin_login_attempt(
        &self,
        username: &str,
        client: &str,
        now: i64,
        policy: &crate::accounts::ThrottlePolicy,
    ) -> Result<crate::accounts::LoginAttempt, crate::StoreError> {
        let forget_before = now.saturating_sub(policy.forget_seconds);
        let mut tx = self.begin_write().await?;
        // Pairs quiet long enough are forgotten (the table stays small).
        sqlx::query("DELETE FROM login_throttle WHERE last_failure < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        // Counted only when the pair is not waiting; the row stays locked to the end of
        // the transaction (PostgreSQL), or the whole database does (SQLite).
        let counted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO login_throttle (username, client, failures, last_failure, blocked_until) \
             VALUES ($1, $2, 1, $3, 0) \
             ON CONFLICT (username, client) DO UPDATE \
             SET failures = login_throttle.failures + 1, last_failure = $3 \
             WHERE login_throttle.blocked_until <= $3 \
             RETURNING failures",
        )
        .bind(username.to_owned())
        .bind(client.to_owned())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(count) = counted else {
            let until: i64 = sqlx::query_scalar(
                "SELECT blocked_until FROM login_throttle WHERE username = $1 AND client = $2",
            )
            .bind(username.to_owned())
            .bind(client.to_owned())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok(crate::accounts::LoginAttempt::Wait { until });
        };
        let failures = u32::try_from(count).unwrap_or(u32::MAX);
        let blocked_until = now.saturating_add(policy.delay(failures));
        sqlx::query(
            "UPDATE login_throttle SET blocked_until = $1 WHERE username = $2 AND client = $3",
        )
        .bind(blocked_until)
        .bind(username.to_owned())
        .bind(client.to_owned())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(crate::accounts::LoginAttempt::Go {
            failures,
            blocked_until,
        })
    }

    async fn clear_login_failures(
        &self,
        username: &str,
        client: &str,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_throttle WHERE username = $1 AND client = $2")
            .bind(username.to_owned())
            .bind(client.to_owned())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_login_device(
        &self,
        token_sha256: &str,
        user_id: i64,
        now: i64,
        expires_at: i64,
        max_per_user: u32,
    ) -> Result<(), crate::StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_devices WHERE user_id = $1 AND expires_at <= $2")
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_devices (token_sha256, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (token_sha256) DO UPDATE \
             SET user_id = excluded.user_id, created_at = excluded.created_at, \
             expires_at = excluded.expires_at",
        )
        .bind(token_sha256.to_owned())
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        let held: Vec<(String,)> = sqlx::query_as(
            "SELECT token_sha256 FROM login_devices WHERE user_id = $1 \
             ORDER BY created_at DESC, token_sha256",
        )
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        Self::keep_newest(
            &mut tx,
            held,
            max_per_user,
            "DELETE FROM login_devices WHERE token_sha256 = $1",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn is_login_device(
        &self,
        token_sha256: &str,
        username: &str,
        now: i64,
    ) -> Result<bool, crate::StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT d.user_id FROM login_devices d JOIN users u ON u.id = d.user_id \
             WHERE d.token_sha256 = $1 AND u.username = $2 AND d.expires_at > $3",
        )
        .bind(token_sha256.to_owned())
        .bind(username.to_owned())
        .bind(now)
        .fetch_optional(self.read_pool())
        .await?;
        Ok(found.is_some())
    }
}
}

#[cfg(test)]
mod tests {
    use super::ThrottlePolicy;

    #[test]
    fn the_wait_doubles_after_the_free_failures_up_to_the_cap() {
        let policy = ThrottlePolicy {
            free_failures: 3,
            base_seconds: 2,
            max_seconds: 60,
            forget_seconds: 3600,
        };
        let waits: Vec<i64> = (0..=10).map(|n| policy.delay(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(policy.delay(u32::MAX), 60, "no overflow");
    }
}
