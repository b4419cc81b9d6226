-- Users of the server, their sessions and API tokens (SQLite).
-- Passwords are kept only as argon2 hashes; session and API tokens only as SHA-256 hashes, so a
-- copy of the database lets no one log in. Times are Unix seconds.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    reviewer_id   TEXT REFERENCES reviewers (id),
    case_number   TEXT REFERENCES cases (number),
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_sha256 TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
