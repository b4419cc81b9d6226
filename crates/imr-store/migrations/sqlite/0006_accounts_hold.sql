-- Accounts that hold under abuse (SQLite): a user can be disabled and can be made to change a
-- one-time password; a session knows when it was made and last used (idle timeout, oldest
-- dropped past the cap; created in Unix milliseconds, so the order of two logins in one second
-- is known); failed logins are counted per (username, client address) pair in the
-- store, so several servers on one database count them together. Times are Unix seconds.
-- users.failed_logins and users.locked_until (the old per-account lock) are no longer read.

ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

ALTER TABLE sessions ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;

CREATE TABLE login_throttle (
    username      TEXT NOT NULL,
    client        TEXT NOT NULL,
    failures      INTEGER NOT NULL,
    last_failure  INTEGER NOT NULL,
    blocked_until INTEGER NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure);
