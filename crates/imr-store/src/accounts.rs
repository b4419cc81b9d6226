//! Who may use the server: users with a role, their sessions (web) and API tokens.
//!
//! The store keeps only hashes: passwords as argon2 PHC strings (the server hashes and
//! verifies them), session and API tokens as SHA-256 hex, so reading the database gives no way
//! in. Failed logins are counted per user so the server can lock an account for a while.
//! Both backends implement [`AccountStore`] with the same portable SQL (`impl_accounts!`),
//! in the child modules `sqlite::accounts` and `postgres::accounts`.

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
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::IntakeClerk => "intake_clerk",
            Role::Reviewer => "reviewer",
            Role::Administrator => "administrator",
            Role::Party => "party",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        [
            Role::IntakeClerk,
            Role::Reviewer,
            Role::Administrator,
            Role::Party,
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
    pub failed_logins: u32,
    /// Unix seconds; logins are refused until then.
    pub locked_until: i64,
}

/// A user about to be created.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub role: Role,
    pub reviewer_id: Option<String>,
    pub case_number: Option<String>,
    pub password_hash: String,
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

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub kind: SessionKind,
    pub csrf_token: String,
    pub expires_at: i64,
    pub user: User,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates a user; [`StoreError::Duplicate`] if the name is taken.
    async fn create_user(&self, user: &NewUser) -> Result<User, StoreError>;

    async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError>;

    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Counts a failed login; after `max_failures` in a row the account is locked until
    /// `lock_until`. Returns the new count.
    async fn record_failed_login(
        &self,
        user_id: i64,
        max_failures: u32,
        lock_until: i64,
    ) -> Result<u32, StoreError>;

    /// A successful login clears the count and the lock.
    async fn clear_failed_logins(&self, user_id: i64) -> Result<(), StoreError>;

    async fn set_password(&self, user_id: i64, password_hash: &str) -> Result<(), StoreError>;

    /// Stores a session under the SHA-256 of its token, and drops the user's sessions that
    /// expired by `now`.
    async fn create_session(
        &self,
        token_sha256: &str,
        user_id: i64,
        kind: SessionKind,
        csrf_token: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// The session for a token hash if it exists and has not expired at `now`.
    async fn session(&self, token_sha256: &str, now: i64) -> Result<Option<Session>, StoreError>;

    async fn delete_session(&self, token_sha256: &str) -> Result<(), StoreError>;
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

/// A user row: id, username, role, reviewer, case, hash, failures, locked until.
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

pub(crate) fn user_of(row: UserRow) -> Result<User, StoreError> {
    let (id, username, role, reviewer_id, case_number, password_hash, failed, locked_until) = row;
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
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until,
    })
}

macro_rules! impl_accounts {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::accounts::AccountStore for $store {
            async fn create_user(
                &self,
                user: &$crate::accounts::NewUser,
            ) -> Result<$crate::accounts::User, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
                    "INSERT INTO users (username, role, reviewer_id, case_number, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(user.username.clone())
                .bind(user.role.as_str())
                .bind(user.reviewer_id.clone())
                .bind(user.case_number.clone())
                .bind(user.password_hash.clone())
                .bind(user.created_at)
                .fetch_one(&mut *tx)
                .await;
                let id = match inserted {
                    Err(e) if $crate::backend::is_unique_violation(&e) => {
                        return Err($crate::StoreError::Duplicate {
                            what: "user",
                            key: user.username.clone(),
                        });
                    }
                    other => other?,
                };
                tx.commit().await?;
                Ok($crate::accounts::User {
                    id,
                    username: user.username.clone(),
                    role: user.role,
                    reviewer_id: user.reviewer_id.clone(),
                    case_number: user.case_number.clone(),
                    password_hash: user.password_hash.clone(),
                    failed_logins: 0,
                    locked_until: 0,
                })
            }

            async fn user_by_name(
                &self,
                username: &str,
            ) -> Result<Option<$crate::accounts::User>, $crate::StoreError> {
                let row: Option<$crate::accounts::UserRow> = sqlx::query_as(
                    "SELECT id, username, role, reviewer_id, case_number, password_hash, failed_logins, locked_until \
                     FROM users WHERE username = $1",
                )
                    .bind(username.to_owned())
                    .fetch_optional(self.read_pool())
                    .await?;
                row.map($crate::accounts::user_of).transpose()
            }

            async fn users(&self) -> Result<Vec<$crate::accounts::User>, $crate::StoreError> {
                let rows: Vec<$crate::accounts::UserRow> = sqlx::query_as(
                    "SELECT id, username, role, reviewer_id, case_number, password_hash, failed_logins, locked_until \
                     FROM users ORDER BY id",
                )
                    .fetch_all(self.read_pool())
                    .await?;
                rows.into_iter().map($crate::accounts::user_of).collect()
            }

            async fn record_failed_login(
                &self,
                user_id: i64,
                max_failures: u32,
                lock_until: i64,
            ) -> Result<u32, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let count: i64 = sqlx::query_scalar(
                    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
                )
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
                if count >= i64::from(max_failures) {
                    sqlx::query("UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2")
                        .bind(lock_until)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(u32::try_from(count).unwrap_or(u32::MAX))
            }

            async fn clear_failed_logins(&self, user_id: i64) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn set_password(
                &self,
                user_id: i64,
                password_hash: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash.to_owned())
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                // A new password ends every session.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(
                &self,
                token_sha256: &str,
                user_id: i64,
                kind: $crate::accounts::SessionKind,
                csrf_token: &str,
                expires_at: i64,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                // Sessions of this user that have expired go as a new one comes.
                sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_sha256, user_id, kind, csrf_token, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(token_sha256.to_owned())
                .bind(user_id)
                .bind(kind.as_str())
                .bind(csrf_token.to_owned())
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session(
                &self,
                token_sha256: &str,
                now: i64,
            ) -> Result<Option<$crate::accounts::Session>, $crate::StoreError> {
                let row: Option<(String, String, i64, i64, String, String, Option<String>, Option<String>, String, i64, i64)> =
                    sqlx::query_as(
                        "SELECT s.kind, s.csrf_token, s.expires_at, \
                         u.id, u.username, u.role, u.reviewer_id, u.case_number, u.password_hash, \
                         u.failed_logins, u.locked_until \
                         FROM sessions s JOIN users u ON u.id = s.user_id \
                         WHERE s.token_sha256 = $1 AND s.expires_at > $2",
                    )
                    .bind(token_sha256.to_owned())
                    .bind(now)
                    .fetch_optional(self.read_pool())
                    .await?;
                let Some((kind, csrf_token, expires_at, id, username, role, reviewer_id, case_number, hash, failed, locked)) = row
                else {
                    return Ok(None);
                };
                let kind = if kind == "api" {
                    $crate::accounts::SessionKind::Api
                } else {
                    $crate::accounts::SessionKind::Web
                };
                let user = $crate::accounts::user_of((
                    id, username, role, reviewer_id, case_number, hash, failed, locked,
                ))?;
                Ok(Some($crate::accounts::Session {
                    kind,
                    csrf_token,
                    expires_at,
                    user,
                }))
            }

            async fn delete_session(&self, token_sha256: &str) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
                    .bind(token_sha256.to_owned())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_accounts;
