-- What the queue lists, filters, counts and sorts on, beside each case's body, so that the
-- queue is read in SQL without decoding every case. Kept in step with the body by every write;
-- a case written before this migration has queued = 0 until the store, opening, fills them.
ALTER TABLE cases ADD COLUMN queued BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN worker TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN claim_number TEXT NOT NULL DEFAULT '';
-- "number claim worker", lower-cased: what the queue's search words are looked for in.
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN priority TEXT NOT NULL DEFAULT 'Standard';
ALTER TABLE cases ADD COLUMN items BIGINT NOT NULL DEFAULT 0;
-- The next open deadline: its kind, its civil date-time as text, and the same as nanoseconds
-- (read as UTC) to sort and compare on, whatever the database's collation; a case with no
-- deadline running has the largest number, so it sorts last and is never overdue.
ALTER TABLE cases ADD COLUMN due_kind TEXT;
ALTER TABLE cases ADD COLUMN due_at TEXT;
ALTER TABLE cases ADD COLUMN due_order BIGINT NOT NULL DEFAULT 9223372036854775807;
-- In queue order and holding every column the queue reads, so the queue is read from the index
-- alone: SQLite keeps a row's columns in order, and these come after the body, which would
-- otherwise be read (through its overflow pages) for every row counted.
CREATE INDEX cases_queue ON cases (due_order, number, status, priority, reviewer_id,
    received_at, due_kind, due_at, items, worker, claim_number, search_text);
CREATE INDEX cases_unqueued ON cases (queued);
