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
CREATE INDEX cases_due ON cases (due_order, number);
CREATE INDEX cases_unqueued ON cases (queued);
