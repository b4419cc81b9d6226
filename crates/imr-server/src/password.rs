//! Password hashing, below every other module: the state makes its dummy hash with it at
//! start, and the accounts with it on every password set.

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHasher};

use crate::error::ApiError;

/// An argon2 hash of `password` with a fresh salt, made here on the calling thread: for startup
/// and tools. A request handler uses `auth::hash_password_blocking`.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| ApiError::internal("drawing a salt"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| ApiError::internal("encoding a salt"))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| ApiError::internal("hashing a password"))
}
