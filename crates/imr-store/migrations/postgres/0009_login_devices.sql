-- Browsers that logged in to an account (PostgreSQL): the SHA-256 of the device cookie a
-- successful login set. A login from such a browser is throttled on its own, not with the
-- failures of its address, so an attacker behind the same address does not lock its user out
-- (OWASP's device cookies). Times are Unix seconds.
CREATE TABLE login_devices (
    token_sha256 TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id);
