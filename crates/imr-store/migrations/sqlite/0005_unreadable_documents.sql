-- Documents the reader refused (a PDF over a reading limit, damaged, encrypted, ...): marked
-- once, so a case view does not read them again. The reason names the problem, never the text.
CREATE TABLE unreadable_documents (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id),
    reason      TEXT NOT NULL,
    marked_at   TEXT NOT NULL
);
