-- The published decision archive (PostgreSQL): one row per published letter, keyed by its letter
-- id (the case number, or a content id for a letter published without one). The determination is
-- kept as JSON text, byte for byte as written (so "unchanged" is an exact comparison); the
-- SHA-256 of the file it was read from lets a new run skip files it has already stored. Dates are
-- ISO text; times are Unix seconds.

CREATE TABLE published_letters (
    letter_id     TEXT PRIMARY KEY,
    source_sha256 TEXT NOT NULL,
    source_path   TEXT NOT NULL,
    determination TEXT NOT NULL,
    decision_date TEXT,
    items         BIGINT NOT NULL,
    ingested_at   BIGINT NOT NULL
);
CREATE INDEX published_letters_source ON published_letters (source_sha256);
