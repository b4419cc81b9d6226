-- Cases, reviewers, documents and the audit log (SQLite).
-- A case's state is its JSON body; the columns beside it are what queries filter on, kept in
-- step with the body by every write. `version` makes concurrent updates safe (compare and set).

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('case_number', 0);

CREATE TABLE cases (
    number        TEXT PRIMARY KEY,
    status        TEXT NOT NULL,
    reviewer_id   TEXT,
    duplicate_key TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    version       INTEGER NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_reviewer ON cases (reviewer_id);

CREATE TABLE reviewers (
    id     TEXT PRIMARY KEY,
    active INTEGER NOT NULL,
    body   TEXT NOT NULL
);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number TEXT NOT NULL REFERENCES cases (number),
    kind        TEXT NOT NULL,
    filename    TEXT,
    media_type  TEXT NOT NULL,
    received_at TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    chunks      INTEGER NOT NULL
);
CREATE INDEX documents_case ON documents (case_number);

-- A document's bytes, in order; written in the same transaction as its row.
CREATE TABLE document_chunks (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    seq         INTEGER NOT NULL,
    bytes       BLOB NOT NULL,
    PRIMARY KEY (document_id, seq)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number TEXT REFERENCES cases (number),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_number, id);
